//! "Next event" for the time controls: the next virtual instant at which something a viewer can
//! see happens — an event is recorded, or a pod row (READY, STATUS, RESTARTS, IP, node, a pod
//! appearing or going) or a Service's endpoints change — rather than the next probe tick, which
//! mostly changes nothing. A separate [`Simulation::next_probe_time`] steps to the next probe.
//!
//! Both look ahead on a copy of the simulation, one queued instant at a time, so the simulation
//! itself is untouched and the answer is exactly what running on would show. The copy only
//! compares rows when the API store was written (its resource version moved), so quiet instants
//! cost one queue step each.

use super::Simulation;
use crate::duration::Millis;

/// The most queued instants one look-ahead visits before it gives up (and answers `None`), so
/// that a busy cluster cannot make a button press unbounded work.
pub const MAX_LOOKAHEAD_STEPS: usize = 200_000;

/// What the tables show of the cluster, without the columns that only age (AGE, "(5s ago)").
fn visible(sim: &Simulation) -> (Vec<[String; 8]>, Vec<super::EndpointsView>) {
    let rows = sim
        .snapshot()
        .pods
        .into_iter()
        .map(|p| {
            [
                p.namespace,
                p.name,
                p.ready,
                p.status,
                p.restarts.to_string(),
                p.ip,
                p.node,
                p.deleting.to_string(),
            ]
        })
        .collect();
    (rows, sim.endpoints())
}

impl Simulation {
    /// The next instant after now, at most `limit`, at which an event is recorded or a visible
    /// state (pod rows, endpoints) changes; `None` if nothing does by `limit`.
    pub fn next_visible_change(&self, limit: Millis) -> Option<Millis> {
        let mut ahead = self.clone();
        let events = ahead.event_log().len();
        let mut version = ahead.api().resource_version;
        let mut shown = visible(&ahead);
        ahead.step_until(limit, |sim| {
            if sim.event_log().len() > events {
                return true;
            }
            if sim.api().resource_version == version {
                return false;
            }
            version = sim.api().resource_version;
            let now = visible(sim);
            let changed = now != shown;
            shown = now;
            changed
        })
    }

    /// The next instant after now, at most `limit`, at which a probe runs; `None` if none does.
    pub fn next_probe_time(&self, limit: Millis) -> Option<Millis> {
        let mut ahead = self.clone();
        let probes = ahead.probe_log().len();
        ahead.step_until(limit, |sim| sim.probe_log().len() > probes)
    }

    /// Runs this simulation one queued instant at a time until `done` holds (returning that
    /// instant) or the next instant lies beyond `limit`.
    fn step_until(&mut self, limit: Millis, mut done: impl FnMut(&Simulation) -> bool) -> Option<Millis> {
        for _ in 0..MAX_LOOKAHEAD_STEPS {
            let next = self.next_event_time()?.max(self.now() + 1);
            if next > limit {
                return None;
            }
            self.run_until(next);
            if done(self) {
                return Some(self.now());
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::Simulation;

    fn liveness_exec(at: u64) -> Simulation {
        let yaml = crate::gallery::find("liveness-exec").map(|e| e.yaml).unwrap_or_default();
        let mut sim = Simulation::load(yaml).unwrap_or_else(|e| panic!("{e:?}"));
        sim.run_until(at);
        sim
    }

    /// liveness-exec: from 10 s the probes at 15, 20, 25 and 30 s succeed and change nothing; the
    /// next thing seen is the first Unhealthy event at 35 s. After the Killing event at 45 s the
    /// container waits out its grace period; the next change is the restart's events at 75 s.
    #[test]
    fn next_visible_change_skips_probe_ticks_that_change_nothing() {
        let sim = liveness_exec(10_000);
        assert_eq!(sim.next_visible_change(600_000), Some(35_000));
        assert_eq!(sim.next_probe_time(600_000), Some(15_000));
        // The look-ahead leaves the simulation where it was.
        assert_eq!(sim.now(), 10_000);
        let sim = liveness_exec(45_000);
        assert_eq!(sim.next_visible_change(600_000), Some(75_000));
        assert_eq!(sim.next_visible_change(70_000), None);
    }

    /// The answer is exact: nothing visible changes before it, and something does at it, including
    /// row changes without an event (readiness-httpd's replicas turning 1/1 record none).
    #[test]
    fn the_next_visible_change_is_exact() {
        let yaml = crate::gallery::find("readiness-httpd").map(|e| e.yaml).unwrap_or_default();
        let mut sim = Simulation::load(yaml).unwrap_or_else(|e| panic!("{e:?}"));
        sim.run_until(1_000);
        let mut seen_row_only = false;
        for _ in 0..6 {
            let Some(next) = sim.next_visible_change(120_000) else { break };
            let (events, shown) = (sim.event_log().len(), super::visible(&sim));
            let mut before = sim.clone();
            before.run_until(next - 1);
            assert_eq!((before.event_log().len(), super::visible(&before)), (events, shown.clone()));
            sim.run_until(next);
            let event = sim.event_log().len() > events;
            let row = super::visible(&sim) != shown;
            assert!(event || row, "nothing changed at {next}");
            seen_row_only |= row && !event;
        }
        assert!(seen_row_only, "a readiness change shows without an event");
    }
}
