//! `cargo xtask soak`: three agents work their queues through the real
//! `shiftdesk` command line while a fault proxy in front of the server
//! breaks 30 % of connections and syncs are killed with SIGKILL at random
//! moments. At the end every reply must be on the server exactly once and
//! every cache equal to the server's view of its agent's scope. Prints
//! `soak_lost`, `soak_duplicated` and `soak_diverged` (all must be 0).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use rand::{Rng, SeedableRng};
use shiftdesk_engine::accounts::AccountBook;
use shiftdesk_fault_proxy::{Fault, FaultProxy, RandomFaults};

use crate::bench::emit;
use crate::process::{self, workspace_root};
use crate::reference_server::{token_of, ServerDb};
use crate::setup::Needs;

/// How much work the agents do.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub replies: usize,
    pub edits: usize,
}

/// The size the issue asks of a soak.
pub const FULL: Size = Size {
    replies: 1_050,
    edits: 330,
};
/// The version `cargo xtask test` runs.
pub const SHORT: Size = Size {
    replies: 60,
    edits: 24,
};

const CLIENTS: usize = 3;
const FAULT_RATE: f64 = 0.3;

/// What one agent queued, by the ids the command line printed.
#[derive(Debug, Default)]
struct Work {
    replies: Vec<(String, String)>,
    edits: Vec<String>,
    kills: usize,
    busy_errors: usize,
}

pub fn run(size: Size) -> Result<()> {
    build_cli()?;
    let server = ServerDb::fresh(false, "soak")?;
    server.cli(&["demo", "--tickets", "300", "--seed", "11"])?;
    let running = server.serve()?;
    let upstream = running
        .base
        .trim_start_matches("http://")
        .parse()
        .context("the server's address")?;
    let runtime = tokio::runtime::Runtime::new()?;
    let started = Instant::now();
    let mut clients = Vec::new();
    // Agents, not the lead: each client's scope is its own tickets.
    let agents = shiftdesk_demo::agents()
        .into_iter()
        .filter(|a| a.role == shiftdesk_domain::Role::Agent)
        .map(|a| a.id.0)
        .take(CLIENTS);
    for agent in agents {
        let proxy = runtime.block_on(FaultProxy::start(upstream))?;
        let token = token_of(&server.cli(&["agent", "token", "--id", &agent.to_string()])?)?;
        let data = workspace_root()
            .join("target/soak")
            .join(format!("agent-{agent}"));
        login(&data, &format!("http://{}", proxy.addr()), &token)?;
        proxy.set(Fault::Random(RandomFaults::new(
            FAULT_RATE,
            1000 + agent as u64,
        )));
        clients.push((agent, data, proxy));
    }
    let work: Vec<Work> = std::thread::scope(|scope| {
        let handles: Vec<_> = clients
            .iter()
            .map(|(agent, data, _)| {
                let share = Size {
                    replies: size.replies.div_ceil(CLIENTS),
                    edits: size.edits.div_ceil(CLIENTS),
                };
                scope.spawn(move || work(*agent, data, share))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("a client thread panicked")))
            })
            .collect::<Result<_>>()
    })?;

    // The network heals; each agent syncs until the outbox is empty.
    for (_, data, proxy) in &clients {
        proxy.set(Fault::None);
        let mut tries = 0;
        loop {
            let out = shiftdesk(data, &["sync"]).output()?;
            // 6: synced, with refused edits left for the agent.
            if matches!(out.status.code(), Some(0 | 6)) && nothing_queued(data)? {
                break;
            }
            tries += 1;
            if tries > 10 {
                bail!("{} never finished syncing: {}", data.display(), text(&out));
            }
        }
    }
    let faults: u64 = clients.iter().map(|(_, _, p)| p.stats().faults()).sum();
    let report = runtime.block_on(check(server.db(), &clients, &work))?;
    emit("soak_lost", report.lost as f64, "replies");
    emit("soak_duplicated", report.duplicated as f64, "replies");
    emit("soak_diverged", report.diverged as f64, "clients");
    emit(
        "soak_replies",
        work.iter().map(|w| w.replies.len()).sum::<usize>() as f64,
        "replies",
    );
    emit(
        "soak_edits",
        work.iter().map(|w| w.edits.len()).sum::<usize>() as f64,
        "edits",
    );
    emit("soak_faults", faults as f64, "connections");
    emit(
        "soak_kills",
        work.iter().map(|w| w.kills).sum::<usize>() as f64,
        "kills",
    );
    emit("soak_seconds", started.elapsed().as_secs_f64(), "s");
    let busy: usize = work.iter().map(|w| w.busy_errors).sum();
    if report.lost + report.duplicated + report.diverged > 0 || busy > 0 {
        bail!("the soak failed: {report:?}, {busy} SQLITE_BUSY errors surfaced");
    }
    println!("soak: nothing lost, nothing doubled, every cache equal to the server");
    Ok(())
}

