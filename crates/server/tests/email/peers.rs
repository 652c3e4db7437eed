//! The email gateway's real peers: Debian's Dovecot serving IMAP from a
//! throwaway configuration and maildir, and Debian's aiosmtpd as the SMTP
//! server (tests/peers/smtp.py) keeping what it accepts in a folder.

use std::path::{Path, PathBuf};
use std::process::{Child, Command};

use async_imap::Session;
use futures_util::TryStreamExt;
use tokio::net::TcpStream;

use super::common::process::listening_peer;

pub const DOVECOT: &str = "/usr/sbin/dovecot";
/// Debian's Python, where `python3-aiosmtpd` is installed (not a pyenv one).
pub const PYTHON: &str = "/usr/bin/python3";
pub const USER: &str = "support@desk.test";
pub const PASSWORD: &str = "secret";

/// Runs tests/peers/`script` with Debian's Python; the peer and the port
/// it says it listens on.
fn peer(script: &str, args: &[&str]) -> (Child, u16) {
    let mut command = Command::new(PYTHON);
    command
        .arg(
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../tests/peers")
                .join(script),
        )
        .args(args);
    listening_peer(command, script)
}

/// Stops a peer as an operator would, so Dovecot takes its children along.
fn stop(child: &mut Child) {
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();
}

/// Dovecot on a loopback port with one mailbox, `USER`.
pub struct Dovecot {
    child: Child,
    pub port: u16,
    dir: tempfile::TempDir,
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        stop(&mut self.child);
    }
}

impl Dovecot {
    pub fn start() -> Self {
        assert!(
            Path::new(DOVECOT).exists(),
            "Dovecot is not installed: apt-get install dovecot-imapd (cargo xtask test installs it)"
        );
        let dir = tempfile::tempdir().unwrap();
        let (child, port) = peer("imap.py", &[dir.path().to_str().unwrap(), USER, PASSWORD]);
        Self { child, port, dir }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("dovecot.log")).unwrap_or_default()
    }

    /// A session of the test itself on INBOX, to put mail in and look.
    pub async fn session(&self) -> Session<TcpStream> {
        let tcp = TcpStream::connect(("127.0.0.1", self.port)).await.unwrap();
        let mut client = async_imap::Client::new(tcp);
        client.read_response().await.unwrap().unwrap();
        let mut session = client.login(USER, PASSWORD).await.map_err(|e| e.0).unwrap();
        session.select("INBOX").await.unwrap();
        session
    }
}

/// Puts `mails` into INBOX, unseen, as a mail server delivering them would.
pub async fn deliver(session: &mut Session<TcpStream>, mails: &[Vec<u8>]) {
    for mail in mails {
        session.append("INBOX", None, None, mail).await.unwrap();
    }
}

pub async fn unseen(session: &mut Session<TcpStream>) -> usize {
    // Takes in what other sessions (the gateway's) changed meanwhile.
    session.noop().await.unwrap();
    session.uid_search("UNSEEN").await.unwrap().len()
}

/// Takes \Seen off every mail: what a crash between a commit and marking
/// the mails seen leaves.
pub async fn forget_seen(session: &mut Session<TcpStream>) {
    let updates = session
        .uid_store("1:*", "-FLAGS.SILENT (\\Seen)")
        .await
        .unwrap();
    let _: Vec<_> = updates.try_collect().await.unwrap();
}

/// aiosmtpd keeping each accepted mail in a folder.
pub struct Smtp {
    child: Child,
    pub port: u16,
    folder: tempfile::TempDir,
}

impl Drop for Smtp {
    fn drop(&mut self) {
        stop(&mut self.child);
    }
}

/// A mail the SMTP peer accepted.
pub struct Received {
    pub raw: Vec<u8>,
    pub recipients: Vec<String>,
}

impl Smtp {
    pub fn start() -> Self {
        let has_aiosmtpd = Command::new(PYTHON)
            .args(["-c", "import aiosmtpd"])
            .status()
            .is_ok_and(|s| s.success());
        assert!(
            has_aiosmtpd,
            "{PYTHON} cannot import aiosmtpd: apt-get install python3-aiosmtpd (cargo xtask test installs it)"
        );
        let folder = tempfile::tempdir().unwrap();
        let (child, port) = peer("smtp.py", &[folder.path().to_str().unwrap()]);
        Self {
            child,
            port,
            folder,
        }
    }

    /// `accept`, `refuse` (550) or `drop` (no answer to DATA).
    pub fn answer(&self, mode: &str) {
        std::fs::write(self.folder.path().join("mode"), mode).unwrap();
    }

    /// What it accepted, in order.
    pub fn received(&self) -> Vec<Received> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(self.folder.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .collect();
        names.sort();
        names
            .into_iter()
            .map(|eml| Received {
                raw: std::fs::read(&eml).unwrap(),
                recipients: std::fs::read_to_string(eml.with_extension("rcpt"))
                    .unwrap()
                    .lines()
                    .map(str::to_owned)
                    .collect(),
            })
            .collect()
    }
}
