use jiff::civil::Weekday;
use proptest::prelude::*;
use rstest::rstest;

use super::*;
use crate::{
    Author, BusinessHours, CallDirection, CallOutcome, CallRecord, Channel, CustomerId,
    DeliveryState, MessageId, MessageKind, Plan, Priority, SlaCalendar, TicketNumber,
};
use SlaEventKind::{CustomerWrote, Responded, StatusChanged};
use TicketStatus::{OnHold, Open, Pending, Reopened, Solved};

/// 2026-03-30 00:00 UTC, a Monday.
const T0: Timestamp = Timestamp(1_774_828_800_000);

fn min(minutes: i64) -> Timestamp {
    T0.plus_minutes(minutes)
}

fn policy(warning: WarningThreshold, calendar: SlaCalendar) -> CompiledPolicy {
    SlaPolicy {
        id: 1,
        plan: Plan::Standard,
        priority: Priority::Normal,
        targets: SlaTargets {
            first_response_min: 60,
            next_response_min: 240,
            resolution_min: 1440,
        },
        warning,
        calendar,
    }
    .compile()
    .unwrap()
}

fn round_the_clock() -> CompiledPolicy {
    policy(
        WarningThreshold::ShareLeft { percent: 20 },
        SlaCalendar::AlwaysOn,
    )
}

fn ga(events: &[(i64, SlaEventKind)]) -> SlaFacts {
    SlaFacts {
        stage: ServiceStage::GeneralAvailability,
        created_at: T0,
        events: events
            .iter()
            .map(|&(m, kind)| SlaEvent { at: min(m), kind })
            .collect(),
    }
}

/// What most tables check of a metric: its state, due time and time left.
#[derive(Debug)]
struct Seen {
    state: SlaState,
    due_at: Option<Timestamp>,
    left_ms: Option<i64>,
}

impl PartialEq<Seen> for MetricReport {
    fn eq(&self, seen: &Seen) -> bool {
        (self.state, self.due_at, self.left_ms) == (seen.state, seen.due_at, seen.left_ms)
    }
}

fn metric(state: SlaState, due: Option<i64>, left_min: Option<i64>) -> Seen {
    Seen {
        state,
        due_at: due.map(min),
        left_ms: left_min.map(|m| m * MINUTE_MS),
    }
}

#[test]
fn first_response_round_the_clock() {
    let report = evaluate(&ga(&[]), &round_the_clock(), min(10));
    assert_eq!(
        report.first_response,
        metric(SlaState::Ok, Some(60), Some(50))
    );
    assert_eq!(
        report.next_response,
        metric(SlaState::Fulfilled, None, None)
    );
    assert_eq!(
        report.resolution,
        metric(SlaState::Ok, Some(1440), Some(1430))
    );
    // Warning once less than 20% (12 minutes) of the hour is left.
    assert_eq!(report.next_change_at, Some(Timestamp(min(48).0 + 1)));
}

#[test]
fn business_hours_friday_evening_is_due_monday_noon() {
    let policy = policy(
        WarningThreshold::MinutesLeft { minutes: 30 },
        SlaCalendar::BusinessHours {
            time_zone: "Europe/Moscow".into(),
            hours: [
                Weekday::Monday,
                Weekday::Tuesday,
                Weekday::Wednesday,
                Weekday::Thursday,
                Weekday::Friday,
            ]
            .into_iter()
            .map(|weekday| BusinessHours {
                weekday,
                start_minute: 9 * 60,
                end_minute: 18 * 60,
            })
            .collect(),
            holidays: vec![],
        },
    );
    let mut policy = policy;
    policy.targets.first_response_min = 240;
    // Friday 2026-03-27 17:00 MSK.
    let created = Timestamp(1_774_620_000_000);
    let facts = SlaFacts {
        stage: ServiceStage::GeneralAvailability,
        created_at: created,
        events: vec![],
    };
    // Saturday noon: 60 minutes used on Friday, the clock stands still.
    let report = evaluate(&facts, &policy, created.plus_minutes(19 * 60));
    // Due Monday 2026-03-30 12:00 MSK.
    let monday_noon = created.plus_minutes((2 * 24 + 19) * 60);
    assert_eq!(report.first_response.state, SlaState::Ok);
    assert_eq!(report.first_response.due_at, Some(monday_noon));
    assert_eq!(report.first_response.left_ms, Some(180 * MINUTE_MS));
    // The watcher wakes when less than 30 minutes are left, Monday 11:30,
    // not at midnight.
    let warns = Timestamp(monday_noon.plus_minutes(-30).0 + 1);
    assert_eq!(report.next_change_at, Some(warns));
    assert_eq!(
        evaluate(&facts, &policy, warns).first_response.state,
        SlaState::Warning
    );
}

