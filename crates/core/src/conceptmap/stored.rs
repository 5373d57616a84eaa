//! Concept maps as a teacher keeps them: one teacher's map per lesson and criterion (or for the
//! whole lesson), drawn with synonyms per concept, and each student's map for that lesson and
//! criterion, scored against it.
//!
//! A [`LessonMap`] is a validated [`ConceptMap`] with its id, its lesson, the lesson's criterion
//! it is drawn for (none: the whole lesson, as every map stored before criteria were kept) and
//! its author ([`MapAuthor`]); the teacher's map also carries, per concept, the other wordings
//! students may use ([`ConceptSynonyms`]), from which [`LessonMap::settings`] builds the
//! [`Synonyms`] that scoring applies. [`LessonMap::new`] returns **every** problem of a draft at
//! once ([`LessonMapProblem`]): the map's own ([`MapProblem`], checked with the teacher's
//! synonyms) and the synonym list's; [`check_in`] and [`LessonMap::new_in`] add what only the
//! lessons can say (a criterion that is not its lesson's). Deserialisation validates the map
//! itself, so a stored map is always valid. [`score`] compares a student's map with the
//! teacher's through core's [`compare`]; [`teacher_map`], [`student_map`] and [`scores`] find a
//! lesson's maps for one criterion.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::edit::Point;
use super::{
    ConceptMap, MapComparison, MapDraft, MapProblem, ScoringSettings, SynonymError, Synonyms,
    compare, validate,
};
use crate::ids::{ConceptId, ConceptMapId, CriterionId, LessonId, StudentId};
use crate::lesson::Lesson;

/// Who drew a map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "by", content = "student", rename_all = "snake_case")]
pub enum MapAuthor {
    /// The teacher: the map a criterion's (or the lesson's) maps are scored against.
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
    /// The lesson's criterion it is drawn for; none: the whole lesson (every map stored before
    /// criteria were kept reads back so).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub criterion: Option<CriterionId>,
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
    /// The map is drawn for a criterion that is not one of its lesson's (or its lesson is not
    /// known), found by [`check_in`].
    #[error("criterion {criterion} is not one of the lesson's criteria")]
    CriterionNotOfLesson {
        /// The criterion id.
        criterion: CriterionId,
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

/// Checks a draft against the lessons as well: every problem of [`check`], after them a
/// criterion that is not one of the criteria of the draft's lesson among `lessons` (or whose
/// lesson is not there) ([`LessonMapProblem::CriterionNotOfLesson`]). A map for the whole lesson
/// needs no lesson to check.
pub fn check_in(draft: &LessonMapDraft, lessons: &[Lesson]) -> Vec<LessonMapProblem> {
    let mut problems = check(draft);
    if let Some(criterion) = draft.criterion {
        let known = lessons
            .iter()
            .find(|l| l.id() == draft.lesson)
            .is_some_and(|l| l.criterion(criterion).is_some());
        if !known {
            problems.push(LessonMapProblem::CriterionNotOfLesson { criterion });
        }
    }
    problems
}

/// A valid lesson map: the teacher's map of a criterion (or of the whole lesson) or a student's,
/// with its synonyms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "LessonMapDraft", into = "LessonMapDraft")]
pub struct LessonMap {
    id: ConceptMapId,
    lesson: LessonId,
    criterion: Option<CriterionId>,
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
            criterion: draft.criterion,
            author: draft.author,
            map,
            synonyms: draft.synonyms,
            layout: draft.layout,
        })
    }

    /// Validates a draft made in a shell against the lessons too (see [`check_in`]): what the
    /// app saves goes through here, so no map is saved for another lesson's criterion.
    pub fn new_in(draft: LessonMapDraft, lessons: &[Lesson]) -> Result<Self, LessonMapProblems> {
        let problems = check_in(&draft, lessons);
        if !problems.is_empty() {
            return Err(LessonMapProblems(problems));
        }
        Self::new(draft)
    }

    /// The map's id.
    pub fn id(&self) -> ConceptMapId {
        self.id
    }

    /// Its lesson.
    pub fn lesson(&self) -> LessonId {
        self.lesson
    }

    /// The lesson's criterion it is drawn for (none: the whole lesson).
    pub fn criterion(&self) -> Option<CriterionId> {
        self.criterion
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
            criterion: self.criterion,
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

/// The teacher's map of a lesson for `criterion` (none: the whole lesson's map), if there is one
/// (the first, should two tabs have made one each).
pub fn teacher_map(
    maps: &[LessonMap],
    lesson: LessonId,
    criterion: Option<CriterionId>,
) -> Option<&LessonMap> {
    maps.iter()
        .find(|m| m.lesson == lesson && m.criterion == criterion && m.author == MapAuthor::Teacher)
}

/// A student's map of a lesson for `criterion` (none: the whole lesson), if there is one.
pub fn student_map(
    maps: &[LessonMap],
    lesson: LessonId,
    criterion: Option<CriterionId>,
    student: StudentId,
) -> Option<&LessonMap> {
    maps.iter().find(|m| {
        m.lesson == lesson && m.criterion == criterion && m.author == MapAuthor::Student(student)
    })
}

/// A lesson's maps for one criterion scored: the teacher's map and each student's map with its
/// [`score`] against it.
#[derive(Debug, Clone, PartialEq)]
pub struct Scores<'a> {
    /// The teacher's map they are scored against.
    pub teacher: &'a LessonMap,
    /// Each student's map (one per student, the first stored, as [`student_map`] finds it), in
    /// the order stored, with its score.
    pub students: Vec<(&'a LessonMap, MapComparison)>,
}

impl Scores<'_> {
    /// One student's map and score, if the student drew one.
    pub fn of(&self, student: StudentId) -> Option<&(&LessonMap, MapComparison)> {
        self.students.iter().find(|(m, _)| m.author == MapAuthor::Student(student))
    }
}

