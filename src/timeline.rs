//! Rewind and replay. The playground keeps the scenario as it was loaded, every user input with the
//! virtual instant it happened at, and checkpoints (clones of the [`Simulation`]) every few virtual
//! seconds. Seeking restores the nearest earlier checkpoint and re-simulates from there, replaying
//! the recorded inputs; acting while rewound discards the recorded future, as a new branch of time.
//!
//! Because the simulation is deterministic, the state reached by seeking is exactly the state the
//! playground showed when it first passed that instant, wherever the checkpoints happen to lie.
//!
//! Copying and freeing whole simulations is the costliest thing the playground does while playing,
//! so it stays off the path of a frame: a short advance (one play tick) never takes a checkpoint;
//! [`Timeline::idle_work`] takes it once the page is idle, and frees the checkpoints that thinning
//! let go, one at a time. Long advances (seeking far ahead) still take checkpoints on the way, so
//! that seeking back into them stays cheap.

use crate::duration::Millis;
use crate::manifest::Diagnostic;
use crate::sim::{CommandOutput, Simulation};

mod replay;

pub use replay::Replayed;

/// Initial distance between checkpoints in virtual time.
const CHECKPOINT_EVERY: Millis = 10_000;
/// When more checkpoints than this accumulate, every other one is let go and the spacing doubles.
/// A checkpoint copies the whole simulation, logs included, so memory grows with the number of
/// checkpoints times the length of the run; a small bound keeps long runs with many pods affordable,
/// at the price of re-simulating at most 1/12 of the run when seeking.
const MAX_CHECKPOINTS: usize = 24;

/// What a user did at a virtual instant. It crosses to the page and back (`crate::session`), so that
/// a simulation that stopped can be run again from the inputs the page last heard of.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Input {
    /// `kubectl apply -f -` of the editor's text.
    Apply(String),
    /// One command line of the command language.
    Command(String),
}

/// The recorded past (and, after a rewind, future) of one scenario run.
#[derive(Clone)]
pub struct Timeline {
    sim: Simulation,
    checkpoints: Vec<Checkpoint>,
    inputs: Vec<Recorded>,
    /// How many of `inputs` the current `sim` reflects.
    applied: usize,
    /// The furthest instant simulated on the current branch of time.
    horizon: Millis,
    spacing: Millis,
    /// Checkpoints let go by thinning, freed later by [`Timeline::idle_work`].
    retired: Vec<Simulation>,
}

#[derive(Clone)]
struct Checkpoint {
    at: Millis,
    /// Inputs already applied when the checkpoint was taken; later ones are replayed from it.
    inputs_applied: usize,
    sim: Simulation,
}

#[derive(Clone, Debug)]
struct Recorded {
    at: Millis,
    input: Input,
}

impl Timeline {
    /// Starts a timeline from a freshly loaded simulation at time 0.
    pub fn new(sim: Simulation) -> Timeline {
        let start = Checkpoint { at: sim.now(), inputs_applied: 0, sim: sim.clone() };
        Timeline {
            horizon: sim.now(),
            sim,
            checkpoints: vec![start],
            inputs: Vec::new(),
            applied: 0,
            spacing: CHECKPOINT_EVERY,
            retired: Vec::new(),
        }
    }

    /// A timeline whose recorded inputs are `inputs` (instants in order), none applied yet: seeking
    /// forward replays them where they happened. This is how a run is rebuilt from what a page knew
    /// of it, after the simulation that ran it stopped.
    pub fn replaying(sim: Simulation, inputs: Vec<(Millis, Input)>) -> Timeline {
        let mut timeline = Timeline::new(sim);
        let start = timeline.sim.now();
        timeline.inputs =
            inputs.into_iter().map(|(at, input)| Recorded { at: at.max(start), input }).collect();
        timeline.inputs.sort_by_key(|r| r.at);
        timeline
    }

    /// Every recorded input with its instant, in order, on the current branch of time.
    pub fn recorded(&self) -> Vec<(Millis, Input)> {
        self.inputs.iter().map(|r| (r.at, r.input.clone())).collect()
    }

    /// The simulation at the current instant.
    pub fn sim(&self) -> &Simulation {
        &self.sim
    }

    /// The current virtual instant.
    pub fn now(&self) -> Millis {
        self.sim.now()
    }

    /// The furthest instant reached on this branch of time (the end of the scrubber).
    pub fn horizon(&self) -> Millis {
        self.horizon.max(self.sim.now())
    }

    /// The instants of recorded user inputs, for marks on the scrubber and the timeline.
    pub fn input_times(&self) -> Vec<(Millis, String)> {
        self.inputs.iter().map(|r| (r.at, replay::label(&r.input))).collect()
    }

    /// The next instant after now, at most `limit`, at which an event is recorded or a visible
    /// state changes (`Simulation::next_visible_change`), or a recorded input of the future is
    /// replayed, whichever comes first: what "Next event" steps to.
    pub fn next_visible_change(&self, limit: Millis) -> Option<Millis> {
        let input = self.inputs.get(self.applied).map(|r| r.at).filter(|at| *at > self.now() && *at <= limit);
        let limit = input.unwrap_or(limit);
        self.sim.next_visible_change(limit).into_iter().chain(input).min()
    }

