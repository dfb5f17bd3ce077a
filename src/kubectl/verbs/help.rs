//! `help` (also `kubectl help`): the command language's verbs, each with its synopsis, read from
//! the registry so the list is always the one the parser accepts.

use super::{wrong_command, Cluster, Verb, VERBS};
use crate::kubectl::command::Command;
use crate::kubectl::kinds::KINDS;

pub const VERB: Verb = Verb { names: &["help"], usage: "help", parse, execute };

fn parse(words: &[String]) -> Result<Command, String> {
    match words {
        [] => Ok(Command::Help),
        _ => Err("error: help takes no arguments; try \"help\"".to_string()),
    }
}

fn execute(_: &mut dyn Cluster, command: Command) -> Result<String, String> {
    let Command::Help = command else { return Err(wrong_command("help", &command)) };
    let mut out =
        String::from("The playground's terminal runs this subset of kubectl, with kubectl's own output:\n");
    for verb in VERBS.iter().filter(|v| v.names != ["help"]) {
        out.push_str(&format!("  {}\n", verb.usage));
    }
    let kinds: Vec<String> = KINDS
        .iter()
        .map(|k| match k.short.first() {
            Some(short) => format!("{} ({short})", k.plural),
            None => k.plural.to_string(),
        })
        .collect();
    out.push_str(&format!("Kinds: {}.\n", kinds.join(", ")));
    out.push_str("\"kubectl\" may be written \"k\" or left out.\n");
    Ok(out)
}
