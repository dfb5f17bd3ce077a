//! The Events table's rows: `kubectl get events` with each Event's de-duplication count, newest first.

use serde::{Deserialize, Serialize};

use crate::duration::human_duration;
use crate::sim::Simulation;

/// How many Events the table shows (the newest).
pub const EVENT_ROWS: usize = 150;

/// One Event object as `kubectl get events` lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventRow {
    pub last_seen: String,
    pub type_: String,
    pub reason: String,
    /// `pod/liveness-exec`.
    pub object: String,
    pub count: u32,
    pub message: String,
}

/// The newest Events, newest first, and how many there are in all.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventList {
    pub rows: Vec<EventRow>,
    pub total: usize,
}

impl EventList {
    /// The Events of the simulation as the table lists them.
    pub fn of(sim: &Simulation) -> EventList {
        let now = sim.now() as i64;
        let events = &sim.api().events;
        let mut order: Vec<usize> = (0..events.len()).collect();
        // Newest first by last occurrence; creation order breaks ties so the table is stable.
        order.sort_by(|a, b| events[*b].last.cmp(&events[*a].last).then(b.cmp(a)));
        let rows = order
            .into_iter()
            .take(EVENT_ROWS)
            .map(|i| {
                let e = &events[i];
                EventRow {
                    last_seen: human_duration(now - e.last as i64),
                    type_: e.type_.clone(),
                    reason: e.reason.clone(),
                    object: format!("{}/{}", e.involved.kind.to_lowercase(), e.involved.name),
                    count: e.count,
                    message: e.message.clone(),
                }
            })
            .collect();
        EventList { rows, total: events.len() }
    }
}
