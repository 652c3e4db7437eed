//! End to end: accounts in the real Shiftdesk binary against the real
//! `shiftdesk-server` — the first sign-in through the window, refusals, a
//! sign-out with unsent replies, a shared computer, a remote wipe and an
//! expired session: nothing written is lost or sent twice, and no agent
//! sees another's tickets.
//!
//! Needs a display, `tauri-driver`, `WebKitWebDriver`, a built
//! `shiftdesk-server` and a session bus; `cargo xtask test` provides them
//! all and runs these with `--ignored`.

#![allow(clippy::unwrap_used)] // a test that cannot go on should stop loudly

use std::path::Path;
use std::time::Duration;

mod notification_server;
mod window;
mod workspace;

use serde_json::json;
use window::*;
use workspace::*;

/// The demo agent who signs in (`shiftdesk_demo::ME`).
const AGENT_A: i64 = 1;
/// A colleague on the same team, not a lead.
const AGENT_B: i64 = 3;
const PASSWORD: &str = "correct horse battery";

/// A fresh one-time sign-in code for `agent`.
fn code_for(server: &ReferenceServer, agent: i64) -> String {
    let printed = server
        .cli
        .run(&["agent", "reset", "--id", &agent.to_string()]);
    printed
        .lines()
        .find_map(|l| l.strip_prefix("sign-in code "))
        .unwrap_or_else(|| panic!("no code printed: {printed}"))
        .to_owned()
}

fn login_of(agent: i64) -> String {
    shiftdesk_demo::agent_login(shiftdesk_domain::AgentId(agent))
}

/// Gives the server's address on the sign-in screen and waits for step two.
fn choose_server(app: &App, url: &str) {
    app.fill("[data-testid=signin-server]", url);
    app.click("[data-testid=signin-check]");
    app.until(
        "the credentials step",
        "document.querySelector('[data-testid=signin-submit]')",
        json!([]),
    );
}

/// Signs in with a one-time code, setting the password, the token kept in
/// memory for this run.
fn sign_in_with_code(app: &App, url: &str, code: &str) {
    choose_server(app, url);
    app.click("[data-testid=signin-method-code]");
    app.fill("[data-testid=signin-code]", code);
    app.fill("[data-testid=signin-new-password]", PASSWORD);
    app.fill("[data-testid=signin-new-password-again]", PASSWORD);
    app.fill("[data-testid=signin-keep]", "memory");
    submit(app);
}

fn sign_in_with_password(app: &App, url: &str, login: &str, password: &str) {
    choose_server(app, url);
    app.click("[data-testid=signin-method-password]");
    app.fill("[data-testid=signin-login]", login);
    app.fill("[data-testid=signin-password]", password);
    app.fill("[data-testid=signin-keep]", "memory");
    submit(app);
}

fn submit(app: &App) {
    app.until(
        "the sign-in button",
        "!document.querySelector('[data-testid=signin-submit]').disabled",
        json!([]),
    );
    app.click("[data-testid=signin-submit]");
}

/// The workspace after a sign-in: the window reloaded, the queue filled.
fn workspace_as(app: &App, agent: i64) {
    let name = shiftdesk_demo::agents()
        .into_iter()
        .find(|a| a.id.0 == agent)
        .unwrap()
        .name;
    app.text_when("[data-testid=server-status]", |t| {
        t.contains("Connected") && t.contains(&name)
    });
    app.queue_rows();
}

/// Opens the first ticket of the queue in the composer; its number.
fn open_first(app: &App) -> i64 {
    app.queue_rows();
    let ticket = app
        .script(
            "return Number(document.querySelector('[data-testid=queue-row]').dataset.number);",
            json!([]),
        )
        .as_i64()
        .unwrap();
    app.click("[data-testid=queue-row]");
    app.until(
        "the composer",
        "document.querySelector('[data-testid=compose-body]') && !document.querySelector('[data-testid=compose-body]').readOnly",
        json!([]),
    );
    ticket
}

