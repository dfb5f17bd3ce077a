//! What the kubelet reads from ConfigMaps and Secrets: a container's environment
//! (`pkg/kubelet/kubelet_pods.go` makeEnvironmentVariables) and the files of a ConfigMap or Secret
//! volume (`pkg/volume/configmap/configmap.go`, `pkg/volume/secret/secret.go`), with the errors the
//! kubelet reports when an object or a key is missing (world-semantics.md, "CreateContainerConfigError"
//! and "Volumes from a missing ConfigMap/Secret"). Plain functions over the API store; the
//! kubelet decides what a failure does (`kubelet/start.rs`, `kubelet/mount.rs`).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Container as ContainerSpec, KeyToPath, Volume};

use super::runtime::VolumeTree;
use crate::api::ApiStore;

/// The keys and values of a ConfigMap (`data` only, as the kubelet reads them for variables).
fn config_map_data<'a>(api: &'a ApiStore, ns: &str, name: &str) -> Option<&'a BTreeMap<String, String>> {
    static EMPTY: BTreeMap<String, String> = BTreeMap::new();
    let cm = api.config_maps.get(&(ns.to_string(), name.to_string()))?;
    Some(cm.data.as_ref().unwrap_or(&EMPTY))
}

/// A Secret's keys and values, read as text.
fn secret_data(api: &ApiStore, ns: &str, name: &str) -> Option<BTreeMap<String, String>> {
    let s = api.secrets.get(&(ns.to_string(), name.to_string()))?;
    Some(
        s.data
            .iter()
            .flatten()
            .map(|(k, v)| (k.clone(), String::from_utf8_lossy(&v.0).into_owned()))
            .collect(),
    )
}

/// Sets a variable, replacing an earlier one of the same name in place (a later source wins).
fn set(env: &mut Vec<(String, String)>, name: String, value: String) {
    match env.iter_mut().find(|(n, _)| *n == name) {
        Some(slot) => slot.1 = value,
        None => env.push((name, value)),
    }
}

