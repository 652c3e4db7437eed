//! The SLA watcher: a task that keeps every cached ticket's next SLA
//! transition in a deadline queue and wakes only when one is due or the
//! cache changes, never to scan all tickets on a timer. It raises alerts
//! once per ticket, metric, level and clock run (remembered in the cache,
//! so also not again after a restart), groups bursts, hands them to the
//! [`Notifier`], and tells the UI which tickets' SLA state changed. On the
//! same wakes it reminds the agent of the callbacks they promised, once
//! each, [`CALLBACK_LEAD_MINUTES`] before they are due.

mod board;
mod notice;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use shiftdesk_domain::sla::{evaluate, CompiledPolicy};
use shiftdesk_domain::{
    AgentId, AlertLevel, Plan, Priority, SlaPolicy, SlaReport, SlaState, TicketNumber, Timestamp,
};
use shiftdesk_store::{SlaTicket, Store, StoreError};
use tokio::sync::{broadcast, mpsc, oneshot};
use tokio::time::Instant;

pub use board::{
    breach_board, AgentCounts, BoardCounts, BoardRow, BreachBoard, ChannelCounts, FORECAST_MINUTES,
};
pub use notice::{notices, AlertSettings, Notice, Notifier, PromisedCallback, RaisedAlert, BURST};

/// Where the settings live in the cache's preferences.
pub const SETTINGS_KEY: &str = "sla_alerts";

/// Alerts that come due this close together make one batch, so a burst is
/// one summary and not a stack of notifications.
const GATHER: Duration = Duration::from_millis(300);

/// The longest sleep. The wall clock may jump (the laptop slept, the clock
/// was set); after at most this long the watcher looks again.
const MAX_NAP: Duration = Duration::from_secs(60);

/// How long to wait before recording alerts again after the cache failed.
const RETRY: Duration = Duration::from_secs(5);

/// How long before a promised callback the agent is reminded of it: time
/// to finish the reply at hand and open the ticket before dialling.
pub const CALLBACK_LEAD_MINUTES: i64 = 5;

/// Whose alerts the watcher raises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WatchScope {
    pub me: AgentId,
    /// A lead also hears of the team's breaches, as one summary.
    pub lead: bool,
}

/// Which tickets' SLA state changed, for the UI to redraw.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct SlaUpdate {
    pub tickets: Vec<TicketNumber>,
}

#[derive(Debug)]
enum Command {
    OpenTicket(Option<TicketNumber>),
    Settings(AlertSettings),
    Board(oneshot::Sender<BreachBoard>),
    Report(TicketNumber, oneshot::Sender<Option<SlaReport>>),
}

/// The app's hold on the watcher; the task ends when this is dropped.
#[derive(Debug)]
pub struct SlaWatcher {
    commands: mpsc::Sender<Command>,
    updates: broadcast::Sender<SlaUpdate>,
    store: Store,
}

impl SlaWatcher {
    /// Starts watching `store`'s tickets for `scope`, telling `notifier`.
    pub async fn start(
        store: Store,
        scope: WatchScope,
        notifier: Arc<dyn Notifier>,
    ) -> Result<Self, StoreError> {
        let settings = store.preference(SETTINGS_KEY).await?.unwrap_or_default();
        let (commands, receiver) = mpsc::channel(16);
        let (updates, _) = broadcast::channel(64);
        let mut task = Task {
            store: store.clone(),
            scope,
            notifier,
            settings,
            open_ticket: None,
            synced_policies: Vec::new(),
            policies: Vec::new(),
            watched: HashMap::new(),
            deadlines: BTreeSet::new(),
            gathered: Vec::new(),
            next_reminder: None,
            updates: updates.clone(),
        };
        let changes = store.ticket_changes();
        task.reload(None, true, crate::now()).await?;
        task.remind(crate::now()).await;
        tokio::spawn(task.run(receiver, changes));
        Ok(Self {
            commands,
            updates,
            store,
        })
    }

    /// Which tickets' SLA state changed since; lagging receivers should
    /// redraw everything.
    pub fn updates(&self) -> broadcast::Receiver<SlaUpdate> {
        self.updates.subscribe()
    }

    /// The ticket the agent has on screen, for "quiet while open".
    pub async fn set_open_ticket(&self, ticket: Option<TicketNumber>) {
        let _ = self.commands.send(Command::OpenTicket(ticket)).await;
    }

    pub async fn settings(&self) -> Result<AlertSettings, StoreError> {
        Ok(self
            .store
            .preference(SETTINGS_KEY)
            .await?
            .unwrap_or_default())
    }

