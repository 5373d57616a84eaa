//! The server tests' harness: a database per test (a temporary SQLite file, or a fresh database
//! on PostgreSQL), a server on 127.0.0.1:0 in its own runtime that a test can kill and start
//! again, and HTTP and WebSocket clients speaking the server's wire types.

#![allow(dead_code, reason = "each test binary uses part of the harness")]

use std::net::SocketAddr;
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

use chrono::NaiveDate;
use futures_util::{SinkExt, StreamExt};
use lesenka_core::ids::{ClassId, CriterionId, LessonId, StudentId};
use lesenka_core::lesson::Lesson;
use lesenka_core::live::On;
use lesenka_core::technique::{Light, Response, Technique};
use lesenka_server::accounts::{Accounts, Role};
use lesenka_server::limits::Limits;
use lesenka_server::storage::Store;
use lesenka_server::wire::{
    ClientFrame, Closed, Joined, OpenSession, Opened, RosterEntry, ServerFrame,
};
use lesenka_server::{AppState, Config};
use sqlx::{Connection, Executor};
use tokio_tungstenite::tungstenite::Message;

pub const CRITERION: CriterionId = CriterionId::from_u128(0xa1);

/// Where a test's data lives.
pub enum Db {
    /// A temporary SQLite file (the directory goes with the value).
    Sqlite(tempfile::TempDir),
    /// A database of its own on a PostgreSQL server: its URL, the server's admin URL, its name.
    Postgres(String, String, String),
}

impl Drop for Db {
    fn drop(&mut self) {
        let Db::Postgres(_, admin, name) = self else { return };
        let (admin, sql) = (admin.clone(), format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        // Drop runs inside the test's runtime, which cannot block on another future: a thread
        // with a runtime of its own drops the database.
        let dropped = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
            rt.block_on(async {
                let mut conn = sqlx::AnyConnection::connect(&admin).await?;
                conn.execute(sql.as_str()).await?;
                Ok::<(), sqlx::Error>(())
            })
            .map_err(std::io::Error::other)
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            // A leftover database only takes disk space; the next run makes fresh ones.
            eprintln!("could not drop the test database {name}");
        }
    }
}

impl Db {
    pub fn sqlite() -> Db {
        Db::Sqlite(tempfile::tempdir().expect("a temporary directory"))
    }

    /// A fresh database on PostgreSQL, or `None` (with the reason printed) when there is none.
    pub async fn postgres() -> Option<Db> {
        let admin = match postgres_admin() {
            Ok(url) => url,
            Err(reason) => {
                eprintln!("skipping the PostgreSQL variant: {reason}");
                return None;
            }
        };
        sqlx::any::install_default_drivers();
        let name = format!("lesenka_t_{:032x}", rand::random::<u128>());
        let mut conn = sqlx::AnyConnection::connect(&admin).await.expect("connect to PostgreSQL");
        conn.execute(format!("CREATE DATABASE {name}").as_str()).await.expect("create database");
        let url = match admin.rsplit_once('/') {
            Some((server, _)) => format!("{server}/{name}"),
            None => panic!("LESENKA_TEST_POSTGRES must end in /DATABASE: {admin}"),
        };
        Some(Db::Postgres(url, admin, name))
    }

    pub fn url(&self) -> String {
        match self {
            Db::Sqlite(dir) => {
                format!("sqlite://{}?mode=rwc", dir.path().join("lesenka.sqlite3").display())
            }
            Db::Postgres(url, _, _) => url.clone(),
        }
    }
}

/// The PostgreSQL server for tests: `LESENKA_TEST_POSTGRES`, else the local cluster started with
/// `pg_ctlcluster` and a `lesenka` role made in it.
fn postgres_admin() -> Result<String, String> {
    static URL: OnceLock<Result<String, String>> = OnceLock::new();
    URL.get_or_init(|| {
        if let Ok(url) = std::env::var("LESENKA_TEST_POSTGRES") {
            return Ok(url);
        }
        let clusters = Command::new("pg_lsclusters").arg("-h").output().map_err(|e| {
            format!("LESENKA_TEST_POSTGRES is unset and pg_lsclusters is missing ({e})")
        })?;
        let listing = String::from_utf8_lossy(&clusters.stdout);
        let first = listing.lines().next().ok_or("pg_ctlcluster exists but no cluster does")?;
        let fields: Vec<&str> = first.split_whitespace().collect();
        let [version, cluster, port, status, ..] = fields[..] else {
            return Err(format!("cannot read pg_lsclusters: {first}"));
        };
        if status != "online" {
            let started = Command::new("pg_ctlcluster")
                .args([version, cluster, "start"])
                .status()
                .map_err(|e| format!("pg_ctlcluster: {e}"))?;
            if !started.success() {
                return Err(format!("pg_ctlcluster {version} {cluster} start failed"));
            }
        }
        let sql = "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lesenka') \
                   THEN CREATE ROLE lesenka LOGIN SUPERUSER PASSWORD 'lesenka'; END IF; END $$;";
        let made = Command::new("runuser")
            .args(["-u", "postgres", "--", "psql", "-p", port, "-q", "-c", sql])
            .status()
            .map_err(|e| format!("psql as postgres: {e}"))?;
        if !made.success() {
            return Err("could not create the lesenka role".into());
        }
        Ok(format!("postgres://lesenka:lesenka@127.0.0.1:{port}/postgres"))
    })
    .clone()
}

