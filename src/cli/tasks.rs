//! `probe-playground test FILE [--until DURATION]`: runs the scenario's tasks (README.md, "Tasks")
//! and prints one line per task, in file order, then the counts. Exit code 0 when every task
//! passed, 1 when one did not, 2 when FILE has errors (printed as `check` prints them) or the
//! arguments are wrong.

use super::{load, usage_error, Outcome};
use crate::duration::{go_duration, parse_duration, Millis};
use crate::tasks::{Status, TaskBoard};

pub(super) fn test(args: &[String], read: &dyn Fn(&str) -> Result<String, String>) -> Outcome {
    let mut file = None;
    let mut until: Option<Millis> = None;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let value = if let Some(v) = a.strip_prefix("--until=") {
            Some(v.to_string())
        } else if a == "--until" {
            i += 1;
            match args.get(i) {
                Some(v) => Some(v.clone()),
                None => return usage_error("--until needs a value"),
            }
        } else {
            None
        };
        match value {
            Some(v) => match parse_duration(&v) {
                Ok(d) => until = Some(d),
                Err(e) => return usage_error(&e),
            },
            None if a.starts_with('-') && a.len() > 1 => return usage_error(&format!("unknown flag {a:?}")),
            None if file.is_none() => file = Some(a.to_string()),
            None => return usage_error(&format!("unexpected argument {a:?}")),
        }
        i += 1;
    }
    let Some(file) = file else { return usage_error("test needs a FILE") };
    let (mut sim, warnings) = match load(&file, read) {
        Ok(loaded) => loaded,
        Err(out) => return Outcome { code: 2, ..out },
    };
    let mut board = TaskBoard::for_simulation(&sim);
    let end = board.horizon().max(until.unwrap_or(0));
    board.advance(&mut sim, end);
    let mut out = Outcome { stderr: warnings, ..Default::default() };
    for state in board.states() {
        let line = match state.status {
            Status::Passed => format!("PASS {}  {}\n", state.name, state.title),
            Status::Failed => {
                format!(
                    "FAIL {}  {}: {}\n",
                    state.name,
                    state.title,
                    state.reason.as_deref().unwrap_or_default()
                )
            }
            // Only a run that could not reach the deciding second leaves a task pending.
            Status::Pending => {
                format!(
                    "PENDING {}  {}: not decided by {}\n",
                    state.name,
                    state.title,
                    go_duration(sim.now())
                )
            }
        };
        out.stdout.push_str(&line);
    }
    let counts = board.counts();
    out.stdout.push_str(&format!("{} passed, {} failed", counts.passed, counts.failed));
    if counts.pending > 0 {
        out.stdout.push_str(&format!(", {} pending", counts.pending));
    }
    out.stdout.push('\n');
    out.code = if counts.failed + counts.pending > 0 { 1 } else { 0 };
    // As in `run`: the process ends right after printing, so the simulation is not dropped.
    std::mem::forget(sim);
    out
}
