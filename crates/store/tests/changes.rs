//! The cache's change feed over a real cache file: each committed write
//! names the tickets it touched, once it can be read; writes that touch no
//! ticket say nothing; a receiver that falls behind is told it lagged.

#![allow(clippy::unwrap_used)] // a test that cannot go on should stop loudly

mod fixtures;

use fixtures::*;
use shiftdesk_domain::*;
use shiftdesk_store::*;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};

async fn seeded(path: &std::path::Path) -> Store {
    let store = Store::open(path).await.unwrap().store;
    store.upsert_agents(&agents()).await.unwrap();
    store.upsert_customers(&customers()).await.unwrap();
    store.set_me(ME).await.unwrap();
    store
}

fn change(tickets: &[i64], sla_policies: bool) -> TicketChange {
    TicketChange {
        tickets: tickets.iter().copied().map(TicketNumber).collect(),
        sla_policies,
    }
}

fn entry(id: &str, ticket: i64) -> NewOutboxEntry {
    NewOutboxEntry {
        id: id.into(),
        ticket: TicketNumber(ticket),
        mutation: "{}".into(),
        base_version: Some(1),
        seen_message: None,
        created_at: Timestamp(5 * MINUTE),
    }
}

fn reply(ticket: i64) -> Message {
    Message {
        id: MessageId(0),
        ticket: TicketNumber(ticket),
        kind: MessageKind::PublicReply {
            delivery: DeliveryState::Queued,
        },
        channel: Channel::Email,
        author: Author::Agent { id: ME },
        body: "перезапустили узел".into(),
        created_at: Timestamp(6 * MINUTE),
    }
}

#[tokio::test]
async fn every_write_names_the_tickets_it_touched() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(&dir.path().join("cache.sqlite")).await;
    let mut feed = store.ticket_changes();

    store
        .upsert_threads(&[thread(2, "b", "x"), thread(1, "a", "x")])
        .await
        .unwrap();
    assert_eq!(feed.try_recv().unwrap(), change(&[1, 2], false));

    // A sync page: a new ticket's message, an eviction, the policies; a
    // ticket with unsent work is kept, and a ticket never cached is no
    // news.
    store
        .enqueue(
            &entry("note", 2),
            &LocalEffect::Message {
                message: reply(2),
                files: vec![],
            },
        )
        .await
        .unwrap();
    assert_eq!(feed.try_recv().unwrap(), change(&[2], false));
    let third = thread(3, "c", "x");
    let batch = SyncBatch {
        tickets: vec![third.ticket.clone()],
        messages: third.messages.clone(),
        sla_policies: any_policy(),
        evictions: vec![TicketNumber(1), TicketNumber(2), TicketNumber(9)],
        cursor: 10,
        ..SyncBatch::default()
    };
    store.apply_sync(&batch).await.unwrap();
    assert_eq!(feed.try_recv().unwrap(), change(&[1, 3], true));

    // The agent's own edits, and what the server made of them.
    store
        .enqueue(
            &entry("pending", 3),
            &LocalEffect::Status(TicketStatus::Pending),
        )
        .await
        .unwrap();
    assert_eq!(feed.try_recv().unwrap(), change(&[3], false));
    store
        .enqueue(&entry("retry", 3), &LocalEffect::FromServer)
        .await
        .unwrap();
    store
        .settle(&[
            Settlement::Retry { id: "retry".into() },
            Settlement::Done { id: "note".into() },
            Settlement::Failed {
                id: "pending".into(),
                review: "{}".into(),
            },
        ])
        .await
        .unwrap();
    assert_eq!(feed.try_recv().unwrap(), change(&[2, 3], false));

    store.replace_sla_policies(&[]).await.unwrap();
    assert_eq!(feed.try_recv().unwrap(), change(&[], true));

    // Writes that touch no ticket say nothing.
    store.upsert_agents(&agents()).await.unwrap();
    store.set_me(COLLEAGUE).await.unwrap();
    store
        .apply_sync(&SyncBatch {
            // Kept: its delivery retry is still unsent.
            evictions: vec![TicketNumber(3)],
            cursor: 11,
            ..SyncBatch::default()
        })
        .await
        .unwrap();
    store
        .settle(&[Settlement::Retry { id: "retry".into() }])
        .await
        .unwrap();
    assert_eq!(feed.try_recv(), Err(TryRecvError::Empty));
}

/// Any one policy: the feed only asks whether policies were written.
fn any_policy() -> Vec<SlaPolicy> {
    vec![SlaPolicy {
        id: 1,
        plan: Plan::Standard,
        priority: Priority::Normal,
        targets: SlaTargets {
            first_response_min: 240,
            next_response_min: 480,
            resolution_min: 4320,
        },
        warning: WarningThreshold::ShareLeft { percent: 20 },
        calendar: SlaCalendar::AlwaysOn,
    }]
}

#[tokio::test]
async fn a_change_arrives_once_it_can_be_read() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(&dir.path().join("cache.sqlite")).await;
    let mut feed = store.ticket_changes();
    let watcher = {
        let store = store.clone();
        tokio::spawn(async move {
            let change = feed.recv().await.unwrap();
            store.sla_tickets(Some(&change.tickets)).await.unwrap()
        })
    };
    store
        .upsert_threads(&[thread(7, "VM down", "since 14:05")])
        .await
        .unwrap();
    let seen = watcher.await.unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].number, TicketNumber(7));
}

#[tokio::test]
async fn a_receiver_that_falls_behind_is_told_it_lagged() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(&dir.path().join("cache.sqlite")).await;
    let mut slow = store.ticket_changes();
    for n in 1..=70 {
        store.upsert_threads(&[thread(n, "t", "x")]).await.unwrap();
    }
    // 64 are kept: the 6 oldest were missed, and the receiver must read
    // every ticket again; then it goes on with the ones kept.
    assert_eq!(slow.recv().await, Err(RecvError::Lagged(6)));
    assert_eq!(slow.recv().await.unwrap(), change(&[7], false));
}
