//! Signing in and the devices it makes: `GET /v1/meta` (what the server
//! is, before any token), `POST /v1/sessions` (a password or a one-time
//! code for a device token), and listing and signing out devices.

use std::net::SocketAddr;
use std::sync::OnceLock;

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use shiftdesk_domain::{AgentId, Role, Timestamp};
use shiftdesk_protocol::session::{check_new_password, clean_device_name};
use shiftdesk_protocol::{Credentials, Device, ErrorCode, ServerMeta, SignInRequest, SignedIn};

use super::accounts::{add_device, normalize_code, normalize_login, Expiry};
use super::throttle::ThrottleKey;
use super::{token_hash, Caller};
use crate::db::from_json;
use crate::{now, ApiError, AppState, ServerError};

/// The largest sign-in request read.
pub const MAX_SIGN_IN_BYTES: usize = 4 * 1024;

#[utoipa::path(
    get,
    path = "/v1/meta",
    responses((status = 200, description = "This is a Shiftdesk server", body = ServerMeta))
)]
/// What the server is: how a client checks an address before it asks for
/// a password. Needs no token.
pub async fn meta() -> Json<ServerMeta> {
    Json(ServerMeta {
        product: ServerMeta::PRODUCT.to_owned(),
        api_version: ServerMeta::API_VERSION,
        server_version: env!("CARGO_PKG_VERSION").to_owned(),
    })
}

#[utoipa::path(
    post,
    path = "/v1/sessions",
    request_body = SignInRequest,
    responses(
        (status = 201, description = "Signed in; the token is shown this once", body = SignedIn),
        (status = 400, description = "Not a sign-in request", body = shiftdesk_protocol::Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large", body = shiftdesk_protocol::Problem, content_type = "application/problem+json"),
        (status = 401, description = "Wrong login, password or code", body = shiftdesk_protocol::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The new password cannot be used", body = shiftdesk_protocol::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed sign-ins; see Retry-After", body = shiftdesk_protocol::Problem, content_type = "application/problem+json"),
    )
)]
/// Signs a device in with a password, or with a one-time code that sets
/// the password. Failures back off per account and per address.
pub async fn sign_in(
    State(state): State<AppState>,
    connect: Option<Extension<ConnectInfo<SocketAddr>>>,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<SignedIn>), Refusal> {
    let body = body.map_err(|e| {
        ApiError::unread_body(e, || {
            format!("a sign-in may be {MAX_SIGN_IN_BYTES} bytes at most")
        })
    })?;
    let request: SignInRequest = serde_json::from_slice(&body).map_err(|e| {
        ApiError::new(
            ErrorCode::BadRequest,
            format!("a sign-in is {{method, login, password, device}} or {{method, code, new_password, device}}: {e}"),
        )
    })?;
    // Behind a balancer this is the balancer's address; the per-account
    // backoff still holds.
    let address = connect.map(|Extension(ConnectInfo(peer))| peer.ip());
    let now = now();
    let account = match &request.with {
        Credentials::Password { login, .. } => {
            Some(ThrottleKey::Account(login.trim().to_lowercase()))
        }
        Credentials::Code { .. } => None,
    };
    let keys: Vec<ThrottleKey> = account
        .iter()
        .cloned()
        .chain(address.map(ThrottleKey::Address))
        .collect();
    if let Some(seconds) = state.sign_ins.retry_after(&keys, now.0) {
        return Err(Refusal::locked(seconds));
    }
    let device = clean_device_name(&request.device);
    let outcome = match request.with {
        Credentials::Password { login, password } => {
            with_password(&state, &login, password, &device, now).await
        }
        Credentials::Code { code, new_password } => {
            with_code(&state, &code, new_password, &device, now).await
        }
    };
    match outcome {
        Ok(signed_in) => {
            if let Some(account) = &account {
                state.sign_ins.succeeded(account);
            }
            tracing::info!(
                agent = signed_in.agent.id.0,
                device = signed_in.device.id,
                "signed in"
            );
            Ok((StatusCode::CREATED, Json(signed_in)))
        }
        Err(error) => {
            if matches!(
                error.0.code,
                ErrorCode::SignInFailed | ErrorCode::CodeInvalid
            ) {
                state.sign_ins.failed(&keys, now.0);
            }
            Err(error.into())
        }
    }
}

