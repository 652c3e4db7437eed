//! The data folder's accounts: one per agent on a server, each with its own
//! cache folder, and which one this computer works as now. The desktop app
//! and the command line read the same book, so they share accounts and the
//! keyring entries named after them.
//!
//! ```text
//! <data folder>/accounts.json              who, on which server; never a token
//! <data folder>/accounts/<folder>/cache.sqlite, attachments/, …
//! ```
//!
//! A cache is only ever opened as its own account's: agent B signing in on
//! A's computer gets a folder of B's own, and A's tickets and queued replies
//! stay in A's.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use shiftdesk_domain::AgentId;
use ts_rs::TS;

use crate::credentials::{CredentialError, Storage, TokenKey};

/// The book's file in the data folder.
pub const ACCOUNTS_FILE: &str = "accounts.json";
/// The folder of account folders in the data folder.
pub const ACCOUNTS_DIR: &str = "accounts";
/// The cache's file in an account's folder.
pub const CACHE_FILE: &str = "cache.sqlite";

/// One agent on one server, as this computer knows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Account {
    /// The server's base URL as the API client calls it (ends in `/`).
    pub server: String,
    #[ts(type = "number")]
    pub agent: AgentId,
    /// As the server named the agent at sign-in, for the sign-in screen.
    pub agent_name: String,
    /// Where the token is when not in the keyring: a file only its owner
    /// reads.
    #[serde(default)]
    #[ts(type = "string | null")]
    pub token_file: Option<PathBuf>,
}

impl Account {
    /// The account of `agent` on the server at `server_url`, its URL
    /// spelled as the keyring entry names it.
    pub fn new(
        server_url: &str,
        agent: AgentId,
        agent_name: impl Into<String>,
        token_file: Option<PathBuf>,
    ) -> Result<Self, CredentialError> {
        let key = TokenKey::new(server_url, agent)?;
        Ok(Self {
            server: key.server().to_string(),
            agent,
            agent_name: agent_name.into(),
            token_file,
        })
    }

    /// The keyring entry (or token file entry) of this account's token.
    pub fn token_key(&self) -> Result<TokenKey, CredentialError> {
        TokenKey::new(&self.server, self.agent)
    }

    /// Where this account's token is kept.
    pub fn storage(&self) -> Storage {
        self.token_file
            .clone()
            .map_or(Storage::Keyring, Storage::File)
    }

    fn same_as(&self, other: &Account) -> bool {
        self.server == other.server && self.agent == other.agent
    }

    /// The account's folder name: readable (host, port, agent) and the same
    /// for every spelling of the server's address.
    pub fn folder_name(&self) -> String {
        let url = reqwest::Url::parse(&self.server).ok();
        let host = url
            .as_ref()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_default();
        let port = url
            .as_ref()
            .and_then(reqwest::Url::port_or_known_default)
            .unwrap_or(0);
        let readable: String = format!("{host}-{port}")
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        // Two desks under one host differ by path: the hash of the whole
        // address keeps their folders apart.
        format!(
            "{readable}-agent-{}-{:08x}",
            self.agent.0,
            fnv1a(&self.server) as u32
        )
    }
}

/// FNV-1a, 64 bits: stable across versions and platforms, unlike std's
/// hasher, which a folder name must be.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BookFile {
    /// The folder name of the account this computer works as now.
    current: Option<String>,
    accounts: Vec<Account>,
}

/// What can go wrong reading or writing the book or an account's folder.
#[derive(Debug, thiserror::Error)]
pub enum AccountsError {
    #[error("{} cannot be {action}: {source}", path.display())]
    Io {
        path: PathBuf,
        action: &'static str,
        source: std::io::Error,
    },
    #[error("{} is not an accounts file Shiftdesk wrote: {reason}", path.display())]
    Corrupt { path: PathBuf, reason: String },
}

impl AccountsError {
    /// Stable across versions: the UI and tests key on it.
    pub const fn code(&self) -> &'static str {
        match self {
            AccountsError::Io { .. } => "accounts.io",
            AccountsError::Corrupt { .. } => "accounts.corrupt",
        }
    }
}

/// The data folder's accounts, read once and written whole on each change.
#[derive(Debug)]
pub struct AccountBook {
    root: PathBuf,
    book: BookFile,
}

impl AccountBook {
    /// The book in the data folder `root`; an empty one if there is none.
    pub fn open(root: &Path) -> Result<Self, AccountsError> {
        let path = root.join(ACCOUNTS_FILE);
        let book = match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| AccountsError::Corrupt {
                path: path.clone(),
                reason: e.to_string(),
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => BookFile::default(),
            Err(source) => {
                return Err(AccountsError::Io {
                    path,
                    action: "read",
                    source,
                })
            }
        };
        Ok(Self {
            root: root.to_owned(),
            book,
        })
    }

    /// The account this computer works as now, if one is signed in.
    pub fn current(&self) -> Option<&Account> {
        let current = self.book.current.as_deref()?;
        self.book
            .accounts
            .iter()
            .find(|a| a.folder_name() == current)
    }

    pub fn accounts(&self) -> &[Account] {
        &self.book.accounts
    }

    /// The account's own folder: its cache and files, nobody else's.
    pub fn folder(&self, account: &Account) -> PathBuf {
        self.root.join(ACCOUNTS_DIR).join(account.folder_name())
    }

    pub fn cache_file(&self, account: &Account) -> PathBuf {
        self.folder(account).join(CACHE_FILE)
    }

