//! Evidence: immutable records of what a technique showed in a lesson.
//!
//! An [`EvidenceRecord`] is built once from an [`EvidenceDraft`] that passed validation, and never
//! changes afterwards (its fields are private; corrections are new records).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{ClassId, CriterionId, EvidenceId, LessonId, StudentId};
use crate::technique::{Response, ResponseError, TechniqueKind};

/// Who produced a piece of evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The student about themself.
    #[serde(rename = "self")]
    SelfAssessment,
    /// The teacher about the student.
    Teacher,
    /// Another student.
    Peer,
}

impl Source {
    /// Every source.
    pub const ALL: [Source; 3] = [Self::SelfAssessment, Self::Teacher, Self::Peer];
}

/// The fields of a record before validation; also its serialised form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceDraft {
    /// Unique id, made by the caller.
    pub id: EvidenceId,
    /// The lesson it belongs to.
    pub lesson: LessonId,
    /// The date of that lesson (mastery and monthly counts are ordered by it).
    pub lesson_date: NaiveDate,
    /// The class.
    pub class: ClassId,
    /// The student, or none for an anonymous answer.
    pub student: Option<StudentId>,
    /// The criterion assessed.
    pub criterion: CriterionId,
    /// The technique that produced it.
    pub technique: TechniqueKind,
    /// The answer.
    pub value: Response,
    /// Who answered.
    pub source: Source,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
}

/// One immutable piece of evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "EvidenceDraft", into = "EvidenceDraft")]
pub struct EvidenceRecord(EvidenceDraft);

impl EvidenceRecord {
    /// Validates a draft: the value must fit the technique.
    pub fn new(draft: EvidenceDraft) -> Result<Self, ResponseError> {
        draft.value.fits(draft.technique)?;
        Ok(Self(draft))
    }

    /// Unique id.
    pub fn id(&self) -> EvidenceId {
        self.0.id
    }
    /// The lesson.
    pub fn lesson(&self) -> LessonId {
        self.0.lesson
    }
    /// The lesson's date.
    pub fn lesson_date(&self) -> NaiveDate {
        self.0.lesson_date
    }
    /// The class.
    pub fn class(&self) -> ClassId {
        self.0.class
    }
    /// The student, if named.
    pub fn student(&self) -> Option<StudentId> {
        self.0.student
    }
    /// The criterion.
    pub fn criterion(&self) -> CriterionId {
        self.0.criterion
    }
    /// The technique.
    pub fn technique(&self) -> TechniqueKind {
        self.0.technique
    }
    /// The answer.
    pub fn value(&self) -> &Response {
        &self.0.value
    }
    /// Who answered.
    pub fn source(&self) -> Source {
        self.0.source
    }
    /// When it was recorded.
    pub fn recorded_at(&self) -> DateTime<Utc> {
        self.0.recorded_at
    }
    /// All fields, for encoders.
    pub fn as_draft(&self) -> &EvidenceDraft {
        &self.0
    }
}

impl TryFrom<EvidenceDraft> for EvidenceRecord {
    type Error = ResponseError;
    fn try_from(draft: EvidenceDraft) -> Result<Self, Self::Error> {
        Self::new(draft)
    }
}

impl From<EvidenceRecord> for EvidenceDraft {
    fn from(record: EvidenceRecord) -> Self {
        record.0
    }
}
