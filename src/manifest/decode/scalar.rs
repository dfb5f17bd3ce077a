//! What a scalar means: YAML 1.2 core schema resolution as `serde_yaml` applies it, for plain
//! scalars read without a type and for the numbers and booleans a typed read asks for.

use saphyr_parser::ScalarStyle;
use serde::de::{self, Unexpected};

use super::super::tree::{Kind, Node};
use super::{Error, TAG_BOOL, TAG_FLOAT, TAG_INT, TAG_NULL};

/// What a scalar means on its own, by the YAML 1.2 core schema as `serde_yaml` applies it.
pub(super) enum Scalar<'s> {
    Unit,
    Bool(bool),
    U64(u64),
    I64(i64),
    U128(u128),
    I128(i128),
    F64(f64),
    Str(&'s str),
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
        Some(local) if local.starts_with('!') && plain => Ok(resolve_plain(value)),
        Some(_) => Ok(Scalar::Str(value)),
        None if plain => Ok(resolve_plain(value)),
        None => Ok(Scalar::Str(value)),
    }
}

pub(super) fn resolve_plain(value: &str) -> Scalar<'_> {
    if value.is_empty() || is_null(value) {
        return Scalar::Unit;
    }
    if let Some(b) = parse_bool(value) {
        return Scalar::Bool(b);
    }
    if let Some(int) = resolve_int(value) {
        return int;
    }
    if !leading_zero_digits(value) {
        if let Some(f) = parse_f64(value) {
            return Scalar::F64(f);
        }
    }
    Scalar::Str(value)
}

/// An integer in the narrowest of the types `serde_yaml` tries, in its order.
pub(super) fn resolve_int(value: &str) -> Option<Scalar<'_>> {
    parse_unsigned(value, u64::from_str_radix)
        .map(Scalar::U64)
        .or_else(|| parse_negative(value, i64::from_str_radix).map(Scalar::I64))
        .or_else(|| parse_unsigned(value, u128::from_str_radix).map(Scalar::U128))
        .or_else(|| parse_negative(value, i128::from_str_radix).map(Scalar::I128))
}

pub(super) fn is_null(value: &str) -> bool {
    matches!(value, "null" | "Null" | "NULL" | "~")
}

pub(super) fn parse_bool(value: &str) -> Option<bool> {
    match value {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

type Radix<T> = fn(&str, u32) -> Result<T, std::num::ParseIntError>;

const RADIX_PREFIXES: [(&str, &str, u32); 3] = [("0x", "-0x", 16), ("0o", "-0o", 8), ("0b", "-0b", 2)];

pub(super) fn starts_with_sign(s: &str) -> bool {
    s.starts_with(['+', '-'])
}

/// YAML 1.2 reads `0123` as text, not as an octal or decimal number.
pub(super) fn leading_zero_digits(value: &str) -> bool {
    let digits = value.strip_prefix(['-', '+']).unwrap_or(value);
    digits.len() > 1 && digits.starts_with('0') && digits[1..].bytes().all(|b| b.is_ascii_digit())
}

/// A non-negative integer: decimal, `0x`, `0o` or `0b`, with an optional `+`.
pub(super) fn parse_unsigned<T>(value: &str, parse: Radix<T>) -> Option<T> {
    let body = value.strip_prefix('+').unwrap_or(value);
    if let Some(n) = parse_prefixed(body, parse)? {
        return Some(n);
    }
    if starts_with_sign(body) || leading_zero_digits(value) {
        return None;
    }
    parse(body, 10).ok()
}

/// An integer of either sign.
pub(super) fn parse_signed<T>(value: &str, parse: Radix<T>) -> Option<T> {
    let body = match value.strip_prefix('+') {
        Some(body) if starts_with_sign(body) => return None,
        Some(body) => body,
        None => value,
    };
    if let Some(n) = parse_prefixed(body, parse)? {
        return Some(n);
    }
    parse_negative(value, parse)
}

/// `body` (its sign already taken off) as `0x`, `0o` or `0b` digits: `Some(None)` when it is not
/// written so, `None` when it is but carries another sign after the prefix, which YAML refuses.
pub(super) fn parse_prefixed<T>(body: &str, parse: Radix<T>) -> Option<Option<T>> {
    for (prefix, _, radix) in RADIX_PREFIXES {
        if let Some(digits) = body.strip_prefix(prefix) {
            if starts_with_sign(digits) {
                return None;
            }
            if let Ok(n) = parse(digits, radix) {
                return Some(Some(n));
            }
        }
    }
    Some(None)
}

/// A negative integer (or a plain decimal one, which the unsigned reading has already taken).
pub(super) fn parse_negative<T>(value: &str, parse: Radix<T>) -> Option<T> {
    for (_, negative, radix) in RADIX_PREFIXES {
        if let Some(digits) = value.strip_prefix(negative) {
            if let Ok(n) = parse(&format!("-{digits}"), radix) {
                return Some(n);
            }
        }
    }
    if leading_zero_digits(value) {
        return None;
    }
    parse(value, 10).ok()
}

/// A finite float, or `.inf`, `-.inf` and `.nan` in their YAML spellings.
pub(super) fn parse_f64(value: &str) -> Option<f64> {
    let body = match value.strip_prefix('+') {
        Some(body) if starts_with_sign(body) => return None,
        Some(body) => body,
        None => value,
    };
    if matches!(body, ".inf" | ".Inf" | ".INF") {
        return Some(f64::INFINITY);
    }
    if matches!(value, "-.inf" | "-.Inf" | "-.INF") {
        return Some(f64::NEG_INFINITY);
    }
    if matches!(value, ".nan" | ".NaN" | ".NAN") {
        return Some(f64::NAN.copysign(1.0));
    }
    body.parse::<f64>().ok().filter(|f| f.is_finite())
}
