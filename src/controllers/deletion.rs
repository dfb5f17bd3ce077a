//! The API server's DELETE of a stored object, with finalizers and the propagation policy
//! (`staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go` Delete,
//! `updateForGracefulDeletionAndFinalizers`, `shouldDeleteDuringUpdate`):
//!
//! - an object without finalizers is removed at once (a pod first goes through its graceful
//!   termination on the kubelet);
//! - an object with finalizers only gets `deletionTimestamp` (and a zero grace period) and stays
//!   until its finalizers are removed, then goes;
//! - `propagationPolicy: Foreground` adds the `foregroundDeletion` finalizer and `Orphan` the
//!   `orphan` one; the garbage collector (`gc.rs`) acts on them and removes them.

use crate::api::{has_finalizers, timestamp, ApiStore, ObjectKey};
use crate::duration::Millis;

use super::objects::StoredKind;
use super::podutil::default_grace;

/// The finalizer of a foreground cascade: the owner stays until its blocking dependents are gone.
pub(crate) const FOREGROUND_FINALIZER: &str = "foregroundDeletion";
/// The finalizer of an orphaning delete: the collector first removes the dependents' references.
pub(crate) const ORPHAN_FINALIZER: &str = "orphan";

/// `metav1.DeletionPropagation`, which `kubectl delete --cascade` chooses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Propagation {
    /// The object goes at once; the garbage collector then deletes its dependents.
    #[default]
    Background,
    /// The object stays (deleted) until the garbage collector has deleted its dependents.
    Foreground,
    /// The dependents are kept, with their references to the object removed.
    Orphan,
}

/// Deletes an object of a stored kind as the API server does. `grace` applies to pods (their
/// own `terminationGracePeriodSeconds` when `None`). Returns false when there is no such object.
pub(crate) fn delete_object(
    api: &mut ApiStore,
    now: Millis,
    kind: &StoredKind,
    key: &ObjectKey,
    propagation: Propagation,
    grace: Option<i64>,
) -> bool {
    let Some(meta) = (kind.meta_mut)(api, key) else { return false };
    let already = meta.deletion_timestamp.is_some();
    // A propagation finalizer is only added by the first delete (`deletionFinalizersForGarbageCollection`).
    if !already {
        let finalizer = match propagation {
            Propagation::Background => None,
            Propagation::Foreground => Some(FOREGROUND_FINALIZER),
            Propagation::Orphan => Some(ORPHAN_FINALIZER),
        };
        if let Some(f) = finalizer {
            let list = meta.finalizers.get_or_insert_with(Vec::new);
            if !list.iter().any(|x| x == f) {
                list.push(f.to_string());
            }
        }
    }
    if kind.kind == "Pod" {
        let seconds = grace.unwrap_or_else(|| api.pods.get(key).map(default_grace).unwrap_or(30));
        api.request_pod_deletion(key, seconds, now);
        return true;
    }
    if already {
        return true;
    }
    if has_finalizers(meta) {
        meta.deletion_timestamp = Some(timestamp(now));
        meta.deletion_grace_period_seconds = Some(0);
        let version = api.next_resource_version();
        if let Some(meta) = (kind.meta_mut)(api, key) {
            meta.resource_version = Some(version);
        }
        api.changes.controllers_dirty = true;
    } else {
        (kind.remove)(api, key);
    }
    true
}

/// After an update that may have removed finalizers: a deleted object whose last finalizer is
/// gone is removed (`shouldDeleteDuringUpdate`: finalizers empty and the deletion grace period
/// spent; a pod whose kubelet is still stopping it is removed by the kubelet's final delete).
pub(crate) fn remove_if_finalized(api: &mut ApiStore, kind: &StoredKind, key: &ObjectKey) {
    let Some(meta) = (kind.meta)(api, key) else { return };
    if meta.deletion_timestamp.is_some()
        && !has_finalizers(meta)
        && meta.deletion_grace_period_seconds.is_none_or(|g| g == 0)
    {
        (kind.remove)(api, key);
    }
}

/// Removes one finalizer from an object (the garbage collector's patch) and removes the object
/// when it was the last one.
pub(crate) fn remove_finalizer(api: &mut ApiStore, kind: &StoredKind, key: &ObjectKey, finalizer: &str) {
    let version = api.next_resource_version();
    let Some(meta) = (kind.meta_mut)(api, key) else { return };
    if let Some(list) = meta.finalizers.as_mut() {
        list.retain(|f| f != finalizer);
        if list.is_empty() {
            meta.finalizers = None;
        }
    }
    meta.resource_version = Some(version);
    api.changes.controllers_dirty = true;
    remove_if_finalized(api, kind, key);
}
