//! Native notifications of fresh SLA alerts: the engine's [`Notifier`] port
//! on the desktop's freedesktop notification service, through notify-rust.
//! Clicking one opens its ticket.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use jiff::tz::TimeZone;
use notify_rust::{Hint, Notification, NotificationHandle, NotificationResponse, Urgency};
use shiftdesk_domain::{AlertLevel, SlaMetric, TicketNumber, Timestamp};
use shiftdesk_engine::sla_watch::{Notice, Notifier, RaisedAlert};
use tokio::sync::mpsc;
use tokio::task::AbortHandle;

/// What the shell does when the agent clicks a notification: show that
/// ticket. Called on a runtime thread; must not block.
pub type OnOpen = Arc<dyn Fn(TicketNumber) + Send + Sync>;

/// Shows each [`Notice`] as a native notification. `notify` only queues it:
/// a task on the shell's runtime talks to the session bus.
#[derive(Debug)]
pub struct DesktopNotifier {
    queue: mpsc::Sender<Notice>,
}

/// Notices waiting for the bus. More are dropped: a desktop that has not
/// taken the last ones for this long is not showing them anyway.
const QUEUE: usize = 64;
/// How long one notification may take to be shown before the next one is
/// tried (the bus may be starting a notification server).
const SHOW_TIMEOUT: Duration = Duration::from_secs(10);
/// Notifications whose click is still listened for. Each keeps its own bus
/// connection, so the oldest stop answering clicks beyond this many.
const LISTENING: usize = 32;
/// The key of the button that opens the ticket (the notification's body
/// is the other way, the spec's "default" action).
const OPEN_ACTION: &str = "open";
const DEFAULT_ACTION: &str = "default";
/// Lines a summary lists before it counts the rest.
const LISTED: usize = 5;

impl DesktopNotifier {
    /// Starts the task that shows notices on the current tokio runtime (the
    /// shell's async runtime); it ends when this notifier is dropped.
    pub fn new(on_open: OnOpen) -> Self {
        let (queue, notices) = mpsc::channel(QUEUE);
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => drop(runtime.spawn(show_notices(notices, on_open))),
            // A wiring mistake, but no reason to stop the app: notices are
            // then dropped with a warning each.
            Err(e) => tracing::error!(error = %e, "desktop notifications are off"),
        }
        Self { queue }
    }
}

impl Notifier for DesktopNotifier {
    fn notify(&self, notice: Notice) {
        if let Err(e) = self.queue.try_send(notice) {
            tracing::warn!(error = %e, "an SLA notification was dropped");
        }
    }
}

/// Why a notification was not shown.
#[derive(Debug, thiserror::Error)]
enum ShowError {
    #[error("no answer from the notification service in {SHOW_TIMEOUT:?}")]
    NoAnswer,
    #[error(transparent)]
    Bus(#[from] notify_rust::error::Error),
}

async fn show_notices(mut notices: mpsc::Receiver<Notice>, on_open: OnOpen) {
    let mut listening: VecDeque<AbortHandle> = VecDeque::new();
    let mut unavailable = false;
    while let Some(notice) = notices.recv().await {
        // Asked each time: the agent may travel or the clocks change.
        let Some((notification, ticket)) = notification(&notice, &TimeZone::system()) else {
            continue;
        };
        match show(&notification).await {
            Ok(handle) => {
                if std::mem::take(&mut unavailable) {
                    tracing::info!("desktop notifications work again");
                }
                let task = tokio::spawn(open_on_click(handle, ticket, on_open.clone()));
                listening.push_back(task.abort_handle());
                if listening.len() > LISTENING {
                    if let Some(oldest) = listening.pop_front() {
                        oldest.abort();
                    }
                }
            }
            // Once per outage: the app works on without them.
            Err(e) if !std::mem::replace(&mut unavailable, true) => {
                tracing::warn!(error = %e, "no desktop notifications; SLA alerts show in the app only");
            }
            Err(e) => tracing::debug!(error = %e, "a desktop notification was not shown"),
        }
    }
}

async fn show(notification: &Notification) -> Result<NotificationHandle, ShowError> {
    let shown = tokio::time::timeout(SHOW_TIMEOUT, notification.show_async())
        .await
        .map_err(|_| ShowError::NoAnswer)?;
    Ok(shown?)
}

/// Waits on the connection that showed the notification: servers such as
/// dunst send its signals to that connection alone, and forget its
/// actions once it is gone.
async fn open_on_click(handle: NotificationHandle, ticket: TicketNumber, on_open: OnOpen) {
    handle
        .wait_for_action_async(|response| match response {
            NotificationResponse::Default => on_open(ticket),
            NotificationResponse::Action(key) if key == OPEN_ACTION => on_open(ticket),
            _ => {}
        })
        .await;
}

/// The notification for `notice` and the ticket a click opens; `None` for
/// a notice without alerts.
fn notification(notice: &Notice, tz: &TimeZone) -> Option<(Notification, TicketNumber)> {
    let mut alerts: Vec<&RaisedAlert> = notice.alerts.iter().collect();
    // The most urgent first: breaches, then the earliest due. A click
    // opens the first one listed.
    alerts.sort_by_key(|raised| {
        let alert = &raised.alert;
        let due = alert.due_at.map_or(i64::MAX, Timestamp::millis);
        (alert.level != AlertLevel::Breached, due)
    });
    let first = alerts.first()?;
    let due = |raised: &RaisedAlert| raised.alert.due_at.and_then(|at| local_time(at, tz));
    let (summary, body) = match alerts.as_slice() {
        [one] => (
            text::summary_one(one.alert.level, one.ticket),
            text::body_one(
                one.alert.metric,
                one.alert.level,
                due(one).as_deref(),
                &markup_escaped(&one.subject),
            ),
        ),
        many => {
            let levels: Vec<AlertLevel> = many.iter().map(|raised| raised.alert.level).collect();
            let mut lines: Vec<String> = many
                .iter()
                .take(LISTED)
                .map(|raised| {
                    text::line(
                        raised.ticket,
                        raised.alert.metric,
                        raised.alert.level,
                        due(raised).as_deref(),
                        &markup_escaped(&raised.subject),
                    )
                })
                .collect();
            if many.len() > LISTED {
                lines.push(text::more(many.len() - LISTED));
            }
            (text::summary_many(&levels), lines.join("\n"))
        }
    };
    let summary = if notice.team {
        text::team(&summary)
    } else {
        summary
    };
    let breached = alerts
        .iter()
        .any(|raised| raised.alert.level == AlertLevel::Breached);
    let mut notification = Notification::new();
    notification
        .appname(text::APP)
        // The icon and desktop file the deb and AppImage bundles install.
        .icon(text::ICON)
        .hint(Hint::DesktopEntry(text::DESKTOP_ENTRY.to_owned()))
        .hint(Hint::Category(CATEGORY.to_owned()))
        .summary(&summary)
        .body(&body)
        .action(DEFAULT_ACTION, text::OPEN)
        .action(OPEN_ACTION, &text::open_ticket(first.ticket))
        .urgency(if breached {
            Urgency::Critical
        } else {
            Urgency::Normal
        });
    if notice.sound {
        notification.hint(Hint::SoundName(SOUND.to_owned()));
    } else {
        notification.hint(Hint::SuppressSound(true));
    }
    Some((notification, first.ticket))
}

/// The spec's category for a message that wants an answer.
const CATEGORY: &str = "im.received";
/// The freedesktop sound theme's name for it.
const SOUND: &str = "message-new-instant";

/// `at` on the agent's wall clock, as HH:MM.
fn local_time(at: Timestamp, tz: &TimeZone) -> Option<String> {
    let instant = jiff::Timestamp::from_millisecond(at.millis()).ok()?;
    Some(tz.to_datetime(instant).strftime("%H:%M").to_string())
}

/// The body may hold markup: a subject is the customer's text, shown as
/// written.
fn markup_escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Every word the agent reads, in one place for translation.
mod text {
    use super::{AlertLevel, SlaMetric, TicketNumber};

