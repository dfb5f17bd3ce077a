//! The API server's defaulting (upstream `pkg/apis/core/v1/defaults.go`,
//! `pkg/apis/apps/v1/defaults.go` and the generated defaulters). It runs before validation, so a 0
//! written for a probe's timeout, period or thresholds never reaches validation. A missing `spec`
//! is taken as an empty one, as the API server's JSON decoding does, so validation reports the
//! required fields inside it.

use k8s_openapi::api::apps::v1::{
    DaemonSet, DaemonSetUpdateStrategy, Deployment, DeploymentStrategy, ReplicaSet, RollingUpdateDaemonSet,
    RollingUpdateDeployment, RollingUpdateStatefulSetStrategy, StatefulSet,
    StatefulSetPersistentVolumeClaimRetentionPolicy, StatefulSetUpdateStrategy,
};
use k8s_openapi::api::core::v1::{
    Container, HTTPGetAction, LifecycleHandler, Pod, PodSecurityContext, PodSpec, PodTemplateSpec, Probe,
    Service,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

/// Defaults a Pod.
pub fn pod(pod: &mut Pod) {
    metadata(&mut pod.metadata);
    pod_spec(pod.spec.get_or_insert_with(Default::default));
}

/// Defaults a Service.
pub fn service(service: &mut Service) {
    metadata(&mut service.metadata);
    let spec = service.spec.get_or_insert_with(Default::default);
    let kind = spec.type_.get_or_insert_with(|| "ClusterIP".to_string()).clone();
    set(&mut spec.session_affinity, "None");
    if matches!(kind.as_str(), "ClusterIP" | "NodePort" | "LoadBalancer") {
        set(&mut spec.internal_traffic_policy, "Cluster");
    }
    if matches!(kind.as_str(), "NodePort" | "LoadBalancer") {
        set(&mut spec.external_traffic_policy, "Cluster");
    }
    for port in spec.ports.iter_mut().flatten() {
        set(&mut port.protocol, "TCP");
        let unset = match &port.target_port {
            None => true,
            Some(IntOrString::Int(0)) => true,
            Some(IntOrString::String(s)) => s.is_empty(),
            Some(IntOrString::Int(_)) => false,
        };
        if unset {
            port.target_port = Some(IntOrString::Int(port.port));
        }
    }
}

/// Defaults a Deployment and its pod template.
pub fn deployment(d: &mut Deployment) {
    metadata(&mut d.metadata);
    let spec = d.spec.get_or_insert_with(Default::default);
    spec.replicas.get_or_insert(1);
    let strategy = spec.strategy.get_or_insert_with(DeploymentStrategy::default);
    let kind = strategy.type_.get_or_insert_with(|| "RollingUpdate".to_string());
    if kind == "RollingUpdate" {
        let rolling = strategy.rolling_update.get_or_insert_with(RollingUpdateDeployment::default);
        rolling.max_unavailable.get_or_insert_with(|| IntOrString::String("25%".to_string()));
        rolling.max_surge.get_or_insert_with(|| IntOrString::String("25%".to_string()));
    }
    spec.revision_history_limit.get_or_insert(10);
    spec.progress_deadline_seconds.get_or_insert(600);
    template(&mut spec.template);
}

/// Defaults a StatefulSet and its pod template.
pub fn stateful_set(s: &mut StatefulSet) {
    metadata(&mut s.metadata);
    let spec = s.spec.get_or_insert_with(Default::default);
    spec.replicas.get_or_insert(1);
    set(&mut spec.pod_management_policy, "OrderedReady");
    let strategy = spec.update_strategy.get_or_insert_with(StatefulSetUpdateStrategy::default);
    let kind = strategy.type_.get_or_insert_with(|| "RollingUpdate".to_string());
    if kind == "RollingUpdate" {
        let rolling = strategy.rolling_update.get_or_insert_with(RollingUpdateStatefulSetStrategy::default);
        rolling.partition.get_or_insert(0);
    }
    let retention = spec
        .persistent_volume_claim_retention_policy
        .get_or_insert_with(StatefulSetPersistentVolumeClaimRetentionPolicy::default);
    set(&mut retention.when_deleted, "Retain");
    set(&mut retention.when_scaled, "Retain");
    spec.revision_history_limit.get_or_insert(10);
    template(&mut spec.template);
}

/// Defaults a DaemonSet and its pod template.
pub fn daemon_set(d: &mut DaemonSet) {
    metadata(&mut d.metadata);
    let spec = d.spec.get_or_insert_with(Default::default);
    let strategy = spec.update_strategy.get_or_insert_with(DaemonSetUpdateStrategy::default);
    let kind = strategy.type_.get_or_insert_with(|| "RollingUpdate".to_string());
    if kind == "RollingUpdate" {
        let rolling = strategy.rolling_update.get_or_insert_with(RollingUpdateDaemonSet::default);
        rolling.max_unavailable.get_or_insert(IntOrString::Int(1));
        rolling.max_surge.get_or_insert(IntOrString::Int(0));
    }
    spec.revision_history_limit.get_or_insert(10);
    template(&mut spec.template);
}

/// Defaults a ReplicaSet and its pod template.
pub fn replica_set(r: &mut ReplicaSet) {
    metadata(&mut r.metadata);
    let spec = r.spec.get_or_insert_with(Default::default);
    spec.replicas.get_or_insert(1);
    template(spec.template.get_or_insert_with(Default::default));
}

/// Defaults a container's probe; also used for the probe of a sidecar.
pub fn probe(p: &mut Probe) {
    // Zero means "unset" for these four fields, exactly as the generated defaulter treats them.
    zero_default(&mut p.timeout_seconds, 1);
    zero_default(&mut p.period_seconds, 10);
    zero_default(&mut p.success_threshold, 1);
    zero_default(&mut p.failure_threshold, 3);
    if let Some(h) = p.http_get.as_mut() {
        http_get(h);
    }
    if let Some(g) = p.grpc.as_mut() {
        g.service.get_or_insert_with(String::new);
    }
}

fn metadata(meta: &mut ObjectMeta) {
    let empty = meta.namespace.as_deref().is_none_or(str::is_empty);
    if empty {
        meta.namespace = Some("default".to_string());
    }
}

fn template(t: &mut PodTemplateSpec) {
    pod_spec(t.spec.get_or_insert_with(Default::default));
}

fn pod_spec(spec: &mut PodSpec) {
    set(&mut spec.restart_policy, "Always");
    spec.termination_grace_period_seconds.get_or_insert(30);
    set(&mut spec.dns_policy, "ClusterFirst");
    set(&mut spec.scheduler_name, "default-scheduler");
    spec.security_context.get_or_insert_with(PodSecurityContext::default);
    spec.enable_service_links.get_or_insert(true);
    for c in spec.containers.iter_mut() {
        container(c);
    }
    for c in spec.init_containers.iter_mut().flatten() {
        container(c);
    }
}

fn container(c: &mut Container) {
    if c.image_pull_policy.as_deref().is_none_or(str::is_empty) {
        let policy =
            if image_tag_is_latest(c.image.as_deref().unwrap_or("")) { "Always" } else { "IfNotPresent" };
        c.image_pull_policy = Some(policy.to_string());
    }
    set(&mut c.termination_message_path, "/dev/termination-log");
    set(&mut c.termination_message_policy, "File");
    for port in c.ports.iter_mut().flatten() {
        set(&mut port.protocol, "TCP");
    }
    for p in [&mut c.liveness_probe, &mut c.readiness_probe, &mut c.startup_probe] {
        if let Some(p) = p.as_mut() {
            probe(p);
        }
    }
    if let Some(lifecycle) = c.lifecycle.as_mut() {
        for handler in [&mut lifecycle.post_start, &mut lifecycle.pre_stop] {
            if let Some(LifecycleHandler { http_get: Some(h), .. }) = handler.as_mut() {
                http_get(h);
            }
        }
    }
    for env in c.env.iter_mut().flatten() {
        if let Some(field_ref) = env.value_from.as_mut().and_then(|v| v.field_ref.as_mut()) {
            set(&mut field_ref.api_version, "v1");
        }
    }
}

fn http_get(h: &mut HTTPGetAction) {
    set(&mut h.path, "/");
    set(&mut h.scheme, "HTTP");
}

/// Whether an image reference pulls `latest`: no tag at all, or the tag `latest`. A digest
/// (`@sha256:...`) pins the image, and a colon inside the registry host (`host:5000/app`) is a port.
pub fn image_tag_is_latest(image: &str) -> bool {
    // `pkg/apis/core/v1/defaults.go` SetDefaults_Container reads the tag with
    // `pkg/util/parsers/parsers.go` ParseImageName: no tag and no digest means `latest`, and a name
    // that does not parse has no tag at all (the parse error is ignored).
    crate::container::images::reference::parse_normalized(image).is_ok_and(|r| match (&r.tag, &r.digest) {
        (Some(tag), _) => tag == "latest",
        (None, digest) => digest.is_none(),
    })
}

fn set(field: &mut Option<String>, value: &str) {
    if field.as_deref().is_none_or(str::is_empty) {
        *field = Some(value.to_string());
    }
}

fn zero_default(field: &mut Option<i32>, value: i32) {
    if matches!(field, None | Some(0)) {
        *field = Some(value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latest_tag_detection() {
        let cases = [
            ("busybox", true),
            ("busybox:latest", true),
            ("busybox:1.36", false),
            ("registry.k8s.io/liveness", true),
            ("localhost:5000/app", true),
            ("localhost:5000/app:v2", false),
            ("nginx@sha256:abcd", false),
        ];
        for (image, latest) in cases {
            assert_eq!(image_tag_is_latest(image), latest, "{image}");
        }
    }
}
