//! Checked exercises: a scenario's `spec.tasks` (README.md, "Tasks"), goals a learner must reach
//! that the simulation itself checks.
//!
//! # Layout
//! - `spec`: the tasks as the manifest reader hands them over (command, expectation, window).
//! - `pattern`: the patterns, POSIX extended regular expressions searched line by line.
//! - `board`: the tasks' states as time advances, pending until the second that decides them.
//! - `timeline`: the board driven beside the browser's rewindable timeline.
//!
//! The CLI's `probe-playground test` (`cli/tasks.rs`) runs a board over a whole run, the embed
//! protocol reports its states (`embed/tasks.rs`), and the browser's Tasks panel shows them.

mod board;
mod pattern;
mod spec;
pub mod timeline;

#[cfg(test)]
mod tests;

pub use board::{Counts, Status, TaskBoard, TaskState};
pub use pattern::Pattern;
pub use spec::{Check, Expect, Task, Window};
