//! Scoring a student's concept map against the teacher's (criterion) map.
//!
//! Everything is compared through normalised keys ([`Synonyms::normalise`] with the teacher's
//! synonym list): a concept's key is its normalised label; a proposition's key is
//! (source key, target key, normalised linking phrase) — or only (source key, target key) when
//! [`ScoringSettings::match_linking_phrase`] is off. Direction matters. Propositions with the same
//! key are counted once (repeats are listed in the explanation, not scored).
//!
//! # Definitions
//!
//! * **Valid proposition**: a student proposition whose key is also a key of a teacher
//!   proposition.
//! * **Proposition match** ([`PropositionMatch`]): *matched* = number of distinct valid keys;
//!   precision = matched / distinct student propositions; recall = matched / distinct teacher
//!   propositions; F1 = 2PR / (P + R). A ratio with a zero denominator is reported as 0 with
//!   [`Ratio::defined`] = false (F1 is undefined when P or R is, or when P + R = 0).
//! * **Hierarchy**: the graph of valid propositions between concepts of kind
//!   [`ConceptKind::Concept`] (examples are not part of the hierarchy). The **root** is the
//!   teacher's declared root ([`RootSource::Teacher`]); when the teacher declared none, it is the
//!   concept with no incoming valid link that reaches the most concepts (ties: the smallest key),
//!   or, if every concept has an incoming link, the concept reaching the most
//!   ([`RootSource::Inferred`]). Levels are breadth-first distances from the root along valid
//!   propositions; **hierarchy levels** = the deepest level reached (the root itself is not a
//!   level: root → A → B has 2 levels). Each concept's **branch** (segment) is its ancestor at
//!   level 1 on the breadth-first tree (neighbours visited in key order).
//! * **Cross-link**: a valid proposition between two reached concepts, neither the root, lying in
//!   different branches.
//! * **Branching**: a concept with at least two valid outgoing propositions to concepts on a
//!   deeper level that are not cross-links. Each such concept counts once, 1 point (the brief's
//!   reading of Novak & Gowin; the Markham–Mintzes–Jones variant giving 3 points to successive
//!   branchings is not used).
//! * **Example**: a concept marked [`ConceptKind::Example`] in the student's or the teacher's map
//!   and touched by at least one valid proposition; each counts once.
//! * **Novak & Gowin total** = `proposition`·valid propositions + `level`·hierarchy levels +
//!   `branching`·branchings + `cross_link`·cross-links + `example`·examples, with
//!   [`NovakGowinWeights`] 1, 5, 1, 10, 1 by default. **Relative** = total ÷ the teacher map's
//!   own total (the teacher map scored against itself); undefined when that is 0. The relative
//!   score is not clamped: a student map that misses a shortcut can, rarely, have more levels
//!   than the teacher's.
//! * **Closeness index** ([`Closeness`]): over the concepts both maps have (by key), with
//!   N(i) the undirected neighbours of i over *all* propositions of that map, the mean of
//!   |N_S(i) ∩ N_T(i)| / |N_S(i) ∪ N_T(i)|. A concept isolated in both maps scores 1 (both agree
//!   it has no neighbours); with no shared concept the index is 0 and undefined.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde::{Deserialize, Serialize};

use super::{Concept, ConceptKind, ConceptMap, Proposition, Synonyms};
use crate::ids::ConceptId;

/// Points per component of the Novak & Gowin score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NovakGowinWeights {
    /// Per valid proposition (default 1).
    pub proposition: u32,
    /// Per valid hierarchy level (default 5).
    pub level: u32,
    /// Per branching (default 1).
    pub branching: u32,
    /// Per valid cross-link (default 10).
    pub cross_link: u32,
    /// Per example (default 1).
    pub example: u32,
}

impl Default for NovakGowinWeights {
    fn default() -> Self {
        Self { proposition: 1, level: 5, branching: 1, cross_link: 10, example: 1 }
    }
}

/// How the teacher wants maps compared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoringSettings {
    /// The teacher's synonym list, applied to labels and linking phrases.
    #[serde(default)]
    pub synonyms: Synonyms,
    /// Whether a proposition must also have the same linking phrase to match (default true).
    #[serde(default = "yes")]
    pub match_linking_phrase: bool,
    /// Points of the Novak & Gowin components.
    #[serde(default)]
    pub weights: NovakGowinWeights,
}

fn yes() -> bool {
    true
}

impl Default for ScoringSettings {
    fn default() -> Self {
        Self {
            synonyms: Synonyms::none(),
            match_linking_phrase: true,
            weights: NovakGowinWeights::default(),
        }
    }
}

