//! Lesenka's school server: live lessons from students' tablets to the projector, on SQLite or
//! PostgreSQL, and the app's files.
//!
//! [`app`] is the router: thin handlers over [`AppState`] that parse [`wire`] bodies and call
//! [`live::Hub`] (the sessions, over [`storage::Store`] and core's `LiveRun`) or
//! [`accounts::Accounts`]; the live socket is [`socket`]; the app's files and the security
//! headers are [`files`]; limits are [`limits`]. Access is denied by default: each handler says
//! who may call it ([`Caller`]): opening a live session needs a signed-in teacher, closing it
//! that teacher or an administrator, making accounts an administrator; the projector needs the
//! session's teacher key, a tablet its participant token; every state-changing request signed in
//! by cookie carries the session's CSRF token in `X-CSRF-Token`.
//! [`serve`] runs the router until a shutdown signal, ending the live sockets first. The CLI's
//! `lesenka serve` is the binary around it.

pub mod accounts;
pub mod community;
pub mod files;
pub mod limits;
pub mod live;
pub mod socket;
pub mod storage;

/// The bodies and frames, shared with the app (`lesenka-wire`).
pub use lesenka_wire as wire;

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::{ConnectInfo, DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, delete, get, post, put};
use axum::{Json, Router};
use tokio::net::TcpListener;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use uuid::Uuid;

use crate::accounts::{Account, Accounts, AuthError, Role, SignedIn};
use crate::community::{CommunityError, Mailboxes};
use crate::limits::{Limits, SocketCounter};
use crate::live::{Hub, LiveServerError};
use crate::storage::Store;
use crate::wire::{
    Ack, Answer, Board, Bundle, BundleInfo, Closed, CommunityInfo, Join, Joined, Lock,
    OpenCommunity, OpenSession, Opened, ParticipantInfo, SendBundle,
};

/// How the server is set up.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The built app (`cargo xtask dist`'s `dist/`); none: the API only.
    pub dist: Option<PathBuf>,
    /// Origins other than the server's own whose pages may open the live socket.
    pub allowed_origins: Vec<String>,
    /// The limits.
    pub limits: Limits,
    /// Whether the session cookie is marked `Secure` (the server is reached over HTTPS).
    pub secure_cookies: bool,
    /// The address tablets reach the server at (`http://10.0.0.5:8080`), for the join QR code;
    /// none: `http://` and the request's `Host`.
    pub public_url: Option<String>,
}

/// What every handler shares.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The live sessions.
    pub hub: Arc<Hub>,
    /// The accounts.
    pub accounts: Arc<Accounts>,
    /// The ПОС mailboxes.
    pub mailboxes: Arc<Mailboxes>,
    config: Arc<Config>,
    sockets: SocketCounter,
    stopping: Arc<tokio::sync::watch::Sender<bool>>,
}

impl AppState {
    /// The state over a migrated store.
    pub fn new(store: Store, config: Config) -> Self {
        AppState {
            accounts: Arc::new(Accounts::new(store.clone())),
            mailboxes: Arc::new(Mailboxes::new(store.clone())),
            hub: Arc::new(Hub::new(store, config.limits.clone())),
            config: Arc::new(config),
            sockets: SocketCounter::default(),
            stopping: Arc::new(tokio::sync::watch::Sender::new(false)),
        }
    }

    /// Ends every live socket (the server is stopping).
    pub fn stop_sockets(&self) {
        self.stopping.send_replace(true);
    }
}

/// The stable code of an error, as the API and the socket give it.
pub fn error_code(e: &LiveServerError) -> &'static str {
    match e {
        LiveServerError::Invalid(_) => "invalid",
        LiveServerError::UnknownCode => "unknown_code",
        LiveServerError::TooManyTries => "too_many_tries",
        LiveServerError::NotInRoster => "not_in_roster",
        LiveServerError::UnknownSession => "unknown_session",
        LiveServerError::WrongKey => "wrong_key",
        LiveServerError::NotYours => "not_yours",
        LiveServerError::UnknownToken => "unknown_token",
        LiveServerError::Closed => "closed",
        LiveServerError::Locked => "locked",
        LiveServerError::UnknownParticipant => "unknown_participant",
        LiveServerError::Refused(_) => "refused",
        LiveServerError::BadSeq => "bad_seq",
        LiveServerError::SeqTaken => "seq_taken",
        LiveServerError::TooManyAnswers => "too_many_answers",
        LiveServerError::Corrupt(_) | LiveServerError::Storage(_) => "internal",
    }
}

