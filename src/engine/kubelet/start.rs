//! Starting containers: the CrashLoopBackOff check first (`pkg/kubelet/kuberuntime/kuberuntime_manager.go`
//! doBackOff), then a new instance with its pull, create and start events, then its postStart hook
//! (`pkg/kubelet/kuberuntime/kuberuntime_container.go` startContainer).

use super::super::config::environment;
use super::super::containers::PLEG_DELAY;
use super::super::runtime::{mounts, ExitReason, Instance, Plan, WaitingReason};
use super::super::timing::{backoff_check, BackoffCheck};
use super::super::{PodId, Trace, World};
use super::kubelet_source;
use crate::container::{ContainerConfig, PortDecl, Signal};
use crate::duration::{go_duration, Millis};
use crate::fnv::fnv64;
use crate::manifest::KubeVersion;

impl World {
    /// the sync must wait for.
    pub(super) fn try_start(&mut self, id: PodId, slot: usize, plan: &mut Plan) -> Option<Millis> {
        let now = self.now;
        // The start was waiting for its image: the pull is done, the container is created.
        if let Some((pulling, asked, queued)) = plan.pulling {
            if pulling == slot {
                plan.pulling = None;
                self.finish_pull(id, slot, asked, queued);
                return self.start_container(id, slot, plan);
            }
        }
        let rt = self.pods.get_mut(id)?;
        let hash = rt.slots[slot].hash;
        let name = rt.slots[slot].name.clone();
        if let Some(ts) = plan.exited_at_start[slot] {
            let key = (slot, hash);
            match backoff_check(rt.backoff.get(&key).copied(), ts, now) {
                BackoffCheck::Wait { backoff } => {
                    let msg = format!(
                        "back-off {} restarting failed container={} pod={}_{}({})",
                        go_duration(backoff),
                        name,
                        rt.name,
                        rt.namespace,
                        rt.uid
                    );
                    let event = format!(
                        "Back-off restarting failed container {} in pod {}_{}({})",
                        name, rt.name, rt.namespace, rt.uid
                    );
                    if rt.reasons.get(&slot).is_none_or(|r| r.1 != msg) {
                        rt.version += 1;
                    }
                    rt.reasons.insert(slot, (WaitingReason::CrashLoopBackOff, msg));
                    plan.error = true;
                    let until = ts + backoff;
                    plan.backoff_until = Some(plan.backoff_until.map_or(until, |u| u.min(until)));
                    let obj = rt.container_ref(slot);
                    let node = rt.node.clone();
                    let (ns, pod) = (rt.namespace.clone(), rt.name.clone());
                    self.recorder.record(
                        &mut self.api,
                        now,
                        &kubelet_source(&node),
                        &obj,
                        "Warning",
                        "BackOff",
                        &event,
                    );
                    self.logs.trace.push(Trace::BackOff {
                        at: now,
                        namespace: ns,
                        pod,
                        container: name,
                        backoff,
                        until,
                    });
                    return None;
                }
                BackoffCheck::Start(next) => {
                    rt.backoff.insert(key, next);
                }
            }
        }
        match self.ensure_image(id, slot) {
            Err((reason, message)) => {
                self.start_failed(id, slot, reason, message, &format!("Error: {}", reason.as_str()), plan);
                return None;
            }
            // The pod worker waits inside the pull, as `EnsureImageExists` blocks on the puller.
            Ok(Some(queued)) => {
                plan.pulling = Some((slot, now, queued));
                plan.starts.insert(0, slot);
                return Some(queued.done);
            }
            Ok(None) => {}
        }
        self.start_container(id, slot, plan)
    }

    /// A start that failed before the process ran (`pkg/kubelet/kuberuntime/kuberuntime_container.go`
    /// startContainer): the `Failed` event, and the error kept in the reason cache for the next
    /// status; the sync ends in an error, so it requeues after the error interval.
    fn start_failed(
        &mut self,
        id: PodId,
        slot: usize,
        reason: WaitingReason,
        message: String,
        event: &str,
        plan: &mut Plan,
    ) {
        let now = self.now;
        let Some(rt) = self.pods.get_mut(id) else { return };
        let obj = rt.container_ref(slot);
        let source = kubelet_source(&rt.node);
        if rt.reasons.get(&slot) != Some(&(reason, message.clone())) {
            rt.version += 1;
        }
        rt.reasons.insert(slot, (reason, message));
        plan.error = true;
        self.recorder.record(&mut self.api, now, &source, &obj, "Warning", "Failed", event);
    }

