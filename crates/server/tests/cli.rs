//! The command line: settings from a configuration file, the environment
//! and flags, in that order of strength; clear failures.

#![allow(clippy::unwrap_used)] // a test that cannot go on should stop loudly

mod common;

use std::process::Command;

use common::process::{free_port, terminate, wait_for_port, BIN};

fn server(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .env_remove("SHIFTDESK_SERVER_DB")
        .env_remove("SHIFTDESK_SERVER_CONFIG")
        .env_remove("SHIFTDESK_SERVER_LISTEN")
        .env_remove("SHIFTDESK_INTAKE_TEAM");
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().unwrap()
}

#[test]
fn the_config_file_sets_the_database_listen_address_and_team() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let config = dir.path().join("desk.toml");
    std::fs::write(
        &config,
        format!("database = \"desk.sqlite\"\nlisten = \"127.0.0.1:{port}\"\n[intake]\nteam = \"Night shift\"\n"),
    )
    .unwrap();
    let config = config.to_str().unwrap();
    let out = server(
        &[
            "--config",
            config,
            "agent",
            "add",
            "--name",
            "Nina",
            "--team",
            "Night shift",
        ],
        &[],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        dir.path().join("desk.sqlite").exists(),
        "the database sits beside the file"
    );

    let serving = Command::new(BIN)
        .args(["--config", config, "serve"])
        .env_remove("SHIFTDESK_SERVER_DB")
        .env_remove("SHIFTDESK_SERVER_LISTEN")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_port(port);
    let log = terminate(serving);
    assert!(
        log.contains("Night shift") && log.contains("stopped"),
        "{log}"
    );

    // The environment beats the file; a flag beats the environment.
    let env_db = dir.path().join("env.sqlite");
    let flag_db = dir.path().join("flag.sqlite");
    let out = server(
        &["--config", config, "agent", "add", "--name", "Env"],
        &[("SHIFTDESK_SERVER_DB", env_db.to_str().unwrap())],
    );
    assert!(out.status.success());
    assert!(env_db.exists());
    let out = server(
        &[
            "--config",
            config,
            "--db",
            flag_db.to_str().unwrap(),
            "agent",
            "add",
            "--name",
            "Flag",
        ],
        &[("SHIFTDESK_SERVER_DB", env_db.to_str().unwrap())],
    );
    assert!(out.status.success());
    assert!(flag_db.exists());
}

#[test]
fn a_broken_config_or_a_taken_port_fails_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("desk.toml");
    std::fs::write(&config, "databse = \"x.sqlite\"\n").unwrap();
    let out = server(&["--config", config.to_str().unwrap(), "serve"], &[]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("desk.toml") && err.contains("databse"),
        "{err}"
    );

    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = taken.local_addr().unwrap().to_string();
    let db = dir.path().join("s.sqlite");
    let out = server(
        &["--db", db.to_str().unwrap(), "serve", "--listen", &address],
        &[],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("cannot listen on {address}")),
        "{err}"
    );
}
