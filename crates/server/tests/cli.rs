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
            "--login",
            "nina@desk.example",
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
        &[
            "--config",
            config,
            "agent",
            "add",
            "--name",
            "Env",
            "--login",
            "env@desk.example",
        ],
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
            "--login",
            "flag@desk.example",
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

#[test]
fn the_operator_adds_agents_with_codes_and_disables_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.sqlite");
    let db = db.to_str().unwrap();
    let run = |args: &[&str]| {
        let mut all = vec!["--db", db, "agent"];
        all.extend_from_slice(args);
        let out = server(&all, &[]);
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (ok, added, err) = run(&["add", "--name", "Нина", "--login", "Nina@Desk.Example"]);
    assert!(ok, "{err}");
    assert!(
        added.starts_with("agent 1 (Нина, agent)\nsign-in code "),
        "{added}"
    );
    assert!(added.contains("valid for 30 minutes"), "{added}");
    assert!(!added.contains("token"), "no long-lived token: {added}");
    let code = added
        .lines()
        .nth(1)
        .unwrap()
        .trim_start_matches("sign-in code ");
    assert_eq!(code.len(), 19, "{code}");

    let (ok, _, err) = run(&["add", "--name", "Other", "--login", "nina@desk.example"]);
    assert!(!ok);
    assert!(
        err.contains("another agent signs in as nina@desk.example"),
        "{err}"
    );
    let (ok, _, err) = run(&["add", "--name", "Other", "--login", "not an email"]);
    assert!(!ok);
    assert!(err.contains("email address"), "{err}");

    let (ok, reset, _) = run(&["reset", "--id", "1"]);
    assert!(ok);
    assert!(!reset.contains(code), "a new code: {reset}");
    let (ok, _, err) = run(&["reset", "--id", "9"]);
    assert!(!ok && err.contains("no agent 9"), "{err}");

    let (ok, token, _) = run(&["token", "--id", "1"]);
    assert!(ok && token.starts_with("token sdk_"), "{token}");
    let (ok, disabled, _) = run(&["disable", "--id", "1"]);
    assert!(ok && disabled.contains("agent 1 disabled"), "{disabled}");
    let (ok, again, _) = run(&["disable", "--id", "1"]);
    assert!(ok && again.contains("already disabled"), "{again}");
    let (ok, enabled, _) = run(&["enable", "--id", "1"]);
    assert!(ok && enabled.contains("agent 1 enabled"), "{enabled}");
}
