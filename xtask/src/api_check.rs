//! schemathesis (PyPI) against the live reference server with the committed
//! OpenAPI document: no 5xx, every response as documented, malformed input
//! refused.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::process::{self, available, workspace_root};

const SCHEMATHESIS: &str = "schemathesis==4.32.5";

/// What schemathesis checks: the server's own contract, not its taste in
/// numbers (JSON Schema calls 1.0 an integer; the API, like serde, does not).
const CHECKS: &str = "not_a_server_error,status_code_conformance,content_type_conformance,\
                      response_schema_conformance,negative_data_rejection";

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn run() -> Result<()> {
    if !available("schemathesis", "--version") {
        let mut pip = Command::new("python3");
        pip.args(["-m", "pip", "install", "--quiet", SCHEMATHESIS]);
        process::step("Installing schemathesis", pip)?;
    }
    process::step(
        "Building the reference server",
        process::cargo(&["build", "-p", "shiftdesk-server"]),
    )?;
    let server_bin = workspace_root().join("target/debug/shiftdesk-server");
    let dir = workspace_root().join("target/api-check");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let db = dir.join("server.sqlite");
    let cli = |args: &[&str]| -> Result<String> {
        let out = Command::new(&server_bin)
            .arg("--db")
            .arg(&db)
            .args(args)
            .output()?;
        if !out.status.success() {
            bail!(
                "shiftdesk-server {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Ok(String::from_utf8(out.stdout)?)
    };
    cli(&["demo", "--tickets", "200"])?;
    let token = cli(&["agent", "token", "--id", "1"])?;
    let token = token
        .trim()
        .strip_prefix("token ")
        .context("no token printed")?
        .to_owned();

    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let _server = Server(
        Command::new(&server_bin)
            .arg("--db")
            .arg(&db)
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?,
    );
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if started.elapsed() > Duration::from_secs(20) {
            bail!("the reference server did not start");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut check = Command::new("schemathesis");
    check
        .arg("run")
        .arg(workspace_root().join("docs/openapi.json"))
        .args(["--url", &format!("http://127.0.0.1:{port}")])
        .args(["--header", &format!("Authorization: Bearer {token}")])
        .args(["--checks", CHECKS, "--max-examples", "50", "--seed", "1"]);
    process::step("schemathesis against the live server", check)
}
