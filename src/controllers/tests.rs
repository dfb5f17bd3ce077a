//! Control-plane tests. A small stand-in for the kubelet gives bound pods an IP and the Running
//! phase, flips their Ready condition on request and removes terminating pods, so the controllers
//! can be driven through whole rollouts.

use std::collections::BTreeMap;

use expect_test::{expect, Expect};
use k8s_openapi::api::apps::v1::{
    DaemonSet, DaemonSetSpec, Deployment, DeploymentSpec, DeploymentStrategy, RollingUpdateDeployment,
    StatefulSet, StatefulSetSpec,
};
use k8s_openapi::api::core::v1::{
    Container, ContainerPort, Pod, PodCondition, PodSpec, PodStatus, PodTemplateSpec, Service, ServicePort,
    ServiceSpec,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::*;
use crate::api::{timestamp, ObjectKey};
use crate::kubectl::command::{PodTarget, ResourceKind};

/// Calls a control-plane function with the world's store and context.
macro_rules! run {
    ($w:ident, $f:ident, $($arg:expr),*) => {{
        let mut ctx = Context { now: $w.now, rng: &mut $w.rng, events: &mut $w.events };
        $f(&mut $w.api, &mut ctx, $($arg),*)
    }};
}

struct World {
    api: ApiStore,
    rng: Rng,
    events: EventRecorder,
    now: Millis,
    next_ip: u32,
}

impl World {
    fn new() -> World {
        World::with_nodes(2)
    }

    /// A cluster of `n` nodes named `k8s-worker1`, `k8s-worker2`, ...
    fn with_nodes(n: usize) -> World {
        let names: Vec<String> = (1..=n).map(|i| format!("k8s-worker{i}")).collect();
        World {
            api: ApiStore::new(&names),
            rng: Rng::new(1),
            events: EventRecorder::default(),
            now: 0,
            next_ip: 2,
        }
    }

    fn apply(&mut self, objects: &[Object], prune: bool) -> Result<Vec<String>, String> {
        let mut ctx = Context { now: self.now, rng: &mut self.rng, events: &mut self.events };
        let out = apply(&mut self.api, &mut ctx, objects, prune);
        self.reconcile();
        out
    }

    fn reconcile(&mut self) -> Option<Millis> {
        let mut ctx = Context { now: self.now, rng: &mut self.rng, events: &mut self.events };
        reconcile(&mut self.api, &mut ctx);
        // Pods that just got an IP show up in endpoints at once, as with a real kubelet's status
        // update followed by the controllers' reaction.
        self.kubelet_start();
        let mut ctx = Context { now: self.now, rng: &mut self.rng, events: &mut self.events };
        reconcile(&mut self.api, &mut ctx)
    }

    /// Bound pods without an IP get one and start running (not yet ready).
    fn kubelet_start(&mut self) {
        let keys: Vec<ObjectKey> = self
            .api
            .pods
            .iter()
            .filter(|(_, p)| {
                p.spec.as_ref().is_some_and(|s| s.node_name.is_some())
                    && p.status.as_ref().is_none_or(|s| s.pod_ip.is_none())
            })
            .map(|(k, _)| k.clone())
            .collect();
        for key in keys {
            let node = self.api.pods[&key].spec.as_ref().unwrap().node_name.clone().unwrap();
            let subnet = if node == "k8s-worker1" { 1 } else { 2 };
            let ip = format!("10.244.{subnet}.{}", self.next_ip);
            self.next_ip += 1;
            let status = PodStatus {
                phase: Some("Running".into()),
                pod_ip: Some(ip),
                conditions: Some(vec![ready_condition(false, self.now)]),
                ..Default::default()
            };
            self.api.set_pod_status(&key, status);
        }
    }

    fn set_ready(&mut self, name: &str, ready: bool) {
        let key = ("default".to_string(), name.to_string());
        let mut status = self.api.pods[&key].status.clone().unwrap();
        status.conditions = Some(vec![ready_condition(ready, self.now)]);
        self.api.set_pod_status(&key, status);
    }

    /// The kubelet finishes every terminating pod.
    fn finish_terminating(&mut self) {
        let keys: Vec<ObjectKey> = self
            .api
            .pods
            .iter()
            .filter(|(_, p)| p.metadata.deletion_timestamp.is_some())
            .map(|(k, _)| k.clone())
            .collect();
        for k in keys {
            self.api.remove_pod(&k);
        }
    }

    fn pods(&self) -> String {
        self.api
            .pods
            .values()
            .map(|p| {
                let ready = p
                    .status
                    .as_ref()
                    .and_then(|s| s.conditions.as_ref())
                    .is_some_and(|c| c.iter().any(|c| c.type_ == "Ready" && c.status == "True"));
                format!(
                    "{} {} {}{}\n",
                    p.metadata.name.as_deref().unwrap(),
                    p.spec.as_ref().and_then(|s| s.node_name.as_deref()).unwrap_or("<none>"),
                    if ready { "ready" } else { "unready" },
                    if p.metadata.deletion_timestamp.is_some() { " terminating" } else { "" }
                )
            })
            .collect()
    }

    fn events(&self) -> String {
        self.events
            .occurrences()
            .iter()
            .map(|o| format!("{} {} {} {}\n", o.at / 1000, o.object, o.reason, o.message))
            .collect()
    }

    fn pod_names(&self) -> Vec<String> {
        self.api.pods.keys().map(|k| k.1.clone()).collect()
    }
}

fn ready_condition(ready: bool, now: Millis) -> PodCondition {
    PodCondition {
        type_: "Ready".into(),
        status: if ready { "True" } else { "False" }.into(),
        last_transition_time: Some(timestamp(now)),
        ..Default::default()
    }
}

fn labels(app: &str) -> BTreeMap<String, String> {
    BTreeMap::from([("app".to_string(), app.to_string())])
}

fn meta(name: &str) -> ObjectMeta {
    ObjectMeta { name: Some(name.into()), namespace: Some("default".into()), ..Default::default() }
}

fn template(app: &str, image: &str) -> PodTemplateSpec {
    PodTemplateSpec {
        metadata: Some(ObjectMeta { labels: Some(labels(app)), ..Default::default() }),
        spec: Some(PodSpec {
            containers: vec![Container {
                name: app.into(),
                image: Some(image.into()),
                ports: Some(vec![ContainerPort {
                    name: Some("http".into()),
                    container_port: 80,
                    protocol: Some("TCP".into()),
                    ..Default::default()
                }]),
                ..Default::default()
            }],
            restart_policy: Some("Always".into()),
            termination_grace_period_seconds: Some(30),
            ..Default::default()
        }),
    }
}

fn deployment(name: &str, replicas: i32, image: &str, surge: &str, unavailable: &str) -> Object {
    let ios = |s: &str| {
        if s.ends_with('%') {
            IntOrString::String(s.into())
        } else {
            IntOrString::Int(s.parse().unwrap())
        }
    };
    Object::Deployment(Deployment {
        metadata: meta(name),
        spec: Some(DeploymentSpec {
            replicas: Some(replicas),
            selector: LabelSelector { match_labels: Some(labels(name)), ..Default::default() },
            template: template(name, image),
            strategy: Some(DeploymentStrategy {
                type_: Some("RollingUpdate".into()),
                rolling_update: Some(RollingUpdateDeployment {
                    max_surge: Some(ios(surge)),
                    max_unavailable: Some(ios(unavailable)),
                }),
            }),
            revision_history_limit: Some(10),
            progress_deadline_seconds: Some(600),
            ..Default::default()
        }),
        status: None,
    })
}

fn service(name: &str, app: &str, target: IntOrString, protocol: &str, publish: bool) -> Object {
    Object::Service(Service {
        metadata: meta(name),
        spec: Some(ServiceSpec {
            selector: Some(labels(app)),
            ports: Some(vec![ServicePort {
                port: 8080,
                target_port: Some(target),
                protocol: Some(protocol.into()),
                ..Default::default()
            }]),
            type_: Some("ClusterIP".into()),
            publish_not_ready_addresses: publish.then_some(true),
            ..Default::default()
        }),
        status: None,
    })
}

fn statefulset(name: &str, replicas: i32, policy: &str) -> Object {
    Object::StatefulSet(StatefulSet {
        metadata: meta(name),
        spec: Some(StatefulSetSpec {
            replicas: Some(replicas),
            selector: LabelSelector { match_labels: Some(labels(name)), ..Default::default() },
            template: template(name, "nginx:1.27"),
            service_name: Some(name.into()),
            pod_management_policy: Some(policy.into()),
            ..Default::default()
        }),
        status: None,
    })
}

fn pod(name: &str, image: &str) -> Object {
    let t = template("solo", image);
    Object::Pod(Pod {
        metadata: ObjectMeta { labels: Some(labels("solo")), ..meta(name) },
        spec: t.spec,
        status: None,
    })
}

fn check(actual: String, expect: Expect) {
    expect.assert_eq(&actual);
}

/// Creating, re-applying and changing objects prints kubectl's verbs; a changed pod spec is
/// refused with the API server's message; prune removes what the file dropped.
#[test]
fn apply_create_configure_unchanged_prune() {
    let mut w = World::new();
    let objects = vec![
        pod("solo", "busybox:1.36"),
        deployment("httpd-deployment", 3, "httpd", "25%", "25%"),
        service("httpd-svc", "httpd-deployment", IntOrString::Int(80), "TCP", false),
    ];
    let mut transcript = w.apply(&objects, false).unwrap().join("\n") + "\n";
    transcript += &(w.apply(&objects, false).unwrap().join("\n") + "\n");
    let mut changed = objects.clone();
    changed[0] = pod("solo", "busybox:1.37");
    changed[1] = deployment("httpd-deployment", 5, "httpd", "25%", "25%");
    transcript += &(w.apply(&changed, false).unwrap().join("\n") + "\n");
    let mut forbidden = changed.clone();
    if let Object::Pod(p) = &mut forbidden[0] {
        p.spec.as_mut().unwrap().containers[0].ports = None;
    }
    transcript += &(w.apply(&forbidden, false).unwrap_err() + "\n");
    transcript += &(w.apply(&changed[1..], true).unwrap().join("\n") + "\n");
    check(
        transcript,
        expect![[r#"
        pod/solo created
        deployment.apps/httpd-deployment created
        service/httpd-svc created
        pod/solo unchanged
        deployment.apps/httpd-deployment unchanged
        service/httpd-svc unchanged
        pod/solo configured
        deployment.apps/httpd-deployment configured
        service/httpd-svc unchanged
        deployment.apps/httpd-deployment unchanged
        service/httpd-svc unchanged
        The Pod "solo" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)
        deployment.apps/httpd-deployment unchanged
        service/httpd-svc unchanged
        pod/solo pruned
    "#]],
    );
    let svc = &w.api.services[&("default".to_string(), "httpd-svc".to_string())];
    let ip = svc.spec.as_ref().unwrap().cluster_ip.clone().unwrap();
    assert!(ip.starts_with("10.9") || ip.starts_with("10.10") || ip.starts_with("10.11"), "{ip}");
    let d = &w.api.deployments[&("default".to_string(), "httpd-deployment".to_string())];
    assert_eq!(d.metadata.generation, Some(2));
    assert!(d.metadata.uid.is_some() && d.metadata.creation_timestamp.is_some());
}

/// A new Deployment creates its ReplicaSet `<name>-<hash>`, which creates pods spread over the
/// nodes; the events read as on a real cluster.
#[test]
fn deployment_creates_replica_set_and_pods() {
    let mut w = World::new();
    w.apply(&[deployment("httpd-deployment", 3, "httpd", "25%", "25%")], false).unwrap();
    let rs: Vec<_> = w.api.replica_sets.keys().map(|k| k.1.clone()).collect();
    assert_eq!(rs.len(), 1);
    let hash = rs[0].strip_prefix("httpd-deployment-").unwrap();
    assert!(hash.bytes().all(|b| crate::rng::NAME_ALPHABET.contains(&b)));
    for p in w.api.pods.values() {
        assert_eq!(p.metadata.labels.as_ref().unwrap()["pod-template-hash"], hash);
        assert_eq!(p.metadata.owner_references.as_ref().unwrap()[0].name, rs[0]);
    }
    let text = w.pods().replace(hash, "HASH") + &w.events().replace(hash, "HASH");
    check(
        text,
        expect![[r#"
        httpd-deployment-HASH-ktn6p k8s-worker1 unready
        httpd-deployment-HASH-lddsn k8s-worker1 unready
        httpd-deployment-HASH-wfslf k8s-worker2 unready
        0 Deployment/httpd-deployment ScalingReplicaSet Scaled up replica set httpd-deployment-HASH from 0 to 3
        0 ReplicaSet/httpd-deployment-HASH SuccessfulCreate Created pod: httpd-deployment-HASH-ktn6p
        0 ReplicaSet/httpd-deployment-HASH SuccessfulCreate Created pod: httpd-deployment-HASH-wfslf
        0 ReplicaSet/httpd-deployment-HASH SuccessfulCreate Created pod: httpd-deployment-HASH-lddsn
        0 Pod/httpd-deployment-HASH-ktn6p Scheduled Successfully assigned default/httpd-deployment-HASH-ktn6p to k8s-worker1
        0 Pod/httpd-deployment-HASH-wfslf Scheduled Successfully assigned default/httpd-deployment-HASH-wfslf to k8s-worker2
        0 Pod/httpd-deployment-HASH-lddsn Scheduled Successfully assigned default/httpd-deployment-HASH-lddsn to k8s-worker1
    "#]],
    );
    // Readiness makes the Deployment available and complete.
    for name in w.pod_names() {
        w.set_ready(&name, true);
    }
    w.reconcile();
    let d = &w.api.deployments[&("default".to_string(), "httpd-deployment".to_string())];
    let st = d.status.as_ref().unwrap();
    let conds: Vec<_> = st
        .conditions
        .iter()
        .flatten()
        .map(|c| format!("{} {} {}", c.type_, c.status, c.reason.clone().unwrap()))
        .collect();
    check(
        format!(
            "{:?} {:?} {:?} {:?} {conds:?} rev={}",
            st.replicas,
            st.ready_replicas,
            st.available_replicas,
            st.updated_replicas,
            d.metadata.annotations.as_ref().unwrap()["deployment.kubernetes.io/revision"]
        ),
        expect![[
            r#"Some(3) Some(3) Some(3) Some(3) ["Available True MinimumReplicasAvailable", "Progressing True NewReplicaSetAvailable"] rev=1"#
        ]],
    );
}

/// Counts (available, total non-terminating) pods of the Deployment's label.
fn availability(w: &World) -> (i32, i32) {
    let mut available = 0;
    let mut total = 0;
    for p in w.api.pods.values() {
        if p.metadata.deletion_timestamp.is_some() {
            continue;
        }
        total += 1;
        if podutil::is_ready(p) {
            available += 1;
        }
    }
    (available, total)
}

/// A rolling update never lets available pods drop below `replicas − maxUnavailable` nor total
/// pods exceed `replicas + maxSurge`, for a range of strategies; it ends with every pod on the new
/// template. Pods become ready one at a time (in name order), and terminating pods finish only
/// between steps, the slowest realistic order.
#[test]
fn rolling_update_respects_bounds() {
    let cases = [
        (3, "25%", "25%"),
        (1, "25%", "25%"),
        (4, "1", "0"),
        (4, "0", "1"),
        (10, "30%", "20%"),
        (5, "2", "2"),
        (3, "0", "0"),
    ];
    let mut summary = String::new();
    for (replicas, surge, unavailable) in cases {
        let mut w = World::new();
        w.apply(&[deployment("web", replicas, "nginx:1.26", surge, unavailable)], false).unwrap();
        for name in w.pod_names() {
            w.set_ready(&name, true);
        }
        w.reconcile();
        let d = match deployment("web", replicas, "nginx:1.26", surge, unavailable) {
            Object::Deployment(d) => d,
            _ => unreachable!(),
        };
        let (max_surge, max_unavailable) = super::deployment::fenceposts(&d);
        w.now = 10_000;
        w.apply(&[deployment("web", replicas, "nginx:1.27", surge, unavailable)], false).unwrap();
        let mut steps = 0;
        loop {
            let (available, total) = availability(&w);
            assert!(
                available >= replicas - max_unavailable,
                "{replicas}/{surge}/{unavailable}: available {available}"
            );
            assert!(total <= replicas + max_surge, "{replicas}/{surge}/{unavailable}: total {total}");
            let unready: Vec<String> = w
                .api
                .pods
                .iter()
                .filter(|(_, p)| p.metadata.deletion_timestamp.is_none() && !podutil::is_ready(p))
                .map(|(k, _)| k.1.clone())
                .collect();
            if let Some(name) = unready.first() {
                w.set_ready(name, true);
            } else if w.api.pods.values().any(|p| p.metadata.deletion_timestamp.is_some()) {
                w.finish_terminating();
            } else {
                break;
            }
            w.now += 1000;
            w.reconcile();
            steps += 1;
            assert!(steps < 200, "rollout did not finish");
        }
        let images: Vec<_> = w
            .api
            .pods
            .values()
            .map(|p| p.spec.as_ref().unwrap().containers[0].image.clone().unwrap())
            .collect();
        assert!(images.iter().all(|i| i == "nginx:1.27") && images.len() == replicas as usize, "{images:?}");
        let scaling = w.events.occurrences().iter().filter(|o| o.reason == "ScalingReplicaSet").count();
        summary += &format!("{replicas} {surge} {unavailable}: {steps} steps, {scaling} scaling events\n");
    }
    check(
        summary,
        expect![[r#"
        3 25% 25%: 4 steps, 7 scaling events
        1 25% 25%: 2 steps, 3 scaling events
        4 1 0: 5 steps, 9 scaling events
        4 0 1: 5 steps, 9 scaling events
        10 30% 20%: 11 steps, 17 scaling events
        5 2 2: 6 steps, 8 scaling events
        3 0 0: 4 steps, 7 scaling events
    "#]],
    );
}

/// The event sequence of a rollout with replicas 3 and the default 25%/25%.
#[test]
fn rolling_update_events() {
    let mut w = World::new();
    w.apply(&[deployment("web", 3, "nginx:1.26", "25%", "25%")], false).unwrap();
    for name in w.pod_names() {
        w.set_ready(&name, true);
    }
    w.reconcile();
    w.now = 10_000;
    w.apply(&[deployment("web", 3, "nginx:1.27", "25%", "25%")], false).unwrap();
    for _ in 0..20 {
        let unready: Vec<String> = w
            .api
            .pods
            .iter()
            .filter(|(_, p)| p.metadata.deletion_timestamp.is_none() && !podutil::is_ready(p))
            .map(|(k, _)| k.1.clone())
            .collect();
        for n in unready {
            w.set_ready(&n, true);
        }
        w.finish_terminating();
        w.now += 1000;
        w.reconcile();
    }
    let mut names: Vec<String> = w.api.replica_sets.keys().map(|k| k.1.clone()).collect();
    names.sort_by_key(|n| {
        w.api.replica_sets[&("default".to_string(), n.clone())]
            .metadata
            .creation_timestamp
            .clone()
            .map(|t| t.0)
    });
    let text: String = w
        .events
        .occurrences()
        .iter()
        .filter(|o| o.reason == "ScalingReplicaSet")
        .map(|o| {
            format!("{} {}\n", o.at / 1000, o.message.replace(&names[0], "OLD").replace(&names[1], "NEW"))
        })
        .collect();
    check(
        text,
        expect![[r#"
        0 Scaled up replica set OLD from 0 to 3
        10 Scaled up replica set NEW from 0 to 1
        11 Scaled down replica set OLD from 3 to 2
        11 Scaled up replica set NEW from 1 to 2
        12 Scaled down replica set OLD from 2 to 1
        12 Scaled up replica set NEW from 2 to 3
        13 Scaled down replica set OLD from 1 to 0
    "#]],
    );
    let d = &w.api.deployments[&("default".to_string(), "web".to_string())];
    assert_eq!(d.metadata.annotations.as_ref().unwrap()["deployment.kubernetes.io/revision"], "2");
}

/// `OrderedReady` creates `web-1` only once `web-0` is Running and Ready, and scales down from the
/// highest ordinal, waiting for each pod to be gone; `Parallel` does both at once.
#[test]
fn statefulset_ordering() {
    let mut w = World::new();
    w.apply(&[statefulset("web", 3, "OrderedReady")], false).unwrap();
    let mut log = String::new();
    log += &format!("start: {:?}\n", w.pod_names());
    for i in 0..3 {
        w.set_ready(&format!("web-{i}"), true);
        w.reconcile();
        log += &format!("web-{i} ready: {:?}\n", w.pod_names());
    }
    let p = &w.api.pods[&("default".to_string(), "web-1".to_string())];
    let spec = p.spec.as_ref().unwrap();
    log += &format!(
        "hostname={:?} subdomain={:?} index={}\n",
        spec.hostname,
        spec.subdomain,
        p.metadata.labels.as_ref().unwrap()["apps.kubernetes.io/pod-index"]
    );
    log += &run!(w, scale, ResourceKind::StatefulSet, "default", "web", 1).unwrap();
    log += "\n";
    w.reconcile();
    log += &format!("scaled to 1: {}", w.pods());
    w.finish_terminating();
    w.reconcile();
    log += &format!("web-2 gone: {}", w.pods());
    w.finish_terminating();
    w.reconcile();
    log += &format!("web-1 gone: {}", w.pods());

    let mut p = World::new();
    p.apply(&[statefulset("db", 3, "Parallel")], false).unwrap();
    log += &format!("parallel: {:?}\n", p.pod_names());
    let ready = p.api.stateful_sets.values().next().unwrap().status.as_ref().unwrap().replicas;
    log += &format!("status.replicas={ready}\n");
    check(
        log,
        expect![[r#"
        start: ["web-0"]
        web-0 ready: ["web-0", "web-1"]
        web-1 ready: ["web-0", "web-1", "web-2"]
        web-2 ready: ["web-0", "web-1", "web-2"]
        hostname=Some("web-1") subdomain=Some("web") index=1
        statefulset.apps/web scaled
        scaled to 1: web-0 k8s-worker1 ready
        web-1 k8s-worker2 ready
        web-2 k8s-worker1 ready terminating
        web-2 gone: web-0 k8s-worker1 ready
        web-1 k8s-worker2 ready terminating
        web-1 gone: web-0 k8s-worker1 ready
        parallel: ["db-0", "db-1", "db-2"]
        status.replicas=3
    "#]],
    );
    let creates: Vec<_> = w
        .events
        .occurrences()
        .iter()
        .filter(|o| o.object == "StatefulSet/web")
        .map(|o| o.message.clone())
        .collect();
    check(
        creates.join("\n"),
        expect![[r#"
        create Pod web-0 in StatefulSet web successful
        create Pod web-1 in StatefulSet web successful
        create Pod web-2 in StatefulSet web successful
        delete Pod web-2 in StatefulSet web successful
        delete Pod web-1 in StatefulSet web successful"#]],
    );
}

/// One pod per node, pinned there by affinity and bound by the scheduler; status counts follow
/// readiness.
#[test]
fn daemonset_one_pod_per_node() {
    let mut w = World::new();
    let ds = DaemonSet {
        metadata: meta("agent"),
        spec: Some(DaemonSetSpec {
            selector: LabelSelector { match_labels: Some(labels("agent")), ..Default::default() },
            template: template("agent", "busybox"),
            ..Default::default()
        }),
        status: None,
    };
    w.apply(&[Object::DaemonSet(ds)], false).unwrap();
    let nodes: Vec<_> =
        w.api.pods.values().map(|p| p.spec.as_ref().unwrap().node_name.clone().unwrap()).collect();
    assert_eq!(nodes.len(), 2);
    assert!(nodes.contains(&"k8s-worker1".to_string()) && nodes.contains(&"k8s-worker2".to_string()));
    let first = w.pod_names()[0].clone();
    w.set_ready(&first, true);
    w.reconcile();
    let st = w.api.daemon_sets.values().next().unwrap().status.clone().unwrap();
    check(
        format!(
            "desired={} current={} ready={} available={:?} updated={:?}",
            st.desired_number_scheduled,
            st.current_number_scheduled,
            st.number_ready,
            st.number_available,
            st.updated_number_scheduled
        ),
        expect![[r#"desired=2 current=2 ready=1 available=Some(1) updated=Some(2)"#]],
    );
    // A deleted daemon pod is replaced on the same node.
    let node = w.api.pods.values().next().unwrap().spec.as_ref().unwrap().node_name.clone();
    run!(w, delete_pods, "default", &PodTarget::Names(vec![first.clone()]), Some(0), true).unwrap();
    w.reconcile();
    assert_eq!(w.api.pods.len(), 2);
    assert!(w
        .api
        .pods
        .values()
        .any(|p| p.spec.as_ref().unwrap().node_name == node
            && p.metadata.name.as_deref() != Some(first.as_str())));
}

fn endpoints_text(w: &World, name: &str) -> String {
    let ep = &w.api.endpoints[&("default".to_string(), name.to_string())];
    let mut out = String::new();
    for s in ep.subsets.iter().flatten() {
        let list = |a: &Option<Vec<k8s_openapi::api::core::v1::EndpointAddress>>| {
            a.iter()
                .flatten()
                .map(|a| format!("{}({})", a.ip, a.node_name.clone().unwrap_or_default()))
                .collect::<Vec<_>>()
                .join(",")
        };
        let ports: Vec<_> = s
            .ports
            .iter()
            .flatten()
            .map(|p| format!("{}/{}", p.port, p.protocol.clone().unwrap_or_default()))
            .collect();
        out += &format!(
            "ready=[{}] notReady=[{}] ports={:?}\n",
            list(&s.addresses),
            list(&s.not_ready_addresses),
            ports
        );
    }
    if out.is_empty() {
        out = "<none>\n".into();
    }
    out
}

/// Endpoints follow the pod Ready condition; a named targetPort is resolved by name and protocol
/// (no pod has a UDP port named http, so that Service has no endpoints); terminating pods leave
/// unless not-ready addresses are published.
#[test]
fn endpoints_follow_readiness() {
    let mut w = World::new();
    // Enough pods on one node that string order of IPs differs from numeric order.
    w.next_ip = 9;
    w.apply(
        &[
            deployment("web", 4, "nginx", "25%", "25%"),
            service("web-named", "web", IntOrString::String("http".into()), "TCP", false),
            service("web-udp", "web", IntOrString::String("http".into()), "UDP", false),
            service("web-publish", "web", IntOrString::Int(8080), "TCP", true),
        ],
        false,
    )
    .unwrap();
    let mut log = format!("unready:\n{}", endpoints_text(&w, "web-named"));
    let names = w.pod_names();
    for n in &names[..3] {
        w.set_ready(n, true);
    }
    w.reconcile();
    log += &format!("three ready:\n{}", endpoints_text(&w, "web-named"));
    log += &format!("udp:\n{}", endpoints_text(&w, "web-udp"));
    // A multi-container pod with one unready container has Ready=False: it moves to notReady.
    w.set_ready(&names[0], false);
    w.reconcile();
    log += &format!("one unready again:\n{}", endpoints_text(&w, "web-named"));
    run!(w, delete_pods, "default", &PodTarget::Names(vec![names[1].clone()]), None, false).unwrap();
    w.reconcile();
    log += &format!("one terminating:\n{}", endpoints_text(&w, "web-named"));
    log += &format!("published:\n{}", endpoints_text(&w, "web-publish"));
    check(
        log,
        expect![[r#"
        unready:
        ready=[] notReady=[10.244.1.11(k8s-worker1),10.244.1.12(k8s-worker1),10.244.2.10(k8s-worker2),10.244.2.9(k8s-worker2)] ports=["80/TCP"]
        three ready:
        ready=[10.244.1.11(k8s-worker1),10.244.2.10(k8s-worker2),10.244.2.9(k8s-worker2)] notReady=[10.244.1.12(k8s-worker1)] ports=["80/TCP"]
        udp:
        <none>
        one unready again:
        ready=[10.244.1.11(k8s-worker1),10.244.2.10(k8s-worker2)] notReady=[10.244.1.12(k8s-worker1),10.244.2.9(k8s-worker2)] ports=["80/TCP"]
        one terminating:
        ready=[10.244.1.11(k8s-worker1)] notReady=[10.244.1.12(k8s-worker1),10.244.1.13(k8s-worker1),10.244.2.9(k8s-worker2)] ports=["80/TCP"]
        published:
        ready=[10.244.1.11(k8s-worker1),10.244.1.12(k8s-worker1),10.244.1.13(k8s-worker1),10.244.2.10(k8s-worker2),10.244.2.9(k8s-worker2)] notReady=[] ports=["8080/TCP"]
    "#]],
    );
}

/// `kubectl delete pod` output, the force warning, and the ReplicaSet's immediate replacement.
#[test]
fn delete_scale_and_restart_commands() {
    let mut w = World::new();
    w.apply(&[deployment("web", 2, "nginx", "25%", "25%")], false).unwrap();
    let names = w.pod_names();
    let mut log = String::new();
    let out = run!(
        w,
        delete_pods,
        "default",
        &PodTarget::Names(vec![names[0].clone(), "nope".into()]),
        None,
        false
    );
    log += &format!("{:?}\n", out);
    w.reconcile();
    log += &format!(
        "after delete: {} pods, {} terminating\n",
        w.api.pods.len(),
        w.api.pods.values().filter(|p| p.metadata.deletion_timestamp.is_some()).count()
    );
    let out = run!(w, delete_pods, "default", &PodTarget::Selector("app=web".into()), None, true);
    log += &format!("{:?}\n", out);
    let out = run!(w, delete_pods, "default", &PodTarget::Selector("app=none".into()), None, false);
    log += &format!("{:?}\n", out);
    w.reconcile();
    log += &format!("{:?}\n", run!(w, scale, ResourceKind::Deployment, "default", "web", 4));
    log += &format!("{:?}\n", run!(w, scale, ResourceKind::Deployment, "default", "nope", 4));
    w.reconcile();
    log += &format!(
        "after scale: {} pods\n",
        w.api.pods.values().filter(|p| p.metadata.deletion_timestamp.is_none()).count()
    );
    w.now = 65_000;
    log += &format!("{:?}\n", run!(w, rollout_restart, ResourceKind::Deployment, "default", "web"));
    w.reconcile();
    log += &format!("replica sets: {}\n", w.api.replica_sets.len());
    let d = &w.api.deployments[&("default".to_string(), "web".to_string())];
    log += &format!("{:?}\n", d.spec.as_ref().unwrap().template.metadata.as_ref().unwrap().annotations);
    check(
        log.replace(&names[0], "POD0"),
        expect![[r#"
        Err("pod \"POD0\" deleted from default namespace\nError from server (NotFound): pods \"nope\" not found")
        after delete: 3 pods, 1 terminating
        Ok(["Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.", "pod \"POD0\" force deleted from default namespace", "pod \"web-67d79d47c8-lddsn\" force deleted from default namespace", "pod \"web-67d79d47c8-wfslf\" force deleted from default namespace"])
        Ok(["No resources found"])
        Ok("deployment.apps/web scaled")
        Err("Error from server (NotFound): deployments.apps \"nope\" not found")
        after scale: 4 pods
        Ok("deployment.apps/web restarted")
        replica sets: 2
        Some({"kubectl.kubernetes.io/restartedAt": "2025-09-01T09:01:05Z"})
    "#]],
    );
}

/// `minReadySeconds`: a ready pod counts as available only later, and reconcile asks to be woken
/// then.
#[test]
fn min_ready_seconds_wakes_controller() {
    let mut w = World::new();
    let mut d = deployment("web", 1, "nginx", "25%", "25%");
    if let Object::Deployment(d) = &mut d {
        d.spec.as_mut().unwrap().min_ready_seconds = Some(10);
    }
    w.apply(&[d], false).unwrap();
    let name = w.pod_names()[0].clone();
    w.now = 5_000;
    w.set_ready(&name, true);
    let wake = w.reconcile();
    assert_eq!(wake, Some(15_000));
    let available =
        |w: &World| w.api.deployments.values().next().unwrap().status.as_ref().unwrap().available_replicas;
    assert_eq!(available(&w), Some(0));
    w.now = 15_000;
    w.reconcile();
    assert_eq!(available(&w), Some(1));
}

/// A 1,000-replica Deployment behind a Service: creation, then one readiness change per reconcile.
/// A readiness change costs one controller pass, which walks the pods a constant number of times
/// (about 1 ms in an optimized build); the bound below is loose enough for a debug build.
#[test]
fn thousand_replicas_stay_cheap() {
    // Ten nodes: each kubelet accepts 110 pods.
    let mut w = World::with_nodes(10);
    w.apply(
        &[
            deployment("big", 1000, "nginx", "25%", "25%"),
            service("big", "big", IntOrString::Int(80), "TCP", false),
        ],
        false,
    )
    .unwrap();
    let names = w.pod_names();
    assert_eq!(names.len(), 1000);
    // The work is counted in API writes (each bumps the store's resource version), not in wall
    // time: one pod turning ready writes that pod's status, the Service's Endpoints, and the
    // ReplicaSet's and the Deployment's ready counts, so no change may rewrite more than those four.
    let before = w.api.resource_version;
    for (i, n) in names.iter().enumerate() {
        w.now = 1000 + i as Millis;
        w.set_ready(n, true);
        w.reconcile();
    }
    let writes = w.api.resource_version - before;
    eprintln!("1000 readiness changes: {writes} API writes");
    let ep = &w.api.endpoints[&("default".to_string(), "big".to_string())];
    assert_eq!(ep.subsets.as_ref().unwrap()[0].addresses.as_ref().unwrap().len(), 1000);
    assert!(writes <= 4 * 1000, "{writes} API writes for 1000 readiness changes");
}

/// Each node takes at most 110 pods; the rest stay Pending with the scheduler's reasons.
#[test]
fn full_nodes_leave_pods_pending() {
    let mut w = World::new();
    w.apply(&[deployment("big", 225, "nginx", "25%", "25%")], false).unwrap();
    let pods: Vec<&Pod> = w.api.pods.values().collect();
    let bound = pods.iter().filter(|p| p.spec.as_ref().unwrap().node_name.is_some()).count();
    assert_eq!((pods.len(), bound), (225, 220));
    let pending = pods.iter().find(|p| p.spec.as_ref().unwrap().node_name.is_none()).unwrap();
    let condition = &pending.status.as_ref().unwrap().conditions.as_ref().unwrap()[0];
    assert_eq!(
        condition.message.as_deref(),
        Some("0/2 nodes are available: 2 Too many pods. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod..")
    );
    w.apply(&[deployment("big", 215, "nginx", "25%", "25%")], false).unwrap();
    w.reconcile();
    // The ReplicaSet deletes unscheduled pods first.
    let live = w.api.pods.values().filter(|p| p.metadata.deletion_timestamp.is_none()).count();
    let unbound = w.api.pods.values().filter(|p| p.spec.as_ref().unwrap().node_name.is_none()).count();
    assert_eq!((live, unbound), (215, 0));
}
