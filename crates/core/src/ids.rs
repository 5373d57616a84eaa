//! Typed identifiers.
//!
//! Every entity is named by a UUID that the caller supplies: core never makes randomness, so
//! the app (or a test) generates the UUID and core only wraps it. Each entity gets its own
//! newtype so a `StudentId` can never be passed where a `ClassId` is expected.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! typed_id {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// Wraps a UUID made by the caller.
            pub const fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }

            /// Builds an id from 128 bits (handy for deterministic tests and fixtures).
            pub const fn from_u128(bits: u128) -> Self {
                Self(Uuid::from_u128(bits))
            }

            /// The UUID inside.
            pub const fn as_uuid(&self) -> &Uuid {
                &self.0
            }

            /// The 16 bytes of the UUID, big-endian.
            pub const fn as_bytes(&self) -> &[u8; 16] {
                self.0.as_bytes()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "({})"), self.0)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }

        impl From<Uuid> for $name {
            fn from(uuid: Uuid) -> Self {
                Self(uuid)
            }
        }
    )*};
}

typed_id! {
    /// A class (группа учеников: «5А»).
    ClassId;
    /// A student in a class.
    StudentId;
    /// A lesson held with a class on a date.
    LessonId;
    /// A planned learning result (планируемый результат).
    PlannedResultId;
    /// An assessment criterion.
    CriterionId;
    /// A rubric (all of its versions share this id).
    RubricId;
    /// One assessment of one student's work with a rubric version.
    AssessmentId;
    /// One immutable evidence record in the journal.
    EvidenceId;
    /// A mark in the gradebook.
    MarkId;
    /// A work type (контрольная, работа на уроке, домашняя…).
    WorkTypeId;
    /// A concept in a concept map.
    ConceptId;
    /// A concept map.
    ConceptMapId;
    /// A community (ПОС) plan.
    PlanId;
    /// An event of a community plan.
    EventId;
    /// A member of a community.
    MemberId;
    /// A goal of a community plan.
    GoalId;
    /// A practice in the community's bank of practices.
    PracticeId;
    /// An observation protocol of an open lesson.
    ProtocolId;
    /// A questionnaire (diagnostics).
    QuestionnaireId;
    /// A respondent's filled questionnaire.
    ResponseSheetId;
    /// A questionnaire run: one form given to one class on one date.
    DiagnosticRunId;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_text_and_json() {
        let id = StudentId::from_u128(0x1234);
        let text = id.to_string();
        assert_eq!(text.parse::<StudentId>().unwrap(), id);
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, format!("\"{text}\""));
        assert_eq!(serde_json::from_str::<StudentId>(&json).unwrap(), id);
    }

    #[test]
    fn rejects_garbage() {
        assert!("not-a-uuid".parse::<ClassId>().is_err());
    }
}