/// A ratio in 0..=1 that may be undefined (zero denominator); an undefined ratio has value 0.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Ratio {
    /// The value (0 when undefined).
    pub value: f64,
    /// False when the denominator was 0.
    pub defined: bool,
}

impl Ratio {
    /// `num / den`, undefined when `den` is 0.
    pub fn of(num: u32, den: u32) -> Self {
        if den == 0 {
            Self::undefined()
        } else {
            Self { value: f64::from(num) / f64::from(den), defined: true }
        }
    }

    /// The undefined ratio (value 0).
    pub fn undefined() -> Self {
        Self { value: 0.0, defined: false }
    }
}

/// A proposition as its author wrote it: «from» —linking→ «to».
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PropositionText {
    /// Source label.
    pub from: String,
    /// Linking phrase.
    pub linking: String,
    /// Target label.
    pub to: String,
}

/// A student proposition that matched a teacher proposition, in both wordings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchedProposition {
    /// The student's wording.
    pub student: PropositionText,
    /// The teacher's wording.
    pub teacher: PropositionText,
}

/// Precision, recall and F1 of the student's propositions, with the lists behind them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PropositionMatch {
    /// Distinct student propositions (after normalisation).
    pub student_propositions: u32,
    /// Distinct teacher propositions (after normalisation).
    pub teacher_propositions: u32,
    /// Distinct matched propositions.
    pub matched: u32,
    /// matched / student propositions.
    pub precision: Ratio,
    /// matched / teacher propositions.
    pub recall: Ratio,
    /// Harmonic mean of precision and recall.
    pub f1: Ratio,
    /// Matched propositions, in the teacher's order.
    pub matched_list: Vec<MatchedProposition>,
    /// Teacher propositions the student does not have, in the teacher's order.
    pub missing: Vec<PropositionText>,
    /// Student propositions the teacher does not have, in the student's order.
    pub extra: Vec<PropositionText>,
    /// Student propositions that repeat an earlier one after normalisation (not scored).
    pub repeated: Vec<PropositionText>,
}

/// Where the hierarchy's root came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RootSource {
    /// The teacher declared it.
    Teacher,
    /// Inferred from the valid propositions.
    Inferred,
    /// There is no hierarchy (no valid proposition between concepts, or the teacher's root is
    /// missing from the student's map).
    None,
}

/// The Novak & Gowin structural score, by component, with what was counted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NovakGowin {
    /// The weights used.
    pub weights: NovakGowinWeights,
    /// Valid propositions.
    pub valid_propositions: u32,
    /// Valid hierarchy levels below the root.
    pub hierarchy_levels: u32,
    /// Branching concepts.
    pub branchings: u32,
    /// Valid cross-links.
    pub cross_links: u32,
    /// Examples attached by a valid proposition.
    pub examples: u32,
    /// The weighted sum.
    pub total: u32,
    /// The teacher map's own total.
    pub teacher_total: u32,
    /// total ÷ teacher_total.
    pub relative: Ratio,
    /// The root's label.
    pub root: Option<String>,
    /// Where the root came from.
    pub root_source: RootSource,
    /// Concept labels per level: `levels[0]` is level 1.
    pub levels: Vec<Vec<String>>,
    /// Labels of the branching concepts.
    pub branching_concepts: Vec<String>,
    /// The cross-links, in the student's wording.
    pub cross_link_list: Vec<PropositionText>,
    /// Labels of the counted examples.
    pub example_list: Vec<String>,
}

/// The closeness of one shared concept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConceptCloseness {
    /// The concept (teacher's label).
    pub concept: String,
    /// |common| / |common ∪ only_student ∪ only_teacher| (1 when it has no neighbours in both).
    pub score: f64,
    /// Neighbours in both maps.
    pub common: Vec<String>,
    /// Neighbours only in the student's map.
    pub only_student: Vec<String>,
    /// Neighbours only in the teacher's map.
    pub only_teacher: Vec<String>,
}

/// The closeness index, per shared concept, with the concepts each map lacks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Closeness {
    /// The mean over shared concepts (undefined with none).
    pub index: Ratio,
    /// Per shared concept, in the teacher's order.
    pub per_concept: Vec<ConceptCloseness>,
    /// Teacher concepts missing from the student's map.
    pub missing_concepts: Vec<String>,
    /// Student concepts the teacher's map does not have.
    pub extra_concepts: Vec<String>,
}

