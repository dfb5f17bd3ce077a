//! What the image's program is known to do, found by running it: a throwaway copy of the container
//! is started from the image catalogue (`crate::container::images`) with the container's command,
//! arguments, variables and ports, and probed with the container's own probe action until it
//! first passes — the app's start time as the catalogue's program has it (a JVM app's start-up, a
//! script's `sleep` before it creates its health file). The copy is then sent the image's stop
//! signal to see how long it takes to exit, which is how long a kill lasts before the grace period
//! runs out. Nothing of the simulation is touched.

use k8s_openapi::api::core::v1::{Container as ContainerSpec, Probe};

use crate::container::{Container, ContainerConfig, HttpOutcome, TcpOutcome};
use crate::duration::{Millis, SECOND};
use crate::engine::worker::{Action, Prepared};
use crate::manifest::KubeVersion;

/// How far the search for the start looks, and the resolution it reports.
const START_LIMIT: Millis = 600 * SECOND;
const FINE_STEP: Millis = 100;

/// The pod address the copy runs with (its probes target it, as the kubelet's do).
const POD_IP: &str = "10.244.0.2";

/// What running the image showed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct AppFacts {
    /// From its start, how long until the probe first passes (to the nearest 100 ms above).
    pub start: Option<Millis>,
    /// How long it takes to exit after its stop signal, if it exits within `grace`.
    pub stop: Option<Millis>,
}

fn config(spec: &ContainerSpec) -> ContainerConfig {
    ContainerConfig {
        name: spec.name.clone(),
        image: spec.image.clone().unwrap_or_default(),
        command: spec.command.clone().unwrap_or_default(),
        args: spec.args.clone().unwrap_or_default(),
        env: literal_env(spec),
        ports: crate::engine::port_decls(spec),
        pod_ip: POD_IP.to_string(),
        hostname: spec.name.clone(),
        resolv_conf: None,
        volumes: Vec::new(),
        files: Vec::new(),
    }
}

fn literal_env(spec: &ContainerSpec) -> Vec<(String, String)> {
    spec.env.iter().flatten().filter_map(|e| e.value.clone().map(|v| (e.name.clone(), v))).collect()
}

/// Whether one run of the probe's action passes against the copy at `at`. Probes the copy cannot
/// answer (another host, an unknown named port, gRPC without a network) give `None`.
fn passes(c: &mut Container, prep: &Prepared, at: Millis) -> Option<bool> {
    match &prep.action {
        Action::Exec { argv } => {
            let r = c.exec(argv, at, Some(prep.timeout));
            Some(r.exit_code == 0 && !r.timed_out)
        }
        Action::Http { port: Ok(_), request, foreign_host: None, .. } => Some(matches!(
            c.http(request, at),
            HttpOutcome::Response { status, latency, .. } if (200..400).contains(&status) && latency <= prep.timeout
        )),
        Action::Tcp { port: Ok(port), foreign: false, .. } => {
            Some(c.tcp_connect(*port, at) == TcpOutcome::Connected)
        }
        Action::Grpc { port, service } => {
            Some(c.grpc_health(*port, service, at) == crate::container::GrpcOutcome::Status("SERVING".into()))
        }
        _ => None,
    }
}

/// The first instant in `[from, to]`, stepping by `step`, at which a fresh copy passes the probe.
fn first_pass(
    spec: &ContainerSpec,
    prep: &Prepared,
    from: Millis,
    to: Millis,
    step: Millis,
) -> Option<Millis> {
    let mut c = Container::start(&config(spec), 0);
    if c.start_error().is_some() {
        return None;
    }
    let mut at = from;
    while at <= to {
        c.advance(at);
        if c.exit_status().is_some() {
            return None;
        }
        if passes(&mut c, prep, at)? {
            return Some(at);
        }
        at += step;
    }
    None
}

/// Runs the image with the probe that tells it has started (`probe`) and its stop signal.
pub(crate) fn run_image(
    spec: &ContainerSpec,
    probe: Option<&Probe>,
    grace: Millis,
    version: KubeVersion,
) -> AppFacts {
    let ports = spec.ports.clone().unwrap_or_default();
    let start = probe.and_then(|p| {
        let prep = Prepared::new(p, &ports, &literal_env(spec), POD_IP, version);
        // Whole seconds first, then the last second again in tenths on a fresh copy (a copy
        // cannot go back in time, and probing it changes nothing it would not do anyway).
        let coarse = first_pass(spec, &prep, 0, START_LIMIT, SECOND)?;
        let from = coarse.saturating_sub(SECOND - FINE_STEP);
        Some(first_pass(spec, &prep, from, coarse, FINE_STEP).unwrap_or(coarse))
    });
    AppFacts { start, stop: stop_time(spec, start.unwrap_or(0), grace) }
}

/// How long the copy takes to exit after the image's stop signal, sent once it has started.
fn stop_time(spec: &ContainerSpec, at: Millis, grace: Millis) -> Option<Millis> {
    let mut c = Container::start(&config(spec), 0);
    if c.start_error().is_some() {
        return None;
    }
    c.advance(at);
    if c.exit_status().is_some() {
        return None;
    }
    let signal = c.stop_signal();
    c.signal(signal, at);
    let mut t = at;
    while t <= at + grace {
        c.advance(t);
        if let Some(exit) = c.exit_status() {
            return Some(exit.at.saturating_sub(at));
        }
        t += FINE_STEP;
    }
    None
}
