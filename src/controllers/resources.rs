//! What a pod asks of a node: its effective requests as the scheduler's `NodeResourcesFit`
//! counts them (`pkg/api/v1/resource/helpers.go` PodRequests). A container's request defaults to
//! its limit when it sets only a limit, as `SetDefaults_Pod` in `pkg/apis/core/v1/defaults.go`
//! does for pods; init containers run one at a time, so the pod needs the larger of their
//! largest request and the sum of its regular containers' requests.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Container, Pod};

use crate::quantity::milli_units;

/// Resource name to milli-units (`cpu` in millicores, `memory` in milli-bytes).
pub(crate) type Resources = BTreeMap<String, i128>;

/// One container's requests, each missing request taken from its limit.
pub(crate) fn container_requests(c: &Container) -> Resources {
    let mut out = Resources::new();
    let Some(res) = c.resources.as_ref() else { return out };
    for (name, q) in res.limits.iter().flatten() {
        if let Some(v) = milli_units(&q.0) {
            out.insert(name.clone(), v);
        }
    }
    for (name, q) in res.requests.iter().flatten() {
        if let Some(v) = milli_units(&q.0) {
            out.insert(name.clone(), v);
        }
    }
    out
}

/// The pod's requests: the sum over regular containers, raised per resource to the largest init
/// container's request, plus the pod overhead.
pub(crate) fn pod_requests(pod: &Pod) -> Resources {
    let mut out = Resources::new();
    let Some(spec) = pod.spec.as_ref() else { return out };
    for c in &spec.containers {
        for (name, v) in container_requests(c) {
            *out.entry(name).or_default() += v;
        }
    }
    for c in spec.init_containers.iter().flatten() {
        for (name, v) in container_requests(c) {
            let entry = out.entry(name).or_default();
            *entry = (*entry).max(v);
        }
    }
    for (name, q) in spec.overhead.iter().flatten() {
        if let Some(v) = milli_units(&q.0) {
            *out.entry(name.clone()).or_default() += v;
        }
    }
    out
}

/// What the API server does to a new pod's resources (`SetDefaults_Pod` in
/// `pkg/apis/core/v1/defaults.go`, then `ComputePodQOS` for `status.qosClass`): every resource a
/// container limits without requesting it is requested at its limit. Pods only: templates are not
/// defaulted, their pods are when they are created.
pub(crate) fn admit(pod: &mut Pod) {
    if let Some(spec) = pod.spec.as_mut() {
        let containers = spec.containers.iter_mut().chain(spec.init_containers.iter_mut().flatten());
        for c in containers {
            let Some(res) = c.resources.as_mut() else { continue };
            let Some(limits) = res.limits.as_ref() else { continue };
            let requests = res.requests.get_or_insert_with(BTreeMap::new);
            for (name, q) in limits {
                requests.entry(name.clone()).or_insert_with(|| q.clone());
            }
        }
    }
    let qos = crate::engine::qos_class(
        pod.spec.iter().flat_map(|s| s.containers.iter().chain(s.init_containers.iter().flatten())),
    );
    pod.status.get_or_insert_with(Default::default).qos_class = Some(qos.to_string());
}
