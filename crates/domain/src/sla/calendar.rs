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
    tz: TimeZone,
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
                    tz,
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
        let midnight =
            self.at_or_after(((from + self.offset_ms(from)).div_euclid(DAY_MS) + 1) * DAY_MS);
        // After a fold, local times keep repeating for a while.
        let settled = self
            .tz
            .preceding(to_jiff(midnight))
            .next()
            .is_none_or(|t| t.timestamp().as_millisecond() <= midnight - DAY_MS);
        if !settled {
            return (midnight, 0);
        }
        let by_zone = self
            .tz
            .following(to_jiff(midnight))
            .next()
            .map_or(i64::MAX, |t| {
                (t.timestamp().as_millisecond() - midnight) / WEEK_MS
            });
        let first_day = (midnight + self.offset_ms(midnight)).div_euclid(DAY_MS);
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
        if self.week.iter().all(Vec::is_empty) {
            return;
        }
        let last_day = to_jiff(i64::MAX).as_millisecond().div_euclid(DAY_MS);
        let mut day = (from + self.offset_ms(from)).div_euclid(DAY_MS) - 1;
        while day <= last_day {
            if self.holidays.binary_search(&day).is_err() {
                for &(open, close) in &self.week[weekday_index(day)] {
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

    /// `[start, end)` without the second occurrence of local times a fold
    /// repeats inside it (they already counted once).
    fn split_fold(&self, start: i64, end: i64) -> [(i64, i64); 2] {
        let (before, after) = (self.offset_ms(start), self.offset_ms(end));
        if start >= end || before <= after {
            return [(start, end), (end, end)];
        }
        let fold_at = self
            .tz
            .following(to_jiff(start))
            .next()
            .map_or(end, |t| t.timestamp().as_millisecond())
            .min(end);
        let resume = (fold_at + (before - after)).min(end);
        [(start, fold_at), (resume, end)]
    }

    fn offset_ms(&self, at: i64) -> i64 {
        offset_ms(self.tz.to_offset(to_jiff(at)))
    }

    /// The first instant whose local time is `wall` (ms of local time since
    /// 1970-01-01T00:00) or later: in a gap, the instant the gap ends; in a
    /// fold, the first occurrence.
    fn at_or_after(&self, wall: i64) -> i64 {
        let local = Offset::UTC.to_datetime(to_jiff(wall));
        match self.tz.to_ambiguous_timestamp(local).offset() {
            AmbiguousOffset::Unambiguous { offset } => wall - offset_ms(offset),
            AmbiguousOffset::Fold { before, .. } => wall - offset_ms(before),
            AmbiguousOffset::Gap { after, .. } => {
                // `wall` read with the later offset lies just before the gap.
                let probe = wall - offset_ms(after);
                self.tz
                    .following(to_jiff(probe))
                    .next()
                    .map_or(probe, |t| t.timestamp().as_millisecond())
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
