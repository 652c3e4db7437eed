//! The cache's change feed: after each committed write, which tickets it
//! touched, so the SLA watcher wakes when they change instead of polling.

use shiftdesk_domain::TicketNumber;
use tokio::sync::broadcast;

use crate::Store;

/// How many writes a receiver may fall behind before it is told it lagged.
pub(crate) const CAPACITY: usize = 64;

/// What one committed write changed in the cache.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TicketChange {
    /// Tickets whose row or messages were written or evicted, ascending,
    /// each once.
    pub tickets: Vec<TicketNumber>,
    /// The SLA policies were written: any ticket's deadlines may have moved.
    pub sla_policies: bool,
}

impl Store {
    /// Every change committed from now on, in commit order. A receiver more
    /// than 64 writes behind gets `RecvError::Lagged`: it missed some, and
    /// should read every ticket again.
    pub fn ticket_changes(&self) -> broadcast::Receiver<TicketChange> {
        self.changes.subscribe()
    }

    /// Tells the receivers what a committed write touched; a write that
    /// touched no ticket and no policy says nothing.
    pub(crate) fn announce(&self, mut tickets: Vec<TicketNumber>, sla_policies: bool) {
        tickets.sort_unstable();
        tickets.dedup();
        if tickets.is_empty() && !sla_policies {
            return;
        }
        // Sending fails only when nobody listens, and then nobody needs it.
        let _ = self.changes.send(TicketChange {
            tickets,
            sla_policies,
        });
    }
}
