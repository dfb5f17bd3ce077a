//! All application state in one pure reducer over plain data. The simulation runs in a worker
//! (`crate::session`, reached through `web::link`): the reducer queues [`Request`]s for it in an
//! outbox, which an effect of the App posts, and turns the [`Report`]s it sends back into what the
//! panels show. Nothing here runs the engine, reads a clock or posts a message.

use std::collections::BTreeMap;
use std::rc::Rc;

use yew::Reducible;

use crate::duration::Millis;
use crate::embed::{Inbound, Outbound};
use crate::kubectl::print::PodRow;
use crate::manifest::Diagnostic;
use crate::session::events::EventList;
use crate::session::view::{Detail, HostReport, Selection, WorkloadTable};
use crate::session::{Report, Request, View};
use crate::share::SharedState;
use crate::sim::EndpointsView;
use crate::timeline::Input;

use super::bridge::{Bridge, Peer};

pub use crate::session::view::Seeking;
pub use crate::session::TICK_MS;
pub use crate::sim::SPEEDS;

/// How many frames a changed cell stays highlighted.
pub const HIGHLIGHT_FRAMES: u64 = 15;

/// Highlights fade frame by frame rather than as CSS animations, because hundreds of cells
/// animating their background would restyle and repaint the tables on every display frame. A cell
/// changed in frame `f` wears the attribute `data-flash="<f mod FLASH_SLOTS>"` for as long as it is
/// highlighted, and one small style sheet ([`State::flash_rules`]) says how strong each slot is
/// now; so a frame rewrites that sheet, not every highlighted cell.
pub const FLASH_SLOTS: u64 = 16;

/// How strongly a change `age` frames old is highlighted, in percent of the flash colour: full at
/// first, fading quickly and then slowly (ease-out), gone after [`HIGHLIGHT_FRAMES`].
pub fn flash_percent(age: u64) -> u8 {
    if age >= HIGHLIGHT_FRAMES {
        return 0;
    }
    let left = 1.0 - age as f64 / HIGHLIGHT_FRAMES as f64;
    (left * left * 100.0).round() as u8
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

/// The simulation's worker as the page knows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Simulation {
    /// Started (or restarted) and expected to answer.
    Running,
    /// It stopped: it failed (a trap, no memory, its code did not arrive) or the learner stopped it.
    Stopped { reason: String },
}

/// What the page needs to have the run rebuilt if the worker stops: the text last run, the inputs
/// recorded on it, and the last instant the page saw.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Recipe {
    pub yaml: String,
    pub inputs: Rc<Vec<(Millis, Input)>>,
    pub at: Millis,
    pub notice: Option<String>,
}

/// The requests waiting to be posted to the worker, numbered in order. Plain data, like
/// [`Bridge`]: the App's effect posts the ones it has not posted yet.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outbox {
    letters: Rc<Vec<(u64, Request)>>,
    /// The number the next request gets.
    next: u64,
}

impl Outbox {
    /// How many requests were queued in all: an effect keyed on it runs when requests wait.
    pub fn queued(&self) -> u64 {
        self.next
    }

    /// The requests numbered `from` on.
    pub fn since(&self, from: u64) -> impl Iterator<Item = &Request> {
        self.letters.iter().filter(move |(n, _)| *n >= from).map(|(_, r)| r)
    }

    fn push(&mut self, request: Request) {
        let letters = Rc::make_mut(&mut self.letters);
        letters.push((self.next, request));
        self.next += 1;
        // What was posted is not needed again; a render follows every dispatch, and posts.
        if letters.len() > 256 {
            letters.drain(..letters.len() - 256);
        }
    }
}

