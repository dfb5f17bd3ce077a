//! The process the runtime starts: the image's `ENTRYPOINT` and `CMD` against the pod spec's
//! `command` and `args`, with Kubernetes' `$(VAR)` expansion of env values and arguments
//! (pkg/kubelet/kuberuntime/kuberuntime_container.go, third_party/forked/golang/expansion).

use super::catalogue::Image;
use crate::container::ContainerConfig;

/// Expands `$(VAR)` in env values against earlier entries, as the kubelet does.
pub(super) fn expand_env(config: &ContainerConfig) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::with_capacity(config.env.len());
    for (k, v) in &config.env {
        let value = expand_refs(v, &out);
        out.push((k.clone(), value));
    }
    out
}

/// Kubernetes' `$(VAR)` expansion: `$$` escapes, unknown references stay as written.
pub fn expand_refs(text: &str, env: &[(String, String)]) -> String {
    if !text.contains('$') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some(inner) = after.strip_prefix('(') {
            match inner.find(')') {
                Some(end) => {
                    let name = &inner[..end];
                    match env.iter().rev().find(|(k, _)| k == name) {
                        Some((_, v)) => out.push_str(v),
                        None => {
                            out.push_str("$(");
                            out.push_str(name);
                            out.push(')');
                        }
                    }
                    rest = &inner[end + 1..];
                }
                None => {
                    out.push_str("$(");
                    rest = inner;
                }
            }
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// The process the runtime starts: `command` replaces the entrypoint, `args` replace the
/// default command (and an explicit `command` drops the default command).
pub(super) fn container_argv(
    image: &Image,
    config: &ContainerConfig,
    env: &[(String, String)],
) -> Vec<String> {
    let x = |v: &[String]| v.iter().map(|a| expand_refs(a, env)).collect::<Vec<_>>();
    let owned = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    match (config.command.is_empty(), config.args.is_empty()) {
        (false, _) => [x(&config.command), x(&config.args)].concat(),
        (true, false) => [owned(image.entrypoint), x(&config.args)].concat(),
        (true, true) => [owned(image.entrypoint), owned(image.cmd)].concat(),
    }
}
