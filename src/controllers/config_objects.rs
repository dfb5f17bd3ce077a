//! The API server's writes of ConfigMaps and Secrets: `kubectl apply` of them (create, update with
//! the `immutable` rule of `pkg/apis/core/validation/validation.go` `ValidateConfigMapUpdate` and
//! `ValidateSecretUpdate`), and `kubectl create configmap|secret generic`, which refuses a name
//! that is taken (`configmaps "x" already exists`).
//!
//! Nothing reacts to these objects at once: the kubelet reads them at its next attempt to start a
//! container or mount a volume, as its watch-based managers do.

use k8s_openapi::api::core::v1::{ConfigMap, Secret};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::apply::{create_meta, last_applied, merged_meta, HasMeta};
use super::Context;
use crate::api::{key_of, timestamp, ApiStore};

impl HasMeta for ConfigMap {
    fn meta_mut(&mut self) -> &mut ObjectMeta {
        &mut self.metadata
    }
    fn clear_status(&mut self) {}
}

impl HasMeta for Secret {
    fn meta_mut(&mut self) -> &mut ObjectMeta {
        &mut self.metadata
    }
    fn clear_status(&mut self) {}
}

/// The update error when an immutable object's contents would change.
fn immutable(kind: &str, name: &str, field: &str) -> String {
    format!(
        "The {kind} \"{name}\" is invalid: {field}: Forbidden: field is immutable when `immutable` is set"
    )
}

/// `kubectl apply` of a ConfigMap.
pub(super) fn apply_config_map(
    api: &mut ApiStore,
    ctx: &mut Context,
    desired: &ConfigMap,
) -> Result<String, String> {
    let applied = last_applied(desired);
    let key = key_of(&desired.metadata);
    let name = format!("configmap/{}", key.1);
    let Some(live) = api.config_maps.get(&key).cloned() else {
        let mut obj = desired.clone();
        create_meta(api, ctx, &mut obj.metadata, applied);
        obj.metadata.generation = None;
        api.config_maps.insert(key, obj);
        return Ok(format!("{name} created"));
    };
    if live.immutable == Some(true) {
        if desired.immutable != Some(true) {
            return Err(immutable("ConfigMap", &key.1, "immutable"));
        }
        if desired.data != live.data {
            return Err(immutable("ConfigMap", &key.1, "data"));
        }
        if desired.binary_data != live.binary_data {
            return Err(immutable("ConfigMap", &key.1, "binaryData"));
        }
    }
    let mut next = live.clone();
    next.data = desired.data.clone();
    next.binary_data = desired.binary_data.clone();
    next.immutable = desired.immutable;
    next.metadata = merged_meta(&live.metadata, &desired.metadata, &applied);
    if next == live {
        return Ok(format!("{name} unchanged"));
    }
    next.metadata.resource_version = Some(api.next_resource_version());
    api.config_maps.insert(key, next);
    Ok(format!("{name} configured"))
}

/// `kubectl apply` of a Secret.
pub(super) fn apply_secret(
    api: &mut ApiStore,
    ctx: &mut Context,
    desired: &Secret,
) -> Result<String, String> {
    let applied = last_applied(desired);
    let key = key_of(&desired.metadata);
    let name = format!("secret/{}", key.1);
    let Some(live) = api.secrets.get(&key).cloned() else {
        let mut obj = desired.clone();
        create_meta(api, ctx, &mut obj.metadata, applied);
        obj.metadata.generation = None;
        api.secrets.insert(key, obj);
        return Ok(format!("{name} created"));
    };
    if desired.type_ != live.type_ {
        return Err(format!(
            "The Secret \"{}\" is invalid: type: Invalid value: \"{}\": field is immutable",
            key.1,
            desired.type_.as_deref().unwrap_or_default()
        ));
    }
    if live.immutable == Some(true) {
        if desired.immutable != Some(true) {
            return Err(immutable("Secret", &key.1, "immutable"));
        }
        if desired.data != live.data {
            return Err(immutable("Secret", &key.1, "data"));
        }
    }
    let mut next = live.clone();
    next.data = desired.data.clone();
    next.immutable = desired.immutable;
    next.metadata = merged_meta(&live.metadata, &desired.metadata, &applied);
    if next == live {
        return Ok(format!("{name} unchanged"));
    }
    next.metadata.resource_version = Some(api.next_resource_version());
    api.secrets.insert(key, next);
    Ok(format!("{name} configured"))
}

/// Metadata of an object made by `kubectl create`, which sets no last-applied annotation.
fn created_meta(api: &mut ApiStore, ctx: &mut Context, name: &str, namespace: &str) -> ObjectMeta {
    ObjectMeta {
        name: Some(name.to_string()),
        namespace: Some(namespace.to_string()),
        uid: Some(ctx.rng.uid()),
        creation_timestamp: Some(timestamp(ctx.now)),
        resource_version: Some(api.next_resource_version()),
        ..Default::default()
    }
}

/// `POST configmaps` from `kubectl create configmap`: the object, or the API server's conflict.
pub fn create_config_map(
    api: &mut ApiStore,
    ctx: &mut Context,
    namespace: &str,
    mut cm: ConfigMap,
) -> Result<(), String> {
    let name = cm.metadata.name.clone().unwrap_or_default();
    let key = (namespace.to_string(), name.clone());
    if api.config_maps.contains_key(&key) {
        return Err(format!("configmaps {name:?} already exists"));
    }
    api.admit_create(namespace, "configmaps", &name).map_err(|r| r.message)?;
    cm.metadata = created_meta(api, ctx, &name, namespace);
    api.config_maps.insert(key, cm);
    Ok(())
}

/// `POST secrets` from `kubectl create secret generic`: the object (its type defaulted to
/// `Opaque`), or the API server's conflict.
pub fn create_secret(
    api: &mut ApiStore,
    ctx: &mut Context,
    namespace: &str,
    mut secret: Secret,
) -> Result<(), String> {
    let name = secret.metadata.name.clone().unwrap_or_default();
    let key = (namespace.to_string(), name.clone());
    if api.secrets.contains_key(&key) {
        return Err(format!("secrets {name:?} already exists"));
    }
    api.admit_create(namespace, "secrets", &name).map_err(|r| r.message)?;
    secret.metadata = created_meta(api, ctx, &name, namespace);
    if secret.type_.as_deref().is_none_or(str::is_empty) {
        secret.type_ = Some("Opaque".to_string());
    }
    api.secrets.insert(key, secret);
    Ok(())
}
