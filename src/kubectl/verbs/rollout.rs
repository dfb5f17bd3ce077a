//! `kubectl rollout restart|status|history|undo KIND NAME`
//! (`staging/src/k8s.io/kubectl/pkg/cmd/rollout/`). `status` reports the rollout as it stands at
//! the command's instant, as `--watch=false` does: a terminal line runs at one instant of virtual
//! time, so it cannot wait for the rollout to finish.

mod history;
mod status;

use super::{join_lines, write_context, wrong_command, Cluster, Verb};
use crate::kubectl::command::{Command, ResourceKind};
use crate::kubectl::flags::{parse_flags, single_resource, Arity, NAMESPACE};

pub const VERB: Verb = Verb {
    names: &["rollout"],
    usage: "kubectl rollout restart|status|history|undo KIND NAME [--to-revision=N]",
    parse,
    execute,
};

fn parse(words: &[String]) -> Result<Command, String> {
    let specs = [
        NAMESPACE,
        ("to-revision", None, Arity::Value),
        ("watch", Some('w'), Arity::Bool),
        ("revision", None, Arity::Value),
    ];
    let p = parse_flags("rollout", words, &specs)?;
    let sub = match p.args.first().map(String::as_str) {
        Some(sub @ ("restart" | "status" | "history" | "undo")) => sub,
        Some(sub @ ("pause" | "resume")) => {
            return Err(format!(
                "error: \"kubectl rollout {sub}\" is not part of the playground; use rollout restart, status, history or undo"
            ))
        }
        Some(other) => return Err(format!("error: unknown command {other:?} for \"kubectl rollout\"")),
        None => {
            return Err("error: rollout needs a subcommand: kubectl rollout restart deploy NAME".to_string())
        }
    };
    let (kind, name) = single_resource(&p.args[1..], "error: required resource not specified")?;
    let namespace = p.namespace();
    if !matches!(kind, ResourceKind::Deployment | ResourceKind::StatefulSet | ResourceKind::DaemonSet) {
        return Err(match sub {
            "restart" => format!("error: {}s {:?} restarting is not supported", kind.info().singular, name),
            "status" => format!("error: no status viewer has been implemented for {}", kind.info().name),
            "history" => format!("error: no history viewer has been implemented for {:?}", kind.info().name),
            _ => format!("error: no rollbacker has been implemented for {:?}", kind.info().name),
        });
    }
    if p.value("revision").is_some() {
        return Err("error: rollout history --revision is not part of the playground".to_string());
    }
    p.bool("rollout", "watch")?;
    Ok(match sub {
        "restart" => Command::RolloutRestart { kind, name, namespace },
        "status" => Command::RolloutStatus { kind, name, namespace },
        "history" => Command::RolloutHistory { kind, name, namespace },
        _ => {
            let to_revision = p.int("rollout", "to-revision")?.unwrap_or(0);
            Command::RolloutUndo { kind, name, to_revision, namespace }
        }
    })
}

fn execute(cluster: &mut dyn Cluster, command: Command) -> Result<String, String> {
    let default = |ns: &Option<String>| ns.clone().unwrap_or_else(|| "default".to_string());
    match &command {
        Command::RolloutRestart { kind, name, namespace } => {
            let (api, mut ctx) = write_context(cluster.world_mut());
            crate::controllers::rollout_restart(api, &mut ctx, *kind, &default(namespace), name)
                .map(|line| join_lines(&[line]))
        }
        Command::RolloutStatus { kind, name, namespace } => {
            status::status(&cluster.world().api, *kind, &(default(namespace), name.clone()))
        }
        Command::RolloutHistory { kind, name, namespace } => {
            history::history(&cluster.world().api, *kind, &(default(namespace), name.clone()))
        }
        Command::RolloutUndo { kind, name, to_revision, namespace } => history::undo(
            &mut cluster.world_mut().api,
            *kind,
            &(default(namespace), name.clone()),
            *to_revision,
        ),
        _ => Err(wrong_command("rollout", &command)),
    }
}