#[test]
fn pending_for_two_hours_moves_the_due_time_by_two_hours() {
    let facts = ga(&[(10, StatusChanged(Pending)), (130, StatusChanged(Open))]);
    let during = evaluate(&facts, &round_the_clock(), min(20));
    assert_eq!(
        during.first_response,
        metric(SlaState::Paused, None, Some(50))
    );
    assert_eq!(during.next_change_at, None);
    let after = evaluate(&facts, &round_the_clock(), min(140));
    assert_eq!(
        after.first_response,
        metric(SlaState::Ok, Some(180), Some(40))
    );
    assert_eq!(after.resolution.due_at, Some(min(1440 + 120)));
}

#[test]
fn on_hold_pauses_and_a_customer_message_ends_pending() {
    let facts = ga(&[
        (10, StatusChanged(OnHold)),
        (70, StatusChanged(Pending)),
        (100, CustomerWrote),
    ]);
    let report = evaluate(&facts, &round_the_clock(), min(100));
    assert_eq!(
        report.first_response,
        metric(SlaState::Ok, Some(150), Some(50))
    );
}

#[rstest]
#[case::customer_writes_back(CustomerWrote)]
#[case::status_reopened(StatusChanged(Reopened))]
fn reopening_restarts_resolution(#[case] reopen: SlaEventKind) {
    let facts = ga(&[(10, Responded), (100, StatusChanged(Solved)), (300, reopen)]);
    let solved = evaluate(&facts, &round_the_clock(), min(200));
    assert_eq!(
        solved.resolution,
        metric(SlaState::Fulfilled, None, Some(1340))
    );
    let reopened = evaluate(&facts, &round_the_clock(), min(310));
    assert_eq!(
        reopened.resolution,
        metric(SlaState::Ok, Some(300 + 1440), Some(1430))
    );
}

#[test]
fn a_customer_message_after_a_response_starts_next_response() {
    let facts = ga(&[(10, Responded), (30, CustomerWrote), (40, CustomerWrote)]);
    let report = evaluate(&facts, &round_the_clock(), min(50));
    assert_eq!(
        report.first_response,
        metric(SlaState::Fulfilled, None, Some(50))
    );
    // The clock runs from the first unanswered message.
    assert_eq!(
        report.next_response,
        metric(SlaState::Ok, Some(270), Some(220))
    );
    let answered = ga(&[(10, Responded), (30, CustomerWrote), (60, Responded)]);
    assert_eq!(
        evaluate(&answered, &round_the_clock(), min(70)).next_response,
        metric(SlaState::Fulfilled, None, Some(210))
    );
}

fn message(kind: MessageKind) -> Message {
    Message {
        id: MessageId(1),
        ticket: TicketNumber(1),
        kind,
        channel: Channel::Phone,
        author: Author::Customer { id: CustomerId(1) },
        body: String::new(),
        created_at: T0,
    }
}

fn call(direction: CallDirection, outcome: CallOutcome) -> MessageKind {
    MessageKind::CallLog {
        call: CallRecord {
            direction,
            duration_secs: 0,
            outcome,
            callback_at: None,
        },
    }
}

