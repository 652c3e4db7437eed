//! Tauri commands: parse, call the cache or the server, map the answer. No
//! SQL, no rules.

use shiftdesk_domain::{MessageId, TicketNumber};
use shiftdesk_store::{
    ConversationMessage, QueueFilter, QueuePage, QueueRequest, SearchHit, SearchQuery, ViewCounts,
};
use tauri::State;

use crate::cache::StartupReport;
use crate::error::{parse, AppError};
use crate::server_link::ServerStatus;
use crate::session::Session;

#[tauri::command]
pub async fn startup_report(session: State<'_, Session>) -> Result<StartupReport, AppError> {
    let signed = session.signed_in()?;
    signed.cache.startup_report().await
}

/// How many tickets each view holds, narrowed by `filter` when given.
#[tauri::command]
pub async fn queue_counts(
    session: State<'_, Session>,
    filter: Option<serde_json::Value>,
) -> Result<ViewCounts, AppError> {
    let signed = session.signed_in()?;
    let filter: Option<QueueFilter> = parse(filter.unwrap_or_default())?;
    Ok(signed
        .cache
        .store()?
        .view_counts(filter.as_ref(), shiftdesk_engine::now())
        .await?)
}

#[tauri::command]
pub async fn queue_page(
    session: State<'_, Session>,
    request: Option<serde_json::Value>,
) -> Result<QueuePage, AppError> {
    let signed = session.signed_in()?;
    let request: QueueRequest = parse(request.unwrap_or_default())?;
    Ok(signed
        .cache
        .store()?
        .queue_page(&request, shiftdesk_engine::now())
        .await?)
}

/// A ticket's messages, oldest first.
#[tauri::command]
pub async fn ticket_conversation(
    session: State<'_, Session>,
    ticket: serde_json::Value,
) -> Result<Vec<ConversationMessage>, AppError> {
    let signed = session.signed_in()?;
    let ticket: TicketNumber = parse(ticket)?;
    Ok(signed.cache.store()?.conversation(ticket).await?)
}

/// The agent has seen `ticket` up to `message` (the newest one shown).
#[tauri::command]
pub async fn mark_ticket_read(
    session: State<'_, Session>,
    ticket: serde_json::Value,
    message: serde_json::Value,
) -> Result<(), AppError> {
    let signed = session.signed_in()?;
    let ticket: TicketNumber = parse(ticket)?;
    let message: MessageId = parse(message)?;
    Ok(signed.cache.store()?.mark_read(ticket, message).await?)
}

/// The best `limit` tickets for the words in `query`, from the cache.
#[tauri::command]
pub async fn search_tickets(
    session: State<'_, Session>,
    query: serde_json::Value,
    limit: serde_json::Value,
) -> Result<Vec<SearchHit>, AppError> {
    let signed = session.signed_in()?;
    let query = SearchQuery::parse(&parse::<String>(query)?)?;
    let limit: u32 = parse(limit)?;
    Ok(signed.cache.store()?.search(&query, limit).await?)
}

#[tauri::command]
pub async fn server_status(session: State<'_, Session>) -> Result<ServerStatus, AppError> {
    let signed = session.signed_in()?;
    Ok(signed.link.status().await)
}
