//! Nacos (`nacos/nacos-server`, `bin/docker-startup.sh`) in stand-alone mode: its four ports
//! after a 15 s start-up, the console's health endpoints under `/nacos`, and Spring's JSON 404.

use std::sync::Arc;

use super::{jvm, ok, respond, Command, Program, Reaction, Request};
use crate::container::images::Sys;
use crate::container::shell::{Call, Flow, Io};
use crate::container::{HttpOutcome, Millis, Signal};

/// Nacos 2.4.3.
#[derive(Debug)]
pub(crate) struct Nacos;

impl Program for Nacos {
    fn name(&self) -> &'static str {
        "nacos"
    }

    fn startup(&self) -> Millis {
        15_000
    }

    fn ports(&self, _sys: &Sys, _env: &[(String, String)], _command: &str) -> Vec<u16> {
        vec![8848, 9848, 9849, 7848]
    }

    fn startup_log(&self, _sys: &Sys, _ports: &[u16], _at: Millis) -> Option<String> {
        Some(
            "         ,--.'|\n       Nacos 2.4.3\n Running in stand alone mode, All function modules"
                .to_string(),
        )
    }

    fn react(&self, signal: Signal) -> Reaction {
        jvm(signal)
    }

    fn serve(&self, _sys: &mut Sys, _server: usize, r: &Request) -> HttpOutcome {
        match r.path {
            "/nacos/v1/console/health/readiness" | "/nacos/v1/console/health/liveness" => ok("OK"),
            p if p.starts_with("/nacos") => ok("ok"),
            _ => respond(404, "{\"timestamp\":\"2025-09-01T09:00:00.000+00:00\",\"status\":404,\"error\":\"Not Found\",\"path\":\"/\"}"),
        }
    }
}

pub(crate) static COMMANDS: &[Command] =
    &[Command { names: &["docker-startup.sh"], available: |sys, _| sys.ships("docker-startup.sh"), run }];

/// `bin/docker-startup.sh`: starts the server.
fn run(sys: &mut Sys, argv: &[String], _io: &mut Io, call: &Call) -> Option<Flow> {
    Some(sys.launch(Arc::new(Nacos), argv, call))
}
