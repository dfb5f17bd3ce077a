//! Plain-language reasons for what a pod or container shows, derived only from what the simulation
//! recorded: the probe log, the kubelet trace, the API objects and the endpoints.

use k8s_openapi::api::core::v1::{ContainerStatus, Pod};

use crate::duration::{go_duration, Millis};
use crate::sim::{ProbeRecord, Simulation, Trace};

use self::format::{containers, count, find_pod, mmss, probe, probe_action, probe_numbers};

#[cfg(test)]
mod agreement_tests;
pub mod format;
mod instances;
pub mod lanes;
#[cfg(test)]
mod tests;

/// One explanation: a headline and the sentences that support it.
#[derive(Clone, Debug, PartialEq)]
pub struct Explanation {
    pub container: String,
    /// `ok`, `warn` or `bad`, for the colour of the headline.
    pub tone: &'static str,
    pub headline: String,
    pub details: Vec<String>,
}

/// Explains every container of a pod (or only `container` when given).
pub fn explain_pod(
    sim: &Simulation,
    namespace: &str,
    name: &str,
    container: Option<&str>,
) -> Vec<Explanation> {
    let Some(pod) = find_pod(sim, namespace, name) else { return Vec::new() };
    let now = sim.now();
    let mut out = Vec::new();
    if let Some(deleted) = pod.metadata.deletion_timestamp.as_ref() {
        let at = crate::api::millis_of(deleted).max(0) as Millis;
        let grace = pod.metadata.deletion_grace_period_seconds.unwrap_or(30);
        out.push(Explanation {
            container: String::new(),
            tone: "warn",
            headline: format!("Terminating: deletion was requested with a {grace}s grace period."),
            details: vec![format!(
                "The pod left every Service's endpoints at once; the kubelet stops its containers and the API removes the pod by {} at the latest.",
                mmss(at)
            )],
        });
    }
    if pod.spec.as_ref().and_then(|s| s.node_name.as_ref()).is_none() {
        out.push(Explanation {
            container: String::new(),
            tone: "warn",
            headline: "Pending: not scheduled to a node yet.".to_string(),
            details: Vec::new(),
        });
        return out;
    }
    let statuses: Vec<ContainerStatus> =
        pod.status.as_ref().and_then(|s| s.container_statuses.clone()).unwrap_or_default();
    for spec in containers(pod) {
        if container.is_some_and(|c| c != spec.name) {
            continue;
        }
        let status = statuses.iter().find(|s| s.name == spec.name);
        out.push(explain_container(sim, pod, namespace, name, &spec.name, status, now));
    }
    out
}

