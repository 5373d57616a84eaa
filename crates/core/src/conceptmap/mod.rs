//! Concept maps (карты понятий): the map itself, its validation, and scoring a student's map
//! against the teacher's (criterion) map.
//!
//! A [`ConceptMap`] has concepts (id, label, kind: [`ConceptKind::Concept`] or
//! [`ConceptKind::Example`]) and propositions: directed links from one concept to another with a
//! linking phrase («растения» —*выделяют*→ «кислород»), and optionally a declared root concept.
//!
//! Labels and linking phrases are compared through *keys* made by [`normalise`] (case, `ё`,
//! punctuation, spaces, then the teacher's [`Synonyms`]).
//!
//! [`validate`] returns **all** problems of a map draft at once, typed ([`MapProblem`]): bad or
//! empty labels and phrases, duplicate ids, dangling links, self-links, duplicate propositions and
//! duplicate concept labels (both after normalisation), an unknown root.
//!
//! Scoring ([`compare`], in [`score`]) reports components, each with an explanation a teacher can
//! read (which propositions matched, which are missing, which are extra): the Novak & Gowin
//! structural score, proposition precision/recall/F1 and the closeness index. The exact
//! definitions are in the documentation of the [`score`] module.
//!
//! A lesson's maps as stored — the teacher's criterion map with synonyms per concept, and each
//! student's — are [`stored::LessonMap`]s, a collection of [`crate::dataset`].

pub mod edit;
pub mod marked;
pub mod normalise;
pub mod score;
pub mod stored;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::ids::ConceptId;
use crate::text::{Name, TextError};

/// Why a label or a linking phrase was refused (a stored copy of [`TextError`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum TextFault {
    /// Nothing but white space.
    #[error("it is empty")]
    Empty,
    /// Longer than allowed.
    #[error("it is {len} characters long; at most {max} are allowed")]
    TooLong {
        /// Characters after folding white space.
        len: usize,
        /// The limit.
        max: usize,
    },
}

impl From<TextError> for TextFault {
    fn from(value: TextError) -> Self {
        match value {
            TextError::Empty => Self::Empty,
            TextError::TooLong { len, max } => Self::TooLong { len, max },
        }
    }
}

pub use normalise::{SynonymError, Synonyms, normalise_text};
pub use score::{
    Closeness, ConceptCloseness, MapComparison, MatchedProposition, NovakGowin, NovakGowinWeights,
    PropositionMatch, PropositionText, Ratio, RootSource, ScoringSettings, compare,
};

/// Most characters in a concept label.
pub const MAX_LABEL_CHARS: usize = 200;
/// Most characters in a linking phrase.
pub const MAX_LINKING_CHARS: usize = 200;

/// What a node of the map stands for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConceptKind {
    /// A concept (понятие).
    #[default]
    Concept,
    /// A specific example of a concept (пример).
    Example,
}

/// A validated concept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Concept {
    /// Its id inside the map.
    pub id: ConceptId,
    /// The label as written (trimmed, spaces folded).
    pub label: Name,
    /// Concept or example.
    #[serde(default)]
    pub kind: ConceptKind,
}

/// A validated proposition: `from` —`linking`→ `to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposition {
    /// The source concept.
    pub from: ConceptId,
    /// The linking phrase as written.
    pub linking: Name,
    /// The target concept.
    pub to: ConceptId,
}

/// A concept as typed, before validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConceptDraft {
    /// Its id inside the map.
    pub id: ConceptId,
    /// The label as typed.
    pub label: String,
    /// Concept or example.
    #[serde(default)]
    pub kind: ConceptKind,
}

/// A proposition as drawn, before validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PropositionDraft {
    /// The source concept.
    pub from: ConceptId,
    /// The linking phrase as typed.
    pub linking: String,
    /// The target concept.
    pub to: ConceptId,
}

/// A map as drawn, before validation (also the stored form of a [`ConceptMap`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MapDraft {
    /// The concepts.
    pub concepts: Vec<ConceptDraft>,
    /// The propositions.
    pub propositions: Vec<PropositionDraft>,
    /// The most general concept, if the author chose one.
    #[serde(default)]
    pub root: Option<ConceptId>,
}

