//! Reading one raw mail into what the gateway stores: who wrote it and to
//! whom, how it threads, whether a person wrote it, its text (without the
//! quoted history), its HTML and its files, and what could not be read
//! cleanly, said so the agent sees it.

use mail_parser::decoders::charsets::map::charset_decoder;
use mail_parser::{Address, HeaderValue, Message, MessageParser, MimeHeaders, PartType};
use sha2::{Digest, Sha256};
use shiftdesk_domain::email::{automatic_mail, split_quoted, ticket_of_message_id, SenderSigns};

use crate::messages::{is_file_name, is_media_type, MAX_MESSAGE_BYTES};

/// Room kept in a body for the gateway's own notes.
const NOTES_ROOM: usize = 4 * 1024;
/// The longest address or name kept; intake takes 200 characters.
const MAX_FIELD_CHARS: usize = 200;
/// Other people kept from one mail's To and Cc.
const MAX_OTHERS: usize = 20;
/// The longest subject kept (intake shortens a ticket's further).
const MAX_SUBJECT_CHARS: usize = 500;
/// Message-IDs kept from one mail's In-Reply-To and References.
const MAX_THREAD_IDS: usize = 50;

/// Who sent a mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Sender {
    pub name: String,
    /// Lower-cased.
    pub address: String,
}

/// A file the mail carried.
#[derive(Debug, Clone)]
pub(super) struct Part {
    pub name: String,
    pub media_type: String,
    pub bytes: Vec<u8>,
}

/// One mail as the gateway stores it.
#[derive(Debug, Clone)]
pub(super) struct Mail {
    /// What `channel_refs` knows it by: its Message-ID, or a hash of its
    /// bytes when it has none.
    pub reference: String,
    /// Its Message-ID, bare.
    pub mail_id: Option<String>,
    /// In-Reply-To first, then References newest first: where to look for
    /// its ticket.
    pub parents: Vec<String>,
    /// Its References as sent, bare, oldest first.
    pub references: Vec<String>,
    pub subject: String,
    pub sender: Option<Sender>,
    /// To and Cc less the sender and the desk, lower-cased.
    pub others: Vec<String>,
    /// Why no person wrote it (a bounce, an auto-reply, a list, a loop).
    pub automatic: Option<&'static str>,
    /// What the customer wrote now: the text without the quoted history,
    /// with the gateway's notes on what could not be read.
    pub body: String,
    /// Whether the mail had quoted history or more text than a message
    /// holds: the original then keeps what the body leaves out.
    pub cut: bool,
    /// Its HTML part, for the sanitized view.
    pub html: Option<String>,
    pub files: Vec<Part>,
    /// What could not be read cleanly, for the log and the body.
    pub problems: Vec<String>,
}

/// The desk's own identity, so its own mail coming back is recognised.
#[derive(Debug, Clone, Copy)]
pub(super) struct Desk<'a> {
    /// Lower-cased.
    pub address: &'a str,
    pub domain: &'a str,
}

impl Mail {
    /// Reads `raw`. `headers_only` when only the header block was fetched
    /// (a mail over the size limit): the body is then left empty.
    pub(super) fn parse(raw: &[u8], headers_only: bool, desk: Desk<'_>) -> Mail {
        let parsed = if headers_only {
            MessageParser::default().parse_headers(raw)
        } else {
            MessageParser::default().parse(raw)
        };
        match parsed {
            Some(message) => from_message(&message, raw, headers_only, desk),
            None => unreadable(raw),
        }
    }
}

