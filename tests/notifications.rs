//! The shell's native SLA and callback notifications over a real private
//! session bus: `DesktopNotifier` shows them through notify-rust to a
//! recording `org.freedesktop.Notifications` server, and a click on one
//! opens its ticket.
//!
//! Each test runs its ignored `*_child` twin (not a test on its own) in a
//! child process of this binary under `dbus-run-session`, so the bus is
//! private and `DBUS_SESSION_BUS_ADDRESS` is set before anything connects.

#![allow(clippy::unwrap_used)] // a test that cannot go on should stop loudly

mod notification_server;
mod sla_cache;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use notification_server::{CloseReason, HintValue, NotificationServer, Shown};
use shiftdesk_domain::{
    AgentId, AlertLevel, Channel, Role, SlaAlert, SlaMetric, TicketNumber, Timestamp,
};
use shiftdesk_engine::sla_watch::{Notice, Notifier, PromisedCallback, RaisedAlert, SlaWatcher};
use shiftdesk_shell::notifications::DesktopNotifier;
use shiftdesk_shell::preferences::Language;
use tokio::sync::{mpsc, watch};

use AlertLevel::{Breached, Warning};
use SlaMetric::{FirstResponse, NextResponse, Resolution};

// The parents: one private bus each.

#[test]
fn a_breach_is_a_critical_notification_about_its_ticket() {
    on_private_bus("a_breach_child");
}

#[test]
fn a_warning_is_a_normal_notification_and_quiet_without_sound() {
    on_private_bus("a_warning_child");
}

#[test]
fn a_burst_is_one_summary_most_urgent_first() {
    on_private_bus("a_burst_child");
}

#[test]
fn a_lead_gets_the_team_s_alerts_marked_as_the_team_s() {
    on_private_bus("team_child");
}

#[test]
fn a_click_on_a_notification_or_its_open_button_opens_its_ticket() {
    on_private_bus("click_child");
}

#[test]
fn a_callback_reminder_is_a_normal_notification_that_opens_its_ticket() {
    on_private_bus("callback_child");
}

#[test]
fn with_no_notification_server_the_notifier_warns_once_and_goes_on() {
    on_private_bus("no_server_child");
}

#[test]
fn the_watcher_s_alerts_reach_the_desktop_grouped_and_never_twice_across_a_restart() {
    on_private_bus("watcher_child");
}

/// `cargo xtask bench sla` runs this and passes on the figures it prints.
#[test]
#[ignore = "benchmark: run by `cargo xtask bench sla`"]
fn breach_to_notification_bench() {
    let out = on_private_bus("latency_child");
    // Test harness output may share a line with a figure.
    for line in out
        .lines()
        .filter_map(|l| l.find("{\"bench\"").map(|at| &l[at..]))
    {
        println!("{line}");
    }
}

#[test]
fn with_no_session_bus_the_notifier_warns_once_and_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args(child_flags("no_bus_child")).env(
        "DBUS_SESSION_BUS_ADDRESS",
        format!("unix:path={}", dir.path().join("no-bus").display()),
    );
    run_child(cmd, "no_bus_child", dir.path());
}

// The children, each on the bus its parent started.

