//! The Rust test suites again at instants other than today, under
//! Debian's libfaketime: no test may depend on the day or the hour it
//! runs. Each run starts a moment before the boundary it is about, so the
//! boundary passes while the tests run, and runs in the time zone the
//! instant is about.
//!
//! The test binaries run under faketime themselves, with everything they
//! start (the server, the command line, the peers); cargo does not, since
//! rustc hangs under libfaketime. For that reason xtask's own tests, which
//! read the dependency graph through `cargo metadata` (it runs rustc) and
//! use no clock, are left out.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};

use crate::process;

pub const PACKAGES: &[&str] = &["faketime"];

/// What the instant is, the time zone the tests run in, and the local
/// time the run starts at.
const INSTANTS: &[(&str, &str, &str)] = &[
    (
        "a Monday 03:00 in Moscow",
        "Europe/Moscow",
        "2026-12-14 03:00:00",
    ),
    ("30 s before New Year in UTC", "UTC", "2026-12-31 23:59:30"),
    (
        "30 s before the clocks go forward in Berlin",
        "Europe/Berlin",
        "2027-03-28 01:59:30",
    ),
];

/// A test binary and the package folder cargo would run it in.
struct TestBinary {
    executable: PathBuf,
    package_dir: PathBuf,
}

/// Runs every test binary of the workspace (built already) at each instant.
pub fn run() -> Result<()> {
    let binaries = test_binaries()?;
    for (what, zone, at) in INSTANTS {
        println!("\n==> Rust tests at {what} ({at} {zone})");
        let mut failed = Vec::new();
        for binary in &binaries {
            // -m: the thread-safe libfaketime (tokio runs many threads).
            let ran = Command::new("faketime")
                .args(["-m", "-f", &format!("@{at}")])
                .arg(&binary.executable)
                .current_dir(&binary.package_dir)
                .env("TZ", zone)
                .output()
                .context("faketime (Debian's faketime) runs the tests")?;
            if !ran.status.success() {
                // What libtest printed: the failures and their panics.
                println!(
                    "{}{}",
                    String::from_utf8_lossy(&ran.stdout),
                    String::from_utf8_lossy(&ran.stderr)
                );
                failed.push(binary.executable.display().to_string());
            }
        }
        if !failed.is_empty() {
            bail!(
                "at {what} ({at} {zone}) these tests failed (run one again with \
                 `TZ={zone} faketime -m -f '@{at}' BINARY` in its package's folder):\n{}",
                failed.join("\n")
            );
        }
        println!("    {} test binaries passed", binaries.len());
    }
    Ok(())
}

/// The workspace's test binaries but xtask's, as cargo lists them.
fn test_binaries() -> Result<Vec<TestBinary>> {
    let out = process::cargo(&[
        "test",
        "--workspace",
        "--exclude",
        "xtask",
        "--no-run",
        "--message-format=json",
    ])
    .stderr(Stdio::inherit())
    .output()?;
    if !out.status.success() {
        bail!("building the tests failed");
    }
    let mut binaries = Vec::new();
    for line in String::from_utf8(out.stdout)?.lines() {
        let message: serde_json::Value = serde_json::from_str(line)?;
        let (Some(executable), Some(manifest)) = (
            message["executable"].as_str(),
            message["manifest_path"].as_str(),
        ) else {
            continue;
        };
        if message["reason"] == "compiler-artifact" && message["profile"]["test"] == true {
            binaries.push(TestBinary {
                executable: executable.into(),
                package_dir: PathBuf::from(manifest)
                    .parent()
                    .context("a manifest's folder")?
                    .to_owned(),
            });
        }
    }
    if binaries.is_empty() {
        bail!("cargo listed no test binaries");
    }
    Ok(binaries)
}
