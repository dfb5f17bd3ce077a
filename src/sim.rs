//! The facade the CLI and the browser use: load a scenario, advance virtual time, run commands,
//! read what `kubectl` would show.
//!
//! A `Simulation` is a value: cloning it is a checkpoint, and re-running the same inputs from a
//! checkpoint reproduces the same future exactly, which is how the browser rewinds.

use serde::Serialize;

use crate::api::ApiStore;
use crate::duration::Millis;
use crate::engine::World;
use crate::events::Occurrence;
use crate::kubectl::command::{self, Command};
use crate::kubectl::print::PodRow;
use crate::manifest::{Diagnostic, ParsedFile, ScenarioSpec};

pub use crate::engine::{ProbeKind, ProbeRecord, Trace};

mod next;

pub use next::MAX_LOOKAHEAD_STEPS;

/// The playback speeds the playground offers, as multiples of real time: the Speed select, the
/// embed URL's `speed=` and the `speed` message all offer these.
pub const SPEEDS: [u32; 6] = [1, 2, 5, 10, 30, 60];

/// The output of one command line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CommandOutput {
    /// What `kubectl` prints on stdout and stderr, in order.
    pub text: String,
    pub ok: bool,
}

impl CommandOutput {
    fn ok(text: impl Into<String>) -> Self {
        CommandOutput { text: text.into(), ok: true }
    }
    fn err(text: impl Into<String>) -> Self {
        let mut text = text.into();
        if !text.ends_with('\n') {
            text.push('\n');
        }
        CommandOutput { text, ok: false }
    }
}

/// One Service's endpoints at an instant, for the JSON timeline and the UI.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EndpointsView {
    pub name: String,
    pub namespace: String,
    /// `ip:port` of ready addresses, for every port of every subset.
    pub addresses: Vec<String>,
    pub not_ready_addresses: Vec<String>,
}

/// One container's state in the JSON timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerView {
    pub name: String,
    /// `waiting`, `running` or `terminated`.
    pub state: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub ready: bool,
    pub started: bool,
    pub restart_count: i32,
}

/// One pod in the JSON timeline (README.md, "The command line").
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodView {
    pub name: String,
    pub namespace: String,
    pub phase: String,
    pub ready: String,
    pub status: String,
    pub restarts: i64,
    pub restarts_column: String,
    pub age: String,
    pub ip: String,
    pub node: String,
    pub deleting: bool,
    pub containers: Vec<ContainerView>,
}

/// What the API shows at one instant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Snapshot {
    /// Whole seconds.
    pub t: u64,
    pub pods: Vec<PodView>,
    pub endpoints: Vec<EndpointsView>,
}

/// A running simulation.
#[derive(Clone)]
pub struct Simulation {
    world: World,
    scenario: ScenarioSpec,
    source: String,
    warnings: Vec<Diagnostic>,
    /// The loaded file's tasks (`crate::tasks`); like its steps, kept from the load.
    tasks: Vec<crate::tasks::Task>,
}

impl Simulation {
    /// Parses a scenario file and applies its manifests at time 0, like `kubectl apply -f` on an
    /// empty cluster. Returns every located error on failure.
    pub fn load(text: &str) -> Result<Simulation, Vec<Diagnostic>> {
        let parsed = crate::manifest::parse(text)?;
        let spec = &parsed.scenario;
        let mut world = World::new(&spec.nodes, spec.seed, spec.kubernetes_version);
        let objects: Vec<crate::manifest::Object> = parsed.objects.iter().map(|(o, _)| o.clone()).collect();
        world.images.pulls = parsed.image_pulls;
        world.prepare_images(&parsed.images, &objects);
        let mut sim = Simulation {
            world,
            scenario: parsed.scenario.clone(),
            source: text.to_string(),
            warnings: parsed.warnings.clone(),
            tasks: parsed.tasks.clone(),
        };
        // What the API server refuses at load is kubectl's error output, which nobody sees; the
        // objects refused for their namespace are reported as located warnings instead.
        let refusals = sim.apply_refusals(&parsed);
        sim.warnings.extend(refusals);
        sim.warnings.sort_by_key(|d| (d.line, d.column));
        for (i, step) in sim.scenario.steps.iter().enumerate() {
            sim.world.schedule_step(step.at, i);
        }
        sim.world.settle();
        Ok(sim)
    }

