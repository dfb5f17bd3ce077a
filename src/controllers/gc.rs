//! The garbage collector (`pkg/controller/garbagecollector/garbagecollector.go`): objects whose
//! owners are gone are deleted, and owners deleted with the `orphan` or `foregroundDeletion`
//! finalizer are finished once their dependents are dealt with.
//!
//! The collector keeps a graph of owner references fed by informers; here it reads the store
//! itself on each pass, which gives the same decisions without its delays:
//!
//! - `attemptToDeleteItem`: an object whose every owner reference is *dangling* (no object of
//!   that kind and name, or one with another uid) or *waiting for dependents' deletion* (an owner
//!   being deleted in the foreground) is deleted: in the foreground when it has dependents itself
//!   and an owner is waiting for it, otherwise in the background (or as its own finalizers ask).
//!   An object with at least one live owner keeps living; its dangling references are removed.
//! - `orphanDependents`: an owner with the `orphan` finalizer loses its dependents' references to
//!   it, then the finalizer.
//! - `processDeletingDependentsItem`: an owner with `foregroundDeletion` loses the finalizer once
//!   no dependent with `blockOwnerDeletion` remains.
//!
//! Assumption: the collector sends no event for what it deletes (upstream records events only for
//! references it cannot resolve); what shows is the dependents' own deletion (a pod's `Killing`).

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference;

use crate::api::{ApiStore, ObjectKey};
use crate::duration::Millis;

use super::deletion::{self, delete_object, Propagation, FOREGROUND_FINALIZER, ORPHAN_FINALIZER};
use super::objects::{StoredKind, STORED};

/// What the collector knows of one object that owns, or may own, others.
struct Owner {
    kind: &'static StoredKind,
    key: ObjectKey,
    deleting: bool,
    foreground: bool,
    orphan: bool,
}

