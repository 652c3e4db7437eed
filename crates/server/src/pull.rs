//! `GET /v1/changes`: the changes in the caller's scope after a cursor, in
//! sequence order. An agent's scope is the tickets assigned to them; a
//! lead's is their team's. Each ticket brings its messages, attachments and
//! customer; the team roster, SLA policies and canned responses are for all.

use std::collections::HashMap;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::Json;
use serde::Deserialize;
use shiftdesk_domain::{Role, TicketNumber};
use shiftdesk_protocol::{Change, ChangeBody, ChangePage, ErrorCode, Seq, MAX_PULL_LIMIT};
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
) -> Result<Json<ChangePage>, ApiError> {
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
    Ok(Json(page(&state, &caller, Seq(params.after), limit).await?))
}

/// One row of the change log, before its entity is read.
#[derive(sqlx::FromRow)]
struct LogRow {
    seq: i64,
    kind: String,
    key: i64,
}

async fn page(
    state: &AppState,
    caller: &Caller,
    after: Seq,
    limit: u32,
) -> Result<ChangePage, ServerError> {
    let agent = &caller.agent;
    let mut q =
        QueryBuilder::<Sqlite>::new("SELECT c.seq, c.kind, c.key FROM changes c WHERE c.seq > ");
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
    let changes = materialize(state, &rows).await?;
    Ok(ChangePage {
        changes,
        next,
        more,
    })
}

/// Reads the current state of every entity the log rows name.
async fn materialize(state: &AppState, rows: &[LogRow]) -> Result<Vec<Change>, ServerError> {
    let mut keys: HashMap<&str, Vec<i64>> = HashMap::new();
    for row in rows {
        keys.entry(row.kind.as_str()).or_default().push(row.key);
    }
    let mut bodies: HashMap<(&str, i64), String> = HashMap::new();
    for (&kind, ids) in &keys {
        let Some((table, column)) = table_of(kind) else {
            continue;
        };
        for chunk in ids.chunks(900) {
            let mut q = QueryBuilder::<Sqlite>::new(format!(
                "SELECT {column}, body FROM {table} WHERE {column} IN "
            ));
            q.push_tuples(chunk, |mut b, id| {
                b.push_bind(*id);
            });
            let found: Vec<(i64, String)> = q.build_query_as().fetch_all(&state.db.readers).await?;
            bodies.extend(found.into_iter().map(|(id, body)| ((kind, id), body)));
        }
    }
    rows.iter()
        .map(|row| {
            let body = match row.kind.as_str() {
                "eviction" => ChangeBody::Eviction {
                    ticket: TicketNumber(row.key),
                },
                kind => {
                    let json = bodies.get(&(kind, row.key)).map_or("null", String::as_str);
                    entity(kind, json).map_err(|source| ServerError::Corrupt {
                        what: "change",
                        source,
                    })?
                }
            };
            Ok(Change {
                seq: Seq(row.seq),
                body,
            })
        })
        .collect()
}

fn table_of(kind: &str) -> Option<(&'static str, &'static str)> {
    Some(match kind {
        "agent" => ("agents", "id"),
        "customer" => ("customers", "id"),
        "ticket" => ("tickets", "number"),
        "message" => ("messages", "id"),
        "attachment" => ("attachments", "id"),
        "sla_policy" => ("sla_policies", "id"),
        "canned_response" => ("canned_responses", "id"),
        _ => return None,
    })
}

fn entity(kind: &str, json: &str) -> Result<ChangeBody, serde_json::Error> {
    Ok(match kind {
        "agent" => ChangeBody::Agent(serde_json::from_str(json)?),
        "customer" => ChangeBody::Customer(serde_json::from_str(json)?),
        "ticket" => ChangeBody::Ticket(serde_json::from_str(json)?),
        "message" => ChangeBody::Message(serde_json::from_str(json)?),
        "attachment" => ChangeBody::Attachment(serde_json::from_str(json)?),
        "sla_policy" => ChangeBody::SlaPolicy(serde_json::from_str(json)?),
        "canned_response" => ChangeBody::CannedResponse(serde_json::from_str(json)?),
        other => {
            return Err(serde::de::Error::custom(format!(
                "unknown change kind {other:?}"
            )))
        }
    })
}
