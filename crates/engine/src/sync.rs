//! The sync task: pushes the outbox and pulls changes, on start, on every
//! event-stream nudge, when the agent queues something, and on a fallback
//! timer; backs off with full jitter (honouring `Retry-After`) while the
//! server does not answer. It owns its state; the app holds a handle and
//! watches the status, which says whether the last real requests worked.

use std::time::Duration;

use rand::{Rng, SeedableRng};
use shiftdesk_domain::{AgentId, Timestamp};
use shiftdesk_protocol::{ErrorCode, Problem, Seq};
use shiftdesk_store::{OutboxState, Store};
use tokio::sync::{mpsc, watch};

use crate::api::{ApiClient, ApiError};
use crate::outbox::{push_once, PushError};
use crate::pull::{pull_until_current, PullError, PAGE};

/// What the network has been like, from the outcome of real requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Connectivity {
    /// The last round worked.
    Online,
    /// A round or two failed after things worked: a flaky connection.
    Degraded,
    /// Nothing has worked yet, or three rounds in a row failed.
    Offline,
}

/// What the UI shows of sync.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct SyncStatus {
    pub connectivity: Connectivity,
    pub last_good_sync: Option<Timestamp>,
    /// Outbox entries still to send (queued; failed and needs-review wait
    /// for the agent).
    pub pending: usize,
    pub needs_agent: usize,
    /// When the next attempt is due while the server does not answer.
    pub next_retry: Option<Timestamp>,
    /// What went wrong last, in words.
    pub problem: Option<String>,
    /// The server no longer takes this device's token (`auth.device_revoked`,
    /// `auth.token_expired`, `auth.unauthenticated`): the app must sign the
    /// agent out or ask them to sign in again. Nothing queued was settled.
    pub token_refused: Option<ErrorCode>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SyncTiming {
    /// Pull at least this often, whatever the event stream says.
    pub fallback: Duration,
    /// The first retry waits up to this; each failure doubles it.
    pub backoff_base: Duration,
    /// Retries never wait longer than this.
    pub backoff_cap: Duration,
}

impl Default for SyncTiming {
    fn default() -> Self {
        Self {
            fallback: Duration::from_secs(30),
            backoff_base: Duration::from_millis(500),
            backoff_cap: Duration::from_secs(60),
        }
    }
}

/// The app's hold on the sync task; the task ends when this is dropped.
#[derive(Debug)]
pub struct SyncHandle {
    kick: mpsc::Sender<()>,
    status: watch::Receiver<SyncStatus>,
}

impl SyncHandle {
    /// Starts syncing `store` with the server `api` speaks to, as `me`.
    pub fn start(api: ApiClient, store: Store, me: AgentId, timing: SyncTiming) -> Self {
        let (kick, kicks) = mpsc::channel(16);
        let (status_tx, status) = watch::channel(SyncStatus {
            connectivity: Connectivity::Offline,
            last_good_sync: None,
            pending: 0,
            needs_agent: 0,
            next_retry: None,
            problem: None,
            token_refused: None,
        });
        let nudge = kick.clone();
        let events_api = api.clone();
        let listener = tokio::spawn(listen(events_api, nudge, timing));
        tokio::spawn(async move {
            run(api, store, me, timing, kicks, status_tx).await;
            listener.abort();
        });
        Self { kick, status }
    }

    /// Sync now: the agent queued something.
    pub fn kick(&self) {
        // A full channel already holds a kick; one is enough.
        let _ = self.kick.try_send(());
    }

    pub fn status(&self) -> watch::Receiver<SyncStatus> {
        self.status.clone()
    }
}

/// Why a round stopped.
#[derive(Debug)]
enum RoundError {
    /// No answer worth acting on: try again later.
    Transient(ApiError),
    /// The server refused, or the cache failed: a person must look.
    Lasting(String),
    /// The server no longer takes the token: nothing more can be sent.
    TokenRefused(Problem),
}