/// A dependent the pass looks at: its kind, key and owner references.
type Dependent = (&'static StoredKind, ObjectKey, Vec<OwnerReference>);

/// One pass of the collector over the store. Objects whose owners all resolve to live owners
/// are passed over without copying anything, so a quiet cluster costs one lookup per reference.
pub(super) fn collect_garbage(api: &mut ApiStore, now: Millis) {
    let owners = owners_by_uid(api);
    let finishing = owners.values().any(|o| o.deleting && (o.foreground || o.orphan));
    let mut dependents: Vec<Dependent> = Vec::new();
    for kind in STORED {
        (kind.each)(api, &mut |key, meta| {
            let Some(refs) = meta.owner_references.as_ref().filter(|r| !r.is_empty()) else { return };
            let settled = refs.iter().all(|r| {
                owners.get(&r.uid).is_some_and(|o| {
                    o.kind.kind == r.kind && o.key.1 == r.name && o.key.0 == key.0 && !o.deleting
                })
            });
            if !settled || finishing {
                dependents.push((kind, key.clone(), refs.clone()));
            }
        });
    }
    if dependents.is_empty() {
        return;
    }
    if finishing {
        orphan_dependents(api, &owners, &dependents);
    }
    let blocked = if finishing { finish_foreground(api, &owners, &dependents) } else { BTreeSet::new() };
    for (kind, key, refs) in &dependents {
        attempt_to_delete(api, now, &owners, &blocked, kind, key, refs);
    }
}

/// Every object that is not a pod, by uid: the owners a reference can name. (Pods own nothing
/// that the playground creates; a reference to a pod is looked up by name.)
fn owners_by_uid(api: &ApiStore) -> BTreeMap<String, Owner> {
    let mut owners = BTreeMap::new();
    for kind in STORED.iter().filter(|k| k.kind != "Pod") {
        (kind.each)(api, &mut |key, meta| {
            let Some(uid) = meta.uid.clone() else { return };
            let has = |f: &str| meta.finalizers.iter().flatten().any(|x| x == f);
            let owner = Owner {
                kind,
                key: key.clone(),
                deleting: meta.deletion_timestamp.is_some(),
                foreground: has(FOREGROUND_FINALIZER),
                orphan: has(ORPHAN_FINALIZER),
            };
            owners.insert(uid, owner);
        });
    }
    owners
}

/// How a reference resolves.
#[derive(PartialEq, Eq)]
enum Resolved {
    /// The owner exists and is not being deleted in the foreground.
    Solid,
    /// No such owner, or one with another uid.
    Dangling,
    /// The owner is being deleted in the foreground and waits for its dependents.
    Waiting,
}

fn resolve(
    api: &ApiStore,
    owners: &BTreeMap<String, Owner>,
    namespace: &str,
    r: &OwnerReference,
) -> Resolved {
    let found = match owners.get(&r.uid) {
        Some(o) => o.kind.kind == r.kind && o.key.1 == r.name && o.key.0 == namespace,
        None if r.kind == "Pod" => {
            let key = (namespace.to_string(), r.name.clone());
            api.pods.get(&key).and_then(|p| p.metadata.uid.as_deref()) == Some(r.uid.as_str())
        }
        None => false,
    };
    if !found {
        return Resolved::Dangling;
    }
    match owners.get(&r.uid) {
        Some(o) if o.deleting && o.foreground => Resolved::Waiting,
        _ => Resolved::Solid,
    }
}

/// `orphanDependents`: the dependents of an owner deleted with the `orphan` finalizer lose their
/// references to it; then the finalizer goes, and with it (usually) the owner.
fn orphan_dependents(api: &mut ApiStore, owners: &BTreeMap<String, Owner>, dependents: &[Dependent]) {
    for (uid, owner) in owners.iter().filter(|(_, o)| o.deleting && o.orphan) {
        for (kind, key, refs) in dependents {
            if refs.iter().any(|r| r.uid == *uid) {
                remove_references(api, kind, key, &BTreeSet::from([uid.as_str()]));
            }
        }
        deletion::remove_finalizer(api, owner.kind, &owner.key, ORPHAN_FINALIZER);
    }
}

/// `processDeletingDependentsItem`: an owner deleted in the foreground is finished once no
/// dependent blocks it. Returns the uids of owners still waiting.
fn finish_foreground(
    api: &mut ApiStore,
    owners: &BTreeMap<String, Owner>,
    dependents: &[Dependent],
) -> BTreeSet<String> {
    let mut waiting = BTreeSet::new();
    for (uid, owner) in owners.iter().filter(|(_, o)| o.deleting && o.foreground && !o.orphan) {
        let blocking = dependents
            .iter()
            .any(|(_, _, refs)| refs.iter().any(|r| r.uid == *uid && r.block_owner_deletion == Some(true)));
        if blocking {
            waiting.insert(uid.clone());
        } else {
            deletion::remove_finalizer(api, owner.kind, &owner.key, FOREGROUND_FINALIZER);
        }
    }
    waiting
}

/// `attemptToDeleteItem` for one dependent.
fn attempt_to_delete(
    api: &mut ApiStore,
    now: Millis,
    owners: &BTreeMap<String, Owner>,
    blocked: &BTreeSet<String>,
    kind: &'static StoredKind,
    key: &ObjectKey,
    refs: &[OwnerReference],
) {
    let Some(meta) = (kind.meta)(api, key) else { return };
    let uid = meta.uid.clone().unwrap_or_default();
    let being_deleted = meta.deletion_timestamp.is_some();
    let own_foreground = meta.finalizers.iter().flatten().any(|f| f == FOREGROUND_FINALIZER);
    let own_orphan = meta.finalizers.iter().flatten().any(|f| f == ORPHAN_FINALIZER);
    // An object already being deleted is left to its deletion, unless it waits in the
    // foreground for dependents of its own.
    if being_deleted && !own_foreground {
        return;
    }
    let mut solid = false;
    let mut stale: BTreeSet<&str> = BTreeSet::new();
    let mut waiting = false;
    for r in refs {
        match resolve(api, owners, &key.0, r) {
            Resolved::Solid => solid = true,
            Resolved::Dangling => {
                stale.insert(r.uid.as_str());
            }
            Resolved::Waiting => {
                waiting = true;
                stale.insert(r.uid.as_str());
            }
        }
    }
    if solid {
        if !stale.is_empty() {
            remove_references(api, kind, key, &stale);
        }
        return;
    }
    if being_deleted {
        return;
    }
    let has_dependents = blocked.contains(&uid) || owners_of_anything(api, &uid);
    let propagation = if waiting && has_dependents {
        Propagation::Foreground
    } else if own_orphan {
        Propagation::Orphan
    } else if own_foreground {
        Propagation::Foreground
    } else {
        Propagation::Background
    };
    delete_object(api, now, kind, key, propagation, None);
}

/// Whether any stored object names `uid` as an owner.
fn owners_of_anything(api: &ApiStore, uid: &str) -> bool {
    let mut found = false;
    for kind in STORED {
        (kind.each)(api, &mut |_, meta| {
            found |= meta.owner_references.iter().flatten().any(|r| r.uid == uid);
        });
    }
    found
}

/// Removes the references with these uids from an object's `metadata.ownerReferences`.
fn remove_references(api: &mut ApiStore, kind: &StoredKind, key: &ObjectKey, uids: &BTreeSet<&str>) {
    let version = api.next_resource_version();
    let Some(meta) = (kind.meta_mut)(api, key) else { return };
    if let Some(refs) = meta.owner_references.as_mut() {
        refs.retain(|r| !uids.contains(r.uid.as_str()));
        if refs.is_empty() {
            meta.owner_references = None;
        }
    }
    meta.resource_version = Some(version);
    api.changes.controllers_dirty = true;
}
