//! Email's rules: the ticket tag in subjects, Message-IDs a reply threads
//! by, quoting the customer's last message, telling new text from quoted
//! history, and recognising mail no person wrote (auto-replies, bounces),
//! which must never open a ticket or be answered; and the HTML part of a
//! reply.

use pulldown_cmark::{Event, Parser};

use crate::html::escape_html;
use crate::{TicketNumber, Timestamp};

/// The most Message-IDs a reply's `References` carries: the thread's first
/// and its latest ones, as RFC 5322 §3.6.4 allows trimming the middle.
pub const MAX_REFERENCES: usize = 20;

/// `[#10001]`: put in every subject the desk sends, found in every subject
/// it receives.
pub fn ticket_tag(ticket: TicketNumber) -> String {
    format!("[#{}]", ticket.0)
}

/// The ticket a subject's tag names, if it carries one.
pub fn find_ticket_tag(subject: &str) -> Option<TicketNumber> {
    let mut rest = subject;
    while let Some(start) = rest.find("[#") {
        let after = &rest[start + 2..];
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        if !digits.is_empty() && after[digits.len()..].starts_with(']') {
            if let Ok(number) = digits.parse() {
                return Some(TicketNumber(number));
            }
        }
        rest = after;
    }
    None
}

/// The subject of a reply on `ticket`: `Re: ` once, the ticket's subject
/// without earlier prefixes or tags, and the tag.
pub fn reply_subject(subject: &str, ticket: TicketNumber) -> String {
    let tag = ticket_tag(ticket);
    let mut core = subject.replace(&tag, "");
    loop {
        let trimmed = core.trim_start();
        let lower = trimmed.to_lowercase();
        let prefix = ["re:", "fwd:", "fw:", "aw:", "отв:", "ответ:"]
            .iter()
            .find(|p| lower.starts_with(*p));
        match prefix {
            Some(p) => core = trimmed[p.len()..].to_owned(),
            None => break,
        }
    }
    let core = core.split_whitespace().collect::<Vec<_>>().join(" ");
    if core.is_empty() {
        format!("Re: {tag}")
    } else {
        format!("Re: {core} {tag}")
    }
}

/// A plain address as a person types it in a Cc field: `local@domain`,
/// the domain with a dot, no spaces, names or angle brackets, at most 254
/// characters.
pub fn is_email_address(text: &str) -> bool {
    let Some((local, domain)) = text.rsplit_once('@') else {
        return false;
    };
    let plain = |part: &str| {
        !part.is_empty()
            && part
                .chars()
                .all(|c| !c.is_whitespace() && !c.is_control() && !"<>()[],;:\\\"@".contains(c))
    };
    text.len() <= 254
        && plain(local)
        && plain(domain)
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
}

/// The Message-ID the desk gives message `message` of `ticket`, without
/// angle brackets; `domain` is the support mailbox's domain.
pub fn message_id(ticket: TicketNumber, message: i64, domain: &str) -> String {
    format!("ticket-{}.message-{message}@{domain}", ticket.0)
}

/// The ticket a Message-ID of the desk's own names (`message_id`'s
/// inverse): how a customer's answer to a desk mail finds its ticket.
pub fn ticket_of_message_id(id: &str, domain: &str) -> Option<TicketNumber> {
    let id = id.trim().trim_start_matches('<').trim_end_matches('>');
    let (local, at) = id.rsplit_once('@')?;
    if !at.eq_ignore_ascii_case(domain) {
        return None;
    }
    let number = local.strip_prefix("ticket-")?.split_once(".message-")?.0;
    number.parse().ok().map(TicketNumber)
}

