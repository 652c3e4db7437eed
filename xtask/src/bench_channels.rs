//! `cargo xtask bench channels`: how fast the gateways take in what waits
//! for them (1,000 Telegram updates, 1,000 mails from 250 customers),
//! against the same local peers `cargo xtask run` uses. The
//! gateways run in this process on a demo desk's database file; the peers
//! run in theirs.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{ensure, Context, Result};
use serde_json::json;
use shiftdesk_server::channels::email::{
    EmailGateway, EmailSettings, ImapSettings, Security, SmtpSettings,
};
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
    imap(&state, &dir).await?;
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
        rates.push(take_in(round, || async { Ok(gateway.receive_once().await?) }).await?);
    }
    emit("telegram_ingest_msgs_per_s", median(&mut rates)?, "msgs/s");
    Ok(())
}

/// `imap_ingest_msgs_per_s`: 1,000 waiting mails → tickets committed.
async fn imap(state: &AppState, dir: &Path) -> Result<()> {
    // Under the temp folder, where Dovecot's own users reach it.
    let mailbox = tempfile_dir("shiftdesk-bench-mailbox")?;
    let (_dovecot, port) = channel_peers::imap_peer(&mailbox, &dir.join("imap.log"))?;
    let settings = EmailSettings {
        imap: ImapSettings {
            host: "127.0.0.1".into(),
            port,
            user: channel_peers::DESK_ADDRESS.into(),
            password: channel_peers::MAILBOX_PASSWORD.into(),
            mailbox: "INBOX".into(),
            poll_interval: std::time::Duration::from_secs(60),
            security: Security::Plain,
        },
        // Nothing is sent here.
        smtp: SmtpSettings {
            host: "127.0.0.1".into(),
            port: 9,
            user: None,
            password: None,
            security: Security::Plain,
            timeout: std::time::Duration::from_secs(5),
        },
        address: channel_peers::DESK_ADDRESS.into(),
        display_name: None,
        domain: "shiftdesk.test".into(),
        max_mail_bytes: EmailSettings::DEFAULT_MAX_MAIL_BYTES,
    };
    let gateway = EmailGateway::new(state.clone(), &settings)?;
    let mut rates = Vec::new();
    for round in 0..ROUNDS {
        channel_peers::customer_mails(
            port,
            &format!("Клиент {round} <customer{round}@bench.test>"),
            WAITING,
            CUSTOMERS,
        )?;
        rates.push(take_in(round, || async { Ok(gateway.receive_once().await?) }).await?);
    }
    let _ = std::fs::remove_dir_all(&mailbox);
    emit("imap_ingest_msgs_per_s", median(&mut rates)?, "msgs/s");
    Ok(())
}

/// Calls `receive` until the [`WAITING`] messages are committed; the
/// messages a second.
async fn take_in<F, Fut>(round: usize, mut receive: F) -> Result<f64>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<usize>>,
{
    let started = Instant::now();
    let mut stored = 0;
    while stored < WAITING {
        let now_stored = receive().await?;
        ensure!(
            now_stored > 0,
            "the gateway stopped at {stored} of {WAITING} waiting messages"
        );
        stored += now_stored;
    }
    let rate = WAITING as f64 / started.elapsed().as_secs_f64();
    eprintln!("    round {}: {rate:.0} messages/s", round + 1);
    Ok(rate)
}

/// A fresh folder named `name` under the temp folder.
fn tempfile_dir(name: &str) -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

fn median(values: &mut [f64]) -> Result<f64> {
    values.sort_by(f64::total_cmp);
    values
        .get(values.len() / 2)
        .copied()
        .context("no rounds ran")
}
