//! The instrument of `cargo xtask bench ui`: the agent's workspace timed in
//! the real Shiftdesk binary through tauri-driver and WebKitWebDriver on an
//! X display. Each test prints its samples as one JSON line,
//! `{"samples": NAME, "unit": ..., "values": [...]}`; xtask turns them into
//! figures. xtask makes the demo caches and names them in the environment.

#![allow(clippy::unwrap_used)] // a measurement that cannot go on should stop loudly
#![allow(clippy::print_stdout)] // the samples are the output

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

mod notification_server;
mod window;

use serde_json::{json, Value};
use window::*;

/// The cache folder of a 10k-ticket desk whose first rows hold long threads.
const DESK_ENV: &str = "SHIFTDESK_BENCH_UI_DESK";
/// The cache folder of a 100k-ticket desk.
const LARGE_DESK_ENV: &str = "SHIFTDESK_BENCH_UI_LARGE_DESK";
/// Comma-separated numbers of the long threads in the 10k desk.
const LONG_TICKETS_ENV: &str = "SHIFTDESK_BENCH_UI_LONG_TICKETS";
/// How many messages a long thread has.
const LONG_THREAD_ENV: &str = "SHIFTDESK_BENCH_UI_LONG_THREAD";
/// What to search for, one query a line.
const QUERIES_ENV: &str = "SHIFTDESK_BENCH_UI_QUERIES";

const COLD_STARTS: usize = 7;
const OPENS: usize = 60;
const SEARCH_ROUNDS: usize = 3;
const IDLE: Duration = Duration::from_secs(20);
/// Set by the UI once the queue's first page is on screen (App.svelte).
const QUEUE_SHOWN_MARK: &str = "queue-shown";
/// Clock ticks a second in /proc (USER_HZ, 100 on every Linux port that matters).
const CLOCK_TICKS_PER_S: f64 = 100.0;

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set: run `cargo xtask bench ui`"))
}

fn print_samples(name: &str, unit: &str, values: &[f64]) {
    println!(
        "{}",
        json!({ "samples": name, "unit": unit, "values": values })
    );
}

/// Spawning the app → the first queue rows on screen, on the 10k desk.
/// The start is the app process's start time from /proc (10 ms ticks); the
/// end is the UI's `queue-shown` mark on the page's wall clock.
#[test]
#[ignore = "a benchmark: run by `cargo xtask bench ui`"]
fn cold_start_to_queue() {
    let desk = PathBuf::from(env(DESK_ENV));
    let mut samples = Vec::new();
    for run in 0..COLD_STARTS {
        let app = App::start(&desk, &format!("bench-cold-start-{run}"));
        let shown_at_ms = wait_until(Duration::from_secs(30), "the queue-shown mark", || {
            app.script(
                "const m = performance.getEntriesByName(arguments[0])[0];\
                 return m ? performance.timeOrigin + m.startTime : null;",
                json!([QUEUE_SHOWN_MARK]),
            )
            .as_f64()
        });
        assert!(app.queue_rows() > 0, "the mark comes with rows");
        let started_at_ms = started_at_ms(app_pid(&app));
        samples.push(shown_at_ms - started_at_ms);
    }
    print_samples("cold_start_to_queue", "ms", &samples);
}

/// The app idle on the 10k desk: the RSS and PSS of the app and every
/// process under it (WebKit's web and network processes), after [`IDLE`].
#[test]
#[ignore = "a benchmark: run by `cargo xtask bench ui`"]
fn idle_memory() {
    let desk = PathBuf::from(env(DESK_ENV));
    let app = App::start(&desk, "bench-idle");
    app.queue_rows();
    std::thread::sleep(IDLE);
    let app_pid = app_pid(&app);
    let tree: Vec<u32> = std::iter::once(app_pid)
        .chain(descendants(app_pid))
        .collect();
    let kib = |field: &str, file: &str| -> f64 {
        tree.iter()
            .map(|pid| proc_kib(*pid, file, field))
            .sum::<u64>() as f64
    };
    print_samples("idle_rss", "MiB", &[kib("VmRSS:", "status") / 1024.0]);
    print_samples("idle_pss", "MiB", &[kib("Pss:", "smaps_rollup") / 1024.0]);
    print_samples("idle_processes", "processes", &[tree.len() as f64]);
}

