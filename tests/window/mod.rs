//! The harness of the window tests: the real Shiftdesk binary driven
//! through tauri-driver and WebKitWebDriver, the real `shiftdesk-server`
//! binary on a loopback port, and the recording notification server every
//! app of a test binary talks to.

#![allow(dead_code)] // each test binary uses the part it needs

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{json, Value};

use crate::notification_server::NotificationServer;

/// tauri-driver, the WebKitWebDriver it starts, the app, and one session.
pub struct App {
    driver: Child,
    base: String,
    session: String,
    http: reqwest::blocking::Client,
}

/// The server and token handed to the app at start (src-tauri/src/session.rs).
pub const API_URL_ENV: &str = "SHIFTDESK_API_URL";
pub const API_TOKEN_ENV: &str = "SHIFTDESK_API_TOKEN";

/// The demo agent every test cache is written for.
const CACHE_AGENT: shiftdesk_domain::AgentId = shiftdesk_domain::AgentId(1);

/// Where a cache a test wrote into the data folder goes: the demo agent's
/// account on `server`. Without a server the account's is one that is down
/// (a free port), its token in a file: the app works offline from the cache.
pub fn adopt_cache(data_dir: &Path, server: Option<&str>) -> PathBuf {
    use shiftdesk_engine::accounts::{Account, AccountBook};
    use shiftdesk_engine::credentials::{ApiToken, Storage, TokenVault};
    let mut book = AccountBook::open(data_dir).unwrap();
    if let Some(account) = book.current() {
        return book.folder(account);
    }
    let account = match server {
        Some(url) => Account::new(url, CACHE_AGENT, "Demo agent", None).unwrap(),
        None => {
            let token_file = data_dir.join("offline-token.json");
            let url = format!("http://127.0.0.1:{}", free_port());
            let account =
                Account::new(&url, CACHE_AGENT, "Demo agent", Some(token_file.clone())).unwrap();
            TokenVault::open(account.token_key().unwrap(), Storage::File(token_file))
                .unwrap()
                .save(&ApiToken::new("sdk_offline"))
                .unwrap();
            account
        }
    };
    let folder = book.enter(account).unwrap();
    for name in [
        "cache.sqlite",
        "cache.sqlite-wal",
        "cache.sqlite-shm",
        "attachments",
    ] {
        let from = data_dir.join(name);
        if from.exists() {
            std::fs::rename(&from, folder.join(name)).unwrap();
        }
    }
    folder
}

impl App {
    /// Starts the app on the data folder `data_dir` as the demo agent, on
    /// the cache a test wrote there and a server that is down.
    pub fn start(data_dir: &Path, name: &str) -> App {
        adopt_cache(data_dir, None);
        App::launch(data_dir, name, &[])
    }

    /// Starts the app on the data folder `data_dir` with `env` set: a
    /// server and token handed over, the cache a test wrote (if any) the
    /// demo agent's on that server.
    pub fn start_with(data_dir: &Path, name: &str, env: &[(&str, &str)]) -> App {
        if data_dir.join("cache.sqlite").exists() {
            let server = env.iter().find(|(k, _)| *k == API_URL_ENV).map(|(_, v)| *v);
            adopt_cache(data_dir, server);
        }
        App::launch(data_dir, name, env)
    }