/// The whole application state.
#[derive(Clone, PartialEq)]
pub struct State {
    /// The editor's current text and its problems (errors and warnings).
    pub yaml: String,
    pub problems: Vec<Diagnostic>,
    /// Bumped when the editor's text is replaced from outside (gallery, restored draft).
    pub yaml_revision: u64,
    pub playing: bool,
    pub speed: u32,
    /// Counts snapshots and fade frames; highlights fade after [`HIGHLIGHT_FRAMES`].
    pub frame: u64,
    /// The clock and the scrubber, as of the last snapshot.
    pub now: Millis,
    pub horizon: Millis,
    pub rewound: bool,
    pub seeking: Option<Seeking>,
    pub behind: bool,
    pub notice: Option<(String, bool)>,
    pub title: String,
    pub scenario: String,
    pub marks: Rc<Vec<(Millis, String)>>,
    /// The tables and the detail of the last snapshot, shared so that copying the state costs nothing.
    pub rows: Rc<Vec<PodRow>>,
    pub endpoints: Rc<Vec<EndpointsView>>,
    pub workloads: Rc<Vec<WorkloadTable>>,
    pub events: Rc<EventList>,
    pub detail: Option<Rc<Detail>>,
    /// The last snapshot's revision, acknowledged to the worker once drawn.
    pub revision: u64,
    /// `(pod key, column)` → frame the cell last changed in.
    pub changed_cells: BTreeMap<(String, &'static str), u64>,
    /// `(service, address)` → how and in which frame it changed; removed addresses stay visible
    /// (struck through) while highlighted.
    pub address_changes: BTreeMap<(String, String), (AddressChange, u64)>,
    pub selected_pod: Option<(String, String)>,
    pub selected_container: Option<String>,
    /// An embedded lab shows the first pod's detail when none is selected; whether the probe
    /// timeline is on screen.
    pub first_pod: bool,
    pub lanes: bool,
    /// The container an interactive shell runs in: typed lines become `kubectl exec ... -- sh -c`.
    pub shell: Option<ContainerRef>,
    /// Shared like `rows`; changed through `Rc::make_mut`.
    pub terminal: Rc<Vec<TerminalEntry>>,
    /// The last content loaded from the gallery, a share link or the host page. The editor holds
    /// unsaved work exactly when its text differs from this.
    pub base: String,
    /// Content waiting for the learner's choice, because loading it would replace unsaved work.
    pub pending: Option<Pending>,
    /// Why a share link could not be opened, until dismissed.
    pub link_error: Option<String>,
    /// Why the browser would not keep the autosave, while it does not.
    pub storage_problem: Option<String>,
    /// The host page's subscribers and the messages queued for it; the App posts them.
    pub bridge: Bridge,
    /// The requests queued for the worker; the App posts them.
    pub outbox: Outbox,
    /// How many of the queued requests the worker had carried out by its last snapshot, and how
    /// many were queued before the worker started (a restarted one counts from zero).
    answered: u64,
    worker_base: u64,
    /// Whether the host page hears of every change (an embedded playground).
    embedded: bool,
    /// Reports received: the busy notice watches for them while an answer is expected.
    pub reports: u64,
    pub simulation: Simulation,
    /// Bumped to have the App start a new worker.
    pub generation: u64,
    pub recipe: Recipe,
    /// The page is still opening the saved work it started with (see `page::begin_opening`).
    pub opening: bool,
    /// How many requests the opening made: it has finished once the worker carried them all out
    /// and no seek is under way.
    opening_until: u64,
    /// The last `state` message and the host's requests waiting for an answer from the worker.
    host_state: Option<Rc<String>>,
    host_runs: Waiting,
    host_loads: Waiting,
    next_id: u64,
}

/// Host requests waiting for the worker's answer, by request id. Equal when shared: the list only
/// changes through `Rc::make_mut`.
#[derive(Clone, Default)]
struct Waiting(Rc<Vec<(u64, Peer)>>);

impl PartialEq for Waiting {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Content offered in place of the editor's unsaved text.
#[derive(Clone, Debug, PartialEq)]
pub struct Pending {
    /// What the content is, for the dialog ("the shared link", "the scenario ...").
    pub label: String,
    pub yaml: String,
    /// The rest of a share link's state, restored with its YAML.
    pub shared: Option<SharedState>,
}

/// Everything the UI can ask for.
pub enum Action {
    /// One frame of the highlights' fade while the clock stands still.
    Fade,
    Play,
    Pause,
    SetSpeed(u32),
    /// +1 s of virtual time.
    Step,
    /// Jump to the next scheduled event.
    NextEvent,
    /// Show the state at a virtual instant (rewind or replay).
    Seek(Millis),
    /// Stop a long seek where it is; everything simulated so far stays.
    StopSeek,
    /// The editor's text changed.
    Edit(String),
    /// Re-validate the editor's text (dispatched after typing pauses).
    Validate,
    /// `kubectl apply -f -` of the editor's text, keeping the clock.
    Apply,
    /// Restart the scenario from time 0 with the editor's text.
    Reset,
    /// Run one command line.
    Run(String),
    SelectPod(String, String),
    SelectContainer(String),
    OpenShell(Option<ContainerRef>),
    ClearTerminal,
    /// A gallery scenario was picked: loads it, unless that would replace unsaved work.
    Pick {
        label: String,
        yaml: String,
    },
    /// A share link was opened: restores it, unless that would replace unsaved work.
    OpenLink(SharedState),
    /// A share link could not be read; the text says why.
    LinkFailed(String),
    DismissLinkError,
    /// Answers the pending offer: keep the editor's text, or replace it with the offered content.
    KeepWork,
    Replace,
    /// The editor's text was written into a share link, which now holds it.
    Shared,
    /// A request from the host page of an embedded playground.
    Host(Inbound, Peer),
    /// The autosave failed, for this reason; or it worked again.
    StorageFailed(String),
    StorageWorks,
    /// The worker said something.
    Report(Report),
    /// The worker died, or would not start; the text says why.
    SimulationFailed(String),
    /// The learner stopped a worker that did not answer.
    StopSimulation,
    /// Start a new worker from the last state the page knew.
    RestartSimulation,
}

impl State {
    /// The state for a scenario text, which the worker loads at time 0.
    pub fn new(yaml: String) -> State {
        let mut state = State {
            yaml,
            problems: Vec::new(),
            yaml_revision: 0,
            playing: false,
            speed: 1,
            frame: 0,
            now: 0,
            horizon: 0,
            rewound: false,
            seeking: None,
            behind: false,
            notice: None,
            title: String::new(),
            scenario: String::new(),
            marks: Rc::default(),
            rows: Rc::default(),
            endpoints: Rc::default(),
            workloads: Rc::default(),
            events: Rc::default(),
            detail: None,
            revision: 0,
            changed_cells: BTreeMap::new(),
            address_changes: BTreeMap::new(),
            selected_pod: None,
            selected_container: None,
            first_pod: false,
            lanes: true,
            shell: None,
            terminal: Rc::default(),
            base: String::new(),
            pending: None,
            link_error: None,
            storage_problem: None,
            bridge: Bridge::default(),
            outbox: Outbox::default(),
            answered: 0,
            worker_base: 0,
            embedded: false,
            reports: 0,
            simulation: Simulation::Running,
            generation: 0,
            recipe: Recipe::default(),
            opening: true,
            opening_until: 0,
            host_state: None,
            host_runs: Waiting::default(),
            host_loads: Waiting::default(),
            next_id: 1,
        };
        state.base = state.yaml.clone();
        state.restart();
        state
    }

