//! `kubectl patch KIND NAME -p PATCH [--type strategic|merge|json]`
//! (`staging/src/k8s.io/kubectl/pkg/cmd/patch/patch.go`), on the fields the simulation acts on:
//! labels and annotations of every stored kind, `spec.replicas` of Deployments, ReplicaSets and
//! StatefulSets, container images of pods and of workloads' pod templates, and a node's
//! `spec.unschedulable`. The patch is applied to the object's JSON as the API server applies it;
//! a patch that would change any other field is refused, naming the field, rather than ignored.

mod algorithms;
mod finalizers;

use std::collections::BTreeMap;

use serde_json::Value;

use super::{join_lines, wrong_command, Cluster, Verb};
use crate::api::{ApiStore, ObjectKey};
use crate::kubectl::command::{Command, PatchType, ResourceKind};
use crate::kubectl::flags::{parse_flags, single_resource, Arity, NAMESPACE};
use crate::kubectl::print;

pub const VERB: Verb = Verb {
    names: &["patch"],
    usage: "kubectl patch KIND NAME -p PATCH [--type strategic|merge|json]",
    parse,
    execute,
};

fn parse(words: &[String]) -> Result<Command, String> {
    let specs = [NAMESPACE, ("patch", Some('p'), Arity::Value), ("type", None, Arity::Value)];
    let p = parse_flags("patch", words, &specs)?;
    let patch_type = match p.value("type").unwrap_or("strategic") {
        "strategic" => PatchType::Strategic,
        "merge" => PatchType::Merge,
        "json" => PatchType::Json,
        other => return Err(format!("error: --type must be one of [json merge strategic], not {other:?}")),
    };
    let Some(patch) = p.value("patch").map(str::to_string) else {
        return Err(
            "error: must specify --patch or --patch-file containing the contents of the patch".to_string()
        );
    };
    let (kind, name) =
        single_resource(&p.args, "error: You must provide one or more resources by argument or filename.")?;
    Ok(Command::Patch { kind, name, patch, patch_type, namespace: p.namespace() })
}

/// Whether the simulation acts on a field of a kind, by its JSON pointer.
fn modeled(kind: ResourceKind, path: &str) -> bool {
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let image = |p: &[&str]| matches!(p, [list, index, "image"] if matches!(*list, "containers" | "initContainers") && index.parse::<usize>().is_ok());
    match parts.as_slice() {
        ["metadata", "labels" | "annotations" | "finalizers", ..] => kind.info().store.is_some(),
        ["spec", "replicas"] => {
            matches!(kind, ResourceKind::Deployment | ResourceKind::ReplicaSet | ResourceKind::StatefulSet)
        }
        ["spec", "template", "spec", rest @ ..] => {
            image(rest)
                && matches!(
                    kind,
                    ResourceKind::Deployment
                        | ResourceKind::ReplicaSet
                        | ResourceKind::StatefulSet
                        | ResourceKind::DaemonSet
                )
        }
        ["spec", rest @ ..] if kind == ResourceKind::Pod => image(rest),
        ["spec", "unschedulable"] => kind == ResourceKind::Node,
        _ => false,
    }
}

