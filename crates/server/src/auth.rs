//! Who is calling: agents authenticate with a bearer token. The server keeps
//! only the token's SHA-256, so its database never holds a usable secret.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use rand::RngCore;
use sha2::{Digest, Sha256};
use shiftdesk_domain::{Agent, AgentId, Role, Timestamp};
use shiftdesk_protocol::ErrorCode;

use crate::db::{log_change, to_json};
use crate::{now, ApiError, AppState, Db, ServerError};

/// A new secret: 32 random bytes, hex, with a prefix that makes it easy to
/// recognise in a leak scan (`sdk` for API tokens, `ptk` for portal keys).
pub fn new_secret(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("{prefix}_{}", hex::encode(bytes))
}

/// The token of an `Authorization: Bearer <token>` header.
pub fn bearer_token(headers: &axum::http::HeaderMap) -> Option<&str> {
    headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The authenticated agent of a request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub agent: Agent,
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let unauthenticated = || {
            ApiError::new(
                ErrorCode::Unauthenticated,
                "send `Authorization: Bearer <token>`",
            )
        };
        let token = bearer_token(&parts.headers).ok_or_else(unauthenticated)?;
        let row: Option<(String, Option<i64>, Option<i64>)> = sqlx::query_as(
            "SELECT body, revoked_at, token_expires_at FROM agents WHERE token_hash = ?",
        )
        .bind(token_hash(token))
        .fetch_optional(&state.db.readers)
        .await?;
        match row {
            None => Err(ApiError::new(
                ErrorCode::Unauthenticated,
                "this token is not known",
            )),
            Some((_, Some(_), _)) => Err(ApiError::new(
                ErrorCode::TokenRevoked,
                "ask a lead for a new token",
            )),
            Some((_, None, Some(expires_at))) if expires_at <= now().0 => Err(ApiError::new(
                ErrorCode::TokenExpired,
                "this token has expired; ask a lead for a new one",
            )),
            Some((body, None, _)) => {
                let agent = serde_json::from_str(&body).map_err(|source| ServerError::Corrupt {
                    what: "agent",
                    source,
                })?;
                Ok(Caller { agent })
            }
        }
    }
}

#[utoipa::path(
    get,
    path = "/v1/me",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The agent the token belongs to", body = Agent),
        (status = 401, description = "No valid token", body = shiftdesk_protocol::Problem, content_type = "application/problem+json"),
    )
)]
/// Who the token belongs to: how a client checks a token at sign-in.
pub async fn me(caller: Caller) -> axum::Json<Agent> {
    axum::Json(caller.agent)
}

/// How long a new token works unless its issuer says otherwise.
pub const DEFAULT_TOKEN_DAYS: u32 = 90;

/// When a token issued at `now` for `days` stops working.
pub fn expiry(now: Timestamp, days: u32) -> Timestamp {
    now.plus_minutes(i64::from(days) * 24 * 60)
}

/// Adds an agent and returns them with their token, shown this once.
pub async fn add_agent(
    db: &Db,
    name: &str,
    team: &str,
    role: Role,
    expires_at: Timestamp,
) -> Result<(Agent, String), ServerError> {
    let token = new_secret("sdk");
    let mut tx = db.writer.begin_with("BEGIN IMMEDIATE").await?;
    let id: i64 = sqlx::query_scalar("SELECT coalesce(max(id), 0) + 1 FROM agents")
        .fetch_one(&mut *tx)
        .await?;
    let agent = Agent {
        id: AgentId(id),
        name: name.to_owned(),
        team: team.to_owned(),
        role,
    };
    sqlx::query(
        "INSERT INTO agents (id, team, role, body, token_hash, token_expires_at) \
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(id)
    .bind(team)
    .bind(role.code())
    .bind(to_json(&agent))
    .bind(token_hash(&token))
    .bind(expires_at.0)
    .execute(&mut *tx)
    .await?;
    log_change(&mut tx, "agent", id, None, None).await?;
    tx.commit().await?;
    Ok((agent, token))
}

/// Gives an existing agent a new token for the default validity (the old
/// one stops working).
pub async fn issue_token(db: &Db, agent: AgentId) -> Result<Option<String>, ServerError> {
    issue_token_until(db, agent, expiry(now(), DEFAULT_TOKEN_DAYS)).await
}

/// Gives an existing agent a new token that works until `expires_at`.
pub async fn issue_token_until(
    db: &Db,
    agent: AgentId,
    expires_at: Timestamp,
) -> Result<Option<String>, ServerError> {
    let token = new_secret("sdk");
    let updated = sqlx::query(
        "UPDATE agents SET token_hash = ?, token_expires_at = ?, revoked_at = NULL WHERE id = ?",
    )
    .bind(token_hash(&token))
    .bind(expires_at.0)
    .bind(agent.0)
    .execute(&db.writer)
    .await?;
    Ok((updated.rows_affected() == 1).then_some(token))
}

/// Revokes an agent's token at `now_ms`.
pub async fn revoke(db: &Db, agent: AgentId, now_ms: i64) -> Result<bool, ServerError> {
    let updated =
        sqlx::query("UPDATE agents SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
            .bind(now_ms)
            .bind(agent.0)
            .execute(&db.writer)
            .await?;
    Ok(updated.rows_affected() == 1)
}
