//! The kubelet's pod worker: one runtime per pod, synced on triggers (`pkg/kubelet/pod_workers.go`), killing and starting
//! containers (`pkg/kubelet/kuberuntime/kuberuntime_manager.go` computePodActions, `pkg/kubelet/kuberuntime/kuberuntime_container.go` computeInitContainerActions, `pkg/kubelet/kuberuntime/kuberuntime_container.go` killContainer), applying CrashLoopBackOff (`pkg/kubelet/kuberuntime/kuberuntime_manager.go` doBackOff), and terminating pods.
//!
//! A sync can block, as the real pod worker blocks inside `StopContainer` for a whole grace period
//! or inside a postStart hook. A blocked sync is kept as a [`Plan`] and resumed by `Ev::Continue`
//! when the awaited container exits or its deadline passes; triggers that arrive meanwhile are
//! remembered and run right after, as the pod worker queues them.

use std::collections::BTreeMap;
use std::rc::Rc;

use k8s_openapi::api::core::v1::{Container as ContainerSpec, LifecycleHandler, PodSpec};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::{Ev, PodId, ProbeKind, Trace, World};
use crate::api::{ObjectKey, ObjectRef};
use crate::container::{Container, ContainerConfig, PortDecl, Signal};
use crate::duration::{go_duration, Millis, SECOND};
use crate::events::Source;
use crate::manifest::KubeVersion;

/// Back-off parameters (`pkg/kubelet/kuberuntime/kuberuntime_manager.go` doBackOff): initial 10 s, doubling, capped at 300 s; an entry expires when the last
/// exit is more than 600 s after its last update.
const BACKOFF_INITIAL: Millis = 10 * SECOND;
const BACKOFF_MAX: Millis = 300 * SECOND;
const BACKOFF_EXPIRY: Millis = 600 * SECOND;
/// Pod worker requeue intervals of the reference model (`pkg/kubelet/pod_workers.go`, jitter off).
const RESYNC: Millis = 60 * SECOND;
const ERROR_REQUEUE: Millis = 10 * SECOND;
/// PLEG notices container changes one relist later (`pkg/kubelet/pleg/generic.go`, relisting every second).
const PLEG_DELAY: Millis = SECOND;

/// What kind of container a slot holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlotKind {
    Init,
    Sidecar,
    Regular,
}

/// One container instance (one container ID).
#[derive(Clone, Debug)]
pub struct Instance {
    pub id: String,
    pub restart_count: i32,
    pub proc: Container,
    pub started_at: Millis,
    /// Exit code, finish time and runtime reason once the main process has ended.
    pub exit: Option<(i32, Millis, String)>,
    /// The process wake currently queued for this instance, to drop stale ones.
    pub wake_at: Option<Millis>,
    pub serial: u64,
}

/// One container of the pod spec and its instances (the two newest are kept, as the status needs).
#[derive(Clone, Debug)]
pub struct Slot {
    pub name: Rc<str>,
    pub kind: SlotKind,
    pub spec: ContainerSpec,
    pub hash: u64,
    pub instances: Vec<Instance>,
    /// What the last published API status says of this container, which is what probe workers
    /// read (`pkg/kubelet/prober/worker.go` doProbe step 3): they see a container only once the kubelet has reported it.
    pub published: Option<Published>,
}

/// A container's state in the last published status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Published {
    /// The serial number of the instance the status names.
    pub serial: u64,
    pub running: bool,
    pub terminated: bool,
    pub started: bool,
}

impl Slot {
    /// The newest instance.
    pub fn latest(&self) -> Option<&Instance> {
        self.instances.last()
    }

    /// The newest instance if it is running.
    pub fn running_mut(&mut self) -> Option<&mut Instance> {
        self.instances.last_mut().filter(|i| i.exit.is_none())
    }

    pub fn is_running(&self) -> bool {
        self.instances.last().is_some_and(|i| i.exit.is_none())
    }

    /// The most recently created instance that has exited, with its finish time.
    fn last_exited(&self) -> Option<Millis> {
        self.instances.iter().rev().find_map(|i| i.exit.as_ref().map(|e| e.1))
    }
}

/// A probe worker (`pkg/kubelet/prober/prober_manager.go` AddPod): one per container and probe type.
#[derive(Clone, Debug)]
pub struct Worker {
    pub slot: usize,
    pub kind: ProbeKind,
    /// Who the worker's records are about.
    pub subject: Rc<super::ProbeSubject>,
    pub prep: Rc<super::prober::Prepared>,
    /// Ticker generation: re-arming the ticker (manual trigger) or stopping the worker bumps it.
    pub gen: u64,
    /// The container instance the worker last saw, by its serial number (standing for its
    /// container ID, which the kubelet's results cache is keyed by).
    pub container_serial: Option<u64>,
    /// The results-manager entry for that instance (`pkg/kubelet/prober/worker.go` newWorker initial values, then probe results).
    pub cached: Option<ProbeValue>,
    pub last_result: Option<ProbeValue>,
    pub run: u32,
    pub on_hold: bool,
    pub stopped: bool,
    /// A probe that takes time (a slow exec) is in flight until its `ProbeDone`.
    pub in_flight: Option<super::prober::Pending>,
}

/// A probe result as the results manager caches it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProbeValue {
    Success,
    Failure,
    Unknown,
}

/// A CrashLoopBackOff entry (`pkg/kubelet/kuberuntime/kuberuntime_manager.go` doBackOff).
#[derive(Clone, Copy, Debug)]
struct Backoff {
    backoff: Millis,
    last_update: Millis,
}

/// One container being stopped inside a blocked sync.
#[derive(Clone, Debug)]
struct KillJob {
    slot: usize,
    serial: u64,
    term_at: Millis,
    kill_at: Millis,
    termed: bool,
}

