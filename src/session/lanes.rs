//! The probe timeline of one pod as data: for each container a lane per probe (its executions, the
//! initial-delay windows, where the cached result flipped), the spans in which it was ready, and the
//! kubelet's kills, exits, starts and CrashLoopBackOff waits; scripted steps and typed commands on a
//! lane of their own. The simulation's worker computes it from the probe log and the trace, and the
//! page only draws it (`web::components::probe_timeline`).

use serde::{Deserialize, Serialize};

use crate::duration::{Millis, SECOND};
use crate::explain::format::{
    containers, ellipsize, find_pod, probe, probe_action, probe_numbers, PROBE_KINDS,
};
use crate::sim::{ProbeRecord, Simulation, Trace};

/// The longest stretch of time drawn at once; older history scrolls off to the left.
const MAX_SPAN: Millis = 10 * 60 * SECOND;
const MIN_SPAN: Millis = 60 * SECOND;
/// How much of a probe's output a mark's tooltip shows.
const OUTPUT_SHOWN: usize = 160;

/// Everything the probe timeline draws for one pod, from `start` to `end` (the present, `now`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Lanes {
    pub start: Millis,
    pub end: Millis,
    pub now: Millis,
    /// Scripted steps (`done: false` while still to come) and commands that ran.
    pub commands: Vec<CommandMark>,
    pub containers: Vec<ContainerLanes>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommandMark {
    pub at: Millis,
    pub command: String,
    pub done: bool,
}

/// One container's lanes.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ContainerLanes {
    pub name: String,
    /// Starts with a restart count above zero, in the trace.
    pub restarts: usize,
    pub probes: Vec<ProbeLane>,
    /// The spans in which the container was ready.
    pub ready: Vec<(Millis, Millis)>,
    /// CrashLoopBackOff waits: first report, back-off, end.
    pub waits: Vec<(Millis, Millis, Millis)>,
    pub lifecycle: Vec<Lifecycle>,
}

/// One probe's lane.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProbeLane {
    /// `startup`, `liveness` or `readiness`.
    pub kind: String,
    pub delay: i32,
    pub period: i32,
    pub threshold: i32,
    /// What the probe does (`exec cat /tmp/healthy`).
    pub action: String,
    /// The container's starts, after each of which the initial delay runs.
    pub starts: Vec<Millis>,
    pub marks: Vec<ProbeMark>,
    /// Where the cached result flipped: the instant and the new result.
    pub flips: Vec<(Millis, String)>,
}

/// One probe execution.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProbeMark {
    pub at: Millis,
    /// `success`, `failure` or `unknown`.
    pub result: String,
    /// Consecutive results of this kind so far, and the threshold they count towards.
    pub run: u32,
    pub threshold: u32,
    /// The probe's output, shortened for a tooltip.
    pub output: String,
    /// The mark's tooltip: when, the probe, its result and how it counts toward its threshold
    /// (`explain::lanes::probe_mark_tooltip`, so a run past its threshold does not read "6/1").
    pub tooltip: String,
}

/// A kill, an exit or a start of the container.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lifecycle {
    Killing { at: Millis, reason: String, grace_seconds: i64 },
    Exited { at: Millis, exit_code: i32, reason: String },
    Started { at: Millis, restart_count: i32 },
}

