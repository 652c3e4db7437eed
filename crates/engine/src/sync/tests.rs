//! The sync task against the real reference server, directly and through
//! the fault proxy: delivery on a kick, changes arriving on a nudge, and
//! an honest status while the network is gone.

use std::time::Duration;

use rand::SeedableRng;
use shiftdesk_domain::{AgentId, Channel, Ticket};
use shiftdesk_fault_proxy::{Fault, FaultProxy};
use shiftdesk_protocol::{Mutation, MutationRequest};
use shiftdesk_server::auth;
use shiftdesk_store::Store;

use super::{backoff, Connectivity, SyncHandle, SyncStatus, SyncTiming};
use crate::api::ApiClient;
use crate::outbox::queue;
use crate::test_server::{agent_client, server};

const ME: AgentId = shiftdesk_demo::ME;

const QUICK: SyncTiming = SyncTiming {
    fallback: Duration::from_secs(30),
    backoff_base: Duration::from_millis(50),
    backoff_cap: Duration::from_millis(200),
};

#[test]
fn backoff_is_jittered_capped_and_honours_retry_after() {
    let timing = SyncTiming {
        fallback: Duration::from_secs(30),
        backoff_base: Duration::from_millis(500),
        backoff_cap: Duration::from_secs(60),
    };
    let mut rng = rand::rngs::StdRng::seed_from_u64(1);
    for failures in 1..40 {
        let ceiling = Duration::from_millis(500)
            .saturating_mul(1 << (failures - 1).min(20))
            .min(Duration::from_secs(60));
        let waits: Vec<Duration> = (0..200)
            .map(|_| backoff(failures, None, &timing, &mut rng))
            .collect();
        assert!(waits.iter().all(|w| *w <= ceiling), "{failures}");
        // Full jitter: spread over the whole range, not bunched at the top.
        let low = waits.iter().filter(|w| **w < ceiling / 2).count();
        assert!(
            (40..160).contains(&low),
            "{failures}: {low} of 200 below half"
        );
    }
    let after = Duration::from_secs(7);
    for _ in 0..100 {
        assert!(backoff(1, Some(after), &timing, &mut rng) >= after);
    }
}

async fn wait_for(
    status: &mut tokio::sync::watch::Receiver<SyncStatus>,
    what: &str,
    done: impl Fn(&SyncStatus) -> bool,
) -> SyncStatus {
    let found = tokio::time::timeout(Duration::from_secs(10), status.wait_for(|s| done(s)))
        .await
        .map(|found| found.unwrap().clone());
    match found {
        Ok(status) => status,
        Err(_) => panic!("no {what} within 10 s: {:?}", *status.borrow()),
    }
}

async fn my_open_ticket(db: &shiftdesk_server::Db) -> Ticket {
    let body: String = sqlx::query_scalar(
        "SELECT body FROM tickets WHERE assignee_id = ? \
         AND json_extract(body, '$.status') IN ('open', 'new') ORDER BY number LIMIT 1",
    )
    .bind(ME.0)
    .fetch_one(&db.readers)
    .await
    .unwrap();
    serde_json::from_str(&body).unwrap()
}

async fn count_on_server(db: &shiftdesk_server::Db, text: &str) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM messages WHERE json_extract(body, '$.body') = ?")
        .bind(text)
        .fetch_one(&db.readers)
        .await
        .unwrap()
}

