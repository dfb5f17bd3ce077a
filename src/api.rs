//! The API server's object store: what `kubectl` reads.
//!
//! Objects are the real Kubernetes API types from `k8s-openapi`, so printers format them exactly as
//! `kubectl` formats a real cluster's objects. The kubelet writes pod status here; controllers create
//! and delete pods; printers only read. Every mutation of a pod goes through a method that records
//! the change, so the kubelet and the controllers react to changes instead of scanning every object.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::core::v1::{ConfigMap, Endpoints, Namespace, Node, Pod, Secret, Service};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use serde::Serialize;

use crate::duration::Millis;

mod namespaces;

pub use namespaces::{
    namespace_object, namespace_uid, ApiRefusal, BUILTIN_NAMESPACES, KUBERNETES_FINALIZER, NAME_LABEL,
};

/// Objects are keyed by namespace then name, which is also the order `kubectl get` lists them in.
pub type ObjectKey = (String, String);

/// The wall-clock instant that virtual time 0 stands for, in Unix seconds (Mon, 01 Sep 2025 09:00:00 UTC).
/// Timestamps in `describe` and `-o yaml` are derived from it; nothing reads the real clock.
pub const EPOCH_UNIX_SECONDS: i64 = 1_756_717_200;

/// The API timestamp for a virtual instant. The API stores whole seconds, as `metav1.Time` does.
pub fn timestamp(at: Millis) -> Time {
    let secs = EPOCH_UNIX_SECONDS + (at / 1000) as i64;
    Time(k8s_openapi::jiff::Timestamp::from_second(secs).expect("virtual time stays within jiff's range"))
}

/// The virtual instant (milliseconds) an API timestamp stands for; instants before the epoch give
/// negative values.
pub fn millis_of(time: &Time) -> i64 {
    (time.0.as_second() - EPOCH_UNIX_SECONDS) * 1000
}

/// Formats an API timestamp as `kubectl describe` does (RFC 1123 with numeric zone):
/// `Mon, 01 Sep 2025 09:00:00 +0000`.
pub fn rfc1123z(time: &Time) -> String {
    time.0.strftime("%a, %d %b %Y %H:%M:%S +0000").to_string()
}

/// One Event object as the API holds it after the recorder's de-duplication (`staging/src/k8s.io/client-go/tools/record/events_cache.go`): repeats of the
/// same event raise `count` and move `last`.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    /// The Event object's own name, `<object>.<16 hex digits>` as client-go generates it.
    pub name: String,
    pub namespace: String,
    pub involved: ObjectRef,
    /// `Normal` or `Warning`.
    pub type_: String,
    pub reason: String,
    pub message: String,
    pub count: u32,
    pub first: Millis,
    pub last: Millis,
    /// `source.component`: `kubelet`, `default-scheduler`, `deployment-controller`, ...
    pub source: String,
    /// `source.host`: the node for kubelet events, empty otherwise.
    pub host: String,
}

/// The object an event is about (`involvedObject`).
#[derive(Clone, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "camelCase")]
pub struct ObjectRef {
    /// `Pod`, `Deployment`, `ReplicaSet`, ...
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub uid: String,
    /// `spec.containers{name}` for container-level kubelet events, empty otherwise.
    pub field_path: String,
}

/// Changes that other parts of the world must react to, recorded by the mutating methods.
#[derive(Clone, Debug, Default)]
pub struct ChangeLog {
    /// Pods whose spec, binding or deletion state changed: the kubelet syncs them.
    pub pods_for_kubelet: Vec<ObjectKey>,
    /// Something controllers watch changed (pods, their readiness, workloads, services).
    pub controllers_dirty: bool,
}

