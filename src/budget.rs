//! The playground's budgets, decided once: how many objects a scenario may create, how much a
//! container's shell may compute per virtual second and keep in memory, how much output and file
//! data a container keeps, and how far a run may seek. `docs/budgets.md` explains each one to the
//! learner; the values live here so that the CLI, the browser and the tests share them.
//!
//! Where a real cluster has a limit, the budget is that limit: `replicas` is an int32 (the
//! decoder's error, `manifest::decode`), names are DNS-1123 labels or subdomains
//! (`manifest::validate`), the ReplicaSet controller creates at most [`BURST_REPLICAS`] pods per
//! sync, and the kubelet rotates a container's log at [`CONTAINER_LOG_MAX_BYTES`]. Where it has none
//! (a real cluster is as large as its machines), the playground sets one small enough that the
//! simulation answers in a browser tab, and every message that reports it names it.
//!
//! # Layout
//! - `objects`: the pod limit as the manifest checks it (located diagnostics) and as the API
//!   server admits pods at run time (a quota-like `Forbidden`), with the controllers' retry back-off.

pub mod objects;

use crate::duration::Millis;

/// The most pods the playground's cluster holds at once. A real cluster has no such limit (only
/// 110 pods per node, `api::MAX_PODS_PER_NODE`); the playground's keeps a scenario simulable: the
/// engine benchmark runs 1,000 pods for an hour in under a second, and twice that leaves room for
/// a rolling update of such a Deployment (its surge) without letting `replicas: 1000000` take the
/// page down. A manifest that asks for more is refused with a located error, `kubectl scale`
/// refuses a larger count, and a controller that would go beyond reports `FailedCreate`.
pub const MAX_PODS: usize = 2000;

/// The most objects other than pods (workloads, Services, ConfigMaps, Secrets) a scenario may
/// create. Each one costs the controllers work at every pass, so the bound keeps a pass cheap; a
/// course's lab uses a handful.
pub const MAX_OBJECTS: usize = 2000;

/// The largest object the API server stores. etcd refuses a request over its
/// `--max-request-bytes` (1.5 MiB by default) with `etcdserver: request is too large`, and the API
/// server passes that on (`staging/src/k8s.io/apiserver/pkg/storage/etcd3/store.go`); an object's
/// JSON encoding is what it sends.
pub const MAX_OBJECT_BYTES: usize = 3 * 512 * 1024;

/// The ReplicaSet controller's `burstReplicas`: the most pods it creates (or deletes) in one sync
/// (`BurstReplicas` in `pkg/controller/replicaset/replica_set.go`). It creates them in slow-start
/// batches of 1, 2, 4, ... (`slowStartBatch`, starting at `controller.SlowStartInitialBatchSize`)
/// and stops at the first batch with a failure.
pub const BURST_REPLICAS: usize = 500;

/// `controller.SlowStartInitialBatchSize`: the first slow-start batch.
pub const SLOW_START_INITIAL_BATCH: usize = 1;

/// A controller whose sync failed is retried after a back-off that starts here and doubles with
/// every failure, as client-go's default controller rate limiter does
/// (`workqueue.DefaultTypedControllerRateLimiter`: `ItemExponentialFailureRateLimiter(5ms, 1000s)`).
pub const RETRY_BASE: Millis = 5;

/// The longest retry back-off of a failing controller sync (1000 s).
pub const RETRY_MAX: Millis = 1_000_000;

/// Shell instructions a process may execute per virtual second. A real container without a CPU
/// limit runs a busy loop as fast as the machine allows; the playground's shell pays 1 ms of virtual
/// time per idle loop iteration (`container::shell::BUSY_ITERATION`) and, past this many
/// instructions in one virtual second, is throttled until the next one, as the kernel's CFS quota
/// throttles a CPU-limited container (world-semantics.md, "CPU limits"). So
/// `while true; do :; done` costs a bounded amount of real time per virtual second however long
/// a run seeks, and the learner is told once per container instance (a `Throttled` warning
/// event on the pod, and a line in the terminal for `kubectl exec`).
pub const SHELL_STEPS_PER_SECOND: u32 = 1000;