    /// The state for a scenario text that is shown but not run: an empty cluster, and a notice that
    /// says why. Used for saved work whose last opening never finished, so that a file which froze
    /// or crashed the page once is not run again before the learner asks (Reset).
    pub fn held(yaml: String, base: String) -> State {
        let mut state = State::new(yaml);
        state.base = base;
        state.recipe = Recipe {
            yaml: String::new(),
            inputs: Rc::default(),
            at: 0,
            notice: Some("Last time, this file did not finish opening (the tab was closed or the simulation stopped while it ran), so it is in the editor but not running. Press Reset to run it.".to_string()),
        };
        state.outbox = Outbox::default();
        state.load_recipe();
        state
    }

    /// Marks the end of what opening the page asks of the worker (the work, a link, its instant):
    /// the saved work counts as opened once the worker has done all of it.
    pub fn opened_with(&mut self) {
        self.opening_until = self.outbox.queued();
    }

    /// Tells the worker how the page shows the selected pod; called once the page's layout is known.
    pub fn show_detail(&mut self, first_pod: bool, lanes: bool) {
        self.first_pod = first_pod;
        self.lanes = lanes;
        self.send_selection();
    }

    /// Asks for the host page's reports with every snapshot (an embedded playground).
    pub fn report_to_host(&mut self) {
        self.embedded = true;
        self.send(Request::Host { report: true });
    }

    /// The recently changed cells of the pod rows, as `(pod, column, flash slot)`.
    pub fn highlighted_cells(&self) -> Vec<(String, &'static str, u8)> {
        self.changed_cells
            .iter()
            .filter_map(|((pod, column), frame)| Some((pod.clone(), *column, self.flash_slot(*frame)?)))
            .collect()
    }

