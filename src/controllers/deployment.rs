//! The Deployment controller (`pkg/controller/deployment`): one ReplicaSet per pod template, named
//! `<deployment>-<pod-template-hash>`, rolled with `RollingUpdate` (bounded by `maxSurge` and
//! `maxUnavailable`) or `Recreate`, with revision annotations, `ScalingReplicaSet` events and the
//! status and conditions `kubectl get/describe deploy` print.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{
    Deployment, DeploymentCondition, DeploymentStatus, ReplicaSet, ReplicaSetSpec,
};
use k8s_openapi::api::core::v1::PodTemplateSpec;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::api::{key_of, millis_of, timestamp, ApiStore, ObjectKey};
use crate::duration::Millis;

use super::podutil::{
    controller_ref, controller_uid, created, emit, object_ref, scaled_value, template_hash, touch, touch_spec,
};
use super::Context;

const COMPONENT: &str = "deployment-controller";
pub(crate) const REVISION: &str = "deployment.kubernetes.io/revision";
const DESIRED: &str = "deployment.kubernetes.io/desired-replicas";
const MAX_REPLICAS: &str = "deployment.kubernetes.io/max-replicas";
const HASH_LABEL: &str = "pod-template-hash";

/// Syncs every Deployment; returns when a progress deadline must be checked.
pub(super) fn sync_all(api: &mut ApiStore, ctx: &mut Context) -> Option<Millis> {
    // An object being deleted is left to the garbage collector: its controller no longer
    // creates anything for it (`DeletionTimestamp` checks of the upstream controllers).
    let keys: Vec<ObjectKey> = api
        .deployments
        .iter()
        .filter(|(_, o)| o.metadata.deletion_timestamp.is_none())
        .map(|(k, _)| k.clone())
        .collect();
    let mut wake = None;
    for key in keys {
        if let Some(w) = sync(api, ctx, &key) {
            wake = Some(wake.map_or(w, |x: Millis| x.min(w)));
        }
    }
    wake
}

/// The fenceposts of a rolling update: (max surge, max unavailable), as `ResolveFenceposts`.
pub(crate) fn fenceposts(d: &Deployment) -> (i32, i32) {
    let Some(spec) = d.spec.as_ref() else { return (0, 0) };
    let replicas = spec.replicas.unwrap_or(1).max(0);
    let strategy = spec.strategy.as_ref();
    if strategy.and_then(|s| s.type_.as_deref()) == Some("Recreate") {
        return (0, 0);
    }
    let rolling = strategy.and_then(|s| s.rolling_update.as_ref());
    let surge = scaled_value(rolling.and_then(|r| r.max_surge.as_ref()), replicas, true, "25%");
    let mut unavailable =
        scaled_value(rolling.and_then(|r| r.max_unavailable.as_ref()), replicas, false, "25%");
    if surge == 0 && unavailable == 0 {
        unavailable = 1;
    }
    (surge, unavailable.min(replicas))
}

/// One ReplicaSet as the controller reasons about it.
#[derive(Clone)]
struct Set {
    key: ObjectKey,
    created: i64,
    replicas: i32,
    status_replicas: i32,
    ready: i32,
    available: i32,
    revision: i64,
}

