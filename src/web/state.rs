//! All application state in one reducer. The reducer drives the simulation: every change of virtual
//! time or of the cluster goes through an [`Action`]. The wall clock never reaches the engine: a
//! timer only dispatches [`Action::Tick`], which advances virtual time by a fixed step times the speed.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use yew::Reducible;

use crate::duration::{Millis, SECOND};
use crate::embed::{Inbound, Outbound, State as HostState};
use crate::kubectl::print::PodRow;
use crate::manifest::Diagnostic;
use crate::share::SharedState;
use crate::sim::{EndpointsView, Simulation};

use super::bridge::{Bridge, Peer};
use crate::timeline::{Input, Timeline};

/// Real milliseconds between two ticks while playing; each tick advances `speed × TICK_MS` of
/// virtual time.
pub const TICK_MS: u32 = 100;
pub use crate::sim::SPEEDS;
/// How much virtual time a seek simulates at once, before the page is drawn and may answer input.
/// Seeks shorter than this (stepping through a lab, a link a minute in) finish in one go; longer ones
/// continue in slices that [`crate::web::hooks::use_seek_slices`] sizes by how long they take.
pub const FIRST_SLICE_MS: Millis = 60 * SECOND;
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

/// A seek still under way: virtual time is simulated towards `target` a slice at a time, so that the
/// page stays responsive however costly the scenario is, and the learner can stop it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Seeking {
    /// Where the seek started, and where it goes.
    pub from: Millis,
    pub target: Millis,
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
    /// A long seek under way, shown with its progress and a way to stop it.
    pub seeking: Option<Seeking>,
    /// Shared, so that copying the state for an action and handing rows to the table cost nothing.
    pub rows: Rc<Vec<PodRow>>,
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
    /// Shared like `rows`; changed through `Rc::make_mut`.
    pub terminal: Rc<Vec<TerminalEntry>>,
    /// A notice for the status line (apply results, load errors).
    pub notice: Option<(String, bool)>,
    /// The last content loaded from the gallery, a share link or the host page. The editor holds
    /// unsaved work exactly when its text differs from this.
    pub base: String,
    /// Content waiting for the learner's choice, because loading it would replace unsaved work.
    pub pending: Option<Pending>,
    /// Why a share link could not be opened, until dismissed.
    pub link_error: Option<String>,
    /// Why the browser would not keep the autosave, while it does not. The page says so (when
    /// there is unsaved work) and offers the work as a download.
    pub storage_problem: Option<String>,
    /// The host page's subscribers, when the playground is embedded, and the messages the reducer
    /// queued for the host; the App posts them in an effect.
    pub bridge: Bridge,
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
    /// One tick of the play timer.
    Tick,
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
    /// Simulate the next slice of a long seek: at most this much virtual time.
    SeekSlice(Millis),
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
            seeking: None,
            rows: Rc::default(),
            endpoints: Vec::new(),
            changed_cells: BTreeMap::new(),
            address_changes: BTreeMap::new(),
            selected_pod: None,
            selected_container: None,
            shell: None,
            terminal: Rc::default(),
            notice,
            base: String::new(),
            pending: None,
            link_error: None,
            storage_problem: None,
            bridge: Bridge::default(),
        };
        state.base = state.yaml.clone();
        state.refresh(false);
        state
    }

    /// The state for a scenario text that is shown but not run: an empty cluster, and a notice that
    /// says why. Used for saved work whose last opening never finished, so that a file which froze
    /// the page once is not run again before the learner asks (Reset).
    pub fn held(yaml: String, base: String) -> State {
        let mut state = State::new(String::new());
        state.yaml = yaml;
        state.base = base;
        state.notice = Some((
            "Last time, this file did not finish opening (the tab was closed while it ran), so it is in the editor but not running. Press Reset to run it.".to_string(),
            true,
        ));
        state
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

    /// The flash class slot of a change made in `frame`, while it is highlighted.
    fn flash_slot(&self, frame: u64) -> Option<u8> {
        let age = self.frame.saturating_sub(frame);
        (age < HIGHLIGHT_FRAMES).then_some((frame % FLASH_SLOTS) as u8)
    }

    /// Whether highlights are still fading, so that frames must pass while the clock stands still.
    pub fn fading(&self) -> bool {
        !self.changed_cells.is_empty() || !self.address_changes.is_empty()
    }

    /// Moves the highlights one frame on and forgets those that faded out.
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
        self.base = yaml.clone();
        self.yaml = yaml;
        self.yaml_revision += 1;
        self.pending = None;
        self.selected_pod = None;
        self.selected_container = None;
        self.shell = None;
        self.terminal = Rc::default();
        self.restart();
    }

    /// Restores a share link: its scenario at its time and speed, showing what it showed. A link
    /// opens paused, whatever it was doing, so that nothing runs before the reader looks.
    pub fn open_link(&mut self, link: SharedState) {
        self.load(link.yaml);
        self.playing = false;
        if link.speed > 0 {
            self.speed = nearest_speed(link.speed);
        }
        if link.time_ms > 0 {
            self.seek(link.time_ms);
        }
        let pod =
            link.selected.as_deref().and_then(|s| s.strip_prefix("Pod/")).and_then(|s| s.split_once('/'));
        if let Some((namespace, name)) = pod {
            self.selected_pod = Some((namespace.to_string(), name.to_string()));
            self.selected_container =
                link.view.strip_prefix("pod.").filter(|c| !c.is_empty()).map(str::to_string);
        }
    }

    /// Shows the state at a virtual instant. The first [`FIRST_SLICE_MS`] of the way are simulated
    /// now; if more remains, the seek goes on in slices ([`Action::SeekSlice`]) and the page shows
    /// its progress meanwhile.
    pub fn seek(&mut self, at: Millis) {
        let from = self.now;
        self.world.timeline.borrow_mut().rewind_for(at);
        self.seeking = Some(Seeking { from, target: at });
        self.seek_slice(FIRST_SLICE_MS);
    }

    /// Simulates up to `slice` more of the seek under way, and ends it when it has arrived.
    fn seek_slice(&mut self, slice: Millis) {
        let Some(seeking) = self.seeking else { return };
        let now = self.world.timeline.borrow().now();
        let next = now.saturating_add(slice.max(1)).min(seeking.target);
        self.world.timeline.borrow_mut().advance_to(next);
        self.refresh(false);
        if self.now >= seeking.target {
            self.end_seek();
        }
    }

    /// Ends the seek under way, where it is, and answers the host's requests that waited for it.
    fn end_seek(&mut self) {
        self.seeking = None;
        if self.bridge.has_deferred() {
            let now = self.host_state();
            self.bridge.answer_deferred(now);
        }
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

    /// What the host page's `state` message says now.
    fn host_state(&self) -> HostState {
        let timeline = self.world.timeline.borrow();
        HostState::from_snapshot(&timeline.sim().snapshot(), self.now, self.playing, self.speed)
    }

    /// Carries out a host page's request and answers it.
    fn host(&mut self, request: Inbound, peer: Peer) {
        match request {
            Inbound::Load { yaml } => {
                // The learner's unsaved edits are never replaced without asking, as for links.
                self.offer(Pending { label: "the scenario this page sent".to_string(), yaml, shared: None });
                if self.pending.is_some() {
                    return;
                }
                if let Some((notice, true)) = &self.notice {
                    let first = self.problems.first().map(|p| format!(": {p}")).unwrap_or_default();
                    self.bridge.send(peer, Outbound::Error { message: format!("{notice}{first}") });
                }
            }
            Inbound::Play => self.playing = true,
            Inbound::Pause => self.playing = false,
            Inbound::Seek { t } => self.seek(t),
            Inbound::Speed { value } => self.speed = nearest_speed(value),
            Inbound::Run { command } => {
                // A non-empty line always leaves exactly one entry, the last, in the transcript.
                let ran = !command.trim().is_empty();
                self.run_line(command.clone());
                let entry = self.terminal.last().filter(|_| ran);
                let (output, ok) = entry.map_or((String::new(), true), |e| (e.output.clone(), e.ok));
                let result = Outbound::CommandResult { command: command.trim().to_string(), output, ok };
                self.bridge.send(peer, result);
            }
            // The host asked after a seek: it hears the state the seek arrives at.
            Inbound::GetState if self.seeking.is_some() => self.bridge.defer_state(peer),
            Inbound::GetState => {
                let now = self.host_state();
                self.bridge.send(peer, Outbound::State(now));
            }
            Inbound::Subscribe => {
                let now = self.host_state();
                self.bridge.send(peer.clone(), Outbound::State(now.clone()));
                self.bridge.subscribe(peer, now);
            }
            Inbound::Unsubscribe => self.bridge.unsubscribe(&peer),
        }
    }

    /// Runs one terminal line; `kubectl apply -f -` applies the editor's text.
    fn run_line(&mut self, line: String) {
        let line = line.trim().to_string();
        if line.is_empty() {
            return;
        }
        if is_apply_stdin(&line) {
            let text = self.yaml.clone();
            self.run_input(Input::Apply(text), line);
        } else {
            self.run_input(Input::Command(line.clone()), line);
        }
    }

    /// Replaces the world with a fresh run of the editor's text.
    fn restart(&mut self) {
        let (sim, problems, notice) = load(&self.yaml);
        self.world =
            World { timeline: Rc::new(RefCell::new(Timeline::new(sim))), revision: self.world.revision + 1 };
        self.problems = problems;
        self.notice = notice;
        self.playing = self.playing && self.notice.is_none();
        self.rows = Rc::default();
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
                Rc::make_mut(&mut self.terminal).push(TerminalEntry {
                    at: now,
                    command,
                    output: out.text,
                    ok: out.ok,
                });
            }
            Err(problems) => {
                let output = problems.iter().map(|d| format!("error: {d}\n")).collect();
                Rc::make_mut(&mut self.terminal).push(TerminalEntry { at: now, command, output, ok: false });
                self.problems = problems;
            }
        }
        // A long transcript costs render time without helping anyone; keep the recent part.
        if self.terminal.len() > 200 {
            let excess = self.terminal.len() - 200;
            Rc::make_mut(&mut self.terminal).drain(..excess);
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
            let old: BTreeMap<&str, &EndpointsView> =
                self.endpoints.iter().map(|e| (e.name.as_str(), e)).collect();
            for view in &endpoints {
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
        } else {
            self.changed_cells.clear();
            self.address_changes.clear();
        }
        let frame = self.frame;
        self.changed_cells.retain(|_, f| frame - *f < HIGHLIGHT_FRAMES);
        self.address_changes.retain(|_, (_, f)| frame - *f < HIGHLIGHT_FRAMES * 2);
        self.rows = Rc::new(rows);
        self.endpoints = endpoints;
        // Subscribers hear of every change as the clock reaches it, including after a seek.
        if self.bridge.has_subscribers() {
            let now = self.host_state();
            self.bridge.report(now);
        }
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut state = (*self).clone();
        // Moving time or acting otherwise ends a seek under way, where it has got to.
        let keeps_seeking = matches!(
            action,
            Action::SeekSlice(_)
                | Action::Seek(_)
                | Action::Fade
                | Action::Edit(_)
                | Action::Validate
                | Action::SelectPod(..)
                | Action::SelectContainer(_)
                | Action::OpenShell(_)
                | Action::ClearTerminal
                | Action::LinkFailed(_)
                | Action::DismissLinkError
                | Action::Shared
                | Action::StorageFailed(_)
                | Action::StorageWorks
                | Action::Host(
                    Inbound::GetState | Inbound::Subscribe | Inbound::Unsubscribe | Inbound::Seek { .. },
                    _
                )
        );
        if state.seeking.is_some() && !keeps_seeking {
            state.end_seek();
        }
        match action {
            Action::Tick => {
                if !state.playing || self.seeking.is_some() {
                    return self;
                }
                let target = state.now + Millis::from(state.speed) * Millis::from(TICK_MS);
                super::perf::engine(|| {
                    state.world.timeline.borrow_mut().advance_to(target);
                    state.refresh(true);
                });
            }
            Action::Fade => {
                if state.playing || !state.fading() {
                    return self;
                }
                state.fade();
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
            Action::Seek(at) => state.seek(at),
            Action::SeekSlice(slice) => state.seek_slice(slice),
            Action::StopSeek => {}
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
            Action::Run(line) => {
                if line.trim().is_empty() {
                    return self;
                }
                state.run_line(line);
            }
            Action::SelectPod(namespace, name) => {
                state.selected_pod = Some((namespace, name));
                state.selected_container = None;
            }
            Action::SelectContainer(name) => state.selected_container = Some(name),
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
        }
        Rc::new(state)
    }
}

/// The offered speed closest to `speed` (the slower one on a tie).
pub fn nearest_speed(speed: u32) -> u32 {
    SPEEDS.iter().copied().min_by_key(|s| s.abs_diff(speed)).unwrap_or(1)
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
            // now, while the page loads the scenario, rather than in the first frame of playing.
            sim.run_until(0);
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
