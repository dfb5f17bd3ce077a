//! The API server's validation of what the engine simulates (`pkg/apis/core/validation/validation.go`; upstream
//! `pkg/apis/core/validation/validation.go`, `pkg/apis/apps/validation/validation.go` and
//! `k8s.io/apimachinery/pkg/util/validation`). Field paths and messages are the ones Kubernetes
//! prints; validation runs on defaulted objects, as it does in the API server.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::core::v1::{
    Container, HTTPGetAction, LifecycleHandler, Pod, PodSpec, PodTemplateSpec, Probe, Service,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::field::{self, child, index, quote, FieldError};
use crate::selector::Selector;

mod meta;

/// The rule an object's name follows.
#[derive(Clone, Copy)]
pub(super) enum NameRule {
    Subdomain,
    Dns1035Label,
}

/// Validates a Pod.
pub fn pod(pod: &Pod, errs: &mut Vec<FieldError>) {
    object_meta(&pod.metadata, NameRule::Subdomain, errs);
    match &pod.spec {
        Some(spec) => pod_spec(spec, "spec", false, errs),
        None => errs.push(field::required("spec", "")),
    }
}

/// Validates a Service.
pub fn service(svc: &Service, errs: &mut Vec<FieldError>) {
    object_meta(&svc.metadata, NameRule::Dns1035Label, errs);
    let Some(spec) = &svc.spec else {
        errs.push(field::required("spec", ""));
        return;
    };
    let kind = spec.type_.as_deref().unwrap_or("ClusterIP");
    if !["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"].contains(&kind) {
        errs.push(field::not_supported(
            "spec.type",
            kind,
            &["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"],
        ));
    }
    if let Some(affinity) = spec.session_affinity.as_deref() {
        if !["ClientIP", "None"].contains(&affinity) {
            errs.push(field::not_supported("spec.sessionAffinity", affinity, &["ClientIP", "None"]));
        }
    }
    let ports = spec.ports.as_deref().unwrap_or_default();
    let headless = spec.cluster_ip.as_deref() == Some("None");
    if ports.is_empty() && kind != "ExternalName" && !headless {
        errs.push(field::required("spec.ports", ""));
    }
    let mut names: Vec<&str> = Vec::new();
    for (i, port) in ports.iter().enumerate() {
        let path = index("spec.ports", i);
        match port.name.as_deref().filter(|n| !n.is_empty()) {
            None if ports.len() > 1 => errs.push(field::required(&child(&path, "name"), "")),
            None => {}
            Some(name) => {
                for msg in dns1123_label(name) {
                    errs.push(field::invalid(&child(&path, "name"), &quote(name), &msg));
                }
                if names.contains(&name) {
                    errs.push(field::duplicate(&child(&path, "name"), &quote(name), ""));
                }
                names.push(name);
            }
        }
        if !(1..=65535).contains(&port.port) {
            errs.push(field::invalid(&child(&path, "port"), &port.port.to_string(), PORT_RANGE));
        }
        protocol(port.protocol.as_deref(), &child(&path, "protocol"), errs);
        if let Some(target) = &port.target_port {
            port_num_or_name(target, &child(&path, "targetPort"), errs);
        }
        if let Some(node_port) = port.node_port.filter(|p| *p != 0) {
            if kind == "ClusterIP" {
                errs.push(field::forbidden(
                    &child(&path, "nodePort"),
                    "may not be used when `type` is 'ClusterIP'",
                ));
            } else if !(1..=65535).contains(&node_port) {
                errs.push(field::invalid(&child(&path, "nodePort"), &node_port.to_string(), PORT_RANGE));
            }
        }
    }
    if let Some(selector) = &spec.selector {
        labels(selector, "spec.selector", errs);
    }
}

