//! `kubectl cordon NODE` and `kubectl uncordon NODE` (`staging/src/k8s.io/kubectl/pkg/cmd/drain/`
//! and `staging/src/k8s.io/kubectl/pkg/drain/cordon.go`): `spec.unschedulable`, which the
//! scheduler honours and `kubectl get nodes` shows as `Ready,SchedulingDisabled`.

use k8s_openapi::api::core::v1::Taint;

use super::{join_lines, wrong_command, Cluster, Verb};
use crate::api::ApiStore;
use crate::kubectl::command::Command;
use crate::kubectl::flags::parse_flags;

pub const CORDON: Verb =
    Verb { names: &["cordon"], usage: "kubectl cordon NODE", parse: parse_cordon, execute };
pub const UNCORDON: Verb =
    Verb { names: &["uncordon"], usage: "kubectl uncordon NODE", parse: parse_uncordon, execute };

/// The taint the node lifecycle controller keeps on an unschedulable node
/// (`pkg/controller/nodelifecycle`, `TaintNodesByCondition`).
const UNSCHEDULABLE_TAINT: &str = "node.kubernetes.io/unschedulable";

fn parse_cordon(words: &[String]) -> Result<Command, String> {
    parse(words, "cordon", true)
}

fn parse_uncordon(words: &[String]) -> Result<Command, String> {
    parse(words, "uncordon", false)
}

fn parse(words: &[String], verb: &str, unschedulable: bool) -> Result<Command, String> {
    let p = parse_flags(verb, words, &[])?;
    let [node] = p.args.as_slice() else {
        return Err(format!(
            "error: USAGE: {verb} NODE [flags]\nSee 'kubectl {verb} -h' for help and examples"
        ));
    };
    let node = match node.split_once('/') {
        Some((t, n)) if matches!(t, "node" | "nodes" | "no") && !n.is_empty() => n.to_string(),
        Some(_) => return Err(format!("error: {verb} only works on nodes: kubectl {verb} NODE")),
        None => node.clone(),
    };
    Ok(Command::Cordon { node, unschedulable })
}

fn execute(cluster: &mut dyn Cluster, command: Command) -> Result<String, String> {
    let Command::Cordon { node, unschedulable } = command else {
        return Err(wrong_command("cordon", &command));
    };
    set_unschedulable(&mut cluster.world_mut().api, &node, unschedulable).map(|line| join_lines(&[line]))
}

/// Cordons or uncordons a node: `node/NAME cordoned`, or `already cordoned` when nothing changes.
/// Shared with `drain`, which cordons first.
pub(super) fn set_unschedulable(
    api: &mut ApiStore,
    node: &str,
    unschedulable: bool,
) -> Result<String, String> {
    let verb = if unschedulable { "cordoned" } else { "uncordoned" };
    let version = api.next_resource_version();
    let Some(object) = api.nodes.get_mut(node) else {
        return Err(format!("Error from server (NotFound): nodes {node:?} not found"));
    };
    let spec = object.spec.get_or_insert_with(Default::default);
    if spec.unschedulable.unwrap_or(false) == unschedulable {
        return Ok(format!("node/{node} already {verb}"));
    }
    // `false` is the field's zero value, which the API server does not keep.
    spec.unschedulable = unschedulable.then_some(true);
    let taints = spec.taints.get_or_insert_with(Vec::new);
    taints.retain(|t| t.key != UNSCHEDULABLE_TAINT);
    if unschedulable {
        taints.push(Taint {
            key: UNSCHEDULABLE_TAINT.to_string(),
            effect: "NoSchedule".to_string(),
            ..Default::default()
        });
    }
    if taints.is_empty() {
        spec.taints = None;
    }
    object.metadata.resource_version = Some(version);
    api.changes.controllers_dirty = true;
    Ok(format!("node/{node} {verb}"))
}
