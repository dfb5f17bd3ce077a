//! `kubectl drain NODE` (`staging/src/k8s.io/kubectl/pkg/cmd/drain/drain.go`,
//! `staging/src/k8s.io/kubectl/pkg/drain/filters.go`): cordons the node, then evicts every pod on
//! it, unless a filter refuses one: DaemonSet pods (`--ignore-daemonsets` passes over them with a
//! warning), pods with `emptyDir` volumes (`--delete-emptydir-data`) and pods no controller
//! manages (`--force`). A refusal leaves the node cordoned and evicts nothing.
//!
//! Assumption: kubectl waits for each evicted pod to be gone before it prints `pod/NAME evicted`
//! and `node/NAME drained`; the playground's commands take no virtual time, so those lines follow
//! at once while the pods go through their grace periods, as `kubectl delete` does here.

use k8s_openapi::api::core::v1::Pod;

use super::cordon::set_unschedulable;
use super::{join_lines, write_context, wrong_command, Cluster, Verb};
use crate::controllers::deletion::delete_object;
use crate::controllers::objects::stored_kind;
use crate::controllers::Propagation;
use crate::kubectl::command::Command;
use crate::kubectl::flags::{parse_flags, Arity};

pub const VERB: Verb = Verb {
    names: &["drain"],
    usage: "kubectl drain NODE [--ignore-daemonsets] [--delete-emptydir-data] [--force] [--grace-period=N]",
    parse,
    execute,
};

fn parse(words: &[String]) -> Result<Command, String> {
    let specs = [
        ("ignore-daemonsets", None, Arity::Bool),
        ("delete-emptydir-data", None, Arity::Bool),
        ("force", None, Arity::Bool),
        ("grace-period", None, Arity::Value),
    ];
    let p = parse_flags("drain", words, &specs)?;
    let [node] = p.args.as_slice() else {
        return Err(
            "error: USAGE: drain NODE [flags]\nSee 'kubectl drain -h' for help and examples".to_string()
        );
    };
    let node = match node.split_once('/') {
        Some((t, n)) if matches!(t, "node" | "nodes" | "no") && !n.is_empty() => n.to_string(),
        Some(_) => return Err("error: drain only works on nodes: kubectl drain NODE".to_string()),
        None => node.clone(),
    };
    Ok(Command::Drain {
        node,
        ignore_daemonsets: p.bool("drain", "ignore-daemonsets")?,
        delete_emptydir_data: p.bool("drain", "delete-emptydir-data")?,
        force: p.bool("drain", "force")?,
        grace_period: p.int("drain", "grace-period")?.filter(|g| *g >= 0),
    })
}

