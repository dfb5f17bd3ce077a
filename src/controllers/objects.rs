//! The namespaced kinds the API store keeps, as one table the garbage collector, the namespace
//! controller and `kubectl delete` walk: how to list, read, change and remove each kind's
//! objects without knowing its type (what the garbage collector's metadata-only informers give
//! it in `pkg/controller/garbagecollector/graph_builder.go`).

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::api::{ApiStore, ObjectKey};

/// A visitor of objects' keys and metadata.
pub(crate) type Visit<'v> = &'v mut dyn FnMut(&ObjectKey, &ObjectMeta);

/// One stored kind.
pub(crate) struct StoredKind {
    /// The `kind` field: `ReplicaSet`.
    pub kind: &'static str,
    /// The resource in API messages: `replicasets.apps`.
    pub plural: &'static str,
    pub keys: fn(&ApiStore) -> Vec<ObjectKey>,
    /// Calls the function with every object's key and metadata, in key order, cloning nothing.
    pub each: fn(&ApiStore, Visit),
    pub meta: for<'a> fn(&'a ApiStore, &ObjectKey) -> Option<&'a ObjectMeta>,
    pub meta_mut: for<'a> fn(&'a mut ApiStore, &ObjectKey) -> Option<&'a mut ObjectMeta>,
    /// Removes the object from the store (the end of its deletion).
    pub remove: fn(&mut ApiStore, &ObjectKey),
}

macro_rules! stored {
    ($kind:literal, $plural:literal, $field:ident) => {
        StoredKind {
            kind: $kind,
            plural: $plural,
            keys: |api| api.$field.keys().cloned().collect(),
            each: |api, f| {
                for (k, o) in &api.$field {
                    f(k, &o.metadata)
                }
            },
            meta: |api, key| api.$field.get(key).map(|o| &o.metadata),
            meta_mut: |api, key| api.$field.get_mut(key).map(|o| &mut o.metadata),
            remove: |api, key| {
                api.$field.remove(key);
                api.changes.controllers_dirty = true;
            },
        }
    };
}

/// Every namespaced kind the store keeps. Pods come first: they are what a cascade ends with,
/// and their removal goes through the store's own method so the kubelet hears of it.
pub(crate) static STORED: &[StoredKind] = &[
    StoredKind {
        kind: "Pod",
        plural: "pods",
        keys: |api| api.pods.keys().cloned().collect(),
        each: |api, f| {
            for (k, o) in &api.pods {
                f(k, &o.metadata)
            }
        },
        meta: |api, key| api.pods.get(key).map(|o| &o.metadata),
        meta_mut: |api, key| api.pods.get_mut(key).map(|o| &mut o.metadata),
        remove: |api, key| {
            api.remove_pod(key);
        },
    },
    stored!("Deployment", "deployments.apps", deployments),
    stored!("ReplicaSet", "replicasets.apps", replica_sets),
    stored!("StatefulSet", "statefulsets.apps", stateful_sets),
    stored!("DaemonSet", "daemonsets.apps", daemon_sets),
    stored!("Service", "services", services),
    stored!("Endpoints", "endpoints", endpoints),
    stored!("EndpointSlice", "endpointslices.discovery.k8s.io", endpoint_slices),
    stored!("ConfigMap", "configmaps", config_maps),
    stored!("Secret", "secrets", secrets),
];

/// The table's row for a `kind` field.
pub(crate) fn stored_kind(kind: &str) -> Option<&'static StoredKind> {
    STORED.iter().find(|k| k.kind == kind)
}
