//! The agent's queue: views over the cache in SLA order (the earliest running
//! deadline first, tickets with no clock last, then oldest first), narrowed
//! by an optional filter, paged by a keyset cursor so page 200 costs what
//! page 1 does; and how far the agent has read each ticket.

use serde::{Deserialize, Serialize};
use shiftdesk_domain::{
    Category, Channel, MessageId, Plan, Priority, ServiceStage, TicketNumber, TicketStatus,
    Timestamp,
};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite};
use ts_rs::TS;

use crate::{Store, StoreError};

/// The largest page a caller may ask for.
pub const MAX_PAGE: u32 = 500;

/// How far ahead "breaching soon" looks, in minutes.
pub const BREACHING_SOON_MINUTES: i64 = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum QueueView {
    /// Assigned to me and needing work (new, open, reopened).
    MineOpen,
    /// Assigned to me, with a running SLA clock due within
    /// [`BREACHING_SOON_MINUTES`] or already overdue.
    BreachingSoon,
    /// Assigned to me and waiting on the customer (pending).
    WaitingOnCustomer,
    /// Every ticket in the cache: for a lead, the team's; for an agent,
    /// their own, since the server sends no one else's.
    Team,
}

impl QueueView {
    pub const ALL: [QueueView; 4] = [
        QueueView::MineOpen,
        QueueView::BreachingSoon,
        QueueView::WaitingOnCustomer,
        QueueView::Team,
    ];
}

/// Narrows a view: a ticket must match every kind given (AND), and one of
/// the values given for a kind (OR). An empty list leaves that kind open.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default, deny_unknown_fields)]
pub struct QueueFilter {
    pub channels: Vec<Channel>,
    pub statuses: Vec<TicketStatus>,
    pub priorities: Vec<Priority>,
    pub categories: Vec<Category>,
    pub plans: Vec<Plan>,
}

