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

impl AppError {
    /// Arguments the UI sent that do not fit the command.
    pub fn bad_request(e: &serde_json::Error) -> Self {
        Self {
            code: "ipc.bad_request".into(),
            message: format!("the request is not valid: {e}"),
        }
    }
}

/// Reads a command's argument ourselves, so a malformed one is answered
/// with a `{code, message}` like every other failure.
pub fn parse<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<T, AppError> {
    serde_json::from_value(value).map_err(|e| AppError::bad_request(&e))
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        Self {
            code: e.code().to_owned(),
            message: e.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use shiftdesk_store::{QueueFilter, QueueRequest};

    use super::parse;

    #[test]
    fn a_filter_with_values_no_ticket_has_is_a_bad_request() {
        for filter in [
            json!({ "channels": ["portal'); DROP TABLE tickets; --"] }),
            json!({ "statuses": ["новый"] }),
            json!({ "plans": ["standard", null] }),
            json!({ "priority": ["urgent"] }),
        ] {
            let err = parse::<Option<QueueFilter>>(filter.clone()).unwrap_err();
            assert_eq!(err.code, "ipc.bad_request", "{filter}");
            let request = json!({ "view": "team", "after": null, "limit": 50, "filter": filter });
            assert_eq!(
                parse::<QueueRequest>(request).unwrap_err().code,
                "ipc.bad_request"
            );
        }
    }
}
