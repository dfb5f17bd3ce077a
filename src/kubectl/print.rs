//! `kubectl get`: tables (`printers.go` column by column), `-o wide|yaml|json|name`, and the pod row
//! the UI and the JSON timeline show.
//!
//! Every value is computed from the API objects and the virtual time `now` only, exactly as kubectl
//! computes it from what the API server returns.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{ContainerState, ContainerStatus, Pod};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta, Time};
use serde::Serialize;

use crate::api::{self, ApiStore};
use crate::duration::{human_duration, Millis};
use crate::kubectl::command::{OutputFormat, ResourceKind};
use crate::kubectl::table::table;
use crate::selector::Selector;

/// One row of `kubectl get pods -o wide`, as the UI and the CLI's JSON timeline use it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodRow {
    pub namespace: String,
    pub name: String,
    /// `status.phase` (`Pending` when the kubelet has not written a status yet, as the API server
    /// defaults it).
    pub phase: String,
    /// `x/y`.
    pub ready: String,
    pub status: String,
    /// The restart sum.
    pub restarts: i64,
    /// The RESTARTS cell: `0`, `1 (5s ago)`.
    pub restarts_column: String,
    pub age: String,
    /// `<none>` until the pod has an IP.
    pub ip: String,
    pub node: String,
    pub nominated_node: String,
    pub readiness_gates: String,
    pub deleting: bool,
    /// The regular containers' statuses, in spec order.
    pub containers: Vec<ContainerRow>,
    /// The init containers' statuses (plain and sidecar), in spec order; empty for most pods.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub init_containers: Vec<ContainerRow>,
}

/// One container's state as the API shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerRow {
    pub name: String,
    /// `waiting`, `running` or `terminated`.
    pub state: String,
    /// The waiting or terminated reason (`ContainerCreating`, `CrashLoopBackOff`, `Error`, ...).
    pub reason: String,
    pub ready: bool,
    pub started: bool,
    pub restart_count: i32,
}

