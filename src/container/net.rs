//! The pod network as a container sees it: what a client inside a container (`wget`, `curl`,
//! `nc`, a server's bind) asks of the world outside its own processes.
//!
//! A container answers connections to its own servers itself. Everything else goes through a
//! [`Network`]: the pod's other containers (one network namespace per pod, so one loopback and
//! one port space), other pods by IP, Services by ClusterIP and NodePort, and cluster DNS. The
//! engine implements it over the pod table and the API store (`crate::engine`'s `network`);
//! [`Isolated`] is a container alone, with no pod around it, for tests and tools that run a
//! container on its own.

use std::net::Ipv4Addr;

use super::{HttpOutcome, TcpOutcome};

/// Which pod a connection reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dest {
    /// The calling container's own pod: its own servers first, then the pod's other containers.
    OwnPod,
    /// Another pod, by the engine's handle.
    Pod(u64),
}

/// Where a TCP connection to an address goes, as routing and kube-proxy's rules decide.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    /// To this port of a pod (after a Service's DNAT, the endpoint's target port).
    To(Dest, u16),
    /// Rejected at once: a Service without usable endpoints (kube-proxy's REJECT rule), which
    /// the client sees as `Connection refused`.
    Refused,
    /// Nothing answers and nothing rejects: the SYN is dropped and the client waits for its
    /// timeout.
    Unreachable,
}

/// An HTTP request a client in a container sends.
#[derive(Clone, Copy, Debug)]
pub struct ClientRequest<'a> {
    pub method: &'a str,
    /// The request target (path and query).
    pub path: &'a str,
    pub ua: &'a str,
    /// The `Host` header (the URL's authority).
    pub host: &'a str,
}

/// The world outside a container, as its clients reach it.
pub trait Network {
    /// The IPv4 address a name resolves to through the container's `/etc/resolv.conf` (cluster
    /// DNS with its search list), or `None` when it does not resolve (NXDOMAIN).
    fn resolve(&mut self, name: &str) -> Option<Ipv4Addr>;
    /// The name cluster DNS gives an address in its reverse zone (a Service's ClusterIP names
    /// the Service), if any.
    fn reverse(&mut self, _ip: Ipv4Addr) -> Option<String> {
        None
    }
    /// Routes a connection to `ip:port` that is not the container's own address.
    fn route(&mut self, ip: Ipv4Addr, port: u16) -> Route;
    /// Sends an HTTP request to a port of a pod; for [`Dest::OwnPod`] only the pod's other
    /// containers are asked (the caller has asked its own servers).
    fn http(&mut self, dest: Dest, port: u16, request: &ClientRequest) -> HttpOutcome;
    /// Opens (and closes) a TCP connection to a port of a pod, as [`Network::http`] reaches it.
    fn tcp(&mut self, dest: Dest, port: u16) -> TcpOutcome;
    /// Appends the ports the pod's other containers have bound (one port space per pod).
    fn bound_by_others(&self, ports: &mut Vec<u16>);
    /// The calling pod's IP as other pods see the connection come from.
    fn client_ip(&self) -> &str;
}

/// A container with no pod around it: no other containers, no other pods, no DNS.
#[derive(Clone, Copy, Debug, Default)]
pub struct Isolated;

impl Network for Isolated {
    fn resolve(&mut self, _name: &str) -> Option<Ipv4Addr> {
        None
    }

    fn route(&mut self, _ip: Ipv4Addr, _port: u16) -> Route {
        Route::Unreachable
    }

    fn http(&mut self, _dest: Dest, _port: u16, _request: &ClientRequest) -> HttpOutcome {
        HttpOutcome::Refused
    }

    fn tcp(&mut self, _dest: Dest, _port: u16) -> TcpOutcome {
        TcpOutcome::Refused
    }

    fn bound_by_others(&self, _ports: &mut Vec<u16>) {}

    fn client_ip(&self) -> &str {
        "127.0.0.1"
    }
}

/// Whether a host names the loopback interface (`localhost` through `/etc/hosts`).
pub fn is_loopback(host: &str) -> bool {
    matches!(host, "localhost" | "[::1]" | "::1" | "0.0.0.0") || host.starts_with("127.")
}
