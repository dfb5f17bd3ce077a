//! `kubectl describe service|endpoints` (`ServiceDescriber`, `EndpointsDescriber` in
//! `staging/src/k8s.io/kubectl/pkg/describe/describe.go`).

use super::{annotations_multiline, events_for, events_table, int_or_string, labels_multiline, Out};
use crate::api::{ApiStore, ObjectKey};
use crate::duration::Millis;
use crate::kubectl::print::{self, format_labels};

/// The Service at `key`, described.
pub(crate) fn service(api: &ApiStore, now: Millis, key: &ObjectKey) -> Option<String> {
    api.services.get(key).map(|o| describe_service(api, now, o))
}

/// The Endpoints object at `key`, described.
pub(crate) fn endpoints(api: &ApiStore, now: Millis, key: &ObjectKey) -> Option<String> {
    api.endpoints.get(key).map(|o| describe_endpoints(api, now, o))
}

fn describe_service(api: &ApiStore, now: Millis, svc: &k8s_openapi::api::core::v1::Service) -> String {
    let meta = &svc.metadata;
    let spec = svc.spec.clone().unwrap_or_default();
    let type_ = spec.type_.clone().unwrap_or_else(|| "ClusterIP".to_string());
    let mut out = Out::default();
    out.line(0, &format!("Name:\t{}", meta.name.as_deref().unwrap_or_default()));
    out.line(0, &format!("Namespace:\t{}", meta.namespace.as_deref().unwrap_or("default")));
    labels_multiline(&mut out, "Labels", meta.labels.as_ref());
    annotations_multiline(&mut out, "Annotations", meta.annotations.as_ref());
    out.line(0, &format!("Selector:\t{}", format_labels(spec.selector.as_ref())));
    out.line(0, &format!("Type:\t{type_}"));
    // The API server fills in the IP family fields of every Service except ExternalName ones.
    let external_name = type_ == "ExternalName";
    let policy =
        spec.ip_family_policy.clone().or_else(|| (!external_name).then(|| "SingleStack".to_string()));
    if let Some(policy) = policy {
        out.line(0, &format!("IP Family Policy:\t{policy}"));
    }
    let families = spec
        .ip_families
        .clone()
        .filter(|f| !f.is_empty())
        .or_else(|| (!external_name).then(|| vec!["IPv4".to_string()]));
    match families {
        Some(f) => out.line(0, &format!("IP Families:\t{}", f.join(","))),
        None => out.line(0, "IP Families:\t<none>"),
    }
    let cluster_ip = spec.cluster_ip.clone().unwrap_or_default();
    out.line(0, &format!("IP:\t{cluster_ip}"));
    let ips = spec
        .cluster_ips
        .clone()
        .filter(|i| !i.is_empty())
        .or_else(|| (!cluster_ip.is_empty()).then(|| vec![cluster_ip.clone()]));
    match ips {
        Some(ips) => out.line(0, &format!("IPs:\t{}", ips.join(","))),
        None => out.line(0, "IPs:\t<none>"),
    }
    if let Some(ext) = spec.external_ips.as_ref().filter(|e| !e.is_empty()) {
        out.line(0, &format!("External IPs:\t{}", ext.join(",")));
    }
    if let Some(lb) = spec.load_balancer_ip.as_deref().filter(|l| !l.is_empty()) {
        out.line(0, &format!("IP:\t{lb}"));
    }
    if let Some(name) = spec.external_name.as_deref().filter(|n| !n.is_empty()) {
        out.line(0, &format!("External Name:\t{name}"));
    }
    let key =
        (meta.namespace.clone().unwrap_or_else(|| "default".into()), meta.name.clone().unwrap_or_default());
    let endpoints = api.endpoints.get(&key);
    for port in spec.ports.iter().flatten() {
        let name = port.name.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| "<unset>".to_string());
        let proto = port.protocol.clone().unwrap_or_else(|| "TCP".to_string());
        out.line(0, &format!("Port:\t{name}\t{}/{proto}", port.port));
        let target = port.target_port.as_ref().map_or(port.port.to_string(), int_or_string);
        out.line(0, &format!("TargetPort:\t{target}/{proto}"));
        if let Some(np) = port.node_port.filter(|n| *n != 0) {
            out.line(0, &format!("NodePort:\t{name}\t{np}/{proto}"));
        }
        // kubectl reads the EndpointSlices, which exist (possibly empty) for every Service with a
        // selector and list only ready endpoints here.
        let text = match endpoints {
            Some(ep) if ep.subsets.as_ref().is_some_and(|s| !s.is_empty()) => {
                print::format_endpoints(ep, Some(port.name.as_deref().unwrap_or_default()))
            }
            Some(_) => String::new(),
            None => "<none>".to_string(),
        };
        out.line(0, &format!("Endpoints:\t{text}"));
    }
    out.line(0, &format!("Session Affinity:\t{}", spec.session_affinity.as_deref().unwrap_or("None")));
    let node_ports = type_ == "NodePort" || type_ == "LoadBalancer";
    if let Some(p) =
        spec.external_traffic_policy.clone().or_else(|| node_ports.then(|| "Cluster".to_string()))
    {
        out.line(0, &format!("External Traffic Policy:\t{p}"));
    }
    if let Some(p) =
        spec.internal_traffic_policy.clone().or_else(|| (!external_name).then(|| "Cluster".to_string()))
    {
        out.line(0, &format!("Internal Traffic Policy:\t{p}"));
    }
    events_table(&mut out, now, &events_for(api, now, "Service", meta));
    out.text
}

fn describe_endpoints(api: &ApiStore, now: Millis, ep: &k8s_openapi::api::core::v1::Endpoints) -> String {
    let meta = &ep.metadata;
    let mut out = Out::default();
    out.line(0, &format!("Name:\t{}", meta.name.as_deref().unwrap_or_default()));
    out.line(0, &format!("Namespace:\t{}", meta.namespace.as_deref().unwrap_or("default")));
    labels_multiline(&mut out, "Labels", meta.labels.as_ref());
    annotations_multiline(&mut out, "Annotations", meta.annotations.as_ref());
    out.line(0, "Subsets:");
    for ss in ep.subsets.iter().flatten() {
        let join = |list: &Option<Vec<k8s_openapi::api::core::v1::EndpointAddress>>| {
            let ips: Vec<&str> = list.iter().flatten().map(|a| a.ip.as_str()).collect();
            if ips.is_empty() {
                "<none>".to_string()
            } else {
                ips.join(",")
            }
        };
        out.line(1, &format!("Addresses:\t{}", join(&ss.addresses)));
        out.line(1, &format!("NotReadyAddresses:\t{}", join(&ss.not_ready_addresses)));
        let ports = ss.ports.as_deref().unwrap_or_default();
        if !ports.is_empty() {
            out.line(1, "Ports:");
            out.line(2, "Name\tPort\tProtocol");
            out.line(2, "----\t----\t--------");
            for p in ports {
                let name = p.name.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| "<unset>".to_string());
                out.line(2, &format!("{name}\t{}\t{}", p.port, p.protocol.as_deref().unwrap_or("TCP")));
            }
        }
        out.raw("\n");
    }
    events_table(&mut out, now, &events_for(api, now, "Endpoints", meta));
    out.text
}
