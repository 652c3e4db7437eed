//! End to end: an agent works tickets in the real Shiftdesk binary against
//! the real `shiftdesk-server` — replies on every channel, a note, a call
//! log, a status change; a reply written while the server is down reaches
//! it exactly once when it is back.
//!
//! Needs a display, `tauri-driver`, `WebKitWebDriver`, a built
//! `shiftdesk-server` and a session bus; `cargo xtask test` provides them
//! all and runs these with `--ignored`.

#![allow(clippy::unwrap_used)] // a test that cannot go on should stop loudly

use std::time::Duration;

mod notification_server;
mod sla_cache;
mod window;
mod workspace;

use serde_json::json;
use window::*;
use workspace::*;

/// The app signed in to `server`, its queue synced, the first ticket of
/// "My open" opened; returns the app and that ticket's number.
fn open_first_ticket(server: &ReferenceServer, name: &str) -> (App, tempfile::TempDir, i64) {
    let data = tempfile::tempdir().unwrap();
    let token = server.token();
    let app = App::start_with(
        data.path(),
        name,
        &[(API_URL_ENV, &server.url), (API_TOKEN_ENV, &token)],
    );
    app.queue_rows();
    let ticket = app.script(
        "return Number(document.querySelector('[data-testid=queue-row]').dataset.number);",
        json!([]),
    );
    let ticket = ticket.as_i64().expect("a ticket number on the first row");
    app.click("[data-testid=queue-row]");
    app.until(
        "the composer",
        "document.querySelector('[data-testid=compose-body]') && !document.querySelector('[data-testid=compose-body]').readOnly",
        json!([]),
    );
    (app, data, ticket)
}

#[test]
#[ignore = "needs a display, tauri-driver, WebKitWebDriver and a session bus: run by `cargo xtask test`"]
fn an_agent_answers_on_every_channel_notes_logs_a_call_and_changes_the_status() {
    let server = ReferenceServer::start("workspace-channels");
    let db = ServerDb::open(&server);
    let (app, data, ticket) = open_first_ticket(&server, "workspace-channels");
    let log = data.path().join("журнал узла.log");
    std::fs::write(&log, "oom-killer\n".repeat(400)).unwrap();

    for (channel, text) in [
        ("portal", "Портал: ключ перевыпущен, проверьте, пожалуйста."),
        (
            "telegram",
            "Telegram: we rotated the key — please try again 🙂",
        ),
        ("email", "Email: the new key is active; details below."),
    ] {
        choose_mode(&app, "reply");
        app.fill("[data-testid=compose-channel]", channel);
        if channel == "email" {
            let subject = app.text_when("[data-testid=compose-subject]", |s| !s.is_empty());
            assert!(subject.ends_with(&format!("[#{ticket}]")), "{subject}");
            app.choose_file("[data-testid=compose-attach-input]", &log);
            app.text_when("[data-testid=compose-file]", |f| {
                f.contains("журнал узла.log")
            });
            app.fill("[data-testid=compose-cc]", "CTO@Northwind.example");
        }
        send(&app, text);
        assert_eq!(confirmed(&app, text), "public_reply");
        assert_eq!(
            db.messages_with(ticket, text),
            [("public_reply".to_owned(), channel.to_owned())],
            "the server has the {channel} reply once"
        );
    }
    assert_eq!(
        db.files_with(ticket, "Email: the new key is active; details below."),
        [("журнал узла.log".to_owned(), 4_400)],
        "the email reply took its file to the server"
    );
    // The copy is the ticket's now: the next email reply names it.
    app.fill("[data-testid=compose-channel]", "email");
    app.text_when("[data-testid=compose-copied]", |c| {
        c.contains("cto@northwind.example")
    });
    app.until(
        "the reply's file in the thread",
        "[...document.querySelectorAll('[data-testid=message-file]')]\
           .some(f => f.innerText.includes(arguments[0]))",
        json!(["журнал узла.log"]),
    );

    choose_mode(&app, "note");
    let note = "Internal: customer rotated keys at 08:10, not our side.";
    send(&app, note);
    assert_eq!(confirmed(&app, note), "internal_note");
    assert_eq!(db.messages_with(ticket, note).len(), 1);

    choose_mode(&app, "call");
    app.fill("[data-testid=call-direction]", "outbound");
    app.fill("[data-testid=call-outcome]", "answered");
    app.fill("[data-testid=call-minutes]", "4");
    app.fill("[data-testid=call-seconds]", "5");
    let call = "Called the customer, walked through the new key.";
    send(&app, call);
    assert_eq!(confirmed(&app, call), "call_log");
    assert_eq!(
        db.messages_with(ticket, call),
        [("call_log".to_owned(), "phone".to_owned())]
    );
    let record = app.text_of("[data-testid=message-call]");
    assert!(record.contains("4:05"), "{record}");
    // The call form made the thread shorter; what the agent just logged is
    // still what the thread ends on, in view.
    app.until(
        "the logged call in view",
        "(() => { const all = document.querySelectorAll('[data-testid=message]');\
         const last = all[all.length - 1].getBoundingClientRect();\
         const view = document.querySelector('[data-testid=ticket-pane] .body').getBoundingClientRect();\
         return last.bottom <= view.bottom + 1 && last.top >= view.top - 1; })()",
        json!([]),
    );

    app.fill("[data-testid=field-status]", "pending");
    wait_for(
        || db.status(ticket) == "pending",
        "the server to have the new status",
    );
    app.text_when("[data-testid=ticket-pane-status]", |s| s == "Pending");
    app.screenshot("workspace-channels");
}

