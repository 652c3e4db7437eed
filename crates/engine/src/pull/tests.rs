//! Pull against the real reference server into a real cache file: whole,
//! resumed after a kill between pages, and with tickets leaving the scope.

use shiftdesk_domain::{AgentId, TicketNumber};
use shiftdesk_protocol::{Mutation, MutationRequest, Seq};
use shiftdesk_server::auth;
use shiftdesk_store::Store;

use super::{batch_of, pull_until_current, PAGE};
use crate::api::ApiClient;
use crate::test_server::{server, Server};

async fn cache(dir: &tempfile::TempDir) -> Store {
    Store::open(&dir.path().join("cache.sqlite"))
        .await
        .unwrap()
        .store
}

async fn client(server: &Server, agent: AgentId) -> ApiClient {
    let token = auth::issue_token(&server.db, agent).await.unwrap().unwrap();
    ApiClient::new(&server.base, &token).unwrap()
}

/// What a cache holds, in a form two caches can be compared by: every
/// ticket with its version and every message id, in order.
async fn contents(dir: &tempfile::TempDir) -> (Vec<(i64, i64)>, Vec<i64>, i64) {
    let pool = sqlx::SqlitePool::connect(&format!(
        "sqlite://{}?mode=ro",
        dir.path().join("cache.sqlite").display()
    ))
    .await
    .unwrap();
    let tickets = sqlx::query_as("SELECT number, version FROM tickets ORDER BY number")
        .fetch_all(&pool)
        .await
        .unwrap();
    let messages = sqlx::query_scalar("SELECT id FROM messages ORDER BY id")
        .fetch_all(&pool)
        .await
        .unwrap();
    let attachments = sqlx::query_scalar("SELECT count(*) FROM attachments")
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;
    (tickets, messages, attachments)
}

async fn server_scope(server: &Server, agent: AgentId) -> (Vec<(i64, i64)>, Vec<i64>) {
    let tickets =
        sqlx::query_as("SELECT number, version FROM tickets WHERE assignee_id = ? ORDER BY number")
            .bind(agent.0)
            .fetch_all(&server.db.readers)
            .await
            .unwrap();
    let messages = sqlx::query_scalar(
        "SELECT m.id FROM messages m JOIN tickets t ON t.number = m.ticket_number \
         WHERE t.assignee_id = ? ORDER BY m.id",
    )
    .bind(agent.0)
    .fetch_all(&server.db.readers)
    .await
    .unwrap();
    (tickets, messages)
}

#[tokio::test]
async fn an_empty_cache_pulls_the_agents_whole_scope() {
    let server = server().await;
    let api = client(&server, shiftdesk_demo::ME).await;
    let dir = tempfile::tempdir().unwrap();
    let store = cache(&dir).await;
    let pulled = pull_until_current(&api, &store, PAGE).await.unwrap();
    assert!(pulled.changes > 0);
    assert_eq!(pulled.cursor, store.pull_cursor().await.unwrap());
    let (tickets, messages, attachments) = contents(&dir).await;
    assert_eq!(
        (tickets, messages),
        server_scope(&server, shiftdesk_demo::ME).await
    );
    assert!(attachments > 0);
    // Nothing new: one empty page, the cursor stays.
    let again = pull_until_current(&api, &store, PAGE).await.unwrap();
    assert_eq!((again.pages, again.changes), (1, 0));
    assert_eq!(again.cursor, pulled.cursor);
}

#[tokio::test]
async fn the_most_urgent_tickets_come_first_and_leave_the_cursor_alone() {
    let server = server().await;
    let api = client(&server, shiftdesk_demo::ME).await;
    let dir = tempfile::tempdir().unwrap();
    let store = cache(&dir).await;
    let urgent = api.urgent(3).await.unwrap();
    store
        .apply_sync(&batch_of(shiftdesk_protocol::ChangePage {
            changes: urgent.changes,
            next: Seq(0),
            more: false,
        }))
        .await
        .unwrap();
    assert_eq!(store.pull_cursor().await.unwrap(), 0);
    let mut expected: Vec<i64> = sqlx::query_scalar(
        "SELECT number FROM tickets WHERE assignee_id = ? \
         AND json_extract(body, '$.sla_due_at') IS NOT NULL \
         ORDER BY json_extract(body, '$.sla_due_at'), number LIMIT 3",
    )
    .bind(shiftdesk_demo::ME.0)
    .fetch_all(&server.db.readers)
    .await
    .unwrap();
    expected.sort_unstable();
    let (tickets, messages, _) = contents(&dir).await;
    assert_eq!(
        tickets.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
        expected
    );
    assert!(!messages.is_empty());
    // The full pull afterwards ends where a pull into an empty cache does.
    pull_until_current(&api, &store, PAGE).await.unwrap();
    assert_eq!(
        (contents(&dir).await.0, contents(&dir).await.1),
        server_scope(&server, shiftdesk_demo::ME).await
    );
}

#[tokio::test]
async fn a_pull_cut_off_between_pages_resumes_where_it_stopped() {
    let server = server().await;
    let api = client(&server, shiftdesk_demo::ME).await;
    let whole = tempfile::tempdir().unwrap();
    pull_until_current(&api, &cache(&whole).await, 1000)
        .await
        .unwrap();

    // Three pages of 7 kept, then the process "dies": the store is dropped
    // without a goodbye and opened again.
    let cut = tempfile::tempdir().unwrap();
    {
        let store = cache(&cut).await;
        for _ in 0..3 {
            let page = api
                .changes(Seq(store.pull_cursor().await.unwrap()), 7)
                .await
                .unwrap();
            store.apply_sync(&batch_of(page)).await.unwrap();
        }
    }
    let store = cache(&cut).await;
    let resumed_from = store.pull_cursor().await.unwrap();
    assert!(resumed_from > 0);
    let rest = pull_until_current(&api, &store, 7).await.unwrap();
    assert!(rest.pages > 1);
    assert_eq!(contents(&cut).await, contents(&whole).await);
}

#[tokio::test]
async fn a_ticket_handed_to_a_colleague_leaves_the_cache() {
    let server = server().await;
    let api = client(&server, shiftdesk_demo::ME).await;
    let dir = tempfile::tempdir().unwrap();
    let store = cache(&dir).await;
    pull_until_current(&api, &store, PAGE).await.unwrap();
    let (mine, _) = server_scope(&server, shiftdesk_demo::ME).await;
    let (number, version) = mine[0];

    let lead_id: i64 = sqlx::query_scalar("SELECT id FROM agents WHERE role = 'lead'")
        .fetch_one(&server.db.readers)
        .await
        .unwrap();
    let token = auth::issue_token(&server.db, AgentId(lead_id))
        .await
        .unwrap()
        .unwrap();
    let push = serde_json::json!({ "mutations": [MutationRequest {
        id: uuid::Uuid::new_v4(),
        ticket: TicketNumber(number),
        base_version: Some(version),
        mutation: Mutation::Assign { assignee: Some(AgentId(2)) },
    }] });
    let answer: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/v1/mutations", server.base))
        .bearer_auth(&token)
        .json(&push)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(answer["results"][0]["outcome"], "applied", "{answer}");

    let pulled = pull_until_current(&api, &store, PAGE).await.unwrap();
    assert_eq!(pulled.evicted, 1);
    let (tickets, messages, _) = contents(&dir).await;
    assert!(!tickets.iter().any(|(n, _)| *n == number));
    assert_eq!(
        (tickets, messages),
        server_scope(&server, shiftdesk_demo::ME).await
    );
}
