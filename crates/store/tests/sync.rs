//! Applying pulled pages: the cursor moves with the data, evictions spare
//! tickets with unsent work, and nothing of an evicted ticket is written.

#![allow(clippy::unwrap_used)] // a test that cannot go on should stop loudly

mod fixtures;

use fixtures::*;
use shiftdesk_domain::*;
use shiftdesk_store::*;

fn batch(cursor: i64, threads: &[Thread]) -> SyncBatch {
    SyncBatch {
        agents: agents(),
        customers: customers(),
        tickets: threads.iter().map(|t| t.ticket.clone()).collect(),
        messages: threads.iter().flat_map(|t| t.messages.clone()).collect(),
        attachments: threads.iter().flat_map(|t| t.attachments.clone()).collect(),
        cursor,
        ..SyncBatch::default()
    }
}

fn attachment(id: i64, message: MessageId) -> Attachment {
    Attachment {
        id: AttachmentId(id),
        message,
        name: "sshd.log".into(),
        size_bytes: 3,
        content_hash: ContentHash::try_from("a".repeat(64)).unwrap(),
        media_type: "text/plain".into(),
    }
}

#[tokio::test]
async fn a_page_and_its_cursor_are_kept_together() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite");
    let store = Store::open(&path).await.unwrap().store;
    assert_eq!(store.pull_cursor().await.unwrap(), 0);
    let mut first = thread(1, "ВМ не отвечает", "по SSH с 14:05");
    first.attachments.push(attachment(1, first.messages[0].id));
    let applied = store
        .apply_sync(&batch(40, &[first, thread(2, "Disk full", "df says 100%")]))
        .await
        .unwrap();
    assert!(applied.rows >= 5, "{applied:?}");
    assert_eq!(store.pull_cursor().await.unwrap(), 40);
    assert_eq!(store.ticket_count().await.unwrap(), 2);
    // The search index follows the page.
    let hits = store
        .search(&SearchQuery::parse("ssh").unwrap(), 10)
        .await
        .unwrap();
    assert_eq!(hits.len(), 1);
    store.close().await;
    assert_intact(&path).await;
}

#[tokio::test]
async fn an_eviction_spares_a_ticket_with_unsent_work() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite");
    let store = Store::open(&path).await.unwrap().store;
    let mut first = thread(1, "VM down", "since 14:05");
    first.attachments.push(attachment(1, first.messages[0].id));
    let second = thread(2, "Disk full", "df says 100%");
    let kept_message = second.messages[0].id;
    store
        .apply_sync(&batch(10, &[first.clone(), second]))
        .await
        .unwrap();
    // An unsent reply on ticket 2.
    let raw = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO outbox (id, ticket_number, mutation, created_at) \
         VALUES ('7d6b1c9e-2f1a-4c55-9a51-0c1d3b7e5a10', 2, '{}', 1)",
    )
    .execute(&raw)
    .await
    .unwrap();

    // Both leave the scope; an attachment of ticket 1's message arrives in
    // the same page (the server logged it before the hand-over).
    let applied = store
        .apply_sync(&SyncBatch {
            evictions: vec![TicketNumber(1), TicketNumber(2)],
            attachments: vec![
                attachment(2, first.messages[0].id),
                attachment(3, kept_message),
            ],
            cursor: 20,
            ..SyncBatch::default()
        })
        .await
        .unwrap();
    assert_eq!((applied.evicted, applied.kept_for_outbox), (1, 1));
    assert_eq!(store.ticket_count().await.unwrap(), 1);
    let attachments: Vec<i64> = sqlx::query_scalar("SELECT id FROM attachments ORDER BY id")
        .fetch_all(&raw)
        .await
        .unwrap();
    assert_eq!(
        attachments,
        vec![3],
        "nothing of the evicted ticket is left"
    );
    assert_eq!(store.pull_cursor().await.unwrap(), 20);
    raw.close().await;
    store.close().await;
    assert_intact(&path).await;
}