#[test]
#[ignore = "needs a display, tauri-driver, WebKitWebDriver and a session bus: run by `cargo xtask test`"]
fn a_reply_written_while_the_server_is_down_reaches_it_once_when_it_is_back() {
    let mut server = ReferenceServer::start("workspace-offline");
    let db = ServerDb::open(&server);
    let (app, _data, ticket) = open_first_ticket(&server, "workspace-offline");
    app.text_when("[data-testid=connection]", |s| s.contains("Online"));

    server.stop();
    choose_mode(&app, "reply");
    app.fill("[data-testid=compose-channel]", "portal");
    let text = "Written on a train: the fix is rolled out, please check.";
    send(&app, text);
    // Shown at once, honestly unsent, and sync says the server is gone.
    app.until(
        "the reply shown as unsent",
        "[...document.querySelectorAll('[data-testid=message]')].some(m => \
           m.querySelector('.text')?.innerText === arguments[0] && m.querySelector('[data-testid=message-unsent]'))",
        json!([text]),
    );
    app.text_when("[data-testid=connection]", |s| !s.contains("Online"));
    app.text_when("[data-testid=outbox-toggle]", |s| s.contains('1'));
    app.screenshot("workspace-offline");

    server.resume();
    assert_eq!(confirmed(&app, text), "public_reply");
    app.text_when("[data-testid=connection]", |s| s.contains("Online"));
    // Give a double send every chance to happen before counting.
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(
        db.messages_with(ticket, text),
        [("public_reply".to_owned(), "portal".to_owned())],
        "delivered exactly once"
    );
    app.text_when("[data-testid=outbox-toggle]", |s| s.contains("(0)"));
}

/// The demo team's lead (`shiftdesk_demo`'s second member).
const DEMO_LEAD: i64 = 2;

