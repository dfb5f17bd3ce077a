//! Pods in `kubectl get` (`printPod` in `pkg/printers/internalversion/printers.go`), and the pod
//! row the UI and the JSON timeline show.

use k8s_openapi::api::core::v1::{ContainerState, ContainerStatus, Pod};
use serde::Serialize;

use super::object::{listed, Object};
use super::{age, since, Printer, Wide};
use crate::api;
use crate::duration::Millis;

listed!(Pod);

pub(crate) const PRINTER: Printer = Printer {
    columns: &["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
    wide: Wide::Append(&["IP", "NODE", "NOMINATED NODE", "READINESS GATES"]),
    list: |api, namespace| super::stored(&api.pods, namespace),
    row,
    warning: None,
};

/// One row of `kubectl get pods -o wide`, as the UI and the CLI's JSON timeline use it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
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
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub init_containers: Vec<ContainerRow>,
}

/// One container's state as the API shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
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

/// `printPod`.
fn row(now: Millis, object: &Object, wide: bool) -> Vec<String> {
    let Some(p) = object.get::<Pod>() else { return Vec::new() };
    let r = pod_row(p, now);
    let mut cells = vec![r.name, r.ready, r.status, r.restarts_column, r.age];
    if wide {
        cells.extend([r.ip, r.node, r.nominated_node, r.readiness_gates]);
    }
    cells
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
