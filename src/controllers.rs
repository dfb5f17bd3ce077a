//! The control plane around the kubelet: `kubectl apply`'s server side, the scheduler, the
//! workload controllers and the endpoints controller. (Placeholder: pods are bound round-robin.)
//!
//! Controllers act on the API store only. They run after every batch of changes at an instant,
//! until nothing changes, so a deleted pod's replacement exists in the same virtual second.

use crate::api::ApiStore;
use crate::duration::Millis;
use crate::events::EventRecorder;
use crate::manifest::Object;
use crate::rng::Rng;

/// What controllers need besides the store.
pub struct Context<'a> {
    pub now: Millis,
    pub rng: &'a mut Rng,
    pub events: &'a mut EventRecorder,
}

/// `kubectl apply` of a whole file: creates, configures or leaves unchanged each object, and with
/// `prune` deletes objects a previous apply created that the file no longer holds. Returns kubectl's
/// lines (`deployment.apps/httpd-deployment created`) or its error.
pub fn apply(_api: &mut ApiStore, _ctx: &mut Context, _objects: &[Object], _prune: bool) -> Result<Vec<String>, String> {
    Err("error: apply is not built yet".to_string())
}

/// Runs every controller until the store is quiet. Returns the next instant a controller wants to
/// look again on its own (e.g. when a pod becomes available after `minReadySeconds`).
pub fn reconcile(api: &mut ApiStore, _ctx: &mut Context) -> Option<Millis> {
    api.changes.controllers_dirty = false;
    None
}

/// `kubectl delete pod NAME...|-l SELECTOR [--grace-period=N] [--force]`.
pub fn delete_pods(
    _api: &mut ApiStore,
    _ctx: &mut Context,
    _namespace: &str,
    _target: &crate::kubectl::command::PodTarget,
    _grace_period: Option<i64>,
    _force: bool,
) -> Result<Vec<String>, String> {
    Err("error: delete is not built yet".to_string())
}

/// `kubectl scale deploy|sts NAME --replicas=N`.
pub fn scale(
    _api: &mut ApiStore,
    _ctx: &mut Context,
    _kind: crate::kubectl::command::ResourceKind,
    _namespace: &str,
    _name: &str,
    _replicas: i32,
) -> Result<String, String> {
    Err("error: scale is not built yet".to_string())
}

/// `kubectl rollout restart deploy NAME`.
pub fn rollout_restart(
    _api: &mut ApiStore,
    _ctx: &mut Context,
    _kind: crate::kubectl::command::ResourceKind,
    _namespace: &str,
    _name: &str,
) -> Result<String, String> {
    Err("error: rollout is not built yet".to_string())
}
