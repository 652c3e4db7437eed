//! The packages `cargo xtask package` built, installed on this machine as
//! an agent and an operator would: `dpkg -i`, then `apt-get -f install`
//! for their dependencies. The installed `shiftdesk` runs; the installed
//! server starts from its unit's ExecStart, as its own user, with the
//! packaged configuration, and answers `/v1/me` for an agent added with
//! the installed `shiftdesk-server agent add`. Then both are purged, and
//! nothing of them may be left but the data folder. systemd need not run here: the unit is checked with
//! `systemd-analyze verify`.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context, Result};

use crate::package::Packages;
use crate::process;
use crate::reference_server::{sign_in_code, Background};
use crate::setup::{as_root, dpkg_installed, Needs};

/// The desktop entry's validator, and systemd for `systemd-analyze
/// verify` (it is not started).
pub const NEEDS: Needs = Needs {
    packages: &[&["desktop-file-utils", "systemd"]],
    ui: false,
    peers: false,
    tauri_driver: false,
};

const DESKTOP: &str = "shiftdesk";
const SERVER: &str = "shiftdesk-server";
const UNIT: &str = "/usr/lib/systemd/system/shiftdesk-server.service";
const CONFIG: &str = "/etc/shiftdesk/server.toml";
const DATA: &str = "/var/lib/shiftdesk";

pub fn run(packages: &Packages) -> Result<()> {
    for package in [DESKTOP, SERVER] {
        // The test purges what it installs: never an installation of the
        // machine's own.
        ensure!(
            !dpkg_installed(package),
            "{package} is installed on this machine; the package test installs and purges it: \
             remove it first (apt-get purge {package})"
        );
    }

    println!("\n==> Installing the packages");
    // dpkg stops at missing dependencies; apt-get -f brings them.
    let _ = as_root("dpkg")
        .arg("-i")
        .arg(&packages.desktop_deb)
        .arg(&packages.server_deb)
        .status()?;
    let mut fix = as_root("apt-get");
    fix.args(["-f", "install", "-y", "-q"])
        .env("DEBIAN_FRONTEND", "noninteractive");
    process::step("apt-get -f install", fix)?;
    for package in [DESKTOP, SERVER] {
        ensure!(dpkg_installed(package), "{package} did not install");
    }
    let installed: BTreeMap<&str, Vec<String>> = [DESKTOP, SERVER]
        .into_iter()
        .map(|p| Ok((p, files_of(p)?)))
        .collect::<Result<_>>()?;

    let checked = installed_works();
    // Purged whatever the checks found, so the machine is left as it was.
    let purged = purge(&installed);
    checked?;
    purged
}

/// The files and folders `package` installed, by dpkg's list.
fn files_of(package: &str) -> Result<Vec<String>> {
    let out = Command::new("dpkg").args(["-L", package]).output()?;
    ensure!(out.status.success(), "dpkg -L {package}");
    Ok(String::from_utf8(out.stdout)?
        .lines()
        .map(str::to_owned)
        .collect())
}

