//! Agents' replies out: each queued email reply as one threaded mail (the
//! ticket's subject with its tag, the desk's Message-ID, In-Reply-To and
//! References of the customer's latest mail, everyone on the thread in
//! Cc), with a text and an HTML part quoting the customer's latest message,
//! and the reply's files. What the SMTP server answers settles the
//! delivery: accepted is sent, 5xx failed in its words, anything else
//! tried again.

use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::AsyncTransport;
use shiftdesk_domain::email::{
    message_id, quote, quote_html, references, reply_html, reply_subject,
};
use shiftdesk_domain::{Channel, Message};

use super::EmailGateway;
use crate::channels::delivery::{self, Attempt, Outgoing};
use crate::db::from_json;
use crate::{now, ServerError};

/// Replies taken from the queue a round.
const BATCH: i64 = 20;

/// `X-Shiftdesk-Ticket: N` on every reply: the desk's own mail is known
/// when it comes back.
#[derive(Debug, Clone)]
struct TicketHeader(i64);

impl Header for TicketHeader {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("X-Shiftdesk-Ticket")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(s.trim().parse()?))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.to_string())
    }
}

/// Why a reply cannot be made into a mail; the delivery fails with it.
#[derive(Debug, thiserror::Error)]
enum ComposeError {
    #[error("the customer has no email address")]
    NoAddress,
    #[error("{address:?} is not a mail address: {source}")]
    Address {
        address: String,
        source: lettre::address::AddressError,
    },
    #[error("the attachment {0:?} is missing from the file store")]
    MissingFile(String),
    #[error("the mail cannot be built: {0}")]
    Build(#[from] lettre::error::Error),
    #[error("{0:?} is not a media type a mail can carry")]
    MediaType(String),
}

impl EmailGateway {
    /// Sends what is due; returns how many replies were attempted.
    pub async fn send_due(&self) -> Result<usize, ServerError> {
        let due = delivery::due(&self.state.db, Channel::Email, now(), BATCH).await?;
        for out in &due {
            let attempt = self.send(out).await?;
            if delivery::settle(&self.state.db, out, attempt, now()).await? {
                self.state.nudges.refresh(&self.state.db).await?;
            }
        }
        Ok(due.len())
    }

    async fn send(&self, out: &Outgoing) -> Result<Attempt, ServerError> {
        let id = message_id(out.ticket.number, out.message.id.0, &self.settings.domain);
        let mail = match self.compose(out, &id).await? {
            Ok(mail) => mail,
            Err(e) => {
                return Ok(Attempt::Refused {
                    reason: e.to_string(),
                })
            }
        };
        Ok(match self.smtp.send(mail).await {
            Ok(_) => Attempt::Sent { peer_ref: id },
            // 5xx: the server will not take it, however often asked.
            Err(e) if e.is_permanent() => Attempt::Refused {
                reason: e.to_string(),
            },
            Err(e) => Attempt::Unanswered {
                reason: e.to_string(),
                retry_after_ms: None,
            },
        })
    }

    async fn compose(
        &self,
        out: &Outgoing,
        id: &str,
    ) -> Result<Result<lettre::Message, ComposeError>, ServerError> {
        let ticket = out.ticket.number;
        let Some(to) = out.customer.email.as_deref() else {
            return Ok(Err(ComposeError::NoAddress));
        };
        let to = match mailbox(Some(out.customer.name.clone()), to) {
            Ok(to) => to,
            Err(e) => return Ok(Err(e)),
        };
        let mut builder = lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(reply_subject(&out.ticket.subject, ticket))
            .message_id(Some(format!("<{id}>")))
            .header(TicketHeader(ticket.0));
        let cc: Vec<String> = sqlx::query_scalar(
            "SELECT address FROM email_cc WHERE ticket_number = ? ORDER BY address",
        )
        .bind(ticket.0)
        .fetch_all(&self.state.db.readers)
        .await?;
        let customer = out.customer.email.as_deref().unwrap_or_default();
        for address in cc.iter().filter(|a| !a.eq_ignore_ascii_case(customer)) {
            // An address lettre cannot write is left out, not the reply.
            match mailbox(None, address) {
                Ok(cc) => builder = builder.cc(cc),
                Err(e) => tracing::warn!(ticket = ticket.0, error = %e, "email: a Cc is left out"),
            }
        }
        let parent: Option<(String, String)> = sqlx::query_as(
            "SELECT mail_id, refs FROM email_inbound WHERE ticket_number = ? AND message_id < ? \
             AND mail_id IS NOT NULL ORDER BY message_id DESC LIMIT 1",
        )
        .bind(ticket.0)
        .bind(out.message.id.0)
        .fetch_optional(&self.state.db.readers)
        .await?;
        if let Some((parent, refs)) = parent {
            let earlier: Vec<String> = serde_json::from_str(&refs).unwrap_or_default();
            let chain = references(&earlier, &parent);
            builder = builder.in_reply_to(format!("<{parent}>")).references(
                chain
                    .iter()
                    .map(|id| format!("<{id}>"))
                    .collect::<Vec<_>>()
                    .join(" "),
            );
        }

        let (mut text, mut html) = (out.message.body.clone(), reply_html(&out.message.body));
        if let Some(last) = self.customers_last(out).await? {
            text.push_str("\n\n");
            text.push_str(&quote(&last.body, &out.customer.name, last.created_at));
            html.push_str(&quote_html(&last.body, &out.customer.name, last.created_at));
        }
        let html = format!(
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body>\n{html}</body></html>\n"
        );
        let mut body = MultiPart::mixed().multipart(MultiPart::alternative_plain_html(text, html));
        for file in delivery::files_of(&self.state.db, out).await? {
            let path = self.state.db.files.path_of(&file.content_hash);
            let bytes = match tokio::fs::read(&path).await {
                Ok(bytes) => bytes,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    return Ok(Err(ComposeError::MissingFile(file.name)))
                }
                Err(e) => return Err(e.into()),
            };
            let Ok(media_type) = ContentType::parse(&file.media_type) else {
                return Ok(Err(ComposeError::MediaType(file.media_type)));
            };
            body = body.singlepart(attachment(file.name, bytes, media_type));
        }
        Ok(builder.multipart(body).map_err(ComposeError::from))
    }

    /// The customer's message the reply answers: their latest before it.
    async fn customers_last(&self, out: &Outgoing) -> Result<Option<Message>, ServerError> {
        let body: Option<String> = sqlx::query_scalar(
            "SELECT body FROM messages WHERE ticket_number = ? AND id < ? \
             AND json_extract(body, '$.kind.kind') = 'inbound' ORDER BY id DESC LIMIT 1",
        )
        .bind(out.ticket.number.0)
        .bind(out.message.id.0)
        .fetch_optional(&self.state.db.readers)
        .await?;
        body.map(|b| from_json(&b, "message")).transpose()
    }
}

fn mailbox(name: Option<String>, address: &str) -> Result<Mailbox, ComposeError> {
    let email = address
        .trim()
        .parse()
        .map_err(|source| ComposeError::Address {
            address: address.to_owned(),
            source,
        })?;
    Ok(Mailbox::new(name.filter(|n| !n.trim().is_empty()), email))
}

fn attachment(name: String, bytes: Vec<u8>, media_type: ContentType) -> SinglePart {
    Attachment::new(name).body(bytes, media_type)
}
