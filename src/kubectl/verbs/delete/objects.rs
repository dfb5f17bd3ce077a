//! `kubectl delete` of every kind but pods: the objects named or selected in the namespace, each
//! deleted with the chosen propagation, and kubectl 1.34's lines (`service "web" deleted from
//! default namespace`; cluster-scoped `namespace "shop" deleted`).

use crate::api::{ApiStore, ObjectKey};
use crate::controllers::deletion::delete_object;
use crate::controllers::objects::stored_kind;
use crate::controllers::{delete_namespace, Context, Propagation};
use crate::kubectl::command::{ResourceKind, Selection};
use crate::selector::Selector;

/// Deletes the selected objects. `Err` holds every line when a named object is missing (the
/// others are still deleted, the `NotFound` lines last), as kubectl exits non-zero then.
pub(super) fn delete(
    api: &mut ApiStore,
    ctx: &mut Context,
    kind: ResourceKind,
    namespace: &str,
    selection: &Selection,
    cascade: Propagation,
) -> Result<Vec<String>, String> {
    let info = kind.info();
    let mut lines = Vec::new();
    let mut errors = Vec::new();
    let selector = match selection {
        Selection::Selector(text) => Some(Selector::parse(text).map_err(|e| format!("error: {e}"))?),
        Selection::Names(_) => None,
    };
    // The objects, by name, that exist (namespaces are keyed by name alone).
    let existing: Vec<(ObjectKey, Option<std::collections::BTreeMap<String, String>>)> =
        if kind == ResourceKind::Namespace {
            api.namespaces
                .iter()
                .map(|(n, ns)| ((String::new(), n.clone()), ns.metadata.labels.clone()))
                .collect()
        } else {
            let Some(stored) = stored_kind(info.name) else {
                return Err(format!(
                    "error: deleting {} is not supported in the playground",
                    info.plural_group()
                ));
            };
            let mut found = Vec::new();
            (stored.each)(api, &mut |key, meta| {
                if key.0 == namespace {
                    found.push((key.clone(), meta.labels.clone()));
                }
            });
            found
        };
    let keys: Vec<ObjectKey> = match (selection, &selector) {
        (Selection::Names(names), _) => {
            let mut keys = Vec::new();
            for name in names {
                match existing.iter().find(|(k, _)| k.1 == *name) {
                    Some((k, _)) => keys.push(k.clone()),
                    None => errors.push(format!(
                        "Error from server (NotFound): {} {name:?} not found",
                        info.plural_group()
                    )),
                }
            }
            keys
        }
        (_, selector) => {
            let keys: Vec<ObjectKey> = existing
                .iter()
                .filter(|(_, labels)| selector.as_ref().is_none_or(|s| s.matches(labels.as_ref())))
                .map(|(k, _)| k.clone())
                .collect();
            if keys.is_empty() {
                lines.push("No resources found".to_string());
            }
            keys
        }
    };
    for key in keys {
        if kind == ResourceKind::Namespace {
            match delete_namespace(api, ctx, &key.1) {
                Ok(line) => lines.push(line),
                Err(e) => errors.push(e),
            }
            continue;
        }
        let Some(stored) = stored_kind(info.name) else { continue };
        if delete_object(api, ctx.now, stored, &key, cascade, None) {
            lines.push(format!("{} {:?} deleted from {} namespace", info.singular_group(), key.1, key.0));
        }
    }
    if errors.is_empty() {
        Ok(lines)
    } else {
        lines.extend(errors);
        Err(lines.join("\n"))
    }
}