/// Every score of a student's map against the teacher's, with explanations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapComparison {
    /// Precision, recall, F1, and which propositions matched.
    pub propositions: PropositionMatch,
    /// The Novak & Gowin structural score.
    pub novak_gowin: NovakGowin,
    /// The closeness index.
    pub closeness: Closeness,
}

type PropKey = (String, String, String);

/// A map with its keys computed.
struct Indexed<'a> {
    /// Concept id → (concept, key).
    by_id: BTreeMap<ConceptId, (&'a Concept, String)>,
    /// Concept key → the first concept with it (in the author's order).
    concepts: BTreeMap<String, &'a Concept>,
    /// Concept keys in the author's order (first occurrences).
    concept_order: Vec<String>,
    /// Proposition key → the first proposition with it.
    props: BTreeMap<PropKey, &'a Proposition>,
    /// Proposition keys in the author's order (first occurrences).
    prop_order: Vec<PropKey>,
    repeated: Vec<&'a Proposition>,
    /// The map's declared root.
    root: Option<ConceptId>,
}

impl<'a> Indexed<'a> {
    fn new(map: &'a ConceptMap, settings: &ScoringSettings) -> Self {
        let syn = &settings.synonyms;
        let mut by_id = BTreeMap::new();
        let mut concepts = BTreeMap::new();
        let mut concept_order = Vec::new();
        for c in map.concepts() {
            let key = syn.normalise(c.label.as_str());
            by_id.insert(c.id, (c, key.clone()));
            if !concepts.contains_key(&key) {
                concepts.insert(key.clone(), c);
                concept_order.push(key);
            }
        }
        let mut props = BTreeMap::new();
        let mut prop_order = Vec::new();
        let mut repeated = Vec::new();
        for p in map.propositions() {
            let (Some((_, from)), Some((_, to))) = (by_id.get(&p.from), by_id.get(&p.to)) else {
                continue;
            };
            let linking = if settings.match_linking_phrase {
                syn.normalise(p.linking.as_str())
            } else {
                String::new()
            };
            let key = (from.clone(), to.clone(), linking);
            if props.contains_key(&key) {
                repeated.push(p);
            } else {
                props.insert(key.clone(), p);
                prop_order.push(key);
            }
        }
        Self { by_id, concepts, concept_order, props, prop_order, repeated, root: map.root() }
    }

    fn text(&self, p: &Proposition) -> PropositionText {
        let label = |id| self.by_id.get(&id).map(|(c, _)| c.label.to_string()).unwrap_or_default();
        PropositionText { from: label(p.from), linking: p.linking.to_string(), to: label(p.to) }
    }

    fn is_example(&self, key: &str) -> bool {
        self.concepts.get(key).is_some_and(|c| c.kind == ConceptKind::Example)
    }

    /// The key of a concept id.
    fn key(&self, id: ConceptId) -> Option<&str> {
        self.by_id.get(&id).map(|(_, k)| k.as_str())
    }
}

/// Scores `student` against `teacher` (see the [module documentation](self) for definitions).
pub fn compare(
    student: &ConceptMap,
    teacher: &ConceptMap,
    settings: &ScoringSettings,
) -> MapComparison {
    let s = Indexed::new(student, settings);
    let t = Indexed::new(teacher, settings);
    let propositions = proposition_match(&s, &t);
    let valid: Vec<PropKey> =
        s.prop_order.iter().filter(|k| t.props.contains_key(*k)).cloned().collect();
    let own: Vec<PropKey> = t.prop_order.clone();
    let teacher_parts = structure(&t, &t, &own, settings);
    let mut novak_gowin = structure(&s, &t, &valid, settings);
    novak_gowin.teacher_total = teacher_parts.total;
    novak_gowin.relative = if teacher_parts.total == 0 {
        Ratio::undefined()
    } else {
        Ratio {
            value: f64::from(novak_gowin.total) / f64::from(teacher_parts.total),
            defined: true,
        }
    };
    let closeness = closeness(&s, &t);
    MapComparison { propositions, novak_gowin, closeness }
}

