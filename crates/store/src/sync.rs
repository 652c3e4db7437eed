//! Applying what sync pulled: one page of changes and the cursor it ends
//! at, in one transaction, so a client killed at any moment resumes from
//! the last page it kept.

use std::collections::HashSet;

use shiftdesk_domain::{
    Agent, Attachment, CannedResponse, Customer, Message, MessageId, SlaPolicy, Ticket,
    TicketNumber,
};

use crate::write::{
    search_documents, write_agents, write_canned_responses, write_customers, write_sla_policies,
    write_threads, Document,
};
use crate::{Store, StoreError};

const CURSOR_KEY: &str = "pull_cursor";

/// One page of pulled changes, already reduced to what the cache must end
/// up holding: entities to write, and tickets that left the agent's scope.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncBatch {
    pub agents: Vec<Agent>,
    pub customers: Vec<Customer>,
    pub tickets: Vec<Ticket>,
    pub messages: Vec<Message>,
    pub attachments: Vec<Attachment>,
    pub sla_policies: Vec<SlaPolicy>,
    pub canned_responses: Vec<CannedResponse>,
    /// Removed before anything of the page is written.
    pub evictions: Vec<TicketNumber>,
    /// The server sequence this page ends at.
    pub cursor: i64,
}

/// What an applied batch did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Applied {
    pub rows: u64,
    pub evicted: u64,
    /// Evictions not done because the ticket has unsent outbox entries.
    pub kept_for_outbox: u64,
}

impl Store {
    /// Where the last applied page ended; 0 before the first sync.
    pub async fn pull_cursor(&self) -> Result<i64, StoreError> {
        let value: Option<String> =
            sqlx::query_scalar("SELECT value FROM sync_state WHERE key = ?")
                .bind(CURSOR_KEY)
                .fetch_optional(&self.readers)
                .await?;
        value.map_or(Ok(0), |v| {
            v.parse().map_err(|_| StoreError::BadRow {
                column: "sync_state.pull_cursor",
                value: v,
            })
        })
    }

    /// Applies `batch` and saves its cursor in one transaction. A ticket
    /// with unsent outbox entries is never evicted: the agent's work on it
    /// is not dropped.
    pub async fn apply_sync(&self, batch: &SyncBatch) -> Result<Applied, StoreError> {
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        let mut applied = Applied::default();
        let mut evict = Vec::with_capacity(batch.evictions.len());
        for &number in &batch.evictions {
            let unsent: i64 =
                sqlx::query_scalar("SELECT count(*) FROM outbox WHERE ticket_number = ?")
                    .bind(number.0)
                    .fetch_one(&mut *tx)
                    .await?;
            if unsent > 0 {
                applied.kept_for_outbox += 1;
            } else {
                evict.push(number);
            }
        }
        search_documents(&mut tx, &evict, Document::Remove).await?;
        let mut touched = Vec::with_capacity(evict.len());
        for &number in &evict {
            // Messages and attachments go with it (ON DELETE CASCADE).
            let gone = sqlx::query("DELETE FROM tickets WHERE number = ?")
                .bind(number.0)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if gone > 0 {
                touched.push(number);
            }
            applied.evicted += gone;
        }
        write_agents(&mut tx, &batch.agents).await?;
        write_customers(&mut tx, &batch.customers).await?;
        write_sla_policies(&mut tx, &batch.sla_policies).await?;
        write_canned_responses(&mut tx, &batch.canned_responses).await?;
        let tickets: Vec<&Ticket> = batch.tickets.iter().collect();
        let messages: Vec<&Message> = batch.messages.iter().collect();
        let attachments = attachments_with_messages(&mut tx, batch).await?;
        let (rows, written) = write_threads(&mut tx, &tickets, &messages, &attachments).await?;
        applied.rows = rows;
        touched.extend(written);
        sqlx::query(
            "INSERT INTO sync_state (key, value) VALUES (?, ?) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(CURSOR_KEY)
        .bind(batch.cursor.to_string())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        self.announce(touched, !batch.sla_policies.is_empty());
        Ok(applied)
    }
}

/// The batch's attachments whose message is in the batch or the cache: an
/// attachment of a message evicted with its ticket has nothing to hang on.
async fn attachments_with_messages<'b>(
    conn: &mut sqlx::SqliteConnection,
    batch: &'b SyncBatch,
) -> Result<Vec<&'b Attachment>, StoreError> {
    let in_batch: HashSet<MessageId> = batch.messages.iter().map(|m| m.id).collect();
    let mut kept = Vec::with_capacity(batch.attachments.len());
    for attachment in &batch.attachments {
        let cached = in_batch.contains(&attachment.message)
            || sqlx::query_scalar::<_, i64>("SELECT count(*) FROM messages WHERE id = ?")
                .bind(attachment.message.0)
                .fetch_one(&mut *conn)
                .await?
                > 0;
        if cached {
            kept.push(attachment);
        }
    }
    Ok(kept)
}