#[rstest]
#[case::note(MessageKind::InternalNote, None)]
#[case::system(MessageKind::SystemEvent, None)]
#[case::inbound(MessageKind::Inbound, Some(CustomerWrote))]
#[case::reply(MessageKind::PublicReply { delivery: DeliveryState::Sent }, Some(Responded))]
#[case::answered_call(call(CallDirection::Inbound, CallOutcome::Answered), Some(Responded))]
#[case::missed_inbound_call(
    call(CallDirection::Inbound, CallOutcome::NoAnswer),
    Some(CustomerWrote)
)]
#[case::outbound_voicemail(call(CallDirection::Outbound, CallOutcome::Voicemail), Some(Responded))]
fn messages_map_to_sla_events(#[case] kind: MessageKind, #[case] event: Option<SlaEventKind>) {
    assert_eq!(SlaEventKind::from_message(&message(kind)), event);
}

#[test]
fn a_note_does_not_fulfil_and_a_missed_call_asks_for_a_response() {
    let kinds = [
        (
            5,
            MessageKind::PublicReply {
                delivery: DeliveryState::Sent,
            },
        ),
        (20, call(CallDirection::Inbound, CallOutcome::NoAnswer)),
        (25, MessageKind::InternalNote),
    ];
    let events = kinds
        .into_iter()
        .filter_map(|(m, kind)| {
            SlaEventKind::from_message(&message(kind)).map(|kind| SlaEvent { at: min(m), kind })
        })
        .collect();
    let facts = SlaFacts { events, ..ga(&[]) };
    let report = evaluate(&facts, &round_the_clock(), min(30));
    assert_eq!(
        report.next_response,
        metric(SlaState::Ok, Some(260), Some(230))
    );
}

#[test]
fn beta_services_have_no_sla() {
    let facts = SlaFacts {
        stage: ServiceStage::Beta,
        ..ga(&[(10, Responded)])
    };
    let report = evaluate(&facts, &round_the_clock(), min(5000));
    for &m in SlaMetric::ALL {
        assert_eq!(*report.metric(m), metric(SlaState::NoSla, None, None));
    }
    assert_eq!(report.next_change_at, None);
}

#[rstest]
// 20% of 60 minutes is 12: warning below 12 minutes left.
#[case::share_not_yet(WarningThreshold::ShareLeft { percent: 20 }, 48, SlaState::Ok)]
#[case::share(WarningThreshold::ShareLeft { percent: 20 }, 49, SlaState::Warning)]
#[case::minutes_not_yet(WarningThreshold::MinutesLeft { minutes: 15 }, 45, SlaState::Ok)]
#[case::minutes(WarningThreshold::MinutesLeft { minutes: 15 }, 46, SlaState::Warning)]
#[case::due(WarningThreshold::MinutesLeft { minutes: 15 }, 60, SlaState::Breached)]
fn warning_by_share_and_by_minutes(
    #[case] warning: WarningThreshold,
    #[case] now: i64,
    #[case] state: SlaState,
) {
    let policy = policy(warning, SlaCalendar::AlwaysOn);
    let report = evaluate(&ga(&[]), &policy, min(now));
    assert_eq!(
        report.first_response,
        metric(state, Some(60), Some(60 - now))
    );
}

#[test]
fn breached_metrics_say_how_far_overdue() {
    let report = evaluate(&ga(&[]), &round_the_clock(), min(70));
    assert_eq!(
        report.first_response,
        metric(SlaState::Breached, Some(60), Some(-10))
    );
    // A late answer stays breached; the due time it missed is kept.
    let late = evaluate(&ga(&[(90, Responded)]), &round_the_clock(), min(100));
    assert_eq!(
        late.first_response,
        metric(SlaState::Breached, Some(60), Some(-30))
    );
    // Breached before a pause, still breached (not paused) while waiting.
    let waiting = ga(&[(70, StatusChanged(Pending))]);
    assert_eq!(
        evaluate(&waiting, &round_the_clock(), min(100)).first_response,
        metric(SlaState::Breached, Some(60), Some(-10))
    );
}

