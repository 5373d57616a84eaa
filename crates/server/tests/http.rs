//! The server's HTTP side over a real socket: the app's files (precompressed, cached by hashed
//! name, index.html for app routes), the security headers, unknown API paths, and the size and
//! socket limits.

mod common;

use common::*;
use futures_util::SinkExt;
use lesenka_server::Config;
use lesenka_server::limits::Limits;
use tokio_tungstenite::tungstenite::Message;

const INDEX: &str = "<!DOCTYPE html><html><head>\
    <script type=\"module\" src=\"/boot-0123456789abcdef.js\"></script>\
    </head><body></body></html>";

fn dist() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a directory");
    std::fs::write(dir.path().join("index.html"), INDEX).expect("index");
    std::fs::write(dir.path().join("app-0123456789abcdef.js"), "export default 1;").expect("js");
    std::fs::write(dir.path().join("app-0123456789abcdef.js.br"), b"brotli bytes").expect("br");
    std::fs::write(dir.path().join("app-0123456789abcdef.js.gz"), b"gzip bytes").expect("gz");
    std::fs::write(dir.path().join("app-0123456789abcdef_bg.wasm"), b"\0asm wasm").expect("wasm");
    std::fs::write(dir.path().join("app-0123456789abcdef_bg.wasm.br"), b"br wasm").expect("br");
    std::fs::write(dir.path().join("sw.js"), "self.x = 1;").expect("sw");
    dir
}

