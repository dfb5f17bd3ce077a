//! `kubectl rollout restart KIND NAME` (`staging/src/k8s.io/kubectl/pkg/cmd/rollout/`).

use super::{join_lines, write_context, wrong_command, Cluster, Verb};
use crate::kubectl::command::{Command, ResourceKind};
use crate::kubectl::flags::{parse_flags, single_resource, NAMESPACE};

pub const VERB: Verb = Verb { names: &["rollout"], parse, execute };

fn parse(words: &[String]) -> Result<Command, String> {
    let p = parse_flags("rollout", words, &[NAMESPACE])?;
    match p.args.first().map(String::as_str) {
        Some("restart") => {}
        Some(sub @ ("status" | "history" | "undo" | "pause" | "resume")) => {
            return Err(format!(
                "error: \"kubectl rollout {sub}\" is not part of the playground; use rollout restart"
            ))
        }
        Some(other) => return Err(format!("error: unknown command {other:?} for \"kubectl rollout\"")),
        None => {
            return Err("error: rollout needs a subcommand: kubectl rollout restart deploy NAME".to_string())
        }
    }
    let (kind, name) = single_resource(&p.args[1..], "error: required resource not specified")?;
    if !matches!(kind, ResourceKind::Deployment | ResourceKind::StatefulSet | ResourceKind::DaemonSet) {
        return Err(format!("error: {}s {:?} restarting is not supported", kind.info().singular, name));
    }
    Ok(Command::RolloutRestart { kind, name, namespace: p.namespace() })
}

fn execute(cluster: &mut dyn Cluster, command: Command) -> Result<String, String> {
    let Command::RolloutRestart { kind, name, namespace } = command else {
        return Err(wrong_command("rollout", &command));
    };
    let ns = namespace.unwrap_or_else(|| "default".to_string());
    let (api, mut ctx) = write_context(cluster.world_mut());
    crate::controllers::rollout_restart(api, &mut ctx, kind, &ns, &name).map(|line| join_lines(&[line]))
}
