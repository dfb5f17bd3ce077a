//! `kubectl apply` (client-side) with the API server's create and update rules: metadata set on
//! create, allocators for Service addresses and node ports, immutable fields, and `--prune` of
//! objects an earlier apply created.
//!
//! kubectl remembers what it applied in the `kubectl.kubernetes.io/last-applied-configuration`
//! annotation; labels and annotations dropped from the file are removed from the live object, and
//! prune deletes objects carrying the annotation that the file no longer holds.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1::{Pod, PodSpec, Service};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::api::{key_of, timestamp, ApiRefusal, ApiStore, ObjectKey};
use crate::manifest::Object;

use super::podutil::{default_grace, touch_spec};
use super::Context;

pub(crate) const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";
const RESTARTED_AT: &str = "kubectl.kubernetes.io/restartedAt";

/// Applies the objects in order; `refusals` receives the index and refusal of every object the
/// NamespaceLifecycle admission refused.
pub(super) fn apply(
    api: &mut ApiStore,
    ctx: &mut Context,
    objects: &[Object],
    prune: bool,
    refusals: &mut Vec<(usize, ApiRefusal)>,
) -> Result<Vec<String>, String> {
    let mut lines = Vec::new();
    let mut errors = Vec::new();
    let mut applied: BTreeSet<(&'static str, ObjectKey)> = BTreeSet::new();
    for (index, object) in objects.iter().enumerate() {
        let (kind, meta) = kind_and_meta(object);
        applied.insert((kind, key_of(meta)));
        if let Err(refusal) = admit(api, object) {
            // kubectl names the file it read; the playground's editor is applied as `-f -`.
            errors.push(refusal.creating("STDIN"));
            refusals.push((index, refusal));
            continue;
        }
        match apply_one(api, ctx, object) {
            Ok(line) => lines.push(line),
            Err(e) => errors.push(e),
        }
    }
    if prune {
        lines.extend(prune_missing(api, ctx, &applied));
    }
    if errors.is_empty() {
        Ok(lines)
    } else {
        lines.extend(errors);
        Err(lines.join("\n"))
    }
}

/// NamespaceLifecycle admission of a create: an object that does not exist yet may only be
/// created in a namespace that exists and is not being terminated.
fn admit(api: &ApiStore, object: &Object) -> Result<(), ApiRefusal> {
    let (kind, meta) = object.identity();
    let Some(stored) = super::objects::stored_kind(kind) else { return Ok(()) };
    let key = key_of(meta);
    if (stored.meta)(api, &key).is_some() {
        return Ok(());
    }
    api.admit_create(&key.0, stored.plural, &key.1)
}

fn kind_and_meta(object: &Object) -> (&'static str, &ObjectMeta) {
    match object {
        Object::Pod(o) => ("pod", &o.metadata),
        Object::Service(o) => ("service", &o.metadata),
        Object::Deployment(o) => ("deployment.apps", &o.metadata),
        Object::StatefulSet(o) => ("statefulset.apps", &o.metadata),
        Object::DaemonSet(o) => ("daemonset.apps", &o.metadata),
        Object::ReplicaSet(o) => ("replicaset.apps", &o.metadata),
        Object::ConfigMap(o) => ("configmap", &o.metadata),
        Object::Secret(o) => ("secret", &o.metadata),
        Object::Namespace(o) => ("namespace", &o.metadata),
        Object::EndpointSlice(o) => ("endpointslice.discovery.k8s.io", &o.metadata),
    }
}

/// The annotation's value: the object as applied, with only the metadata kubectl records.
pub(super) fn last_applied<T: serde::Serialize + Clone + HasMeta>(object: &T) -> String {
    let mut copy = object.clone();
    let meta = copy.meta_mut();
    let (namespace, name) = key_of(meta);
    let mut annotations = meta.annotations.clone().unwrap_or_default();
    annotations.remove(LAST_APPLIED);
    *meta = ObjectMeta {
        name: Some(name),
        namespace: Some(namespace),
        labels: meta.labels.clone(),
        annotations: Some(annotations),
        ..Default::default()
    };
    copy.clear_status();
    serde_json::to_string(&copy).unwrap_or_default()
}

/// Access to the parts of every applied kind that apply touches.
pub(super) trait HasMeta {
    fn meta_mut(&mut self) -> &mut ObjectMeta;
    fn clear_status(&mut self);
}

macro_rules! has_meta {
    ($($t:ty),*) => {$(
        impl HasMeta for $t {
            fn meta_mut(&mut self) -> &mut ObjectMeta { &mut self.metadata }
            fn clear_status(&mut self) { self.status = None; }
        }
    )*};
}
has_meta!(
    Pod,
    Service,
    k8s_openapi::api::apps::v1::Deployment,
    k8s_openapi::api::apps::v1::StatefulSet,
    k8s_openapi::api::apps::v1::DaemonSet,
    k8s_openapi::api::apps::v1::ReplicaSet
);

/// Metadata for a new object, as the API server completes it on create.
pub(super) fn create_meta(api: &mut ApiStore, ctx: &mut Context, meta: &mut ObjectMeta, applied: String) {
    let (namespace, _) = key_of(meta);
    meta.namespace = Some(namespace);
    meta.uid = Some(ctx.rng.uid());
    meta.creation_timestamp = Some(timestamp(ctx.now));
    meta.generation = Some(1);
    meta.resource_version = Some(api.next_resource_version());
    meta.annotations.get_or_insert_with(BTreeMap::new).insert(LAST_APPLIED.to_string(), applied);
}

/// The live metadata after the apply: labels and annotations from the file win, and those the
/// previous apply set but the file no longer has are removed.
pub(super) fn merged_meta(live: &ObjectMeta, desired: &ObjectMeta, applied: &str) -> ObjectMeta {
    let previous: serde_json::Value = live
        .annotations
        .as_ref()
        .and_then(|a| a.get(LAST_APPLIED))
        .and_then(|s| serde_json::from_str(s).ok())
        .unwrap_or(serde_json::Value::Null);
    let previous_keys = |field: &str| -> Vec<String> {
        previous["metadata"][field].as_object().map(|m| m.keys().cloned().collect()).unwrap_or_default()
    };
    let merge =
        |live: &Option<BTreeMap<String, String>>, desired: &Option<BTreeMap<String, String>>, field: &str| {
            let mut out = live.clone().unwrap_or_default();
            let desired = desired.clone().unwrap_or_default();
            for k in previous_keys(field) {
                if !desired.contains_key(&k) {
                    out.remove(&k);
                }
            }
            out.extend(desired);
            out
        };
    let mut meta = live.clone();
    let labels = merge(&live.labels, &desired.labels, "labels");
    meta.labels = if labels.is_empty() { None } else { Some(labels) };
    let mut annotations = merge(&live.annotations, &desired.annotations, "annotations");
    annotations.insert(LAST_APPLIED.to_string(), applied.to_string());
    meta.annotations = Some(annotations);
    meta
}

fn apply_one(api: &mut ApiStore, ctx: &mut Context, object: &Object) -> Result<String, String> {
    match object {
        Object::Pod(desired) => apply_pod(api, ctx, desired),
        Object::Service(desired) => apply_service(api, ctx, desired),
        Object::ConfigMap(desired) => super::config_objects::apply_config_map(api, ctx, desired),
        Object::Secret(desired) => super::config_objects::apply_secret(api, ctx, desired),
        Object::Namespace(desired) => super::namespaces::apply_namespace(api, ctx, desired),
        Object::EndpointSlice(desired) => super::endpoint_slices::apply_endpoint_slice(api, ctx, desired),
        Object::Deployment(desired) => {
            let applied = last_applied(desired);
            let key = key_of(&desired.metadata);
            let name = format!("deployment.apps/{}", key.1);
            let Some(live) = api.deployments.get(&key).cloned() else {
                let mut obj = desired.clone();
                create_meta(api, ctx, &mut obj.metadata, applied);
                obj.status = Some(Default::default());
                api.deployments.insert(key, obj);
                api.changes.controllers_dirty = true;
                return Ok(format!("{name} created"));
            };
            let mut spec = desired.spec.clone();
            if let (Some(spec), Some(live_spec)) = (spec.as_mut(), live.spec.as_ref()) {
                if spec.selector != live_spec.selector {
                    return Err(format!(
                        "The Deployment \"{}\" is invalid: spec.selector: Invalid value: {}: field is immutable",
                        key.1,
                        serde_json::to_string(&spec.selector).unwrap_or_default()
                    ));
                }
                keep_restarted_at(&mut spec.template, &live_spec.template);
            }
            let meta = merged_meta(&live.metadata, &desired.metadata, &applied);
            finish_update(api, key, live, meta, spec, name)
        }
        Object::ReplicaSet(desired) => {
            let applied = last_applied(desired);
            let key = key_of(&desired.metadata);
            let name = format!("replicaset.apps/{}", key.1);
            let Some(live) = api.replica_sets.get(&key).cloned() else {
                let mut obj = desired.clone();
                create_meta(api, ctx, &mut obj.metadata, applied);
                obj.status = Some(Default::default());
                api.replica_sets.insert(key, obj);
                api.changes.controllers_dirty = true;
                return Ok(format!("{name} created"));
            };
            if desired.spec.as_ref().map(|s| &s.selector) != live.spec.as_ref().map(|s| &s.selector) {
                return Err(format!(
                    "The ReplicaSet \"{}\" is invalid: spec.selector: Invalid value: {}: field is immutable",
                    key.1,
                    serde_json::to_string(&desired.spec.as_ref().map(|s| &s.selector)).unwrap_or_default()
                ));
            }
            let meta = merged_meta(&live.metadata, &desired.metadata, &applied);
            finish_update(api, key, live, meta, desired.spec.clone(), name)
        }
        Object::StatefulSet(desired) => {
            let applied = last_applied(desired);
            let key = key_of(&desired.metadata);
            let name = format!("statefulset.apps/{}", key.1);
            let Some(live) = api.stateful_sets.get(&key).cloned() else {
                let mut obj = desired.clone();
                create_meta(api, ctx, &mut obj.metadata, applied);
                obj.status = Some(Default::default());
                api.stateful_sets.insert(key, obj);
                api.changes.controllers_dirty = true;
                return Ok(format!("{name} created"));
            };
            if let (Some(new), Some(old)) = (desired.spec.as_ref(), live.spec.as_ref()) {
                // Only these fields of a StatefulSet's spec may change.
                let mut probe = new.clone();
                probe.replicas = old.replicas;
                probe.ordinals = old.ordinals.clone();
                probe.template = old.template.clone();
                probe.update_strategy = old.update_strategy.clone();
                probe.persistent_volume_claim_retention_policy =
                    old.persistent_volume_claim_retention_policy.clone();
                probe.min_ready_seconds = old.min_ready_seconds;
                probe.revision_history_limit = old.revision_history_limit;
                if &probe != old {
                    return Err(format!("The StatefulSet \"{}\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden", key.1));
                }
            }
            let meta = merged_meta(&live.metadata, &desired.metadata, &applied);
            finish_update(api, key, live, meta, desired.spec.clone(), name)
        }
        Object::DaemonSet(desired) => {
            let applied = last_applied(desired);
            let key = key_of(&desired.metadata);
            let name = format!("daemonset.apps/{}", key.1);
            let Some(live) = api.daemon_sets.get(&key).cloned() else {
                let mut obj = desired.clone();
                create_meta(api, ctx, &mut obj.metadata, applied);
                obj.status = Some(Default::default());
                api.daemon_sets.insert(key, obj);
                api.changes.controllers_dirty = true;
                return Ok(format!("{name} created"));
            };
            if desired.spec.as_ref().map(|s| &s.selector) != live.spec.as_ref().map(|s| &s.selector) {
                return Err(format!(
                    "The DaemonSet \"{}\" is invalid: spec.selector: Invalid value: {}: field is immutable",
                    key.1,
                    serde_json::to_string(&desired.spec.as_ref().map(|s| &s.selector)).unwrap_or_default()
                ));
            }
            let mut spec = desired.spec.clone();
            if let (Some(spec), Some(live_spec)) = (spec.as_mut(), live.spec.as_ref()) {
                keep_restarted_at(&mut spec.template, &live_spec.template);
            }
            let meta = merged_meta(&live.metadata, &desired.metadata, &applied);
            finish_update(api, key, live, meta, spec, name)
        }
    }
}

/// A workload kind's spec and the store that holds it.
trait Workload: Clone + PartialEq {
    type Spec: Clone + PartialEq;
    fn spec_mut(&mut self) -> &mut Option<Self::Spec>;
    fn meta(&mut self) -> &mut ObjectMeta;
    fn store(api: &mut ApiStore) -> &mut BTreeMap<ObjectKey, Self>;
}

macro_rules! workload {
    ($t:ty, $spec:ty, $field:ident) => {
        impl Workload for $t {
            type Spec = $spec;
            fn spec_mut(&mut self) -> &mut Option<$spec> {
                &mut self.spec
            }
            fn meta(&mut self) -> &mut ObjectMeta {
                &mut self.metadata
            }
            fn store(api: &mut ApiStore) -> &mut BTreeMap<ObjectKey, Self> {
                &mut api.$field
            }
        }
    };
}
workload!(k8s_openapi::api::apps::v1::Deployment, k8s_openapi::api::apps::v1::DeploymentSpec, deployments);
workload!(k8s_openapi::api::apps::v1::ReplicaSet, k8s_openapi::api::apps::v1::ReplicaSetSpec, replica_sets);
workload!(
    k8s_openapi::api::apps::v1::StatefulSet,
    k8s_openapi::api::apps::v1::StatefulSetSpec,
    stateful_sets
);
workload!(k8s_openapi::api::apps::v1::DaemonSet, k8s_openapi::api::apps::v1::DaemonSetSpec, daemon_sets);

/// Writes a workload update: `configured` when the spec or metadata change (a spec change raises
/// the generation), `unchanged` otherwise.
fn finish_update<W: Workload>(
    api: &mut ApiStore,
    key: ObjectKey,
    live: W,
    meta: ObjectMeta,
    spec: Option<W::Spec>,
    name: String,
) -> Result<String, String> {
    let mut next = live.clone();
    let spec_changed = *next.spec_mut() != spec;
    *next.spec_mut() = spec;
    *next.meta() = meta;
    if next == live {
        return Ok(format!("{name} unchanged"));
    }
    if spec_changed {
        let generation = next.meta().generation.unwrap_or(1);
        next.meta().generation = Some(generation + 1);
    }
    touch_spec(api, next.meta());
    W::store(api).insert(key, next);
    Ok(format!("{name} configured"))
}

/// A `kubectl rollout restart` stamp is not part of the file, so applying the file keeps it
/// (the three-way merge only removes what the previous apply set).
fn keep_restarted_at(
    template: &mut k8s_openapi::api::core::v1::PodTemplateSpec,
    live: &k8s_openapi::api::core::v1::PodTemplateSpec,
) {
    let Some(stamp) =
        live.metadata.as_ref().and_then(|m| m.annotations.as_ref()).and_then(|a| a.get(RESTARTED_AT))
    else {
        return;
    };
    let annotations =
        template.metadata.get_or_insert_with(Default::default).annotations.get_or_insert_with(BTreeMap::new);
    annotations.entry(RESTARTED_AT.to_string()).or_insert_with(|| stamp.clone());
}

fn apply_pod(api: &mut ApiStore, ctx: &mut Context, desired: &Pod) -> Result<String, String> {
    let applied = last_applied(desired);
    let key = key_of(&desired.metadata);
    let name = format!("pod/{}", key.1);
    let Some(live) = api.pods.get(&key).cloned() else {
        let mut pod = desired.clone();
        create_meta(api, ctx, &mut pod.metadata, applied);
        pod.status = Some(k8s_openapi::api::core::v1::PodStatus {
            phase: Some("Pending".into()),
            ..Default::default()
        });
        super::resources::admit(&mut pod);
        if let Err(e) = crate::budget::objects::admit_pod(api, &key.1) {
            return Err(format!("Error from server (Forbidden): error when creating \"STDIN\": {e}"));
        }
        api.create_pod(pod);
        return Ok(format!("{name} created"));
    };
    let live_spec = live.spec.clone().unwrap_or_default();
    let mut spec: PodSpec = desired.spec.clone().unwrap_or_default();
    if spec.node_name.is_none() {
        spec.node_name = live_spec.node_name.clone();
    }
    if let Some(err) = forbidden_pod_update(&key.1, &live_spec, &spec) {
        return Err(err);
    }
    let meta = merged_meta(&live.metadata, &desired.metadata, &applied);
    let mut next = live.clone();
    next.spec = Some(spec);
    next.metadata = meta;
    if next == live {
        return Ok(format!("{name} unchanged"));
    }
    let spec_changed = next.spec != live.spec;
    api.pods.insert(key.clone(), next);
    if spec_changed {
        // The kubelet restarts containers whose image changed.
        api.pod_changed(&key);
    } else if let Some(pod) = api.pods.get_mut(&key) {
        api.resource_version += 1;
        pod.metadata.resource_version = Some(api.resource_version.to_string());
        api.changes.controllers_dirty = true;
    }
    Ok(format!("{name} configured"))
}

/// `ValidatePodUpdate`: apart from container images, `activeDeadlineSeconds`, added tolerations and
/// `terminationGracePeriodSeconds`, a pod's spec cannot change.
fn forbidden_pod_update(name: &str, live: &PodSpec, desired: &PodSpec) -> Option<String> {
    let mut munged = desired.clone();
    if munged.containers.len() == live.containers.len() {
        for (c, l) in munged.containers.iter_mut().zip(&live.containers) {
            c.image = l.image.clone();
        }
    }
    if let (Some(init), Some(live_init)) = (munged.init_containers.as_mut(), live.init_containers.as_ref()) {
        if init.len() == live_init.len() {
            for (c, l) in init.iter_mut().zip(live_init) {
                c.image = l.image.clone();
            }
        }
    }
    munged.active_deadline_seconds = live.active_deadline_seconds;
    munged.termination_grace_period_seconds = live.termination_grace_period_seconds;
    let live_tolerations = live.tolerations.clone().unwrap_or_default();
    if live_tolerations.iter().all(|t| munged.tolerations.iter().flatten().any(|d| d == t)) {
        munged.tolerations = live.tolerations.clone();
    }
    if &munged == live {
        return None;
    }
    Some(format!(
        "The Pod \"{name}\" is invalid: spec: Forbidden: pod updates may not change fields other than \
         `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,\
         `spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` \
         (allow it to be set to 1 if it was previously negative)"
    ))
}

fn apply_service(api: &mut ApiStore, ctx: &mut Context, desired: &Service) -> Result<String, String> {
    let applied = last_applied(desired);
    let key = key_of(&desired.metadata);
    let name = format!("service/{}", key.1);
    let live = api.services.get(&key).cloned();
    let mut spec = desired.spec.clone().unwrap_or_default();
    if let Some(live_spec) = live.as_ref().and_then(|l| l.spec.as_ref()) {
        // Allocated addresses and node ports stay with the Service.
        if spec.cluster_ip.is_none() {
            spec.cluster_ip = live_spec.cluster_ip.clone();
            spec.cluster_ips = live_spec.cluster_ips.clone();
        } else if spec.cluster_ip != live_spec.cluster_ip {
            return Err(format!(
                "The Service \"{}\" is invalid: spec.clusterIPs[0]: Invalid value: []string{{\"{}\"}}: may not change once set",
                key.1,
                spec.cluster_ip.clone().unwrap_or_default()
            ));
        }
        for port in spec.ports.iter_mut().flatten() {
            if port.node_port.is_none() {
                port.node_port = live_spec
                    .ports
                    .iter()
                    .flatten()
                    .find(|p| p.port == port.port && p.protocol == port.protocol)
                    .and_then(|p| p.node_port);
            }
        }
    }
    allocate(api, ctx, &mut spec);
    match live {
        None => {
            let mut svc = desired.clone();
            svc.spec = Some(spec);
            create_meta(api, ctx, &mut svc.metadata, applied);
            svc.status = Some(k8s_openapi::api::core::v1::ServiceStatus {
                load_balancer: Some(Default::default()),
                ..Default::default()
            });
            api.services.insert(key, svc);
            api.changes.controllers_dirty = true;
            Ok(format!("{name} created"))
        }
        Some(live) => {
            let mut next = live.clone();
            next.spec = Some(spec);
            next.metadata = merged_meta(&live.metadata, &desired.metadata, &applied);
            if next == live {
                return Ok(format!("{name} unchanged"));
            }
            touch_spec(api, &mut next.metadata);
            api.services.insert(key, next);
            Ok(format!("{name} configured"))
        }
    }
}

/// The Service IP allocator (10.96.0.0/12, dynamic band above the first 256 addresses) and the
/// node-port allocator (30000–32767), both drawing from the world's RNG and skipping taken values.
fn allocate(api: &ApiStore, ctx: &mut Context, spec: &mut k8s_openapi::api::core::v1::ServiceSpec) {
    let used_ips: BTreeSet<String> =
        api.services.values().filter_map(|s| s.spec.as_ref()?.cluster_ip.clone()).collect();
    if spec.cluster_ip.as_deref().is_none_or(str::is_empty) {
        let ip = loop {
            let offset = 256 + ctx.rng.below((1 << 20) - 256 - 1) as u32;
            let addr = (10u32 << 24) | (96 << 16) | offset;
            let ip = format!("{}.{}.{}.{}", addr >> 24, (addr >> 16) & 255, (addr >> 8) & 255, addr & 255);
            if !used_ips.contains(&ip) {
                break ip;
            }
        };
        spec.cluster_ip = Some(ip.clone());
        spec.cluster_ips = Some(vec![ip]);
    } else if spec.cluster_ips.is_none() {
        spec.cluster_ips = spec.cluster_ip.clone().map(|ip| vec![ip]);
    }
    if spec.ip_families.is_none() {
        spec.ip_families = Some(vec!["IPv4".to_string()]);
    }
    if spec.ip_family_policy.is_none() {
        spec.ip_family_policy = Some("SingleStack".to_string());
    }
    if matches!(spec.type_.as_deref(), Some("NodePort") | Some("LoadBalancer")) {
        let mut used: BTreeSet<i32> = api
            .services
            .values()
            .filter_map(|s| s.spec.as_ref())
            .flat_map(|s| s.ports.iter().flatten().filter_map(|p| p.node_port))
            .collect();
        for port in spec.ports.iter_mut().flatten() {
            if port.node_port.is_none() {
                let n = loop {
                    let n = 30000 + ctx.rng.below(2768) as i32;
                    if !used.contains(&n) {
                        break n;
                    }
                };
                used.insert(n);
                port.node_port = Some(n);
            }
        }
    }
}

/// `--prune`: objects that carry the last-applied annotation and are not in the file are deleted
/// (`pod/x pruned`); the garbage collector then removes what they owned.
fn prune_missing(
    api: &mut ApiStore,
    ctx: &mut Context,
    applied: &BTreeSet<(&'static str, ObjectKey)>,
) -> Vec<String> {
    fn marked(meta: &ObjectMeta) -> bool {
        meta.annotations.as_ref().is_some_and(|a| a.contains_key(LAST_APPLIED))
    }
    fn doomed<T>(
        map: &BTreeMap<ObjectKey, T>,
        kind: &'static str,
        applied: &BTreeSet<(&'static str, ObjectKey)>,
        meta: impl Fn(&T) -> &ObjectMeta,
    ) -> Vec<ObjectKey> {
        map.iter()
            .filter(|(k, o)| marked(meta(o)) && !applied.contains(&(kind, (*k).clone())))
            .map(|(k, _)| k.clone())
            .collect()
    }
    let mut lines = Vec::new();
    for key in doomed(&api.deployments, "deployment.apps", applied, |o| &o.metadata) {
        api.deployments.remove(&key);
        lines.push(format!("deployment.apps/{} pruned", key.1));
    }
    for key in doomed(&api.stateful_sets, "statefulset.apps", applied, |o| &o.metadata) {
        api.stateful_sets.remove(&key);
        lines.push(format!("statefulset.apps/{} pruned", key.1));
    }
    for key in doomed(&api.daemon_sets, "daemonset.apps", applied, |o| &o.metadata) {
        api.daemon_sets.remove(&key);
        lines.push(format!("daemonset.apps/{} pruned", key.1));
    }
    for key in doomed(&api.replica_sets, "replicaset.apps", applied, |o| &o.metadata) {
        api.replica_sets.remove(&key);
        lines.push(format!("replicaset.apps/{} pruned", key.1));
    }
    for key in doomed(&api.services, "service", applied, |o| &o.metadata) {
        api.services.remove(&key);
        lines.push(format!("service/{} pruned", key.1));
    }
    for key in doomed(&api.pods, "pod", applied, |o| &o.metadata) {
        let grace = api.pods.get(&key).map(default_grace).unwrap_or(30);
        api.request_pod_deletion(&key, grace, ctx.now);
        lines.push(format!("pod/{} pruned", key.1));
    }
    if !lines.is_empty() {
        api.changes.controllers_dirty = true;
    }
    lines
}
