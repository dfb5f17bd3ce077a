//! The `postMessage` protocol's outbound side: the state reports and changes a host page receives
//! (`docs/embed.md`). Inbound requests are read in `inbound.rs`.

use super::*;

/// The name of the field that marks a message as the playground's.
pub const MARKER: &str = "probePlayground";

/// The protocol version: the value of [`MARKER`] in every message, in both directions.
pub const PROTOCOL_VERSION: u64 = 1;

/// A message the playground posts to its host page. [`Outbound::to_json`] writes it with the
/// protocol marker and its `type` (`ready`, `state`, `change`, `commandResult`, `error`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum Outbound {
    /// Posted once to the parent window when the playground has started and listens for messages.
    Ready {
        /// The playground's version.
        version: String,
        /// What was wrong with the embed URL, as [`EmbedOptions::from_query`] reported it.
        warnings: Vec<String>,
    },
    /// The answer to `getState` and `subscribe`.
    State(State),
    /// One observable change, posted to subscribers.
    Change(Change),
    /// The answer to `run`.
    CommandResult { command: String, output: String, ok: bool },
    /// A request could not be carried out.
    Error { message: String },
}

/// What the playground shows at one instant, in the shape of a `state` message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct State {
    /// Virtual time in milliseconds; written as `t` in seconds.
    #[serde(rename = "t", serialize_with = "as_seconds")]
    pub time_ms: Millis,
    /// The clock as the playground shows it (`2m5s`).
    pub clock: String,
    pub playing: bool,
    pub speed: u32,
    pub pods: Vec<PodState>,
    pub endpoints: Vec<EndpointsState>,
}

/// One pod as `kubectl get pods` shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodState {
    pub name: String,
    pub namespace: String,
    /// The READY column (`1/1`).
    pub ready: String,
    /// The STATUS column (`Running`, `CrashLoopBackOff`).
    pub status: String,
    /// The restart count (the number in the RESTARTS column).
    pub restarts: i64,
}

/// One Service's endpoints: the same view the CLI's JSON timeline shows, so both speak of them in
/// one shape.
pub type EndpointsState = crate::sim::EndpointsView;

/// A change between two states, as a `change` message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    pub kind: ChangeKind,
    /// The pod that changed (kinds `ready`, `restarts`, `status`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pod: Option<String>,
    /// The Service whose endpoints changed (kind `endpoints`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    pub namespace: String,
    /// The value before; `null` when the object has just appeared.
    pub from: Option<ChangeValue>,
    /// The value after; `null` when the object has gone.
    pub to: Option<ChangeValue>,
    /// The virtual time of the later state, in milliseconds; written as `t` in seconds.
    #[serde(rename = "t", serialize_with = "as_seconds")]
    pub time_ms: Millis,
}

/// What changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ChangeKind {
    /// A pod's READY column; the values are texts like `0/1`.
    Ready,
    /// A pod's restart count; the values are numbers.
    Restarts,
    /// A Service's ready addresses; the values are lists of `ip:port`.
    Endpoints,
    /// A pod's STATUS column, or a pod appearing (`from` is null) or going (`to` is null).
    Status,
}

/// The value of a changed field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum ChangeValue {
    Text(String),
    Count(i64),
    Addresses(Vec<String>),
}

impl Outbound {
    /// The `ready` message for this build, carrying the embed URL's warnings.
    pub fn ready(warnings: Vec<String>) -> Outbound {
        Outbound::Ready { version: env!("CARGO_PKG_VERSION").to_string(), warnings }
    }

    /// Writes the message as JSON with the protocol marker first, ready for `postMessage` (the host
    /// receives it as a string, or as an object if the caller passes it through `JSON.parse`).
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Envelope<'a> {
            #[serde(rename = "probePlayground")]
            marker: u64,
            #[serde(flatten)]
            message: &'a Outbound,
        }
        serde_json::to_string(&Envelope { marker: PROTOCOL_VERSION, message: self }).unwrap_or_else(|e| {
            format!("{{\"{MARKER}\":{PROTOCOL_VERSION},\"type\":\"error\",\"message\":{:?}}}", e.to_string())
        })
    }
}

