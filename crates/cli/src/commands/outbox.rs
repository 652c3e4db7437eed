//! `shiftdesk outbox`: what waits to be sent, and what waits for the agent.

use std::io::Write;
use std::path::Path;

use shiftdesk_engine::outbox::{items, Review};
use shiftdesk_protocol::Mutation;

use super::{line, open_store};
use crate::error::CliError;

/// What is waiting to be sent, failed, or waits for review: id, ticket,
/// state, what it is, attempts and why it waits, tab-separated.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub async fn run(_: Args, dir: &Path, out: &mut impl Write) -> Result<(), CliError> {
    let (_, store) = open_store(dir).await?;
    for item in items(&store).await? {
        line(
            out,
            format_args!(
                "{}\t{}\t{}\t{}\t{} attempts{}",
                item.id,
                item.ticket,
                item.state.code(),
                what(&item.mutation),
                item.attempts,
                item.review
                    .as_ref()
                    .map(|r| format!("\t{}", why(r)))
                    .unwrap_or_default()
            ),
        );
    }
    Ok(())
}

/// The change in a few words; the text of a reply is in `show`.
fn what(mutation: &Mutation) -> String {
    match mutation {
        Mutation::Reply { channel, .. } => format!("reply on {channel}"),
        Mutation::Note { .. } => "note".to_owned(),
        Mutation::CallLog { call, .. } => format!("call log ({})", call.direction),
        Mutation::SetStatus { status } => format!("status {status}"),
        Mutation::Assign {
            assignee: Some(agent),
        } => format!("assign to agent {}", agent.0),
        Mutation::Assign { assignee: None } => "unassign".to_owned(),
        Mutation::SetPriority { priority } => format!("priority {priority}"),
        Mutation::SetTags { tags } => format!("tags {}", tags.join(",")),
        Mutation::RetryDelivery { message } => format!("send #{} again", message.0),
    }
}

fn why(review: &Review) -> String {
    match review {
        Review::WrittenSince => "held: the customer wrote after you began it".to_owned(),
        Review::Conflict { current } => format!(
            "held: the ticket changed on the server (now version {}, {})",
            current.version, current.status
        ),
        Review::Refused { problem } => {
            format!("refused: {} ({})", problem.detail, problem.code.code())
        }
    }
}

#[cfg(test)]
mod tests {
    use shiftdesk_domain::{Channel, TicketStatus};
    use shiftdesk_protocol::{ErrorCode, Problem};

    use super::*;

    #[test]
    fn an_entry_reads_in_words() {
        let reply = Mutation::Reply {
            channel: Channel::Telegram,
            body: "text not shown here".into(),
            attachments: vec![],
            cc: vec![],
        };
        assert_eq!(what(&reply), "reply on telegram");
        assert_eq!(
            what(&Mutation::SetStatus {
                status: TicketStatus::OnHold
            }),
            "status on_hold"
        );
        let refused = Review::Refused {
            problem: Problem::new(ErrorCode::Conflict, "ticket #10001 is at version 7"),
        };
        assert_eq!(
            why(&refused),
            "refused: ticket #10001 is at version 7 (mutation.conflict)"
        );
    }
}