/// The rest of a sync that is waiting for something.
#[derive(Clone, Debug)]
pub(crate) struct Plan {
    op: u64,
    /// For each slot, the finish time of the newest exited instance at sync start (`pkg/kubelet/kuberuntime/kuberuntime_manager.go` doBackOff step 1).
    exited_at_start: Vec<Option<Millis>>,
    kills: Vec<KillJob>,
    starts: Vec<usize>,
    /// Terminate the pod once the kills are done (deletion, or nothing left to run).
    terminate: bool,
    /// Waiting for a postStart hook until this instant.
    hook_until: Option<Millis>,
    error: bool,
    backoff_until: Option<Millis>,
}

/// The kubelet's state for one pod.
#[derive(Clone, Debug)]
pub struct PodRuntime {
    pub id: PodId,
    pub key: ObjectKey,
    pub name: Rc<str>,
    pub namespace: Rc<str>,
    pub uid: String,
    pub node: String,
    pub ip: String,
    /// The host part of `ip` in the node's /24, for returning it to the pool.
    host_octet: Option<u32>,
    pub spec: PodSpec,
    pub slots: Vec<Slot>,
    pub workers: Vec<Worker>,
    backoff: BTreeMap<(usize, u64), Backoff>,
    /// The reason cache (`pkg/kubelet/kubelet.go` SyncPod step 4): the last start failure per slot.
    pub reasons: BTreeMap<usize, (String, String)>,
    /// Pod volumes (every kind is simulated as an emptyDir shared by the pod's containers): their
    /// contents, as the last container that changed them left them.
    volumes: BTreeMap<String, VolumeTree>,
    pending_syncs: std::collections::BTreeSet<Millis>,
    requeue_at: Option<Millis>,
    pub(crate) plan: Option<Plan>,
    sync_after_block: bool,
    pub(crate) workers_created: bool,
    pub start_time: Option<Millis>,
    pub deleting: bool,
    /// All containers stopped for good: the pod is terminal and its workers are gone.
    pub terminal: bool,
    /// A status has been published; its phase is terminal.
    pub status_published: bool,
    pub published_terminal: bool,
    /// Bumped by every change status generation depends on; status is regenerated only when it moved.
    pub version: u64,
    pub(crate) generated_version: u64,
    next_op: u64,
    next_serial: u64,
}

impl PodRuntime {
    /// The slot of a container by name.
    pub fn slot_index(&self, name: &str) -> Option<usize> {
        self.slots.iter().position(|s| &*s.name == name)
    }

    fn restart_policy(&self) -> &str {
        self.spec.restart_policy.as_deref().unwrap_or("Always")
    }

    fn object_ref(&self, field_path: String) -> ObjectRef {
        ObjectRef {
            kind: "Pod".to_string(),
            namespace: self.namespace.to_string(),
            name: self.name.to_string(),
            uid: self.uid.clone(),
            field_path,
        }
    }

    fn container_ref(&self, slot: usize) -> ObjectRef {
        let s = &self.slots[slot];
        let field = match s.kind {
            SlotKind::Regular => format!("spec.containers{{{}}}", s.name),
            _ => format!("spec.initContainers{{{}}}", s.name),
        };
        self.object_ref(field)
    }

    /// Whether `ShouldContainerBeRestarted` holds for a slot whose newest instance is not running.
    pub(crate) fn should_restart(&self, slot: usize) -> bool {
        if self.deleting {
            return false;
        }
        let s = &self.slots[slot];
        let Some(last) = s.latest() else { return true };
        let Some((code, _, _)) = &last.exit else { return false };
        if s.kind == SlotKind::Sidecar {
            return true;
        }
        match self.restart_policy() {
            "Never" => false,
            "OnFailure" => *code != 0,
            _ => true,
        }
    }
}

/// A volume's files: paths relative to the mount point, with contents (`None` for directories).
type VolumeTree = Vec<(String, Option<String>)>;

/// The (volume, mount path) pairs of a container.
fn mounts(spec: &ContainerSpec) -> Vec<(String, String)> {
    spec.volume_mounts.iter().flatten().map(|m| (m.name.clone(), m.mount_path.clone())).collect()
}

/// A stable 64-bit hash (FNV-1a), for container spec hashes and container IDs.
pub(crate) fn fnv64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= *b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

fn container_hash(spec: &ContainerSpec) -> u64 {
    fnv64(serde_json::to_string(spec).unwrap_or_default().as_bytes())
}

fn kubelet_source(node: &str) -> Source {
    Source { component: "kubelet".to_string(), host: node.to_string() }
}

