//! The engine parts the window works with, started once the cache is open:
//! the SLA watcher with native notifications (always, also offline) and the
//! sync task (when a server is configured). Started in the background so the
//! window never waits on the network; commands that need them before they
//! are up say so.

use std::sync::Arc;

use serde::Serialize;
use shiftdesk_domain::{Agent, Role, TicketNumber};
use shiftdesk_engine::sla_watch::{SlaWatcher, WatchScope};
use shiftdesk_engine::sync::{SyncHandle, SyncStatus, SyncTiming};
use shiftdesk_store::Store;
use tauri::{AppHandle, Emitter, Manager};
use tokio::sync::OnceCell;
use ts_rs::TS;

use crate::error::AppError;
use crate::notifications::DesktopNotifier;
use crate::preferences::{self, DeskLanguage};
use crate::server_link::ServerLink;

/// The event that asks the window to show a ticket (a notification was
/// clicked); its payload is the ticket number.
pub const OPEN_TICKET_EVENT: &str = "open-ticket";
/// The event that tells the window which tickets' SLA state changed.
pub const SLA_CHANGED_EVENT: &str = "sla-changed";
/// The event that carries each new sync status (connection, outbox).
pub const SYNC_CHANGED_EVENT: &str = "sync-changed";
/// The event that tells the window which tickets the cache changed (sync,
/// the agent's own changes), so what it shows never goes stale.
pub const TICKETS_CHANGED_EVENT: &str = "tickets-changed";

/// Who is signed in on this desk, as the window needs to know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DeskAgent {
    pub agent: Agent,
    /// A lead sees the team's breach board.
    pub lead: bool,
}

#[derive(Debug)]
struct Running {
    agent: Agent,
    watcher: SlaWatcher,
    sync: Option<SyncHandle>,
}

/// The running engine parts once started, or why they could not start.
#[derive(Debug, Default)]
pub struct Desk(OnceCell<Result<Running, AppError>>);

impl Desk {
    fn running(&self) -> Result<&Running, AppError> {
        match self.0.get() {
            Some(started) => started.as_ref().map_err(Clone::clone),
            None => Err(AppError {
                code: "desk.starting".into(),
                message: "Shiftdesk is still reading the cache; try again in a moment".into(),
            }),
        }
    }

    pub fn watcher(&self) -> Result<&SlaWatcher, AppError> {
        Ok(&self.running()?.watcher)
    }

    pub fn agent(&self) -> Result<DeskAgent, AppError> {
        let agent = self.running()?.agent.clone();
        Ok(DeskAgent {
            lead: agent.role == Role::Lead,
            agent,
        })
    }

    /// How sync is doing, when there is a server.
    pub fn sync_status(&self) -> Option<SyncStatus> {
        let sync = self.running().ok()?.sync.as_ref()?;
        let status = sync.status().borrow().clone();
        Some(status)
    }

    /// Sync now, when there is a server: the agent queued something.
    pub fn kick_sync(&self) {
        if let Ok(running) = self.running() {
            if let Some(sync) = &running.sync {
                sync.kick();
            }
        }
    }
}

/// Starts the watcher and sync for the agent the cache belongs to (or, on a
/// fresh cache, the one the server says the token is for); commands answer
/// with why when they could not start.
pub async fn start(app: AppHandle, store: Store) {
    let started = launch(&app, store).await;
    if let Err(e) = &started {
        tracing::error!(code = %e.code, "{}", e.message);
    }
    if app.state::<Desk>().0.set(started).is_err() {
        tracing::error!("the desk was started twice");
    }
}

async fn launch(app: &AppHandle, store: Store) -> Result<Running, AppError> {
    let link = app.state::<ServerLink>();
    let agent = whose(&store, &link).await?.ok_or_else(|| AppError {
        code: "desk.no_agent".into(),
        message: "this cache names no agent and no server is configured: start Shiftdesk \
                  with a server once, so it knows whose tickets to watch"
            .into(),
    })?;
    let scope = WatchScope {
        me: agent.id,
        lead: agent.role == Role::Lead,
    };
    let language = app.state::<DeskLanguage>();
    match preferences::saved(&store).await {
        Ok(saved) => language.follow(&saved),
        // Notifications in the desktop's language are better than none.
        Err(e) => tracing::warn!(error = %e, "the saved language is unreadable"),
    }
    let opener = app.clone();
    let notifier = DesktopNotifier::new(
        Arc::new(move |ticket| open_ticket(&opener, ticket)),
        language.subscribe(),
    );
    let watcher = SlaWatcher::start(store.clone(), scope, Arc::new(notifier)).await?;
    let mut updates = watcher.updates();
    let emitter = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            match updates.recv().await {
                Ok(update) => {
                    let _ = emitter.emit(SLA_CHANGED_EVENT, update);
                }
                // Missed some: the window redraws everything on an empty list.
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                    let _ = emitter.emit(
                        SLA_CHANGED_EVENT,
                        shiftdesk_engine::sla_watch::SlaUpdate { tickets: vec![] },
                    );
                }
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
            }
        }
    });
    forward_ticket_changes(app, &store);
    let sync = link
        .client()
        .map(|api| SyncHandle::start(api.clone(), store, agent.id, SyncTiming::default()));
    if let Some(sync) = &sync {
        let mut status = sync.status();
        let emitter = app.clone();
        tauri::async_runtime::spawn(async move {
            while status.changed().await.is_ok() {
                let now = status.borrow_and_update().clone();
                let _ = emitter.emit(SYNC_CHANGED_EVENT, now);
            }
        });
    }
    Ok(Running {
        agent,
        watcher,
        sync,
    })
}

/// Tells the window which tickets each committed write of the cache
/// touched; after a lag, an empty list (read everything again).
fn forward_ticket_changes(app: &AppHandle, store: &Store) {
    let mut changes = store.ticket_changes();
    let emitter = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            let tickets = match changes.recv().await {
                Ok(change) => change.tickets,
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => Vec::new(),
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
            };
            let _ = emitter.emit(TICKETS_CHANGED_EVENT, tickets);
        }
    });
}

/// The cache's own agent; else the server's answer for the token, kept in
/// the cache for the next start.
async fn whose(store: &Store, link: &ServerLink) -> Result<Option<Agent>, AppError> {
    if let Some(me) = store.me().await? {
        if let Some(agent) = store.agent(me).await? {
            return Ok(Some(agent));
        }
    }
    let Some(api) = link.client() else {
        return Ok(None);
    };
    let agent = api.me().await.map_err(|e| AppError {
        code: "server.unanswered".into(),
        message: format!("could not ask the server who this token belongs to: {e}"),
    })?;
    store.upsert_agents(std::slice::from_ref(&agent)).await?;
    store.set_me(agent.id).await?;
    Ok(Some(agent))
}

/// Brings the window to the front on `ticket`.
fn open_ticket(app: &AppHandle, ticket: TicketNumber) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
    if let Err(e) = app.emit(OPEN_TICKET_EVENT, ticket) {
        tracing::warn!(error = %e, "could not ask the window to open a ticket");
    }
}