    /// The recent changes of endpoint addresses, as `(service, address, change, flash slot)`; the
    /// slot is gone once the highlight has faded, while the change is still shown.
    pub fn address_highlights(&self) -> Vec<(String, String, AddressChange, Option<u8>)> {
        self.address_changes
            .iter()
            .map(|((service, address), (change, frame))| {
                (service.clone(), address.clone(), *change, self.flash_slot(*frame))
            })
            .collect()
    }

    /// The style sheet giving each `data-flash` slot its strength in this frame. With nothing
    /// highlighted it is empty, and stays the same from frame to frame, so that the browser need not
    /// re-read it.
    pub fn flash_rules(&self) -> String {
        if !self.fading() {
            return String::new();
        }
        (0..FLASH_SLOTS)
            .map(|slot| {
                let age = (self.frame + FLASH_SLOTS - slot) % FLASH_SLOTS;
                format!("[data-flash=\"{slot}\"]{{--flash-mix:{}%}}", flash_percent(age))
            })
            .collect()
    }

    fn flash_slot(&self, frame: u64) -> Option<u8> {
        let age = self.frame.saturating_sub(frame);
        (age < HIGHLIGHT_FRAMES).then_some((frame % FLASH_SLOTS) as u8)
    }

    /// Whether highlights are still fading, so that frames must pass while the clock stands still.
    pub fn fading(&self) -> bool {
        !self.changed_cells.is_empty() || !self.address_changes.is_empty()
    }

    fn fade(&mut self) {
        self.frame += 1;
        let frame = self.frame;
        self.changed_cells.retain(|_, f| frame - *f < HIGHLIGHT_FRAMES);
        self.address_changes.retain(|_, (_, f)| frame - *f < HIGHLIGHT_FRAMES * 2);
    }

    /// Whether the editor holds text that no gallery entry, link or host message provided.
    pub fn unsaved(&self) -> bool {
        self.yaml != self.base
    }

    /// Whether the page expects to hear from the worker: it was asked something, or it is playing
    /// or seeking. The busy notice shows when such a wait lasts.
    pub fn expecting(&self) -> bool {
        self.simulation == Simulation::Running
            && (self.playing || self.seeking.is_some() || self.sent_unanswered())
    }

    /// Whether the page shows what the worker arrived at after everything asked of it, with nothing
    /// under way: tests wait for it (the `data-synced` attribute) rather than for time to pass.
    pub fn synced(&self) -> bool {
        !self.sent_unanswered() && !self.playing && self.seeking.is_none()
    }

    fn sent_unanswered(&self) -> bool {
        self.outbox.queued() > self.answered
    }

    /// The view part of a share link: `overview`, or `pod` with the selected pod, or
    /// `pod.<container>` when a container was chosen; and the selected object as `Pod/<ns>/<name>`.
    pub fn view(&self) -> (String, Option<String>) {
        match (&self.selected_pod, &self.selected_container) {
            (None, _) => ("overview".to_string(), None),
            (Some((ns, name)), container) => {
                let view = container.as_ref().map_or_else(|| "pod".to_string(), |c| format!("pod.{c}"));
                (view, Some(format!("Pod/{ns}/{name}")))
            }
        }
    }

    /// What a share link of this moment holds.
    pub fn shared(&self) -> SharedState {
        let (view, selected) = self.view();
        SharedState { yaml: self.yaml.clone(), time_ms: self.now, speed: self.speed, view, selected }
    }

    /// Replaces the editor's text with outside content and starts it from time 0.
    pub fn load(&mut self, yaml: String) {
        self.load_at(yaml, 0);
    }

    fn load_at(&mut self, yaml: String, at: Millis) {
        self.base = yaml.clone();
        self.yaml = yaml;
        self.yaml_revision += 1;
        self.pending = None;
        self.selected_pod = None;
        self.selected_container = None;
        self.shell = None;
        self.terminal = Rc::default();
        self.send_selection();
        self.recipe = Recipe { yaml: self.yaml.clone(), inputs: Rc::default(), at, notice: None };
        self.load_recipe();
    }

