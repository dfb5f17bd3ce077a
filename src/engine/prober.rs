//! Probe workers (§3) and the probe mechanisms (§4).
//!
//! A worker's ticker is fixed by when the worker was created (the pod's first sync), not by when the
//! container started; readiness workers are also triggered by every pod sync while not ready, which
//! re-arms their ticker. Results are counted against thresholds and only a changed cached result
//! reaches the kubelet, exactly as the results manager publishes only changes.

use std::rc::Rc;

use k8s_openapi::api::core::v1::Probe;

use super::kubelet::{resolve_port, ProbeValue, SlotKind, Worker};
use super::{Ev, PodId, ProbeKind, ProbeRecord, Trace, World};
use crate::api::ObjectRef;
use crate::container::{GrpcOutcome, HttpOutcome, HttpRequest, TcpOutcome};
use crate::duration::{Millis, SECOND};
use crate::events::Source;
use crate::manifest::KubeVersion;

/// A probe run's outcome before counting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    Success,
    /// Success with a `ProbeWarning` event (an unfollowed HTTP redirect).
    Warning(String),
    Failure(String),
    /// A prober error: the result is thrown away (§4.6).
    Error(String),
}

/// A probe that takes virtual time: its outcome lands at `ProbeDone`.
#[derive(Clone, Debug)]
pub struct Pending {
    outcome: Outcome,
    container_id: String,
    tick_pending: bool,
}

fn period(p: &Probe) -> Millis {
    p.period_seconds.filter(|v| *v > 0).unwrap_or(10) as Millis * SECOND
}

fn timeout(p: &Probe) -> Millis {
    p.timeout_seconds.filter(|v| *v > 0).unwrap_or(1) as Millis * SECOND
}

fn threshold(p: &Probe, success: bool) -> u32 {
    if success {
        p.success_threshold.filter(|v| *v > 0).unwrap_or(1) as u32
    } else {
        p.failure_threshold.filter(|v| *v > 0).unwrap_or(3) as u32
    }
}

impl World {
    /// Creates the pod's probe workers at its first sync (§3.1): per container startup, readiness,
    /// liveness; each runs once at once (finding no container yet) and then on its ticker.
    pub(crate) fn ensure_workers(&mut self, id: PodId) {
        let now = self.now;
        let rt = self.pods.get_mut(&id).expect("pod");
        if std::mem::replace(&mut rt.workers_created, true) {
            return;
        }
        for (slot, s) in rt.slots.iter().enumerate() {
            if s.kind == SlotKind::Init {
                continue;
            }
            for (kind, probe) in [
                (ProbeKind::Startup, &s.spec.startup_probe),
                (ProbeKind::Readiness, &s.spec.readiness_probe),
                (ProbeKind::Liveness, &s.spec.liveness_probe),
            ] {
                if let Some(probe) = probe {
                    rt.workers.push(Worker {
                        slot,
                        kind,
                        probe: probe.clone(),
                        gen: 0,
                        container_id: None,
                        cached: None,
                        last_result: None,
                        run: 0,
                        on_hold: false,
                        stopped: false,
                        in_flight: None,
                    });
                }
            }
        }
        let ticks: Vec<(usize, Millis)> = rt.workers.iter().enumerate().map(|(i, w)| (i, period(&w.probe))).collect();
        for (i, p) in ticks {
            self.do_probe(id, i);
            self.push(now + p, Ev::ProbeTick { pod: id, worker: i, gen: 0 });
        }
    }

    pub(crate) fn probe_tick(&mut self, id: PodId, w: usize, gen: u64) {
        let now = self.now;
        let Some(rt) = self.pods.get_mut(&id) else { return };
        let Some(worker) = rt.workers.get_mut(w) else { return };
        if worker.gen != gen || worker.stopped {
            return;
        }
        let p = period(&worker.probe);
        if let Some(pending) = worker.in_flight.as_mut() {
            // A Go ticker keeps one pending tick while the probe runs.
            pending.tick_pending = true;
        } else {
            self.do_probe(id, w);
        }
        self.push(now + p, Ev::ProbeTick { pod: id, worker: w, gen });
    }