/// Queues a portal reply while the server is down; it waits in the outbox.
fn queue_reply_offline(app: &App, server: &mut ReferenceServer, text: &str) {
    app.text_when("[data-testid=connection]", |s| s.contains("Online"));
    server.stop();
    choose_mode(app, "reply");
    app.fill("[data-testid=compose-channel]", "portal");
    send(app, text);
    app.text_when("[data-testid=outbox-toggle]", |s| s.contains('1'));
}

fn open_sign_out(app: &App) {
    app.click("[data-testid=settings-button]");
    app.click("[data-testid=settings-sign-out]");
    app.until(
        "the sign-out dialog",
        "document.querySelector('[data-testid=signout-dialog]')",
        json!([]),
    );
}

/// Every file under `dir` whose bytes hold `needle`.
fn files_holding(dir: &Path, needle: &str) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if std::fs::read(&path)
                .unwrap()
                .windows(needle.len())
                .any(|w| w == needle.as_bytes())
            {
                found.push(path);
            }
        }
    }
    found
}

/// No device token anywhere under `dir`.
fn assert_no_token_in(dir: &Path) {
    let leaked = files_holding(dir, "sdk_");
    assert!(leaked.is_empty(), "a token is written in {leaked:?}");
}

#[test]
#[ignore = "needs a display, tauri-driver, WebKitWebDriver and a session bus: run by `cargo xtask test`"]
fn the_first_run_signs_in_through_the_window_and_refuses_what_it_must() {
    let server = ReferenceServer::start("accounts-first-run");
    let data = tempfile::tempdir().unwrap();
    let app = App::launch(data.path(), "accounts-first-run", &[]);
    app.text_of("[data-testid=signin-screen]");
    app.screenshot("accounts-first-run");

    // Passwords never go over plain http to another machine, nor a
    // password written into the address.
    app.fill("[data-testid=signin-server]", "http://desk.example.com");
    app.click("[data-testid=signin-check]");
    let refused = app.text_when("[data-testid=signin-server-error]", |t| !t.is_empty());
    assert!(refused.contains("use https"), "{refused}");
    app.fill(
        "[data-testid=signin-server]",
        "https://ops:hunter2secret@desk.example.com",
    );
    app.click("[data-testid=signin-check]");
    let refused = app.text_when("[data-testid=signin-server-error]", |t| {
        t.contains("user name or password")
    });
    assert!(!refused.contains("hunter2secret"), "{refused}");
    // Something that is not a Shiftdesk server is said to be so.
    let not_a_desk = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = not_a_desk.local_addr().unwrap().port();
    drop(not_a_desk);
    app.fill(
        "[data-testid=signin-server]",
        &format!("http://127.0.0.1:{port}"),
    );
    app.click("[data-testid=signin-check]");
    app.text_when("[data-testid=signin-server-error]", |t| {
        t.contains("connection refused") || t.contains("unreachable")
    });

    sign_in_with_code(&app, &server.url, &code_for(&server, AGENT_A));
    workspace_as(&app, AGENT_A);
    assert_no_token_in(data.path());

    open_sign_out(&app);
    app.click("[data-testid=signout-confirm]");
    let notice = app.text_of("[data-testid=signin-notice]");
    assert!(notice.contains("signed out"), "{notice}");
    let book = shiftdesk_engine::accounts::AccountBook::open(data.path()).unwrap();
    assert!(book.accounts().is_empty(), "the account is erased");
    assert!(
        std::fs::read_dir(data.path().join("accounts"))
            .unwrap()
            .next()
            .is_none(),
        "its folder with it"
    );

    // A wrong password, again and again: the server locks the account.
    let login = login_of(AGENT_A);
    choose_server(&app, &server.url);
    app.click("[data-testid=signin-method-password]");
    app.fill("[data-testid=signin-login]", &login);
    app.fill("[data-testid=signin-keep]", "memory");
    let mut locked = None;
    for attempt in 1..=8 {
        app.fill(
            "[data-testid=signin-password]",
            &format!("wrong password {attempt}"),
        );
        submit(&app);
        app.until(
            "the server's answer",
            "!document.querySelector('[data-testid=signin-submit]').disabled\
               && document.querySelector('[data-testid=signin-error]')",
            json!([]),
        );
        let answer = app.text_of("[data-testid=signin-error]");
        if answer.contains("auth.locked") {
            locked = Some(answer);
            break;
        }
        assert!(answer.contains("wrong"), "attempt {attempt}: {answer}");
    }
    let locked = locked.expect("locked out after at most eight wrong passwords");
    assert!(locked.contains("try again in"), "says when: {locked}");
    app.screenshot("accounts-locked");
}