/// Validates a Deployment. `selector_written` tells a missing selector from an empty one, which
/// k8s-openapi both decode as empty.
pub fn deployment(d: &Deployment, selector_written: bool, errs: &mut Vec<FieldError>) {
    object_meta(&d.metadata, NameRule::Subdomain, errs);
    let Some(spec) = &d.spec else {
        errs.push(field::required("spec", ""));
        return;
    };
    non_negative(spec.replicas, "spec.replicas", errs);
    non_negative(spec.revision_history_limit, "spec.revisionHistoryLimit", errs);
    non_negative(spec.min_ready_seconds, "spec.minReadySeconds", errs);
    workload_template(&spec.selector, selector_written, Some(&spec.template), "deployment", errs);
    if let Some(strategy) = &spec.strategy {
        let kind = strategy.type_.as_deref().unwrap_or("RollingUpdate");
        match kind {
            "Recreate" if strategy.rolling_update.is_some() => errs.push(field::forbidden(
                "spec.strategy.rollingUpdate",
                "may not be specified when strategy `type` is 'Recreate'",
            )),
            "Recreate" => {}
            "RollingUpdate" => {
                if let Some(rolling) = &strategy.rolling_update {
                    let path = "spec.strategy.rollingUpdate";
                    let surge = int_or_percent(rolling.max_surge.as_ref(), &child(path, "maxSurge"), errs);
                    let unavailable = int_or_percent(
                        rolling.max_unavailable.as_ref(),
                        &child(path, "maxUnavailable"),
                        errs,
                    );
                    if surge == Some(0) && unavailable == Some(0) {
                        errs.push(field::invalid(
                            &child(path, "maxUnavailable"),
                            &render_int_or_string(rolling.max_unavailable.as_ref()),
                            "may not be 0 when `maxSurge` is 0",
                        ));
                    }
                    if let Some(IntOrString::String(s)) = &rolling.max_unavailable {
                        if percent(s).is_some_and(|p| p > 100) {
                            errs.push(field::invalid(
                                &child(path, "maxUnavailable"),
                                &quote(s),
                                "must not be greater than 100%",
                            ));
                        }
                    }
                }
            }
            other => {
                errs.push(field::not_supported("spec.strategy.type", other, &["Recreate", "RollingUpdate"]))
            }
        }
    }
    if let (Some(deadline), min_ready) = (spec.progress_deadline_seconds, spec.min_ready_seconds.unwrap_or(0))
    {
        non_negative(Some(deadline), "spec.progressDeadlineSeconds", errs);
        if deadline <= min_ready {
            errs.push(field::invalid(
                "spec.progressDeadlineSeconds",
                &deadline.to_string(),
                "must be greater than minReadySeconds",
            ));
        }
    }
}

/// Validates a StatefulSet.
pub fn stateful_set(s: &StatefulSet, selector_written: bool, errs: &mut Vec<FieldError>) {
    object_meta(&s.metadata, NameRule::Subdomain, errs);
    let Some(spec) = &s.spec else {
        errs.push(field::required("spec", ""));
        return;
    };
    non_negative(spec.replicas, "spec.replicas", errs);
    non_negative(spec.revision_history_limit, "spec.revisionHistoryLimit", errs);
    non_negative(spec.min_ready_seconds, "spec.minReadySeconds", errs);
    if let Some(policy) = spec.pod_management_policy.as_deref() {
        if !["OrderedReady", "Parallel"].contains(&policy) {
            errs.push(field::not_supported(
                "spec.podManagementPolicy",
                policy,
                &["OrderedReady", "Parallel"],
            ));
        }
    }
    if let Some(strategy) = &spec.update_strategy {
        let kind = strategy.type_.as_deref().unwrap_or("RollingUpdate");
        match kind {
            "OnDelete" if strategy.rolling_update.is_some() => errs.push(field::invalid(
                "spec.updateStrategy.rollingUpdate",
                "\"OnDelete\"",
                "only allowed for updateStrategy 'RollingUpdate'",
            )),
            "OnDelete" => {}
            "RollingUpdate" => {
                let partition = strategy.rolling_update.as_ref().and_then(|r| r.partition);
                non_negative(partition, "spec.updateStrategy.rollingUpdate.partition", errs);
            }
            other => errs.push(field::not_supported(
                "spec.updateStrategy.type",
                other,
                &["OnDelete", "RollingUpdate"],
            )),
        }
    }
    workload_template(&spec.selector, selector_written, Some(&spec.template), "statefulset", errs);
}

