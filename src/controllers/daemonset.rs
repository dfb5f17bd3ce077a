//! The DaemonSet controller (`pkg/controller/daemon`): one pod per eligible node, pinned to
//! it with node affinity, replaced when it fails, and rolled node by node within `maxUnavailable`.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{DaemonSet, DaemonSetStatus};
use k8s_openapi::api::core::v1::{
    Affinity, NodeAffinity, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, Pod, Toleration,
};

use crate::api::{ApiStore, ObjectKey};
use crate::duration::Millis;
use crate::selector::Selector;

use super::podutil::{
    available_at, controller_ref, created, default_grace, emit, generate_pod_name, is_available, is_ready,
    is_terminating, object_ref, phase, pod_from_template, scaled_value, template_hash, touch, PodIndex,
};
use super::Context;

const COMPONENT: &str = "daemonset-controller";

/// Syncs every DaemonSet; returns when a pod becomes available after `minReadySeconds`.
pub(super) fn sync_all(api: &mut ApiStore, ctx: &mut Context, index: &PodIndex) -> Option<Millis> {
    // An object being deleted is left to the garbage collector: its controller no longer
    // creates anything for it (`DeletionTimestamp` checks of the upstream controllers).
    let keys: Vec<ObjectKey> = api
        .daemon_sets
        .iter()
        .filter(|(_, o)| o.metadata.deletion_timestamp.is_none())
        .map(|(k, _)| k.clone())
        .collect();
    let mut wake = None;
    for key in keys {
        if let Some(w) = sync(api, ctx, index, &key) {
            wake = Some(wake.map_or(w, |x: Millis| x.min(w)));
        }
    }
    wake
}

/// The node a DaemonSet pod is pinned to: its binding, or the node named in its affinity.
fn node_of(pod: &Pod) -> Option<String> {
    let spec = pod.spec.as_ref()?;
    if let Some(node) = &spec.node_name {
        return Some(node.clone());
    }
    let terms = &spec
        .affinity
        .as_ref()?
        .node_affinity
        .as_ref()?
        .required_during_scheduling_ignored_during_execution
        .as_ref()?
        .node_selector_terms;
    terms
        .iter()
        .flat_map(|t| t.match_fields.iter().flatten())
        .find(|f| f.key == "metadata.name")?
        .values
        .as_ref()?
        .first()
        .cloned()
}

