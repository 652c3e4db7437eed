//! What the workspace tests share: the server's database read as an
//! auditor would, writing and sending in the composer, waiting on the
//! server, and the accessibility check with the screenshots people look at.

#![allow(dead_code)] // each test binary uses the part it needs

use std::time::Duration;

use serde_json::json;

use crate::window::{self, runtime, App, ReferenceServer};

/// The server's database, read the way an auditor would: what did it get?
pub struct ServerDb(sqlx::SqlitePool, tokio::runtime::Runtime);

impl ServerDb {
    pub fn open(server: &ReferenceServer) -> ServerDb {
        let rt = runtime();
        let url = format!("sqlite://{}?mode=ro", server.cli.db.display());
        let pool = rt.block_on(sqlx::SqlitePool::connect(&url)).unwrap();
        ServerDb(pool, rt)
    }

    /// `(kind, channel)` of every message on `ticket` whose body is `body`.
    pub fn messages_with(&self, ticket: i64, body: &str) -> Vec<(String, String)> {
        self.1.block_on(async {
            sqlx::query_as(
                "SELECT json_extract(body, '$.kind.kind'), json_extract(body, '$.channel') \
                 FROM messages WHERE ticket_number = ? AND json_extract(body, '$.body') = ?",
            )
            .bind(ticket)
            .bind(body)
            .fetch_all(&self.0)
            .await
            .unwrap()
        })
    }

    /// `(name, size)` of the files of the message on `ticket` whose body is `body`.
    pub fn files_with(&self, ticket: i64, body: &str) -> Vec<(String, i64)> {
        self.1.block_on(async {
            sqlx::query_as(
                "SELECT json_extract(a.body, '$.name'), json_extract(a.body, '$.size_bytes') \
                 FROM attachments a JOIN messages m ON m.id = json_extract(a.body, '$.message') \
                 WHERE m.ticket_number = ? AND json_extract(m.body, '$.body') = ? ORDER BY a.id",
            )
            .bind(ticket)
            .bind(body)
            .fetch_all(&self.0)
            .await
            .unwrap()
        })
    }

    /// The ticket's subject: customer text, to look for where none may be.
    pub fn subject(&self, ticket: i64) -> String {
        self.1.block_on(async {
            sqlx::query_scalar(
                "SELECT json_extract(body, '$.subject') FROM tickets WHERE number = ?",
            )
            .bind(ticket)
            .fetch_one(&self.0)
            .await
            .unwrap()
        })
    }

    pub fn status(&self, ticket: i64) -> String {
        self.1.block_on(async {
            sqlx::query_scalar(
                "SELECT json_extract(body, '$.status') FROM tickets WHERE number = ?",
            )
            .bind(ticket)
            .fetch_one(&self.0)
            .await
            .unwrap()
        })
    }
}

/// Writes `text` in the composer and sends it with Ctrl+Enter once Rust's
/// preview allows it.
pub fn send(app: &App, text: &str) {
    app.fill("[data-testid=compose-body]", text);
    app.until(
        "the send button",
        "!document.querySelector('[data-testid=compose-send]').disabled",
        json!([]),
    );
    app.press("[data-testid=compose-body]", "Enter", true);
    app.until(
        "the composer to empty",
        "document.querySelector('[data-testid=compose-body]').value === ''",
        json!([]),
    );
}

/// Waits until the conversation shows `text` confirmed by the server (no
/// longer waiting in the outbox); returns the message's kind.
pub fn confirmed(app: &App, text: &str) -> String {
    let script = "const m = [...document.querySelectorAll('[data-testid=message]')]\
                    .find(m => m.querySelector('.text')?.innerText === arguments[0]);\
                  return m && !m.querySelector('[data-testid=message-unsent]') ? m.dataset.kind : null;";
    window::wait_until(
        Duration::from_secs(30),
        "the message to be confirmed",
        || {
            app.script(script, json!([text]))
                .as_str()
                .map(str::to_owned)
        },
    )
}

pub fn choose_mode(app: &App, mode: &str) {
    app.click(&format!("[data-testid=compose-mode-{mode}] input"));
}

pub fn wait_for(mut done: impl FnMut() -> bool, what: &str) {
    window::wait_until(Duration::from_secs(30), what, || done().then_some(()));
}

/// Where the screenshots of the main screens are kept, for people to look at.
pub fn screenshots_dir() -> std::path::PathBuf {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs axe-core in the window over what it shows now; the serious and
/// critical violations, as "rule: target" lines.
pub fn accessibility_violations(app: &App) -> Vec<String> {
    let axe = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/ui/node_modules/axe-core/axe.min.js"
    ))
    .expect("axe-core is a UI dev dependency: `npm ci` in ui/ first");
    app.script(&format!("{axe}\nreturn true;"), json!([]));
    let found = app.script_async(
        "const done = arguments[arguments.length - 1];\
         axe.run(document, { resultTypes: ['violations'] }).then(r => done(r.violations\
           .filter(v => v.impact === 'serious' || v.impact === 'critical')\
           .flatMap(v => v.nodes.map(n => `${v.id} (${v.impact}): ${n.target.join(' ')}`))),\
           e => done([`axe failed: ${e}`]));",
        json!([]),
    );
    found
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}