    /// The manual readiness trigger (§3.3): after each status generation, a readiness worker of a
    /// started, running container that is not ready probes at once and re-arms its ticker.
    pub(crate) fn trigger_readiness(&mut self, id: PodId) {
        let now = self.now;
        let rt = self.pods.get(&id).expect("pod");
        let Some(status) = self.api.pods.get(&rt.key).and_then(|p| p.status.as_ref()) else { return };
        let mut due = Vec::new();
        for (i, w) in rt.workers.iter().enumerate() {
            if w.kind != ProbeKind::Readiness || w.stopped || w.in_flight.is_some() {
                continue;
            }
            let name = &*rt.slots[w.slot].name;
            let cs = status.container_statuses.iter().flatten().chain(status.init_container_statuses.iter().flatten()).find(|c| c.name == name);
            let running_started = cs.is_some_and(|c| {
                c.state.as_ref().is_some_and(|s| s.running.is_some()) && c.started == Some(true)
            });
            let cached_ok = w.cached == Some(ProbeValue::Success)
                && cs.and_then(|c| c.container_id.as_deref()).is_some_and(|cid| w.container_id.as_deref() == cid.strip_prefix("containerd://"));
            if running_started && !cached_ok {
                due.push(i);
            }
        }
        for i in due {
            let rt = self.pods.get_mut(&id).expect("pod");
            let w = &mut rt.workers[i];
            w.gen += 1;
            let (gen, p) = (w.gen, period(&w.probe));
            self.do_probe(id, i);
            self.push(now + p, Ev::ProbeTick { pod: id, worker: i, gen });
        }
    }

    /// One `doProbe` (§3.4).
    fn do_probe(&mut self, id: PodId, w: usize) {
        let now = self.now;
        let rt = self.pods.get(&id).expect("pod");
        let worker = &rt.workers[w];
        let kind = worker.kind;
        let Some(status) = self.api.pods.get(&rt.key).and_then(|p| p.status.as_ref()) else { return };
        // 2. A terminal pod ends the worker.
        if matches!(status.phase.as_deref(), Some("Failed") | Some("Succeeded")) {
            let rt = self.pods.get_mut(&id).expect("pod");
            rt.workers[w].stopped = true;
            rt.workers[w].cached = None;
            return;
        }
        // 3. The container status by name, from the status the kubelet last published.
        let slot = worker.slot;
        let name = rt.slots[slot].name.clone();
        let Some(cs) = status.container_statuses.iter().flatten().chain(status.init_container_statuses.iter().flatten()).find(|c| *c.name == *name) else {
            return;
        };
        let Some(cid) = cs.container_id.as_deref().map(|c| c.strip_prefix("containerd://").unwrap_or(c).to_string()) else {
            return;
        };
        let running = cs.state.as_ref().is_some_and(|s| s.running.is_some());
        let terminated = cs.state.as_ref().is_some_and(|s| s.terminated.is_some());
        let started = cs.started == Some(true);
        let deleting = rt.deleting;
        let never = rt.spec.restart_policy.as_deref() == Some("Never") && rt.slots[slot].kind != SlotKind::Sidecar;
        let rt = self.pods.get_mut(&id).expect("pod");
        let worker = &mut rt.workers[w];
        // 4. A new container instance: reset to the initial value (§3.2). The reference model
        // publishes no update for this initial value: the status already shows the container as
        // not ready / not started, so the kubelet would regenerate the same status.
        if worker.container_id.as_deref() != Some(cid.as_str()) {
            worker.container_id = Some(cid.clone());
            worker.cached = Some(match kind {
                ProbeKind::Readiness => ProbeValue::Failure,
                ProbeKind::Liveness => ProbeValue::Success,
                ProbeKind::Startup => ProbeValue::Unknown,
            });
            worker.on_hold = false;
        }
        // 5. On hold after a liveness failure or a startup decision, until a new container.
        if worker.on_hold {
            return;
        }
        // 6. A container that is not running counts as failing.
        if !running {
            self.set_result(id, w, ProbeValue::Failure);
            if terminated && never {
                let rt = self.pods.get_mut(&id).expect("pod");
                rt.workers[w].stopped = true;
            }
            return;
        }
        // 7. Liveness and startup stop with the pod's deletion.
        if deleting && kind != ProbeKind::Readiness {
            self.set_result(id, w, ProbeValue::Success);
            let rt = self.pods.get_mut(&id).expect("pod");
            rt.workers[w].stopped = true;
            return;
        }
        // 8. The initial delay counts whole seconds since this instance started.
        let rt = self.pods.get(&id).expect("pod");
        let worker = &rt.workers[w];
        let Some(inst) = rt.slots[slot].latest().filter(|i| i.id == cid) else { return };
        let delay = worker.probe.initial_delay_seconds.unwrap_or(0).max(0) as Millis;
        if (now.saturating_sub(inst.started_at)) / SECOND < delay {
            return;
        }
        // 9. Startup gating.
        if (kind == ProbeKind::Startup) == started {
            return;
        }
        // 10. Run it.
        let probe = worker.probe.clone();
        let (outcome, took) = self.execute_probe(id, slot, kind, &probe);
        let took = took.min(timeout(&probe));
        if took > 0 {
            let rt = self.pods.get_mut(&id).expect("pod");
            let worker = &mut rt.workers[w];
            worker.in_flight = Some(Pending { outcome, container_id: cid, tick_pending: false });
            let gen = worker.gen;
            self.push(now + took, Ev::ProbeDone { pod: id, worker: w, gen });
            return;
        }
        self.count_outcome(id, w, outcome);
    }

