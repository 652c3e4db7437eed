//! End to end: the real Shiftdesk binary, driven through tauri-driver and
//! WebKitWebDriver on an X display, shows the demo queue from a real cache.
//!
//! Needs a display, `tauri-driver` and `WebKitWebDriver`; `cargo xtask test`
//! provides all three and runs it with `--ignored`.

#![allow(clippy::unwrap_used)] // a test that cannot go on should stop loudly

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{json, Value};
use shiftdesk_store::{QueueRequest, QueueView, Store};

struct Driver {
    child: Child,
    base: String,
    http: reqwest::blocking::Client,
}

impl Drop for Driver {
    fn drop(&mut self) {
        // tauri-driver starts WebKitWebDriver, which starts the app: end the
        // whole process group, or they outlive the test.
        let _ = Command::new("kill")
            .args(["-s", "KILL", "--", &format!("-{}", self.child.id())])
            .status();
        let _ = self.child.wait();
    }
}

impl Driver {
    fn start(data_dir: &Path, log: &Path) -> Driver {
        let port = free_port();
        let native_port = free_port();
        let log = std::fs::File::create(log).unwrap();
        let child = Command::new(tauri_driver())
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .env("SHIFTDESK_DATA_DIR", data_dir)
            .process_group(0)
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("tauri-driver must be installed (cargo xtask test installs it)");
        let http = reqwest::blocking::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .unwrap();
        let driver = Driver {
            child,
            base: format!("http://127.0.0.1:{port}"),
            http,
        };
        wait_until(Duration::from_secs(20), "tauri-driver to listen", || {
            driver
                .http
                .get(format!("{}/status", driver.base))
                .send()
                .ok()
                .map(|_| ())
        });
        driver
    }

    fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{path}", self.base);
        let mut request = self.http.request(method, &url);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().unwrap_or_else(|e| panic!("{url}: {e}"));
        let status = response.status();
        let value: Value = response.json().unwrap();
        assert!(status.is_success(), "{url} answered {status}: {value}");
        value["value"].clone()
    }
}

fn tauri_driver() -> PathBuf {
    let on_path = Command::new("tauri-driver")
        .arg("--help")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    if on_path.is_ok() {
        return PathBuf::from("tauri-driver");
    }
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cargo"));
    home.join("bin/tauri-driver")
}

fn now() -> shiftdesk_domain::Timestamp {
    let since_epoch = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    shiftdesk_domain::Timestamp(i64::try_from(since_epoch.as_millis()).unwrap())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_until<T>(limit: Duration, what: &str, mut probe: impl FnMut() -> Option<T>) -> T {
    let started = Instant::now();
    loop {
        if let Some(value) = probe() {
            return value;
        }
        assert!(
            started.elapsed() < limit,
            "gave up waiting for {what} after {limit:?}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

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
        let page = store
            .queue_page(&QueueRequest {
                view: QueueView::MineOpen,
                after: None,
                limit: 50,
            })
            .await
            .unwrap();
        store.close().await;
        page.rows.iter().map(|r| r.number.0).collect()
    })
}

#[test]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver: run by `cargo xtask test`"]
fn the_window_shows_the_demo_queue() {
    assert!(
        std::env::var_os("DISPLAY").is_some(),
        "no DISPLAY: run through `cargo xtask test`"
    );
    let data_dir = tempfile::tempdir().unwrap();
    let expected = demo_cache(data_dir.path());
    assert_eq!(expected.len(), 50, "the demo gives a full first page");

    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/e2e");
    std::fs::create_dir_all(&out).unwrap();
    let driver = Driver::start(data_dir.path(), &out.join("tauri-driver.log"));
    let session = driver.call(
        reqwest::Method::POST,
        "/session",
        Some(json!({ "capabilities": { "alwaysMatch": {
            "tauri:options": { "application": env!("CARGO_BIN_EXE_shiftdesk") }
        }}})),
    );
    let id = session["sessionId"]
        .as_str()
        .expect("a session id")
        .to_owned();
    let find_all = |css: &str| {
        driver.call(
            reqwest::Method::POST,
            &format!("/session/{id}/elements"),
            Some(json!({"using": "css selector", "value": css})),
        )
    };
    // Each row's ticket number and the text a person sees in it.
    let script = json!({
        "script": "return Array.from(document.querySelectorAll('[data-testid=queue-row]'))\
                   .map(r => [Number(r.dataset.number), r.innerText]);",
        "args": []
    });
    let rows = wait_until(Duration::from_secs(30), "the queue rows", || {
        let rows = driver.call(
            reqwest::Method::POST,
            &format!("/session/{id}/execute/sync"),
            Some(script.clone()),
        );
        rows.as_array().filter(|r| !r.is_empty()).cloned()
    });
    let shown: Vec<i64> = rows.iter().map(|r| r[0].as_i64().unwrap()).collect();
    assert_eq!(
        shown, expected,
        "the window shows my open tickets in SLA order, as the cache has them"
    );
    let first_text = rows[0][1].as_str().unwrap();
    assert!(
        first_text.contains(&format!("#{}", expected[0])),
        "row shows its number: {first_text}"
    );

    // Through the real IPC: a malformed request is answered with a stable
    // code, and a command no capability grants is refused.
    let invoke = |command: &str, args: Value| {
        let script = json!({
            "script": "const done = arguments[arguments.length - 1];\
                       window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1])\
                         .then(ok => done({ ok }), err => done({ err }));",
            "args": [command, args]
        });
        driver.call(
            reqwest::Method::POST,
            &format!("/session/{id}/execute/async"),
            Some(script),
        )
    };
    for bad in [
        json!({ "request": { "view": "bogus", "after": null, "limit": 50 } }),
        json!({ "request": { "view": "all", "after": { "urgency": "soon" }, "limit": 50 } }),
        json!({ "request": { "view": "all", "after": null, "limit": 50, "sql": "DROP TABLE tickets" } }),
        json!({}),
    ] {
        let answer = invoke("queue_page", bad.clone());
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
    let refused = invoke("plugin:window|set_title", json!({ "value": "pwned" }));
    assert!(
        refused.get("ok").is_none() && refused.get("err").is_some(),
        "not granted: {refused}"
    );
    let page = invoke(
        "queue_page",
        json!({ "request": { "view": "all", "after": null, "limit": 5 } }),
    );
    assert_eq!(
        page["ok"]["rows"].as_array().map(Vec::len),
        Some(5),
        "{page}"
    );

    let errors = find_all("[data-testid=error-state]");
    assert_eq!(errors.as_array().map(Vec::len), Some(0), "no error state");

    let png = driver.call(
        reqwest::Method::GET,
        &format!("/session/{id}/screenshot"),
        None,
    );
    let png = base64::engine::general_purpose::STANDARD
        .decode(png.as_str().unwrap())
        .unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    std::fs::write(out.join("queue.png"), png).unwrap();

    driver.call(reqwest::Method::DELETE, &format!("/session/{id}"), None);
}
