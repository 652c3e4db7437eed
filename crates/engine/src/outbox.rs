//! The agent's changes on their way to the server. `queue` makes an
//! outbox entry durable with its local effect before the UI hears
//! "queued"; `push_once` uploads the files a message names, sends what may
//! go, in order per ticket, and settles each entry by the server's answer:
//! done, failed with the server's code (the text kept), or waiting for the
//! agent (a conflict, or a reply the customer has since written past: the
//! traffic cop).

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use shiftdesk_domain::{
    AgentId, Attachment, AttachmentId, Author, ContentHash, DeliveryState, Message, MessageId,
    MessageKind, Ticket, TicketNumber, Timestamp,
};
use shiftdesk_protocol::{
    CheckedWhen, ErrorCode, Mutation, MutationOutcome, MutationRequest, NewAttachment, Problem,
    MAX_PUSH_BATCH,
};
use shiftdesk_store::{
    LocalEffect, NewOutboxEntry, OutboxEntry, OutboxState, Settlement, Store, StoreError,
};
use ts_rs::TS;
use uuid::Uuid;

use crate::api::{ApiClient, ApiError};
use crate::attachments::blocking;

#[derive(Debug, thiserror::Error)]
pub enum OutboxError {
    #[error("ticket {0} is not in the cache")]
    UnknownTicket(TicketNumber),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("an outbox entry is not a mutation: {0}")]
    Corrupt(#[from] serde_json::Error),
    /// The server would refuse it whatever the ticket (a reply on the
    /// phone channel, a callback in the past): nothing was queued.
    #[error("{}", .0.detail)]
    Refused(Problem),
    /// An edit was asked of a change that has no text (a status, a tag).
    #[error("only a reply, a note or a call log has text to edit")]
    NoText,
    /// A file it names is not in the cache's file store (any more).
    #[error("{name} is not on this computer any more: attach it again")]
    FileMissing { name: String },
}

impl OutboxError {
    /// Stable across versions: the UI and tests key on it.
    pub fn code(&self) -> &'static str {
        match self {
            OutboxError::UnknownTicket(_) => "outbox.unknown_ticket",
            OutboxError::Store(store) => store.code(),
            OutboxError::Corrupt(_) => "outbox.corrupt",
            OutboxError::Refused(problem) => problem.code.code(),
            OutboxError::NoText => "outbox.no_text",
            OutboxError::FileMissing { .. } => "attachment.missing",
        }
    }
}

/// Why an entry waits for the agent or failed, as kept with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Review {
    /// The customer or a colleague wrote after the agent began this reply.
    WrittenSince,
    /// The ticket changed on the server since the edit was made.
    Conflict { current: Box<Ticket> },
    /// The server refused it; the agent can fix and resend, or discard.
    Refused { problem: Problem },
}

/// Makes `mutation` on `ticket` durable with its local effect; returns its
/// id. Field edits are made against the cached version; a reply against
/// `seen` (the newest message the agent had seen when they began it), or
/// the newest cached message when not given.
pub async fn queue(
    store: &Store,
    me: AgentId,
    ticket: TicketNumber,
    mutation: Mutation,
    seen: Option<MessageId>,
    now: Timestamp,
) -> Result<Uuid, OutboxError> {
    let (id, entry, effect) = prepare(store, me, ticket, mutation, seen, now).await?;
    store.enqueue(&entry, &effect).await?;
    Ok(id)
}

/// What the agent decided about an entry that failed or waits for them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum Resolution {
    /// Send it as it is: again after a refusal, over the ticket as it is
    /// now after a conflict, or past what the customer wrote since.
    Resend,
    /// Send it with this text instead (replies, notes and call logs).
    Edit { body: String },
    /// Drop it, and the reply it showed.
    Discard,
}

