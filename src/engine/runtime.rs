//! The kubelet's record of one pod: its containers (slots), their instances, the back-off and
//! reason caches, and a blocked sync's remaining plan. Plain data with the small queries every part
//! of the engine asks of it; the behaviour lives in `kubelet`, `prober`, `status` and `containers`.

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use k8s_openapi::api::core::v1::{Container as ContainerSpec, PodSpec};

use super::worker::Worker;
use super::PodId;
use crate::api::{ObjectKey, ObjectRef};
use crate::container::Container;
use crate::duration::Millis;
use crate::fnv::fnv64;

/// A pod's `spec.restartPolicy` (`pkg/apis/core/types.go` RestartPolicy). The API defaults it to
/// `Always`, and validation admits only these three, so decoding never fails: a missing value is
/// the default.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RestartPolicy {
    Always,
    OnFailure,
    Never,
}

impl RestartPolicy {
    /// Decodes the API field.
    pub fn of(spec: &PodSpec) -> RestartPolicy {
        match spec.restart_policy.as_deref() {
            Some("Never") => RestartPolicy::Never,
            Some("OnFailure") => RestartPolicy::OnFailure,
            _ => RestartPolicy::Always,
        }
    }
}

/// A container's `imagePullPolicy` (`pkg/apis/core/types.go` PullPolicy); the API defaults it
/// (`Always` for `:latest`, `IfNotPresent` otherwise), so a missing value means `IfNotPresent`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PullPolicy {
    Always,
    IfNotPresent,
    Never,
}

impl PullPolicy {
    /// Decodes the API field.
    pub fn of(spec: &ContainerSpec) -> PullPolicy {
        match spec.image_pull_policy.as_deref() {
            Some("Always") => PullPolicy::Always,
            Some("Never") => PullPolicy::Never,
            _ => PullPolicy::IfNotPresent,
        }
    }
}

/// Why a container that is not running waits, as the reason cache keeps it
/// (`pkg/kubelet/container/sync_result.go`, `pkg/kubelet/images/types.go`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitingReason {
    CrashLoopBackOff,
    PostStartHookError,
    ErrImagePull,
    ImagePullBackOff,
    InvalidImageName,
    ErrImageNeverPull,
    RunContainerError,
    /// The container's configuration (its variables from ConfigMaps and Secrets) could not be built.
    CreateContainerConfigError,
}

impl WaitingReason {
    /// The reason as the API status writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            WaitingReason::CrashLoopBackOff => "CrashLoopBackOff",
            WaitingReason::PostStartHookError => "PostStartHookError",
            WaitingReason::ErrImagePull => "ErrImagePull",
            WaitingReason::ImagePullBackOff => "ImagePullBackOff",
            WaitingReason::InvalidImageName => "InvalidImageName",
            WaitingReason::ErrImageNeverPull => "ErrImageNeverPull",
            WaitingReason::RunContainerError => "RunContainerError",
            WaitingReason::CreateContainerConfigError => "CreateContainerConfigError",
        }
    }
}

/// How a container's main process ended, as the runtime reports it
/// (`pkg/kubelet/kuberuntime/kuberuntime_container.go` toKubeContainerStatus).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitReason {
    Completed,
    Error,
    /// The runtime could not start the process (containerd `internal/cri/server/container_start.go`).
    StartError,
    /// The container went over its memory limit and the kernel killed it (containerd sets the
    /// reason whenever it saw a TaskOOM event, whatever the exit code).
    OomKilled,
}

impl ExitReason {
    /// The reason for an exit code: 0 is `Completed`, anything else `Error`.
    pub fn of(code: i32) -> ExitReason {
        if code == 0 {
            ExitReason::Completed
        } else {
            ExitReason::Error
        }
    }

    /// The reason as the API status writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            ExitReason::Completed => "Completed",
            ExitReason::Error => "Error",
            ExitReason::StartError => "StartError",
            ExitReason::OomKilled => "OOMKilled",
        }
    }
}

/// What kind of container a slot holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlotKind {
    Init,
    Sidecar,
    Regular,
}

