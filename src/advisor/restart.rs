//! What follows a failed liveness or startup probe: the kill with its grace period, the exit, and
//! the restart with CrashLoopBackOff, predicted with the engine's own rules
//! (`crate::engine::timing`: `kill_grace_seconds`, `stop_grace`, `backoff_check`, `requeue_at`).

use serde::Serialize;

use super::context::{BackoffState, Ctx};
use crate::duration::Millis;
use crate::engine::timing::{
    backoff_check, kill_grace_seconds, probe_grace_seconds, requeue_at, stop_grace, BackoffCheck, PLEG_DELAY,
};
use crate::engine::ProbeKind;

/// Where a kill's grace period comes from (`pkg/kubelet/kuberuntime/kuberuntime_container.go`
/// setTerminationGracePeriod).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum GraceSource {
    /// The probe's own `terminationGracePeriodSeconds`.
    Probe,
    /// The pod's `spec.terminationGracePeriodSeconds`.
    Pod,
    /// Neither is set: the API's default of 30 s.
    Default,
}

/// The grace period of a kill that `cause` makes, in seconds, and where it comes from.
pub(crate) fn grace(ctx: &Ctx, cause: ProbeKind) -> (i64, GraceSource) {
    let probe = probe_grace_seconds(&ctx.container, cause);
    let seconds = kill_grace_seconds(None, probe, ctx.pod_grace);
    let source = match (probe, ctx.pod_grace) {
        (Some(_), _) => GraceSource::Probe,
        (None, Some(_)) => GraceSource::Pod,
        (None, None) => GraceSource::Default,
    };
    (seconds, source)
}

/// How long the runtime waits for the stop signal before SIGKILL, for a kill that `cause` makes
/// (without a preStop hook, which would take its whole seconds off first).
pub(crate) fn stop_window(ctx: &Ctx, cause: ProbeKind) -> Millis {
    stop_grace(grace(ctx, cause).0)
}

/// A predicted restart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Restart {
    /// When the new instance starts.
    pub at: Millis,
    /// The CrashLoopBackOff wait that held it back, if one did.
    pub waited_backoff: Option<Millis>,
    /// The back-off entry after the restart (the wait the next crash will meet).
    pub backoff_after: Option<Millis>,
}

/// When the kubelet starts the container again after the instance killed by a probe exits at
/// `exit_at`. The kill's own sync goes on to start it as soon as the instance has exited; its
/// back-off check looks at the instance that exited before (the killed one was still running when
/// the sync began). If that check refuses, the sync ends in an error and later syncs (the PLEG
/// relist that notices the exit, then the error requeues) check against the killed instance.
/// Also returns the back-off state the next crash will meet.
pub(crate) fn restart_after(ctx: &Ctx, state: BackoffState, exit_at: Millis) -> (Restart, BackoffState) {
    let entry_ms = |s: BackoffState| s.entry.map(|e| e.backoff);
    let Some(previous) = state.previous_exit else {
        // No earlier exited instance: the start does not touch the back-off entry.
        let after = BackoffState { entry: state.entry, previous_exit: Some(exit_at) };
        return (Restart { at: exit_at, waited_backoff: None, backoff_after: entry_ms(state) }, after);
    };
    let entry = state.entry;
    let backoff = match backoff_check(entry, previous, exit_at) {
        BackoffCheck::Start(next) => {
            let after = BackoffState { entry: Some(next), previous_exit: Some(exit_at) };
            return (Restart { at: exit_at, waited_backoff: None, backoff_after: Some(next.backoff) }, after);
        }
        BackoffCheck::Wait { backoff } => backoff,
    };
    let mut requeue = requeue_at(ctx.version, exit_at, true, Some(previous + backoff));
    let mut relist = Some(exit_at + PLEG_DELAY);
    // Every refused sync requeues at a later instant (10 s on, or when the back-off ends in 1.35),
    // and the back-off is at most 300 s, so this ends.
    loop {
        let at = relist.map_or(requeue, |r| r.min(requeue));
        if relist == Some(at) {
            relist = None;
        }
        match backoff_check(entry, exit_at, at) {
            BackoffCheck::Start(next) => {
                let after = BackoffState { entry: Some(next), previous_exit: Some(exit_at) };
                return (
                    Restart { at, waited_backoff: Some(backoff), backoff_after: Some(next.backoff) },
                    after,
                );
            }
            BackoffCheck::Wait { backoff: b } => {
                requeue = requeue_at(ctx.version, at, true, Some(exit_at + b))
            }
        }
    }
}