impl World {
    /// Reacts to an API change of a pod: a newly bound pod gets a runtime and its first sync, a
    /// deletion starts termination, a removed pod's containers are stopped at once.
    pub(crate) fn pod_changed(&mut self, key: &ObjectKey) {
        let now = self.now;
        let api_pod = self.api.pods.get(key);
        let mut existing = self.pod_index.get(key).copied();
        // A pod recreated under the same name (a StatefulSet replica) is a different pod: the old
        // runtime is gone from the API, so stop it before the new one starts.
        if let (Some(pod), Some(id)) = (api_pod, existing) {
            let uid = pod.metadata.uid.as_deref().unwrap_or_default();
            if self.pods.get(&id).is_some_and(|rt| rt.uid != uid) {
                self.forget_pod(key, id);
                existing = None;
            }
        }
        let api_pod = self.api.pods.get(key);
        match (api_pod, existing) {
            (Some(pod), None) => {
                let Some(spec) = pod.spec.clone() else { return };
                let Some(node) = spec.node_name.clone() else { return };
                let id = self.next_pod_id;
                self.next_pod_id += 1;
                let uid = pod.metadata.uid.clone().unwrap_or_default();
                let mut slots = Vec::new();
                for c in spec.init_containers.iter().flatten() {
                    let kind = if c.restart_policy.as_deref() == Some("Always") {
                        SlotKind::Sidecar
                    } else {
                        SlotKind::Init
                    };
                    slots.push(Slot {
                        name: c.name.as_str().into(),
                        kind,
                        hash: container_hash(c),
                        spec: c.clone(),
                        instances: Vec::new(),
                        published: None,
                    });
                }
                for c in &spec.containers {
                    slots.push(Slot {
                        name: c.name.as_str().into(),
                        kind: SlotKind::Regular,
                        hash: container_hash(c),
                        spec: c.clone(),
                        instances: Vec::new(),
                        published: None,
                    });
                }
                let deleting = pod.metadata.deletion_timestamp.is_some();
                let rt = PodRuntime {
                    id,
                    key: key.clone(),
                    name: key.1.as_str().into(),
                    namespace: key.0.as_str().into(),
                    uid,
                    ip: String::new(),
                    host_octet: None,
                    node,
                    spec,
                    slots,
                    workers: Vec::new(),
                    backoff: BTreeMap::new(),
                    reasons: BTreeMap::new(),
                    volumes: BTreeMap::new(),
                    pending_syncs: Default::default(),
                    requeue_at: None,
                    plan: None,
                    sync_after_block: false,
                    workers_created: false,
                    start_time: None,
                    deleting,
                    terminal: false,
                    status_published: false,
                    published_terminal: false,
                    version: 1,
                    generated_version: 0,
                    next_op: 1,
                    next_serial: 1,
                };
                self.pods.insert(id, rt);
                self.pod_index.insert(key.clone(), id);
                self.request_sync(id, now);
            }
            (Some(pod), Some(id)) => {
                let deleting = pod.metadata.deletion_timestamp.is_some();
                let new_spec = pod.spec.clone();
                let rt = self.pods.get_mut(&id).expect("indexed");
                if deleting && !rt.deleting {
                    rt.deleting = true;
                    rt.version += 1;
                }
                // Only container images may change on a live pod; a changed container definition
                // makes the next sync restart that container (`pkg/kubelet/kuberuntime/kuberuntime_manager.go` computePodActions rule 1).
                if let Some(spec) = new_spec {
                    for c in &spec.containers {
                        if let Some(i) = rt.slot_index(&c.name) {
                            rt.slots[i].spec = c.clone();
                            rt.slots[i].hash = container_hash(c);
                        }
                    }
                    rt.spec = spec;
                }
                self.request_sync(id, now);
            }
            (None, Some(id)) => self.forget_pod(key, id),
            (None, None) => {}
        }
    }

    /// The API object is gone (forced deletion or the kubelet's own final delete): stop whatever
    /// still runs without waiting, and forget the pod.
    fn forget_pod(&mut self, key: &ObjectKey, id: PodId) {
        let now = self.now;
        self.pod_index.remove(key);
        if let Some(mut rt) = self.pods.remove(&id) {
            self.release_ip(&rt);
            for slot in &mut rt.slots {
                if let Some(inst) = slot.running_mut() {
                    inst.proc.signal(Signal::Kill, now);
                }
            }
        }
    }

    /// Asks for a sync of the pod at `at`; requests for the same instant coalesce into one sync.
    pub(crate) fn request_sync(&mut self, id: PodId, at: Millis) {
        let Some(rt) = self.pods.get_mut(&id) else { return };
        if rt.pending_syncs.insert(at) {
            self.push(at, Ev::Sync { pod: id });
        }
    }

    fn schedule_requeue(&mut self, id: PodId, at: Millis) {
        let Some(rt) = self.pods.get_mut(&id) else { return };
        // The pod worker's work queue keeps one due time per pod: the latest enqueue wins.
        rt.requeue_at = Some(at);
        self.push(at, Ev::Sync { pod: id });
    }

    pub(crate) fn sync_event(&mut self, id: PodId) {
        let now = self.now;
        let Some(rt) = self.pods.get_mut(&id) else { return };
        let due_trigger = rt.pending_syncs.remove(&now);
        let due_requeue = rt.requeue_at == Some(now);
        if !due_trigger && !due_requeue {
            return;
        }
        if due_requeue {
            rt.requeue_at = None;
        }
        if rt.plan.is_some() {
            // A trigger (PLEG, probe result, API change) that arrives while the worker is blocked
            // runs right after the blocked sync. A periodic requeue does not: the blocked sync
            // requeues itself when it finishes, so the reference model shows the kill's outcome at
            // the next PLEG sync (`tests/transcripts/liveness-exec.yaml`: RESTARTS 1 from 76 s, not 75 s).
            if due_trigger {
                rt.sync_after_block = true;
            }
            return;
        }
        self.sync_pod(id);
    }

