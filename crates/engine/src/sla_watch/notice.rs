//! What the agent is told of fresh SLA alerts and of promised callbacks
//! coming due: the [`Notifier`] port the desktop shell implements, and how
//! alerts become notices (one each, or one summary for a burst).

use serde::{Deserialize, Serialize};
use shiftdesk_domain::{AgentId, AlertLevel, Channel, SlaAlert, TicketNumber};
pub use shiftdesk_store::PromisedCallback;
use ts_rs::TS;

/// From this many alerts at once (tickets crossing together, or catching
/// up after the laptop slept) the agent gets one summary instead of a stack.
pub const BURST: usize = 3;

/// The agent's notification settings on this machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AlertSettings {
    /// Notify when less than the warning margin is left.
    pub warning: bool,
    /// Notify when a target is missed.
    pub breached: bool,
    /// Ask the desktop to play its notification sound.
    pub sound: bool,
    /// Stay quiet about the ticket the agent has open on screen.
    pub quiet_while_open: bool,
}

impl Default for AlertSettings {
    fn default() -> Self {
        Self {
            warning: true,
            breached: true,
            sound: true,
            quiet_while_open: true,
        }
    }
}

impl AlertSettings {
    pub const fn wants(&self, level: AlertLevel) -> bool {
        match level {
            AlertLevel::Warning => self.warning,
            AlertLevel::Breached => self.breached,
        }
    }
}

/// A fresh alert with what a notification says about its ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RaisedAlert {
    pub ticket: TicketNumber,
    pub subject: String,
    pub assignee: Option<AgentId>,
    pub channel: Channel,
    pub alert: SlaAlert,
}

/// One notification to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// Fresh SLA alerts.
    Sla {
        /// One alert: a notification about that ticket; several: a summary.
        alerts: Vec<RaisedAlert>,
        /// Alerts on the team's tickets, for a lead, not the agent's own.
        team: bool,
        sound: bool,
    },
    /// A callback the agent promised comes due.
    Callback {
        callback: PromisedCallback,
        sound: bool,
    },
}

/// Shows notices to the agent: native notifications in the desktop shell.
/// Called from the watcher's task; must not block for long.
pub trait Notifier: Send + Sync + 'static {
    fn notify(&self, notice: Notice);
}

/// The agent's own alerts one notice each, or one summary from [`BURST`]
/// on; the team's alerts (a lead's) always in one summary. A ticket's
/// metric at one level is told once per notice even when two runs of its
/// clock crossed together (a reopen, a sync that rewrote the history):
/// the agent reads the same line twice as a mistake.
pub fn notices(mine: Vec<RaisedAlert>, team: Vec<RaisedAlert>, sound: bool) -> Vec<Notice> {
    let (mine, team) = (once_each(mine), once_each(team));
    let mut out = Vec::new();
    if mine.len() >= BURST {
        out.push(Notice::Sla {
            alerts: mine,
            team: false,
            sound,
        });
    } else {
        out.extend(mine.into_iter().map(|alert| Notice::Sla {
            alerts: vec![alert],
            team: false,
            sound,
        }));
    }
    if !team.is_empty() {
        out.push(Notice::Sla {
            alerts: team,
            team: true,
            sound,
        });
    }
    out
}

fn once_each(mut alerts: Vec<RaisedAlert>) -> Vec<RaisedAlert> {
    let mut told = std::collections::HashSet::new();
    alerts.retain(|a| told.insert((a.ticket, a.alert.metric, a.alert.level)));
    alerts
}

#[cfg(test)]
mod tests {
    use shiftdesk_domain::{SlaMetric, Timestamp};

    use super::*;

    fn raised(n: i64) -> RaisedAlert {
        RaisedAlert {
            ticket: TicketNumber(n),
            subject: format!("ticket {n}"),
            assignee: Some(AgentId(1)),
            channel: Channel::Email,
            alert: SlaAlert {
                metric: SlaMetric::FirstResponse,
                level: AlertLevel::Breached,
                clock_started_at: Timestamp(0),
                due_at: Some(Timestamp(60_000)),
            },
        }
    }

    /// Each SLA notice's alerts, and whether they are the team's.
    fn sla(notices: &[Notice]) -> Vec<(&[RaisedAlert], bool)> {
        notices
            .iter()
            .filter_map(|n| match n {
                Notice::Sla { alerts, team, .. } => Some((alerts.as_slice(), *team)),
                Notice::Callback { .. } => None,
            })
            .collect()
    }

    fn shape(notices: &[Notice]) -> Vec<(usize, bool)> {
        sla(notices)
            .into_iter()
            .map(|(alerts, team)| (alerts.len(), team))
            .collect()
    }

    #[test]
    fn a_few_alerts_come_one_by_one_and_a_burst_as_one_summary() {
        assert_eq!(shape(&notices(vec![], vec![], true)), vec![]);
        let two = vec![raised(1), raised(2)];
        assert_eq!(
            shape(&notices(two, vec![], true)),
            vec![(1, false), (1, false)]
        );
        let burst: Vec<_> = (1..=BURST as i64).map(raised).collect();
        let grouped = notices(burst.clone(), vec![], false);
        assert_eq!(shape(&grouped), vec![(BURST, false)]);
        assert_eq!(
            grouped[0],
            Notice::Sla {
                alerts: burst,
                team: false,
                sound: false
            }
        );
    }

    #[test]
    fn two_runs_of_one_clock_crossing_together_are_told_once() {
        let mut earlier = raised(7);
        earlier.alert.clock_started_at = Timestamp(-3_600_000);
        let alerts = vec![raised(1), raised(7), earlier, raised(2), raised(3)];
        let told = notices(alerts, vec![], true);
        let tickets: Vec<i64> = sla(&told)[0].0.iter().map(|a| a.ticket.0).collect();
        assert_eq!(tickets, [1, 7, 2, 3]);
    }

    #[test]
    fn the_team_s_alerts_always_come_as_one_summary() {
        let notices = notices(vec![raised(1)], vec![raised(7)], true);
        assert_eq!(shape(&notices), vec![(1, false), (1, true)]);
    }

    #[test]
    fn settings_choose_the_levels() {
        let quiet_warnings = AlertSettings {
            warning: false,
            ..AlertSettings::default()
        };
        assert!(!quiet_warnings.wants(AlertLevel::Warning));
        assert!(quiet_warnings.wants(AlertLevel::Breached));
    }
}