/// An error as an HTTP response: a status and `{"error": code, "message": …}`.
#[derive(Debug)]
pub enum ApiError {
    /// A live-session refusal.
    Live(LiveServerError),
    /// An account refusal.
    Auth(AuthError),
    /// A ПОС mailbox refusal.
    Community(CommunityError),
    /// The endpoint needs a signed-in account.
    SignInRequired,
    /// The signed-in account's role may not do this.
    Forbidden,
    /// A state-changing request without the session's CSRF token.
    Csrf,
    /// A body or a path that does not parse: its status (400, 413, 415, 422) and why.
    Rejected(StatusCode, String),
}

/// A JSON request body; one that does not parse is an [`ApiError`] (JSON, like every error).
#[derive(Debug)]
pub struct Body<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> axum::extract::FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(request: axum::extract::Request, state: &S) -> Result<Self, ApiError> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(Body(value)),
            Err(e) => Err(ApiError::Rejected(e.status(), e.body_text())),
        }
    }
}

/// The path's parameters; ones that do not parse are an [`ApiError`].
#[derive(Debug)]
pub struct Id<T>(pub T);

impl<T: serde::de::DeserializeOwned + Send, S: Send + Sync> axum::extract::FromRequestParts<S>
    for Id<T>
{
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, ApiError> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(Id(value)),
            Err(e) => Err(ApiError::Rejected(e.status(), e.body_text())),
        }
    }
}

impl From<LiveServerError> for ApiError {
    fn from(e: LiveServerError) -> Self {
        ApiError::Live(e)
    }
}

impl From<CommunityError> for ApiError {
    fn from(e: CommunityError) -> Self {
        ApiError::Community(e)
    }
}

