//! Unsent outbox entries written out for a person to read, before an
//! account's cache is erased (sign-out, remote wipe): what the agent wrote
//! is never lost silently.

use std::io::Write;
use std::path::{Path, PathBuf};

use shiftdesk_domain::Timestamp;
use shiftdesk_protocol::Mutation;

use crate::accounts::Account;
use crate::outbox::OutboxItem;

/// The entries as plain text: who wrote them where, then each entry with
/// its ticket, kind, time and text, oldest first.
pub fn as_text(account: &Account, items: &[OutboxItem], now: Timestamp) -> String {
    let mut text = format!(
        "Shiftdesk: {} unsent outbox entries of {} at {}, written out at {}.\n\
         Nothing here reached the server. Copy what should still go into the ticket.\n",
        items.len(),
        account.agent_name,
        account.server,
        utc(now)
    );
    for item in items {
        text.push_str(&format!(
            "\n--- Ticket #{}: {}, written {} ---\n",
            item.ticket.0,
            kind(&item.mutation),
            utc(item.created_at)
        ));
        match &item.mutation {
            Mutation::Reply {
                body,
                attachments,
                cc,
                ..
            } => {
                if !cc.is_empty() {
                    text.push_str(&format!("Cc: {}\n", cc.join(", ")));
                }
                text.push_str(body);
                files(&mut text, attachments);
            }
            Mutation::Note { body, attachments } => {
                text.push_str(body);
                files(&mut text, attachments);
            }
            Mutation::CallLog { notes, .. } => text.push_str(notes),
            other => {
                // A field change: its JSON says exactly what it set.
                text.push_str(&serde_json::to_string(other).unwrap_or_default());
            }
        }
        text.push('\n');
    }
    text
}

fn kind(mutation: &Mutation) -> String {
    match mutation {
        Mutation::Reply { channel, .. } => format!("reply by {channel}"),
        Mutation::Note { .. } => "internal note".to_owned(),
        Mutation::CallLog { .. } => "call log".to_owned(),
        Mutation::SetStatus { status } => format!("status set to {status}"),
        Mutation::Assign { .. } => "reassignment".to_owned(),
        Mutation::SetPriority { priority } => format!("priority set to {priority}"),
        Mutation::SetTags { .. } => "tags".to_owned(),
        Mutation::RetryDelivery { .. } => "delivery retried".to_owned(),
    }
}

fn files(text: &mut String, attachments: &[shiftdesk_protocol::NewAttachment]) {
    if attachments.is_empty() {
        return;
    }
    let names: Vec<&str> = attachments.iter().map(|a| a.name.as_str()).collect();
    text.push_str(&format!("\n(files attached: {})", names.join(", ")));
}

fn utc(at: Timestamp) -> String {
    jiff::Timestamp::from_millisecond(at.0)
        .map(|t| t.strftime("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_else(|_| at.0.to_string())
}

/// Writes the text to a new file in `dir` (created if missing), readable
/// only by its owner: it holds what customers were about to be told.
pub fn write(
    dir: &Path,
    account: &Account,
    text: &str,
    now: Timestamp,
) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join(format!(
        "shiftdesk-unsent-{}-{}.txt",
        account.folder_name(),
        now.0
    ));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use shiftdesk_domain::{AgentId, Channel, TicketNumber, TicketStatus};
    use shiftdesk_store::OutboxState;

    use super::*;

    fn item(ticket: i64, mutation: Mutation) -> OutboxItem {
        OutboxItem {
            id: format!("entry-{ticket}"),
            ticket: TicketNumber(ticket),
            mutation,
            state: OutboxState::Queued,
            review: None,
            attempts: 0,
            created_at: Timestamp(1_764_000_000_000),
        }
    }

    #[test]
    fn each_entry_is_written_with_its_ticket_kind_and_words() {
        let account = Account::new("http://127.0.0.1:8780", AgentId(3), "Алексей", None).unwrap();
        let text = as_text(
            &account,
            &[
                item(
                    10042,
                    Mutation::Reply {
                        channel: Channel::Email,
                        body: "Перезагрузите ВМ из консоли.".into(),
                        attachments: vec![],
                        cc: vec!["ops@example.com".into()],
                    },
                ),
                item(
                    10043,
                    Mutation::SetStatus {
                        status: TicketStatus::Solved,
                    },
                ),
            ],
            Timestamp(1_764_000_600_000),
        );
        assert!(
            text.starts_with("Shiftdesk: 2 unsent outbox entries of Алексей"),
            "{text}"
        );
        assert!(text.contains("Ticket #10042: reply by email"), "{text}");
        assert!(
            text.contains("Cc: ops@example.com\nПерезагрузите ВМ из консоли."),
            "{text}"
        );
        assert!(text.contains("Ticket #10043: status set to"), "{text}");
        assert!(text.contains("2025-11-24 16:00 UTC"), "{text}");

        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), &account, &text, Timestamp(1)).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
        let mode = std::os::unix::fs::PermissionsExt::mode(
            &std::fs::metadata(&path).unwrap().permissions(),
        );
        assert_eq!(mode & 0o777, 0o600);
    }
}