/// Enter on a queue row whose ticket has a long thread → its thread in the
/// pane (the newest messages, the earlier ones a click away), laid out. Timed in the page: from dispatching the
/// keydown to the next animation frame after the last message arrived,
/// with its layout forced there. The pane is closed between opens.
#[test]
#[ignore = "a benchmark: run by `cargo xtask bench ui`"]
fn open_long_ticket() {
    let desk = PathBuf::from(env(DESK_ENV));
    let long: Vec<i64> = env(LONG_TICKETS_ENV)
        .split(',')
        .map(|n| n.parse().unwrap())
        .collect();
    let messages: u64 = env(LONG_THREAD_ENV).parse().unwrap();
    let app = App::start(&desk, "bench-open-ticket");
    app.queue_rows();
    // Rows in view: focusing one then scrolls nothing, so the rendered
    // window of rows stays the same from open to open.
    let in_view: HashSet<i64> = app
        .script(
            "return [...document.querySelectorAll('[data-testid=queue-row]')]\
               .filter(r => r.getBoundingClientRect().bottom <= r.closest('.scroller').getBoundingClientRect().bottom)\
               .map(r => Number(r.dataset.number));",
            json!([]),
        )
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_i64)
        .collect();
    let on_screen: Vec<i64> = long.into_iter().filter(|n| in_view.contains(n)).collect();
    assert!(
        on_screen.len() >= 10,
        "long threads among the rows in view: {on_screen:?}"
    );
    let open = "const [number, messages, done] = arguments;\
        const row = document.querySelector(`[data-testid=queue-row][data-number=\"${number}\"]`);\
        row.focus();\
        const shown = () => {\
          const pane = document.querySelector(`[data-testid=ticket-pane][data-ticket=\"${number}\"]`);\
          const thread = pane && pane.querySelector(`[data-testid=conversation][data-total=\"${messages}\"]`);\
          const all = thread ? thread.querySelectorAll('[data-testid=message]') : [];\
          return all.length > 0 ? all[all.length - 1] : null;\
        };\
        let started;\
        const observer = new MutationObserver(() => {\
          const last = shown();\
          if (!last) return;\
          observer.disconnect();\
          requestAnimationFrame(() => { last.getBoundingClientRect(); done(performance.now() - started); });\
        });\
        observer.observe(document.body, { childList: true, subtree: true });\
        started = performance.now();\
        row.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));";
    let mut samples = Vec::new();
    for number in on_screen.iter().cycle().take(OPENS) {
        let ms = app.script_async(open, json!([number, messages]));
        samples.push(ms.as_f64().expect("the open was timed"));
        app.press("body", "Escape", false);
        app.until(
            "the pane to close",
            "!document.querySelector('[data-testid=ticket-pane]')",
            json!([]),
        );
    }
    print_samples("open_ticket", "ms", &samples);
}

