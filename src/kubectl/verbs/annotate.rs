//! `kubectl annotate KIND NAME... KEY=VALUE... KEY-... [--overwrite] [-l SELECTOR|--all]`
//! (`staging/src/k8s.io/kubectl/pkg/cmd/annotate/annotate.go`).

use super::metadata::{self, Field};
use super::{wrong_command, Cluster, Verb};
use crate::kubectl::command::Command;

pub const VERB: Verb = Verb {
    names: &["annotate"],
    usage: "kubectl annotate KIND NAME|-l SELECTOR|--all KEY=VALUE... KEY-... [--overwrite]",
    parse,
    execute,
};

fn parse(words: &[String]) -> Result<Command, String> {
    metadata::parse("annotate", words, Field::Annotations).map(Command::Annotate)
}

fn execute(cluster: &mut dyn Cluster, command: Command) -> Result<String, String> {
    let Command::Annotate(edit) = command else { return Err(wrong_command("annotate", &command)) };
    metadata::execute(cluster, edit, Field::Annotations)
}
