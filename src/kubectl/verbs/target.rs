//! Which pod and container `kubectl logs` and `kubectl exec` address
//! (`staging/src/k8s.io/kubectl/pkg/polymorphichelpers/attachablepodforobject.go` and
//! `staging/src/k8s.io/kubectl/pkg/cmd/util/podcmd/podcmd.go`).

use crate::engine::World;
use crate::kubectl::command::ExecTarget;
use crate::selector::Selector;

/// Picks the pod `kubectl exec deploy/x` attaches to: kubectl sorts the workload's pods so that
/// scheduled, running, ready pods come first, ready for longer, with more restarts, then older.
pub(super) fn pod_for_workload(world: &World, ns: &str, target: &ExecTarget) -> Result<String, String> {
    let api = &world.api;
    let (selector, kind_name, name) = match target {
        ExecTarget::Pod(p) => return Ok(p.clone()),
        ExecTarget::Deployment(n) => (
            api.deployments
                .get(&(ns.to_string(), n.clone()))
                .and_then(|d| d.spec.as_ref())
                .map(|s| s.selector.clone()),
            "deployments.apps",
            n,
        ),
        ExecTarget::StatefulSet(n) => (
            api.stateful_sets
                .get(&(ns.to_string(), n.clone()))
                .and_then(|d| d.spec.as_ref())
                .map(|s| s.selector.clone()),
            "statefulsets.apps",
            n,
        ),
        ExecTarget::DaemonSet(n) => (
            api.daemon_sets
                .get(&(ns.to_string(), n.clone()))
                .and_then(|d| d.spec.as_ref())
                .map(|s| s.selector.clone()),
            "daemonsets.apps",
            n,
        ),
    };
    let selector =
        selector.ok_or_else(|| format!("Error from server (NotFound): {kind_name} \"{name}\" not found"))?;
    let sel = Selector::from_label_selector(&selector)?;
    let mut pods: Vec<&k8s_openapi::api::core::v1::Pod> = api
        .pods
        .iter()
        .filter(|((n, _), p)| n == ns && sel.matches(p.metadata.labels.as_ref()))
        .map(|(_, p)| p)
        .collect();
    if pods.is_empty() {
        return Err(format!("error: no pods found for {kind_name}/{name}"));
    }
    pods.sort_by_key(|p| {
        let st = p.status.as_ref();
        let assigned = p.spec.as_ref().and_then(|s| s.node_name.as_ref()).is_some();
        let phase_rank = match st.and_then(|s| s.phase.as_deref()) {
            Some("Running") => 0,
            Some("Unknown") => 1,
            Some("Pending") => 2,
            _ => 3,
        };
        let ready =
            st.and_then(|s| s.conditions.as_ref()).and_then(|c| c.iter().find(|c| c.type_ == "Ready"));
        let is_ready = ready.is_some_and(|c| c.status == "True");
        let ready_since = ready
            .filter(|_| is_ready)
            .and_then(|c| c.last_transition_time.as_ref())
            .map(crate::api::millis_of)
            .unwrap_or(i64::MAX);
        let restarts: i32 = st
            .and_then(|s| s.container_statuses.as_ref())
            .map(|c| c.iter().map(|c| c.restart_count).sum())
            .unwrap_or(0);
        let created = p.metadata.creation_timestamp.as_ref().map(crate::api::millis_of).unwrap_or(i64::MAX);
        (!assigned, phase_rank, !is_ready, ready_since, -(restarts as i64), created, p.metadata.name.clone())
    });
    Ok(pods[0].metadata.name.clone().unwrap_or_default())
}

/// Resolves `-c`, or the pod's default container with kubectl's notice when it has several.
pub(super) fn default_container(
    world: &World,
    ns: &str,
    pod: &str,
    container: Option<&str>,
) -> Result<(String, String), String> {
    let p = world
        .api
        .pods
        .get(&(ns.to_string(), pod.to_string()))
        .ok_or_else(|| format!("Error from server (NotFound): pods \"{pod}\" not found"))?;
    let spec =
        p.spec.as_ref().ok_or_else(|| format!("Error from server (NotFound): pods \"{pod}\" not found"))?;
    let names: Vec<&str> = spec.containers.iter().map(|c| c.name.as_str()).collect();
    if let Some(c) = container {
        let known = names.contains(&c) || spec.init_containers.iter().flatten().any(|i| i.name == c);
        if !known {
            return Err(format!("error: container {c} is not valid for pod {pod}"));
        }
        return Ok((c.to_string(), String::new()));
    }
    let annotated = p
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get("kubectl.kubernetes.io/default-container"))
        .filter(|c| names.contains(&c.as_str()))
        .cloned();
    let chosen =
        annotated.clone().unwrap_or_else(|| names.first().map(|s| s.to_string()).unwrap_or_default());
    let notice = if names.len() > 1 && annotated.is_none() {
        format!("Defaulted container \"{chosen}\" out of: {}\n", names.join(", "))
    } else {
        String::new()
    };
    Ok((chosen, notice))
}
