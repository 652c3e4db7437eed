//! End to end: the real Shiftdesk binary, driven through tauri-driver and
//! WebKitWebDriver on an X display, against a real cache file and the real
//! `shiftdesk-server` binary.
//!
//! Needs a display, `tauri-driver`, `WebKitWebDriver`, a built
//! `shiftdesk-server` and a session bus (the apps' desktop notifications go
//! to a recording server on it); `cargo xtask test` provides them all, the
//! bus a private one, and runs these with `--ignored`.

#![allow(clippy::unwrap_used)] // a test that cannot go on should stop loudly

use std::path::Path;
use std::time::Duration;

mod notification_server;
mod sla_cache;
mod window;

use serde_json::json;
use shiftdesk_domain::Role;
use shiftdesk_store::{QueueRequest, QueueView, Store};
use window::*;

/// A demo cache like `cargo xtask run` makes, and the rows its default view
/// must show first, read straight from the cache.
fn demo_cache(data_dir: &Path) -> Vec<i64> {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let config = shiftdesk_demo::DemoConfig {
            seed: 7,
            tickets: 400,
            now: now(),
        };
        let cache = data_dir.join("cache.sqlite");
        shiftdesk_demo::seed_cache(&cache, &data_dir.join("attachments"), &config)
            .await
            .unwrap();
        let store = Store::open(&cache).await.unwrap().store;
        let first_page = QueueRequest {
            view: QueueView::MineOpen,
            after: None,
            limit: 50,
            filter: None,
        };
        let page = store.queue_page(&first_page, config.now).await.unwrap();
        store.close().await;
        page.rows.iter().map(|r| r.number.0).collect()
    })
}

#[test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run by `cargo xtask test`"]
fn the_window_shows_the_demo_queue() {
    let data_dir = tempfile::tempdir().unwrap();
    let expected = demo_cache(data_dir.path());
    assert_eq!(expected.len(), 50, "the demo gives a full first page");
    let app = App::start(data_dir.path(), "queue");

    // Each row's ticket number and the text a person sees in it.
    let rows = wait_until(Duration::from_secs(30), "the queue rows", || {
        let rows = app.script(
            "return Array.from(document.querySelectorAll('[data-testid=queue-row]'))\
               .map(r => [Number(r.dataset.number), r.innerText]);",
            json!([]),
        );
        rows.as_array().filter(|r| !r.is_empty()).cloned()
    });
    // Only the rows in view (and a few beyond) are rendered; they are the
    // first of the view, and the table tells how many there are in all.
    let shown: Vec<i64> = rows.iter().map(|r| r[0].as_i64().unwrap()).collect();
    assert!(
        (10..=expected.len()).contains(&shown.len()),
        "a window of rows: {}",
        shown.len()
    );
    assert_eq!(
        shown,
        expected[..shown.len()],
        "my open tickets in SLA order, as the cache has them"
    );
    let row_count = app.script(
        "return Number(document.querySelector('[data-testid=queue-table]').getAttribute('aria-rowcount'));",
        json!([]),
    );
    assert!(
        row_count.as_i64().is_some_and(|n| n > 50),
        "the whole view's size, header included: {row_count}"
    );
    let first_text = rows[0][1].as_str().unwrap();
    assert!(
        first_text.contains(&format!("#{}", expected[0])),
        "row shows its number: {first_text}"
    );
    let errors = app.script(
        "return document.querySelectorAll('[data-testid=error-state]').length;",
        json!([]),
    );
    assert_eq!(errors, json!(0), "no error state");
    app.screenshot("queue");

    // Through the real IPC: a malformed request is answered with a stable
    // code, and a command no capability grants is refused.
    for bad in [
        json!({ "request": { "view": "bogus", "after": null, "limit": 50 } }),
        json!({ "request": { "view": "team", "after": { "urgency": "soon" }, "limit": 50 } }),
        json!({ "request": { "view": "team", "after": null, "limit": 50, "sql": "DROP TABLE tickets" } }),
        json!({}),
    ] {
        let answer = app.invoke("queue_page", bad.clone());
        assert_eq!(
            answer["err"]["code"], "ipc.bad_request",
            "{bad} -> {answer}"
        );
        assert!(
            answer["err"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{answer}"
        );
    }
    let refused = app.invoke("plugin:window|set_title", json!({ "value": "pwned" }));
    assert!(
        refused.get("ok").is_none() && refused.get("err").is_some(),
        "not granted: {refused}"
    );
    let page = app.invoke(
        "queue_page",
        json!({ "request": { "view": "team", "after": null, "limit": 5 } }),
    );
    assert_eq!(
        page["ok"]["rows"].as_array().map(Vec::len),
        Some(5),
        "{page}"
    );
}

#[test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run by `cargo xtask test`"]
fn a_damaged_cache_is_moved_aside_and_the_agent_is_told() {
    let data_dir = tempfile::tempdir().unwrap();
    let damaged = "не база данных\n".repeat(500);
    std::fs::write(data_dir.path().join("cache.sqlite"), &damaged).unwrap();
    let app = App::start(data_dir.path(), "damaged-cache");

    let notice = app.text_of("[data-testid=cache-notice]");
    assert!(
        notice.contains("moved aside") && notice.contains("Nothing was deleted"),
        "{notice}"
    );
    let folder = adopt_cache(data_dir.path(), None);
    let kept: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains(".damaged-"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(
        std::fs::read_to_string(&kept[0]).unwrap(),
        damaged,
        "kept as it was"
    );
    assert!(
        notice.contains(&*kept[0].to_string_lossy()),
        "the notice says where: {notice}"
    );
    app.screenshot("damaged-cache");
}

#[test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run by `cargo xtask test`"]
fn a_cache_from_a_newer_app_is_refused_with_a_clear_message() {
    let data_dir = tempfile::tempdir().unwrap();
    let cache = data_dir.path().join("cache.sqlite");
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        Store::open(&cache).await.unwrap().store.close().await;
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", cache.display())).await.unwrap();
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             VALUES (99, 'from a newer Shiftdesk', 1, x'00', 0)",
        )
        .execute(&pool)
        .await
        .unwrap();
        pool.close().await;
    });
    let app = App::start(data_dir.path(), "schema-too-new");

    let error = app.text_of("[data-testid=error-state]");
    assert!(
        error.contains("cache.schema_too_new"),
        "the code is shown: {error}"
    );
    assert!(error.contains("newer"), "{error}");
    let rows = app.script(
        "return document.querySelectorAll('[data-testid=queue-row]').length;",
        json!([]),
    );
    assert_eq!(rows, json!(0));
    app.screenshot("schema-too-new");
}

