//! goproxy (`registry.k8s.io/goproxy`, test/images/goproxy): an HTTP proxy on 8080 that refuses
//! plain requests with 500, which is what a probe of it gets.

use std::sync::Arc;

use super::{go_runtime, respond, Command, Program, Reaction, Request};
use crate::container::images::Sys;
use crate::container::shell::{Call, Flow, Io};
use crate::container::{HttpOutcome, Signal};

/// The proxy on 8080.
#[derive(Debug)]
pub(crate) struct Goproxy;

impl Program for Goproxy {
    fn name(&self) -> &'static str {
        "goproxy"
    }

    fn ports(&self, _sys: &Sys, _env: &[(String, String)], _command: &str) -> Vec<u16> {
        vec![8080]
    }

    fn react(&self, signal: Signal) -> Reaction {
        go_runtime(signal)
    }

    fn serve(&self, _sys: &mut Sys, _server: usize, _r: &Request) -> HttpOutcome {
        respond(500, "This is a proxy server. Does not respond to non-proxy requests.\n")
    }
}

pub(crate) static COMMANDS: &[Command] =
    &[Command { names: &["goproxy"], available: |sys, _| sys.ships("goproxy"), run }];

/// `/goproxy`: starts serving.
fn run(sys: &mut Sys, argv: &[String], _io: &mut Io, call: &Call) -> Option<Flow> {
    Some(sys.launch(Arc::new(Goproxy), argv, call))
}
