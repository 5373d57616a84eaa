//! Lessons: a class, a date, a topic and the lesson's own success criteria.
//!
//! A [`Lesson`] is what evidence records point at: every record carries the lesson's id and date,
//! and the lesson's [`LessonCriterion`] list is what students self-assess against on their tablets.
//! A lesson is built only through [`Lesson::new`] (and serde goes through the same checks).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ids::{ClassId, CriterionId, LessonId};
use crate::text::{Name, TextError};

/// The most criteria one lesson may have (more cannot be self-assessed in the last minutes).
pub const MAX_LESSON_CRITERIA: usize = 12;
/// The most characters a criterion's lesson wording may have.
pub const MAX_CRITERION_CHARS: usize = 300;

/// Why a lesson (or one of its criteria) was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LessonError {
    /// The topic is empty or too long.
    #[error("the lesson topic is not usable: {0}")]
    Topic(TextError),
    /// A criterion's wording is empty or too long.
    #[error("criterion {index} wording is not usable: {error}")]
    CriterionText {
        /// 1-based position of the criterion in the lesson.
        index: usize,
        /// What is wrong with the text.
        error: TextError,
    },
    /// The same criterion appears twice in one lesson.
    #[error("criterion {0} appears more than once in the lesson")]
    DuplicateCriterion(CriterionId),
    /// Too many criteria.
    #[error("a lesson has {got} criteria; at most {max} are allowed")]
    TooManyCriteria {
        /// How many were given.
        got: usize,
        /// The limit.
        max: usize,
    },
}

/// A lesson's own wording of one criterion (optionally taken from the criteria bank, whose id it
/// keeps so that evidence rolls up across lessons).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "LessonCriterionDraft", into = "LessonCriterionDraft")]
pub struct LessonCriterion {
    id: CriterionId,
    text: Name,
}

#[derive(Serialize, Deserialize)]
struct LessonCriterionDraft {
    id: CriterionId,
    text: String,
}

impl LessonCriterion {
    /// Builds a criterion from its id and wording (trimmed, 1..=300 characters).
    pub fn new(id: CriterionId, text: &str) -> Result<Self, TextError> {
        Ok(Self { id, text: Name::parse_with_limit(text, MAX_CRITERION_CHARS)? })
    }
    /// The criterion's id.
    pub fn id(&self) -> CriterionId {
        self.id
    }
    /// The wording shown in this lesson.
    pub fn text(&self) -> &Name {
        &self.text
    }
}

impl TryFrom<LessonCriterionDraft> for LessonCriterion {
    type Error = TextError;
    fn try_from(d: LessonCriterionDraft) -> Result<Self, Self::Error> {
        Self::new(d.id, &d.text)
    }
}

impl From<LessonCriterion> for LessonCriterionDraft {
    fn from(c: LessonCriterion) -> Self {
        Self { id: c.id, text: c.text.into() }
    }
}

/// A lesson held with a class on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "LessonDraft", into = "LessonDraft")]
pub struct Lesson {
    id: LessonId,
    class: ClassId,
    date: NaiveDate,
    topic: Name,
    criteria: Vec<LessonCriterion>,
}

/// The serialised form of a lesson, validated on the way in.
#[derive(Serialize, Deserialize)]
struct LessonDraft {
    id: LessonId,
    class: ClassId,
    #[serde(with = "crate::iso::date")]
    date: NaiveDate,
    topic: String,
    criteria: Vec<LessonCriterion>,
}

impl Lesson {
    /// Builds a lesson: the topic must be a usable [`Name`], criteria distinct by id and at most
    /// [`MAX_LESSON_CRITERIA`]. A lesson may have no criteria yet (planned, not held).
    pub fn new(
        id: LessonId,
        class: ClassId,
        date: NaiveDate,
        topic: &str,
        criteria: Vec<LessonCriterion>,
    ) -> Result<Self, LessonError> {
        let topic = Name::parse(topic).map_err(LessonError::Topic)?;
        if criteria.len() > MAX_LESSON_CRITERIA {
            return Err(LessonError::TooManyCriteria {
                got: criteria.len(),
                max: MAX_LESSON_CRITERIA,
            });
        }
        for (i, c) in criteria.iter().enumerate() {
            if criteria[..i].iter().any(|o| o.id == c.id) {
                return Err(LessonError::DuplicateCriterion(c.id));
            }
        }
        Ok(Self { id, class, date, topic, criteria })
    }

