//! What can go wrong with the cache, each with a stable code for the UI.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "the cache at {path} was written by a newer Shiftdesk (schema version {found}; this app knows up to {supported}). \
         Update Shiftdesk to open it; the file was left untouched"
    )]
    SchemaTooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },

    #[error("the cache at {path} cannot be opened: {reason}")]
    Unavailable { path: PathBuf, reason: String },

    #[error("could not move the damaged cache {path} aside: {source}")]
    MoveAside {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error("the cache holds a value it cannot read: {value:?} in {column}")]
    BadRow { column: &'static str, value: String },

    #[error("the queue position {0:?} is not valid")]
    BadCursor(String),

    #[error(
        "outbox entry {0} is not waiting for the agent: it is on its way to the server or gone"
    )]
    OutboxEntryNotSettled(String),

    #[error("the draft is {bytes} bytes; a draft keeps at most {limit}")]
    DraftTooLarge { bytes: usize, limit: usize },
    #[error("ticket {} has no message {} in the cache", ticket.0, message.0)]
    UnknownMessage {
        ticket: shiftdesk_domain::TicketNumber,
        message: shiftdesk_domain::MessageId,
    },

    #[error("a search needs at least one word or number")]
    EmptySearch,

    #[error("attachment file error at {path}: {source}")]
    File {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error("the attachment {hash} does not match its content hash")]
    FileMismatch { hash: String },

    #[error("cache database error: {0}")]
    Database(#[from] sqlx::Error),
}

impl StoreError {
    /// Stable across versions: the UI and tests key on it.
    pub const fn code(&self) -> &'static str {
        match self {
            StoreError::SchemaTooNew { .. } => "cache.schema_too_new",
            StoreError::Unavailable { .. } => "cache.unavailable",
            StoreError::MoveAside { .. } => "cache.move_aside_failed",
            StoreError::BadRow { .. } => "cache.bad_row",
            StoreError::BadCursor(_) => "queue.bad_cursor",
            StoreError::OutboxEntryNotSettled(_) => "outbox.not_settled",
            StoreError::DraftTooLarge { .. } => "draft.too_large",
            StoreError::UnknownMessage { .. } => "ticket.unknown_message",
            StoreError::EmptySearch => "search.empty_query",
            StoreError::File { .. } => "attachment.io",
            StoreError::FileMismatch { .. } => "attachment.hash_mismatch",
            StoreError::Database(_) => "cache.database",
        }
    }
}

impl From<shiftdesk_domain::UnknownCode> for StoreError {
    fn from(e: shiftdesk_domain::UnknownCode) -> Self {
        StoreError::BadRow {
            column: e.kind,
            value: e.code,
        }
    }
}
