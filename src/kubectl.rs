//! The command language (`kubectl::command`'s documentation) and `kubectl`'s printers.
//!
//! # Layout
//! - `command`: parses a command line into a [`command::Command`].
//! - `print`: `kubectl get` tables, `-o wide|yaml|json|name`, and the row data the UI shows.
//! - `describe`: `kubectl describe pod|deploy|rs|sts|ds|svc|endpoints`.
//! - `table`: the tabwriter alignment both share.
//!
//! Printers read only the API store and the current virtual time, exactly as `kubectl` reads only
//! the API server: whatever they show, a real cluster would show from the same objects.

pub mod command;
pub mod describe;
pub mod print;
pub mod table;
pub mod yaml;

#[cfg(test)]
mod tests;

use crate::api::ApiStore;
use crate::duration::Millis;
use crate::selector::Selector;
use command::Command;

/// Runs the read-only commands (`get` and `describe`) against the store at `now`, with kubectl's
/// namespace rules (`default` unless `-n`; every namespace with `-A`). Returns `None` for commands
/// that change the world, which the simulation carries out itself.
///
/// `Ok` is output of a successful command, `Err` the output of a failed one (kubectl's stdout and
/// stderr in the order kubectl prints them).
pub fn run_read(api: &ApiStore, now: Millis, command: &Command) -> Option<Result<String, String>> {
    let namespace_of = |namespace: &Option<String>, all: bool| {
        if all {
            String::new()
        } else {
            namespace.clone().unwrap_or_else(|| "default".to_string())
        }
    };
    let parse_selector = |selector: &Option<String>| -> Result<Option<Selector>, String> {
        selector.as_deref().map(Selector::parse).transpose().map_err(|e| format!("error: {e}\n"))
    };
    Some(match command {
        Command::Get { kind, names, selector, output, namespace, all_namespaces } => parse_selector(selector)
            .and_then(|sel| {
                print::get(
                    api,
                    now,
                    *kind,
                    names,
                    sel.as_ref(),
                    *output,
                    &namespace_of(namespace, *all_namespaces),
                )
            }),
        Command::Describe { kind, names, selector, namespace, all_namespaces } => parse_selector(selector)
            .and_then(|sel| {
                describe::describe_many(
                    api,
                    now,
                    *kind,
                    names,
                    sel.as_ref(),
                    &namespace_of(namespace, *all_namespaces),
                )
            }),
        _ => return None,
    })
}
