//! What every controller needs to know about pods and owners: readiness and availability as
//! `pkg/api/v1/pod` defines them, owner references, pod creation from a template with
//! `generateName`, and the pod-template hash.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Pod, PodTemplateSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::api::{key_of, millis_of, timestamp, ApiStore, ObjectKey, ObjectRef};
use crate::duration::Millis;
use crate::events::Source;
use crate::rng::NAME_ALPHABET;

use super::Context;

/// The pod's phase, `Pending` when the kubelet has not written one.
pub(crate) fn phase(pod: &Pod) -> &str {
    pod.status.as_ref().and_then(|s| s.phase.as_deref()).unwrap_or("Pending")
}

/// `Succeeded` or `Failed`: the pod will never run again.
pub(crate) fn is_terminal(pod: &Pod) -> bool {
    matches!(phase(pod), "Succeeded" | "Failed")
}

pub(crate) fn is_terminating(pod: &Pod) -> bool {
    pod.metadata.deletion_timestamp.is_some()
}

/// `controller.IsPodActive`: neither terminal nor being deleted.
pub(crate) fn is_active(pod: &Pod) -> bool {
    !is_terminal(pod) && !is_terminating(pod)
}

/// The instant the pod's `Ready` condition last became true, if it is true now.
pub(crate) fn ready_since(pod: &Pod) -> Option<i64> {
    let cond = pod.status.as_ref()?.conditions.as_ref()?.iter().find(|c| c.type_ == "Ready")?;
    if cond.status != "True" {
        return None;
    }
    Some(cond.last_transition_time.as_ref().map(millis_of).unwrap_or(0))
}

/// `podutil.IsPodReady`: the pod's `Ready` condition is true.
pub(crate) fn is_ready(pod: &Pod) -> bool {
    ready_since(pod).is_some()
}

/// The instant a ready pod counts as available (`minReadySeconds` after it became ready), or
/// `None` if it is not ready.
pub(crate) fn available_at(pod: &Pod, min_ready_seconds: i32) -> Option<Millis> {
    let since = ready_since(pod)?;
    Some((since + i64::from(min_ready_seconds.max(0)) * 1000).max(0) as Millis)
}

/// `podutil.IsPodAvailable`.
pub(crate) fn is_available(pod: &Pod, min_ready_seconds: i32, now: Millis) -> bool {
    available_at(pod, min_ready_seconds).is_some_and(|at| at <= now)
}

/// The grace period a plain `DELETE` uses: the pod's `terminationGracePeriodSeconds`.
pub(crate) fn default_grace(pod: &Pod) -> i64 {
    pod.spec.as_ref().and_then(|s| s.termination_grace_period_seconds).unwrap_or(30).max(0)
}

/// The uid of the object's managing controller (`metav1.GetControllerOf`).
pub(crate) fn controller_uid(meta: &ObjectMeta) -> Option<&str> {
    meta.owner_references.as_ref()?.iter().find(|o| o.controller == Some(true)).map(|o| o.uid.as_str())
}