#[test]
fn each_clock_run_says_when_it_started_and_whether_it_counts() {
    let facts = ga(&[
        (10, Responded),
        (30, CustomerWrote),
        (300, StatusChanged(Pending)),
        (400, CustomerWrote),
    ]);
    // Next response started with the customer's message at 30 and ran out
    // at 270: breached and still counting.
    let breached = evaluate(&facts, &round_the_clock(), min(280));
    let next = breached.next_response;
    assert_eq!(
        (next.state, next.started_at, next.running),
        (SlaState::Breached, Some(min(30)), true)
    );
    // Waiting on the customer: breached, but nobody is kept waiting.
    let waiting = evaluate(&facts, &round_the_clock(), min(350)).next_response;
    assert_eq!(
        (waiting.state, waiting.running),
        (SlaState::Breached, false)
    );
    // Met in time: the first response no longer counts.
    let first = breached.first_response;
    assert_eq!(
        (first.state, first.started_at, first.running),
        (SlaState::Fulfilled, Some(T0), false)
    );
    // Never started: no start, not running.
    let idle = evaluate(&ga(&[]), &round_the_clock(), min(5)).next_response;
    assert_eq!((idle.started_at, idle.running), (None, false));
}

#[test]
fn unsorted_events_and_events_after_now() {
    let facts = ga(&[(130, StatusChanged(Open)), (10, StatusChanged(Pending))]);
    let report = evaluate(&facts, &round_the_clock(), min(140));
    assert_eq!(report.first_response.due_at, Some(min(180)));
    // At minute 100 the ticket is still pending: the later event is ignored.
    assert_eq!(
        evaluate(&facts, &round_the_clock(), min(100))
            .first_response
            .state,
        SlaState::Paused
    );
}

fn berlin_office() -> SlaCalendar {
    SlaCalendar::BusinessHours {
        time_zone: "Europe/Berlin".into(),
        hours: [Weekday::Monday, Weekday::Wednesday, Weekday::Sunday]
            .into_iter()
            .map(|weekday| BusinessHours {
                weekday,
                start_minute: 8 * 60,
                end_minute: 20 * 60,
            })
            .collect(),
        holidays: vec![jiff::civil::date(2026, 4, 1)],
    }
}

fn any_policy() -> impl Strategy<Value = CompiledPolicy> {
    (any::<bool>(), 1..100u8).prop_map(|(office, percent)| {
        let calendar = if office {
            berlin_office()
        } else {
            SlaCalendar::AlwaysOn
        };
        policy(WarningThreshold::ShareLeft { percent }, calendar)
    })
}

fn any_events() -> impl Strategy<Value = Vec<(i64, SlaEventKind)>> {
    let kind = prop_oneof![
        Just(CustomerWrote),
        Just(Responded),
        Just(StatusChanged(Open)),
        Just(StatusChanged(Pending)),
        Just(StatusChanged(OnHold)),
        Just(StatusChanged(Solved)),
        Just(StatusChanged(Reopened)),
    ];
    proptest::collection::vec((0..10_000i64, kind), 0..8)
}

