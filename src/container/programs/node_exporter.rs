//! Prometheus' node_exporter (`prom/node-exporter`): `/metrics` and its landing page on 9100,
//! and its go-kit log line on start.

use std::sync::Arc;

use super::{go_not_found, go_runtime, ok, Command, Program, Reaction, Request};
use crate::container::images::{strftime_ms, Sys};
use crate::container::shell::{Call, Flow, Io};
use crate::container::{HttpOutcome, Millis, Signal};

/// node_exporter on 9100.
#[derive(Debug)]
pub(crate) struct NodeExporter;

impl Program for NodeExporter {
    fn name(&self) -> &'static str {
        "node_exporter"
    }

    fn ports(&self, _sys: &Sys, _env: &[(String, String)], _command: &str) -> Vec<u16> {
        vec![9100]
    }

    fn startup_log(&self, _sys: &Sys, _ports: &[u16], at: Millis) -> Option<String> {
        let t = strftime_ms("%Y-%m-%dT%H:%M:%S.000Z", at);
        Some(format!("ts={t} caller=node_exporter.go:199 level=info msg=\"Listening on\" address=:9100"))
    }

    fn react(&self, signal: Signal) -> Reaction {
        go_runtime(signal)
    }

    fn serve(&self, _sys: &mut Sys, _server: usize, r: &Request) -> HttpOutcome {
        match r.path {
            "/metrics" => ok("# HELP node_load1 1m load average.\n# TYPE node_load1 gauge\nnode_load1 0.21\n"),
            "/" => ok("<html>\n<head><title>Node Exporter</title></head>\n<body>\n<h1>Node Exporter</h1>\n<p><a href=\"/metrics\">Metrics</a></p>\n</body>\n</html>\n"),
            _ => go_not_found(),
        }
    }
}

pub(crate) static COMMANDS: &[Command] =
    &[Command { names: &["node_exporter"], available: |sys, _| sys.ships("node_exporter"), run }];

/// `/bin/node_exporter`: starts serving.
fn run(sys: &mut Sys, argv: &[String], _io: &mut Io, call: &Call) -> Option<Flow> {
    Some(sys.launch(Arc::new(NodeExporter), argv, call))
}
