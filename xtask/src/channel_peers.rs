//! The channel peers `cargo xtask run` starts beside the reference server
//! when no server configuration is given — the Telegram Bot API emulator,
//! Dovecot as the support mailbox and aiosmtpd as the outgoing relay, all
//! from tests/peers — and the configuration file that points the server's
//! gateways at them and turns its phone webhook on.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};

use crate::process::workspace_root;
use crate::reference_server::Background;

/// The demo bot's token; the emulator takes any.
const BOT_TOKEN: &str = "100000:shiftdesk-demo-bot";
pub const DESK_ADDRESS: &str = "support@shiftdesk.test";
pub const MAILBOX_PASSWORD: &str = "shiftdesk-demo";
const PHONE_SECRET: &str = "shiftdesk-demo-telephony";
/// Debian's Python, where python3-aiosmtpd is installed.
const PYTHON: &str = "/usr/bin/python3";
const DOVECOT: &str = "/usr/sbin/dovecot";

/// The running peers (stopped when dropped) and the server configuration
/// that uses them.
pub struct ChannelPeers {
    _telegram: Background,
    telegram_base: String,
    mail: Option<MailPeers>,
    pub config: PathBuf,
}

struct MailPeers {
    _imap: Background,
    _smtp: Background,
    imap_port: u16,
    smtp_port: u16,
    sent_folder: PathBuf,
}

/// Starts the peers; their logs, state and the configuration go in `dir`.
pub fn start(dir: &Path) -> Result<ChannelPeers> {
    let (telegram, telegram_base) = telegram_emulator(dir)?;
    std::fs::write(dir.join("bot.token"), BOT_TOKEN)?;
    std::fs::write(dir.join("phone.secret"), PHONE_SECRET)?;
    let mut config = format!(
        "# Written by `cargo xtask run`: the gateways talk to local peers.\n\
         [telegram]\napi_base = \"{telegram_base}\"\ntoken_file = \"bot.token\"\n\n\
         [phone]\nwebhook_secret_file = \"phone.secret\"\n"
    );
    let mail = mail_peers(dir)?;
    if let Some(mail) = &mail {
        std::fs::write(dir.join("imap.password"), MAILBOX_PASSWORD)?;
        config.push_str(&format!(
            "\n[email]\naddress = \"{DESK_ADDRESS}\"\ndisplay_name = \"Shiftdesk Support\"\n\
             [email.imap]\nhost = \"127.0.0.1\"\nport = {}\nsecurity = \"plain\"\n\
             password_file = \"imap.password\"\npoll_secs = 30\n\
             [email.smtp]\nhost = \"127.0.0.1\"\nport = {}\nsecurity = \"plain\"\n",
            mail.imap_port, mail.smtp_port,
        ));
    }
    let path = dir.join("channels.toml");
    std::fs::write(&path, config)?;
    Ok(ChannelPeers {
        _telegram: telegram,
        telegram_base,
        mail,
        config: path,
    })
}

impl ChannelPeers {
    /// Tells the person at the terminal how to write in as a customer on
    /// each channel of the server at `server`.
    pub fn describe(&self, server: &str) {
        let telegram = &self.telegram_base;
        println!(
            "    Telegram: a Bot API emulator at {telegram}. Write to the bot as a customer:\n      \
             curl -s {telegram}/control/customer -H 'content-type: application/json' \\\n        \
             -d '{{\"token\": \"{BOT_TOKEN}\", \"chat\": 4242, \"first_name\": \"Anna\", \"text\": \"My VM does not boot\"}}'\n      \
             and see what the bot sent: curl -s '{telegram}/control/sent?token={BOT_TOKEN}'"
        );
        match &self.mail {
            Some(mail) => println!(
                "    Email: Dovecot holds the mailbox {DESK_ADDRESS}. Write to it as a customer:\n      \
                 {PYTHON} tests/peers/customer_mail.py {} {DESK_ADDRESS} {MAILBOX_PASSWORD} \\\n        \
                 'Anna <anna@customer.test>' 'Backups fail' 'Since last night every backup fails.'\n      \
                 Replies the desk sends are kept in {}",
                mail.imap_port,
                mail.sent_folder.display()
            ),
            None => println!(
                "    Email: off, because Dovecot or aiosmtpd is not installed \
                 (apt-get install dovecot-imapd python3-aiosmtpd; cargo xtask test installs them)"
            ),
        }
        println!(
            "    Phone: the telephony webhook takes calls. Ring the desk as a customer:\n      \
             curl -s {server}/v1/channels/phone/events -H 'authorization: Bearer {PHONE_SECRET}' \\\n        \
             -H 'content-type: application/json' -d '{{\"call_id\": \"demo-1\", \"event\": \"hung_up\", \
             \"direction\": \"inbound\", \"caller\": \"+7 912 345-67-89\", \"at\": 0, \"outcome\": \"no_answer\"}}'"
        );
    }
}

