//! The kubelet's pod worker: one runtime per pod, synced on triggers (`pkg/kubelet/pod_workers.go`), killing and starting
//! containers (`pkg/kubelet/kuberuntime/kuberuntime_manager.go` computePodActions, `pkg/kubelet/kuberuntime/kuberuntime_container.go` computeInitContainerActions, `pkg/kubelet/kuberuntime/kuberuntime_container.go` killContainer), applying CrashLoopBackOff (`pkg/kubelet/kuberuntime/kuberuntime_manager.go` doBackOff), and terminating pods.
//!
//! A sync can block, as the real pod worker blocks inside `StopContainer` for a whole grace period
//! or inside a postStart hook. A blocked sync is kept as a [`Plan`] and resumed by `Ev::Continue`
//! when the awaited container exits or its deadline passes; triggers that arrive meanwhile are
//! remembered and run right after, as the pod worker queues them.

mod actions;
mod image;
mod kill;
mod mount;
mod pull;
mod start;
pub(crate) use start::port_decls;

use std::collections::BTreeMap;

use super::runtime::{container_hash, Plan, PodRuntime, RestartPolicy, Slot, SlotKind};
use super::timing::requeue_at;
pub(super) use super::timing::ERROR_REQUEUE;
use super::{Ev, PodId, ProbeKind, World};
use crate::api::ObjectKey;
use crate::container::Signal;
use crate::duration::Millis;
use crate::events::Source;
use actions::compute_actions;

fn kubelet_source(node: &str) -> Source {
    Source { component: "kubelet".to_string(), host: node.to_string() }
}