/// Validates a DaemonSet.
pub fn daemon_set(d: &DaemonSet, selector_written: bool, errs: &mut Vec<FieldError>) {
    object_meta(&d.metadata, NameRule::Subdomain, errs);
    let Some(spec) = &d.spec else {
        errs.push(field::required("spec", ""));
        return;
    };
    non_negative(spec.revision_history_limit, "spec.revisionHistoryLimit", errs);
    non_negative(spec.min_ready_seconds, "spec.minReadySeconds", errs);
    if let Some(strategy) = &spec.update_strategy {
        let kind = strategy.type_.as_deref().unwrap_or("RollingUpdate");
        if !["OnDelete", "RollingUpdate"].contains(&kind) {
            errs.push(field::not_supported("spec.updateStrategy.type", kind, &["OnDelete", "RollingUpdate"]));
        }
    }
    workload_template(&spec.selector, selector_written, Some(&spec.template), "daemonset", errs);
}

/// Validates a ReplicaSet.
pub fn replica_set(r: &ReplicaSet, selector_written: bool, errs: &mut Vec<FieldError>) {
    object_meta(&r.metadata, NameRule::Subdomain, errs);
    let Some(spec) = &r.spec else {
        errs.push(field::required("spec", ""));
        return;
    };
    non_negative(spec.replicas, "spec.replicas", errs);
    non_negative(spec.min_ready_seconds, "spec.minReadySeconds", errs);
    workload_template(&spec.selector, selector_written, spec.template.as_ref(), "replicaset", errs);
}

/// `IsValidPortNum`'s message.
pub const PORT_RANGE: &str = "must be between 1 and 65535, inclusive";

/// `IsDNS1123Label`: the messages for a value that is not an RFC 1123 label (none when valid).
pub fn dns1123_label(value: &str) -> Vec<String> {
    let mut msgs = Vec::new();
    if value.len() > 63 {
        msgs.push("must be no more than 63 characters".to_string());
    }
    if !is_label(value) {
        msgs.push(
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must \
             start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for \
             validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
                .to_string(),
        );
    }
    msgs
}

/// `IsDNS1123Subdomain`: the messages for a value that is not an RFC 1123 subdomain.
pub fn dns1123_subdomain(value: &str) -> Vec<String> {
    let mut msgs = Vec::new();
    if value.len() > 253 {
        msgs.push("must be no more than 253 characters".to_string());
    }
    if value.is_empty() || !value.split('.').all(is_label_chars) {
        msgs.push(
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', \
             and must start and end with an alphanumeric character (e.g. 'example.com', regex used for \
             validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
                .to_string(),
        );
    }
    msgs
}

/// `IsDNS1035Label`, the rule for Service names.
pub fn dns1035_label(value: &str) -> Vec<String> {
    let mut msgs = Vec::new();
    if value.len() > 63 {
        msgs.push("must be no more than 63 characters".to_string());
    }
    if !is_label(value) || !value.starts_with(|c: char| c.is_ascii_lowercase()) {
        msgs.push(
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an \
             alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', \
             regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
                .to_string(),
        );
    }
    msgs
}

fn is_label(value: &str) -> bool {
    !value.is_empty() && is_label_chars(value)
}

fn is_label_chars(value: &str) -> bool {
    let bytes = value.as_bytes();
    let alnum = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    !bytes.is_empty()
        && bytes.iter().all(|b| alnum(b) || *b == b'-')
        && alnum(&bytes[0])
        && alnum(&bytes[bytes.len() - 1])
}

/// `IsValidPortName`: the IANA service name rules.
pub fn port_name(value: &str) -> Vec<&'static str> {
    let mut msgs = Vec::new();
    if value.len() > 15 {
        msgs.push("must be no more than 15 characters");
    }
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
        msgs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
    }
    if !value.bytes().any(|b| b.is_ascii_lowercase()) {
        msgs.push("must contain at least one letter (a-z)");
    }
    if value.contains("--") {
        msgs.push("must not contain consecutive hyphens");
    }
    if value.starts_with('-') || value.ends_with('-') {
        msgs.push("must not begin or end with a hyphen");
    }
    msgs
}

