//! The queue of public replies on their way out through a gateway: which
//! are due, how far a reply of several parts got, and the outcome, written
//! into the message itself so its delivery state reaches every console by
//! sync. A reply the peer refused waits as failed until an agent retries it.

use shiftdesk_domain::{
    Attachment, Channel, Customer, DeliveryState, Message, MessageId, MessageKind, Ticket,
    Timestamp,
};
use sqlx::SqliteConnection;

use crate::db::{from_json, log_change, to_json};
use crate::{Db, ServerError};

/// Transient failures retried before a reply counts as failed.
pub const MAX_ATTEMPTS: i64 = 8;
/// The first retry waits this long; each failure doubles it.
const FIRST_RETRY_MS: i64 = 2_000;
const LONGEST_RETRY_MS: i64 = 10 * 60 * 1000;

/// A reply due to go out, with what its gateway needs to address it.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub message: Message,
    pub ticket: Ticket,
    pub customer: Customer,
    /// Parts the peer already took.
    pub parts_sent: u32,
    pub attempts: i64,
    pub peer_ref: Option<String>,
}

/// The files of the reply `out`, in the order they were attached.
pub async fn files_of(db: &Db, out: &Outgoing) -> Result<Vec<Attachment>, ServerError> {
    let bodies: Vec<String> = sqlx::query_scalar(
        "SELECT body FROM attachments WHERE ticket_number = ? \
         AND json_extract(body, '$.message') = ? ORDER BY id",
    )
    .bind(out.ticket.number.0)
    .bind(out.message.id.0)
    .fetch_all(&db.readers)
    .await?;
    bodies.iter().map(|b| from_json(b, "attachment")).collect()
}

/// How an attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    /// The peer took it (SMTP accepted it).
    Sent { peer_ref: String },
    /// The peer says it reached the customer (Telegram's message id).
    Delivered { peer_ref: String },
    /// The peer refused it for good; `reason` in the peer's words.
    Refused { reason: String },
    /// No answer, or "later": tried again after a backoff, or, once
    /// [`MAX_ATTEMPTS`] are used up, failed with `reason`.
    Unanswered {
        reason: String,
        /// The peer's own wait (Telegram's `retry_after`).
        retry_after_ms: Option<i64>,
    },
}

/// Queues `message` for its channel's gateway when it is a reply that one
/// delivers; the caller's transaction.
pub(crate) async fn enqueue(
    conn: &mut SqliteConnection,
    message: &Message,
) -> Result<(), ServerError> {
    let queued = matches!(
        message.kind,
        MessageKind::PublicReply {
            delivery: DeliveryState::Queued
        }
    );
    if queued && matches!(message.channel, Channel::Telegram | Channel::Email) {
        sqlx::query(
            "INSERT INTO deliveries (message_id, channel, state, next_attempt_at) \
             VALUES (?, ?, 'queued', ?)",
        )
        .bind(message.id.0)
        .bind(message.channel.code())
        .bind(message.created_at.0)
        .execute(conn)
        .await?;
    }
    Ok(())
}

/// Up to `limit` replies on `channel` due at `now`, oldest first.
pub async fn due(
    db: &Db,
    channel: Channel,
    now: Timestamp,
    limit: i64,
) -> Result<Vec<Outgoing>, ServerError> {
    let rows: Vec<(String, String, String, i64, i64, Option<String>)> = sqlx::query_as(
        "SELECT m.body, t.body, c.body, d.parts_sent, d.attempts, d.peer_ref \
         FROM deliveries d JOIN messages m ON m.id = d.message_id \
         JOIN tickets t ON t.number = m.ticket_number JOIN customers c ON c.id = t.customer_id \
         WHERE d.channel = ? AND d.state = 'queued' AND d.next_attempt_at <= ? \
         ORDER BY d.next_attempt_at, d.message_id LIMIT ?",
    )
    .bind(channel.code())
    .bind(now.0)
    .bind(limit)
    .fetch_all(&db.readers)
    .await?;
    rows.into_iter()
        .map(
            |(message, ticket, customer, parts_sent, attempts, peer_ref)| {
                Ok(Outgoing {
                    message: from_json(&message, "message")?,
                    ticket: from_json(&ticket, "ticket")?,
                    customer: from_json(&customer, "customer")?,
                    parts_sent: u32::try_from(parts_sent).unwrap_or(0),
                    attempts,
                    peer_ref,
                })
            },
        )
        .collect()
}

/// When the next reply on `channel` falls due, if any is queued.
pub async fn next_due(db: &Db, channel: Channel) -> Result<Option<Timestamp>, ServerError> {
    let at: Option<i64> = sqlx::query_scalar(
        "SELECT min(next_attempt_at) FROM deliveries WHERE channel = ? AND state = 'queued'",
    )
    .bind(channel.code())
    .fetch_one(&db.readers)
    .await?;
    Ok(at.map(Timestamp))
}