#[tokio::test]
async fn app_files_are_served_precompressed_cached_and_guarded() {
    let db = Db::sqlite();
    let dist = dist();
    let config = Config { dist: Some(dist.path().to_owned()), ..Config::default() };
    let server = Server::start_with(&db.url(), config);
    let client = reqwest::Client::new();

    let index = client.get(server.http("/")).send().await.expect("index");
    assert_eq!(index.status(), 200);
    let headers = index.headers().clone();
    assert_eq!(headers["cache-control"], "no-cache");
    let csp = headers["content-security-policy"].to_str().expect("ascii");
    assert!(csp.starts_with("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; "), "{csp}");
    assert!(!csp.contains("sha256-"), "{csp}");
    assert_eq!(csp, lesenka_server::files::CONTENT_SECURITY_POLICY);
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(index.text().await.expect("text"), INDEX);

    let js = client
        .get(server.http("/app-0123456789abcdef.js"))
        .header("accept-encoding", "br, gzip")
        .send()
        .await
        .expect("js");
    assert_eq!(js.status(), 200);
    assert_eq!(js.headers()["content-encoding"], "br");
    assert_eq!(js.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(js.bytes().await.expect("bytes").as_ref(), b"brotli bytes");

    let gz = client
        .get(server.http("/app-0123456789abcdef.js"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .expect("js");
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    assert_eq!(gz.bytes().await.expect("bytes").as_ref(), b"gzip bytes");

    let wasm = client
        .get(server.http("/app-0123456789abcdef_bg.wasm"))
        .header("accept-encoding", "gzip, deflate, br, zstd")
        .send()
        .await
        .expect("wasm");
    assert_eq!(wasm.headers()["content-encoding"], "br");
    assert_eq!(wasm.headers()["content-type"], "application/wasm");
    assert_eq!(wasm.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(wasm.bytes().await.expect("bytes").as_ref(), b"br wasm");

    let plain = client.get(server.http("/app-0123456789abcdef.js")).send().await.expect("js");
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.text().await.expect("text"), "export default 1;");

    let sw = client.get(server.http("/sw.js")).send().await.expect("sw");
    assert_eq!(sw.headers()["cache-control"], "no-cache");

    // An app route gets index.html; an unknown API path a JSON 404.
    let route = client.get(server.http("/lessons/some-lesson")).send().await.expect("route");
    assert_eq!(route.status(), 200);
    assert_eq!(route.text().await.expect("text"), INDEX);
    let api = client.get(server.http("/api/no-such-thing")).send().await.expect("api");
    assert_eq!(api.status(), 404);
    let body: serde_json::Value = api.json().await.expect("json");
    assert_eq!(body["error"], "not_found");
}

#[tokio::test]
async fn bodies_messages_and_sockets_are_limited() {
    let db = Db::sqlite();
    let limits =
        Limits { sockets_per_ip: 2, max_body: 4096, max_message: 1024, ..Limits::default() };
    let server = Server::start(&db.url(), limits);
    let client = reqwest::Client::new();

    let mut big = spec(3, false);
    big.roster[0].name = "я".repeat(4000);
    let response = client.post(server.http("/api/sessions")).json(&big).send().await.expect("post");
    assert_eq!(response.status(), 413);

    let first = connect(&server).await;
    let mut second = connect(&server).await;
    match tokio_tungstenite::connect_async(server.ws()).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(r)) => assert_eq!(r.status(), 429),
        other => panic!("expected 429, got {:?}", other.map(|(_, r)| r.status())),
    }
    drop(first);
    // A frame over the limit ends the connection.
    second.send(Message::Text("x".repeat(4096).into())).await.expect("send");
    assert!(recv(&mut second).await.is_none(), "an oversized frame closes the socket");
    drop(second);
    // The slots come back once the sockets are gone.
    let mut tries = 0;
    loop {
        match tokio_tungstenite::connect_async(server.ws()).await {
            Ok(_) => break,
            Err(_) if tries < 50 => {
                tries += 1;
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
            Err(e) => panic!("slots never came back: {e}"),
        }
    }
}

#[tokio::test]
async fn the_data_directory_is_made_and_migrated_once() {
    let dir = tempfile::tempdir().expect("a directory");
    let data = dir.path().join("school").join("data");
    let store = lesenka_server::storage::Store::open_dir(&data).await.expect("first start");
    assert!(data.join("lesenka.sqlite3").is_file());
    assert!(store.open_sessions().await.expect("a query").is_empty());
    store.close().await;
    // A second start finds the schema in place.
    let again = lesenka_server::storage::Store::open_dir(&data).await.expect("second start");
    assert_eq!(again.backend(), lesenka_server::storage::Backend::Sqlite);
    again.close().await;
    let refused = lesenka_server::storage::Store::connect("mysql://x").await;
    assert!(matches!(refused, Err(lesenka_server::storage::StorageError::UnsupportedUrl(_))));
}

#[tokio::test]
async fn the_openapi_document_lists_every_endpoint() {
    let db = Db::sqlite();
    let server = Server::start(&db.url(), Limits::default());
    let response = reqwest::get(server.http("/api/openapi.json")).await.expect("openapi");
    assert_eq!(response.status(), 200);
    let doc: serde_json::Value = response.json().await.expect("json");
    assert!(doc["openapi"].as_str().expect("a version").starts_with("3."));
    let paths: Vec<&str> =
        doc["paths"].as_object().expect("paths").keys().map(String::as_str).collect();
    for path in [
        "/api/health",
        "/api/sessions",
        "/api/sessions/{id}/board",
        "/api/sessions/{id}/close",
        "/api/auth/sign-in",
        "/api/auth/sign-out",
        "/api/auth/me",
        "/api/accounts",
        "/api/join",
        "/api/answer",
    ] {
        assert!(paths.contains(&path), "{path} is not in {paths:?}");
    }
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    for schema in ["OpenSession", "Joined", "Answer", "Ack", "Board", "ClientFrame", "ServerFrame"]
    {
        assert!(schemas.contains_key(schema), "no schema {schema}");
    }
}

#[tokio::test]
async fn shutdown_ends_live_sockets_and_returns() {
    let db = Db::sqlite();
    let store = lesenka_server::storage::Store::connect(&db.url()).await.expect("a store");
    let state = lesenka_server::AppState::new(store, Config::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let addr = listener.local_addr().expect("an address");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(lesenka_server::serve(listener, state, async {
        // The sender is dropped or fires: either way the server stops.
        let _fired = stopped.await;
    }));
    let (mut socket, _) =
        tokio_tungstenite::connect_async(format!("ws://{addr}/api/live")).await.expect("connect");
    // A projector with a wrong key is told so and let go.
    let hello = serde_json::json!({
        "type": "projector", "session": uuid::Uuid::nil(), "key": "wrong"
    });
    socket.send(Message::Text(hello.to_string().into())).await.expect("send");
    match recv(&mut socket).await {
        Some((lesenka_server::wire::ServerFrame::Error { reason }, _)) => {
            assert_eq!(reason, "unknown_session")
        }
        other => panic!("expected an error frame, got {other:?}"),
    }
    let (mut idle, _) =
        tokio_tungstenite::connect_async(format!("ws://{addr}/api/live")).await.expect("connect");
    stop.send(()).expect("the server listens for the stop");
    assert!(recv(&mut idle).await.is_none(), "the idle socket is ended on shutdown");
    let ended = tokio::time::timeout(std::time::Duration::from_secs(10), server).await;
    ended.expect("the server stops within 10 s").expect("no panic").expect("no I/O error");
}