fn sync(api: &mut ApiStore, ctx: &mut Context, key: &ObjectKey) -> Option<Millis> {
    let d = api.deployments.get(key)?.clone();
    let uid = d.metadata.uid.clone().unwrap_or_default();
    let spec = d.spec.clone()?;
    let replicas = spec.replicas.unwrap_or(1).max(0);

    // The Deployment's ReplicaSets, oldest first; the new one is the one whose template equals the
    // Deployment's, ignoring the hash label.
    let mut sets: Vec<Set> = api
        .replica_sets
        .iter()
        .filter(|(_, rs)| controller_uid(&rs.metadata) == Some(uid.as_str()))
        .map(|(k, rs)| to_set(k, rs))
        .collect();
    sets.sort_by(|a, b| (a.created, &a.key).cmp(&(b.created, &b.key)));
    let new_key = sets
        .iter()
        .find(|s| api.replica_sets.get(&s.key).is_some_and(|rs| equal_ignoring_hash(rs, &spec.template)))
        .map(|s| s.key.clone());
    let max_old_revision =
        sets.iter().filter(|s| Some(&s.key) != new_key.as_ref()).map(|s| s.revision).max().unwrap_or(0);
    let (surge, max_unavailable) = fenceposts(&d);
    let recreate = spec.strategy.as_ref().and_then(|s| s.type_.as_deref()) == Some("Recreate");
    let involved = object_ref("Deployment", &d.metadata);
    let mut status = d.status.clone().unwrap_or_default();
    let old_status = status.clone();

    let new_key = match new_key {
        Some(k) => {
            // A template rolled back to an older ReplicaSet makes it the newest revision again.
            let revision = sets.iter().find(|s| s.key == k).map(|s| s.revision).unwrap_or(0);
            if revision <= max_old_revision {
                set_annotation(api, &k, REVISION, (max_old_revision + 1).to_string());
            }
            super::rs_annotations::copy_to_new_set(api, &d, &k);
            Some(k)
        }
        None => None,
    };

    let old: Vec<Set> = sets.iter().filter(|s| Some(&s.key) != new_key.as_ref()).cloned().collect();
    let mut new_key = new_key;
    if recreate {
        // Recreate: scale every old ReplicaSet to zero, wait until their pods are gone, then
        // bring up the new one at full size.
        let mut scaled = false;
        for s in old.iter().filter(|s| s.replicas > 0) {
            scale_set(api, ctx, &involved, &s.key, s.replicas, 0, replicas, surge);
            scaled = true;
        }
        let old_pods_running = old.iter().any(|s| {
            let uid = api.replica_sets.get(&s.key).and_then(|rs| rs.metadata.uid.clone()).unwrap_or_default();
            api.pods
                .values()
                .any(|p| controller_uid(&p.metadata) == Some(uid.as_str()) && !super::podutil::is_terminal(p))
        });
        if !scaled && !old_pods_running {
            match &new_key {
                None => {
                    new_key = create_set(api, ctx, &d, replicas, max_old_revision + 1, &mut status, surge)
                }
                Some(k) => {
                    let current = api.replica_sets.get(k).map(|rs| to_set(k, rs).replicas).unwrap_or(0);
                    if current != replicas {
                        scale_set(api, ctx, &involved, k, current, replicas, replicas, surge);
                    }
                }
            }
        }
    } else {
        let all_count: i32 = sets.iter().map(|s| s.replicas).sum();
        let mut scaled_up = false;
        match &new_key {
            None => {
                let count = if all_count >= replicas + surge {
                    0
                } else {
                    (replicas + surge - all_count).min(replicas)
                };
                new_key = create_set(api, ctx, &d, count, max_old_revision + 1, &mut status, surge);
                scaled_up = count > 0;
            }
            Some(k) => {
                let new = sets.iter().find(|s| &s.key == k).cloned()?;
                if new.replicas > replicas {
                    scale_set(api, ctx, &involved, k, new.replicas, replicas, replicas, surge);
                } else if new.replicas < replicas {
                    let headroom = replicas + surge - all_count;
                    if headroom > 0 {
                        let target = new.replicas + headroom.min(replicas - new.replicas);
                        scale_set(api, ctx, &involved, k, new.replicas, target, replicas, surge);
                        scaled_up = true;
                    }
                }
            }
        }
        if !scaled_up {
            if let Some(k) = &new_key {
                let new = api.replica_sets.get(k).map(|rs| to_set(k, rs))?;
                reconcile_old(api, ctx, &involved, &old, &new, replicas, max_unavailable, surge);
            }
        }
    }

    // Status from the ReplicaSets as they are now.
    let sets: Vec<Set> = api
        .replica_sets
        .iter()
        .filter(|(_, rs)| controller_uid(&rs.metadata) == Some(uid.as_str()))
        .map(|(k, rs)| to_set(k, rs))
        .collect();
    let new = new_key.as_ref().and_then(|k| sets.iter().find(|s| &s.key == k));
    let total_spec: i32 = sets.iter().map(|s| s.replicas).sum();
    let available: i32 = sets.iter().map(|s| s.available).sum();
    status.observed_generation = d.metadata.generation;
    status.replicas = Some(sets.iter().map(|s| s.status_replicas).sum());
    status.updated_replicas = Some(new.map(|s| s.status_replicas).unwrap_or(0));
    status.ready_replicas = Some(sets.iter().map(|s| s.ready).sum());
    status.available_replicas = Some(available);
    status.unavailable_replicas = Some((total_spec - available).max(0));
    let now = ctx.now;
    if available >= replicas - max_unavailable {
        set_condition(
            &mut status,
            now,
            "Available",
            "True",
            "MinimumReplicasAvailable",
            "Deployment has minimum availability.",
        );
    } else {
        set_condition(
            &mut status,
            now,
            "Available",
            "False",
            "MinimumReplicasUnavailable",
            "Deployment does not have minimum availability.",
        );
    }
    let new_name = new_key.as_ref().map(|k| k.1.clone()).unwrap_or_default();
    let deadline = spec.progress_deadline_seconds.unwrap_or(600);
    let current = condition(&status, "Progressing").cloned();
    let complete_already = status.replicas == status.updated_replicas
        && current.as_ref().is_some_and(|c| c.reason.as_deref() == Some("NewReplicaSetAvailable"));
    let mut wake = None;
    if !complete_already {
        let complete = status.updated_replicas == Some(replicas)
            && status.replicas == Some(replicas)
            && available == replicas;
        let old_old = old_status.replicas.unwrap_or(0) - old_status.updated_replicas.unwrap_or(0);
        let new_old = status.replicas.unwrap_or(0) - status.updated_replicas.unwrap_or(0);
        let progressing = status.updated_replicas > old_status.updated_replicas
            || status.ready_replicas > old_status.ready_replicas
            || status.available_replicas > old_status.available_replicas
            || new_old < old_old;
        if complete {
            let msg = format!("ReplicaSet \"{new_name}\" has successfully progressed.");
            set_condition(&mut status, now, "Progressing", "True", "NewReplicaSetAvailable", &msg);
        } else if progressing {
            let msg = format!("ReplicaSet \"{new_name}\" is progressing.");
            let mut cond = new_condition(now, "Progressing", "True", "ReplicaSetUpdated", &msg);
            if let Some(c) = current.as_ref().filter(|c| c.status == "True") {
                cond.last_transition_time = c.last_transition_time.clone();
            }
            status.conditions.get_or_insert_with(Vec::new).retain(|c| c.type_ != "Progressing");
            status.conditions.get_or_insert_with(Vec::new).push(cond);
        } else if let Some(c) =
            current.as_ref().filter(|c| c.reason.as_deref() != Some("ProgressDeadlineExceeded"))
        {
            let from = c.last_update_time.as_ref().map(millis_of).unwrap_or(0).max(0) as Millis;
            let expires = from + deadline.max(0) as Millis * 1000;
            if now > expires {
                let msg = format!("ReplicaSet \"{new_name}\" has timed out progressing.");
                set_condition(&mut status, now, "Progressing", "False", "ProgressDeadlineExceeded", &msg);
            }
        }
    }
    // While a rollout is under way, look again when its progress deadline passes.
    if let Some(c) = condition(&status, "Progressing") {
        let reason = c.reason.as_deref().unwrap_or("");
        if !matches!(reason, "NewReplicaSetAvailable" | "ProgressDeadlineExceeded") {
            let from = c.last_update_time.as_ref().map(millis_of).unwrap_or(0).max(0) as Millis;
            wake = Some(from + deadline.max(0) as Millis * 1000 + 1000);
        }
    }

    // Old ReplicaSets beyond the history limit are deleted once the rollout is complete.
    if condition(&status, "Progressing")
        .is_some_and(|c| c.reason.as_deref() == Some("NewReplicaSetAvailable"))
    {
        let limit = spec.revision_history_limit.unwrap_or(10).max(0) as usize;
        let idle: Vec<ObjectKey> = sets
            .iter()
            .filter(|s| Some(&s.key) != new_key.as_ref() && s.replicas == 0 && s.status_replicas == 0)
            .map(|s| s.key.clone())
            .collect();
        if idle.len() > limit {
            for k in idle.iter().take(idle.len() - limit) {
                api.replica_sets.remove(k);
                api.changes.controllers_dirty = true;
            }
        }
    }

    // The Deployment's own revision annotation follows its newest ReplicaSet.
    let revision = new_key.as_ref().and_then(|k| api.replica_sets.get(k)).map(|rs| revision_of(&rs.metadata));
    let live = api.deployments.get(key)?;
    let mut updated = live.clone();
    if let Some(rev) = revision {
        let annotations = updated.metadata.annotations.get_or_insert_with(BTreeMap::new);
        if annotations.get(REVISION) != Some(&rev.to_string()) {
            annotations.insert(REVISION.to_string(), rev.to_string());
        }
    }
    if updated.status.as_ref() != Some(&status) || updated.metadata.annotations != live.metadata.annotations {
        updated.status = Some(status);
        touch(api, &mut updated.metadata);
        api.deployments.insert(key.clone(), updated);
    }
    wake
}

