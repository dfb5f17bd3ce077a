//! The control plane around the kubelet: `kubectl apply`'s server side, the scheduler, the
//! workload controllers, the garbage collector and the endpoints controller.
//!
//! Controllers act on the API store only. They run after every batch of changes at an instant,
//! until nothing changes, so a deleted pod's replacement exists in the same virtual second.
//!
//! # Layout
//! - `apply`: `kubectl apply` with the API server's create/update rules and allocators.
//! - `config_objects`: ConfigMaps and Secrets, applied or created.
//! - `commands`: the other writes `kubectl` makes (`delete pod`, `scale`, `rollout restart`).
//! - `scheduler`: binds pending pods to nodes, with `resources` (what a pod requests) and
//!   `tolerations` (taints tolerated, the admitted default tolerations).
//! - `replicaset`, `deployment`, `statefulset`, `daemonset`: the workload controllers.
//! - `nodelifecycle`: nodes whose kubelet stopped (conditions, taints) and taint-based eviction.
//! - `endpoints`: one Endpoints object per Service with a selector; `endpoint_slices`: the
//!   EndpointSlices written through the API.
//! - `objects`: the stored kinds as one table; `deletion`: DELETE with finalizers and the
//!   propagation policy; `gc`: the garbage collector; `namespaces`: Namespace objects and the
//!   namespace controller.
//! - `podutil`: readiness, availability, owners and generated names.

mod apply;
mod commands;
mod config_objects;
mod daemonset;
pub(crate) mod deletion;
mod deployment;
mod endpoint_slices;
pub(crate) mod endpoints;
mod gc;
mod namespaces;
mod nodelifecycle;
pub(crate) mod objects;
pub(crate) mod podutil;
mod release;
mod replicaset;
mod resources;
mod rs_annotations;
mod scheduler;
mod statefulset;
mod tolerations;

use crate::api::{ApiRefusal, ApiStore};
use crate::duration::Millis;
use crate::events::EventRecorder;
use crate::manifest::Object;
use crate::rng::Rng;

pub use commands::{delete_pods, rollout_restart, scale};
pub use config_objects::{create_config_map, create_secret};
pub use deletion::Propagation;
pub use namespaces::{create_namespace, delete_namespace};

/// What controllers need besides the store.
pub struct Context<'a> {
    pub now: Millis,
    pub rng: &'a mut Rng,
    pub events: &'a mut EventRecorder,
}

/// `kubectl apply` of a whole file: creates, configures or leaves unchanged each object, and with
/// `prune` deletes objects a previous apply created that the file no longer holds (`pod/x pruned`).
/// Returns kubectl's lines (`deployment.apps/httpd-deployment created`). When an object is
/// rejected, the others are still applied, as kubectl does, and the error holds every line
/// (successes first, then the errors).
pub fn apply(
    api: &mut ApiStore,
    ctx: &mut Context,
    objects: &[Object],
    prune: bool,
) -> Result<Vec<String>, String> {
    apply::apply(api, ctx, objects, prune, &mut Vec::new())
}

/// The objects (by index in the applied list) the API server refused, with its refusal.
pub type Refusals = Vec<(usize, ApiRefusal)>;

/// [`apply`], also returning the objects (by index) that the API server's NamespaceLifecycle
/// admission refused because their namespace does not exist or is being terminated.
pub fn apply_reporting(
    api: &mut ApiStore,
    ctx: &mut Context,
    objects: &[Object],
    prune: bool,
) -> (Result<Vec<String>, String>, Refusals) {
    let mut refusals = Vec::new();
    let result = apply::apply(api, ctx, objects, prune, &mut refusals);
    (result, refusals)
}

/// The most passes one reconcile makes. Every pass converges a step (a ReplicaSet created, its
/// pods created, its status written), so real workloads settle in a handful; the bound only
/// guarantees termination whatever the input.
const MAX_PASSES: usize = 64;

/// Runs every controller until the store is quiet. Returns the next instant a controller wants to
/// look again on its own (e.g. when a pod becomes available after `minReadySeconds`, or when a
/// Deployment's progress deadline passes).
pub fn reconcile(api: &mut ApiStore, ctx: &mut Context) -> Option<Millis> {
    let mut wake: Option<Millis> = None;
    for _ in 0..MAX_PASSES {
        api.changes.controllers_dirty = false;
        let mut pass_wake = None;
        gc::collect_garbage(api, ctx.now);
        release::release_unmatched(api);
        let index = podutil::PodIndex::build(api);
        merge_wake(&mut pass_wake, replicaset::sync_all(api, ctx, &index));
        merge_wake(&mut pass_wake, deployment::sync_all(api, ctx));
        merge_wake(&mut pass_wake, statefulset::sync_all(api, ctx, &index));
        merge_wake(&mut pass_wake, daemonset::sync_all(api, ctx, &index));
        merge_wake(&mut pass_wake, nodelifecycle::sync_all(api, ctx));
        merge_wake(&mut pass_wake, scheduler::schedule(api, ctx));
        endpoints::sync_all(api, ctx);
        namespaces::sync_all(api, ctx);
        wake = pass_wake;
        if !api.changes.controllers_dirty {
            break;
        }
    }
    api.changes.controllers_dirty = false;
    wake.filter(|w| *w > ctx.now)
}

fn merge_wake(wake: &mut Option<Millis>, other: Option<Millis>) {
    if let Some(o) = other {
        *wake = Some(wake.map_or(o, |w| w.min(o)));
    }
}

#[cfg(test)]
mod tests;
