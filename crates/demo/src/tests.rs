//! Tests of the generated desk as a whole: determinism, counts, shares and
//! the invariants every consumer of the demo data relies on.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::OnceLock;
use std::time::Instant;

use rstest::rstest;
use shiftdesk_domain::{
    Author, CallOutcome, Category, Channel, DeliveryState, MessageKind, Plan, Priority, Role,
    ServiceStage, SlaCalendar, SlaPolicy, Thread, TicketStatus, Timestamp, WarningThreshold,
};

use crate::{
    agents, attachment_content, canned_responses, customer_count, customers, sla_policies, threads,
    DemoConfig, ME,
};

/// 2026-11-18, a Wednesday.
const NOW: Timestamp = crate::FIXED_NOW;

fn config(seed: u64, tickets: usize) -> DemoConfig {
    DemoConfig {
        seed,
        tickets,
        now: NOW,
    }
}

/// The 2,000-ticket desk most tests look at, generated once.
fn desk() -> &'static [Thread] {
    static DESK: OnceLock<Vec<Thread>> = OnceLock::new();
    DESK.get_or_init(|| threads(&config(7, 2_000)).collect())
}

fn has_cyrillic(text: &str) -> bool {
    text.chars()
        .any(|c| matches!(c, 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё'))
}

fn share<T>(items: &[T], matches: impl Fn(&T) -> bool) -> f64 {
    items.iter().filter(|item| matches(item)).count() as f64 / items.len() as f64
}

fn assert_near(what: &str, actual: f64, expected: f64, tolerance: f64) {
    assert!(
        (actual - expected).abs() <= tolerance,
        "{what}: {actual:.3}, expected {expected:.3} ± {tolerance}"
    );
}

#[test]
fn the_same_config_gives_the_same_desk() {
    let cfg = config(11, 300);
    let first: Vec<Thread> = threads(&cfg).collect();
    assert_eq!(first, threads(&cfg).collect::<Vec<_>>());
    assert_eq!(
        customers(&cfg).collect::<Vec<_>>(),
        customers(&cfg).collect::<Vec<_>>()
    );

    let other: Vec<Thread> = threads(&config(12, 300)).collect();
    assert_ne!(first, other);
    assert_ne!(
        customers(&cfg).collect::<Vec<_>>(),
        customers(&config(12, 300)).collect::<Vec<_>>()
    );
}

#[rstest]
#[case(0)]
#[case(1)]
#[case(2)]
#[case(57)]
fn generates_exactly_the_tickets_asked_for(#[case] tickets: usize) {
    let cfg = config(3, tickets);
    let iter = threads(&cfg);
    assert_eq!(iter.size_hint(), (tickets, Some(tickets)));
    let numbers: Vec<i64> = iter.map(|t| t.ticket.number.0).collect();
    assert_eq!(
        numbers,
        (10_001..10_001 + tickets as i64).collect::<Vec<_>>()
    );
}

#[rstest]
#[case(0, 1)]
#[case(1, 1)]
#[case(5, 1)]
#[case(6, 2)]
#[case(2_000, 666)]
fn about_one_customer_per_three_tickets(#[case] tickets: usize, #[case] expected: usize) {
    let cfg = config(3, tickets);
    assert_eq!(customer_count(&cfg), expected);
    let ids: Vec<i64> = customers(&cfg).map(|c| c.id.0).collect();
    assert_eq!(ids, (1..=expected as i64).collect::<Vec<_>>());
}

#[test]
fn desk_has_the_full_count_and_sequential_ids() {
    let desk = desk();
    assert_eq!(desk.len(), 2_000);
    let message_ids: Vec<i64> = desk
        .iter()
        .flat_map(|t| &t.messages)
        .map(|m| m.id.0)
        .collect();
    assert_eq!(
        message_ids,
        (1..=message_ids.len() as i64).collect::<Vec<_>>()
    );
    let attachment_ids: Vec<i64> = desk
        .iter()
        .flat_map(|t| &t.attachments)
        .map(|a| a.id.0)
        .collect();
    assert_eq!(
        attachment_ids,
        (1..=attachment_ids.len() as i64).collect::<Vec<_>>()
    );
}

#[test]
fn shares_roughly_hold() {
    let tickets: Vec<_> = desk().iter().map(|t| &t.ticket).collect();
    // New tickets are the few within their first-response target, so how
    // many there are depends on the hour: NOW is a weekday morning, after
    // a quiet night.
    let statuses = [
        (TicketStatus::New, 0.02, 0.015),
        (TicketStatus::Open, 0.20, 0.04),
        (TicketStatus::Pending, 0.13, 0.04),
        (TicketStatus::OnHold, 0.04, 0.02),
        (TicketStatus::Solved, 0.39, 0.04),
        (TicketStatus::Closed, 0.21, 0.04),
        (TicketStatus::Reopened, 0.015, 0.01),
    ];
    for (status, expected, tolerance) in statuses {
        assert_near(
            status.code(),
            share(&tickets, |t| t.status == status),
            expected,
            tolerance,
        );
    }
    let priorities = [
        (Priority::Urgent, 0.08),
        (Priority::High, 0.22),
        (Priority::Normal, 0.50),
        (Priority::Low, 0.20),
    ];
    for (priority, expected) in priorities {
        assert_near(
            priority.code(),
            share(&tickets, |t| t.priority == priority),
            expected,
            0.04,
        );
    }
    let channels = [
        (Channel::Portal, 0.35),
        (Channel::Email, 0.30),
        (Channel::Telegram, 0.25),
        (Channel::Phone, 0.10),
    ];
    for (channel, expected) in channels {
        assert_near(
            channel.code(),
            share(&tickets, |t| t.channel == channel),
            expected,
            0.04,
        );
    }
    assert_near(
        "professional",
        share(&tickets, |t| t.plan == Plan::Professional),
        0.25,
        0.07,
    );
    assert_near(
        "mine",
        share(&tickets, |t| t.assignee == Some(ME)),
        0.40,
        0.04,
    );
    let new: Vec<_> = tickets
        .iter()
        .filter(|t| t.status == TicketStatus::New)
        .collect();
    assert_near(
        "unassigned among new",
        share(&new, |t| t.assignee.is_none()),
        1.0 / 3.0,
        0.15,
    );
    assert_near(
        "beta",
        share(&tickets, |t| t.service.stage == ServiceStage::Beta),
        0.09,
        0.04,
    );
    let russian = share(desk(), |t| has_cyrillic(&t.messages[0].body));
    assert_near("russian", russian, 0.60, 0.08);

    let messages: usize = desk().iter().map(|t| t.messages.len()).sum();
    assert_near("messages per ticket", messages as f64 / 2_000.0, 10.0, 1.5);
    let longest = desk().iter().map(|t| t.messages.len()).max().unwrap_or(0);
    assert!(
        (30..=50).contains(&longest),
        "longest conversation: {longest}"
    );

    let inbound: Vec<_> = desk()
        .iter()
        .flat_map(|t| t.messages.iter().map(move |m| (m, &t.attachments)))
        .filter(|(m, _)| m.kind == MessageKind::Inbound)
        .collect();
    let with_files = share(&inbound, |(m, files)| {
        files.iter().any(|a| a.message == m.id)
    });
    assert_near("inbound messages with files", with_files, 0.08, 0.025);
}

#[test]
fn customers_look_like_customers() {
    let cfg = config(7, 2_000);
    let all: Vec<_> = customers(&cfg).collect();
    assert_near(
        "without login",
        share(&all, |c| c.account_login.is_none()),
        0.10,
        0.04,
    );
    assert_near(
        "without project",
        share(&all, |c| c.project.is_none()),
        0.15,
        0.05,
    );
    assert_near(
        "on telegram",
        share(&all, |c| c.telegram_chat.is_some()),
        0.5,
        0.06,
    );
    assert_near("with phone", share(&all, |c| c.phone.is_some()), 0.5, 0.06);
    assert_near(
        "russian names",
        share(&all, |c| has_cyrillic(&c.name)),
        0.6,
        0.06,
    );
    for customer in &all {
        let email = customer.email.as_deref().unwrap_or_default();
        assert!(email.contains('@') && email.is_ascii(), "{email}");
        assert!(customer
            .account_login
            .as_deref()
            .is_none_or(|l| l.is_ascii() && !l.contains(' ')));
    }
}

#[test]
fn conversations_are_consistent() {
    let cfg = config(7, 2_000);
    let customers: Vec<_> = customers(&cfg).collect();
    let policies = sla_policies();
    let mut previous_created = Timestamp(i64::MIN);
    for thread in desk() {
        let ticket = &thread.ticket;
        let label = ticket.number;
        let messages = &thread.messages;
        assert!(
            ticket.created_at >= previous_created,
            "{label} is older than the ticket before it"
        );
        previous_created = ticket.created_at;
        assert!(
            ticket.created_at >= NOW.plus_minutes(-21 * 24 * 60) && ticket.created_at < NOW,
            "{label}"
        );

        let customer = &customers[usize::try_from(ticket.customer.0 - 1).unwrap()];
        assert_eq!(customer.id, ticket.customer);
        let russian = has_cyrillic(&customer.name);

        let first = &messages[0];
        assert_eq!(first.kind, MessageKind::Inbound, "{label}");
        assert_eq!(first.channel, ticket.channel, "{label}");
        assert_eq!(first.created_at, ticket.created_at, "{label}");
        assert_eq!(
            ticket.updated_at,
            messages[messages.len() - 1].created_at,
            "{label}"
        );
        assert!(ticket.updated_at <= NOW, "{label}");
        for pair in messages.windows(2) {
            assert!(
                pair[0].created_at < pair[1].created_at,
                "{label}: times not increasing"
            );
        }
        for message in messages {
            assert_eq!(message.ticket, ticket.number);
            assert_eq!(
                has_cyrillic(&message.body),
                russian,
                "{label}: language of {:?}",
                message.body
            );
            assert!(
                !message.body.contains(['{', '}']),
                "{label}: unfilled template in {:?}",
                message.body
            );
            match &message.kind {
                MessageKind::Inbound => assert_eq!(
                    message.author,
                    Author::Customer {
                        id: ticket.customer
                    }
                ),
                MessageKind::SystemEvent => assert_eq!(message.author, Author::System),
                MessageKind::PublicReply { .. }
                | MessageKind::InternalNote
                | MessageKind::CallLog { .. } => {
                    assert!(
                        matches!(message.author, Author::Agent { id } if (1..=8).contains(&id.0)),
                        "{label}"
                    );
                }
            }
            if let MessageKind::CallLog { .. } = message.kind {
                assert_eq!(message.channel, Channel::Phone);
            }
            if let MessageKind::PublicReply {
                delivery: DeliveryState::Failed { reason },
            } = &message.kind
            {
                assert!(!reason.is_empty() && !reason.contains('{'));
            }
        }
        assert!(
            !ticket.subject.contains(['{', '}']),
            "{label}: {}",
            ticket.subject
        );
        assert_eq!(
            has_cyrillic(&ticket.subject),
            russian,
            "{label}: {}",
            ticket.subject
        );

        let agent_wrote = messages
            .iter()
            .any(|m| matches!(m.author, Author::Agent { .. }));
        match ticket.status {
            TicketStatus::New => {
                assert!(
                    messages.iter().all(|m| m.kind == MessageKind::Inbound),
                    "{label}: new but touched"
                );
            }
            _ => {
                assert!(
                    ticket.assignee.is_some(),
                    "{label}: only new tickets may be unassigned"
                );
                assert!(
                    agent_wrote || ticket.status == TicketStatus::Open,
                    "{label}"
                );
            }
        }
        if matches!(
            ticket.status,
            TicketStatus::Solved
                | TicketStatus::Closed
                | TicketStatus::Pending
                | TicketStatus::OnHold
        ) {
            assert!(
                messages
                    .iter()
                    .any(|m| matches!(m.kind, MessageKind::PublicReply { .. })),
                "{label}"
            );
        }
        assert_eq!(ticket.team, "L2 Support");
        assert!(
            ticket.tags.len() <= 3
                && ticket.tags.iter().collect::<HashSet<_>>().len() == ticket.tags.len()
        );
        assert!(ticket.version >= 1);

        check_status_log(thread);
        let policy = SlaPolicy::find(&policies, ticket.plan, ticket.priority).unwrap();
        check_due(thread, policy);
    }
}

/// The log replays through legal moves from `new` to the ticket's status,
/// each move at one of the ticket's messages.
fn check_status_log(thread: &Thread) {
    let ticket = &thread.ticket;
    let label = ticket.number;
    let mut status = TicketStatus::New;
    let mut last = None;
    for change in &ticket.status_log {
        status = status
            .transition(change.status)
            .unwrap_or_else(|e| panic!("{label}: {e}"));
        assert!(last < Some(change.at), "{label}: log out of order");
        last = Some(change.at);
        assert!(
            thread.messages.iter().any(|m| m.created_at == change.at),
            "{label}: {change:?} is at none of its messages"
        );
    }
    assert_eq!(status, ticket.status, "{label}: the log ends elsewhere");
}

/// A due time only while a clock runs; on a round-the-clock calendar the
/// one written out independently below; with business hours, no earlier.
fn check_due(thread: &Thread, policy: &SlaPolicy) {
    let ticket = &thread.ticket;
    let label = ticket.number;
    let runs =
        is_open_status(ticket.status) && ticket.service.stage == ServiceStage::GeneralAvailability;
    assert_eq!(ticket.sla_due_at.is_some(), runs, "{label}");
    let Some(due) = ticket.sla_due_at else { return };
    if ticket.status == TicketStatus::Reopened {
        // Resolution restarted, and the customer who reopened it waits
        // for the next response.
        let reopened = ticket.status_log.last().unwrap().at;
        let latest = reopened.plus_minutes(i64::from(policy.targets.next_response_min));
        assert!(reopened < due, "{label}");
        assert!(
            due <= latest || policy.calendar != SlaCalendar::AlwaysOn,
            "{label}"
        );
        return;
    }
    let expected = round_the_clock_due(thread, policy);
    if policy.calendar == SlaCalendar::AlwaysOn {
        assert_eq!(due, expected, "{label}");
    } else {
        assert!(due >= expected, "{label}: business hours count less time");
    }
}

/// The SLA due time of a new or open ticket that never waited, on a
/// round-the-clock calendar, written out independently of the SLA math:
/// the first response from creation, or the next response from the first
/// customer message after the last response, capped by resolution.
fn round_the_clock_due(thread: &Thread, policy: &SlaPolicy) -> Timestamp {
    let ticket = &thread.ticket;
    let after = |start: Timestamp, minutes: u32| start.plus_minutes(i64::from(minutes));
    let resolution = after(ticket.created_at, policy.targets.resolution_min);
    let last_response = thread.messages.iter().rfind(|m| m.kind.is_response());
    let Some(last_response) = last_response else {
        return resolution.min(after(ticket.created_at, policy.targets.first_response_min));
    };
    let waiting = thread
        .messages
        .iter()
        .find(|m| m.kind.is_from_customer() && m.created_at > last_response.created_at);
    match waiting {
        Some(m) => resolution.min(after(m.created_at, policy.targets.next_response_min)),
        None => resolution,
    }
}

/// New, open or reopened: waiting for the team, with the SLA clock running.
fn is_open_status(status: TicketStatus) -> bool {
    matches!(
        status,
        TicketStatus::New | TicketStatus::Open | TicketStatus::Reopened
    )
}

#[test]
fn some_tickets_are_overdue_and_most_are_not() {
    let running: Vec<_> = desk().iter().filter_map(|t| t.ticket.sla_due_at).collect();
    assert!(running.len() > 300, "{} running clocks", running.len());
    let overdue = share(&running, |due| *due < NOW);
    // Conversations keep to wall-clock targets, so the business-hours
    // clocks (standard plan, low priority) seldom run over.
    assert!(
        (0.10..0.35).contains(&overdue),
        "overdue share of running clocks: {overdue:.3}"
    );
    let within_a_day = share(&running, |due| {
        *due >= NOW && *due < NOW.plus_minutes(24 * 60)
    });
    assert!(
        within_a_day >= 0.30,
        "share of running clocks due within 24 hours: {within_a_day:.3}"
    );
}

#[test]
fn the_desk_is_busiest_lately_and_older_tickets_are_settled() {
    let tickets: Vec<_> = desk().iter().map(|t| &t.ticket).collect();
    let days_ago = |days: i64| NOW.plus_minutes(-days * 24 * 60);
    let last_three_days = share(&tickets, |t| t.created_at >= days_ago(3));
    assert!(
        (0.30..0.55).contains(&last_three_days),
        "created in the last three days: {last_three_days:.3}"
    );
    let older: Vec<_> = tickets
        .iter()
        .filter(|t| t.created_at < days_ago(7))
        .collect();
    assert!(
        older.len() > 300,
        "{} tickets older than a week",
        older.len()
    );
    let still_open = share(&older, |t| is_open_status(t.status));
    assert!(still_open < 0.05, "open older than a week: {still_open:.3}");
    let settled = share(&older, |t| {
        matches!(t.status, TicketStatus::Solved | TicketStatus::Closed)
    });
    assert!(settled > 0.70, "settled older than a week: {settled:.3}");
    let running: Vec<_> = tickets
        .iter()
        .filter(|t| is_open_status(t.status))
        .collect();
    let recent = share(&running, |t| t.created_at >= days_ago(3));
    assert!(
        recent > 0.75,
        "open ones from the last three days: {recent:.3}"
    );
}

/// The MineOpen queue view: assigned to [`ME`], new, open or reopened. A
/// 400-ticket desk fills its first page of 50, at NOW and at the time the
/// end-to-end window test seeds its cache with.
#[rstest]
#[case(NOW)]
#[case(Timestamp(1_790_000_000_000))]
fn my_open_queue_is_well_filled(#[case] now: Timestamp) {
    let cfg = DemoConfig {
        seed: 7,
        tickets: 400,
        now,
    };
    let mine_open = threads(&cfg)
        .filter(|t| t.ticket.assignee == Some(ME) && is_open_status(t.ticket.status))
        .count();
    assert!(mine_open >= 50, "{mine_open} tickets in my open queue");
}

#[test]
fn attachments_match_their_content() {
    let mut media_types = BTreeSet::new();
    for thread in desk() {
        for file in &thread.attachments {
            let message = thread
                .messages
                .iter()
                .find(|m| m.id == file.message)
                .expect("attached to its thread");
            assert_eq!(message.kind, MessageKind::Inbound);
            let bytes = attachment_content(file);
            assert_eq!(bytes.len() as u64, file.size_bytes, "{}", file.name);
            let hash = sha2_hex(&bytes);
            assert_eq!(file.content_hash.as_str(), hash, "{}", file.name);
            assert!(!file.name.contains(['{', '}', '/']), "{}", file.name);
            assert!(
                (500..16_000).contains(&file.size_bytes),
                "{}: {} bytes",
                file.name,
                file.size_bytes
            );
            media_types.insert(file.media_type.clone());
        }
    }
    assert_eq!(
        media_types,
        BTreeSet::from(["image/png".to_owned(), "text/plain".to_owned()])
    );
}

fn sha2_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(bytes))
}

