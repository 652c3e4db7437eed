//! The reference ticketing API: the server Shiftdesk syncs with. Agents
//! authenticate with bearer tokens; they pull the changes in their scope by
//! a server-wide sequence. Errors are RFC 9457 problems with stable codes.

pub mod auth;
pub mod db;
pub mod error;
pub mod events;
pub mod openapi;
pub mod pull;
pub mod push;
pub mod seed;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;

pub use db::Db;
pub use error::{ApiError, ServerError};

/// Everything a request handler may use.
#[derive(Debug, Clone)]
pub struct AppState {
    pub db: Db,
    pub nudges: events::Nudges,
}

impl AppState {
    pub fn new(db: Db) -> Self {
        Self {
            db,
            nudges: events::Nudges::new(),
        }
    }
}

/// The wall clock, read at the edge: requests and CLI commands take it
/// once and pass it down.
pub fn now() -> shiftdesk_domain::Timestamp {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    shiftdesk_domain::Timestamp(ms)
}

/// The HTTP API.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/v1/me", get(auth::me))
        .route("/v1/changes", get(pull::changes))
        .route("/v1/events", get(events::stream))
        .route(
            "/v1/mutations",
            post(push::push).layer(DefaultBodyLimit::max(push::MAX_PUSH_BYTES)),
        )
        .route("/openapi.json", get(openapi::serve))
        .fallback(error::not_found)
        .with_state(state)
}
