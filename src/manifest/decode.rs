//! Decoding a YAML value into a typed object with `kubectl`'s strict field validation.
//!
//! Fields the target type does not know are reported through `serde_ignored` (which sees every
//! value a type skips), and the first type error is located with `serde_path_to_error`. Error texts
//! are reworded the way Go's `encoding/json` words them, which is what `kubectl` users see.

use serde::de::DeserializeOwned;

use super::field::{self, FieldError};
use super::locate::Anchor;

/// One document of a YAML stream, as `serde_yaml` hands it out.
pub type YamlDocument<'a> = serde_yaml::Deserializer<'a>;

/// Decodes one document into `T`. Returns the object, or `None` when a type error stopped decoding,
/// and every unknown field met on the way plus that type error.
///
/// Every object type is decoded through this one stack of deserializers, with a callback that does
/// not depend on `T`: each distinct stack would carry its own copy of the decoding code of every
/// Kubernetes type reachable from `T`, which is most of the WebAssembly download.
pub fn decode<T: DeserializeOwned>(de: YamlDocument<'_>) -> (Option<T>, Vec<FieldError>) {
    let mut errors = Vec::new();
    let mut on_ignored = |path: serde_ignored::Path| {
        let mut rendered = String::new();
        render_ignored(&path, &mut rendered);
        errors.push(field::unknown(&rendered));
    };
    let mut callback: &mut dyn FnMut(serde_ignored::Path) = &mut on_ignored;
    let ignoring = serde_ignored::Deserializer::new(de, &mut callback);
    let result: Result<T, _> = serde_path_to_error::deserialize(ignoring);
    match result {
        Ok(object) => (Some(object), errors),
        Err(e) => {
            let path = render_segments(e.path());
            let message = e.inner().to_string();
            errors.push(type_error(&path, &message));
            (None, errors)
        }
    }
}

/// Renders a path the way Kubernetes prints field paths: `spec.containers[0].image`.
fn render_ignored(path: &serde_ignored::Path, out: &mut String) {
    // The chain is walked from the leaf up, so segments are collected and then written in order.
    let mut segments = Vec::new();
    let mut current = path;
    loop {
        match current {
            serde_ignored::Path::Root => break,
            serde_ignored::Path::Seq { parent, index } => {
                segments.push(format!("[{index}]"));
                current = parent;
            }
            serde_ignored::Path::Map { parent, key } => {
                segments.push(format!(".{key}"));
                current = parent;
            }
            serde_ignored::Path::Some { parent }
            | serde_ignored::Path::NewtypeStruct { parent }
            | serde_ignored::Path::NewtypeVariant { parent } => current = parent,
        }
    }
    for segment in segments.iter().rev() {
        out.push_str(segment);
    }
    if out.starts_with('.') {
        out.remove(0);
    }
}

fn render_segments(path: &serde_path_to_error::Path) -> String {
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            serde_path_to_error::Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            serde_path_to_error::Segment::Map { key } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            serde_path_to_error::Segment::Enum { .. } | serde_path_to_error::Segment::Unknown => {}
        }
    }
    out
}

/// Rewords a serde error at `path`. Missing fields become `Required value` on the missing field;
/// type mismatches read like Go's `cannot unmarshal string into Go value of type int32`.
fn type_error(path: &str, message: &str) -> FieldError {
    let mut message = strip_location(message);
    // serde_yaml prefixes its own rendering of the path; the path is reported separately.
    for phrase in ["invalid type: ", "invalid value: ", "missing field `", "invalid length "] {
        if let Some(i) = message.find(phrase) {
            message = &message[i..];
            break;
        }
    }
    let owned = message.replace("` as u128", "`").replace("` as i128", "`");
    let message = owned.as_str();
    if let Some(rest) = message.strip_prefix("missing field `") {
        let name = rest.trim_end_matches('`');
        return field::required(&field::child(path, name), "");
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        if let Some((found, expected)) = rest.split_once(", expected ") {
            let found_kind = go_kind(found);
            let go = go_type(expected);
            // Go names the number only when it does not fit the integer type it was meant for.
            let number = found.split('`').nth(1).filter(|_| found_kind == "number" && go.contains("int"));
            let message = match number {
                Some(n) => format!("cannot unmarshal number {n} into Go value of type {go}"),
                None => format!("cannot unmarshal {found_kind} into Go value of type {go}"),
            };
            return field::other(path, Anchor::Value, message);
        }
    }
    if let Some(rest) = message.strip_prefix("invalid value: ") {
        if let Some((found, expected)) = rest.split_once(", expected ") {
            let number = found
                .split('`')
                .nth(1)
                .filter(|_| found.starts_with("integer") || found.starts_with("floating"));
            if let Some(number) = number {
                return field::other(
                    path,
                    Anchor::Value,
                    format!("cannot unmarshal number {number} into Go value of type {}", go_type(expected)),
                );
            }
        }
    }
    field::other(path, Anchor::Value, message.to_string())
}

