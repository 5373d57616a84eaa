//! The app's only door to a Lesenka school server (`crates/server`), as `storage.rs` is to
//! localStorage: no other module fetches or opens a socket.
//!
//! [`detect`] asks the page's own origin for `/api/health`, so the live actions appear only
//! when the app was served by a Lesenka server. The teacher's calls ([`me`], [`sign_in`],
//! [`open`], [`close`], [`lock`], [`participants`], [`remove`], [`board`]) carry the session
//! cookie and, when they change state, the CSRF token in `X-CSRF-Token`; [`watch`] keeps the
//! projector's socket (`/api/live`) open, reconnecting with jittered back-off, and every
//! reconnection starts with the server's snapshot of the board. A tablet [`join`]s by code and
//! sends its answers through [`Outbox`]: each answer gets the device's next sequence number,
//! is queued in storage (`storage::LiveTablet`) before it is sent, and leaves the queue only
//! when the server acknowledged it; a resend of a stored seq is acknowledged once, never
//! counted twice, so a reload, a second tab or a lost connection never duplicates an answer.
//!
//! The bodies are `lesenka-wire`'s types, the very ones the server parses; the domain values
//! inside are core's own serde forms. Errors are values ([`ServerError`]); the pages
//! word them (`format::server_error`).

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use lesenka_core::ids::StudentId;
use lesenka_core::technique::{Response, Technique};
use lesenka_wire::{Ack, ServerFrame};
pub use lesenka_wire::{
    Board, Bundle, BundleInfo, Closed, CommunityInfo, Joined, OpenSession, Opened,
    ParticipantInfo as Participant, RosterEntry,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use wasm_bindgen_futures::JsFuture;

use crate::storage::{LiveTablet, Queued, Store};

/// Why a call to the server did not succeed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerError {
    /// The server could not be reached (no network, server down).
    Offline,
    /// The server refused: its stable code (`unknown_code`, `locked`, `bad_credentials`, …).
    Refused {
        /// The HTTP status.
        status: u16,
        /// The server's code.
        code: String,
    },
    /// The server answered something this build does not read.
    Unreadable(String),
}

/// The signed-in account, as far as the app needs it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Me {
    /// The CSRF token state-changing calls carry.
    pub csrf: String,
    /// The account.
    pub account: Account,
}

/// An account.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Account {
    /// The sign-in name.
    pub login: String,
}

#[derive(Deserialize)]
struct ErrorBody {
    error: String,
}

fn js_text(value: &wasm_bindgen::JsValue) -> String {
    value.as_string().unwrap_or_else(|| format!("{value:?}"))
}

/// One request to the page's own origin; a JSON answer, or the server's refusal.
async fn call<T: DeserializeOwned>(
    method: &str,
    path: &str,
    body: Option<String>,
    headers: &[(&str, &str)],
) -> Result<T, ServerError> {
    let window = web_sys::window().ok_or(ServerError::Offline)?;
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    let head = web_sys::Headers::new().map_err(|e| ServerError::Unreadable(js_text(&e)))?;
    head.append("Accept", "application/json").map_err(|e| ServerError::Unreadable(js_text(&e)))?;
    for (name, value) in headers {
        head.append(name, value).map_err(|e| ServerError::Unreadable(js_text(&e)))?;
    }
    if let Some(body) = &body {
        head.append("Content-Type", "application/json")
            .map_err(|e| ServerError::Unreadable(js_text(&e)))?;
        init.set_body(&wasm_bindgen::JsValue::from_str(body));
    }
    init.set_headers(&head);
    let promise = window.fetch_with_str_and_init(path, &init);
    // A fetch rejects only when the network failed.
    let response = JsFuture::from(promise).await.map_err(|_| ServerError::Offline)?;
    let response: web_sys::Response =
        response.dyn_into().map_err(|e| ServerError::Unreadable(js_text(&e)))?;
    let text = match response.text() {
        Ok(p) => JsFuture::from(p).await.map_err(|_| ServerError::Offline)?,
        Err(e) => return Err(ServerError::Unreadable(js_text(&e))),
    };
    let text = text.as_string().unwrap_or_default();
    if response.ok() {
        let text = if text.is_empty() { "null" } else { &text };
        serde_json::from_str(text).map_err(|e| ServerError::Unreadable(e.to_string()))
    } else {
        let code = serde_json::from_str::<ErrorBody>(&text)
            .map(|b| b.error)
            .unwrap_or_else(|_| "internal".to_owned());
        Err(ServerError::Refused { status: response.status(), code })
    }
}

fn json<T: Serialize>(value: &T) -> Result<String, ServerError> {
    serde_json::to_string(value).map_err(|e| ServerError::Unreadable(e.to_string()))
}