/// The cluster's API state.
#[derive(Clone, Debug, Default)]
pub struct ApiStore {
    pub nodes: BTreeMap<String, Node>,
    pub pods: BTreeMap<ObjectKey, Pod>,
    pub services: BTreeMap<ObjectKey, Service>,
    pub endpoints: BTreeMap<ObjectKey, Endpoints>,
    pub deployments: BTreeMap<ObjectKey, Deployment>,
    pub replica_sets: BTreeMap<ObjectKey, ReplicaSet>,
    pub stateful_sets: BTreeMap<ObjectKey, StatefulSet>,
    pub daemon_sets: BTreeMap<ObjectKey, DaemonSet>,
    /// ConfigMaps and Secrets: the kubelet reads them when it starts containers and mounts volumes.
    pub config_maps: BTreeMap<ObjectKey, ConfigMap>,
    pub secrets: BTreeMap<ObjectKey, Secret>,
    /// Namespaces by name (`ApiStore::new` creates the four every cluster has).
    pub namespaces: BTreeMap<String, Namespace>,
    /// EndpointSlices written through the API (a scenario's or `kubectl apply`'s); the
    /// EndpointSlice controller's slices for Services are derived from their Endpoints.
    pub endpoint_slices: BTreeMap<ObjectKey, EndpointSlice>,
    /// Event objects in creation order.
    pub events: Vec<Event>,
    /// Per-object creation times are in each object's metadata; this counter feeds
    /// `metadata.resourceVersion` so `-o yaml` looks like a real server's output.
    pub resource_version: u64,
    pub changes: ChangeLog,
    /// The scheduler's pool of pods it could not place, by pod. Not an API object: it is kept
    /// here because the store is the only state the controllers own.
    pub unschedulable: BTreeMap<ObjectKey, SchedulingAttempt>,
    /// Each node's lease in `kube-node-lease`, by node; a node without an entry has a kubelet
    /// that has renewed its lease every 10 s since time 0.
    pub node_leases: BTreeMap<String, NodeLease>,
    /// Controllers whose pod creations the playground's pod limit refused, by the controller's
    /// uid, with their retry back-off (`crate::budget::objects`). Not an API object either.
    pub create_backoff: BTreeMap<String, crate::budget::objects::Backoff>,
}

/// How often a healthy kubelet renews its node lease (a quarter of `nodeLeaseDurationSeconds`).
pub const LEASE_RENEW_INTERVAL: Millis = 10_000;

/// A node's lease as the node lifecycle controller reads it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NodeLease {
    /// A renewal instant: while `renewing`, the kubelet's first renewal since it (re)started,
    /// repeated every [`LEASE_RENEW_INTERVAL`]; otherwise its last renewal.
    pub renewed: Millis,
    /// Whether the node's kubelet is running (`node stop` stops it, `node start` starts it).
    pub renewing: bool,
}

impl NodeLease {
    /// The lease's `renewTime` as of `now`.
    pub fn renew_time(&self, now: Millis) -> Millis {
        if self.renewing && now >= self.renewed {
            self.renewed + (now - self.renewed) / LEASE_RENEW_INTERVAL * LEASE_RENEW_INTERVAL
        } else {
            self.renewed
        }
    }
}

/// The scheduler's memory of a pod it failed to place (`pkg/scheduler/backend/queue`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SchedulingAttempt {
    /// When it last tried.
    pub at: Millis,
    /// How many attempts in a row failed, for the per-pod back-off.
    pub attempts: u32,
    /// The fingerprint of what the filters read (nodes and the pods bound to them) after that
    /// attempt: a different fingerprint is a cluster change that may let the pod fit.
    pub cluster: u64,
}

fn internal_ip(name: &str, index: usize) -> String {
    if name.parse::<std::net::Ipv4Addr>().is_ok() {
        name.to_string()
    } else {
        format!("192.168.147.{}", 101 + index)
    }
}

/// The key of an object from its metadata (namespace defaults to `default`).
pub fn key_of(meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta) -> ObjectKey {
    (meta.namespace.clone().unwrap_or_else(|| "default".to_string()), meta.name.clone().unwrap_or_default())
}

/// Whether an object's `metadata.finalizers` holds any finalizer.
pub fn has_finalizers(meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta) -> bool {
    meta.finalizers.as_ref().is_some_and(|f| !f.is_empty())
}

/// How many pods the kubelet accepts on one node: its `--max-pods` default, which it reports as
/// the node's `pods` capacity and which the scheduler's resource fit enforces.
pub const MAX_PODS_PER_NODE: usize = 110;

