//! Rewind and replay: seeking anywhere shows exactly what playing through showed, inputs replay at
//! their instants, and acting after a rewind starts a new branch of time.

use super::{Input, Timeline, MAX_CHECKPOINTS};
use crate::duration::Millis;
use crate::sim::Simulation;

fn timeline(slug: &str) -> Timeline {
    let entry = crate::gallery::find(slug).unwrap_or_else(|| panic!("no built-in scenario {slug}"));
    let mut sim = Simulation::load(entry.yaml).unwrap_or_else(|e| panic!("{slug} loads: {e:?}"));
    sim.run_until(0);
    Timeline::new(sim)
}

/// What the tables show: `kubectl get pods` at the current instant.
fn shown(t: &Timeline) -> String {
    format!("{:?}", t.sim().pod_rows())
}

#[test]
fn seeking_back_and_forth_shows_what_playing_showed() {
    let mut t = timeline("liveness-exec");
    let mut seen = Vec::new();
    for second in (0..=120).step_by(7) {
        t.advance_to(second * 1000);
        seen.push((second * 1000, shown(&t)));
        // The page does this housekeeping between frames.
        while t.idle_work() {}
    }
    for (at, expected) in seen.iter().rev() {
        t.seek(*at);
        assert_eq!(t.now(), *at);
        assert_eq!(&shown(&t), expected, "at {at} ms");
    }
    assert_eq!(t.horizon(), 119_000, "seeking back keeps the horizon");
    assert!(t.has_future());
}

#[test]
fn recorded_inputs_replay_at_their_instants() {
    let mut t = timeline("liveness-exec");
    t.advance_to(12_000);
    let out = t.act(Input::Command("kubectl delete pod liveness-exec --wait=false".into()));
    let out = out.unwrap_or_else(|e| panic!("the command runs: {e:?}"));
    assert!(out.ok, "{}", out.text);
    t.advance_to(20_000);
    let after = shown(&t);
    assert_eq!(t.input_times(), vec![(12_000, "kubectl delete pod liveness-exec --wait=false".into())]);
    t.seek(5_000);
    assert!(t.has_future(), "the deletion lies ahead");
    t.seek(20_000);
    assert_eq!(shown(&t), after, "the deletion was replayed");
}

#[test]
fn acting_after_a_rewind_discards_the_recorded_future() {
    let mut t = timeline("liveness-exec");
    t.advance_to(10_000);
    let _ = t.act(Input::Command("kubectl get pods".into()));
    t.advance_to(50_000);
    t.seek(5_000);
    let _ = t.act(Input::Command("kubectl get nodes".into()));
    assert_eq!(t.input_times(), vec![(5_000, "kubectl get nodes".to_string())]);
    assert_eq!(t.horizon(), 5_000, "the old branch's horizon is gone");
    assert!(!t.has_future());
}

#[test]
fn an_invalid_file_is_neither_applied_nor_recorded() {
    let mut t = timeline("liveness-exec");
    let result = t.act(Input::Apply("kind: Pod\nmetadata: [".into()));
    assert!(result.is_err());
    assert!(t.input_times().is_empty());
}

#[test]
fn a_valid_file_is_applied_and_recorded_as_kubectl_apply() {
    let mut t = timeline("liveness-exec");
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: extra\nspec:\n  containers:\n  - name: c\n    image: busybox\n    args: [\"sleep\", \"3600\"]\n";
    let out = t.act(Input::Apply(pod.into())).unwrap_or_else(|e| panic!("applies: {e:?}"));
    assert!(out.ok && out.text.starts_with("pod/extra created\n"), "{}", out.text);
    assert_eq!(t.input_times(), vec![(0, "kubectl apply -f -".to_string())]);
}

#[test]
fn checkpoints_stay_bounded_on_a_long_run() {
    let mut t = timeline("liveness-exec");
    let hour: Millis = 3_600_000;
    t.advance_to(hour);
    while t.idle_work() {}
    assert!(t.checkpoints.len() <= MAX_CHECKPOINTS, "{} checkpoints", t.checkpoints.len());
    assert!(t.retired.is_empty(), "idle work frees what thinning let go");
    let at = hour / 3 + 1234;
    let fresh = {
        let mut other = timeline("liveness-exec");
        other.advance_to(at);
        shown(&other)
    };
    t.seek(at);
    assert_eq!(shown(&t), fresh, "a seek into the thinned past matches a straight run");
}

#[test]
fn a_short_advance_leaves_the_checkpoint_to_idle_work() {
    let mut t = timeline("liveness-exec");
    t.advance_to(10_000);
    assert!(!t.checkpoints.iter().any(|c| c.at == 10_000), "no copy is made on a frame's path");
    assert!(!t.idle_work(), "one piece of work was left");
    assert!(t.checkpoints.iter().any(|c| c.at == 10_000), "idle work took the due checkpoint");
}

#[test]
fn a_seek_in_slices_reaches_what_one_seek_reaches() {
    let mut whole = timeline("liveness-exec");
    whole.advance_to(90_000);
    while whole.idle_work() {}
    let mut sliced = whole.clone();
    whole.seek(42_500);
    sliced.rewind_for(42_500);
    assert!(sliced.now() <= 42_500, "the way back restores a checkpoint before the target");
    while sliced.now() < 42_500 {
        let next = (sliced.now() + 3_000).min(42_500);
        sliced.advance_to(next);
    }
    assert_eq!(shown(&sliced), shown(&whole));
    let before = sliced.now();
    sliced.rewind_for(80_000);
    assert_eq!(sliced.now(), before, "a later target leaves the simulation where it is");
}
