//! The reference server as separate processes: on a fresh database for the
//! schemathesis check and the server benchmark, and on the app's own
//! database beside the app in `cargo xtask run`.

use std::fs::File;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::process::{self, workspace_root};

/// How long a background process has to stop after SIGTERM before it is killed.
const STOP_GRACE: Duration = Duration::from_secs(5);

/// A server binary, its database and its configuration file, if any.
pub struct ServerDb {
    bin: PathBuf,
    db: PathBuf,
    config: Option<PathBuf>,
}

/// A process in the background (`serve`, `simulate`, a channel peer).
/// Dropping it asks it to stop with SIGTERM, waits, and kills it if it has
/// not stopped within [`STOP_GRACE`].
pub struct Background {
    child: Child,
}

/// A running `serve`.
pub struct Running {
    _process: Background,
    pub base: String,
}

impl Background {
    pub fn new(child: Child) -> Self {
        Self { child }
    }

    /// How it ended, if it already has.
    pub fn exited(&mut self) -> Result<Option<ExitStatus>> {
        Ok(self.child.try_wait()?)
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(Some(_))) {
            return;
        }
        // std sends only SIGKILL; kill(1) sends SIGTERM, so the server can
        // finish its requests and close its database cleanly.
        let _ = Command::new("kill")
            .args(["-s", "TERM", &self.child.id().to_string()])
            .stderr(Stdio::null())
            .status();
        let asked = Instant::now();
        while asked.elapsed() < STOP_GRACE {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Builds the server (release or debug); the binary's path.
pub fn build(release: bool) -> Result<PathBuf> {
    let profile = if release { "release" } else { "debug" };
    let mut args = vec!["build", "--quiet", "-p", "shiftdesk-server"];
    if release {
        args.push("--release");
    }
    process::step(
        &format!("Building the reference server ({profile})"),
        process::cargo(&args),
    )?;
    Ok(binary(profile))
}

/// Where cargo puts the server binary of `profile` ("debug", "release").
pub fn binary(profile: &str) -> PathBuf {
    process::build_dir().join(profile).join("shiftdesk-server")
}

impl ServerDb {
    /// Builds the server (release or debug) and starts an empty database in
    /// `target/<folder>`, removing what an earlier run left there.
    pub fn fresh(release: bool, folder: &str) -> Result<Self> {
        let bin = build(release)?;
        let dir = workspace_root().join("target").join(folder);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)?;
        Ok(Self::at(bin, dir.join("server.sqlite")))
    }

    /// The server binary `bin` on the database file `db`.
    pub fn at(bin: PathBuf, db: PathBuf) -> Self {
        Self {
            bin,
            db,
            config: None,
        }
    }

    /// The same, reading `config` too (the channel gateways' settings).
    pub fn with_config(self, config: PathBuf) -> Self {
        Self {
            config: Some(config),
            ..self
        }
    }

    /// The database file.
    pub fn db(&self) -> &Path {
        &self.db
    }

    /// Runs a `shiftdesk-server` subcommand on this database; its output.
    pub fn cli(&self, args: &[&str]) -> Result<String> {
        let out = self.command(args).output()?;
        if !out.status.success() {
            bail!(
                "shiftdesk-server {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Ok(String::from_utf8(out.stdout)?)
    }

    /// Serves this database on a free loopback port, once it accepts
    /// connections; its output is dropped.
    pub fn serve(&self) -> Result<Running> {
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        self.serve_on(port, None)
    }

    /// Serves this database on loopback `port`, once it accepts connections;
    /// its log goes to `log` (or nowhere).
    pub fn serve_on(&self, port: u16, log: Option<&Path>) -> Result<Running> {
        let listen = format!("127.0.0.1:{port}");
        let mut process = self.spawn(&["serve", "--listen", &listen], log)?;
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Some(status) = process.exited()? {
                bail!(
                    "the reference server stopped at once ({status}){}",
                    see(log)
                );
            }
            if started.elapsed() > Duration::from_secs(20) {
                bail!("the reference server did not start{}", see(log));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(Running {
            _process: process,
            base: format!("http://{listen}"),
        })
    }

    /// Starts a long-running subcommand on this database; its log goes to
    /// `log` (or nowhere).
    pub fn spawn(&self, args: &[&str], log: Option<&Path>) -> Result<Background> {
        let mut cmd = self.command(args);
        cmd.stdin(Stdio::null());
        match log {
            Some(path) => {
                let file = File::create(path).with_context(|| format!("{}", path.display()))?;
                // A log file is read with less and grep: no colour codes.
                cmd.env("NO_COLOR", "1")
                    .stdout(file.try_clone()?)
                    .stderr(file);
            }
            None => {
                cmd.env("RUST_LOG", "warn")
                    .stdout(Stdio::null())
                    .stderr(Stdio::null());
            }
        }
        let child = cmd
            .spawn()
            .with_context(|| format!("could not start {}", self.bin.display()))?;
        Ok(Background::new(child))
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(&self.bin);
        cmd.arg("--db").arg(&self.db);
        if let Some(config) = &self.config {
            cmd.arg("--config").arg(config);
        }
        cmd.args(args);
        cmd
    }
}

fn see(log: Option<&Path>) -> String {
    log.map(|l| format!(": see {}", l.display()))
        .unwrap_or_default()
}

/// The token `agent token` printed.
pub fn token_of(printed: &str) -> Result<String> {
    printed
        .lines()
        .find_map(|l| l.strip_prefix("token "))
        .map(str::to_owned)
        .context("no token printed")
}

/// The one-time code `agent add` or `agent reset` printed.
pub fn sign_in_code(printed: &str) -> Result<String> {
    printed
        .lines()
        .find_map(|l| l.strip_prefix("sign-in code "))
        .map(str::to_owned)
        .context("no sign-in code printed")
}
