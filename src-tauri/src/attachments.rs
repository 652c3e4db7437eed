//! A message's files and a customer's HTML mail, for the conversation:
//! from the cache's file store, or the server once and then offline.

use base64::Engine as _;
use serde::Serialize;
use shiftdesk_domain::inbound_html::SafeHtml;
use shiftdesk_domain::{AttachmentId, MessageId};
use shiftdesk_engine::attachments::{AttachmentError, Attachments, Opening};
use tauri::State;
use ts_rs::TS;

use crate::error::{parse, AppError};
use crate::session::{Session, SignedIn};

/// How a file opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "opened", rename_all = "snake_case")]
pub enum OpenedAttachment {
    /// An image for the window's viewer, as a `data:` URL.
    Image { data_url: String },
    /// Handed to the system's app for its type.
    SystemApp,
}

fn attachments(signed: &SignedIn) -> Result<Attachments<'_>, AppError> {
    Ok(Attachments {
        store: signed.cache.store()?,
        api: Some(signed.link.client()),
    })
}

/// The sanitized HTML part of `message`; `null` when it has none.
#[tauri::command]
pub async fn message_html(
    session: State<'_, Session>,
    message: serde_json::Value,
) -> Result<Option<SafeHtml>, AppError> {
    let signed = session.signed_in()?;
    let message: MessageId = parse(message)?;
    Ok(attachments(&signed)?.message_html(message).await?)
}

/// Opens a file: an image comes back for the window, anything else opens
/// in the system's app.
#[tauri::command]
pub async fn open_attachment(
    session: State<'_, Session>,
    attachment: serde_json::Value,
) -> Result<OpenedAttachment, AppError> {
    let signed = session.signed_in()?;
    let attachment: AttachmentId = parse(attachment)?;
    let opening = attachments(&signed)?
        .open(attachment, &session.opened_dir(&signed.account))
        .await?;
    match opening {
        Opening::Image { media_type, bytes } => Ok(OpenedAttachment::Image {
            data_url: format!(
                "data:{media_type};base64,{}",
                base64::engine::general_purpose::STANDARD.encode(bytes)
            ),
        }),
        Opening::File { path } => {
            tauri_plugin_opener::open_path(&path, None::<&str>).map_err(|e| AppError {
                code: "attachment.open_failed".into(),
                message: format!("the system could not open {}: {e}", path.display()),
            })?;
            Ok(OpenedAttachment::SystemApp)
        }
    }
}

impl From<AttachmentError> for AppError {
    fn from(e: AttachmentError) -> Self {
        Self {
            code: e.code().to_owned(),
            message: e.to_string(),
        }
    }
}
