//! The operator's side of accounts: agents added with a one-time sign-in
//! code, new codes, disabling and enabling, and device tokens issued
//! without a sign-in (for scripts). Also the writes a sign-in makes.

use rand::Rng;
use shiftdesk_domain::{Agent, AgentId, Role, Timestamp};
use sqlx::SqliteConnection;

use super::{new_secret, token_hash};
use crate::db::{log_change, to_json};
use crate::{Db, ServerError};

/// How long a sign-in code works.
pub const CODE_VALID_MINUTES: i64 = 30;
/// A signed-in device that is not used for this long must sign in again.
pub const DEVICE_IDLE_DAYS: u32 = 30;
/// How long a token issued with `agent token` works unless told otherwise.
pub const DEFAULT_TOKEN_DAYS: u32 = 90;

/// What the operator says of a new agent.
#[derive(Debug, Clone)]
pub struct NewAgent<'a> {
    pub name: &'a str,
    /// Their email: what they sign in with.
    pub login: &'a str,
    pub team: &'a str,
    pub role: Role,
}

/// A one-time sign-in code, shown once; the server keeps its hash.
#[derive(Clone, PartialEq, Eq)]
pub struct SignInCode {
    pub code: String,
    pub expires_at: Timestamp,
}

impl std::fmt::Debug for SignInCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignInCode")
            .field("code", &"<hidden>")
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// What an account change can refuse.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("a login is an email address, not {0:?}")]
    BadLogin(String),
    #[error("another agent signs in as {0}")]
    LoginTaken(String),
    #[error("no agent {0}")]
    NoAgent(i64),
    #[error(transparent)]
    Server(#[from] ServerError),
}

impl From<sqlx::Error> for AccountError {
    fn from(e: sqlx::Error) -> Self {
        Self::Server(e.into())
    }
}

/// A login as kept: trimmed and lower-cased; an email address.
pub fn normalize_login(login: &str) -> Result<String, AccountError> {
    let login = login.trim().to_lowercase();
    let Some((local, domain)) = login.split_once('@') else {
        return Err(AccountError::BadLogin(login));
    };
    let fine = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && login.len() <= 254
        && !login.chars().any(|c| c.is_whitespace() || c.is_control());
    if fine {
        Ok(login)
    } else {
        Err(AccountError::BadLogin(login))
    }
}

/// The letters of a sign-in code: Crockford's base 32, without the ones
/// that read alike (I, L, O, U).
const CODE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// 16 letters of 5 bits: 80 bits, beyond guessing in 30 minutes.
const CODE_LETTERS: usize = 16;