#[test]
fn every_kind_of_thing_appears() {
    let tickets: Vec<_> = desk().iter().map(|t| &t.ticket).collect();
    let seen = |f: &dyn Fn(&shiftdesk_domain::Ticket) -> String| {
        tickets.iter().map(|t| f(t)).collect::<BTreeSet<_>>()
    };
    assert_eq!(seen(&|t| t.channel.code().into()).len(), Channel::ALL.len());
    assert_eq!(
        seen(&|t| t.category.code().into()).len(),
        Category::ALL.len()
    );
    assert_eq!(seen(&|t| t.plan.code().into()).len(), Plan::ALL.len());
    assert_eq!(
        seen(&|t| t.service.stage.code().into()).len(),
        ServiceStage::ALL.len()
    );
    assert_eq!(
        seen(&|t| t.status.code().into()).len(),
        TicketStatus::ALL.len()
    );
    assert_eq!(
        seen(&|t| t.priority.code().into()).len(),
        Priority::ALL.len()
    );
    let services = seen(&|t| t.service.name.clone());
    assert!((10..=14).contains(&services.len()), "{services:?}");
    assert!(services.contains("Managed Kafka (Beta)"));

    let messages: Vec<_> = desk().iter().flat_map(|t| &t.messages).collect();
    let kinds: BTreeSet<_> = messages.iter().map(|m| m.kind.code()).collect();
    assert_eq!(kinds.len(), 5, "{kinds:?}");
    let deliveries: BTreeSet<_> = messages
        .iter()
        .filter_map(|m| match &m.kind {
            MessageKind::PublicReply { delivery } => Some(delivery.code()),
            _ => None,
        })
        .collect();
    assert_eq!(
        deliveries,
        BTreeSet::from(["delivered", "failed", "queued", "sent"])
    );
    let outcomes: BTreeSet<_> = messages
        .iter()
        .filter_map(|m| match &m.kind {
            MessageKind::CallLog { call } => Some(call.outcome),
            _ => None,
        })
        .collect();
    assert_eq!(outcomes.len(), CallOutcome::ALL.len());
    let calls_on_phone_tickets = desk()
        .iter()
        .filter(|t| t.ticket.channel == Channel::Phone)
        .filter(|t| {
            t.messages
                .iter()
                .any(|m| matches!(m.kind, MessageKind::CallLog { .. }))
        })
        .count();
    assert!(calls_on_phone_tickets > 50, "{calls_on_phone_tickets}");
    assert!(messages.iter().any(|m| m.body.contains("vm-")));
    assert!(messages.iter().any(|m| m.body.contains("nginx")));
}

