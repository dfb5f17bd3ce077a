//! Embedding the playground in other pages: the embed URL's options, the `<iframe>` snippet, and the
//! `postMessage` protocol a host page uses to drive an embedded playground.
//!
//! Everything here is plain data and pure functions, so it builds and is tested natively; the browser
//! UI reads `location.search` into [`EmbedOptions::from_query`], feeds every `message` event's data
//! to [`parse_inbound`], and posts what [`Outbound::to_json`] returns. `docs/embed.md` describes the
//! same surface for the people who write course pages.
//!
//! Both the query string and inbound messages come from strangers. The query string is read
//! leniently, because a course page with one mistyped parameter should still show a working
//! playground: a bad value falls back to its default and produces a warning. Messages are read
//! strictly, because a host script that sends `{"type": "seek", "time": 80}` wants to hear that `t` is
//! missing rather than watch nothing happen. Neither path panics, whatever the input.

use std::fmt;

use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use crate::duration::{self, parse_duration, Millis};
use crate::sim::Snapshot;

// ---------------------------------------------------------------------------------------------------
// Embed options
// ---------------------------------------------------------------------------------------------------

/// The playback speeds the playground offers, as multiples of real time.
pub const SPEEDS: [u32; 6] = [1, 2, 5, 10, 30, 60];

/// The latest virtual time an embed URL or a `seek` message may name: 24 hours. The playground
/// replays the scenario up to that instant, so an unbounded value would let a page hang the browser.
pub const MAX_TIME_MS: Millis = 24 * 60 * 60 * 1000;

/// The longest scenario slug accepted, the length limit of a Kubernetes object name label.
pub const MAX_SLUG_LEN: usize = 63;

/// What an embed URL asks of the playground. [`Default`] is the ordinary, full playground.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmbedOptions {
    /// `embed=1`: the page is shown inside another page, so the playground drops its own page chrome
    /// and answers `postMessage` requests.
    pub embed: bool,
    /// `editor=`: how the YAML editor is shown.
    pub editor: EditorMode,
    /// `autoplay=1`: start playing as soon as the scenario is loaded.
    pub autoplay: bool,
    /// `t=`: the virtual time to open at, in milliseconds; `None` opens at time 0.
    pub start: Option<Millis>,
    /// `speed=`: the playback speed, one of [`SPEEDS`]; `None` keeps the playground's own default.
    pub speed: Option<u32>,
    /// `panels=`: the panels to show, in the order given; `None` shows the playground's usual layout.
    pub panels: Option<Vec<Panel>>,
    /// `scenario=`: the slug of a gallery scenario to open. The slug has the form of a Kubernetes
    /// object name; whether the gallery holds it is for the caller to check.
    pub scenario: Option<String>,
    /// `theme=`: the colour scheme.
    pub theme: Theme,
}

/// How the YAML editor is shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum EditorMode {
    /// `editor=visible`: shown and editable.
    #[default]
    Visible,
    /// `editor=readonly`: shown, but the learner cannot change it.
    ReadOnly,
    /// `editor=hidden`: not shown; the scenario still runs.
    Hidden,
}

/// One panel of the playground.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Panel {
    Pods,
    Endpoints,
    Events,
    Timeline,
    Describe,
    Terminal,
    Workloads,
}

/// The colour scheme.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    /// `theme=auto`: follow the reader's system preference (`prefers-color-scheme`).
    #[default]
    Auto,
    Light,
    Dark,
}

impl Default for EmbedOptions {
    fn default() -> Self {
        EmbedOptions {
            embed: false,
            editor: EditorMode::Visible,
            autoplay: false,
            start: None,
            speed: None,
            panels: None,
            scenario: None,
            theme: Theme::Auto,
        }
    }
}

impl EditorMode {
    /// The value as the query string writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            EditorMode::Visible => "visible",
            EditorMode::ReadOnly => "readonly",
            EditorMode::Hidden => "hidden",
        }
    }

    fn parse(text: &str) -> Option<EditorMode> {
        match text.to_ascii_lowercase().as_str() {
            "visible" | "show" | "editable" => Some(EditorMode::Visible),
            "readonly" | "read-only" => Some(EditorMode::ReadOnly),
            "hidden" | "hide" | "none" => Some(EditorMode::Hidden),
            _ => None,
        }
    }
}

impl Panel {
    /// Every panel, in the order of the playground's usual layout.
    pub const ALL: [Panel; 7] = [
        Panel::Pods,
        Panel::Endpoints,
        Panel::Events,
        Panel::Timeline,
        Panel::Describe,
        Panel::Terminal,
        Panel::Workloads,
    ];

    /// The panel's name in the query string.
    pub fn as_str(self) -> &'static str {
        match self {
            Panel::Pods => "pods",
            Panel::Endpoints => "endpoints",
            Panel::Events => "events",
            Panel::Timeline => "timeline",
            Panel::Describe => "describe",
            Panel::Terminal => "terminal",
            Panel::Workloads => "workloads",
        }
    }

    fn parse(text: &str) -> Option<Panel> {
        let lower = text.to_ascii_lowercase();
        Panel::ALL.into_iter().find(|p| p.as_str() == lower)
    }
}

impl Theme {
    /// The value as the query string writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Auto => "auto",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    fn parse(text: &str) -> Option<Theme> {
        match text.to_ascii_lowercase().as_str() {
            "auto" | "system" => Some(Theme::Auto),
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            _ => None,
        }
    }
}

