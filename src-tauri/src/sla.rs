//! SLA commands: the lead's breach board, a ticket's clocks, notification
//! settings, which ticket is on screen, and giving a ticket to someone else.

use shiftdesk_domain::{Agent, AgentId, SlaReport, TicketNumber};
use shiftdesk_engine::outbox::{self, OutboxError};
use shiftdesk_engine::sla_watch::{AlertSettings, BreachBoard};
use shiftdesk_protocol::Mutation;
use tauri::State;

use crate::desk::DeskAgent;
use crate::error::{parse, AppError};
use crate::session::Session;

#[tauri::command]
pub async fn desk_agent(session: State<'_, Session>) -> Result<DeskAgent, AppError> {
    let signed = session.signed_in()?;
    signed.desk.agent()
}

#[tauri::command]
pub async fn breach_board(session: State<'_, Session>) -> Result<BreachBoard, AppError> {
    let signed = session.signed_in()?;
    signed
        .desk
        .watcher()?
        .board()
        .await?
        .ok_or_else(AppError::watcher_stopped)
}

#[tauri::command]
pub async fn ticket_sla(
    session: State<'_, Session>,
    ticket: serde_json::Value,
) -> Result<Option<SlaReport>, AppError> {
    let signed = session.signed_in()?;
    let ticket: TicketNumber = parse(ticket)?;
    Ok(signed.desk.watcher()?.report(ticket).await)
}

#[tauri::command]
pub async fn alert_settings(session: State<'_, Session>) -> Result<AlertSettings, AppError> {
    let signed = session.signed_in()?;
    Ok(signed.desk.watcher()?.settings().await?)
}

#[tauri::command]
pub async fn set_alert_settings(
    session: State<'_, Session>,
    settings: serde_json::Value,
) -> Result<(), AppError> {
    let signed = session.signed_in()?;
    let settings: AlertSettings = parse(settings)?;
    Ok(signed.desk.watcher()?.set_settings(settings).await?)
}

/// The ticket the agent has on screen (`null`: none), for "quiet while open".
#[tauri::command]
pub async fn ticket_on_screen(
    session: State<'_, Session>,
    ticket: serde_json::Value,
) -> Result<(), AppError> {
    let signed = session.signed_in()?;
    let ticket: Option<TicketNumber> = parse(ticket)?;
    signed.desk.watcher()?.set_open_ticket(ticket).await;
    Ok(())
}

#[tauri::command]
pub async fn team_agents(session: State<'_, Session>) -> Result<Vec<Agent>, AppError> {
    let signed = session.signed_in()?;
    Ok(signed.cache.store()?.agents().await?)
}

/// Gives `ticket` to `assignee` (`null`: nobody) through the outbox, like
/// any other change: done in the cache at once, sent when the server answers.
#[tauri::command]
pub async fn reassign(
    session: State<'_, Session>,
    ticket: serde_json::Value,
    assignee: serde_json::Value,
) -> Result<(), AppError> {
    let signed = session.signed_in()?;
    let ticket: TicketNumber = parse(ticket)?;
    let assignee: Option<AgentId> = parse(assignee)?;
    let me = signed.desk.agent()?.agent.id;
    outbox::queue(
        signed.cache.store()?,
        me,
        ticket,
        Mutation::Assign { assignee },
        None,
        shiftdesk_engine::now(),
    )
    .await?;
    signed.desk.kick_sync();
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
