//! The release half of `ClaimPods` (`pkg/controller/controller_ref_manager.go`): a controller
//! lets go of a pod it owns whose labels no longer match its selector, by removing its controller
//! reference. The pod keeps running as an orphan; the controller, now one pod short, creates a
//! replacement, and a Service whose selector still matches keeps it as an endpoint. This is what a
//! user sees after `kubectl label pod web-abc app-` or `app=debug --overwrite`: the relabelled pod
//! stays, and a new one appears beside it.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

use crate::api::{ApiStore, ObjectKey};
use crate::selector::Selector;

use super::podutil::{controller_uid, is_terminating, touch};

/// Releases every pod whose managing ReplicaSet, StatefulSet or DaemonSet no longer selects it.
/// Pods being deleted are left alone, as `ClaimPods` skips them.
pub(super) fn release_unmatched(api: &mut ApiStore) {
    let mut selectors: BTreeMap<&str, &LabelSelector> = BTreeMap::new();
    for rs in api.replica_sets.values() {
        if let (Some(uid), Some(spec)) = (rs.metadata.uid.as_deref(), rs.spec.as_ref()) {
            selectors.insert(uid, &spec.selector);
        }
    }
    for sts in api.stateful_sets.values() {
        if let (Some(uid), Some(spec)) = (sts.metadata.uid.as_deref(), sts.spec.as_ref()) {
            selectors.insert(uid, &spec.selector);
        }
    }
    for ds in api.daemon_sets.values() {
        if let (Some(uid), Some(spec)) = (ds.metadata.uid.as_deref(), ds.spec.as_ref()) {
            selectors.insert(uid, &spec.selector);
        }
    }
    let released: Vec<ObjectKey> = api
        .pods
        .iter()
        .filter(|(_, pod)| !is_terminating(pod))
        .filter(|(_, pod)| {
            let Some(selector) = controller_uid(&pod.metadata).and_then(|uid| selectors.get(uid)) else {
                return false;
            };
            // A selector that does not parse is the controller's own error to report; its pods
            // stay where they are.
            Selector::from_label_selector(selector).is_ok_and(|s| !s.matches(pod.metadata.labels.as_ref()))
        })
        .map(|(key, _)| key.clone())
        .collect();
    for key in released {
        let Some(mut pod) = api.pods.get(&key).cloned() else { continue };
        if let Some(owners) = pod.metadata.owner_references.as_mut() {
            owners.retain(|o| o.controller != Some(true));
        }
        if pod.metadata.owner_references.as_ref().is_some_and(Vec::is_empty) {
            pod.metadata.owner_references = None;
        }
        touch(api, &mut pod.metadata);
        api.pods.insert(key, pod);
        api.changes.controllers_dirty = true;
    }
}
