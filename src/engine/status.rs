//! API status generation (`pkg/kubelet/kubelet_pods.go` convertToAPIContainerStatuses, `pkg/kubelet/prober/prober_manager.go` UpdatePodStatus, `pkg/kubelet/kubelet_pods.go` generateAPIPodStatus): what the kubelet's status manager writes for a pod, built
//! from the runtime snapshot, the probe result caches and the reason cache of the previous sync.

use k8s_openapi::api::core::v1::{
    ContainerState, ContainerStateRunning, ContainerStateTerminated, ContainerStateWaiting, ContainerStatus,
    HostIP, PodCondition, PodIP, PodStatus,
};

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

use super::qos::qos_class;
use super::runtime::{ExitReason, Instance, PodRuntime, Published, RestartPolicy, SlotKind};
use super::worker::ProbeValue;
use super::{PodId, ProbeKind, World};
use crate::api::timestamp;
use crate::duration::Millis;
use crate::fnv::fnv64;

impl World {
    /// Generates the pod's API status and hands it to the API when it changed. Skipped entirely when
    /// nothing status depends on moved since the last generation, which keeps periodic resyncs of
    /// healthy pods nearly free.
    pub(crate) fn generate_status(&mut self, id: PodId) {
        let now = self.now;
        let Some(rt) = self.pods.get_mut(id) else { return };
        if rt.version == rt.generated_version {
            return;
        }
        rt.generated_version = rt.version;
        let Some(rt) = self.pods.get(id) else { return };
        let key = rt.key.clone();
        let prev = self.api.pods.get(&key).and_then(|p| p.status.clone()).unwrap_or_default();
        let host_ip = self.api.node_ip(&rt.node).unwrap_or_default();
        let status = build_status(rt, &prev, &host_ip, now);
        let Some(rt) = self.pods.get_mut(id) else { return };
        publish(rt, &status);
        self.set_pod_status_noted(&key, status);
    }
}

/// Records in the runtime what a status says, for the probe workers (see `Slot::published`).
pub(crate) fn publish(rt: &mut PodRuntime, status: &PodStatus) {
    rt.status_published = true;
    rt.published_terminal = Phase::terminal_of(status.phase.as_deref()).is_some();
    let all =
        status.container_statuses.iter().flatten().chain(status.init_container_statuses.iter().flatten());
    for cs in all {
        let Some(slot) = rt.slot_index(&cs.name) else { continue };
        let id = cs.container_id.as_deref().map(|c| c.strip_prefix("containerd://").unwrap_or(c));
        let serial = id.and_then(|id| rt.slots[slot].instances.iter().find(|i| i.id == id).map(|i| i.serial));
        rt.slots[slot].published = serial.map(|serial| Published {
            serial,
            running: cs.state.as_ref().is_some_and(|s| s.running.is_some()),
            terminated: cs.state.as_ref().is_some_and(|s| s.terminated.is_some()),
            started: cs.started == Some(true),
        });
    }
}

/// Normalises an image reference the way the runtime reports it (`busybox` →
/// `docker.io/library/busybox:latest`).
pub(crate) fn normalized_image(image: &str) -> String {
    let (name, has_tag) = match image.rsplit_once('/') {
        Some((_, last)) => (image.to_string(), last.contains(':') || last.contains('@')),
        None => (image.to_string(), image.contains(':') || image.contains('@')),
    };
    let first = name.split('/').next().unwrap_or("");
    let qualified = if !name.contains('/') {
        format!("docker.io/library/{name}")
    } else if first.contains('.') || first.contains(':') || first == "localhost" {
        name
    } else {
        format!("docker.io/{name}")
    };
    if has_tag {
        qualified
    } else {
        format!("{qualified}:latest")
    }
}

fn image_id(image: &str) -> String {
    let norm = normalized_image(image);
    let repo = norm.rsplit_once(':').filter(|(_, t)| !t.contains('/')).map_or(norm.as_str(), |(r, _)| r);
    let h1 = fnv64(norm.as_bytes());
    let h2 = fnv64(format!("{h1:x}").as_bytes());
    let h3 = fnv64(format!("{h2:x}").as_bytes());
    let h4 = fnv64(format!("{h3:x}").as_bytes());
    format!("{repo}@sha256:{h1:016x}{h2:016x}{h3:016x}{h4:016x}")
}

