//! The Kubernetes documentation's liveness server (`registry.k8s.io/liveness`, also agnhost's
//! `liveness` subcommand, test/images/agnhost/liveness/server.go): `/healthz` answers 200 for the
//! first 10 seconds after start and 500 after, as the liveness-probe task page shows.

use std::sync::Arc;

use super::{go_not_found, go_runtime, ok, respond, Command, Program, Reaction, Request};
use crate::container::images::Sys;
use crate::container::shell::{Call, Flow, Io};
use crate::container::{HttpOutcome, Signal};

/// The liveness server on 8080.
#[derive(Debug)]
pub(crate) struct Liveness;

impl Program for Liveness {
    fn name(&self) -> &'static str {
        "liveness"
    }

    fn ports(&self, _sys: &Sys, _env: &[(String, String)], _command: &str) -> Vec<u16> {
        vec![8080]
    }

    fn react(&self, signal: Signal) -> Reaction {
        go_runtime(signal)
    }

    fn serve(&self, sys: &mut Sys, server: usize, r: &Request) -> HttpOutcome {
        let elapsed = (r.now - sys.servers[server].started) as f64 / 1000.0;
        match r.path {
            "/healthz" if elapsed > 10.0 => respond(500, &format!("error: {elapsed}")),
            "/healthz" => ok("ok"),
            "/started" => ok(&format!("{elapsed}")),
            "/redirect" => {
                let loc = r
                    .raw_path
                    .split_once("loc=")
                    .map(|(_, l)| l.to_string())
                    .unwrap_or_else(|| "/".to_string());
                HttpOutcome::Response { status: 302, body: "".into(), location: Some(loc), latency: 0 }
            }
            _ => go_not_found(),
        }
    }
}

pub(crate) static COMMANDS: &[Command] =
    &[Command { names: &["server"], available: |sys, _| sys.ships("server"), run }];

/// `/server`: starts serving.
fn run(sys: &mut Sys, argv: &[String], _io: &mut Io, call: &Call) -> Option<Flow> {
    Some(sys.launch(Arc::new(Liveness), argv, call))
}
