//! The probe runs a worker makes for one container instance, walked forward in virtual time with
//! the engine's own timing rules (`crate::engine::timing`): a ticker armed when the worker was
//! created ticks every period; a tick probes only once the kubelet has reported the instance (one
//! PLEG relist after it started), once `initialDelaySeconds` whole seconds have passed and, for
//! liveness and readiness, once the startup probe has succeeded (`pkg/kubelet/prober/worker.go`
//! doProbe). Results count toward the thresholds as the worker counts them. Readiness is also run
//! by each pod sync while the container is not ready, which re-arms its ticker
//! (`pkg/kubelet/prober/prober_manager.go` UpdatePodStatus).

use std::collections::BTreeSet;

use serde::Serialize;

use super::context::ProbeCtx;
use super::health::{Answer, Health};
use crate::duration::Millis;
use crate::engine::timing::{next_tick, past_initial_delay, PLEG_DELAY, RESYNC};
use crate::engine::ProbeKind;

/// One predicted probe run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Run {
    pub at: Millis,
    pub answer: Answer,
    /// When the result was counted: at once, or when the timeout ran out.
    pub counted_at: Millis,
    /// The consecutive count of this result after the run.
    pub run: u32,
    /// The cached result this run set, when it changed it: `true` for success.
    pub decided: Option<bool>,
}

/// Liveness and readiness wait for the startup probe: a gate that opens when it succeeds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Gate {
    pub opens_at: Millis,
    /// Whether a tick of the gated worker in the very instant the startup probe succeeds already
    /// sees it: workers' ticks of one instant run in the order they were queued, and the worker
    /// whose previous tick came earlier was queued first. The startup worker is created first, so
    /// with an equal or longer period its tick comes first.
    pub same_instant: bool,
}

impl Gate {
    /// The gate a startup probe sets for a worker of `period`, once it succeeded at `at`.
    pub fn after_startup(startup: &ProbeCtx, at: Millis, period: Millis) -> Gate {
        Gate { opens_at: at, same_instant: startup.timing.period >= period }
    }

    fn open(&self, at: Millis) -> bool {
        at > self.opens_at || (at == self.opens_at && self.same_instant)
    }
}

/// Counts one result as `pkg/kubelet/prober/worker.go` doProbe does (steps 11–12): returns the
/// consecutive count and whether the threshold was reached.
fn count(last: &mut Option<bool>, run: &mut u32, ok: bool, probe: &ProbeCtx) -> bool {
    if *last == Some(ok) {
        *run += 1;
    } else {
        *last = Some(ok);
        *run = 1;
    }
    let need = if ok { probe.timing.success_threshold } else { probe.timing.failure_threshold };
    *run >= need
}

/// The runs of a startup or liveness worker for the instance started at `started_at`, up to
/// `until`, ending with the run that decides (a liveness failure, or either startup result).
pub(crate) fn ticker_runs(
    probe: &ProbeCtx,
    started_at: Millis,
    gate: Option<Gate>,
    health: &Health,
    until: Millis,
) -> Vec<Run> {
    let t = probe.timing;
    let visible_after = started_at + PLEG_DELAY;
    let mut runs = Vec::new();
    let mut tick = next_tick(probe.armed_at, t.period);
    let (mut last, mut run) = (None, 0);
    let mut rerun_at: Option<Millis> = None;
    loop {
        let (at, pending) = match rerun_at.take() {
            Some(r) => (r, true),
            None => (tick, false),
        };
        if at > until {
            break;
        }
        if !pending {
            tick = next_tick(tick, t.period);
        }
        let eligible = at > visible_after
            && past_initial_delay(at, started_at, t.delay_seconds)
            && gate.is_none_or(|g| g.open(at));
        if !eligible {
            continue;
        }
        let answer = health.answer(at);
        let counted_at = if answer == Answer::Hang { at + t.timeout } else { at };
        let ok = answer == Answer::Pass;
        let reached = count(&mut last, &mut run, ok, probe);
        let decided = match probe.kind {
            ProbeKind::Liveness => (reached && !ok).then_some(false),
            _ => reached.then_some(ok),
        };
        runs.push(Run { at, answer, counted_at, run, decided });
        if decided.is_some() {
            break;
        }
        // Ticks that fall while a slow probe is in flight are coalesced into one run as soon as
        // it ends (a Go ticker keeps one pending tick).
        let mut coalesced = false;
        while tick < counted_at {
            coalesced = true;
            tick = next_tick(tick, t.period);
        }
        if coalesced {
            rerun_at = Some(counted_at);
        }
    }
    runs
}

