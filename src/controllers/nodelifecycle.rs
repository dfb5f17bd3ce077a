//! The node lifecycle controller (`pkg/controller/nodelifecycle/node_lifecycle_controller.go`) and
//! the taint-eviction controller (`pkg/controller/tainteviction/taint_eviction.go`), as the
//! reference model times them (world-semantics.md, "Nodes failing"):
//!
//! - a node whose lease was last renewed at `T` and not since is marked at exactly `T + 50 s`
//!   (`--node-monitor-grace-period`): its conditions become `Unknown`, it gets the
//!   `node.kubernetes.io/unreachable` `NoExecute` and `NoSchedule` taints, and its pods lose
//!   their `Ready` condition (`MarkPodsNotReady` in `pkg/controller/util/node/controller_utils.go`);
//! - a pod on a node with a `NoExecute` taint is deleted once its toleration of that taint runs
//!   out (300 s for the tolerations every pod is admitted with), or at once without one;
//! - a node whose kubelet renews its lease again is `Ready` again and loses the taints.
//!
//! Nothing polls: the controller asks to be woken at the next instant one of these falls due.

use k8s_openapi::api::core::v1::{NodeCondition, PodCondition, Taint};

use crate::api::{millis_of, timestamp, ApiStore, ObjectKey};
use crate::duration::Millis;

use super::podutil::{default_grace, emit, is_terminal, is_terminating, object_ref};
use super::tolerations::{admitted, tolerates, UNREACHABLE};
use super::Context;

/// `--node-monitor-grace-period` (50 s since 1.32).
const MONITOR_GRACE: Millis = 50_000;

/// The node conditions the kubelet posts and the controller sets to `Unknown`.
const KUBELET_CONDITIONS: [&str; 4] = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"];

/// Runs both controllers once. Returns when one of them next has something to do.
pub(super) fn sync_all(api: &mut ApiStore, ctx: &mut Context) -> Option<Millis> {
    let mut wake: Option<Millis> = None;
    let names: Vec<String> = api.nodes.keys().cloned().collect();
    for name in &names {
        let lease = api.node_leases.get(name).copied().unwrap_or_default();
        let running = api.kubelet_running(name);
        let ready = ready_status(api, name);
        if running {
            if ready.as_deref() == Some("Unknown") {
                node_ready_again(api, ctx, name);
            }
        } else if ready.as_deref() != Some("Unknown") {
            let due = lease.renewed + MONITOR_GRACE;
            if ctx.now >= due {
                node_unreachable(api, ctx, name);
            } else {
                wake = earliest(wake, due);
            }
        }
        if let Some(at) = evict_untolerating_pods(api, ctx, name) {
            wake = earliest(wake, at);
        }
    }
    wake
}

fn earliest(wake: Option<Millis>, at: Millis) -> Option<Millis> {
    Some(wake.map_or(at, |w| w.min(at)))
}

fn ready_status(api: &ApiStore, node: &str) -> Option<String> {
    let conditions = api.nodes.get(node)?.status.as_ref()?.conditions.as_ref()?;
    conditions.iter().find(|c| c.type_ == "Ready").map(|c| c.status.clone())
}

/// The monitor pass that finds the lease too old: conditions `Unknown` (heartbeat kept,
/// transition now), the unreachable taints, the node event, and every pod on the node not ready.
fn node_unreachable(api: &mut ApiStore, ctx: &mut Context, name: &str) {
    let now = ctx.now;
    let Some(node) = api.nodes.get_mut(name) else { return };
    let status = node.status.get_or_insert_with(Default::default);
    let conditions = status.conditions.get_or_insert_with(Vec::new);
    for type_ in KUBELET_CONDITIONS {
        if !conditions.iter().any(|c| c.type_ == type_) && type_ != "Ready" {
            continue;
        }
        let condition = match conditions.iter_mut().find(|c| c.type_ == type_) {
            Some(c) => c,
            None => {
                conditions.push(NodeCondition { type_: type_.into(), ..Default::default() });
                conditions.last_mut().expect("just pushed")
            }
        };
        condition.status = "Unknown".into();
        condition.reason = Some("NodeStatusUnknown".into());
        condition.message = Some("Kubelet stopped posting node status.".into());
        condition.last_transition_time = Some(timestamp(now));
    }
    let spec = node.spec.get_or_insert_with(Default::default);
    let taints = spec.taints.get_or_insert_with(Vec::new);
    for effect in ["NoSchedule", "NoExecute"] {
        if !taints.iter().any(|t| t.key == UNREACHABLE && t.effect == effect) {
            taints.push(Taint {
                key: UNREACHABLE.into(),
                effect: effect.into(),
                value: None,
                // Only NoExecute taints carry the time they were added.
                time_added: (effect == "NoExecute").then(|| timestamp(now)),
            });
        }
    }
    let involved = object_ref("Node", &node.metadata);
    api.node_changed(name);
    // `RecordNodeStatusChange`; world-semantics.md marks the reason for the Unknown transition
    // as unverified.
    let message = format!("Node {name} status is now: NodeNotReady");
    emit(api, ctx, "node-controller", &involved, "Normal", "NodeNotReady", &message);
    for key in pods_on(api, name) {
        mark_pod_not_ready(api, ctx, &key);
    }
}

