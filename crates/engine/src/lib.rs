//! The headless console: everything Shiftdesk does that is not a window.
//! Its client of the ticketing API and the pull of changes into the cache;
//! the outbox and the SLA watcher will live here too. Nothing in this crate
//! knows of Tauri.

pub mod api;
pub mod credentials;
pub mod outbox;
pub mod pull;
#[cfg(test)]
mod test_server;

pub use api::{ApiClient, ApiError, ClientError};
