//! `POST /v1/mutations`: a batch of the caller's changes, applied in order,
//! each exactly once. A mutation's UUID, its effect and its answer commit in
//! one transaction; a replay of the UUID answers `duplicate` with the first
//! result and changes nothing. Field edits carry the ticket version they
//! were made against and answer `conflict` when the ticket moved on.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::Json;
use shiftdesk_domain::{
    AgentId, Author, CallRecord, Channel, DeliveryState, Message, MessageId, MessageKind, Role,
    Ticket, Timestamp,
};
use shiftdesk_protocol::{
    CheckedWhen, ErrorCode, Mutation, MutationOutcome, MutationRequest, MutationResult,
    NewAttachment, Problem, PushRequest, PushResponse, MAX_PUSH_BATCH,
};
use sqlx::SqliteConnection;
use tokio::sync::{mpsc, oneshot};

use crate::auth::Caller;
use crate::channels::delivery;
use crate::db::{log_change, to_json};
use crate::events::Nudges;
use crate::messages::{self, FileRef};
use crate::{now, ApiError, AppState, Db, ServerError};

/// The largest push body taken.
pub const MAX_PUSH_BYTES: usize = 1024 * 1024;
const MAX_TAGS: usize = 20;
const MAX_TAG_CHARS: usize = 40;

