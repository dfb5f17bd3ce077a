//! Container instances in the kubelet trace, so that every count an explanation gives belongs to
//! one instance (a restart starts the probe workers' counts afresh: `pkg/kubelet/prober/worker.go`
//! doProbe resets its run after a liveness kill and on a new container ID), and the advice for a
//! liveness probe that kills a container before it has finished starting.

use k8s_openapi::api::core::v1::Container;

use super::format::{count, probe, probe_numbers};
use crate::duration::Millis;
use crate::sim::{ProbeRecord, Trace};

/// One container instance's stretch of the trace: from its `Started` record up to the next
/// instance's (exclusive), by position, so that records of the same millisecond fall on the right
/// side of a restart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Instance {
    /// Position of its `Started` record in the container's trace.
    pub first: usize,
    /// Position of the next instance's `Started` record, or the trace's length.
    pub end: usize,
    pub started_at: Millis,
    /// When the next instance started: probe records from then on are not this instance's.
    pub next_start: Option<Millis>,
}

impl Instance {
    /// This instance's part of the container's trace.
    pub fn trace<'a>(&self, trace: &[&'a Trace]) -> Vec<&'a Trace> {
        trace[self.first..self.end].to_vec()
    }

    /// This instance's probe records.
    pub fn records<'a>(&self, records: &[&'a ProbeRecord]) -> Vec<&'a ProbeRecord> {
        records
            .iter()
            .copied()
            .filter(|r| r.at >= self.started_at && self.next_start.is_none_or(|n| r.at < n))
            .collect()
    }
}

/// Every instance of one container, oldest first.
pub(super) fn instances(trace: &[&Trace]) -> Vec<Instance> {
    let starts: Vec<(usize, Millis)> = trace
        .iter()
        .enumerate()
        .filter_map(|(i, t)| match t {
            Trace::Started { at, .. } => Some((i, *at)),
            _ => None,
        })
        .collect();
    starts
        .iter()
        .enumerate()
        .map(|(n, (first, started_at))| {
            let next = starts.get(n + 1);
            Instance {
                first: *first,
                end: next.map_or(trace.len(), |(i, _)| *i),
                started_at: *started_at,
                next_start: next.map(|(_, at)| *at),
            }
        })
        .collect()
}

/// The instance the API's container status describes: the one started with its restart count.
/// The trace runs ahead of the API by up to one sync (a replacement may already have started),
/// so the latest instance is not necessarily the one shown.
pub(super) fn shown(trace: &[&Trace], restart_count: i32) -> Option<Instance> {
    let all = instances(trace);
    let by_count = all
        .iter()
        .rev()
        .find(|i| matches!(trace[i.first], Trace::Started { restart_count: r, .. } if *r == restart_count));
    by_count.or(all.last()).copied()
}

/// When a liveness probe killed an instance that had not once answered a probe, it was most
/// likely still starting: the advice is a startup probe, which holds liveness back until it
/// succeeds, sized from what the trace shows. If any instance of the container did answer, its
/// start-up time is known (from its start to its first successful probe) and the advice gives
/// the smallest `failureThreshold` with `failureThreshold × periodSeconds` at least that long;
/// otherwise the instance ran for as long as the liveness probe allowed without answering, which
/// is a lower bound the startup probe must exceed.
pub(super) fn startup_advice(
    spec: Option<&Container>,
    killed: &Instance,
    killed_at: Millis,
    trace: &[&Trace],
    records: &[&ProbeRecord],
) -> Option<String> {
    let spec = spec?;
    if probe(spec, "startup").is_some() {
        return None;
    }
    let liveness = probe(spec, "liveness")?;
    let answered = |r: &&ProbeRecord| r.result == "success" || r.result == "warning";
    let own = killed.records(records);
    if own.iter().filter(|r| r.at <= killed_at).any(answered) {
        return None;
    }
    let (delay, period, threshold) = probe_numbers(liveness);
    let period = period.max(1) as Millis;
    let observed = instances(trace)
        .iter()
        .filter_map(|i| i.records(records).into_iter().find(answered).map(|r| r.at - i.started_at))
        .min();
    // The seconds the startup probe must cover, and where that number comes from.
    let (needed, how) = match observed {
        Some(took) => {
            let took = took.div_ceil(1000).max(1);
            (took, format!("an instance that got through first answered {took}s after it started"))
        }
        None => {
            // The liveness probe's own window (and at least the time the instance ran) was not
            // enough, so the start-up takes longer: the startup probe must allow more.
            let ran = (killed_at - killed.started_at) / 1000;
            let window = (delay.max(0) as Millis + threshold.max(1) as Millis * period).max(ran);
            (window + 1, format!("the liveness probe gave it {window}s and it had not answered, so starting takes longer than that"))
        }
    };
    // The first probe may run as soon as the container starts, so `failureThreshold` failures
    // span only `failureThreshold - 1` periods: one more than `needed / period` keeps
    // `failureThreshold × periodSeconds ≥ needed` true even then.
    let threshold = needed.div_ceil(period) + 1;
    let allowed = threshold * period;
    Some(format!(
        "The liveness probe killed the container before it had answered once: it was probably still starting ({how}). A startupProbe with the liveness probe's check holds liveness back until it succeeds; periodSeconds: {period} with failureThreshold: {threshold} allows {}{}.",
        count(allowed as i64, "second"),
        if observed.is_some() { String::new() } else { " (the least that could be enough; allow for the real start-up time)".to_string() }
    ))
}
