//! The outbox against the real reference server and a real cache file:
//! offline replies delivered once, lost answers, conflicts, refusals, the
//! traffic cop and chained offline edits.

use shiftdesk_domain::{AgentId, Channel, Priority, Ticket, TicketNumber, TicketStatus};
use shiftdesk_protocol::{Mutation, MutationRequest, NewAttachment};
use shiftdesk_store::{AttachedFile, OutboxState, Store};

use super::{items, push_once, queue, resolve, OutboxError, Resolution, Review};
use crate::api::ApiClient;
use crate::pull::{pull_until_current, PAGE};
use crate::test_server::{agent_client, server, Server};

const ME: AgentId = shiftdesk_demo::ME;

struct Desk {
    server: Server,
    api: ApiClient,
    store: Store,
    _dir: tempfile::TempDir,
}

/// A server, the agent's client and a synced cache.
async fn desk() -> Desk {
    let server = server().await;
    let (api, store, dir) = agent_client(&server).await;
    pull_until_current(&api, &store, PAGE).await.unwrap();
    Desk {
        server,
        api,
        store,
        _dir: dir,
    }
}

impl Desk {
    /// One of my tickets still being worked, as the server has it.
    async fn open_ticket(&self) -> Ticket {
        let body: String = sqlx::query_scalar(
            "SELECT body FROM tickets WHERE assignee_id = ? \
             AND json_extract(body, '$.status') IN ('open', 'new') ORDER BY number LIMIT 1",
        )
        .bind(ME.0)
        .fetch_one(&self.server.db.readers)
        .await
        .unwrap();
        serde_json::from_str(&body).unwrap()
    }

    async fn server_messages_with(&self, text: &str) -> i64 {
        sqlx::query_scalar("SELECT count(*) FROM messages WHERE body LIKE '%' || ? || '%'")
            .bind(text)
            .fetch_one(&self.server.db.readers)
            .await
            .unwrap()
    }

    async fn server_ticket(&self, number: TicketNumber) -> Ticket {
        let body: String = sqlx::query_scalar("SELECT body FROM tickets WHERE number = ?")
            .bind(number.0)
            .fetch_one(&self.server.db.readers)
            .await
            .unwrap();
        serde_json::from_str(&body).unwrap()
    }
}

fn reply(body: &str) -> Mutation {
    Mutation::Reply {
        channel: Channel::Telegram,
        body: body.into(),
        attachments: vec![],
        cc: vec![],
    }
}

/// A file attached in the composer, as a message names it.
fn named(file: &AttachedFile) -> NewAttachment {
    NewAttachment {
        content_hash: file.content_hash.clone(),
        name: file.name.clone(),
        media_type: file.media_type.clone(),
    }
}

fn now() -> shiftdesk_domain::Timestamp {
    shiftdesk_server::now()
}

#[tokio::test]
async fn a_reply_written_offline_is_delivered_once_when_the_server_is_back() {
    let desk = desk().await;
    let ticket = desk.open_ticket().await;
    let text = "Перезапустили sshd, проверьте вход 🙏";
    queue(&desk.store, ME, ticket.number, reply(text), None, now())
        .await
        .unwrap();

    // Offline: a closed port. The entry stays, shown as a queued reply.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let offline = ApiClient::new(&format!("http://127.0.0.1:{port}"), "sdk_x").unwrap();
    for _ in 0..3 {
        let pushed = push_once(&offline, &desk.store, ME).await.unwrap();
        assert_eq!(pushed.sent, 1);
        assert!(pushed.unanswered.is_some());
    }
    let outbox = desk.store.outbox().await.unwrap();
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].state, OutboxState::Queued);
    assert_eq!(outbox[0].attempts, 3);
    assert_eq!(desk.server_messages_with(text).await, 0);

    // Back online: sent once, settled, and the server's copy replaces the
    // placeholder on the next pull.
    let pushed = push_once(&desk.api, &desk.store, ME).await.unwrap();
    assert_eq!((pushed.sent, pushed.done), (1, 1));
    assert!(desk.store.outbox().await.unwrap().is_empty());
    assert_eq!(desk.server_messages_with(text).await, 1);
    pull_until_current(&desk.api, &desk.store, PAGE)
        .await
        .unwrap();
    let pushed = push_once(&desk.api, &desk.store, ME).await.unwrap();
    assert_eq!(pushed.sent, 0, "nothing left to send");
    assert_eq!(desk.server_messages_with(text).await, 1);
}

