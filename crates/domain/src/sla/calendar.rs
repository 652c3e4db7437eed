//! Working time of an SLA calendar: how much calendar time lies between two
//! instants, and when a given amount of it has passed.
//!
//! Business hours are local wall-clock hours in the calendar's time zone. The
//! open stretch of a day runs from the first instant whose local time reaches
//! the opening minute to the first instant whose local time reaches the
//! closing minute. So across a DST change:
//! - local times skipped by a gap do not exist and never count (a Sunday open
//!   00:00–24:00 on the spring change counts 23 hours);
//! - local times repeated by a fold count once, at their first occurrence (that
//!   Sunday on the autumn change counts 24 hours, not 25).
//!
//! Holidays are whole local dates with no open hours. Instants are clamped to
//! the range jiff supports (years -9999..=9999).

use std::ops::ControlFlow;

use jiff::tz::{AmbiguousOffset, Offset, TimeZone};

use super::{BusinessHours, SlaCalendar};
use crate::Timestamp;

const MINUTE_MS: i64 = 60_000;
const DAY_MS: i64 = 86_400_000;
const WEEK_MS: i64 = 7 * DAY_MS;
const DAY_MINUTES: u16 = 24 * 60;

/// A calendar that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// The time zone is not a known IANA name. No fallback to UTC: business
    /// hours in the wrong zone would put every due time off by hours.
    #[error("unknown time zone {name:?}")]
    UnknownTimeZone { name: String },
    /// Opening hours that end before they start or after midnight.
    #[error("opening hours {start_minute}..{end_minute} on {weekday:?} are not within one day")]
    InvalidHours {
        weekday: jiff::civil::Weekday,
        start_minute: u16,
        end_minute: u16,
    },
}

/// An [`SlaCalendar`] with its time zone resolved and its hours sorted, built
/// once per policy and reused for every ticket.
#[derive(Debug, Clone)]
pub struct CompiledCalendar(Kind);

#[derive(Debug, Clone)]
enum Kind {
    AlwaysOn,
    Business(Box<Business>),
}

#[derive(Debug, Clone)]
struct Business {
    zone: Zone,
    /// Open intervals per weekday (Monday first), in minutes after local
    /// midnight, sorted and merged.
    week: [Vec<(u16, u16)>; 7],
    /// Local dates as days since 1970-01-01, sorted.
    holidays: Vec<i64>,
    /// Open time in a week without holidays or offset changes.
    week_ms: i64,
}

impl SlaCalendar {
    /// Resolves the time zone and checks the hours.
    pub fn compile(&self) -> Result<CompiledCalendar, CalendarError> {
        CompiledCalendar::new(self)
    }
}

impl CompiledCalendar {
    pub fn new(calendar: &SlaCalendar) -> Result<Self, CalendarError> {
        match calendar {
            SlaCalendar::AlwaysOn => Ok(Self(Kind::AlwaysOn)),
            SlaCalendar::BusinessHours {
                time_zone,
                hours,
                holidays,
            } => {
                let tz = TimeZone::get(time_zone).map_err(|_| CalendarError::UnknownTimeZone {
                    name: time_zone.clone(),
                })?;
                let mut holidays: Vec<i64> = holidays.iter().map(|d| day_number(*d)).collect();
                holidays.sort_unstable();
                holidays.dedup();
                let week = week_of(hours)?;
                let week_ms = week
                    .iter()
                    .flatten()
                    .map(|&(open, close)| i64::from(close - open) * MINUTE_MS)
                    .sum();
                Ok(Self(Kind::Business(Box::new(Business {
                    zone: Zone::new(tz),
                    week,
                    holidays,
                    week_ms,
                }))))
            }
        }
    }

    /// Calendar time between `from` and `to`, in milliseconds; 0 when `to`
    /// is not after `from`.
    pub fn working_ms_between(&self, from: Timestamp, to: Timestamp) -> i64 {
        if to <= from {
            return 0;
        }
        match &self.0 {
            Kind::AlwaysOn => to.0.saturating_sub(from.0),
            Kind::Business(b) => b.working_ms_between(from.0, to.0),
        }
    }