pub(super) fn object_meta(meta: &ObjectMeta, rule: NameRule, errs: &mut Vec<FieldError>) {
    match meta.name.as_deref().filter(|n| !n.is_empty()) {
        None if meta.generate_name.as_deref().is_some_and(|g| !g.is_empty()) => {
            errs.push(field::forbidden("metadata.generateName", "cannot use generate name with apply"))
        }
        None => errs.push(field::required("metadata.name", "name or generateName is required")),
        Some(name) => {
            let msgs = match rule {
                NameRule::Subdomain => dns1123_subdomain(name),
                NameRule::Dns1035Label => dns1035_label(name),
            };
            for msg in msgs {
                errs.push(field::invalid("metadata.name", &quote(name), &msg));
            }
        }
    }
    if let Some(ns) = meta.namespace.as_deref() {
        for msg in dns1123_label(ns) {
            errs.push(field::invalid("metadata.namespace", &quote(ns), &msg));
        }
    }
    if let Some(l) = &meta.labels {
        labels(l, "metadata.labels", errs);
    }
    if let Some(a) = &meta.annotations {
        meta::annotations(a, "metadata.annotations", errs);
    }
}

/// `ValidateLabels`: keys are qualified names, values valid label values.
fn labels(labels: &BTreeMap<String, String>, path: &str, errs: &mut Vec<FieldError>) {
    for (k, v) in labels {
        for msg in qualified_name(k) {
            errs.push(field::invalid(path, &quote(k), &msg).at(field::key(path, k)));
        }
        for msg in label_value(v) {
            errs.push(field::invalid(path, &quote(v), &msg).at(field::key(path, k)));
        }
    }
}

fn is_name_part(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

pub(crate) fn qualified_name(key: &str) -> Vec<String> {
    const NAME: &str = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start \
        and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for \
        validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
    let mut msgs = Vec::new();
    let (prefix, name) = match key.split_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, key),
    };
    if let Some(prefix) = prefix {
        if prefix.is_empty() {
            msgs.push("prefix part must be non-empty".to_string());
        } else {
            for msg in dns1123_subdomain(prefix) {
                msgs.push(format!("prefix part {msg}"));
            }
        }
    }
    if name.is_empty() {
        msgs.push("name part must be non-empty".to_string());
    } else {
        if name.len() > 63 {
            msgs.push("name part must be no more than 63 characters".to_string());
        }
        if !is_name_part(name) {
            msgs.push(NAME.to_string());
        }
    }
    msgs
}

fn label_value(value: &str) -> Vec<String> {
    let mut msgs = Vec::new();
    if value.len() > 63 {
        msgs.push("must be no more than 63 characters".to_string());
    }
    if !value.is_empty() && !is_name_part(value) {
        msgs.push(
            "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', \
             and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or \
             '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
                .to_string(),
        );
    }
    msgs
}

fn non_negative<T: Into<i64> + Copy>(value: Option<T>, path: &str, errs: &mut Vec<FieldError>) {
    if let Some(v) = value {
        let v: i64 = v.into();
        if v < 0 {
            errs.push(field::invalid(path, &v.to_string(), "must be greater than or equal to 0"));
        }
    }
}

fn protocol(value: Option<&str>, path: &str, errs: &mut Vec<FieldError>) {
    match value {
        None | Some("") => errs.push(field::required(path, "")),
        Some(p) if !["SCTP", "TCP", "UDP"].contains(&p) => {
            errs.push(field::not_supported(path, p, &["SCTP", "TCP", "UDP"]))
        }
        Some(_) => {}
    }
}

/// `ValidatePortNumOrName`.
fn port_num_or_name(port: &IntOrString, path: &str, errs: &mut Vec<FieldError>) {
    match port {
        IntOrString::Int(n) => {
            if !(1..=65535).contains(n) {
                errs.push(field::invalid(path, &n.to_string(), PORT_RANGE));
            }
        }
        IntOrString::String(name) => {
            for msg in port_name(name) {
                errs.push(field::invalid(path, &quote(name), msg));
            }
        }
    }
}