    pub(crate) fn probe_done(&mut self, id: PodId, w: usize, _gen: u64) {
        let Some(rt) = self.pods.get_mut(&id) else { return };
        let Some(worker) = rt.workers.get_mut(w) else { return };
        let Some(pending) = worker.in_flight.take() else { return };
        if worker.stopped || worker.container_id.as_deref() != Some(pending.container_id.as_str()) {
            return;
        }
        self.count_outcome(id, w, pending.outcome);
        if pending.tick_pending {
            self.do_probe(id, w);
        }
    }

    /// Steps 11–13 of §3.4, plus the probe's event and its record.
    fn count_outcome(&mut self, id: PodId, w: usize, outcome: Outcome) {
        let now = self.now;
        let rt = self.pods.get_mut(&id).expect("pod");
        let node = rt.node.clone();
        let (ns, pod) = (rt.namespace.clone(), rt.name.clone());
        let slot = rt.workers[w].slot;
        let container: Rc<str> = rt.slots[slot].name.clone();
        let field = match rt.slots[slot].kind {
            SlotKind::Regular => format!("spec.containers{{{container}}}"),
            _ => format!("spec.initContainers{{{container}}}"),
        };
        let involved = ObjectRef { kind: "Pod".into(), namespace: ns.to_string(), name: pod.to_string(), uid: rt.uid.clone(), field_path: field };
        let worker = &mut rt.workers[w];
        let kind = worker.kind;
        let source = Source { component: "kubelet".into(), host: node };
        let (value, label, output) = match &outcome {
            Outcome::Success => (Some(ProbeValue::Success), "success", String::new()),
            Outcome::Warning(o) => (Some(ProbeValue::Success), "warning", o.clone()),
            Outcome::Failure(o) => (Some(ProbeValue::Failure), "failure", o.clone()),
            Outcome::Error(o) => (None, "error", o.clone()),
        };
        let mut record = ProbeRecord {
            at: now,
            namespace: ns.clone(),
            pod: pod.clone(),
            container: container.clone(),
            probe: kind,
            result: label,
            output: output.clone(),
            run: 0,
            threshold: 0,
        };
        match &outcome {
            Outcome::Failure(o) => {
                let msg = format!("{} probe failed: {}", kind.title(), o.trim_end());
                self.recorder.record(&mut self.api, now, &source, &involved, "Warning", "Unhealthy", &msg);
            }
            Outcome::Warning(o) => {
                let msg = format!("{} probe warning: {}", kind.title(), o.trim_end());
                self.recorder.record(&mut self.api, now, &source, &involved, "Warning", "ProbeWarning", &msg);
            }
            Outcome::Error(o) => {
                let msg = format!("{} probe errored and resulted in unknown state: {}", kind.title(), o.trim_end());
                self.recorder.record(&mut self.api, now, &source, &involved, "Warning", "Unhealthy", &msg);
            }
            Outcome::Success => {}
        }
        let Some(value) = value else {
            self.logs.probes.push(record);
            return;
        };
        let rt = self.pods.get_mut(&id).expect("pod");
        let worker = &mut rt.workers[w];
        if worker.last_result == Some(value) {
            worker.run += 1;
        } else {
            worker.last_result = Some(value);
            worker.run = 1;
        }
        let need = threshold(&worker.probe, value == ProbeValue::Success);
        record.run = worker.run;
        record.threshold = need;
        self.logs.probes.push(record);
        if worker.run < need {
            return;
        }
        self.set_result(id, w, value);
        let rt = self.pods.get_mut(&id).expect("pod");
        let worker = &mut rt.workers[w];
        if (kind == ProbeKind::Liveness && value == ProbeValue::Failure) || kind == ProbeKind::Startup {
            worker.on_hold = true;
            worker.run = 0;
        }
    }

