//! `kubectl describe deployment|replicaset|statefulset|daemonset` (`DeploymentDescriber`,
//! `ReplicaSetDescriber`, `StatefulSetDescriber`, `DaemonSetDescriber` in
//! `staging/src/k8s.io/kubectl/pkg/describe/describe.go`).

use k8s_openapi::api::core::v1::PodTemplateSpec;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::pods::{containers, volumes};
use super::{
    annotations_multiline, controlled_by, events_for, events_table, int_or_string, labels_multiline,
    time_text, tolerations_multiline, Out,
};
use crate::api::{ApiStore, ObjectKey};
use crate::duration::Millis;
use crate::kubectl::print::{format_label_selector, format_labels};
use crate::selector::Selector;

/// The Deployment at `key`, described.
pub(crate) fn deployment(api: &ApiStore, now: Millis, key: &ObjectKey) -> Option<String> {
    api.deployments.get(key).map(|o| describe_deployment(api, now, o))
}

/// The ReplicaSet at `key`, described.
pub(crate) fn replica_set(api: &ApiStore, now: Millis, key: &ObjectKey) -> Option<String> {
    api.replica_sets.get(key).map(|o| describe_replica_set(api, now, o))
}

/// The StatefulSet at `key`, described.
pub(crate) fn stateful_set(api: &ApiStore, now: Millis, key: &ObjectKey) -> Option<String> {
    api.stateful_sets.get(key).map(|o| describe_stateful_set(api, now, o))
}

/// The DaemonSet at `key`, described.
pub(crate) fn daemon_set(api: &ApiStore, now: Millis, key: &ObjectKey) -> Option<String> {
    api.daemon_sets.get(key).map(|o| describe_daemon_set(api, now, o))
}

/// `DescribePodTemplate`.
fn pod_template(out: &mut Out, template: Option<&PodTemplateSpec>) {
    out.line(0, "Pod Template:");
    let Some(template) = template else {
        out.raw("  <unset>");
        return;
    };
    let meta = template.metadata.clone().unwrap_or_default();
    labels_multiline(out, "  Labels", meta.labels.as_ref());
    if meta.annotations.as_ref().is_some_and(|a| !a.is_empty()) {
        annotations_multiline(out, "  Annotations", meta.annotations.as_ref());
    }
    let spec = template.spec.as_ref();
    if let Some(sa) = spec.and_then(|s| s.service_account_name.as_deref()).filter(|s| !s.is_empty()) {
        out.line(1, &format!("Service Account:\t{sa}"));
    }
    let init = spec.and_then(|s| s.init_containers.as_deref()).unwrap_or_default();
    if !init.is_empty() {
        containers(out, "Init Containers", init, None, "  ");
    }
    containers(out, "Containers", spec.map(|s| s.containers.as_slice()).unwrap_or_default(), None, "  ");
    volumes(out, spec.and_then(|s| s.volumes.as_deref()).unwrap_or_default(), "  ");
    if let Some(pc) = spec.and_then(|s| s.priority_class_name.as_deref()).filter(|p| !p.is_empty()) {
        out.line(1, &format!("Priority Class Name:\t{pc}"));
    }
    labels_multiline(out, "  Node-Selectors", spec.and_then(|s| s.node_selector.as_ref()));
    tolerations_multiline(
        out,
        "  Tolerations",
        spec.and_then(|s| s.tolerations.as_deref()).unwrap_or_default(),
    );
}

/// Counts the phases of the pods an object controls (`getPodStatusForController`).
fn pod_phases(api: &ApiStore, meta: &ObjectMeta, selector: Option<&Selector>) -> String {
    let (mut running, mut waiting, mut succeeded, mut failed) = (0, 0, 0, 0);
    let uid = meta.uid.as_deref().unwrap_or_default();
    let namespace = meta.namespace.as_deref().unwrap_or("default");
    for pod in api.pods.values() {
        if pod.metadata.namespace.as_deref().unwrap_or("default") != namespace {
            continue;
        }
        let owned = pod.metadata.owner_references.iter().flatten().any(|r| {
            r.controller == Some(true)
                && (r.uid == uid || (uid.is_empty() && Some(&r.name) == meta.name.as_ref()))
        });
        let selected = selector.is_some_and(|s| s.matches(pod.metadata.labels.as_ref()));
        if !(owned || (selected && pod.metadata.owner_references.is_none())) {
            continue;
        }
        match pod.status.as_ref().and_then(|s| s.phase.as_deref()).unwrap_or("Pending") {
            "Running" => running += 1,
            "Pending" => waiting += 1,
            "Succeeded" => succeeded += 1,
            "Failed" => failed += 1,
            _ => {}
        }
    }
    format!("{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed")
}

