//! Who is calling: each signed-in device has its own bearer token, and the
//! server keeps only the token's SHA-256, so its database never holds a
//! usable secret. A disabled agent's devices all stop; a device's token
//! slides on with use.

pub mod accounts;
pub mod sign_in;
pub mod throttle;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use rand::RngCore;
use sha2::{Digest, Sha256};
use shiftdesk_domain::{Agent, Timestamp};
use shiftdesk_protocol::ErrorCode;

use crate::{now, ApiError, AppState, ServerError};

pub use accounts::{issue_token, issue_token_until};
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

/// The authenticated agent of a request, and the device they call from.
#[derive(Debug, Clone)]
pub struct Caller {
    pub agent: Agent,
    pub device: i64,
}

/// A sliding token's end moves on at most this often, so a busy device
/// does not write on every request.
const SEEN_EVERY_MS: i64 = 5 * 60_000;

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = bearer_token(&parts.headers).ok_or_else(|| {
            ApiError::new(
                ErrorCode::Unauthenticated,
                "send `Authorization: Bearer <token>`",
            )
        })?;
        let row: Option<DeviceRow> = sqlx::query_as(
            "SELECT d.id, d.expires_at, d.sliding, d.last_seen_at, d.revoked_at, \
                    a.disabled_at, a.body \
             FROM devices d JOIN agents a ON a.id = d.agent_id WHERE d.token_hash = ?",
        )
        .bind(token_hash(token))
        .fetch_optional(&state.db.readers)
        .await?;
        let now = now();
        let row = row
            .ok_or_else(|| ApiError::new(ErrorCode::Unauthenticated, "this token is not known"))?;
        if row.revoked_at.is_some() || row.disabled_at.is_some() {
            return Err(ApiError::new(
                ErrorCode::DeviceRevoked,
                "this device was signed out; sign in again",
            ));
        }
        if row.expires_at <= now.0 {
            return Err(ApiError::new(
                ErrorCode::TokenExpired,
                "this device's sign-in has expired; sign in again",
            ));
        }
        if row.sliding && now.0 - row.last_seen_at >= SEEN_EVERY_MS {
            // Off the request's path: the single writer may be busy
            // committing pushes, and a missed slide costs nothing.
            let db = state.db.clone();
            let device = row.id;
            tokio::spawn(async move {
                if let Err(error) = accounts::seen(&db, device, now).await {
                    tracing::warn!(%error, device, "could not move a device's sign-in on");
                }
            });
        }
        let agent = serde_json::from_str(&row.body).map_err(|source| ServerError::Corrupt {
            what: "agent",
            source,
        })?;
        Ok(Caller {
            agent,
            device: row.id,
        })
    }
}

#[derive(sqlx::FromRow)]
struct DeviceRow {
    id: i64,
    expires_at: i64,
    sliding: bool,
    last_seen_at: i64,
    revoked_at: Option<i64>,
    disabled_at: Option<i64>,
    body: String,
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

/// Whether two secrets are equal, compared by their hashes so the time
/// taken tells nothing of the secret, not even its length.
pub fn same_secret(given: &str, secret: &str) -> bool {
    let (a, b) = (Sha256::digest(given), Sha256::digest(secret));
    a.iter()
        .zip(b.iter())
        .fold(0u8, |diff, (x, y)| diff | (x ^ y))
        == 0
}

/// When something valid for `days` from `now` stops working.
pub fn expiry(now: Timestamp, days: u32) -> Timestamp {
    now.plus_minutes(i64::from(days) * 24 * 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_secret_itself_matches() {
        assert!(same_secret("s3cret", "s3cret"));
        assert!(!same_secret("s3cret ", "s3cret"));
        assert!(!same_secret("", "s3cret"));
    }
}
