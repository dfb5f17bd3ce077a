//! The scheduler: binds every pending pod to a node (`pkg/scheduler/schedule_one.go`). Among the
//! nodes that pass the filters (`filters`), the one running the fewest pods wins, ties going to
//! the earlier node in the scenario's order — what the default scoring plugins amount to on
//! equal nodes.
//!
//! A pod that fits nowhere gets the fit error as its `PodScheduled=False` condition and a
//! `FailedScheduling` event, and waits in the unschedulable pool (`ApiStore::unschedulable`). It
//! is tried again when something the filters read changes (a node's labels, taints,
//! `unschedulable` flag or allocatable, or the pods bound to a node), once its per-pod back-off
//! has passed, and otherwise 5 minutes after its last attempt: the reference model's reading of
//! `flushUnschedulablePodsLeftover` (`pkg/scheduler/backend/queue/scheduling_queue.go`). Waiting
//! costs one controller wake-up, never a poll.

mod filters;

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Node, PodCondition, PodStatus};

use crate::api::{timestamp, ApiStore, ObjectKey};
use crate::duration::Millis;
use crate::fnv::fnv64;

use super::podutil::{created, emit, is_terminal, is_terminating, object_ref, resource_version};
use super::resources::pod_requests;
use super::tolerations::admitted;
use super::Context;
use filters::{filter, NodeInfo, Rejection};

/// `DefaultPodMaxInUnschedulablePodsDuration`: a pod nothing helped is retried after this long.
const UNSCHEDULABLE_RETRY: Millis = 300_000;
/// `podInitialBackoffSeconds` and `podMaxBackoffSeconds`.
const INITIAL_BACKOFF: Millis = 1_000;
const MAX_BACKOFF: Millis = 10_000;

/// Binds pending pods in the order they were created. Returns when the scheduler next wants to
/// look on its own: the earliest retry of a pod in the unschedulable pool.
pub(super) fn schedule(api: &mut ApiStore, ctx: &mut Context) -> Option<Millis> {
    let mut pending: Vec<(i64, u64, ObjectKey)> = api
        .pods
        .iter()
        .filter(|(_, p)| {
            p.spec.as_ref().is_some_and(|s| s.node_name.is_none()) && !is_terminating(p) && !is_terminal(p)
        })
        .map(|(k, p)| (created(&p.metadata), resource_version(&p.metadata), k.clone()))
        .collect();
    if pending.is_empty() {
        api.unschedulable.clear();
        return None;
    }
    pending.sort();
    api.unschedulable.retain(|k, _| pending.iter().any(|(_, _, p)| p == k));

    // Nodes in scenario order: the store assigns uids in that order.
    let mut nodes: Vec<&Node> = api.nodes.values().collect();
    nodes.sort_by(|a, b| a.metadata.uid.cmp(&b.metadata.uid));
    let mut infos: Vec<NodeInfo> = nodes.into_iter().map(NodeInfo::new).collect();
    let index: BTreeMap<String, usize> = infos.iter().enumerate().map(|(i, n)| (n.name.clone(), i)).collect();
    for pod in api.pods.values() {
        if let Some(&i) = pod.spec.as_ref().and_then(|s| s.node_name.as_ref()).and_then(|n| index.get(n)) {
            if !is_terminal(pod) {
                infos[i].add(&pod_requests(pod));
            }
        }
    }

    let mut cluster = fingerprint(&infos);
    let mut failed = Vec::new();
    for (_, _, key) in pending {
        if let Some(last) = api.unschedulable.get(&key) {
            let backoff =
                INITIAL_BACKOFF.saturating_mul(1 << last.attempts.saturating_sub(1).min(10)).min(MAX_BACKOFF);
            let changed = last.cluster != cluster && ctx.now >= last.at + backoff;
            if !changed && ctx.now < last.at + UNSCHEDULABLE_RETRY {
                continue;
            }
        }
        let Some(pod) = api.pods.get(&key) else { continue };
        let tolerations = admitted(pod.spec.as_ref());
        let requests = pod_requests(pod);
        let mut rejections = Vec::new();
        let mut fits = Vec::new();
        for (i, node) in infos.iter().enumerate() {
            match filter(pod, &tolerations, &requests, node) {
                Some(r) => rejections.push(r),
                None => fits.push(i),
            }
        }
        let best = fits.iter().copied().min_by_key(|&i| (infos[i].pods, i));
        let involved = object_ref("Pod", &pod.metadata);
        match best {
            Some(i) => {
                let node = infos[i].name.clone();
                if let Some(spec) = api.pods.get_mut(&key).and_then(|p| p.spec.as_mut()) {
                    spec.node_name = Some(node.clone());
                }
                api.pod_changed(&key);
                api.unschedulable.remove(&key);
                infos[i].add(&requests);
                cluster = fingerprint(&infos);
                let message = format!("Successfully assigned {}/{} to {node}", key.0, key.1);
                emit(api, ctx, "default-scheduler", &involved, "Normal", "Scheduled", &message);
            }
            None => {
                unschedulable(api, ctx, &key, &fit_error(infos.len(), &rejections));
                failed.push(key);
            }
        }
    }
    // Every pod that failed saw the cluster as it is now: what it is waiting for is a change
    // from here.
    for key in failed {
        let attempt = api.unschedulable.entry(key).or_default();
        attempt.attempts += 1;
        attempt.at = ctx.now;
        attempt.cluster = cluster;
    }
    let mut wake: Option<Millis> = None;
    for attempt in api.unschedulable.values() {
        let mut at = attempt.at + UNSCHEDULABLE_RETRY;
        if attempt.cluster != cluster {
            at = at.min(attempt.at + MAX_BACKOFF);
        }
        wake = Some(wake.map_or(at, |w| w.min(at)));
    }
    wake
}

