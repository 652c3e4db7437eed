//! The reference server as a separate process on a fresh database: what the
//! schemathesis check and the server benchmark both drive.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::process::{self, workspace_root};

/// A server binary and a database under `target/<folder>`.
pub struct ServerDb {
    bin: PathBuf,
    db: PathBuf,
}

/// A running `serve`; ended when dropped.
pub struct Running {
    child: Child,
    pub base: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl ServerDb {
    /// Builds the server (release or debug) and starts an empty database in
    /// `target/<folder>`, removing what an earlier run left there.
    pub fn fresh(release: bool, folder: &str) -> Result<Self> {
        let profile = if release { "release" } else { "debug" };
        let mut args = vec!["build", "--quiet", "-p", "shiftdesk-server"];
        if release {
            args.push("--release");
        }
        process::step(
            &format!("Building the reference server ({profile})"),
            process::cargo(&args),
        )?;
        let dir = workspace_root().join("target").join(folder);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)?;
        Ok(Self {
            bin: workspace_root()
                .join("target")
                .join(profile)
                .join("shiftdesk-server"),
            db: dir.join("server.sqlite"),
        })
    }

    /// Runs a `shiftdesk-server` subcommand on this database; its output.
    pub fn cli(&self, args: &[&str]) -> Result<String> {
        let out = Command::new(&self.bin)
            .arg("--db")
            .arg(&self.db)
            .args(args)
            .output()?;
        if !out.status.success() {
            bail!(
                "shiftdesk-server {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Ok(String::from_utf8(out.stdout)?)
    }

    /// Serves this database on a free loopback port, once it accepts connections.
    pub fn serve(&self) -> Result<Running> {
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let child = Command::new(&self.bin)
            .arg("--db")
            .arg(&self.db)
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let running = Running {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if started.elapsed() > Duration::from_secs(20) {
                bail!("the reference server did not start");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(running)
    }
}

/// The token a `agent add` or `agent token` printed.
pub fn token_of(printed: &str) -> Result<String> {
    printed
        .lines()
        .find_map(|l| l.strip_prefix("token "))
        .map(str::to_owned)
        .context("no token printed")
}
