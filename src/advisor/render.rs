//! The advice in plain English for the command line. Panels word the same keys themselves (and in
//! other languages); this is the one English wording, kept next to the keys it words.

use std::fmt::Write;

use super::model::{Advice, AppStart, Consequence, Finding, Note, ProbeAdvice, StartSource};
use super::restart::GraceSource;
use crate::duration::{go_duration, Millis};

fn d(ms: Millis) -> String {
    go_duration(ms)
}

fn source(s: StartSource) -> &'static str {
    match s {
        StartSource::Image => "running its image",
        StartSource::Observed => "the simulation's probe log",
    }
}

/// One note as a sentence.
pub fn note_text(note: &Note) -> String {
    match note {
        Note::TickerFromWorker { armed_at_ms, period_ms } => format!(
            "The worker's ticker runs every {} from {} (when the worker was created or last re-armed), not from the container's start.",
            d(*period_ms),
            d(*armed_at_ms)
        ),
        Note::SeenAfterRelist { relist_ms } => format!(
            "A worker sees a new container only once the kubelet has reported it, one PLEG relist ({}) after it started.",
            d(*relist_ms)
        ),
        Note::InitialDelay { delay_ms } => {
            format!("It waits until {} (initialDelaySeconds) have passed since the container started.", d(*delay_ms))
        }
        Note::AfterStartup { startup_succeeds_ms: Some(at) } => {
            format!("It waits for the startup probe, which succeeds {} after the start.", d(*at))
        }
        Note::AfterStartup { startup_succeeds_ms: None } => {
            "It waits for the startup probe, which never succeeds here.".to_string()
        }
        Note::ReadinessOnSync => {
            "While the container is not ready, every pod sync also runs it at once and restarts its ticker."
                .to_string()
        }
        Note::ThresholdTimesPeriod { failure_threshold, period_ms } => format!(
            "{failure_threshold} consecutive failures (failureThreshold) {} apart (periodSeconds).",
            d(*period_ms)
        ),
        Note::PlusTimeout { timeout_ms } => {
            format!("An app that hangs makes each run last {} (timeoutSeconds).", d(*timeout_ms))
        }
    }
}

/// One finding as a sentence.
pub fn finding_text(finding: &Finding) -> String {
    match finding {
        Finding::LivenessSameAsReadiness => "The liveness probe checks exactly what the readiness probe checks: a problem that should only take the pod out of its Services (overload, a slow dependency) restarts the container too.".to_string(),
        Finding::LivenessOnDependency { target } => format!(
            "The liveness probe reaches {target}, outside the pod: when it fails, this container is restarted, which cannot fix it. Check only the container itself in liveness; put dependencies in readiness, if anywhere."
        ),
        Finding::SlowStartWithoutStartupProbe { start_ms, source: s, first_liveness_ms } => format!(
            "The app takes {} to start ({}), but the first liveness probe runs {} after the start and there is no startup probe: the start uses up the liveness failure budget.",
            d(*start_ms),
            source(*s),
            d(*first_liveness_ms)
        ),
        Finding::TimeoutNotBelowPeriod { probe, timeout_ms, period_ms } => format!(
            "The {} probe's timeoutSeconds ({}) is not below its periodSeconds ({}): a hanging app's run overlaps the next tick, which waits, so the probe runs every {} at best.",
            probe.as_str(),
            d(*timeout_ms),
            d(*period_ms),
            d(*timeout_ms.max(period_ms))
        ),
        Finding::RestartsBeforeStart { probe, start_ms, source: s, longest_start_ms } => format!(
            "The app takes {} to start ({}), but the {} probe kills it if it has not answered {} after the start: it is restarted for ever.",
            d(*start_ms),
            source(*s),
            probe.as_str(),
            d(*longest_start_ms)
        ),
        Finding::KilledBeforeAnswering { instances, longest_life_ms } => format!(
            "{instances} instance(s) were killed by a probe before any probe ever passed (the longest lived {}): the app never got to start.",
            d(*longest_life_ms)
        ),
    }
}