/// A server in a runtime of its own, so that killing it ends every connection at once.
pub struct Server {
    pub addr: SocketAddr,
    kill: Option<std::sync::mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    pub fn start(url: &str, limits: Limits) -> Server {
        Server::start_with(url, Config { limits, ..Config::default() })
    }

    pub fn start_with(url: &str, config: Config) -> Server {
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let (kill_tx, kill_rx) = std::sync::mpsc::channel::<()>();
        let url = url.to_owned();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("a runtime");
            rt.block_on(async {
                let store = Store::connect(&url).await.expect("connect and migrate");
                let listener =
                    tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind a port");
                ready_tx.send(listener.local_addr().expect("an address")).expect("tell the test");
                let state = AppState::new(store, config);
                tokio::spawn(lesenka_server::serve(listener, state, std::future::pending()));
            });
            // Blocks until the test kills the server (or drops it).
            let _killed = kill_rx.recv();
            rt.shutdown_background();
        });
        let addr = ready_rx.recv_timeout(Duration::from_secs(30)).expect("the server starts");
        Server { addr, kill: Some(kill_tx), thread: Some(thread) }
    }

    /// Ends the server at once: its tasks and sockets are dropped mid-flight.
    pub fn kill(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        if let Some(kill) = self.kill.take() {
            // The thread may be gone already if the server panicked; joining tells.
            let _sent = kill.send(());
        }
        if let Some(thread) = self.thread.take() {
            thread.join().expect("the server thread ends cleanly");
        }
    }

    pub fn http(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn ws(&self) -> String {
        format!("ws://{}/api/live", self.addr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

pub fn student(n: usize) -> StudentId {
    StudentId::from_u128(0x5000 + n as u128)
}

pub fn name(n: usize) -> String {
    format!("Ученик Номер-{n:02}")
}

pub fn lesson() -> Lesson {
    let date = NaiveDate::from_ymd_opt(2026, 12, 1).expect("a date");
    Lesson::with_texts(
        LessonId::from_u128(0x1e),
        ClassId::from_u128(0xc1),
        date,
        "Дроби",
        &[(CRITERION, "Складываю дроби")],
    )
    .expect("a lesson")
}

pub fn spec(students: usize, anonymous: bool) -> OpenSession {
    OpenSession {
        lesson: lesson(),
        on: On::Criterion(CRITERION),
        technique: Technique::TrafficLight,
        source: lesenka_core::evidence::Source::SelfAssessment,
        roster: (0..students).map(|n| RosterEntry { id: student(n), name: name(n) }).collect(),
        anonymous,
    }
}

pub fn light(n: usize) -> Response {
    Response::Light([Light::Green, Light::Yellow, Light::Red][n % 3])
}

/// A signed-in account: its cookie and CSRF token.
#[derive(Clone)]
pub struct Teacher {
    pub cookie: String,
    pub csrf: String,
}

impl Teacher {
    /// A state-changing request as this account (cookie and CSRF header).
    pub fn post(&self, url: String) -> reqwest::RequestBuilder {
        reqwest::Client::new()
            .post(url)
            .header("cookie", &self.cookie)
            .header("x-csrf-token", &self.csrf)
    }
}

/// Makes an account directly in the database (as `lesenka serve --create-admin` does).
pub async fn account(url: &str, login: &str, role: Role) {
    let store = Store::connect(url).await.expect("connect");
    Accounts::new(store.clone()).create(login, PASSWORD, role).await.expect("an account");
    store.close().await;
}

pub const PASSWORD: &str = "a long enough password";

/// Signs in over HTTP.
pub async fn sign_in(server: &Server, login: &str) -> Teacher {
    let response = reqwest::Client::new()
        .post(server.http("/api/auth/sign-in"))
        .json(&serde_json::json!({ "login": login, "password": PASSWORD }))
        .send()
        .await
        .expect("sign in");
    assert_eq!(response.status(), 200);
    let set_cookie = response.headers()["set-cookie"].to_str().expect("ascii").to_owned();
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Strict"));
    let cookie = set_cookie.split(';').next().expect("a cookie").to_owned();
    let me: lesenka_server::Me = response.json().await.expect("a Me");
    Teacher { cookie, csrf: me.csrf }
}

/// A teacher account made and signed in.
pub async fn teacher(server: &Server, url: &str) -> Teacher {
    account(url, "teacher", Role::Teacher).await;
    sign_in(server, "teacher").await
}

pub async fn open(server: &Server, teacher: &Teacher, spec: &OpenSession) -> Opened {
    let response =
        teacher.post(server.http("/api/sessions")).json(spec).send().await.expect("open a session");
    assert_eq!(response.status(), 201);
    response.json().await.expect("an Opened")
}

/// Closes the session as `teacher`: its records and last board (the close must succeed).
pub async fn close(server: &Server, teacher: &Teacher, session: uuid::Uuid) -> Closed {
    let response = teacher
        .post(server.http(&format!("/api/sessions/{session}/close")))
        .send()
        .await
        .expect("close");
    assert_eq!(response.status(), 200);
    response.json().await.expect("a Closed")
}

/// Joins with the name of `n` (after asking for the class list); the token.
pub async fn join_named(server: &Server, code: &str, n: usize) -> String {
    let client = reqwest::Client::new();
    let body = serde_json::json!({ "code": code });
    let first: Joined = client
        .post(server.http("/api/join"))
        .json(&body)
        .send()
        .await
        .expect("join")
        .json()
        .await
        .expect("a Joined");
    let Joined::PickName { roster, .. } = first else { panic!("expected the class list") };
    assert!(roster.iter().any(|r| r.id == student(n)));
    let body = serde_json::json!({ "code": code, "student": student(n) });
    let second: Joined = client
        .post(server.http("/api/join"))
        .json(&body)
        .send()
        .await
        .expect("join")
        .json()
        .await
        .expect("a Joined");
    match second {
        Joined::Joined { token, .. } => token,
        Joined::PickName { .. } => panic!("expected a token"),
    }
}

pub type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

pub async fn connect(server: &Server) -> Socket {
    let (socket, _) = tokio_tungstenite::connect_async(server.ws()).await.expect("connect");
    socket
}

pub async fn send(socket: &mut Socket, frame: &ClientFrame) {
    let text = serde_json::to_string(frame).expect("a frame");
    socket.send(Message::Text(text.into())).await.expect("send");
}

/// The next server frame as parsed, with its raw text.
pub async fn recv(socket: &mut Socket) -> Option<(ServerFrame, String)> {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(20), socket.next())
            .await
            .expect("a frame within 20 s")?;
        match message {
            Ok(Message::Text(text)) => {
                let frame = serde_json::from_str(text.as_str()).expect("a server frame");
                return Some((frame, text.as_str().to_owned()));
            }
            Ok(Message::Close(_)) | Err(_) => return None,
            Ok(_) => {}
        }
    }
}

/// A tablet's socket after the welcome: the seqs the server has.
pub async fn tablet(server: &Server, token: &str) -> (Socket, Vec<i64>) {
    let mut socket = connect(server).await;
    send(&mut socket, &ClientFrame::Tablet { token: token.to_owned() }).await;
    match recv(&mut socket).await {
        Some((ServerFrame::Welcome { acked, .. }, _)) => (socket, acked),
        other => panic!("expected a welcome, got {other:?}"),
    }
}

/// Every stored answer of a session: (participant, seq, response).
pub async fn stored(url: &str, session: &str) -> Vec<(String, i64, Response)> {
    let store = Store::connect(url).await.expect("connect");
    let rows = store.answers(session).await.expect("answers");
    store.close().await;
    rows.into_iter()
        .map(|r| (r.participant_id, r.seq, serde_json::from_str(&r.response).expect("a response")))
        .collect()
}

/// Runs a scenario on SQLite, and on PostgreSQL when there is one.
#[macro_export]
macro_rules! on_both {
    ($scenario:ident) => {
        mod $scenario {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$scenario(super::common::Db::sqlite()).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(db) = super::common::Db::postgres().await {
                    super::$scenario(db).await;
                }
            }
        }
    };
}
