//! Namespaces in `kubectl get` (`printNamespace` in `pkg/printers/internalversion/printers.go`):
//! the STATUS column is the namespace's phase, `Active` or `Terminating`.

use k8s_openapi::api::core::v1::Namespace;

use super::object::{listed, Object};
use super::{age, name_of, Printer, Wide};
use crate::duration::Millis;

listed!(Namespace);

pub(crate) const PRINTER: Printer = Printer {
    columns: &["NAME", "STATUS", "AGE"],
    wide: Wide::Append(&[]),
    list: |api, _| api.namespaces.values().map(|n| Object::Stored(n as &dyn super::object::Listed)).collect(),
    row,
    warning: None,
};

/// `printNamespace`.
fn row(now: Millis, object: &Object, _wide: bool) -> Vec<String> {
    let Some(ns) = object.get::<Namespace>() else { return Vec::new() };
    let phase = ns.status.as_ref().and_then(|s| s.phase.clone()).unwrap_or_default();
    vec![name_of(&ns.metadata), phase, age(ns.metadata.creation_timestamp.as_ref(), now)]
}
