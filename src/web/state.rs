//! All application state in one reducer. The reducer drives the simulation: every change of virtual
//! time or of the cluster goes through an [`Action`]. The wall clock never reaches the engine: a
//! timer only dispatches [`Action::Tick`], which advances virtual time by a fixed step times the speed.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use yew::Reducible;

use crate::duration::{Millis, SECOND};
use crate::kubectl::print::PodRow;
use crate::manifest::Diagnostic;
use crate::sim::{EndpointsView, Simulation};

use super::timeline::{Input, Timeline};

/// Real milliseconds between two ticks while playing; each tick advances `speed × TICK_MS` of
/// virtual time.
pub const TICK_MS: u32 = 100;
/// The speeds the Speed select offers.
pub const SPEEDS: [u32; 6] = [1, 2, 5, 10, 30, 60];
/// How many frames a changed cell stays highlighted.
pub const HIGHLIGHT_FRAMES: u64 = 15;

/// A shared handle on the running timeline. Equality is identity plus a revision counter bumped on
/// every change, so components re-render exactly when the simulation moved.
#[derive(Clone)]
pub struct World {
    pub timeline: Rc<RefCell<Timeline>>,
    pub revision: u64,
}

impl PartialEq for World {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.timeline, &other.timeline) && self.revision == other.revision
    }
}

/// A container chosen in the UI.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ContainerRef {
    pub namespace: String,
    pub pod: String,
    pub container: String,
}

/// One command and what it printed, in the terminal's Output.
#[derive(Clone, Debug, PartialEq)]
pub struct TerminalEntry {
    pub at: Millis,
    pub command: String,
    pub output: String,
    pub ok: bool,
}

/// Whether an endpoint address recently appeared or disappeared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddressChange {
    Added,
    Removed,
}

/// The whole application state.
#[derive(Clone, PartialEq)]
pub struct State {
    pub world: World,
    /// The editor's current text and its problems (errors and warnings).
    pub yaml: String,
    pub problems: Vec<Diagnostic>,
    /// Bumped when the editor's text is replaced from outside (gallery, restored draft).
    pub yaml_revision: u64,
    pub playing: bool,
    pub speed: u32,
    /// Counts ticks and user actions; highlights fade after [`HIGHLIGHT_FRAMES`].
    pub frame: u64,
    /// A snapshot of what the tables show at `now`, refreshed after every change.
    pub now: Millis,
    pub horizon: Millis,
    /// Whether recorded history lies ahead of now (after a rewind); acting now discards it.
    pub rewound: bool,
    pub rows: Vec<PodRow>,
    pub endpoints: Vec<EndpointsView>,
    /// `(pod key, column)` → frame the cell last changed in.
    pub changed_cells: BTreeMap<(String, &'static str), u64>,
    /// `(service, address)` → how and in which frame it changed; removed addresses stay visible
    /// (struck through) while highlighted.
    pub address_changes: BTreeMap<(String, String), (AddressChange, u64)>,
    pub selected_pod: Option<(String, String)>,
    pub selected_container: Option<String>,
    /// The container an interactive shell runs in: typed lines become `kubectl exec ... -- sh -c`.
    pub shell: Option<ContainerRef>,
    pub terminal: Vec<TerminalEntry>,
    /// A notice for the status line (apply results, load errors).
    pub notice: Option<(String, bool)>,
}

/// Everything the UI can ask for.
pub enum Action {
    /// One tick of the play timer.
    Tick,
    Play,
    Pause,
    SetSpeed(u32),
    /// +1 s of virtual time.
    Step,
    /// Jump to the next scheduled event.
    NextEvent,
    /// Show the state at a virtual instant (rewind or replay).
    Seek(Millis),
    /// The editor's text changed.
    Edit(String),
    /// Re-validate the editor's text (dispatched after typing pauses).
    Validate,
    /// `kubectl apply -f -` of the editor's text, keeping the clock.
    Apply,
    /// Restart the scenario from time 0 with the editor's text.
    Reset,
    /// Replace the editor's text with a scenario and start it.
    Load(String),
    /// Run one command line.
    Run(String),
    SelectPod(String, String),
    SelectContainer(String),
    OpenShell(Option<ContainerRef>),
    ClearTerminal,
}

impl State {
    /// The state for a scenario text at time 0.
    pub fn new(yaml: String) -> State {
        let (sim, problems, notice) = load(&yaml);
        let mut state = State {
            world: World { timeline: Rc::new(RefCell::new(Timeline::new(sim))), revision: 0 },
            yaml,
            problems,
            yaml_revision: 0,
            playing: false,
            speed: 1,
            frame: 0,
            now: 0,
            horizon: 0,
            rewound: false,
            rows: Vec::new(),
            endpoints: Vec::new(),
            changed_cells: BTreeMap::new(),
            address_changes: BTreeMap::new(),
            selected_pod: None,
            selected_container: None,
            shell: None,
            terminal: Vec::new(),
            notice,
        };
        state.refresh(false);
        state
    }