#[test]
#[ignore = "needs a display, tauri-driver, WebKitWebDriver and a session bus: run by `cargo xtask test`"]
fn signing_out_with_an_unsent_reply_sends_exports_or_discards_it_and_leaves_no_customer_text() {
    let mut server = ReferenceServer::start("accounts-sign-out");
    let db = ServerDb::open(&server);
    let exports = tempfile::tempdir().unwrap();
    for choice in ["export", "discard", "send"] {
        let data = tempfile::tempdir().unwrap();
        let token = server.token();
        let app = App::launch(
            data.path(),
            &format!("accounts-sign-out-{choice}"),
            &[
                (API_URL_ENV, &server.url),
                (API_TOKEN_ENV, &token),
                ("SHIFTDESK_EXPORT_DIR", exports.path().to_str().unwrap()),
            ],
        );
        let ticket = open_first(&app);
        let subject = db.subject(ticket);
        let text = format!("Unsent at sign-out ({choice}): the disk is resized.");
        queue_reply_offline(&app, &mut server, &text);
        open_sign_out(&app);
        app.text_when("[data-testid=signout-unsent-count]", |t| t.contains('1'));
        match choice {
            "export" => app.click("[data-testid=signout-export]"),
            "discard" => {
                app.click("[data-testid=signout-discard-confirm]");
                app.click("[data-testid=signout-discard]");
            }
            _ => {
                server.resume();
                app.click("[data-testid=signout-send]");
            }
        }
        let notice = app.text_when("[data-testid=signin-notice]", |t| !t.is_empty());
        if choice != "send" {
            server.resume();
        }
        assert!(
            files_holding(data.path(), &subject).is_empty(),
            "{choice}: customer text left behind"
        );
        assert!(files_holding(data.path(), &text).is_empty(), "{choice}");
        let exported = files_holding(exports.path(), &text);
        std::thread::sleep(Duration::from_secs(3));
        let delivered = db.messages_with(ticket, &text).len();
        match choice {
            "export" => {
                assert_eq!(exported.len(), 1, "{notice}");
                assert!(notice.contains(&*exported[0].to_string_lossy()), "{notice}");
                assert_eq!(delivered, 0);
                app.screenshot("accounts-signed-out-export");
            }
            "discard" => {
                assert!(exported.is_empty());
                assert_eq!(delivered, 0, "discarded means never sent");
            }
            _ => {
                assert!(exported.is_empty());
                assert_eq!(delivered, 1, "sent once before signing out");
            }
        }
    }
}

