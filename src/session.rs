//! The simulation's side of the browser playground, native and tested natively: the worker that runs
//! it (`web::worker`) hands each [`Request`] of the page to a [`Session`], and posts back the
//! [`Report`]s it makes. The session owns the [`Timeline`] and is the only code in the browser that
//! runs the engine; the page renders the [`View`] snapshots it sends.
//!
//! Long work goes in slices: a seek, a play tick and the replay of a run all move towards a goal
//! that [`Session::work`] approaches one slice at a time, so the worker reads the page's next
//! request (Pause, Stop) between slices. The worker measures each slice's real time and sizes the
//! next one with [`Pace`]; the session itself never reads a clock.

pub mod events;
pub mod lanes;
pub mod pace;
pub mod protocol;
pub mod view;

use crate::duration::{Millis, SECOND};
use crate::embed::{diff_state, Outbound, State as HostState};
use crate::manifest::{Diagnostic, Severity};
use crate::sim::Simulation;
use crate::timeline::{Input, Timeline};

pub use pace::Pace;
pub use protocol::{Report, Request};
pub use view::{Selection, View};

/// Real milliseconds between two play ticks; each tick advances `speed × TICK_MS` of virtual time.
pub const TICK_MS: u32 = 100;

/// Where the simulation is heading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Goal {
    /// A seek the page shows with its progress.
    Seek { from: Millis, target: Millis },
    /// One play tick.
    Tick { target: Millis },
}

/// One run of a scenario and what the page knows of it.
pub struct Session {
    timeline: Timeline,
    notice: Option<(String, bool)>,
    playing: bool,
    speed: u32,
    selection: Selection,
    goal: Option<Goal>,
    behind: bool,
    /// The host page's reports: whether they are wanted, and the state they last heard of.
    host: bool,
    host_last: Option<HostState>,
    revision: u64,
    /// How many requests were carried out (acknowledgements of snapshots aside).
    handled: u64,
    reports: Vec<Report>,
    /// The newest snapshot, until the page may have it, and the one it has not acknowledged yet.
    held: Option<Box<View>>,
    unacked: Option<u64>,
}

impl Default for Session {
    fn default() -> Session {
        Session::new()
    }
}

impl Session {
    /// A session of the empty scenario, paused at time 0.
    pub fn new() -> Session {
        let (sim, _, _) = load("");
        Session {
            timeline: Timeline::new(sim),
            notice: None,
            playing: false,
            speed: 1,
            selection: Selection::default(),
            goal: None,
            behind: false,
            host: false,
            host_last: None,
            revision: 0,
            handled: 0,
            reports: Vec::new(),
            held: None,
            unacked: None,
        }
    }

    /// The timeline, for tests and the worker's housekeeping.
    pub fn timeline(&self) -> &Timeline {
        &self.timeline
    }

    /// The reports made since the last call, in order, and the newest snapshot last if the page
    /// has shown the one before it: snapshots never queue up faster than the page draws them.
    pub fn take_reports(&mut self) -> Vec<Report> {
        let mut reports = std::mem::take(&mut self.reports);
        if self.unacked.is_none() {
            if let Some(view) = self.held.take() {
                self.unacked = Some(view.revision);
                reports.push(Report::View { view });
            }
        }
        reports
    }

    /// Whether the page has yet to show the last snapshot sent.
    pub fn waiting_for_page(&self) -> bool {
        self.unacked.is_some()
    }

    pub fn playing(&self) -> bool {
        self.playing
    }

    /// Whether a seek or a tick is under way, for [`Session::work`] to continue.
    pub fn busy(&self) -> bool {
        self.goal.is_some()
    }

    /// Whether the goal under way is a play tick.
    pub fn ticking(&self) -> bool {
        matches!(self.goal, Some(Goal::Tick { .. }))
    }

