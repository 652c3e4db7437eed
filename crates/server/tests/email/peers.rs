//! The email gateway's real peers: Debian's Dovecot serving IMAP from a
//! throwaway configuration and maildir, and Debian's aiosmtpd as the SMTP
//! server (tests/peers/smtp.py) keeping what it accepts in a folder.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use async_imap::Session;
use futures_util::TryStreamExt;
use tokio::net::TcpStream;

use super::common::process::{free_port, wait_for_port};

pub const DOVECOT: &str = "/usr/sbin/dovecot";
/// Debian's Python, where `python3-aiosmtpd` is installed (not a pyenv one).
pub const PYTHON: &str = "/usr/bin/python3";
pub const USER: &str = "support@desk.test";
pub const PASSWORD: &str = "secret";

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
        let root = dir.path();
        // Dovecot's own users (dovenull, dovecot, mail) must reach in here.
        std::fs::set_permissions(root, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
        let mail = root.join("mail");
        std::fs::create_dir(&mail).unwrap();
        let (uid, gid) = mail_user();
        std::os::unix::fs::chown(&mail, Some(uid), Some(gid)).unwrap();
        std::fs::write(
            root.join("passwd"),
            format!("{USER}:{{PLAIN}}{PASSWORD}::::::\n"),
        )
        .unwrap();
        let port = free_port();
        let root = root.display();
        let config = format!(
            "protocols = imap\n\
             listen = 127.0.0.1\n\
             base_dir = {root}/run\n\
             state_dir = {root}/state\n\
             log_path = {root}/dovecot.log\n\
             ssl = no\n\
             disable_plaintext_auth = no\n\
             auth_mechanisms = plain login\n\
             default_login_user = dovenull\n\
             default_internal_user = dovecot\n\
             first_valid_uid = 1\n\
             first_valid_gid = 1\n\
             mail_location = maildir:{root}/mail/%u\n\
             mail_fsync = never\n\
             passdb {{\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u {root}/passwd\n}}\n\
             userdb {{\n  driver = static\n  args = uid=mail gid=mail home={root}/mail/%u\n}}\n\
             service imap-login {{\n  inet_listener imap {{\n    address = 127.0.0.1\n    port = {port}\n  }}\n  \
             inet_listener imaps {{\n    port = 0\n  }}\n}}\n"
        );
        let conf = dir.path().join("dovecot.conf");
        std::fs::write(&conf, config).unwrap();
        let child = Command::new(DOVECOT)
            .arg("-F")
            .arg("-c")
            .arg(&conf)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("dovecot starts");
        wait_for_port(port);
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

fn mail_user() -> (u32, u32) {
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap();
    let line = passwd
        .lines()
        .find(|l| l.starts_with("mail:"))
        .expect("a `mail` user");
    let fields: Vec<&str> = line.split(':').collect();
    (fields[2].parse().unwrap(), fields[3].parse().unwrap())
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
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/peers/smtp.py");
        let has_aiosmtpd = Command::new(PYTHON)
            .args(["-c", "import aiosmtpd"])
            .status()
            .is_ok_and(|s| s.success());
        assert!(
            has_aiosmtpd,
            "{PYTHON} cannot import aiosmtpd: apt-get install python3-aiosmtpd (cargo xtask test installs it)"
        );
        let folder = tempfile::tempdir().unwrap();
        let mut child = Command::new(PYTHON)
            .arg(&script)
            .arg(folder.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("python runs the SMTP peer");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .strip_prefix("listening ")
            .expect("the SMTP peer says its port")
            .parse()
            .unwrap();
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