/// `reconcileOldReplicaSets`: scales old ReplicaSets down as far as availability allows, unhealthy
/// replicas first.
#[allow(clippy::too_many_arguments)]
fn reconcile_old(
    api: &mut ApiStore,
    ctx: &mut Context,
    involved: &crate::api::ObjectRef,
    old: &[Set],
    new: &Set,
    replicas: i32,
    max_unavailable: i32,
    surge: i32,
) {
    let old_count: i32 = old.iter().map(|s| s.replicas).sum();
    if old_count == 0 {
        return;
    }
    let all_count = old_count + new.replicas;
    let min_available = replicas - max_unavailable;
    let new_unavailable = new.replicas - new.available;
    let max_scaled_down = all_count - min_available - new_unavailable;
    if max_scaled_down <= 0 {
        return;
    }
    // Unhealthy replicas of old sets go first: they do not count towards availability.
    let mut old: Vec<Set> = old.to_vec();
    let mut cleaned = 0;
    for s in old.iter_mut() {
        if cleaned >= max_scaled_down {
            break;
        }
        if s.replicas == 0 || s.available == s.replicas {
            continue;
        }
        let down = (max_scaled_down - cleaned).min(s.replicas - s.available);
        scale_set(api, ctx, involved, &s.key, s.replicas, s.replicas - down, replicas, surge);
        s.replicas -= down;
        cleaned += down;
    }
    // Then available replicas, as long as the total stays above the minimum.
    let available: i32 = old.iter().map(|s| s.available).sum::<i32>() + new.available;
    if available <= min_available {
        return;
    }
    let mut budget = available - min_available;
    for s in old.iter() {
        if budget <= 0 {
            break;
        }
        if s.replicas == 0 {
            continue;
        }
        let down = s.replicas.min(budget);
        scale_set(api, ctx, involved, &s.key, s.replicas, s.replicas - down, replicas, surge);
        budget -= down;
    }
}

