//! Namespaces: `kubectl apply` and `kubectl create namespace` of them, their deletion, and the
//! namespace controller (`pkg/controller/namespace/deletion/namespaced_resources_deleter.go`),
//! which deletes everything in a namespace being terminated and then removes the `kubernetes`
//! finalizer, so the namespace goes.
//!
//! DRM (`world-semantics.md`, Namespaces): the namespace disappears at the instant its last
//! object is gone, pods after their normal grace periods.

use k8s_openapi::api::core::v1::Namespace;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::api::{has_finalizers, namespace_object, namespace_uid, timestamp, ApiStore, NAME_LABEL};

use super::apply::{merged_meta, LAST_APPLIED};
use super::deletion::{delete_object, Propagation};
use super::objects::STORED;
use super::Context;

/// `kubectl apply` of a Namespace: `namespace/shop created`, `configured` or `unchanged`.
pub(super) fn apply_namespace(
    api: &mut ApiStore,
    ctx: &mut Context,
    desired: &Namespace,
) -> Result<String, String> {
    let name = desired.metadata.name.clone().unwrap_or_default();
    let line = format!("namespace/{name}");
    let applied = last_applied_of(desired);
    let Some(live) = api.namespaces.get(&name).cloned() else {
        let mut ns = namespace_object(&name, namespace_uid(&name, ctx.now), ctx.now);
        let labels = ns.metadata.labels.get_or_insert_with(Default::default);
        labels.extend(desired.metadata.labels.clone().unwrap_or_default());
        labels.insert(NAME_LABEL.to_string(), name.clone());
        let mut annotations = desired.metadata.annotations.clone().unwrap_or_default();
        annotations.insert(LAST_APPLIED.to_string(), applied);
        ns.metadata.annotations = Some(annotations);
        ns.metadata.finalizers = desired.metadata.finalizers.clone();
        ns.metadata.resource_version = Some(api.next_resource_version());
        api.namespaces.insert(name, ns);
        api.changes.controllers_dirty = true;
        return Ok(format!("{line} created"));
    };
    let mut next = live.clone();
    next.metadata = merged_meta(&live.metadata, &desired.metadata, &applied);
    // The name label is the API server's; a file cannot take it away.
    next.metadata.labels.get_or_insert_with(Default::default).insert(NAME_LABEL.to_string(), name.clone());
    if next == live {
        return Ok(format!("{line} unchanged"));
    }
    next.metadata.resource_version = Some(api.next_resource_version());
    api.namespaces.insert(name, next);
    Ok(format!("{line} configured"))
}

/// The last-applied annotation of a Namespace: the object as applied, with only the metadata
/// kubectl records (a Namespace names no namespace of its own).
fn last_applied_of(ns: &Namespace) -> String {
    let meta = &ns.metadata;
    let mut annotations = meta.annotations.clone().unwrap_or_default();
    annotations.remove(LAST_APPLIED);
    let copy = Namespace {
        metadata: ObjectMeta {
            name: meta.name.clone(),
            labels: meta.labels.clone(),
            annotations: Some(annotations),
            ..Default::default()
        },
        spec: ns.spec.clone(),
        status: None,
    };
    serde_json::to_string(&copy).unwrap_or_default()
}

/// `kubectl create namespace NAME`: `namespace/NAME created`, or the API server's refusal of a
/// taken name.
pub fn create_namespace(api: &mut ApiStore, ctx: &mut Context, name: &str) -> Result<String, String> {
    if api.namespaces.contains_key(name) {
        return Err(format!("Error from server (AlreadyExists): namespaces {name:?} already exists"));
    }
    let mut ns = namespace_object(name, namespace_uid(name, ctx.now), ctx.now);
    ns.metadata.resource_version = Some(api.next_resource_version());
    api.namespaces.insert(name.to_string(), ns);
    api.changes.controllers_dirty = true;
    Ok(format!("namespace/{name} created"))
}

/// `kubectl delete namespace NAME`: the namespace's phase becomes `Terminating` at once and the
/// namespace controller empties it. `default`, `kube-system` and `kube-public` are refused.
pub fn delete_namespace(api: &mut ApiStore, ctx: &mut Context, name: &str) -> Result<String, String> {
    if ApiStore::namespace_immortal(name) {
        return Err(format!(
            "Error from server (Forbidden): namespaces {name:?} is forbidden: this namespace may not be deleted"
        ));
    }
    let version = api.next_resource_version();
    let Some(ns) = api.namespaces.get_mut(name) else {
        return Err(format!("Error from server (NotFound): namespaces {name:?} not found"));
    };
    if ns.metadata.deletion_timestamp.is_none() {
        ns.metadata.deletion_timestamp = Some(timestamp(ctx.now));
        ns.metadata.deletion_grace_period_seconds = Some(0);
        ns.status.get_or_insert_with(Default::default).phase = Some("Terminating".to_string());
        ns.metadata.resource_version = Some(version);
        api.changes.controllers_dirty = true;
    }
    Ok(format!("namespace {name:?} deleted"))
}

/// The namespace controller: deletes the content of every terminating namespace; once nothing
/// is left, removes the `kubernetes` finalizer, and the namespace (with its events) goes.
pub(super) fn sync_all(api: &mut ApiStore, ctx: &mut Context) {
    let terminating: Vec<String> = api
        .namespaces
        .iter()
        .filter(|(_, ns)| ns.metadata.deletion_timestamp.is_some())
        .map(|(name, _)| name.clone())
        .collect();
    for name in terminating {
        let mut left = false;
        for kind in STORED {
            let keys: Vec<_> = (kind.keys)(api).into_iter().filter(|k| k.0 == name).collect();
            for key in keys {
                left = true;
                let deleting = (kind.meta)(api, &key).is_some_and(|m| m.deletion_timestamp.is_some());
                if !deleting {
                    delete_object(api, ctx.now, kind, &key, Propagation::Background, None);
                }
            }
        }
        if left {
            continue;
        }
        // The `kubernetes` finalizer is the namespace controller's: it goes once the content has.
        let Some(ns) = api.namespaces.get_mut(&name) else { continue };
        if let Some(spec) = ns.spec.as_mut() {
            spec.finalizers = None;
        }
        if !has_finalizers(&ns.metadata) {
            api.namespaces.remove(&name);
            api.events.retain(|e| e.namespace != name);
            api.changes.controllers_dirty = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::manifest::Severity;
    use crate::sim::Simulation;

    /// A scenario object in a namespace the file creates only later is refused, as `kubectl
    /// apply -f` refuses it on a real cluster, and the refusal is a located warning at its
    /// `metadata.namespace`; the scenario still loads, and the Namespace itself is created.
    #[test]
    fn an_object_before_its_namespace_is_refused_with_a_located_warning() {
        let yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: early\n  namespace: shop\n---\n\
                    apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n";
        let sim = Simulation::load(yaml).unwrap_or_else(|e| panic!("loads: {e:?}"));
        let warning = sim.warnings().iter().find(|d| d.path == "metadata.namespace");
        let warning = warning.unwrap_or_else(|| panic!("a warning: {:?}", sim.warnings()));
        assert_eq!(warning.severity, Severity::Warning);
        assert_eq!((warning.line, warning.column), (5, 14));
        assert!(warning.message.starts_with("Error from server (NotFound): namespaces \"shop\" not found"));
        assert!(sim.api().config_maps.is_empty());
        assert!(sim.api().namespaces.contains_key("shop"));
    }
}
