//! The agent's queue: views over the cache in SLA order (the earliest running
//! deadline first, tickets with no clock last, then oldest first), paged by
//! a keyset cursor so page 200 costs what page 1 does.

use serde::{Deserialize, Serialize};
use shiftdesk_domain::{
    Channel, Plan, Priority, ServiceStage, TicketNumber, TicketStatus, Timestamp,
};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite};
use ts_rs::TS;

use crate::{Store, StoreError};

/// The largest page a caller may ask for.
pub const MAX_PAGE: u32 = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum QueueView {
    /// Assigned to me and needing work (new, open, reopened).
    MineOpen,
    /// Assigned to me and waiting on the customer (pending).
    WaitingOnCustomer,
    /// Every ticket in the cache.
    All,
}

/// Where a page ended: the order key of its last row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct QueueCursor {
    #[ts(type = "number")]
    pub urgency: i64,
    #[ts(type = "number")]
    pub created_at: i64,
    #[ts(type = "number")]
    pub number: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct QueueRequest {
    pub view: QueueView,
    pub after: Option<QueueCursor>,
    pub limit: u32,
}

/// One line of the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct QueueRow {
    pub number: TicketNumber,
    pub subject: String,
    pub customer_name: String,
    pub channel: Channel,
    pub status: TicketStatus,
    pub priority: Priority,
    pub plan: Plan,
    pub service_name: String,
    pub service_stage: ServiceStage,
    pub sla_due_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct QueuePage {
    pub rows: Vec<QueueRow>,
    /// Pass back as `after` for the next page; `None` on the last page.
    pub next: Option<QueueCursor>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct ViewCounts {
    #[ts(type = "number")]
    pub mine_open: i64,
    #[ts(type = "number")]
    pub waiting_on_customer: i64,
    #[ts(type = "number")]
    pub all: i64,
}

/// Appends the filter of `view`; each matches the partial index built for it.
fn push_view_filter(q: &mut QueryBuilder<'_, Sqlite>, view: QueueView, me: i64) {
    match view {
        QueueView::MineOpen => {
            q.push("t.assignee_id = ")
                .push_bind(me)
                .push(" AND t.status IN ('new', 'open', 'reopened')");
        }
        QueueView::WaitingOnCustomer => {
            q.push("t.assignee_id = ")
                .push_bind(me)
                .push(" AND t.status = 'pending'");
        }
        QueueView::All => {
            q.push("1");
        }
    }
}

impl Store {
    pub async fn queue_page(&self, request: &QueueRequest) -> Result<QueuePage, StoreError> {
        let limit = request.limit.clamp(1, MAX_PAGE);
        let me = self.me().await?.map_or(-1, |a| a.0);
        let mut q = QueryBuilder::<Sqlite>::new(
            "SELECT t.number, t.subject, c.name AS customer_name, t.channel, t.status, t.priority, t.plan, \
             t.service_name, t.service_stage, t.sla_due_at, t.created_at, t.updated_at, t.urgency \
             FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE ",
        );
        push_view_filter(&mut q, request.view, me);
        if let Some(after) = request.after {
            q.push(" AND (t.urgency, t.created_at, t.number) > (")
                .push_bind(after.urgency)
                .push(", ")
                .push_bind(after.created_at)
                .push(", ")
                .push_bind(after.number)
                .push(")");
        }
        q.push(" ORDER BY t.urgency, t.created_at, t.number LIMIT ")
            .push_bind(i64::from(limit) + 1);

        let mut fetched = q.build().fetch_all(&self.readers).await?;
        let more = fetched.len() > limit as usize;
        fetched.truncate(limit as usize);
        let next = match fetched.last() {
            Some(last) if more => Some(QueueCursor {
                urgency: last.try_get("urgency")?,
                created_at: last.try_get("created_at")?,
                number: last.try_get("number")?,
            }),
            _ => None,
        };
        let rows = fetched.iter().map(queue_row).collect::<Result<_, _>>()?;
        Ok(QueuePage { rows, next })
    }

    /// One ticket as a queue row, whatever view it is in.
    pub async fn queue_row(&self, number: TicketNumber) -> Result<Option<QueueRow>, StoreError> {
        let row = sqlx::query(
            "SELECT t.number, t.subject, c.name AS customer_name, t.channel, t.status, t.priority, t.plan, \
             t.service_name, t.service_stage, t.sla_due_at, t.created_at, t.updated_at \
             FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE t.number = ?",
        )
        .bind(number.0)
        .fetch_optional(&self.readers)
        .await?;
        row.as_ref().map(queue_row).transpose()
    }

    pub async fn view_counts(&self) -> Result<ViewCounts, StoreError> {
        let me = self.me().await?.map_or(-1, |a| a.0);
        let count = |view| {
            let readers = &self.readers;
            async move {
                let mut q = QueryBuilder::<Sqlite>::new("SELECT count(*) FROM tickets t WHERE ");
                push_view_filter(&mut q, view, me);
                q.build_query_scalar::<i64>().fetch_one(readers).await
            }
        };
        Ok(ViewCounts {
            mine_open: count(QueueView::MineOpen).await?,
            waiting_on_customer: count(QueueView::WaitingOnCustomer).await?,
            all: count(QueueView::All).await?,
        })
    }
}

fn queue_row(row: &SqliteRow) -> Result<QueueRow, StoreError> {
    Ok(QueueRow {
        number: TicketNumber(row.try_get("number")?),
        subject: row.try_get("subject")?,
        customer_name: row.try_get("customer_name")?,
        channel: row.try_get::<&str, _>("channel")?.parse()?,
        status: row.try_get::<&str, _>("status")?.parse()?,
        priority: row.try_get::<&str, _>("priority")?.parse()?,
        plan: row.try_get::<&str, _>("plan")?.parse()?,
        service_name: row.try_get("service_name")?,
        service_stage: row.try_get::<&str, _>("service_stage")?.parse()?,
        sla_due_at: row.try_get::<Option<i64>, _>("sla_due_at")?.map(Timestamp),
        created_at: Timestamp(row.try_get("created_at")?),
        updated_at: Timestamp(row.try_get("updated_at")?),
    })
}
