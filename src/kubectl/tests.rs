//! Printer tests over small API stores whose objects are written as YAML, the way they would come
//! back from a real API server.

use expect_test::{expect, Expect};
use k8s_openapi::api::core::v1::Pod;

use crate::api::{self, ApiStore, Event, ObjectRef};
use crate::kubectl::command::parse;
use crate::kubectl::print::{self, pod_row};
use crate::kubectl::run_read;

mod workloads;

/// The RFC 3339 timestamp of a virtual second, for writing fixtures.
fn at(seconds: u64) -> String {
    serde_json::to_value(api::timestamp(seconds * 1000)).unwrap().as_str().unwrap().to_string()
}

/// A pod from YAML with `{tN}` placeholders replaced by the timestamp of virtual second N.
fn pod(yaml: &str) -> Pod {
    let mut text = yaml.to_string();
    let mut from = 0;
    while let Some(found) = text[from..].find("{t") {
        let start = from + found;
        let digits = text[start + 2..].chars().take_while(char::is_ascii_digit).count();
        if digits == 0 || !text[start + 2 + digits..].starts_with('}') {
            from = start + 2;
            continue;
        }
        let secs: u64 = text[start + 2..start + 2 + digits].parse().unwrap();
        text.replace_range(start..start + 3 + digits, &at(secs));
        from = start;
    }
    serde_yaml::from_str(&format!("apiVersion: v1\nkind: Pod\n{text}")).unwrap()
}

fn store(pods: Vec<Pod>) -> ApiStore {
    let mut api = ApiStore::new(&["k8s-worker1".to_string(), "k8s-worker2".to_string()]);
    for p in pods {
        api.pods.insert(api::key_of(&p.metadata), p);
    }
    api
}

/// Runs command lines against a store at a virtual second and shows the transcript.
fn check(api: &ApiStore, now_secs: u64, lines: &[&str], expect: Expect) {
    let mut out = String::new();
    for line in lines {
        out.push_str(&format!("$ {line}\n"));
        let text = match parse(line) {
            Ok(cmd) => match run_read(api, now_secs * 1000, &cmd) {
                Some(Ok(t)) => t,
                Some(Err(t)) => format!("{t}[exit 1]\n"),
                None => "[not a read command]\n".to_string(),
            },
            Err(e) => format!("{e}\n[exit 1]\n"),
        };
        out.push_str(&text);
    }
    expect.assert_eq(&out);
}

const SPEC: &str = "spec:\n  nodeName: k8s-worker1\n  containers:\n  - name: c\n    image: busybox\n";

