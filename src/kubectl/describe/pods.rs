//! `kubectl describe pod` (`DescribePod` in `staging/src/k8s.io/kubectl/pkg/describe/describe.go`),
//! and the container, volume and probe sections the workload describers share.

use std::fmt::Write as _;

use k8s_openapi::api::core::v1::{Container, ContainerState, ContainerStatus, Pod, PodSpec, Probe};

use super::{
    admitted_tolerations, annotations_multiline, controlled_by, events_for, events_table, int_or_string,
    labels_multiline, time_text, tolerations_multiline, Out,
};
use crate::api::{self, ApiStore, ObjectKey};
use crate::duration::Millis;
use crate::kubectl::print;

/// The pod at `key`, described.
pub(crate) fn describe(api: &ApiStore, now: Millis, key: &ObjectKey) -> Option<String> {
    api.pods.get(key).map(|pod| describe_pod(api, now, pod))
}

/// The handler and parameters of a probe as `describe` prints them (`DescribeProbe`):
/// `exec [cat /tmp/healthy] delay=5s timeout=1s period=5s #success=1 #failure=3`.
pub fn probe_line(probe: &Probe) -> String {
    let attrs = format!(
        "delay={}s timeout={}s period={}s #success={} #failure={}",
        probe.initial_delay_seconds.unwrap_or(0),
        probe.timeout_seconds.unwrap_or(1),
        probe.period_seconds.unwrap_or(10),
        probe.success_threshold.unwrap_or(1),
        probe.failure_threshold.unwrap_or(3)
    );
    if let Some(exec) = &probe.exec {
        // Go's %v of a string slice: the items separated by spaces inside brackets.
        return format!("exec [{}] {attrs}", exec.command.as_deref().unwrap_or_default().join(" "));
    }
    if let Some(http) = &probe.http_get {
        let scheme = http.scheme.as_deref().unwrap_or("HTTP").to_lowercase();
        let host = http.host.as_deref().unwrap_or_default();
        let port = int_or_string(&http.port);
        let host_port = if port.is_empty() {
            host.to_string()
        } else if host.contains(':') {
            format!("[{host}]:{port}")
        } else {
            format!("{host}:{port}")
        };
        let path = http.path.as_deref().unwrap_or_default();
        let path =
            if !path.is_empty() && !path.starts_with('/') { format!("/{path}") } else { path.to_string() };
        return format!("http-get {scheme}://{host_port}{} {attrs}", escape_path(&path));
    }
    if let Some(tcp) = &probe.tcp_socket {
        return format!(
            "tcp-socket {}:{} {attrs}",
            tcp.host.as_deref().unwrap_or_default(),
            int_or_string(&tcp.port)
        );
    }
    if let Some(grpc) = &probe.grpc {
        return format!("grpc <pod>:{} {} {attrs}", grpc.port, grpc.service.as_deref().unwrap_or_default());
    }
    format!("unknown {attrs}")
}

