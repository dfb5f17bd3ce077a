//! `kubectl describe` (`staging/src/k8s.io/kubectl/pkg/describe/describe.go`).
//!
//! Each describer writes the same tab-separated lines as kubectl's, with the same indentation
//! levels, and the result goes through the same tabwriter settings, so columns line up exactly as
//! on a real cluster, including the places where kubectl's output is ragged or has trailing spaces.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use k8s_openapi::api::core::v1::{
    Container, ContainerState, ContainerStatus, Pod, PodSpec, PodTemplateSpec, Probe, Toleration,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::api::{self, ApiStore};
use crate::duration::Millis;
use crate::kubectl::command::ResourceKind;
use crate::kubectl::print::{self, format_label_selector, format_labels, kind_plural_group};
use crate::kubectl::table::{align, DESCRIBE};
use crate::selector::Selector;

/// `kubectl describe KIND NAME` in a namespace.
pub fn describe(
    api: &ApiStore,
    now: Millis,
    kind: ResourceKind,
    name: &str,
    namespace: &str,
) -> Result<String, String> {
    let key = (namespace.to_string(), name.to_string());
    let not_found =
        || format!("Error from server (NotFound): {} {:?} not found", kind_plural_group(kind), name);
    let text = match kind {
        ResourceKind::Pod => describe_pod(api, now, api.pods.get(&key).ok_or_else(not_found)?),
        ResourceKind::Deployment => {
            describe_deployment(api, now, api.deployments.get(&key).ok_or_else(not_found)?)
        }
        ResourceKind::ReplicaSet => {
            describe_replica_set(api, now, api.replica_sets.get(&key).ok_or_else(not_found)?)
        }
        ResourceKind::StatefulSet => {
            describe_stateful_set(api, now, api.stateful_sets.get(&key).ok_or_else(not_found)?)
        }
        ResourceKind::DaemonSet => {
            describe_daemon_set(api, now, api.daemon_sets.get(&key).ok_or_else(not_found)?)
        }
        ResourceKind::Service => describe_service(api, now, api.services.get(&key).ok_or_else(not_found)?),
        ResourceKind::Endpoints => {
            describe_endpoints(api, now, api.endpoints.get(&key).ok_or_else(not_found)?)
        }
        ResourceKind::EndpointSlice | ResourceKind::Event | ResourceKind::Node => {
            return Err(format!(
                "error: describing {} is not available in the playground; use \"kubectl get {} -o yaml\"",
                kind_plural_group(kind),
                kind_plural_group(kind)
            ))
        }
    };
    Ok(align(&text, DESCRIBE))
}

