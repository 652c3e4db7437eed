//! The ticketing API over HTTP: one client per server and token, and what a
//! call can end in: the answer, the server's problem, or no answer at all.

use std::time::Duration;

use reqwest::header::{HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use reqwest::Url;
use serde_json::from_slice;
use shiftdesk_domain::{Agent, AttachmentId, ContentHash};
use shiftdesk_protocol::{
    ChangePage, Device, MutationRequest, Problem, PushResponse, Seq, ServerMeta, SignInRequest,
    SignedIn, StoredFile, UrgentTickets,
};

/// How long one call may take, connecting included, before the server
/// counts as unreachable.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// How long an event stream may stay silent before it counts as broken.
pub const STREAM_SILENCE: Duration = Duration::from_secs(45);

/// Why a client could not be made. Says nothing of the token but that it
/// is unusable.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("{url:?} is not a server address: {reason}")]
    BadUrl { url: String, reason: &'static str },
    #[error("the API token is not usable: {0}")]
    BadToken(&'static str),
    #[error("the HTTP client could not be set up: {0}")]
    Http(#[source] reqwest::Error),
}

/// How a call failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// No answer: the connection failed, broke, or the server took longer
    /// than [`TIMEOUT`].
    #[error("the server cannot be reached: {reason}")]
    Unreachable { reason: String },
    /// The server answered with an RFC 9457 problem.
    #[error("the server answered {}: {} ({})", .0.status, .0.detail, .0.code.code())]
    Problem(Problem),
    /// The server asks to come back later: 429 or 503 with `Retry-After`.
    #[error("the server is busy; it asks to retry in {} s", .retry_after.as_secs())]
    SlowDown { retry_after: Duration },
    /// An answer that is neither what was asked for nor a problem.
    #[error("the server gave an unexpected answer (HTTP {status}): {what}")]
    Unexpected { status: u16, what: String },
}

/// A client of one server, calling as the agent whose token it holds.
///
/// Debug output is safe to log: the token is kept only as a sensitive
/// header value, which prints as `Sensitive`.
#[derive(Debug, Clone)]
pub struct ApiClient {
    http: reqwest::Client,
    /// For the event stream: no limit on the whole exchange, only on
    /// silence (the server sends a keep-alive every 15 s).
    streams: reqwest::Client,
    base: Url,
    authorization: HeaderValue,
    /// How long one call may take: [`TIMEOUT`] but in tests.
    timeout: Duration,
}

impl ApiClient {
    /// A client of the API at `base_url` (http or https; a path such as
    /// `https://desk.example.com/api` is kept as the prefix of every call).
    pub fn new(base_url: &str, token: &str) -> Result<Self, ClientError> {
        Self::build(base_url, token, TIMEOUT)
    }

    /// A client giving up after `timeout`: tests of a server that never
    /// answers would otherwise wait [`TIMEOUT`] a call.
    #[cfg(test)]
    pub(crate) fn with_timeout(
        base_url: &str,
        token: &str,
        timeout: Duration,
    ) -> Result<Self, ClientError> {
        Self::build(base_url, token, timeout)
    }

    fn build(base_url: &str, token: &str, timeout: Duration) -> Result<Self, ClientError> {
        let base = server_url(base_url)?;
        let token = token.trim();
        if token.is_empty() {
            return Err(ClientError::BadToken("it is empty"));
        }
        let mut authorization = HeaderValue::from_str(&format!("Bearer {token}"))
            .map_err(|_| ClientError::BadToken("it holds characters a token cannot have"))?;
        authorization.set_sensitive(true);
        let http = calls_client(timeout)?;
        let streams = reqwest::Client::builder()
            .connect_timeout(timeout)
            .read_timeout(STREAM_SILENCE)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(ClientError::Http)?;
        Ok(Self {
            http,
            streams,
            base,
            authorization,
            timeout,
        })
    }

    /// The server's base URL, ending in `/`.
    pub fn base_url(&self) -> &Url {
        &self.base
    }

    /// The agent the token belongs to: `GET /v1/me`.
    pub async fn me(&self) -> Result<Agent, ApiError> {
        self.get("v1/me").await
    }

    /// A page of the changes in the token's scope after `after`:
    /// `GET /v1/changes`.
    pub async fn changes(&self, after: Seq, limit: u32) -> Result<ChangePage, ApiError> {
        self.get(&format!("v1/changes?after={}&limit={limit}", after.0))
            .await
    }

    /// The `limit` most urgent tickets of the scope with all they need:
    /// `GET /v1/changes/urgent`.
    pub async fn urgent(&self, limit: u32) -> Result<UrgentTickets, ApiError> {
        self.get(&format!("v1/changes/urgent?limit={limit}")).await
    }

    /// The server's announcements of new changes: `GET /v1/events`.
    pub async fn events(&self) -> Result<ChangeEvents, ApiError> {
        let response = self
            .streams
            .get(self.url("v1/events"))
            .header(AUTHORIZATION, self.authorization.clone())
            .header(ACCEPT, "text/event-stream")
            .send()
            .await
            .map_err(|e| unreachable(&e, self.timeout))?;
        if !response.status().is_success() {
            let status = response.status().as_u16();
            let body = response
                .bytes()
                .await
                .map_err(|e| unreachable(&e, self.timeout))?;
            return Err(match from_slice::<Problem>(&body) {
                Ok(problem) => ApiError::Problem(problem),
                Err(_) => ApiError::Unexpected {
                    status,
                    what: "the event stream did not open".into(),
                },
            });
        }
        Ok(ChangeEvents {
            response,
            buffer: String::new(),
        })
    }

    /// Sends a batch of mutations: `POST /v1/mutations`.
    pub async fn push(&self, mutations: &[MutationRequest]) -> Result<PushResponse, ApiError> {
        let body =
            serde_json::to_vec(&serde_json::json!({ "mutations": mutations })).map_err(|e| {
                ApiError::Unexpected {
                    status: 0,
                    what: format!("the push could not be written: {e}"),
                }
            })?;
        let request = self
            .http
            .post(self.url("v1/mutations"))
            .header(CONTENT_TYPE, "application/json")
            .body(body);
        self.call(request, "v1/mutations").await
    }

    /// Uploads a file the agent attached: `PUT /v1/files/{content_hash}`.
    /// Idempotent, so a retry after no answer is safe. Bounded by silence
    /// rather than [`TIMEOUT`]: 50 MB on a slow link takes its time.
    pub async fn upload_file(
        &self,
        content_hash: &ContentHash,
        bytes: Vec<u8>,
    ) -> Result<StoredFile, ApiError> {
        let path = format!("v1/files/{content_hash}");
        let request = self
            .streams
            .put(self.url(&path))
            .header(CONTENT_TYPE, "application/octet-stream")
            .body(bytes);
        self.call(request, &path).await
    }

    /// The bytes of attachment `id`: `GET /v1/attachments/{id}`. Read as
    /// they come, with no limit on the whole exchange but on silence (a
    /// large file on a slow link takes its time); more than `max_bytes`
    /// ends the download.
    pub async fn attachment(&self, id: AttachmentId, max_bytes: u64) -> Result<Vec<u8>, ApiError> {
        let mut response = self
            .streams
            .get(self.url(&format!("v1/attachments/{}", id.0)))
            .header(AUTHORIZATION, self.authorization.clone())
            .header(ACCEPT, "*/*")
            .send()
            .await
            .map_err(|e| unreachable(&e, self.timeout))?;
        let status = response.status().as_u16();
        if !response.status().is_success() {
            let body = response
                .bytes()
                .await
                .map_err(|e| unreachable(&e, STREAM_SILENCE))?;
            return Err(match from_slice::<Problem>(&body) {
                Ok(problem) => ApiError::Problem(problem),
                Err(_) => ApiError::Unexpected {
                    status,
                    what: format!("attachment {} did not download", id.0),
                },
            });
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| unreachable(&e, STREAM_SILENCE))?
        {
            if (bytes.len() + chunk.len()) as u64 > max_bytes {
                return Err(ApiError::Unexpected {
                    status,
                    what: format!("attachment {} is larger than its {max_bytes} bytes", id.0),
                });
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(bytes)
    }

    async fn get<T: serde::de::DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        self.call(self.http.get(self.url(path)), path).await
    }

    fn url(&self, path: &str) -> Url {
        endpoint(&self.base, path)
    }

    async fn call<T: serde::de::DeserializeOwned>(
        &self,
        request: reqwest::RequestBuilder,
        path: &str,
    ) -> Result<T, ApiError> {
        let response = request
            .header(AUTHORIZATION, self.authorization.clone())
            .header(ACCEPT, "application/json, application/problem+json")
            .send()
            .await
            .map_err(|e| unreachable(&e, self.timeout))?;
        answer(response, path, self.timeout, RetryAfter::SlowDown).await
    }

    /// The devices signed in as this agent, or for a lead the team's:
    /// `GET /v1/devices`.
    pub async fn devices(&self) -> Result<Vec<Device>, ApiError> {
        self.get("v1/devices").await
    }

    /// Signs device `id` out, this one included: `DELETE /v1/devices/{id}`.
    pub async fn sign_out(&self, id: i64) -> Result<(), ApiError> {
        let path = format!("v1/devices/{id}");
        let response = self
            .http
            .delete(self.url(&path))
            .header(AUTHORIZATION, self.authorization.clone())
            .header(ACCEPT, "application/problem+json")
            .send()
            .await
            .map_err(|e| unreachable(&e, self.timeout))?;
        if response.status() == reqwest::StatusCode::NO_CONTENT {
            return Ok(());
        }
        answer::<serde_json::Value>(response, &path, self.timeout, RetryAfter::SlowDown)
            .await
            .map(drop)
    }
}

/// A client of a server before anyone signs in: what the server is, and
/// signing a device in.
#[derive(Debug, Clone)]
pub struct SignInClient {
    http: reqwest::Client,
    base: Url,
}

impl SignInClient {
    pub fn new(base_url: &str) -> Result<Self, ClientError> {
        Ok(Self {
            http: calls_client(TIMEOUT)?,
            base: server_url(base_url)?,
        })
    }

    pub fn base_url(&self) -> &Url {
        &self.base
    }

    /// That the address is a Shiftdesk server speaking this API:
    /// `GET /v1/meta`.
    pub async fn meta(&self) -> Result<ServerMeta, ApiError> {
        let not_shiftdesk = |status| ApiError::Unexpected {
            status,
            what: format!("{} is not a Shiftdesk server", self.base),
        };
        let response = self
            .http
            .get(self.url("v1/meta"))
            .header(ACCEPT, "application/json")
            .send()
            .await
            .map_err(|e| unreachable(&e, TIMEOUT))?;
        let status = response.status().as_u16();
        let meta: ServerMeta = answer(response, "v1/meta", TIMEOUT, RetryAfter::SlowDown)
            .await
            .map_err(|e| match e {
                ApiError::Unexpected { status, .. } => not_shiftdesk(status),
                ApiError::Problem(_) => not_shiftdesk(status),
                other => other,
            })?;
        if meta.product != ServerMeta::PRODUCT {
            return Err(not_shiftdesk(status));
        }
        if meta.api_version != ServerMeta::API_VERSION {
            return Err(ApiError::Unexpected {
                status,
                what: format!(
                    "the server speaks API version {}, this console {}",
                    meta.api_version,
                    ServerMeta::API_VERSION
                ),
            });
        }
        Ok(meta)
    }

    /// Signs this device in: `POST /v1/sessions`. A lock-out comes back as
    /// its problem (`auth.locked`, its wait in the detail), not retried.
    pub async fn sign_in(&self, request: &SignInRequest) -> Result<SignedIn, ApiError> {
        let body = serde_json::to_vec(request).map_err(|e| ApiError::Unexpected {
            status: 0,
            what: format!("the sign-in could not be written: {e}"),
        })?;
        let response = self
            .http
            .post(self.url("v1/sessions"))
            .header(CONTENT_TYPE, "application/json")
            .header(ACCEPT, "application/json, application/problem+json")
            .body(body)
            .send()
            .await
            .map_err(|e| unreachable(&e, TIMEOUT))?;
        answer(response, "v1/sessions", TIMEOUT, RetryAfter::Problem).await
    }

    fn url(&self, path: &str) -> Url {
        endpoint(&self.base, path)
    }
}

/// The client of plain calls: each bounded by `timeout`.
fn calls_client(timeout: Duration) -> Result<reqwest::Client, ClientError> {
    reqwest::Client::builder()
        .timeout(timeout)
        // The API never redirects; following one would send the token
        // somewhere the agent did not point Shiftdesk at.
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(ClientError::Http)
}

fn endpoint(base: &Url, path: &str) -> Url {
    base.join(path)
        .expect("an endpoint path joins onto an http(s) base URL")
}

/// What a device is called in the agent's list of devices: `app` on this
/// computer's host name, e.g. "Shiftdesk on ws-17".
pub fn device_name(app: &str) -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .unwrap_or_default();
    match host.trim() {
        "" => format!("{app} on this computer"),
        host => format!("{app} on {host}"),
    }
}

/// What a 429 or 503 with `Retry-After` is taken as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RetryAfter {
    /// [`ApiError::SlowDown`]: sync waits and tries again by itself.
    SlowDown,
    /// The problem the server sent: a person decides.
    Problem,
}

async fn answer<T: serde::de::DeserializeOwned>(
    response: reqwest::Response,
    path: &str,
    timeout: Duration,
    retry: RetryAfter,
) -> Result<T, ApiError> {
    let status = response.status().as_u16();
    if matches!(status, 429 | 503) && retry == RetryAfter::SlowDown {
        if let Some(retry_after) = retry_after(response.headers()) {
            return Err(ApiError::SlowDown { retry_after });
        }
    }
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map_or_else(
            || "no content type".to_owned(),
            |t| format!("content type {t}"),
        );
    let body = response
        .bytes()
        .await
        .map_err(|e| unreachable(&e, timeout))?;
    if (200..300).contains(&status) {
        return from_slice(&body).map_err(|e| ApiError::Unexpected {
            status,
            what: format!("the body is not what {path} answers ({e})"),
        });
    }
    match from_slice::<Problem>(&body) {
        Ok(problem) => Err(ApiError::Problem(problem)),
        Err(_) => Err(ApiError::Unexpected {
            status,
            what: format!("not a problem document ({content_type})"),
        }),
    }
}

/// A server's address as the console calls it, ending in `/`. Refused:
/// anything but http(s); a user name or password in it (they would be
/// sent, logged and shown); plain http to another machine, which would
/// carry passwords and tokens in clear.
pub fn server_url(base_url: &str) -> Result<Url, ClientError> {
    let bad = |reason| ClientError::BadUrl {
        url: redacted(base_url),
        reason,
    };
    let mut base = Url::parse(base_url.trim()).map_err(|_| bad("it is not a URL"))?;
    if !matches!(base.scheme(), "http" | "https") {
        return Err(bad("only http and https are supported"));
    }
    if !base.username().is_empty() || base.password().is_some() {
        return Err(bad(
            "it holds a user name or password; give the address alone and sign in",
        ));
    }
    if base.scheme() == "http" && !is_loopback(&base) {
        return Err(bad(
            "plain http is only for a server on this machine; use https",
        ));
    }
    base.set_query(None);
    base.set_fragment(None);
    if !base.path().ends_with('/') {
        let path = format!("{}/", base.path());
        base.set_path(&path);
    }
    Ok(base)
}

fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = host.parse::<std::net::IpAddr>() {
        return ip.is_loopback();
    }
    let name = host.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost" || name.ends_with(".localhost")
}

