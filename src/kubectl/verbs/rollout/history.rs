//! `kubectl rollout history` and `kubectl rollout undo` of a Deployment
//! (`staging/src/k8s.io/kubectl/pkg/polymorphichelpers/history.go` and `rollback.go`): the
//! revisions are the Deployment's ReplicaSets, numbered by their `deployment.kubernetes.io/revision`
//! annotation, with the `kubernetes.io/change-cause` annotation as CHANGE-CAUSE. Undo copies a
//! revision's pod template back into the Deployment, whose controller then rolls it out again.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::ReplicaSet;
use k8s_openapi::api::core::v1::PodTemplateSpec;

use crate::api::{ApiStore, ObjectKey};
use crate::kubectl::command::ResourceKind;
use crate::kubectl::table::{align, DESCRIBE};

const REVISION: &str = "deployment.kubernetes.io/revision";
const CHANGE_CAUSE: &str = "kubernetes.io/change-cause";
const HASH_LABEL: &str = "pod-template-hash";

/// Annotations of a ReplicaSet that a rollback does not copy to the Deployment
/// (`annotationsToSkip` in `pkg/controller/deployment/util/deployment_util.go`).
const NOT_COPIED: &[&str] = &[
    "kubectl.kubernetes.io/last-applied-configuration",
    REVISION,
    "deployment.kubernetes.io/revision-history",
    "deployment.kubernetes.io/desired-replicas",
    "deployment.kubernetes.io/max-replicas",
    "deprecated.deployment.rollback.to",
];

fn unsupported(kind: ResourceKind) -> String {
    format!(
        "error: the playground keeps revisions of Deployments only; {} have no revision history here",
        kind.info().plural_group()
    )
}

/// The Deployment's ReplicaSets by revision.
fn revisions<'a>(api: &'a ApiStore, key: &ObjectKey) -> Result<BTreeMap<i64, &'a ReplicaSet>, String> {
    let d = api
        .deployments
        .get(key)
        .ok_or_else(|| format!("Error from server (NotFound): deployments.apps {:?} not found", key.1))?;
    let uid = d.metadata.uid.clone().unwrap_or_default();
    Ok(api
        .replica_sets
        .iter()
        .filter(|((ns, _), _)| *ns == key.0)
        .filter(|(_, rs)| {
            rs.metadata.owner_references.iter().flatten().any(|o| o.controller == Some(true) && o.uid == uid)
        })
        .filter_map(|(_, rs)| {
            let revision = rs.metadata.annotations.as_ref()?.get(REVISION)?.parse::<i64>().ok()?;
            Some((revision, rs))
        })
        .collect())
}

pub(super) fn history(api: &ApiStore, kind: ResourceKind, key: &ObjectKey) -> Result<String, String> {
    if kind != ResourceKind::Deployment {
        return Err(unsupported(kind));
    }
    let revisions = revisions(api, key)?;
    let mut out = format!("{}/{} \n", kind.info().singular_group(), key.1);
    if revisions.is_empty() {
        out.push_str("No rollout history found.\n");
        return Ok(out);
    }
    let mut table = String::from("REVISION\tCHANGE-CAUSE\n");
    for (revision, rs) in &revisions {
        let cause = rs
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get(CHANGE_CAUSE))
            .map_or("<none>", String::as_str);
        table.push_str(&format!("{revision}\t{cause}\n"));
    }
    out.push_str(&align(&table, DESCRIBE));
    out.push('\n');
    Ok(out)
}

/// A template without the `pod-template-hash` label the controller adds to its ReplicaSets.
fn without_hash(template: &PodTemplateSpec) -> PodTemplateSpec {
    let mut t = template.clone();
    if let Some(labels) = t.metadata.as_mut().and_then(|m| m.labels.as_mut()) {
        labels.remove(HASH_LABEL);
    }
    t
}

pub(super) fn undo(
    api: &mut ApiStore,
    kind: ResourceKind,
    key: &ObjectKey,
    to_revision: i64,
) -> Result<String, String> {
    if kind != ResourceKind::Deployment {
        return Err(unsupported(kind));
    }
    let revisions = revisions(api, key)?;
    let Some(d) = api.deployments.get(key) else {
        return Err(format!("Error from server (NotFound): deployments.apps {:?} not found", key.1));
    };
    if d.spec.as_ref().and_then(|s| s.paused) == Some(true) {
        return Err("error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again".to_string());
    }
    let target = if to_revision == 0 {
        // The previous revision: the second highest.
        let mut numbers = revisions.keys().rev();
        numbers.next();
        match numbers.next() {
            Some(n) => *n,
            None => return Err("error: no last revision to roll back to".to_string()),
        }
    } else {
        to_revision
    };
    let Some(rs) = revisions.get(&target) else {
        return Err(format!("error: unable to find specified revision {target} in history"));
    };
    let template = without_hash(
        rs.spec.as_ref().and_then(|s| s.template.as_ref()).cloned().as_ref().unwrap_or(&Default::default()),
    );
    let rs_annotations = rs.metadata.annotations.clone().unwrap_or_default();
    let name = format!("{}/{}", kind.info().singular_group(), key.1);
    let mut d = d.clone();
    let Some(spec) = d.spec.as_mut() else { return Err(format!("error: {name} has no spec")) };
    if without_hash(&spec.template) == template {
        return Ok(format!("{name} skipped rollback (current template already matches revision {target})\n"));
    }
    spec.template = template;
    let annotations = d.metadata.annotations.get_or_insert_with(BTreeMap::new);
    for (k, v) in rs_annotations.into_iter().filter(|(k, _)| !NOT_COPIED.contains(&k.as_str())) {
        annotations.insert(k, v);
    }
    d.metadata.generation = Some(d.metadata.generation.unwrap_or(1) + 1);
    d.metadata.resource_version = Some(api.next_resource_version());
    api.deployments.insert(key.clone(), d);
    api.changes.controllers_dirty = true;
    Ok(format!("{name} rolled back\n"))
}
