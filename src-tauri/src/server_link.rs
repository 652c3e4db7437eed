//! The shell's link to the ticketing server: which server, as whom, and
//! whether that server takes the token right now.
//!
//! The server and token come from the environment at start,
//! `SHIFTDESK_API_URL` and `SHIFTDESK_API_TOKEN`: the run-time wiring
//! `cargo xtask run` uses until sign-in with the OS keyring arrives with
//! offline sync. The token stays in this process's memory: it is never
//! written anywhere, logged, or sent to the window.

use serde::Serialize;
use shiftdesk_domain::Role;
use shiftdesk_engine::{ApiClient, ApiError, ClientError};
use ts_rs::TS;

use crate::error::AppError;

/// The server's base URL, e.g. `http://127.0.0.1:8780`.
pub const API_URL_ENV: &str = "SHIFTDESK_API_URL";
/// The agent's API token for that server.
pub const API_TOKEN_ENV: &str = "SHIFTDESK_API_TOKEN";

/// What the status bar says about the server: the answer of the last check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ServerStatus {
    /// No server given: the app works from the local cache alone.
    NotConfigured,
    /// The server took the token: it belongs to this agent.
    SignedIn {
        url: String,
        agent_name: String,
        role: Role,
    },
    /// The server answered with a problem, e.g. `auth.device_revoked`.
    Refused {
        url: String,
        code: String,
        message: String,
    },
    /// No answer: the connection failed or timed out.
    Unreachable { url: String, reason: String },
    /// Something answered, but not the way the ticketing API does (a proxy's
    /// error page, a different service on that address).
    Unexpected {
        url: String,
        status: u16,
        what: String,
    },
}

/// The client made from the environment at start, or why there is none.
#[derive(Debug)]
pub struct ServerLink {
    client: Result<Option<ApiClient>, AppError>,
}

impl ServerLink {
    pub fn from_env() -> Self {
        let read = |name| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let link = Self::new(read(API_URL_ENV).as_deref(), read(API_TOKEN_ENV).as_deref());
        match &link.client {
            Ok(Some(client)) => tracing::info!(server = %client.base_url(), "ticketing server"),
            Ok(None) => tracing::info!("no ticketing server configured: local cache only"),
            Err(e) => tracing::error!(code = %e.code, "{}", e.message),
        }
        link
    }

    fn new(url: Option<&str>, token: Option<&str>) -> Self {
        let client = match (url, token) {
            (None, None) => Ok(None),
            (Some(_), None) => Err(AppError {
                code: "server.no_token".into(),
                message: format!("{API_URL_ENV} names a server but {API_TOKEN_ENV} is not set"),
            }),
            (None, Some(_)) => Err(AppError {
                code: "server.no_url".into(),
                message: format!("{API_TOKEN_ENV} is set but {API_URL_ENV} names no server"),
            }),
            (Some(url), Some(token)) => {
                ApiClient::new(url, token).map(Some).map_err(AppError::from)
            }
        };
        Self { client }
    }

    /// The client, when a server is configured and its settings are sound.
    pub fn client(&self) -> Option<&ApiClient> {
        self.client.as_ref().ok().and_then(Option::as_ref)
    }

    /// Asks the server who the token belongs to.
    pub async fn status(&self) -> Result<ServerStatus, AppError> {
        let Some(client) = self.client.as_ref().map_err(Clone::clone)? else {
            return Ok(ServerStatus::NotConfigured);
        };
        Ok(status_of(client.base_url().as_str(), client.me().await))
    }
}

fn status_of(url: &str, me: Result<shiftdesk_domain::Agent, ApiError>) -> ServerStatus {
    let url = url.to_owned();
    match me {
        Ok(agent) => ServerStatus::SignedIn {
            url,
            agent_name: agent.name,
            role: agent.role,
        },
        Err(ApiError::Problem(problem)) => ServerStatus::Refused {
            url,
            code: problem.code.code().to_owned(),
            message: format!("{}; {}", problem.title, problem.detail),
        },
        Err(ApiError::Unreachable { reason }) => ServerStatus::Unreachable { url, reason },
        // Busy is an answer, but not the one asked for: say when to expect it.
        Err(e @ ApiError::SlowDown { .. }) => ServerStatus::Unreachable {
            url,
            reason: e.to_string(),
        },
        Err(ApiError::Unexpected { status, what }) => {
            ServerStatus::Unexpected { url, status, what }
        }
    }
}