/// Computes the `get pods` row of a pod at `now` (`printPod` in `pkg/printers/internalversion/printers.go`).
pub fn pod_row(pod: &Pod, now: Millis) -> PodRow {
    let meta = &pod.metadata;
    let spec = pod.spec.as_ref();
    let status = pod.status.as_ref();
    let phase = status.and_then(|s| s.phase.clone()).unwrap_or_else(|| "Pending".to_string());
    let mut reason =
        status.and_then(|s| s.reason.clone()).filter(|r| !r.is_empty()).unwrap_or_else(|| phase.clone());
    let conditions = status.and_then(|s| s.conditions.as_deref()).unwrap_or_default();
    if conditions.iter().any(|c| c.type_ == "PodScheduled" && c.reason.as_deref() == Some("SchedulingGated"))
    {
        reason = "SchedulingGated".to_string();
    }

    let init_specs = spec.map(|s| s.init_containers.as_deref().unwrap_or_default()).unwrap_or_default();
    let is_sidecar = |name: &str| {
        init_specs.iter().any(|c| c.name == name && c.restart_policy.as_deref() == Some("Always"))
    };
    let mut total = spec.map_or(0, |s| s.containers.len());
    total += init_specs.iter().filter(|c| c.restart_policy.as_deref() == Some("Always")).count();
    let mut ready = 0;

    // Restart sums and the newest restart time, first over every init container, then (once
    // initialized) over sidecars and regular containers only.
    let mut restarts: i64 = 0;
    let mut sidecar_restarts: i64 = 0;
    let mut last_restart: Option<i64> = None;
    let mut sidecar_last_restart: Option<i64> = None;
    let later = |current: Option<i64>, cs: &ContainerStatus| {
        let finished = cs
            .last_state
            .as_ref()
            .and_then(|s| s.terminated.as_ref())
            .and_then(|t| t.finished_at.as_ref())
            .map(api::millis_of);
        match (current, finished) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        }
    };

    let init_statuses = status.and_then(|s| s.init_container_statuses.as_deref()).unwrap_or_default();
    let mut initializing = false;
    for (i, cs) in init_statuses.iter().enumerate() {
        restarts += i64::from(cs.restart_count);
        last_restart = later(last_restart, cs);
        let sidecar = is_sidecar(&cs.name);
        if sidecar {
            sidecar_restarts += i64::from(cs.restart_count);
            sidecar_last_restart = later(sidecar_last_restart, cs);
        }
        let state = cs.state.as_ref();
        let terminated = state.and_then(|s| s.terminated.as_ref());
        let waiting = state.and_then(|s| s.waiting.as_ref());
        if terminated.is_some_and(|t| t.exit_code == 0) {
            continue;
        }
        if sidecar && cs.started == Some(true) {
            if cs.ready {
                ready += 1;
            }
            continue;
        }
        initializing = true;
        reason = if let Some(t) = terminated {
            match t.reason.as_deref().filter(|r| !r.is_empty()) {
                Some(r) => format!("Init:{r}"),
                None => match t.signal.filter(|s| *s != 0) {
                    Some(sig) => format!("Init:Signal:{sig}"),
                    None => format!("Init:ExitCode:{}", t.exit_code),
                },
            }
        } else if let Some(r) =
            waiting.and_then(|w| w.reason.as_deref()).filter(|r| !r.is_empty() && *r != "PodInitializing")
        {
            format!("Init:{r}")
        } else {
            format!("Init:{}/{}", i, init_specs.len())
        };
        break;
    }

    let initialized = conditions.iter().any(|c| c.type_ == "Initialized" && c.status == "True");
    let statuses = status.and_then(|s| s.container_statuses.as_deref()).unwrap_or_default();
    if !initializing || initialized {
        restarts = sidecar_restarts;
        last_restart = sidecar_last_restart;
        let mut has_running = false;
        for cs in statuses.iter().rev() {
            restarts += i64::from(cs.restart_count);
            last_restart = later(last_restart, cs);
            let state = cs.state.as_ref();
            let waiting = state.and_then(|s| s.waiting.as_ref());
            let terminated = state.and_then(|s| s.terminated.as_ref());
            if let Some(r) = waiting.and_then(|w| w.reason.as_deref()).filter(|r| !r.is_empty()) {
                reason = r.to_string();
            } else if let Some(t) = terminated {
                reason = match t.reason.as_deref().filter(|r| !r.is_empty()) {
                    Some(r) => r.to_string(),
                    None => match t.signal.filter(|s| *s != 0) {
                        Some(sig) => format!("Signal:{sig}"),
                        None => format!("ExitCode:{}", t.exit_code),
                    },
                };
            } else if cs.ready && state.is_some_and(|s| s.running.is_some()) {
                has_running = true;
                ready += 1;
            }
        }
        if reason == "Completed" && has_running {
            let pod_ready = conditions.iter().any(|c| c.type_ == "Ready" && c.status == "True");
            reason = if pod_ready { "Running".to_string() } else { "NotReady".to_string() };
        }
    }

    let deleting = meta.deletion_timestamp.is_some();
    if deleting && status.and_then(|s| s.reason.as_deref()) == Some("NodeLost") {
        reason = "Unknown".to_string();
    } else if deleting && phase != "Succeeded" && phase != "Failed" {
        reason = "Terminating".to_string();
    }

    let restarts_column = match last_restart {
        Some(at) if restarts != 0 => format!("{restarts} ({} ago)", since(at, now)),
        _ => restarts.to_string(),
    };

    let ip = status
        .and_then(|s| s.pod_ips.as_ref())
        .and_then(|ips| ips.first())
        .map(|ip| ip.ip.clone())
        .filter(|ip| !ip.is_empty())
        .unwrap_or_else(|| "<none>".to_string());
    let node =
        spec.and_then(|s| s.node_name.clone()).filter(|n| !n.is_empty()).unwrap_or_else(|| "<none>".into());
    let nominated_node = status
        .and_then(|s| s.nominated_node_name.clone())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "<none>".into());
    let gates = spec.and_then(|s| s.readiness_gates.as_deref()).unwrap_or_default();
    let readiness_gates = if gates.is_empty() {
        "<none>".to_string()
    } else {
        let true_count = gates
            .iter()
            .filter(|g| {
                conditions.iter().find(|c| c.type_ == g.condition_type).is_some_and(|c| c.status == "True")
            })
            .count();
        format!("{true_count}/{}", gates.len())
    };

    PodRow {
        namespace: meta.namespace.clone().unwrap_or_else(|| "default".into()),
        name: meta.name.clone().unwrap_or_default(),
        phase,
        ready: format!("{ready}/{total}"),
        status: reason,
        restarts,
        restarts_column,
        age: age(meta.creation_timestamp.as_ref(), now),
        ip,
        node,
        nominated_node,
        readiness_gates,
        deleting,
        containers: container_rows(spec.map(|s| s.containers.as_slice()).unwrap_or_default(), statuses),
        init_containers: container_rows(init_specs, init_statuses),
    }
}

