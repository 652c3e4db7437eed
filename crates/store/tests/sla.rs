//! What the SLA watcher reads from a real cache file: each ticket's facts
//! exactly as the domain builds them from the full ticket and messages,
//! the synced policies, the status log kept through migration and offline
//! edits, and 10,000 tickets read fast.

#![allow(clippy::unwrap_used)] // a test that cannot go on should stop loudly

mod fixtures;

use std::time::Instant;

use fixtures::*;
use shiftdesk_domain::*;
use shiftdesk_store::*;

async fn seeded(path: &std::path::Path) -> Store {
    let store = Store::open(path).await.unwrap().store;
    store.upsert_agents(&agents()).await.unwrap();
    store.upsert_customers(&customers()).await.unwrap();
    store.set_me(ME).await.unwrap();
    store
}

fn call(direction: CallDirection, outcome: CallOutcome) -> MessageKind {
    MessageKind::CallLog {
        call: CallRecord {
            direction,
            duration_secs: 42,
            outcome,
            callback_at: Some(Timestamp(90 * MINUTE)),
        },
    }
}

/// A ticket whose messages are of every kind that does, and does not,
/// move a clock, with status moves among them.
fn busy_thread(number: i64) -> Thread {
    let mut t = thread(number, "VM down", "since 14:05");
    let at = |minute: i64| Timestamp(number * MINUTE + minute * MINUTE);
    let kinds = [
        MessageKind::InternalNote,
        MessageKind::PublicReply {
            delivery: DeliveryState::Delivered,
        },
        MessageKind::SystemEvent,
        call(CallDirection::Inbound, CallOutcome::NoAnswer),
        call(CallDirection::Outbound, CallOutcome::Answered),
        MessageKind::Inbound,
        MessageKind::PublicReply {
            delivery: DeliveryState::Failed {
                reason: "chat not found".into(),
            },
        },
        call(CallDirection::Outbound, CallOutcome::Voicemail),
        MessageKind::PublicReply {
            delivery: DeliveryState::Queued,
        },
    ];
    for (i, kind) in (1..).zip(kinds) {
        t.messages.push(Message {
            id: MessageId(number * 100 + i),
            created_at: at(i * 10),
            kind,
            ..t.messages[0].clone()
        });
    }
    t.ticket.status = TicketStatus::Pending;
    t.ticket.status_log = vec![
        StatusChange {
            at: at(15),
            status: TicketStatus::Open,
        },
        StatusChange {
            at: at(60),
            status: TicketStatus::Pending,
        },
    ];
    t
}

/// What the watcher must see of `thread`: the domain's own facts.
fn expected(thread: &Thread) -> SlaTicket {
    let t = &thread.ticket;
    SlaTicket {
        number: t.number,
        subject: t.subject.clone(),
        status: t.status,
        assignee: t.assignee,
        channel: t.channel,
        plan: t.plan,
        priority: t.priority,
        facts: SlaFacts::of(t, &thread.messages),
    }
}

#[tokio::test]
async fn each_ticket_comes_with_the_facts_the_domain_builds_from_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(&dir.path().join("cache.sqlite")).await;
    let plain = thread(1, "Диск", "полон");
    let busy = busy_thread(2);
    let mut beta = busy_thread(3);
    beta.ticket.service.stage = ServiceStage::Beta;
    beta.ticket.assignee = None;
    beta.ticket.priority = Priority::Urgent;
    beta.ticket.plan = Plan::Professional;
    beta.ticket.channel = Channel::Phone;
    let threads = [plain, busy, beta];
    store.upsert_threads(&threads).await.unwrap();

    let all = store.sla_tickets(None).await.unwrap();
    assert_eq!(all, threads.iter().map(expected).collect::<Vec<_>>());
    assert_eq!(
        all[1].facts.events.len(),
        10,
        "the note and the system event move no clock"
    );

    let some = store
        .sla_tickets(Some(&[TicketNumber(3), TicketNumber(99), TicketNumber(1)]))
        .await
        .unwrap();
    assert_eq!(some, [expected(&threads[0]), expected(&threads[2])]);
    assert_eq!(store.sla_tickets(Some(&[])).await.unwrap(), []);
}

#[tokio::test]
async fn policies_come_back_as_synced() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(&dir.path().join("cache.sqlite")).await;
    let targets = SlaTargets {
        first_response_min: 30,
        next_response_min: 60,
        resolution_min: 480,
    };
    let policies = vec![
        SlaPolicy {
            id: 1,
            plan: Plan::Professional,
            priority: Priority::Urgent,
            targets,
            warning: WarningThreshold::MinutesLeft { minutes: 10 },
            calendar: SlaCalendar::AlwaysOn,
        },
        SlaPolicy {
            id: 2,
            plan: Plan::Standard,
            priority: Priority::Low,
            targets,
            warning: WarningThreshold::ShareLeft { percent: 20 },
            calendar: serde_json::from_str(
                r#"{"type": "business_hours", "time_zone": "Europe/Moscow",
                    "hours": [{"weekday": "monday", "start_minute": 540, "end_minute": 1080}],
                    "holidays": ["2026-01-01"]}"#,
            )
            .unwrap(),
        },
    ];
    store.replace_sla_policies(&policies).await.unwrap();
    assert_eq!(store.sla_policies().await.unwrap(), policies);
}

