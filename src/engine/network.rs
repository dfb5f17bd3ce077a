//! The pod network, a view over the pod table and the API store that a container's clients reach
//! through [`Network`] (`crate::container::net`).
//!
//! - One network namespace per pod: a pod's containers share loopback and one port space, so a
//!   connection to `localhost` finds whichever container of the pod listens on the port, and a
//!   server cannot bind a port another container of the pod holds.
//! - Pods reach each other by IP on any port (no NetworkPolicy); a port nobody listens on answers
//!   with a reset (`Connection refused`).
//! - Services work as kube-proxy's iptables rules make them work (`pkg/proxy/iptables/proxier.go`):
//!   a ClusterIP (or a node's address and a nodePort) and a service port are DNATed to one usable
//!   endpoint and its target port. Usable endpoints are the ready ones, or when there are none the
//!   serving and terminating ones (`pkg/proxy/topology.go` CategorizeEndpoints); with none at all
//!   the connection is rejected at once. The endpoint is picked with the world's seeded RNG, as
//!   iptables' `statistic --mode random` rules pick one.
//! - Cluster DNS as CoreDNS answers it (`plugin/kubernetes`): `<svc>.<ns>.svc.cluster.local` is the
//!   ClusterIP, or a headless Service's ready endpoint addresses; `<hostname>.<svc>.<ns>.svc...`
//!   a pod that asked for the Service as its subdomain; names are tried against the search list
//!   the kubelet writes into `/etc/resolv.conf` (`pkg/kubelet/network/dns/dns.go`).
//!
//! Networking is instantaneous (`world-semantics.md`, the reference model's additions).
//!
//! A container's run borrows its pod's other containers and the other pods through
//! [`World::with_pod_net`], which splits the pod table around it: building the view costs a few
//! pointers and nothing is allocated, so probes and scripts that never leave the container pay
//! nothing for the network.

use std::net::Ipv4Addr;

use k8s_openapi::api::core::v1::{Pod, PodSpec, Service, ServicePort};

use super::runtime::{Instance, PodRuntime, Slot};
use super::{PodId, World};
use crate::api::ApiStore;
use crate::container::net::{ClientRequest, Dest, Network, Route};
use crate::container::{Container, ContainerConfig, HttpOutcome, HttpRequest, TcpOutcome};
use crate::controllers::podutil::{is_ready, is_terminal, is_terminating};
use crate::duration::Millis;
use crate::rng::Rng;
use crate::selector::Selector;

/// The cluster's DNS domain and the kube-dns Service address (kubeadm's defaults, unverified in
/// `world-semantics.md`).
pub(crate) const CLUSTER_DOMAIN: &str = "cluster.local";
pub(crate) const CLUSTER_DNS: &str = "10.96.0.10";
/// The kubelet's `defaultDNSOptions` and the resolver's limits it trims to
/// (`pkg/kubelet/network/dns/dns.go`, `validation.MaxDNSNameservers` and `MaxDNSSearchPaths`).
const NDOTS: usize = 5;
const MAX_NAMESERVERS: usize = 3;
const MAX_SEARCHES: usize = 32;