/// Keeps that the peer took `parts_sent` parts of `message` (their ids in
/// `peer_ref`), so a delivery cut short resumes after them.
pub async fn part_sent(
    db: &Db,
    message: MessageId,
    parts_sent: u32,
    peer_ref: &str,
) -> Result<(), ServerError> {
    sqlx::query("UPDATE deliveries SET parts_sent = ?, peer_ref = ? WHERE message_id = ?")
        .bind(i64::from(parts_sent))
        .bind(peer_ref)
        .bind(message.0)
        .execute(&db.writer)
        .await?;
    Ok(())
}

/// Records how an attempt at `out` ended. A final outcome is written into
/// the message and logged, so consoles see it on their next pull; returns
/// whether it was (the caller nudges the event streams).
pub async fn settle(
    db: &Db,
    out: &Outgoing,
    attempt: Attempt,
    now: Timestamp,
) -> Result<bool, ServerError> {
    let attempts = out.attempts + 1;
    let (state, peer_ref, error) = match attempt {
        Attempt::Sent { peer_ref } => (DeliveryState::Sent, Some(peer_ref), None),
        Attempt::Delivered { peer_ref } => (DeliveryState::Delivered, Some(peer_ref), None),
        Attempt::Refused { reason } => (
            DeliveryState::Failed {
                reason: reason.clone(),
            },
            None,
            Some(reason),
        ),
        Attempt::Unanswered {
            reason,
            retry_after_ms,
        } if attempts < MAX_ATTEMPTS => {
            let backoff = (FIRST_RETRY_MS << (attempts - 1).min(20)).min(LONGEST_RETRY_MS);
            let wait = retry_after_ms.map_or(backoff, |peer| peer.max(backoff / 2));
            tracing::warn!(message = out.message.id.0, attempt = attempts, %reason, wait_ms = wait, "delivery will be retried");
            sqlx::query(
                "UPDATE deliveries SET attempts = ?, last_error = ?, next_attempt_at = ? \
                 WHERE message_id = ?",
            )
            .bind(attempts)
            .bind(&reason)
            .bind(now.0.saturating_add(wait))
            .bind(out.message.id.0)
            .execute(&db.writer)
            .await?;
            return Ok(false);
        }
        Attempt::Unanswered { reason, .. } => {
            let reason = format!("no answer after {attempts} attempts: {reason}");
            (
                DeliveryState::Failed {
                    reason: reason.clone(),
                },
                None,
                Some(reason),
            )
        }
    };
    let mut tx = db.writer.begin_with("BEGIN IMMEDIATE").await?;
    sqlx::query(
        "UPDATE deliveries SET state = ?, attempts = ?, peer_ref = coalesce(?, peer_ref), \
         last_error = ? WHERE message_id = ?",
    )
    .bind(state.code())
    .bind(attempts)
    .bind(peer_ref)
    .bind(&error)
    .bind(out.message.id.0)
    .execute(&mut *tx)
    .await?;
    if let Some(reason) = &error {
        tracing::warn!(message = out.message.id.0, %reason, "delivery failed");
    }
    set_delivery(&mut tx, &out.message, state).await?;
    tx.commit().await?;
    Ok(true)
}

/// Puts a failed reply back in the queue: an agent's retry. Parts the peer
/// already took are not sent again. `false` when `message` is not a failed
/// reply.
pub(crate) async fn retry(
    conn: &mut SqliteConnection,
    message: &Message,
    now: Timestamp,
) -> Result<bool, ServerError> {
    let failed = matches!(
        message.kind,
        MessageKind::PublicReply {
            delivery: DeliveryState::Failed { .. }
        }
    );
    let requeued = failed
        && sqlx::query(
            "UPDATE deliveries SET state = 'queued', attempts = 0, next_attempt_at = ?, \
             last_error = NULL WHERE message_id = ? AND state = 'failed'",
        )
        .bind(now.0)
        .bind(message.id.0)
        .execute(&mut *conn)
        .await?
        .rows_affected()
            == 1;
    if requeued {
        set_delivery(conn, message, DeliveryState::Queued).await?;
    }
    Ok(requeued)
}

async fn set_delivery(
    conn: &mut SqliteConnection,
    message: &Message,
    state: DeliveryState,
) -> Result<(), ServerError> {
    let mut updated = message.clone();
    updated.kind = MessageKind::PublicReply { delivery: state };
    sqlx::query("UPDATE messages SET body = ? WHERE id = ?")
        .bind(to_json(&updated))
        .bind(message.id.0)
        .execute(&mut *conn)
        .await?;
    log_change(conn, "message", message.id.0, Some(message.ticket.0), None).await
}
