//! The watcher on a real cache file, with deadlines a second away in real
//! time. The notifier here records notices in memory; the desktop shell's
//! notifier is tested over a real D-Bus session bus.

#![allow(clippy::unwrap_used)] // a test that cannot go on should stop loudly

use std::sync::Mutex;

use shiftdesk_domain::*;

use super::*;

const ME: AgentId = AgentId(1);
const COLLEAGUE: AgentId = AgentId(2);
const MINUTE: i64 = 60_000;

/// Notices as `(ticket, metric, level)` lists, in the order shown.
#[derive(Debug, Default)]
struct Recorded(Mutex<Vec<Notice>>);

impl Notifier for Arc<Recorded> {
    fn notify(&self, notice: Notice) {
        self.0.lock().unwrap().push(notice);
    }
}

impl Recorded {
    fn take(&self) -> Vec<Notice> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }

    /// Waits until `count` notices came (or 10 s passed), then takes them.
    async fn wait_for(&self, count: usize) -> Vec<Notice> {
        for _ in 0..200 {
            if self.0.lock().unwrap().len() >= count {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.take()
    }
}

/// An SLA notice's alerts, whether they are the team's, and its sound.
fn sla(notice: &Notice) -> (&[RaisedAlert], bool, bool) {
    match notice {
        Notice::Sla {
            alerts,
            team,
            sound,
        } => (alerts, *team, *sound),
        Notice::Callback { .. } => panic!("not an SLA notice: {notice:?}"),
    }
}

fn shape(notices: &[Notice]) -> Vec<Vec<(i64, SlaMetric, AlertLevel)>> {
    notices
        .iter()
        .map(|n| {
            sla(n)
                .0
                .iter()
                .map(|a| (a.ticket.0, a.alert.metric, a.alert.level))
                .collect()
        })
        .collect()
}

/// Standard normal: an hour to respond, a day to resolve, warning ten
/// minutes before, round the clock.
fn policy() -> SlaPolicy {
    SlaPolicy {
        id: 1,
        plan: Plan::Standard,
        priority: Priority::Normal,
        targets: SlaTargets {
            first_response_min: 60,
            next_response_min: 60,
            resolution_min: 1440,
        },
        warning: WarningThreshold::MinutesLeft { minutes: 10 },
        calendar: SlaCalendar::AlwaysOn,
    }
}

/// A ticket the customer opened `age_ms` ago, not answered yet.
fn thread(number: i64, assignee: AgentId, channel: Channel, age_ms: i64) -> Thread {
    let created_at = Timestamp(crate::now().0 - age_ms);
    Thread {
        ticket: Ticket {
            number: TicketNumber(number),
            subject: format!("VM {number} does not boot"),
            status: TicketStatus::Open,
            priority: Priority::Normal,
            category: Category::PlatformProblem,
            plan: Plan::Standard,
            service: Service {
                name: "Compute Cloud".into(),
                stage: ServiceStage::GeneralAvailability,
            },
            customer: CustomerId(1),
            channel,
            assignee: Some(assignee),
            team: "L2".into(),
            tags: vec![],
            version: 1,
            created_at,
            updated_at: created_at,
            sla_due_at: None,
            email_cc: Vec::new(),
            status_log: vec![],
        },
        messages: vec![Message {
            id: MessageId(number * 100),
            ticket: TicketNumber(number),
            kind: MessageKind::Inbound,
            channel,
            author: Author::Customer { id: CustomerId(1) },
            body: "It hangs at boot since 14:05".into(),
            created_at,
        }],
        attachments: vec![],
    }
}

/// Breaches the first response in `ms` from now.
fn breaching_in(number: i64, assignee: AgentId, ms: i64) -> Thread {
    thread(number, assignee, Channel::Email, 60 * MINUTE - ms)
}

/// Warns of the first response in `ms` from now.
fn warning_in(number: i64, assignee: AgentId, ms: i64) -> Thread {
    thread(number, assignee, Channel::Telegram, 50 * MINUTE - ms)
}

async fn cache(dir: &tempfile::TempDir, threads: &[Thread]) -> Store {
    let store = Store::open(&dir.path().join("cache.sqlite"))
        .await
        .unwrap()
        .store;
    store
        .upsert_agents(&[
            Agent {
                id: ME,
                name: "Ирина Волкова".into(),
                team: "L2".into(),
                role: Role::Lead,
            },
            Agent {
                id: COLLEAGUE,
                name: "Sam Carter".into(),
                team: "L2".into(),
                role: Role::Agent,
            },
        ])
        .await
        .unwrap();
    store
        .upsert_customers(&[Customer {
            id: CustomerId(1),
            name: "Анна Петрова".into(),
            account_login: Some("anna-ops".into()),
            project: Some("shop-prod".into()),
            email: Some("anna@example.ru".into()),
            telegram_chat: None,
            phone: None,
        }])
        .await
        .unwrap();
    store.replace_sla_policies(&[policy()]).await.unwrap();
    store.upsert_threads(threads).await.unwrap();
    store
}

const AGENT: WatchScope = WatchScope {
    me: ME,
    lead: false,
};

async fn watch(store: &Store, scope: WatchScope) -> (SlaWatcher, Arc<Recorded>) {
    let recorded = Arc::new(Recorded::default());
    let watcher = SlaWatcher::start(store.clone(), scope, Arc::new(recorded.clone()))
        .await
        .unwrap();
    (watcher, recorded)
}

#[tokio::test]
async fn a_warning_and_a_breach_are_told_once_as_their_deadlines_pass_and_not_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let store = cache(&dir, &[warning_in(1, ME, 1500), breaching_in(2, ME, 3000)]).await;
    let (watcher, recorded) = watch(&store, AGENT).await;
    // Ticket 2 is already in warning; ticket 1 warns, then 2 breaches.
    let notices = recorded.wait_for(3).await;
    assert_eq!(
        shape(&notices),
        vec![
            vec![(2, SlaMetric::FirstResponse, AlertLevel::Warning)],
            vec![(1, SlaMetric::FirstResponse, AlertLevel::Warning)],
            vec![(2, SlaMetric::FirstResponse, AlertLevel::Breached)],
        ]
    );
    assert_eq!(sla(&notices[2]).0[0].subject, "VM 2 does not boot");
    assert!(notices.iter().all(|n| matches!(sla(n), (_, false, true))));
    drop(watcher);

    let (_watcher, recorded) = watch(&store, AGENT).await;
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert_eq!(shape(&recorded.take()), Vec::<Vec<_>>::new());
}