/// Whether the app was served by a Lesenka server (its `/api/health` answers `{"ok": true}`).
pub async fn detect() -> bool {
    #[derive(Deserialize)]
    struct Health {
        ok: bool,
    }
    matches!(call::<Health>("GET", "/api/health", None, &[]).await, Ok(Health { ok: true }))
}

/// The signed-in account; `Refused { code: "sign_in_required" }` when there is none.
pub async fn me() -> Result<Me, ServerError> {
    call("GET", "/api/auth/me", None, &[]).await
}

/// Signs in (the server sets the session cookie).
pub async fn sign_in(login: &str, password: &str) -> Result<Me, ServerError> {
    let body = json(&serde_json::json!({ "login": login, "password": password }))?;
    call("POST", "/api/auth/sign-in", Some(body), &[]).await
}

/// Opens a live session.
pub async fn open(csrf: &str, session: &OpenSession) -> Result<Opened, ServerError> {
    call("POST", "/api/sessions", Some(json(session)?), &[("X-CSRF-Token", csrf)]).await
}

/// Closes a session: core's records of its answers (closing again gives the same ones).
pub async fn close(csrf: &str, session: Uuid) -> Result<Closed, ServerError> {
    let path = format!("/api/sessions/{session}/close");
    call("POST", &path, None, &[("X-CSRF-Token", csrf)]).await
}

/// Locks or unlocks the room.
pub async fn lock(csrf: &str, session: Uuid, locked: bool) -> Result<Board, ServerError> {
    let path = format!("/api/sessions/{session}/lock");
    let body = json(&serde_json::json!({ "locked": locked }))?;
    call("POST", &path, Some(body), &[("X-CSRF-Token", csrf)]).await
}

/// The joined tablets with their names (the teacher's screen only).
pub async fn participants(session: Uuid) -> Result<Vec<Participant>, ServerError> {
    call("GET", &format!("/api/sessions/{session}/participants"), None, &[]).await
}

/// Removes a participant: its token stops working, its answers leave the board.
pub async fn remove(csrf: &str, session: Uuid, participant: &str) -> Result<Board, ServerError> {
    let id = js_sys::encode_uri_component(participant);
    let path = format!("/api/sessions/{session}/participants/{id}");
    call("DELETE", &path, None, &[("X-CSRF-Token", csrf)]).await
}

/// The board now, by the teacher's key.
pub async fn board(session: Uuid, key: &str) -> Result<Board, ServerError> {
    let auth = format!("Bearer {key}");
    call("GET", &format!("/api/sessions/{session}/board"), None, &[("Authorization", &auth)]).await
}

/// The join QR code's address (an image the server draws for the signed-in teacher).
pub fn qr_address(session: Uuid) -> String {
    format!("/api/sessions/{session}/qr.svg")
}

/// The ПОС mailboxes on the server.
pub async fn communities() -> Result<Vec<CommunityInfo>, ServerError> {
    call("GET", "/api/communities", None, &[]).await
}

/// Opens (or renames) the mailbox of community `id` (the plan's id) for its members' data.
pub async fn open_community(
    csrf: &str,
    id: Uuid,
    name: &str,
) -> Result<CommunityInfo, ServerError> {
    let body = json(&lesenka_wire::OpenCommunity { name: name.to_owned() })?;
    call("PUT", &format!("/api/communities/{id}"), Some(body), &[("X-CSRF-Token", csrf)]).await
}

/// Sends this device's exported file to a community's mailbox (replacing the one sent before).
pub async fn send_bundle(csrf: &str, id: Uuid, file: String) -> Result<BundleInfo, ServerError> {
    let body = json(&lesenka_wire::SendBundle { file })?;
    let path = format!("/api/communities/{id}/bundle");
    call("PUT", &path, Some(body), &[("X-CSRF-Token", csrf)]).await
}

/// The members' files in a mailbox (its leader only).
pub async fn bundles(id: Uuid) -> Result<Vec<BundleInfo>, ServerError> {
    call("GET", &format!("/api/communities/{id}/bundles"), None, &[]).await
}

/// One member's file, with its text (the mailbox's leader only).
pub async fn bundle(id: Uuid, member: &str) -> Result<Bundle, ServerError> {
    let member = js_sys::encode_uri_component(member);
    call("GET", &format!("/api/communities/{id}/bundles/{member}"), None, &[]).await
}

/// Joins by code: the class list to pick from, or (with `student`) a participant token.
pub async fn join(code: &str, student: Option<StudentId>) -> Result<Joined, ServerError> {
    let body = json(&serde_json::json!({ "code": code, "student": student }))?;
    call("POST", "/api/join", Some(body), &[]).await
}

/// A wait of `ms` milliseconds.
pub async fn sleep(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            // A timer that cannot be set resolves never; the caller's loop then simply stops.
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                &resolve,
                i32::try_from(ms).unwrap_or(i32::MAX),
            );
        }
    });
    // The promise only resolves.
    let _ = JsFuture::from(promise).await;
}