impl State {
    /// The state shown at `time_ms`, from the simulation's snapshot of that instant.
    pub fn from_snapshot(snapshot: &Snapshot, time_ms: Millis, playing: bool, speed: u32) -> State {
        State {
            time_ms,
            clock: duration::clock(time_ms),
            playing,
            speed,
            pods: snapshot
                .pods
                .iter()
                .map(|p| PodState {
                    name: p.name.clone(),
                    namespace: p.namespace.clone(),
                    ready: p.ready.clone(),
                    status: p.status.clone(),
                    restarts: p.restarts,
                })
                .collect(),
            endpoints: snapshot
                .endpoints
                .iter()
                .map(|e| EndpointsState {
                    name: e.name.clone(),
                    namespace: e.namespace.clone(),
                    addresses: e.addresses.clone(),
                    not_ready_addresses: e.not_ready_addresses.clone(),
                })
                .collect(),
        }
    }
}

/// The `change` messages that lead from `prev` to `next`: for each pod in `next`'s order its STATUS,
/// READY and restart count, then pods that have gone, then each Service's ready addresses.
///
/// A pod that appears produces one `status` change from `null`, and one that goes one `status` change
/// to `null`, rather than a change for every column. Pods and Services are matched by namespace and
/// name, so a pod deleted and recreated under the same name between the two states reads as a change
/// of its columns. The clock, speed and playing flag are not reported; a host that wants them asks
/// for the state.
pub fn diff_state(prev: &State, next: &State) -> Vec<Outbound> {
    let t = next.time_ms;
    let mut changes = Vec::new();
    let pod_change = |kind, p: &PodState, from, to| Change {
        kind,
        pod: Some(p.name.clone()),
        service: None,
        namespace: p.namespace.clone(),
        from,
        to,
        time_ms: t,
    };
    for pod in &next.pods {
        let before = prev.pods.iter().find(|p| p.name == pod.name && p.namespace == pod.namespace);
        let Some(before) = before else {
            changes.push(pod_change(
                ChangeKind::Status,
                pod,
                None,
                Some(ChangeValue::Text(pod.status.clone())),
            ));
            continue;
        };
        if before.status != pod.status {
            changes.push(pod_change(
                ChangeKind::Status,
                pod,
                Some(ChangeValue::Text(before.status.clone())),
                Some(ChangeValue::Text(pod.status.clone())),
            ));
        }
        if before.ready != pod.ready {
            changes.push(pod_change(
                ChangeKind::Ready,
                pod,
                Some(ChangeValue::Text(before.ready.clone())),
                Some(ChangeValue::Text(pod.ready.clone())),
            ));
        }
        if before.restarts != pod.restarts {
            changes.push(pod_change(
                ChangeKind::Restarts,
                pod,
                Some(ChangeValue::Count(before.restarts)),
                Some(ChangeValue::Count(pod.restarts)),
            ));
        }
    }
    for gone in &prev.pods {
        if !next.pods.iter().any(|p| p.name == gone.name && p.namespace == gone.namespace) {
            changes.push(pod_change(
                ChangeKind::Status,
                gone,
                Some(ChangeValue::Text(gone.status.clone())),
                None,
            ));
        }
    }
    let endpoints_change = |e: &EndpointsState, from, to| Change {
        kind: ChangeKind::Endpoints,
        pod: None,
        service: Some(e.name.clone()),
        namespace: e.namespace.clone(),
        from,
        to,
        time_ms: t,
    };
    for service in &next.endpoints {
        let before =
            prev.endpoints.iter().find(|e| e.name == service.name && e.namespace == service.namespace);
        match before {
            None => changes.push(endpoints_change(
                service,
                None,
                Some(ChangeValue::Addresses(service.addresses.clone())),
            )),
            Some(before) if before.addresses != service.addresses => changes.push(endpoints_change(
                service,
                Some(ChangeValue::Addresses(before.addresses.clone())),
                Some(ChangeValue::Addresses(service.addresses.clone())),
            )),
            Some(_) => {}
        }
    }
    for gone in &prev.endpoints {
        if !next.endpoints.iter().any(|e| e.name == gone.name && e.namespace == gone.namespace) {
            changes.push(endpoints_change(gone, Some(ChangeValue::Addresses(gone.addresses.clone())), None));
        }
    }
    changes.into_iter().map(Outbound::Change).collect()
}

/// Writes milliseconds as seconds: a whole number when it is one, so that `80` does not read `80.0`.
pub(super) fn as_seconds<S: Serializer>(ms: &Millis, serializer: S) -> Result<S::Ok, S::Error> {
    if ms.is_multiple_of(1000) {
        serializer.serialize_u64(ms / 1000)
    } else {
        serializer.serialize_f64(*ms as f64 / 1000.0)
    }
}
