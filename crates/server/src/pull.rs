//! `GET /v1/changes`: the changes in the caller's scope after a cursor, in
//! sequence order. An agent's scope is the tickets assigned to them; a
//! lead's is their team's. Each ticket brings its messages, attachments and
//! customer; the team roster, SLA policies and canned responses are for all.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use shiftdesk_domain::Role;
use shiftdesk_protocol::{ChangePage, ErrorCode, Seq, MAX_PULL_LIMIT};
use sqlx::{QueryBuilder, Sqlite};
use utoipa::IntoParams;

use crate::auth::Caller;
use crate::{ApiError, AppState, ServerError};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PullParams {
    /// The `next` of the previous page; 0 or absent for the start.
    #[serde(default)]
    #[param(minimum = 0)]
    pub after: i64,
    /// At most this many changes (default 500).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u32>,
}

#[utoipa::path(
    get,
    path = "/v1/changes",
    params(PullParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of changes in the caller's scope", body = ChangePage),
        (status = 400, description = "Malformed parameters", body = shiftdesk_protocol::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = shiftdesk_protocol::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn changes(
    State(state): State<AppState>,
    caller: Caller,
    params: Result<Query<PullParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(params) = params.map_err(|e| ApiError::new(ErrorCode::BadRequest, e.body_text()))?;
    if params.after < 0 {
        return Err(ApiError::new(
            ErrorCode::BadRequest,
            "`after` is a sequence number, 0 or more",
        ));
    }
    let limit = params.limit.unwrap_or(500);
    if !(1..=MAX_PULL_LIMIT).contains(&limit) {
        return Err(ApiError::new(
            ErrorCode::BadRequest,
            format!("`limit` is 1 to {MAX_PULL_LIMIT}"),
        ));
    }
    let page = page(&state, &caller, Seq(params.after), limit).await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], page).into_response())
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UrgentParams {
    /// How many tickets (default 100).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
}

/// The most tickets `/v1/changes/urgent` answers.
const MAX_URGENT: u32 = 500;

