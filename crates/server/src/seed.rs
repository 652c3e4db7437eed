//! Seeding the server with the deterministic demo desk: the team, SLA
//! policies, services, canned responses, customers and ticket threads with
//! their attachment files, each written with its change-log rows so
//! clients pull it like any other change.

use shiftdesk_demo::DemoConfig;
use shiftdesk_domain::Thread;
use sqlx::SqliteConnection;

use crate::db::{log_change, to_json};
use crate::{Db, ServerError};

/// Tickets written per transaction.
const BATCH: usize = 500;

/// Seeds `db` with the demo desk of `config`; returns the tickets written.
pub async fn demo(db: &Db, config: &DemoConfig) -> Result<usize, ServerError> {
    let mut tx = db.writer.begin_with("BEGIN IMMEDIATE").await?;
    for agent in shiftdesk_demo::agents() {
        sqlx::query("INSERT INTO agents (id, team, role, body, login) VALUES (?, ?, ?, ?, ?)")
            .bind(agent.id.0)
            .bind(&agent.team)
            .bind(agent.role.code())
            .bind(to_json(&agent))
            .bind(shiftdesk_demo::agent_login(agent.id))
            .execute(&mut *tx)
            .await?;
        log_change(&mut tx, "agent", agent.id.0, None, None).await?;
    }
    for policy in shiftdesk_demo::sla_policies() {
        sqlx::query("INSERT INTO sla_policies (id, body) VALUES (?, ?)")
            .bind(policy.id)
            .bind(to_json(&policy))
            .execute(&mut *tx)
            .await?;
        log_change(&mut tx, "sla_policy", policy.id, None, None).await?;
    }
    for canned in shiftdesk_demo::canned_responses() {
        sqlx::query("INSERT INTO canned_responses (id, body) VALUES (?, ?)")
            .bind(canned.id)
            .bind(to_json(&canned))
            .execute(&mut *tx)
            .await?;
        log_change(&mut tx, "canned_response", canned.id, None, None).await?;
    }
    for service in shiftdesk_demo::services() {
        sqlx::query("INSERT INTO services (name, stage) VALUES (?, ?)")
            .bind(&service.name)
            .bind(service.stage.code())
            .execute(&mut *tx)
            .await?;
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
        // The bytes go first: a committed attachment always has its file.
        for attachment in batch.iter().flat_map(|t| &t.attachments) {
            db.files
                .put_bytes(shiftdesk_demo::attachment_content(attachment))
                .await?;
        }
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
    log_change(conn, "customer", ticket.customer.0, Some(number), None).await?;
    sqlx::query("INSERT INTO tickets (number, assignee_id, team, customer_id, version, body) VALUES (?, ?, ?, ?, ?, ?)")
        .bind(number)
        .bind(ticket.assignee.map(|a| a.0))
        .bind(&ticket.team)
        .bind(ticket.customer.0)
        .bind(ticket.version)
        .bind(to_json(ticket))
        .execute(&mut *conn)
        .await?;
    log_change(conn, "ticket", number, Some(number), None).await?;
    for message in &thread.messages {
        sqlx::query("INSERT INTO messages (id, ticket_number, body) VALUES (?, ?, ?)")
            .bind(message.id.0)
            .bind(number)
            .bind(to_json(message))
            .execute(&mut *conn)
            .await?;
        log_change(conn, "message", message.id.0, Some(number), None).await?;
    }
    for attachment in &thread.attachments {
        sqlx::query("INSERT INTO attachments (id, ticket_number, body) VALUES (?, ?, ?)")
            .bind(attachment.id.0)
            .bind(number)
            .bind(to_json(attachment))
            .execute(&mut *conn)
            .await?;
        log_change(conn, "attachment", attachment.id.0, Some(number), None).await?;
    }
    Ok(())
}
