//! The simulator: customers writing in on every channel, stored through
//! intake like real messages; as its own process it nudges a running
//! server's event stream.

#![allow(clippy::unwrap_used)] // a test that cannot go on should stop loudly

mod common;

use std::collections::HashSet;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::process::{cli, free_port, serve, terminate, token_of, BIN};
use common::{next_sequence, server};
use shiftdesk_domain::{Channel, Timestamp};
use shiftdesk_server::intake::IntakeRules;
use shiftdesk_server::simulate::{step, Arrival};
use shiftdesk_server::DEFAULT_TEAM;

#[tokio::test]
async fn arrivals_open_tickets_and_follow_up_on_every_channel() {
    let server = server().await;
    let rules = IntakeRules {
        team: DEFAULT_TEAM.to_owned(),
    };
    let tickets = server.count("tickets").await;
    let inbound = server
        .count("messages WHERE json_extract(body, '$.kind.kind') = 'inbound'")
        .await;
    let now = Timestamp(1_795_600_000_000);
    let mut opened = Vec::new();
    let mut again = 0;
    for seed in 0..60 {
        match step(&server.db, &rules, seed, now).await.unwrap() {
            Arrival::Opened { ticket, channel } => opened.push((ticket, channel)),
            Arrival::WroteAgain { .. } => again += 1,
        }
    }
    assert!(
        opened.len() >= 25 && again >= 20,
        "{} / {again}",
        opened.len()
    );
    let channels: HashSet<Channel> = opened.iter().map(|(_, c)| *c).collect();
    assert!(channels.len() >= 3, "{channels:?}");
    assert_eq!(server.count("tickets").await, tickets + opened.len() as i64);
    assert_eq!(
        server
            .count("messages WHERE json_extract(body, '$.kind.kind') = 'inbound'")
            .await,
        inbound + 60,
        "every arrival is one customer message"
    );
    for (number, channel) in &opened {
        let ticket = server.ticket(number.0).await;
        assert_eq!(ticket.channel, *channel);
        assert_eq!(ticket.created_at, now);
        assert!(ticket.assignee.is_some());
    }
    // Files of walk-ins are stored with their bytes.
    let files: Vec<String> = sqlx::query_scalar(
        "SELECT json_extract(body, '$.content_hash') FROM attachments WHERE ticket_number > ?",
    )
    .bind(10_000 + tickets)
    .fetch_all(&server.db.readers)
    .await
    .unwrap();
    for hash in &files {
        let path = server
            .db
            .files
            .path_of(&shiftdesk_domain::ContentHash::try_from(hash.clone()).unwrap());
        assert!(path.exists(), "{hash}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_simulator_process_nudges_a_running_server() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite");
    cli(&db, &["demo", "--tickets", "40"]);
    let token = token_of(&cli(&db, &["agent", "token", "--id", "1"]));
    let port = free_port();
    let mut server = serve(&db, port);
    let mut events = reqwest::Client::new()
        .get(format!("http://127.0.0.1:{port}/v1/events"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let mut buffer = String::new();
    let first = next_sequence(&mut events, &mut buffer).await;

    let simulator = Command::new(BIN)
        .arg("--db")
        .arg(&db)
        .args(["simulate", "--rate", "1200", "--seed", "5"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let nudged = next_sequence(&mut events, &mut buffer).await;
    assert!(nudged > first, "{nudged} > {first}");
    tokio::time::sleep(Duration::from_millis(500)).await;
    let log = terminate(simulator);
    assert!(log.contains("simulation stopped"), "{log}");
    assert!(!log.contains("ERROR"), "{log}");
    server.kill().unwrap();
    server.wait().unwrap();
}

#[test]
fn a_bad_rate_is_refused_before_anything_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite");
    for rate in ["0", "-5", "NaN", "inf", "6001", "fast"] {
        let out = Command::new(BIN)
            .arg("--db")
            .arg(&db)
            .args(["simulate", "--rate", rate])
            .output()
            .unwrap();
        assert!(!out.status.success(), "{rate}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("--rate"), "{rate}: {err}");
    }
    assert!(!db.exists(), "no database was created");
}
