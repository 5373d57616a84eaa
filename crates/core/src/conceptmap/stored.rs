//! Concept maps as a teacher keeps them: one criterion map per lesson, drawn by the teacher with
//! synonyms per concept, and each student's map for that lesson, scored against it.
//!
//! A [`LessonMap`] is a validated [`ConceptMap`] with its id, its lesson and its author
//! ([`MapAuthor`]); the teacher's map also carries, per concept, the other wordings students may
//! use ([`ConceptSynonyms`]), from which [`LessonMap::settings`] builds the [`Synonyms`] that
//! scoring applies. [`LessonMap::new`] returns **every** problem of a draft at once
//! ([`LessonMapProblem`]): the map's own ([`MapProblem`], checked with the teacher's synonyms)
//! and the synonym list's. Deserialisation validates the same way, so a stored map is always
//! valid. [`score`] compares a student's map with the teacher's through core's [`compare`].

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::edit::Point;
use super::{
    ConceptMap, MapComparison, MapDraft, MapProblem, ScoringSettings, SynonymError, Synonyms,
    compare, validate,
};
use crate::ids::{ConceptId, ConceptMapId, LessonId, StudentId};

/// Who drew a map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "by", content = "student", rename_all = "snake_case")]
pub enum MapAuthor {
    /// The teacher: the lesson's criterion map.
    Teacher,
    /// A student of the lesson's class.
    Student(StudentId),
}

/// The other wordings of one concept that count as that concept («растение» for «растения»).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConceptSynonyms {
    /// The concept.
    pub concept: ConceptId,
    /// The variants, as the teacher typed them.
    pub variants: Vec<String>,
}

/// Splits a typed list of variants at commas and semicolons, trimming each and dropping empty
/// ones: «растение, растенья;» → [«растение», «растенья»].
pub fn variants_from_text(text: &str) -> Vec<String> {
    text.split([',', ';']).map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned).collect()
}

/// A lesson's map as drawn, before validation (also its stored form).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonMapDraft {
    /// The map's id.
    pub id: ConceptMapId,
    /// The lesson it belongs to.
    pub lesson: LessonId,
    /// Who drew it.
    pub author: MapAuthor,
    /// Concepts and propositions.
    pub map: MapDraft,
    /// Synonyms per concept (the teacher's map only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub synonyms: Vec<ConceptSynonyms>,
    /// Where each concept was drawn, so the map reopens as it was left; a concept with no
    /// place is laid out by the editor. Maps stored before places were kept have none.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub layout: BTreeMap<ConceptId, Point>,
}

/// One problem of a lesson map draft.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LessonMapProblem {
    /// A problem of the map itself.
    #[error("{0}")]
    Map(MapProblem),
    /// The synonym list cannot be built.
    #[error("{0}")]
    Synonym(SynonymError),
    /// Synonyms are given for a concept that is not in the map.
    #[error("synonyms are given for concept {concept}, which is not in the map")]
    SynonymOfUnknownConcept {
        /// The concept id.
        concept: ConceptId,
    },
    /// A student's map carries synonyms (only the teacher's may).
    #[error("only the teacher's map may list synonyms")]
    SynonymsOnStudentMap,
    /// A place is given for a concept that is not in the map.
    #[error("a place is given for concept {concept}, which is not in the map")]
    PlaceOfUnknownConcept {
        /// The concept id.
        concept: ConceptId,
    },
}

/// Every problem of a refused lesson map draft (never empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonMapProblems(pub Vec<LessonMapProblem>);

impl fmt::Display for LessonMapProblems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the lesson's concept map has {} problem(s)", self.0.len())?;
        for (i, p) in self.0.iter().enumerate() {
            write!(f, "{} {p}", if i == 0 { ":" } else { ";" })?;
        }
        Ok(())
    }
}

impl std::error::Error for LessonMapProblems {}

/// The synonym list of a draft: each concept's variants mapped to its label.
fn synonyms_of(draft: &LessonMapDraft) -> Result<Synonyms, SynonymError> {
    let pairs = draft.synonyms.iter().flat_map(|s| {
        let label = draft.map.concepts.iter().find(|c| c.id == s.concept).map(|c| c.label.as_str());
        s.variants.iter().filter_map(move |v| label.map(|l| (v.as_str(), l)))
    });
    Synonyms::new(pairs)
}

