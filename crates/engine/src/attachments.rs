//! A message's files as the agent opens them: from the local file store when
//! they were opened before, else downloaded once, checked against their
//! content hash and kept, so a file opened once opens offline later. And a
//! customer's HTML mail, sanitized for the conversation's frame.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use shiftdesk_domain::inbound_html::{self, InboundHtmlError, SafeHtml, MAX_INBOUND_HTML_BYTES};
use shiftdesk_domain::{Attachment, AttachmentId, ContentHash, MessageId};
use shiftdesk_protocol::{Problem, MAX_ATTACHMENT_BYTES};
use shiftdesk_store::{AttachmentFiles, Store, StoreError};

use crate::api::{ApiClient, ApiError};

/// Images the window shows itself; any other file opens in the system's app.
const INLINE_IMAGE_TYPES: [&str; 4] = ["image/png", "image/jpeg", "image/gif", "image/webp"];
/// Larger images open in the system's app: the window gets them whole.
pub const MAX_INLINE_IMAGE_BYTES: u64 = 20 * 1024 * 1024;
/// Files that start programs rather than show something: a customer's file
/// is never run, whatever the system would do with it.
const LAUNCHER_EXTENSIONS: [&str; 12] = [
    "desktop", "appimage", "run", "exe", "msi", "bat", "cmd", "com", "scr", "lnk", "jar", "ps1",
];

#[derive(Debug, thiserror::Error)]
pub enum AttachmentError {
    #[error("file {} is not in the cache", .0 .0)]
    Unknown(AttachmentId),
    #[error("{name} is {size} bytes; files open up to {limit} bytes")]
    TooLarge { name: String, size: u64, limit: u64 },
    #[error(
        "{name} has not been opened on this computer yet and cannot be downloaded now: {reason}"
    )]
    NotCached { name: String, reason: String },
    #[error("the server refused {name}: {}", .problem.detail)]
    Refused { name: String, problem: Problem },
    #[error("{name} did not download: {reason}")]
    Download { name: String, reason: String },
    #[error("{name} came from the server with other bytes than its content hash names")]
    Corrupt { name: String },
    #[error("{name} would start a program; Shiftdesk does not open such files")]
    Launcher { name: String },
    #[error(transparent)]
    Html(#[from] InboundHtmlError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl AttachmentError {
    /// Stable across versions: the UI and tests key on it.
    pub fn code(&self) -> &'static str {
        match self {
            AttachmentError::Unknown(_) => "attachment.unknown",
            AttachmentError::TooLarge { .. } => "attachment.too_large",
            AttachmentError::NotCached { .. } => "attachment.not_cached",
            AttachmentError::Refused { problem, .. } => problem.code.code(),
            AttachmentError::Download { .. } => "attachment.download_failed",
            AttachmentError::Corrupt { .. } => "attachment.hash_mismatch",
            AttachmentError::Launcher { .. } => "attachment.launcher",
            AttachmentError::Html(e) => e.code(),
            AttachmentError::Store(e) => e.code(),
        }
    }
}

/// How a file opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opening {
    /// An image the window shows from these bytes.
    Image { media_type: String, bytes: Vec<u8> },
    /// Written here, for the system's app to open.
    File { path: PathBuf },
}

/// Where files come from: the cache's records, its file store, and the
/// server when there is one.
#[derive(Debug, Clone, Copy)]
pub struct Attachments<'a> {
    pub store: &'a Store,
    pub api: Option<&'a ApiClient>,
}