    /// Restores a share link: its scenario at its time and speed, showing what it showed. A link
    /// opens paused, whatever it was doing, so that nothing runs before the reader looks.
    pub fn open_link(&mut self, link: SharedState) {
        if self.playing {
            self.playing = false;
            self.send(Request::Pause);
        }
        if link.speed > 0 {
            self.set_speed(nearest_speed(link.speed));
        }
        self.load_at(link.yaml, link.time_ms);
        let pod =
            link.selected.as_deref().and_then(|s| s.strip_prefix("Pod/")).and_then(|s| s.split_once('/'));
        if let Some((namespace, name)) = pod {
            self.selected_pod = Some((namespace.to_string(), name.to_string()));
            self.selected_container =
                link.view.strip_prefix("pod.").filter(|c| !c.is_empty()).map(str::to_string);
            self.send_selection();
        }
    }

    /// Shows the state at a virtual instant; the worker gets there in slices, reporting progress.
    pub fn seek(&mut self, at: Millis) {
        self.send(Request::Seek { at });
    }

    pub fn set_speed(&mut self, speed: u32) {
        self.speed = speed.clamp(1, 60);
        self.send(Request::Speed { speed: self.speed });
    }

    pub fn set_playing(&mut self, playing: bool) {
        self.playing = playing;
        self.send(if playing { Request::Play } else { Request::Pause });
    }

    fn send(&mut self, request: Request) {
        self.outbox.push(request);
    }

    fn send_selection(&mut self) {
        let selection = Selection {
            pod: self.selected_pod.clone(),
            container: self.selected_container.clone(),
            first_pod: self.first_pod,
            lanes: self.lanes,
        };
        self.send(Request::Select { selection });
    }

    /// Has the worker run the editor's text afresh from time 0.
    fn restart(&mut self) {
        self.recipe = Recipe { yaml: self.yaml.clone(), inputs: Rc::default(), at: 0, notice: None };
        self.load_recipe();
    }

    /// Has the worker run the recipe: its text, inputs and instant.
    fn load_recipe(&mut self) {
        let id = self.next_id;
        self.next_id += 1;
        let recipe = self.recipe.clone();
        self.send(Request::Load {
            id,
            yaml: recipe.yaml,
            inputs: (*recipe.inputs).clone(),
            at: recipe.at,
            notice: recipe.notice,
        });
        self.changed_cells.clear();
        self.address_changes.clear();
    }

    /// Loads offered content now, or asks first when it would replace unsaved work.
    fn offer(&mut self, offer: Pending) {
        if self.unsaved() && self.yaml != offer.yaml {
            self.pending = Some(offer);
            return;
        }
        match offer.shared {
            Some(link) => self.open_link(link),
            None => self.load(offer.yaml),
        }
    }

    /// Carries out a host page's request, or passes it to the worker and answers when it has.
    fn host(&mut self, request: Inbound, peer: Peer) {
        match request {
            Inbound::Load { yaml } => {
                // The learner's unsaved edits are never replaced without asking, as for links.
                self.offer(Pending { label: "the scenario this page sent".to_string(), yaml, shared: None });
                if self.pending.is_none() {
                    Rc::make_mut(&mut self.host_loads.0).push((self.next_id - 1, peer));
                }
            }
            Inbound::Play => self.set_playing(true),
            Inbound::Pause => self.set_playing(false),
            Inbound::Seek { t } => self.seek(t),
            Inbound::Speed { value } => self.set_speed(nearest_speed(value)),
            Inbound::Run { command } => {
                if command.trim().is_empty() {
                    let result =
                        Outbound::CommandResult { command: String::new(), output: String::new(), ok: true };
                    self.bridge.send(peer, result.to_json());
                    return;
                }
                let id = self.next_id;
                self.next_id += 1;
                Rc::make_mut(&mut self.host_runs.0).push((id, peer));
                self.run_line(id, command);
            }
            // The host asked after a seek, or before the first snapshot: it hears the state the
            // simulation arrives at.
            Inbound::GetState if self.seeking.is_some() || self.host_state.is_none() => {
                self.bridge.defer_state(peer)
            }
            Inbound::GetState => {
                let now = self.host_state.clone().unwrap_or_default();
                self.bridge.send(peer, (*now).clone());
            }
            Inbound::Subscribe => {
                match self.host_state.clone() {
                    Some(now) => self.bridge.send(peer.clone(), (*now).clone()),
                    None => self.bridge.defer_state(peer.clone()),
                }
                self.bridge.subscribe(peer);
            }
            Inbound::Unsubscribe => self.bridge.unsubscribe(&peer),
        }
    }

