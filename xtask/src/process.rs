//! Running the tools xtask drives, each step announced and checked.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{bail, Context, Result};

pub fn workspace_root() -> PathBuf {
    // xtask/ sits one level below the workspace root.
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map_or(manifest.clone(), PathBuf::from)
}

/// Where cargo puts what it builds: `CARGO_TARGET_DIR` when set, else the
/// workspace's `target`.
pub fn build_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(|dir| workspace_root().join(dir))
        .unwrap_or_else(|| workspace_root().join("target"))
}

pub fn cargo(args: &[&str]) -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.args(args).current_dir(workspace_root());
    cmd
}

/// `cargo args` on a private D-Bus session bus of its own (the desktop
/// notifications of the app under test go there, not to the desktop).
pub fn cargo_on_private_bus(args: &[&str]) -> Command {
    let mut cmd = Command::new("dbus-run-session");
    cmd.arg("--")
        .arg(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .current_dir(workspace_root());
    cmd
}

/// npm in the UI's folder.
pub fn npm(args: &[&str]) -> Command {
    npm_in("ui", args)
}

/// npm in `folder` of the workspace.
pub fn npm_in(folder: &str, args: &[&str]) -> Command {
    let mut cmd = Command::new("npm");
    cmd.args(args).current_dir(workspace_root().join(folder));
    cmd
}

/// Runs `cmd` to completion under a heading; fails if it fails.
pub fn step(title: &str, mut cmd: Command) -> Result<()> {
    println!("\n==> {title}");
    let status = cmd
        .status()
        .with_context(|| format!("could not start {:?}", cmd.get_program()))?;
    if !status.success() {
        bail!("{title} failed ({status})");
    }
    Ok(())
}

/// Whether `program` can be started at all.
pub fn available(program: &str, probe_arg: &str) -> bool {
    Command::new(program)
        .arg(probe_arg)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok()
}
