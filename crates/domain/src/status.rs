//! The ticket status lifecycle as an explicit state machine.
//!
//! ```text
//! new ──► open ◄──► pending ◄──► on_hold        (open/pending/on_hold/reopened
//!   │      │           │            │             move freely among themselves)
//!   └──────┴───────────┴────────────┴──► solved ──► closed (final)
//!                                          │
//!                                          └──► reopened
//! ```

use serde::{Deserialize, Serialize};
use ts_rs::TS;

code_enum! {
    pub enum TicketStatus {
        /// Arrived, nobody has touched it yet.
        New => "new",
        /// Support is working on it.
        Open => "open",
        /// Waiting on the customer; SLA clocks pause.
        Pending => "pending",
        /// Waiting on a third party or another team; SLA clocks pause.
        OnHold => "on_hold",
        /// Support considers it done; the customer may still write back.
        Solved => "solved",
        /// Final. A customer who writes again gets a new ticket.
        Closed => "closed",
        /// Solved, then the customer wrote back; resolution restarts.
        Reopened => "reopened",
    }
}

/// A status change the lifecycle does not allow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum StatusError {
    #[error("a ticket cannot move from {from} to {to}")]
    IllegalTransition {
        from: TicketStatus,
        to: TicketStatus,
    },
    #[error("the ticket is already {status}")]
    Unchanged { status: TicketStatus },
}

impl StatusError {
    /// Stable code across IPC and HTTP.
    pub const fn code(&self) -> &'static str {
        match self {
            StatusError::IllegalTransition { .. } => "status.illegal_transition",
            StatusError::Unchanged { .. } => "status.unchanged",
        }
    }
}

impl TicketStatus {
    /// Whether the lifecycle allows moving from `self` to `to`.
    pub const fn can_become(self, to: TicketStatus) -> bool {
        use TicketStatus::*;
        match (self, to) {
            (New, Open | Pending | OnHold | Solved) => true,
            (Open | Pending | OnHold | Reopened, Open | Pending | OnHold | Solved) => !matches!(
                (self, to),
                (Open, Open) | (Pending, Pending) | (OnHold, OnHold)
            ),
            (Solved, Closed | Reopened) => true,
            _ => false,
        }
    }

    /// The status after moving to `to`, or why that move is refused.
    pub fn transition(self, to: TicketStatus) -> Result<TicketStatus, StatusError> {
        if self == to {
            Err(StatusError::Unchanged { status: self })
        } else if self.can_become(to) {
            Ok(to)
        } else {
            Err(StatusError::IllegalTransition { from: self, to })
        }
    }

    /// Still needs support's work: shown in "my open tickets".
    pub const fn is_active(self) -> bool {
        matches!(
            self,
            TicketStatus::New | TicketStatus::Open | TicketStatus::Reopened
        )
    }

    /// The status after the customer writes: a ticket waiting on them is
    /// worked again, a solved one reopens. `None` when the ticket is closed
    /// and the customer must open a new one.
    pub const fn after_customer_writes(self) -> Option<TicketStatus> {
        match self {
            TicketStatus::Pending => Some(TicketStatus::Open),
            TicketStatus::Solved => Some(TicketStatus::Reopened),
            TicketStatus::Closed => None,
            other => Some(other),
        }
    }

    /// SLA clocks do not run while the ticket waits on someone else.
    pub const fn pauses_sla(self) -> bool {
        matches!(self, TicketStatus::Pending | TicketStatus::OnHold)
    }
}

#[cfg(test)]
mod tests {
    use super::TicketStatus::{self, *};
    use super::*;

    #[rstest::rstest]
    #[case(New, Some(New))]
    #[case(Open, Some(Open))]
    #[case(Pending, Some(Open))]
    #[case(OnHold, Some(OnHold))]
    #[case(Solved, Some(Reopened))]
    #[case(Reopened, Some(Reopened))]
    #[case(Closed, None)]
    fn a_customer_writing_moves_the_ticket(
        #[case] from: TicketStatus,
        #[case] to: Option<TicketStatus>,
    ) {
        assert_eq!(from.after_customer_writes(), to);
        if let Some(to) = to.filter(|&to| to != from) {
            assert!(from.can_become(to), "{from} → {to} must be a legal move");
        }
    }
    use rstest::rstest;

    /// Every allowed move, written out by hand so the table is the spec.
    const ALLOWED: &[(TicketStatus, TicketStatus)] = &[
        (New, Open),
        (New, Pending),
        (New, OnHold),
        (New, Solved),
        (Open, Pending),
        (Open, OnHold),
        (Open, Solved),
        (Pending, Open),
        (Pending, OnHold),
        (Pending, Solved),
        (OnHold, Open),
        (OnHold, Pending),
        (OnHold, Solved),
        (Solved, Closed),
        (Solved, Reopened),
        (Reopened, Open),
        (Reopened, Pending),
        (Reopened, OnHold),
        (Reopened, Solved),
    ];

    #[test]
    fn every_pair_is_allowed_only_if_listed() {
        let mut refused = 0;
        for &from in TicketStatus::ALL {
            for &to in TicketStatus::ALL {
                let listed = ALLOWED.contains(&(from, to));
                match from.transition(to) {
                    Ok(next) => {
                        assert!(listed, "{from} -> {to} was allowed but is not in the table");
                        assert_eq!(next, to);
                    }
                    Err(err) => {
                        assert!(!listed, "{from} -> {to} is in the table but was refused");
                        refused += 1;
                        if from == to {
                            assert_eq!(err, StatusError::Unchanged { status: from });
                        } else {
                            assert_eq!(err, StatusError::IllegalTransition { from, to });
                        }
                    }
                }
            }
        }
        assert_eq!(refused, 49 - ALLOWED.len());
    }

    #[rstest]
    #[case(Closed, Open)]
    #[case(Closed, Reopened)]
    #[case(Solved, Open)]
    #[case(Open, New)]
    #[case(Reopened, Reopened)]
    #[case(New, Reopened)]
    #[case(Pending, Closed)]
    fn refusals_say_what_and_why(#[case] from: TicketStatus, #[case] to: TicketStatus) {
        let err = from.transition(to).unwrap_err();
        assert!(err.code().starts_with("status."));
        assert!(err.to_string().contains(from.code()));
    }

    #[test]
    fn error_serializes_with_its_code() {
        let err = Closed.transition(Open).unwrap_err();
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(json["code"], "illegal_transition");
        assert_eq!(json["from"], "closed");
        assert_eq!(json["to"], "open");
    }

    #[test]
    fn codes_round_trip() {
        for &s in TicketStatus::ALL {
            assert_eq!(s.code().parse::<TicketStatus>().unwrap(), s);
        }
        assert!("frozen".parse::<TicketStatus>().is_err());
    }
}