    /// Keeps `settings` in the cache and applies them from now on.
    pub async fn set_settings(&self, settings: AlertSettings) -> Result<(), StoreError> {
        self.store.set_preference(SETTINGS_KEY, &settings).await?;
        let _ = self.commands.send(Command::Settings(settings)).await;
        Ok(())
    }

    /// The breach board now, with the agents' names; `None` once the task
    /// has stopped.
    pub async fn board(&self) -> Result<Option<BreachBoard>, StoreError> {
        let (tx, rx) = oneshot::channel();
        if self.commands.send(Command::Board(tx)).await.is_err() {
            return Ok(None);
        }
        let Ok(mut board) = rx.await else {
            return Ok(None);
        };
        for row in &mut board.by_agent {
            if let Some(id) = row.agent {
                row.name = self.store.agent(id).await?.map(|a| a.name);
            }
        }
        Ok(Some(board))
    }

    /// One ticket's SLA now; `None` when it is not cached.
    pub async fn report(&self, ticket: TicketNumber) -> Option<SlaReport> {
        let (tx, rx) = oneshot::channel();
        self.commands.send(Command::Report(ticket, tx)).await.ok()?;
        rx.await.ok().flatten()
    }
}

/// A cached ticket with its policy and where its SLA stood last.
struct Watched {
    ticket: SlaTicket,
    policy: Option<usize>,
    states: [SlaState; 3],
    next_change: Option<Timestamp>,
}

struct Task {
    store: Store,
    scope: WatchScope,
    notifier: Arc<dyn Notifier>,
    settings: AlertSettings,
    open_ticket: Option<TicketNumber>,
    /// The policies as synced, to tell when they change.
    synced_policies: Vec<SlaPolicy>,
    policies: Vec<(Plan, Priority, CompiledPolicy)>,
    watched: HashMap<TicketNumber, Watched>,
    /// Every watched ticket's next transition.
    deadlines: BTreeSet<(Timestamp, TicketNumber)>,
    /// Fresh alerts waiting for the rest of their burst.
    gathered: Vec<RaisedAlert>,
    /// When the next promised callback is to be reminded of.
    next_reminder: Option<Timestamp>,
    updates: broadcast::Sender<SlaUpdate>,
}

impl Task {
    async fn run(
        mut self,
        mut commands: mpsc::Receiver<Command>,
        mut changes: broadcast::Receiver<shiftdesk_store::TicketChange>,
    ) {
        let mut flush_at: Option<Instant> = None;
        loop {
            if !self.gathered.is_empty() && flush_at.is_none() {
                flush_at = Some(Instant::now() + GATHER);
            }
            let wake = self.next_wake();
            tokio::select! {
                () = tokio::time::sleep_until(wake) => {
                    self.tick(crate::now());
                    self.remind(crate::now()).await;
                }
                () = sleep_until_some(flush_at) => {
                    flush_at = match self.flush(crate::now()).await {
                        Ok(()) => None,
                        Err(e) => {
                            tracing::warn!(error = %e, "could not record SLA alerts; trying again");
                            Some(Instant::now() + RETRY)
                        }
                    };
                }
                change = changes.recv() => {
                    let (only, policies) = match change {
                        Ok(change) => (Some(change.tickets), change.sla_policies),
                        // Missed some changes: read everything again.
                        Err(broadcast::error::RecvError::Lagged(_)) => (None, true),
                        Err(broadcast::error::RecvError::Closed) => return,
                    };
                    if let Err(e) = self.reload(only.as_deref(), policies, crate::now()).await {
                        tracing::warn!(error = %e, "the SLA watcher could not read the cache");
                    }
                    // A call log written or settled may promise a callback.
                    self.remind(crate::now()).await;
                }
                command = commands.recv() => match command {
                    None => return, // the handle is gone
                    Some(command) => self.handle(command),
                },
            }
        }
    }

    fn handle(&mut self, command: Command) {
        let now = crate::now();
        match command {
            Command::OpenTicket(ticket) => self.open_ticket = ticket,
            Command::Settings(settings) => self.settings = settings,
            Command::Board(reply) => {
                let reports = self
                    .watched
                    .values()
                    .filter_map(|w| Some((&w.ticket, self.evaluate(w, now)?)));
                let _ = reply.send(breach_board(reports, now));
            }
            Command::Report(ticket, reply) => {
                let report = self
                    .watched
                    .get(&ticket)
                    .and_then(|w| self.evaluate(w, now));
                let _ = reply.send(report);
            }
        }
    }