/// Not a test on its own: see `the_watcher_s_alerts_reach_the_desktop_grouped_and_never_twice_across_a_restart`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "child process of a parent test in this file"]
async fn watcher_child() {
    if !is_child("watcher_child") {
        return;
    }
    let server = NotificationServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    // Four tickets breached minutes ago (a burst found at start), one that
    // breaches in two seconds.
    let mut threads: Vec<_> = (1..=4)
        .map(|n| sla_cache::breaching_in(n, -n * sla_cache::MINUTE_MS))
        .collect();
    threads.push(sla_cache::breaching_in(5, 2_000));
    let store = sla_cache::open(dir.path(), &threads, Role::Agent).await;
    let (first, _opened) = notifier();
    let watcher = SlaWatcher::start(store.clone(), sla_cache::AGENT, Arc::new(first))
        .await
        .unwrap();
    let shown = server.wait_for(2).await;
    // Found at start, in one gathering: the four breaches and ticket 5's
    // warning, as one summary, most urgent first. Then 5 breaches alone.
    let summaries: Vec<&str> = shown.iter().map(|s| s.summary.as_str()).collect();
    assert_eq!(
        summaries,
        ["5 SLA alerts", "SLA breached · #5"],
        "{shown:#?}"
    );
    let due = sla_cache::local_time(threads[4].ticket.created_at.plus_minutes(60));
    assert_eq!(
        shown[0].body,
        format!(
            "#4 First response breached — VM 4 does not boot\n\
             #3 First response breached — VM 3 does not boot\n\
             #2 First response breached — VM 2 does not boot\n\
             #1 First response breached — VM 1 does not boot\n\
             #5 First response due {due} — VM 5 does not boot"
        )
    );
    assert_eq!(shown[0].actions, ["default", "Open", "open", "Open #4"]);
    assert_eq!(
        shown[1].body,
        format!("First response was due {due}\nVM 5 does not boot")
    );
    drop(watcher);

    // A restart on the same cache: everything was told already.
    let (second, _opened) = notifier();
    let _watcher = SlaWatcher::start(store, sla_cache::AGENT, Arc::new(second))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(server.shown().len(), 2, "{:#?}", server.shown());
}

