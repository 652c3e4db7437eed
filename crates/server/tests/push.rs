//! Pushing mutations: each applied exactly once, conflicts on stale edits,
//! scope enforced, bad input refused with nothing stored.

#![allow(clippy::unwrap_used)] // a test that cannot go on should stop loudly

mod common;

use common::{assert_problem, server};
use reqwest::StatusCode;
use shiftdesk_domain::{
    AgentId, CallDirection, CallOutcome, CallRecord, Channel, Priority, TicketNumber, TicketStatus,
};
use shiftdesk_protocol::{ChangeBody, Mutation, MutationOutcome, MutationRequest};
use uuid::Uuid;

fn request(ticket: i64, base_version: Option<i64>, mutation: Mutation) -> MutationRequest {
    MutationRequest {
        id: Uuid::new_v4(),
        ticket: TicketNumber(ticket),
        base_version,
        mutation,
    }
}

#[tokio::test]
async fn replaying_every_mutation_of_a_batch_changes_nothing() {
    let server = server().await;
    let token = server.token(shiftdesk_demo::ME).await;
    let (number, version) = server.my_open_ticket().await;
    let call = CallRecord {
        direction: CallDirection::Outbound,
        duration_secs: 240,
        outcome: CallOutcome::Answered,
        callback_at: None,
    };
    let batch = vec![
        request(
            number,
            None,
            Mutation::Reply {
                channel: Channel::Telegram,
                body: "Перезапустили узел, проверьте 🙏".into(),
                attachments: vec![],
                cc: vec![],
            },
        ),
        request(
            number,
            None,
            Mutation::Note {
                body: "<script>alert(1)</script> клиент на связи".into(),
                attachments: vec![],
            },
        ),
        request(
            number,
            None,
            Mutation::CallLog {
                call,
                notes: "Договорились о перезвоне".into(),
            },
        ),
        request(
            number,
            Some(version),
            Mutation::SetPriority {
                priority: Priority::Urgent,
            },
        ),
        request(
            number,
            Some(version + 1),
            Mutation::SetTags {
                tags: vec!["vip".into(), " vip ".into(), "диск".into()],
            },
        ),
        request(
            number,
            Some(version + 2),
            Mutation::SetStatus {
                status: TicketStatus::Pending,
            },
        ),
    ];
    let first = server.push(&token, &batch).await;
    for result in &first {
        assert!(
            matches!(result.outcome, MutationOutcome::Applied { .. }),
            "{result:?}"
        );
    }
    let after_first = (
        server.count("messages").await,
        server.count("changes").await,
        server.ticket(number).await,
    );
    assert_eq!(after_first.2.version, version + 3);
    assert_eq!(
        after_first.2.tags,
        vec!["vip".to_owned(), "диск".to_owned()]
    );
    assert_eq!(after_first.2.status, TicketStatus::Pending);

    let replay = server.push(&token, &batch).await;
    for (again, once) in replay.iter().zip(&first) {
        let (
            MutationOutcome::Duplicate {
                ticket_version: v2,
                message: m2,
            },
            MutationOutcome::Applied {
                ticket_version: v1,
                message: m1,
            },
        ) = (&again.outcome, &once.outcome)
        else {
            panic!("replay answered {again:?}");
        };
        assert_eq!((v2, m2), (v1, m1), "the first result, unchanged");
    }
    let after_replay = (
        server.count("messages").await,
        server.count("changes").await,
        server.ticket(number).await,
    );
    assert_eq!(after_replay, after_first, "a replay stores nothing");
}

#[tokio::test]
async fn a_stale_edit_answers_conflict_with_the_current_ticket() {
    let server = server().await;
    let token = server.token(shiftdesk_demo::ME).await;
    let (number, version) = server.my_open_ticket().await;
    let mine = server
        .push(
            &token,
            &[request(
                number,
                Some(version),
                Mutation::SetPriority {
                    priority: Priority::High,
                },
            )],
        )
        .await;
    assert!(
        matches!(mine[0].outcome, MutationOutcome::Applied { ticket_version, .. } if ticket_version == version + 1)
    );
    let stale = server
        .push(
            &token,
            &[request(
                number,
                Some(version),
                Mutation::SetPriority {
                    priority: Priority::Low,
                },
            )],
        )
        .await;
    let MutationOutcome::Conflict { current } = &stale[0].outcome else {
        panic!("{stale:?}")
    };
    assert_eq!(
        (current.version, current.priority),
        (version + 1, Priority::High)
    );
    assert_eq!(
        server.ticket(number).await.priority,
        Priority::High,
        "the stale edit changed nothing"
    );
    let no_base = server
        .push(
            &token,
            &[request(
                number,
                None,
                Mutation::SetPriority {
                    priority: Priority::Low,
                },
            )],
        )
        .await;
    assert!(
        matches!(&no_base[0].outcome, MutationOutcome::Rejected { problem } if problem.code.code() == "request.invalid")
    );
}

