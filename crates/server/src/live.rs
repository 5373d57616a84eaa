//! Live sessions on the server: open, join by code, answers stored exactly once, the projector's
//! board, close into evidence.
//!
//! A [`Hub`] keeps each open session in memory over core's [`LiveRun`] (which checks every
//! answer against the roster and `Technique::accept`) and writes through [`Store`]: an answer is
//! stored under the unique key `(participant, seq)` and acknowledged only after the commit; a
//! resend of a stored seq gets the same ack and never a second row. A session's in-memory state
//! is rebuilt from the database when first needed (after a restart), replaying the answers in
//! arrival order, so it always equals what is stored. The handlers (`routes`, `socket`) call
//! this module; [`crate::limits`] counts the failed join codes.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::IpAddr;
use std::sync::{Arc, Mutex as StdMutex, PoisonError};

use base64::Engine;
use chrono::{DateTime, SecondsFormat, Utc};
use lesenka_core::evidence::EvidenceRecord;
use lesenka_core::ids::{EvidenceId, StudentId};
use lesenka_core::live::{LiveError, LiveRun};
use lesenka_core::technique::{Response, Tally, Technique};
use rand::Rng;
use sha2::{Digest, Sha256};
use tokio::sync::{Mutex, watch};
use uuid::Uuid;

use crate::accounts::{Account, Role};
use crate::limits::{JoinGuard, Limits, Verdict};
use crate::storage::{ParticipantRow, SessionRow, StorageError, Store};
use crate::wire::{Ack, Board, Closed, Joined, OpenSession, Opened};

