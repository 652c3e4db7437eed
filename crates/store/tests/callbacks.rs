//! Promised callbacks in a real cache file: which are owed and due, which a
//! later call or a solved ticket settles, and a reminder recorded once per
//! ticket and time, also across a queued call log's placeholder and the
//! server's copy that replaces it.

#![allow(clippy::unwrap_used)] // a test that cannot go on should stop loudly

mod fixtures;

use fixtures::*;
use shiftdesk_domain::*;
use shiftdesk_store::*;

/// A call log on `ticket` at `minute`, by `agent`, promising a callback at
/// `callback_minute`.
fn call(
    id: i64,
    ticket: i64,
    agent: AgentId,
    minute: i64,
    call: (CallDirection, CallOutcome),
    callback_minute: Option<i64>,
) -> Message {
    Message {
        id: MessageId(id),
        ticket: TicketNumber(ticket),
        kind: MessageKind::CallLog {
            call: CallRecord {
                direction: call.0,
                duration_secs: 60,
                outcome: call.1,
                callback_at: callback_minute.map(|m| Timestamp(m * MINUTE)),
            },
        },
        channel: Channel::Phone,
        author: Author::Agent { id: agent },
        body: "обсудили перезапуск".into(),
        created_at: Timestamp(minute * MINUTE),
    }
}

const ANSWERED_OUT: (CallDirection, CallOutcome) = (CallDirection::Outbound, CallOutcome::Answered);
const MISSED_IN: (CallDirection, CallOutcome) = (CallDirection::Inbound, CallOutcome::NoAnswer);

async fn cache(path: &std::path::Path, threads: &[Thread]) -> Store {
    let store = Store::open(path).await.unwrap().store;
    store.upsert_agents(&agents()).await.unwrap();
    store.upsert_customers(&customers()).await.unwrap();
    store.set_me(ME).await.unwrap();
    store.upsert_threads(threads).await.unwrap();
    store
}

fn with_calls(mut thread: Thread, calls: Vec<Message>) -> Thread {
    thread.messages.extend(calls);
    thread
}

fn due_of(callbacks: &CallbacksDue) -> Vec<(i64, i64)> {
    callbacks
        .due
        .iter()
        .map(|c| (c.ticket.0, c.at.0 / MINUTE))
        .collect()
}

#[tokio::test]
async fn only_the_agent_s_owed_callbacks_come_due_earliest_first() {
    let dir = tempfile::tempdir().unwrap();
    let mut solved = thread(4, "Счёт за май", "двойное списание");
    solved.ticket.status = TicketStatus::Solved;
    let mut waiting = thread(6, "Backups", "restore failed");
    waiting.ticket.status = TicketStatus::Pending;
    waiting.ticket.customer = CustomerId(2);
    let store = cache(
        &dir.path().join("cache.sqlite"),
        &[
            with_calls(
                thread(1, "VM down", "since 14:05"),
                vec![call(11, 1, ME, 10, ANSWERED_OUT, Some(50))],
            ),
            // A missed call from the customer since does not settle it.
            with_calls(
                thread(2, "Диск", "полон"),
                vec![
                    call(21, 2, ME, 10, ANSWERED_OUT, Some(40)),
                    call(22, 2, ME, 20, MISSED_IN, None),
                ],
            ),
            // The agent called back: settled.
            with_calls(
                thread(3, "DNS", "не резолвится"),
                vec![
                    call(31, 3, ME, 10, ANSWERED_OUT, Some(40)),
                    call(32, 3, ME, 30, ANSWERED_OUT, None),
                ],
            ),
            with_calls(solved, vec![call(41, 4, ME, 10, ANSWERED_OUT, Some(40))]),
            // A colleague's promise is theirs.
            with_calls(
                thread(5, "Квота", "нужно больше"),
                vec![call(51, 5, COLLEAGUE, 10, ANSWERED_OUT, Some(40))],
            ),
            // Waiting on the customer: still owed.
            with_calls(waiting, vec![call(61, 6, ME, 10, ANSWERED_OUT, Some(45))]),
        ],
    )
    .await;

    let callbacks = store
        .callbacks_due(ME, Timestamp(45 * MINUTE))
        .await
        .unwrap();
    assert_eq!(due_of(&callbacks), [(2, 40), (6, 45)]);
    assert_eq!(callbacks.next_at, Some(Timestamp(50 * MINUTE)));
    let backups = &callbacks.due[1];
    assert_eq!(
        (
            backups.subject.as_str(),
            backups.customer.as_str(),
            backups.phone.as_deref()
        ),
        ("Backups", "John Miller", Some("+1 555 0100"))
    );

    let owed: Vec<(i64, bool)> = store
        .conversation(TicketNumber(3))
        .await
        .unwrap()
        .iter()
        .map(|m| (m.id.0, m.callback_owed))
        .collect();
    assert_eq!(owed, [(300, false), (31, false), (32, false)]);
    let owed: Vec<bool> = store
        .conversation(TicketNumber(2))
        .await
        .unwrap()
        .iter()
        .map(|m| m.callback_owed)
        .collect();
    assert_eq!(owed, [false, true, false]);
}