/// A percentage (`25%`) or `None` when the string is not one.
fn percent(s: &str) -> Option<i64> {
    s.strip_suffix('%')?.parse().ok()
}

/// Validates an int-or-percent field and returns its value when it is a plain 0 or `0%`.
fn int_or_percent(value: Option<&IntOrString>, path: &str, errs: &mut Vec<FieldError>) -> Option<i64> {
    match value? {
        IntOrString::Int(n) => {
            non_negative(Some(*n), path, errs);
            Some(i64::from(*n))
        }
        IntOrString::String(s) => match percent(s) {
            Some(p) => {
                if p < 0 {
                    errs.push(field::invalid(path, &quote(s), "must be greater than or equal to 0"));
                }
                Some(p)
            }
            None => {
                errs.push(field::invalid(
                    path,
                    &quote(s),
                    "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  \
                     or '93%', regex used for validation is '[0-9]+%')",
                ));
                None
            }
        },
    }
}

fn render_int_or_string(value: Option<&IntOrString>) -> String {
    match value {
        Some(IntOrString::Int(n)) => n.to_string(),
        Some(IntOrString::String(s)) => quote(s),
        None => "0".to_string(),
    }
}

/// The selector and pod template every workload has: the selector must be valid and non-empty and
/// must select the template's labels; the template's pods must restart `Always`.
fn workload_template(
    selector: &LabelSelector,
    selector_written: bool,
    template: Option<&PodTemplateSpec>,
    kind: &str,
    errs: &mut Vec<FieldError>,
) {
    let empty = selector.match_labels.as_ref().is_none_or(|m| m.is_empty())
        && selector.match_expressions.as_ref().is_none_or(|e| e.is_empty());
    if !selector_written {
        errs.push(field::required("spec.selector", ""));
    } else if empty {
        errs.push(field::invalid(
            "spec.selector",
            &go_label_selector(selector),
            &format!("empty selector is invalid for {kind}"),
        ));
    }
    if let Some(m) = &selector.match_labels {
        labels(m, "spec.selector.matchLabels", errs);
    }
    let mut selector_ok = true;
    for (i, expr) in selector.match_expressions.iter().flatten().enumerate() {
        let path = index("spec.selector.matchExpressions", i);
        let has_values = expr.values.as_ref().is_some_and(|v| !v.is_empty());
        match expr.operator.as_str() {
            "In" | "NotIn" if !has_values => errs.push(field::required(
                &child(&path, "values"),
                "must be specified when `operator` is 'In' or 'NotIn'",
            )),
            "Exists" | "DoesNotExist" if has_values => errs.push(field::forbidden(
                &child(&path, "values"),
                "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
            )),
            "In" | "NotIn" | "Exists" | "DoesNotExist" => {}
            other => {
                selector_ok = false;
                errs.push(field::invalid(
                    &child(&path, "operator"),
                    &quote(other),
                    "not a valid selector operator",
                ));
            }
        }
        for msg in qualified_name(&expr.key) {
            errs.push(field::invalid(&child(&path, "key"), &quote(&expr.key), &msg));
        }
    }
    let Some(template) = template else {
        errs.push(field::required("spec.template", ""));
        return;
    };
    let template_labels = template.metadata.as_ref().and_then(|m| m.labels.as_ref());
    if let Some(a) = template.metadata.as_ref().and_then(|m| m.annotations.as_ref()) {
        meta::annotations(a, "spec.template.metadata.annotations", errs);
    }
    if let Some(l) = template_labels {
        labels(l, "spec.template.metadata.labels", errs);
    }
    // A missing selector selects nothing, so it never matches the template; an empty one selects
    // everything and has been reported already.
    if !selector_written || (!empty && selector_ok) {
        let matches = selector_written
            && Selector::from_label_selector(selector).is_ok_and(|sel| sel.matches(template_labels));
        if !matches {
            let empty_map = BTreeMap::new();
            errs.push(field::invalid(
                "spec.template.metadata.labels",
                &field::go_string_map(template_labels.unwrap_or(&empty_map)),
                "`selector` does not match template `labels`",
            ));
        }
    }
    match &template.spec {
        Some(spec) => {
            pod_spec(spec, "spec.template.spec", true, errs);
        }
        None => errs.push(field::required("spec.template.spec.containers", "")),
    }
}