    /// `resultsManager.Set`: stores the value and, when it changed, lets the kubelet react (§3.5).
    fn set_result(&mut self, id: PodId, w: usize, value: ProbeValue) {
        let now = self.now;
        let rt = self.pods.get_mut(&id).expect("pod");
        let worker = &mut rt.workers[w];
        if worker.cached == Some(value) {
            return;
        }
        worker.cached = Some(value);
        let kind = worker.kind;
        let slot = worker.slot;
        rt.version += 1;
        let (ns, pod, container) = (rt.namespace.clone(), rt.name.clone(), rt.slots[slot].name.clone());
        let result = match value {
            ProbeValue::Success => "success",
            ProbeValue::Failure => "failure",
            ProbeValue::Unknown => "unknown",
        };
        self.logs.trace.push(Trace::ProbeResult { at: now, namespace: ns, pod, container: container.clone(), probe: kind, result: result.to_string() });
        match kind {
            ProbeKind::Liveness => {
                if value == ProbeValue::Failure {
                    self.request_sync(id, now);
                }
            }
            ProbeKind::Readiness => {
                self.set_container_flag(id, &container, Some(value == ProbeValue::Success), None);
                self.request_sync(id, now);
            }
            ProbeKind::Startup => {
                self.set_container_flag(id, &container, None, Some(value == ProbeValue::Success));
                self.request_sync(id, now);
            }
        }
    }

