//! `shiftdesk sync`: sends the outbox and pulls until the cache is
//! current, once or until interrupted.

use std::io::Write;
use std::path::Path;

use shiftdesk_engine::outbox::{push_once, PushError};
use shiftdesk_engine::pull::{pull_until_current, PullError, PAGE};
use shiftdesk_engine::sync::{Connectivity, SyncHandle, SyncTiming};
use shiftdesk_store::OutboxState;

use super::{line, open_store, signed_in};
use crate::error::CliError;

/// Send the outbox and pull changes until the cache is current. Exits 6
/// when changes the server refused, or that wait for review, are left.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Keep syncing (event stream, retries with backoff) until
    /// interrupted, printing each change of status.
    #[arg(long)]
    follow: bool,
}

pub async fn run(args: Args, dir: &Path, out: &mut impl Write) -> Result<(), CliError> {
    if args.follow {
        follow(dir, out).await
    } else {
        once(dir, out).await
    }
}

async fn once(dir: &Path, out: &mut impl Write) -> Result<(), CliError> {
    let (account, store) = open_store(dir).await?;
    let api = signed_in(&account)?;
    let mut sent = 0;
    loop {
        let pushed = push_once(&api, &store, account.agent)
            .await
            .map_err(|e| match e {
                PushError::Refused(e) => CliError::Api(e),
                PushError::Store(e) => CliError::Store(e),
                PushError::Outbox(e) => CliError::Outbox(e),
            })?;
        if let Some(e) = pushed.unanswered {
            return Err(CliError::Api(e));
        }
        sent += pushed.done;
        if pushed.sent == 0 {
            break;
        }
    }
    let pulled = pull_until_current(&api, &store, PAGE)
        .await
        .map_err(|e| match e {
            PullError::Api(e) => CliError::Api(e),
            PullError::Store(e) => CliError::Store(e),
        })?;
    let outbox = store.outbox().await?;
    line(
        out,
        format_args!(
            "sent {sent}, pulled {} changes, {} waiting in the outbox",
            pulled.changes,
            outbox.len()
        ),
    );
    match outbox
        .iter()
        .filter(|e| e.state != OutboxState::Queued)
        .count()
    {
        0 => Ok(()),
        waiting => Err(CliError::WaitingForYou(waiting)),
    }
}

async fn follow(dir: &Path, out: &mut impl Write) -> Result<(), CliError> {
    let (account, store) = open_store(dir).await?;
    let api = signed_in(&account)?;
    let sync = SyncHandle::start(api, store, account.agent, SyncTiming::default());
    let mut status = sync.status();
    loop {
        tokio::select! {
            changed = status.changed() => {
                if changed.is_err() {
                    return Ok(());
                }
            }
            _ = tokio::signal::ctrl_c() => return Ok(()),
        }
        let now = status.borrow_and_update().clone();
        let connectivity = match now.connectivity {
            Connectivity::Online => "online",
            Connectivity::Degraded => "degraded",
            Connectivity::Offline => "offline",
        };
        line(
            out,
            format_args!(
                "{connectivity}: {} queued, {} waiting for you{}",
                now.pending,
                now.needs_agent,
                now.problem.map(|p| format!(" ({p})")).unwrap_or_default()
            ),
        );
        let _ = out.flush();
    }
}