    /// Starts the app on `data_dir` as it is.
    pub fn launch(data_dir: &Path, name: &str, env: &[(&str, &str)]) -> App {
        assert!(
            std::env::var_os("DISPLAY").is_some(),
            "no DISPLAY: run through `cargo xtask test`"
        );
        notifications();
        let port = free_port();
        let log =
            std::fs::File::create(out_dir().join(format!("{name}.tauri-driver.log"))).unwrap();
        let driver = Command::new(tauri_driver())
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &free_port().to_string(),
            ])
            .env("SHIFTDESK_DATA_DIR", data_dir)
            // Only the server a test names, whatever the shell running the tests has.
            .env_remove(API_URL_ENV)
            .env_remove(API_TOKEN_ENV)
            // The window and its notifications follow the locale; the tests
            // read English.
            .env("LC_ALL", "C.UTF-8")
            .env_remove("LANGUAGE")
            .envs(env.iter().copied())
            // Its own process group, so ending it ends WebKitWebDriver and the app.
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
        let mut app = App {
            driver,
            base: format!("http://127.0.0.1:{port}"),
            session: String::new(),
            http,
        };
        wait_until(Duration::from_secs(20), "tauri-driver to listen", || {
            app.http.get(format!("{}/status", app.base)).send().ok()
        });
        let session = app.call(
            reqwest::Method::POST,
            "/session",
            Some(json!({ "capabilities": { "alwaysMatch": {
                "tauri:options": { "application": env!("CARGO_BIN_EXE_shiftdesk-desktop") }
            }}})),
        );
        app.session = session["sessionId"]
            .as_str()
            .expect("a session id")
            .to_owned();
        app
    }

    /// The tauri-driver process: WebKitWebDriver and the app run under it.
    pub fn driver_pid(&self) -> u32 {
        self.driver.id()
    }

    pub fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
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

    /// Runs `script` in the window and returns what it returns.
    pub fn script(&self, script: &str, args: Value) -> Value {
        let path = format!("/session/{}/execute/sync", self.session);
        self.call(
            reqwest::Method::POST,
            &path,
            Some(json!({ "script": script, "args": args })),
        )
    }

    /// Runs `script` in the window; what it passes to its last argument,
    /// the callback, is the answer.
    pub fn script_async(&self, script: &str, args: Value) -> Value {
        let path = format!("/session/{}/execute/async", self.session);
        self.call(
            reqwest::Method::POST,
            &path,
            Some(json!({ "script": script, "args": args })),
        )
    }

    /// Calls a command through the window's real IPC: `{ok}` or `{err}`.
    pub fn invoke(&self, command: &str, args: Value) -> Value {
        let script = "const done = arguments[arguments.length - 1];\
                      window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1])\
                        .then(ok => done({ ok }), err => done({ err }));";
        self.script_async(script, json!([command, args]))
    }

    /// The text of the first element matching `css`, once there is one.
    pub fn text_of(&self, css: &str) -> String {
        self.text_when(css, |_| true)
    }

    /// The text of the first element matching `css`, once there is one
    /// whose text `done` accepts.
    pub fn text_when(&self, css: &str, done: impl Fn(&str) -> bool) -> String {
        wait_until(Duration::from_secs(30), css, || {
            let text = self.script(
                "const e = document.querySelector(arguments[0]); return e && e.innerText;",
                json!([css]),
            );
            text.as_str().filter(|t| done(t)).map(str::to_owned)
        })
    }

    /// Clicks the first element matching `css`, once there is one.
    pub fn click(&self, css: &str) {
        wait_until(Duration::from_secs(30), css, || {
            let clicked = self.script(
                "const e = document.querySelector(arguments[0]); if (e) e.click(); return !!e;",
                json!([css]),
            );
            clicked.as_bool().filter(|&c| c)
        });
    }

    /// Sets the value of the form field matching `css` as typing or
    /// choosing would, and tells the page (`input` and `change`).
    pub fn fill(&self, css: &str, value: &str) {
        wait_until(Duration::from_secs(30), css, || {
            let filled = self.script(
                "const e = document.querySelector(arguments[0]);\
                 if (!e || e.readOnly || e.disabled) return false;\
                 e.value = arguments[1];\
                 e.dispatchEvent(new Event('input', { bubbles: true }));\
                 e.dispatchEvent(new Event('change', { bubbles: true }));\
                 return true;",
                json!([css, value]),
            );
            filled.as_bool().filter(|&f| f)
        });
    }

    /// Chooses the file at `path` in the file input matching `css`, as the
    /// file dialog would (WebDriver sends the path to the input).
    pub fn choose_file(&self, css: &str, path: &Path) {
        let found = self.call(
            reqwest::Method::POST,
            &format!("/session/{}/element", self.session),
            Some(json!({ "using": "css selector", "value": css })),
        );
        let element = found
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element {css}: {found}"))
            .to_owned();
        self.call(
            reqwest::Method::POST,
            &format!("/session/{}/element/{element}/value", self.session),
            Some(json!({ "text": path.to_str().unwrap() })),
        );
    }

    /// Presses `key` (with Ctrl when `ctrl`) on the element matching `css`.
    pub fn press(&self, css: &str, key: &str, ctrl: bool) {
        self.script(
            "document.querySelector(arguments[0]).dispatchEvent(new KeyboardEvent('keydown',\
             { key: arguments[1], ctrlKey: arguments[2], bubbles: true, cancelable: true }));",
            json!([css, key, ctrl]),
        );
    }

    /// Whether `script` (a boolean expression over `arguments`) holds, polled until it does.
    pub fn until(&self, what: &str, script: &str, args: Value) {
        wait_until(Duration::from_secs(30), what, || {
            self.script(&format!("return !!({script});"), args.clone())
                .as_bool()
                .filter(|&b| b)
        });
    }

    /// How many queue rows the window shows, once it shows some.
    pub fn queue_rows(&self) -> usize {
        wait_until(Duration::from_secs(30), "the queue rows", || {
            let rows = self.script(
                "return document.querySelectorAll('[data-testid=queue-row]').length;",
                json!([]),
            );
            rows.as_u64().filter(|&n| n > 0)
        })
        .try_into()
        .unwrap()
    }

    pub fn screenshot(&self, name: &str) {
        // What the page shows after its last change is painted: two frames on.
        self.script_async(
            "const done = arguments[arguments.length - 1];\
             requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
            json!([]),
        );
        // WebKit takes the shot at the page's next rendering update; without
        // compositing a page with nothing moving never has one. A few
        // invisible style changes while the shot is asked for give it one.
        self.script(
            "let n = 0;\
             const nudge = () => {\
               document.body.style.outline = n % 2 ? '' : '1px solid transparent';\
               if (++n < 40) setTimeout(nudge, 50);\
             };\
             setTimeout(nudge, 50);",
            json!([]),
        );
        let png = self.call(
            reqwest::Method::GET,
            &format!("/session/{}/screenshot", self.session),
            None,
        );
        let png = base64::engine::general_purpose::STANDARD
            .decode(png.as_str().unwrap())
            .unwrap();
        assert!(png.starts_with(b"\x89PNG"));
        std::fs::write(out_dir().join(format!("{name}.png")), png).unwrap();
    }
}

