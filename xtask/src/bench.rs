//! `cargo xtask bench NAME`: measurements on real files, one JSON object a
//! line. Figures are medians or p95 over many samples within one run; the
//! machine is small and shared, so compare within a run, not across runs.

use std::time::{Duration, Instant};

use anyhow::{bail, Result};
use serde_json::json;
use shiftdesk_demo::DemoConfig;
use shiftdesk_store::{QueueRequest, QueueView, SearchQuery, Store};

use crate::process::workspace_root;
use crate::setup::{self, Needs};

/// What benchmark `name` needs installed before it builds or starts anything.
pub fn needs(name: &str) -> Result<Needs> {
    Ok(match name {
        // Pure Rust on files and loopback sockets.
        "store" | "server" | "sync" => Needs::default(),
        // The Telegram emulator and Dovecot.
        "channels" => Needs {
            packages: &[setup::MAIL_PACKAGES],
            peers: true,
            ..Needs::default()
        },
        // The shell's notifier on a private session bus.
        "sla" => Needs {
            packages: &[setup::APP_PACKAGES, setup::BUS_PACKAGES],
            ui: true,
            ..Needs::default()
        },
        // The release app under WebDriver.
        "ui" => Needs {
            packages: &[
                setup::APP_PACKAGES,
                setup::BUS_PACKAGES,
                setup::WEBDRIVER_PACKAGES,
            ],
            ui: true,
            tauri_driver: true,
            ..Needs::default()
        },
        other => bail!("unknown benchmark {other:?}; known: {}", BENCHES.join(", ")),
    })
}

const BENCHES: &[&str] = &["store", "server", "sync", "channels", "sla", "ui"];

pub fn run(name: &str) -> Result<()> {
    // Figures from an unoptimised build would mislead: measure in release.
    if cfg!(debug_assertions) {
        let mut release = crate::process::cargo(&[
            "run",
            "--quiet",
            "--release",
            "--package",
            "xtask",
            "--",
            "bench",
            name,
        ]);
        let status = release.status()?;
        if !status.success() {
            bail!("benchmark {name} failed ({status})");
        }
        return Ok(());
    }
    match name {
        "store" => tokio::runtime::Runtime::new()?.block_on(store()),
        "server" => tokio::runtime::Runtime::new()?.block_on(crate::bench_server::run()),
        "sync" => tokio::runtime::Runtime::new()?.block_on(crate::bench_sync::run()),
        "channels" => tokio::runtime::Runtime::new()?.block_on(crate::bench_channels::run()),
        "sla" => tokio::runtime::Runtime::new()?.block_on(crate::bench_sla::run()),
        "ui" => tokio::runtime::Runtime::new()?.block_on(crate::bench_ui::run()),
        other => bail!("unknown benchmark {other:?}; known: {}", BENCHES.join(", ")),
    }
}

pub fn emit(bench: &str, value: f64, unit: &str) {
    println!(
        "{}",
        json!({ "bench": bench, "value": (value * 100.0).round() / 100.0, "unit": unit })
    );
}

/// The `q`-quantile (0..=1) of `samples`, in milliseconds.
pub fn quantile_ms(samples: &mut [Duration], q: f64) -> f64 {
    let mut ms: Vec<f64> = samples.iter().map(|d| d.as_secs_f64() * 1000.0).collect();
    quantile(&mut ms, q)
}

/// The `q`-quantile (0..=1) of `values` (NaN when there are none).
pub fn quantile(values: &mut [f64], q: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    let index = ((values.len() as f64 - 1.0) * q).round() as usize;
    values.get(index).copied().unwrap_or(f64::NAN)
}

/// Searches an agent types: single words and phrases in both languages,
/// word forms, error codes, resource and invoice ids from the demo desk.
pub const QUERIES: &[&str] = &[
    "диск",
    "ошибка 502",
    "восстановление доступа",
    "счёт оплата",
    "не работает балансировщик",
    "квоты",
    "сертификат",
    "SSH-ключ",
    "закрывающие документы",
    "Helm chart",
    "invoice",
    "load balancer",
    "Kubernetes nodes NotReady",
    "steal time",
    "read-only",
    "replica lag",
    "CORS",
    "DNS",
    "nginx",
    "vm-dd4c32",
];

async fn store() -> Result<()> {
    let tickets = std::env::var("SHIFTDESK_BENCH_TICKETS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = workspace_root().join("target/bench");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("store-bench.sqlite");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let config = DemoConfig {
        seed: 42,
        tickets,
        now: crate::setup::now(),
    };

    // Bulk insert: transactions of 2,000 tickets with their messages and
    // attachments (about 22k rows, a large sync page); generating the data
    // is not timed.
    let store = Store::open(&path).await?.store;
    shiftdesk_demo::seed_reference_data(&store, &config).await?;
    let mut rows = 0_u64;
    let mut writing = Duration::ZERO;
    let mut threads = shiftdesk_demo::threads(&config).peekable();
    while threads.peek().is_some() {
        let batch: Vec<_> = threads.by_ref().take(2000).collect();
        let started = Instant::now();
        rows += store.upsert_threads(&batch).await?;
        writing += started.elapsed();
    }
    emit(
        "bulk_insert_rows_per_s",
        rows as f64 / writing.as_secs_f64(),
        "rows/s",
    );
    emit("bulk_insert_rows", rows as f64, "rows");

    // Queue pages: the first 20 pages of every view, five times over.
    let mut samples = Vec::new();
    for _ in 0..5 {
        for view in QueueView::ALL {
            let mut after = None;
            for _ in 0..20 {
                let started = Instant::now();
                let page = store
                    .queue_page(
                        &QueueRequest {
                            view,
                            after,
                            limit: 50,
                            filter: None,
                        },
                        config.now,
                    )
                    .await?;
                samples.push(started.elapsed());
                match page.next {
                    Some(next) => after = Some(next),
                    None => break,
                }
            }
        }
    }
    emit("queue_page_p50_ms", quantile_ms(&mut samples, 0.5), "ms");
    emit("queue_page_p95_ms", quantile_ms(&mut samples, 0.95), "ms");

    // Full-text search: every query ten times, top 50 by rank.
    let mut samples = Vec::new();
    let mut hits = 0;
    for _ in 0..10 {
        for text in QUERIES {
            let query = SearchQuery::parse(text)?;
            let started = Instant::now();
            hits += store.search(&query, 50).await?.len();
            samples.push(started.elapsed());
        }
    }
    emit("fts_top50_p50_ms", quantile_ms(&mut samples, 0.5), "ms");
    emit("fts_top50_p95_ms", quantile_ms(&mut samples, 0.95), "ms");
    emit("fts_mean_hits", hits as f64 / samples.len() as f64, "hits");
    store.close().await;

    // Opening the existing cache, migrations checked, until it answers.
    let mut samples = Vec::new();
    for _ in 0..15 {
        let started = Instant::now();
        let opened = Store::open(&path).await?;
        opened.store.me().await?;
        samples.push(started.elapsed());
        opened.store.close().await;
    }
    emit("cache_open_ms", quantile_ms(&mut samples, 0.5), "ms");
    emit(
        "cache_file_mib",
        std::fs::metadata(&path)?.len() as f64 / 1_048_576.0,
        "MiB",
    );
    Ok(())
}
