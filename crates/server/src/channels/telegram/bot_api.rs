//! The few Telegram Bot API calls the gateway makes, against a configurable
//! base URL (the real `https://api.telegram.org` or an emulator). The token
//! is part of every URL, so no URL ever reaches an error or a log line.

use std::time::Duration;

use reqwest::multipart::{Form, Part};
use reqwest::{RequestBuilder, Url};
use serde::de::DeserializeOwned;
use serde::Deserialize;

/// Up to 50 MB may take a while on a slow uplink.
const UPLOAD_TIMEOUT: Duration = Duration::from_secs(300);

/// How a call failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BotError {
    /// No answer: the connection failed or timed out.
    #[error("the Bot API cannot be reached: {0}")]
    Unreachable(String),
    /// 429: the Bot API asks to wait.
    #[error("the Bot API asks to wait {retry_after_s} s: {description}")]
    TooMany {
        retry_after_s: u64,
        description: String,
    },
    /// 5xx: the Bot API failed; worth trying again.
    #[error("the Bot API failed ({code}): {description}")]
    Failing { code: u16, description: String },
    /// Any other refusal (a blocked bot, a chat that does not exist, a bad
    /// token): trying again will not help.
    #[error("Telegram refused ({code}): {description}")]
    Refused { code: u16, description: String },
}

impl BotError {
    pub fn is_transient(&self) -> bool {
        !matches!(self, BotError::Refused { .. })
    }
}

#[derive(Debug, Deserialize)]
struct Envelope<T> {
    ok: bool,
    result: Option<T>,
    error_code: Option<u16>,
    description: Option<String>,
    parameters: Option<Parameters>,
}