impl ApiStore {
    /// Creates the store with the scenario's nodes. Node `i` (0-based, in scenario order) gets the
    /// internal IP `192.168.147.(101+i)`, or its own name when that is an IPv4 address (clusters
    /// built with kubeasz name nodes so), and the pod CIDR `10.244.(i+1).0/24`.
    pub fn new(node_names: &[String]) -> Self {
        use k8s_openapi::api::core::v1::{NodeAddress, NodeCondition, NodeSpec, NodeStatus, NodeSystemInfo};
        use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
        let mut store = ApiStore::default();
        for (i, name) in node_names.iter().enumerate() {
            let mut labels = BTreeMap::new();
            labels.insert("kubernetes.io/hostname".to_string(), name.clone());
            labels.insert("kubernetes.io/os".to_string(), "linux".to_string());
            labels.insert("kubernetes.io/arch".to_string(), "amd64".to_string());
            let node = Node {
                metadata: ObjectMeta {
                    name: Some(name.clone()),
                    labels: Some(labels),
                    uid: Some(format!("00000000-0000-4000-8000-{:012x}", i + 1)),
                    creation_timestamp: Some(timestamp(0)),
                    ..Default::default()
                },
                spec: Some(NodeSpec {
                    pod_cidr: Some(format!("10.244.{}.0/24", i + 1)),
                    pod_cidrs: Some(vec![format!("10.244.{}.0/24", i + 1)]),
                    ..Default::default()
                }),
                status: Some(NodeStatus {
                    capacity: Some(node_resources(false)),
                    allocatable: Some(node_resources(true)),
                    addresses: Some(vec![
                        NodeAddress { type_: "InternalIP".into(), address: internal_ip(name, i) },
                        NodeAddress { type_: "Hostname".into(), address: name.clone() },
                    ]),
                    conditions: Some(vec![NodeCondition {
                        type_: "Ready".into(),
                        status: "True".into(),
                        reason: Some("KubeletReady".into()),
                        message: Some("kubelet is posting ready status".into()),
                        ..Default::default()
                    }]),
                    node_info: Some(NodeSystemInfo {
                        kubelet_version: "v1.34.1".into(),
                        container_runtime_version: "containerd://1.7.27".into(),
                        os_image: "Ubuntu 22.04.5 LTS".into(),
                        kernel_version: "5.15.0-153-generic".into(),
                        operating_system: "linux".into(),
                        architecture: "amd64".into(),
                        ..Default::default()
                    }),
                    ..Default::default()
                }),
            };
            store.nodes.insert(name.clone(), node);
        }
        store.create_builtin_namespaces();
        store
    }

    /// The next `metadata.resourceVersion`.
    pub fn next_resource_version(&mut self) -> String {
        self.resource_version += 1;
        self.resource_version.to_string()
    }

    /// Whether the kubelet of `node` is running (every node's is, until `node stop`).
    pub fn kubelet_running(&self, node: &str) -> bool {
        self.node_leases.get(node).is_none_or(|l| l.renewing)
    }

    /// The internal IP of a node (`192.168.147.101`), if the node exists.
    pub fn node_ip(&self, node: &str) -> Option<String> {
        let status = self.nodes.get(node)?.status.as_ref()?;
        status.addresses.as_ref()?.iter().find(|a| a.type_ == "InternalIP").map(|a| a.address.clone())
    }

    /// Stores a new pod (already named, with uid and creation timestamp) and tells the kubelet and
    /// controllers about it.
    pub fn create_pod(&mut self, mut pod: Pod) -> ObjectKey {
        pod.metadata.resource_version = Some(self.next_resource_version());
        let key = key_of(&pod.metadata);
        self.pods.insert(key.clone(), pod);
        self.changes.pods_for_kubelet.push(key.clone());
        self.changes.controllers_dirty = true;
        key
    }

    /// Records a change to a pod's spec, binding or deletion state made through `pods` directly.
    pub fn pod_changed(&mut self, key: &ObjectKey) {
        if let Some(pod) = self.pods.get_mut(key) {
            self.resource_version += 1;
            pod.metadata.resource_version = Some(self.resource_version.to_string());
        }
        self.changes.pods_for_kubelet.push(key.clone());
        self.changes.controllers_dirty = true;
    }

