//! A ticket's conversation as the agent reads it: every message, oldest
//! first, with who wrote it, its files, and for replies how far delivery
//! got. Messages still in the outbox say where they stand there.

use serde::Serialize;
use shiftdesk_domain::inbound_html::html_part;
use shiftdesk_domain::{
    Attachment, AttachmentId, Channel, ContentHash, MessageId, MessageKind, TicketNumber, Timestamp,
};
use sqlx::Row;
use ts_rs::TS;

use crate::callbacks::owed_callback;
use crate::outbox::OutboxState;
use crate::rows::StoredKind;
use crate::{Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ConversationMessage {
    pub id: MessageId,
    /// What it is: `kind` names it; a reply carries its `delivery`, a call
    /// its `call` record.
    #[serde(flatten)]
    #[ts(flatten)]
    pub kind: MessageKind,
    pub channel: Channel,
    /// The customer's or agent's name; empty for the system.
    pub author: String,
    pub body: String,
    pub created_at: Timestamp,
    pub attachments: Vec<Attachment>,
    /// Of a customer's mail, the file that holds its HTML part: shown
    /// formatted on request rather than listed as a file.
    pub html_part: Option<AttachmentId>,
    /// Not confirmed by the server yet: the outbox entry it waits in.
    pub outbox: Option<Unsent>,
    /// A call's promised callback is still owed: the ticket is not solved
    /// or closed and no call with the customer was logged since. Overdue
    /// once its time has passed.
    pub callback_owed: bool,
}

/// A message still in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Unsent {
    /// The outbox entry's id, for retry, edit or discard.
    pub entry: String,
    pub state: OutboxState,
}

impl Store {
    /// The messages of `ticket`, oldest first.
    pub async fn conversation(
        &self,
        ticket: TicketNumber,
    ) -> Result<Vec<ConversationMessage>, StoreError> {
        let rows = sqlx::query(concat!(
            "SELECT m.id, m.kind, m.channel, m.body, m.created_at, m.delivery_state, m.delivery_error, \
             m.call_direction, m.call_duration_s, m.call_outcome, m.call_callback_at, ",
            owed_callback!(),
            " AS callback_owed, \
             CASE m.author_type WHEN 'customer' THEN (SELECT name FROM customers WHERE id = m.author_id) \
                                WHEN 'agent' THEN (SELECT name FROM agents WHERE id = m.author_id) \
                                ELSE '' END AS author, \
             o.id AS entry, o.state AS entry_state \
             FROM messages m LEFT JOIN outbox o ON m.id < 0 AND o.seq = -m.id \
             WHERE m.ticket_number = ? ORDER BY m.created_at, abs(m.id)"
        ))
        .bind(ticket.0)
        .fetch_all(&self.readers)
        .await?;
        let mut files = self
            .ticket_attachments(ticket)
            .await?
            .into_iter()
            .peekable();
        rows.iter()
            .map(|row| {
                let id = MessageId(row.try_get("id")?);
                let kind = StoredKind {
                    kind: row.try_get("kind")?,
                    delivery_state: row.try_get("delivery_state")?,
                    delivery_error: row.try_get("delivery_error")?,
                    call_direction: row.try_get("call_direction")?,
                    call_duration_s: row.try_get("call_duration_s")?,
                    call_outcome: row.try_get("call_outcome")?,
                    call_callback_at: row.try_get("call_callback_at")?,
                }
                .decode()?;
                let entry: Option<String> = row.try_get("entry")?;
                let outbox = match entry {
                    Some(entry) => Some(Unsent {
                        entry,
                        state: OutboxState::parse(row.try_get("entry_state")?)?,
                    }),
                    None => None,
                };
                let mut attachments = Vec::new();
                while let Some(file) = files.next_if(|f| f.message == id) {
                    attachments.push(file);
                }
                let channel: Channel = row.try_get::<&str, _>("channel")?.parse()?;
                let html_part = html_part(&kind, channel, &attachments).map(|f| f.id);
                Ok(ConversationMessage {
                    id,
                    kind,
                    channel,
                    author: row
                        .try_get::<Option<String>, _>("author")?
                        .unwrap_or_default(),
                    body: row.try_get("body")?,
                    created_at: Timestamp(row.try_get("created_at")?),
                    attachments,
                    html_part,
                    outbox,
                    callback_owed: row.try_get("callback_owed")?,
                })
            })
            .collect()
    }

    /// The ticket `message` belongs to, if it is cached.
    pub async fn message_ticket(
        &self,
        message: MessageId,
    ) -> Result<Option<TicketNumber>, StoreError> {
        let number: Option<i64> =
            sqlx::query_scalar("SELECT ticket_number FROM messages WHERE id = ?")
                .bind(message.0)
                .fetch_optional(&self.readers)
                .await?;
        Ok(number.map(TicketNumber))
    }

    /// One file's record, if it is cached.
    pub async fn attachment(&self, id: AttachmentId) -> Result<Option<Attachment>, StoreError> {
        let row = sqlx::query(
            "SELECT id, message_id, name, size_bytes, content_hash, media_type \
             FROM attachments WHERE id = ?",
        )
        .bind(id.0)
        .fetch_optional(&self.readers)
        .await?;
        row.as_ref().map(attachment_of).transpose()
    }

    /// The files of `ticket`'s messages, in the conversation's order.
    async fn ticket_attachments(
        &self,
        ticket: TicketNumber,
    ) -> Result<Vec<Attachment>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.id, a.message_id, a.name, a.size_bytes, a.content_hash, a.media_type \
             FROM attachments a JOIN messages m ON m.id = a.message_id \
             WHERE m.ticket_number = ? ORDER BY m.created_at, abs(m.id), abs(a.id)",
        )
        .bind(ticket.0)
        .fetch_all(&self.readers)
        .await?;
        rows.iter().map(attachment_of).collect()
    }
}

fn attachment_of(row: &sqlx::sqlite::SqliteRow) -> Result<Attachment, StoreError> {
    let hash: String = row.try_get("content_hash")?;
    Ok(Attachment {
        id: AttachmentId(row.try_get("id")?),
        message: MessageId(row.try_get("message_id")?),
        name: row.try_get("name")?,
        size_bytes: u64::try_from(row.try_get::<i64, _>("size_bytes")?).unwrap_or(0),
        content_hash: ContentHash::try_from(hash).map_err(|e| StoreError::BadRow {
            column: "attachments.content_hash",
            value: e.to_string(),
        })?,
        media_type: row.try_get("media_type")?,
    })
}
