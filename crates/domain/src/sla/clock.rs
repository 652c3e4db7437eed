//! Evaluation of a ticket's SLA metrics at an instant, from the facts that
//! move the clocks (messages and status changes). Pure: `now` is an argument.
//!
//! Rules (DESIGN §2):
//! - Beta services: every metric is `no_sla`.
//! - First response runs from `created_at` to the first response.
//! - Next response: a customer message after a response starts a clock (if
//!   none runs yet) until the next response. Before any such message, the
//!   metric is `fulfilled` with no due time.
//! - Resolution runs from `created_at` until solved or closed; a reopen (a
//!   customer message on a solved ticket, or a status back from solved)
//!   restarts it from that instant with the whole target.
//! - No clock runs while the ticket is pending or on hold; response clocks
//!   also wait while it is solved or closed. A waiting clock is `paused`.
//! - A metric is `breached` once its calendar time is used up (`left_ms` ≤ 0),
//!   also when it was answered or solved late; `warning` while less than the
//!   policy's warning share or minutes is left.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::calendar::{CalendarError, CompiledCalendar};
use super::{SlaMetric, SlaPolicy, SlaTargets, WarningThreshold};
use crate::{Message, MessageKind, ServiceStage, StatusChange, Ticket, TicketStatus, Timestamp};

const MINUTE_MS: i64 = 60_000;

/// What happened to a ticket that moves its SLA clocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlaEventKind {
    /// The customer wrote, or called and nobody answered.
    CustomerWrote,
    /// A public reply on any channel or a logged call with the customer.
    Responded,
    /// The ticket moved to this status.
    StatusChanged(TicketStatus),
}

impl SlaEventKind {
    /// The SLA meaning of a message; `None` for internal notes and system
    /// events, which never move a clock.
    pub const fn from_message(message: &Message) -> Option<Self> {
        Self::from_kind(&message.kind)
    }

    /// The SLA meaning of a message of this kind (what [`from_message`]
    /// decides by), for callers that hold the kind without the message.
    ///
    /// [`from_message`]: Self::from_message
    pub const fn from_kind(kind: &MessageKind) -> Option<Self> {
        if kind.is_response() {
            Some(Self::Responded)
        } else if kind.is_from_customer() {
            Some(Self::CustomerWrote)
        } else {
            None
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlaEvent {
    pub at: Timestamp,
    pub kind: SlaEventKind,
}

/// A ticket's SLA facts. The ticket starts as `new` at `created_at`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlaFacts {
    pub stage: ServiceStage,
    pub created_at: Timestamp,
    /// Need not be sorted; events at the same instant apply in this order.
    pub events: Vec<SlaEvent>,
}

impl SlaFacts {
    /// The facts of `ticket` with its `messages`: what they say for the SLA,
    /// and the ticket's status log.
    pub fn of(ticket: &Ticket, messages: &[Message]) -> Self {
        let events = messages.iter().filter_map(|m| {
            SlaEventKind::from_message(m).map(|kind| SlaEvent {
                at: m.created_at,
                kind,
            })
        });
        Self::new(
            ticket.service.stage,
            ticket.created_at,
            events,
            &ticket.status_log,
        )
    }

    /// The facts from the events of a ticket's messages and its status log,
    /// in time order. At one instant a message goes before a status change:
    /// a customer writing is what moves a waiting ticket.
    pub fn new(
        stage: ServiceStage,
        created_at: Timestamp,
        message_events: impl IntoIterator<Item = SlaEvent>,
        status_log: &[StatusChange],
    ) -> Self {
        let mut events: Vec<SlaEvent> = message_events.into_iter().collect();
        events.extend(status_log.iter().map(|change| SlaEvent {
            at: change.at,
            kind: SlaEventKind::StatusChanged(change.status),
        }));
        // Stable: equal instants keep messages first, each in given order.
        events.sort_by_key(|e| e.at);
        Self {
            stage,
            created_at,
            events,
        }
    }
}

code_enum! {
    /// Where one SLA metric stands.
    pub enum SlaState {
        /// Met in time, or no clock is running for it.
        Fulfilled => "fulfilled",
        /// Running, but waiting while the ticket waits on someone else.
        Paused => "paused",
        /// Running with more than the warning margin left.
        Ok => "ok",
        /// Running with less than the warning margin left.
        Warning => "warning",
        /// The target time is used up (also when met late).
        Breached => "breached",
        /// A Beta service: no SLA.
        NoSla => "no_sla",
    }
}

/// One metric of an [`SlaReport`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MetricReport {
    pub state: SlaState,
    /// When the target is (or was) used up; `None` while paused before that,
    /// when met in time, or when the calendar never gets there.
    #[ts(type = "number | null")]
    pub due_at: Option<Timestamp>,
    /// Calendar time left, in ms (negative: overdue); frozen once met or
    /// while paused; `None` when no clock ever ran.
    #[ts(type = "number | null")]
    pub left_ms: Option<i64>,
    /// When the clock behind this metric last started (the ticket opened or
    /// reopened, the customer wrote again); `None` when none ever started.
    /// One clock run is one chance to warn and to breach.
    #[ts(type = "number | null")]
    pub started_at: Option<Timestamp>,
    /// Whether the clock counts right now: a breached metric that still
    /// runs keeps the customer waiting; one met late or waiting does not.
    pub running: bool,
}

impl MetricReport {
    const NO_SLA: Self = Self {
        state: SlaState::NoSla,
        due_at: None,
        left_ms: None,
        started_at: None,
        running: false,
    };
}

/// Every metric of one ticket at one instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlaReport {
    pub first_response: MetricReport,
    pub next_response: MetricReport,
    pub resolution: MetricReport,
    /// The earliest instant a metric's state changes if nothing else happens
    /// (ok → warning or → breached); always inside the calendar's hours.
    #[ts(type = "number | null")]
    pub next_change_at: Option<Timestamp>,
}