/// The synonym list of a valid map (built on demand, so a held map carries no list).
fn synonyms_of_map(map: &LessonMap) -> Result<Synonyms, SynonymError> {
    let pairs = map.synonyms.iter().flat_map(|s| {
        let label = map.map.concept(s.concept).map(|c| c.label.as_str());
        s.variants.iter().filter_map(move |v| label.map(|l| (v.as_str(), l)))
    });
    Synonyms::new(pairs)
}

/// Checks a draft and returns every problem found: the synonym list's first (the concept it
/// names, then whether it builds), then the map's, checked with the synonyms when they build.
pub fn check(draft: &LessonMapDraft) -> Vec<LessonMapProblem> {
    let mut problems = Vec::new();
    if matches!(draft.author, MapAuthor::Student(_)) && !draft.synonyms.is_empty() {
        problems.push(LessonMapProblem::SynonymsOnStudentMap);
    }
    for s in &draft.synonyms {
        if !draft.map.concepts.iter().any(|c| c.id == s.concept) {
            problems.push(LessonMapProblem::SynonymOfUnknownConcept { concept: s.concept });
        }
    }
    for &concept in draft.layout.keys() {
        if !draft.map.concepts.iter().any(|c| c.id == concept) {
            problems.push(LessonMapProblem::PlaceOfUnknownConcept { concept });
        }
    }
    let synonyms = match synonyms_of(draft) {
        Ok(s) => s,
        Err(e) => {
            problems.push(LessonMapProblem::Synonym(e));
            Synonyms::none()
        }
    };
    problems.extend(validate(&draft.map, &synonyms).into_iter().map(LessonMapProblem::Map));
    problems
}

/// A valid lesson map: the teacher's criterion map or a student's, with its synonyms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "LessonMapDraft", into = "LessonMapDraft")]
pub struct LessonMap {
    id: ConceptMapId,
    lesson: LessonId,
    author: MapAuthor,
    map: ConceptMap,
    synonyms: Vec<ConceptSynonyms>,
    layout: BTreeMap<ConceptId, Point>,
}

impl LessonMap {
    /// Validates a draft (see [`check`]).
    pub fn new(draft: LessonMapDraft) -> Result<Self, LessonMapProblems> {
        let problems = check(&draft);
        if !problems.is_empty() {
            return Err(LessonMapProblems(problems));
        }
        let refused = |problems: Vec<LessonMapProblem>| LessonMapProblems(problems);
        let synonyms =
            synonyms_of(&draft).map_err(|e| refused(vec![LessonMapProblem::Synonym(e)]))?;
        let map = ConceptMap::new(draft.map, &synonyms)
            .map_err(|e| refused(e.0.into_iter().map(LessonMapProblem::Map).collect()))?;
        Ok(Self {
            id: draft.id,
            lesson: draft.lesson,
            author: draft.author,
            map,
            synonyms: draft.synonyms,
            layout: draft.layout,
        })
    }

    /// The map's id.
    pub fn id(&self) -> ConceptMapId {
        self.id
    }

    /// Its lesson.
    pub fn lesson(&self) -> LessonId {
        self.lesson
    }

    /// Who drew it.
    pub fn author(&self) -> MapAuthor {
        self.author
    }

    /// The validated map.
    pub fn map(&self) -> &ConceptMap {
        &self.map
    }

    /// The synonyms per concept, as typed.
    pub fn synonyms(&self) -> &[ConceptSynonyms] {
        &self.synonyms
    }

    /// Where a concept was drawn, if the map keeps its place.
    pub fn place(&self, concept: ConceptId) -> Option<Point> {
        self.layout.get(&concept).copied()
    }

    /// The variants of one concept.
    pub fn variants(&self, concept: ConceptId) -> &[String] {
        self.synonyms.iter().find(|s| s.concept == concept).map_or(&[], |s| &s.variants)
    }

    /// How maps are scored against this one: its synonym list and core's default weights.
    pub fn settings(&self) -> ScoringSettings {
        // The synonyms were checked when the map was made, so they build; should they not, the
        // map is scored without them rather than not at all.
        let synonyms = synonyms_of_map(self).unwrap_or_default();
        ScoringSettings { synonyms, ..ScoringSettings::default() }
    }

    /// The draft it was made from, to edit.
    pub fn draft(&self) -> LessonMapDraft {
        LessonMapDraft {
            id: self.id,
            lesson: self.lesson,
            author: self.author,
            map: self.map.clone().into(),
            synonyms: self.synonyms.clone(),
            layout: self.layout.clone(),
        }
    }
}