impl QueueFilter {
    /// Appends ` AND t.<column> IN (...)` for each kind that has values.
    fn push_sql(&self, q: &mut QueryBuilder<'_, Sqlite>) {
        let kinds: [(&str, Vec<&'static str>); 5] = [
            ("channel", self.channels.iter().map(|v| v.code()).collect()),
            ("status", self.statuses.iter().map(|v| v.code()).collect()),
            (
                "priority",
                self.priorities.iter().map(|v| v.code()).collect(),
            ),
            (
                "category",
                self.categories.iter().map(|v| v.code()).collect(),
            ),
            ("plan", self.plans.iter().map(|v| v.code()).collect()),
        ];
        for (column, codes) in kinds {
            if codes.is_empty() {
                continue;
            }
            q.push(" AND t.").push(column).push(" IN (");
            let mut values = q.separated(", ");
            for code in codes {
                values.push_bind(code);
            }
            values.push_unseparated(")");
        }
    }
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
    #[serde(default)]
    #[ts(optional = nullable)]
    pub filter: Option<QueueFilter>,
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
    /// The customer wrote after the newest message the agent has seen.
    pub unread: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct QueuePage {
    pub rows: Vec<QueueRow>,
    /// Pass back as `after` for the next page; `None` on the last page.
    pub next: Option<QueueCursor>,
}

/// How many tickets each view holds, under the filter they were asked with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct ViewCounts {
    #[ts(type = "number")]
    pub mine_open: i64,
    #[ts(type = "number")]
    pub breaching_soon: i64,
    #[ts(type = "number")]
    pub waiting_on_customer: i64,
    #[ts(type = "number")]
    pub team: i64,
}

/// The columns of a [`QueueRow`], for `FROM tickets t JOIN customers c ...
/// LEFT JOIN ticket_reads r ...`. Unread reads the message index from the
/// last read message on, never the bodies.
const ROW_COLUMNS: &str = "t.number, t.subject, c.name AS customer_name, t.channel, t.status, t.priority, \
     t.plan, t.service_name, t.service_stage, t.sla_due_at, t.created_at, t.updated_at, t.urgency, \
     EXISTS (SELECT 1 FROM messages m WHERE m.ticket_number = t.number AND m.kind = 'inbound' \
             AND (r.ticket_number IS NULL OR (m.created_at, m.id) > (r.message_created, r.message_id))) AS unread";
const ROW_TABLES: &str = "tickets t JOIN customers c ON c.id = t.customer_id \
     LEFT JOIN ticket_reads r ON r.ticket_number = t.number";

/// Appends the condition of `view`; each matches the partial index built
/// for it, in queue order.
fn push_view_filter(q: &mut QueryBuilder<'_, Sqlite>, view: QueueView, me: i64, now: Timestamp) {
    match view {
        QueueView::MineOpen => {
            q.push("t.assignee_id = ")
                .push_bind(me)
                .push(" AND t.status IN ('new', 'open', 'reopened')");
        }
        QueueView::BreachingSoon => {
            // `sla_due_at IS NOT NULL` selects the partial index; urgency is
            // the due time there, so the deadline bounds a range of it.
            q.push("t.assignee_id = ")
                .push_bind(me)
                .push(" AND t.sla_due_at IS NOT NULL AND t.urgency <= ")
                .push_bind(now.0.saturating_add(BREACHING_SOON_MINUTES * 60_000));
        }
        QueueView::WaitingOnCustomer => {
            q.push("t.assignee_id = ")
                .push_bind(me)
                .push(" AND t.status = 'pending'");
        }
        QueueView::Team => {
            q.push("1");
        }
    }
}

/// Appends the query of a page of `request`: one row more than its limit,
/// which tells whether another page follows.
fn push_page_query(
    q: &mut QueryBuilder<'_, Sqlite>,
    request: &QueueRequest,
    me: i64,
    now: Timestamp,
) {
    q.push(format_args!(
        "SELECT {ROW_COLUMNS} FROM {ROW_TABLES} WHERE "
    ));
    push_view_filter(q, request.view, me, now);
    if let Some(filter) = &request.filter {
        filter.push_sql(q);
    }
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
        .push_bind(i64::from(request.limit.clamp(1, MAX_PAGE)) + 1);
}

impl Store {
    /// A page of `request.view` as of `now` (which "breaching soon" counts from).
    pub async fn queue_page(
        &self,
        request: &QueueRequest,
        now: Timestamp,
    ) -> Result<QueuePage, StoreError> {
        let limit = request.limit.clamp(1, MAX_PAGE);
        let me = self.me().await?.map_or(-1, |a| a.0);
        let mut q = QueryBuilder::<Sqlite>::new("");
        push_page_query(&mut q, request, me, now);
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
        let row = sqlx::query(&format!(
            "SELECT {ROW_COLUMNS} FROM {ROW_TABLES} WHERE t.number = ?"
        ))
        .bind(number.0)
        .fetch_optional(&self.readers)
        .await?;
        row.as_ref().map(queue_row).transpose()
    }

    /// How many tickets each view holds as of `now`, narrowed by `filter`.
    pub async fn view_counts(
        &self,
        filter: Option<&QueueFilter>,
        now: Timestamp,
    ) -> Result<ViewCounts, StoreError> {
        let me = self.me().await?.map_or(-1, |a| a.0);
        let count = |view| {
            let readers = &self.readers;
            async move {
                let mut q = QueryBuilder::<Sqlite>::new("SELECT count(*) FROM tickets t WHERE ");
                push_view_filter(&mut q, view, me, now);
                if let Some(filter) = filter {
                    filter.push_sql(&mut q);
                }
                q.build_query_scalar::<i64>().fetch_one(readers).await
            }
        };
        Ok(ViewCounts {
            mine_open: count(QueueView::MineOpen).await?,
            breaching_soon: count(QueueView::BreachingSoon).await?,
            waiting_on_customer: count(QueueView::WaitingOnCustomer).await?,
            team: count(QueueView::Team).await?,
        })
    }

