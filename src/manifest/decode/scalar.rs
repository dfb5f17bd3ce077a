//! What a scalar means: YAML 1.1 resolution as `kubectl` applies it, for plain scalars read
//! without a type and for the numbers and booleans a typed read asks for.
//!
//! `kubectl` turns YAML into JSON with `sigs.k8s.io/yaml`, which reads it with go-yaml v2: plain
//! scalars are typed by YAML 1.1 rules (`resolve.go`), so `yes` and `off` are booleans, `0755` is
//! octal and `1_000` is a thousand (docs/world-semantics.md, "kubectl turns YAML into JSON
//! client-side"). The API server then decodes that JSON into the object's Go types.

use base64::Engine;
use saphyr_parser::ScalarStyle;
use serde::de::{self, Unexpected};

use super::super::tree::{Kind, Node};
use super::{Error, TAG_BOOL, TAG_FLOAT, TAG_INT, TAG_NULL};

/// The tag of base64-encoded binary data, which go-yaml decodes into the bytes it stands for.
const TAG_BINARY: &str = "tag:yaml.org,2002:binary";

/// What a scalar means on its own.
pub(super) enum Scalar<'s> {
    Unit,
    Bool(bool),
    U64(u64),
    I64(i64),
    /// Integers written with more digits than 64 bits hold, kept so that the error names them as
    /// written.
    U128(u128),
    I128(i128),
    F64(f64),
    Str(&'s str),
    /// Text that is not the scalar's own characters (`!!binary` data, decoded).
    Owned(String),
}

/// What a scalar node means when the reader takes whatever it is. A core schema tag decides the
/// type (and an unreadable value under it is an error); otherwise plain scalars are resolved and
/// quoted or block scalars are text.
pub(super) fn resolve(node: &Node, tagged_already: bool) -> Result<Scalar<'_>, Error> {
    let Kind::Scalar { value, style } = &node.kind else { return Ok(Scalar::Unit) };
    let plain = *style == ScalarStyle::Plain;
    let tag = if tagged_already { None } else { node.tag.as_deref() };
    let invalid = |expected: &str| -> Error { de::Error::invalid_value(Unexpected::Str(value), &expected) };
    match tag {
        Some(TAG_BOOL) => parse_bool(value).map(Scalar::Bool).ok_or_else(|| invalid("a boolean")),
        Some(TAG_INT) => resolve_int(value).ok_or_else(|| invalid("an integer")),
        Some(TAG_FLOAT) => parse_f64(value).map(Scalar::F64).ok_or_else(|| invalid("a float")),
        Some(TAG_NULL) if is_null(value) => Ok(Scalar::Unit),
        Some(TAG_NULL) => Err(invalid("null")),
        Some(TAG_BINARY) => binary(value).map(Scalar::Owned),
        Some(local) if local.starts_with('!') && plain => Ok(resolve_plain(value)),
        Some(_) => Ok(Scalar::Str(value)),
        None if plain => Ok(resolve_plain(value)),
        None => Ok(Scalar::Str(value)),
    }
}

/// A plain scalar by go-yaml v2's rules (`resolve` in `resolve.go`): the booleans and nulls of
/// YAML 1.1 by name; then, for text starting with a digit, a sign or a dot, an integer as Go's
/// `strconv.ParseInt(s, 0, 64)` reads it once `_` are removed, or a float; anything else is text.
pub(super) fn resolve_plain(value: &str) -> Scalar<'_> {
    if value.is_empty() || is_null(value) {
        return Scalar::Unit;
    }
    if let Some(b) = parse_bool(value) {
        return Scalar::Bool(b);
    }
    if let Some(f) = special_float(value) {
        return Scalar::F64(f);
    }
    if !value.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | '.')) {
        return Scalar::Str(value);
    }
    if !value.starts_with('.') {
        if let Some(int) = resolve_int(value) {
            return int;
        }
    }
    match parse_f64(value) {
        Some(f) => Scalar::F64(f),
        None => Scalar::Str(value),
    }
}

