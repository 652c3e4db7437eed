//! A ticket's conversation as the agent reads it: every message, oldest
//! first, with who wrote it and, for replies, how far delivery got.
//! Messages still in the outbox show as queued.

use serde::Serialize;
use shiftdesk_domain::{Channel, MessageId, TicketNumber, Timestamp};
use sqlx::Row;
use ts_rs::TS;

use crate::{Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ConversationMessage {
    pub id: MessageId,
    /// `inbound`, `public_reply`, `internal_note`, `call_log`, `system_event`.
    pub kind: String,
    pub channel: Channel,
    /// The customer's or agent's name; empty for the system.
    pub author: String,
    pub body: String,
    pub created_at: Timestamp,
    /// A reply's delivery state (`queued`, `sent`, `delivered`, `failed`).
    pub delivery: Option<String>,
    /// Still in the outbox: the server has not confirmed it.
    pub unsent: bool,
}

impl Store {
    /// The messages of `ticket`, oldest first.
    pub async fn conversation(
        &self,
        ticket: TicketNumber,
    ) -> Result<Vec<ConversationMessage>, StoreError> {
        let rows = sqlx::query(
            "SELECT m.id, m.kind, m.channel, m.body, m.created_at, m.delivery_state, \
             CASE m.author_type WHEN 'customer' THEN (SELECT name FROM customers WHERE id = m.author_id) \
                                WHEN 'agent' THEN (SELECT name FROM agents WHERE id = m.author_id) \
                                ELSE '' END AS author \
             FROM messages m WHERE m.ticket_number = ? ORDER BY m.created_at, abs(m.id)",
        )
        .bind(ticket.0)
        .fetch_all(&self.readers)
        .await?;
        rows.iter()
            .map(|row| {
                let id: i64 = row.try_get("id")?;
                Ok(ConversationMessage {
                    id: MessageId(id),
                    kind: row.try_get("kind")?,
                    channel: row.try_get::<&str, _>("channel")?.parse()?,
                    author: row
                        .try_get::<Option<String>, _>("author")?
                        .unwrap_or_default(),
                    body: row.try_get("body")?,
                    created_at: Timestamp(row.try_get("created_at")?),
                    delivery: row.try_get("delivery_state")?,
                    unsent: id < 0,
                })
            })
            .collect()
    }
}
