//! Probe workers (`pkg/kubelet/prober/worker.go`) and the probe mechanisms (`pkg/kubelet/prober/prober.go`).
//!
//! A worker's ticker is fixed by when the worker was created (the pod's first sync), not by when the
//! container started; readiness workers are also triggered by every pod sync while not ready, which
//! re-arms their ticker. Results are counted against thresholds and only a changed cached result
//! reaches the kubelet, exactly as the results manager publishes only changes.

use std::rc::Rc;

use super::network::{probe_http, probe_tcp, sibling_on};
use super::runtime::{RestartPolicy, SlotKind};
use super::timing::{next_tick, past_initial_delay};
use super::worker::{Action, Outcome, Pending, Prepared, ProbeValue, Worker};
use super::{Ev, PodId, ProbeKind, ProbeRecord, ProbeSubject, Trace, World};
use crate::api::ObjectRef;
use crate::container::{GrpcOutcome, HttpOutcome, HttpRequest, TcpOutcome};
use crate::duration::Millis;
use crate::events::Source;

impl World {
    /// Creates the pod's probe workers at its first sync (`pkg/kubelet/prober/prober_manager.go` AddPod): per container startup, readiness,
    /// liveness; each runs once at once (finding no container yet) and then on its ticker.
    pub(crate) fn ensure_workers(&mut self, id: PodId) {
        let now = self.now;
        let Some(rt) = self.pods.get_mut(id) else { return };
        if std::mem::replace(&mut rt.workers_created, true) {
            return;
        }
        let version = self.version;
        for (slot, s) in rt.slots.iter().enumerate() {
            if s.kind == SlotKind::Init {
                continue;
            }
            let ports = s.spec.ports.clone().unwrap_or_default();
            let env: Vec<(String, String)> = s
                .spec
                .env
                .iter()
                .flatten()
                .filter_map(|e| e.value.clone().map(|v| (e.name.clone(), v)))
                .collect();
            let subject = Rc::new(ProbeSubject {
                namespace: rt.namespace.clone(),
                pod: rt.name.clone(),
                container: s.name.clone(),
            });
            for (kind, probe) in [
                (ProbeKind::Startup, &s.spec.startup_probe),
                (ProbeKind::Readiness, &s.spec.readiness_probe),
                (ProbeKind::Liveness, &s.spec.liveness_probe),
            ] {
                if let Some(probe) = probe {
                    rt.workers.push(Worker {
                        slot,
                        kind,
                        subject: subject.clone(),
                        prep: Rc::new(Prepared::new(probe, &ports, &env, &rt.ip, version)),
                        gen: 0,
                        armed_at: now,
                        container_serial: None,
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
        let ticks: Vec<(usize, Millis)> =
            rt.workers.iter().enumerate().map(|(i, w)| (i, w.prep.period)).collect();
        for (i, p) in ticks {
            self.do_probe(id, i);
            self.queue.push(next_tick(now, p), Ev::ProbeTick { pod: id, worker: i, gen: 0 });
        }
    }

    pub(crate) fn probe_tick(&mut self, id: PodId, w: usize, gen: u64) {
        let now = self.now;
        let Some(rt) = self.pods.get_mut(id) else { return };
        let Some(worker) = rt.workers.get_mut(w) else { return };
        if worker.gen != gen || worker.stopped {
            return;
        }
        let p = worker.prep.period;
        if let Some(pending) = worker.in_flight.as_mut() {
            // A Go ticker keeps one pending tick while the probe runs.
            pending.tick_pending = true;
        } else {
            self.do_probe(id, w);
        }
        self.queue.push(next_tick(now, p), Ev::ProbeTick { pod: id, worker: w, gen });
    }

    /// The manual readiness trigger (`pkg/kubelet/prober/prober_manager.go`): after each status generation, a readiness worker of a
    /// started, running container that is not ready probes at once and re-arms its ticker.
    pub(crate) fn trigger_readiness(&mut self, id: PodId) {
        let now = self.now;
        let Some(rt) = self.pods.get(id) else { return };
        let mut due = Vec::new();
        for (i, w) in rt.workers.iter().enumerate() {
            if w.kind != ProbeKind::Readiness || w.stopped || w.in_flight.is_some() {
                continue;
            }
            let Some(published) = rt.slots[w.slot].published.as_ref() else { continue };
            let cached_ok =
                w.cached == Some(ProbeValue::Success) && w.container_serial == Some(published.serial);
            if published.running && published.started && !cached_ok {
                due.push(i);
            }
        }
        for i in due {
            let Some(rt) = self.pods.get_mut(id) else { return };
            let w = &mut rt.workers[i];
            w.gen += 1;
            w.armed_at = now;
            let (gen, p) = (w.gen, w.prep.period);
            self.do_probe(id, i);
            self.queue.push(next_tick(now, p), Ev::ProbeTick { pod: id, worker: i, gen });
        }
    }

    /// One `doProbe` (`pkg/kubelet/prober/worker.go` doProbe).
    fn do_probe(&mut self, id: PodId, w: usize) {
        let now = self.now;
        let Some(rt) = self.pods.get(id) else { return };
        let worker = &rt.workers[w];
        let kind = worker.kind;
        // 1. Nothing published yet.
        if !rt.status_published {
            return;
        }
        // 2. A terminal pod ends the worker.
        if rt.published_terminal {
            let Some(rt) = self.pods.get_mut(id) else { return };
            rt.workers[w].stopped = true;
            rt.workers[w].cached = None;
            return;
        }
        // 3. The container status by name, from the status the kubelet last published.
        let slot = worker.slot;
        let Some(published) = rt.slots[slot].published.as_ref() else { return };
        let serial = published.serial;
        let (running, terminated, started) = (published.running, published.terminated, published.started);
        let deleting = rt.deleting;
        let never = rt.restart_policy == RestartPolicy::Never && rt.slots[slot].kind != SlotKind::Sidecar;
        let Some(rt) = self.pods.get_mut(id) else { return };
        let worker = &mut rt.workers[w];
        // 4. A new container instance: reset to the initial value (`pkg/kubelet/prober/worker.go` newWorker). The reference model
        // publishes no update for this initial value: the status already shows the container as
        // not ready / not started, so the kubelet would regenerate the same status.
        if worker.container_serial != Some(serial) {
            worker.container_serial = Some(serial);
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
                let Some(rt) = self.pods.get_mut(id) else { return };
                rt.workers[w].stopped = true;
            }
            return;
        }
        // 7. Liveness and startup stop with the pod's deletion.
        if deleting && kind != ProbeKind::Readiness {
            self.set_result(id, w, ProbeValue::Success);
            let Some(rt) = self.pods.get_mut(id) else { return };
            rt.workers[w].stopped = true;
            return;
        }
        // 8. The initial delay counts whole seconds since this instance started.
        let Some(rt) = self.pods.get(id) else { return };
        let worker = &rt.workers[w];
        let Some(inst) = rt.slots[slot].latest().filter(|i| i.serial == serial) else { return };
        if !past_initial_delay(now, inst.started_at, worker.prep.delay_seconds) {
            return;
        }
        // 9. Startup gating.
        if (kind == ProbeKind::Startup) == started {
            return;
        }
        // 10. Run it.
        let prep = worker.prep.clone();
        let (outcome, took) = self.execute_probe(id, slot, &prep);
        let took = took.min(prep.timeout);
        if took > 0 {
            let Some(rt) = self.pods.get_mut(id) else { return };
            let worker = &mut rt.workers[w];
            worker.in_flight = Some(Pending { outcome, container_serial: serial, tick_pending: false });
            let gen = worker.gen;
            self.queue.push(now + took, Ev::ProbeDone { pod: id, worker: w, gen });
            return;
        }
        self.count_outcome(id, w, outcome);
    }

    pub(crate) fn probe_done(&mut self, id: PodId, w: usize, _gen: u64) {
        let Some(rt) = self.pods.get_mut(id) else { return };
        let Some(worker) = rt.workers.get_mut(w) else { return };
        let Some(pending) = worker.in_flight.take() else { return };
        if worker.stopped || worker.container_serial != Some(pending.container_serial) {
            return;
        }
        self.count_outcome(id, w, pending.outcome);
        if pending.tick_pending {
            self.do_probe(id, w);
        }
    }

    /// Steps 11–13 of `pkg/kubelet/prober/worker.go` doProbe, plus the probe's event and its record.
    fn count_outcome(&mut self, id: PodId, w: usize, outcome: Outcome) {
        let now = self.now;
        let Some(rt) = self.pods.get_mut(id) else { return };
        let subject = rt.workers[w].subject.clone();
        let slot = rt.workers[w].slot;
        let kind = rt.workers[w].kind;
        let (value, label, output): (_, _, Box<str>) = match &outcome {
            Outcome::Success => (Some(ProbeValue::Success), "success", Box::default()),
            Outcome::Warning(o) => (Some(ProbeValue::Success), "warning", o.as_str().into()),
            Outcome::Failure(o) => (Some(ProbeValue::Failure), "failure", o.as_str().into()),
            Outcome::Error(o) => (None, "error", o.as_str().into()),
        };
        // Only failures, warnings and errors make events; a success, by far the most common
        // outcome, allocates nothing here.
        let event = match &outcome {
            Outcome::Failure(o) => {
                Some(("Unhealthy", format!("{} probe failed: {}", kind.title(), o.trim_end())))
            }
            Outcome::Warning(o) => {
                Some(("ProbeWarning", format!("{} probe warning: {}", kind.title(), o.trim_end())))
            }
            Outcome::Error(o) => Some((
                "Unhealthy",
                format!("{} probe errored and resulted in unknown state: {}", kind.title(), o.trim_end()),
            )),
            Outcome::Success => None,
        };
        if let Some((reason, msg)) = event {
            let container = &subject.container;
            let field = match rt.slots[slot].kind {
                SlotKind::Regular => format!("spec.containers{{{container}}}"),
                _ => format!("spec.initContainers{{{container}}}"),
            };
            let involved = ObjectRef {
                kind: "Pod".into(),
                namespace: subject.namespace.to_string(),
                name: subject.pod.to_string(),
                uid: rt.uid.clone(),
                field_path: field,
            };
            let source = Source { component: "kubelet".into(), host: rt.node.clone() };
            self.recorder.record(&mut self.api, now, &source, &involved, "Warning", reason, &msg);
        }
        let mut record =
            ProbeRecord { at: now, subject, probe: kind, result: label, output, run: 0, threshold: 0 };
        let Some(value) = value else {
            self.logs.probes.push(record);
            return;
        };
        let Some(rt) = self.pods.get_mut(id) else { return };
        let worker = &mut rt.workers[w];
        if worker.last_result == Some(value) {
            worker.run += 1;
        } else {
            worker.last_result = Some(value);
            worker.run = 1;
        }
        let need = worker.prep.threshold(value == ProbeValue::Success);
        record.run = worker.run;
        record.threshold = need;
        self.logs.probes.push(record);
        if worker.run < need {
            return;
        }
        self.set_result(id, w, value);
        let Some(rt) = self.pods.get_mut(id) else { return };
        let worker = &mut rt.workers[w];
        if (kind == ProbeKind::Liveness && value == ProbeValue::Failure) || kind == ProbeKind::Startup {
            worker.on_hold = true;
            worker.run = 0;
        }
    }

    /// `resultsManager.Set`: stores the value and, when it changed, lets the kubelet react (`pkg/kubelet/prober/results/results_manager.go`).
    fn set_result(&mut self, id: PodId, w: usize, value: ProbeValue) {
        let now = self.now;
        let Some(rt) = self.pods.get_mut(id) else { return };
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
        self.logs.trace.push(Trace::ProbeResult {
            at: now,
            namespace: ns,
            pod,
            container: container.clone(),
            probe: kind,
            result: result.to_string(),
        });
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

    /// Runs one probe attempt and says how long it took.
    fn execute_probe(&mut self, id: PodId, slot: usize, prep: &Prepared) -> (Outcome, Millis) {
        let now = self.now;
        let to = prep.timeout;
        if let Action::Exec { argv } = &prep.action {
            // An exec probe's command runs in the pod's network namespace (`wget localhost:...`).
            let r = self.with_pod_net(id, slot, |inst, net| {
                inst.exit.is_none().then(|| inst.proc.exec_in(argv, now, Some(to), net))
            });
            let Some(Some(r)) = r else { return (Outcome::Failure(String::new()), 0) };
            let result = if r.timed_out {
                (Outcome::Failure(format!("command \"{}\" timed out", argv.join(" "))), to)
            } else if r.exit_code == 0 {
                (Outcome::Success, r.duration)
            } else {
                (Outcome::Failure(r.output), r.duration)
            };
            self.after_container_touched(id, slot);
            return result;
        }
        let Some(rt) = self.pods.get_mut(id) else { return (Outcome::Failure(String::new()), 0) };
        let ip = &rt.ip;
        if slot >= rt.slots.len() {
            return (Outcome::Failure(String::new()), 0);
        }
        // The pod's containers share one network namespace: a port the container itself does not
        // serve may be served by another container of the pod.
        let (before, rest) = rt.slots.split_at_mut(slot);
        let Some((me, after)) = rest.split_first_mut() else { return (Outcome::Failure(String::new()), 0) };
        let Some(inst) = me.running_mut() else {
            return (Outcome::Failure(String::new()), 0);
        };
        let result = match &prep.action {
            // Run above, with the pod's network.
            Action::Exec { .. } => (Outcome::Failure(String::new()), 0),
            Action::Http { port: Err(e), .. } | Action::Tcp { port: Err(e), .. } => {
                (Outcome::Error(e.clone()), 0)
            }
            Action::Http { port: Ok(port), request, base, foreign_host } => {
                if let Some(host) = foreign_host {
                    let url = format!("{base}{}", request.path);
                    (
                        Outcome::Failure(format!(
                            "Get \"{url}\": dial tcp {host}:{port}: connect: connection refused"
                        )),
                        0,
                    )
                } else {
                    let mut send =
                        |req: &HttpRequest| probe_http(&mut inst.proc, [&mut *before, &mut *after], req, now);
                    http_probe(&mut send, request, base, ip, *port, to)
                }
            }
            Action::Tcp { port: Ok(port), host, foreign } => {
                if !foreign && probe_tcp(&mut inst.proc, [before, after], *port, now) == TcpOutcome::Connected
                {
                    (Outcome::Success, 0)
                } else {
                    (Outcome::Failure(format!("dial tcp {host}:{port}: connect: connection refused")), 0)
                }
            }
            Action::Grpc { port, service } => {
                let addr = format!("{ip}:{port}");
                let grpc = match inst.proc.grpc_health(*port, service, now) {
                    GrpcOutcome::Refused => match sibling_on([before, after], *port) {
                        Some(other) => other.grpc_health(*port, service, now),
                        None => GrpcOutcome::Refused,
                    },
                    outcome => outcome,
                };
                match grpc {
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
            }
            Action::Missing => (Outcome::Error("missing probe handler".to_string()), 0),
        };
        self.after_container_touched(id, slot);
        result
    }

    /// `SetContainerReadiness` / `SetContainerStartup`: the status manager flips the container's
    /// flag and the pod conditions at once, without waiting for a sync (`pkg/kubelet/prober/results/results_manager.go`, `pkg/kubelet/status/generate.go`).
    fn set_container_flag(&mut self, id: PodId, container: &str, ready: Option<bool>, started: Option<bool>) {
        let now = self.now;
        let Some(rt) = self.pods.get(id) else { return };
        let key = rt.key.clone();
        let Some(mut status) = self.api.pods.get(&key).and_then(|p| p.status.clone()) else { return };
        let mut changed = false;
        for cs in status
            .container_statuses
            .iter_mut()
            .flatten()
            .chain(status.init_container_statuses.iter_mut().flatten())
        {
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
        let Some(rt) = self.pods.get_mut(id) else { return };
        super::status::publish(rt, &status);
        self.set_pod_status_noted(&key, status);
    }
}

/// One HTTP probe: follows same-host redirects (at most 10), treats an unfollowed redirect as a
/// warning, 2xx as success and anything else as failure (`pkg/probe/http/http.go`).
///
/// Always inlined into its one caller: it runs for most probes of a busy cluster, and as a call of
/// its own it costs about 1% more instructions on the 1,000-pod benchmark (`bench/engine.sh`).
#[inline(always)]
fn http_probe(
    send: &mut dyn FnMut(&HttpRequest) -> HttpOutcome,
    request: &HttpRequest,
    base: &str,
    ip: &str,
    port: u16,
    to: Millis,
) -> (Outcome, Millis) {
    let mut elapsed = 0;
    let mut redirects = 0;
    let mut redirected: Option<HttpRequest> = None;
    loop {
        let req = redirected.as_ref().unwrap_or(request);
        let url = || format!("{base}{}", req.path);
        match send(req) {
            HttpOutcome::Refused => {
                return (
                    Outcome::Failure(format!(
                        "Get \"{}\": dial tcp {ip}:{port}: connect: connection refused",
                        url()
                    )),
                    elapsed,
                );
            }
            HttpOutcome::NoResponse => {
                return (Outcome::Failure(format!("Get \"{}\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)", url())), to);
            }
            HttpOutcome::Response { status, body, location, latency } => {
                elapsed += latency;
                if elapsed > to {
                    return (Outcome::Failure(format!("Get \"{}\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)", url())), to);
                }
                if (200..300).contains(&status) {
                    return (Outcome::Success, elapsed);
                }
                if (300..400).contains(&status) {
                    match location.as_deref().and_then(|l| same_host_path(l, ip)) {
                        Some(next) if redirects < 10 => {
                            redirects += 1;
                            redirected = Some(HttpRequest { path: next, ..request.clone() });
                            continue;
                        }
                        Some(_) => {
                            return (
                                Outcome::Failure(format!("Get \"{}\": stopped after 10 redirects", url())),
                                elapsed,
                            )
                        }
                        None => {
                            let body: String = body.chars().take(10 * 1024).collect();
                            return (
                                Outcome::Warning(format!(
                                    "Probe terminated redirects, Response body: {body}"
                                )),
                                elapsed,
                            );
                        }
                    }
                }
                return (Outcome::Failure(format!("HTTP probe failed with statuscode: {status}")), elapsed);
            }
        }
    }
}

/// The path of a redirect target on the same host, or `None` for another host.
fn same_host_path(location: &str, host: &str) -> Option<String> {
    if location.starts_with('/') {
        return Some(location.to_string());
    }
    let rest = location.strip_prefix("http://").or_else(|| location.strip_prefix("https://"))?;
    let (authority, path) =
        rest.split_once('/').map_or((rest, "/".to_string()), |(a, p)| (a, format!("/{p}")));
    let hostname = authority.split(':').next().unwrap_or("");
    (hostname == host).then_some(path)
}