fn community_status(e: &CommunityError) -> StatusCode {
    use CommunityError as E;
    match e {
        E::Unknown | E::NoBundle => StatusCode::NOT_FOUND,
        E::NotYours => StatusCode::FORBIDDEN,
        E::BadName | E::NotABundle(_) | E::NewerVersion => StatusCode::UNPROCESSABLE_ENTITY,
        E::Corrupt(_) | E::Storage(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl From<AuthError> for ApiError {
    fn from(e: AuthError) -> Self {
        ApiError::Auth(e)
    }
}

fn live_status(e: &LiveServerError) -> StatusCode {
    use LiveServerError as E;
    match e {
        E::Invalid(_) | E::Refused(_) | E::BadSeq | E::NotInRoster => {
            StatusCode::UNPROCESSABLE_ENTITY
        }
        E::UnknownCode | E::UnknownSession | E::UnknownParticipant => StatusCode::NOT_FOUND,
        E::Locked => StatusCode::LOCKED,
        E::TooManyTries | E::TooManyAnswers => StatusCode::TOO_MANY_REQUESTS,
        E::WrongKey | E::NotYours => StatusCode::FORBIDDEN,
        E::UnknownToken => StatusCode::UNAUTHORIZED,
        E::Closed | E::SeqTaken => StatusCode::CONFLICT,
        E::Corrupt(_) | E::Storage(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn auth_status(e: &AuthError) -> (StatusCode, &'static str) {
    use AuthError as E;
    match e {
        E::BadCredentials => (StatusCode::UNAUTHORIZED, "bad_credentials"),
        E::TooManyTries { .. } => (StatusCode::TOO_MANY_REQUESTS, "too_many_tries"),
        E::BadLogin => (StatusCode::UNPROCESSABLE_ENTITY, "bad_login"),
        E::WeakPassword => (StatusCode::UNPROCESSABLE_ENTITY, "weak_password"),
        E::LoginTaken => (StatusCode::CONFLICT, "login_taken"),
        E::Hash(_) | E::UnknownRole(_) | E::Storage(_) => {
            (StatusCode::INTERNAL_SERVER_ERROR, "internal")
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message) = match &self {
            ApiError::Live(e) => (live_status(e), error_code(e), e.to_string()),
            ApiError::Community(e) => (community_status(e), e.code(), e.to_string()),
            ApiError::Auth(e) => {
                let (status, code) = auth_status(e);
                (status, code, e.to_string())
            }
            ApiError::SignInRequired => {
                (StatusCode::UNAUTHORIZED, "sign_in_required", "sign in first".to_owned())
            }
            ApiError::Forbidden => {
                (StatusCode::FORBIDDEN, "forbidden", "your account may not do this".to_owned())
            }
            ApiError::Csrf => (
                StatusCode::FORBIDDEN,
                "csrf",
                "the X-CSRF-Token header is missing or wrong".to_owned(),
            ),
            ApiError::Rejected(status, why) => {
                let code = match *status {
                    StatusCode::PAYLOAD_TOO_LARGE => "too_large",
                    StatusCode::UNSUPPORTED_MEDIA_TYPE => "not_json",
                    _ => "bad_request",
                };
                (*status, code, why.clone())
            }
        };
        let message = if status == StatusCode::INTERNAL_SERVER_ERROR {
            tracing::error!(error = %message, "request failed");
            "internal error".to_owned()
        } else {
            message
        };
        let body = serde_json::json!({ "error": code, "message": message });
        let mut response = (status, Json(body)).into_response();
        if let ApiError::Auth(AuthError::TooManyTries { retry_after }) = &self
            && let Ok(v) = HeaderValue::from_str(&retry_after.as_secs().max(1).to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        response
    }
}

/// The body of every error response.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// A stable code (`unknown_code`, `sign_in_required`, `csrf`, …).
    pub error: String,
    /// An English explanation.
    pub message: String,
}

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "lesenka_session";

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Who calls: the signed-in account of the request's cookie, its CSRF token checked on every
/// state-changing request.
#[derive(Debug)]
pub struct Caller(Option<SignedIn>);

impl Caller {
    async fn of(
        state: &AppState,
        method: &Method,
        headers: &HeaderMap,
    ) -> Result<Caller, ApiError> {
        let Some(token) = cookie(headers, SESSION_COOKIE) else { return Ok(Caller(None)) };
        let Some(signed_in) = state.accounts.session(token).await? else {
            return Ok(Caller(None));
        };
        let safe = matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
        if !safe {
            let sent = headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).unwrap_or("");
            if live::secret_hash(sent) != live::secret_hash(&signed_in.csrf) {
                return Err(ApiError::Csrf);
            }
        }
        Ok(Caller(Some(signed_in)))
    }

    /// The account, which must have one of `roles`.
    fn require(&self, roles: &[Role]) -> Result<&Account, ApiError> {
        match &self.0 {
            None => Err(ApiError::SignInRequired),
            Some(s) if roles.contains(&s.account.role) => Ok(&s.account),
            Some(_) => Err(ApiError::Forbidden),
        }
    }
}

impl axum::extract::FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Caller::of(state, &parts.method, &parts.headers).await
    }
}

const TEACHERS: &[Role] = &[Role::Teacher, Role::Admin];

fn bearer(headers: &HeaderMap) -> &str {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("")
}

/// Opens a live session (a signed-in teacher; CSRF header).
#[utoipa::path(post, path = "/api/sessions", request_body = OpenSession,
    responses((status = 201, body = Opened), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn open_session(
    State(state): State<AppState>,
    caller: Caller,
    Body(spec): Body<OpenSession>,
) -> Result<(StatusCode, Json<Opened>), ApiError> {
    let teacher = caller.require(TEACHERS)?;
    Ok((StatusCode::CREATED, Json(state.hub.open(spec, teacher).await?)))
}

/// The projector's board (`Authorization: Bearer <teacher key>`).
#[utoipa::path(get, path = "/api/sessions/{id}/board", params(("id" = Uuid, Path)),
    responses((status = 200, body = Board), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn board(
    State(state): State<AppState>,
    Id(id): Id<Uuid>,
    headers: HeaderMap,
) -> Result<Json<Board>, ApiError> {
    Ok(Json(state.hub.board(id, bearer(&headers)).await?))
}

/// Closes a live session into evidence records (its teacher or an administrator; CSRF header).
#[utoipa::path(post, path = "/api/sessions/{id}/close", params(("id" = Uuid, Path)),
    responses((status = 200, body = Closed), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn close_session(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id<Uuid>,
) -> Result<Json<Closed>, ApiError> {
    let teacher = caller.require(TEACHERS)?;
    Ok(Json(state.hub.close(id, teacher).await?))
}

/// Locks or unlocks the room: a locked session takes no new joins (its teacher or an
/// administrator; CSRF header).
#[utoipa::path(post, path = "/api/sessions/{id}/lock", params(("id" = Uuid, Path)),
    request_body = Lock,
    responses((status = 200, body = Board), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody)))]
async fn lock_session(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id<Uuid>,
    Body(body): Body<Lock>,
) -> Result<Json<Board>, ApiError> {
    let teacher = caller.require(TEACHERS)?;
    Ok(Json(state.hub.lock(id, body.locked, teacher).await?))
}

/// The joined tablets with their students' names (its teacher or an administrator).
#[utoipa::path(get, path = "/api/sessions/{id}/participants", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<ParticipantInfo>), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn participants(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id<Uuid>,
) -> Result<Json<Vec<ParticipantInfo>>, ApiError> {
    let teacher = caller.require(TEACHERS)?;
    Ok(Json(state.hub.participants(id, teacher).await?))
}

/// Removes a participant: its token stops working and its answers leave the board and the
/// evidence (its teacher or an administrator; CSRF header).
#[utoipa::path(delete, path = "/api/sessions/{id}/participants/{participant}",
    params(("id" = Uuid, Path), ("participant" = String, Path)),
    responses((status = 200, body = Board), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody)))]