fn create_set(
    api: &mut ApiStore,
    ctx: &mut Context,
    d: &Deployment,
    count: i32,
    revision: i64,
    status: &mut DeploymentStatus,
    surge: i32,
) -> Option<ObjectKey> {
    // `sync` only gets here for a Deployment with a spec; one without creates nothing.
    let spec = d.spec.as_ref()?;
    let (namespace, name) = key_of(&d.metadata);
    let mut collision = status.collision_count;
    let (rs_name, hash) = loop {
        let hash = template_hash(Some(&spec.template), collision);
        let rs_name = format!("{name}-{hash}");
        // A name taken by a ReplicaSet with another template is a hash collision: count it and
        // hash again, as the controller does.
        match api.replica_sets.get(&(namespace.clone(), rs_name.clone())) {
            Some(_) => collision = Some(collision.unwrap_or(0) + 1),
            None => break (rs_name, hash),
        }
    };
    status.collision_count = collision;
    let mut template: PodTemplateSpec = spec.template.clone();
    let meta = template.metadata.get_or_insert_with(Default::default);
    meta.labels.get_or_insert_with(BTreeMap::new).insert(HASH_LABEL.to_string(), hash.clone());
    let mut selector = spec.selector.clone();
    selector.match_labels.get_or_insert_with(BTreeMap::new).insert(HASH_LABEL.to_string(), hash.clone());
    let mut labels = template.metadata.as_ref().and_then(|m| m.labels.clone()).unwrap_or_default();
    labels.insert(HASH_LABEL.to_string(), hash);
    let mut annotations: BTreeMap<String, String> = d
        .metadata
        .annotations
        .clone()
        .unwrap_or_default()
        .into_iter()
        .filter(|(k, _)| k != REVISION && k != "kubectl.kubernetes.io/last-applied-configuration")
        .collect();
    let replicas = spec.replicas.unwrap_or(1);
    annotations.insert(DESIRED.to_string(), replicas.to_string());
    annotations.insert(MAX_REPLICAS.to_string(), (replicas + surge).to_string());
    annotations.insert(REVISION.to_string(), revision.to_string());
    let rs = ReplicaSet {
        metadata: ObjectMeta {
            name: Some(rs_name.clone()),
            namespace: Some(namespace.clone()),
            labels: Some(labels),
            annotations: Some(annotations),
            owner_references: Some(vec![controller_ref("Deployment", &d.metadata)]),
            uid: Some(ctx.rng.uid()),
            creation_timestamp: Some(timestamp(ctx.now)),
            generation: Some(1),
            resource_version: Some(api.next_resource_version()),
            ..Default::default()
        },
        spec: Some(ReplicaSetSpec {
            replicas: Some(count),
            min_ready_seconds: spec.min_ready_seconds,
            selector,
            template: Some(template),
        }),
        status: Some(Default::default()),
    };
    let key = (namespace, rs_name.clone());
    api.replica_sets.insert(key.clone(), rs);
    api.changes.controllers_dirty = true;
    let involved = object_ref("Deployment", &d.metadata);
    if count > 0 {
        let msg = format!("Scaled up replica set {rs_name} from 0 to {count}");
        emit(api, ctx, COMPONENT, &involved, "Normal", "ScalingReplicaSet", &msg);
    }
    let msg = format!("Created new replica set \"{rs_name}\"");
    set_condition(status, ctx.now, "Progressing", "True", "NewReplicaSetCreated", &msg);
    Some(key)
}