#[test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run by `cargo xtask test`"]
fn the_status_bar_names_the_server_and_the_signed_in_agent() {
    let server = ReferenceServer::start("server-connected");
    let token = server.token();
    let data_dir = tempfile::tempdir().unwrap();
    demo_cache(data_dir.path());
    let app = App::start_with(
        data_dir.path(),
        "server-connected",
        &[(API_URL_ENV, &server.url), (API_TOKEN_ENV, &token)],
    );

    let me = shiftdesk_demo::agents()
        .into_iter()
        .find(|a| a.id == shiftdesk_demo::ME)
        .unwrap();
    let status = app.text_when("[data-testid=server-status]", |t| t.contains("Connected"));
    assert_eq!(
        status.trim(),
        format!("Connected to {} as {} (agent)", server.name(), me.name)
    );
    assert!(!status.contains(&token));
    let header = app.text_of("header");
    assert!(
        header
            .lines()
            .any(|l| l.trim() == format!("Signed in as {}", me.name)),
        "{header}"
    );
    assert!(
        app.queue_rows() >= 10,
        "the queue comes from the cache as before"
    );
    app.screenshot("server-connected");
}

#[test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run by `cargo xtask test`"]
fn a_token_revoked_before_start_leads_to_the_sign_in_screen() {
    let server = ReferenceServer::start("server-refused");
    let token = server.token();
    let agent = shiftdesk_demo::ME.0.to_string();
    server.cli.run(&["agent", "disable", "--id", &agent]);
    let data_dir = tempfile::tempdir().unwrap();
    demo_cache(data_dir.path());
    let app = App::start_with(
        data_dir.path(),
        "server-refused",
        &[(API_URL_ENV, &server.url), (API_TOKEN_ENV, &token)],
    );

    let notice = app.text_of("[data-testid=signin-notice]");
    assert!(notice.contains("signed out"), "{notice}");
    assert!(!notice.contains(&token), "{notice}");
    let rows = app.script(
        "return document.querySelectorAll('[data-testid=queue-row]').length;",
        json!([]),
    );
    assert_eq!(
        rows,
        json!(0),
        "no tickets without a token the server takes"
    );
    app.screenshot("server-refused");
}