#[test]
#[ignore = "needs a display, tauri-driver, WebKitWebDriver and a session bus: run by `cargo xtask test`"]
fn every_main_screen_in_both_languages_and_themes_passes_axe() {
    let server = ReferenceServer::start("workspace-screens");
    let data = tempfile::tempdir().unwrap();
    let token = server.token_for(DEMO_LEAD);
    let app = App::start_with(
        data.path(),
        "workspace-screens",
        &[(API_URL_ENV, &server.url), (API_TOKEN_ENV, &token)],
    );
    // The lead's own queue may be empty on a given day; the team's is not.
    // An email ticket, whose composer shows the most: the envelope too.
    app.click("[data-testid=view-tab-team]");
    app.queue_rows();
    app.click("[data-testid=queue-row][data-channel=email]");
    app.until(
        "the ticket pane",
        "document.querySelector('[data-testid=customer-panel]')",
        json!([]),
    );
    app.until(
        "the narrowed queue to fill its column, the subject the widest",
        "(() => { const table = document.querySelector('[data-testid=queue-table]');\
           const widths = [...table.querySelectorAll('thead th')].map(th => th.getBoundingClientRect().width);\
           return Math.abs(table.getBoundingClientRect().width - table.parentElement.clientWidth) < 2\
             && widths[1] === Math.max(...widths); })()",
        json!([]),
    );
    // A reply being written with a file attached, as mid-shift.
    let console_log = data.path().join("serial-console.log");
    std::fs::write(
        &console_log,
        "login: root\nPassword reset required\n".repeat(90),
    )
    .unwrap();
    app.choose_file("[data-testid=compose-attach-input]", &console_log);
    app.text_when("[data-testid=compose-file]", |f| {
        f.contains("serial-console.log")
    });
    app.fill(
        "[data-testid=compose-body]",
        "Hello, the serial console is the way in: the log attached shows the reset prompt.",
    );
    let mut violations = Vec::new();
    let mut look = |app: &App, name: &str| {
        app.screenshot(name);
        std::fs::copy(
            out_dir().join(format!("{name}.png")),
            screenshots_dir().join(format!("{name}.png")),
        )
        .unwrap();
        violations.extend(
            accessibility_violations(app)
                .into_iter()
                .map(|v| format!("{name}: {v}")),
        );
    };
    for (language, theme) in [
        ("en", "light"),
        ("ru", "light"),
        ("en", "dark"),
        ("ru", "dark"),
    ] {
        app.click("[data-testid=settings-button]");
        // One choice at a time: a choice made while another saves is undone.
        app.fill("[data-testid=setting-language]", language);
        app.until(
            "the language saved",
            "document.documentElement.lang === arguments[0] && !document.querySelector('[aria-busy=true]')",
            json!([language]),
        );
        app.fill("[data-testid=setting-theme]", theme);
        app.until(
            "the language and theme",
            "document.documentElement.lang === arguments[0] && document.documentElement.dataset.theme === arguments[1]",
            json!([language, theme]),
        );
        let prefix = format!("{language}-{theme}");
        look(&app, &format!("{prefix}-settings"));
        app.press("[data-testid=settings-dialog]", "Escape", false);
        app.until(
            "the settings to close",
            "!document.querySelector('[data-testid=settings-dialog]')",
            json!([]),
        );

        look(&app, &format!("{prefix}-workspace"));

        app.click("[data-testid=outbox-toggle]");
        look(&app, &format!("{prefix}-outbox"));
        app.click("[data-testid=outbox-toggle]");

        app.press("body", "k", true);
        app.until(
            "the palette",
            "document.querySelector('[data-testid=command-palette]')",
            json!([]),
        );
        app.fill("[data-testid=palette-input]", "");
        look(&app, &format!("{prefix}-palette"));
        app.press("[data-testid=palette-input]", "Escape", false);

        app.click("[data-testid=view-tab-board]");
        app.until(
            "the board",
            "document.querySelector('[data-testid=board-summary]')",
            json!([]),
        );
        look(&app, &format!("{prefix}-board"));
        app.click("[data-testid=view-tab-team]");
    }
    assert!(
        violations.is_empty(),
        "serious or critical accessibility violations:\n{}",
        violations.join("\n")
    );
}

/// A customer's mail whose HTML part tries everything a page can try.
const HOSTILE_HTML: &str = "<html><head><meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">\
    <base href=\"https://evil.example/\"><style>body{background:url(https://evil.example/track.png)}</style></head>\
    <body><p>Please <b>restart</b> vm-42.</p>\
    <script>parent.document.title='pwned-by-script'</script>\
    <img src=\"x\" onerror=\"parent.document.title='pwned-by-img'\">\
    <img src=\"https://evil.example/pixel.gif\" width=\"1\" height=\"1\">\
    <svg onload=\"parent.document.title='pwned-by-svg'\"></svg>\
    <a href=\"javascript:parent.document.title='pwned-by-link'\">click me</a>\
    <a href=\"https://status.example.com/incident/42\">status page</a>\
    <iframe src=\"https://evil.example/\"></iframe></body></html>";

