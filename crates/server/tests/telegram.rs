//! The Telegram gateway against the npm `telegram-test-api` Bot API
//! emulator in its own Node process (tests/peers/telegram.mjs): a customer's
//! message opens a ticket, a 10,000-character reply reaches the chat as
//! three paced messages in order, and odd updates and a failing Bot API
//! lose nothing and double nothing.

#![allow(clippy::unwrap_used)] // a test that cannot go on should stop loudly

mod common;

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::{server, Server};
use serde_json::{json, Value};
use shiftdesk_domain::telegram::MAX_MESSAGE_CHARS;
use shiftdesk_domain::Channel;
use shiftdesk_protocol::{Mutation, MutationOutcome, NewAttachment};
use shiftdesk_server::channels::telegram::{TelegramGateway, TelegramSettings};
use shiftdesk_server::AppState;

const TOKEN: &str = "123456:test-bot";

/// The emulator process; stopped when dropped.
struct Emulator {
    child: Child,
    base: String,
    http: reqwest::Client,
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Emulator {
    fn start() -> Self {
        let peers = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/peers");
        assert!(
            peers.join("node_modules/telegram-test-api").is_dir(),
            "the Telegram emulator is not installed: run `npm ci` in {} (cargo xtask test does)",
            peers.display()
        );
        let mut node = Command::new("node");
        node.arg(peers.join("telegram.mjs"));
        let (child, port) = common::process::listening_peer(node, "the Telegram emulator");
        Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
            http: reqwest::Client::new(),
        }
    }

    async fn control(&self, path: &str, body: Value) {
        let status = self
            .http
            .post(format!("{}{path}", self.base))
            .json(&body)
            .send()
            .await
            .unwrap()
            .status();
        assert!(status.is_success(), "{path}: {status}");
    }

    async fn customer_writes(&self, message: Value) {
        let mut message = message;
        message["token"] = json!(TOKEN);
        self.control("/control/customer", message).await;
    }

