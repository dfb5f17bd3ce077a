//! Which containers a sync kills and which it starts (`pkg/kubelet/kuberuntime/kuberuntime_manager.go`
//! computePodActions, `pkg/kubelet/kuberuntime/kuberuntime_container.go` computeInitContainerActions).

use super::super::runtime::{Plan, PodRuntime, RestartPolicy, SlotKind};
use super::super::worker::ProbeValue;
use super::super::ProbeKind;

/// `pkg/kubelet/kuberuntime/kuberuntime_manager.go` computePodActions and `pkg/kubelet/kuberuntime/kuberuntime_container.go` computeInitContainerActions: which containers to kill and which to start in this sync.
pub(super) fn compute_actions(
    rt: &mut PodRuntime,
    kills: &mut Vec<(usize, String, Option<ProbeKind>)>,
    plan: &mut Plan,
) {
    let policy = rt.restart_policy;
    let restart_suffix = |kind: SlotKind| {
        if policy != RestartPolicy::Never || kind == SlotKind::Sidecar {
            ", will be restarted"
        } else {
            ""
        }
    };
    let regular_started = rt.slots.iter().any(|s| s.kind == SlotKind::Regular && !s.instances.is_empty());
    // Init containers run one at a time; sidecars keep running and are restarted when they stop.
    let mut init_done = true;
    for i in 0..rt.slots.len() {
        let kind = rt.slots[i].kind;
        if kind == SlotKind::Regular {
            continue;
        }
        if kind == SlotKind::Init && regular_started {
            continue;
        }
        let s = &rt.slots[i];
        match s.latest() {
            None => {
                plan.starts.push(i);
                init_done = false;
                break;
            }
            Some(inst) if inst.exit.is_none() => {
                if kind == SlotKind::Init {
                    init_done = false;
                    break;
                }
                if let Some(msg) = probe_kill(rt, i, "Init container") {
                    kills.push((i, format!("{}{}", msg.0, restart_suffix(kind)), Some(msg.1)));
                    plan.starts.push(i);
                    init_done = false;
                    break;
                }
                if !sidecar_started(rt, i) {
                    init_done = false;
                    break;
                }
            }
            Some(inst) => {
                let code = inst.exit.as_ref().map_or(0, |e| e.0);
                if kind == SlotKind::Init && code == 0 {
                    continue;
                }
                if rt.should_restart(i) {
                    plan.starts.push(i);
                }
                init_done = false;
                break;
            }
        }
    }
    if !init_done {
        return;
    }
    for i in 0..rt.slots.len() {
        let s = &rt.slots[i];
        if s.kind == SlotKind::Regular {
            match s.latest() {
                Some(inst) if inst.exit.is_none() && inst.hash != s.hash => {
                    // A changed definition (on a live pod, only its image can change) restarts
                    // the container whatever the restart policy says (computePodActions).
                    kills.push((
                        i,
                        format!("Container {} definition changed, will be restarted", s.name),
                        None,
                    ));
                    plan.starts.push(i);
                }
                Some(inst) if inst.exit.is_none() => {
                    if let Some((msg, cause)) = probe_kill(rt, i, "Container") {
                        let restart = policy != RestartPolicy::Never;
                        kills.push((i, format!("{msg}{}", restart_suffix(SlotKind::Regular)), Some(cause)));
                        if restart {
                            plan.starts.push(i);
                        }
                    }
                }
                _ => {
                    if rt.should_restart(i) {
                        plan.starts.push(i);
                    }
                }
            }
        } else if s.kind == SlotKind::Sidecar && !s.is_running() && rt.should_restart(i) {
            plan.starts.insert(0, i);
        }
    }
}

/// Whether a running container must be killed for a failed liveness or startup probe; returns the
/// Killing message (without the restart suffix) and its cause.
fn probe_kill(rt: &PodRuntime, slot: usize, noun: &str) -> Option<(String, ProbeKind)> {
    let s = &rt.slots[slot];
    let inst = s.latest()?;
    for kind in [ProbeKind::Liveness, ProbeKind::Startup] {
        let failed = rt.workers.iter().any(|w| {
            w.slot == slot
                && w.kind == kind
                && w.container_serial == Some(inst.serial)
                && w.cached == Some(ProbeValue::Failure)
        });
        if failed {
            return Some((format!("{noun} {} failed {} probe", s.name, kind.as_str()), kind));
        }
    }
    None
}

/// A sidecar counts as started once running and past its startup probe (or without one).
fn sidecar_started(rt: &PodRuntime, slot: usize) -> bool {
    let s = &rt.slots[slot];
    let Some(inst) = s.latest().filter(|i| i.exit.is_none()) else { return false };
    match rt.workers.iter().find(|w| w.slot == slot && w.kind == ProbeKind::Startup) {
        None => true,
        Some(w) => w.container_serial == Some(inst.serial) && w.cached == Some(ProbeValue::Success),
    }
}
