//! The engine parts the window works with, started once the cache is open:
//! the SLA watcher with native notifications (always, also offline) and the
//! sync task. Started in the background so the
//! window never waits on the network; commands that need them before they
//! are up say so.

use std::sync::Arc;

use serde::Serialize;
use shiftdesk_domain::{Agent, AgentId, Role, TicketNumber};
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
use crate::session::{self, SignedIn};

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
    sync: SyncHandle,
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

    /// How sync is doing, once started.
    pub fn sync_status(&self) -> Option<SyncStatus> {
        let status = self.running().ok()?.sync.status().borrow().clone();
        Some(status)
    }

    /// Sync now: the agent queued something.
    pub fn kick_sync(&self) {
        if let Ok(running) = self.running() {
            running.sync.kick();
        }
    }
}

/// Starts the watcher and sync for the signed-in account on its cache;
/// commands answer with why when they could not start.
pub async fn start(app: AppHandle, signed: Arc<SignedIn>, store: Store) {
    let started = launch(&app, &signed, store).await;
    if let Err(e) = &started {
        tracing::error!(code = %e.code, "{}", e.message);
    }
    if signed.desk.0.set(started).is_err() {
        tracing::error!("the desk was started twice");
    }
}

async fn launch(app: &AppHandle, signed: &SignedIn, store: Store) -> Result<Running, AppError> {
    let link = &signed.link;
    let agent = whose(&store, signed.account.agent, link).await?;
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
    let sync = SyncHandle::start(
        link.client().clone(),
        store,
        agent.id,
        SyncTiming::default(),
    );
    let mut status = sync.status();
    let emitter = app.clone();
    tauri::async_runtime::spawn(async move {
        while status.changed().await.is_ok() {
            let now = status.borrow_and_update().clone();
            let refused = now.token_refused;
            let _ = emitter.emit(SYNC_CHANGED_EVENT, now);
            if let Some(code) = refused {
                // The session ends: this loop with it.
                session::token_refused(&emitter, code).await;
                return;
            }
        }
    });
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

/// The account's agent as the cache knows them; else as the server
/// answers for the token, kept in the cache for the next start.
async fn whose(store: &Store, account: AgentId, link: &ServerLink) -> Result<Agent, AppError> {
    if store.me().await? == Some(account) {
        if let Some(agent) = store.agent(account).await? {
            return Ok(agent);
        }
    }
    let agent = link.client().me().await.map_err(|e| AppError {
        code: "server.unanswered".into(),
        message: format!("could not ask the server who this token belongs to: {e}"),
    })?;
    if agent.id != account {
        return Err(AppError {
            code: "account.cache_mismatch".into(),
            message: format!(
                "the server says this token is {}'s, not the signed-in account's",
                agent.name
            ),
        });
    }
    store.upsert_agents(std::slice::from_ref(&agent)).await?;
    store.set_me(agent.id).await?;
    Ok(agent)
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
