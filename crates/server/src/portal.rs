//! The customer-facing portal: open a ticket with a multipart form
//! (description and files), then, with the ticket's access key, reply and
//! read support's public replies and their files. Internal notes and call
//! logs stay inside the desk. The provider's web console signs customers
//! in before they reach the portal; this server takes the account login
//! a form names as given.

use std::collections::HashMap;

use axum::extract::multipart::MultipartRejection;
use axum::extract::{FromRequestParts, Multipart, Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use shiftdesk_domain::{
    Attachment, Author, Category, Channel, Message, MessageKind, Priority, Ticket, TicketNumber,
};
use shiftdesk_protocol::{
    ErrorCode, PortalAttachment, PortalAuthor, PortalMessage, PortalThread, PortalTicketOpened,
    MAX_ATTACHMENT_BYTES,
};
use utoipa::ToSchema;

use crate::attachments::{attachment_with_ticket, no_attachment, serve, upload_refusal};
use crate::auth::{bearer_token, new_secret, token_hash};
use crate::db::from_json;
use crate::intake::{self, CustomerDetails, NewTicket};
use crate::messages::{self, FileRef};
use crate::{now, ApiError, AppState};

/// The largest portal form: every file at its limit, and the text.
pub const MAX_FORM_BYTES: usize = (MAX_ATTACHMENT_BYTES as usize) * 2 + 1024 * 1024;

/// The form that opens a ticket (`multipart/form-data`).
#[derive(Debug, ToSchema)]
pub struct OpenTicketForm {
    /// How support should address the customer.
    pub name: String,
    pub email: Option<String>,
    /// The customer's account login on the platform; support asks for it first.
    pub account_login: Option<String>,
    /// The project the problem is in.
    pub project: Option<String>,
    /// A service of the platform, by name (e.g. "Compute Cloud").
    pub service: String,
    pub category: Category,
    /// Defaults to the description's first line.
    pub subject: Option<String>,
    /// Markdown; code belongs in code blocks.
    pub description: String,
    /// Screenshots, logs: up to 10 files of up to 50 MiB each, 100 MiB in all.
    #[schema(value_type = Vec<String>, format = Binary)]
    pub attachment: Vec<FileRef>,
}

/// The form of a customer's reply (`multipart/form-data`).
#[derive(Debug, ToSchema)]
pub struct ReplyForm {
    /// Markdown; code belongs in code blocks.
    pub body: String,
    #[schema(value_type = Vec<String>, format = Binary)]
    pub attachment: Vec<FileRef>,
}

/// A portal customer, by the access key of their ticket.
#[derive(Debug, Clone, Copy)]
pub struct PortalCaller {
    pub ticket: TicketNumber,
}

impl FromRequestParts<AppState> for PortalCaller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let refused = || {
            ApiError::new(
                ErrorCode::Unauthenticated,
                "send `Authorization: Bearer <access key>` with the key given when the ticket was opened",
            )
        };
        let key = bearer_token(&parts.headers).ok_or_else(refused)?;
        let ticket: Option<i64> =
            sqlx::query_scalar("SELECT ticket_number FROM portal_keys WHERE key_hash = ?")
                .bind(token_hash(key))
                .fetch_optional(&state.db.readers)
                .await?;
        ticket
            .map(|t| PortalCaller {
                ticket: TicketNumber(t),
            })
            .ok_or_else(refused)
    }
}

