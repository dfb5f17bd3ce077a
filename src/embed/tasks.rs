//! The `postMessage` protocol's task reports (`docs/embed.md`, "Tasks"): the states of an
//! exercise's tasks for a course page that records completion. They travel in the same envelope
//! as the other outbound messages ([`super::Outbound`]), with types of their own.

use serde::Serialize;

use super::protocol::as_seconds;
use super::{MARKER, PROTOCOL_VERSION};
use crate::duration::Millis;
use crate::tasks::{Status, TaskState};

/// A message about the tasks, posted to the host page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum TaskMessage {
    /// Every task's state, in file order: posted to subscribers when a scenario with tasks is
    /// loaded, and after a rewind or a reload, when many states may have changed at once.
    Tasks {
        /// Virtual time in milliseconds; written as `t` in seconds.
        #[serde(rename = "t", serialize_with = "as_seconds")]
        time_ms: Millis,
        tasks: Vec<TaskState>,
        /// Whether there are tasks and every one has passed.
        all_passed: bool,
    },
    /// One task's state changed as the playground's clock reached the second that decided it.
    Task {
        task: TaskState,
        /// Its state before.
        from: Status,
        #[serde(rename = "t", serialize_with = "as_seconds")]
        time_ms: Millis,
        all_passed: bool,
    },
}

impl TaskMessage {
    /// The `tasks` message for these states.
    pub fn list(states: &[TaskState], time_ms: Millis) -> TaskMessage {
        TaskMessage::Tasks { time_ms, tasks: states.to_vec(), all_passed: all_passed(states) }
    }

    /// Writes the message as JSON with the protocol marker first, as [`super::Outbound::to_json`]
    /// writes the others.
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Envelope<'a> {
            #[serde(rename = "probePlayground")]
            marker: u64,
            #[serde(flatten)]
            message: &'a TaskMessage,
        }
        serde_json::to_string(&Envelope { marker: PROTOCOL_VERSION, message: self }).unwrap_or_else(|e| {
            format!("{{\"{MARKER}\":{PROTOCOL_VERSION},\"type\":\"error\",\"message\":{:?}}}", e.to_string())
        })
    }
}

/// The `task` messages that lead from `prev` to `next` (the same tasks, in the same order, as a
/// board reports them), one per task whose state changed, in file order. Tasks are matched by
/// name, so a list of other tasks yields no changes: send a `tasks` message for a new scenario.
pub fn diff_tasks(prev: &[TaskState], next: &[TaskState], time_ms: Millis) -> Vec<TaskMessage> {
    let done = all_passed(next);
    next.iter()
        .filter_map(|task| {
            let before = prev.iter().find(|p| p.name == task.name)?;
            (before.status != task.status).then(|| TaskMessage::Task {
                task: task.clone(),
                from: before.status,
                time_ms,
                all_passed: done,
            })
        })
        .collect()
}

fn all_passed(states: &[TaskState]) -> bool {
    !states.is_empty() && states.iter().all(|s| s.status == Status::Passed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::Simulation;
    use crate::tasks::TaskBoard;

    const FILE: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - {name: nginx, image: nginx}\n---\napiVersion: playground/v1\nkind: Scenario\nspec:\n  tasks:\n  - name: running\n    title: The pod runs within 5 seconds\n    check: {command: kubectl get pod web, match: Running, by: 5s}\n  - name: restarted\n    title: The pod has restarted by 10 seconds\n    hint: Nothing restarts it.\n    check: {command: kubectl get pod web, match: 'Running +[1-9]', by: 10s}\n";

    #[test]
    fn task_messages_report_each_change_once() {
        let mut sim = Simulation::load(FILE).unwrap();
        let mut board = TaskBoard::for_simulation(&sim);
        let list = TaskMessage::list(board.states(), 0).to_json();
        assert_eq!(
            list,
            r#"{"probePlayground":1,"type":"tasks","t":0,"tasks":[{"name":"running","title":"The pod runs within 5 seconds","status":"pending"},{"name":"restarted","title":"The pod has restarted by 10 seconds","hint":"Nothing restarts it.","status":"pending"}],"allPassed":false}"#
        );
        let before = board.states().to_vec();
        board.advance(&mut sim, 10_000);
        let changes: Vec<String> =
            diff_tasks(&before, board.states(), 10_000).iter().map(TaskMessage::to_json).collect();
        assert_eq!(changes.len(), 2);
        assert!(changes[0].starts_with(
            r#"{"probePlayground":1,"type":"task","task":{"name":"running","title":"The pod runs within 5 seconds","status":"passed","decidedAt":"#
        ));
        assert!(changes[1].contains(r#""status":"failed","decidedAt":10,"reason":"by 10s, 'Running +[1-9]' had not matched; kubectl get pod web printed"#));
        assert!(changes[1].ends_with(r#""from":"pending","t":10,"allPassed":false}"#));
        assert!(diff_tasks(board.states(), board.states(), 10_000).is_empty());
    }
}
