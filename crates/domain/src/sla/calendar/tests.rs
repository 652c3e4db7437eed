use jiff::civil::{date, Weekday};
use proptest::prelude::*;
use rstest::rstest;

use super::*;

const HOUR: i64 = 60 * MINUTE_MS;

fn at(text: &str) -> Timestamp {
    Timestamp(text.parse::<jiff::Timestamp>().unwrap().as_millisecond())
}

fn hours(days: &[Weekday], start_h: u16, end_h: u16) -> Vec<BusinessHours> {
    days.iter()
        .map(|&weekday| BusinessHours {
            weekday,
            start_minute: start_h * 60,
            end_minute: end_h * 60,
        })
        .collect()
}

const WORKDAYS: &[Weekday] = &[
    Weekday::Monday,
    Weekday::Tuesday,
    Weekday::Wednesday,
    Weekday::Thursday,
    Weekday::Friday,
];
const EVERY_DAY: &[Weekday] = &[
    Weekday::Monday,
    Weekday::Tuesday,
    Weekday::Wednesday,
    Weekday::Thursday,
    Weekday::Friday,
    Weekday::Saturday,
    Weekday::Sunday,
];

fn business(
    zone: &str,
    hours: Vec<BusinessHours>,
    holidays: Vec<jiff::civil::Date>,
) -> CompiledCalendar {
    SlaCalendar::BusinessHours {
        time_zone: zone.into(),
        hours,
        holidays,
    }
    .compile()
    .unwrap()
}

fn moscow_office(holidays: Vec<jiff::civil::Date>) -> CompiledCalendar {
    business("Europe/Moscow", hours(WORKDAYS, 9, 18), holidays)
}

#[rstest]
// Friday 17:00 + 4 h: one hour on Friday, three on Monday.
#[case::over_the_weekend(moscow_office(vec![]), "2026-03-27T17:00+03:00", 240, "2026-03-30T12:00+03:00")]
#[case::monday_a_holiday(moscow_office(vec![date(2026, 3, 30)]), "2026-03-27T17:00+03:00", 240, "2026-03-31T12:00+03:00")]
// Created on Saturday night: the clock starts Monday 09:00.
#[case::created_while_closed(moscow_office(vec![]), "2026-03-28T23:00+03:00", 60, "2026-03-30T10:00+03:00")]
// Exactly a day's hours end at closing time, not the next morning.
#[case::ends_at_closing(moscow_office(vec![]), "2026-03-30T09:00+03:00", 540, "2026-03-30T18:00+03:00")]
// Berlin moves to summer time over this weekend: 17:00 CET + 4 h is 12:00 CEST.
#[case::office_over_spring_change(business("Europe/Berlin", hours(WORKDAYS, 9, 18), vec![]), "2026-03-27T17:00+01:00", 240, "2026-03-30T12:00+02:00")]
// Sunday 01:00–04:00 on 2026-03-29: 02:00–03:00 does not exist and is skipped.
#[case::hours_across_the_gap(business("Europe/Berlin", hours(&[Weekday::Sunday], 1, 4), vec![]), "2026-03-29T01:30+01:00", 60, "2026-03-29T03:30+02:00")]
// Sunday 01:00–04:00 on 2026-10-25: 02:00–03:00 repeats and counts once.
#[case::hours_across_the_fold(business("Europe/Berlin", hours(&[Weekday::Sunday], 1, 4), vec![]), "2026-10-25T01:00+02:00", 150, "2026-10-25T03:30+01:00")]
#[case::always_on(CompiledCalendar::new(&SlaCalendar::AlwaysOn).unwrap(), "2026-03-27T17:00+03:00", 240, "2026-03-27T21:00+03:00")]
fn due_times_by_hand(
    #[case] calendar: CompiledCalendar,
    #[case] from: &str,
    #[case] minutes: i64,
    #[case] due: &str,
) {
    let (from, due) = (at(from), at(due));
    assert_eq!(
        calendar.add_working_ms(from, minutes * MINUTE_MS),
        Some(due)
    );
    assert_eq!(calendar.working_ms_between(from, due), minutes * MINUTE_MS);
}