/// The command line and the server are pure Rust.
pub const NEEDS: Needs = Needs {
    packages: &[],
    ui: false,
    peers: false,
    tauri_driver: false,
};

fn build_cli() -> Result<()> {
    process::step(
        "Building the shiftdesk command",
        process::cargo(&["build", "--quiet", "-p", "shiftdesk-cli"]),
    )
}

fn cli() -> PathBuf {
    crate::process::build_dir().join("debug/shiftdesk")
}

fn shiftdesk(data: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(cli());
    command
        .args(args)
        .env("SHIFTDESK_DATA_DIR", data)
        .env_remove("SHIFTDESK_API_TOKEN")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn login(data: &Path, url: &str, token: &str) -> Result<()> {
    let _ = std::fs::remove_dir_all(data);
    let token_file = data.with_extension("token");
    let _ = std::fs::remove_file(&token_file);
    let mut child = shiftdesk(
        data,
        &[
            "login",
            "--server",
            url,
            "--token-stdin",
            "--token-file",
            &token_file.to_string_lossy(),
        ],
    )
    .stdin(Stdio::piped())
    .spawn()?;
    writeln!(child.stdin.take().context("the login's stdin")?, "{token}")?;
    let out = child.wait_with_output()?;
    if !out.status.success() {
        bail!("login failed: {}", text(&out));
    }
    // The first full pull, before the faults start.
    let out = shiftdesk(data, &["sync"]).output()?;
    if !out.status.success() {
        bail!("the first sync failed: {}", text(&out));
    }
    Ok(())
}

/// Nothing left to send: what remains was refused and waits for the agent.
fn nothing_queued(data: &Path) -> Result<bool> {
    let out = shiftdesk(data, &["outbox"]).output()?;
    Ok(!String::from_utf8_lossy(&out.stdout).contains("\tqueued\t"))
}

/// One agent's shift: replies, edits and syncs in random order, a third of
/// the syncs killed mid-way.
fn work(agent: i64, data: &Path, share: Size) -> Result<Work> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(agent as u64);
    let queue = shiftdesk(data, &["queue", "--view", "all", "--limit", "200"]).output()?;
    let tickets: Vec<String> = String::from_utf8_lossy(&queue.stdout)
        .lines()
        .filter_map(|l| l.split('\t').next())
        .map(|n| n.trim_start_matches('#').to_owned())
        .collect();
    if tickets.is_empty() {
        bail!("agent {agent} has no tickets");
    }
    let mut work = Work::default();
    let statuses = ["open", "pending", "on_hold", "open", "solved"];
    let priorities = ["urgent", "high", "normal", "low"];
    while work.replies.len() < share.replies || work.edits.len() < share.edits {
        let ticket = &tickets[rng.random_range(0..tickets.len())];
        let roll = rng.random_range(0..10);
        let out = if roll < 5 && work.replies.len() < share.replies {
            let body = format!(
                "soak {agent}-{} {}",
                work.replies.len(),
                uuid::Uuid::new_v4()
            );
            let out = shiftdesk(
                data,
                &["reply", ticket, "--channel", "email", "--body", &body],
            )
            .output()?;
            if let Some(id) = queued_ids(&out).first() {
                work.replies.push((id.clone(), body));
            }
            out
        } else if roll < 7 && work.edits.len() < share.edits {
            let out = if rng.random_bool(0.5) {
                let status = statuses[rng.random_range(0..statuses.len())];
                shiftdesk(data, &["set", ticket, "--status", status]).output()?
            } else {
                let priority = priorities[rng.random_range(0..priorities.len())];
                shiftdesk(data, &["set", ticket, "--priority", priority]).output()?
            };
            work.edits.extend(queued_ids(&out));
            out
        } else {
            let mut sync = shiftdesk(data, &["sync"]).spawn()?;
            if rng.random_bool(0.35) {
                std::thread::sleep(Duration::from_millis(rng.random_range(0..250)));
                if sync.try_wait()?.is_none() {
                    sync.kill()?; // SIGKILL, mid-sync
                    work.kills += 1;
                }
            }
            sync.wait_with_output()?
        };
        let said = text(&out);
        if said.contains("database is locked") || said.contains("SQLITE_BUSY") {
            work.busy_errors += 1;
        }
    }
    Ok(work)
}