impl Attachments<'_> {
    /// The record and bytes of file `id`, checked against its hash.
    pub async fn bytes(&self, id: AttachmentId) -> Result<(Attachment, Vec<u8>), AttachmentError> {
        let attachment = self
            .store
            .attachment(id)
            .await?
            .ok_or(AttachmentError::Unknown(id))?;
        let bytes = self.bytes_of(&attachment, MAX_ATTACHMENT_BYTES).await?;
        Ok((attachment, bytes))
    }

    /// Opens file `id`: an image for the window, anything else written
    /// under `open_dir` (readable by the agent alone) for the system's app.
    pub async fn open(
        &self,
        id: AttachmentId,
        open_dir: &Path,
    ) -> Result<Opening, AttachmentError> {
        let (attachment, bytes) = self.bytes(id).await?;
        if INLINE_IMAGE_TYPES.contains(&attachment.media_type.as_str())
            && bytes.len() as u64 <= MAX_INLINE_IMAGE_BYTES
        {
            return Ok(Opening::Image {
                media_type: attachment.media_type,
                bytes,
            });
        }
        let name = file_name(&attachment.name);
        let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        if extension.is_some_and(|e| LAUNCHER_EXTENSIONS.contains(&e.as_str())) {
            return Err(AttachmentError::Launcher {
                name: attachment.name,
            });
        }
        // A folder per file keeps its own name, which tells the system
        // which app to use, without two customers' files colliding.
        let path = open_dir.join(attachment.id.0.to_string()).join(name);
        let written = path.clone();
        blocking(move || write_private(&written, &bytes)).await?;
        Ok(Opening::File { path })
    }

    /// The sanitized HTML part of `message`; `None` when it has none (not a
    /// customer's mail, or a mail in plain text).
    pub async fn message_html(
        &self,
        message: MessageId,
    ) -> Result<Option<SafeHtml>, AttachmentError> {
        let Some(ticket) = self.store.message_ticket(message).await? else {
            return Ok(None);
        };
        let conversation = self.store.conversation(ticket).await?;
        let part = conversation
            .into_iter()
            .find(|m| m.id == message)
            .and_then(|m| {
                let id = m.html_part?;
                m.attachments.into_iter().find(|f| f.id == id)
            });
        let Some(part) = part else {
            return Ok(None);
        };
        // Refused before a byte is fetched: the sanitizer would refuse it.
        if part.size_bytes > MAX_INBOUND_HTML_BYTES {
            return Err(InboundHtmlError::TooLarge {
                bytes: part.size_bytes,
                limit: MAX_INBOUND_HTML_BYTES,
            }
            .into());
        }
        let bytes = self.bytes_of(&part, MAX_INBOUND_HTML_BYTES).await?;
        Ok(Some(inbound_html::sanitize(&String::from_utf8_lossy(
            &bytes,
        ))?))
    }

    /// The bytes of `attachment` from the file store, or else from the
    /// server, kept in the store once they match the hash.
    async fn bytes_of(
        &self,
        attachment: &Attachment,
        limit: u64,
    ) -> Result<Vec<u8>, AttachmentError> {
        if attachment.size_bytes > limit {
            return Err(AttachmentError::TooLarge {
                name: attachment.name.clone(),
                size: attachment.size_bytes,
                limit,
            });
        }
        let files = self.store.files().clone();
        let hash = attachment.content_hash.clone();
        match blocking(move || files.read(&hash)).await {
            Ok(bytes) => return Ok(bytes),
            Err(StoreError::File { source, .. })
                if source.kind() == std::io::ErrorKind::NotFound => {}
            Err(StoreError::FileMismatch { .. }) => {
                // Damaged on disk: fetched again below, after it is gone.
                tracing::warn!(
                    attachment = attachment.id.0,
                    "a cached file failed its check"
                );
                let files = self.store.files().clone();
                let hash = attachment.content_hash.clone();
                blocking(move || files.remove(&hash)).await?;
            }
            Err(e) => return Err(e.into()),
        }
        let bytes = self.download(attachment).await?;
        if AttachmentFiles::hash(&bytes) != attachment.content_hash {
            return Err(AttachmentError::Corrupt {
                name: attachment.name.clone(),
            });
        }
        let files = self.store.files().clone();
        let kept = bytes.clone();
        let _: ContentHash = blocking(move || files.put(&kept)).await?;
        Ok(bytes)
    }

    async fn download(&self, attachment: &Attachment) -> Result<Vec<u8>, AttachmentError> {
        let name = attachment.name.clone();
        let Some(api) = self.api else {
            return Err(AttachmentError::NotCached {
                name,
                reason: "no server is configured".into(),
            });
        };
        api.attachment(attachment.id, attachment.size_bytes)
            .await
            .map_err(|e| match e {
                ApiError::Unreachable { .. } | ApiError::SlowDown { .. } => {
                    AttachmentError::NotCached {
                        name,
                        reason: e.to_string(),
                    }
                }
                ApiError::Problem(problem) => AttachmentError::Refused { name, problem },
                ApiError::Unexpected { .. } => AttachmentError::Download {
                    name,
                    reason: e.to_string(),
                },
            })
    }
}

/// How long a file written for the system's app is kept: the shift it was
/// opened in, not the months after (customers' files would pile up on the
/// agent's disk; the cache still has them, to open again).
pub const KEEP_OPENED: Duration = Duration::from_secs(24 * 60 * 60);

/// Removes the files written to `open_dir` for the system's apps (a folder
/// per file) last written more than `keep` before `now`; returns how many
/// went. No folder yet is nothing to do.
pub fn forget_opened(open_dir: &Path, keep: Duration, now: SystemTime) -> std::io::Result<usize> {
    let folders = match std::fs::read_dir(open_dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        other => other?,
    };
    let mut removed = 0;
    for folder in folders {
        let folder = folder?.path();
        // Opening a file again rewrites it, not its folder.
        let mut written = std::fs::metadata(&folder)?.modified()?;
        if folder.is_dir() {
            for file in std::fs::read_dir(&folder)? {
                written = written.max(file?.metadata()?.modified()?);
            }
        }
        if now.duration_since(written).is_ok_and(|age| age > keep) {
            if folder.is_dir() {
                std::fs::remove_dir_all(&folder)?;
            } else {
                std::fs::remove_file(&folder)?;
            }
            removed += 1;
        }
    }
    Ok(removed)
}

/// A customer's file name made safe to write: no folders, no hidden or
/// control characters, never empty.
fn file_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' => '_',
            c if c.is_control()
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}') =>
            {
                '_'
            }
            c => c,
        })
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.');
    if cleaned.is_empty() {
        "attachment".into()
    } else {
        cleaned.chars().take(200).collect()
    }
}

/// Writes `bytes` to `path`, folders included, readable by this user only
/// and never executable.
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let io = |source, path: &Path| StoreError::File {
        path: path.to_owned(),
        source,
    };
    let dir = path.parent().unwrap_or(path);
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(|e| io(e, dir))?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(|e| io(e, path))?;
    std::io::Write::write_all(&mut file, bytes).map_err(|e| io(e, path))
}

/// Runs file work off the async threads.
pub(crate) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    tokio::task::spawn_blocking(work)
        .await
        .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
}

#[cfg(test)]
mod tests;