fn probe_text(out: &mut String, p: &ProbeAdvice) {
    let _ = writeln!(
        out,
        "{} ({} {}): delay {}, period {}, timeout {}, successThreshold {}, failureThreshold {}",
        p.probe.title(),
        p.handler,
        p.action,
        d(p.initial_delay_ms),
        d(p.period_ms),
        d(p.timeout_ms),
        p.success_threshold,
        p.failure_threshold
    );
    match p.first_run_ms {
        Some(at) => {
            let _ = writeln!(out, "  first run: {} after the container starts", d(at));
        }
        None => {
            let _ = writeln!(out, "  first run: never (the startup probe does not succeed)");
        }
    }
    for n in &p.first_run_notes {
        let _ = writeln!(out, "    - {}", note_text(n));
    }
    let det = &p.detection;
    let verb = match p.consequence {
        Consequence::Kill { .. } => "kill",
        Consequence::LeaveEndpoints { .. } => "leave the endpoints",
    };
    let _ = writeln!(
        out,
        "  failing to {verb}: {} to {} after the app starts failing ({} to {} if it hangs)",
        d(det.best_ms),
        d(det.worst_ms),
        d(det.hang_best_ms),
        d(det.hang_worst_ms)
    );
    let _ = writeln!(
        out,
        "    - {}",
        note_text(&Note::ThresholdTimesPeriod {
            failure_threshold: p.failure_threshold,
            period_ms: p.period_ms
        })
    );
    let _ = writeln!(out, "    - {}", note_text(&Note::PlusTimeout { timeout_ms: p.timeout_ms }));
    match &p.consequence {
        Consequence::Kill {
            grace_ms,
            grace_source,
            stop_window_ms,
            stop_ms,
            pre_stop,
            restarts,
            restart_wait_ms,
            backoff_after_ms,
        } => {
            let from = match grace_source {
                GraceSource::Probe => "the probe's terminationGracePeriodSeconds",
                GraceSource::Pod => "the pod's terminationGracePeriodSeconds",
                GraceSource::Default => "the default",
            };
            let _ = writeln!(
                out,
                "  then: the kubelet kills the container with a grace period of {} ({from})",
                d(*grace_ms)
            );
            if *pre_stop {
                let _ = writeln!(
                    out,
                    "    - its preStop hook runs first; its whole seconds come off the grace period"
                );
            }
            match stop_ms {
                Some(t) => {
                    let _ = writeln!(out, "    - the app exits {} after its stop signal", d(*t));
                }
                None => {
                    let _ = writeln!(
                        out,
                        "    - the app does not exit on its stop signal: SIGKILL after {}",
                        d(*stop_window_ms)
                    );
                }
            }
            if !restarts {
                let _ = writeln!(out, "    - restartPolicy Never: the container is not restarted");
            } else if let Some(wait) = restart_wait_ms {
                let backoff = backoff_after_ms
                    .map(|b| format!("; the next crash meets a back-off of {}", d(b)))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "    - if killed now, it starts again {} after it exits{backoff}",
                    d(*wait)
                );
            }
        }
        Consequence::LeaveEndpoints { services, return_best_ms, return_worst_ms } => {
            let which = if services.is_empty() {
                "its Services'".to_string()
            } else {
                format!("{}'s", services.join(", "))
            };
            let _ = writeln!(out, "  then: the pod leaves {which} endpoints; it comes back {} to {} after the app recovers (successThreshold × period)", d(*return_best_ms), d(*return_worst_ms));
        }
    }
}

fn app_start_text(a: &AppStart) -> String {
    format!("{} ({})", d(a.ms), source(a.source))
}

/// The whole advice as text.
pub fn render_text(advice: &Advice) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Probe budget for {}/{} container {} (restartPolicy {})",
        advice.namespace, advice.pod, advice.container, advice.restart_policy
    );
    let origin = if advice.observed {
        format!(
            "the simulation at {}; the current instance started at {}",
            d(advice.now_ms),
            d(advice.started_at_ms)
        )
    } else {
        "a new pod: its first sync at 0 creates the probe workers and starts the container".to_string()
    };
    let _ = writeln!(out, "From {origin}.");
    if let Some(a) = &advice.app_start {
        let _ = writeln!(out, "App start: {}", app_start_text(a));
    }
    let r = &advice.restarts;
    let backoff = r.backoff_ms.map(|b| format!(", current back-off {}", d(b))).unwrap_or_default();
    let _ = writeln!(out, "Restarts: {}{backoff}", r.restart_count);
    if advice.probes.is_empty() {
        let _ = writeln!(
            out,
            "No probes: the container is ready as soon as it runs and only restarts when it exits."
        );
    }
    for p in &advice.probes {
        let _ = writeln!(out);
        probe_text(&mut out, p);
    }
    if let Some(b) = &advice.start_budget {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "Longest start tolerated: {} (the {} probe's last allowed run; an app that has not answered by then is killed)",
            d(b.longest_start_ms),
            b.probe.as_str()
        );
    }
    if !advice.findings.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "Warnings:");
        for f in &advice.findings {
            let _ = writeln!(out, "  - {}", finding_text(f));
        }
    }
    out
}
