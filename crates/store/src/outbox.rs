//! The outbox: every change the agent makes, kept durably, in order, until
//! the server confirms it. An entry is written in the same transaction as
//! its local effect (the reply shown as queued, the status already
//! changed), so what the agent sees and what will be sent never part.
//! Sync never drops an entry.

use shiftdesk_domain::{
    AgentId, Attachment, AttachmentId, Channel, Message, MessageId, Priority, StatusChange,
    TicketNumber, TicketStatus, Timestamp,
};

use crate::write::{search_documents, to_json, write_threads, Document};
use crate::{Store, StoreError};

/// Where an entry stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum OutboxState {
    /// Waiting to be sent (again).
    Queued,
    /// The server refused it for good; the text is kept for the agent.
    Failed,
    /// Waits for the agent: a conflict, or the customer wrote since.
    NeedsReview,
}

impl OutboxState {
    pub const fn code(self) -> &'static str {
        match self {
            OutboxState::Queued => "queued",
            OutboxState::Failed => "failed",
            OutboxState::NeedsReview => "needs_review",
        }
    }

    pub(crate) fn parse(code: &str) -> Result<Self, StoreError> {
        Ok(match code {
            "queued" => OutboxState::Queued,
            "failed" => OutboxState::Failed,
            "needs_review" => OutboxState::NeedsReview,
            other => {
                return Err(StoreError::BadRow {
                    column: "outbox.state",
                    value: other.to_owned(),
                })
            }
        })
    }
}

/// A change the agent just made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOutboxEntry {
    /// The client-made UUID: the server's idempotency key.
    pub id: String,
    pub ticket: TicketNumber,
    /// The wire mutation as JSON; the cache does not read it.
    pub mutation: String,
    pub base_version: Option<i64>,
    /// The newest message of the ticket the agent had seen.
    pub seen_message: Option<MessageId>,
    pub created_at: Timestamp,
}

/// What the cache shows at once, before the server has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LocalEffect {
    /// A reply, note or call log with the files attached to it, shown
    /// until the server's copy arrives.
    Message {
        message: Message,
        files: Vec<Attachment>,
    },
    Status(TicketStatus),
    Priority(Priority),
    Assignee(Option<AgentId>),
    Tags(Vec<String>),
    /// Nothing to show before the server answers (a delivery retry: the
    /// requeued reply comes back with the same sync).
    FromServer,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    pub seq: i64,
    pub id: String,
    pub ticket: TicketNumber,
    pub mutation: String,
    pub base_version: Option<i64>,
    pub seen_message: Option<MessageId>,
    pub state: OutboxState,
    pub attempts: i64,
    /// Why it failed or waits (JSON written by the engine).
    pub review: Option<String>,
    pub created_at: Timestamp,
}

/// What a change to a ticket is made against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TicketHead {
    pub version: i64,
    pub channel: Channel,
    pub newest_message: Option<MessageId>,
}

/// What became of a sent entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settlement {
    /// The server has it: the entry and its placeholder go.
    Done {
        id: String,
    },
    Failed {
        id: String,
        review: String,
    },
    NeedsReview {
        id: String,
        review: String,
    },
    /// Not answered (network, 5xx, 429): stays queued, one more attempt.
    Retry {
        id: String,
    },
}

/// The id a queued message is shown under until the server's copy
/// arrives: negative, so it never meets a server id.
pub fn placeholder_id(seq: i64) -> MessageId {
    MessageId(-seq)
}

/// Room for a placeholder's files: far more than a message may carry.
const FILES_PER_PLACEHOLDER: i64 = 1024;

/// The id the `index`th file of a queued message is shown under: negative
/// and distinct per entry, like the message's.
fn placeholder_file_id(seq: i64, index: usize) -> Result<AttachmentId, StoreError> {
    match i64::try_from(index) {
        Ok(i) if i < FILES_PER_PLACEHOLDER => Ok(AttachmentId(-(seq * FILES_PER_PLACEHOLDER + i))),
        _ => Err(StoreError::BadRow {
            column: "attachments.id",
            value: format!("a queued message with more than {FILES_PER_PLACEHOLDER} files"),
        }),
    }
}

