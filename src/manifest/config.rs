//! ConfigMap and Secret documents: decoded, defaulted and validated as the API server does
//! (`pkg/apis/core/v1/conversion.go` for a Secret's `stringData`, `pkg/apis/core/v1/defaults.go`
//! for its type, `pkg/apis/core/validation/validation.go` `ValidateConfigMap` and `ValidateSecret`).
//!
//! Their byte fields (`data` of a Secret, `binaryData` of a ConfigMap) are base64 in the file. They
//! are read as text first and decoded with Go's rules (`go_base64`), so that a bad value is the API
//! server's `illegal base64 data at input byte N`, located at the value that holds it.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{ConfigMap, Secret};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::ByteString;
use serde::Deserialize;

use super::field::{self, quote, FieldError};
use super::go_base64;
use super::locate::Anchor;
use super::tree::Tree;
use super::validate::{object_meta, NameRule};

/// The most bytes a ConfigMap's or a Secret's data may hold (`corev1.MaxSecretSize`, 1 MiB).
const MAX_SIZE: usize = 1024 * 1024;

/// A ConfigMap as written, its binary data still in base64.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ConfigMapDoc {
    #[allow(dead_code)]
    api_version: Option<String>,
    #[allow(dead_code)]
    kind: Option<String>,
    #[serde(default)]
    metadata: ObjectMeta,
    data: Option<BTreeMap<String, String>>,
    binary_data: Option<BTreeMap<String, String>>,
    immutable: Option<bool>,
}

/// A Secret as written, its data still in base64.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SecretDoc {
    #[allow(dead_code)]
    api_version: Option<String>,
    #[allow(dead_code)]
    kind: Option<String>,
    #[serde(default)]
    metadata: ObjectMeta,
    data: Option<BTreeMap<String, String>>,
    string_data: Option<BTreeMap<String, String>>,
    #[serde(rename = "type")]
    type_: Option<String>,
    immutable: Option<bool>,
}

/// Decodes each base64 value of a map, reporting each bad one at its own key.
fn decode_bytes(
    map: Option<BTreeMap<String, String>>,
    path: &str,
    errs: &mut Vec<FieldError>,
) -> Option<BTreeMap<String, ByteString>> {
    let map = map?;
    let mut out = BTreeMap::new();
    for (k, v) in map {
        match go_base64::decode(&v) {
            Ok(bytes) => {
                out.insert(k, ByteString(bytes));
            }
            Err(e) => errs.push(field::other(&field::key(path, &k), Anchor::Value, e)),
        }
    }
    Some(out)
}

/// Decodes, defaults and validates a ConfigMap document.
pub(super) fn config_map(tree: &Tree, errs: &mut Vec<FieldError>) -> Option<ConfigMap> {
    let (doc, decode_errors) = super::decode::decode::<ConfigMapDoc>(tree);
    let failed = !decode_errors.is_empty();
    errs.extend(decode_errors);
    let doc = doc?;
    let before = errs.len();
    let binary_data = decode_bytes(doc.binary_data, "binaryData", errs);
    let mut cm = ConfigMap { metadata: doc.metadata, data: doc.data, binary_data, immutable: doc.immutable };
    defaults_meta(&mut cm.metadata);
    validate_config_map(&cm, errs);
    (!failed && errs.len() == before).then_some(cm)
}

/// Decodes, defaults and validates a Secret document: `stringData` is merged into `data` (its
/// values win) and the type defaults to `Opaque`.
pub(super) fn secret(tree: &Tree, errs: &mut Vec<FieldError>) -> Option<Secret> {
    let (doc, decode_errors) = super::decode::decode::<SecretDoc>(tree);
    let failed = !decode_errors.is_empty();
    errs.extend(decode_errors);
    let doc = doc?;
    let before = errs.len();
    let mut data = decode_bytes(doc.data, "data", errs);
    if let Some(strings) = doc.string_data {
        let merged = data.get_or_insert_with(BTreeMap::new);
        for (k, v) in strings {
            merged.insert(k, ByteString(v.into_bytes()));
        }
    }
    let mut secret = Secret {
        metadata: doc.metadata,
        data,
        string_data: None,
        type_: Some(doc.type_.filter(|t| !t.is_empty()).unwrap_or_else(|| "Opaque".to_string())),
        immutable: doc.immutable,
    };
    defaults_meta(&mut secret.metadata);
    validate_secret(&secret, errs);
    (!failed && errs.len() == before).then_some(secret)
}