proptest! {
    #[test]
    fn a_pause_moves_the_due_time_by_exactly_its_working_time(
        policy in any_policy(),
        // Before the 1440-minute resolution target is used up.
        pause_at in 0..1_440i64,
        pause_for in 0..3_000i64,
    ) {
        let cal = &policy.calendar;
        let plain = evaluate(&ga(&[]), &policy, T0).resolution.due_at.unwrap();
        prop_assert!(min(pause_at) < plain);
        let resume = pause_at + pause_for;
        let facts = ga(&[(pause_at, StatusChanged(Pending)), (resume, StatusChanged(Open))]);
        let paused = evaluate(&facts, &policy, min(resume)).resolution.due_at.unwrap();
        prop_assert_eq!(
            cal.working_ms_between(plain, paused),
            cal.working_ms_between(min(pause_at), min(resume))
        );
        prop_assert!(paused >= plain);
    }

    #[test]
    fn left_time_never_grows_while_nothing_happens(
        policy in any_policy(),
        events in any_events(),
        later in 0..20_000i64,
        more in 0..20_000i64,
    ) {
        let facts = ga(&events);
        let now = min(10_000 + later);
        let first = evaluate(&facts, &policy, now);
        let second = evaluate(&facts, &policy, now.plus_minutes(more));
        for &m in SlaMetric::ALL {
            let (a, b) = (first.metric(m), second.metric(m));
            prop_assert!(b.left_ms <= a.left_ms, "{m}: {a:?} then {b:?}");
            prop_assert_eq!(a.due_at.is_some() && a.state != SlaState::Paused, b.due_at.is_some() && b.state != SlaState::Paused);
        }
        if let Some(change) = first.next_change_at {
            prop_assert!(change > now);
        }
    }

    #[test]
    fn due_time_grows_with_the_target(
        office in any::<bool>(),
        created in 0..20_000i64,
        target in 0..5_000u32,
        more in 0..5_000u32,
    ) {
        let calendar = if office { berlin_office() } else { SlaCalendar::AlwaysOn };
        let mut policy = policy(WarningThreshold::ShareLeft { percent: 10 }, calendar);
        let facts = SlaFacts { created_at: min(created), ..ga(&[]) };
        policy.targets.first_response_min = target;
        let small = evaluate(&facts, &policy, T0).first_response.due_at;
        policy.targets.first_response_min = target + more;
        let large = evaluate(&facts, &policy, T0).first_response.due_at;
        prop_assert!(small.is_some() && small <= large, "{small:?} {large:?}");
    }

    #[test]
    fn the_next_change_is_a_real_change(
        policy in any_policy(),
        events in any_events(),
        later in 0..20_000i64,
    ) {
        let facts = ga(&events);
        let now = min(10_000 + later);
        let report = evaluate(&facts, &policy, now);
        if let Some(change) = report.next_change_at {
            let before = evaluate(&facts, &policy, Timestamp(change.0 - 1));
            let after = evaluate(&facts, &policy, change);
            let states = |r: &SlaReport| SlaMetric::ALL.iter().map(|&m| r.metric(m).state).collect::<Vec<_>>();
            prop_assert_eq!(states(&before), states(&report));
            prop_assert_ne!(states(&after), states(&report));
        }
    }
}

// A ticket's facts and the due time it shows.

fn ticket(stage: ServiceStage, log: &[(i64, TicketStatus)]) -> Ticket {
    Ticket {
        number: TicketNumber(1),
        subject: "VM down".into(),
        status: log.last().map_or(TicketStatus::New, |&(_, s)| s),
        priority: Priority::Normal,
        category: crate::Category::PlatformProblem,
        plan: Plan::Standard,
        service: crate::Service {
            name: "Compute Cloud".into(),
            stage,
        },
        customer: CustomerId(1),
        channel: Channel::Portal,
        assignee: None,
        team: "L2".into(),
        tags: vec![],
        email_cc: vec![],
        version: 1,
        created_at: T0,
        updated_at: T0,
        sla_due_at: None,
        status_log: log
            .iter()
            .map(|&(m, status)| StatusChange { at: min(m), status })
            .collect(),
    }
}

fn at(minute: i64, kind: MessageKind) -> Message {
    Message {
        created_at: min(minute),
        ..message(kind)
    }
}

