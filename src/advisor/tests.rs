//! Tests of the advisor: the table of predictions against the simulation (`tests/table.rs`), and
//! the advice, findings, failure verdicts and CLI on small scenarios. Expected numbers follow the
//! rules of `/work/shared/kubelet-semantics.md` and the images' behaviour in `docs/images.md`.

mod table;

use super::{advise, advise_new, failure_verdicts, render_text, Consequence, Effect, Finding, StartSource};
use crate::duration::SECOND;
use crate::engine::ProbeKind;
use crate::manifest::KubeVersion;
use crate::sim::Simulation;

const S: u64 = SECOND;

fn pod(fields: &str, container: &str) -> String {
    format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    app: p\nspec:\n{fields}  containers:\n{container}")
}

fn sim_at(text: &str, at: u64) -> Simulation {
    let mut sim = Simulation::load(text).expect("the scenario loads");
    sim.run_until(at);
    sim
}

const LIVENESS_EXEC: &str = "  - name: liveness\n    image: busybox:1.36\n    args: [/bin/sh, -c, \"touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600\"]\n    livenessProbe:\n      exec:\n        command: [cat, /tmp/healthy]\n      initialDelaySeconds: 5\n      periodSeconds: 5\n";

#[test]
fn the_docs_exec_liveness_budget() {
    let sim = sim_at(&pod("", LIVENESS_EXEC), 0);
    let advice = advise(&sim, "default", "p", None).expect("advice");
    let live = &advice.probes[0];
    assert_eq!(live.probe, ProbeKind::Liveness);
    // §13.1: the first run at 5 s; three failures 5 s apart; the 30 s grace runs out (sh ignores
    // SIGTERM); the first restart is immediate.
    assert_eq!(live.first_run_ms, Some(5 * S));
    assert_eq!((live.detection.best_ms, live.detection.worst_ms), (10 * S, 15 * S));
    assert_eq!((live.detection.hang_best_ms, live.detection.hang_worst_ms), (11 * S, 16 * S));
    match &live.consequence {
        Consequence::Kill { grace_ms, stop_ms, restarts, restart_wait_ms, .. } => {
            assert_eq!(*grace_ms, 30 * S);
            assert_eq!(*stop_ms, None);
            assert!(*restarts);
            assert_eq!(*restart_wait_ms, Some(0));
        }
        other => panic!("{other:?}"),
    }
    // The third run, at 15 s, is the last an app that never answers gets.
    assert_eq!(advice.start_budget.map(|b| b.longest_start_ms), Some(15 * S));
    assert!(advice.findings.is_empty(), "{:?}", advice.findings);
    let text = render_text(&advice);
    assert!(text.contains("first run: 5s after the container starts"), "{text}");
    assert!(text.contains("failing to kill: 10s to 15s after the app starts failing"), "{text}");
}

#[test]
fn the_current_back_off_comes_from_the_kubelet() {
    // §13.1: instance #6 starts at 375 with the back-off at 1m20s; killed now (380), it would exit
    // at 410, and the syncs at 411, 421, …, 491 meet the back-off until 491 (81 s ≥ 80 s).
    let sim = sim_at(&pod("", LIVENESS_EXEC), 380 * S);
    let advice = advise(&sim, "default", "p", None).expect("advice");
    assert!(advice.observed);
    assert_eq!(advice.started_at_ms, 375 * S);
    assert_eq!(advice.restarts.restart_count, 5);
    assert_eq!(advice.restarts.backoff_ms, Some(80 * S));
    let next = advice.restarts.if_killed_now.expect("a restart");
    assert_eq!((next.at, next.waited_backoff, next.backoff_after), (491 * S, Some(80 * S), Some(160 * S)));
}

#[test]
fn a_new_pod_spec_is_advised_without_running_it() {
    let text = pod("", LIVENESS_EXEC);
    let parsed = crate::manifest::parse(&text).expect("parses");
    let crate::manifest::Object::Pod(p) = &parsed.objects[0].0 else { panic!("a pod") };
    let advice = advise_new(p, Some("liveness"), KubeVersion::V1_34).expect("advice");
    assert!(!advice.observed);
    assert_eq!(advice.probes[0].first_run_ms, Some(5 * S));
}

