//! A probe worker's state (`pkg/kubelet/prober/worker.go`) and its probe spec resolved once: the
//! data the prober runs on, the kubelet reads (a failed liveness probe kills) and status generation
//! reads (readiness and startup results).

use std::rc::Rc;

use k8s_openapi::api::core::v1::{ContainerPort, Probe};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::timing::ProbeTiming;
use super::{ProbeKind, ProbeSubject};
use crate::container::HttpRequest;
use crate::duration::Millis;
use crate::manifest::KubeVersion;

/// A probe worker (`pkg/kubelet/prober/prober_manager.go` AddPod): one per container and probe type.
#[derive(Clone, Debug)]
pub struct Worker {
    pub slot: usize,
    pub kind: ProbeKind,
    /// Who the worker's records are about.
    pub subject: Rc<ProbeSubject>,
    pub prep: Rc<Prepared>,
    /// Ticker generation: re-arming the ticker (manual trigger) or stopping the worker bumps it.
    pub gen: u64,
    /// When the ticker was created or last re-armed (by a manual readiness trigger): it ticks
    /// every period from then, which is what the probe advisor aligns its predictions to.
    pub armed_at: Millis,
    /// The container instance the worker last saw, by its serial number (standing for its
    /// container ID, which the kubelet's results cache is keyed by).
    pub container_serial: Option<u64>,
    /// The results-manager entry for that instance (`pkg/kubelet/prober/worker.go` newWorker initial values, then probe results).
    pub cached: Option<ProbeValue>,
    pub last_result: Option<ProbeValue>,
    pub run: u32,
    pub on_hold: bool,
    pub stopped: bool,
    /// A probe that takes time (a slow exec) is in flight until its `ProbeDone`.
    pub in_flight: Option<Pending>,
}

/// A probe result as the results manager caches it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProbeValue {
    Success,
    Failure,
    Unknown,
}

/// A probe run's outcome before counting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    Success,
    /// Success with a `ProbeWarning` event (an unfollowed HTTP redirect).
    Warning(String),
    Failure(String),
    /// A prober error: the result is thrown away (`pkg/kubelet/prober/prober.go`).
    Error(String),
}

/// A probe that takes virtual time: its outcome lands at `ProbeDone`.
#[derive(Clone, Debug)]
pub struct Pending {
    pub(crate) outcome: Outcome,
    pub(crate) container_serial: u64,
    pub(crate) tick_pending: bool,
}

/// A probe spec resolved once when its worker is created: the numbers with their defaults, and the
/// action with ports, URL and headers worked out, so that each run only does the probing.
#[derive(Clone, Debug)]
pub struct Prepared {
    pub period: Millis,
    pub timeout: Millis,
    pub delay_seconds: Millis,
    pub success_threshold: u32,
    pub failure_threshold: u32,
    pub(crate) action: Action,
}

/// What a probe does, resolved.
#[derive(Clone, Debug)]
pub(crate) enum Action {
    Exec {
        argv: Vec<String>,
    },
    Http {
        /// The resolved port, or the prober error for a named port the container lacks.
        port: Result<u16, String>,
        request: HttpRequest,
        /// `http://10.244.1.2:8080`, the URL without its path.
        base: String,
        /// A `host` other than the pod IP, which the simulated network cannot reach.
        foreign_host: Option<String>,
    },
    Tcp {
        port: Result<u16, String>,
        host: String,
        foreign: bool,
    },
    Grpc {
        port: u16,
        service: String,
    },
    Missing,
}

impl Prepared {
    pub(crate) fn new(
        probe: &Probe,
        ports: &[ContainerPort],
        env: &[(String, String)],
        ip: &str,
        version: KubeVersion,
    ) -> Prepared {
        let action = if let Some(exec) = &probe.exec {
            Action::Exec {
                argv: exec
                    .command
                    .iter()
                    .flatten()
                    .map(|a| crate::container::images::expand_refs(a, env))
                    .collect(),
            }
        } else if let Some(http) = &probe.http_get {
            let port = resolve_port(&http.port, ports).ok_or_else(|| port_error(&http.port));
            let scheme = http.scheme.clone().unwrap_or_else(|| "HTTP".into());
            let host = http.host.clone().filter(|h| !h.is_empty()).unwrap_or_else(|| ip.to_string());
            let mut path = http.path.clone().unwrap_or_else(|| "/".into());
            if !path.starts_with('/') {
                path.insert(0, '/');
            }
            let mut headers: Vec<(String, String)> =
                http.http_headers.iter().flatten().map(|h| (h.name.clone(), h.value.clone())).collect();
            let has = |headers: &[(String, String)], n: &str| {
                headers.iter().any(|(k, _)| k.eq_ignore_ascii_case(n))
            };
            if !has(&headers, "User-Agent") {
                let v = match version {
                    KubeVersion::V1_34 => "kube-probe/1.34",
                    KubeVersion::V1_35 => "kube-probe/1.35",
                };
                headers.push(("User-Agent".into(), v.into()));
            }
            if !has(&headers, "Accept") {
                headers.push(("Accept".into(), "*/*".into()));
            }
            let port_text = port.as_ref().map(|p| p.to_string()).unwrap_or_default();
            Action::Http {
                base: format!("{}://{}:{}", scheme.to_lowercase(), host, port_text),
                request: HttpRequest { port: *port.as_ref().unwrap_or(&0), path, headers, scheme },
                foreign_host: (host != ip).then_some(host),
                port,
            }
        } else if let Some(tcp) = &probe.tcp_socket {
            let host = tcp.host.clone().filter(|h| !h.is_empty()).unwrap_or_else(|| ip.to_string());
            Action::Tcp {
                port: resolve_port(&tcp.port, ports).ok_or_else(|| port_error(&tcp.port)),
                foreign: host != ip,
                host,
            }
        } else if let Some(grpc) = &probe.grpc {
            Action::Grpc {
                port: grpc.port.clamp(0, 65535) as u16,
                service: grpc.service.clone().unwrap_or_default(),
            }
        } else {
            Action::Missing
        };
        let timing = ProbeTiming::of(probe);
        Prepared {
            period: timing.period,
            timeout: timing.timeout,
            delay_seconds: timing.delay_seconds,
            success_threshold: timing.success_threshold,
            failure_threshold: timing.failure_threshold,
            action,
        }
    }

    pub(crate) fn threshold(&self, success: bool) -> u32 {
        if success {
            self.success_threshold
        } else {
            self.failure_threshold
        }
    }
}

/// Resolves a probe or hook port: a number as is, a name through the container's ports.
pub(crate) fn resolve_port(port: &IntOrString, ports: &[ContainerPort]) -> Option<u16> {
    match port {
        IntOrString::Int(n) => u16::try_from(*n).ok().filter(|p| *p > 0),
        IntOrString::String(name) => {
            if let Ok(n) = name.parse::<u16>() {
                return Some(n);
            }
            ports.iter().find(|p| p.name.as_deref() == Some(name.as_str())).map(|p| p.container_port as u16)
        }
    }
}

fn port_error(port: &IntOrString) -> String {
    match port {
        IntOrString::String(name) => format!("port \"{name}\" not found"),
        IntOrString::Int(n) => format!("invalid port number: {n}"),
    }
}
