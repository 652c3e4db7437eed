//! What can go wrong on the command line, and the exit code each case
//! gives a script.

use std::path::PathBuf;

use shiftdesk_domain::AgentId;
use shiftdesk_engine::accounts::AccountsError;
use shiftdesk_engine::outbox::OutboxError;
use shiftdesk_engine::{ApiError, ClientError};

/// The exit codes a script can rely on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Done = 0,
    Failed = 1,
    Usage = 2,
    NotSignedIn = 3,
    Unanswered = 4,
    Refused = 5,
    /// Sync went through, but changes the server refused, or that wait
    /// for review, are the agent's to settle.
    WaitingForYou = 6,
}

impl Exit {
    pub const HELP: &'static str = "Exit status: 0 done; 1 failed (cache, files); 2 bad usage; \
        3 not signed in; 4 the server did not answer (changes stay queued); 5 the server \
        refused; 6 synced, but changes wait for you (`shiftdesk outbox` lists them)";
}

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("no data folder: set SHIFTDESK_DATA_DIR or HOME")]
    NoDataDir,
    #[error("not signed in: run `shiftdesk login --server URL --code` with the code your lead gave you, or `--login EMAIL` if you have a password")]
    NotSignedIn,
    #[error("{0}")]
    NoKeyring(String),
    #[error("the accounts: {0} ({code})", code = .0.code())]
    Accounts(#[from] AccountsError),
    /// A cache that says it is another agent's: never shown as this
    /// account's, whatever put it in this account's folder.
    #[error(
        "{path} is agent {holds}'s cache, not agent {account}'s, so it is not opened: \
         move it away, then run `shiftdesk login` again for a fresh one",
        path = .cache.display(),
        holds = .holds.0,
        account = .account.0
    )]
    OthersCache {
        cache: PathBuf,
        holds: AgentId,
        account: AgentId,
    },
    #[error("{path}: {error}", path = .0.display(), error = .1)]
    Io(PathBuf, std::io::Error),
    #[error("the cache: {0}")]
    Store(#[from] shiftdesk_store::StoreError),
    #[error("the token store: {0} ({code})", code = .0.code())]
    Credentials(#[from] shiftdesk_engine::credentials::CredentialError),
    #[error("{0}")]
    Client(#[from] shiftdesk_engine::ClientError),
    #[error("{0}")]
    Api(ApiError),
    #[error("{0}")]
    Usage(String),
    #[error("no ticket {0} in the cache; run `shiftdesk sync`")]
    NoTicket(shiftdesk_domain::TicketNumber),
    #[error("{0}")]
    Outbox(#[from] OutboxError),
    #[error(
        "{0} {changes} for you: refused by the server or held for review; \
         `shiftdesk outbox` lists {them}",
        changes = if *.0 == 1 { "change waits" } else { "changes wait" },
        them = if *.0 == 1 { "it" } else { "them" }
    )]
    WaitingForYou(usize),
}

impl CliError {
    pub fn exit(&self) -> Exit {
        match self {
            CliError::NotSignedIn | CliError::NoKeyring(_) => Exit::NotSignedIn,
            // Refused before queueing: what the agent typed must change.
            CliError::Usage(_)
            | CliError::Outbox(OutboxError::Refused(_))
            | CliError::Client(ClientError::BadUrl { .. }) => Exit::Usage,
            CliError::Api(e) if e.is_transient() => Exit::Unanswered,
            CliError::Api(_) => Exit::Refused,
            CliError::WaitingForYou(_) => Exit::WaitingForYou,
            _ => Exit::Failed,
        }
    }
}