fn proposition_match(s: &Indexed<'_>, t: &Indexed<'_>) -> PropositionMatch {
    let mut matched_list = Vec::new();
    let mut missing = Vec::new();
    for key in &t.prop_order {
        let tp = t.props[key];
        match s.props.get(key) {
            Some(sp) => {
                matched_list.push(MatchedProposition { student: s.text(sp), teacher: t.text(tp) })
            }
            None => missing.push(t.text(tp)),
        }
    }
    let extra = s
        .prop_order
        .iter()
        .filter(|k| !t.props.contains_key(*k))
        .map(|k| s.text(s.props[k]))
        .collect();
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let matched = count(matched_list.len());
    let student_propositions = count(s.props.len());
    let teacher_propositions = count(t.props.len());
    let precision = Ratio::of(matched, student_propositions);
    let recall = Ratio::of(matched, teacher_propositions);
    let f1 = if precision.defined && recall.defined && precision.value + recall.value > 0.0 {
        Ratio {
            value: 2.0 * precision.value * recall.value / (precision.value + recall.value),
            defined: true,
        }
    } else {
        Ratio::undefined()
    };
    PropositionMatch {
        student_propositions,
        teacher_propositions,
        matched,
        precision,
        recall,
        f1,
        matched_list,
        missing,
        extra,
        repeated: s.repeated.iter().map(|p| s.text(p)).collect(),
    }
}

/// The Novak & Gowin components of `s` given its valid proposition keys (`valid`, in `s`'s
/// order); `t` is the teacher map (root and example marks).
fn structure(
    s: &Indexed<'_>,
    t: &Indexed<'_>,
    valid: &[PropKey],
    settings: &ScoringSettings,
) -> NovakGowin {
    let is_example = |k: &str| s.is_example(k) || t.is_example(k);
    let label = |k: &str| -> String {
        t.concepts
            .get(k)
            .or_else(|| s.concepts.get(k))
            .map(|c| c.label.to_string())
            .unwrap_or_else(|| k.to_owned())
    };
    // The hierarchy graph: valid propositions between two different non-example concepts.
    let mut down: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut has_incoming: BTreeSet<&str> = BTreeSet::new();
    for (from, to, _) in valid {
        if from != to && !is_example(from) && !is_example(to) {
            down.entry(from.as_str()).or_default().insert(to.as_str());
            down.entry(to.as_str()).or_default();
            has_incoming.insert(to.as_str());
        }
    }
    let bfs = |root: &str| -> (BTreeMap<String, u32>, BTreeMap<String, String>) {
        let mut level = BTreeMap::from([(root.to_owned(), 0u32)]);
        let mut branch: BTreeMap<String, String> = BTreeMap::new();
        let mut queue = VecDeque::from([root.to_owned()]);
        while let Some(u) = queue.pop_front() {
            let lu = level[&u];
            for v in down.get(u.as_str()).into_iter().flatten() {
                if !level.contains_key(*v) {
                    level.insert((*v).to_owned(), lu + 1);
                    let b = if lu == 0 { (*v).to_owned() } else { branch[&u].clone() };
                    branch.insert((*v).to_owned(), b);
                    queue.push_back((*v).to_owned());
                }
            }
        }
        (level, branch)
    };
    let (root, root_source) = match t.root {
        Some(id) => {
            let key = t.key(id).filter(|k| down.contains_key(k)).map(str::to_owned);
            match key {
                Some(k) => (Some(k), RootSource::Teacher),
                None => (None, RootSource::None),
            }
        }
        None => {
            let sources: Vec<&str> = down
                .iter()
                .filter(|(k, out)| !out.is_empty() && !has_incoming.contains(*k))
                .map(|(k, _)| *k)
                .collect();
            let candidates: Vec<&str> = if sources.is_empty() {
                down.iter().filter(|(_, out)| !out.is_empty()).map(|(k, _)| *k).collect()
            } else {
                sources
            };
            // Most reached concepts wins; on a tie the earlier (smaller) key stays.
            let mut best: Option<(&str, usize)> = None;
            for c in candidates {
                let reach = bfs(c).0.len();
                if best.is_none_or(|(_, r)| reach > r) {
                    best = Some((c, reach));
                }
            }
            match best {
                Some((k, _)) => (Some(k.to_owned()), RootSource::Inferred),
                None => (None, RootSource::None),
            }
        }
    };
    let (level, branch) = match &root {
        Some(r) => bfs(r),
        None => (BTreeMap::new(), BTreeMap::new()),
    };
    let hierarchy_levels = level.values().copied().max().unwrap_or(0);
    let mut levels: Vec<Vec<String>> = vec![Vec::new(); hierarchy_levels as usize];
    for (k, l) in &level {
        if *l > 0 {
            levels[(*l - 1) as usize].push(label(k));
        }
    }
    for l in &mut levels {
        l.sort();
    }
    let mut cross_link_list = Vec::new();
    let mut downward: BTreeMap<&str, u32> = BTreeMap::new();
    for key in valid {
        let (from, to, _) = key;
        let (Some(lf), Some(lt)) = (level.get(from), level.get(to)) else { continue };
        let cross = *lf > 0 && *lt > 0 && branch.get(from) != branch.get(to);
        if cross {
            cross_link_list.push(s.text(s.props[key]));
        } else if lt > lf {
            *downward.entry(from.as_str()).or_default() += 1;
        }
    }
    let mut branching_concepts: Vec<String> =
        downward.iter().filter(|(_, n)| **n >= 2).map(|(k, _)| label(k)).collect();
    branching_concepts.sort();
    let mut examples: BTreeSet<&str> = BTreeSet::new();
    for (from, to, _) in valid {
        for end in [from, to] {
            if is_example(end) {
                examples.insert(end.as_str());
            }
        }
    }
    let example_list: Vec<String> = examples.iter().map(|k| label(k)).collect();
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let w = settings.weights;
    let valid_propositions = count(valid.len());
    let branchings = count(branching_concepts.len());
    let cross_links = count(cross_link_list.len());
    let examples = count(example_list.len());
    let total = [
        (w.proposition, valid_propositions),
        (w.level, hierarchy_levels),
        (w.branching, branchings),
        (w.cross_link, cross_links),
        (w.example, examples),
    ]
    .iter()
    .fold(0u32, |acc, (w, n)| acc.saturating_add(w.saturating_mul(*n)));
    NovakGowin {
        weights: w,
        valid_propositions,
        hierarchy_levels,
        branchings,
        cross_links,
        examples,
        total,
        teacher_total: 0,
        relative: Ratio::undefined(),
        root: root.as_deref().map(label),
        root_source,
        levels,
        branching_concepts,
        cross_link_list,
        example_list,
    }
}