#[tokio::test]
async fn an_offline_status_move_counts_from_when_it_was_made_until_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(&dir.path().join("cache.sqlite")).await;
    store
        .upsert_threads(&[thread(1, "VM down", "since 14:05")])
        .await
        .unwrap();
    let log = |store: Store| async move {
        store.sla_tickets(None).await.unwrap()[0]
            .facts
            .events
            .iter()
            .filter_map(|e| match e.kind {
                SlaEventKind::StatusChanged(status) => Some((e.at, status)),
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    let entry = NewOutboxEntry {
        id: "pending".into(),
        ticket: TicketNumber(1),
        mutation: r#"{"type":"set_status","status":"pending"}"#.into(),
        base_version: Some(1),
        seen_message: Some(MessageId(100)),
        created_at: Timestamp(5 * MINUTE),
    };
    store
        .enqueue(&entry, &LocalEffect::Status(TicketStatus::Pending))
        .await
        .unwrap();
    assert_eq!(
        log(store.clone()).await,
        [(Timestamp(5 * MINUTE), TicketStatus::Pending)]
    );

    store
        .settle(&[Settlement::Failed {
            id: "pending".into(),
            review: r#"{"reason":"refused"}"#.into(),
        }])
        .await
        .unwrap();
    assert_eq!(log(store.clone()).await, []);
    assert_eq!(
        store.sla_tickets(None).await.unwrap()[0].status,
        TicketStatus::Open
    );
}

#[tokio::test]
async fn a_cache_from_before_the_log_gets_the_move_its_status_implies() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite");
    let store = seeded(&path).await;
    let mut new = thread(1, "new", "x");
    new.ticket.status = TicketStatus::New;
    let mut pending = thread(2, "pending", "x");
    pending.ticket.status = TicketStatus::Pending;
    pending.ticket.updated_at = Timestamp(7 * MINUTE);
    store.upsert_threads(&[new, pending]).await.unwrap();
    store.close().await;
    {
        // The cache as the schema before the log left it.
        let pool = assert_intact(&path).await;
        for statement in [
            "ALTER TABLE tickets DROP COLUMN status_log",
            "DROP INDEX messages_sla",
            "CREATE INDEX messages_ticket ON messages (ticket_number, created_at, id)",
            "DELETE FROM _sqlx_migrations WHERE version = 5",
        ] {
            sqlx::query(statement).execute(&pool).await.unwrap();
        }
        pool.close().await;
    }

    let opened = Store::open(&path).await.unwrap();
    assert_eq!(opened.moved_aside, None);
    let tickets = opened.store.sla_tickets(None).await.unwrap();
    assert_eq!(tickets[0].facts.events.len(), 1, "only the customer wrote");
    assert_eq!(
        tickets[1].facts.events[1],
        SlaEvent {
            at: Timestamp(7 * MINUTE),
            kind: SlaEventKind::StatusChanged(TicketStatus::Pending),
        }
    );
}

#[tokio::test]
async fn ten_thousand_tickets_load_well_under_a_second() {
    const TICKETS: i64 = 10_000;
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(&dir.path().join("cache.sqlite")).await;
    let mut threads: Vec<Thread> = (1..=TICKETS).map(busy_thread).collect();
    // One mail a ticket with a picture inline: a body long enough to spill
    // into overflow pages, which the read must not step through.
    let inline = format!(
        "Screenshot: data:image/png;base64,{}",
        "iVBORw0KGgo".repeat(450)
    );
    for t in &mut threads {
        t.messages[6].body.clone_from(&inline);
    }
    for chunk in threads.chunks(500) {
        store.upsert_threads(chunk).await.unwrap();
    }

    let started = Instant::now();
    let tickets = store.sla_tickets(None).await.unwrap();
    let elapsed = started.elapsed();
    eprintln!(
        "sla_tickets: {TICKETS} tickets, {} messages, in {elapsed:?}",
        threads.iter().map(|t| t.messages.len()).sum::<usize>()
    );
    assert_eq!(tickets.len(), threads.len());
    assert_eq!(tickets[4_321], expected(&threads[4_321]));
    // About 0.2 s in a release build on two busy cores.
    assert!(
        cfg!(debug_assertions) || elapsed.as_millis() < 1000,
        "{elapsed:?}"
    );
}