async fn with_password(
    state: &AppState,
    login: &str,
    password: String,
    device: &str,
    now: Timestamp,
) -> Result<SignedIn, ApiError> {
    let failed = || ApiError::new(ErrorCode::SignInFailed, "the login or password is wrong");
    let row: Option<(i64, Option<String>, Option<i64>)> = match normalize_login(login) {
        Ok(login) => {
            sqlx::query_as("SELECT id, password_hash, disabled_at FROM agents WHERE login = ?")
                .bind(login)
                .fetch_optional(&state.db.readers)
                .await?
        }
        Err(_) => None,
    };
    let stored = row.as_ref().and_then(|(_, hash, _)| hash.clone());
    if !verify_password(password, stored).await? {
        return Err(failed());
    }
    let Some((id, Some(_), disabled_at)) = row else {
        return Err(failed());
    };
    if disabled_at.is_some() {
        return Err(ApiError::new(
            ErrorCode::DeviceRevoked,
            "this agent is disabled; ask a lead",
        ));
    }
    let mut tx = state.db.writer.begin_with("BEGIN IMMEDIATE").await?;
    let signed_in = new_session(&mut tx, AgentId(id), device, now).await?;
    tx.commit().await?;
    Ok(signed_in)
}

async fn with_code(
    state: &AppState,
    code: &str,
    new_password: String,
    device: &str,
    now: Timestamp,
) -> Result<SignedIn, ApiError> {
    check_new_password(&new_password)
        .map_err(|e| ApiError::new(ErrorCode::WeakPassword, e.to_string()))?;
    let hash = hash_password(new_password).await?;
    let mut tx = state.db.writer.begin_with("BEGIN IMMEDIATE").await?;
    // Deleted as it is read: a code works once even when two devices race.
    let used: Option<(i64, i64)> = sqlx::query_as(
        "DELETE FROM sign_in_codes WHERE code_hash = ? RETURNING agent_id, expires_at",
    )
    .bind(token_hash(&normalize_code(code)))
    .fetch_optional(&mut *tx)
    .await?;
    let invalid = || {
        ApiError::new(
            ErrorCode::CodeInvalid,
            "this sign-in code is wrong, was used, or is older than 30 minutes; ask a lead for a new one",
        )
    };
    let Some((agent, expires_at)) = used else {
        return Err(invalid());
    };
    if expires_at <= now.0 {
        // The spent code stays deleted.
        tx.commit().await?;
        return Err(invalid());
    }
    let disabled: Option<i64> = sqlx::query_scalar("SELECT disabled_at FROM agents WHERE id = ?")
        .bind(agent)
        .fetch_one(&mut *tx)
        .await?;
    if disabled.is_some() {
        tx.commit().await?;
        return Err(ApiError::new(
            ErrorCode::DeviceRevoked,
            "this agent is disabled; ask a lead",
        ));
    }
    sqlx::query("UPDATE agents SET password_hash = ? WHERE id = ?")
        .bind(hash)
        .bind(agent)
        .execute(&mut *tx)
        .await?;
    let signed_in = new_session(&mut tx, AgentId(agent), device, now).await?;
    tx.commit().await?;
    Ok(signed_in)
}

async fn new_session(
    conn: &mut sqlx::SqliteConnection,
    agent: AgentId,
    device: &str,
    now: Timestamp,
) -> Result<SignedIn, ServerError> {
    let (id, token) = add_device(conn, agent, device, now, Expiry::Sliding).await?;
    let body: String = sqlx::query_scalar("SELECT body FROM agents WHERE id = ?")
        .bind(agent.0)
        .fetch_one(&mut *conn)
        .await?;
    let agent: shiftdesk_domain::Agent = from_json(&body, "agent")?;
    let device = device_by_id(conn, id).await?;
    Ok(SignedIn {
        token,
        agent,
        device,
    })
}

/// The argon2id hash of a password that matches nothing.
fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| {
        Argon2::default()
            .hash_password(b"no agent has this password")
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

async fn hash_password(password: String) -> Result<String, ServerError> {
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| ServerError::Commit(format!("hashing a password: {e}")))
    })
    .await
    .map_err(|e| ServerError::Commit(format!("hashing a password: {e}")))?
}

