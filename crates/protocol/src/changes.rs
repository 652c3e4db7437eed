//! Pull: what changed in the caller's scope after a cursor, in the order of
//! the server-wide sequence, a page at a time. A client applies a page and
//! saves its `next` cursor in one transaction, so it can stop anywhere.

use serde::{Deserialize, Serialize};
use shiftdesk_domain::{
    Agent, Attachment, CannedResponse, Customer, Message, SlaPolicy, Ticket, TicketNumber,
};
use utoipa::ToSchema;

/// A position in the server-wide sequence of changes. 0 is "from the start".
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    Serialize,
    Deserialize,
    ToSchema,
)]
#[serde(transparent)]
pub struct Seq(pub i64);

/// One change, at its place in the sequence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Change {
    pub seq: Seq,
    #[serde(flatten)]
    pub body: ChangeBody,
}

/// The state of one thing after the change: clients upsert it whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
pub enum ChangeBody {
    Agent(Agent),
    Customer(Customer),
    Ticket(Ticket),
    Message(Message),
    Attachment(Attachment),
    SlaPolicy(SlaPolicy),
    CannedResponse(CannedResponse),
    /// The ticket left the caller's scope (reassigned, or moved to another
    /// team): drop it from the cache, unless unsent work is waiting on it.
    Eviction {
        ticket: TicketNumber,
    },
}

/// One event of the `/v1/events` stream: `event: changes` with the newest
/// sequence number as its data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ChangesEvent {
    #[schema(pattern = "^changes$")]
    pub event: String,
    #[schema(pattern = "^[0-9]+$")]
    pub data: String,
}

/// The most urgent tickets of the caller's scope with everything needed to
/// show them: a first sync applies it before pulling from the start, so the
/// queue is usable while the rest streams in. Carries no cursor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct UrgentTickets {
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ChangePage {
    pub changes: Vec<Change>,
    /// Where the next pull starts. Saved with the page it ends.
    pub next: Seq,
    /// More changes are waiting after `next`.
    pub more: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_is_flat_on_the_wire() {
        let change = Change {
            seq: Seq(42),
            body: ChangeBody::Eviction {
                ticket: TicketNumber(10001),
            },
        };
        let json = serde_json::to_value(&change).unwrap();
        assert_eq!(
            json,
            serde_json::json!({ "seq": 42, "type": "eviction", "data": { "ticket": 10001 } })
        );
        assert_eq!(serde_json::from_value::<Change>(json).unwrap(), change);
    }
}
