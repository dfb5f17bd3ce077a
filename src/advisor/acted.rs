//! For each failed probe run in the probe log, whether the kubelet acted on it: a run acted when it
//! reached `failureThreshold` and changed the cached result, which the kubelet then turned into a
//! kill (liveness, startup) or into leaving the Services' endpoints (readiness). A failure below the
//! threshold, or one that only repeats a result already cached (a readiness probe of a container
//! that is not ready yet), changes nothing. The timeline marks each failure with this.

use serde::Serialize;

use crate::duration::Millis;
use crate::engine::ProbeKind;
use crate::sim::{Simulation, Trace};

/// What an acted-on failure led to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Effect {
    /// The kubelet killed the container (liveness or startup).
    Killed,
    /// The container turned not ready: the pod left its Services' endpoints.
    Unready,
}

/// One failed probe run and what came of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FailureVerdict {
    /// The run's position in [`Simulation::probe_log`].
    pub index: usize,
    pub at: Millis,
    pub container: String,
    pub probe: ProbeKind,
    /// The consecutive failures after this run, and the threshold they count toward.
    pub run: u32,
    pub threshold: u32,
    pub reached_threshold: bool,
    /// Set when the run changed the kubelet's cached result.
    pub effect: Option<Effect>,
}

/// The verdict on every failed run of a pod's probes (of one container when given), in log order.
pub fn failure_verdicts(
    sim: &Simulation,
    namespace: &str,
    pod: &str,
    container: Option<&str>,
) -> Vec<FailureVerdict> {
    // The instants at which a probe's cached result became a failure, per container and probe.
    let changes: Vec<(Millis, &str, ProbeKind)> = sim
        .trace()
        .iter()
        .filter_map(|t| match t {
            Trace::ProbeResult { at, namespace: n, pod: p, container: c, probe, result }
                if &**n == namespace && &**p == pod && result == "failure" =>
            {
                Some((*at, &**c, *probe))
            }
            _ => None,
        })
        .collect();
    sim.probe_log()
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            r.result == "failure"
                && r.namespace() == namespace
                && r.pod() == pod
                && container.is_none_or(|c| r.container() == c)
        })
        .map(|(index, r)| {
            let reached = r.run >= r.threshold;
            let changed = reached
                && r.run == r.threshold
                && changes.iter().any(|(at, c, p)| *at == r.at && *c == r.container() && *p == r.probe);
            let effect = changed.then_some(match r.probe {
                ProbeKind::Readiness => Effect::Unready,
                _ => Effect::Killed,
            });
            FailureVerdict {
                index,
                at: r.at,
                container: r.container().to_string(),
                probe: r.probe,
                run: r.run,
                threshold: r.threshold,
                reached_threshold: reached,
                effect,
            }
        })
        .collect()
}
