//! `simulate`: customers writing in over time on every channel, so SLA
//! clocks move in a demo. Arrivals are a Poisson process at the given rate;
//! each is a new customer opening a ticket or a customer writing again on
//! one of theirs, stored through intake like any real message.

use std::future::Future;
use std::time::Duration;

use rand::{Rng, SeedableRng};
use shiftdesk_domain::{Channel, Ticket, TicketNumber, Timestamp};

use crate::intake::{self, CustomerDetails, IntakeRules, NewTicket};
use crate::messages::FileRef;
use crate::{now, Db, ServerError};

/// The most arrivals a minute the simulator takes: 100 a second.
pub const MAX_RATE_PER_MINUTE: f64 = 6_000.0;

/// One thing a simulated customer did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrival {
    Opened {
        ticket: TicketNumber,
        channel: Channel,
    },
    WroteAgain {
        ticket: TicketNumber,
        channel: Channel,
    },
}

/// Runs arrivals at `rate_per_minute` until `stop` completes; returns how
/// many there were.
pub async fn run(
    db: &Db,
    rules: &IntakeRules,
    rate_per_minute: f64,
    seed: u64,
    stop: impl Future<Output = ()>,
) -> Result<u64, ServerError> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mean_secs = 60.0 / rate_per_minute;
    let mut arrivals = 0;
    tokio::pin!(stop);
    loop {
        // Exponential gaps make a Poisson stream of arrivals.
        let gap = -(1.0 - rng.random::<f64>()).ln() * mean_secs;
        tokio::select! {
            () = &mut stop => return Ok(arrivals),
            () = tokio::time::sleep(Duration::from_secs_f64(gap)) => {}
        }
        let arrival = step(db, rules, rng.random(), now()).await?;
        arrivals += 1;
        match arrival {
            Arrival::Opened { ticket, channel } => {
                tracing::info!(ticket = ticket.0, %channel, "a customer opened a ticket");
            }
            Arrival::WroteAgain { ticket, channel } => {
                tracing::info!(ticket = ticket.0, %channel, "a customer wrote again");
            }
        }
    }
}

/// One arrival at `now`, chosen by `seed`: about as many new tickets as
/// customers writing again.
pub async fn step(
    db: &Db,
    rules: &IntakeRules,
    seed: u64,
    now: Timestamp,
) -> Result<Arrival, ServerError> {
    if seed % 2 == 1 {
        if let Some(arrival) = write_again(db, seed, now).await? {
            return Ok(arrival);
        }
    }
    // A handful of generated threads are support's own notices; the next
    // seed is a customer.
    let walk_in = (seed..)
        .find_map(|s| shiftdesk_demo::walk_in(s, now))
        .unwrap_or_else(|| unreachable!("most generated threads start with the customer"));
    let mut files = Vec::with_capacity(walk_in.files.len());
    for (attachment, bytes) in walk_in.files {
        let content_hash = db.files.put_bytes(bytes).await?;
        files.push(FileRef {
            content_hash,
            name: attachment.name,
            media_type: attachment.media_type,
            size_bytes: attachment.size_bytes,
        });
    }
    let generated = &walk_in.thread.ticket;
    let customer = walk_in.customer;
    let new = NewTicket {
        customer: CustomerDetails {
            name: customer.name,
            email: customer.email,
            account_login: customer.account_login,
            project: customer.project,
            telegram_chat: customer.telegram_chat,
            phone: customer.phone,
        },
        channel: generated.channel,
        service: Some(generated.service.name.clone()),
        category: generated.category,
        priority: generated.priority,
        plan: Some(generated.plan),
        subject: Some(generated.subject.clone()),
        description: walk_in.opening.body,
        files,
    };
    let mut tx = db.writer.begin_with("BEGIN IMMEDIATE").await?;
    let ticket = intake::open_ticket(&mut tx, rules, &new, now)
        .await?
        .map_err(|problem| ServerError::Refused(problem.detail))?;
    tx.commit().await?;
    Ok(Arrival::Opened {
        ticket: ticket.number,
        channel: ticket.channel,
    })
}

/// The customer of a random ticket still in play writes again on its
/// channel; `None` when no ticket is.
async fn write_again(db: &Db, seed: u64, now: Timestamp) -> Result<Option<Arrival>, ServerError> {
    let mut tx = db.writer.begin_with("BEGIN IMMEDIATE").await?;
    let count: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM tickets \
         WHERE json_extract(body, '$.status') IN ('new', 'open', 'pending', 'reopened', 'solved')",
    )
    .fetch_one(&mut *tx)
    .await?;
    if count == 0 {
        return Ok(None);
    }
    let offset = i64::try_from(seed % count.unsigned_abs()).unwrap_or(0);
    let body: String = sqlx::query_scalar(
        "SELECT body FROM tickets \
         WHERE json_extract(body, '$.status') IN ('new', 'open', 'pending', 'reopened', 'solved') \
         ORDER BY number LIMIT 1 OFFSET ?",
    )
    .bind(offset)
    .fetch_one(&mut *tx)
    .await?;
    let ticket: Ticket = serde_json::from_str(&body).map_err(|source| ServerError::Corrupt {
        what: "ticket",
        source,
    })?;
    let text = shiftdesk_demo::follow_up(seed, ticket.status, &ticket.subject, now);
    let channel = ticket.channel;
    let number = ticket.number;
    intake::customer_writes(&mut tx, ticket, channel, &text, &[], now)
        .await?
        .map_err(|problem| ServerError::Refused(problem.detail))?;
    tx.commit().await?;
    Ok(Some(Arrival::WroteAgain {
        ticket: number,
        channel,
    }))
}