fn label_selector(
    selector: Option<&k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector>,
) -> Option<Selector> {
    selector.and_then(|s| Selector::from_label_selector(s).ok())
}

/// A workload condition table (`Type Status Reason`).
fn workload_conditions(out: &mut Out, conditions: &[(String, String, String)]) {
    if conditions.is_empty() {
        return;
    }
    out.raw("Conditions:\n  Type\tStatus\tReason\n");
    out.line(1, "----\t------\t------");
    for (t, s, r) in conditions {
        out.line(1, &format!("{t} \t{s}\t{r}"));
    }
}

fn describe_deployment(api: &ApiStore, now: Millis, d: &k8s_openapi::api::apps::v1::Deployment) -> String {
    let meta = &d.metadata;
    let spec = d.spec.clone().unwrap_or_default();
    let status = d.status.clone().unwrap_or_default();
    let mut out = Out::default();
    out.line(0, &format!("Name:\t{}", meta.name.as_deref().unwrap_or_default()));
    out.line(0, &format!("Namespace:\t{}", meta.namespace.as_deref().unwrap_or("default")));
    out.line(0, &format!("CreationTimestamp:\t{}", time_text(meta.creation_timestamp.as_ref())));
    labels_multiline(&mut out, "Labels", meta.labels.as_ref());
    annotations_multiline(&mut out, "Annotations", meta.annotations.as_ref());
    out.line(0, &format!("Selector:\t{}", format_label_selector(Some(&spec.selector))));
    out.line(
        0,
        &format!(
            "Replicas:\t{} desired | {} updated | {} total | {} available | {} unavailable",
            spec.replicas.unwrap_or(1),
            status.updated_replicas.unwrap_or(0),
            status.replicas.unwrap_or(0),
            status.available_replicas.unwrap_or(0),
            status.unavailable_replicas.unwrap_or(0)
        ),
    );
    let strategy = spec.strategy.clone().unwrap_or_default();
    out.line(0, &format!("StrategyType:\t{}", strategy.type_.as_deref().unwrap_or("RollingUpdate")));
    out.line(0, &format!("MinReadySeconds:\t{}", spec.min_ready_seconds.unwrap_or(0)));
    if strategy.type_.as_deref().unwrap_or("RollingUpdate") == "RollingUpdate" {
        let ru = strategy.rolling_update.clone().unwrap_or_default();
        let text = |v: Option<IntOrString>| v.map_or("25%".to_string(), |v| int_or_string(&v));
        out.line(
            0,
            &format!(
                "RollingUpdateStrategy:\t{} max unavailable, {} max surge",
                text(ru.max_unavailable),
                text(ru.max_surge)
            ),
        );
    }
    pod_template(&mut out, Some(&spec.template));
    let conditions: Vec<(String, String, String)> = status
        .conditions
        .iter()
        .flatten()
        .map(|c| (c.type_.clone(), c.status.clone(), c.reason.clone().unwrap_or_default()))
        .collect();
    workload_conditions(&mut out, &conditions);

    // The deployment's ReplicaSets: the one whose template matches is new, the others are old.
    let uid = meta.uid.as_deref().unwrap_or_default();
    let namespace = meta.namespace.as_deref().unwrap_or("default");
    let owned: Vec<&k8s_openapi::api::apps::v1::ReplicaSet> = api
        .replica_sets
        .iter()
        .filter(|((ns, _), _)| ns == namespace)
        .map(|(_, rs)| rs)
        .filter(|rs| {
            rs.metadata.owner_references.iter().flatten().any(|r| {
                r.controller == Some(true)
                    && r.kind == "Deployment"
                    && (r.uid == uid || (uid.is_empty() && Some(&r.name) == meta.name.as_ref()))
            })
        })
        .collect();
    let is_new = |rs: &k8s_openapi::api::apps::v1::ReplicaSet| {
        let Some(mut template) = rs.spec.as_ref().and_then(|s| s.template.clone()) else { return false };
        if let Some(labels) = template.metadata.as_mut().and_then(|m| m.labels.as_mut()) {
            labels.remove("pod-template-hash");
        }
        template == spec.template
    };
    let new_rs: Vec<_> = owned.iter().copied().filter(|rs| is_new(rs)).take(1).collect();
    let old_rs: Vec<_> =
        owned.iter().copied().filter(|rs| !new_rs.iter().any(|n| std::ptr::eq(*n, *rs))).collect();
    if !owned.is_empty() {
        out.line(0, &format!("OldReplicaSets:\t{}", replica_set_list(&old_rs)));
        out.line(0, &format!("NewReplicaSet:\t{}", replica_set_list(&new_rs)));
    }
    events_table(&mut out, now, &events_for(api, now, "Deployment", meta));
    out.text
}

