//! What a fresh Debian/Ubuntu machine lacks, per xtask command: system
//! libraries for the webview, the peers and buses the tests talk to, the
//! WebDriver pieces, the npm packages, tauri-driver; and a demo cache on
//! first start. xtask itself links no system library (a test holds it to
//! that), so it builds on a bare machine and installs these first.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::process::{self, available};

/// What building and running the app needs. `libdbus-1-dev`: the window
/// library (tao) links libdbus.
pub const APP_PACKAGES: &[&str] = &[
    "pkg-config",
    "libwebkit2gtk-4.1-dev",
    "libayatana-appindicator3-dev",
    "librsvg2-dev",
    "libxdo-dev",
    "libdbus-1-dev",
    "xvfb",
    "fonts-dejavu-core",
];

/// A private D-Bus session bus and a Secret Service on it: the desktop
/// notifications and keyring tests.
pub const BUS_PACKAGES: &[&str] = &["dbus", "dbus-x11", "gnome-keyring"];

/// Dovecot (IMAP) and aiosmtpd (SMTP), the email gateway's peers.
pub const MAIL_PACKAGES: &[&str] = &["dovecot-imapd", "python3-aiosmtpd"];

/// Programs the Rust tests call: Debian's sqlite3, which must open the
/// cache.
pub const TOOL_PACKAGES: &[&str] = &["sqlite3"];

/// The WebKit WebDriver behind tauri-driver.
pub const WEBDRIVER_PACKAGES: &[&str] = &["webkit2gtk-driver"];

/// What one xtask command needs on the machine before it builds anything
/// that links a system library or starts a peer.
#[derive(Debug, Clone, Copy, Default)]
pub struct Needs {
    /// Groups of Debian packages.
    pub packages: &'static [&'static [&'static str]],
    /// The UI's npm packages and the built UI (the app embeds it).
    pub ui: bool,
    /// The channel peers' npm packages.
    pub peers: bool,
    pub tauri_driver: bool,
}

impl Needs {
    /// Installs whatever of it the machine lacks.
    pub fn install(&self) -> Result<()> {
        system_packages(&self.packages.concat())?;
        if self.ui {
            ui_dependencies()?;
            process::step("Building the UI", process::npm(&["run", "build"]))?;
        }
        if self.peers {
            peer_dependencies()?;
        }
        if self.tauri_driver {
            tauri_driver()?;
        }
        Ok(())
    }
}

/// Installs the Debian packages of `wanted` that are not installed yet.
fn system_packages(wanted: &[&str]) -> Result<()> {
    let missing: Vec<&str> = wanted
        .iter()
        .copied()
        .filter(|p| !dpkg_installed(p))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    if !available("apt-get", "--version") {
        bail!(
            "these system packages are missing and this is not a Debian/Ubuntu machine: {}",
            missing.join(" ")
        );
    }
    let apt = |args: &[&str]| {
        let mut cmd = as_root("apt-get");
        cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        cmd
    };
    process::step("apt-get update", apt(&["update", "-q"]))?;
    let mut install = vec!["install", "-y", "-q", "--no-install-recommends"];
    install.extend(&missing);
    process::step(&format!("Installing {}", missing.join(" ")), apt(&install))
}

/// `program` as root: itself when xtask runs as root, else through sudo.
pub fn as_root(program: &str) -> Command {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    if root {
        Command::new(program)
    } else {
        let mut sudo = Command::new("sudo");
        sudo.arg(program);
        sudo
    }
}

pub fn dpkg_installed(package: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", package])
        .output()
        .is_ok_and(|o| o.status.success() && o.stdout.ends_with(b"install ok installed"))
}

/// The UI's npm packages.
fn ui_dependencies() -> Result<()> {
    npm_packages("ui", "the UI's")
}

/// The channel peers' npm packages (the Telegram Bot API emulator).
fn peer_dependencies() -> Result<()> {
    npm_packages("tests/peers", "the test peers'")
}

/// `npm ci` in `folder` when node_modules is missing or older than the
/// lock file.
fn npm_packages(folder: &str, whose: &str) -> Result<()> {
    if !available("npm", "--version") {
        bail!("Node.js and npm are needed to build the UI: install Node.js 20.19 or newer");
    }
    let dir = process::workspace_root().join(folder);
    let installed = dir.join("node_modules/.package-lock.json");
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let fresh = match (
        modified(&installed),
        modified(&dir.join("package-lock.json")),
    ) {
        (Some(installed), Some(lock)) => installed >= lock,
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    process::step(
        &format!("Installing {whose} npm packages"),
        process::npm_in(folder, &["ci", "--no-audit", "--no-fund"]),
    )
}

/// tauri-driver (crates.io) stands between WebDriver clients and WebKitWebDriver.
fn tauri_driver() -> Result<()> {
    if available("tauri-driver", "--help") || cargo_bin("tauri-driver").exists() {
        return Ok(());
    }
    process::step(
        "Installing tauri-driver",
        process::cargo(&["install", "tauri-driver", "--version", "^2", "--locked"]),
    )
}

/// A program cargo installed, whether or not ~/.cargo/bin is on PATH.
pub fn cargo_bin(name: &str) -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_default();
    home.join("bin").join(name)
}

/// Where the app keeps its cache: the same folder Tauri picks for the app's
/// identifier, unless SHIFTDESK_DATA_DIR says otherwise.
pub fn data_dir() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os("SHIFTDESK_DATA_DIR") {
        return Ok(PathBuf::from(dir));
    }
    let base = match std::env::var_os("XDG_DATA_HOME") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => {
            PathBuf::from(std::env::var_os("HOME").context("HOME is not set")?).join(".local/share")
        }
    };
    Ok(base.join("dev.shiftdesk.console"))
}

pub fn now() -> shiftdesk_domain::Timestamp {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    shiftdesk_domain::Timestamp(ms)
}
