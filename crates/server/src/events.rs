//! `GET /v1/events`: a server-sent event stream that announces the newest
//! change sequence, so clients pull at once instead of waiting for their
//! polling timer. It carries numbers only, never content, so it needs no
//! scope filtering beyond authentication.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream, StreamExt};
use tokio::sync::watch;

use crate::auth::Caller;
use crate::{AppState, Db, ServerError};

/// How often the database is checked for changes written by other
/// processes (the CLI, the simulator); this process's own writes are
/// announced at once.
const EXTERNAL_POLL: Duration = Duration::from_millis(500);

/// The newest sequence number, shared by the writers and every stream.
#[derive(Debug, Clone)]
pub struct Nudges {
    newest: watch::Sender<i64>,
}

impl Nudges {
    pub fn new() -> Self {
        Self {
            newest: watch::Sender::new(0),
        }
    }

    /// Reads the newest sequence and tells the streams if it moved.
    pub async fn refresh(&self, db: &Db) -> Result<(), ServerError> {
        let newest: i64 = sqlx::query_scalar("SELECT coalesce(max(seq), 0) FROM changes")
            .fetch_one(&db.readers)
            .await?;
        self.announce(newest);
        Ok(())
    }

    /// Tells the streams that changes up to `newest` are committed.
    pub fn announce(&self, newest: i64) {
        self.newest.send_if_modified(|current| {
            let moved = newest > *current;
            if moved {
                *current = newest;
            }
            moved
        });
    }

    /// Keeps refreshing until the process ends.
    pub async fn watch_database(self, db: Db) {
        let mut every = tokio::time::interval(EXTERNAL_POLL);
        loop {
            every.tick().await;
            if let Err(e) = self.refresh(&db).await {
                tracing::warn!(error = %e, "could not read the newest change");
            }
        }
    }
}

impl Default for Nudges {
    fn default() -> Self {
        Self::new()
    }
}

#[utoipa::path(
    get,
    path = "/v1/events",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "`event: changes` with `data: <newest sequence>`, first at once, then on every change",
         body = shiftdesk_protocol::ChangesEvent, content_type = "text/event-stream"),
        (status = 401, description = "No valid token", body = shiftdesk_protocol::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn stream(
    State(state): State<AppState>,
    _caller: Caller,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    if let Err(e) = state.nudges.refresh(&state.db).await {
        tracing::warn!(error = %e, "could not read the newest change");
    }
    let mut receiver = state.nudges.newest.subscribe();
    let current = *receiver.borrow_and_update();
    let later = stream::unfold(receiver, |mut receiver| async move {
        receiver.changed().await.ok()?;
        let newest = *receiver.borrow_and_update();
        Some((newest, receiver))
    });
    let events = stream::once(async move { current })
        .chain(later)
        .map(|newest| Ok(Event::default().event("changes").data(newest.to_string())));
    Sse::new(events).keep_alive(KeepAlive::default())
}