async fn remove_participant(
    State(state): State<AppState>,
    caller: Caller,
    Id((id, participant)): Id<(Uuid, String)>,
) -> Result<Json<Board>, ApiError> {
    let teacher = caller.require(TEACHERS)?;
    Ok(Json(state.hub.remove(id, &participant, teacher).await?))
}

/// The origin tablets reach the server at: the configured one, or `http://` and the request's
/// `Host` when it is a plain host name or address.
fn public_origin(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(url) = &state.config.public_url {
        return url.trim_end_matches('/').to_owned();
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
    let plain = !host.is_empty()
        && host.len() <= 255
        && host.bytes().all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b));
    format!("http://{}", if plain { host } else { "localhost" })
}

/// The join URL as a QR code (SVG), for the projector (its teacher or an administrator).
#[utoipa::path(get, path = "/api/sessions/{id}/qr.svg", params(("id" = Uuid, Path)),
    responses((status = 200, content_type = "image/svg+xml", body = String),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn join_qr(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id<Uuid>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let teacher = caller.require(TEACHERS)?;
    let url = state.hub.join_url(id, &public_origin(&state, &headers), teacher).await?;
    let svg = qr_svg(&url);
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("image/svg+xml")),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        svg,
    )
        .into_response())
}

/// `text` as a QR code in SVG (dark modules on white, a quiet zone around).
pub fn qr_svg(text: &str) -> String {
    match qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M) {
        Ok(code) => code
            .render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(256, 256)
            .quiet_zone(true)
            .build(),
        // A join URL is far below a QR code's capacity; say so rather than fail the page.
        Err(e) => format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><title>{e}</title></svg>"
        ),
    }
}

/// What a signed-in account sees of itself.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Me {
    /// The account.
    pub account: Account,
    /// The value state-changing requests carry in `X-CSRF-Token`.
    pub csrf: String,
}

/// `POST /api/auth/sign-in`.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct SignIn {
    /// The login.
    pub login: String,
    /// The password.
    pub password: String,
}

/// `POST /api/accounts`.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct NewAccount {
    /// The login.
    pub login: String,
    /// The first password.
    pub password: String,
    /// What it may do.
    pub role: Role,
}

fn session_cookie(state: &AppState, token: &str, max_age: u64) -> HeaderValue {
    let secure = if state.config.secure_cookies { "; Secure" } else { "" };
    let value = format!(
        "{SESSION_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age}{secure}"
    );
    HeaderValue::from_str(&value).unwrap_or(HeaderValue::from_static("lesenka_session=; Max-Age=0"))
}

/// Signs in: sets the `lesenka_session` cookie, gives the CSRF token.
#[utoipa::path(post, path = "/api/auth/sign-in", request_body = SignIn,
    responses((status = 200, body = Me), (status = 401, body = ErrorBody),
              (status = 429, body = ErrorBody)))]
async fn sign_in(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    Body(body): Body<SignIn>,
) -> Result<Response, ApiError> {
    let (token, signed_in) = state.accounts.sign_in(addr.ip(), &body.login, &body.password).await?;
    let cookie = session_cookie(&state, &token, accounts::SESSION_LENGTH.as_secs());
    let me = Me { account: signed_in.account, csrf: signed_in.csrf };
    Ok(([(header::SET_COOKIE, cookie)], Json(me)).into_response())
}

/// Signs out (CSRF header).
#[utoipa::path(post, path = "/api/auth/sign-out",
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn sign_out(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    caller.require(TEACHERS)?;
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        state.accounts.sign_out(token).await?;
    }
    let cookie = session_cookie(&state, "", 0);
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}

/// The signed-in account.
#[utoipa::path(get, path = "/api/auth/me",
    responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
