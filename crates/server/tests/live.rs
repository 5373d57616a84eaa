//! Live sessions over real sockets, each on SQLite and on PostgreSQL: a class of 30 tablets with
//! duplicated frames and dropped sockets, a seeded fault run with a server kill, Origin checks,
//! the wrong-code limit and rotation, the HTTP answer path, answers racing a close.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use common::*;
use lesenka_core::technique::{Light, Response};
use lesenka_server::limits::Limits;
use lesenka_server::wire::{Board, ClientFrame, ServerFrame};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

const ANSWERS: usize = 3;

/// How a simulated tablet misbehaves.
#[derive(Clone, Copy)]
enum Habit {
    Plain,
    SendsTwice,
    DropsMidAnswer,
}

/// One tablet answering `ANSWERS` times; the last answer is `light(n + ANSWERS - 1)`.
async fn class_tablet(server: &Server, code: &str, n: usize, habit: Habit) {
    let token = join_named(server, code, n).await;
    let (mut socket, acked) = tablet(server, &token).await;
    assert!(acked.is_empty());
    let mut seq = 0;
    while seq < ANSWERS as i64 {
        seq += 1;
        let frame = ClientFrame::Answer { seq, response: light(n + seq as usize - 1) };
        send(&mut socket, &frame).await;
        match habit {
            Habit::DropsMidAnswer if seq == 2 => {
                // The socket goes before the ack arrives; the tablet reconnects and resends
                // what the welcome does not list.
                drop(socket);
                let (again, acked) = tablet(server, &token).await;
                socket = again;
                if !acked.contains(&seq) {
                    send(&mut socket, &frame).await;
                    expect_ack(&mut socket, seq).await;
                }
                // A resend of an acked seq is acknowledged again, never stored twice.
                send(&mut socket, &frame).await;
                expect_ack(&mut socket, seq).await;
            }
            Habit::SendsTwice => {
                send(&mut socket, &frame).await;
                expect_ack(&mut socket, seq).await;
                expect_ack(&mut socket, seq).await;
            }
            _ => expect_ack(&mut socket, seq).await,
        }
    }
}

async fn expect_ack(socket: &mut Socket, seq: i64) {
    match recv(socket).await {
        Some((ServerFrame::Ack { seq: got }, _)) => assert_eq!(got, seq),
        other => panic!("expected the ack of {seq}, got {other:?}"),
    }
}

async fn projector(server: &Server, session: uuid::Uuid, key: &str) -> Socket {
    let mut socket = connect(server).await;
    send(&mut socket, &ClientFrame::Projector { session, key: key.to_owned() }).await;
    socket
}

/// Reads projector frames until `done` holds for a board; checks no frame names a student.
async fn board_until(socket: &mut Socket, done: impl Fn(&Board) -> bool) -> (Board, usize) {
    let mut frames = 0;
    loop {
        let (frame, text) = recv(socket).await.expect("the projector stays connected");
        frames += 1;
        for n in 0..30 {
            assert!(!text.contains(&name(n)), "a name reached the projector: {text}");
            assert!(!text.contains(&student(n).to_string()), "a student id reached the projector");
        }
        let ServerFrame::Board { board, snapshot } = frame else { panic!("expected a board") };
        assert_eq!(snapshot, frames == 1, "only the first frame is the snapshot");
        if done(&board) {
            return (board, frames);
        }
    }
}

