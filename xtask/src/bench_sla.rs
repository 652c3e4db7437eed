//! `cargo xtask bench sla`: the SLA engine on a real cache. Evaluating every
//! metric of 100k cached tickets (24/7 and business hours), reading their
//! facts from the cache, and the watcher's CPU while nothing is due.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use shiftdesk_demo::DemoConfig;
use shiftdesk_domain::sla::evaluate;
use shiftdesk_domain::{BusinessHours, SlaCalendar, SlaPolicy, SlaTargets};
use shiftdesk_engine::sla_watch::{Notice, Notifier, SlaWatcher, WatchScope};
use shiftdesk_store::Store;

use crate::bench::{emit, quantile_ms};
use crate::process::workspace_root;

const TICKETS: usize = 100_000;
const IDLE_TICKETS: usize = 10_000;
/// How long the idle watcher is watched.
const IDLE_WINDOW: Duration = Duration::from_secs(20);

pub async fn run() -> Result<()> {
    let store = demo_cache("sla-bench", TICKETS).await?;
    let now = crate::setup::now();

    let mut samples = Vec::new();
    let mut tickets = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        tickets = store.sla_tickets(None).await?;
        samples.push(started.elapsed());
    }
    emit("sla_load_100k_ms", quantile_ms(&mut samples, 0.5), "ms");

    for (name, alerts_name, calendar) in [
        ("sla_eval_100k_ms", "sla_alerts_100k", SlaCalendar::AlwaysOn),
        (
            "sla_eval_100k_business_hours_ms",
            "sla_alerts_100k_business_hours",
            berlin_office(),
        ),
    ] {
        let policies: Vec<(SlaPolicy, _)> = store
            .sla_policies()
            .await?
            .into_iter()
            .map(|p| {
                let p = SlaPolicy {
                    calendar: calendar.clone(),
                    ..p
                };
                let compiled = p.compile()?;
                Ok((p, compiled))
            })
            .collect::<Result<_>>()?;
        let mut samples = Vec::new();
        let mut breached = 0_usize;
        for _ in 0..7 {
            let started = Instant::now();
            breached = 0;
            for ticket in &tickets {
                let Some((_, policy)) = policies
                    .iter()
                    .find(|(p, _)| p.plan == ticket.plan && p.priority == ticket.priority)
                else {
                    continue;
                };
                let report = evaluate(&ticket.facts, policy, now);
                breached += report.alerts().len();
            }
            samples.push(started.elapsed());
        }
        emit(name, quantile_ms(&mut samples, 0.5), "ms");
        // Printed so the work cannot be optimised away, and as a sanity figure.
        emit(alerts_name, breached as f64, "alerts");
    }
    store.close().await;

    idle_cpu().await?;
    breach_to_notification()
}

/// A deadline passes → the D-Bus Notify call reaches a recording
/// notification server: the shell's own notifier under the watcher, on a
/// private session bus, measured by the shell's test binary (it holds the
/// recording server). Built in the test profile: the figure is the watcher's
/// gathering window and the bus, not CPU work.
fn breach_to_notification() -> Result<()> {
    let output = crate::process::cargo(&[
        "test",
        "--quiet",
        "-p",
        "shiftdesk",
        "--test",
        "notifications",
        "breach_to_notification_bench",
        "--",
        "--ignored",
        "--exact",
        "--nocapture",
    ])
    .output()?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        bail!(
            "the notification benchmark failed ({}):\n{stdout}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let figures: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("{\"bench\""))
        .collect();
    if figures.is_empty() {
        bail!("the notification benchmark printed no figure:\n{stdout}");
    }
    for line in figures {
        println!("{line}");
    }
    Ok(())
}

/// The watcher on 10k tickets whose next SLA change is days away: its CPU
/// share of one core over [`IDLE_WINDOW`].
async fn idle_cpu() -> Result<()> {
    let store = demo_cache("sla-idle-bench", IDLE_TICKETS).await?;
    // Targets far beyond the demo's ticket ages: every clock runs, nothing
    // comes due while measured.
    let far = SlaTargets {
        first_response_min: 500_000,
        next_response_min: 500_000,
        resolution_min: 900_000,
    };
    let policies: Vec<SlaPolicy> = store
        .sla_policies()
        .await?
        .into_iter()
        .map(|p| SlaPolicy { targets: far, ..p })
        .collect();
    store.replace_sla_policies(&policies).await?;
    let me = store
        .me()
        .await?
        .context("the demo cache names its agent")?;
    let counted = Arc::new(Counted::default());
    let watcher = SlaWatcher::start(
        store.clone(),
        WatchScope { me, lead: true },
        counted.clone(),
    )
    .await?;
    // Let the start settle, then measure.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let before = cpu_time()?;
    let started = Instant::now();
    tokio::time::sleep(IDLE_WINDOW).await;
    let used = cpu_time()?.saturating_sub(before);
    let share = used.as_secs_f64() / started.elapsed().as_secs_f64() * 100.0;
    emit("watcher_idle_cpu_pct", share, "%");
    drop(watcher);
    store.close().await;
    Ok(())
}

#[derive(Debug, Default)]
struct Counted(std::sync::atomic::AtomicUsize);

impl Notifier for Counted {
    fn notify(&self, _notice: Notice) {
        self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
}

/// A fresh demo cache of `tickets` under target/bench.
async fn demo_cache(name: &str, tickets: usize) -> Result<Store> {
    let dir = workspace_root().join("target/bench");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(format!("{name}.sqlite"));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let config = DemoConfig {
        seed: 42,
        tickets,
        now: crate::setup::now(),
    };
    shiftdesk_demo::seed_cache(&path, &dir.join(format!("{name}-files")), &config).await?;
    Ok(Store::open(&path).await?.store)
}

/// Monday to Friday 09:00–18:00 in Berlin, with the German new year and
/// Christmas holidays: DST changes and holidays on the way.
fn berlin_office() -> SlaCalendar {
    let days = [
        jiff::civil::Weekday::Monday,
        jiff::civil::Weekday::Tuesday,
        jiff::civil::Weekday::Wednesday,
        jiff::civil::Weekday::Thursday,
        jiff::civil::Weekday::Friday,
    ];
    SlaCalendar::BusinessHours {
        time_zone: "Europe/Berlin".into(),
        hours: days
            .into_iter()
            .map(|weekday| BusinessHours {
                weekday,
                start_minute: 9 * 60,
                end_minute: 18 * 60,
            })
            .collect(),
        holidays: vec![
            jiff::civil::date(2026, 1, 1),
            jiff::civil::date(2026, 12, 25),
            jiff::civil::date(2026, 12, 26),
        ],
    }
}

/// This process's CPU time, summed over its threads from
/// /proc/self/task/*/schedstat (nanoseconds on a CPU; /proc/self/stat
/// counts in 10 ms ticks, too coarse for an idle task).
fn cpu_time() -> Result<Duration> {
    let mut total = 0_u64;
    for task in std::fs::read_dir("/proc/self/task")? {
        // A thread may end between listing and reading: it used nothing more.
        let Ok(stat) = std::fs::read_to_string(task?.path().join("schedstat")) else {
            continue;
        };
        let on_cpu = stat
            .split_whitespace()
            .next()
            .context("schedstat is empty")?;
        total += on_cpu.parse::<u64>()?;
    }
    Ok(Duration::from_nanos(total))
}
