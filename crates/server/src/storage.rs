//! The server's only SQL: live sessions, participants and answers on SQLite or PostgreSQL.
//!
//! One [`Store`] over sqlx's `Any` driver; every statement is in the portable subset both
//! backends run as written (`$n` parameters, `ON CONFLICT DO NOTHING`, text and 64-bit integer
//! columns). Each backend has its own migrations (`migrations/sqlite/`, `migrations/postgres/`),
//! embedded in the binary and applied on connect. [`crate::live`] is the one caller: it decides
//! what to store, this module only moves rows.
//!
//! Answers and joins go through one writer task with group commit: whatever came in while the
//! previous commit was syncing is written in the next transaction, and each caller gets its
//! result only after that commit (so an ack still follows the answer's own commit, and one sync
//! serves many answers). Should a statement of a batch fail, the batch is rolled back and its
//! writes are run one by one, so one bad write never fails another's.

use std::borrow::Cow;
use std::path::Path;
use std::sync::Once;

use sqlx::AnyPool;
use sqlx::any::AnyPoolOptions;
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{Executor, Row};
use tokio::sync::{mpsc, oneshot};

/// Why the database could not be reached or a statement failed.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The URL names no backend this server speaks.
    #[error("unsupported database URL (expected sqlite:… or postgres://…): {0}")]
    UnsupportedUrl(String),
    /// The data directory could not be made.
    #[error("cannot create the data directory {path}: {source}")]
    DataDir {
        /// The directory.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// A statement or the connection failed.
    #[error("database: {0}")]
    Sql(#[from] sqlx::Error),
    /// A migration failed.
    #[error("database migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The writer task is gone (the store is closing).
    #[error("the database writer has stopped")]
    WriterGone,
}

/// Which SQL server a store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// A live session as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    /// The session's id.
    pub id: String,
    /// The join code in force.
    pub code: String,
    /// The hash of the teacher's key.
    pub teacher_key_hash: String,
    /// What was opened (JSON of [`crate::wire::OpenSession`]).
    pub spec: String,
    /// When it was closed, if it was.
    pub closed_at: Option<String>,
    /// The evidence records it closed with (JSON), once closed.
    pub records: Option<String>,
    /// The account that opened it.
    pub owner: Option<String>,
    /// Whether the teacher locked the room (no new joins).
    pub locked: bool,
}

/// A participant as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParticipantRow {
    /// The participant's id.
    pub id: String,
    /// The session joined.
    pub session_id: String,
    /// The hash of the participant's token.
    pub token_hash: String,
    /// The student picked, if the session is not anonymous.
    pub student_id: Option<String>,
}

/// An answer as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerRow {
    /// Arrival order within the database.
    pub id: i64,
    /// Who answered.
    pub participant_id: String,
    /// The device's sequence number.
    pub seq: i64,
    /// The response (JSON of core's `Response`).
    pub response: String,
}

/// A connection pool over one database, migrated, and its writer task.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    writes: mpsc::Sender<Queued>,
}

/// A write the writer task commits in a batch.
#[derive(Debug)]
enum Write {
    Answer { session: String, participant: String, seq: i64, response: String, received_at: String },
    Participant { row: ParticipantRow, joined_at: String },
}

/// A write and where its result goes (true: a row was inserted).
#[derive(Debug)]
struct Queued {
    write: Write,
    done: oneshot::Sender<Result<bool, StorageError>>,
}

/// The most writes one commit takes.
const MAX_BATCH: usize = 512;

