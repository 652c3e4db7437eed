//! The reference server binary beside the command-line binary, for the
//! command line's tests: its CLI on a database, and `serve` on a loopback
//! port. And where a data folder's current account keeps its cache.

#![allow(dead_code, clippy::unwrap_used)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use shiftdesk_engine::accounts::AccountBook;

pub const APP: &str = env!("CARGO_BIN_EXE_shiftdesk");

pub fn server_bin() -> PathBuf {
    let bin = Path::new(APP).with_file_name("shiftdesk-server");
    assert!(
        bin.exists(),
        "{} is missing: `cargo build -p shiftdesk-server` first",
        bin.display()
    );
    bin
}

pub fn server_cli(db: &Path, args: &[&str]) -> String {
    let out = Command::new(server_bin())
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

pub fn serve(db: &Path, port: u16) -> Child {
    let child = Command::new(server_bin())
        .arg("--db")
        .arg(db)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the server did not start"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child
}

/// A loopback port nobody listens on (yet).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The token `agent token` printed.
pub fn token_of(printed: &str) -> String {
    printed
        .lines()
        .find_map(|l| l.strip_prefix("token ").map(str::to_owned))
        .unwrap()
}

/// `shiftdesk args…` on the data folder `data`, its output captured.
pub fn shiftdesk(data: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(APP);
    command
        .args(args)
        .env("SHIFTDESK_DATA_DIR", data)
        .env_remove("SHIFTDESK_API_TOKEN")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// Signs `data` in to the server on loopback `port`, the token kept in
/// `token_file`.
pub fn login(data: &Path, port: u16, token: &str, token_file: &Path) {
    let mut child = shiftdesk(
        data,
        &[
            "login",
            "--server",
            &format!("http://127.0.0.1:{port}"),
            "--token-stdin",
            "--token-file",
            token_file.to_str().unwrap(),
        ],
    )
    .stdin(Stdio::piped())
    .spawn()
    .unwrap();
    writeln!(child.stdin.take().unwrap(), "{token}").unwrap();
    let login = child.wait_with_output().unwrap();
    assert!(
        login.status.success(),
        "{}",
        String::from_utf8_lossy(&login.stderr)
    );
}

/// The cache of the account `data` works as now, found through the
/// account book as the command line finds it.
pub fn cache_file(data: &Path) -> PathBuf {
    let book = AccountBook::open(data).unwrap();
    book.cache_file(book.current().expect("signed in"))
}