/// Whether `password` matches `stored`. With no stored hash (an unknown
/// login, or an agent who never set a password) it is checked against a
/// hash that matches nothing, so the time taken does not tell which logins
/// exist.
async fn verify_password(password: String, stored: Option<String>) -> Result<bool, ServerError> {
    tokio::task::spawn_blocking(move || {
        let hash: &str = match &stored {
            Some(hash) => hash,
            None => dummy_hash(),
        };
        let Ok(parsed) = PasswordHash::new(hash) else {
            return false;
        };
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
    .await
    .map_err(|e| ServerError::Commit(format!("checking a password: {e}")))
}

#[utoipa::path(
    get,
    path = "/v1/devices",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's signed-in devices; a lead's include the team's", body = [Device]),
        (status = 401, description = "No valid token", body = shiftdesk_protocol::Problem, content_type = "application/problem+json"),
    )
)]
/// The devices signed in: an agent's own, or for a lead every device of
/// their team. Revoked and expired ones are left out.
pub async fn devices(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<Device>>, ApiError> {
    let rows: Vec<DeviceRow> = sqlx::query_as(&format!(
        "{DEVICE_SELECT} WHERE d.revoked_at IS NULL AND d.expires_at > ? \
         AND (a.id = ? OR (? AND a.team = ?)) ORDER BY a.id, d.last_seen_at DESC"
    ))
    .bind(now().0)
    .bind(caller.agent.id.0)
    .bind(caller.agent.role == Role::Lead)
    .bind(&caller.agent.team)
    .fetch_all(&state.db.readers)
    .await?;
    Ok(Json(
        rows.into_iter()
            .map(|row| row.into_device(caller.device))
            .collect::<Result<_, _>>()?,
    ))
}

#[utoipa::path(
    delete,
    path = "/v1/devices/{id}",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The device")),
    responses(
        (status = 204, description = "Signed out; its next request is told `auth.device_revoked`"),
        (status = 401, description = "No valid token", body = shiftdesk_protocol::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such device the caller may sign out", body = shiftdesk_protocol::Problem, content_type = "application/problem+json"),
    )
)]
/// Signs a device out: an agent their own (this one included), a lead any
/// of the team's.
pub async fn sign_out(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let not_found = || {
        ApiError::new(
            ErrorCode::DeviceNotFound,
            format!("no signed-in device {id:?} that you may sign out"),
        )
    };
    let id: i64 = id.parse().map_err(|_| not_found())?;
    let updated = sqlx::query(
        "UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL AND agent_id IN \
         (SELECT id FROM agents WHERE id = ? OR (? AND team = ?))",
    )
    .bind(now().0)
    .bind(id)
    .bind(caller.agent.id.0)
    .bind(caller.agent.role == Role::Lead)
    .bind(&caller.agent.team)
    .execute(&state.db.writer)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(not_found());
    }
    tracing::info!(device = id, by = caller.agent.id.0, "device signed out");
    Ok(StatusCode::NO_CONTENT)
}

const DEVICE_SELECT: &str = "SELECT d.id, d.agent_id, a.body AS agent_body, d.name, \
    d.signed_in_at, d.last_seen_at, d.expires_at FROM devices d JOIN agents a ON a.id = d.agent_id";

/// Device `id`, as the device itself sees it.
async fn device_by_id(conn: &mut sqlx::SqliteConnection, id: i64) -> Result<Device, ServerError> {
    let row: DeviceRow = sqlx::query_as(&format!("{DEVICE_SELECT} WHERE d.id = ?"))
        .bind(id)
        .fetch_one(conn)
        .await?;
    row.into_device(id)
}

#[derive(sqlx::FromRow)]
struct DeviceRow {
    id: i64,
    agent_id: i64,
    agent_body: String,
    name: String,
    signed_in_at: i64,
    last_seen_at: i64,
    expires_at: i64,
}

impl DeviceRow {
    fn into_device(self, current: i64) -> Result<Device, ServerError> {
        let agent: shiftdesk_domain::Agent = from_json(&self.agent_body, "agent")?;
        Ok(Device {
            id: self.id,
            agent: AgentId(self.agent_id),
            agent_name: agent.name,
            name: self.name,
            signed_in_at: Timestamp(self.signed_in_at),
            last_seen_at: Timestamp(self.last_seen_at),
            expires_at: Timestamp(self.expires_at),
            current: self.id == current,
        })
    }
}

/// A refused sign-in: a problem, with `Retry-After` when locked.
#[derive(Debug)]
pub struct Refusal {
    problem: ApiError,
    retry_after: Option<u64>,
}

impl Refusal {
    fn locked(seconds: u64) -> Self {
        Self {
            problem: ApiError::new(
                ErrorCode::SignInLocked,
                format!("too many failed sign-ins; try again in {seconds} s"),
            ),
            retry_after: Some(seconds),
        }
    }
}

impl From<ApiError> for Refusal {
    fn from(problem: ApiError) -> Self {
        Self {
            problem,
            retry_after: None,
        }
    }
}

impl From<ServerError> for Refusal {
    fn from(e: ServerError) -> Self {
        ApiError::from(e).into()
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let mut response = self.problem.into_response();
        if let Some(seconds) = self.retry_after {
            if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
        }
        response
    }
}