/// serde_yaml appends ` at line N column M` to some messages; positions come from the index instead.
fn strip_location(message: &str) -> &str {
    match message.find(" at line ") {
        Some(i) => &message[..i],
        None => message,
    }
}

/// The JSON kind Go names for what serde found (`string "abc"` → `string`).
fn go_kind(found: &str) -> &'static str {
    let word = found.split([' ', '`']).next().unwrap_or("");
    match word {
        "string" | "character" => "string",
        "integer" | "floating" => "number",
        "boolean" => "bool",
        "sequence" => "array",
        "map" => "object",
        "unit" | "null" | "Option" => "null",
        _ => "value",
    }
}

/// The Go type for what a k8s-openapi visitor expected (`i32` → `int32`, `struct Probe` → `object`).
fn go_type(expected: &str) -> String {
    match expected {
        "i32" => "int32".to_string(),
        "i64" => "int64".to_string(),
        "u64" => "uint64".to_string(),
        "u32" => "uint32".to_string(),
        "f64" => "float64".to_string(),
        "a string" | "string" => "string".to_string(),
        "a boolean" | "bool" => "bool".to_string(),
        "a sequence" => "array".to_string(),
        "a map" => "map".to_string(),
        other => {
            let name = other.trim_start_matches("struct ").trim_start_matches("a ");
            if name.chars().all(|c| c.is_ascii_alphanumeric()) && !name.is_empty() {
                name.to_string()
            } else {
                "object".to_string()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::Pod;

    fn check(yaml: &str) -> Vec<String> {
        let (pod, errors) = decode::<Pod>(serde_yaml::Deserializer::from_str(yaml));
        let mut out: Vec<String> = errors
            .iter()
            .map(|e| format!("{}: {}", e.path, e.message))
            .collect();
        out.push(format!("decoded: {}", pod.is_some()));
        out
    }

    #[test]
    fn unknown_fields_and_type_errors_are_located() {
        expect_test::expect![[r#"
            [
                "spec.containers[0].livenessProbe.initialDelaySecond: unknown field \"spec.containers[0].livenessProbe.initialDelaySecond\"",
                "spec.extra: unknown field \"spec.extra\"",
                "decoded: true",
            ]
        "#]]
        .assert_debug_eq(&check(
            "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    livenessProbe:\n      initialDelaySecond: 5\n  extra: 1\n",
        ));
        expect_test::expect![[r#"
            [
                "spec.containers[0].livenessProbe.periodSeconds: cannot unmarshal string into Go value of type int32",
                "decoded: false",
            ]
        "#]]
        .assert_debug_eq(&check(
            "spec:\n  containers:\n  - name: a\n    livenessProbe:\n      periodSeconds: often\n",
        ));
        expect_test::expect![[r#"
            [
                "decoded: true",
            ]
        "#]]
        .assert_debug_eq(&check("spec:\n  containers:\n  - image: a\n"));
        expect_test::expect![[r#"
            [
                "spec.containers[0].livenessProbe.timeoutSeconds: cannot unmarshal number 3000000000 into Go value of type int32",
                "decoded: false",
            ]
        "#]]
        .assert_debug_eq(&check("spec:\n  containers:\n  - livenessProbe:\n      timeoutSeconds: 3000000000\n"));
    }
}
