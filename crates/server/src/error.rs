//! Errors: RFC 9457 problems on the wire, with the stable codes of the
//! protocol; typed errors inside.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use shiftdesk_protocol::{ErrorCode, Problem};

/// What can fail inside the server (as opposed to what a client did wrong).
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored {what} is not valid JSON: {source}")]
    Corrupt {
        what: &'static str,
        source: serde_json::Error,
    },
    /// A stored SLA policy whose calendar cannot be used.
    #[error("SLA policy {id}: {source}")]
    BadPolicy {
        id: i64,
        source: shiftdesk_domain::sla::CalendarError,
    },
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// A group of pushed mutations could not be committed.
    #[error("commit failed: {0}")]
    Commit(String),
    /// Intake refused what the server itself produced (the simulator, a
    /// channel gateway).
    #[error("intake refused a message: {0}")]
    Refused(String),
}

/// An answer that is not a success.
#[derive(Debug)]
pub struct ApiError(pub Problem);

impl ApiError {
    pub fn new(code: ErrorCode, detail: impl Into<String>) -> Self {
        Self(Problem::new(code, detail))
    }
}

impl ApiError {
    /// A body axum would not read: over the route's limit (`what` says
    /// how large it may be) or cut short, as a problem.
    pub fn unread_body(
        rejection: axum::extract::rejection::BytesRejection,
        what: impl FnOnce() -> String,
    ) -> Self {
        match rejection.status().as_u16() {
            413 => Self::new(ErrorCode::TooLarge, what()),
            _ => Self::new(ErrorCode::BadRequest, rejection.body_text()),
        }
    }
}

impl From<ServerError> for ApiError {
    fn from(e: ServerError) -> Self {
        // The details are for the operator's log, not the client.
        tracing::error!(error = %e, "request failed");
        Self::new(
            ErrorCode::Internal,
            "the server could not complete the request; nothing was stored half-way",
        )
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        ServerError::from(e).into()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.0.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_string(&self.0).unwrap_or_default();
        (
            status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            body,
        )
            .into_response()
    }
}

/// Any path the API does not have.
pub async fn not_found() -> ApiError {
    ApiError::new(ErrorCode::NoSuchEndpoint, "the API has no such endpoint")
}
