//! The channels behind the desk: gateways that bring customers' Telegram
//! messages, mails and calls in through intake, and take agents' replies
//! out, keeping each reply's delivery state.

pub mod delivery;
pub mod email;
pub mod phone;
pub mod telegram;

use std::time::Duration;

/// How long a gateway waits before talking to its peer again after
/// `failures` failures in a row: half a second, doubling, at most a minute.
fn reconnect_wait(failures: u32) -> Duration {
    Duration::from_millis(500u64 << failures.min(7)).min(Duration::from_secs(60))
}
