//! ПОС mailboxes over real sockets, on SQLite and on PostgreSQL: a leader opens one for the
//! plan's id, a member sends an exported file (checked to open as the app's backup, a larger
//! body than the API's default allowed), a later file replaces the earlier, and only the leader
//! or an administrator lists and reads the files.

mod common;

use common::*;
use lesenka_core::persist::backup::{Backup, export_backup};
use lesenka_server::accounts::Role;
use lesenka_server::limits::Limits;
use lesenka_server::wire::{Bundle, BundleInfo, CommunityInfo};
use reqwest::Method;

async fn status(request: reqwest::RequestBuilder) -> u16 {
    request.send().await.expect("a response").status().as_u16()
}

fn call(t: &Teacher, method: Method, url: String) -> reqwest::RequestBuilder {
    reqwest::Client::new()
        .request(method, url)
        .header("cookie", &t.cookie)
        .header("x-csrf-token", &t.csrf)
}

async fn mailboxes(db: Db) {
    let url = db.url();
    let server = Server::start(&url, Limits::default());
    account(&url, "leader", Role::Teacher).await;
    account(&url, "member", Role::Teacher).await;
    account(&url, "admin", Role::Admin).await;
    let leader = sign_in(&server, "leader").await;
    let member = sign_in(&server, "member").await;
    let admin = sign_in(&server, "admin").await;
    let id = uuid::Uuid::from_u128(0x9051);
    let mailbox = server.http(&format!("/api/communities/{id}"));
    let send = server.http(&format!("/api/communities/{id}/bundle"));
    let list = server.http(&format!("/api/communities/{id}/bundles"));

    // Signed-in accounts only; the name is checked; the first to open it is its leader.
    let anonymous = reqwest::Client::new();
    assert_eq!(status(anonymous.get(server.http("/api/communities"))).await, 401);
    let named = |name: &str| serde_json::json!({ "name": name });
    assert_eq!(status(call(&leader, Method::PUT, mailbox.clone()).json(&named("  "))).await, 422);
    let opened: CommunityInfo = call(&leader, Method::PUT, mailbox.clone())
        .json(&named("ПОС «Формирующее оценивание»"))
        .send()
        .await
        .expect("open")
        .json()
        .await
        .expect("a CommunityInfo");
    assert_eq!(opened.leader, "leader");
    assert_eq!(
        status(call(&member, Method::PUT, mailbox.clone()).json(&named("Чужой"))).await,
        403
    );
    let seen: Vec<CommunityInfo> = call(&member, Method::GET, server.http("/api/communities"))
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("a list");
    assert_eq!(seen, vec![opened.clone()], "the leader's name stays");

    // A member's file: refused unless it opens as the app's backup; a large one is taken.
    let file = |text: String| serde_json::json!({ "file": text });
    let not_ours = call(&member, Method::PUT, send.clone()).json(&file("{\"hello\": 1}".into()));
    let not_ours = not_ours.send().await.expect("send");
    assert_eq!(not_ours.status(), 422);
    assert_eq!(not_ours.json::<serde_json::Value>().await.expect("json")["error"], "not_a_bundle");
    let elsewhere = server.http(&format!("/api/communities/{}/bundle", uuid::Uuid::from_u128(7)));
    let backup = export_backup(&Backup::default());
    assert_eq!(
        status(call(&member, Method::PUT, elsewhere).json(&file(backup.clone()))).await,
        404
    );
    // Trailing blanks keep the JSON valid and make the body larger than the API's default.
    let large = format!("{backup}{}", " ".repeat(Limits::default().max_body * 2));
    let sent: BundleInfo = call(&member, Method::PUT, send.clone())
        .json(&file(large.clone()))
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("a BundleInfo");
    assert_eq!((sent.member.as_str(), sent.bytes), ("member", large.len() as u64));
    // A later file replaces the earlier one.
    let again: BundleInfo = call(&member, Method::PUT, send.clone())
        .json(&file(backup.clone()))
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("a BundleInfo");
    assert!(again.sent_at >= sent.sent_at);

    // Only the leader and an administrator list and read the files.
    assert_eq!(status(call(&member, Method::GET, list.clone())).await, 403);
    assert_eq!(status(anonymous.get(list.clone())).await, 401);
    for reader in [&leader, &admin] {
        let files: Vec<BundleInfo> = call(reader, Method::GET, list.clone())
            .send()
            .await
            .expect("bundles")
            .json()
            .await
            .expect("a list");
        assert_eq!(files, vec![again.clone()]);
        let one: Bundle = call(reader, Method::GET, format!("{list}/member"))
            .send()
            .await
            .expect("bundle")
            .json()
            .await
            .expect("a Bundle");
        assert_eq!(one.file, backup);
    }
    assert_eq!(status(call(&member, Method::GET, format!("{list}/member"))).await, 403);
    assert_eq!(status(call(&leader, Method::GET, format!("{list}/nobody"))).await, 404);
    // Without the CSRF header nothing is sent.
    let no_csrf =
        reqwest::Client::new().put(send).header("cookie", &member.cookie).json(&file(backup));
    assert_eq!(status(no_csrf).await, 403);
}
on_both!(mailboxes);
