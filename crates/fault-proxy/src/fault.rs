//! What the proxy does to the connections it accepts: the fault modes a test
//! switches between, the seeded draw behind `Random`, and the counters.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// What the proxy does to the connections it accepts from now on.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Fault {
    /// Forward both ways, untouched.
    #[default]
    None,
    /// Forward, holding each chunk back this long, in each direction. Acts on
    /// every forwarding connection while set, those already open included.
    Latency(Duration),
    /// Accept, then close cleanly before any answer: the client reads end of
    /// file. The upstream never hears of the connection.
    Close,
    /// Accept, then reset: the client's next read or write fails with
    /// `ConnectionReset`. The upstream never hears of the connection.
    Reset,
    /// Forward the request and the first `after_bytes` bytes of the answer,
    /// then reset the client's connection: an answer cut off part way.
    ResetMidResponse { after_bytes: usize },
    /// Accept, then never answer and never close: only the client's own
    /// timeout ends its wait. Held until `close_all` or the proxy stops.
    BlackHole,
    /// Per connection, one of the faults above at a rate, drawn from a seeded
    /// generator; the others pass through.
    Random(RandomFaults),
}

/// The settings of [`Fault::Random`]. Each new connection draws, in the
/// order they are accepted: with probability `fault_rate` it gets one of
/// latency, close, reset, or reset mid-response (and black hole, if
/// `black_hole`), all equally likely; otherwise it passes through. The
/// same seed and order of connections give the same faults.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RandomFaults {
    /// The share of connections given a fault: 0 none, 1 (or more) all.
    pub fault_rate: f64,
    pub seed: u64,
    /// The delay of a latency draw, for that connection's whole life.
    pub latency: Duration,
    /// How many answer bytes a reset-mid-response draw lets through.
    pub reset_after_bytes: usize,
    /// Whether black hole is among the draws. Off by default: it hangs any
    /// client that has no timeout.
    pub black_hole: bool,
}

impl RandomFaults {
    /// Faults at `fault_rate` from `seed`: 200 ms of latency, resets after
    /// 256 bytes (past a typical HTTP response head, into the body), no
    /// black hole.
    pub fn new(fault_rate: f64, seed: u64) -> Self {
        Self {
            fault_rate,
            seed,
            latency: Duration::from_millis(200),
            reset_after_bytes: 256,
            black_hole: false,
        }
    }

    fn draw(&self, rng: &mut ChaCha8Rng) -> Plan {
        // Written as `<` so that a NaN rate means no faults, not a panic.
        let hit = rng.random::<f64>() < self.fault_rate;
        if !hit {
            return Plan::Forward;
        }
        let kinds = if self.black_hole { 5 } else { 4 };
        match rng.random_range(0..kinds) {
            0 => Plan::Delayed(self.latency),
            1 => Plan::Close,
            2 => Plan::Reset,
            3 => Plan::ResetMidResponse(self.reset_after_bytes),
            _ => Plan::BlackHole,
        }
    }
}

/// How many connections the proxy accepted and what each got, counted when
/// the proxy accepts it, which can be just after the client's connect has
/// returned. A latency draw of `Random` counts under `latency`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub accepted: u64,
    /// Forwarded with no fault.
    pub passed: u64,
    pub latency: u64,
    pub closed: u64,
    pub reset: u64,
    pub reset_mid_response: u64,
    pub black_holed: u64,
}

impl Stats {
    /// Connections given a fault, of any kind.
    pub fn faults(&self) -> u64 {
        self.latency + self.closed + self.reset + self.reset_mid_response + self.black_holed
    }
}

/// What one connection gets, decided when it is accepted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Plan {
    /// Forward, with whatever latency the proxy is set to as it changes.
    Forward,
    /// Forward with a delay fixed for the connection's life.
    Delayed(Duration),
    Close,
    Reset,
    ResetMidResponse(usize),
    BlackHole,
}

/// The fault in force, the generator of `Random` and the counters, shared
/// by the handle, the accept loop and the forwarding connections. Behind a
/// lock rather than sent to the loop: `set` must hold for the very next
/// connection a test opens.
#[derive(Debug)]
pub(crate) struct SharedFaults(Mutex<Faults>);

#[derive(Debug)]
struct Faults {
    fault: Fault,
    rng: ChaCha8Rng,
    stats: Stats,
}

impl SharedFaults {
    pub(crate) fn new() -> Self {
        Self(Mutex::new(Faults {
            fault: Fault::None,
            rng: ChaCha8Rng::seed_from_u64(0),
            stats: Stats::default(),
        }))
    }

