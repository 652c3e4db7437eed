//! The phone channel: a telephony provider's webhook reports each call's
//! events (ringing, answered, hung up); at hang-up the call becomes a call
//! record on the caller's open ticket, or on a new ticket through intake.
//! Each call is recorded once, whatever order its events come in and
//! however often.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::{Deserialize, Serialize};
use shiftdesk_domain::{
    CallDirection, CallOutcome, CallRecord, Category, Channel, MessageId, PhoneNumber, Priority,
    Ticket, TicketNumber, Timestamp,
};
use shiftdesk_protocol::{ErrorCode, Problem};
use sqlx::SqliteConnection;
use utoipa::ToSchema;

use crate::auth::{bearer_token, same_secret};
use crate::db::from_json;
use crate::intake::{self, CustomerDetails, NewTicket, PHONE_DIGITS};
use crate::{now, ApiError, AppState, ServerError};

/// The largest event body taken: an event is a few hundred bytes.
pub const MAX_EVENT_BYTES: usize = 16 * 1024;
const MAX_CALL_ID_CHARS: usize = 128;
/// How far past the server's clock an event's time may be: the
/// provider's clock differs a little, not by days.
const MAX_CLOCK_AHEAD_MS: i64 = 24 * 60 * 60 * 1000;

/// How the telephony provider proves it is the one calling.
#[derive(Clone)]
pub struct PhoneSettings {
    /// Sent by the provider as `Authorization: Bearer <secret>`.
    pub webhook_secret: String,
}

impl std::fmt::Debug for PhoneSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The secret stays out of logs.
        f.debug_struct("PhoneSettings").finish_non_exhaustive()
    }
}

/// What happened to a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CallEventKind {
    Ringing,
    Answered,
    HungUp,
}

/// One event of a call, as the telephony provider reports it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CallEvent {
    /// The provider's id of the call, the same in all its events: 1 to
    /// 128 printable ASCII characters.
    pub call_id: String,
    pub event: CallEventKind,
    pub direction: CallDirection,
    /// The customer's number: `+` and 5 to 20 digits, which may be grouped
    /// with spaces, dashes and parentheses.
    pub caller: String,
    /// When it happened on the provider's clock, in ms since the epoch.
    #[schema(minimum = 0)]
    pub at: i64,
    /// How a call nobody answered ended (`no_answer`, `busy` or
    /// `voicemail`; `no_answer` when not given). Only with `hung_up`.
    pub outcome: Option<CallOutcome>,
}

/// Where a call stands after an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CallState {
    Ringing,
    Answered,
    /// The call ended and its record is on `ticket`.
    Recorded,
}

/// The webhook's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CallAccepted {
    pub call_id: String,
    pub state: CallState,
    /// The ticket the call's record is on, once the call ended.
    pub ticket: Option<TicketNumber>,
    /// The call's record, once the call ended.
    pub message: Option<MessageId>,
    /// False when the event was seen before, or came after the call was
    /// recorded: nothing was stored.
    pub changed: bool,
}