async fn run(
    api: ApiClient,
    store: Store,
    me: AgentId,
    timing: SyncTiming,
    mut kicks: mpsc::Receiver<()>,
    status: watch::Sender<SyncStatus>,
) {
    let mut rng = rand::rngs::StdRng::from_os_rng();
    let mut failures: u32 = 0;
    let mut ever_worked = false;
    loop {
        let outcome = round(&api, &store, me).await;
        let (pending, needs_agent) = outbox_counts(&store).await;
        let now = crate::now();
        let wait = match &outcome {
            Ok(()) => {
                failures = 0;
                ever_worked = true;
                timing.fallback
            }
            Err(RoundError::Transient(e)) => {
                failures = failures.saturating_add(1);
                let retry_after = match e {
                    ApiError::SlowDown { retry_after } => Some(*retry_after),
                    _ => None,
                };
                backoff(failures, retry_after, &timing, &mut rng)
            }
            Err(RoundError::Lasting(_) | RoundError::TokenRefused(_)) => timing.fallback,
        };
        let connectivity = match (&outcome, failures) {
            (Err(RoundError::Transient(_)), n) if !ever_worked || n >= 3 => Connectivity::Offline,
            (Err(RoundError::Transient(_)), _) => Connectivity::Degraded,
            // The server answered, even if it refused.
            _ => Connectivity::Online,
        };
        status.send_modify(|s| {
            s.connectivity = connectivity;
            if outcome.is_ok() {
                s.last_good_sync = Some(now);
            }
            s.pending = pending;
            s.needs_agent = needs_agent;
            s.next_retry = matches!(outcome, Err(RoundError::Transient(_))).then(|| {
                Timestamp(
                    now.0
                        .saturating_add(i64::try_from(wait.as_millis()).unwrap_or(i64::MAX)),
                )
            });
            s.problem = match &outcome {
                Ok(()) => None,
                Err(RoundError::Transient(e)) => Some(e.to_string()),
                Err(RoundError::Lasting(why)) => Some(why.clone()),
                Err(RoundError::TokenRefused(problem)) => {
                    Some(ApiError::Problem(problem.clone()).to_string())
                }
            };
            s.token_refused = match &outcome {
                Err(RoundError::TokenRefused(problem)) => Some(problem.code),
                _ => None,
            };
        });
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            kicked = kicks.recv() => {
                if kicked.is_none() {
                    return; // the handle is gone
                }
            }
        }
    }
}

/// Push everything that may go, then pull until current.
async fn round(api: &ApiClient, store: &Store, me: AgentId) -> Result<(), RoundError> {
    loop {
        let pushed = push_once(api, store, me).await.map_err(|e| match e {
            PushError::Refused(e) => refused(e),
            other => RoundError::Lasting(other.to_string()),
        })?;
        if let Some(e) = pushed.unanswered {
            return Err(RoundError::Transient(e));
        }
        if pushed.sent == 0 {
            break;
        }
    }
    match pull_until_current(api, store, PAGE).await {
        Ok(_) => Ok(()),
        Err(PullError::Api(e)) if e.is_transient() => Err(RoundError::Transient(e)),
        Err(PullError::Api(e)) => Err(refused(e)),
        Err(e) => Err(RoundError::Lasting(e.to_string())),
    }
}

/// A refusal of the token itself, told apart from one of a request.
fn refused(e: ApiError) -> RoundError {
    match e {
        ApiError::Problem(problem) if problem.code.is_token_refusal() => {
            RoundError::TokenRefused(problem)
        }
        other => RoundError::Lasting(other.to_string()),
    }
}

async fn outbox_counts(store: &Store) -> (usize, usize) {
    match store.outbox().await {
        Ok(entries) => {
            let queued = entries
                .iter()
                .filter(|e| e.state == OutboxState::Queued)
                .count();
            (queued, entries.len() - queued)
        }
        Err(e) => {
            tracing::warn!(error = %e, "could not count the outbox");
            (0, 0)
        }
    }
}

/// Exponential backoff with full jitter: a random wait up to
/// `base · 2^(failures-1)`, capped; never shorter than the server's
/// `Retry-After`.
pub fn backoff(
    failures: u32,
    retry_after: Option<Duration>,
    timing: &SyncTiming,
    rng: &mut impl Rng,
) -> Duration {
    let exponent = failures.saturating_sub(1).min(20);
    let ceiling = timing
        .backoff_base
        .saturating_mul(1 << exponent)
        .min(timing.backoff_cap);
    let jittered = ceiling.mul_f64(rng.random::<f64>());
    retry_after.map_or(jittered, |after| jittered.max(after))
}

/// Follows the event stream and kicks the sync task on every new
/// sequence; reconnects with backoff when the stream breaks.
async fn listen(api: ApiClient, kick: mpsc::Sender<()>, timing: SyncTiming) {
    let mut rng = rand::rngs::StdRng::from_os_rng();
    let mut failures = 0;
    let mut newest = Seq(0);
    loop {
        match api.events().await {
            Ok(mut events) => {
                while let Ok(Some(seq)) = events.next().await {
                    failures = 0;
                    if seq > newest {
                        newest = seq;
                        if kick.send(()).await.is_err() {
                            return;
                        }
                    }
                }
            }
            Err(e) => tracing::debug!(error = %e, "the event stream did not open"),
        }
        failures += 1;
        tokio::time::sleep(backoff(failures, None, &timing, &mut rng)).await;
        if kick.is_closed() {
            return;
        }
    }
}

#[cfg(test)]
mod tests;
