//! Messages on a ticket, on every channel the customer writes from, and the
//! files attached to them.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{AgentId, CustomerId, TicketNumber, Timestamp};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct MessageId(#[ts(type = "number")] pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct AttachmentId(#[ts(type = "number")] pub i64);

code_enum! {
    /// Where a customer writes from, all round the clock.
    pub enum Channel { Portal => "portal", Telegram => "telegram", Email => "email", Phone => "phone" }
}

code_enum! {
    pub enum CallDirection { Inbound => "inbound", Outbound => "outbound" }
}

code_enum! {
    pub enum CallOutcome {
        Answered => "answered",
        NoAnswer => "no_answer",
        Busy => "busy",
        Voicemail => "voicemail",
    }
}

/// A phone call with the customer, logged on the ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CallRecord {
    pub direction: CallDirection,
    /// At most a day: anything longer is a mistake in the log.
    #[cfg_attr(feature = "openapi", schema(maximum = 86400))]
    pub duration_secs: u32,
    pub outcome: CallOutcome,
    /// When the agent promised to call the customer back, if they did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub callback_at: Option<Timestamp>,
}

/// A callback time the desk cannot promise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CallbackError {
    #[error("a callback is promised for a time still ahead; this one has passed")]
    Past,
    #[error("a callback is promised within {days} days", days = CallRecord::MAX_CALLBACK_AHEAD_MS / DAY_MS)]
    TooFar,
}

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// Where an outgoing message is on its way to the customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum DeliveryState {
    Queued,
    Sending,
    Sent,
    /// The channel confirmed it reached the customer.
    Delivered,
    /// The channel refused it; `reason` is the peer's own words.
    Failed {
        reason: String,
    },
}

impl CallRecord {
    /// The longest call a log may record, in seconds.
    pub const MAX_DURATION_SECS: u32 = 86_400;
    /// How far ahead a callback may be promised.
    pub const MAX_CALLBACK_AHEAD_MS: i64 = 30 * DAY_MS;
    /// How far behind `now` a callback may be: the console's clock and the
    /// server's differ a little, and a push takes a moment.
    pub const CALLBACK_SLACK_MS: i64 = 5 * 60 * 1000;

    /// An inbound call nobody answered: the customer tried to reach
    /// support, and support has not answered yet.
    pub const fn is_missed(&self) -> bool {
        matches!(self.direction, CallDirection::Inbound)
            && !matches!(self.outcome, CallOutcome::Answered)
    }

    /// A promised callback must lie ahead of `now` and within 30 days.
    pub fn check_callback(&self, now: Timestamp) -> Result<(), CallbackError> {
        match self.callback_at {
            None => Ok(()),
            Some(at) if at.0 < now.0.saturating_sub(Self::CALLBACK_SLACK_MS) => {
                Err(CallbackError::Past)
            }
            Some(at) if at.0 > now.0.saturating_add(Self::MAX_CALLBACK_AHEAD_MS) => {
                Err(CallbackError::TooFar)
            }
            Some(_) => Ok(()),
        }
    }
}

impl DeliveryState {
    pub const fn code(&self) -> &'static str {
        match self {
            DeliveryState::Queued => "queued",
            DeliveryState::Sending => "sending",
            DeliveryState::Sent => "sent",
            DeliveryState::Delivered => "delivered",
            DeliveryState::Failed { .. } => "failed",
        }
    }
}

/// What a message is. Each kind carries only what makes sense for it, so a
/// note can never have a delivery state and a call always has its record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MessageKind {
    /// Written by the customer.
    Inbound,
    /// An agent's answer the customer sees.
    PublicReply { delivery: DeliveryState },
    /// Seen by the team only. Never counts as a response.
    InternalNote,
    /// A phone call with the customer.
    CallLog { call: CallRecord },
    /// Something the system recorded (assignment, status change, ...).
    SystemEvent,
}

impl MessageKind {
    /// The stable code stored in the cache.
    pub const fn code(&self) -> &'static str {
        match self {
            MessageKind::Inbound => "inbound",
            MessageKind::PublicReply { .. } => "public_reply",
            MessageKind::InternalNote => "internal_note",
            MessageKind::CallLog { .. } => "call_log",
            MessageKind::SystemEvent => "system_event",
        }
    }

    /// A public reply on any channel, or a logged call, answers the customer
    /// for the SLA; an internal note never does, nor does a missed call
    /// from the customer (nobody talked to them).
    pub const fn is_response(&self) -> bool {
        match self {
            MessageKind::PublicReply { .. } => true,
            MessageKind::CallLog { call } => !call.is_missed(),
            _ => false,
        }
    }

    /// The customer wrote, or called and nobody answered: either asks
    /// support for a response.
    pub const fn is_from_customer(&self) -> bool {
        match self {
            MessageKind::Inbound => true,
            MessageKind::CallLog { call } => call.is_missed(),
            _ => false,
        }
    }
}