/// One problem of a map draft. Indices count from 0 in the draft's lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum MapProblem {
    /// Two concepts share an id.
    #[error("two concepts have the same id {id}")]
    DuplicateConceptId {
        /// The id.
        id: ConceptId,
    },
    /// A label is empty or too long.
    #[error("concept {concept}: the label is not acceptable: {error}")]
    BadLabel {
        /// The concept.
        concept: ConceptId,
        /// Why.
        error: TextFault,
    },
    /// A label has no letters or digits, so it cannot be matched.
    #[error("concept {concept}: the label «{label}» has no letters or digits")]
    LabelWithoutWords {
        /// The concept.
        concept: ConceptId,
        /// The label as typed.
        label: String,
    },
    /// Two concepts have the same label after normalisation.
    #[error("concepts {first} and {second} have the same label «{key}» (after normalisation)")]
    DuplicateLabel {
        /// The earlier concept.
        first: ConceptId,
        /// The later concept.
        second: ConceptId,
        /// The shared normalised label.
        key: String,
    },
    /// A linking phrase is empty or too long.
    #[error("link {index}: the linking phrase is not acceptable: {error}")]
    BadLinkingPhrase {
        /// The proposition.
        index: usize,
        /// Why.
        error: TextFault,
    },
    /// A linking phrase has no letters or digits.
    #[error("link {index}: the linking phrase «{linking}» has no letters or digits")]
    LinkingWithoutWords {
        /// The proposition.
        index: usize,
        /// The phrase as typed.
        linking: String,
    },
    /// A link points to a concept that is not in the map.
    #[error("link {index} refers to concept {missing}, which is not in the map")]
    DanglingLink {
        /// The proposition.
        index: usize,
        /// The missing concept id.
        missing: ConceptId,
    },
    /// A link goes from a concept to itself.
    #[error("link {index} goes from concept {concept} to itself")]
    SelfLink {
        /// The proposition.
        index: usize,
        /// The concept.
        concept: ConceptId,
    },
    /// Two links say the same thing (same ends, same phrase after normalisation).
    #[error("links {first} and {second} are the same proposition (after normalisation)")]
    DuplicateProposition {
        /// The earlier proposition.
        first: usize,
        /// The later proposition.
        second: usize,
    },
    /// The declared root is not a concept of the map.
    #[error("the root {root} is not a concept of the map")]
    UnknownRoot {
        /// The declared root.
        root: ConceptId,
    },
}

/// All the problems of a refused map draft (never empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MapProblems(pub Vec<MapProblem>);

impl fmt::Display for MapProblems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the concept map has {} problem(s)", self.0.len())?;
        for (i, p) in self.0.iter().enumerate() {
            write!(f, "{} {p}", if i == 0 { ":" } else { ";" })?;
        }
        Ok(())
    }
}

impl std::error::Error for MapProblems {}

/// Checks a draft and returns every problem found, in a stable order (concepts, then links,
/// then the root). Labels and phrases are compared after normalisation with `synonyms`.
pub fn validate(draft: &MapDraft, synonyms: &Synonyms) -> Vec<MapProblem> {
    let mut problems = Vec::new();
    let mut ids = BTreeSet::new();
    let mut labels: BTreeMap<String, ConceptId> = BTreeMap::new();
    // Each concept id's normalised label (the first concept with that id).
    let mut key_of: BTreeMap<ConceptId, String> = BTreeMap::new();
    for c in &draft.concepts {
        if !ids.insert(c.id) {
            problems.push(MapProblem::DuplicateConceptId { id: c.id });
        }
        if let Err(error) = Name::parse_with_limit(&c.label, MAX_LABEL_CHARS) {
            problems.push(MapProblem::BadLabel { concept: c.id, error: error.into() });
            continue;
        }
        let key = synonyms.normalise(&c.label);
        key_of.entry(c.id).or_insert_with(|| key.clone());
        if key.is_empty() {
            problems.push(MapProblem::LabelWithoutWords { concept: c.id, label: c.label.clone() });
            continue;
        }
        match labels.get(&key) {
            Some(first) => {
                problems.push(MapProblem::DuplicateLabel { first: *first, second: c.id, key })
            }
            None => {
                labels.insert(key, c.id);
            }
        }
    }
    // Propositions are compared by the normalised labels of their ends (the id when a label is
    // unusable) and the normalised phrase.
    let end_key = |id: &ConceptId| match key_of.get(id) {
        Some(k) if !k.is_empty() => k.clone(),
        _ => format!("#{id}"),
    };
    let mut seen: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    for (index, p) in draft.propositions.iter().enumerate() {
        let mut ends_ok = true;
        for end in [p.from, p.to] {
            if !ids.contains(&end) {
                problems.push(MapProblem::DanglingLink { index, missing: end });
                ends_ok = false;
            }
        }
        if p.from == p.to {
            problems.push(MapProblem::SelfLink { index, concept: p.from });
            ends_ok = false;
        }
        if let Err(error) = Name::parse_with_limit(&p.linking, MAX_LINKING_CHARS) {
            problems.push(MapProblem::BadLinkingPhrase { index, error: error.into() });
            continue;
        }
        let phrase = synonyms.normalise(&p.linking);
        if phrase.is_empty() {
            problems.push(MapProblem::LinkingWithoutWords { index, linking: p.linking.clone() });
            continue;
        }
        if ends_ok {
            let key = (end_key(&p.from), end_key(&p.to), phrase);
            match seen.get(&key) {
                Some(first) => {
                    problems.push(MapProblem::DuplicateProposition { first: *first, second: index })
                }
                None => {
                    seen.insert(key, index);
                }
            }
        }
    }
    if let Some(root) = draft.root
        && !ids.contains(&root)
    {
        problems.push(MapProblem::UnknownRoot { root });
    }
    problems
}