fn from_message(message: &Message<'_>, raw: &[u8], headers_only: bool, desk: Desk<'_>) -> Mail {
    let mut problems = Vec::new();
    let mail_id = message
        .message_id()
        .map(bare)
        .filter(|id| !id.is_empty() && id.len() <= 250 && !id.chars().any(char::is_whitespace));
    let references = ids(message.references());
    let mut parents = ids(message.in_reply_to());
    for id in references.iter().rev() {
        if !parents.contains(id) {
            parents.push(id.clone());
        }
    }
    parents.truncate(MAX_THREAD_IDS);
    let sender = [message.from(), message.reply_to(), message.sender()]
        .into_iter()
        .flatten()
        .find_map(first_sender);
    if sender.is_none() {
        problems.push("it names no sender (From)".to_owned());
    }
    let sender_address = sender.as_ref().map(|s| s.address.clone());
    let mut others: Vec<String> = [message.to(), message.cc()]
        .into_iter()
        .flatten()
        .flat_map(Address::iter)
        .filter_map(|a| a.address().and_then(address_of))
        .filter(|a| a != desk.address && Some(a) != sender_address.as_ref())
        .collect();
    others.sort_unstable();
    others.dedup();
    others.truncate(MAX_OTHERS);
    let subject = message
        .subject()
        .map(|s| one_line(s).chars().take(MAX_SUBJECT_CHARS).collect())
        .unwrap_or_default();

    let automatic = automatic_reason(message, sender_address.as_deref(), mail_id.as_deref(), desk);
    let (text, html, files) = if headers_only {
        (String::new(), None, Vec::new())
    } else {
        contents(message, &mut problems)
    };
    let split = split_quoted(&text);
    let mut cut = split.quoted.is_some();
    let mut body = split.new_text;
    if body.len() > MAX_MESSAGE_BYTES - NOTES_ROOM {
        let mut end = MAX_MESSAGE_BYTES - NOTES_ROOM;
        while !body.is_char_boundary(end) {
            end -= 1;
        }
        body.truncate(end);
        body.push_str("\n\n[The text goes on: all of it is in the attached original.eml.]");
        cut = true;
    }
    Mail {
        reference: mail_id
            .clone()
            .unwrap_or_else(|| format!("sha256:{}", hex::encode(Sha256::digest(raw)))),
        mail_id,
        parents,
        references,
        subject,
        sender,
        others,
        automatic,
        body,
        cut,
        html,
        files,
        problems,
    }
}

/// A mail with no header block at all: kept whole, its bytes as the file.
fn unreadable(raw: &[u8]) -> Mail {
    Mail {
        reference: format!("sha256:{}", hex::encode(Sha256::digest(raw))),
        mail_id: None,
        parents: Vec::new(),
        references: Vec::new(),
        subject: String::new(),
        sender: None,
        others: Vec::new(),
        automatic: None,
        body: String::new(),
        cut: true,
        html: None,
        files: Vec::new(),
        problems: vec!["it is not a mail (no header block could be read)".to_owned()],
    }
}

fn automatic_reason(
    message: &Message<'_>,
    from: Option<&str>,
    mail_id: Option<&str>,
    desk: Desk<'_>,
) -> Option<&'static str> {
    if from == Some(desk.address) {
        return Some("it comes from the desk's own address (a mail loop)");
    }
    if mail_id.is_some_and(|id| ticket_of_message_id(id, desk.domain).is_some()) {
        return Some("it is the desk's own mail come back (a mail loop)");
    }
    let text = |name: &'static str| message.header(name).and_then(HeaderValue::as_text);
    let present = |name: &'static str| message.header(name).is_some();
    let signs = SenderSigns {
        from_address: from.unwrap_or_default(),
        auto_submitted: text("Auto-Submitted"),
        precedence: text("Precedence"),
        null_return_path: message
            .header_raw("Return-Path")
            .is_some_and(|v| v.trim() == "<>"),
        is_report: message.content_type().is_some_and(|ct| {
            ct.ctype().eq_ignore_ascii_case("multipart")
                && ct
                    .subtype()
                    .is_some_and(|s| s.eq_ignore_ascii_case("report"))
        }),
        autoreply_header: ["X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress"]
            .iter()
            .any(|h| present(h)),
        mailing_list: present("List-Id") || present("List-Unsubscribe"),
    };
    automatic_mail(&signs)
}

