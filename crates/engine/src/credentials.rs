//! Where the agent's API token is kept between runs: the OS keyring; where
//! there is none, memory for this run only; a file only the user can read
//! when they ask for one. Never the cache, a config file or a log.
//!
//! Calls block: the keyring is a D-Bus round trip away and may ask the
//! user to unlock it. From async code call them on a blocking thread.

use std::collections::BTreeMap;
use std::fmt;
use std::fs::File;
use std::io::{ErrorKind, Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use keyring_core::Entry;
use reqwest::Url;
use secret_service::blocking::SecretService;
use secret_service::EncryptionType;
use serde::{Deserialize, Serialize};
use shiftdesk_domain::AgentId;
use zbus::DBusError;

/// The keyring service every token is filed under: the app's identifier.
pub const SERVICE: &str = "dev.shiftdesk.console";

/// An agent's bearer token for the ticketing API.
///
/// It has no `Display`, and its `Debug` prints `ApiToken(…)`, so a token
/// cannot slip into a log line or an error message by formatting.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiToken(String);

impl ApiToken {
    pub fn new(token: impl Into<String>) -> Self {
        Self(token.into())
    }

    /// The token itself, for the one place that needs it: the request's
    /// `Authorization` header.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiToken(…)")
    }
}

/// Whose token: one agent on one server. An agent may work for more than
/// one desk, and a desk has many agents sharing a computer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenKey {
    server: Url,
    agent: AgentId,
}

impl TokenKey {
    /// The key of `agent` on the server at `server_url`. The URL is kept as
    /// the API client uses it (a trailing `/`, no query), so two spellings
    /// of one server find one token.
    pub fn new(server_url: &str, agent: AgentId) -> Result<Self, CredentialError> {
        let bad = |reason| CredentialError::BadServer {
            url: server_url.to_owned(),
            reason,
        };
        let mut server = Url::parse(server_url.trim()).map_err(|_| bad("it is not a URL"))?;
        if !matches!(server.scheme(), "http" | "https") {
            return Err(bad("only http and https are supported"));
        }
        // A password in the URL would end up in the keyring's entry name,
        // which any program may list.
        if !server.username().is_empty() || server.password().is_some() {
            return Err(bad("it holds a user name or password"));
        }
        server.set_query(None);
        server.set_fragment(None);
        if !server.path().ends_with('/') {
            let path = format!("{}/", server.path());
            server.set_path(&path);
        }
        Ok(Self { server, agent })
    }

    pub fn server(&self) -> &Url {
        &self.server
    }

    pub fn agent(&self) -> AgentId {
        self.agent
    }

    /// The entry's name in the keyring and in a token file.
    fn account(&self) -> String {
        format!("agent {} at {}", self.agent.0, self.server)
    }
}

/// Where the user wants the token kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Storage {
    /// The OS keyring, or memory for this run when there is none.
    Keyring,
    /// Memory only: forgotten when Shiftdesk closes.
    Memory,
    /// A file of the user's choosing, readable only by them.
    File(PathBuf),
}

/// Where the token is kept, and why, for the UI to tell the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Where {
    Keyring,
    MemoryOnly { reason: MemoryReason },
    File { path: PathBuf },
}

/// Why a token lives only as long as this run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MemoryReason {
    /// The user asked for it.
    Chosen,
    /// No keyring could be reached; the text says what stood in the way.
    NoKeyring(String),
    /// It was handed to this run at its start (`cargo xtask run`, a test).
    HandedOver,
}

impl fmt::Display for Where {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Where::Keyring => f.write_str("The token is kept in the system keyring"),
            Where::MemoryOnly {
                reason: MemoryReason::Chosen,
            } => f.write_str("The token is kept in memory until Shiftdesk closes"),
            Where::MemoryOnly {
                reason: MemoryReason::NoKeyring(why),
            } => write!(
                f,
                "No keyring available ({why}): the token is kept in memory until Shiftdesk closes"
            ),
            Where::MemoryOnly {
                reason: MemoryReason::HandedOver,
            } => f.write_str(
                "The token was handed over at start and is kept in memory until Shiftdesk closes",
            ),
            Where::File { path } => write!(
                f,
                "The token is kept in {}, readable only by you",
                path.display()
            ),
        }
    }
}