    /// The next instant after now, at most `limit`, at which a probe runs: what "Next probe" steps
    /// to. Recorded inputs do not change when probes run.
    pub fn next_probe_time(&self, limit: Millis) -> Option<Millis> {
        self.sim.next_probe_time(limit)
    }

    /// Moves forward to `target`, replaying any recorded inputs on the way.
    pub fn advance_to(&mut self, target: Millis) {
        loop {
            let pending = self.inputs.get(self.applied).map(|r| r.at).filter(|at| *at <= target);
            self.run_to(pending.unwrap_or(target));
            if pending.is_none() {
                break;
            }
            let input = self.inputs[self.applied].input.clone();
            self.applied += 1;
            Self::perform(&mut self.sim, &input);
        }
        self.horizon = self.horizon.max(self.sim.now());
    }

    /// Shows the state at `target`, earlier or later than now.
    pub fn seek(&mut self, target: Millis) {
        self.rewind_for(target);
        self.advance_to(target);
    }

    /// Prepares a seek to `target` that the caller completes in slices with
    /// [`Timeline::advance_to`]: an earlier instant restores the nearest checkpoint before it, so
    /// that only the way forward from there remains to be simulated. A later one changes nothing.
    pub fn rewind_for(&mut self, target: Millis) {
        if target < self.sim.now() {
            let index = self.checkpoints.iter().rposition(|c| c.at <= target).unwrap_or(0);
            let checkpoint = &self.checkpoints[index];
            self.sim = checkpoint.sim.clone();
            self.applied = checkpoint.inputs_applied;
        }
    }

    /// Does one piece of deferred housekeeping, if any is left: takes the checkpoint that is due
    /// at the current instant, or frees one retired checkpoint. Returns whether more remains, so
    /// that the caller can come back at the next idle moment.
    pub fn idle_work(&mut self) -> bool {
        if self.checkpoint_due() {
            self.checkpoint();
        } else {
            // Dropped outside the borrow of the list, one per call: each is a whole simulation.
            drop(self.retired.pop());
        }
        self.checkpoint_due() || !self.retired.is_empty()
    }

    /// Whether recorded inputs lie ahead of now (so acting now would discard them).
    pub fn has_future(&self) -> bool {
        self.applied < self.inputs.len() || self.horizon > self.sim.now()
    }

    /// Performs a user input now. If the playground was rewound, the recorded future is discarded
    /// first: acting starts a new branch of time.
    pub fn act(&mut self, input: Input) -> Result<CommandOutput, Vec<Diagnostic>> {
        if let Input::Apply(text) = &input {
            // Invalid files change nothing, so they are neither applied nor recorded.
            crate::manifest::parse(text)?;
        }
        let now = self.sim.now();
        self.inputs.truncate(self.applied);
        let applied = self.applied;
        self.checkpoints.retain(|c| c.at < now || (c.at == now && c.inputs_applied <= applied));
        self.horizon = now;
        self.inputs.push(Recorded { at: now, input: input.clone() });
        self.applied += 1;
        Ok(Self::perform(&mut self.sim, &input))
    }

    fn perform(sim: &mut Simulation, input: &Input) -> CommandOutput {
        match input {
            Input::Apply(text) => match sim.apply_file(text) {
                Ok(lines) => {
                    let mut text = lines.join("\n");
                    if !text.is_empty() {
                        text.push('\n');
                    }
                    CommandOutput { text, ok: true }
                }
                Err(diagnostics) => {
                    let text = diagnostics.iter().map(|d| format!("error: {d}\n")).collect();
                    CommandOutput { text, ok: false }
                }
            },
            Input::Command(line) => sim.execute(line),
        }
    }

    /// Runs the simulation to `stop`. On a long run, checkpoints are taken on the way wherever a
    /// whole spacing has passed since the last one, except within the final spacing before `stop`:
    /// that one is left to [`Timeline::idle_work`].
    fn run_to(&mut self, stop: Millis) {
        loop {
            let next = (self.last_checkpoint() + self.spacing).max(self.sim.now());
            if next.saturating_add(self.spacing) > stop {
                break;
            }
            self.sim.run_until(next);
            self.checkpoint();
        }
        self.sim.run_until(stop);
    }

    fn last_checkpoint(&self) -> Millis {
        self.checkpoints.last().map_or(0, |c| c.at)
    }

    /// Whether a whole spacing has passed since the last checkpoint of this branch of time.
    fn checkpoint_due(&self) -> bool {
        self.sim.now() >= self.last_checkpoint() + self.spacing
    }

    /// Records the current instant as a checkpoint.
    fn checkpoint(&mut self) {
        let at = self.sim.now();
        self.checkpoints.push(Checkpoint { at, inputs_applied: self.applied, sim: self.sim.clone() });
        self.thin();
    }

    fn thin(&mut self) {
        if self.checkpoints.len() <= MAX_CHECKPOINTS {
            return;
        }
        self.spacing *= 2;
        // The first checkpoint (time 0) always stays, then every other one; as they were about one
        // spacing apart, the ones left are about the new spacing apart.
        let mut kept = Vec::with_capacity(self.checkpoints.len() / 2 + 1);
        for (index, checkpoint) in self.checkpoints.drain(..).enumerate() {
            if index % 2 == 0 {
                kept.push(checkpoint);
            } else {
                self.retired.push(checkpoint.sim);
            }
        }
        self.checkpoints = kept;
    }
}

#[cfg(test)]
mod tests;
