//! Account commands: the sign-in screen (the server checked, then a
//! password or a one-time code), sign-out, and the agent's devices. The
//! token never crosses IPC back to the window.

use serde::Deserialize;
use shiftdesk_engine::accounts::Account;
use shiftdesk_engine::api::device_name;
use shiftdesk_engine::credentials::{ApiToken, Storage, TokenVault};
use shiftdesk_engine::{ApiClient, ApiError, SignInClient};
use shiftdesk_protocol::{Credentials, Device, ServerMeta, SignInRequest};
use tauri::{AppHandle, State};
use ts_rs::TS;

use crate::error::{parse, AppError};
use crate::session::{self, AccountState, Session, SignedOut, UnsentChoice};

/// What the agent filled in on the sign-in screen.
#[derive(Deserialize, TS)]
pub struct SignInForm {
    pub server: String,
    pub credentials: Credentials,
    pub keep: KeepToken,
}

/// Where the agent wants the token kept.
#[derive(Debug, Deserialize, TS)]
#[serde(tag = "in", rename_all = "snake_case")]
pub enum KeepToken {
    /// The system keyring; memory for this run when there is none.
    Keyring,
    /// Memory only: sign in again at the next start.
    Memory,
    /// A file only the agent can read.
    File { path: String },
}

#[tauri::command]
pub fn account_state(session: State<'_, Session>) -> AccountState {
    session.state()
}

/// That `server` is a Shiftdesk server this console may send a password
/// to: https unless on this machine, no user name or password in it.
#[tauri::command]
pub async fn check_server(server: serde_json::Value) -> Result<ServerMeta, AppError> {
    let server: String = parse(server)?;
    let gate = SignInClient::new(&server)?;
    gate.meta().await.map_err(api_error)
}

/// Signs in with a password or a one-time code; the token goes where the
/// agent chose, the account's own cache opens and the desk starts.
#[tauri::command]
pub async fn sign_in(
    app: AppHandle,
    session: State<'_, Session>,
    form: serde_json::Value,
) -> Result<AccountState, AppError> {
    let form: SignInForm = parse(form)?;
    if session.signed_in().is_ok() {
        return Err(AppError {
            code: "account.signed_in".into(),
            message: "someone is signed in already: sign out first".into(),
        });
    }
    let gate = SignInClient::new(&form.server)?;
    gate.meta().await.map_err(api_error)?;
    let request = SignInRequest {
        with: form.credentials,
        device: device_name("Shiftdesk"),
    };
    let signed = gate.sign_in(&request).await.map_err(api_error)?;
    let (storage, token_file) = match form.keep {
        KeepToken::Keyring => (Storage::Keyring, None),
        KeepToken::Memory => (Storage::Memory, None),
        KeepToken::File { path } => {
            let path = std::path::PathBuf::from(path);
            (Storage::File(path.clone()), Some(path))
        }
    };
    let account = Account::new(
        gate.base_url().as_str(),
        signed.agent.id,
        signed.agent.name.clone(),
        token_file,
    )?;
    let token = ApiToken::new(signed.token);
    let api = ApiClient::new(gate.base_url().as_str(), token.expose())?;
    let key = account.token_key()?;
    let vault = session::blocking(move || {
        let vault = TokenVault::open(key, storage)?;
        vault.save(&token)?;
        Ok::<_, shiftdesk_engine::credentials::CredentialError>(vault)
    })
    .await??;
    let signed = session::open(&app, account, vault, api, Some(signed.agent)).await?;
    session::signed_in(&app, signed);
    Ok(session.state())
}

/// Signs out; `unsent` says what becomes of entries not sent yet.
#[tauri::command]
pub async fn sign_out(app: AppHandle, unsent: serde_json::Value) -> Result<SignedOut, AppError> {
    let unsent: UnsentChoice = parse(unsent)?;
    session::sign_out(&app, unsent).await
}

/// The agent's devices (a lead's: the team's), this one marked.
#[tauri::command]
pub async fn devices(session: State<'_, Session>) -> Result<Vec<Device>, AppError> {
    let signed = session.signed_in()?;
    signed.link.client().devices().await.map_err(api_error)
}

/// Signs a device out on the server. This one is then wiped at its next
/// request, its unsent entries exported first.
#[tauri::command]
pub async fn revoke_device(
    session: State<'_, Session>,
    device: serde_json::Value,
) -> Result<(), AppError> {
    let device: i64 = parse(device)?;
    let signed = session.signed_in()?;
    signed
        .link
        .client()
        .sign_out(device)
        .await
        .map_err(api_error)?;
    signed.desk.kick_sync();
    Ok(())
}

/// The server's problem keeps its code; no answer is said as such.
fn api_error(e: ApiError) -> AppError {
    let code = match &e {
        ApiError::Problem(problem) => problem.code.code(),
        ApiError::Unreachable { .. } => "server.unreachable",
        ApiError::SlowDown { .. } => "server.busy",
        ApiError::Unexpected { .. } => "server.unexpected",
    };
    AppError {
        code: code.into(),
        message: e.to_string(),
    }
}
