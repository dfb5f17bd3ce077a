//! How much virtual time one slice of work simulates. The worker measures how long each slice took
//! in real time and hands that here; the next slice is sized so that it takes about
//! [`SLICE_BUDGET_MS`]. The wall clock only sizes slices: what is simulated depends on virtual time
//! alone, so a run sliced differently gives the same bytes.

use crate::duration::{Millis, SECOND};

/// How long one slice should take, in real milliseconds: short enough that a request to the worker
/// (Pause, Stop) waits at most about this long, long enough that the worker spends its time
/// simulating rather than reporting.
pub const SLICE_BUDGET_MS: f64 = 50.0;
/// How much virtual time the first slice of a seek simulates. Seeks shorter than this (stepping
/// through a lab, a link a minute in) finish in one go.
pub const FIRST_SLICE_MS: Millis = 60 * SECOND;
/// The bounds of a slice, in virtual time.
pub const MIN_SLICE: Millis = 100;
pub const MAX_SLICE: Millis = 3600 * SECOND;

/// The size of the next slice, adjusted after each slice by how long it took.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pace {
    slice: Millis,
}

impl Default for Pace {
    fn default() -> Pace {
        Pace { slice: FIRST_SLICE_MS }
    }
}

impl Pace {
    /// How much virtual time the next slice may simulate.
    pub fn slice(&self) -> Millis {
        self.slice
    }

    /// Records that a slice of `simulated` virtual milliseconds took `took_ms` real ones. A slice
    /// cut short (the goal was nearer than a slice) says little about the pace when it was quick.
    pub fn record(&mut self, simulated: Millis, took_ms: f64) {
        if simulated < self.slice && took_ms < SLICE_BUDGET_MS {
            return;
        }
        let factor = (SLICE_BUDGET_MS / took_ms.max(1.0)).clamp(0.5, 2.0);
        self.slice = ((self.slice as f64 * factor) as Millis).clamp(MIN_SLICE, MAX_SLICE);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slow_slices_shrink_and_quick_ones_grow_within_bounds() {
        let mut pace = Pace::default();
        pace.record(pace.slice(), 200.0);
        assert_eq!(pace.slice(), FIRST_SLICE_MS / 2);
        for _ in 0..40 {
            pace.record(pace.slice(), 10_000.0);
        }
        assert_eq!(pace.slice(), MIN_SLICE);
        for _ in 0..40 {
            pace.record(pace.slice(), 1.0);
        }
        assert_eq!(pace.slice(), MAX_SLICE);
        // A short, quick remainder does not make the next slice bigger.
        let before = pace.slice();
        pace.record(5, 1.0);
        assert_eq!(pace.slice(), before);
    }
}
