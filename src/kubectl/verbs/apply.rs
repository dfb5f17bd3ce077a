//! `kubectl apply -f -`: applies the editor's contents, the file given to the simulation
//! (`staging/src/k8s.io/kubectl/pkg/cmd/apply/apply.go`).

use super::{join_lines, wrong_command, Cluster, Verb};
use crate::kubectl::command::Command;
use crate::kubectl::flags::{parse_flags, Arity, NAMESPACE};

pub const VERB: Verb =
    Verb { names: &["apply"], usage: "kubectl apply -f -   (the editor's contents)", parse, execute };

fn parse(words: &[String]) -> Result<Command, String> {
    let p = parse_flags("apply", words, &[NAMESPACE, ("filename", Some('f'), Arity::Value)])?;
    match p.value("filename") {
        None => Err("error: must specify one of -f and -k".to_string()),
        Some("-") if p.args.is_empty() => Ok(Command::Apply),
        Some("-") => Err(format!("error: Unexpected args: {:?}\nSee 'kubectl apply -h' for help and examples", p.args)),
        Some(path) => Err(format!(
            "error: the path {path:?} does not exist (the playground applies the editor's contents: kubectl apply -f -)"
        )),
    }
}

fn execute(cluster: &mut dyn Cluster, command: Command) -> Result<String, String> {
    let Command::Apply = command else { return Err(wrong_command("apply", &command)) };
    match cluster.apply_editor() {
        Ok(lines) => Ok(join_lines(&lines)),
        Err(diags) => Err(diags.iter().map(|d| format!("error: {d}")).collect::<Vec<_>>().join("\n")),
    }
}