/// Carries out the agent's `resolution` of entry `id`. A resent or edited
/// entry goes under a new id, made against the ticket as cached now (the
/// agent has seen it), in the same transaction that drops the old one.
pub async fn resolve(
    store: &Store,
    me: AgentId,
    id: &str,
    resolution: Resolution,
    now: Timestamp,
) -> Result<TicketNumber, OutboxError> {
    let body = match resolution {
        Resolution::Discard => return Ok(store.discard(id).await?),
        Resolution::Resend => None,
        Resolution::Edit { body } => Some(body),
    };
    let entry = store
        .outbox_entry(id)
        .await?
        .ok_or_else(|| OutboxError::Store(StoreError::OutboxEntryNotSettled(id.to_owned())))?;
    let mut mutation: Mutation = serde_json::from_str(&entry.mutation)?;
    if let Some(new_body) = body {
        match &mut mutation {
            Mutation::Reply { body, .. } | Mutation::Note { body, .. } => *body = new_body,
            Mutation::CallLog { notes, .. } => *notes = new_body,
            _ => return Err(OutboxError::NoText),
        }
    }
    let (_, mut fresh, effect) = prepare(store, me, entry.ticket, mutation, None, now).await?;
    // The server told what the ticket is now; the cache may not have it yet.
    if let Some(Review::Conflict { current }) = entry
        .review
        .as_deref()
        .map(serde_json::from_str)
        .transpose()?
    {
        fresh.base_version = Some(current.version);
    }
    store.replace_entry(id, &fresh, &effect).await?;
    Ok(entry.ticket)
}

/// An outbox entry as the agent's tray lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct OutboxItem {
    pub id: String,
    pub ticket: TicketNumber,
    pub mutation: Mutation,
    pub state: OutboxState,
    /// Why it failed or waits; `None` while queued.
    pub review: Option<Review>,
    #[ts(type = "number")]
    pub attempts: i64,
    pub created_at: Timestamp,
}

/// Every entry, oldest first, for the tray.
pub async fn items(store: &Store) -> Result<Vec<OutboxItem>, OutboxError> {
    store
        .outbox()
        .await?
        .into_iter()
        .map(|entry| {
            Ok(OutboxItem {
                mutation: serde_json::from_str(&entry.mutation)?,
                review: entry
                    .review
                    .as_deref()
                    .map(serde_json::from_str)
                    .transpose()?,
                id: entry.id,
                ticket: entry.ticket,
                state: entry.state,
                attempts: entry.attempts,
                created_at: entry.created_at,
            })
        })
        .collect()
}

/// The entry `mutation` on `ticket` makes, with its local effect, checked
/// the way the server will check it.
async fn prepare(
    store: &Store,
    me: AgentId,
    ticket: TicketNumber,
    mutation: Mutation,
    seen: Option<MessageId>,
    now: Timestamp,
) -> Result<(Uuid, NewOutboxEntry, LocalEffect), OutboxError> {
    let head = store
        .ticket_head(ticket)
        .await?
        .ok_or(OutboxError::UnknownTicket(ticket))?;
    mutation
        .check(now, CheckedWhen::Acting)
        .map_err(OutboxError::Refused)?;
    let files = match &mutation {
        Mutation::Reply { attachments, .. } | Mutation::Note { attachments, .. } => {
            queued_files(store, attachments).await?
        }
        _ => Vec::new(),
    };
    let message = |kind, channel, body: &str| LocalEffect::Message {
        message: Message {
            id: MessageId(0),
            ticket,
            kind,
            channel,
            author: Author::Agent { id: me },
            body: body.to_owned(),
            created_at: now,
        },
        files: files.clone(),
    };
    let effect = match &mutation {
        Mutation::Reply { channel, body, .. } => message(
            MessageKind::PublicReply {
                delivery: DeliveryState::Queued,
            },
            *channel,
            body,
        ),
        Mutation::Note { body, .. } => message(MessageKind::InternalNote, head.channel, body),
        Mutation::CallLog { call, notes } => message(
            MessageKind::CallLog { call: call.clone() },
            shiftdesk_domain::Channel::Phone,
            notes,
        ),
        Mutation::SetStatus { status } => LocalEffect::Status(*status),
        Mutation::SetPriority { priority } => LocalEffect::Priority(*priority),
        Mutation::Assign { assignee } => LocalEffect::Assignee(*assignee),
        Mutation::SetTags { tags } => LocalEffect::Tags(tags.clone()),
        Mutation::RetryDelivery { .. } => LocalEffect::FromServer,
    };
    let id = Uuid::new_v4();
    let entry = NewOutboxEntry {
        id: id.to_string(),
        ticket,
        base_version: mutation.is_field_edit().then_some(head.version),
        mutation: serde_json::to_string(&mutation)?,
        seen_message: seen.or(head.newest_message),
        created_at: now,
    };
    Ok((id, entry, effect))
}

