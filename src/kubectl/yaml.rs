//! YAML output in the style of kubectl's `-o yaml` (`sigs.k8s.io/yaml`, i.e. go-yaml v2 over JSON):
//! keys sorted, sequences not indented under their key, strings that would read back as another
//! type (`"80"`, `"true"`, `""`, timestamps) double-quoted, strings that cannot be plain
//! single-quoted, and multi-line strings as literal blocks.

use serde_json::Value;

/// Writes a JSON value as kubectl writes it with `-o yaml`.
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => write_map(&mut out, map, 0),
        Value::Array(items) if !items.is_empty() => write_seq(&mut out, items, 0),
        other => {
            out.push_str(&scalar(other, 0));
            out.push('\n');
        }
    }
    out
}

fn indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn write_map(out: &mut String, map: &serde_json::Map<String, Value>, level: usize) {
    let mut first = true;
    for (key, value) in map {
        if !first {
            indent(out, level);
        }
        first = false;
        out.push_str(&string(key, level));
        out.push(':');
        write_value_after_key(out, value, level);
    }
}

/// Writes a mapping value: nested mappings go on the next lines indented by two, sequences on the
/// next lines at the key's own indentation, scalars on the same line.
fn write_value_after_key(out: &mut String, value: &Value, level: usize) {
    match value {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            indent(out, level + 2);
            write_map(out, m, level + 2);
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            indent(out, level);
            write_seq(out, items, level);
        }
        other => {
            out.push(' ');
            out.push_str(&scalar(other, level));
            out.push('\n');
        }
    }
}

fn write_seq(out: &mut String, items: &[Value], level: usize) {
    let mut first = true;
    for item in items {
        if !first {
            indent(out, level);
        }
        first = false;
        out.push_str("- ");
        match item {
            Value::Object(m) if !m.is_empty() => write_map(out, m, level + 2),
            Value::Array(inner) if !inner.is_empty() => write_seq(out, inner, level + 2),
            other => {
                out.push_str(&scalar(other, level));
                out.push('\n');
            }
        }
    }
}

fn scalar(value: &Value, level: usize) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => string(s, level),
        Value::Object(_) => "{}".to_string(),
        Value::Array(_) => "[]".to_string(),
    }
}

/// Chooses the style of a string scalar as go-yaml does.
fn string(s: &str, level: usize) -> String {
    if s.contains('\n') {
        let chomp = if s.ends_with("\n\n") {
            "+"
        } else if s.ends_with('\n') {
            ""
        } else {
            "-"
        };
        let mut text = format!("|{chomp}");
        let body = s.strip_suffix('\n').unwrap_or(s);
        for line in body.split('\n') {
            text.push('\n');
            if !line.is_empty() {
                text.push_str(&" ".repeat(level + 2));
                text.push_str(line);
            }
        }
        return text;
    }
    if resolves_to_other_type(s) {
        return double_quoted(s);
    }
    if plain_allowed(s) {
        return s.to_string();
    }
    if s.chars().all(|c| !c.is_control()) {
        return format!("'{}'", s.replace('\'', "''"));
    }
    double_quoted(s)
}

fn double_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\x{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether a plain scalar would be read back as null, a boolean, a number or a timestamp (YAML 1.1
/// as go-yaml v2 resolves it).
fn resolves_to_other_type(s: &str) -> bool {
    const SPECIAL: &[&str] = &[
        "", "~", "null", "Null", "NULL", "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true",
        "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", ".inf", ".Inf",
        ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN", "<<",
    ];
    if SPECIAL.contains(&s) {
        return true;
    }
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let plain = body.replace('_', "");
    // Integers: decimal, 0b, 0x, octal; floats: digits with one dot and an optional exponent.
    if !plain.is_empty() && plain.chars().all(|c| c.is_ascii_digit()) {
        return true;
    }
    if let Some(hex) = plain.strip_prefix("0x") {
        if !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return true;
        }
    }
    if let Some(bin) = plain.strip_prefix("0b") {
        if !bin.is_empty() && bin.chars().all(|c| c == '0' || c == '1') {
            return true;
        }
    }
    if is_float(&plain) {
        return true;
    }
    // Base-60 numbers (`1:20`) and timestamps (`2025-09-01`, `2025-09-01T09:00:00Z`).
    if body.contains(':') && body.split(':').all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit())) {
        return true;
    }
    let bytes = s.as_bytes();
    bytes.len() >= 10
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        && bytes[5..7].iter().all(u8::is_ascii_digit)
        && bytes[7] == b'-'
        && bytes[8..10].iter().all(u8::is_ascii_digit)
        && (bytes.len() == 10 || matches!(bytes[10], b'T' | b't' | b' '))
}

fn is_float(s: &str) -> bool {
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let Some((int, frac)) = mantissa.split_once('.') else { return false };
    let digits = |t: &str| t.chars().all(|c| c.is_ascii_digit());
    if !(digits(int) && digits(frac)) || (int.is_empty() && frac.is_empty()) {
        return false;
    }
    match exponent {
        None => true,
        Some(e) => {
            let e = e.strip_prefix(['+', '-']).unwrap_or(e);
            !e.is_empty() && digits(e)
        }
    }
}

/// Whether libyaml's emitter may write the string as a plain scalar in block context.
fn plain_allowed(s: &str) -> bool {
    let Some(first) = s.chars().next() else { return false };
    if s.starts_with(' ') || s.ends_with(' ') || s.starts_with("---") || s.starts_with("...") {
        return false;
    }
    let second = s.chars().nth(1);
    match first {
        '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"' | '%' | '@' | '`' => {
            return false
        }
        '-' | '?' | ':' if second.is_none_or(|c| c == ' ') => return false,
        _ => {}
    }
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') || s.contains('\t') {
        return false;
    }
    !s.chars().any(|c| c.is_control() || c == '\u{feff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalar_styles() {
        let cases = [
            ("busybox", "busybox"),
            ("", "\"\""),
            ("80", "\"80\""),
            ("true", "\"true\""),
            ("yes", "\"yes\""),
            ("1.5", "\"1.5\""),
            ("10.244.1.2", "10.244.1.2"),
            ("2025-09-01T09:00:00Z", "\"2025-09-01T09:00:00Z\""),
            ("<none>", "<none>"),
            ("touch /tmp/healthy; sleep 30", "touch /tmp/healthy; sleep 30"),
            ("a: b", "'a: b'"),
            ("*", "'*'"),
            ("-c", "-c"),
            ("- x", "'- x'"),
            ("it's", "it's"),
            ("'q'", "'''q'''"),
            ("spec.containers{liveness}", "spec.containers{liveness}"),
        ];
        for (input, want) in cases {
            assert_eq!(string(input, 0), want, "{input:?}");
        }
    }

    #[test]
    fn block_layout() {
        let value = serde_json::json!({
            "metadata": {"name": "x", "annotations": {"note": "line one\nline two\n"}, "labels": {}},
            "spec": {"containers": [{"name": "c", "args": ["sh", "-c", "exit 1"], "ports": [{"containerPort": 80}]}]},
            "items": [],
        });
        let want = "items: []\nmetadata:\n  annotations:\n    note: |\n      line one\n      line two\n  labels: {}\n  name: x\nspec:\n  containers:\n  - args:\n    - sh\n    - -c\n    - exit 1\n    name: c\n    ports:\n    - containerPort: 80\n";
        assert_eq!(to_yaml(&value), want);
    }
}
