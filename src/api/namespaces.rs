//! Namespaces in the API server: the four every cluster starts with, and the NamespaceLifecycle
//! admission rules that refuse content in a namespace that does not exist or is being deleted
//! (`staging/src/k8s.io/apiserver/pkg/admission/plugin/namespace/lifecycle/admission.go`).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Namespace, NamespaceSpec, NamespaceStatus};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::{timestamp, ApiStore};
use crate::duration::Millis;

/// The namespaces a kubeadm cluster has from its first minute. `default`, `kube-system` and
/// `kube-public` are immortal: the admission plugin refuses to delete them.
pub const BUILTIN_NAMESPACES: [&str; 4] = ["default", "kube-node-lease", "kube-public", "kube-system"];

/// The namespaces that may never be deleted (`immortalNamespaces` in the admission plugin).
const IMMORTAL: [&str; 3] = ["default", "kube-public", "kube-system"];

/// The label the API server puts on every namespace (`kubernetes.io/metadata.name`, set by the
/// namespace strategy since 1.21).
pub const NAME_LABEL: &str = "kubernetes.io/metadata.name";

/// The finalizer the namespace controller removes once the namespace's content is gone.
pub const KUBERNETES_FINALIZER: &str = "kubernetes";

/// A request the API server refuses, as `kubectl` prints it after `Error from server (REASON): `.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiRefusal {
    /// `NotFound` or `Forbidden`.
    pub reason: &'static str,
    pub message: String,
}

impl ApiRefusal {
    /// `Error from server (NotFound): namespaces "shop" not found`.
    pub fn line(&self) -> String {
        format!("Error from server ({}): {}", self.reason, self.message)
    }

    /// The line `kubectl apply`/`create -f` prints for a refused create of an object read from
    /// `source` (`"STDIN"` for `-f -`): `AddSourceToErr` in `staging/src/k8s.io/kubectl/pkg/cmd/util/helpers.go`.
    pub fn creating(&self, source: &str) -> String {
        format!("Error from server ({}): error when creating {source:?}: {}", self.reason, self.message)
    }
}

/// A namespace object as the API server stores it on create: the name label, the `kubernetes`
/// finalizer in its spec and phase `Active`.
pub fn namespace_object(name: &str, uid: String, now: Millis) -> Namespace {
    let mut labels = BTreeMap::new();
    labels.insert(NAME_LABEL.to_string(), name.to_string());
    Namespace {
        metadata: ObjectMeta {
            name: Some(name.to_string()),
            labels: Some(labels),
            uid: Some(uid),
            creation_timestamp: Some(timestamp(now)),
            ..Default::default()
        },
        spec: Some(NamespaceSpec { finalizers: Some(vec![KUBERNETES_FINALIZER.to_string()]) }),
        status: Some(NamespaceStatus { phase: Some("Active".to_string()), conditions: None }),
    }
}

/// A namespace's uid, derived from its name and creation instant rather than drawn from the
/// world's generator: creating a namespace leaves every later generated name as it was.
pub fn namespace_uid(name: &str, now: Millis) -> String {
    let h = crate::fnv::fnv64(format!("namespace/{name}/{now}").as_bytes());
    let l = crate::fnv::fnv64(format!("{now}/{name}/namespace").as_bytes());
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        h >> 32,
        (h >> 16) & 0xffff,
        h & 0xfff,
        0x8000 | ((l >> 48) & 0x3fff),
        l & 0xffff_ffff_ffff
    )
}

impl ApiStore {
    /// Creates the namespaces every cluster has, with fixed uids (they exist before the scenario's
    /// seeded generator draws anything).
    pub(super) fn create_builtin_namespaces(&mut self) {
        for (i, name) in BUILTIN_NAMESPACES.iter().enumerate() {
            let uid = format!("00000000-0000-4000-9000-{:012x}", i + 1);
            let mut ns = namespace_object(name, uid, 0);
            ns.metadata.resource_version = Some(self.next_resource_version());
            self.namespaces.insert(name.to_string(), ns);
        }
    }

    /// Whether a namespace is being deleted (phase `Terminating`).
    pub fn namespace_terminating(&self, name: &str) -> bool {
        self.namespaces.get(name).is_some_and(|ns| ns.metadata.deletion_timestamp.is_some())
    }

    /// NamespaceLifecycle admission for a create of `resource` (`pods`, `deployments.apps`) named
    /// `name` in `namespace`: refused when the namespace does not exist (after the plugin's live
    /// lookup, a `NotFound` for the namespace) or is being terminated (`Forbidden`).
    pub fn admit_create(&self, namespace: &str, resource: &str, name: &str) -> Result<(), ApiRefusal> {
        if !self.namespaces.contains_key(namespace) {
            return Err(ApiRefusal {
                reason: "NotFound",
                message: format!("namespaces {namespace:?} not found"),
            });
        }
        if self.namespace_terminating(namespace) {
            return Err(ApiRefusal {
                reason: "Forbidden",
                message: format!(
                    "{resource} {name:?} is forbidden: unable to create new content in namespace {namespace} because it is being terminated"
                ),
            });
        }
        Ok(())
    }

    /// Whether the admission plugin refuses to delete this namespace.
    pub fn namespace_immortal(name: &str) -> bool {
        IMMORTAL.contains(&name)
    }
}