/// What can go wrong keeping a token. No variant holds the token, and
/// none quotes a token file's content.
#[derive(Debug, thiserror::Error)]
pub enum CredentialError {
    #[error("{url:?} is not a server address: {reason}")]
    BadServer { url: String, reason: &'static str },

    #[error("the keyring cannot be reached: {reason}")]
    KeyringUnavailable { reason: String },

    #[error("the keyring's entry for this agent cannot be used: {reason}")]
    KeyringEntry { reason: String },

    #[error(
        "{} is not safe for an API token: {problem}. Shiftdesk keeps a token only in a \
         regular file no one else can read: `chmod 600` it, or choose another file",
        path.display()
    )]
    FileUnsafe { path: PathBuf, problem: String },

    #[error("the token file {} cannot be {action}: {source}", path.display())]
    FileIo {
        path: PathBuf,
        action: &'static str,
        source: std::io::Error,
    },

    #[error("{} is not a token file Shiftdesk wrote: {reason}", path.display())]
    FileCorrupt { path: PathBuf, reason: String },
}

impl CredentialError {
    /// Stable across versions: the UI and tests key on it.
    pub const fn code(&self) -> &'static str {
        match self {
            CredentialError::BadServer { .. } => "credentials.bad_server",
            CredentialError::KeyringUnavailable { .. } => "credentials.keyring_unavailable",
            CredentialError::KeyringEntry { .. } => "credentials.keyring_entry",
            CredentialError::FileUnsafe { .. } => "credentials.file_unsafe",
            CredentialError::FileIo { .. } => "credentials.file_io",
            CredentialError::FileCorrupt { .. } => "credentials.file_corrupt",
        }
    }
}

/// One agent's token, kept where [`TokenVault::kept`] says.
#[derive(Debug)]
pub struct TokenVault {
    key: TokenKey,
    kept: Where,
    backend: Backend,
}

#[derive(Debug)]
enum Backend {
    Keyring(Entry),
    Memory(Mutex<Option<ApiToken>>),
    File(PathBuf),
}

impl TokenVault {
    /// The vault for `key` where `storage` asks. A missing or locked
    /// keyring is not an error: the vault keeps the token in memory and
    /// [`kept`](Self::kept) says why. A file is used only if it is a
    /// regular file no one else can read, or does not exist yet (it is
    /// created, mode 0600, on the first save).
    pub fn open(key: TokenKey, storage: Storage) -> Result<Self, CredentialError> {
        let (kept, backend) = match storage {
            Storage::Keyring => match keyring_entry(&key) {
                Ok(entry) => (Where::Keyring, Backend::Keyring(entry)),
                Err(why) => memory(why),
            },
            Storage::Memory => memory(MemoryReason::Chosen),
            Storage::File(path) => {
                read_token_file(&path)?;
                (Where::File { path: path.clone() }, Backend::File(path))
            }
        };
        Ok(Self { key, kept, backend })
    }

    /// A vault in memory for this run, kept there for `reason`.
    pub fn in_memory(key: TokenKey, reason: MemoryReason) -> Self {
        let (kept, backend) = memory(reason);
        Self { key, kept, backend }
    }

    pub fn key(&self) -> &TokenKey {
        &self.key
    }

    /// Where the token is kept, and why: say it to the user.
    pub fn kept(&self) -> &Where {
        &self.kept
    }

    /// Keeps `token`, replacing the one kept before.
    pub fn save(&self, token: &ApiToken) -> Result<(), CredentialError> {
        match &self.backend {
            Backend::Keyring(entry) => entry.set_password(token.expose()).map_err(keyring_error),
            Backend::Memory(slot) => {
                *lock(slot) = Some(token.clone());
                Ok(())
            }
            Backend::File(path) => {
                let mut file = read_token_file(path)?;
                file.tokens
                    .insert(self.key.account(), token.expose().to_owned());
                write_token_file(path, &file)
            }
        }
    }

    /// The kept token, if there is one.
    pub fn load(&self) -> Result<Option<ApiToken>, CredentialError> {
        match &self.backend {
            Backend::Keyring(entry) => match entry.get_password() {
                Ok(token) => Ok(Some(ApiToken(token))),
                Err(keyring_core::Error::NoEntry) => Ok(None),
                Err(e) => Err(keyring_error(e)),
            },
            Backend::Memory(slot) => Ok(lock(slot).clone()),
            Backend::File(path) => Ok(read_token_file(path)?
                .tokens
                .remove(&self.key.account())
                .map(ApiToken)),
        }
    }

