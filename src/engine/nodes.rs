//! A node's kubelet stopping and starting again: the command language's `node stop NAME` and
//! `node start NAME` (contracts.md), the fault kubectl cannot cause.
//!
//! A stopped kubelet stops renewing its lease (the node lifecycle controller in
//! `controllers/nodelifecycle.rs` takes it from there) and does nothing at all: it neither syncs
//! its pods nor probes them, nor sees what the API server does to them. The reference model
//! suspends the node as a whole, so its containers' programs are paused too: the events of its
//! pods (probe ticks, process wake-ups, syncs) and the pod changes meant for it are held back, and
//! when the kubelet starts they are handed to it at that instant, with a sync of every pod on the
//! node, so it catches up with the API (a pod evicted meanwhile is stopped and deleted then).

use crate::api::{NodeLease, ObjectKey};
use crate::duration::Millis;

use super::{Ev, World};

/// What a stopped kubelet has not seen yet.
#[derive(Clone, Debug, Default)]
pub(crate) struct HeldBack {
    events: Vec<(Millis, Ev)>,
    pods: Vec<ObjectKey>,
}

impl World {
    /// Holds back a pod's event when the pod's node has a stopped kubelet. Returns whether it did.
    /// Costs one emptiness check while every kubelet has always run.
    pub(super) fn hold_if_kubelet_stopped(&mut self, at: Millis, ev: &Ev) -> bool {
        if self.api.node_leases.is_empty() {
            return false;
        }
        let pod = match ev {
            Ev::ProbeTick { pod, .. }
            | Ev::ProbeDone { pod, .. }
            | Ev::Wake { pod, .. }
            | Ev::Continue { pod, .. }
            | Ev::Sync { pod } => *pod,
            Ev::Step { .. } | Ev::ControllerWake => return false,
        };
        let Some(rt) = self.pods.get(pod) else { return false };
        if self.api.kubelet_running(&rt.node) {
            return false;
        }
        self.held.events.push((at, ev.clone()));
        true
    }

    /// Holds back a pod change meant for a stopped kubelet. Returns whether it did.
    pub(super) fn hold_pod_change_if_kubelet_stopped(&mut self, key: &ObjectKey) -> bool {
        if self.api.node_leases.is_empty() {
            return false;
        }
        let node = match self.pods.id_of(key).and_then(|id| self.pods.get(id)) {
            Some(rt) => Some(rt.node.clone()),
            None => self.api.pods.get(key).and_then(|p| p.spec.as_ref()).and_then(|s| s.node_name.clone()),
        };
        if node.is_none_or(|n| self.api.kubelet_running(&n)) {
            return false;
        }
        self.held.pods.push(key.clone());
        true
    }

    /// `node stop NAME`: the node's kubelet stops; its lease keeps its last renewal.
    pub fn stop_kubelet(&mut self, node: &str) -> Result<String, String> {
        if !self.api.nodes.contains_key(node) {
            return Err(format!("Error from server (NotFound): nodes \"{node}\" not found\n"));
        }
        if !self.api.kubelet_running(node) {
            return Ok(format!("node/{node} already stopped\n"));
        }
        let lease =
            self.api.node_leases.get(node).copied().unwrap_or(NodeLease { renewed: 0, renewing: true });
        let renewed = lease.renew_time(self.now);
        self.api.node_leases.insert(node.to_string(), NodeLease { renewed, renewing: false });
        self.api.changes.controllers_dirty = true;
        Ok(format!("node/{node} stopped\n"))
    }

    /// `node start NAME`: the kubelet starts, renews its lease at once and every 10 s from now,
    /// and catches up with what it missed.
    pub fn start_kubelet(&mut self, node: &str) -> Result<String, String> {
        if !self.api.nodes.contains_key(node) {
            return Err(format!("Error from server (NotFound): nodes \"{node}\" not found\n"));
        }
        if self.api.kubelet_running(node) {
            return Ok(format!("node/{node} already started\n"));
        }
        let now = self.now;
        self.api.node_leases.insert(node.to_string(), NodeLease { renewed: now, renewing: true });
        self.api.changes.controllers_dirty = true;
        let held = std::mem::take(&mut self.held);
        let mut keep = HeldBack::default();
        for (at, ev) in held.events {
            let on_node = match &ev {
                Ev::ProbeTick { pod, .. }
                | Ev::ProbeDone { pod, .. }
                | Ev::Wake { pod, .. }
                | Ev::Continue { pod, .. }
                | Ev::Sync { pod } => self.pods.get(*pod).is_some_and(|rt| rt.node == node),
                Ev::Step { .. } | Ev::ControllerWake => true,
            };
            if !on_node {
                keep.events.push((at, ev));
            } else if !matches!(ev, Ev::Sync { .. }) {
                // A held sync is replaced by the catch-up sync below: its instant has passed.
                self.push(at.max(now), ev);
            }
        }
        let mut keys: Vec<ObjectKey> = Vec::new();
        for key in held.pods {
            let on_node = match self.pods.id_of(&key).and_then(|id| self.pods.get(id)) {
                Some(rt) => rt.node == node,
                None => {
                    self.api.pods.get(&key).and_then(|p| p.spec.as_ref()).and_then(|s| s.node_name.as_deref())
                        == Some(node)
                }
            };
            if on_node {
                keys.push(key);
            } else {
                keep.pods.push(key);
            }
        }
        self.held = keep;
        keys.extend(
            self.api
                .pods
                .iter()
                .filter(|(_, p)| p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(node))
                .map(|(k, _)| k.clone()),
        );
        keys.sort();
        keys.dedup();
        for key in keys {
            if let Some(id) = self.pods.id_of(&key) {
                if let Some(rt) = self.pods.get_mut(id) {
                    // Its status is posted afresh: the node controller changed it meanwhile.
                    rt.version += 1;
                    rt.requeue_at = rt.requeue_at.filter(|&at| at >= now);
                    rt.pending_syncs.retain(|&at| at >= now);
                }
                self.request_sync(id, now);
            }
            self.api.changes.pods_for_kubelet.push(key);
        }
        Ok(format!("node/{node} started\n"))
    }
}
