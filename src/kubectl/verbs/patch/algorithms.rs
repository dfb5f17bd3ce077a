//! The three patch types on an object's JSON: JSON merge patch (RFC 7386), strategic merge patch
//! (`staging/src/k8s.io/apimachinery/pkg/util/strategicpatch/patch.go`: like a merge patch, but
//! lists of containers and ports are merged by their key, as the API's `patchMergeKey` tags say)
//! and JSON patch (RFC 6902: `add`, `remove`, `replace`, `test`).

use serde_json::{Map, Value};

/// The merge key of the lists the strategic merge patch merges instead of replacing.
fn merge_key(field: &str) -> Option<&'static str> {
    match field {
        "containers" | "initContainers" | "env" => Some("name"),
        "ports" => Some("containerPort"),
        _ => None,
    }
}

/// RFC 7386: objects merge key by key, `null` removes, anything else replaces.
pub(super) fn merge(target: &mut Value, patch: &Value, strategic: bool) {
    let Value::Object(patch_map) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let Value::Object(target_map) = target else { return };
    for (key, value) in patch_map {
        if value.is_null() {
            target_map.remove(key);
            continue;
        }
        let list_key = if strategic { merge_key(key) } else { None };
        match (list_key, target_map.get_mut(key), value) {
            (Some(mk), Some(Value::Array(items)), Value::Array(patches)) => {
                merge_list(items, patches, mk);
                continue;
            }
            (_, Some(existing @ Value::Object(_)), Value::Object(_)) => {
                merge(existing, value, strategic);
                continue;
            }
            _ => {}
        }
        let fresh = if value.is_object() {
            let mut fresh = Value::Object(Map::new());
            merge(&mut fresh, value, strategic);
            fresh
        } else {
            value.clone()
        };
        target_map.insert(key.clone(), fresh);
    }
}

/// Merges a list element by element on the merge key; elements without a match are appended.
fn merge_list(items: &mut Vec<Value>, patches: &[Value], key: &str) {
    for patch in patches {
        let id = patch.get(key);
        match items.iter_mut().find(|item| id.is_some() && item.get(key) == id) {
            Some(item) => merge(item, patch, true),
            None => items.push(patch.clone()),
        }
    }
}

/// Splits a JSON pointer into its reference tokens (`~1` is `/`, `~0` is `~`).
fn tokens(path: &str) -> Result<Vec<String>, String> {
    if path.is_empty() {
        return Ok(Vec::new());
    }
    let Some(rest) = path.strip_prefix('/') else {
        return Err(format!("invalid JSON pointer {path:?}: it must start with \"/\""));
    };
    Ok(rest.split('/').map(|t| t.replace("~1", "/").replace("~0", "~")).collect())
}

/// RFC 6902 over `target`; the first failing operation fails the whole patch.
pub(super) fn json_patch(target: &mut Value, ops: &Value) -> Result<(), String> {
    let Value::Array(ops) = ops else {
        return Err("json: cannot unmarshal object into Go value of type jsonpatch.Patch".to_string());
    };
    for op in ops {
        let name = op.get("op").and_then(Value::as_str).unwrap_or_default();
        let path = op.get("path").and_then(Value::as_str).ok_or("missing path in JSON patch operation")?;
        let mut parts = tokens(path)?;
        let Some(last) = parts.pop() else {
            return Err(format!("the playground cannot {name} the whole object"));
        };
        let mut parent = &mut *target;
        for part in &parts {
            parent = match parent {
                Value::Object(map) => map.get_mut(part),
                Value::Array(items) => part.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
                _ => None,
            }
            .ok_or_else(|| format!("doc is missing path: {path:?}"))?;
        }
        let value = op.get("value").cloned();
        match (name, parent) {
            ("add" | "replace", Value::Object(map)) => {
                if name == "replace" && !map.contains_key(&last) {
                    return Err(format!("replace operation does not apply: doc is missing key: {path}"));
                }
                map.insert(last, value.ok_or("missing value in JSON patch operation")?);
            }
            ("add" | "replace", Value::Array(items)) => {
                let value = value.ok_or("missing value in JSON patch operation")?;
                let index = if last == "-" {
                    items.len()
                } else {
                    last.parse().map_err(|_| format!("invalid index {last:?}"))?
                };
                match name {
                    "add" if index <= items.len() => items.insert(index, value),
                    "replace" if index < items.len() => items[index] = value,
                    _ => return Err(format!("{name} operation does not apply: index out of range: {path}")),
                }
            }
            ("remove", Value::Object(map)) => {
                map.remove(&last)
                    .ok_or_else(|| format!("remove operation does not apply: doc is missing key: {path}"))?;
            }
            ("remove", Value::Array(items)) => {
                let index: usize = last.parse().map_err(|_| format!("invalid index {last:?}"))?;
                if index >= items.len() {
                    return Err(format!("remove operation does not apply: index out of range: {path}"));
                }
                items.remove(index);
            }
            ("test", parent) => {
                let current = match parent {
                    Value::Object(map) => map.get(&last),
                    Value::Array(items) => last.parse::<usize>().ok().and_then(|i| items.get(i)),
                    _ => None,
                };
                if current != value.as_ref() {
                    return Err(format!("testing value {path} failed: test failed"));
                }
            }
            ("add" | "replace" | "remove", _) => return Err(format!("doc is missing path: {path:?}")),
            (other, _) => return Err(format!("Unexpected kind: {other}")),
        }
    }
    Ok(())
}

/// The paths (JSON pointers) at which two values differ, down to the first level where they do.
pub(super) fn changed_paths(before: &Value, after: &Value, path: &str, out: &mut Vec<String>) {
    match (before, after) {
        (Value::Object(a), Value::Object(b)) => {
            let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for key in keys {
                let child = format!("{path}/{key}");
                match (a.get(key), b.get(key)) {
                    (Some(x), Some(y)) => changed_paths(x, y, &child, out),
                    (None, None) => {}
                    _ => out.push(child),
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                changed_paths(x, y, &format!("{path}/{i}"), out);
            }
        }
        (a, b) if a != b => out.push(path.to_string()),
        _ => {}
    }
}
