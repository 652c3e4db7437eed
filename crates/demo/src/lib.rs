//! Deterministic, seeded demo data for Shiftdesk: the support team, the SLA
//! policy table, canned responses, customers, and ticket threads in Russian
//! and English on every channel, with the bytes of their attachments.
//!
//! Everything is a function of [`DemoConfig`]: the same config gives the
//! same data on every run and machine. Customers and threads stream from
//! iterators, so a 100k-ticket desk is never held in memory at once.

mod attachments;
#[cfg(feature = "cache")]
mod cache;
mod content;
mod customers;
mod facts;
mod names;
mod random;
mod reference;
mod threads;
mod walk_in;

#[cfg(test)]
mod tests;

use shiftdesk_domain::{Customer, Thread, Timestamp};

pub use attachments::attachment_content;
#[cfg(feature = "cache")]
pub use cache::{seed_cache, seed_reference_data};
pub use reference::{agent_login, agents, canned_responses, sla_policies, ME};
pub use walk_in::{follow_up, walk_in, WalkIn};

/// A fixed present for the desks tests generate: a weekday morning in
/// Moscow (Tuesday 24 November 2026, 09:00). Generated at it, a test's desk
/// is the same on whatever day the test runs.
pub const FIXED_NOW: Timestamp = Timestamp(1_795_500_000_000);

/// What demo desk to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoConfig {
    /// Every random choice follows from this.
    pub seed: u64,
    /// How many tickets (threads) to generate.
    pub tickets: usize,
    /// The present: tickets were created over the 21 days before it, and
    /// no message is later.
    pub now: Timestamp,
}

/// The platform's services and their release stage.
pub fn services() -> Vec<shiftdesk_domain::Service> {
    content::SERVICES
        .iter()
        .map(|s| shiftdesk_domain::Service {
            name: s.name.to_owned(),
            stage: s.stage,
        })
        .collect()
}

/// The desk's customers, ids 1 to [`customer_count`].
pub fn customers(cfg: &DemoConfig) -> impl Iterator<Item = Customer> {
    customers::customers(*cfg)
}

/// How many customers the desk has: about one per three tickets, at least one.
pub fn customer_count(cfg: &DemoConfig) -> usize {
    (cfg.tickets / 3).max(1)
}

/// Exactly `cfg.tickets` threads, numbered from #10001 in creation order.
/// Message and attachment ids run from 1 across the whole desk.
pub fn threads(cfg: &DemoConfig) -> impl Iterator<Item = Thread> {
    threads::ThreadGen::new(*cfg)
}