/// One container instance (one container ID).
#[derive(Clone, Debug)]
pub struct Instance {
    pub id: String,
    pub restart_count: i32,
    pub proc: Container,
    pub started_at: Millis,
    /// Exit code, finish time and runtime reason once the main process has ended.
    pub exit: Option<(i32, Millis, ExitReason)>,
    /// The process wake currently queued for this instance, to drop stale ones.
    pub wake_at: Option<Millis>,
    /// `terminated.message`, read when the main process ended (`engine/termination.rs`).
    pub termination_message: Option<String>,
    pub serial: u64,
    /// The message of a start error: such an instance never ran (its start time reads as the Unix
    /// epoch in the status).
    pub start_error: Option<String>,
    /// The hash of the container definition it was started from ([`container_hash`]); the
    /// kubelet restarts an instance whose definition has changed since.
    pub hash: u64,
}

/// One container of the pod spec and its instances (the two newest are kept, as the status needs).
#[derive(Clone, Debug)]
pub struct Slot {
    pub name: Rc<str>,
    pub kind: SlotKind,
    pub spec: ContainerSpec,
    pub hash: u64,
    pub instances: Vec<Instance>,
    /// What the last published API status says of this container, which is what probe workers
    /// read (`pkg/kubelet/prober/worker.go` doProbe step 3): they see a container only once the kubelet has reported it.
    pub published: Option<Published>,
}

/// A container's state in the last published status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Published {
    /// The serial number of the instance the status names.
    pub serial: u64,
    pub running: bool,
    pub terminated: bool,
    pub started: bool,
}

impl Slot {
    /// The newest instance.
    pub fn latest(&self) -> Option<&Instance> {
        self.instances.last()
    }

    /// The newest instance if it is running.
    pub fn running_mut(&mut self) -> Option<&mut Instance> {
        self.instances.last_mut().filter(|i| i.exit.is_none())
    }

    pub fn is_running(&self) -> bool {
        self.instances.last().is_some_and(|i| i.exit.is_none())
    }

    /// The most recently created instance that has exited, with its finish time.
    pub(crate) fn last_exited(&self) -> Option<Millis> {
        self.instances.iter().rev().find_map(|i| i.exit.as_ref().map(|e| e.1))
    }
}

/// A CrashLoopBackOff entry (`pkg/kubelet/kuberuntime/kuberuntime_manager.go` doBackOff).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Backoff {
    pub(crate) backoff: Millis,
    pub(crate) last_update: Millis,
}

/// One container being stopped inside a blocked sync.
#[derive(Clone, Debug)]
pub(crate) struct KillJob {
    pub(crate) slot: usize,
    pub(crate) serial: u64,
    pub(crate) term_at: Millis,
    pub(crate) kill_at: Millis,
    pub(crate) termed: bool,
}

/// The rest of a sync that is waiting for something.
#[derive(Clone, Debug)]
pub(crate) struct Plan {
    pub(crate) op: u64,
    /// For each slot, the finish time of the newest exited instance at sync start (`pkg/kubelet/kuberuntime/kuberuntime_manager.go` doBackOff step 1).
    pub(crate) exited_at_start: Vec<Option<Millis>>,
    pub(crate) kills: Vec<KillJob>,
    pub(crate) starts: Vec<usize>,
    /// Terminate the pod once the kills are done (deletion, or nothing left to run).
    pub(crate) terminate: bool,
    /// Waiting for a postStart hook until this instant.
    pub(crate) hook_until: Option<Millis>,
    pub(crate) error: bool,
    pub(crate) backoff_until: Option<Millis>,
    /// A container start waiting for its image pull: the slot, when the pull was asked for, and
    /// what the puller said (`engine/kubelet/pull.rs`).
    pub(crate) pulling: Option<(usize, Millis, super::images::Queued)>,
}

