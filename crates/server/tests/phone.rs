//! The phone channel against the real server on a loopback port: the
//! telephony webhook's calls become call records on the caller's open
//! ticket or a new one, once each whatever the order and number of their
//! events; bad events are refused with a problem and store nothing. And
//! the agents' side: callbacks on call logs, no replies on the phone.

#![allow(clippy::unwrap_used)] // a test that cannot go on should stop loudly

mod common;

use common::{assert_problem, server, server_with, Server};
use reqwest::StatusCode;
use serde_json::{json, Value};
use shiftdesk_domain::{
    CallDirection, CallOutcome, CallRecord, Channel, Message, MessageKind, Ticket, TicketStatus,
    Timestamp,
};
use shiftdesk_protocol::{ChangeBody, Mutation, MutationOutcome, MutationRequest};
use shiftdesk_server::channels::phone::PhoneSettings;
use uuid::Uuid;

const SECRET: &str = "whsec_test_0123456789";
const EVENTS: &str = "/v1/channels/phone/events";
/// The demo desk's clock is in 2026; the server's is now.
fn now() -> i64 {
    shiftdesk_server::now().0
}

async fn phone_server() -> Server {
    server_with(|state| {
        state.with_phone(PhoneSettings {
            webhook_secret: SECRET.into(),
        })
    })
    .await
}

fn event(call_id: &str, event: &str, direction: &str, caller: &str, at: i64) -> Value {
    json!({ "call_id": call_id, "event": event, "direction": direction, "caller": caller, "at": at })
}

impl Server {
    async fn call_event(&self, event: &Value) -> Value {
        let (status, _, answer) = self
            .post(EVENTS, SECRET, serde_json::to_vec(event).unwrap())
            .await;
        assert_eq!(status, StatusCode::ACCEPTED, "{event} → {answer}");
        answer
    }

    /// A whole answered call of `secs` seconds; its answer to `hung_up`.
    async fn answered_call(&self, id: &str, direction: &str, caller: &str, secs: i64) -> Value {
        let at = now() - secs * 1000 - 5_000;
        self.call_event(&event(id, "ringing", direction, caller, at))
            .await;
        self.call_event(&event(id, "answered", direction, caller, at + 5_000))
            .await;
        self.call_event(&event(
            id,
            "hung_up",
            direction,
            caller,
            at + 5_000 + secs * 1000,
        ))
        .await
    }

    async fn message(&self, id: i64) -> Message {
        let body: String = sqlx::query_scalar("SELECT body FROM messages WHERE id = ?")
            .bind(id)
            .fetch_one(&self.db.readers)
            .await
            .unwrap();
        serde_json::from_str(&body).unwrap()
    }

    /// The call records the webhook wrote.
    async fn call_records(&self) -> i64 {
        sqlx::query_scalar(
            "SELECT count(*) FROM channel_refs r JOIN messages m ON m.id = r.message_id \
             WHERE r.channel = 'phone' AND json_extract(m.body, '$.kind.kind') = 'call_log'",
        )
        .fetch_one(&self.db.readers)
        .await
        .unwrap()
    }

    /// Row counts of everything an event could write.
    async fn stored(&self) -> Vec<i64> {
        let mut counts = Vec::new();
        for table in [
            "calls",
            "channel_refs",
            "messages",
            "tickets",
            "customers",
            "changes",
        ] {
            counts.push(self.count(table).await);
        }
        counts
    }
}

fn call_of(message: &Message) -> &CallRecord {
    match &message.kind {
        MessageKind::CallLog { call } => call,
        other => panic!("not a call log: {other:?}"),
    }
}

