//! Which SLA alerts a ticket's report raises: a running metric in warning
//! or breached. One clock run (its start instant) raises each level at most
//! once; remembering which were raised is the caller's job.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::clock::{SlaReport, SlaState};
use super::SlaMetric;
use crate::Timestamp;

code_enum! {
    /// How loud an SLA alert is.
    pub enum AlertLevel {
        /// Less than the warning margin is left.
        Warning => "warning",
        /// The target is used up and the customer still waits.
        Breached => "breached",
    }
}

/// One alert a ticket's metric raises at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub struct SlaAlert {
    pub metric: SlaMetric,
    pub level: AlertLevel,
    /// The clock run it belongs to: a new run (the customer wrote again, the
    /// ticket reopened) may alert again.
    #[ts(type = "number")]
    pub clock_started_at: Timestamp,
    #[ts(type = "number | null")]
    pub due_at: Option<Timestamp>,
}

impl SlaReport {
    /// The alerts of every metric whose clock runs in warning or breached.
    /// A metric found already breached raises only the breach: its warning
    /// would come too late to help.
    pub fn alerts(&self) -> Vec<SlaAlert> {
        SlaMetric::ALL
            .iter()
            .filter_map(|&metric| {
                let report = self.metric(metric);
                let level = match report.state {
                    SlaState::Warning => AlertLevel::Warning,
                    SlaState::Breached => AlertLevel::Breached,
                    _ => return None,
                };
                Some(SlaAlert {
                    metric,
                    level,
                    clock_started_at: report.started_at?,
                    due_at: report.due_at,
                })
                .filter(|_| report.running)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sla::{evaluate, SlaEvent, SlaEventKind, SlaFacts};
    use crate::{
        Plan, Priority, ServiceStage, SlaCalendar, SlaPolicy, SlaTargets, TicketStatus,
        WarningThreshold,
    };

    const T0: Timestamp = Timestamp(1_774_828_800_000);

    /// An hour to respond, ten to resolve; warning ten minutes before.
    fn report_at(events: &[(i64, SlaEventKind)], minute: i64) -> SlaReport {
        let policy = SlaPolicy {
            id: 1,
            plan: Plan::Standard,
            priority: Priority::High,
            targets: SlaTargets {
                first_response_min: 60,
                next_response_min: 60,
                resolution_min: 600,
            },
            warning: WarningThreshold::MinutesLeft { minutes: 10 },
            calendar: SlaCalendar::AlwaysOn,
        }
        .compile()
        .unwrap();
        let facts = SlaFacts {
            stage: ServiceStage::GeneralAvailability,
            created_at: T0,
            events: events
                .iter()
                .map(|&(m, kind)| SlaEvent {
                    at: T0.plus_minutes(m),
                    kind,
                })
                .collect(),
        };
        evaluate(&facts, &policy, T0.plus_minutes(minute))
    }

    fn alerts_at(events: &[(i64, SlaEventKind)], minute: i64) -> Vec<(SlaMetric, AlertLevel)> {
        report_at(events, minute)
            .alerts()
            .into_iter()
            .map(|a| (a.metric, a.level))
            .collect()
    }

    #[test]
    fn running_metrics_in_warning_or_breached_alert() {
        use AlertLevel::{Breached, Warning};
        use SlaMetric::{FirstResponse, NextResponse, Resolution};
        assert_eq!(alerts_at(&[], 30), vec![]);
        assert_eq!(alerts_at(&[], 55), vec![(FirstResponse, Warning)]);
        assert_eq!(alerts_at(&[], 70), vec![(FirstResponse, Breached)]);
        assert_eq!(
            alerts_at(&[], 595),
            vec![(FirstResponse, Breached), (Resolution, Warning)]
        );
        // Answered late: breached, but nobody waits on it any more.
        assert_eq!(alerts_at(&[(70, SlaEventKind::Responded)], 80), vec![]);
        // Waiting on the customer: no alert while paused.
        let pending = SlaEventKind::StatusChanged(TicketStatus::Pending);
        assert_eq!(alerts_at(&[(20, pending)], 300), vec![]);
        // The customer wrote after the answer: next response alerts.
        let wrote = [
            (5, SlaEventKind::Responded),
            (10, SlaEventKind::CustomerWrote),
        ];
        assert_eq!(alerts_at(&wrote, 75), vec![(NextResponse, Breached)]);
    }

    #[test]
    fn an_alert_names_its_clock_run() {
        let wrote = [
            (5, SlaEventKind::Responded),
            (10, SlaEventKind::CustomerWrote),
        ];
        assert_eq!(
            report_at(&wrote, 71).alerts(),
            vec![SlaAlert {
                metric: SlaMetric::NextResponse,
                level: AlertLevel::Breached,
                clock_started_at: T0.plus_minutes(10),
                due_at: Some(T0.plus_minutes(70)),
            }]
        );
    }
}