fn new_code() -> String {
    let mut rng = rand::rng();
    let letters: Vec<char> = (0..CODE_LETTERS)
        .map(|_| char::from(CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())]))
        .collect();
    letters
        .chunks(4)
        .map(|group| group.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// A code as typed, in the form its hash is kept of: dashes and spaces
/// dropped, upper case, the look-alikes read as Crockford reads them.
pub fn normalize_code(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect()
}

/// Adds an agent and returns them with their first sign-in code.
pub async fn add_agent(
    db: &Db,
    new: NewAgent<'_>,
    now: Timestamp,
) -> Result<(Agent, SignInCode), AccountError> {
    let login = normalize_login(new.login)?;
    let mut tx = db.writer.begin_with("BEGIN IMMEDIATE").await?;
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM agents WHERE login = ?")
        .bind(&login)
        .fetch_optional(&mut *tx)
        .await?;
    if taken.is_some() {
        return Err(AccountError::LoginTaken(login));
    }
    let id: i64 = sqlx::query_scalar("SELECT coalesce(max(id), 0) + 1 FROM agents")
        .fetch_one(&mut *tx)
        .await?;
    let agent = Agent {
        id: AgentId(id),
        name: new.name.trim().to_owned(),
        team: new.team.trim().to_owned(),
        role: new.role,
    };
    sqlx::query("INSERT INTO agents (id, team, role, body, login) VALUES (?, ?, ?, ?, ?)")
        .bind(id)
        .bind(&agent.team)
        .bind(agent.role.code())
        .bind(to_json(&agent))
        .bind(&login)
        .execute(&mut *tx)
        .await?;
    log_change(&mut tx, "agent", id, None, None).await?;
    let code = put_code(&mut tx, agent.id, now).await?;
    tx.commit().await?;
    Ok((agent, code))
}

/// A new sign-in code for an agent, e.g. one who forgot their password;
/// any earlier code stops working. The password works until the code is
/// used to set a new one.
pub async fn reset(db: &Db, agent: AgentId, now: Timestamp) -> Result<SignInCode, AccountError> {
    let mut tx = db.writer.begin_with("BEGIN IMMEDIATE").await?;
    if !exists(&mut tx, agent).await? {
        return Err(AccountError::NoAgent(agent.0));
    }
    let code = put_code(&mut tx, agent, now).await?;
    tx.commit().await?;
    Ok(code)
}

async fn exists(conn: &mut SqliteConnection, agent: AgentId) -> Result<bool, sqlx::Error> {
    let id: Option<i64> = sqlx::query_scalar("SELECT id FROM agents WHERE id = ?")
        .bind(agent.0)
        .fetch_optional(conn)
        .await?;
    Ok(id.is_some())
}

async fn put_code(
    conn: &mut SqliteConnection,
    agent: AgentId,
    now: Timestamp,
) -> Result<SignInCode, ServerError> {
    let code = new_code();
    let expires_at = now.plus_minutes(CODE_VALID_MINUTES);
    sqlx::query(
        "INSERT INTO sign_in_codes (agent_id, code_hash, expires_at) VALUES (?, ?, ?) \
         ON CONFLICT (agent_id) DO UPDATE SET code_hash = excluded.code_hash, \
         expires_at = excluded.expires_at",
    )
    .bind(agent.0)
    .bind(token_hash(&normalize_code(&code)))
    .bind(expires_at.0)
    .execute(conn)
    .await?;
    Ok(SignInCode { code, expires_at })
}

/// Disables an agent: every device of theirs stops at its next request,
/// and intake gives them no new tickets. False if already disabled.
pub async fn disable(db: &Db, agent: AgentId, now_ms: i64) -> Result<bool, AccountError> {
    set_disabled(db, agent, Some(now_ms)).await
}

/// Lets a disabled agent sign in again (their old devices stay signed out).
pub async fn enable(db: &Db, agent: AgentId) -> Result<bool, AccountError> {
    set_disabled(db, agent, None).await
}

async fn set_disabled(db: &Db, agent: AgentId, at: Option<i64>) -> Result<bool, AccountError> {
    let mut tx = db.writer.begin_with("BEGIN IMMEDIATE").await?;
    let current: Option<Option<i64>> =
        sqlx::query_scalar("SELECT disabled_at FROM agents WHERE id = ?")
            .bind(agent.0)
            .fetch_optional(&mut *tx)
            .await?;
    let Some(current) = current else {
        return Err(AccountError::NoAgent(agent.0));
    };
    if current.is_some() == at.is_some() {
        return Ok(false);
    }
    sqlx::query("UPDATE agents SET disabled_at = ? WHERE id = ?")
        .bind(at)
        .bind(agent.0)
        .execute(&mut *tx)
        .await?;
    if at.is_some() {
        // Devices stay signed out if the agent is enabled again.
        sqlx::query("UPDATE devices SET revoked_at = ? WHERE agent_id = ? AND revoked_at IS NULL")
            .bind(at)
            .bind(agent.0)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// A token for the default validity, on a device of its own: for tests
/// and scripts.
pub async fn issue_token(db: &Db, agent: AgentId) -> Result<Option<String>, ServerError> {
    issue_token_until(db, agent, super::expiry(crate::now(), DEFAULT_TOKEN_DAYS)).await
}

/// A token that works until `expires_at` however much it is used, on a
/// device named for how it was issued. None if there is no such agent.
pub async fn issue_token_until(
    db: &Db,
    agent: AgentId,
    expires_at: Timestamp,
) -> Result<Option<String>, ServerError> {
    let mut tx = db.writer.begin_with("BEGIN IMMEDIATE").await?;
    if !exists(&mut tx, agent).await? {
        return Ok(None);
    }
    let (_, token) = add_device(
        &mut tx,
        agent,
        "Token issued by the operator",
        crate::now(),
        Expiry::Fixed(expires_at),
    )
    .await?;
    tx.commit().await?;
    Ok(Some(token))
}

/// How a device's token ends.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Expiry {
    /// [`DEVICE_IDLE_DAYS`] after its last use.
    Sliding,
    Fixed(Timestamp),
}

/// Writes a new device and returns its id and token.
pub(crate) async fn add_device(
    conn: &mut SqliteConnection,
    agent: AgentId,
    name: &str,
    now: Timestamp,
    expiry: Expiry,
) -> Result<(i64, String), ServerError> {
    let token = new_secret("sdk");
    let (expires_at, sliding) = match expiry {
        Expiry::Sliding => (super::expiry(now, DEVICE_IDLE_DAYS), true),
        Expiry::Fixed(at) => (at, false),
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO devices (agent_id, name, token_hash, signed_in_at, last_seen_at, \
         expires_at, sliding) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(agent.0)
    .bind(name)
    .bind(token_hash(&token))
    .bind(now.0)
    .bind(now.0)
    .bind(expires_at.0)
    .bind(sliding)
    .fetch_one(conn)
    .await?;
    Ok((id, token))
}

/// A sliding device was used at `now`: its sign-in lasts from then.
pub(crate) async fn seen(db: &Db, device: i64, now: Timestamp) -> Result<(), ServerError> {
    sqlx::query(
        "UPDATE devices SET last_seen_at = ?, expires_at = ? \
         WHERE id = ? AND sliding = 1 AND revoked_at IS NULL AND expires_at > ?",
    )
    .bind(now.0)
    .bind(super::expiry(now, DEVICE_IDLE_DAYS).0)
    .bind(device)
    .bind(now.0)
    .execute(&db.writer)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_four_groups_that_survive_how_people_type_them() {
        let code = new_code();
        assert_eq!(code.len(), 19);
        assert_eq!(code.split('-').count(), 4);
        assert!(code
            .chars()
            .all(|c| c == '-' || CODE_ALPHABET.contains(&(c as u8))));
        assert_eq!(normalize_code(&code.to_lowercase()), normalize_code(&code));
        assert_eq!(normalize_code(" k7qf 2m9d-xw3r-8hna "), "K7QF2M9DXW3R8HNA");
        assert_eq!(normalize_code("O0Il"), "0011");
        assert_ne!(new_code(), new_code());
    }

    #[test]
    fn logins_are_lower_cased_email_addresses() {
        assert_eq!(
            normalize_login("  Anna.Petrova@Desk.Example ").unwrap(),
            "anna.petrova@desk.example"
        );
        for bad in [
            "anna",
            "@desk.example",
            "anna@desk",
            "anna@.example",
            "a b@desk.example",
            "a@b@desk.example",
        ] {
            assert!(normalize_login(bad).is_err(), "{bad}");
        }
    }
}
