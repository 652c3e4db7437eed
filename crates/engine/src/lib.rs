//! The headless console: everything Shiftdesk does that is not a window.
//! For now its client of the ticketing API; sync, the outbox and the SLA
//! watcher will live here too. Nothing in this crate knows of Tauri.

pub mod api;

pub use api::{ApiClient, ApiError, ClientError};
