//! Composer commands: the ticket card, the reply preview, canned responses,
//! drafts, and queueing what the agent wrote or changed.

use shiftdesk_domain::{MessageId, TicketNumber};
use shiftdesk_engine::compose::{self, ComposePreview, FilledCanned};
use shiftdesk_engine::outbox;
use shiftdesk_protocol::Mutation;
use shiftdesk_store::{Draft, Store, TicketCard};
use tauri::State;

use crate::cache::Cache;
use crate::desk::Desk;
use crate::error::{parse, AppError};

/// The ticket with its customer; `null` when it is not cached.
#[tauri::command]
pub async fn ticket_card(
    cache: State<'_, Cache>,
    ticket: serde_json::Value,
) -> Result<Option<TicketCard>, AppError> {
    let ticket: TicketNumber = parse(ticket)?;
    Ok(cache.store()?.ticket_card(ticket).await?)
}

/// What `mutation` would look like and whether it would be refused;
/// `seen` is the newest message the agent had seen when they began.
#[tauri::command]
pub async fn compose_preview(
    cache: State<'_, Cache>,
    desk: State<'_, Desk>,
    ticket: serde_json::Value,
    mutation: serde_json::Value,
    seen: Option<serde_json::Value>,
) -> Result<ComposePreview, AppError> {
    let ticket: TicketNumber = parse(ticket)?;
    let mutation: Mutation = parse(mutation)?;
    let seen: Option<MessageId> = parse(seen.unwrap_or_default())?;
    let me = desk.agent()?.agent.id;
    let now = shiftdesk_engine::now();
    compose::preview_on(cache.store()?, me, ticket, &mutation, seen, now)
        .await?
        .ok_or_else(|| not_cached(ticket))
}

#[tauri::command]
pub async fn canned_responses(
    cache: State<'_, Cache>,
    ticket: serde_json::Value,
) -> Result<Vec<FilledCanned>, AppError> {
    let ticket: TicketNumber = parse(ticket)?;
    let store = cache.store()?;
    let card = card_of(store, ticket).await?;
    Ok(compose::canned_for(store, &card).await?)
}

#[tauri::command]
pub async fn ticket_draft(
    cache: State<'_, Cache>,
    ticket: serde_json::Value,
) -> Result<Option<Draft>, AppError> {
    let ticket: TicketNumber = parse(ticket)?;
    Ok(cache.store()?.draft(ticket).await?)
}

#[tauri::command]
pub async fn save_draft(cache: State<'_, Cache>, draft: serde_json::Value) -> Result<(), AppError> {
    let draft: Draft = parse(draft)?;
    Ok(cache.store()?.save_draft(&draft).await?)
}

#[tauri::command]
pub async fn clear_draft(
    cache: State<'_, Cache>,
    ticket: serde_json::Value,
) -> Result<(), AppError> {
    let ticket: TicketNumber = parse(ticket)?;
    Ok(cache.store()?.clear_draft(ticket).await?)
}

/// Queues `mutation` on `ticket`: done in the cache at once (a message
/// shown as queued, its draft gone), sent when the server answers. `seen`
/// is the newest message the agent had seen when they began writing.
#[tauri::command]
pub async fn queue_change(
    cache: State<'_, Cache>,
    desk: State<'_, Desk>,
    ticket: serde_json::Value,
    mutation: serde_json::Value,
    seen: Option<serde_json::Value>,
) -> Result<(), AppError> {
    let ticket: TicketNumber = parse(ticket)?;
    let mutation: Mutation = parse(mutation)?;
    let seen: Option<MessageId> = parse(seen.unwrap_or_default())?;
    let me = desk.agent()?.agent.id;
    outbox::queue(
        cache.store()?,
        me,
        ticket,
        mutation,
        seen,
        shiftdesk_engine::now(),
    )
    .await?;
    desk.kick_sync();
    Ok(())
}

async fn card_of(store: &Store, ticket: TicketNumber) -> Result<TicketCard, AppError> {
    store
        .ticket_card(ticket)
        .await?
        .ok_or_else(|| not_cached(ticket))
}

fn not_cached(ticket: TicketNumber) -> AppError {
    AppError {
        code: "ticket.not_cached".into(),
        message: format!("ticket {ticket} is not in the cache"),
    }
}
