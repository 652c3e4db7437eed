//! New messages, whoever writes them (an agent's push, a portal customer,
//! a channel gateway): the rules a body and its files must meet, and the
//! one way a message and its attachments are stored and logged.

use shiftdesk_domain::{Attachment, AttachmentId, ContentHash, Message, MessageId};
pub use shiftdesk_protocol::mutation::{
    check_body, check_file, check_file_count, is_file_name, is_media_type, MAX_MESSAGE_BYTES,
};
use sqlx::SqliteConnection;

use crate::db::{log_change, to_json};
use crate::ServerError;

/// A stored file about to be attached to a new message.
#[derive(Debug, Clone)]
pub struct FileRef {
    pub content_hash: ContentHash,
    pub name: String,
    pub media_type: String,
    pub size_bytes: u64,
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
