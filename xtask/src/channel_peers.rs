//! The channel peers `cargo xtask run` starts beside the reference server
//! when no server configuration is given — the Telegram Bot API emulator
//! from tests/peers — and the configuration file that points the server's
//! gateways at them.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};

use crate::process::workspace_root;
use crate::reference_server::Background;

/// The demo bot's token; the emulator takes any.
const BOT_TOKEN: &str = "100000:shiftdesk-demo-bot";

/// The running peers (stopped when dropped) and the server configuration
/// that uses them.
pub struct ChannelPeers {
    _telegram: Background,
    pub config: PathBuf,
}

/// Starts the peers; their logs and the configuration go in `dir`.
pub fn start(dir: &Path) -> Result<ChannelPeers> {
    let (telegram, telegram_base) = telegram_emulator(dir)?;
    let token_file = dir.join("bot.token");
    std::fs::write(&token_file, BOT_TOKEN)?;
    let config = dir.join("channels.toml");
    std::fs::write(
        &config,
        format!(
            "# Written by `cargo xtask run`: the gateways talk to local peers.\n\
             [telegram]\napi_base = \"{telegram_base}\"\ntoken_file = \"bot.token\"\n"
        ),
    )?;
    println!(
        "    Telegram: a Bot API emulator at {telegram_base}. Write to the bot as a customer:\n      \
         curl -s {telegram_base}/control/customer -H 'content-type: application/json' \\\n        \
         -d '{{\"token\": \"{BOT_TOKEN}\", \"chat\": 4242, \"first_name\": \"Anna\", \"text\": \"My VM does not boot\"}}'\n      \
         and see what the bot sent: curl -s '{telegram_base}/control/sent?token={BOT_TOKEN}'"
    );
    Ok(ChannelPeers {
        _telegram: telegram,
        config,
    })
}

/// tests/peers/telegram.mjs on a free loopback port; its address.
pub fn telegram_emulator(dir: &Path) -> Result<(Background, String)> {
    let script = workspace_root().join("tests/peers/telegram.mjs");
    let log = dir.join("telegram-emulator.log");
    let mut child = Command::new("node")
        .arg(&script)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(File::create(&log).with_context(|| format!("{}", log.display()))?)
        .spawn()
        .with_context(|| format!("could not start node {}", script.display()))?;
    let stdout = child.stdout.take().context("the emulator's output")?;
    let emulator = Background::new(child);
    let mut stdout = BufReader::new(stdout);
    let mut line = String::new();
    stdout.read_line(&mut line)?;
    // Whatever it prints later is drained, so it never blocks on a full pipe.
    std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
    let Some(port) = line.trim().strip_prefix("listening ") else {
        bail!("the Telegram emulator did not start: see {}", log.display());
    };
    Ok((emulator, format!("http://127.0.0.1:{port}")))
}
