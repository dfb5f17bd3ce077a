//! The `postMessage` protocol's inbound side: requests from the host page, read strictly through
//! [`parse_inbound`] (`docs/embed.md`).
//!
//! A message is read in two steps. The envelope (the marker, the `type`, which fields the type
//! takes) is checked on the JSON object, because a message without the marker is somebody else's
//! and must be ignored quietly, and because the errors name the message type. The body then decodes
//! through derived [`Deserialize`] types: [`Message`], tagged by `type`, whose fields are small
//! types ([`YamlText`], [`SeekTime`], [`SpeedValue`], [`CommandLine`]) that each check their own
//! value and say in their own words what is wrong with it.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer};

use super::*;

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

/// The body of a request, as the host page writes it: `type` names the variant, and the marker
/// field (checked before) is ignored.
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
enum Message {
    Load { yaml: YamlText },
    Play,
    Pause,
    Seek { t: SeekTime },
    Speed { value: SpeedValue },
    Run { command: CommandLine },
    GetState,
    Subscribe,
    Unsubscribe,
}

impl From<Message> for Inbound {
    fn from(message: Message) -> Inbound {
        match message {
            Message::Load { yaml } => Inbound::Load { yaml: yaml.0 },
            Message::Play => Inbound::Play,
            Message::Pause => Inbound::Pause,
            Message::Seek { t } => Inbound::Seek { t: t.0 },
            Message::Speed { value } => Inbound::Speed { value: value.0 },
            Message::Run { command } => Inbound::Run { command: command.0 },
            Message::GetState => Inbound::GetState,
            Message::Subscribe => Inbound::Subscribe,
            Message::Unsubscribe => Inbound::Unsubscribe,
        }
    }
}

/// The inbound message types, and the fields each one takes.
const FIELDS: [(&str, &[&str]); 9] = [
    ("load", &["yaml"]),
    ("play", &[]),
    ("pause", &[]),
    ("seek", &["t"]),
    ("speed", &["value"]),
    ("run", &["command"]),
    ("getState", &[]),
    ("subscribe", &[]),
    ("unsubscribe", &[]),
];

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
    check_envelope(&object)?;
    serde_json::from_value::<Message>(Value::Object(object))
        .map(Inbound::from)
        .map_err(|e| invalid(e.to_string()))
}

/// Checks the marker, the type and the field names, so that the body's decoding meets only values.
fn check_envelope(object: &Map<String, Value>) -> Result<(), InboundError> {
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
    let types = || FIELDS.iter().map(|(t, _)| *t).collect::<Vec<_>>().join(", ");
    let kind = match object.get("type") {
        Some(Value::String(kind)) => kind.as_str(),
        Some(other) => {
            return Err(invalid(format!("type must be a string, not {}", describe_value(other))));
        }
        None => return Err(invalid(format!("the message has no type; expected one of {}", types()))),
    };
    let Some(&(kind, fields)) = FIELDS.iter().find(|(t, _)| *t == kind) else {
        return Err(invalid(format!(
            "unknown message type {}; expected one of {}",
            quote_value(kind),
            types()
        )));
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
    if let Some(missing) = fields.iter().find(|f| !object.contains_key(**f)) {
        return Err(invalid(format!("a {kind:?} message needs the field {missing:?}")));
    }
    Ok(())
}

/// The scenario of a `load` message: a string of at most [`MAX_YAML_BYTES`].
struct YamlText(String);

impl<'de> Deserialize<'de> for YamlText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let yaml = string(Value::deserialize(deserializer)?, "load", "yaml").map_err(D::Error::custom)?;
        if yaml.len() > MAX_YAML_BYTES {
            return Err(D::Error::custom(format!(
                "the scenario is {} bytes long; scenarios longer than {MAX_YAML_BYTES} bytes are refused",
                yaml.len()
            )));
        }
        Ok(YamlText(yaml))
    }
}

/// The instant of a `seek` message: seconds, or a duration like `"1m30s"`, up to [`MAX_TIME_MS`].
struct SeekTime(Millis);

impl<'de> Deserialize<'de> for SeekTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        read_seek(&Value::deserialize(deserializer)?).map(SeekTime).map_err(D::Error::custom)
    }
}

/// The speed of a `speed` message: one of [`SPEEDS`], exactly.
struct SpeedValue(u32);

impl<'de> Deserialize<'de> for SpeedValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        match value.as_u64() {
            Some(v) if SPEEDS.iter().any(|s| u64::from(*s) == v) => Ok(SpeedValue(v as u32)),
            _ => Err(D::Error::custom(format!(
                "speed {} is not one of the playground's speeds ({})",
                describe_value(&value),
                speeds_list()
            ))),
        }
    }
}

/// The command of a `run` message: one non-empty line of at most [`MAX_COMMAND_BYTES`], trimmed.
struct CommandLine(String);

impl<'de> Deserialize<'de> for CommandLine {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let command =
            string(Value::deserialize(deserializer)?, "run", "command").map_err(D::Error::custom)?;
        if command.len() > MAX_COMMAND_BYTES {
            return Err(D::Error::custom(format!(
                "the command is {} bytes long; commands longer than {MAX_COMMAND_BYTES} bytes are refused",
                command.len()
            )));
        }
        if command.trim().is_empty() {
            return Err(D::Error::custom("the command is empty"));
        }
        if command.contains(['\n', '\r']) {
            return Err(D::Error::custom(
                "the command must be a single line; send one run message per command",
            ));
        }
        Ok(CommandLine(command.trim().to_string()))
    }
}

fn invalid(message: String) -> InboundError {
    InboundError::Invalid(message)
}

/// Describes a JSON value for an error message: scalars as written, containers by their kind only.
fn describe_value(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => quote_value(s),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

/// The string a field holds, or why it is not one.
fn string(value: Value, kind: &str, name: &str) -> Result<String, String> {
    match value {
        Value::String(s) => Ok(s),
        other => Err(format!(
            "the field {name:?} of a {kind:?} message must be a string, not {}",
            describe_value(&other)
        )),
    }
}

fn read_seek(value: &Value) -> Result<Millis, String> {
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
            _ => return Err(format!("seek: t must not be negative, not {n}")),
        },
        Value::String(s) => match parse_duration(s) {
            Ok(ms) if ms <= MAX_TIME_MS => Some(ms),
            Ok(_) => None,
            Err(e) => return Err(format!("seek: {e}")),
        },
        other => {
            return Err(format!(
                "seek: t must be a number of seconds or a duration like \"1m30s\", not {}",
                describe_value(other)
            ));
        }
    };
    ms.ok_or_else(|| "seek: t is later than 24h, the latest time the playground replays to".to_string())
}