/// The pod network as one container of one pod sees it.
pub(crate) struct PodNet<'a> {
    now: Millis,
    api: &'a ApiStore,
    rng: &'a mut Rng,
    namespace: &'a str,
    ip: &'a str,
    /// The calling pod's other containers, before and after the caller's slot.
    siblings: [&'a mut [Slot]; 2],
    /// The other pods of the table, before and after the caller's, and the caller's index.
    pods: [&'a mut [Option<PodRuntime>]; 2],
    me: usize,
}

impl World {
    /// Runs `f` on a slot's newest instance with the network of its pod, or `None` when the pod or
    /// the instance is gone.
    pub(crate) fn with_pod_net<R>(
        &mut self,
        id: PodId,
        slot: usize,
        f: impl FnOnce(&mut Instance, &mut PodNet) -> R,
    ) -> Option<R> {
        let (before, rt, after) = self.pods.split_mut(id)?;
        if slot >= rt.slots.len() {
            return None;
        }
        let (sb, rest) = rt.slots.split_at_mut(slot);
        let (me, sa) = rest.split_first_mut()?;
        let inst = me.instances.last_mut()?;
        let mut net = PodNet {
            now: self.now,
            api: &self.api,
            rng: &mut self.rng,
            namespace: &rt.namespace,
            ip: &rt.ip,
            siblings: [sb, sa],
            pods: [before, after],
            me: id.index(),
        };
        Some(f(inst, &mut net))
    }

    /// Starts a container of a pod: its main process's first steps already reach the pod's other
    /// containers (a new instance is not in its slot yet, so every slot is a sibling).
    pub(crate) fn start_in_pod(&mut self, id: PodId, config: &ContainerConfig) -> Container {
        let now = self.now;
        let Some((before, rt, after)) = self.pods.split_mut(id) else { return Container::start(config, now) };
        let mut net = PodNet {
            now,
            api: &self.api,
            rng: &mut self.rng,
            namespace: &rt.namespace,
            ip: &rt.ip,
            siblings: [&mut rt.slots[..], &mut []],
            pods: [before, after],
            me: id.index(),
        };
        Container::start_in(config, now, &mut net)
    }
}

/// The `/etc/resolv.conf` the kubelet gives a pod (`pkg/kubelet/network/dns/dns.go` GetPodDNS), as
/// containerd writes it: search line, nameservers, options. `ClusterFirst` (the default) points at
/// cluster DNS with the namespace's search path, except for a host-network pod, which gets its
/// node's configuration as `Default` does; the playground's nodes have no resolver of their own
/// to copy, so those pods keep the image's file. `dnsConfig` adds nameservers, search domains and
/// options (an option of the same name replaces the default).
pub(crate) fn resolv_conf(spec: &PodSpec, namespace: &str) -> Option<String> {
    let policy = spec.dns_policy.as_deref().unwrap_or("ClusterFirst");
    let host_network = spec.host_network == Some(true);
    let (mut servers, mut searches, mut options): (Vec<String>, Vec<String>, Vec<String>) = match policy {
        "ClusterFirstWithHostNet" => cluster_dns(namespace),
        "ClusterFirst" if !host_network => cluster_dns(namespace),
        "None" => Default::default(),
        _ => return None,
    };
    if let Some(config) = &spec.dns_config {
        servers.extend(config.nameservers.iter().flatten().cloned());
        for s in config.searches.iter().flatten() {
            if !searches.contains(s) {
                searches.push(s.clone());
            }
        }
        for o in config.options.iter().flatten() {
            let text = match &o.value {
                Some(v) => format!("{}:{v}", o.name.as_deref().unwrap_or("")),
                None => o.name.clone().unwrap_or_default(),
            };
            let name = o.name.as_deref().unwrap_or("");
            match options.iter().position(|x| x.split(':').next() == Some(name)) {
                Some(i) => options[i] = text,
                None => options.push(text),
            }
        }
    }
    servers.truncate(MAX_NAMESERVERS);
    searches.truncate(MAX_SEARCHES);
    let mut out = String::new();
    if !searches.is_empty() {
        out.push_str(&format!("search {}\n", searches.join(" ")));
    }
    for s in &servers {
        out.push_str(&format!("nameserver {s}\n"));
    }
    if !options.is_empty() {
        out.push_str(&format!("options {}\n", options.join(" ")));
    }
    Some(out)
}

fn cluster_dns(namespace: &str) -> (Vec<String>, Vec<String>, Vec<String>) {
    (
        vec![CLUSTER_DNS.to_string()],
        vec![
            format!("{namespace}.svc.{CLUSTER_DOMAIN}"),
            format!("svc.{CLUSTER_DOMAIN}"),
            CLUSTER_DOMAIN.to_string(),
        ],
        vec![format!("ndots:{NDOTS}")],
    )
}

/// A probe's HTTP request to its container's port: the container's own servers, or, since the
/// pod's containers share one network namespace, whichever other container of the pod has bound
/// the port. Only a refused request looks further than the container itself.
pub(crate) fn probe_http(
    own: &mut Container,
    siblings: [&mut [Slot]; 2],
    req: &HttpRequest,
    now: Millis,
) -> HttpOutcome {
    match own.http(req, now) {
        HttpOutcome::Refused => match sibling_on(siblings, req.port) {
            Some(other) => other.http(req, now),
            None => HttpOutcome::Refused,
        },
        outcome => outcome,
    }
}

/// A probe's TCP connection, reaching the pod's other containers as [`probe_http`] does.
pub(crate) fn probe_tcp(
    own: &mut Container,
    siblings: [&mut [Slot]; 2],
    port: u16,
    now: Millis,
) -> TcpOutcome {
    match own.tcp_connect(port, now) {
        TcpOutcome::Refused => match sibling_on(siblings, port) {
            Some(other) => other.tcp_connect(port, now),
            None => TcpOutcome::Refused,
        },
        outcome => outcome,
    }
}

/// The running container among `siblings` that has bound `port`.
pub(crate) fn sibling_on(siblings: [&mut [Slot]; 2], port: u16) -> Option<&mut Container> {
    let [a, b] = siblings;
    a.iter_mut()
        .chain(b.iter_mut())
        .filter_map(|s| s.running_mut())
        .map(|i| &mut i.proc)
        .find(|c| c.binds(port))
}

/// One endpoint of a Service as the EndpointSlice controller describes it
/// (`staging/src/k8s.io/endpointslice/utils.go` podToEndpoint).
struct Endpoint {
    ip: Ipv4Addr,
    port: u16,
    ready: bool,
    serving: bool,
    terminating: bool,
}

impl PodNet<'_> {
    /// The pod of the table at an index, other than the caller's.
    fn pod_mut(&mut self, index: usize) -> Option<&mut PodRuntime> {
        let [before, after] = &mut self.pods;
        if index < self.me {
            before.get_mut(index)?.as_mut()
        } else {
            after.get_mut(index.checked_sub(self.me + 1)?)?.as_mut()
        }
    }

    /// Where a pod IP leads: the caller's own pod, another pod's handle, or nowhere.
    fn pod_of(&self, ip: Ipv4Addr) -> Option<Dest> {
        if self.ip.parse() == Ok(ip) {
            return Some(Dest::OwnPod);
        }
        let text = ip.to_string();
        let [before, after] = &self.pods;
        before.iter().chain(after.iter()).flatten().find(|rt| rt.ip == text).map(|rt| Dest::Pod(rt.id.0))
    }

    /// The Service's endpoints for one of its ports, from the pods it selects.
    fn endpoints(&self, service: &Service, sp: Option<&ServicePort>) -> Vec<Endpoint> {
        let Some(spec) = service.spec.as_ref() else { return Vec::new() };
        let Some(selector) = spec.selector.as_ref() else { return Vec::new() };
        let selector = Selector::from_map(selector);
        let namespace = service.metadata.namespace.as_deref().unwrap_or("default");
        let publish = spec.publish_not_ready_addresses == Some(true);
        let mut out = Vec::new();
        for ((ns, _), pod) in self.api.pods.range((namespace.to_string(), String::new())..) {
            if ns != namespace {
                break;
            }
            if !selector.matches(pod.metadata.labels.as_ref()) || is_terminal(pod) {
                continue;
            }
            let Some(ip) = pod.status.as_ref().and_then(|s| s.pod_ip.as_deref()?.parse().ok()) else {
                continue;
            };
            let port = match sp {
                Some(sp) => match target_port(pod, sp) {
                    Some(p) => p,
                    None => continue,
                },
                None => 0,
            };
            let serving = is_ready(pod);
            let terminating = is_terminating(pod);
            // "ready" is never true for a terminating pod unless not-ready addresses are published.
            let ready = publish || (serving && !terminating);
            out.push(Endpoint { ip, port, ready, serving, terminating });
        }
        out
    }

    /// kube-proxy's choice for a connection to a Service port: one usable endpoint, at random.
    fn pick(&mut self, service: &Service, sp: &ServicePort) -> Route {
        let endpoints = self.endpoints(service, Some(sp));
        let ready: Vec<&Endpoint> = endpoints.iter().filter(|e| e.ready).collect();
        let usable = if ready.is_empty() {
            endpoints.iter().filter(|e| e.serving && e.terminating).collect()
        } else {
            ready
        };
        if usable.is_empty() {
            return Route::Refused;
        }
        let chosen = usable[self.rng.below(usable.len() as u64) as usize];
        let (ip, port) = (chosen.ip, chosen.port);
        match self.pod_of(ip) {
            Some(dest) => Route::To(dest, port),
            None => Route::Refused,
        }
    }

    /// An A record of cluster DNS for a fully qualified name (without the trailing dot).
    fn lookup(&mut self, fqdn: &str) -> Option<Ipv4Addr> {
        let rest = fqdn.strip_suffix(CLUSTER_DOMAIN)?.strip_suffix('.')?;
        if let Some(rest) = rest.strip_suffix(".svc") {
            let parts: Vec<&str> = rest.split('.').collect();
            return match parts[..] {
                [svc, ns] => self.service_record(ns, svc, None),
                [host, svc, ns] => self.service_record(ns, svc, Some(host)),
                _ => None,
            };
        }
        // `a-b-c-d.<ns>.pod.cluster.local`, which kubeadm's Corefile answers (`pods insecure`).
        let rest = rest.strip_suffix(".pod")?;
        let (dashed, _) = rest.split_once('.')?;
        dashed.replace('-', ".").parse().ok()
    }

    /// The Service's record: its ClusterIP, or for a headless Service one of its ready endpoint
    /// addresses (CoreDNS's `loadbalance` shuffles them; the first one is what a client uses).
    fn service_record(&mut self, ns: &str, svc: &str, host: Option<&str>) -> Option<Ipv4Addr> {
        let Some(service) = self.api.services.get(&(ns.to_string(), svc.to_string())) else {
            return if host.is_none() { super::cluster_services::record(ns, svc) } else { None };
        };
        let spec = service.spec.as_ref()?;
        if spec.type_.as_deref() == Some("ExternalName") {
            return None;
        }
        let headless = spec.cluster_ip.as_deref() == Some("None");
        if !headless {
            return if host.is_none() { spec.cluster_ip.as_deref()?.parse().ok() } else { None };
        }
        let endpoints = self.endpoints(service, None);
        if let Some(host) = host {
            // `<hostname>.<subdomain>`: the pod with that hostname whose subdomain is the Service.
            let pods = self.api.pods.range((ns.to_string(), String::new())..);
            let ip: Ipv4Addr = pods
                .take_while(|((n, _), _)| n == ns)
                .map(|(_, p)| p)
                .find(|p| {
                    let spec = p.spec.as_ref();
                    spec.and_then(|s| s.hostname.as_deref()) == Some(host)
                        && spec.and_then(|s| s.subdomain.as_deref()) == Some(svc)
                })
                .and_then(|p| p.status.as_ref()?.pod_ip.as_deref()?.parse().ok())?;
            return endpoints.iter().any(|e| e.ip == ip && e.ready).then_some(ip);
        }
        let ready: Vec<Ipv4Addr> = endpoints.iter().filter(|e| e.ready).map(|e| e.ip).collect();
        if ready.is_empty() {
            // A headless Service without ready endpoints is NXDOMAIN (unverified).
            return None;
        }
        Some(ready[self.rng.below(ready.len() as u64) as usize])
    }

    /// The Service a ClusterIP belongs to, with the port that serves `port`.
    fn service_at(&self, ip: Ipv4Addr, port: u16) -> Option<(&Service, Option<&ServicePort>)> {
        let text = ip.to_string();
        let service = self
            .api
            .services
            .values()
            .find(|s| s.spec.as_ref().and_then(|s| s.cluster_ip.as_deref()) == Some(text.as_str()))?;
        let sp = service_ports(service).find(|p| p.port == i32::from(port));
        Some((service, sp))
    }

    /// The Service a node port belongs to, if `ip` is a node's address.
    fn node_port(&self, ip: Ipv4Addr, port: u16) -> Option<Option<(&Service, &ServicePort)>> {
        let text = ip.to_string();
        self.api.nodes.keys().find(|n| self.api.node_ip(n).as_deref() == Some(text.as_str()))?;
        Some(self.api.services.values().find_map(|s| {
            let kind = s.spec.as_ref()?.type_.as_deref();
            if !matches!(kind, Some("NodePort") | Some("LoadBalancer")) {
                return None;
            }
            service_ports(s).find(|p| p.node_port == Some(i32::from(port))).map(|p| (s, p))
        }))
    }

    fn containers(&mut self, dest: Dest) -> Vec<&mut Container> {
        match dest {
            Dest::OwnPod => {
                let [a, b] = &mut self.siblings;
                a.iter_mut()
                    .chain(b.iter_mut())
                    .filter_map(|s| s.running_mut())
                    .map(|i| &mut i.proc)
                    .collect()
            }
            Dest::Pod(id) => {
                let index = usize::try_from(id).unwrap_or(usize::MAX);
                match self.pod_mut(index) {
                    Some(rt) => {
                        rt.slots.iter_mut().filter_map(|s| s.running_mut()).map(|i| &mut i.proc).collect()
                    }
                    None => Vec::new(),
                }
            }
        }
    }
}

