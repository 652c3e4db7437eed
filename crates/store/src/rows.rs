//! How domain values become cache columns and back.

use shiftdesk_domain::{Author, CallRecord, DeliveryState, MessageKind};

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
