//! Services, Endpoints and EndpointSlices in `kubectl get` (`printService`, `printEndpoints`,
//! `printEndpointSlice` in `pkg/printers/internalversion/printers.go`).

use std::collections::BTreeMap;
use std::rc::Rc;

use k8s_openapi::api::core::v1::{Endpoints, Service};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::object::{listed, Object};
use super::{age, format_labels, name_of, Printer, Wide, ENDPOINTS_WARNING};
use crate::duration::Millis;

listed!(Service, Endpoints, EndpointSlice);

pub(crate) const SERVICES: Printer = Printer {
    columns: &["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"],
    wide: Wide::Append(&["SELECTOR"]),
    list: |api, namespace| super::stored(&api.services, namespace),
    row: service_row,
    warning: None,
};

pub(crate) const ENDPOINTS: Printer = Printer {
    columns: &["NAME", "ENDPOINTS", "AGE"],
    wide: Wide::Append(&[]),
    list: |api, namespace| super::stored(&api.endpoints, namespace),
    row: endpoints_row,
    warning: Some(ENDPOINTS_WARNING),
};

/// The EndpointSlice controller's slice of each Service is derived from its Endpoints; slices
/// written through the API are stored. Both are listed by namespace and name.
pub(crate) const ENDPOINT_SLICES: Printer = Printer {
    columns: &["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"],
    wide: Wide::Append(&[]),
    list: |api, namespace| {
        let mut all: Vec<Object> = api
            .endpoints
            .iter()
            .filter(|(k, _)| namespace.is_empty() || k.0 == namespace)
            .map(|(_, o)| Object::Built(Rc::new(endpoint_slice_of(o))))
            .chain(super::stored(&api.endpoint_slices, namespace))
            .collect();
        all.sort_by(|a, b| (a.namespace(), a.name()).cmp(&(b.namespace(), b.name())));
        all
    },
    row: endpoint_slice_row,
    warning: None,
};

/// `printService`.
fn service_row(now: Millis, object: &Object, wide: bool) -> Vec<String> {
    let Some(svc) = object.get::<Service>() else { return Vec::new() };
    let spec = svc.spec.clone().unwrap_or_default();
    let type_ = spec.type_.clone().unwrap_or_else(|| "ClusterIP".into());
    let cluster_ip = spec
        .cluster_ips
        .as_ref()
        .and_then(|ips| ips.first().cloned())
        .or_else(|| spec.cluster_ip.clone())
        .filter(|ip| !ip.is_empty())
        .unwrap_or_else(|| "<none>".into());
    let mut cells = vec![
        name_of(&svc.metadata),
        type_.clone(),
        cluster_ip,
        external_ip(svc, &type_),
        service_ports(&spec),
        age(svc.metadata.creation_timestamp.as_ref(), now),
    ];
    if wide {
        cells.push(format_labels(spec.selector.as_ref()));
    }
    cells
}

/// `printEndpoints`.
fn endpoints_row(now: Millis, object: &Object, _wide: bool) -> Vec<String> {
    let Some(ep) = object.get::<Endpoints>() else { return Vec::new() };
    vec![name_of(&ep.metadata), format_endpoints(ep, None), age(ep.metadata.creation_timestamp.as_ref(), now)]
}

/// `printEndpointSlice`.
fn endpoint_slice_row(now: Millis, object: &Object, _wide: bool) -> Vec<String> {
    let Some(slice) = object.get::<EndpointSlice>() else { return Vec::new() };
    let ports = slice.ports.as_deref().unwrap_or_default();
    let ports = if ports.is_empty() {
        "<unset>".to_string()
    } else {
        ports
            .iter()
            .map(|p| p.port.map_or("<unset>".to_string(), |n| n.to_string()))
            .collect::<Vec<_>>()
            .join(",")
    };
    let addresses: Vec<&String> = slice.endpoints.iter().filter_map(|e| e.addresses.first()).collect();
    let endpoints = if addresses.is_empty() {
        "<unset>".to_string()
    } else {
        let shown: Vec<&str> = addresses.iter().take(3).map(|a| a.as_str()).collect();
        let mut text = shown.join(",");
        if addresses.len() > 3 {
            text.push_str(&format!(" + {} more...", addresses.len() - 3));
        }
        text
    };
    vec![
        name_of(&slice.metadata),
        slice.address_type.clone(),
        ports,
        endpoints,
        age(slice.metadata.creation_timestamp.as_ref(), now),
    ]
}

fn external_ip(svc: &k8s_openapi::api::core::v1::Service, type_: &str) -> String {
    let spec = svc.spec.as_ref();
    let external: Vec<String> = spec.and_then(|s| s.external_ips.clone()).unwrap_or_default();
    match type_ {
        "ExternalName" => spec.and_then(|s| s.external_name.clone()).unwrap_or_default(),
        "LoadBalancer" => {
            let mut ips: Vec<String> = svc
                .status
                .as_ref()
                .and_then(|s| s.load_balancer.as_ref())
                .and_then(|lb| lb.ingress.as_ref())
                .into_iter()
                .flatten()
                .filter_map(|i| i.ip.clone().or_else(|| i.hostname.clone()))
                .collect();
            ips.extend(external);
            if ips.is_empty() {
                "<pending>".to_string()
            } else {
                ips.join(",")
            }
        }
        _ if !external.is_empty() => external.join(","),
        _ => "<none>".to_string(),
    }
}

