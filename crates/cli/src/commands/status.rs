//! `shiftdesk status`: who is signed in where, what waits, and whether
//! the server answers.

use std::io::Write;
use std::path::Path;

use shiftdesk_store::OutboxState;

use super::{line, open_store, signed_in};
use crate::error::CliError;

/// Who is signed in where, and how much is waiting.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub async fn run(_: Args, dir: &Path, out: &mut impl Write) -> Result<(), CliError> {
    let (account, store) = open_store(dir).await?;
    let entries = store.outbox().await?;
    let queued = entries
        .iter()
        .filter(|e| e.state == OutboxState::Queued)
        .count();
    line(
        out,
        format_args!(
            "signed in to {} as {}\ncursor {}\noutbox: {queued} queued, {} waiting for you",
            account.server,
            account.agent_name,
            store.pull_cursor().await?,
            entries.len() - queued
        ),
    );
    let api = signed_in(&account)?;
    match api.me().await {
        Ok(_) => {
            line(out, "server: online");
            Ok(())
        }
        Err(e) => {
            line(out, format_args!("server: {e}"));
            Err(CliError::Api(e))
        }
    }
}