/// Who wrote a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Author {
    Customer { id: CustomerId },
    Agent { id: AgentId },
    System,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Message {
    pub id: MessageId,
    pub ticket: TicketNumber,
    pub kind: MessageKind,
    pub channel: Channel,
    pub author: Author,
    /// Plain text (Markdown for portal replies); email HTML is kept apart.
    pub body: String,
    pub created_at: Timestamp,
}

/// A SHA-256 of a file's bytes, as 64 lowercase hex digits. Files are stored
/// under this name, so the same file is kept once.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
#[ts(type = "string")]
pub struct ContentHash(String);

/// A text that is not 64 lowercase hex digits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a SHA-256 content hash (64 lowercase hex digits)")]
pub struct InvalidContentHash(String);

impl ContentHash {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ContentHash {
    type Error = InvalidContentHash;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        let valid = s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        if valid {
            Ok(Self(s))
        } else {
            Err(InvalidContentHash(s))
        }
    }
}

impl From<ContentHash> for String {
    fn from(h: ContentHash) -> String {
        h.0
    }
}

impl std::fmt::Display for ContentHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A file attached to a message; the bytes live in the content-addressed store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Attachment {
    pub id: AttachmentId,
    pub message: MessageId,
    pub name: String,
    #[ts(type = "number")]
    pub size_bytes: u64,
    pub content_hash: ContentHash,
    pub media_type: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_replies_and_calls_answer_the_customer() {
        let call = CallRecord {
            direction: CallDirection::Outbound,
            duration_secs: 90,
            outcome: CallOutcome::Answered,
            callback_at: None,
        };
        assert!(MessageKind::PublicReply {
            delivery: DeliveryState::Sent
        }
        .is_response());
        assert!(MessageKind::CallLog { call }.is_response());
        assert!(!MessageKind::InternalNote.is_response());
        assert!(!MessageKind::Inbound.is_response());
        assert!(!MessageKind::SystemEvent.is_response());
    }

    #[test]
    fn a_missed_call_from_the_customer_asks_for_a_response() {
        let call = |direction, outcome| MessageKind::CallLog {
            call: CallRecord {
                direction,
                duration_secs: 0,
                outcome,
                callback_at: None,
            },
        };
        let missed = call(CallDirection::Inbound, CallOutcome::NoAnswer);
        assert!(!missed.is_response());
        assert!(missed.is_from_customer());
        let answered = call(CallDirection::Inbound, CallOutcome::Answered);
        assert!(answered.is_response());
        assert!(!answered.is_from_customer());
        // Support tried to reach the customer: that is support's move.
        let tried = call(CallDirection::Outbound, CallOutcome::Voicemail);
        assert!(tried.is_response());
        assert!(!tried.is_from_customer());
    }

    #[test]
    fn a_callback_lies_ahead_within_thirty_days() {
        let now = Timestamp(1_800_000_000_000);
        let call = |at: Option<i64>| CallRecord {
            direction: CallDirection::Outbound,
            duration_secs: 60,
            outcome: CallOutcome::Answered,
            callback_at: at.map(Timestamp),
        };
        assert_eq!(call(None).check_callback(now), Ok(()));
        assert_eq!(call(Some(now.0 + 3_600_000)).check_callback(now), Ok(()));
        // A little behind: clocks differ.
        assert_eq!(call(Some(now.0 - 60_000)).check_callback(now), Ok(()));
        assert_eq!(
            call(Some(now.0 - 3_600_000)).check_callback(now),
            Err(CallbackError::Past)
        );
        assert_eq!(
            call(Some(now.0 + 31 * DAY_MS)).check_callback(now),
            Err(CallbackError::TooFar)
        );
        assert_eq!(
            call(Some(i64::MIN)).check_callback(now),
            Err(CallbackError::Past)
        );
        assert_eq!(
            call(Some(i64::MAX)).check_callback(now),
            Err(CallbackError::TooFar)
        );
    }

    #[test]
    fn a_call_without_a_callback_reads_and_writes_as_before() {
        let old = r#"{"direction":"inbound","duration_secs":5,"outcome":"busy"}"#;
        let call: CallRecord = serde_json::from_str(old).unwrap();
        assert_eq!(call.callback_at, None);
        assert_eq!(serde_json::to_string(&call).unwrap(), old);
    }

    #[test]
    fn content_hash_accepts_only_sha256_hex() {
        let good = "a".repeat(64);
        assert!(ContentHash::try_from(good).is_ok());
        for bad in [
            "",
            "abc",
            &"A".repeat(64),
            &"g".repeat(64),
            &"a".repeat(65),
            "../../etc/passwd",
        ] {
            assert!(
                ContentHash::try_from(bad.to_owned()).is_err(),
                "{bad:?} accepted"
            );
        }
    }
}
