//! `lesenka-loadtest`: the school server's load benchmark, run by `cargo xtask bench`.
//!
//! Starts a real `lesenka serve` process (the binary given by `--server`) on a fresh SQLite file
//! and drives it over loopback like a school would: tablets join by code over HTTP and hold live
//! sockets, projectors watch the board. Tablet sockets come from several loopback source
//! addresses (`127.0.0.2`…), at most [`PER_SOURCE`] each, so the server's per-IP socket limit
//! (256 by default) applies as it would in a school with one address per tablet. The phases:
//!
//! 1. one class (30 tablets and a projector, a fresh session per round): each tablet answers at
//!    a random moment of a few seconds; answer sent → first board frame that counts it;
//! 2. `--sockets` tablets in classes of 30 with a projector each: every socket welcomed and held;
//!    the server's RSS from `/proc`; then every tablet answers once within 10 s (answer → board
//!    again, at full load) and the classes whose 30 answers all reached their projector are
//!    counted;
//! 3. every tablet answers as fast as its acks come back for a few seconds: durable answers per
//!    second (the server acknowledges an answer only after its commit);
//! 4. the server is stopped (SIGTERM) and started again on the same file: the time until every
//!    tablet is welcomed back, and whether each welcome lists every seq the tablet had acked.
//!
//! "The board counts the k-th answer" is read as: the first frame of that session's projector,
//! received after the k-th answer (in send order) was sent, whose `answered` is at least k (each
//! tablet's first answer in a fresh session raises `answered` by one). Every figure is printed and
//! written to the results list (`{"name","value","unit","goal"}`, same names replaced). It uses
//! the server's wire types; the server library does not depend on it.

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use futures_util::{SinkExt, StreamExt};
use lesenka_core::evidence::Source;
use lesenka_core::ids::{ClassId, CriterionId, LessonId, StudentId};
use lesenka_core::lesson::Lesson;
use lesenka_core::live::On;
use lesenka_core::technique::{Light, Response, Technique};
use lesenka_server::wire::{ClientFrame, Joined, OpenSession, Opened, RosterEntry, ServerFrame};
use rand::Rng;
use serde_json::{Value as Json, json};
use tokio::net::{TcpSocket, TcpStream};
use tokio::sync::{Semaphore, mpsc, watch};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

/// Students in a class.
const CLASS: usize = 30;
/// Tablet sockets per loopback source address (below the server's 256 per IP).
const PER_SOURCE: usize = 200;
/// The administrator the benchmark signs in as.
const LOGIN: &str = "bench";
const PASSWORD: &str = "a long enough bench password";
const CRITERION: CriterionId = CriterionId::from_u128(0xa1);

type Socket = WebSocketStream<TcpStream>;

struct Args {
    server: PathBuf,
    data: PathBuf,
    results: PathBuf,
    sockets: usize,
    rounds: usize,
}

fn usage() -> &'static str {
    "usage: lesenka-loadtest --server PATH/lesenka [--sockets 10000] [--rounds 10] \
     [--data DIR] [--results target/bench/results.json]"
}

fn parse_args() -> Result<Args> {
    let mut args = Args {
        server: PathBuf::new(),
        data: PathBuf::from("target/loadtest-data"),
        results: PathBuf::from("target/bench/results.json"),
        sockets: 10_000,
        rounds: 10,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().with_context(|| format!("{a} needs a value\n{}", usage()));
        match a.as_str() {
            "--server" => args.server = value()?.into(),
            "--data" => args.data = value()?.into(),
            "--results" => args.results = value()?.into(),
            "--sockets" => args.sockets = value()?.parse().context("--sockets needs a number")?,
            "--rounds" => args.rounds = value()?.parse().context("--rounds needs a number")?,
            "-h" | "--help" => {
                println!("{}", usage());
                std::process::exit(0);
            }
            other => bail!("unknown argument {other}\n{}", usage()),
        }
    }
    if args.server.as_os_str().is_empty() {
        bail!("--server is required\n{}", usage());
    }
    Ok(args)
}

fn main() -> Result<()> {
    let args = parse_args()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the runtime")?;
    runtime.block_on(run(args))
}

