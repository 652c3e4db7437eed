//! The customer portal over a real socket: open a ticket with files, follow
//! it with the access key, see public replies and never internal notes;
//! bad forms are refused whole.

#![allow(clippy::unwrap_used)] // a test that cannot go on should stop loudly

mod common;

use common::{assert_problem, file_part, form, server, sha256, Server};
use reqwest::StatusCode;
use serde_json::Value;
use shiftdesk_domain::{
    AgentId, Channel, ContentHash, MessageKind, Role, ServiceStage, TicketNumber, TicketStatus,
    Timestamp,
};
use shiftdesk_protocol::{
    ChangeBody, Mutation, MutationOutcome, MutationRequest, NewAttachment, PortalThread,
};

const DESCRIPTION: &str = "ВМ web-1 не отвечает по SSH с 14:05.\n\n\
    ```\n<script>console.log('our page')</script>\n```\nЛоги приложил.";

fn ticket_form(service: &str) -> reqwest::multipart::Form {
    form(&[
        ("name", "Ольга Смирнова"),
        ("email", "olga@example.ru"),
        ("account_login", "olga-smirnova"),
        ("project", "shop-prod"),
        ("service", service),
        ("category", "resource_diagnostics"),
        ("description", DESCRIPTION),
    ])
}

async fn open(server: &Server, form: reqwest::multipart::Form) -> (i64, String) {
    let (status, _, body) = server.post_form("/portal/v1/tickets", None, form).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let key = body["access_key"].as_str().unwrap().to_owned();
    assert!(key.starts_with("ptk_"));
    (body["ticket"].as_i64().unwrap(), key)
}

async fn portal_thread(server: &Server, number: i64, key: &str) -> PortalThread {
    let (status, _, body) = server
        .get(&format!("/portal/v1/tickets/{number}"), Some(key))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_value(body).unwrap()
}