#[rstest]
// Spring: Sunday has 23 hours.
#[case("2026-03-28T00:00+01:00", "2026-03-30T00:00+02:00", 24 + 23)]
// Autumn: Sunday lasts 25 hours, but its repeated hour counts once.
#[case("2026-10-24T00:00+02:00", "2026-10-26T00:00+01:00", 24 + 24)]
fn round_the_clock_business_hours_across_dst(
    #[case] from: &str,
    #[case] to: &str,
    #[case] hours_counted: i64,
) {
    let calendar = business("Europe/Berlin", hours(EVERY_DAY, 0, 24), vec![]);
    assert_eq!(
        calendar.working_ms_between(at(from), at(to)),
        hours_counted * HOUR
    );
}

#[test]
fn an_unknown_time_zone_is_an_error_not_utc() {
    let err = SlaCalendar::BusinessHours {
        time_zone: "Mars/Olympus_Mons".into(),
        hours: hours(WORKDAYS, 9, 18),
        holidays: vec![],
    }
    .compile()
    .unwrap_err();
    assert_eq!(
        err,
        CalendarError::UnknownTimeZone {
            name: "Mars/Olympus_Mons".into()
        }
    );
}

#[rstest]
#[case(10, 9)]
#[case(9, 25)]
fn hours_outside_one_day_are_an_error(#[case] start_h: u16, #[case] end_h: u16) {
    let err = SlaCalendar::BusinessHours {
        time_zone: "UTC".into(),
        hours: hours(&[Weekday::Monday], start_h, end_h),
        holidays: vec![],
    }
    .compile()
    .unwrap_err();
    assert!(matches!(err, CalendarError::InvalidHours { .. }), "{err}");
}

#[test]
fn a_calendar_without_open_hours_never_reaches_a_due_time() {
    let calendar = business("UTC", hours(&[Weekday::Monday], 9, 9), vec![]);
    let from = at("2026-03-27T17:00Z");
    assert_eq!(calendar.add_working_ms(from, MINUTE_MS), None);
    assert_eq!(calendar.add_working_ms(from, 0), Some(from));
    assert_eq!(
        calendar.working_ms_between(from, at("2027-03-27T17:00Z")),
        0
    );
}

#[test]
fn overlapping_hours_count_once() {
    let mut both = hours(&[Weekday::Monday], 9, 12);
    both.extend(hours(&[Weekday::Monday], 11, 14));
    let calendar = business("UTC", both, vec![]);
    assert_eq!(
        calendar.working_ms_between(at("2026-03-30T00:00Z"), at("2026-03-31T00:00Z")),
        5 * HOUR
    );
}

#[test]
fn a_thirty_day_target_jumps_by_days() {
    // 30 days of working time in a 9-hour office: 80 working days later.
    let calendar = moscow_office(vec![date(2026, 5, 1), date(2026, 5, 11)]);
    let from = at("2026-03-30T09:00+03:00");
    let due = calendar.add_working_ms(from, 30 * 24 * HOUR).unwrap();
    assert_eq!(calendar.working_ms_between(from, due), 30 * 24 * HOUR);
    assert!(due > at("2026-07-01T00:00Z"), "{due:?}");
}

const ZONES: &[&str] = &[
    "UTC",
    "Europe/Berlin",
    "Europe/Moscow",
    "America/New_York",
    // A 30-minute DST shift.
    "Australia/Lord_Howe",
    "Asia/Kolkata",
];

