//! The event stream: the newest sequence at once, then a nudge soon after
//! every committed change.

#![allow(clippy::unwrap_used)] // a test that cannot go on should stop loudly

mod common;

use common::{next_sequence, server};
use reqwest::StatusCode;
use shiftdesk_domain::TicketNumber;
use shiftdesk_protocol::{Mutation, MutationRequest};
use uuid::Uuid;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_committed_change_is_announced() {
    let server = server().await;
    let token = server.token(shiftdesk_demo::ME).await;
    let newest: i64 = sqlx::query_scalar("SELECT max(seq) FROM changes")
        .fetch_one(&server.db.readers)
        .await
        .unwrap();

    let mut events = server
        .http
        .get(format!("{}/v1/events", server.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(events.status(), StatusCode::OK);
    assert_eq!(events.headers()["content-type"], "text/event-stream");
    let mut buffer = String::new();
    assert_eq!(
        next_sequence(&mut events, &mut buffer).await,
        newest,
        "the newest sequence first"
    );

    let number: i64 =
        sqlx::query_scalar("SELECT number FROM tickets WHERE assignee_id = 1 LIMIT 1")
            .fetch_one(&server.db.readers)
            .await
            .unwrap();
    let note = MutationRequest {
        id: Uuid::new_v4(),
        ticket: TicketNumber(number),
        base_version: None,
        mutation: Mutation::Note {
            body: "nudge".into(),
            attachments: vec![],
        },
    };
    server.push(&token, &[note]).await;
    assert!(
        next_sequence(&mut events, &mut buffer).await > newest,
        "then every new change"
    );

    let (status, _, _) = server.get("/v1/events", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}