/// Escapes a URL path as Go's `url.URL.String` does for the characters that occur in probe paths.
fn escape_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        let c = b as char;
        if c.is_ascii_alphanumeric() || "-._~/!$&'()*+,;=:@".contains(c) {
            out.push(c);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn describe_pod(api: &ApiStore, now: Millis, pod: &Pod) -> String {
    let meta = &pod.metadata;
    let spec = pod.spec.as_ref();
    let status = pod.status.clone().unwrap_or_default();
    let mut out = Out::default();
    out.line(0, &format!("Name:\t{}", meta.name.as_deref().unwrap_or_default()));
    out.line(0, &format!("Namespace:\t{}", meta.namespace.as_deref().unwrap_or("default")));
    // The Priority and ServiceAccount admission plugins give every pod these values.
    out.line(0, &format!("Priority:\t{}", spec.and_then(|s| s.priority).unwrap_or(0)));
    if let Some(pc) = spec.and_then(|s| s.priority_class_name.as_deref()).filter(|p| !p.is_empty()) {
        out.line(0, &format!("Priority Class Name:\t{pc}"));
    }
    let sa =
        spec.and_then(|s| s.service_account_name.as_deref()).filter(|s| !s.is_empty()).unwrap_or("default");
    out.line(0, &format!("Service Account:\t{sa}"));
    match spec.and_then(|s| s.node_name.as_deref()).filter(|n| !n.is_empty()) {
        Some(node) => {
            out.line(0, &format!("Node:\t{node}/{}", status.host_ip.as_deref().unwrap_or_default()))
        }
        None => out.line(0, "Node:\t<none>"),
    }
    if let Some(start) = &status.start_time {
        out.line(0, &format!("Start Time:\t{}", api::rfc1123z(start)));
    }
    labels_multiline(&mut out, "Labels", meta.labels.as_ref());
    annotations_multiline(&mut out, "Annotations", meta.annotations.as_ref());
    let phase = status.phase.clone().unwrap_or_else(|| "Pending".to_string());
    match &meta.deletion_timestamp {
        Some(deadline) if phase != "Failed" && phase != "Succeeded" => {
            out.line(0, &format!("Status:\tTerminating (lasts {})", print::age(Some(deadline), now)));
            out.line(
                0,
                &format!("Termination Grace Period:\t{}s", meta.deletion_grace_period_seconds.unwrap_or(0)),
            );
        }
        _ => out.line(0, &format!("Status:\t{phase}")),
    }
    if let Some(r) = status.reason.as_deref().filter(|r| !r.is_empty()) {
        out.line(0, &format!("Reason:\t{r}"));
    }
    if let Some(m) = status.message.as_deref().filter(|m| !m.is_empty()) {
        out.line(0, &format!("Message:\t{m}"));
    }
    out.line(0, &format!("IP:\t{}", status.pod_ip.as_deref().unwrap_or_default()));
    let ips = status.pod_ips.as_deref().unwrap_or_default();
    if ips.is_empty() {
        out.line(0, "IPs:\t<none>");
    } else {
        out.line(0, "IPs:");
        for ip in ips {
            out.line(0, &format!("  IP:\t{}", ip.ip));
        }
    }
    if let Some(owner) = controlled_by(meta) {
        out.line(0, &format!("Controlled By:\t{owner}"));
    }
    if let Some(n) = status.nominated_node_name.as_deref().filter(|n| !n.is_empty()) {
        out.line(0, &format!("NominatedNodeName:\t{n}"));
    }
    let init = spec.and_then(|s| s.init_containers.as_deref()).unwrap_or_default();
    if !init.is_empty() {
        containers(&mut out, "Init Containers", init, status.init_container_statuses.as_deref(), "");
    }
    containers(
        &mut out,
        "Containers",
        spec.map(|s| s.containers.as_slice()).unwrap_or_default(),
        status.container_statuses.as_deref(),
        "",
    );
    let conditions = status.conditions.as_deref().unwrap_or_default();
    let gates = spec.and_then(|s| s.readiness_gates.as_deref()).unwrap_or_default();
    if !gates.is_empty() {
        out.raw("Readiness Gates:\n  Type\tStatus\n");
        for g in gates {
            let status = conditions
                .iter()
                .find(|c| c.type_ == g.condition_type)
                .map_or("<none>", |c| c.status.as_str());
            out.line(1, &format!("{} \t{} ", g.condition_type, status));
        }
    }
    if !conditions.is_empty() {
        out.raw("Conditions:\n  Type\tStatus\n");
        for c in conditions {
            out.line(1, &format!("{} \t{} ", c.type_, c.status));
        }
    }
    volumes(&mut out, spec.and_then(|s| s.volumes.as_deref()).unwrap_or_default(), "");
    let qos = status.qos_class.clone().unwrap_or_else(|| qos_class(spec));
    out.line(0, &format!("QoS Class:\t{qos}"));
    labels_multiline(&mut out, "Node-Selectors", spec.and_then(|s| s.node_selector.as_ref()));
    tolerations_multiline(&mut out, "Tolerations", &admitted_tolerations(spec));
    events_table(&mut out, now, &events_for(api, now, "Pod", meta));
    out.text
}

/// `describeContainers`: the label line, then one block per container. Template containers
/// (`space` = two spaces) have no statuses.
pub(super) fn containers(
    out: &mut Out,
    label: &str,
    list: &[Container],
    statuses: Option<&[ContainerStatus]>,
    space: &str,
) {
    let none = if list.is_empty() { " <none>" } else { "" };
    out.line(0, &format!("{space}{label}:{none}"));
    let name_indent = if space.is_empty() { "" } else { " " };
    for c in list {
        let status = statuses.and_then(|s| s.iter().find(|cs| cs.name == c.name));
        out.line(1, &format!("{name_indent}{}:", c.name));
        if let Some(cs) = status {
            out.line(2, &format!("Container ID:\t{}", cs.container_id.as_deref().unwrap_or_default()));
        }
        out.line(2, &format!("Image:\t{}", c.image.as_deref().unwrap_or_default()));
        if let Some(cs) = status {
            out.line(2, &format!("Image ID:\t{}", cs.image_id));
        }
        let ports = c.ports.as_deref().unwrap_or_default();
        let proto = |p: &k8s_openapi::api::core::v1::ContainerPort| {
            p.protocol.clone().unwrap_or_else(|| "TCP".into())
        };
        let port_text: Vec<String> =
            ports.iter().map(|p| format!("{}/{}", p.container_port, proto(p))).collect();
        let host_text: Vec<String> =
            ports.iter().map(|p| format!("{}/{}", p.host_port.unwrap_or(0), proto(p))).collect();
        match port_text.len() {
            0 => out.line(2, "Port:\t<none>"),
            1 => out.line(2, &format!("Port:\t{}", port_text[0])),
            _ => out.line(2, &format!("Ports:\t{}", port_text.join(", "))),
        }
        match host_text.len() {
            0 => out.line(2, "Host Port:\t<none>"),
            1 => out.line(2, &format!("Host Port:\t{}", host_text[0])),
            _ => out.line(2, &format!("Host Ports:\t{}", host_text.join(", "))),
        }
        for (title, items) in [("Command", &c.command), ("Args", &c.args)] {
            let items = items.as_deref().unwrap_or_default();
            if !items.is_empty() {
                out.line(2, &format!("{title}:"));
                for item in items {
                    for part in item.split('\n') {
                        out.line(3, part);
                    }
                }
            }
        }
        if let Some(cs) = status {
            container_state(out, "State", cs.state.as_ref());
            if let Some(last) = cs.last_state.as_ref().filter(|s| s.terminated.is_some()) {
                container_state(out, "Last State", Some(last));
            }
            out.line(2, &format!("Ready:\t{}", if cs.ready { "True" } else { "False" }));
            out.line(2, &format!("Restart Count:\t{}", cs.restart_count));
        }
        if let Some(res) = &c.resources {
            for (title, list) in [("Limits", &res.limits), ("Requests", &res.requests)] {
                let list = list.as_ref().filter(|l| !l.is_empty());
                if let Some(list) = list {
                    out.line(2, &format!("{title}:"));
                    for (name, q) in list {
                        out.line(3, &format!("{name}:\t{}", q.0));
                    }
                }
            }
        }
        for (title, probe) in [
            ("Liveness", &c.liveness_probe),
            ("Readiness", &c.readiness_probe),
            ("Startup", &c.startup_probe),
        ] {
            if let Some(p) = probe {
                out.line(2, &format!("{title}:\t{}", probe_line(p)));
            }
        }
        super::config::env_from(out, c);
        let env = c.env.as_deref().unwrap_or_default();
        if env.is_empty() {
            out.line(2, "Environment:\t<none>");
        } else {
            out.line(2, "Environment:");
            for e in env {
                match &e.value_from {
                    None => {
                        for (i, part) in e.value.as_deref().unwrap_or_default().split('\n').enumerate() {
                            if i == 0 {
                                out.line(3, &format!("{}:\t{part}", e.name));
                            } else {
                                out.line(3, &format!("\t{part}"));
                            }
                        }
                    }
                    Some(from) => {
                        let text = if let Some(f) = &from.field_ref {
                            format!("{}:\t (v1:{})", e.name, f.field_path)
                        } else if let Some(s) = &from.secret_key_ref {
                            format!(
                                "{}:\t<set to the key '{}' in secret '{}'>\tOptional: {}",
                                e.name,
                                s.key,
                                s.name,
                                s.optional == Some(true)
                            )
                        } else if let Some(m) = &from.config_map_key_ref {
                            format!(
                                "{}:\t<set to the key '{}' of config map '{}'>\tOptional: {}",
                                e.name,
                                m.key,
                                m.name,
                                m.optional == Some(true)
                            )
                        } else if let Some(r) = &from.resource_field_ref {
                            format!("{}:\t (resource:{})", e.name, r.resource)
                        } else {
                            format!("{}:\t", e.name)
                        };
                        out.line(3, &text);
                    }
                }
            }
        }
        let mut mounts = c.volume_mounts.clone().unwrap_or_default();
        if mounts.is_empty() {
            out.line(2, "Mounts:\t<none>");
        } else {
            out.line(2, "Mounts:");
            mounts.sort_by(|a, b| a.mount_path.cmp(&b.mount_path));
            for m in mounts {
                let mut flags =
                    vec![if m.read_only == Some(true) { "ro".to_string() } else { "rw".to_string() }];
                if let Some(sub) = m.sub_path.as_deref().filter(|s| !s.is_empty()) {
                    flags.push(format!("path={sub:?}"));
                }
                out.line(3, &format!("{} from {} ({})", m.mount_path, m.name, flags.join(",")));
            }
        }
    }
}

/// `describeStatus`.
fn container_state(out: &mut Out, title: &str, state: Option<&ContainerState>) {
    let state = state.cloned().unwrap_or_default();
    if let Some(r) = &state.running {
        out.line(2, &format!("{title}:\tRunning"));
        out.line(3, &format!("Started:\t{}", time_text(r.started_at.as_ref())));
    } else if let Some(w) = &state.waiting {
        out.line(2, &format!("{title}:\tWaiting"));
        if let Some(reason) = w.reason.as_deref().filter(|r| !r.is_empty()) {
            out.line(3, &format!("Reason:\t{reason}"));
        }
    } else if let Some(t) = &state.terminated {
        out.line(2, &format!("{title}:\tTerminated"));
        if let Some(reason) = t.reason.as_deref().filter(|r| !r.is_empty()) {
            out.line(3, &format!("Reason:\t{reason}"));
        }
        if let Some(message) = t.message.as_deref().filter(|m| !m.is_empty()) {
            out.line(3, &format!("Message:\t{message}"));
        }
        out.line(3, &format!("Exit Code:\t{}", t.exit_code));
        if let Some(sig) = t.signal.filter(|s| *s > 0) {
            out.line(3, &format!("Signal:\t{sig}"));
        }
        out.line(3, &format!("Started:\t{}", time_text(t.started_at.as_ref())));
        out.line(3, &format!("Finished:\t{}", time_text(t.finished_at.as_ref())));
    } else {
        out.line(2, &format!("{title}:\tWaiting"));
    }
}

/// `describeVolumes` for the volume sources scenarios use.
pub(super) fn volumes(out: &mut Out, list: &[k8s_openapi::api::core::v1::Volume], space: &str) {
    if list.is_empty() {
        out.line(0, &format!("{space}Volumes:\t<none>"));
        return;
    }
    out.line(0, &format!("{space}Volumes:"));
    let name_indent = if space.is_empty() { "" } else { " " };
    for v in list {
        out.line(1, &format!("{name_indent}{}:", v.name));
        if let Some(hp) = &v.host_path {
            out.line(2, "Type:\tHostPath (bare host directory volume)");
            out.line(2, &format!("Path:\t{}", hp.path));
            out.line(2, &format!("HostPathType:\t{}", hp.type_.as_deref().unwrap_or_default()));
        } else if let Some(ed) = &v.empty_dir {
            out.line(2, "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)");
            out.line(2, &format!("Medium:\t{}", ed.medium.as_deref().unwrap_or_default()));
            let limit = ed.size_limit.as_ref().map_or("<unset>".to_string(), |q| q.0.clone());
            out.line(2, &format!("SizeLimit:\t{limit}"));
        } else if let Some(cm) = &v.config_map {
            out.line(2, "Type:\tConfigMap (a volume populated by a ConfigMap)");
            out.line(2, &format!("Name:\t{}", cm.name));
            out.line(2, &format!("Optional:\t{}", cm.optional.unwrap_or(false)));
        } else if let Some(s) = &v.secret {
            out.line(2, "Type:\tSecret (a volume populated by a Secret)");
            out.line(2, &format!("SecretName:\t{}", s.secret_name.as_deref().unwrap_or_default()));
            out.line(2, &format!("Optional:\t{}", s.optional.unwrap_or(false)));
        } else if let Some(pvc) = &v.persistent_volume_claim {
            out.line(
                2,
                "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)",
            );
            out.line(2, &format!("ClaimName:\t{}", pvc.claim_name));
            out.line(2, &format!("ReadOnly:\t{}", pvc.read_only.unwrap_or(false)));
        } else if v.projected.is_some() {
            out.line(2, "Type:\tProjected (a volume that contains injected data from multiple sources)");
        } else {
            out.line(2, "Type:\t<unknown>");
        }
    }
}

/// The QoS class the API server computes when the status has none: BestEffort without any
/// requests or limits, Guaranteed when every container limits CPU and memory and requests equal
/// limits, Burstable otherwise.
fn qos_class(spec: Option<&PodSpec>) -> String {
    crate::engine::qos_class(
        spec.into_iter().flat_map(|s| s.containers.iter().chain(s.init_containers.iter().flatten())),
    )
    .to_string()
}