    /// Makes `account` the current one (added, or its record refreshed) and
    /// its folder ready, 0700. Its folder name is the same as before, so
    /// signing in again finds the cache and outbox it left.
    pub fn enter(&mut self, account: Account) -> Result<PathBuf, AccountsError> {
        let folder = self.folder(&account);
        shiftdesk_store::private_dir(&folder).map_err(|source| AccountsError::Io {
            path: folder.clone(),
            action: "created",
            source,
        })?;
        self.book.current = Some(account.folder_name());
        match self.book.accounts.iter_mut().find(|a| a.same_as(&account)) {
            Some(known) => *known = account,
            None => self.book.accounts.push(account),
        }
        self.save()?;
        Ok(folder)
    }

    /// Erases `account`: its folder (cache, drafts, files) and its record.
    pub fn erase(&mut self, account: &Account) -> Result<(), AccountsError> {
        let folder = self.folder(account);
        match std::fs::remove_dir_all(&folder) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => {
                return Err(AccountsError::Io {
                    path: folder,
                    action: "erased",
                    source,
                })
            }
        }
        if self.current().is_some_and(|a| a.same_as(account)) {
            self.book.current = None;
        }
        self.book.accounts.retain(|a| !a.same_as(account));
        self.save()
    }

    /// Replaces the file whole: written beside it, 0600, then renamed.
    fn save(&self) -> Result<(), AccountsError> {
        let path = self.root.join(ACCOUNTS_FILE);
        let io = |action, source| AccountsError::Io {
            path: path.clone(),
            action,
            source,
        };
        shiftdesk_store::private_dir(&self.root).map_err(|e| io("written", e))?;
        let bytes = serde_json::to_vec_pretty(&self.book).expect("plain data serializes");
        // tempfile creates its files 0600 on Unix.
        let mut new = tempfile::Builder::new()
            .prefix(".accounts")
            .tempfile_in(&self.root)
            .map_err(|e| io("written", e))?;
        new.write_all(&bytes).map_err(|e| io("written", e))?;
        new.as_file().sync_all().map_err(|e| io("written", e))?;
        new.persist(&path).map_err(|e| io("written", e.error))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn account(server: &str, agent: i64) -> Account {
        Account::new(server, AgentId(agent), format!("Agent {agent}"), None).unwrap()
    }

    #[test]
    fn each_agent_on_each_server_has_a_folder_of_their_own() {
        let names = [
            account("http://127.0.0.1:8780", 3).folder_name(),
            account("http://127.0.0.1:8780", 4).folder_name(),
            account("http://127.0.0.1:8781", 3).folder_name(),
            account("https://desk.example/eu/", 3).folder_name(),
            account("https://desk.example/us/", 3).folder_name(),
        ];
        let distinct: std::collections::HashSet<_> = names.iter().collect();
        assert_eq!(distinct.len(), names.len(), "{names:?}");
        assert!(
            names[0].starts_with("127.0.0.1-8780-agent-3-"),
            "{}",
            names[0]
        );
        assert!(
            names[3].starts_with("desk.example-443-agent-3-"),
            "{}",
            names[3]
        );
        // Two spellings of one server are one account.
        assert_eq!(
            account("http://127.0.0.1:8780/", 3),
            account(" http://127.0.0.1:8780", 3)
        );
        assert_eq!(account("http://127.0.0.1:8780/", 3).folder_name(), names[0]);
    }

    #[test]
    fn an_address_with_a_password_is_no_account() {
        let refused = Account::new("https://me:secret@desk.example", AgentId(1), "A", None);
        assert_eq!(refused.unwrap_err().code(), "credentials.bad_server");
    }

    #[test]
    fn entering_and_erasing_are_kept_in_a_private_file() {
        let root = tempfile::tempdir().unwrap();
        let a = account("http://127.0.0.1:8780", 3);
        let b = account("http://127.0.0.1:8780", 4);
        let mut book = AccountBook::open(root.path()).unwrap();
        assert_eq!(book.current(), None);
        let a_folder = book.enter(a.clone()).unwrap();
        std::fs::write(a_folder.join(CACHE_FILE), b"A's tickets").unwrap();
        book.enter(b.clone()).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&root.path().join(ACCOUNTS_FILE)), 0o600);
        assert_eq!(mode(&a_folder), 0o700);

        let again = AccountBook::open(root.path()).unwrap();
        assert_eq!(again.current(), Some(&b));
        assert_eq!(again.accounts(), [a.clone(), b.clone()]);
        assert_ne!(again.cache_file(&a), again.cache_file(&b));

        // A signs in again: the same folder, its cache still there.
        let mut book = again;
        assert_eq!(book.enter(a.clone()).unwrap(), a_folder);
        assert!(a_folder.join(CACHE_FILE).exists());
        book.erase(&a).unwrap();
        assert!(!a_folder.exists());
        let after = AccountBook::open(root.path()).unwrap();
        assert_eq!(after.current(), None);
        assert_eq!(after.accounts(), [b]);
    }

    #[test]
    fn a_damaged_book_is_an_error_not_an_empty_one() {
        let root = tempfile::tempdir().unwrap();
        std::fs::write(root.path().join(ACCOUNTS_FILE), b"{\"current\": 7").unwrap();
        let error = AccountBook::open(root.path()).unwrap_err();
        assert_eq!(error.code(), "accounts.corrupt");
    }
}
