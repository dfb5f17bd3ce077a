//! The one table of resource kinds: the names kubectl accepts for each (short name, singular,
//! plural, group-qualified forms), its API group and version, whether it is namespaced, and the
//! printer and describer that show it.
//!
//! Adding a kind is one variant of [`ResourceKind`], one row of [`KINDS`] (in the variant's
//! position) and its printer file under `print/` (and describer under `describe/`, if it has one).
//! Everything else (`get`, `describe`, `-o name`, `Error from server (NotFound)` lines, the alias
//! lookup) reads the row.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::api::{ApiStore, ObjectKey};
use crate::kubectl::describe::{self, Describer};
use crate::kubectl::print::{self, Printer};

/// Where the store keeps a kind's objects, for the verbs that write their metadata (`label`,
/// `annotate`). Cluster-scoped kinds ignore the key's namespace.
#[derive(Clone, Copy)]
pub(crate) struct Store {
    pub meta: for<'a> fn(&'a ApiStore, &ObjectKey) -> Option<&'a ObjectMeta>,
    pub meta_mut: for<'a> fn(&'a mut ApiStore, &ObjectKey) -> Option<&'a mut ObjectMeta>,
}

/// The [`Store`] of one of `ApiStore`'s namespaced maps.
macro_rules! store {
    ($field:ident) => {
        Some(Store {
            meta: |api, key| api.$field.get(key).map(|o| &o.metadata),
            meta_mut: |api, key| api.$field.get_mut(key).map(|o| &mut o.metadata),
        })
    };
}

/// The resource kinds the playground serves, whatever alias was typed (`po`, `pods`, `deploy`,
/// `deployments.apps`, `svc`, `ep`, ...). The variant is only an identity; everything about the
/// kind is in its [`KINDS`] row ([`ResourceKind::info`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResourceKind {
    Pod,
    Deployment,
    ReplicaSet,
    StatefulSet,
    DaemonSet,
    Service,
    Endpoints,
    EndpointSlice,
    Event,
    Node,
    ConfigMap,
    Secret,
    Namespace,
}

/// One row of the kinds table (the fields `kubectl api-resources` lists, and how to show them).
pub struct Kind {
    pub kind: ResourceKind,
    /// The `kind` field of the object: `Deployment`.
    pub name: &'static str,
    /// The singular resource name: `deployment`.
    pub singular: &'static str,
    /// The resource name: `deployments`.
    pub plural: &'static str,
    /// Short names (`deploy`); kubectl never accepts them with a group suffix.
    pub short: &'static [&'static str],
    /// The API group, empty for the core group.
    pub group: &'static str,
    pub version: &'static str,
    /// Further groups the same resource is served under (core `events` is also `events.k8s.io`).
    pub other_groups: &'static [&'static str],
    pub namespaced: bool,
    pub(crate) printer: Printer,
    pub(crate) describer: Option<Describer>,
    /// `None` for kinds the store records rather than keeps (Events).
    pub(crate) store: Option<Store>,
}