/// An address as it may be shown: whatever sits before an `@` in its
/// authority is dropped.
fn redacted(address: &str) -> String {
    let trimmed = address.trim();
    let Some((scheme, rest)) = trimmed.split_once("://") else {
        return trimmed.chars().take(200).collect();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    format!("{scheme}://{host}{path}")
        .chars()
        .take(200)
        .collect()
}

impl ApiError {
    /// Worth trying again later: no answer, the server failing, or asking
    /// to slow down. Anything else needs a person.
    pub fn is_transient(&self) -> bool {
        match self {
            ApiError::Unreachable { .. } | ApiError::SlowDown { .. } => true,
            ApiError::Problem(problem) => problem.status >= 500 || problem.status == 429,
            ApiError::Unexpected { status, .. } => *status >= 500 || *status == 429,
        }
    }
}

/// An open event stream.
#[derive(Debug)]
pub struct ChangeEvents {
    response: reqwest::Response,
    buffer: String,
}

impl ChangeEvents {
    /// The next announced sequence; `None` when the server ends the stream.
    pub async fn next(&mut self) -> Result<Option<Seq>, ApiError> {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let event: String = self.buffer.drain(..end + 2).collect();
                let data = event.lines().find_map(|l| l.strip_prefix("data:"));
                if let Some(seq) = data.and_then(|d| d.trim().parse().ok()) {
                    return Ok(Some(Seq(seq)));
                }
                // A keep-alive comment, or an event of another kind.
                continue;
            }
            if self.buffer.len() > 64 * 1024 {
                return Err(ApiError::Unexpected {
                    status: 200,
                    what: "the event stream sends no events".into(),
                });
            }
            match self
                .response
                .chunk()
                .await
                .map_err(|e| unreachable(&e, STREAM_SILENCE))?
            {
                Some(chunk) => self.buffer.push_str(&String::from_utf8_lossy(&chunk)),
                None => return Ok(None),
            }
        }
    }
}