fn defaults_meta(meta: &mut ObjectMeta) {
    if meta.namespace.as_deref().is_none_or(str::is_empty) {
        meta.namespace = Some("default".to_string());
    }
}

/// `IsConfigMapKey` (`k8s.io/apimachinery/pkg/util/validation`): the rule for the keys of a
/// ConfigMap's or a Secret's data, which become file names in volumes.
pub fn config_key(key: &str) -> Vec<String> {
    let mut msgs = Vec::new();
    if key.len() > 253 {
        msgs.push("must be no more than 253 characters".to_string());
    }
    if key.is_empty()
        || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
    {
        msgs.push(
            "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  \
             or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"
                .to_string(),
        );
    }
    if key == "." {
        msgs.push("must not be '.'".to_string());
    } else if key == ".." {
        msgs.push("must not be '..'".to_string());
    } else if key.starts_with("..") {
        msgs.push("must not start with '..'".to_string());
    }
    msgs
}

fn keys<'a>(keys: impl Iterator<Item = &'a String>, path: &str, errs: &mut Vec<FieldError>) {
    for k in keys {
        for msg in config_key(k) {
            errs.push(field::invalid(&field::key(path, k), &quote(k), &msg));
        }
    }
}

/// `ValidateConfigMap`.
fn validate_config_map(cm: &ConfigMap, errs: &mut Vec<FieldError>) {
    object_meta(&cm.metadata, NameRule::Subdomain, errs);
    let data = cm.data.as_ref();
    let binary = cm.binary_data.as_ref();
    keys(data.into_iter().flat_map(|d| d.keys()), "data", errs);
    keys(binary.into_iter().flat_map(|d| d.keys()), "binaryData", errs);
    let mut size = 0;
    for (k, v) in data.into_iter().flatten() {
        size += v.len();
        if binary.is_some_and(|b| b.contains_key(k)) {
            errs.push(field::invalid(
                &field::key("data", k),
                &quote(k),
                "duplicate of key present in binaryData",
            ));
        }
    }
    size += binary.into_iter().flatten().map(|(_, v)| v.0.len()).sum::<usize>();
    if size > MAX_SIZE {
        errs.push(field::other("", Anchor::Key, format!("Too long: must have at most {MAX_SIZE} bytes")));
    }
}

/// The keys a Secret of a built-in type must hold (`ValidateSecret`).
const REQUIRED_KEYS: &[(&str, &[&str])] = &[
    ("kubernetes.io/tls", &["tls.crt", "tls.key"]),
    ("kubernetes.io/ssh-auth", &["ssh-privatekey"]),
    ("kubernetes.io/dockerconfigjson", &[".dockerconfigjson"]),
    ("kubernetes.io/dockercfg", &[".dockercfg"]),
];

/// `ValidateSecret`.
fn validate_secret(secret: &Secret, errs: &mut Vec<FieldError>) {
    object_meta(&secret.metadata, NameRule::Subdomain, errs);
    let data = secret.data.as_ref();
    keys(data.into_iter().flat_map(|d| d.keys()), "data", errs);
    let size: usize = data.into_iter().flatten().map(|(_, v)| v.0.len()).sum();
    if size > MAX_SIZE {
        errs.push(field::other(
            "data",
            Anchor::Key,
            format!("data: Too long: must have at most {MAX_SIZE} bytes"),
        ));
    }
    let type_ = secret.type_.as_deref().unwrap_or("Opaque");
    if let Some((_, required)) = REQUIRED_KEYS.iter().find(|(t, _)| *t == type_) {
        for k in *required {
            if !data.is_some_and(|d| d.contains_key(*k)) {
                errs.push(field::required(&field::key("data", k), ""));
            }
        }
    }
    if type_ == "kubernetes.io/basic-auth"
        && !data.is_some_and(|d| d.contains_key("username") || d.contains_key("password"))
    {
        errs.push(field::required("data[username]", ""));
        errs.push(field::required("data[password]", ""));
    }
}
