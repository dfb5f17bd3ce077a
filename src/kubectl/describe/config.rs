//! `kubectl describe configmap|secret` (`describeConfigMap`, `describeSecret` in
//! `staging/src/k8s.io/kubectl/pkg/describe/describe.go`). A Secret's values are never shown, only
//! their sizes; a ConfigMap's are printed under their keys.

use k8s_openapi::api::core::v1::Container;

use super::{annotations_multiline, events_for, events_table, labels_multiline, Out};
use crate::api::{ApiStore, ObjectKey};
use crate::duration::Millis;

/// The ConfigMap at `key`, described, with its events.
pub(crate) fn config_map(api: &ApiStore, now: Millis, key: &ObjectKey) -> Option<String> {
    let cm = api.config_maps.get(key)?;
    let meta = &cm.metadata;
    let mut out = Out::default();
    out.line(0, &format!("Name:\t{}", meta.name.as_deref().unwrap_or_default()));
    out.line(0, &format!("Namespace:\t{}", meta.namespace.as_deref().unwrap_or("default")));
    labels_multiline(&mut out, "Labels", meta.labels.as_ref());
    annotations_multiline(&mut out, "Annotations", meta.annotations.as_ref());
    out.raw("\nData\n====\n");
    for (k, v) in cm.data.iter().flatten() {
        out.raw(&format!("{k}:\n----\n"));
        out.raw(&format!("{v}\n"));
    }
    out.raw("\nBinaryData\n====\n");
    for (k, v) in cm.binary_data.iter().flatten() {
        out.raw(&format!("{k}: {} bytes\n", v.0.len()));
    }
    out.raw("\n");
    events_table(&mut out, now, &events_for(api, now, "ConfigMap", meta));
    Some(out.text)
}

/// The Secret at `key`, described: its type and the size of each value.
pub(crate) fn secret(api: &ApiStore, _now: Millis, key: &ObjectKey) -> Option<String> {
    let s = api.secrets.get(key)?;
    let meta = &s.metadata;
    let mut out = Out::default();
    out.line(0, &format!("Name:\t{}", meta.name.as_deref().unwrap_or_default()));
    out.line(0, &format!("Namespace:\t{}", meta.namespace.as_deref().unwrap_or("default")));
    labels_multiline(&mut out, "Labels", meta.labels.as_ref());
    annotations_multiline(&mut out, "Annotations", meta.annotations.as_ref());
    out.line(0, "");
    out.line(0, &format!("Type:\t{}", s.type_.as_deref().unwrap_or_default()));
    out.raw("\nData\n====\n");
    for (k, v) in s.data.iter().flatten() {
        out.line(0, &format!("{k}:\t{} bytes", v.0.len()));
    }
    Some(out.text)
}

/// `describeContainerEnvFrom`: a container's `envFrom` sources, printed only when it has some.
pub(super) fn env_from(out: &mut Out, c: &Container) {
    let sources = c.env_from.as_deref().unwrap_or_default();
    if sources.is_empty() {
        return;
    }
    out.line(2, "Environment Variables from:");
    for e in sources {
        let (name, from, optional) = if let Some(r) = &e.config_map_ref {
            (r.name.as_str(), "ConfigMap", r.optional == Some(true))
        } else if let Some(r) = &e.secret_ref {
            (r.name.as_str(), "Secret", r.optional == Some(true))
        } else {
            ("", "", false)
        };
        match e.prefix.as_deref().filter(|p| !p.is_empty()) {
            None => out.line(3, &format!("{name}\t{from}\tOptional: {optional}")),
            Some(prefix) => {
                out.line(3, &format!("{name}\t{from} with prefix '{prefix}'\tOptional: {optional}"))
            }
        }
    }
}