/// Scores the students' maps of a lesson for `criterion` (none: the whole lesson) against the
/// teacher's map of that lesson and criterion only; none when the teacher has drawn none.
pub fn scores(
    maps: &[LessonMap],
    lesson: LessonId,
    criterion: Option<CriterionId>,
) -> Option<Scores<'_>> {
    let teacher = teacher_map(maps, lesson, criterion)?;
    let mut students: Vec<(&LessonMap, MapComparison)> = Vec::new();
    for m in maps.iter().filter(|m| m.lesson == lesson && m.criterion == criterion) {
        let MapAuthor::Student(_) = m.author else { continue };
        if !students.iter().any(|(s, _)| s.author == m.author) {
            students.push((m, score(m, teacher)));
        }
    }
    Some(Scores { teacher, students })
}

/// Every map `student` drew (the first one per lesson and criterion, as [`student_map`] finds
/// it), in the order stored, each with its [`score`] against the teacher's map of the same lesson
/// and criterion, when the teacher drew one.
pub fn maps_of(maps: &[LessonMap], student: StudentId) -> Vec<(&LessonMap, Option<MapComparison>)> {
    let mut out: Vec<(&LessonMap, Option<MapComparison>)> = Vec::new();
    for m in maps.iter().filter(|m| m.author == MapAuthor::Student(student)) {
        if out.iter().any(|(o, _)| o.lesson == m.lesson && o.criterion == m.criterion) {
            continue;
        }
        let scored = teacher_map(maps, m.lesson, m.criterion).map(|t| score(m, t));
        out.push((m, scored));
    }
    out
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
            criterion: None,
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
            criterion: None,
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
            criterion: None,
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
        let lesson = LessonId::from_u128(100);
        assert_eq!(
            teacher_map(&maps, lesson, None).map(LessonMap::id),
            Some(ConceptMapId::from_u128(1))
        );
        assert!(teacher_map(&maps, LessonId::from_u128(101), None).is_none());
        assert!(teacher_map(&maps, lesson, Some(CriterionId::from_u128(7))).is_none());
        let s = student_map(&maps, lesson, None, StudentId::from_u128(10));
        assert_eq!(s.map(LessonMap::id), Some(ConceptMapId::from_u128(2)));
        assert!(student_map(&maps, lesson, None, StudentId::from_u128(11)).is_none());
        assert!(
            student_map(&maps, lesson, Some(CriterionId::from_u128(7)), StudentId::from_u128(10))
                .is_none()
        );
    }

    /// `map` drawn for `criterion` of lesson 100 under id `id`.
    fn for_criterion(map: LessonMap, id: u128, criterion: Option<u128>) -> LessonMap {
        let mut d = map.draft();
        d.id = ConceptMapId::from_u128(id);
        d.criterion = criterion.map(CriterionId::from_u128);
        LessonMap::new(d).unwrap()
    }

    /// Lesson 100 with criteria 7 and 8.
    fn lesson() -> Lesson {
        Lesson::with_texts(
            LessonId::from_u128(100),
            crate::ids::ClassId::from_u128(1),
            chrono::NaiveDate::from_ymd_opt(2024, 9, 2).unwrap(),
            "Фотосинтез",
            &[
                (CriterionId::from_u128(7), "Называю части растения"),
                (CriterionId::from_u128(8), "Объясняю фотосинтез"),
            ],
        )
        .unwrap()
    }

    #[test]
    fn each_criterion_is_scored_against_its_own_teachers_map() {
        // Criterion 7's teacher map has only «растения — выделяют → кислород»; criterion 8's is
        // the fixture's two propositions; the whole lesson has none.
        let mut seven = teacher(1).draft();
        seven.map.propositions.truncate(1);
        seven.criterion = Some(CriterionId::from_u128(7));
        let seven = LessonMap::new(seven).unwrap();
        let eight = for_criterion(teacher(1), 3, Some(8));
        let student8 = for_criterion(student(2), 4, Some(8));
        let maps = [seven.clone(), student8.clone(), eight.clone()];
        let lesson = LessonId::from_u128(100);
        let c = |n| Some(CriterionId::from_u128(n));
        assert_eq!(teacher_map(&maps, lesson, c(7)), Some(&seven));
        assert_eq!(teacher_map(&maps, lesson, c(8)), Some(&eight));
        assert_eq!(teacher_map(&maps, lesson, None), None);
        assert_eq!(student_map(&maps, lesson, c(8), StudentId::from_u128(10)), Some(&student8));
        assert_eq!(student_map(&maps, lesson, c(7), StudentId::from_u128(10)), None);
        let s8 = scores(&maps, lesson, c(8)).unwrap();
        assert_eq!(s8.teacher, &eight);
        assert_eq!(s8.students.len(), 1);
        assert_eq!(s8.students[0].1, score(&student8, &eight));
        assert_eq!(s8.of(StudentId::from_u128(10)).map(|(m, _)| *m), Some(&student8));
        assert_ne!(s8.students[0].1, score(&student8, &seven), "the other criterion's map differs");
        assert_eq!(s8.students[0].1.propositions.teacher_propositions, 2);
        // Criterion 7 has a teacher's map and no student's; the whole lesson has neither.
        assert!(scores(&maps, lesson, c(7)).unwrap().students.is_empty());
        assert!(scores(&maps, lesson, None).is_none());
        // A second map of the same student and criterion (two tabs) is not scored twice.
        let again = for_criterion(student(2), 5, Some(8));
        let maps = [eight.clone(), student8.clone(), again];
        assert_eq!(scores(&maps, lesson, c(8)).unwrap().students.len(), 1);
    }

    #[test]
    fn a_students_maps_are_each_scored_against_their_own_teachers_map() {
        let eight = for_criterion(teacher(1), 3, Some(8));
        let student8 = for_criterion(student(2), 4, Some(8));
        let student_whole = for_criterion(student(2), 5, None);
        let again = for_criterion(student(2), 6, Some(8));
        let someone_else = {
            let mut d = student(7).draft();
            d.author = MapAuthor::Student(StudentId::from_u128(11));
            LessonMap::new(d).unwrap()
        };
        let maps = [eight.clone(), student8.clone(), student_whole.clone(), again, someone_else];
        let got = maps_of(&maps, StudentId::from_u128(10));
        // The criterion's map scored against criterion 8's teacher map; the whole lesson's has no
        // teacher map to be scored against; the second map of criterion 8 and another student's
        // are left out.
        assert_eq!(got, vec![(&student8, Some(score(&student8, &eight))), (&student_whole, None)]);
        assert!(maps_of(&maps, StudentId::from_u128(99)).is_empty());
    }

    #[test]
    fn a_criterion_must_be_one_of_the_lessons() {
        let lessons = [lesson()];
        let mut d = teacher(1).draft();
        assert_eq!(check_in(&d, &lessons), vec![]);
        assert_eq!(check_in(&d, &[]), vec![], "a whole-lesson map needs no lesson");
        d.criterion = Some(CriterionId::from_u128(8));
        assert_eq!(check_in(&d, &lessons), vec![]);
        assert!(LessonMap::new_in(d.clone(), &lessons).is_ok());
        let not_known =
            vec![LessonMapProblem::CriterionNotOfLesson { criterion: CriterionId::from_u128(8) }];
        assert_eq!(check_in(&d, &[]), not_known, "its lesson is not known");
        d.criterion = Some(CriterionId::from_u128(9));
        let refused =
            vec![LessonMapProblem::CriterionNotOfLesson { criterion: CriterionId::from_u128(9) }];
        assert_eq!(check_in(&d, &lessons), refused);
        assert_eq!(LessonMap::new_in(d.clone(), &lessons).unwrap_err().0, refused);
        // Another lesson's criteria do not count, and the map's own problems come first.
        d.lesson = LessonId::from_u128(101);
        d.map.propositions[0].to = d.map.propositions[0].from;
        let problems = check_in(&d, &lessons);
        assert!(matches!(problems[0], LessonMapProblem::Map(MapProblem::SelfLink { .. })));
        assert_eq!(problems.last(), refused.last());
    }

    #[test]
    fn maps_stored_without_a_criterion_are_the_whole_lessons() {
        let old = serde_json::to_string(&teacher(1)).unwrap();
        assert!(!old.contains("criterion"), "{old}");
        let read: LessonMap = serde_json::from_str(&old).unwrap();
        assert_eq!(read.criterion(), None);
        assert_eq!(read, teacher(1));
        let with = for_criterion(teacher(1), 1, Some(8));
        let json = serde_json::to_string(&with).unwrap();
        assert!(
            json.contains(&format!(r#""criterion":"{}""#, CriterionId::from_u128(8))),
            "{json}"
        );
        let back: LessonMap = serde_json::from_str(&json).unwrap();
        assert_eq!(back.criterion(), Some(CriterionId::from_u128(8)));
        assert_eq!(back, with);
    }

    #[test]
    fn variants_are_split_at_commas() {
        assert_eq!(variants_from_text(" растение, растенья ;; "), ["растение", "растенья"]);
        assert!(variants_from_text(" , ").is_empty());
    }

    proptest! {
        /// A valid draft round-trips through JSON with or without a criterion, and the JSON of
        /// one without names no criterion (so it reads back as the whole lesson's, as before).
        #[test]
        fn criteria_round_trip(criterion in prop::option::of(any::<u128>()), student in any::<bool>()) {
            let base = if student { super::fixtures::student(2) } else { teacher(1) };
            let mut d = base.draft();
            d.criterion = criterion.map(CriterionId::from_u128);
            let json = serde_json::to_string(&d).unwrap();
            prop_assert_eq!(json.contains("criterion"), criterion.is_some());
            prop_assert_eq!(serde_json::from_str::<LessonMapDraft>(&json).unwrap(), d.clone());
            let map = LessonMap::new(d.clone()).unwrap();
            prop_assert_eq!(map.criterion(), d.criterion);
            let back: LessonMap = serde_json::from_str(&serde_json::to_string(&map).unwrap()).unwrap();
            prop_assert_eq!(back.draft(), d);
        }

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
