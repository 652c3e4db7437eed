//! The server killed (`kill -9`) in the middle of a client's push batch and
//! started again: the client's next sync settles every reply, each stored
//! exactly once.

#![allow(clippy::unwrap_used)] // a test that cannot go on should stop loudly

mod desk;

use std::path::Path;
use std::time::{Duration, Instant};

use desk::{cache_file, free_port, login, serve, server_cli, shiftdesk, token_of};
use shiftdesk_domain::{AgentId, Channel, TicketNumber};
use shiftdesk_protocol::Mutation;
use shiftdesk_store::Store;

const REPLIES: usize = 150;

async fn count(db: &Path, sql: &str) -> i64 {
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}?mode=ro", db.display()))
        .await
        .unwrap();
    let n = sqlx::query_scalar(sql).fetch_one(&pool).await.unwrap();
    pool.close().await;
    n
}

#[test]
fn a_batch_cut_by_a_server_crash_is_settled_once_after_the_restart() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite");
    server_cli(&db, &["demo", "--tickets", "60"]);
    let token = token_of(&server_cli(&db, &["agent", "token", "--id", "1"]));
    let port = free_port();
    let mut server = serve(&db, port);
    let data = dir.path().join("data");
    let token_file = dir.path().join("token");
    login(&data, port, &token, &token_file);
    assert!(shiftdesk(&data, &["sync"])
        .output()
        .unwrap()
        .status
        .success());

    // 150 replies waiting in the outbox: one push batch.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let cache = cache_file(&data);
    runtime.block_on(async {
        let store = Store::open(&cache).await.unwrap().store;
        let ticket: i64 = sqlx::query_scalar("SELECT number FROM tickets ORDER BY number LIMIT 1")
            .fetch_one(
                &sqlx::SqlitePool::connect(&format!("sqlite://{}?mode=ro", cache.display()))
                    .await
                    .unwrap(),
            )
            .await
            .unwrap();
        for i in 0..REPLIES {
            shiftdesk_engine::outbox::queue(
                &store,
                AgentId(1),
                TicketNumber(ticket),
                Mutation::Reply {
                    channel: Channel::Email,
                    body: format!("пакетный ответ {i}"),
                    attachments: vec![],
                    cc: vec![],
                },
                None,
                shiftdesk_engine::now(),
            )
            .await
            .unwrap();
        }
        store.close().await;
    });

    // The server dies once the batch has started committing.
    let sync = shiftdesk(&data, &["sync"]).spawn().unwrap();
    let started = Instant::now();
    loop {
        let applied = runtime.block_on(count(&db, "SELECT count(*) FROM applied_mutations"));
        if applied > 0 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the batch never arrived"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    server.kill().unwrap(); // SIGKILL
    server.wait().unwrap();
    let cut = sync.wait_with_output().unwrap();
    let applied_before = runtime.block_on(count(&db, "SELECT count(*) FROM applied_mutations"));

    let mut server = serve(&db, port);
    let again = shiftdesk(&data, &["sync"]).output().unwrap();
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    let stored = runtime.block_on(count(
        &db,
        "SELECT count(*) FROM messages WHERE json_extract(body, '$.body') LIKE 'пакетный ответ %'",
    ));
    let distinct = runtime.block_on(count(
        &db,
        "SELECT count(DISTINCT json_extract(body, '$.body')) FROM messages \
         WHERE json_extract(body, '$.body') LIKE 'пакетный ответ %'",
    ));
    assert_eq!(
        (stored, distinct),
        (REPLIES as i64, REPLIES as i64),
        "each reply once"
    );
    let outbox = shiftdesk(&data, &["outbox"]).output().unwrap();
    assert!(
        outbox.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&outbox.stdout)
    );
    // Cut mid-way, the first sync said the server did not answer (exit 4);
    // or it saw the batch through before the kill.
    if applied_before < REPLIES as i64 {
        assert_eq!(
            cut.status.code(),
            Some(4),
            "{applied_before} applied before the kill"
        );
    } else {
        assert!(cut.status.success());
    }
    server.kill().unwrap();
    server.wait().unwrap();
}
