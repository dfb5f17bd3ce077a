//! agnhost, the Kubernetes e2e tests' multi-purpose image (test/images/agnhost): the subcommands
//! lessons use, `netexec`, `serve-hostname`, `grpc-health-checking`, `test-webserver`, `pause`
//! and `liveness`, each on its default port or the one its flag gives.

use std::sync::Arc;

use super::liveness::Liveness;
use super::{exit, flag_port, go_not_found, go_runtime, ok, Command, Program, Reaction, Request};
use crate::container::images::Sys;
use crate::container::shell::{Call, Flow, Io};
use crate::container::{GrpcOutcome, HttpOutcome, Millis, Signal};

/// A running agnhost subcommand.
#[derive(Debug)]
pub(crate) struct Agnhost {
    sub: &'static str,
}

/// The subcommands agnhost serves as (`liveness` runs [`Liveness`]).
const SUBCOMMANDS: [&str; 6] =
    ["netexec", "serve-hostname", "grpc-health-checking", "test-webserver", "pause", "liveness"];

impl Program for Agnhost {
    fn name(&self) -> &'static str {
        "agnhost"
    }

    fn ports(&self, _sys: &Sys, _env: &[(String, String)], command: &str) -> Vec<u16> {
        match self.sub {
            "netexec" => vec![
                flag_port(command, "--http-port").unwrap_or(8080),
                flag_port(command, "--udp-port").unwrap_or(8081),
            ],
            "serve-hostname" => vec![flag_port(command, "--port").unwrap_or(9376)],
            "grpc-health-checking" => vec![
                flag_port(command, "--port").unwrap_or(5000),
                flag_port(command, "--http-port").unwrap_or(8080),
            ],
            "test-webserver" => vec![flag_port(command, "--port").unwrap_or(80)],
            _ => Vec::new(),
        }
    }

    fn startup_log(&self, _sys: &Sys, ports: &[u16], _at: Millis) -> Option<String> {
        match self.sub {
            "netexec" => {
                Some(format!("Started HTTP server on port {}", ports.first().copied().unwrap_or(8080)))
            }
            "serve-hostname" => Some(format!("Serving on port {}.", ports.first().copied().unwrap_or(9376))),
            "pause" => Some("Paused".to_string()),
            _ => None,
        }
    }

    /// Go without handlers, except `pause`, whose handler exits 2 on TERM and 1 on INT at once
    /// (test/images/agnhost/pause/pause.go).
    fn react(&self, signal: Signal) -> Reaction {
        match (self.sub, signal) {
            ("pause", Signal::Term) => exit(2, 0),
            ("pause", Signal::Int) => exit(1, 0),
            _ => go_runtime(signal),
        }
    }

    fn serve(&self, sys: &mut Sys, _server: usize, r: &Request) -> HttpOutcome {
        match (self.sub, r.path) {
            ("serve-hostname", _) | ("netexec", "/hostname") => ok(&sys.config.hostname),
            ("netexec", "/healthz") | ("netexec", "/") => ok("ok"),
            ("netexec", "/echo") => ok(r.raw_path.split_once("msg=").map(|(_, m)| m).unwrap_or("")),
            ("grpc-health-checking", _) => ok("ok"),
            ("test-webserver", "/") => ok("It works!"),
            _ => go_not_found(),
        }
    }

    /// `grpc-health-checking` serves the health service on its default gRPC port.
    fn grpc_health(&self, port: u16, service: &str) -> GrpcOutcome {
        if self.sub != "grpc-health-checking" || port != 5000 {
            return GrpcOutcome::Unimplemented;
        }
        GrpcOutcome::Status(if service.is_empty() { "SERVING" } else { "SERVICE_UNKNOWN" }.into())
    }
}

pub(crate) static COMMANDS: &[Command] =
    &[Command { names: &["agnhost"], available: |sys, _| sys.ships("agnhost"), run }];

/// `agnhost SUBCOMMAND [FLAGS]`.
fn run(sys: &mut Sys, argv: &[String], io: &mut Io, call: &Call) -> Option<Flow> {
    let sub = argv.get(1).map(String::as_str).unwrap_or("");
    Some(match SUBCOMMANDS.into_iter().find(|s| *s == sub) {
        Some("liveness") => sys.launch(Arc::new(Liveness), argv, call),
        Some(sub) => sys.launch(Arc::new(Agnhost { sub }), argv, call),
        None if sub.is_empty() => {
            io.out.push_str("Usage:\n  agnhost [command]\n");
            Flow::Done(0)
        }
        None => {
            io.err.push_str(&format!(
                "Error: unknown command \"{sub}\" for \"agnhost\"\nRun 'agnhost --help' for usage.\n"
            ));
            Flow::Done(1)
        }
    })
}