/// A string map from the patched JSON (labels, annotations), as the API server decodes it.
fn string_map(value: Option<&Value>, field: &str) -> Result<Option<BTreeMap<String, String>>, String> {
    let Some(value) = value.filter(|v| !v.is_null()) else { return Ok(None) };
    let Some(map) = value.as_object() else {
        return Err(format!("error: json: cannot unmarshal {} into Go struct field ObjectMeta.metadata.{field} of type map[string]string", json_type(value)));
    };
    let mut out = BTreeMap::new();
    for (k, v) in map {
        let Some(s) = v.as_str() else {
            return Err(format!("error: json: cannot unmarshal {} into Go struct field ObjectMeta.metadata.{field} of type string", json_type(v)));
        };
        out.insert(k.clone(), s.to_string());
    }
    Ok(Some(out).filter(|m| !m.is_empty()))
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The images of a containers list in the patched JSON, by index.
fn images(spec: Option<&Value>, list: &str) -> Vec<Option<String>> {
    spec.and_then(|s| s.get(list))
        .and_then(Value::as_array)
        .map(|items| {
            items.iter().map(|c| c.get("image").and_then(Value::as_str).map(str::to_string)).collect()
        })
        .unwrap_or_default()
}

fn set_images(spec: &mut k8s_openapi::api::core::v1::PodSpec, patched: Option<&Value>) {
    for (c, image) in spec.containers.iter_mut().zip(images(patched, "containers")) {
        c.image = image;
    }
    for (c, image) in spec.init_containers.iter_mut().flatten().zip(images(patched, "initContainers")) {
        c.image = image;
    }
}

fn execute(cluster: &mut dyn Cluster, command: Command) -> Result<String, String> {
    let Command::Patch { kind, name, patch, patch_type, namespace } = command else {
        return Err(wrong_command("patch", &command));
    };
    let info = kind.info();
    let api = &mut cluster.world_mut().api;
    let key: ObjectKey = (namespace.unwrap_or_else(|| "default".to_string()), name.clone());
    let not_found = || format!("Error from server (NotFound): {} {:?} not found", info.plural_group(), name);
    let before = print::list(api, kind, &key.0, None)
        .iter()
        .find(|o| o.name() == name)
        .map(|o| o.to_value())
        .ok_or_else(not_found)?;
    let patch_value: Value =
        serde_json::from_str(&patch).map_err(|e| format!("error: unable to parse {patch:?}: {e}"))?;
    let mut after = before.clone();
    match patch_type {
        PatchType::Merge => algorithms::merge(&mut after, &patch_value, false),
        PatchType::Strategic => algorithms::merge(&mut after, &patch_value, true),
        PatchType::Json => {
            algorithms::json_patch(&mut after, &patch_value).map_err(|e| format!("Error from server: {e}"))?
        }
    }
    let object = format!("{}/{name}", info.singular_group());
    let mut changed = Vec::new();
    algorithms::changed_paths(&before, &after, "", &mut changed);
    if changed.is_empty() {
        return Ok(join_lines(&[format!("{object} patched (no change)")]));
    }
    if let Some(path) = changed.iter().find(|p| !modeled(kind, p)) {
        return Err(format!(
            "error: the playground does not simulate changes to {path} of {}; it patches labels, annotations, replicas, container images and node unschedulable",
            info.plural_group()
        ));
    }
    let meta = after.get("metadata");
    let labels = string_map(meta.and_then(|m| m.get("labels")), "labels")?;
    let annotations = string_map(meta.and_then(|m| m.get("annotations")), "annotations")?;
    let finalizers = finalizers::read(&before, meta, info.name, &name)?;
    let spec = after.get("spec");
    let replicas =
        spec.and_then(|s| s.get("replicas")).and_then(Value::as_i64).and_then(|r| i32::try_from(r).ok());
    let template_spec = spec.and_then(|s| s.get("template")).and_then(|t| t.get("spec"));
    let spec_changed = changed.iter().any(|p| p.starts_with("/spec"));
    write_back(api, kind, &key, labels, annotations, finalizers, |api| {
        macro_rules! workload {
            ($field:ident, $spec:ident => $template:expr $(, $replicas:ident)?) => {{
                let Some(object) = api.$field.get_mut(&key) else { return };
                if let Some($spec) = object.spec.as_mut() {
                    $(if replicas.is_some() {
                        $spec.$replicas = replicas;
                    })?
                    if let Some(template) = $template {
                        set_images(template.spec.get_or_insert_with(Default::default), template_spec);
                    }
                }
                if spec_changed {
                    object.metadata.generation = Some(object.metadata.generation.unwrap_or(1) + 1);
                }
            }};
        }
        match kind {
            ResourceKind::Pod => {
                if let Some(spec) = api.pods.get_mut(&key).and_then(|p| p.spec.as_mut()) {
                    set_images(spec, after.get("spec"));
                }
                if spec_changed {
                    api.pod_changed(&key);
                }
            }
            ResourceKind::Deployment => workload!(deployments, s => Some(&mut s.template), replicas),
            ResourceKind::ReplicaSet => workload!(replica_sets, s => s.template.as_mut(), replicas),
            ResourceKind::StatefulSet => workload!(stateful_sets, s => Some(&mut s.template), replicas),
            ResourceKind::DaemonSet => workload!(daemon_sets, s => Some(&mut s.template)),
            ResourceKind::Node => {
                let unschedulable = spec.and_then(|s| s.get("unschedulable")).and_then(Value::as_bool);
                if let Some(spec) = api.nodes.get_mut(&key.1).and_then(|n| n.spec.as_mut()) {
                    spec.unschedulable = unschedulable.filter(|u| *u);
                }
            }
            _ => {}
        }
    });
    finalizers::finish(api, kind, &key);
    Ok(join_lines(&[format!("{object} patched")]))
}

/// Stores the patched labels and annotations, lets `spec` write the spec fields, and records the
/// write: a new resource version, and the controllers look again.
fn write_back(
    api: &mut ApiStore,
    kind: ResourceKind,
    key: &ObjectKey,
    labels: Option<BTreeMap<String, String>>,
    annotations: Option<BTreeMap<String, String>>,
    finalizers: Option<Vec<String>>,
    spec: impl FnOnce(&mut ApiStore),
) {
    let version = api.next_resource_version();
    if let Some(store) = kind.info().store {
        if let Some(meta) = (store.meta_mut)(api, key) {
            meta.labels = labels;
            meta.annotations = annotations;
            meta.finalizers = finalizers;
            meta.resource_version = Some(version);
        }
    }
    spec(api);
    api.changes.controllers_dirty = true;
}