impl EmbedOptions {
    /// Reads the options from a page URL's query string, with or without its leading `?` (a whole
    /// URL is accepted too: everything up to the first `?` and from the first `#` is ignored).
    ///
    /// Unknown parameters are ignored silently, since host pages and analytics tools add their own.
    /// A known parameter with a value the playground cannot use keeps its default, and the returned
    /// list gets one sentence saying what was wrong and what was done instead. A parameter given
    /// twice takes its last value, and a warning says so.
    pub fn from_query(query: &str) -> (EmbedOptions, Vec<String>) {
        let query = query.split('#').next().unwrap_or("");
        let query = match query.find('?') {
            Some(i) => &query[i + 1..],
            None => query,
        };
        let mut seen: Vec<&'static str> = Vec::new();
        let mut repeated: Vec<&'static str> = Vec::new();
        let mut values: Vec<(&'static str, String)> = Vec::new();
        for pair in query.split('&') {
            if pair.is_empty() {
                continue;
            }
            let (raw_key, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
            let key = percent_decode(raw_key);
            let Some(known) = KNOWN_PARAMS.iter().find(|k| **k == key) else {
                continue;
            };
            if seen.contains(known) {
                if !repeated.contains(known) {
                    repeated.push(known);
                }
                values.retain(|(k, _)| k != known);
            } else {
                seen.push(known);
            }
            values.push((known, percent_decode(raw_value)));
        }

        let mut options = EmbedOptions::default();
        let mut warnings: Vec<String> = repeated
            .iter()
            .map(|k| format!("the parameter {k:?} is given more than once; the last value is used"))
            .collect();
        // Apply in a fixed order so that the warnings do not depend on the order of the parameters.
        values.sort_by_key(|(k, _)| KNOWN_PARAMS.iter().position(|p| p == k));
        for (key, value) in values {
            let value = value.trim();
            match key {
                "embed" => options.embed = read_flag(key, value, &mut warnings),
                "autoplay" => options.autoplay = read_flag(key, value, &mut warnings),
                "editor" => match EditorMode::parse(value) {
                    Some(mode) => options.editor = mode,
                    None => warnings.push(format!(
                        "editor={} is not one of visible, readonly or hidden; the editor is shown",
                        quote_value(value)
                    )),
                },
                "theme" => match Theme::parse(value) {
                    Some(theme) => options.theme = theme,
                    None => warnings.push(format!(
                        "theme={} is not one of auto, light or dark; the theme follows the system",
                        quote_value(value)
                    )),
                },
                "t" => match parse_duration(value) {
                    Ok(ms) if ms > MAX_TIME_MS => warnings.push(format!(
                        "t={} is later than 24h, the latest time a link may open at; the playground opens at 0s",
                        quote_value(value)
                    )),
                    Ok(ms) => options.start = Some(ms),
                    Err(_) => warnings.push(format!(
                        "t={} is not a duration like 90, 90s or 1m30s; the playground opens at 0s",
                        quote_value(value)
                    )),
                },
                "speed" => options.speed = read_speed(value, &mut warnings),
                "panels" => options.panels = read_panels(value, &mut warnings),
                "scenario" => {
                    if is_slug(value) {
                        options.scenario = Some(value.to_string());
                    } else {
                        warnings.push(format!(
                            "scenario={} is not a scenario name (lowercase letters, digits and '-', at most {MAX_SLUG_LEN} characters); no scenario is opened",
                            quote_value(value)
                        ));
                    }
                }
                _ => {}
            }
        }
        (options, warnings)
    }

    /// Writes the options as a query string without the leading `?`, naming only what differs from
    /// the defaults, in a fixed order. [`EmbedOptions::from_query`] reads it back to the same options
    /// with no warnings.
    pub fn to_query(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if self.embed {
            parts.push("embed=1".into());
        }
        if let Some(slug) = &self.scenario {
            parts.push(format!("scenario={}", percent_encode(slug)));
        }
        if self.editor != EditorMode::Visible {
            parts.push(format!("editor={}", self.editor.as_str()));
        }
        if let Some(panels) = &self.panels {
            let names: Vec<&str> = panels.iter().map(|p| p.as_str()).collect();
            parts.push(format!("panels={}", names.join(",")));
        }
        if self.autoplay {
            parts.push("autoplay=1".into());
        }
        if let Some(ms) = self.start {
            parts.push(format!("t={}", duration_param(ms)));
        }
        if let Some(speed) = self.speed {
            parts.push(format!("speed={speed}"));
        }
        if self.theme != Theme::Auto {
            parts.push(format!("theme={}", self.theme.as_str()));
        }
        parts.join("&")
    }

    /// Whether a panel is shown: every panel when `panels=` was not given, otherwise those named.
    pub fn shows(&self, panel: Panel) -> bool {
        self.panels.as_ref().is_none_or(|panels| panels.contains(&panel))
    }

    /// A height for the `<iframe>`, in CSS pixels, that fits the panels the options show.
    pub fn suggested_height(&self) -> u32 {
        let panels = self.panels.as_ref().map_or(Panel::ALL.len(), Vec::len) as u32;
        let editor = if self.editor == EditorMode::Hidden { 0 } else { 160 };
        // A toolbar, then the editor, then the panels in a two-column grid of fixed-height rows.
        (120 + editor + panels.div_ceil(2) * 180).clamp(360, 900)
    }
}

/// The `sandbox` attribute the snippet gives the `<iframe>`: the playground is a script, opens
/// documentation links in new tabs, and keeps drafts in its own origin's storage.
pub const SANDBOX: &str = "allow-scripts allow-same-origin allow-popups";

/// Builds the HTML a course author pastes into a page to embed the playground.
///
/// `base_url` is the playground's address (any query or fragment on it is replaced by the options'
/// query and by `fragment`); `fragment` is usually a share link's fragment, with or without its `#`.
/// The options are written with `embed=1` whatever `options.embed` says, since the snippet embeds.
/// Every attribute value is escaped, and characters that may not appear in a URL fragment are
/// percent-encoded, so no input can break out of the element.
pub fn embed_snippet(base_url: &str, options: &EmbedOptions, fragment: Option<&str>) -> String {
    let base = base_url.split('#').next().unwrap_or("");
    let base = base.split('?').next().unwrap_or("");
    let options = EmbedOptions { embed: true, ..options.clone() };
    let mut src = format!("{base}?{}", options.to_query());
    if let Some(fragment) = fragment {
        let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
        if !fragment.is_empty() {
            src.push('#');
            src.push_str(&encode_fragment(fragment));
        }
    }
    let title = match &options.scenario {
        Some(slug) => format!("Probe Playground: {slug}"),
        None => "Probe Playground".to_string(),
    };
    format!(
        "<iframe src=\"{}\" title=\"{}\" width=\"100%\" height=\"{}\" loading=\"lazy\" sandbox=\"{SANDBOX}\" \
         style=\"border: 1px solid #8884; border-radius: 6px;\"></iframe>",
        escape_attr(&src),
        escape_attr(&title),
        options.suggested_height()
    )
}

// ---------------------------------------------------------------------------------------------------
// The postMessage protocol
// ---------------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------------
// Private helpers
// ---------------------------------------------------------------------------------------------------

/// The parameters [`EmbedOptions::from_query`] reads, in the order it applies them.
const KNOWN_PARAMS: [&str; 8] = ["embed", "scenario", "editor", "panels", "autoplay", "t", "speed", "theme"];

/// The inbound message types.
const TYPES: [&str; 9] =
    ["load", "play", "pause", "seek", "speed", "run", "getState", "subscribe", "unsubscribe"];

fn invalid(message: String) -> InboundError {
    InboundError::Invalid(message)
}

fn read_flag(key: &str, value: &str, warnings: &mut Vec<String>) -> bool {
    match value.to_ascii_lowercase().as_str() {
        // A bare `?embed` reads as a request to turn the feature on.
        "" | "1" | "true" | "yes" | "on" => true,
        "0" | "false" | "no" | "off" => false,
        _ => {
            warnings.push(format!("{key}={} is not 1 or 0; {key} is off", quote_value(value)));
            false
        }
    }
}

fn read_speed(value: &str, warnings: &mut Vec<String>) -> Option<u32> {
    match value.parse::<u64>() {
        Ok(v) if SPEEDS.iter().any(|s| u64::from(*s) == v) => Some(v as u32),
        Ok(v) => {
            // Snap to the closest offered speed, preferring the slower one on a tie, because the
            // author evidently wanted a particular pace and the nearest one keeps the intent.
            let nearest = SPEEDS.into_iter().min_by_key(|s| (u64::from(*s)).abs_diff(v)).unwrap_or(1);
            warnings.push(format!(
                "speed={v} is not one of the playground's speeds ({}); speed {nearest} is used",
                speeds_list()
            ));
            Some(nearest)
        }
        Err(_) => {
            warnings.push(format!(
                "speed={} is not a whole number; the default speed is used",
                quote_value(value)
            ));
            None
        }
    }
}

fn read_panels(value: &str, warnings: &mut Vec<String>) -> Option<Vec<Panel>> {
    let mut panels = Vec::new();
    let mut unknown = Vec::new();
    for name in value.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        match Panel::parse(name) {
            Some(panel) if !panels.contains(&panel) => panels.push(panel),
            Some(_) => {}
            None if unknown.len() < 5 => unknown.push(quote_value(name)),
            None => {}
        }
    }
    let names: Vec<&str> = Panel::ALL.iter().map(|p| p.as_str()).collect();
    if !unknown.is_empty() {
        warnings.push(format!(
            "panels: {} {} not a panel (the panels are {}); ignored",
            unknown.join(", "),
            if unknown.len() == 1 { "is" } else { "are" },
            names.join(", ")
        ));
    }
    if panels.is_empty() {
        warnings.push("panels= names no panel; every panel is shown".to_string());
        return None;
    }
    Some(panels)
}

fn is_slug(text: &str) -> bool {
    let bytes = text.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= MAX_SLUG_LEN
        && bytes.iter().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
        && bytes.first() != Some(&b'-')
        && bytes.last() != Some(&b'-')
}

fn speeds_list() -> String {
    SPEEDS.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
}

/// Quotes a value for a warning, cut short so that a hostile URL cannot flood the message.
fn quote_value(value: &str) -> String {
    const LIMIT: usize = 40;
    if value.chars().count() <= LIMIT {
        return format!("{value:?}");
    }
    let cut: String = value.chars().take(LIMIT).collect();
    format!("{:?}", cut + "…")
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

fn field<'a>(object: &'a Map<String, Value>, kind: &str, name: &str) -> Result<&'a Value, InboundError> {
    object.get(name).ok_or_else(|| invalid(format!("a {kind:?} message needs the field {name:?}")))
}