impl Drop for App {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self
                .http
                .delete(format!("{}/session/{}", self.base, self.session))
                .send();
        }
        let _ = Command::new("kill")
            .args(["-s", "KILL", "--", &format!("-{}", self.driver.id())])
            .status();
        let _ = self.driver.wait();
    }
}

/// The real `shiftdesk-server` binary and its database.
pub struct ServerCli {
    bin: PathBuf,
    pub db: PathBuf,
}

impl ServerCli {
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(&self.bin);
        cmd.arg("--db").arg(&self.db).args(args);
        cmd
    }

    /// Runs a subcommand on the database; what it printed.
    pub fn run(&self, args: &[&str]) -> String {
        let out = self.command(args).output().unwrap();
        assert!(
            out.status.success(),
            "shiftdesk-server {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }
}

/// The server serving a small demo desk from a temporary database on a
/// free loopback port.
pub struct ReferenceServer {
    pub cli: ServerCli,
    serving: Option<Child>,
    pub url: String,
    port: u16,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

impl ReferenceServer {
    pub fn start(name: &str) -> ReferenceServer {
        // Built beside the app: `cargo xtask test` builds it before this test.
        let bin =
            Path::new(env!("CARGO_BIN_EXE_shiftdesk-desktop")).with_file_name("shiftdesk-server");
        assert!(
            bin.exists(),
            "{} is missing: `cargo build -p shiftdesk-server` first",
            bin.display()
        );
        let dir = tempfile::tempdir().unwrap();
        let cli = ServerCli {
            bin,
            db: dir.path().join("server.sqlite"),
        };
        cli.run(&["demo", "--tickets", "50"]);
        let mut server = ReferenceServer {
            cli,
            serving: None,
            url: String::new(),
            port: free_port(),
            log: out_dir().join(format!("{name}.server.log")),
            _dir: dir,
        };
        server.url = format!("http://127.0.0.1:{}", server.port);
        server.resume();
        server
    }

    /// Stops serving (the database stays): the app finds it unreachable.
    pub fn stop(&mut self) {
        if let Some(mut serving) = self.serving.take() {
            let _ = serving.kill();
            let _ = serving.wait();
        }
    }

    /// Serves again on the same port from the same database.
    pub fn resume(&mut self) {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .unwrap();
        let serving = self
            .cli
            .command(&["serve", "--listen", &format!("127.0.0.1:{}", self.port)])
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap();
        self.serving = Some(serving);
        let port = self.port;
        wait_until(Duration::from_secs(20), "the server to listen", || {
            std::net::TcpStream::connect(("127.0.0.1", port)).ok()
        });
    }

    /// A fresh token for the demo agent who runs the console.
    pub fn token(&self) -> String {
        self.token_for(shiftdesk_demo::ME.0)
    }

    /// A fresh token for the demo agent `agent`.
    pub fn token_for(&self, agent: i64) -> String {
        let agent = agent.to_string();
        let printed = self.cli.run(&["agent", "token", "--id", &agent]);
        printed
            .lines()
            .find_map(|l| l.strip_prefix("token "))
            .expect("agent token prints the token")
            .to_owned()
    }

    /// Makes every device token of `agent` expired, as time would: call
    /// while the server is stopped.
    pub fn expire_devices(&self, agent: i64) {
        runtime().block_on(async {
            let url = format!("sqlite://{}", self.cli.db.display());
            let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
            let expired =
                sqlx::query("UPDATE devices SET expires_at = 0, sliding = 0 WHERE agent_id = ?")
                    .bind(agent)
                    .execute(&pool)
                    .await
                    .unwrap();
            assert!(expired.rows_affected() > 0, "agent {agent} has no device");
            pool.close().await;
        });
    }

    /// Host and port, as the status bar names the server.
    pub fn name(&self) -> &str {
        self.url.trim_start_matches("http://")
    }
}

impl Drop for ReferenceServer {
    fn drop(&mut self) {
        self.stop();
    }
}

pub fn out_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/e2e");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn tauri_driver() -> PathBuf {
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

pub fn now() -> shiftdesk_domain::Timestamp {
    let since_epoch = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    shiftdesk_domain::Timestamp(i64::try_from(since_epoch.as_millis()).unwrap())
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn wait_until<T>(limit: Duration, what: &str, mut probe: impl FnMut() -> Option<T>) -> T {
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

/// A tokio runtime for the parts of a window test that are async: the
/// recording notification server and the cache.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().unwrap()
}

/// The recording notification server every app of these tests talks to,
/// with the runtime that serves it. It owns org.freedesktop.Notifications
/// on the tests' session bus from the first app on, so the bus never starts
/// a desktop notification daemon of the machine instead.
pub fn notifications() -> &'static (tokio::runtime::Runtime, NotificationServer) {
    static SERVER: OnceLock<(tokio::runtime::Runtime, NotificationServer)> = OnceLock::new();
    SERVER.get_or_init(|| {
        let rt = runtime();
        let server = rt.block_on(NotificationServer::start());
        (rt, server)
    })
}
