//! Who may do what, on SQLite and on PostgreSQL: the role × endpoint matrix (anonymous,
//! participant, the session's teacher, another teacher, administrator), the CSRF check, and the
//! back-off on failed sign-ins.

mod common;

use common::*;
use lesenka_core::technique::{Light, Response};
use lesenka_server::accounts::Role;
use lesenka_server::limits::Limits;
use lesenka_server::wire::Joined;

/// How a caller authenticates.
#[derive(Clone)]
enum Who {
    Anonymous,
    Participant(String),
    Account(Teacher),
}

impl Who {
    fn request(&self, method: reqwest::Method, url: String) -> reqwest::RequestBuilder {
        let request = reqwest::Client::new().request(method, url);
        match self {
            Who::Anonymous | Who::Participant(_) => request,
            Who::Account(t) => request.header("cookie", &t.cookie).header("x-csrf-token", &t.csrf),
        }
    }

    fn token(&self) -> &str {
        match self {
            Who::Participant(token) => token,
            _ => "no token",
        }
    }
}

async fn role_endpoint_matrix(db: Db) {
    let url = db.url();
    let server = Server::start(&url, Limits::default());
    account(&url, "owner", Role::Teacher).await;
    account(&url, "other", Role::Teacher).await;
    account(&url, "admin", Role::Admin).await;
    let owner = sign_in(&server, "owner").await;
    let opened = open(&server, &owner, &spec(3, false)).await;
    let joined: Joined = reqwest::Client::new()
        .post(server.http("/api/join"))
        .json(&serde_json::json!({ "code": opened.code, "student": student(0) }))
        .send()
        .await
        .expect("join")
        .json()
        .await
        .expect("a Joined");
    let Joined::Joined { token, .. } = joined else { panic!("a token") };

    let callers = [
        ("anonymous", Who::Anonymous),
        ("participant", Who::Participant(token)),
        ("other teacher", Who::Account(sign_in(&server, "other").await)),
        ("owner", Who::Account(owner.clone())),
        ("admin", Who::Account(sign_in(&server, "admin").await)),
    ];
    // Expected statuses per endpoint, in the callers' order.
    let close = format!("/api/sessions/{}/close", opened.session);
    let mut seq = 0;
    for (name, who) in &callers {
        seq += 1;
        let open_status = who
            .request(reqwest::Method::POST, server.http("/api/sessions"))
            .json(&spec(2, false))
            .send()
            .await
            .expect("open")
            .status()
            .as_u16();
        let me_status = who
            .request(reqwest::Method::GET, server.http("/api/auth/me"))
            .send()
            .await
            .expect("me")
            .status()
            .as_u16();
        let login = format!("new-{seq}");
        let create_status = who
            .request(reqwest::Method::POST, server.http("/api/accounts"))
            .json(&serde_json::json!({ "login": login, "password": PASSWORD, "role": "teacher" }))
            .send()
            .await
            .expect("create")
            .status()
            .as_u16();
        let answer = serde_json::json!({
            "token": who.token(), "seq": seq, "response": Response::Light(Light::Green)
        });
        let answer_status = who
            .request(reqwest::Method::POST, server.http("/api/answer"))
            .json(&answer)
            .send()
            .await
            .expect("answer")
            .status()
            .as_u16();
        let board_status = who
            .request(
                reqwest::Method::GET,
                server.http(&format!("/api/sessions/{}/board", opened.session)),
            )
            .send()
            .await
            .expect("board")
            .status()
            .as_u16();
        let session = |rest: &str| server.http(&format!("/api/sessions/{}/{rest}", opened.session));
        let lock_status = who
            .request(reqwest::Method::POST, session("lock"))
            .json(&serde_json::json!({ "locked": false }))
            .send()
            .await
            .expect("lock")
            .status()
            .as_u16();
        let participants_status = who
            .request(reqwest::Method::GET, session("participants"))
            .send()
            .await
            .expect("participants")
            .status()
            .as_u16();
        // The participant's id is the teacher's to know; a made-up one is 404 past the check.
        let remove_status = who
            .request(reqwest::Method::DELETE, session("participants/no-such-participant"))
            .send()
            .await
            .expect("remove")
            .status()
            .as_u16();
        let qr = who.request(reqwest::Method::GET, session("qr.svg")).send().await.expect("qr");
        let qr_status = qr.status().as_u16();
        if qr_status == 200 {
            assert_eq!(qr.headers()["content-type"], "image/svg+xml");
            assert!(qr.text().await.expect("svg").contains("<svg"));
        }
        let close_status = who
            .request(reqwest::Method::POST, server.http(&close))
            .send()
            .await
            .expect("close")
            .status()
            .as_u16();
        let got = [
            open_status,
            me_status,
            create_status,
            answer_status,
            board_status,
            lock_status,
            participants_status,
            remove_status,
            qr_status,
            close_status,
        ];
        // After the owner closed it, the administrator may still close it (same records) and
        // list its participants; locking, removing and its QR code are over (409).
        let want = match *name {
            "anonymous" => [401, 401, 401, 401, 403, 401, 401, 401, 401, 401],
            "participant" => [401, 401, 401, 200, 403, 401, 401, 401, 401, 401],
            "other teacher" => [201, 200, 403, 401, 403, 403, 403, 403, 403, 403],
            "owner" => [201, 200, 403, 401, 403, 200, 200, 404, 200, 200],
            "admin" => [201, 200, 201, 401, 403, 409, 200, 409, 409, 200],
            _ => unreachable!(),
        };
        assert_eq!(
            got, want,
            "{name}: open, me, create account, answer, board, lock, participants, remove, qr, close"
        );
    }

    // A signed-in state change without the CSRF header is refused.
    let no_csrf = reqwest::Client::new()
        .post(server.http("/api/sessions"))
        .header("cookie", &owner.cookie)
        .json(&spec(2, false))
        .send()
        .await
        .expect("open");
    assert_eq!(no_csrf.status(), 403);
    // Signing out ends the cookie's session.
    let out = owner.post(server.http("/api/auth/sign-out")).send().await.expect("sign out");
    assert_eq!(out.status(), 204);
    let after = reqwest::Client::new()
        .get(server.http("/api/auth/me"))
        .header("cookie", &owner.cookie)
        .send()
        .await
        .expect("me");
    assert_eq!(after.status(), 401);
}
on_both!(role_endpoint_matrix);

async fn failed_sign_ins_back_off(db: Db) {
    let url = db.url();
    let server = Server::start(&url, Limits::default());
    account(&url, "teacher", Role::Teacher).await;
    let attempt = |password: &'static str| {
        let url = server.http("/api/auth/sign-in");
        async move {
            let body = serde_json::json!({ "login": "Teacher", "password": password });
            reqwest::Client::new().post(url).json(&body).send().await.expect("sign in")
        }
    };
    for _ in 0..5 {
        assert_eq!(attempt("not the password").await.status(), 401);
    }
    // Now even the right password waits.
    let held = attempt(PASSWORD).await;
    assert_eq!(held.status(), 429);
    assert!(held.headers().contains_key("retry-after"));
    let unknown = reqwest::Client::new()
        .post(server.http("/api/auth/sign-in"))
        .json(&serde_json::json!({ "login": "nobody", "password": PASSWORD }))
        .send()
        .await
        .expect("sign in");
    assert_eq!(unknown.status(), 429, "the address is held back too");
}
on_both!(failed_sign_ins_back_off);
