//! `kubectl get`: tables (`printers.go` column by column), `-o wide|yaml|json|name`, and the pod row
//! the UI and the JSON timeline show.
//!
//! Every value is computed from the API objects and the virtual time `now` only, exactly as kubectl
//! computes it from what the API server returns. This file holds what every kind shares (listing,
//! the table frame, `-o name|json|yaml`, the cell formats); each kind's columns and rows are in its
//! own file, named by its row of the kinds table (`kinds.rs`).

pub mod config;
pub mod events;
pub mod namespaces;
pub mod nodes;
pub(crate) mod object;
pub mod pods;
pub mod services;
pub mod workloads;

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta, Time};
use serde::Serialize;

use crate::api::{self, ApiStore};
use crate::duration::{human_duration, Millis};
use crate::kubectl::command::{OutputFormat, ResourceKind};
use crate::kubectl::table::table;
use crate::selector::Selector;

pub use events::core_event;
pub(crate) use object::Object;
pub use pods::{pod_row, ContainerRow, PodRow};
pub use services::{format_endpoints, service_ports};

/// Lists a kind's objects in a namespace (every namespace when empty), in kubectl's order.
pub(crate) type ListFn = for<'a> fn(&'a ApiStore, &str) -> Vec<Object<'a>>;

/// One object's cells at `now`, wide or not, in the order of the kind's columns.
pub(crate) type RowFn = fn(Millis, &Object, bool) -> Vec<String>;

/// The columns `-o wide` shows.
#[derive(Clone, Copy)]
pub(crate) enum Wide {
    /// These columns after the normal ones.
    Append(&'static [&'static str]),
    /// These columns instead of the normal ones (events).
    Replace(&'static [&'static str]),
}

/// How `kubectl get` shows one kind: its table columns, how to list it and print a row.
#[derive(Clone, Copy)]
pub(crate) struct Printer {
    pub columns: &'static [&'static str],
    pub wide: Wide,
    pub list: ListFn,
    pub row: RowFn,
    /// A warning the API server sends with every read of the kind, which kubectl prints first.
    pub warning: Option<&'static str>,
}

/// `kubectl get KIND [NAMES] [-l SELECTOR] [-o FORMAT]` in a namespace; an empty `namespace` means
/// every namespace (`-A`), which adds the NAMESPACE column.
///
/// `Ok` holds what kubectl prints when it succeeds (including the `No resources found ...` notice);
/// `Err` holds the whole output when some requested name does not exist: the objects that were
/// found, then one `Error from server (NotFound)` line per missing name.
pub fn get(
    api: &ApiStore,
    now: Millis,
    kind: ResourceKind,
    names: &[String],
    selector: Option<&Selector>,
    output: OutputFormat,
    namespace: &str,
) -> Result<String, String> {
    let all_namespaces = namespace.is_empty();
    let objects = list(api, kind, namespace, selector);
    let mut found = Vec::new();
    let mut errors = String::new();
    if names.is_empty() {
        found = objects;
    } else {
        for name in names {
            match objects.iter().find(|o| o.name() == name) {
                Some(o) => found.push(o.clone()),
                None => errors.push_str(&format!(
                    "Error from server (NotFound): {} {:?} not found\n",
                    kind_plural_group(kind),
                    name
                )),
            }
        }
    }

    let mut text = String::new();
    if found.is_empty() && names.is_empty() {
        text.push_str(&no_resources(kind, namespace, output));
    } else if !found.is_empty() {
        text.push_str(&match output {
            OutputFormat::Table | OutputFormat::Wide => {
                print_table(now, kind, &found, output == OutputFormat::Wide, all_namespaces)
            }
            OutputFormat::Name => {
                let prefix = kind.info().singular_group();
                found.iter().map(|o| format!("{prefix}/{}\n", o.name())).collect()
            }
            OutputFormat::Json | OutputFormat::Yaml => {
                let single = names.len() == 1;
                serialize(&found, single, output == OutputFormat::Json)
            }
        });
    }
    if let Some(warning) = kind.info().printer.warning {
        text.insert_str(0, warning);
    }
    if errors.is_empty() {
        Ok(text)
    } else {
        text.push_str(&errors);
        Err(text)
    }
}

