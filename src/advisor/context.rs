//! What the advisor knows about one container before it predicts anything: its probes with the
//! API defaults, the pod's grace period and restart policy, and — read from the running
//! simulation — when the current instance started, when each probe worker's ticker was armed, the
//! restart count and the CrashLoopBackOff entry. Without a simulation the reference model's start
//! is assumed: the pod's first sync at 0 creates the workers and starts the container at once.

use k8s_openapi::api::core::v1::{Container, Pod, Probe};

use crate::duration::Millis;
use crate::engine::timing::ProbeTiming;
use crate::engine::worker::ProbeValue;
use crate::engine::{ProbeKind, RestartPolicy, SlotKind, World};
use crate::manifest::KubeVersion;

/// One probe of the container.
#[derive(Clone, Debug)]
pub(crate) struct ProbeCtx {
    pub kind: ProbeKind,
    pub spec: Probe,
    pub timing: ProbeTiming,
    /// When the worker's ticker was created or last re-armed (absolute virtual time).
    pub armed_at: Millis,
    /// The worker's counting state for the current instance, when the simulation has one: whether
    /// its cached result is a success, its last result and the consecutive count.
    pub live: Option<WorkerState>,
}

/// A worker's counting state (`pkg/kubelet/prober/worker.go`: the cached result, `lastResult`,
/// `resultRun`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct WorkerState {
    pub cached_success: bool,
    pub last: Option<bool>,
    pub run: u32,
}

/// The CrashLoopBackOff state of the container, from the kubelet.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct BackoffState {
    /// The entry for the container's current definition, if any.
    pub entry: Option<crate::engine::timing::BackoffEntry>,
    /// When the newest exited instance finished, if one has.
    pub previous_exit: Option<Millis>,
}

/// Everything the predictions start from.
#[derive(Clone, Debug)]
pub(crate) struct Ctx {
    pub namespace: String,
    pub pod: String,
    pub container: Container,
    pub sidecar: bool,
    /// Whether it is the pod's only container (its end then ends the pod).
    pub alone: bool,
    pub pod_grace: Option<i64>,
    pub restart_policy: RestartPolicy,
    pub version: KubeVersion,
    /// The virtual instant of the advice.
    pub now: Millis,
    /// When the current container instance started (absolute).
    pub started_at: Millis,
    /// Whether the simulation has run this container (otherwise everything is assumed).
    pub live: bool,
    pub restart_count: i32,
    pub backoff: BackoffState,
    /// The pod worker's next periodic sync, when the simulation has one queued.
    pub next_sync: Option<Millis>,
    /// Startup, liveness, readiness (those the container has), in that order.
    pub probes: Vec<ProbeCtx>,
}

impl Ctx {
    /// The container's probe of a kind.
    pub fn probe(&self, kind: ProbeKind) -> Option<&ProbeCtx> {
        self.probes.iter().find(|p| p.kind == kind)
    }

    /// Whether a kill for a failed probe is followed by a restart (`pkg/kubelet/kuberuntime/kuberuntime_manager.go`
    /// computePodActions: sidecars always restart; regular containers unless the pod says `Never`).
    pub fn restarts(&self) -> bool {
        self.sidecar || self.restart_policy != RestartPolicy::Never
    }

    /// The context of a container of a pod spec, as the reference model starts it at `at`.
    pub fn assumed(pod: &Pod, container: &str, version: KubeVersion, at: Millis) -> Option<Ctx> {
        let spec = pod.spec.as_ref()?;
        let (c, sidecar) = match spec.containers.iter().find(|c| c.name == container) {
            Some(c) => (c, false),
            None => {
                let c = spec.init_containers.iter().flatten().find(|c| c.name == container)?;
                if c.restart_policy.as_deref() != Some("Always") {
                    return None;
                }
                (c, true)
            }
        };
        let probes = [
            (ProbeKind::Startup, &c.startup_probe),
            (ProbeKind::Liveness, &c.liveness_probe),
            (ProbeKind::Readiness, &c.readiness_probe),
        ]
        .into_iter()
        .filter_map(|(kind, p)| {
            p.as_ref().map(|p| ProbeCtx {
                kind,
                spec: p.clone(),
                timing: ProbeTiming::of(p),
                armed_at: at,
                live: None,
            })
        })
        .collect();
        Some(Ctx {
            namespace: pod.metadata.namespace.clone().unwrap_or_else(|| "default".into()),
            pod: pod.metadata.name.clone().unwrap_or_default(),
            container: c.clone(),
            sidecar,
            alone: spec.containers.len() + spec.init_containers.as_ref().map_or(0, Vec::len) == 1,
            pod_grace: spec.termination_grace_period_seconds,
            restart_policy: RestartPolicy::of(spec),
            version,
            now: at,
            started_at: at,
            live: false,
            restart_count: 0,
            backoff: BackoffState::default(),
            next_sync: None,
            probes,
        })
    }

    /// The context read from a running world: the kubelet's runtime for the pod, when it has one,
    /// replaces the assumptions with what happened.
    pub fn observed(world: &World, pod: &Pod, container: &str) -> Option<Ctx> {
        let mut ctx = Ctx::assumed(pod, container, world.version, world.now)?;
        ctx.now = world.now;
        let key = (ctx.namespace.clone(), ctx.pod.clone());
        let Some(rt) = world.pod_runtime(&key) else { return Some(ctx) };
        let Some(slot) = rt.slot_index(container) else { return Some(ctx) };
        let s = &rt.slots[slot];
        if s.kind == SlotKind::Init {
            return None;
        }
        if let Some(inst) = s.latest() {
            ctx.live = true;
            ctx.started_at = inst.started_at;
            ctx.restart_count = inst.restart_count;
        }
        ctx.next_sync = rt.requeue_at;
        ctx.backoff = BackoffState {
            entry: rt.backoff.get(&(slot, s.hash)).copied(),
            // The instance that runs now is not "exited": the back-off check of its restart looks
            // at the one before it (`pkg/kubelet/kuberuntime/kuberuntime_manager.go` doBackOff).
            previous_exit: s.last_exited(),
        };
        for p in &mut ctx.probes {
            if let Some(w) = rt.workers.iter().find(|w| w.slot == slot && w.kind == p.kind) {
                p.armed_at = w.armed_at;
                let current = s.latest().map(|i| i.serial);
                if current.is_some() && w.container_serial == current {
                    let ok = |v: ProbeValue| v == ProbeValue::Success;
                    p.live = Some(WorkerState {
                        cached_success: w.cached.is_some_and(ok),
                        last: w.last_result.map(ok),
                        run: w.run,
                    });
                }
            }
        }
        Some(ctx)
    }
}
