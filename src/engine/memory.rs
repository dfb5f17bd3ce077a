//! A container's memory limit as its cgroup enforces it (`memory.max`, from `limits.memory`).
//! On cgroup v2 the kubelet also sets `memory.oom.group`, so an allocation over the limit
//! SIGKILLs the whole container: its main process dies of signal 9, exit code 137, and the
//! runtime reports `OOMKilled` (world-semantics.md, "OOM kill"; containerd
//! `internal/cri/server/events.go`). The check itself is in `containers.rs`, where a process's
//! progress is noticed.

use k8s_openapi::api::core::v1::Container;

use crate::quantity::milli_units;

/// `limits.memory` in bytes, if the container sets one.
pub(crate) fn limit_bytes(c: &Container) -> Option<u64> {
    let q = c.resources.as_ref()?.limits.as_ref()?.get("memory")?;
    let bytes = milli_units(&q.0)? / 1000;
    u64::try_from(bytes).ok()
}
