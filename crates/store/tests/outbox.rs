//! The outbox in a real cache file: entries and their local effects kept
//! together, across a reopen, and settled without leaving placeholders.

#![allow(clippy::unwrap_used)] // a test that cannot go on should stop loudly

mod fixtures;

use fixtures::*;
use shiftdesk_domain::*;
use shiftdesk_store::*;

fn entry(id: &str, ticket: i64) -> NewOutboxEntry {
    NewOutboxEntry {
        id: id.into(),
        ticket: TicketNumber(ticket),
        mutation: r#"{"type":"note","body":"x"}"#.into(),
        base_version: Some(1),
        seen_message: Some(MessageId(ticket * 100)),
        created_at: Timestamp(5 * MINUTE),
    }
}

#[tokio::test]
async fn entries_keep_their_effects_and_settle_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite");
    let store = Store::open(&path).await.unwrap().store;
    store.upsert_agents(&agents()).await.unwrap();
    store.upsert_customers(&customers()).await.unwrap();
    store.set_me(ME).await.unwrap();
    store
        .upsert_threads(&[
            thread(1, "VM down", "since 14:05"),
            thread(2, "Диск", "полон"),
        ])
        .await
        .unwrap();

    let reply = Message {
        id: MessageId(0),
        ticket: TicketNumber(1),
        kind: MessageKind::PublicReply {
            delivery: DeliveryState::Queued,
        },
        channel: Channel::Email,
        author: Author::Agent { id: ME },
        body: "перезапустили узел".into(),
        created_at: Timestamp(6 * MINUTE),
    };
    let first = store
        .enqueue(
            &entry("a", 1),
            &LocalEffect::Message {
                message: reply,
                files: ["журнал.txt", "screen.png"].map(queued_file).to_vec(),
            },
        )
        .await
        .unwrap();
    store
        .enqueue(&entry("b", 2), &LocalEffect::Status(TicketStatus::Pending))
        .await
        .unwrap();
    store.close().await;

    // Reopened: the entries and what they show are still there.
    let store = Store::open(&path).await.unwrap().store;
    let outbox = store.outbox().await.unwrap();
    assert_eq!(
        outbox.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
        ["a", "b"]
    );
    assert!(outbox.iter().all(|e| e.state == OutboxState::Queued));
    let head = store.ticket_head(TicketNumber(1)).await.unwrap().unwrap();
    assert_eq!(
        head.newest_message,
        Some(MessageId(100)),
        "placeholders are not news"
    );
    let shown = store.conversation(TicketNumber(1)).await.unwrap();
    let queued = shown.last().unwrap();
    assert_eq!(queued.id, placeholder_id(first));
    assert_eq!(
        queued
            .attachments
            .iter()
            .map(|f| f.name.as_str())
            .collect::<Vec<_>>(),
        ["журнал.txt", "screen.png"],
        "a queued reply shows its files, in the order attached"
    );
    assert!(queued
        .attachments
        .iter()
        .all(|f| f.message == queued.id && f.id.0 < 0));
    let hits = store
        .search(&SearchQuery::parse("перезапустили").unwrap(), 5)
        .await
        .unwrap();
    assert_eq!(hits.len(), 1, "the queued reply is searchable");
    assert_eq!(
        store
            .view_counts(None, Timestamp(0))
            .await
            .unwrap()
            .waiting_on_customer,
        1
    );
    assert!(!store
        .written_since(TicketNumber(1), Some(MessageId(100)), ME)
        .await
        .unwrap());

    store
        .settle(&[
            Settlement::Done { id: "a".into() },
            Settlement::Failed {
                id: "b".into(),
                review: r#"{"reason":"refused"}"#.into(),
            },
        ])
        .await
        .unwrap();
    let outbox = store.outbox().await.unwrap();
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].state, OutboxState::Failed);
    assert_eq!(outbox[0].attempts, 1);
    let raw = assert_intact(&path).await;
    let placeholders: i64 = sqlx::query_scalar("SELECT count(*) FROM messages WHERE id = ?")
        .bind(placeholder_id(first).0)
        .fetch_one(&raw)
        .await
        .unwrap();
    assert_eq!(placeholders, 0);
    let files: i64 = sqlx::query_scalar("SELECT count(*) FROM attachments WHERE id < 0")
        .fetch_one(&raw)
        .await
        .unwrap();
    assert_eq!(files, 0, "the placeholder's files go with it");
}

fn queued_file(name: &str) -> Attachment {
    Attachment {
        id: AttachmentId(0),
        message: MessageId(0),
        name: name.into(),
        size_bytes: 42,
        content_hash: AttachmentFiles::hash(name.as_bytes()),
        media_type: "text/plain".into(),
    }
}