fn neighbours<'m>(m: &'m Indexed<'_>) -> BTreeMap<&'m str, BTreeSet<&'m str>> {
    let mut n: BTreeMap<&str, BTreeSet<&str>> =
        m.concepts.keys().map(|k| (k.as_str(), BTreeSet::new())).collect();
    for (from, to, _) in &m.prop_order {
        if from != to {
            n.entry(from.as_str()).or_default().insert(to.as_str());
            n.entry(to.as_str()).or_default().insert(from.as_str());
        }
    }
    n
}

fn closeness(s: &Indexed<'_>, t: &Indexed<'_>) -> Closeness {
    let ns = neighbours(s);
    let nt = neighbours(t);
    let label = |k: &str| -> String {
        t.concepts
            .get(k)
            .or_else(|| s.concepts.get(k))
            .map(|c| c.label.to_string())
            .unwrap_or_else(|| k.to_owned())
    };
    let labels =
        |set: BTreeSet<&&str>| -> Vec<String> { set.into_iter().map(|k| label(k)).collect() };
    let mut per_concept = Vec::new();
    let mut missing_concepts = Vec::new();
    let empty = BTreeSet::new();
    let mut sum = 0.0;
    for key in &t.concept_order {
        if !s.concepts.contains_key(key) {
            missing_concepts.push(label(key));
            continue;
        }
        let a = ns.get(key.as_str()).unwrap_or(&empty);
        let b = nt.get(key.as_str()).unwrap_or(&empty);
        let common: BTreeSet<&&str> = a.intersection(b).collect();
        let union = a.union(b).count();
        let score = if union == 0 { 1.0 } else { common.len() as f64 / union as f64 };
        sum += score;
        per_concept.push(ConceptCloseness {
            concept: label(key),
            score,
            common: labels(common),
            only_student: labels(a.difference(b).collect()),
            only_teacher: labels(b.difference(a).collect()),
        });
    }
    let extra_concepts =
        s.concept_order.iter().filter(|k| !t.concepts.contains_key(*k)).map(|k| label(k)).collect();
    let index = if per_concept.is_empty() {
        Ratio::undefined()
    } else {
        Ratio { value: sum / per_concept.len() as f64, defined: true }
    };
    Closeness { index, per_concept, missing_concepts, extra_concepts }
}

#[cfg(test)]
mod tests {
    use super::super::MapDraft;
    use super::super::fixtures::draft;
    use super::*;
    use proptest::prelude::*;

    /// The teacher's map: plants (root «Растения», «Берёза» is an example).
    fn teacher(root: Option<u128>) -> ConceptMap {
        ConceptMap::try_from(draft(
            &[
                (1, "Растения", false),
                (2, "Листья", false),
                (3, "Корни", false),
                (4, "Хлорофилл", false),
                (5, "Вода", false),
                (6, "Фотосинтез", false),
                (7, "Берёза", true),
            ],
            &[
                (1, "имеют", 2),
                (1, "имеют", 3),
                (2, "содержат", 4),
                (3, "всасывают", 5),
                (5, "нужна для", 6),
                (4, "участвует в", 6),
                (1, "например", 7),
            ],
            root,
        ))
        .unwrap()
    }

