//! The facade the CLI and the browser use: load a scenario, advance virtual time, run commands,
//! read what `kubectl` would show. A `Simulation` is a value: cloning it is a checkpoint, and
//! re-running the same inputs from a checkpoint reproduces the same future exactly.

use serde::Serialize;

use crate::api::ApiStore;
use crate::duration::Millis;
use crate::events::Occurrence;
use crate::kubectl::print::PodRow;
use crate::manifest::{Diagnostic, ScenarioSpec};

/// One probe execution, for the CLI's `probes` array and the UI's probe timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProbeRecord {
    pub at: Millis,
    pub namespace: String,
    pub pod: String,
    pub container: String,
    /// `liveness`, `readiness` or `startup`.
    pub probe: String,
    /// `success`, `failure`, `warning`, `error` (discarded) or `unknown`.
    pub result: String,
    pub output: String,
    /// The worker's consecutive count of this result after the run, and the threshold it counts toward.
    pub run: u32,
    pub threshold: u32,
}

/// Kubelet actions and state changes the API does not keep, for the UI's timeline and explanations.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Trace {
    /// A container instance started (restart count of the new instance).
    Started { at: Millis, namespace: String, pod: String, container: String, restart_count: i32 },
    /// The kubelet began killing a container (with the reason it gave and the grace period).
    Killing { at: Millis, namespace: String, pod: String, container: String, reason: String, grace_seconds: i64 },
    /// A container's main process ended.
    Exited { at: Millis, namespace: String, pod: String, container: String, exit_code: i32, reason: String },
    /// A start was refused because of CrashLoopBackOff; the restart will not happen before `until`.
    BackOff { at: Millis, namespace: String, pod: String, container: String, backoff: Millis, until: Millis },
    /// A probe result crossed its threshold and changed the cached result.
    ResultChanged { at: Millis, namespace: String, pod: String, container: String, probe: String, result: String },
    /// A scripted or typed command ran.
    Command { at: Millis, command: String },
}

/// The output of one command line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CommandOutput {
    /// What `kubectl` prints on stdout and stderr, in order.
    pub text: String,
    pub ok: bool,
}

/// One Service's endpoints at an instant, for the JSON timeline and the UI.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EndpointsView {
    pub name: String,
    pub namespace: String,
    pub addresses: Vec<String>,
    pub not_ready_addresses: Vec<String>,
}

/// A running simulation.
#[derive(Clone)]
pub struct Simulation {
    api: ApiStore,
    now: Millis,
    scenario: ScenarioSpec,
}

impl Simulation {
    /// Parses a scenario file and applies its manifests at time 0. Returns every located error on
    /// failure; warnings of a valid file are available from [`Simulation::warnings`].
    pub fn load(text: &str) -> Result<Simulation, Vec<Diagnostic>> {
        let parsed = crate::manifest::parse(text)?;
        Ok(Simulation { api: ApiStore::new(&parsed.scenario.nodes), now: 0, scenario: parsed.scenario })
    }

    /// Warnings found when the file was loaded or last applied.
    pub fn warnings(&self) -> &[Diagnostic] {
        &[]
    }

    /// The scenario's metadata and steps.
    pub fn scenario(&self) -> &ScenarioSpec {
        &self.scenario
    }

    /// Current virtual time.
    pub fn now(&self) -> Millis {
        self.now
    }

    /// Advances virtual time to `until`, processing every event and scripted step up to and
    /// including that instant. Time never goes backwards: an earlier `until` does nothing.
    pub fn run_until(&mut self, until: Millis) {
        self.now = self.now.max(until);
    }

    /// The next instant after now at which something is scheduled to happen, if any.
    pub fn next_event_time(&self) -> Option<Millis> {
        None
    }

    /// Runs one command line of the command language at the current instant.
    pub fn execute(&mut self, line: &str) -> CommandOutput {
        CommandOutput { text: format!("error: cannot run {line:?} yet\n"), ok: false }
    }

    /// `kubectl apply` of a whole new file at the current instant, pruning objects the new file no
    /// longer holds; time is not reset.
    pub fn apply_file(&mut self, text: &str) -> Result<Vec<String>, Vec<Diagnostic>> {
        crate::manifest::parse(text).map(|_| Vec::new())
    }

    /// The API state `kubectl` reads.
    pub fn api(&self) -> &ApiStore {
        &self.api
    }

    /// `kubectl get pods -o wide` rows for every pod, sorted by namespace and name.
    pub fn pod_rows(&self) -> Vec<PodRow> {
        self.api.pods.values().map(|p| crate::kubectl::print::pod_row(p, self.now)).collect()
    }

    /// Every Service's endpoints now.
    pub fn endpoints(&self) -> Vec<EndpointsView> {
        Vec::new()
    }

    /// Every event occurrence so far.
    pub fn event_log(&self) -> &[Occurrence] {
        &[]
    }

    /// Every probe execution so far.
    pub fn probe_log(&self) -> &[ProbeRecord] {
        &[]
    }

    /// Kubelet actions so far.
    pub fn trace(&self) -> &[Trace] {
        &[]
    }

    /// The files of a pod's container (its newest instance), for the file browser.
    pub fn container_files(&self, _namespace: &str, _pod: &str, _container: &str) -> Option<Vec<crate::container::FileEntry>> {
        None
    }
}