/// Not a test on its own: see `breach_to_notification_bench`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "child process of a parent test in this file"]
async fn latency_child() {
    if !is_child("latency_child") {
        return;
    }
    const ROUNDS: i64 = 15;
    let server = NotificationServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    // One ticket breaching every 1.1 s, each past the others' gathering.
    let threads: Vec<_> = (1..=ROUNDS)
        .map(|n| sla_cache::breaching_in(n, 1_000 + n * 1_100))
        .collect();
    let due: Vec<i64> = threads
        .iter()
        .map(|t| t.ticket.created_at.plus_minutes(60).0)
        .collect();
    let store = sla_cache::open(dir.path(), &threads, Role::Agent).await;
    let (notifier, _opened) = notifier();
    let _watcher = SlaWatcher::start(store, sla_cache::AGENT, Arc::new(notifier))
        .await
        .unwrap();
    // The warnings of all of them come first, as one summary.
    server.wait_for(1).await;
    let mut samples = Vec::new();
    let mut seen = 1;
    let deadline = Instant::now() + Duration::from_secs(60);
    while samples.len() < due.len() && Instant::now() < deadline {
        let shown = server.shown();
        let arrived = shiftdesk_engine::now().0;
        for s in &shown[seen..] {
            let number: usize = s.summary.rsplit('#').next().unwrap().parse().unwrap();
            samples.push(arrived - due[number - 1]);
        }
        seen = shown.len();
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    assert_eq!(samples.len(), due.len(), "every breach was told");
    samples.sort_unstable();
    let median = samples[samples.len() / 2];
    let p95 = samples[(samples.len() * 95).div_ceil(100) - 1];
    println!("{{\"bench\": \"breach_to_notification_ms\", \"value\": {median}, \"unit\": \"ms\"}}");
    println!(
        "{{\"bench\": \"breach_to_notification_p95_ms\", \"value\": {p95}, \"unit\": \"ms\"}}"
    );
}

/// Not a test on its own: see `a_breach_is_a_critical_notification_about_its_ticket`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "child process of a parent test in this file"]
async fn a_breach_child() {
    if !is_child("a_breach_child") {
        return;
    }
    let server = NotificationServer::start().await;
    let (notifier, _opened) = notifier();
    notifier.notify(notice(
        vec![raised(
            1042,
            "Printer on fire & <smoke>",
            FirstResponse,
            Breached,
            Some("08:35"),
        )],
        false,
        true,
    ));
    notifier.notify(notice(
        vec![raised(1043, "Quota", Resolution, Breached, None)],
        false,
        true,
    ));
    let shown = server.wait_for(2).await;
    assert_eq!(shown.len(), 2);
    assert_shown(
        &shown[0],
        "SLA breached · #1042",
        "First response was due 14:05\nPrinter on fire &amp; &lt;smoke&gt;",
        "Open #1042",
        hints(CRITICAL, true),
    );
    assert_eq!(shown[0].app_icon, "shiftdesk-desktop");
    assert_eq!(shown[0].replaces_id, 0);
    assert_eq!(shown[0].expire_timeout, -1, "the server's own timeout");
    assert_shown(
        &shown[1],
        "SLA breached · #1043",
        "Resolution is overdue\nQuota",
        "Open #1043",
        hints(CRITICAL, true),
    );
    assert_ne!(shown[0].id, shown[1].id);
}

/// Not a test on its own: see `a_warning_is_a_normal_notification_and_quiet_without_sound`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "child process of a parent test in this file"]
async fn a_warning_child() {
    if !is_child("a_warning_child") {
        return;
    }
    let server = NotificationServer::start().await;
    let (notifier, _opened) = notifier();
    notifier.notify(notice(
        vec![raised(
            1042,
            "VPN drops hourly",
            NextResponse,
            Warning,
            Some("08:35"),
        )],
        false,
        false,
    ));
    notifier.notify(notice(
        vec![raised(1044, "DNS", FirstResponse, Warning, None)],
        false,
        true,
    ));
    let shown = server.wait_for(2).await;
    assert_eq!(shown.len(), 2);
    assert_shown(
        &shown[0],
        "SLA warning · #1042",
        "Next response due 14:05\nVPN drops hourly",
        "Open #1042",
        hints(NORMAL, false),
    );
    assert_shown(
        &shown[1],
        "SLA warning · #1044",
        "First response due soon\nDNS",
        "Open #1044",
        hints(NORMAL, true),
    );
}

/// Not a test on its own: see `a_burst_is_one_summary_most_urgent_first`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "child process of a parent test in this file"]
async fn a_burst_child() {
    if !is_child("a_burst_child") {
        return;
    }
    let server = NotificationServer::start().await;
    let (notifier, _opened) = notifier();
    notifier.notify(notice(burst(), false, true));
    let shown = server.wait_for(1).await;
    assert_eq!(shown.len(), 1);
    assert_shown(
        &shown[0],
        "6 SLA alerts",
        "#2004 Next response breached — Backups failing\n\
         #2002 First response breached — VPN down\n\
         #2006 Resolution breached — Billing dispute\n\
         #2005 First response due 14:20 — DNS propagation\n\
         #2001 Next response due 14:40 — Invoice question\n\
         and 1 more",
        "Open #2004",
        hints(CRITICAL, true),
    );
}

/// Not a test on its own: see `a_lead_gets_the_team_s_alerts_marked_as_the_team_s`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "child process of a parent test in this file"]
async fn team_child() {
    if !is_child("team_child") {
        return;
    }
    let server = NotificationServer::start().await;
    let (notifier, _opened) = notifier();
    notifier.notify(notice(
        vec![
            raised(
                3001,
                "Lost invoices",
                FirstResponse,
                Breached,
                Some("08:00"),
            ),
            raised(3002, "Slow API", Resolution, Breached, Some("07:00")),
            raised(3003, "Login loop", NextResponse, Breached, None),
        ],
        true,
        true,
    ));
    notifier.notify(notice(
        vec![raised(
            3004,
            "Refund",
            FirstResponse,
            Warning,
            Some("09:00"),
        )],
        true,
        false,
    ));
    notifier.notify(notice(
        vec![
            raised(3005, "Disk quota", NextResponse, Warning, None),
            raised(3006, "Cert renewal", Resolution, Warning, Some("09:30")),
        ],
        true,
        false,
    ));
    let shown = server.wait_for(3).await;
    assert_eq!(shown.len(), 3);
    assert_shown(
        &shown[0],
        "Team: 3 SLA breaches",
        "#3002 Resolution breached — Slow API\n\
         #3001 First response breached — Lost invoices\n\
         #3003 Next response breached — Login loop",
        "Open #3002",
        hints(CRITICAL, true),
    );
    assert_shown(
        &shown[1],
        "Team: SLA warning · #3004",
        "First response due 14:30\nRefund",
        "Open #3004",
        hints(NORMAL, false),
    );
    assert_shown(
        &shown[2],
        "Team: 2 SLA warnings",
        "#3006 Resolution due 15:00 — Cert renewal\n\
         #3005 Next response due soon — Disk quota",
        "Open #3006",
        hints(NORMAL, false),
    );
}

/// Not a test on its own: see `a_click_on_a_notification_or_its_open_button_opens_its_ticket`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "child process of a parent test in this file"]
async fn click_child() {
    if !is_child("click_child") {
        return;
    }
    let server = NotificationServer::start().await;
    let (notifier, mut opened) = notifier();
    let single = |n: i64| {
        notice(
            vec![raised(n, "subject", FirstResponse, Breached, None)],
            false,
            true,
        )
    };
    notifier.notify(single(1042));
    notifier.notify(single(1043));
    notifier.notify(notice(burst(), false, true));
    notifier.notify(single(1044));
    let shown = server.wait_for(4).await;

    assert_eq!(
        server.click(shown[0].id, "open", &mut opened).await,
        TicketNumber(1042)
    );
    assert_eq!(
        server.click(shown[1].id, "default", &mut opened).await,
        TicketNumber(1043)
    );
    // A summary opens the first ticket it lists, the most urgent.
    assert_eq!(
        server.click(shown[2].id, "default", &mut opened).await,
        TicketNumber(2004)
    );
    // Dismissed: the notifier stops listening, and nothing was opened.
    server.close(shown[3].id, CloseReason::Dismissed).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        opened.try_recv().is_err(),
        "one click opens one ticket, a dismissal none"
    );
    assert_eq!(server.closed_by_client(), Vec::<u32>::new());
}

