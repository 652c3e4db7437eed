//! What the agent writes, in a real cache file: drafts that survive a
//! reopen, canned responses, the ticket card, and outbox entries the agent
//! sends again, edits or drops.

#![allow(clippy::unwrap_used)] // a test that cannot go on should stop loudly

mod fixtures;

use fixtures::*;
use shiftdesk_domain::*;
use shiftdesk_store::*;

async fn cache(dir: &tempfile::TempDir) -> Store {
    let store = Store::open(&dir.path().join("cache.sqlite"))
        .await
        .unwrap()
        .store;
    store.upsert_agents(&agents()).await.unwrap();
    store.upsert_customers(&customers()).await.unwrap();
    store.set_me(ME).await.unwrap();
    store
}

fn draft(ticket: i64, body: &str) -> Draft {
    Draft {
        ticket: TicketNumber(ticket),
        mode: ComposeMode::Reply,
        channel: Channel::Telegram,
        body: body.into(),
        cc: vec!["ops@example.ru".into()],
        call: None,
        files: vec![AttachedFile {
            content_hash: AttachmentFiles::hash(b"kernel: oom-killer"),
            name: "dmesg — узел 7.log".into(),
            media_type: "text/plain".into(),
            size_bytes: 18,
        }],
        seen_message: Some(MessageId(ticket * 100)),
        updated_at: Timestamp(7 * MINUTE),
    }
}

fn reply(ticket: i64, body: &str) -> (NewOutboxEntry, LocalEffect) {
    let id = uuid_like(ticket, body);
    (
        NewOutboxEntry {
            id,
            ticket: TicketNumber(ticket),
            mutation: format!(r#"{{"type":"reply","channel":"email","body":{body:?}}}"#),
            base_version: None,
            seen_message: Some(MessageId(ticket * 100)),
            created_at: Timestamp(6 * MINUTE),
        },
        LocalEffect::Message {
            message: Message {
                id: MessageId(0),
                ticket: TicketNumber(ticket),
                kind: MessageKind::PublicReply {
                    delivery: DeliveryState::Queued,
                },
                channel: Channel::Email,
                author: Author::Agent { id: ME },
                body: body.into(),
                created_at: Timestamp(6 * MINUTE),
            },
            files: vec![],
        },
    )
}

fn uuid_like(ticket: i64, body: &str) -> String {
    format!("{ticket}-{}", body.len())
}

#[tokio::test]
async fn a_draft_survives_a_reopen_and_goes_when_cleared() {
    let dir = tempfile::tempdir().unwrap();
    let store = cache(&dir).await;
    store
        .save_draft(&draft(1, "Здравствуйте, Анна! 👋"))
        .await
        .unwrap();
    store.save_draft(&draft(1, "second version")).await.unwrap();
    store.close().await;

    let store = cache(&dir).await;
    let kept = store.draft(TicketNumber(1)).await.unwrap().unwrap();
    assert_eq!(kept, draft(1, "second version"), "the last save wins");
    assert_eq!(store.draft(TicketNumber(2)).await.unwrap(), None);

    store.clear_draft(TicketNumber(1)).await.unwrap();
    assert_eq!(store.draft(TicketNumber(1)).await.unwrap(), None);
}

#[tokio::test]
async fn an_oversized_draft_is_refused_and_the_last_one_kept() {
    let dir = tempfile::tempdir().unwrap();
    let store = cache(&dir).await;
    store.save_draft(&draft(1, "kept")).await.unwrap();
    let huge = "x".repeat(MAX_DRAFT_BYTES + 1);
    let error = store.save_draft(&draft(1, &huge)).await.unwrap_err();
    assert_eq!(error.code(), "draft.too_large");
    assert_eq!(
        store.draft(TicketNumber(1)).await.unwrap().unwrap().body,
        "kept"
    );
}

#[tokio::test]
async fn canned_responses_read_back_by_title() {
    let dir = tempfile::tempdir().unwrap();
    let store = cache(&dir).await;
    let canned = |id, title: &str, category| CannedResponse {
        id,
        title: title.into(),
        body: "Hello {{customer_name}}".into(),
        category,
    };
    store
        .replace_canned_responses(&[
            canned(1, "Out of scope", Some(Category::OutOfScope)),
            canned(2, "Вне зоны ответственности", Some(Category::OutOfScope)),
            canned(3, "Diagnostics", None),
        ])
        .await
        .unwrap();
    let titles: Vec<String> = store
        .canned_responses()
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.title)
        .collect();
    assert_eq!(
        titles,
        ["Diagnostics", "Out of scope", "Вне зоны ответственности"]
    );
}

