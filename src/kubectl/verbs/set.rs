//! `kubectl set image KIND NAME CONTAINER=IMAGE...` (`staging/src/k8s.io/kubectl/pkg/cmd/set/set_image.go`):
//! changes container images in a pod or a workload's pod template. A workload's controller then
//! rolls out the new template; a pod's kubelet restarts the changed container
//! (world-semantics.md, "Changing a pod's image").

use k8s_openapi::api::core::v1::{Container, PodSpec};

use super::{join_lines, wrong_command, Cluster, Verb};
use crate::api::ApiStore;
use crate::kubectl::command::{Command, ResourceKind};
use crate::kubectl::flags::{kind_and_names, parse_flags, NAMESPACE};

pub const VERB: Verb =
    Verb { names: &["set"], usage: "kubectl set image KIND NAME CONTAINER=IMAGE...", parse, execute };

fn parse(words: &[String]) -> Result<Command, String> {
    let p = parse_flags("set", words, &[NAMESPACE])?;
    match p.args.first().map(String::as_str) {
        Some("image") => {}
        Some(sub @ ("env" | "resources" | "selector" | "serviceaccount" | "subject")) => {
            return Err(format!("error: \"kubectl set {sub}\" is not part of the playground; use set image"))
        }
        Some(other) => return Err(format!("error: unknown command {other:?} for \"kubectl set\"")),
        None => {
            return Err("error: set needs a subcommand: kubectl set image deploy/NAME CONTAINER=IMAGE".into())
        }
    }
    // Resources come first, then the CONTAINER=IMAGE pairs (`GetResourcesAndPairs`).
    let args = &p.args[1..];
    let split = args.iter().position(|a| a.contains('=')).unwrap_or(args.len());
    let (resources, pairs) = args.split_at(split);
    if let Some(bad) = pairs.iter().find(|a| !a.contains('=')) {
        return Err(format!("error: all resources must be specified before image changes: {bad}"));
    }
    if resources.is_empty() {
        return Err(
            "error: one or more resources must be specified as <resource> <name> or <resource>/<name>".into(),
        );
    }
    if pairs.is_empty() {
        return Err("error: at least one image update is required".into());
    }
    let mut images = Vec::new();
    for pair in pairs {
        match pair.split_once('=') {
            Some((c, i)) if !c.is_empty() && !i.is_empty() => images.push((c.to_string(), i.to_string())),
            _ => return Err(format!("error: invalid image format: {pair}")),
        }
    }
    let (kind, names) = kind_and_names(resources)?;
    let [name] = names.as_slice() else {
        return Err(if names.is_empty() {
            "error: resource(s) were provided, but no name was specified".into()
        } else {
            "error: you must specify only one resource".into()
        });
    };
    if !matches!(
        kind,
        ResourceKind::Pod
            | ResourceKind::Deployment
            | ResourceKind::ReplicaSet
            | ResourceKind::StatefulSet
            | ResourceKind::DaemonSet
    ) {
        return Err(format!("error: {}/{name} has no pod template", kind.info().singular_group()));
    }
    Ok(Command::SetImage { kind, name: name.clone(), images, namespace: p.namespace() })
}

/// Sets the images; `*` names every container. Returns whether anything changed, or kubectl's
/// error for a container the spec does not have.
fn set_images(spec: &mut PodSpec, images: &[(String, String)]) -> Result<bool, String> {
    let mut changed = false;
    for (name, image) in images {
        let mut found = false;
        let init = spec.init_containers.iter_mut().flatten();
        for c in
            spec.containers.iter_mut().chain(init).filter(|c: &&mut Container| name == "*" || c.name == *name)
        {
            found = true;
            if c.image.as_deref() != Some(image) {
                c.image = Some(image.clone());
                changed = true;
            }
        }
        if !found {
            return Err(format!("error: unable to find container named {name:?}"));
        }
    }
    Ok(changed)
}

/// Sets images in a workload's pod template; a changed template raises the object's generation,
/// which its controller rolls out.
macro_rules! template {
    ($api:expr, $field:ident, $key:expr, $images:expr, $not_found:expr, $template:expr) => {{
        let mut object = $api.$field.get(&$key).cloned().ok_or_else($not_found)?;
        let template = object.spec.as_mut().and_then($template);
        let spec = template.map(|t| t.spec.get_or_insert_with(Default::default));
        let changed = match spec {
            Some(spec) => set_images(spec, &$images)?,
            None => return Err(format!("error: unable to find container named {:?}", $images[0].0)),
        };
        if changed {
            bump(&mut *$api, &mut object.metadata);
            $api.$field.insert($key.clone(), object);
        }
        changed
    }};
}

fn execute(cluster: &mut dyn Cluster, command: Command) -> Result<String, String> {
    let Command::SetImage { kind, name, images, namespace } = command else {
        return Err(wrong_command("set", &command));
    };
    let api = &mut cluster.world_mut().api;
    let key = (namespace.unwrap_or_else(|| "default".to_string()), name.clone());
    let info = kind.info();
    let not_found = || format!("Error from server (NotFound): {} {:?} not found", info.plural_group(), name);
    let changed = match kind {
        ResourceKind::Pod => {
            let mut pod = api.pods.get(&key).cloned().ok_or_else(not_found)?;
            let changed = set_images(pod.spec.get_or_insert_with(Default::default), &images)?;
            if changed {
                api.pods.insert(key.clone(), pod);
                // The kubelet syncs the pod and restarts the container whose spec changed.
                api.pod_changed(&key);
            }
            changed
        }
        ResourceKind::Deployment => {
            template!(api, deployments, key, images, not_found, |s| Some(&mut s.template))
        }
        ResourceKind::ReplicaSet => {
            template!(api, replica_sets, key, images, not_found, |s| s.template.as_mut())
        }
        ResourceKind::StatefulSet => {
            template!(api, stateful_sets, key, images, not_found, |s| Some(&mut s.template))
        }
        ResourceKind::DaemonSet => {
            template!(api, daemon_sets, key, images, not_found, |s| Some(&mut s.template))
        }
        _ => return Err(format!("error: {}/{name} has no pod template", info.singular_group())),
    };
    // Setting the image a container already has changes nothing and prints nothing.
    Ok(if changed {
        join_lines(&[format!("{}/{name} image updated", info.singular_group())])
    } else {
        String::new()
    })
}

/// A spec write: generation and resource version move on, and the controllers look again.
fn bump(api: &mut ApiStore, meta: &mut k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta) {
    meta.generation = Some(meta.generation.unwrap_or(1) + 1);
    meta.resource_version = Some(api.next_resource_version());
    api.changes.controllers_dirty = true;
}
