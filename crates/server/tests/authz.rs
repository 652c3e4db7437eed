//! Authorization on every endpoint: who may call it at all, and that an
//! agent or a portal customer never reads or writes outside their scope.

#![allow(clippy::unwrap_used)] // a test that cannot go on should stop loudly

mod common;

use common::{form, server, sha256, Server};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use shiftdesk_domain::AgentId;
use shiftdesk_server::auth;

/// Every endpoint that needs a credential, as (method, path, body).
fn agent_endpoints(ticket: i64, attachment: i64) -> Vec<(Method, String, Option<Vec<u8>>)> {
    let push = serde_json::json!({ "mutations": [{
        "id": "7d6b1c9e-2f1a-4c55-9a51-0c1d3b7e5a10", "ticket": ticket, "base_version": null,
        "mutation": { "type": "note", "body": "x" }
    }]});
    vec![
        (Method::GET, "/v1/me".into(), None),
        (Method::GET, "/v1/changes".into(), None),
        (Method::GET, "/v1/changes/urgent?limit=5".into(), None),
        (Method::GET, "/v1/events".into(), None),
        (
            Method::POST,
            "/v1/mutations".into(),
            Some(serde_json::to_vec(&push).unwrap()),
        ),
        (
            Method::PUT,
            format!("/v1/files/{}", sha256(b"x")),
            Some(b"x".to_vec()),
        ),
        (Method::GET, format!("/v1/attachments/{attachment}"), None),
    ]
}

async fn call(
    server: &Server,
    method: Method,
    path: &str,
    body: Option<Vec<u8>>,
    credential: Option<&str>,
) -> (StatusCode, Value) {
    let mut request = server
        .http
        .request(method, format!("{}{path}", server.base));
    if let Some(credential) = credential {
        request = request.bearer_auth(credential);
    }
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    // A refusal is a problem document; a success may be a stream.
    let body = if status.is_success() {
        Value::Null
    } else {
        response.json().await.unwrap()
    };
    (status, body)
}

/// A ticket of `agent`'s with an attachment: (ticket, attachment).
async fn ticket_with_file(server: &Server, agent: AgentId) -> (i64, i64) {
    sqlx::query_as(
        "SELECT t.number, a.id FROM tickets t JOIN attachments a ON a.ticket_number = t.number \
         WHERE t.assignee_id = ? ORDER BY t.number LIMIT 1",
    )
    .bind(agent.0)
    .fetch_one(&server.db.readers)
    .await
    .unwrap()
}

#[tokio::test]
async fn every_agent_endpoint_wants_a_live_token_of_its_own_kind() {
    let server = server().await;
    let (ticket, attachment) = ticket_with_file(&server, shiftdesk_demo::ME).await;
    let (_, _, opened) = server
        .post_form(
            "/portal/v1/tickets",
            None,
            form(&[
                ("name", "Ivan"),
                ("service", "Compute Cloud"),
                ("category", "billing"),
                ("description", "Invoice question"),
            ]),
        )
        .await;
    let portal_key = opened["access_key"].as_str().unwrap().to_owned();
    let revoked = server.token(AgentId(3)).await;
    assert!(auth::accounts::disable(&server.db, AgentId(3), 1)
        .await
        .unwrap());
    let good = server.token(shiftdesk_demo::ME).await;

    for (method, path, body) in agent_endpoints(ticket, attachment) {
        for (credential, status, code) in [
            (None, StatusCode::UNAUTHORIZED, "auth.unauthenticated"),
            (
                Some("sdk_forged"),
                StatusCode::UNAUTHORIZED,
                "auth.unauthenticated",
            ),
            (
                Some(portal_key.as_str()),
                StatusCode::UNAUTHORIZED,
                "auth.unauthenticated",
            ),
            (
                Some(revoked.as_str()),
                StatusCode::UNAUTHORIZED,
                "auth.device_revoked",
            ),
        ] {
            let (s, answer) = call(&server, method.clone(), &path, body.clone(), credential).await;
            assert_eq!(s, status, "{method} {path} with {credential:?}: {answer}");
            assert_eq!(answer["code"], code, "{method} {path}");
        }
        if path != "/v1/events" {
            let (s, answer) = call(&server, method.clone(), &path, body.clone(), Some(&good)).await;
            assert!(
                s.is_success(),
                "{method} {path} with a good token: {s} {answer}"
            );
        }
    }
}

