//! The `postMessage` protocol: inbound requests read strictly through [`parse_inbound`], and the
//! outbound state reports and changes a host page receives (`docs/embed.md`).

use super::*;

/// The name of the field that marks a message as the playground's.
pub const MARKER: &str = "probePlayground";

/// The protocol version: the value of [`MARKER`] in every message, in both directions.
pub const PROTOCOL_VERSION: u64 = 1;

/// The largest scenario a `load` message may carry: 1 MiB, as for share links.
pub const MAX_YAML_BYTES: usize = 1 << 20;

/// The longest command a `run` message may carry.
pub const MAX_COMMAND_BYTES: usize = 4096;

/// The longest message [`parse_inbound`] reads. JSON escapes a byte of YAML in at most six bytes
/// (`\u0001`), so the largest acceptable `load` message fits, with room for the other fields.
pub const MAX_MESSAGE_BYTES: usize = 6 * MAX_YAML_BYTES + 4096;

/// A request from the host page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inbound {
    /// Replace the scenario with this file and start again from time 0.
    Load {
        yaml: String,
    },
    Play,
    Pause,
    /// Move virtual time to this instant (milliseconds), backwards or forwards.
    Seek {
        t: Millis,
    },
    /// Set the playback speed, one of [`SPEEDS`].
    Speed {
        value: u32,
    },
    /// Run one line of the command language, as typed in the terminal.
    Run {
        command: String,
    },
    /// Reply with one `state` message.
    GetState,
    /// Reply with a `state` message now and post `change` messages as they happen.
    Subscribe,
    /// Stop posting `change` messages.
    Unsubscribe,
}

/// Why [`parse_inbound`] returned no request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InboundError {
    /// The message is not for the playground (no [`MARKER`] field, or not a JSON object at all).
    /// Pages receive messages from browser extensions and other frames, so these are ignored quietly.
    NotForUs,
    /// The message is meant for the playground but is malformed; the text says why, and the
    /// playground answers with an `error` message carrying it.
    Invalid(String),
}

impl fmt::Display for InboundError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InboundError::NotForUs => write!(f, "the message is not addressed to the playground"),
            InboundError::Invalid(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for InboundError {}

/// Reads a message a host page posted, as JSON text (a string message is used as it is; an object
/// is first turned into text with `JSON.stringify`).
///
/// A message is for the playground when it is a JSON object with `"probePlayground": 1`. Such a
/// message must then be exactly one of the documented shapes: an unknown `type`, a missing or
/// unknown field, a value of the wrong type or beyond its limit is [`InboundError::Invalid`].
pub fn parse_inbound(json: &str) -> Result<Inbound, InboundError> {
    if json.len() > MAX_MESSAGE_BYTES {
        if !json.contains(MARKER) {
            return Err(InboundError::NotForUs);
        }
        return Err(invalid(format!(
            "the message is {} bytes long; messages longer than {MAX_MESSAGE_BYTES} bytes are refused",
            json.len()
        )));
    }
    let value: Value = match serde_json::from_str(json) {
        Ok(value) => value,
        Err(e) if json.contains(MARKER) => {
            return Err(invalid(format!("the message is not valid JSON: {e}")));
        }
        Err(_) => return Err(InboundError::NotForUs),
    };
    let Value::Object(object) = value else {
        return Err(InboundError::NotForUs);
    };
    match object.get(MARKER) {
        None => return Err(InboundError::NotForUs),
        Some(v) if v.as_u64() == Some(PROTOCOL_VERSION) => {}
        Some(v) => {
            return Err(invalid(format!(
                "{MARKER} is {}, but this playground speaks version {PROTOCOL_VERSION} of the protocol",
                describe_value(v)
            )));
        }
    }
    let kind = match object.get("type") {
        Some(Value::String(kind)) => kind.as_str(),
        Some(other) => {
            return Err(invalid(format!("type must be a string, not {}", describe_value(other))));
        }
        None => {
            return Err(invalid(format!("the message has no type; expected one of {}", TYPES.join(", "))))
        }
    };
    let Some(&kind) = TYPES.iter().find(|t| **t == kind) else {
        return Err(invalid(format!(
            "unknown message type {}; expected one of {}",
            quote_value(kind),
            TYPES.join(", ")
        )));
    };
    let fields: &[&str] = match kind {
        "load" => &["yaml"],
        "seek" => &["t"],
        "speed" => &["value"],
        "run" => &["command"],
        _ => &[],
    };
    if let Some(unknown) =
        object.keys().find(|k| *k != MARKER && *k != "type" && !fields.contains(&k.as_str()))
    {
        let expected = if fields.is_empty() {
            "it takes no fields".to_string()
        } else {
            format!("it takes {}", fields.join(", "))
        };
        return Err(invalid(format!(
            "unknown field {} in a {kind:?} message; {expected}",
            quote_value(unknown)
        )));
    }
    match kind {
        "load" => {
            let yaml = string_field(&object, kind, "yaml")?;
            if yaml.len() > MAX_YAML_BYTES {
                return Err(invalid(format!(
                    "the scenario is {} bytes long; scenarios longer than {MAX_YAML_BYTES} bytes are refused",
                    yaml.len()
                )));
            }
            Ok(Inbound::Load { yaml: yaml.to_string() })
        }
        "play" => Ok(Inbound::Play),
        "pause" => Ok(Inbound::Pause),
        "seek" => Ok(Inbound::Seek { t: read_seek(field(&object, kind, "t")?)? }),
        "speed" => {
            let value = field(&object, kind, "value")?;
            match value.as_u64() {
                Some(v) if SPEEDS.iter().any(|s| u64::from(*s) == v) => {
                    Ok(Inbound::Speed { value: v as u32 })
                }
                _ => Err(invalid(format!(
                    "speed {} is not one of the playground's speeds ({})",
                    describe_value(value),
                    speeds_list()
                ))),
            }
        }
        "run" => {
            let command = string_field(&object, kind, "command")?;
            if command.len() > MAX_COMMAND_BYTES {
                return Err(invalid(format!(
                    "the command is {} bytes long; commands longer than {MAX_COMMAND_BYTES} bytes are refused",
                    command.len()
                )));
            }
            if command.trim().is_empty() {
                return Err(invalid("the command is empty".to_string()));
            }
            if command.contains(['\n', '\r']) {
                return Err(invalid(
                    "the command must be a single line; send one run message per command".to_string(),
                ));
            }
            Ok(Inbound::Run { command: command.trim().to_string() })
        }
        "getState" => Ok(Inbound::GetState),
        "subscribe" => Ok(Inbound::Subscribe),
        "unsubscribe" => Ok(Inbound::Unsubscribe),
        _ => Err(invalid(format!("unknown message type {kind:?}"))),
    }
}

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

/// One Service's endpoints.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EndpointsState {
    pub name: String,
    pub namespace: String,
    /// `ip:port` of the ready addresses: where the Service sends traffic.
    pub addresses: Vec<String>,
    /// `ip:port` of the addresses held back because their pods are not ready.
    pub not_ready_addresses: Vec<String>,
}

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

