//! `kubectl describe`. (Placeholder until the printers land.)

use crate::api::ApiStore;
use crate::duration::Millis;
use crate::kubectl::command::ResourceKind;

/// `kubectl describe KIND NAME` in a namespace.
pub fn describe(
    _api: &ApiStore,
    _now: Millis,
    _kind: ResourceKind,
    _name: &str,
    _namespace: &str,
) -> Result<String, String> {
    Err("error: describe is not built yet".to_string())
}