fn any_calendar() -> impl Strategy<Value = CompiledCalendar> {
    let one_day = (0..7usize, 0..=1440u16, 0..=1440u16).prop_map(|(day, a, b)| BusinessHours {
        weekday: EVERY_DAY[day],
        start_minute: a.min(b),
        end_minute: a.max(b),
    });
    (
        0..ZONES.len(),
        proptest::collection::vec(one_day, 1..6),
        proptest::collection::vec(0..400i16, 0..5),
    )
        .prop_map(|(zone, hours, holidays)| {
            let holidays = holidays
                .into_iter()
                .map(|d| {
                    date(2026, 1, 1)
                        .checked_add(jiff::Span::new().days(d))
                        .unwrap()
                })
                .collect();
            business(ZONES[zone], hours, holidays)
        })
}

/// Instants from 2025 to 2027, so DST changes and holidays come up.
fn any_instant() -> impl Strategy<Value = Timestamp> {
    (1_735_689_600_000i64..1_830_297_600_000).prop_map(Timestamp)
}

proptest! {
    #[test]
    fn the_two_calendar_functions_agree(
        calendar in any_calendar(),
        from in any_instant(),
        span in 0..(40 * 24 * HOUR),
        ms in 0..(200 * HOUR),
    ) {
        let to = Timestamp(from.0 + span);
        let between = calendar.working_ms_between(from, to);
        prop_assert!((0..=span).contains(&between));
        let back = calendar.add_working_ms(from, between);
        prop_assert!(back.is_some_and(|b| b <= to), "{back:?} after {to:?}");
        if let Some(due) = calendar.add_working_ms(from, ms) {
            prop_assert_eq!(calendar.working_ms_between(from, due), ms);
            // The earliest such instant: a moment earlier, less has passed.
            if ms > 0 {
                prop_assert!(calendar.working_ms_between(from, Timestamp(due.0 - 1)) < ms);
            }
        }
    }

    #[test]
    fn working_time_adds_up(
        calendar in any_calendar(),
        a in any_instant(),
        x in 0..(20 * 24 * HOUR),
        y in 0..(20 * 24 * HOUR),
    ) {
        let (b, c) = (Timestamp(a.0 + x), Timestamp(a.0 + x + y));
        prop_assert_eq!(
            calendar.working_ms_between(a, b) + calendar.working_ms_between(b, c),
            calendar.working_ms_between(a, c)
        );
    }

    #[test]
    fn due_time_grows_with_the_target(
        calendar in any_calendar(),
        from in any_instant(),
        small in 0..(100 * HOUR),
        more in 0..(100 * HOUR),
    ) {
        let earlier = calendar.add_working_ms(from, small);
        let later = calendar.add_working_ms(from, small + more);
        // Only a calendar without open hours never gets there.
        prop_assert!(later.is_none() || earlier <= later);
    }
}

