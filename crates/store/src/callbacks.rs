//! The callbacks the agent promised customers on logged calls: which are
//! still owed, which come due, and which the agent was already reminded of.
//! Queued call logs count too (their placeholders are cached messages), so
//! an agent working offline is reminded as well.

use std::collections::HashSet;

use shiftdesk_domain::{AgentId, TicketNumber, Timestamp};
use sqlx::QueryBuilder;

use crate::{Store, StoreError};

/// SQLite allows 32766 bound values a statement; three a row.
const ROWS_PER_INSERT: usize = 1000;

/// SQL: the call log `m` promised a callback that is still owed. Its ticket
/// is not solved or closed, and no call with the customer was logged after
/// it. A missed inbound call does not count (nobody spoke), nor does another
/// copy of the same promise (the server's copy of a queued call log, beside
/// its placeholder until the outbox settles).
macro_rules! owed_callback {
    () => {
        "(m.call_callback_at IS NOT NULL \
         AND (SELECT status FROM tickets WHERE number = m.ticket_number) NOT IN ('solved', 'closed') \
         AND NOT EXISTS (SELECT 1 FROM messages later \
             WHERE later.ticket_number = m.ticket_number AND later.kind = 'call_log' \
             AND later.created_at > m.created_at \
             AND later.call_callback_at IS NOT m.call_callback_at \
             AND NOT (later.call_direction = 'inbound' AND later.call_outcome <> 'answered')))"
    };
}
pub(crate) use owed_callback;

/// A callback the agent promised and still owes, with what a reminder
/// says about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromisedCallback {
    pub ticket: TicketNumber,
    /// When the agent promised to call.
    pub at: Timestamp,
    pub subject: String,
    pub customer: String,
    pub phone: Option<String>,
}

/// The owed callbacks not reminded of yet, split at a time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallbacksDue {
    /// Due at or before the time asked for, earliest first.
    pub due: Vec<PromisedCallback>,
    /// When the next one after it is due.
    pub next_at: Option<Timestamp>,
}

impl Store {
    /// The callbacks `me` promised and still owes that were not reminded
    /// of yet: those due by `by`, and when the next is due. A promise is
    /// one per ticket and time, however many copies of its call log the
    /// cache holds.
    pub async fn callbacks_due(
        &self,
        me: AgentId,
        by: Timestamp,
    ) -> Result<CallbacksDue, StoreError> {
        let rows: Vec<(i64, i64, String, String, Option<String>)> = sqlx::query_as(concat!(
            "SELECT DISTINCT m.ticket_number, m.call_callback_at, t.subject, c.name, c.phone \
             FROM messages m JOIN tickets t ON t.number = m.ticket_number \
             JOIN customers c ON c.id = t.customer_id \
             WHERE m.author_type = 'agent' AND m.author_id = ? AND m.call_callback_at IS NOT NULL \
             AND NOT EXISTS (SELECT 1 FROM callback_reminders r \
                 WHERE r.ticket_number = m.ticket_number AND r.callback_at = m.call_callback_at) \
             AND ",
            owed_callback!(),
            " ORDER BY m.call_callback_at, m.ticket_number"
        ))
        .bind(me.0)
        .fetch_all(&self.readers)
        .await?;
        let mut callbacks = CallbacksDue::default();
        for (ticket, at, subject, customer, phone) in rows {
            if at > by.0 {
                callbacks.next_at = Some(Timestamp(at));
                break;
            }
            callbacks.due.push(PromisedCallback {
                ticket: TicketNumber(ticket),
                at: Timestamp(at),
                subject,
                customer,
                phone,
            });
        }
        Ok(callbacks)
    }

    /// Records reminders of `callbacks` (ticket, promised time) as raised at
    /// `now`; returns those not raised before, in the order given. One
    /// transaction, as for SLA alerts: all or none survive a crash.
    pub async fn record_reminders(
        &self,
        callbacks: &[(TicketNumber, Timestamp)],
        now: Timestamp,
    ) -> Result<Vec<(TicketNumber, Timestamp)>, StoreError> {
        let mut fresh = Vec::new();
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        for chunk in callbacks.chunks(ROWS_PER_INSERT) {
            let mut insert = QueryBuilder::new("WITH raised (ticket, due, at) AS (");
            insert.push_values(chunk, |mut row, (ticket, due)| {
                row.push_bind(ticket.0).push_bind(due.0).push_bind(now.0);
            });
            // A ticket evicted meanwhile has nobody to remind.
            insert.push(
                ") INSERT INTO callback_reminders (ticket_number, callback_at, reminded_at) \
                 SELECT ticket, due, at FROM raised \
                 WHERE EXISTS (SELECT 1 FROM tickets WHERE number = raised.ticket) \
                 ON CONFLICT DO NOTHING \
                 RETURNING ticket_number, callback_at",
            );
            let inserted: HashSet<(i64, i64)> = insert
                .build_query_as()
                .fetch_all(&mut *tx)
                .await?
                .into_iter()
                .collect();
            fresh.extend(
                chunk
                    .iter()
                    .filter(|(ticket, due)| inserted.contains(&(ticket.0, due.0))),
            );
        }
        tx.commit().await?;
        Ok(fresh)
    }
}
