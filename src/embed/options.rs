//! The embed URL's options: what a course page's `<iframe src>` asks of the playground, read
//! leniently (a bad value falls back to its default with a warning).

use super::*;

pub use crate::sim::SPEEDS;

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
    /// `origins=`: the only origins (`https://learn.example.com`) whose messages the playground
    /// answers and to which it announces itself; `None` answers any page that frames it.
    pub origins: Option<Vec<String>>,
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
            origins: None,
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
                "origins" => options.origins = read_origins(value, &mut warnings),
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
        if let Some(origins) = &self.origins {
            let origins: Vec<String> = origins.iter().map(|o| percent_encode(o)).collect();
            parts.push(format!("origins={}", origins.join(",")));
        }
        parts.join("&")
    }

    /// Whether a message from `origin` (as the `message` event reports it) may drive the playground.
    pub fn allows_origin(&self, origin: &str) -> bool {
        self.origins.as_ref().is_none_or(|origins| origins.iter().any(|o| o == origin))
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

/// The parameters [`EmbedOptions::from_query`] reads, in the order it applies them.
pub(super) const KNOWN_PARAMS: [&str; 9] =
    ["embed", "scenario", "editor", "panels", "autoplay", "t", "speed", "theme", "origins"];

pub(super) fn read_flag(key: &str, value: &str, warnings: &mut Vec<String>) -> bool {
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

pub(super) fn read_speed(value: &str, warnings: &mut Vec<String>) -> Option<u32> {
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

pub(super) fn read_panels(value: &str, warnings: &mut Vec<String>) -> Option<Vec<Panel>> {
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

/// Reads `origins=`: a comma-separated list of origins as browsers write them, a scheme (`https`
/// or `http`), `://`, a host and maybe a port, nothing after. Other entries are skipped with a
/// warning; a list with no origin left restricts nothing, and says so.
pub(super) fn read_origins(value: &str, warnings: &mut Vec<String>) -> Option<Vec<String>> {
    let mut origins: Vec<String> = Vec::new();
    let mut bad = Vec::new();
    for entry in value.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        let lower = entry.to_ascii_lowercase();
        match is_origin(&lower) {
            true if !origins.contains(&lower) => origins.push(lower),
            true => {}
            false if bad.len() < 5 => bad.push(quote_value(entry)),
            false => {}
        }
    }
    if !bad.is_empty() {
        warnings.push(format!(
            "origins: {} {} not an origin like https://learn.example.com (a scheme, a host, maybe a port, and no path); ignored",
            bad.join(", "),
            if bad.len() == 1 { "is" } else { "are" }
        ));
    }
    if origins.is_empty() {
        warnings.push("origins= names no origin; messages from any page are answered".to_string());
        return None;
    }
    Some(origins)
}

fn is_origin(text: &str) -> bool {
    let Some(rest) = text.strip_prefix("https://").or_else(|| text.strip_prefix("http://")) else {
        return false;
    };
    let (host, port) = match rest.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (rest, None),
    };
    let host_ok = !host.is_empty()
        && host.len() <= 253
        && host.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        && !host.starts_with(['.', '-'])
        && !host.ends_with(['.', '-']);
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()));
    host_ok && port_ok
}

pub(super) fn is_slug(text: &str) -> bool {
    let bytes = text.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= MAX_SLUG_LEN
        && bytes.iter().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
        && bytes.first() != Some(&b'-')
        && bytes.last() != Some(&b'-')
}

pub(super) fn speeds_list() -> String {
    SPEEDS.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
}

/// Quotes a value for a warning, cut short so that a hostile URL cannot flood the message.
pub(super) fn quote_value(value: &str) -> String {
    const LIMIT: usize = 40;
    if value.chars().count() <= LIMIT {
        return format!("{value:?}");
    }
    let cut: String = value.chars().take(LIMIT).collect();
    format!("{:?}", cut + "…")
}

/// A duration as the `t` parameter writes it: whole seconds when it is a whole number of them.
pub(super) fn duration_param(ms: Millis) -> String {
    if ms.is_multiple_of(1000) {
        format!("{}s", ms / 1000)
    } else {
        format!("{ms}ms")
    }
}
