//! The scheduler: binds every pending pod to a node. Among the nodes that fit (a ready,
//! schedulable node matching the pod's `nodeSelector` and, for DaemonSet pods, the node named in
//! their node affinity), the one running the fewest pods wins, ties going to the earlier node in
//! the scenario's order — what the default scoring plugins amount to for pods without requests.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Node, Pod, PodCondition, PodStatus};

use crate::api::{timestamp, ApiStore, ObjectKey, MAX_PODS_PER_NODE};
use crate::selector::Selector;

use super::podutil::{created, emit, is_terminal, is_terminating, object_ref, resource_version};
use super::Context;

/// Binds pending pods in the order they were created.
pub(super) fn schedule(api: &mut ApiStore, ctx: &mut Context) {
    let mut pending: Vec<(i64, u64, ObjectKey)> = api
        .pods
        .iter()
        .filter(|(_, p)| {
            p.spec.as_ref().is_some_and(|s| s.node_name.is_none()) && !is_terminating(p) && !is_terminal(p)
        })
        .map(|(k, p)| (created(&p.metadata), resource_version(&p.metadata), k.clone()))
        .collect();
    if pending.is_empty() {
        return;
    }
    pending.sort();

    // Nodes in scenario order: the store assigns uids in that order.
    let mut nodes: Vec<&Node> = api.nodes.values().collect();
    nodes.sort_by(|a, b| a.metadata.uid.cmp(&b.metadata.uid));
    let node_names: Vec<String> = nodes.iter().filter_map(|n| n.metadata.name.clone()).collect();
    let node_labels: Vec<BTreeMap<String, String>> =
        nodes.iter().map(|n| n.metadata.labels.clone().unwrap_or_default()).collect();
    let usable: Vec<bool> = nodes.iter().map(|n| node_usable(n)).collect();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for pod in api.pods.values() {
        if let Some(node) = pod.spec.as_ref().and_then(|s| s.node_name.as_ref()) {
            if !is_terminal(pod) {
                *counts.entry(node.clone()).or_default() += 1;
            }
        }
    }

    for (_, _, key) in pending {
        let Some(pod) = api.pods.get(&key) else { continue };
        let matching: Vec<usize> = (0..node_names.len())
            .filter(|&i| usable[i] && fits_node(pod, &node_names[i], &node_labels[i]))
            .collect();
        let count = |i: usize| counts.get(&node_names[i]).copied().unwrap_or(0);
        let fits: Vec<usize> = matching.iter().copied().filter(|&i| count(i) < MAX_PODS_PER_NODE).collect();
        let best = fits.iter().copied().min_by_key(|&i| (count(i), i));
        let involved = object_ref("Pod", &pod.metadata);
        match best {
            Some(i) => {
                let node = node_names[i].clone();
                if let Some(pod) = api.pods.get_mut(&key) {
                    if let Some(spec) = pod.spec.as_mut() {
                        spec.node_name = Some(node.clone());
                    }
                }
                api.pod_changed(&key);
                *counts.entry(node.clone()).or_default() += 1;
                let message = format!("Successfully assigned {}/{} to {node}", key.0, key.1);
                emit(api, ctx, "default-scheduler", &involved, "Normal", "Scheduled", &message);
            }
            None => unschedulable(api, ctx, &key, node_names.len(), matching.len()),
        }
    }
}

/// Records why a pod cannot be placed, once per distinct reason: the `PodScheduled=False`
/// condition the scheduler writes and a `FailedScheduling` event. Of `total` nodes, `full` matched
/// the pod but already run [`MAX_PODS_PER_NODE`] pods; the rest did not match it. As the
/// scheduler's fit error does, the reasons are counted and sorted as text, and so are the
/// preemption verdicts: a full node has no lower-priority victims, a mismatched node cannot be
/// helped by preemption.
fn unschedulable(api: &mut ApiStore, ctx: &mut Context, key: &ObjectKey, total: usize, full: usize) {
    let mismatched = total - full;
    let mut reasons = Vec::new();
    let mut verdicts = Vec::new();
    if full > 0 {
        reasons.push(format!("{full} Too many pods"));
        verdicts.push(format!("{full} No preemption victims found for incoming pod"));
    }
    if mismatched > 0 {
        reasons.push(format!("{mismatched} node(s) didn't match Pod's node affinity/selector"));
        verdicts.push(format!("{mismatched} Preemption is not helpful for scheduling"));
    }
    reasons.sort();
    verdicts.sort();
    let message = format!(
        "0/{total} nodes are available: {}. preemption: 0/{total} nodes are available: {}.",
        reasons.join(", "),
        verdicts.join(", ")
    );
    let Some(pod) = api.pods.get(key) else { return };
    let mut status = pod.status.clone().unwrap_or_default();
    let conditions = status.conditions.get_or_insert_with(Vec::new);
    if conditions.iter().any(|c| c.type_ == "PodScheduled" && c.message.as_deref() == Some(message.as_str()))
    {
        return;
    }
    conditions.retain(|c| c.type_ != "PodScheduled");
    conditions.push(PodCondition {
        type_: "PodScheduled".into(),
        status: "False".into(),
        reason: Some("Unschedulable".into()),
        message: Some(message.clone()),
        last_transition_time: Some(timestamp(ctx.now)),
        ..Default::default()
    });
    let involved = object_ref("Pod", &pod.metadata);
    api.set_pod_status(key, PodStatus { phase: Some("Pending".into()), ..status });
    emit(api, ctx, "default-scheduler", &involved, "Warning", "FailedScheduling", &message);
}

fn node_usable(node: &Node) -> bool {
    let schedulable = !node.spec.as_ref().and_then(|s| s.unschedulable).unwrap_or(false);
    let ready = node
        .status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|c| c.iter().find(|c| c.type_ == "Ready"))
        .is_some_and(|c| c.status == "True");
    schedulable && ready
}

/// The `NodeName`, `NodeAffinity` (node selector and `matchFields` on `metadata.name`, the form
/// the DaemonSet controller writes) and `nodeSelector` filters.
fn fits_node(pod: &Pod, node: &str, labels: &BTreeMap<String, String>) -> bool {
    let Some(spec) = pod.spec.as_ref() else { return false };
    if let Some(sel) = &spec.node_selector {
        if !Selector::from_map(sel).matches(Some(labels)) {
            return false;
        }
    }
    let terms = spec
        .affinity
        .as_ref()
        .and_then(|a| a.node_affinity.as_ref())
        .and_then(|a| a.required_during_scheduling_ignored_during_execution.as_ref())
        .map(|r| r.node_selector_terms.as_slice())
        .unwrap_or(&[]);
    if terms.is_empty() {
        return true;
    }
    // Terms are ORed; the requirements inside one term are ANDed.
    terms.iter().any(|term| {
        let fields_ok = term.match_fields.iter().flatten().all(|req| {
            let values = req.values.clone().unwrap_or_default();
            match (req.key.as_str(), req.operator.as_str()) {
                ("metadata.name", "In") => values.iter().any(|v| v == node),
                ("metadata.name", "NotIn") => !values.iter().any(|v| v == node),
                _ => false,
            }
        });
        let labels_ok = term.match_expressions.iter().flatten().all(|req| {
            let values = req.values.clone().unwrap_or_default();
            let value = labels.get(&req.key);
            match req.operator.as_str() {
                "In" => value.is_some_and(|v| values.contains(v)),
                "NotIn" => value.is_none_or(|v| !values.contains(v)),
                "Exists" => value.is_some(),
                "DoesNotExist" => value.is_none(),
                _ => false,
            }
        });
        fields_ok && labels_ok
    })
}