#[utoipa::path(
    post,
    path = "/v1/mutations",
    request_body = PushRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One result per mutation, in order", body = PushResponse),
        (status = 400, description = "Not a valid push", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn push(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<PushResponse>, ApiError> {
    let body = body.map_err(|e| {
        ApiError::unread_body(e, || {
            format!("a push may be {MAX_PUSH_BYTES} bytes at most")
        })
    })?;
    let request = parse(&body)?;
    let results = state
        .pushes
        .apply(&caller, request.mutations, now())
        .await?;
    Ok(Json(PushResponse { results }))
}

fn parse(body: &[u8]) -> Result<PushRequest, ApiError> {
    if body.len() > MAX_PUSH_BYTES {
        return Err(ApiError::new(
            ErrorCode::TooLarge,
            format!("a push may be {MAX_PUSH_BYTES} bytes at most"),
        ));
    }
    let text =
        std::str::from_utf8(body).map_err(|e| ApiError::new(ErrorCode::NotUtf8, e.to_string()))?;
    let request: PushRequest = serde_json::from_str(text)
        .map_err(|e| ApiError::new(ErrorCode::BadRequest, e.to_string()))?;
    let too_long = request.mutations.iter().any(|m| {
        matches!(&m.mutation, Mutation::CallLog { call, .. } if call.duration_secs > CallRecord::MAX_DURATION_SECS)
    });
    if too_long {
        return Err(ApiError::new(
            ErrorCode::BadRequest,
            format!(
                "a call lasts {} seconds at most",
                CallRecord::MAX_DURATION_SECS
            ),
        ));
    }
    if request.mutations.len() > MAX_PUSH_BATCH {
        return Err(ApiError::new(
            ErrorCode::BadRequest,
            format!("a push carries {MAX_PUSH_BATCH} mutations at most"),
        ));
    }
    Ok(request)
}

/// The most mutations committed in one transaction. Concurrent pushes
/// share a commit (one fsync for many); a long batch still commits as it
/// goes. Event streams hear of each group as it commits.
const MAX_GROUP: usize = 64;

/// Mutations of concurrent pushes, committed in groups by one task.
#[derive(Debug, Clone)]
pub struct PushQueue {
    sender: mpsc::Sender<Pending>,
}

/// A mutation waiting for its group's commit.
struct Pending {
    caller: Caller,
    request: MutationRequest,
    now: Timestamp,
    answer: oneshot::Sender<Result<MutationOutcome, ServerError>>,
}

impl PushQueue {
    /// Starts the committing task; it ends when the last queue is dropped.
    pub fn start(db: Db, nudges: Nudges) -> Self {
        let (sender, receiver) = mpsc::channel(4 * MAX_GROUP);
        tokio::spawn(commit_groups(db, nudges, receiver));
        Self { sender }
    }

    /// Applies `requests` in order, each exactly once.
    pub async fn apply(
        &self,
        caller: &Caller,
        requests: Vec<MutationRequest>,
        now: Timestamp,
    ) -> Result<Vec<MutationResult>, ServerError> {
        let mut waiting = Vec::with_capacity(requests.len());
        for request in requests {
            let (answer, outcome) = oneshot::channel();
            waiting.push((request.id, outcome));
            let pending = Pending {
                caller: caller.clone(),
                request,
                now,
                answer,
            };
            if self.sender.send(pending).await.is_err() {
                return Err(ServerError::Commit("the server is stopping".into()));
            }
        }
        let mut results = Vec::with_capacity(waiting.len());
        for (id, outcome) in waiting {
            let outcome = outcome
                .await
                .map_err(|_| ServerError::Commit("the server is stopping".into()))??;
            results.push(MutationResult { id, outcome });
        }
        Ok(results)
    }
}

async fn commit_groups(db: Db, nudges: Nudges, mut receiver: mpsc::Receiver<Pending>) {
    let mut group = Vec::with_capacity(MAX_GROUP);
    while receiver.recv_many(&mut group, MAX_GROUP).await > 0 {
        // A mutation that fails is answered alone and the group runs again
        // without it: the others never depend on a stranger's failure.
        loop {
            match commit_group(&db, &group).await {
                Ok((outcomes, newest)) => {
                    tracing::debug!(size = group.len(), "group committed");
                    for (pending, outcome) in group.drain(..).zip(outcomes) {
                        let _ = pending.answer.send(Ok(outcome));
                    }
                    nudges.announce(newest);
                    break;
                }
                Err(GroupFailure::At(index, e)) => {
                    let _ = group.remove(index).answer.send(Err(e));
                    if group.is_empty() {
                        break;
                    }
                }
                Err(GroupFailure::Commit(e)) => {
                    // Nothing of the group was committed; each push says so
                    // and its client retries the same ids.
                    let reason = e.to_string();
                    tracing::error!(error = %reason, "a group commit failed");
                    for pending in group.drain(..) {
                        let _ = pending
                            .answer
                            .send(Err(ServerError::Commit(reason.clone())));
                    }
                    break;
                }
            }
        }
    }
}

/// Why a group's transaction was rolled back.
enum GroupFailure {
    /// The mutation at this index failed.
    At(usize, ServerError),
    /// The transaction itself failed.
    Commit(ServerError),
}

/// Applies the group in one transaction; answers each mutation's outcome
/// and the newest change sequence after the commit.
async fn commit_group(
    db: &Db,
    group: &[Pending],
) -> Result<(Vec<MutationOutcome>, i64), GroupFailure> {
    let mut tx = db
        .writer
        .begin_with("BEGIN IMMEDIATE")
        .await
        .map_err(|e| GroupFailure::Commit(e.into()))?;
    let mut outcomes = Vec::with_capacity(group.len());
    for (index, pending) in group.iter().enumerate() {
        let outcome = apply_once(&mut tx, &pending.caller, &pending.request, pending.now)
            .await
            .map_err(|e| GroupFailure::At(index, e))?;
        outcomes.push(outcome);
    }
    let newest: i64 = sqlx::query_scalar("SELECT coalesce(max(seq), 0) FROM changes")
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| GroupFailure::Commit(e.into()))?;
    tx.commit()
        .await
        .map_err(|e| GroupFailure::Commit(e.into()))?;
    Ok((outcomes, newest))
}

/// Applies one mutation, unless its UUID was seen; the id and the effect
/// are written together.
async fn apply_once(
    tx: &mut SqliteConnection,
    caller: &Caller,
    request: &MutationRequest,
    now: Timestamp,
) -> Result<MutationOutcome, ServerError> {
    let id = request.id.to_string();
    let seen: Option<(i64, String)> =
        sqlx::query_as("SELECT agent_id, outcome FROM applied_mutations WHERE id = ?")
            .bind(&id)
            .fetch_optional(&mut *tx)
            .await?;
    if let Some((agent, outcome)) = seen {
        if agent != caller.agent.id.0 {
            // Someone else's id: refuse without saying what it did.
            return Ok(rejected(
                ErrorCode::BadRequest,
                "this mutation id is already taken",
            ));
        }
        let first: MutationOutcome =
            serde_json::from_str(&outcome).map_err(|source| ServerError::Corrupt {
                what: "mutation outcome",
                source,
            })?;
        return Ok(match first {
            MutationOutcome::Applied {
                ticket_version,
                message,
            } => MutationOutcome::Duplicate {
                ticket_version,
                message,
            },
            other => other,
        });
    }
    let outcome = apply(tx, caller, request, now).await?;
    sqlx::query("INSERT INTO applied_mutations (id, agent_id, ticket_number, outcome, applied_at) VALUES (?, ?, ?, ?, ?)")
        .bind(&id)
        .bind(caller.agent.id.0)
        .bind(request.ticket.0)
        .bind(to_json(&outcome))
        .bind(now.0)
        .execute(&mut *tx)
        .await?;
    Ok(outcome)
}

fn rejected(code: ErrorCode, detail: impl Into<String>) -> MutationOutcome {
    MutationOutcome::Rejected {
        problem: Problem::new(code, detail),
    }
}

async fn apply(
    conn: &mut SqliteConnection,
    caller: &Caller,
    request: &MutationRequest,
    now: Timestamp,
) -> Result<MutationOutcome, ServerError> {
    let number = request.ticket.0;
    let stored: Option<String> = sqlx::query_scalar("SELECT body FROM tickets WHERE number = ?")
        .bind(number)
        .fetch_optional(&mut *conn)
        .await?;
    let ticket: Option<Ticket> = stored
        .map(|b| {
            serde_json::from_str(&b).map_err(|source| ServerError::Corrupt {
                what: "ticket",
                source,
            })
        })
        .transpose()?;
    // Outside the caller's scope reads as "no such ticket": scope does not
    // tell what exists.
    let Some(mut ticket) = ticket.filter(|t| in_scope(caller, t)) else {
        return Ok(rejected(
            ErrorCode::NotFound,
            format!("no ticket #{number} in your scope"),
        ));
    };

    if request.mutation.is_field_edit() {
        let Some(base) = request.base_version else {
            return Ok(rejected(
                ErrorCode::BadRequest,
                "a field edit needs the base_version it was made against",
            ));
        };
        if base != ticket.version {
            return Ok(MutationOutcome::Conflict {
                current: Box::new(ticket),
            });
        }
    }

    if let Err(problem) = request.mutation.check(now, CheckedWhen::Arriving) {
        return Ok(MutationOutcome::Rejected { problem });
    }

    if let Mutation::RetryDelivery { message } = &request.mutation {
        return retry_delivery(conn, &ticket, *message, now).await;
    }

    let draft = match &request.mutation {
        Mutation::Reply {
            channel,
            body,
            attachments,
            ..
        } => {
            // The portal shows replies itself; other channels deliver them
            // (a reply on the phone channel was refused above).
            let delivery = if *channel == Channel::Portal {
                DeliveryState::Delivered
            } else {
                DeliveryState::Queued
            };
            Some((
                MessageKind::PublicReply { delivery },
                *channel,
                body.as_str(),
                attachments.as_slice(),
            ))
        }
        Mutation::Note { body, attachments } => Some((
            MessageKind::InternalNote,
            ticket.channel,
            body.as_str(),
            attachments.as_slice(),
        )),
        Mutation::CallLog { call, notes } => Some((
            MessageKind::CallLog { call: call.clone() },
            Channel::Phone,
            if notes.trim().is_empty() {
                "—"
            } else {
                notes.as_str()
            },
            &[][..],
        )),
        _ => None,
    };
    if let Some((kind, channel, body, attachments)) = draft {
        if let Err(problem) = messages::check_body(
            body,
            channel == Channel::Portal && matches!(kind, MessageKind::PublicReply { .. }),
        ) {
            return Ok(MutationOutcome::Rejected { problem });
        }
        let files = match uploaded_files(conn, caller, attachments).await? {
            Ok(files) => files,
            Err(problem) => return Ok(MutationOutcome::Rejected { problem }),
        };
        let message = Message {
            id: MessageId(0),
            ticket: ticket.number,
            kind,
            channel,
            author: Author::Agent {
                id: caller.agent.id,
            },
            body: body.to_owned(),
            created_at: now,
        };
        let message = messages::append(conn, message, &files).await?;
        if let Mutation::Reply {
            channel: Channel::Email,
            cc,
            ..
        } = &request.mutation
        {
            // Copied on this reply and on the ticket's mail from now on.
            if let Some(copies) = crate::channels::email::add_copies(
                conn,
                ticket.number,
                cc.iter().map(String::as_str),
            )
            .await?
            {
                ticket.email_cc = copies;
            }
        }
        ticket.updated_at = now;
        crate::intake::refresh_sla_due(conn, &mut ticket, now).await?;
        save_ticket(conn, &ticket).await?;
        return Ok(MutationOutcome::Applied {
            ticket_version: ticket.version,
            message: Some(message),
        });
    }

    let previous_assignee = ticket.assignee;
    match &request.mutation {
        Mutation::SetStatus { status } => match ticket.status.transition(*status) {
            Ok(next) => ticket.set_status(next, now),
            Err(e) => return Ok(rejected(ErrorCode::IllegalTransition, e.to_string())),
        },
        Mutation::SetPriority { priority } => ticket.priority = *priority,
        Mutation::SetTags { tags } => match valid_tags(tags) {
            Ok(tags) => ticket.tags = tags,
            Err(refusal) => return Ok(refusal),
        },
        Mutation::Assign { assignee } => {
            if let Some(agent) = assignee {
                let team: Option<String> =
                    sqlx::query_scalar("SELECT team FROM agents WHERE id = ?")
                        .bind(agent.0)
                        .fetch_optional(&mut *conn)
                        .await?;
                if team.as_deref() != Some(ticket.team.as_str()) {
                    return Ok(rejected(
                        ErrorCode::BadRequest,
                        format!("agent {} is not on team {}", agent.0, ticket.team),
                    ));
                }
            }
            ticket.assignee = *assignee;
        }
        Mutation::Reply { .. }
        | Mutation::Note { .. }
        | Mutation::CallLog { .. }
        | Mutation::RetryDelivery { .. } => {}
    }
    ticket.version += 1;
    ticket.updated_at = now;
    crate::intake::refresh_sla_due(conn, &mut ticket, now).await?;
    save_ticket(conn, &ticket).await?;
    if previous_assignee != ticket.assignee {
        hand_over(conn, &ticket, previous_assignee).await?;
    }
    Ok(MutationOutcome::Applied {
        ticket_version: ticket.version,
        message: None,
    })
}

/// A failed reply of `ticket` back in its channel's queue.
async fn retry_delivery(
    conn: &mut SqliteConnection,
    ticket: &Ticket,
    id: MessageId,
    now: Timestamp,
) -> Result<MutationOutcome, ServerError> {
    let stored: Option<String> =
        sqlx::query_scalar("SELECT body FROM messages WHERE id = ? AND ticket_number = ?")
            .bind(id.0)
            .bind(ticket.number.0)
            .fetch_optional(&mut *conn)
            .await?;
    let Some(stored) = stored else {
        return Ok(rejected(
            ErrorCode::NotFound,
            format!("no message {} on ticket #{}", id.0, ticket.number),
        ));
    };
    let message: Message =
        serde_json::from_str(&stored).map_err(|source| ServerError::Corrupt {
            what: "message",
            source,
        })?;
    if !delivery::retry(conn, &message, now).await? {
        return Ok(rejected(
            ErrorCode::NotRetryable,
            format!("message {} is not a reply whose delivery failed", id.0),
        ));
    }
    Ok(MutationOutcome::Applied {
        ticket_version: ticket.version,
        message: Some(id),
    })
}

/// The files a message names, each uploaded by the caller; otherwise the
/// problem to answer with.
async fn uploaded_files(
    conn: &mut SqliteConnection,
    caller: &Caller,
    attachments: &[NewAttachment],
) -> Result<Result<Vec<FileRef>, Problem>, ServerError> {
    // Their count, names and types were checked with the mutation.
    let mut files = Vec::with_capacity(attachments.len());
    for attachment in attachments {
        let size: Option<i64> = sqlx::query_scalar(
            "SELECT size_bytes FROM file_uploads WHERE content_hash = ? AND agent_id = ?",
        )
        .bind(attachment.content_hash.as_str())
        .bind(caller.agent.id.0)
        .fetch_optional(&mut *conn)
        .await?;
        let Some(size) = size else {
            return Ok(Err(Problem::new(
                ErrorCode::FileNotUploaded,
                format!(
                    "upload {} first with PUT /v1/files/{}",
                    attachment.name, attachment.content_hash
                ),
            )));
        };
        files.push(FileRef {
            content_hash: attachment.content_hash.clone(),
            name: attachment.name.trim().to_owned(),
            media_type: attachment.media_type.clone(),
            size_bytes: u64::try_from(size).unwrap_or(0),
        });
    }
    Ok(Ok(files))
}

pub(crate) fn in_scope(caller: &Caller, ticket: &Ticket) -> bool {
    match caller.agent.role {
        Role::Agent => ticket.assignee == Some(caller.agent.id),
        Role::Lead => ticket.team == caller.agent.team,
    }
}

/// Tags as stored: trimmed, unique, bounded, printable.
fn valid_tags(tags: &[String]) -> Result<Vec<String>, MutationOutcome> {
    let mut clean: Vec<String> = Vec::new();
    for tag in tags {
        let tag = tag.trim();
        let bad = tag.is_empty()
            || tag.chars().count() > MAX_TAG_CHARS
            || tag.chars().any(char::is_control);
        if bad {
            return Err(rejected(
                ErrorCode::BadRequest,
                format!("a tag is 1 to {MAX_TAG_CHARS} printable characters: {tag:?}"),
            ));
        }
        if !clean.iter().any(|t| t == tag) {
            clean.push(tag.to_owned());
        }
    }
    if clean.len() > MAX_TAGS {
        return Err(rejected(
            ErrorCode::BadRequest,
            format!("a ticket has {MAX_TAGS} tags at most"),
        ));
    }
    Ok(clean)
}

async fn save_ticket(conn: &mut SqliteConnection, ticket: &Ticket) -> Result<(), ServerError> {
    sqlx::query(
        "UPDATE tickets SET assignee_id = ?, team = ?, version = ?, body = ? WHERE number = ?",
    )
    .bind(ticket.assignee.map(|a| a.0))
    .bind(&ticket.team)
    .bind(ticket.version)
    .bind(to_json(ticket))
    .bind(ticket.number.0)
    .execute(&mut *conn)
    .await?;
    log_change(conn, "ticket", ticket.number.0, Some(ticket.number.0), None).await
}

/// A ticket changed hands: the previous assignee is told to drop it, and
/// everything of the ticket is logged again so the new assignee, whose
/// cursor may be past it, pulls it whole.
async fn hand_over(
    conn: &mut SqliteConnection,
    ticket: &Ticket,
    previous: Option<AgentId>,
) -> Result<(), ServerError> {
    let number = ticket.number.0;
    if let Some(previous) = previous {
        log_change(conn, "eviction", number, None, Some(previous.0)).await?;
    }
    sqlx::query(
        "INSERT INTO changes (kind, key, ticket_number) \
         SELECT 'customer', customer_id, number FROM tickets WHERE number = ?1 \
         UNION ALL SELECT 'ticket', number, number FROM tickets WHERE number = ?1 \
         UNION ALL SELECT 'message', id, ticket_number FROM messages WHERE ticket_number = ?1 \
         UNION ALL SELECT 'attachment', id, ticket_number FROM attachments WHERE ticket_number = ?1",
    )
    .bind(number)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
