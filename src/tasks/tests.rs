//! The board's states over time: pending until the deciding second, decided once, taken back by a
//! rewind; and the checks never change the simulation they look at.

use super::*;
use crate::sim::Simulation;
use crate::timeline::{Input, Timeline};

/// A busybox pod whose file appears at 10s and goes at 20s, with one task of each window.
const FILE: &str = "apiVersion: v1
kind: Pod
metadata:
  name: box
spec:
  containers:
  - name: box
    image: busybox
    command: [sh, -c, 'sleep 10; touch /tmp/flag; sleep 10; rm /tmp/flag; sleep 600']
---
apiVersion: playground/v1
kind: Scenario
metadata:
  name: flag
spec:
  tasks:
  - name: flag-by
    title: The flag appears within 15 seconds
    check: {command: kubectl exec box -- ls /tmp, match: '^flag$', by: 15s}
  - name: flag-at
    title: The flag is there at 30 seconds
    hint: It is removed at 20 seconds.
    check: {command: kubectl exec box -- ls /tmp, match: flag, at: 30s}
  - name: running
    title: The pod runs from 5 to 40 seconds
    check: {command: kubectl get pod box, match: 'box +1/1 +Running', from: 5s, until: 40s}
  - name: never-restarted
    title: The pod is never restarted
    check: {command: kubectl get pod box, notMatch: 'Running +[1-9]', from: 0s, until: 1m}
";

fn statuses(board: &TaskBoard) -> Vec<(&str, Status, Option<u64>)> {
    board.states().iter().map(|s| (s.name.as_str(), s.status, s.decided_at.map(|t| t / 1000))).collect()
}

#[test]
fn tasks_stay_pending_until_their_second_decides_them() {
    let mut sim = Simulation::load(FILE).unwrap();
    let mut board = TaskBoard::for_simulation(&sim);
    assert_eq!(board.horizon(), 60_000);
    assert_eq!(board.next_check(), Some(0));
    board.advance(&mut sim, 9_000);
    assert!(board.states().iter().all(|s| s.status == Status::Pending));
    board.advance(&mut sim, 30_000);
    use Status::*;
    assert_eq!(
        statuses(&board),
        vec![
            ("flag-by", Passed, Some(10)),
            ("flag-at", Failed, Some(30)),
            ("running", Pending, None),
            ("never-restarted", Pending, None)
        ]
    );
    assert_eq!(board.counts(), Counts { passed: 1, failed: 1, pending: 2 });
    let failed = &board.states()[1];
    assert_eq!(
        failed.reason.as_deref(),
        Some("at 30s, 'flag' did not match; kubectl exec box -- ls /tmp printed \"\"")
    );
    assert_eq!(failed.hint.as_deref(), Some("It is removed at 20 seconds."));
    board.advance(&mut sim, 60_000);
    assert_eq!(board.counts(), Counts { passed: 3, failed: 1, pending: 0 });
    assert!(!board.all_passed());
    assert_eq!(board.next_check(), None);
}

#[test]
fn checks_leave_the_simulation_as_it_was() {
    let mut watched = Simulation::load(FILE).unwrap();
    let mut board = TaskBoard::for_simulation(&watched);
    board.advance(&mut watched, 60_000);
    let mut plain = Simulation::load(FILE).unwrap();
    plain.run_until(60_000);
    assert_eq!(watched.trace(), plain.trace());
    assert_eq!(watched.probe_log(), plain.probe_log());
    assert_eq!(watched.execute("kubectl get pods").text, plain.execute("kubectl get pods").text);
}

#[test]
fn a_rewind_takes_back_later_decisions() {
    let sim = Simulation::load(FILE).unwrap();
    let mut board = TaskBoard::for_simulation(&sim);
    let mut timeline = Timeline::new(sim);
    assert!(timeline::advance(&mut board, &mut timeline, 60_500));
    let decided = board.states().to_vec();
    assert_eq!(board.counts().pending, 0);
    assert!(timeline::seek(&mut board, &mut timeline, 20_000));
    use Status::*;
    assert_eq!(
        statuses(&board),
        vec![
            ("flag-by", Passed, Some(10)),
            ("flag-at", Pending, None),
            ("running", Pending, None),
            ("never-restarted", Pending, None)
        ]
    );
    // Playing again over the same inputs decides the same way at the same seconds.
    timeline::advance(&mut board, &mut timeline, 60_000);
    assert_eq!(board.states(), decided.as_slice());
}

#[test]
fn an_input_counts_from_the_next_second() {
    let sim = Simulation::load(FILE).unwrap();
    let mut board = TaskBoard::for_simulation(&sim);
    let mut timeline = Timeline::new(sim);
    timeline::advance(&mut board, &mut timeline, 25_500);
    // The learner puts the flag back before 30s: the task at 30s sees it.
    timeline.act(Input::Command("kubectl exec box -- touch /tmp/flag".to_string())).unwrap();
    timeline::advance(&mut board, &mut timeline, 30_000);
    assert_eq!(board.states()[1].status, Status::Passed);
}

#[test]
fn states_serialise_for_the_embed_protocol() {
    let mut sim = Simulation::load(FILE).unwrap();
    let mut board = TaskBoard::for_simulation(&sim);
    board.advance(&mut sim, 12_000);
    let json = serde_json::to_string(&board.states()[..2]).unwrap();
    assert_eq!(
        json,
        r#"[{"name":"flag-by","title":"The flag appears within 15 seconds","status":"passed","decidedAt":10,"output":"flag\n"},{"name":"flag-at","title":"The flag is there at 30 seconds","hint":"It is removed at 20 seconds.","status":"pending"}]"#
    );
}

#[test]
fn a_board_without_tasks_is_never_done() {
    let mut sim = Simulation::load(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: nginx}]\n",
    )
    .unwrap();
    let mut board = TaskBoard::for_simulation(&sim);
    assert_eq!(board.horizon(), 0);
    assert_eq!(board.next_check(), None);
    board.advance(&mut sim, 5_000);
    assert_eq!(board.counts(), Counts::default());
    assert!(!board.all_passed());
}

/// Every built-in scenario with tasks is an exercise: shipped broken, so that at least one of its
/// tasks fails, with a model answer beside the tests that passes them all.
#[test]
fn every_exercise_fails_as_shipped_and_its_answer_passes() {
    let run = |text: &str| {
        let mut sim = Simulation::load(text).expect("the scenario loads");
        let mut board = TaskBoard::for_simulation(&sim);
        let horizon = board.horizon();
        board.advance(&mut sim, horizon);
        board
    };
    let exercises: Vec<_> =
        crate::gallery::all().iter().filter(|e| e.slug.starts_with("exercise-")).collect();
    assert!(exercises.len() >= 5, "the gallery has {} exercises", exercises.len());
    for entry in crate::gallery::all() {
        let start = run(entry.yaml);
        let is_exercise = entry.slug.starts_with("exercise-");
        assert_eq!(!start.tasks().is_empty(), is_exercise, "{}: tasks only in exercises", entry.slug);
        if !is_exercise {
            continue;
        }
        assert!(start.counts().failed > 0, "{}: the exercise as shipped passes its tasks", entry.slug);
        let path =
            format!("{}/tests/transcripts/tasks/{}.answer.yaml", env!("CARGO_MANIFEST_DIR"), entry.slug);
        let answer = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let answered = run(&answer);
        assert_eq!(answered.tasks(), start.tasks(), "{}: the answer keeps the exercise's tasks", entry.slug);
        assert!(answered.all_passed(), "{}: the model answer fails {:?}", entry.slug, answered.states());
    }
}