    fn student() -> ConceptMap {
        ConceptMap::try_from(draft(
            &[
                (11, "растение", false),
                (12, "листья", false),
                (13, "Хлорофилл.", false),
                (14, "ФОТОСИНТЕЗ", false),
                (15, "Солнце", false),
                (16, "береза", false),
                (17, "корни", false),
            ],
            &[
                (11, "имеет", 12),
                (12, "содержат", 13),
                (13, "участвует  в", 14),
                (15, "нужно для", 14),
                (11, "например:", 16),
                (11, "имеют", 17),
                (17, "содержат", 13),
            ],
            None,
        ))
        .unwrap()
    }

    fn settings(synonyms: &[(&str, &str)], match_linking_phrase: bool) -> ScoringSettings {
        ScoringSettings {
            synonyms: Synonyms::new(synonyms.iter().copied()).unwrap(),
            match_linking_phrase,
            weights: NovakGowinWeights::default(),
        }
    }

    const SYN: &[(&str, &str)] = &[("растение", "растения"), ("имеет", "имеют")];

    /// What a comparison is expected to give, component by component.
    #[derive(Debug, PartialEq)]
    struct Expected {
        /// (matched, student propositions, teacher propositions)
        counts: (u32, u32, u32),
        /// (precision, recall, f1), `None` when undefined
        prf: (Option<f64>, Option<f64>, Option<f64>),
        /// (valid propositions, levels, branchings, cross-links, examples, total, teacher total)
        ng: (u32, u32, u32, u32, u32, u32, u32),
        root: (Option<&'static str>, RootSource),
        closeness: Option<f64>,
    }

    fn opt(r: Ratio) -> Option<f64> {
        r.defined.then_some((r.value * 1e6).round() / 1e6)
    }

    fn check(student: &ConceptMap, teacher: &ConceptMap, settings: &ScoringSettings, e: Expected) {
        let c = compare(student, teacher, settings);
        let p = &c.propositions;
        let n = &c.novak_gowin;
        let got = Expected {
            counts: (p.matched, p.student_propositions, p.teacher_propositions),
            prf: (opt(p.precision), opt(p.recall), opt(p.f1)),
            ng: (
                n.valid_propositions,
                n.hierarchy_levels,
                n.branchings,
                n.cross_links,
                n.examples,
                n.total,
                n.teacher_total,
            ),
            root: (e.root.0, n.root_source),
            closeness: opt(c.closeness.index),
        };
        assert_eq!(n.root.as_deref(), e.root.0, "root");
        let round = |x: Option<f64>| x.map(|v| (v * 1e6).round() / 1e6);
        let e = Expected {
            prf: (round(e.prf.0), round(e.prf.1), round(e.prf.2)),
            closeness: round(e.closeness),
            ..e
        };
        assert_eq!(got, e);
    }