/// On the 100k desk, each query typed at once into the search box → the
/// results shown, timed in the page to the next
/// animation frame after the answer, layout forced; and the same query
/// through `search_tickets` alone (IPC, parsing, SQL; no
/// rendering).
#[test]
#[ignore = "a benchmark: run by `cargo xtask bench ui`"]
fn search_to_results() {
    let desk = PathBuf::from(env(LARGE_DESK_ENV));
    let queries = env(QUERIES_ENV);
    let queries: Vec<&str> = queries.lines().collect();
    let app = App::start(&desk, "bench-search");
    app.queue_rows();
    let search = "const [query, done] = arguments;\
        const input = document.querySelector('[data-testid=search-input]');\
        let started;\
        const observer = new MutationObserver(() => {\
          const results = document.querySelector('[data-testid=search-results]');\
          if (!results || results.getAttribute('aria-busy') !== 'false') return;\
          observer.disconnect();\
          requestAnimationFrame(() => {\
            results.getBoundingClientRect();\
            done({ ms: performance.now() - started, hits: results.querySelectorAll('[data-testid=search-hit]').length });\
          });\
        });\
        observer.observe(document.body, { childList: true, subtree: true, attributes: true });\
        input.value = query;\
        started = performance.now();\
        input.dispatchEvent(new Event('input', { bubbles: true }));";
    let query_only = "const [query, done] = arguments;\
        const started = performance.now();\
        window.__TAURI_INTERNALS__.invoke('search_tickets', { query, limit: 50 })\
          .then(() => done(performance.now() - started), () => done(null));";
    let mut shown = Vec::new();
    let mut answered = Vec::new();
    let mut hits = Vec::new();
    for _ in 0..SEARCH_ROUNDS {
        for query in &queries {
            let result = app.script_async(search, json!([query]));
            shown.push(result["ms"].as_f64().expect("the search was timed"));
            hits.push(result["hits"].as_f64().unwrap());
            app.fill("[data-testid=search-input]", "");
            app.queue_rows();
            let ms = app.script_async(query_only, json!([query]));
            answered.push(ms.as_f64().expect("search_tickets answered"));
        }
    }
    print_samples("search_to_results", "ms", &shown);
    print_samples("search_query", "ms", &answered);
    print_samples("search_hits", "hits", &hits);
}

/// The Shiftdesk process under `app`'s tauri-driver (WebKitWebDriver
/// started it).
fn app_pid(app: &App) -> u32 {
    let binary = Path::new(env!("CARGO_BIN_EXE_shiftdesk-desktop"))
        .canonicalize()
        .unwrap();
    descendants(app.driver_pid())
        .into_iter()
        .find(|pid| std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|exe| exe == binary))
        .expect("the app runs under tauri-driver")
}

/// Every process below `root`, from the parent of each in /proc.
fn descendants(root: u32) -> Vec<u32> {
    let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
    for entry in std::fs::read_dir("/proc").unwrap() {
        let Some(pid) = entry
            .unwrap()
            .file_name()
            .to_str()
            .and_then(|n| n.parse().ok())
        else {
            continue;
        };
        // A process may end between listing and reading.
        if let Some(parent) = stat_field(pid, 4) {
            children.entry(parent as u32).or_default().push(pid);
        }
    }
    let mut found = Vec::new();
    let mut next = vec![root];
    while let Some(pid) = next.pop() {
        let below = children.get(&pid).cloned().unwrap_or_default();
        found.extend(&below);
        next.extend(below);
    }
    found
}

/// Field `n` (1-based, as proc(5) counts) of /proc/PID/stat.
fn stat_field(pid: u32, n: usize) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) may hold spaces; fields 3.. follow its ')'.
    let after_name = &stat[stat.rfind(')')? + 2..];
    after_name.split_whitespace().nth(n - 3)?.parse().ok()
}

/// A `NAME: N kB` line of /proc/PID/FILE, in KiB (0 once the process is gone).
fn proc_kib(pid: u32, file: &str, field: &str) -> u64 {
    let text = std::fs::read_to_string(format!("/proc/{pid}/{file}")).unwrap_or_default();
    text.lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// When process `pid` started, in ms since the epoch: its start in ticks
/// since boot (stat field 22), with boot placed on the wall clock through
/// /proc/uptime (btime is whole seconds).
fn started_at_ms(pid: u32) -> f64 {
    let now_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
        * 1000.0;
    let uptime = std::fs::read_to_string("/proc/uptime").unwrap();
    let uptime_s: f64 = uptime.split_whitespace().next().unwrap().parse().unwrap();
    let started_ticks = stat_field(pid, 22).expect("the app is running");
    now_ms - uptime_s * 1000.0 + started_ticks as f64 / CLOCK_TICKS_PER_S * 1000.0
}
