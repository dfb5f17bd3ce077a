//! The advisor's predictions against what the simulation then does, for a table of probe
//! configurations. Each row's expected instants are worked out by hand from the rules of
//! `/work/shared/kubelet-semantics.md` (the worked timelines where a row is one of them) and the
//! image behaviour `docs/images.md` describes; the test checks that the advisor's forecast and the
//! simulation both give exactly those instants.
//!
//! Every row's pod is applied at 0: its first sync creates the probe workers (tickers at multiples
//! of the period from 0) and starts the container, which the workers see after the PLEG relist at
//! 1 s. A probe in the same instant as the container's own change sees the state before it, so an
//! app whose script (or a scenario step) breaks it at T fails the probes from T + 1 ms on.

use crate::advisor::{forecast, Health};
use crate::duration::{Millis, SECOND};
use crate::engine::ProbeKind;
use crate::sim::{Simulation, Trace};

const S: Millis = SECOND;

/// What a row expects, and what the forecast and the simulation are read into.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Instants {
    startup_first: Option<Millis>,
    liveness_first: Option<Millis>,
    readiness_first: Option<Millis>,
    startup_succeeded: Option<Millis>,
    ready: Option<Millis>,
    kill: Option<Millis>,
    exit: Option<Millis>,
    restart: Option<Millis>,
    /// Endpoint removal by the readiness probe, and the pod's return to the endpoints.
    unready: Option<Millis>,
    ready_again: Option<Millis>,
}

struct Row {
    name: &'static str,
    /// The pod's container (indented for `containers:`) and pod-level fields.
    pod_fields: &'static str,
    container: &'static str,
    /// Extra documents (a Scenario with steps).
    extra: &'static str,
    /// When the forecast is taken (the instance that runs then is the one predicted).
    at: Millis,
    health: Health,
    expect: Instants,
}

fn yaml(row: &Row) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    app: p\nspec:\n{}  containers:\n{}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc\nspec:\n  selector:\n    app: p\n  ports:\n  - port: 80\n{}",
        row.pod_fields, row.container, row.extra
    )
}

fn fails(ready_from: Millis, fails_from: Millis) -> Health {
    Health { ready_from, fails_from: Some(fails_from), recovers_from: None, hangs: false }
}