    /// Creates and starts a new instance with its create/start events, then its postStart hook. A
    /// process the runtime cannot start leaves an exited instance and no `Started` event.
    fn start_container(&mut self, id: PodId, slot: usize, plan: &mut Plan) -> Option<Millis> {
        let now = self.now;
        let version = self.version;
        // The container's configuration comes after the image (`startContainer` in
        // pkg/kubelet/kuberuntime/kuberuntime_container.go calls generateContainerConfig after
        // EnsureImageExists): a variable from a missing ConfigMap or Secret fails the start with
        // CreateContainerConfigError, and the sync's error requeue retries it.
        let rt = self.pods.get(id)?;
        let env = match environment(&self.api, &rt.namespace, &rt.slots[slot].spec) {
            Ok(env) => env,
            Err(message) => {
                let event = format!("Error: {message}");
                self.start_failed(id, slot, WaitingReason::CreateContainerConfigError, message, &event, plan);
                return None;
            }
        };
        let rt = self.pods.get_mut(id)?;
        let s = &rt.slots[slot];
        let spec = s.spec.clone();
        let image = spec.image.clone().unwrap_or_default();
        let restart_count = s.latest().map_or(0, |i| i.restart_count + 1);
        let serial = rt.next_serial;
        rt.next_serial += 1;
        let cid = {
            let a = fnv64(format!("{}/{}/{}", rt.uid, s.name, restart_count).as_bytes());
            let b = fnv64(format!("{a:x}{}", rt.uid).as_bytes());
            let c = fnv64(format!("{b:x}{}", s.name).as_bytes());
            let d = fnv64(format!("{c:x}{restart_count}").as_bytes());
            format!("{a:016x}{b:016x}{c:016x}{d:016x}")
        };
        let ports = port_decls(&spec);
        let config = ContainerConfig {
            name: s.name.to_string(),
            image: image.clone(),
            command: spec.command.clone().unwrap_or_default(),
            args: spec.args.clone().unwrap_or_default(),
            env,
            ports,
            pod_ip: rt.ip.clone(),
            hostname: rt.spec.hostname.clone().unwrap_or_else(|| rt.name.to_string()),
            resolv_conf: super::super::network::resolv_conf(&rt.spec, &rt.namespace),
            volumes: mounts(&spec)
                .into_iter()
                .map(|(v, path)| (path, rt.volumes.get(&v).cloned().unwrap_or_default()))
                .collect(),
            files: vec![(super::super::termination::message_path(&spec).to_string(), String::new())],
        };
        let proc = self.start_in_pod(id, &config);
        let rt = self.pods.get_mut(id)?;
        let s = &rt.slots[slot];
        let name = s.name.clone();
        let obj = rt.container_ref(slot);
        let node = rt.node.clone();
        let source = kubelet_source(&node);
        let start_error = proc.start_error();
        let inst = Instance {
            id: cid,
            restart_count,
            proc,
            started_at: now,
            exit: start_error.as_ref().map(|_| (128, now, ExitReason::StartError)),
            wake_at: None,
            termination_message: None,
            serial,
            start_error: start_error.as_ref().map(|(_, status)| status.clone()),
            hash: s.hash,
        };
        let slot_ref = &mut rt.slots[slot];
        slot_ref.instances.push(inst);
        if slot_ref.instances.len() > 2 {
            slot_ref.instances.remove(0);
        }
        if rt.reasons.remove(&slot).is_some() {
            rt.version += 1;
        }
        rt.version += 1;
        let (ns, pod) = (rt.namespace.clone(), rt.name.clone());
        let post_start = spec.lifecycle.as_ref().and_then(|l| l.post_start.clone());
        let (created, started) = match version {
            KubeVersion::V1_34 => (format!("Created container: {name}"), format!("Started container {name}")),
            KubeVersion::V1_35 => ("Container created".to_string(), "Container started".to_string()),
        };
        self.recorder.record(&mut self.api, now, &source, &obj, "Normal", "Created", &created);
        if let Some((cri_error, _)) = start_error {
            // The process never ran: containerd reports the container exited with code 128 and
            // reason StartError, which PLEG notices at its next relist.
            self.logs.trace.push(Trace::Exited {
                at: now,
                namespace: ns,
                pod,
                container: name,
                exit_code: 128,
                reason: ExitReason::StartError.as_str().to_string(),
            });
            self.request_sync(id, now + PLEG_DELAY);
            let event = format!("Error: {cri_error}");
            self.start_failed(id, slot, WaitingReason::RunContainerError, cri_error, &event, plan);
            return None;
        }
        self.recorder.record(&mut self.api, now, &source, &obj, "Normal", "Started", &started);
        self.logs.trace.push(Trace::Started {
            at: now,
            namespace: ns,
            pod,
            container: name.clone(),
            restart_count,
        });
        self.request_sync(id, now + PLEG_DELAY);
        self.after_container_touched(id, slot);
        let handler = post_start?;
        let (ok, took) = self.run_hook(id, slot, &handler, Millis::MAX);
        if !ok {
            self.recorder.record(
                &mut self.api,
                now,
                &source,
                &obj,
                "Warning",
                "FailedPostStartHook",
                "PostStartHook failed",
            );
            let rt = self.pods.get_mut(id)?;
            rt.reasons.insert(slot, (WaitingReason::PostStartHookError, "PostStartHook failed".to_string()));
            rt.version += 1;
            if let Some(inst) = rt.slots[slot].running_mut() {
                inst.proc.signal(Signal::Kill, now + took);
            }
            self.after_container_touched(id, slot);
        }
        Some(now + took)
    }
}

/// The ports a container spec declares, as the runtime is told them (`protocol` defaults to TCP);
/// the probe advisor's throwaway copy of the image declares the same.
pub(crate) fn port_decls(spec: &k8s_openapi::api::core::v1::Container) -> Vec<PortDecl> {
    spec.ports
        .iter()
        .flatten()
        .map(|p| PortDecl {
            name: p.name.clone(),
            port: p.container_port.clamp(0, 65535) as u16,
            protocol: p.protocol.clone().unwrap_or_else(|| "TCP".into()),
        })
        .collect()
}