    /// The earliest instant at which `ms` of calendar time has passed since
    /// `from` (`from` itself when `ms` is not positive). `None` when the
    /// calendar never gets there: no open hours at all, or beyond year 9999.
    pub fn add_working_ms(&self, from: Timestamp, ms: i64) -> Option<Timestamp> {
        if ms <= 0 {
            return Some(from);
        }
        match &self.0 {
            Kind::AlwaysOn => Some(Timestamp(from.0.saturating_add(ms))),
            Kind::Business(b) => b.add_working_ms(from.0, ms).map(Timestamp),
        }
    }
}

impl Business {
    fn working_ms_between(&self, mut from: i64, to: i64) -> i64 {
        let mut total = 0;
        while to - from > 2 * WEEK_MS {
            let (midnight, weeks) = self.quiet_weeks(from);
            let weeks = weeks.min((to - midnight).div_euclid(WEEK_MS));
            if weeks <= 0 {
                break;
            }
            total += self.scan_between(from, midnight) + weeks * self.week_ms;
            from = midnight + weeks * WEEK_MS;
        }
        total + self.scan_between(from, to)
    }

    fn add_working_ms(&self, mut from: i64, mut left: i64) -> Option<i64> {
        while self.week_ms > 0 && left > 2 * self.week_ms {
            let (midnight, weeks) = self.quiet_weeks(from);
            let before = self.scan_between(from, midnight);
            // Stop short of the due time: it is the end of a stretch, found by
            // the scan below.
            let weeks = weeks.min((left - before - 1) / self.week_ms);
            if weeks <= 0 {
                break;
            }
            left -= before + weeks * self.week_ms;
            from = midnight + weeks * WEEK_MS;
        }
        self.scan_add(from, left)
    }

    /// The first local midnight after `from`, and how many whole weeks from
    /// it on hold no holiday and keep one UTC offset: each such week holds
    /// exactly `week_ms`, so long spans jump a week at a time.
    fn quiet_weeks(&self, from: i64) -> (i64, i64) {
        let zone = &self.zone;
        let midnight =
            zone.at_or_after(((from + zone.offset_ms(from)).div_euclid(DAY_MS) + 1) * DAY_MS);
        // After a fold, local times keep repeating for a while.
        let settled = zone
            .preceding(midnight)
            .is_none_or(|t| t <= midnight - DAY_MS);
        if !settled {
            return (midnight, 0);
        }
        let by_zone = zone
            .following(midnight)
            .map_or(i64::MAX, |t| (t - midnight) / WEEK_MS);
        let first_day = (midnight + zone.offset_ms(midnight)).div_euclid(DAY_MS);
        // The weeks touch local days first_day..=first_day + 7 * weeks.
        let by_holiday = self
            .holidays
            .get(self.holidays.partition_point(|&h| h < first_day))
            .map_or(i64::MAX, |&h| (h - first_day - 1).max(0) / 7);
        (midnight, by_zone.min(by_holiday))
    }