impl Network for PodNet<'_> {
    fn resolve(&mut self, name: &str) -> Option<Ipv4Addr> {
        let name = name.to_ascii_lowercase();
        let absolute = name.ends_with('.');
        let bare = name.trim_end_matches('.');
        if bare.is_empty() {
            return None;
        }
        // The resolver tries the search list first for a name with fewer dots than `ndots`.
        if !absolute && bare.matches('.').count() < NDOTS {
            let searches = [
                format!("{}.svc.{CLUSTER_DOMAIN}", self.namespace),
                format!("svc.{CLUSTER_DOMAIN}"),
                CLUSTER_DOMAIN.to_string(),
            ];
            for domain in searches {
                if let Some(ip) = self.lookup(&format!("{bare}.{domain}")) {
                    return Some(ip);
                }
            }
        }
        self.lookup(bare)
    }

    /// CoreDNS's reverse zone (`in-addr.arpa` in kubeadm's Corefile): a ClusterIP names its
    /// Service; pod addresses have no record.
    fn reverse(&mut self, ip: Ipv4Addr) -> Option<String> {
        let text = ip.to_string();
        let service = self
            .api
            .services
            .values()
            .find(|s| s.spec.as_ref().and_then(|s| s.cluster_ip.as_deref()) == Some(text.as_str()));
        let (ns, name) = match service {
            Some(s) => {
                (s.metadata.namespace.clone().unwrap_or_else(|| "default".into()), s.metadata.name.clone()?)
            }
            None => {
                let (ns, name) = super::cluster_services::owner(ip)?;
                (ns.to_string(), name.to_string())
            }
        };
        Some(format!("{name}.{ns}.svc.{CLUSTER_DOMAIN}"))
    }

    fn route(&mut self, ip: Ipv4Addr, port: u16) -> Route {
        if let Some(dest) = self.pod_of(ip) {
            return Route::To(dest, port);
        }
        if let Some((service, sp)) = self.service_at(ip, port) {
            // No rule for a port the Service does not have: the packet goes nowhere.
            let Some(sp) = sp else { return Route::Unreachable };
            let (service, sp) = (service.clone(), sp.clone());
            return self.pick(&service, &sp);
        }
        match self.node_port(ip, port) {
            Some(Some((service, sp))) => {
                let (service, sp) = (service.clone(), sp.clone());
                self.pick(&service, &sp)
            }
            // A node's own port nobody listens on: the node resets the connection.
            Some(None) => Route::Refused,
            None => Route::Unreachable,
        }
    }

    fn http(&mut self, dest: Dest, port: u16, request: &ClientRequest) -> HttpOutcome {
        let (now, client) = (self.now, if dest == Dest::OwnPod { "127.0.0.1" } else { self.ip });
        let client = client.to_string();
        for c in self.containers(dest) {
            if c.binds(port) {
                return c.serve_client(port, request, &client, now);
            }
        }
        HttpOutcome::Refused
    }

    fn tcp(&mut self, dest: Dest, port: u16) -> TcpOutcome {
        let now = self.now;
        for c in self.containers(dest) {
            if c.binds(port) {
                return c.tcp_connect(port, now);
            }
        }
        TcpOutcome::Refused
    }

    fn bound_by_others(&self, ports: &mut Vec<u16>) {
        let [a, b] = &self.siblings;
        for s in a.iter().chain(b.iter()) {
            if let Some(i) = s.latest().filter(|i| i.exit.is_none()) {
                i.proc.bound_ports(ports);
            }
        }
    }

    fn client_ip(&self) -> &str {
        self.ip
    }
}

fn service_ports(service: &Service) -> impl Iterator<Item = &ServicePort> {
    service
        .spec
        .iter()
        .flat_map(|s| s.ports.iter().flatten())
        .filter(|p| p.protocol.as_deref().unwrap_or("TCP") == "TCP")
}

/// The pod's port for a service port: `targetPort` (defaulting to `port`), a name looked up in
/// the pod's containers as `podutil.FindPort` does.
fn target_port(pod: &Pod, sp: &ServicePort) -> Option<u16> {
    u16::try_from(crate::controllers::endpoints::find_port(pod, sp)?).ok()
}