impl SlaReport {
    pub const fn metric(&self, metric: SlaMetric) -> &MetricReport {
        match metric {
            SlaMetric::FirstResponse => &self.first_response,
            SlaMetric::NextResponse => &self.next_response,
            SlaMetric::Resolution => &self.resolution,
        }
    }

    /// The earliest deadline among the metrics whose clock counts now (ok,
    /// warning, or breached and still keeping the customer waiting): what
    /// a ticket shows as its SLA due time. `None` for Beta services, while
    /// every clock waits or is met, and when the calendar never gets there.
    pub fn earliest_running_due(&self) -> Option<Timestamp> {
        [self.first_response, self.next_response, self.resolution]
            .iter()
            .filter(|m| m.running)
            .filter_map(|m| m.due_at)
            .min()
    }
}

/// An [`SlaPolicy`] ready to evaluate many tickets: its calendar is compiled
/// once.
#[derive(Debug, Clone)]
pub struct CompiledPolicy {
    pub targets: SlaTargets,
    pub warning: WarningThreshold,
    pub calendar: CompiledCalendar,
}

impl SlaPolicy {
    pub fn compile(&self) -> Result<CompiledPolicy, CalendarError> {
        Ok(CompiledPolicy {
            targets: self.targets,
            warning: self.warning,
            calendar: self.calendar.compile()?,
        })
    }
}

/// One metric's clock while replaying the events.
#[derive(Debug, Clone, Copy)]
struct Clock {
    phase: Phase,
    target: i64,
    /// Calendar time used in finished runs.
    used: i64,
    /// When the target was used up, once known.
    breached_at: Option<Timestamp>,
    /// When this run of the clock started; `None` while idle.
    started_at: Option<Timestamp>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Never started (only the next-response clock).
    Idle,
    /// Started; running since `Some(instant)`, waiting when `None`.
    Active(Option<Timestamp>),
    /// Met (or solved).
    Done,
}

impl Clock {
    const fn idle(target: i64) -> Self {
        Self {
            phase: Phase::Idle,
            target,
            used: 0,
            breached_at: None,
            started_at: None,
        }
    }

    fn start(at: Timestamp, target: i64, waiting: bool) -> Self {
        Self {
            phase: Phase::Active(if waiting { None } else { Some(at) }),
            target,
            used: 0,
            // A zero target is used up the moment it starts.
            breached_at: (target <= 0).then_some(at),
            started_at: Some(at),
        }
    }

    const fn is_active(&self) -> bool {
        matches!(self.phase, Phase::Active(_))
    }

    fn wait(&mut self, at: Timestamp, cal: &CompiledCalendar) {
        if let Phase::Active(Some(since)) = self.phase {
            let left = self.target - self.used;
            let ran = cal.working_ms_between(since, at);
            if self.breached_at.is_none() && ran >= left {
                self.breached_at = cal.add_working_ms(since, left);
            }
            self.used += ran;
            self.phase = Phase::Active(None);
        }
    }

    fn resume(&mut self, at: Timestamp) {
        if self.phase == Phase::Active(None) {
            self.phase = Phase::Active(Some(at));
        }
    }

    fn stop(&mut self, at: Timestamp, cal: &CompiledCalendar) {
        if self.is_active() {
            self.wait(at, cal);
            self.phase = Phase::Done;
        }
    }

