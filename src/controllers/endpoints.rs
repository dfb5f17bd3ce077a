//! The endpoints controller (`pkg/controller/endpoint/endpoints_controller.go`): one Endpoints object per Service with
//! a selector, listing the selected pods' IPs as ready `addresses` or `notReadyAddresses` by the
//! pod's `Ready` condition, with each service port resolved against the pod's containers.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    EndpointAddress, EndpointPort, EndpointSubset, Endpoints, ObjectReference, Pod, Service, ServicePort,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::api::{timestamp, ApiStore, ObjectKey};
use crate::selector::Selector;

use super::podutil::{is_ready, is_terminal, is_terminating, touch};
use super::Context;

/// Brings every Endpoints object in line with its Service and the pods; only real changes are
/// written, so a quiet cluster costs one comparison per Service.
pub(super) fn sync_all(api: &mut ApiStore, ctx: &mut Context) {
    // Endpoints of Services that are gone (or lost their selector) are deleted.
    let stale: Vec<ObjectKey> = api
        .endpoints
        .keys()
        .filter(|k| api.services.get(*k).is_none_or(|s| selector_of(s).is_none()))
        .cloned()
        .collect();
    for k in stale {
        api.endpoints.remove(&k);
        api.changes.controllers_dirty = true;
    }
    let keys: Vec<ObjectKey> = api.services.keys().cloned().collect();
    for key in keys {
        let Some(service) = api.services.get(&key) else { continue };
        let Some(selector) = selector_of(service) else { continue };
        let subsets = subsets_for(api, service, &selector);
        let labels = endpoint_labels(service);
        match api.endpoints.get(&key) {
            Some(live) if live.subsets == subsets && live.metadata.labels == labels => {}
            Some(_) => {
                let version = api.next_resource_version();
                if let Some(live) = api.endpoints.get_mut(&key) {
                    live.subsets = subsets;
                    live.metadata.labels = labels;
                    live.metadata.resource_version = Some(version);
                }
            }
            None => {
                let mut ep = Endpoints {
                    metadata: ObjectMeta {
                        name: Some(key.1.clone()),
                        namespace: Some(key.0.clone()),
                        labels,
                        uid: Some(ctx.rng.uid()),
                        creation_timestamp: Some(timestamp(ctx.now)),
                        ..Default::default()
                    },
                    subsets,
                };
                touch(api, &mut ep.metadata);
                api.endpoints.insert(key.clone(), ep);
            }
        }
    }
}

fn selector_of(service: &Service) -> Option<Selector> {
    let selector = service.spec.as_ref()?.selector.as_ref()?;
    Some(Selector::from_map(selector))
}

/// The Endpoints' labels: the Service's, plus the headless marker for headless Services.
fn endpoint_labels(service: &Service) -> Option<BTreeMap<String, String>> {
    let mut labels = service.metadata.labels.clone().unwrap_or_default();
    if service.spec.as_ref().and_then(|s| s.cluster_ip.as_deref()) == Some("None") {
        labels.insert("service.kubernetes.io/headless".to_string(), String::new());
    }
    if labels.is_empty() {
        None
    } else {
        Some(labels)
    }
}

/// One address with the ports it serves, before repacking.
struct Entry {
    address: EndpointAddress,
    ready: bool,
    port: Option<EndpointPort>,
}

fn subsets_for(api: &ApiStore, service: &Service, selector: &Selector) -> Option<Vec<EndpointSubset>> {
    let spec = service.spec.as_ref()?;
    let namespace = service.metadata.namespace.clone().unwrap_or_else(|| "default".to_string());
    let service_name = service.metadata.name.clone().unwrap_or_default();
    let publish_not_ready = spec.publish_not_ready_addresses.unwrap_or(false);
    let headless = spec.cluster_ip.as_deref() == Some("None");
    let ports: &[ServicePort] = spec.ports.as_deref().unwrap_or(&[]);
    let mut entries: Vec<Entry> = Vec::new();
    let range = api.pods.range((namespace.clone(), String::new())..);
    for ((ns, _), pod) in range {
        if *ns != namespace {
            break;
        }
        if !selector.matches(pod.metadata.labels.as_ref()) || !should_be_in_endpoints(pod, publish_not_ready)
        {
            continue;
        }
        let Some(ip) = pod.status.as_ref().and_then(|s| s.pod_ip.clone()).filter(|ip| !ip.is_empty()) else {
            continue;
        };
        let pod_spec = pod.spec.as_ref();
        let mut address = EndpointAddress {
            ip,
            node_name: pod_spec.and_then(|s| s.node_name.clone()),
            target_ref: Some(ObjectReference {
                kind: Some("Pod".into()),
                namespace: Some(namespace.clone()),
                name: pod.metadata.name.clone(),
                uid: pod.metadata.uid.clone(),
                ..Default::default()
            }),
            ..Default::default()
        };
        // `ShouldSetHostname`: the pod asked for this Service as its subdomain.
        if let Some(spec) = pod_spec {
            if spec.hostname.as_deref().is_some_and(|h| !h.is_empty())
                && spec.subdomain.as_deref() == Some(service_name.as_str())
            {
                address.hostname = spec.hostname.clone();
            }
        }
        let ready = publish_not_ready || is_ready(pod);
        if ports.is_empty() {
            if headless {
                entries.push(Entry { address, ready, port: None });
            }
            continue;
        }
        for sp in ports {
            let Some(port) = find_port(pod, sp) else { continue };
            let port = EndpointPort {
                name: sp.name.clone(),
                port,
                protocol: Some(sp.protocol.clone().unwrap_or_else(|| "TCP".to_string())),
                app_protocol: sp.app_protocol.clone(),
            };
            entries.push(Entry { address: address.clone(), ready, port: Some(port) });
        }
    }
    let subsets = repack(entries);
    if subsets.is_empty() {
        None
    } else {
        Some(subsets)
    }
}

