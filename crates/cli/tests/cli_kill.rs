//! `kill -9` of `shiftdesk sync` at random moments of pulls and pushes:
//! the next sync resumes, every reply reaches the server exactly once, and
//! the cache ends equal to the server's view of the agent's scope.

#![allow(clippy::unwrap_used)] // a test that cannot go on should stop loudly

use std::path::Path;
use std::time::Duration;

mod desk;

use desk::{cache_file, free_port, login, serve, server_cli, shiftdesk, token_of};

/// A small deterministic generator for kill moments.
struct Moments(u64);

impl Moments {
    fn next_ms(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        (self.0 >> 33) % below
    }
}

async fn rows(db: &Path, sql: &str) -> Vec<(i64, i64)> {
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}?mode=ro", db.display()))
        .await
        .unwrap();
    let rows = sqlx::query_as(sql).fetch_all(&pool).await.unwrap();
    pool.close().await;
    rows
}

#[test]
fn a_sync_killed_anywhere_loses_and_doubles_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite");
    server_cli(&db, &["demo", "--tickets", "600"]);
    let token = token_of(&server_cli(&db, &["agent", "token", "--id", "1"]));
    let port = free_port();
    let mut server = serve(&db, port);
    let data = dir.path().join("data");
    let token_file = dir.path().join("token");
    login(&data, port, &token, &token_file);

    let mine: Vec<i64> = {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime
            .block_on(rows(
                &db,
                "SELECT number, 0 FROM tickets WHERE assignee_id = 1 ORDER BY number",
            ))
            .into_iter()
            .map(|(n, _)| n)
            .collect()
    };
    let mut moments = Moments(42);
    let mut killed = 0;
    let mut replies = Vec::new();
    for round in 0..16 {
        // Replies are queued between syncs, so pushes are cut too (once the
        // first sync has brought the tickets in).
        if round > 2 {
            let ticket = mine[round % mine.len()].to_string();
            let body = format!("ответ {round}");
            let out = shiftdesk(
                &data,
                &["reply", &ticket, "--channel", "email", "--body", &body],
            )
            .output()
            .unwrap();
            if out.status.success() {
                replies.push(body);
            }
        }
        let mut sync = shiftdesk(&data, &["sync"]).spawn().unwrap();
        // A sync of a few changes takes the command line some 60 ms: the
        // moments fall within it, from the start to the last commit.
        std::thread::sleep(Duration::from_millis(moments.next_ms(60)));
        if sync.try_wait().unwrap().is_none() {
            sync.kill().unwrap(); // SIGKILL
            killed += 1;
        }
        sync.wait().unwrap();
    }
    assert!(killed >= 4, "the kills must land mid-sync ({killed})");
    let last = shiftdesk(&data, &["sync"]).output().unwrap();
    assert!(
        last.status.success(),
        "{}",
        String::from_utf8_lossy(&last.stderr)
    );

    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        for body in &replies {
            let count = rows(
                &db,
                &format!(
                    "SELECT count(*), 0 FROM messages WHERE json_extract(body, '$.body') = '{body}'"
                ),
            )
            .await;
            assert_eq!(count[0].0, 1, "{body}: exactly once on the server");
        }
        let cache = cache_file(&data);
        let server_tickets = rows(&db, "SELECT number, version FROM tickets WHERE assignee_id = 1 ORDER BY number").await;
        let cache_tickets = rows(&cache, "SELECT number, version FROM tickets ORDER BY number").await;
        assert_eq!(cache_tickets, server_tickets);
        let server_messages = rows(
            &db,
            "SELECT m.id, m.ticket_number FROM messages m JOIN tickets t ON t.number = m.ticket_number \
             WHERE t.assignee_id = 1 ORDER BY m.id",
        )
        .await;
        let cache_messages = rows(&cache, "SELECT id, ticket_number FROM messages ORDER BY id").await;
        assert_eq!(cache_messages, server_messages);
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", cache.display())).await.unwrap();
        let integrity: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&pool).await.unwrap();
        assert_eq!(integrity, "ok");
        pool.close().await;
    });
    server.kill().unwrap();
    server.wait().unwrap();
}