fn explain_container(
    sim: &Simulation,
    pod: &Pod,
    namespace: &str,
    pod_name: &str,
    name: &str,
    status: Option<&ContainerStatus>,
    now: Millis,
) -> Explanation {
    let spec = containers(pod).iter().find(|c| c.name == name);
    let trace: Vec<&Trace> = sim.trace().iter().filter(|t| t.is_for(namespace, pod_name, name)).collect();
    let records: Vec<&ProbeRecord> = sim
        .probe_log()
        .iter()
        .filter(|r| r.namespace() == namespace && r.pod() == pod_name && r.container() == name)
        .collect();
    let mut details = Vec::new();
    let Some(status) = status else {
        return Explanation {
            container: name.to_string(),
            tone: "warn",
            headline: "Being created: the kubelet has not reported this container yet.".to_string(),
            details,
        };
    };

    // Restart history first: it explains RESTARTS, whatever the current state. It is told from
    // what happened before the instance the API shows, as the trace may already hold a newer one.
    if status.restart_count > 0 {
        let shown = instances::shown(&trace, status.restart_count);
        let before = shown.map_or(trace.as_slice(), |i| &trace[..i.first]);
        details.extend(restart_story(before, &records, spec, status.restart_count));
    }

    let state = status.state.clone().unwrap_or_default();
    let (tone, headline) = if let Some(waiting) = &state.waiting {
        let reason = waiting.reason.clone().unwrap_or_default();
        if reason == "CrashLoopBackOff" {
            let backoff = trace.iter().rev().find_map(|t| match t {
                Trace::BackOff { backoff, until, .. } => Some((*backoff, *until)),
                _ => None,
            });
            let exit = last_exit(&trace);
            let mut headline = "Waiting in CrashLoopBackOff".to_string();
            if let Some((backoff, until)) = backoff {
                if until > now {
                    headline.push_str(&format!(": next restart in {}", go_duration(until - now)));
                }
                details.push(format!(
                    "After each crash the kubelet waits longer before starting the container again: this wait is {}, doubling up to 5m0s, and it resets after the container runs for 10 minutes.",
                    go_duration(backoff)
                ));
            }
            // The restart story already tells of the last exit when there was a restart.
            if let Some((at, code, why)) = exit.filter(|_| status.restart_count == 0) {
                details.insert(
                    0,
                    format!("The container last exited at {} with code {code} ({why}).", mmss(at)),
                );
            }
            ("bad", headline + ".")
        } else {
            let message = waiting.message.clone().unwrap_or_default();
            let extra = if message.is_empty() { String::new() } else { format!(" {message}") };
            ("warn", format!("Waiting: {reason}.{extra}"))
        }
    } else if let Some(terminated) = &state.terminated {
        let mut headline = format!(
            "Terminated with exit code {} ({}).",
            terminated.exit_code,
            terminated.reason.clone().unwrap_or_default()
        );
        let waiting = trace.iter().rev().find_map(|t| match t {
            Trace::BackOff { backoff, until, .. } if *until > now => Some((*backoff, *until)),
            _ => None,
        });
        if let Some((backoff, until)) = waiting {
            headline.push_str(&format!(" CrashLoopBackOff: next restart in {}.", go_duration(until - now)));
            details.push(format!(
                "The kubelet waits {} before starting it again; the wait doubles after each crash, up to 5m0s.",
                go_duration(backoff)
            ));
        }
        (if terminated.exit_code == 0 { "ok" } else { "bad" }, headline)
    } else {
        explain_running(sim, pod, spec, status, &trace, &records, &mut details)
    };
    Explanation { container: name.to_string(), tone, headline, details }
}

fn explain_running(
    sim: &Simulation,
    pod: &Pod,
    spec: Option<&k8s_openapi::api::core::v1::Container>,
    status: &ContainerStatus,
    trace: &[&Trace],
    records: &[&ProbeRecord],
    details: &mut Vec<String>,
) -> (&'static str, String) {
    // Probe state belongs to one container instance: a restart starts every worker afresh, so only
    // what happened to the instance the API shows explains its state (not a replacement the
    // kubelet started since, which the API reports at its next sync).
    let instance = instances::shown(trace, status.restart_count);
    let started_at = instance.map(|i| i.started_at);
    let (trace, records) = match instance {
        Some(i) => (i.trace(trace), i.records(records)),
        None => (trace.to_vec(), records.to_vec()),
    };
    let (trace, records) = (trace.as_slice(), records.as_slice());
    if let Some(stopping) = stopping(trace, records, spec, sim.now()) {
        details.push(
            "Until the kubelet reports the exit, the API still shows the container running (and ready, if it was), so it keeps its place in its Services' endpoints.".to_string(),
        );
        return ("bad", stopping);
    }
    let startup = spec.and_then(|c| probe(c, "startup"));
    if let (Some(startup), false) = (startup, status.started.unwrap_or(false)) {
        let (_, _, threshold) = probe_numbers(startup);
        let failures = consecutive(records, "startup", "failure", None);
        details.push(format!(
            "Liveness and readiness probes do not run until the startup probe `{}` succeeds; it may fail {threshold} times in a row before the kubelet restarts the container.",
            probe_action(startup)
        ));
        return (
            "warn",
            format!(
                "Starting: the startup probe has not succeeded yet ({} of {threshold} failures).",
                failures.len()
            ),
        );
    }
    let readiness = spec.and_then(|c| probe(c, "readiness"));
    let ip = pod.status.as_ref().and_then(|s| s.pod_ip.clone()).unwrap_or_default();
    let services = services_listing(sim, &ip);
    if status.ready {
        let since = last_change(trace, "readiness", "success").or(started_at);
        let how = match readiness {
            Some(p) => format!("the readiness probe `{}` succeeds", probe_action(p)),
            None => "there is no readiness probe, so it is ready as soon as it runs".to_string(),
        };
        let serving =
            services.iter().filter(|(_, ready)| *ready).map(|(s, _)| s.as_str()).collect::<Vec<_>>();
        if !serving.is_empty() {
            details.push(format!(
                "Its address is in the endpoints of {}, so it receives traffic.",
                serving.join(", ")
            ));
        }
        let since = since.map(|at| format!(" since {}", mmss(at))).unwrap_or_default();
        return ("ok", format!("Ready{since}: {how}."));
    }
    let Some(readiness) = readiness else {
        return (
            "warn",
            "Not ready: the pod's other containers or readiness gates hold it back.".to_string(),
        );
    };
    let (delay, period, threshold) = probe_numbers(readiness);
    let removed = services.iter().filter(|(_, ready)| !*ready).map(|(s, _)| s.as_str()).collect::<Vec<_>>();
    let removal =
        if removed.is_empty() { String::new() } else { format!("; removed from {}", removed.join(", ")) };
    let failing = last_change(trace, "readiness", "failure")
        .map(|since| (since, consecutive(records, "readiness", "failure", Some(since))))
        .filter(|(_, failures)| !failures.is_empty());
    if let Some((since, failures)) = failing {
        let times = failures.iter().map(|r| mmss(r.at)).collect::<Vec<_>>().join(", ");
        if let Some(last) = failures.last().filter(|r| !r.output.trim().is_empty()) {
            details.push(format!("The probe said: {}", last.output.trim()));
        }
        return (
            "bad",
            format!(
                "Not ready since {}: readiness probe `{}` failed {} in a row ({times}), failureThreshold is {threshold}{removal}.",
                mmss(since),
                probe_action(readiness),
                count(failures.len() as i64, "time")
            ),
        );
    }
    let first = started_at.map(|at| at + delay as Millis * 1000);
    details.push(format!(
        "A container starts out not ready; the first readiness probe runs after initialDelaySeconds ({delay}s), then every {period}s."
    ));
    let when = first.map(|at| format!(" (first probe at {})", mmss(at))).unwrap_or_default();
    (
        "warn",
        format!(
            "Not ready yet: readiness probe `{}` has not succeeded{when}{removal}.",
            probe_action(readiness)
        ),
    )
}

