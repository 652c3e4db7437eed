//! The queue's views, filters and unread markers against real SQLite files.

#![allow(clippy::unwrap_used)] // a test that cannot go on should stop loudly

mod fixtures;

use fixtures::*;
use shiftdesk_domain::*;
use shiftdesk_store::*;

const NOW: Timestamp = Timestamp(1_000_000 * MINUTE);

async fn seeded(dir: &std::path::Path) -> Store {
    let store = Store::open(&dir.join("cache.sqlite")).await.unwrap().store;
    store.upsert_agents(&agents()).await.unwrap();
    store.upsert_customers(&customers()).await.unwrap();
    store.set_me(ME).await.unwrap();
    store
}

/// The numbers of every ticket in `view` under `filter`, page by page.
async fn numbers(store: &Store, view: QueueView, filter: Option<QueueFilter>) -> Vec<i64> {
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let request = QueueRequest {
            view,
            after,
            limit: 2,
            filter: filter.clone(),
        };
        let page = store.queue_page(&request, NOW).await.unwrap();
        seen.extend(page.rows.iter().map(|r| r.number.0));
        match page.next {
            Some(next) => after = Some(next),
            None => return seen,
        }
    }
}

fn due_in(minutes: i64) -> Option<Timestamp> {
    Some(Timestamp(NOW.0 + minutes * MINUTE))
}

fn reply(ticket: i64, id: i64, at: Timestamp) -> Message {
    Message {
        id: MessageId(id),
        ticket: TicketNumber(ticket),
        kind: MessageKind::PublicReply {
            delivery: DeliveryState::Sent,
        },
        channel: Channel::Email,
        author: Author::Agent { id: ME },
        body: "ответ".into(),
        created_at: at,
    }
}

fn inbound(ticket: i64, id: i64, at: Timestamp) -> Message {
    Message {
        id: MessageId(id),
        ticket: TicketNumber(ticket),
        kind: MessageKind::Inbound,
        channel: Channel::Email,
        author: Author::Customer { id: CustomerId(1) },
        body: "ещё вопрос".into(),
        created_at: at,
    }
}

#[tokio::test]
async fn breaching_soon_holds_my_running_clocks_due_within_the_hour_or_overdue() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(dir.path()).await;
    let with = |number, due: Option<Timestamp>, change: fn(&mut Ticket)| {
        let mut t = thread(number, "t", "x");
        t.ticket.sla_due_at = due;
        change(&mut t.ticket);
        t
    };
    store
        .upsert_threads(&[
            with(1, due_in(-300), |_| {}),
            with(2, due_in(45), |_| {}),
            with(3, due_in(60), |_| {}),
            with(4, due_in(61), |_| {}),
            // A paused clock has no due time, however late it is.
            with(5, None, |t| t.status = TicketStatus::Pending),
            with(6, due_in(5), |t| t.assignee = Some(COLLEAGUE)),
            with(7, due_in(-1), |t| t.status = TicketStatus::Reopened),
        ])
        .await
        .unwrap();

    assert_eq!(
        numbers(&store, QueueView::BreachingSoon, None).await,
        vec![1, 7, 2, 3],
        "most urgent first"
    );
    let counts = store.view_counts(None, NOW).await.unwrap();
    assert_eq!(
        counts,
        ViewCounts {
            mine_open: 5,
            breaching_soon: 4,
            waiting_on_customer: 1,
            team: 7,
        }
    );
    // An hour later, ticket 4 is due too.
    let later = store
        .view_counts(None, Timestamp(NOW.0 + 60 * MINUTE))
        .await
        .unwrap();
    assert_eq!(later.breaching_soon, 5);
}

