//! EndpointSlices written through the API (`discovery.k8s.io/v1`): a scenario's or `kubectl
//! apply`'s own slices, kept as written. The EndpointSlice controller's slices for Services are
//! derived from the Services' Endpoints where they are shown (`kubectl/print/services.rs`).

use k8s_openapi::api::discovery::v1::EndpointSlice;

use super::apply::{create_meta, last_applied, merged_meta, HasMeta};
use super::Context;
use crate::api::{key_of, ApiStore};

impl HasMeta for EndpointSlice {
    fn meta_mut(&mut self) -> &mut k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
        &mut self.metadata
    }
    fn clear_status(&mut self) {}
}

/// `kubectl apply` of an EndpointSlice: `endpointslice.discovery.k8s.io/NAME created`,
/// `configured` or `unchanged`.
pub(super) fn apply_endpoint_slice(
    api: &mut ApiStore,
    ctx: &mut Context,
    desired: &EndpointSlice,
) -> Result<String, String> {
    let applied = last_applied(desired);
    let key = key_of(&desired.metadata);
    let name = format!("endpointslice.discovery.k8s.io/{}", key.1);
    let Some(live) = api.endpoint_slices.get(&key).cloned() else {
        let mut obj = desired.clone();
        create_meta(api, ctx, &mut obj.metadata, applied);
        obj.metadata.generation = Some(1);
        api.endpoint_slices.insert(key, obj);
        api.changes.controllers_dirty = true;
        return Ok(format!("{name} created"));
    };
    let mut next = live.clone();
    next.address_type = desired.address_type.clone();
    next.endpoints = desired.endpoints.clone();
    next.ports = desired.ports.clone();
    next.metadata = merged_meta(&live.metadata, &desired.metadata, &applied);
    if next == live {
        return Ok(format!("{name} unchanged"));
    }
    next.metadata.resource_version = Some(api.next_resource_version());
    api.endpoint_slices.insert(key, next);
    api.changes.controllers_dirty = true;
    Ok(format!("{name} configured"))
}
