//! The ReplicaSet controller (`pkg/controller/replicaset`): keeps `spec.replicas` active pods,
//! creating replacements at once for deleted or terminating ones and deleting the surplus least
//! valuable first, and writes the status the Deployment controller reads.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{ReplicaSet, ReplicaSetStatus};

use crate::api::{ApiStore, ObjectKey};
use crate::budget;
use crate::duration::Millis;
use crate::selector::Selector;

use super::podutil::{
    available_at, controller_ref, created, default_grace, emit, generate_pod_name, is_active, is_available,
    is_ready, object_ref, pod_from_template, touch, PodIndex,
};
use super::Context;

const COMPONENT: &str = "replicaset-controller";

/// Syncs every ReplicaSet; returns when a pod of one becomes available.
pub(super) fn sync_all(api: &mut ApiStore, ctx: &mut Context, index: &PodIndex) -> Option<Millis> {
    // An object being deleted is left to the garbage collector: its controller no longer
    // creates anything for it (`DeletionTimestamp` checks of the upstream controllers).
    let keys: Vec<ObjectKey> = api
        .replica_sets
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

fn sync(api: &mut ApiStore, ctx: &mut Context, index: &PodIndex, key: &ObjectKey) -> Option<Millis> {
    let rs = api.replica_sets.get(key)?.clone();
    let uid = rs.metadata.uid.clone().unwrap_or_default();
    let spec = rs.spec.as_ref()?;
    let replicas = spec.replicas.unwrap_or(1).max(0) as usize;
    let min_ready = spec.min_ready_seconds.unwrap_or(0);
    let selector = Selector::from_label_selector(&spec.selector).ok()?;
    let namespace = key.0.clone();

    // Orphans whose labels match are adopted, as `ClaimPods` does.
    let mut adopted: Vec<ObjectKey> = Vec::new();
    for orphan in &index.orphans {
        if orphan.0 != namespace || selector.requirements.is_empty() {
            continue;
        }
        let adopt = api.pods.get(orphan).is_some_and(|p| {
            is_active(p)
                && super::podutil::controller_uid(&p.metadata).is_none()
                && selector.matches(p.metadata.labels.as_ref())
        });
        if adopt {
            if let Some(pod) = api.pods.get_mut(orphan) {
                pod.metadata
                    .owner_references
                    .get_or_insert_with(Vec::new)
                    .push(controller_ref("ReplicaSet", &rs.metadata));
            }
            api.pod_changed(orphan);
            adopted.push(orphan.clone());
        }
    }
    // Keys borrow from the index (built before this pass) so a large set costs no copies.
    let mut active: Vec<&ObjectKey> = index
        .owned(&uid)
        .iter()
        .chain(&adopted)
        .filter(|k| api.pods.get(*k).is_some_and(is_active))
        .collect();

    let involved = object_ref("ReplicaSet", &rs.metadata);
    let mut created_keys: Vec<ObjectKey> = Vec::new();
    let mut retry_at = None;
    if active.len() < replicas {
        // At most `burstReplicas` creations per sync, in slow-start batches; a batch with a
        // failure ends the sync, which is retried after the workqueue's back-off.
        let want = (replicas - active.len()).min(budget::BURST_REPLICAS);
        retry_at = budget::objects::waiting(api, &uid, ctx.now);
        let prefix = format!("{}-", key.1);
        let mut failed = false;
        for batch in budget::objects::slow_start_batches(if retry_at.is_some() { 0 } else { want }) {
            for _ in 0..batch {
                let name = generate_pod_name(api, ctx, &namespace, &prefix);
                if let Err(e) = budget::objects::admit_pod(api, &name) {
                    failed = true;
                    let message = format!("Error creating: {e}");
                    emit(api, ctx, COMPONENT, &involved, "Warning", "FailedCreate", &message);
                    continue;
                }
                let pod = pod_from_template(
                    ctx,
                    spec.template.as_ref(),
                    &namespace,
                    name.clone(),
                    Some(prefix.clone()),
                    &[],
                    controller_ref("ReplicaSet", &rs.metadata),
                );
                created_keys.push(api.create_pod(pod));
                emit(
                    api,
                    ctx,
                    COMPONENT,
                    &involved,
                    "Normal",
                    "SuccessfulCreate",
                    &format!("Created pod: {name}"),
                );
            }
            if failed {
                break;
            }
        }
        if failed {
            retry_at = Some(budget::objects::failed(api, &uid, ctx.now));
        } else if retry_at.is_none() {
            budget::objects::succeeded(api, &uid);
        }
    } else if active.len() > replicas {
        let surplus = (active.len() - replicas).min(budget::BURST_REPLICAS);
        let doomed = pods_to_delete(api, &active, surplus);
        for victim in doomed {
            let grace = api.pods.get(&victim).map(default_grace).unwrap_or(30);
            api.request_pod_deletion(&victim, grace, ctx.now);
            active.retain(|k| **k != victim);
            emit(
                api,
                ctx,
                COMPONENT,
                &involved,
                "Normal",
                "SuccessfulDelete",
                &format!("Deleted pod: {}", victim.1),
            );
        }
    }
    active.extend(created_keys.iter());

    // Status over the active pods after this sync's creations and deletions.
    let template_labels = spec
        .template
        .as_ref()
        .and_then(|t| t.metadata.as_ref())
        .and_then(|m| m.labels.clone())
        .unwrap_or_default();
    let mut status = ReplicaSetStatus {
        replicas: active.len() as i32,
        observed_generation: rs.metadata.generation,
        ..Default::default()
    };
    let (mut labeled, mut ready, mut available) = (0, 0, 0);
    let mut wake: Option<Millis> = retry_at;
    for k in &active {
        let Some(pod) = api.pods.get(*k) else { continue };
        let labels = pod.metadata.labels.as_ref();
        if template_labels.iter().all(|(lk, lv)| labels.and_then(|l| l.get(lk)) == Some(lv)) {
            labeled += 1;
        }
        if is_ready(pod) {
            ready += 1;
            if is_available(pod, min_ready, ctx.now) {
                available += 1;
            } else if let Some(at) = available_at(pod, min_ready) {
                wake = Some(wake.map_or(at, |w| w.min(at)));
            }
        }
    }
    status.fully_labeled_replicas = Some(labeled);
    status.ready_replicas = Some(ready);
    status.available_replicas = Some(available);
    if let Some(live) = api.replica_sets.get(key) {
        if live.status.as_ref() != Some(&status) {
            let mut updated: ReplicaSet = live.clone();
            updated.status = Some(status);
            touch(api, &mut updated.metadata);
            api.replica_sets.insert(key.clone(), updated);
        }
    }
    wake
}

/// `getPodsToDelete`: ranks the active pods as `controller.ActivePodsWithRanks` does and takes the
/// first `count`: unscheduled before scheduled, pending before running, not ready before ready,
/// pods sharing a node with more siblings first, ready for less time first, more restarts first,
/// newer first.
fn pods_to_delete(api: &ApiStore, active: &[&ObjectKey], count: usize) -> Vec<ObjectKey> {
    let mut per_node: BTreeMap<String, usize> = BTreeMap::new();
    for k in active {
        if let Some(node) = api.pods.get(k).and_then(|p| p.spec.as_ref()).and_then(|s| s.node_name.clone()) {
            *per_node.entry(node).or_default() += 1;
        }
    }
    let mut ranked: Vec<_> = active
        .iter()
        .filter_map(|k| {
            let pod = api.pods.get(k)?;
            let node = pod.spec.as_ref().and_then(|s| s.node_name.clone());
            let phase_rank = match super::podutil::phase(pod) {
                "Pending" => 0,
                "Unknown" => 1,
                _ => 2,
            };
            let restarts: i32 = pod
                .status
                .as_ref()
                .and_then(|s| s.container_statuses.as_ref())
                .map(|cs| cs.iter().map(|c| c.restart_count).sum())
                .unwrap_or(0);
            let ready_since = super::podutil::ready_since(pod);
            let siblings = node.as_ref().and_then(|n| per_node.get(n)).copied().unwrap_or(0);
            Some((
                (
                    node.is_some(),
                    phase_rank,
                    ready_since.is_some(),
                    Reverse(siblings),
                    Reverse(ready_since.unwrap_or(i64::MAX)),
                    Reverse(restarts),
                    Reverse(created(&pod.metadata)),
                    Reverse(super::podutil::resource_version(&pod.metadata)),
                ),
                (*k).clone(),
            ))
        })
        .collect();
    ranked.sort();
    ranked.into_iter().take(count).map(|(_, k)| k).collect()
}