fn business_of(calendar: &CompiledCalendar) -> &Business {
    match &calendar.0 {
        Kind::Business(b) => b,
        Kind::AlwaysOn => unreachable!("any_calendar makes business hours"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Jumping whole quiet weeks gives what stretch-by-stretch scanning gives,
    /// across DST changes and holidays, over spans of up to 400 days.
    #[test]
    fn week_jumps_match_the_scan(
        calendar in any_calendar(),
        from in any_instant(),
        span in 0..(400 * 24 * HOUR),
        ms in 0..(2_000 * HOUR),
    ) {
        let b = business_of(&calendar);
        let to = from.0 + span;
        prop_assert_eq!(b.working_ms_between(from.0, to), b.scan_between(from.0, to));
        if ms > 0 {
            prop_assert_eq!(b.add_working_ms(from.0, ms), b.scan_add(from.0, ms));
        }
    }
}

/// Zones for the checks against jiff: those above, and offset changes of
/// other shapes — a two-hour summer time (Troll), a summer time with the
/// negative winter rule (Dublin), a summer time abolished in 2019 (São
/// Paulo), a whole day skipped in 2011 (Apia).
const ORACLE_ZONES: &[&str] = &[
    "UTC",
    "Europe/Berlin",
    "Europe/Moscow",
    "America/New_York",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    "Antarctica/Troll",
    "Europe/Dublin",
    "America/Sao_Paulo",
    "Pacific/Apia",
];

/// Straight from jiff, with no offset table: every local time and offset
/// change asked of the time zone, the working time scanned day by day with
/// no week jumps. What `Business` computed before it read the zone once into
/// a table; the reference its fast paths must match exactly.
struct Reference<'a>(&'a Business);

impl Reference<'_> {
    fn tz(&self) -> &TimeZone {
        &self.0.zone.tz
    }

    fn offset_ms(&self, at: i64) -> i64 {
        offset_ms(self.tz().to_offset(to_jiff(at)))
    }

    fn following(&self, at: i64) -> Option<i64> {
        self.tz()
            .following(to_jiff(at))
            .next()
            .map(|t| t.timestamp().as_millisecond())
    }

    /// The last change before `at` of those `following` reports. jiff's own
    /// `preceding` can pass over one: where a zone's TZif data ends with a
    /// change that keeps the offset (in some builds Antarctica/Troll's, at
    /// 2038-01-19T03:14:07Z) it answers with the POSIX rule's change before
    /// it. Only the quiet-week check asks, and any answer there gives the
    /// same working time, which the day-by-day check below holds to.
    fn preceding(&self, at: i64) -> Option<i64> {
        let mut last = self
            .tz()
            .preceding(to_jiff(at))
            .next()
            .map(|t| t.timestamp().as_millisecond());
        while let Some(next) = self.following(last.unwrap_or(i64::MIN)) {
            if next >= at {
                break;
            }
            last = Some(next);
        }
        last
    }

    fn at_or_after(&self, wall: i64) -> i64 {
        let local = Offset::UTC.to_datetime(to_jiff(wall));
        match self.tz().to_ambiguous_timestamp(local).offset() {
            AmbiguousOffset::Unambiguous { offset } => wall - offset_ms(offset),
            AmbiguousOffset::Fold { before, .. } => wall - offset_ms(before),
            AmbiguousOffset::Gap { after, .. } => {
                let probe = wall - offset_ms(after);
                self.following(probe).unwrap_or(probe)
            }
        }
    }

    fn split_fold(&self, start: i64, end: i64) -> [(i64, i64); 2] {
        let (before, after) = (self.offset_ms(start), self.offset_ms(end));
        if start >= end || before <= after {
            return [(start, end), (end, end)];
        }
        let fold_at = self.following(start).map_or(end, |t| t.min(end));
        let resume = (fold_at + (before - after)).min(end);
        [(start, fold_at), (resume, end)]
    }

    fn for_each_segment(&self, from: i64, mut f: impl FnMut(i64, i64) -> ControlFlow<()>) {
        let b = self.0;
        if b.week.iter().all(Vec::is_empty) {
            return;
        }
        let mut day = (from + self.offset_ms(from)).div_euclid(DAY_MS) - 1;
        loop {
            if b.holidays.binary_search(&day).is_err() {
                for &(open, close) in &b.week[weekday_index(day)] {
                    let base = day * DAY_MS;
                    let start = self.at_or_after(base + i64::from(open) * MINUTE_MS);
                    let end = self.at_or_after(base + i64::from(close) * MINUTE_MS);
                    for (s, e) in self.split_fold(start, end) {
                        if s < e && f(s, e).is_break() {
                            return;
                        }
                    }
                }
            }
            day += 1;
        }
    }

    fn between(&self, from: i64, to: i64) -> i64 {
        let mut total = 0;
        if to > from {
            self.for_each_segment(from, |start, end| {
                if start >= to {
                    return ControlFlow::Break(());
                }
                total += (end.min(to) - start.max(from)).max(0);
                ControlFlow::Continue(())
            });
        }
        total
    }

    fn add(&self, from: i64, mut left: i64) -> Option<i64> {
        let mut due = None;
        self.for_each_segment(from, |start, end| {
            let start = start.max(from);
            let open = end - start;
            if open >= left {
                due = Some(start + left);
                return ControlFlow::Break(());
            }
            left -= open.max(0);
            ControlFlow::Continue(())
        });
        due
    }
}