/// The `attempt`-th reconnection's wait: exponential from 500 ms up to 10 s, with full jitter
/// so a class of tablets does not come back at the same instant.
pub fn backoff_ms(attempt: u32) -> u32 {
    let cap = 500u32.saturating_mul(1 << attempt.min(5)).min(10_000);
    let jitter = js_sys::Math::random();
    (f64::from(cap) * (0.5 + jitter / 2.0)) as u32
}

/// The state of a tablet's link to the server, for its screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    /// Every answer is acknowledged.
    Synced,
    /// Answers are on their way.
    Sending,
    /// The server cannot be reached: the answers wait in the queue and are resent.
    Offline,
    /// The server refused the participant (removed, session closed): its code.
    Refused(String),
}

/// A tablet's answers on their way: queued in storage first, sent in seq order, resent after a
/// lost connection with jittered back-off until acknowledged.
#[derive(Clone, Copy)]
pub struct Outbox {
    /// The link's state.
    pub link: RwSignal<Link>,
    /// The last acknowledged answer.
    pub acked: RwSignal<Option<Response>>,
    running: StoredValue<bool>,
}

impl Outbox {
    /// An outbox for the tablet stored on this device.
    pub fn new() -> Self {
        Outbox {
            link: RwSignal::new(Link::Synced),
            acked: RwSignal::new(None),
            running: StoredValue::new(false),
        }
    }

    /// Queues `response` under the device's next sequence number (kept in storage, so a
    /// reload or another tab continues the numbering) and sends the queue.
    pub fn send(self, response: Response) -> Result<(), crate::storage::SaveError> {
        Store::app().queue_live_answer(response)?;
        self.flush();
        Ok(())
    }

    /// Sends what the queue holds, unless a send loop is already running.
    pub fn flush(self) {
        if self.running.get_value() {
            return;
        }
        self.running.set_value(true);
        wasm_bindgen_futures::spawn_local(async move {
            self.drain().await;
            self.running.set_value(false);
        });
    }

    async fn drain(self) {
        let mut attempt = 0u32;
        loop {
            let Some(tablet) = Store::app().live_tablet() else { return };
            let Some(Queued { seq, response }) = tablet.queue.first().cloned() else {
                self.acked.set(tablet.acked.clone());
                self.link.set(Link::Synced);
                return;
            };
            self.link.set(Link::Sending);
            let body =
                serde_json::json!({ "token": tablet.token, "seq": seq, "response": response });
            let sent = match json(&body) {
                Ok(body) => call::<Ack>("POST", "/api/answer", Some(body), &[]).await,
                Err(e) => Err(e),
            };
            match sent {
                Ok(ack) => {
                    attempt = 0;
                    if let Err(e) = Store::app().ack_live_answer(ack.seq) {
                        // The ack is the server's; the queue keeps the answer and the next
                        // resend of the same seq is acknowledged again, never counted twice.
                        leptos::logging::warn!("the ack of {seq} could not be stored: {e}");
                        self.link.set(Link::Offline);
                        sleep(backoff_ms(attempt)).await;
                    }
                }
                Err(ServerError::Refused { status, code }) if status >= 500 || status == 429 => {
                    leptos::logging::warn!("answer {seq}: {code}, retrying");
                    self.link.set(Link::Offline);
                    sleep(backoff_ms(attempt)).await;
                    attempt += 1;
                }
                Err(ServerError::Refused { code, .. }) if code == "seq_taken" => {
                    // Another tab of this device sent a different answer under the same seq:
                    // this one goes again under a fresh number.
                    if let Err(e) = Store::app().renumber_live_answer(seq) {
                        leptos::logging::warn!("answer {seq} could not be renumbered: {e}");
                        self.link.set(Link::Refused(code));
                        return;
                    }
                }
                Err(ServerError::Refused { code, .. })
                    if code == "refused" || code == "invalid" =>
                {
                    // This answer does not fit the technique: drop it, keep the rest.
                    if let Err(e) = Store::app().drop_live_answer(seq) {
                        leptos::logging::warn!("a refused answer could not be dropped: {e}");
                        self.link.set(Link::Refused(code));
                        return;
                    }
                }
                Err(ServerError::Refused { code, .. }) => {
                    self.link.set(Link::Refused(code));
                    return;
                }
                Err(ServerError::Offline | ServerError::Unreadable(_)) => {
                    self.link.set(Link::Offline);
                    sleep(backoff_ms(attempt)).await;
                    attempt += 1;
                }
            }
        }
    }
}

impl Default for Outbox {
    fn default() -> Self {
        Self::new()
    }
}

