//! Instants as milliseconds since the Unix epoch (UTC). Callers pass time in;
//! nothing in this crate reads a clock.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// An instant, in milliseconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Timestamp(#[ts(type = "number")] pub i64);

impl Timestamp {
    pub const fn millis(self) -> i64 {
        self.0
    }

    /// This instant moved by a number of minutes (negative moves back).
    pub const fn plus_minutes(self, minutes: i64) -> Self {
        Self(self.0 + minutes * 60_000)
    }
}
