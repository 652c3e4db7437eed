//! The server process killed (`kill -9`) in the middle of a push, restarted,
//! and the whole batch sent again: every mutation takes effect exactly once.

#![allow(clippy::unwrap_used)] // a test that cannot go on should stop loudly

mod common;

use std::time::Duration;

use common::process::{cli, free_port, serve, token_of};

use shiftdesk_domain::TicketNumber;
use shiftdesk_protocol::{Mutation, MutationOutcome, MutationRequest, PushResponse};
use uuid::Uuid;

#[tokio::test]
async fn a_batch_resent_after_a_crash_applies_each_mutation_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite");
    cli(&db, &["demo", "--tickets", "60"]);
    let token = token_of(&cli(&db, &["agent", "token", "--id", "1"]));
    let ticket: i64 = {
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", db.display()))
            .await
            .unwrap();
        let n = sqlx::query_scalar("SELECT number FROM tickets WHERE assignee_id = 1 LIMIT 1")
            .fetch_one(&pool)
            .await
            .unwrap();
        pool.close().await;
        n
    };
    let marker = Uuid::new_v4().to_string();
    let batch: Vec<MutationRequest> = (0..200)
        .map(|i| MutationRequest {
            id: Uuid::new_v4(),
            ticket: TicketNumber(ticket),
            base_version: None,
            mutation: Mutation::Note {
                body: format!("{marker} заметка {i}"),
                attachments: vec![],
            },
        })
        .collect();
    let body = serde_json::json!({ "mutations": batch });
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}/v1/mutations");
    let http = reqwest::Client::new();

    let mut server = serve(&db, port);
    let send = http.post(&url).bearer_auth(&token).json(&body).send();
    let watcher = sqlx::SqlitePool::connect(&format!("sqlite://{}?mode=ro", db.display()))
        .await
        .unwrap();
    let killer = async {
        // Kill as soon as the batch is under way: once the first mutation
        // has committed, with the rest still to come.
        let started = std::time::Instant::now();
        loop {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the batch never started committing"
            );
            let done: i64 = sqlx::query_scalar("SELECT count(*) FROM applied_mutations")
                .fetch_one(&watcher)
                .await
                .unwrap();
            if done > 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        server.kill().unwrap(); // SIGKILL, mid-batch
    };
    let (answer, ()) = tokio::join!(send, killer);
    server.wait().unwrap();
    assert!(
        answer.is_err() || !answer.unwrap().status().is_success(),
        "the push was cut off"
    );

    let mut server = serve(&db, port);
    let response: PushResponse = http
        .post(&url)
        .bearer_auth(&token)
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    server.kill().unwrap();
    server.wait().unwrap();

    let duplicates = response
        .results
        .iter()
        .filter(|r| matches!(r.outcome, MutationOutcome::Duplicate { .. }))
        .count();
    let applied = response
        .results
        .iter()
        .filter(|r| matches!(r.outcome, MutationOutcome::Applied { .. }))
        .count();
    assert_eq!(duplicates + applied, 200, "every mutation accounted for");
    assert!(
        duplicates > 0,
        "the first attempt got some way before the kill"
    );

    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", db.display()))
        .await
        .unwrap();
    let stored: i64 =
        sqlx::query_scalar("SELECT count(*) FROM messages WHERE body LIKE '%' || ? || '%'")
            .bind(&marker)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(stored, 200, "each note stored exactly once");
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(integrity, "ok");
}
