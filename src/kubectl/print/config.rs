//! ConfigMaps and Secrets in `kubectl get` (`printConfigMap`, `printSecret` in
//! `pkg/printers/internalversion/printers.go`).

use k8s_openapi::api::core::v1::{ConfigMap, Secret};

use super::object::{listed, Object};
use super::{age, name_of, Printer, Wide};
use crate::duration::Millis;

listed!(ConfigMap, Secret);

pub(crate) const CONFIG_MAPS: Printer = Printer {
    columns: &["NAME", "DATA", "AGE"],
    wide: Wide::Append(&[]),
    list: |api, namespace| super::stored(&api.config_maps, namespace),
    row: config_map_row,
    warning: None,
};

pub(crate) const SECRETS: Printer = Printer {
    columns: &["NAME", "TYPE", "DATA", "AGE"],
    wide: Wide::Append(&[]),
    list: |api, namespace| super::stored(&api.secrets, namespace),
    row: secret_row,
    warning: None,
};

/// `printConfigMap`: DATA counts the keys of `data` and `binaryData`.
fn config_map_row(now: Millis, object: &Object, _wide: bool) -> Vec<String> {
    let Some(cm) = object.get::<ConfigMap>() else { return Vec::new() };
    let count = cm.data.as_ref().map_or(0, |d| d.len()) + cm.binary_data.as_ref().map_or(0, |d| d.len());
    vec![name_of(&cm.metadata), count.to_string(), age(cm.metadata.creation_timestamp.as_ref(), now)]
}

/// `printSecret`.
fn secret_row(now: Millis, object: &Object, _wide: bool) -> Vec<String> {
    let Some(s) = object.get::<Secret>() else { return Vec::new() };
    vec![
        name_of(&s.metadata),
        s.type_.clone().unwrap_or_default(),
        s.data.as_ref().map_or(0, |d| d.len()).to_string(),
        age(s.metadata.creation_timestamp.as_ref(), now),
    ]
}