/// `IsEnvVarName`: the names `envFrom` imports; other keys are skipped.
fn is_env_name(name: &str) -> bool {
    let b = name.as_bytes();
    !b.is_empty()
        && !b[0].is_ascii_digit()
        && b.iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

/// The container's variables from `envFrom` (each source in order, its keys in key order, a
/// later source overriding an earlier one) then `env`. The first missing object or key that is
/// not optional is the error the kubelet reports as `CreateContainerConfigError`; keys that are
/// not variable names are skipped (the kubelet's event for them is not simulated: its wording
/// is unverified in world-semantics.md).
pub(crate) fn environment(
    api: &ApiStore,
    ns: &str,
    spec: &ContainerSpec,
) -> Result<Vec<(String, String)>, String> {
    let mut env: Vec<(String, String)> = Vec::new();
    for source in spec.env_from.iter().flatten() {
        let prefix = source.prefix.as_deref().unwrap_or_default();
        let data = if let Some(r) = &source.config_map_ref {
            match config_map_data(api, ns, &r.name) {
                Some(d) => d.clone(),
                None if r.optional == Some(true) => continue,
                None => return Err(format!("configmap {:?} not found", r.name)),
            }
        } else if let Some(r) = &source.secret_ref {
            match secret_data(api, ns, &r.name) {
                Some(d) => d,
                None if r.optional == Some(true) => continue,
                None => return Err(format!("secret {:?} not found", r.name)),
            }
        } else {
            continue;
        };
        for (k, v) in data {
            let name = format!("{prefix}{k}");
            if is_env_name(&name) {
                set(&mut env, name, v);
            }
        }
    }
    for var in spec.env.iter().flatten() {
        let from = var.value_from.as_ref();
        let value = if let Some(r) = from.and_then(|f| f.config_map_key_ref.as_ref()) {
            let optional = r.optional == Some(true);
            match config_map_data(api, ns, &r.name) {
                None if optional => continue,
                None => return Err(format!("configmap {:?} not found", r.name)),
                Some(d) => match d.get(&r.key) {
                    Some(v) => v.clone(),
                    None if optional => continue,
                    None => return Err(format!("couldn't find key {} in ConfigMap {ns}/{}", r.key, r.name)),
                },
            }
        } else if let Some(r) = from.and_then(|f| f.secret_key_ref.as_ref()) {
            let optional = r.optional == Some(true);
            match secret_data(api, ns, &r.name) {
                None if optional => continue,
                None => return Err(format!("secret {:?} not found", r.name)),
                Some(d) => match d.get(&r.key) {
                    Some(v) => v.clone(),
                    None if optional => continue,
                    None => return Err(format!("couldn't find key {} in Secret {ns}/{}", r.key, r.name)),
                },
            }
        } else if let Some(v) = &var.value {
            v.clone()
        } else if from.is_some() {
            // Field and resource references are not simulated.
            continue;
        } else {
            String::new()
        };
        set(&mut env, var.name.clone(), value);
    }
    Ok(env)
}

/// Whether a volume's contents come from the API (a ConfigMap or a Secret) and must be mounted
/// before the pod's containers start.
pub(crate) fn is_config_volume(v: &Volume) -> bool {
    v.config_map.is_some() || v.secret.is_some()
}

/// The files of a ConfigMap or Secret volume (`None` for another kind of volume): every key as a
/// file named by it, or only the listed `items` at their paths. A missing object or key is the
/// mount error the kubelet reports after `MountVolume.SetUp failed for volume "<v>" : `; with
/// `optional: true` a missing object gives an empty volume and missing keys are skipped.
/// File modes (`defaultMode`, `items[].mode`) are accepted but the simulated file system has none.
pub(crate) fn project(api: &ApiStore, ns: &str, v: &Volume) -> Option<Result<VolumeTree, String>> {
    if let Some(cm) = &v.config_map {
        let optional = cm.optional == Some(true);
        let Some(obj) = api.config_maps.get(&(ns.to_string(), cm.name.clone())) else {
            return Some(if optional {
                Ok(Vec::new())
            } else {
                Err(format!("configmap {:?} not found", cm.name))
            });
        };
        let mut data: BTreeMap<String, String> = obj.data.clone().unwrap_or_default();
        for (k, b) in obj.binary_data.iter().flatten() {
            data.insert(k.clone(), String::from_utf8_lossy(&b.0).into_owned());
        }
        return Some(files(
            &data,
            cm.items.as_deref(),
            optional,
            "configmap references non-existent config key",
        ));
    }
    let s = v.secret.as_ref()?;
    let name = s.secret_name.clone().unwrap_or_default();
    let optional = s.optional == Some(true);
    let Some(data) = secret_data(api, ns, &name) else {
        return Some(if optional { Ok(Vec::new()) } else { Err(format!("secret {name:?} not found")) });
    };
    Some(files(&data, s.items.as_deref(), optional, "references non-existent secret key"))
}

/// A volume's tree from an object's data, as `Fs::tree` lists one: sorted by path, with an entry
/// for each directory an item's path needs.
fn files(
    data: &BTreeMap<String, String>,
    items: Option<&[KeyToPath]>,
    optional: bool,
    missing: &str,
) -> Result<VolumeTree, String> {
    let mut tree: BTreeMap<String, Option<String>> = BTreeMap::new();
    match items {
        None => {
            for (k, v) in data {
                tree.insert(k.clone(), Some(v.clone()));
            }
        }
        Some(items) => {
            for item in items {
                let Some(v) = data.get(&item.key) else {
                    if optional {
                        continue;
                    }
                    return Err(format!("{missing}: {}", item.key));
                };
                let path = item.path.trim_matches('/').to_string();
                let mut dir = path.as_str();
                while let Some((parent, _)) = dir.rsplit_once('/') {
                    tree.insert(parent.to_string(), None);
                    dir = parent;
                }
                tree.insert(path, Some(v.clone()));
            }
        }
    }
    Ok(tree.into_iter().collect())
}
