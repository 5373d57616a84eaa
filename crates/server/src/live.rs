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
use tokio::sync::{Mutex, Notify, watch};
use uuid::Uuid;

use crate::accounts::{Account, Role};
use crate::limits::{JoinGuard, Limits, Verdict};
use crate::storage::{ParticipantRow, SessionRow, StorageError, Store};
use crate::wire::{Ack, Board, Closed, Joined, OpenSession, Opened, ParticipantInfo};

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
    /// The teacher locked the room: no new joins.
    #[error("the teacher locked this session: no new joins")]
    Locked,
    /// The session has no such participant (or it was removed already).
    #[error("no such participant in this session")]
    UnknownParticipant,
    /// The answer does not fit the technique or the roster.
    #[error("the answer is refused: {0}")]
    Refused(#[from] LiveError),
    /// A sequence number below 1.
    #[error("sequence numbers start at 1")]
    BadSeq,
    /// This device already stored a different answer under this sequence number (two tabs
    /// numbered answers at once): the tablet numbers it anew and sends it again.
    #[error("this sequence number holds another answer; number the answer anew")]
    SeqTaken,
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
#[derive(Debug, Default)]
struct Participant {
    student: Option<StudentId>,
    /// Sequence numbers stored, each with its answer as stored (JSON).
    seqs: HashMap<i64, String>,
    /// Answers being committed (admitted, not yet stored), by seq.
    pending: HashMap<i64, String>,
    /// The highest sequence number applied to the answers.
    last: i64,
}

impl Participant {
    fn new(student: Option<StudentId>) -> Self {
        Participant { student, ..Participant::default() }
    }
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
    locked: bool,
    /// Closing: the session admits no new answer and waits for those being committed.
    closing: bool,
    /// Answers admitted and not yet stored or given up.
    in_flight: usize,
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
    /// Signalled when the last answer in flight is stored or given up.
    settled: Notify,
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
            locked: s.locked,
        }
    }

    fn changed(&self, s: &mut RunState) {
        s.version += 1;
        self.changes.send_replace(s.version);
    }

    /// Applies a stored answer to the current answers (a later seq of a device replaces its
    /// earlier answer; an older seq arriving late changes nothing).
    fn apply(
        s: &mut RunState,
        participant: &str,
        seq: i64,
        json: String,
        response: Response,
    ) -> Result<(), LiveServerError> {
        let Some(p) = s.participants.get_mut(participant) else {
            return Err(LiveServerError::Corrupt(format!(
                "answer of unknown participant {participant}"
            )));
        };
        p.seqs.insert(seq, json);
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
            locked: false,
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
                locked: false,
                closing: false,
                in_flight: 0,
                version: 0,
            }),
            changes: watch::Sender::new(0),
            settled: Notify::new(),
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
        let session = Session {
            id,
            state: Mutex::new(self.load_state(&row, &spec).await?),
            spec,
            key_hash: row.teacher_key_hash,
            owner: row.owner,
            changes: watch::Sender::new(0),
            settled: Notify::new(),
        };
        let session = Arc::new(session);
        sessions.insert(id, session.clone());
        Ok(session)
    }

    /// A session's state as stored: its participants not removed, their answers replayed in
    /// arrival order.
    async fn load_state(
        &self,
        row: &SessionRow,
        spec: &OpenSession,
    ) -> Result<RunState, LiveServerError> {
        let corrupt = |e: &dyn std::fmt::Display| LiveServerError::Corrupt(e.to_string());
        let mut state = RunState {
            run: self.check_spec(spec)?,
            anonymous: BTreeMap::new(),
            participants: HashMap::new(),
            code: row.code.clone(),
            open: row.closed_at.is_none(),
            locked: row.locked,
            closing: false,
            in_flight: 0,
            version: 1,
        };
        for p in self.store.participants(&row.id).await? {
            let student = match &p.student_id {
                Some(s) => Some(s.parse::<StudentId>().map_err(|e| corrupt(&e))?),
                None => None,
            };
            state.participants.insert(p.id, Participant::new(student));
        }
        for a in self.store.answers(&row.id).await? {
            if !state.participants.contains_key(&a.participant_id) {
                continue; // a removed participant's answer
            }
            let response: Response = serde_json::from_str(&a.response).map_err(|e| corrupt(&e))?;
            Session::apply(&mut state, &a.participant_id, a.seq, a.response, response)?;
        }
        Ok(state)
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
        let mut s = session.state.lock().await;
        if !s.open {
            return Err(LiveServerError::UnknownCode);
        }
        // A locked room says so at the code already, before a name is picked.
        if s.locked {
            return Err(LiveServerError::Locked);
        }
        if !session.spec.anonymous && student.is_none() {
            return Ok(Joined::PickName { session: id, roster: session.spec.roster.clone() });
        }
        let student = if session.spec.anonymous { None } else { student };
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
        s.participants.insert(row.id.clone(), Participant::new(student));
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
        let Some(p) = s.participants.get(&participant) else {
            return Err(LiveServerError::UnknownToken);
        };
        let mut acked: Vec<i64> = p.seqs.keys().copied().collect();
        acked.sort_unstable();
        Ok(Tablet { session: session.id, technique: session.spec.technique.clone(), acked })
    }

    /// Stores an answer exactly once and acknowledges it after the commit; a resend of a stored
    /// seq gets the same ack, and a different answer under a stored seq is refused
    /// ([`LiveServerError::SeqTaken`]).
    ///
    /// The session's lock is held only to admit the answer and to apply it, not across the
    /// commit, so the answers of a whole class share the store's batches instead of waiting for
    /// each other's commits. An admitted answer counts toward the participant's limit while it
    /// is committed; closing waits for the answers admitted before it.
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
        let json = serde_json::to_string(&response)
            .map_err(|e| LiveServerError::Corrupt(e.to_string()))?;
        {
            let mut s = session.state.lock().await;
            let admitted = self.admit(&session, &mut s, &participant, seq, &json, &response)?;
            if !admitted {
                return Ok(Ack { seq });
            }
            s.in_flight += 1;
        }
        let stored = self
            .store
            .insert_answer(&session.id.to_string(), &participant, seq, &json, &stamp(now()))
            .await;
        let mut s = session.state.lock().await;
        s.in_flight -= 1;
        if s.in_flight == 0 {
            session.settled.notify_waiters();
        }
        let p = s.participants.get_mut(&participant);
        let was_pending = p.map(|p| p.pending.remove(&seq).is_some()).unwrap_or(false);
        if !stored? {
            // Stored by an earlier attempt whose ack was lost: the memory lacked it only if a
            // second server wrote to the same database.
            tracing::warn!(session = %session.id, seq, "answer stored before, not in memory");
        }
        if !s.participants.contains_key(&participant) {
            // Removed while the answer was committed: its row stays under the removed
            // participant, like its earlier answers, and counts nowhere.
            return Err(LiveServerError::UnknownToken);
        }
        if was_pending || !s.participants[&participant].seqs.contains_key(&seq) {
            Session::apply(&mut s, &participant, seq, json, response)?;
            session.changed(&mut s);
        }
        Ok(Ack { seq })
    }

    /// Whether an answer is to be committed: `false` for a resend of a stored one (acknowledged
    /// again at once); refusals for everything that may not be stored.
    fn admit(
        &self,
        session: &Session,
        s: &mut RunState,
        participant: &str,
        seq: i64,
        json: &str,
        response: &Response,
    ) -> Result<bool, LiveServerError> {
        let (open, closing) = (s.open, s.closing);
        let Some(p) = s.participants.get_mut(participant) else {
            return Err(LiveServerError::UnknownToken);
        };
        if let Some(stored) = p.seqs.get(&seq) {
            return if stored == json { Ok(false) } else { Err(LiveServerError::SeqTaken) };
        }
        if !open || closing {
            return Err(LiveServerError::Closed);
        }
        if let Some(pending) = p.pending.get(&seq) {
            // The same answer sent twice while the first is committed: the store keeps one row
            // and both are acknowledged after the commit.
            return if pending == json { Ok(true) } else { Err(LiveServerError::SeqTaken) };
        }
        if p.seqs.len() + p.pending.len() >= self.limits.answers_per_participant {
            return Err(LiveServerError::TooManyAnswers);
        }
        let student = p.student;
        match student {
            Some(student) if !s.run.allows(student) => {
                return Err(LiveError::NotInRoster(student).into());
            }
            _ => session.spec.technique.accept(response).map_err(LiveError::from)?,
        }
        if let Some(p) = s.participants.get_mut(participant) {
            p.pending.insert(seq, json.to_owned());
        }
        Ok(true)
    }

    /// The session's state once no answer is being committed: new answers are refused as
    /// closed from the call on (until the caller resets `closing`), so the wait ends.
    async fn settled<'a>(&self, session: &'a Session) -> tokio::sync::MutexGuard<'a, RunState> {
        loop {
            let mut s = session.state.lock().await;
            if s.in_flight == 0 || !s.open {
                s.closing = s.open;
                return s;
            }
            s.closing = true;
            let settled = session.settled.notified();
            drop(s);
            settled.await;
        }
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

    /// The session, which `by` may run: its teacher, or any administrator.
    async fn owned(&self, id: Uuid, by: &Account) -> Result<Arc<Session>, LiveServerError> {
        let session = self.session(id).await?;
        if by.role != Role::Admin && session.owner.as_deref() != Some(by.id.as_str()) {
            return Err(LiveServerError::NotYours);
        }
        Ok(session)
    }

    /// Locks or unlocks the room (its teacher or an administrator): a locked session takes no
    /// new joins; joined tablets keep answering and reconnecting.
    pub async fn lock(
        &self,
        id: Uuid,
        locked: bool,
        by: &Account,
    ) -> Result<Board, LiveServerError> {
        let session = self.owned(id, by).await?;
        let mut s = session.state.lock().await;
        if !s.open {
            return Err(LiveServerError::Closed);
        }
        self.store.set_locked(&id.to_string(), locked).await?;
        s.locked = locked;
        session.changed(&mut s);
        tracing::info!(session = %id, locked, "live session room");
        Ok(session.board(&s))
    }

    /// The joined tablets, with names, for the session's teacher or an administrator.
    pub async fn participants(
        &self,
        id: Uuid,
        by: &Account,
    ) -> Result<Vec<ParticipantInfo>, LiveServerError> {
        let session = self.owned(id, by).await?;
        let rows = self.store.participants(&id.to_string()).await?;
        let s = session.state.lock().await;
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                let p = s.participants.get(&row.id)?;
                let name = p.student.and_then(|st| {
                    session.spec.roster.iter().find(|r| r.id == st).map(|r| r.name.clone())
                });
                Some(ParticipantInfo {
                    id: row.id,
                    student: p.student,
                    name,
                    answers: p.seqs.len(),
                })
            })
            .collect())
    }

    /// Removes a participant (the session's teacher or an administrator): its token stops
    /// working at once (answers, reconnects) and its answers go from the board and from the
    /// evidence the session closes into (their rows stay in the database, under the removed
    /// participant). A named student may join again, unless the room is locked.
    pub async fn remove(
        &self,
        id: Uuid,
        participant: &str,
        by: &Account,
    ) -> Result<Board, LiveServerError> {
        let session = self.owned(id, by).await?;
        let mut s = session.state.lock().await;
        if !s.open {
            return Err(LiveServerError::Closed);
        }
        if !s.participants.contains_key(participant) {
            return Err(LiveServerError::UnknownParticipant);
        }
        let sid = id.to_string();
        if !self.store.remove_participant(&sid, participant, &stamp_now()).await? {
            return Err(LiveServerError::UnknownParticipant);
        }
        {
            let mut tokens = self.tokens.lock().unwrap_or_else(PoisonError::into_inner);
            tokens.retain(|_, (_, p)| p != participant);
        }
        let row = self.store.session(&sid).await?.ok_or(LiveServerError::UnknownSession)?;
        let mut fresh = self.load_state(&row, &session.spec).await?;
        // Answers being committed stay admitted (and counted) for the participants that stay.
        for (id, p) in &mut fresh.participants {
            if let Some(old) = s.participants.get_mut(id) {
                p.pending = std::mem::take(&mut old.pending);
            }
        }
        fresh.version = s.version;
        fresh.in_flight = s.in_flight;
        *s = fresh;
        session.changed(&mut s);
        tracing::info!(session = %id, participant, "participant removed");
        Ok(session.board(&s))
    }

    /// The URL a tablet joins by: the app's join page with the code, on `origin`.
    pub async fn join_url(
        &self,
        id: Uuid,
        origin: &str,
        by: &Account,
    ) -> Result<String, LiveServerError> {
        let session = self.owned(id, by).await?;
        let s = session.state.lock().await;
        if !s.open {
            return Err(LiveServerError::Closed);
        }
        Ok(format!("{origin}/s/join?code={}", s.code))
    }

    /// Closes a session (its teacher or an administrator): its answers become core's evidence
    /// records (stored with the session, so closing again gives the same records).
    pub async fn close(&self, id: Uuid, by: &Account) -> Result<Closed, LiveServerError> {
        let session = self.owned(id, by).await?;
        let mut s = self.settled(&session).await;
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
            Ok(Vec::new())
        } else {
            s.run.close(|| EvidenceId::from_uuid(new_uuid()), at).map_err(LiveServerError::from)
        };
        let stored =
            match records.and_then(|r| Ok((serde_json::to_string(&r).map_err(corrupt)?, r))) {
                Ok((json, records)) => self
                    .store
                    .close_session(&id.to_string(), &stamp(at), &json)
                    .await
                    .map(|closed| (closed, records))
                    .map_err(LiveServerError::from),
                Err(e) => Err(e),
            };
        // Whatever the outcome, answers are admitted again unless the session is closed now.
        s.closing = false;
        let (closed, records) = stored?;
        if !closed {
            return Err(LiveServerError::Closed);
        }
        s.open = false;
        session.changed(&mut s);
        tracing::info!(session = %id, records = records.len(), "live session closed");
        Ok(Closed { records, board: session.board(&s) })
    }
}