    /// Starts a graceful deletion, as the API server does for `DELETE pod`: sets
    /// `deletionTimestamp` to now + grace and `deletionGracePeriodSeconds`. A pod already being
    /// deleted keeps its deadline unless the new grace period is shorter. A pod that was never
    /// bound to a node, or `grace == 0` (`--force --grace-period=0`), is removed at once.
    pub fn request_pod_deletion(&mut self, key: &ObjectKey, grace_seconds: i64, now: Millis) -> bool {
        let Some(pod) = self.pods.get_mut(key) else { return false };
        let unbound = pod.spec.as_ref().and_then(|s| s.node_name.as_ref()).is_none();
        if unbound || grace_seconds == 0 {
            // An object with finalizers is only marked: it stays until they are removed.
            if has_finalizers(&pod.metadata) && pod.metadata.deletion_timestamp.is_none() {
                pod.metadata.deletion_timestamp = Some(timestamp(now));
            }
            self.remove_pod(key);
            return true;
        }
        let current = pod.metadata.deletion_grace_period_seconds;
        if current.is_some_and(|c| c <= grace_seconds) {
            return true;
        }
        pod.metadata.deletion_grace_period_seconds = Some(grace_seconds);
        pod.metadata.deletion_timestamp = Some(timestamp(now + grace_seconds as Millis * 1000));
        self.pod_changed(key);
        true
    }

    /// Records a change to a node made through `nodes` directly (labels, taints,
    /// `spec.unschedulable`, conditions): bumps its resource version and wakes the controllers,
    /// among them the scheduler, which retries the pods it could not place.
    pub fn node_changed(&mut self, name: &str) {
        if let Some(node) = self.nodes.get_mut(name) {
            self.resource_version += 1;
            node.metadata.resource_version = Some(self.resource_version.to_string());
        }
        self.changes.controllers_dirty = true;
    }

    /// Removes a pod object (the kubelet's final delete after termination, or a forced delete).
    /// A pod with finalizers is not removed: its deletion grace period becomes 0 and it stays,
    /// deleted, until the last finalizer goes (`pkg/registry/generic/registry/store.go`: a delete
    /// with finalizers only updates the object; `shouldDeleteDuringUpdate` removes it later).
    pub fn remove_pod(&mut self, key: &ObjectKey) -> Option<Pod> {
        if let Some(pod) = self.pods.get_mut(key).filter(|p| has_finalizers(&p.metadata)) {
            if pod.metadata.deletion_grace_period_seconds != Some(0) {
                pod.metadata.deletion_grace_period_seconds = Some(0);
                self.pod_changed(key);
            }
            return None;
        }
        let pod = self.pods.remove(key);
        self.changes.pods_for_kubelet.push(key.clone());
        self.changes.controllers_dirty = true;
        pod
    }

    /// Replaces a pod's status as the kubelet's status manager does. Returns whether it changed;
    /// only a real change bumps the resource version and wakes the controllers.
    pub fn set_pod_status(&mut self, key: &ObjectKey, status: k8s_openapi::api::core::v1::PodStatus) -> bool {
        let Some(pod) = self.pods.get_mut(key) else { return false };
        if pod.status.as_ref() == Some(&status) {
            return false;
        }
        pod.status = Some(status);
        self.resource_version += 1;
        pod.metadata.resource_version = Some(self.resource_version.to_string());
        self.changes.controllers_dirty = true;
        true
    }
}

/// A node's capacity or allocatable resources. Scenarios do not say how big their nodes are, so
/// every node is what a kind worker on a common laptop reports: 8 CPUs and 16Gi of memory. The
/// kubelet reserves nothing for the system by default, but its hard eviction threshold
/// `memory.available<100Mi` is subtracted from allocatable memory
/// (`pkg/kubelet/cm/node_container_manager_linux.go` GetNodeAllocatableAbsolute); `pods` is
/// `--max-pods`.
fn node_resources(
    allocatable: bool,
) -> BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity> {
    use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
    let memory_ki = NODE_MEMORY_KI - if allocatable { EVICTION_HARD_MEMORY_KI } else { 0 };
    let mut resources = BTreeMap::new();
    resources.insert("cpu".to_string(), Quantity(NODE_CPUS.to_string()));
    resources.insert("memory".to_string(), Quantity(format!("{memory_ki}Ki")));
    resources.insert("pods".to_string(), Quantity(MAX_PODS_PER_NODE.to_string()));
    resources
}

/// Every node's CPUs and memory (16Gi in KiB, as the kubelet reports it).
const NODE_CPUS: u32 = 8;
const NODE_MEMORY_KI: u64 = 16 * 1024 * 1024;
/// The kubelet's default hard eviction threshold for memory, 100Mi in KiB.
const EVICTION_HARD_MEMORY_KI: u64 = 100 * 1024;