    /// Carries out one request of the page.
    pub fn handle(&mut self, request: Request) {
        // Moving time or acting otherwise ends a seek under way, where it has got to; choosing a
        // speed or a pod does not (a restarted run is sent its speed while it replays).
        let keeps_goal = matches!(
            request,
            Request::Validate { .. }
                | Request::Select { .. }
                | Request::Speed { .. }
                | Request::Host { .. }
                | Request::Shown { .. }
        );
        if !keeps_goal {
            self.goal = None;
        }
        if !matches!(request, Request::Shown { .. }) {
            self.handled += 1;
        }
        match request {
            Request::Load { id, yaml, inputs, at, notice } => {
                let (sim, problems, loaded_notice) = load(&yaml);
                let replayed = !inputs.is_empty();
                self.timeline = Timeline::replaying(sim, inputs);
                self.notice = notice.map(|n| (n, true)).or(loaded_notice);
                self.playing = self.playing && self.notice.is_none();
                self.behind = false;
                self.reports.push(Report::Loaded { id, problems, notice: self.notice.clone() });
                if replayed {
                    self.reports.push(Report::Inputs { inputs: self.timeline.recorded() });
                }
                if at > 0 {
                    self.goal = Some(Goal::Seek { from: 0, target: at });
                }
                self.view(false, false);
            }
            Request::Validate { yaml } => {
                let problems = match crate::manifest::parse(&yaml) {
                    Ok(parsed) => parsed.warnings,
                    Err(problems) => problems,
                };
                self.reports.push(Report::Problems { problems });
                self.view(true, false);
            }
            Request::Apply { yaml } => {
                let problems = self.act(0, Input::Apply(yaml), "kubectl apply -f -".to_string());
                if problems.iter().all(|p| p.severity != Severity::Error) {
                    self.notice = None;
                }
                self.view(true, false);
            }
            Request::Run { id, line, yaml } => {
                let line = line.trim().to_string();
                if !line.is_empty() {
                    let input =
                        if is_apply_stdin(&line) { Input::Apply(yaml) } else { Input::Command(line.clone()) };
                    self.act(id, input, line);
                }
                self.view(true, false);
            }
            Request::Play => {
                self.playing = true;
                self.view(true, false);
            }
            Request::Pause => {
                self.playing = false;
                self.behind = false;
                self.view(true, false);
            }
            Request::Speed { speed } => {
                self.speed = speed.clamp(1, 60);
                self.view(true, false);
            }
            Request::Step => {
                // Step lands on whole seconds, so the clock reads like kubectl's AGE column.
                let target = (self.timeline.now() / SECOND + 1) * SECOND;
                self.timeline.advance_to(target);
                self.view(true, false);
            }
            Request::NextEvent => match self.timeline.sim().next_event_time() {
                None => {
                    self.view(true, false);
                    self.notice = Some(("Nothing else is scheduled.".to_string(), false));
                    if let Some(view) = &mut self.held {
                        view.notice = self.notice.clone();
                    }
                }
                Some(next) => {
                    let now = self.timeline.now();
                    self.timeline.advance_to(next.max(now));
                    self.view(true, false);
                }
            },
            Request::Seek { at } => {
                let from = self.timeline.now();
                self.timeline.rewind_for(at);
                self.goal = Some(Goal::Seek { from, target: at });
            }
            Request::StopSeek => self.view(false, false),
            Request::Select { selection } => {
                self.selection = selection;
                self.view(true, false);
            }
            Request::Host { report } => {
                self.host = report;
                self.view(true, false);
            }
            Request::Shown { revision } => {
                if self.unacked == Some(revision) {
                    self.unacked = None;
                }
            }
        }
    }

    /// Starts a play tick, when playing and nothing else is under way.
    pub fn begin_tick(&mut self) {
        if self.playing && self.goal.is_none() {
            let target = self.timeline.now() + Millis::from(self.speed) * Millis::from(TICK_MS);
            self.goal = Some(Goal::Tick { target });
        }
    }

    /// Simulates at most `slice` more of the goal under way, and reports where it got. Returns how
    /// much virtual time it simulated.
    pub fn work(&mut self, slice: Millis) -> Millis {
        let Some(goal) = self.goal else { return 0 };
        let now = self.timeline.now();
        let target = match goal {
            Goal::Seek { target, .. } | Goal::Tick { target } => target,
        };
        let next = now.saturating_add(slice.max(1)).min(target.max(now));
        self.timeline.advance_to(next);
        if self.timeline.now() >= target {
            self.goal = None;
        }
        match goal {
            Goal::Seek { .. } => self.view(false, false),
            Goal::Tick { .. } if self.goal.is_none() => self.view(true, true),
            Goal::Tick { .. } => {}
        }
        next.saturating_sub(now)
    }