#[tokio::test]
async fn an_answer_lost_on_the_way_is_settled_by_the_replay() {
    let desk = desk().await;
    let ticket = desk.open_ticket().await;
    let text = "ответ, чей ответ потерялся";
    let id = queue(&desk.store, ME, ticket.number, reply(text), None, now())
        .await
        .unwrap();
    // The server took it, but the client never heard back.
    desk.api
        .push(&[MutationRequest {
            id,
            ticket: ticket.number,
            base_version: None,
            mutation: reply(text),
        }])
        .await
        .unwrap();
    let pushed = push_once(&desk.api, &desk.store, ME).await.unwrap();
    assert_eq!(pushed.done, 1);
    assert_eq!(desk.server_messages_with(text).await, 1);
}

#[tokio::test]
async fn edits_made_offline_one_after_another_all_apply() {
    let desk = desk().await;
    let ticket = desk.open_ticket().await;
    let edits = [
        Mutation::SetPriority {
            priority: Priority::Urgent,
        },
        Mutation::SetTags {
            tags: vec!["vip".into(), "ssh".into()],
        },
        Mutation::SetStatus {
            status: TicketStatus::Pending,
        },
    ];
    for edit in edits {
        queue(&desk.store, ME, ticket.number, edit, None, now())
            .await
            .unwrap();
    }
    for _ in 0..3 {
        let pushed = push_once(&desk.api, &desk.store, ME).await.unwrap();
        assert_eq!((pushed.sent, pushed.done), (1, 1), "{pushed:?}");
    }
    let on_server = desk.server_ticket(ticket.number).await;
    assert_eq!(on_server.priority, Priority::Urgent);
    assert_eq!(on_server.tags, vec!["vip", "ssh"]);
    assert_eq!(on_server.status, TicketStatus::Pending);
    assert_eq!(on_server.version, ticket.version + 3);
}

