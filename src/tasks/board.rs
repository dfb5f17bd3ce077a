//! The tasks' states as a simulation's time advances: each task is pending until the whole second
//! that decides it has been simulated, then passed or failed for good (README.md, "Tasks").
//!
//! The board looks at the simulation at whole seconds only, and only at the seconds some pending
//! task still needs ([`TaskBoard::next_check`]). A driver advances the simulation to each of those
//! seconds in turn and lets the board observe it: [`TaskBoard::advance`] does so for a bare
//! [`Simulation`] (the CLI's `test`), `tasks::timeline` for the browser's rewindable
//! [`crate::timeline::Timeline`]. Because the simulation gives the same result however its run is
//! sliced, stopping at those seconds changes nothing it shows.
//!
//! A check's command runs on a copy of the simulation, so that a check never changes what it
//! checks: `kubectl exec ... -- rm` in a check would otherwise delete the file it looks for, and
//! every check would leave a line in the command trace the timeline shows.

use std::collections::BTreeMap;

use serde::{Serialize, Serializer};

use super::spec::{Expect, Task, Window};
use crate::duration::{go_duration, Millis};
use crate::sim::Simulation;

/// Where a task stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pending,
    Passed,
    Failed,
}

impl Status {
    /// The word the Tasks panel and the embed protocol use.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Passed => "passed",
            Status::Failed => "failed",
        }
    }
}

/// One task's state, as the Tasks panel shows it and the embed protocol reports it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskState {
    pub name: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    pub status: Status,
    /// The whole second that decided the task, once it is decided; written in seconds.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "as_seconds")]
    pub decided_at: Option<Millis>,
    /// Why a failed task failed, in the words `probe-playground test` prints.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// What the check's command printed at the deciding second.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
}

/// How many tasks are in each state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub passed: usize,
    pub failed: usize,
    pub pending: usize,
}

/// The tasks of one scenario run and their states.
#[derive(Clone, Debug)]
pub struct TaskBoard {
    tasks: Vec<Task>,
    states: Vec<TaskState>,
    /// The last whole second observed, if any.
    observed: Option<Millis>,
}

impl TaskBoard {
    /// A board with every task pending and nothing observed yet.
    pub fn new(tasks: &[Task]) -> TaskBoard {
        let states = tasks
            .iter()
            .map(|t| TaskState {
                name: t.name.clone(),
                title: t.title.clone(),
                hint: t.hint.clone(),
                status: Status::Pending,
                decided_at: None,
                reason: None,
                output: None,
            })
            .collect();
        TaskBoard { tasks: tasks.to_vec(), states, observed: None }
    }

    /// The board of the tasks the simulation's scenario file was loaded with.
    pub fn for_simulation(sim: &Simulation) -> TaskBoard {
        TaskBoard::new(sim.tasks())
    }

    pub fn tasks(&self) -> &[Task] {
        &self.tasks
    }

    /// Every task's state, in file order.
    pub fn states(&self) -> &[TaskState] {
        &self.states
    }

    /// The latest instant any task needs: by then every task is decided. 0 without tasks.
    pub fn horizon(&self) -> Millis {
        self.tasks.iter().map(|t| t.check.window.end()).max().unwrap_or(0)
    }

    pub fn counts(&self) -> Counts {
        let mut counts = Counts::default();
        for state in &self.states {
            match state.status {
                Status::Pending => counts.pending += 1,
                Status::Passed => counts.passed += 1,
                Status::Failed => counts.failed += 1,
            }
        }
        counts
    }

    /// Whether there are tasks and every one has passed: the exercise is done.
    pub fn all_passed(&self) -> bool {
        !self.states.is_empty() && self.states.iter().all(|s| s.status == Status::Passed)
    }

    /// The next whole second the board must observe, if a pending task still needs one.
    pub fn next_check(&self) -> Option<Millis> {
        let first = self.observed.map_or(0, |o| o + 1000);
        self.tasks
            .iter()
            .zip(&self.states)
            .filter(|(_, s)| s.status == Status::Pending)
            .filter_map(|(t, _)| {
                let at = first.max(t.check.window.start());
                (at <= t.check.window.end()).then_some(at)
            })
            .min()
    }