/// tests/peers/telegram.mjs on a free loopback port; its address.
pub fn telegram_emulator(dir: &Path) -> Result<(Background, String)> {
    let mut node = Command::new("node");
    node.arg(workspace_root().join("tests/peers/telegram.mjs"));
    let (emulator, port) = peer(
        node,
        &dir.join("telegram-emulator.log"),
        "the Telegram emulator",
    )?;
    Ok((emulator, format!("http://127.0.0.1:{port}")))
}

/// Dovecot and aiosmtpd, when both are installed.
fn mail_peers(dir: &Path) -> Result<Option<MailPeers>> {
    let has_aiosmtpd = Command::new(PYTHON)
        .args(["-c", "import aiosmtpd"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !(Path::new(DOVECOT).exists() && has_aiosmtpd) {
        return Ok(None);
    }
    // Dovecot's own users must reach the mailbox, and a home folder is
    // often closed to them.
    let uid = std::os::unix::fs::MetadataExt::uid(&std::fs::metadata("/proc/self")?);
    let mailbox = std::env::temp_dir().join(format!("shiftdesk-mailbox-{uid}"));
    let (imap, imap_port) = imap_peer(&mailbox, &dir.join("imap.log"))?;
    let sent_folder = dir.join("sent-mail");
    let mut smtp = Command::new(PYTHON);
    smtp.arg(workspace_root().join("tests/peers/smtp.py"))
        .arg(&sent_folder);
    let (smtp, smtp_port) = peer(smtp, &dir.join("smtp.log"), "the SMTP peer")?;
    Ok(Some(MailPeers {
        _imap: imap,
        _smtp: smtp,
        imap_port,
        smtp_port,
        sent_folder,
    }))
}

/// tests/peers/imap.py serving the desk's mailbox from `folder`.
pub fn imap_peer(folder: &Path, log: &Path) -> Result<(Background, u16)> {
    let mut imap = Command::new(PYTHON);
    imap.arg(workspace_root().join("tests/peers/imap.py"))
        .arg(folder)
        .args([DESK_ADDRESS, MAILBOX_PASSWORD]);
    peer(imap, log, "Dovecot")
}

/// Puts `count` mails from `senders` customers (numbered variants of
/// `from`) into the mailbox imap.py serves on `port`.
pub fn customer_mails(port: u16, from: &str, count: usize, senders: usize) -> Result<()> {
    let status = Command::new(PYTHON)
        .arg(workspace_root().join("tests/peers/customer_mail.py"))
        .arg(port.to_string())
        .args([DESK_ADDRESS, MAILBOX_PASSWORD, from, "Не проходит оплата"])
        .arg("Здравствуйте! Платёж по счёту не проходит, ошибка 502 на проекте prod.")
        .arg(count.to_string())
        .arg(senders.to_string())
        .stdout(Stdio::null())
        .status()?;
    if !status.success() {
        bail!("tests/peers/customer_mail.py failed ({status})");
    }
    Ok(())
}

/// Starts `command`, which prints `listening PORT` when it serves; its
/// other output goes to `log`.
fn peer(mut command: Command, log: &Path, what: &str) -> Result<(Background, u16)> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(File::create(log).with_context(|| format!("{}", log.display()))?)
        .spawn()
        .with_context(|| format!("could not start {what}"))?;
    let stdout = child.stdout.take().context("the peer's output")?;
    let background = Background::new(child);
    let mut stdout = BufReader::new(stdout);
    let mut line = String::new();
    stdout.read_line(&mut line)?;
    // Whatever it prints later is drained, so it never blocks on a full pipe.
    std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
    let Some(port) = line.trim().strip_prefix("listening ") else {
        bail!("{what} did not start: see {}", log.display());
    };
    Ok((background, port.parse()?))
}