async fn agent_push(server: &Server, token: &str, number: i64, mutation: Mutation) -> i64 {
    let version = server.ticket(number).await.version;
    let results = server
        .push(
            token,
            &[MutationRequest {
                id: uuid::Uuid::new_v4(),
                ticket: TicketNumber(number),
                base_version: Some(version),
                mutation,
            }],
        )
        .await;
    match &results[0].outcome {
        MutationOutcome::Applied { message, .. } => message.map_or(0, |m| m.0),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_portal_ticket_reaches_the_least_loaded_agent_with_its_files() {
    let server = server().await;
    let log = "14:05:01 sshd[812]: fatal: no hostkey alg\n".repeat(50);
    let screenshot = [0x89u8, b'P', b'N', b'G', 13, 10, 26, 10, 0, 0];
    let form = ticket_form("Compute Cloud")
        .part(
            "attachment",
            file_part("sshd.log", "text/plain", log.as_bytes()),
        )
        .part(
            "attachment",
            file_part("экран.png", "image/png", &screenshot),
        );
    let (number, key) = open(&server, form).await;

    let ticket = server.ticket(number).await;
    assert_eq!(ticket.channel, Channel::Portal);
    assert_eq!(ticket.status, TicketStatus::New);
    assert_eq!(ticket.service.stage, ServiceStage::GeneralAvailability);
    assert_eq!(ticket.subject, "ВМ web-1 не отвечает по SSH с 14:05.");
    // Standard plan, normal priority: the first response is due in 240 minutes.
    assert_eq!(ticket.sla_due_at, Some(ticket.created_at.plus_minutes(240)));
    let loads: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT a.id, count(t.number) FROM agents a LEFT JOIN tickets t ON t.assignee_id = a.id \
         AND json_extract(t.body, '$.status') IN ('new', 'open', 'reopened') AND t.number <> ? \
         WHERE a.role = 'agent' GROUP BY a.id ORDER BY count(t.number), a.id",
    )
    .bind(number)
    .fetch_all(&server.db.readers)
    .await
    .unwrap();
    let assignee = ticket.assignee.unwrap();
    assert_eq!(
        assignee.0, loads[0].0,
        "went to the least-loaded agent: {loads:?}"
    );

    // The assignee pulls it whole: customer, ticket, message, files.
    let token = server.token(assignee).await;
    let changes = server.pull_all(&token, 1000).await;
    let customer = changes.iter().find_map(|c| match &c.body {
        ChangeBody::Customer(c) if c.id == ticket.customer => Some(c.clone()),
        _ => None,
    });
    let customer = customer.expect("the customer comes with the ticket");
    assert_eq!(customer.account_login.as_deref(), Some("olga-smirnova"));
    assert_eq!(customer.project.as_deref(), Some("shop-prod"));
    let message = changes
        .iter()
        .find_map(|c| match &c.body {
            ChangeBody::Message(m) if m.ticket.0 == number => Some(m.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(message.kind, MessageKind::Inbound);
    assert_eq!(message.body, DESCRIPTION);
    let files: Vec<_> = changes
        .iter()
        .filter_map(|c| match &c.body {
            ChangeBody::Attachment(a) if a.message == message.id => Some(a.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(files.len(), 2);
    assert_eq!(files[0].content_hash.as_str(), sha256(log.as_bytes()));
    assert_eq!(files[1].name, "экран.png");
    assert_eq!(files[1].media_type, "image/png");
    let (status, _, bytes) = server
        .fetch(&format!("/v1/attachments/{}", files[0].id.0), &token, &[])
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(bytes, log.as_bytes());

    // The customer sees their own message and files.
    let thread = portal_thread(&server, number, &key).await;
    assert_eq!(thread.messages.len(), 1);
    assert_eq!(thread.messages[0].author_name, "Ольга Смирнова");
    assert_eq!(thread.messages[0].attachments.len(), 2);

    // A returning customer with the same login is the same customer.
    let (again, _) = open(&server, ticket_form("Compute Cloud")).await;
    assert_eq!(server.ticket(again).await.customer, ticket.customer);
}

#[tokio::test]
async fn a_beta_service_ticket_runs_no_sla_clock() {
    let server = server().await;
    let beta: String = sqlx::query_scalar("SELECT name FROM services WHERE stage = 'beta' LIMIT 1")
        .fetch_one(&server.db.readers)
        .await
        .unwrap();
    let (number, _) = open(&server, ticket_form(&beta.to_uppercase())).await;
    let ticket = server.ticket(number).await;
    assert_eq!(ticket.service.name, beta, "found whatever the case");
    assert_eq!(ticket.service.stage, ServiceStage::Beta);
    assert_eq!(ticket.sla_due_at, None);
}

#[tokio::test]
async fn the_customer_sees_public_replies_and_never_notes() {
    let server = server().await;
    let (number, key) = open(&server, ticket_form("Compute Cloud")).await;
    let assignee = server.ticket(number).await.assignee.unwrap();
    let token = server.token(assignee).await;
    let note_file = b"internal: customer on the watch list".to_vec();
    let reply_file = b"runbook: restore sshd host keys".to_vec();
    for bytes in [&note_file, &reply_file] {
        assert_eq!(server.put_file(&token, bytes).await.0, StatusCode::OK);
    }
    let attach = |bytes: &[u8], name: &str| NewAttachment {
        content_hash: ContentHash::try_from(sha256(bytes)).unwrap(),
        name: name.into(),
        media_type: "text/plain".into(),
    };
    agent_push(
        &server,
        &token,
        number,
        Mutation::Note {
            body: "Клиент в списке наблюдения, не обещать сроки.".into(),
            attachments: vec![attach(&note_file, "watch.txt")],
        },
    )
    .await;
    agent_push(
        &server,
        &token,
        number,
        Mutation::Reply {
            channel: Channel::Portal,
            body: "Перезапустите sshd по **инструкции** во вложении.".into(),
            attachments: vec![attach(&reply_file, "runbook.txt")],
            cc: vec![],
        },
    )
    .await;

    let thread = portal_thread(&server, number, &key).await;
    let bodies: Vec<&str> = thread.messages.iter().map(|m| m.body.as_str()).collect();
    assert_eq!(bodies.len(), 2, "{bodies:?}");
    assert!(!bodies.iter().any(|b| b.contains("наблюдения")));
    let reply = &thread.messages[1];
    assert_eq!(reply.from, shiftdesk_protocol::PortalAuthor::Support);
    let agent_name: String =
        sqlx::query_scalar("SELECT json_extract(body, '$.name') FROM agents WHERE id = ?")
            .bind(assignee.0)
            .fetch_one(&server.db.readers)
            .await
            .unwrap();
    assert_eq!(reply.author_name, agent_name);
    let shown = &reply.attachments[0];
    let (status, _, bytes) = server
        .fetch(
            &format!("/portal/v1/tickets/{number}/attachments/{}", shown.id.0),
            &key,
            &[("range", "bytes=0-6")],
        )
        .await;
    assert_eq!(status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(bytes, b"runbook");

    // The note's file exists, but not for the customer.
    let note_attachment: i64 = sqlx::query_scalar(
        "SELECT id FROM attachments WHERE ticket_number = ? AND body LIKE '%watch.txt%'",
    )
    .bind(number)
    .fetch_one(&server.db.readers)
    .await
    .unwrap();
    let (status, _, body) = server
        .fetch(
            &format!("/portal/v1/tickets/{number}/attachments/{note_attachment}"),
            &key,
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body["code"], "attachment.not_found");
}

#[tokio::test]
async fn a_customer_reply_moves_the_ticket_back_to_support() {
    let server = server().await;
    let (number, key) = open(&server, ticket_form("Compute Cloud")).await;
    let assignee = server.ticket(number).await.assignee.unwrap();
    let token = server.token(assignee).await;
    let reply = |body: &str| form(&[("body", body)]);
    let path = format!("/portal/v1/tickets/{number}/messages");

    for (status, after) in [
        (TicketStatus::Pending, TicketStatus::Open),
        (TicketStatus::Solved, TicketStatus::Reopened),
    ] {
        agent_push(&server, &token, number, Mutation::SetStatus { status }).await;
        let version = server.ticket(number).await.version;
        let (s, _, body) = server
            .post_form(&path, Some(&key), reply("Не помогло, всё ещё недоступна."))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{body}");
        assert_eq!(body["from"], "customer");
        let ticket = server.ticket(number).await;
        assert_eq!(ticket.status, after);
        assert_eq!(
            ticket.version,
            version + 1,
            "a status change bumps the version"
        );
        assert!(ticket.sla_due_at.is_some(), "the clock runs again");
    }
    // Every move is logged, the customer's at their message; the first
    // response (nobody answered) is due 240 minutes of running time after
    // opening: the time pending and solved does not count.
    let ticket = server.ticket(number).await;
    let log = &ticket.status_log;
    let moves: Vec<TicketStatus> = log.iter().map(|c| c.status).collect();
    assert_eq!(
        moves,
        [
            TicketStatus::Pending,
            TicketStatus::Open,
            TicketStatus::Solved,
            TicketStatus::Reopened
        ]
    );
    let waited = (log[1].at.0 - log[0].at.0) + (log[3].at.0 - log[2].at.0);
    assert_eq!(
        ticket.sla_due_at,
        Some(Timestamp(ticket.created_at.plus_minutes(240).0 + waited))
    );
    agent_push(
        &server,
        &token,
        number,
        Mutation::SetStatus {
            status: TicketStatus::Solved,
        },
    )
    .await;
    agent_push(
        &server,
        &token,
        number,
        Mutation::SetStatus {
            status: TicketStatus::Closed,
        },
    )
    .await;
    let messages = server.count("messages").await;
    let (s, ct, body) = server
        .post_form(&path, Some(&key), reply("Ещё вопрос"))
        .await;
    assert_problem(s, &ct, &body, StatusCode::CONFLICT, "ticket.closed");
    assert_eq!(server.count("messages").await, messages);
}

#[tokio::test]
async fn an_agent_s_reply_and_status_move_the_due_time_at_once() {
    let server = server().await;
    let (number, _key) = open(&server, ticket_form("Compute Cloud")).await;
    let created = server.ticket(number).await.created_at;
    let assignee = server.ticket(number).await.assignee.unwrap();
    let token = server.token(assignee).await;
    // Standard normal: first response in 240 minutes, resolution in 4320.
    assert_eq!(
        server.ticket(number).await.sla_due_at,
        Some(created.plus_minutes(240))
    );
    let reply = Mutation::Reply {
        channel: Channel::Portal,
        body: "Смотрим, вернёмся с ответом.".into(),
        attachments: vec![],
        cc: vec![],
    };
    agent_push(&server, &token, number, reply).await;
    assert_eq!(
        server.ticket(number).await.sla_due_at,
        Some(created.plus_minutes(4320)),
        "answered: only resolution runs"
    );
    let pending = Mutation::SetStatus {
        status: TicketStatus::Pending,
    };
    agent_push(&server, &token, number, pending).await;
    assert_eq!(
        server.ticket(number).await.sla_due_at,
        None,
        "waiting on the customer: no clock runs"
    );
}

#[tokio::test]
async fn bad_forms_are_refused_whole() {
    let server = server().await;
    let tickets = server.count("tickets").await;
    let customers = server.count("customers").await;
    let without = |skip: &str| {
        let fields: Vec<(&str, &str)> = [
            ("name", "Ivan"),
            ("service", "Compute Cloud"),
            ("category", "billing"),
            ("description", "Invoice question"),
        ]
        .into_iter()
        .filter(|(name, _)| *name != skip)
        .collect();
        form(&fields)
    };
    let cases: Vec<(reqwest::multipart::Form, StatusCode, &str)> = vec![
        (
            without("description"),
            StatusCode::BAD_REQUEST,
            "request.invalid",
        ),
        (without("name"), StatusCode::BAD_REQUEST, "request.invalid"),
        (
            without("x").text("description", "twice"),
            StatusCode::BAD_REQUEST,
            "request.invalid",
        ),
        (
            without("x").text("priority", "urgent"),
            StatusCode::BAD_REQUEST,
            "request.invalid",
        ),
        (
            form(&[
                ("name", "Ivan"),
                ("service", "Quantum Mainframe"),
                ("category", "billing"),
                ("description", "x"),
            ]),
            StatusCode::BAD_REQUEST,
            "request.invalid",
        ),
        (
            form(&[
                ("name", "Ivan"),
                ("service", "Compute Cloud"),
                ("category", "hacking"),
                ("description", "x"),
            ]),
            StatusCode::BAD_REQUEST,
            "request.invalid",
        ),
        (
            form(&[
                ("name", "Ivan\r\nX-Injected: 1"),
                ("service", "Compute Cloud"),
                ("category", "billing"),
                ("description", "x"),
            ]),
            StatusCode::BAD_REQUEST,
            "request.invalid",
        ),
        (
            without("description").text("description", "Hi <script>fetch('//evil')</script>"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "message.active_content",
        ),
        (
            without("description").text("description", "<img src=x onerror=alert(1)>"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "message.active_content",
        ),
        (
            without("description").text("description", "[docs](javascript:alert(1))"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "message.active_content",
        ),
        (
            without("description").part(
                "description",
                reqwest::multipart::Part::bytes(vec![0xff, 0xfe, b'x']),
            ),
            StatusCode::BAD_REQUEST,
            "request.not_utf8",
        ),
        (
            without("description").text("description", "x".repeat(64 * 1024 + 1)),
            StatusCode::UNPROCESSABLE_ENTITY,
            "message.invalid",
        ),
        (
            (0..11).fold(without("x"), |f, i| {
                f.part(
                    "attachment",
                    file_part(&format!("{i}.log"), "text/plain", b"x"),
                )
            }),
            StatusCode::BAD_REQUEST,
            "request.invalid",
        ),
        (
            without("x").part("attachment", file_part("a\u{0}.log", "text/plain", b"x")),
            StatusCode::BAD_REQUEST,
            "request.invalid",
        ),
    ];
    for (form, status, code) in cases {
        let (s, ct, body) = server.post_form("/portal/v1/tickets", None, form).await;
        assert_problem(s, &ct, &body, status, code);
    }
    // Not a form at all.
    let (s, ct, body) = server
        .post("/portal/v1/tickets", "", br#"{"name":"Ivan"}"#.to_vec())
        .await;
    assert_problem(s, &ct, &body, StatusCode::BAD_REQUEST, "request.invalid");
    // A file over the limit.
    let big = vec![b'x'; 50 * 1024 * 1024 + 1];
    let (s, ct, body) = server
        .post_form(
            "/portal/v1/tickets",
            None,
            without("x").part(
                "attachment",
                file_part("core.dump", "application/octet-stream", &big),
            ),
        )
        .await;
    assert_problem(
        s,
        &ct,
        &body,
        StatusCode::PAYLOAD_TOO_LARGE,
        "attachment.too_large",
    );

    assert_eq!(server.count("tickets").await, tickets);
    assert_eq!(server.count("customers").await, customers);
    assert_eq!(server.count("portal_keys").await, 0);
}

#[tokio::test]
async fn an_access_key_opens_its_own_ticket_only() {
    let server = server().await;
    let (first, key) = open(&server, ticket_form("Compute Cloud")).await;
    let (second, _) = open(&server, ticket_form("Compute Cloud")).await;
    let agent = server.token(AgentId(2)).await;
    let lead_id: i64 = sqlx::query_scalar("SELECT id FROM agents WHERE role = ?")
        .bind(Role::Lead.code())
        .fetch_one(&server.db.readers)
        .await
        .unwrap();
    let lead = server.token(AgentId(lead_id)).await;
    for (path, credential, status, code) in [
        (
            format!("/portal/v1/tickets/{second}"),
            key.as_str(),
            StatusCode::NOT_FOUND,
            "ticket.not_found",
        ),
        (
            format!("/portal/v1/tickets/{first}"),
            "ptk_0000",
            StatusCode::UNAUTHORIZED,
            "auth.unauthenticated",
        ),
        // An agent's token is not a portal key, and a portal key is no token.
        (
            format!("/portal/v1/tickets/{first}"),
            agent.as_str(),
            StatusCode::UNAUTHORIZED,
            "auth.unauthenticated",
        ),
        (
            format!("/portal/v1/tickets/{first}"),
            lead.as_str(),
            StatusCode::UNAUTHORIZED,
            "auth.unauthenticated",
        ),
        (
            "/v1/changes".to_owned(),
            key.as_str(),
            StatusCode::UNAUTHORIZED,
            "auth.unauthenticated",
        ),
        (
            format!("/portal/v1/tickets/{first}x"),
            key.as_str(),
            StatusCode::BAD_REQUEST,
            "request.invalid",
        ),
    ] {
        let (s, ct, body) = server.get(&path, Some(credential)).await;
        assert_problem(s, &ct, &body, status, code);
    }
    let (s, ct, body) = server
        .post_form(
            &format!("/portal/v1/tickets/{second}/messages"),
            Some(&key),
            form(&[("body", "not my ticket")]),
        )
        .await;
    assert_problem(s, &ct, &body, StatusCode::NOT_FOUND, "ticket.not_found");
}
