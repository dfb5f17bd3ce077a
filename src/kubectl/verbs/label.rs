//! `kubectl label KIND NAME... KEY=VALUE... KEY-... [--overwrite] [-l SELECTOR|--all]`
//! (`staging/src/k8s.io/kubectl/pkg/cmd/label/label.go`).

use super::metadata::{self, Field};
use super::{wrong_command, Cluster, Verb};
use crate::kubectl::command::Command;

pub const VERB: Verb = Verb {
    names: &["label"],
    usage: "kubectl label KIND NAME|-l SELECTOR|--all KEY=VALUE... KEY-... [--overwrite]",
    parse,
    execute,
};

fn parse(words: &[String]) -> Result<Command, String> {
    metadata::parse("label", words, Field::Labels).map(Command::Label)
}

fn execute(cluster: &mut dyn Cluster, command: Command) -> Result<String, String> {
    let Command::Label(edit) = command else { return Err(wrong_command("label", &command)) };
    metadata::execute(cluster, edit, Field::Labels)
}
