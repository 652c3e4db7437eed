//! A recording `org.freedesktop.Notifications` server for tests: it owns the
//! name on the session bus the test runs on, keeps every notification it is
//! asked to show, and plays the agent's clicks and dismissals.
//!
//! Like dunst, it sends a notification's signals to the connection that
//! showed it alone, so a client listening on another connection misses
//! them here as it would on such a desktop.

#![allow(dead_code, clippy::unwrap_used)]

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{mpsc, watch};
use zbus::message::Header;
use zbus::OwnedVariant;

const NAME: &str = "org.freedesktop.Notifications";
const PATH: &str = "/org/freedesktop/Notifications";
/// How long `wait_for` and `click` wait before they fail the test.
const DEADLINE: Duration = Duration::from_secs(20);

/// A notification as the server received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    /// The id the server gave it.
    pub id: u32,
    /// The unique bus name of the connection that showed it.
    pub sender: String,
    pub app_name: String,
    pub replaces_id: u32,
    pub app_icon: String,
    pub summary: String,
    pub body: String,
    /// Flat, as on the wire: key, label, key, label, ...
    pub actions: Vec<String>,
    pub hints: BTreeMap<String, HintValue>,
    pub expire_timeout: i32,
}

/// A hint's value, by its D-Bus type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HintValue {
    Byte(u8),
    Bool(bool),
    Int(i32),
    Str(String),
    /// Any other type, as its debug text.
    Other(String),
}

/// Why a notification went away, as the spec numbers it.
#[derive(Debug, Clone, Copy)]
#[repr(u32)]
pub enum CloseReason {
    Expired = 1,
    Dismissed = 2,
    Closed = 3,
}

#[derive(Default)]
struct Record {
    next_id: u32,
    senders: HashMap<u32, String>,
    closed: Vec<u32>,
}

struct Daemon {
    shown: watch::Sender<Vec<Shown>>,
    record: Arc<Mutex<Record>>,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl Daemon {
    #[allow(clippy::too_many_arguments)] // the spec's signature
    async fn notify(
        &self,
        #[zbus(header)] header: Header<'_>,
        app_name: String,
        replaces_id: u32,
        app_icon: String,
        summary: String,
        body: String,
        actions: Vec<String>,
        hints: HashMap<String, OwnedVariant>,
        expire_timeout: i32,
    ) -> u32 {
        let sender = header.sender().map(|s| s.to_string()).unwrap_or_default();
        let id = {
            let mut record = self.record.lock().unwrap();
            let id = if replaces_id == 0 {
                record.next_id += 1;
                record.next_id
            } else {
                replaces_id
            };
            record.senders.insert(id, sender.clone());
            id
        };
        let hints = hints
            .into_iter()
            .map(|(key, value)| (key, hint_value(&value)))
            .collect();
        self.shown.send_modify(|shown| {
            shown.push(Shown {
                id,
                sender,
                app_name,
                replaces_id,
                app_icon,
                summary,
                body,
                actions,
                hints,
                expire_timeout,
            })
        });
        id
    }

    fn get_capabilities(&self) -> Vec<String> {
        ["actions", "body", "sound"].map(String::from).to_vec()
    }

    #[zbus(out_args("name", "vendor", "version", "spec_version"))]
    fn get_server_information(&self) -> (String, String, String, String) {
        (
            "shiftdesk-test".into(),
            "Shiftdesk".into(),
            "1".into(),
            "1.2".into(),
        )
    }