#[tokio::test]
async fn nobody_writes_outside_their_scope() {
    let server = server().await;
    let token = server.token(shiftdesk_demo::ME).await;
    let (theirs, version): (i64, i64) = sqlx::query_as(
        "SELECT number, version FROM tickets WHERE assignee_id <> ? ORDER BY number LIMIT 1",
    )
    .bind(shiftdesk_demo::ME.0)
    .fetch_one(&server.db.readers)
    .await
    .unwrap();
    let before = server.ticket(theirs).await;
    let messages = server.count("messages").await;
    let results = server
        .push(
            &token,
            &[
                request(
                    theirs,
                    None,
                    Mutation::Reply {
                        channel: Channel::Email,
                        body: "hijack".into(),
                        attachments: vec![],
                        cc: vec![],
                    },
                ),
                request(
                    theirs,
                    Some(version),
                    Mutation::Assign {
                        assignee: Some(shiftdesk_demo::ME),
                    },
                ),
                request(
                    999_999,
                    None,
                    Mutation::Note {
                        body: "no such ticket".into(),
                        attachments: vec![],
                    },
                ),
            ],
        )
        .await;
    for result in &results {
        assert!(
            matches!(&result.outcome, MutationOutcome::Rejected { problem } if problem.code.code() == "ticket.not_found"),
            "{result:?}"
        );
    }
    assert_eq!(server.ticket(theirs).await, before);
    assert_eq!(server.count("messages").await, messages);
}

