//! The SLA alert ledger and preferences in a real cache file: an alert is
//! recorded once per clock run, across a reopen, and never for a ticket
//! that is gone.

#![allow(clippy::unwrap_used)] // a test that cannot go on should stop loudly

mod fixtures;

use fixtures::*;
use shiftdesk_domain::*;
use shiftdesk_store::*;

fn alert(metric: SlaMetric, level: AlertLevel, started_minute: i64) -> SlaAlert {
    SlaAlert {
        metric,
        level,
        clock_started_at: Timestamp(started_minute * MINUTE),
        due_at: Some(Timestamp((started_minute + 60) * MINUTE)),
    }
}

async fn cache_with_two_tickets(path: &std::path::Path) -> Store {
    let store = Store::open(path).await.unwrap().store;
    store.upsert_agents(&agents()).await.unwrap();
    store.upsert_customers(&customers()).await.unwrap();
    store
        .upsert_threads(&[
            thread(1, "VM down", "since 14:05"),
            thread(2, "Диск", "полон"),
        ])
        .await
        .unwrap();
    store
}

#[tokio::test]
async fn an_alert_is_fresh_once_per_clock_run_also_after_a_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite");
    let store = cache_with_two_tickets(&path).await;
    let now = Timestamp(100 * MINUTE);
    let warning = (
        TicketNumber(1),
        alert(SlaMetric::FirstResponse, AlertLevel::Warning, 0),
    );
    let breach = (
        TicketNumber(1),
        alert(SlaMetric::FirstResponse, AlertLevel::Breached, 0),
    );
    let other = (
        TicketNumber(2),
        alert(SlaMetric::Resolution, AlertLevel::Warning, 0),
    );

    assert_eq!(
        store.record_alerts(&[warning], now).await.unwrap(),
        vec![warning]
    );
    // The warning again, with a breach and another ticket's warning: only
    // the new ones, in the order given.
    assert_eq!(
        store
            .record_alerts(&[other, warning, breach], now)
            .await
            .unwrap(),
        vec![other, breach]
    );
    store.close().await;

    let store = Store::open(&path).await.unwrap().store;
    assert_eq!(
        store
            .record_alerts(&[warning, breach, other], now)
            .await
            .unwrap(),
        vec![]
    );
    // A new run of the clock (the customer wrote again) may alert again.
    let next_run = (
        TicketNumber(1),
        alert(SlaMetric::FirstResponse, AlertLevel::Warning, 70),
    );
    assert_eq!(
        store.record_alerts(&[next_run], now).await.unwrap(),
        vec![next_run]
    );
}

#[tokio::test]
async fn alerts_of_tickets_not_in_the_cache_are_not_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let store = cache_with_two_tickets(&dir.path().join("cache.sqlite")).await;
    let gone = (
        TicketNumber(99),
        alert(SlaMetric::Resolution, AlertLevel::Breached, 0),
    );
    let here = (
        TicketNumber(2),
        alert(SlaMetric::Resolution, AlertLevel::Breached, 0),
    );
    assert_eq!(
        store
            .record_alerts(&[gone, here], Timestamp(0))
            .await
            .unwrap(),
        vec![here]
    );
}

#[tokio::test]
async fn a_burst_larger_than_one_statement_is_recorded_whole() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("cache.sqlite"))
        .await
        .unwrap()
        .store;
    store.upsert_agents(&agents()).await.unwrap();
    store.upsert_customers(&customers()).await.unwrap();
    let threads: Vec<Thread> = (1..=2500)
        .map(|n| thread(n, "VM down", "since 14:05"))
        .collect();
    store.upsert_threads(&threads).await.unwrap();
    let burst: Vec<_> = (1..=2500)
        .map(|n| {
            (
                TicketNumber(n),
                alert(SlaMetric::Resolution, AlertLevel::Breached, 0),
            )
        })
        .collect();
    assert_eq!(
        store.record_alerts(&burst, Timestamp(0)).await.unwrap(),
        burst
    );
    assert_eq!(
        store.record_alerts(&burst, Timestamp(0)).await.unwrap(),
        vec![]
    );
}

#[tokio::test]
async fn preferences_round_trip_and_a_damaged_one_is_an_error() {
    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Sound {
        on: bool,
        name: String,
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite");
    let store = Store::open(&path).await.unwrap().store;
    assert_eq!(store.preference::<Sound>("sound").await.unwrap(), None);
    let sound = Sound {
        on: true,
        name: "колокол \"bell\"".into(),
    };
    store.set_preference("sound", &sound).await.unwrap();
    assert_eq!(store.preference("sound").await.unwrap(), Some(sound));
    store.close().await;

    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    sqlx::query("UPDATE preferences SET value = '{\"on\": 1' WHERE key = 'sound'")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let store = Store::open(&path).await.unwrap().store;
    let err = store.preference::<Sound>("sound").await.unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::BadRow {
                column: "sound",
                ..
            }
        ),
        "{err}"
    );
}
