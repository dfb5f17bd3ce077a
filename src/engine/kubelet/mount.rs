//! Waiting for a pod's ConfigMap and Secret volumes before its sandbox exists
//! (`pkg/kubelet/volumemanager/volume_manager.go` WaitForAttachAndMount,
//! `pkg/util/goroutinemap/exponentialbackoff/exponential_backoff.go`).
//!
//! The volume manager retries each failing mount on its own back-off (500 ms, doubling, at most
//! 2m2s), recording `FailedMount` at each failure; the pod worker's sync waits for the volumes up
//! to 2m3s, then records `Unable to attach or mount volumes: ...` and is requeued after the error
//! period. Every wait is an instant on the event queue (a retry or the deadline), never a poll.
//! Once the object exists, the next retry mounts the volume and the waiting sync goes on to start
//! the containers (world-semantics.md, "Volumes from a missing ConfigMap/Secret").

use super::super::config::{is_config_volume, project};
use super::super::{PodId, World};
use super::{kubelet_source, ERROR_REQUEUE};
use crate::api::ObjectRef;
use crate::duration::{Millis, SECOND};

/// The first retry delay of a failed mount, and the most it grows to.
const MOUNT_BACKOFF_INITIAL: Millis = 500;
const MOUNT_BACKOFF_MAX: Millis = 122 * SECOND;
/// `podAttachAndMountTimeout`.
const ATTACH_AND_MOUNT_TIMEOUT: Millis = 123 * SECOND;

impl World {
    /// Whether the sync may go on to start containers: the pod's ConfigMap and Secret volumes are
    /// mounted (mounting those whose retry is due). Otherwise the sync waits, and the next retry
    /// or the wait's deadline is queued.
    pub(super) fn volumes_ready(&mut self, id: PodId) -> bool {
        let now = self.now;
        let Some(rt) = self.pods.get_mut(id) else { return false };
        if rt.mount.mounted || rt.deleting {
            return true;
        }
        let volumes: Vec<_> =
            rt.spec.volumes.iter().flatten().filter(|v| is_config_volume(v)).cloned().collect();
        let ns = rt.namespace.to_string();
        let mut failures = Vec::new();
        for v in &volumes {
            if rt.volumes.contains_key(&v.name) {
                continue;
            }
            let retry = rt.mount.retries.iter().position(|r| r.0 == v.name);
            if retry.is_some_and(|i| rt.mount.retries[i].1 > now) {
                continue;
            }
            match project(&self.api, &ns, v) {
                Some(Ok(tree)) => {
                    rt.volumes.insert(v.name.clone(), tree);
                    if let Some(i) = retry {
                        rt.mount.retries.remove(i);
                    }
                }
                Some(Err(e)) => {
                    let delay = retry.map_or(MOUNT_BACKOFF_INITIAL, |i| rt.mount.retries[i].2);
                    let entry = (v.name.clone(), now + delay, (delay * 2).min(MOUNT_BACKOFF_MAX));
                    match retry {
                        Some(i) => rt.mount.retries[i] = entry,
                        None => rt.mount.retries.push(entry),
                    }
                    failures.push(format!("MountVolume.SetUp failed for volume {:?} : {e}", v.name));
                }
                None => {}
            }
        }
        let pending: Vec<String> =
            volumes.iter().filter(|v| !rt.volumes.contains_key(&v.name)).map(|v| v.name.clone()).collect();
        let obj = ObjectRef {
            kind: "Pod".to_string(),
            namespace: rt.namespace.to_string(),
            name: rt.name.to_string(),
            uid: rt.uid.clone(),
            field_path: String::new(),
        };
        let source = kubelet_source(&rt.node);
        let resting = rt.mount.resume_at.is_some_and(|r| now < r);
        if pending.is_empty() {
            rt.mount.mounted = true;
            rt.mount.waiting_since = None;
        }
        let mut unattached: Vec<String> = rt.spec.volumes.iter().flatten().map(|v| v.name.clone()).collect();
        unattached.sort();
        let next_retry = rt.mount.retries.iter().map(|r| r.1).min();
        let mut wakes = Vec::new();
        let mut timed_out = None;
        if !pending.is_empty() && !resting {
            let since = *rt.mount.waiting_since.get_or_insert(now);
            let deadline = since + ATTACH_AND_MOUNT_TIMEOUT;
            if now >= deadline {
                rt.mount.waiting_since = None;
                rt.mount.resume_at = Some(now + ERROR_REQUEUE);
                wakes.push(now + ERROR_REQUEUE);
                let mut unmounted = pending.clone();
                unmounted.sort();
                timed_out = Some(format!(
                    "Unable to attach or mount volumes: unmounted volumes=[{}], unattached volumes=[{}]: timed out waiting for the condition",
                    unmounted.join(" "),
                    unattached.join(" ")
                ));
            } else {
                wakes.push(deadline);
            }
        }
        if !pending.is_empty() {
            wakes.extend(next_retry);
        }
        if !resting {
            rt.mount.resume_at = rt.mount.resume_at.filter(|r| *r > now);
        }
        let proceed = pending.is_empty() && !resting;
        for message in failures {
            self.recorder.record(&mut self.api, now, &source, &obj, "Warning", "FailedMount", &message);
        }
        if let Some(message) = timed_out {
            self.recorder.record(&mut self.api, now, &source, &obj, "Warning", "FailedMount", &message);
        }
        for at in wakes {
            self.request_sync(id, at);
        }
        proceed
    }
}
