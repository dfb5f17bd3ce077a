//! The registry of verbs: one file per verb under `verbs/`, each holding the verb's parser (its
//! flags and arguments, with kubectl's errors) and its executor (what the API server and kubectl
//! do), as `kubectl` itself keeps one package per command (`staging/src/k8s.io/kubectl/pkg/cmd/`).
//!
//! Adding a verb is one file with a `VERB` row, one entry in [`VERBS`] and, if it needs new
//! arguments, one variant of [`Command`] (with its name in [`Command::verb`]).

pub mod annotate;
pub mod apply;
pub mod cordon;
pub mod create;
pub mod delete;
pub mod describe;
pub mod drain;
pub mod exec;
pub mod get;
pub mod help;
pub mod label;
pub mod logs;
mod metadata;
pub mod node;
pub mod patch;
pub mod rollout;
pub mod scale;
pub mod set;
mod target;

use crate::engine::World;
use crate::kubectl::command::Command;
use crate::manifest::Diagnostic;
use crate::selector::Selector;

/// One verb: the names it is typed as, its parser and its executor.
pub struct Verb {
    /// The first name is the verb's own ([`Command::verb`]); the others are aliases (`log`).
    pub names: &'static [&'static str],
    /// The synopsis `help` lists.
    pub usage: &'static str,
    /// Reads the words after the verb (with any flags given before it).
    pub parse: fn(&[String]) -> Result<Command, String>,
    /// Carries out a command this verb parsed. `Ok` is the output of a successful command, `Err`
    /// the output of a failed one (kubectl's stdout and stderr in the order kubectl prints them).
    pub execute: fn(&mut dyn Cluster, Command) -> Result<String, String>,
}

/// Every verb of the command language.
pub static VERBS: &[Verb] = &[
    apply::VERB,
    get::VERB,
    describe::VERB,
    logs::VERB,
    delete::VERB,
    scale::VERB,
    rollout::VERB,
    exec::VERB,
    label::VERB,
    annotate::VERB,
    cordon::CORDON,
    cordon::UNCORDON,
    drain::VERB,
    set::VERB,
    patch::VERB,
    create::VERB,
    node::VERB,
    help::VERB,
];

/// kubectl's other commands, which the playground names rather than calling them unknown.
const NOT_IN_PLAYGROUND: &[&str] = &[
    "edit",
    "replace",
    "expose",
    "run",
    "autoscale",
    "port-forward",
    "proxy",
    "cp",
    "attach",
    "top",
    "taint",
    "wait",
    "explain",
    "api-resources",
    "api-versions",
    "config",
    "cluster-info",
    "version",
    "auth",
    "debug",
    "events",
    "diff",
    "kustomize",
    "certificate",
    "plugin",
    "completion",
    "alpha",
    "options",
];

/// What executors act on: the simulated cluster, and the editor's file `kubectl apply -f -`
/// reads.
pub trait Cluster {
    fn world(&self) -> &World;
    fn world_mut(&mut self) -> &mut World;
    /// Applies the editor's contents, returning kubectl's lines or the file's located errors.
    fn apply_editor(&mut self) -> Result<Vec<String>, Vec<Diagnostic>>;
}

/// Parses the words after `verb` with that verb's parser.
pub(crate) fn parse(verb: &str, rest: &[String]) -> Result<Command, String> {
    if let Some(v) = VERBS.iter().find(|v| v.names.contains(&verb)) {
        return (v.parse)(rest);
    }
    if NOT_IN_PLAYGROUND.contains(&verb) {
        let names: Vec<&str> = VERBS.iter().filter_map(|v| v.names.first().copied()).collect();
        let (last, rest) = names.split_last().unwrap_or((&"get", &[]));
        return Err(format!(
            "error: \"kubectl {verb}\" is not part of the playground; use {} or {last}",
            rest.join(", ")
        ));
    }
    Err(format!("error: unknown command {verb:?} for \"kubectl\""))
}

/// Carries out a parsed command with its verb's executor.
pub fn execute(cluster: &mut dyn Cluster, command: Command) -> Result<String, String> {
    let name = command.verb();
    match VERBS.iter().find(|v| v.names.first() == Some(&name)) {
        Some(v) => (v.execute)(cluster, command),
        None => Err(format!("error: \"kubectl {name}\" has no executor")),
    }
}

/// The error of an executor handed another verb's command, which the registry never does.
fn wrong_command(verb: &str, command: &Command) -> String {
    format!("error: \"kubectl {verb}\" cannot run a \"kubectl {}\" command", command.verb())
}

/// kubectl's namespace rules: `default` unless `-n`; every namespace (the empty string) with `-A`.
fn namespace_of(namespace: &Option<String>, all: bool) -> String {
    if all {
        String::new()
    } else {
        namespace.clone().unwrap_or_else(|| "default".to_string())
    }
}

/// Parses `-l`, with kubectl's error for a malformed selector.
fn parse_selector(selector: &Option<String>) -> Result<Option<Selector>, String> {
    selector.as_deref().map(Selector::parse).transpose().map_err(|e| format!("error: {e}\n"))
}

/// Joins kubectl's output lines, ending the text with a newline.
fn join_lines(lines: &[String]) -> String {
    let mut text = lines.join("\n");
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// The controllers' context over the world's RNG and event recorder, beside its API store.
fn write_context(world: &mut World) -> (&mut crate::api::ApiStore, crate::controllers::Context<'_>) {
    let ctx =
        crate::controllers::Context { now: world.now, rng: &mut world.rng, events: &mut world.recorder };
    (&mut world.api, ctx)
}
