//! The writes `kubectl` makes besides apply: `delete pod`, `scale` and `rollout restart`, with
//! kubectl 1.34's output.

use std::collections::BTreeMap;

use crate::api::{timestamp, ApiStore, ObjectKey};
use crate::kubectl::command::{PodTarget, ResourceKind};
use crate::selector::Selector;

use super::podutil::{default_grace, touch_spec};
use super::Context;

const FORCE_WARNING: &str = "Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.";

/// `kubectl delete pod NAME...|-l SELECTOR [--grace-period=N] [--force]` in `namespace`. Returns
/// kubectl's lines in the order a terminal shows them (the force warning first); when a named pod
/// does not exist, the others are still deleted and the error holds every line, the `NotFound`
/// errors last, as kubectl exits non-zero then.
///
/// Without `--grace-period` the pod's own `terminationGracePeriodSeconds` applies. kubectl turns
/// `--grace-period=0` without `--force` into 1; `--force` without a grace period means 0, which
/// removes the pod at once and prints `force deleted` after a warning.
pub fn delete_pods(
    api: &mut ApiStore,
    ctx: &mut Context,
    namespace: &str,
    target: &PodTarget,
    grace: Option<i64>,
    force: bool,
) -> Result<Vec<String>, String> {
    let mut lines: Vec<String> = Vec::new();
    let mut errors: Vec<String> = Vec::new();
    let grace = match (grace, force) {
        (Some(g), _) if g < 0 => None,
        (Some(0), false) => Some(1),
        (Some(g), _) => Some(g),
        (None, true) => Some(0),
        (None, false) => None,
    };
    let keys: Vec<ObjectKey> = match target {
        PodTarget::Names(names) => {
            let mut keys = Vec::new();
            for name in names {
                let key = (namespace.to_string(), name.clone());
                if api.pods.contains_key(&key) {
                    keys.push(key);
                } else {
                    errors.push(format!("Error from server (NotFound): pods \"{name}\" not found"));
                }
            }
            keys
        }
        PodTarget::Selector(text) => {
            let selector = match Selector::parse(text) {
                Ok(s) => s,
                Err(e) => return Err(format!("error: {e}")),
            };
            let keys: Vec<ObjectKey> = api
                .pods
                .iter()
                .filter(|((ns, _), p)| ns == namespace && selector.matches(p.metadata.labels.as_ref()))
                .map(|(k, _)| k.clone())
                .collect();
            if keys.is_empty() {
                lines.push("No resources found".to_string());
            }
            keys
        }
    };
    let immediate = force && grace == Some(0);
    if immediate && !keys.is_empty() {
        lines.push(FORCE_WARNING.to_string());
    }
    for key in keys {
        let Some(pod) = api.pods.get(&key) else { continue };
        let seconds = grace.unwrap_or_else(|| default_grace(pod));
        api.request_pod_deletion(&key, seconds, ctx.now);
        let verb = if immediate { "force deleted" } else { "deleted" };
        lines.push(format!("pod \"{}\" {verb} from {} namespace", key.1, key.0));
    }
    if errors.is_empty() {
        Ok(lines)
    } else {
        lines.extend(errors);
        Err(lines.join("\n"))
    }
}

/// `kubectl scale deploy|sts|rs NAME --replicas=N`: `deployment.apps/NAME scaled`. A changed
/// replica count raises the object's generation, as any spec change does.
pub fn scale(
    api: &mut ApiStore,
    _ctx: &mut Context,
    kind: ResourceKind,
    namespace: &str,
    name: &str,
    replicas: i32,
) -> Result<String, String> {
    if replicas < 0 {
        return Err(
            "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0"
                .to_string(),
        );
    }
    let key = (namespace.to_string(), name.to_string());
    let (resource, plural) = match kind {
        ResourceKind::Deployment => ("deployment.apps", "deployments.apps"),
        ResourceKind::StatefulSet => ("statefulset.apps", "statefulsets.apps"),
        ResourceKind::ReplicaSet => ("replicaset.apps", "replicasets.apps"),
        _ => return Err("error: the server doesn't have a resource type that can be scaled".to_string()),
    };
    let not_found = || format!("Error from server (NotFound): {plural} \"{name}\" not found");
    // The playground's pod limit (`crate::budget`) refuses a count no cluster here could run.
    crate::budget::objects::admit_scale(resource, name, replicas)?;
    macro_rules! scale_object {
        ($field:ident) => {{
            let Some(mut object) = api.$field.get(&key).cloned() else { return Err(not_found()) };
            let spec = object.spec.get_or_insert_with(Default::default);
            if spec.replicas != Some(replicas) {
                spec.replicas = Some(replicas);
                object.metadata.generation = Some(object.metadata.generation.unwrap_or(1) + 1);
                touch_spec(api, &mut object.metadata);
                api.$field.insert(key.clone(), object);
            }
        }};
    }
    match kind {
        ResourceKind::Deployment => scale_object!(deployments),
        ResourceKind::StatefulSet => scale_object!(stateful_sets),
        _ => scale_object!(replica_sets),
    }
    Ok(format!("{resource}/{name} scaled"))
}

/// `kubectl rollout restart deploy|sts|ds NAME`: stamps the pod template with
/// `kubectl.kubernetes.io/restartedAt` (RFC 3339), which starts a rollout.
pub fn rollout_restart(
    api: &mut ApiStore,
    ctx: &mut Context,
    kind: ResourceKind,
    namespace: &str,
    name: &str,
) -> Result<String, String> {
    let key = (namespace.to_string(), name.to_string());
    let stamp = timestamp(ctx.now).0.strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
    let (resource, plural) = match kind {
        ResourceKind::Deployment => ("deployment.apps", "deployments.apps"),
        ResourceKind::StatefulSet => ("statefulset.apps", "statefulsets.apps"),
        ResourceKind::DaemonSet => ("daemonset.apps", "daemonsets.apps"),
        _ => return Err(format!("error: no restarter has been implemented for {kind:?}")),
    };
    macro_rules! restart {
        ($field:ident) => {{
            let Some(mut object) = api.$field.get(&key).cloned() else {
                return Err(format!("Error from server (NotFound): {plural} \"{name}\" not found"));
            };
            if let Some(spec) = object.spec.as_mut() {
                spec.template
                    .metadata
                    .get_or_insert_with(Default::default)
                    .annotations
                    .get_or_insert_with(BTreeMap::new)
                    .insert("kubectl.kubernetes.io/restartedAt".to_string(), stamp);
            }
            object.metadata.generation = Some(object.metadata.generation.unwrap_or(1) + 1);
            touch_spec(api, &mut object.metadata);
            api.$field.insert(key.clone(), object);
        }};
    }
    match kind {
        ResourceKind::Deployment => restart!(deployments),
        ResourceKind::StatefulSet => restart!(stateful_sets),
        _ => restart!(daemon_sets),
    }
    Ok(format!("{resource}/{name} restarted"))
}
