//! Opening a share link: a timeline rebuilt from a freshly loaded scenario and its author's input
//! log (`share::SharedLink`), standing at the moment the author was viewing.
//!
//! Because the simulation is deterministic, performing the same inputs at the same virtual instants
//! reproduces the author's cluster and their terminal's output byte for byte. Inputs after the
//! viewed moment (the link was made while rewound) stay recorded as the future, exactly as they
//! were on the author's timeline: playing on replays them, acting discards them.

use super::{Input, Recorded, Timeline};
use crate::duration::Millis;
use crate::sim::{CommandOutput, Simulation};

/// One input performed while a timeline was rebuilt, with what it printed: what the author's
/// terminal showed for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Replayed {
    pub at: Millis,
    /// The line as the terminal shows it (`kubectl apply -f -` for an apply).
    pub line: String,
    pub output: CommandOutput,
}

impl Timeline {
    /// Rebuilds a timeline from `sim` (loaded from the link's scenario, at time 0) by performing
    /// each of `inputs` at its instant up to `at`, and keeping the later ones as the recorded
    /// future. Returns the timeline standing at `at` and the output of every input performed, in
    /// order. Inputs out of time order are performed at the latest instant reached, never earlier.
    pub fn replay(sim: Simulation, inputs: &[(Millis, Input)], at: Millis) -> (Timeline, Vec<Replayed>) {
        let mut timeline = Timeline::new(sim);
        let mut outputs = Vec::new();
        let (past, future): (Vec<_>, Vec<_>) = inputs.iter().partition(|(when, _)| *when <= at);
        for (when, input) in past {
            timeline.advance_to(*when);
            let line = label(input);
            let output = match timeline.act(input.clone()) {
                Ok(output) => output,
                // An author's timeline never records a file that does not parse, so only a foreign
                // link holds one: it is shown as the apply's errors and changes nothing.
                Err(diagnostics) => CommandOutput {
                    text: diagnostics.iter().map(|d| format!("error: {d}\n")).collect(),
                    ok: false,
                },
            };
            outputs.push(Replayed { at: timeline.now(), line, output });
        }
        timeline.advance_to(at);
        let now = timeline.now();
        for (when, input) in future {
            timeline.inputs.push(Recorded { at: (*when).max(now), input: input.clone() });
        }
        (timeline, outputs)
    }

    /// Every recorded input with its instant, including the recorded future after a rewind: what a
    /// share link carries (`share::SharedLink::inputs`).
    pub fn recorded_inputs(&self) -> Vec<(Millis, Input)> {
        self.inputs.iter().map(|r| (r.at, r.input.clone())).collect()
    }
}

/// How the terminal shows an input.
pub(super) fn label(input: &Input) -> String {
    match input {
        Input::Apply(_) => "kubectl apply -f -".to_string(),
        Input::Command(line) => line.clone(),
    }
}