async fn me(caller: Caller) -> Result<Json<Me>, ApiError> {
    caller.require(TEACHERS)?;
    let Caller(Some(signed_in)) = caller else { return Err(ApiError::SignInRequired) };
    Ok(Json(Me { account: signed_in.account, csrf: signed_in.csrf }))
}

/// Makes an account (an administrator; CSRF header).
#[utoipa::path(post, path = "/api/accounts", request_body = NewAccount,
    responses((status = 201, body = Account), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn create_account(
    State(state): State<AppState>,
    caller: Caller,
    Body(body): Body<NewAccount>,
) -> Result<(StatusCode, Json<Account>), ApiError> {
    caller.require(&[Role::Admin])?;
    let account = state.accounts.create(&body.login, &body.password, body.role).await?;
    Ok((StatusCode::CREATED, Json(account)))
}

/// Joins a live session by its code: the class list to pick from, or a participant token; a
/// locked room answers 423 at once, before a name is picked.
#[utoipa::path(post, path = "/api/join", request_body = Join,
    responses((status = 200, body = Joined), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody), (status = 423, body = ErrorBody),
              (status = 429, body = ErrorBody)))]
async fn join(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    Body(body): Body<Join>,
) -> Result<Json<Joined>, ApiError> {
    Ok(Json(state.hub.join(addr.ip(), &body.code, body.student).await?))
}

/// Stores an answer once (`token`, `seq`); a resend of a stored seq gets the same ack, and a
/// different answer under a stored seq is refused (409 `seq_taken`).
#[utoipa::path(post, path = "/api/answer", request_body = Answer,
    responses((status = 200, body = Ack), (status = 401, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 429, body = ErrorBody)))]
async fn answer(
    State(state): State<AppState>,
    Body(body): Body<Answer>,
) -> Result<Json<Ack>, ApiError> {
    Ok(Json(state.hub.answer(&body.token, body.seq, body.response).await?))
}

/// The ПОС mailboxes on this server (any signed-in account), by name.
#[utoipa::path(get, path = "/api/communities",
    responses((status = 200, body = Vec<CommunityInfo>), (status = 401, body = ErrorBody)))]
async fn communities(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<CommunityInfo>>, ApiError> {
    caller.require(TEACHERS)?;
    Ok(Json(state.mailboxes.list().await?))
}

/// Opens the mailbox of a community (its plan's id) for its members' data, or renames it (the
/// account that opened it; CSRF header).
#[utoipa::path(put, path = "/api/communities/{id}", params(("id" = Uuid, Path)),
    request_body = OpenCommunity,
    responses((status = 200, body = CommunityInfo), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn open_community(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id<Uuid>,
    Body(body): Body<OpenCommunity>,
) -> Result<Json<CommunityInfo>, ApiError> {
    let by = caller.require(TEACHERS)?;
    Ok(Json(state.mailboxes.open(id, &body.name, by).await?))
}

/// Sends the caller's exported file to a community's mailbox, replacing the one sent before
/// (any signed-in account; CSRF header). The body may be as large as `Limits::max_bundle`.
#[utoipa::path(put, path = "/api/communities/{id}/bundle", params(("id" = Uuid, Path)),
    request_body = SendBundle,
    responses((status = 200, body = BundleInfo), (status = 401, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn send_bundle(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id<Uuid>,
    Body(body): Body<SendBundle>,
) -> Result<Json<BundleInfo>, ApiError> {
    let by = caller.require(TEACHERS)?;
    Ok(Json(state.mailboxes.send(id, &body.file, by).await?))
}

/// The members' files in a mailbox, without their text (its leader or an administrator).
#[utoipa::path(get, path = "/api/communities/{id}/bundles", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<BundleInfo>), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn bundles(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id<Uuid>,
) -> Result<Json<Vec<BundleInfo>>, ApiError> {
    let by = caller.require(TEACHERS)?;
    Ok(Json(state.mailboxes.bundles(id, by).await?))
}

/// One member's file, with its text (the mailbox's leader or an administrator).
#[utoipa::path(get, path = "/api/communities/{id}/bundles/{member}",
    params(("id" = Uuid, Path), ("member" = String, Path)),
    responses((status = 200, body = Bundle), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn bundle(
    State(state): State<AppState>,
    caller: Caller,
    Id((id, member)): Id<(Uuid, String)>,
) -> Result<Json<Bundle>, ApiError> {
    let by = caller.require(TEACHERS)?;
    Ok(Json(state.mailboxes.bundle(id, &member, by).await?))
}

/// Whether the server is up.
#[utoipa::path(get, path = "/api/health", responses((status = 200, body = Object)))]
async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "ok": true }))
}

