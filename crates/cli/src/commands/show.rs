//! `shiftdesk show`: a ticket and its conversation, from the cache.

use std::io::Write;
use std::path::Path;

use shiftdesk_domain::{MessageKind, TicketNumber};

use super::{line, open_store};
use crate::error::CliError;

/// A ticket and its conversation.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The ticket, as `queue` prints it (#10048) or as a bare number.
    ticket: TicketNumber,
}

pub async fn run(args: Args, dir: &Path, out: &mut impl Write) -> Result<(), CliError> {
    let (_, store) = open_store(dir).await?;
    let row = store
        .queue_row(args.ticket)
        .await?
        .ok_or(CliError::NoTicket(args.ticket))?;
    line(
        out,
        format_args!(
            "{} {}\n{} · {} · {} · {} · {}",
            row.number,
            row.subject,
            row.customer_name,
            row.status,
            row.priority,
            row.channel,
            row.service_name
        ),
    );
    for message in store.conversation(args.ticket).await? {
        let state = match (&message.kind, &message.outbox) {
            (_, Some(_)) => " [not sent yet]".to_owned(),
            (MessageKind::PublicReply { delivery }, None) => {
                format!(" [delivery: {}]", delivery.code())
            }
            _ => String::new(),
        };
        line(
            out,
            format_args!(
                "\n— #{} {} · {} · {}{state}\n{}",
                message.id.0,
                message.kind.code(),
                message.channel,
                message.author,
                message.body
            ),
        );
    }
    Ok(())
}