    /// Looks at the simulation now, if now is a whole second not yet observed, and decides the
    /// tasks that second decides. Returns whether a state changed. A second the board needed but
    /// was never shown is not checked, so drivers stop at every [`TaskBoard::next_check`].
    pub fn observe(&mut self, sim: &Simulation) -> bool {
        let now = sim.now();
        if !now.is_multiple_of(1000) || self.observed.is_some_and(|o| now <= o) {
            return false;
        }
        self.observed = Some(now);
        let mut outputs: BTreeMap<&str, String> = BTreeMap::new();
        let mut changed = false;
        for (task, state) in self.tasks.iter().zip(self.states.iter_mut()) {
            if state.status != Status::Pending || !covers(task.check.window, now) {
                continue;
            }
            let command = task.check.command.as_str();
            let output = outputs.entry(command).or_insert_with(|| {
                // A copy, so that the check leaves the simulation as it found it.
                let mut copy = sim.clone();
                copy.execute(command).text
            });
            let holds = task.check.expect.holds(output);
            let verdict = match task.check.window {
                Window::At(_) => Some(holds),
                Window::By(end) => (holds || now == end).then_some(holds),
                Window::During { until, .. } => (!holds || now == until).then_some(holds),
            };
            if let Some(passed) = verdict {
                decide(task, state, now, output, passed);
                changed = true;
            }
        }
        changed
    }

    /// Observes the simulation now and returns every task's state: what the Tasks panel shows after
    /// an edit, an apply or a step of play.
    pub fn evaluate(&mut self, sim: &Simulation) -> &[TaskState] {
        self.observe(sim);
        &self.states
    }

    /// Runs the simulation to `until`, stopping at every second the board needs on the way. The
    /// board is meant to follow a simulation from its load: seconds a simulation had already passed
    /// when the board first saw it cannot be observed any more and are left unchecked.
    pub fn advance(&mut self, sim: &mut Simulation, until: Millis) {
        while let Some(at) = self.next_check().filter(|at| *at <= until) {
            if sim.now() > at {
                self.skip_to(sim.now());
                continue;
            }
            sim.run_until(at);
            self.observe(sim);
        }
        sim.run_until(until);
        self.observe(sim);
    }

    /// Forgets what was observed after `to`: the decisions of later seconds go back to pending, as
    /// when the playground is rewound to `to`. Seconds up to `to` keep their observations, since
    /// replaying the same inputs reproduces them.
    pub fn rewind(&mut self, to: Millis) {
        let last = to - to % 1000;
        self.observed = self.observed.map(|o| o.min(last));
        for state in &mut self.states {
            if state.decided_at.is_some_and(|at| at > to) {
                state.status = Status::Pending;
                state.decided_at = None;
                state.reason = None;
                state.output = None;
            }
        }
    }

    /// Marks the seconds before `now` as past: a simulation that is already ahead of the board can
    /// no longer show them.
    pub(super) fn skip_to(&mut self, now: Millis) {
        let last_past = if now.is_multiple_of(1000) { now.checked_sub(1000) } else { Some(now - now % 1000) };
        if let Some(last) = last_past {
            self.observed = Some(self.observed.map_or(last, |o| o.max(last)));
        }
    }
}

/// Whether the window includes the whole second `at`.
fn covers(window: Window, at: Millis) -> bool {
    match window {
        Window::At(t) => at == t,
        Window::By(end) => at <= end,
        Window::During { from, until } => from <= at && at <= until,
    }
}

fn decide(task: &Task, state: &mut TaskState, at: Millis, output: &str, passed: bool) {
    state.status = if passed { Status::Passed } else { Status::Failed };
    state.decided_at = Some(at);
    state.output = Some(output.to_string());
    state.reason = (!passed).then(|| {
        let t = go_duration(at);
        let pattern = show_pattern(task.check.expect.pattern().source());
        let what = match (&task.check.expect, task.check.window) {
            (Expect::Match(_), Window::By(_)) => format!("by {t}, {pattern} had not matched"),
            (Expect::NotMatch(_), Window::By(_)) => format!("by {t}, {pattern} had matched at every second"),
            (Expect::Match(_), _) => format!("at {t}, {pattern} did not match"),
            (Expect::NotMatch(_), _) => format!("at {t}, {pattern} matched"),
        };
        format!("{what}; {} printed {}", task.check.command.trim(), quote(output.trim_end_matches('\n')))
    });
}

/// A pattern between single quotes, as a scenario file would write it, with control characters
/// escaped so that the line stays one line.
fn show_pattern(pattern: &str) -> String {
    let mut out = String::from("'");
    for c in pattern.chars() {
        escape_control(c, &mut out);
    }
    out.push('\'');
    out
}

/// Text in double quotes with quotes, backslashes and control characters escaped, as Go's `%q`
/// writes it: the output of a command on one line.
fn quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => escape_control(c, &mut out),
        }
    }
    out.push('"');
    out
}

fn escape_control(c: char, out: &mut String) {
    match c {
        '\n' => out.push_str("\\n"),
        '\t' => out.push_str("\\t"),
        '\r' => out.push_str("\\r"),
        c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
        c => out.push(c),
    }
}

/// Milliseconds of a whole second as a number of seconds.
fn as_seconds<S: Serializer>(at: &Option<Millis>, serializer: S) -> Result<S::Ok, S::Error> {
    match at {
        Some(ms) => serializer.serialize_u64(ms / 1000),
        None => serializer.serialize_none(),
    }
}