/// `MarkPodsNotReady`: the pod's `Ready` condition becomes `False`; its container statuses are
/// left as the kubelet last wrote them. The pod event `Warning NodeNotReady Node is not ready`
/// is what captured clusters show (not in world-semantics.md; unverified against 1.34 source).
fn mark_pod_not_ready(api: &mut ApiStore, ctx: &mut Context, key: &ObjectKey) {
    let Some(pod) = api.pods.get(key) else { return };
    let mut status = pod.status.clone().unwrap_or_default();
    let Some(ready) = status.conditions.iter_mut().flatten().find(|c| c.type_ == "Ready") else { return };
    if ready.status == "False" {
        return;
    }
    ready.status = "False".into();
    ready.last_transition_time = Some(timestamp(ctx.now));
    let involved = object_ref("Pod", &pod.metadata);
    api.set_pod_status(key, status);
    emit(api, ctx, "node-controller", &involved, "Warning", "NodeNotReady", "Node is not ready");
}

/// The kubelet posts `Ready` again: conditions `True`, the unreachable taints removed, and the
/// node event (world-semantics.md marks its text unverified).
fn node_ready_again(api: &mut ApiStore, ctx: &mut Context, name: &str) {
    let now = ctx.now;
    let Some(node) = api.nodes.get_mut(name) else { return };
    for c in node.status.iter_mut().flat_map(|s| s.conditions.iter_mut().flatten()) {
        if !KUBELET_CONDITIONS.contains(&c.type_.as_str()) {
            continue;
        }
        let (status, reason, message) = match c.type_.as_str() {
            "Ready" => ("True", "KubeletReady", "kubelet is posting ready status"),
            "MemoryPressure" => {
                ("False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available")
            }
            "DiskPressure" => ("False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
            _ => ("False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
        };
        c.status = status.into();
        c.reason = Some(reason.into());
        c.message = Some(message.into());
        c.last_heartbeat_time = Some(timestamp(now));
        c.last_transition_time = Some(timestamp(now));
    }
    if let Some(taints) = node.spec.as_mut().and_then(|s| s.taints.as_mut()) {
        taints.retain(|t| t.key != UNREACHABLE);
    }
    let involved = object_ref("Node", &node.metadata);
    api.node_changed(name);
    let message = format!("Node {name} status is now: NodeReady");
    emit(api, ctx, "node-controller", &involved, "Normal", "NodeReady", &message);
}

/// Live pods bound to `node`, in key order.
fn pods_on(api: &ApiStore, node: &str) -> Vec<ObjectKey> {
    api.pods
        .iter()
        .filter(|(_, p)| p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(node))
        .filter(|(_, p)| !is_terminal(p))
        .map(|(k, _)| k.clone())
        .collect()
}

/// The taint-eviction controller for one node: each pod not being deleted is deleted when the
/// shortest of its tolerations of the node's `NoExecute` taints runs out, counted from the time
/// the taint was added (`getMinTolerationTime`); a pod that does not tolerate one of them goes at
/// once, and a toleration without seconds keeps the pod forever. Returns the next eviction due.
fn evict_untolerating_pods(api: &mut ApiStore, ctx: &mut Context, node: &str) -> Option<Millis> {
    let taints: Vec<Taint> = api
        .nodes
        .get(node)
        .and_then(|n| n.spec.as_ref())
        .and_then(|s| s.taints.clone())
        .unwrap_or_default()
        .into_iter()
        .filter(|t| t.effect == "NoExecute")
        .collect();
    if taints.is_empty() {
        return None;
    }
    let mut wake = None;
    for key in pods_on(api, node) {
        let Some(pod) = api.pods.get(&key) else { continue };
        if is_terminating(pod) {
            continue;
        }
        let tolerations = admitted(pod.spec.as_ref());
        let mut due: Option<Millis> = None;
        let mut forever = true;
        for taint in &taints {
            let added = taint.time_added.as_ref().map_or(0, |t| millis_of(t).max(0) as Millis);
            let matching: Vec<_> = tolerations.iter().filter(|t| tolerates(t, taint)).collect();
            if matching.is_empty() {
                due = Some(ctx.now);
                forever = false;
                break;
            }
            // A pod tolerating a taint forever through one toleration is kept whatever the others say.
            if matching.iter().any(|t| t.toleration_seconds.is_none()) {
                continue;
            }
            forever = false;
            let seconds = matching.iter().filter_map(|t| t.toleration_seconds).min().unwrap_or(0).max(0);
            let at = added + seconds as Millis * 1000;
            due = Some(due.map_or(at, |d| d.min(at)));
        }
        match due {
            Some(at) if !forever && at <= ctx.now => evict(api, ctx, &key),
            Some(at) if !forever => wake = earliest(wake, at),
            _ => {}
        }
    }
    wake
}

/// Marks the pod as disrupted, records the eviction and deletes it with its grace period.
fn evict(api: &mut ApiStore, ctx: &mut Context, key: &ObjectKey) {
    let Some(pod) = api.pods.get(key) else { return };
    let involved = object_ref("Pod", &pod.metadata);
    let grace = default_grace(pod);
    let mut status = pod.status.clone().unwrap_or_default();
    let conditions = status.conditions.get_or_insert_with(Vec::new);
    conditions.retain(|c| c.type_ != "DisruptionTarget");
    conditions.push(PodCondition {
        type_: "DisruptionTarget".into(),
        status: "True".into(),
        reason: Some("DeletionByTaintManager".into()),
        message: Some("Taint manager: deleting due to NoExecute taint".into()),
        last_transition_time: Some(timestamp(ctx.now)),
        ..Default::default()
    });
    api.set_pod_status(key, status);
    // world-semantics.md takes this event's text from secondary sources.
    let message = format!("Marking for deletion Pod {}/{}", key.0, key.1);
    emit(api, ctx, "taint-eviction-controller", &involved, "Normal", "TaintManagerEviction", &message);
    api.request_pod_deletion(key, grace, ctx.now);
}
