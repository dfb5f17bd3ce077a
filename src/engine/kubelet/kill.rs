//! Stopping containers inside a sync, and a blocked sync's resumption: the Killing event, the
//! preStop hook, the stop signal and the SIGKILL deadline (`pkg/kubelet/kuberuntime/kuberuntime_container.go`
//! killContainer), and lifecycle hooks (`pkg/kubelet/lifecycle/handlers.go`).

use k8s_openapi::api::core::v1::LifecycleHandler;

use super::super::runtime::{KillJob, Plan};
use super::super::timing::{kill_grace_seconds, probe_grace_seconds, stop_grace};
use super::super::worker::resolve_port;
use super::super::{Ev, PodId, ProbeKind, Trace, World};
use super::kubelet_source;
use crate::container::Signal;
use crate::duration::{Millis, SECOND};

impl World {
    /// Starts stopping one container inside a sync: Killing event, preStop hook, stop signal, and
    /// the SIGKILL deadline (`pkg/kubelet/kuberuntime/kuberuntime_container.go` killContainer).
    pub(super) fn begin_kill(
        &mut self,
        id: PodId,
        slot: usize,
        message: &str,
        cause: Option<ProbeKind>,
        deletion_grace: Option<i64>,
        plan: &mut Plan,
    ) {
        let now = self.now;
        let Some(rt) = self.pods.get_mut(id) else { return };
        let s = &rt.slots[slot];
        let Some(inst) = s.latest().filter(|i| i.exit.is_none()) else { return };
        let serial = inst.serial;
        let probe_grace = cause.and_then(|k| probe_grace_seconds(&s.spec, k));
        let mut grace =
            kill_grace_seconds(deletion_grace, probe_grace, rt.spec.termination_grace_period_seconds);
        let container = s.name.clone();
        let pre_stop = s.spec.lifecycle.as_ref().and_then(|l| l.pre_stop.clone());
        let obj = rt.container_ref(slot);
        let node = rt.node.clone();
        let (ns, pod) = (rt.namespace.clone(), rt.name.clone());
        self.recorder.record(&mut self.api, now, &kubelet_source(&node), &obj, "Normal", "Killing", message);
        self.logs.trace.push(Trace::Killing {
            at: now,
            namespace: ns,
            pod,
            container,
            reason: message.to_string(),
            grace_seconds: grace,
        });
        let mut hook_time: Millis = 0;
        if let (Some(handler), true) = (pre_stop, grace > 0) {
            let (ok, took) = self.run_hook(id, slot, &handler, grace as Millis * SECOND);
            hook_time = took.min(grace as Millis * SECOND);
            if !ok {
                self.recorder.record(
                    &mut self.api,
                    now,
                    &kubelet_source(&node),
                    &obj,
                    "Warning",
                    "FailedPreStopHook",
                    "PreStopHook failed",
                );
            }
            grace -= (hook_time / SECOND) as i64;
        }
        let grace = stop_grace(grace);
        let term_at = now + hook_time;
        plan.kills.push(KillJob { slot, serial, term_at, kill_at: term_at + grace, termed: false });
    }

    /// Runs a lifecycle handler in a container; returns (succeeded, how long it took).
    pub(super) fn run_hook(
        &mut self,
        id: PodId,
        slot: usize,
        handler: &LifecycleHandler,
        limit: Millis,
    ) -> (bool, Millis) {
        let now = self.now;
        if let Some(exec) = &handler.exec {
            // The hook's command runs in the pod's network namespace, like any exec.
            let argv = exec.command.clone().unwrap_or_default();
            let r = self.with_pod_net(id, slot, |inst, net| {
                inst.exit.is_none().then(|| inst.proc.exec_in(&argv, now, Some(limit), net))
            });
            let Some(Some(r)) = r else { return (false, 0) };
            self.after_container_touched(id, slot);
            return (r.exit_code == 0 && !r.timed_out, r.duration);
        }
        let Some(rt) = self.pods.get_mut(id) else { return (false, 0) };
        let ports = rt.slots[slot].spec.ports.clone().unwrap_or_default();
        let Some(inst) = rt.slots[slot].running_mut() else { return (false, 0) };
        let result = if let Some(sleep) = &handler.sleep {
            (true, sleep.seconds.max(0) as Millis * SECOND)
        } else if let Some(http) = &handler.http_get {
            match resolve_port(&http.port, &ports) {
                Some(port) => {
                    let req = crate::container::HttpRequest {
                        port,
                        path: http.path.clone().unwrap_or_else(|| "/".into()),
                        headers: Vec::new(),
                        scheme: http.scheme.clone().unwrap_or_else(|| "HTTP".into()),
                    };
                    match inst.proc.http(&req, now) {
                        crate::container::HttpOutcome::Response { status, latency, .. } => {
                            (status < 400, latency)
                        }
                        _ => (false, 0),
                    }
                }
                None => (false, 0),
            }
        } else if let Some(tcp) = &handler.tcp_socket {
            match resolve_port(&tcp.port, &ports) {
                Some(port) => {
                    (inst.proc.tcp_connect(port, now) == crate::container::TcpOutcome::Connected, 0)
                }
                None => (false, 0),
            }
        } else {
            (false, 0)
        };
        self.after_container_touched(id, slot);
        result
    }

