//! New messages, whoever writes them (an agent's push, a portal customer,
//! a channel gateway): the rules a body and its files must meet, and the
//! one way a message and its attachments are stored and logged.

use shiftdesk_domain::{Attachment, AttachmentId, ContentHash, Message, MessageId};
pub use shiftdesk_protocol::{check_body, MAX_MESSAGE_BYTES};
use shiftdesk_protocol::{ErrorCode, Problem, MAX_ATTACHMENTS_PER_MESSAGE};
use sqlx::SqliteConnection;

use crate::db::{log_change, to_json};
use crate::ServerError;

const MAX_FILE_NAME_CHARS: usize = 255;
const MAX_MEDIA_TYPE_CHARS: usize = 127;

/// A stored file about to be attached to a new message.
#[derive(Debug, Clone)]
pub struct FileRef {
    pub content_hash: ContentHash,
    pub name: String,
    pub media_type: String,
    pub size_bytes: u64,
}

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

pub fn check_file_count(count: usize) -> Result<(), Problem> {
    if count > MAX_ATTACHMENTS_PER_MESSAGE {
        return Err(Problem::new(
            ErrorCode::BadRequest,
            format!("a message carries {MAX_ATTACHMENTS_PER_MESSAGE} files at most"),
        ));
    }
    Ok(())
}

/// Stores `message` (its id is assigned here) and its files as attachments,
/// each with its change-log row. Returns the new message's id.
pub async fn append(
    conn: &mut SqliteConnection,
    mut message: Message,
    files: &[FileRef],
) -> Result<MessageId, ServerError> {
    let number = message.ticket.0;
    let id: i64 = sqlx::query_scalar("SELECT coalesce(max(id), 0) + 1 FROM messages")
        .fetch_one(&mut *conn)
        .await?;
    message.id = MessageId(id);
    sqlx::query("INSERT INTO messages (id, ticket_number, body) VALUES (?, ?, ?)")
        .bind(id)
        .bind(number)
        .bind(to_json(&message))
        .execute(&mut *conn)
        .await?;
    log_change(conn, "message", id, Some(number), None).await?;
    crate::channels::delivery::enqueue(conn, &message).await?;
    for file in files {
        let attachment_id: i64 =
            sqlx::query_scalar("SELECT coalesce(max(id), 0) + 1 FROM attachments")
                .fetch_one(&mut *conn)
                .await?;
        let attachment = Attachment {
            id: AttachmentId(attachment_id),
            message: message.id,
            name: file.name.clone(),
            size_bytes: file.size_bytes,
            content_hash: file.content_hash.clone(),
            media_type: file.media_type.clone(),
        };
        sqlx::query("INSERT INTO attachments (id, ticket_number, body) VALUES (?, ?, ?)")
            .bind(attachment_id)
            .bind(number)
            .bind(to_json(&attachment))
            .execute(&mut *conn)
            .await?;
        log_change(conn, "attachment", attachment_id, Some(number), None).await?;
    }
    Ok(message.id)
}