    /// One `SyncPod` (`pkg/kubelet/kubelet.go` SyncPod): status, probe workers, then actions.
    fn sync_pod(&mut self, id: PodId) {
        let now = self.now;
        let Some(rt) = self.pods.get(&id) else { return };
        if rt.terminal {
            // A finished pod that is deleted has nothing left to stop: the kubelet deletes it at once.
            if rt.deleting {
                let key = rt.key.clone();
                self.api.remove_pod(&key);
            }
            return;
        }
        self.ensure_ip(id);
        {
            let rt = self.pods.get_mut(&id).expect("checked");
            if rt.start_time.is_none() {
                rt.start_time = Some(now);
                rt.version += 1;
            }
        }
        self.generate_status(id);
        self.ensure_workers(id);
        self.trigger_readiness(id);

        let rt = self.pods.get_mut(&id).expect("checked");
        let op = rt.next_op;
        rt.next_op += 1;
        let exited_at_start: Vec<Option<Millis>> = rt.slots.iter().map(|s| s.last_exited()).collect();
        let mut plan = Plan {
            op,
            exited_at_start,
            kills: Vec::new(),
            starts: Vec::new(),
            terminate: false,
            hook_until: None,
            error: false,
            backoff_until: None,
        };
        let mut kill_msgs: Vec<(usize, String, Option<ProbeKind>)> = Vec::new();
        if rt.deleting {
            // Termination (`pkg/kubelet/prober/prober_manager.go` StopLivenessAndStartup, `pkg/kubelet/kuberuntime/kuberuntime_container.go` killContainer): liveness and startup workers stop first, then every running
            // container is stopped with the deletion grace period.
            for w in &mut rt.workers {
                if w.kind != ProbeKind::Readiness && !w.stopped {
                    w.stopped = true;
                    w.gen += 1;
                    w.cached = None;
                }
            }
            for (i, s) in rt.slots.iter().enumerate() {
                if s.is_running() {
                    kill_msgs.push((i, format!("Stopping container {}", s.name), None));
                }
            }
            plan.terminate = true;
        } else {
            compute_actions(rt, &mut kill_msgs, &mut plan);
        }
        let deletion_grace = if rt.deleting {
            self.api.pods.get(&rt.key).and_then(|p| p.metadata.deletion_grace_period_seconds)
        } else {
            None
        };
        for (slot, msg, cause) in kill_msgs {
            self.begin_kill(id, slot, &msg, cause, deletion_grace, &mut plan);
        }
        self.resume(id, plan);
    }

    /// Starts stopping one container inside a sync: Killing event, preStop hook, stop signal, and
    /// the SIGKILL deadline (`pkg/kubelet/kuberuntime/kuberuntime_container.go` killContainer).
    fn begin_kill(
        &mut self,
        id: PodId,
        slot: usize,
        message: &str,
        cause: Option<ProbeKind>,
        deletion_grace: Option<i64>,
        plan: &mut Plan,
    ) {
        let now = self.now;
        let rt = self.pods.get_mut(&id).expect("pod");
        let s = &rt.slots[slot];
        let Some(inst) = s.latest().filter(|i| i.exit.is_none()) else { return };
        let serial = inst.serial;
        let probe_grace = cause.and_then(|k| match k {
            ProbeKind::Liveness => s.spec.liveness_probe.as_ref()?.termination_grace_period_seconds,
            ProbeKind::Startup => s.spec.startup_probe.as_ref()?.termination_grace_period_seconds,
            ProbeKind::Readiness => None,
        });
        let mut grace =
            deletion_grace.or(probe_grace).or(rt.spec.termination_grace_period_seconds).unwrap_or(30).max(0);
        let container = s.name.clone();
        let pre_stop = s.spec.lifecycle.as_ref().and_then(|l| l.pre_stop.clone());
        let obj = rt.container_ref(slot);
        let node = rt.node.clone();
        let (ns, pod) = (rt.namespace.clone(), rt.name.clone());
        self.recorder.record(&mut self.api, now, &kubelet_source(&node), &obj, "Normal", "Killing", message);
        self.logs.trace.push(Trace::Killing {
            at: now,
            namespace: ns,
            pod,
            container,
            reason: message.to_string(),
            grace_seconds: grace,
        });
        let mut hook_time: Millis = 0;
        if let (Some(handler), true) = (pre_stop, grace > 0) {
            let (ok, took) = self.run_hook(id, slot, &handler, grace as Millis * SECOND);
            hook_time = took.min(grace as Millis * SECOND);
            if !ok {
                self.recorder.record(
                    &mut self.api,
                    now,
                    &kubelet_source(&node),
                    &obj,
                    "Warning",
                    "FailedPreStopHook",
                    "PreStopHook failed",
                );
            }
            grace -= (hook_time / SECOND) as i64;
        }
        let grace = grace.max(2) as Millis * SECOND;
        let term_at = now + hook_time;
        plan.kills.push(KillJob { slot, serial, term_at, kill_at: term_at + grace, termed: false });
    }

    /// Runs a lifecycle handler in a container; returns (succeeded, how long it took).
    fn run_hook(
        &mut self,
        id: PodId,
        slot: usize,
        handler: &LifecycleHandler,
        limit: Millis,
    ) -> (bool, Millis) {
        let now = self.now;
        let rt = self.pods.get_mut(&id).expect("pod");
        let ports = rt.slots[slot].spec.ports.clone().unwrap_or_default();
        let Some(inst) = rt.slots[slot].running_mut() else { return (false, 0) };
        let result = if let Some(exec) = &handler.exec {
            let argv = exec.command.clone().unwrap_or_default();
            let r = inst.proc.exec(&argv, now, Some(limit));
            (r.exit_code == 0 && !r.timed_out, r.duration)
        } else if let Some(sleep) = &handler.sleep {
            (true, sleep.seconds.max(0) as Millis * SECOND)
        } else if let Some(http) = &handler.http_get {
            match resolve_port(&http.port, &ports) {
                Some(port) => {
                    let req = crate::container::HttpRequest {
                        port,
                        path: http.path.clone().unwrap_or_else(|| "/".into()),
                        headers: Vec::new(),
                        scheme: http.scheme.clone().unwrap_or_else(|| "HTTP".into()),
                    };
                    match inst.proc.http(&req, now) {
                        crate::container::HttpOutcome::Response { status, latency, .. } => {
                            (status < 400, latency)
                        }
                        _ => (false, 0),
                    }
                }
                None => (false, 0),
            }
        } else if let Some(tcp) = &handler.tcp_socket {
            match resolve_port(&tcp.port, &ports) {
                Some(port) => {
                    (inst.proc.tcp_connect(port, now) == crate::container::TcpOutcome::Connected, 0)
                }
                None => (false, 0),
            }
        } else {
            (false, 0)
        };
        self.after_container_touched(id, slot);
        result
    }