    // A panic while the lock is held cannot leave the fields inconsistent
    // (each is written whole), so a poisoned lock is still good to use.
    fn lock(&self) -> MutexGuard<'_, Faults> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Switches the fault; `Random` starts over from its seed.
    pub(crate) fn set(&self, fault: Fault) {
        let mut faults = self.lock();
        if let Fault::Random(random) = fault {
            faults.rng = ChaCha8Rng::seed_from_u64(random.seed);
        }
        faults.fault = fault;
    }

    pub(crate) fn stats(&self) -> Stats {
        self.lock().stats
    }

    /// The delay forwarding connections hold each chunk back by, now.
    pub(crate) fn latency(&self) -> Option<Duration> {
        match self.lock().fault {
            Fault::Latency(delay) => Some(delay),
            _ => None,
        }
    }

    /// Decides what a newly accepted connection gets, and counts it.
    pub(crate) fn admit(&self) -> Plan {
        let faults = &mut *self.lock();
        let plan = match faults.fault {
            Fault::None | Fault::Latency(_) => Plan::Forward,
            Fault::Close => Plan::Close,
            Fault::Reset => Plan::Reset,
            Fault::ResetMidResponse { after_bytes } => Plan::ResetMidResponse(after_bytes),
            Fault::BlackHole => Plan::BlackHole,
            Fault::Random(random) => random.draw(&mut faults.rng),
        };
        let stats = &mut faults.stats;
        stats.accepted += 1;
        let counter = match (plan, faults.fault) {
            (Plan::Forward, Fault::Latency(_)) | (Plan::Delayed(_), _) => &mut stats.latency,
            (Plan::Forward, _) => &mut stats.passed,
            (Plan::Close, _) => &mut stats.closed,
            (Plan::Reset, _) => &mut stats.reset,
            (Plan::ResetMidResponse(_), _) => &mut stats.reset_mid_response,
            (Plan::BlackHole, _) => &mut stats.black_holed,
        };
        *counter += 1;
        plan
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn admit_many(fault: Fault, connections: usize) -> (Vec<Plan>, Stats) {
        let faults = SharedFaults::new();
        faults.set(fault);
        let plans = (0..connections).map(|_| faults.admit()).collect();
        (plans, faults.stats())
    }

    #[test]
    fn random_never_black_holes_unless_asked() {
        let (_, stats) = admit_many(Fault::Random(RandomFaults::new(1.0, 1)), 1000);
        assert_eq!(stats.black_holed, 0);
        assert_eq!(stats.faults(), 1000);
        assert!(stats.latency > 0 && stats.closed > 0 && stats.reset > 0);
        assert!(stats.reset_mid_response > 0);

        let asked = RandomFaults {
            black_hole: true,
            ..RandomFaults::new(1.0, 1)
        };
        let (_, stats) = admit_many(Fault::Random(asked), 1000);
        assert!(stats.black_holed > 100, "{stats:?}");
    }

    #[test]
    fn random_rates_out_of_range_mean_none_or_all() {
        for (rate, faults) in [(0.0, 0), (-1.0, 0), (f64::NAN, 0), (1.0, 100), (2.0, 100)] {
            let (_, stats) = admit_many(Fault::Random(RandomFaults::new(rate, 3)), 100);
            assert_eq!(stats.faults(), faults, "rate {rate}");
            assert_eq!(stats.passed, 100 - faults, "rate {rate}");
        }
    }

    #[test]
    fn setting_random_again_replays_from_the_seed() {
        let faults = SharedFaults::new();
        let random = Fault::Random(RandomFaults::new(0.5, 9));
        faults.set(random);
        let first: Vec<Plan> = (0..50).map(|_| faults.admit()).collect();
        faults.set(random);
        let again: Vec<Plan> = (0..50).map(|_| faults.admit()).collect();
        assert_eq!(first, again);
    }

    #[test]
    fn set_latency_counts_connections_and_delays_live() {
        let faults = SharedFaults::new();
        assert_eq!(faults.latency(), None);
        faults.set(Fault::Latency(Duration::from_millis(5)));
        assert_eq!(faults.admit(), Plan::Forward);
        assert_eq!(faults.latency(), Some(Duration::from_millis(5)));
        assert_eq!(faults.stats().latency, 1);
        faults.set(Fault::None);
        assert_eq!(faults.latency(), None);
    }
}