/// Every kind, in the order of [`ResourceKind`]'s variants (a test checks it).
pub static KINDS: [Kind; 13] = [
    Kind {
        kind: ResourceKind::Pod,
        name: "Pod",
        singular: "pod",
        plural: "pods",
        short: &["po"],
        group: "",
        version: "v1",
        other_groups: &[],
        namespaced: true,
        printer: print::pods::PRINTER,
        describer: Some(describe::pods::describe),
        store: store!(pods),
    },
    Kind {
        kind: ResourceKind::Deployment,
        name: "Deployment",
        singular: "deployment",
        plural: "deployments",
        short: &["deploy"],
        group: "apps",
        version: "v1",
        other_groups: &[],
        namespaced: true,
        printer: print::workloads::DEPLOYMENTS,
        describer: Some(describe::workloads::deployment),
        store: store!(deployments),
    },
    Kind {
        kind: ResourceKind::ReplicaSet,
        name: "ReplicaSet",
        singular: "replicaset",
        plural: "replicasets",
        short: &["rs"],
        group: "apps",
        version: "v1",
        other_groups: &[],
        namespaced: true,
        printer: print::workloads::REPLICA_SETS,
        describer: Some(describe::workloads::replica_set),
        store: store!(replica_sets),
    },
    Kind {
        kind: ResourceKind::StatefulSet,
        name: "StatefulSet",
        singular: "statefulset",
        plural: "statefulsets",
        short: &["sts"],
        group: "apps",
        version: "v1",
        other_groups: &[],
        namespaced: true,
        printer: print::workloads::STATEFUL_SETS,
        describer: Some(describe::workloads::stateful_set),
        store: store!(stateful_sets),
    },
    Kind {
        kind: ResourceKind::DaemonSet,
        name: "DaemonSet",
        singular: "daemonset",
        plural: "daemonsets",
        short: &["ds"],
        group: "apps",
        version: "v1",
        other_groups: &[],
        namespaced: true,
        printer: print::workloads::DAEMON_SETS,
        describer: Some(describe::workloads::daemon_set),
        store: store!(daemon_sets),
    },
    Kind {
        kind: ResourceKind::Service,
        name: "Service",
        singular: "service",
        plural: "services",
        short: &["svc"],
        group: "",
        version: "v1",
        other_groups: &[],
        namespaced: true,
        printer: print::services::SERVICES,
        describer: Some(describe::services::service),
        store: store!(services),
    },
    Kind {
        kind: ResourceKind::Endpoints,
        name: "Endpoints",
        singular: "endpoints",
        plural: "endpoints",
        short: &["ep"],
        group: "",
        version: "v1",
        other_groups: &[],
        namespaced: true,
        printer: print::services::ENDPOINTS,
        describer: Some(describe::services::endpoints),
        store: store!(endpoints),
    },
    Kind {
        kind: ResourceKind::EndpointSlice,
        name: "EndpointSlice",
        singular: "endpointslice",
        plural: "endpointslices",
        short: &[],
        group: "discovery.k8s.io",
        version: "v1",
        other_groups: &[],
        namespaced: true,
        printer: print::services::ENDPOINT_SLICES,
        describer: None,
        // Only the slices written through the API are stored; the controller's are derived.
        store: store!(endpoint_slices),
    },
    Kind {
        kind: ResourceKind::Event,
        name: "Event",
        singular: "event",
        plural: "events",
        short: &["ev"],
        group: "",
        version: "v1",
        other_groups: &["events.k8s.io"],
        namespaced: true,
        printer: print::events::PRINTER,
        describer: None,
        store: None,
    },
    Kind {
        kind: ResourceKind::Node,
        name: "Node",
        singular: "node",
        plural: "nodes",
        short: &["no"],
        group: "",
        version: "v1",
        other_groups: &[],
        namespaced: false,
        printer: print::nodes::PRINTER,
        describer: None,
        store: Some(Store {
            meta: |api, key| api.nodes.get(&key.1).map(|o| &o.metadata),
            meta_mut: |api, key| api.nodes.get_mut(&key.1).map(|o| &mut o.metadata),
        }),
    },
    Kind {
        kind: ResourceKind::ConfigMap,
        name: "ConfigMap",
        singular: "configmap",
        plural: "configmaps",
        short: &["cm"],
        group: "",
        version: "v1",
        other_groups: &[],
        namespaced: true,
        printer: print::config::CONFIG_MAPS,
        describer: Some(describe::config::config_map),
        store: store!(config_maps),
    },
    Kind {
        kind: ResourceKind::Secret,
        name: "Secret",
        singular: "secret",
        plural: "secrets",
        short: &[],
        group: "",
        version: "v1",
        other_groups: &[],
        namespaced: true,
        printer: print::config::SECRETS,
        describer: Some(describe::config::secret),
        store: store!(secrets),
    },
    Kind {
        kind: ResourceKind::Namespace,
        name: "Namespace",
        singular: "namespace",
        plural: "namespaces",
        short: &["ns"],
        group: "",
        version: "v1",
        other_groups: &[],
        namespaced: false,
        printer: print::namespaces::PRINTER,
        describer: None,
        store: Some(Store {
            meta: |api, key| api.namespaces.get(&key.1).map(|o| &o.metadata),
            meta_mut: |api, key| api.namespaces.get_mut(&key.1).map(|o| &mut o.metadata),
        }),
    },
];

impl ResourceKind {
    /// The kind's row of [`KINDS`].
    pub fn info(self) -> &'static Kind {
        &KINDS[self as usize]
    }
}

impl Kind {
    /// The resource name kubectl uses in messages and `Error from server` lines: `pods`,
    /// `deployments.apps`, `endpointslices.discovery.k8s.io`, ...
    pub fn plural_group(&self) -> String {
        qualified(self.plural, self.group)
    }

    /// The `-o name` prefix and the `kind/name` of kubectl's messages: `pod`, `deployment.apps`.
    pub fn singular_group(&self) -> String {
        qualified(self.singular, self.group)
    }

    /// `apiVersion`: `v1`, `apps/v1`.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_string()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// Whether `group` (what followed the first `.` of a typed resource name) names this kind's
    /// group: `apps` or `v1.apps` for apps kinds, `v1` for the core group.
    fn accepts_group(&self, group: &str) -> bool {
        std::iter::once(self.group).chain(self.other_groups.iter().copied()).any(|g| {
            if g.is_empty() {
                group == self.version
            } else {
                group == g || group.strip_prefix(self.version).and_then(|r| r.strip_prefix('.')) == Some(g)
            }
        })
    }
}

fn qualified(name: &str, group: &str) -> String {
    if group.is_empty() {
        name.to_string()
    } else {
        format!("{name}.{group}")
    }
}

/// Maps a resource name as typed (case-insensitive; short names, singular, plural and
/// group-qualified forms) to its kind, as kubectl's RESTMapper does.
pub fn resource_kind(text: &str) -> Option<ResourceKind> {
    let lower = text.to_ascii_lowercase();
    let (base, group) = match lower.split_once('.') {
        Some((b, g)) => (b, Some(g)),
        None => (lower.as_str(), None),
    };
    KINDS.iter().find_map(|k| {
        let full = base == k.singular || base == k.plural;
        let short = k.short.contains(&base);
        let ok = match group {
            None => full || short,
            // Short names never take a group; full names take their own group, optionally with
            // a version.
            Some(g) => full && k.accepts_group(g),
        };
        ok.then_some(k.kind)
    })
}

/// The row of a kind by its `kind` field (`Deployment`), for objects that name others (events'
/// `involvedObject`, owner references).
pub fn by_name(name: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_in_variant_order() {
        for (i, k) in KINDS.iter().enumerate() {
            assert_eq!(k.kind as usize, i, "{}", k.name);
        }
    }
}