/// An integer as go-yaml reads one: Go's `ParseInt` with base 0 (`0x` hexadecimal, `0o` or a
/// leading `0` octal, `0b` binary) after removing `_`, then `ParseUint` for values past `i64`.
/// Longer decimal numbers are kept whole, so that the error about them shows them as written.
pub(super) fn resolve_int(value: &str) -> Option<Scalar<'_>> {
    let plain = value.replace('_', "");
    let (negative, body) = match plain.as_bytes().first() {
        Some(b'-') => (true, &plain[1..]),
        Some(b'+') => (false, &plain[1..]),
        _ => (false, plain.as_str()),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits) = if lower.len() >= 3 && lower.starts_with("0x") {
        (16, &body[2..])
    } else if lower.len() >= 3 && lower.starts_with("0o") {
        (8, &body[2..])
    } else if lower.len() >= 3 && lower.starts_with("0b") {
        (2, &body[2..])
    } else if body.len() > 1 && body.starts_with('0') {
        (8, &body[1..])
    } else {
        (10, body)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let Ok(magnitude) = u128::from_str_radix(digits, radix) else {
        return None;
    };
    let signed = plain.starts_with(['+', '-']);
    if negative {
        let n = 0i128.checked_sub_unsigned(magnitude)?;
        return Some(match i64::try_from(n) {
            Ok(n) => Scalar::I64(n),
            Err(_) if radix == 10 => Scalar::I128(n),
            Err(_) => return None,
        });
    }
    match u64::try_from(magnitude) {
        Ok(n) if n <= i64::MAX as u64 || !signed => Some(Scalar::U64(n)),
        _ if radix == 10 => Some(Scalar::U128(magnitude)),
        _ => None,
    }
}

/// YAML 1.1's null spellings (the empty scalar is one too).
pub(super) fn is_null(value: &str) -> bool {
    matches!(value, "null" | "Null" | "NULL" | "~")
}

/// YAML 1.1's boolean spellings, exactly as go-yaml lists them (`yEs` stays text).
pub(super) fn parse_bool(value: &str) -> Option<bool> {
    match value {
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "true" | "True" | "TRUE" => Some(true),
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// `.inf`, `-.inf` and `.nan` in their YAML spellings.
fn special_float(value: &str) -> Option<f64> {
    match value {
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => Some(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => Some(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => Some(f64::NAN.copysign(1.0)),
        _ => None,
    }
}

/// A float as go-yaml reads one: its special spellings, or text matching
/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$` (with `_` removed unless the text starts
/// with a dot) that Go's `ParseFloat` reads without overflowing.
pub(super) fn parse_f64(value: &str) -> Option<f64> {
    if let Some(f) = special_float(value) {
        return Some(f);
    }
    let plain = if value.starts_with('.') { value.to_string() } else { value.replace('_', "") };
    let body = plain.strip_prefix(['+', '-']).unwrap_or(&plain);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", fraction)) => digits(fraction),
        Some((whole, fraction)) => digits(whole) && (fraction.is_empty() || digits(fraction)),
        None => digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['+', '-']).unwrap_or(e)));
    if !mantissa_ok || !exponent_ok {
        return None;
    }
    plain.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// `!!binary` data: go-yaml decodes the base64 text (line breaks allowed) and JSON carries the
/// bytes as a string, with what is not UTF-8 replaced.
fn binary(value: &str) -> Result<String, Error> {
    let compact: String = value.chars().filter(|c| !matches!(c, '\n' | '\r' | ' ')).collect();
    match base64::engine::general_purpose::STANDARD.decode(compact) {
        Ok(bytes) => Ok(String::from_utf8_lossy(&bytes).into_owned()),
        Err(_) => Err(de::Error::custom("!!binary value contains invalid base64 data")),
    }
}
