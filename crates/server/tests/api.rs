//! The API over a real socket: authentication, scope, paging, bad input.

#![allow(clippy::unwrap_used)] // a test that cannot go on should stop loudly

mod common;

use std::collections::{BTreeSet, HashMap};

use common::{assert_problem, server};
use reqwest::StatusCode;
use serde_json::Value;
use shiftdesk_domain::{Role, Timestamp};
use shiftdesk_protocol::ChangeBody;
use shiftdesk_server::auth;

#[tokio::test]
async fn requests_without_a_valid_token_are_refused() {
    let server = server().await;
    let (s, ct, body) = server.get("/v1/changes", None).await;
    assert_problem(
        s,
        &ct,
        &body,
        StatusCode::UNAUTHORIZED,
        "auth.unauthenticated",
    );
    for bad in ["sdk_0000", "", "Bearer", "../../etc/passwd", "токен"] {
        let (s, ct, body) = server.get("/v1/changes", Some(bad)).await;
        assert_problem(
            s,
            &ct,
            &body,
            StatusCode::UNAUTHORIZED,
            "auth.unauthenticated",
        );
    }
    let expired = auth::issue_token_until(&server.db, shiftdesk_demo::ME, Timestamp(1))
        .await
        .unwrap()
        .unwrap();
    let (s, ct, body) = server.get("/v1/changes", Some(&expired)).await;
    assert_problem(
        s,
        &ct,
        &body,
        StatusCode::UNAUTHORIZED,
        "auth.token_expired",
    );
    let token = server.token(shiftdesk_demo::ME).await;
    assert_eq!(
        server.get("/v1/changes", Some(&token)).await.0,
        StatusCode::OK
    );
    assert!(auth::accounts::disable(&server.db, shiftdesk_demo::ME, 1)
        .await
        .unwrap());
    let (s, ct, body) = server.get("/v1/changes", Some(&token)).await;
    assert_problem(
        s,
        &ct,
        &body,
        StatusCode::UNAUTHORIZED,
        "auth.device_revoked",
    );
}

#[tokio::test]
async fn an_agent_pulls_only_their_tickets_and_what_belongs_to_them() {
    let server = server().await;
    let token = server.token(shiftdesk_demo::ME).await;
    let changes = server.pull_all(&token, 1000).await;

    let mine: BTreeSet<i64> =
        sqlx::query_scalar("SELECT number FROM tickets WHERE assignee_id = ?")
            .bind(shiftdesk_demo::ME.0)
            .fetch_all(&server.db.readers)
            .await
            .unwrap()
            .into_iter()
            .collect();
    assert!(!mine.is_empty());
    let my_customers: BTreeSet<i64> =
        sqlx::query_scalar("SELECT DISTINCT customer_id FROM tickets WHERE assignee_id = ?")
            .bind(shiftdesk_demo::ME.0)
            .fetch_all(&server.db.readers)
            .await
            .unwrap()
            .into_iter()
            .collect();
    let mut tickets = BTreeSet::new();
    for change in &changes {
        match &change.body {
            ChangeBody::Ticket(t) => {
                assert_eq!(
                    t.assignee,
                    Some(shiftdesk_demo::ME),
                    "#{} is not mine",
                    t.number.0
                );
                tickets.insert(t.number.0);
            }
            ChangeBody::Message(m) => {
                assert!(mine.contains(&m.ticket.0), "message of #{}", m.ticket.0)
            }
            ChangeBody::Customer(c) => assert!(
                my_customers.contains(&c.id.0),
                "customer {} is not of mine",
                c.id.0
            ),
            ChangeBody::Eviction { .. } => panic!("no evictions without reassignment"),
            _ => {}
        }
    }
    assert_eq!(tickets, mine, "every ticket of mine, and only those");
    let messages = changes
        .iter()
        .filter(|c| matches!(c.body, ChangeBody::Message(_)))
        .count() as i64;
    let expected: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM messages m JOIN tickets t ON t.number = m.ticket_number WHERE t.assignee_id = ?",
    )
    .bind(shiftdesk_demo::ME.0)
    .fetch_one(&server.db.readers)
    .await
    .unwrap();
    assert_eq!(messages, expected);
    // Every customer arrives before the ticket that needs it, as the cache's
    // foreign keys expect.
    let mut known = BTreeSet::new();
    for change in &changes {
        match &change.body {
            ChangeBody::Customer(c) => {
                known.insert(c.id.0);
            }
            ChangeBody::Ticket(t) => assert!(
                known.contains(&t.customer.0),
                "#{} before its customer",
                t.number.0
            ),
            _ => {}
        }
    }
}