#[test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run by `cargo xtask test`"]
fn a_server_that_is_down_leaves_the_agent_on_the_cache() {
    let data_dir = tempfile::tempdir().unwrap();
    demo_cache(data_dir.path());
    // The account's server is a free port nothing listens on.
    adopt_cache(data_dir.path(), None);
    let app = App::start(data_dir.path(), "server-down");
    let book = shiftdesk_engine::accounts::AccountBook::open(data_dir.path()).unwrap();
    let server = book.current().unwrap().server.clone();
    let port = server
        .trim_end_matches('/')
        .rsplit(':')
        .next()
        .unwrap()
        .to_owned();

    let status = app.text_when("[data-testid=server-status]", |t| t.contains("unreachable"));
    assert_eq!(
        status.trim(),
        format!("Server 127.0.0.1:{port} unreachable: connection refused — working from the local cache")
    );
    assert!(app.queue_rows() >= 10, "the cache answers");
    app.screenshot("server-down");
}

#[test]
#[ignore = "needs a display, tauri-driver, WebKitWebDriver and a session bus: run by `cargo xtask test`"]
fn a_breach_notification_opens_its_ticket_in_the_window() {
    let (rt, server) = notifications();
    let data_dir = tempfile::tempdir().unwrap();
    // Ticket 1 breaches 8 s from now; three more are fine for the hour.
    let mut threads = vec![sla_cache::breaching_in(1, 8_000)];
    threads.extend((2..=4).map(|n| sla_cache::breaching_in(n, 50 * sla_cache::MINUTE_MS)));
    rt.block_on(async {
        sla_cache::open(data_dir.path(), &threads, Role::Agent)
            .await
            .close()
            .await;
    });
    let app = App::start(data_dir.path(), "breach-notification");
    assert_eq!(app.queue_rows(), 4);

    let breach = wait_until(Duration::from_secs(40), "the breach notification", || {
        server
            .shown()
            .into_iter()
            .find(|s| s.summary == "SLA breached · #1")
    });
    assert_eq!(breach.app_name, "Shiftdesk");
    assert!(
        breach.body.ends_with("\nVM 1 does not boot"),
        "{}",
        breach.body
    );
    assert_eq!(breach.actions, ["default", "Open", "open", "Open #1"]);
    let before = server.shown().len();

    // The agent clicks "Open": the window shows ticket 1. (notify-rust
    // listens for the click only once its Notify call returned, so the
    // click is repeated until the window reacts.)
    wait_until(
        Duration::from_secs(20),
        "the window to open ticket 1",
        || {
            rt.block_on(server.invoke_action(breach.id, "open"));
            std::thread::sleep(Duration::from_millis(300));
            let pane = app.script(
            "const p = document.querySelector('[data-testid=ticket-pane]'); return p && p.dataset.ticket;",
            json!([]),
        );
            (pane == json!("1")).then_some(())
        },
    );
    let subject = app.text_of("[data-testid=ticket-pane-subject]");
    assert_eq!(subject, "VM 1 does not boot");
    let state = app.script(
        "return document.querySelector('[data-testid=sla-metric-first_response]').dataset.state;",
        json!([]),
    );
    assert_eq!(state, json!("breached"));
    app.screenshot("breach-notification-opened");
    // Nothing was told twice while the window worked.
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(server.shown().len(), before, "{:#?}", server.shown());
}

