//! `kubectl create configmap NAME --from-literal=K=V...` and `kubectl create secret generic NAME
//! --from-literal=K=V... [--type=T]` (`staging/src/k8s.io/kubectl/pkg/cmd/create/create_configmap.go`,
//! `create_secret.go`). kubectl builds the object client-side, refusing a malformed literal or key
//! before anything is sent; the API server then validates the name and refuses a taken one, which
//! kubectl prints after `failed to create configmap: `. `kubectl create namespace NAME`
//! (`create_namespace.go`) creates a Namespace.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{ConfigMap, Secret};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::ByteString;

use super::{join_lines, write_context, wrong_command, Cluster, Verb};
use crate::kubectl::command::{Command, ResourceKind};
use crate::kubectl::flags::{parse_flags, Arity, NAMESPACE};
use crate::manifest::config_key;
use crate::manifest::validate::{dns1123_label, dns1123_subdomain};

pub const VERB: Verb = Verb {
    names: &["create"],
    usage: "kubectl create configmap|secret generic NAME --from-literal=KEY=VALUE... | create namespace NAME",
    parse,
    execute,
};

fn parse(words: &[String]) -> Result<Command, String> {
    // kubectl finds the subcommand before reading its flags, so another subcommand's flags are
    // not reported as unknown here.
    let mut i = 0;
    while i < words.len() && words[i].starts_with('-') {
        i += if matches!(words[i].as_str(), "-n" | "--namespace") { 2 } else { 1 };
    }
    if let Some(sub) =
        words.get(i).filter(|w| !matches!(w.as_str(), "configmap" | "cm" | "secret" | "namespace" | "ns"))
    {
        return Err(format!(
            "error: \"kubectl create {sub}\" is not part of the playground; use create configmap, create secret generic or create namespace"
        ));
    }
    if words.get(i).is_some_and(|w| matches!(w.as_str(), "namespace" | "ns")) {
        let p = parse_flags("create", words, &[NAMESPACE])?;
        let rest = &p.args[1..];
        if rest.len() != 1 {
            return Err(format!(
                "error: exactly one NAME is required, got {}\nSee 'kubectl create namespace -h' for help and examples",
                rest.len()
            ));
        }
        return Ok(Command::Create {
            kind: ResourceKind::Namespace,
            name: rest[0].clone(),
            literals: Vec::new(),
            secret_type: None,
            namespace: None,
        });
    }
    let specs = [NAMESPACE, ("from-literal", None, Arity::Value), ("type", None, Arity::Value)];
    let p = parse_flags("create", words, &specs)?;
    let (kind, path, rest) = match p.args.first().map(String::as_str) {
        Some("configmap" | "cm") => (ResourceKind::ConfigMap, "kubectl create configmap", &p.args[1..]),
        Some("secret") => match p.args.get(1).map(String::as_str) {
            Some("generic") => (ResourceKind::Secret, "kubectl create secret generic", &p.args[2..]),
            Some(sub @ ("tls" | "docker-registry")) => {
                return Err(format!(
                    "error: \"kubectl create secret {sub}\" is not part of the playground; use create secret generic"
                ))
            }
            Some(other) => {
                return Err(format!("error: unknown command {other:?} for \"kubectl create secret\""))
            }
            None => return Err("error: create secret needs a type: kubectl create secret generic NAME".into()),
        },
        Some(other) => {
            return Err(format!(
                "error: \"kubectl create {other}\" is not part of the playground; use create configmap or create secret generic"
            ))
        }
        None => return Err("error: must specify one of -f and -k".to_string()),
    };
    if p.value("type").is_some() && kind != ResourceKind::Secret {
        return Err("error: unknown flag: --type\nSee 'kubectl create configmap --help' for usage.".into());
    }
    // `NameFromCommandArgs`.
    if rest.len() != 1 {
        return Err(format!(
            "error: exactly one NAME is required, got {}\nSee '{path} -h' for help and examples",
            rest.len()
        ));
    }
    let name = rest[0].clone();
    let mut literals: Vec<(String, String)> = Vec::new();
    for (flag, source) in &p.flags {
        if *flag != "from-literal" {
            continue;
        }
        // `ParseLiteralSource`: split at the first `=`; a missing or leading `=` is refused.
        let (key, value) = match source.split_once('=') {
            Some((k, v)) if !k.is_empty() => (k.to_string(), v.to_string()),
            _ => return Err(format!("error: invalid literal source {source}, expected key=value")),
        };
        let problems = config_key(&key);
        let taken = literals.iter().any(|(k, _)| *k == key);
        if kind == ResourceKind::ConfigMap {
            if !problems.is_empty() {
                return Err(format!(
                    "error: {key:?} is not a valid key name for a ConfigMap: {}",
                    problems.join(",")
                ));
            }
            if taken {
                return Err(format!(
                    "error: cannot add key {key:?}, another key by that name already exists in Data for ConfigMap {name:?}"
                ));
            }
        } else {
            if !problems.is_empty() {
                return Err(format!(
                    "error: {key:?} is not valid key name for a Secret {}",
                    problems.join(";")
                ));
            }
            if taken {
                return Err(format!("error: cannot add key {key}, another key by that name already exists"));
            }
        }
        literals.push((key, value));
    }
    Ok(Command::Create {
        kind,
        name,
        literals,
        secret_type: p.value("type").map(str::to_string),
        namespace: p.namespace(),
    })
}