async fn thirty_tablets(db: Db) {
    let url = db.url();
    let server = Server::start(&url, Limits::default());
    let spec = spec(30, false);
    let teacher = teacher(&server, &url).await;
    let opened = open(&server, &teacher, &spec).await;
    let mut screen = projector(&server, opened.session, &opened.teacher_key).await;
    let started = std::time::Instant::now();
    let habits = [Habit::Plain, Habit::SendsTwice, Habit::DropsMidAnswer];
    let tablets = (0..30).map(|n| {
        let (server, code) = (&server, opened.code.as_str());
        async move { class_tablet(server, code, n, habits[n % 3]).await }
    });
    futures_util::future::join_all(tablets).await;

    // Every answer is acked, so the board now is final; the projector must come to it.
    let now: Board = reqwest::Client::new()
        .get(server.http(&format!("/api/sessions/{}/board", opened.session)))
        .bearer_auth(&opened.teacher_key)
        .send()
        .await
        .expect("board")
        .json()
        .await
        .expect("a board");
    let (board, frames) = board_until(&mut screen, |b| b.version >= now.version).await;
    assert_eq!(board, now);
    assert_eq!((board.answered, board.joined, board.roster), (30, 30, 30));
    let elapsed = started.elapsed();
    // Updates are coalesced: no more frames than the snapshot, 30 joins and 30 × 3 answers, at most one
    // per `Limits::coalesce` (with a tenth of slack for timer jitter).
    assert!(frames <= 1 + 30 + 30 * ANSWERS, "{frames} frames");
    let per_second = 1.1 / Limits::default().coalesce.as_secs_f64();
    assert!(
        frames as f64 <= 2.0 + elapsed.as_secs_f64() * per_second,
        "{frames} frames in {elapsed:?}"
    );

    let rows = stored(&url, &opened.session.to_string()).await;
    assert_eq!(rows.len(), 30 * ANSWERS, "exactly one row per answer");
    let mut keys: Vec<(&String, i64)> = rows.iter().map(|(p, s, _)| (p, *s)).collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), rows.len());

    // The projector's counts are the database's: each tablet's answer of its highest seq.
    let mut last: HashMap<&String, (i64, &Response)> = HashMap::new();
    for (p, seq, r) in &rows {
        let entry = last.entry(p).or_insert((*seq, r));
        if *seq > entry.0 {
            *entry = (*seq, r);
        }
    }
    let mut from_db: BTreeMap<String, u32> = BTreeMap::new();
    for (_, r) in last.values() {
        let key = match r {
            Response::Light(Light::Green) => "green",
            Response::Light(Light::Yellow) => "yellow",
            Response::Light(Light::Red) => "red",
            other => panic!("unexpected {other:?}"),
        };
        *from_db.entry(key.to_owned()).or_default() += 1;
    }
    let shown: BTreeMap<String, u32> = board
        .tally
        .options
        .iter()
        .map(|o| (o.key.clone(), o.count))
        .filter(|(_, c)| *c > 0)
        .collect();
    assert_eq!(shown, from_db);
    assert_eq!(board.tally.total, 30);

    // Closing gives core's records: one per student, each with the student's last answer.
    let closed = close(&server, &teacher, opened.session).await;
    assert_eq!(closed.records.len(), 30);
    for record in &closed.records {
        let n = (0..30).find(|n| Some(student(*n)) == record.student()).expect("a roster student");
        assert_eq!(record.value(), &light(n + ANSWERS - 1));
        assert_eq!(record.criterion(), CRITERION);
    }
    assert!(!closed.board.open);
    // The code is gone with the session.
    let again = reqwest::Client::new()
        .post(server.http("/api/join"))
        .json(&serde_json::json!({ "code": opened.code }))
        .send()
        .await
        .expect("join");
    assert_eq!(again.status(), 404);
}
on_both!(thirty_tablets);

/// What one seeded run does to a tablet's frames.
struct Faults {
    rng: StdRng,
}

impl Faults {
    fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p)
    }
}

