//! Who the window works as: one signed-in account with its own cache, its
//! link to the server and the desk started on them; or nobody, and the
//! sign-in screen says why. Swapped whole on sign-in and sign-out, so
//! nothing of one account outlives it into the next.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use serde::Serialize;
use shiftdesk_domain::Agent;
use shiftdesk_engine::accounts::{Account, AccountBook, AccountsError};
use shiftdesk_engine::credentials::{ApiToken, CredentialError, MemoryReason, TokenVault, Where};
use shiftdesk_engine::{outbox, unsent, ApiClient, ApiError};
use shiftdesk_protocol::ErrorCode;
use tauri::{AppHandle, Emitter, Manager};
use ts_rs::TS;

use crate::cache::Cache;
use crate::desk::{self, Desk};
use crate::error::AppError;
use crate::server_link::ServerLink;

/// The server's base URL handed to this run, e.g. `http://127.0.0.1:8780`.
pub const API_URL_ENV: &str = "SHIFTDESK_API_URL";
/// The device token handed to this run with it.
pub const API_TOKEN_ENV: &str = "SHIFTDESK_API_TOKEN";
/// Where unsent entries are written out; else the user's documents folder.
pub const EXPORT_DIR_ENV: &str = "SHIFTDESK_EXPORT_DIR";
/// Tells the window the account changed: it starts over.
pub const ACCOUNT_CHANGED_EVENT: &str = "account-changed";

/// A server and token handed to this run in its environment, taken out of
/// it before any thread starts, so no app the window opens inherits them.
#[derive(Debug)]
pub struct Handover {
    url: String,
    token: ApiToken,
}

impl Handover {
    /// Reads and removes the handover variables. Call first thing in
    /// `main`, while the process has one thread.
    pub fn take() -> Option<Self> {
        let read = |name| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let (url, token) = (read(API_URL_ENV), read(API_TOKEN_ENV));
        std::env::remove_var(API_URL_ENV);
        std::env::remove_var(API_TOKEN_ENV);
        Some(Self {
            url: url?,
            token: ApiToken::new(token?),
        })
    }
}

/// One account at work: its record, where its token is, its cache, its
/// client of the server and the engine parts started on them.
#[derive(Debug)]
pub struct SignedIn {
    pub account: Account,
    pub kept: Where,
    vault: TokenVault,
    pub cache: Cache,
    pub link: ServerLink,
    pub desk: Desk,
}

/// Why nobody is signed in, for the sign-in screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum SignedOutReason {
    /// No account on this computer yet.
    FirstRun,
    /// The account's token is not kept (it was in memory only, or the
    /// keyring lost it): sign in again; its cache and outbox wait.
    NoToken,
    /// The server no longer takes the token (it expired): sign in again,
    /// and what is queued goes then.
    SessionEnded { code: ErrorCode, unsent: usize },
    /// The device was signed out from elsewhere and this account erased
    /// here; what was unsent is in `exported`.
    Wiped {
        unsent: usize,
        exported: Option<String>,
    },
    /// The agent signed out.
    SignedOut {
        unsent: usize,
        exported: Option<String>,
    },
    /// Starting as the account failed; the sign-in screen says why.
    Failed { code: String, message: String },
}

/// Nobody is signed in: why, and who was last, to sign in again as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SignedOut {
    pub last: Option<Account>,
    #[serde(flatten)]
    pub reason: SignedOutReason,
}

/// What the window asks first: sign-in screen or workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum AccountState {
    /// Still reading the keyring or asking the server.
    Starting,
    SignedIn {
        account: Account,
        /// Where the token is kept, in words to show.
        kept: String,
        /// The token lives only as long as this run.
        memory_only: bool,
    },
    SignedOut(SignedOut),
}

#[derive(Debug)]
enum State {
    Starting,
    SignedIn(Arc<SignedIn>),
    SignedOut(SignedOut),
}

/// The managed state: the data folder and who works in it now.
#[derive(Debug)]
pub struct Session {
    root: PathBuf,
    /// Where files are written for the system's apps; one folder per
    /// account under it.
    opened_root: PathBuf,
    export_dir: PathBuf,
    state: RwLock<State>,
}