/// The runs of a readiness worker for the instance started at `started_at`, up to `until`, with
/// every change of the cached result. Pod syncs happen when the kubelet reports the instance (one
/// PLEG relist after the start), when the startup probe succeeds, after each readiness change, and
/// a resync interval after the last sync; each sync while the container is not ready probes at once
/// and re-arms the ticker. A worker the simulation has re-armed during this instance is walked on
/// from `now` with its own count.
pub(crate) fn readiness_runs(
    probe: &ProbeCtx,
    started_at: Millis,
    gate: Option<Gate>,
    next_sync: Option<Millis>,
    now: Millis,
    health: &Health,
    until: Millis,
) -> Vec<Run> {
    let t = probe.timing;
    let visible = started_at + PLEG_DELAY;
    let mut runs = Vec::new();
    let mut tick = next_tick(probe.armed_at, t.period);
    let mut syncs: BTreeSet<Millis> = BTreeSet::from([visible]);
    if let Some(g) = gate {
        syncs.insert(g.opens_at.max(visible));
    }
    let mut requeue: Option<Millis> = None;
    let (mut last, mut run, mut ready) = (None, 0, false);
    // A ticker re-armed after the instance was reported was re-armed by a sync of this instance:
    // the walk goes on from there with the worker's own count and the pod's next resync.
    // Runs up to `now` are already in that count.
    if let (Some(live), true) = (probe.live, probe.armed_at > visible) {
        syncs.clear();
        requeue = next_sync.filter(|s| *s > now);
        (last, run, ready) = (live.last, live.run, live.cached_success);
        while tick <= now {
            tick = next_tick(tick, t.period);
        }
    }
    let mut busy_until: Millis = 0;
    let mut rerun_at: Option<Millis> = None;
    loop {
        let next_sync = [syncs.first().copied(), requeue].into_iter().flatten().min();
        // Within one instant probe ticks (and the end of a slow probe) come before pod syncs.
        let first_tick = rerun_at.map_or(tick, |r| r.min(tick));
        let by_tick = next_sync.is_none_or(|s| first_tick <= s);
        let at = if by_tick { first_tick } else { next_sync.unwrap_or(tick) };
        if at > until {
            break;
        }
        let mut probe_now = false;
        if by_tick && rerun_at == Some(at) {
            rerun_at = None;
            probe_now = true;
        } else if by_tick {
            tick = next_tick(tick, t.period);
            if at < busy_until {
                // A tick while a slow probe is in flight waits for it to end (a Go ticker keeps
                // one pending tick).
                rerun_at = Some(busy_until);
                continue;
            }
            probe_now = at > visible && gate.is_none_or(|g| g.open(at));
        } else {
            syncs.remove(&at);
            let started = gate.is_none_or(|g| at >= g.opens_at);
            if at >= visible && started && !ready && at >= busy_until {
                // The manual trigger re-arms the ticker from this run.
                tick = next_tick(at, t.period);
                probe_now = true;
            }
            requeue = Some(at + RESYNC);
        }
        if !probe_now || !past_initial_delay(at, started_at, t.delay_seconds) {
            continue;
        }
        let answer = health.answer(at);
        let counted_at = if answer == Answer::Hang { at + t.timeout } else { at };
        busy_until = counted_at;
        let ok = answer == Answer::Pass;
        let reached = count(&mut last, &mut run, ok, probe);
        let decided = (reached && ok != ready).then_some(ok);
        if let Some(now_ready) = decided {
            ready = now_ready;
            syncs.insert(counted_at);
        }
        runs.push(Run { at, answer, counted_at, run, decided });
    }
    runs
}
