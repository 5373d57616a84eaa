//! A student's map marked against the teacher's, for drawing: each of the student's
//! propositions matched, extra or a repeat, and the teacher's propositions the student lacks,
//! with their ends found among the student's concepts where the student has them.
//!
//! Keys are those of [`super::score`] (the teacher's synonyms, the phrase compared when
//! [`ScoringSettings::match_linking_phrase`] is on), so the marks agree with [`super::compare`]:
//! as many distinct matched marks as `matched`, extras as `extra`, missing as `missing`.

use std::collections::{BTreeMap, BTreeSet};

use super::stored::LessonMap;
use super::{ConceptMap, ScoringSettings};
use crate::ids::ConceptId;

/// How one of the student's propositions compares with the teacher's map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// The teacher's map has it.
    Matched,
    /// The teacher's map does not have it.
    Extra,
    /// It repeats an earlier proposition of the student's (not scored).
    Repeated,
}

/// One end of a missing proposition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum End {
    /// A concept of the student's map.
    Student(ConceptId),
    /// A concept only the teacher's map has: its label there.
    Absent(String),
}

/// A teacher's proposition the student's map lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    /// The source.
    pub from: End,
    /// The teacher's linking phrase.
    pub linking: String,
    /// The target.
    pub to: End,
}

/// The student's map marked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marked {
    /// One mark per proposition of the student's map, in its order.
    pub student: Vec<Mark>,
    /// The teacher's propositions the student lacks, in the teacher's order.
    pub missing: Vec<Missing>,
    /// The labels of the teacher's concepts the student's map does not have, in the teacher's
    /// order (the absent ends of [`Marked::missing`] among them).
    pub absent: Vec<String>,
}

/// Marks `student` against `teacher` with the teacher's synonyms.
pub fn mark(student: &LessonMap, teacher: &LessonMap) -> Marked {
    mark_maps(student.map(), teacher.map(), &teacher.settings())
}

/// Marks `student` against `teacher` with `settings` (see the module documentation).
pub fn mark_maps(student: &ConceptMap, teacher: &ConceptMap, settings: &ScoringSettings) -> Marked {
    let syn = &settings.synonyms;
    let key_of = |m: &ConceptMap| -> BTreeMap<ConceptId, String> {
        m.concepts().iter().map(|c| (c.id, syn.normalise(c.label.as_str()))).collect()
    };
    let (s_keys, t_keys) = (key_of(student), key_of(teacher));
    let phrase =
        |p: &str| if settings.match_linking_phrase { syn.normalise(p) } else { String::new() };
    let prop_key = |keys: &BTreeMap<ConceptId, String>, p: &super::Proposition| {
        Some((keys.get(&p.from)?.clone(), keys.get(&p.to)?.clone(), phrase(p.linking.as_str())))
    };
    let teacher_props: BTreeSet<_> =
        teacher.propositions().iter().filter_map(|p| prop_key(&t_keys, p)).collect();
    let mut seen = BTreeSet::new();
    let marks = student
        .propositions()
        .iter()
        .map(|p| match prop_key(&s_keys, p) {
            Some(k) if !seen.insert(k.clone()) => Mark::Repeated,
            Some(k) if teacher_props.contains(&k) => Mark::Matched,
            _ => Mark::Extra,
        })
        .collect();
    // The student's concept for each key (the first with it).
    let mut by_key: BTreeMap<&str, ConceptId> = BTreeMap::new();
    for c in student.concepts() {
        if let Some(k) = s_keys.get(&c.id) {
            by_key.entry(k.as_str()).or_insert(c.id);
        }
    }
    let end = |id: ConceptId| {
        let key = t_keys.get(&id).map(String::as_str).unwrap_or_default();
        match by_key.get(key) {
            Some(s) => End::Student(*s),
            None => {
                End::Absent(teacher.concept(id).map(|c| c.label.to_string()).unwrap_or_default())
            }
        }
    };
    let mut missing = Vec::new();
    let mut listed = BTreeSet::new();
    for p in teacher.propositions() {
        let Some(k) = prop_key(&t_keys, p) else { continue };
        if seen.contains(&k) || !listed.insert(k) {
            continue;
        }
        missing.push(Missing { from: end(p.from), linking: p.linking.to_string(), to: end(p.to) });
    }
    let mut absent = Vec::new();
    let mut named = BTreeSet::new();
    for c in teacher.concepts() {
        let key = t_keys.get(&c.id).map(String::as_str).unwrap_or_default();
        if !by_key.contains_key(key) && named.insert(key) {
            absent.push(c.label.to_string());
        }
    }
    Marked { student: marks, missing, absent }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conceptmap::fixtures::cid;
    use crate::conceptmap::stored::fixtures::{student, teacher};
    use crate::conceptmap::stored::score;

    #[test]
    fn marks_agree_with_the_score() {
        let (s, t) = (student(2), teacher(1));
        let m = mark(&s, &t);
        let c = score(&s, &t);
        assert_eq!(m.student, [Mark::Matched, Mark::Extra]);
        assert_eq!(c.propositions.matched, 1);
        assert_eq!(c.propositions.extra.len(), 1);
        assert_eq!(m.missing.len(), c.propositions.missing.len());
        // растения —поглощают→ углекислый газ: the student has «растение» (a synonym), not the gas.
        assert_eq!(
            m.missing,
            [Missing {
                from: End::Student(cid(11)),
                linking: "поглощают".into(),
                to: End::Absent("Углекислый газ".into()),
            }]
        );
        assert_eq!(m.absent, ["Углекислый газ"]);
        // The teacher's map against itself: everything matched, nothing missing.
        let own = mark(&t, &t);
        assert!(own.student.iter().all(|m| *m == Mark::Matched));
        assert!(own.missing.is_empty() && own.absent.is_empty());
    }
}