/// Not a test on its own: see `a_callback_reminder_is_a_normal_notification_that_opens_its_ticket`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "child process of a parent test in this file"]
async fn callback_child() {
    if !is_child("callback_child") {
        return;
    }
    let server = NotificationServer::start().await;
    let (notifier, mut opened) = notifier();
    let at: jiff::Timestamp = "2026-03-02T08:35:00Z".parse().unwrap();
    notifier.notify(Notice::Callback {
        callback: PromisedCallback {
            ticket: TicketNumber(1042),
            at: Timestamp(at.as_millisecond()),
            subject: "Backups & <restore>".into(),
            customer: "Anna Petrova".into(),
            phone: Some("+7 495 000-00-00".into()),
        },
        sound: true,
    });
    let shown = server.wait_for(1).await;
    assert_shown(
        &shown[0],
        "Call back Anna Petrova about #1042 — promised for 14:05",
        "+7 495 000-00-00\nBackups &amp; &lt;restore&gt;",
        "Open #1042",
        hints(NORMAL, true),
    );
    assert_eq!(
        server.click(shown[0].id, "default", &mut opened).await,
        TicketNumber(1042)
    );
}

/// Not a test on its own: see `with_no_notification_server_the_notifier_warns_once_and_goes_on`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "child process of a parent test in this file"]
async fn no_server_child() {
    if !is_child("no_server_child") {
        return;
    }
    let log = Log::install();
    let (notifier, _opened) = notifier();
    notify_quickly(&notifier, 3);
    log.wait_for(&[WARNED, NOT_SHOWN, NOT_SHOWN]).await;

    // A notification server comes up later: the notifier shows the next
    // notice there, and only that one.
    let server = NotificationServer::start().await;
    notifier.notify(notice(
        vec![raised(1050, "later", FirstResponse, Breached, None)],
        false,
        true,
    ));
    let shown = server.wait_for(1).await;
    assert_eq!(shown[0].summary, "SLA breached · #1050");
    log.wait_for(&[WARNED, NOT_SHOWN, NOT_SHOWN, WORKS_AGAIN])
        .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(server.shown().len(), 1);
}