/// `text` quoted under an attribution line, as a reply shows the message
/// it answers.
pub fn quote(text: &str, author: &str, written: Timestamp) -> String {
    let when = jiff::Timestamp::from_millisecond(written.millis())
        .map(|t| t.strftime("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_default();
    let mut quoted = format!("On {when}, {author} wrote:\n");
    for line in text.trim_end().lines() {
        if line.is_empty() {
            quoted.push_str(">\n");
        } else {
            quoted.push_str("> ");
            quoted.push_str(line);
            quoted.push('\n');
        }
    }
    quoted
}

/// The `References` of a mail answering `parent`, whose own References
/// were `parent_references`: the chain plus the parent, the middle left
/// out beyond [`MAX_REFERENCES`]. Ids are bare (no angle brackets).
pub fn references(parent_references: &[String], parent: &str) -> Vec<String> {
    let mut chain: Vec<String> = parent_references
        .iter()
        .filter(|id| id.as_str() != parent)
        .cloned()
        .collect();
    chain.push(parent.to_owned());
    if chain.len() > MAX_REFERENCES {
        let keep_tail = MAX_REFERENCES - 1;
        let tail = chain.split_off(chain.len() - keep_tail);
        chain.truncate(1);
        chain.extend(tail);
    }
    chain
}

/// The reply `markdown` as HTML for a mail's HTML part. HTML the agent
/// typed is shown as the text they typed, not interpreted.
pub fn reply_html(markdown: &str) -> String {
    let events = Parser::new(markdown).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        other => other,
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

/// [`quote`] as HTML: the attribution line and the quoted text, escaped,
/// in a `<blockquote type="cite">` as mail programs show history.
pub fn quote_html(text: &str, author: &str, written: Timestamp) -> String {
    let plain = quote(text, author, written);
    let attribution = plain.lines().next().unwrap_or_default();
    let lines: Vec<String> = text.trim_end().lines().map(escape_html).collect();
    format!(
        "<p>{}</p>\n<blockquote type=\"cite\">{}</blockquote>\n",
        escape_html(attribution),
        lines.join("<br>\n")
    )
}

/// A mail body split into what the customer wrote now and the history
/// their mail program quoted below it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitBody {
    pub new_text: String,
    pub quoted: Option<String>,
}

/// Finds where quoted history starts: the first of an attribution line
/// ("On … wrote:", "… пишет:"), an "Original Message" separator, or a run
/// of `>` lines that goes on to the end (with blank lines between).
pub fn split_quoted(body: &str) -> SplitBody {
    let lines: Vec<&str> = body.lines().collect();
    let is_attribution = |line: &str| {
        let l = line.trim();
        let lower = l.to_lowercase();
        (lower.starts_with("on ") && lower.ends_with("wrote:"))
            || lower.ends_with("пишет:")
            || lower.ends_with("написал:")
            || lower.ends_with("написала:")
            || lower.contains("-----original message-----")
            || lower.contains("-----исходное сообщение-----")
    };
    let quoted_tail_from = {
        let mut start = lines.len();
        for (i, line) in lines.iter().enumerate().rev() {
            let t = line.trim_start();
            if t.starts_with('>') {
                start = i;
            } else if !t.is_empty() {
                break;
            }
        }
        start
    };
    let attribution = lines.iter().position(|l| is_attribution(l));
    // An attribution line counts only when history follows it.
    let cut = match attribution {
        Some(i) if i < quoted_tail_from || quoted_tail_from == lines.len() => {
            let follows_quote = lines[i + 1..]
                .iter()
                .any(|l| l.trim_start().starts_with('>'));
            let separator = lines[i].contains("-----");
            (follows_quote || separator).then_some(i)
        }
        _ => None,
    }
    .or((quoted_tail_from < lines.len()).then_some(quoted_tail_from));
    match cut {
        Some(cut) => {
            let new_text = lines[..cut].join("\n").trim().to_owned();
            let quoted = lines[cut..].join("\n").trim().to_owned();
            if new_text.is_empty() {
                // Nothing but a quote: keep it all as what they sent.
                SplitBody {
                    new_text: body.trim().to_owned(),
                    quoted: None,
                }
            } else {
                SplitBody {
                    new_text,
                    quoted: Some(quoted),
                }
            }
        }
        None => SplitBody {
            new_text: body.trim().to_owned(),
            quoted: None,
        },
    }
}

/// The headers that tell whether a person wrote a mail.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SenderSigns<'a> {
    pub from_address: &'a str,
    pub auto_submitted: Option<&'a str>,
    pub precedence: Option<&'a str>,
    /// `Return-Path: <>`: the null sender of bounces.
    pub null_return_path: bool,
    /// `multipart/report` (delivery and read reports).
    pub is_report: bool,
    /// Any of `X-Autoreply`, `X-Autorespond`, `X-Auto-Response-Suppress`.
    pub autoreply_header: bool,
    /// `List-Id` or `List-Unsubscribe`: a mailing list, not a customer.
    pub mailing_list: bool,
}

/// Why a mail is not from a person, or `None` when it is (RFC 3834 and
/// the common conventions of mail servers and list managers).
pub fn automatic_mail(signs: &SenderSigns<'_>) -> Option<&'static str> {
    let local = signs
        .from_address
        .rsplit_once('@')
        .map_or(signs.from_address, |(l, _)| l)
        .to_ascii_lowercase();
    if signs
        .auto_submitted
        .is_some_and(|v| !v.trim().eq_ignore_ascii_case("no"))
    {
        return Some("it is marked Auto-Submitted");
    }
    if signs.null_return_path || signs.is_report {
        return Some("it is a delivery report (bounce)");
    }
    if [
        "mailer-daemon",
        "postmaster",
        "noreply",
        "no-reply",
        "donotreply",
    ]
    .iter()
    .any(|n| local == *n)
    {
        return Some("it comes from a system address");
    }
    if signs.precedence.is_some_and(|p| {
        ["bulk", "junk", "list", "auto_reply"].contains(&p.trim().to_ascii_lowercase().as_str())
    }) {
        return Some("it is marked as bulk or automatic (Precedence)");
    }
    if signs.autoreply_header {
        return Some("it is an automatic reply");
    }
    if signs.mailing_list {
        return Some("it comes from a mailing list");
    }
    None
}

#[cfg(test)]
mod tests;