    /// Runs one probe attempt (with the prober's retries on errors) and says how long it took.
    fn execute_probe(&mut self, id: PodId, slot: usize, kind: ProbeKind, probe: &Probe) -> (Outcome, Millis) {
        let now = self.now;
        let version = self.version;
        let to = timeout(probe);
        let rt = self.pods.get_mut(&id).expect("pod");
        let ip = rt.ip.clone();
        let spec_ports = rt.slots[slot].spec.ports.clone().unwrap_or_default();
        let env: Vec<(String, String)> = rt.slots[slot]
            .spec
            .env
            .iter()
            .flatten()
            .filter_map(|e| e.value.clone().map(|v| (e.name.clone(), v)))
            .collect();
        let _ = kind;
        let Some(inst) = rt.slots[slot].running_mut() else {
            return (Outcome::Failure(String::new()), 0);
        };
        let result = if let Some(exec) = &probe.exec {
            let argv: Vec<String> = exec.command.iter().flatten().map(|a| expand_env(a, &env)).collect();
            let r = inst.proc.exec(&argv, now, Some(to));
            if r.timed_out {
                (Outcome::Failure(format!("command \"{}\" timed out", argv.join(" "))), to)
            } else if r.exit_code == 0 {
                (Outcome::Success, r.duration)
            } else {
                (Outcome::Failure(r.output), r.duration)
            }
        } else if let Some(http) = &probe.http_get {
            match resolve_port(&http.port, &spec_ports) {
                None => (Outcome::Error(port_error(&http.port)), 0),
                Some(port) => {
                    let scheme = http.scheme.clone().unwrap_or_else(|| "HTTP".into());
                    let host = http.host.clone().filter(|h| !h.is_empty()).unwrap_or_else(|| ip.clone());
                    let mut path = http.path.clone().unwrap_or_else(|| "/".into());
                    if !path.starts_with('/') {
                        path.insert(0, '/');
                    }
                    let url_for = |path: &str| format!("{}://{}:{}{}", scheme.to_lowercase(), host, port, path);
                    let mut headers: Vec<(String, String)> =
                        http.http_headers.iter().flatten().map(|h| (h.name.clone(), h.value.clone())).collect();
                    let has = |headers: &[(String, String)], n: &str| headers.iter().any(|(k, _)| k.eq_ignore_ascii_case(n));
                    if !has(&headers, "User-Agent") {
                        let v = match version {
                            KubeVersion::V1_34 => "kube-probe/1.34",
                            KubeVersion::V1_35 => "kube-probe/1.35",
                        };
                        headers.push(("User-Agent".into(), v.into()));
                    }
                    if !has(&headers, "Accept") {
                        headers.push(("Accept".into(), "*/*".into()));
                    }
                    if host != ip {
                        let url = url_for(&path);
                        (Outcome::Failure(format!("Get \"{url}\": dial tcp {host}:{port}: connect: connection refused")), 0)
                    } else {
                        let mut elapsed = 0;
                        let mut redirects = 0;
                        loop {
                            let url = url_for(&path);
                            let req = HttpRequest { port, path: path.clone(), headers: headers.clone(), scheme: scheme.clone() };
                            match inst.proc.http(&req, now) {
                                HttpOutcome::Refused => {
                                    break (Outcome::Failure(format!("Get \"{url}\": dial tcp {ip}:{port}: connect: connection refused")), elapsed);
                                }
                                HttpOutcome::NoResponse => {
                                    break (Outcome::Failure(format!("Get \"{url}\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)")), to);
                                }
                                HttpOutcome::Response { status, body, location, latency } => {
                                    elapsed += latency;
                                    if elapsed > to {
                                        break (Outcome::Failure(format!("Get \"{url}\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)")), to);
                                    }
                                    if (300..400).contains(&status) {
                                        let same_host = location.as_deref().and_then(|l| same_host_path(l, &host));
                                        match same_host {
                                            Some(next) if redirects < 10 => {
                                                redirects += 1;
                                                path = next;
                                                continue;
                                            }
                                            Some(_) => {
                                                break (Outcome::Failure(format!("Get \"{url}\": stopped after 10 redirects")), elapsed);
                                            }
                                            None => {
                                                let body: String = body.chars().take(10 * 1024).collect();
                                                break (Outcome::Warning(format!("Probe terminated redirects, Response body: {body}")), elapsed);
                                            }
                                        }
                                    }
                                    if (200..300).contains(&status) {
                                        break (Outcome::Success, elapsed);
                                    }
                                    break (Outcome::Failure(format!("HTTP probe failed with statuscode: {status}")), elapsed);
                                }
                            }
                        }
                    }
                }
            }
        } else if let Some(tcp) = &probe.tcp_socket {
            match resolve_port(&tcp.port, &spec_ports) {
                None => (Outcome::Error(port_error(&tcp.port)), 0),
                Some(port) => {
                    let host = tcp.host.clone().filter(|h| !h.is_empty()).unwrap_or_else(|| ip.clone());
                    if host == ip && inst.proc.tcp_connect(port, now) == TcpOutcome::Connected {
                        (Outcome::Success, 0)
                    } else {
                        (Outcome::Failure(format!("dial tcp {host}:{port}: connect: connection refused")), 0)
                    }
                }
            }
        } else if let Some(grpc) = &probe.grpc {
            let port = grpc.port.clamp(0, 65535) as u16;
            let service = grpc.service.clone().unwrap_or_default();
            let addr = format!("{ip}:{port}");
            match inst.proc.grpc_health(port, &service, now) {
                GrpcOutcome::Status(s) if s == "SERVING" => (Outcome::Success, 0),
                GrpcOutcome::Status(s) => (Outcome::Failure(format!("service unhealthy (responded with \"{s}\")")), 0),
                GrpcOutcome::Refused => (
                    Outcome::Failure(format!(
                        "timeout: failed to connect service \"{addr}\" within {}: context deadline exceeded",
                        crate::duration::go_duration(to)
                    )),
                    to,
                ),
                GrpcOutcome::Unimplemented => (
                    Outcome::Failure(
                        "error: this server does not implement the grpc health protocol (grpc.health.v1.Health): rpc error: code = Unimplemented desc = unknown service grpc.health.v1.Health".to_string(),
                    ),
                    0,
                ),
            }
        } else {
            (Outcome::Error("missing probe handler".to_string()), 0)
        };
        self.after_container_touched(id, slot);
        result
    }