    async fn close_notification(&self, #[zbus(connection)] connection: &zbus::Connection, id: u32) {
        let sender = {
            let mut record = self.record.lock().unwrap();
            record.closed.push(id);
            record.senders.get(&id).cloned()
        };
        if let Some(sender) = sender {
            closed(connection, &sender, id, CloseReason::Closed).await;
        }
    }
}

fn hint_value(value: &OwnedVariant) -> HintValue {
    match &**value {
        zbus::Variant::U8(b) => HintValue::Byte(*b),
        zbus::Variant::Bool(b) => HintValue::Bool(*b),
        zbus::Variant::I32(i) => HintValue::Int(*i),
        zbus::Variant::Str(s) => HintValue::Str(s.to_string()),
        other => HintValue::Other(format!("{other:?}")),
    }
}

async fn closed(connection: &zbus::Connection, sender: &str, id: u32, reason: CloseReason) {
    connection
        .emit_signal(
            Some(sender),
            PATH,
            NAME,
            "NotificationClosed",
            &(id, reason as u32),
        )
        .await
        .unwrap();
}

/// The server, on the session bus of `DBUS_SESSION_BUS_ADDRESS`.
pub struct NotificationServer {
    connection: zbus::Connection,
    shown: watch::Receiver<Vec<Shown>>,
    record: Arc<Mutex<Record>>,
}

impl NotificationServer {
    /// Takes the notification service's name on the session bus; fails the
    /// test if another server has it. Call it inside a tokio runtime.
    pub async fn start() -> NotificationServer {
        let (shown_tx, shown) = watch::channel(Vec::new());
        let record = Arc::new(Mutex::new(Record::default()));
        let daemon = Daemon {
            shown: shown_tx,
            record: record.clone(),
        };
        let connection = zbus::connection::Builder::session()
            .name(NAME)
            .serve_at(PATH, daemon)
            .build()
            .await
            .unwrap_or_else(|e| panic!("cannot own {NAME} on the session bus: {e}"));
        NotificationServer {
            connection,
            shown,
            record,
        }
    }

    /// Everything shown so far, oldest first.
    pub fn shown(&self) -> Vec<Shown> {
        self.shown.borrow().clone()
    }

    /// Waits until `count` notifications have been shown and returns all
    /// shown by then.
    pub async fn wait_for(&self, count: usize) -> Vec<Shown> {
        let mut shown = self.shown.clone();
        let waited = tokio::time::timeout(DEADLINE, async {
            shown
                .wait_for(|all| all.len() >= count)
                .await
                .map(|all| all.clone())
        })
        .await;
        match waited {
            Ok(all) => all.unwrap(),
            Err(_) => panic!(
                "{count} notifications not shown in {DEADLINE:?}; shown: {:#?}",
                self.shown()
            ),
        }
    }

    /// The agent clicks `action_key` of notification `id` ("default" is a
    /// click on the notification itself): one `ActionInvoked` signal.
    pub async fn invoke_action(&self, id: u32, action_key: &str) {
        let sender = self.sender_of(id);
        self.connection
            .emit_signal(
                Some(sender.as_str()),
                PATH,
                NAME,
                "ActionInvoked",
                &(id, action_key),
            )
            .await
            .unwrap();
    }

    /// Clicks `action_key` of notification `id` until the client reacts, and
    /// returns the reaction it reported on `reactions`.
    ///
    /// A client may start listening for a notification's signals only after
    /// it was shown (notify-rust does), so a click right after the
    /// notification appeared can come too early: a person is never that
    /// fast, a test is. A client that took the first click stops listening,
    /// so the repeats reach no one.
    pub async fn click<T>(
        &self,
        id: u32,
        action_key: &str,
        reactions: &mut mpsc::UnboundedReceiver<T>,
    ) -> T {
        let started = tokio::time::Instant::now();
        loop {
            self.invoke_action(id, action_key).await;
            if let Ok(reaction) =
                tokio::time::timeout(Duration::from_millis(200), reactions.recv()).await
            {
                return reaction.expect("the client dropped its reaction channel");
            }
            assert!(
                started.elapsed() < DEADLINE,
                "no reaction to {action_key:?} on notification {id} in {DEADLINE:?}"
            );
        }
    }

    /// The notification goes away for `reason`, as the spec's
    /// `NotificationClosed` signal says.
    pub async fn close(&self, id: u32, reason: CloseReason) {
        closed(&self.connection, &self.sender_of(id), id, reason).await;
    }

    /// The ids the client asked to close, in order.
    pub fn closed_by_client(&self) -> Vec<u32> {
        self.record.lock().unwrap().closed.clone()
    }

    fn sender_of(&self, id: u32) -> String {
        let record = self.record.lock().unwrap();
        record
            .senders
            .get(&id)
            .unwrap_or_else(|| panic!("no notification {id} was shown"))
            .clone()
    }
}