    /// Carries a sync forward until it blocks or finishes.
    fn resume(&mut self, id: PodId, mut plan: Plan) {
        let now = self.now;
        // Kills: deliver due signals, then wait until every job's container has exited.
        let mut waiting_until: Option<Millis> = None;
        for job in plan.kills.iter_mut() {
            let alive = {
                let rt = self.pods.get(&id).expect("pod");
                rt.slots[job.slot].latest().is_some_and(|i| i.serial == job.serial && i.exit.is_none())
            };
            if !alive {
                continue;
            }
            if !job.termed && now >= job.term_at {
                job.termed = true;
                let rt = self.pods.get_mut(&id).expect("pod");
                let inst = rt.slots[job.slot].running_mut().expect("alive");
                let sig = inst.proc.stop_signal();
                inst.proc.signal(sig, now);
                self.after_container_touched(id, job.slot);
            } else if job.termed && now >= job.kill_at {
                let rt = self.pods.get_mut(&id).expect("pod");
                let inst = rt.slots[job.slot].running_mut().expect("alive");
                inst.proc.signal(Signal::Kill, now);
                self.after_container_touched(id, job.slot);
            }
            let rt = self.pods.get(&id).expect("pod");
            let still =
                rt.slots[job.slot].latest().is_some_and(|i| i.serial == job.serial && i.exit.is_none());
            if still {
                let next = if job.termed { job.kill_at } else { job.term_at };
                waiting_until = Some(waiting_until.map_or(next, |w: Millis| w.min(next)));
            }
        }
        if let Some(until) = waiting_until {
            self.block(id, plan, until);
            return;
        }
        plan.kills.clear();
        if let Some(until) = plan.hook_until {
            if now < until {
                self.block(id, plan, until);
                return;
            }
            plan.hook_until = None;
        }
        if plan.terminate {
            self.finish_termination(id);
            return;
        }
        while !plan.starts.is_empty() {
            let slot = plan.starts.remove(0);
            if let Some(hook_until) = self.try_start(id, slot, &mut plan) {
                plan.hook_until = Some(hook_until);
                if hook_until > now {
                    self.block(id, plan, hook_until);
                    return;
                }
                plan.hook_until = None;
            }
        }
        self.finish_sync(id, plan);
    }

    fn block(&mut self, id: PodId, plan: Plan, until: Millis) {
        let op = plan.op;
        let rt = self.pods.get_mut(&id).expect("pod");
        rt.plan = Some(plan);
        self.push(until, Ev::Continue { pod: id, op });
    }

    /// Resumes a blocked sync when its deadline passes or an awaited container exits.
    pub(crate) fn continue_blocked(&mut self, id: PodId, op: u64) {
        let Some(rt) = self.pods.get_mut(&id) else { return };
        if rt.plan.as_ref().is_none_or(|p| p.op != op) {
            return;
        }
        let plan = rt.plan.take().expect("checked");
        self.resume(id, plan);
    }

    fn finish_sync(&mut self, id: PodId, plan: Plan) {
        let now = self.now;
        let version = self.version;
        let rt = self.pods.get_mut(&id).expect("pod");
        // A pod whose containers have all stopped for good is terminal: its workers exit.
        let all_done = !rt.slots.is_empty()
            && rt
                .slots
                .iter()
                .filter(|s| s.kind != SlotKind::Init)
                .all(|s| s.latest().is_some_and(|i| i.exit.is_some()) && !rt_should_restart(rt, s))
            && !plan.error;
        let init_failed_never = rt.restart_policy() == "Never"
            && rt.slots.iter().any(|s| {
                s.kind == SlotKind::Init
                    && s.latest().is_some_and(|i| i.exit.as_ref().is_some_and(|e| e.0 != 0))
            });
        if all_done || init_failed_never {
            rt.terminal = true;
            rt.version += 1;
            for w in &mut rt.workers {
                w.stopped = true;
                w.gen += 1;
            }
            self.generate_status(id);
            return;
        }
        let next = if plan.error {
            match (version, plan.backoff_until) {
                // 1.35 requeues exactly when the back-off expires, capped at the resync interval.
                (KubeVersion::V1_35, Some(until)) => until.max(now + 1).min(now + RESYNC),
                _ => now + ERROR_REQUEUE,
            }
        } else {
            now + RESYNC
        };
        let after_block = std::mem::take(&mut rt.sync_after_block);
        self.schedule_requeue(id, next);
        if after_block {
            self.request_sync(id, now);
        }
    }

    /// After every container of a deleted pod has stopped, the kubelet writes the final status and
    /// deletes the API object. The reference model does both at the instant the last container exits.
    fn finish_termination(&mut self, id: PodId) {
        let rt = self.pods.get_mut(&id).expect("pod");
        rt.terminal = true;
        for w in &mut rt.workers {
            w.stopped = true;
            w.gen += 1;
        }
        let key = rt.key.clone();
        self.api.remove_pod(&key);
    }