impl From<ClientError> for AppError {
    fn from(e: ClientError) -> Self {
        let (code, message) = match &e {
            ClientError::BadUrl { .. } => ("server.bad_url", format!("{e} (set in {API_URL_ENV})")),
            ClientError::BadToken(_) => {
                ("server.bad_token", format!("{e} (set in {API_TOKEN_ENV})"))
            }
            ClientError::Http(_) => ("server.client_setup", e.to_string()),
        };
        Self {
            code: code.into(),
            message,
        }
    }
}

#[cfg(test)]
mod tests {
    use shiftdesk_domain::{Agent, AgentId};
    use shiftdesk_protocol::{ErrorCode, Problem};

    use super::*;

    #[tokio::test]
    async fn no_server_given_is_not_configured() {
        let link = ServerLink::new(None, None);
        assert_eq!(link.status().await, Ok(ServerStatus::NotConfigured));
    }

    #[tokio::test]
    async fn half_or_bad_settings_are_errors_with_stable_codes() {
        for (url, token, code) in [
            (Some("http://127.0.0.1:8780"), None, "server.no_token"),
            (None, Some("sdk_x"), "server.no_url"),
            (Some("ftp://127.0.0.1"), Some("sdk_x"), "server.bad_url"),
            (
                Some("http://127.0.0.1:8780"),
                Some("sdk\nx"),
                "server.bad_token",
            ),
        ] {
            let error = ServerLink::new(url, token).status().await.unwrap_err();
            assert_eq!(error.code, code, "{error:?}");
            assert!(
                error.message.contains("SHIFTDESK_API"),
                "says which setting: {error:?}"
            );
        }
    }

    #[test]
    fn each_answer_becomes_a_status() {
        let url = "http://127.0.0.1:8780/";
        let agent = Agent {
            id: AgentId(1),
            name: "Алексей Смирнов".into(),
            team: "L2 Support".into(),
            role: Role::Agent,
        };
        assert_eq!(
            status_of(url, Ok(agent)),
            ServerStatus::SignedIn {
                url: url.into(),
                agent_name: "Алексей Смирнов".into(),
                role: Role::Agent,
            }
        );
        let revoked = Problem::new(ErrorCode::DeviceRevoked, "sign in again");
        assert_eq!(
            status_of(url, Err(ApiError::Problem(revoked))),
            ServerStatus::Refused {
                url: url.into(),
                code: "auth.device_revoked".into(),
                message: "This device was signed out; sign in again".into(),
            }
        );
        let reason = "connection refused".to_owned();
        assert_eq!(
            status_of(url, Err(ApiError::Unreachable { reason })),
            ServerStatus::Unreachable {
                url: url.into(),
                reason: "connection refused".into(),
            }
        );
        let what = "not a problem document (content type text/html)".to_owned();
        assert_eq!(
            status_of(url, Err(ApiError::Unexpected { status: 502, what })),
            ServerStatus::Unexpected {
                url: url.into(),
                status: 502,
                what: "not a problem document (content type text/html)".into(),
            }
        );
    }

    #[test]
    fn the_status_crosses_ipc_tagged_by_state() {
        let json = serde_json::to_value(ServerStatus::Unreachable {
            url: "http://127.0.0.1:8780/".into(),
            reason: "connection refused".into(),
        })
        .unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "state": "unreachable",
                "url": "http://127.0.0.1:8780/",
                "reason": "connection refused",
            })
        );
        assert_eq!(
            serde_json::to_value(ServerStatus::NotConfigured).unwrap(),
            serde_json::json!({ "state": "not_configured" })
        );
    }
}