/// A hash of everything the filters read, so that any change (whichever command or controller
/// made it) is seen as one.
fn fingerprint(infos: &[NodeInfo]) -> u64 {
    let mut bytes = Vec::new();
    for info in infos {
        info.fingerprint(&mut bytes);
    }
    fnv64(&bytes)
}

/// `FitError.Error` (`pkg/scheduler/framework/types.go`) with DefaultPreemption's message after
/// it: each distinct reason counted over the nodes and the counts sorted as text, then the
/// preemption verdict per node in the same form. A node rejected as unresolvable cannot be helped
/// by preemption; elsewhere no lower-priority victim exists, every pod having priority 0. Every
/// captured message ends with two periods (world-semantics.md notes the origin of the second one
/// as unverified); it is reproduced.
fn fit_error(total: usize, rejections: &[Rejection]) -> String {
    if total == 0 {
        return "no nodes available to schedule pods".to_string();
    }
    let histogram = |items: &mut dyn Iterator<Item = &str>| {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for item in items {
            *counts.entry(item).or_default() += 1;
        }
        let mut parts: Vec<String> = counts.into_iter().map(|(r, n)| format!("{n} {r}")).collect();
        parts.sort();
        parts.join(", ")
    };
    let reasons = histogram(&mut rejections.iter().flat_map(|r| r.reasons.iter().map(String::as_str)));
    let verdicts = histogram(&mut rejections.iter().map(|r| {
        if r.resolvable {
            "No preemption victims found for incoming pod"
        } else {
            "Preemption is not helpful for scheduling"
        }
    }));
    format!(
        "0/{total} nodes are available: {reasons}. preemption: 0/{total} nodes are available: {verdicts}.."
    )
}

/// Records why a pod cannot be placed: the `PodScheduled=False` condition the scheduler writes
/// (only when its message changes) and a `FailedScheduling` event for every attempt, which the
/// recorder folds into one event with a count.
fn unschedulable(api: &mut ApiStore, ctx: &mut Context, key: &ObjectKey, message: &str) {
    let Some(pod) = api.pods.get(key) else { return };
    let involved = object_ref("Pod", &pod.metadata);
    let mut status = pod.status.clone().unwrap_or_default();
    let conditions = status.conditions.get_or_insert_with(Vec::new);
    if !conditions.iter().any(|c| c.type_ == "PodScheduled" && c.message.as_deref() == Some(message)) {
        conditions.retain(|c| c.type_ != "PodScheduled");
        conditions.push(PodCondition {
            type_: "PodScheduled".into(),
            status: "False".into(),
            reason: Some("Unschedulable".into()),
            message: Some(message.to_string()),
            last_transition_time: Some(timestamp(ctx.now)),
            ..Default::default()
        });
        api.set_pod_status(key, PodStatus { phase: Some("Pending".into()), ..status });
    }
    emit(api, ctx, "default-scheduler", &involved, "Warning", "FailedScheduling", message);
}

