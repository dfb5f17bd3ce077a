//! etcd (`registry.k8s.io/etcd`): clients on 2379 (HTTP `/health`, `/version`, `/metrics`, and
//! the gRPC health service the kubeadm manifests' probes call), peers on 2380.

use std::sync::Arc;

use super::{exit, go_not_found, ok, Command, Program, Reaction, Request};
use crate::container::images::{strftime_ms, Sys};
use crate::container::shell::{Call, Flow, Io};
use crate::container::{GrpcOutcome, HttpOutcome, Millis, Signal};

/// etcd 3.5.
#[derive(Debug)]
pub(crate) struct Etcd;

impl Program for Etcd {
    fn name(&self) -> &'static str {
        "etcd"
    }

    fn ports(&self, _sys: &Sys, _env: &[(String, String)], _command: &str) -> Vec<u16> {
        vec![2379, 2380]
    }

    fn startup_log(&self, _sys: &Sys, _ports: &[u16], at: Millis) -> Option<String> {
        let t = strftime_ms("%Y-%m-%dT%H:%M:%S.000Z", at);
        Some(format!(
            "{{\"level\":\"info\",\"ts\":\"{t}\",\"caller\":\"embed/serve.go:98\",\"msg\":\"ready to serve client requests\"}}"
        ))
    }

    /// etcd's interrupt handler stops the server and, as PID 1, exits 0.
    fn react(&self, signal: Signal) -> Reaction {
        match signal {
            Signal::Term | Signal::Int => exit(0, 50),
            _ => Reaction::Ignore,
        }
    }

    /// osutil's interrupt handler logs the signal (as Go names it) before the server stops.
    fn shutdown_log(&self, signal: Signal, at: Millis) -> Option<String> {
        let t = strftime_ms("%Y-%m-%dT%H:%M:%S.000Z", at);
        let name = if signal == Signal::Int { "interrupt" } else { "terminated" };
        Some(format!(
            "{{\"level\":\"info\",\"ts\":\"{t}\",\"caller\":\"osutil/interrupt_unix.go:64\",\"msg\":\"received signal; shutting down\",\"signal\":\"{name}\"}}"
        ))
    }

    fn serve(&self, _sys: &mut Sys, _server: usize, r: &Request) -> HttpOutcome {
        match r.path {
            "/health" | "/livez" | "/readyz" => ok("{\"health\":\"true\",\"reason\":\"\"}"),
            "/version" => ok("{\"etcdserver\":\"3.5.1\",\"etcdcluster\":\"3.5.0\"}"),
            "/metrics" => ok(
                "# HELP etcd_server_has_leader Whether or not a leader exists.\netcd_server_has_leader 1\n",
            ),
            _ => go_not_found(),
        }
    }

    /// The server's overall health (service `""`) is SERVING; it registers no named services.
    fn grpc_health(&self, port: u16, service: &str) -> GrpcOutcome {
        if port != 2379 {
            return GrpcOutcome::Unimplemented;
        }
        GrpcOutcome::Status(if service.is_empty() { "SERVING" } else { "SERVICE_UNKNOWN" }.into())
    }
}

pub(crate) static COMMANDS: &[Command] =
    &[Command { names: &["etcd"], available: |sys, _| sys.ships("etcd"), run }];

/// `etcd`: starts serving.
fn run(sys: &mut Sys, argv: &[String], _io: &mut Io, call: &Call) -> Option<Flow> {
    Some(sys.launch(Arc::new(Etcd), argv, call))
}