#[tokio::test]
async fn filters_are_and_across_kinds_and_or_within_one() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(dir.path()).await;
    let with = |number, change: fn(&mut Ticket)| {
        let mut t = thread(number, "t", "x");
        change(&mut t.ticket);
        t
    };
    store
        .upsert_threads(&[
            with(1, |t| t.channel = Channel::Telegram),
            with(2, |t| {
                t.channel = Channel::Telegram;
                t.priority = Priority::Urgent;
            }),
            with(3, |t| {
                t.channel = Channel::Phone;
                t.priority = Priority::Urgent;
                t.plan = Plan::Professional;
            }),
            with(4, |t| t.category = Category::Billing),
            with(5, |t| {
                t.status = TicketStatus::Pending;
                t.channel = Channel::Telegram;
            }),
        ])
        .await
        .unwrap();

    let filter = |f: fn(&mut QueueFilter)| {
        let mut filter = QueueFilter::default();
        f(&mut filter);
        Some(filter)
    };
    let mine = |f| numbers(&store, QueueView::MineOpen, f);

    assert_eq!(
        mine(filter(|_| {})).await,
        vec![1, 2, 3, 4],
        "empty: no filter"
    );
    assert_eq!(
        mine(filter(
            |f| f.channels = vec![Channel::Telegram, Channel::Phone]
        ))
        .await,
        vec![1, 2, 3]
    );
    assert_eq!(
        mine(filter(|f| {
            f.channels = vec![Channel::Telegram, Channel::Phone];
            f.priorities = vec![Priority::Urgent];
        }))
        .await,
        vec![2, 3]
    );
    assert_eq!(
        mine(filter(|f| {
            f.priorities = vec![Priority::Urgent];
            f.plans = vec![Plan::Professional];
        }))
        .await,
        vec![3]
    );
    assert_eq!(
        mine(filter(|f| f.categories = vec![Category::Billing])).await,
        vec![4]
    );
    assert_eq!(
        mine(filter(|f| f.statuses = vec![TicketStatus::Pending])).await,
        Vec::<i64>::new(),
        "the view's own condition still holds"
    );
    assert_eq!(
        numbers(
            &store,
            QueueView::Team,
            filter(|f| f.statuses = vec![TicketStatus::Pending, TicketStatus::Open])
        )
        .await,
        vec![1, 2, 3, 4, 5]
    );

    let telegram = filter(|f| f.channels = vec![Channel::Telegram]).unwrap();
    let counts = store.view_counts(Some(&telegram), NOW).await.unwrap();
    assert_eq!(
        (counts.mine_open, counts.waiting_on_customer, counts.team),
        (2, 1, 3),
        "counts follow the filter"
    );
}

#[tokio::test]
async fn a_ticket_is_unread_until_its_newest_customer_message_was_shown() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(dir.path()).await;
    let first = thread(1, "Диск переполнен", "помогите");
    let first_message = first.messages[0].id;
    let at = first.messages[0].created_at;
    store.upsert_threads(&[first]).await.unwrap();
    let unread = |store: Store| async move {
        store
            .queue_row(TicketNumber(1))
            .await
            .unwrap()
            .unwrap()
            .unread
    };
    assert!(unread(store.clone()).await, "never opened");

    store
        .mark_read(TicketNumber(1), first_message)
        .await
        .unwrap();
    assert!(!unread(store.clone()).await);

    // The agent's own reply is no news to them.
    let mut answered = thread(1, "Диск переполнен", "помогите");
    answered.messages = vec![reply(1, 101, Timestamp(at.0 + MINUTE))];
    store.upsert_threads(&[answered]).await.unwrap();
    assert!(!unread(store.clone()).await);

    let mut wrote_back = thread(1, "Диск переполнен", "помогите");
    wrote_back.messages = vec![inbound(1, 102, Timestamp(at.0 + 2 * MINUTE))];
    store.upsert_threads(&[wrote_back]).await.unwrap();
    assert!(unread(store.clone()).await, "the customer wrote back");
    let page = store
        .queue_page(
            &QueueRequest {
                view: QueueView::MineOpen,
                after: None,
                limit: 10,
                filter: None,
            },
            NOW,
        )
        .await
        .unwrap();
    assert!(page.rows[0].unread, "the queue page says so too");

    // A pane that still shows an older message does not undo a newer read.
    store
        .mark_read(TicketNumber(1), MessageId(102))
        .await
        .unwrap();
    store
        .mark_read(TicketNumber(1), MessageId(101))
        .await
        .unwrap();
    assert!(!unread(store.clone()).await);
}

#[tokio::test]
async fn marking_a_message_the_ticket_does_not_have_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(dir.path()).await;
    store
        .upsert_threads(&[thread(1, "a", "x"), thread(2, "b", "y")])
        .await
        .unwrap();
    for (ticket, message) in [(1, 200), (1, 999), (3, 100)] {
        let err = store
            .mark_read(TicketNumber(ticket), MessageId(message))
            .await
            .unwrap_err();
        assert_eq!(err.code(), "ticket.unknown_message", "{ticket}/{message}");
    }
    assert!(
        store
            .queue_row(TicketNumber(1))
            .await
            .unwrap()
            .unwrap()
            .unread,
        "nothing was recorded"
    );
}
