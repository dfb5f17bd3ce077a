//! `kubectl exec [-c CONTAINER] POD|TYPE/NAME -- COMMAND...`
//! (`staging/src/k8s.io/kubectl/pkg/cmd/exec/exec.go`).

use super::target::{default_container, pod_for_workload};
use super::{wrong_command, Cluster, Verb};
use crate::kubectl::command::{Command, ExecTarget, ResourceKind};
use crate::kubectl::flags::{parse_flags, unknown_type, Arity, NAMESPACE};
use crate::kubectl::kinds::resource_kind;

pub const VERB: Verb = Verb {
    names: &["exec"],
    usage: "kubectl exec POD|deploy/NAME|sts/NAME|ds/NAME [-c CONTAINER] -- COMMAND [ARGS...]",
    parse,
    execute,
};

fn parse(words: &[String]) -> Result<Command, String> {
    let specs = [
        NAMESPACE,
        ("container", Some('c'), Arity::Value),
        ("stdin", Some('i'), Arity::Bool),
        ("tty", Some('t'), Arity::Bool),
        ("quiet", Some('q'), Arity::Bool),
    ];
    let p = parse_flags("exec", words, &specs)?;
    let Some(first) = p.args.first() else {
        return Err("error: pod, type/name or --filename must be specified".to_string());
    };
    if p.args.len() > 1 {
        return Err("error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples".to_string());
    }
    let argv = p.after_dash.clone().unwrap_or_default();
    if argv.is_empty() {
        return Err("error: you must specify at least one command for the container".to_string());
    }
    let target = match first.split_once('/') {
        None => ExecTarget::Pod(first.clone()),
        Some((t, n)) => {
            if n.is_empty() || n.contains('/') {
                return Err(
                    "error: arguments in resource/name form must have a single resource and name".to_string()
                );
            }
            match resource_kind(t) {
                Some(ResourceKind::Pod) => ExecTarget::Pod(n.to_string()),
                Some(ResourceKind::Deployment) => ExecTarget::Deployment(n.to_string()),
                Some(ResourceKind::StatefulSet) => ExecTarget::StatefulSet(n.to_string()),
                Some(ResourceKind::DaemonSet) => ExecTarget::DaemonSet(n.to_string()),
                Some(kind) => {
                    return Err(format!(
                        "error: cannot attach to {}: not implemented",
                        crate::kubectl::print::kind_plural_group(kind)
                    ))
                }
                None => return Err(unknown_type(t)),
            }
        }
    };
    p.bool("exec", "stdin")?;
    p.bool("exec", "tty")?;
    Ok(Command::Exec {
        target,
        container: p.value("container").map(str::to_string),
        argv,
        namespace: p.namespace(),
    })
}

/// Runs the command in the container; a non-zero exit is a failed command whose output ends with
/// kubectl's `command terminated with exit code N`.
fn execute(cluster: &mut dyn Cluster, command: Command) -> Result<String, String> {
    let Command::Exec { target, container, argv, namespace } = command else {
        return Err(wrong_command("exec", &command));
    };
    let ns = namespace.unwrap_or_else(|| "default".to_string());
    let world = cluster.world_mut();
    let pod = pod_for_workload(world, &ns, &target)?;
    let (container, notice) = default_container(world, &ns, &pod, container.as_deref())?;
    if argv.is_empty() {
        return Err("error: you must specify at least one command for the container".to_string());
    }
    let key = (ns, pod);
    match world.exec_in(&key, &container, &argv) {
        Ok(r) => {
            let mut text = notice;
            text.push_str(&r.output);
            // The playground's compute budget (`crate::budget`) is said once per command.
            if r.throttled {
                if !text.is_empty() && !text.ends_with('\n') {
                    text.push('\n');
                }
                text.push_str(&crate::budget::exec_throttled_line());
            }
            if r.exit_code != 0 {
                if !text.is_empty() && !text.ends_with('\n') {
                    text.push('\n');
                }
                text.push_str(&format!("command terminated with exit code {}\n", r.exit_code));
                return Err(text);
            }
            Ok(text)
        }
        Err(e) => Err(format!("{notice}error: {e}")),
    }
}