/// The terminated state of an instance that has exited.
fn terminated(inst: &Instance, (code, finished, reason): &(i32, Millis, ExitReason)) -> ContainerState {
    ContainerState {
        terminated: Some(ContainerStateTerminated {
            exit_code: *code,
            reason: Some(reason.as_str().to_string()),
            // A start error is the message containerd stores; otherwise the kubelet's termination
            // message (`engine/termination.rs`).
            message: inst.start_error.clone().or_else(|| inst.termination_message.clone()),
            // containerd never sets a start time for a process that did not start, and the
            // kubelet turns the zero value into the Unix epoch (`pkg/kubelet/kuberuntime/kuberuntime_container.go`
            // toKubeContainerStatus).
            started_at: Some(match inst.start_error {
                Some(_) => Time(k8s_openapi::jiff::Timestamp::UNIX_EPOCH),
                None => timestamp(inst.started_at),
            }),
            finished_at: Some(timestamp(*finished)),
            container_id: Some(format!("containerd://{}", inst.id)),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn cached(rt: &PodRuntime, slot: usize, kind: ProbeKind, serial: u64) -> Option<Option<ProbeValue>> {
    let w = rt
        .workers
        .iter()
        .find(|w| w.slot == slot && w.kind == kind && !(w.stopped && kind != ProbeKind::Readiness))?;
    Some(if w.container_serial == Some(serial) { w.cached } else { None })
}

fn has_worker(rt: &PodRuntime, slot: usize, kind: ProbeKind) -> bool {
    rt.workers.iter().any(|w| w.slot == slot && w.kind == kind)
}

fn container_status(rt: &PodRuntime, slot: usize) -> ContainerStatus {
    let s = &rt.slots[slot];
    let image = s.spec.image.clone().unwrap_or_default();
    let has_init = rt.slots.iter().any(|s| s.kind != SlotKind::Regular);
    let mut cs = ContainerStatus {
        name: s.name.to_string(),
        image: normalized_image(&image),
        image_id: String::new(),
        restart_count: 0,
        ready: false,
        started: Some(false),
        ..Default::default()
    };
    let Some(newest) = s.instances.last() else {
        let reason = if has_init { "PodInitializing" } else { "ContainerCreating" };
        // A container that never got an instance is one to start; a failed attempt (an image
        // that could not be pulled) is in the reason cache and replaces the default waiting state
        // (`pkg/kubelet/kubelet_pods.go` convertToAPIContainerStatuses).
        let (reason, message) = match rt.reasons.get(&slot).filter(|_| !rt.deleting) {
            Some((r, m)) => (r.as_str().to_string(), Some(m.clone())),
            None => (reason.to_string(), None),
        };
        cs.state = Some(ContainerState {
            waiting: Some(ContainerStateWaiting { reason: Some(reason), message }),
            ..Default::default()
        });
        // Without a runtime status the kubelet reports the image as the spec writes it.
        cs.image = image;
        return cs;
    };
    cs.image_id = image_id(&image);
    cs.container_id = Some(format!("containerd://{}", newest.id));
    cs.restart_count = newest.restart_count;
    let previous = if s.instances.len() >= 2 { s.instances.get(s.instances.len() - 2) } else { None };
    match &newest.exit {
        None => {
            cs.state = Some(ContainerState {
                running: Some(ContainerStateRunning { started_at: Some(timestamp(newest.started_at)) }),
                ..Default::default()
            });
            cs.last_state = previous.and_then(|p| p.exit.as_ref().map(|e| terminated(p, e)));
            let started = match cached(rt, slot, ProbeKind::Startup, newest.serial) {
                Some(v) => v == Some(ProbeValue::Success),
                None => !has_worker(rt, slot, ProbeKind::Startup) || rt.deleting,
            };
            cs.started = Some(started);
            if started && s.kind != SlotKind::Init {
                cs.ready = match cached(rt, slot, ProbeKind::Readiness, newest.serial) {
                    Some(v) => v == Some(ProbeValue::Success),
                    None => !has_worker(rt, slot, ProbeKind::Readiness),
                };
            }
        }
        Some(exit @ (code, _, _)) => {
            let restart = rt.should_restart(slot);
            match rt.reasons.get(&slot).filter(|_| restart) {
                Some((reason, message)) => {
                    cs.state = Some(ContainerState {
                        waiting: Some(ContainerStateWaiting {
                            reason: Some(reason.as_str().to_string()),
                            message: Some(message.clone()),
                        }),
                        ..Default::default()
                    });
                    cs.last_state = Some(terminated(newest, exit));
                }
                None => {
                    cs.state = Some(terminated(newest, exit));
                    cs.last_state = previous.and_then(|p| p.exit.as_ref().map(|e| terminated(p, e)));
                }
            }
            if s.kind == SlotKind::Init {
                cs.ready = *code == 0;
            }
        }
    }
    if s.kind == SlotKind::Init && cs.ready {
        cs.started = Some(false);
    }
    cs
}

/// A pod's phase (`pkg/apis/core/types.go` PodPhase); the kubelet never writes `Unknown`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Pending,
    Running,
    Succeeded,
    Failed,
}

impl Phase {
    fn as_str(self) -> &'static str {
        match self {
            Phase::Pending => "Pending",
            Phase::Running => "Running",
            Phase::Succeeded => "Succeeded",
            Phase::Failed => "Failed",
        }
    }

    /// A terminal phase read back from a status the kubelet wrote; a terminal phase never changes.
    fn terminal_of(text: Option<&str>) -> Option<Phase> {
        match text {
            Some("Succeeded") => Some(Phase::Succeeded),
            Some("Failed") => Some(Phase::Failed),
            _ => None,
        }
    }
}

/// `getPhase` (`pkg/kubelet/kubelet_pods.go`) from the built container statuses.
fn phase(
    rt: &PodRuntime,
    init: &[ContainerStatus],
    regular: &[ContainerStatus],
    prev_phase: Option<&str>,
) -> Phase {
    if let Some(p) = Phase::terminal_of(prev_phase) {
        return p;
    }
    let policy = rt.restart_policy;
    let mut pending_init = 0;
    let mut failed_init = 0;
    for (cs, slot) in init.iter().zip(rt.slots.iter().filter(|s| s.kind != SlotKind::Regular)) {
        let st = cs.state.as_ref();
        let last_failed =
            cs.last_state.as_ref().and_then(|l| l.terminated.as_ref()).is_some_and(|t| t.exit_code != 0);
        if slot.kind == SlotKind::Sidecar {
            if st.is_some_and(|s| s.running.is_some()) {
                if cs.started != Some(true) {
                    pending_init += 1;
                }
            } else if st.is_some_and(|s| s.waiting.is_some()) && cs.last_state.is_none() {
                pending_init += 1;
            }
            continue;
        }
        match st {
            Some(s) if s.terminated.as_ref().is_some_and(|t| t.exit_code == 0) => {}
            Some(s) if s.terminated.is_some() => failed_init += 1,
            Some(s) if s.waiting.is_some() && last_failed => failed_init += 1,
            _ => pending_init += 1,
        }
    }
    let (mut running, mut waiting, mut stopped, mut succeeded) = (0, 0, 0, 0);
    for cs in regular {
        let st = cs.state.as_ref();
        if st.is_some_and(|s| s.running.is_some()) {
            running += 1;
        } else if let Some(t) = st.and_then(|s| s.terminated.as_ref()) {
            stopped += 1;
            if t.exit_code == 0 {
                succeeded += 1;
            }
        } else if st.is_some_and(|s| s.waiting.is_some()) {
            if let Some(t) = cs.last_state.as_ref().and_then(|l| l.terminated.as_ref()) {
                stopped += 1;
                if t.exit_code == 0 {
                    succeeded += 1;
                }
            } else {
                waiting += 1;
            }
        }
    }
    let regular_started = rt.slots.iter().any(|s| s.kind == SlotKind::Regular && !s.instances.is_empty());
    if failed_init > 0 && policy == RestartPolicy::Never {
        return Phase::Failed;
    }
    if (pending_init > 0 && !regular_started) || waiting > 0 || (failed_init > 0 && !regular_started) {
        return Phase::Pending;
    }
    if running > 0 {
        return Phase::Running;
    }
    if stopped > 0 {
        if rt.terminal {
            return if stopped == succeeded { Phase::Succeeded } else { Phase::Failed };
        }
        return match policy {
            RestartPolicy::Always => Phase::Running,
            _ if stopped == succeeded => Phase::Succeeded,
            RestartPolicy::Never => Phase::Failed,
            RestartPolicy::OnFailure => Phase::Running,
        };
    }
    Phase::Pending
}

fn condition(
    type_: &str,
    ok: bool,
    reason: Option<String>,
    message: Option<String>,
    prev: &PodStatus,
    now: Millis,
) -> PodCondition {
    let status = if ok { "True" } else { "False" }.to_string();
    let prev_c = prev.conditions.iter().flatten().find(|c| c.type_ == type_);
    let transition = match prev_c {
        Some(c) if c.status == status => c.last_transition_time.clone(),
        _ => Some(timestamp(now)),
    };
    PodCondition {
        type_: type_.to_string(),
        status,
        reason,
        message,
        last_transition_time: transition,
        last_probe_time: None,
        observed_generation: None,
    }
}

/// The ContainersReady condition's verdict and message (`pkg/kubelet/status/generate.go`) from container statuses.
fn containers_ready(
    init: &[ContainerStatus],
    regular: &[ContainerStatus],
    sidecar_names: &[String],
) -> (bool, Option<String>) {
    let unready: Vec<&str> = init
        .iter()
        .filter(|c| sidecar_names.contains(&c.name))
        .chain(regular.iter())
        .filter(|c| !c.ready)
        .map(|c| c.name.as_str())
        .collect();
    if unready.is_empty() {
        (true, None)
    } else {
        (false, Some(format!("containers with unready status: [{}]", unready.join(" "))))
    }
}

fn build_status(rt: &PodRuntime, prev: &PodStatus, host_ip: &str, now: Millis) -> PodStatus {
    let mut init = Vec::new();
    let mut regular = Vec::new();
    let mut sidecars = Vec::new();
    for (i, s) in rt.slots.iter().enumerate() {
        let cs = container_status(rt, i);
        match s.kind {
            SlotKind::Regular => regular.push(cs),
            SlotKind::Sidecar => {
                sidecars.push(s.name.to_string());
                init.push(cs)
            }
            SlotKind::Init => init.push(cs),
        }
    }
    let phase = phase(rt, &init, &regular, prev.phase.as_deref());
    let regular_started = rt.slots.iter().any(|s| s.kind == SlotKind::Regular && !s.instances.is_empty());
    let incomplete: Vec<&str> = init
        .iter()
        .zip(rt.slots.iter().filter(|s| s.kind != SlotKind::Regular))
        .filter(|(cs, s)| if s.kind == SlotKind::Sidecar { cs.started != Some(true) } else { !cs.ready })
        .map(|(cs, _)| cs.name.as_str())
        .collect();
    let initialized = incomplete.is_empty() || regular_started || phase == Phase::Succeeded;
    let mut conditions = vec![condition(
        "PodReadyToStartContainers",
        // The sandbox, and with it the pod's IP, exists once the volumes are mounted.
        (!rt.ip.is_empty() && rt.start_time.is_some_and(|t| t < now))
            || rt.slots.iter().any(|s| !s.instances.is_empty()),
        None,
        None,
        prev,
        now,
    )];
    conditions.push(if phase == Phase::Succeeded {
        condition("Initialized", true, Some("PodCompleted".into()), None, prev, now)
    } else if initialized {
        condition("Initialized", true, None, None, prev, now)
    } else {
        condition(
            "Initialized",
            false,
            Some("ContainersNotInitialized".into()),
            Some(format!("containers with incomplete status: [{}]", incomplete.join(" "))),
            prev,
            now,
        )
    });
    let (ready, msg) = containers_ready(&init, &regular, &sidecars);
    let (cr_reason, ready) = match phase {
        Phase::Succeeded => (Some("PodCompleted".to_string()), false),
        Phase::Failed => (Some("PodFailed".to_string()), false),
        _ if ready => (None, true),
        _ => (Some("ContainersNotReady".to_string()), false),
    };
    let msg = if ready { None } else { msg };
    conditions.push(condition("Ready", ready, cr_reason.clone(), msg.clone(), prev, now));
    conditions.push(condition("ContainersReady", ready, cr_reason, msg, prev, now));
    conditions.push(condition("PodScheduled", true, None, None, prev, now));
    let qos = qos_class(rt.slots.iter().map(|s| &s.spec)).to_string();
    PodStatus {
        phase: Some(phase.as_str().to_string()),
        conditions: Some(conditions),
        host_ip: Some(host_ip.to_string()).filter(|s| !s.is_empty()),
        host_ips: Some(vec![HostIP { ip: host_ip.to_string() }]).filter(|_| !host_ip.is_empty()),
        pod_ip: Some(rt.ip.clone()).filter(|s| !s.is_empty()),
        pod_ips: Some(vec![PodIP { ip: rt.ip.clone() }]).filter(|_| !rt.ip.is_empty()),
        start_time: rt.start_time.map(timestamp),
        init_container_statuses: Some(init).filter(|v| !v.is_empty()),
        container_statuses: Some(regular),
        qos_class: Some(qos),
        ..Default::default()
    }
}

/// Recomputes Ready and ContainersReady after a container's ready flag changed outside a sync.
pub(crate) fn refresh_ready_conditions(status: &mut PodStatus, now: Millis) {
    let prev = status.clone();
    let regular = status.container_statuses.clone().unwrap_or_default();
    // Sidecars are the init containers that run alongside (they have a `started` flag set while running).
    let init: Vec<ContainerStatus> = status.init_container_statuses.clone().unwrap_or_default();
    let sidecars: Vec<String> = init
        .iter()
        .filter(|c| c.state.as_ref().is_some_and(|s| s.running.is_some()))
        .map(|c| c.name.clone())
        .collect();
    let (ready, msg) = containers_ready(&init, &regular, &sidecars);
    let reason = if ready { None } else { Some("ContainersNotReady".to_string()) };
    if Phase::terminal_of(status.phase.as_deref()).is_some() {
        return;
    }
    if let Some(conds) = status.conditions.as_mut() {
        for c in conds.iter_mut() {
            if c.type_ == "Ready" || c.type_ == "ContainersReady" {
                *c = condition(&c.type_.clone(), ready, reason.clone(), msg.clone(), &prev, now);
            }
        }
    }
}
