//! `node stop NAME` and `node start NAME`: not kubectl, but the command language's words for a
//! fault kubectl cannot cause (contracts.md): the node's kubelet stops reporting, and the node
//! lifecycle controller and taint-based eviction take it from there, as on a real cluster; or the
//! kubelet starts again.

use super::{wrong_command, Cluster, Verb};
use crate::kubectl::command::Command;

pub const VERB: Verb = Verb {
    names: &["node"],
    usage: "node stop|start NAME   (the node's kubelet stops or starts)",
    parse,
    execute,
};

const USAGE: &str = "error: node takes an action and a node name: \"node stop NAME\" or \"node start NAME\"";

fn parse(words: &[String]) -> Result<Command, String> {
    match words {
        [action, name] if !name.starts_with('-') => {
            let start = match action.as_str() {
                "start" => true,
                "stop" => false,
                other => return Err(format!("error: unknown node action {other:?}; use stop or start")),
            };
            Ok(Command::Node { name: name.clone(), start })
        }
        _ => Err(USAGE.to_string()),
    }
}

fn execute(cluster: &mut dyn Cluster, command: Command) -> Result<String, String> {
    let Command::Node { name, start } = command else {
        return Err(wrong_command("node", &command));
    };
    let world = cluster.world_mut();
    if start {
        world.start_kubelet(&name)
    } else {
        world.stop_kubelet(&name)
    }
}

#[cfg(test)]
mod tests {
    use crate::kubectl::command::{parse, Command};

    #[test]
    fn reads_the_two_actions_and_refuses_the_rest() {
        assert_eq!(parse("node stop n1"), Ok(Command::Node { name: "n1".into(), start: false }));
        assert_eq!(parse("node start n1"), Ok(Command::Node { name: "n1".into(), start: true }));
        assert!(parse("node reboot n1").unwrap_err().contains("unknown node action \"reboot\""));
        assert!(parse("node stop").unwrap_err().contains("node stop NAME"));
        assert!(parse("node stop a b").is_err());
    }
}