/// A tablet that queues answers and resends every unacked one after any drop.
async fn faulty_tablet(
    server: &std::sync::Mutex<std::net::SocketAddr>,
    token: &str,
    answers: &[Response],
    faults: &mut Faults,
) -> BTreeMap<i64, Response> {
    let mut acked: BTreeMap<i64, Response> = BTreeMap::new();
    let mut next = 0usize;
    'connection: loop {
        let addr = *server.lock().expect("the address");
        let url = format!("ws://{addr}/api/live");
        let Ok((mut socket, _)) = tokio_tungstenite::connect_async(url).await else {
            tokio::time::sleep(Duration::from_millis(20)).await;
            continue;
        };
        send(&mut socket, &ClientFrame::Tablet { token: token.to_owned() }).await;
        let Some((ServerFrame::Welcome { acked: stored, .. }, _)) = recv(&mut socket).await else {
            continue;
        };
        for seq in stored {
            let i = usize::try_from(seq - 1).expect("a positive seq");
            acked.insert(seq, answers[i].clone());
            next = next.max(i + 1);
        }
        while next < answers.len() {
            let seq = next as i64 + 1;
            let frame = ClientFrame::Answer { seq, response: answers[next].clone() };
            let text = serde_json::to_string(&frame).expect("a frame");
            let copies = if faults.chance(0.25) { 2 } else { 1 };
            for _ in 0..copies {
                use futures_util::SinkExt;
                if socket.send(text.clone().into()).await.is_err() {
                    continue 'connection;
                }
            }
            if faults.chance(0.15) {
                continue 'connection;
            }
            for _ in 0..copies {
                match recv(&mut socket).await {
                    Some((ServerFrame::Ack { seq: got }, _)) => {
                        assert_eq!(got, seq);
                        acked.insert(seq, answers[next].clone());
                    }
                    None => continue 'connection,
                    Some(other) => panic!("unexpected {other:?}"),
                }
            }
            next += 1;
        }
        return acked;
    }
}

async fn seeded_faults(db: Db) {
    let url = db.url();
    let seeds: u64 =
        std::env::var("LESENKA_FAULT_SEEDS").ok().and_then(|s| s.parse().ok()).unwrap_or(200);
    let server = tokio::sync::Mutex::new(Some(Server::start(&url, Limits::default())));
    let addr = std::sync::Mutex::new(server.lock().await.as_ref().expect("up").addr);
    let teacher = {
        let guard = server.lock().await;
        teacher(guard.as_ref().expect("up"), &url).await
    };
    for seed in 0..seeds {
        let running = server.lock().await.as_ref().map(|s| s.addr).expect("up");
        *addr.lock().expect("addr") = running;
        let opened = {
            let guard = server.lock().await;
            open(guard.as_ref().expect("up"), &teacher, &spec(4, false)).await
        };
        let mut tokens = Vec::new();
        {
            let guard = server.lock().await;
            for n in 0..4 {
                tokens.push(join_named(guard.as_ref().expect("up"), &opened.code, n).await);
            }
        }
        let mut rng = StdRng::seed_from_u64(seed);
        let plans: Vec<Vec<Response>> =
            (0..4).map(|_| (0..5).map(|_| light(rng.random_range(0..3))).collect()).collect();
        // Every eighth seed kills the server once while the tablets answer, and starts a new
        // one over the same database.
        let kill_after = (seed % 8 == 3).then(|| Duration::from_millis(rng.random_range(5..60)));
        let tablets = tokens.iter().zip(&plans).enumerate().map(|(i, (token, plan))| {
            let mut faults = Faults { rng: StdRng::seed_from_u64(seed * 1000 + i as u64) };
            let addr = &addr;
            async move { faulty_tablet(addr, token, plan, &mut faults).await }
        });
        let killer = async {
            if let Some(after) = kill_after {
                tokio::time::sleep(after).await;
                let old = server.lock().await.take().expect("up");
                old.kill();
                let new = Server::start(&url, Limits::default());
                *addr.lock().expect("addr") = new.addr;
                *server.lock().await = Some(new);
            }
        };
        let (acked, ()) = tokio::join!(futures_util::future::join_all(tablets), killer);

        let rows = stored(&url, &opened.session.to_string()).await;
        let mut keys: Vec<(&String, i64)> = rows.iter().map(|(p, s, _)| (p, *s)).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), rows.len(), "seed {seed}: a doubled answer");
        // Every tablet finished, so every answer was acked: all are stored, once.
        let acked_total: usize = acked.iter().map(BTreeMap::len).sum();
        assert_eq!(acked_total, 4 * 5, "seed {seed}");
        assert_eq!(rows.len(), 4 * 5, "seed {seed}: a lost or extra answer");
        let guard = server.lock().await;
        let board: Board = reqwest::Client::new()
            .get(
                guard
                    .as_ref()
                    .expect("up")
                    .http(&format!("/api/sessions/{}/board", opened.session)),
            )
            .bearer_auth(&opened.teacher_key)
            .send()
            .await
            .expect("board")
            .json()
            .await
            .expect("a board");
        assert_eq!(board.answered, 4, "seed {seed}");
        for (option, want) in board.tally.options.iter().map(|o| {
            let want = plans.iter().filter(|p| p.last() == Some(&o.value)).count() as u32;
            (o, want)
        }) {
            assert_eq!(option.count, want, "seed {seed}: {}", option.key);
        }
    }
}
on_both!(seeded_faults);

