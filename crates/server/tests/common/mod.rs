//! A reference server on a loopback port with a small demo desk, and the
//! HTTP calls the API tests make against it.

#![allow(dead_code, clippy::unwrap_used)]

pub mod process;

use reqwest::StatusCode;
use serde_json::Value;
use shiftdesk_domain::{AgentId, Ticket};
use shiftdesk_protocol::{
    ChangePage, Mutation, MutationOutcome, MutationRequest, MutationResult, PushResponse,
};
use shiftdesk_server::{auth, seed, serve, AppState, Db};

pub struct Server {
    pub base: String,
    pub db: Db,
    pub http: reqwest::Client,
    _dir: tempfile::TempDir,
}

/// A server on a loopback port with a 120-ticket demo desk.
pub async fn server() -> Server {
    server_with(|state| state).await
}

/// The same, with its state set up by `configure` (e.g. a channel).
pub async fn server_with(configure: impl FnOnce(AppState) -> AppState) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("server.sqlite")).await.unwrap();
    let config = shiftdesk_demo::DemoConfig {
        seed: 3,
        tickets: 120,
        now: shiftdesk_demo::FIXED_NOW,
    };
    seed::demo(&db, &config).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let state = configure(AppState::new(db.clone()));
    tokio::spawn(async move {
        serve(listener, state, std::future::pending())
            .await
            .unwrap()
    });
    Server {
        base,
        db,
        http: reqwest::Client::new(),
        _dir: dir,
    }
}

