//! The one error shape that crosses IPC: `{code, message}`, with a stable
//! dotted code the UI can key on and a message a person can act on.

use serde::Serialize;
use shiftdesk_store::StoreError;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[error("{message} ({code})")]
pub struct AppError {
    pub code: String,
    pub message: String,
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        Self {
            code: e.code().to_owned(),
            message: e.to_string(),
        }
    }
}