/// The figures measured, in order.
#[derive(Default)]
struct Figures(Vec<Json>);

impl Figures {
    fn add(&mut self, name: &str, value: f64, unit: &str, goal: &str) {
        println!("  {name}: {value:.1} {unit} (goal {goal})");
        self.0.push(json!({ "name": name, "value": value, "unit": unit, "goal": goal }));
    }

    fn write(&self, path: &Path) -> Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut list: Vec<Json> = match std::fs::read_to_string(path) {
            Ok(text) => serde_json::from_str(&text).with_context(|| path.display().to_string())?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(e.into()),
        };
        list.retain(|r| !self.0.iter().any(|f| f["name"] == r["name"]));
        list.extend(self.0.iter().cloned());
        std::fs::write(path, serde_json::to_string_pretty(&list)? + "\n")?;
        println!("loadtest: figures recorded in {}", path.display());
        Ok(())
    }
}

/// The `lesenka serve` process.
struct Server {
    child: Child,
}

impl Server {
    fn start(bin: &Path, data: &Path, addr: SocketAddr, create_admin: bool) -> Result<Server> {
        let mut cmd = Command::new(bin);
        cmd.arg("serve").arg("--bind").arg(addr.to_string()).arg("--data").arg(data);
        if create_admin {
            cmd.args(["--create-admin", LOGIN]).env("LESENKA_ADMIN_PASSWORD", PASSWORD);
        }
        let child = cmd
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .with_context(|| format!("starting {}", bin.display()))?;
        Ok(Server { child })
    }

    /// The server's resident and peak resident memory, in MB (`/proc/PID/status`).
    fn rss_mb(&self) -> Result<(f64, f64)> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))?;
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
                .map(|kb| kb / 1024.0)
                .with_context(|| format!("no {name} in /proc/{}/status", self.child.id()))
        };
        Ok((field("VmRSS:")?, field("VmHWM:")?))
    }

    /// SIGTERM (the server ends its sockets and finishes what is in flight), then waits.
    fn stop(&mut self) -> Result<()> {
        let pid = self.child.id().to_string();
        let status = Command::new("kill").args(["-TERM", &pid]).status().context("running kill")?;
        if !status.success() {
            bail!("kill -TERM {pid} failed");
        }
        let exit = self.child.wait()?;
        if !exit.success() {
            bail!("the server exited with {exit}");
        }
        Ok(())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // Stopped already, or the benchmark failed: a kill of an ended child only errs.
        if let Ok(None) = self.child.try_wait() {
            let _killed = self.child.kill();
            let _reaped = self.child.wait();
        }
    }
}

/// The HTTP side: a signed-in administrator.
struct Api {
    client: reqwest::Client,
    base: String,
    cookie: String,
    csrf: String,
}