/// The API server's deprecation warning for v1 Endpoints (since 1.33), which kubectl prints first.
pub const ENDPOINTS_WARNING: &str =
    "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n";

/// The resource name kubectl uses in messages and `Error from server` lines: `pods`,
/// `deployments.apps`, `endpointslices.discovery.k8s.io`, ...
pub fn kind_plural_group(kind: ResourceKind) -> String {
    kind.info().plural_group()
}

/// `-o name` prefixes: `pod`, `deployment.apps`, ...
pub fn kind_name_prefix(kind: ResourceKind) -> String {
    kind.info().singular_group()
}

/// Formats the age of an API timestamp at `now` (`translateTimestampSince`).
pub fn age(time: Option<&Time>, now: Millis) -> String {
    match time {
        Some(t) => since(api::millis_of(t), now),
        None => "<unknown>".to_string(),
    }
}

/// Formats the time since a virtual instant (milliseconds, possibly before the epoch).
pub fn since(at: i64, now: Millis) -> String {
    human_duration(now as i64 - at)
}

/// Formats the time since an event's first or last occurrence. Events carry `metav1.Time`
/// timestamps, which the API serializes at whole seconds, so the instant is truncated first: an
/// event recorded at 75.02 s is 15 s old at 90 s, as old as the probe failure at 75 s before it.
pub fn since_event(at: Millis, now: Millis) -> String {
    since((at - at % 1000) as i64, now)
}

/// A label map as `labels.FormatLabels` writes it: `a=b,c=d` sorted, or `<none>`.
pub fn format_labels(labels: Option<&BTreeMap<String, String>>) -> String {
    match labels {
        Some(l) if !l.is_empty() => l.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(","),
        _ => "<none>".to_string(),
    }
}

/// A `LabelSelector` as `metav1.LabelSelectorAsSelector(...).String()` writes it: requirements
/// sorted by key, `a=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`; `<none>` for an empty selector.
pub fn format_label_selector(selector: Option<&LabelSelector>) -> String {
    let Some(selector) = selector else { return "<none>".to_string() };
    let mut parts: Vec<(String, String)> = Vec::new();
    for (k, v) in selector.match_labels.iter().flatten() {
        parts.push((k.clone(), format!("{k}={v}")));
    }
    for expr in selector.match_expressions.iter().flatten() {
        let mut values = expr.values.clone().unwrap_or_default();
        values.sort();
        let text = match expr.operator.as_str() {
            "In" => format!("{} in ({})", expr.key, values.join(",")),
            "NotIn" => format!("{} notin ({})", expr.key, values.join(",")),
            "Exists" => expr.key.clone(),
            "DoesNotExist" => format!("!{}", expr.key),
            _ => return "<invalid>".to_string(),
        };
        parts.push((expr.key.clone(), text));
    }
    if parts.is_empty() {
        return "<none>".to_string();
    }
    parts.sort_by(|a, b| a.0.cmp(&b.0));
    parts.into_iter().map(|(_, t)| t).collect::<Vec<_>>().join(",")
}

/// Lists the objects of a kind in a namespace (every namespace when empty) that match the selector,
/// in kubectl's order: by namespace and name, and events by last occurrence.
pub(crate) fn list<'a>(
    api: &'a ApiStore,
    kind: ResourceKind,
    namespace: &str,
    selector: Option<&Selector>,
) -> Vec<Object<'a>> {
    let mut out = (kind.info().printer.list)(api, namespace);
    if let Some(sel) = selector {
        out.retain(|o| sel.matches(o.meta().and_then(|m| m.labels.as_ref())));
    }
    out
}

/// The objects of one of the store's maps in a namespace (every namespace when empty), by
/// namespace and name.
pub(crate) fn stored<'a, T: object::Listed>(
    map: &'a BTreeMap<api::ObjectKey, T>,
    namespace: &str,
) -> Vec<Object<'a>> {
    map.iter()
        .filter(|(k, _)| namespace.is_empty() || k.0 == namespace)
        .map(|(_, o)| Object::Stored(o as &dyn object::Listed))
        .collect()
}

