//! Tauri commands: parse, call the cache or the server, map the answer. No
//! SQL, no rules.

use shiftdesk_domain::TicketNumber;
use shiftdesk_store::{ConversationMessage, QueuePage, QueueRequest, QueueRow, ViewCounts};
use tauri::State;

use crate::cache::{Cache, StartupReport};
use crate::error::{parse, AppError};
use crate::server_link::{ServerLink, ServerStatus};

#[tauri::command]
pub async fn startup_report(cache: State<'_, Cache>) -> Result<StartupReport, AppError> {
    cache.startup_report().await
}

#[tauri::command]
pub async fn queue_counts(cache: State<'_, Cache>) -> Result<ViewCounts, AppError> {
    Ok(cache.store()?.view_counts().await?)
}

#[tauri::command]
pub async fn queue_page(
    cache: State<'_, Cache>,
    request: Option<serde_json::Value>,
) -> Result<QueuePage, AppError> {
    let request: QueueRequest = parse(request.unwrap_or_default())?;
    Ok(cache.store()?.queue_page(&request).await?)
}

/// One ticket as the queue shows it; `null` when it is not cached.
#[tauri::command]
pub async fn ticket_row(
    cache: State<'_, Cache>,
    ticket: serde_json::Value,
) -> Result<Option<QueueRow>, AppError> {
    let ticket: TicketNumber = parse(ticket)?;
    Ok(cache.store()?.queue_row(ticket).await?)
}

/// A ticket's messages, oldest first.
#[tauri::command]
pub async fn ticket_conversation(
    cache: State<'_, Cache>,
    ticket: serde_json::Value,
) -> Result<Vec<ConversationMessage>, AppError> {
    let ticket: TicketNumber = parse(ticket)?;
    Ok(cache.store()?.conversation(ticket).await?)
}

#[tauri::command]
pub async fn server_status(link: State<'_, ServerLink>) -> Result<ServerStatus, AppError> {
    link.status().await
}
