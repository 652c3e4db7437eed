//! SLA commands: the lead's breach board, a ticket's clocks, notification
//! settings, which ticket is on screen, and giving a ticket to someone else.

use shiftdesk_domain::{Agent, AgentId, SlaReport, TicketNumber};
use shiftdesk_engine::outbox::{self, OutboxError};
use shiftdesk_engine::sla_watch::{AlertSettings, BreachBoard};
use shiftdesk_protocol::Mutation;
use tauri::State;

use crate::cache::Cache;
use crate::desk::{Desk, DeskAgent};
use crate::error::{parse, AppError};

#[tauri::command]
pub async fn desk_agent(desk: State<'_, Desk>) -> Result<DeskAgent, AppError> {
    desk.agent()
}

#[tauri::command]
pub async fn breach_board(desk: State<'_, Desk>) -> Result<BreachBoard, AppError> {
    desk.watcher()?
        .board()
        .await?
        .ok_or_else(AppError::watcher_stopped)
}

#[tauri::command]
pub async fn ticket_sla(
    desk: State<'_, Desk>,
    ticket: serde_json::Value,
) -> Result<Option<SlaReport>, AppError> {
    let ticket: TicketNumber = parse(ticket)?;
    Ok(desk.watcher()?.report(ticket).await)
}

#[tauri::command]
pub async fn alert_settings(desk: State<'_, Desk>) -> Result<AlertSettings, AppError> {
    Ok(desk.watcher()?.settings().await?)
}

#[tauri::command]
pub async fn set_alert_settings(
    desk: State<'_, Desk>,
    settings: serde_json::Value,
) -> Result<(), AppError> {
    let settings: AlertSettings = parse(settings)?;
    Ok(desk.watcher()?.set_settings(settings).await?)
}

/// The ticket the agent has on screen (`null`: none), for "quiet while open".
#[tauri::command]
pub async fn ticket_on_screen(
    desk: State<'_, Desk>,
    ticket: serde_json::Value,
) -> Result<(), AppError> {
    let ticket: Option<TicketNumber> = parse(ticket)?;
    desk.watcher()?.set_open_ticket(ticket).await;
    Ok(())
}

#[tauri::command]
pub async fn team_agents(cache: State<'_, Cache>) -> Result<Vec<Agent>, AppError> {
    Ok(cache.store()?.agents().await?)
}

/// Gives `ticket` to `assignee` (`null`: nobody) through the outbox, like
/// any other change: done in the cache at once, sent when the server answers.
#[tauri::command]
pub async fn reassign(
    cache: State<'_, Cache>,
    desk: State<'_, Desk>,
    ticket: serde_json::Value,
    assignee: serde_json::Value,
) -> Result<(), AppError> {
    let ticket: TicketNumber = parse(ticket)?;
    let assignee: Option<AgentId> = parse(assignee)?;
    let me = desk.agent()?.agent.id;
    outbox::queue(
        cache.store()?,
        me,
        ticket,
        Mutation::Assign { assignee },
        None,
        shiftdesk_engine::now(),
    )
    .await?;
    desk.kick_sync();
    Ok(())
}

impl AppError {
    fn watcher_stopped() -> Self {
        Self {
            code: "sla.watcher_stopped".into(),
            message: "the SLA watcher stopped; restart Shiftdesk".into(),
        }
    }
}

impl From<OutboxError> for AppError {
    fn from(e: OutboxError) -> Self {
        Self {
            code: e.code().to_owned(),
            message: e.to_string(),
        }
    }
}