/// The headline for an instance the kubelet has decided to kill but the API still shows running:
/// the kill decision, the stop signal and the grace period until SIGKILL.
fn stopping(
    trace: &[&Trace],
    records: &[&ProbeRecord],
    spec: Option<&k8s_openapi::api::core::v1::Container>,
    now: Millis,
) -> Option<String> {
    let (at, reason, grace) = trace.iter().rev().find_map(|t| match t {
        Trace::Killing { at, reason, grace_seconds, .. } => Some((*at, reason.clone(), *grace_seconds)),
        _ => None,
    })?;
    let why = probe_failures(records, spec, &reason, at)
        .map(|(kind, action, failures, threshold)| {
            format!(
                "{kind} probe `{action}` failed {} in a row, failureThreshold is {threshold}",
                count(failures as i64, "time")
            )
        })
        .unwrap_or(reason);
    let end = match last_exit(trace) {
        Some((exited, code, _)) => format!("it exited at {} with code {code}", mmss(exited)),
        None => {
            let deadline = at + grace.max(2) as Millis * 1000;
            let left = deadline.saturating_sub(now);
            format!(
                "it has a {grace}s grace period after the stop signal: SIGKILL at {} at the latest ({} left)",
                mmss(deadline),
                go_duration(left)
            )
        }
    };
    Some(format!("Being stopped since {}: {why}; {end}.", mmss(at)))
}

/// The probe behind a kill message (`... failed liveness probe, will be restarted`): its kind, its
/// action, how many times in a row it failed before `at` in this instance and its threshold.
fn probe_failures(
    records: &[&ProbeRecord],
    spec: Option<&k8s_openapi::api::core::v1::Container>,
    reason: &str,
    at: Millis,
) -> Option<(&'static str, String, usize, i32)> {
    let kind = ["liveness", "startup"].into_iter().find(|kind| reason.contains(kind))?;
    let failures = consecutive(records, kind, "failure", Some(at));
    let (action, threshold) =
        spec.and_then(|c| probe(c, kind)).map(|p| (probe_action(p), probe_numbers(p).2)).unwrap_or_default();
    Some((kind, action, failures.len(), threshold))
}

