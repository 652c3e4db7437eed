//! The composer's preview of each channel, from a hand-made ticket card.

use shiftdesk_domain::{
    AgentId, CallDirection, CallOutcome, CallRecord, Category, Channel, Customer, CustomerId,
    MissingIntake, Plan, Priority, Service, ServiceStage, TicketNumber, TicketStatus, Timestamp,
};
use shiftdesk_protocol::{Mutation, MAX_ATTACHMENT_BYTES};
use shiftdesk_store::TicketCard;

use super::preview;

const NOW: Timestamp = Timestamp(1_800_000_000_000);

fn card() -> TicketCard {
    TicketCard {
        number: TicketNumber(10547),
        subject: "Re: Диск переполнен [#10547]".into(),
        status: TicketStatus::Open,
        priority: Priority::High,
        category: Category::PlatformProblem,
        plan: Plan::Professional,
        service: Service {
            name: "Compute Cloud".into(),
            stage: ServiceStage::GeneralAvailability,
        },
        channel: Channel::Email,
        assignee: Some(AgentId(1)),
        assignee_name: Some("Ирина".into()),
        team: "L2".into(),
        tags: vec![],
        email_cc: vec![],
        next_statuses: vec![TicketStatus::Pending, TicketStatus::Solved],
        created_at: NOW,
        updated_at: NOW,
        customer: Customer {
            id: CustomerId(1),
            name: "Анна".into(),
            account_login: Some("anna".into()),
            project: None,
            email: Some("anna@example.ru".into()),
            telegram_chat: Some(42),
            phone: None,
        },
        missing: MissingIntake::default(),
    }
}

fn reply(channel: Channel, body: &str) -> Mutation {
    Mutation::Reply {
        channel,
        body: body.into(),
        attachments: vec![],
        cc: vec![],
    }
}

#[test]
fn a_long_telegram_reply_is_previewed_as_the_parts_it_is_sent_in() {
    let paragraph = "Проверили узел, перезапустили сервис. ".repeat(60);
    let body = format!("{paragraph}\n\n{paragraph}\n\n{paragraph}");
    let shown = preview(&reply(Channel::Telegram, &body), &card(), NOW);
    assert!(
        shown.telegram_parts.len() >= 2,
        "{}",
        shown.telegram_parts.len()
    );
    assert!(shown.telegram_parts.iter().all(|p| p.chars <= 4096));
    assert_eq!(shown.email_subject, None);
    assert_eq!(shown.html, None);
    assert_eq!(shown.problem, None);
}

#[test]
fn an_email_reply_shows_its_subject_recipient_and_html() {
    let shown = preview(&reply(Channel::Email, "**Готово** <b>x</b>"), &card(), NOW);
    assert_eq!(
        shown.email_subject.as_deref(),
        Some("Re: Диск переполнен [#10547]")
    );
    assert_eq!(shown.email_to.as_deref(), Some("anna@example.ru"));
    let html = shown.html.unwrap();
    assert!(html.contains("<strong>Готово</strong>"), "{html}");
    assert!(html.contains("&lt;b&gt;"), "typed HTML stays text: {html}");
    assert!(shown.telegram_parts.is_empty());
}

#[test]
fn what_the_server_would_refuse_is_said_before_sending() {
    let empty = preview(&reply(Channel::Portal, "  \n"), &card(), NOW);
    assert_eq!(empty.problem.unwrap().code.code(), "message.invalid");
    let script = preview(
        &reply(Channel::Portal, "<script>alert(1)</script>"),
        &card(),
        NOW,
    );
    assert_eq!(
        script.problem.unwrap().code.code(),
        "message.active_content"
    );
    let phone = preview(&reply(Channel::Phone, "hi"), &card(), NOW);
    assert_eq!(phone.problem.unwrap().code.code(), "message.phone_reply");
    let huge = preview(&reply(Channel::Email, &"я".repeat(40_000)), &card(), NOW);
    assert_eq!(huge.problem.unwrap().code.code(), "message.invalid");
    let call = Mutation::CallLog {
        call: CallRecord {
            direction: CallDirection::Outbound,
            duration_secs: 120,
            outcome: CallOutcome::Answered,
            callback_at: Some(Timestamp(NOW.0 - 3_600_000)),
        },
        notes: String::new(),
    };
    let past = preview(&call, &card(), NOW);
    assert_eq!(
        past.problem.unwrap().code.code(),
        "call.callback_out_of_range"
    );
}

#[test]
fn a_variable_left_in_the_text_is_named() {
    let shown = preview(
        &reply(Channel::Portal, "Проект {{project}}, {{project}}"),
        &card(),
        NOW,
    );
    assert_eq!(shown.unfilled, ["project"]);
    assert_eq!(shown.problem, None);
}

#[tokio::test]
async fn a_file_is_attached_once_with_a_clean_name_or_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let store = shiftdesk_store::Store::open(&dir.path().join("cache.sqlite"))
        .await
        .unwrap()
        .store;
    let kept = super::attach(
        &store,
        "\tснимок экрана 📷.PNG ",
        "IMAGE/PNG",
        b"\x89PNG".to_vec(),
    )
    .await
    .unwrap();
    assert_eq!(kept.name, "снимок экрана 📷.PNG");
    assert_eq!(kept.media_type, "image/png");
    assert_eq!(kept.size_bytes, 4);
    assert_eq!(store.files().read(&kept.content_hash).unwrap(), b"\x89PNG");
    let again = super::attach(&store, "copy.png", "image/png", b"\x89PNG".to_vec())
        .await
        .unwrap();
    assert_eq!(
        again.content_hash, kept.content_hash,
        "the same bytes are kept once"
    );

    let too_large = vec![0_u8; usize::try_from(MAX_ATTACHMENT_BYTES).unwrap() + 1];
    for (name, media_type, bytes, code) in [
        ("empty.log", "text/plain", Vec::new(), "attachment.empty"),
        ("huge.iso", "", too_large, "attachment.too_large"),
        (
            "../../.ssh/id_rsa",
            "text/plain",
            b"k".to_vec(),
            "request.invalid",
        ),
        ("a\u{7}.txt", "text/plain", b"k".to_vec(), "request.invalid"),
        ("", "text/plain", b"k".to_vec(), "request.invalid"),
        (
            "note.txt",
            "text/plain; charset=\"utf-8\"",
            b"k".to_vec(),
            "request.invalid",
        ),
    ] {
        let err = super::attach(&store, name, media_type, bytes)
            .await
            .unwrap_err();
        assert_eq!(err.code(), code, "{name:?}: {err}");
    }
}