impl Store {
    /// Writes `entry` and shows `effect` in one durable transaction (a
    /// message also takes the ticket's draft away); returns the entry's
    /// sequence number.
    pub async fn enqueue(
        &self,
        entry: &NewOutboxEntry,
        effect: &LocalEffect,
    ) -> Result<i64, StoreError> {
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        let seq = enqueue_in(&mut tx, None, entry, effect).await?;
        if matches!(effect, LocalEffect::Message { .. }) {
            // The draft it was written in goes with it: a crash can leave
            // neither a lost reply nor one that looks unsent.
            sqlx::query("DELETE FROM drafts WHERE ticket_number = ?")
                .bind(entry.ticket.0)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        if !matches!(effect, LocalEffect::FromServer) {
            self.announce(vec![entry.ticket], false);
        }
        Ok(seq)
    }

    /// Puts `entry` in the place of `old`, an entry that failed or waits
    /// for the agent (sent again as it was, edited, or sent past the
    /// traffic cop), in one transaction: there is never a moment with
    /// both or neither. The new entry has a new id: the server may have
    /// recorded the old one's refusal under it.
    pub async fn replace_entry(
        &self,
        old: &str,
        entry: &NewOutboxEntry,
        effect: &LocalEffect,
    ) -> Result<i64, StoreError> {
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        let (gone, place) = remove_settled(&mut tx, old).await?;
        let seq = enqueue_in(&mut tx, Some(place), entry, effect).await?;
        tx.commit().await?;
        self.announce(vec![gone, entry.ticket], false);
        Ok(seq)
    }

    /// Drops an entry that failed or waits for the agent, with the reply
    /// it showed. A queued entry may be on the wire, so it cannot be
    /// taken back.
    pub async fn discard(&self, id: &str) -> Result<TicketNumber, StoreError> {
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        let (ticket, _) = remove_settled(&mut tx, id).await?;
        tx.commit().await?;
        self.announce(vec![ticket], false);
        Ok(ticket)
    }

    /// One entry, by id.
    pub async fn outbox_entry(&self, id: &str) -> Result<Option<OutboxEntry>, StoreError> {
        Ok(self.entries(Some(id)).await?.pop())
    }

    /// Every entry, oldest first.
    pub async fn outbox(&self) -> Result<Vec<OutboxEntry>, StoreError> {
        self.entries(None).await
    }

    async fn entries(&self, only: Option<&str>) -> Result<Vec<OutboxEntry>, StoreError> {
        type Row = (
            i64,
            String,
            i64,
            String,
            Option<i64>,
            Option<i64>,
            String,
            i64,
            Option<String>,
            i64,
        );
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT seq, id, ticket_number, mutation, base_version, seen_message_id, state, \
             attempts, review, created_at FROM outbox WHERE ?1 IS NULL OR id = ?1 ORDER BY seq",
        )
        .bind(only)
        .fetch_all(&self.readers)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(OutboxEntry {
                    seq: r.0,
                    id: r.1,
                    ticket: TicketNumber(r.2),
                    mutation: r.3,
                    base_version: r.4,
                    seen_message: r.5.map(MessageId),
                    state: OutboxState::parse(&r.6)?,
                    attempts: r.7,
                    review: r.8,
                    created_at: Timestamp(r.9),
                })
            })
            .collect()
    }

    /// Records what became of sent entries, in one transaction.
    pub async fn settle(&self, settlements: &[Settlement]) -> Result<(), StoreError> {
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        let mut touched = Vec::new();
        for settlement in settlements {
            match settlement {
                Settlement::Done { id } => {
                    let gone: Option<(i64, i64)> = sqlx::query_as(
                        "DELETE FROM outbox WHERE id = ? RETURNING seq, ticket_number",
                    )
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
                    if let Some((seq, ticket)) = gone {
                        let ticket = [TicketNumber(ticket)];
                        search_documents(&mut tx, &ticket, Document::Remove).await?;
                        let shown = sqlx::query("DELETE FROM messages WHERE id = ?")
                            .bind(placeholder_id(seq).0)
                            .execute(&mut *tx)
                            .await?
                            .rows_affected();
                        search_documents(&mut tx, &ticket, Document::Add).await?;
                        if shown > 0 {
                            touched.extend(ticket);
                        }
                    }
                }
                Settlement::Failed { id, review } | Settlement::NeedsReview { id, review } => {
                    // The server did not take the edit: the cache shows
                    // what it showed before it.
                    let undo: Option<(i64, Option<String>)> = sqlx::query_as(
                        "SELECT ticket_number, undo FROM outbox WHERE id = ? AND state = 'queued'",
                    )
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
                    if let Some((ticket, Some(undo))) = undo {
                        touched.push(TicketNumber(ticket));
                        let undo: serde_json::Value =
                            serde_json::from_str(&undo).unwrap_or_default();
                        if let Some(column) = undo["column"].as_str() {
                            let value = undo["value"].as_str();
                            set_field(&mut tx, TicketNumber(ticket), column, value).await?;
                        }
                        if let Some(log) = undo["status_log"].as_str() {
                            sqlx::query("UPDATE tickets SET status_log = ? WHERE number = ?")
                                .bind(log)
                                .bind(ticket)
                                .execute(&mut *tx)
                                .await?;
                        }
                    }
                    let state = if matches!(settlement, Settlement::Failed { .. }) {
                        OutboxState::Failed
                    } else {
                        OutboxState::NeedsReview
                    };
                    sqlx::query(
                        "UPDATE outbox SET state = ?, review = ?, attempts = attempts + 1 \
                         WHERE id = ?",
                    )
                    .bind(state.code())
                    .bind(review)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                }
                Settlement::Retry { id } => {
                    sqlx::query("UPDATE outbox SET attempts = attempts + 1 WHERE id = ?")
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                }
            }
        }
        tx.commit().await?;
        self.announce(touched, false);
        Ok(())
    }

    /// The agent's own edits chain: once the server took one made against
    /// `from`, the queued edits of that ticket made against `from` are
    /// based on the version it produced.
    pub async fn rebase(&self, ticket: TicketNumber, from: i64, to: i64) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE outbox SET base_version = ? \
             WHERE ticket_number = ? AND base_version = ? AND state = 'queued'",
        )
        .bind(to)
        .bind(ticket.0)
        .bind(from)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    /// What a change to `ticket` is made against: its version, channel and
    /// newest message as cached.
    pub async fn ticket_head(
        &self,
        ticket: TicketNumber,
    ) -> Result<Option<TicketHead>, StoreError> {
        let row: Option<(i64, String, Option<i64>)> = sqlx::query_as(
            "SELECT t.version, t.channel, \
             (SELECT max(id) FROM messages m WHERE m.ticket_number = t.number AND m.id > 0) \
             FROM tickets t WHERE t.number = ?",
        )
        .bind(ticket.0)
        .fetch_optional(&self.readers)
        .await?;
        row.map(|(version, channel, newest)| {
            Ok(TicketHead {
                version,
                channel: channel.parse().map_err(|_| StoreError::BadRow {
                    column: "tickets.channel",
                    value: channel.clone(),
                })?,
                newest_message: newest.map(MessageId),
            })
        })
        .transpose()
    }

    /// Whether the customer or a colleague wrote on `ticket` after
    /// `seen` (`me` is the agent whose cache this is).
    pub async fn written_since(
        &self,
        ticket: TicketNumber,
        seen: Option<MessageId>,
        me: AgentId,
    ) -> Result<bool, StoreError> {
        let newer: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM messages WHERE ticket_number = ? AND id > ? \
             AND kind IN ('inbound', 'public_reply', 'internal_note', 'call_log') \
             AND (author_type = 'customer' OR (author_type = 'agent' AND author_id <> ?))",
        )
        .bind(ticket.0)
        .bind(seen.map_or(0, |m| m.0))
        .bind(me.0)
        .fetch_one(&self.readers)
        .await?;
        Ok(newer > 0)
    }
}

