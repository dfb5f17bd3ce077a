//! What the simulation will do with the container's current instance for a given behaviour of the
//! app (`Health`): each probe's first run, when the startup probe lets the others run, when the
//! container turns ready, the first failing probe, the kill, the exit and the restart, and when
//! the pod leaves and rejoins its Services' endpoints. All instants are absolute virtual time.

use serde::Serialize;

use super::context::Ctx;
use super::health::Health;
use super::restart::{restart_after, stop_window, Restart};
use super::walk::{readiness_runs, ticker_runs, Gate, Run};
use crate::duration::{Millis, SECOND};
use crate::engine::timing::PLEG_DELAY;
use crate::engine::ProbeKind;

/// How far ahead a forecast looks.
pub const HORIZON: Millis = 3600 * SECOND;

/// A predicted kill for a failed probe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Kill {
    pub cause: ProbeKind,
    /// The run that reached `failureThreshold`, and the sync that kills in the same instant.
    pub at: Millis,
    pub grace_seconds: i64,
    /// When the container exits: when the app reacts to its stop signal, or when the grace period
    /// ends and SIGKILL comes; unknown with a preStop hook.
    pub exit_at: Option<Millis>,
    /// The restart, unless the pod's restart policy is `Never`.
    pub restart: Option<Restart>,
}

/// One probe's predicted runs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProbeRuns {
    pub probe: ProbeKind,
    pub runs: Vec<Run>,
}

/// The forecast for one instance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Forecast {
    pub started_at: Millis,
    pub probes: Vec<ProbeRuns>,
    /// When the startup probe succeeded (liveness and readiness run from then on).
    pub startup_succeeded_at: Option<Millis>,
    pub ready_at: Option<Millis>,
    /// When the pod leaves its Services' endpoints after the app starts failing — the readiness
    /// probe's decision, or the kill's end of the container — and when the readiness probe brings
    /// it back.
    pub unready_at: Option<Millis>,
    pub ready_again_at: Option<Millis>,
    pub kill: Option<Kill>,
}

impl Forecast {
    /// The predicted runs of one probe.
    pub fn runs(&self, probe: ProbeKind) -> &[Run] {
        self.probes.iter().find(|p| p.probe == probe).map_or(&[], |p| p.runs.as_slice())
    }

    /// The first run of a probe.
    pub fn first_run(&self, probe: ProbeKind) -> Option<Millis> {
        self.runs(probe).first().map(|r| r.at)
    }
}

/// Predicts the current instance of `ctx`'s container for an app behaving as `health`, with the
/// app's stop taking `stop` after its signal (`None`: it ignores the signal).
pub(crate) fn forecast(ctx: &Ctx, health: &Health, stop: Option<Millis>, pre_stop: bool) -> Forecast {
    let s = ctx.started_at;
    let until = s.max(ctx.now) + HORIZON;
    let mut probes = Vec::new();
    let mut kill: Option<(ProbeKind, Millis)> = None;
    let startup = ctx.probe(ProbeKind::Startup);
    let mut gate_at: Option<Millis> = None;
    if let Some(p) = startup {
        let runs = ticker_runs(p, s, None, health, until);
        match runs.last().and_then(|r| r.decided.map(|ok| (ok, r.counted_at))) {
            Some((true, at)) => gate_at = Some(at),
            Some((false, at)) => kill = Some((ProbeKind::Startup, at)),
            None => {}
        }
        probes.push(ProbeRuns { probe: ProbeKind::Startup, runs });
    }
    // Without a startup probe nothing holds the others back; with one that has not succeeded
    // they never run.
    let gate_for = |period: Millis| match (startup, gate_at) {
        (None, _) => Some(None),
        (Some(sp), Some(at)) => Some(Some(Gate::after_startup(sp, at, period))),
        (Some(_), None) => None,
    };
    if let Some(p) = ctx.probe(ProbeKind::Liveness) {
        let runs = match gate_for(p.timing.period) {
            Some(gate) => ticker_runs(p, s, gate, health, until),
            None => Vec::new(),
        };
        if let Some(at) = runs.last().filter(|r| r.decided == Some(false)).map(|r| r.counted_at) {
            kill = Some((ProbeKind::Liveness, at));
        }
        probes.push(ProbeRuns { probe: ProbeKind::Liveness, runs });
    }
    let kill = kill.map(|(cause, at)| {
        let grace_seconds = super::restart::grace(ctx, cause).0;
        let window = stop_window(ctx, cause);
        let exit_at = (!pre_stop).then(|| at + stop.map_or(window, |t| t.min(window)));
        let restart = exit_at.filter(|_| ctx.restarts()).map(|e| restart_after(ctx, ctx.backoff, e).0);
        Kill { cause, at, grace_seconds, exit_at, restart }
    });
    let (mut ready_at, mut unready_at, mut ready_again_at) = (None, None, None);
    if let Some(p) = ctx.probe(ProbeKind::Readiness) {
        // The instance's readiness ends with it. What the pod's endpoints do then depends on the
        // next instance's first readiness run, in the sync that reports it: that is the next
        // instance's forecast, not this one's.
        let end = kill.and_then(|k| k.exit_at).map_or(until, |e| e.min(until));
        let runs = match gate_for(p.timing.period) {
            Some(gate) => readiness_runs(p, s, gate, ctx.next_sync, ctx.now, health, end),
            None => Vec::new(),
        };
        for r in &runs {
            match r.decided {
                Some(true) if ready_at.is_none() => ready_at = Some(r.counted_at),
                Some(false) if ready_at.is_some() && unready_at.is_none() => unready_at = Some(r.counted_at),
                Some(true) if unready_at.is_some() && ready_again_at.is_none() => {
                    ready_again_at = Some(r.counted_at)
                }
                _ => {}
            }
        }
        probes.push(ProbeRuns { probe: ProbeKind::Readiness, runs });
    }
    // The kill takes the pod out of the endpoints when no running instance replaces the killed
    // one in the sync that stops it: the pod ends (`restartPolicy: Never`, and it was the pod's
    // only container: the same sync makes the pod terminal), or the status after the exit (one
    // PLEG relist later) shows it waiting in CrashLoopBackOff or terminated. An immediate restart
    // keeps a container without readiness probe ready; with one, what the new instance's first
    // readiness run finds is the next instance's forecast.
    let was_ready = match ctx.probe(ProbeKind::Readiness) {
        Some(_) => ready_at.is_some(),
        None => startup.is_none() || gate_at.is_some(),
    };
    if let (None, true, Some(k)) = (unready_at, was_ready, kill) {
        if let Some(exit) = k.exit_at {
            unready_at = match k.restart {
                None if ctx.alone => Some(exit),
                None => Some(exit + PLEG_DELAY),
                Some(r) if r.at > exit => Some(exit + PLEG_DELAY),
                Some(_) => None,
            };
        }
    }
    Forecast {
        started_at: s,
        probes,
        startup_succeeded_at: gate_at,
        ready_at,
        unready_at,
        ready_again_at,
        kill,
    }
}