/// A valid concept map: unique ids, labels unique after normalisation, every link between two
/// different existing concepts, no duplicate propositions, a known root (if any).
///
/// Deserialisation validates without synonyms; use [`ConceptMap::new`] with the teacher's
/// synonyms to also refuse labels that only the synonym list makes equal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "MapDraft", into = "MapDraft")]
pub struct ConceptMap {
    concepts: Vec<Concept>,
    propositions: Vec<Proposition>,
    root: Option<ConceptId>,
}

impl ConceptMap {
    /// Validates a draft (labels compared after normalisation with `synonyms`).
    pub fn new(draft: MapDraft, synonyms: &Synonyms) -> Result<Self, MapProblems> {
        let problems = validate(&draft, synonyms);
        if !problems.is_empty() {
            return Err(MapProblems(problems));
        }
        let name = |s: &str, max| {
            Name::parse_with_limit(s, max).map_err(|_| MapProblems(validate(&draft, synonyms)))
        };
        let mut concepts = Vec::with_capacity(draft.concepts.len());
        for c in &draft.concepts {
            concepts.push(Concept {
                id: c.id,
                label: name(&c.label, MAX_LABEL_CHARS)?,
                kind: c.kind,
            });
        }
        let mut propositions = Vec::with_capacity(draft.propositions.len());
        for p in &draft.propositions {
            propositions.push(Proposition {
                from: p.from,
                linking: name(&p.linking, MAX_LINKING_CHARS)?,
                to: p.to,
            });
        }
        Ok(Self { concepts, propositions, root: draft.root })
    }

    /// The concepts, in the author's order.
    pub fn concepts(&self) -> &[Concept] {
        &self.concepts
    }

    /// The propositions, in the author's order.
    pub fn propositions(&self) -> &[Proposition] {
        &self.propositions
    }

    /// The declared root, if any.
    pub fn root(&self) -> Option<ConceptId> {
        self.root
    }

    /// The concept with this id.
    pub fn concept(&self, id: ConceptId) -> Option<&Concept> {
        self.concepts.iter().find(|c| c.id == id)
    }
}

impl TryFrom<MapDraft> for ConceptMap {
    type Error = MapProblems;
    fn try_from(value: MapDraft) -> Result<Self, Self::Error> {
        Self::new(value, &Synonyms::none())
    }
}

impl From<ConceptMap> for MapDraft {
    fn from(value: ConceptMap) -> Self {
        MapDraft {
            concepts: value
                .concepts
                .into_iter()
                .map(|c| ConceptDraft { id: c.id, label: c.label.into(), kind: c.kind })
                .collect(),
            propositions: value
                .propositions
                .into_iter()
                .map(|p| PropositionDraft { from: p.from, linking: p.linking.into(), to: p.to })
                .collect(),
            root: value.root,
        }
    }
}

/// Test and fixture helpers shared by this module's tests.
#[cfg(test)]
pub(crate) mod fixtures {
    use super::*;

    /// Concept id `n`.
    pub fn cid(n: u128) -> ConceptId {
        ConceptId::from_u128(n)
    }

