//! `shiftdesk set`: changes a ticket's status, priority or tags.

use std::io::Write;
use std::path::Path;

use shiftdesk_domain::{Priority, TicketNumber, TicketStatus};
use shiftdesk_engine::outbox::queue;
use shiftdesk_protocol::Mutation;

use super::{line, open_store};
use crate::args::code;
use crate::error::CliError;

/// Change a ticket's status, priority or tags (sent by the next `sync`).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The ticket, as `queue` prints it (#10048) or as a bare number.
    ticket: TicketNumber,
    /// A status the ticket's lifecycle allows from where it is now.
    #[arg(long, value_parser = code::<TicketStatus>())]
    status: Option<TicketStatus>,
    #[arg(long, value_parser = code::<Priority>())]
    priority: Option<Priority>,
    /// Comma-separated; an empty value clears them.
    #[arg(long)]
    tags: Option<String>,
}

pub async fn run(args: Args, dir: &Path, out: &mut impl Write) -> Result<(), CliError> {
    let (account, store) = open_store(dir).await?;
    let row = store
        .queue_row(args.ticket)
        .await?
        .ok_or(CliError::NoTicket(args.ticket))?;
    let mut edits = Vec::new();
    if let Some(status) = args.status {
        // Said now, while the agent is at the prompt, not after a sync.
        row.status
            .transition(status)
            .map_err(|e| CliError::Usage(format!("ticket {}: {e}", args.ticket)))?;
        edits.push(Mutation::SetStatus { status });
    }
    if let Some(priority) = args.priority {
        edits.push(Mutation::SetPriority { priority });
    }
    if let Some(tags) = args.tags {
        let tags = tags
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect();
        edits.push(Mutation::SetTags { tags });
    }
    if edits.is_empty() {
        return Err(CliError::Usage(
            "say what to change: --status, --priority or --tags".into(),
        ));
    }
    for edit in edits {
        let now = shiftdesk_engine::now();
        let id = queue(&store, account.agent, args.ticket, edit, None, now).await?;
        line(out, format_args!("queued {id}"));
    }
    Ok(())
}
