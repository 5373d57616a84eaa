//! The live socket, `/api/live`: tablets send answers and get acks, projectors get the board.
//!
//! The upgrade is refused (403) for a foreign `Origin`, and (429) past the sockets-per-IP limit;
//! messages are size-limited. The first frame says who connects ([`ClientFrame::Tablet`] or
//! [`ClientFrame::Projector`]); a tablet then sends answers, each acknowledged only after
//! [`crate::live::Hub::answer`] committed it; a projector gets a snapshot, then the board again
//! on changes, at most one frame per `Limits::coalesce`. Every socket ends when the server stops.

use std::net::SocketAddr;
use std::time::Duration;

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::limits::SocketSlot;
use crate::live::LiveServerError;
use crate::storage::StorageError;
use crate::wire::{ClientFrame, ServerFrame};

/// The read buffer of a live socket, in bytes.
const SOCKET_READ_BUFFER: usize = 4 * 1024;

/// How long a new socket may take to say who it is.
const HELLO_TIMEOUT: Duration = Duration::from_secs(10);

/// Whether the request's `Origin` (if any) is the server itself or an allowed one.
pub fn origin_allowed(headers: &HeaderMap, allowed: &[String]) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else {
        // Not a browser page (a native client or a test): nothing to forge.
        return true;
    };
    let Ok(origin) = origin.to_str() else { return false };
    if allowed.iter().any(|a| a == origin) {
        return true;
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let origin_host = origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://"));
    matches!((origin_host, host), (Some(o), Some(h)) if o.eq_ignore_ascii_case(h))
}

/// `GET /api/live`: the upgrade, after the Origin and socket-count checks.
pub async fn live(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    if !origin_allowed(&headers, &state.config.allowed_origins) {
        return (StatusCode::FORBIDDEN, "foreign origin").into_response();
    }
    let limits = state.hub.limits();
    let Some(slot) = state.sockets.take(addr.ip(), limits.sockets_per_ip) else {
        return (StatusCode::TOO_MANY_REQUESTS, "too many sockets from this address")
            .into_response();
    };
    // A frame here is a few hundred bytes: a 4 KiB read buffer (grown for a larger message, up
    // to `max_message`) instead of tungstenite's eager 128 KiB keeps 10,000 sockets small.
    ws.max_message_size(limits.max_message)
        .max_frame_size(limits.max_message)
        .read_buffer_size(SOCKET_READ_BUFFER)
        .on_upgrade(move |socket| run(socket, state, slot))
}

/// Completes once the server stops.
async fn stopped(stopping: &mut tokio::sync::watch::Receiver<bool>) {
    // `wait_for` would hold a guard that is not `Send` across the await.
    loop {
        if *stopping.borrow_and_update() {
            return;
        }
        if stopping.changed().await.is_err() {
            // The server's state is gone, so it never says "stop": wait for the socket instead.
            std::future::pending::<()>().await;
        }
    }
}

async fn send(socket: &mut WebSocket, frame: &ServerFrame) -> bool {
    match serde_json::to_string(frame) {
        Ok(text) => socket.send(Message::Text(text.into())).await.is_ok(),
        Err(e) => {
            tracing::error!(error = %e, "cannot write a frame");
            false
        }
    }
}

/// The next frame a client sent; `None` when the socket ended (or the server stops).
async fn next_frame(
    socket: &mut WebSocket,
    stopping: &mut tokio::sync::watch::Receiver<bool>,
) -> Option<Result<ClientFrame, String>> {
    loop {
        let message = tokio::select! {
            m = socket.recv() => m,
            _ = stopped(stopping) => return None,
        };
        match message? {
            Ok(Message::Text(text)) => {
                return Some(serde_json::from_str(text.as_str()).map_err(|e| e.to_string()));
            }
            Ok(Message::Binary(_)) => return Some(Err("frames are JSON text".into())),
            Ok(Message::Ping(_) | Message::Pong(_)) => continue,
            Ok(Message::Close(_)) | Err(_) => return None,
        }
    }
}

