//! Driving a [`TaskBoard`] beside the browser's rewindable [`Timeline`]: play and seeks go
//! through these instead of the timeline's own `advance_to` and `seek`, so that the board sees
//! every second it needs, and a rewind takes back the decisions of the seconds undone.
//!
//! After an input (an apply or a command) nothing needs re-running: the board has observed the
//! seconds up to now, and the seconds after now are observed as play reaches them, with the input's
//! effect in them.

use super::board::TaskBoard;
use crate::duration::Millis;
use crate::timeline::Timeline;

/// Moves the timeline forward to `target`, stopping at every second the board needs on the way.
/// Returns whether a task's state changed, so that the caller knows to report it.
pub fn advance(board: &mut TaskBoard, timeline: &mut Timeline, target: Millis) -> bool {
    let mut changed = false;
    while let Some(at) = board.next_check().filter(|at| *at <= target) {
        if timeline.now() > at {
            board.skip_to(timeline.now());
            continue;
        }
        timeline.advance_to(at);
        changed |= board.observe(timeline.sim());
    }
    timeline.advance_to(target);
    changed | board.observe(timeline.sim())
}

/// Shows the state at `target`, earlier or later than now, as [`Timeline::seek`] does, with the
/// board's states as they stood at `target`. Returns whether a task's state changed.
pub fn seek(board: &mut TaskBoard, timeline: &mut Timeline, target: Millis) -> bool {
    let before = board.states().to_vec();
    if target < timeline.now() {
        timeline.rewind_for(target);
        board.rewind(target);
    }
    advance(board, timeline, target);
    board.states() != before.as_slice()
}
