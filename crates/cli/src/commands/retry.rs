//! `shiftdesk retry`: sends a reply whose delivery failed again.

use std::io::Write;
use std::path::Path;

use shiftdesk_domain::{DeliveryState, MessageId, MessageKind, TicketNumber};
use shiftdesk_engine::outbox::queue;
use shiftdesk_protocol::Mutation;

use super::{cached, line, open_store};
use crate::error::CliError;

/// Send a reply whose delivery failed again, as it was written (sent by
/// the next `sync`); `show` gives the message's number.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The ticket, as `queue` prints it (#10048) or as a bare number.
    ticket: TicketNumber,
    /// The message, as `show` numbers it (#123 or 123).
    #[arg(value_parser = message_id)]
    message: MessageId,
}

fn message_id(text: &str) -> Result<MessageId, String> {
    text.strip_prefix('#')
        .unwrap_or(text)
        .parse::<u64>()
        .ok()
        .and_then(|n| i64::try_from(n).ok())
        .map(MessageId)
        .ok_or_else(|| format!("{text:?} is not a message number (like #123)"))
}

pub async fn run(args: Args, dir: &Path, out: &mut impl Write) -> Result<(), CliError> {
    let Args { ticket, message } = args;
    let (account, store) = open_store(dir).await?;
    cached(&store, ticket).await?;
    let found = store
        .conversation(ticket)
        .await?
        .into_iter()
        .find(|m| m.id == message);
    let Some(found) = found else {
        return Err(CliError::Usage(format!(
            "ticket {ticket} has no message #{}: `shiftdesk show {ticket}` lists them",
            message.0
        )));
    };
    match &found.kind {
        MessageKind::PublicReply {
            delivery: DeliveryState::Failed { .. },
        } => {}
        MessageKind::PublicReply { delivery } => {
            return Err(CliError::Usage(format!(
                "message #{} is {}; only a failed reply is sent again",
                message.0,
                delivery.code()
            )))
        }
        _ => {
            return Err(CliError::Usage(format!(
                "message #{} is not a reply to the customer",
                message.0
            )))
        }
    }
    let id = queue(
        &store,
        account.agent,
        ticket,
        Mutation::RetryDelivery { message },
        None,
        shiftdesk_engine::now(),
    )
    .await?;
    line(out, format_args!("queued {id}"));
    Ok(())
}