    /// Runs one terminal line in the worker; `kubectl apply -f -` applies the editor's text.
    fn run_line(&mut self, id: u64, line: String) {
        let line = line.trim().to_string();
        if line.is_empty() {
            return;
        }
        let yaml = self.yaml.clone();
        self.send(Request::Run { id, line, yaml });
    }

    /// Takes in what the worker said.
    fn report(&mut self, report: Report) {
        self.reports += 1;
        match report {
            Report::View { view } => self.take_view(*view),
            Report::Loaded { id, problems, notice } => {
                self.problems = problems;
                if let Some((text, true)) = &notice {
                    let first = self.problems.first().map(|p| format!(": {p}")).unwrap_or_default();
                    if let Some(index) = self.host_loads.0.iter().position(|(i, _)| *i == id) {
                        let (_, peer) = Rc::make_mut(&mut self.host_loads.0).remove(index);
                        let message = Outbound::Error { message: format!("{text}{first}") }.to_json();
                        self.bridge.send(peer, message);
                    }
                }
                Rc::make_mut(&mut self.host_loads.0).retain(|(i, _)| *i > id);
            }
            Report::Problems { problems } => self.problems = problems,
            Report::Ran { id, at, command, output, ok } => {
                if let Some(index) = self.host_runs.0.iter().position(|(i, _)| *i == id) {
                    let (_, peer) = Rc::make_mut(&mut self.host_runs.0).remove(index);
                    let result =
                        Outbound::CommandResult { command: command.clone(), output: output.clone(), ok };
                    self.bridge.send(peer, result.to_json());
                }
                let terminal = Rc::make_mut(&mut self.terminal);
                terminal.push(TerminalEntry { at, command, output, ok });
                // A long transcript costs render time without helping anyone; keep the recent part.
                if terminal.len() > 200 {
                    let excess = terminal.len() - 200;
                    terminal.drain(..excess);
                }
            }
            Report::Inputs { inputs } => self.recipe.inputs = Rc::new(inputs),
        }
    }

    /// Shows a snapshot, highlighting what changed since the one before.
    fn take_view(&mut self, view: View) {
        self.frame += 1;
        self.revision = view.revision;
        self.answered = self.answered.max(self.worker_base + view.handled);
        if self.answered >= self.outbox.queued() {
            // Nothing asked since is still on its way: the worker's word on playing stands.
            self.playing = view.playing;
            self.speed = view.speed;
        }
        self.now = view.now;
        self.recipe.at = view.now;
        self.horizon = view.horizon;
        self.rewound = view.rewound;
        self.seeking = view.seeking;
        self.behind = view.behind;
        self.notice = view.notice;
        self.title = view.title;
        self.scenario = view.scenario;
        if *self.marks != view.marks {
            self.marks = Rc::new(view.marks);
        }
        if view.highlight {
            self.highlight(&view.rows, &view.endpoints);
        } else {
            self.changed_cells.clear();
            self.address_changes.clear();
        }
        let frame = self.frame;
        self.changed_cells.retain(|_, f| frame - *f < HIGHLIGHT_FRAMES);
        self.address_changes.retain(|_, (_, f)| frame - *f < HIGHLIGHT_FRAMES * 2);
        self.rows = Rc::new(view.rows);
        self.endpoints = Rc::new(view.endpoints);
        if *self.workloads != view.workloads {
            self.workloads = Rc::new(view.workloads);
        }
        self.events = Rc::new(view.events);
        self.detail = view.detail.map(Rc::new);
        if self.opening && self.answered >= self.opening_until && self.seeking.is_none() {
            self.opening = false;
        }
        if let Some(HostReport { state, changes }) = view.host {
            self.bridge.report(changes);
            let state = Rc::new(state);
            self.host_state = Some(state.clone());
            if self.seeking.is_none() && self.bridge.has_deferred() {
                self.bridge.answer_deferred((*state).clone());
            }
        }
    }