#[tokio::test]
async fn a_reminder_is_recorded_once_also_after_a_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite");
    let store = cache(
        &path,
        &[with_calls(
            thread(1, "VM down", "since 14:05"),
            vec![
                call(11, 1, ME, 10, ANSWERED_OUT, Some(40)),
                call(12, 1, ME, 11, ANSWERED_OUT, Some(40)),
            ],
        )],
    )
    .await;
    let now = Timestamp(41 * MINUTE);
    let callbacks = store.callbacks_due(ME, now).await.unwrap();
    assert_eq!(
        due_of(&callbacks),
        [(1, 40)],
        "one promise, however often logged"
    );
    let key = (TicketNumber(1), Timestamp(40 * MINUTE));
    let gone = (TicketNumber(99), Timestamp(40 * MINUTE));
    assert_eq!(
        store.record_reminders(&[gone, key], now).await.unwrap(),
        [key]
    );
    assert_eq!(store.record_reminders(&[key], now).await.unwrap(), []);
    store.close().await;

    let store = Store::open(&path).await.unwrap().store;
    assert_eq!(
        store.callbacks_due(ME, now).await.unwrap(),
        CallbacksDue::default()
    );
    assert_eq!(store.record_reminders(&[key], now).await.unwrap(), []);
}

#[tokio::test]
async fn a_queued_call_log_reminds_once_and_its_server_copy_not_again() {
    let dir = tempfile::tempdir().unwrap();
    let store = cache(
        &dir.path().join("cache.sqlite"),
        &[thread(1, "VM down", "since 14:05")],
    )
    .await;
    let logged = call(0, 1, ME, 10, ANSWERED_OUT, Some(40));
    let entry = NewOutboxEntry {
        id: "call-1".into(),
        ticket: TicketNumber(1),
        mutation: r#"{"type":"call_log"}"#.into(),
        base_version: Some(1),
        seen_message: Some(MessageId(100)),
        created_at: logged.created_at,
    };
    store
        .enqueue(
            &entry,
            &LocalEffect::Message {
                message: logged.clone(),
                files: vec![],
            },
        )
        .await
        .unwrap();
    let now = Timestamp(36 * MINUTE);
    let callbacks = store.callbacks_due(ME, now).await.unwrap();
    assert_eq!(callbacks.due, [], "not due yet");
    assert_eq!(callbacks.next_at, Some(Timestamp(40 * MINUTE)));
    let callbacks = store
        .callbacks_due(ME, Timestamp(40 * MINUTE))
        .await
        .unwrap();
    assert_eq!(
        due_of(&callbacks),
        [(1, 40)],
        "offline, from the placeholder"
    );
    let key = (TicketNumber(1), Timestamp(40 * MINUTE));
    assert_eq!(store.record_reminders(&[key], now).await.unwrap(), [key]);

    // The server's copy arrives, a little later by its clock, before the
    // entry settles; then the placeholder goes.
    let mut copy = logged;
    copy.id = MessageId(101);
    copy.created_at = Timestamp(10 * MINUTE + 900);
    let mut synced = thread(1, "VM down", "since 14:05");
    synced.messages.push(copy);
    store.upsert_threads(&[synced]).await.unwrap();
    let later = Timestamp(60 * MINUTE);
    assert_eq!(
        store.callbacks_due(ME, later).await.unwrap(),
        CallbacksDue::default()
    );
    let owed: Vec<(i64, bool)> = store
        .conversation(TicketNumber(1))
        .await
        .unwrap()
        .iter()
        .map(|m| (m.id.0, m.callback_owed))
        .collect();
    assert_eq!(
        owed,
        [(100, false), (-1, true), (101, true)],
        "a copy does not settle its twin"
    );
    store
        .settle(&[Settlement::Done {
            id: "call-1".into(),
        }])
        .await
        .unwrap();
    assert_eq!(
        store.callbacks_due(ME, later).await.unwrap(),
        CallbacksDue::default()
    );
}