    /// Open time in `[from, to)`, stretch by stretch.
    fn scan_between(&self, from: i64, to: i64) -> i64 {
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

    /// The earliest instant by which `left` (> 0) of open time has passed
    /// since `from`, stretch by stretch.
    fn scan_add(&self, from: i64, mut left: i64) -> Option<i64> {
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

    /// Calls `f` with the open stretches `[start, end)` (ms since the epoch)
    /// in time order, from the local day before `from`'s (a stretch ends by
    /// its day's local midnight, so none that reaches `from` is missed)
    /// until `f` breaks or the supported range ends. Jumps day by day, never
    /// minute by minute.
    fn for_each_segment(&self, from: i64, mut f: impl FnMut(i64, i64) -> ControlFlow<()>) {
        // Without any open hours no stretch will ever come.
        if self.week_ms == 0 {
            return;
        }
        let zone = &self.zone;
        let last_day = jiff::Timestamp::MAX.as_millisecond().div_euclid(DAY_MS);
        let (offset, mut period) = zone.locate(from);
        let mut day = (from + offset).div_euclid(DAY_MS) - 1;
        // Days move forward, so the next holiday and the offset period that
        // holds the day only ever move forward too.
        let mut holiday = self.holidays.partition_point(|&h| h < day);
        while day <= last_day {
            if self.holidays.get(holiday) == Some(&day) {
                holiday += 1;
            } else {
                let base = day * DAY_MS;
                for &(open, close) in &self.week[weekday_index(day)] {
                    let open = base + i64::from(open) * MINUTE_MS;
                    let close = base + i64::from(close) * MINUTE_MS;
                    period = zone.advance(period, open);
                    let stretches = match zone.plain_stretch(period, open, close) {
                        Some(stretch) => [stretch, (0, 0)],
                        // Near an offset change: gaps and folds.
                        None => self.split_fold(zone.at_or_after(open), zone.at_or_after(close)),
                    };
                    for (s, e) in stretches {
                        if s < e && f(s, e).is_break() {
                            return;
                        }
                    }
                }
            }
            day += 1;
        }
    }

    /// `[start, end)` without the second occurrence of local times a fold
    /// repeats inside it (they already counted once).
    fn split_fold(&self, start: i64, end: i64) -> [(i64, i64); 2] {
        let zone = &self.zone;
        let (before, after) = (zone.offset_ms(start), zone.offset_ms(end));
        if start >= end || before <= after {
            return [(start, end), (end, end)];
        }
        let fold_at = zone.following(start).map_or(end, |t| t.min(end));
        let resume = (fold_at + (before - after)).min(end);
        [(start, fold_at), (resume, end)]
    }
}

/// First instant of the years the offset table covers, 1970-01-01T00:00Z.
const TABLE_FROM: i64 = 0;
/// End of the years the offset table covers, 2100-01-01T00:00Z.
const TABLE_UNTIL: i64 = 4_102_444_800_000;
/// The table's index has one entry per 2^33 ms (about 99 days).
const BUCKET_BITS: u32 = 33;

/// A time zone with its UTC offsets from 1970 to 2100 read from jiff once, as
/// a table of the periods between offset changes (a few hundred in a zone
/// with DST, one in a fixed-offset zone): offsets, the neighbouring changes
/// and local times are then looked up in it, not asked of jiff per stretch.
/// Outside those years, and for local times in or next to a gap or fold,
/// jiff still answers, so every answer is the one jiff gives.
#[derive(Debug, Clone)]
struct Zone {
    tz: TimeZone,
    /// Sorted by `start`; never empty.
    periods: Vec<Period>,
    /// For each bucket of `BUCKET_BITS` from `TABLE_FROM` to `TABLE_UNTIL`,
    /// the period that holds its first instant.
    buckets: Vec<usize>,
    /// The first offset change after the table's last period; `None` when
    /// the offset never changes again.
    next_change: Option<i64>,
}

/// A stretch of time with one UTC offset.
#[derive(Debug, Clone, Copy)]
struct Period {
    /// The offset change that starts it (one jiff reports, which may also
    /// keep the offset); `i64::MIN` for a first period with no change before.
    start: i64,
    offset: i64,
    /// The local times `[wall_from, wall_until)` (ms of local time since
    /// 1970-01-01T00:00) that occur once, in this period, and in no gap or
    /// fold: each is at the instant `wall - offset`.
    wall_from: i64,
    wall_until: i64,
}

impl Zone {
    fn new(tz: TimeZone) -> Self {
        let offset_at = |at: i64| offset_ms(tz.to_offset(to_jiff(at)));
        // The last change at or before the table's start.
        let first = tz
            .preceding(to_jiff(TABLE_FROM + 1))
            .next()
            .map(|t| t.timestamp().as_millisecond());
        let mut starts = vec![first.unwrap_or(i64::MIN)];
        let mut next_change = None;
        for t in tz.following(to_jiff(TABLE_FROM)) {
            let at = t.timestamp().as_millisecond();
            if at >= TABLE_UNTIL {
                next_change = Some(at);
                break;
            }
            starts.push(at);
        }
        let offsets: Vec<i64> = starts
            .iter()
            .map(|&start| offset_at(start.max(TABLE_FROM)))
            .collect();
        let before = first.map(|at| offset_at(at - 1));
        let after = next_change.map(offset_at);
        let periods = (0..starts.len())
            .map(|i| {
                let offset = offsets[i];
                let prev = if i == 0 { before } else { Some(offsets[i - 1]) };
                let next = offsets.get(i + 1).copied().or(after);
                let end = starts.get(i + 1).copied().or(next_change);
                Period {
                    start: starts[i],
                    offset,
                    // A gap or fold at a change spans the local times between
                    // the change read with the old and with the new offset.
                    wall_from: prev
                        .map_or(i64::MIN, |prev| starts[i].saturating_add(prev.max(offset))),
                    wall_until: match (end, next) {
                        (Some(end), Some(next)) => end.saturating_add(next.min(offset)),
                        _ => i64::MAX,
                    },
                }
            })
            .collect::<Vec<Period>>();
        let buckets = (0..=(TABLE_UNTIL - TABLE_FROM) >> BUCKET_BITS)
            .map(|bucket| {
                let at = TABLE_FROM + (bucket << BUCKET_BITS);
                periods.partition_point(|p| p.start <= at) - 1
            })
            .collect();
        Self {
            tz,
            periods,
            buckets,
            next_change,
        }
    }

    /// Whether the table holds `at`.
    fn covers(&self, at: i64) -> bool {
        self.periods[0].start <= at && self.next_change.is_none_or(|end| at < end)
    }

    /// The index of the period that holds `at`; the table must cover it.
    fn period_at(&self, at: i64) -> usize {
        let bucket = at.saturating_sub(TABLE_FROM) >> BUCKET_BITS;
        let mut period = match usize::try_from(bucket)
            .ok()
            .and_then(|b| self.buckets.get(b))
        {
            Some(&first) => first,
            None => self.periods.partition_point(|p| p.start <= at) - 1,
        };
        while self.periods.get(period + 1).is_some_and(|p| p.start <= at) {
            period += 1;
        }
        period
    }

    fn offset_ms(&self, at: i64) -> i64 {
        self.locate(at).0
    }

    /// The offset at `at`, and a period at or before the one that holds the
    /// local day before `at`'s, to scan forward from.
    fn locate(&self, at: i64) -> (i64, usize) {
        if self.covers(at) {
            let period = self.period_at(at);
            (self.periods[period].offset, period.saturating_sub(1))
        } else {
            let offset = offset_ms(self.tz.to_offset(to_jiff(at)));
            let period = if at < self.periods[0].start {
                0
            } else {
                self.periods.len() - 1
            };
            (offset, period)
        }
    }

    /// The first offset change after `at`.
    fn following(&self, at: i64) -> Option<i64> {
        if self.covers(at) {
            return self
                .periods
                .get(self.period_at(at) + 1)
                .map(|p| p.start)
                .or(self.next_change);
        }
        self.tz
            .following(to_jiff(at))
            .next()
            .map(|t| t.timestamp().as_millisecond())
    }

    /// The last offset change before `at`, of those `following` reports.
    /// (jiff's own `preceding` can pass over one that keeps the offset where
    /// a zone's TZif data ends and its POSIX rule takes over.)
    fn preceding(&self, at: i64) -> Option<i64> {
        // The change that starts the period holding the instant just before.
        let before = at.saturating_sub(1);
        if self.covers(before) {
            let start = self.periods[self.period_at(before)].start;
            return (start != i64::MIN).then_some(start);
        }
        self.tz
            .preceding(to_jiff(at))
            .next()
            .map(|t| t.timestamp().as_millisecond())
    }

    /// The last period whose plain local times start by local time `wall`:
    /// the one that holds `wall`, if any does.
    fn period_of_wall(&self, wall: i64) -> usize {
        self.periods
            .partition_point(|p| p.wall_from <= wall)
            .saturating_sub(1)
    }

    /// `period`, or a later one if local time `wall` lies beyond it.
    fn advance(&self, mut period: usize, wall: i64) -> usize {
        while period + 1 < self.periods.len() && self.periods[period].wall_until <= wall {
            period += 1;
        }
        period
    }

    /// The stretch from local time `open` to `close` when both lie in the
    /// plain local times of `period`: no gap, fold or table end in between.
    fn plain_stretch(&self, period: usize, open: i64, close: i64) -> Option<(i64, i64)> {
        let p = &self.periods[period];
        (p.wall_from <= open && close < p.wall_until).then(|| (open - p.offset, close - p.offset))
    }

    /// The first instant whose local time is `wall` (ms of local time since
    /// 1970-01-01T00:00) or later: in a gap, the instant the gap ends; in a
    /// fold, the first occurrence.
    fn at_or_after(&self, wall: i64) -> i64 {
        let period = self.period_of_wall(wall);
        if let Some((at, _)) = self.plain_stretch(period, wall, wall) {
            return at;
        }
        let local = Offset::UTC.to_datetime(to_jiff(wall));
        match self.tz.to_ambiguous_timestamp(local).offset() {
            AmbiguousOffset::Unambiguous { offset } => wall - offset_ms(offset),
            AmbiguousOffset::Fold { before, .. } => wall - offset_ms(before),
            AmbiguousOffset::Gap { after, .. } => {
                // `wall` read with the later offset lies just before the gap.
                let probe = wall - offset_ms(after);
                self.following(probe).unwrap_or(probe)
            }
        }
    }
}

fn week_of(hours: &[BusinessHours]) -> Result<[Vec<(u16, u16)>; 7], CalendarError> {
    let mut week: [Vec<(u16, u16)>; 7] = Default::default();
    for h in hours {
        if h.start_minute > h.end_minute || h.end_minute > DAY_MINUTES {
            return Err(CalendarError::InvalidHours {
                weekday: h.weekday,
                start_minute: h.start_minute,
                end_minute: h.end_minute,
            });
        }
        if h.start_minute < h.end_minute {
            week[weekday_slot(h.weekday)].push((h.start_minute, h.end_minute));
        }
    }
    for day in &mut week {
        day.sort_unstable();
        let mut merged: Vec<(u16, u16)> = Vec::with_capacity(day.len());
        for &(start, end) in day.iter() {
            match merged.last_mut() {
                Some(last) if start <= last.1 => last.1 = last.1.max(end),
                _ => merged.push((start, end)),
            }
        }
        *day = merged;
    }
    Ok(week)
}

fn weekday_slot(day: jiff::civil::Weekday) -> usize {
    usize::from(day.to_monday_zero_offset().unsigned_abs())
}

/// Monday = 0 for a day number; 1970-01-01 was a Thursday.
fn weekday_index(day: i64) -> usize {
    // rem_euclid(7) is within 0..7.
    (day + 3).rem_euclid(7) as usize
}

/// Days from 1970-01-01 to a civil date (proleptic Gregorian).
fn day_number(date: jiff::civil::Date) -> i64 {
    let (month, day) = (i64::from(date.month()), i64::from(date.day()));
    let year = i64::from(date.year()) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

fn offset_ms(offset: Offset) -> i64 {
    i64::from(offset.seconds()) * 1000
}

/// A jiff instant, clamped to the range jiff supports.
fn to_jiff(ms: i64) -> jiff::Timestamp {
    let ms = ms.clamp(
        jiff::Timestamp::MIN.as_millisecond(),
        jiff::Timestamp::MAX.as_millisecond(),
    );
    // Within the clamped range this always succeeds.
    jiff::Timestamp::from_millisecond(ms).unwrap_or(jiff::Timestamp::MAX)
}

#[cfg(test)]
mod tests;
