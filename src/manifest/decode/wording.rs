//! Error rendering: serde's messages reworded as Go's `encoding/json` words them, which is
//! what `kubectl` users see, and the errors the decoder raises itself.

use serde::de::{self, Expected, Unexpected};

use super::super::field::{self, FieldError};
use super::super::locate::Anchor;
use super::super::tree::{Kind, Node};
use super::scalar::{resolve, Scalar};
use super::Error;

/// The error for a node of the wrong kind, naming what was found as serde does.
pub(super) fn invalid_type(node: &Node, exp: &dyn Expected) -> Error {
    let scalar = match &node.kind {
        Kind::Seq(_) => return de::Error::invalid_type(Unexpected::Seq, exp),
        Kind::Map(_) => return de::Error::invalid_type(Unexpected::Map, exp),
        Kind::Scalar { .. } => match resolve(node, false) {
            Ok(scalar) => scalar,
            Err(e) => return e,
        },
    };
    let wide;
    let owned;
    let unexpected = match scalar {
        Scalar::Unit => Unexpected::Unit,
        Scalar::Bool(b) => Unexpected::Bool(b),
        Scalar::U64(n) => Unexpected::Unsigned(n),
        Scalar::I64(n) => Unexpected::Signed(n),
        Scalar::U128(n) => {
            wide = format!("integer `{n}` as u128");
            Unexpected::Other(&wide)
        }
        Scalar::I128(n) => {
            wide = format!("integer `{n}` as i128");
            Unexpected::Other(&wide)
        }
        Scalar::F64(f) => Unexpected::Float(f),
        Scalar::Str(s) => Unexpected::Str(s),
        Scalar::Owned(s) => {
            owned = s;
            Unexpected::Str(&owned)
        }
    };
    de::Error::invalid_type(unexpected, exp)
}

/// A mapping or sequence must be read to its end (`serde_yaml` checks the same).
pub(super) fn check_length(read: usize, total: usize, map: bool) -> Result<(), Error> {
    if read == total {
        return Ok(());
    }
    let expected = match (map, read) {
        (true, 1) => "map containing 1 entry".to_string(),
        (true, n) => format!("map containing {n} entries"),
        (false, 1) => "sequence of 1 element".to_string(),
        (false, n) => format!("sequence of {n} elements"),
    };
    Err(de::Error::invalid_length(total, &expected.as_str()))
}

/// Rewords a serde error at `path`. Missing fields become `Required value` on the missing field;
/// type mismatches read like Go's `cannot unmarshal string into Go value of type int32`.
pub(super) fn type_error(path: &str, message: &str) -> FieldError {
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
pub(super) fn strip_location(message: &str) -> &str {
    match message.find(" at line ") {
        Some(i) => &message[..i],
        None => message,
    }
}

/// The JSON kind Go names for what serde found (`string "abc"` → `string`).
pub(super) fn go_kind(found: &str) -> &'static str {
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
pub(super) fn go_type(expected: &str) -> String {
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