    /// Records that the agent has seen `ticket` up to `message`. Reading
    /// only moves forward: an older message than the one recorded changes
    /// nothing, so a stale pane never makes a ticket unread again.
    pub async fn mark_read(
        &self,
        ticket: TicketNumber,
        message: MessageId,
    ) -> Result<(), StoreError> {
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        let created: Option<i64> = sqlx::query_scalar(
            "SELECT created_at FROM messages WHERE id = ? AND ticket_number = ?",
        )
        .bind(message.0)
        .bind(ticket.0)
        .fetch_optional(&mut *tx)
        .await?;
        let created = created.ok_or(StoreError::UnknownMessage { ticket, message })?;
        sqlx::query(
            "INSERT INTO ticket_reads (ticket_number, message_id, message_created) VALUES (?, ?, ?) \
             ON CONFLICT (ticket_number) DO UPDATE SET message_id = excluded.message_id, \
             message_created = excluded.message_created \
             WHERE (excluded.message_created, excluded.message_id) > (message_created, message_id)",
        )
        .bind(ticket.0)
        .bind(message.0)
        .bind(created)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
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
        unread: row.try_get("unread")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case::sql_in_a_value(r#"{"channels": ["telegram' OR 1=1 --"]}"#)]
    #[case::unknown_kind(r#"{"channels": [], "assignee_id": [1]}"#)]
    #[case::cyrillic_value(r#"{"statuses": ["открыт"]}"#)]
    #[case::confusable_value(r#"{"plans": ["ѕtandard"]}"#)]
    #[case::not_a_list(r#"{"priorities": "urgent"}"#)]
    #[case::a_number(r#"{"categories": [1]}"#)]
    fn filters_with_unknown_values_do_not_parse(#[case] filter: &str) {
        let request =
            format!(r#"{{"view": "team", "after": null, "limit": 50, "filter": {filter}}}"#);
        assert!(
            serde_json::from_str::<QueueRequest>(&request).is_err(),
            "{request}"
        );
    }

    #[test]
    fn a_request_without_a_filter_or_with_some_kinds_parses() {
        let bare: QueueRequest =
            serde_json::from_str(r#"{"view": "breaching_soon", "after": null, "limit": 50}"#)
                .unwrap();
        assert_eq!(bare.filter, None);
        let some: QueueRequest = serde_json::from_str(
            r#"{"view": "team", "after": null, "limit": 50, "filter": {"plans": ["professional"]}}"#,
        )
        .unwrap();
        assert_eq!(some.filter.unwrap().plans, vec![Plan::Professional]);
    }

    /// Every view, filtered and paged, reads its own index in queue order:
    /// no table scan, no sort.
    #[tokio::test]
    async fn every_view_reads_its_index_in_queue_order() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("cache.sqlite"))
            .await
            .unwrap()
            .store;
        let filter = QueueFilter {
            channels: vec![Channel::Telegram, Channel::Email],
            plans: vec![Plan::Professional],
            ..QueueFilter::default()
        };
        let after = QueueCursor {
            urgency: 5,
            created_at: 1,
            number: 1,
        };
        for (view, index) in [
            (QueueView::MineOpen, "tickets_mine_open"),
            (QueueView::BreachingSoon, "tickets_mine_due"),
            (QueueView::WaitingOnCustomer, "tickets_waiting"),
            (QueueView::Team, "tickets_all"),
        ] {
            let request = QueueRequest {
                view,
                after: Some(after),
                limit: 50,
                filter: Some(filter.clone()),
            };
            let mut q = QueryBuilder::<Sqlite>::new("EXPLAIN QUERY PLAN ");
            push_page_query(&mut q, &request, 1, Timestamp(0));
            let plan: Vec<String> = q
                .build()
                .fetch_all(&store.readers)
                .await
                .unwrap()
                .iter()
                .map(|row| row.get::<String, _>("detail"))
                .collect();
            assert!(
                plan.iter()
                    .any(|step| step.starts_with("SEARCH t USING INDEX ") && step.contains(index)),
                "{view:?}: {plan:?}"
            );
            assert!(
                !plan.iter().any(|step| step.contains("TEMP B-TREE")),
                "{view:?}: {plan:?}"
            );
        }
    }
}
