//! The StatefulSet controller (`pkg/controller/statefulset`): pods `<set>-<ordinal>` with
//! stable hostnames, created in ascending ordinal order and deleted from the highest, one at a time
//! under `OrderedReady`, all at once under `Parallel`; rolling updates from the highest ordinal
//! down to the partition.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{StatefulSet, StatefulSetStatus};
use k8s_openapi::api::core::v1::Pod;

use crate::api::{ApiStore, ObjectKey};
use crate::duration::Millis;

use super::podutil::{
    available_at, controller_ref, default_grace, emit, is_available, is_ready, is_terminal, is_terminating,
    object_ref, phase, pod_from_template, template_hash, touch, PodIndex,
};
use super::Context;

const COMPONENT: &str = "statefulset-controller";
const REVISION_LABEL: &str = "controller-revision-hash";

/// Syncs every StatefulSet; returns when a pod becomes available after `minReadySeconds`.
pub(super) fn sync_all(api: &mut ApiStore, ctx: &mut Context, index: &PodIndex) -> Option<Millis> {
    // An object being deleted is left to the garbage collector: its controller no longer
    // creates anything for it (`DeletionTimestamp` checks of the upstream controllers).
    let keys: Vec<ObjectKey> = api
        .stateful_sets
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

fn running_and_ready(pod: &Pod) -> bool {
    phase(pod) == "Running" && is_ready(pod)
}

fn revision_of(pod: &Pod) -> Option<&str> {
    pod.metadata.labels.as_ref()?.get(REVISION_LABEL).map(String::as_str)
}

fn sync(api: &mut ApiStore, ctx: &mut Context, index: &PodIndex, key: &ObjectKey) -> Option<Millis> {
    let set: StatefulSet = api.stateful_sets.get(key)?.clone();
    let spec = set.spec.as_ref()?;
    let uid = set.metadata.uid.clone().unwrap_or_default();
    let replicas = spec.replicas.unwrap_or(1).max(0);
    let start = spec.ordinals.as_ref().and_then(|o| o.start).unwrap_or(0).max(0);
    let min_ready = spec.min_ready_seconds.unwrap_or(0);
    let monotonic = spec.pod_management_policy.as_deref() != Some("Parallel");
    let update_revision = format!("{}-{}", key.1, template_hash(Some(&spec.template), None));
    let involved = object_ref("StatefulSet", &set.metadata);
    let namespace = key.0.clone();

    // Owned pods by ordinal; pods whose names do not parse as `<set>-<n>` are not the set's.
    let prefix = format!("{}-", key.1);
    let mut by_ordinal: BTreeMap<i32, ObjectKey> = BTreeMap::new();
    for k in index.owned(&uid) {
        if let Some(ord) = k.1.strip_prefix(&prefix).and_then(|s| s.parse::<i32>().ok()) {
            if ord >= 0 && api.pods.contains_key(k) {
                by_ordinal.insert(ord, k.clone());
            }
        }
    }
    let in_range = |ord: i32| ord >= start && ord < start + replicas;

    // Status is computed from the pods as they were at the start of the round, as the real
    // controller does; the next round (woken by the changes) catches up.
    let mut wake: Option<Millis> = None;
    let mut status = StatefulSetStatus {
        observed_generation: set.metadata.generation,
        update_revision: Some(update_revision.clone()),
        collision_count: Some(0),
        ..Default::default()
    };
    let (mut ready, mut available, mut updated) = (0, 0, 0);
    for k in by_ordinal.values() {
        let Some(pod) = api.pods.get(k) else { continue };
        status.replicas += 1;
        if running_and_ready(pod) {
            ready += 1;
            if is_available(pod, min_ready, ctx.now) {
                available += 1;
            } else if let Some(at) = available_at(pod, min_ready) {
                wake = Some(wake.map_or(at, |w| w.min(at)));
            }
        }
        if !is_terminating(pod) && revision_of(pod) == Some(update_revision.as_str()) {
            updated += 1;
        }
    }
    status.ready_replicas = Some(ready);
    status.available_replicas = Some(available);
    status.updated_replicas = Some(updated);
    status.current_replicas = Some(updated);
    status.current_revision = Some(update_revision.clone());
    if let Some(previous) = set.status.as_ref().and_then(|s| s.current_revision.clone()) {
        if updated < status.replicas && previous != update_revision {
            status.current_revision = Some(previous.clone());
            status.current_replicas = Some(
                by_ordinal
                    .values()
                    .filter_map(|k| api.pods.get(k))
                    .filter(|p| revision_of(p) == Some(previous.as_str()))
                    .count() as i32,
            );
        }
    }
    write_status(api, key, status);

    // Replicas in ascending ordinal order.
    let mut first_unhealthy: Option<ObjectKey> = None;
    for ord in start..start + replicas {
        let existing = by_ordinal.get(&ord).and_then(|k| api.pods.get(k).map(|p| (k.clone(), p.clone())));
        match existing {
            Some((k, pod)) if is_terminal(&pod) && !is_terminating(&pod) => {
                // Failed or succeeded pods are deleted and created again.
                api.request_pod_deletion(&k, default_grace(&pod), ctx.now);
                emit(
                    api,
                    ctx,
                    COMPONENT,
                    &involved,
                    "Normal",
                    "SuccessfulDelete",
                    &format!("delete Pod {} in StatefulSet {} successful", k.1, key.1),
                );
                if monotonic {
                    return wake;
                }
            }
            Some((k, pod)) => {
                let healthy = running_and_ready(&pod)
                    && is_available(&pod, min_ready, ctx.now)
                    && !is_terminating(&pod);
                if !healthy && first_unhealthy.is_none() {
                    first_unhealthy = Some(k.clone());
                }
                if monotonic && !healthy {
                    return wake;
                }
            }
            None => {
                create_pod(api, ctx, &set, &namespace, ord, &update_revision);
                if monotonic {
                    return wake;
                }
            }
        }
    }

    // Condemned pods (ordinals beyond the range), highest first.
    let condemned: Vec<ObjectKey> =
        by_ordinal.iter().filter(|(o, _)| !in_range(**o)).map(|(_, k)| k.clone()).rev().collect();
    for k in &condemned {
        let Some(pod) = api.pods.get(k).cloned() else { continue };
        if first_unhealthy.is_none() && !(running_and_ready(&pod) && is_available(&pod, min_ready, ctx.now)) {
            first_unhealthy = Some(k.clone());
        }
    }
    for k in &condemned {
        let Some(pod) = api.pods.get(k).cloned() else { continue };
        if is_terminating(&pod) {
            if monotonic {
                return wake;
            }
            continue;
        }
        let healthy = running_and_ready(&pod) && is_available(&pod, min_ready, ctx.now);
        if monotonic && !healthy && first_unhealthy.as_ref() != Some(k) {
            return wake;
        }
        api.request_pod_deletion(k, default_grace(&pod), ctx.now);
        emit(
            api,
            ctx,
            COMPONENT,
            &involved,
            "Normal",
            "SuccessfulDelete",
            &format!("delete Pod {} in StatefulSet {} successful", k.1, key.1),
        );
        if monotonic {
            return wake;
        }
    }

    // Rolling update: from the highest ordinal down to the partition, one pod at a time.
    let strategy = spec.update_strategy.as_ref();
    if strategy.and_then(|s| s.type_.as_deref()) == Some("OnDelete") {
        return wake;
    }
    let partition = strategy.and_then(|s| s.rolling_update.as_ref()).and_then(|r| r.partition).unwrap_or(0);
    for ord in (start.max(start + partition)..start + replicas).rev() {
        let Some(k) = by_ordinal.get(&ord) else { continue };
        let Some(pod) = api.pods.get(k).cloned() else { continue };
        if revision_of(&pod) != Some(update_revision.as_str()) && !is_terminating(&pod) {
            api.request_pod_deletion(k, default_grace(&pod), ctx.now);
            emit(
                api,
                ctx,
                COMPONENT,
                &involved,
                "Normal",
                "SuccessfulDelete",
                &format!("delete Pod {} in StatefulSet {} successful", k.1, key.1),
            );
            return wake;
        }
        if !(running_and_ready(&pod) && is_available(&pod, min_ready, ctx.now)) || is_terminating(&pod) {
            return wake;
        }
    }
    wake
}

fn create_pod(
    api: &mut ApiStore,
    ctx: &mut Context,
    set: &StatefulSet,
    namespace: &str,
    ord: i32,
    revision: &str,
) {
    let Some(spec) = set.spec.as_ref() else { return };
    let set_name = set.metadata.name.clone().unwrap_or_default();
    let name = format!("{set_name}-{ord}");
    // The playground's pod limit, with the StatefulSet controller's own failure event
    // (`pkg/controller/statefulset/stateful_pod_control.go`, recordPodEvent) and the
    // workqueue's back-off before the next try.
    let uid = set.metadata.uid.clone().unwrap_or_default();
    if crate::budget::objects::waiting(api, &uid, ctx.now).is_some() {
        return;
    }
    if let Err(e) = crate::budget::objects::admit_pod(api, &name) {
        let involved = object_ref("StatefulSet", &set.metadata);
        let message = format!("create Pod {name} in StatefulSet {set_name} failed error: {e}");
        emit(api, ctx, COMPONENT, &involved, "Warning", "FailedCreate", &message);
        crate::budget::objects::failed(api, &uid, ctx.now);
        return;
    }
    crate::budget::objects::succeeded(api, &uid);
    let labels = [
        ("statefulset.kubernetes.io/pod-name", name.clone()),
        ("apps.kubernetes.io/pod-index", ord.to_string()),
        (REVISION_LABEL, revision.to_string()),
    ];
    let mut pod = pod_from_template(
        ctx,
        Some(&spec.template),
        namespace,
        name.clone(),
        None,
        &labels,
        controller_ref("StatefulSet", &set.metadata),
    );
    if let Some(pod_spec) = pod.spec.as_mut() {
        pod_spec.hostname = Some(name.clone());
        if let Some(service) = spec.service_name.clone().filter(|s| !s.is_empty()) {
            pod_spec.subdomain = Some(service);
        }
    }
    api.create_pod(pod);
    let involved = object_ref("StatefulSet", &set.metadata);
    emit(
        api,
        ctx,
        COMPONENT,
        &involved,
        "Normal",
        "SuccessfulCreate",
        &format!("create Pod {name} in StatefulSet {set_name} successful"),
    );
}

fn write_status(api: &mut ApiStore, key: &ObjectKey, status: StatefulSetStatus) {
    let Some(live) = api.stateful_sets.get(key) else { return };
    if live.status.as_ref() == Some(&status) {
        return;
    }
    let mut updated = live.clone();
    updated.status = Some(status);
    touch(api, &mut updated.metadata);
    api.stateful_sets.insert(key.clone(), updated);
}