#[test]
#[ignore = "needs a display, tauri-driver, WebKitWebDriver and a session bus: run by `cargo xtask test`"]
fn the_lead_s_breach_board_shows_the_team_and_reassigns_through_the_outbox() {
    use sla_cache::{assigned, breaching_in, COLLEAGUE, ME, MINUTE_MS};
    let rt = runtime();
    let data_dir = tempfile::tempdir().unwrap();
    let threads = [
        assigned(breaching_in(1, -5 * MINUTE_MS), COLLEAGUE),
        assigned(breaching_in(2, -30 * MINUTE_MS), ME),
        assigned(breaching_in(3, 5 * MINUTE_MS), COLLEAGUE),
        assigned(breaching_in(4, 40 * MINUTE_MS), ME),
    ];
    rt.block_on(async {
        sla_cache::open(data_dir.path(), &threads, Role::Lead)
            .await
            .close()
            .await;
    });
    let app = App::start(data_dir.path(), "breach-board");
    app.queue_rows();
    wait_until(Duration::from_secs(30), "the board tab", || {
        let clicked = app.script(
            "const t = document.querySelector('[data-testid=view-tab-board]'); if (t) t.click(); return !!t;",
            json!([]),
        );
        (clicked == json!(true)).then_some(())
    });
    let section = |name: &str| {
        app.script(
            "return Array.from(document.querySelectorAll(\
               `[data-testid=board-section-${arguments[0]}] [data-testid=board-row]`))\
               .map(r => Number(r.dataset.ticket));",
            json!([name]),
        )
    };
    wait_until(Duration::from_secs(30), "the board's rows", || {
        (section("breached") == json!([2, 1])).then_some(())
    });
    assert_eq!(section("warning"), json!([3]));
    assert_eq!(section("forecast"), json!([4]));
    let summary = app.text_of("[data-testid=board-summary]");
    assert!(summary.contains("Sam Carter"), "{summary}");
    assert!(summary.contains("Ирина Волкова"), "{summary}");
    app.screenshot("breach-board");

    // The lead gives the colleague's warning ticket to themselves, once the
    // team's names are in the list.
    wait_until(
        Duration::from_secs(20),
        "the reassign list to offer the lead",
        || {
            let chosen = app.script(
            "const row = document.querySelector('[data-testid=board-section-warning] [data-testid=board-row]');\
             const select = row.querySelector('[data-testid=reassign-select]');\
             if (!select.querySelector(`option[value=\"${arguments[0]}\"]`)) return null;\
             select.value = String(arguments[0]);\
             select.dispatchEvent(new Event('change', { bubbles: true }));\
             return true;",
            json!([ME.0]),
        );
            // The list goes back to its prompt once the choice is taken.
            (chosen == json!(true)).then_some(())
        },
    );
    wait_until(
        Duration::from_secs(20),
        "the reassignment to be queued",
        || {
            let state = app.script(
            "const s = document.querySelector('[data-testid=board-section-warning] [data-testid=reassign-status]');\
             return s && s.dataset.state;",
            json!([]),
        );
            (state == json!("queued")).then_some(())
        },
    );
    drop(app);
    let outbox = rt.block_on(async {
        // The account's own cache, where the app moved the one written here.
        let cache = adopt_cache(data_dir.path(), None).join("cache.sqlite");
        let store = Store::open(&cache).await.unwrap().store;
        store.outbox().await.unwrap()
    });
    assert_eq!(outbox.len(), 1, "{outbox:?}");
    assert_eq!(outbox[0].ticket.0, 3);
    assert!(
        outbox[0].mutation.contains("\"assign\""),
        "{}",
        outbox[0].mutation
    );
}

#[test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run by `cargo xtask test`"]
fn russian_and_dark_chosen_in_the_settings_apply_at_once_and_after_a_restart() {
    let data_dir = tempfile::tempdir().unwrap();
    demo_cache(data_dir.path());
    let choose = |app: &App, setting: &str, value: &str| {
        app.script(
            "const select = document.querySelector(arguments[0]);\
             select.value = arguments[1];\
             select.dispatchEvent(new Event('change', { bubbles: true }));",
            json!([format!("[data-testid=setting-{setting}]"), value]),
        );
    };
    let root = |app: &App| {
        app.script(
            "return [document.documentElement.lang, document.documentElement.dataset.theme ?? null];",
            json!([]),
        )
    };
    {
        let app = App::start(data_dir.path(), "language-theme");
        app.queue_rows();
        assert_eq!(
            app.text_of("[data-testid=view-tab-mine_open]")
                .lines()
                .next(),
            Some("My open")
        );
        app.script(
            "document.querySelector('[data-testid=settings-button]').click();",
            json!([]),
        );
        app.text_of("[data-testid=setting-language]");
        choose(&app, "language", "ru");
        choose(&app, "theme", "dark");
        app.text_when("[data-testid=view-tab-mine_open]", |text| {
            text.starts_with("Мои открытые")
        });
        wait_until(Duration::from_secs(10), "the dark theme", || {
            (root(&app) == json!(["ru", "dark"])).then_some(())
        });
        app.screenshot("language-theme-russian-dark");
    }

    // The choice is in the cache: the next start opens in it.
    let app = App::start(data_dir.path(), "language-theme-restart");
    app.queue_rows();
    assert!(app
        .text_of("[data-testid=view-tab-mine_open]")
        .starts_with("Мои открытые"));
    assert_eq!(root(&app), json!(["ru", "dark"]));
    assert_eq!(
        app.invoke("ui_preferences", json!({})),
        json!({ "ok": { "language": "ru", "theme": "dark" } })
    );
}