    /// Drops the kept token; nothing kept is not an error. A token file
    /// left with no token is removed.
    pub fn forget(&self) -> Result<(), CredentialError> {
        match &self.backend {
            Backend::Keyring(entry) => match entry.delete_credential() {
                Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
                Err(e) => Err(keyring_error(e)),
            },
            Backend::Memory(slot) => {
                *lock(slot) = None;
                Ok(())
            }
            Backend::File(path) => {
                let mut file = read_token_file(path)?;
                if file.tokens.remove(&self.key.account()).is_none() {
                    return Ok(());
                }
                if file.tokens.is_empty() {
                    return std::fs::remove_file(path).map_err(|source| CredentialError::FileIo {
                        path: path.clone(),
                        action: "removed",
                        source,
                    });
                }
                write_token_file(path, &file)
            }
        }
    }
}

fn memory(reason: MemoryReason) -> (Where, Backend) {
    (
        Where::MemoryOnly { reason },
        Backend::Memory(Mutex::new(None)),
    )
}

/// A poisoned slot still holds a whole `Option`: nothing is half-written.
fn lock(slot: &Mutex<Option<ApiToken>>) -> MutexGuard<'_, Option<ApiToken>> {
    slot.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The key's keyring entry, once the keyring has answered a lookup; the
/// reason in plain words when it cannot.
fn keyring_entry(key: &TokenKey) -> Result<Entry, MemoryReason> {
    // The store opens the default keyring only when a token is first
    // written, and a desk where none was ever set up would learn it only
    // then: ask now. No secret crosses the bus for this.
    let service = SecretService::connect(EncryptionType::Plain)
        .map_err(|e| MemoryReason::NoKeyring(keyring_reason(&e)))?;
    match service.get_default_collection() {
        Ok(_) => {}
        Err(secret_service::Error::NoResult) => {
            return Err(MemoryReason::NoKeyring(
                "the keyring would not open: no default keyring is set up".to_owned(),
            ))
        }
        Err(e) => return Err(MemoryReason::NoKeyring(keyring_reason(&e))),
    }
    let store: Arc<keyring_core::CredentialStore> = zbus_secret_service_keyring_store::Store::new()
        .map_err(|e| MemoryReason::NoKeyring(keyring_reason(&e)))?;
    let entry = Entry::new_in_store(&store, SERVICE, &key.account())
        .map_err(|e| MemoryReason::NoKeyring(e.to_string()))?;
    // Attributes, not the password: the probe needs no secret on the bus.
    match entry.get_attributes() {
        Ok(_) | Err(keyring_core::Error::NoEntry) => Ok(entry),
        // An entry is there, though not one this vault can read: the
        // keyring works, and load says what is wrong with the entry.
        Err(keyring_core::Error::BadEncoding(_) | keyring_core::Error::Ambiguous(_)) => Ok(entry),
        Err(e) => Err(MemoryReason::NoKeyring(keyring_reason(&e))),
    }
}

fn keyring_error(e: keyring_core::Error) -> CredentialError {
    match e {
        keyring_core::Error::PlatformFailure(_) | keyring_core::Error::NoStorageAccess(_) => {
            CredentialError::KeyringUnavailable {
                reason: keyring_reason(&e),
            }
        }
        // The rest describe the entry; BadEncoding's bytes are never shown.
        keyring_core::Error::BadEncoding(_) => CredentialError::KeyringEntry {
            reason: "it is not UTF-8 text".to_owned(),
        },
        keyring_core::Error::Ambiguous(items) => CredentialError::KeyringEntry {
            reason: format!("{} entries match it", items.len()),
        },
        other => CredentialError::KeyringEntry {
            reason: other.to_string(),
        },
    }
}

