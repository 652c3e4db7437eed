//! Seeding the server with the deterministic demo desk: the team, SLA
//! policies, canned responses, customers and ticket threads, each written
//! with its change-log rows so clients pull it like any other change.

use shiftdesk_demo::DemoConfig;
use shiftdesk_domain::Thread;
use sqlx::SqliteConnection;

use crate::db::to_json;
use crate::{Db, ServerError};

/// Tickets written per transaction.
const BATCH: usize = 500;

/// Seeds `db` with the demo desk of `config`; returns the tickets written.
pub async fn demo(db: &Db, config: &DemoConfig) -> Result<usize, ServerError> {
    let mut tx = db.writer.begin_with("BEGIN IMMEDIATE").await?;
    for agent in shiftdesk_demo::agents() {
        sqlx::query("INSERT INTO agents (id, team, role, body) VALUES (?, ?, ?, ?)")
            .bind(agent.id.0)
            .bind(&agent.team)
            .bind(agent.role.code())
            .bind(to_json(&agent))
            .execute(&mut *tx)
            .await?;
        log(&mut tx, "agent", agent.id.0, None).await?;
    }
    for policy in shiftdesk_demo::sla_policies() {
        sqlx::query("INSERT INTO sla_policies (id, body) VALUES (?, ?)")
            .bind(policy.id)
            .bind(to_json(&policy))
            .execute(&mut *tx)
            .await?;
        log(&mut tx, "sla_policy", policy.id, None).await?;
    }
    for canned in shiftdesk_demo::canned_responses() {
        sqlx::query("INSERT INTO canned_responses (id, body) VALUES (?, ?)")
            .bind(canned.id)
            .bind(to_json(&canned))
            .execute(&mut *tx)
            .await?;
        log(&mut tx, "canned_response", canned.id, None).await?;
    }
    // Customers enter a scope with their tickets, so their log rows are
    // written per ticket, below.
    for customer in shiftdesk_demo::customers(config) {
        sqlx::query("INSERT INTO customers (id, body) VALUES (?, ?)")
            .bind(customer.id.0)
            .bind(to_json(&customer))
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;

    let mut written = 0;
    let mut threads = shiftdesk_demo::threads(config).peekable();
    while threads.peek().is_some() {
        let batch: Vec<Thread> = threads.by_ref().take(BATCH).collect();
        let mut tx = db.writer.begin_with("BEGIN IMMEDIATE").await?;
        for thread in &batch {
            insert_thread(&mut tx, thread).await?;
        }
        tx.commit().await?;
        written += batch.len();
    }
    Ok(written)
}

async fn insert_thread(conn: &mut SqliteConnection, thread: &Thread) -> Result<(), ServerError> {
    let ticket = &thread.ticket;
    let number = ticket.number.0;
    log(conn, "customer", ticket.customer.0, Some(number)).await?;
    sqlx::query("INSERT INTO tickets (number, assignee_id, team, customer_id, version, body) VALUES (?, ?, ?, ?, ?, ?)")
        .bind(number)
        .bind(ticket.assignee.map(|a| a.0))
        .bind(&ticket.team)
        .bind(ticket.customer.0)
        .bind(ticket.version)
        .bind(to_json(ticket))
        .execute(&mut *conn)
        .await?;
    log(conn, "ticket", number, Some(number)).await?;
    for message in &thread.messages {
        sqlx::query("INSERT INTO messages (id, ticket_number, body) VALUES (?, ?, ?)")
            .bind(message.id.0)
            .bind(number)
            .bind(to_json(message))
            .execute(&mut *conn)
            .await?;
        log(conn, "message", message.id.0, Some(number)).await?;
    }
    for attachment in &thread.attachments {
        sqlx::query("INSERT INTO attachments (id, ticket_number, body) VALUES (?, ?, ?)")
            .bind(attachment.id.0)
            .bind(number)
            .bind(to_json(attachment))
            .execute(&mut *conn)
            .await?;
        log(conn, "attachment", attachment.id.0, Some(number)).await?;
    }
    Ok(())
}

async fn log(
    conn: &mut SqliteConnection,
    kind: &str,
    key: i64,
    ticket: Option<i64>,
) -> Result<(), ServerError> {
    sqlx::query("INSERT INTO changes (kind, key, ticket_number) VALUES (?, ?, ?)")
        .bind(kind)
        .bind(key)
        .bind(ticket)
        .execute(conn)
        .await?;
    Ok(())
}
