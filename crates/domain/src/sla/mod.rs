//! SLA policy data (targets are synced data, never constants in code) and
//! the math that reads it: working time of a calendar ([`calendar`]) and the
//! state of a ticket's metrics at an instant ([`clock`]).

mod alert;
mod calendar;
mod clock;

pub use alert::{AlertLevel, SlaAlert};
pub use calendar::{CalendarError, CompiledCalendar};
pub use clock::{
    evaluate, CompiledPolicy, MetricReport, SlaEvent, SlaEventKind, SlaFacts, SlaReport, SlaState,
};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Plan, Priority};

code_enum! {
    /// What an SLA measures.
    pub enum SlaMetric {
        /// From the customer's first message to the first public reply or call.
        FirstResponse => "first_response",
        /// From a customer message after an agent reply to the next response.
        NextResponse => "next_response",
        /// From opening (or reopening) to solved.
        Resolution => "resolution",
    }
}

/// Targets in minutes of calendar time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlaTargets {
    pub first_response_min: u32,
    pub next_response_min: u32,
    pub resolution_min: u32,
}

impl SlaTargets {
    pub const fn minutes(&self, metric: SlaMetric) -> u32 {
        match metric {
            SlaMetric::FirstResponse => self.first_response_min,
            SlaMetric::NextResponse => self.next_response_min,
            SlaMetric::Resolution => self.resolution_min,
        }
    }
}

/// When a running metric turns from `ok` to `warning`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum WarningThreshold {
    /// Less than this share of the target is left (percent, 1..=99).
    ShareLeft { percent: u8 },
    /// Fewer than this many calendar minutes are left.
    MinutesLeft { minutes: u32 },
}

/// Opening hours on one weekday, in minutes after local midnight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BusinessHours {
    #[ts(
        type = "\"monday\" | \"tuesday\" | \"wednesday\" | \"thursday\" | \"friday\" | \"saturday\" | \"sunday\""
    )]
    #[serde(with = "weekday_name")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "monday"))]
    pub weekday: jiff::civil::Weekday,
    pub start_minute: u16,
    pub end_minute: u16,
}

/// The time that counts towards SLA targets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum SlaCalendar {
    /// Round the clock, every day (the default).
    AlwaysOn,
    /// Only these hours count, in `time_zone`, and never on `holidays`.
    BusinessHours {
        /// An IANA zone name, e.g. "Europe/Moscow".
        time_zone: String,
        hours: Vec<BusinessHours>,
        #[ts(type = "string[]")]
        #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>, example = json!(["2026-01-01"])))]
        holidays: Vec<jiff::civil::Date>,
    },
}

/// The SLA that applies to tickets of one plan and priority.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlaPolicy {
    #[ts(type = "number")]
    pub id: i64,
    pub plan: Plan,
    pub priority: Priority,
    pub targets: SlaTargets,
    pub warning: WarningThreshold,
    pub calendar: SlaCalendar,
}

impl SlaPolicy {
    /// The policy among `policies` for a plan and priority, if any.
    pub fn find(policies: &[SlaPolicy], plan: Plan, priority: Priority) -> Option<&SlaPolicy> {
        policies
            .iter()
            .find(|p| p.plan == plan && p.priority == priority)
    }
}

mod weekday_name {
    use jiff::civil::Weekday;
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    const NAMES: [(Weekday, &str); 7] = [
        (Weekday::Monday, "monday"),
        (Weekday::Tuesday, "tuesday"),
        (Weekday::Wednesday, "wednesday"),
        (Weekday::Thursday, "thursday"),
        (Weekday::Friday, "friday"),
        (Weekday::Saturday, "saturday"),
        (Weekday::Sunday, "sunday"),
    ];

    pub fn serialize<S: Serializer>(day: &Weekday, s: S) -> Result<S::Ok, S::Error> {
        let name = NAMES
            .iter()
            .find(|(d, _)| d == day)
            .map_or("monday", |(_, n)| n);
        s.serialize_str(name)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Weekday, D::Error> {
        let text = String::deserialize(d)?;
        NAMES
            .iter()
            .find(|(_, n)| *n == text)
            .map(|(day, _)| *day)
            .ok_or_else(|| D::Error::custom(format!("unknown weekday {text:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn business_calendar_round_trips_through_json() {
        let calendar = SlaCalendar::BusinessHours {
            time_zone: "Europe/Moscow".into(),
            hours: vec![BusinessHours {
                weekday: jiff::civil::Weekday::Friday,
                start_minute: 9 * 60,
                end_minute: 18 * 60,
            }],
            holidays: vec![jiff::civil::date(2026, 1, 1)],
        };
        let json = serde_json::to_string(&calendar).unwrap();
        assert!(json.contains("\"friday\""), "{json}");
        assert!(json.contains("\"2026-01-01\""), "{json}");
        assert_eq!(
            serde_json::from_str::<SlaCalendar>(&json).unwrap(),
            calendar
        );
        assert!(serde_json::from_str::<SlaCalendar>(&json.replace("friday", "fryday")).is_err());
    }
}