    /// Tries to start a container (`pkg/kubelet/kuberuntime/kuberuntime_manager.go` doBackOff back-off check first). Returns the end of a postStart hook
    /// the sync must wait for.
    fn try_start(&mut self, id: PodId, slot: usize, plan: &mut Plan) -> Option<Millis> {
        let now = self.now;
        let rt = self.pods.get_mut(&id).expect("pod");
        let hash = rt.slots[slot].hash;
        let name = rt.slots[slot].name.clone();
        if let Some(ts) = plan.exited_at_start[slot] {
            let key = (slot, hash);
            let entry =
                rt.backoff.get(&key).copied().filter(|e| ts.saturating_sub(e.last_update) <= BACKOFF_EXPIRY);
            if let Some(e) = entry {
                if now.saturating_sub(ts) < e.backoff {
                    let msg = format!(
                        "back-off {} restarting failed container={} pod={}_{}({})",
                        go_duration(e.backoff),
                        name,
                        rt.name,
                        rt.namespace,
                        rt.uid
                    );
                    let event = format!(
                        "Back-off restarting failed container {} in pod {}_{}({})",
                        name, rt.name, rt.namespace, rt.uid
                    );
                    if rt.reasons.get(&slot).is_none_or(|r| r.1 != msg) {
                        rt.version += 1;
                    }
                    rt.reasons.insert(slot, ("CrashLoopBackOff".to_string(), msg));
                    plan.error = true;
                    let until = ts + e.backoff;
                    plan.backoff_until = Some(plan.backoff_until.map_or(until, |u| u.min(until)));
                    let obj = rt.container_ref(slot);
                    let node = rt.node.clone();
                    let (ns, pod) = (rt.namespace.clone(), rt.name.clone());
                    self.recorder.record(
                        &mut self.api,
                        now,
                        &kubelet_source(&node),
                        &obj,
                        "Warning",
                        "BackOff",
                        &event,
                    );
                    self.logs.trace.push(Trace::BackOff {
                        at: now,
                        namespace: ns,
                        pod,
                        container: name,
                        backoff: e.backoff,
                        until,
                    });
                    return None;
                }
                let next = (e.backoff * 2).min(BACKOFF_MAX);
                rt.backoff.insert(key, Backoff { backoff: next, last_update: now });
            } else {
                rt.backoff.insert(key, Backoff { backoff: BACKOFF_INITIAL, last_update: now });
            }
        }
        self.start_container(id, slot)
    }

    /// Creates and starts a new instance with its pull/create/start events, then its postStart hook.
    fn start_container(&mut self, id: PodId, slot: usize) -> Option<Millis> {
        let now = self.now;
        let version = self.version;
        let rt = self.pods.get_mut(&id).expect("pod");
        let s = &rt.slots[slot];
        let spec = s.spec.clone();
        let image = spec.image.clone().unwrap_or_default();
        let restart_count = s.latest().map_or(0, |i| i.restart_count + 1);
        let serial = rt.next_serial;
        rt.next_serial += 1;
        let cid = {
            let a = fnv64(format!("{}/{}/{}", rt.uid, s.name, restart_count).as_bytes());
            let b = fnv64(format!("{a:x}{}", rt.uid).as_bytes());
            let c = fnv64(format!("{b:x}{}", s.name).as_bytes());
            let d = fnv64(format!("{c:x}{restart_count}").as_bytes());
            format!("{a:016x}{b:016x}{c:016x}{d:016x}")
        };
        let env =
            spec.env.iter().flatten().filter_map(|e| e.value.clone().map(|v| (e.name.clone(), v))).collect();
        let ports = spec
            .ports
            .iter()
            .flatten()
            .map(|p| PortDecl {
                name: p.name.clone(),
                port: p.container_port.clamp(0, 65535) as u16,
                protocol: p.protocol.clone().unwrap_or_else(|| "TCP".into()),
            })
            .collect();
        let config = ContainerConfig {
            name: s.name.to_string(),
            image: image.clone(),
            command: spec.command.clone().unwrap_or_default(),
            args: spec.args.clone().unwrap_or_default(),
            env,
            ports,
            pod_ip: rt.ip.clone(),
            hostname: rt.spec.hostname.clone().unwrap_or_else(|| rt.name.to_string()),
            volumes: mounts(&spec)
                .into_iter()
                .map(|(v, path)| (path, rt.volumes.get(&v).cloned().unwrap_or_default()))
                .collect(),
        };
        let proc = Container::start(&config, now);
        let name = s.name.clone();
        let obj = rt.container_ref(slot);
        let node = rt.node.clone();
        let source = kubelet_source(&node);
        let policy = spec.image_pull_policy.clone().unwrap_or_else(|| "IfNotPresent".into());
        let inst =
            Instance { id: cid, restart_count, proc, started_at: now, exit: None, wake_at: None, serial };
        let slot_ref = &mut rt.slots[slot];
        slot_ref.instances.push(inst);
        if slot_ref.instances.len() > 2 {
            slot_ref.instances.remove(0);
        }
        if rt.reasons.remove(&slot).is_some() {
            rt.version += 1;
        }
        rt.version += 1;
        let (ns, pod) = (rt.namespace.clone(), rt.name.clone());
        let post_start = spec.lifecycle.as_ref().and_then(|l| l.post_start.clone());
        if policy == "Always" {
            self.recorder.record(
                &mut self.api,
                now,
                &source,
                &obj,
                "Normal",
                "Pulling",
                &format!("Pulling image \"{image}\""),
            );
            let size = Container::image_size(&image);
            self.recorder.record(
                &mut self.api,
                now,
                &source,
                &obj,
                "Normal",
                "Pulled",
                &format!("Successfully pulled image \"{image}\" in 0s (0s including waiting). Image size: {size} bytes."),
            );
        } else {
            self.recorder.record(
                &mut self.api,
                now,
                &source,
                &obj,
                "Normal",
                "Pulled",
                &format!("Container image \"{image}\" already present on machine"),
            );
        }
        let (created, started) = match version {
            KubeVersion::V1_34 => (format!("Created container: {name}"), format!("Started container {name}")),
            KubeVersion::V1_35 => ("Container created".to_string(), "Container started".to_string()),
        };
        self.recorder.record(&mut self.api, now, &source, &obj, "Normal", "Created", &created);
        self.recorder.record(&mut self.api, now, &source, &obj, "Normal", "Started", &started);
        self.logs.trace.push(Trace::Started {
            at: now,
            namespace: ns,
            pod,
            container: name.clone(),
            restart_count,
        });
        self.request_sync(id, now + PLEG_DELAY);
        self.after_container_touched(id, slot);
        let handler = post_start?;
        let (ok, took) = self.run_hook(id, slot, &handler, Millis::MAX);
        if !ok {
            self.recorder.record(
                &mut self.api,
                now,
                &source,
                &obj,
                "Warning",
                "FailedPostStartHook",
                "PostStartHook failed",
            );
            let rt = self.pods.get_mut(&id).expect("pod");
            rt.reasons.insert(slot, ("PostStartHookError".to_string(), "PostStartHook failed".to_string()));
            rt.version += 1;
            if let Some(inst) = rt.slots[slot].running_mut() {
                inst.proc.signal(Signal::Kill, now + took);
            }
            self.after_container_touched(id, slot);
        }
        Some(now + took)
    }