/// Every STATUS rule of `pkg/printers/internalversion/printers.go` printPod, with READY and RESTARTS, one pod per rule.
fn status_zoo() -> Vec<Pod> {
    let running = |name: &str, ready: bool| {
        format!(
            "metadata: {{name: {name}, creationTimestamp: {{t0}}}}\n{SPEC}status:\n  phase: Running\n  conditions:\n  - {{type: Ready, status: '{}'}}\n  containerStatuses:\n  - {{name: c, image: busybox, imageID: '', ready: {ready}, restartCount: 0, state: {{running: {{startedAt: {{t0}}}}}}}}\n",
            if ready { "True" } else { "False" }
        )
    };
    let mut pods: Vec<Pod> = Vec::new();
    pods.push(pod("metadata: {name: a-pending-unscheduled, creationTimestamp: {t0}}\nspec:\n  containers:\n  - {name: c, image: busybox}\n"));
    pods.push(pod(&format!("metadata: {{name: b-creating, creationTimestamp: {{t0}}}}\n{SPEC}status:\n  phase: Pending\n  containerStatuses:\n  - {{name: c, image: busybox, imageID: '', ready: false, restartCount: 0, state: {{waiting: {{reason: ContainerCreating}}}}}}\n")));
    pods.push(pod(&running("c-running", true)));
    pods.push(pod(&running("d-running-unready", false)));
    pods.push(pod(&format!("metadata: {{name: e-crashloop, creationTimestamp: {{t0}}}}\n{SPEC}status:\n  phase: Running\n  containerStatuses:\n  - name: c\n    image: busybox\n    imageID: ''\n    ready: false\n    restartCount: 3\n    state: {{waiting: {{reason: CrashLoopBackOff, message: back-off 40s}}}}\n    lastState: {{terminated: {{exitCode: 1, reason: Error, startedAt: {{t60}}, finishedAt: {{t72}}}}}}\n")));
    pods.push(pod(&format!("metadata: {{name: f-error, creationTimestamp: {{t0}}}}\n{SPEC}status:\n  phase: Failed\n  containerStatuses:\n  - {{name: c, image: busybox, imageID: '', ready: false, restartCount: 0, state: {{terminated: {{exitCode: 2, reason: Error}}}}}}\n")));
    pods.push(pod(&format!("metadata: {{name: g-completed, creationTimestamp: {{t0}}}}\n{SPEC}status:\n  phase: Succeeded\n  containerStatuses:\n  - {{name: c, image: busybox, imageID: '', ready: false, restartCount: 0, state: {{terminated: {{exitCode: 0, reason: Completed}}}}}}\n")));
    pods.push(pod(&format!("metadata: {{name: h-signal, creationTimestamp: {{t0}}}}\n{SPEC}status:\n  phase: Failed\n  containerStatuses:\n  - {{name: c, image: busybox, imageID: '', ready: false, restartCount: 0, state: {{terminated: {{exitCode: 137, signal: 9}}}}}}\n")));
    pods.push(pod(&format!("metadata: {{name: i-exitcode, creationTimestamp: {{t0}}}}\n{SPEC}status:\n  phase: Failed\n  containerStatuses:\n  - {{name: c, image: busybox, imageID: '', ready: false, restartCount: 0, state: {{terminated: {{exitCode: 3}}}}}}\n")));
    let init_spec = "spec:\n  nodeName: k8s-worker1\n  initContainers:\n  - {name: i1, image: busybox}\n  - {name: i2, image: busybox}\n  containers:\n  - {name: c, image: nginx}\n";
    let init = |name: &str, i1: &str, i2: &str| {
        pod(&format!("metadata: {{name: {name}, creationTimestamp: {{t0}}}}\n{init_spec}status:\n  phase: Pending\n  conditions:\n  - {{type: Initialized, status: 'False'}}\n  initContainerStatuses:\n  - {{name: i1, image: busybox, imageID: '', ready: false, restartCount: 0, state: {i1}}}\n  - {{name: i2, image: busybox, imageID: '', ready: false, restartCount: 0, state: {i2}}}\n  containerStatuses:\n  - {{name: c, image: nginx, imageID: '', ready: false, restartCount: 0, state: {{waiting: {{reason: PodInitializing}}}}}}\n"))
    };
    pods.push(init("j-init-0", "{running: {}}", "{waiting: {reason: PodInitializing}}"));
    pods.push(init(
        "k-init-1",
        "{terminated: {exitCode: 0, reason: Completed}}",
        "{waiting: {reason: PodInitializing}}",
    ));
    pods.push(init(
        "l-init-crashloop",
        "{waiting: {reason: CrashLoopBackOff}}",
        "{waiting: {reason: PodInitializing}}",
    ));
    pods.push(init(
        "m-init-error",
        "{terminated: {exitCode: 1, reason: Error}}",
        "{waiting: {reason: PodInitializing}}",
    ));
    pods.push(init("n-init-exitcode", "{terminated: {exitCode: 4}}", "{waiting: {reason: PodInitializing}}"));
    pods.push(pod("metadata: {name: o-sidecar, creationTimestamp: {t0}}\nspec:\n  nodeName: k8s-worker1\n  initContainers:\n  - {name: log, image: busybox, restartPolicy: Always}\n  containers:\n  - {name: c, image: nginx}\nstatus:\n  phase: Running\n  conditions:\n  - {type: Initialized, status: 'True'}\n  - {type: Ready, status: 'True'}\n  initContainerStatuses:\n  - {name: log, image: busybox, imageID: '', ready: true, started: true, restartCount: 1, state: {running: {}}, lastState: {terminated: {exitCode: 1, finishedAt: {t50}}}}\n  containerStatuses:\n  - {name: c, image: nginx, imageID: '', ready: true, restartCount: 0, state: {running: {}}}\n"));
    let two = |name: &str, ready: &str| {
        pod(&format!("metadata: {{name: {name}, creationTimestamp: {{t0}}}}\nspec:\n  nodeName: k8s-worker1\n  containers:\n  - {{name: a, image: busybox}}\n  - {{name: b, image: nginx}}\nstatus:\n  phase: Running\n  conditions:\n  - {{type: Ready, status: '{ready}'}}\n  containerStatuses:\n  - {{name: a, image: busybox, imageID: '', ready: false, restartCount: 0, state: {{terminated: {{exitCode: 0, reason: Completed}}}}}}\n  - {{name: b, image: nginx, imageID: '', ready: true, restartCount: 0, state: {{running: {{}}}}}}\n"))
    };
    pods.push(two("p-completed-and-running-ready", "True"));
    pods.push(two("q-completed-and-running-notready", "False"));
    pods.push(pod(&format!("metadata: {{name: r-terminating, creationTimestamp: {{t0}}, deletionTimestamp: {{t130}}, deletionGracePeriodSeconds: 30}}\n{SPEC}status:\n  phase: Running\n  containerStatuses:\n  - {{name: c, image: busybox, imageID: '', ready: true, restartCount: 0, state: {{running: {{}}}}}}\n")));
    pods.push(pod(&format!("metadata: {{name: s-terminating-succeeded, creationTimestamp: {{t0}}, deletionTimestamp: {{t130}}}}\n{SPEC}status:\n  phase: Succeeded\n  containerStatuses:\n  - {{name: c, image: busybox, imageID: '', ready: false, restartCount: 0, state: {{terminated: {{exitCode: 0, reason: Completed}}}}}}\n")));
    pods.push(pod(&format!("metadata: {{name: t-evicted, creationTimestamp: {{t0}}}}\n{SPEC}status:\n  phase: Failed\n  reason: Evicted\n")));
    pods.push(pod(&format!("metadata: {{name: u-nodelost, creationTimestamp: {{t0}}, deletionTimestamp: {{t100}}}}\n{SPEC}status:\n  phase: Running\n  reason: NodeLost\n")));
    pods.push(pod("metadata: {name: v-gated, creationTimestamp: {t0}}\nspec:\n  containers:\n  - {name: c, image: busybox}\nstatus:\n  phase: Pending\n  conditions:\n  - {type: PodScheduled, status: 'False', reason: SchedulingGated}\n"));
    pods.push(pod("metadata: {name: w-first-reason-wins, creationTimestamp: {t0}}\nspec:\n  nodeName: k8s-worker2\n  containers:\n  - {name: a, image: nope}\n  - {name: b, image: busybox}\nstatus:\n  phase: Pending\n  podIP: 10.244.2.7\n  podIPs: [{ip: 10.244.2.7}]\n  containerStatuses:\n  - {name: a, image: nope, imageID: '', ready: false, restartCount: 0, state: {waiting: {reason: ImagePullBackOff}}}\n  - {name: b, image: busybox, imageID: '', ready: false, restartCount: 2, state: {waiting: {reason: CrashLoopBackOff}}, lastState: {terminated: {exitCode: 1, finishedAt: {t80}}}}\n"));
    pods
}