/// Why a live-session operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum LiveServerError {
    /// The session could not be opened as asked.
    #[error("cannot open the session: {0}")]
    Invalid(String),
    /// No open session has this code.
    #[error("no open session has this code")]
    UnknownCode,
    /// Too many wrong codes: try again later.
    #[error("too many wrong codes; try again in a minute")]
    TooManyTries,
    /// The student is not on the session's class list.
    #[error("the student is not on this class list")]
    NotInRoster,
    /// No such session.
    #[error("no such session")]
    UnknownSession,
    /// The teacher's key does not match.
    #[error("the teacher's key does not match")]
    WrongKey,
    /// The session was opened by another teacher.
    #[error("this session was opened by another teacher")]
    NotYours,
    /// No participant has this token.
    #[error("unknown participant token")]
    UnknownToken,
    /// The session is closed.
    #[error("the session is closed")]
    Closed,
    /// The answer does not fit the technique or the roster.
    #[error("the answer is refused: {0}")]
    Refused(#[from] LiveError),
    /// A sequence number below 1.
    #[error("sequence numbers start at 1")]
    BadSeq,
    /// The participant stored as many answers as a session allows.
    #[error("too many answers from this participant")]
    TooManyAnswers,
    /// Stored data that does not read back.
    #[error("stored session data does not read back: {0}")]
    Corrupt(String),
    /// The database failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// A random secret: 256 bits, base64url without padding.
pub fn new_secret() -> String {
    let bytes: [u8; 32] = rand::rng().random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// How a secret is stored: its SHA-256, hex.
pub fn secret_hash(secret: &str) -> String {
    Sha256::digest(secret.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

fn new_uuid() -> Uuid {
    uuid::Builder::from_random_bytes(rand::rng().random()).into_uuid()
}

fn new_code() -> String {
    format!("{:06}", rand::rng().random_range(0..1_000_000u32))
}

/// The time now (the server's clock; core takes it as a parameter).
pub(crate) fn now() -> DateTime<Utc> {
    DateTime::<Utc>::from(std::time::SystemTime::now())
}

/// A time as stored: RFC 3339 in UTC with microseconds, so stored times sort as text.
pub(crate) fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// The time now as stored.
pub(crate) fn stamp_now() -> String {
    stamp(now())
}

/// One tablet in a session.
#[derive(Debug)]
struct Participant {
    student: Option<StudentId>,
    /// Sequence numbers stored.
    seqs: HashSet<i64>,
    /// The highest sequence number applied to the answers.
    last: i64,
}

/// What changes while a session runs; behind the session's lock.
#[derive(Debug)]
struct RunState {
    /// Core's run (the class list is its roster); anonymous sessions keep answers by participant.
    run: LiveRun,
    anonymous: BTreeMap<String, Response>,
    participants: HashMap<String, Participant>,
    code: String,
    open: bool,
    version: u64,
}

/// An open (or just closed) session held in memory.
#[derive(Debug)]
struct Session {
    id: Uuid,
    spec: OpenSession,
    key_hash: String,
    owner: Option<String>,
    state: Mutex<RunState>,
    changes: watch::Sender<u64>,
}

impl Session {
    fn board(&self, s: &RunState) -> Board {
        let (tally, answered) = if self.spec.anonymous {
            (Tally::of(&self.spec.technique, s.anonymous.values()), s.anonymous.len())
        } else {
            (s.run.tally(), s.run.answered())
        };
        Board {
            session: self.id,
            code: s.open.then(|| s.code.clone()),
            version: s.version,
            technique: self.spec.technique.kind(),
            tally,
            answered,
            joined: s.participants.len(),
            roster: self.spec.roster.len(),
            open: s.open,
        }
    }

    fn changed(&self, s: &mut RunState) {
        s.version += 1;
        self.changes.send_replace(s.version);
    }

    /// Applies a stored answer to the current answers (a later seq of a device replaces its
    /// earlier answer; an older seq arriving late changes nothing).
    fn apply(
        &self,
        s: &mut RunState,
        participant: &str,
        seq: i64,
        response: Response,
    ) -> Result<(), LiveServerError> {
        let Some(p) = s.participants.get_mut(participant) else {
            return Err(LiveServerError::Corrupt(format!(
                "answer of unknown participant {participant}"
            )));
        };
        p.seqs.insert(seq);
        if seq <= p.last {
            return Ok(());
        }
        p.last = seq;
        match p.student {
            Some(student) => s.run.answer(student, response)?,
            None => {
                s.anonymous.insert(participant.to_owned(), response);
            }
        }
        Ok(())
    }
}

/// The open live sessions and the database behind them.
#[derive(Debug)]
pub struct Hub {
    store: Store,
    limits: Limits,
    guard: JoinGuard,
    sessions: Mutex<HashMap<Uuid, Arc<Session>>>,
    /// Token hash → (session, participant), filled as tokens are seen.
    tokens: StdMutex<HashMap<String, (Uuid, String)>>,
}

/// A projector's view of a session: the current board and a signal on every change.
#[derive(Debug)]
pub struct Watch {
    session: Arc<Session>,
    /// Changes on every change of the board.
    pub changes: watch::Receiver<u64>,
}

impl Watch {
    /// The board now.
    pub async fn board(&self) -> Board {
        let s = self.session.state.lock().await;
        self.session.board(&s)
    }
}

/// A tablet's view: its session and what it stored so far.
#[derive(Debug, Clone)]
pub struct Tablet {
    /// The session.
    pub session: Uuid,
    /// The technique.
    pub technique: Technique,
    /// Sequence numbers stored, ascending.
    pub acked: Vec<i64>,
}

impl Hub {
    /// A hub over a migrated store.
    pub fn new(store: Store, limits: Limits) -> Self {
        Hub {
            store,
            guard: JoinGuard::new(limits.clone()),
            limits,
            sessions: Mutex::new(HashMap::new()),
            tokens: StdMutex::new(HashMap::new()),
        }
    }

    /// The limits in force.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Opens a session: checks it with core, stores it, gives its code and the teacher's key.
    pub async fn open(
        &self,
        spec: OpenSession,
        owner: &Account,
    ) -> Result<Opened, LiveServerError> {
        let run = self.check_spec(&spec)?;
        let id = new_uuid();
        let key = new_secret();
        let spec_json =
            serde_json::to_string(&spec).map_err(|e| LiveServerError::Invalid(e.to_string()))?;
        let opened_at = stamp(now());
        let mut row = SessionRow {
            id: id.to_string(),
            code: String::new(),
            teacher_key_hash: secret_hash(&key),
            spec: spec_json,
            closed_at: None,
            records: None,
            owner: Some(owner.id.clone()),
        };
        let mut tries = 0;
        loop {
            row.code = new_code();
            if self.store.insert_session(&row, &opened_at).await? {
                break;
            }
            tries += 1;
            if tries > 50 {
                return Err(LiveServerError::Invalid("no free join code".into()));
            }
        }
        let session = Arc::new(Session {
            id,
            key_hash: row.teacher_key_hash.clone(),
            owner: row.owner.clone(),
            state: Mutex::new(RunState {
                run,
                anonymous: BTreeMap::new(),
                participants: HashMap::new(),
                code: row.code.clone(),
                open: true,
                version: 0,
            }),
            changes: watch::Sender::new(0),
            spec,
        });
        self.sessions.lock().await.insert(id, session);
        tracing::info!(session = %id, "live session opened");
        Ok(Opened { session: id, code: row.code, teacher_key: key })
    }

    fn check_spec(&self, spec: &OpenSession) -> Result<LiveRun, LiveServerError> {
        if spec.roster.len() > self.limits.max_roster {
            return Err(LiveServerError::Invalid(format!(
                "at most {} students on a class list",
                self.limits.max_roster
            )));
        }
        let mut seen = HashSet::new();
        for entry in &spec.roster {
            let name = entry.name.trim();
            if name.is_empty() || name.chars().count() > 200 {
                return Err(LiveServerError::Invalid(
                    "every student needs a name of 1 to 200 characters".into(),
                ));
            }
            if !seen.insert(entry.id) {
                return Err(LiveServerError::Invalid(format!(
                    "student {} is listed twice",
                    entry.id
                )));
            }
        }
        if spec.anonymous && !spec.technique.anonymous_capable() {
            return Err(LiveServerError::Invalid(
                "this technique cannot be run anonymously".into(),
            ));
        }
        Ok(LiveRun::new(
            &spec.lesson,
            spec.on,
            spec.technique.clone(),
            spec.source,
            spec.roster.iter().map(|r| r.id),
        )?)
    }

    /// The session in memory, read back from the database if this server has not held it yet.
    async fn session(&self, id: Uuid) -> Result<Arc<Session>, LiveServerError> {
        let mut sessions = self.sessions.lock().await;
        if let Some(s) = sessions.get(&id) {
            return Ok(s.clone());
        }
        let row =
            self.store.session(&id.to_string()).await?.ok_or(LiveServerError::UnknownSession)?;
        let corrupt = |e: &dyn std::fmt::Display| LiveServerError::Corrupt(e.to_string());
        let spec: OpenSession = serde_json::from_str(&row.spec).map_err(|e| corrupt(&e))?;
        let run = self.check_spec(&spec)?;
        let mut state = RunState {
            run,
            anonymous: BTreeMap::new(),
            participants: HashMap::new(),
            code: row.code.clone(),
            open: row.closed_at.is_none(),
            version: 0,
        };
        for p in self.store.participants(&row.id).await? {
            let student = match &p.student_id {
                Some(s) => Some(s.parse::<StudentId>().map_err(|e| corrupt(&e))?),
                None => None,
            };
            state.participants.insert(p.id, Participant { student, seqs: HashSet::new(), last: 0 });
        }
        let session = Session {
            id,
            spec,
            key_hash: row.teacher_key_hash,
            owner: row.owner,
            state: Mutex::new(state),
            changes: watch::Sender::new(0),
        };
        {
            let mut s = session.state.lock().await;
            for a in self.store.answers(&row.id).await? {
                let response: Response =
                    serde_json::from_str(&a.response).map_err(|e| corrupt(&e))?;
                session.apply(&mut s, &a.participant_id, a.seq, response)?;
            }
            s.version = 1;
        }
        let session = Arc::new(session);
        sessions.insert(id, session.clone());
        Ok(session)
    }

    /// A tablet joins by code: the class list to pick from, or its token.
    pub async fn join(
        &self,
        ip: IpAddr,
        code: &str,
        student: Option<StudentId>,
    ) -> Result<Joined, LiveServerError> {
        if self.guard.check(ip) == Verdict::Refused {
            return Err(LiveServerError::TooManyTries);
        }
        let well_formed = code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit());
        let found = if well_formed { self.store.open_session_by_code(code).await? } else { None };
        let Some(id) = found.and_then(|id| id.parse::<Uuid>().ok()) else {
            if self.guard.fail(ip) {
                self.rotate_codes().await?;
            }
            return Err(LiveServerError::UnknownCode);
        };
        let session = self.session(id).await?;
        if !session.spec.anonymous && student.is_none() {
            return Ok(Joined::PickName { session: id, roster: session.spec.roster.clone() });
        }
        let student = if session.spec.anonymous { None } else { student };
        let mut s = session.state.lock().await;
        if !s.open {
            return Err(LiveServerError::UnknownCode);
        }
        if let Some(st) = student
            && !s.run.allows(st)
        {
            return Err(LiveServerError::NotInRoster);
        }
        let token = new_secret();
        let row = ParticipantRow {
            id: new_uuid().to_string(),
            session_id: id.to_string(),
            token_hash: secret_hash(&token),
            student_id: student.map(|s| s.to_string()),
        };
        self.store.insert_participant(&row, &stamp(now())).await?;
        s.participants
            .insert(row.id.clone(), Participant { student, seqs: HashSet::new(), last: 0 });
        session.changed(&mut s);
        self.remember_token(row.token_hash, id, row.id);
        Ok(Joined::Joined { session: id, token, technique: session.spec.technique.clone() })
    }

    fn remember_token(&self, hash: String, session: Uuid, participant: String) {
        // A map of ids only: a poisoned lock still holds usable entries.
        let mut tokens = self.tokens.lock().unwrap_or_else(PoisonError::into_inner);
        tokens.insert(hash, (session, participant));
    }

    /// Gives every open session a new code (a flood of wrong codes came in).
    async fn rotate_codes(&self) -> Result<(), LiveServerError> {
        tracing::warn!("many wrong join codes: rotating every open session's code");
        for id in self.store.open_sessions().await? {
            let Ok(uuid) = id.parse::<Uuid>() else {
                return Err(LiveServerError::Corrupt(format!("session id {id}")));
            };
            let session = self.session(uuid).await?;
            let mut s = session.state.lock().await;
            loop {
                let code = new_code();
                if self.store.set_code(&id, &code).await? {
                    s.code = code;
                    break;
                }
            }
            session.changed(&mut s);
        }
        Ok(())
    }

    /// The session and participant a token belongs to.
    async fn participant(&self, token: &str) -> Result<(Arc<Session>, String), LiveServerError> {
        let hash = secret_hash(token);
        let known = {
            let tokens = self.tokens.lock().unwrap_or_else(PoisonError::into_inner);
            tokens.get(&hash).cloned()
        };
        let (session, participant) = match known {
            Some(k) => k,
            None => {
                let row = self
                    .store
                    .participant_by_token(&hash)
                    .await?
                    .ok_or(LiveServerError::UnknownToken)?;
                let session = row
                    .session_id
                    .parse::<Uuid>()
                    .map_err(|e| LiveServerError::Corrupt(e.to_string()))?;
                self.remember_token(hash, session, row.id.clone());
                (session, row.id)
            }
        };
        Ok((self.session(session).await?, participant))
    }

    /// A tablet connects: its session and the seqs stored so far.
    pub async fn tablet(&self, token: &str) -> Result<Tablet, LiveServerError> {
        let (session, participant) = self.participant(token).await?;
        let s = session.state.lock().await;
        let mut acked: Vec<i64> = s
            .participants
            .get(&participant)
            .map(|p| p.seqs.iter().copied().collect())
            .unwrap_or_default();
        acked.sort_unstable();
        Ok(Tablet { session: session.id, technique: session.spec.technique.clone(), acked })
    }

    /// Stores an answer exactly once and acknowledges it after the commit; a resend of a stored
    /// seq gets the same ack.
    pub async fn answer(
        &self,
        token: &str,
        seq: i64,
        response: Response,
    ) -> Result<Ack, LiveServerError> {
        if seq < 1 {
            return Err(LiveServerError::BadSeq);
        }
        let (session, participant) = self.participant(token).await?;
        let mut s = session.state.lock().await;
        let Some(p) = s.participants.get(&participant) else {
            return Err(LiveServerError::UnknownToken);
        };
        if p.seqs.contains(&seq) {
            return Ok(Ack { seq });
        }
        if !s.open {
            return Err(LiveServerError::Closed);
        }
        if p.seqs.len() >= self.limits.answers_per_participant {
            return Err(LiveServerError::TooManyAnswers);
        }
        match p.student {
            Some(student) if !s.run.allows(student) => {
                return Err(LiveError::NotInRoster(student).into());
            }
            _ => session.spec.technique.accept(&response).map_err(LiveError::from)?,
        }
        let json = serde_json::to_string(&response)
            .map_err(|e| LiveServerError::Corrupt(e.to_string()))?;
        let stored = self
            .store
            .insert_answer(&session.id.to_string(), &participant, seq, &json, &stamp(now()))
            .await?;
        if !stored {
            // Stored by an earlier attempt whose ack was lost: the memory lacked it only if a
            // second server wrote to the same database.
            tracing::warn!(session = %session.id, seq, "answer stored before, not in memory");
        }
        session.apply(&mut s, &participant, seq, response)?;
        session.changed(&mut s);
        Ok(Ack { seq })
    }

    fn teacher(&self, session: &Session, key: &str) -> Result<(), LiveServerError> {
        if secret_hash(key) == session.key_hash { Ok(()) } else { Err(LiveServerError::WrongKey) }
    }

    /// The projector's view, for the teacher's key.
    pub async fn watch(&self, id: Uuid, key: &str) -> Result<Watch, LiveServerError> {
        let session = self.session(id).await?;
        self.teacher(&session, key)?;
        let changes = session.changes.subscribe();
        Ok(Watch { session, changes })
    }

    /// The board now, for the teacher's key.
    pub async fn board(&self, id: Uuid, key: &str) -> Result<Board, LiveServerError> {
        Ok(self.watch(id, key).await?.board().await)
    }

    /// Closes a session (its teacher or an administrator): its answers become core's evidence
    /// records (stored with the session, so closing again gives the same records).
    pub async fn close(&self, id: Uuid, by: &Account) -> Result<Closed, LiveServerError> {
        let session = self.session(id).await?;
        if by.role != Role::Admin && session.owner.as_deref() != Some(by.id.as_str()) {
            return Err(LiveServerError::NotYours);
        }
        let mut s = session.state.lock().await;
        let corrupt = |e: serde_json::Error| LiveServerError::Corrupt(e.to_string());
        if !s.open {
            let row = self
                .store
                .session(&id.to_string())
                .await?
                .ok_or(LiveServerError::UnknownSession)?;
            let records: Vec<EvidenceRecord> =
                serde_json::from_str(row.records.as_deref().unwrap_or("[]")).map_err(corrupt)?;
            return Ok(Closed { records, board: session.board(&s) });
        }
        let at = now();
        let records = if session.spec.anonymous {
            Vec::new()
        } else {
            s.run.close(|| EvidenceId::from_uuid(new_uuid()), at)?
        };
        let json = serde_json::to_string(&records).map_err(corrupt)?;
        if !self.store.close_session(&id.to_string(), &stamp(at), &json).await? {
            return Err(LiveServerError::Closed);
        }
        s.open = false;
        session.changed(&mut s);
        tracing::info!(session = %id, records = records.len(), "live session closed");
        Ok(Closed { records, board: session.board(&s) })
    }
}