#[utoipa::path(
    get,
    path = "/v1/changes/urgent",
    params(UrgentParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The most urgent tickets in the caller's scope, with their customers, messages and attachments, and the roster and policies", body = shiftdesk_protocol::UrgentTickets),
        (status = 400, description = "Malformed parameters", body = shiftdesk_protocol::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = shiftdesk_protocol::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn urgent(
    State(state): State<AppState>,
    caller: Caller,
    params: Result<Query<UrgentParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(params) = params.map_err(|e| ApiError::new(ErrorCode::BadRequest, e.body_text()))?;
    let limit = params.limit.unwrap_or(100);
    if !(1..=MAX_URGENT).contains(&limit) {
        return Err(ApiError::new(
            ErrorCode::BadRequest,
            format!("`limit` is 1 to {MAX_URGENT}"),
        ));
    }
    let agent = &caller.agent;
    let scope = match agent.role {
        Role::Agent => "t.assignee_id = ?1",
        Role::Lead => "t.team = ?1",
    };
    // Entities in the order a cache can take them: the roster and policies,
    // then each ticket's customer, the tickets, their messages and files.
    let sql = format!(
        "WITH urgent AS (SELECT t.number, t.customer_id FROM tickets t WHERE {scope} \
           AND json_extract(t.body, '$.sla_due_at') IS NOT NULL \
           ORDER BY json_extract(t.body, '$.sla_due_at'), t.number LIMIT ?2) \
         SELECT 0 AS seq, 'agent' AS kind, id AS key, body FROM agents \
         UNION ALL SELECT 0, 'sla_policy', id, body FROM sla_policies \
         UNION ALL SELECT 0, 'customer', id, body FROM customers WHERE id IN (SELECT customer_id FROM urgent) \
         UNION ALL SELECT 0, 'ticket', number, body FROM tickets WHERE number IN (SELECT number FROM urgent) \
         UNION ALL SELECT 0, 'message', id, body FROM messages WHERE ticket_number IN (SELECT number FROM urgent) \
         UNION ALL SELECT 0, 'attachment', id, body FROM attachments WHERE ticket_number IN (SELECT number FROM urgent)"
    );
    let query = sqlx::query_as::<_, LogRow>(&sql);
    let query = match agent.role {
        Role::Agent => query.bind(agent.id.0),
        Role::Lead => query.bind(agent.team.clone()),
    };
    let rows = query
        .bind(i64::from(limit))
        .fetch_all(&state.db.readers)
        .await?;
    let mut out = String::from("{\"changes\":[");
    for (i, row) in rows.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_change(&mut out, row)?;
    }
    out.push_str("]}");
    Ok(([(header::CONTENT_TYPE, "application/json")], out).into_response())
}

/// One row of the change log with the stored JSON of its entity.
#[derive(sqlx::FromRow)]
struct LogRow {
    seq: i64,
    kind: String,
    key: i64,
    body: Option<String>,
}

/// The entity of a change, read in the same statement: one primary-key
/// lookup per row.
const ENTITY_BODY: &str = "CASE c.kind \
    WHEN 'agent' THEN (SELECT body FROM agents WHERE id = c.key) \
    WHEN 'customer' THEN (SELECT body FROM customers WHERE id = c.key) \
    WHEN 'ticket' THEN (SELECT body FROM tickets WHERE number = c.key) \
    WHEN 'message' THEN (SELECT body FROM messages WHERE id = c.key) \
    WHEN 'attachment' THEN (SELECT body FROM attachments WHERE id = c.key) \
    WHEN 'sla_policy' THEN (SELECT body FROM sla_policies WHERE id = c.key) \
    WHEN 'canned_response' THEN (SELECT body FROM canned_responses WHERE id = c.key) \
    END AS body";

/// A page as JSON. Entities are stored as the JSON of their wire type, so
/// they are written out as stored instead of parsed and serialized again.
async fn page(
    state: &AppState,
    caller: &Caller,
    after: Seq,
    limit: u32,
) -> Result<String, ServerError> {
    let agent = &caller.agent;
    let mut q = QueryBuilder::<Sqlite>::new(format!(
        "SELECT c.seq, c.kind, c.key, {ENTITY_BODY} FROM changes c WHERE c.seq > "
    ));
    q.push_bind(after.0);
    q.push(
        " AND (c.kind IN ('agent', 'sla_policy', 'canned_response') \
           OR (c.kind = 'eviction' AND c.audience_agent = ",
    );
    q.push_bind(agent.id.0);
    if agent.role == Role::Lead {
        q.push(" OR c.kind = 'eviction' AND c.audience_team = ")
            .push_bind(&agent.team);
    }
    q.push(
        ") OR (c.kind NOT IN ('agent', 'sla_policy', 'canned_response', 'eviction') AND EXISTS \
           (SELECT 1 FROM tickets t WHERE t.number = c.ticket_number AND ",
    );
    match agent.role {
        Role::Agent => q.push("t.assignee_id = ").push_bind(agent.id.0),
        Role::Lead => q.push("t.team = ").push_bind(&agent.team),
    };
    q.push("))) ORDER BY c.seq LIMIT ")
        .push_bind(i64::from(limit) + 1);
    let mut rows: Vec<LogRow> = q.build_query_as().fetch_all(&state.db.readers).await?;
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let next = rows.last().map_or(after, |r| Seq(r.seq));
    let size: usize = rows
        .iter()
        .map(|r| r.body.as_ref().map_or(0, String::len) + 48)
        .sum();
    let mut out = String::with_capacity(size + 64);
    out.push_str("{\"changes\":[");
    for (i, row) in rows.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_change(&mut out, row)?;
    }
    out.push_str(&format!("],\"next\":{},\"more\":{more}}}", next.0));
    Ok(out)
}

/// `{"seq":…,"type":…,"data":…}`, the shape of [`shiftdesk_protocol::Change`].
fn write_change(out: &mut String, row: &LogRow) -> Result<(), ServerError> {
    use std::fmt::Write;
    let _ = write!(
        out,
        "{{\"seq\":{},\"type\":\"{}\",\"data\":",
        row.seq, row.kind
    );
    match (row.kind.as_str(), &row.body) {
        ("eviction", _) => {
            let _ = write!(out, "{{\"ticket\":{}}}", row.key);
        }
        (_, Some(body)) => out.push_str(body),
        (kind, None) => {
            return Err(ServerError::Corrupt {
                what: "change",
                source: serde::de::Error::custom(format!(
                    "the {kind} {} named by change {} is missing",
                    row.key, row.seq
                )),
            })
        }
    }
    out.push('}');
    Ok(())
}
