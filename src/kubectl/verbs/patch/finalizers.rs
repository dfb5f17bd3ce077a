//! `metadata.finalizers` in a patch: read from the patched object, with object-meta validation's
//! rule that an object being deleted may only lose finalizers
//! (`staging/src/k8s.io/apimachinery/pkg/api/validation/objectmeta.go` ValidateObjectMetaUpdate),
//! and the API server's removal of a deleted object whose last finalizer the patch took away.

use serde_json::Value;

use crate::api::{ApiStore, ObjectKey};
use crate::controllers::deletion::remove_if_finalized;
use crate::controllers::objects::stored_kind;
use crate::kubectl::command::ResourceKind;

/// The finalizers of the patched object's metadata (`None` when it has none), refused when the
/// object is being deleted and the patch adds one.
pub(super) fn read(
    before: &Value,
    meta: Option<&Value>,
    kind: &str,
    name: &str,
) -> Result<Option<Vec<String>>, String> {
    let list = |value: Option<&Value>| -> Result<Vec<String>, String> {
        match value.filter(|v| !v.is_null()) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| {
                    v.as_str().map(str::to_string).ok_or_else(|| {
                        "error: json: cannot unmarshal into Go struct field ObjectMeta.metadata.finalizers of type string"
                            .to_string()
                    })
                })
                .collect(),
            Some(_) => Err(
                "error: json: cannot unmarshal into Go struct field ObjectMeta.metadata.finalizers of type []string"
                    .to_string(),
            ),
        }
    };
    let old = list(before.get("metadata").and_then(|m| m.get("finalizers")))?;
    let new = list(meta.and_then(|m| m.get("finalizers")))?;
    let deleting =
        before.get("metadata").and_then(|m| m.get("deletionTimestamp")).is_some_and(|t| !t.is_null());
    let added: Vec<&String> = new.iter().filter(|f| !old.contains(f)).collect();
    if deleting && !added.is_empty() {
        let quoted: Vec<String> = added.iter().map(|f| format!("{f:?}")).collect();
        return Err(format!(
            "The {kind} {name:?} is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{{{}}}",
            quoted.join(", ")
        ));
    }
    Ok(Some(new).filter(|f| !f.is_empty()))
}

/// After the patch is stored: a deleted object left without finalizers goes.
pub(super) fn finish(api: &mut ApiStore, kind: ResourceKind, key: &ObjectKey) {
    if let Some(stored) = stored_kind(kind.info().name) {
        remove_if_finalized(api, stored, key);
    }
}
