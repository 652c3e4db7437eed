//! The Telegram gateway: long-polls the Bot API for customers' messages and
//! stores each through intake (a chat is a customer; their open ticket
//! gets the message, or a new ticket opens), committing the update offset
//! in the same transaction; and sends queued replies as the parts
//! `domain::telegram_parts` makes, paced to one a second per chat.

pub mod bot_api;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;
use shiftdesk_domain::telegram::{telegram_parts, MAX_DOWNLOAD_BYTES, MAX_UPLOAD_BYTES};
use shiftdesk_domain::{Attachment, Category, Channel, Priority, Ticket};
use sqlx::SqliteConnection;
use tokio::time::Instant;

use self::bot_api::{BotApi, BotError, TgMessage, Update};
use crate::channels::delivery::{self, Attempt, Outgoing};
use crate::db::{from_json, to_json};
use crate::intake::{self, CustomerDetails, NewTicket};
use crate::messages::FileRef;
use crate::{now, AppState, Db, ServerError};

const OFFSET_KEY: &str = "telegram.offset";
/// Replies taken from the queue a round.
const BATCH: i64 = 20;

/// One message of a reply in the chat.
enum Piece<'a> {
    Text(&'a str),
    File(&'a Attachment),
}

/// A customer's message as the gateway stores it.
struct Incoming<'u> {
    message: &'u TgMessage,
    /// Names the message in `channel_refs`, so it is stored once.
    reference: String,
    body: String,
    files: Vec<FileRef>,
}

