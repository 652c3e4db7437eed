//! Pull: pages of changes from the server into the cache, each page applied
//! with its cursor in one transaction, so a client killed at any moment
//! resumes from the last page it kept and downloads at most one again.

use shiftdesk_protocol::{Change, ChangeBody, ChangePage, Seq};
use shiftdesk_store::{Store, StoreError, SyncBatch};

use crate::api::{ApiClient, ApiError};

/// Changes asked for a page: the server's largest.
pub const PAGE: u32 = shiftdesk_protocol::MAX_PULL_LIMIT;

#[derive(Debug, thiserror::Error)]
pub enum PullError {
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What a pull brought in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pulled {
    pub pages: u32,
    pub changes: u64,
    pub evicted: u64,
    /// Where the cache now stands.
    pub cursor: i64,
}

/// Tickets a first sync brings in before anything else.
pub const URGENT_FIRST: u32 = 100;

/// Pulls, `page` changes at a time, until the server has nothing newer
/// than the cache. An empty cache first takes the most urgent tickets, so
/// the queue is usable while the rest streams in (they come again with
/// the log; writing them twice changes nothing).
pub async fn pull_until_current(
    api: &ApiClient,
    store: &Store,
    page: u32,
) -> Result<Pulled, PullError> {
    let mut pulled = Pulled {
        cursor: store.pull_cursor().await?,
        ..Pulled::default()
    };
    if pulled.cursor == 0 {
        let urgent = api.urgent(URGENT_FIRST).await?;
        store
            .apply_sync(&batch_of(ChangePage {
                changes: urgent.changes,
                next: Seq(0),
                more: false,
            }))
            .await?;
    }
    loop {
        let changes = api.changes(Seq(pulled.cursor), page).await?;
        let more = changes.more;
        pulled.changes += changes.changes.len() as u64;
        let batch = batch_of(changes);
        let applied = store.apply_sync(&batch).await?;
        pulled.pages += 1;
        pulled.evicted += applied.evicted;
        pulled.cursor = batch.cursor;
        if !more {
            return Ok(pulled);
        }
    }
}

/// A page as the cache must end up holding it. Changes are in sequence
/// order: an eviction drops what came before it of that ticket, and a
/// ticket that comes back after its eviction is kept (the server sends
/// all of it again).
pub fn batch_of(page: ChangePage) -> SyncBatch {
    let mut batch = SyncBatch {
        cursor: page.next.0,
        ..SyncBatch::default()
    };
    for Change { body, .. } in page.changes {
        match body {
            ChangeBody::Agent(a) => batch.agents.push(a),
            ChangeBody::Customer(c) => batch.customers.push(c),
            ChangeBody::Ticket(t) => {
                batch.evictions.retain(|&n| n != t.number);
                batch.tickets.push(t);
            }
            ChangeBody::Message(m) => batch.messages.push(m),
            ChangeBody::Attachment(a) => batch.attachments.push(a),
            ChangeBody::SlaPolicy(p) => batch.sla_policies.push(p),
            ChangeBody::CannedResponse(c) => batch.canned_responses.push(c),
            ChangeBody::Eviction { ticket } => {
                batch.tickets.retain(|t| t.number != ticket);
                let gone: Vec<_> = batch
                    .messages
                    .iter()
                    .filter(|m| m.ticket == ticket)
                    .map(|m| m.id)
                    .collect();
                batch.messages.retain(|m| m.ticket != ticket);
                batch.attachments.retain(|a| !gone.contains(&a.message));
                batch.evictions.push(ticket);
            }
        }
    }
    batch
}

#[cfg(test)]
mod tests;
