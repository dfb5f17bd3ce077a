//! The pod and object limits of `crate::budget`, where they are enforced: a scenario file is
//! checked object by object as it is parsed (a located error on the field that goes over), and at
//! run time the API server admits a pod only while the cluster holds fewer than [`MAX_PODS`], with
//! the words of a pod-count ResourceQuota (`plugin/pkg/admission/resourcequota`), so a controller
//! that runs into the limit reports `FailedCreate` as it would under a quota.

use crate::api::ApiStore;
use crate::duration::Millis;
use crate::manifest::Object;

use super::{retry_backoff, LIMIT_WORDS, MAX_OBJECTS, MAX_OBJECT_BYTES, MAX_PODS};

/// Why the manifest refuses an object: the field to point at and the message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub path: &'static str,
    pub message: String,
}

/// The pods an object asks for when it is created: one for a Pod, its replicas for a workload
/// (`replicas` defaults to 1). A DaemonSet's pods depend on the nodes and are counted when the
/// controller creates them.
pub fn pods_asked(object: &Object) -> usize {
    let replicas = |r: Option<i32>| r.unwrap_or(1).max(0) as usize;
    match object {
        Object::Pod(_) => 1,
        Object::Deployment(d) => replicas(d.spec.as_ref().and_then(|s| s.replicas)),
        Object::ReplicaSet(r) => replicas(r.spec.as_ref().and_then(|s| s.replicas)),
        Object::StatefulSet(s) => replicas(s.spec.as_ref().and_then(|s| s.replicas)),
        _ => 0,
    }
}

/// Whether the file's next object goes over a limit, given the objects before it. A workload that
/// asks for more pods than the limit on its own, or together with the earlier objects, is refused
/// at `spec.replicas`; a Pod past the limit, or an object past the object limit, at its name; an
/// object whose JSON is larger than etcd stores, with etcd's words.
pub fn refusal(earlier: &[(Object, usize)], object: &Object) -> Option<Refusal> {
    if encoded_len(object) > MAX_OBJECT_BYTES {
        return Some(Refusal { path: "", message: "etcdserver: request is too large".to_string() });
    }
    let asked = pods_asked(object);
    if asked > 0 {
        let before: usize = earlier.iter().map(|(o, _)| pods_asked(o)).sum();
        let total = before.saturating_add(asked);
        if total > MAX_PODS {
            let with_others = if before > 0 {
                format!(" (with the {before} pods the objects above ask for, {total})")
            } else {
                String::new()
            };
            return Some(match object {
                Object::Pod(_) => Refusal {
                    path: "metadata.name",
                    message: format!(
                        "Forbidden: this pod would be pod {total}, beyond {LIMIT_WORDS} of {MAX_PODS} pods"
                    ),
                },
                _ => Refusal {
                    path: "spec.replicas",
                    message: format!(
                        "Invalid value: {asked}: exceeds {LIMIT_WORDS} of {MAX_PODS} pods{with_others}"
                    ),
                },
            });
        }
    } else if !matches!(object, Object::Pod(_)) {
        let others = earlier.iter().filter(|(o, _)| !matches!(o, Object::Pod(_))).count();
        if others >= MAX_OBJECTS {
            return Some(Refusal {
                path: "metadata.name",
                message: format!("Forbidden: exceeds {LIMIT_WORDS} of {MAX_OBJECTS} objects besides pods"),
            });
        }
    }
    None
}

/// The length of the object's JSON encoding, what `kubectl` sends and etcd stores.
fn encoded_len(object: &Object) -> usize {
    let len = match object {
        Object::Pod(o) => serde_json::to_vec(o).map(|v| v.len()),
        Object::Service(o) => serde_json::to_vec(o).map(|v| v.len()),
        Object::Deployment(o) => serde_json::to_vec(o).map(|v| v.len()),
        Object::StatefulSet(o) => serde_json::to_vec(o).map(|v| v.len()),
        Object::DaemonSet(o) => serde_json::to_vec(o).map(|v| v.len()),
        Object::ReplicaSet(o) => serde_json::to_vec(o).map(|v| v.len()),
        Object::ConfigMap(o) => serde_json::to_vec(o).map(|v| v.len()),
        Object::Secret(o) => serde_json::to_vec(o).map(|v| v.len()),
        Object::Namespace(o) => serde_json::to_vec(o).map(|v| v.len()),
        Object::EndpointSlice(o) => serde_json::to_vec(o).map(|v| v.len()),
    };
    len.unwrap_or(0)
}

/// The API server's admission of one more pod named `name`: refused with a pod-count quota's
/// words once the cluster holds [`MAX_PODS`] pods, the quota being the playground's.
pub fn admit_pod(api: &ApiStore, name: &str) -> Result<(), String> {
    let used = api.pods.len();
    if used < MAX_PODS {
        return Ok(());
    }
    Err(format!(
        "pods \"{name}\" is forbidden: exceeded quota: playground, requested: pods=1, used: pods={used}, limited: pods={MAX_PODS}"
    ))
}

/// `kubectl scale`'s check of the new count: a workload may not ask for more pods than the
/// playground holds. A real cluster would accept the count and its controller would fail to create
/// the pods beyond a quota; refusing at once keeps the learner's command from filling the
/// cluster with failures, and says why.
pub fn admit_scale(resource: &str, name: &str, replicas: i32) -> Result<(), String> {
    if usize::try_from(replicas).is_ok_and(|r| r <= MAX_PODS) {
        return Ok(());
    }
    Err(format!(
        "error: cannot scale {resource}/{name} to {replicas} replicas: that exceeds {LIMIT_WORDS} of {MAX_PODS} pods"
    ))
}

/// A controller's failed creations: how many syncs in a row failed and when it tries again.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Backoff {
    pub failures: u32,
    pub retry_at: Millis,
}

/// Whether the controller owning `uid` waits before it tries to create pods again: it does while
/// its back-off runs and the cluster is still full. A pod leaving the cluster would wake a real
/// controller through its informer, so room in the cluster ends the wait.
pub fn waiting(api: &ApiStore, uid: &str, now: Millis) -> Option<Millis> {
    let b = api.create_backoff.get(uid)?;
    (b.retry_at > now && api.pods.len() >= MAX_PODS).then_some(b.retry_at)
}

/// Records a sync whose creations failed; returns when the controller tries again.
pub fn failed(api: &mut ApiStore, uid: &str, now: Millis) -> Millis {
    let b = api.create_backoff.entry(uid.to_string()).or_default();
    b.failures = b.failures.saturating_add(1);
    b.retry_at = now.saturating_add(retry_backoff(b.failures));
    b.retry_at
}

/// Records a sync that created what it wanted (client-go's `Forget`).
pub fn succeeded(api: &mut ApiStore, uid: &str) {
    if !api.create_backoff.is_empty() {
        api.create_backoff.remove(uid);
    }
}

/// The sizes of `slowStartBatch`'s batches for `count` creations: 1, 2, 4, ... until the count.
pub fn slow_start_batches(count: usize) -> impl Iterator<Item = usize> {
    let mut remaining = count;
    let mut size = super::SLOW_START_INITIAL_BATCH;
    std::iter::from_fn(move || {
        if remaining == 0 {
            return None;
        }
        let batch = size.min(remaining);
        remaining -= batch;
        size = size.saturating_mul(2);
        Some(batch)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slow_start_doubles_each_batch() {
        assert_eq!(slow_start_batches(10).collect::<Vec<_>>(), vec![1, 2, 4, 3]);
        assert_eq!(slow_start_batches(500).sum::<usize>(), 500);
        assert_eq!(slow_start_batches(0).count(), 0);
    }
}
