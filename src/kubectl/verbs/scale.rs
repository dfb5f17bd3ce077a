//! `kubectl scale KIND NAME --replicas=N` (`staging/src/k8s.io/kubectl/pkg/cmd/scale/scale.go`).

use super::{join_lines, write_context, wrong_command, Cluster, Verb};
use crate::kubectl::command::{Command, ResourceKind};
use crate::kubectl::flags::{parse_flags, single_resource, Arity, NAMESPACE};

pub const VERB: Verb =
    Verb { names: &["scale"], usage: "kubectl scale deploy|sts|rs NAME --replicas=N", parse, execute };

fn parse(words: &[String]) -> Result<Command, String> {
    let specs = [NAMESPACE, ("replicas", None, Arity::Value), ("current-replicas", None, Arity::Value)];
    let p = parse_flags("scale", words, &specs)?;
    let Some(replicas) = p.int("scale", "replicas")? else {
        return Err("error: required flag(s) \"replicas\" not set".to_string());
    };
    if replicas < 0 {
        return Err(
            "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0"
                .to_string(),
        );
    }
    let replicas = i32::try_from(replicas).map_err(|_| {
        format!("error: invalid argument \"{replicas}\" for \"--replicas\" flag: strconv.ParseInt: parsing \"{replicas}\": value out of range")
    })?;
    let (kind, name) =
        single_resource(&p.args, "error: You must provide one or more resources by argument or filename.")?;
    if !matches!(kind, ResourceKind::Deployment | ResourceKind::StatefulSet | ResourceKind::ReplicaSet) {
        return Err(format!(
            "error: no scaler has been implemented for {{\"{}\" \"{}\"}}",
            kind.info().group,
            kind.info().name
        ));
    }
    Ok(Command::Scale { kind, name, replicas, namespace: p.namespace() })
}

fn execute(cluster: &mut dyn Cluster, command: Command) -> Result<String, String> {
    let Command::Scale { kind, name, replicas, namespace } = command else {
        return Err(wrong_command("scale", &command));
    };
    let ns = namespace.unwrap_or_else(|| "default".to_string());
    let (api, mut ctx) = write_context(cluster.world_mut());
    crate::controllers::scale(api, &mut ctx, kind, &ns, &name, replicas).map(|line| join_lines(&[line]))
}
