//! The command language (contracts §2) and `kubectl`'s printers.
//!
//! # Layout
//! - `command`: parses a command line into a [`command::Command`].
//! - `print`: `kubectl get` tables, `-o wide|yaml|json`, and the row data the UI shows.
//! - `describe`: `kubectl describe pod|deploy|svc`.
//!
//! Printers read only the API store and the current virtual time, exactly as `kubectl` reads only
//! the API server: whatever they show, a real cluster would show from the same objects.

pub mod command;
pub mod describe;
pub mod print;
pub mod table;
