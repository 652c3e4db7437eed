//! `shiftdesk reply`: queues a public reply on the customer's channel.

use std::io::Write;
use std::path::Path;

use shiftdesk_domain::{Channel, TicketNumber};
use shiftdesk_engine::outbox::queue;
use shiftdesk_protocol::Mutation;

use super::{cached, line, open_store};
use crate::args::{code, text_or_stdin};
use crate::error::CliError;

/// Queue a public reply (sent by the next `sync`, offline or not). A
/// phone call is not a reply: log it with `call`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The ticket, as `queue` prints it (#10048) or as a bare number.
    ticket: TicketNumber,
    #[arg(long, value_parser = code::<Channel>())]
    channel: Channel,
    /// The text; `-` reads it from standard input.
    #[arg(long)]
    body: String,
}

pub async fn run(args: Args, dir: &Path, out: &mut impl Write) -> Result<(), CliError> {
    let ticket = args.ticket;
    if args.channel == Channel::Phone {
        return Err(CliError::Usage(format!(
            "nobody can deliver a reply on the phone: log the call with \
             `shiftdesk call {ticket} --direction outbound --duration SECONDS --notes TEXT`, \
             or reply on the portal, Telegram or email"
        )));
    }
    let (account, store) = open_store(dir).await?;
    let body = text_or_stdin(args.body)?;
    if body.trim().is_empty() {
        return Err(CliError::Usage("a reply needs text".into()));
    }
    cached(&store, ticket).await?;
    let reply = Mutation::Reply {
        channel: args.channel,
        body,
        attachments: vec![],
        cc: vec![],
    };
    let id = queue(
        &store,
        account.agent,
        ticket,
        reply,
        None,
        shiftdesk_engine::now(),
    )
    .await?;
    line(out, format_args!("queued {id}"));
    Ok(())
}