    /// Warnings found when the file was loaded or last applied.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// The scenario's metadata and steps.
    pub fn scenario(&self) -> &ScenarioSpec {
        &self.scenario
    }

    /// The tasks of the file the simulation was loaded with.
    pub fn tasks(&self) -> &[crate::tasks::Task] {
        &self.tasks
    }

    /// The file last loaded or applied.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Current virtual time.
    pub fn now(&self) -> Millis {
        self.world.now
    }

    /// Advances virtual time to `until`, processing every event and scripted step up to and
    /// including that instant. Time never goes backwards: an earlier `until` does nothing.
    pub fn run_until(&mut self, until: Millis) {
        loop {
            self.world.run_until(until);
            let due = self.world.take_due_steps();
            if due.is_empty() {
                break;
            }
            for index in due {
                let Some(step) = self.scenario.steps.get(index) else { continue };
                let line = step.run.clone();
                self.execute(&line);
            }
        }
    }

    /// The next instant after now at which something is scheduled to happen, if any.
    pub fn next_event_time(&self) -> Option<Millis> {
        self.world.next_event_time().filter(|t| *t > self.world.now).or_else(|| self.world.next_event_time())
    }

    /// `kubectl apply` of a whole new file at the current instant, pruning objects the new file no
    /// longer holds; time is not reset. The file's Scenario document (steps, nodes) is kept from
    /// the original load except for its title and description.
    pub fn apply_file(&mut self, text: &str) -> Result<Vec<String>, Vec<Diagnostic>> {
        let parsed = crate::manifest::parse(text)?;
        self.source = text.to_string();
        self.warnings = parsed.warnings.clone();
        self.scenario.title = parsed.scenario.title.clone();
        self.scenario.description = parsed.scenario.description.clone();
        let out = self.apply_parsed(&parsed, true).map_err(|e| {
            vec![Diagnostic {
                severity: crate::manifest::Severity::Error,
                line: 1,
                column: 1,
                path: String::new(),
                message: e,
            }]
        })?;
        self.world.settle();
        Ok(out)
    }

    /// Applies a freshly loaded file; returns a located warning for each object the API server
    /// refused because of its namespace.
    fn apply_refusals(&mut self, parsed: &ParsedFile) -> Vec<Diagnostic> {
        let objects: Vec<crate::manifest::Object> = parsed.objects.iter().map(|(o, _)| o.clone()).collect();
        let w = &mut self.world;
        let mut ctx = crate::controllers::Context { now: w.now, rng: &mut w.rng, events: &mut w.recorder };
        let (_, refusals) = crate::controllers::apply_reporting(&mut w.api, &mut ctx, &objects, false);
        refusals
            .into_iter()
            .map(|(index, refusal)| {
                let (line, column) = parsed.namespace_positions.get(index).copied().unwrap_or((1, 1));
                let (kind, _) = objects[index].identity();
                Diagnostic {
                    severity: crate::manifest::Severity::Warning,
                    line,
                    column,
                    path: "metadata.namespace".to_string(),
                    message: format!(
                        "{}: the API server refuses this {kind}, so it is not created (define the Namespace before the objects in it)",
                        refusal.line()
                    ),
                }
            })
            .collect()
    }

    fn apply_parsed(&mut self, parsed: &ParsedFile, prune: bool) -> Result<Vec<String>, String> {
        let objects: Vec<crate::manifest::Object> = parsed.objects.iter().map(|(o, _)| o.clone()).collect();
        let w = &mut self.world;
        let mut ctx = crate::controllers::Context { now: w.now, rng: &mut w.rng, events: &mut w.recorder };
        crate::controllers::apply(&mut w.api, &mut ctx, &objects, prune)
    }

    /// Runs one command line of the command language at the current instant.
    pub fn execute(&mut self, line: &str) -> CommandOutput {
        let out = match command::parse(line) {
            Ok(cmd) => self.run_command(cmd),
            Err(e) => CommandOutput::err(e),
        };
        self.world.settle();
        self.world.logs.trace.push(Trace::Command {
            at: self.world.now,
            command: line.trim().to_string(),
            ok: out.ok,
        });
        out
    }

    fn run_command(&mut self, cmd: Command) -> CommandOutput {
        match crate::kubectl::execute(self, cmd) {
            Ok(text) => CommandOutput::ok(text),
            Err(text) => CommandOutput::err(text),
        }
    }

    /// The API state `kubectl` reads.
    pub fn api(&self) -> &ApiStore {
        &self.world.api
    }

