//! The pause container (`registry.k8s.io/pause`, build/pause/linux/pause.c): it listens on
//! nothing and prints nothing as PID 1, sleeps until a signal, and on SIGTERM or SIGINT reports
//! the signal with `psignal` and exits 0.

use std::sync::Arc;

use super::{exit, Command, Program, Reaction, Request};
use crate::container::images::Sys;
use crate::container::shell::{Call, Flow, Io};
use crate::container::{HttpOutcome, Millis, Signal};

/// `/pause`.
#[derive(Debug)]
pub(crate) struct Pause;

impl Program for Pause {
    fn name(&self) -> &'static str {
        "pause"
    }

    fn ports(&self, _sys: &Sys, _env: &[(String, String)], _command: &str) -> Vec<u16> {
        Vec::new()
    }

    fn react(&self, signal: Signal) -> Reaction {
        match signal {
            Signal::Term | Signal::Int => exit(0, 0),
            _ => Reaction::Ignore,
        }
    }

    /// `psignal(signo, "Shutting down, got signal")`: the prefix, then glibc's signal description.
    fn shutdown_log(&self, signal: Signal, _at: Millis) -> Option<String> {
        let description = if signal == Signal::Int { "Interrupt" } else { "Terminated" };
        Some(format!("Shutting down, got signal: {description}"))
    }

    /// It has no ports, so no request reaches it; a connection would get nothing back.
    fn serve(&self, _sys: &mut Sys, _server: usize, _r: &Request) -> HttpOutcome {
        HttpOutcome::NoResponse
    }
}

pub(crate) static COMMANDS: &[Command] =
    &[Command { names: &["pause"], available: |sys, _| sys.ships("pause"), run }];

/// `/pause`: starts pausing.
fn run(sys: &mut Sys, argv: &[String], _io: &mut Io, call: &Call) -> Option<Flow> {
    Some(sys.launch(Arc::new(Pause), argv, call))
}