#[derive(Debug, Deserialize)]
struct Parameters {
    retry_after: Option<u64>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Update {
    pub update_id: i64,
    pub message: Option<TgMessage>,
    pub edited_message: Option<TgMessage>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct TgMessage {
    pub message_id: i64,
    pub chat: Chat,
    pub text: Option<String>,
    pub caption: Option<String>,
    pub photo: Option<Vec<PhotoSize>>,
    pub document: Option<Document>,
    pub sticker: Option<Sticker>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Chat {
    pub id: i64,
    #[serde(rename = "type")]
    pub kind: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub username: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PhotoSize {
    pub file_id: String,
    pub file_size: Option<u64>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Document {
    pub file_id: String,
    pub file_name: Option<String>,
    pub mime_type: Option<String>,
    pub file_size: Option<u64>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Sticker {
    pub emoji: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SentMessage {
    pub message_id: i64,
}

#[derive(Debug, Clone, Deserialize)]
struct File {
    file_path: Option<String>,
}

#[derive(Debug, Clone)]
pub struct BotApi {
    http: reqwest::Client,
    /// `<base>/bot<token>/`
    methods: Url,
    /// `<base>/file/bot<token>/`
    files: Url,
}

impl BotApi {
    /// `long_poll` is how long `getUpdates` may wait; calls get that plus a
    /// margin.
    pub fn new(base: &Url, token: &str, long_poll: Duration) -> Result<Self, BotError> {
        let join = |path: String| {
            base.join(&path)
                .map_err(|e| BotError::Unreachable(format!("bad Bot API address: {e}")))
        };
        let http = reqwest::Client::builder()
            .timeout(long_poll + Duration::from_secs(10))
            .build()
            .map_err(|e| BotError::Unreachable(e.without_url().to_string()))?;
        Ok(Self {
            http,
            methods: join(format!("./bot{token}/"))?,
            files: join(format!("./file/bot{token}/"))?,
        })
    }

    /// Updates from `offset` on, waiting up to `wait_s` for the first.
    pub async fn get_updates(&self, offset: i64, wait_s: u64) -> Result<Vec<Update>, BotError> {
        self.call(
            "getUpdates",
            &serde_json::json!({
                "offset": offset,
                "timeout": wait_s,
                "allowed_updates": ["message", "edited_message"],
            }),
        )
        .await
    }

    /// Sends one part of a reply as Telegram HTML.
    pub async fn send_html(&self, chat: i64, html: &str) -> Result<SentMessage, BotError> {
        self.call(
            "sendMessage",
            &serde_json::json!({
                "chat_id": chat,
                "text": html,
                "parse_mode": "HTML",
                "link_preview_options": { "is_disabled": true },
            }),
        )
        .await
    }

    /// Sends a file of a reply as a document, as it is (not recompressed
    /// as a photo would be).
    pub async fn send_document(
        &self,
        chat: i64,
        name: &str,
        media_type: &str,
        bytes: Vec<u8>,
    ) -> Result<SentMessage, BotError> {
        let document = Part::bytes(bytes)
            .file_name(name.to_owned())
            .mime_str(media_type)
            .map_err(|_| BotError::Refused {
                code: 400,
                description: format!("{media_type:?} is not a media type"),
            })?;
        let form = Form::new()
            .text("chat_id", chat.to_string())
            .part("document", document);
        self.post("sendDocument", |request| {
            request.multipart(form).timeout(UPLOAD_TIMEOUT)
        })
        .await
    }

    /// Downloads a file a customer sent (`getFile`, then the file itself).
    pub async fn download(&self, file_id: &str) -> Result<Vec<u8>, BotError> {
        let file: File = self
            .call("getFile", &serde_json::json!({ "file_id": file_id }))
            .await?;
        let path = file.file_path.ok_or_else(|| BotError::Refused {
            code: 400,
            description: "the file has no download path".into(),
        })?;
        let url = self.files.join(&path).map_err(|e| BotError::Refused {
            code: 400,
            description: format!("bad file path: {e}"),
        })?;
        let response = self.http.get(url).send().await.map_err(unreachable)?;
        let status = response.status().as_u16();
        if status != 200 {
            return Err(error_of(status, "the file download failed".into(), None));
        }
        Ok(response.bytes().await.map_err(unreachable)?.to_vec())
    }

    async fn call<T: DeserializeOwned>(
        &self,
        method: &str,
        body: &serde_json::Value,
    ) -> Result<T, BotError> {
        self.post(method, |request| request.json(body)).await
    }

    /// POSTs to `method` with the body `build` gives the request.
    async fn post<T: DeserializeOwned>(
        &self,
        method: &str,
        build: impl FnOnce(RequestBuilder) -> RequestBuilder,
    ) -> Result<T, BotError> {
        let url = self
            .methods
            .join(method)
            .map_err(|e| BotError::Unreachable(e.to_string()))?;
        let response = build(self.http.post(url))
            .send()
            .await
            .map_err(unreachable)?;
        let status = response.status().as_u16();
        let bytes = response.bytes().await.map_err(unreachable)?;
        let envelope: Envelope<T> = serde_json::from_slice(&bytes).map_err(|e| {
            error_of(
                status.max(500),
                format!("{method} answered something that is not the Bot API's JSON ({e})"),
                None,
            )
        })?;
        match (envelope.ok, envelope.result) {
            (true, Some(result)) => Ok(result),
            _ => Err(error_of(
                envelope.error_code.unwrap_or(status),
                envelope
                    .description
                    .unwrap_or_else(|| format!("{method} failed")),
                envelope.parameters.and_then(|p| p.retry_after),
            )),
        }
    }
}

fn error_of(code: u16, description: String, retry_after_s: Option<u64>) -> BotError {
    match code {
        429 => BotError::TooMany {
            retry_after_s: retry_after_s.unwrap_or(1),
            description,
        },
        500.. => BotError::Failing { code, description },
        _ => BotError::Refused { code, description },
    }
}

fn unreachable(e: reqwest::Error) -> BotError {
    // The URL holds the bot's token: never let it into the message.
    BotError::Unreachable(e.without_url().to_string())
}