#[test]
fn liveness_identical_to_readiness_and_timeout_not_below_period() {
    let c = "  - name: c\n    image: nginx:1.27\n    livenessProbe:\n      httpGet:\n        path: /\n        port: 80\n      periodSeconds: 5\n      timeoutSeconds: 5\n    readinessProbe:\n      httpGet:\n        path: /\n        port: 80\n";
    let advice = advise(&sim_at(&pod("", c), 0), "default", "p", None).expect("advice");
    assert!(advice.findings.contains(&Finding::LivenessSameAsReadiness), "{:?}", advice.findings);
    assert!(advice.findings.contains(&Finding::TimeoutNotBelowPeriod {
        probe: ProbeKind::Liveness,
        timeout_ms: 5 * S,
        period_ms: 5 * S
    }));
}

#[test]
fn liveness_on_a_dependency() {
    for (probe, target) in [
        (
            "exec:\n        command: [sh, -c, \"wget -q -O- http://db.prod.svc:5432/health\"]",
            Some("db.prod.svc"),
        ),
        ("exec:\n        command: [redis-cli, -h, cache, ping]", Some("cache")),
        (
            "httpGet:\n        host: auth.example.com\n        path: /\n        port: 443",
            Some("auth.example.com"),
        ),
        ("tcpSocket:\n        host: mysql\n        port: 3306", Some("mysql")),
        ("exec:\n        command: [wget, -q, -O-, http://localhost:80/]", None),
        ("exec:\n        command: [curl, -f, http://127.0.0.1/healthz]", None),
        ("exec:\n        command: [cat, /tmp/healthy]", None),
    ] {
        let c = format!("  - name: c\n    image: busybox:1.36\n    command: [sleep, \"3600\"]\n    livenessProbe:\n      {probe}\n");
        let advice = advise(&sim_at(&pod("", &c), 0), "default", "p", None).expect("advice");
        let found = advice.findings.iter().find_map(|f| match f {
            Finding::LivenessOnDependency { target } => Some(target.as_str()),
            _ => None,
        });
        assert_eq!(found, target, "{probe}");
    }
}

const JAVA: &str = "  - name: c\n    image: eclipse-temurin:17\n    command: [java, -jar, /app.jar]\n    livenessProbe:\n      tcpSocket:\n        port: 8080\n      periodSeconds: 2\n";

#[test]
fn a_slow_start_without_a_startup_probe_restarts_for_ever() {
    // The JVM app listens after 8 s (docs/images.md); liveness runs at 2, 4, 6 and kills at 6.
    let advice = advise(&sim_at(&pod("", JAVA), 0), "default", "p", None).expect("advice");
    let start = advice.app_start.expect("the image's start");
    assert_eq!((start.ms, start.source), (8 * S, StartSource::Image));
    assert_eq!(
        advice.start_budget.map(|b| (b.probe, b.longest_start_ms)),
        Some((ProbeKind::Liveness, 6 * S))
    );
    assert!(advice.findings.contains(&Finding::SlowStartWithoutStartupProbe {
        start_ms: 8 * S,
        source: StartSource::Image,
        first_liveness_ms: 2 * S
    }));
    assert!(advice.findings.contains(&Finding::RestartsBeforeStart {
        probe: ProbeKind::Liveness,
        start_ms: 8 * S,
        source: StartSource::Image,
        longest_start_ms: 6 * S
    }));
    // Once it has run, the simulation's record says the same: instances killed before answering.
    let later = advise(&sim_at(&pod("", JAVA), 120 * S), "default", "p", None).expect("advice");
    let killed = later.findings.iter().find_map(|f| match f {
        Finding::KilledBeforeAnswering { instances, longest_life_ms } => Some((*instances, *longest_life_ms)),
        _ => None,
    });
    // Each instance lived less than the 8 s the app needs.
    assert!(killed.is_some_and(|(n, life)| n >= 1 && life < 8 * S), "{:?}", later.findings);
}

