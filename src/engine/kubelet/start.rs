//! Starting containers: the CrashLoopBackOff check first (`pkg/kubelet/kuberuntime/kuberuntime_manager.go`
//! doBackOff), then a new instance with its pull, create and start events, then its postStart hook
//! (`pkg/kubelet/kuberuntime/kuberuntime_container.go` startContainer).

use super::super::containers::PLEG_DELAY;
use super::super::runtime::{mounts, Backoff, Instance, Plan, PullPolicy, WaitingReason};
use super::super::{PodId, Trace, World};
use super::kubelet_source;
use crate::container::{Container, ContainerConfig, PortDecl, Signal};
use crate::duration::{go_duration, Millis, SECOND};
use crate::fnv::fnv64;
use crate::manifest::KubeVersion;

/// Back-off parameters (`pkg/kubelet/kuberuntime/kuberuntime_manager.go` doBackOff): initial 10 s, doubling, capped at 300 s; an entry expires when the last
/// exit is more than 600 s after its last update.
const BACKOFF_INITIAL: Millis = 10 * SECOND;
const BACKOFF_MAX: Millis = 300 * SECOND;
const BACKOFF_EXPIRY: Millis = 600 * SECOND;

impl World {
    /// the sync must wait for.
    pub(super) fn try_start(&mut self, id: PodId, slot: usize, plan: &mut Plan) -> Option<Millis> {
        let now = self.now;
        let rt = self.pods.get_mut(id)?;
        let hash = rt.slots[slot].hash;
        let name = rt.slots[slot].name.clone();
        if let Some(ts) = plan.exited_at_start[slot] {
            let key = (slot, hash);
            let entry =
                rt.backoff.get(&key).copied().filter(|e| ts.saturating_sub(e.last_update) <= BACKOFF_EXPIRY);
            if let Some(e) = entry {
                if now.saturating_sub(ts) < e.backoff {
                    let msg = format!(
                        "back-off {} restarting failed container={} pod={}_{}({})",
                        go_duration(e.backoff),
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
                    let until = ts + e.backoff;
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
                        backoff: e.backoff,
                        until,
                    });
                    return None;
                }
                let next = (e.backoff * 2).min(BACKOFF_MAX);
                rt.backoff.insert(key, Backoff { backoff: next, last_update: now });
            } else {
                rt.backoff.insert(key, Backoff { backoff: BACKOFF_INITIAL, last_update: now });
            }
        }
        self.start_container(id, slot)
    }

    /// Creates and starts a new instance with its pull/create/start events, then its postStart hook.
    fn start_container(&mut self, id: PodId, slot: usize) -> Option<Millis> {
        let now = self.now;
        let version = self.version;
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
        let env =
            spec.env.iter().flatten().filter_map(|e| e.value.clone().map(|v| (e.name.clone(), v))).collect();
        let ports = spec
            .ports
            .iter()
            .flatten()
            .map(|p| PortDecl {
                name: p.name.clone(),
                port: p.container_port.clamp(0, 65535) as u16,
                protocol: p.protocol.clone().unwrap_or_else(|| "TCP".into()),
            })
            .collect();
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
        };
        let proc = self.start_in_pod(id, &config);
        let rt = self.pods.get_mut(id)?;
        let s = &rt.slots[slot];
        let name = s.name.clone();
        let obj = rt.container_ref(slot);
        let node = rt.node.clone();
        let source = kubelet_source(&node);
        let pull = PullPolicy::of(&spec);
        let inst =
            Instance { id: cid, restart_count, proc, started_at: now, exit: None, wake_at: None, serial };
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
        if pull == PullPolicy::Always {
            self.recorder.record(
                &mut self.api,
                now,
                &source,
                &obj,
                "Normal",
                "Pulling",
                &format!("Pulling image \"{image}\""),
            );
            let size = Container::image_size(&image);
            self.recorder.record(
                &mut self.api,
                now,
                &source,
                &obj,
                "Normal",
                "Pulled",
                &format!("Successfully pulled image \"{image}\" in 0s (0s including waiting). Image size: {size} bytes."),
            );
        } else {
            self.recorder.record(
                &mut self.api,
                now,
                &source,
                &obj,
                "Normal",
                "Pulled",
                &format!("Container image \"{image}\" already present on machine"),
            );
        }
        let (created, started) = match version {
            KubeVersion::V1_34 => (format!("Created container: {name}"), format!("Started container {name}")),
            KubeVersion::V1_35 => ("Container created".to_string(), "Container started".to_string()),
        };
        self.recorder.record(&mut self.api, now, &source, &obj, "Normal", "Created", &created);
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