    /// Says whether play ticks take longer than their share of real time, as the worker measured.
    pub fn set_behind(&mut self, behind: bool) {
        if self.behind != behind {
            self.behind = behind;
            self.view(true, false);
        }
    }

    /// Does one piece of the timeline's housekeeping; returns whether more remains.
    pub fn idle(&mut self) -> bool {
        self.timeline.idle_work()
    }

    /// Performs an input now and reports its output; returns the problems it found.
    fn act(&mut self, id: u64, input: Input, command: String) -> Vec<Diagnostic> {
        let result = self.timeline.act(input);
        let at = self.timeline.now();
        let problems = match result {
            Ok(out) => {
                self.reports.push(Report::Ran { id, at, command, output: out.text, ok: out.ok });
                Vec::new()
            }
            Err(problems) => {
                let output = problems.iter().map(|d| format!("error: {d}\n")).collect();
                self.reports.push(Report::Ran { id, at, command, output, ok: false });
                self.reports.push(Report::Problems { problems: problems.clone() });
                problems
            }
        };
        self.reports.push(Report::Inputs { inputs: self.timeline.recorded() });
        problems
    }

    /// Reports a snapshot of now.
    fn view(&mut self, highlight: bool, tick: bool) {
        // Informational notices ("Nothing else is scheduled.") describe one moment; errors stay.
        if matches!(self.notice, Some((_, false))) {
            self.notice = None;
        }
        self.revision += 1;
        let mut view = View {
            revision: self.revision,
            handled: self.handled,
            highlight,
            tick,
            seeking: match self.goal {
                Some(Goal::Seek { from, target }) => Some(view::Seeking { from, target }),
                _ => None,
            },
            behind: self.behind,
            playing: self.playing,
            speed: self.speed,
            notice: self.notice.clone(),
            ..View::default()
        };
        view::fill(&mut view, &self.timeline, &self.selection);
        if self.host {
            let sim = self.timeline.sim();
            let now = HostState::from_snapshot(&sim.snapshot(), sim.now(), self.playing, self.speed);
            let changes = match &self.host_last {
                Some(last) => diff_state(last, &now).iter().map(Outbound::to_json).collect(),
                None => Vec::new(),
            };
            let state = Outbound::State(now.clone()).to_json();
            self.host_last = Some(now);
            view.host = Some(view::HostReport { state, changes });
        }
        // Only the newest snapshot matters: one the page has not had yet is replaced, keeping what
        // the replaced one had to say: highlights cleared (a load or seek), a tick, host changes.
        if let Some(old) = self.held.take() {
            view.highlight &= old.highlight;
            view.tick |= old.tick;
            if let (Some(host), Some(old)) = (&mut view.host, old.host) {
                let mut changes = old.changes;
                changes.append(&mut host.changes);
                host.changes = changes;
            }
        }
        self.held = Some(Box::new(view));
    }
}

/// Whether a command line is `kubectl apply -f -` in any of its spellings (`--filename=-`, `-f=-`,
/// `-f-`), which applies the editor's contents. The command language's own parser decides, so the
/// terminal, scenario steps and the CLI agree on what counts.
fn is_apply_stdin(line: &str) -> bool {
    matches!(crate::kubectl::command::parse(line), Ok(crate::kubectl::command::Command::Apply))
}

/// Loads a scenario for a fresh run. An invalid file starts an empty cluster and reports why.
fn load(yaml: &str) -> (Simulation, Vec<Diagnostic>, Option<(String, bool)>) {
    match Simulation::load(yaml) {
        Ok(mut sim) => {
            // Everything due at 0s (the pods' first syncs, which start their containers) happens
            // now, while the scenario loads, rather than in the first tick of playing.
            sim.run_until(0);
            let warnings = sim.warnings().to_vec();
            (sim, warnings, None)
        }
        Err(problems) => {
            let notice = format!("The file has {} problem(s); fix them and press Reset.", problems.len());
            let sim = match Simulation::load("") {
                Ok(sim) => sim,
                // An empty file is always a valid scenario; the tests check that promise.
                Err(_) => unreachable!("an empty scenario failed to load"),
            };
            (sim, problems, Some((notice, true)))
        }
    }
}

#[cfg(test)]
mod tests;