    /// `SetContainerReadiness` / `SetContainerStartup`: the status manager flips the container's
    /// flag and the pod conditions at once, without waiting for a sync (§3.5, §8.2).
    fn set_container_flag(&mut self, id: PodId, container: &str, ready: Option<bool>, started: Option<bool>) {
        let now = self.now;
        let rt = self.pods.get(&id).expect("pod");
        let key = rt.key.clone();
        let Some(mut status) = self.api.pods.get(&key).and_then(|p| p.status.clone()) else { return };
        let mut changed = false;
        for cs in status.container_statuses.iter_mut().flatten().chain(status.init_container_statuses.iter_mut().flatten()) {
            if cs.name != container {
                continue;
            }
            if let Some(r) = ready {
                // Readiness only counts for a running container.
                let r = r && cs.state.as_ref().is_some_and(|s| s.running.is_some());
                if cs.ready != r {
                    cs.ready = r;
                    changed = true;
                }
            }
            if let Some(s) = started {
                if cs.started != Some(s) {
                    cs.started = Some(s);
                    changed = true;
                }
            }
        }
        if !changed {
            return;
        }
        super::status::refresh_ready_conditions(&mut status, now);
        self.api.set_pod_status(&key, status);
    }
}

/// Expands `$(VAR)` references to statically defined env values; unknown references stay as written.
fn expand_env(arg: &str, env: &[(String, String)]) -> String {
    if !arg.contains("$(") {
        return arg.to_string();
    }
    let mut out = String::new();
    let mut rest = arg;
    while let Some(start) = rest.find("$(") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find(')') {
            Some(end) => {
                let name = &after[..end];
                match env.iter().rev().find(|(k, _)| k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push_str("$(");
                        out.push_str(name);
                        out.push(')');
                    }
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

fn port_error(port: &k8s_openapi::apimachinery::pkg::util::intstr::IntOrString) -> String {
    use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
    match port {
        IntOrString::String(name) => format!("port \"{name}\" not found"),
        IntOrString::Int(n) => format!("invalid port number: {n}"),
    }
}

/// The path of a redirect target on the same host, or `None` for another host.
fn same_host_path(location: &str, host: &str) -> Option<String> {
    if location.starts_with('/') {
        return Some(location.to_string());
    }
    let rest = location.strip_prefix("http://").or_else(|| location.strip_prefix("https://"))?;
    let (authority, path) = rest.split_once('/').map_or((rest, "/".to_string()), |(a, p)| (a, format!("/{p}")));
    let hostname = authority.split(':').next().unwrap_or("");
    (hostname == host).then_some(path)
}
