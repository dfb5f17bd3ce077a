//! Validation the API server does on metadata and containers: annotation keys and their total
//! size (`objectmeta.go`, `ValidateAnnotations`), environment variable names (`validateEnv`,
//! `IsRelaxedEnvVarName` in `k8s.io/apimachinery/pkg/util/validation/validation.go`), and images
//! the API server admits but the kubelet cannot parse (docs/world-semantics.md, "Waiting reasons").

use expect_test::expect;

use super::{check, pod_with};

fn pod_annotated(annotations: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n{annotations}spec:\n  containers:\n  - name: c\n    image: busybox\n"
    )
}

/// Annotation keys are qualified names checked in lower case, so `Example.com/Note` passes where a
/// label key would too, and `a b` does not.
#[test]
fn annotation_keys() {
    check(&pod_annotated("    Example.com/Note: x\n    kubernetes.io/change-cause: why\n"), expect![[""]]);
    check(
        &pod_annotated("    a b: x\n    /x: z\n"),
        expect![[r#"
            6:10: metadata.annotations: Invalid value: "a b": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')
            7:9: metadata.annotations: Invalid value: "/x": prefix part must be non-empty
        "#]],
    );
}

/// All annotations together may hold 262144 bytes of keys and values; one byte more is refused
/// with the message real clusters print for oversized annotations.
#[test]
fn annotation_size() {
    let fits = format!("    big: {}\n", "x".repeat(256 * 1024 - 3));
    check(&pod_annotated(&fits), expect![[""]]);
    let over = format!("    big: {}\n", "x".repeat(256 * 1024 - 2));
    check(
        &pod_annotated(&over),
        expect![[r#"
            5:3: metadata.annotations: Too long: may not be more than 262144 bytes
        "#]],
    );
}

/// From 1.34 any printable ASCII character but `=` may name an environment variable.
#[test]
fn environment_variable_names() {
    check(
        &pod_with(
            "    env:\n    - name: 1st.var-name\n      value: a\n    - name: 'with space'\n      value: b\n",
        ),
        expect![[""]],
    );
    check(
        &pod_with("    env:\n    - name: A=B\n      value: a\n    - name: \"caf\u{e9}\"\n      value: b\n    - name: ''\n      value: c\n"),
        expect![[r#"
            10:13: spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than '='
            12:13: spec.containers[0].env[1].name: Invalid value: "café": a valid environment variable name must consist only of printable ASCII characters other than '='
            14:7: spec.containers[0].env[2].name: Required value
        "#]],
    );
}

/// `image: NGINX` is admitted by the API server and refused by the kubelet; the file loads with a
/// warning that quotes the kubelet's parse error.
#[test]
fn images_the_kubelet_cannot_parse() {
    check(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: NGINX\n",
        expect![[r#"
            warning: 8:5: spec.containers[0].image: the kubelet cannot parse this image: couldn't parse image name "NGINX": invalid reference format: repository name (library/NGINX) must be lowercase; the container will wait with reason InvalidImageName
        "#]],
    );
}

/// An owner reference to an owner the file does not define: the garbage collector deletes the
/// object, which the file reports and exposes to the engine; an owner in the file is fine.
#[test]
fn owner_references() {
    let owned = |owner: &str| {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  ownerReferences:\n  - apiVersion: apps/v1\n    kind: ReplicaSet\n    name: {owner}\n    uid: 0b6a1f3c-7d2e-4a8b-9c1d-2e3f4a5b6c7d\nspec:\n  containers:\n  - name: c\n    image: busybox\n---\napiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: rs\nspec:\n  selector: {{matchLabels: {{app: a}}}}\n  template:\n    metadata: {{labels: {{app: a}}}}\n    spec:\n      containers: [{{name: c, image: busybox}}]\n"
        )
    };
    check(
        &owned("gone"),
        expect![[r#"
            warning: 6:5: metadata.ownerReferences[0]: the owner ReplicaSet gone is not in this file: the garbage collector will delete this object once it is created
        "#]],
    );
    let file = super::parse(&owned("gone")).unwrap();
    assert_eq!(
        file.orphans,
        [crate::manifest::Orphan {
            object: 0,
            owner_kind: "ReplicaSet".to_string(),
            owner_name: "gone".to_string(),
            line: 6,
            column: 5
        }]
    );
    check(&owned("rs"), expect![[""]]);
    assert!(super::parse(&owned("rs")).unwrap().orphans.is_empty());
}

/// `kubectl get pod web -o yaml` output, with the fields the cluster fills in (uid, resourceVersion,
/// creationTimestamp, managedFields, status), loads as the pod it describes.
#[test]
fn exported_objects_load() {
    let exported = "apiVersion: v1\nkind: Pod\nmetadata:\n  creationTimestamp: \"2024-05-01T10:00:00Z\"\n  labels:\n    app: web\n  name: web\n  namespace: default\n  resourceVersion: \"12345\"\n  uid: 0b6a1f3c-7d2e-4a8b-9c1d-2e3f4a5b6c7d\n  managedFields:\n  - apiVersion: v1\n    fieldsType: FieldsV1\n    fieldsV1:\n      f:metadata:\n        f:labels:\n          .: {}\n          f:app: {}\n    manager: kubectl-run\n    operation: Update\n    time: \"2024-05-01T10:00:00Z\"\nspec:\n  containers:\n  - image: nginx:1.27\n    imagePullPolicy: IfNotPresent\n    name: web\n    terminationMessagePath: /dev/termination-log\n    terminationMessagePolicy: File\n  dnsPolicy: ClusterFirst\n  enableServiceLinks: true\n  nodeName: k8s-worker1\n  restartPolicy: Always\n  schedulerName: default-scheduler\n  terminationGracePeriodSeconds: 30\nstatus:\n  conditions:\n  - lastProbeTime: null\n    lastTransitionTime: \"2024-05-01T10:00:05Z\"\n    status: \"True\"\n    type: Ready\n  containerStatuses:\n  - containerID: containerd://abc\n    image: docker.io/library/nginx:1.27\n    imageID: docker.io/library/nginx@sha256:0000000000000000000000000000000000000000000000000000000000000000\n    lastState: {}\n    name: web\n    ready: true\n    restartCount: 0\n    started: true\n    state:\n      running:\n        startedAt: \"2024-05-01T10:00:04Z\"\n  hostIP: 10.0.0.2\n  phase: Running\n  podIP: 10.244.1.5\n  podIPs:\n  - ip: 10.244.1.5\n  qosClass: BestEffort\n  startTime: \"2024-05-01T10:00:00Z\"\n";
    let file = super::parse(exported).unwrap();
    assert_eq!(file.objects.len(), 1);
    let errors: Vec<_> =
        file.warnings.iter().filter(|w| w.severity == crate::manifest::Severity::Error).collect();
    assert!(errors.is_empty(), "{errors:?}");
}

/// `kubectl get pods -o yaml` prints a `kind: List`; kubectl applies each of its items, and errors
/// are reported per item with paths relative to it, located in the file.
#[test]
fn lists_are_read_as_their_items() {
    let list = "apiVersion: v1\nkind: List\nmetadata:\n  resourceVersion: \"\"\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: a\n  spec:\n    containers:\n    - name: c\n      image: busybox\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: b\n  spec:\n    containers:\n    - name: c\n      image: busybox\n";
    let file = super::parse(list).unwrap();
    let names: Vec<_> =
        file.objects.iter().map(|(o, line)| (o.identity().1.name.clone().unwrap(), *line)).collect();
    assert_eq!(names, [("a".to_string(), 6), ("b".to_string(), 14)]);
    check(
        &list.replace(
            "      image: busybox\n- apiVersion",
            "      imagePullPolicy: Sometimes\n      image: busybox\n- apiVersion",
        ),
        expect![[r#"
            13:24: spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"
        "#]],
    );
}
