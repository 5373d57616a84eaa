//! What goes over the wire between the app and the school server: the JSON bodies of `/api/…`
//! and the frames of the live socket (`/api/live`).
//!
//! One definition for both ends: `lesenka-server` parses requests into these types and
//! `lesenka-app` (compiled to wasm32) builds and reads them, so the two cannot drift apart; the
//! load tool (`crates/loadtest`) speaks them too. Domain values inside are core's own serde
//! forms (`Lesson`, `Technique`, `Response`, `Tally`, `EvidenceRecord`). Plain data only: no
//! I/O, no async. The `openapi` feature (the server's) derives the OpenAPI schemas (utoipa).

use lesenka_core::evidence::{EvidenceRecord, Source};
use lesenka_core::ids::StudentId;
use lesenka_core::lesson::Lesson;
use lesenka_core::live::On;
use lesenka_core::technique::{Response, Tally, Technique, TechniqueKind};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One student of the class list a tablet picks a name from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RosterEntry {
    /// The student.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Uuid))]
    pub id: StudentId,
    /// The name shown on the tablets (never on the projector).
    pub name: String,
}

/// `POST /api/sessions`: what a teacher opens a live session for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpenSession {
    /// The lesson (core's form; its criteria and date go into the records).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub lesson: Lesson,
    /// What the technique is run on: a criterion of the lesson, or the lesson.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub on: On,
    /// The technique as configured.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub technique: Technique,
    /// Who answers (the students about themselves unless said otherwise).
    #[serde(default = "self_assessment")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub source: Source,
    /// The class list.
    pub roster: Vec<RosterEntry>,
    /// Whether tablets join without a name (counts only; no records on close).
    #[serde(default)]
    pub anonymous: bool,
}

fn self_assessment() -> Source {
    Source::SelfAssessment
}

/// The answer to opening a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Opened {
    /// The session.
    pub session: Uuid,
    /// The 6-digit join code (valid while the session is open; it may be rotated).
    pub code: String,
    /// The teacher's key for the projector and for closing (`Authorization: Bearer …`).
    pub teacher_key: String,
}

/// `POST /api/join`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Join {
    /// The code on the projector.
    pub code: String,
    /// The name picked from the class list (none: ask for the list, or join anonymously).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Uuid))]
    pub student: Option<StudentId>,
}

/// The answer to a join.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Joined {
    /// Pick a name from the class list, then join again with it.
    PickName {
        /// The session.
        session: Uuid,
        /// The class list.
        roster: Vec<RosterEntry>,
    },
    /// Joined: keep the token for the lesson.
    Joined {
        /// The session.
        session: Uuid,
        /// The participant token (256 random bits, base64url).
        token: String,
        /// The technique to answer.
        #[cfg_attr(feature = "openapi", schema(value_type = Object))]
        technique: Technique,
    },
}

/// `POST /api/answer`: one answer with its device sequence number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Answer {
    /// The participant token.
    pub token: String,
    /// The device's sequence number, from 1; a resend carries the same one.
    pub seq: i64,
    /// The answer.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub response: Response,
}

/// An answer stored (or stored before, for a resend).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Ack {
    /// The sequence number acknowledged.
    pub seq: i64,
}

/// What the projector shows: anonymous counts, never a name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Board {
    /// The session.
    pub session: Uuid,
    /// The join code while open.
    pub code: Option<String>,
    /// Grows with every change; a gap means "take the snapshot".
    pub version: u64,
    /// The technique run.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub technique: TechniqueKind,
    /// Core's anonymous tally of the current answers.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub tally: Tally,
    /// How many have a current answer.
    pub answered: usize,
    /// How many tablets joined.
    pub joined: usize,
    /// How many are on the class list.
    pub roster: usize,
    /// Whether answers are still taken.
    pub open: bool,
    /// Whether the teacher locked the room: no new joins (joined tablets keep answering).
    #[serde(default)]
    pub locked: bool,
}

/// `POST /api/sessions/{id}/lock`: lock or unlock the room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Lock {
    /// True: no new joins; false: joins by code again.
    pub locked: bool,
}

/// One joined tablet, for its teacher (never for the projector).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ParticipantInfo {
    /// The participant's id (what removing names).
    pub id: String,
    /// The student picked (none in an anonymous session).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub student: Option<StudentId>,
    /// The student's name on the class list.
    pub name: Option<String>,
    /// How many answers it stored.
    pub answers: usize,
}

/// What closing a session gives back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Closed {
    /// The evidence records, as the offline flow makes them (none for anonymous sessions).
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub records: Vec<EvidenceRecord>,
    /// The final board.
    pub board: Board,
}

/// A frame a client sends on `/api/live`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientFrame {
    /// The first frame of a tablet.
    Tablet {
        /// The participant token.
        token: String,
    },
    /// The first frame of a projector.
    Projector {
        /// The session.
        session: Uuid,
        /// The teacher's key.
        key: String,
    },
    /// A tablet's answer.
    Answer {
        /// The device's sequence number.
        seq: i64,
        /// The answer.
        #[cfg_attr(feature = "openapi", schema(value_type = Object))]
        response: Response,
    },
}

/// A frame the server sends on `/api/live`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerFrame {
    /// A tablet is in: the technique and the sequence numbers stored so far (drop those from
    /// the queue, resend the rest).
    Welcome {
        /// The session.
        session: Uuid,
        /// The technique.
        #[cfg_attr(feature = "openapi", schema(value_type = Object))]
        technique: Technique,
        /// Sequence numbers already stored.
        acked: Vec<i64>,
    },
    /// An answer is stored.
    Ack {
        /// Its sequence number.
        seq: i64,
    },
    /// An answer was refused (a resend gets the same refusal).
    Refused {
        /// Its sequence number.
        seq: i64,
        /// Why.
        reason: String,
    },
    /// The projector's state; `snapshot` on the first frame of a connection.
    Board {
        /// Whether this is the first frame of the connection.
        snapshot: bool,
        /// The board.
        #[serde(flatten)]
        board: Board,
    },
    /// The connection cannot go on.
    Error {
        /// Why.
        reason: String,
    },
}

/// `PUT /api/communities/{id}`: a ПОС leader opens a mailbox for its members' data (the id is
/// the plan's), or renames it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpenCommunity {
    /// The community's name, as its members will see it (1 to 200 characters).
    pub name: String,
}

/// A community's mailbox on the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommunityInfo {
    /// Its id (the plan's).
    pub id: Uuid,
    /// Its name.
    pub name: String,
    /// The leader's login.
    pub leader: String,
}

/// `PUT /api/communities/{id}/bundle`: a member's exported file (the app's backup, as its text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SendBundle {
    /// The exported file's text.
    pub file: String,
}

/// A member's file in a mailbox, without its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BundleInfo {
    /// The member's login.
    pub member: String,
    /// When it came (RFC 3339, UTC).
    pub sent_at: String,
    /// Its size in bytes.
    pub bytes: u64,
}

/// A member's file in a mailbox, with its text (for the leader's import).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Bundle {
    /// The member's login.
    pub member: String,
    /// When it came (RFC 3339, UTC).
    pub sent_at: String,
    /// The exported file's text.
    pub file: String,
}