    /// Propagates changes a container made to its mounted volumes to the pod's other running
    /// containers that mount them, so an init container's page shows up in the web server.
    fn sync_volumes(&mut self, id: PodId, slot: usize) {
        let Some(rt) = self.pods.get_mut(&id) else { return };
        let own = mounts(&rt.slots[slot].spec);
        if own.is_empty() {
            return;
        }
        if rt.slots[slot].instances.is_empty() {
            return;
        }
        for (volume, path) in own {
            let inst = rt.slots[slot].instances.last().expect("checked");
            let tree = inst.proc.volume_tree(&crate::container::fs::normalize("/", &path));
            if rt.volumes.get(&volume) == Some(&tree) {
                continue;
            }
            for (i, other) in rt.slots.iter_mut().enumerate() {
                if i == slot {
                    continue;
                }
                let targets: Vec<String> =
                    mounts(&other.spec).into_iter().filter(|(v, _)| *v == volume).map(|(_, p)| p).collect();
                if let Some(o) = other.running_mut() {
                    for p in targets {
                        o.proc.mount_tree(&p, &tree);
                    }
                }
            }
            rt.volumes.insert(volume, tree);
        }
    }

    /// Lets a container's process act up to now, records an exit, and queues its next wake.
    pub(crate) fn after_container_touched(&mut self, id: PodId, slot: usize) {
        self.after_container_touched_inner(id, slot);
        self.sync_volumes(id, slot);
    }

    fn after_container_touched_inner(&mut self, id: PodId, slot: usize) {
        let now = self.now;
        let Some(rt) = self.pods.get_mut(&id) else { return };
        let Some(inst) = rt.slots[slot].instances.last_mut() else { return };
        if inst.exit.is_some() {
            return;
        }
        inst.proc.advance(now);
        if let Some(status) = inst.proc.exit_status().cloned() {
            let reason = if status.code == 0 { "Completed" } else { "Error" };
            inst.exit = Some((status.code, status.at, reason.to_string()));
            inst.wake_at = None;
            rt.version += 1;
            let (ns, pod, container) = (rt.namespace.clone(), rt.name.clone(), rt.slots[slot].name.clone());
            let waiting_plan = rt.plan.as_ref().map(|p| (p.op, p.kills.iter().any(|k| k.slot == slot)));
            self.logs.trace.push(Trace::Exited {
                at: status.at,
                namespace: ns,
                pod,
                container,
                exit_code: status.code,
                reason: reason.to_string(),
            });
            self.request_sync(id, status.at.max(now) + PLEG_DELAY);
            if let Some((op, true)) = waiting_plan {
                self.push(now, Ev::Continue { pod: id, op });
            }
            return;
        }
        // A busy loop reports a wake at or just before now: it wants to run again, so the wake is
        // moved one millisecond on, which is also the time each iteration costs in the shell.
        let wake = inst.proc.next_wake().map(|w| w.max(now + 1));
        if wake != inst.wake_at {
            inst.wake_at = wake;
            if let Some(at) = wake {
                let serial = inst.serial;
                self.push(at, Ev::Wake { pod: id, slot, serial });
            }
        }
    }

    pub(crate) fn process_wake(&mut self, id: PodId, slot: usize, serial: u64) {
        let now = self.now;
        let Some(rt) = self.pods.get_mut(&id) else { return };
        let Some(inst) = rt.slots.get_mut(slot).and_then(|s| s.instances.last_mut()) else { return };
        if inst.serial != serial || inst.wake_at != Some(now) {
            return;
        }
        inst.wake_at = None;
        self.after_container_touched(id, slot);
    }

    /// Host-local IPAM: the next free address of the node's pod CIDR (`10.244.N.2` onwards),
    /// continuing after the last one handed out and skipping addresses still in use, as the
    /// host-local plugin does.
    fn ensure_ip(&mut self, id: PodId) {
        let rt = self.pods.get(&id).expect("pod");
        if !rt.ip.is_empty() {
            return;
        }
        let node = rt.node.clone();
        // A host-network pod has its node's address and takes nothing from the pod CIDR.
        if rt.spec.host_network == Some(true) {
            let ip = self.api.node_ip(&node).unwrap_or_default();
            self.pods.get_mut(&id).expect("pod").ip = ip;
            return;
        }
        let prefix = self
            .api
            .nodes
            .get(&node)
            .and_then(|n| n.spec.as_ref()?.pod_cidr.clone())
            .and_then(|c| c.strip_suffix(".0/24").map(str::to_string))
            .unwrap_or_else(|| "10.244.0".to_string());
        let pool = self.ipam.entry(node).or_default();
        // An exhausted range has nothing to hand out; the pod keeps asking at every sync.
        if pool.in_use.len() >= 253 {
            return;
        }
        for _ in 0..253 {
            pool.last = if pool.last >= 254 || pool.last < 2 { 2 } else { pool.last + 1 };
            if pool.in_use.insert(pool.last) {
                let rt = self.pods.get_mut(&id).expect("pod");
                rt.ip = format!("{prefix}.{}", pool.last);
                rt.host_octet = Some(pool.last);
                return;
            }
        }
    }

