//! One module a command: its arguments and what it does. What several
//! share (the current account, its cache and signed-in client, a ticket
//! that must be cached) is here.

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
use shiftdesk_engine::accounts::{Account, AccountBook};
use shiftdesk_engine::credentials::TokenVault;
use shiftdesk_engine::ApiClient;
use shiftdesk_store::Store;

use crate::error::CliError;

/// A client of `account`'s server with its token: `SHIFTDESK_API_TOKEN`
/// for this run, else the token store the account names.
fn signed_in(account: &Account) -> Result<ApiClient, CliError> {
    let token = match std::env::var("SHIFTDESK_API_TOKEN") {
        Ok(token) if !token.trim().is_empty() => token,
        _ => TokenVault::open(account.token_key()?, account.storage())?
            .load()?
            .ok_or(CliError::NotSignedIn)?
            .expose()
            .to_owned(),
    };
    Ok(ApiClient::new(&account.server, &token)?)
}

/// The account the data folder `dir` works as now, and its cache: who
/// queues changes here, and where.
async fn open_store(dir: &Path) -> Result<(Account, Store), CliError> {
    let book = AccountBook::open(dir)?;
    let account = book.current().ok_or(CliError::NotSignedIn)?.clone();
    let store = open_cache(&book, &account).await?;
    Ok((account, store))
}

/// `account`'s own cache, refused if it says it is another agent's.
async fn open_cache(book: &AccountBook, account: &Account) -> Result<Store, CliError> {
    let folder = book.folder(account);
    // The folder may have been deleted for a fresh cache: made again, 0700.
    shiftdesk_store::private_dir(&folder).map_err(|e| CliError::Io(folder, e))?;
    let cache = book.cache_file(account);
    let opened = Store::open(&cache).await?;
    if let Some(moved) = opened.moved_aside {
        eprintln!("shiftdesk: the cache was damaged and was moved aside: {moved:?}");
    }
    let store = opened.store;
    match store.me().await? {
        Some(holds) if holds != account.agent => {
            store.close().await;
            Err(CliError::OthersCache {
                cache,
                holds,
                account: account.agent,
            })
        }
        _ => Ok(store),
    }
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
