//! Small formatting and lookup helpers the explanations and the browser's views share.

use k8s_openapi::api::core::v1::{Container, Pod, Probe};

use crate::duration::Millis;
use crate::sim::Simulation;

/// A virtual instant as minutes and seconds (`1:05`), the way people read a timeline.
pub fn mmss(at: Millis) -> String {
    let secs = at / 1000;
    format!("{}:{:02}", secs / 60, secs % 60)
}

/// A count and its noun, singular for one: `1 restart`, `2 restarts`, `0 warnings`. Every noun
/// the explanations count takes a plain `s`.
pub fn count(n: i64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The probe kinds in the order the timeline stacks their lanes.
pub const PROBE_KINDS: [&str; 3] = ["startup", "liveness", "readiness"];

/// Finds a pod in the simulation's API store.
pub fn find_pod<'a>(sim: &'a Simulation, namespace: &str, name: &str) -> Option<&'a Pod> {
    sim.api().pods.get(&(namespace.to_string(), name.to_string()))
}

/// The regular containers of a pod, in spec order.
pub fn containers(pod: &Pod) -> &[Container] {
    pod.spec.as_ref().map_or(&[], |s| s.containers.as_slice())
}

/// A container's probe of one kind (`startup`, `liveness`, `readiness`).
pub fn probe<'a>(container: &'a Container, kind: &str) -> Option<&'a Probe> {
    match kind {
        "startup" => container.startup_probe.as_ref(),
        "liveness" => container.liveness_probe.as_ref(),
        "readiness" => container.readiness_probe.as_ref(),
        _ => None,
    }
}

/// What a probe checks, in a few words: `cat /tmp/healthy`, `GET :8080/healthz`, `TCP :6379`.
pub fn probe_action(probe: &Probe) -> String {
    if let Some(exec) = &probe.exec {
        return exec.command.clone().unwrap_or_default().join(" ");
    }
    if let Some(http) = &probe.http_get {
        let port = int_or_string(&http.port);
        return format!("GET :{port}{}", http.path.as_deref().unwrap_or("/"));
    }
    if let Some(tcp) = &probe.tcp_socket {
        return format!("TCP :{}", int_or_string(&tcp.port));
    }
    if let Some(grpc) = &probe.grpc {
        return format!("gRPC :{}", grpc.port);
    }
    "no action".to_string()
}

/// `initialDelaySeconds`, `periodSeconds` and `failureThreshold` with the API's defaults.
pub fn probe_numbers(probe: &Probe) -> (i32, i32, i32) {
    (
        probe.initial_delay_seconds.unwrap_or(0),
        probe.period_seconds.unwrap_or(10),
        probe.failure_threshold.unwrap_or(3),
    )
}

fn int_or_string(value: &k8s_openapi::apimachinery::pkg::util::intstr::IntOrString) -> String {
    use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
    match value {
        IntOrString::Int(n) => n.to_string(),
        IntOrString::String(s) => s.clone(),
    }
}

/// Shortens long text for a cell or label, keeping whole characters.
pub fn ellipsize(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}
