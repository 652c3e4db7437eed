//! Writing demo data into a real cache file: what `cargo xtask run` shows on
//! first start and what the end-to-end tests read.

use std::path::Path;

use shiftdesk_store::{AttachmentFiles, Store, StoreError};

use crate::{
    agents, attachment_content, canned_responses, customers, sla_policies, threads, DemoConfig, ME,
};

/// Tickets written per transaction: large enough to amortise the commit.
const BATCH: usize = 500;

/// Agents (with [`ME`] as the cache's owner), customers, SLA policies and
/// canned responses.
pub async fn seed_reference_data(store: &Store, config: &DemoConfig) -> Result<(), StoreError> {
    store.upsert_agents(&agents()).await?;
    store.set_me(ME).await?;
    let all: Vec<_> = customers(config).collect();
    for chunk in all.chunks(BATCH * 4) {
        store.upsert_customers(chunk).await?;
    }
    store.replace_sla_policies(&sla_policies()).await?;
    store.replace_canned_responses(&canned_responses()).await?;
    Ok(())
}

/// Creates (or adds to) the cache at `cache`, with attachment bytes under
/// `attachments`. Returns the number of ticket, message and attachment rows.
pub async fn seed_cache(
    cache: &Path,
    attachments: &Path,
    config: &DemoConfig,
) -> Result<u64, StoreError> {
    let store = Store::open(cache).await?.store;
    seed_reference_data(&store, config).await?;
    let files = AttachmentFiles::new(attachments);
    let mut rows = 0;
    let mut all = threads(config).peekable();
    while all.peek().is_some() {
        let batch: Vec<_> = all.by_ref().take(BATCH).collect();
        for attachment in batch.iter().flat_map(|t| &t.attachments) {
            files.put(&attachment_content(attachment))?;
        }
        rows += store.upsert_threads(&batch).await?;
    }
    store.close().await;
    Ok(rows)
}
