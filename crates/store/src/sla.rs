//! What the SLA watcher reads from the cache: each ticket with the facts
//! that move its SLA clocks (what its messages mean under the domain's
//! rule, and its status log), and the synced policies. Only the columns
//! the clocks need are read, from an index that holds them all.

use serde::Deserialize;
use shiftdesk_domain::{
    AgentId, Channel, Plan, Priority, SlaEvent, SlaEventKind, SlaFacts, SlaPolicy, SlaTargets,
    StatusChange, TicketNumber, TicketStatus, Timestamp,
};
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};

use crate::rows::StoredKind;
use crate::write::MAX_BINDS;
use crate::{Store, StoreError};

/// One cached ticket as the SLA watcher sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlaTicket {
    pub number: TicketNumber,
    pub subject: String,
    pub status: TicketStatus,
    pub assignee: Option<AgentId>,
    pub channel: Channel,
    pub plan: Plan,
    pub priority: Priority,
    pub facts: SlaFacts,
}

impl Store {
    /// Every cached ticket (`None`) or just these (`Some`; numbers not
    /// cached are skipped), in number order, with their SLA facts, read in
    /// one read transaction so tickets and messages agree.
    pub async fn sla_tickets(
        &self,
        only: Option<&[TicketNumber]>,
    ) -> Result<Vec<SlaTicket>, StoreError> {
        let mut tx = self.readers.begin().await?;
        let mut tickets = Vec::new();
        match only {
            None => read_tickets(&mut tx, None, &mut tickets).await?,
            Some(numbers) => {
                let mut numbers = numbers.to_vec();
                numbers.sort_unstable();
                numbers.dedup();
                for chunk in numbers.chunks(MAX_BINDS) {
                    read_tickets(&mut tx, Some(chunk), &mut tickets).await?;
                }
            }
        }
        tx.commit().await?;
        Ok(tickets)
    }

    /// The synced policies, by id.
    pub async fn sla_policies(&self) -> Result<Vec<SlaPolicy>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, plan, priority, first_response_min, next_response_min, resolution_min, \
             warning, calendar FROM sla_policies ORDER BY id",
        )
        .fetch_all(&self.readers)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(SlaPolicy {
                    id: row.try_get(0)?,
                    plan: row.try_get::<&str, _>(1)?.parse()?,
                    priority: row.try_get::<&str, _>(2)?.parse()?,
                    targets: SlaTargets {
                        first_response_min: row.try_get(3)?,
                        next_response_min: row.try_get(4)?,
                        resolution_min: row.try_get(5)?,
                    },
                    warning: from_json(row.try_get(6)?, "sla_policies.warning")?,
                    calendar: from_json(row.try_get(7)?, "sla_policies.calendar")?,
                })
            })
            .collect()
    }
}

/// Appends the tickets of `only` (or all) to `out`, in one query: a row
/// per ticket with its messages' kind columns as one JSON array. sqlx spends
/// some microseconds on every row, so a row per message made 10,000 tickets
/// of ten messages cost half a second.
async fn read_tickets(
    conn: &mut SqliteConnection,
    only: Option<&[TicketNumber]>,
    out: &mut Vec<SlaTicket>,
) -> Result<(), StoreError> {
    let mut q = QueryBuilder::<Sqlite>::new(
        "SELECT t.number, t.subject, t.status, t.assignee_id, t.channel, t.plan, t.priority, \
         t.service_stage, t.created_at, t.status_log, \
         (SELECT json_group_array(json_array(m.created_at, m.kind, m.delivery_state, \
                 m.delivery_error, m.call_direction, m.call_duration_s, m.call_outcome, \
                 m.call_callback_at) ORDER BY m.created_at, m.id) \
            FROM messages m WHERE m.ticket_number = t.number) \
         FROM tickets t",
    );
    if let Some(numbers) = only {
        q.push(" WHERE t.number IN ");
        q.push_tuples(numbers, |mut b, n| {
            b.push_bind(n.0);
        });
    }
    q.push(" ORDER BY t.number");
    let rows = q.build().fetch_all(&mut *conn).await?;
    out.reserve(rows.len());
    for row in &rows {
        let log: Vec<StatusChange> = from_json(row.try_get(9)?, "tickets.status_log")?;
        let messages: Vec<StoredMessage<'_>> = from_json(row.try_get(10)?, "messages")?;
        let events = messages
            .iter()
            .filter_map(|m| m.event().transpose())
            .collect::<Result<Vec<_>, _>>()?;
        out.push(SlaTicket {
            number: TicketNumber(row.try_get(0)?),
            subject: row.try_get(1)?,
            status: row.try_get::<&str, _>(2)?.parse()?,
            assignee: row.try_get::<Option<i64>, _>(3)?.map(AgentId),
            channel: row.try_get::<&str, _>(4)?.parse()?,
            plan: row.try_get::<&str, _>(5)?.parse()?,
            priority: row.try_get::<&str, _>(6)?.parse()?,
            facts: SlaFacts::new(
                row.try_get::<&str, _>(7)?.parse()?,
                Timestamp(row.try_get(8)?),
                events,
                &log,
            ),
        });
    }
    Ok(())
}

/// One message as the JSON array the query builds: when it was written and
/// the columns its kind is stored in. Codes never need escaping, so they
/// are borrowed; a delivery error may.
#[derive(Deserialize)]
struct StoredMessage<'r>(
    i64,
    &'r str,
    #[serde(borrow)] Option<&'r str>,
    Option<String>,
    #[serde(borrow)] Option<&'r str>,
    Option<i64>,
    #[serde(borrow)] Option<&'r str>,
    Option<i64>,
);

impl StoredMessage<'_> {
    /// What the message means for the clocks, by the domain's rule.
    fn event(&self) -> Result<Option<SlaEvent>, StoreError> {
        let kind = StoredKind {
            kind: self.1,
            delivery_state: self.2,
            delivery_error: self.3.as_deref(),
            call_direction: self.4,
            call_duration_s: self.5,
            call_outcome: self.6,
            call_callback_at: self.7,
        }
        .decode()?;
        Ok(SlaEventKind::from_kind(&kind).map(|kind| SlaEvent {
            at: Timestamp(self.0),
            kind,
        }))
    }
}

fn from_json<'r, T: Deserialize<'r>>(text: &'r str, column: &'static str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|_| StoreError::BadRow {
        column,
        value: text.to_owned(),
    })
}
