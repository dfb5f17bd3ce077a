//! The command language (`kubectl::command`'s documentation) and `kubectl`'s printers.
//!
//! # Layout
//! - `command`: the [`command::Command`] type and the parser's entry point.
//! - `flags`: word splitting and kubectl's flag rules, shared by every verb.
//! - `verbs`: the registry of verbs, one file per verb (`verbs/get.rs`, ...) holding its parser and
//!   its executor.
//! - `kinds`: the one table of resource kinds (names, short names, group, version, printer,
//!   describer).
//! - `print`: `kubectl get` tables, `-o wide|yaml|json|name`, and the row data the UI shows; one
//!   file per kind family under `print/`.
//! - `describe`: `kubectl describe`; one file per kind family under `describe/`.
//! - `table`: the tabwriter alignment both share; `yaml`: `-o yaml`'s writer.
//!
//! Printers read only the API store and the current virtual time, exactly as `kubectl` reads only
//! the API server: whatever they show, a real cluster would show from the same objects.

pub mod command;
pub mod describe;
pub mod flags;
pub mod kinds;
pub mod print;
pub mod table;
pub mod verbs;
pub mod yaml;

#[cfg(test)]
mod tests;

use crate::api::ApiStore;
use crate::duration::Millis;
use command::Command;

pub use verbs::{execute, Cluster};

/// Runs the read-only commands (`get` and `describe`) against the store at `now`, with kubectl's
/// namespace rules (`default` unless `-n`; every namespace with `-A`). Returns `None` for commands
/// that change the world, which the simulation carries out itself.
///
/// `Ok` is output of a successful command, `Err` the output of a failed one (kubectl's stdout and
/// stderr in the order kubectl prints them).
pub fn run_read(api: &ApiStore, now: Millis, command: &Command) -> Option<Result<String, String>> {
    verbs::get::read(api, now, command).or_else(|| verbs::describe::read(api, now, command))
}