/// The lanes of pod `namespace/name` now, or `None` when it does not exist.
pub fn lanes(sim: &Simulation, namespace: &str, name: &str) -> Option<Lanes> {
    let pod = find_pod(sim, namespace, name)?;
    let now = sim.now();
    let created = pod
        .metadata
        .creation_timestamp
        .as_ref()
        .map(|t| crate::api::millis_of(t).max(0) as Millis)
        .unwrap_or(0);
    let end = now.max(created + MIN_SPAN);
    let start = created.max(end.saturating_sub(MAX_SPAN));
    let records: Vec<&ProbeRecord> = sim
        .probe_log()
        .iter()
        .filter(|r| r.namespace() == namespace && r.pod() == name && r.at >= start)
        .collect();
    let trace = sim.trace();

    let mut commands: Vec<CommandMark> = sim
        .scenario()
        .steps
        .iter()
        .filter(|s| s.at > now)
        .map(|s| CommandMark { at: s.at, command: s.run.clone(), done: false })
        .collect();
    commands.extend(trace.iter().filter_map(|t| match t {
        Trace::Command { at, command, .. } => {
            Some(CommandMark { at: *at, command: command.clone(), done: true })
        }
        _ => None,
    }));
    commands.retain(|c| c.at >= start && c.at <= end);

    let mut lanes = Vec::new();
    for container in containers(pod) {
        let cname = container.name.as_str();
        let own: Vec<&Trace> = trace.iter().filter(|t| t.is_for(namespace, name, cname)).collect();
        let restarts = own
            .iter()
            .filter(|t| matches!(t, Trace::Started { restart_count, .. } if *restart_count > 0))
            .count();
        let starts: Vec<Millis> = own
            .iter()
            .filter_map(|t| match t {
                Trace::Started { at, .. } => Some(*at),
                _ => None,
            })
            .collect();
        let mut probes = Vec::new();
        for kind in PROBE_KINDS {
            let Some(spec) = probe(container, kind) else { continue };
            let (delay, period, threshold) = probe_numbers(spec);
            let marks = records
                .iter()
                .filter(|r| r.container() == cname && r.probe.as_str() == kind)
                .map(|r| ProbeMark {
                    at: r.at,
                    result: r.result.to_string(),
                    run: r.run,
                    threshold: r.threshold,
                    output: if r.output.trim().is_empty() {
                        String::new()
                    } else {
                        ellipsize(&r.output, OUTPUT_SHOWN)
                    },
                    tooltip: crate::explain::lanes::probe_mark_tooltip(r, &probe_action(spec)),
                })
                .collect();
            let flips = own
                .iter()
                .filter_map(|t| match t {
                    Trace::ProbeResult { at, probe: p, result, .. } if p.as_str() == kind && *at >= start => {
                        Some((*at, result.to_string()))
                    }
                    _ => None,
                })
                .collect();
            probes.push(ProbeLane {
                kind: kind.to_string(),
                delay,
                period,
                threshold,
                action: probe_action(spec),
                starts: starts.clone(),
                marks,
                flips,
            });
        }
        // READY as the API shows it (the container status's `ready`), so the lane agrees with
        // `kubectl get pods` and the Why? panel at every second, also while a kill waits out its
        // grace period.
        let ready = crate::explain::lanes::ready_spans(sim, namespace, name, cname)
            .into_iter()
            .filter(|(_, to)| *to >= start)
            .collect();
        // The kubelet reports a refused start at every sync during one wait; each wait is kept once,
        // from its first report to its end.
        let mut waits: Vec<(Millis, Millis, Millis)> = Vec::new();
        for t in &own {
            if let Trace::BackOff { at, backoff, until, .. } = t {
                match waits.iter_mut().find(|(_, _, u)| u == until) {
                    Some(wait) => wait.0 = wait.0.min(*at),
                    None => waits.push((*at, *backoff, *until)),
                }
            }
        }
        waits.retain(|(_, _, until)| *until >= start);
        let lifecycle = own
            .iter()
            .filter_map(|t| match t {
                Trace::Killing { at, reason, grace_seconds, .. } if *at >= start => {
                    Some(Lifecycle::Killing {
                        at: *at,
                        reason: reason.to_string(),
                        grace_seconds: *grace_seconds,
                    })
                }
                Trace::Exited { at, exit_code, reason, .. } if *at >= start => {
                    Some(Lifecycle::Exited { at: *at, exit_code: *exit_code, reason: reason.to_string() })
                }
                Trace::Started { at, restart_count, .. } if *at >= start => {
                    Some(Lifecycle::Started { at: *at, restart_count: *restart_count })
                }
                _ => None,
            })
            .collect();
        lanes.push(ContainerLanes { name: cname.to_string(), restarts, probes, ready, waits, lifecycle });
    }
    Some(Lanes { start, end, now, commands, containers: lanes })
}