/// What the filters decided for the node's pods, in the order `filters.go` reports them.
#[derive(Default)]
struct Decision {
    /// `(message, pods)` of each refusal.
    errors: Vec<(&'static str, Vec<String>)>,
    /// `(message, pods)` of each warning.
    warnings: Vec<(&'static str, Vec<String>)>,
    evict: Vec<(String, String)>,
}

fn add(list: &mut Vec<(&'static str, Vec<String>)>, message: &'static str, pod: String) {
    match list.iter_mut().find(|(m, _)| *m == message) {
        Some((_, pods)) => pods.push(pod),
        None => list.push((message, vec![pod])),
    }
}

fn controller_kind(pod: &Pod) -> Option<&str> {
    pod.metadata
        .owner_references
        .iter()
        .flatten()
        .find(|r| r.controller == Some(true))
        .map(|r| r.kind.as_str())
}

fn terminal(pod: &Pod) -> bool {
    matches!(pod.status.as_ref().and_then(|s| s.phase.as_deref()), Some("Succeeded" | "Failed"))
}

/// One filter's verdict on a pod (`PodDeleteStatus`).
enum Status {
    Okay,
    Skip,
    Warning(&'static str),
    Error(&'static str),
}

/// The filters in `makeFilters` order, each given what the one before let through; the first
/// that does not let the pod be deleted ends its run, and the last verdict is the pod's.
fn status_of(pod: &Pod, ignore_daemonsets: bool, emptydir: bool, force: bool) -> Status {
    let controller = controller_kind(pod);
    let filters: [&dyn Fn() -> Status; 3] = [
        &|| match controller {
            Some("DaemonSet") if ignore_daemonsets => Status::Skip,
            Some("DaemonSet") => Status::Error("DaemonSet-managed Pods (use --ignore-daemonsets to ignore)"),
            _ => Status::Okay,
        },
        &|| {
            let local =
                pod.spec.as_ref().is_some_and(|s| s.volumes.iter().flatten().any(|v| v.empty_dir.is_some()));
            match (local && !terminal(pod), emptydir) {
                (false, _) => Status::Okay,
                (true, true) => Status::Warning("deleting Pods with local storage"),
                (true, false) => {
                    Status::Error("Pods with local storage (use --delete-emptydir-data to override)")
                }
            }
        },
        &|| match (controller.is_none() && !terminal(pod), force) {
            (false, _) => Status::Okay,
            (true, true) => Status::Warning("deleting Pods that declare no controller"),
            (true, false) => Status::Error("Pods that declare no controller (use --force to override)"),
        },
    ];
    let mut status = Status::Okay;
    for filter in filters {
        status = filter();
        if matches!(status, Status::Skip | Status::Error(_)) {
            break;
        }
    }
    status
}

/// Runs the filters (`GetPodsForDeletion`) over the pods bound to the node. kubectl groups the
/// pods of each message in a Go map, whose order varies from run to run; here messages keep the
/// order in which their first pod appears.
fn decide(
    pods: &[(&(String, String), &Pod)],
    ignore_daemonsets: bool,
    emptydir: bool,
    force: bool,
) -> Decision {
    let mut d = Decision::default();
    for ((ns, name), pod) in pods {
        let id = format!("{ns}/{name}");
        match status_of(pod, ignore_daemonsets, emptydir, force) {
            Status::Okay => d.evict.push((ns.clone(), name.clone())),
            Status::Skip => add(&mut d.warnings, "ignoring DaemonSet-managed Pods", id),
            Status::Warning(m) => {
                add(&mut d.warnings, m, id);
                d.evict.push((ns.clone(), name.clone()));
            }
            Status::Error(m) => add(&mut d.errors, m, id),
        }
    }
    d
}

fn listed(list: &[(&'static str, Vec<String>)], prefix: &str) -> Vec<String> {
    list.iter().map(|(m, pods)| format!("{prefix}{m}: {}", pods.join(", "))).collect()
}

fn execute(cluster: &mut dyn Cluster, command: Command) -> Result<String, String> {
    let Command::Drain { node, ignore_daemonsets, delete_emptydir_data, force, grace_period } = command
    else {
        return Err(wrong_command("drain", &command));
    };
    let (api, ctx) = write_context(cluster.world_mut());
    let mut lines = vec![set_unschedulable(api, &node, true)?];
    let pods: Vec<_> = api
        .pods
        .iter()
        .filter(|(_, p)| p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(node.as_str()))
        .collect();
    let decision = decide(&pods, ignore_daemonsets, delete_emptydir_data, force);
    if !decision.errors.is_empty() {
        let errors = listed(&decision.errors, "cannot delete ");
        // `utilerrors.NewAggregate`: one error reads as itself, several as `[a, b]`.
        let aggregate =
            if errors.len() == 1 { errors[0].clone() } else { format!("[{}]", errors.join(", ")) };
        lines.push(format!(
            "error: unable to drain node {node:?} due to error: {aggregate}, continuing command..."
        ));
        lines.push("There are pending nodes to be drained:".to_string());
        lines.push(format!(" {node}"));
        lines.push(format!("error: {aggregate}"));
        return Err(lines.join("\n"));
    }
    let warnings = listed(&decision.warnings, "");
    if !warnings.is_empty() {
        lines.push(format!("Warning: {}", warnings.join("; ")));
    }
    let Some(pod_kind) = stored_kind("Pod") else { return Ok(join_lines(&lines)) };
    for (ns, name) in &decision.evict {
        lines.push(format!("evicting pod {ns}/{name}"));
    }
    for key in &decision.evict {
        delete_object(api, ctx.now, pod_kind, key, Propagation::Background, grace_period);
        lines.push(format!("pod/{} evicted", key.1));
    }
    lines.push(format!("node/{node} drained"));
    Ok(join_lines(&lines))
}
