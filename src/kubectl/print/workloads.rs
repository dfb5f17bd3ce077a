//! Deployments, ReplicaSets, StatefulSets and DaemonSets in `kubectl get` (`printDeployment`,
//! `printReplicaSet`, `printStatefulSet`, `printDaemonSet` in
//! `pkg/printers/internalversion/printers.go`).

use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};

use super::object::{listed, Object};
use super::{age, container_cells, format_label_selector, format_labels, name_of, Printer, Wide};
use crate::duration::Millis;

listed!(Deployment, ReplicaSet, StatefulSet, DaemonSet);

pub(crate) const DEPLOYMENTS: Printer = Printer {
    columns: &["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
    wide: Wide::Append(&["CONTAINERS", "IMAGES", "SELECTOR"]),
    list: |api, namespace| super::stored(&api.deployments, namespace),
    row: deployment_row,
    warning: None,
};

pub(crate) const REPLICA_SETS: Printer = Printer {
    columns: &["NAME", "DESIRED", "CURRENT", "READY", "AGE"],
    wide: Wide::Append(&["CONTAINERS", "IMAGES", "SELECTOR"]),
    list: |api, namespace| super::stored(&api.replica_sets, namespace),
    row: replica_set_row,
    warning: None,
};

pub(crate) const STATEFUL_SETS: Printer = Printer {
    columns: &["NAME", "READY", "AGE"],
    wide: Wide::Append(&["CONTAINERS", "IMAGES"]),
    list: |api, namespace| super::stored(&api.stateful_sets, namespace),
    row: stateful_set_row,
    warning: None,
};

pub(crate) const DAEMON_SETS: Printer = Printer {
    columns: &["NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE"],
    wide: Wide::Append(&["CONTAINERS", "IMAGES", "SELECTOR"]),
    list: |api, namespace| super::stored(&api.daemon_sets, namespace),
    row: daemon_set_row,
    warning: None,
};

/// `printDeployment`.
fn deployment_row(now: Millis, object: &Object, wide: bool) -> Vec<String> {
    let Some(d) = object.get::<Deployment>() else { return Vec::new() };
    let spec = d.spec.as_ref();
    let status = d.status.clone().unwrap_or_default();
    let desired = spec.and_then(|s| s.replicas).unwrap_or(1);
    let mut cells = vec![
        name_of(&d.metadata),
        format!("{}/{}", status.ready_replicas.unwrap_or(0), desired),
        status.updated_replicas.unwrap_or(0).to_string(),
        status.available_replicas.unwrap_or(0).to_string(),
        age(d.metadata.creation_timestamp.as_ref(), now),
    ];
    if wide {
        let (names, images) = container_cells(spec.and_then(|s| s.template.spec.as_ref()));
        cells.extend([names, images, format_label_selector(spec.map(|s| &s.selector))]);
    }
    cells
}

/// `printReplicaSet`.
fn replica_set_row(now: Millis, object: &Object, wide: bool) -> Vec<String> {
    let Some(rs) = object.get::<ReplicaSet>() else { return Vec::new() };
    let spec = rs.spec.as_ref();
    let status = rs.status.clone().unwrap_or_default();
    let mut cells = vec![
        name_of(&rs.metadata),
        spec.and_then(|s| s.replicas).unwrap_or(1).to_string(),
        status.replicas.to_string(),
        status.ready_replicas.unwrap_or(0).to_string(),
        age(rs.metadata.creation_timestamp.as_ref(), now),
    ];
    if wide {
        let (names, images) =
            container_cells(spec.and_then(|s| s.template.as_ref()).and_then(|t| t.spec.as_ref()));
        cells.extend([names, images, format_label_selector(spec.map(|s| &s.selector))]);
    }
    cells
}

/// `printStatefulSet`.
fn stateful_set_row(now: Millis, object: &Object, wide: bool) -> Vec<String> {
    let Some(sts) = object.get::<StatefulSet>() else { return Vec::new() };
    let spec = sts.spec.as_ref();
    let status = sts.status.clone().unwrap_or_default();
    let mut cells = vec![
        name_of(&sts.metadata),
        format!("{}/{}", status.ready_replicas.unwrap_or(0), spec.and_then(|s| s.replicas).unwrap_or(1)),
        age(sts.metadata.creation_timestamp.as_ref(), now),
    ];
    if wide {
        let (names, images) = container_cells(spec.and_then(|s| s.template.spec.as_ref()));
        cells.extend([names, images]);
    }
    cells
}

/// `printDaemonSet`.
fn daemon_set_row(now: Millis, object: &Object, wide: bool) -> Vec<String> {
    let Some(ds) = object.get::<DaemonSet>() else { return Vec::new() };
    let spec = ds.spec.as_ref();
    let status = ds.status.clone().unwrap_or_default();
    let pod_spec = spec.and_then(|s| s.template.spec.as_ref());
    let mut cells = vec![
        name_of(&ds.metadata),
        status.desired_number_scheduled.to_string(),
        status.current_number_scheduled.to_string(),
        status.number_ready.to_string(),
        status.updated_number_scheduled.unwrap_or(0).to_string(),
        status.number_available.unwrap_or(0).to_string(),
        format_labels(pod_spec.and_then(|s| s.node_selector.as_ref())),
        age(ds.metadata.creation_timestamp.as_ref(), now),
    ];
    if wide {
        let (names, images) = container_cells(pod_spec);
        cells.extend([names, images, format_label_selector(spec.map(|s| &s.selector))]);
    }
    cells
}