impl World {
    /// Reacts to an API change of a pod: a newly bound pod gets a runtime and its first sync, a
    /// deletion starts termination, a removed pod's containers are stopped at once.
    pub(crate) fn pod_changed(&mut self, key: &ObjectKey) {
        let now = self.now;
        let api_pod = self.api.pods.get(key);
        let mut existing = self.pods.id_of(key);
        // A pod recreated under the same name (a StatefulSet replica) is a different pod: the old
        // runtime is gone from the API, so stop it before the new one starts.
        if let (Some(pod), Some(id)) = (api_pod, existing) {
            let uid = pod.metadata.uid.as_deref().unwrap_or_default();
            if self.pods.get(id).is_some_and(|rt| rt.uid != uid) {
                self.forget_pod(key, id);
                existing = None;
            }
        }
        let api_pod = self.api.pods.get(key);
        match (api_pod, existing) {
            (Some(pod), None) => {
                let Some(spec) = pod.spec.clone() else { return };
                let Some(node) = spec.node_name.clone() else { return };
                let id = self.pods.next_id();
                let uid = pod.metadata.uid.clone().unwrap_or_default();
                let mut slots = Vec::new();
                for c in spec.init_containers.iter().flatten() {
                    // The only container restart policy the API admits is `Always`, which makes
                    // an init container a sidecar (`pkg/apis/core/validation/validation.go`).
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
                    restart_policy: RestartPolicy::of(&spec),
                    spec,
                    slots,
                    workers: Vec::new(),
                    backoff: BTreeMap::new(),
                    image_backoff: BTreeMap::new(),
                    reasons: BTreeMap::new(),
                    volumes: BTreeMap::new(),
                    mount: Default::default(),
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
                let id = self.pods.insert(rt);
                self.request_sync(id, now);
            }
            (Some(pod), Some(id)) => {
                let deleting = pod.metadata.deletion_timestamp.is_some();
                let new_spec = pod.spec.clone();
                let Some(rt) = self.pods.get_mut(id) else { return };
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
                    rt.restart_policy = RestartPolicy::of(&spec);
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
        if let Some(mut rt) = self.pods.remove(key, id) {
            if let Some(octet) = rt.host_octet {
                self.ipam.release(&rt.node, octet);
            }
            for slot in &mut rt.slots {
                if let Some(inst) = slot.running_mut() {
                    inst.proc.signal(Signal::Kill, now);
                }
            }
        }
    }

    fn schedule_requeue(&mut self, id: PodId, at: Millis) {
        let Some(rt) = self.pods.get_mut(id) else { return };
        // The pod worker's work queue keeps one due time per pod: the latest enqueue wins.
        rt.requeue_at = Some(at);
        self.queue.push(at, Ev::Sync { pod: id });
    }

    pub(crate) fn sync_event(&mut self, id: PodId) {
        let now = self.now;
        let Some(rt) = self.pods.get_mut(id) else { return };
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
        let Some(rt) = self.pods.get(id) else { return };
        if rt.terminal {
            // A finished pod that is deleted has nothing left to stop: the kubelet deletes it at once.
            if rt.deleting {
                let key = rt.key.clone();
                self.api.remove_pod(&key);
            }
            return;
        }
        // The sandbox (and its IP) comes after the volumes (`kubelet/mount.rs`).
        let mounted = self.volumes_ready(id);
        if mounted {
            self.ensure_ip(id);
        }
        {
            let Some(rt) = self.pods.get_mut(id) else { return };
            if rt.start_time.is_none() {
                rt.start_time = Some(now);
                rt.version += 1;
            }
        }
        self.generate_status(id);
        if !mounted {
            return;
        }
        self.ensure_workers(id);
        self.trigger_readiness(id);

        let Some(rt) = self.pods.get_mut(id) else { return };
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
            pulling: None,
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

    fn finish_sync(&mut self, id: PodId, plan: Plan) {
        let now = self.now;
        let version = self.version;
        let Some(rt) = self.pods.get_mut(id) else { return };
        // A pod whose containers have all stopped for good is terminal: its workers exit.
        let all_done = !rt.slots.is_empty()
            && rt
                .slots
                .iter()
                .enumerate()
                .filter(|(_, s)| s.kind != SlotKind::Init)
                .all(|(i, s)| s.latest().is_some_and(|i| i.exit.is_some()) && !rt.should_restart(i))
            && !plan.error;
        let init_failed_never = rt.restart_policy == RestartPolicy::Never
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
        let next = requeue_at(version, now, plan.error, plan.backoff_until);
        let after_block = std::mem::take(&mut rt.sync_after_block);
        self.schedule_requeue(id, next);
        if after_block {
            self.request_sync(id, now);
        }
    }

    /// After every container of a deleted pod has stopped, the kubelet writes the final status and
    /// deletes the API object. The reference model does both at the instant the last container exits.
    fn finish_termination(&mut self, id: PodId) {
        let Some(rt) = self.pods.get_mut(id) else { return };
        rt.terminal = true;
        for w in &mut rt.workers {
            w.stopped = true;
            w.gen += 1;
        }
        let key = rt.key.clone();
        // A pod that finalizers keep after its deletion shows the terminal phase the kubelet
        // writes before its final delete (`pkg/kubelet/status/status_manager.go`).
        if self.api.pods.get(&key).is_some_and(|p| crate::api::has_finalizers(&p.metadata)) {
            rt.version += 1;
            self.generate_status(id);
        }
        self.api.remove_pod(&key);
    }

    /// Host-local IPAM: the next free address of the node's pod CIDR (`10.244.N.2` onwards); a
    /// host-network pod has its node's address and takes nothing from the pod CIDR.
    fn ensure_ip(&mut self, id: PodId) {
        let Some(rt) = self.pods.get_mut(id) else { return };
        if !rt.ip.is_empty() {
            return;
        }
        if rt.spec.host_network == Some(true) {
            rt.ip = self.api.node_ip(&rt.node).unwrap_or_default();
            return;
        }
        let Some(octet) = self.ipam.assign(&rt.node) else { return };
        let prefix = self
            .api
            .nodes
            .get(&rt.node)
            .and_then(|n| n.spec.as_ref()?.pod_cidr.as_deref())
            .and_then(|c| c.strip_suffix(".0/24"))
            .unwrap_or("10.244.0");
        rt.ip = format!("{prefix}.{octet}");
        rt.host_octet = Some(octet);
    }
}