#[test]
#[ignore = "needs a display, tauri-driver, WebKitWebDriver and a session bus: run by `cargo xtask test`"]
fn a_hostile_html_mail_shows_as_text_and_runs_nothing() {
    use shiftdesk_domain::{Attachment, AttachmentId, ContentHash, Role};
    use shiftdesk_store::AttachmentFiles;

    let data = tempfile::tempdir().unwrap();
    let mut thread = sla_cache::breaching_in(1, 30 * 60_000);
    let mail = &mut thread.messages[0];
    mail.body = "Please restart vm-42.".into();
    let bytes = HOSTILE_HTML.as_bytes();
    let files = AttachmentFiles::new(data.path().join(shiftdesk_store::ATTACHMENTS_DIR));
    let hash: ContentHash = files.put(bytes).unwrap();
    thread.attachments.push(Attachment {
        id: AttachmentId(1),
        message: mail.id,
        name: "message.html".into(),
        size_bytes: bytes.len() as u64,
        content_hash: hash,
        media_type: "text/html".into(),
    });
    runtime().block_on(async {
        sla_cache::open(data.path(), &[thread], Role::Agent)
            .await
            .close()
            .await;
    });

    let app = App::start(data.path(), "workspace-hostile-mail");
    app.queue_rows();
    app.click("[data-testid=queue-row]");
    // As text first: the words, no markup.
    let text = app.text_of("[data-testid=message] .text");
    assert_eq!(text.trim(), "Please restart vm-42.");

    app.click("[data-testid=show-formatted]");
    app.until(
        "the frame",
        "document.querySelector('[data-testid=formatted-frame]')",
        json!([]),
    );
    let frame = app.script(
        "const f = document.querySelector('[data-testid=formatted-frame]');\
         return { sandbox: f.getAttribute('sandbox'), srcdoc: f.getAttribute('srcdoc') };",
        json!([]),
    );
    assert_eq!(frame["sandbox"], "", "a frame with no permissions: {frame}");
    let srcdoc = frame["srcdoc"].as_str().unwrap().to_lowercase();
    for banned in [
        "<script",
        "onerror",
        "onload",
        "javascript:",
        "<iframe",
        "<meta",
        "<base",
        "<style",
        "evil.example",
    ] {
        assert!(
            !srcdoc.contains(banned),
            "{banned} left in the frame: {srcdoc}"
        );
    }
    assert!(srcdoc.contains("<b>restart</b>"), "{srcdoc}");
    let links = app.text_of("[data-testid=mail-links]");
    assert!(
        links.contains("https://status.example.com/incident/42"),
        "{links}"
    );
    assert!(!links.contains("javascript"), "{links}");
    // Had anything run, it would have renamed the window.
    std::thread::sleep(Duration::from_secs(1));
    let title = app.script("return document.title;", json!([]));
    assert!(!title.as_str().unwrap().contains("pwned"), "{title}");
    app.screenshot("workspace-hostile-mail");
}

#[test]
#[ignore = "needs a display, tauri-driver, WebKitWebDriver and a session bus: run by `cargo xtask test`"]
fn a_draft_outlives_the_app_being_killed() {
    use shiftdesk_domain::Role;

    let data = tempfile::tempdir().unwrap();
    runtime().block_on(async {
        let threads = [sla_cache::breaching_in(1, 30 * 60_000)];
        sla_cache::open(data.path(), &threads, Role::Agent)
            .await
            .close()
            .await;
    });
    let text = "Half-written: we checked the node and…";
    {
        let app = App::start(data.path(), "workspace-draft");
        app.queue_rows();
        app.click("[data-testid=queue-row]");
        app.until(
            "the composer",
            "document.querySelector('[data-testid=compose-body]') && !document.querySelector('[data-testid=compose-body]').readOnly",
            json!([]),
        );
        app.click("[data-testid=compose-mode-note] input");
        app.fill("[data-testid=compose-body]", text);
        // Saved as the agent types (a moment after the last key), not on close.
        std::thread::sleep(Duration::from_secs(1));
    } // Dropping the app kills its whole process group: no goodbye.

    let app = App::start(data.path(), "workspace-draft-again");
    app.queue_rows();
    app.click("[data-testid=queue-row]");
    app.until(
        "the draft back in the composer",
        "document.querySelector('[data-testid=compose-body]')?.value === arguments[0]",
        json!([text]),
    );
    assert_eq!(
        app.script(
            "return document.querySelector('[data-testid=composer]').dataset.mode;",
            json!([])
        ),
        json!("note")
    );
}