    #[test]
    fn scores_components() {
        let five_sevenths = Some(5.0 / 7.0);
        // With the teacher's synonyms: 5 of 7 propositions match.
        check(
            &student(),
            &teacher(Some(1)),
            &settings(SYN, true),
            Expected {
                counts: (5, 7, 7),
                prf: (five_sevenths, five_sevenths, five_sevenths),
                ng: (5, 3, 1, 0, 1, 22, 34),
                root: (Some("Растения"), RootSource::Teacher),
                closeness: Some(13.0 / 18.0),
            },
        );
        // No declared root: inferred as the source reaching the most concepts.
        check(
            &student(),
            &teacher(None),
            &settings(SYN, true),
            Expected {
                counts: (5, 7, 7),
                prf: (five_sevenths, five_sevenths, five_sevenths),
                ng: (5, 3, 1, 0, 1, 22, 34),
                root: (Some("Растения"), RootSource::Inferred),
                closeness: Some(13.0 / 18.0),
            },
        );
        // Without synonyms «растение» ≠ «Растения»: only 2 propositions match; the teacher's
        // root is not in the student's hierarchy.
        check(
            &student(),
            &teacher(Some(1)),
            &settings(&[], true),
            Expected {
                counts: (2, 7, 7),
                prf: (Some(2.0 / 7.0), Some(2.0 / 7.0), Some(2.0 / 7.0)),
                ng: (2, 0, 0, 0, 0, 2, 34),
                root: (None, RootSource::None),
                // растения is not shared; листья {растение, хлорофилл} vs {растения,
                // хлорофилл}: 1/3; корни {растение, хлорофилл} vs {растения, вода}: 0;
                // хлорофилл 2/3; фотосинтез 1/3; береза {растение} vs {растения}: 0.
                closeness: Some((1.0 / 3.0 + 0.0 + 2.0 / 3.0 + 1.0 / 3.0 + 0.0) / 5.0),
            },
        );
        // Linking phrases ignored: «имеет» now matches without a synonym.
        check(
            &student(),
            &teacher(Some(1)),
            &settings(&[("растение", "растения")], false),
            Expected {
                counts: (5, 7, 7),
                prf: (five_sevenths, five_sevenths, five_sevenths),
                ng: (5, 3, 1, 0, 1, 22, 34),
                root: (Some("Растения"), RootSource::Teacher),
                closeness: Some(13.0 / 18.0),
            },
        );
        // The teacher's map against itself: every component counted, one cross-link.
        check(
            &teacher(Some(1)),
            &teacher(Some(1)),
            &settings(&[], true),
            Expected {
                counts: (7, 7, 7),
                prf: (Some(1.0), Some(1.0), Some(1.0)),
                ng: (7, 3, 1, 1, 1, 34, 34),
                root: (Some("Растения"), RootSource::Teacher),
                closeness: Some(1.0),
            },
        );
        // An empty student map: precision and F1 undefined, recall 0.
        let empty = ConceptMap::try_from(MapDraft::default()).unwrap();
        check(
            &empty,
            &teacher(Some(1)),
            &settings(&[], true),
            Expected {
                counts: (0, 0, 7),
                prf: (None, Some(0.0), None),
                ng: (0, 0, 0, 0, 0, 0, 34),
                root: (None, RootSource::None),
                closeness: None,
            },
        );
        // An empty teacher map: nothing to compare with.
        check(
            &teacher(Some(1)),
            &empty,
            &settings(&[], true),
            Expected {
                counts: (0, 7, 0),
                prf: (Some(0.0), None, None),
                ng: (0, 0, 0, 0, 0, 0, 0),
                root: (None, RootSource::None),
                closeness: None,
            },
        );
    }

    #[test]
    fn explains_matched_missing_and_extra() {
        let c = compare(&student(), &teacher(Some(1)), &settings(SYN, true));
        let t = |from: &str, linking: &str, to: &str| PropositionText {
            from: from.into(),
            linking: linking.into(),
            to: to.into(),
        };
        let p = &c.propositions;
        assert_eq!(
            p.matched_list[0],
            MatchedProposition {
                student: t("растение", "имеет", "листья"),
                teacher: t("Растения", "имеют", "Листья"),
            }
        );
        assert_eq!(p.matched_list.len(), 5);
        assert_eq!(
            p.missing,
            vec![t("Корни", "всасывают", "Вода"), t("Вода", "нужна для", "Фотосинтез")]
        );
        assert_eq!(
            p.extra,
            vec![t("Солнце", "нужно для", "ФОТОСИНТЕЗ"), t("корни", "содержат", "Хлорофилл.")]
        );
        assert!(p.repeated.is_empty());
        let n = &c.novak_gowin;
        assert_eq!(
            n.levels,
            vec![
                vec!["Корни".to_owned(), "Листья".into()],
                vec!["Хлорофилл".into()],
                vec!["Фотосинтез".into()]
            ]
        );
        assert_eq!(n.branching_concepts, vec!["Растения".to_owned()]);
        assert_eq!(n.example_list, vec!["Берёза".to_owned()]);
        assert!((n.relative.value - 22.0 / 34.0).abs() < 1e-12 && n.relative.defined);
        assert_eq!(c.closeness.missing_concepts, vec!["Вода".to_owned()]);
        assert_eq!(c.closeness.extra_concepts, vec!["Солнце".to_owned()]);
        let roots = &c.closeness.per_concept[2];
        assert_eq!(roots.concept, "Корни");
        assert_eq!(roots.common, vec!["Растения".to_owned()]);
        assert_eq!(roots.only_student, vec!["Хлорофилл".to_owned()]);
        assert_eq!(roots.only_teacher, vec!["Вода".to_owned()]);

        let self_c = compare(&teacher(Some(1)), &teacher(Some(1)), &settings(&[], true));
        assert_eq!(
            self_c.novak_gowin.cross_link_list,
            vec![t("Хлорофилл", "участвует в", "Фотосинтез")]
        );
    }