fn any_oracle_calendar() -> impl Strategy<Value = CompiledCalendar> {
    let one_day = (0..7usize, 0..=1440u16, 0..=1440u16).prop_map(|(day, a, b)| BusinessHours {
        weekday: EVERY_DAY[day],
        start_minute: a.min(b),
        end_minute: a.max(b),
    });
    (
        0..ORACLE_ZONES.len(),
        proptest::collection::vec(one_day, 1..6),
        proptest::collection::vec(0..800i16, 0..6),
    )
        .prop_map(|(zone, hours, holidays)| {
            let holidays = holidays
                .into_iter()
                .map(|d| {
                    date(2025, 6, 1)
                        .checked_add(jiff::Span::new().days(d))
                        .unwrap()
                })
                .collect();
            business(ORACLE_ZONES[zone], hours, holidays)
        })
}

/// An instant where the offset table has something to get wrong: anywhere
/// from 1965 to 2105 (so before, across and after the table's years), just
/// around one of the zone's offset changes, or around the table's ends.
fn tricky_instant(zone: &Zone, place: u8, base: i64, near: i64) -> i64 {
    const YEAR: i64 = 365 * DAY_MS;
    match place {
        0 => TABLE_FROM - 5 * YEAR + base.rem_euclid(140 * YEAR),
        1 => TABLE_FROM + near,
        2 => TABLE_UNTIL + near,
        _ => {
            let around = 1_735_689_600_000 + base.rem_euclid(3 * YEAR);
            let change = zone.tz.following(to_jiff(around)).next();
            change.map_or(around, |t| t.timestamp().as_millisecond()) + near
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// Offsets, offset changes and local times from the table are jiff's.
    #[test]
    fn the_offset_table_answers_like_jiff(
        zone in 0..ORACLE_ZONES.len(),
        place in 0..6u8,
        base in any::<i64>(),
        near in -3 * DAY_MS..3 * DAY_MS,
        local in -30 * HOUR..30 * HOUR,
    ) {
        let calendar = business(ORACLE_ZONES[zone], hours(WORKDAYS, 9, 18), vec![]);
        let b = business_of(&calendar);
        let reference = Reference(b);
        let at = tricky_instant(&b.zone, place, base, near);
        prop_assert_eq!(b.zone.offset_ms(at), reference.offset_ms(at));
        prop_assert_eq!(b.zone.following(at), reference.following(at));
        prop_assert_eq!(b.zone.preceding(at), reference.preceding(at));
        // Local times on both sides of the instant, gaps and folds included;
        // whole minutes as the calendar asks them, and odd ones.
        let wall = at + local;
        prop_assert_eq!(b.zone.at_or_after(wall), reference.at_or_after(wall));
        let minute = wall.div_euclid(MINUTE_MS) * MINUTE_MS;
        prop_assert_eq!(b.zone.at_or_after(minute), reference.at_or_after(minute));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The calendar (offset table, stretch fast path and week jumps) gives
    /// exactly what jiff gives day by day, across DST changes, holidays and
    /// the table's ends, over spans of up to 400 days.
    #[test]
    fn the_calendar_matches_jiff_day_by_day(
        calendar in any_oracle_calendar(),
        place in 0..6u8,
        base in any::<i64>(),
        near in -3 * DAY_MS..3 * DAY_MS,
        span in prop_oneof![0..(3 * 24 * HOUR), 0..(400 * 24 * HOUR)],
        ms in prop_oneof![1..(30 * HOUR), 1..(2_000 * HOUR)],
    ) {
        let b = business_of(&calendar);
        let reference = Reference(b);
        let from = tricky_instant(&b.zone, place, base, near);
        let to = from + span;
        let (f, t) = (Timestamp(from), Timestamp(to));
        prop_assert_eq!(calendar.working_ms_between(f, t), reference.between(from, to));
        prop_assert_eq!(
            calendar.add_working_ms(f, ms).map(|due| due.0),
            reference.add(from, ms)
        );
    }
}