fn no_resources(kind: ResourceKind, namespace: &str, output: OutputFormat) -> String {
    match output {
        // An empty list is still a list for machine-readable formats.
        OutputFormat::Json | OutputFormat::Yaml => serialize(&[], false, output == OutputFormat::Json),
        _ if namespace.is_empty() || !kind.info().namespaced => "No resources found\n".to_string(),
        _ => format!("No resources found in {namespace} namespace.\n"),
    }
}

fn print_table(now: Millis, kind: ResourceKind, objects: &[Object], wide: bool, all_ns: bool) -> String {
    let info = kind.info();
    let printer = &info.printer;
    let mut headers: Vec<&str> = match (wide, printer.wide) {
        (true, Wide::Replace(columns)) => columns.to_vec(),
        (true, Wide::Append(extra)) => printer.columns.iter().chain(extra).copied().collect(),
        (false, _) => printer.columns.to_vec(),
    };
    let namespaced = info.namespaced;
    if all_ns && namespaced {
        headers.insert(0, "NAMESPACE");
    }
    let rows: Vec<Vec<String>> = objects
        .iter()
        .map(|o| {
            let mut cells = (printer.row)(now, o, wide);
            if all_ns && namespaced {
                cells.insert(0, o.namespace().to_string());
            }
            cells
        })
        .collect();
    table(&headers, &rows)
}

pub(crate) fn name_of(meta: &ObjectMeta) -> String {
    meta.name.clone().unwrap_or_default()
}

pub(crate) fn container_cells(spec: Option<&k8s_openapi::api::core::v1::PodSpec>) -> (String, String) {
    let containers = spec.map(|s| s.containers.as_slice()).unwrap_or_default();
    let names: Vec<&str> = containers.iter().map(|c| c.name.as_str()).collect();
    let images: Vec<&str> = containers.iter().map(|c| c.image.as_deref().unwrap_or_default()).collect();
    (names.join(","), images.join(","))
}

/// `-o json|yaml`: one object when a single name was asked for, else a `List`. Keys are sorted as
/// kubectl's unstructured printing sorts them; JSON is indented by four spaces and escapes `<`, `>`
/// and `&` as Go's encoder does.
/// An object as a JSON value. It is written as JSON text and read back rather than converted with
/// `serde_json::to_value`: the objects are serialized as text elsewhere too (hashes, the
/// last-applied annotation), and every serializer costs a copy of every object type's
/// serialization code in the WebAssembly download. The value is the same either way.
pub(crate) fn json_value<T: serde::Serialize>(object: &T) -> serde_json::Value {
    serde_json::to_vec(object)
        .ok()
        .and_then(|text| serde_json::from_slice(&text).ok())
        .unwrap_or(serde_json::Value::Null)
}

fn serialize(objects: &[Object], single: bool, json: bool) -> String {
    let value = if single && objects.len() == 1 {
        objects[0].to_value()
    } else {
        let mut list = serde_json::Map::new();
        list.insert("apiVersion".into(), "v1".into());
        list.insert("items".into(), serde_json::Value::Array(objects.iter().map(|o| o.to_value()).collect()));
        list.insert("kind".into(), "List".into());
        let mut meta = serde_json::Map::new();
        meta.insert("resourceVersion".into(), "".into());
        list.insert("metadata".into(), serde_json::Value::Object(meta));
        serde_json::Value::Object(list)
    };
    if json {
        let mut buf = Vec::new();
        let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
        let mut ser = serde_json::Serializer::with_formatter(&mut buf, formatter);
        if value.serialize(&mut ser).is_err() {
            return String::new();
        }
        let text = String::from_utf8(buf).unwrap_or_default();
        let mut escaped = String::with_capacity(text.len() + 1);
        for c in text.chars() {
            match c {
                '<' => escaped.push_str("\\u003c"),
                '>' => escaped.push_str("\\u003e"),
                '&' => escaped.push_str("\\u0026"),
                c => escaped.push(c),
            }
        }
        escaped.push('\n');
        escaped
    } else {
        crate::kubectl::yaml::to_yaml(&value)
    }
}