#[allow(clippy::too_many_arguments)]
fn scale_set(
    api: &mut ApiStore,
    ctx: &mut Context,
    involved: &crate::api::ObjectRef,
    key: &ObjectKey,
    from: i32,
    to: i32,
    desired: i32,
    surge: i32,
) {
    let Some(mut rs) = api.replica_sets.get(key).cloned() else { return };
    if let Some(spec) = rs.spec.as_mut() {
        spec.replicas = Some(to);
    }
    let annotations = rs.metadata.annotations.get_or_insert_with(BTreeMap::new);
    annotations.insert(DESIRED.to_string(), desired.to_string());
    annotations.insert(MAX_REPLICAS.to_string(), (desired + surge).to_string());
    rs.metadata.generation = Some(rs.metadata.generation.unwrap_or(1) + 1);
    touch_spec(api, &mut rs.metadata);
    api.replica_sets.insert(key.clone(), rs);
    let direction = if to > from { "up" } else { "down" };
    let msg = format!("Scaled {direction} replica set {} from {from} to {to}", key.1);
    emit(api, ctx, COMPONENT, involved, "Normal", "ScalingReplicaSet", &msg);
}

fn set_annotation(api: &mut ApiStore, key: &ObjectKey, name: &str, value: String) {
    let Some(mut rs) = api.replica_sets.get(key).cloned() else { return };
    rs.metadata.annotations.get_or_insert_with(BTreeMap::new).insert(name.to_string(), value);
    touch(api, &mut rs.metadata);
    api.replica_sets.insert(key.clone(), rs);
}

fn to_set(key: &ObjectKey, rs: &ReplicaSet) -> Set {
    let status = rs.status.clone().unwrap_or_default();
    Set {
        key: key.clone(),
        created: created(&rs.metadata),
        replicas: rs.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1),
        status_replicas: status.replicas,
        ready: status.ready_replicas.unwrap_or(0),
        available: status.available_replicas.unwrap_or(0),
        revision: revision_of(&rs.metadata),
    }
}

fn revision_of(meta: &ObjectMeta) -> i64 {
    meta.annotations.as_ref().and_then(|a| a.get(REVISION)).and_then(|v| v.parse().ok()).unwrap_or(0)
}

/// `EqualIgnoreHash`: the ReplicaSet's template without its `pod-template-hash` label equals the
/// Deployment's template.
fn equal_ignoring_hash(rs: &ReplicaSet, template: &PodTemplateSpec) -> bool {
    let Some(mut t) = rs.spec.as_ref().and_then(|s| s.template.clone()) else { return false };
    let mut other = template.clone();
    for tpl in [&mut t, &mut other] {
        if let Some(meta) = tpl.metadata.as_mut() {
            if let Some(labels) = meta.labels.as_mut() {
                labels.remove(HASH_LABEL);
                if labels.is_empty() {
                    meta.labels = None;
                }
            }
        }
    }
    t == other
}

fn condition<'a>(status: &'a DeploymentStatus, type_: &str) -> Option<&'a DeploymentCondition> {
    status.conditions.as_ref()?.iter().find(|c| c.type_ == type_)
}

fn new_condition(now: Millis, type_: &str, status: &str, reason: &str, message: &str) -> DeploymentCondition {
    DeploymentCondition {
        type_: type_.to_string(),
        status: status.to_string(),
        reason: Some(reason.to_string()),
        message: Some(message.to_string()),
        last_update_time: Some(timestamp(now)),
        last_transition_time: Some(timestamp(now)),
    }
}

/// `SetDeploymentCondition`: an unchanged status and reason leaves the condition alone; otherwise
/// the condition moves to the end of the list, keeping its transition time if the status stayed.
fn set_condition(
    status: &mut DeploymentStatus,
    now: Millis,
    type_: &str,
    value: &str,
    reason: &str,
    message: &str,
) {
    let mut cond = new_condition(now, type_, value, reason, message);
    let conditions = status.conditions.get_or_insert_with(Vec::new);
    if let Some(current) = conditions.iter().find(|c| c.type_ == type_) {
        if current.status == value && current.reason.as_deref() == Some(reason) {
            return;
        }
        if current.status == value {
            cond.last_transition_time = current.last_transition_time.clone();
        }
    }
    conditions.retain(|c| c.type_ != type_);
    conditions.push(cond);
}