#[test]
fn a_startup_probe_gives_the_slow_app_its_budget() {
    let c = "  - name: c\n    image: eclipse-temurin:17\n    command: [java, -jar, /app.jar]\n    startupProbe:\n      tcpSocket:\n        port: 8080\n      periodSeconds: 5\n      failureThreshold: 6\n    livenessProbe:\n      tcpSocket:\n        port: 8080\n      periodSeconds: 2\n";
    let advice = advise(&sim_at(&pod("", c), 0), "default", "p", None).expect("advice");
    // Startup runs at 5, 10, …, 30: an app answering by 30 s survives; this one answers at 8 s,
    // seen at 10. Liveness ticks at 10 too: its tick was queued at 8, after startup's (queued at
    // 5), so it runs second in the instant and already finds the container started.
    assert_eq!(
        advice.start_budget.map(|b| (b.probe, b.longest_start_ms)),
        Some((ProbeKind::Startup, 30 * S))
    );
    let liveness = advice.probes.iter().find(|p| p.probe == ProbeKind::Liveness).expect("liveness");
    assert_eq!(liveness.first_run_ms, Some(10 * S));
    assert!(advice.findings.is_empty(), "{:?}", advice.findings);
}

#[test]
fn readiness_leaves_the_services_endpoints() {
    let c = "  - name: c\n    image: nginx:1.27\n    readinessProbe:\n      httpGet:\n        path: /\n        port: 80\n      periodSeconds: 5\n      successThreshold: 2\n";
    let text = format!("{}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: p\n  ports:\n  - port: 80\n", pod("", c));
    let advice = advise(&sim_at(&text, 0), "default", "p", None).expect("advice");
    let r = &advice.probes[0];
    // The sync that reports the container (1 s) runs it at once.
    assert_eq!(r.first_run_ms, Some(S));
    match &r.consequence {
        Consequence::LeaveEndpoints { services, return_best_ms, return_worst_ms } => {
            assert_eq!(services, &["web".to_string()]);
            assert_eq!((*return_best_ms, *return_worst_ms), (5 * S, 10 * S));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn each_failure_says_whether_it_was_acted_on() {
    // §13.1: failures at 35 and 40 count, the one at 45 kills.
    let sim = sim_at(&pod("", LIVENESS_EXEC), 50 * S);
    let verdicts = failure_verdicts(&sim, "default", "p", None);
    let summary: Vec<_> = verdicts.iter().map(|v| (v.at / S, v.run, v.effect)).collect();
    assert_eq!(summary, [(35, 1, None), (40, 2, None), (45, 3, Some(Effect::Killed))]);
    assert_eq!(verdicts[2].probe, ProbeKind::Liveness);
    assert!(sim.probe_log()[verdicts[2].index].result == "failure");
    // A readiness failure that only repeats a cached failure changes nothing: the runs in the
    // instant the pod turns unready (the tick, then the sync's own run) and the ones after.
    let c = "  - name: c\n    image: nginx:1.27\n    readinessProbe:\n      httpGet:\n        path: /index.html\n        port: 80\n      periodSeconds: 5\n      failureThreshold: 2\n";
    let text = format!("{}---\napiVersion: playground/v1\nkind: Scenario\nmetadata:\n  name: t\nspec:\n  steps:\n  - at: 30s\n    run: kubectl exec p -- rm /usr/share/nginx/html/index.html\n", pod("", c));
    let sim = sim_at(&text, 45 * S);
    let summary: Vec<_> = failure_verdicts(&sim, "default", "p", Some("c"))
        .iter()
        .map(|v| (v.at / S, v.run, v.reached_threshold, v.effect))
        .collect();
    assert_eq!(
        summary,
        [
            (31, 1, false, None),
            (36, 2, true, Some(Effect::Unready)),
            (36, 3, true, None),
            (41, 4, true, None)
        ]
    );
}

#[test]
fn the_cli_advises_and_reports_bad_input() {
    let text = pod("", LIVENESS_EXEC);
    let read =
        |name: &str| if name == "pod.yaml" { Ok(text.clone()) } else { Err("No such file".to_string()) };
    let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let out = crate::cli::main(&args(&["advise", "pod.yaml", "--pod", "p"]), &read);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.starts_with("Probe budget for default/p container liveness (restartPolicy Always)\n"));
    let out = crate::cli::main(&args(&["advise", "pod.yaml", "--pod=p", "--at", "80s", "--json"]), &read);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(json["startedAtMs"], 75_000);
    assert_eq!(json["probes"][0]["consequence"]["kind"], "kill");
    let out = crate::cli::main(&args(&["advise", "pod.yaml"]), &read);
    assert_eq!((out.code, out.stderr.lines().next()), (2, Some("probe-playground: advise needs --pod")));
    let out = crate::cli::main(&args(&["advise", "pod.yaml", "--pod", "q"]), &read);
    assert_eq!(
        (out.code, out.stderr.as_str()),
        (1, "probe-playground: pod \"q\" not found in namespace \"default\" (pods: p)\n")
    );
    let out = crate::cli::main(&args(&["advise", "pod.yaml", "--pod", "p", "-c", "x"]), &read);
    assert_eq!(out.code, 1);
    assert!(out
        .stderr
        .contains("container \"x\" is not a probed container of pod \"p\" (containers: liveness)"));
}

#[test]
fn a_forecast_mid_instance_goes_on_from_the_workers_own_state() {
    // The readiness-thresholds lab: unready at 36, where the sync's run re-armed the ticker; from
    // 45 the walk goes on with the worker's count (four failures, the last at 41): a failure at
    // 46, then index.html is back at 50 and runs at 51, 56, 61 make the three successes.
    let c = "  - name: c\n    image: nginx:1.27\n    readinessProbe:\n      httpGet:\n        path: /index.html\n        port: 80\n      initialDelaySeconds: 5\n      periodSeconds: 5\n      successThreshold: 3\n      failureThreshold: 2\n";
    let text = format!("{}---\napiVersion: playground/v1\nkind: Scenario\nmetadata:\n  name: t\nspec:\n  steps:\n  - at: 30s\n    run: kubectl exec p -- rm /usr/share/nginx/html/index.html\n  - at: 50s\n    run: kubectl exec p -- sh -c \"echo back > /usr/share/nginx/html/index.html\"\n", pod("", c));
    let sim = sim_at(&text, 45 * S);
    let health = super::Health {
        ready_from: 0,
        fails_from: Some(30 * S + 1),
        recovers_from: Some(50 * S + 1),
        hangs: false,
    };
    let f = super::forecast(&sim, "default", "p", None, &health).expect("forecast");
    let runs: Vec<_> =
        f.runs(ProbeKind::Readiness).iter().take(4).map(|r| (r.at / S, r.run, r.decided)).collect();
    assert_eq!(runs, [(46, 5, None), (51, 1, None), (56, 2, None), (61, 3, Some(true))]);
}

#[test]
fn first_runs_that_happened_are_read_from_the_probe_log() {
    // At 45 s the readiness ticker was re-armed at 36; the instance's first run was still at 6.
    let c = "  - name: c\n    image: nginx:1.27\n    readinessProbe:\n      httpGet:\n        path: /index.html\n        port: 80\n      initialDelaySeconds: 5\n      periodSeconds: 5\n      successThreshold: 3\n      failureThreshold: 2\n";
    let text = format!("{}---\napiVersion: playground/v1\nkind: Scenario\nmetadata:\n  name: t\nspec:\n  steps:\n  - at: 30s\n    run: kubectl exec p -- rm /usr/share/nginx/html/index.html\n", pod("", c));
    let advice = advise(&sim_at(&text, 45 * S), "default", "p", None).expect("advice");
    assert_eq!(advice.probes[0].first_run_ms, Some(6 * S));
}
