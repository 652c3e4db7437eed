//! The email gateway against real peers: Debian's Dovecot serving the
//! support mailbox over IMAP and Debian's aiosmtpd taking replies over
//! SMTP (tests/email/peers.rs). A customer's mail becomes a ticket and the
//! agent's reply reaches them threaded, with the Cc, both parts, the quote
//! and a file; their answer threads back. Broken, odd, automatic, looping,
//! oversized and very many mails lose nothing and double nothing; an SMTP
//! server refusing or hanging up is failed or retried as it should be.

#![allow(clippy::unwrap_used)] // a test that cannot go on should stop loudly

mod common;
#[path = "email/peers.rs"]
mod peers;

use std::time::{Duration, Instant};

use common::{server, Server};
use mail_parser::{MessageParser, MimeHeaders};
use peers::{deliver, forget_seen, unseen, Dovecot, Smtp};
use shiftdesk_domain::{AgentId, Channel, ContentHash, DeliveryState, MessageId};
use shiftdesk_protocol::{Mutation, MutationOutcome, NewAttachment};
use shiftdesk_server::channels::email::{
    EmailGateway, EmailSettings, ImapSettings, Security, SmtpSettings,
};
use shiftdesk_server::AppState;

const DESK: &str = "support@desk.test";

struct Desk {
    server: Server,
    imap: Dovecot,
    smtp: Smtp,
    gateway: EmailGateway,
}

async fn desk() -> Desk {
    desk_polling(Duration::from_secs(1)).await
}

async fn desk_polling(poll_interval: Duration) -> Desk {
    let server = server().await;
    let imap = Dovecot::start();
    let smtp = Smtp::start();
    let settings = EmailSettings {
        imap: ImapSettings {
            host: "127.0.0.1".into(),
            port: imap.port,
            user: peers::USER.into(),
            password: peers::PASSWORD.into(),
            mailbox: "INBOX".into(),
            poll_interval,
            security: Security::Plain,
        },
        smtp: SmtpSettings {
            host: "127.0.0.1".into(),
            port: smtp.port,
            user: None,
            password: None,
            security: Security::Plain,
            timeout: Duration::from_secs(5),
        },
        address: DESK.into(),
        display_name: Some("Desk Support".into()),
        domain: "desk.test".into(),
        max_mail_bytes: EmailSettings::DEFAULT_MAX_MAIL_BYTES,
    };
    let gateway = EmailGateway::new(AppState::new(server.db.clone()), &settings).unwrap();
    Desk {
        server,
        imap,
        smtp,
        gateway,
    }
}

/// A mail of `headers` and `body`, lines ended with CRLF.
fn mail(headers: &[&str], body: &str) -> Vec<u8> {
    let mut text = headers.join("\r\n");
    text.push_str("\r\n\r\n");
    text.push_str(&body.replace("\r\n", "\n").replace('\n', "\r\n"));
    text.into_bytes()
}

/// `(ticket, message id, body)` of every message on the customer's tickets.
async fn messages_from(server: &Server, address: &str) -> Vec<(i64, i64, String)> {
    sqlx::query_as(
        "SELECT m.ticket_number, m.id, json_extract(m.body, '$.body') FROM messages m \
         JOIN tickets t ON t.number = m.ticket_number JOIN customers c ON c.id = t.customer_id \
         WHERE lower(json_extract(c.body, '$.email')) = ? ORDER BY m.id",
    )
    .bind(address)
    .fetch_all(&server.db.readers)
    .await
    .unwrap()
}

/// `(name, media type, content hash)` of a message's files.
async fn files_of(server: &Server, message: i64) -> Vec<(String, String, String)> {
    sqlx::query_as(
        "SELECT json_extract(body, '$.name'), json_extract(body, '$.media_type'), \
         json_extract(body, '$.content_hash') FROM attachments \
         WHERE json_extract(body, '$.message') = ? ORDER BY id",
    )
    .bind(message)
    .fetch_all(&server.db.readers)
    .await
    .unwrap()
}

