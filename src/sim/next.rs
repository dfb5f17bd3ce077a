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
            [p.namespace, p.name, p.ready, p.status, p.restarts.to_string(), p.ip, p.node, p.deleting.to_string()]
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
