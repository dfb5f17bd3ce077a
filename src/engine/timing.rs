//! The kubelet's timing rules as small pure functions, so that the engine and the probe advisor
//! (`crate::advisor`) compute every number with the same code: probe defaults, the initial delay,
//! the probe ticker, the grace period of a kill, the CrashLoopBackOff step and the pod worker's
//! requeue. The engine calls these where it acts; the advisor calls them to predict what the
//! engine will do (`/work/shared/kubelet-semantics.md` in the project's shared docs lists the
//! rules, with the upstream files named on each item below).

use k8s_openapi::api::core::v1::{Container, Probe};

use super::runtime::Backoff;
use super::ProbeKind;
use crate::duration::{Millis, SECOND};
use crate::manifest::KubeVersion;

/// PLEG notices container changes one relist later (`pkg/kubelet/pleg/generic.go`, relisting every second).
pub const PLEG_DELAY: Millis = SECOND;

/// Pod worker requeue intervals of the reference model (`pkg/kubelet/pod_workers.go`, jitter off):
/// after a successful sync, and after a sync that ended in an error (a back-off counts as one).
pub const RESYNC: Millis = 60 * SECOND;
pub const ERROR_REQUEUE: Millis = 10 * SECOND;

/// Back-off parameters (`pkg/kubelet/kuberuntime/kuberuntime_manager.go` doBackOff): initial 10 s,
/// doubling, capped at 300 s; an entry expires when the last exit is more than 600 s after its last
/// update.
pub const BACKOFF_INITIAL: Millis = 10 * SECOND;
pub const BACKOFF_MAX: Millis = 300 * SECOND;
pub const BACKOFF_EXPIRY: Millis = 600 * SECOND;

/// The pod's grace period when the spec leaves it out (`pkg/apis/core/v1/defaults.go`), and the
/// floor the kubelet raises every effective grace period to (`pkg/kubelet/kuberuntime/kuberuntime_container.go`
/// killContainer, `minimumGracePeriodInSeconds`).
pub const DEFAULT_GRACE_SECONDS: i64 = 30;
pub const MIN_GRACE_SECONDS: i64 = 2;

/// A probe's numbers with the API defaults applied (`pkg/apis/core/v1/defaults.go`: a 0 or a
/// missing value becomes the default).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProbeTiming {
    pub period: Millis,
    pub timeout: Millis,
    pub delay_seconds: Millis,
    pub success_threshold: u32,
    pub failure_threshold: u32,
}

impl ProbeTiming {
    /// The numbers of a probe spec.
    pub fn of(probe: &Probe) -> ProbeTiming {
        ProbeTiming {
            period: probe.period_seconds.filter(|v| *v > 0).unwrap_or(10) as Millis * SECOND,
            timeout: probe.timeout_seconds.filter(|v| *v > 0).unwrap_or(1) as Millis * SECOND,
            delay_seconds: probe.initial_delay_seconds.unwrap_or(0).max(0) as Millis,
            success_threshold: probe.success_threshold.filter(|v| *v > 0).unwrap_or(1) as u32,
            failure_threshold: probe.failure_threshold.filter(|v| *v > 0).unwrap_or(3) as u32,
        }
    }
}

/// Step 8 of `pkg/kubelet/prober/worker.go` doProbe: a probe runs only once the whole seconds since
/// this container instance started reach `initialDelaySeconds`.
pub fn past_initial_delay(now: Millis, started_at: Millis, delay_seconds: Millis) -> bool {
    now.saturating_sub(started_at) / SECOND >= delay_seconds
}

/// The next tick of a probe worker's ticker that fired (or was armed) at `now`: a Go ticker ticks
/// every period from when it was created or reset (`pkg/kubelet/prober/worker.go` run).
pub fn next_tick(now: Millis, period: Millis) -> Millis {
    now + period
}

/// A probe's own `terminationGracePeriodSeconds` for a kill that probe caused (readiness never
/// kills, and validation forbids the field on readiness probes).
pub fn probe_grace_seconds(spec: &Container, cause: ProbeKind) -> Option<i64> {
    match cause {
        ProbeKind::Liveness => spec.liveness_probe.as_ref()?.termination_grace_period_seconds,
        ProbeKind::Startup => spec.startup_probe.as_ref()?.termination_grace_period_seconds,
        ProbeKind::Readiness => None,
    }
}

/// The grace period a kill starts with (`pkg/kubelet/kuberuntime/kuberuntime_container.go`
/// setTerminationGracePeriod): the deletion's, else the probe's own, else the pod's, else 30 s.
pub fn kill_grace_seconds(deletion: Option<i64>, probe: Option<i64>, pod: Option<i64>) -> i64 {
    deletion.or(probe).or(pod).unwrap_or(DEFAULT_GRACE_SECONDS).max(0)
}

/// How long the runtime waits for the stop signal to work before SIGKILL, from the grace period
/// left after the preStop hook, raised to the kubelet's minimum of 2 s.
pub fn stop_grace(grace_seconds: i64) -> Millis {
    grace_seconds.max(MIN_GRACE_SECONDS) as Millis * SECOND
}

/// What the CrashLoopBackOff check decides when the kubelet is about to restart a container whose
/// newest exited instance finished at `exited_at`.
#[derive(Clone, Copy, Debug)]
pub enum BackoffCheck {
    /// In back-off: no start before `exited_at + backoff`.
    Wait { backoff: Millis },
    /// Start now, with the entry advanced to this.
    Start(Backoff),
}

/// `pkg/kubelet/kuberuntime/kuberuntime_manager.go` doBackOff over `staging/src/k8s.io/client-go/util/flowcontrol/backoff.go`:
/// an unexpired entry whose wait has not passed refuses the start; otherwise the entry is created
/// at 10 s or doubled (capped at 300 s) and the container starts.
pub fn backoff_check(entry: Option<Backoff>, exited_at: Millis, now: Millis) -> BackoffCheck {
    match entry.filter(|e| exited_at.saturating_sub(e.last_update) <= BACKOFF_EXPIRY) {
        Some(e) if now.saturating_sub(exited_at) < e.backoff => BackoffCheck::Wait { backoff: e.backoff },
        Some(e) => {
            BackoffCheck::Start(Backoff { backoff: (e.backoff * 2).min(BACKOFF_MAX), last_update: now })
        }
        None => BackoffCheck::Start(Backoff { backoff: BACKOFF_INITIAL, last_update: now }),
    }
}

/// When the pod worker syncs again after a sync that ended at `now` (`pkg/kubelet/pod_workers.go`):
/// the resync interval after success; after an error 10 s, except that 1.35 requeues exactly when
/// the back-off expires, capped at the resync interval (PR #133066).
pub fn requeue_at(version: KubeVersion, now: Millis, error: bool, backoff_until: Option<Millis>) -> Millis {
    if !error {
        return now + RESYNC;
    }
    match (version, backoff_until) {
        (KubeVersion::V1_35, Some(until)) => until.max(now + 1).min(now + RESYNC),
        _ => now + ERROR_REQUEUE,
    }
}

/// The kubelet's CrashLoopBackOff entry, for the advisor's predictions.
pub(crate) use super::runtime::Backoff as BackoffEntry;
