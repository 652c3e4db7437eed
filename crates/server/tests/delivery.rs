//! The queue of replies going out through channel gateways: replies on
//! Telegram and email are queued, portal replies and notes are not; an
//! outcome reaches the agent's cache by pull; a failed reply can be sent
//! again by an agent, and nothing else can.

#![allow(clippy::unwrap_used)] // a test that cannot go on should stop loudly

mod common;

use common::{server, Server};
use shiftdesk_domain::{Channel, DeliveryState, MessageId, TicketNumber};
use shiftdesk_protocol::{ErrorCode, Mutation, MutationOutcome};
use shiftdesk_server::channels::delivery::{self, Attempt, MAX_ATTEMPTS};
use shiftdesk_server::now;

async fn reply(server: &Server, token: &str, ticket: i64, channel: Channel) -> MessageId {
    let outcome = server
        .push_one(
            token,
            ticket,
            Mutation::Reply {
                channel,
                body: format!("Ответ по {}", channel.code()),
                attachments: vec![],
                cc: vec![],
            },
        )
        .await;
    match outcome {
        MutationOutcome::Applied {
            message: Some(id), ..
        } => id,
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn channel_replies_queue_and_their_outcome_reaches_the_agent() {
    let server = server().await;
    let token = server.token(shiftdesk_demo::ME).await;
    let (ticket, _) = server.my_open_ticket().await;
    let before = server.count("deliveries").await;
    let telegram = reply(&server, &token, ticket, Channel::Telegram).await;
    let email = reply(&server, &token, ticket, Channel::Email).await;
    reply(&server, &token, ticket, Channel::Portal).await;
    server
        .push_one(
            &token,
            ticket,
            Mutation::Note {
                body: "заметка".into(),
                attachments: vec![],
            },
        )
        .await;
    assert_eq!(server.count("deliveries").await, before + 2);

    let due = delivery::due(&server.db, Channel::Telegram, now(), 100)
        .await
        .unwrap();
    let out = due.iter().find(|o| o.message.id == telegram).unwrap();
    assert_eq!(out.ticket.number, TicketNumber(ticket));
    assert_eq!(out.parts_sent, 0);
    assert!(!delivery::due(&server.db, Channel::Email, now(), 100)
        .await
        .unwrap()
        .iter()
        .any(|o| o.message.id == telegram));

    let settled = delivery::settle(
        &server.db,
        out,
        Attempt::Delivered {
            peer_ref: "41,42".into(),
        },
        now(),
    )
    .await
    .unwrap();
    assert!(settled);
    assert_eq!(
        server.pulled_delivery(&token, telegram).await,
        DeliveryState::Delivered
    );
    assert_eq!(
        server.pulled_delivery(&token, email).await,
        DeliveryState::Queued
    );
    assert!(!delivery::due(&server.db, Channel::Telegram, now(), 100)
        .await
        .unwrap()
        .iter()
        .any(|o| o.message.id == telegram));
}

#[tokio::test]
async fn unanswered_attempts_back_off_then_fail_and_an_agent_can_retry() {
    let server = server().await;
    let token = server.token(shiftdesk_demo::ME).await;
    let (ticket, _) = server.my_open_ticket().await;
    let id = reply(&server, &token, ticket, Channel::Email).await;
    let mut clock = now();
    for attempt in 1..=MAX_ATTEMPTS {
        let due = delivery::due(&server.db, Channel::Email, clock, 100)
            .await
            .unwrap();
        let out = due
            .iter()
            .find(|o| o.message.id == id)
            .expect("due again after its backoff");
        let settled = delivery::settle(
            &server.db,
            out,
            Attempt::Unanswered {
                reason: "connection refused".into(),
                retry_after_ms: None,
            },
            clock,
        )
        .await
        .unwrap();
        assert_eq!(settled, attempt == MAX_ATTEMPTS, "attempt {attempt}");
        // Not due again at once: it waits its backoff.
        assert!(!delivery::due(&server.db, Channel::Email, clock, 100)
            .await
            .unwrap()
            .iter()
            .any(|o| o.message.id == id));
        clock = clock.plus_minutes(11);
    }
    let failed = server.pulled_delivery(&token, id).await;
    assert_eq!(
        failed,
        DeliveryState::Failed {
            reason: format!("no answer after {MAX_ATTEMPTS} attempts: connection refused")
        }
    );

    // The agent retries: queued again, due now, and shown as queued.
    let outcome = server
        .push_one(&token, ticket, Mutation::RetryDelivery { message: id })
        .await;
    assert!(
        matches!(outcome, MutationOutcome::Applied { message: Some(m), .. } if m == id),
        "{outcome:?}"
    );
    assert_eq!(
        server.pulled_delivery(&token, id).await,
        DeliveryState::Queued
    );
    let due = delivery::due(&server.db, Channel::Email, now(), 100)
        .await
        .unwrap();
    assert_eq!(due.iter().find(|o| o.message.id == id).unwrap().attempts, 0);

    // Only a failed reply can be retried: not a queued one, not a note,
    // not a message of another ticket.
    let again = server
        .push_one(&token, ticket, Mutation::RetryDelivery { message: id })
        .await;
    let refused = |outcome: &MutationOutcome, code: ErrorCode| matches!(outcome, MutationOutcome::Rejected { problem } if problem.code == code);
    assert!(refused(&again, ErrorCode::NotRetryable), "{again:?}");
    let other: i64 = sqlx::query_scalar(
        "SELECT number FROM tickets WHERE number != ? AND assignee_id = ? LIMIT 1",
    )
    .bind(ticket)
    .bind(shiftdesk_demo::ME.0)
    .fetch_one(&server.db.readers)
    .await
    .unwrap();
    let elsewhere = server
        .push_one(&token, other, Mutation::RetryDelivery { message: id })
        .await;
    assert!(refused(&elsewhere, ErrorCode::NotFound), "{elsewhere:?}");
}

#[tokio::test]
async fn a_refusal_fails_at_once_with_the_peers_words() {
    let server = server().await;
    let token = server.token(shiftdesk_demo::ME).await;
    let (ticket, _) = server.my_open_ticket().await;
    let id = reply(&server, &token, ticket, Channel::Telegram).await;
    let due = delivery::due(&server.db, Channel::Telegram, now(), 100)
        .await
        .unwrap();
    let out = due.iter().find(|o| o.message.id == id).unwrap();
    let reason = "Forbidden: bot was blocked by the user".to_owned();
    assert!(delivery::settle(
        &server.db,
        out,
        Attempt::Refused {
            reason: reason.clone()
        },
        now()
    )
    .await
    .unwrap());
    assert_eq!(
        server.pulled_delivery(&token, id).await,
        DeliveryState::Failed { reason }
    );
}
