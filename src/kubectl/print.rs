//! `kubectl get` printers. (Placeholder until the printers land.)

use crate::api::ApiStore;
use crate::duration::Millis;
use crate::kubectl::command::{OutputFormat, ResourceKind};
use crate::selector::Selector;

/// One row of `kubectl get pods -o wide`, as the UI and the CLI's JSON timeline use it.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct PodRow {
    pub namespace: String,
    pub name: String,
    /// `x/y`.
    pub ready: String,
    pub status: String,
    /// The restart sum.
    pub restarts: i64,
    /// The RESTARTS cell: `0`, `1 (5s ago)`.
    pub restarts_column: String,
    pub age: String,
    /// `<none>` until the pod has an IP.
    pub ip: String,
    pub node: String,
    pub nominated_node: String,
    pub readiness_gates: String,
    pub deleting: bool,
}

/// Computes the `get pods` row of a pod at `now` (§9).
pub fn pod_row(_pod: &k8s_openapi::api::core::v1::Pod, _now: Millis) -> PodRow {
    PodRow::default()
}

/// `kubectl get KIND [NAMES] [-l SELECTOR] [-o FORMAT]` in a namespace.
pub fn get(
    _api: &ApiStore,
    _now: Millis,
    _kind: ResourceKind,
    _names: &[String],
    _selector: Option<&Selector>,
    _output: OutputFormat,
    _namespace: &str,
) -> Result<String, String> {
    Err("error: printers are not built yet".to_string())
}