#[tokio::test]
async fn a_burst_of_breaches_found_at_start_is_one_summary() {
    let dir = tempfile::tempdir().unwrap();
    let threads: Vec<Thread> = (1..=5).map(|n| breaching_in(n, ME, -n * MINUTE)).collect();
    let store = cache(&dir, &threads).await;
    let (_watcher, recorded) = watch(&store, AGENT).await;
    let notices = recorded.wait_for(1).await;
    assert_eq!(notices.len(), 1, "{notices:?}");
    let mut tickets: Vec<i64> = sla(&notices[0]).0.iter().map(|a| a.ticket.0).collect();
    tickets.sort_unstable();
    assert_eq!(tickets, vec![1, 2, 3, 4, 5]);
}

#[tokio::test]
async fn a_ticket_written_into_the_cache_is_watched_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = cache(&dir, &[]).await;
    let (watcher, recorded) = watch(&store, AGENT).await;
    let mut updates = watcher.updates();
    store
        .upsert_threads(&[breaching_in(7, ME, -MINUTE)])
        .await
        .unwrap();
    let notices = recorded.wait_for(1).await;
    assert_eq!(
        shape(&notices),
        vec![vec![(7, SlaMetric::FirstResponse, AlertLevel::Breached)]]
    );
    let update = tokio::time::timeout(Duration::from_secs(5), updates.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(update.tickets, vec![TicketNumber(7)]);
    assert_eq!(
        watcher
            .report(TicketNumber(7))
            .await
            .unwrap()
            .first_response
            .state,
        SlaState::Breached
    );
}

#[tokio::test]
async fn a_ticket_written_again_while_its_alerts_gather_is_told_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = cache(&dir, &[]).await;
    let (_watcher, recorded) = watch(&store, AGENT).await;
    let breached = breaching_in(7, ME, -MINUTE);
    // Three writes within the gathering window, as a first sync does.
    for _ in 0..3 {
        store
            .upsert_threads(std::slice::from_ref(&breached))
            .await
            .unwrap();
    }
    let mut notices = recorded.wait_for(1).await;
    // Anything told twice would come within another gathering.
    tokio::time::sleep(GATHER * 2).await;
    notices.extend(recorded.take());
    assert_eq!(
        shape(&notices),
        vec![vec![(7, SlaMetric::FirstResponse, AlertLevel::Breached)]]
    );
}

