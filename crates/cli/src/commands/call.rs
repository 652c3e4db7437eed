//! `shiftdesk call`: logs a phone call with the customer.

use std::io::Write;
use std::path::Path;

use shiftdesk_domain::{CallDirection, CallOutcome, CallRecord, TicketNumber};
use shiftdesk_engine::outbox::queue;
use shiftdesk_protocol::Mutation;

use super::{cached, line, open_store};
use crate::args::{code, text_or_stdin};
use crate::error::CliError;

/// Log a phone call with the customer (sent by the next `sync`); a call
/// the customer took answers them for the SLA.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The ticket, as `queue` prints it (#10048) or as a bare number.
    ticket: TicketNumber,
    #[arg(long, value_parser = code::<CallDirection>())]
    direction: CallDirection,
    /// How long the call lasted, in seconds.
    #[arg(long, default_value_t = 0)]
    duration: u32,
    #[arg(long, value_parser = code::<CallOutcome>(), default_value = "answered")]
    outcome: CallOutcome,
    /// What was said; `-` reads it from standard input.
    #[arg(long)]
    notes: String,
    /// You promised to call the customer back this many minutes from now.
    #[arg(long)]
    callback_in_minutes: Option<u32>,
}

pub async fn run(args: Args, dir: &Path, out: &mut impl Write) -> Result<(), CliError> {
    let (account, store) = open_store(dir).await?;
    let notes = text_or_stdin(args.notes)?;
    if args.duration > CallRecord::MAX_DURATION_SECS {
        return Err(CliError::Usage(format!(
            "a call lasts {} seconds at most",
            CallRecord::MAX_DURATION_SECS
        )));
    }
    cached(&store, args.ticket).await?;
    let now = shiftdesk_engine::now();
    let call = CallRecord {
        direction: args.direction,
        duration_secs: args.duration,
        outcome: args.outcome,
        callback_at: args
            .callback_in_minutes
            .map(|m| now.plus_minutes(i64::from(m))),
    };
    let id = queue(
        &store,
        account.agent,
        args.ticket,
        Mutation::CallLog { call, notes },
        None,
        now,
    )
    .await?;
    line(out, format_args!("queued {id}"));
    Ok(())
}
