//! The messages between the page and the simulation's worker, written as JSON. The page sends
//! [`Request`]s and renders the [`Report`]s it gets back; only the worker runs the engine.

use serde::{Deserialize, Serialize};

use crate::duration::Millis;
use crate::manifest::Diagnostic;
use crate::timeline::Input;

use super::view::{Selection, View};

/// What the page asks of the simulation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum Request {
    /// A fresh run of `yaml` from time 0, with `inputs` recorded to replay at their instants, shown
    /// at `at` (reached by a seek in slices). `notice` is said instead of the usual one; the answer
    /// is [`Report::Loaded`] with the same `id`.
    Load {
        id: u64,
        yaml: String,
        inputs: Vec<(Millis, Input)>,
        at: Millis,
        notice: Option<String>,
    },
    /// Check a text for problems without running it.
    Validate {
        yaml: String,
    },
    /// `kubectl apply -f -` of the editor's text, keeping the clock.
    Apply {
        yaml: String,
    },
    /// One command line; `kubectl apply -f -` in any spelling applies `yaml`, the editor's text. The
    /// answer is [`Report::Ran`] with the same `id`.
    Run {
        id: u64,
        line: String,
        yaml: String,
    },
    Play,
    Pause,
    Speed {
        speed: u32,
    },
    /// +1 s of virtual time, landing on a whole second.
    Step,
    /// Jump to the next scheduled event.
    NextEvent,
    /// Show the state at a virtual instant, earlier or later.
    Seek {
        at: Millis,
    },
    /// Stop a seek where it has got to; everything simulated so far stays.
    StopSeek,
    /// Which pod's detail the page shows.
    Select {
        selection: Selection,
    },
    /// Whether snapshots carry the host page's messages (an embedded playground).
    Host {
        report: bool,
    },
    /// The page has rendered the snapshot of this revision; the worker sends the next one only then,
    /// so snapshots never queue up faster than the page draws them.
    Shown {
        revision: u64,
    },
}

/// What the simulation tells the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum Report {
    View {
        view: Box<View>,
    },
    /// A [`Request::Load`] was carried out: the file's problems (errors, or the warnings of a file
    /// that loaded).
    Loaded {
        id: u64,
        problems: Vec<Diagnostic>,
        notice: Option<(String, bool)>,
    },
    /// The problems of the editor's text, after checking or applying it.
    Problems {
        problems: Vec<Diagnostic>,
    },
    /// A command ran at `at` and printed `output`.
    Ran {
        id: u64,
        at: Millis,
        command: String,
        output: String,
        ok: bool,
    },
    /// The inputs recorded so far, so that the page can have the run rebuilt if the worker stops.
    Inputs {
        inputs: Vec<(Millis, Input)>,
    },
}

impl Request {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_json(text: &str) -> Result<Request, String> {
        serde_json::from_str(text).map_err(|e| format!("a request the simulation cannot read: {e}"))
    }
}

impl Report {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_json(text: &str) -> Result<Report, String> {
        serde_json::from_str(text).map_err(|e| format!("a report the page cannot read: {e}"))
    }
}
