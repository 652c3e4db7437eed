//! What the agent writes with: drafts kept as they type, and the team's
//! canned responses.

use serde::{Deserialize, Serialize};
use shiftdesk_domain::{
    CallRecord, CannedResponse, Channel, ContentHash, MessageId, TicketNumber, Timestamp,
};
use ts_rs::TS;

use crate::{Store, StoreError};

/// The largest draft kept, in bytes of its JSON: more than any reply,
/// less than a pasted dump that would slow every keystroke's save.
pub const MAX_DRAFT_BYTES: usize = 1 << 20;

/// What the composer writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ComposeMode {
    Reply,
    Note,
    Call,
}

/// The composer's state on one ticket, as the agent left it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Draft {
    pub ticket: TicketNumber,
    pub mode: ComposeMode,
    /// The channel a reply goes out on.
    pub channel: Channel,
    pub body: String,
    /// Email copies.
    #[serde(default)]
    pub cc: Vec<String>,
    /// A call being logged.
    #[serde(default)]
    #[ts(optional)]
    pub call: Option<CallRecord>,
    /// Files attached so far, kept in the cache's file store.
    #[serde(default)]
    pub files: Vec<AttachedFile>,
    /// The newest message the agent had seen when they began: the traffic
    /// cop asks before a reply goes out over what was written since.
    pub seen_message: Option<MessageId>,
    pub updated_at: Timestamp,
}

/// A file the agent attached to a reply or note: its bytes are in the
/// cache's file store under `content_hash` until the server has them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct AttachedFile {
    pub content_hash: ContentHash,
    pub name: String,
    pub media_type: String,
    #[ts(type = "number")]
    pub size_bytes: u64,
}

impl Store {
    /// Keeps `draft`, replacing the ticket's earlier one.
    pub async fn save_draft(&self, draft: &Draft) -> Result<(), StoreError> {
        let content = serde_json::to_string(draft).map_err(|e| StoreError::BadRow {
            column: "drafts.content",
            value: e.to_string(),
        })?;
        if content.len() > MAX_DRAFT_BYTES {
            return Err(StoreError::DraftTooLarge {
                bytes: content.len(),
                limit: MAX_DRAFT_BYTES,
            });
        }
        sqlx::query(
            "INSERT INTO drafts (ticket_number, content, updated_at) VALUES (?, ?, ?) \
             ON CONFLICT (ticket_number) DO UPDATE SET content = excluded.content, \
             updated_at = excluded.updated_at",
        )
        .bind(draft.ticket.0)
        .bind(content)
        .bind(draft.updated_at.0)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    /// The ticket's draft, if the agent left one.
    pub async fn draft(&self, ticket: TicketNumber) -> Result<Option<Draft>, StoreError> {
        let content: Option<String> =
            sqlx::query_scalar("SELECT content FROM drafts WHERE ticket_number = ?")
                .bind(ticket.0)
                .fetch_optional(&self.readers)
                .await?;
        content
            .map(|c| {
                serde_json::from_str(&c).map_err(|_| StoreError::BadRow {
                    column: "drafts.content",
                    value: c,
                })
            })
            .transpose()
    }

    /// Forgets the ticket's draft (sent, or thrown away by the agent).
    pub async fn clear_draft(&self, ticket: TicketNumber) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM drafts WHERE ticket_number = ?")
            .bind(ticket.0)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// The team's canned responses, by title.
    pub async fn canned_responses(&self) -> Result<Vec<CannedResponse>, StoreError> {
        let rows: Vec<(i64, String, String, Option<String>)> = sqlx::query_as(
            "SELECT id, title, body, category FROM canned_responses ORDER BY title, id",
        )
        .fetch_all(&self.readers)
        .await?;
        rows.into_iter()
            .map(|(id, title, body, category)| {
                Ok(CannedResponse {
                    id,
                    title,
                    body,
                    category: category.map(|c| c.parse()).transpose()?,
                })
            })
            .collect()
    }
}