#[test]
fn content_is_varied_enough_for_search_to_be_selective() {
    let subjects: HashSet<_> = desk().iter().map(|t| t.ticket.subject.as_str()).collect();
    assert!(
        subjects.len() > 1_500,
        "{} distinct subjects",
        subjects.len()
    );

    // An instance id names the few tickets about that instance, not hundreds.
    let mut tickets_per_vm: HashMap<&str, usize> = HashMap::new();
    for thread in desk() {
        let words: HashSet<_> = thread
            .messages
            .iter()
            .flat_map(|m| m.body.split(|c: char| !c.is_alphanumeric() && c != '-'))
            .filter(|w| w.starts_with("vm-") && w.len() == 9)
            .collect();
        for word in words {
            *tickets_per_vm.entry(word).or_default() += 1;
        }
    }
    assert!(
        tickets_per_vm.len() > 300,
        "{} instance ids",
        tickets_per_vm.len()
    );
    assert!(
        tickets_per_vm.values().all(|&n| n <= 3),
        "an instance id repeats across tickets"
    );
}

#[rstest]
#[case(Plan::Professional, Priority::Urgent, [15, 30, 240])]
#[case(Plan::Professional, Priority::High, [30, 60, 480])]
#[case(Plan::Professional, Priority::Normal, [60, 240, 1440])]
#[case(Plan::Professional, Priority::Low, [240, 480, 2880])]
#[case(Plan::Standard, Priority::Urgent, [30, 60, 480])]
#[case(Plan::Standard, Priority::High, [60, 240, 1440])]
#[case(Plan::Standard, Priority::Normal, [240, 480, 4320])]
#[case(Plan::Standard, Priority::Low, [480, 1440, 7200])]
fn policies_follow_the_design_table(
    #[case] plan: Plan,
    #[case] priority: Priority,
    #[case] minutes: [u32; 3],
) {
    let policies = sla_policies();
    let policy = SlaPolicy::find(&policies, plan, priority).unwrap();
    let targets = policy.targets;
    assert_eq!(
        [
            targets.first_response_min,
            targets.next_response_min,
            targets.resolution_min
        ],
        minutes
    );
    assert_eq!(policy.warning, WarningThreshold::ShareLeft { percent: 20 });
    match &policy.calendar {
        SlaCalendar::AlwaysOn => assert_ne!((plan, priority), (Plan::Standard, Priority::Low)),
        SlaCalendar::BusinessHours {
            time_zone,
            hours,
            holidays,
        } => {
            assert_eq!((plan, priority), (Plan::Standard, Priority::Low));
            assert_eq!(time_zone, "Europe/Moscow");
            assert_eq!(hours.len(), 5);
            assert!(hours
                .iter()
                .all(|h| (h.start_minute, h.end_minute) == (540, 1080)));
            assert!(holidays.len() >= 2);
        }
    }
}

