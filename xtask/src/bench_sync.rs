//! `cargo xtask bench sync`: the engine's sync against the release
//! reference server on loopback, a desk of 10k tickets and about 100k
//! messages in one lead's scope, into a real cache file.

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use shiftdesk_domain::{Channel, Role, TicketNumber};
use shiftdesk_engine::outbox::queue;
use shiftdesk_engine::pull::{
    pull_log, pull_until_current, take_urgent_snapshot, PAGE, URGENT_FIRST,
};
use shiftdesk_engine::sync::{SyncHandle, SyncTiming};
use shiftdesk_engine::ApiClient;
use shiftdesk_protocol::{Mutation, MutationRequest};
use shiftdesk_store::Store;
use uuid::Uuid;

use crate::bench::{emit, quantile_ms};
use crate::process::workspace_root;
use crate::reference_server::{token_of, ServerDb};

const ENQUEUES: usize = 200;
const CHANGES: usize = 50;

pub async fn run() -> Result<()> {
    let server = ServerDb::fresh(true, "bench/sync")?;
    server.cli(&["demo", "--tickets", "10000", "--seed", "42"])?;
    let lead = shiftdesk_demo::agents()
        .into_iter()
        .find(|a| a.role == Role::Lead)
        .context("the demo team has a lead")?
        .id;
    let token = token_of(&server.cli(&["agent", "token", "--id", &lead.0.to_string()])?)?;
    // A colleague whose changes the lead's client receives.
    let colleague = token_of(&server.cli(&["agent", "token", "--id", "1"])?)?;
    let running = server.serve()?;
    let api = ApiClient::new(&running.base, &token)?;
    let other = ApiClient::new(&running.base, &colleague)?;

    // The 100 most urgent tickets, as the server knows them.
    let urgent = most_urgent(server.db(), i64::from(URGENT_FIRST)).await?;

    let dir = workspace_root().join("target/bench/sync");
    let store = Store::open(&dir.join("cache.sqlite")).await?.store;
    store.set_me(lead).await?;
    // What pull_until_current does, with a clock after the snapshot.
    let started = Instant::now();
    take_urgent_snapshot(&api, &store).await?;
    let urgent_at = all_cached(&store, &urgent)
        .await?
        .then(|| started.elapsed());
    pull_log(&api, &store, PAGE).await?;
    let initial = started.elapsed();
    emit("initial_sync_s", initial.as_secs_f64(), "s");
    // Not all cached after the snapshot: usable only once fully synced.
    emit(
        "first_100_usable_s",
        urgent_at.unwrap_or(initial).as_secs_f64(),
        "s",
    );
    emit(
        "initial_sync_tickets",
        store.ticket_count().await? as f64,
        "tickets",
    );

    // 1,000 changes made while the client was off: notes by a colleague.
    let mine: Vec<i64> = colleague_tickets(server.db(), 1).await?;
    for chunk in (0..1000).collect::<Vec<usize>>().chunks(200) {
        let notes: Vec<MutationRequest> = chunk
            .iter()
            .map(|i| MutationRequest {
                id: Uuid::new_v4(),
                ticket: TicketNumber(mine[i % mine.len()]),
                base_version: None,
                mutation: Mutation::Note {
                    body: format!("заметка {i}"),
                    attachments: vec![],
                },
            })
            .collect();
        other.push(&notes).await?;
    }
    let started = Instant::now();
    pull_until_current(&api, &store, PAGE).await?;
    emit("delta_1k_s", started.elapsed().as_secs_f64(), "s");

    // A reply made durable in the outbox, 200 times.
    let ticket = TicketNumber(mine[0]);
    let mut samples = Vec::with_capacity(ENQUEUES);
    for i in 0..ENQUEUES {
        let started = Instant::now();
        queue(
            &store,
            lead,
            ticket,
            Mutation::Reply {
                channel: Channel::Email,
                body: format!("Ответ {i}: проверили, всё работает."),
                attachments: vec![],
                cc: vec![],
            },
            None,
            shiftdesk_engine::now(),
        )
        .await?;
        samples.push(started.elapsed());
    }
    emit(
        "outbox_enqueue_p95_ms",
        quantile_ms(&mut samples, 0.95),
        "ms",
    );
    emit(
        "outbox_enqueue_p50_ms",
        quantile_ms(&mut samples, 0.5),
        "ms",
    );

    // A colleague's change on the server → in the running client's cache.
    let sync = SyncHandle::start(api.clone(), store.clone(), lead, SyncTiming::default());
    let mut status = sync.status();
    status
        .wait_for(|s| s.pending == 0 && s.last_good_sync.is_some())
        .await?;
    let cache = read_only(&dir.join("cache.sqlite")).await?;
    let mut samples = Vec::with_capacity(CHANGES);
    for i in 0..CHANGES {
        let body = format!("изменение {i} {}", Uuid::new_v4());
        let started = Instant::now();
        other
            .push(&[MutationRequest {
                id: Uuid::new_v4(),
                ticket,
                base_version: None,
                mutation: Mutation::Note {
                    body: body.clone(),
                    attachments: vec![],
                },
            }])
            .await?;
        while !cached_body(&cache, &body).await? {
            if started.elapsed() > Duration::from_secs(10) {
                anyhow::bail!("a change did not reach the cache within 10 s");
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        samples.push(started.elapsed());
    }
    emit(
        "change_to_cache_p95_ms",
        quantile_ms(&mut samples, 0.95),
        "ms",
    );
    emit(
        "change_to_cache_p50_ms",
        quantile_ms(&mut samples, 0.5),
        "ms",
    );
    Ok(())
}

async fn most_urgent(db: &std::path::Path, n: i64) -> Result<Vec<i64>> {
    let pool = read_only(db).await?;
    let numbers = sqlx::query_scalar(
        "SELECT number FROM tickets WHERE json_extract(body, '$.sla_due_at') IS NOT NULL \
         ORDER BY json_extract(body, '$.sla_due_at'), number LIMIT ?",
    )
    .bind(n)
    .fetch_all(&pool)
    .await?;
    pool.close().await;
    Ok(numbers)
}

async fn colleague_tickets(db: &std::path::Path, agent: i64) -> Result<Vec<i64>> {
    let pool = read_only(db).await?;
    let numbers =
        sqlx::query_scalar("SELECT number FROM tickets WHERE assignee_id = ? ORDER BY number")
            .bind(agent)
            .fetch_all(&pool)
            .await?;
    pool.close().await;
    Ok(numbers)
}

async fn all_cached(store: &Store, numbers: &[i64]) -> Result<bool> {
    for &number in numbers {
        if store.ticket_head(TicketNumber(number)).await?.is_none() {
            return Ok(false);
        }
    }
    Ok(true)
}

async fn cached_body(cache: &sqlx::SqlitePool, body: &str) -> Result<bool> {
    let found: i64 = sqlx::query_scalar("SELECT count(*) FROM messages WHERE body = ?")
        .bind(body)
        .fetch_one(cache)
        .await?;
    Ok(found > 0)
}

async fn read_only(path: &std::path::Path) -> Result<sqlx::SqlitePool> {
    Ok(sqlx::SqlitePool::connect(&format!("sqlite://{}?mode=ro", path.display())).await?)
}