    /// Returns a pod's address to its node's pool once the pod is gone.
    pub(crate) fn release_ip(&mut self, rt: &PodRuntime) {
        if let (Some(octet), Some(pool)) = (rt.host_octet, self.ipam.get_mut(&rt.node)) {
            pool.in_use.remove(&octet);
        }
    }
}

fn rt_should_restart(rt: &PodRuntime, s: &Slot) -> bool {
    let i = rt.slot_index(&s.name).expect("own slot");
    rt.should_restart(i)
}

/// Resolves a probe or hook port: a number as is, a name through the container's ports.
pub(crate) fn resolve_port(
    port: &IntOrString,
    ports: &[k8s_openapi::api::core::v1::ContainerPort],
) -> Option<u16> {
    match port {
        IntOrString::Int(n) => u16::try_from(*n).ok().filter(|p| *p > 0),
        IntOrString::String(name) => {
            if let Ok(n) = name.parse::<u16>() {
                return Some(n);
            }
            ports.iter().find(|p| p.name.as_deref() == Some(name.as_str())).map(|p| p.container_port as u16)
        }
    }
}

/// `pkg/kubelet/kuberuntime/kuberuntime_manager.go` computePodActions and `pkg/kubelet/kuberuntime/kuberuntime_container.go` computeInitContainerActions: which containers to kill and which to start in this sync.
fn compute_actions(
    rt: &mut PodRuntime,
    kills: &mut Vec<(usize, String, Option<ProbeKind>)>,
    plan: &mut Plan,
) {
    let policy = rt.restart_policy().to_string();
    let restart_suffix = |kind: SlotKind| {
        if policy != "Never" || kind == SlotKind::Sidecar {
            ", will be restarted"
        } else {
            ""
        }
    };
    let regular_started = rt.slots.iter().any(|s| s.kind == SlotKind::Regular && !s.instances.is_empty());
    // Init containers run one at a time; sidecars keep running and are restarted when they stop.
    let mut init_done = true;
    for i in 0..rt.slots.len() {
        let kind = rt.slots[i].kind;
        if kind == SlotKind::Regular {
            continue;
        }
        if kind == SlotKind::Init && regular_started {
            continue;
        }
        let s = &rt.slots[i];
        match s.latest() {
            None => {
                plan.starts.push(i);
                init_done = false;
                break;
            }
            Some(inst) if inst.exit.is_none() => {
                if kind == SlotKind::Init {
                    init_done = false;
                    break;
                }
                if let Some(msg) = probe_kill(rt, i, "Init container") {
                    kills.push((i, format!("{}{}", msg.0, restart_suffix(kind)), Some(msg.1)));
                    plan.starts.push(i);
                    init_done = false;
                    break;
                }
                if !sidecar_started(rt, i) {
                    init_done = false;
                    break;
                }
            }
            Some(inst) => {
                let code = inst.exit.as_ref().map_or(0, |e| e.0);
                if kind == SlotKind::Init && code == 0 {
                    continue;
                }
                if rt.should_restart(i) {
                    plan.starts.push(i);
                }
                init_done = false;
                break;
            }
        }
    }
    if !init_done {
        return;
    }
    for i in 0..rt.slots.len() {
        let s = &rt.slots[i];
        if s.kind == SlotKind::Regular {
            match s.latest() {
                Some(inst) if inst.exit.is_none() => {
                    if let Some((msg, cause)) = probe_kill(rt, i, "Container") {
                        let restart = policy != "Never";
                        kills.push((i, format!("{msg}{}", restart_suffix(SlotKind::Regular)), Some(cause)));
                        if restart {
                            plan.starts.push(i);
                        }
                    }
                }
                _ => {
                    if rt.should_restart(i) {
                        plan.starts.push(i);
                    }
                }
            }
        } else if s.kind == SlotKind::Sidecar && !s.is_running() && rt.should_restart(i) {
            plan.starts.insert(0, i);
        }
    }
}

/// Whether a running container must be killed for a failed liveness or startup probe, or because its
/// definition changed; returns the Killing message (without the restart suffix) and its cause.
fn probe_kill(rt: &PodRuntime, slot: usize, noun: &str) -> Option<(String, ProbeKind)> {
    let s = &rt.slots[slot];
    let inst = s.latest()?;
    for kind in [ProbeKind::Liveness, ProbeKind::Startup] {
        let failed = rt.workers.iter().any(|w| {
            w.slot == slot
                && w.kind == kind
                && w.container_serial == Some(inst.serial)
                && w.cached == Some(ProbeValue::Failure)
        });
        if failed {
            return Some((format!("{noun} {} failed {} probe", s.name, kind.as_str()), kind));
        }
    }
    None
}

/// A sidecar counts as started once running and past its startup probe (or without one).
fn sidecar_started(rt: &PodRuntime, slot: usize) -> bool {
    let s = &rt.slots[slot];
    let Some(inst) = s.latest().filter(|i| i.exit.is_none()) else { return false };
    match rt.workers.iter().find(|w| w.slot == slot && w.kind == ProbeKind::Startup) {
        None => true,
        Some(w) => w.container_serial == Some(inst.serial) && w.cached == Some(ProbeValue::Success),
    }
}
