//! The world: virtual time, the discrete-event queue, and the kubelet with its probe workers.
//!
//! # How time moves
//! Nothing here reads a clock. Every future action is an [`Ev`] in one priority queue ordered by
//! (instant, class, sequence number). [`World::run_until`] pops events in that order, so long quiet
//! stretches cost nothing and the same inputs always give the same history. Within one instant the
//! class decides the order, which encodes a rule of the reference model: probe ticks run before a
//! container's own actions, so a probe that falls on the same millisecond as a script's `rm` still
//! sees the file (`tests/transcripts/liveness-exec.yaml`: the `rm` at 30 s is first noticed by the probe at 35 s).
//!
//! After the events of an instant the world *settles*: the controllers react to API changes and
//! the kubelet to pod changes, which may enqueue more work at the same instant.
//!
//! # Layout
//! The world is made of parts that are borrowed separately, each with its own `impl` in its own
//! file: the event queue (`queue`), the pod runtimes (`pods`), the node address pools
//! (`ipam`), the API store (`crate::api`) and the event recorder (`crate::events`). The
//! behaviour is layered so that no module imports one above it:
//! - data: `runtime` (a pod's containers, instances and caches), `worker` (probe workers and their
//!   resolved specs);
//! - `config`: what the kubelet reads from ConfigMaps and Secrets (variables, volume files);
//! - `containers`: processes run up to now, exits noticed, wakes queued, volumes shared, syncs
//!   requested;
//! - `termination`: the termination message read when a container's process ends;
//! - `status`: API status generation (container statuses, phase, conditions), with `qos` (the
//!   QoS class, which `kubectl describe` uses too);
//! - `prober`: probe workers running the four probe mechanisms;
//! - `kubelet`: the pod worker's sync, with `kubelet/actions` (what to kill and start),
//!   `kubelet/kill` (stopping containers, hooks, blocked syncs) and `kubelet/start` (back-off and
//!   starting containers);
//! - `nodes`: kubelets stopped and started (`node stop`/`node start`), holding back their pods'
//!   events meanwhile.

mod cluster_services;
mod config;
mod containers;
mod history;
mod images;
mod ipam;
mod kubelet;
pub(crate) use kubelet::port_decls;
mod memory;
mod network;
mod nodes;
mod pods;
mod prober;
mod qos;
mod queue;
mod runtime;
mod status;
mod termination;
#[cfg(test)]
mod tests;
mod throttle;
pub(crate) mod timing;
pub(crate) mod worker;

use std::rc::Rc;

use serde::Serialize;

use crate::api::{ApiStore, ObjectKey};
use crate::duration::Millis;
use crate::events::{EventRecorder, Occurrence};
use crate::manifest::KubeVersion;
use crate::rng::Rng;

pub use history::{ReadyChange, SignalSent};
pub use qos::qos_class;
pub use runtime::{
    ExitReason, Instance, PodRuntime, PullPolicy, RestartPolicy, Slot, SlotKind, WaitingReason,
};

use ipam::Ipam;
use pods::PodTable;
use queue::EventQueue;

/// A handle to a pod runtime inside the kubelet (pods can reuse names, so not the API key). Ids are
/// never reused, so a handle kept past its pod's end (in a queued event) finds nothing, and every
/// lookup through one is a handled case, never a panic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PodId(u64);

impl PodId {
    fn index(self) -> usize {
        usize::try_from(self.0).unwrap_or(usize::MAX)
    }
}

/// Which probe a worker runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ProbeKind {
    Startup,
    Readiness,
    Liveness,
}

impl ProbeKind {
    /// The lower-case name used in JSON (`liveness`).
    pub fn as_str(self) -> &'static str {
        match self {
            ProbeKind::Startup => "startup",
            ProbeKind::Readiness => "readiness",
            ProbeKind::Liveness => "liveness",
        }
    }

    /// The capitalised name used in event messages (`Liveness probe failed: ...`).
    pub fn title(self) -> &'static str {
        match self {
            ProbeKind::Startup => "Startup",
            ProbeKind::Readiness => "Readiness",
            ProbeKind::Liveness => "Liveness",
        }
    }
}

