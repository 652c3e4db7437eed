//! Backoff for failed sign-ins, per account and per client address: a few
//! failures are free, then each one locks the key for twice as long as the
//! last, up to a ceiling. Time comes in as an argument; the state is in
//! memory, so a restart forgives (an attacker gains a handful of guesses).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

/// What is being guessed at.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ThrottleKey {
    /// A login, lower-cased.
    Account(String),
    Address(IpAddr),
}

/// How a kind of key backs off.
#[derive(Debug, Clone, Copy)]
struct Backoff {
    free_failures: u32,
    first_lock_ms: i64,
    max_lock_ms: i64,
}

impl Backoff {
    /// An account takes five wrong passwords before it locks: enough for a
    /// person with caps lock on, too few for a guesser.
    const ACCOUNT: Backoff = Backoff {
        free_failures: 5,
        first_lock_ms: 30_000,
        max_lock_ms: 15 * 60_000,
    };
    /// An office behind one address gets more room than one account.
    const ADDRESS: Backoff = Backoff {
        free_failures: 20,
        first_lock_ms: 30_000,
        max_lock_ms: 15 * 60_000,
    };

    fn of(key: &ThrottleKey) -> Backoff {
        match key {
            ThrottleKey::Account(_) => Backoff::ACCOUNT,
            ThrottleKey::Address(_) => Backoff::ADDRESS,
        }
    }

    /// How long the `failures`-th failure locks the key.
    fn lock_ms(self, failures: u32) -> i64 {
        let over = failures.saturating_sub(self.free_failures);
        if over == 0 {
            return 0;
        }
        let doublings = (over - 1).min(20);
        (self.first_lock_ms << doublings).min(self.max_lock_ms)
    }
}

/// Failures older than this are forgotten.
const FORGET_AFTER_MS: i64 = 60 * 60_000;
/// The most keys remembered; beyond it the oldest quiet ones are dropped
/// first, so a flood of addresses cannot grow memory without end.
const MAX_KEYS: usize = 50_000;

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last_at: i64,
    locked_until: i64,
}

/// The shared record of failed sign-ins.
#[derive(Debug, Clone, Default)]
pub struct SignInThrottle {
    keys: Arc<Mutex<HashMap<ThrottleKey, Failures>>>,
}

impl SignInThrottle {
    /// The seconds to wait if any of `keys` is locked at `now_ms`.
    pub fn retry_after(&self, keys: &[ThrottleKey], now_ms: i64) -> Option<u64> {
        let map = self
            .keys
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        keys.iter()
            .filter_map(|key| map.get(key))
            .map(|f| f.locked_until - now_ms)
            .filter(|&ms| ms > 0)
            .max()
            .map(|ms| u64::try_from((ms + 999) / 1000).unwrap_or(1))
    }

    /// Counts a failure against each of `keys`.
    pub fn failed(&self, keys: &[ThrottleKey], now_ms: i64) {
        let mut map = self
            .keys
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if map.len() >= MAX_KEYS {
            map.retain(|_, f| now_ms - f.last_at < FORGET_AFTER_MS && f.locked_until > now_ms);
        }
        for key in keys {
            if map.len() >= MAX_KEYS && !map.contains_key(key) {
                continue;
            }
            let entry = map.entry(key.clone()).or_insert(Failures {
                count: 0,
                last_at: now_ms,
                locked_until: 0,
            });
            if now_ms - entry.last_at >= FORGET_AFTER_MS {
                entry.count = 0;
            }
            entry.count += 1;
            entry.last_at = now_ms;
            entry.locked_until = now_ms + Backoff::of(key).lock_ms(entry.count);
        }
    }

    /// Forgets the failures of `key` after a sign-in that worked.
    pub fn succeeded(&self, key: &ThrottleKey) {
        self.keys
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account() -> ThrottleKey {
        ThrottleKey::Account("anna@desk.example".into())
    }

    #[test]
    fn five_failures_are_free_then_the_lock_doubles_to_a_ceiling() {
        let throttle = SignInThrottle::default();
        let key = [account()];
        let mut now = 1_000_000;
        for _ in 0..5 {
            assert_eq!(throttle.retry_after(&key, now), None);
            throttle.failed(&key, now);
        }
        assert_eq!(throttle.retry_after(&key, now), None);
        let mut locks = Vec::new();
        for _ in 0..8 {
            throttle.failed(&key, now);
            let wait = throttle.retry_after(&key, now).unwrap();
            locks.push(wait);
            now += i64::try_from(wait).unwrap() * 1000;
            assert_eq!(
                throttle.retry_after(&key, now),
                None,
                "free again after the wait"
            );
        }
        assert_eq!(locks, [30, 60, 120, 240, 480, 900, 900, 900]);
    }

    #[test]
    fn success_forgives_the_account_and_an_hour_forgets() {
        let throttle = SignInThrottle::default();
        let key = [account()];
        for _ in 0..6 {
            throttle.failed(&key, 0);
        }
        assert_eq!(throttle.retry_after(&key, 0), Some(30));
        throttle.succeeded(&key[0]);
        assert_eq!(throttle.retry_after(&key, 0), None);

        for _ in 0..5 {
            throttle.failed(&key, 0);
        }
        throttle.failed(&key, FORGET_AFTER_MS);
        assert_eq!(
            throttle.retry_after(&key, FORGET_AFTER_MS),
            None,
            "counted afresh"
        );
    }

    #[test]
    fn an_address_locks_after_twenty_failures_across_accounts() {
        let throttle = SignInThrottle::default();
        let address = ThrottleKey::Address("192.0.2.7".parse().unwrap());
        for i in 0..20 {
            let keys = [ThrottleKey::Account(format!("user{i}@x")), address.clone()];
            throttle.failed(&keys, 0);
        }
        let other = [ThrottleKey::Account("new@x".into()), address.clone()];
        assert_eq!(throttle.retry_after(&other, 0), None);
        throttle.failed(&other, 0);
        assert_eq!(throttle.retry_after(&other, 1), Some(30));
        assert_eq!(
            throttle.retry_after(&[ThrottleKey::Account("new@x".into())], 1),
            None,
            "the account itself failed once"
        );
    }

    #[test]
    fn a_flood_of_keys_stays_bounded() {
        let throttle = SignInThrottle::default();
        for i in 0..(MAX_KEYS as u32 + 1000) {
            throttle.failed(&[ThrottleKey::Account(format!("{i}"))], 0);
        }
        assert!(throttle.keys.lock().unwrap().len() <= MAX_KEYS);
    }
}