#[test]
fn policies_cover_every_plan_and_priority_once() {
    let policies = sla_policies();
    assert_eq!(policies.len(), 8);
    let pairs: HashSet<_> = policies.iter().map(|p| (p.plan, p.priority)).collect();
    assert_eq!(pairs.len(), 8);
    let ids: HashSet<_> = policies.iter().map(|p| p.id).collect();
    assert_eq!(ids.len(), 8);
}

#[test]
fn the_team_has_me_and_one_lead() {
    let team = agents();
    assert_eq!(team.len(), 8);
    let me = team.iter().find(|a| a.id == ME).unwrap();
    assert_eq!(me.role, Role::Agent);
    assert_eq!(team.iter().filter(|a| a.role == Role::Lead).count(), 1);
    assert!(team.iter().all(|a| a.team == "L2 Support"));
    assert_eq!(team.iter().map(|a| a.id).collect::<HashSet<_>>().len(), 8);
    assert!(
        team.iter().any(|a| has_cyrillic(&a.name)) && team.iter().any(|a| !has_cyrillic(&a.name))
    );
}

#[test]
fn canned_responses_cover_scope_and_intake() {
    let responses = canned_responses();
    assert!((6..=12).contains(&responses.len()));
    assert_eq!(
        responses.iter().map(|r| r.id).collect::<HashSet<_>>().len(),
        responses.len()
    );
    let out_of_scope: Vec<_> = responses
        .iter()
        .filter(|r| r.category == Some(Category::OutOfScope))
        .collect();
    assert!(
        out_of_scope.iter().any(|r| has_cyrillic(&r.body))
            && out_of_scope.iter().any(|r| !has_cyrillic(&r.body))
    );
    let asks_for_intake = |r: &&shiftdesk_domain::CannedResponse| {
        let body = r.body.to_lowercase();
        (body.contains("логин") && body.contains("проект") && body.contains("диагностик"))
            || (body.contains("login") && body.contains("project") && body.contains("diagnostics"))
    };
    assert_eq!(responses.iter().filter(asks_for_intake).count(), 2);
    for response in &responses {
        assert!(
            response.body.contains("{{customer_name}}")
                && response.body.contains("{{ticket_number}}"),
            "{}",
            response.title
        );
        let stripped = ["{{customer_name}}", "{{ticket_number}}", "{{project}}"]
            .iter()
            .fold(response.body.clone(), |body, placeholder| {
                body.replace(placeholder, "")
            });
        assert!(
            !stripped.contains(['{', '}']),
            "{}: unknown placeholder",
            response.title
        );
    }
    assert!(responses.iter().any(|r| r.body.contains("{{project}}")));
}