fn installed_works() -> Result<()> {
    let version = Command::new("shiftdesk").arg("--version").output()?;
    let said = String::from_utf8_lossy(&version.stdout);
    ensure!(
        version.status.success()
            && said.trim() == format!("shiftdesk {}", env!("CARGO_PKG_VERSION")),
        "shiftdesk --version: {said}"
    );
    println!("\n==> {} on PATH", said.trim());
    let desktop_entry = files_of(DESKTOP)?
        .into_iter()
        .find(|f| f.starts_with("/usr/share/applications/") && f.ends_with(".desktop"))
        .context("the desktop package has no desktop entry")?;
    let mut validate = Command::new("desktop-file-validate");
    validate.arg(&desktop_entry);
    process::step(&format!("desktop-file-validate {desktop_entry}"), validate)?;
    let mut verify = Command::new("systemd-analyze");
    verify.args(["verify", UNIT]);
    process::step("systemd-analyze verify", verify)?;

    let unit = Unit::read(Path::new(UNIT))?;
    let config = std::fs::read_to_string(CONFIG)?;
    let listen = config
        .lines()
        .find_map(|l| l.strip_prefix("listen = "))
        .map(|v| v.trim_matches('"').to_owned())
        .context("the packaged configuration names where to listen")?;
    ensure!(
        std::net::TcpStream::connect(&listen).is_err(),
        "something already listens on {listen}, where the packaged server would"
    );
    println!(
        "\n==> The unit's ExecStart as {}: {}",
        unit.user,
        unit.exec_start.join(" ")
    );
    let _server = Background::new(
        unit.command(&unit.exec_start)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .context("starting the installed server")?,
    );
    let started = Instant::now();
    while std::net::TcpStream::connect(&listen).is_err() {
        ensure!(
            started.elapsed() < Duration::from_secs(20),
            "the installed server did not listen on {listen}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let added = unit
        .command(&[
            "/usr/bin/shiftdesk-server",
            "--config",
            CONFIG,
            "agent",
            "add",
            "--name",
            "Installed Agent",
            "--login",
            "installed@shiftdesk.example",
        ])
        .output()?;
    ensure!(
        added.status.success(),
        "agent add: {}",
        String::from_utf8_lossy(&added.stderr)
    );
    let code = sign_in_code(&String::from_utf8(added.stdout)?)?;
    let me: serde_json::Value = tokio::runtime::Runtime::new()?.block_on(async {
        let http = reqwest::Client::new();
        let signed_in: serde_json::Value = http
            .post(format!("http://{listen}/v1/sessions"))
            .json(&serde_json::json!({
                "method": "code",
                "code": code,
                "new_password": "installed and signed in",
                "device": "package test",
            }))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        let token = signed_in["token"]
            .as_str()
            .context("a sign-in gives a token")?;
        let answer = http
            .get(format!("http://{listen}/v1/me"))
            .bearer_auth(token)
            .send()
            .await?
            .error_for_status()?;
        anyhow::Ok(answer.json().await?)
    })?;
    ensure!(me["name"] == "Installed Agent", "/v1/me answered {me}");
    println!("    /v1/me: {me}");
    Ok(())
}

/// What the test needs of the unit: how systemd would start it.
struct Unit {
    exec_start: Vec<String>,
    user: String,
    group: String,
    working_directory: String,
}

impl Unit {
    fn read(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path)?;
        let key = |name: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(&format!("{name}=")))
                .map(str::to_owned)
                .with_context(|| format!("{} has no {name}=", path.display()))
        };
        Ok(Self {
            exec_start: key("ExecStart")?
                .split_whitespace()
                .map(str::to_owned)
                .collect(),
            user: key("User")?,
            group: key("Group")?,
            working_directory: key("WorkingDirectory")?,
        })
    }

    /// `argv` as the unit's user and group, in its folder, with its umask.
    fn command(&self, argv: &[impl AsRef<std::ffi::OsStr>]) -> Command {
        let mut command = as_root("setpriv");
        command
            .args([
                "--reuid",
                &self.user,
                "--regid",
                &self.group,
                "--init-groups",
                "--",
            ])
            .args(argv)
            .current_dir(&self.working_directory);
        command
    }
}

/// Purges both packages; nothing they installed may be left but the data
/// folder, which is then removed by hand.
fn purge(installed: &BTreeMap<&str, Vec<String>>) -> Result<()> {
    let mut purge = as_root("apt-get");
    purge
        .args(["purge", "-y", "-q", DESKTOP, SERVER])
        .env("DEBIAN_FRONTEND", "noninteractive");
    process::step("Purging the packages", purge)?;
    // What still exists must belong to another package (/usr/bin, the
    // icon theme's folders, ...).
    let mut left = Vec::new();
    for path in installed.values().flatten() {
        if Path::new(path).exists() && !owned_by_a_package(path)? {
            left.push(path.clone());
        }
    }
    if Path::new("/etc/shiftdesk").exists() {
        left.push("/etc/shiftdesk".to_owned());
    }
    ensure!(left.is_empty(), "purged, yet left behind: {left:?}");
    ensure!(
        Path::new(DATA).join("server.sqlite").exists(),
        "purging removed the data folder {DATA}"
    );
    println!("    nothing left but {DATA}; removing it");
    let status = as_root("rm").args(["-rf", DATA]).status()?;
    if !status.success() {
        bail!("could not remove {DATA}");
    }
    Ok(())
}

fn owned_by_a_package(path: &str) -> Result<bool> {
    Ok(Command::new("dpkg-query")
        .args(["-S", path])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()?
        .success())
}