#[test]
fn facts_of_a_ticket_merge_its_messages_and_status_log_in_time_order() {
    let ticket = ticket(
        ServiceStage::GeneralAvailability,
        &[(20, Pending), (30, Open)],
    );
    let reply = MessageKind::PublicReply {
        delivery: DeliveryState::Delivered,
    };
    let messages = [
        at(0, MessageKind::Inbound),
        at(5, MessageKind::InternalNote),
        at(10, reply),
        at(30, MessageKind::Inbound),
        at(31, MessageKind::SystemEvent),
    ];
    let facts = SlaFacts::of(&ticket, &messages);
    assert_eq!(facts.stage, ServiceStage::GeneralAvailability);
    assert_eq!(facts.created_at, T0);
    let events: Vec<_> = facts.events.iter().map(|e| (e.at, e.kind)).collect();
    assert_eq!(
        events,
        [
            (min(0), CustomerWrote),
            (min(10), Responded),
            (min(20), StatusChanged(Pending)),
            // At one instant the customer's message goes first: it is what
            // moved the ticket.
            (min(30), CustomerWrote),
            (min(30), StatusChanged(Open)),
        ]
    );
    // The pause of ten minutes moves the resolution due time by as much.
    let report = evaluate(&facts, &round_the_clock(), min(40));
    assert_eq!(report.resolution.due_at, Some(min(1440 + 10)));
}

#[test]
fn set_status_logs_each_move_once() {
    let mut ticket = ticket(ServiceStage::GeneralAvailability, &[]);
    ticket.set_status(Pending, min(5));
    ticket.set_status(Pending, min(6));
    ticket.set_status(Open, min(7));
    assert_eq!(ticket.status, Open);
    assert_eq!(
        ticket.status_log,
        [
            StatusChange {
                at: min(5),
                status: Pending
            },
            StatusChange {
                at: min(7),
                status: Open
            },
        ]
    );
}

#[test]
fn a_ticket_without_a_status_log_reads_as_one_that_never_moved() {
    let mut json = serde_json::to_value(ticket(ServiceStage::Beta, &[(5, Pending)])).unwrap();
    assert_eq!(json["status_log"][0]["status"], "pending");
    json.as_object_mut().unwrap().remove("status_log");
    let read: Ticket = serde_json::from_value(json).unwrap();
    assert!(read.status_log.is_empty());
}

#[rstest]
#[case::nobody_answered(&[], &[], 10, Some(60))]
#[case::answered(&[(10, Responded)], &[], 20, Some(1440))]
#[case::first_response_overdue_and_still_waiting(&[], &[], 70, Some(60))]
#[case::answered_late(&[(90, Responded)], &[], 100, Some(1440))]
#[case::customer_wrote_again(&[(10, Responded), (30, CustomerWrote)], &[], 40, Some(270))]
#[case::pending(&[(10, Responded)], &[(20, Pending)], 30, None)]
#[case::on_hold_before_any_answer(&[], &[(20, OnHold)], 30, None)]
#[case::back_from_pending(&[], &[(20, Pending), (80, Open)], 90, Some(120))]
#[case::solved(&[(10, Responded)], &[(20, Solved)], 30, None)]
#[case::reopened(&[(10, Responded), (300, CustomerWrote)], &[(20, Solved), (300, Reopened)], 310, Some(540))]
fn the_due_time_is_the_earliest_deadline_still_running(
    #[case] events: &[(i64, SlaEventKind)],
    #[case] log: &[(i64, TicketStatus)],
    #[case] now: i64,
    #[case] due: Option<i64>,
) {
    let mut facts = ga(events);
    let ticket = ticket(ServiceStage::GeneralAvailability, log);
    facts.events.extend(SlaFacts::of(&ticket, &[]).events);
    let report = evaluate(&facts, &round_the_clock(), min(now));
    assert_eq!(report.earliest_running_due(), due.map(min));
}

#[test]
fn a_beta_ticket_has_no_due_time() {
    let ticket = ticket(ServiceStage::Beta, &[]);
    let facts = SlaFacts::of(&ticket, &[at(0, MessageKind::Inbound)]);
    let report = evaluate(&facts, &round_the_clock(), min(10));
    assert_eq!(report.earliest_running_due(), None);
}