/// `ShouldPodBeInEndpoints`: not terminal, and not terminating unless not-ready addresses are
/// published.
fn should_be_in_endpoints(pod: &Pod, include_terminating: bool) -> bool {
    !is_terminal(pod) && (include_terminating || !is_terminating(pod))
}

/// `podutil.FindPort`: a numeric targetPort as is; a named one by name and protocol in the regular
/// containers, then in sidecars (init containers with `restartPolicy: Always`).
pub(crate) fn find_port(pod: &Pod, sp: &ServicePort) -> Option<i32> {
    let protocol = sp.protocol.as_deref().unwrap_or("TCP");
    match sp.target_port.as_ref() {
        None => Some(sp.port),
        Some(IntOrString::Int(n)) => Some(*n),
        Some(IntOrString::String(name)) => {
            if let Ok(n) = name.parse::<i32>() {
                return Some(n);
            }
            let spec = pod.spec.as_ref()?;
            let sidecars = spec
                .init_containers
                .iter()
                .flatten()
                .filter(|c| c.restart_policy.as_deref() == Some("Always"));
            spec.containers.iter().chain(sidecars).flat_map(|c| c.ports.iter().flatten()).find_map(|p| {
                (p.name.as_deref() == Some(name.as_str())
                    && p.protocol.as_deref().unwrap_or("TCP") == protocol)
                    .then_some(p.container_port)
            })
        }
    }
}

/// `RepackSubsets`: addresses that serve exactly the same ports share a subset. Addresses sort by
/// IP (as strings, as `LessEndpointAddress` compares them) then pod uid; ports by name, number and
/// protocol; subsets by their first address.
fn repack(entries: Vec<Entry>) -> Vec<EndpointSubset> {
    fn addr_key(e: &Entry) -> (&str, &str) {
        (e.address.ip.as_str(), e.address.target_ref.as_ref().and_then(|r| r.uid.as_deref()).unwrap_or(""))
    }
    // Every distinct address gets its rank in the final sort order, so grouping compares small
    // integers rather than strings.
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by(|&a, &b| addr_key(&entries[a]).cmp(&addr_key(&entries[b])));
    let mut rank = vec![0usize; entries.len()];
    let mut distinct = 0;
    for (i, &e) in order.iter().enumerate() {
        if i > 0 && addr_key(&entries[order[i - 1]]) != addr_key(&entries[e]) {
            distinct += 1;
        }
        rank[e] = distinct;
    }
    // Port → the (address rank, ready, entry) triples offering it. The sentinel `None` stands for
    // headless Services without ports.
    type PortKey<'a> = Option<(&'a str, i32, &'a str)>;
    let mut by_port: BTreeMap<PortKey, Vec<(usize, bool, usize)>> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        let key = e
            .port
            .as_ref()
            .map(|p| (p.name.as_deref().unwrap_or(""), p.port, p.protocol.as_deref().unwrap_or("")));
        by_port.entry(key).or_default().push((rank[i], e.ready, i));
    }
    // Address set → ports.
    // Keyed by (address rank, ready) pairs; the value holds the entries giving the ports and the
    // entries giving the addresses.
    type Group = (Vec<usize>, Vec<usize>);
    let mut by_addresses: BTreeMap<Vec<(usize, bool)>, Group> = BTreeMap::new();
    for (_, mut addrs) in by_port {
        addrs.sort();
        addrs.dedup_by_key(|a| a.0);
        let set_key: Vec<(usize, bool)> = addrs.iter().map(|a| (a.0, a.1)).collect();
        let first_entry = addrs.first().map(|a| a.2);
        let slot =
            by_addresses.entry(set_key).or_insert_with(|| (Vec::new(), addrs.iter().map(|a| a.2).collect()));
        if let Some(i) = first_entry {
            if entries[i].port.is_some() {
                slot.0.push(i);
            }
        }
    }
    by_addresses
        .into_values()
        .map(|(port_entries, addr_entries)| {
            let mut ready = Vec::new();
            let mut not_ready = Vec::new();
            for i in addr_entries {
                let e = &entries[i];
                if e.ready {
                    ready.push(e.address.clone());
                } else {
                    not_ready.push(e.address.clone());
                }
            }
            let ports: Vec<EndpointPort> =
                port_entries.into_iter().filter_map(|i| entries[i].port.clone()).collect();
            EndpointSubset {
                addresses: if ready.is_empty() { None } else { Some(ready) },
                not_ready_addresses: if not_ready.is_empty() { None } else { Some(not_ready) },
                ports: if ports.is_empty() { None } else { Some(ports) },
            }
        })
        .collect()
}