async fn count_in_cache(dir: &tempfile::TempDir, text: &str) -> i64 {
    let pool = sqlx::SqlitePool::connect(&format!(
        "sqlite://{}?mode=ro",
        dir.path().join("cache.sqlite").display()
    ))
    .await
    .unwrap();
    let n = sqlx::query_scalar("SELECT count(*) FROM messages WHERE body = ? AND id > 0")
        .bind(text)
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replies_go_on_a_kick_and_colleagues_changes_come_on_a_nudge() {
    let server = server().await;
    let (api, store, dir) = agent_client(&server).await;
    let sync = SyncHandle::start(api.clone(), store.clone(), ME, QUICK);
    let mut status = sync.status();
    wait_for(&mut status, "first sync", |s| s.last_good_sync.is_some()).await;

    let ticket = my_open_ticket(&server.db).await;
    let text = "Проверили узел, всё в порядке.";
    queue(
        &store,
        ME,
        ticket.number,
        Mutation::Reply {
            channel: Channel::Email,
            body: text.into(),
            attachments: vec![],
            cc: vec![],
        },
        None,
        crate::now(),
    )
    .await
    .unwrap();
    let queued_at = crate::now();
    sync.kick();
    let settled = wait_for(&mut status, "delivery", |s| {
        s.pending == 0 && s.last_good_sync.is_some_and(|t| t >= queued_at)
    })
    .await;
    assert_eq!(settled.connectivity, Connectivity::Online);
    assert_eq!(count_on_server(&server.db, text).await, 1);

    // A colleague's note on the server reaches the cache by the event
    // stream, long before the 30 s fallback.
    let lead_id: i64 = sqlx::query_scalar("SELECT id FROM agents WHERE role = 'lead'")
        .fetch_one(&server.db.readers)
        .await
        .unwrap();
    let lead_token = auth::issue_token(&server.db, AgentId(lead_id))
        .await
        .unwrap()
        .unwrap();
    let lead = ApiClient::new(&server.base, &lead_token).unwrap();
    let note = "Лид: клиент из приоритетных, держите в курсе.";
    lead.push(&[MutationRequest {
        id: uuid::Uuid::new_v4(),
        ticket: ticket.number,
        base_version: None,
        mutation: Mutation::Note {
            body: note.into(),
            attachments: vec![],
        },
    }])
    .await
    .unwrap();
    let started = std::time::Instant::now();
    while count_in_cache(&dir, note).await == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the note never arrived"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(count_in_cache(&dir, text).await, 1, "our reply, once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_is_said_plainly_and_the_reply_goes_when_the_network_is_back() {
    let problem = offline_then_back(Fault::Reset).await;
    // A reset while sending reads as reset; one before, as a closed connection.
    assert!(
        problem.contains("reset") || problem.contains("closed before the server answered"),
        "{problem}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_accepts_and_never_answers_counts_as_offline() {
    let problem = offline_then_back(Fault::BlackHole).await;
    assert!(problem.contains("no answer within 0.3 s"), "{problem}");
}

/// Takes the network away with `fault` while a reply is queued, checks
/// the status says so, heals it and checks the reply arrives once.
/// Answers the problem the status named while offline.
async fn offline_then_back(fault: Fault) -> String {
    let server = server().await;
    let token = auth::issue_token(&server.db, ME).await.unwrap().unwrap();
    let upstream = server.base.trim_start_matches("http://").parse().unwrap();
    let proxy = FaultProxy::start(upstream).await.unwrap();
    let api = ApiClient::with_timeout(
        &format!("http://{}", proxy.addr()),
        &token,
        Duration::from_millis(300),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("cache.sqlite"))
        .await
        .unwrap()
        .store;
    let sync = SyncHandle::start(api, store.clone(), ME, QUICK);
    let mut status = sync.status();
    wait_for(&mut status, "first sync", |s| s.last_good_sync.is_some()).await;

    // The network goes: every new connection meets the fault.
    proxy.set(fault);
    proxy.close_all().await;
    let ticket = my_open_ticket(&server.db).await;
    let text = "Ответ, написанный без сети";
    queue(
        &store,
        ME,
        ticket.number,
        Mutation::Reply {
            channel: Channel::Telegram,
            body: text.into(),
            attachments: vec![],
            cc: vec![],
        },
        None,
        crate::now(),
    )
    .await
    .unwrap();
    sync.kick();
    let offline = wait_for(&mut status, "offline", |s| {
        s.connectivity == Connectivity::Offline
    })
    .await;
    assert_eq!(offline.pending, 1);
    assert!(offline.next_retry.is_some());
    assert_eq!(count_on_server(&server.db, text).await, 0);

    // Back: the backoff's next attempt delivers it, once.
    proxy.set(Fault::None);
    let back = wait_for(&mut status, "delivery", |s| {
        s.pending == 0 && s.connectivity == Connectivity::Online
    })
    .await;
    assert_eq!(back.problem, None);
    assert_eq!(count_on_server(&server.db, text).await, 1);
    assert!(proxy.stats().faults() > 0);
    offline.problem.expect("the status names the problem")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_device_is_told_apart_and_its_reply_stays_queued() {
    let server = server().await;
    let (api, store, _dir) = agent_client(&server).await;
    let sync = SyncHandle::start(api.clone(), store.clone(), ME, QUICK);
    let mut status = sync.status();
    wait_for(&mut status, "first sync", |s| s.last_good_sync.is_some()).await;
    assert_eq!(status.borrow().token_refused, None);

    let ticket = my_open_ticket(&server.db).await;
    let text = "Ответ, который не ушёл: устройство отключено.";
    queue(
        &store,
        ME,
        ticket.number,
        Mutation::Note {
            body: text.into(),
            attachments: vec![],
        },
        None,
        crate::now(),
    )
    .await
    .unwrap();
    // Revoked with the reply queued and not yet pushed: the next round
    // (this kick, or the event stream breaking) is refused.
    sqlx::query("UPDATE devices SET revoked_at = 1")
        .execute(&server.db.writer)
        .await
        .unwrap();
    sync.kick();
    let refused = wait_for(&mut status, "the refusal", |s| s.token_refused.is_some()).await;
    assert_eq!(
        refused.token_refused,
        Some(shiftdesk_protocol::ErrorCode::DeviceRevoked)
    );
    assert_eq!(
        (refused.pending, refused.needs_agent),
        (1, 0),
        "still queued, not failed"
    );
    assert_eq!(count_on_server(&server.db, text).await, 0);
}