/// Not a test on its own: see `with_no_session_bus_the_notifier_warns_once_and_goes_on`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "child process of a parent test in this file"]
async fn no_bus_child() {
    if !is_child("no_bus_child") {
        return;
    }
    let log = Log::install();
    let (notifier, _opened) = notifier();
    notify_quickly(&notifier, 3);
    log.wait_for(&[WARNED, NOT_SHOWN, NOT_SHOWN]).await;
}

// What the children share.

/// Set in a child run: which child it is.
const CHILD_ENV: &str = "SHIFTDESK_NOTIFICATIONS_CHILD";
/// The children's wall clock: UTC+05:30 all year, so due times read in
/// local time differ from UTC by a telling half hour.
const LOCAL_TZ: &str = "IST-5:30";
/// Long enough for a slow machine; a child stuck on the bus must fail the
/// test, not hang it.
const CHILD_DEADLINE: Duration = Duration::from_secs(120);

const CRITICAL: u8 = 2;
const NORMAL: u8 = 1;

fn is_child(name: &str) -> bool {
    std::env::var(CHILD_ENV).as_deref() == Ok(name)
}

/// A notifier whose clicks arrive on the returned channel.
fn notifier() -> (DesktopNotifier, mpsc::UnboundedReceiver<TicketNumber>) {
    let (opened, opens) = mpsc::unbounded_channel();
    // The texts these tests expect are the English ones.
    let (_, language) = watch::channel(Language::En);
    let notifier = DesktopNotifier::new(
        Arc::new(move |ticket| {
            let _ = opened.send(ticket);
        }),
        language,
    );
    (notifier, opens)
}

fn notice(alerts: Vec<RaisedAlert>, team: bool, sound: bool) -> Notice {
    Notice::Sla {
        alerts,
        team,
        sound,
    }
}

/// An alert on `ticket`, due at `due` (HH:MM, UTC) on a fixed day.
fn raised(
    ticket: i64,
    subject: &str,
    metric: SlaMetric,
    level: AlertLevel,
    due: Option<&str>,
) -> RaisedAlert {
    let at = |hm: &str| {
        let instant: jiff::Timestamp = format!("2026-03-02T{hm}:00Z").parse().unwrap();
        Timestamp(instant.as_millisecond())
    };
    RaisedAlert {
        ticket: TicketNumber(ticket),
        subject: subject.to_owned(),
        assignee: Some(AgentId(1)),
        channel: Channel::Email,
        alert: SlaAlert {
            metric,
            level,
            clock_started_at: at("06:00"),
            due_at: due.map(at),
        },
    }
}

/// Six alerts in the watcher's order, not the order a summary lists them.
fn burst() -> Vec<RaisedAlert> {
    vec![
        raised(
            2001,
            "Invoice question",
            NextResponse,
            Warning,
            Some("09:10"),
        ),
        raised(2002, "VPN down", FirstResponse, Breached, Some("08:00")),
        raised(2003, "Quota increase", Resolution, Warning, None),
        raised(
            2004,
            "Backups failing",
            NextResponse,
            Breached,
            Some("07:45"),
        ),
        raised(
            2005,
            "DNS propagation",
            FirstResponse,
            Warning,
            Some("08:50"),
        ),
        raised(2006, "Billing dispute", Resolution, Breached, None),
    ]
}

fn hints(urgency: u8, sound: bool) -> BTreeMap<String, HintValue> {
    let mut hints = BTreeMap::from([
        ("category".to_owned(), HintValue::Str("im.received".into())),
        (
            "desktop-entry".to_owned(),
            HintValue::Str("Shiftdesk".into()),
        ),
        ("urgency".to_owned(), HintValue::Byte(urgency)),
    ]);
    if sound {
        hints.insert(
            "sound-name".into(),
            HintValue::Str("message-new-instant".into()),
        );
    } else {
        hints.insert("suppress-sound".into(), HintValue::Bool(true));
    }
    hints
}