/// `kubectl get KIND [NAMES] [-l SELECTOR] [-o FORMAT]` in a namespace; an empty `namespace` means
/// every namespace (`-A`), which adds the NAMESPACE column.
///
/// `Ok` holds what kubectl prints when it succeeds (including the `No resources found ...` notice);
/// `Err` holds the whole output when some requested name does not exist: the objects that were
/// found, then one `Error from server (NotFound)` line per missing name.
pub fn get(
    api: &ApiStore,
    now: Millis,
    kind: ResourceKind,
    names: &[String],
    selector: Option<&Selector>,
    output: OutputFormat,
    namespace: &str,
) -> Result<String, String> {
    let all_namespaces = namespace.is_empty();
    let objects = list(api, kind, namespace, selector);
    let mut found = Vec::new();
    let mut errors = String::new();
    if names.is_empty() {
        found = objects;
    } else {
        for name in names {
            match objects.iter().find(|o| o.name() == name) {
                Some(o) => found.push(o.clone()),
                None => errors.push_str(&format!(
                    "Error from server (NotFound): {} {:?} not found\n",
                    kind_plural_group(kind),
                    name
                )),
            }
        }
    }

    let mut text = String::new();
    if found.is_empty() && names.is_empty() {
        text.push_str(&no_resources(kind, namespace, output));
    } else if !found.is_empty() {
        text.push_str(&match output {
            OutputFormat::Table | OutputFormat::Wide => {
                print_table(now, kind, &found, output == OutputFormat::Wide, all_namespaces)
            }
            OutputFormat::Name => {
                found.iter().map(|o| format!("{}/{}\n", kind_name_prefix(kind), o.name())).collect()
            }
            OutputFormat::Json | OutputFormat::Yaml => {
                let single = names.len() == 1;
                serialize(&found, single, output == OutputFormat::Json)
            }
        });
    }
    if kind == ResourceKind::Endpoints {
        text.insert_str(0, ENDPOINTS_WARNING);
    }
    if errors.is_empty() {
        Ok(text)
    } else {
        text.push_str(&errors);
        Err(text)
    }
}

/// The API server's deprecation warning for v1 Endpoints (since 1.33), which kubectl prints first.
pub const ENDPOINTS_WARNING: &str =
    "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n";

/// The resource name kubectl uses in messages and `Error from server` lines: `pods`,
/// `deployments.apps`, `endpointslices.discovery.k8s.io`, ...
pub fn kind_plural_group(kind: ResourceKind) -> &'static str {
    match kind {
        ResourceKind::Pod => "pods",
        ResourceKind::Deployment => "deployments.apps",
        ResourceKind::ReplicaSet => "replicasets.apps",
        ResourceKind::StatefulSet => "statefulsets.apps",
        ResourceKind::DaemonSet => "daemonsets.apps",
        ResourceKind::Service => "services",
        ResourceKind::Endpoints => "endpoints",
        ResourceKind::EndpointSlice => "endpointslices.discovery.k8s.io",
        ResourceKind::Event => "events",
        ResourceKind::Node => "nodes",
    }
}

/// `-o name` prefixes: `pod`, `deployment.apps`, ...
pub fn kind_name_prefix(kind: ResourceKind) -> &'static str {
    match kind {
        ResourceKind::Pod => "pod",
        ResourceKind::Deployment => "deployment.apps",
        ResourceKind::ReplicaSet => "replicaset.apps",
        ResourceKind::StatefulSet => "statefulset.apps",
        ResourceKind::DaemonSet => "daemonset.apps",
        ResourceKind::Service => "service",
        ResourceKind::Endpoints => "endpoints",
        ResourceKind::EndpointSlice => "endpointslice.discovery.k8s.io",
        ResourceKind::Event => "event",
        ResourceKind::Node => "node",
    }
}

/// Formats the age of an API timestamp at `now` (`translateTimestampSince`).
pub fn age(time: Option<&Time>, now: Millis) -> String {
    match time {
        Some(t) => since(api::millis_of(t), now),
        None => "<unknown>".to_string(),
    }
}

/// Formats the time since a virtual instant (milliseconds, possibly before the epoch).
pub fn since(at: i64, now: Millis) -> String {
    human_duration(now as i64 - at)
}

/// Formats the time since an event's first or last occurrence. Events carry `metav1.Time`
/// timestamps, which the API serializes at whole seconds, so the instant is truncated first: an
/// event recorded at 75.02 s is 15 s old at 90 s, as old as the probe failure at 75 s before it.
pub fn since_event(at: Millis, now: Millis) -> String {
    since((at - at % 1000) as i64, now)
}

/// A label map as `labels.FormatLabels` writes it: `a=b,c=d` sorted, or `<none>`.
pub fn format_labels(labels: Option<&BTreeMap<String, String>>) -> String {
    match labels {
        Some(l) if !l.is_empty() => l.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(","),
        _ => "<none>".to_string(),
    }
}

/// A `LabelSelector` as `metav1.LabelSelectorAsSelector(...).String()` writes it: requirements
/// sorted by key, `a=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`; `<none>` for an empty selector.
pub fn format_label_selector(selector: Option<&LabelSelector>) -> String {
    let Some(selector) = selector else { return "<none>".to_string() };
    let mut parts: Vec<(String, String)> = Vec::new();
    for (k, v) in selector.match_labels.iter().flatten() {
        parts.push((k.clone(), format!("{k}={v}")));
    }
    for expr in selector.match_expressions.iter().flatten() {
        let mut values = expr.values.clone().unwrap_or_default();
        values.sort();
        let text = match expr.operator.as_str() {
            "In" => format!("{} in ({})", expr.key, values.join(",")),
            "NotIn" => format!("{} notin ({})", expr.key, values.join(",")),
            "Exists" => expr.key.clone(),
            "DoesNotExist" => format!("!{}", expr.key),
            _ => return "<invalid>".to_string(),
        };
        parts.push((expr.key.clone(), text));
    }
    if parts.is_empty() {
        return "<none>".to_string();
    }
    parts.sort_by(|a, b| a.0.cmp(&b.0));
    parts.into_iter().map(|(_, t)| t).collect::<Vec<_>>().join(",")
}