/// An owner reference as controllers set it on what they create.
pub(crate) fn controller_ref(kind: &str, meta: &ObjectMeta) -> OwnerReference {
    OwnerReference {
        api_version: "apps/v1".to_string(),
        kind: kind.to_string(),
        name: meta.name.clone().unwrap_or_default(),
        uid: meta.uid.clone().unwrap_or_default(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

/// The `involvedObject` for an event about an object.
pub(crate) fn object_ref(kind: &str, meta: &ObjectMeta) -> ObjectRef {
    let (namespace, name) = key_of(meta);
    ObjectRef {
        kind: kind.to_string(),
        namespace,
        name,
        uid: meta.uid.clone().unwrap_or_default(),
        field_path: String::new(),
    }
}

/// Records a `Normal` or `Warning` event from a control-plane component.
pub(crate) fn emit(
    api: &mut ApiStore,
    ctx: &mut Context,
    component: &str,
    involved: &ObjectRef,
    type_: &str,
    reason: &str,
    message: &str,
) {
    let source = Source::component(component);
    ctx.events.record(api, ctx.now, &source, involved, type_, reason, message);
}

/// A new pod from a workload's template, as the API server stores it on create: labels and
/// annotations of the template, the owner reference, uid, creation time and generation.
pub(crate) fn pod_from_template(
    ctx: &mut Context,
    template: Option<&PodTemplateSpec>,
    namespace: &str,
    name: String,
    generate_name: Option<String>,
    extra_labels: &[(&str, String)],
    owner: OwnerReference,
) -> Pod {
    let template_meta = template.and_then(|t| t.metadata.clone()).unwrap_or_default();
    let mut labels = template_meta.labels.unwrap_or_default();
    for (k, v) in extra_labels {
        labels.insert(k.to_string(), v.clone());
    }
    let mut pod = Pod {
        metadata: ObjectMeta {
            name: Some(name),
            generate_name,
            namespace: Some(namespace.to_string()),
            labels: if labels.is_empty() { None } else { Some(labels) },
            annotations: template_meta.annotations.filter(|a| !a.is_empty()),
            owner_references: Some(vec![owner]),
            uid: Some(ctx.rng.uid()),
            creation_timestamp: Some(timestamp(ctx.now)),
            generation: Some(1),
            ..Default::default()
        },
        spec: template.and_then(|t| t.spec.clone()),
        status: Some(k8s_openapi::api::core::v1::PodStatus {
            phase: Some("Pending".to_string()),
            ..Default::default()
        }),
    };
    super::resources::admit(&mut pod);
    pod
}

/// A free name for `generateName: <prefix>`: the prefix (cut to 58 characters, as the API server
/// does) followed by five random characters, drawn again on the rare collision.
pub(crate) fn generate_pod_name(api: &ApiStore, ctx: &mut Context, namespace: &str, prefix: &str) -> String {
    let base: String = prefix.chars().take(58).collect();
    loop {
        let name = format!("{base}{}", ctx.rng.name_suffix(5));
        if !api.pods.contains_key(&(namespace.to_string(), name.clone())) {
            return name;
        }
    }
}

/// `controller.ComputeHash`: FNV-32a over the serialized template (plus the collision count, when
/// there is one), the decimal digits re-encoded with the name alphabet as `rand.SafeEncodeString`
/// does.
pub(crate) fn template_hash(template: Option<&PodTemplateSpec>, collision_count: Option<i32>) -> String {
    let mut bytes = serde_json::to_vec(&template).unwrap_or_default();
    if let Some(c) = collision_count {
        bytes.extend_from_slice(&(c as u32).to_le_bytes());
    }
    let hash = crate::fnv::fnv32(&bytes);
    hash.to_string().bytes().map(|b| NAME_ALPHABET[b as usize % NAME_ALPHABET.len()] as char).collect()
}

/// Resolves `maxSurge`/`maxUnavailable` against a replica count: integers as they are, percentages
/// rounded up or down (`intstr.GetScaledValueFromIntOrPercent`).
pub(crate) fn scaled_value(value: Option<&IntOrString>, total: i32, round_up: bool, default: &str) -> i32 {
    let text = match value {
        Some(IntOrString::Int(n)) => return (*n).max(0),
        Some(IntOrString::String(s)) => s.clone(),
        None => default.to_string(),
    };
    if let Some(pct) = text.strip_suffix('%') {
        let pct: i64 = pct.trim().parse().unwrap_or(0);
        let scaled = pct * i64::from(total);
        let v = if round_up { (scaled + 99).div_euclid(100) } else { scaled.div_euclid(100) };
        v.clamp(0, i64::from(i32::MAX)) as i32
    } else {
        text.trim().parse::<i32>().unwrap_or(0).max(0)
    }
}

/// Pods grouped by their managing controller's uid, built once per controller pass so each
/// controller reads only its own pods.
#[derive(Default)]
pub(crate) struct PodIndex {
    pub by_owner: BTreeMap<String, Vec<ObjectKey>>,
    /// Pods without a managing controller, which a matching ReplicaSet adopts.
    pub orphans: Vec<ObjectKey>,
}

impl PodIndex {
    pub(crate) fn build(api: &ApiStore) -> PodIndex {
        let mut index = PodIndex::default();
        for (key, pod) in &api.pods {
            match controller_uid(&pod.metadata) {
                Some(uid) => index.by_owner.entry(uid.to_string()).or_default().push(key.clone()),
                None => index.orphans.push(key.clone()),
            }
        }
        index
    }

    pub(crate) fn owned(&self, uid: &str) -> &[ObjectKey] {
        self.by_owner.get(uid).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// The API's creation time of an object in virtual milliseconds (objects from before the epoch
/// sort first).
pub(crate) fn created(meta: &ObjectMeta) -> i64 {
    meta.creation_timestamp.as_ref().map(millis_of).unwrap_or(i64::MIN)
}

/// The resource version as a number, which orders objects created in the same second.
pub(crate) fn resource_version(meta: &ObjectMeta) -> u64 {
    meta.resource_version.as_deref().and_then(|v| v.parse().ok()).unwrap_or(0)
}

/// Bumps an object's resource version after a status write. Status writes wake no other
/// controller: each status is read only by controllers that run after its writer in the same pass.
pub(crate) fn touch(api: &mut ApiStore, meta: &mut ObjectMeta) {
    meta.resource_version = Some(api.next_resource_version());
}

/// Bumps an object's resource version after a spec or metadata write, which controllers react to.
pub(crate) fn touch_spec(api: &mut ApiStore, meta: &mut ObjectMeta) {
    touch(api, meta);
    api.changes.controllers_dirty = true;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaled_values_round_as_kubernetes_does() {
        let pct = |s: &str| IntOrString::String(s.to_string());
        assert_eq!(scaled_value(Some(&pct("25%")), 3, true, "25%"), 1);
        assert_eq!(scaled_value(Some(&pct("25%")), 3, false, "25%"), 0);
        assert_eq!(scaled_value(Some(&pct("25%")), 1000, false, "25%"), 250);
        assert_eq!(scaled_value(Some(&IntOrString::Int(2)), 10, false, "25%"), 2);
        assert_eq!(scaled_value(None, 10, true, "25%"), 3);
        assert_eq!(scaled_value(Some(&pct("x%")), 10, true, "25%"), 0);
    }

    #[test]
    fn hash_uses_the_name_alphabet() {
        let h = template_hash(None, None);
        assert!(!h.is_empty() && h.len() <= 10, "{h}");
        assert!(h.bytes().all(|b| NAME_ALPHABET.contains(&b)));
        assert_ne!(template_hash(None, Some(1)), h);
    }
}
