//! The shell's link to the ticketing server of the signed-in account: its
//! client, and whether that server takes the token right now. The token
//! stays in this process's memory: it is never written anywhere, logged, or
//! sent to the window.

use serde::Serialize;
use shiftdesk_domain::Role;
use shiftdesk_engine::{ApiClient, ApiError, ClientError};
use ts_rs::TS;

use crate::error::AppError;

/// What the status bar says about the server: the answer of the last check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ServerStatus {
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

/// The signed-in account's client of its server.
#[derive(Debug)]
pub struct ServerLink {
    client: ApiClient,
}

impl ServerLink {
    pub fn new(client: ApiClient) -> Self {
        tracing::info!(server = %client.base_url(), "ticketing server");
        Self { client }
    }

    pub fn client(&self) -> &ApiClient {
        &self.client
    }

    /// Asks the server who the token belongs to.
    pub async fn status(&self) -> ServerStatus {
        status_of(self.client.base_url().as_str(), self.client.me().await)
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
            ClientError::BadUrl { .. } => ("server.bad_url", e.to_string()),
            ClientError::BadToken(_) => ("server.bad_token", e.to_string()),
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
    }
}
