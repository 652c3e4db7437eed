//! `cargo xtask run | test | bench NAME`: the project's two commands and its
//! benchmarks. Sets up what a fresh Debian/Ubuntu machine lacks, so the
//! README can promise exactly two commands.

// xtask talks to a person on a terminal.
#![allow(clippy::print_stdout)]

mod api_check;
mod bench;
mod bench_channels;
mod bench_server;
mod bench_sla;
mod bench_sync;
mod bench_ui;
mod channel_peers;
mod desk_server;
mod display;
mod other_instants;
mod package;
mod package_test;
mod process;
mod reference_server;
mod setup;
mod soak;

use std::path::PathBuf;

use anyhow::{bail, Result};
use setup::Needs;

const USAGE: &str = "usage: cargo xtask <command>

  run [--server-config FILE]
                 set up what is missing, build, create the demo cache on first start, start the
                 reference server with its customer simulator and its channel gateways (on local
                 peers, or on the real bot and mailbox FILE names), and Shiftdesk connected to it
  test           set up, then rustfmt, clippy, every Rust test (today, and again at three other
                 instants under faketime), the UI tests, schemathesis against the reference server,
                 the end-to-end window tests, and the packages installed and purged
  package [--install-test]
                 build the packages in target/packages, checked with lintian: the desktop app (.deb,
                 .rpm, with the shiftdesk command) and the server (.deb, a systemd service); with
                 --install-test, then install them here, try them and purge them
  bench store    measure the offline cache on 100k tickets / 1M messages (one JSON object a line)
  bench server   measure the reference server: pull, concurrent push, event latency
  bench sync     measure the engine's sync: first sync, urgent tickets first, a 1k delta, outbox, change latency
  bench channels measure the gateways: 1,000 waiting Telegram updates taken in
  bench sla      measure the SLA engine: evaluating 100k tickets, a deadline to its D-Bus
                 notification, the watcher's CPU with 10k tickets and nothing due
  bench ui       measure the real app under an X display: cold start to the queue (10k tickets),
                 opening a 200-message ticket, search to results (100k tickets), idle memory
  soak [--short] three agents on the command line through a 30 % faulty network with random kills:
                 prints soak_lost, soak_duplicated, soak_diverged (all must be 0)";

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["run"] => run(None),
        ["run", "--server-config", file] => run(Some(PathBuf::from(file))),
        ["test"] => test(),
        ["package"] => {
            package::NEEDS.install()?;
            package::build().map(drop)
        }
        ["package", "--install-test"] => package_install_test(),
        ["bench", name] => {
            bench::needs(name)?.install()?;
            bench::run(name)
        }
        ["soak"] => {
            soak::NEEDS.install()?;
            soak::run(soak::FULL)
        }
        ["soak", "--short"] => {
            soak::NEEDS.install()?;
            soak::run(soak::SHORT)
        }
        ["help" | "--help" | "-h"] | [] => {
            println!("{USAGE}");
            Ok(())
        }
        _ => bail!("unknown command {args:?}\n\n{USAGE}"),
    }
}

fn run(server_config: Option<PathBuf>) -> Result<()> {
    if let Some(file) = &server_config {
        if !file.is_file() {
            bail!("no server configuration at {}", file.display());
        }
    }
    Needs {
        packages: &[setup::APP_PACKAGES, setup::MAIL_PACKAGES],
        ui: true,
        // The local peers stand in when no server configuration is given.
        peers: server_config.is_none(),
        tauri_driver: false,
    }
    .install()?;
    process::step(
        "Building Shiftdesk and the reference server",
        process::cargo(&["build", "-p", "shiftdesk", "-p", "shiftdesk-server"]),
    )?;
    let data_dir = setup::data_dir()?;
    // Stopped when this function returns: when the app exits or the run fails.
    let server = desk_server::start(
        reference_server::binary("debug"),
        &data_dir,
        server_config.map(std::path::absolute).transpose()?,
    )?;
    server.sign_in_demo_agent(&data_dir)?;
    let display = display::ensure()?;
    let mut app = std::process::Command::new(process::build_dir().join("debug/shiftdesk-desktop"));
    display.apply(&mut app);
    println!("Starting Shiftdesk (cache in {})", data_dir.display());
    process::step("Shiftdesk", app)
}

/// Builds the packages, then installs, tries and purges them here.
fn package_install_test() -> Result<()> {
    package::NEEDS.install()?;
    package_test::NEEDS.install()?;
    package_test::run(&package::build()?)
}

fn test() -> Result<()> {
    Needs {
        packages: &[
            setup::APP_PACKAGES,
            setup::BUS_PACKAGES,
            setup::MAIL_PACKAGES,
            setup::WEBDRIVER_PACKAGES,
            setup::TOOL_PACKAGES,
            other_instants::PACKAGES,
        ],
        ui: true,
        peers: true,
        tauri_driver: true,
    }
    .install()?;
    process::step("UI type check", process::npm(&["run", "check"]))?;
    process::step("UI tests", process::npm(&["test"]))?;
    process::step("rustfmt", process::cargo(&["fmt", "--all", "--check"]))?;
    process::step(
        "clippy",
        process::cargo(&[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    process::step("Rust tests", process::cargo(&["test", "--workspace"]))?;
    other_instants::run()?;
    api_check::run()?;
    // The end-to-end tests start the server binary themselves.
    reference_server::build(false)?;
    let display = display::ensure()?;
    let mut e2e = process::cargo_on_private_bus(&[
        "test",
        "-p",
        "shiftdesk",
        "--test",
        "e2e_window",
        "--test",
        "e2e_workspace",
        "--test",
        "e2e_accounts",
        "--",
        "--ignored",
        // One app at a time: each is a webview with its own processes.
        "--test-threads=1",
    ]);
    display.apply(&mut e2e);
    process::step("End-to-end: the real app through tauri-driver", e2e)?;
    println!("\n==> Soak (short): three agents, a 30 % faulty network, random kills");
    soak::run(soak::SHORT)?;
    package_install_test()?;
    println!("\nxtask test: everything passed");
    Ok(())
}
