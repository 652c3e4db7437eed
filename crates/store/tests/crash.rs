//! `kill -9` of a process in the middle of writing to the cache: the file
//! must open cleanly afterwards, pass `PRAGMA integrity_check`, and hold
//! only whole transactions, with the search index in step.

#![allow(clippy::unwrap_used)] // a test that cannot go on should stop loudly

mod fixtures;

use std::process::{Command, Stdio};
use std::time::Duration;

use fixtures::*;
use shiftdesk_domain::Timestamp;
use shiftdesk_store::{QueueRequest, QueueView, Store};

const DB_ENV: &str = "SHIFTDESK_CRASH_TEST_DB";
const BATCH: i64 = 25;

/// Not a test on its own: the writer process that `killed_writer_...`
/// starts and kills. Without the variable it has nothing to do.
#[tokio::test]
#[ignore = "child process of killed_writer_leaves_whole_transactions"]
async fn crash_test_writer_process() {
    let Some(path) = std::env::var_os(DB_ENV) else {
        return;
    };
    let store = Store::open(std::path::Path::new(&path))
        .await
        .unwrap()
        .store;
    let start = store.ticket_count().await.unwrap();
    for batch in 0.. {
        let threads: Vec<_> = (0..BATCH)
            .map(|i| {
                let n = 100_000 + start + batch * BATCH + i;
                thread(
                    n,
                    &format!("Сбой записи {n}"),
                    &"write under a kill, журнал ".repeat(40),
                )
            })
            .collect();
        store.upsert_threads(&threads).await.unwrap();
    }
}

#[tokio::test]
async fn killed_writer_leaves_whole_transactions() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite");
    {
        let store = Store::open(&path).await.unwrap().store;
        store.upsert_agents(&agents()).await.unwrap();
        store.upsert_customers(&customers()).await.unwrap();
        store.close().await;
    }
    let mut grew = false;
    let mut last = 0;
    for wait_ms in [150, 420, 90, 700, 260, 530] {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "crash_test_writer_process",
                "--ignored",
                "--nocapture",
            ])
            .env(DB_ENV, &path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        tokio::time::sleep(Duration::from_millis(wait_ms)).await;
        child.kill().unwrap(); // SIGKILL: no destructor, no checkpoint, no rollback
        child.wait().unwrap();

        let opened = Store::open(&path).await.unwrap();
        assert_eq!(opened.moved_aside, None, "a killed writer is not damage");
        let store = opened.store;
        let pool = assert_intact(&path).await;
        let (tickets, messages): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT count(*) FROM tickets), (SELECT count(*) FROM messages)",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(
            tickets % BATCH,
            0,
            "only whole transactions: {tickets} tickets"
        );
        assert_eq!(messages, tickets, "every ticket with its message");
        let page = store
            .queue_page(
                &QueueRequest {
                    view: QueueView::Team,
                    after: None,
                    limit: 50,
                    filter: None,
                },
                Timestamp(0),
            )
            .await
            .unwrap();
        assert_eq!(page.rows.len() as i64, tickets.min(50));
        grew |= tickets > last;
        last = tickets;
        pool.close().await;
        store.close().await;
    }
    assert!(grew, "the writer got to write before it was killed");
}
