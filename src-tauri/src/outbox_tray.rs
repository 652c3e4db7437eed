//! The outbox tray and the connection indicator: what waits to be sent,
//! what needs the agent, and how sync is doing.

use shiftdesk_engine::outbox::{self, OutboxItem, Resolution};
use shiftdesk_engine::sync::SyncStatus;
use tauri::State;

use crate::cache::Cache;
use crate::desk::Desk;
use crate::error::{parse, AppError};

#[tauri::command]
pub async fn outbox_items(cache: State<'_, Cache>) -> Result<Vec<OutboxItem>, AppError> {
    Ok(outbox::items(cache.store()?).await?)
}

/// Sends again, edits or discards an entry that failed or waits for the agent.
#[tauri::command]
pub async fn resolve_outbox_entry(
    cache: State<'_, Cache>,
    desk: State<'_, Desk>,
    id: serde_json::Value,
    resolution: serde_json::Value,
) -> Result<(), AppError> {
    let id: String = parse(id)?;
    let resolution: Resolution = parse(resolution)?;
    let me = desk.agent()?.agent.id;
    outbox::resolve(cache.store()?, me, &id, resolution, shiftdesk_engine::now()).await?;
    desk.kick_sync();
    Ok(())
}

/// How sync is doing; `null` when no server is configured.
#[tauri::command]
pub async fn sync_status(desk: State<'_, Desk>) -> Result<Option<SyncStatus>, AppError> {
    Ok(desk.sync_status())
}