    /// A draft from `(id, label, is_example)` and `(from, phrase, to)` lists.
    pub fn draft(
        concepts: &[(u128, &str, bool)],
        links: &[(u128, &str, u128)],
        root: Option<u128>,
    ) -> MapDraft {
        MapDraft {
            concepts: concepts
                .iter()
                .map(|(id, label, ex)| ConceptDraft {
                    id: cid(*id),
                    label: (*label).to_owned(),
                    kind: if *ex { ConceptKind::Example } else { ConceptKind::Concept },
                })
                .collect(),
            propositions: links
                .iter()
                .map(|(f, l, t)| PropositionDraft {
                    from: cid(*f),
                    linking: (*l).to_owned(),
                    to: cid(*t),
                })
                .collect(),
            root: root.map(cid),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::{cid, draft};
    use super::*;

    fn check(d: MapDraft, synonyms: &[(&str, &str)], expected: Vec<MapProblem>) {
        let syn = Synonyms::new(synonyms.iter().copied()).unwrap();
        assert_eq!(validate(&d, &syn), expected);
        assert_eq!(
            ConceptMap::new(d, &syn).err().map(|e| e.0),
            Some(expected).filter(|e| !e.is_empty())
        );
    }

    #[test]
    fn validation_reports_every_problem() {
        use MapProblem::*;
        check(
            draft(
                &[(1, "Растения", false), (2, "Кислород", false)],
                &[(1, "выделяют", 2)],
                Some(1),
            ),
            &[],
            vec![],
        );
        check(
            draft(
                &[
                    (1, "Растения", false),
                    (2, "растения!", false),
                    (1, "Вода", false),
                    (3, " ", false),
                    (4, "???", false),
                ],
                &[
                    (1, "выделяют", 9),
                    (1, "x", 1),
                    (1, "поглощают", 3),
                    (1, "Поглощают.", 3),
                    (1, "", 3),
                    (1, "—", 3),
                ],
                Some(7),
            ),
            &[],
            vec![
                DuplicateLabel { first: cid(1), second: cid(2), key: "растения".into() },
                DuplicateConceptId { id: cid(1) },
                BadLabel { concept: cid(3), error: TextFault::Empty },
                LabelWithoutWords { concept: cid(4), label: "???".into() },
                DanglingLink { index: 0, missing: cid(9) },
                SelfLink { index: 1, concept: cid(1) },
                DuplicateProposition { first: 2, second: 3 },
                BadLinkingPhrase { index: 4, error: TextFault::Empty },
                LinkingWithoutWords { index: 5, linking: "—".into() },
                UnknownRoot { root: cid(7) },
            ],
        );
        // Only the teacher's synonym list makes the two labels equal.
        check(
            draft(&[(1, "Растение", false), (2, "растения", false)], &[], None),
            &[("растение", "растения")],
            vec![DuplicateLabel { first: cid(1), second: cid(2), key: "растения".into() }],
        );
        check(draft(&[(1, "Растение", false), (2, "растения", false)], &[], None), &[], vec![]);
        // Links from two concepts that only the synonym list makes equal say the same thing.
        check(
            draft(
                &[(1, "Растение", false), (2, "растения", false), (3, "Лист", false)],
                &[(1, "имеют", 3), (2, "Имеют", 3)],
                None,
            ),
            &[("растение", "растения")],
            vec![
                DuplicateLabel { first: cid(1), second: cid(2), key: "растения".into() },
                DuplicateProposition { first: 0, second: 1 },
            ],
        );
        // Same ends, different phrases: two different propositions.
        check(
            draft(
                &[(1, "a", false), (2, "b", false)],
                &[(1, "содержит", 2), (1, "образует", 2)],
                None,
            ),
            &[],
            vec![],
        );
    }

    #[test]
    fn map_round_trips_through_json() {
        let d = draft(&[(1, "Растения", false), (2, "роза", true)], &[(1, "например", 2)], Some(1));
        let map = ConceptMap::new(d.clone(), &Synonyms::none()).unwrap();
        let json = serde_json::to_string(&map).unwrap();
        assert!(json.contains("\"kind\":\"example\""));
        assert_eq!(serde_json::from_str::<ConceptMap>(&json).unwrap(), map);
        assert_eq!(MapDraft::from(map), d);
        let bad = serde_json::to_string(&draft(&[(1, "a", false)], &[(1, "x", 1)], None)).unwrap();
        let err = serde_json::from_str::<ConceptMap>(&bad).unwrap_err().to_string();
        assert!(err.contains("goes from concept"), "{err}");
    }

    #[test]
    fn problems_serialise_with_a_tag() {
        let p = MapProblem::SelfLink { index: 2, concept: cid(1) };
        let json = serde_json::to_string(&p).unwrap();
        assert!(json.starts_with("{\"problem\":\"self_link\""), "{json}");
        assert_eq!(serde_json::from_str::<MapProblem>(&json).unwrap(), p);
    }
}