    /// When to look again: the earliest deadline or callback reminder,
    /// but never later than [`MAX_NAP`] from now.
    fn next_wake(&self) -> Instant {
        let deadline = self.deadlines.first().map(|&(at, _)| at);
        let next = deadline.into_iter().chain(self.next_reminder).min();
        let nap = next.map_or(MAX_NAP, |at| {
            let ms = at.0.saturating_sub(crate::now().0).max(0);
            Duration::from_millis(u64::try_from(ms).unwrap_or(0)).min(MAX_NAP)
        });
        Instant::now() + nap
    }

    /// Re-evaluates the tickets whose deadline has come.
    fn tick(&mut self, now: Timestamp) {
        let due: Vec<TicketNumber> = self
            .deadlines
            .iter()
            .take_while(|&&(at, _)| at <= now)
            .map(|&(_, ticket)| ticket)
            .collect();
        let changed: Vec<TicketNumber> =
            due.into_iter().filter(|&t| self.refresh(t, now)).collect();
        self.announce(changed);
    }

    /// Reads `only` these tickets (or all), and the policies when they may
    /// have changed, from the cache.
    async fn reload(
        &mut self,
        only: Option<&[TicketNumber]>,
        policies: bool,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let policies_changed = policies && self.set_policies(self.store.sla_policies().await?);
        let tickets = self.store.sla_tickets(only).await?;
        let mut changed = Vec::new();
        let mut seen = Vec::with_capacity(tickets.len());
        for ticket in tickets {
            seen.push(ticket.number);
            changed.push(ticket.number);
            self.put(ticket);
        }
        // Asked for but not returned: evicted. A full reload drops all
        // tickets it did not see.
        seen.sort_unstable();
        let unseen = |t: &&TicketNumber| seen.binary_search(t).is_err();
        let gone: Vec<TicketNumber> = match only {
            Some(asked) => asked.iter().filter(unseen).copied().collect(),
            None => self.watched.keys().filter(unseen).copied().collect(),
        };
        for ticket in gone {
            self.forget(ticket);
            changed.push(ticket);
        }
        if policies_changed {
            changed = self.watched.keys().copied().collect();
        }
        let changed: Vec<TicketNumber> = changed
            .into_iter()
            .filter(|&t| self.refresh(t, now) || !self.watched.contains_key(&t))
            .collect();
        self.announce(changed);
        Ok(())
    }

    /// Compiles the policies; true when they differ from the ones in use.
    fn set_policies(&mut self, policies: Vec<SlaPolicy>) -> bool {
        if policies == self.synced_policies {
            return false;
        }
        let compiled: Vec<(Plan, Priority, CompiledPolicy)> = policies
            .iter()
            .filter_map(|p| match p.compile() {
                Ok(c) => Some((p.plan, p.priority, c)),
                Err(e) => {
                    tracing::error!(policy = p.id, error = %e, "an SLA policy cannot be used");
                    None
                }
            })
            .collect();
        self.synced_policies = policies;
        self.policies = compiled;
        for w in self.watched.values_mut() {
            w.policy = policy_index(&self.policies, &w.ticket);
        }
        true
    }

    fn put(&mut self, ticket: SlaTicket) {
        let number = ticket.number;
        let policy = policy_index(&self.policies, &ticket);
        match self.watched.get_mut(&number) {
            Some(w) => {
                w.ticket = ticket;
                w.policy = policy;
            }
            None => {
                self.watched.insert(
                    number,
                    Watched {
                        ticket,
                        policy,
                        states: [SlaState::NoSla; 3],
                        next_change: None,
                    },
                );
            }
        }
    }

    fn forget(&mut self, ticket: TicketNumber) {
        if let Some(w) = self.watched.remove(&ticket) {
            if let Some(at) = w.next_change {
                self.deadlines.remove(&(at, ticket));
            }
        }
    }

    fn evaluate(&self, w: &Watched, now: Timestamp) -> Option<SlaReport> {
        let (_, _, policy) = self.policies.get(w.policy?)?;
        Some(evaluate(&w.ticket.facts, policy, now))
    }

