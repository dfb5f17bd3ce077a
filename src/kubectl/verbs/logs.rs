//! `kubectl logs POD [CONTAINER] [-c C] [-p] [--tail N]`
//! (`staging/src/k8s.io/kubectl/pkg/cmd/logs/logs.go`); `-f` is accepted: the output is the log so
//! far.

use super::target::default_container;
use super::{wrong_command, Cluster, Verb};
use crate::kubectl::command::{Command, ResourceKind};
use crate::kubectl::flags::{parse_flags, unknown_type, Arity, NAMESPACE};
use crate::kubectl::kinds::resource_kind;

pub const VERB: Verb = Verb {
    names: &["logs", "log"],
    usage: "kubectl logs POD [CONTAINER] [-c CONTAINER] [-p] [--tail N]",
    parse,
    execute,
};

fn parse(words: &[String]) -> Result<Command, String> {
    let specs = [
        NAMESPACE,
        ("container", Some('c'), Arity::Value),
        ("previous", Some('p'), Arity::Bool),
        ("follow", Some('f'), Arity::Bool),
        ("tail", None, Arity::Value),
        ("timestamps", None, Arity::Bool),
    ];
    let p = parse_flags("logs", words, &specs)?;
    let usage = "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples";
    if p.args.is_empty() || p.args.len() > 2 || p.after_dash.is_some() {
        return Err(usage.to_string());
    }
    let pod = match p.args[0].split_once('/') {
        Some((t, n)) => match resource_kind(t) {
            Some(ResourceKind::Pod) if !n.is_empty() => n.to_string(),
            Some(_) => {
                return Err(format!(
                    "error: logs of {} need a pod name here; list its pods with \"kubectl get pods\"",
                    p.args[0]
                ))
            }
            None => return Err(unknown_type(t)),
        },
        None => p.args[0].clone(),
    };
    let mut container = p.value("container").map(str::to_string);
    if let Some(inline) = p.args.get(1) {
        if container.is_some() {
            return Err("error: only one of -c or an inline [CONTAINER] arg is allowed".to_string());
        }
        container = Some(inline.clone());
    }
    Ok(Command::Logs {
        pod,
        container,
        previous: p.bool("logs", "previous")?,
        tail: p.int("logs", "tail")?.filter(|n| *n >= 0),
        namespace: p.namespace(),
    })
}

/// Prints the container's log, or its previous instance's with `-p`.
fn execute(cluster: &mut dyn Cluster, command: Command) -> Result<String, String> {
    let Command::Logs { pod, container, previous, tail, namespace } = command else {
        return Err(wrong_command("logs", &command));
    };
    let ns = namespace.unwrap_or_else(|| "default".to_string());
    let pod = pod.as_str();
    let world = cluster.world();
    let (container, notice) = default_container(world, &ns, pod, container.as_deref())?;
    let key = (ns.clone(), pod.to_string());
    let Some(rt) = world.pod_runtime(&key) else {
        return Err(format!("Error from server (BadRequest): container \"{container}\" in pod \"{pod}\" is waiting to start: ContainerCreating"));
    };
    let Some(slot) = rt.slot_index(&container).map(|i| &rt.slots[i]) else {
        return Err(format!("error: container {container} is not valid for pod {pod}"));
    };
    let inst = if previous {
        if slot.instances.len() < 2 {
            return Err(format!(
                "Error from server (BadRequest): previous terminated container \"{container}\" in pod \"{pod}\" not found"
            ));
        }
        &slot.instances[slot.instances.len() - 2]
    } else {
        match slot.instances.last() {
            Some(i) => i,
            None => {
                return Err(format!(
                    "Error from server (BadRequest): container \"{container}\" in pod \"{pod}\" is waiting to start: ContainerCreating"
                ))
            }
        }
    };
    let mut text = notice;
    let lines = inst.proc.logs();
    let skip = match tail {
        Some(n) if n >= 0 => lines.len().saturating_sub(n as usize),
        _ => 0,
    };
    for line in &lines[skip..] {
        text.push_str(&line.text);
        if !line.text.ends_with('\n') {
            text.push('\n');
        }
    }
    Ok(text)
}