impl Server {
    pub async fn token(&self, agent: AgentId) -> String {
        auth::issue_token(&self.db, agent).await.unwrap().unwrap()
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> (StatusCode, String, Value) {
        let mut request = self.http.get(format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        answer(request.send().await.unwrap()).await
    }

    /// POSTs raw bytes as JSON to `path`.
    pub async fn post(
        &self,
        path: &str,
        token: &str,
        body: Vec<u8>,
    ) -> (StatusCode, String, Value) {
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .bearer_auth(token)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        answer(response).await
    }

    /// Pushes one mutation of `ticket` (a new id, no base version) and
    /// returns its outcome.
    pub async fn push_one(&self, token: &str, ticket: i64, mutation: Mutation) -> MutationOutcome {
        let request = MutationRequest {
            id: uuid::Uuid::new_v4(),
            ticket: shiftdesk_domain::TicketNumber(ticket),
            base_version: None,
            mutation,
        };
        let results = self.push(token, &[request]).await;
        results.into_iter().next().unwrap().outcome
    }

    /// The delivery state of `message` as the agent's next pull shows it.
    pub async fn pulled_delivery(
        &self,
        token: &str,
        message: shiftdesk_domain::MessageId,
    ) -> shiftdesk_domain::DeliveryState {
        let newest = self
            .pull_all(token, 1000)
            .await
            .into_iter()
            .filter_map(|c| match c.body {
                shiftdesk_protocol::ChangeBody::Message(m) if m.id == message => Some(m),
                _ => None,
            })
            .next_back()
            .unwrap();
        match newest.kind {
            shiftdesk_domain::MessageKind::PublicReply { delivery } => delivery,
            other => panic!("{other:?}"),
        }
    }

    /// Pushes `mutations` and returns each one's result.
    pub async fn push(&self, token: &str, mutations: &[MutationRequest]) -> Vec<MutationResult> {
        let body = serde_json::to_vec(&serde_json::json!({ "mutations": mutations })).unwrap();
        let (status, _, answer) = self.post("/v1/mutations", token, body).await;
        assert_eq!(status, StatusCode::OK, "{answer}");
        let response: PushResponse = serde_json::from_value(answer).unwrap();
        assert_eq!(response.results.len(), mutations.len());
        for (result, sent) in response.results.iter().zip(mutations) {
            assert_eq!(result.id, sent.id, "results come in the order sent");
        }
        response.results
    }

    /// Uploads `bytes` under their SHA-256 as `token`'s agent.
    pub async fn put_file(&self, token: &str, bytes: &[u8]) -> (StatusCode, String, Value) {
        let response = self
            .http
            .put(format!("{}/v1/files/{}", self.base, sha256(bytes)))
            .bearer_auth(token)
            .body(bytes.to_vec())
            .send()
            .await
            .unwrap();
        answer(response).await
    }

    /// GETs `path` with optional headers; status, headers and raw body.
    pub async fn fetch(
        &self,
        path: &str,
        token: &str,
        headers: &[(&str, &str)],
    ) -> (StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
        let mut request = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(token);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        (status, headers, response.bytes().await.unwrap().to_vec())
    }

    /// POSTs a multipart form to a portal path, with an access key or none.
    pub async fn post_form(
        &self,
        path: &str,
        key: Option<&str>,
        form: reqwest::multipart::Form,
    ) -> (StatusCode, String, Value) {
        let mut request = self
            .http
            .post(format!("{}{path}", self.base))
            .multipart(form);
        if let Some(key) = key {
            request = request.bearer_auth(key);
        }
        answer(request.send().await.unwrap()).await
    }

    /// A ticket as the server holds it.
    pub async fn ticket(&self, number: i64) -> Ticket {
        let body: String = sqlx::query_scalar("SELECT body FROM tickets WHERE number = ?")
            .bind(number)
            .fetch_one(&self.db.readers)
            .await
            .unwrap();
        serde_json::from_str(&body).unwrap()
    }

    /// One of the demo agent's open tickets, and its version.
    pub async fn my_open_ticket(&self) -> (i64, i64) {
        sqlx::query_as(
            "SELECT number, version FROM tickets WHERE assignee_id = ? \
             AND json_extract(body, '$.status') IN ('open', 'new') ORDER BY number LIMIT 1",
        )
        .bind(shiftdesk_demo::ME.0)
        .fetch_one(&self.db.readers)
        .await
        .unwrap()
    }

    /// Rows in `table`.
    pub async fn count(&self, table: &str) -> i64 {
        sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
            .fetch_one(&self.db.readers)
            .await
            .unwrap()
    }

    /// Every change in `token`'s scope, pulled `limit` at a time.
    pub async fn pull_all(&self, token: &str, limit: u32) -> Vec<shiftdesk_protocol::Change> {
        let mut after = 0;
        let mut all = Vec::new();
        loop {
            let (status, _, body) = self
                .get(
                    &format!("/v1/changes?after={after}&limit={limit}"),
                    Some(token),
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{body}");
            let page: ChangePage = serde_json::from_value(body).unwrap();
            assert!(page.changes.len() <= limit as usize);
            all.extend(page.changes);
            if !page.more {
                // The end is stable: asking again from there gives nothing.
                let (_, _, again) = self
                    .get(&format!("/v1/changes?after={}", page.next.0), Some(token))
                    .await;
                assert_eq!(again["changes"], Value::Array(vec![]));
                assert_eq!(again["next"], page.next.0);
                return all;
            }
            after = page.next.0;
        }
    }
}

pub fn assert_problem(
    status: StatusCode,
    content_type: &str,
    body: &Value,
    expected: StatusCode,
    code: &str,
) {
    assert_eq!(status, expected, "{body}");
    assert_eq!(content_type, "application/problem+json");
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(body["status"], expected.as_u16());
    assert!(body["type"].as_str().unwrap().ends_with(code));
    assert!(!body["detail"].as_str().unwrap().is_empty());
}

pub fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

/// A text part of a multipart form.
pub fn form(fields: &[(&str, &str)]) -> reqwest::multipart::Form {
    fields
        .iter()
        .fold(reqwest::multipart::Form::new(), |form, (name, value)| {
            form.text(name.to_string(), value.to_string())
        })
}

/// A file part named `attachment`.
pub fn file_part(name: &str, media_type: &str, bytes: &[u8]) -> reqwest::multipart::Part {
    reqwest::multipart::Part::bytes(bytes.to_vec())
        .file_name(name.to_owned())
        .mime_str(media_type)
        .unwrap()
}

/// Reads the stream until an event with a data line, and returns the data.
pub async fn next_sequence(response: &mut reqwest::Response, buffer: &mut String) -> i64 {
    loop {
        if let Some(end) = buffer.find("\n\n") {
            let event: String = buffer.drain(..end + 2).collect();
            if let Some(data) = event.lines().find_map(|l| l.strip_prefix("data: ")) {
                assert!(event.contains("event: changes"), "{event}");
                return data.parse().unwrap();
            }
            continue;
        }
        let chunk = tokio::time::timeout(std::time::Duration::from_secs(5), response.chunk())
            .await
            .expect("an event within 5 s");
        buffer.push_str(
            std::str::from_utf8(&chunk.unwrap().expect("the stream stays open")).unwrap(),
        );
    }
}

/// Status, content type and JSON body of a response.
async fn answer(response: reqwest::Response) -> (StatusCode, String, Value) {
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, content_type, response.json().await.unwrap())
}