#[tokio::test]
async fn the_card_says_what_the_customer_has_not_given() {
    let dir = tempfile::tempdir().unwrap();
    let store = cache(&dir).await;
    let mut known = thread(1, "VM down", "since 14:05");
    known.ticket.tags = vec!["vip".into(), "диск".into()];
    let mut unknown = thread(2, "Billing", "invoice?");
    unknown.ticket.customer = CustomerId(2);
    unknown.ticket.assignee = Some(COLLEAGUE);
    store.upsert_threads(&[known, unknown]).await.unwrap();

    let card = store.ticket_card(TicketNumber(1)).await.unwrap().unwrap();
    assert_eq!(card.customer.name, "Анна Петрова");
    assert_eq!(card.assignee_name.as_deref(), Some("Ирина Волкова"));
    assert_eq!(card.tags, ["vip", "диск"]);
    // A platform problem needs logs, and none are attached yet.
    assert_eq!(card.missing.items, [IntakeItem::Diagnostics]);

    let card = store.ticket_card(TicketNumber(2)).await.unwrap().unwrap();
    assert_eq!(
        card.missing.items,
        [
            IntakeItem::AccountLogin,
            IntakeItem::ProjectName,
            IntakeItem::Diagnostics
        ]
    );
    assert_eq!(store.ticket_card(TicketNumber(3)).await.unwrap(), None);
}

#[tokio::test]
async fn a_failed_reply_is_edited_in_place_or_discarded_but_a_queued_one_stays() {
    let dir = tempfile::tempdir().unwrap();
    let store = cache(&dir).await;
    store
        .upsert_threads(&[thread(1, "VM down", "since 14:05")])
        .await
        .unwrap();
    store.save_draft(&draft(1, "first try")).await.unwrap();
    let (first, effect) = reply(1, "first try");
    store.enqueue(&first, &effect).await.unwrap();
    assert_eq!(
        store.draft(TicketNumber(1)).await.unwrap(),
        None,
        "the draft went out with the reply"
    );

    // On its way: not the agent's to take back.
    let error = store.discard(&first.id).await.unwrap_err();
    assert_eq!(error.code(), "outbox.not_settled");
    let (edited, edited_effect) = reply(1, "edited text");
    assert_eq!(
        store
            .replace_entry(&first.id, &edited, &edited_effect)
            .await
            .unwrap_err()
            .code(),
        "outbox.not_settled"
    );
    let conversation = store.conversation(TicketNumber(1)).await.unwrap();
    let shown = conversation.last().unwrap();
    assert_eq!(shown.body, "first try");
    assert_eq!(
        shown.outbox,
        Some(Unsent {
            entry: first.id.clone(),
            state: OutboxState::Queued
        })
    );

    store
        .settle(&[Settlement::Failed {
            id: first.id.clone(),
            review: r#"{"reason":"refused"}"#.into(),
        }])
        .await
        .unwrap();
    let shown = store.conversation(TicketNumber(1)).await.unwrap();
    assert_eq!(
        shown.last().unwrap().outbox.as_ref().unwrap().state,
        OutboxState::Failed
    );

    // Edited: one entry and one message, the new text, queued again.
    store
        .replace_entry(&first.id, &edited, &edited_effect)
        .await
        .unwrap();
    let outbox = store.outbox().await.unwrap();
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].id, edited.id);
    assert_eq!(outbox[0].state, OutboxState::Queued);
    let conversation = store.conversation(TicketNumber(1)).await.unwrap();
    let bodies: Vec<&str> = conversation.iter().map(|m| m.body.as_str()).collect();
    assert_eq!(bodies, ["since 14:05", "edited text"]);
    let hits = store
        .search(&SearchQuery::parse("first try").unwrap(), 5)
        .await
        .unwrap();
    assert!(
        hits.is_empty(),
        "the replaced text is not searchable any more"
    );

    store
        .settle(&[Settlement::NeedsReview {
            id: edited.id.clone(),
            review: r#"{"reason":"written_since"}"#.into(),
        }])
        .await
        .unwrap();
    assert_eq!(store.discard(&edited.id).await.unwrap(), TicketNumber(1));
    assert!(store.outbox().await.unwrap().is_empty());
    assert_eq!(store.conversation(TicketNumber(1)).await.unwrap().len(), 1);
    assert_eq!(
        store.discard(&edited.id).await.unwrap_err().code(),
        "outbox.not_settled",
        "a second discard finds nothing"
    );
}
