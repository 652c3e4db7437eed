//! Push: a batch of the agent's changes, each with a client-generated UUID
//! that makes it idempotent. The server records the UUID in the same
//! transaction as the effect; a replay answers `duplicate` with the first
//! result. Field edits carry the ticket version they were made against and
//! may answer `conflict`; replies, notes and call logs are append-only.

use serde::{Deserialize, Serialize};
use shiftdesk_domain::email::is_email_address;
use shiftdesk_domain::{
    find_active_content, AgentId, CallRecord, CallbackError, Channel, ContentHash, MessageId,
    Priority, Ticket, TicketNumber, TicketStatus, Timestamp,
};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{ErrorCode, Problem, MAX_ATTACHMENTS_PER_MESSAGE};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    pub mutations: Vec<MutationRequest>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MutationRequest {
    /// Made by the client when the agent acted; the idempotency key.
    pub id: Uuid,
    pub ticket: TicketNumber,
    /// The ticket version the edit was made against. Required for field
    /// edits, ignored for appends.
    pub base_version: Option<i64>,
    pub mutation: Mutation,
}

/// What the agent did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, ts_rs::TS)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Mutation {
    /// A public reply, sent to the customer on `channel` (not `phone`:
    /// a call is logged with `call_log`).
    Reply {
        channel: Channel,
        body: String,
        /// Files uploaded first with `PUT /v1/files/{content_hash}`.
        #[serde(default)]
        attachments: Vec<NewAttachment>,
        /// Email only: addresses copied on this reply and on the ticket's
        /// mail from now on.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        #[schema(max_items = 20)]
        cc: Vec<String>,
    },
    /// An internal note: the team sees it, the customer never does.
    Note {
        body: String,
        #[serde(default)]
        attachments: Vec<NewAttachment>,
    },
    /// A phone call with the customer, as the agent logged it, with the
    /// callback the agent promised, if any. It answers the customer for
    /// the SLA like a reply (a missed inbound call does not).
    CallLog {
        call: CallRecord,
        notes: String,
    },
    SetStatus {
        status: TicketStatus,
    },
    Assign {
        assignee: Option<AgentId>,
    },
    SetPriority {
        priority: Priority,
    },
    SetTags {
        tags: Vec<String>,
    },
    /// Sends a reply whose delivery failed again, as it was written; parts
    /// the channel already took are not sent twice.
    RetryDelivery {
        message: MessageId,
    },
}

/// A file to attach to a new message, by the hash it was uploaded under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct NewAttachment {
    pub content_hash: ContentHash,
    /// The file name shown to readers, 1 to 255 characters.
    pub name: String,
    /// The MIME type, e.g. `text/plain` or `image/png`.
    pub media_type: String,
}

impl Mutation {
    /// Edits of a ticket's fields, which can conflict; the rest append.
    pub const fn is_field_edit(&self) -> bool {
        matches!(
            self,
            Mutation::SetStatus { .. }
                | Mutation::Assign { .. }
                | Mutation::SetPriority { .. }
                | Mutation::SetTags { .. }
        )
    }

    /// The rules a mutation meets whatever its ticket: the console checks
    /// them before queueing so an agent offline learns at once, and the
    /// server refuses what breaks them.
    pub fn check(&self, now: Timestamp, when: CheckedWhen) -> Result<(), Problem> {
        match self {
            Mutation::Reply {
                channel: Channel::Phone,
                ..
            } => Err(Problem::new(
                ErrorCode::PhoneReply,
                "nobody can deliver a reply on the phone channel: log the call with the customer \
                 instead (a call log), or reply on the portal, Telegram or email",
            )),
            Mutation::Reply {
                channel,
                body,
                cc,
                attachments,
            } => {
                check_body(body, *channel == Channel::Portal)?;
                check_files(attachments)?;
                check_cc(*channel, cc)
            }
            Mutation::Note { body, attachments } => {
                check_body(body, false)?;
                check_files(attachments)
            }
            Mutation::CallLog { notes, .. } if notes.len() > MAX_MESSAGE_BYTES => {
                check_body(notes, false)
            }
            Mutation::CallLog { call, .. } => match call.check_callback(now) {
                Ok(()) | Err(CallbackError::Past) if when == CheckedWhen::Arriving => Ok(()),
                Ok(()) => Ok(()),
                Err(e) => {
                    let detail = match e {
                        CallbackError::Past => format!("{e}; promise a time from now on"),
                        CallbackError::TooFar => e.to_string(),
                    };
                    Err(Problem::new(ErrorCode::CallbackOutOfRange, detail))
                }
            },
            _ => Ok(()),
        }
    }
}

