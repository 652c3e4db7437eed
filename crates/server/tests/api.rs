//! The API over a real socket: authentication, scope, paging, bad input.

#![allow(clippy::unwrap_used)] // a test that cannot go on should stop loudly

use std::collections::{BTreeSet, HashMap};

use reqwest::StatusCode;
use serde_json::Value;
use shiftdesk_domain::{AgentId, Role};
use shiftdesk_protocol::{ChangeBody, ChangePage};
use shiftdesk_server::{auth, router, seed, AppState, Db};

struct Server {
    base: String,
    db: Db,
    http: reqwest::Client,
    _dir: tempfile::TempDir,
}

/// A server on a loopback port with a 120-ticket demo desk.
async fn server() -> Server {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("server.sqlite")).await.unwrap();
    let config = shiftdesk_demo::DemoConfig {
        seed: 3,
        tickets: 120,
        now: shiftdesk_domain::Timestamp(1_795_500_000_000),
    };
    seed::demo(&db, &config).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = router(AppState { db: db.clone() });
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Server {
        base,
        db,
        http: reqwest::Client::new(),
        _dir: dir,
    }
}

impl Server {
    async fn token(&self, agent: AgentId) -> String {
        auth::issue_token(&self.db, agent).await.unwrap().unwrap()
    }

    async fn get(&self, path: &str, token: Option<&str>) -> (StatusCode, String, Value) {
        let mut request = self.http.get(format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let content_type = response
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        (status, content_type, response.json().await.unwrap())
    }

    /// Every change in `token`'s scope, pulled `limit` at a time.
    async fn pull_all(&self, token: &str, limit: u32) -> Vec<shiftdesk_protocol::Change> {
        let mut after = 0;
        let mut all = Vec::new();
        loop {
            let (status, _, body) = self
                .get(
                    &format!("/v1/changes?after={after}&limit={limit}"),
                    Some(token),
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{body}");
            let page: ChangePage = serde_json::from_value(body).unwrap();
            assert!(page.changes.len() <= limit as usize);
            all.extend(page.changes);
            if !page.more {
                // The end is stable: asking again from there gives nothing.
                let (_, _, again) = self
                    .get(&format!("/v1/changes?after={}", page.next.0), Some(token))
                    .await;
                assert_eq!(again["changes"], Value::Array(vec![]));
                assert_eq!(again["next"], page.next.0);
                return all;
            }
            after = page.next.0;
        }
    }
}

fn assert_problem(
    status: StatusCode,
    content_type: &str,
    body: &Value,
    expected: StatusCode,
    code: &str,
) {
    assert_eq!(status, expected, "{body}");
    assert_eq!(content_type, "application/problem+json");
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(body["status"], expected.as_u16());
    assert!(body["type"].as_str().unwrap().ends_with(code));
    assert!(!body["detail"].as_str().unwrap().is_empty());
}

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
    let token = server.token(shiftdesk_demo::ME).await;
    assert_eq!(
        server.get("/v1/changes", Some(&token)).await.0,
        StatusCode::OK
    );
    assert!(auth::revoke(&server.db, shiftdesk_demo::ME, 1)
        .await
        .unwrap());
    let (s, ct, body) = server.get("/v1/changes", Some(&token)).await;
    assert_problem(
        s,
        &ct,
        &body,
        StatusCode::UNAUTHORIZED,
        "auth.token_revoked",
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
    let (s, _, body) = server.get("/v1/changes?limit=0", Some(&token)).await;
    assert_eq!(s, StatusCode::OK, "a zero limit is taken as one: {body}");
    assert_eq!(body["changes"].as_array().unwrap().len(), 1);
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