    #[test]
    fn repeats_after_synonyms_are_listed_not_scored() {
        let s = ConceptMap::try_from(draft(
            &[(1, "растение", false), (2, "Растения", false), (3, "Листья", false)],
            &[(1, "имеют", 3), (2, "имеют", 3)],
            None,
        ))
        .unwrap();
        let c = compare(&s, &teacher(Some(1)), &settings(SYN, true));
        assert_eq!(c.propositions.student_propositions, 1);
        assert_eq!(c.propositions.matched, 1);
        assert_eq!(c.propositions.repeated.len(), 1);
        assert_eq!(c.propositions.repeated[0].from, "Растения");
    }

    #[test]
    fn comparison_round_trips_through_json() {
        let c = compare(&student(), &teacher(Some(1)), &settings(SYN, true));
        let json = serde_json::to_string(&c).unwrap();
        let back: MapComparison = serde_json::from_str(&json).unwrap();
        assert_eq!(serde_json::to_string(&back).unwrap(), json);
        let s = settings(SYN, false);
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<ScoringSettings>(&json).unwrap(), s);
        let defaults: ScoringSettings = serde_json::from_str("{}").unwrap();
        assert_eq!(defaults, ScoringSettings::default());
    }

    /// A random valid map over labels «понятие 0..8», phrases from a small pool.
    fn arb_map() -> impl Strategy<Value = ConceptMap> {
        (
            proptest::collection::btree_set(0u128..8, 1..8),
            proptest::collection::vec((0u128..8, 0usize..3, 0u128..8), 0..16),
            proptest::collection::vec(any::<bool>(), 8),
            proptest::option::of(0u128..8),
        )
            .prop_map(|(ids, links, examples, root)| {
                let phrases = ["содержит", "является", "например"];
                let labels: Vec<String> = (0..8).map(|i| format!("понятие {i}")).collect();
                let concepts: Vec<(u128, &str, bool)> = ids
                    .iter()
                    .map(|i| (*i, labels[*i as usize].as_str(), examples[*i as usize]))
                    .collect();
                let mut seen = BTreeSet::new();
                let links: Vec<(u128, &str, u128)> = links
                    .into_iter()
                    .filter(|(f, p, t)| {
                        f != t && ids.contains(f) && ids.contains(t) && seen.insert((*f, *p, *t))
                    })
                    .map(|(f, p, t)| (f, phrases[p], t))
                    .collect();
                let root = root.filter(|r| ids.contains(r));
                ConceptMap::try_from(draft(&concepts, &links, root)).unwrap()
            })
    }

    proptest! {
        #[test]
        fn scores_stay_in_range(s in arb_map(), t in arb_map(), phrase in any::<bool>()) {
            let c = compare(&s, &t, &settings(&[], phrase));
            for r in [c.propositions.precision, c.propositions.recall, c.propositions.f1, c.closeness.index] {
                prop_assert!((0.0..=1.0).contains(&r.value), "{r:?}");
                prop_assert!(r.defined || r.value == 0.0);
            }
            for cc in &c.closeness.per_concept {
                prop_assert!((0.0..=1.0).contains(&cc.score));
            }
            let n = &c.novak_gowin;
            prop_assert!(n.relative.value >= 0.0);
            prop_assert!(n.valid_propositions <= c.propositions.matched);
            prop_assert_eq!(
                n.total,
                n.valid_propositions + 5 * n.hierarchy_levels + n.branchings + 10 * n.cross_links + n.examples
            );
            prop_assert_eq!(
                c.propositions.matched_list.len() + c.propositions.missing.len(),
                c.propositions.teacher_propositions as usize
            );
            prop_assert_eq!(
                c.propositions.matched as usize + c.propositions.extra.len(),
                c.propositions.student_propositions as usize
            );
        }

        #[test]
        fn a_map_matches_itself(m in arb_map(), phrase in any::<bool>()) {
            let c = compare(&m, &m, &settings(&[], phrase));
            prop_assert_eq!(c.closeness.index, Ratio { value: 1.0, defined: true });
            prop_assert_eq!(c.novak_gowin.total, c.novak_gowin.teacher_total);
            if !m.propositions().is_empty() {
                let one = Ratio { value: 1.0, defined: true };
                prop_assert_eq!(c.propositions.precision, one);
                prop_assert_eq!(c.propositions.recall, one);
                prop_assert_eq!(c.propositions.f1, one);
                prop_assert_eq!(c.novak_gowin.relative, one);
            }
        }

        #[test]
        fn maps_round_trip_through_json(m in arb_map()) {
            let json = serde_json::to_string(&m).unwrap();
            prop_assert_eq!(serde_json::from_str::<ConceptMap>(&json).unwrap(), m);
        }
    }
}