async fn stored_file(server: &Server, hash: &str) -> Vec<u8> {
    let hash = ContentHash::try_from(hash.to_owned()).unwrap();
    tokio::fs::read(server.db.files.path_of(&hash))
        .await
        .unwrap()
}

async fn assignee_token(server: &Server, ticket: i64) -> String {
    let ticket = server.ticket(ticket).await;
    server
        .token(ticket.assignee.unwrap_or(AgentId(shiftdesk_demo::ME.0)))
        .await
}

async fn reply(
    server: &Server,
    token: &str,
    ticket: i64,
    body: &str,
    files: Vec<NewAttachment>,
) -> i64 {
    let outcome = server
        .push_one(
            token,
            ticket,
            Mutation::Reply {
                channel: Channel::Email,
                body: body.into(),
                attachments: files,
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

fn first_mail() -> Vec<u8> {
    mail(
        &[
            "From: \"Anna Petrova\" <Anna.Petrova@Example.com>",
            "To: Desk Support <support@desk.test>",
            "Cc: Carol Jones <carol@example.com>",
            "Subject: VM vm-42 does not boot",
            "Message-ID: <first.1@mail.example.com>",
            "Date: Mon, 1 Jun 2026 10:15:00 +0300",
            "MIME-Version: 1.0",
            "Content-Type: multipart/mixed; boundary=\"outer\"",
        ],
        "--outer\n\
         Content-Type: multipart/alternative; boundary=\"inner\"\n\
         \n\
         --inner\n\
         Content-Type: text/plain; charset=utf-8\n\
         \n\
         My VM vm-42 does not boot since 10:00.\n\
         The log is attached.\n\
         \n\
         On Mon, 1 Jun 2026 at 09:00, Bob wrote:\n\
         > Did you try restarting it?\n\
         --inner\n\
         Content-Type: text/html; charset=utf-8\n\
         \n\
         <p>My VM <b>vm-42</b> does not boot since 10:00.</p><p>The log is attached.</p>\
         <blockquote>Did you try restarting it?</blockquote>\n\
         --inner--\n\
         --outer\n\
         Content-Type: text/plain; name=\"boot.log\"\n\
         Content-Disposition: attachment; filename=\"boot.log\"\n\
         \n\
         kernel panic: VFS unable to mount root fs\n\
         --outer--\n",
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_mail_becomes_a_ticket_and_the_threaded_reply_and_answer_go_round() {
    let Desk {
        server,
        imap,
        smtp,
        gateway,
    } = desk().await;
    let mut mailbox = imap.session().await;
    deliver(&mut mailbox, &[first_mail()]).await;

    assert_eq!(gateway.receive_once().await.unwrap(), 1, "{}", imap.log());
    let thread = messages_from(&server, "anna.petrova@example.com").await;
    assert_eq!(thread.len(), 1);
    let (ticket, first, body) = thread[0].clone();
    assert_eq!(
        body,
        "My VM vm-42 does not boot since 10:00.\nThe log is attached."
    );
    let stored = server.ticket(ticket).await;
    assert_eq!(stored.channel, Channel::Email);
    assert_eq!(stored.subject, "VM vm-42 does not boot");
    let customer: (String, String) = sqlx::query_as(
        "SELECT json_extract(body, '$.name'), json_extract(body, '$.email') FROM customers WHERE id = ?",
    )
    .bind(stored.customer.0)
    .fetch_one(&server.db.readers)
    .await
    .unwrap();
    assert_eq!(
        customer,
        ("Anna Petrova".into(), "anna.petrova@example.com".into())
    );
    let files = files_of(&server, first).await;
    let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(
        names,
        ["boot.log", "message.html", "original.eml"],
        "{files:?}"
    );
    assert_eq!(
        stored_file(&server, &files[0].2).await,
        b"kernel panic: VFS unable to mount root fs"
    );
    assert_eq!(files[1].1, "text/html");
    let html = String::from_utf8(stored_file(&server, &files[1].2).await).unwrap();
    assert!(html.contains("<b>vm-42</b>"), "{html}");
    let original = stored_file(&server, &files[2].2).await;
    assert!(
        String::from_utf8_lossy(&original).contains("> Did you try restarting it?"),
        "the quoted history stays reachable"
    );
    assert_eq!(unseen(&mut mailbox).await, 0, "marked seen: {}", imap.log());
    assert_eq!(gateway.receive_once().await.unwrap(), 0, "nothing doubles");

    // The agent answers with a file.
    let token = assignee_token(&server, ticket).await;
    let screenshot = b"\x89PNG the console after the fix".to_vec();
    let (status, _, _) = server.put_file(&token, &screenshot).await;
    assert!(status.is_success(), "{status}");
    let answer = reply(
        &server,
        &token,
        ticket,
        "Hello **Anna**,\n\nwe restarted the host <vm-42> & it boots again.",
        vec![NewAttachment {
            content_hash: ContentHash::try_from(common::sha256(&screenshot)).unwrap(),
            name: "console.png".into(),
            media_type: "image/png".into(),
        }],
    )
    .await;
    assert_eq!(gateway.send_due().await.unwrap(), 1);
    let received = smtp.received();
    assert_eq!(received.len(), 1);
    let sent = MessageParser::default().parse(&received[0].raw).unwrap();
    let our_id = format!("ticket-{ticket}.message-{answer}@desk.test");
    assert_eq!(
        sent.subject(),
        Some(format!("Re: VM vm-42 does not boot [#{ticket}]").as_str())
    );
    assert_eq!(sent.message_id(), Some(our_id.as_str()));
    assert_eq!(
        sent.in_reply_to().as_text(),
        Some("first.1@mail.example.com")
    );
    let references = sent.references();
    assert!(
        references.as_text() == Some("first.1@mail.example.com")
            || references
                .as_text_list()
                .is_some_and(|l| l.iter().any(|r| r == "first.1@mail.example.com")),
        "{references:?}"
    );
    assert_eq!(sent.from().unwrap().first().unwrap().address(), Some(DESK));
    assert_eq!(
        sent.to().unwrap().first().unwrap().address(),
        Some("anna.petrova@example.com")
    );
    assert_eq!(
        sent.cc().unwrap().first().unwrap().address(),
        Some("carol@example.com")
    );
    let mut recipients = received[0].recipients.clone();
    recipients.sort();
    assert_eq!(
        recipients,
        ["anna.petrova@example.com", "carol@example.com"]
    );
    let text = sent.body_text(0).unwrap().replace("\r\n", "\n");
    assert!(
        text.starts_with("Hello **Anna**,\n\nwe restarted the host <vm-42> & it boots again."),
        "{text}"
    );
    assert!(
        text.contains(
            "Anna Petrova wrote:\n> My VM vm-42 does not boot since 10:00.\n> The log is attached."
        ),
        "{text}"
    );
    let html = sent.body_html(0).unwrap();
    assert!(html.contains("<strong>Anna</strong>"), "{html}");
    assert!(html.contains("&lt;vm-42&gt; &amp; it boots"), "{html}");
    assert!(
        html.contains("<blockquote type=\"cite\">My VM vm-42 does not boot since 10:00.<br>"),
        "{html}"
    );
    let attached: Vec<_> = sent.attachments().collect();
    assert_eq!(attached.len(), 1);
    assert_eq!(attached[0].attachment_name(), Some("console.png"));
    assert_eq!(attached[0].contents(), screenshot.as_slice());
    assert_eq!(
        server.pulled_delivery(&token, MessageId(answer)).await,
        DeliveryState::Sent
    );
    assert_eq!(gateway.send_due().await.unwrap(), 0, "sent once");

    // Anna answers the reply with a subject of her own: the same ticket.
    deliver(
        &mut mailbox,
        &[mail(
            &[
                "From: Anna Petrova <anna.petrova@example.com>",
                "To: support@desk.test",
                "Subject: works now, thanks",
                "Message-ID: <second.2@mail.example.com>",
                &format!("In-Reply-To: <{our_id}>"),
                &format!("References: <first.1@mail.example.com> <{our_id}>"),
            ],
            "Thanks, it works now.\n\nOn Mon, Desk Support wrote:\n> Hello **Anna**,\n",
        )],
    )
    .await;
    assert_eq!(gateway.receive_once().await.unwrap(), 1);
    let thread = messages_from(&server, "anna.petrova@example.com").await;
    assert_eq!(thread.len(), 3, "{thread:?}");
    assert_eq!(thread[2].0, ticket);
    assert_eq!(thread[2].2, "Thanks, it works now.");

    // Carol, on the Cc, writes with the ticket's tag: the same ticket. A
    // stranger using the tag, and Anna with a new subject, open new ones.
    deliver(
        &mut mailbox,
        &[
            mail(
                &[
                    "From: carol@example.com",
                    &format!("Subject: one more thing [#{ticket}]"),
                    "Message-ID: <c1@example.com>",
                ],
                "Please also check vm-43.",
            ),
            mail(
                &[
                    "From: mallory@evil.test",
                    &format!("Subject: Re: [#{ticket}]"),
                    "Message-ID: <e1@evil.test>",
                ],
                "Let me in.",
            ),
            mail(
                &[
                    "From: ANNA.PETROVA@example.com",
                    "Subject: Invoice question",
                    "Message-ID: <third.3@mail.example.com>",
                ],
                "Why was I billed twice?",
            ),
        ],
    )
    .await;
    assert_eq!(gateway.receive_once().await.unwrap(), 3);
    let carol: i64 = sqlx::query_scalar(
        "SELECT ticket_number FROM messages WHERE json_extract(body, '$.body') = 'Please also check vm-43.'",
    )
    .fetch_one(&server.db.readers)
    .await
    .unwrap();
    assert_eq!(carol, ticket);
    let mallory: i64 = sqlx::query_scalar(
        "SELECT ticket_number FROM messages WHERE json_extract(body, '$.body') = 'Let me in.'",
    )
    .fetch_one(&server.db.readers)
    .await
    .unwrap();
    assert_ne!(mallory, ticket);
    let thread = messages_from(&server, "anna.petrova@example.com").await;
    let invoice = thread.last().unwrap();
    assert_eq!(invoice.2, "Why was I billed twice?");
    assert_ne!(invoice.0, ticket, "a new subject is a new ticket");
    assert_eq!(
        server.ticket(invoice.0).await.customer,
        stored.customer,
        "the same customer"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broken_odd_automatic_looping_and_oversized_mails_lose_nothing_and_open_no_false_tickets() {
    let Desk {
        server,
        imap,
        gateway,
        ..
    } = desk().await;
    let mut mailbox = imap.session().await;
    let tickets_before = server.count("tickets").await;
    let mut huge = mail(
        &[
            "From: Boris <boris@example.com>",
            "Subject: full disk image",
            "Message-ID: <huge@example.com>",
            "Content-Type: multipart/mixed; boundary=\"b\"",
        ],
        "--b\nContent-Type: text/plain\n\nThe image is attached.\n--b\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename=\"disk.img\"\nContent-Transfer-Encoding: base64\n\n",
    );
    let line = b"QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB\r\n";
    while huge.len() < 30 * 1024 * 1024 {
        huge.extend_from_slice(line);
    }
    huge.extend_from_slice(b"--b--\r\n");
    let mut eight_bit = b"From: \xd0\x92\xd0\xb5\xd1\x80\xd0\xb0 <vera@example.com>\r\nSubject: \xd0\x9d\xd0\xb5 \xd1\x80\xd0\xb0\xd0\xb1\xd0\xbe\xd1\x82\xd0\xb0\xd0\xb5\xd1\x82 \xff\xfe\r\nMessage-ID: <raw8@example.com>\r\n\r\n".to_vec();
    eight_bit.extend_from_slice("Консоль не открывается.\r\n".as_bytes());
    let mails = vec![
        // Broken MIME: no closing boundary, base64 that is not.
        mail(
            &[
                "From: broken@example.com",
                "Subject: broken",
                "Message-ID: <broken@example.com>",
                "Content-Type: multipart/mixed; boundary=\"x\"",
            ],
            "--x\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\n!!!not base64!!!\n--x\nContent-Type: text/plain\n\nThe second part is readable.\n",
        ),
        mail(
            &["From: charset@example.com", "Subject: odd charset", "Message-ID: <charset@example.com>", "Content-Type: text/plain; charset=x-unknown"],
            "Text in a charset nobody knows.",
        ),
        eight_bit,
        mail(&["From: empty@example.com", "Subject: empty", "Message-ID: <empty@example.com>"], ""),
        mail(&["Subject: who am I", "Message-ID: <nofrom@example.com>"], "A mail without a sender."),
        huge,
        // No person wrote these.
        mail(
            &["From: MAILER-DAEMON@mx.example.com", "Return-Path: <>", "Subject: Undelivered Mail Returned to Sender", "Content-Type: multipart/report; report-type=delivery-status; boundary=\"r\""],
            "--r\nContent-Type: text/plain\n\nYour mail could not be delivered.\n--r--\n",
        ),
        mail(&["From: anna@example.com", "Auto-Submitted: auto-replied", "Subject: Out of office"], "I am away until Monday."),
        mail(&["From: news@example.com", "List-Id: <news.example.com>", "Subject: Newsletter"], "News."),
        // The desk's own mail coming back.
        mail(&["From: Desk Support <Support@Desk.test>", "Subject: Re: anything [#10001]"], "A reply of ours."),
        mail(&["From: relay@example.com", "Message-ID: <ticket-10001.message-7@desk.test>", "Subject: Re: x"], "Ours, relayed back."),
    ];
    deliver(&mut mailbox, &mails).await;

    assert_eq!(gateway.receive_once().await.unwrap(), 6, "{}", imap.log());
    assert_eq!(unseen(&mut mailbox).await, 0, "every mail is marked seen");
    assert_eq!(
        server.count("tickets").await,
        tickets_before + 6,
        "automatic and looping mail opens no ticket"
    );
    let body_of = |reference: &'static str| {
        let db = server.db.readers.clone();
        async move {
            let (message, body): (i64, String) = sqlx::query_as(
                "SELECT m.id, json_extract(m.body, '$.body') FROM channel_refs r JOIN messages m ON m.id = r.message_id \
                 WHERE r.channel = 'email' AND r.ref = ?",
            )
            .bind(reference)
            .fetch_one(&db)
            .await
            .unwrap();
            (message, body)
        }
    };
    let (broken, body) = body_of("broken@example.com").await;
    assert!(body.contains("The second part is readable."), "{body}");
    assert!(files_of(&server, broken)
        .await
        .iter()
        .any(|f| f.0 == "original.eml"));
    let (_, body) = body_of("charset@example.com").await;
    assert!(body.contains("Text in a charset nobody knows."), "{body}");
    assert!(body.contains("\"x-unknown\" is unknown"), "{body}");
    let (raw8, body) = body_of("raw8@example.com").await;
    assert_eq!(body, "Консоль не открывается.");
    let raw8_ticket: i64 = sqlx::query_scalar("SELECT ticket_number FROM messages WHERE id = ?")
        .bind(raw8)
        .fetch_one(&server.db.readers)
        .await
        .unwrap();
    assert!(server
        .ticket(raw8_ticket)
        .await
        .subject
        .starts_with("Не работает"));
    let (_, body) = body_of("empty@example.com").await;
    assert_eq!(body, "[The mail has no text.]");
    let (_, body) = body_of("nofrom@example.com").await;
    assert!(body.starts_with("A mail without a sender."), "{body}");
    assert!(body.contains("no sender"), "{body}");
    let (huge, body) = body_of("huge@example.com").await;
    assert!(body.contains("too large"), "{body}");
    assert!(
        body.contains("30.0 MB") && body.contains("25.0 MB"),
        "{body}"
    );
    assert!(
        body.contains("full disk image") && body.contains("boris@example.com"),
        "{body}"
    );
    assert!(files_of(&server, huge).await.is_empty());
    let boris = messages_from(&server, "boris@example.com").await;
    assert_eq!(boris.len(), 1, "the customer is not lost");

    // Again, and after a crash that left them all unseen: nothing doubles.
    let messages = server.count("messages").await;
    assert_eq!(gateway.receive_once().await.unwrap(), 0);
    forget_seen(&mut mailbox).await;
    assert_eq!(gateway.receive_once().await.unwrap(), 0);
    assert_eq!(server.count("messages").await, messages);
    assert_eq!(unseen(&mut mailbox).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_storm_of_a_thousand_mails_fills_few_tickets_and_each_mail_is_stored_once_even_after_a_crash(
) {
    let Desk {
        server,
        imap,
        gateway,
        ..
    } = desk().await;
    let mut mailbox = imap.session().await;
    let mails: Vec<Vec<u8>> = (0..1000)
        .map(|i| {
            mail(
                &[
                    &format!("From: sender{}@bomb.example", i % 7),
                    &format!("Subject: mail {i}"),
                    &format!("Message-ID: <bomb.{i}@bomb.example>"),
                ],
                &format!("This is mail number {i}."),
            )
        })
        .collect();
    deliver(&mut mailbox, &mails).await;
    let refs_before = server.count("channel_refs").await;

    let started = Instant::now();
    assert_eq!(gateway.receive_once().await.unwrap(), 1000);
    let took = started.elapsed();
    eprintln!(
        "imap_ingest_msgs_per_s {:.0} (1000 mails in {:.2} s)",
        1000.0 / took.as_secs_f64(),
        took.as_secs_f64()
    );
    assert_eq!(server.count("channel_refs").await - refs_before, 1000);
    assert_eq!(unseen(&mut mailbox).await, 0);
    // Seven senders each open five tickets; the rest of their storm joins
    // their latest one, each mail with its subject.
    let tickets: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT t.number, (SELECT count(*) FROM messages m WHERE m.ticket_number = t.number) \
         FROM tickets t JOIN customers c ON c.id = t.customer_id \
         WHERE json_extract(c.body, '$.email') LIKE '%@bomb.example'",
    )
    .fetch_all(&server.db.readers)
    .await
    .unwrap();
    assert_eq!(tickets.len(), 7 * 5);
    assert_eq!(tickets.iter().map(|(_, m)| m).sum::<i64>(), 1000);
    let joined: String = sqlx::query_scalar(
        "SELECT json_extract(body, '$.body') FROM messages \
         WHERE json_extract(body, '$.body') LIKE '%This is mail number 999.'",
    )
    .fetch_one(&server.db.readers)
    .await
    .unwrap();
    assert_eq!(joined, "Subject: mail 999\n\nThis is mail number 999.");

    // A crash between the commits and \Seen: every mail is unseen again.
    let messages = server.count("messages").await;
    forget_seen(&mut mailbox).await;
    assert_eq!(unseen(&mut mailbox).await, 1000);
    assert_eq!(gateway.receive_once().await.unwrap(), 0);
    assert_eq!(server.count("messages").await, messages, "none doubled");
    assert_eq!(unseen(&mut mailbox).await, 0);
    let bodies: i64 = sqlx::query_scalar(
        "SELECT count(DISTINCT json_extract(body, '$.body')) FROM messages WHERE json_extract(body, '$.body') LIKE '%This is mail number %'",
    )
    .fetch_one(&server.db.readers)
    .await
    .unwrap();
    assert_eq!(bodies, 1000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_smtp_refusal_fails_in_its_words_and_a_dropped_connection_is_retried_once() {
    let Desk {
        server,
        imap,
        smtp,
        gateway,
    } = desk().await;
    let mut mailbox = imap.session().await;
    deliver(
        &mut mailbox,
        &[mail(
            &[
                "From: dan@example.com",
                "Subject: quota",
                "Message-ID: <q@example.com>",
            ],
            "Please raise my quota.",
        )],
    )
    .await;
    assert_eq!(gateway.receive_once().await.unwrap(), 1);
    let ticket = messages_from(&server, "dan@example.com").await[0].0;
    let token = assignee_token(&server, ticket).await;

    // Refused: failed at once, in the server's words; the agent retries.
    smtp.answer("refuse");
    let refused = reply(&server, &token, ticket, "Raised to 200 GB.", vec![]).await;
    assert_eq!(gateway.send_due().await.unwrap(), 1);
    match server.pulled_delivery(&token, MessageId(refused)).await {
        DeliveryState::Failed { reason } => {
            assert!(reason.contains("550"), "{reason}");
            assert!(
                reason.contains("the recipient's mailbox refuses this mail"),
                "{reason}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(smtp.received().is_empty());
    smtp.answer("accept");
    let outcome = server
        .push_one(
            &token,
            ticket,
            Mutation::RetryDelivery {
                message: MessageId(refused),
            },
        )
        .await;
    assert!(
        matches!(outcome, MutationOutcome::Applied { .. }),
        "{outcome:?}"
    );
    assert_eq!(gateway.send_due().await.unwrap(), 1);
    assert_eq!(
        server.pulled_delivery(&token, MessageId(refused)).await,
        DeliveryState::Sent
    );
    assert_eq!(smtp.received().len(), 1);

    // Dropped before DATA is answered: queued again, then sent once.
    smtp.answer("drop");
    let dropped = reply(
        &server,
        &token,
        ticket,
        "Also raised the inode limit.",
        vec![],
    )
    .await;
    assert_eq!(gateway.send_due().await.unwrap(), 1);
    let (state, error): (String, Option<String>) =
        sqlx::query_as("SELECT state, last_error FROM deliveries WHERE message_id = ?")
            .bind(dropped)
            .fetch_one(&server.db.readers)
            .await
            .unwrap();
    assert_eq!(state, "queued");
    assert!(error.is_some());
    assert_eq!(
        server.pulled_delivery(&token, MessageId(dropped)).await,
        DeliveryState::Queued
    );
    smtp.answer("accept");
    assert_eq!(
        gateway.send_due().await.unwrap(),
        0,
        "not before its backoff"
    );
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_eq!(gateway.send_due().await.unwrap(), 1);
    assert_eq!(
        server.pulled_delivery(&token, MessageId(dropped)).await,
        DeliveryState::Sent
    );
    let received = smtp.received();
    assert_eq!(received.len(), 2);
    let sent = MessageParser::default().parse(&received[1].raw).unwrap();
    assert_eq!(
        sent.message_id(),
        Some(format!("ticket-{ticket}.message-{dropped}@desk.test").as_str())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_running_gateway_hears_of_new_mail_by_idle_and_sends_replies_on_its_own() {
    // A minute between polls: a mail taken in sooner came by IDLE.
    let Desk {
        server,
        imap,
        smtp,
        gateway,
    } = desk_polling(Duration::from_secs(60)).await;
    gateway.spawn();
    let mut mailbox = imap.session().await;
    // Let the gateway look once and settle into IDLE.
    tokio::time::sleep(Duration::from_millis(700)).await;
    deliver(
        &mut mailbox,
        &[mail(
            &[
                "From: eve@example.com",
                "Subject: backup",
                "Message-ID: <idle@example.com>",
            ],
            "Where is last night's backup?",
        )],
    )
    .await;
    let started = Instant::now();
    let ticket = loop {
        if let Some(first) = messages_from(&server, "eve@example.com").await.first() {
            break first.0;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "not taken in: {}",
            imap.log()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let token = assignee_token(&server, ticket).await;
    reply(
        &server,
        &token,
        ticket,
        "It is in the usual bucket.",
        vec![],
    )
    .await;
    let started = Instant::now();
    while smtp.received().is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the reply was not sent"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
