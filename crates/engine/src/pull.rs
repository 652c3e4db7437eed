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
    if store.pull_cursor().await? == 0 {
        take_urgent_snapshot(api, store).await?;
    }
    pull_log(api, store, page).await
}

/// The [`URGENT_FIRST`] tickets with the earliest deadlines, whole, into
/// the cache; the cursor stays where it is.
pub async fn take_urgent_snapshot(api: &ApiClient, store: &Store) -> Result<(), PullError> {
    let urgent = api.urgent(URGENT_FIRST).await?;
    store
        .apply_sync(&batch_of(ChangePage {
            changes: urgent.changes,
            next: Seq(0),
            more: false,
        }))
        .await?;
    Ok(())
}

/// The change log from the cache's cursor to the end. The next page is
/// fetched while the current one is written, so the server's time and the
/// cache's overlap; each page still lands with its cursor in one
/// transaction.
pub async fn pull_log(api: &ApiClient, store: &Store, page: u32) -> Result<Pulled, PullError> {
    let mut pulled = Pulled {
        cursor: store.pull_cursor().await?,
        ..Pulled::default()
    };
    let mut fetched = api.changes(Seq(pulled.cursor), page).await?;
    loop {
        let more = fetched.more;
        pulled.changes += fetched.changes.len() as u64;
        let batch = batch_of(fetched);
        pulled.pages += 1;
        pulled.cursor = batch.cursor;
        if !more {
            pulled.evicted += store.apply_sync(&batch).await?.evicted;
            return Ok(pulled);
        }
        let (applied, next) = tokio::join!(
            store.apply_sync(&batch),
            api.changes(Seq(batch.cursor), page)
        );
        pulled.evicted += applied?.evicted;
        fetched = next?;
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
