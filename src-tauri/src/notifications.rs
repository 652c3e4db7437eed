//! Native notifications of fresh SLA alerts and of promised callbacks
//! coming due: the engine's [`Notifier`] port on the desktop's freedesktop
//! notification service, through notify-rust. Clicking one opens its ticket. They read in the language the agent
//! chose for the window, told through a watch channel as it changes.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use jiff::tz::TimeZone;
use notify_rust::{Hint, Notification, NotificationHandle, NotificationResponse, Urgency};
use shiftdesk_domain::{AlertLevel, SlaMetric, TicketNumber, Timestamp};
use shiftdesk_engine::sla_watch::{Notice, Notifier, PromisedCallback, RaisedAlert};

use crate::preferences::Language;
use tokio::sync::{mpsc, watch};
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
    /// shell's async runtime); it ends when this notifier is dropped. Each
    /// notice is written in the language `language` holds when it is shown.
    pub fn new(on_open: OnOpen, language: watch::Receiver<Language>) -> Self {
        let (queue, notices) = mpsc::channel(QUEUE);
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => drop(runtime.spawn(show_notices(notices, on_open, language))),
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
            tracing::warn!(error = %e, "a desktop notification was dropped");
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

async fn show_notices(
    mut notices: mpsc::Receiver<Notice>,
    on_open: OnOpen,
    language: watch::Receiver<Language>,
) {
    let mut listening: VecDeque<AbortHandle> = VecDeque::new();
    let mut unavailable = false;
    while let Some(notice) = notices.recv().await {
        let language = *language.borrow();
        // Asked each time: the agent may travel or the clocks change.
        let Some((notification, ticket)) = notification(&notice, &TimeZone::system(), language)
        else {
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
                tracing::warn!(error = %e, "no desktop notifications; SLA alerts and due callbacks show in the app only");
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
fn notification(
    notice: &Notice,
    tz: &TimeZone,
    language: Language,
) -> Option<(Notification, TicketNumber)> {
    match notice {
        Notice::Sla {
            alerts,
            team,
            sound,
        } => sla_notification(alerts, *team, *sound, tz, language),
        Notice::Callback { callback, sound } => {
            Some(callback_notification(callback, *sound, tz, language))
        }
    }
}

fn sla_notification(
    alerts: &[RaisedAlert],
    team: bool,
    sound: bool,
    tz: &TimeZone,
    language: Language,
) -> Option<(Notification, TicketNumber)> {
    let mut alerts: Vec<&RaisedAlert> = alerts.iter().collect();
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
            text::summary_one(language, one.alert.level, one.ticket),
            text::body_one(
                language,
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
                        language,
                        raised.ticket,
                        raised.alert.metric,
                        raised.alert.level,
                        due(raised).as_deref(),
                        &markup_escaped(&raised.subject),
                    )
                })
                .collect();
            if many.len() > LISTED {
                lines.push(text::more(language, many.len() - LISTED));
            }
            (text::summary_many(language, &levels), lines.join("\n"))
        }
    };
    let summary = if team {
        text::team(language, &summary)
    } else {
        summary
    };
    let breached = alerts
        .iter()
        .any(|raised| raised.alert.level == AlertLevel::Breached);
    let urgency = if breached {
        Urgency::Critical
    } else {
        Urgency::Normal
    };
    let notification = about_ticket(&summary, &body, first.ticket, urgency, sound, language);
    Some((notification, first.ticket))
}

/// "Call back Anna Petrova about #1042 — promised for 14:05" above the
/// number to dial and the ticket's subject.
fn callback_notification(
    callback: &PromisedCallback,
    sound: bool,
    tz: &TimeZone,
    language: Language,
) -> (Notification, TicketNumber) {
    let summary = text::call_back(
        language,
        &callback.customer,
        callback.ticket,
        local_time(callback.at, tz).as_deref(),
    );
    let body = callback
        .phone
        .iter()
        .chain([&callback.subject])
        .map(|line| markup_escaped(line))
        .collect::<Vec<_>>()
        .join("\n");
    let notification = about_ticket(
        &summary,
        &body,
        callback.ticket,
        Urgency::Normal,
        sound,
        language,
    );
    (notification, callback.ticket)
}