    async fn sent(&self) -> Vec<Value> {
        self.http
            .get(format!("{}/control/sent?token={TOKEN}", self.base))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    fn gateway(&self, server: &Server) -> TelegramGateway {
        let settings = TelegramSettings {
            api_base: format!("{}/", self.base).parse().unwrap(),
            token: TOKEN.into(),
            long_poll: Duration::ZERO,
        };
        TelegramGateway::new(AppState::new(server.db.clone()), &settings).unwrap()
    }
}

/// The ticket of `chat` and its messages' bodies, oldest first.
async fn thread_of_chat(server: &Server, chat: i64) -> Vec<(i64, String)> {
    sqlx::query_as(
        "SELECT m.ticket_number, json_extract(m.body, '$.body') FROM messages m \
         JOIN tickets t ON t.number = m.ticket_number JOIN customers c ON c.id = t.customer_id \
         WHERE json_extract(c.body, '$.telegram_chat') = ? ORDER BY m.id",
    )
    .bind(chat)
    .fetch_all(&server.db.readers)
    .await
    .unwrap()
}

async fn reply(server: &Server, ticket: i64, body: &str) -> i64 {
    reply_with_files(server, ticket, body, &[]).await
}

/// A reply with files, each uploaded first as `(name, media type, bytes)`.
async fn reply_with_files(
    server: &Server,
    ticket: i64,
    body: &str,
    files: &[(&str, &str, &[u8])],
) -> i64 {
    let assignee: i64 = sqlx::query_scalar("SELECT assignee_id FROM tickets WHERE number = ?")
        .bind(ticket)
        .fetch_one(&server.db.readers)
        .await
        .unwrap();
    let token = server.token(shiftdesk_domain::AgentId(assignee)).await;
    let mut attachments = Vec::new();
    for (name, media_type, bytes) in files {
        let (status, _, _) = server.put_file(&token, bytes).await;
        assert!(status.is_success(), "{status}");
        attachments.push(NewAttachment {
            content_hash: common::sha256(bytes).try_into().unwrap(),
            name: (*name).into(),
            media_type: (*media_type).into(),
        });
    }
    let outcome = server
        .push_one(
            &token,
            ticket,
            Mutation::Reply {
                channel: Channel::Telegram,
                body: body.into(),
                attachments,
                cc: vec![],
            },
        )
        .await;
    match outcome {
        MutationOutcome::Applied {
            message: Some(id), ..
        } => id.0,
        other => panic!("{other:?}"),
    }
}

async fn delivery_of(server: &Server, message: i64) -> (String, Option<String>) {
    sqlx::query_as("SELECT state, last_error FROM deliveries WHERE message_id = ?")
        .bind(message)
        .fetch_one(&server.db.readers)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_message_becomes_a_ticket_and_a_long_reply_arrives_in_three_paced_parts() {
    let server = server().await;
    let emulator = Emulator::start();
    let gateway = emulator.gateway(&server);

    emulator
        .customer_writes(json!({"chat": 9001, "first_name": "Ирина", "text": "Не открывается консоль <b>проекта</b> & всё"}))
        .await;
    assert_eq!(gateway.receive_once().await.unwrap(), 1);
    let thread = thread_of_chat(&server, 9001).await;
    assert_eq!(thread.len(), 1);
    let ticket = thread[0].0;
    assert_eq!(thread[0].1, "Не открывается консоль <b>проекта</b> & всё");
    let stored = server.ticket(ticket).await;
    assert_eq!(stored.channel, Channel::Telegram);
    assert_eq!(stored.service.name, shiftdesk_domain::Service::NOT_STATED);
    assert!(stored.assignee.is_some(), "intake assigns it");
    // Asked again, the emulator has nothing new: nothing doubles.
    assert_eq!(gateway.receive_once().await.unwrap(), 0);

    // 25 paragraphs, 10,000 characters and more, with characters to escape.
    let paragraphs: Vec<String> = (0..25)
        .map(|i| format!("{i:02} <&> {}.", "ш".repeat(392)))
        .collect();
    let body = paragraphs.join("\n\n");
    assert!(body.chars().count() >= 10_000);
    let message = reply(&server, ticket, &body).await;
    let started = std::time::Instant::now();
    let mut last_sent = HashMap::new();
    assert_eq!(gateway.send_due(&mut last_sent).await.unwrap(), 1);
    let paced = started.elapsed();

    let sent = emulator.sent().await;
    assert_eq!(sent.len(), 3, "{sent:?}");
    let texts: Vec<&str> = sent.iter().map(|m| m["text"].as_str().unwrap()).collect();
    for (m, text) in sent.iter().zip(&texts) {
        assert_eq!(m["chat_id"], json!(9001));
        assert_eq!(m["parse_mode"], "HTML");
        let visible = text
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&");
        assert!(visible.encode_utf16().count() <= MAX_MESSAGE_CHARS);
        assert!(!text.contains("<&>"), "escaped");
    }
    assert!(texts[0].starts_with("00 &lt;&amp;&gt;"));
    assert!(texts[2].ends_with("ш."));
    let rejoined = texts
        .join("\n\n")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    assert_eq!(rejoined, body, "in order, nothing lost");
    assert!(paced >= Duration::from_secs(2), "one a second: {paced:?}");
    assert_eq!(delivery_of(&server, message).await.0, "delivered");

    // The customer answers: the same ticket.
    emulator
        .customer_writes(json!({"chat": 9001, "text": "Спасибо, заработало"}))
        .await;
    assert_eq!(gateway.receive_once().await.unwrap(), 1);
    let thread = thread_of_chat(&server, 9001).await;
    assert!(thread.iter().all(|(t, _)| *t == ticket));
    assert_eq!(thread.last().unwrap().1, "Спасибо, заработало");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn odd_updates_and_a_failing_bot_api_lose_nothing_and_double_nothing() {
    let server = server().await;
    let emulator = Emulator::start();
    let gateway = emulator.gateway(&server);
    use base64_bytes as b64;

    // The Bot API fails: nothing is taken, and the next poll gets it all.
    emulator
        .customer_writes(json!({"chat": 9002, "text": "первое"}))
        .await;
    emulator
        .control("/control/faults", json!({"status": 500, "count": 1}))
        .await;
    assert!(gateway.receive_once().await.is_err());
    assert_eq!(gateway.receive_once().await.unwrap(), 1);

    emulator
        .customer_writes(json!({"chat": 9002, "sticker": "👍"}))
        .await;
    emulator
        .customer_writes(json!({"chat": 9002, "edited": 1, "text": "первое, исправленное"}))
        .await;
    emulator
        .customer_writes(
            json!({"chat": 9002, "caption": "скриншот ошибки", "photo": b64(b"\x89PNG fake")}),
        )
        .await;
    emulator
        .customer_writes(json!({"chat": 9002, "document": {"base64": b64(b"big"), "name": "dump.tar", "mime": "application/x-tar", "claimed_size": 25 * 1024 * 1024}}))
        .await;
    emulator
        .customer_writes(json!({"chat": -100500, "chat_type": "group", "text": "в группе"}))
        .await;
    let mut stored = 0;
    for _ in 0..5 {
        stored += gateway.receive_once().await.unwrap();
    }
    assert_eq!(stored, 4, "the group message is not stored");
    let bodies: Vec<String> = thread_of_chat(&server, 9002)
        .await
        .into_iter()
        .map(|(_, b)| b)
        .collect();
    assert_eq!(bodies[0], "первое");
    assert_eq!(bodies[1], "[sticker 👍]");
    assert_eq!(bodies[2], "✎ первое, исправленное");
    assert_eq!(bodies[3], "скриншот ошибки");
    assert!(
        bodies[4].contains("dump.tar was not fetched") && bodies[4].contains("20 MB"),
        "{}",
        bodies[4]
    );
    let photo: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM attachments WHERE json_extract(body, '$.name') LIKE 'photo-%'",
    )
    .fetch_one(&server.db.readers)
    .await
    .unwrap();
    assert_eq!(photo, 1);

    // Sending meets a 429: the reply waits its turn, then goes once.
    let ticket = thread_of_chat(&server, 9002).await[0].0;
    let message = reply(&server, ticket, "Проверили, всё работает.").await;
    emulator
        .control(
            "/control/faults",
            json!({"status": 429, "retry_after": 1, "count": 1}),
        )
        .await;
    let mut last_sent = HashMap::new();
    gateway.send_due(&mut last_sent).await.unwrap();
    let (state, error) = delivery_of(&server, message).await;
    assert_eq!(state, "queued");
    assert!(error.unwrap().contains("wait 1 s"));
    assert!(emulator.sent().await.is_empty());
    tokio::time::sleep(Duration::from_millis(2100)).await;
    gateway.send_due(&mut last_sent).await.unwrap();
    assert_eq!(delivery_of(&server, message).await.0, "delivered");
    assert_eq!(emulator.sent().await.len(), 1);
}

fn base64_bytes(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `serve` runs the gateway its configuration file describes: a customer
/// writing to the bot lands in the served database.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_served_binary_runs_the_bot_its_configuration_names() {
    use common::process::{free_port, terminate, wait_for_port, BIN};

    let emulator = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bot.token"), format!("{TOKEN}\n")).unwrap();
    let config = dir.path().join("desk.toml");
    let port = free_port();
    std::fs::write(
        &config,
        format!(
            "database = \"desk.sqlite\"\nlisten = \"127.0.0.1:{port}\"\n\
             [telegram]\napi_base = \"{}\"\ntoken_file = \"bot.token\"\nlong_poll_secs = 1\n",
            emulator.base
        ),
    )
    .unwrap();
    let serve = |config: &std::path::Path| {
        Command::new(BIN)
            .arg("--config")
            .arg(config)
            .arg("serve")
            .env_remove("SHIFTDESK_TELEGRAM_TOKEN")
            .env_remove("SHIFTDESK_SERVER_DB")
            .env_remove("SHIFTDESK_SERVER_LISTEN")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let serving = serve(&config);
    wait_for_port(port);
    emulator
        .customer_writes(json!({"chat": 9010, "first_name": "Пётр", "text": "Через сервер"}))
        .await;
    let db = shiftdesk_server::Db::open(&dir.path().join("desk.sqlite"))
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let body = loop {
        let body: Option<String> = sqlx::query_scalar(
            "SELECT json_extract(m.body, '$.body') FROM messages m \
             JOIN tickets t ON t.number = m.ticket_number JOIN customers c ON c.id = t.customer_id \
             WHERE json_extract(c.body, '$.telegram_chat') = 9010",
        )
        .fetch_optional(&db.readers)
        .await
        .unwrap();
        if let Some(body) = body {
            break body;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the served gateway did not store the message"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(body, "Через сервер");
    let log = terminate(serving);
    assert!(log.contains("telegram: the bot gateway is on"), "{log}");
    assert!(
        !log.contains(TOKEN),
        "the token never reaches the log: {log}"
    );
    db.close().await;

    // A bot without its token does not start, and says what to set.
    std::fs::remove_file(dir.path().join("bot.token")).unwrap();
    let out = serve(&config).wait_with_output().unwrap();
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("bot.token"), "{said}");
}

/// A reply's files follow its text as documents, whole; a file over the
/// Bot API's 50 MB upload limit fails the reply before any of it goes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_s_files_go_as_documents_after_its_text() {
    let server = server().await;
    let emulator = Emulator::start();
    let gateway = emulator.gateway(&server);
    emulator
        .customer_writes(json!({"chat": 9020, "text": "Пришлите инструкцию"}))
        .await;
    assert_eq!(gateway.receive_once().await.unwrap(), 1);
    let ticket = thread_of_chat(&server, 9020).await[0].0;

    let guide: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    let message = reply_with_files(
        &server,
        ticket,
        "Инструкция во вложении.",
        &[
            (
                "Инструкция по восстановлению.pdf",
                "application/pdf",
                &guide,
            ),
            ("commands.txt", "text/plain", b"systemctl restart agent\n"),
        ],
    )
    .await;
    let mut last_sent = HashMap::new();
    gateway.send_due(&mut last_sent).await.unwrap();
    assert_eq!(delivery_of(&server, message).await.0, "delivered");
    let sent = emulator.sent().await;
    assert_eq!(sent.len(), 3, "{sent:?}");
    assert_eq!(sent[0]["text"], "Инструкция во вложении.");
    assert_eq!(
        sent[1]["document"]["file_name"],
        "Инструкция по восстановлению.pdf"
    );
    assert_eq!(sent[1]["document"]["mime_type"], "application/pdf");
    assert_eq!(sent[1]["document"]["sha256"], common::sha256(&guide));
    assert_eq!(sent[2]["document"]["file_name"], "commands.txt");
    let peer_ref: String =
        sqlx::query_scalar("SELECT peer_ref FROM deliveries WHERE message_id = ?")
            .bind(message)
            .fetch_one(&server.db.readers)
            .await
            .unwrap();
    assert_eq!(peer_ref.split(',').count(), 3, "every message's id is kept");

    // A file too big for a bot (it came in another way than the 50 MB
    // API): nothing is sent, and the reply says why.
    let message = reply_with_files(
        &server,
        ticket,
        "И дамп диска.",
        &[("disk.img", "application/octet-stream", b"pretend")],
    )
    .await;
    sqlx::query(
        "UPDATE attachments SET body = json_set(body, '$.size_bytes', 60 * 1024 * 1024) \
         WHERE json_extract(body, '$.message') = ?",
    )
    .bind(message)
    .execute(&server.db.writer)
    .await
    .unwrap();
    gateway.send_due(&mut last_sent).await.unwrap();
    let (state, reason) = delivery_of(&server, message).await;
    assert_eq!(state, "failed");
    let reason = reason.unwrap();
    assert!(
        reason.contains("disk.img is 60 MB") && reason.contains("share a link"),
        "{reason}"
    );
    assert_eq!(emulator.sent().await.len(), 3, "nothing more was sent");
}
