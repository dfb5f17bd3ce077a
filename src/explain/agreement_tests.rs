//! The panels agree with the API view: the READY lane and the Why? panel say what `kubectl get
//! pods` says at the same second, kills are spans from the decision to the exit, probe marks count
//! against their thresholds, and counts belong to one container instance.

use super::explain_pod;
use super::format::count;
use super::lanes::{kill_spans, probe_mark_tooltip, ready_spans, KillSpan};
use crate::duration::Millis;
use crate::sim::Simulation;

fn run(yaml: &str, at: Millis) -> Simulation {
    let mut sim = Simulation::load(yaml).unwrap_or_else(|e| panic!("loads: {e:?}"));
    sim.run_until(at);
    sim
}

fn liveness_exec() -> &'static str {
    crate::gallery::find("liveness-exec").map(|e| e.yaml).unwrap_or_default()
}

/// liveness-exec: the kubelet decides to kill at 45 s, but the shell ignores SIGTERM, so the
/// container runs (and, without a readiness probe, is ready) until SIGKILL at 75 s, and the new
/// instance is reported at once: `kubectl get pods` shows `1/1` throughout. The READY lane must
/// say the same at every second, not end at the kill decision.
#[test]
fn the_ready_lane_agrees_with_the_api_every_second() {
    let mut sim = run(liveness_exec(), 0);
    let mut shown = Vec::new();
    for second in 0..=90 {
        sim.run_until(second * 1000);
        let ready = sim.snapshot().pods[0].containers[0].ready;
        shown.push((second * 1000, ready));
    }
    let spans = ready_spans(&sim, "default", "liveness-exec", "liveness");
    for (at, ready) in shown {
        let in_span = spans.iter().any(|(from, to)| *from <= at && (at < *to || *to == sim.now()));
        assert_eq!(in_span, ready, "at {at} ms the API says ready={ready}; spans {spans:?}");
    }
    assert!(spans.iter().any(|(from, to)| *from <= 74_000 && *to > 74_000), "{spans:?}");
}

/// The kill is a span: the decision at 45 s, SIGTERM at once (no preStop hook), SIGKILL due and
/// sent at 75 s when the 30 s grace period ran out, exit code 137 (128 + 9).
#[test]
fn a_kill_is_a_span_from_the_decision_to_the_exit() {
    let sim = run(liveness_exec(), 80_000);
    let spans = kill_spans(&sim, "default", "liveness-exec", "liveness");
    assert_eq!(
        spans,
        vec![KillSpan {
            decided_at: 45_000,
            reason: "Container liveness failed liveness probe, will be restarted".to_string(),
            grace_seconds: 30,
            stop_signal: Some((45_000, "SIGTERM")),
            sigkill_due: Some(75_000),
            sigkill_at: Some(75_000),
            exited: Some((75_000, 137)),
        }]
    );
    // While it waits, the span is open.
    let sim = run(liveness_exec(), 60_000);
    let spans = kill_spans(&sim, "default", "liveness-exec", "liveness");
    assert_eq!(spans.len(), 1);
    assert_eq!((spans[0].sigkill_at, spans[0].exited), (None, None));
}

/// Between the decision and the exit the Why? panel tells of the kill in progress, and at 75 s it
/// does not describe the replacement (started at 1:15) while the API still shows the old
/// instance with RESTARTS 0.
#[test]
fn the_why_panel_describes_the_instance_the_api_shows() {
    let sim = run(liveness_exec(), 60_000);
    let e = explain_pod(&sim, "default", "liveness-exec", None).remove(0);
    assert_eq!(e.tone, "bad");
    assert_eq!(
        e.headline,
        "Being stopped since 0:45: liveness probe `cat /tmp/healthy` failed 3 times in a row, failureThreshold is 3; it has a 30s grace period after the stop signal: SIGKILL at 1:15 at the latest (15s left)."
    );
    let sim = run(liveness_exec(), 75_000);
    assert_eq!(sim.snapshot().pods[0].restarts, 0);
    let e = explain_pod(&sim, "default", "liveness-exec", None).remove(0);
    assert!(!e.headline.contains("Ready since 1:15"), "{e:?}");
    assert!(e.headline.starts_with("Being stopped since 0:45"), "{e:?}");
    // Once the API shows the new instance, it is ready since it started.
    let sim = run(liveness_exec(), 80_000);
    let e = explain_pod(&sim, "default", "liveness-exec", None).remove(0);
    assert!(e.headline.starts_with("Ready since 1:15"), "{e:?}");
}