/// The files a queued message shows, as the cache's file store holds them;
/// a file not there is refused now, while the agent can attach it again.
async fn queued_files(
    store: &Store,
    attachments: &[NewAttachment],
) -> Result<Vec<Attachment>, OutboxError> {
    let mut files = Vec::with_capacity(attachments.len());
    for file in attachments {
        let size = tokio::fs::metadata(store.files().path_of(&file.content_hash))
            .await
            .map_err(|_| OutboxError::FileMissing {
                name: file.name.clone(),
            })?
            .len();
        files.push(Attachment {
            id: AttachmentId(0),
            message: MessageId(0),
            name: file.name.clone(),
            size_bytes: size,
            content_hash: file.content_hash.clone(),
            media_type: file.media_type.clone(),
        });
    }
    Ok(files)
}

/// What one push did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Pushed {
    pub sent: usize,
    pub done: usize,
    pub failed: usize,
    pub needs_review: usize,
    /// The push got no answer (network, 5xx, 429): everything sent stays
    /// queued for the next attempt.
    pub unanswered: Option<ApiError>,
}

#[derive(Debug, thiserror::Error)]
pub enum PushError {
    #[error(transparent)]
    Outbox(#[from] OutboxError),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The server refused the whole push (e.g. the token): nothing was
    /// settled, the agent must act.
    #[error(transparent)]
    Refused(ApiError),
}

/// Sends one batch of what may go now and settles it. An entry goes only
/// when no earlier entry of its ticket waits for review or is a field edit
/// in the same batch.
pub async fn push_once(api: &ApiClient, store: &Store, me: AgentId) -> Result<Pushed, PushError> {
    let entries = store.outbox().await?;
    let mut held: Vec<TicketNumber> = Vec::new();
    let mut batch: Vec<(OutboxEntry, MutationRequest)> = Vec::new();
    let mut settled = Vec::new();
    let mut pushed = Pushed::default();
    for entry in entries {
        if held.contains(&entry.ticket) || batch.len() == MAX_PUSH_BATCH {
            continue;
        }
        match entry.state {
            OutboxState::Queued => {}
            // A refusal is the agent's to fix; it does not stop what they
            // did after it.
            OutboxState::Failed => continue,
            // Whatever follows was done in a view the agent must look at
            // again first.
            OutboxState::NeedsReview => {
                held.push(entry.ticket);
                continue;
            }
        }
        let mutation: Mutation =
            serde_json::from_str(&entry.mutation).map_err(OutboxError::from)?;
        let is_reply = matches!(mutation, Mutation::Reply { .. });
        if is_reply
            && store
                .written_since(entry.ticket, entry.seen_message, me)
                .await?
        {
            settled.push(Settlement::NeedsReview {
                id: entry.id.clone(),
                review: review_json(&Review::WrittenSince),
            });
            pushed.needs_review += 1;
            held.push(entry.ticket);
            continue;
        }
        // What follows an edit waits for its answer: a conflict stops it,
        // and a next edit is based on the version it produced.
        if mutation.is_field_edit() {
            held.push(entry.ticket);
        }
        let request = MutationRequest {
            id: entry.id.parse().map_err(|_| {
                OutboxError::Corrupt(serde::de::Error::custom("an outbox id is not a UUID"))
            })?,
            ticket: entry.ticket,
            base_version: entry.base_version,
            mutation,
        };
        batch.push((entry, request));
    }
    // The files go first: the server takes a message only with its files.
    let mut uploaded = HashSet::new();
    let mut ready = Vec::with_capacity(batch.len());
    for (entry, request) in batch {
        match upload_files(api, store, &request.mutation, &mut uploaded).await {
            Ok(()) => ready.push((entry, request)),
            Err(FileUpload::Refused(problem)) => {
                settled.push(Settlement::Failed {
                    id: entry.id.clone(),
                    review: review_json(&Review::Refused { problem }),
                });
                pushed.failed += 1;
            }
            Err(FileUpload::Unanswered(e)) => {
                pushed.sent = ready.len() + 1;
                settled.extend(
                    ready
                        .iter()
                        .map(|(entry, _)| &entry.id)
                        .chain([&entry.id])
                        .map(|id| Settlement::Retry { id: id.clone() }),
                );
                store.settle(&settled).await?;
                pushed.unanswered = Some(e);
                return Ok(pushed);
            }
            Err(FileUpload::Stopped(e)) => {
                store.settle(&settled).await?;
                return Err(PushError::Refused(e));
            }
        }
    }
    let batch = ready;
    if batch.is_empty() {
        store.settle(&settled).await?;
        return Ok(pushed);
    }
    pushed.sent = batch.len();
    let requests: Vec<MutationRequest> = batch.iter().map(|(_, r)| r.clone()).collect();
    let response = match api.push(&requests).await {
        Ok(response) => response,
        Err(e) if e.is_transient() => {
            settled.extend(batch.iter().map(|(entry, _)| Settlement::Retry {
                id: entry.id.clone(),
            }));
            store.settle(&settled).await?;
            pushed.unanswered = Some(e);
            return Ok(pushed);
        }
        Err(e) => {
            store.settle(&settled).await?;
            return Err(PushError::Refused(e));
        }
    };
    let mut rebases = Vec::new();
    for ((entry, _), result) in batch.iter().zip(response.results) {
        let id = entry.id.clone();
        match result.outcome {
            MutationOutcome::Applied { ticket_version, .. }
            | MutationOutcome::Duplicate { ticket_version, .. } => {
                if let Some(base) = entry.base_version {
                    rebases.push((entry.ticket, base, ticket_version));
                }
                settled.push(Settlement::Done { id });
                pushed.done += 1;
            }
            MutationOutcome::Conflict { current } => {
                settled.push(Settlement::NeedsReview {
                    id,
                    review: review_json(&Review::Conflict { current }),
                });
                pushed.needs_review += 1;
            }
            MutationOutcome::Rejected { problem } => {
                settled.push(Settlement::Failed {
                    id,
                    review: review_json(&Review::Refused { problem }),
                });
                pushed.failed += 1;
            }
        }
    }
    store.settle(&settled).await?;
    for (ticket, from, to) in rebases {
        store.rebase(ticket, from, to).await?;
    }
    Ok(pushed)
}

/// Why a message's files did not reach the server.
enum FileUpload {
    /// This file will not go as it is: the entry fails with the reason.
    Refused(Problem),
    /// No answer: everything waits for the next push.
    Unanswered(ApiError),
    /// The server refused the caller (e.g. the token): the push stops.
    Stopped(ApiError),
}

/// Uploads the files `mutation` names, each once per push (`uploaded`).
async fn upload_files(
    api: &ApiClient,
    store: &Store,
    mutation: &Mutation,
    uploaded: &mut HashSet<ContentHash>,
) -> Result<(), FileUpload> {
    let (Mutation::Reply { attachments, .. } | Mutation::Note { attachments, .. }) = mutation
    else {
        return Ok(());
    };
    for file in attachments {
        if uploaded.contains(&file.content_hash) {
            continue;
        }
        let files = store.files().clone();
        let hash = file.content_hash.clone();
        let bytes = blocking(move || files.read(&hash)).await.map_err(|_| {
            FileUpload::Refused(Problem::new(
                ErrorCode::FileNotUploaded,
                format!(
                    "{} is no longer on this computer as it was attached: \
                     discard this and attach the file again",
                    file.name
                ),
            ))
        })?;
        match api.upload_file(&file.content_hash, bytes).await {
            Ok(_) => {
                uploaded.insert(file.content_hash.clone());
            }
            Err(e) if e.is_transient() => return Err(FileUpload::Unanswered(e)),
            // Too large, or other bytes than the hash: about this file.
            Err(ApiError::Problem(problem)) if matches!(problem.status, 400 | 413 | 422) => {
                return Err(FileUpload::Refused(problem))
            }
            Err(e) => return Err(FileUpload::Stopped(e)),
        }
    }
    Ok(())
}

fn review_json(review: &Review) -> String {
    // Plain data types always serialize.
    serde_json::to_string(review).unwrap_or_default()
}

#[cfg(test)]
mod tests;