    /// Whether a cell of a pod row is highlighted as recently changed.
    pub fn cell_changed(&self, pod: &str, column: &'static str) -> bool {
        self.changed_cells
            .get(&(pod.to_string(), column))
            .is_some_and(|frame| self.frame.saturating_sub(*frame) < HIGHLIGHT_FRAMES)
    }

    /// Replaces the world with a fresh run of the editor's text.
    fn restart(&mut self) {
        let (sim, problems, notice) = load(&self.yaml);
        self.world = World { timeline: Rc::new(RefCell::new(Timeline::new(sim))), revision: self.world.revision + 1 };
        self.problems = problems;
        self.notice = notice;
        self.playing = self.playing && self.notice.is_none();
        self.rows.clear();
        self.endpoints.clear();
        self.changed_cells.clear();
        self.address_changes.clear();
        self.refresh(false);
    }

    fn run_input(&mut self, input: Input, command: String) {
        let result = self.world.timeline.borrow_mut().act(input);
        let now = self.world.timeline.borrow().now();
        match result {
            Ok(out) => {
                self.terminal.push(TerminalEntry { at: now, command, output: out.text, ok: out.ok });
            }
            Err(problems) => {
                let output = problems.iter().map(|d| format!("error: {d}\n")).collect();
                self.terminal.push(TerminalEntry { at: now, command, output, ok: false });
                self.problems = problems;
            }
        }
        // A long transcript costs render time without helping anyone; keep the recent part.
        if self.terminal.len() > 200 {
            self.terminal.drain(..self.terminal.len() - 200);
        }
        self.refresh(true);
    }