fn string_field<'a>(object: &'a Map<String, Value>, kind: &str, name: &str) -> Result<&'a str, InboundError> {
    match field(object, kind, name)? {
        Value::String(s) => Ok(s),
        other => Err(invalid(format!(
            "the field {name:?} of a {kind:?} message must be a string, not {}",
            describe_value(other)
        ))),
    }
}

fn read_seek(value: &Value) -> Result<Millis, InboundError> {
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
fn as_seconds<S: Serializer>(ms: &Millis, serializer: S) -> Result<S::Ok, S::Error> {
    if ms.is_multiple_of(1000) {
        serializer.serialize_u64(ms / 1000)
    } else {
        serializer.serialize_f64(*ms as f64 / 1000.0)
    }
}

/// A duration as the `t` parameter writes it: whole seconds when it is a whole number of them.
fn duration_param(ms: Millis) -> String {
    if ms.is_multiple_of(1000) {
        format!("{}s", ms / 1000)
    } else {
        format!("{ms}ms")
    }
}

/// Decodes `application/x-www-form-urlencoded` text as `URLSearchParams` does: `+` is a space,
/// `%XX` a byte, a `%` without two hex digits stays as it is, and invalid UTF-8 becomes U+FFFD.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() && hex(bytes[i + 1]).is_some() && hex(bytes[i + 2]).is_some() => {
                out.push(hex(bytes[i + 1]).unwrap_or(0) * 16 + hex(bytes[i + 2]).unwrap_or(0));
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Encodes a query value, keeping the unreserved characters and `,` (which separates panels).
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~,".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Percent-encodes what RFC 3986 does not allow in a fragment, keeping existing `%XX` escapes.
fn encode_fragment(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(bytes.len());
    for (i, &b) in bytes.iter().enumerate() {
        let escape_start = b == b'%'
            && bytes.get(i + 1).and_then(|c| hex(*c)).is_some()
            && bytes.get(i + 2).and_then(|c| hex(*c)).is_some();
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?".contains(&b) || escape_start {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Escapes text for a double-quoted HTML attribute value.
fn escape_attr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use expect_test::{expect, Expect};

    use super::*;

    /// Renders what the playground makes of each query string: the options written back as a query
    /// (the defaults write nothing) and every warning.
    fn check_queries(queries: &[&str], expect: Expect) {
        let mut out = String::new();
        for query in queries {
            let (options, warnings) = EmbedOptions::from_query(query);
            out.push_str(&format!("{query}\n  => {}\n", options.to_query()));
            for w in warnings {
                out.push_str(&format!("  warning: {w}\n"));
            }
        }
        expect.assert_eq(&out);
    }

    #[test]
    fn query_strings() {
        check_queries(
            &[
                "",
                "?",
                "?embed=1&editor=hidden&autoplay=1&t=90s&speed=10&panels=pods,endpoints,events,timeline,describe,terminal,workloads&scenario=liveness-exec&theme=dark",
                "embed=1&editor=readonly",
                "https://example.com/playground/index.html?embed&autoplay=true#v1.abc",
                "?utm_source=course&embed=1&foo=bar&&=&x",
                "?editor=Read-Only&theme=LIGHT&panels=Pods,%20events,pods",
                "?t=1m30s&speed=2",
                "?t=1500ms",
                "?t=-5s&speed=fast",
                "?t=25h&speed=7",
                "?t=soon&speed=1000&speed=0",
                "?speed=3",
                "?panels=logs,pods,graph",
                "?panels=,,",
                "?editor=sideways&theme=neon&embed=maybe&autoplay=2",
                "?scenario=Liveness-Exec",
                "?scenario=readiness%2Dhttpd",
                "?scenario=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
                "?scenario=-bad-",
                "?embed=1&embed=0&embed=1",
                "?%65mbed=1&theme=%ZZ",
                "?scenario=a+b",
            ],
            expect![[r#"

                  => 
                ?
                  => 
                ?embed=1&editor=hidden&autoplay=1&t=90s&speed=10&panels=pods,endpoints,events,timeline,describe,terminal,workloads&scenario=liveness-exec&theme=dark
                  => embed=1&scenario=liveness-exec&editor=hidden&panels=pods,endpoints,events,timeline,describe,terminal,workloads&autoplay=1&t=90s&speed=10&theme=dark
                embed=1&editor=readonly
                  => embed=1&editor=readonly
                https://example.com/playground/index.html?embed&autoplay=true#v1.abc
                  => embed=1&autoplay=1
                ?utm_source=course&embed=1&foo=bar&&=&x
                  => embed=1
                ?editor=Read-Only&theme=LIGHT&panels=Pods,%20events,pods
                  => editor=readonly&panels=pods,events&theme=light
                ?t=1m30s&speed=2
                  => t=90s&speed=2
                ?t=1500ms
                  => t=1500ms
                ?t=-5s&speed=fast
                  => 
                  warning: t="-5s" is not a duration like 90, 90s or 1m30s; the playground opens at 0s
                  warning: speed="fast" is not a whole number; the default speed is used
                ?t=25h&speed=7
                  => speed=5
                  warning: t="25h" is later than 24h, the latest time a link may open at; the playground opens at 0s
                  warning: speed=7 is not one of the playground's speeds (1, 2, 5, 10, 30, 60); speed 5 is used
                ?t=soon&speed=1000&speed=0
                  => speed=1
                  warning: the parameter "speed" is given more than once; the last value is used
                  warning: t="soon" is not a duration like 90, 90s or 1m30s; the playground opens at 0s
                  warning: speed=0 is not one of the playground's speeds (1, 2, 5, 10, 30, 60); speed 1 is used
                ?speed=3
                  => speed=2
                  warning: speed=3 is not one of the playground's speeds (1, 2, 5, 10, 30, 60); speed 2 is used
                ?panels=logs,pods,graph
                  => panels=pods
                  warning: panels: "logs", "graph" are not a panel (the panels are pods, endpoints, events, timeline, describe, terminal, workloads); ignored
                ?panels=,,
                  => 
                  warning: panels= names no panel; every panel is shown
                ?editor=sideways&theme=neon&embed=maybe&autoplay=2
                  => 
                  warning: embed="maybe" is not 1 or 0; embed is off
                  warning: editor="sideways" is not one of visible, readonly or hidden; the editor is shown
                  warning: autoplay="2" is not 1 or 0; autoplay is off
                  warning: theme="neon" is not one of auto, light or dark; the theme follows the system
                ?scenario=Liveness-Exec
                  => 
                  warning: scenario="Liveness-Exec" is not a scenario name (lowercase letters, digits and '-', at most 63 characters); no scenario is opened
                ?scenario=readiness%2Dhttpd
                  => scenario=readiness-httpd
                ?scenario=%3Cscript%3Ealert(1)%3C%2Fscript%3E
                  => 
                  warning: scenario="<script>alert(1)</script>" is not a scenario name (lowercase letters, digits and '-', at most 63 characters); no scenario is opened
                ?scenario=-bad-
                  => 
                  warning: scenario="-bad-" is not a scenario name (lowercase letters, digits and '-', at most 63 characters); no scenario is opened
                ?embed=1&embed=0&embed=1
                  => embed=1
                  warning: the parameter "embed" is given more than once; the last value is used
                ?%65mbed=1&theme=%ZZ
                  => embed=1
                  warning: theme="%ZZ" is not one of auto, light or dark; the theme follows the system
                ?scenario=a+b
                  => 
                  warning: scenario="a b" is not a scenario name (lowercase letters, digits and '-', at most 63 characters); no scenario is opened
            "#]],
        );
    }

    /// Whatever options the UI builds, writing them as a query and reading it back gives the same
    /// options and no warnings, so an "Embed code" snippet always opens what the author saw.
    #[test]
    fn to_query_round_trips() {
        let cases = [
            EmbedOptions::default(),
            EmbedOptions { embed: true, ..EmbedOptions::default() },
            EmbedOptions {
                embed: true,
                editor: EditorMode::Hidden,
                autoplay: true,
                start: Some(1500),
                speed: Some(60),
                panels: Some(vec![Panel::Terminal, Panel::Pods]),
                scenario: Some("readiness-httpd".into()),
                theme: Theme::Dark,
            },
            EmbedOptions {
                editor: EditorMode::ReadOnly,
                start: Some(MAX_TIME_MS),
                panels: Some(Panel::ALL.to_vec()),
                theme: Theme::Light,
                ..EmbedOptions::default()
            },
            EmbedOptions { start: Some(0), speed: Some(1), ..EmbedOptions::default() },
        ];
        for options in cases {
            let query = options.to_query();
            assert_eq!(EmbedOptions::from_query(&query), (options.clone(), vec![]), "{query}");
            assert_eq!(EmbedOptions::from_query(&format!("?{query}")).0, options);
        }
    }

    #[test]
    fn panels_shown() {
        let all = EmbedOptions::default();
        assert!(Panel::ALL.iter().all(|p| all.shows(*p)));
        let (some, _) = EmbedOptions::from_query("panels=pods,endpoints");
        let shown: Vec<&str> = Panel::ALL.iter().filter(|p| some.shows(**p)).map(|p| p.as_str()).collect();
        assert_eq!(shown, ["pods", "endpoints"]);
    }

    #[test]
    fn snippets() {
        let (first, _) = EmbedOptions::from_query(
            "scenario=liveness-exec&autoplay=1&speed=10&panels=pods,events,timeline",
        );
        let (second, _) =
            EmbedOptions::from_query("embed=1&scenario=readiness-httpd&editor=hidden&panels=pods,endpoints");
        let hostile = EmbedOptions { scenario: Some("x\"><script>".into()), ..EmbedOptions::default() };
        let out = [
            embed_snippet("https://learn.example.com/playground/", &first, None),
            embed_snippet(
                "https://learn.example.com/playground/index.html?old=1#v1.old",
                &second,
                Some("#v1.eNoLyc9X"),
            ),
            embed_snippet("../index.html", &EmbedOptions::default(), Some("")),
            embed_snippet("https://x.test/?a=\"b\"&c=<d>", &hostile, Some("v1.a b\"<c>%41%zz")),
        ]
        .join("\n");
        expect![[r#"
            <iframe src="https://learn.example.com/playground/?embed=1&amp;scenario=liveness-exec&amp;panels=pods,events,timeline&amp;autoplay=1&amp;speed=10" title="Probe Playground: liveness-exec" width="100%" height="640" loading="lazy" sandbox="allow-scripts allow-same-origin allow-popups" style="border: 1px solid #8884; border-radius: 6px;"></iframe>
            <iframe src="https://learn.example.com/playground/index.html?embed=1&amp;scenario=readiness-httpd&amp;editor=hidden&amp;panels=pods,endpoints#v1.eNoLyc9X" title="Probe Playground: readiness-httpd" width="100%" height="360" loading="lazy" sandbox="allow-scripts allow-same-origin allow-popups" style="border: 1px solid #8884; border-radius: 6px;"></iframe>
            <iframe src="../index.html?embed=1" title="Probe Playground" width="100%" height="900" loading="lazy" sandbox="allow-scripts allow-same-origin allow-popups" style="border: 1px solid #8884; border-radius: 6px;"></iframe>
            <iframe src="https://x.test/?embed=1&amp;scenario=x%22%3E%3Cscript%3E#v1.a%20b%22%3Cc%3E%41%25zz" title="Probe Playground: x&quot;&gt;&lt;script&gt;" width="100%" height="900" loading="lazy" sandbox="allow-scripts allow-same-origin allow-popups" style="border: 1px solid #8884; border-radius: 6px;"></iframe>"#]]
        .assert_eq(&out);
    }

    /// Renders what [`parse_inbound`] makes of each message, one line per message.
    fn check_inbound(messages: &[&str], expect: Expect) {
        let mut out = String::new();
        for message in messages {
            let result = match parse_inbound(message) {
                Ok(inbound) => format!("{inbound:?}"),
                Err(InboundError::NotForUs) => "not for us".to_string(),
                Err(InboundError::Invalid(e)) => format!("invalid: {e}"),
            };
            out.push_str(&format!("{message}\n  => {result}\n"));
        }
        expect.assert_eq(&out);
    }

    #[test]
    fn inbound_messages() {
        check_inbound(
            &[
                r#"{"probePlayground":1,"type":"play"}"#,
                r#"{"type":"pause","probePlayground":1}"#,
                r#"{"probePlayground":1,"type":"load","yaml":"apiVersion: v1\nkind: Pod\n"}"#,
                r#"{"probePlayground":1,"type":"seek","t":80}"#,
                r#"{"probePlayground":1,"type":"seek","t":2.5}"#,
                r#"{"probePlayground":1,"type":"seek","t":"1m30s"}"#,
                r#"{"probePlayground":1,"type":"seek","t":0}"#,
                r#"{"probePlayground":1,"type":"speed","value":30}"#,
                r#"{"probePlayground":1,"type":"run","command":"  kubectl get pods  "}"#,
                r#"{"probePlayground":1,"type":"getState"}"#,
                r#"{"probePlayground":1,"type":"subscribe"}"#,
                r#"{"probePlayground":1,"type":"unsubscribe"}"#,
                // Not addressed to the playground: other frames, extensions, devtools.
                r#"{"type":"play"}"#,
                r#""play""#,
                r#"[1,2,3]"#,
                r#"null"#,
                r#"webpackHotUpdate"#,
                r#"{"source":"react-devtools","payload":{}}"#,
                "",
                // Addressed to the playground but wrong.
                r#"{"probePlayground":2,"type":"play"}"#,
                r#"{"probePlayground":"1","type":"play"}"#,
                r#"{"probePlayground":true,"type":"play"}"#,
                r#"{"probePlayground":1}"#,
                r#"{"probePlayground":1,"type":5}"#,
                r#"{"probePlayground":1,"type":"Play"}"#,
                r#"{"probePlayground":1,"type":"play","speed":2}"#,
                r#"{"probePlayground":1,"type":"seek","time":80}"#,
                r#"{"probePlayground":1,"type":"seek"}"#,
                r#"{"probePlayground":1,"type":"seek","t":-1}"#,
                r#"{"probePlayground":1,"type":"seek","t":"soon"}"#,
                r#"{"probePlayground":1,"type":"seek","t":90000}"#,
                r#"{"probePlayground":1,"type":"seek","t":"25h"}"#,
                r#"{"probePlayground":1,"type":"seek","t":[80]}"#,
                r#"{"probePlayground":1,"type":"seek","t":null}"#,
                r#"{"probePlayground":1,"type":"speed","value":7}"#,
                r#"{"probePlayground":1,"type":"speed","value":"10"}"#,
                r#"{"probePlayground":1,"type":"speed","value":10.5}"#,
                r#"{"probePlayground":1,"type":"run","command":""}"#,
                r#"{"probePlayground":1,"type":"run","command":"kubectl get pods\nkubectl get svc"}"#,
                r#"{"probePlayground":1,"type":"run","command":{"kubectl":"get"}}"#,
                r#"{"probePlayground":1,"type":"load","yaml":42}"#,
                r#"{"probePlayground":1,"type":"load"}"#,
                r#"{"probePlayground":1,"type":"play""#,
            ],
            expect![[r#"
                {"probePlayground":1,"type":"play"}
                  => Play
                {"type":"pause","probePlayground":1}
                  => Pause
                {"probePlayground":1,"type":"load","yaml":"apiVersion: v1\nkind: Pod\n"}
                  => Load { yaml: "apiVersion: v1\nkind: Pod\n" }
                {"probePlayground":1,"type":"seek","t":80}
                  => Seek { t: 80000 }
                {"probePlayground":1,"type":"seek","t":2.5}
                  => Seek { t: 2500 }
                {"probePlayground":1,"type":"seek","t":"1m30s"}
                  => Seek { t: 90000 }
                {"probePlayground":1,"type":"seek","t":0}
                  => Seek { t: 0 }
                {"probePlayground":1,"type":"speed","value":30}
                  => Speed { value: 30 }
                {"probePlayground":1,"type":"run","command":"  kubectl get pods  "}
                  => Run { command: "kubectl get pods" }
                {"probePlayground":1,"type":"getState"}
                  => GetState
                {"probePlayground":1,"type":"subscribe"}
                  => Subscribe
                {"probePlayground":1,"type":"unsubscribe"}
                  => Unsubscribe
                {"type":"play"}
                  => not for us
                "play"
                  => not for us
                [1,2,3]
                  => not for us
                null
                  => not for us
                webpackHotUpdate
                  => not for us
                {"source":"react-devtools","payload":{}}
                  => not for us

                  => not for us
                {"probePlayground":2,"type":"play"}
                  => invalid: probePlayground is 2, but this playground speaks version 1 of the protocol
                {"probePlayground":"1","type":"play"}
                  => invalid: probePlayground is "1", but this playground speaks version 1 of the protocol
                {"probePlayground":true,"type":"play"}
                  => invalid: probePlayground is true, but this playground speaks version 1 of the protocol
                {"probePlayground":1}
                  => invalid: the message has no type; expected one of load, play, pause, seek, speed, run, getState, subscribe, unsubscribe
                {"probePlayground":1,"type":5}
                  => invalid: type must be a string, not 5
                {"probePlayground":1,"type":"Play"}
                  => invalid: unknown message type "Play"; expected one of load, play, pause, seek, speed, run, getState, subscribe, unsubscribe
                {"probePlayground":1,"type":"play","speed":2}
                  => invalid: unknown field "speed" in a "play" message; it takes no fields
                {"probePlayground":1,"type":"seek","time":80}
                  => invalid: unknown field "time" in a "seek" message; it takes t
                {"probePlayground":1,"type":"seek"}
                  => invalid: a "seek" message needs the field "t"
                {"probePlayground":1,"type":"seek","t":-1}
                  => invalid: seek: t must not be negative, not -1
                {"probePlayground":1,"type":"seek","t":"soon"}
                  => invalid: seek: invalid duration "soon": expected seconds or a duration like 90s, 1m30s or 1h
                {"probePlayground":1,"type":"seek","t":90000}
                  => invalid: seek: t is later than 24h, the latest time the playground replays to
                {"probePlayground":1,"type":"seek","t":"25h"}
                  => invalid: seek: t is later than 24h, the latest time the playground replays to
                {"probePlayground":1,"type":"seek","t":[80]}
                  => invalid: seek: t must be a number of seconds or a duration like "1m30s", not an array
                {"probePlayground":1,"type":"seek","t":null}
                  => invalid: seek: t must be a number of seconds or a duration like "1m30s", not null
                {"probePlayground":1,"type":"speed","value":7}
                  => invalid: speed 7 is not one of the playground's speeds (1, 2, 5, 10, 30, 60)
                {"probePlayground":1,"type":"speed","value":"10"}
                  => invalid: speed "10" is not one of the playground's speeds (1, 2, 5, 10, 30, 60)
                {"probePlayground":1,"type":"speed","value":10.5}
                  => invalid: speed 10.5 is not one of the playground's speeds (1, 2, 5, 10, 30, 60)
                {"probePlayground":1,"type":"run","command":""}
                  => invalid: the command is empty
                {"probePlayground":1,"type":"run","command":"kubectl get pods\nkubectl get svc"}
                  => invalid: the command must be a single line; send one run message per command
                {"probePlayground":1,"type":"run","command":{"kubectl":"get"}}
                  => invalid: the field "command" of a "run" message must be a string, not an object
                {"probePlayground":1,"type":"load","yaml":42}
                  => invalid: the field "yaml" of a "load" message must be a string, not 42
                {"probePlayground":1,"type":"load"}
                  => invalid: a "load" message needs the field "yaml"
                {"probePlayground":1,"type":"play"
                  => invalid: the message is not valid JSON: EOF while parsing an object at line 1 column 34
            "#]],
        );
    }

    fn pod(name: &str, ready: &str, status: &str, restarts: i64) -> PodState {
        PodState {
            name: name.into(),
            namespace: "default".into(),
            ready: ready.into(),
            status: status.into(),
            restarts,
        }
    }

    fn endpoints(name: &str, ready: &[&str], not_ready: &[&str]) -> EndpointsState {
        EndpointsState {
            name: name.into(),
            namespace: "default".into(),
            addresses: ready.iter().map(|s| s.to_string()).collect(),
            not_ready_addresses: not_ready.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn state(time_ms: Millis, pods: Vec<PodState>, eps: Vec<EndpointsState>) -> State {
        State { time_ms, clock: duration::clock(time_ms), playing: true, speed: 10, pods, endpoints: eps }
    }

    /// Renders the change messages between consecutive states, one JSON document per line.
    fn check_diffs(states: &[State], expect: Expect) {
        let mut out = String::new();
        for pair in states.windows(2) {
            out.push_str(&format!("{} -> {}\n", pair[0].clock, pair[1].clock));
            for message in diff_state(&pair[0], &pair[1]) {
                out.push_str(&format!("  {}\n", message.to_json()));
            }
        }
        expect.assert_eq(&out);
    }

    #[test]
    fn diffs() {
        let a = "10.244.1.3:80";
        let b = "10.244.2.4:80";
        check_diffs(
            &[
                state(0, vec![], vec![]),
                state(
                    1000,
                    vec![
                        pod("web-1", "0/1", "ContainerCreating", 0),
                        pod("web-2", "0/1", "ContainerCreating", 0),
                    ],
                    vec![endpoints("web", &[], &[])],
                ),
                state(
                    2000,
                    vec![pod("web-1", "0/1", "Running", 0), pod("web-2", "0/1", "Running", 0)],
                    vec![endpoints("web", &[], &[a, b])],
                ),
                state(
                    5000,
                    vec![pod("web-1", "1/1", "Running", 0), pod("web-2", "1/1", "Running", 0)],
                    vec![endpoints("web", &[a, b], &[])],
                ),
                // Nothing a host watches changes: no messages, even though the not-ready list and the clock move.
                state(
                    5500,
                    vec![pod("web-1", "1/1", "Running", 0), pod("web-2", "1/1", "Running", 0)],
                    vec![endpoints("web", &[a, b], &[])],
                ),
                state(
                    75000,
                    vec![pod("web-1", "0/1", "Error", 1), pod("web-2", "1/1", "Running", 0)],
                    vec![endpoints("web", &[b], &[a])],
                ),
                state(80000, vec![pod("web-1", "0/1", "CrashLoopBackOff", 1)], vec![]),
            ],
            expect![[r#"
                0s -> 1s
                  {"probePlayground":1,"type":"change","kind":"status","pod":"web-1","namespace":"default","from":null,"to":"ContainerCreating","t":1}
                  {"probePlayground":1,"type":"change","kind":"status","pod":"web-2","namespace":"default","from":null,"to":"ContainerCreating","t":1}
                  {"probePlayground":1,"type":"change","kind":"endpoints","service":"web","namespace":"default","from":null,"to":[],"t":1}
                1s -> 2s
                  {"probePlayground":1,"type":"change","kind":"status","pod":"web-1","namespace":"default","from":"ContainerCreating","to":"Running","t":2}
                  {"probePlayground":1,"type":"change","kind":"status","pod":"web-2","namespace":"default","from":"ContainerCreating","to":"Running","t":2}
                2s -> 5s
                  {"probePlayground":1,"type":"change","kind":"ready","pod":"web-1","namespace":"default","from":"0/1","to":"1/1","t":5}
                  {"probePlayground":1,"type":"change","kind":"ready","pod":"web-2","namespace":"default","from":"0/1","to":"1/1","t":5}
                  {"probePlayground":1,"type":"change","kind":"endpoints","service":"web","namespace":"default","from":[],"to":["10.244.1.3:80","10.244.2.4:80"],"t":5}
                5s -> 5s
                5s -> 75s
                  {"probePlayground":1,"type":"change","kind":"status","pod":"web-1","namespace":"default","from":"Running","to":"Error","t":75}
                  {"probePlayground":1,"type":"change","kind":"ready","pod":"web-1","namespace":"default","from":"1/1","to":"0/1","t":75}
                  {"probePlayground":1,"type":"change","kind":"restarts","pod":"web-1","namespace":"default","from":0,"to":1,"t":75}
                  {"probePlayground":1,"type":"change","kind":"endpoints","service":"web","namespace":"default","from":["10.244.1.3:80","10.244.2.4:80"],"to":["10.244.2.4:80"],"t":75}
                75s -> 80s
                  {"probePlayground":1,"type":"change","kind":"status","pod":"web-1","namespace":"default","from":"Error","to":"CrashLoopBackOff","t":80}
                  {"probePlayground":1,"type":"change","kind":"status","pod":"web-2","namespace":"default","from":"Running","to":null,"t":80}
                  {"probePlayground":1,"type":"change","kind":"endpoints","service":"web","namespace":"default","from":["10.244.2.4:80"],"to":null,"t":80}
            "#]],
        );
    }

    #[test]
    fn outbound_json() {
        let messages = [
            Outbound::Ready {
                version: "1.2.3".into(),
                warnings: vec!["speed=7 is not one of the playground's speeds".into()],
            },
            Outbound::State(state(
                80_500,
                vec![pod("liveness-exec", "1/1", "Running", 1)],
                vec![endpoints("web", &["10.244.1.3:80"], &[])],
            )),
            Outbound::CommandResult {
                command: "kubectl get pods".into(),
                output: "No resources found in default namespace.\n".into(),
                ok: true,
            },
            Outbound::Error { message: "seek: t is later than 24h".into() },
        ];
        let out: Vec<String> = messages.iter().map(Outbound::to_json).collect();
        expect![[r#"
            {"probePlayground":1,"type":"ready","version":"1.2.3","warnings":["speed=7 is not one of the playground's speeds"]}
            {"probePlayground":1,"type":"state","t":80.5,"clock":"80s","playing":true,"speed":10,"pods":[{"name":"liveness-exec","namespace":"default","ready":"1/1","status":"Running","restarts":1}],"endpoints":[{"name":"web","namespace":"default","addresses":["10.244.1.3:80"],"notReadyAddresses":[]}]}
            {"probePlayground":1,"type":"commandResult","command":"kubectl get pods","output":"No resources found in default namespace.\n","ok":true}
            {"probePlayground":1,"type":"error","message":"seek: t is later than 24h"}"#]]
        .assert_eq(&out.join("\n"));
        assert_eq!(
            Outbound::ready(vec![]).to_json(),
            format!(
                "{{\"probePlayground\":1,\"type\":\"ready\",\"version\":\"{}\",\"warnings\":[]}}",
                env!("CARGO_PKG_VERSION")
            )
        );
    }

    /// A `state` message carries the columns of the simulation's snapshot and the playground's clock.
    #[test]
    fn state_from_snapshot() {
        use crate::sim::{ContainerView, EndpointsView, PodView};
        let snapshot = Snapshot {
            t: 80,
            pods: vec![PodView {
                name: "liveness-exec".into(),
                namespace: "default".into(),
                phase: "Running".into(),
                ready: "1/1".into(),
                status: "Running".into(),
                restarts: 1,
                restarts_column: "1 (5s ago)".into(),
                age: "80s".into(),
                ip: "10.244.1.2".into(),
                node: "k8s-worker1".into(),
                deleting: false,
                containers: vec![ContainerView {
                    name: "liveness".into(),
                    state: "running".into(),
                    reason: None,
                    ready: true,
                    started: true,
                    restart_count: 1,
                }],
            }],
            endpoints: vec![EndpointsView {
                name: "httpd-svc".into(),
                namespace: "default".into(),
                addresses: vec!["10.244.1.3:80".into()],
                not_ready_addresses: vec!["10.244.2.4:80".into()],
            }],
        };
        let state = State::from_snapshot(&snapshot, 125_250, false, 30);
        expect![[r#"{"probePlayground":1,"type":"state","t":125.25,"clock":"2m5s","playing":false,"speed":30,"pods":[{"name":"liveness-exec","namespace":"default","ready":"1/1","status":"Running","restarts":1}],"endpoints":[{"name":"httpd-svc","namespace":"default","addresses":["10.244.1.3:80"],"notReadyAddresses":["10.244.2.4:80"]}]}"#]].assert_eq(&Outbound::State(state).to_json());
    }

    /// Hostile input of every kind gets an answer, never a panic or a hang.
    #[test]
    fn hostile_input() {
        let too_big_yaml = format!(
            "{{\"probePlayground\":1,\"type\":\"load\",\"yaml\":\"{}\"}}",
            "a".repeat(MAX_YAML_BYTES + 1)
        );
        assert_eq!(
            parse_inbound(&too_big_yaml),
            Err(InboundError::Invalid(format!(
                "the scenario is {} bytes long; scenarios longer than {MAX_YAML_BYTES} bytes are refused",
                MAX_YAML_BYTES + 1
            )))
        );
        let just_fits = format!(
            "{{\"probePlayground\":1,\"type\":\"load\",\"yaml\":\"{}\"}}",
            "\\u0001".repeat(MAX_YAML_BYTES)
        );
        assert!(
            matches!(parse_inbound(&just_fits), Ok(Inbound::Load { yaml }) if yaml.len() == MAX_YAML_BYTES)
        );
        let huge = format!(
            "{{\"probePlayground\":1,\"type\":\"run\",\"command\":\"{}\"}}",
            "x".repeat(MAX_MESSAGE_BYTES)
        );
        assert!(matches!(parse_inbound(&huge), Err(InboundError::Invalid(m)) if m.contains("are refused")));
        assert_eq!(parse_inbound(&"x".repeat(MAX_MESSAGE_BYTES + 1)), Err(InboundError::NotForUs));
        let long_command = format!(
            "{{\"probePlayground\":1,\"type\":\"run\",\"command\":\"{}\"}}",
            "x".repeat(MAX_COMMAND_BYTES + 1)
        );
        assert!(
            matches!(parse_inbound(&long_command), Err(InboundError::Invalid(m)) if m.contains("4097 bytes"))
        );

        let deep = format!(
            "{{\"probePlayground\":1,\"type\":\"load\",\"yaml\":{}{}}}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert!(
            matches!(parse_inbound(&deep), Err(InboundError::Invalid(m)) if m.contains("recursion limit"))
        );
        let deep_foreign = "[".repeat(100_000);
        assert_eq!(parse_inbound(&deep_foreign), Err(InboundError::NotForUs));

        for t in ["1e308", "1.7976931348623157e308", "18446744073709551616", "-0", "0.0004"] {
            let message = format!("{{\"probePlayground\":1,\"type\":\"seek\",\"t\":{t}}}");
            let _ = parse_inbound(&message);
        }
        assert_eq!(
            parse_inbound("{\"probePlayground\":1,\"type\":\"seek\",\"t\":0.0004}"),
            Ok(Inbound::Seek { t: 0 })
        );

        let long_value =
            format!("?speed={}&t={}&panels={}", "9".repeat(100), "1".repeat(10_000), "x,".repeat(10_000));
        let (options, warnings) = EmbedOptions::from_query(&long_value);
        assert_eq!(options, EmbedOptions::default());
        assert_eq!(warnings.len(), 4, "{warnings:?}");
        assert!(warnings.iter().all(|w| w.len() < 300), "{warnings:?}");
        let many = "embed=1&".repeat(100_000);
        assert_eq!(EmbedOptions::from_query(&many).1.len(), 1);

        // A cheap deterministic generator of messy strings over the characters that matter here.
        let alphabet: Vec<char> =
            "{}[]\":,&=?#%+ 0123456789abcdeftyp-probePlayground\\é\u{0}".chars().collect();
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..2000 {
            let len = (state % 80) as usize;
            let mut text = String::new();
            for _ in 0..len {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                text.push(alphabet[(state >> 33) as usize % alphabet.len()]);
            }
            let _ = parse_inbound(&text);
            let _ = parse_inbound(&format!("{{\"probePlayground\":1,\"type\":\"seek\",\"t\":{text}}}"));
            let (options, _) = EmbedOptions::from_query(&text);
            let snippet = embed_snippet(&text, &options, Some(&text));
            assert_eq!(snippet.matches('"').count(), 14, "{snippet}");
            assert!(
                !snippet.contains('<')
                    || snippet.starts_with("<iframe ") && snippet.matches('<').count() == 2
            );
        }
    }
}