    /// `kubectl get pods -o wide` rows for every pod, sorted by namespace and name.
    pub fn pod_rows(&self) -> Vec<PodRow> {
        self.world.api.pods.values().map(|p| crate::kubectl::print::pod_row(p, self.world.now)).collect()
    }

    /// Every Service's endpoints now.
    pub fn endpoints(&self) -> Vec<EndpointsView> {
        self.world
            .api
            .endpoints
            .iter()
            .map(|((ns, name), ep)| {
                let mut addresses = Vec::new();
                let mut not_ready = Vec::new();
                for subset in ep.subsets.iter().flatten() {
                    let ports: Vec<i32> = subset.ports.iter().flatten().map(|p| p.port).collect();
                    for port in &ports {
                        for a in subset.addresses.iter().flatten() {
                            addresses.push(format!("{}:{}", a.ip, port));
                        }
                        for a in subset.not_ready_addresses.iter().flatten() {
                            not_ready.push(format!("{}:{}", a.ip, port));
                        }
                    }
                }
                EndpointsView {
                    name: name.clone(),
                    namespace: ns.clone(),
                    addresses,
                    not_ready_addresses: not_ready,
                }
            })
            .collect()
    }

    /// What the API shows now, in the JSON timeline's shape.
    pub fn snapshot(&self) -> Snapshot {
        let now = self.world.now;
        let pods = self
            .world
            .api
            .pods
            .values()
            .map(|p| {
                let row = crate::kubectl::print::pod_row(p, now);
                let st = p.status.as_ref();
                let containers = row
                    .containers
                    .iter()
                    .map(|c| ContainerView {
                        name: c.name.clone(),
                        state: c.state.clone(),
                        reason: Some(c.reason.clone()).filter(|r| !r.is_empty()),
                        ready: c.ready,
                        started: c.started,
                        restart_count: c.restart_count,
                    })
                    .collect();
                PodView {
                    name: row.name,
                    namespace: row.namespace,
                    phase: row.phase,
                    ready: row.ready,
                    status: row.status,
                    restarts: row.restarts,
                    restarts_column: row.restarts_column,
                    age: row.age,
                    ip: st.and_then(|s| s.pod_ip.clone()).unwrap_or_default(),
                    node: p.spec.as_ref().and_then(|s| s.node_name.clone()).unwrap_or_default(),
                    deleting: row.deleting,
                    containers,
                }
            })
            .collect();
        Snapshot { t: now / 1000, pods, endpoints: self.endpoints() }
    }

    /// Every event occurrence so far.
    pub fn event_log(&self) -> &[Occurrence] {
        self.world.occurrences()
    }

    /// What the event recorder hid (spam filter, aggregation, de-duplication), one line each, for
    /// the Events panel.
    pub fn event_notes(&self) -> Vec<crate::events::EventNote> {
        self.world.recorder.notes()
    }

    /// Every probe execution so far.
    pub fn probe_log(&self) -> &[ProbeRecord] {
        &self.world.logs.probes
    }

    /// Kubelet actions so far.
    pub fn trace(&self) -> &[Trace] {
        &self.world.logs.trace
    }

    /// Every change of a container's `ready` flag as the API showed it, in time order.
    pub fn ready_log(&self) -> &[crate::engine::ReadyChange] {
        &self.world.logs.ready
    }

    /// Every stop signal the kubelet sent, in time order.
    pub fn signal_log(&self) -> &[crate::engine::SignalSent] {
        &self.world.logs.signals
    }

    /// The files of a pod's container (its newest instance), for the file browser.
    pub fn container_files(
        &self,
        namespace: &str,
        pod: &str,
        container: &str,
    ) -> Option<Vec<crate::container::FileEntry>> {
        let rt = self.world.pod_runtime(&(namespace.to_string(), pod.to_string()))?;
        let slot = rt.slot_index(container)?;
        Some(rt.slots[slot].latest()?.proc.files())
    }
}

/// The cluster the command language's verbs act on (`kubectl::verbs`).
impl crate::kubectl::Cluster for Simulation {
    fn world(&self) -> &World {
        &self.world
    }

    fn world_mut(&mut self) -> &mut World {
        &mut self.world
    }

    fn apply_editor(&mut self) -> Result<Vec<String>, Vec<Diagnostic>> {
        let text = self.source.clone();
        self.apply_file(&text)
    }
}
