//! Two records the UI's timeline needs that neither the API nor the kubelet trace keeps: when a
//! container's `ready` flag *as the API shows it* changed (so the READY lane agrees with
//! `kubectl get pods` to the second, including the lag of one sync behind the runtime), and when the
//! kubelet sent a stop signal (so a kill is drawn as SIGTERM, the grace period and SIGKILL, as
//! `pkg/kubelet/kuberuntime/kuberuntime_container.go` killContainer sends them).
//!
//! Both are appended only when something changes, so a healthy cluster adds nothing to them.

use std::rc::Rc;

use k8s_openapi::api::core::v1::PodStatus;
use serde::Serialize;

use super::World;
use crate::api::ObjectKey;
use crate::duration::Millis;

/// A container's `ready` as the API shows it became `ready`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReadyChange {
    pub at: Millis,
    pub namespace: Rc<str>,
    pub pod: Rc<str>,
    pub container: Rc<str>,
    pub ready: bool,
}

/// A signal the kubelet sent to stop a container: its stop signal (SIGTERM unless the image says
/// otherwise) once the preStop hook is done, or SIGKILL when the grace period ran out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SignalSent {
    pub at: Millis,
    pub namespace: Rc<str>,
    pub pod: Rc<str>,
    pub container: Rc<str>,
    /// The signal's Linux number (15 for SIGTERM, 9 for SIGKILL).
    pub signal: i32,
}

impl World {
    /// Writes a pod's status to the API, noting each container whose `ready` flag changed.
    pub(crate) fn set_pod_status_noted(&mut self, key: &ObjectKey, status: PodStatus) {
        let previous = self.api.pods.get(key).and_then(|p| p.status.as_ref());
        let was_ready = |name: &str| {
            previous
                .and_then(|s| s.container_statuses.as_ref())
                .and_then(|all| all.iter().find(|c| c.name == name))
                .is_some_and(|c| c.ready)
        };
        let mut changes = Vec::new();
        for cs in status.container_statuses.iter().flatten() {
            if cs.ready != was_ready(&cs.name) {
                changes.push((cs.name.clone(), cs.ready));
            }
        }
        if self.api.set_pod_status(key, status) {
            let (namespace, pod): (Rc<str>, Rc<str>) = (key.0.as_str().into(), key.1.as_str().into());
            for (container, ready) in changes {
                self.logs.ready.push(ReadyChange {
                    at: self.now,
                    namespace: namespace.clone(),
                    pod: pod.clone(),
                    container: container.into(),
                    ready,
                });
            }
        }
    }

    /// Notes a stop signal sent to a container of a pod runtime.
    pub(crate) fn note_signal(&mut self, id: super::PodId, slot: usize, signal: i32) {
        let Some(rt) = self.pods.get(id) else { return };
        let record = SignalSent {
            at: self.now,
            namespace: rt.namespace.clone(),
            pod: rt.name.clone(),
            container: rt.slots[slot].name.clone(),
            signal,
        };
        self.logs.signals.push(record);
    }
}
