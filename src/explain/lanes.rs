//! What the probe timeline draws besides the probe marks, as data: the READY lane from the API's
//! own `ready` flags (so it agrees with `kubectl get pods` at every second), each kill from the
//! kubelet's decision through the stop signal and the grace period to SIGKILL or the exit, and the
//! words of a probe mark's tooltip.

use crate::duration::{Millis, SECOND};
use crate::sim::{ProbeRecord, Simulation, Trace};

/// The spans in which the API showed the container ready: `(from, to)`, `to` being now while it
/// still is. Read from the status writes themselves (`engine::ReadyChange`), so a container being
/// killed stays ready until the kubelet reports its exit, exactly as `kubectl get pods` shows it.
pub fn ready_spans(sim: &Simulation, namespace: &str, pod: &str, container: &str) -> Vec<(Millis, Millis)> {
    let mut spans = Vec::new();
    let mut since = None;
    let changes = sim
        .ready_log()
        .iter()
        .filter(|c| &*c.namespace == namespace && &*c.pod == pod && &*c.container == container);
    for change in changes {
        match (change.ready, since) {
            (true, None) => since = Some(change.at),
            (false, Some(from)) => {
                spans.push((from, change.at));
                since = None;
            }
            _ => {}
        }
    }
    if let Some(from) = since {
        spans.push((from, sim.now()));
    }
    spans
}

/// One kill of a container instance, from the kubelet's decision to the container's exit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KillSpan {
    /// When the kubelet decided (the `Killing` event).
    pub decided_at: Millis,
    /// The `Killing` event's message (`Container liveness failed liveness probe, will be restarted`).
    pub reason: String,
    /// The grace period the kill was given, in seconds.
    pub grace_seconds: i64,
    /// When the stop signal was sent (after any preStop hook) and its name (`SIGTERM`).
    pub stop_signal: Option<(Millis, &'static str)>,
    /// When SIGKILL is due: the grace period left after the preStop hook, at least 2 s
    /// (`pkg/kubelet/kuberuntime/kuberuntime_container.go` killContainer's minimum).
    pub sigkill_due: Option<Millis>,
    /// When SIGKILL was sent, if the container outlived its grace period.
    pub sigkill_at: Option<Millis>,
    /// When the container exited and with which code; `None` while it is still stopping.
    pub exited: Option<(Millis, i32)>,
}

/// Every kill of one container so far, oldest first: the span the timeline draws for each
/// (SIGTERM sent, waiting, SIGKILL, exit).
pub fn kill_spans(sim: &Simulation, namespace: &str, pod: &str, container: &str) -> Vec<KillSpan> {
    let signals: Vec<(Millis, i32)> = sim
        .signal_log()
        .iter()
        .filter(|s| &*s.namespace == namespace && &*s.pod == pod && &*s.container == container)
        .map(|s| (s.at, s.signal))
        .collect();
    let trace: Vec<&Trace> = sim.trace().iter().filter(|t| t.is_for(namespace, pod, container)).collect();
    let mut spans = Vec::new();
    for (index, t) in trace.iter().enumerate() {
        let Trace::Killing { at, reason, grace_seconds, .. } = t else { continue };
        let exited = trace[index..].iter().find_map(|t| match t {
            Trace::Exited { at: e, exit_code, .. } if e >= at => Some((*e, *exit_code)),
            _ => None,
        });
        let end = exited.map_or(Millis::MAX, |(e, _)| e);
        let mine: Vec<&(Millis, i32)> = signals.iter().filter(|(s, _)| s >= at && *s <= end).collect();
        let stop_signal = mine.iter().find(|(_, n)| *n != 9).map(|(s, n)| (*s, signal_name(*n)));
        let sigkill_at = mine.iter().find(|(_, n)| *n == 9).map(|(s, _)| *s);
        let sigkill_due = stop_signal.map(|(sent, _)| {
            let hook = (sent - at) / SECOND;
            let left = (*grace_seconds).max(0) as Millis - hook.min((*grace_seconds).max(0) as Millis);
            sent + left.max(2) * SECOND
        });
        spans.push(KillSpan {
            decided_at: *at,
            reason: reason.clone(),
            grace_seconds: *grace_seconds,
            stop_signal,
            sigkill_due,
            sigkill_at,
            exited,
        });
    }
    spans
}

/// The name of a signal the kubelet sends.
fn signal_name(number: i32) -> &'static str {
    match number {
        1 => "SIGHUP",
        2 => "SIGINT",
        3 => "SIGQUIT",
        9 => "SIGKILL",
        10 => "SIGUSR1",
        15 => "SIGTERM",
        28 => "SIGWINCH",
        _ => "a signal",
    }
}

/// The tooltip of one probe mark: when, which probe, its result and how the result counts toward
/// its threshold. The probe worker keeps counting a result past its threshold
/// (`pkg/kubelet/prober/worker.go` doProbe's resultRun), so "6/1" is not a fraction anyone should
/// read: past the threshold the tooltip says how many in a row and that the threshold was reached.
pub fn probe_mark_tooltip(record: &ProbeRecord, action: &str) -> String {
    let kind = record.probe.as_str();
    let threshold_name = if record.result == "failure" { "failureThreshold" } else { "successThreshold" };
    let (run, threshold) = (record.run, record.threshold);
    let count = match record.result {
        "error" => "an error, which does not count toward either threshold".to_string(),
        _ if run == 0 || threshold == 0 => record.result.to_string(),
        _ if run < threshold => {
            format!("{} {run} of {threshold} in a row ({threshold_name} {threshold})", record.result)
        }
        _ if run == threshold => format!("{} {run} of {threshold}: {threshold_name} reached", record.result),
        _ => format!("{}, {run} in a row ({threshold_name} {threshold} already reached)", record.result),
    };
    let mut text = format!("{} {kind} {action}: {count}", super::format::mmss(record.at));
    if record.result == "warning" {
        text.push_str(" (a warning counts as a success)");
    }
    if !record.output.trim().is_empty() {
        text.push('\n');
        text.push_str(&super::format::ellipsize(&record.output, 160));
    }
    text
}