#[test]
fn get_pods_covers_every_status_rule() {
    let api = store(status_zoo());
    check(
        &api,
        84,
        &["kubectl get pods", "kubectl get pods -o wide w-first-reason-wins c-running"],
        expect![[r#"
            $ kubectl get pods
            NAME                               READY   STATUS                  RESTARTS      AGE
            a-pending-unscheduled              0/1     Pending                 0             84s
            b-creating                         0/1     ContainerCreating       0             84s
            c-running                          1/1     Running                 0             84s
            d-running-unready                  0/1     Running                 0             84s
            e-crashloop                        0/1     CrashLoopBackOff        3 (12s ago)   84s
            f-error                            0/1     Error                   0             84s
            g-completed                        0/1     Completed               0             84s
            h-signal                           0/1     Signal:9                0             84s
            i-exitcode                         0/1     ExitCode:3              0             84s
            j-init-0                           0/1     Init:0/2                0             84s
            k-init-1                           0/1     Init:1/2                0             84s
            l-init-crashloop                   0/1     Init:CrashLoopBackOff   0             84s
            m-init-error                       0/1     Init:Error              0             84s
            n-init-exitcode                    0/1     Init:ExitCode:4         0             84s
            o-sidecar                          2/2     Running                 1 (34s ago)   84s
            p-completed-and-running-ready      1/2     Running                 0             84s
            q-completed-and-running-notready   1/2     NotReady                0             84s
            r-terminating                      1/1     Terminating             0             84s
            s-terminating-succeeded            0/1     Completed               0             84s
            t-evicted                          0/1     Evicted                 0             84s
            u-nodelost                         0/1     Unknown                 0             84s
            v-gated                            0/1     SchedulingGated         0             84s
            w-first-reason-wins                0/2     ImagePullBackOff        2 (4s ago)    84s
            $ kubectl get pods -o wide w-first-reason-wins c-running
            NAME                  READY   STATUS             RESTARTS     AGE   IP           NODE          NOMINATED NODE   READINESS GATES
            w-first-reason-wins   0/2     ImagePullBackOff   2 (4s ago)   84s   10.244.2.7   k8s-worker2   <none>           <none>
            c-running             1/1     Running            0            84s   <none>       k8s-worker1   <none>           <none>
        "#]],
    );
}

/// Event ages count from the whole second the API stored, not from the sub-second instant the
/// kubelet recorded: a restart 20 ms after a probe failure is as old as the failure.
#[test]
fn event_ages_use_whole_second_timestamps() {
    assert_eq!(print::since_event(75_020, 90_000), "15s");
    assert_eq!(print::since_event(75_000, 90_000), "15s");
    assert_eq!(print::since_event(75_999, 90_000), "15s");
    assert_eq!(print::since_event(76_000, 90_000), "14s");
}

#[test]
fn age_boundaries() {
    let p = pod("metadata: {name: x, creationTimestamp: {t10}}\nspec:\n  containers:\n  - {name: c, image: busybox}\n");
    let cases: &[(u64, &str)] = &[
        (9_000, "0s"),
        (10_999, "0s"),
        (11_000, "1s"),
        (129_000, "119s"),
        (130_000, "2m"),
        (135_000, "2m5s"),
        (609_999, "9m59s"),
        (610_000, "10m"),
        (10_000 + 179 * 60_000 + 59_000, "179m"),
        (10_000 + 3 * 3_600_000, "3h"),
        (10_000 + 3 * 3_600_000 + 5 * 60_000, "3h5m"),
        (10_000 + 8 * 3_600_000 + 5 * 60_000, "8h"),
        (10_000 + 47 * 3_600_000, "47h"),
        (10_000 + 48 * 3_600_000, "2d"),
        (10_000 + 50 * 3_600_000, "2d2h"),
        (10_000 + 8 * 24 * 3_600_000, "8d"),
    ];
    for (now, want) in cases {
        assert_eq!(pod_row(&p, *now).age, *want, "now={now}");
    }
    // A creation time more than a second in the future (clock skew) reads as kubectl prints it.
    let future = pod("metadata: {name: x, creationTimestamp: {t10}}\nspec:\n  containers:\n  - {name: c, image: busybox}\n");
    assert_eq!(pod_row(&future, 8_000).age, "<invalid>");
    let no_time = pod("metadata: {name: x}\nspec:\n  containers:\n  - {name: c, image: busybox}\n");
    assert_eq!(pod_row(&no_time, 8_000).age, "<unknown>");
}

#[test]
fn seed_000_liveness_exec_row() {
    // At AGE 80s, one restart whose previous instance finished at 75s (`tests/transcripts/liveness-exec.yaml`).
    let p = pod(&format!("metadata: {{name: liveness-exec, namespace: default, creationTimestamp: {{t0}}}}\n{SPEC}status:\n  phase: Running\n  containerStatuses:\n  - {{name: c, image: busybox, imageID: '', ready: true, restartCount: 1, state: {{running: {{startedAt: {{t75}}}}}}, lastState: {{terminated: {{exitCode: 137, reason: Error, finishedAt: {{t75}}}}}}}}\n"));
    let row = pod_row(&p, 80_000);
    expect![[r#"{"namespace":"default","name":"liveness-exec","phase":"Running","ready":"1/1","status":"Running","restarts":1,"restartsColumn":"1 (5s ago)","age":"80s","ip":"<none>","node":"k8s-worker1","nominatedNode":"<none>","readinessGates":"<none>","deleting":false,"containers":[{"name":"c","state":"running","reason":"","ready":true,"started":false,"restartCount":1}]}"#]]
        .assert_eq(&serde_json::to_string(&row).unwrap());
    check(
        &store(vec![p]),
        80,
        &[
            "kubectl get pods liveness-exec",
            "kubectl get pods nope",
            "kubectl get pods liveness-exec nope",
            "kubectl get pods -n kube-system",
            "kubectl get po -o name",
        ],
        expect![[r#"
            $ kubectl get pods liveness-exec
            NAME            READY   STATUS    RESTARTS     AGE
            liveness-exec   1/1     Running   1 (5s ago)   80s
            $ kubectl get pods nope
            Error from server (NotFound): pods "nope" not found
            [exit 1]
            $ kubectl get pods liveness-exec nope
            NAME            READY   STATUS    RESTARTS     AGE
            liveness-exec   1/1     Running   1 (5s ago)   80s
            Error from server (NotFound): pods "nope" not found
            [exit 1]
            $ kubectl get pods -n kube-system
            No resources found in kube-system namespace.
            $ kubectl get po -o name
            pod/liveness-exec
        "#]],
    );
}

#[allow(clippy::too_many_arguments)] // One argument per column of the events table under test.
fn event(
    kind: &str,
    name: &str,
    type_: &str,
    reason: &str,
    message: &str,
    count: u32,
    first: u64,
    last: u64,
    source: &str,
) -> Event {
    Event {
        name: format!("{name}.{:016x}", first * 1000 + u64::from(count)),
        namespace: "default".into(),
        involved: ObjectRef {
            kind: kind.into(),
            namespace: "default".into(),
            name: name.into(),
            uid: String::new(),
            field_path: if source == "kubelet" { "spec.containers{liveness}".into() } else { String::new() },
        },
        type_: type_.into(),
        reason: reason.into(),
        message: message.into(),
        count,
        first: first * 1000,
        last: last * 1000,
        source: source.into(),
        host: if source == "kubelet" { "k8s-worker1".into() } else { String::new() },
    }
}

/// Seed 000's exec-liveness pod just after its first restart (`tests/transcripts/liveness-exec.yaml`), with its events.
fn liveness_exec_store() -> ApiStore {
    let p = pod("metadata:
  name: liveness-exec
  namespace: default
  uid: 6b1f3e0a-0000-4000-8000-000000000001
  creationTimestamp: {t0}
  labels: {test: liveness}
spec:
  nodeName: k8s-worker1
  terminationGracePeriodSeconds: 30
  containers:
  - name: liveness
    image: busybox
    args: [/bin/sh, -c, touch /tmp/healthy; sleep 30; rm -rf /tmp/healthy; sleep 600]
    livenessProbe:
      exec:
        command: [cat, /tmp/healthy]
      initialDelaySeconds: 5
      periodSeconds: 5
      timeoutSeconds: 1
      successThreshold: 1
      failureThreshold: 3
status:
  phase: Running
  hostIP: 192.168.147.101
  podIP: 10.244.1.2
  podIPs: [{ip: 10.244.1.2}]
  startTime: {t0}
  qosClass: BestEffort
  conditions:
  - {type: PodReadyToStartContainers, status: 'True'}
  - {type: Initialized, status: 'True'}
  - {type: Ready, status: 'True'}
  - {type: ContainersReady, status: 'True'}
  - {type: PodScheduled, status: 'True'}
  containerStatuses:
  - name: liveness
    image: docker.io/library/busybox:latest
    imageID: docker.io/library/busybox@sha256:5acba83a746c7608ed544dc1533b87c737a0b0fb730301639a0179f9344b1678
    containerID: containerd://0000000000000000000000000000000000000000000000000000000000000002
    ready: true
    started: true
    restartCount: 1
    state: {running: {startedAt: {t75}}}
    lastState: {terminated: {exitCode: 137, reason: Error, startedAt: {t0}, finishedAt: {t75}}}
");
    let mut api = store(vec![p]);
    let busy = "busybox";
    api.events = vec![
        event(
            "Pod",
            "liveness-exec",
            "Normal",
            "Scheduled",
            "Successfully assigned default/liveness-exec to k8s-worker1",
            1,
            0,
            0,
            "default-scheduler",
        ),
        event(
            "Pod",
            "liveness-exec",
            "Normal",
            "Pulling",
            &format!("Pulling image \"{busy}\""),
            2,
            0,
            75,
            "kubelet",
        ),
        event(
            "Pod",
            "liveness-exec",
            "Normal",
            "Pulled",
            "Successfully pulled image \"busybox\" in 0s (0s including waiting). Image size: 2156519 bytes.",
            1,
            0,
            0,
            "kubelet",
        ),
        event(
            "Pod",
            "liveness-exec",
            "Normal",
            "Created",
            "Created container: liveness",
            2,
            0,
            75,
            "kubelet",
        ),
        event("Pod", "liveness-exec", "Normal", "Started", "Started container liveness", 2, 0, 75, "kubelet"),
        event(
            "Pod",
            "liveness-exec",
            "Warning",
            "Unhealthy",
            "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n",
            3,
            35,
            45,
            "kubelet",
        ),
        event(
            "Pod",
            "liveness-exec",
            "Normal",
            "Killing",
            "Container liveness failed liveness probe, will be restarted",
            1,
            45,
            45,
            "kubelet",
        ),
        event(
            "Pod",
            "liveness-exec",
            "Normal",
            "Pulled",
            "Successfully pulled image \"busybox\" in 0s (0s including waiting). Image size: 2156519 bytes.",
            1,
            75,
            75,
            "kubelet",
        ),
    ];
    api
}

#[test]
fn describe_pod_like_seed_000() {
    check(
        &liveness_exec_store(),
        80,
        &["kubectl describe pods liveness-exec"],
        expect![[r#"
            $ kubectl describe pods liveness-exec
            Name:             liveness-exec
            Namespace:        default
            Priority:         0
            Service Account:  default
            Node:             k8s-worker1/192.168.147.101
            Start Time:       Mon, 01 Sep 2025 09:00:00 +0000
            Labels:           test=liveness
            Annotations:      <none>
            Status:           Running
            IP:               10.244.1.2
            IPs:
              IP:  10.244.1.2
            Containers:
              liveness:
                Container ID:  containerd://0000000000000000000000000000000000000000000000000000000000000002
                Image:         busybox
                Image ID:      docker.io/library/busybox@sha256:5acba83a746c7608ed544dc1533b87c737a0b0fb730301639a0179f9344b1678
                Port:          <none>
                Host Port:     <none>
                Args:
                  /bin/sh
                  -c
                  touch /tmp/healthy; sleep 30; rm -rf /tmp/healthy; sleep 600
                State:          Running
                  Started:      Mon, 01 Sep 2025 09:01:15 +0000
                Last State:     Terminated
                  Reason:       Error
                  Exit Code:    137
                  Started:      Mon, 01 Sep 2025 09:00:00 +0000
                  Finished:     Mon, 01 Sep 2025 09:01:15 +0000
                Ready:          True
                Restart Count:  1
                Liveness:       exec [cat /tmp/healthy] delay=5s timeout=1s period=5s #success=1 #failure=3
                Environment:    <none>
                Mounts:         <none>
            Conditions:
              Type                        Status
              PodReadyToStartContainers   True 
              Initialized                 True 
              Ready                       True 
              ContainersReady             True 
              PodScheduled                True 
            Volumes:                      <none>
            QoS Class:                    BestEffort
            Node-Selectors:               <none>
            Tolerations:                  node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                                          node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
            Events:
              Type     Reason     Age                From               Message
              ----     ------     ----               ----               -------
              Normal   Scheduled  80s                default-scheduler  Successfully assigned default/liveness-exec to k8s-worker1
              Normal   Pulled     80s                kubelet            Successfully pulled image "busybox" in 0s (0s including waiting). Image size: 2156519 bytes.
              Warning  Unhealthy  35s (x3 over 45s)  kubelet            Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory
              Normal   Killing    35s                kubelet            Container liveness failed liveness probe, will be restarted
              Normal   Pulling    5s (x2 over 80s)   kubelet            Pulling image "busybox"
              Normal   Created    5s (x2 over 80s)   kubelet            Created container: liveness
              Normal   Started    5s (x2 over 80s)   kubelet            Started container liveness
              Normal   Pulled     5s                 kubelet            Successfully pulled image "busybox" in 0s (0s including waiting). Image size: 2156519 bytes.
        "#]],
    );
}

#[test]
fn get_events_sorted_by_last_seen() {
    check(
        &liveness_exec_store(),
        80,
        &["kubectl get events", "kubectl get ev -A -o wide"],
        expect![[r#"
        $ kubectl get events
        LAST SEEN   TYPE      REASON      OBJECT              MESSAGE
        80s         Normal    Scheduled   pod/liveness-exec   Successfully assigned default/liveness-exec to k8s-worker1
        80s         Normal    Pulled      pod/liveness-exec   Successfully pulled image "busybox" in 0s (0s including waiting). Image size: 2156519 bytes.
        35s         Warning   Unhealthy   pod/liveness-exec   Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory
        35s         Normal    Killing     pod/liveness-exec   Container liveness failed liveness probe, will be restarted
        5s          Normal    Pulling     pod/liveness-exec   Pulling image "busybox"
        5s          Normal    Created     pod/liveness-exec   Created container: liveness
        5s          Normal    Started     pod/liveness-exec   Started container liveness
        5s          Normal    Pulled      pod/liveness-exec   Successfully pulled image "busybox" in 0s (0s including waiting). Image size: 2156519 bytes.
        $ kubectl get ev -A -o wide
        NAMESPACE   LAST SEEN   TYPE      REASON      OBJECT              SUBOBJECT                   SOURCE                 MESSAGE                                                                                        FIRST SEEN   COUNT   NAME
        default     80s         Normal    Scheduled   pod/liveness-exec                               default-scheduler      Successfully assigned default/liveness-exec to k8s-worker1                                     80s          1       liveness-exec.0000000000000001
        default     80s         Normal    Pulled      pod/liveness-exec   spec.containers{liveness}   kubelet, k8s-worker1   Successfully pulled image "busybox" in 0s (0s including waiting). Image size: 2156519 bytes.   80s          1       liveness-exec.0000000000000001
        default     35s         Warning   Unhealthy   pod/liveness-exec   spec.containers{liveness}   kubelet, k8s-worker1   Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory               45s          3       liveness-exec.00000000000088bb
        default     35s         Normal    Killing     pod/liveness-exec   spec.containers{liveness}   kubelet, k8s-worker1   Container liveness failed liveness probe, will be restarted                                    35s          1       liveness-exec.000000000000afc9
        default     5s          Normal    Pulling     pod/liveness-exec   spec.containers{liveness}   kubelet, k8s-worker1   Pulling image "busybox"                                                                        80s          2       liveness-exec.0000000000000002
        default     5s          Normal    Created     pod/liveness-exec   spec.containers{liveness}   kubelet, k8s-worker1   Created container: liveness                                                                    80s          2       liveness-exec.0000000000000002
        default     5s          Normal    Started     pod/liveness-exec   spec.containers{liveness}   kubelet, k8s-worker1   Started container liveness                                                                     80s          2       liveness-exec.0000000000000002
        default     5s          Normal    Pulled      pod/liveness-exec   spec.containers{liveness}   kubelet, k8s-worker1   Successfully pulled image "busybox" in 0s (0s including waiting). Image size: 2156519 bytes.   5s           1       liveness-exec.00000000000124f9
    "#]],
    );
}

#[test]
fn terminating_pod_describe() {
    let p = pod("metadata: {name: web, namespace: default, creationTimestamp: {t0}, deletionTimestamp: {t130}, deletionGracePeriodSeconds: 30}
spec:
  nodeName: k8s-worker1
  hostname: web
  subdomain: web-svc
  initContainers:
  - {name: setup, image: busybox, command: [sh, -c, 'echo hi > /work/index.html']}
  containers:
  - name: nginx
    image: nginx:1.27
    ports: [{containerPort: 80, name: http, protocol: TCP}, {containerPort: 443, protocol: TCP}]
    readinessProbe: {httpGet: {path: healthz, port: http, scheme: HTTP}, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3}
    startupProbe: {tcpSocket: {port: 80}, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 30}
    livenessProbe: {grpc: {port: 2379}, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3}
    env: [{name: MODE, value: prod}]
    resources: {requests: {cpu: 100m}}
status:
  phase: Running
  hostIP: 192.168.147.101
  podIP: 10.244.1.9
  podIPs: [{ip: 10.244.1.9}]
  initContainerStatuses:
  - {name: setup, image: busybox, imageID: '', ready: true, restartCount: 0, state: {terminated: {exitCode: 0, reason: Completed, startedAt: {t0}, finishedAt: {t1}}}}
  containerStatuses:
  - name: nginx
    image: nginx:1.27
    imageID: ''
    ready: false
    restartCount: 4
    state: {waiting: {reason: CrashLoopBackOff, message: 'back-off 40s restarting failed container=nginx'}}
    lastState: {terminated: {exitCode: 1, reason: Error, message: boom, startedAt: {t60}, finishedAt: {t90}}}
");
    check(
        &store(vec![p]),
        112,
        &["kubectl get pods", "kubectl describe pod web"],
        expect![[r#"
        $ kubectl get pods
        NAME   READY   STATUS        RESTARTS      AGE
        web    0/1     Terminating   4 (22s ago)   112s
        $ kubectl describe pod web
        Name:                      web
        Namespace:                 default
        Priority:                  0
        Service Account:           default
        Node:                      k8s-worker1/192.168.147.101
        Labels:                    <none>
        Annotations:               <none>
        Status:                    Terminating (lasts <invalid>)
        Termination Grace Period:  30s
        IP:                        10.244.1.9
        IPs:
          IP:  10.244.1.9
        Init Containers:
          setup:
            Container ID:  
            Image:         busybox
            Image ID:      
            Port:          <none>
            Host Port:     <none>
            Command:
              sh
              -c
              echo hi > /work/index.html
            State:          Terminated
              Reason:       Completed
              Exit Code:    0
              Started:      Mon, 01 Sep 2025 09:00:00 +0000
              Finished:     Mon, 01 Sep 2025 09:00:01 +0000
            Ready:          True
            Restart Count:  0
            Environment:    <none>
            Mounts:         <none>
        Containers:
          nginx:
            Container ID:   
            Image:          nginx:1.27
            Image ID:       
            Ports:          80/TCP, 443/TCP
            Host Ports:     0/TCP, 0/TCP
            State:          Waiting
              Reason:       CrashLoopBackOff
            Last State:     Terminated
              Reason:       Error
              Message:      boom
              Exit Code:    1
              Started:      Mon, 01 Sep 2025 09:01:00 +0000
              Finished:     Mon, 01 Sep 2025 09:01:30 +0000
            Ready:          False
            Restart Count:  4
            Requests:
              cpu:      100m
            Liveness:   grpc <pod>:2379  delay=0s timeout=1s period=10s #success=1 #failure=3
            Readiness:  http-get http://:http/healthz delay=0s timeout=1s period=10s #success=1 #failure=3
            Startup:    tcp-socket :80 delay=0s timeout=1s period=10s #success=1 #failure=30
            Environment:
              MODE:      prod
            Mounts:      <none>
        Volumes:         <none>
        QoS Class:       Burstable
        Node-Selectors:  <none>
        Tolerations:     node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                         node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
        Events:          <none>
    "#]],
    );
}
