//! Signing in: what a server says of itself before anyone signs in, the two
//! ways an agent proves who they are, and the device token that comes back.

use serde::{Deserialize, Serialize};
use shiftdesk_domain::{Agent, AgentId, Timestamp};
use utoipa::ToSchema;

/// What `GET /v1/meta` answers without a token: the address is a
/// Shiftdesk server, and which API it speaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, ts_rs::TS)]
pub struct ServerMeta {
    /// Always [`ServerMeta::PRODUCT`].
    pub product: String,
    /// The API's major version; a client refuses one it does not speak.
    pub api_version: u32,
    /// The server's own version, for people.
    pub server_version: String,
}

impl ServerMeta {
    pub const PRODUCT: &'static str = "shiftdesk";
    pub const API_VERSION: u32 = 1;
}

/// `POST /v1/sessions`: a device signs in and gets its own token.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SignInRequest {
    #[serde(flatten)]
    pub with: Credentials,
    /// What the device is called in the agent's list of devices, e.g.
    /// "Shiftdesk on ws-17".
    pub device: String,
}

/// How the agent proves who they are.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, ts_rs::TS)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum Credentials {
    /// The login (the agent's email) and password they set.
    Password { login: String, password: String },
    /// A one-time sign-in code from `shiftdesk-server agent add` or `agent
    /// reset`; the agent sets their password with it.
    Code { code: String, new_password: String },
}

// Hand-written so no password or code reaches a log through `{:?}`.
impl std::fmt::Debug for SignInRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignInRequest")
            .field("with", &self.with)
            .field("device", &self.device)
            .finish()
    }
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Credentials::Password { login, .. } => write!(f, "Password({login}, <hidden>)"),
            Credentials::Code { .. } => f.write_str("Code(<hidden>)"),
        }
    }
}

/// What a sign-in answers. The token is shown this once; the server keeps
/// only its hash.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SignedIn {
    /// `Authorization: Bearer <token>` on every other endpoint.
    pub token: String,
    pub agent: Agent,
    pub device: Device,
}

impl std::fmt::Debug for SignedIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignedIn")
            .field("token", &"<hidden>")
            .field("agent", &self.agent)
            .field("device", &self.device)
            .finish()
    }
}

/// One signed-in device of an agent: each has its own token, revoked on
/// its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, ts_rs::TS)]
pub struct Device {
    pub id: i64,
    pub agent: AgentId,
    pub agent_name: String,
    pub name: String,
    pub signed_in_at: Timestamp,
    pub last_seen_at: Timestamp,
    /// The token stops working then unless the device is used before:
    /// each use moves it on.
    pub expires_at: Timestamp,
    /// The device asking.
    pub current: bool,
}

/// The longest password the server takes; argon2 reads all of it.
pub const MAX_PASSWORD_CHARS: usize = 256;
/// The shortest password the server takes.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// The longest device name kept.
pub const MAX_DEVICE_NAME_CHARS: usize = 80;

/// Why a new password is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordRefused {
    #[error("a password needs at least {MIN_PASSWORD_CHARS} characters")]
    TooShort,
    #[error("a password may have at most {MAX_PASSWORD_CHARS} characters")]
    TooLong,
    #[error("a password cannot hold control characters")]
    ControlCharacters,
}

/// Whether `password` may be set.
pub fn check_new_password(password: &str) -> Result<(), PasswordRefused> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(PasswordRefused::TooShort);
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(PasswordRefused::TooLong);
    }
    if password.chars().any(char::is_control) {
        return Err(PasswordRefused::ControlCharacters);
    }
    Ok(())
}

/// A device name as kept: control characters dropped, whitespace folded,
/// cut to [`MAX_DEVICE_NAME_CHARS`]; "Unnamed device" when nothing is left.
pub fn clean_device_name(name: &str) -> String {
    let words: Vec<&str> = name
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect();
    let joined: String = words
        .join(" ")
        .chars()
        .filter(|c| !is_invisible(*c))
        .take(MAX_DEVICE_NAME_CHARS)
        .collect();
    if joined.is_empty() {
        "Unnamed device".to_owned()
    } else {
        joined
    }
}

/// Characters that change how text around them reads (bidi overrides,
/// zero-width joiners) without showing themselves.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_need_ten_to_256_printable_characters() {
        assert!(check_new_password("short").is_err());
        assert!(check_new_password("correct horse").is_ok());
        assert!(check_new_password("пароль-длинный").is_ok());
        assert!(check_new_password(&"x".repeat(257)).is_err());
        assert!(check_new_password("ten chars\u{0}!").is_err());
    }

    #[test]
    fn device_names_are_one_clean_line() {
        assert_eq!(
            clean_device_name("  Shiftdesk on\nws-17 "),
            "Shiftdesk on ws-17"
        );
        assert_eq!(clean_device_name("\u{202E}71-sw no"), "71-sw no");
        assert_eq!(clean_device_name(" \t"), "Unnamed device");
        assert_eq!(clean_device_name(&"я".repeat(200)).chars().count(), 80);
    }

    #[test]
    fn requests_read_both_methods_and_hide_secrets_in_debug() {
        let code: SignInRequest = serde_json::from_str(
            r#"{"method":"code","code":"K7QF-2M9D","new_password":"s3cret-pass","device":"d"}"#,
        )
        .unwrap();
        assert!(matches!(code.with, Credentials::Code { .. }));
        let password: SignInRequest = serde_json::from_str(
            r#"{"method":"password","login":"a@b.c","password":"s3cret-pass","device":"d"}"#,
        )
        .unwrap();
        for shown in [format!("{code:?}"), format!("{password:?}")] {
            assert!(!shown.contains("s3cret"), "{shown}");
            assert!(!shown.contains("K7QF"), "{shown}");
        }
    }
}