#[tokio::test]
async fn a_lead_pulls_the_whole_team() {
    let server = server().await;
    let lead = shiftdesk_demo::agents()
        .into_iter()
        .find(|a| a.role == Role::Lead)
        .unwrap();
    let token = server.token(lead.id).await;
    let changes = server.pull_all(&token, 1000).await;
    let tickets = changes
        .iter()
        .filter(|c| matches!(c.body, ChangeBody::Ticket(_)))
        .count();
    assert_eq!(tickets, 120, "the demo desk is one team");
}

#[tokio::test]
async fn paging_gives_the_same_changes_in_order() {
    let server = server().await;
    let token = server.token(shiftdesk_demo::ME).await;
    let whole = server.pull_all(&token, 1000).await;
    let paged = server.pull_all(&token, 37).await;
    assert_eq!(paged, whole);
    for pair in paged.windows(2) {
        assert!(pair[0].seq < pair[1].seq, "sequence strictly increases");
    }
    let kinds: HashMap<&str, usize> = paged.iter().fold(HashMap::new(), |mut m, c| {
        let kind = match c.body {
            ChangeBody::Agent(_) => "agent",
            ChangeBody::SlaPolicy(_) => "policy",
            ChangeBody::CannedResponse(_) => "canned",
            _ => "ticket data",
        };
        *m.entry(kind).or_default() += 1;
        m
    });
    assert_eq!(kinds["agent"], 8);
    assert_eq!(kinds["policy"], 8);
}

#[tokio::test]
async fn malformed_parameters_get_a_clear_400() {
    let server = server().await;
    let token = server.token(shiftdesk_demo::ME).await;
    for query in [
        "after=-1",
        "after=abc",
        "after=1&sql=drop",
        "limit=-5",
        "after=99999999999999999999999",
    ] {
        let (s, ct, body) = server
            .get(&format!("/v1/changes?{query}"), Some(&token))
            .await;
        assert_problem(s, &ct, &body, StatusCode::BAD_REQUEST, "request.invalid");
    }
    for query in ["limit=0", "limit=1001", "limit=2147483648"] {
        let (s, ct, body) = server
            .get(&format!("/v1/changes?{query}"), Some(&token))
            .await;
        assert_problem(s, &ct, &body, StatusCode::BAD_REQUEST, "request.invalid");
    }
}

#[tokio::test]
async fn unknown_paths_answer_a_problem() {
    let server = server().await;
    let (s, ct, body) = server.get("/v1/nothing-here", None).await;
    assert_problem(s, &ct, &body, StatusCode::NOT_FOUND, "request.not_found");
}

#[tokio::test]
async fn the_openapi_document_is_served() {
    let server = server().await;
    let (s, _, body) = server.get("/openapi.json", None).await;
    assert_eq!(s, StatusCode::OK);
    let committed: Value = serde_json::from_str(&shiftdesk_server::openapi::document()).unwrap();
    assert_eq!(body, committed);
}

#[tokio::test]
async fn me_names_the_tokens_agent() {
    let server = server().await;
    let token = server.token(shiftdesk_demo::ME).await;
    let (s, _, body) = server.get("/v1/me", Some(&token)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(body["id"], shiftdesk_demo::ME.0);
    assert_eq!(body["role"], "agent");
    let (s, ct, body) = server.get("/v1/me", Some("sdk_nope")).await;
    assert_problem(
        s,
        &ct,
        &body,
        StatusCode::UNAUTHORIZED,
        "auth.unauthenticated",
    );
}
