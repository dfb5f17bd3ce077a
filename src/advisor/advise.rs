//! Builds the advice for one container from its context: runs the image to learn the app's start
//! and stop, forecasts the instance with the engine's timing rules, and turns the forecast into
//! offsets, consequences and findings.

use k8s_openapi::api::core::v1::Probe;

use super::app::{run_image, AppFacts};
use super::context::{Ctx, ProbeCtx};
use super::findings::{findings, killed_before_answering};
use super::forecast::forecast;
use super::health::Health;
use super::model::{
    Advice, AppStart, Consequence, Detection, Note, ProbeAdvice, RestartState, StartBudget, StartSource,
};
use super::restart::{grace, restart_after, stop_window};
use crate::duration::{Millis, SECOND};
use crate::engine::timing::PLEG_DELAY;
use crate::engine::{ProbeKind, RestartPolicy};
use crate::explain::format::probe_action;
use crate::sim::{ProbeRecord, Trace};

/// What the simulation recorded about the container, when there is a simulation.
pub(crate) struct History<'a> {
    pub trace: Vec<&'a Trace>,
    pub records: Vec<&'a ProbeRecord>,
    /// Services whose selector matches the pod.
    pub services: Vec<String>,
}

fn handler(probe: &Probe) -> &'static str {
    if probe.exec.is_some() {
        "exec"
    } else if probe.http_get.is_some() {
        "httpGet"
    } else if probe.tcp_socket.is_some() {
        "tcpSocket"
    } else if probe.grpc.is_some() {
        "grpc"
    } else {
        "none"
    }
}

/// Best and worst time from the app's first failing instant to the probe's decision: a failure
/// just before a run is seen by it and `failureThreshold - 1` periods follow; one just after a run
/// waits a whole period more. A hanging app makes the deciding run last its timeout.
fn detection(p: &ProbeCtx) -> Detection {
    let t = p.timing;
    let best = (t.failure_threshold as Millis - 1) * t.period;
    let worst = t.failure_threshold as Millis * t.period;
    Detection {
        best_ms: best,
        worst_ms: worst,
        hang_best_ms: best + t.timeout,
        hang_worst_ms: worst + t.timeout,
    }
}

/// The app's start: running the image says it precisely; otherwise the simulation's first passing
/// probe of the latest instance that had one.
fn app_start(facts: &AppFacts, history: Option<&History>) -> Option<AppStart> {
    if let Some(ms) = facts.start {
        return Some(AppStart { ms, source: StartSource::Image });
    }
    let h = history?;
    let starts: Vec<Millis> = h
        .trace
        .iter()
        .filter_map(|t| match t {
            Trace::Started { at, .. } => Some(*at),
            _ => None,
        })
        .collect();
    starts.iter().rev().find_map(|s| {
        let first =
            h.records.iter().find(|r| r.at >= *s && (r.result == "success" || r.result == "warning"))?;
        Some(AppStart { ms: first.at - s, source: StartSource::Observed })
    })
}

/// What running the container's image shows: its start, told by the probe that says it has
/// started (startup, else readiness, else liveness), and how long it takes to stop.
pub(crate) fn image_facts(ctx: &Ctx) -> AppFacts {
    let telling = [ProbeKind::Startup, ProbeKind::Readiness, ProbeKind::Liveness]
        .into_iter()
        .find_map(|k| ctx.probe(k))
        .map(|p| &p.spec);
    let longest = stop_window(ctx, ProbeKind::Liveness).max(stop_window(ctx, ProbeKind::Startup));
    run_image(&ctx.container, telling, longest, ctx.version)
}