/// Writes `entry` and shows `effect` inside the caller's transaction, at
/// sequence number `place` (one freed by the entry it replaces, so the
/// order of the agent's changes holds) or after every other entry;
/// returns the entry's sequence number.
async fn enqueue_in(
    conn: &mut sqlx::SqliteConnection,
    place: Option<i64>,
    entry: &NewOutboxEntry,
    effect: &LocalEffect,
) -> Result<i64, StoreError> {
    let seq: i64 = sqlx::query_scalar(
        "INSERT INTO outbox (seq, id, ticket_number, mutation, base_version, seen_message_id, created_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING seq",
    )
    .bind(place)
    .bind(&entry.id)
    .bind(entry.ticket.0)
    .bind(&entry.mutation)
    .bind(entry.base_version)
    .bind(entry.seen_message.map(|m| m.0))
    .bind(entry.created_at.0)
    .fetch_one(&mut *conn)
    .await?;
    let field = match effect {
        LocalEffect::Message { message, files } => {
            let mut shown = message.clone();
            shown.id = placeholder_id(seq);
            let files = files
                .iter()
                .enumerate()
                .map(|(i, file)| {
                    Ok(Attachment {
                        id: placeholder_file_id(seq, i)?,
                        message: shown.id,
                        ..file.clone()
                    })
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
            let files: Vec<&Attachment> = files.iter().collect();
            write_threads(&mut *conn, &[], &[&shown], &files).await?;
            None
        }
        LocalEffect::Status(status) => Some(("status", status.code().to_owned())),
        LocalEffect::Priority(priority) => Some(("priority", priority.code().to_owned())),
        LocalEffect::Assignee(assignee) => Some((
            "assignee_id",
            assignee.map_or(String::new(), |a| a.0.to_string()),
        )),
        LocalEffect::Tags(tags) => Some((
            "tags",
            serde_json::to_string(tags).unwrap_or_else(|_| "[]".into()),
        )),
        LocalEffect::FromServer => None,
    };
    if let Some((column, value)) = field {
        let before: Option<Option<String>> = sqlx::query_scalar(&format!(
            "SELECT CAST({column} AS TEXT) FROM tickets WHERE number = ?"
        ))
        .bind(entry.ticket.0)
        .fetch_optional(&mut *conn)
        .await?;
        let mut undo = serde_json::json!({ "column": column, "value": before.flatten() });
        if let LocalEffect::Status(status) = effect {
            // The SLA clocks replay the log: the move counts from when
            // the agent made it, and a refusal takes it back with the
            // status.
            let log: Option<String> =
                sqlx::query_scalar("SELECT status_log FROM tickets WHERE number = ?")
                    .bind(entry.ticket.0)
                    .fetch_optional(&mut *conn)
                    .await?;
            undo["status_log"] = log.into();
            let change = StatusChange {
                at: entry.created_at,
                status: *status,
            };
            sqlx::query(
                "UPDATE tickets SET status_log = json_insert(status_log, '$[#]', json(?)) \
                 WHERE number = ?",
            )
            .bind(to_json(&change))
            .bind(entry.ticket.0)
            .execute(&mut *conn)
            .await?;
        }
        sqlx::query("UPDATE outbox SET undo = ? WHERE seq = ?")
            .bind(undo.to_string())
            .bind(seq)
            .execute(&mut *conn)
            .await?;
        let value = (!value.is_empty()).then_some(value.as_str());
        set_field(&mut *conn, entry.ticket, column, value).await?;
    }
    Ok(seq)
}

/// Removes an entry that failed or waits for the agent, and the message it
/// showed; returns its ticket and sequence number. Its field edit was
/// already taken back when it was settled.
async fn remove_settled(
    conn: &mut sqlx::SqliteConnection,
    id: &str,
) -> Result<(TicketNumber, i64), StoreError> {
    let gone: Option<(i64, i64)> = sqlx::query_as(
        "DELETE FROM outbox WHERE id = ? AND state IN ('failed', 'needs_review') \
         RETURNING seq, ticket_number",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((seq, ticket)) = gone else {
        return Err(StoreError::OutboxEntryNotSettled(id.to_owned()));
    };
    let ticket = TicketNumber(ticket);
    search_documents(&mut *conn, &[ticket], Document::Remove).await?;
    sqlx::query("DELETE FROM messages WHERE id = ?")
        .bind(placeholder_id(seq).0)
        .execute(&mut *conn)
        .await?;
    search_documents(&mut *conn, &[ticket], Document::Add).await?;
    Ok((ticket, seq))
}

/// Sets one editable column of a cached ticket; other names are refused.
async fn set_field(
    conn: &mut sqlx::SqliteConnection,
    ticket: TicketNumber,
    column: &str,
    value: Option<&str>,
) -> Result<(), StoreError> {
    let column = match column {
        "status" | "priority" | "tags" | "assignee_id" => column,
        other => {
            return Err(StoreError::BadRow {
                column: "outbox.undo",
                value: other.to_owned(),
            })
        }
    };
    let query = format!("UPDATE tickets SET {column} = ? WHERE number = ?");
    if column == "assignee_id" {
        sqlx::query(&query)
            .bind(value.and_then(|v| v.parse::<i64>().ok()))
            .bind(ticket.0)
            .execute(conn)
            .await?;
    } else {
        sqlx::query(&query)
            .bind(value)
            .bind(ticket.0)
            .execute(conn)
            .await?;
    }
    Ok(())
}