    /// Re-reads the tables from the simulation and records which cells changed.
    fn refresh(&mut self, highlight: bool) {
        // Informational notices ("Nothing else is scheduled.") describe one moment; errors stay.
        if matches!(self.notice, Some((_, false))) {
            self.notice = None;
        }
        self.frame += 1;
        self.world.revision += 1;
        let timeline = self.world.timeline.borrow();
        let sim = timeline.sim();
        self.now = sim.now();
        self.horizon = timeline.horizon();
        self.rewound = timeline.has_future();
        let rows = sim.pod_rows();
        let endpoints = sim.endpoints();
        drop(timeline);
        if highlight {
            let old: BTreeMap<&str, &PodRow> = self.rows.iter().map(|r| (r.name.as_str(), r)).collect();
            for row in &rows {
                let Some(before) = old.get(row.name.as_str()) else {
                    for column in ["name", "ready", "status", "restarts", "ip", "node"] {
                        self.changed_cells.insert((row.name.clone(), column), self.frame);
                    }
                    continue;
                };
                let pairs: [(&'static str, bool); 5] = [
                    ("ready", before.ready != row.ready),
                    ("status", before.status != row.status),
                    ("restarts", before.restarts != row.restarts),
                    ("ip", before.ip != row.ip),
                    ("node", before.node != row.node),
                ];
                for (column, changed) in pairs {
                    if changed {
                        self.changed_cells.insert((row.name.clone(), column), self.frame);
                    }
                }
            }
            // An address counts as added when it becomes ready and as removed when it stops being
            // ready (deleted, or moved to notReadyAddresses), which is what the Service's traffic sees.
            let old: BTreeMap<&str, &EndpointsView> = self.endpoints.iter().map(|e| (e.name.as_str(), e)).collect();
            for view in &endpoints {
                let before: &[String] = old.get(view.name.as_str()).map_or(&[], |e| e.addresses.as_slice());
                for address in view.addresses.iter().filter(|a| !before.contains(a)) {
                    self.address_changes.insert((view.name.clone(), address.clone()), (AddressChange::Added, self.frame));
                }
                for address in before.iter().filter(|a| !view.addresses.contains(a)) {
                    self.address_changes.insert((view.name.clone(), address.clone()), (AddressChange::Removed, self.frame));
                }
            }
        } else {
            self.changed_cells.clear();
            self.address_changes.clear();
        }
        let frame = self.frame;
        self.changed_cells.retain(|_, f| frame - *f < HIGHLIGHT_FRAMES);
        self.address_changes.retain(|_, (_, f)| frame - *f < HIGHLIGHT_FRAMES * 2);
        self.rows = rows;
        self.endpoints = endpoints;
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut state = (*self).clone();
        match action {
            Action::Tick => {
                if !state.playing {
                    return self;
                }
                let target = state.now + Millis::from(state.speed) * Millis::from(TICK_MS);
                state.world.timeline.borrow_mut().advance_to(target);
                state.refresh(true);
            }
            Action::Play => state.playing = true,
            Action::Pause => state.playing = false,
            Action::SetSpeed(speed) => state.speed = speed.clamp(1, 60),
            Action::Step => {
                // Step lands on whole seconds, so the clock reads like kubectl's AGE column.
                let target = (state.now / SECOND + 1) * SECOND;
                state.world.timeline.borrow_mut().advance_to(target);
                state.refresh(true);
            }
            Action::NextEvent => {
                let next = state.world.timeline.borrow().sim().next_event_time();
                let Some(next) = next else {
                    state.notice = Some(("Nothing else is scheduled.".to_string(), false));
                    return Rc::new(state);
                };
                state.world.timeline.borrow_mut().advance_to(next.max(state.now));
                state.refresh(true);
            }
            Action::Seek(at) => {
                state.world.timeline.borrow_mut().seek(at);
                state.refresh(false);
            }
            Action::Edit(text) => {
                if text == state.yaml {
                    return self;
                }
                state.yaml = text;
            }
            Action::Validate => {
                state.problems = match crate::manifest::parse(&state.yaml) {
                    Ok(parsed) => parsed.warnings,
                    Err(problems) => problems,
                };
            }
            Action::Apply => {
                let text = state.yaml.clone();
                state.run_input(Input::Apply(text), "kubectl apply -f -".to_string());
                if state.problems.iter().all(|p| p.severity != crate::manifest::Severity::Error) {
                    state.notice = None;
                }
            }
            Action::Reset => state.restart(),
            Action::Load(text) => {
                state.yaml = text;
                state.yaml_revision += 1;
                state.selected_pod = None;
                state.selected_container = None;
                state.shell = None;
                state.terminal.clear();
                state.restart();
            }
            Action::Run(line) => {
                let line = line.trim().to_string();
                if line.is_empty() {
                    return self;
                }
                if is_apply_stdin(&line) {
                    let text = state.yaml.clone();
                    state.run_input(Input::Apply(text), line);
                } else {
                    state.run_input(Input::Command(line.clone()), line);
                }
            }
            Action::SelectPod(namespace, name) => {
                state.selected_pod = Some((namespace, name));
                state.selected_container = None;
            }
            Action::SelectContainer(name) => state.selected_container = Some(name),
            Action::OpenShell(target) => state.shell = target,
            Action::ClearTerminal => state.terminal.clear(),
        }
        Rc::new(state)
    }
}

/// Whether a command line is `kubectl apply -f -`, which applies the editor's contents.
fn is_apply_stdin(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    matches!(words.as_slice(), ["kubectl", "apply", "-f", "-"] | ["apply", "-f", "-"])
}

/// Loads a scenario for a fresh run. An invalid file starts an empty cluster and reports why.
fn load(yaml: &str) -> (Simulation, Vec<Diagnostic>, Option<(String, bool)>) {
    match Simulation::load(yaml) {
        Ok(sim) => {
            let warnings = sim.warnings().to_vec();
            (sim, warnings, None)
        }
        Err(problems) => {
            let sim = Simulation::load("").unwrap_or_else(|_| unreachable_empty());
            let notice = format!("The file has {} problem(s); fix them and press Reset.", problems.len());
            (sim, problems, Some((notice, true)))
        }
    }
}

/// An empty file is always a valid scenario; this is only reached if that promise breaks, and then
/// the panic hook offers to reload keeping the user's YAML.
fn unreachable_empty() -> Simulation {
    panic!("an empty scenario failed to load")
}
