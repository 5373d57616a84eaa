//! Lesenka's school server: live lessons from students' tablets to the projector, on SQLite or
//! PostgreSQL, and the app's files.
//!
//! [`app`] is the router: thin handlers over [`AppState`] that parse [`wire`] bodies and call
//! [`live::Hub`] (the sessions, over [`storage::Store`] and core's `LiveRun`); the live socket is
//! [`socket`]; the app's files and the security headers are [`files`]; limits are [`limits`].
//! [`serve`] runs the router until a shutdown signal, ending the live sockets first. The CLI's
//! `lesenka serve` is the binary around it.

pub mod files;
pub mod limits;
pub mod live;
pub mod socket;
pub mod storage;
pub mod wire;

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::{ConnectInfo, DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use tokio::net::TcpListener;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use uuid::Uuid;

use crate::limits::{Limits, SocketCounter};
use crate::live::{Hub, LiveServerError};
use crate::storage::Store;
use crate::wire::{Ack, Answer, Board, Closed, Join, Joined, OpenSession, Opened};

/// How the server is set up.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The built app (`cargo xtask dist`'s `dist/`); none: the API only.
    pub dist: Option<PathBuf>,
    /// Origins other than the server's own whose pages may open the live socket.
    pub allowed_origins: Vec<String>,
    /// The limits.
    pub limits: Limits,
}

/// What every handler shares.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The live sessions.
    pub hub: Arc<Hub>,
    config: Arc<Config>,
    sockets: SocketCounter,
    stopping: Arc<tokio::sync::watch::Sender<bool>>,
}

impl AppState {
    /// The state over a migrated store.
    pub fn new(store: Store, config: Config) -> Self {
        AppState {
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
        LiveServerError::UnknownToken => "unknown_token",
        LiveServerError::Closed => "closed",
        LiveServerError::Refused(_) => "refused",
        LiveServerError::BadSeq => "bad_seq",
        LiveServerError::TooManyAnswers => "too_many_answers",
        LiveServerError::Corrupt(_) | LiveServerError::Storage(_) => "internal",
    }
}

/// An error as an HTTP response: a status and `{"error": code, "message": …}`.
#[derive(Debug)]
pub struct ApiError(LiveServerError);

impl From<LiveServerError> for ApiError {
    fn from(e: LiveServerError) -> Self {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        use LiveServerError as E;
        let status = match &self.0 {
            E::Invalid(_) | E::Refused(_) | E::BadSeq | E::NotInRoster => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            E::UnknownCode | E::UnknownSession => StatusCode::NOT_FOUND,
            E::TooManyTries | E::TooManyAnswers => StatusCode::TOO_MANY_REQUESTS,
            E::WrongKey => StatusCode::FORBIDDEN,
            E::UnknownToken => StatusCode::UNAUTHORIZED,
            E::Closed => StatusCode::CONFLICT,
            E::Corrupt(_) | E::Storage(_) => {
                tracing::error!(error = %self.0, "request failed");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        let message = match status {
            StatusCode::INTERNAL_SERVER_ERROR => "internal error".to_owned(),
            _ => self.0.to_string(),
        };
        let body = serde_json::json!({ "error": error_code(&self.0), "message": message });
        (status, Json(body)).into_response()
    }
}

fn bearer(headers: &HeaderMap) -> &str {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("")
}

async fn open_session(
    State(state): State<AppState>,
    Json(spec): Json<OpenSession>,
) -> Result<(StatusCode, Json<Opened>), ApiError> {
    Ok((StatusCode::CREATED, Json(state.hub.open(spec).await?)))
}

async fn board(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
) -> Result<Json<Board>, ApiError> {
    Ok(Json(state.hub.board(id, bearer(&headers)).await?))
}

async fn close_session(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
) -> Result<Json<Closed>, ApiError> {
    Ok(Json(state.hub.close(id, bearer(&headers)).await?))
}

async fn join(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    Json(body): Json<Join>,
) -> Result<Json<Joined>, ApiError> {
    Ok(Json(state.hub.join(addr.ip(), &body.code, body.student).await?))
}

async fn answer(
    State(state): State<AppState>,
    Json(body): Json<Answer>,
) -> Result<Json<Ack>, ApiError> {
    Ok(Json(state.hub.answer(&body.token, body.seq, body.response).await?))
}

async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "ok": true }))
}

async fn no_such_api() -> Response {
    let body = serde_json::json!({ "error": "not_found", "message": "no such endpoint" });
    (StatusCode::NOT_FOUND, Json(body)).into_response()
}

/// The router: the API under `/api/`, the live socket at `/api/live`, the app's files for the rest.
pub fn app(state: AppState) -> Router {
    let csp = files::content_security_policy(state.config.dist.as_deref());
    let api = Router::new()
        .route("/api/health", get(health))
        .route("/api/sessions", post(open_session))
        .route("/api/sessions/{id}/board", get(board))
        .route("/api/sessions/{id}/close", post(close_session))
        .route("/api/join", post(join))
        .route("/api/answer", post(answer))
        .route("/api/live", get(socket::live))
        .route("/api/{*rest}", any(no_such_api))
        .layer(DefaultBodyLimit::max(state.config.limits.max_body));
    let router = match &state.config.dist {
        Some(dist) => api.merge(files::static_files(dist)),
        None => api,
    };
    let csp = HeaderValue::from_str(&csp).unwrap_or(HeaderValue::from_static("default-src 'self'"));
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