#[utoipa::path(
    post,
    path = "/portal/v1/tickets",
    request_body(content = OpenTicketForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Opened; keep the access key to follow the ticket", body = PortalTicketOpened),
        (status = 400, description = "A field is missing or malformed", body = shiftdesk_protocol::Problem, content_type = "application/problem+json"),
        (status = 413, description = "A file or the form is too large", body = shiftdesk_protocol::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The description cannot be taken as it is", body = shiftdesk_protocol::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn open_ticket(
    State(state): State<AppState>,
    form: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<PortalTicketOpened>), ApiError> {
    let mut form = read_form(&state, form, OPEN_FIELDS).await?;
    let new = NewTicket {
        customer: CustomerDetails {
            name: form.required("name")?,
            email: form.take("email"),
            account_login: form.take("account_login"),
            project: form.take("project"),
            ..CustomerDetails::default()
        },
        channel: Channel::Portal,
        service: Some(form.required("service")?),
        category: form.required("category")?.parse().map_err(|_| {
            ApiError::new(
                ErrorCode::BadRequest,
                "`category` is one of architecture_consulting, resource_diagnostics, \
                 access_recovery, billing, platform_problem, service_setup, out_of_scope",
            )
        })?,
        priority: Priority::Normal,
        plan: None,
        subject: form.take("subject"),
        description: form.required("description")?,
        files: form.files,
    };
    let key = new_secret("ptk");
    let mut tx = state.db.writer.begin_with("BEGIN IMMEDIATE").await?;
    let ticket = intake::open_ticket(&mut tx, &state.intake, &new, now())
        .await?
        .map_err(ApiError)?;
    sqlx::query("INSERT INTO portal_keys (ticket_number, key_hash) VALUES (?, ?)")
        .bind(ticket.number.0)
        .bind(token_hash(&key))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    state.nudges.refresh(&state.db).await?;
    tracing::info!(ticket = ticket.number.0, "portal ticket opened");
    Ok((
        StatusCode::CREATED,
        Json(PortalTicketOpened {
            ticket: ticket.number,
            access_key: key,
        }),
    ))
}

#[utoipa::path(
    post,
    path = "/portal/v1/tickets/{number}/messages",
    params(("number" = i64, Path, description = "The ticket number")),
    request_body(content = ReplyForm, content_type = "multipart/form-data"),
    security(("portal_key" = [])),
    responses(
        (status = 201, description = "Stored; support sees it", body = PortalMessage),
        (status = 400, description = "A field is missing or malformed", body = shiftdesk_protocol::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access key", body = shiftdesk_protocol::Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not the key's ticket", body = shiftdesk_protocol::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The ticket is closed", body = shiftdesk_protocol::Problem, content_type = "application/problem+json"),
        (status = 413, description = "A file or the form is too large", body = shiftdesk_protocol::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The message cannot be taken as it is", body = shiftdesk_protocol::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn reply(
    State(state): State<AppState>,
    caller: PortalCaller,
    Path(number): Path<String>,
    form: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<PortalMessage>), ApiError> {
    let number = own_ticket(caller, &number)?;
    let mut form = read_form(&state, form, REPLY_FIELDS).await?;
    let body = form.required("body")?;
    let mut tx = state.db.writer.begin_with("BEGIN IMMEDIATE").await?;
    let ticket = ticket(&mut tx, number).await?;
    let (_, id) =
        intake::customer_writes(&mut tx, ticket, Channel::Portal, &body, &form.files, now())
            .await?
            .map_err(ApiError)?;
    tx.commit().await?;
    state.nudges.refresh(&state.db).await?;
    let thread = portal_thread(&state, number).await?;
    let message = thread.messages.into_iter().find(|m| m.id == id);
    match message {
        Some(message) => Ok((StatusCode::CREATED, Json(message))),
        None => Err(ApiError::new(
            ErrorCode::Internal,
            "the reply was stored but cannot be shown; reload the ticket",
        )),
    }
}

#[utoipa::path(
    get,
    path = "/portal/v1/tickets/{number}",
    params(("number" = i64, Path, description = "The ticket number")),
    security(("portal_key" = [])),
    responses(
        (status = 200, description = "The ticket as its customer sees it", body = PortalThread),
        (status = 400, description = "Not a ticket number", body = shiftdesk_protocol::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access key", body = shiftdesk_protocol::Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not the key's ticket", body = shiftdesk_protocol::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn thread(
    State(state): State<AppState>,
    caller: PortalCaller,
    Path(number): Path<String>,
) -> Result<Json<PortalThread>, ApiError> {
    let number = own_ticket(caller, &number)?;
    Ok(Json(portal_thread(&state, number).await?))
}

#[utoipa::path(
    get,
    path = "/portal/v1/tickets/{number}/attachments/{id}",
    params(
        ("number" = i64, Path, description = "The ticket number"),
        ("id" = i64, Path, description = "The attachment's id"),
        ("range" = Option<String>, Header, description = "One byte range, e.g. `bytes=0-1023`"),
    ),
    security(("portal_key" = [])),
    responses(
        (status = 200, description = "The whole file, as its stored media type", content_type = "*/*", body = Vec<u8>),
        (status = 206, description = "The requested range", content_type = "*/*", body = Vec<u8>),
        (status = 400, description = "Not a number", body = shiftdesk_protocol::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access key", body = shiftdesk_protocol::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such file the customer may see", body = shiftdesk_protocol::Problem, content_type = "application/problem+json"),
        (status = 416, description = "The range lies outside the file", body = shiftdesk_protocol::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn attachment(
    State(state): State<AppState>,
    caller: PortalCaller,
    Path((number, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let number = own_ticket(caller, &number)?;
    let id: i64 = id
        .parse()
        .map_err(|_| ApiError::new(ErrorCode::BadRequest, "an attachment id is a number"))?;
    let visible = match attachment_with_ticket(&state, id).await? {
        Some((attachment, ticket)) if ticket.number == number => {
            let thread = portal_thread(&state, number).await?;
            let shown = thread
                .messages
                .iter()
                .any(|m| m.attachments.iter().any(|a| a.id == attachment.id));
            shown.then_some(attachment)
        }
        _ => None,
    };
    match visible {
        Some(attachment) => serve(&state, &attachment, &headers).await,
        None => Err(no_attachment(id)),
    }
}

/// The path's ticket, which must be the one the key opens.
fn own_ticket(caller: PortalCaller, number: &str) -> Result<TicketNumber, ApiError> {
    let number: i64 = number
        .parse()
        .map_err(|_| ApiError::new(ErrorCode::BadRequest, "a ticket number is a number"))?;
    if number != caller.ticket.0 {
        return Err(ApiError::new(
            ErrorCode::NotFound,
            format!("this access key is not for ticket #{number}"),
        ));
    }
    Ok(TicketNumber(number))
}

async fn ticket(
    conn: &mut sqlx::SqliteConnection,
    number: TicketNumber,
) -> Result<Ticket, ApiError> {
    let body: Option<String> = sqlx::query_scalar("SELECT body FROM tickets WHERE number = ?")
        .bind(number.0)
        .fetch_optional(&mut *conn)
        .await?;
    let body =
        body.ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("no ticket {number}")))?;
    Ok(from_json(&body, "ticket")?)
}

async fn customer_name(
    conn: &mut sqlx::SqliteConnection,
    ticket: &Ticket,
) -> Result<String, ApiError> {
    let body: String = sqlx::query_scalar("SELECT body FROM customers WHERE id = ?")
        .bind(ticket.customer.0)
        .fetch_one(&mut *conn)
        .await?;
    let customer: shiftdesk_domain::Customer = from_json(&body, "customer")?;
    Ok(customer.name)
}

/// What the customer sees: their messages and public replies, with files.
async fn portal_thread(state: &AppState, number: TicketNumber) -> Result<PortalThread, ApiError> {
    let mut conn = state.db.readers.acquire().await?;
    let ticket = ticket(&mut conn, number).await?;
    let customer_name = customer_name(&mut conn, &ticket).await?;
    let message_bodies: Vec<String> =
        sqlx::query_scalar("SELECT body FROM messages WHERE ticket_number = ? ORDER BY id")
            .bind(number.0)
            .fetch_all(&mut *conn)
            .await?;
    let attachment_bodies: Vec<String> =
        sqlx::query_scalar("SELECT body FROM attachments WHERE ticket_number = ? ORDER BY id")
            .bind(number.0)
            .fetch_all(&mut *conn)
            .await?;
    let agents: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, json_extract(body, '$.name') FROM agents")
            .fetch_all(&mut *conn)
            .await?;
    let agents: HashMap<i64, String> = agents.into_iter().collect();
    let attachments: Vec<Attachment> = attachment_bodies
        .iter()
        .map(|b| from_json(b, "attachment"))
        .collect::<Result<_, _>>()?;
    let mut messages = Vec::new();
    for body in &message_bodies {
        let message: Message = from_json(body, "message")?;
        let from = match (&message.kind, &message.author) {
            (MessageKind::Inbound, _) => (PortalAuthor::Customer, customer_name.clone()),
            (MessageKind::PublicReply { .. }, Author::Agent { id }) => (
                PortalAuthor::Support,
                agents.get(&id.0).cloned().unwrap_or_default(),
            ),
            (MessageKind::PublicReply { .. }, _) => (PortalAuthor::Support, String::new()),
            // Notes and call logs stay inside the desk.
            _ => continue,
        };
        messages.push(PortalMessage {
            id: message.id,
            from: from.0,
            author_name: from.1,
            body: message.body,
            created_at: message.created_at,
            attachments: attachments
                .iter()
                .filter(|a| a.message == message.id)
                .map(|a| PortalAttachment {
                    id: a.id,
                    name: a.name.clone(),
                    size_bytes: a.size_bytes,
                    media_type: a.media_type.clone(),
                })
                .collect(),
        });
    }
    Ok(PortalThread {
        ticket: ticket.number,
        subject: ticket.subject,
        status: ticket.status,
        created_at: ticket.created_at,
        updated_at: ticket.updated_at,
        messages,
    })
}

const OPEN_FIELDS: &[&str] = &[
    "name",
    "email",
    "account_login",
    "project",
    "service",
    "category",
    "subject",
    "description",
];
const REPLY_FIELDS: &[&str] = &["body"];
/// The name of every file part.
const FILE_FIELD: &str = "attachment";

/// A multipart form read whole: its text fields, and its files stored.
struct Form {
    text: HashMap<String, String>,
    files: Vec<FileRef>,
}

impl Form {
    fn take(&mut self, name: &str) -> Option<String> {
        self.text.remove(name).filter(|v| !v.trim().is_empty())
    }

    fn required(&mut self, name: &str) -> Result<String, ApiError> {
        self.take(name)
            .ok_or_else(|| ApiError::new(ErrorCode::BadRequest, format!("`{name}` is required")))
    }
}

async fn read_form(
    state: &AppState,
    form: Result<Multipart, MultipartRejection>,
    fields: &[&str],
) -> Result<Form, ApiError> {
    let mut multipart = form.map_err(|e| {
        ApiError::new(
            ErrorCode::BadRequest,
            format!("send the form as multipart/form-data: {}", e.body_text()),
        )
    })?;
    let mut form = Form {
        text: HashMap::new(),
        files: Vec::new(),
    };
    while let Some(field) = multipart.next_field().await.map_err(multipart_refusal)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == FILE_FIELD {
            messages::check_file_count(form.files.len() + 1).map_err(ApiError)?;
            let file_name = field.file_name().unwrap_or("file").to_owned();
            let media_type = field
                .content_type()
                .unwrap_or("application/octet-stream")
                .to_owned();
            messages::check_file(&file_name, &media_type).map_err(ApiError)?;
            let (content_hash, size_bytes) = state
                .db
                .files
                .put(field, MAX_ATTACHMENT_BYTES, None)
                .await
                .map_err(upload_refusal)?;
            form.files.push(FileRef {
                content_hash,
                name: file_name.trim().to_owned(),
                media_type,
                size_bytes,
            });
        } else if fields.contains(&name.as_str()) {
            let bytes = field.bytes().await.map_err(multipart_refusal)?;
            let text = String::from_utf8(bytes.to_vec()).map_err(|_| {
                ApiError::new(ErrorCode::NotUtf8, format!("`{name}` is not UTF-8 text"))
            })?;
            if form.text.insert(name.clone(), text).is_some() {
                return Err(ApiError::new(
                    ErrorCode::BadRequest,
                    format!("`{name}` is given twice"),
                ));
            }
        } else {
            return Err(ApiError::new(
                ErrorCode::BadRequest,
                format!(
                    "unknown field {name:?}; the form takes {} and files as `{FILE_FIELD}`",
                    fields.join(", ")
                ),
            ));
        }
    }
    Ok(form)
}

fn multipart_refusal(e: axum::extract::multipart::MultipartError) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::new(
            ErrorCode::TooLarge,
            format!(
                "a portal form may be {} MiB at most",
                MAX_FORM_BYTES / 1024 / 1024
            ),
        )
    } else {
        ApiError::new(ErrorCode::BadRequest, e.body_text())
    }
}
