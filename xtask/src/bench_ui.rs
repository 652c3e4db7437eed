//! `cargo xtask bench ui`: the agent's workspace in the real app under an X
//! display — cold start to the queue, opening a 200-message ticket, search
//! to results on 100k tickets, idle memory. xtask builds the UI and the app,
//! makes the demo caches (under target/bench) and starts the display and a private bus; the
//! shell's `bench_ui` test binary drives the app and prints its samples,
//! which become the figures here.

use std::collections::HashSet;
use std::path::Path;

use anyhow::{bail, Context, Result};
use serde::Deserialize;
use shiftdesk_demo::DemoConfig;
use shiftdesk_domain::{Message, MessageId, Thread, Timestamp};
use shiftdesk_store::{QueueRequest, QueueView, Store};

use crate::bench::{emit, quantile, QUERIES};
use crate::process::workspace_root;
use crate::{display, process, setup};

const DESK_TICKETS: usize = 10_000;
const LARGE_DESK_TICKETS: usize = 100_000;
/// How many of the first queue rows get a long thread: more than the
/// window renders at once, so every rendered row can be opened.
const LONG_TICKETS: u32 = 40;
const LONG_THREAD: usize = 200;
/// Ids of the added messages start here, far above the demo's own.
const ADDED_MESSAGE_IDS: i64 = 1_000_000_000;

/// The test binary that drives the app. Built in release, the app as a
/// user runs it: SQLite, IPC and serialisation in a debug build would be
/// several times slower than what ships.
const MEASURE: &[&str] = &["test", "--release", "-p", "shiftdesk", "--test", "bench_ui"];

/// One line of the test binary's output.
#[derive(Debug, Deserialize)]
struct Samples {
    samples: String,
    unit: String,
    values: Vec<f64>,
}

pub async fn run() -> Result<()> {
    // Kept after the run: the test binary can be run again on them by hand.
    let caches = workspace_root().join("target/bench");
    let desk = caches.join("ui-desk");
    let large_desk = caches.join("ui-large-desk");
    println!("\n==> Demo caches of {DESK_TICKETS} and {LARGE_DESK_TICKETS} tickets");
    let long = demo_desk(&desk, DESK_TICKETS).await?;
    lengthen_threads(&desk, &long).await?;
    demo_desk(&large_desk, LARGE_DESK_TICKETS).await?;

    process::step(
        "Building Shiftdesk and its UI benchmark (release)",
        process::cargo(&[MEASURE, &["--no-run"]].concat()),
    )?;

    let long: Vec<String> = long.iter().map(|t| t.ticket.number.0.to_string()).collect();
    let display = display::ensure()?;
    let mut measure = process::cargo_on_private_bus(
        &[
            MEASURE,
            &[
                "--quiet",
                "--",
                "--ignored",
                "--nocapture",
                // One app at a time, alone on the machine's cores.
                "--test-threads=1",
            ],
        ]
        .concat(),
    );
    measure
        .env("SHIFTDESK_BENCH_UI_DESK", &desk)
        .env("SHIFTDESK_BENCH_UI_LARGE_DESK", &large_desk)
        .env("SHIFTDESK_BENCH_UI_LONG_TICKETS", long.join(","))
        .env("SHIFTDESK_BENCH_UI_LONG_THREAD", LONG_THREAD.to_string())
        .env("SHIFTDESK_BENCH_UI_QUERIES", QUERIES.join("\n"));
    display.apply(&mut measure);
    println!("\n==> Measuring the app (tests/bench_ui.rs)");
    let output = measure.output()?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        bail!(
            "the UI benchmark failed ({}):\n{stdout}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    // The test runner's progress dots may share a line with the samples.
    let samples: Vec<Samples> = stdout
        .lines()
        .filter_map(|l| l.find("{\"samples\"").map(|at| &l[at..]))
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()?;
    figures(&samples)
}

/// The figures and the statistic each takes of its samples.
fn figures(samples: &[Samples]) -> Result<()> {
    let named = |name: &str| {
        samples
            .iter()
            .find(|s| s.samples == name)
            .with_context(|| format!("the UI benchmark printed no {name} samples"))
    };
    for (figure, name, q) in [
        ("cold_start_to_queue_ms", "cold_start_to_queue", 0.5),
        ("open_ticket_p50_ms", "open_ticket", 0.5),
        ("open_ticket_p95_ms", "open_ticket", 0.95),
        ("search_to_results_p50_ms", "search_to_results", 0.5),
        ("search_to_results_p95_ms", "search_to_results", 0.95),
        ("search_query_p95_ms", "search_query", 0.95),
        ("idle_rss_mb", "idle_rss", 0.5),
        ("idle_pss_mb", "idle_pss", 0.5),
        ("idle_processes", "idle_processes", 0.5),
    ] {
        let samples = named(name)?;
        emit(
            figure,
            quantile(&mut samples.values.clone(), q),
            &samples.unit,
        );
    }
    let hits = &named("search_hits")?.values;
    emit(
        "search_mean_hits",
        hits.iter().sum::<f64>() / hits.len() as f64,
        "hits",
    );
    Ok(())
}

/// A demo cache of `tickets` in the app's data folder `dir`; returns the
/// threads of the first [`LONG_TICKETS`] rows of "My open", the view the
/// app starts on.
async fn demo_desk(dir: &Path, tickets: usize) -> Result<Vec<Thread>> {
    let config = DemoConfig {
        seed: 42,
        tickets,
        now: setup::now(),
    };
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    std::fs::create_dir_all(dir)?;
    let cache = dir.join("cache.sqlite");
    shiftdesk_demo::seed_cache(&cache, &dir.join("attachments"), &config).await?;
    let store = Store::open(&cache).await?.store;
    let first = QueueRequest {
        view: QueueView::MineOpen,
        after: None,
        limit: LONG_TICKETS,
        filter: None,
    };
    let page = store.queue_page(&first, config.now).await?;
    store.close().await;
    let first: HashSet<_> = page.rows.iter().map(|r| r.number).collect();
    // The generator is deterministic: the same config gives the same threads.
    Ok(shiftdesk_demo::threads(&config)
        .filter(|t| first.contains(&t.ticket.number))
        .collect())
}

/// Gives each thread [`LONG_THREAD`] messages: copies of its own, spread
/// before its newest, which stays the newest. Queue order (the SLA due time
/// of the ticket row) does not change.
async fn lengthen_threads(dir: &Path, threads: &[Thread]) -> Result<()> {
    let mut next_id = ADDED_MESSAGE_IDS;
    let lengthened: Vec<Thread> = threads
        .iter()
        .map(|thread| {
            let newest = thread
                .messages
                .iter()
                .map(|m| m.created_at.0)
                .max()
                .unwrap_or(thread.ticket.created_at.0);
            let span = (newest - thread.ticket.created_at.0).max(1);
            let added = LONG_THREAD.saturating_sub(thread.messages.len());
            let copies = thread.messages.iter().cycle().take(added).enumerate();
            let messages = copies
                .map(|(i, original)| {
                    next_id += 1;
                    let offset = span * i as i64 / added as i64;
                    Message {
                        id: MessageId(next_id),
                        created_at: Timestamp(thread.ticket.created_at.0 + offset),
                        ..original.clone()
                    }
                })
                .collect();
            Thread {
                ticket: thread.ticket.clone(),
                messages,
                attachments: Vec::new(),
            }
        })
        .collect();
    let store = Store::open(&dir.join("cache.sqlite")).await?.store;
    store.upsert_threads(&lengthened).await?;
    store.close().await;
    Ok(())
}