/// The text (all text parts, HTML read as text where a mail has no text
/// part), the HTML part, and the files.
fn contents(
    message: &Message<'_>,
    problems: &mut Vec<String>,
) -> (String, Option<String>, Vec<Part>) {
    for part in &message.parts {
        if part.is_encoding_problem {
            problems.push("a part is not encoded as it says (broken MIME)".to_owned());
        }
        let text_part = matches!(part.body, PartType::Text(_) | PartType::Html(_));
        if let Some(charset) = part
            .content_type()
            .and_then(|ct| ct.attribute("charset"))
            .filter(|_| text_part)
        {
            if !known_charset(charset) {
                problems.push(format!(
                    "the charset {:?} is unknown; its text was read as UTF-8 and may show wrong letters",
                    one_line(charset).chars().take(40).collect::<String>()
                ));
            }
        }
    }
    let mut once = Vec::with_capacity(problems.len());
    for problem in problems.drain(..) {
        if !once.contains(&problem) {
            once.push(problem);
        }
    }
    *problems = once;
    let mut texts: Vec<String> = (0..message.text_body_count())
        .filter_map(|i| message.body_text(i))
        .map(|t| t.replace("\r\n", "\n"))
        .collect();
    // A plain text part without a file name is something the customer
    // wrote, even where the MIME structure makes it an attachment.
    let mut unnamed_texts = Vec::new();
    for (i, part) in message.attachments().enumerate() {
        if let (PartType::Text(text), None) = (&part.body, part.attachment_name()) {
            let text = text.replace("\r\n", "\n");
            if !texts.contains(&text) {
                texts.push(text);
            }
            unnamed_texts.push(i);
        }
    }
    let text = texts
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    let html = message
        .html_bodies()
        .find(|p| matches!(p.body, PartType::Html(_)))
        .and_then(|p| p.text_contents())
        .map(str::to_owned);
    let files = message
        .attachments()
        .enumerate()
        .filter(|(i, _)| !unnamed_texts.contains(i))
        .map(|(i, part)| {
            let is_mail = matches!(part.body, PartType::Message(_));
            let name = part
                .attachment_name()
                .map(one_line)
                .filter(|n| is_file_name(n))
                .unwrap_or_else(|| {
                    if is_mail {
                        format!("attached-mail-{}.eml", i + 1)
                    } else {
                        format!("attachment-{}", i + 1)
                    }
                });
            let media_type = part
                .content_type()
                .map(|ct| {
                    format!("{}/{}", ct.ctype(), ct.subtype().unwrap_or("octet-stream"))
                        .to_ascii_lowercase()
                })
                .filter(|t| is_media_type(t))
                .unwrap_or_else(|| {
                    if is_mail {
                        "message/rfc822".to_owned()
                    } else {
                        "application/octet-stream".to_owned()
                    }
                });
            Part {
                name,
                media_type,
                bytes: part.contents().to_vec(),
            }
        })
        .collect();
    (text, html, files)
}

fn known_charset(charset: &str) -> bool {
    let lower = charset.trim().to_ascii_lowercase();
    ["utf-8", "utf8", "us-ascii"].contains(&lower.as_str())
        || charset_decoder(lower.as_bytes()).is_some()
}

fn first_sender(address: &Address<'_>) -> Option<Sender> {
    let first = address.first()?;
    let address = address_of(first.address()?)?;
    let name = first
        .name()
        .map(one_line)
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| address.clone());
    Some(Sender {
        name: name.chars().take(MAX_FIELD_CHARS).collect(),
        address,
    })
}

/// A mail address as kept: trimmed, lower-cased, one `@` with text on both
/// sides, no spaces or control characters, at most 200 characters.
fn address_of(raw: &str) -> Option<String> {
    let address = raw.trim().to_lowercase();
    let plausible = address.chars().count() <= MAX_FIELD_CHARS
        && !address.chars().any(|c| c.is_whitespace() || c.is_control())
        && address.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && !domain.is_empty() && !domain.contains('@')
        });
    plausible.then_some(address)
}