#[tokio::test]
async fn a_call_from_a_new_number_opens_a_ticket_its_agent_pulls_with_the_call_record() {
    let server = phone_server().await;
    let answer = server
        .answered_call("call-1", "inbound", "+7 912 345-67-89", 192)
        .await;
    assert_eq!(answer["state"], "recorded");
    assert_eq!(answer["changed"], true);
    let number = answer["ticket"].as_i64().unwrap();
    let message_id = answer["message"].as_i64().unwrap();

    let ticket = server.ticket(number).await;
    assert_eq!(ticket.channel, Channel::Phone);
    assert_eq!(ticket.status, TicketStatus::New);
    assert_eq!(ticket.service.name, shiftdesk_domain::Service::NOT_STATED);
    let agent = ticket.assignee.expect("intake assigns the new ticket");
    let record = server.message(message_id).await;
    assert_eq!(record.channel, Channel::Phone);
    assert_eq!(record.ticket, ticket.number);
    assert_eq!(
        call_of(&record),
        &CallRecord {
            direction: CallDirection::Inbound,
            duration_secs: 192,
            outcome: CallOutcome::Answered,
            callback_at: None,
        }
    );
    assert_eq!(
        record.body,
        "Inbound call from +7 912 345-67-89, 3 min 12 s"
    );

    // The assigned agent pulls the ticket, its customer and the record.
    let token = server.token(agent).await;
    let changes = server.pull_all(&token, 500).await;
    let pulled_record = changes
        .iter()
        .any(|c| matches!(&c.body, ChangeBody::Message(m) if m.id.0 == message_id && m == &record));
    assert!(pulled_record, "the call record reaches the agent");
    let customer = changes
        .iter()
        .find_map(|c| match &c.body {
            ChangeBody::Customer(c) if c.id == ticket.customer => Some(c.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(customer.name, "Caller +7 912 345-67-89");
    assert_eq!(customer.phone.as_deref(), Some("+79123456789"));
    let pulled_ticket: Option<Ticket> = changes.iter().rev().find_map(|c| match &c.body {
        ChangeBody::Ticket(t) if t.number == ticket.number => Some(t.clone()),
        _ => None,
    });
    assert_eq!(pulled_ticket.unwrap(), ticket);

    // The call answered the customer: only the resolution clock runs
    // (standard plan, normal priority: 4320 minutes).
    assert_eq!(
        ticket.sla_due_at,
        Some(ticket.created_at.plus_minutes(4320))
    );
}

#[tokio::test]
async fn calls_from_one_number_share_its_open_ticket_until_it_is_closed() {
    let server = phone_server().await;
    let first = server
        .answered_call("a-1", "inbound", "+44 7700 900123", 60)
        .await;
    let number = first["ticket"].as_i64().unwrap();
    // The same number, grouped otherwise; support calls back.
    let second = server
        .answered_call("a-2", "outbound", "+44 (7700) 900-123", 30)
        .await;
    assert_eq!(second["ticket"], number);
    let record = server.message(second["message"].as_i64().unwrap()).await;
    assert_eq!(call_of(&record).direction, CallDirection::Outbound);
    assert_eq!(record.body, "Outbound call to +44 (7700) 900-123, 30 s");
    assert_eq!(
        server
            .count("customers WHERE json_extract(body, '$.phone') = '+447700900123'")
            .await,
        1
    );

    // Closed: the next call opens a new ticket for the same customer.
    sqlx::query("UPDATE tickets SET body = json_set(body, '$.status', 'closed') WHERE number = ?")
        .bind(number)
        .execute(&server.db.writer)
        .await
        .unwrap();
    let third = server
        .answered_call("a-3", "inbound", "+447700900123", 10)
        .await;
    let new_number = third["ticket"].as_i64().unwrap();
    assert_ne!(new_number, number);
    assert_eq!(
        server.ticket(new_number).await.customer,
        server.ticket(number).await.customer
    );
}

#[tokio::test]
async fn a_call_from_a_known_customers_number_lands_on_their_open_ticket() {
    let server = phone_server().await;
    // A demo customer with a phone number and a ticket that is not closed.
    let phone: String = sqlx::query_scalar(
        "SELECT json_extract(c.body, '$.phone') FROM tickets t \
         JOIN customers c ON c.id = t.customer_id \
         WHERE json_extract(c.body, '$.phone') IS NOT NULL \
         AND json_extract(t.body, '$.status') != 'closed' ORDER BY t.number DESC LIMIT 1",
    )
    .fetch_one(&server.db.readers)
    .await
    .unwrap();
    let latest: i64 = sqlx::query_scalar(
        "SELECT max(t.number) FROM tickets t JOIN customers c ON c.id = t.customer_id \
         WHERE json_extract(c.body, '$.phone') = ? AND json_extract(t.body, '$.status') != 'closed'",
    )
    .bind(&phone)
    .fetch_one(&server.db.readers)
    .await
    .unwrap();
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let answer = server
        .answered_call("known-1", "inbound", &format!("+{digits}"), 75)
        .await;
    assert_eq!(answer["ticket"], latest);
}

#[tokio::test]
async fn replayed_and_out_of_order_events_make_one_record() {
    let server = phone_server().await;
    let caller = "+1 415 555 0100";
    let t = now() - 600_000;

    // Replays: every event twice; one record, and the replays say so.
    let ringing = event("r-1", "ringing", "inbound", caller, t);
    let answered = event("r-1", "answered", "inbound", caller, t + 4_000);
    let hung_up = event("r-1", "hung_up", "inbound", caller, t + 64_000);
    assert_eq!(server.call_event(&ringing).await["changed"], true);
    assert_eq!(server.call_event(&ringing).await["changed"], false);
    assert_eq!(server.call_event(&answered).await["state"], "answered");
    assert_eq!(server.call_event(&answered).await["changed"], false);
    let first = server.call_event(&hung_up).await;
    for replay in [&hung_up, &answered, &ringing] {
        let again = server.call_event(replay).await;
        assert_eq!(again["changed"], false);
        assert_eq!(again["state"], "recorded");
        assert_eq!(again["message"], first["message"]);
        assert_eq!(again["ticket"], first["ticket"]);
    }
    assert_eq!(server.call_records().await, 1);
    let record = server.message(first["message"].as_i64().unwrap()).await;
    assert_eq!(call_of(&record).duration_secs, 60);

    // Answered before ringing: the answer still times the call.
    server
        .call_event(&event("r-2", "answered", "inbound", caller, t + 1_000))
        .await;
    let late_ringing = server
        .call_event(&event("r-2", "ringing", "inbound", caller, t))
        .await;
    assert_eq!(late_ringing["state"], "answered");
    let second = server
        .call_event(&event("r-2", "hung_up", "inbound", caller, t + 11_000))
        .await;
    let call = call_of(&server.message(second["message"].as_i64().unwrap()).await).clone();
    assert_eq!(
        (call.duration_secs, call.outcome),
        (10, CallOutcome::Answered)
    );

    // Hung up before the answer arrives (or with no other event at all):
    // recorded from what is known then; the late answer changes nothing.
    let early = server
        .call_event(&event("r-3", "hung_up", "outbound", caller, t + 30_000))
        .await;
    assert_eq!(early["changed"], true);
    let late = server
        .call_event(&event("r-3", "answered", "outbound", caller, t + 2_000))
        .await;
    assert_eq!(late["changed"], false);
    assert_eq!(late["message"], early["message"]);
    let call = call_of(&server.message(early["message"].as_i64().unwrap()).await).clone();
    assert_eq!(
        (call.duration_secs, call.outcome),
        (0, CallOutcome::NoAnswer)
    );
    assert_eq!(server.call_records().await, 3);
    // All three calls from one number are on one ticket.
    assert_eq!(first["ticket"], second["ticket"]);
    assert_eq!(first["ticket"], early["ticket"]);

    // An event that names another number for a known call is refused.
    let (status, content_type, body) = server
        .post(
            EVENTS,
            SECRET,
            serde_json::to_vec(&event("r-3", "hung_up", "outbound", "+1 415 555 0199", t)).unwrap(),
        )
        .await;
    assert_problem(
        status,
        &content_type,
        &body,
        StatusCode::CONFLICT,
        "call.mismatch",
    );
}

#[tokio::test]
async fn a_missed_call_is_recorded_with_its_outcome_and_asks_for_a_response() {
    let server = phone_server().await;
    let t = now() - 60_000;
    let caller = "+49 151 03456789";
    server
        .call_event(&event("m-1", "ringing", "inbound", caller, t))
        .await;
    let mut hung_up = event("m-1", "hung_up", "inbound", caller, t + 20_000);
    hung_up["outcome"] = json!("busy");
    let answer = server.call_event(&hung_up).await;
    let record = server.message(answer["message"].as_i64().unwrap()).await;
    assert_eq!(
        call_of(&record),
        &CallRecord {
            direction: CallDirection::Inbound,
            duration_secs: 0,
            outcome: CallOutcome::Busy,
            callback_at: None,
        }
    );
    assert_eq!(
        record.body,
        "Missed inbound call from +49 151 03456789: busy"
    );
    // Nobody talked to the customer: the first response is still due
    // (standard plan, normal priority: 240 minutes).
    let ticket = server.ticket(answer["ticket"].as_i64().unwrap()).await;
    assert_eq!(ticket.sla_due_at, Some(ticket.created_at.plus_minutes(240)));

    // No outcome given: no answer.
    let answer = server
        .call_event(&event("m-2", "hung_up", "inbound", caller, t + 30_000))
        .await;
    let record = server.message(answer["message"].as_i64().unwrap()).await;
    assert_eq!(call_of(&record).outcome, CallOutcome::NoAnswer);
    assert_eq!(answer["ticket"], ticket.number.0);
}

#[tokio::test]
async fn the_webhook_needs_its_secret() {
    let server = phone_server().await;
    let before = server.stored().await;
    let body =
        serde_json::to_vec(&event("s-1", "hung_up", "inbound", "+79123456789", now())).unwrap();
    for secret in [
        "wrong",
        "whsec_test_012345678",
        "whsec_test_01234567890",
        "sdk_x",
    ] {
        let (status, content_type, answer) = server.post(EVENTS, secret, body.clone()).await;
        assert_problem(
            status,
            &content_type,
            &answer,
            StatusCode::UNAUTHORIZED,
            "auth.unauthenticated",
        );
    }
    let response = server
        .http
        .post(format!("{}{EVENTS}", server.base))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    // An agent's token is not the webhook's secret either.
    let token = server.token(shiftdesk_demo::ME).await;
    let (status, _, _) = server
        .post(
            EVENTS,
            &token,
            serde_json::to_vec(&event("s-1", "hung_up", "inbound", "+79123456789", now())).unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(server.stored().await, before);
}

#[tokio::test]
async fn bad_events_are_refused_with_a_problem_and_store_nothing() {
    let server = phone_server().await;
    let before = server.stored().await;
    let good = event("b-1", "hung_up", "inbound", "+79123456789", now());
    let with = |field: &str, value: Value| {
        let mut e = good.clone();
        e[field] = value;
        serde_json::to_vec(&e).unwrap()
    };
    let without = |field: &str| {
        let mut e = good.clone();
        e.as_object_mut().unwrap().remove(field);
        serde_json::to_vec(&e).unwrap()
    };
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("not JSON", b"{\"call_id\": ".to_vec(), "request.invalid"),
        ("empty", Vec::new(), "request.invalid"),
        ("null", b"null".to_vec(), "request.invalid"),
        ("an array", b"[]".to_vec(), "request.invalid"),
        ("not UTF-8", b"{\"call_id\": \"\xff\xfe\"}".to_vec(), "request.not_utf8"),
        ("unknown event", with("event", json!("transferred")), "request.invalid"),
        ("unknown direction", with("direction", json!("sideways")), "request.invalid"),
        ("unknown outcome", with("outcome", json!("hung_up_on")), "request.invalid"),
        ("answered as outcome", with("outcome", json!("answered")), "request.invalid"),
        (
            "outcome on ringing",
            serde_json::to_vec(&json!({ "call_id": "b-1", "event": "ringing", "direction": "inbound",
                "caller": "+79123456789", "at": now(), "outcome": "busy" }))
            .unwrap(),
            "request.invalid",
        ),
        ("unknown field", with("agent", json!("Ivanov")), "request.invalid"),
        ("missing caller", without("caller"), "request.invalid"),
        ("missing call_id", without("call_id"), "request.invalid"),
        ("letters in the number", with("caller", json!("+7 912 ABC-67-89")), "request.invalid"),
        ("too few digits", with("caller", json!("+7 12")), "request.invalid"),
        ("too many digits", with("caller", json!("+1234567890123456789012")), "request.invalid"),
        ("non-ASCII digits", with("caller", json!("+٧٩١٢٣٤٥٦٧٨٩")), "request.invalid"),
        ("a control character", with("caller", json!("+7912\u{0}3456789")), "request.invalid"),
        ("a newline", with("caller", json!("+7912\n3456789")), "request.invalid"),
        ("SQL", with("caller", json!("+79123456789' OR 1=1 --")), "request.invalid"),
        ("a number as caller", with("caller", json!(79123456789_i64)), "request.invalid"),
        ("an empty call id", with("call_id", json!("")), "request.invalid"),
        ("a call id with a space", with("call_id", json!("a b")), "request.invalid"),
        ("a unicode call id", with("call_id", json!("звонок-1")), "request.invalid"),
        ("a long call id", with("call_id", json!("x".repeat(129))), "request.invalid"),
        ("a negative time", with("at", json!(-1)), "request.invalid"),
        ("a time past i64", b"{\"call_id\":\"b-1\",\"event\":\"hung_up\",\"direction\":\"inbound\",\"caller\":\"+79123456789\",\"at\":99999999999999999999999}".to_vec(), "request.invalid"),
        ("a fractional time", with("at", json!(1.5)), "request.invalid"),
        ("a time far ahead", with("at", json!(now() + 3 * 86_400_000)), "request.invalid"),
        ("a string time", with("at", json!("yesterday")), "request.invalid"),
    ];
    for (what, body, code) in cases {
        let (status, content_type, answer) = server.post(EVENTS, SECRET, body).await;
        assert_problem(
            status,
            &content_type,
            &answer,
            StatusCode::BAD_REQUEST,
            code,
        );
        assert!(!answer["detail"].as_str().unwrap().is_empty(), "{what}");
    }
    // Oversized: a 20 KiB event.
    let (status, content_type, answer) = server
        .post(
            EVENTS,
            SECRET,
            with("call_id", json!("x".repeat(20 * 1024))),
        )
        .await;
    assert_problem(
        status,
        &content_type,
        &answer,
        StatusCode::PAYLOAD_TOO_LARGE,
        "request.too_large",
    );
    assert_eq!(server.stored().await, before, "nothing was stored");
    // And the good event still goes through afterwards.
    server.call_event(&good).await;
    assert_eq!(server.call_records().await, 1);
}

#[tokio::test]
async fn twenty_concurrent_calls_make_twenty_records() {
    let server = std::sync::Arc::new(phone_server().await);
    let t = now() - 300_000;
    let calls = (0..20).map(|i| {
        let server = std::sync::Arc::clone(&server);
        async move {
            let id = format!("c-{i}");
            let caller = format!("+7 900 000-00-{i:02}");
            let at = t + i * 1_000;
            let ringing = event(&id, "ringing", "inbound", &caller, at);
            let answered = event(&id, "answered", "inbound", &caller, at + 2_000);
            let hung_up = event(&id, "hung_up", "inbound", &caller, at + 2_000 + i * 1_000);
            server.call_event(&ringing).await;
            server.call_event(&answered).await;
            // The provider retries the hang-up at once: still one record.
            let (a, b) = tokio::join!(server.call_event(&hung_up), server.call_event(&hung_up));
            assert_eq!(a["message"], b["message"]);
            assert_ne!(a["changed"], b["changed"], "exactly one of them recorded");
            a["message"].as_i64().unwrap()
        }
    });
    let mut messages = futures_util::future::join_all(calls).await;
    messages.sort_unstable();
    messages.dedup();
    assert_eq!(messages.len(), 20);
    assert_eq!(server.call_records().await, 20);
    assert_eq!(server.count("calls").await, 20);
    let tickets: i64 = sqlx::query_scalar(
        "SELECT count(DISTINCT ticket_number) FROM messages \
         WHERE id IN (SELECT message_id FROM channel_refs WHERE channel = 'phone')",
    )
    .fetch_one(&server.db.readers)
    .await
    .unwrap();
    assert_eq!(tickets, 20, "twenty numbers, twenty new tickets");
}

#[tokio::test]
async fn a_server_without_the_phone_channel_says_the_webhook_is_not_configured() {
    let server = server().await;
    let (status, content_type, answer) = server
        .post(
            EVENTS,
            SECRET,
            serde_json::to_vec(&event("n-1", "ringing", "inbound", "+79123456789", now())).unwrap(),
        )
        .await;
    assert_problem(
        status,
        &content_type,
        &answer,
        StatusCode::NOT_FOUND,
        "request.not_found",
    );
    assert!(
        answer["detail"]
            .as_str()
            .unwrap()
            .contains("not configured"),
        "{answer}"
    );
}

fn request(ticket: i64, mutation: Mutation) -> MutationRequest {
    MutationRequest {
        id: Uuid::new_v4(),
        ticket: shiftdesk_domain::TicketNumber(ticket),
        base_version: None,
        mutation,
    }
}

fn call_log(callback_at: Option<i64>) -> Mutation {
    Mutation::CallLog {
        call: CallRecord {
            direction: CallDirection::Outbound,
            duration_secs: 0,
            outcome: CallOutcome::NoAnswer,
            callback_at: callback_at.map(Timestamp),
        },
        notes: "Не дозвонился, перезвоню завтра в 10:00".into(),
    }
}

#[tokio::test]
async fn an_agent_logs_a_call_with_a_callback_within_thirty_days_and_a_late_push_keeps_a_passed_one(
) {
    let server = server().await;
    let token = server.token(shiftdesk_demo::ME).await;
    let (number, _) = server.my_open_ticket().await;
    let tomorrow = now() + 86_400_000;
    let day = 86_400_000;
    let results = server
        .push(
            &token,
            &[
                request(number, call_log(Some(tomorrow))),
                request(number, call_log(Some(now() - day))),
                request(number, call_log(Some(now() + 31 * day))),
                request(number, call_log(None)),
            ],
        )
        .await;
    let MutationOutcome::Applied {
        message: Some(id), ..
    } = &results[0].outcome
    else {
        panic!("{:?}", results[0])
    };
    let stored = server.message(id.0).await;
    assert_eq!(call_of(&stored).callback_at, Some(Timestamp(tomorrow)));
    assert_eq!(stored.channel, Channel::Phone);
    // A callback that passed while the console was offline is kept as
    // the agent promised it; one beyond 30 days is a mistake.
    assert!(
        matches!(results[1].outcome, MutationOutcome::Applied { .. }),
        "{:?}",
        results[1]
    );
    let MutationOutcome::Rejected { problem } = &results[2].outcome else {
        panic!("{:?}", results[2])
    };
    assert_eq!(problem.code.code(), "call.callback_out_of_range");
    assert_eq!(problem.status, 422);
    assert!(matches!(
        results[3].outcome,
        MutationOutcome::Applied {
            message: Some(_),
            ..
        }
    ));
}

#[tokio::test]
async fn a_reply_on_the_phone_channel_is_refused_and_points_at_the_call_log() {
    let server = server().await;
    let token = server.token(shiftdesk_demo::ME).await;
    let (number, _) = server.my_open_ticket().await;
    let messages = server.count("messages").await;
    let reply = request(
        number,
        Mutation::Reply {
            channel: Channel::Phone,
            body: "Перезвонили клиенту".into(),
            attachments: vec![],
            cc: vec![],
        },
    );
    let results = server.push(&token, std::slice::from_ref(&reply)).await;
    let MutationOutcome::Rejected { problem } = &results[0].outcome else {
        panic!("{:?}", results[0])
    };
    assert_eq!(problem.code.code(), "message.phone_reply");
    assert!(
        problem.detail.contains("log the call"),
        "{}",
        problem.detail
    );
    // A replay answers the same, and nothing was stored.
    let again = server.push(&token, &[reply]).await;
    assert_eq!(again[0].outcome, results[0].outcome);
    assert_eq!(server.count("messages").await, messages);
}