#[tokio::test]
async fn quiet_while_the_ticket_is_open_and_levels_turned_off() {
    let dir = tempfile::tempdir().unwrap();
    let store = cache(&dir, &[]).await;
    let (watcher, recorded) = watch(&store, AGENT).await;
    watcher.set_open_ticket(Some(TicketNumber(1))).await;
    watcher
        .set_settings(AlertSettings {
            warning: false,
            ..AlertSettings::default()
        })
        .await
        .unwrap();
    store
        .upsert_threads(&[
            breaching_in(1, ME, -MINUTE),
            warning_in(2, ME, -MINUTE),
            breaching_in(3, ME, -MINUTE),
        ])
        .await
        .unwrap();
    let notices = recorded.wait_for(1).await;
    assert_eq!(
        shape(&notices),
        vec![vec![(3, SlaMetric::FirstResponse, AlertLevel::Breached)]]
    );
    assert!(!watcher.settings().await.unwrap().warning);
}

#[tokio::test]
async fn a_lead_hears_of_the_team_s_breaches_in_one_summary_but_not_their_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let store = cache(
        &dir,
        &[
            breaching_in(1, COLLEAGUE, -MINUTE),
            breaching_in(2, COLLEAGUE, -2 * MINUTE),
            warning_in(3, COLLEAGUE, -MINUTE),
            breaching_in(4, ME, -MINUTE),
        ],
    )
    .await;
    let lead = WatchScope { me: ME, lead: true };
    let (_watcher, recorded) = watch(&store, lead).await;
    let notices = recorded.wait_for(2).await;
    let (team, mine): (Vec<_>, Vec<_>) = notices.iter().map(sla).partition(|n| n.1);
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].0[0].ticket, TicketNumber(4));
    assert_eq!(team.len(), 1);
    let mut tickets: Vec<i64> = team[0].0.iter().map(|a| a.ticket.0).collect();
    tickets.sort_unstable();
    assert_eq!(tickets, vec![1, 2]);
}

#[tokio::test]
async fn the_board_sorts_the_team_s_tickets_into_breached_warning_and_forecast() {
    let dir = tempfile::tempdir().unwrap();
    let store = cache(
        &dir,
        &[
            breaching_in(1, COLLEAGUE, -5 * MINUTE),
            breaching_in(2, ME, -30 * MINUTE),
            warning_in(3, COLLEAGUE, -MINUTE),
            // Due in 40 minutes: forecast; due in 3 hours: not on the board.
            thread(4, ME, Channel::Portal, 20 * MINUTE),
            thread(5, ME, Channel::Portal, -120 * MINUTE),
        ],
    )
    .await;
    let (watcher, _recorded) = watch(&store, WatchScope { me: ME, lead: true }).await;
    let board = watcher.board().await.unwrap().unwrap();
    let tickets = |rows: &[BoardRow]| rows.iter().map(|r| r.ticket.0).collect::<Vec<_>>();
    assert_eq!(tickets(&board.breached), vec![2, 1], "most overdue first");
    assert_eq!(tickets(&board.warning), vec![3]);
    assert_eq!(tickets(&board.forecast), vec![4]);
    let agents: Vec<_> = board
        .by_agent
        .iter()
        .map(|a| (a.name.clone().unwrap(), a.counts))
        .collect();
    let counts = |breached, warning, forecast| BoardCounts {
        breached,
        warning,
        forecast,
    };
    assert_eq!(
        agents,
        vec![
            ("Sam Carter".to_owned(), counts(1, 1, 0)),
            ("Ирина Волкова".to_owned(), counts(1, 0, 1)),
        ]
    );
    let channels: Vec<_> = board
        .by_channel
        .iter()
        .map(|c| (c.channel, c.counts))
        .collect();
    assert_eq!(
        channels,
        vec![
            (Channel::Email, counts(2, 0, 0)),
            (Channel::Telegram, counts(0, 1, 0)),
            (Channel::Portal, counts(0, 0, 1)),
        ]
    );
}