/// The longest message body, in bytes.
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024;

/// A body must have text and fit the limit. What the portal shows its
/// customer is rendered as Markdown, so it must also carry nothing that
/// could run in a browser.
pub fn check_body(body: &str, shown_on_portal: bool) -> Result<(), Problem> {
    if body.trim().is_empty() || body.len() > MAX_MESSAGE_BYTES {
        return Err(Problem::new(
            ErrorCode::InvalidMessage,
            format!("a message needs text, at most {MAX_MESSAGE_BYTES} bytes"),
        ));
    }
    if shown_on_portal {
        if let Some(found) = find_active_content(body) {
            return Err(Problem::new(
                ErrorCode::ActiveContent,
                format!(
                    "portal messages are Markdown without scripts; found {found}. \
                     Put code in a code block (```) to show it as text"
                ),
            ));
        }
    }
    Ok(())
}

const MAX_FILE_NAME_CHARS: usize = 255;
const MAX_MEDIA_TYPE_CHARS: usize = 127;

/// A file's name and type as readers will see them.
pub fn check_file(name: &str, media_type: &str) -> Result<(), Problem> {
    if !is_file_name(name) {
        return Err(Problem::new(
            ErrorCode::BadRequest,
            format!(
                "a file name is 1 to {MAX_FILE_NAME_CHARS} characters, without / \\ or control characters"
            ),
        ));
    }
    if !is_media_type(media_type) {
        return Err(Problem::new(
            ErrorCode::BadRequest,
            format!("{media_type:?} is not a media type like text/plain"),
        ));
    }
    Ok(())
}

/// 1 to 255 characters, no path separators or control characters.
pub fn is_file_name(name: &str) -> bool {
    !name.trim().is_empty()
        && name.chars().count() <= MAX_FILE_NAME_CHARS
        && !name
            .chars()
            .any(|c| c.is_control() || c == '/' || c == '\\')
}

/// A bare `type/subtype` of token characters, without parameters.
pub fn is_media_type(text: &str) -> bool {
    text.len() <= MAX_MEDIA_TYPE_CHARS
        && text.split_once('/').is_some_and(|(kind, sub)| {
            [kind, sub].iter().all(|part| {
                !part.is_empty()
                    && part
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b))
            })
        })
}

/// A message carries at most [`MAX_ATTACHMENTS_PER_MESSAGE`] files.
pub fn check_file_count(count: usize) -> Result<(), Problem> {
    if count > MAX_ATTACHMENTS_PER_MESSAGE {
        return Err(Problem::new(
            ErrorCode::BadRequest,
            format!("a message carries {MAX_ATTACHMENTS_PER_MESSAGE} files at most"),
        ));
    }
    Ok(())
}

/// A new message's files: not too many, each named and typed properly.
fn check_files(files: &[NewAttachment]) -> Result<(), Problem> {
    check_file_count(files.len())?;
    files
        .iter()
        .try_for_each(|f| check_file(&f.name, &f.media_type))
}

/// The most addresses a reply copies.
pub const MAX_CC: usize = 20;

/// Copies go with email only, each a plain address.
fn check_cc(channel: Channel, cc: &[String]) -> Result<(), Problem> {
    if cc.is_empty() {
        return Ok(());
    }
    if channel != Channel::Email {
        return Err(Problem::new(
            ErrorCode::InvalidCc,
            "only an email reply has copies (Cc)",
        ));
    }
    if cc.len() > MAX_CC {
        return Err(Problem::new(
            ErrorCode::InvalidCc,
            format!("a reply copies at most {MAX_CC} addresses"),
        ));
    }
    match cc.iter().find(|a| !is_email_address(a.trim())) {
        Some(bad) => Err(Problem::new(
            ErrorCode::InvalidCc,
            format!("{bad:?} is not an email address"),
        )),
        None => Ok(()),
    }
}