    /// Records which cells of the tables changed from the last snapshot to `rows` and `endpoints`.
    fn highlight(&mut self, rows: &[PodRow], endpoints: &[EndpointsView]) {
        let old: BTreeMap<&str, &PodRow> = self.rows.iter().map(|r| (r.name.as_str(), r)).collect();
        for row in rows {
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
        let old: BTreeMap<&str, &EndpointsView> =
            self.endpoints.iter().map(|e| (e.name.as_str(), e)).collect();
        for view in endpoints {
            let before: &[String] = old.get(view.name.as_str()).map_or(&[], |e| e.addresses.as_slice());
            for address in view.addresses.iter().filter(|a| !before.contains(a)) {
                self.address_changes
                    .insert((view.name.clone(), address.clone()), (AddressChange::Added, self.frame));
            }
            for address in before.iter().filter(|a| !view.addresses.contains(a)) {
                self.address_changes
                    .insert((view.name.clone(), address.clone()), (AddressChange::Removed, self.frame));
            }
        }
    }

    /// The worker stopped: nothing is under way any more, and the page says why.
    fn stopped(&mut self, reason: String) {
        self.simulation = Simulation::Stopped { reason };
        self.playing = false;
        self.seeking = None;
        self.behind = false;
        Rc::make_mut(&mut self.host_runs.0).clear();
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut state = (*self).clone();
        match action {
            Action::Fade => {
                if state.playing || !state.fading() {
                    return self;
                }
                state.fade();
            }
            Action::Play => state.set_playing(true),
            Action::Pause => state.set_playing(false),
            Action::SetSpeed(speed) => state.set_speed(speed),
            Action::Step => state.send(Request::Step),
            Action::NextEvent => state.send(Request::NextEvent),
            Action::Seek(at) => state.seek(at),
            Action::StopSeek => state.send(Request::StopSeek),
            Action::Edit(text) => {
                if text == state.yaml {
                    return self;
                }
                state.yaml = text;
            }
            Action::Validate => {
                let yaml = state.yaml.clone();
                state.send(Request::Validate { yaml });
            }
            Action::Apply => {
                let yaml = state.yaml.clone();
                state.send(Request::Apply { yaml });
            }
            Action::Reset => state.restart(),
            Action::Run(line) => {
                if line.trim().is_empty() {
                    return self;
                }
                state.run_line(0, line);
            }
            Action::SelectPod(namespace, name) => {
                state.selected_pod = Some((namespace, name));
                state.selected_container = None;
                state.send_selection();
            }
            Action::SelectContainer(name) => {
                state.selected_container = Some(name);
                state.send_selection();
            }
            Action::OpenShell(target) => state.shell = target,
            Action::ClearTerminal => state.terminal = Rc::default(),
            Action::Pick { label, yaml } => state.offer(Pending { label, yaml, shared: None }),
            Action::OpenLink(link) => {
                state.link_error = None;
                state.offer(Pending {
                    label: "the shared link".to_string(),
                    yaml: link.yaml.clone(),
                    shared: Some(link),
                });
            }
            Action::LinkFailed(message) => state.link_error = Some(message),
            Action::DismissLinkError => state.link_error = None,
            Action::KeepWork => state.pending = None,
            Action::Replace => {
                if let Some(offer) = state.pending.take() {
                    match offer.shared {
                        Some(link) => state.open_link(link),
                        None => state.load(offer.yaml),
                    }
                }
            }
            Action::Shared => state.base = state.yaml.clone(),
            Action::Host(request, peer) => state.host(request, peer),
            Action::StorageFailed(reason) => state.storage_problem = Some(reason),
            Action::StorageWorks => state.storage_problem = None,
            Action::Report(report) => {
                if matches!(state.simulation, Simulation::Stopped { .. }) {
                    return self;
                }
                state.report(report);
            }
            Action::SimulationFailed(reason) => {
                if matches!(state.simulation, Simulation::Stopped { .. }) {
                    return self;
                }
                state.stopped(format!("The simulation stopped: {reason}"));
            }
            Action::StopSimulation => {
                state.stopped("You stopped the simulation, which had not answered for a while.".to_string())
            }
            Action::RestartSimulation => {
                state.simulation = Simulation::Running;
                state.generation += 1;
                // The new worker starts from scratch: everything the page asks of it is sent again.
                state.outbox = Outbox { letters: Rc::default(), next: state.outbox.next };
                state.answered = state.outbox.next;
                state.worker_base = state.outbox.next;
                // The run first, so that the first snapshot already shows it.
                state.load_recipe();
                if state.embedded {
                    state.report_to_host();
                }
                let speed = state.speed;
                state.send(Request::Speed { speed });
                state.send_selection();
            }
        }
        Rc::new(state)
    }
}

/// The offered speed closest to `speed` (the slower one on a tie).
pub fn nearest_speed(speed: u32) -> u32 {
    SPEEDS.iter().copied().min_by_key(|s| s.abs_diff(speed)).unwrap_or(1)
}
