//! The shift lead's breach board: every cached ticket the team must act on
//! now or within the hour, and where they pile up (per agent, per channel).
//! Pure: built from the watcher's reports at one instant.

use serde::Serialize;
use shiftdesk_domain::{
    AgentId, Channel, Plan, Priority, SlaMetric, SlaReport, SlaState, TicketNumber, Timestamp,
};
use shiftdesk_store::SlaTicket;
use ts_rs::TS;

/// How far ahead the board forecasts breaches.
pub const FORECAST_MINUTES: i64 = 60;

/// One ticket on the board, by its most urgent running metric.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct BoardRow {
    pub ticket: TicketNumber,
    pub subject: String,
    pub assignee: Option<AgentId>,
    pub channel: Channel,
    pub priority: Priority,
    pub plan: Plan,
    pub metric: SlaMetric,
    pub state: SlaState,
    #[ts(type = "number | null")]
    pub due_at: Option<Timestamp>,
}

/// How many tickets are breached, in warning, and forecast to breach.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
pub struct BoardCounts {
    pub breached: u32,
    pub warning: u32,
    pub forecast: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AgentCounts {
    /// `None`: tickets nobody is assigned to.
    pub agent: Option<AgentId>,
    pub name: Option<String>,
    pub counts: BoardCounts,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ChannelCounts {
    pub channel: Channel,
    pub counts: BoardCounts,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct BreachBoard {
    #[ts(type = "number")]
    pub at: Timestamp,
    /// Most overdue first.
    pub breached: Vec<BoardRow>,
    /// Soonest due first.
    pub warning: Vec<BoardRow>,
    /// Running fine now, due within [`FORECAST_MINUTES`]; soonest first.
    pub forecast: Vec<BoardRow>,
    /// Agents with something on the board, most breaches first.
    pub by_agent: Vec<AgentCounts>,
    pub by_channel: Vec<ChannelCounts>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Breached,
    Warning,
    Forecast,
}

/// The board at `now` from each ticket's report at `now`.
/// Agents' names are left for the caller to fill in.
pub fn breach_board<'a>(
    reports: impl IntoIterator<Item = (&'a SlaTicket, SlaReport)>,
    now: Timestamp,
) -> BreachBoard {
    let horizon = now.plus_minutes(FORECAST_MINUTES);
    let mut board = BreachBoard {
        at: now,
        breached: Vec::new(),
        warning: Vec::new(),
        forecast: Vec::new(),
        by_agent: Vec::new(),
        by_channel: Vec::new(),
    };
    for (ticket, report) in reports {
        let Some((column, metric)) = placement(&report, horizon) else {
            continue;
        };
        let m = report.metric(metric);
        let row = BoardRow {
            ticket: ticket.number,
            subject: ticket.subject.clone(),
            assignee: ticket.assignee,
            channel: ticket.channel,
            priority: ticket.priority,
            plan: ticket.plan,
            metric,
            state: m.state,
            due_at: m.due_at,
        };
        let agent = match board.by_agent.iter().position(|a| a.agent == row.assignee) {
            Some(i) => i,
            None => {
                board.by_agent.push(AgentCounts {
                    agent: row.assignee,
                    name: None,
                    counts: BoardCounts::default(),
                });
                board.by_agent.len() - 1
            }
        };
        let channel = match board
            .by_channel
            .iter()
            .position(|c| c.channel == row.channel)
        {
            Some(i) => i,
            None => {
                board.by_channel.push(ChannelCounts {
                    channel: row.channel,
                    counts: BoardCounts::default(),
                });
                board.by_channel.len() - 1
            }
        };
        for counts in [
            &mut board.by_agent[agent].counts,
            &mut board.by_channel[channel].counts,
        ] {
            match column {
                Column::Breached => counts.breached += 1,
                Column::Warning => counts.warning += 1,
                Column::Forecast => counts.forecast += 1,
            }
        }
        match column {
            Column::Breached => board.breached.push(row),
            Column::Warning => board.warning.push(row),
            Column::Forecast => board.forecast.push(row),
        }
    }
    // Unknown due times (a calendar that never gets there) sort last.
    let by_due = |r: &BoardRow| (r.due_at.map_or(i64::MAX, |d| d.0), r.ticket.0);
    board.breached.sort_by_key(by_due);
    board.warning.sort_by_key(by_due);
    board.forecast.sort_by_key(by_due);
    let weight = |c: &BoardCounts| (c.breached, c.warning, c.forecast);
    board.by_agent.sort_by(|a, b| {
        weight(&b.counts)
            .cmp(&weight(&a.counts))
            .then(a.name.cmp(&b.name))
    });
    board.by_channel.sort_by(|a, b| {
        weight(&b.counts)
            .cmp(&weight(&a.counts))
            .then(a.channel.cmp(&b.channel))
    });
    board
}

/// Where a ticket goes: its worst running metric (breached, then warning,
/// then due before `horizon`), the earliest due among equals.
fn placement(report: &SlaReport, horizon: Timestamp) -> Option<(Column, SlaMetric)> {
    SlaMetric::ALL
        .iter()
        .filter_map(|&metric| {
            let m = report.metric(metric);
            if !m.running {
                return None;
            }
            let column = match m.state {
                SlaState::Breached => Column::Breached,
                SlaState::Warning => Column::Warning,
                SlaState::Ok if m.due_at.is_some_and(|d| d <= horizon) => Column::Forecast,
                _ => return None,
            };
            let rank = match column {
                Column::Breached => 0,
                Column::Warning => 1,
                Column::Forecast => 2,
            };
            Some((rank, m.due_at.map_or(i64::MAX, |d| d.0), column, metric))
        })
        .min_by_key(|&(rank, due, _, _)| (rank, due))
        .map(|(_, _, column, metric)| (column, metric))
}
