//! The world's handles: an event about a pod runtime that is gone (or never was) is a handled
//! case that does nothing, never a panic.

use super::{Ev, PodId, World};
use crate::manifest::KubeVersion;

/// Every kind of pod event, queued for a handle no runtime holds, is skipped when it comes due.
#[test]
fn stale_pod_handles_are_skipped() {
    let mut world = World::new(&["k8s-worker1".to_string()], 1, KubeVersion::V1_34);
    let pod = PodId(41);
    world.push(1_000, Ev::ProbeTick { pod, worker: 0, gen: 0 });
    world.push(1_000, Ev::ProbeDone { pod, worker: 0, gen: 0 });
    world.push(1_000, Ev::Wake { pod, slot: 0, serial: 1 });
    world.push(1_000, Ev::Continue { pod, op: 1 });
    world.push(1_000, Ev::Sync { pod });
    world.run_until(2_000);
    assert_eq!(world.now, 2_000);
    assert!(world.pod_runtime(&("default".to_string(), "web".to_string())).is_none());
    assert!(world.logs.probes.is_empty() && world.logs.trace.is_empty());
}

/// `kubectl exec` into a pod the kubelet does not run is an error, not a panic.
#[test]
fn exec_into_an_unknown_pod_is_an_error() {
    let mut world = World::new(&["k8s-worker1".to_string()], 1, KubeVersion::V1_34);
    let key = ("default".to_string(), "web".to_string());
    let err = world.exec_in(&key, "nginx", &["true".to_string()]).err();
    assert_eq!(err.as_deref(), Some("pods \"web\" not found"));
}
