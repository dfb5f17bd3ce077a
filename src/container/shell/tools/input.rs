//! Reading a tool's input: its file operands, or standard input when there are none (or for `-`).

use super::super::{Host, Io, Process};
use crate::container::fs::{normalize, FsError};

/// One input: its name as given (`-` for standard input) and its text, or why it could not be read.
pub(super) struct Input {
    pub(super) name: String,
    pub(super) text: Result<String, FsError>,
}

/// The inputs named by `files`, standard input when `files` is empty.
pub(super) fn inputs(p: &Process, host: &dyn Host, files: &[String], io: &mut Io) -> Vec<Input> {
    if files.is_empty() {
        return vec![Input { name: "-".to_string(), text: Ok(io.input.take().unwrap_or_default()) }];
    }
    files
        .iter()
        .map(|f| {
            let text = if f == "-" {
                Ok(io.input.take().unwrap_or_default())
            } else {
                host.fs_ref().read(&normalize(&p.cwd, f)).map(str::to_string)
            };
            Input { name: f.clone(), text }
        })
        .collect()
}

/// Splits text into lines without their newlines; a last line without one still counts.
pub(super) fn lines(text: &str) -> Vec<&str> {
    let mut out: Vec<&str> = text.split('\n').collect();
    if text.is_empty() || text.ends_with('\n') {
        out.pop();
    }
    out
}
