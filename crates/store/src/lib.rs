//! Shiftdesk's offline cache: the tickets an agent may see, in a SQLite file
//! (WAL, one writer with `BEGIN IMMEDIATE`, a read pool beside it), with
//! queue views in SLA order, full-text search in Russian and English, and a
//! content-addressed folder for attachment bytes.

mod alerts;
mod callbacks;
mod card;
mod changes;
mod compose;
mod conversation;
mod error;
mod files;
mod open;
mod outbox;
mod private;
mod queue;
mod rows;
mod search;
mod sla;
mod sync;
mod write;

pub use callbacks::{CallbacksDue, PromisedCallback};
pub use card::TicketCard;
pub use changes::TicketChange;
pub use compose::{AttachedFile, ComposeMode, Draft, MAX_DRAFT_BYTES};
pub use conversation::{ConversationMessage, Unsent};
pub use error::StoreError;
pub use files::AttachmentFiles;
pub use open::{MovedAside, Opened, SCHEMA_VERSION};
pub use outbox::{
    placeholder_id, LocalEffect, NewOutboxEntry, OutboxEntry, OutboxState, Settlement, TicketHead,
};
pub use private::private_dir;
pub use queue::{
    QueueCursor, QueueFilter, QueuePage, QueueRequest, QueueRow, QueueView, ViewCounts,
    BREACHING_SOON_MINUTES,
};
pub use search::{SearchHit, SearchQuery, SnippetPart};
pub use sla::SlaTicket;
pub use sync::{Applied, SyncBatch};

use shiftdesk_domain::{Agent, AgentId};
use sqlx::SqlitePool;
use tokio::sync::broadcast;

/// The open cache. Cheap to clone: both pools are shared handles.
#[derive(Debug, Clone)]
pub struct Store {
    /// Exactly one connection: SQLite has one writer at a time anyway, and
    /// queuing here instead of in `busy_timeout` keeps writes in order.
    writer: SqlitePool,
    readers: SqlitePool,
    /// What committed writes touched, for [`Store::ticket_changes`].
    changes: broadcast::Sender<TicketChange>,
    /// Attachment bytes, beside the database: files opened from the
    /// conversation and files the agent attached to what they write.
    files: AttachmentFiles,
}

/// The folder beside the database that holds its [`AttachmentFiles`].
pub const ATTACHMENTS_DIR: &str = "attachments";

const ME_KEY: &str = "me";

impl Store {
    /// The attachment bytes kept beside this cache.
    pub fn files(&self) -> &AttachmentFiles {
        &self.files
    }

    /// The agent this cache belongs to: their tickets make "my" views.
    pub async fn me(&self) -> Result<Option<AgentId>, StoreError> {
        let value: Option<String> =
            sqlx::query_scalar("SELECT value FROM sync_state WHERE key = ?")
                .bind(ME_KEY)
                .fetch_optional(&self.readers)
                .await?;
        value
            .map(|v| {
                v.parse().map(AgentId).map_err(|_| StoreError::BadRow {
                    column: "sync_state.me",
                    value: v,
                })
            })
            .transpose()
    }

    pub async fn set_me(&self, agent: AgentId) -> Result<(), StoreError> {
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        sqlx::query("INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .bind(ME_KEY)
            .bind(agent.0.to_string())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// An agent as last synced.
    pub async fn agent(&self, id: AgentId) -> Result<Option<Agent>, StoreError> {
        let row: Option<(String, String, String)> =
            sqlx::query_as("SELECT name, team, role FROM agents WHERE id = ?")
                .bind(id.0)
                .fetch_optional(&self.readers)
                .await?;
        row.map(|(name, team, role)| {
            Ok(Agent {
                id,
                name,
                team,
                role: role.parse()?,
            })
        })
        .transpose()
    }

    /// Every synced agent, by name: whom a ticket can be given to.
    pub async fn agents(&self) -> Result<Vec<Agent>, StoreError> {
        let rows: Vec<(i64, String, String, String)> =
            sqlx::query_as("SELECT id, name, team, role FROM agents ORDER BY name, id")
                .fetch_all(&self.readers)
                .await?;
        rows.into_iter()
            .map(|(id, name, team, role)| {
                Ok(Agent {
                    id: AgentId(id),
                    name,
                    team,
                    role: role.parse()?,
                })
            })
            .collect()
    }

    /// Number of tickets in the cache.
    pub async fn ticket_count(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT count(*) FROM tickets")
            .fetch_one(&self.readers)
            .await?)
    }

    /// Waits for both pools to finish and close their connections, so the
    /// file is checkpointed and can be copied or moved.
    pub async fn close(self) {
        self.readers.close().await;
        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&self.writer)
            .await
        {
            tracing::warn!(error = %e, "cache checkpoint on close failed");
        }
        self.writer.close().await;
    }
}
