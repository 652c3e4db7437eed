//! What the composer shows before anything is queued: the parts Telegram
//! will send, the subject an email goes under, the Markdown as the customer
//! will see it, variables left unfilled and what the server would refuse;
//! and the canned responses filled in for the ticket at hand; and the
//! files attached, kept until they are sent.

use serde::Serialize;
use shiftdesk_domain::email::{reply_html, reply_subject};
use shiftdesk_domain::telegram::{telegram_parts, TelegramPart};
use shiftdesk_domain::{
    unfilled_variables, AgentId, CannedResponse, CannedValues, Channel, MessageId, TicketNumber,
    Timestamp,
};
use shiftdesk_protocol::mutation::check_file;
use shiftdesk_protocol::{CheckedWhen, Mutation, Problem, MAX_ATTACHMENT_BYTES};
use shiftdesk_store::{AttachedFile, Store, StoreError, TicketCard};

use crate::attachments::blocking;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ComposePreview {
    /// The messages a Telegram reply is sent as, in order.
    pub telegram_parts: Vec<TelegramPart>,
    /// The subject an email reply goes under, with the ticket's tag.
    pub email_subject: Option<String>,
    /// Where an email reply goes.
    pub email_to: Option<String>,
    /// A portal or email reply's Markdown as HTML (typed HTML shown as
    /// text), for a preview in a frame that runs nothing.
    pub html: Option<String>,
    /// `{{variables}}` of a canned response still in the text.
    pub unfilled: Vec<String>,
    /// Why it would be refused as it is.
    pub problem: Option<Problem>,
    /// The customer or a colleague wrote since the agent began: the
    /// traffic cop asks before a reply goes out.
    pub written_since: bool,
}

/// The preview of `mutation` on `ticket`, begun when `seen` was the newest
/// message the agent had seen; `None` when the ticket is not cached.
pub async fn preview_on(
    store: &Store,
    me: AgentId,
    ticket: TicketNumber,
    mutation: &Mutation,
    seen: Option<MessageId>,
    now: Timestamp,
) -> Result<Option<ComposePreview>, StoreError> {
    let Some(card) = store.ticket_card(ticket).await? else {
        return Ok(None);
    };
    let mut shown = preview(mutation, &card, now);
    shown.written_since = matches!(mutation, Mutation::Reply { .. })
        && seen.is_some()
        && store.written_since(ticket, seen, me).await?;
    Ok(Some(shown))
}

/// The preview of `mutation` on the ticket `card`.
pub fn preview(mutation: &Mutation, card: &TicketCard, now: Timestamp) -> ComposePreview {
    let problem = mutation.check(now, CheckedWhen::Acting).err();
    let (channel, text) = match mutation {
        Mutation::Reply { channel, body, .. } => (Some(*channel), body.as_str()),
        Mutation::Note { body, .. } => (None, body.as_str()),
        Mutation::CallLog { notes, .. } => (None, notes.as_str()),
        _ => (None, ""),
    };
    ComposePreview {
        telegram_parts: match channel {
            Some(Channel::Telegram) => telegram_parts(text),
            _ => Vec::new(),
        },
        email_subject: (channel == Some(Channel::Email))
            .then(|| reply_subject(&card.subject, card.number)),
        email_to: match channel {
            Some(Channel::Email) => card.customer.email.clone(),
            _ => None,
        },
        html: matches!(channel, Some(Channel::Portal | Channel::Email)).then(|| reply_html(text)),
        unfilled: unfilled_variables(text),
        problem,
        written_since: false,
    }
}

/// A canned response ready to insert on one ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FilledCanned {
    #[ts(type = "number")]
    pub id: i64,
    pub title: String,
    /// The body with the ticket's values in.
    pub body: String,
    /// Fits the ticket's category (offered first).
    pub suggested: bool,
}

/// The team's canned responses for the ticket `card`: those made for its
/// category first.
pub async fn canned_for(store: &Store, card: &TicketCard) -> Result<Vec<FilledCanned>, StoreError> {
    let values = CannedValues {
        customer_name: &card.customer.name,
        ticket: card.number,
        project: card.customer.project.as_deref(),
    };
    let mut filled: Vec<FilledCanned> = store
        .canned_responses()
        .await?
        .into_iter()
        .map(|canned: CannedResponse| FilledCanned {
            body: canned.fill(&values),
            suggested: canned.category == Some(card.category),
            id: canned.id,
            title: canned.title,
        })
        .collect();
    // Stable: by title within each group, as the cache gave them.
    filled.sort_by_key(|c| !c.suggested);
    Ok(filled)
}

/// Why a file could not be attached.
#[derive(Debug, thiserror::Error)]
pub enum AttachError {
    #[error("{name} is empty: there is nothing to send")]
    Empty { name: String },
    #[error("{name} is {size} bytes; a message's file is at most {limit} bytes")]
    TooLarge { name: String, size: u64, limit: u64 },
    /// A name or type the server would refuse.
    #[error("{}", .0.detail)]
    Refused(Problem),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl AttachError {
    /// Stable across versions: the UI and tests key on it.
    pub fn code(&self) -> &'static str {
        match self {
            AttachError::Empty { .. } => "attachment.empty",
            AttachError::TooLarge { .. } => "attachment.too_large",
            AttachError::Refused(problem) => problem.code.code(),
            AttachError::Store(e) => e.code(),
        }
    }
}

/// Keeps the bytes of a file the agent attached in the cache's file store,
/// so the reply it goes with can wait offline and survive a restart. A
/// type the window could not tell is sent as bytes.
pub async fn attach(
    store: &Store,
    name: &str,
    media_type: &str,
    bytes: Vec<u8>,
) -> Result<AttachedFile, AttachError> {
    let name = name.trim().to_owned();
    let media_type = match media_type.trim() {
        "" => "application/octet-stream".to_owned(),
        given => given.to_ascii_lowercase(),
    };
    check_file(&name, &media_type).map_err(AttachError::Refused)?;
    let size = bytes.len() as u64;
    if size == 0 {
        return Err(AttachError::Empty { name });
    }
    if size > MAX_ATTACHMENT_BYTES {
        return Err(AttachError::TooLarge {
            name,
            size,
            limit: MAX_ATTACHMENT_BYTES,
        });
    }
    let files = store.files().clone();
    let content_hash = blocking(move || files.put(&bytes)).await?;
    Ok(AttachedFile {
        content_hash,
        name,
        media_type,
        size_bytes: size,
    })
}

#[cfg(test)]
mod tests;
