//! The reference ticketing API: the server Shiftdesk syncs with. Agents
//! authenticate with bearer tokens; they pull the changes in their scope by
//! a server-wide sequence. Errors are RFC 9457 problems with stable codes.

pub mod attachments;
pub mod auth;
pub mod channels;
pub mod config;
pub mod db;
pub mod error;
pub mod events;
pub mod files;
pub mod intake;
pub mod messages;
pub mod openapi;
pub mod portal;
pub mod pull;
pub mod push;
pub mod seed;
pub mod simulate;

use axum::extract::DefaultBodyLimit;
use axum::routing::{delete, get, post, put};
use axum::Router;

pub use db::Db;
pub use error::{ApiError, ServerError};

/// Everything a request handler may use.
#[derive(Debug, Clone)]
pub struct AppState {
    pub db: Db,
    pub nudges: events::Nudges,
    pub intake: intake::IntakeRules,
    pub pushes: push::PushQueue,
    /// The telephony webhook's settings; without them the webhook answers
    /// that it is not configured.
    pub phone: Option<channels::phone::PhoneSettings>,
    /// Failed sign-ins, for their backoff.
    pub sign_ins: auth::throttle::SignInThrottle,
}

impl AppState {
    /// Starts the push committer, so it is called inside the runtime.
    pub fn new(db: Db) -> Self {
        let nudges = events::Nudges::new();
        Self {
            pushes: push::PushQueue::start(db.clone(), nudges.clone()),
            db,
            nudges,
            intake: intake::IntakeRules {
                team: DEFAULT_TEAM.to_owned(),
            },
            phone: None,
            sign_ins: auth::throttle::SignInThrottle::default(),
        }
    }

    /// Takes the telephony provider's events at `POST /v1/channels/phone/events`.
    pub fn with_phone(mut self, settings: channels::phone::PhoneSettings) -> Self {
        self.phone = Some(settings);
        self
    }
}

/// The team new tickets go to unless the configuration names another.
pub const DEFAULT_TEAM: &str = "L2 Support";

/// The wall clock, read at the edge: requests and CLI commands take it
/// once and pass it down.
pub fn now() -> shiftdesk_domain::Timestamp {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    shiftdesk_domain::Timestamp(ms)
}

/// Serves the API on `listener` until `shutdown` resolves, with each
/// request's client address known (the sign-in backoff reads it).
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// The HTTP API.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/v1/meta", get(auth::sign_in::meta))
        .route(
            "/v1/sessions",
            post(auth::sign_in::sign_in)
                .layer(DefaultBodyLimit::max(auth::sign_in::MAX_SIGN_IN_BYTES)),
        )
        .route("/v1/devices", get(auth::sign_in::devices))
        .route("/v1/devices/{id}", delete(auth::sign_in::sign_out))
        .route("/v1/me", get(auth::me))
        .route("/v1/changes", get(pull::changes))
        .route("/v1/changes/urgent", get(pull::urgent))
        .route("/v1/events", get(events::stream))
        .route(
            "/v1/mutations",
            post(push::push).layer(DefaultBodyLimit::max(push::MAX_PUSH_BYTES)),
        )
        .route(
            "/v1/channels/phone/events",
            post(channels::phone::event)
                .layer(DefaultBodyLimit::max(channels::phone::MAX_EVENT_BYTES)),
        )
        .route("/v1/files/{content_hash}", put(attachments::upload))
        .route("/v1/attachments/{id}", get(attachments::download))
        .route(
            "/portal/v1/tickets",
            post(portal::open_ticket).layer(DefaultBodyLimit::max(portal::MAX_FORM_BYTES)),
        )
        .route("/portal/v1/tickets/{number}", get(portal::thread))
        .route(
            "/portal/v1/tickets/{number}/messages",
            post(portal::reply).layer(DefaultBodyLimit::max(portal::MAX_FORM_BYTES)),
        )
        .route(
            "/portal/v1/tickets/{number}/attachments/{id}",
            get(portal::attachment),
        )
        .route("/openapi.json", get(openapi::serve))
        .fallback(error::not_found)
        .with_state(state)
}