/// Where the bot is and how it listens.
#[derive(Debug, Clone)]
pub struct TelegramSettings {
    /// `https://api.telegram.org`, or an emulator's address.
    pub api_base: Url,
    pub token: String,
    /// How long one `getUpdates` may wait for news.
    pub long_poll: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
    #[error(transparent)]
    Bot(#[from] BotError),
    #[error(transparent)]
    Server(#[from] ServerError),
}

#[derive(Debug, Clone)]
pub struct TelegramGateway {
    state: AppState,
    api: BotApi,
    long_poll: Duration,
}

impl TelegramGateway {
    pub fn new(state: AppState, settings: &TelegramSettings) -> Result<Self, BotError> {
        Ok(Self {
            api: BotApi::new(&settings.api_base, &settings.token, settings.long_poll)?,
            state,
            long_poll: settings.long_poll,
        })
    }

    /// Runs the receiving and the sending loop until the process ends.
    pub fn spawn(self) {
        let gateway = Arc::new(self);
        let receiver = Arc::clone(&gateway);
        tokio::spawn(async move { receiver.receive_forever().await });
        tokio::spawn(async move { gateway.send_forever().await });
    }

    async fn receive_forever(&self) {
        let mut failures = 0u32;
        loop {
            let started = Instant::now();
            match self.receive_once().await {
                Ok(stored) => {
                    failures = 0;
                    // An emulator answers at once even with nothing new.
                    if stored == 0 && started.elapsed() < Duration::from_millis(200) {
                        tokio::time::sleep(Duration::from_millis(200)).await;
                    }
                }
                Err(e) => {
                    failures = failures.saturating_add(1);
                    let wait = match &e {
                        GatewayError::Bot(BotError::TooMany { retry_after_s, .. }) => {
                            Duration::from_secs(*retry_after_s)
                        }
                        _ => super::reconnect_wait(failures),
                    };
                    tracing::warn!(error = %e, wait_s = wait.as_secs_f32(), "telegram: receiving failed; trying again");
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }

    async fn send_forever(&self) {
        let mut last_sent = HashMap::new();
        loop {
            match self.send_due(&mut last_sent).await {
                Ok(0) => tokio::time::sleep(Duration::from_millis(250)).await,
                Ok(_) => {}
                Err(e) => {
                    tracing::error!(error = %e, "telegram: the delivery queue cannot be read");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        }
    }

    /// One `getUpdates`; its messages stored with the offset after the
    /// last update in one transaction, so a crash neither loses nor doubles
    /// one. Returns how many messages were stored.
    pub async fn receive_once(&self) -> Result<usize, GatewayError> {
        let offset = read_offset(&self.state.db).await?;
        let updates = self
            .api
            .get_updates(offset, self.long_poll.as_secs())
            .await?;
        let updates: Vec<&Update> = updates.iter().filter(|u| u.update_id >= offset).collect();
        let Some(last) = updates.last() else {
            return Ok(0);
        };
        // Files first, outside the transaction: stored by hash, so fetching
        // one again after a crash keeps one copy.
        let mut incoming = Vec::with_capacity(updates.len());
        for update in &updates {
            if let Some(one) = self.incoming(update).await? {
                incoming.push(one);
            }
        }
        let mut tx = self
            .state
            .db
            .writer
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(ServerError::from)?;
        let mut stored = 0;
        for one in &incoming {
            if self.store(&mut tx, one).await? {
                stored += 1;
            }
        }
        write_offset(&mut tx, last.update_id + 1).await?;
        tx.commit().await.map_err(ServerError::from)?;
        if stored > 0 {
            self.state.nudges.refresh(&self.state.db).await?;
        }
        Ok(stored)
    }

    /// What an update brings in; `None` when there is nothing to store (a
    /// group chat, an update of another kind).
    async fn incoming<'u>(&self, update: &'u Update) -> Result<Option<Incoming<'u>>, GatewayError> {
        let (message, edited) = match (&update.message, &update.edited_message) {
            (Some(m), _) => (m, false),
            (None, Some(m)) => (m, true),
            (None, None) => {
                tracing::info!(
                    update = update.update_id,
                    "telegram: skipped an update that is not a message"
                );
                return Ok(None);
            }
        };
        if message.chat.kind != "private" {
            tracing::info!(chat = message.chat.id, kind = %message.chat.kind, "telegram: skipped a message outside a private chat");
            return Ok(None);
        }
        let reference = if edited {
            format!(
                "{}:{}:edit:{}",
                message.chat.id, message.message_id, update.update_id
            )
        } else {
            format!("{}:{}", message.chat.id, message.message_id)
        };
        let (body, files) = self.content(message, edited).await?;
        Ok(Some(Incoming {
            message,
            reference,
            body,
            files,
        }))
    }

    /// Stores one message unless it was stored before.
    async fn store(
        &self,
        tx: &mut SqliteConnection,
        one: &Incoming<'_>,
    ) -> Result<bool, ServerError> {
        let seen: Option<i64> = sqlx::query_scalar(
            "SELECT message_id FROM channel_refs WHERE channel = 'telegram' AND ref = ?",
        )
        .bind(&one.reference)
        .fetch_optional(&mut *tx)
        .await?;
        if seen.is_some() {
            return Ok(false);
        }
        let id = self
            .write_in(tx, one.message, &one.body, &one.files)
            .await?;
        sqlx::query(
            "INSERT INTO channel_refs (channel, ref, message_id) VALUES ('telegram', ?, ?)",
        )
        .bind(&one.reference)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        Ok(true)
    }

    /// The customer of the chat writes on their open ticket, or opens one.
    async fn write_in(
        &self,
        tx: &mut SqliteConnection,
        message: &TgMessage,
        body: &str,
        files: &[FileRef],
    ) -> Result<i64, ServerError> {
        let now = now();
        if let Some(ticket) = open_ticket_of_chat(tx, message.chat.id).await? {
            match intake::customer_writes(tx, ticket, Channel::Telegram, body, files, now).await? {
                Ok((_, id)) => return Ok(id.0),
                Err(problem) => {
                    tracing::warn!(chat = message.chat.id, reason = %problem.detail, "telegram: could not add to the open ticket; opening a new one")
                }
            }
        }
        let new = NewTicket {
            customer: CustomerDetails {
                name: chat_name(message),
                telegram_chat: Some(message.chat.id),
                ..CustomerDetails::default()
            },
            channel: Channel::Telegram,
            service: None,
            category: Category::PlatformProblem,
            priority: Priority::Normal,
            plan: None,
            subject: None,
            description: body.to_owned(),
            files: files.to_vec(),
        };
        match intake::open_ticket(tx, &self.state.intake, &new, now).await? {
            Ok(ticket) => {
                tracing::info!(
                    ticket = ticket.number.0,
                    chat = message.chat.id,
                    "telegram: new ticket"
                );
                newest_message(tx, &ticket).await
            }
            Err(problem) => Err(ServerError::Refused(problem.detail)),
        }
    }

    /// What the customer sent, as a message body and the files to attach.
    async fn content(
        &self,
        message: &TgMessage,
        edited: bool,
    ) -> Result<(String, Vec<FileRef>), GatewayError> {
        let mut lines = Vec::new();
        if let Some(text) = message.text.as_deref().or(message.caption.as_deref()) {
            lines.push(if edited {
                format!("✎ {text}")
            } else {
                text.to_owned()
            });
        }
        let mut wanted = Vec::new();
        if let Some(photo) = message.photo.as_ref().and_then(|sizes| sizes.last()) {
            wanted.push((
                photo.file_id.clone(),
                format!("photo-{}.jpg", message.message_id),
                "image/jpeg".to_owned(),
                photo.file_size,
            ));
        }
        if let Some(doc) = &message.document {
            let name = doc
                .file_name
                .clone()
                .filter(|n| crate::messages::is_file_name(n))
                .unwrap_or_else(|| format!("file-{}", message.message_id));
            let media_type = doc
                .mime_type
                .clone()
                .filter(|t| crate::messages::is_media_type(t))
                .unwrap_or_else(|| "application/octet-stream".into());
            wanted.push((doc.file_id.clone(), name, media_type, doc.file_size));
        }
        if let Some(sticker) = &message.sticker {
            lines.push(
                format!("[sticker {}]", sticker.emoji.as_deref().unwrap_or_default())
                    .replace(" ]", "]"),
            );
        }
        let mut files = Vec::new();
        for (file_id, name, media_type, size) in wanted {
            if size.is_some_and(|s| s > MAX_DOWNLOAD_BYTES) {
                lines.push(format!(
                    "[{name} was not fetched: bots can download files up to {} MB; ask the customer for a link]",
                    MAX_DOWNLOAD_BYTES / (1024 * 1024)
                ));
                continue;
            }
            match self.api.download(&file_id).await {
                Ok(bytes) => {
                    let size_bytes = bytes.len() as u64;
                    let content_hash = self
                        .state
                        .db
                        .files
                        .put_bytes(bytes)
                        .await
                        .map_err(ServerError::from)?;
                    files.push(FileRef {
                        content_hash,
                        name,
                        media_type,
                        size_bytes,
                    });
                }
                Err(e) if e.is_transient() => return Err(e.into()),
                Err(e) => lines.push(format!("[{name} could not be fetched: {e}]")),
            }
        }
        if lines.is_empty() {
            lines.push(if files.is_empty() {
                "[a kind of message Shiftdesk cannot show; ask the customer to write it as text]"
                    .to_owned()
            } else {
                "[files]".to_owned()
            });
        }
        Ok((lines.join("\n"), files))
    }

    /// Sends what is due; returns how many replies were attempted.
    pub async fn send_due(
        &self,
        last_sent: &mut HashMap<i64, Instant>,
    ) -> Result<usize, ServerError> {
        let due = delivery::due(&self.state.db, Channel::Telegram, now(), BATCH).await?;
        for out in &due {
            let attempt = self.send(out, last_sent).await?;
            if delivery::settle(&self.state.db, out, attempt, now()).await? {
                self.state.nudges.refresh(&self.state.db).await?;
            }
        }
        Ok(due.len())
    }

    async fn send(
        &self,
        out: &Outgoing,
        last_sent: &mut HashMap<i64, Instant>,
    ) -> Result<Attempt, ServerError> {
        let Some(chat) = out.customer.telegram_chat else {
            return Ok(Attempt::Refused {
                reason: "the customer has no Telegram chat with the bot".into(),
            });
        };
        let mut ids: Vec<String> = out
            .peer_ref
            .as_deref()
            .map(|r| r.split(',').map(str::to_owned).collect())
            .unwrap_or_default();
        let files = delivery::files_of(&self.state.db, out).await?;
        // Refused before anything goes, so the customer never gets half.
        if let Some(big) = files.iter().find(|f| f.size_bytes > MAX_UPLOAD_BYTES) {
            return Ok(Attempt::Refused {
                reason: format!(
                    "{} is {} MB; bots send files up to {} MB: share a link to it instead",
                    big.name,
                    big.size_bytes.div_ceil(1024 * 1024),
                    MAX_UPLOAD_BYTES / (1024 * 1024)
                ),
            });
        }
        // The text's parts, then each file as a document.
        let parts = telegram_parts(&out.message.body);
        let pieces = parts
            .iter()
            .map(|part| Piece::Text(&part.html))
            .chain(files.iter().map(Piece::File));
        for (index, piece) in pieces.enumerate().skip(out.parts_sent as usize) {
            // At most one message a second to a chat.
            if let Some(at) = last_sent.get(&chat) {
                tokio::time::sleep_until(*at + Duration::from_secs(1)).await;
            }
            let sent = match piece {
                Piece::Text(html) => self.api.send_html(chat, html).await,
                Piece::File(file) => {
                    let path = self.state.db.files.path_of(&file.content_hash);
                    let bytes = match tokio::fs::read(&path).await {
                        Ok(bytes) => bytes,
                        Err(e) => {
                            return Ok(Attempt::Refused {
                                reason: format!("{} cannot be read on the server: {e}", file.name),
                            })
                        }
                    };
                    self.api
                        .send_document(chat, &file.name, &file.media_type, bytes)
                        .await
                }
            };
            last_sent.insert(chat, Instant::now());
            match sent {
                Ok(sent) => {
                    ids.push(sent.message_id.to_string());
                    let taken = u32::try_from(index + 1).unwrap_or(u32::MAX);
                    delivery::part_sent(&self.state.db, out.message.id, taken, &ids.join(","))
                        .await?;
                }
                Err(BotError::TooMany {
                    retry_after_s,
                    description,
                }) => {
                    return Ok(Attempt::Unanswered {
                        reason: format!("Telegram asks to wait {retry_after_s} s: {description}"),
                        retry_after_ms: Some(
                            i64::try_from(retry_after_s.saturating_mul(1000)).unwrap_or(i64::MAX),
                        ),
                    });
                }
                Err(e) if e.is_transient() => {
                    return Ok(Attempt::Unanswered {
                        reason: e.to_string(),
                        retry_after_ms: None,
                    });
                }
                Err(e) => {
                    return Ok(Attempt::Refused {
                        reason: e.to_string(),
                    })
                }
            }
        }
        Ok(Attempt::Delivered {
            peer_ref: ids.join(","),
        })
    }
}

fn chat_name(message: &TgMessage) -> String {
    let chat = &message.chat;
    let full = [chat.first_name.as_deref(), chat.last_name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let name = if full.trim().is_empty() {
        chat.username
            .clone()
            .map_or_else(|| format!("Telegram {}", chat.id), |u| format!("@{u}"))
    } else {
        full
    };
    // Intake takes a name of one line, 200 characters at most.
    name.chars().filter(|c| !c.is_control()).take(200).collect()
}

async fn open_ticket_of_chat(
    conn: &mut SqliteConnection,
    chat: i64,
) -> Result<Option<Ticket>, ServerError> {
    let body: Option<String> = sqlx::query_scalar(
        "SELECT t.body FROM tickets t JOIN customers c ON c.id = t.customer_id \
         WHERE json_extract(c.body, '$.telegram_chat') = ? \
         AND json_extract(t.body, '$.status') != 'closed' ORDER BY t.number DESC LIMIT 1",
    )
    .bind(chat)
    .fetch_optional(&mut *conn)
    .await?;
    body.map(|b| from_json(&b, "ticket")).transpose()
}

async fn newest_message(conn: &mut SqliteConnection, ticket: &Ticket) -> Result<i64, ServerError> {
    Ok(
        sqlx::query_scalar("SELECT max(id) FROM messages WHERE ticket_number = ?")
            .bind(ticket.number.0)
            .fetch_one(&mut *conn)
            .await?,
    )
}

async fn read_offset(db: &Db) -> Result<i64, ServerError> {
    let value: Option<String> = sqlx::query_scalar("SELECT value FROM gateway_state WHERE key = ?")
        .bind(OFFSET_KEY)
        .fetch_optional(&db.readers)
        .await?;
    Ok(value.and_then(|v| v.parse().ok()).unwrap_or(0))
}

async fn write_offset(conn: &mut SqliteConnection, offset: i64) -> Result<(), ServerError> {
    sqlx::query(
        "INSERT INTO gateway_state (key, value) VALUES (?, ?) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(OFFSET_KEY)
    .bind(to_json(&offset))
    .execute(conn)
    .await?;
    Ok(())
}