#[tokio::test]
async fn a_conflict_waits_for_the_agent_and_holds_the_tickets_later_entries() {
    let desk = desk().await;
    let ticket = desk.open_ticket().await;
    queue(
        &desk.store,
        ME,
        ticket.number,
        Mutation::SetPriority {
            priority: Priority::Low,
        },
        None,
        now(),
    )
    .await
    .unwrap();
    queue(
        &desk.store,
        ME,
        ticket.number,
        reply("после правки"),
        None,
        now(),
    )
    .await
    .unwrap();
    // Meanwhile the ticket moves on the server.
    desk.api
        .push(&[MutationRequest {
            id: uuid::Uuid::new_v4(),
            ticket: ticket.number,
            base_version: Some(ticket.version),
            mutation: Mutation::SetPriority {
                priority: Priority::High,
            },
        }])
        .await
        .unwrap();

    let pushed = push_once(&desk.api, &desk.store, ME).await.unwrap();
    assert_eq!((pushed.sent, pushed.needs_review), (1, 1), "{pushed:?}");
    let outbox = desk.store.outbox().await.unwrap();
    assert_eq!(outbox[0].state, OutboxState::NeedsReview);
    let review: Review = serde_json::from_str(outbox[0].review.as_deref().unwrap()).unwrap();
    let Review::Conflict { current } = review else {
        panic!("{review:?}")
    };
    assert_eq!(current.priority, Priority::High);
    // The reply behind it waits its turn.
    assert_eq!(outbox[1].state, OutboxState::Queued);
    assert_eq!(push_once(&desk.api, &desk.store, ME).await.unwrap().sent, 0);
    assert_eq!(desk.server_messages_with("после правки").await, 0);

    // The agent looks and keeps their priority: it goes over the ticket as
    // the server has it now, and the reply follows.
    let held = outbox[0].id.clone();
    resolve(&desk.store, ME, &held, Resolution::Resend, now())
        .await
        .unwrap();
    let pushed = push_once(&desk.api, &desk.store, ME).await.unwrap();
    assert_eq!(pushed.done, 1, "{pushed:?}");
    let pushed = push_once(&desk.api, &desk.store, ME).await.unwrap();
    assert_eq!(pushed.done, 1, "{pushed:?}");
    assert_eq!(
        desk.server_ticket(ticket.number).await.priority,
        Priority::Low
    );
    assert_eq!(desk.server_messages_with("после правки").await, 1);
    assert!(desk.store.outbox().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_phone_reply_or_a_past_callback_is_refused_offline_and_nothing_is_queued() {
    let desk = desk().await;
    let ticket = desk.open_ticket().await;
    let phone_reply = Mutation::Reply {
        channel: Channel::Phone,
        body: "Перезвонили".into(),
        attachments: vec![],
        cc: vec![],
    };
    let past_callback = Mutation::CallLog {
        call: shiftdesk_domain::CallRecord {
            direction: shiftdesk_domain::CallDirection::Outbound,
            duration_secs: 30,
            outcome: shiftdesk_domain::CallOutcome::NoAnswer,
            callback_at: Some(now().plus_minutes(-60)),
        },
        notes: "не взяли трубку".into(),
    };
    for (mutation, code) in [
        (phone_reply, "message.phone_reply"),
        (past_callback, "call.callback_out_of_range"),
    ] {
        let refused = queue(&desk.store, ME, ticket.number, mutation, None, now()).await;
        let Err(OutboxError::Refused(problem)) = refused else {
            panic!("{refused:?}")
        };
        assert_eq!(problem.code.code(), code);
    }
    assert!(desk.store.outbox().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_refusal_keeps_the_entry_with_the_servers_code() {
    let desk = desk().await;
    let ticket = desk.open_ticket().await;
    queue(
        &desk.store,
        ME,
        ticket.number,
        Mutation::SetStatus {
            status: TicketStatus::Closed,
        },
        None,
        now(),
    )
    .await
    .unwrap();
    queue(
        &desk.store,
        ME,
        ticket.number,
        reply("а ответ уходит"),
        None,
        now(),
    )
    .await
    .unwrap();
    let pushed = push_once(&desk.api, &desk.store, ME).await.unwrap();
    assert_eq!(pushed.failed, 1);
    // The reply after it is not held by the refusal.
    let pushed = push_once(&desk.api, &desk.store, ME).await.unwrap();
    assert_eq!(pushed.done, 1);
    assert_eq!(desk.server_messages_with("а ответ уходит").await, 1);
    let outbox = desk.store.outbox().await.unwrap();
    assert_eq!(outbox[0].state, OutboxState::Failed);
    let review: Review = serde_json::from_str(outbox[0].review.as_deref().unwrap()).unwrap();
    let Review::Refused { problem } = review else {
        panic!("{review:?}")
    };
    assert_eq!(problem.code.code(), "status.illegal_transition");
    // The cache no longer shows the refused change.
    let cached = desk.store.queue_row(ticket.number).await.unwrap().unwrap();
    assert_eq!(cached.status, ticket.status);

    // A status has no text to edit; the agent drops it instead.
    let refused = outbox[0].id.clone();
    let tray = items(&desk.store).await.unwrap();
    assert_eq!(tray.len(), 1);
    assert_eq!(
        tray[0].mutation,
        Mutation::SetStatus {
            status: TicketStatus::Closed
        }
    );
    assert!(matches!(tray[0].review, Some(Review::Refused { .. })));
    let edit = Resolution::Edit { body: "x".into() };
    assert!(matches!(
        resolve(&desk.store, ME, &refused, edit, now()).await,
        Err(OutboxError::NoText)
    ));
    resolve(&desk.store, ME, &refused, Resolution::Discard, now())
        .await
        .unwrap();
    assert!(desk.store.outbox().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_reply_the_customer_wrote_past_waits_for_the_agent() {
    let desk = desk().await;
    let ticket = desk.open_ticket().await;
    queue(
        &desk.store,
        ME,
        ticket.number,
        reply("Проверьте, пожалуйста, ещё раз"),
        None,
        now(),
    )
    .await
    .unwrap();
    // The customer writes again before the reply goes out.
    let mut tx = desk.server.db.writer.begin().await.unwrap();
    shiftdesk_server::intake::customer_writes(
        &mut tx,
        ticket.clone(),
        ticket.channel,
        "Уже не нужно, само заработало",
        &[],
        now(),
    )
    .await
    .unwrap()
    .unwrap();
    tx.commit().await.unwrap();
    pull_until_current(&desk.api, &desk.store, PAGE)
        .await
        .unwrap();

    let pushed = push_once(&desk.api, &desk.store, ME).await.unwrap();
    assert_eq!((pushed.sent, pushed.needs_review), (0, 1));
    let outbox = desk.store.outbox().await.unwrap();
    assert_eq!(outbox[0].state, OutboxState::NeedsReview);
    assert_eq!(
        serde_json::from_str::<Review>(outbox[0].review.as_deref().unwrap()).unwrap(),
        Review::WrittenSince
    );
    assert_eq!(
        desk.server_messages_with("Проверьте, пожалуйста, ещё раз")
            .await,
        0
    );

    // The agent reads it and rewrites the reply: the new text goes once,
    // the old never.
    let held = outbox[0].id.clone();
    let edit = Resolution::Edit {
        body: "Рады, что заработало! Закрываем обращение.".into(),
    };
    resolve(&desk.store, ME, &held, edit, now()).await.unwrap();
    let pushed = push_once(&desk.api, &desk.store, ME).await.unwrap();
    assert_eq!(pushed.done, 1, "{pushed:?}");
    assert_eq!(desk.server_messages_with("Рады, что заработало").await, 1);
    assert_eq!(
        desk.server_messages_with("Проверьте, пожалуйста, ещё раз")
            .await,
        0
    );
    assert!(desk.store.outbox().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_note_written_offline_takes_its_files_to_the_server_once_it_is_back() {
    let desk = desk().await;
    let ticket = desk.open_ticket().await;
    let log = "kernel: Out of memory: Killed process 4242 (postgres)\n".repeat(2_000);
    let dump = vec![0xFF_u8, 0x00, 0xD8, 0x7F];
    let log_file = crate::compose::attach(&desk.store, " dmesg — узел 7.log ", "", log.into())
        .await
        .unwrap();
    let dump_file = crate::compose::attach(
        &desk.store,
        "core.bin",
        "Application/Octet-Stream",
        dump.clone(),
    )
    .await
    .unwrap();
    assert_eq!(log_file.name, "dmesg — узел 7.log");
    assert_eq!(log_file.media_type, "application/octet-stream");
    assert_eq!(dump_file.media_type, "application/octet-stream");
    let attachments = [&log_file, &dump_file, &log_file].map(named).to_vec();
    let text = "Логи и дамп во вложении";
    let note = Mutation::Note {
        body: text.into(),
        attachments,
    };
    queue(&desk.store, ME, ticket.number, note, None, now())
        .await
        .unwrap();
    let shown = desk.store.conversation(ticket.number).await.unwrap();
    let queued = shown.iter().find(|m| m.body == text).unwrap();
    assert_eq!(
        queued.attachments.len(),
        3,
        "the queued note shows its files"
    );
    assert_eq!(queued.attachments[1].size_bytes, 4);

    let gone = ApiClient::new("http://127.0.0.1:9", "sdk_gone").unwrap();
    let pushed = push_once(&gone, &desk.store, ME).await.unwrap();
    assert!(pushed.unanswered.is_some());
    assert_eq!(desk.server_messages_with(text).await, 0);

    let pushed = push_once(&desk.api, &desk.store, ME).await.unwrap();
    assert_eq!((pushed.sent, pushed.done), (1, 1), "{pushed:?}");
    pull_until_current(&desk.api, &desk.store, PAGE)
        .await
        .unwrap();
    let shown = desk.store.conversation(ticket.number).await.unwrap();
    let stored = shown.iter().find(|m| m.body == text).unwrap();
    assert!(
        stored.id.0 > 0,
        "the server's copy replaced the placeholder"
    );
    let names: Vec<_> = stored.attachments.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        ["dmesg — узел 7.log", "core.bin", "dmesg — узел 7.log"]
    );
    let bytes = desk
        .api
        .attachment(stored.attachments[1].id, 1 << 20)
        .await
        .unwrap();
    assert_eq!(bytes, dump);
}

#[tokio::test]
async fn a_file_lost_before_it_went_fails_its_entry_and_holds_nothing_else() {
    let desk = desk().await;
    let ticket = desk.open_ticket().await;
    let file = crate::compose::attach(&desk.store, "trace.txt", "text/plain", b"trace".to_vec())
        .await
        .unwrap();
    let note = Mutation::Note {
        body: "трасса во вложении".into(),
        attachments: vec![named(&file)],
    };
    let lost = queue(&desk.store, ME, ticket.number, note.clone(), None, now())
        .await
        .unwrap();
    queue(
        &desk.store,
        ME,
        ticket.number,
        reply("и ещё ответ"),
        None,
        now(),
    )
    .await
    .unwrap();
    std::fs::write(desk.store.files().path_of(&file.content_hash), b"changed").unwrap();

    let pushed = push_once(&desk.api, &desk.store, ME).await.unwrap();
    assert_eq!((pushed.failed, pushed.done), (1, 1), "{pushed:?}");
    let tray = items(&desk.store).await.unwrap();
    assert_eq!(tray.len(), 1);
    assert_eq!(tray[0].id, lost.to_string());
    let Some(Review::Refused { problem }) = &tray[0].review else {
        panic!("{:?}", tray[0].review)
    };
    assert_eq!(problem.code.code(), "attachment.not_uploaded");
    assert!(problem.detail.contains("trace.txt"), "{}", problem.detail);

    // Sending it again as it is cannot work: the file is gone. Said at once.
    desk.store.files().remove(&file.content_hash).unwrap();
    let err = resolve(&desk.store, ME, &tray[0].id, Resolution::Resend, now())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "attachment.missing");
    let err = queue(&desk.store, ME, ticket.number, note, None, now())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "attachment.missing");
}

#[tokio::test]
async fn the_copies_of_an_email_reply_come_back_on_the_ticket_card() {
    let desk = desk().await;
    let ticket = desk.open_ticket().await;
    let reply = Mutation::Reply {
        channel: Channel::Email,
        body: "Копия для вашего руководителя.".into(),
        attachments: vec![],
        cc: vec![
            "Lead@Northwind.example".into(),
            "ops@northwind.example".into(),
        ],
    };
    queue(&desk.store, ME, ticket.number, reply, None, now())
        .await
        .unwrap();
    let pushed = push_once(&desk.api, &desk.store, ME).await.unwrap();
    assert_eq!(pushed.done, 1, "{pushed:?}");
    pull_until_current(&desk.api, &desk.store, PAGE)
        .await
        .unwrap();
    let card = desk
        .store
        .ticket_card(ticket.number)
        .await
        .unwrap()
        .unwrap();
    assert!(
        ["lead@northwind.example", "ops@northwind.example"]
            .iter()
            .all(|a| card.email_cc.iter().any(|c| c == a)),
        "{:?}",
        card.email_cc
    );
}