#[tokio::test]
async fn the_lifecycle_and_message_rules_are_enforced() {
    let server = server().await;
    let token = server.token(shiftdesk_demo::ME).await;
    let (number, version) = server.my_open_ticket().await;
    let results = server
        .push(
            &token,
            &[
                request(
                    number,
                    Some(version),
                    Mutation::SetStatus {
                        status: TicketStatus::Closed,
                    },
                ),
                request(
                    number,
                    None,
                    Mutation::Reply {
                        channel: Channel::Portal,
                        body: "   ".into(),
                        attachments: vec![],
                        cc: vec![],
                    },
                ),
                request(
                    number,
                    None,
                    Mutation::Note {
                        body: "x".repeat(64 * 1024 + 1),
                        attachments: vec![],
                    },
                ),
                request(
                    number,
                    Some(version),
                    Mutation::SetTags {
                        tags: vec!["bad\u{7}tag".into()],
                    },
                ),
                request(
                    number,
                    Some(version),
                    Mutation::Assign {
                        assignee: Some(AgentId(4242)),
                    },
                ),
            ],
        )
        .await;
    let codes: Vec<&str> = results
        .iter()
        .map(|r| match &r.outcome {
            MutationOutcome::Rejected { problem } => problem.code.code(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        codes,
        [
            "status.illegal_transition",
            "message.invalid",
            "message.invalid",
            "request.invalid",
            "request.invalid"
        ]
    );
    assert_eq!(server.ticket(number).await.version, version);
}

#[tokio::test]
async fn bad_bodies_get_a_clear_4xx_and_store_nothing() {
    let server = server().await;
    let token = server.token(shiftdesk_demo::ME).await;
    let (number, _) = server.my_open_ticket().await;
    let note = |id: &str| {
        format!(
            r#"{{"id":"{id}","ticket":{number},"base_version":null,"mutation":{{"type":"note","body":"x"}}}}"#
        )
    };
    let many = (0..201)
        .map(|_| note(&Uuid::new_v4().to_string()))
        .collect::<Vec<_>>()
        .join(",");
    let cases: Vec<(Vec<u8>, StatusCode, &str)> = vec![
        (
            b"{not json".to_vec(),
            StatusCode::BAD_REQUEST,
            "request.invalid",
        ),
        (
            br#"{"mutations": [], "extra": 1}"#.to_vec(),
            StatusCode::BAD_REQUEST,
            "request.invalid",
        ),
        (
            br#"{"mutations": "all of them"}"#.to_vec(),
            StatusCode::BAD_REQUEST,
            "request.invalid",
        ),
        (
            format!(r#"{{"mutations":[{}]}}"#, note("not-a-uuid")).into_bytes(),
            StatusCode::BAD_REQUEST,
            "request.invalid",
        ),
        (
            b"{\"mutations\": [\"\xff\xfe\"]}".to_vec(),
            StatusCode::BAD_REQUEST,
            "request.not_utf8",
        ),
        (
            format!(r#"{{"mutations":[{many}]}}"#).into_bytes(),
            StatusCode::BAD_REQUEST,
            "request.invalid",
        ),
        (
            vec![b' '; 2 * 1024 * 1024],
            StatusCode::PAYLOAD_TOO_LARGE,
            "request.too_large",
        ),
    ];
    for (body, status, code) in cases {
        let (s, ct, answer) = server.post("/v1/mutations", &token, body).await;
        assert_problem(s, &ct, &answer, status, code);
    }
    assert_eq!(
        server.count("applied_mutations").await,
        0,
        "nothing stored half-way"
    );
    let (s, ct, answer) = server
        .post(
            "/v1/mutations",
            "sdk_forged",
            br#"{"mutations":[]}"#.to_vec(),
        )
        .await;
    assert_problem(
        s,
        &ct,
        &answer,
        StatusCode::UNAUTHORIZED,
        "auth.unauthenticated",
    );
}

#[tokio::test]
async fn a_mutation_id_belongs_to_its_agent() {
    let server = server().await;
    let mine = server.token(shiftdesk_demo::ME).await;
    let lead = shiftdesk_demo::agents()
        .into_iter()
        .find(|a| a.role == shiftdesk_domain::Role::Lead)
        .unwrap();
    let lead_token = server.token(lead.id).await;
    let (number, _) = server.my_open_ticket().await;
    let note = request(
        number,
        None,
        Mutation::Note {
            body: "моя заметка".into(),
            attachments: vec![],
        },
    );
    server.push(&mine, std::slice::from_ref(&note)).await;
    let stolen = server.push(&lead_token, &[note]).await;
    assert!(
        matches!(&stolen[0].outcome, MutationOutcome::Rejected { problem } if problem.code.code() == "request.invalid")
    );
}

#[tokio::test]
async fn a_reassigned_ticket_moves_between_agents_whole() {
    let server = server().await;
    let me = server.token(shiftdesk_demo::ME).await;
    let colleague = AgentId(3);
    let theirs = server.token(colleague).await;
    let (number, version) = server.my_open_ticket().await;
    let my_cursor = server.pull_all(&me, 1000).await.last().unwrap().seq.0;
    let their_cursor = server.pull_all(&theirs, 1000).await.last().unwrap().seq.0;

    let handed = server
        .push(
            &me,
            &[request(
                number,
                Some(version),
                Mutation::Assign {
                    assignee: Some(colleague),
                },
            )],
        )
        .await;
    assert!(
        matches!(handed[0].outcome, MutationOutcome::Applied { .. }),
        "{handed:?}"
    );

    let (_, _, mine) = server
        .get(&format!("/v1/changes?after={my_cursor}"), Some(&me))
        .await;
    let mine: shiftdesk_protocol::ChangePage = serde_json::from_value(mine).unwrap();
    let bodies: Vec<_> = mine.changes.iter().map(|c| &c.body).collect();
    assert_eq!(
        bodies,
        vec![&ChangeBody::Eviction {
            ticket: TicketNumber(number)
        }],
        "I am told to drop it, nothing more"
    );

    let (_, _, theirs_page) = server
        .get(&format!("/v1/changes?after={their_cursor}"), Some(&theirs))
        .await;
    let theirs_page: shiftdesk_protocol::ChangePage = serde_json::from_value(theirs_page).unwrap();
    let messages = theirs_page
        .changes
        .iter()
        .filter(|c| matches!(&c.body, ChangeBody::Message(m) if m.ticket.0 == number))
        .count() as i64;
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM messages WHERE ticket_number = ?")
        .bind(number)
        .fetch_one(&server.db.readers)
        .await
        .unwrap();
    assert_eq!(
        messages, stored,
        "the new assignee gets the whole conversation"
    );
    assert!(theirs_page.changes.iter().any(|c| matches!(&c.body, ChangeBody::Ticket(t) if t.number.0 == number && t.assignee == Some(colleague))));
    assert!(theirs_page
        .changes
        .iter()
        .any(|c| matches!(c.body, ChangeBody::Customer(_))));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mutation_that_breaks_fails_alone() {
    let server = server().await;
    let token = server.token(shiftdesk_demo::ME).await;
    let numbers: Vec<i64> = sqlx::query_scalar(
        "SELECT number FROM tickets WHERE assignee_id = ? ORDER BY number LIMIT 2",
    )
    .bind(shiftdesk_demo::ME.0)
    .fetch_all(&server.db.readers)
    .await
    .unwrap();
    let (broken, sound) = (numbers[0], numbers[1]);
    // A ticket whose stored JSON is damaged (still JSON, as the indexes on
    // it insist, but no ticket): applying anything to it fails.
    sqlx::query("UPDATE tickets SET body = '{\"damaged\": true}' WHERE number = ?")
        .bind(broken)
        .execute(&server.db.writer)
        .await
        .unwrap();
    let note = |n: i64| {
        let body = serde_json::json!({ "mutations": [request(n, None, Mutation::Note {
            body: format!("заметка к {n}"),
            attachments: vec![],
        })] });
        serde_json::to_vec(&body).unwrap()
    };
    // Sent together, so they are likely to share a commit.
    let (bad, good) = tokio::join!(
        server.post("/v1/mutations", &token, note(broken)),
        server.post("/v1/mutations", &token, note(sound)),
    );
    assert_problem(
        bad.0,
        &bad.1,
        &bad.2,
        StatusCode::INTERNAL_SERVER_ERROR,
        "server.internal",
    );
    assert_eq!(good.0, StatusCode::OK, "{}", good.2);
    assert_eq!(good.2["results"][0]["outcome"], "applied");
    let stored: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM messages WHERE ticket_number = ? AND body LIKE '%заметка к%'",
    )
    .bind(sound)
    .fetch_one(&server.db.readers)
    .await
    .unwrap();
    assert_eq!(stored, 1);
    assert_eq!(server.count("applied_mutations").await, 1);
}

#[tokio::test]
async fn an_email_reply_adds_its_copies_to_the_ticket_and_a_bad_one_stores_nothing() {
    let server = server().await;
    let token = server.token(shiftdesk_demo::ME).await;
    let (number, _) = server.my_open_ticket().await;
    let reply = |cc: &[&str]| Mutation::Reply {
        channel: Channel::Email,
        body: "Копия для вашего руководителя.".into(),
        attachments: vec![],
        cc: cc.iter().map(|a| (*a).to_owned()).collect(),
    };
    let copies = || async {
        sqlx::query_scalar::<_, String>(
            "SELECT address FROM email_cc WHERE ticket_number = ? ORDER BY address",
        )
        .bind(number)
        .fetch_all(&server.db.readers)
        .await
        .unwrap()
    };
    let before = copies().await;

    let refused = server
        .push_one(
            &token,
            number,
            reply(&["cto@example.com", "not an address"]),
        )
        .await;
    let MutationOutcome::Rejected { problem } = refused else {
        panic!("{refused:?}")
    };
    assert_eq!(problem.code.code(), "message.invalid_cc");
    assert_eq!(copies().await, before, "nothing stored");

    let applied = server
        .push_one(
            &token,
            number,
            reply(&[" CTO@Example.com ", "ops@example.com"]),
        )
        .await;
    assert!(
        matches!(applied, MutationOutcome::Applied { .. }),
        "{applied:?}"
    );
    let mut expected = before.clone();
    expected.extend(["cto@example.com".to_owned(), "ops@example.com".to_owned()]);
    expected.sort();
    assert_eq!(copies().await, expected);
    // The ticket carries them, for the consoles to show.
    let carried: String =
        sqlx::query_scalar("SELECT json_extract(body, '$.email_cc') FROM tickets WHERE number = ?")
            .bind(number)
            .fetch_one(&server.db.readers)
            .await
            .unwrap();
    assert_eq!(
        serde_json::from_str::<Vec<String>>(&carried).unwrap(),
        expected
    );
}