    pub const APP: &str = "Shiftdesk";
    pub const ICON: &str = "shiftdesk";
    pub const DESKTOP_ENTRY: &str = "Shiftdesk";
    pub const OPEN: &str = "Open";

    pub fn open_ticket(ticket: TicketNumber) -> String {
        format!("Open {ticket}")
    }

    /// "SLA breached · #1042"
    pub fn summary_one(level: AlertLevel, ticket: TicketNumber) -> String {
        match level {
            AlertLevel::Breached => format!("SLA breached · {ticket}"),
            AlertLevel::Warning => format!("SLA warning · {ticket}"),
        }
    }

    /// "5 SLA breaches", "2 SLA warnings", "6 SLA alerts" (both kinds).
    pub fn summary_many(levels: &[AlertLevel]) -> String {
        let count = levels.len();
        if levels.iter().all(|level| *level == AlertLevel::Breached) {
            format!("{count} SLA breaches")
        } else if levels.iter().all(|level| *level == AlertLevel::Warning) {
            format!("{count} SLA warnings")
        } else {
            format!("{count} SLA alerts")
        }
    }

    /// Alerts on the team's tickets, not the agent's own.
    pub fn team(summary: &str) -> String {
        format!("Team: {summary}")
    }

    fn metric_name(metric: SlaMetric) -> &'static str {
        match metric {
            SlaMetric::FirstResponse => "First response",
            SlaMetric::NextResponse => "Next response",
            SlaMetric::Resolution => "Resolution",
        }
    }

    /// "First response was due 14:05" above the subject.
    pub fn body_one(
        metric: SlaMetric,
        level: AlertLevel,
        due: Option<&str>,
        subject: &str,
    ) -> String {
        let metric = metric_name(metric);
        let state = match (level, due) {
            (AlertLevel::Breached, Some(due)) => format!("{metric} was due {due}"),
            (AlertLevel::Breached, None) => format!("{metric} is overdue"),
            (AlertLevel::Warning, Some(due)) => format!("{metric} due {due}"),
            (AlertLevel::Warning, None) => format!("{metric} due soon"),
        };
        format!("{state}\n{subject}")
    }

    /// "#1042 First response breached — subject" in a summary.
    pub fn line(
        ticket: TicketNumber,
        metric: SlaMetric,
        level: AlertLevel,
        due: Option<&str>,
        subject: &str,
    ) -> String {
        let metric = metric_name(metric);
        let state = match (level, due) {
            (AlertLevel::Breached, _) => format!("{metric} breached"),
            (AlertLevel::Warning, Some(due)) => format!("{metric} due {due}"),
            (AlertLevel::Warning, None) => format!("{metric} due soon"),
        };
        format!("{ticket} {state} — {subject}")
    }

    /// After the listed lines of a summary.
    pub fn more(count: usize) -> String {
        format!("and {count} more")
    }
}
