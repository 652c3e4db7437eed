//! Tauri commands: parse, call the cache or the server, map the answer. No
//! SQL, no rules.

use shiftdesk_domain::{MessageId, TicketNumber};
use shiftdesk_store::{
    ConversationMessage, QueueFilter, QueuePage, QueueRequest, SearchHit, SearchQuery, ViewCounts,
};
use tauri::State;

use crate::cache::{Cache, StartupReport};
use crate::error::{parse, AppError};
use crate::server_link::{ServerLink, ServerStatus};

#[tauri::command]
pub async fn startup_report(cache: State<'_, Cache>) -> Result<StartupReport, AppError> {
    cache.startup_report().await
}

/// How many tickets each view holds, narrowed by `filter` when given.
#[tauri::command]
pub async fn queue_counts(
    cache: State<'_, Cache>,
    filter: Option<serde_json::Value>,
) -> Result<ViewCounts, AppError> {
    let filter: Option<QueueFilter> = parse(filter.unwrap_or_default())?;
    Ok(cache
        .store()?
        .view_counts(filter.as_ref(), shiftdesk_engine::now())
        .await?)
}

#[tauri::command]
pub async fn queue_page(
    cache: State<'_, Cache>,
    request: Option<serde_json::Value>,
) -> Result<QueuePage, AppError> {
    let request: QueueRequest = parse(request.unwrap_or_default())?;
    Ok(cache
        .store()?
        .queue_page(&request, shiftdesk_engine::now())
        .await?)
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

/// The agent has seen `ticket` up to `message` (the newest one shown).
#[tauri::command]
pub async fn mark_ticket_read(
    cache: State<'_, Cache>,
    ticket: serde_json::Value,
    message: serde_json::Value,
) -> Result<(), AppError> {
    let ticket: TicketNumber = parse(ticket)?;
    let message: MessageId = parse(message)?;
    Ok(cache.store()?.mark_read(ticket, message).await?)
}

/// The best `limit` tickets for the words in `query`, from the cache.
#[tauri::command]
pub async fn search_tickets(
    cache: State<'_, Cache>,
    query: serde_json::Value,
    limit: serde_json::Value,
) -> Result<Vec<SearchHit>, AppError> {
    let query = SearchQuery::parse(&parse::<String>(query)?)?;
    let limit: u32 = parse(limit)?;
    Ok(cache.store()?.search(&query, limit).await?)
}

#[tauri::command]
pub async fn server_status(link: State<'_, ServerLink>) -> Result<ServerStatus, AppError> {
    link.status().await
}