/// One API object of any listed kind, borrowed from the store (or built, for the kinds the store
/// keeps in its own shape).
#[derive(Clone, Debug)]
pub(crate) enum Object<'a> {
    Pod(&'a Pod),
    Deployment(&'a k8s_openapi::api::apps::v1::Deployment),
    ReplicaSet(&'a k8s_openapi::api::apps::v1::ReplicaSet),
    StatefulSet(&'a k8s_openapi::api::apps::v1::StatefulSet),
    DaemonSet(&'a k8s_openapi::api::apps::v1::DaemonSet),
    Service(&'a k8s_openapi::api::core::v1::Service),
    Endpoints(&'a k8s_openapi::api::core::v1::Endpoints),
    EndpointSlice(Box<k8s_openapi::api::discovery::v1::EndpointSlice>),
    Event(&'a api::Event),
    Node(&'a k8s_openapi::api::core::v1::Node),
}

impl Object<'_> {
    pub(crate) fn meta(&self) -> Option<&ObjectMeta> {
        Some(match self {
            Object::Pod(o) => &o.metadata,
            Object::Deployment(o) => &o.metadata,
            Object::ReplicaSet(o) => &o.metadata,
            Object::StatefulSet(o) => &o.metadata,
            Object::DaemonSet(o) => &o.metadata,
            Object::Service(o) => &o.metadata,
            Object::Endpoints(o) => &o.metadata,
            Object::EndpointSlice(o) => &o.metadata,
            Object::Node(o) => &o.metadata,
            Object::Event(_) => return None,
        })
    }

    pub(crate) fn name(&self) -> &str {
        match self {
            Object::Event(e) => &e.name,
            other => other.meta().and_then(|m| m.name.as_deref()).unwrap_or_default(),
        }
    }

    pub(crate) fn namespace(&self) -> &str {
        match self {
            Object::Event(e) => &e.namespace,
            other => other.meta().and_then(|m| m.namespace.as_deref()).unwrap_or("default"),
        }
    }

    fn to_value(&self) -> serde_json::Value {
        match self {
            Object::Pod(o) => json_value(o),
            Object::Deployment(o) => json_value(o),
            Object::ReplicaSet(o) => json_value(o),
            Object::StatefulSet(o) => json_value(o),
            Object::DaemonSet(o) => json_value(o),
            Object::Service(o) => json_value(o),
            Object::Endpoints(o) => json_value(o),
            Object::EndpointSlice(o) => json_value(o.as_ref()),
            Object::Event(e) => json_value(&core_event(e)),
            Object::Node(o) => json_value(o),
        }
    }
}

/// Lists the objects of a kind in a namespace (every namespace when empty) that match the selector,
/// in kubectl's order: by namespace and name, and events by last occurrence.
pub(crate) fn list<'a>(
    api: &'a ApiStore,
    kind: ResourceKind,
    namespace: &str,
    selector: Option<&Selector>,
) -> Vec<Object<'a>> {
    let in_ns = |key: &(String, String)| namespace.is_empty() || key.0 == namespace;
    let mut out: Vec<Object<'a>> = match kind {
        ResourceKind::Pod => api.pods.iter().filter(|(k, _)| in_ns(k)).map(|(_, o)| Object::Pod(o)).collect(),
        ResourceKind::Deployment => {
            api.deployments.iter().filter(|(k, _)| in_ns(k)).map(|(_, o)| Object::Deployment(o)).collect()
        }
        ResourceKind::ReplicaSet => {
            api.replica_sets.iter().filter(|(k, _)| in_ns(k)).map(|(_, o)| Object::ReplicaSet(o)).collect()
        }
        ResourceKind::StatefulSet => {
            api.stateful_sets.iter().filter(|(k, _)| in_ns(k)).map(|(_, o)| Object::StatefulSet(o)).collect()
        }
        ResourceKind::DaemonSet => {
            api.daemon_sets.iter().filter(|(k, _)| in_ns(k)).map(|(_, o)| Object::DaemonSet(o)).collect()
        }
        ResourceKind::Service => {
            api.services.iter().filter(|(k, _)| in_ns(k)).map(|(_, o)| Object::Service(o)).collect()
        }
        ResourceKind::Endpoints => {
            api.endpoints.iter().filter(|(k, _)| in_ns(k)).map(|(_, o)| Object::Endpoints(o)).collect()
        }
        ResourceKind::EndpointSlice => api
            .endpoints
            .iter()
            .filter(|(k, _)| in_ns(k))
            .map(|(_, o)| Object::EndpointSlice(Box::new(endpoint_slice_of(o))))
            .collect(),
        ResourceKind::Event => {
            let mut events: Vec<&api::Event> =
                api.events.iter().filter(|e| namespace.is_empty() || e.namespace == namespace).collect();
            // kubectl sorts events by their last timestamp; the sort is stable, so events seen at the
            // same second keep their creation order.
            events.sort_by_key(|e| e.last / 1000);
            events.into_iter().map(Object::Event).collect()
        }
        ResourceKind::Node => api.nodes.values().map(Object::Node).collect(),
    };
    if let Some(sel) = selector {
        out.retain(|o| sel.matches(o.meta().and_then(|m| m.labels.as_ref())));
    }
    out
}

fn no_resources(kind: ResourceKind, namespace: &str, output: OutputFormat) -> String {
    match output {
        // An empty list is still a list for machine-readable formats.
        OutputFormat::Json | OutputFormat::Yaml => serialize(&[], false, output == OutputFormat::Json),
        _ if namespace.is_empty() || kind == ResourceKind::Node => "No resources found\n".to_string(),
        _ => format!("No resources found in {namespace} namespace.\n"),
    }
}

fn print_table(now: Millis, kind: ResourceKind, objects: &[Object], wide: bool, all_ns: bool) -> String {
    let (mut headers, wide_headers): (Vec<&str>, Vec<&str>) = match kind {
        ResourceKind::Pod => (
            vec!["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
            vec!["IP", "NODE", "NOMINATED NODE", "READINESS GATES"],
        ),
        ResourceKind::Deployment => (
            vec!["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
            vec!["CONTAINERS", "IMAGES", "SELECTOR"],
        ),
        ResourceKind::ReplicaSet => {
            (vec!["NAME", "DESIRED", "CURRENT", "READY", "AGE"], vec!["CONTAINERS", "IMAGES", "SELECTOR"])
        }
        ResourceKind::StatefulSet => (vec!["NAME", "READY", "AGE"], vec!["CONTAINERS", "IMAGES"]),
        ResourceKind::DaemonSet => (
            vec!["NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE"],
            vec!["CONTAINERS", "IMAGES", "SELECTOR"],
        ),
        ResourceKind::Service => {
            (vec!["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"], vec!["SELECTOR"])
        }
        ResourceKind::Endpoints => (vec!["NAME", "ENDPOINTS", "AGE"], vec![]),
        ResourceKind::EndpointSlice => (vec!["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"], vec![]),
        ResourceKind::Event => (vec!["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"], vec![]),
        ResourceKind::Node => (
            vec!["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
            vec!["INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"],
        ),
    };
    if kind == ResourceKind::Event && wide {
        headers = vec![
            "LAST SEEN",
            "TYPE",
            "REASON",
            "OBJECT",
            "SUBOBJECT",
            "SOURCE",
            "MESSAGE",
            "FIRST SEEN",
            "COUNT",
            "NAME",
        ];
    } else if wide {
        headers.extend(wide_headers);
    }
    let namespaced = kind != ResourceKind::Node;
    if all_ns && namespaced {
        headers.insert(0, "NAMESPACE");
    }
    let rows: Vec<Vec<String>> = objects
        .iter()
        .map(|o| {
            let mut cells = row(now, o, wide);
            if all_ns && namespaced {
                cells.insert(0, o.namespace().to_string());
            }
            cells
        })
        .collect();
    table(&headers, &rows)
}

fn row(now: Millis, object: &Object, wide: bool) -> Vec<String> {
    match object {
        Object::Pod(p) => {
            let r = pod_row(p, now);
            let mut cells = vec![r.name, r.ready, r.status, r.restarts_column, r.age];
            if wide {
                cells.extend([r.ip, r.node, r.nominated_node, r.readiness_gates]);
            }
            cells
        }
        Object::Deployment(d) => {
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
        Object::ReplicaSet(rs) => {
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
        Object::StatefulSet(sts) => {
            let spec = sts.spec.as_ref();
            let status = sts.status.clone().unwrap_or_default();
            let mut cells = vec![
                name_of(&sts.metadata),
                format!(
                    "{}/{}",
                    status.ready_replicas.unwrap_or(0),
                    spec.and_then(|s| s.replicas).unwrap_or(1)
                ),
                age(sts.metadata.creation_timestamp.as_ref(), now),
            ];
            if wide {
                let (names, images) = container_cells(spec.and_then(|s| s.template.spec.as_ref()));
                cells.extend([names, images]);
            }
            cells
        }
        Object::DaemonSet(ds) => {
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
        Object::Service(svc) => {
            let spec = svc.spec.clone().unwrap_or_default();
            let type_ = spec.type_.clone().unwrap_or_else(|| "ClusterIP".into());
            let cluster_ip = spec
                .cluster_ips
                .as_ref()
                .and_then(|ips| ips.first().cloned())
                .or_else(|| spec.cluster_ip.clone())
                .filter(|ip| !ip.is_empty())
                .unwrap_or_else(|| "<none>".into());
            let mut cells = vec![
                name_of(&svc.metadata),
                type_.clone(),
                cluster_ip,
                external_ip(svc, &type_),
                service_ports(&spec),
                age(svc.metadata.creation_timestamp.as_ref(), now),
            ];
            if wide {
                cells.push(format_labels(spec.selector.as_ref()));
            }
            cells
        }
        Object::Endpoints(ep) => {
            vec![
                name_of(&ep.metadata),
                format_endpoints(ep, None),
                age(ep.metadata.creation_timestamp.as_ref(), now),
            ]
        }
        Object::EndpointSlice(slice) => {
            let ports = slice.ports.as_deref().unwrap_or_default();
            let ports = if ports.is_empty() {
                "<unset>".to_string()
            } else {
                ports
                    .iter()
                    .map(|p| p.port.map_or("<unset>".to_string(), |n| n.to_string()))
                    .collect::<Vec<_>>()
                    .join(",")
            };
            let addresses: Vec<&String> =
                slice.endpoints.iter().filter_map(|e| e.addresses.first()).collect();
            let endpoints = if addresses.is_empty() {
                "<unset>".to_string()
            } else {
                let shown: Vec<&str> = addresses.iter().take(3).map(|a| a.as_str()).collect();
                let mut text = shown.join(",");
                if addresses.len() > 3 {
                    text.push_str(&format!(" + {} more...", addresses.len() - 3));
                }
                text
            };
            vec![
                name_of(&slice.metadata),
                slice.address_type.clone(),
                ports,
                endpoints,
                age(slice.metadata.creation_timestamp.as_ref(), now),
            ]
        }
        Object::Event(e) => {
            let involved = &e.involved;
            let object = if involved.name.is_empty() {
                involved.kind.to_lowercase()
            } else {
                format!("{}/{}", involved.kind.to_lowercase(), involved.name)
            };
            let last = since_event(e.last, now);
            if wide {
                let source =
                    if e.host.is_empty() { e.source.clone() } else { format!("{}, {}", e.source, e.host) };
                vec![
                    last,
                    e.type_.clone(),
                    e.reason.clone(),
                    object,
                    involved.field_path.clone(),
                    source,
                    e.message.trim().to_string(),
                    since_event(e.first, now),
                    e.count.max(1).to_string(),
                    e.name.clone(),
                ]
            } else {
                vec![last, e.type_.clone(), e.reason.clone(), object, e.message.trim().to_string()]
            }
        }
        Object::Node(node) => {
            let status = node.status.clone().unwrap_or_default();
            let mut state = match status.conditions.iter().flatten().find(|c| c.type_ == "Ready") {
                Some(c) if c.status == "True" => "Ready".to_string(),
                Some(c) if c.status == "False" => "NotReady".to_string(),
                _ => "Unknown".to_string(),
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
    }
}

fn name_of(meta: &ObjectMeta) -> String {
    meta.name.clone().unwrap_or_default()
}

fn container_cells(spec: Option<&k8s_openapi::api::core::v1::PodSpec>) -> (String, String) {
    let containers = spec.map(|s| s.containers.as_slice()).unwrap_or_default();
    let names: Vec<&str> = containers.iter().map(|c| c.name.as_str()).collect();
    let images: Vec<&str> = containers.iter().map(|c| c.image.as_deref().unwrap_or_default()).collect();
    (names.join(","), images.join(","))
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

fn external_ip(svc: &k8s_openapi::api::core::v1::Service, type_: &str) -> String {
    let spec = svc.spec.as_ref();
    let external: Vec<String> = spec.and_then(|s| s.external_ips.clone()).unwrap_or_default();
    match type_ {
        "ExternalName" => spec.and_then(|s| s.external_name.clone()).unwrap_or_default(),
        "LoadBalancer" => {
            let mut ips: Vec<String> = svc
                .status
                .as_ref()
                .and_then(|s| s.load_balancer.as_ref())
                .and_then(|lb| lb.ingress.as_ref())
                .into_iter()
                .flatten()
                .filter_map(|i| i.ip.clone().or_else(|| i.hostname.clone()))
                .collect();
            ips.extend(external);
            if ips.is_empty() {
                "<pending>".to_string()
            } else {
                ips.join(",")
            }
        }
        _ if !external.is_empty() => external.join(","),
        _ => "<none>".to_string(),
    }
}

/// `makePortString`: `80/TCP`, `80:30080/TCP`, joined by commas; `<none>` without ports.
pub fn service_ports(spec: &k8s_openapi::api::core::v1::ServiceSpec) -> String {
    let ports = spec.ports.as_deref().unwrap_or_default();
    if ports.is_empty() {
        return "<none>".to_string();
    }
    ports
        .iter()
        .map(|p| {
            let proto = p.protocol.as_deref().unwrap_or("TCP");
            match p.node_port.filter(|n| *n > 0) {
                Some(np) => format!("{}:{}/{}", p.port, np, proto),
                None => format!("{}/{}", p.port, proto),
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// `formatEndpoints` (`pkg/printers/internalversion/printers.go` formatEndpoints): ready `ip:port` pairs of every port of every subset, at most three then
/// ` + N more...`; `<none>` without subsets. With `port_name`, only ports of that name count
/// (`describe svc` shows each service port's own endpoints).
pub fn format_endpoints(ep: &k8s_openapi::api::core::v1::Endpoints, port_name: Option<&str>) -> String {
    let subsets = ep.subsets.as_deref().unwrap_or_default();
    if subsets.is_empty() {
        return "<none>".to_string();
    }
    const MAX: usize = 3;
    let mut list: Vec<String> = Vec::new();
    let mut more = false;
    let mut count = 0;
    for ss in subsets {
        let addresses = ss.addresses.as_deref().unwrap_or_default();
        let ports = ss.ports.as_deref().unwrap_or_default();
        if ports.is_empty() {
            count += addresses.len();
            for a in addresses {
                if list.len() == MAX {
                    more = true;
                    break;
                }
                list.push(a.ip.clone());
            }
            continue;
        }
        for port in ports {
            if port_name.is_some_and(|n| port.name.as_deref().unwrap_or_default() != n) {
                continue;
            }
            count += addresses.len();
            for a in addresses {
                if list.len() == MAX {
                    more = true;
                    break;
                }
                list.push(join_host_port(&a.ip, port.port));
            }
        }
    }
    let text = list.join(",");
    if more {
        format!("{text} + {} more...", count - MAX)
    } else {
        text
    }
}

fn join_host_port(ip: &str, port: i32) -> String {
    if ip.contains(':') {
        format!("[{ip}]:{port}")
    } else {
        format!("{ip}:{port}")
    }
}

/// The EndpointSlice the EndpointSlice controller keeps beside a Service's Endpoints: the same
/// addresses, with ready ones marked ready. Its name takes a stable five-character suffix from the
/// Service name, as the controller's generated names have one.
fn endpoint_slice_of(
    ep: &k8s_openapi::api::core::v1::Endpoints,
) -> k8s_openapi::api::discovery::v1::EndpointSlice {
    use k8s_openapi::api::discovery::v1::{Endpoint, EndpointConditions, EndpointPort, EndpointSlice};
    let service = ep.metadata.name.clone().unwrap_or_default();
    let mut endpoints = Vec::new();
    let mut ports = Vec::new();
    for ss in ep.subsets.iter().flatten() {
        for (ready, list) in [(true, &ss.addresses), (false, &ss.not_ready_addresses)] {
            for a in list.iter().flatten() {
                endpoints.push(Endpoint {
                    addresses: vec![a.ip.clone()],
                    conditions: Some(EndpointConditions {
                        ready: Some(ready),
                        serving: Some(ready),
                        terminating: Some(false),
                    }),
                    node_name: a.node_name.clone(),
                    target_ref: a.target_ref.clone(),
                    ..Default::default()
                });
            }
        }
        for p in ss.ports.iter().flatten() {
            ports.push(EndpointPort {
                name: Some(p.name.clone().unwrap_or_default()),
                port: Some(p.port),
                protocol: p.protocol.clone(),
                app_protocol: p.app_protocol.clone(),
            });
        }
    }
    let mut labels = BTreeMap::new();
    labels.insert("kubernetes.io/service-name".to_string(), service.clone());
    labels.insert(
        "endpointslice.kubernetes.io/managed-by".to_string(),
        "endpointslice-controller.k8s.io".to_string(),
    );
    EndpointSlice {
        metadata: ObjectMeta {
            name: Some(format!("{service}-{}", name_suffix(&service))),
            namespace: ep.metadata.namespace.clone(),
            creation_timestamp: ep.metadata.creation_timestamp.clone(),
            labels: Some(labels),
            ..Default::default()
        },
        address_type: "IPv4".to_string(),
        endpoints,
        ports: Some(ports),
    }
}

/// Five characters of the apiserver's generateName alphabet derived from a name (FNV-1a).
fn name_suffix(name: &str) -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let mut hash = crate::fnv::fnv32(name.as_bytes());
    (0..5)
        .map(|_| {
            let c = ALPHABET[(hash % ALPHABET.len() as u32) as usize] as char;
            hash /= ALPHABET.len() as u32;
            c
        })
        .collect()
}

/// The core/v1 Event object the API would hold for a recorded event.
pub fn core_event(e: &api::Event) -> k8s_openapi::api::core::v1::Event {
    use k8s_openapi::api::core::v1::{Event, EventSource, ObjectReference};
    let first = api::timestamp(e.first);
    Event {
        metadata: ObjectMeta {
            name: Some(e.name.clone()),
            namespace: Some(e.namespace.clone()),
            creation_timestamp: Some(first.clone()),
            ..Default::default()
        },
        involved_object: ObjectReference {
            kind: Some(e.involved.kind.clone()),
            namespace: Some(e.involved.namespace.clone()).filter(|n| !n.is_empty()),
            name: Some(e.involved.name.clone()),
            uid: Some(e.involved.uid.clone()).filter(|u| !u.is_empty()),
            field_path: Some(e.involved.field_path.clone()).filter(|f| !f.is_empty()),
            api_version: Some(api_version_of(&e.involved.kind).to_string()),
            ..Default::default()
        },
        reason: Some(e.reason.clone()),
        message: Some(e.message.clone()),
        type_: Some(e.type_.clone()),
        count: Some(e.count as i32),
        first_timestamp: Some(first),
        last_timestamp: Some(api::timestamp(e.last)),
        source: Some(EventSource {
            component: Some(e.source.clone()),
            host: Some(e.host.clone()).filter(|h| !h.is_empty()),
        }),
        reporting_component: Some(e.source.clone()),
        reporting_instance: Some(e.host.clone()),
        ..Default::default()
    }
}

fn api_version_of(kind: &str) -> &'static str {
    match kind {
        "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet" => "apps/v1",
        _ => "v1",
    }
}

/// `-o json|yaml`: one object when a single name was asked for, else a `List`. Keys are sorted as
/// kubectl's unstructured printing sorts them; JSON is indented by four spaces and escapes `<`, `>`
/// and `&` as Go's encoder does.
/// An object as a JSON value. It is written as JSON text and read back rather than converted with
/// `serde_json::to_value`: the objects are serialized as text elsewhere too (hashes, the
/// last-applied annotation), and every serializer costs a copy of every object type's
/// serialization code in the WebAssembly download. The value is the same either way.
fn json_value<T: serde::Serialize>(object: &T) -> serde_json::Value {
    serde_json::to_vec(object)
        .ok()
        .and_then(|text| serde_json::from_slice(&text).ok())
        .unwrap_or(serde_json::Value::Null)
}

fn serialize(objects: &[Object], single: bool, json: bool) -> String {
    let value = if single && objects.len() == 1 {
        objects[0].to_value()
    } else {
        let mut list = serde_json::Map::new();
        list.insert("apiVersion".into(), "v1".into());
        list.insert("items".into(), serde_json::Value::Array(objects.iter().map(|o| o.to_value()).collect()));
        list.insert("kind".into(), "List".into());
        let mut meta = serde_json::Map::new();
        meta.insert("resourceVersion".into(), "".into());
        list.insert("metadata".into(), serde_json::Value::Object(meta));
        serde_json::Value::Object(list)
    };
    if json {
        let mut buf = Vec::new();
        let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
        let mut ser = serde_json::Serializer::with_formatter(&mut buf, formatter);
        if value.serialize(&mut ser).is_err() {
            return String::new();
        }
        let text = String::from_utf8(buf).unwrap_or_default();
        let mut escaped = String::with_capacity(text.len() + 1);
        for c in text.chars() {
            match c {
                '<' => escaped.push_str("\\u003c"),
                '>' => escaped.push_str("\\u003e"),
                '&' => escaped.push_str("\\u0026"),
                c => escaped.push(c),
            }
        }
        escaped.push('\n');
        escaped
    } else {
        crate::kubectl::yaml::to_yaml(&value)
    }
}

fn container_rows(
    specs: &[k8s_openapi::api::core::v1::Container],
    statuses: &[ContainerStatus],
) -> Vec<ContainerRow> {
    specs
        .iter()
        .map(|c| {
            let Some(cs) = statuses.iter().find(|s| s.name == c.name) else {
                return ContainerRow { name: c.name.clone(), state: "waiting".into(), ..Default::default() };
            };
            let (state, reason) = state_of(cs.state.as_ref());
            ContainerRow {
                name: c.name.clone(),
                state,
                reason,
                ready: cs.ready,
                started: cs.started.unwrap_or(false),
                restart_count: cs.restart_count,
            }
        })
        .collect()
}

fn state_of(state: Option<&ContainerState>) -> (String, String) {
    match state {
        Some(ContainerState { running: Some(_), .. }) => ("running".into(), String::new()),
        Some(ContainerState { terminated: Some(t), .. }) => {
            ("terminated".into(), t.reason.clone().unwrap_or_default())
        }
        Some(ContainerState { waiting: Some(w), .. }) => {
            ("waiting".into(), w.reason.clone().unwrap_or_default())
        }
        _ => ("waiting".into(), String::new()),
    }
}
