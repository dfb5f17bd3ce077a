//! The event recorder: client-go's de-duplication, aggregation and spam filter (§11), writing Event
//! objects into the API store and keeping every raw occurrence for the CLI's JSON and the UI.
//! (Placeholder: records every occurrence as its own Event, without de-duplication.)

use serde::Serialize;

use crate::api::{ApiStore, Event, ObjectRef};
use crate::duration::Millis;

/// Who records an event (`source.component`, `source.host`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Source {
    pub component: String,
    pub host: String,
}

/// One event occurrence before de-duplication, as the CLI's `events` array lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Occurrence {
    /// Virtual time in milliseconds.
    pub at: Millis,
    #[serde(rename = "type")]
    pub type_: String,
    pub reason: String,
    /// `Pod/liveness-exec`.
    pub object: String,
    pub namespace: String,
    pub field_path: String,
    pub message: String,
}

/// The recorder; one per world, shared by the kubelet, the scheduler and the controllers.
#[derive(Clone, Debug, Default)]
pub struct EventRecorder {
    occurrences: Vec<Occurrence>,
}

impl EventRecorder {
    /// Records one occurrence at `now`.
    #[allow(clippy::too_many_arguments)]
    pub fn record(
        &mut self,
        api: &mut ApiStore,
        now: Millis,
        source: &Source,
        involved: &ObjectRef,
        type_: &str,
        reason: &str,
        message: &str,
    ) {
        self.occurrences.push(Occurrence {
            at: now,
            type_: type_.to_string(),
            reason: reason.to_string(),
            object: format!("{}/{}", involved.kind, involved.name),
            namespace: involved.namespace.clone(),
            field_path: involved.field_path.clone(),
            message: message.to_string(),
        });
        api.events.push(Event {
            name: format!("{}.{:016x}", involved.name, api.events.len()),
            namespace: involved.namespace.clone(),
            involved: involved.clone(),
            type_: type_.to_string(),
            reason: reason.to_string(),
            message: message.to_string(),
            count: 1,
            first: now,
            last: now,
            source: source.component.clone(),
            host: source.host.clone(),
        });
    }

    /// Every occurrence so far, in time order.
    pub fn occurrences(&self) -> &[Occurrence] {
        &self.occurrences
    }
}