/// The inbound message types.
pub(super) const TYPES: [&str; 9] =
    ["load", "play", "pause", "seek", "speed", "run", "getState", "subscribe", "unsubscribe"];

pub(super) fn invalid(message: String) -> InboundError {
    InboundError::Invalid(message)
}

/// Describes a JSON value for an error message: scalars as written, containers by their kind only.
pub(super) fn describe_value(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => quote_value(s),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

pub(super) fn field<'a>(
    object: &'a Map<String, Value>,
    kind: &str,
    name: &str,
) -> Result<&'a Value, InboundError> {
    object.get(name).ok_or_else(|| invalid(format!("a {kind:?} message needs the field {name:?}")))
}

pub(super) fn string_field<'a>(
    object: &'a Map<String, Value>,
    kind: &str,
    name: &str,
) -> Result<&'a str, InboundError> {
    match field(object, kind, name)? {
        Value::String(s) => Ok(s),
        other => Err(invalid(format!(
            "the field {name:?} of a {kind:?} message must be a string, not {}",
            describe_value(other)
        ))),
    }
}

pub(super) fn read_seek(value: &Value) -> Result<Millis, InboundError> {
    let ms = match value {
        Value::Number(n) => match n.as_f64() {
            Some(secs) if secs.is_finite() && secs >= 0.0 => {
                let ms = (secs * 1000.0).round();
                if ms > MAX_TIME_MS as f64 {
                    None
                } else {
                    Some(ms as Millis)
                }
            }
            _ => {
                return Err(invalid(format!("seek: t must not be negative, not {n}")));
            }
        },
        Value::String(s) => match parse_duration(s) {
            Ok(ms) if ms <= MAX_TIME_MS => Some(ms),
            Ok(_) => None,
            Err(e) => return Err(invalid(format!("seek: {e}"))),
        },
        other => {
            return Err(invalid(format!(
                "seek: t must be a number of seconds or a duration like \"1m30s\", not {}",
                describe_value(other)
            )));
        }
    };
    ms.ok_or_else(|| {
        invalid("seek: t is later than 24h, the latest time the playground replays to".to_string())
    })
}

/// Writes milliseconds as seconds: a whole number when it is one, so that `80` does not read `80.0`.
pub(super) fn as_seconds<S: Serializer>(ms: &Millis, serializer: S) -> Result<S::Ok, S::Error> {
    if ms.is_multiple_of(1000) {
        serializer.serialize_u64(ms / 1000)
    } else {
        serializer.serialize_f64(*ms as f64 / 1000.0)
    }
}