/// Stores what a join gave: the token, the technique, a fresh queue.
pub fn remember_tablet(code: &str, session: Uuid, token: String, technique: Technique) {
    let tablet = LiveTablet {
        code: code.to_owned(),
        session,
        token,
        technique,
        next_seq: 1,
        queue: Vec::new(),
        acked: None,
    };
    if let Err(e) = Store::app().save_live_tablet(Some(&tablet)) {
        // Without storage the tablet still answers; a reload then asks for the name again.
        leptos::logging::warn!("the tablet's token could not be stored: {e}");
    }
}

/// The state of the projector's socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Watching {
    /// Connected: boards arrive.
    Live,
    /// Reconnecting after a lost connection.
    Reconnecting,
}

/// A projector's open socket; dropping it (or [`Watch::stop`]) closes it for good.
pub struct Watch {
    stopped: Rc<RefCell<bool>>,
    socket: Rc<RefCell<Option<web_sys::WebSocket>>>,
}

impl Watch {
    /// Closes the socket; no reconnection follows.
    pub fn stop(&self) {
        *self.stopped.borrow_mut() = true;
        if let Some(socket) = self.socket.borrow_mut().take() {
            // Closing an already closed socket is not an error worth reporting.
            let _ = socket.close();
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Opens the projector's socket: every board the server sends goes to `boards` (the first of
/// each connection is the snapshot, so a reconnection resyncs), the link's state to `state`.
pub fn watch(
    session: Uuid,
    key: String,
    boards: RwSignal<Option<Board>>,
    state: RwSignal<Watching>,
) -> Watch {
    let watch =
        Watch { stopped: Rc::new(RefCell::new(false)), socket: Rc::new(RefCell::new(None)) };
    connect(session, key, boards, state, watch.stopped.clone(), watch.socket.clone(), 0);
    watch
}

fn socket_address() -> Option<String> {
    let location = web_sys::window()?.location();
    let scheme = if location.protocol().ok()? == "https:" { "wss" } else { "ws" };
    Some(format!("{scheme}://{}/api/live", location.host().ok()?))
}

fn connect(
    session: Uuid,
    key: String,
    boards: RwSignal<Option<Board>>,
    state: RwSignal<Watching>,
    stopped: Rc<RefCell<bool>>,
    slot: Rc<RefCell<Option<web_sys::WebSocket>>>,
    attempt: u32,
) {
    if *stopped.borrow() {
        return;
    }
    let retry = {
        let (key, stopped, slot) = (key.clone(), stopped.clone(), slot.clone());
        move |attempt: u32| {
            state.set(Watching::Reconnecting);
            let (key, stopped, slot) = (key.clone(), stopped.clone(), slot.clone());
            wasm_bindgen_futures::spawn_local(async move {
                sleep(backoff_ms(attempt)).await;
                connect(session, key, boards, state, stopped, slot, attempt + 1);
            });
        }
    };
    let Some(address) = socket_address() else { return };
    let socket = match web_sys::WebSocket::new(&address) {
        Ok(s) => s,
        Err(e) => {
            leptos::logging::warn!("the live socket did not open: {}", js_text(&e));
            retry(attempt);
            return;
        }
    };
    let hello =
        serde_json::json!({ "type": "projector", "session": session, "key": key }).to_string();
    let on_open = {
        let socket = socket.clone();
        Closure::<dyn FnMut()>::new(move || {
            if let Err(e) = socket.send_with_str(&hello) {
                leptos::logging::warn!("the projector's hello was not sent: {}", js_text(&e));
            }
        })
    };
    // Whether this connection got a board: a connection that worked retries from the start.
    let worked = Rc::new(std::cell::Cell::new(false));
    let got = worked.clone();
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let Some(text) = ev.data().as_string() else { return };
            match serde_json::from_str::<ServerFrame>(&text) {
                Ok(ServerFrame::Board { board, snapshot }) => {
                    // A snapshot always replaces; a change only when newer than what is shown.
                    let newer = boards
                        .with_untracked(|b| b.as_ref().is_none_or(|b| b.version <= board.version));
                    if snapshot || newer {
                        boards.set(Some(board));
                    }
                    got.set(true);
                    state.set(Watching::Live);
                }
                Ok(ServerFrame::Error { reason }) => {
                    leptos::logging::warn!("the live socket ended: {reason}");
                }
                // Tablets' frames never come to a projector's socket.
                Ok(_) => {}
                Err(e) => leptos::logging::warn!("an unreadable frame: {e}"),
            }
        });
    let on_close = {
        let stopped = stopped.clone();
        let retry = retry.clone();
        Closure::<dyn FnMut()>::new(move || {
            if !*stopped.borrow() {
                retry(if worked.get() { 0 } else { attempt.min(8) });
            }
        })
    };
    socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    // The handlers live as long as the socket, which the page keeps until the session ends.
    on_open.forget();
    on_message.forget();
    on_close.forget();
    *slot.borrow_mut() = Some(socket);
}