#[cfg(test)]
mod tests {
    use super::*;

    use k8s_openapi::api::core::v1::{Container, Pod, PodSpec};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

    use crate::events::EventRecorder;
    use crate::rng::Rng;

    /// A pod waiting for a label no node has: it is retried 5 minutes after its attempt, and at
    /// once when the label appears, whichever write adds it.
    #[test]
    fn a_pod_waits_for_a_node_change_or_five_minutes() {
        let nodes = ["n1".to_string(), "n2".to_string()];
        let mut api = ApiStore::new(&nodes);
        let (mut rng, mut events) = (Rng::new(1), EventRecorder::default());
        let pod = Pod {
            metadata: ObjectMeta {
                name: Some("ssd".into()),
                namespace: Some("default".into()),
                uid: Some("u".into()),
                creation_timestamp: Some(timestamp(0)),
                ..Default::default()
            },
            spec: Some(PodSpec {
                node_selector: Some([("disk".to_string(), "ssd".to_string())].into()),
                containers: vec![Container {
                    name: "c".into(),
                    image: Some("nginx".into()),
                    ..Default::default()
                }],
                ..Default::default()
            }),
            status: None,
        };
        let key = api.create_pod(pod);
        let mut run = |api: &mut ApiStore, now: Millis| {
            let mut ctx = Context { now, rng: &mut rng, events: &mut events };
            crate::controllers::reconcile(api, &mut ctx)
        };
        assert_eq!(run(&mut api, 0), Some(300_000));
        // An unrelated change at 2 s (a status write) is no reason to try again.
        api.changes.controllers_dirty = true;
        assert_eq!(run(&mut api, 2_000), Some(300_000));
        assert_eq!(api.unschedulable[&key].attempts, 1);
        api.nodes
            .get_mut("n2")
            .unwrap()
            .metadata
            .labels
            .as_mut()
            .unwrap()
            .insert("disk".into(), "ssd".into());
        api.node_changed("n2");
        assert_eq!(run(&mut api, 3_000), None);
        assert_eq!(api.pods[&key].spec.as_ref().unwrap().node_name.as_deref(), Some("n2"));
    }

    fn rejection(reasons: &[&str], resolvable: bool) -> Rejection {
        Rejection { reasons: reasons.iter().map(|r| r.to_string()).collect(), resolvable }
    }

    /// The examples of world-semantics.md's FailedScheduling section, verbatim.
    #[test]
    fn fit_errors_read_as_the_scheduler_writes_them() {
        let affinity = rejection(&["node(s) didn't match Pod's node affinity/selector"], false);
        let cpu = rejection(&["Insufficient cpu"], true);
        let taint =
            rejection(&["node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"], false);
        let pods = rejection(&["Too many pods"], true);
        let memory = rejection(&["Insufficient memory"], true);
        let three = |r: &Rejection| vec![r.clone(); 3];
        assert_eq!(
            fit_error(3, &three(&affinity)),
            "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.."
        );
        assert_eq!(
            fit_error(3, &three(&cpu)),
            "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.."
        );
        assert_eq!(
            fit_error(1, std::slice::from_ref(&taint)),
            "0/1 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.."
        );
        assert_eq!(
            fit_error(2, &[rejection(&["Too many pods"], true), pods]),
            "0/2 nodes are available: 2 Too many pods. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.."
        );
        assert_eq!(
            fit_error(3, &[memory, taint, rejection(&["Insufficient memory"], true)]),
            "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient memory. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.."
        );
    }
}
