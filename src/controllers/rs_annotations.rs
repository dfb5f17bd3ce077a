//! The Deployment's annotations on its newest ReplicaSet (`pkg/controller/deployment/util/deployment_util.go`
//! `SetNewReplicaSetAnnotations` and `copyDeploymentAnnotationsToReplicaSet`): at every sync the
//! controller copies each annotation of the Deployment that the ReplicaSet lacks or holds with
//! another value, except the ones it manages itself. This is how
//! `kubectl annotate deployment web kubernetes.io/change-cause=...` reaches the current revision,
//! which `kubectl rollout history` reads as CHANGE-CAUSE. Annotations the Deployment no longer
//! has stay on the ReplicaSet, as upstream.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::Deployment;

use super::podutil::touch;
use crate::api::{ApiStore, ObjectKey};

/// Annotations the deployment controller does not copy (`annotationsToSkip`).
const SKIPPED: &[&str] = &[
    "kubectl.kubernetes.io/last-applied-configuration",
    "deployment.kubernetes.io/revision",
    "deployment.kubernetes.io/revision-history",
    "deployment.kubernetes.io/desired-replicas",
    "deployment.kubernetes.io/max-replicas",
    "deprecated.deployment.rollback.to",
];

/// Copies the Deployment's annotations onto the ReplicaSet at `key`; writes only on a change.
pub(super) fn copy_to_new_set(api: &mut ApiStore, d: &Deployment, key: &ObjectKey) {
    let Some(from) = d.metadata.annotations.as_ref() else { return };
    let Some(rs) = api.replica_sets.get(key) else { return };
    let current = rs.metadata.annotations.as_ref();
    let missing: Vec<(&String, &String)> = from
        .iter()
        .filter(|(k, v)| !SKIPPED.contains(&k.as_str()) && current.and_then(|a| a.get(*k)) != Some(*v))
        .collect();
    if missing.is_empty() {
        return;
    }
    let mut rs = rs.clone();
    let annotations = rs.metadata.annotations.get_or_insert_with(BTreeMap::new);
    for (k, v) in missing {
        annotations.insert(k.clone(), v.clone());
    }
    touch(api, &mut rs.metadata);
    api.replica_sets.insert(key.clone(), rs);
}