fn rows() -> Vec<Row> {
    vec![
        // kubelet-semantics.md §13.1, instance #1: probes at 5, 10, …; the rm at 30 is first seen
        // at 35; the third failure at 45 kills; sh ignores SIGTERM so SIGKILL comes at 75; the
        // first restart is immediate.
        Row {
            name: "exec liveness (docs liveness-exec)",
            pod_fields: "",
            container: "  - name: c\n    image: busybox:1.36\n    args: [/bin/sh, -c, \"touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600\"]\n    livenessProbe:\n      exec:\n        command: [cat, /tmp/healthy]\n      initialDelaySeconds: 5\n      periodSeconds: 5\n",
            extra: "",
            at: 0,
            health: fails(0, 30 * S + 1),
            expect: Instants {
                liveness_first: Some(5 * S),
                kill: Some(45 * S),
                exit: Some(75 * S),
                restart: Some(75 * S),
                ..Default::default()
            },
        },
        // §13.2, instance #1: the server fails after 10 s; runs at 3, 6, 9 pass, 12, 15, 18 fail;
        // the Go server exits at once on SIGTERM.
        Row {
            name: "http liveness (docs liveness-http)",
            pod_fields: "",
            container: "  - name: c\n    image: registry.k8s.io/liveness\n    args: [/server]\n    livenessProbe:\n      httpGet:\n        path: /healthz\n        port: 8080\n      initialDelaySeconds: 3\n      periodSeconds: 3\n",
            extra: "",
            at: 0,
            health: fails(0, 10 * S + 1),
            expect: Instants {
                liveness_first: Some(3 * S),
                kill: Some(18 * S),
                exit: Some(18 * S),
                restart: Some(18 * S),
                ..Default::default()
            },
        },
        // §13.2, instance #4 (started at 54, back-off entry 20 s): first run 57, kill 72; the
        // check against #3's exit at 54 refuses (18 < 20), the syncs at 73 and 83 too, 93 starts.
        // From the sync at 73 the container waits in CrashLoopBackOff: the pod leaves the
        // endpoints then.
        Row {
            name: "http liveness, fourth instance in back-off (1.34)",
            pod_fields: "",
            container: "  - name: c\n    image: registry.k8s.io/liveness\n    args: [/server]\n    livenessProbe:\n      httpGet:\n        path: /healthz\n        port: 8080\n      initialDelaySeconds: 3\n      periodSeconds: 3\n",
            extra: "",
            at: 55 * S,
            health: fails(54 * S, 64 * S + 1),
            expect: Instants {
                liveness_first: Some(57 * S),
                kill: Some(72 * S),
                exit: Some(72 * S),
                restart: Some(93 * S),
                unready: Some(73 * S),
                ..Default::default()
            },
        },
        // The same in 1.35 (§14): the requeue lands exactly when the back-off ends, 72 + 20.
        Row {
            name: "http liveness, fourth instance in back-off (1.35)",
            pod_fields: "",
            container: "  - name: c\n    image: registry.k8s.io/liveness\n    args: [/server]\n    livenessProbe:\n      httpGet:\n        path: /healthz\n        port: 8080\n      initialDelaySeconds: 3\n      periodSeconds: 3\n",
            extra: "---\napiVersion: playground/v1\nkind: Scenario\nmetadata:\n  name: t\nspec:\n  kubernetesVersion: \"1.35\"\n",
            at: 55 * S,
            health: fails(54 * S, 64 * S + 1),
            expect: Instants {
                liveness_first: Some(57 * S),
                kill: Some(72 * S),
                exit: Some(72 * S),
                restart: Some(92 * S),
                unready: Some(73 * S),
                ..Default::default()
            },
        },
        // TCP: Redis in the background is shut down at 20; runs every 4 s, failures at 24 and
        // 28 (failureThreshold 2) kill; the pod's 5 s grace runs out (sh is PID 1).
        Row {
            name: "tcp liveness, pod grace 5s",
            pod_fields: "  terminationGracePeriodSeconds: 5\n",
            container: "  - name: c\n    image: redis:7\n    command: [sh, -c, \"redis-server & sleep 20; redis-cli shutdown; sleep 600\"]\n    livenessProbe:\n      tcpSocket:\n        port: 6379\n      periodSeconds: 4\n      failureThreshold: 2\n",
            extra: "",
            at: 0,
            health: fails(0, 20 * S + 1),
            expect: Instants {
                liveness_first: Some(4 * S),
                kill: Some(28 * S),
                exit: Some(33 * S),
                restart: Some(33 * S),
                ..Default::default()
            },
        },
        // Startup gating (§3.4 step 9): the marker appears at 20, the startup run at 21 sees it;
        // readiness runs in the sync that follows (21); liveness (period 10) next ticks at 30.
        // The marker goes at 60: readiness (re-armed at 21) fails at 61, 71, 81 and leaves the
        // endpoints at 81; liveness fails at 70, 80, 90 and kills; the pod's 10 s grace runs out.
        Row {
            name: "startup exec gates liveness and readiness",
            pod_fields: "  terminationGracePeriodSeconds: 10\n",
            container: "  - name: c\n    image: busybox:1.36\n    command: [sh, -c, \"sleep 20; touch /tmp/started; sleep 40; rm /tmp/started; sleep 3600\"]\n    startupProbe:\n      exec:\n        command: [cat, /tmp/started]\n      periodSeconds: 3\n      failureThreshold: 30\n    readinessProbe:\n      exec:\n        command: [cat, /tmp/started]\n      periodSeconds: 10\n    livenessProbe:\n      exec:\n        command: [cat, /tmp/started]\n      periodSeconds: 10\n",
            extra: "",
            at: 0,
            health: fails(20 * S + 1, 60 * S + 1),
            expect: Instants {
                startup_first: Some(3 * S),
                liveness_first: Some(30 * S),
                readiness_first: Some(21 * S),
                startup_succeeded: Some(21 * S),
                ready: Some(21 * S),
                kill: Some(90 * S),
                exit: Some(100 * S),
                restart: Some(100 * S),
                unready: Some(81 * S),
                ..Default::default()
            },
        },
        // A startup probe that never passes (nginx answers /ready with 404): failures at 3, 6, 9,
        // 12 kill; grace 1 s is raised to the 2 s minimum, and nginx leaves on SIGQUIT after 20 ms.
        Row {
            name: "startup http never passes, grace below the minimum",
            pod_fields: "  terminationGracePeriodSeconds: 1\n",
            container: "  - name: c\n    image: nginx:1.27\n    startupProbe:\n      httpGet:\n        path: /ready\n        port: 80\n      periodSeconds: 3\n      failureThreshold: 4\n",
            extra: "",
            at: 0,
            health: Health::healthy_from(Millis::MAX),
            expect: Instants {
                startup_first: Some(3 * S),
                kill: Some(12 * S),
                exit: Some(12 * S + 20),
                restart: Some(12 * S + 20),
                ..Default::default()
            },
        },
        // §13.4 and the readiness-thresholds transcript: the sync at 1 is before the 5 s delay
        // and re-arms the ticker, so runs at 6, 11, 16 make three successes; index.html goes at
        // 30, failures at 31 and 36 take the pod out; restored at 50, the runs re-armed by the
        // sync at 36 pass at 51, 56, 61.
        Row {
            name: "readiness thresholds, leave and rejoin the endpoints",
            pod_fields: "",
            container: "  - name: c\n    image: nginx:1.27\n    readinessProbe:\n      httpGet:\n        path: /index.html\n        port: 80\n      initialDelaySeconds: 5\n      periodSeconds: 5\n      successThreshold: 3\n      failureThreshold: 2\n",
            extra: "---\napiVersion: playground/v1\nkind: Scenario\nmetadata:\n  name: t\nspec:\n  steps:\n  - at: 30s\n    run: kubectl exec p -- rm /usr/share/nginx/html/index.html\n  - at: 50s\n    run: kubectl exec p -- sh -c \"echo back > /usr/share/nginx/html/index.html\"\n",
            at: 0,
            health: Health {
                ready_from: 0,
                fails_from: Some(30 * S + 1),
                recovers_from: Some(50 * S + 1),
                hangs: false,
            },
            expect: Instants {
                readiness_first: Some(6 * S),
                ready: Some(16 * S),
                unready: Some(36 * S),
                ready_again: Some(61 * S),
                ..Default::default()
            },
        },
        // The probe's own terminationGracePeriodSeconds (5) wins over the pod's (60) for a
        // liveness kill (§6); runs at 10, 20, …; the rm at 25 fails 30, 40, 50.
        Row {
            name: "probe-level grace period",
            pod_fields: "  terminationGracePeriodSeconds: 60\n",
            container: "  - name: c\n    image: busybox:1.36\n    command: [sh, -c, \"touch /tmp/healthy; sleep 25; rm -f /tmp/healthy; sleep 600\"]\n    livenessProbe:\n      exec:\n        command: [cat, /tmp/healthy]\n      terminationGracePeriodSeconds: 5\n",
            extra: "",
            at: 0,
            health: fails(0, 25 * S + 1),
            expect: Instants {
                liveness_first: Some(10 * S),
                kill: Some(50 * S),
                exit: Some(55 * S),
                restart: Some(55 * S),
                ..Default::default()
            },
        },
        // Initial delay 12 with period 7: the tick at 7 is too early, 14 is the first run; the rm
        // at 40 fails 42 and 49 (failureThreshold 2); the pod's 2 s grace runs out.
        Row {
            name: "initial delay between ticks",
            pod_fields: "  terminationGracePeriodSeconds: 2\n",
            container: "  - name: c\n    image: busybox:1.36\n    command: [sh, -c, \"touch /tmp/healthy; sleep 40; rm -f /tmp/healthy; sleep 600\"]\n    livenessProbe:\n      exec:\n        command: [cat, /tmp/healthy]\n      initialDelaySeconds: 12\n      periodSeconds: 7\n      timeoutSeconds: 3\n      failureThreshold: 2\n",
            extra: "",
            at: 0,
            health: fails(0, 40 * S + 1),
            expect: Instants {
                liveness_first: Some(14 * S),
                kill: Some(49 * S),
                exit: Some(51 * S),
                restart: Some(51 * S),
                ..Default::default()
            },
        },
        // Period 2, delay 3: the tick at 2 is too early, 4 is first; failureThreshold 1 kills at
        // the first failure, 10, after the rm at 9.
        Row {
            name: "failureThreshold 1",
            pod_fields: "  terminationGracePeriodSeconds: 3\n",
            container: "  - name: c\n    image: busybox:1.36\n    command: [sh, -c, \"touch /tmp/healthy; sleep 9; rm -f /tmp/healthy; sleep 600\"]\n    livenessProbe:\n      exec:\n        command: [cat, /tmp/healthy]\n      initialDelaySeconds: 3\n      periodSeconds: 2\n      failureThreshold: 1\n",
            extra: "",
            at: 0,
            health: fails(0, 9 * S + 1),
            expect: Instants {
                liveness_first: Some(4 * S),
                kill: Some(10 * S),
                exit: Some(13 * S),
                restart: Some(13 * S),
                ..Default::default()
            },
        },
        // restartPolicy Never (§5.3): the liveness kill at 15 is not followed by a restart; the
        // sync that stopped the only container makes the pod terminal at the exit, 19.
        Row {
            name: "restartPolicy Never",
            pod_fields: "  restartPolicy: Never\n  terminationGracePeriodSeconds: 4\n",
            container: "  - name: c\n    image: busybox:1.36\n    command: [sh, -c, \"touch /tmp/healthy; sleep 12; rm -f /tmp/healthy; sleep 600\"]\n    livenessProbe:\n      exec:\n        command: [cat, /tmp/healthy]\n      periodSeconds: 5\n      failureThreshold: 1\n",
            extra: "",
            at: 0,
            health: fails(0, 12 * S + 1),
            expect: Instants {
                liveness_first: Some(5 * S),
                kill: Some(15 * S),
                exit: Some(19 * S),
                unready: Some(19 * S),
                ..Default::default()
            },
        },
        // Liveness and readiness on the same URL: readiness runs in the sync at 1 and is ready,
        // then every 5 s from there; index.html goes at 40, readiness fails at 41 and leaves the
        // endpoints (failureThreshold 1); liveness (10 s) fails at 50, 60, 70 and kills; nginx
        // quits 20 ms after SIGQUIT.
        Row {
            name: "liveness identical to readiness",
            pod_fields: "",
            container: "  - name: c\n    image: nginx:1.27\n    livenessProbe:\n      httpGet:\n        path: /index.html\n        port: 80\n    readinessProbe:\n      httpGet:\n        path: /index.html\n        port: 80\n      periodSeconds: 5\n      failureThreshold: 1\n",
            extra: "---\napiVersion: playground/v1\nkind: Scenario\nmetadata:\n  name: t\nspec:\n  steps:\n  - at: 40s\n    run: kubectl exec p -- rm /usr/share/nginx/html/index.html\n",
            at: 0,
            health: fails(0, 40 * S + 1),
            expect: Instants {
                liveness_first: Some(10 * S),
                readiness_first: Some(S),
                ready: Some(S),
                kill: Some(70 * S),
                exit: Some(70 * S + 20),
                restart: Some(70 * S + 20),
                unready: Some(41 * S),
                ..Default::default()
            },
        },
        // A JVM app listening after its 8 s start-up: the startup probe (delay 2, period 3) fails
        // at 3 and 6 and passes at 9; readiness runs in that sync; liveness (period 9, shorter than
        // nothing: its tick at 9 comes first in the instant and still sees the app not started)
        // first runs at 18.
        Row {
            name: "startup tcp on a slow JVM app",
            pod_fields: "",
            container: "  - name: c\n    image: eclipse-temurin:17\n    command: [java, -jar, /app.jar]\n    ports:\n    - containerPort: 8080\n    startupProbe:\n      tcpSocket:\n        port: 8080\n      initialDelaySeconds: 2\n      periodSeconds: 3\n      failureThreshold: 5\n    livenessProbe:\n      tcpSocket:\n        port: 8080\n      periodSeconds: 9\n    readinessProbe:\n      httpGet:\n        path: /actuator/health\n        port: 8080\n",
            extra: "",
            at: 0,
            health: Health::healthy_from(8 * S),
            expect: Instants {
                startup_first: Some(3 * S),
                liveness_first: Some(18 * S),
                readiness_first: Some(9 * S),
                startup_succeeded: Some(9 * S),
                ready: Some(9 * S),
                ..Default::default()
            },
        },
        // The same app with the startup probe's period longer than liveness's: startup (5 s)
        // passes at 10; liveness's tick at 10 was queued at 8, after startup's (queued at 5), so
        // it runs second in that instant and already finds the container started.
        Row {
            name: "startup period longer than liveness period",
            pod_fields: "",
            container: "  - name: c\n    image: eclipse-temurin:17\n    command: [java, -jar, /app.jar]\n    startupProbe:\n      tcpSocket:\n        port: 8080\n      periodSeconds: 5\n      failureThreshold: 6\n    livenessProbe:\n      tcpSocket:\n        port: 8080\n      periodSeconds: 2\n",
            extra: "",
            at: 0,
            health: Health::healthy_from(8 * S),
            expect: Instants {
                startup_first: Some(5 * S),
                liveness_first: Some(10 * S),
                startup_succeeded: Some(10 * S),
                ..Default::default()
            },
        },
        // Both probes on a port nothing serves: readiness runs in the sync at 1 and never passes;
        // liveness (delay 15, period 20) fails at 20, 40, 60 and kills; goproxy exits at once.
        Row {
            name: "tcp probes on a closed port",
            pod_fields: "",
            container: "  - name: c\n    image: registry.k8s.io/goproxy:0.1\n    readinessProbe:\n      tcpSocket:\n        port: 8081\n    livenessProbe:\n      tcpSocket:\n        port: 8081\n      initialDelaySeconds: 15\n      periodSeconds: 20\n",
            extra: "",
            at: 0,
            health: Health::healthy_from(Millis::MAX),
            expect: Instants {
                liveness_first: Some(20 * S),
                readiness_first: Some(S),
                kill: Some(60 * S),
                exit: Some(60 * S),
                restart: Some(60 * S),
                ..Default::default()
            },
        },
        // A hanging check: once the file is gone the probe's command sleeps past its 2 s timeout,
        // so the runs at 25 and 30 fail at 27 and 32 (§4: a timeout is a failure); the kill comes
        // when the second one times out.
        Row {
            name: "exec liveness that times out",
            pod_fields: "  terminationGracePeriodSeconds: 2\n",
            container: "  - name: c\n    image: busybox:1.36\n    command: [sh, -c, \"touch /tmp/ok; sleep 20; rm -f /tmp/ok; sleep 600\"]\n    livenessProbe:\n      exec:\n        command: [sh, -c, \"test -f /tmp/ok || sleep 10\"]\n      periodSeconds: 5\n      timeoutSeconds: 2\n      failureThreshold: 2\n",
            extra: "",
            at: 0,
            health: Health { ready_from: 0, fails_from: Some(20 * S + 1), recovers_from: None, hangs: true },
            expect: Instants {
                liveness_first: Some(5 * S),
                kill: Some(32 * S),
                exit: Some(34 * S),
                restart: Some(34 * S),
                ..Default::default()
            },
        },
    ]
}