/// `kubectl describe KIND [NAME...] [-l SELECTOR]`: the named objects, or every object of the kind
/// matching the selector, separated by blank lines. An empty `namespace` means every namespace.
/// Missing names are reported after the descriptions that were found, as kubectl does.
pub fn describe_many(
    api: &ApiStore,
    now: Millis,
    kind: ResourceKind,
    names: &[String],
    selector: Option<&Selector>,
    namespace: &str,
) -> Result<String, String> {
    let targets: Vec<(String, String)> = if names.is_empty() {
        print::list(api, kind, namespace, selector)
            .iter()
            .map(|o| (o.namespace().to_string(), o.name().to_string()))
            .collect()
    } else {
        let ns = if namespace.is_empty() { "default" } else { namespace };
        names.iter().map(|n| (ns.to_string(), n.clone())).collect()
    };
    if targets.is_empty() {
        return Ok(if namespace.is_empty() {
            "No resources found\n".to_string()
        } else {
            format!("No resources found in {namespace} namespace.\n")
        });
    }
    let mut out = String::new();
    let mut errors = String::new();
    for (ns, name) in &targets {
        match describe(api, now, kind, name, ns) {
            Ok(text) => {
                if !out.is_empty() {
                    out.push_str("\n\n");
                }
                out.push_str(&text);
            }
            Err(e) => {
                errors.push_str(&e);
                errors.push('\n');
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        out.push_str(&errors);
        Err(out)
    }
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

fn int_or_string(v: &IntOrString) -> String {
    match v {
        IntOrString::Int(i) => i.to_string(),
        IntOrString::String(s) => s.clone(),
    }
}

/// Lines written at kubectl's indentation levels (`PrefixWriter`): level n is 2n spaces.
#[derive(Default)]
struct Out {
    text: String,
}

impl Out {
    fn line(&mut self, level: usize, text: &str) {
        for _ in 0..level {
            self.text.push_str("  ");
        }
        self.text.push_str(text);
        self.text.push('\n');
    }

    fn raw(&mut self, text: &str) {
        self.text.push_str(text);
    }
}

fn time_text(time: Option<&Time>) -> String {
    time.map(api::rfc1123z).unwrap_or_else(|| "Mon, 01 Jan 0001 00:00:00 +0000".to_string())
}

/// `printLabelsMultiline`: the first label after the title, the others on their own lines aligned
/// with it; `<none>` without labels.
fn labels_multiline(out: &mut Out, title: &str, labels: Option<&BTreeMap<String, String>>) {
    out.raw(&format!("{title}:\t"));
    match labels {
        Some(l) if !l.is_empty() => {
            for (i, (k, v)) in l.iter().enumerate() {
                if i > 0 {
                    out.raw("\t");
                }
                out.raw(&format!("{k}={v}\n"));
            }
        }
        _ => out.raw("<none>\n"),
    }
}

/// `printAnnotationsMultiline`: like labels with `key: value`, skipping the last-applied
/// configuration and folding long or multi-line values.
fn annotations_multiline(out: &mut Out, title: &str, annotations: Option<&BTreeMap<String, String>>) {
    const MAX: usize = 140;
    out.raw(&format!("{title}:\t"));
    let entries: Vec<(&String, &String)> = annotations
        .into_iter()
        .flatten()
        .filter(|(k, _)| k.as_str() != "kubectl.kubernetes.io/last-applied-configuration")
        .collect();
    if entries.is_empty() {
        out.raw("<none>\n");
        return;
    }
    for (i, (k, v)) in entries.into_iter().enumerate() {
        if i > 0 {
            out.raw("\t");
        }
        let value = v.strip_suffix('\n').unwrap_or(v);
        if value.len() + k.len() + 2 > MAX || value.contains('\n') {
            out.raw(&format!("{k}:\n"));
            for s in value.split('\n') {
                let shown: String = if s.len() > MAX - 2 {
                    let cut: String = s.chars().take(MAX - 2).collect();
                    format!("{cut}...")
                } else {
                    s.to_string()
                };
                out.raw(&format!("\t  {shown}\n"));
            }
        } else {
            out.raw(&format!("{k}: {value}\n"));
        }
    }
}

/// `printPodTolerationsMultiline`.
fn tolerations_multiline(out: &mut Out, title: &str, tolerations: &[Toleration]) {
    out.raw(&format!("{title}:\t"));
    if tolerations.is_empty() {
        out.raw("<none>\n");
        return;
    }
    let mut sorted: Vec<&Toleration> = tolerations.iter().collect();
    sorted.sort_by(|a, b| a.key.cmp(&b.key));
    for (i, t) in sorted.into_iter().enumerate() {
        if i > 0 {
            out.raw("\t");
        }
        let key = t.key.as_deref().unwrap_or_default();
        let value = t.value.as_deref().unwrap_or_default();
        let effect = t.effect.as_deref().unwrap_or_default();
        let mut text = key.to_string();
        if !value.is_empty() {
            text.push_str(&format!("={value}"));
        }
        if !effect.is_empty() {
            text.push_str(&format!(":{effect}"));
        }
        if t.operator.as_deref() == Some("Exists") && value.is_empty() {
            text.push_str(if key.is_empty() && effect.is_empty() { "op=Exists" } else { " op=Exists" });
        }
        if let Some(s) = t.toleration_seconds {
            text.push_str(&format!(" for {s}s"));
        }
        out.raw(&format!("{text}\n"));
    }
}

/// The tolerations the API server's DefaultTolerationSeconds admission adds to every pod that
/// does not already tolerate the two node-health taints.
fn admitted_tolerations(spec: Option<&PodSpec>) -> Vec<Toleration> {
    let mut tolerations = spec.and_then(|s| s.tolerations.clone()).unwrap_or_default();
    for key in ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"] {
        let tolerated = tolerations.iter().any(|t| {
            (t.key.as_deref() == Some(key) || (t.key.is_none() && t.operator.as_deref() == Some("Exists")))
                && t.effect.as_deref().is_none_or(|e| e.is_empty() || e == "NoExecute")
        });
        if !tolerated {
            tolerations.push(Toleration {
                key: Some(key.to_string()),
                operator: Some("Exists".to_string()),
                effect: Some("NoExecute".to_string()),
                toleration_seconds: Some(300),
                value: None,
            });
        }
    }
    tolerations
}

fn controlled_by(meta: &ObjectMeta) -> Option<String> {
    meta.owner_references
        .iter()
        .flatten()
        .find(|r| r.controller == Some(true))
        .map(|r| format!("{}/{}", r.kind, r.name))
}

/// Events about one object, oldest last occurrence first, as `describe` lists them. Events older
/// than the API server's one-hour TTL are gone.
fn events_for<'a>(api: &'a ApiStore, now: Millis, kind: &str, meta: &ObjectMeta) -> Vec<&'a api::Event> {
    let name = meta.name.as_deref().unwrap_or_default();
    let namespace = meta.namespace.as_deref().unwrap_or("default");
    let uid = meta.uid.as_deref().unwrap_or_default();
    let mut events: Vec<&api::Event> = api
        .events
        .iter()
        .filter(|e| {
            e.involved.kind == kind
                && e.involved.name == name
                && e.involved.namespace == namespace
                && (uid.is_empty() || e.involved.uid.is_empty() || e.involved.uid == uid)
                && now.saturating_sub(e.last) <= 3_600_000
        })
        .collect();
    events.sort_by_key(|e| e.last / 1000);
    events
}