    /// Evaluates one ticket at `now`: reschedules its deadline and gathers
    /// the alerts it raises for this agent. True when a state changed.
    fn refresh(&mut self, ticket: TicketNumber, now: Timestamp) -> bool {
        let Some(w) = self.watched.get(&ticket) else {
            return false;
        };
        let report = self.evaluate(w, now);
        let states = report.map_or([SlaState::NoSla; 3], |r| {
            [
                r.first_response.state,
                r.next_response.state,
                r.resolution.state,
            ]
        });
        let next_change = report.and_then(|r| r.next_change_at);
        let alerts = report.map(|r| r.alerts()).unwrap_or_default();
        let mine = w.ticket.assignee == Some(self.scope.me);
        let raised: Vec<RaisedAlert> = alerts
            .into_iter()
            // A lead hears of the team's breaches; warnings are the
            // assignee's to act on.
            .filter(|a| mine || (self.scope.lead && a.level == AlertLevel::Breached))
            .map(|alert| RaisedAlert {
                ticket,
                subject: w.ticket.subject.clone(),
                assignee: w.ticket.assignee,
                channel: w.ticket.channel,
                alert,
            })
            .collect();
        let previous = (w.states, w.next_change);
        self.gathered.extend(raised);
        if let Some(at) = previous.1 {
            self.deadlines.remove(&(at, ticket));
        }
        if let Some(at) = next_change {
            self.deadlines.insert((at, ticket));
        }
        if let Some(w) = self.watched.get_mut(&ticket) {
            w.states = states;
            w.next_change = next_change;
        }
        previous.0 != states
    }

    fn announce(&self, tickets: Vec<TicketNumber>) {
        if !tickets.is_empty() {
            // Nobody listening is fine: the UI asks again when it opens.
            let _ = self.updates.send(SlaUpdate { tickets });
        }
    }

    /// Records the gathered alerts and tells the agent of the fresh ones
    /// they want. Unrecorded alerts stay gathered: telling of them before
    /// they are recorded could repeat them after a restart.
    async fn flush(&mut self, now: Timestamp) -> Result<(), StoreError> {
        // A ticket read again within one gathering (a sync right after the
        // start) raises its alerts again: keep each once.
        let mut seen = HashSet::new();
        self.gathered.retain(|r| {
            let a = r.alert;
            seen.insert((r.ticket, a.metric, a.level, a.clock_started_at))
        });
        let keys: Vec<_> = self.gathered.iter().map(|r| (r.ticket, r.alert)).collect();
        let fresh = self.store.record_alerts(&keys, now).await?;
        let gathered = std::mem::take(&mut self.gathered);
        let (mut mine, mut team) = (Vec::new(), Vec::new());
        for raised in gathered {
            if !fresh.contains(&(raised.ticket, raised.alert))
                || !self.settings.wants(raised.alert.level)
                || (self.settings.quiet_while_open && self.open_ticket == Some(raised.ticket))
            {
                continue;
            }
            if raised.assignee == Some(self.scope.me) {
                mine.push(raised);
            } else {
                team.push(raised);
            }
        }
        for notice in notices(mine, team, self.settings.sound) {
            self.notifier.notify(notice);
        }
        Ok(())
    }

    /// Reminds the agent of the callbacks they promised that come due
    /// within [`CALLBACK_LEAD_MINUTES`], each once, and notes when the next
    /// one does. Not quiet while its ticket is open: a promise is kept at a
    /// time, which an open ticket does not show. When the cache fails, the
    /// next wake (at most [`MAX_NAP`] on) tries again.
    async fn remind(&mut self, now: Timestamp) {
        if let Err(e) = self.try_remind(now).await {
            self.next_reminder = None;
            tracing::warn!(error = %e, "could not raise callback reminders; trying again");
        }
    }

    async fn try_remind(&mut self, now: Timestamp) -> Result<(), StoreError> {
        let by = now.plus_minutes(CALLBACK_LEAD_MINUTES);
        let callbacks = self.store.callbacks_due(self.scope.me, by).await?;
        self.next_reminder = callbacks
            .next_at
            .map(|at| at.plus_minutes(-CALLBACK_LEAD_MINUTES));
        if callbacks.due.is_empty() {
            return Ok(());
        }
        let keys: Vec<_> = callbacks.due.iter().map(|c| (c.ticket, c.at)).collect();
        // Recorded before told, as alerts are: never told twice.
        let fresh = self.store.record_reminders(&keys, now).await?;
        for callback in callbacks.due {
            if fresh.contains(&(callback.ticket, callback.at)) {
                self.notifier.notify(Notice::Callback {
                    callback,
                    sound: self.settings.sound,
                });
            }
        }
        Ok(())
    }
}

fn policy_index(
    policies: &[(Plan, Priority, CompiledPolicy)],
    ticket: &SlaTicket,
) -> Option<usize> {
    policies
        .iter()
        .position(|(plan, priority, _)| *plan == ticket.plan && *priority == ticket.priority)
}

async fn sleep_until_some(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

#[cfg(test)]
mod tests;