async fn run(mut socket: WebSocket, state: AppState, _slot: SocketSlot) {
    let mut stopping = state.stopping.subscribe();
    let first = tokio::time::timeout(HELLO_TIMEOUT, next_frame(&mut socket, &mut stopping)).await;
    match first {
        Ok(Some(Ok(ClientFrame::Tablet { token }))) => tablet(socket, state, stopping, token).await,
        Ok(Some(Ok(ClientFrame::Projector { session, key }))) => {
            projector(socket, state, stopping, session, key).await
        }
        Ok(Some(Ok(ClientFrame::Answer { .. }))) => {
            let reason = "say who you are first (tablet or projector)".into();
            send(&mut socket, &ServerFrame::Error { reason }).await;
        }
        Ok(Some(Err(reason))) => {
            send(&mut socket, &ServerFrame::Error { reason }).await;
        }
        Ok(None) | Err(_) => {}
    }
}

fn reason(e: &LiveServerError) -> String {
    crate::error_code(e).to_owned()
}

async fn tablet(
    mut socket: WebSocket,
    state: AppState,
    mut stopping: tokio::sync::watch::Receiver<bool>,
    token: String,
) {
    let hub = &state.hub;
    match hub.tablet(&token).await {
        Ok(t) => {
            let welcome =
                ServerFrame::Welcome { session: t.session, technique: t.technique, acked: t.acked };
            if !send(&mut socket, &welcome).await {
                return;
            }
        }
        Err(e) => {
            send(&mut socket, &ServerFrame::Error { reason: reason(&e) }).await;
            return;
        }
    }
    while let Some(frame) = next_frame(&mut socket, &mut stopping).await {
        let reply = match frame {
            Ok(ClientFrame::Answer { seq, response }) => {
                match hub.answer(&token, seq, response).await {
                    Ok(ack) => ServerFrame::Ack { seq: ack.seq },
                    // The store's writer is gone: the server is going down. The answer was not
                    // acknowledged, so the tablet resends it to the next server.
                    Err(LiveServerError::Storage(StorageError::WriterGone)) => return,
                    Err(e @ (LiveServerError::Storage(_) | LiveServerError::Corrupt(_))) => {
                        tracing::error!(error = %e, "an answer could not be stored");
                        ServerFrame::Error { reason: reason(&e) }
                    }
                    Err(e) => ServerFrame::Refused { seq, reason: reason(&e) },
                }
            }
            Ok(_) => ServerFrame::Error { reason: "a tablet sends answers only".into() },
            Err(reason) => ServerFrame::Error { reason },
        };
        if !send(&mut socket, &reply).await {
            return;
        }
    }
}

async fn projector(
    mut socket: WebSocket,
    state: AppState,
    mut stopping: tokio::sync::watch::Receiver<bool>,
    session: uuid::Uuid,
    key: String,
) {
    let mut watch = match state.hub.watch(session, &key).await {
        Ok(w) => w,
        Err(e) => {
            send(&mut socket, &ServerFrame::Error { reason: reason(&e) }).await;
            return;
        }
    };
    watch.changes.borrow_and_update();
    let board = watch.board().await;
    if !send(&mut socket, &ServerFrame::Board { snapshot: true, board }).await {
        return;
    }
    let coalesce = state.hub.limits().coalesce;
    loop {
        tokio::select! {
            changed = watch.changes.changed() => {
                if changed.is_err() {
                    return;
                }
                watch.changes.borrow_and_update();
                let board = watch.board().await;
                if !send(&mut socket, &ServerFrame::Board { snapshot: false, board }).await {
                    return;
                }
                // Changes meanwhile mark the watch; they go out together after the pause.
                tokio::time::sleep(coalesce).await;
            }
            message = socket.recv() => match message {
                Some(Ok(Message::Close(_)) | Err(_)) | None => return,
                Some(Ok(_)) => {}
            },
            _ = stopped(&mut stopping) => return,
        }
    }
}
