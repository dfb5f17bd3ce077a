//! What a shell process has spent of the playground's budgets (`crate::budget`): the instructions
//! run in the current virtual second, whether it was ever throttled for running out of them, and
//! whether it held more memory than the budget allows and was killed for it.

use crate::budget::{SHELL_MEMORY_BYTES, SHELL_STEPS_PER_SECOND};
use crate::duration::{Millis, SECOND};

/// A process's budget accounting; cloned into the process a command substitution or a redirected
/// function runs in, and merged back, so their work counts against the same second.
#[derive(Clone, Debug, Default)]
pub(super) struct Meter {
    /// The virtual second being charged (the clock divided by a second).
    second: Millis,
    /// Instructions run in that second.
    steps: u32,
    /// The process ran out of its instructions for a second at least once.
    pub throttled: bool,
    /// The process would have held more than [`SHELL_MEMORY_BYTES`] and was killed.
    pub oom: bool,
}

impl Meter {
    /// Charges one instruction run at `clock`. When the second's instructions are spent, returns
    /// the start of the next second, where the process resumes, as a CPU-limited container that
    /// used its CFS quota waits for the next period.
    pub(super) fn charge(&mut self, clock: Millis) -> Option<Millis> {
        let second = clock / SECOND;
        if second != self.second {
            self.second = second;
            self.steps = 0;
        }
        if self.steps >= SHELL_STEPS_PER_SECOND {
            self.throttled = true;
            return Some((second + 1) * SECOND);
        }
        self.steps += 1;
        None
    }

    /// Takes over what a sub-process spent.
    pub(super) fn merge(&mut self, sub: &Meter) {
        if sub.second > self.second || (sub.second == self.second && sub.steps > self.steps) {
            self.second = sub.second;
            self.steps = sub.steps;
        }
        self.throttled |= sub.throttled;
    }
}

/// Whether holding `bytes` more would take a process over its memory budget.
pub(super) fn over_memory(bytes: usize) -> bool {
    bytes > SHELL_MEMORY_BYTES
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holds_the_budget_then_the_process_waits_for_the_next() {
        let mut m = Meter::default();
        for _ in 0..SHELL_STEPS_PER_SECOND {
            assert_eq!(m.charge(1_500), None);
        }
        assert!(!m.throttled);
        assert_eq!(m.charge(1_999), Some(2_000));
        assert!(m.throttled);
        assert_eq!(m.charge(2_000), None, "a new second brings a new budget");
    }
}
