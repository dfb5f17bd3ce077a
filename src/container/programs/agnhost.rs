//! agnhost, the Kubernetes e2e tests' multi-purpose image (test/images/agnhost): the subcommands
//! lessons use, `netexec`, `serve-hostname`, `grpc-health-checking`, `test-webserver`, `pause`
//! and `liveness`, each on its default port or the one its flag gives.

use std::sync::Arc;

use super::liveness::Liveness;
use super::{exit, flag_port, go_not_found, go_runtime, ok, respond, Command, Program, Reaction, Request};
use crate::container::images::Sys;
use crate::container::images::{error_stamp, strftime_ms};
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

    fn startup_log(&self, _sys: &Sys, ports: &[u16], at: Millis) -> Option<String> {
        match self.sub {
            // netexec writes with Go's standard logger, whose default flags prefix the date and
            // time (test/images/agnhost/netexec/netexec.go startServer).
            "netexec" => Some(format!(
                "{} Started HTTP server on port {}",
                error_stamp(at),
                ports.first().copied().unwrap_or(8080)
            )),
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
        if self.sub == "netexec" {
            return netexec(sys, r);
        }
        match (self.sub, r.path) {
            ("serve-hostname", _) => ok(&sys.config.hostname),
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

/// One query parameter of a request target, percent-decoded as Go's `FormValue` returns it.
pub(crate) fn query_value(raw_path: &str, key: &str) -> String {
    let query = raw_path.split_once('?').map_or("", |(_, q)| q);
    let raw = query
        .split('&')
        .find_map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (k == key).then_some(v)
        })
        .unwrap_or("");
    crate::urlencoded::percent_decode(raw)
}

/// netexec's HTTP handlers (test/images/agnhost/netexec/netexec.go addRoutes). Go's ServeMux
/// sends every path without a handler of its own to the `/` handler, so `/readyz` answers 200
/// with the time, as on a cluster. Each handler logs its request with Go's standard logger.
fn netexec(sys: &mut Sys, r: &Request) -> HttpOutcome {
    let stamp = error_stamp(r.now);
    match r.path {
        "/hostname" | "/hostName" => {
            sys.push_log(r.now, format!("{stamp} GET {}", r.path));
            ok(&sys.config.hostname.clone())
        }
        "/healthz" => {
            sys.push_log(r.now, format!("{stamp} GET /healthz"));
            respond(200, "")
        }
        "/echo" => {
            let msg = query_value(r.raw_path, "msg");
            let code = query_value(r.raw_path, "code");
            sys.push_log(r.now, format!("{stamp} GET /echo?msg={msg}&code={code}"));
            if code.is_empty() {
                return ok(&msg);
            }
            match code.parse::<u16>() {
                // net/http's WriteHeader accepts the codes 100 to 999 (checkWriteHeaderCode).
                Ok(status) if (100..=999).contains(&status) => respond(status, &msg),
                Ok(_) => respond(500, ""),
                Err(_) => ok(&format!("argument 'code' must be an integer or empty, got {code:?}\n")),
            }
        }
        _ => {
            sys.push_log(r.now, format!("{stamp} GET /"));
            // time.Time's String form: the fraction without trailing zeros (none when it is
            // zero), then the zone. The real line ends with the monotonic reading (`m=+5.000000001`),
            // which counts from the process's start; the request does not carry that instant, so
            // it is left out.
            let mut fraction =
                if r.now.is_multiple_of(1000) { String::new() } else { format!(".{:03}", r.now % 1000) };
            while fraction.ends_with('0') {
                fraction.pop();
            }
            let seconds = strftime_ms("%Y-%m-%d %H:%M:%S", r.now);
            ok(&format!("NOW: {seconds}{fraction} +0000 UTC"))
        }
    }
}