/// The memory a shell process may hold in its variables and in the words it expands, in bytes. A
/// process that would hold more is killed as the kernel's OOM killer kills the largest process of a
/// container over its memory: by SIGKILL, exit code 137 (world-semantics.md, "OOM kill"); a
/// container's main process so killed makes the container `OOMKilled`. 16 MiB is far above what a
/// script keeps and small enough that `a=x; while true; do a="$a$a"; done` ends within a few
/// dozen iterations.
pub const SHELL_MEMORY_BYTES: usize = 16 << 20;

/// The file data (contents and names) a container may write into its own file system; a write
/// beyond fails with `No space left on device`, as on a full disk. Single files are also capped at
/// `container::fs::MAX_FILE_BYTES` and entries at `container::fs::MAX_OVERLAY_ENTRIES`.
pub const FS_MAX_BYTES: usize = 32 << 20;

/// The kubelet's `containerLogMaxSize` default (10Mi): when a container's log file grows beyond
/// it, the kubelet rotates it (`pkg/kubelet/logs/container_log_manager.go`), and `kubectl logs`
/// reads only the current file, so what was written before the rotation is no longer shown.
pub const CONTAINER_LOG_MAX_BYTES: usize = 10 << 20;

/// The kubelet's `containerLogMaxFiles` default (5): the current file and four rotated ones are
/// kept on the node. `kubectl logs` shows none of the rotated ones, so the playground keeps only
/// the current file's lines.
pub const CONTAINER_LOG_MAX_FILES: usize = 5;

/// How far a run may go: the CLI's `--until`, a link's or an embed's start time, a seek in the
/// browser. Share links and embeds already stop at 24 hours (`share::MAX_TIME_MS`,
/// `embed::MAX_TIME_MS`); the same horizon holds everywhere, so a scenario behaves the
/// same in both front ends and memory stays bounded (events expire after an hour, logs rotate,
/// the probe log grows with the number of probe runs).
pub const SEEK_HORIZON: Millis = 24 * 60 * 60 * 1000;

/// The words every budget message carries, so that the CLI can tell a file or a run that a
/// playground limit refused (exit code 3) from one that Kubernetes would refuse (exit code 1).
pub const LIMIT_WORDS: &str = "the playground's limit";

/// Whether a message reports a playground limit (see [`LIMIT_WORDS`]).
pub fn is_limit_message(message: &str) -> bool {
    message.contains(LIMIT_WORDS)
}

/// The warning event's reason when a container's shell is throttled.
pub const THROTTLED_REASON: &str = "Throttled";

/// The message of the warning event (and of the terminal line for `kubectl exec`) when a shell
/// used up its compute for a virtual second.
pub fn throttled_message(container: &str) -> String {
    format!(
        "Container {container} reached {LIMIT_WORDS} of {SHELL_STEPS_PER_SECOND} shell steps per virtual second; it is throttled and resumes at the next second"
    )
}

/// The line `kubectl exec` adds to the terminal when the command was throttled.
pub fn exec_throttled_line() -> String {
    format!(
        "Warning: the command reached {LIMIT_WORDS} of {SHELL_STEPS_PER_SECOND} shell steps per virtual second; it was throttled to that rate\n"
    )
}

/// The retry back-off after `failures` consecutive failed syncs (1 for the first failure).
pub fn retry_backoff(failures: u32) -> Millis {
    let doublings = failures.saturating_sub(1).min(30);
    RETRY_BASE.saturating_mul(1 << doublings).min(RETRY_MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_horizon_is_the_links_and_the_embeds() {
        assert_eq!(SEEK_HORIZON, crate::share::MAX_TIME_MS);
        assert_eq!(SEEK_HORIZON, crate::embed::MAX_TIME_MS);
    }

    #[test]
    fn retries_back_off_exponentially_up_to_the_maximum() {
        assert_eq!((retry_backoff(1), retry_backoff(2), retry_backoff(3)), (5, 10, 20));
        assert_eq!((retry_backoff(18), retry_backoff(19)), (655_360, RETRY_MAX));
        assert_eq!(retry_backoff(u32::MAX), RETRY_MAX);
    }

    #[test]
    fn limit_messages_are_recognised() {
        assert!(is_limit_message(&throttled_message("c")));
        assert!(!is_limit_message("Invalid value: -1: must be greater than or equal to 0"));
    }
}
