//! One module a command: its arguments and what it does. What several
//! share (the signed-in client, the cache, a ticket that must be cached)
//! is here.

pub mod call;
pub mod login;
pub mod outbox;
pub mod queue;
pub mod reply;
pub mod retry;
pub mod set;
pub mod show;
pub mod status;
pub mod sync;

use std::io::Write;
use std::path::Path;

use shiftdesk_domain::TicketNumber;
use shiftdesk_engine::credentials::{Storage, TokenKey, TokenVault};
use shiftdesk_engine::ApiClient;
use shiftdesk_store::Store;

use crate::error::CliError;
use crate::profile::{Profile, CACHE_FILE};

/// The profile and a client with its token: `SHIFTDESK_API_TOKEN` for
/// this run, else the token store the profile names.
async fn signed_in(dir: &Path) -> Result<(Profile, ApiClient), CliError> {
    let profile = Profile::load(dir)?.ok_or(CliError::NotSignedIn)?;
    let token = match std::env::var("SHIFTDESK_API_TOKEN") {
        Ok(token) if !token.trim().is_empty() => token,
        _ => {
            let storage = profile
                .token_file
                .clone()
                .map_or(Storage::Keyring, Storage::File);
            let vault = TokenVault::open(TokenKey::new(&profile.server, profile.agent)?, storage)?;
            vault
                .load()?
                .ok_or(CliError::NotSignedIn)?
                .expose()
                .to_owned()
        }
    };
    let api = ApiClient::new(&profile.server, &token)?;
    Ok((profile, api))
}

/// Who queues changes here: the signed-in agent, as the profile says.
fn profile(dir: &Path) -> Result<Profile, CliError> {
    Profile::load(dir)?.ok_or(CliError::NotSignedIn)
}

async fn open_store(dir: &Path) -> Result<Store, CliError> {
    shiftdesk_store::private_dir(dir).map_err(|e| CliError::Io(dir.to_owned(), e))?;
    let opened = Store::open(&dir.join(CACHE_FILE)).await?;
    if let Some(moved) = opened.moved_aside {
        eprintln!("shiftdesk: the cache was damaged and was moved aside: {moved:?}");
    }
    Ok(opened.store)
}

/// Fails unless the cache has `ticket`: changes are queued against it.
async fn cached(store: &Store, ticket: TicketNumber) -> Result<(), CliError> {
    match store.ticket_head(ticket).await? {
        Some(_) => Ok(()),
        None => Err(CliError::NoTicket(ticket)),
    }
}

/// One line of output; a closed pipe (`shiftdesk queue | head`) is not
/// an error worth reporting.
fn line(out: &mut dyn Write, text: impl std::fmt::Display) {
    let _ = writeln!(out, "{text}");
}
