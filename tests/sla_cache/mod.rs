//! A real cache file with tickets whose first response comes due when a
//! test wants it: standard normal tickets, an hour to respond, warning ten
//! minutes before, round the clock. Shared by the notification tests and
//! the window's end-to-end tests.

#![allow(dead_code, clippy::unwrap_used)]

use shiftdesk_domain::*;
use shiftdesk_engine::sla_watch::WatchScope;
use shiftdesk_store::Store;

pub const MINUTE_MS: i64 = 60_000;
pub const ME: AgentId = AgentId(1);
pub const COLLEAGUE: AgentId = AgentId(2);
pub const AGENT: WatchScope = WatchScope {
    me: ME,
    lead: false,
};

/// A ticket whose first response breaches `ms` from now (negative: ago).
pub fn breaching_in(number: i64, ms: i64) -> Thread {
    let created_at = Timestamp(shiftdesk_engine::now().0 + ms - 60 * MINUTE_MS);
    Thread {
        ticket: Ticket {
            number: TicketNumber(number),
            subject: format!("VM {number} does not boot"),
            status: TicketStatus::New,
            priority: Priority::Normal,
            category: Category::PlatformProblem,
            plan: Plan::Standard,
            service: Service {
                name: "Compute Cloud".into(),
                stage: ServiceStage::GeneralAvailability,
            },
            customer: CustomerId(1),
            channel: Channel::Email,
            assignee: Some(ME),
            team: "L2".into(),
            tags: vec![],
            version: 1,
            created_at,
            updated_at: created_at,
            // As the server would say: the first response is the earliest.
            sla_due_at: Some(created_at.plus_minutes(60)),
            email_cc: Vec::new(),
            status_log: vec![],
        },
        messages: vec![Message {
            id: MessageId(number * 100),
            ticket: TicketNumber(number),
            kind: MessageKind::Inbound,
            channel: Channel::Email,
            author: Author::Customer { id: CustomerId(1) },
            body: "It hangs at boot".into(),
            created_at,
        }],
        attachments: vec![],
    }
}

/// HH:MM in the child's time zone, as notifications show times.
pub fn local_time(at: Timestamp) -> String {
    jiff::Timestamp::from_millisecond(at.0)
        .unwrap()
        .to_zoned(jiff::tz::TimeZone::system())
        .strftime("%H:%M")
        .to_string()
}

/// `ticket` given to `agent`.
pub fn assigned(mut thread: Thread, agent: AgentId) -> Thread {
    thread.ticket.assignee = Some(agent);
    thread
}

/// A cache at `dir/cache.sqlite` that belongs to [`ME`] in `role`, with a
/// colleague, one customer, the policy and `threads`.
pub async fn open(dir: &std::path::Path, threads: &[Thread], role: Role) -> Store {
    let store = Store::open(&dir.join("cache.sqlite")).await.unwrap().store;
    store
        .upsert_agents(&[
            Agent {
                id: ME,
                name: "Ирина Волкова".into(),
                team: "L2".into(),
                role,
            },
            Agent {
                id: COLLEAGUE,
                name: "Sam Carter".into(),
                team: "L2".into(),
                role: Role::Agent,
            },
        ])
        .await
        .unwrap();
    store
        .upsert_customers(&[Customer {
            id: CustomerId(1),
            name: "Анна Петрова".into(),
            account_login: None,
            project: None,
            email: Some("anna@example.ru".into()),
            telegram_chat: None,
            phone: None,
        }])
        .await
        .unwrap();
    store
        .replace_sla_policies(&[SlaPolicy {
            id: 1,
            plan: Plan::Standard,
            priority: Priority::Normal,
            targets: SlaTargets {
                first_response_min: 60,
                next_response_min: 60,
                resolution_min: 1440,
            },
            warning: WarningThreshold::MinutesLeft { minutes: 10 },
            calendar: SlaCalendar::AlwaysOn,
        }])
        .await
        .unwrap();
    store.upsert_threads(threads).await.unwrap();
    store.set_me(ME).await.unwrap();
    store
}