fn go_label_selector(selector: &LabelSelector) -> String {
    let labels = match &selector.match_labels {
        None => "map[string]string(nil)".to_string(),
        Some(m) => field::go_string_map(m),
    };
    let exprs = match &selector.match_expressions {
        None => "[]v1.LabelSelectorRequirement(nil)",
        Some(_) => "[]v1.LabelSelectorRequirement{}",
    };
    format!("v1.LabelSelector{{MatchLabels:{labels}, MatchExpressions:{exprs}}}")
}

fn pod_spec(spec: &PodSpec, path: &str, template: bool, errs: &mut Vec<FieldError>) {
    let restart = spec.restart_policy.as_deref().unwrap_or("Always");
    let restart_path = child(path, "restartPolicy");
    if template {
        if restart != "Always" {
            errs.push(field::not_supported(&restart_path, restart, &["Always"]));
        }
    } else if !["Always", "OnFailure", "Never"].contains(&restart) {
        errs.push(field::not_supported(&restart_path, restart, &["Always", "Never", "OnFailure"]));
    }
    if let Some(dns) = spec.dns_policy.as_deref() {
        let supported = ["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"];
        if !supported.contains(&dns) {
            errs.push(field::not_supported(&child(path, "dnsPolicy"), dns, &supported));
        }
    }
    non_negative(spec.termination_grace_period_seconds, &child(path, "terminationGracePeriodSeconds"), errs);
    if let Some(deadline) = spec.active_deadline_seconds {
        if deadline <= 0 {
            errs.push(field::invalid(
                &child(path, "activeDeadlineSeconds"),
                &deadline.to_string(),
                "must be between 1 and 2147483647, inclusive",
            ));
        }
    }
    let containers_path = child(path, "containers");
    if spec.containers.is_empty() {
        errs.push(field::required(&containers_path, ""));
    }
    let mut names: Vec<&str> = Vec::new();
    for (i, c) in spec.init_containers.iter().flatten().enumerate() {
        let cpath = index(&child(path, "initContainers"), i);
        container_name(c, &cpath, &mut names, errs);
        let sidecar = c.restart_policy.as_deref() == Some("Always");
        if let Some(policy) = c.restart_policy.as_deref().filter(|p| *p != "Always") {
            errs.push(field::not_supported(&child(&cpath, "restartPolicy"), policy, &["Always"]));
        }
        container_common(c, &cpath, errs);
        if sidecar {
            probes(c, &cpath, errs);
        } else {
            const DETAIL: &str = "may not be set for init containers without restartPolicy=Always";
            if c.lifecycle.is_some() {
                errs.push(field::forbidden(&child(&cpath, "lifecycle"), DETAIL));
            }
            for (probe, name) in [
                (&c.liveness_probe, "livenessProbe"),
                (&c.readiness_probe, "readinessProbe"),
                (&c.startup_probe, "startupProbe"),
            ] {
                if probe.is_some() {
                    errs.push(field::forbidden(&child(&cpath, name), DETAIL));
                }
            }
        }
    }
    for (i, c) in spec.containers.iter().enumerate() {
        let cpath = index(&containers_path, i);
        container_name(c, &cpath, &mut names, errs);
        if c.restart_policy.is_some() {
            errs.push(field::forbidden(
                &child(&cpath, "restartPolicy"),
                "may not be set for non-init containers",
            ));
        }
        container_common(c, &cpath, errs);
        probes(c, &cpath, errs);
    }
}