/// Why the keyring failed, in words for the person at the desk rather than
/// the chain of library errors ("Platform secure storage failure: DBus
/// error: The name org.freedesktop.secrets was not provided by any ...").
fn keyring_reason(e: &(dyn std::error::Error + 'static)) -> String {
    let chain = || std::iter::successors(Some(e), |c| c.source());
    let detail = chain().last().map_or_else(String::new, ToString::to_string);
    for cause in chain() {
        let name = if let Some(e) = cause.downcast_ref::<keyring_core::Error>() {
            // Locked, no default keyring, or an unlock prompt dismissed.
            if let keyring_core::Error::NoStorageAccess(_) = e {
                return format!("the keyring would not open: {detail}");
            }
            continue;
        } else if let Some(e) = cause.downcast_ref::<secret_service::Error>() {
            match e {
                secret_service::Error::Unavailable => {
                    return format!("no D-Bus session bus: {detail}")
                }
                secret_service::Error::Locked
                | secret_service::Error::Prompt
                | secret_service::Error::PromptDisconnected => {
                    return format!("the keyring would not open: {detail}")
                }
                _ => continue,
            }
        } else if let Some(e) = cause.downcast_ref::<zbus::Error>() {
            match e {
                zbus::Error::MethodError(name, ..) => name.to_string(),
                zbus::Error::FDO(fdo) => fdo.name().to_string(),
                // What connecting to a bus address that nothing listens
                // on, or to none at all, answers.
                zbus::Error::Connection(..) | zbus::Error::Address(_) => {
                    return format!("no D-Bus session bus: {detail}")
                }
                _ => continue,
            }
        } else if let Some(fdo) = cause.downcast_ref::<zbus::fdo::Error>() {
            fdo.name().to_string()
        } else {
            continue;
        };
        if matches!(
            name.as_str(),
            "org.freedesktop.DBus.Error.ServiceUnknown"
                | "org.freedesktop.DBus.Error.NameHasNoOwner"
        ) {
            return "no Secret Service, such as GNOME Keyring or KWallet, is running".to_owned();
        }
    }
    detail
}

/// A token file: entries by [`TokenKey::account`], so one file may serve
/// several servers and agents.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenFile {
    tokens: BTreeMap<String, String>,
}

/// The file's tokens, after checking that it is a regular file no one else
/// can read; an empty set when there is no file yet.
fn read_token_file(path: &Path) -> Result<TokenFile, CredentialError> {
    let io = |action, source| CredentialError::FileIo {
        path: path.to_owned(),
        action,
        source,
    };
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(TokenFile::default()),
        Err(e) => return Err(io("opened", e)),
    };
    // The open file's own metadata: the one about to be read, even if the
    // path was swapped since.
    let meta = file.metadata().map_err(|e| io("checked", e))?;
    let unsafe_file = |problem: String| CredentialError::FileUnsafe {
        path: path.to_owned(),
        problem,
    };
    if !meta.is_file() {
        return Err(unsafe_file("it is not a regular file".to_owned()));
    }
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(unsafe_file(format!(
            "other users have access to it (mode {mode:04o})"
        )));
    }
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).map_err(|e| io("read", e))?;
    // serde_json's messages may quote the value they choke on, which here
    // could be a token: say only where and what kind of fault.
    serde_json::from_slice(&bytes).map_err(|e| CredentialError::FileCorrupt {
        path: path.to_owned(),
        reason: format!(
            "{} at line {}, column {}",
            match e.classify() {
                serde_json::error::Category::Io => "unreadable",
                serde_json::error::Category::Syntax => "not JSON",
                serde_json::error::Category::Data => "not a token list",
                serde_json::error::Category::Eof => "cut short",
            },
            e.line(),
            e.column()
        ),
    })
}

/// Replaces the file whole: a new file, mode 0600 from its creation,
/// written and synced beside the old one, then renamed over it, so a crash
/// leaves the old tokens or the new ones and never a readable moment.
fn write_token_file(path: &Path, tokens: &TokenFile) -> Result<(), CredentialError> {
    let io = |action, source| CredentialError::FileIo {
        path: path.to_owned(),
        action,
        source,
    };
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let bytes = serde_json::to_vec_pretty(tokens).expect("a map of strings serializes");
    // tempfile creates its files 0600 on Unix.
    let mut new = tempfile::Builder::new()
        .prefix(".shiftdesk-token")
        .tempfile_in(dir)
        .map_err(|e| io("created", e))?;
    new.write_all(&bytes).map_err(|e| io("written", e))?;
    new.as_file().sync_all().map_err(|e| io("written", e))?;
    new.persist(path).map_err(|e| io("written", e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests;