/// The callback reminders among `notices`, as `(ticket, customer)`; there
/// must be nothing else.
fn reminders(notices: &[Notice]) -> Vec<(i64, &str)> {
    notices
        .iter()
        .map(|n| match n {
            Notice::Callback { callback, .. } => (callback.ticket.0, callback.customer.as_str()),
            Notice::Sla { .. } => panic!("not a callback reminder: {n:?}"),
        })
        .collect()
}

/// A call `agent` logged on `ticket` ten minutes ago, promising to call
/// back at `callback_at`.
fn call_log(ticket: i64, agent: AgentId, callback_at: Timestamp) -> Message {
    Message {
        id: MessageId(ticket * 100 + 1),
        ticket: TicketNumber(ticket),
        kind: MessageKind::CallLog {
            call: CallRecord {
                direction: CallDirection::Outbound,
                duration_secs: 120,
                outcome: CallOutcome::Answered,
                callback_at: Some(callback_at),
            },
        },
        channel: Channel::Phone,
        author: Author::Agent { id: agent },
        body: "Перезвоню после перезапуска узла".into(),
        created_at: Timestamp(crate::now().0 - 10 * MINUTE),
    }
}

/// A phone ticket opened twenty minutes ago with a call promising a
/// callback `in_ms` from now (past when negative).
fn promised(number: i64, agent: AgentId, in_ms: i64) -> Thread {
    let mut thread = thread(number, agent, Channel::Phone, 20 * MINUTE);
    let at = Timestamp(crate::now().0 + in_ms);
    thread.messages.push(call_log(number, agent, at));
    thread
}

const LEAD_MS: i64 = CALLBACK_LEAD_MINUTES * MINUTE;

#[tokio::test]
async fn a_promised_callback_is_reminded_ahead_of_its_time_once_also_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let store = cache(
        &dir,
        &[
            promised(1, ME, LEAD_MS + 1500),
            promised(2, ME, -2 * MINUTE),
            promised(3, COLLEAGUE, -2 * MINUTE),
            promised(4, ME, 2 * LEAD_MS),
        ],
    )
    .await;
    let (watcher, recorded) = watch(&store, AGENT).await;
    // The overdue one at once, the next as its lead time begins; the one
    // further ahead and the colleague's promise not.
    let notices = recorded.wait_for(2).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let notices: Vec<Notice> = notices.into_iter().chain(recorded.take()).collect();
    assert_eq!(
        reminders(&notices),
        [(2, "Анна Петрова"), (1, "Анна Петрова")]
    );
    let Notice::Callback { callback, sound } = &notices[1] else {
        unreachable!()
    };
    assert_eq!(callback.subject, "VM 1 does not boot");
    assert!(*sound);
    drop(watcher);

    let (_watcher, recorded) = watch(&store, AGENT).await;
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert_eq!(reminders(&recorded.take()), []);
}

#[tokio::test]
async fn a_call_logged_offline_is_reminded_and_its_server_copy_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let opened = thread(1, ME, Channel::Phone, 20 * MINUTE);
    let store = cache(&dir, std::slice::from_ref(&opened)).await;
    let (_watcher, recorded) = watch(&store, AGENT).await;
    let call = call_log(1, ME, Timestamp(crate::now().0 + MINUTE));
    let entry = shiftdesk_store::NewOutboxEntry {
        id: "call-1".into(),
        ticket: TicketNumber(1),
        mutation: r#"{"type":"call_log"}"#.into(),
        base_version: Some(1),
        seen_message: Some(MessageId(100)),
        created_at: call.created_at,
    };
    store
        .enqueue(
            &entry,
            &shiftdesk_store::LocalEffect::Message {
                message: call.clone(),
                files: vec![],
            },
        )
        .await
        .unwrap();
    assert_eq!(
        reminders(&recorded.wait_for(1).await),
        [(1, "Анна Петрова")]
    );

    // Back online: the server's copy arrives and the entry settles.
    let mut synced = opened;
    synced.messages.push(call);
    store.upsert_threads(&[synced]).await.unwrap();
    store
        .settle(&[shiftdesk_store::Settlement::Done {
            id: "call-1".into(),
        }])
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert_eq!(reminders(&recorded.take()), []);
}