/// When a mutation's rules are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckedWhen {
    /// As the agent acts, on the agent's clock: every rule.
    Acting,
    /// As the server takes it, perhaps hours after the agent acted
    /// offline: a callback time that passed meanwhile is still what the
    /// agent promised, and refusing it would lose the call's log.
    Arriving,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PushResponse {
    /// One result per mutation, in the order they were sent.
    pub results: Vec<MutationResult>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MutationResult {
    pub id: Uuid,
    #[serde(flatten)]
    pub outcome: MutationOutcome,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum MutationOutcome {
    /// Done now. `message` is the stored message of an append.
    Applied {
        ticket_version: i64,
        message: Option<MessageId>,
    },
    /// Done before, under the same id: the first result, unchanged.
    Duplicate {
        ticket_version: i64,
        message: Option<MessageId>,
    },
    /// The ticket moved on since `base_version`: nothing was changed. The
    /// current ticket lets the agent compare and decide.
    Conflict { current: Box<Ticket> },
    /// Refused for good; `problem.code` says why.
    Rejected { problem: Problem },
}

#[cfg(test)]
mod tests {
    use super::*;
    use shiftdesk_domain::{CallDirection, CallOutcome};

    #[test]
    fn a_push_reads_as_documented() {
        let json = serde_json::json!({
            "mutations": [{
                "id": "7d6b1c9e-2f1a-4c55-9a51-0c1d3b7e5a10",
                "ticket": 10001,
                "base_version": null,
                "mutation": { "type": "reply", "channel": "telegram", "body": "Перезапустили узел, проверьте." }
            }, {
                "id": "0b5e8f0a-3c2d-4e1f-8a9b-1c2d3e4f5a6b",
                "ticket": 10001,
                "base_version": 7,
                "mutation": { "type": "set_status", "status": "pending" }
            }]
        });
        let push: PushRequest = serde_json::from_value(json).unwrap();
        assert!(!push.mutations[0].mutation.is_field_edit());
        assert!(push.mutations[1].mutation.is_field_edit());
        assert_eq!(push.mutations[1].base_version, Some(7));
    }

    #[test]
    fn files_are_checked_with_the_message() {
        let file = |name: &str, media_type: &str| NewAttachment {
            content_hash: shiftdesk_domain::ContentHash::try_from("a".repeat(64)).unwrap(),
            name: name.to_owned(),
            media_type: media_type.to_owned(),
        };
        let note = |attachments| Mutation::Note {
            body: "логи во вложении".into(),
            attachments,
        };
        let now = Timestamp(0);
        let fine = note(vec![
            file("журнал узла.txt", "text/plain"),
            file("a.png", "image/png"),
        ]);
        assert_eq!(fine.check(now, CheckedWhen::Acting), Ok(()));
        for bad in [
            file("../../etc/passwd", "text/plain"),
            file("  ", "text/plain"),
            file("a\u{0}b", "text/plain"),
            file(&"я".repeat(256), "text/plain"),
            file("a.txt", "text/plain; charset=utf-8"),
            file("a.txt", "<script>"),
        ] {
            let problem = note(vec![bad.clone()])
                .check(now, CheckedWhen::Acting)
                .unwrap_err();
            assert_eq!(problem.code, ErrorCode::BadRequest, "{bad:?}");
        }
        let many = note(vec![
            file("a.txt", "text/plain");
            MAX_ATTACHMENTS_PER_MESSAGE + 1
        ]);
        assert!(many.check(now, CheckedWhen::Acting).is_err());
        let reply = Mutation::Reply {
            channel: Channel::Email,
            body: "см. файл".into(),
            attachments: vec![file("a\tb.txt", "text/plain")],
            cc: vec![],
        };
        assert!(reply.check(now, CheckedWhen::Acting).is_err());
    }

    #[test]
    fn unknown_fields_and_types_are_refused() {
        let extra = serde_json::json!({ "mutations": [], "sql": "DROP TABLE tickets" });
        assert!(serde_json::from_value::<PushRequest>(extra).is_err());
        let bad_type = serde_json::json!({ "mutations": [{
            "id": "7d6b1c9e-2f1a-4c55-9a51-0c1d3b7e5a10", "ticket": 1, "base_version": null,
            "mutation": { "type": "delete_everything" }
        }]});
        assert!(serde_json::from_value::<PushRequest>(bad_type).is_err());
        let bad_id = serde_json::json!({ "mutations": [{
            "id": "not-a-uuid", "ticket": 1, "base_version": null,
            "mutation": { "type": "note", "body": "x" }
        }]});
        assert!(serde_json::from_value::<PushRequest>(bad_id).is_err());
    }

    #[test]
    fn results_are_flat_with_their_outcome() {
        let id = Uuid::nil();
        let result = MutationResult {
            id,
            outcome: MutationOutcome::Rejected {
                problem: Problem::new(ErrorCode::NotFound, "no ticket #5"),
            },
        };
        let json = serde_json::to_value(&result).unwrap();
        assert_eq!(json["outcome"], "rejected");
        assert_eq!(json["problem"]["code"], "ticket.not_found");
        assert_eq!(
            serde_json::from_value::<MutationResult>(json).unwrap(),
            result
        );
    }

    #[test]
    fn copies_go_with_email_only_and_each_is_an_address() {
        let now = Timestamp(1_800_000_000_000);
        let reply = |channel, cc: &[&str]| Mutation::Reply {
            channel,
            body: "x".into(),
            attachments: vec![],
            cc: cc.iter().map(|a| (*a).to_owned()).collect(),
        };
        let code = |m: Mutation| m.check(now, CheckedWhen::Acting).err().map(|p| p.code);
        assert_eq!(
            code(reply(
                Channel::Email,
                &["ops@example.com", " cto@example.com "]
            )),
            None
        );
        assert_eq!(
            code(reply(Channel::Telegram, &["ops@example.com"])),
            Some(ErrorCode::InvalidCc)
        );
        assert_eq!(
            code(reply(Channel::Email, &["Ops <ops@example.com>"])),
            Some(ErrorCode::InvalidCc)
        );
        let many: Vec<String> = (0..=MAX_CC).map(|i| format!("a{i}@example.com")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(
            code(reply(Channel::Email, &many)),
            Some(ErrorCode::InvalidCc)
        );
        // An empty list is not written on the wire, so older servers read it.
        let json = serde_json::to_value(reply(Channel::Portal, &[])).unwrap();
        assert!(json.get("cc").is_none(), "{json}");
    }

    #[test]
    fn a_phone_reply_and_a_past_callback_are_refused_before_any_ticket() {
        let now = Timestamp(1_800_000_000_000);
        let reply = |channel| Mutation::Reply {
            channel,
            body: "x".into(),
            attachments: vec![],
            cc: vec![],
        };
        assert_eq!(
            reply(Channel::Phone)
                .check(now, CheckedWhen::Arriving)
                .unwrap_err()
                .code,
            ErrorCode::PhoneReply
        );
        assert_eq!(
            reply(Channel::Email).check(now, CheckedWhen::Acting),
            Ok(())
        );
        let call = |at: i64| Mutation::CallLog {
            call: CallRecord {
                direction: CallDirection::Outbound,
                duration_secs: 30,
                outcome: CallOutcome::NoAnswer,
                callback_at: Some(Timestamp(at)),
            },
            notes: "перезвоню".into(),
        };
        assert_eq!(
            call(now.0 + 3_600_000).check(now, CheckedWhen::Acting),
            Ok(())
        );
        let passed = call(now.0 - 86_400_000);
        let past = passed.check(now, CheckedWhen::Acting).unwrap_err();
        assert_eq!(past.code, ErrorCode::CallbackOutOfRange);
        assert_eq!(past.status, 422);
        // Pushed late from an offline console: kept, not refused.
        assert_eq!(passed.check(now, CheckedWhen::Arriving), Ok(()));
        let too_far = call(now.0 + 31 * 86_400_000).check(now, CheckedWhen::Arriving);
        assert_eq!(too_far.unwrap_err().code, ErrorCode::CallbackOutOfRange);
    }
}
