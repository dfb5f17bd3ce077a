//! The explanations of gallery scenarios at moments whose state the scenarios' own articles
//! describe (see each file under `static/scenarios/`).

use super::{explain_pod, Explanation};
use crate::duration::Millis;
use crate::sim::Simulation;

/// A gallery scenario run to `at`.
fn run(slug: &str, at: Millis) -> Simulation {
    let entry = crate::gallery::find(slug).unwrap_or_else(|| panic!("no built-in scenario {slug}"));
    let mut sim = Simulation::load(entry.yaml).unwrap_or_else(|e| panic!("{slug} loads: {e:?}"));
    sim.run_until(at);
    sim
}

fn only(explanations: Vec<Explanation>) -> Explanation {
    assert_eq!(explanations.len(), 1, "one container explained: {explanations:?}");
    explanations.into_iter().next().unwrap_or_else(|| unreachable!())
}

#[test]
fn a_missing_pod_has_no_explanation() {
    let sim = run("liveness-exec", 0);
    assert!(explain_pod(&sim, "default", "no-such-pod", None).is_empty());
}

#[test]
fn a_container_without_a_readiness_probe_is_ready_once_it_runs() {
    // liveness-exec: the container runs by 10s and has only a liveness probe.
    let sim = run("liveness-exec", 10_000);
    let e = only(explain_pod(&sim, "default", "liveness-exec", None));
    assert_eq!(e.container, "liveness");
    assert_eq!(e.tone, "ok");
    assert!(e.headline.starts_with("Ready"), "{e:?}");
    assert!(e.headline.contains("no readiness probe"), "{e:?}");
}

#[test]
fn a_liveness_restart_names_the_probe_and_its_threshold() {
    // liveness-exec: /tmp/healthy goes at 30s, three failures five seconds apart reach
    // failureThreshold (3, the default), the kubelet kills the container; at 80s it runs again
    // with one restart (the article's `1/1 Running 1 (5s ago)`).
    let sim = run("liveness-exec", 80_000);
    let e = only(explain_pod(&sim, "default", "liveness-exec", None));
    let story = e.details.first().unwrap_or_else(|| panic!("a restart story: {e:?}"));
    assert!(story.starts_with("Restarted 1 time."), "{story}");
    assert!(story.contains("liveness probe `cat /tmp/healthy` failed 3 times in a row"), "{story}");
    assert!(story.contains("failureThreshold is 3"), "{story}");
    assert!(story.contains("grace period 30s"), "{story}");
}

#[test]
fn crash_loop_back_off_says_when_the_next_restart_comes() {
    // crashloop-backoff: the container exits at once; after the second exit the kubelet waits
    // 20s (10s doubled), so somewhere in that wait the pod is in CrashLoopBackOff.
    let mut sim = run("crashloop-backoff", 0);
    let mut seen = None;
    for second in 1..=60 {
        sim.run_until(second * 1000);
        let e = only(explain_pod(&sim, "default", "crashloop", None));
        if e.headline.starts_with("Waiting in CrashLoopBackOff: next restart in ") {
            seen = Some(e);
            break;
        }
    }
    let e = seen.unwrap_or_else(|| panic!("CrashLoopBackOff within a minute"));
    assert_eq!(e.tone, "bad");
    assert!(e.details.iter().any(|d| d.contains("doubling up to 5m0s")), "{e:?}");
}

#[test]
fn only_the_asked_container_is_explained() {
    let sim = run("multi-container-liveness", 10_000);
    let all = explain_pod(&sim, "default", &first_pod(&sim), None);
    assert!(all.len() >= 2, "every container: {all:?}");
    let name = all[1].container.clone();
    let one = explain_pod(&sim, "default", &first_pod(&sim), Some(&name));
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].container, name);
}

#[test]
fn a_readiness_failure_names_the_service_it_left() {
    // The browser tests' scenario in small: httpd behind a Service, readiness on index.html.
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels:\n    app: web\nspec:\n  containers:\n  - name: httpd\n    image: httpd\n    readinessProbe:\n      exec:\n        command: [\"cat\", \"/usr/local/apache2/htdocs/index.html\"]\n      periodSeconds: 5\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web-svc\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n";
    let mut sim = Simulation::load(yaml).unwrap_or_else(|e| panic!("loads: {e:?}"));
    sim.run_until(20_000);
    let ready = only(explain_pod(&sim, "default", "web", None));
    assert_eq!(ready.tone, "ok", "{ready:?}");
    assert!(ready.details.iter().any(|d| d.contains("web-svc")), "{ready:?}");
    let out = sim.execute("kubectl exec web -- rm /usr/local/apache2/htdocs/index.html");
    assert!(out.ok, "{}", out.text);
    sim.run_until(60_000);
    let failing = only(explain_pod(&sim, "default", "web", None));
    assert_eq!(failing.tone, "bad", "{failing:?}");
    assert!(failing.headline.starts_with("Not ready since "), "{failing:?}");
    assert!(failing.headline.contains("failureThreshold is 3; removed from web-svc"), "{failing:?}");
}

fn first_pod(sim: &Simulation) -> String {
    sim.pod_rows().first().map(|r| r.name.clone()).unwrap_or_default()
}