/// The advice for the container of `ctx`.
pub(crate) fn build(ctx: &Ctx, history: Option<&History>) -> Advice {
    let s = ctx.started_at;
    let spec = &ctx.container;
    let pre_stop = spec.lifecycle.as_ref().is_some_and(|l| l.pre_stop.is_some());
    let killer =
        if ctx.probe(ProbeKind::Startup).is_some() { ProbeKind::Startup } else { ProbeKind::Liveness };
    let facts = image_facts(ctx);
    let start = app_start(&facts, history);
    let healthy = Health::healthy_from(s + start.map_or(0, |a| a.ms));
    let base = forecast(ctx, &healthy, facts.stop, pre_stop);
    let never = forecast(ctx, &Health::healthy_from(Millis::MAX), facts.stop, pre_stop);
    let budget = [ProbeKind::Startup, ProbeKind::Liveness].into_iter().find_map(|k| {
        ctx.probe(k)?;
        let deciding = never.runs(k).last().filter(|r| r.decided == Some(false))?;
        Some(StartBudget { probe: k, longest_start_ms: deciding.at - s })
    });
    let startup_ok = base.startup_succeeded_at.map(|at| at - s);
    let now = ctx.now.max(s);
    let killed_now = |cause: ProbeKind| {
        let window = stop_window(ctx, cause);
        let exit = now + facts.stop.map_or(window, |t| t.min(window));
        restart_after(ctx, ctx.backoff, exit)
    };
    let mut probes = Vec::new();
    for p in &ctx.probes {
        let t = p.timing;
        // What already happened is read from the probe log; what has not, from the forecast.
        let observed_first =
            history.and_then(|h| h.records.iter().find(|r| r.probe == p.kind && r.at > s)).map(|r| r.at);
        let first = observed_first.or(base.first_run(p.kind));
        let mut notes = vec![
            Note::TickerFromWorker { armed_at_ms: p.armed_at, period_ms: t.period },
            Note::SeenAfterRelist { relist_ms: PLEG_DELAY },
        ];
        if t.delay_seconds > 0 {
            notes.push(Note::InitialDelay { delay_ms: t.delay_seconds * SECOND });
        }
        if p.kind != ProbeKind::Startup && ctx.probe(ProbeKind::Startup).is_some() {
            notes.push(Note::AfterStartup { startup_succeeds_ms: startup_ok });
        }
        if p.kind == ProbeKind::Readiness {
            notes.push(Note::ReadinessOnSync);
        }
        let consequence = match p.kind {
            ProbeKind::Readiness => Consequence::LeaveEndpoints {
                services: history.map(|h| h.services.clone()).unwrap_or_default(),
                return_best_ms: (t.success_threshold as Millis - 1) * t.period,
                return_worst_ms: t.success_threshold as Millis * t.period,
            },
            kind => {
                let (seconds, grace_source) = grace(ctx, kind);
                let window = stop_window(ctx, kind);
                let (restart, after) = killed_now(kind);
                let exit = now + facts.stop.map_or(window, |t| t.min(window));
                Consequence::Kill {
                    grace_ms: seconds.max(0) as Millis * SECOND,
                    grace_source,
                    stop_window_ms: window,
                    stop_ms: facts.stop.filter(|t| *t < window),
                    pre_stop,
                    restarts: ctx.restarts(),
                    restart_wait_ms: ctx.restarts().then(|| restart.at - exit),
                    backoff_after_ms: ctx.restarts().then_some(after.entry.map(|e| e.backoff)).flatten(),
                }
            }
        };
        probes.push(ProbeAdvice {
            probe: p.kind,
            handler: handler(&p.spec),
            action: probe_action(&p.spec),
            initial_delay_ms: t.delay_seconds * SECOND,
            period_ms: t.period,
            timeout_ms: t.timeout,
            success_threshold: t.success_threshold,
            failure_threshold: t.failure_threshold,
            first_run_ms: first.map(|f| f - s),
            first_run_notes: notes,
            detection: detection(p),
            consequence,
        });
    }
    let killed_early = history.and_then(|h| killed_before_answering(&h.trace, &h.records));
    let first_liveness = base.first_run(ProbeKind::Liveness).map(|f| f - s);
    let findings = findings(ctx, start, budget, first_liveness, killed_early);
    Advice {
        namespace: ctx.namespace.clone(),
        pod: ctx.pod.clone(),
        container: spec.name.clone(),
        now_ms: ctx.now,
        started_at_ms: s,
        observed: ctx.live,
        restart_policy: match ctx.restart_policy {
            RestartPolicy::Always => "Always",
            RestartPolicy::OnFailure => "OnFailure",
            RestartPolicy::Never => "Never",
        },
        probes,
        start_budget: budget,
        app_start: start,
        restarts: RestartState {
            restart_count: ctx.restart_count,
            backoff_ms: ctx.backoff.entry.map(|e| e.backoff),
            if_killed_now: ctx.restarts().then(|| killed_now(killer).0),
        },
        findings,
    }
}
