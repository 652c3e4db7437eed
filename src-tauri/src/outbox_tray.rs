//! The outbox tray and the connection indicator: what waits to be sent,
//! what needs the agent, and how sync is doing.

use shiftdesk_engine::outbox::{self, OutboxItem, Resolution};
use shiftdesk_engine::sync::SyncStatus;
use tauri::State;

use crate::error::{parse, AppError};
use crate::session::Session;

#[tauri::command]
pub async fn outbox_items(session: State<'_, Session>) -> Result<Vec<OutboxItem>, AppError> {
    let signed = session.signed_in()?;
    Ok(outbox::items(signed.cache.store()?).await?)
}

/// Sends again, edits or discards an entry that failed or waits for the agent.
#[tauri::command]
pub async fn resolve_outbox_entry(
    session: State<'_, Session>,
    id: serde_json::Value,
    resolution: serde_json::Value,
) -> Result<(), AppError> {
    let signed = session.signed_in()?;
    let id: String = parse(id)?;
    let resolution: Resolution = parse(resolution)?;
    let me = signed.desk.agent()?.agent.id;
    outbox::resolve(
        signed.cache.store()?,
        me,
        &id,
        resolution,
        shiftdesk_engine::now(),
    )
    .await?;
    signed.desk.kick_sync();
    Ok(())
}

/// How sync is doing; `null` when no server is configured.
#[tauri::command]
pub async fn sync_status(session: State<'_, Session>) -> Result<Option<SyncStatus>, AppError> {
    let signed = session.signed_in()?;
    Ok(signed.desk.sync_status())
}