fn sync(api: &mut ApiStore, ctx: &mut Context, index: &PodIndex, key: &ObjectKey) -> Option<Millis> {
    let ds: DaemonSet = api.daemon_sets.get(key)?.clone();
    let spec = ds.spec.as_ref()?;
    let uid = ds.metadata.uid.clone().unwrap_or_default();
    let min_ready = spec.min_ready_seconds.unwrap_or(0);
    let hash = template_hash(Some(&spec.template), None);
    let involved = object_ref("DaemonSet", &ds.metadata);
    let namespace = key.0.clone();

    // Nodes that should run the daemon: those matching the template's nodeSelector.
    let node_selector = spec.template.spec.as_ref().and_then(|s| s.node_selector.clone()).unwrap_or_default();
    let selector = Selector::from_map(&node_selector);
    let mut nodes: Vec<(String, String)> = api
        .nodes
        .values()
        .filter(|n| selector.matches(n.metadata.labels.as_ref()))
        .map(|n| (n.metadata.uid.clone().unwrap_or_default(), n.metadata.name.clone().unwrap_or_default()))
        .collect();
    nodes.sort();
    let wanted: Vec<String> = nodes.into_iter().map(|(_, n)| n).collect();

    let mut per_node: BTreeMap<String, Vec<ObjectKey>> = BTreeMap::new();
    for k in index.owned(&uid) {
        if let Some(pod) = api.pods.get(k) {
            if let Some(node) = node_of(pod) {
                per_node.entry(node).or_default().push(k.clone());
            }
        }
    }

    let mut wake: Option<Millis> = None;
    let mut status = DaemonSetStatus { observed_generation: ds.metadata.generation, ..Default::default() };
    let (mut ready, mut available, mut updated) = (0, 0, 0);
    let mut to_create: Vec<String> = Vec::new();
    let mut to_delete: Vec<(ObjectKey, Option<String>)> = Vec::new();
    let mut old_on_node: Vec<(String, ObjectKey, bool)> = Vec::new();
    for (node, keys) in &per_node {
        if !wanted.contains(node) {
            status.number_misscheduled += 1;
            for k in keys {
                if api.pods.get(k).is_some_and(|p| !is_terminating(p)) {
                    to_delete.push((k.clone(), None));
                }
            }
        }
    }
    for node in &wanted {
        let mut running: Vec<&ObjectKey> = Vec::new();
        for k in per_node.get(node).map(Vec::as_slice).unwrap_or(&[]) {
            let Some(pod) = api.pods.get(k) else { continue };
            if is_terminating(pod) {
                continue;
            }
            if phase(pod) == "Failed" {
                let msg =
                    format!("Found failed daemon pod {}/{} on node {node}, will try to kill it", k.0, k.1);
                to_delete.push((k.clone(), Some(msg)));
                continue;
            }
            running.push(k);
        }
        // The oldest pod stays; any others on the node are surplus.
        running.sort_by_key(|k| api.pods.get(*k).map(|p| created(&p.metadata)).unwrap_or(0));
        match running.first() {
            None => to_create.push(node.clone()),
            Some(k) => {
                let pod = &api.pods[*k];
                status.current_number_scheduled += 1;
                let is_new = pod.metadata.labels.as_ref().and_then(|l| l.get("controller-revision-hash"))
                    == Some(&hash);
                let avail = is_available(pod, min_ready, ctx.now);
                if is_ready(pod) {
                    ready += 1;
                    if avail {
                        available += 1;
                    } else if let Some(at) = available_at(pod, min_ready) {
                        wake = Some(wake.map_or(at, |w| w.min(at)));
                    }
                }
                if is_new {
                    updated += 1;
                } else {
                    old_on_node.push((node.clone(), (*k).clone(), avail));
                }
                for extra in running.iter().skip(1) {
                    to_delete.push(((*extra).clone(), None));
                }
            }
        }
    }
    status.desired_number_scheduled = wanted.len() as i32;
    status.number_ready = ready;
    status.number_available = Some(available);
    status.number_unavailable = Some(wanted.len() as i32 - available);
    status.updated_number_scheduled = Some(updated);
    if let Some(live) = api.daemon_sets.get(key) {
        if live.status.as_ref() != Some(&status) {
            let mut next = live.clone();
            next.status = Some(status);
            touch(api, &mut next.metadata);
            api.daemon_sets.insert(key.clone(), next);
        }
    }

    // Rolling update: delete old pods while the unavailable count stays within maxUnavailable;
    // the node's new pod is created once the old one is gone from the active set.
    let strategy = spec.update_strategy.as_ref();
    if strategy.and_then(|s| s.type_.as_deref()) != Some("OnDelete") {
        let max_unavailable = scaled_value(
            strategy.and_then(|s| s.rolling_update.as_ref()).and_then(|r| r.max_unavailable.as_ref()),
            wanted.len() as i32,
            true,
            "1",
        )
        .max(1);
        let mut unavailable = wanted.len() as i32 - available;
        // Unavailable old pods go first: replacing them costs no availability.
        for (_, k, _) in old_on_node.iter().filter(|(_, _, a)| !a) {
            to_delete.push((k.clone(), None));
        }
        for (_, k, _) in old_on_node.iter().filter(|(_, _, a)| *a) {
            if unavailable >= max_unavailable {
                break;
            }
            to_delete.push((k.clone(), None));
            unavailable += 1;
        }
    }

    for (k, warning) in to_delete {
        let Some(pod) = api.pods.get(&k) else { continue };
        let grace = default_grace(pod);
        if let Some(msg) = warning {
            emit(api, ctx, COMPONENT, &involved, "Warning", "FailedDaemonPod", &msg);
        }
        api.request_pod_deletion(&k, grace, ctx.now);
        emit(api, ctx, COMPONENT, &involved, "Normal", "SuccessfulDelete", &format!("Deleted pod: {}", k.1));
    }
    let prefix = format!("{}-", key.1);
    for node in to_create {
        let name = generate_pod_name(api, ctx, &namespace, &prefix);
        // The playground's pod limit (`crate::budget`): the controller's `FailedCreate`
        // (`pkg/controller/controller_utils.go`), and no more creations in this sync.
        if let Err(e) = crate::budget::objects::admit_pod(api, &name) {
            let message = format!("Error creating: {e}");
            emit(api, ctx, COMPONENT, &involved, "Warning", "FailedCreate", &message);
            break;
        }
        let labels = [
            ("controller-revision-hash", hash.clone()),
            ("pod-template-generation", ds.metadata.generation.unwrap_or(1).to_string()),
        ];
        let mut pod = pod_from_template(
            ctx,
            Some(&spec.template),
            &namespace,
            name.clone(),
            Some(prefix.clone()),
            &labels,
            controller_ref("DaemonSet", &ds.metadata),
        );
        pin_to_node(&mut pod, &node);
        api.create_pod(pod);
        emit(api, ctx, COMPONENT, &involved, "Normal", "SuccessfulCreate", &format!("Created pod: {name}"));
    }
    wake
}

/// The node affinity and tolerations the DaemonSet controller adds to every pod.
fn pin_to_node(pod: &mut Pod, node: &str) {
    let Some(spec) = pod.spec.as_mut() else { return };
    let term = NodeSelectorTerm {
        match_fields: Some(vec![NodeSelectorRequirement {
            key: "metadata.name".into(),
            operator: "In".into(),
            values: Some(vec![node.to_string()]),
        }]),
        ..Default::default()
    };
    let affinity = spec.affinity.get_or_insert_with(Affinity::default);
    let node_affinity = affinity.node_affinity.get_or_insert_with(NodeAffinity::default);
    node_affinity.required_during_scheduling_ignored_during_execution =
        Some(NodeSelector { node_selector_terms: vec![term] });
    let tolerations = spec.tolerations.get_or_insert_with(Vec::new);
    for (key, effect) in [
        ("node.kubernetes.io/not-ready", "NoExecute"),
        ("node.kubernetes.io/unreachable", "NoExecute"),
        ("node.kubernetes.io/disk-pressure", "NoSchedule"),
        ("node.kubernetes.io/memory-pressure", "NoSchedule"),
        ("node.kubernetes.io/pid-pressure", "NoSchedule"),
        ("node.kubernetes.io/unschedulable", "NoSchedule"),
    ] {
        if !tolerations.iter().any(|t| t.key.as_deref() == Some(key) && t.effect.as_deref() == Some(effect)) {
            tolerations.push(Toleration {
                key: Some(key.into()),
                operator: Some("Exists".into()),
                effect: Some(effect.into()),
                ..Default::default()
            });
        }
    }
}