async fn foreign_origin_is_refused(db: Db) {
    let server = Server::start(&db.url(), Limits::default());
    let mut request = server.ws().into_client_request().expect("a request");
    request.headers_mut().insert("origin", "http://evil.example".parse().expect("a header"));
    match tokio_tungstenite::connect_async(request).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), 403)
        }
        other => panic!("expected 403, got {:?}", other.map(|(_, r)| r.status())),
    }
    let mut request = server.ws().into_client_request().expect("a request");
    let own = format!("http://{}", server.addr);
    request.headers_mut().insert("origin", own.parse().expect("a header"));
    let (_socket, response) = tokio_tungstenite::connect_async(request).await.expect("own origin");
    assert_eq!(response.status(), 101);
}
on_both!(foreign_origin_is_refused);

async fn wrong_codes_rotate_and_are_limited(db: Db) {
    let limits = Limits { join_failures_per_ip: 10, rotate_after_failures: 8, ..Limits::default() };
    let url = db.url();
    let server = Server::start(&url, limits);
    let teacher = teacher(&server, &url).await;
    let opened = open(&server, &teacher, &spec(3, false)).await;
    let client = reqwest::Client::new();
    let try_code = |code: String| {
        let client = client.clone();
        let url = server.http("/api/join");
        async move {
            let body = serde_json::json!({ "code": code });
            client.post(url).json(&body).send().await.expect("join").status().as_u16()
        }
    };
    let wrong = |i: u32| {
        format!("{:06}", (opened.code.parse::<u32>().expect("digits") + 1 + i) % 1_000_000)
    };
    for i in 0..8 {
        assert_eq!(try_code(wrong(i)).await, 404);
    }
    // The eighth wrong code rotated every open code: the old one is dead now.
    let board: Board = client
        .get(server.http(&format!("/api/sessions/{}/board", opened.session)))
        .bearer_auth(&opened.teacher_key)
        .send()
        .await
        .expect("board")
        .json()
        .await
        .expect("a board");
    let new_code = board.code.expect("an open session shows its code");
    assert_ne!(new_code, opened.code);
    assert_eq!(try_code(opened.code.clone()).await, 404);
    assert_eq!(try_code(wrong(100)).await, 404);
    // Ten failures from this address: even the right code is refused for the window.
    assert_eq!(try_code(new_code).await, 429);
    // A wrong teacher key sees nothing.
    let denied = client
        .get(server.http(&format!("/api/sessions/{}/board", opened.session)))
        .bearer_auth("not the key")
        .send()
        .await
        .expect("board");
    assert_eq!(denied.status(), 403);
}
on_both!(wrong_codes_rotate_and_are_limited);