impl Write {
    async fn run(&self, conn: &mut sqlx::AnyConnection) -> Result<bool, sqlx::Error> {
        let done = match self {
            Write::Answer { session, participant, seq, response, received_at } => {
                sqlx::query(
                    "INSERT INTO live_answers \
                     (session_id, participant_id, seq, response, received_at) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                )
                .bind(session)
                .bind(participant)
                .bind(*seq)
                .bind(response)
                .bind(received_at)
                .execute(&mut *conn)
                .await?
            }
            Write::Participant { row, joined_at } => {
                sqlx::query(
                    "INSERT INTO live_participants \
                     (id, session_id, token_hash, student_id, joined_at) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(&row.id)
                .bind(&row.session_id)
                .bind(&row.token_hash)
                .bind(row.student_id.as_deref())
                .bind(joined_at)
                .execute(&mut *conn)
                .await?
            }
        };
        Ok(done.rows_affected() == 1)
    }
}

/// Commits `batch` in one transaction: every write's result, or the error that failed it.
async fn commit(pool: &AnyPool, batch: &[Queued]) -> Result<Vec<bool>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let mut results = Vec::with_capacity(batch.len());
    for q in batch {
        results.push(q.write.run(&mut tx).await?);
    }
    tx.commit().await?;
    Ok(results)
}

/// The writer task: group commit until every [`Store`] is dropped.
async fn writer(pool: AnyPool, mut queue: mpsc::Receiver<Queued>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while queue.recv_many(&mut batch, MAX_BATCH).await > 0 {
        match commit(&pool, &batch).await {
            Ok(results) => {
                for (q, inserted) in batch.drain(..).zip(results) {
                    // A caller that went away (its socket closed) needs no answer.
                    let _gone = q.done.send(Ok(inserted));
                }
            }
            Err(e) => {
                if batch.len() > 1 {
                    tracing::warn!(error = %e, writes = batch.len(), "batch failed; writing one by one");
                }
                for q in batch.drain(..) {
                    let result = match pool.acquire().await {
                        Ok(mut conn) => q.write.run(&mut conn).await.map_err(StorageError::from),
                        Err(e) => Err(e.into()),
                    };
                    // As above: the caller may be gone.
                    let _gone = q.done.send(result);
                }
            }
        }
    }
}

static DRIVERS: Once = Once::new();

fn migrator(backend: Backend) -> Migrator {
    let sql: &'static str = match backend {
        Backend::Sqlite => include_str!("../migrations/sqlite/0001_live.sql"),
        Backend::Postgres => include_str!("../migrations/postgres/0001_live.sql"),
    };
    let accounts: &'static str = match backend {
        Backend::Sqlite => include_str!("../migrations/sqlite/0002_accounts.sql"),
        Backend::Postgres => include_str!("../migrations/postgres/0002_accounts.sql"),
    };
    let room: &'static str = match backend {
        Backend::Sqlite => include_str!("../migrations/sqlite/0003_room.sql"),
        Backend::Postgres => include_str!("../migrations/postgres/0003_room.sql"),
    };
    let communities: &'static str = match backend {
        Backend::Sqlite => include_str!("../migrations/sqlite/0004_communities.sql"),
        Backend::Postgres => include_str!("../migrations/postgres/0004_communities.sql"),
    };
    let step = |version, name, sql| {
        Migration::new(
            version,
            Cow::Borrowed(name),
            MigrationType::Simple,
            Cow::Borrowed(sql),
            false,
        )
    };
    let migrations = vec![
        step(1, "live", sql),
        step(2, "accounts", accounts),
        step(3, "room", room),
        step(4, "communities", communities),
    ];
    Migrator { migrations: Cow::Owned(migrations), ..Migrator::DEFAULT }
}

impl Store {
    /// The SQLite file `dir/lesenka.sqlite3`, created (with `dir`) and migrated if new.
    pub async fn open_dir(dir: &Path) -> Result<Store, StorageError> {
        std::fs::create_dir_all(dir)
            .map_err(|source| StorageError::DataDir { path: dir.display().to_string(), source })?;
        let file = dir.join("lesenka.sqlite3");
        Store::connect(&format!("sqlite://{}?mode=rwc", file.display())).await
    }