/// `DescribeEvents`.
fn events_table(out: &mut Out, now: Millis, events: &[&api::Event]) {
    if events.is_empty() {
        out.line(0, "Events:\t<none>");
        return;
    }
    out.line(0, "Events:");
    out.line(1, "Type\tReason\tAge\tFrom\tMessage");
    out.line(1, "----\t------\t----\t----\t-------");
    for e in events {
        let first = print::since_event(e.first, now);
        let age = if e.count > 1 {
            format!("{} (x{} over {first})", print::since_event(e.last, now), e.count)
        } else {
            first
        };
        out.line(1, &format!("{}\t{}\t{}\t{}\t{}", e.type_, e.reason, age, e.source, e.message.trim()));
    }
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
fn containers(
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
                            format!("{}:\t<set to the key '{}' in secret '{}'>", e.name, s.key, s.name)
                        } else if let Some(m) = &from.config_map_key_ref {
                            format!("{}:\t<set to the key '{}' of config map '{}'>", e.name, m.key, m.name)
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
fn volumes(out: &mut Out, list: &[k8s_openapi::api::core::v1::Volume], space: &str) {
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

fn describe_service(api: &ApiStore, now: Millis, svc: &k8s_openapi::api::core::v1::Service) -> String {
    let meta = &svc.metadata;
    let spec = svc.spec.clone().unwrap_or_default();
    let type_ = spec.type_.clone().unwrap_or_else(|| "ClusterIP".to_string());
    let mut out = Out::default();
    out.line(0, &format!("Name:\t{}", meta.name.as_deref().unwrap_or_default()));
    out.line(0, &format!("Namespace:\t{}", meta.namespace.as_deref().unwrap_or("default")));
    labels_multiline(&mut out, "Labels", meta.labels.as_ref());
    annotations_multiline(&mut out, "Annotations", meta.annotations.as_ref());
    out.line(0, &format!("Selector:\t{}", format_labels(spec.selector.as_ref())));
    out.line(0, &format!("Type:\t{type_}"));
    // The API server fills in the IP family fields of every Service except ExternalName ones.
    let external_name = type_ == "ExternalName";
    let policy =
        spec.ip_family_policy.clone().or_else(|| (!external_name).then(|| "SingleStack".to_string()));
    if let Some(policy) = policy {
        out.line(0, &format!("IP Family Policy:\t{policy}"));
    }
    let families = spec
        .ip_families
        .clone()
        .filter(|f| !f.is_empty())
        .or_else(|| (!external_name).then(|| vec!["IPv4".to_string()]));
    match families {
        Some(f) => out.line(0, &format!("IP Families:\t{}", f.join(","))),
        None => out.line(0, "IP Families:\t<none>"),
    }
    let cluster_ip = spec.cluster_ip.clone().unwrap_or_default();
    out.line(0, &format!("IP:\t{cluster_ip}"));
    let ips = spec
        .cluster_ips
        .clone()
        .filter(|i| !i.is_empty())
        .or_else(|| (!cluster_ip.is_empty()).then(|| vec![cluster_ip.clone()]));
    match ips {
        Some(ips) => out.line(0, &format!("IPs:\t{}", ips.join(","))),
        None => out.line(0, "IPs:\t<none>"),
    }
    if let Some(ext) = spec.external_ips.as_ref().filter(|e| !e.is_empty()) {
        out.line(0, &format!("External IPs:\t{}", ext.join(",")));
    }
    if let Some(lb) = spec.load_balancer_ip.as_deref().filter(|l| !l.is_empty()) {
        out.line(0, &format!("IP:\t{lb}"));
    }
    if let Some(name) = spec.external_name.as_deref().filter(|n| !n.is_empty()) {
        out.line(0, &format!("External Name:\t{name}"));
    }
    let key =
        (meta.namespace.clone().unwrap_or_else(|| "default".into()), meta.name.clone().unwrap_or_default());
    let endpoints = api.endpoints.get(&key);
    for port in spec.ports.iter().flatten() {
        let name = port.name.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| "<unset>".to_string());
        let proto = port.protocol.clone().unwrap_or_else(|| "TCP".to_string());
        out.line(0, &format!("Port:\t{name}\t{}/{proto}", port.port));
        let target = port.target_port.as_ref().map_or(port.port.to_string(), int_or_string);
        out.line(0, &format!("TargetPort:\t{target}/{proto}"));
        if let Some(np) = port.node_port.filter(|n| *n != 0) {
            out.line(0, &format!("NodePort:\t{name}\t{np}/{proto}"));
        }
        // kubectl reads the EndpointSlices, which exist (possibly empty) for every Service with a
        // selector and list only ready endpoints here.
        let text = match endpoints {
            Some(ep) if ep.subsets.as_ref().is_some_and(|s| !s.is_empty()) => {
                print::format_endpoints(ep, Some(port.name.as_deref().unwrap_or_default()))
            }
            Some(_) => String::new(),
            None => "<none>".to_string(),
        };
        out.line(0, &format!("Endpoints:\t{text}"));
    }
    out.line(0, &format!("Session Affinity:\t{}", spec.session_affinity.as_deref().unwrap_or("None")));
    let node_ports = type_ == "NodePort" || type_ == "LoadBalancer";
    if let Some(p) =
        spec.external_traffic_policy.clone().or_else(|| node_ports.then(|| "Cluster".to_string()))
    {
        out.line(0, &format!("External Traffic Policy:\t{p}"));
    }
    if let Some(p) =
        spec.internal_traffic_policy.clone().or_else(|| (!external_name).then(|| "Cluster".to_string()))
    {
        out.line(0, &format!("Internal Traffic Policy:\t{p}"));
    }
    events_table(&mut out, now, &events_for(api, now, "Service", meta));
    out.text
}

fn describe_endpoints(api: &ApiStore, now: Millis, ep: &k8s_openapi::api::core::v1::Endpoints) -> String {
    let meta = &ep.metadata;
    let mut out = Out::default();
    out.line(0, &format!("Name:\t{}", meta.name.as_deref().unwrap_or_default()));
    out.line(0, &format!("Namespace:\t{}", meta.namespace.as_deref().unwrap_or("default")));
    labels_multiline(&mut out, "Labels", meta.labels.as_ref());
    annotations_multiline(&mut out, "Annotations", meta.annotations.as_ref());
    out.line(0, "Subsets:");
    for ss in ep.subsets.iter().flatten() {
        let join = |list: &Option<Vec<k8s_openapi::api::core::v1::EndpointAddress>>| {
            let ips: Vec<&str> = list.iter().flatten().map(|a| a.ip.as_str()).collect();
            if ips.is_empty() {
                "<none>".to_string()
            } else {
                ips.join(",")
            }
        };
        out.line(1, &format!("Addresses:\t{}", join(&ss.addresses)));
        out.line(1, &format!("NotReadyAddresses:\t{}", join(&ss.not_ready_addresses)));
        let ports = ss.ports.as_deref().unwrap_or_default();
        if !ports.is_empty() {
            out.line(1, "Ports:");
            out.line(2, "Name\tPort\tProtocol");
            out.line(2, "----\t----\t--------");
            for p in ports {
                let name = p.name.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| "<unset>".to_string());
                out.line(2, &format!("{name}\t{}\t{}", p.port, p.protocol.as_deref().unwrap_or("TCP")));
            }
        }
        out.raw("\n");
    }
    events_table(&mut out, now, &events_for(api, now, "Endpoints", meta));
    out.text
}