#[test]
fn customers_of_threads_keep_their_language_and_plan() {
    let mut seen: HashMap<i64, (bool, Plan)> = HashMap::new();
    for thread in desk() {
        let key = (has_cyrillic(&thread.messages[0].body), thread.ticket.plan);
        let first = *seen.entry(thread.ticket.customer.0).or_insert(key);
        assert_eq!(first, key, "customer {} changed", thread.ticket.customer.0);
    }
}

/// Generating a 100k-ticket desk (about a million messages); run with
/// `cargo test -p shiftdesk-demo --release -- --ignored --nocapture`.
#[test]
#[ignore = "timing; run in release"]
fn generates_100k_tickets_quickly() {
    let cfg = DemoConfig {
        seed: 42,
        tickets: 100_000,
        now: NOW,
    };
    let started = Instant::now();
    let (mut messages, mut attachments, mut bytes) = (0_usize, 0_usize, 0_u64);
    for thread in threads(&cfg) {
        messages += thread.messages.len();
        attachments += thread.attachments.len();
        bytes += thread.attachments.iter().map(|a| a.size_bytes).sum::<u64>();
    }
    let elapsed = started.elapsed();
    println!("100k tickets: {messages} messages, {attachments} attachments ({bytes} bytes) in {elapsed:.2?}");
    assert!(
        (900_000..1_100_000).contains(&messages),
        "{messages} messages"
    );
    assert!(
        cfg!(debug_assertions) || elapsed.as_secs() < 20,
        "{elapsed:?}"
    );
}

/// Prints a few threads to read; `-- --ignored --nocapture show_some`.
#[test]
#[ignore = "prints samples for reading"]
fn show_some_threads() {
    for thread in threads(&config(5, 40)).step_by(7) {
        println!(
            "==== {} [{}] {} | {} | {} | {} | {:?} | due {:?}",
            thread.ticket.number,
            thread.ticket.status,
            thread.ticket.subject,
            thread.ticket.category,
            thread.ticket.service.name,
            thread.ticket.channel,
            thread.ticket.assignee,
            thread.ticket.sla_due_at.map(|d| (d.0 - NOW.0) / 60_000)
        );
        for m in &thread.messages {
            println!(
                "--- {} {:?} {:?} {:?} +{}min",
                m.id.0,
                m.kind,
                m.channel,
                m.author,
                (m.created_at.0 - thread.ticket.created_at.0) / 60_000
            );
            println!("{}", m.body);
        }
        for a in &thread.attachments {
            println!(
                "  [file] {} {} {} bytes",
                a.name, a.media_type, a.size_bytes
            );
        }
    }
}