/// `Retry-After` in seconds (the form the API sends); an HTTP date or
/// nonsense counts as absent.
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let seconds: u64 = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    // A server asking for more than an hour is not taken at its word.
    Some(Duration::from_secs(seconds.min(3600)))
}

/// A failed exchange in a few words: what a person can act on, not the
/// whole chain of library errors.
/// What hyper says of a connection closed under it.
const CLOSED_EARLY: [&str; 2] = [
    "connection was not ready",
    "connection closed before message completed",
];

fn unreachable(e: &reqwest::Error, waited: Duration) -> ApiError {
    let reason = if e.is_timeout() {
        format!("no answer within {} s", waited.as_secs_f64())
    } else {
        let mut cause: &(dyn std::error::Error + 'static) = e;
        while let Some(next) = cause.source() {
            cause = next;
        }
        use std::io::ErrorKind;
        match cause.downcast_ref::<std::io::Error>().map(|io| io.kind()) {
            Some(ErrorKind::ConnectionRefused) => "connection refused".to_owned(),
            Some(ErrorKind::ConnectionReset) => "the connection was reset".to_owned(),
            Some(ErrorKind::ConnectionAborted) => "the connection was aborted".to_owned(),
            // hyper's words for a connection the far end dropped first:
            // how a reset reads when it comes before the request went out.
            _ if CLOSED_EARLY.contains(&cause.to_string().as_str()) => {
                "the connection was closed before the server answered".to_owned()
            }
            _ => cause.to_string(),
        }
    };
    ApiError::Unreachable { reason }
}

#[cfg(test)]
mod tests;
