//! Known probe mistakes, each found from the container's spec, what running its image showed and,
//! when there is one, the simulation's record.
//!
//! A liveness probe "on a dependency" is recognised by a sound but narrow rule, so that it warns
//! only where the probe certainly leaves the pod: an `httpGet` or `tcpSocket` with a `host` other
//! than the pod itself, or an exec probe that runs a network client (`curl`, `wget`, `nc`,
//! `redis-cli`, `pg_isready`, …) with a target host — a URL's host, a `-h`/`--host` value, or
//! `nc`'s first argument — that is not `localhost`, a loopback address or `$(POD_IP)`. A probe
//! through a client whose target cannot be read is not reported.

use k8s_openapi::api::core::v1::Probe;

use super::context::Ctx;
use super::model::{AppStart, Finding, StartBudget};
use crate::duration::Millis;
use crate::engine::ProbeKind;
use crate::sim::{ProbeRecord, Trace};

/// Programs whose job is to reach another host.
const NETWORK_CLIENTS: &[&str] = &[
    "curl",
    "wget",
    "nc",
    "ncat",
    "netcat",
    "telnet",
    "nslookup",
    "dig",
    "ping",
    "redis-cli",
    "mysql",
    "mysqladmin",
    "psql",
    "pg_isready",
    "mongo",
    "mongosh",
    "grpc_health_probe",
];

/// Flags that name a client's target host.
const HOST_FLAGS: &[&str] = &["-h", "--host", "-H", "-addr", "--addr", "-host"];

/// Whether a host names the pod itself.
fn is_local(host: &str) -> bool {
    let host = host.trim_matches(|c| c == '[' || c == ']');
    host.is_empty()
        || host == "localhost"
        || host.starts_with("127.")
        || host == "::1"
        || host == "0.0.0.0"
        || host.contains("$(POD_IP)")
        || host.contains("${POD_IP}")
        || host.contains("$POD_IP")
}

/// The host part of `host:port`, of a URL, or the word itself.
fn host_of(word: &str) -> &str {
    let rest = word.split_once("://").map_or(word, |(_, r)| r);
    let authority = rest.split('/').next().unwrap_or(rest);
    let authority = authority.rsplit_once('@').map_or(authority, |(_, a)| a);
    if authority.starts_with('[') {
        return authority.split(']').next().map_or(authority, |h| h.trim_start_matches('['));
    }
    authority.split(':').next().unwrap_or(authority)
}

/// The non-local host an exec command's network client targets, if the rule above finds one.
fn exec_target(argv: &[String]) -> Option<String> {
    // A shell's `-c` script is read word by word too.
    let words: Vec<&str> = argv.iter().flat_map(|a| a.split_whitespace()).collect();
    let program = |w: &str| w.rsplit('/').next().unwrap_or(w).to_string();
    if !words.iter().any(|w| NETWORK_CLIENTS.contains(&program(w).as_str())) {
        return None;
    }
    for (i, w) in words.iter().enumerate() {
        let w = w.trim_matches(|c| c == '"' || c == '\'' || c == ';');
        let candidate = if w.contains("://") {
            Some(host_of(w))
        } else if let Some((_, value)) = w.split_once('=').filter(|(f, _)| HOST_FLAGS.contains(f)) {
            Some(host_of(value))
        } else if HOST_FLAGS.contains(&w) {
            words.get(i + 1).map(|v| host_of(v.trim_matches(|c| c == '"' || c == '\'')))
        } else if program(w) == "nc" || program(w) == "telnet" {
            words[i + 1..].iter().find(|v| !v.starts_with('-')).map(|v| host_of(v))
        } else {
            None
        };
        if let Some(host) = candidate.filter(|h| !is_local(h)) {
            return Some(host.to_string());
        }
    }
    None
}

/// The other host or Service a probe reaches, if it reaches one.
pub(crate) fn dependency(probe: &Probe) -> Option<String> {
    if let Some(host) = probe.http_get.as_ref().and_then(|h| h.host.clone()).filter(|h| !is_local(h)) {
        return Some(host);
    }
    if let Some(host) = probe.tcp_socket.as_ref().and_then(|t| t.host.clone()).filter(|h| !is_local(h)) {
        return Some(host);
    }
    exec_target(probe.exec.as_ref()?.command.as_deref()?)
}

/// Whether two probes check the same thing the same way (their handlers are equal).
fn same_check(a: &Probe, b: &Probe) -> bool {
    a.exec == b.exec && a.http_get == b.http_get && a.tcp_socket == b.tcp_socket && a.grpc == b.grpc
}

/// Instances a probe killed before any of their probes passed: how many, and the longest life.
pub(crate) fn killed_before_answering(trace: &[&Trace], records: &[&ProbeRecord]) -> Option<(u32, Millis)> {
    let starts: Vec<Millis> = trace
        .iter()
        .filter_map(|t| match t {
            Trace::Started { at, .. } => Some(*at),
            _ => None,
        })
        .collect();
    let mut count = 0;
    let mut longest = 0;
    for (i, start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(Millis::MAX);
        let kill = trace.iter().find_map(|t| match t {
            Trace::Killing { at, reason, .. }
                if *at >= *start
                    && *at < end
                    && (reason.contains("liveness") || reason.contains("startup")) =>
            {
                Some(*at)
            }
            _ => None,
        });
        let Some(kill) = kill else { continue };
        let answered = records
            .iter()
            .any(|r| r.at >= *start && r.at <= kill && r.result != "failure" && r.result != "error");
        if !answered {
            count += 1;
            longest = longest.max(kill - start);
        }
    }
    (count > 0).then_some((count, longest))
}

/// Every finding for the container.
pub(crate) fn findings(
    ctx: &Ctx,
    app_start: Option<AppStart>,
    budget: Option<StartBudget>,
    first_liveness: Option<Millis>,
    killed_early: Option<(u32, Millis)>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let liveness = ctx.probe(ProbeKind::Liveness);
    let readiness = ctx.probe(ProbeKind::Readiness);
    let startup = ctx.probe(ProbeKind::Startup);
    if let (Some(l), Some(r)) = (liveness, readiness) {
        if same_check(&l.spec, &r.spec) {
            out.push(Finding::LivenessSameAsReadiness);
        }
    }
    if let Some(target) = liveness.and_then(|l| dependency(&l.spec)) {
        out.push(Finding::LivenessOnDependency { target });
    }
    if let (None, Some(start), Some(first)) = (startup, app_start, first_liveness) {
        if start.ms > first {
            out.push(Finding::SlowStartWithoutStartupProbe {
                start_ms: start.ms,
                source: start.source,
                first_liveness_ms: first,
            });
        }
    }
    for p in &ctx.probes {
        if p.timing.timeout >= p.timing.period {
            out.push(Finding::TimeoutNotBelowPeriod {
                probe: p.kind,
                timeout_ms: p.timing.timeout,
                period_ms: p.timing.period,
            });
        }
    }
    if let (Some(start), Some(budget)) = (app_start, budget) {
        if start.ms > budget.longest_start_ms {
            out.push(Finding::RestartsBeforeStart {
                probe: budget.probe,
                start_ms: start.ms,
                source: start.source,
                longest_start_ms: budget.longest_start_ms,
            });
        }
    }
    if let Some((instances, longest_life_ms)) = killed_early {
        out.push(Finding::KilledBeforeAnswering { instances, longest_life_ms });
    }
    out
}