/// The container a probe worker probes. Every record of the worker shares one, which keeps a
/// record small: an hour of a thousand pods is most of a million records.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProbeSubject {
    pub namespace: Rc<str>,
    pub pod: Rc<str>,
    pub container: Rc<str>,
}

/// One probe execution, for the CLI's `probes` array and the UI's probe timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProbeRecord {
    pub at: Millis,
    #[serde(flatten)]
    pub subject: Rc<ProbeSubject>,
    pub probe: ProbeKind,
    /// `success`, `failure`, `warning` (counted as success), or `error` (discarded).
    pub result: &'static str,
    pub output: Box<str>,
    /// The worker's consecutive count of this result after the run, and the threshold it counts
    /// toward (`failureThreshold` for failures, `successThreshold` for successes).
    pub run: u32,
    pub threshold: u32,
}

impl ProbeRecord {
    pub fn namespace(&self) -> &str {
        &self.subject.namespace
    }

    pub fn pod(&self) -> &str {
        &self.subject.pod
    }

    pub fn container(&self) -> &str {
        &self.subject.container
    }
}

/// Kubelet actions and state changes the API does not keep, for the UI's timeline and explanations.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Trace {
    /// A container instance started.
    #[serde(rename_all = "camelCase")]
    Started { at: Millis, namespace: Rc<str>, pod: Rc<str>, container: Rc<str>, restart_count: i32 },
    /// The kubelet began stopping a container: `reason` is the Killing event's message.
    #[serde(rename_all = "camelCase")]
    Killing {
        at: Millis,
        namespace: Rc<str>,
        pod: Rc<str>,
        container: Rc<str>,
        reason: String,
        grace_seconds: i64,
    },
    /// A container's main process ended.
    #[serde(rename_all = "camelCase")]
    Exited {
        at: Millis,
        namespace: Rc<str>,
        pod: Rc<str>,
        container: Rc<str>,
        exit_code: i32,
        reason: String,
    },
    /// A start was refused because of CrashLoopBackOff; no restart happens before `until`.
    #[serde(rename_all = "camelCase")]
    BackOff {
        at: Millis,
        namespace: Rc<str>,
        pod: Rc<str>,
        container: Rc<str>,
        backoff: Millis,
        until: Millis,
    },
    /// A probe result reached its threshold and changed the kubelet's cached result.
    #[serde(rename_all = "camelCase")]
    ProbeResult {
        at: Millis,
        namespace: Rc<str>,
        pod: Rc<str>,
        container: Rc<str>,
        probe: ProbeKind,
        result: String,
    },
    /// A command ran (typed, scripted, or from the UI).
    #[serde(rename_all = "camelCase")]
    Command { at: Millis, command: String, ok: bool },
}

impl Trace {
    /// Whether this record is about the given container of the given pod (commands are about none).
    pub fn is_for(&self, namespace: &str, pod: &str, container: &str) -> bool {
        match self {
            Trace::Started { namespace: n, pod: p, container: c, .. }
            | Trace::Killing { namespace: n, pod: p, container: c, .. }
            | Trace::Exited { namespace: n, pod: p, container: c, .. }
            | Trace::BackOff { namespace: n, pod: p, container: c, .. }
            | Trace::ProbeResult { namespace: n, pod: p, container: c, .. } => {
                &**n == namespace && &**p == pod && &**c == container
            }
            Trace::Command { .. } => false,
        }
    }
}

/// What the queue holds. Variants carry enough to detect staleness (a re-armed ticker, a newer
/// process wake, a replaced container) so that stale entries are simply skipped when popped.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Ev {
    ProbeTick { pod: PodId, worker: usize, gen: u64 },
    ProbeDone { pod: PodId, worker: usize, gen: u64 },
    Wake { pod: PodId, slot: usize, serial: u64 },
    Continue { pod: PodId, op: u64 },
    Step { index: usize },
    Sync { pod: PodId },
    ControllerWake,
}