/// How the container came to restart, from the latest kill or exit in `trace` (the trace before
/// the instance the API shows), counted within the instance that was killed; and, for a liveness
/// kill of an instance that never answered, the startup probe that would have saved it.
fn restart_story(
    trace: &[&Trace],
    records: &[&ProbeRecord],
    spec: Option<&k8s_openapi::api::core::v1::Container>,
    restarts: i32,
) -> Vec<String> {
    let restarted = format!("Restarted {}.", count(restarts as i64, "time"));
    let kill = trace.iter().rev().find_map(|t| match t {
        Trace::Killing { at, reason, grace_seconds, .. } => Some((*at, reason.clone(), *grace_seconds)),
        _ => None,
    });
    let exit = last_exit(trace);
    if let Some((at, reason, grace)) = kill.filter(|(at, ..)| exit.as_ref().is_none_or(|(e, ..)| *e >= *at)) {
        let all = instances::instances(trace);
        let killed = all.iter().rev().find(|i| i.started_at <= at).copied();
        let own = killed.map_or(records.to_vec(), |i| i.records(records));
        if let Some((kind, action, failures, threshold)) = probe_failures(&own, spec, &reason, at) {
            let times = consecutive(&own, kind, "failure", Some(at))
                .iter()
                .map(|r| mmss(r.at))
                .collect::<Vec<_>>()
                .join(", ");
            let mut story = vec![format!(
                "{restarted} Last at {}: {kind} probe `{action}` failed {} in a row ({times}), failureThreshold is {threshold}; the kubelet killed the container (grace period {grace}s) and started a new one.",
                mmss(at),
                count(failures as i64, "time")
            )];
            if kind == "liveness" {
                let advice = killed.and_then(|i| instances::startup_advice(spec, &i, at, trace, records));
                story.extend(advice);
            }
            return story;
        }
        return vec![format!("{restarted} Last kill at {}: {reason}.", mmss(at))];
    }
    if let Some((at, code, why)) = exit {
        return vec![format!(
            "{restarted} The main process last exited at {} with code {code} ({why}), and the restart policy started it again.",
            mmss(at)
        )];
    }
    vec![restarted]
}

fn last_exit(trace: &[&Trace]) -> Option<(Millis, i32, String)> {
    trace.iter().rev().find_map(|t| match t {
        Trace::Exited { at, exit_code, reason, .. } => Some((*at, *exit_code, reason.clone())),
        _ => None,
    })
}

/// When a probe's cached result last became `result`.
fn last_change(trace: &[&Trace], kind: &str, result: &str) -> Option<Millis> {
    let last = trace.iter().rev().find_map(|t| match t {
        Trace::ProbeResult { at, probe, result: r, .. } if probe.as_str() == kind => Some((*at, r.clone())),
        _ => None,
    })?;
    (last.1 == result).then_some(last.0)
}

/// The run of consecutive `result` records of one probe kind that ends at or before `until`.
fn consecutive<'a>(
    records: &[&'a ProbeRecord],
    kind: &str,
    result: &str,
    until: Option<Millis>,
) -> Vec<&'a ProbeRecord> {
    let mut run: Vec<&ProbeRecord> = records
        .iter()
        .rev()
        .filter(|r| r.probe.as_str() == kind && until.is_none_or(|u| r.at <= u))
        .take_while(|r| r.result == result)
        .copied()
        .collect();
    run.reverse();
    // The explanation is about crossing the threshold: runs counted beyond it add nothing.
    run.retain(|r| r.run <= r.threshold);
    run
}

/// The Services listing a pod IP, each with whether the address is ready.
fn services_listing(sim: &Simulation, ip: &str) -> Vec<(String, bool)> {
    if ip.is_empty() {
        return Vec::new();
    }
    let matches = |address: &String| address == ip || address.split(':').next() == Some(ip);
    sim.endpoints()
        .into_iter()
        .filter_map(|e| {
            if e.addresses.iter().any(matches) {
                Some((e.name, true))
            } else if e.not_ready_addresses.iter().any(matches) {
                Some((e.name, false))
            } else {
                None
            }
        })
        .collect()
}