    /// Connects to `sqlite:…` or `postgres://…` and applies the migrations it lacks.
    pub async fn connect(url: &str) -> Result<Store, StorageError> {
        DRIVERS.call_once(sqlx::any::install_default_drivers);
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(StorageError::UnsupportedUrl(url.to_owned()));
        };
        let options = AnyPoolOptions::new().max_connections(match backend {
            // One writer at a time is all SQLite has; readers wait on the busy timeout.
            Backend::Sqlite => 4,
            Backend::Postgres => 8,
        });
        let options = match backend {
            Backend::Sqlite => options.after_connect(|conn, _| {
                Box::pin(async move {
                    // WAL lets readers go on during a write; FULL syncs every commit, so an
                    // acknowledged answer survives a power cut.
                    conn.execute("PRAGMA journal_mode = WAL").await?;
                    conn.execute("PRAGMA synchronous = FULL").await?;
                    conn.execute("PRAGMA foreign_keys = ON").await?;
                    conn.execute("PRAGMA busy_timeout = 5000").await?;
                    Ok(())
                })
            }),
            Backend::Postgres => options,
        };
        let pool = options.connect(url).await?;
        migrator(backend).run(&pool).await?;
        let (writes, queue) = mpsc::channel(4 * MAX_BATCH);
        tokio::spawn(writer(pool.clone(), queue));
        Ok(Store { pool, backend, writes })
    }

    /// Queues a write for the next group commit; its result once committed.
    async fn write(&self, write: Write) -> Result<bool, StorageError> {
        let (done, result) = oneshot::channel();
        self.writes.send(Queued { write, done }).await.map_err(|_| StorageError::WriterGone)?;
        result.await.map_err(|_| StorageError::WriterGone)?
    }

    /// Which backend this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Closes the pool, waiting for connections in use.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Stores a new open session; false when its code is taken by another open session.
    pub async fn insert_session(
        &self,
        row: &SessionRow,
        opened_at: &str,
    ) -> Result<bool, StorageError> {
        let done = sqlx::query(
            "INSERT INTO live_sessions (id, code, teacher_key_hash, spec, opened_at, owner) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
        )
        .bind(&row.id)
        .bind(&row.code)
        .bind(&row.teacher_key_hash)
        .bind(&row.spec)
        .bind(opened_at)
        .bind(row.owner.as_deref())
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Gives an open session a new code; false when the code is taken or the session closed.
    pub async fn set_code(&self, session: &str, code: &str) -> Result<bool, StorageError> {
        let clash =
            sqlx::query("SELECT id FROM live_sessions WHERE code = $1 AND closed_at IS NULL")
                .bind(code)
                .fetch_optional(&self.pool)
                .await?;
        if clash.is_some() {
            return Ok(false);
        }
        let done =
            sqlx::query("UPDATE live_sessions SET code = $1 WHERE id = $2 AND closed_at IS NULL")
                .bind(code)
                .bind(session)
                .execute(&self.pool)
                .await;
        match done {
            Ok(done) => Ok(done.rows_affected() == 1),
            // Another session took the code between the check and the update.
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// The open session a join code belongs to.
    pub async fn open_session_by_code(&self, code: &str) -> Result<Option<String>, StorageError> {
        let row = sqlx::query("SELECT id FROM live_sessions WHERE code = $1 AND closed_at IS NULL")
            .bind(code)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.try_get("id")).transpose()?)
    }

    /// The ids of every open session.
    pub async fn open_sessions(&self) -> Result<Vec<String>, StorageError> {
        let rows = sqlx::query("SELECT id FROM live_sessions WHERE closed_at IS NULL")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(|r| r.try_get("id")).collect::<Result<_, _>>()?)
    }

    /// A session by id.
    pub async fn session(&self, id: &str) -> Result<Option<SessionRow>, StorageError> {
        let row = sqlx::query(
            "SELECT id, code, teacher_key_hash, spec, closed_at, records, owner, locked \
             FROM live_sessions WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        Ok(Some(SessionRow {
            id: r.try_get("id")?,
            code: r.try_get("code")?,
            teacher_key_hash: r.try_get("teacher_key_hash")?,
            spec: r.try_get("spec")?,
            closed_at: r.try_get("closed_at")?,
            records: r.try_get("records")?,
            owner: r.try_get("owner")?,
            locked: r.try_get::<i64, _>("locked")? != 0,
        }))
    }

    /// Marks an open session closed with its records; false when it was closed already.
    pub async fn close_session(
        &self,
        id: &str,
        closed_at: &str,
        records: &str,
    ) -> Result<bool, StorageError> {
        let done = sqlx::query(
            "UPDATE live_sessions SET closed_at = $1, records = $2 WHERE id = $3 AND closed_at IS NULL",
        )
        .bind(closed_at)
        .bind(records)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Stores a participant.
    pub async fn insert_participant(
        &self,
        row: &ParticipantRow,
        joined_at: &str,
    ) -> Result<(), StorageError> {
        let write = Write::Participant { row: row.clone(), joined_at: joined_at.to_owned() };
        self.write(write).await?;
        Ok(())
    }

    /// The participant a token's hash belongs to.
    pub async fn participant_by_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<ParticipantRow>, StorageError> {
        let row = sqlx::query(
            "SELECT id, session_id, token_hash, student_id FROM live_participants \
             WHERE token_hash = $1 AND removed_at IS NULL",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(participant).transpose()
    }

    /// Every participant of a session.
    pub async fn participants(&self, session: &str) -> Result<Vec<ParticipantRow>, StorageError> {
        let rows = sqlx::query(
            "SELECT id, session_id, token_hash, student_id FROM live_participants \
             WHERE session_id = $1 AND removed_at IS NULL ORDER BY joined_at, id",
        )
        .bind(session)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(participant).collect()
    }

    /// Locks or unlocks a session's room.
    pub async fn set_locked(&self, session: &str, locked: bool) -> Result<(), StorageError> {
        sqlx::query("UPDATE live_sessions SET locked = $1 WHERE id = $2")
            .bind(i64::from(locked))
            .bind(session)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Marks a participant of a session removed: false when there is no such participant (or
    /// it was removed already).
    pub async fn remove_participant(
        &self,
        session: &str,
        participant: &str,
        removed_at: &str,
    ) -> Result<bool, StorageError> {
        let done = sqlx::query(
            "UPDATE live_participants SET removed_at = $1 \
             WHERE id = $2 AND session_id = $3 AND removed_at IS NULL",
        )
        .bind(removed_at)
        .bind(participant)
        .bind(session)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Stores an answer once: false when `(participant, seq)` is stored already. Returns after
    /// the commit (a group commit with the other answers queued meanwhile).
    pub async fn insert_answer(
        &self,
        session: &str,
        participant: &str,
        seq: i64,
        response: &str,
        received_at: &str,
    ) -> Result<bool, StorageError> {
        self.write(Write::Answer {
            session: session.to_owned(),
            participant: participant.to_owned(),
            seq,
            response: response.to_owned(),
            received_at: received_at.to_owned(),
        })
        .await
    }

    /// Every answer of a session in arrival order.
    pub async fn answers(&self, session: &str) -> Result<Vec<AnswerRow>, StorageError> {
        let rows = sqlx::query(
            "SELECT id, participant_id, seq, response FROM live_answers WHERE session_id = $1 \
             ORDER BY id",
        )
        .bind(session)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AnswerRow {
                    id: r.try_get("id")?,
                    participant_id: r.try_get("participant_id")?,
                    seq: r.try_get("seq")?,
                    response: r.try_get("response")?,
                })
            })
            .collect()
    }
}

/// An account as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountRow {
    /// The account's id.
    pub id: String,
    /// The sign-in name, folded to lower case.
    pub login: String,
    /// The argon2id hash (PHC string).
    pub password_hash: String,
    /// `teacher` or `admin`.
    pub role: String,
}