#[tokio::test]
async fn an_agent_reaches_nothing_of_a_colleagues_tickets() {
    let server = server().await;
    let me = server.token(shiftdesk_demo::ME).await;
    let (theirs, their_file) = ticket_with_file(&server, AgentId(2)).await;
    let lead_id: i64 = sqlx::query_scalar("SELECT id FROM agents WHERE role = 'lead' LIMIT 1")
        .fetch_one(&server.db.readers)
        .await
        .unwrap();
    let lead = server.token(AgentId(lead_id)).await;

    // Read: the colleague's attachment is not found for me, found for the lead.
    let path = format!("/v1/attachments/{their_file}");
    let (s, answer) = call(&server, Method::GET, &path, None, Some(&me)).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(answer["code"], "attachment.not_found");
    assert_eq!(
        call(&server, Method::GET, &path, None, Some(&lead)).await.0,
        StatusCode::OK
    );

    // Pull: none of the colleague's ticket, its messages or files.
    let pulled = server.pull_all(&me, 1000).await;
    let leaked = pulled.iter().any(|c| match &c.body {
        shiftdesk_protocol::ChangeBody::Ticket(t) => t.number.0 == theirs,
        shiftdesk_protocol::ChangeBody::Message(m) => m.ticket.0 == theirs,
        shiftdesk_protocol::ChangeBody::Attachment(a) => a.id.0 == their_file,
        _ => false,
    });
    assert!(!leaked);

    // The urgent snapshot holds only my tickets.
    let (s, _, urgent) = server.get("/v1/changes/urgent?limit=500", Some(&me)).await;
    assert_eq!(s, StatusCode::OK);
    let snapshot: shiftdesk_protocol::UrgentTickets = serde_json::from_value(urgent).unwrap();
    assert!(snapshot.changes.iter().all(|c| match &c.body {
        shiftdesk_protocol::ChangeBody::Ticket(t) => t.assignee == Some(shiftdesk_demo::ME),
        shiftdesk_protocol::ChangeBody::Message(m) => m.ticket.0 != theirs,
        _ => true,
    }));
    for bad in ["0", "501", "-1", "x"] {
        let (s, ct, body) = server
            .get(&format!("/v1/changes/urgent?limit={bad}"), Some(&me))
            .await;
        common::assert_problem(s, &ct, &body, StatusCode::BAD_REQUEST, "request.invalid");
    }

    // Write: a push for their ticket is refused like a missing one.
    let messages = server.count("messages").await;
    let hijack = serde_json::json!({ "mutations": [{
        "id": "1d6b1c9e-2f1a-4c55-9a51-0c1d3b7e5a10", "ticket": theirs, "base_version": null,
        "mutation": { "type": "reply", "channel": "email", "body": "hijack" }
    }]});
    let (s, _, refused) = server
        .post("/v1/mutations", &me, serde_json::to_vec(&hijack).unwrap())
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(server.count("messages").await, messages);
    assert_eq!(refused["results"][0]["outcome"], "rejected");
    assert_eq!(refused["results"][0]["problem"]["code"], "ticket.not_found");
}

#[tokio::test]
async fn a_portal_key_opens_one_ticket_and_no_agent_endpoint() {
    let server = server().await;
    let open = || {
        form(&[
            ("name", "Ivan"),
            ("service", "Compute Cloud"),
            ("category", "billing"),
            ("description", "Invoice question"),
        ])
    };
    let (_, _, mine) = server.post_form("/portal/v1/tickets", None, open()).await;
    let (_, _, other) = server.post_form("/portal/v1/tickets", None, open()).await;
    let key = mine["access_key"].as_str().unwrap();
    let mine = mine["ticket"].as_i64().unwrap();
    let other = other["ticket"].as_i64().unwrap();
    let (_, demo_file) = ticket_with_file(&server, shiftdesk_demo::ME).await;
    let agent = server.token(shiftdesk_demo::ME).await;

    let portal = |n: i64| {
        vec![
            (Method::GET, format!("/portal/v1/tickets/{n}"), None),
            (
                Method::GET,
                format!("/portal/v1/tickets/{n}/attachments/{demo_file}"),
                None,
            ),
        ]
    };
    for (method, path, body) in portal(mine) {
        for (credential, status, code) in [
            (None, StatusCode::UNAUTHORIZED, "auth.unauthenticated"),
            (
                Some(agent.as_str()),
                StatusCode::UNAUTHORIZED,
                "auth.unauthenticated",
            ),
            (
                Some("ptk_forged"),
                StatusCode::UNAUTHORIZED,
                "auth.unauthenticated",
            ),
        ] {
            let (s, answer) = call(&server, method.clone(), &path, body.clone(), credential).await;
            assert_eq!((s, answer["code"].as_str()), (status, Some(code)), "{path}");
        }
    }
    // Another ticket, or a file of another ticket, is not found.
    for (method, path, body) in portal(other).into_iter().chain([(
        Method::GET,
        format!("/portal/v1/tickets/{mine}/attachments/{demo_file}"),
        None,
    )]) {
        let (s, answer) = call(&server, method, &path, body, Some(key)).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{path}: {answer}");
    }
    for reply_to in [mine, other] {
        let (s, _, answer) = server
            .post_form(
                &format!("/portal/v1/tickets/{reply_to}/messages"),
                Some(if reply_to == mine {
                    agent.as_str()
                } else {
                    key
                }),
                form(&[("body", "hello")]),
            )
            .await;
        assert!(
            s == StatusCode::UNAUTHORIZED || s == StatusCode::NOT_FOUND,
            "{answer}"
        );
    }
}