    /// Carries a sync forward until it blocks or finishes.
    pub(super) fn resume(&mut self, id: PodId, mut plan: Plan) {
        let now = self.now;
        // Kills: deliver due signals, then wait until every job's container has exited.
        let mut waiting_until: Option<Millis> = None;
        for job in plan.kills.iter_mut() {
            let alive = {
                let Some(rt) = self.pods.get(id) else { return };
                rt.slots[job.slot].latest().is_some_and(|i| i.serial == job.serial && i.exit.is_none())
            };
            if !alive {
                continue;
            }
            if !job.termed && now >= job.term_at {
                job.termed = true;
                let Some(rt) = self.pods.get_mut(id) else { return };
                let sent = rt.slots[job.slot].running_mut().map(|inst| {
                    let sig = inst.proc.stop_signal();
                    inst.proc.signal(sig, now);
                    sig.number()
                });
                if let Some(number) = sent {
                    self.note_signal(id, job.slot, number);
                }
                self.after_container_touched(id, job.slot);
            } else if job.termed && now >= job.kill_at {
                let Some(rt) = self.pods.get_mut(id) else { return };
                let sent = rt.slots[job.slot].running_mut().map(|inst| inst.proc.signal(Signal::Kill, now));
                if sent.is_some() {
                    self.note_signal(id, job.slot, Signal::Kill.number());
                }
                self.after_container_touched(id, job.slot);
            }
            let Some(rt) = self.pods.get(id) else { return };
            let still =
                rt.slots[job.slot].latest().is_some_and(|i| i.serial == job.serial && i.exit.is_none());
            if still {
                let next = if job.termed { job.kill_at } else { job.term_at };
                waiting_until = Some(waiting_until.map_or(next, |w: Millis| w.min(next)));
            }
        }
        if let Some(until) = waiting_until {
            self.block(id, plan, until);
            return;
        }
        plan.kills.clear();
        if let Some(until) = plan.hook_until {
            if now < until {
                self.block(id, plan, until);
                return;
            }
            plan.hook_until = None;
        }
        if plan.terminate {
            self.finish_termination(id);
            return;
        }
        while !plan.starts.is_empty() {
            let slot = plan.starts.remove(0);
            if let Some(hook_until) = self.try_start(id, slot, &mut plan) {
                plan.hook_until = Some(hook_until);
                if hook_until > now {
                    self.block(id, plan, hook_until);
                    return;
                }
                plan.hook_until = None;
            }
        }
        self.finish_sync(id, plan);
    }

    fn block(&mut self, id: PodId, plan: Plan, until: Millis) {
        let op = plan.op;
        let Some(rt) = self.pods.get_mut(id) else { return };
        rt.plan = Some(plan);
        self.queue.push(until, Ev::Continue { pod: id, op });
    }

    /// Resumes a blocked sync when its deadline passes or an awaited container exits.
    pub(crate) fn continue_blocked(&mut self, id: PodId, op: u64) {
        let Some(rt) = self.pods.get_mut(id) else { return };
        if rt.plan.as_ref().is_none_or(|p| p.op != op) {
            return;
        }
        if let Some(plan) = rt.plan.take() {
            self.resume(id, plan);
        }
    }
}