/// The kubelet's state for one pod.
#[derive(Clone, Debug)]
pub struct PodRuntime {
    pub id: PodId,
    pub key: ObjectKey,
    pub name: Rc<str>,
    pub namespace: Rc<str>,
    pub uid: String,
    pub node: String,
    pub ip: String,
    /// The host part of `ip` in the node's /24, for returning it to the pool.
    pub(crate) host_octet: Option<u32>,
    pub spec: PodSpec,
    /// `spec.restartPolicy`, decoded once when the runtime is created.
    pub restart_policy: RestartPolicy,
    pub slots: Vec<Slot>,
    pub workers: Vec<Worker>,
    pub(crate) backoff: BTreeMap<(usize, u64), Backoff>,
    /// The image pull back-off and the last pull error of each image of this pod
    /// (`pkg/kubelet/images/image_manager.go`, keyed `<pod UID>_<image>`: the pod's UID is this
    /// runtime's).
    pub(crate) image_backoff: BTreeMap<String, (Backoff, String)>,
    /// The reason cache (`pkg/kubelet/kubelet.go` SyncPod step 4): the last start failure per slot.
    pub reasons: BTreeMap<usize, (WaitingReason, String)>,
    /// Pod volumes (every kind is simulated as an emptyDir shared by the pod's containers): their
    /// contents, as the last container that changed them left them.
    pub(crate) volumes: BTreeMap<String, VolumeTree>,
    /// The volume manager's progress with the pod's ConfigMap and Secret volumes.
    pub(crate) mount: MountState,
    pub(crate) pending_syncs: BTreeSet<Millis>,
    pub(crate) requeue_at: Option<Millis>,
    pub(crate) plan: Option<Plan>,
    pub(crate) sync_after_block: bool,
    pub(crate) workers_created: bool,
    pub start_time: Option<Millis>,
    pub deleting: bool,
    /// All containers stopped for good: the pod is terminal and its workers are gone.
    pub terminal: bool,
    /// A status has been published; its phase is terminal.
    pub status_published: bool,
    pub published_terminal: bool,
    /// Bumped by every change status generation depends on; status is regenerated only when it moved.
    pub version: u64,
    pub(crate) generated_version: u64,
    pub(crate) next_op: u64,
    pub(crate) next_serial: u64,
}

impl PodRuntime {
    /// The slot of a container by name.
    pub fn slot_index(&self, name: &str) -> Option<usize> {
        self.slots.iter().position(|s| &*s.name == name)
    }

    fn object_ref(&self, field_path: String) -> ObjectRef {
        ObjectRef {
            kind: "Pod".to_string(),
            namespace: self.namespace.to_string(),
            name: self.name.to_string(),
            uid: self.uid.clone(),
            field_path,
        }
    }

    pub(crate) fn container_ref(&self, slot: usize) -> ObjectRef {
        let s = &self.slots[slot];
        let field = match s.kind {
            SlotKind::Regular => format!("spec.containers{{{}}}", s.name),
            _ => format!("spec.initContainers{{{}}}", s.name),
        };
        self.object_ref(field)
    }

    /// Whether `ShouldContainerBeRestarted` holds for a slot whose newest instance is not running.
    pub(crate) fn should_restart(&self, slot: usize) -> bool {
        if self.deleting {
            return false;
        }
        let s = &self.slots[slot];
        let Some(last) = s.latest() else { return true };
        let Some((code, _, _)) = &last.exit else { return false };
        if s.kind == SlotKind::Sidecar {
            return true;
        }
        match self.restart_policy {
            RestartPolicy::Never => false,
            RestartPolicy::OnFailure => *code != 0,
            RestartPolicy::Always => true,
        }
    }
}

/// The volume manager's progress with one pod's ConfigMap and Secret volumes (`kubelet/mount.rs`).
#[derive(Clone, Debug, Default)]
pub(crate) struct MountState {
    /// Every ConfigMap and Secret volume is mounted.
    pub(crate) mounted: bool,
    /// Failing volumes: when the next attempt may run, and the delay after it.
    pub(crate) retries: Vec<(String, Millis, Millis)>,
    /// When the pod worker's current sync began to wait, if one waits.
    pub(crate) waiting_since: Option<Millis>,
    /// After a wait timed out, the pod worker syncs again at this instant.
    pub(crate) resume_at: Option<Millis>,
}

/// A volume's files: paths relative to the mount point, with contents (`None` for directories).
pub(crate) type VolumeTree = Vec<(String, Option<String>)>;

/// The (volume, mount path) pairs of a container.
pub(crate) fn mounts(spec: &ContainerSpec) -> Vec<(String, String)> {
    spec.volume_mounts.iter().flatten().map(|m| (m.name.clone(), m.mount_path.clone())).collect()
}

/// The hash of a container's definition: a changed hash restarts the container
/// (`pkg/kubelet/container/helpers.go` HashContainer).
pub(crate) fn container_hash(spec: &ContainerSpec) -> u64 {
    fnv64(serde_json::to_string(spec).unwrap_or_default().as_bytes())
}