/// `makePortString`: `80/TCP`, `80:30080/TCP`, joined by commas; `<none>` without ports.
pub fn service_ports(spec: &k8s_openapi::api::core::v1::ServiceSpec) -> String {
    let ports = spec.ports.as_deref().unwrap_or_default();
    if ports.is_empty() {
        return "<none>".to_string();
    }
    ports
        .iter()
        .map(|p| {
            let proto = p.protocol.as_deref().unwrap_or("TCP");
            match p.node_port.filter(|n| *n > 0) {
                Some(np) => format!("{}:{}/{}", p.port, np, proto),
                None => format!("{}/{}", p.port, proto),
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// `formatEndpoints` (`pkg/printers/internalversion/printers.go` formatEndpoints): ready `ip:port` pairs of every port of every subset, at most three then
/// ` + N more...`; `<none>` without subsets. With `port_name`, only ports of that name count
/// (`describe svc` shows each service port's own endpoints).
pub fn format_endpoints(ep: &k8s_openapi::api::core::v1::Endpoints, port_name: Option<&str>) -> String {
    let subsets = ep.subsets.as_deref().unwrap_or_default();
    if subsets.is_empty() {
        return "<none>".to_string();
    }
    const MAX: usize = 3;
    let mut list: Vec<String> = Vec::new();
    let mut more = false;
    let mut count = 0;
    for ss in subsets {
        let addresses = ss.addresses.as_deref().unwrap_or_default();
        let ports = ss.ports.as_deref().unwrap_or_default();
        if ports.is_empty() {
            count += addresses.len();
            for a in addresses {
                if list.len() == MAX {
                    more = true;
                    break;
                }
                list.push(a.ip.clone());
            }
            continue;
        }
        for port in ports {
            if port_name.is_some_and(|n| port.name.as_deref().unwrap_or_default() != n) {
                continue;
            }
            count += addresses.len();
            for a in addresses {
                if list.len() == MAX {
                    more = true;
                    break;
                }
                list.push(join_host_port(&a.ip, port.port));
            }
        }
    }
    let text = list.join(",");
    if more {
        format!("{text} + {} more...", count - MAX)
    } else {
        text
    }
}

fn join_host_port(ip: &str, port: i32) -> String {
    if ip.contains(':') {
        format!("[{ip}]:{port}")
    } else {
        format!("{ip}:{port}")
    }
}

/// The EndpointSlice the EndpointSlice controller keeps beside a Service's Endpoints: the same
/// addresses, with ready ones marked ready. Its name takes a stable five-character suffix from the
/// Service name, as the controller's generated names have one.
fn endpoint_slice_of(
    ep: &k8s_openapi::api::core::v1::Endpoints,
) -> k8s_openapi::api::discovery::v1::EndpointSlice {
    use k8s_openapi::api::discovery::v1::{Endpoint, EndpointConditions, EndpointPort, EndpointSlice};
    let service = ep.metadata.name.clone().unwrap_or_default();
    let mut endpoints = Vec::new();
    let mut ports = Vec::new();
    for ss in ep.subsets.iter().flatten() {
        for (ready, list) in [(true, &ss.addresses), (false, &ss.not_ready_addresses)] {
            for a in list.iter().flatten() {
                endpoints.push(Endpoint {
                    addresses: vec![a.ip.clone()],
                    conditions: Some(EndpointConditions {
                        ready: Some(ready),
                        serving: Some(ready),
                        terminating: Some(false),
                    }),
                    node_name: a.node_name.clone(),
                    target_ref: a.target_ref.clone(),
                    ..Default::default()
                });
            }
        }
        for p in ss.ports.iter().flatten() {
            ports.push(EndpointPort {
                name: Some(p.name.clone().unwrap_or_default()),
                port: Some(p.port),
                protocol: p.protocol.clone(),
                app_protocol: p.app_protocol.clone(),
            });
        }
    }
    let mut labels = BTreeMap::new();
    labels.insert("kubernetes.io/service-name".to_string(), service.clone());
    labels.insert(
        "endpointslice.kubernetes.io/managed-by".to_string(),
        "endpointslice-controller.k8s.io".to_string(),
    );
    EndpointSlice {
        metadata: ObjectMeta {
            name: Some(format!("{service}-{}", name_suffix(&service))),
            namespace: ep.metadata.namespace.clone(),
            creation_timestamp: ep.metadata.creation_timestamp.clone(),
            labels: Some(labels),
            ..Default::default()
        },
        address_type: "IPv4".to_string(),
        endpoints,
        ports: Some(ports),
    }
}

/// Five characters of the apiserver's generateName alphabet derived from a name (FNV-1a).
fn name_suffix(name: &str) -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let mut hash = crate::fnv::fnv32(name.as_bytes());
    (0..5)
        .map(|_| {
            let c = ALPHABET[(hash % ALPHABET.len() as u32) as usize] as char;
            hash /= ALPHABET.len() as u32;
            c
        })
        .collect()
}