fn queued_ids(out: &Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.strip_prefix("queued "))
        .map(str::to_owned)
        .collect()
}

#[derive(Debug, Default)]
struct Report {
    lost: usize,
    duplicated: usize,
    diverged: usize,
}

async fn check(db: &Path, clients: &[(i64, PathBuf, FaultProxy)], work: &[Work]) -> Result<Report> {
    let server = pool(db).await?;
    let mut report = Report::default();
    for agent_work in work {
        for (id, body) in &agent_work.replies {
            let applied: i64 =
                sqlx::query_scalar("SELECT count(*) FROM applied_mutations WHERE id = ?")
                    .bind(id)
                    .fetch_one(&server)
                    .await?;
            let stored: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM messages WHERE json_extract(body, '$.body') = ?",
            )
            .bind(body)
            .fetch_one(&server)
            .await?;
            if applied == 0 || stored == 0 {
                report.lost += 1;
            }
            if stored > 1 {
                report.duplicated += 1;
            }
        }
    }
    for (agent, data, _) in clients {
        let cache = pool(&cache_file(data)?).await?;
        let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&cache)
            .await?;
        let server_view: Vec<(i64, i64, String, String)> = sqlx::query_as(
            "SELECT number, version, json_extract(body, '$.status'), json_extract(body, '$.priority') \
             FROM tickets WHERE assignee_id = ? ORDER BY number",
        )
        .bind(agent)
        .fetch_all(&server)
        .await?;
        let cached: Vec<(i64, i64, String, String)> =
            sqlx::query_as("SELECT number, version, status, priority FROM tickets ORDER BY number")
                .fetch_all(&cache)
                .await?;
        let server_messages: Vec<i64> = sqlx::query_scalar(
            "SELECT m.id FROM messages m JOIN tickets t ON t.number = m.ticket_number \
             WHERE t.assignee_id = ? ORDER BY m.id",
        )
        .bind(agent)
        .fetch_all(&server)
        .await?;
        let cached_messages: Vec<i64> = sqlx::query_scalar("SELECT id FROM messages ORDER BY id")
            .fetch_all(&cache)
            .await?;
        if integrity != "ok" || server_view != cached || server_messages != cached_messages {
            report.diverged += 1;
            let first_ticket = server_view
                .iter()
                .zip(&cached)
                .find(|(s, c)| s != c)
                .map(|(s, c)| format!("server {s:?}, cache {c:?}"));
            let first_message = server_messages
                .iter()
                .zip(&cached_messages)
                .find(|(s, c)| s != c)
                .map(|(s, c)| format!("server {s}, cache {c}"));
            eprintln!(
                "agent {agent}: integrity {integrity}; tickets {} vs {} ({first_ticket:?}); \
                 messages {} vs {} ({first_message:?})",
                server_view.len(),
                cached.len(),
                server_messages.len(),
                cached_messages.len()
            );
        }
        cache.close().await;
    }
    server.close().await;
    Ok(report)
}

/// The cache of the account the data folder `data` works as, as the
/// command line finds it.
fn cache_file(data: &Path) -> Result<PathBuf> {
    let book = AccountBook::open(data)?;
    let account = book
        .current()
        .with_context(|| format!("{} is signed in to no account", data.display()))?;
    Ok(book.cache_file(account))
}

async fn pool(path: &Path) -> Result<sqlx::SqlitePool> {
    Ok(sqlx::SqlitePool::connect(&format!("sqlite://{}?mode=ro", path.display())).await?)
}