/// Message-IDs of a header, bare.
fn ids(value: &HeaderValue<'_>) -> Vec<String> {
    let all: Vec<String> = match value {
        HeaderValue::Text(id) => id.split_whitespace().map(bare).collect(),
        HeaderValue::TextList(list) => list.iter().map(|id| bare(id)).collect(),
        _ => Vec::new(),
    };
    all.into_iter().filter(|id| !id.is_empty()).collect()
}

fn bare(id: &str) -> String {
    id.trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_owned()
}

/// Text on one line: control characters (a raw CR, LF, NUL) become spaces.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    const DESK: Desk<'static> = Desk {
        address: "support@desk.test",
        domain: "desk.test",
    };

    fn parse(raw: &str) -> Mail {
        Mail::parse(raw.as_bytes(), false, DESK)
    }

    #[test]
    fn a_customer_mail_gives_its_sender_thread_others_and_new_text() {
        let mail = parse(
            "From: \"Anna Petrova\" <Anna@Example.COM>\r\n\
             To: support@desk.test, bob@example.com\r\n\
             Cc: Carol <carol@example.com>\r\n\
             Subject: Re: VM down [#10001]\r\n\
             Message-ID: <abc@mail.example.com>\r\n\
             In-Reply-To: <ticket-10001.message-5@desk.test>\r\n\
             References: <first@x> <ticket-10001.message-5@desk.test>\r\n\
             \r\n\
             Still down.\r\n\
             \r\n\
             On Mon, Support wrote:\r\n\
             > Please restart it.\r\n",
        );
        assert_eq!(mail.mail_id.as_deref(), Some("abc@mail.example.com"));
        assert_eq!(mail.reference, "abc@mail.example.com");
        assert_eq!(
            mail.sender,
            Some(Sender {
                name: "Anna Petrova".into(),
                address: "anna@example.com".into()
            })
        );
        assert_eq!(mail.others, vec!["bob@example.com", "carol@example.com"]);
        assert_eq!(
            mail.parents,
            vec!["ticket-10001.message-5@desk.test", "first@x"]
        );
        assert_eq!(
            mail.references,
            vec!["first@x", "ticket-10001.message-5@desk.test"]
        );
        assert_eq!(mail.body, "Still down.");
        assert!(mail.cut);
        assert_eq!(mail.automatic, None);
        assert!(mail.problems.is_empty(), "{:?}", mail.problems);
    }

    #[test]
    fn the_desks_own_mail_and_automatic_mail_are_told() {
        let own = parse("From: support@desk.test\r\nSubject: x\r\n\r\nhi\r\n");
        assert!(own.automatic.unwrap().contains("loop"));
        let back = parse(
            "From: anna@example.com\r\nMessage-ID: <ticket-1.message-2@desk.test>\r\n\r\nhi\r\n",
        );
        assert!(back.automatic.unwrap().contains("loop"));
        let away = parse(
            "From: anna@example.com\r\nAuto-Submitted: auto-replied\r\n\r\nOut of office\r\n",
        );
        assert!(away.automatic.is_some());
        let bounce =
            parse("From: MAILER-DAEMON@mx.example.com\r\nReturn-Path: <>\r\n\r\nfailed\r\n");
        assert!(bounce.automatic.is_some());
    }

    #[test]
    fn an_unknown_charset_and_a_missing_sender_are_said() {
        let mail =
            parse("Subject: test\r\nContent-Type: text/plain; charset=x-unknown\r\n\r\nhello\r\n");
        assert_eq!(mail.sender, None);
        assert!(
            mail.problems.iter().any(|p| p.contains("x-unknown")),
            "{:?}",
            mail.problems
        );
        assert!(mail.problems.iter().any(|p| p.contains("sender")));
        assert_eq!(mail.body, "hello");
        assert!(mail.reference.starts_with("sha256:"));
        let known = Mail::parse(
            b"From: a@b.c\r\nContent-Type: text/plain; charset=koi8-r\r\n\r\n\xf0\xd2\xc9\xd7\xc5\xd4\r\n",
            false,
            DESK,
        );
        assert!(known.problems.is_empty(), "{:?}", known.problems);
        assert_eq!(known.body, "Привет");
    }
}