#[test]
#[ignore = "needs a display, tauri-driver, WebKitWebDriver and a session bus: run by `cargo xtask test`"]
fn on_a_shared_computer_b_sees_none_of_a_s_tickets_and_a_s_reply_waits_for_a() {
    let mut server = ReferenceServer::start("accounts-shared");
    let db = ServerDb::open(&server);
    let data = tempfile::tempdir().unwrap();
    let text = "A's reply, written before A left: the volume is back.";
    let ticket = {
        let app = App::launch(data.path(), "accounts-shared-a", &[]);
        sign_in_with_code(&app, &server.url, &code_for(&server, AGENT_A));
        workspace_as(&app, AGENT_A);
        let ticket = open_first(&app);
        queue_reply_offline(&app, &mut server, text);
        ticket
    }; // A closes the app; the token was in memory only.
    server.resume();

    let app = App::launch(data.path(), "accounts-shared-b", &[]);
    let notice = app.text_of("[data-testid=signin-notice]");
    assert!(
        notice.contains("again"),
        "A is asked to sign in again: {notice}"
    );
    sign_in_with_code(&app, &server.url, &code_for(&server, AGENT_B));
    workspace_as(&app, AGENT_B);
    let shown = app.script(
        "return [...document.querySelectorAll('[data-testid=queue-row]')].map(r => Number(r.dataset.number));",
        json!([]),
    );
    assert!(
        !shown.as_array().unwrap().contains(&json!(ticket)),
        "B's queue shows A's ticket {ticket}: {shown}"
    );
    app.text_when("[data-testid=outbox-toggle]", |s| s.contains("(0)"));
    std::thread::sleep(Duration::from_secs(3));
    assert!(
        db.messages_with(ticket, text).is_empty(),
        "A's reply went out with B's token"
    );
    app.screenshot("accounts-shared-b");
    open_sign_out(&app);
    app.click("[data-testid=signout-confirm]");

    sign_in_with_password(&app, &server.url, &login_of(AGENT_A), PASSWORD);
    workspace_as(&app, AGENT_A);
    wait_for(
        || db.messages_with(ticket, text).len() == 1,
        "A's reply once A is back",
    );
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(db.messages_with(ticket, text).len(), 1, "exactly once");
}

#[test]
#[ignore = "needs a display, tauri-driver, WebKitWebDriver and a session bus: run by `cargo xtask test`"]
fn a_device_signed_out_elsewhere_is_wiped_and_its_unsent_reply_exported() {
    let mut server = ReferenceServer::start("accounts-wipe");
    let data = tempfile::tempdir().unwrap();
    let exports = tempfile::tempdir().unwrap();
    let token = server.token();
    let app = App::launch(
        data.path(),
        "accounts-wipe",
        &[
            (API_URL_ENV, &server.url),
            (API_TOKEN_ENV, &token),
            ("SHIFTDESK_EXPORT_DIR", exports.path().to_str().unwrap()),
        ],
    );
    open_first(&app);
    let text = "Queued when the device was signed out elsewhere.";
    queue_reply_offline(&app, &mut server, text);
    // A lead disables the agent: every device of theirs stops at once.
    server
        .cli
        .run(&["agent", "disable", "--id", &AGENT_A.to_string()]);
    server.resume();
    let notice = app.text_when("[data-testid=signin-notice]", |t| !t.is_empty());
    let exported = files_holding(exports.path(), text);
    assert_eq!(exported.len(), 1, "{notice}");
    assert!(notice.contains(&*exported[0].to_string_lossy()), "{notice}");
    assert!(files_holding(data.path(), text).is_empty(), "wiped");
    app.screenshot("accounts-wiped");
}

#[test]
#[ignore = "needs a display, tauri-driver, WebKitWebDriver and a session bus: run by `cargo xtask test`"]
fn an_expired_session_keeps_the_queued_reply_and_delivers_it_once_after_sign_in() {
    let mut server = ReferenceServer::start("accounts-expiry");
    let db = ServerDb::open(&server);
    let data = tempfile::tempdir().unwrap();
    let app = App::launch(data.path(), "accounts-expiry", &[]);
    sign_in_with_code(&app, &server.url, &code_for(&server, AGENT_A));
    workspace_as(&app, AGENT_A);
    let ticket = open_first(&app);
    let text = "Queued as the session ran out: the snapshot is restored.";
    queue_reply_offline(&app, &mut server, text);
    server.expire_devices(AGENT_A);
    server.resume();
    let notice = app.text_of("[data-testid=signin-notice]");
    assert!(notice.contains("expired"), "{notice}");
    assert!(db.messages_with(ticket, text).is_empty());

    sign_in_with_password(&app, &server.url, &login_of(AGENT_A), PASSWORD);
    workspace_as(&app, AGENT_A);
    wait_for(
        || db.messages_with(ticket, text).len() == 1,
        "the reply after signing in again",
    );
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(db.messages_with(ticket, text).len(), 1, "exactly once");
}