impl Session {
    pub fn new(root: PathBuf, opened_root: PathBuf, export_dir: PathBuf) -> Self {
        Self {
            root,
            opened_root,
            export_dir,
            state: RwLock::new(State::Starting),
        }
    }

    /// The account at work, or why there is none.
    pub fn signed_in(&self) -> Result<Arc<SignedIn>, AppError> {
        match &*self.read() {
            State::SignedIn(signed) => Ok(signed.clone()),
            State::Starting => Err(AppError {
                code: "desk.starting".into(),
                message: "Shiftdesk is still opening the account; try again in a moment".into(),
            }),
            State::SignedOut(_) => Err(AppError {
                code: "account.signed_out".into(),
                message: "nobody is signed in: sign in first".into(),
            }),
        }
    }

    pub fn state(&self) -> AccountState {
        match &*self.read() {
            State::Starting => AccountState::Starting,
            State::SignedIn(signed) => AccountState::SignedIn {
                account: signed.account.clone(),
                kept: signed.kept.to_string(),
                memory_only: matches!(signed.kept, Where::MemoryOnly { .. }),
            },
            State::SignedOut(out) => AccountState::SignedOut(out.clone()),
        }
    }

    /// Where the system's apps open this account's files.
    pub fn opened_dir(&self, account: &Account) -> PathBuf {
        self.opened_root.join(account.folder_name())
    }

