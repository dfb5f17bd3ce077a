//! The application the advisor predicts for: when it starts answering, when it starts failing, and
//! how it fails. Times are absolute virtual instants, and each is the first instant at which a
//! probe sees the change: a probe that runs in the same instant as the container's own action sees
//! the state before it (the reference model's same-second ordering), so an app whose script removes
//! its health file at 30 s fails the probes from 30.001 s on, while a server that listens from
//! 8 s passes a probe at 8 s.

use serde::Serialize;

use crate::duration::Millis;

/// How the app answers one probe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Answer {
    Pass,
    /// Fails at once (refused, a non-2xx status, a non-zero exit).
    Fail,
    /// Does not answer: the probe fails when its `timeoutSeconds` runs out.
    Hang,
}

/// The app's behaviour over time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Health {
    /// Probes from this instant on find it started (before, they fail at once).
    pub ready_from: Millis,
    /// Probes from this instant on find it failing, until `recovers_from`.
    pub fails_from: Option<Millis>,
    pub recovers_from: Option<Millis>,
    /// Whether it fails by hanging rather than by answering badly.
    pub hangs: bool,
}

impl Health {
    /// An app that answers from `ready_from` on and never fails.
    pub fn healthy_from(ready_from: Millis) -> Health {
        Health { ready_from, fails_from: None, recovers_from: None, hangs: false }
    }

    /// What a probe that runs at `at` gets.
    pub fn answer(&self, at: Millis) -> Answer {
        if at < self.ready_from {
            return Answer::Fail;
        }
        let failing = self.fails_from.is_some_and(|f| at >= f) && self.recovers_from.is_none_or(|r| at < r);
        match (failing, self.hangs) {
            (false, _) => Answer::Pass,
            (true, false) => Answer::Fail,
            (true, true) => Answer::Hang,
        }
    }
}