/// The API's OpenAPI document, made from the handlers' types. The live socket (`/api/live`)
/// speaks the `ClientFrame` and `ServerFrame` schemas listed in it.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Lesenka school server",
        description = "Live lessons from tablets to the projector."
    ),
    paths(
        health,
        open_session,
        board,
        close_session,
        lock_session,
        participants,
        remove_participant,
        join_qr,
        sign_in,
        sign_out,
        me,
        create_account,
        join,
        answer,
        communities,
        open_community,
        send_bundle,
        bundles,
        bundle
    ),
    components(schemas(wire::ClientFrame, wire::ServerFrame, wire::RosterEntry, ErrorBody)),
    modifiers(&Rejections)
)]
pub struct ApiDoc;

/// Adds to every operation the refusals of its extractors: 400 for a path that does not parse;
/// 400, 413, 415 and 422 for a body that does not.
struct Rejections;

impl utoipa::Modify for Rejections {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let error = |why: &str| {
            ResponseBuilder::new()
                .description(why)
                .content(
                    "application/json",
                    ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build(),
                )
                .build()
        };
        for item in openapi.paths.paths.values_mut() {
            let operations =
                [&mut item.get, &mut item.post, &mut item.put, &mut item.delete, &mut item.patch];
            for op in operations.into_iter().flatten() {
                let has_path = op.parameters.as_ref().is_some_and(|ps| !ps.is_empty());
                let has_body = op.request_body.is_some();
                let mut add = |status: &str, why: &str| {
                    op.responses.responses.entry(status.to_owned()).or_insert(error(why).into());
                };
                if has_path || has_body {
                    add("400", "The path or the body does not parse");
                }
                if has_body {
                    add("413", "The body is too large");
                    add("415", "The body is not JSON");
                    add("422", "The body does not fit the schema");
                }
            }
        }
    }
}

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(<ApiDoc as utoipa::OpenApi>::openapi())
}

async fn no_such_api() -> Response {
    let body = serde_json::json!({ "error": "not_found", "message": "no such endpoint" });
    (StatusCode::NOT_FOUND, Json(body)).into_response()
}

/// The router: the API under `/api/`, the live socket at `/api/live`, the app's files for the rest.
pub fn app(state: AppState) -> Router {
    let api = Router::new()
        .route("/api/health", get(health))
        .route("/api/openapi.json", get(openapi))
        .route("/api/sessions", post(open_session))
        .route("/api/sessions/{id}/board", get(board))
        .route("/api/sessions/{id}/close", post(close_session))
        .route("/api/sessions/{id}/lock", post(lock_session))
        .route("/api/sessions/{id}/participants", get(participants))
        .route("/api/sessions/{id}/participants/{participant}", delete(remove_participant))
        .route("/api/sessions/{id}/qr.svg", get(join_qr))
        .route("/api/auth/sign-in", post(sign_in))
        .route("/api/auth/sign-out", post(sign_out))
        .route("/api/auth/me", get(me))
        .route("/api/accounts", post(create_account))
        .route("/api/join", post(join))
        .route("/api/answer", post(answer))
        .route("/api/communities", get(communities))
        .route("/api/communities/{id}", put(open_community))
        .route(
            "/api/communities/{id}/bundle",
            put(send_bundle).layer(DefaultBodyLimit::max(state.config.limits.max_bundle)),
        )
        .route("/api/communities/{id}/bundles", get(bundles))
        .route("/api/communities/{id}/bundles/{member}", get(bundle))
        .route("/api/live", get(socket::live))
        .route("/api/{*rest}", any(no_such_api))
        .layer(DefaultBodyLimit::max(state.config.limits.max_body));
    let router = match &state.config.dist {
        Some(dist) => api.merge(files::static_files(dist)),
        None => api,
    };
    let csp = HeaderValue::from_static(files::CONTENT_SECURITY_POLICY);
    router
        .with_state(state)
        .layer(SetResponseHeaderLayer::overriding(header::CONTENT_SECURITY_POLICY, csp))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(TraceLayer::new_for_http())
}

/// Serves the router on `listener` until `shutdown` completes; then ends the live sockets and
/// waits for the requests in flight (an answer is acknowledged only after its commit, so none
/// acknowledged is lost).
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let stopper = state.clone();
    let router = app(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, router)
        .with_graceful_shutdown(async move {
            shutdown.await;
            stopper.stop_sockets();
        })
        .await
}