    /// Builds a lesson from criterion wordings given as `(id, text)` pairs.
    pub fn with_texts(
        id: LessonId,
        class: ClassId,
        date: NaiveDate,
        topic: &str,
        criteria: &[(CriterionId, &str)],
    ) -> Result<Self, LessonError> {
        let criteria = criteria
            .iter()
            .enumerate()
            .map(|(i, (cid, text))| {
                LessonCriterion::new(*cid, text)
                    .map_err(|error| LessonError::CriterionText { index: i + 1, error })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Self::new(id, class, date, topic, criteria)
    }

    /// The lesson's id.
    pub fn id(&self) -> LessonId {
        self.id
    }
    /// The class it was held with.
    pub fn class(&self) -> ClassId {
        self.class
    }
    /// The date it was held on.
    pub fn date(&self) -> NaiveDate {
        self.date
    }
    /// Its topic.
    pub fn topic(&self) -> &Name {
        &self.topic
    }
    /// Its criteria, in the order students see them.
    pub fn criteria(&self) -> &[LessonCriterion] {
        &self.criteria
    }
    /// The lesson's criterion with this id, if any.
    pub fn criterion(&self, id: CriterionId) -> Option<&LessonCriterion> {
        self.criteria.iter().find(|c| c.id == id)
    }
}

/// The criteria a class's lessons assess, each once (by id), in the order they first appear:
/// lessons by date (then id), criteria in lesson order; a criterion is worded as in its first
/// lesson.
pub fn class_criteria<'a>(
    lessons: impl IntoIterator<Item = &'a Lesson>,
    class: ClassId,
) -> Vec<&'a LessonCriterion> {
    let mut held: Vec<&Lesson> = lessons.into_iter().filter(|l| l.class == class).collect();
    held.sort_by_key(|l| (l.date, l.id));
    let mut out: Vec<&LessonCriterion> = Vec::new();
    for c in held.into_iter().flat_map(|l| &l.criteria) {
        if out.iter().all(|o| o.id != c.id) {
            out.push(c);
        }
    }
    out
}

impl TryFrom<LessonDraft> for Lesson {
    type Error = LessonError;
    fn try_from(d: LessonDraft) -> Result<Self, Self::Error> {
        Self::new(d.id, d.class, d.date, &d.topic, d.criteria)
    }
}

impl From<Lesson> for LessonDraft {
    fn from(l: Lesson) -> Self {
        Self { id: l.id, class: l.class, date: l.date, topic: l.topic.into(), criteria: l.criteria }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date() -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 9, 3).unwrap()
    }

    fn check(topic: &str, criteria: &[(u128, &str)], expected: Result<usize, LessonError>) {
        let criteria: Vec<(CriterionId, &str)> =
            criteria.iter().map(|(n, t)| (CriterionId::from_u128(*n), *t)).collect();
        let got = Lesson::with_texts(
            LessonId::from_u128(1),
            ClassId::from_u128(2),
            date(),
            topic,
            &criteria,
        );
        assert_eq!(got.map(|l| l.criteria().len()), expected, "topic {topic:?}");
    }

    #[test]
    fn lessons_are_validated() {
        let many: Vec<(u128, &str)> = (0..13).map(|n| (n, "критерий")).collect();
        type Case<'a> = (&'a str, &'a [(u128, &'a str)], Result<usize, LessonError>);
        let cases: Vec<Case<'_>> = vec![
            ("Дроби", &[(1, "Сравниваю дроби"), (2, "Складываю дроби")], Ok(2)),
            ("Дроби", &[], Ok(0)),
            ("  ", &[(1, "x")], Err(LessonError::Topic(TextError::Empty))),
            (
                "Дроби",
                &[(1, "a"), (1, "b")],
                Err(LessonError::DuplicateCriterion(CriterionId::from_u128(1))),
            ),
            (
                "Дроби",
                &[(1, "a"), (2, " ")],
                Err(LessonError::CriterionText { index: 2, error: TextError::Empty }),
            ),
            ("Дроби", &many, Err(LessonError::TooManyCriteria { got: 13, max: 12 })),
        ];
        for (topic, criteria, expected) in cases {
            check(topic, criteria, expected);
        }
    }

    #[test]
    fn class_criteria_in_first_lesson_order() {
        let day = |d| NaiveDate::from_ymd_opt(2024, 9, d).unwrap();
        let c = CriterionId::from_u128;
        let lesson = |id, class, d, criteria: &[(CriterionId, &str)]| {
            Lesson::with_texts(
                LessonId::from_u128(id),
                ClassId::from_u128(class),
                day(d),
                "Дроби",
                criteria,
            )
            .unwrap()
        };
        let lessons = [
            lesson(1, 1, 10, &[(c(2), "позже"), (c(3), "третий")]),
            lesson(2, 1, 3, &[(c(1), "первый"), (c(2), "второй")]),
            lesson(3, 2, 1, &[(c(9), "другой класс")]),
        ];
        let got: Vec<(u128, String)> = class_criteria(&lessons, ClassId::from_u128(1))
            .into_iter()
            .map(|k| (k.id().as_uuid().as_u128(), k.text().to_string()))
            .collect();
        let want = [(1, "первый"), (2, "второй"), (3, "третий")];
        assert_eq!(got, want.map(|(n, t)| (n, t.to_owned())));
    }

    #[test]
    fn serde_validates() {
        let json = r#"{"id":"00000000-0000-0000-0000-000000000001","class":"00000000-0000-0000-0000-000000000002","date":"2024-09-03","topic":" ","criteria":[]}"#;
        assert!(serde_json::from_str::<Lesson>(json).is_err());
    }

    proptest! {
        #[test]
        fn serde_round_trip(topic in "[а-яА-Я ]{0,20}[а-я]", ids in proptest::collection::btree_set(0u128..50, 0..5)) {
            let criteria: Vec<LessonCriterion> = ids
                .iter()
                .map(|n| LessonCriterion::new(CriterionId::from_u128(*n), "умею решать").unwrap())
                .collect();
            let lesson = Lesson::new(LessonId::from_u128(7), ClassId::from_u128(8), date(), &topic, criteria).unwrap();
            let json = serde_json::to_string(&lesson).unwrap();
            prop_assert_eq!(serde_json::from_str::<Lesson>(&json).unwrap(), lesson);
        }
    }
}
