//! How domain values become cache columns and back.

use shiftdesk_domain::{Author, CallRecord, DeliveryState, MessageKind, Timestamp};

use crate::StoreError;

/// The columns a message's kind is stored in.
pub(crate) struct KindColumns<'a> {
    pub kind: &'static str,
    pub delivery_state: Option<&'static str>,
    pub delivery_error: Option<&'a str>,
    pub call: Option<&'a CallRecord>,
}

pub(crate) fn kind_columns(kind: &MessageKind) -> KindColumns<'_> {
    let (delivery_state, delivery_error) = match kind {
        MessageKind::PublicReply { delivery } => (
            Some(delivery.code()),
            match delivery {
                DeliveryState::Failed { reason } => Some(reason.as_str()),
                _ => None,
            },
        ),
        _ => (None, None),
    };
    let call = match kind {
        MessageKind::CallLog { call } => Some(call),
        _ => None,
    };
    KindColumns {
        kind: kind.code(),
        delivery_state,
        delivery_error,
        call,
    }
}

/// `(author_type, author_id)`.
pub(crate) fn author_columns(author: &Author) -> (&'static str, Option<i64>) {
    match author {
        Author::Customer { id } => ("customer", Some(id.0)),
        Author::Agent { id } => ("agent", Some(id.0)),
        Author::System => ("system", None),
    }
}

/// The columns a message's kind was stored in, as read back.
pub(crate) struct StoredKind<'r> {
    pub kind: &'r str,
    pub delivery_state: Option<&'r str>,
    pub delivery_error: Option<&'r str>,
    pub call_direction: Option<&'r str>,
    pub call_duration_s: Option<i64>,
    pub call_outcome: Option<&'r str>,
    pub call_callback_at: Option<i64>,
}

impl StoredKind<'_> {
    /// The kind [`kind_columns`] stored.
    pub(crate) fn decode(&self) -> Result<MessageKind, StoreError> {
        let bad = |column: &'static str, value: Option<&str>| StoreError::BadRow {
            column,
            value: value.unwrap_or("NULL").to_owned(),
        };
        Ok(match self.kind {
            "inbound" => MessageKind::Inbound,
            "internal_note" => MessageKind::InternalNote,
            "system_event" => MessageKind::SystemEvent,
            "public_reply" => {
                let delivery = match self.delivery_state {
                    Some("failed") => DeliveryState::Failed {
                        reason: self.delivery_error.unwrap_or_default().to_owned(),
                    },
                    state => [
                        DeliveryState::Queued,
                        DeliveryState::Sending,
                        DeliveryState::Sent,
                        DeliveryState::Delivered,
                    ]
                    .into_iter()
                    .find(|d| Some(d.code()) == state)
                    .ok_or_else(|| bad("messages.delivery_state", state))?,
                };
                MessageKind::PublicReply { delivery }
            }
            "call_log" => {
                let duration = self.call_duration_s;
                MessageKind::CallLog {
                    call: CallRecord {
                        direction: self
                            .call_direction
                            .ok_or_else(|| bad("messages.call_direction", None))?
                            .parse()?,
                        duration_secs: duration.and_then(|d| u32::try_from(d).ok()).ok_or_else(
                            || {
                                bad(
                                    "messages.call_duration_s",
                                    duration.map(|d| d.to_string()).as_deref(),
                                )
                            },
                        )?,
                        outcome: self
                            .call_outcome
                            .ok_or_else(|| bad("messages.call_outcome", None))?
                            .parse()?,
                        callback_at: self.call_callback_at.map(Timestamp),
                    },
                }
            }
            other => return Err(bad("messages.kind", Some(other))),
        })
    }
}