impl Ev {
    /// Order of events within one instant (see the module docs).
    fn class(&self) -> u8 {
        match self {
            Ev::ProbeTick { .. } | Ev::ProbeDone { .. } => 0,
            Ev::Wake { .. } => 1,
            Ev::Continue { .. } => 2,
            Ev::Step { .. } => 3,
            Ev::Sync { .. } => 4,
            Ev::ControllerWake => 5,
        }
    }
}

/// Append-only records of what happened, for the CLI's JSON and the UI.
#[derive(Clone, Debug, Default)]
pub struct Logs {
    pub probes: Vec<ProbeRecord>,
    pub trace: Vec<Trace>,
    /// Containers' `ready` flags as the API showed them change (`history.rs`).
    pub ready: Vec<ReadyChange>,
    /// Stop signals the kubelet sent (`history.rs`).
    pub signals: Vec<SignalSent>,
}

/// The whole simulated cluster.
#[derive(Clone)]
pub struct World {
    pub now: Millis,
    pub api: ApiStore,
    pub rng: Rng,
    pub recorder: EventRecorder,
    pub logs: Logs,
    pub version: KubeVersion,
    queue: EventQueue,
    pub(crate) pods: PodTable,
    /// Host-local IPAM per node.
    ipam: Ipam,
    controller_wake: Option<Millis>,
    /// Scripted steps, run by `Ev::Step` through the command layer (see `sim`).
    pub(crate) steps_due: Vec<usize>,
    /// The nodes' image stores and the scenario's private images.
    pub(crate) images: images::NodeImages,
    /// What stopped kubelets have not seen yet (`nodes`).
    held: nodes::HeldBack,
}

impl World {
    /// An empty cluster with the scenario's nodes, seed and Kubernetes version.
    pub fn new(nodes: &[String], seed: u64, version: KubeVersion) -> World {
        World {
            now: 0,
            api: ApiStore::new(nodes),
            rng: Rng::new(seed),
            recorder: EventRecorder::default(),
            logs: Logs::default(),
            version,
            queue: EventQueue::default(),
            pods: PodTable::default(),
            ipam: Ipam::default(),
            controller_wake: None,
            steps_due: Vec::new(),
            images: images::NodeImages::default(),
            held: nodes::HeldBack::default(),
        }
    }

    /// Declares the scenario's private images (`spec.images`) and starts every node with the
    /// images the scenario's objects name that the registries have.
    pub fn prepare_images(&mut self, private: &[String], objects: &[crate::manifest::Object]) {
        self.images.prepare(private, objects.iter().flat_map(images::object_images));
    }

    pub(crate) fn push(&mut self, at: Millis, ev: Ev) {
        self.queue.push(at, ev);
    }

    /// Schedules a scripted step (run by the caller when [`World::take_due_steps`] returns it).
    pub fn schedule_step(&mut self, at: Millis, index: usize) {
        self.push(at, Ev::Step { index });
    }

    /// The steps that became due while running; the caller runs them through the command layer.
    pub fn take_due_steps(&mut self) -> Vec<usize> {
        std::mem::take(&mut self.steps_due)
    }

    /// The instant of the next queued event, skipping nothing (stale entries count: they are cheap
    /// and rare, and "next event" then simply lands on a quiet instant).
    pub fn next_event_time(&self) -> Option<Millis> {
        self.queue.next_at()
    }

    /// Processes events up to and including `until`, stopping early (with `now` at the step's
    /// instant) when a scripted step becomes due, so the caller can run it and call again.
    pub fn run_until(&mut self, until: Millis) {
        self.settle();
        while let Some((at, ev)) = self.queue.pop_due(until) {
            self.now = at;
            self.handle(ev);
            // Settle once the instant's events are done, so that a burst of changes at one instant
            // (a thousand pods turning ready) wakes the controllers once.
            let instant_done = self.queue.next_at() != Some(self.now);
            if instant_done || !self.steps_due.is_empty() {
                self.settle();
            }
            if !self.steps_due.is_empty() {
                return;
            }
        }
        self.now = self.now.max(until);
    }