fn assert_shown(
    shown: &Shown,
    summary: &str,
    body: &str,
    open_label: &str,
    hints: BTreeMap<String, HintValue>,
) {
    assert_eq!(shown.app_name, "Shiftdesk");
    assert_eq!(shown.summary, summary);
    assert_eq!(shown.body, body, "body of {summary:?}");
    assert_eq!(shown.actions, ["default", "Open", "open", open_label]);
    assert_eq!(shown.hints, hints, "hints of {summary:?}");
}

/// `count` notices, each handed over at once although nothing shows them.
fn notify_quickly(notifier: &DesktopNotifier, count: i64) {
    for n in 0..count {
        let started = Instant::now();
        notifier.notify(notice(
            vec![raised(1000 + n, "nowhere", FirstResponse, Breached, None)],
            false,
            true,
        ));
        assert!(
            started.elapsed() < Duration::from_millis(100),
            "notify blocked for {:?}",
            started.elapsed()
        );
    }
}

const WARNED: &str = "no desktop notifications; SLA alerts and due callbacks show in the app only";
const NOT_SHOWN: &str = "a desktop notification was not shown";
const WORKS_AGAIN: &str = "desktop notifications work again";

/// The shell's log lines, kept in memory so a child can wait on them.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<u8>>>);

impl Write for Log {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        std::io::stderr().write_all(buf)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Log {
    fn install() -> Log {
        let log = Log::default();
        let writer = log.clone();
        tracing_subscriber::fmt()
            .with_env_filter("shiftdesk_shell=debug")
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .init();
        log
    }

    /// Waits until the log's messages are `expected`, in order, and
    /// nothing else.
    async fn wait_for(&self, expected: &[&str]) {
        let started = Instant::now();
        loop {
            let text = String::from_utf8(self.0.lock().unwrap().clone()).unwrap();
            let messages: Vec<&str> = text
                .lines()
                .filter_map(|line| {
                    [WARNED, NOT_SHOWN, WORKS_AGAIN]
                        .into_iter()
                        .find(|message| line.contains(message))
                })
                .collect();
            if messages == expected {
                return;
            }
            assert!(
                messages.len() < expected.len() && started.elapsed() < CHILD_DEADLINE,
                "expected {expected:?}, the log says:\n{text}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

// Running a child.

/// libtest's flags to run the one ignored child test `test`.
fn child_flags(test: &str) -> [&str; 5] {
    [
        "--exact",
        test,
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ]
}

/// Runs child `test` on a private session bus of its own, which can start
/// no services: nothing but the test's own server answers there.
fn on_private_bus(test: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("bus.conf");
    std::fs::write(
        &config,
        format!(
            r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={}</listen>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#,
            dir.path().display()
        ),
    )
    .unwrap();
    let mut cmd = Command::new("dbus-run-session");
    cmd.arg(format!("--config-file={}", config.display()))
        .arg("--")
        .arg(std::env::current_exe().unwrap())
        .args(child_flags(test));
    run_child(cmd, test, dir.path())
}

/// Runs `cmd`, a child run of `test`, and fails with its output unless it
/// passed that one test; returns what it printed.
fn run_child(mut cmd: Command, test: &str, dir: &Path) -> String {
    let out = dir.join("child.out");
    cmd.env(CHILD_ENV, test)
        .env("TZ", LOCAL_TZ)
        // No X display to autolaunch a bus through.
        .env_remove("DISPLAY")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(dir.join("child.err")).unwrap());
    let mut child = cmd.spawn().unwrap_or_else(|e| {
        panic!(
            "cannot start {cmd:?}: {e}. These tests need dbus-run-session \
             (Debian package dbus), which `cargo xtask test` installs"
        )
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > CHILD_DEADLINE {
            child.kill().unwrap();
            child.wait().unwrap();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let ran = format!(
        "{}\n{}",
        std::fs::read_to_string(&out).unwrap(),
        std::fs::read_to_string(dir.join("child.err")).unwrap()
    );
    assert!(
        status.is_some_and(|s| s.success()),
        "child {test} ended {status:?}:\n{ran}"
    );
    assert!(ran.contains("1 passed"), "child {test} ran no test:\n{ran}");
    ran
}