impl TryFrom<LessonMapDraft> for LessonMap {
    type Error = LessonMapProblems;
    fn try_from(value: LessonMapDraft) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<LessonMap> for LessonMapDraft {
    fn from(value: LessonMap) -> Self {
        value.draft()
    }
}

/// Scores a student's map against the teacher's map of the same lesson, with the teacher's
/// synonyms ([`compare`]).
pub fn score(student: &LessonMap, teacher: &LessonMap) -> MapComparison {
    compare(student.map(), teacher.map(), &teacher.settings())
}

/// The teacher's map of a lesson, if there is one (the first, should two tabs have made one each).
pub fn teacher_map(maps: &[LessonMap], lesson: LessonId) -> Option<&LessonMap> {
    maps.iter().find(|m| m.lesson == lesson && m.author == MapAuthor::Teacher)
}

/// A student's map of a lesson, if there is one.
pub fn student_map(maps: &[LessonMap], lesson: LessonId, student: StudentId) -> Option<&LessonMap> {
    maps.iter().find(|m| m.lesson == lesson && m.author == MapAuthor::Student(student))
}

/// Test helpers shared with the backup and CSV tests.
#[cfg(test)]
pub(crate) mod fixtures {
    use super::*;
    use crate::conceptmap::fixtures::draft;

    /// The teacher's map of lesson 100: растения —выделяют→ кислород, растения —поглощают→
    /// углекислый газ; «растение» a synonym of «растения».
    pub fn teacher(id: u128) -> LessonMap {
        LessonMap::new(LessonMapDraft {
            id: ConceptMapId::from_u128(id),
            lesson: LessonId::from_u128(100),
            author: MapAuthor::Teacher,
            map: draft(
                &[(1, "Растения", false), (2, "Кислород", false), (3, "Углекислый газ", false)],
                &[(1, "выделяют", 2), (1, "поглощают", 3)],
                Some(1),
            ),
            synonyms: vec![ConceptSynonyms {
                concept: super::super::fixtures::cid(1),
                variants: vec!["растение".into()],
            }],
            layout: BTreeMap::new(),
        })
        .unwrap()
    }

