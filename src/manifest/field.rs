//! Field errors in the API server's wording (`k8s.io/apimachinery/pkg/util/validation/field`).
//!
//! A [`FieldError`] renders its message as `field.Error.ErrorBody()` does: the error type, then the
//! offending value for value errors, then the detail. The field path is kept apart so that the
//! caller can locate it in the source.

use super::locate::Anchor;
use super::Severity;

/// One problem with one field of an object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub severity: Severity,
    /// Kubernetes field path relative to the object (`spec.containers[0].image`).
    pub path: String,
    /// Whether the key or the value of the field is to blame.
    pub anchor: Anchor,
    pub message: String,
    /// A more precise place to point at than `path`, when Kubernetes reports on a parent field
    /// (label errors name `metadata.labels`, but the offending label is what the reader needs).
    pub at: Option<String>,
}

impl FieldError {
    /// Points the diagnostic at `path` in the source while keeping the reported field path.
    pub fn at(mut self, path: String) -> FieldError {
        self.at = Some(path);
        self
    }
}

fn error(path: &str, anchor: Anchor, message: String) -> FieldError {
    FieldError { severity: Severity::Error, path: path.to_string(), anchor, message, at: None }
}

fn with_detail(body: String, detail: &str) -> String {
    if detail.is_empty() {
        body
    } else {
        format!("{body}: {detail}")
    }
}

/// `Required value`, pointing at the enclosing field when the field itself was not written.
pub fn required(path: &str, detail: &str) -> FieldError {
    error(path, Anchor::Key, with_detail("Required value".to_string(), detail))
}

/// `Forbidden`, pointing at the key that should not be there.
pub fn forbidden(path: &str, detail: &str) -> FieldError {
    error(path, Anchor::Key, with_detail("Forbidden".to_string(), detail))
}

/// `Invalid value: <value>`; `value` is already rendered (see [`quote`]).
pub fn invalid(path: &str, value: &str, detail: &str) -> FieldError {
    error(path, Anchor::Value, with_detail(format!("Invalid value: {value}"), detail))
}

/// `Unsupported value: "x": supported values: "a", "b"`.
pub fn not_supported(path: &str, value: &str, supported: &[&str]) -> FieldError {
    let list: Vec<String> = supported.iter().map(|s| quote(s)).collect();
    error(
        path,
        Anchor::Value,
        format!("Unsupported value: {}: supported values: {}", quote(value), list.join(", ")),
    )
}

/// `Too long: may not be more than <n> bytes`, which names no value.
pub fn too_long(path: &str, max_bytes: usize) -> FieldError {
    let unit = if max_bytes == 1 { "byte" } else { "bytes" };
    error(path, Anchor::Key, format!("Too long: may not be more than {max_bytes} {unit}"))
}

/// `Duplicate value: <value>`.
pub fn duplicate(path: &str, value: &str, detail: &str) -> FieldError {
    error(path, Anchor::Value, with_detail(format!("Duplicate value: {value}"), detail))
}

/// `unknown field "<path>"`, as `kubectl`'s strict field validation words it.
pub fn unknown(path: &str) -> FieldError {
    error(path, Anchor::Key, format!("unknown field {}", quote(path)))
}

/// A remark about an accepted field.
pub fn warning(path: &str, message: &str) -> FieldError {
    FieldError {
        severity: Severity::Warning,
        path: path.to_string(),
        anchor: Anchor::Key,
        message: message.to_string(),
        at: None,
    }
}

/// Any other error, worded by the caller.
pub fn other(path: &str, anchor: Anchor, message: String) -> FieldError {
    error(path, anchor, message)
}

/// A string as Go's `%q` prints it: double quotes, with control characters and quotes escaped.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => out.push_str(&format!("\\x{:02x}", c as u32)),
            // Invisible and direction-changing characters are escaped, as Go's `%q` does, so that a
            // message cannot hide or reorder what follows it.
            c if is_invisible(c) => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn is_invisible(c: char) -> bool {
    matches!(c as u32, 0x80..=0x9f | 0xad | 0x200b..=0x200f | 0x2028..=0x202e | 0x2060..=0x2069 | 0xfeff)
}

/// A string map as Go's `%#v` prints `map[string]string`, keys sorted.
pub fn go_string_map<'a>(entries: impl IntoIterator<Item = (&'a String, &'a String)>) -> String {
    let parts: Vec<String> = entries.into_iter().map(|(k, v)| format!("{}:{}", quote(k), quote(v))).collect();
    format!("map[string]string{{{}}}", parts.join(", "))
}

/// Field paths are built the way `field.Path` renders them.
pub fn child(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_string()
    } else {
        format!("{parent}.{name}")
    }
}

/// `parent[index]`.
pub fn index(parent: &str, i: usize) -> String {
    format!("{parent}[{i}]")
}

/// `parent[key]`, the form of map keys.
pub fn key(parent: &str, k: &str) -> String {
    format!("{parent}[{k}]")
}
