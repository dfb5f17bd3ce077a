//! Nodes in `kubectl get` (`printNode` in `pkg/printers/internalversion/printers.go`).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::Node;

use super::object::{listed, Object};
use super::{age, name_of, Printer, Wide};
use crate::duration::Millis;

listed!(Node);

pub(crate) const PRINTER: Printer = Printer {
    columns: &["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
    wide: Wide::Append(&["INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"]),
    list: |api, _| api.nodes.values().map(|n| Object::Stored(n as &dyn super::object::Listed)).collect(),
    row,
    warning: None,
};

/// `printNode`.
fn row(now: Millis, object: &Object, wide: bool) -> Vec<String> {
    let Some(node) = object.get::<Node>() else { return Vec::new() };
    let status = node.status.clone().unwrap_or_default();
    // `Ready` when the condition is true, `NotReady` for `False` and `Unknown` alike (the printer
    // prefixes `Not`), `Unknown` only without a Ready condition.
    let mut state = match status.conditions.iter().flatten().find(|c| c.type_ == "Ready") {
        Some(c) if c.status == "True" => "Ready".to_string(),
        Some(_) => "NotReady".to_string(),
        None => "Unknown".to_string(),
    };
    if node.spec.as_ref().and_then(|s| s.unschedulable) == Some(true) {
        state.push_str(",SchedulingDisabled");
    }
    let mut cells = vec![
        name_of(&node.metadata),
        state,
        node_roles(node.metadata.labels.as_ref()),
        age(node.metadata.creation_timestamp.as_ref(), now),
        status.node_info.as_ref().map(|i| i.kubelet_version.clone()).unwrap_or_default(),
    ];
    if wide {
        let address = |t: &str| {
            status
                .addresses
                .iter()
                .flatten()
                .find(|a| a.type_ == t)
                .map(|a| a.address.clone())
                .unwrap_or_else(|| "<none>".into())
        };
        let info = status.node_info.clone().unwrap_or_default();
        cells.extend([
            address("InternalIP"),
            address("ExternalIP"),
            info.os_image,
            info.kernel_version,
            info.container_runtime_version,
        ]);
    }
    cells
}

fn node_roles(labels: Option<&BTreeMap<String, String>>) -> String {
    let mut roles: Vec<String> = Vec::new();
    for (k, v) in labels.into_iter().flatten() {
        if let Some(role) = k.strip_prefix("node-role.kubernetes.io/") {
            if !role.is_empty() {
                roles.push(role.to_string());
            }
        } else if k == "kubernetes.io/role" && !v.is_empty() {
            roles.push(v.clone());
        }
    }
    roles.sort();
    roles.dedup();
    if roles.is_empty() {
        "<none>".to_string()
    } else {
        roles.join(",")
    }
}
