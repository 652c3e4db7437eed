//! The headless console: everything Shiftdesk does that is not a window.
//! Its client of the ticketing API, the pull of changes into the cache, the
//! outbox, the sync task that drives both, the data folder's accounts and
//! where their API tokens are kept, and
//! the SLA watcher with its notifier port and the lead's breach board, and
//! attachment files kept once downloaded.
//! Nothing in this crate knows of Tauri.

pub mod accounts;
pub mod api;
pub mod attachments;
pub mod compose;
pub mod credentials;
pub mod outbox;
pub mod pull;
pub mod sla_watch;
pub mod sync;
#[cfg(test)]
mod test_server;
pub mod unsent;

pub use api::{ApiClient, ApiError, ClientError, SignInClient};

/// The wall clock, read at the edge and passed down.
pub fn now() -> shiftdesk_domain::Timestamp {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    shiftdesk_domain::Timestamp(ms)
}