#[utoipa::path(
    post,
    path = "/v1/channels/phone/events",
    operation_id = "phone_event",
    request_body = CallEvent,
    security(("phone_webhook" = [])),
    responses(
        (status = 202, description = "Taken; a call that ended is recorded once", body = CallAccepted),
        (status = 400, description = "Not a valid event", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid webhook secret", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The phone webhook is not configured", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The event names another number or direction than its call", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn event(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<CallAccepted>), ApiError> {
    let Some(settings) = &state.phone else {
        return Err(ApiError::new(
            ErrorCode::NoSuchEndpoint,
            "the phone webhook is not configured on this server",
        ));
    };
    let authentic =
        bearer_token(&headers).is_some_and(|given| same_secret(given, &settings.webhook_secret));
    if !authentic {
        return Err(ApiError::new(
            ErrorCode::Unauthenticated,
            "send `Authorization: Bearer <webhook secret>` with the secret the desk gave the telephony provider",
        ));
    }
    let body = body.map_err(|e| ApiError::unread_body(e, || too_large().0.detail))?;
    let now = now();
    let event = parse(&body, now)?;
    let caller = PhoneNumber::parse(&event.caller)
        .map_err(|e| ApiError::new(ErrorCode::BadRequest, format!("`caller`: {e}")))?;
    let mut tx = state.db.writer.begin_with("BEGIN IMMEDIATE").await?;
    let accepted = take(&mut tx, &state.intake, &event, &caller, now).await??;
    tx.commit().await?;
    if accepted.changed && accepted.message.is_some() {
        state.nudges.refresh(&state.db).await?;
        tracing::info!(ticket = ?accepted.ticket.map(|t| t.0), "phone: call recorded");
    }
    Ok((StatusCode::ACCEPTED, Json(accepted)))
}

fn too_large() -> ApiError {
    ApiError::new(
        ErrorCode::TooLarge,
        format!("a call event may be {MAX_EVENT_BYTES} bytes at most"),
    )
}

fn parse(body: &[u8], now: Timestamp) -> Result<CallEvent, ApiError> {
    if body.len() > MAX_EVENT_BYTES {
        return Err(too_large());
    }
    let text =
        std::str::from_utf8(body).map_err(|e| ApiError::new(ErrorCode::NotUtf8, e.to_string()))?;
    let event: CallEvent = serde_json::from_str(text)
        .map_err(|e| ApiError::new(ErrorCode::BadRequest, e.to_string()))?;
    let bad = |detail: String| Err(ApiError::new(ErrorCode::BadRequest, detail));
    let id_ok = (1..=MAX_CALL_ID_CHARS).contains(&event.call_id.len())
        && event.call_id.bytes().all(|b| b.is_ascii_graphic());
    if !id_ok {
        return bad(format!(
            "`call_id` is 1 to {MAX_CALL_ID_CHARS} printable ASCII characters"
        ));
    }
    if event.at < 0 || event.at > now.0.saturating_add(MAX_CLOCK_AHEAD_MS) {
        return bad(
            "`at` is the event's time in ms since the epoch, not ahead of the desk's clock by a day or more"
                .into(),
        );
    }
    match (event.event, event.outcome) {
        (CallEventKind::HungUp, Some(CallOutcome::Answered)) => bad(
            "`outcome` says how a call nobody answered ended: no_answer, busy or voicemail; \
             an answered call is reported with an `answered` event"
                .into(),
        ),
        (CallEventKind::Ringing | CallEventKind::Answered, Some(_)) => {
            bad("`outcome` goes with `hung_up` only".into())
        }
        _ => Ok(event),
    }
}

/// What the desk knows of a call.
#[derive(sqlx::FromRow)]
struct StoredCall {
    direction: String,
    caller: String,
    answered_at: Option<i64>,
}

/// Applies one event inside the caller's transaction.
async fn take(
    tx: &mut SqliteConnection,
    rules: &intake::IntakeRules,
    event: &CallEvent,
    caller: &PhoneNumber,
    now: Timestamp,
) -> Result<Result<CallAccepted, ApiError>, ServerError> {
    let stored: Option<StoredCall> =
        sqlx::query_as("SELECT direction, caller, answered_at FROM calls WHERE call_id = ?")
            .bind(&event.call_id)
            .fetch_optional(&mut *tx)
            .await?;
    if let Some(call) = &stored {
        if call.direction != event.direction.code() || call.caller != caller.international() {
            return Ok(Err(ApiError::new(
                ErrorCode::CallMismatch,
                format!(
                    "call {:?} is a {} call with {}; this event says {} with {}",
                    event.call_id,
                    call.direction,
                    call.caller,
                    event.direction.code(),
                    caller.international()
                ),
            )));
        }
    }
    let recorded: Option<(i64, i64)> = sqlx::query_as(
        "SELECT r.message_id, m.ticket_number FROM channel_refs r \
         JOIN messages m ON m.id = r.message_id WHERE r.channel = 'phone' AND r.ref = ?",
    )
    .bind(&event.call_id)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some((message, ticket)) = recorded {
        // The record is written once: a late `answered`, or any event
        // replayed, leaves it as it is (agents' caches already have it).
        return Ok(Ok(CallAccepted {
            call_id: event.call_id.clone(),
            state: CallState::Recorded,
            ticket: Some(TicketNumber(ticket)),
            message: Some(MessageId(message)),
            changed: false,
        }));
    }
    // The first time of each event is kept; a replay finds it set.
    let column = match event.event {
        CallEventKind::Ringing => "ringing_at",
        CallEventKind::Answered => "answered_at",
        CallEventKind::HungUp => "hung_up_at",
    };
    let changed = sqlx::query(&format!(
        "INSERT INTO calls (call_id, direction, caller, {column}) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (call_id) DO UPDATE SET {column} = ?4 WHERE {column} IS NULL"
    ))
    .bind(&event.call_id)
    .bind(event.direction.code())
    .bind(caller.international())
    .bind(event.at)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        > 0;
    let answered_at = stored.and_then(|c| c.answered_at);
    let state = match event.event {
        CallEventKind::Ringing if answered_at.is_none() => CallState::Ringing,
        CallEventKind::Ringing | CallEventKind::Answered => CallState::Answered,
        CallEventKind::HungUp => {
            let call = CallRecord {
                direction: event.direction,
                duration_secs: answered_at.map_or(0, |from| seconds_between(from, event.at)),
                outcome: match answered_at {
                    Some(_) => CallOutcome::Answered,
                    None => event.outcome.unwrap_or(CallOutcome::NoAnswer),
                },
                callback_at: None,
            };
            let (ticket, message) = record(tx, rules, call, caller, now).await?;
            sqlx::query(
                "INSERT INTO channel_refs (channel, ref, message_id) VALUES ('phone', ?, ?)",
            )
            .bind(&event.call_id)
            .bind(message.0)
            .execute(&mut *tx)
            .await?;
            return Ok(Ok(CallAccepted {
                call_id: event.call_id.clone(),
                state: CallState::Recorded,
                ticket: Some(ticket),
                message: Some(message),
                changed: true,
            }));
        }
    };
    Ok(Ok(CallAccepted {
        call_id: event.call_id.clone(),
        state,
        ticket: None,
        message: None,
        changed,
    }))
}

/// Whole seconds from `from` to `to`, within what a call log takes; a
/// provider clock that ran backwards gives 0.
fn seconds_between(from: i64, to: i64) -> u32 {
    let secs = to.saturating_sub(from).max(0) / 1000;
    u32::try_from(secs)
        .unwrap_or(u32::MAX)
        .min(CallRecord::MAX_DURATION_SECS)
}

/// Writes the call's record on the caller's latest ticket that is not
/// closed, or on a new ticket.
async fn record(
    tx: &mut SqliteConnection,
    rules: &intake::IntakeRules,
    call: CallRecord,
    caller: &PhoneNumber,
    now: Timestamp,
) -> Result<(TicketNumber, MessageId), ServerError> {
    let body = describe(&call, caller);
    if let Some(ticket) = open_ticket_of(tx, caller).await? {
        match intake::call_reported(tx, ticket, call.clone(), &body, now).await? {
            Ok((ticket, id)) => return Ok((ticket.number, id)),
            Err(problem) => {
                tracing::warn!(reason = %problem.detail, "phone: could not add to the open ticket; opening a new one");
            }
        }
    }
    let towards = match call.direction {
        CallDirection::Inbound => "from",
        CallDirection::Outbound => "to",
    };
    let new = NewTicket {
        customer: CustomerDetails {
            name: format!("Caller {}", caller.shown()),
            phone: Some(caller.international()),
            ..CustomerDetails::default()
        },
        channel: Channel::Phone,
        service: None,
        category: Category::PlatformProblem,
        priority: Priority::Normal,
        plan: None,
        subject: Some(format!("Call {towards} {}", caller.shown())),
        description: format!("Phone call {towards} {}", caller.shown()),
        files: Vec::new(),
    };
    let ticket = intake::open_ticket(tx, rules, &new, now)
        .await?
        .map_err(|p| ServerError::Refused(p.detail))?;
    tracing::info!(ticket = ticket.number.0, "phone: new ticket");
    let (ticket, id) = intake::call_reported(tx, ticket, call, &body, now)
        .await?
        .map_err(|p| ServerError::Refused(p.detail))?;
    Ok((ticket.number, id))
}

async fn open_ticket_of(
    conn: &mut SqliteConnection,
    caller: &PhoneNumber,
) -> Result<Option<Ticket>, ServerError> {
    let body: Option<String> = sqlx::query_scalar(&format!(
        "SELECT t.body FROM tickets t JOIN customers ON customers.id = t.customer_id \
         WHERE {PHONE_DIGITS} = ? AND json_extract(t.body, '$.status') != 'closed' \
         ORDER BY t.number DESC LIMIT 1"
    ))
    .bind(caller.digits())
    .fetch_optional(&mut *conn)
    .await?;
    body.map(|b| from_json(&b, "ticket")).transpose()
}

/// The record's text for the agent: who called whom, and how long or how
/// it ended. The console translates it.
fn describe(call: &CallRecord, caller: &PhoneNumber) -> String {
    let number = caller.shown();
    match (call.direction, call.outcome) {
        (CallDirection::Inbound, CallOutcome::Answered) => {
            format!(
                "Inbound call from {number}, {}",
                duration(call.duration_secs)
            )
        }
        (CallDirection::Outbound, CallOutcome::Answered) => {
            format!(
                "Outbound call to {number}, {}",
                duration(call.duration_secs)
            )
        }
        (CallDirection::Inbound, outcome) => {
            format!("Missed inbound call from {number}: {}", said(outcome))
        }
        (CallDirection::Outbound, outcome) => {
            format!("Outbound call to {number}: {}", said(outcome))
        }
    }
}

fn said(outcome: CallOutcome) -> &'static str {
    match outcome {
        CallOutcome::Answered => "answered",
        CallOutcome::NoAnswer => "no answer",
        CallOutcome::Busy => "busy",
        CallOutcome::Voicemail => "voicemail",
    }
}

/// `42 s`, `3 min 12 s`, `1 h 5 min`.
fn duration(secs: u32) -> String {
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    match (h, m) {
        (0, 0) => format!("{s} s"),
        (0, _) => format!("{m} min {s} s"),
        _ => format!("{h} h {m} min"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_short() {
        assert_eq!(duration(0), "0 s");
        assert_eq!(duration(42), "42 s");
        assert_eq!(duration(192), "3 min 12 s");
        assert_eq!(duration(3900), "1 h 5 min");
    }

    #[test]
    fn a_call_lasts_from_answer_to_hang_up_within_a_day() {
        assert_eq!(seconds_between(1_000, 193_999), 192);
        assert_eq!(seconds_between(5_000, 1_000), 0);
        assert_eq!(seconds_between(0, i64::MAX), CallRecord::MAX_DURATION_SECS);
        assert_eq!(
            seconds_between(i64::MIN, i64::MAX),
            CallRecord::MAX_DURATION_SECS
        );
    }
}
