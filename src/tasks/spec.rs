//! A scenario's tasks as the manifest reader hands them over (`spec.tasks`, described in README.md
//! under "Tasks"): what to run, what its output must or must not contain, and when.

use super::pattern::Pattern;
use crate::duration::Millis;

/// One goal of an exercise.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Task {
    /// A slug, unique within the file.
    pub name: String,
    pub title: String,
    /// Shown on request.
    pub hint: Option<String>,
    pub check: Check,
}

/// What a task runs and expects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    /// A command line of the command language.
    pub command: String,
    pub expect: Expect,
    pub window: Window,
}

/// Whether the pattern must be found in the output or must not be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expect {
    Match(Pattern),
    NotMatch(Pattern),
}

impl Expect {
    /// Whether `output` is what the task wants to see.
    pub fn holds(&self, output: &str) -> bool {
        match self {
            Expect::Match(p) => p.is_match(output),
            Expect::NotMatch(p) => !p.is_match(output),
        }
    }

    pub fn pattern(&self) -> &Pattern {
        match self {
            Expect::Match(p) | Expect::NotMatch(p) => p,
        }
    }
}

/// When the expectation must hold; every instant is a whole second.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Window {
    /// At that moment.
    At(Millis),
    /// At some whole second from 0 up to this one.
    By(Millis),
    /// At every whole second from `from` to `until`, both included.
    During { from: Millis, until: Millis },
}

impl Window {
    /// The first instant the window covers.
    pub fn start(&self) -> Millis {
        match *self {
            Window::At(at) => at,
            Window::By(_) => 0,
            Window::During { from, .. } => from,
        }
    }

    /// The last instant the window covers: the task is decided by then.
    pub fn end(&self) -> Millis {
        match *self {
            Window::At(at) | Window::By(at) => at,
            Window::During { until, .. } => until,
        }
    }
}