fn execute(cluster: &mut dyn Cluster, command: Command) -> Result<String, String> {
    let Command::Create { kind, name, literals, secret_type, namespace } = command else {
        return Err(wrong_command("create", &command));
    };
    if kind == ResourceKind::Namespace {
        let invalid = dns1123_label(&name);
        if !invalid.is_empty() {
            return Err(format!(
                "The Namespace {name:?} is invalid: metadata.name: Invalid value: {name:?}: {}\n",
                invalid.join(", ")
            ));
        }
        let (api, mut ctx) = write_context(cluster.world_mut());
        let line = crate::controllers::create_namespace(api, &mut ctx, &name)?;
        return Ok(join_lines(&[line]));
    }
    let ns = namespace.unwrap_or_else(|| "default".to_string());
    let singular = kind.info().singular;
    let failed = |e: String| {
        // kubectl words the two commands' failures slightly differently (`create_secret.go`).
        let sep = if kind == ResourceKind::ConfigMap {
            "failed to create configmap: "
        } else {
            "failed to create secret: "
        };
        format!("error: {sep}{e}\n")
    };
    let invalid = dns1123_subdomain(&name);
    if !invalid.is_empty() {
        return Err(failed(format!(
            "{} {name:?} is invalid: metadata.name: Invalid value: {name:?}: {}",
            kind.info().name,
            invalid.join(", ")
        )));
    }
    let meta = ObjectMeta { name: Some(name.clone()), ..Default::default() };
    let (api, mut ctx) = write_context(cluster.world_mut());
    let result = if kind == ResourceKind::ConfigMap {
        let data: BTreeMap<String, String> = literals.into_iter().collect();
        let cm =
            ConfigMap { metadata: meta, data: Some(data).filter(|d| !d.is_empty()), ..Default::default() };
        crate::controllers::create_config_map(api, &mut ctx, &ns, cm)
    } else {
        let data: BTreeMap<String, ByteString> =
            literals.into_iter().map(|(k, v)| (k, ByteString(v.into_bytes()))).collect();
        let secret = Secret {
            metadata: meta,
            data: Some(data).filter(|d| !d.is_empty()),
            type_: secret_type,
            ..Default::default()
        };
        crate::controllers::create_secret(api, &mut ctx, &ns, secret)
    };
    result.map_err(failed)?;
    Ok(join_lines(&[format!("{singular}/{name} created")]))
}