fn container_name<'a>(c: &'a Container, path: &str, names: &mut Vec<&'a str>, errs: &mut Vec<FieldError>) {
    let name_path = child(path, "name");
    if c.name.is_empty() {
        errs.push(field::required(&name_path, ""));
        return;
    }
    for msg in dns1123_label(&c.name) {
        errs.push(field::invalid(&name_path, &quote(&c.name), &msg));
    }
    if names.contains(&c.name.as_str()) {
        errs.push(field::duplicate(&name_path, &quote(&c.name), ""));
    }
    names.push(&c.name);
}

fn container_common(c: &Container, path: &str, errs: &mut Vec<FieldError>) {
    match c.image.as_deref() {
        Some(image) if !image.trim().is_empty() => {
            super::image_ref::unparseable_warning(image, &child(path, "image"), errs)
        }
        _ => errs.push(field::required(&child(path, "image"), "")),
    }
    meta::env(c, path, errs);
    if let Some(policy) = c.image_pull_policy.as_deref() {
        let supported = ["Always", "IfNotPresent", "Never"];
        if !supported.contains(&policy) {
            errs.push(field::not_supported(&child(path, "imagePullPolicy"), policy, &supported));
        }
    }
    if let Some(policy) = c.termination_message_policy.as_deref() {
        let supported = ["FallbackToLogsOnError", "File"];
        if !supported.contains(&policy) {
            errs.push(field::not_supported(&child(path, "terminationMessagePolicy"), policy, &supported));
        }
    }
    let mut port_names: Vec<&str> = Vec::new();
    for (i, port) in c.ports.iter().flatten().enumerate() {
        let ppath = index(&child(path, "ports"), i);
        if let Some(name) = port.name.as_deref().filter(|n| !n.is_empty()) {
            for msg in port_name(name) {
                errs.push(field::invalid(&child(&ppath, "name"), &quote(name), msg));
            }
            if port_names.contains(&name) {
                errs.push(field::duplicate(&child(&ppath, "name"), &quote(name), ""));
            }
            port_names.push(name);
        }
        if port.container_port == 0 {
            errs.push(field::required(&child(&ppath, "containerPort"), ""));
        } else if !(1..=65535).contains(&port.container_port) {
            errs.push(field::invalid(
                &child(&ppath, "containerPort"),
                &port.container_port.to_string(),
                PORT_RANGE,
            ));
        }
        if let Some(host) = port.host_port.filter(|p| *p != 0) {
            if !(1..=65535).contains(&host) {
                errs.push(field::invalid(&child(&ppath, "hostPort"), &host.to_string(), PORT_RANGE));
            }
        }
        protocol(port.protocol.as_deref(), &child(&ppath, "protocol"), errs);
    }
    if let Some(lifecycle) = &c.lifecycle {
        let lpath = child(path, "lifecycle");
        for (handler, name) in [(&lifecycle.post_start, "postStart"), (&lifecycle.pre_stop, "preStop")] {
            if let Some(h) = handler {
                lifecycle_handler(h, &child(&lpath, name), errs);
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum ProbeKind {
    Liveness,
    Readiness,
    Startup,
}

fn probes(c: &Container, path: &str, errs: &mut Vec<FieldError>) {
    for (p, name, kind) in [
        (&c.liveness_probe, "livenessProbe", ProbeKind::Liveness),
        (&c.readiness_probe, "readinessProbe", ProbeKind::Readiness),
        (&c.startup_probe, "startupProbe", ProbeKind::Startup),
    ] {
        if let Some(p) = p {
            probe(p, &child(path, name), kind, errs);
        }
    }
}

fn probe(p: &Probe, path: &str, kind: ProbeKind, errs: &mut Vec<FieldError>) {
    let handlers = [
        ("exec", p.exec.is_some()),
        ("httpGet", p.http_get.is_some()),
        ("tcpSocket", p.tcp_socket.is_some()),
        ("grpc", p.grpc.is_some()),
    ];
    handler_count(&handlers, path, errs);
    if let Some(exec) = &p.exec {
        if exec.command.as_ref().is_none_or(|c| c.is_empty()) {
            errs.push(field::required(&child(path, "exec.command"), ""));
        }
    }
    if let Some(h) = &p.http_get {
        http_get(h, &child(path, "httpGet"), errs);
    }
    if let Some(t) = &p.tcp_socket {
        port_num_or_name(&t.port, &child(path, "tcpSocket.port"), errs);
    }
    if let Some(g) = &p.grpc {
        if !(1..=65535).contains(&g.port) {
            errs.push(field::invalid(&child(path, "grpc.port"), &g.port.to_string(), PORT_RANGE));
        }
    }
    for (value, name) in [
        (p.initial_delay_seconds, "initialDelaySeconds"),
        (p.timeout_seconds, "timeoutSeconds"),
        (p.period_seconds, "periodSeconds"),
        (p.success_threshold, "successThreshold"),
        (p.failure_threshold, "failureThreshold"),
    ] {
        non_negative(value, &child(path, name), errs);
    }
    if kind != ProbeKind::Readiness {
        if let Some(s) = p.success_threshold.filter(|s| *s != 1) {
            errs.push(field::invalid(&child(path, "successThreshold"), &s.to_string(), "must be 1"));
        }
    }
    if let Some(grace) = p.termination_grace_period_seconds {
        let gpath = child(path, "terminationGracePeriodSeconds");
        if kind == ProbeKind::Readiness {
            errs.push(field::invalid(&gpath, &grace.to_string(), "must not be set for readinessProbes"));
        } else if grace <= 0 {
            errs.push(field::invalid(&gpath, &grace.to_string(), "must be greater than 0"));
        }
    }
}

fn lifecycle_handler(h: &LifecycleHandler, path: &str, errs: &mut Vec<FieldError>) {
    let handlers = [
        ("exec", h.exec.is_some()),
        ("httpGet", h.http_get.is_some()),
        ("tcpSocket", h.tcp_socket.is_some()),
        ("sleep", h.sleep.is_some()),
    ];
    handler_count(&handlers, path, errs);
    if let Some(exec) = &h.exec {
        if exec.command.as_ref().is_none_or(|c| c.is_empty()) {
            errs.push(field::required(&child(path, "exec.command"), ""));
        }
    }
    if let Some(g) = &h.http_get {
        http_get(g, &child(path, "httpGet"), errs);
    }
    if let Some(t) = &h.tcp_socket {
        port_num_or_name(&t.port, &child(path, "tcpSocket.port"), errs);
    }
    if let Some(s) = &h.sleep {
        if s.seconds < 0 {
            errs.push(field::invalid(
                &child(path, "sleep.seconds"),
                &s.seconds.to_string(),
                "must be non-negative integer",
            ));
        }
    }
}

/// Exactly one handler: none is `Required`, and every handler after the first is `Forbidden`.
fn handler_count(handlers: &[(&str, bool)], path: &str, errs: &mut Vec<FieldError>) {
    let mut seen = 0;
    for (name, present) in handlers {
        if *present {
            seen += 1;
            if seen > 1 {
                errs.push(field::forbidden(&child(path, name), "may not specify more than 1 handler type"));
            }
        }
    }
    if seen == 0 {
        errs.push(field::required(path, "must specify a handler type"));
    }
}

fn http_get(h: &HTTPGetAction, path: &str, errs: &mut Vec<FieldError>) {
    if h.path.as_deref().is_none_or(str::is_empty) {
        errs.push(field::required(&child(path, "path"), ""));
    }
    port_num_or_name(&h.port, &child(path, "port"), errs);
    if let Some(scheme) = h.scheme.as_deref() {
        if !["HTTP", "HTTPS"].contains(&scheme) {
            errs.push(field::not_supported(&child(path, "scheme"), scheme, &["HTTP", "HTTPS"]));
        }
    }
    for (i, header) in h.http_headers.iter().flatten().enumerate() {
        let valid =
            !header.name.is_empty() && header.name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !valid {
            errs.push(field::invalid(
                &child(&index(&child(path, "httpHeaders"), i), "name"),
                &quote(&header.name),
                "a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', \
                 regex used for validation is '[-A-Za-z0-9]+')",
            ));
        }
    }
}
