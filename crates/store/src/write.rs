//! Writing synced data into the cache: each call is one `BEGIN IMMEDIATE`
//! transaction, rows go in as multi-row statements so a large first sync is
//! bounded by SQLite, not by round trips, and the search index of every
//! touched ticket is rebuilt in the same transaction.

use shiftdesk_domain::{
    Agent, Attachment, CannedResponse, Customer, Message, SlaPolicy, Thread, Ticket, TicketNumber,
};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use crate::rows::{author_columns, kind_columns};
use crate::{Store, StoreError};

/// SQLite allows 32766 bound values a statement; stay well below.
pub(crate) const MAX_BINDS: usize = 8000;

impl Store {
    pub async fn upsert_agents(&self, agents: &[Agent]) -> Result<(), StoreError> {
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        write_agents(&mut tx, agents).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn upsert_customers(&self, customers: &[Customer]) -> Result<(), StoreError> {
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        write_customers(&mut tx, customers).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn replace_sla_policies(&self, policies: &[SlaPolicy]) -> Result<(), StoreError> {
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        sqlx::query("DELETE FROM sla_policies")
            .execute(&mut *tx)
            .await?;
        write_sla_policies(&mut tx, policies).await?;
        tx.commit().await?;
        self.announce(Vec::new(), true);
        Ok(())
    }

    pub async fn replace_canned_responses(
        &self,
        canned: &[CannedResponse],
    ) -> Result<(), StoreError> {
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        sqlx::query("DELETE FROM canned_responses")
            .execute(&mut *tx)
            .await?;
        write_canned_responses(&mut tx, canned).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Inserts or updates tickets with the messages and attachments given
    /// (messages already cached and not given are kept), in one transaction.
    /// Returns the number of rows written.
    pub async fn upsert_threads(&self, threads: &[Thread]) -> Result<u64, StoreError> {
        let tickets: Vec<&Ticket> = threads.iter().map(|t| &t.ticket).collect();
        let messages: Vec<&Message> = threads.iter().flat_map(|t| &t.messages).collect();
        let attachments: Vec<&Attachment> = threads.iter().flat_map(|t| &t.attachments).collect();
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        let (rows, touched) = write_threads(&mut tx, &tickets, &messages, &attachments).await?;
        tx.commit().await?;
        self.announce(touched, false);
        Ok(rows)
    }
}

pub(crate) async fn write_agents(
    conn: &mut SqliteConnection,
    agents: &[Agent],
) -> Result<(), StoreError> {
    for chunk in agents.chunks(MAX_BINDS / 4) {
        let mut q = QueryBuilder::<Sqlite>::new("INSERT INTO agents (id, name, team, role) ");
        q.push_values(chunk, |mut b, a| {
            b.push_bind(a.id.0)
                .push_bind(&a.name)
                .push_bind(&a.team)
                .push_bind(a.role.code());
        });
        q.push(" ON CONFLICT (id) DO UPDATE SET name = excluded.name, team = excluded.team, role = excluded.role");
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}

pub(crate) async fn write_customers(
    conn: &mut SqliteConnection,
    customers: &[Customer],
) -> Result<(), StoreError> {
    for chunk in customers.chunks(MAX_BINDS / 7) {
        let mut q = QueryBuilder::<Sqlite>::new(
                "INSERT INTO customers (id, name, account_login, project, email, telegram_chat, phone) ",
            );
        q.push_values(chunk, |mut b, c| {
            b.push_bind(c.id.0)
                .push_bind(&c.name)
                .push_bind(&c.account_login)
                .push_bind(&c.project)
                .push_bind(&c.email)
                .push_bind(c.telegram_chat)
                .push_bind(&c.phone);
        });
        q.push(
                " ON CONFLICT (id) DO UPDATE SET name = excluded.name, account_login = excluded.account_login, \
                 project = excluded.project, email = excluded.email, telegram_chat = excluded.telegram_chat, \
                 phone = excluded.phone",
            );
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}

pub(crate) async fn write_sla_policies(
    conn: &mut SqliteConnection,
    policies: &[SlaPolicy],
) -> Result<(), StoreError> {
    for p in policies {
        sqlx::query(
            "INSERT INTO sla_policies (id, plan, priority, first_response_min, next_response_min, \
             resolution_min, warning, calendar) VALUES (?, ?, ?, ?, ?, ?, ?, ?) \
             ON CONFLICT (id) DO UPDATE SET plan = excluded.plan, priority = excluded.priority, \
             first_response_min = excluded.first_response_min, \
             next_response_min = excluded.next_response_min, resolution_min = excluded.resolution_min, \
             warning = excluded.warning, calendar = excluded.calendar",
        )
        .bind(p.id)
        .bind(p.plan.code())
        .bind(p.priority.code())
        .bind(p.targets.first_response_min)
        .bind(p.targets.next_response_min)
        .bind(p.targets.resolution_min)
        .bind(to_json(&p.warning))
        .bind(to_json(&p.calendar))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

pub(crate) async fn write_canned_responses(
    conn: &mut SqliteConnection,
    canned: &[CannedResponse],
) -> Result<(), StoreError> {
    for c in canned {
        sqlx::query(
            "INSERT INTO canned_responses (id, title, body, category) VALUES (?, ?, ?, ?) \
             ON CONFLICT (id) DO UPDATE SET title = excluded.title, body = excluded.body, \
             category = excluded.category",
        )
        .bind(c.id)
        .bind(&c.title)
        .bind(&c.body)
        .bind(c.category.map(|c| c.code()))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> String {
    // Serializing plain data types into a String cannot fail.
    serde_json::to_string(value).unwrap_or_default()
}

/// Tickets, messages and attachments with the search documents of every
/// ticket they touch rebuilt; the caller's transaction. Returns the rows
/// written and the tickets whose row or messages were.
pub(crate) async fn write_threads(
    conn: &mut SqliteConnection,
    tickets: &[&Ticket],
    messages: &[&Message],
    attachments: &[&Attachment],
) -> Result<(u64, Vec<TicketNumber>), StoreError> {
    let mut numbers: Vec<TicketNumber> = tickets
        .iter()
        .map(|t| t.number)
        .chain(messages.iter().map(|m| m.ticket))
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    search_documents(conn, &numbers, Document::Remove).await?;
    let mut rows = upsert_tickets(conn, tickets).await?;
    rows += upsert_messages(conn, messages).await?;
    rows += upsert_attachments(conn, attachments).await?;
    search_documents(conn, &numbers, Document::Add).await?;
    Ok((rows, numbers))
}

async fn upsert_tickets(
    conn: &mut SqliteConnection,
    tickets: &[&Ticket],
) -> Result<u64, StoreError> {
    const COLUMNS: usize = 19;
    let mut written = 0;
    for chunk in tickets.chunks(MAX_BINDS / COLUMNS) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO tickets (number, subject, status, priority, category, plan, service_name, \
             service_stage, customer_id, channel, assignee_id, team, tags, version, created_at, updated_at, sla_due_at, \
             status_log, email_cc) ",
        );
        q.push_values(chunk, |mut b, t| {
            b.push_bind(t.number.0)
                .push_bind(&t.subject)
                .push_bind(t.status.code())
                .push_bind(t.priority.code())
                .push_bind(t.category.code())
                .push_bind(t.plan.code())
                .push_bind(&t.service.name)
                .push_bind(t.service.stage.code())
                .push_bind(t.customer.0)
                .push_bind(t.channel.code())
                .push_bind(t.assignee.map(|a| a.0))
                .push_bind(&t.team)
                .push_bind(to_json(&t.tags))
                .push_bind(t.version)
                .push_bind(t.created_at.0)
                .push_bind(t.updated_at.0)
                .push_bind(t.sla_due_at.map(|d| d.0))
                .push_bind(to_json(&t.status_log))
                .push_bind(to_json(&t.email_cc));
        });
        q.push(
            " ON CONFLICT (number) DO UPDATE SET subject = excluded.subject, status = excluded.status, \
             priority = excluded.priority, category = excluded.category, plan = excluded.plan, \
             service_name = excluded.service_name, service_stage = excluded.service_stage, \
             customer_id = excluded.customer_id, channel = excluded.channel, assignee_id = excluded.assignee_id, \
             team = excluded.team, tags = excluded.tags, version = excluded.version, \
             created_at = excluded.created_at, updated_at = excluded.updated_at, sla_due_at = excluded.sla_due_at, \
             status_log = excluded.status_log, email_cc = excluded.email_cc",
        );
        written += q.build().execute(&mut *conn).await?.rows_affected();
    }
    Ok(written)
}

async fn upsert_messages(
    conn: &mut SqliteConnection,
    messages: &[&Message],
) -> Result<u64, StoreError> {
    const COLUMNS: usize = 14;
    let mut written = 0;
    for chunk in messages.chunks(MAX_BINDS / COLUMNS) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO messages (id, ticket_number, kind, channel, author_type, author_id, body, created_at, \
             delivery_state, delivery_error, call_direction, call_duration_s, call_outcome, \
             call_callback_at) ",
        );
        q.push_values(chunk, |mut b, m| {
            let kind = kind_columns(&m.kind);
            let (author_type, author_id) = author_columns(&m.author);
            b.push_bind(m.id.0)
                .push_bind(m.ticket.0)
                .push_bind(kind.kind)
                .push_bind(m.channel.code())
                .push_bind(author_type)
                .push_bind(author_id)
                .push_bind(&m.body)
                .push_bind(m.created_at.0)
                .push_bind(kind.delivery_state)
                .push_bind(kind.delivery_error)
                .push_bind(kind.call.map(|c| c.direction.code()))
                .push_bind(kind.call.map(|c| c.duration_secs))
                .push_bind(kind.call.map(|c| c.outcome.code()))
                .push_bind(kind.call.and_then(|c| c.callback_at).map(|t| t.0));
        });
        // Messages are append-only; only their delivery moves on.
        q.push(
            " ON CONFLICT (id) DO UPDATE SET delivery_state = excluded.delivery_state, \
             delivery_error = excluded.delivery_error",
        );
        written += q.build().execute(&mut *conn).await?.rows_affected();
    }
    Ok(written)
}

async fn upsert_attachments(
    conn: &mut SqliteConnection,
    attachments: &[&Attachment],
) -> Result<u64, StoreError> {
    const COLUMNS: usize = 6;
    let mut written = 0;
    for chunk in attachments.chunks(MAX_BINDS / COLUMNS) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO attachments (id, message_id, name, size_bytes, content_hash, media_type) ",
        );
        q.push_values(chunk, |mut b, a| {
            b.push_bind(a.id.0)
                .push_bind(a.message.0)
                .push_bind(&a.name)
                .push_bind(i64::try_from(a.size_bytes).unwrap_or(i64::MAX))
                .push_bind(a.content_hash.as_str())
                .push_bind(&a.media_type);
        });
        q.push(" ON CONFLICT (id) DO NOTHING");
        written += q.build().execute(&mut *conn).await?.rows_affected();
    }
    Ok(written)
}

#[derive(Clone, Copy)]
pub(crate) enum Document {
    Remove,
    Add,
}

/// Removes or adds the search documents of `numbers` as the cache holds
/// them now. The index keeps no copy of the text, so a document must be
/// removed with exactly the text it was added with: before the change.
pub(crate) async fn search_documents(
    conn: &mut SqliteConnection,
    numbers: &[TicketNumber],
    what: Document,
) -> Result<(), StoreError> {
    let (columns, select) = match what {
        Document::Remove => (
            "ticket_search, rowid, subject, body",
            "'delete', number, subject, body",
        ),
        Document::Add => ("rowid, subject, body", "number, subject, body"),
    };
    for chunk in numbers.chunks(MAX_BINDS) {
        let mut q = QueryBuilder::<Sqlite>::new(format!(
            "INSERT INTO ticket_search ({columns}) SELECT {select} FROM ticket_search_docs WHERE number IN "
        ));
        q.push_tuples(chunk, |mut b, n| {
            b.push_bind(n.0);
        });
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}