impl Api {
    async fn wait_up(client: &reqwest::Client, base: &str, within: Duration) -> Result<()> {
        let until = Instant::now() + within;
        loop {
            if let Ok(r) = client.get(format!("{base}/api/health")).send().await
                && r.status().is_success()
            {
                return Ok(());
            }
            if Instant::now() > until {
                bail!("the server did not answer /api/health within {within:?}");
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    async fn sign_in(addr: SocketAddr) -> Result<Api> {
        let client = reqwest::Client::builder().pool_max_idle_per_host(64).build()?;
        let base = format!("http://{addr}");
        Api::wait_up(&client, &base, Duration::from_secs(60)).await?;
        let response = client
            .post(format!("{base}/api/auth/sign-in"))
            .json(&json!({ "login": LOGIN, "password": PASSWORD }))
            .send()
            .await?;
        if !response.status().is_success() {
            bail!("sign-in failed: {}", response.status());
        }
        let cookie = response
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .context("no session cookie")?
            .to_owned();
        let me: Json = response.json().await?;
        let csrf = me["csrf"].as_str().context("no CSRF token")?.to_owned();
        Ok(Api { client, base, cookie, csrf })
    }

    async fn open(&self) -> Result<Opened> {
        let response = self
            .client
            .post(format!("{}/api/sessions", self.base))
            .header("cookie", &self.cookie)
            .header("x-csrf-token", &self.csrf)
            .json(&spec())
            .send()
            .await?;
        if response.status().as_u16() != 201 {
            bail!("opening a session: {}", response.status());
        }
        Ok(response.json().await?)
    }

    async fn join(&self, code: &str, n: usize) -> Result<String> {
        let body = json!({ "code": code, "student": student(n) });
        let response =
            self.client.post(format!("{}/api/join", self.base)).json(&body).send().await?;
        if !response.status().is_success() {
            bail!("join: {}", response.status());
        }
        match response.json::<Joined>().await? {
            Joined::Joined { token, .. } => Ok(token),
            Joined::PickName { .. } => bail!("join with a name gave the class list"),
        }
    }
}

fn student(n: usize) -> StudentId {
    StudentId::from_u128(0x5000 + n as u128)
}

fn spec() -> OpenSession {
    let date = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default();
    let lesson = Lesson::with_texts(
        LessonId::from_u128(0x1e),
        ClassId::from_u128(0xc1),
        date,
        "Дроби",
        &[(CRITERION, "Складываю дроби")],
    );
    let lesson = match lesson {
        Ok(l) => l,
        Err(e) => panic!("the bench lesson is valid: {e}"),
    };
    OpenSession {
        lesson,
        on: On::Criterion(CRITERION),
        technique: Technique::TrafficLight,
        source: Source::SelfAssessment,
        roster: (0..CLASS)
            .map(|n| RosterEntry {
                id: student(n), name: format!("Ученик Номер-{n:02}")
            })
            .collect(),
        anonymous: false,
    }
}

fn light(n: usize) -> Response {
    Response::Light([Light::Green, Light::Yellow, Light::Red][n % 3])
}

/// The n-th loopback source address for tablets (`127.0.0.2` on), and for projectors (`127.0.1.x`).
fn source(n: usize, projector: bool) -> Ipv4Addr {
    let block = n / PER_SOURCE;
    if projector {
        Ipv4Addr::new(127, 0, 1, 2 + (block % 250) as u8)
    } else {
        Ipv4Addr::new(127, 0, (2 + block / 250) as u8, 2 + (block % 250) as u8)
    }
}

async fn connect(addr: SocketAddr, from: Ipv4Addr) -> Result<Socket> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(SocketAddr::new(from.into(), 0)).with_context(|| format!("binding {from}"))?;
    let stream = socket.connect(addr).await?;
    stream.set_nodelay(true)?;
    // Small buffers: the client holds as many sockets as the server.
    let config = WebSocketConfig::default().read_buffer_size(4096).write_buffer_size(0);
    let (ws, _) = tokio_tungstenite::client_async_with_config(
        format!("ws://{addr}/api/live"),
        stream,
        Some(config),
    )
    .await?;
    Ok(ws)
}

async fn send(socket: &mut Socket, frame: &ClientFrame) -> Result<()> {
    socket.send(Message::Text(serde_json::to_string(frame)?.into())).await?;
    Ok(())
}

/// The next server frame; `None` when the socket ended.
async fn recv(socket: &mut Socket, within: Duration) -> Result<Option<ServerFrame>> {
    loop {
        let message =
            tokio::time::timeout(within, socket.next()).await.context("no frame in time")?;
        match message {
            Some(Ok(Message::Text(text))) => return Ok(Some(serde_json::from_str(text.as_str())?)),
            Some(Ok(Message::Close(_)) | Err(_)) | None => return Ok(None),
            Some(Ok(_)) => {}
        }
    }
}

/// A tablet's socket after its welcome: the seqs the server lists as stored.
async fn tablet_socket(
    addr: SocketAddr,
    from: Ipv4Addr,
    token: &str,
) -> Result<(Socket, Vec<i64>)> {
    let mut socket = connect(addr, from).await?;
    send(&mut socket, &ClientFrame::Tablet { token: token.to_owned() }).await?;
    match recv(&mut socket, Duration::from_secs(30)).await? {
        Some(ServerFrame::Welcome { acked, .. }) => Ok((socket, acked)),
        other => bail!("expected a welcome, got {other:?}"),
    }
}

/// Sends an answer and waits for its ack.
async fn answer(socket: &mut Socket, seq: i64, n: usize) -> Result<()> {
    send(socket, &ClientFrame::Answer { seq, response: light(n + seq as usize) }).await?;
    match recv(socket, Duration::from_secs(30)).await? {
        Some(ServerFrame::Ack { seq: got }) if got == seq => Ok(()),
        other => bail!("expected the ack of {seq}, got {other:?}"),
    }
}

/// A projector: every board frame (time received, `answered`) until `stop` says so.
async fn projector(
    addr: SocketAddr,
    from: Ipv4Addr,
    opened: &Opened,
    mut stop: watch::Receiver<bool>,
) -> Result<(Socket, Vec<(Instant, usize)>)> {
    let mut socket = connect(addr, from).await?;
    let hello = ClientFrame::Projector { session: opened.session, key: opened.teacher_key.clone() };
    send(&mut socket, &hello).await?;
    let mut frames = Vec::new();
    loop {
        tokio::select! {
            frame = socket.next() => match frame {
                Some(Ok(Message::Text(text))) => {
                    let at = Instant::now();
                    match serde_json::from_str(text.as_str())? {
                        ServerFrame::Board { board, .. } => frames.push((at, board.answered)),
                        other => bail!("a projector got {other:?}"),
                    }
                }
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(e.into()),
                None => bail!("the projector's socket ended"),
            },
            _ = stop.wait_for(|s| *s) => return Ok((socket, frames)),
        }
    }
}

/// Per answer sent (send times of one session), ms until its projector's board counted it.
fn latencies(mut sent: Vec<Instant>, frames: &[(Instant, usize)]) -> (Vec<f64>, bool) {
    sent.sort();
    let mut out = Vec::new();
    for (k, t) in sent.iter().enumerate() {
        match frames.iter().find(|(at, answered)| at >= t && *answered > k) {
            Some((at, _)) => out.push(at.duration_since(*t).as_secs_f64() * 1000.0),
            None => return (out, false),
        }
    }
    (out, true)
}

fn percentile(xs: &mut [f64], p: f64) -> f64 {
    xs.sort_by(f64::total_cmp);
    if xs.is_empty() {
        return f64::NAN;
    }
    xs[((xs.len() as f64 - 1.0) * p).round() as usize]
}

/// Joins tablet `i` to `codes[i]` as student `i % 30`, at most `parallel` at once, the classes
/// taking turns (as a school's classes start together); the tokens in tablet order.
async fn join_all(api: &Arc<Api>, codes: &[String], parallel: usize) -> Result<Vec<String>> {
    let gate = Arc::new(Semaphore::new(parallel));
    let classes = codes.len().div_ceil(CLASS);
    let order = (0..CLASS * classes)
        .map(|k| (k % classes) * CLASS + k / classes)
        .filter(|i| *i < codes.len());
    let mut tasks = Vec::new();
    for i in order {
        let (api, gate, code) = (api.clone(), gate.clone(), codes[i].clone());
        tasks.push((
            i,
            tokio::spawn(async move {
                let _permit = gate.acquire().await?;
                api.join(&code, i % CLASS).await
            }),
        ));
    }
    let mut tokens = vec![String::new(); codes.len()];
    for (i, t) in tasks {
        tokens[i] = t.await??;
    }
    Ok(tokens)
}

/// Phase 1: one class at a time; per round a fresh session, 30 tablets answering once each at a
/// random moment of `window`.
async fn one_class(
    api: &Arc<Api>,
    addr: SocketAddr,
    rounds: usize,
    figures: &mut Figures,
) -> Result<()> {
    let window = Duration::from_secs(3);
    let mut all = Vec::new();
    for _ in 0..rounds {
        let opened = api.open().await?;
        let codes = vec![opened.code.clone(); CLASS];
        let tokens = join_all(api, &codes, 8).await?;
        let (stop_tx, stop_rx) = watch::channel(false);
        let watcher = {
            let opened = opened.clone();
            tokio::spawn(async move { projector(addr, source(0, true), &opened, stop_rx).await })
        };
        let mut sockets = Vec::new();
        for (n, token) in tokens.iter().enumerate() {
            sockets.push(tablet_socket(addr, source(n, false), token).await?.0);
        }
        let start = Instant::now() + Duration::from_millis(200);
        let mut tasks = Vec::new();
        for (n, mut socket) in sockets.into_iter().enumerate() {
            let offset = window.mul_f64(rand::rng().random::<f64>());
            tasks.push(tokio::spawn(async move {
                tokio::time::sleep_until((start + offset).into()).await;
                let sent = Instant::now();
                answer(&mut socket, 1, n).await?;
                Ok::<_, anyhow::Error>((sent, socket))
            }));
        }
        let mut sent = Vec::new();
        let mut held = Vec::new();
        for t in tasks {
            let (at, socket) = t.await??;
            sent.push(at);
            held.push(socket);
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        stop_tx.send_replace(true);
        let (_projector, frames) = watcher.await??;
        let (ms, complete) = latencies(sent, &frames);
        if !complete {
            bail!("one class: the projector never counted every answer");
        }
        all.extend(ms);
    }
    figures.add("answer→board p50 ms one class", percentile(&mut all, 0.50), "ms", "none stated");
    figures.add("answer→board p95 ms one class", percentile(&mut all, 0.95), "ms", "<= 30");
    figures.add("answer→board p99 ms one class", percentile(&mut all, 0.99), "ms", "none stated");
    Ok(())
}

/// What the benchmark's phases tell the tablets.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Phase {
    Hold,
    /// Answer once at a random moment from `start` within `window`.
    Spread {
        start: Instant,
        window: Duration,
    },
    /// Answer as fast as acks come, until `until`.
    Flood {
        until: Instant,
    },
    /// The server is going away: wait for the socket to end, then reconnect.
    Restart,
    Done,
}

/// What a tablet reports.
#[derive(Debug)]
enum Event {
    Welcomed,
    Answered { session: usize, sent: Instant },
    Flooded { acks: usize },
    Back { at: Instant, missing: usize },
    Failed(String),
}

struct Tablet {
    n: usize,
    session: usize,
    token: String,
}

async fn tablet(
    addr: SocketAddr,
    t: Tablet,
    mut phase: watch::Receiver<Phase>,
    events: mpsc::UnboundedSender<Event>,
    connecting: Arc<Semaphore>,
) {
    let outcome = async {
        let from = source(t.n, false);
        let (mut socket, _) = {
            let _permit = connecting.acquire().await?;
            tablet_socket(addr, from, &t.token).await?
        };
        events.send(Event::Welcomed)?;
        let mut acked = Vec::new();
        let mut seq = 0;
        loop {
            let now = *phase.borrow_and_update();
            match now {
                Phase::Hold => {}
                Phase::Spread { start, window } => {
                    let offset = window.mul_f64(rand::rng().random::<f64>());
                    tokio::time::sleep_until((start + offset).into()).await;
                    let sent = Instant::now();
                    seq += 1;
                    answer(&mut socket, seq, t.n).await?;
                    acked.push(seq);
                    events.send(Event::Answered { session: t.session, sent })?;
                }
                Phase::Flood { until } => {
                    let mut acks = 0;
                    while Instant::now() < until {
                        seq += 1;
                        answer(&mut socket, seq, t.n).await?;
                        acked.push(seq);
                        acks += 1;
                    }
                    events.send(Event::Flooded { acks })?;
                }
                Phase::Restart => {
                    // The server ends every socket when it stops.
                    while recv(&mut socket, Duration::from_secs(120)).await?.is_some() {}
                    let again = loop {
                        let attempt = {
                            let _permit = connecting.acquire().await?;
                            tablet_socket(addr, from, &t.token).await
                        };
                        match attempt {
                            Ok(ok) => break ok,
                            Err(_) => {
                                let pause = rand::rng().random_range(50..150);
                                tokio::time::sleep(Duration::from_millis(pause)).await;
                            }
                        }
                    };
                    socket = again.0;
                    let missing = acked.iter().filter(|s| !again.1.contains(s)).count();
                    events.send(Event::Back { at: Instant::now(), missing })?;
                }
                Phase::Done => return Ok::<_, anyhow::Error>(()),
            }
            phase.changed().await?;
        }
    };
    if let Err(e) = outcome.await {
        // The main task may be gone already; then nobody needs the report.
        let _reported = events.send(Event::Failed(format!("tablet {}: {e:#}", t.n)));
    }
}

/// Waits for `count` events `pick` accepts; a failure or the deadline ends it.
async fn collect<T>(
    events: &mut mpsc::UnboundedReceiver<Event>,
    count: usize,
    within: Duration,
    mut pick: impl FnMut(Event) -> Option<T>,
) -> Result<Vec<T>> {
    let until = Instant::now() + within;
    let mut got = Vec::new();
    let mut failures = Vec::new();
    while got.len() + failures.len() < count {
        let event = tokio::time::timeout_at(until.into(), events.recv()).await;
        match event {
            Ok(Some(Event::Failed(why))) => failures.push(why),
            Ok(Some(e)) => {
                if let Some(v) = pick(e) {
                    got.push(v);
                }
            }
            Ok(None) => bail!("every tablet ended"),
            Err(_) => bail!("{} of {count} in {within:?}; failures: {failures:?}", got.len()),
        }
    }
    if !failures.is_empty() {
        bail!("{} tablets failed, first: {}", failures.len(), failures[0]);
    }
    Ok(got)
}

async fn run(args: Args) -> Result<()> {
    if args.data.exists() {
        std::fs::remove_dir_all(&args.data)
            .with_context(|| format!("removing {}", args.data.display()))?;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let mut figures = Figures::default();
    let mut server = Server::start(&args.server, &args.data, addr, true)?;
    let api = Arc::new(Api::sign_in(addr).await?);
    println!(
        "loadtest: server {} (pid {}), data in {}",
        addr,
        server.child.id(),
        args.data.display()
    );

    println!("loadtest: one class, {} rounds of {CLASS}", args.rounds);
    one_class(&api, addr, args.rounds, &mut figures).await?;

    let classes = args.sockets.div_ceil(CLASS);
    println!("loadtest: {} tablets in {classes} classes: opening, joining", args.sockets);
    let t = Instant::now();
    let mut sessions = Vec::new();
    for _ in 0..classes {
        sessions.push(api.open().await?);
    }
    let codes: Vec<String> = (0..args.sockets).map(|i| sessions[i / CLASS].code.clone()).collect();
    let t_join = Instant::now();
    let tokens = join_all(&api, &codes, 64).await?;
    let joins = args.sockets as f64 / t_join.elapsed().as_secs_f64();
    println!(
        "loadtest: {classes} sessions opened and {} joined in {:.1} s",
        tokens.len(),
        t.elapsed().as_secs_f64()
    );
    figures.add("joins per second (durable)", joins, "joins/s", "none stated");

    let (stop_tx, stop_rx) = watch::channel(false);
    let mut projectors = Vec::new();
    for (i, opened) in sessions.iter().enumerate() {
        let (opened, stop) = (opened.clone(), stop_rx.clone());
        projectors.push(tokio::spawn(async move {
            projector(addr, source(i, true), &opened, stop).await
        }));
    }
    let (phase_tx, phase_rx) = watch::channel(Phase::Hold);
    let (events_tx, mut events) = mpsc::unbounded_channel();
    let connecting = Arc::new(Semaphore::new(256));
    let t = Instant::now();
    for (n, token) in tokens.into_iter().enumerate() {
        let t = Tablet { n, session: n / CLASS, token };
        tokio::spawn(tablet(addr, t, phase_rx.clone(), events_tx.clone(), connecting.clone()));
    }
    drop(events_tx);
    let welcomed = collect(&mut events, args.sockets, Duration::from_secs(180), |e| {
        matches!(e, Event::Welcomed).then_some(())
    })
    .await?;
    println!(
        "loadtest: {} tablet sockets welcomed in {:.1} s",
        welcomed.len(),
        t.elapsed().as_secs_f64()
    );
    let (rss_held, _) = server.rss_mb()?;

    let window = Duration::from_secs(10);
    let start = Instant::now() + Duration::from_millis(300);
    phase_tx.send_replace(Phase::Spread { start, window });
    let answered =
        collect(&mut events, args.sockets, window + Duration::from_secs(60), |e| match e {
            Event::Answered { session, sent } => Some((session, sent)),
            _ => None,
        })
        .await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    stop_tx.send_replace(true);
    let mut by_session: HashMap<usize, Vec<Instant>> = HashMap::new();
    for (session, sent) in answered {
        by_session.entry(session).or_default().push(sent);
    }
    let mut all = Vec::new();
    let mut complete = 0;
    let mut held_projectors = Vec::new();
    for (i, p) in projectors.into_iter().enumerate() {
        let (socket, frames) = p.await??;
        held_projectors.push(socket);
        let (ms, whole) = latencies(by_session.remove(&i).unwrap_or_default(), &frames);
        let expected = CLASS.min(args.sockets - i * CLASS);
        if whole && ms.len() == expected {
            complete += 1;
        }
        all.extend(ms);
    }
    let (rss, peak) = server.rss_mb()?;
    let sockets = args.sockets;
    figures.add("live tablet sockets held", welcomed.len() as f64, "sockets", ">= 10000");
    figures.add(
        &format!("server RSS MB at {sockets} sockets (held, before answers)"),
        rss_held,
        "MB",
        "<= 250",
    );
    figures.add(&format!("server RSS MB at {sockets} sockets"), rss, "MB", "<= 250");
    figures.add(&format!("server peak RSS MB at {sockets} sockets"), peak, "MB", "<= 250");
    figures.add(
        "live sessions of 30 at once (every answer on the board)",
        complete as f64,
        "sessions",
        ">= 300",
    );
    figures.add(
        &format!("answer→board p50 ms with {sockets} sockets"),
        percentile(&mut all, 0.50),
        "ms",
        "none stated",
    );
    figures.add(
        &format!("answer→board p95 ms with {sockets} sockets"),
        percentile(&mut all, 0.95),
        "ms",
        "<= 100",
    );
    figures.add(
        &format!("answer→board p99 ms with {sockets} sockets"),
        percentile(&mut all, 0.99),
        "ms",
        "none stated",
    );

    let flood = Duration::from_secs(8);
    let t = Instant::now();
    phase_tx.send_replace(Phase::Flood { until: t + flood });
    let acks = collect(&mut events, args.sockets, flood + Duration::from_secs(60), |e| match e {
        Event::Flooded { acks } => Some(acks),
        _ => None,
    })
    .await?;
    let elapsed = t.elapsed().as_secs_f64();
    let total: usize = acks.iter().sum();
    figures.add(
        &format!("answers per second durable ({sockets} tablets)"),
        total as f64 / elapsed,
        "answers/s",
        ">= 2000",
    );
    let (_, peak) = server.rss_mb()?;
    figures.add(
        &format!("server peak RSS MB after answer flood ({sockets} sockets)"),
        peak,
        "MB",
        "<= 250",
    );

    drop(held_projectors);
    println!("loadtest: restarting the server");
    phase_tx.send_replace(Phase::Restart);
    let t = Instant::now();
    server.stop()?;
    let stopped = t.elapsed().as_secs_f64();
    let mut server = Server::start(&args.server, &args.data, addr, false)?;
    let back = collect(&mut events, args.sockets, Duration::from_secs(180), |e| match e {
        Event::Back { at, missing } => Some((at, missing)),
        _ => None,
    })
    .await?;
    let last = back.iter().map(|(at, _)| *at).max().unwrap_or(t);
    let missing: usize = back.iter().map(|(_, m)| m).sum();
    println!("loadtest: server stopped in {stopped:.1} s");
    figures.add(
        &format!("restart: seconds until {sockets} tablets are back"),
        last.duration_since(t).as_secs_f64(),
        "s",
        "<= 30",
    );
    figures.add("acked answers missing after restart", missing as f64, "answers", "0");
    phase_tx.send_replace(Phase::Done);
    server.stop()?;
    figures.write(&args.results)?;
    if missing > 0 {
        bail!("{missing} acknowledged answers were not stored");
    }
    Ok(())
}