    /// Lets the controllers and the kubelet react to API changes until nothing changes.
    pub fn settle(&mut self) {
        for _ in 0..1000 {
            let mut worked = false;
            if self.api.changes.controllers_dirty {
                worked = true;
                let mut ctx = crate::controllers::Context {
                    now: self.now,
                    rng: &mut self.rng,
                    events: &mut self.recorder,
                };
                let wake = crate::controllers::reconcile(&mut self.api, &mut ctx);
                if let Some(at) = wake.filter(|at| *at > self.now) {
                    if self.controller_wake.is_none_or(|w| at < w || w <= self.now) {
                        self.controller_wake = Some(at);
                        self.push(at, Ev::ControllerWake);
                    }
                }
            }
            if !self.api.changes.pods_for_kubelet.is_empty() {
                worked = true;
                let changed = std::mem::take(&mut self.api.changes.pods_for_kubelet);
                for key in changed {
                    if !self.hold_pod_change_if_kubelet_stopped(&key) {
                        self.pod_changed(&key);
                    }
                }
            }
            if !worked {
                return;
            }
        }
    }

    fn handle(&mut self, ev: Ev) {
        if self.hold_if_kubelet_stopped(self.now, &ev) {
            return;
        }
        match ev {
            Ev::ProbeTick { pod, worker, gen } => self.probe_tick(pod, worker, gen),
            Ev::ProbeDone { pod, worker, gen } => self.probe_done(pod, worker, gen),
            Ev::Wake { pod, slot, serial } => self.process_wake(pod, slot, serial),
            Ev::Continue { pod, op } => self.continue_blocked(pod, op),
            Ev::Step { index } => self.steps_due.push(index),
            Ev::Sync { pod } => self.sync_event(pod),
            Ev::ControllerWake => {
                if self.controller_wake == Some(self.now) {
                    self.controller_wake = None;
                }
                self.api.changes.controllers_dirty = true;
            }
        }
    }

    /// Every event occurrence so far.
    pub fn occurrences(&self) -> &[Occurrence] {
        self.recorder.occurrences()
    }

    /// The runtime of the pod currently holding an API key.
    pub fn pod_runtime(&self, key: &ObjectKey) -> Option<&PodRuntime> {
        self.pods.get(self.pods.id_of(key)?)
    }

    /// The runtime of the pod currently holding an API key, mutably (for `exec`).
    pub fn pod_runtime_mut(&mut self, key: &ObjectKey) -> Option<&mut PodRuntime> {
        let id = self.pods.id_of(key)?;
        self.pods.get_mut(id)
    }

    /// Runs a command in a container of a pod at the current instant (`kubectl exec`), and lets the
    /// kubelet notice what it did (a killed main process, a started server).
    pub fn exec_in(
        &mut self,
        key: &ObjectKey,
        container: &str,
        argv: &[String],
    ) -> Result<crate::container::ExecResult, String> {
        let not_found = || format!("pods \"{}\" not found", key.1);
        let id = self.pods.id_of(key).ok_or_else(not_found)?;
        let now = self.now;
        let pod = self.pods.get_mut(id).ok_or_else(not_found)?;
        let slot = pod
            .slot_index(container)
            .ok_or_else(|| format!("container {container} is not valid for pod {}", key.1))?;
        pod.slots[slot]
            .running_mut()
            .ok_or_else(|| format!("unable to upgrade connection: container not found (\"{container}\")"))?;
        let result = self
            .with_pod_net(id, slot, |inst, net| inst.proc.exec_in(argv, now, None, net))
            .ok_or_else(not_found)?;
        self.after_container_touched(id, slot);
        Ok(result)
    }
}
