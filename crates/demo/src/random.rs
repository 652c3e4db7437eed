//! Seeded randomness: independent ChaCha8 streams per purpose, and the few
//! kinds of draw the generators make.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub(crate) type DemoRng = ChaCha8Rng;

/// What a stream is for. Each purpose gets its own ChaCha stream of the same
/// key, so a customer can be regenerated alone, without replaying the run.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Purpose {
    Customer = 1,
    Threads = 2,
    FollowUp = 3,
}

/// The stream of `purpose` number `index` under `seed`.
pub(crate) fn stream(seed: u64, purpose: Purpose, index: u64) -> DemoRng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(((purpose as u64) << 48) | index);
    rng
}

/// One item of a non-empty table, uniformly.
pub(crate) fn pick<'a, T>(rng: &mut DemoRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// A copy of one item of a non-empty table, uniformly.
pub(crate) fn pick_copied<T: Copy>(rng: &mut DemoRng, items: &[T]) -> T {
    *pick(rng, items)
}

/// One value of a non-empty table of `(value, weight)`, by weight.
pub(crate) fn weighted<T: Copy>(rng: &mut DemoRng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut ticket = rng.random_range(0..total);
    for &(value, weight) in items {
        if ticket < weight {
            return value;
        }
        ticket -= weight;
    }
    items[items.len() - 1].0
}

/// True with probability `p`.
pub(crate) fn chance(rng: &mut DemoRng, p: f64) -> bool {
    rng.random::<f64>() < p
}

/// An exponentially distributed duration with the given mean, in ms.
pub(crate) fn exp_ms(rng: &mut DemoRng, mean_ms: f64) -> i64 {
    let u: f64 = rng.random();
    (-(1.0 - u).ln() * mean_ms) as i64
}

/// `n` lowercase hex digits, as cloud resource ids use them.
pub(crate) fn hex_id(rng: &mut DemoRng, n: usize) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    (0..n)
        .map(|_| char::from(DIGITS[rng.random_range(0..16)]))
        .collect()
}
