//! Composer commands: the ticket card, the reply preview, canned responses,
//! drafts, attached files, and queueing what the agent wrote or changed.

use shiftdesk_domain::{MessageId, TicketNumber};
use shiftdesk_engine::compose::{self, AttachError, ComposePreview, FilledCanned};
use shiftdesk_engine::outbox;
use shiftdesk_protocol::Mutation;
use shiftdesk_store::{AttachedFile, Draft, Store, TicketCard};
use tauri::State;

use crate::error::{parse, AppError};
use crate::session::Session;

/// The ticket with its customer; `null` when it is not cached.
#[tauri::command]
pub async fn ticket_card(
    session: State<'_, Session>,
    ticket: serde_json::Value,
) -> Result<Option<TicketCard>, AppError> {
    let signed = session.signed_in()?;
    let ticket: TicketNumber = parse(ticket)?;
    Ok(signed.cache.store()?.ticket_card(ticket).await?)
}

/// What `mutation` would look like and whether it would be refused;
/// `seen` is the newest message the agent had seen when they began.
#[tauri::command]
pub async fn compose_preview(
    session: State<'_, Session>,
    ticket: serde_json::Value,
    mutation: serde_json::Value,
    seen: Option<serde_json::Value>,
) -> Result<ComposePreview, AppError> {
    let signed = session.signed_in()?;
    let ticket: TicketNumber = parse(ticket)?;
    let mutation: Mutation = parse(mutation)?;
    let seen: Option<MessageId> = parse(seen.unwrap_or_default())?;
    let me = signed.desk.agent()?.agent.id;
    let now = shiftdesk_engine::now();
    compose::preview_on(signed.cache.store()?, me, ticket, &mutation, seen, now)
        .await?
        .ok_or_else(|| not_cached(ticket))
}

#[tauri::command]
pub async fn canned_responses(
    session: State<'_, Session>,
    ticket: serde_json::Value,
) -> Result<Vec<FilledCanned>, AppError> {
    let signed = session.signed_in()?;
    let ticket: TicketNumber = parse(ticket)?;
    let store = signed.cache.store()?;
    let card = card_of(store, ticket).await?;
    Ok(compose::canned_for(store, &card).await?)
}

#[tauri::command]
pub async fn ticket_draft(
    session: State<'_, Session>,
    ticket: serde_json::Value,
) -> Result<Option<Draft>, AppError> {
    let signed = session.signed_in()?;
    let ticket: TicketNumber = parse(ticket)?;
    Ok(signed.cache.store()?.draft(ticket).await?)
}

#[tauri::command]
pub async fn save_draft(
    session: State<'_, Session>,
    draft: serde_json::Value,
) -> Result<(), AppError> {
    let signed = session.signed_in()?;
    let draft: Draft = parse(draft)?;
    Ok(signed.cache.store()?.save_draft(&draft).await?)
}

#[tauri::command]
pub async fn clear_draft(
    session: State<'_, Session>,
    ticket: serde_json::Value,
) -> Result<(), AppError> {
    let signed = session.signed_in()?;
    let ticket: TicketNumber = parse(ticket)?;
    Ok(signed.cache.store()?.clear_draft(ticket).await?)
}

/// Queues `mutation` on `ticket`: done in the cache at once (a message
/// shown as queued, its draft gone), sent when the server answers. `seen`
/// is the newest message the agent had seen when they began writing.
#[tauri::command]
pub async fn queue_change(
    session: State<'_, Session>,
    ticket: serde_json::Value,
    mutation: serde_json::Value,
    seen: Option<serde_json::Value>,
) -> Result<(), AppError> {
    let signed = session.signed_in()?;
    let ticket: TicketNumber = parse(ticket)?;
    let mutation: Mutation = parse(mutation)?;
    let seen: Option<MessageId> = parse(seen.unwrap_or_default())?;
    let me = signed.desk.agent()?.agent.id;
    outbox::queue(
        signed.cache.store()?,
        me,
        ticket,
        mutation,
        seen,
        shiftdesk_engine::now(),
    )
    .await?;
    signed.desk.kick_sync();
    Ok(())
}

/// The header naming an attached file, percent-encoded (headers are ASCII).
pub const FILE_NAME_HEADER: &str = "shiftdesk-file-name";
/// The header giving its media type as the window saw it (may be empty).
pub const MEDIA_TYPE_HEADER: &str = "shiftdesk-media-type";

/// Keeps a file the agent attached: its bytes come raw as the request's
/// body (no JSON array of numbers for 50 MB), its name and type in headers.
#[tauri::command]
pub async fn attach_file(
    session: State<'_, Session>,
    request: tauri::ipc::Request<'_>,
) -> Result<AttachedFile, AppError> {
    let signed = session.signed_in()?;
    let tauri::ipc::InvokeBody::Raw(bytes) = request.body() else {
        return Err(AppError {
            code: "ipc.bad_request".into(),
            message: "a file comes as raw bytes".into(),
        });
    };
    let header = |name: &str| {
        let value = request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        percent_encoding::percent_decode_str(value)
            .decode_utf8()
            .map(|v| v.into_owned())
            .map_err(|_| AppError {
                code: "ipc.bad_request".into(),
                message: format!("the {name} header is not percent-encoded UTF-8"),
            })
    };
    let name = header(FILE_NAME_HEADER)?;
    let media_type = header(MEDIA_TYPE_HEADER)?;
    let bytes = bytes.clone();
    Ok(compose::attach(signed.cache.store()?, &name, &media_type, bytes).await?)
}

impl From<AttachError> for AppError {
    fn from(e: AttachError) -> Self {
        Self {
            code: e.code().to_owned(),
            message: e.to_string(),
        }
    }
}

async fn card_of(store: &Store, ticket: TicketNumber) -> Result<TicketCard, AppError> {
    store
        .ticket_card(ticket)
        .await?
        .ok_or_else(|| not_cached(ticket))
}

fn not_cached(ticket: TicketNumber) -> AppError {
    AppError {
        code: "ticket.not_cached".into(),
        message: format!("ticket {ticket} is not in the cache"),
    }
}