fn replica_set_list(list: &[&k8s_openapi::api::apps::v1::ReplicaSet]) -> String {
    if list.is_empty() {
        return "<none>".to_string();
    }
    list.iter()
        .map(|rs| {
            format!(
                "{} ({}/{} replicas created)",
                rs.metadata.name.as_deref().unwrap_or_default(),
                rs.status.as_ref().map_or(0, |s| s.replicas),
                rs.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn describe_replica_set(api: &ApiStore, now: Millis, rs: &k8s_openapi::api::apps::v1::ReplicaSet) -> String {
    let meta = &rs.metadata;
    let spec = rs.spec.clone().unwrap_or_default();
    let mut out = Out::default();
    out.line(0, &format!("Name:\t{}", meta.name.as_deref().unwrap_or_default()));
    out.line(0, &format!("Namespace:\t{}", meta.namespace.as_deref().unwrap_or("default")));
    out.line(0, &format!("Selector:\t{}", format_label_selector(Some(&spec.selector))));
    labels_multiline(&mut out, "Labels", meta.labels.as_ref());
    annotations_multiline(&mut out, "Annotations", meta.annotations.as_ref());
    if let Some(owner) = controlled_by(meta) {
        out.line(0, &format!("Controlled By:\t{owner}"));
    }
    out.line(
        0,
        &format!(
            "Replicas:\t{} current / {} desired",
            rs.status.as_ref().map_or(0, |s| s.replicas),
            spec.replicas.unwrap_or(1)
        ),
    );
    out.line(
        0,
        &format!("Pods Status:\t{}", pod_phases(api, meta, label_selector(Some(&spec.selector)).as_ref())),
    );
    pod_template(&mut out, spec.template.as_ref());
    let conditions: Vec<(String, String, String)> = rs
        .status
        .iter()
        .flat_map(|s| s.conditions.iter().flatten())
        .map(|c| (c.type_.clone(), c.status.clone(), c.reason.clone().unwrap_or_default()))
        .collect();
    workload_conditions(&mut out, &conditions);
    events_table(&mut out, now, &events_for(api, now, "ReplicaSet", meta));
    out.text
}

fn describe_stateful_set(
    api: &ApiStore,
    now: Millis,
    sts: &k8s_openapi::api::apps::v1::StatefulSet,
) -> String {
    let meta = &sts.metadata;
    let spec = sts.spec.clone().unwrap_or_default();
    let mut out = Out::default();
    out.line(0, &format!("Name:\t{}", meta.name.as_deref().unwrap_or_default()));
    out.line(0, &format!("Namespace:\t{}", meta.namespace.as_deref().unwrap_or("default")));
    out.line(0, &format!("CreationTimestamp:\t{}", time_text(meta.creation_timestamp.as_ref())));
    out.line(0, &format!("Selector:\t{}", format_label_selector(Some(&spec.selector))));
    labels_multiline(&mut out, "Labels", meta.labels.as_ref());
    annotations_multiline(&mut out, "Annotations", meta.annotations.as_ref());
    out.line(
        0,
        &format!(
            "Replicas:\t{} desired | {} total",
            spec.replicas.unwrap_or(1),
            sts.status.as_ref().map_or(0, |s| s.replicas)
        ),
    );
    let strategy = spec.update_strategy.clone().unwrap_or_default();
    out.line(0, &format!("Update Strategy:\t{}", strategy.type_.as_deref().unwrap_or("RollingUpdate")));
    if let Some(ru) = &strategy.rolling_update {
        if let Some(p) = ru.partition {
            out.line(1, &format!("Partition:\t{p}"));
            if let Some(mu) = &ru.max_unavailable {
                out.line(1, &format!("MaxUnavailable:\t{}", int_or_string(mu)));
            }
        }
    } else if strategy.type_.as_deref().unwrap_or("RollingUpdate") == "RollingUpdate" {
        // The API server defaults the partition to 0.
        out.line(1, "Partition:\t0");
    }
    out.line(
        0,
        &format!("Pods Status:\t{}", pod_phases(api, meta, label_selector(Some(&spec.selector)).as_ref())),
    );
    pod_template(&mut out, Some(&spec.template));
    let claims = spec.volume_claim_templates.as_deref().unwrap_or_default();
    if claims.is_empty() {
        out.line(0, "Volume Claims:\t<none>");
    } else {
        out.line(0, "Volume Claims:");
        for pvc in claims {
            out.line(1, &format!("Name:\t{}", pvc.metadata.name.as_deref().unwrap_or_default()));
            let class = pvc.spec.as_ref().and_then(|s| s.storage_class_name.clone()).unwrap_or_default();
            out.line(1, &format!("StorageClass:\t{class}"));
            labels_multiline(&mut out, "  Labels", pvc.metadata.labels.as_ref());
            annotations_multiline(&mut out, "  Annotations", pvc.metadata.annotations.as_ref());
            let capacity = pvc
                .spec
                .as_ref()
                .and_then(|s| s.resources.as_ref())
                .and_then(|r| r.requests.as_ref())
                .and_then(|r| r.get("storage"))
                .map_or("0".to_string(), |q| q.0.clone());
            out.line(1, &format!("Capacity:\t{capacity}"));
            let modes = pvc.spec.as_ref().and_then(|s| s.access_modes.clone()).unwrap_or_default();
            out.line(1, &format!("Access Modes:\t{}", modes.join(",")));
        }
    }
    events_table(&mut out, now, &events_for(api, now, "StatefulSet", meta));
    out.text
}

fn describe_daemon_set(api: &ApiStore, now: Millis, ds: &k8s_openapi::api::apps::v1::DaemonSet) -> String {
    let meta = &ds.metadata;
    let spec = ds.spec.clone().unwrap_or_default();
    let status = ds.status.clone().unwrap_or_default();
    let mut out = Out::default();
    out.line(0, &format!("Name:\t{}", meta.name.as_deref().unwrap_or_default()));
    out.line(0, &format!("Namespace:\t{}", meta.namespace.as_deref().unwrap_or("default")));
    out.line(0, &format!("Selector:\t{}", format_label_selector(Some(&spec.selector))));
    let node_selector = spec.template.spec.as_ref().and_then(|s| s.node_selector.as_ref());
    out.line(0, &format!("Node-Selector:\t{}", format_labels(node_selector)));
    labels_multiline(&mut out, "Labels", meta.labels.as_ref());
    annotations_multiline(&mut out, "Annotations", meta.annotations.as_ref());
    out.line(0, &format!("Desired Number of Nodes Scheduled: {}", status.desired_number_scheduled));
    out.line(0, &format!("Current Number of Nodes Scheduled: {}", status.current_number_scheduled));
    out.line(
        0,
        &format!(
            "Number of Nodes Scheduled with Up-to-date Pods: {}",
            status.updated_number_scheduled.unwrap_or(0)
        ),
    );
    out.line(
        0,
        &format!("Number of Nodes Scheduled with Available Pods: {}", status.number_available.unwrap_or(0)),
    );
    out.line(0, &format!("Number of Nodes Misscheduled: {}", status.number_misscheduled));
    out.line(
        0,
        &format!("Pods Status:\t{}", pod_phases(api, meta, label_selector(Some(&spec.selector)).as_ref())),
    );
    pod_template(&mut out, Some(&spec.template));
    events_table(&mut out, now, &events_for(api, now, "DaemonSet", meta));
    out.text
}