/// The advisor's forecast for the row, read into the row's instants.
fn predicted(sim: &Simulation, row: &Row) -> Instants {
    let f = forecast(sim, "default", "p", None, &row.health).unwrap_or_else(|e| panic!("{}: {e}", row.name));
    let kill = f.kill;
    Instants {
        startup_first: f.first_run(ProbeKind::Startup),
        liveness_first: f.first_run(ProbeKind::Liveness),
        readiness_first: f.first_run(ProbeKind::Readiness),
        startup_succeeded: f.startup_succeeded_at,
        ready: f.ready_at,
        kill: kill.map(|k| k.at),
        exit: kill.and_then(|k| k.exit_at),
        restart: kill.and_then(|k| k.restart).map(|r| r.at),
        unready: f.unready_at,
        ready_again: f.ready_again_at,
    }
}

/// Whether the pod's address is among the Service's ready endpoints.
fn in_endpoints(sim: &Simulation) -> bool {
    let Some(ip) = sim.api().pods.values().next().and_then(|p| p.status.as_ref()?.pod_ip.clone()) else {
        return false;
    };
    sim.endpoints().iter().any(|e| e.addresses.iter().any(|a| a.split(':').next() == Some(ip.as_str())))
}

/// What the simulation did with the instance running at `row.at`, read from its trace, probe log
/// and endpoints (sampled at every instant something happened).
fn observed(mut sim: Simulation, until: Millis) -> Instants {
    let start = sim
        .trace()
        .iter()
        .filter_map(|t| match t {
            Trace::Started { at, .. } => Some(*at),
            _ => None,
        })
        .next_back()
        .expect("an instance runs");
    let mut got = Instants::default();
    let mut was_in = in_endpoints(&sim);
    let mut joined_once = was_in;
    while sim.now() < until {
        let next = sim.next_event_time().filter(|t| *t > sim.now()).unwrap_or(until).min(until);
        sim.run_until(next);
        let restarted = sim.trace().iter().any(|t| matches!(t, Trace::Started { at, .. } if *at > start));
        if restarted {
            // The next instance is another forecast's business.
            break;
        }
        let now_in = in_endpoints(&sim);
        if was_in && !now_in && joined_once && got.unready.is_none() {
            got.unready = Some(sim.now());
        } else if !was_in && now_in && got.unready.is_some() && got.ready_again.is_none() {
            got.ready_again = Some(sim.now());
        }
        joined_once |= now_in;
        was_in = now_in;
    }
    sim.run_until(until);
    let first =
        |kind: ProbeKind| sim.probe_log().iter().find(|r| r.probe == kind && r.at > start).map(|r| r.at);
    got.startup_first = first(ProbeKind::Startup);
    got.liveness_first = first(ProbeKind::Liveness);
    got.readiness_first = first(ProbeKind::Readiness);
    for t in sim.trace() {
        match t {
            Trace::ProbeResult { at, probe, result, .. } if *at > start => {
                if *probe == ProbeKind::Startup && result == "success" && got.startup_succeeded.is_none() {
                    got.startup_succeeded = Some(*at);
                }
                if *probe == ProbeKind::Readiness && result == "success" && got.ready.is_none() {
                    got.ready = Some(*at);
                }
            }
            Trace::Killing { at, .. } if *at > start && got.kill.is_none() => got.kill = Some(*at),
            Trace::Exited { at, .. } if got.kill.is_some() && got.exit.is_none() => got.exit = Some(*at),
            Trace::Started { at, .. } if *at > start && got.restart.is_none() => got.restart = Some(*at),
            _ => {}
        }
    }
    got
}

#[test]
fn predictions_match_the_simulation_for_every_row() {
    let rows = rows();
    assert!(rows.len() >= 12);
    let mut failures = Vec::new();
    for row in &rows {
        let text = yaml(row);
        let mut sim = Simulation::load(&text).unwrap_or_else(|e| panic!("{}: {e:?}", row.name));
        sim.run_until(row.at);
        let prediction = predicted(&sim, row);
        let until = [
            row.expect.restart,
            row.expect.exit,
            row.expect.ready_again,
            row.expect.unready,
            row.expect.ready,
        ]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(0)
        .max(row.at + 40 * S)
            + 10 * S;
        let actual = observed(sim, until);
        if prediction != row.expect {
            failures.push(format!(
                "{}: advisor\n  got      {prediction:?}\n  expected {:?}",
                row.name, row.expect
            ));
        }
        if actual != row.expect {
            failures.push(format!(
                "{}: simulation\n  got      {actual:?}\n  expected {:?}",
                row.name, row.expect
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