    pub fn book(&self) -> Result<AccountBook, AppError> {
        Ok(AccountBook::open(&self.root)?)
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, State> {
        self.state
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn set(&self, state: State) -> Option<Arc<SignedIn>> {
        let mut slot = self
            .state
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match std::mem::replace(&mut *slot, state) {
            State::SignedIn(old) => Some(old),
            _ => None,
        }
    }
}

/// At start: the handed-over token, else the current account's kept
/// token, else the sign-in screen.
pub async fn resume(app: AppHandle, handover: Option<Handover>) {
    let session = app.state::<Session>();
    let outcome = match handover {
        Some(handover) => from_handover(&app, handover).await,
        None => from_book(&app).await,
    };
    let state = match outcome {
        Ok(Ok(signed)) => State::SignedIn(signed),
        Ok(Err(out)) => State::SignedOut(out),
        Err(e) => {
            tracing::error!(code = %e.code, "{}", e.message);
            State::SignedOut(SignedOut {
                last: session.book().ok().and_then(|b| b.current().cloned()),
                reason: SignedOutReason::Failed {
                    code: e.code,
                    message: e.message,
                },
            })
        }
    };
    session.set(state);
    let _ = app.emit(ACCOUNT_CHANGED_EVENT, ());
}

type Resumed = Result<Result<Arc<SignedIn>, SignedOut>, AppError>;

async fn from_handover(app: &AppHandle, handover: Handover) -> Resumed {
    let api = ApiClient::new(&handover.url, handover.token.expose())?;
    let agent = api.me().await.map_err(|e| AppError {
        code: "server.unanswered".into(),
        message: format!(
            "could not ask {} whose the handed-over token is: {e}",
            api.base_url()
        ),
    })?;
    let account = Account::new(api.base_url().as_str(), agent.id, agent.name.clone(), None)?;
    let vault = TokenVault::in_memory(account.token_key()?, MemoryReason::HandedOver);
    vault.save(&handover.token)?;
    open(app, account, vault, api, Some(agent)).await.map(Ok)
}

async fn from_book(app: &AppHandle) -> Resumed {
    let book = app.state::<Session>().book()?;
    let Some(account) = book.current().cloned() else {
        return Ok(Err(SignedOut {
            last: None,
            reason: SignedOutReason::FirstRun,
        }));
    };
    let key = account.token_key()?;
    let storage = account.storage();
    let (vault, token) = blocking(move || {
        let vault = TokenVault::open(key, storage)?;
        let token = vault.load()?;
        Ok::<_, CredentialError>((vault, token))
    })
    .await??;
    let Some(token) = token else {
        return Ok(Err(SignedOut {
            last: Some(account),
            reason: SignedOutReason::NoToken,
        }));
    };
    let api = ApiClient::new(&account.server, token.expose())?;
    // Offline is fine: the cache says whose it is, and the token's key
    // names the same agent.
    open(app, account, vault, api, None).await.map(Ok)
}

/// Signs in as `account` with the token in `vault`: its own cache, checked
/// to be its own, and the desk started on it.
pub async fn open(
    app: &AppHandle,
    account: Account,
    vault: TokenVault,
    api: ApiClient,
    agent: Option<Agent>,
) -> Result<Arc<SignedIn>, AppError> {
    let session = app.state::<Session>();
    let mut book = session.book()?;
    let folder = book.enter(account.clone())?;
    let cache = Cache::open(folder.join(shiftdesk_engine::accounts::CACHE_FILE)).await;
    if let Ok(store) = cache.store() {
        match store.me().await? {
            Some(me) if me != account.agent => {
                return Err(AppError {
                    code: "account.cache_mismatch".into(),
                    message: format!(
                        "the cache in {} belongs to another agent (id {}), not {}: it is not \
                         opened",
                        folder.display(),
                        me.0,
                        account.agent_name
                    ),
                })
            }
            Some(_) => {}
            None => {
                if let Some(agent) = &agent {
                    store.upsert_agents(std::slice::from_ref(agent)).await?;
                    store.set_me(agent.id).await?;
                }
            }
        }
    }
    let opened = session.opened_dir(&account);
    clean_opened(opened);
    let signed = Arc::new(SignedIn {
        kept: vault.kept().clone(),
        account,
        vault,
        cache,
        link: ServerLink::new(api),
        desk: Desk::default(),
    });
    if let Ok(store) = signed.cache.store() {
        tauri::async_runtime::spawn(desk::start(app.clone(), signed.clone(), store.clone()));
    }
    Ok(signed)
}

/// Files opened for the system's apps on an earlier shift are removed.
fn clean_opened(opened: PathBuf) {
    tauri::async_runtime::spawn_blocking(move || {
        use shiftdesk_engine::attachments::{forget_opened, KEEP_OPENED};
        match forget_opened(&opened, KEEP_OPENED, std::time::SystemTime::now()) {
            Ok(0) => {}
            Ok(n) => tracing::info!(files = n, "files opened before this shift removed"),
            Err(e) => {
                tracing::warn!(error = %e, dir = %opened.display(), "opened files not cleaned up")
            }
        }
    });
}

/// The agent signed in from the sign-in screen: the session becomes theirs.
pub fn signed_in(app: &AppHandle, signed: Arc<SignedIn>) {
    app.state::<Session>().set(State::SignedIn(signed));
    let _ = app.emit(ACCOUNT_CHANGED_EVENT, ());
}

/// What happens to unsent entries when the account is erased.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum UnsentChoice {
    /// Nothing is unsent (all sent): refused if something is.
    NoneLeft,
    /// Written to a file the agent can read first.
    Export,
    /// Thrown away: the agent said so.
    Discard,
}

/// Signs the agent out: unsent entries handled as `choice`, the device
/// revoked on the server when it answers, the token forgotten and the
/// account's cache, drafts and files erased.
pub async fn sign_out(app: &AppHandle, choice: UnsentChoice) -> Result<SignedOut, AppError> {
    let session = app.state::<Session>();
    let signed = session.signed_in()?;
    let items = outbox::items(signed.cache.store()?).await?;
    let exported = match (choice, items.is_empty()) {
        (_, true) | (UnsentChoice::Discard, _) => None,
        (UnsentChoice::NoneLeft, false) => {
            return Err(AppError {
                code: "account.unsent".into(),
                message: format!(
                    "{} outbox entries are not sent yet: send them, export them or discard them \
                     first",
                    items.len()
                ),
            })
        }
        (UnsentChoice::Export, false) => Some(export(&session, &signed, &items)?),
    };
    // Best effort: a server that does not answer forgets the device when
    // its token expires.
    if let Err(e) = revoke_own_device(signed.link.client()).await {
        tracing::warn!(error = %e, "the server was not told this device signed out");
    }
    let out = SignedOut {
        last: None,
        reason: SignedOutReason::SignedOut {
            unsent: items.len(),
            exported,
        },
    };
    erase(app, &signed, out.clone()).await?;
    Ok(out)
}

async fn revoke_own_device(api: &ApiClient) -> Result<(), ApiError> {
    let devices = api.devices().await?;
    if let Some(own) = devices.iter().find(|d| d.current) {
        api.sign_out(own.id).await?;
    }
    Ok(())
}

/// The server refused the token: a revoked device is wiped (unsent
/// exported first); an expired one asks the agent to sign in again and
/// keeps everything.
pub async fn token_refused(app: &AppHandle, code: ErrorCode) {
    let session = app.state::<Session>();
    let Ok(signed) = session.signed_in() else {
        return;
    };
    let items = match signed.cache.store() {
        Ok(store) => outbox::items(store).await.unwrap_or_default(),
        Err(_) => Vec::new(),
    };
    if code == ErrorCode::DeviceRevoked {
        let exported = if items.is_empty() {
            None
        } else {
            match export(&session, &signed, &items) {
                Ok(path) => Some(path),
                Err(e) => {
                    // Not erased then: the entries stay in the cache.
                    tracing::error!(code = %e.code, "{}", e.message);
                    return ended(app, &signed, code, items.len());
                }
            }
        };
        let out = SignedOut {
            last: None,
            reason: SignedOutReason::Wiped {
                unsent: items.len(),
                exported,
            },
        };
        if let Err(e) = erase(app, &signed, out).await {
            tracing::error!(code = %e.code, "{}", e.message);
        }
    } else {
        ended(app, &signed, code, items.len());
    }
}

/// The session ends, the account and its cache stay: sign in again.
fn ended(app: &AppHandle, signed: &SignedIn, code: ErrorCode, unsent: usize) {
    if let Err(e) = signed.vault.forget() {
        tracing::warn!(error = %e, "the refused token could not be forgotten");
    }
    app.state::<Session>().set(State::SignedOut(SignedOut {
        last: Some(signed.account.clone()),
        reason: SignedOutReason::SessionEnded { code, unsent },
    }));
    let _ = app.emit(ACCOUNT_CHANGED_EVENT, ());
}

fn export(
    session: &Session,
    signed: &SignedIn,
    items: &[outbox::OutboxItem],
) -> Result<String, AppError> {
    let now = shiftdesk_engine::now();
    let text = unsent::as_text(&signed.account, items, now);
    let path =
        unsent::write(&session.export_dir, &signed.account, &text, now).map_err(|e| AppError {
            code: "account.export_failed".into(),
            message: format!(
                "the unsent entries could not be written to {}: {e}; nothing was erased",
                session.export_dir.display()
            ),
        })?;
    Ok(path.display().to_string())
}

/// Stops the account's engine, forgets its token and erases its folder and
/// opened files; the window is told.
async fn erase(app: &AppHandle, signed: &Arc<SignedIn>, out: SignedOut) -> Result<(), AppError> {
    let session = app.state::<Session>();
    // Out of the session first: no command reaches the cache from now on,
    // and dropping the desk stops its sync and watcher.
    session.set(State::SignedOut(out));
    if let Ok(store) = signed.cache.store() {
        store.clone().close().await;
    }
    let vault_result = signed.vault.forget();
    let mut book = session.book()?;
    book.erase(&signed.account)?;
    remove_dir(&session.opened_dir(&signed.account));
    let _ = app.emit(ACCOUNT_CHANGED_EVENT, ());
    vault_result?;
    Ok(())
}

fn remove_dir(dir: &Path) {
    match std::fs::remove_dir_all(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => tracing::warn!(error = %e, dir = %dir.display(), "opened files not erased"),
    }
}

/// Runs blocking keyring work off the async threads.
pub async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| AppError {
            code: "account.interrupted".into(),
            message: format!("the keyring's answer was lost: {e}"),
        })
}

impl From<AccountsError> for AppError {
    fn from(e: AccountsError) -> Self {
        Self {
            code: e.code().to_owned(),
            message: e.to_string(),
        }
    }
}

impl From<CredentialError> for AppError {
    fn from(e: CredentialError) -> Self {
        Self {
            code: e.code().to_owned(),
            message: e.to_string(),
        }
    }
}