/// Accounts and their signed-in sessions.
impl Store {
    /// How many accounts there are.
    pub async fn count_accounts(&self) -> Result<i64, StorageError> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM accounts").fetch_one(&self.pool).await?;
        Ok(row.try_get("n")?)
    }

    /// Stores an account; false when the login is taken.
    pub async fn insert_account(
        &self,
        row: &AccountRow,
        created_at: &str,
    ) -> Result<bool, StorageError> {
        let done = sqlx::query(
            "INSERT INTO accounts (id, login, password_hash, role, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        )
        .bind(&row.id)
        .bind(&row.login)
        .bind(&row.password_hash)
        .bind(&row.role)
        .bind(created_at)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The account with this (folded) login.
    pub async fn account_by_login(&self, login: &str) -> Result<Option<AccountRow>, StorageError> {
        let row =
            sqlx::query("SELECT id, login, password_hash, role FROM accounts WHERE login = $1")
                .bind(login)
                .fetch_optional(&self.pool)
                .await?;
        row.as_ref().map(account).transpose()
    }

    /// Stores a signed-in session.
    pub async fn insert_account_session(
        &self,
        token_hash: &str,
        account: &str,
        csrf: &str,
        created_at: &str,
        expires_at: &str,
    ) -> Result<(), StorageError> {
        sqlx::query(
            "INSERT INTO account_sessions (token_hash, account_id, csrf, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(account)
        .bind(csrf)
        .bind(created_at)
        .bind(expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// A signed-in session not expired at `now`: its account and CSRF token.
    pub async fn account_session(
        &self,
        token_hash: &str,
        now: &str,
    ) -> Result<Option<(AccountRow, String)>, StorageError> {
        let row = sqlx::query(
            "SELECT a.id, a.login, a.password_hash, a.role, s.csrf FROM account_sessions s \
             JOIN accounts a ON a.id = s.account_id WHERE s.token_hash = $1 AND s.expires_at > $2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        Ok(Some((account(&r)?, r.try_get("csrf")?)))
    }

    /// Ends a signed-in session.
    pub async fn delete_account_session(&self, token_hash: &str) -> Result<(), StorageError> {
        sqlx::query("DELETE FROM account_sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

/// A community's mailbox as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommunityRow {
    /// Its id (the plan's).
    pub id: String,
    /// Its name.
    pub name: String,
    /// The account that opened it.
    pub owner: String,
    /// That account's login.
    pub owner_login: String,
}

/// A member's file in a community's mailbox, without the file itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleRow {
    /// The member's login.
    pub member: String,
    /// When it came.
    pub sent_at: String,
    /// Its size in bytes.
    pub bytes: i64,
}

/// The ПОС mailboxes: communities and their members' latest files.
impl Store {
    /// Opens a mailbox, or renames it for its owner; `None` when another account owns it.
    pub async fn put_community(
        &self,
        id: &str,
        name: &str,
        owner: &str,
        created_at: &str,
    ) -> Result<Option<CommunityRow>, StorageError> {
        sqlx::query(
            "INSERT INTO communities (id, name, owner, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (id) DO UPDATE SET name = excluded.name \
             WHERE communities.owner = excluded.owner",
        )
        .bind(id)
        .bind(name)
        .bind(owner)
        .bind(created_at)
        .execute(&self.pool)
        .await?;
        Ok(self.community(id).await?.filter(|c| c.owner == owner))
    }

    /// The mailbox with this id.
    pub async fn community(&self, id: &str) -> Result<Option<CommunityRow>, StorageError> {
        let row = sqlx::query(
            "SELECT c.id, c.name, c.owner, a.login FROM communities c \
             JOIN accounts a ON a.id = c.owner WHERE c.id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(community).transpose()
    }

    /// Every mailbox, by name.
    pub async fn communities(&self) -> Result<Vec<CommunityRow>, StorageError> {
        let rows = sqlx::query(
            "SELECT c.id, c.name, c.owner, a.login FROM communities c \
             JOIN accounts a ON a.id = c.owner ORDER BY c.name, c.id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(community).collect()
    }

    /// Stores a member's file, replacing the one it sent before.
    pub async fn put_bundle(
        &self,
        community: &str,
        account: &str,
        body: &str,
        sent_at: &str,
    ) -> Result<(), StorageError> {
        sqlx::query(
            "INSERT INTO community_bundles (community_id, account_id, body, bytes, sent_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (community_id, account_id) \
             DO UPDATE SET body = excluded.body, bytes = excluded.bytes, sent_at = excluded.sent_at",
        )
        .bind(community)
        .bind(account)
        .bind(body)
        .bind(i64::try_from(body.len()).unwrap_or(i64::MAX))
        .bind(sent_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The members' files of a mailbox (without their text), by login.
    pub async fn bundles(&self, community: &str) -> Result<Vec<BundleRow>, StorageError> {
        let rows = sqlx::query(
            "SELECT a.login, b.sent_at, b.bytes FROM community_bundles b \
             JOIN accounts a ON a.id = b.account_id WHERE b.community_id = $1 ORDER BY a.login",
        )
        .bind(community)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(BundleRow {
                    member: r.try_get("login")?,
                    sent_at: r.try_get("sent_at")?,
                    bytes: r.try_get("bytes")?,
                })
            })
            .collect()
    }

    /// One member's file of a mailbox: when it came and its text.
    pub async fn bundle(
        &self,
        community: &str,
        member_login: &str,
    ) -> Result<Option<(String, String)>, StorageError> {
        let row = sqlx::query(
            "SELECT b.sent_at, b.body FROM community_bundles b \
             JOIN accounts a ON a.id = b.account_id \
             WHERE b.community_id = $1 AND a.login = $2",
        )
        .bind(community)
        .bind(member_login)
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        Ok(Some((r.try_get("sent_at")?, r.try_get("body")?)))
    }
}

fn community(r: &sqlx::any::AnyRow) -> Result<CommunityRow, StorageError> {
    Ok(CommunityRow {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        owner: r.try_get("owner")?,
        owner_login: r.try_get("login")?,
    })
}

fn account(r: &sqlx::any::AnyRow) -> Result<AccountRow, StorageError> {
    Ok(AccountRow {
        id: r.try_get("id")?,
        login: r.try_get("login")?,
        password_hash: r.try_get("password_hash")?,
        role: r.try_get("role")?,
    })
}

fn participant(r: &sqlx::any::AnyRow) -> Result<ParticipantRow, StorageError> {
    Ok(ParticipantRow {
        id: r.try_get("id")?,
        session_id: r.try_get("session_id")?,
        token_hash: r.try_get("token_hash")?,
        student_id: r.try_get("student_id")?,
    })
}