    /// The metric at `now`, and when its state changes next.
    fn report(
        &self,
        now: Timestamp,
        cal: &CompiledCalendar,
        warning: WarningThreshold,
    ) -> (MetricReport, Option<Timestamp>) {
        let left = self.target - self.used;
        let running = matches!(self.phase, Phase::Active(Some(_)));
        let report = |state, due_at, left_ms| MetricReport {
            state,
            due_at,
            left_ms,
            started_at: self.started_at,
            running,
        };
        match self.phase {
            Phase::Idle => (report(SlaState::Fulfilled, None, None), None),
            Phase::Done | Phase::Active(None) => {
                let state = if left <= 0 {
                    SlaState::Breached
                } else if self.phase == Phase::Done {
                    SlaState::Fulfilled
                } else {
                    SlaState::Paused
                };
                (report(state, self.breached_at, Some(left)), None)
            }
            Phase::Active(Some(since)) => {
                let left_now = left - cal.working_ms_between(since, now);
                let due = self.breached_at.or_else(|| cal.add_working_ms(since, left));
                let margin = warning_ms(warning, self.target);
                if left_now <= 0 {
                    (report(SlaState::Breached, due, Some(left_now)), None)
                } else if left_now < margin {
                    (report(SlaState::Warning, due, Some(left_now)), due)
                } else {
                    // Warning starts once less than `margin` is left.
                    let warns = cal.add_working_ms(now, left_now - margin + 1);
                    let next = match (warns, due) {
                        (Some(w), Some(d)) => Some(w.min(d)),
                        (w, d) => w.or(d),
                    };
                    (report(SlaState::Ok, due, Some(left_now)), next)
                }
            }
        }
    }
}

/// The calendar time below which a running metric is in `warning`.
fn warning_ms(warning: WarningThreshold, target: i64) -> i64 {
    match warning {
        WarningThreshold::ShareLeft { percent } => target * i64::from(percent) / 100,
        WarningThreshold::MinutesLeft { minutes } => i64::from(minutes) * MINUTE_MS,
    }
}

const fn is_done(status: TicketStatus) -> bool {
    matches!(status, TicketStatus::Solved | TicketStatus::Closed)
}

/// Every metric of a ticket at `now`. Events after `now` are ignored; events
/// before `created_at` count as at `created_at`.
pub fn evaluate(facts: &SlaFacts, policy: &CompiledPolicy, now: Timestamp) -> SlaReport {
    if facts.stage == ServiceStage::Beta {
        return SlaReport {
            first_response: MetricReport::NO_SLA,
            next_response: MetricReport::NO_SLA,
            resolution: MetricReport::NO_SLA,
            next_change_at: None,
        };
    }
    let cal = &policy.calendar;
    let minutes = |metric| i64::from(policy.targets.minutes(metric)) * MINUTE_MS;
    let created = facts.created_at;
    let mut first = Clock::start(created, minutes(SlaMetric::FirstResponse), false);
    let mut next = Clock::idle(minutes(SlaMetric::NextResponse));
    let mut resolution = Clock::start(created, minutes(SlaMetric::Resolution), false);
    let mut status = TicketStatus::New;
    let mut responded = false;

    // Callers usually pass sorted events; sort a copy only when they did not.
    let mut sorted;
    let mut events: &[SlaEvent] = &facts.events;
    if !events.is_sorted_by_key(|e| e.at) {
        sorted = facts.events.clone();
        sorted.sort_by_key(|e| e.at);
        events = &sorted;
    }
    for event in events.iter().take_while(|e| e.at <= now) {
        let at = event.at.max(created);
        let to = match event.kind {
            SlaEventKind::Responded => {
                first.stop(at, cal);
                next.stop(at, cal);
                responded = true;
                status
            }
            SlaEventKind::CustomerWrote => {
                if responded && !next.is_active() && !is_done(status) {
                    next = Clock::start(at, next.target, status.pauses_sla());
                }
                status.after_customer_writes().unwrap_or(status)
            }
            SlaEventKind::StatusChanged(to) => to,
        };
        if to == status {
            continue;
        }
        let waited = status.pauses_sla() || is_done(status);
        let waits = to.pauses_sla() || is_done(to);
        if is_done(to) && !is_done(status) {
            resolution.stop(at, cal);
        }
        if waits && !waited {
            first.wait(at, cal);
            next.wait(at, cal);
            resolution.wait(at, cal);
        }
        if is_done(status) && !is_done(to) {
            resolution = Clock::start(at, resolution.target, waits);
            // A customer message that reopens a solved ticket asks for an
            // answer like any other.
            if event.kind == SlaEventKind::CustomerWrote && responded && !next.is_active() {
                next = Clock::start(at, next.target, waits);
            }
        }
        if waited && !waits {
            first.resume(at);
            next.resume(at);
            resolution.resume(at);
        }
        status = to;
    }

    let (first_response, a) = first.report(now, cal, policy.warning);
    let (next_response, b) = next.report(now, cal, policy.warning);
    let (resolution, c) = resolution.report(now, cal, policy.warning);
    SlaReport {
        first_response,
        next_response,
        resolution,
        next_change_at: [a, b, c].into_iter().flatten().min(),
    }
}

#[cfg(test)]
mod tests;