/// A notification whose click or button opens `ticket`.
fn about_ticket(
    summary: &str,
    body: &str,
    ticket: TicketNumber,
    urgency: Urgency,
    sound: bool,
    language: Language,
) -> Notification {
    let mut notification = Notification::new();
    notification
        .appname(text::APP)
        // The icon and desktop file the .deb and .rpm install.
        .icon(text::ICON)
        .hint(Hint::DesktopEntry(text::DESKTOP_ENTRY.to_owned()))
        .hint(Hint::Category(CATEGORY.to_owned()))
        .summary(summary)
        .body(body)
        .action(DEFAULT_ACTION, text::open(language))
        .action(OPEN_ACTION, &text::open_ticket(language, ticket))
        .urgency(urgency);
    if sound {
        notification.hint(Hint::SoundName(SOUND.to_owned()));
    } else {
        notification.hint(Hint::SuppressSound(true));
    }
    notification
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

/// Every word the agent reads, in one place, in each language.
mod text {
    use super::{AlertLevel, Language, SlaMetric, TicketNumber};

    pub const APP: &str = "Shiftdesk";
    /// The icon the package installs, named after the binary.
    pub const ICON: &str = "shiftdesk-desktop";
    pub const DESKTOP_ENTRY: &str = "Shiftdesk";

    pub fn open(language: Language) -> &'static str {
        match language {
            Language::En => "Open",
            Language::Ru => "Открыть",
        }
    }

    pub fn open_ticket(language: Language, ticket: TicketNumber) -> String {
        format!("{} {ticket}", open(language))
    }

    /// "SLA breached · #1042"
    pub fn summary_one(language: Language, level: AlertLevel, ticket: TicketNumber) -> String {
        let state = match (language, level) {
            (Language::En, AlertLevel::Breached) => "SLA breached",
            (Language::En, AlertLevel::Warning) => "SLA warning",
            (Language::Ru, AlertLevel::Breached) => "SLA нарушен",
            (Language::Ru, AlertLevel::Warning) => "SLA под угрозой",
        };
        format!("{state} · {ticket}")
    }

    /// "5 SLA breaches", "2 SLA warnings", "6 SLA alerts" (both kinds); never
    /// fewer than two.
    pub fn summary_many(language: Language, levels: &[AlertLevel]) -> String {
        let count = levels.len();
        let kind = if levels.iter().all(|level| *level == AlertLevel::Breached) {
            Some(AlertLevel::Breached)
        } else if levels.iter().all(|level| *level == AlertLevel::Warning) {
            Some(AlertLevel::Warning)
        } else {
            None
        };
        match language {
            Language::En => match kind {
                Some(AlertLevel::Breached) => format!("{count} SLA breaches"),
                Some(AlertLevel::Warning) => format!("{count} SLA warnings"),
                None => format!("{count} SLA alerts"),
            },
            Language::Ru => {
                let noun = match kind {
                    Some(AlertLevel::Breached) => ["нарушение", "нарушения", "нарушений"],
                    Some(AlertLevel::Warning) => {
                        ["предупреждение", "предупреждения", "предупреждений"]
                    }
                    None => ["оповещение", "оповещения", "оповещений"],
                };
                format!("{count} {} SLA", russian_plural(count, noun))
            }
        }
    }

    /// The Russian form of a noun after `count`: "1 нарушение", "2 нарушения",
    /// "5 нарушений", "21 нарушение", "11 нарушений".
    fn russian_plural(count: usize, [one, few, many]: [&'static str; 3]) -> &'static str {
        match (count % 10, count % 100) {
            (1, rest) if rest != 11 => one,
            (2..=4, rest) if !(12..=14).contains(&rest) => few,
            _ => many,
        }
    }

    /// Alerts on the team's tickets, not the agent's own.
    pub fn team(language: Language, summary: &str) -> String {
        match language {
            Language::En => format!("Team: {summary}"),
            Language::Ru => format!("Команда: {summary}"),
        }
    }

    fn metric_name(language: Language, metric: SlaMetric) -> &'static str {
        match (language, metric) {
            (Language::En, SlaMetric::FirstResponse) => "First response",
            (Language::En, SlaMetric::NextResponse) => "Next response",
            (Language::En, SlaMetric::Resolution) => "Resolution",
            (Language::Ru, SlaMetric::FirstResponse) => "Первый ответ",
            (Language::Ru, SlaMetric::NextResponse) => "Следующий ответ",
            (Language::Ru, SlaMetric::Resolution) => "Решение",
        }
    }

    /// A warning's deadline: "due 14:05", "due soon".
    fn due(language: Language, metric: &str, due: Option<&str>) -> String {
        match (language, due) {
            (Language::En, Some(due)) => format!("{metric} due {due}"),
            (Language::En, None) => format!("{metric} due soon"),
            (Language::Ru, Some(due)) => format!("{metric}: срок до {due}"),
            (Language::Ru, None) => format!("{metric}: срок скоро истечёт"),
        }
    }

    /// "First response was due 14:05" above the subject.
    pub fn body_one(
        language: Language,
        metric: SlaMetric,
        level: AlertLevel,
        due: Option<&str>,
        subject: &str,
    ) -> String {
        let metric = metric_name(language, metric);
        let state = match (language, level, due) {
            (_, AlertLevel::Warning, _) => self::due(language, metric, due),
            (Language::En, AlertLevel::Breached, Some(due)) => format!("{metric} was due {due}"),
            (Language::En, AlertLevel::Breached, None) => format!("{metric} is overdue"),
            (Language::Ru, AlertLevel::Breached, Some(due)) => {
                format!("{metric}: срок истёк в {due}")
            }
            (Language::Ru, AlertLevel::Breached, None) => format!("{metric}: срок истёк"),
        };
        format!("{state}\n{subject}")
    }

    /// "#1042 First response breached — subject" in a summary.
    pub fn line(
        language: Language,
        ticket: TicketNumber,
        metric: SlaMetric,
        level: AlertLevel,
        due: Option<&str>,
        subject: &str,
    ) -> String {
        let metric = metric_name(language, metric);
        let state = match (language, level) {
            (_, AlertLevel::Warning) => self::due(language, metric, due),
            (Language::En, AlertLevel::Breached) => format!("{metric} breached"),
            (Language::Ru, AlertLevel::Breached) => format!("{metric}: SLA нарушен"),
        };
        format!("{ticket} {state} — {subject}")
    }

    /// A promised callback coming due. Russian puts the name after a colon:
    /// "Перезвоните" would want it declined, which a name cannot be here.
    pub fn call_back(
        language: Language,
        customer: &str,
        ticket: TicketNumber,
        at: Option<&str>,
    ) -> String {
        match (language, at) {
            (Language::En, Some(at)) => {
                format!("Call back {customer} about {ticket} — promised for {at}")
            }
            (Language::En, None) => format!("Call back {customer} about {ticket}"),
            (Language::Ru, Some(at)) => {
                format!("Перезвонить: {customer}, {ticket} — обещано на {at}")
            }
            (Language::Ru, None) => format!("Перезвонить: {customer}, {ticket}"),
        }
    }

    /// After the listed lines of a summary.
    pub fn more(language: Language, count: usize) -> String {
        match language {
            Language::En => format!("and {count} more"),
            Language::Ru => format!("и ещё {count}"),
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn russian_counts_take_the_plural_form_of_their_last_digits() {
            let noun = ["нарушение", "нарушения", "нарушений"];
            let forms: Vec<String> = [1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111, 112, 1000]
                .into_iter()
                .map(|n| format!("{n} {}", russian_plural(n, noun)))
                .collect();
            assert_eq!(
                forms,
                [
                    "1 нарушение",
                    "2 нарушения",
                    "4 нарушения",
                    "5 нарушений",
                    "11 нарушений",
                    "12 нарушений",
                    "14 нарушений",
                    "21 нарушение",
                    "22 нарушения",
                    "25 нарушений",
                    "101 нарушение",
                    "111 нарушений",
                    "112 нарушений",
                    "1000 нарушений",
                ]
            );
        }

        #[test]
        fn a_summary_of_many_names_their_kind_in_either_language() {
            use AlertLevel::{Breached, Warning};
            assert_eq!(summary_many(Language::En, &[Breached; 5]), "5 SLA breaches");
            assert_eq!(
                summary_many(Language::Ru, &[Breached; 5]),
                "5 нарушений SLA"
            );
            assert_eq!(
                summary_many(Language::Ru, &[Breached; 3]),
                "3 нарушения SLA"
            );
            assert_eq!(
                summary_many(Language::Ru, &[Breached; 21]),
                "21 нарушение SLA"
            );
            assert_eq!(summary_many(Language::En, &[Warning; 2]), "2 SLA warnings");
            assert_eq!(
                summary_many(Language::Ru, &[Warning; 2]),
                "2 предупреждения SLA"
            );
            assert_eq!(
                summary_many(Language::Ru, &[Warning; 11]),
                "11 предупреждений SLA"
            );
            assert_eq!(
                summary_many(Language::En, &[Breached, Warning]),
                "2 SLA alerts"
            );
            assert_eq!(
                summary_many(
                    Language::Ru,
                    &[Breached, Warning, Warning, Breached, Warning]
                ),
                "5 оповещений SLA"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use shiftdesk_domain::{AgentId, Channel, SlaAlert};

    use super::*;

    fn raised(ticket: i64, metric: SlaMetric, level: AlertLevel, due: Option<i64>) -> RaisedAlert {
        RaisedAlert {
            ticket: TicketNumber(ticket),
            subject: "Диск <vda> недоступен".to_owned(),
            assignee: Some(AgentId(1)),
            channel: Channel::Telegram,
            alert: SlaAlert {
                metric,
                level,
                clock_started_at: Timestamp(DUE - 3_600_000),
                due_at: due.map(Timestamp),
            },
        }
    }

    /// 2025-01-15 14:05 UTC.
    const DUE: i64 = 1_736_949_900_000;

    fn shown(
        alerts: Vec<RaisedAlert>,
        team: bool,
        language: Language,
    ) -> (String, String, Vec<String>) {
        let notice = Notice::Sla {
            alerts,
            team,
            sound: false,
        };
        shown_notice(&notice, language)
    }

    fn shown_notice(notice: &Notice, language: Language) -> (String, String, Vec<String>) {
        let (notification, _) = notification(notice, &TimeZone::UTC, language).unwrap();
        let actions = notification.actions.clone();
        (notification.summary, notification.body, actions)
    }

    fn callback(phone: Option<&str>) -> Notice {
        Notice::Callback {
            callback: PromisedCallback {
                ticket: TicketNumber(1042),
                at: Timestamp(DUE),
                subject: "Диск <vda> недоступен".to_owned(),
                customer: "Анна Петрова".to_owned(),
                phone: phone.map(str::to_owned),
            },
            sound: true,
        }
    }

    #[test]
    fn a_callback_reminder_names_the_customer_and_the_promised_time() {
        let (summary, body, actions) =
            shown_notice(&callback(Some("+7 495 000-00-00")), Language::En);
        assert_eq!(
            summary,
            "Call back Анна Петрова about #1042 — promised for 14:05"
        );
        assert_eq!(body, "+7 495 000-00-00\nДиск &lt;vda&gt; недоступен");
        assert_eq!(actions, ["default", "Open", "open", "Open #1042"]);

        let (summary, body, actions) = shown_notice(&callback(None), Language::Ru);
        assert_eq!(
            summary,
            "Перезвонить: Анна Петрова, #1042 — обещано на 14:05"
        );
        assert_eq!(body, "Диск &lt;vda&gt; недоступен");
        assert_eq!(actions, ["default", "Открыть", "open", "Открыть #1042"]);
    }

    #[test]
    fn one_breach_reads_in_russian_with_its_deadline_and_open_button() {
        let (summary, body, actions) = shown(
            vec![raised(
                1042,
                SlaMetric::FirstResponse,
                AlertLevel::Breached,
                Some(DUE),
            )],
            false,
            Language::Ru,
        );
        assert_eq!(summary, "SLA нарушен · #1042");
        assert_eq!(
            body,
            "Первый ответ: срок истёк в 14:05\nДиск &lt;vda&gt; недоступен"
        );
        assert_eq!(actions, ["default", "Открыть", "open", "Открыть #1042"]);
    }

    #[test]
    fn one_warning_reads_the_same_in_english_as_before() {
        let (summary, body, actions) = shown(
            vec![raised(7, SlaMetric::Resolution, AlertLevel::Warning, None)],
            false,
            Language::En,
        );
        assert_eq!(summary, "SLA warning · #7");
        assert_eq!(body, "Resolution due soon\nДиск &lt;vda&gt; недоступен");
        assert_eq!(actions, ["default", "Open", "open", "Open #7"]);
    }

    #[test]
    fn a_team_summary_in_russian_lists_five_and_counts_the_rest() {
        let alerts = (1..=7)
            .map(|n| {
                let level = if n <= 6 {
                    AlertLevel::Breached
                } else {
                    AlertLevel::Warning
                };
                raised(n, SlaMetric::NextResponse, level, Some(DUE + n * 60_000))
            })
            .collect();
        let (summary, body, _) = shown(alerts, true, Language::Ru);
        assert_eq!(summary, "Команда: 7 оповещений SLA");
        let lines: Vec<&str> = body.lines().collect();
        assert_eq!(lines.len(), 6);
        assert_eq!(
            lines[0],
            "#1 Следующий ответ: SLA нарушен — Диск &lt;vda&gt; недоступен"
        );
        assert_eq!(lines[5], "и ещё 2");
    }

    #[test]
    fn a_warning_line_in_russian_gives_its_deadline() {
        let alerts = vec![
            raised(3, SlaMetric::FirstResponse, AlertLevel::Warning, Some(DUE)),
            raised(4, SlaMetric::Resolution, AlertLevel::Warning, None),
        ];
        let (summary, body, _) = shown(alerts, false, Language::Ru);
        assert_eq!(summary, "2 предупреждения SLA");
        assert_eq!(
            body,
            "#3 Первый ответ: срок до 14:05 — Диск &lt;vda&gt; недоступен\n\
             #4 Решение: срок скоро истечёт — Диск &lt;vda&gt; недоступен"
        );
    }
}
