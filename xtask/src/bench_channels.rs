//! `cargo xtask bench channels`: how fast the gateways take in what waits
//! for them, against the same local peers `cargo xtask run` uses. The
//! gateways run in this process on a demo desk's database file; the peers
//! run in theirs.

use std::path::Path;
use std::time::Instant;

use anyhow::{ensure, Context, Result};
use serde_json::json;
use shiftdesk_server::channels::telegram::{TelegramGateway, TelegramSettings};
use shiftdesk_server::{AppState, Db};

use crate::bench::emit;
use crate::channel_peers;
use crate::process::workspace_root;

/// Messages waiting at the peer when a round starts.
const WAITING: usize = 1_000;
/// Customers they come from: some open tickets, most write again.
const CUSTOMERS: usize = 250;
const ROUNDS: usize = 3;

pub async fn run() -> Result<()> {
    let dir = workspace_root().join("target/bench/channels");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let db = Db::open(&dir.join("server.sqlite")).await?;
    shiftdesk_server::seed::demo(
        &db,
        &shiftdesk_demo::DemoConfig {
            seed: 11,
            tickets: 2_000,
            now: crate::setup::now(),
        },
    )
    .await?;
    let state = AppState::new(db.clone());
    telegram(&state, &dir).await?;
    db.close().await;
    Ok(())
}

/// `telegram_ingest_msgs_per_s`: 1,000 waiting updates → messages committed.
async fn telegram(state: &AppState, dir: &Path) -> Result<()> {
    let (_emulator, base) = channel_peers::telegram_emulator(dir)?;
    let token = "200000:bench-bot";
    let gateway = TelegramGateway::new(
        state.clone(),
        &TelegramSettings {
            api_base: format!("{base}/").parse()?,
            token: token.into(),
            long_poll: std::time::Duration::ZERO,
        },
    )?;
    let http = reqwest::Client::new();
    let mut rates = Vec::new();
    for round in 0..ROUNDS {
        for i in 0..WAITING {
            let chat = 10_000_000 + (round * CUSTOMERS + i % CUSTOMERS) as i64;
            http.post(format!("{base}/control/customer"))
                .json(&json!({
                    "token": token,
                    "chat": chat,
                    "first_name": format!("Клиент {chat}"),
                    "text": format!("Сообщение {i}: не отвечает балансировщик, ошибка 502 на проекте prod-{chat}"),
                }))
                .send()
                .await?
                .error_for_status()?;
        }
        let started = Instant::now();
        let mut stored = 0;
        while stored < WAITING {
            let now_stored = gateway.receive_once().await?;
            ensure!(
                now_stored > 0,
                "the gateway stopped at {stored} of {WAITING} waiting messages"
            );
            stored += now_stored;
        }
        let rate = WAITING as f64 / started.elapsed().as_secs_f64();
        eprintln!("    round {}: {rate:.0} messages/s", round + 1);
        rates.push(rate);
    }
    emit("telegram_ingest_msgs_per_s", median(&mut rates)?, "msgs/s");
    Ok(())
}

fn median(values: &mut [f64]) -> Result<f64> {
    values.sort_by(f64::total_cmp);
    values
        .get(values.len() / 2)
        .copied()
        .context("no rounds ran")
}
