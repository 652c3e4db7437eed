//! The customer-facing portal: a customer opens a ticket (a multipart form
//! with the description and files), gets an access key for it, replies, and
//! reads support's public replies. Internal notes never leave the desk.

use serde::{Deserialize, Serialize};
use shiftdesk_domain::{AttachmentId, MessageId, TicketNumber, TicketStatus, Timestamp};
use utoipa::ToSchema;

/// What opening a ticket answers. The key is shown this once; the server
/// keeps only its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PortalTicketOpened {
    pub ticket: TicketNumber,
    /// `Authorization: Bearer <access_key>` on this ticket's portal endpoints.
    pub access_key: String,
}

/// A ticket as its customer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PortalThread {
    pub ticket: TicketNumber,
    pub subject: String,
    pub status: TicketStatus,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// The customer's messages and support's public replies, oldest first.
    pub messages: Vec<PortalMessage>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PortalMessage {
    pub id: MessageId,
    pub from: PortalAuthor,
    /// The support agent's name on replies; the customer's on their own.
    pub author_name: String,
    pub body: String,
    pub created_at: Timestamp,
    pub attachments: Vec<PortalAttachment>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PortalAuthor {
    Customer,
    Support,
}

/// A file of a portal message; downloaded from
/// `/portal/v1/tickets/{number}/attachments/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PortalAttachment {
    pub id: AttachmentId,
    pub name: String,
    pub size_bytes: u64,
    pub media_type: String,
}

/// What `PUT /v1/files/{content_hash}` answers: the file is kept and may
/// be attached to the uploader's messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct StoredFile {
    pub content_hash: shiftdesk_domain::ContentHash,
    pub size_bytes: u64,
}
