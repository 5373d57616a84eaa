//! Room control over a real socket, on SQLite and on PostgreSQL: the teacher locks the room (no
//! new joins, refused at the code before a name is picked; joined tablets keep answering), lists
//! the tablets, removes one (its token stops working, its answers leave the board and the
//! evidence, also after a restart) and gets the join URL (the app's `/s/join?code=…`) as a QR
//! code.

mod common;

use common::*;
use lesenka_core::technique::{Light, Response};
use lesenka_server::limits::Limits;
use lesenka_server::wire::{Board, ClientFrame, ParticipantInfo, ServerFrame};

async fn answer(server: &Server, token: &str, seq: i64, light: Light) -> u16 {
    let body =
        serde_json::json!({ "token": token, "seq": seq, "response": Response::Light(light) });
    let response = reqwest::Client::new().post(server.http("/api/answer")).json(&body).send().await;
    response.expect("answer").status().as_u16()
}

async fn join_status(server: &Server, code: &str, n: usize) -> u16 {
    let body = serde_json::json!({ "code": code, "student": student(n) });
    let response = reqwest::Client::new().post(server.http("/api/join")).json(&body).send().await;
    response.expect("join").status().as_u16()
}

async fn board(server: &Server, session: &str, key: &str) -> Board {
    let response = reqwest::Client::new()
        .get(server.http(&format!("/api/sessions/{session}/board")))
        .bearer_auth(key)
        .send()
        .await
        .expect("board");
    assert_eq!(response.status(), 200);
    response.json().await.expect("a Board")
}

async fn participants(server: &Server, teacher: &Teacher, session: &str) -> Vec<ParticipantInfo> {
    let response = reqwest::Client::new()
        .get(server.http(&format!("/api/sessions/{session}/participants")))
        .header("cookie", &teacher.cookie)
        .send()
        .await
        .expect("participants");
    assert_eq!(response.status(), 200);
    response.json().await.expect("participants")
}

async fn lock(server: &Server, teacher: &Teacher, session: &str, locked: bool) -> Board {
    let response = teacher
        .post(server.http(&format!("/api/sessions/{session}/lock")))
        .json(&serde_json::json!({ "locked": locked }))
        .send()
        .await
        .expect("lock");
    assert_eq!(response.status(), 200);
    response.json().await.expect("a Board")
}

async fn room_control(db: Db) {
    let url = db.url();
    let server = Server::start(&url, Limits::default());
    let teacher = teacher(&server, &url).await;
    let opened = open(&server, &teacher, &spec(4, false)).await;
    let session = opened.session.to_string();
    let (kept, removed) =
        (join_named(&server, &opened.code, 0).await, join_named(&server, &opened.code, 1).await);
    assert_eq!(answer(&server, &kept, 1, Light::Green).await, 200);
    assert_eq!(answer(&server, &removed, 1, Light::Red).await, 200);
    let before = board(&server, &session, &opened.teacher_key).await;
    assert_eq!((before.answered, before.joined, before.locked), (2, 2, false));

    // Locked: no new joins; the joined tablets keep answering.
    assert!(lock(&server, &teacher, &session, true).await.locked);
    assert_eq!(join_status(&server, &opened.code, 2).await, 423);
    // Locked already at the code, before a name is picked from the list.
    let no_name = serde_json::json!({ "code": opened.code });
    let response = reqwest::Client::new().post(server.http("/api/join")).json(&no_name).send();
    let response = response.await.expect("join without a name");
    assert_eq!(response.status(), 423);
    assert_eq!(response.json::<serde_json::Value>().await.expect("JSON")["error"], "locked");
    assert_eq!(answer(&server, &kept, 2, Light::Yellow).await, 200);
    let (mut socket, acked) = tablet(&server, &kept).await;
    assert_eq!(acked, vec![1, 2], "a locked room still lets a joined tablet back in");
    drop(socket);

    // The teacher sees who joined, with names; removes the second.
    let list = participants(&server, &teacher, &session).await;
    assert_eq!(list.len(), 2);
    let gone = list.iter().find(|p| p.student == Some(student(1))).expect("student 1");
    assert_eq!((gone.name.as_deref(), gone.answers), (Some(name(1).as_str()), 1));
    let response = reqwest::Client::new()
        .delete(server.http(&format!("/api/sessions/{session}/participants/{}", gone.id)))
        .header("cookie", &teacher.cookie)
        .header("x-csrf-token", &teacher.csrf)
        .send()
        .await
        .expect("remove");
    assert_eq!(response.status(), 200);
    let after: Board = response.json().await.expect("a Board");
    assert_eq!((after.answered, after.joined), (1, 1));
    assert_eq!(after.tally, board(&server, &session, &opened.teacher_key).await.tally);
    // Its token stops working, over HTTP and on the socket; removing it again is a 404.
    assert_eq!(answer(&server, &removed, 2, Light::Green).await, 401);
    socket = connect(&server).await;
    send(&mut socket, &ClientFrame::Tablet { token: removed.clone() }).await;
    match recv(&mut socket).await {
        Some((ServerFrame::Error { reason }, _)) => assert_eq!(reason, "unknown_token"),
        other => panic!("expected an error, got {other:?}"),
    }
    let again = reqwest::Client::new()
        .delete(server.http(&format!("/api/sessions/{session}/participants/{}", gone.id)))
        .header("cookie", &teacher.cookie)
        .header("x-csrf-token", &teacher.csrf)
        .send()
        .await
        .expect("remove");
    assert_eq!(again.status(), 404);

    // The QR code of the join URL.
    let qr = reqwest::Client::new()
        .get(server.http(&format!("/api/sessions/{session}/qr.svg")))
        .header("cookie", &teacher.cookie)
        .send()
        .await
        .expect("qr");
    assert_eq!(qr.status(), 200);
    assert_eq!(qr.headers()["content-type"], "image/svg+xml");
    let svg = qr.text().await.expect("svg");
    assert!(svg.contains("<svg") && svg.contains("<path"), "{svg}");
    // The app's join page, in the students' area (`/s/…`).
    let url_in_qr = format!("/s/join?code={}", opened.code);
    let expected = lesenka_server::qr_svg(&format!("{}{url_in_qr}", server.http("")));
    assert_eq!(svg, expected, "the QR code holds the join URL on the address the teacher used");

    // After a restart: still locked, the removed participant still out of the board.
    server.kill();
    let server = Server::start(&url, Limits::default());
    let restarted = board(&server, &session, &opened.teacher_key).await;
    assert_eq!((restarted.answered, restarted.joined, restarted.locked), (1, 1, true));
    assert_eq!(restarted.tally, after.tally);
    assert_eq!(answer(&server, &removed, 3, Light::Green).await, 401);
    assert_eq!(join_status(&server, &opened.code, 2).await, 423);

    // Unlocked, the removed student may join again; the evidence holds the answers that stay.
    assert!(!lock(&server, &teacher, &session, false).await.locked);
    let back = join_named(&server, &opened.code, 1).await;
    assert_eq!(answer(&server, &back, 1, Light::Yellow).await, 200);
    let closed = close(&server, &teacher, opened.session).await;
    assert_eq!(closed.records.len(), 2);
    assert_eq!((closed.board.answered, closed.board.joined), (2, 2));
    // The removed participant's rows stay in the database, for the record.
    assert_eq!(stored(&url, &session).await.len(), 4);
}
on_both!(room_control);