/// Probe marks past their threshold say how many in a row, not "6/1".
#[test]
fn probe_tooltips_count_against_their_threshold() {
    let sim = run(liveness_exec(), 50_000);
    let tips: Vec<String> =
        sim.probe_log().iter().map(|r| probe_mark_tooltip(r, "cat /tmp/healthy")).collect();
    assert_eq!(tips[0], "0:05 liveness cat /tmp/healthy: success 1 of 1: successThreshold reached");
    assert_eq!(
        tips[1],
        "0:10 liveness cat /tmp/healthy: success, 2 in a row (successThreshold 1 already reached)"
    );
    assert_eq!(
        tips[6],
        "0:35 liveness cat /tmp/healthy: failure 1 of 3 in a row (failureThreshold 3)\ncat: can't open '/tmp/healthy': No such file or directory"
    );
    assert!(tips[8].starts_with("0:45 liveness cat /tmp/healthy: failure 3 of 3: failureThreshold reached"));
    assert!(tips.iter().all(|t| !t.contains("/1)")), "{tips:?}");
}

/// A server that needs 20 s to start, behind a liveness probe that gives up after 10 s: every
/// instance is killed while starting, and never answers.
const SLOW_START: &str = "apiVersion: v1
kind: Pod
metadata:
  name: slow
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: app
    image: busybox
    command: [\"sh\", \"-c\", \"sleep 20; touch /tmp/started; sleep 3600\"]
    livenessProbe:
      exec:
        command: [\"cat\", \"/tmp/started\"]
      periodSeconds: 5
      failureThreshold: 2
";

/// Failures are counted in the killed instance only (2, its failureThreshold, not the 6 of three
/// instances), and the advice is a startup probe that outlasts what the trace shows.
#[test]
fn restart_stories_count_per_instance_and_suggest_a_startup_probe() {
    let mut sim = run(SLOW_START, 0);
    let mut story = None;
    for second in 1..=200 {
        sim.run_until(second * 1000);
        if sim.snapshot().pods[0].restarts >= 3 {
            story = Some(explain_pod(&sim, "default", "slow", None).remove(0));
            break;
        }
    }
    let e = story.unwrap_or_else(|| panic!("three restarts within 200 s"));
    let text = e.details.join("\n");
    assert!(text.starts_with("Restarted 3 times. Last at "), "{text}");
    assert!(text.contains("liveness probe `cat /tmp/started` failed 2 times in a row ("), "{text}");
    assert!(
        text.contains(
            "The liveness probe killed the container before it had answered once: it was probably still starting (the liveness probe gave it 10s and it had not answered, so starting takes longer than that). A startupProbe with the liveness probe's check holds liveness back until it succeeds; periodSeconds: 5 with failureThreshold: 4 allows 20 seconds (the least that could be enough; allow for the real start-up time)."
        ),
        "{text}"
    );
}

/// When an instance did get through, its start-up time sizes the advice: here the first
/// instance answers its first probe at 15 s (initialDelaySeconds); the next ones never start.
#[test]
fn the_startup_probe_advice_uses_an_observed_start_up_time() {
    let yaml = "apiVersion: v1
kind: Pod
metadata:
  name: flaky
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: app
    image: busybox
    command: [\"sh\", \"-c\", \"if [ -f /data/once ]; then sleep 3600; fi; touch /data/once; sleep 12; touch /tmp/started; sleep 3600\"]
    livenessProbe:
      exec:
        command: [\"cat\", \"/tmp/started\"]
      initialDelaySeconds: 15
      periodSeconds: 5
      failureThreshold: 1
    volumeMounts:
    - name: data
      mountPath: /data
  volumes:
  - name: data
    emptyDir: {}
";
    let mut sim = run(yaml, 0);
    sim.run_until(15_500);
    // The first instance answered at 15 s; make the next one never start, and kill this one.
    let out = sim.execute("kubectl exec flaky -- rm /tmp/started");
    assert!(out.ok, "{out:?}");
    sim.run_until(60_000);
    let e = explain_pod(&sim, "default", "flaky", None).remove(0);
    let text = e.details.join("\n");
    assert!(text.starts_with("Restarted "), "{text}");
    // The second instance never answered; the first did, 15 s after it started (its first probe,
    // after initialDelaySeconds), which sizes the advice.
    assert!(
        text.contains("(an instance that got through first answered 15s after it started). A startupProbe with the liveness probe's check holds liveness back until it succeeds; periodSeconds: 5 with failureThreshold: 4 allows 20 seconds."),
        "{text}"
    );
}

#[test]
fn counts_are_singular_for_one() {
    assert_eq!(count(1, "restart"), "1 restart");
    assert_eq!(count(2, "restart"), "2 restarts");
    assert_eq!(count(0, "warning"), "0 warnings");
    assert_eq!(count(1, "warning"), "1 warning");
}