    /// Student 10's map of lesson 100: растение —выделяет→ кислород (a different phrase), растение
    /// —выделяют→ кислород.
    pub fn student(id: u128) -> LessonMap {
        LessonMap::new(LessonMapDraft {
            id: ConceptMapId::from_u128(id),
            lesson: LessonId::from_u128(100),
            author: MapAuthor::Student(StudentId::from_u128(10)),
            map: draft(
                &[(11, "растение", false), (12, "кислород", false)],
                &[(11, "выделяют", 12), (11, "дышат", 12)],
                None,
            ),
            synonyms: Vec::new(),
            layout: BTreeMap::new(),
        })
        .unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::{student, teacher};
    use super::*;
    use crate::conceptmap::fixtures::{cid, draft};
    use proptest::prelude::*;

    fn lesson_draft(
        map: MapDraft,
        author: MapAuthor,
        synonyms: &[(u128, &[&str])],
    ) -> LessonMapDraft {
        LessonMapDraft {
            id: ConceptMapId::from_u128(1),
            lesson: LessonId::from_u128(100),
            author,
            map,
            synonyms: synonyms
                .iter()
                .map(|(c, v)| ConceptSynonyms {
                    concept: cid(*c),
                    variants: v.iter().map(|s| (*s).to_owned()).collect(),
                })
                .collect(),
            layout: BTreeMap::new(),
        }
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        use LessonMapProblem as P;
        let map = draft(&[(1, "Вода", false), (2, "Лёд", false)], &[(1, "", 2)], None);
        // A variant of «вода» that is «лёд»'s label, synonyms for a missing concept, an empty
        // phrase: all reported.
        let d = lesson_draft(map.clone(), MapAuthor::Teacher, &[(1, &["лед"]), (9, &["x"])]);
        assert_eq!(
            check(&d),
            vec![
                P::SynonymOfUnknownConcept { concept: cid(9) },
                P::Map(MapProblem::DuplicateLabel {
                    first: cid(1),
                    second: cid(2),
                    key: "вода".into()
                }),
                P::Map(MapProblem::BadLinkingPhrase {
                    index: 0,
                    error: super::super::TextFault::Empty
                }),
            ]
        );
        assert_eq!(LessonMap::new(d.clone()).unwrap_err().0, check(&d));
        // A variant given to two concepts cannot build a list.
        let d = lesson_draft(
            map.clone(),
            MapAuthor::Teacher,
            &[(1, &["жидкость"]), (2, &["Жидкость"])],
        );
        assert!(
            matches!(check(&d)[0], P::Synonym(SynonymError::Conflict { .. })),
            "{:?}",
            check(&d)
        );
        // Students list no synonyms.
        let d =
            lesson_draft(map, MapAuthor::Student(StudentId::from_u128(5)), &[(1, &["жидкость"])]);
        assert_eq!(check(&d)[0], P::SynonymsOnStudentMap);
    }

    #[test]
    fn the_teachers_synonyms_count_in_the_score() {
        let score = score(&student(2), &teacher(1));
        let p = &score.propositions;
        assert_eq!((p.matched, p.student_propositions, p.teacher_propositions), (1, 2, 2));
        assert_eq!(p.precision.value, 0.5);
        assert_eq!(p.recall.value, 0.5);
        assert_eq!(p.missing.len(), 1);
        assert_eq!(p.missing[0].to, "Углекислый газ");
        assert_eq!(p.extra[0].linking, "дышат");
        // Without the synonym «растение» would match nothing.
        let bare = compare(student(2).map(), teacher(1).map(), &ScoringSettings::default());
        assert_eq!(bare.propositions.matched, 0);
    }

    #[test]
    fn stored_maps_are_validated_when_read() {
        let map = teacher(1);
        let json = serde_json::to_string(&map).unwrap();
        assert!(json.contains(r#""author":{"by":"teacher"}"#), "{json}");
        assert_eq!(serde_json::from_str::<LessonMap>(&json).unwrap(), map);
        let s = serde_json::to_string(&student(2)).unwrap();
        assert!(s.contains(r#""by":"student""#), "{s}");
        let mut bad = map.draft();
        bad.map.propositions[0].to = bad.map.propositions[0].from;
        let err = serde_json::from_str::<LessonMap>(&serde_json::to_string(&bad).unwrap());
        assert!(err.unwrap_err().to_string().contains("to itself"));
    }

    #[test]
    fn maps_are_found_by_lesson_and_author() {
        let maps = [student(2), teacher(1)];
        assert_eq!(
            teacher_map(&maps, LessonId::from_u128(100)).map(LessonMap::id),
            Some(ConceptMapId::from_u128(1))
        );
        assert!(teacher_map(&maps, LessonId::from_u128(101)).is_none());
        let s = student_map(&maps, LessonId::from_u128(100), StudentId::from_u128(10));
        assert_eq!(s.map(LessonMap::id), Some(ConceptMapId::from_u128(2)));
        assert!(student_map(&maps, LessonId::from_u128(100), StudentId::from_u128(11)).is_none());
    }

    #[test]
    fn variants_are_split_at_commas() {
        assert_eq!(variants_from_text(" растение, растенья ;; "), ["растение", "растенья"]);
        assert!(variants_from_text(" , ").is_empty());
    }

    proptest! {
        /// Any draft either is refused with every problem `check` finds or round-trips through
        /// JSON unchanged; a map always scores 1 against itself when it has a proposition.
        #[test]
        fn drafts_validate_or_round_trip(
            labels in prop::collection::vec("[а-яa-c ]{0,4}", 1..5),
            links in prop::collection::vec((0..5u128, "[а-я]{0,3}", 0..5u128), 0..6),
            variants in prop::collection::vec((0..6u128, "[а-яa-c]{0,3}"), 0..3),
        ) {
            let concepts: Vec<(u128, &str, bool)> =
                labels.iter().enumerate().map(|(i, l)| (i as u128, l.as_str(), false)).collect();
            let links: Vec<(u128, &str, u128)> =
                links.iter().map(|(f, l, t)| (*f, l.as_str(), *t)).collect();
            let syn: Vec<(u128, Vec<&str>)> = variants.iter().map(|(c, v)| (*c, vec![v.as_str()])).collect();
            let syn: Vec<(u128, &[&str])> = syn.iter().map(|(c, v)| (*c, v.as_slice())).collect();
            let d = lesson_draft(draft(&concepts, &links, None), MapAuthor::Teacher, &syn);
            let problems = check(&d);
            match LessonMap::new(d.clone()) {
                Err(e) => prop_assert_eq!(e.0, problems),
                Ok(map) => {
                    prop_assert!(problems.is_empty());
                    prop_assert_eq!(LessonMap::new(map.draft()), Ok(map.clone()));
                    let json = serde_json::to_string(&map).unwrap();
                    prop_assert_eq!(serde_json::from_str::<LessonMap>(&json).unwrap(), map.clone());
                    let own = score(&map, &map);
                    if !map.map().propositions().is_empty() {
                        prop_assert_eq!(own.propositions.f1.value, 1.0);
                    }
                }
            }
        }
    }
}