async fn http_answers_and_anonymous_sessions(db: Db) {
    let url = db.url();
    let server = Server::start(&url, Limits { answers_per_participant: 3, ..Limits::default() });
    let teacher = teacher(&server, &url).await;
    let opened = open(&server, &teacher, &spec(2, true)).await;
    let client = reqwest::Client::new();
    let joined: lesenka_server::wire::Joined = client
        .post(server.http("/api/join"))
        .json(&serde_json::json!({ "code": opened.code }))
        .send()
        .await
        .expect("join")
        .json()
        .await
        .expect("a Joined");
    let lesenka_server::wire::Joined::Joined { token, .. } = joined else {
        panic!("an anonymous session gives a token at once")
    };
    let post = |seq: i64, response: Response| {
        let body = serde_json::json!({ "token": token, "seq": seq, "response": response });
        let (client, url) = (client.clone(), server.http("/api/answer"));
        async move { client.post(url).json(&body).send().await.expect("answer") }
    };
    let green = Response::Light(Light::Green);
    for _ in 0..3 {
        let r = post(1, green.clone()).await;
        assert_eq!(r.status(), 200);
        assert_eq!(
            r.json::<serde_json::Value>().await.expect("json"),
            serde_json::json!({"seq": 1})
        );
    }
    // Another answer under a stored seq (a second tab numbered at once) is refused, so the
    // tablet numbers it anew; the stored one stays.
    let taken = post(1, Response::Light(Light::Red)).await;
    assert_eq!(taken.status(), 409);
    assert_eq!(taken.json::<serde_json::Value>().await.expect("json")["error"], "seq_taken");
    // A ladder step does not fit a светофор.
    assert_eq!(post(2, Response::Step(2)).await.status(), 422);
    assert_eq!(post(2, Response::Light(Light::Red)).await.status(), 200);
    assert_eq!(post(3, Response::Light(Light::Yellow)).await.status(), 200);
    assert_eq!(post(4, green.clone()).await.status(), 429, "three answers per participant");
    let bad_token = client
        .post(server.http("/api/answer"))
        .json(&serde_json::json!({ "token": "nope", "seq": 1, "response": green }))
        .send()
        .await
        .expect("answer");
    assert_eq!(bad_token.status(), 401);
    assert_eq!(stored(&url, &opened.session.to_string()).await.len(), 3);
    let closed = close(&server, &teacher, opened.session).await;
    assert!(closed.records.is_empty(), "anonymous answers are counts only");
    assert_eq!(closed.board.tally.total, 1);
    assert_eq!(closed.board.answered, 1);
    // Answers after the close are refused; a resend of a stored one still gets its ack.
    assert_eq!(post(5, green.clone()).await.status(), 409);
    assert_eq!(post(3, Response::Light(Light::Yellow)).await.status(), 200);
}
on_both!(http_answers_and_anonymous_sessions);

/// A class answers all at once while the teacher closes: every acknowledged answer is in the
/// evidence, every answer refused as closed is not, and the database holds exactly the former.
async fn answers_racing_a_close(db: Db) {
    let url = db.url();
    let server = Server::start(&url, Limits::default());
    let teacher = teacher(&server, &url).await;
    let opened = open(&server, &teacher, &spec(30, false)).await;
    let mut tokens = Vec::new();
    for n in 0..30 {
        tokens.push(join_named(&server, &opened.code, n).await);
    }
    let client = reqwest::Client::new();
    let mut answers = Vec::new();
    for (n, token) in tokens.into_iter().enumerate() {
        let body = serde_json::json!({ "token": token, "seq": 1, "response": light(n) });
        let (client, url) = (client.clone(), server.http("/api/answer"));
        answers.push(tokio::spawn(async move {
            // Spread over a few milliseconds so that the close lands among them.
            tokio::time::sleep(Duration::from_micros(300 * n as u64)).await;
            (n, client.post(url).json(&body).send().await.expect("answer").status().as_u16())
        }));
    }
    tokio::time::sleep(Duration::from_millis(4)).await;
    let closed = close(&server, &teacher, opened.session).await;
    let mut acked = Vec::new();
    for a in answers {
        let (n, status) = a.await.expect("an answer task");
        match status {
            200 => acked.push(n),
            409 => {}
            other => panic!("answer {n}: status {other}"),
        }
    }
    let mut in_records: Vec<usize> = closed
        .records
        .iter()
        .map(|r| {
            let n = (0..30).find(|n| Some(student(*n)) == r.student()).expect("a roster student");
            assert_eq!(r.value(), &light(n));
            n
        })
        .collect();
    in_records.sort_unstable();
    acked.sort_unstable();
    assert_eq!(in_records, acked, "the evidence holds exactly the acknowledged answers");
    assert_eq!(closed.board.answered, acked.len());
    let rows = stored(&url, &opened.session.to_string()).await;
    assert_eq!(rows.len(), acked.len(), "no answer stored without its ack");
}
on_both!(answers_racing_a_close);
