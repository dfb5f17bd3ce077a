//! Data-driven tests of the whole parser: each case is a file and the diagnostics it must produce,
//! as `LINE:COL: PATH: message` lines (warnings prefixed with `warning:`).

use expect_test::{expect, Expect};

use super::*;

fn render(text: &str) -> String {
    let diagnostics = match parse(text) {
        Ok(file) => file.warnings,
        Err(diagnostics) => diagnostics,
    };
    let mut out = String::new();
    for d in diagnostics {
        if d.severity == Severity::Warning {
            out.push_str("warning: ");
        }
        out.push_str(&d.to_string());
        out.push('\n');
    }
    out
}

fn check(text: &str, expected: Expect) {
    expected.assert_eq(&render(text));
}

#[test]
fn seed_liveness_exec_is_accepted() {
    check(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    test: liveness\n  name: liveness-exec \nspec:\n  containers:\n  - name: liveness\n    args:\n    - /bin/sh\n    - -c\n    - touch /tmp/healthy; sleep 30; rm -rf /tmp/healthy; sleep 600\n    image: busybox\n    livenessProbe:\n      exec:\n        command:\n        - cat\n        - /tmp/healthy\n      initialDelaySeconds: 5\n      periodSeconds: 5\n",
        expect![[""]],
    );
}

/// A pod with one container and the given extra lines inside the container (indented by four).
fn pod_with(container_extra: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: busybox\n{container_extra}"
    )
}

#[test]
fn probe_validation() {
    check(
        &pod_with("    livenessProbe:\n      initialDelaySecond: 5\n      exec:\n        command: [cat, /tmp/healthy]\n"),
        expect![[r#"
            10:7: spec.containers[0].livenessProbe.initialDelaySecond: unknown field "spec.containers[0].livenessProbe.initialDelaySecond"
        "#]],
    );
    check(
        &pod_with("    livenessProbe:\n      periodSeconds: 5\n"),
        expect![[r#"
        9:5: spec.containers[0].livenessProbe: Required value: must specify a handler type
    "#]],
    );
    check(
        &pod_with("    readinessProbe:\n      exec:\n        command: [cat]\n      tcpSocket:\n        port: 80\n      grpc:\n        port: 9000\n"),
        expect![[r#"
            12:7: spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type
            14:7: spec.containers[0].readinessProbe.grpc: Forbidden: may not specify more than 1 handler type
        "#]],
    );
    check(
        &pod_with("    startupProbe:\n      successThreshold: 2\n      exec:\n        command: []\n    livenessProbe:\n      successThreshold: 3\n      httpGet:\n        port: 70000\n        scheme: FTP\n    readinessProbe:\n      successThreshold: 3\n      terminationGracePeriodSeconds: 5\n      tcpSocket:\n        port: Http--\n"),
        expect![[r#"
            10:25: spec.containers[0].startupProbe.successThreshold: Invalid value: 2: must be 1
            12:9: spec.containers[0].startupProbe.exec.command: Required value
            14:25: spec.containers[0].livenessProbe.successThreshold: Invalid value: 3: must be 1
            16:15: spec.containers[0].livenessProbe.httpGet.port: Invalid value: 70000: must be between 1 and 65535, inclusive
            17:17: spec.containers[0].livenessProbe.httpGet.scheme: Unsupported value: "FTP": supported values: "HTTP", "HTTPS"
            20:38: spec.containers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: 5: must not be set for readinessProbes
            22:15: spec.containers[0].readinessProbe.tcpSocket.port: Invalid value: "Http--": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)
            22:15: spec.containers[0].readinessProbe.tcpSocket.port: Invalid value: "Http--": must not contain consecutive hyphens
            22:15: spec.containers[0].readinessProbe.tcpSocket.port: Invalid value: "Http--": must not begin or end with a hyphen
        "#]],
    );
    check(
        &pod_with("    livenessProbe:\n      timeoutSeconds: -1\n      periodSeconds: 0\n      terminationGracePeriodSeconds: 0\n      grpc:\n        port: 0\n"),
        expect![[r#"
            10:23: spec.containers[0].livenessProbe.timeoutSeconds: Invalid value: -1: must be greater than or equal to 0
            12:38: spec.containers[0].livenessProbe.terminationGracePeriodSeconds: Invalid value: 0: must be greater than 0
            14:15: spec.containers[0].livenessProbe.grpc.port: Invalid value: 0: must be between 1 and 65535, inclusive
        "#]],
    );
    check(
        &pod_with("    livenessProbe:\n      periodSeconds: often\n      exec:\n        command: [cat, /tmp/healthy]\n"),
        expect![[r#"
            10:22: spec.containers[0].livenessProbe.periodSeconds: cannot unmarshal string into Go value of type int32
        "#]],
    );
}

#[test]
fn pod_validation() {
    check(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: Bad_Name\nspec:\n  restartPolicy: Sometimes\n  containers:\n  - name: c\n    image: busybox\n    restartPolicy: Always\n    ports:\n    - containerPort: 0\n      name: http\n    - containerPort: 8080\n      name: http\n      protocol: tcp\n  - name: c\n  - image: x\n",
        expect![[r#"
            4:9: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')
            6:18: spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "Never", "OnFailure"
            10:5: spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers
            12:7: spec.containers[0].ports[0].containerPort: Required value
            15:13: spec.containers[0].ports[1].name: Duplicate value: "http"
            16:17: spec.containers[0].ports[1].protocol: Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"
            17:5: spec.containers[1].image: Required value
            17:11: spec.containers[1].name: Duplicate value: "c"
            18:5: spec.containers[2].name: Required value
        "#]],
    );
    check(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  namespace: Dev\nspec:\n  containers: []\n",
        expect![[r#"
        3:1: metadata.name: Required value: name or generateName is required
        4:14: metadata.namespace: Invalid value: "Dev": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')
        6:3: spec.containers: Required value
    "#]],
    );
    check(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    app: my app\nspec:\n  initContainers:\n  - name: init\n    image: busybox\n    livenessProbe:\n      exec: {command: [cat, /tmp/healthy]}\n    lifecycle:\n      postStart:\n        exec: {command: [cat, /tmp/healthy]}\n  - name: sidecar\n    image: busybox\n    restartPolicy: Always\n    readinessProbe:\n      exec: {command: [cat, /tmp/healthy]}\n  - name: odd\n    image: busybox\n    restartPolicy: Never\n  containers:\n  - name: c\n    image: busybox\n    lifecycle:\n      preStop: {}\n",
        expect![[r#"
            6:10: metadata.labels: Invalid value: "my app": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')
            11:5: spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always
            13:5: spec.initContainers[0].lifecycle: Forbidden: may not be set for init containers without restartPolicy=Always
            23:20: spec.initContainers[2].restartPolicy: Unsupported value: "Never": supported values: "Always"
            28:7: spec.containers[0].lifecycle.preStop: Required value: must specify a handler type
        "#]],
    );
}

#[test]
fn workload_validation() {
    check(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: -1\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: x\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: web\n        image: nginx\n",
        expect![[r#"
            6:13: spec.replicas: Invalid value: -1: must be greater than or equal to 0
            13:9: spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`
            15:22: spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"
        "#]],
    );
    check(
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  selector: {}\n  template:\n    metadata:\n      labels: {app: db}\n    spec:\n      containers:\n      - name: db\n        image: redis\n",
        expect![[r#"
            6:13: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for statefulset
        "#]],
    );
    check(
        "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  template:\n    spec:\n      containers:\n      - name: a\n        image: busybox\n",
        expect![[r#"
            5:1: spec.selector: Required value
            6:3: spec.template.metadata.labels: Invalid value: map[string]string{}: `selector` does not match template `labels`
        "#]],
    );
    check(
        "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: rs\nspec:\n  selector:\n    matchExpressions:\n    - {key: app, operator: Maybe}\n    - {key: tier, operator: In}\n  template:\n    metadata:\n      labels: {app: rs}\n    spec:\n      containers:\n      - {name: a, image: busybox}\n",
        expect![[r#"
            8:28: spec.selector.matchExpressions[0].operator: Invalid value: "Maybe": not a valid selector operator
            9:7: spec.selector.matchExpressions[1].values: Required value: must be specified when `operator` is 'In' or 'NotIn'
        "#]],
    );
    check(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  strategy:\n    type: RollingUpdate\n    rollingUpdate: {maxSurge: 0, maxUnavailable: 0}\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - {name: web, image: nginx}\n",
        expect![[r#"
            8:50: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0
        "#]],
    );
}

#[test]
fn service_validation() {
    check(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: 1svc\nspec:\n  type: Internal\n  selector: {app: web}\n  ports:\n  - port: 70000\n    targetPort: -http\n  - port: 80\n    protocol: HTTP\n",
        expect![[r#"
            4:9: metadata.name: Invalid value: "1svc": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')
            6:9: spec.type: Unsupported value: "Internal": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"
            9:5: spec.ports[0].name: Required value
            9:11: spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive
            10:17: spec.ports[0].targetPort: Invalid value: "-http": must not begin or end with a hyphen
            11:5: spec.ports[1].name: Required value
            12:15: spec.ports[1].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"
        "#]],
    );
    check(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: svc\nspec:\n  selector: {app: web}\n",
        expect![[r#"
        5:1: spec.ports: Required value
    "#]],
    );
    check(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: svc\nspec:\n  ports:\n  - {name: http, port: 80, nodePort: 30080}\n  - {name: http, port: 81}\n",
        expect![[r#"
            7:28: spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'
            8:12: spec.ports[1].name: Duplicate value: "http"
        "#]],
    );
}

#[test]
fn kinds_and_versions() {
    check(
        "apiVersion: apps/v1\nkind: Pod\nmetadata: {name: a}\n---\napiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: v}\n---\napiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Widget\n---\nkind: Pod\n---\napiVersion: v1\n---\njust a string\n---\napiVersion: v1beta1\nkind: ConfigMap\n",
        expect![[r#"
            1:13: apiVersion: no matches for kind "Pod" in version "apps/v1"
            5:13: apiVersion: no matches for kind "Deployment" in version "extensions/v1beta1"
            warning: 15:1: kind: ServiceMonitor objects are accepted but not simulated
            18:13: apiVersion: no matches for kind "Widget" in version "v1"
            21:1: apiVersion: Required value: apiVersion not set
            23:1: kind: Required value: kind not set
            25:1: a document must be a Kubernetes object (a mapping with apiVersion and kind)
            27:13: apiVersion: no matches for kind "ConfigMap" in version "v1beta1"
        "#]],
    );
}

#[test]
fn duplicates_in_one_file() {
    check(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers: [{name: c, image: busybox}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: default}\nspec:\n  containers: [{name: c, image: busybox}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: other}\nspec:\n  containers: [{name: c, image: busybox}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec:\n  ports: [{port: 80}]\n",
        expect![[r#"
            9:18: metadata.name: Duplicate value: "a": Pod default/a is already defined on line 1
        "#]],
    );
    check(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\n",
        expect![[r#"
        5:3: metadata.name: duplicate field "metadata.name"
    "#]],
    );
}

#[test]
fn scenario_document() {
    let file = parse(
        "apiVersion: playground/v1\nkind: Scenario\nmetadata:\n  name: readiness-httpd\n  title: A title\n  description: Words.\nspec:\n  kubernetesVersion: \"1.35\"\n  nodes: [n1]\n  seed: 7\n  steps:\n  - at: 60s\n    run: kubectl get pods\n  - at: 90\n    run: kubectl get svc\n",
    )
    .unwrap();
    expect![[r#"
        ScenarioSpec {
            name: "readiness-httpd",
            title: "A title",
            description: "Words.",
            kubernetes_version: V1_35,
            nodes: [
                "n1",
            ],
            seed: 7,
            steps: [
                Step {
                    at: 60000,
                    run: "kubectl get pods",
                    line: 12,
                },
                Step {
                    at: 90000,
                    run: "kubectl get svc",
                    line: 14,
                },
            ],
        }
    "#]]
    .assert_debug_eq(&file.scenario);
    check(
        "apiVersion: playground/v1\nkind: Scenario\nspec:\n  seed: -1\n",
        expect![[r#"
            4:9: spec.seed: cannot unmarshal number -1 into Go value of type uint64
        "#]],
    );
    check(
        "apiVersion: playground/v1\nkind: Scenario\nmetadata:\n  name: Not A Slug\nspec:\n  kubernetesVersion: 1.33\n  nodes: [Node_1, n2, n2]\n",
        expect![[r#"
            4:9: metadata.name: Invalid value: "Not A Slug": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')
            6:22: spec.kubernetesVersion: Unsupported value: "1.33": supported values: "1.34", "1.35"
            7:11: spec.nodes[0]: Invalid value: "Node_1": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')
            7:23: spec.nodes[2]: Duplicate value: "n2"
        "#]],
    );
    check(
        "apiVersion: playground/v1\nkind: Scenario\nspec:\n  kubernetesVersion: 1.34\n  steps:\n  - at: 2m\n    run: a\n  - at: 1m\n    run: b\n  - at: -5s\n    run: c\n  - at: 100000000h\n    run: d\n  - at: soon\n    run: ''\n  - run: e\n  - at: [1]\n    run: f\n    extra: 1\n---\napiVersion: playground/v1\nkind: Scenario\n",
        expect![[r#"
            8:9: spec.steps[1].at: Invalid value: "1m": steps must be in time order: this step is earlier than the one before it
            10:9: spec.steps[2].at: Invalid value: "-5s": invalid duration "-5s": must not be negative
            12:9: spec.steps[3].at: Invalid value: "100000000h": invalid duration "100000000h": too large
            14:9: spec.steps[4].at: Invalid value: "soon": invalid duration "soon": expected seconds or a duration like 90s, 1m30s or 1h
            15:5: spec.steps[4].run: Required value
            16:5: spec.steps[5].at: Required value: a duration like 90s, 1m30s or 1h
            17:5: spec.steps[6].at: Required value: a duration like 90s, 1m30s or 1h
            19:5: spec.steps[6].extra: unknown field "spec.steps[6].extra"
            22:7: kind: Duplicate value: "Scenario": a file may hold at most one Scenario document
        "#]],
    );
    check(
        "apiVersion: v1\nkind: Scenario\n",
        expect![[r#"
        1:13: apiVersion: no matches for kind "Scenario" in version "v1"
    "#]],
    );
}

#[test]
fn yaml_syntax_and_hostile_input() {
    check(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: [a\n",
        expect![[r#"
        4:1: did not find expected ',' or ']'
    "#]],
    );
    check(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"a\0b\"\n",
        expect![[r#"
        4:9: control characters are not allowed
    "#]],
    );
    check(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\0\n",
        expect![[r#"
        4:10: control characters are not allowed
    "#]],
    );
    check(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  terminationGracePeriodSeconds: 99999999999999999999\n  containers: []\n",
        expect![[r#"
            6:34: spec.terminationGracePeriodSeconds: cannot unmarshal number 99999999999999999999 into Go value of type int64
        "#]],
    );
    check(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  activeDeadlineSeconds: 1e400\n  containers: [{name: c, image: busybox}]\n",
        expect![[r#"
            6:26: spec.activeDeadlineSeconds: cannot unmarshal string into Go value of type int64
        "#]],
    );
    check(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"日本語\u{202e}🙂\"\n",
        expect![[r#"
        1:1: spec.containers: Required value
        4:9: metadata.name: Invalid value: "日本語\u202e🙂": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')
    "#]],
    );
    let deep = format!("apiVersion: v1\nkind: Pod\nmetadata: {}{}\n", "[".repeat(5000), "]".repeat(5000));
    check(
        &deep,
        expect![[r#"
        3:266: recursion limit exceeded
    "#]],
    );
    let mut block = String::from("apiVersion: v1\nkind: Pod\nmetadata:\n");
    for i in 1..200 {
        block.push_str(&"  ".repeat(i));
        block.push_str("a:\n");
    }
    check(
        &block,
        expect![[r#"
        67:129: metadata.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a: nesting is deeper than 64 levels
    "#]],
    );
    let mut bomb = String::from("apiVersion: v1\nkind: Pod\nmetadata:\n  labels: &a0 {a: b}\n");
    for i in 1..12 {
        bomb.push_str(&format!(
            "  x{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n",
            p = i - 1
        ));
    }
    check(
        &bomb,
        expect![[r#"
        10:12: metadata.x6: aliases expand to more than 100000 nodes
    "#]],
    );
    let huge = "#".repeat(MAX_FILE_BYTES + 1);
    check(
        &huge,
        expect![[r#"
        1:1: the file is 16777217 bytes long; at most 16 MiB are accepted
    "#]],
    );
    check("", expect![[""]]);
    check("---\n---\n# only comments\n...\n", expect![[""]]);
    check(
        "- a\n- b\n",
        expect![[r#"
        1:1: a document must be a Kubernetes object (a mapping with apiVersion and kind)
    "#]],
    );
    check("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: busybox}]}\n*x : d\n", expect![[r#"
        5:1: unknown anchor
    "#]]);
    check("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: busybox}]}\n? [a, b]\n: c\n", expect![[r#"
        1:1: cannot unmarshal array into Go value of type object
    "#]]);
}

/// The seed article's exec-liveness pod gets the API server's defaults, as `kubectl get -o yaml`
/// would show them.
#[test]
fn defaults_are_applied() {
    let file = parse(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: liveness-exec\nspec:\n  containers:\n  - name: liveness\n    image: busybox\n    ports: [{containerPort: 80}]\n    livenessProbe:\n      exec:\n        command: [cat, /tmp/healthy]\n      initialDelaySeconds: 5\n      periodSeconds: 5\n    readinessProbe:\n      httpGet: {port: 80}\n      timeoutSeconds: 0\n    startupProbe:\n      grpc: {port: 9000}\n",
    )
    .unwrap();
    let Object::Pod(pod) = &file.objects[0].0 else { panic!("not a pod") };
    let mut json = serde_json::to_value(pod).unwrap();
    json["spec"]["containers"][0]["args"] = serde_json::Value::Null;
    expect![[r#"
        {
          "apiVersion": "v1",
          "kind": "Pod",
          "metadata": {
            "name": "liveness-exec",
            "namespace": "default"
          },
          "spec": {
            "containers": [
              {
                "args": null,
                "image": "busybox",
                "imagePullPolicy": "Always",
                "livenessProbe": {
                  "exec": {
                    "command": [
                      "cat",
                      "/tmp/healthy"
                    ]
                  },
                  "failureThreshold": 3,
                  "initialDelaySeconds": 5,
                  "periodSeconds": 5,
                  "successThreshold": 1,
                  "timeoutSeconds": 1
                },
                "name": "liveness",
                "ports": [
                  {
                    "containerPort": 80,
                    "protocol": "TCP"
                  }
                ],
                "readinessProbe": {
                  "failureThreshold": 3,
                  "httpGet": {
                    "path": "/",
                    "port": 80,
                    "scheme": "HTTP"
                  },
                  "periodSeconds": 10,
                  "successThreshold": 1,
                  "timeoutSeconds": 1
                },
                "startupProbe": {
                  "failureThreshold": 3,
                  "grpc": {
                    "port": 9000,
                    "service": ""
                  },
                  "periodSeconds": 10,
                  "successThreshold": 1,
                  "timeoutSeconds": 1
                },
                "terminationMessagePath": "/dev/termination-log",
                "terminationMessagePolicy": "File"
              }
            ],
            "dnsPolicy": "ClusterFirst",
            "enableServiceLinks": true,
            "restartPolicy": "Always",
            "schedulerName": "default-scheduler",
            "securityContext": {},
            "terminationGracePeriodSeconds": 30
          }
        }"#]]
    .assert_eq(&serde_json::to_string_pretty(&json).unwrap());
    assert_eq!(file.objects[0].1, 1);
}

#[test]
fn workload_and_service_defaults() {
    let file = parse(
        "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80, name: http}, {port: 443, targetPort: https, name: https}]\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: 'nginx:1.27', ports: [{containerPort: 80, name: http}]}]\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  selector: {matchLabels: {app: db}}\n  serviceName: db\n  template:\n    metadata: {labels: {app: db}}\n    spec:\n      containers: [{name: db, image: redis}]\n---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec:\n  selector: {matchLabels: {app: agent}}\n  template:\n    metadata: {labels: {app: agent}}\n    spec:\n      containers: [{name: agent, image: busybox}]\n",
    )
    .unwrap();
    let summary: Vec<String> = file
        .objects
        .iter()
        .map(|(o, line)| {
            let json = match o {
                Object::Service(s) => serde_json::to_string(&s.spec).unwrap(),
                Object::Deployment(d) => {
                    let mut spec = serde_json::to_value(&d.spec).unwrap();
                    spec["template"]["spec"] = serde_json::Value::Null;
                    spec.to_string()
                }
                Object::StatefulSet(s) => {
                    let mut spec = serde_json::to_value(&s.spec).unwrap();
                    spec["template"] = serde_json::Value::Null;
                    spec.to_string()
                }
                Object::DaemonSet(d) => {
                    let mut spec = serde_json::to_value(&d.spec).unwrap();
                    spec["template"] = serde_json::Value::Null;
                    spec.to_string()
                }
                other => format!("{other:?}"),
            };
            format!("line {line}: {json}")
        })
        .collect();
    expect![[r#"
        [
            "line 1: {\"internalTrafficPolicy\":\"Cluster\",\"ports\":[{\"name\":\"http\",\"port\":80,\"protocol\":\"TCP\",\"targetPort\":80},{\"name\":\"https\",\"port\":443,\"protocol\":\"TCP\",\"targetPort\":\"https\"}],\"selector\":{\"app\":\"web\"},\"sessionAffinity\":\"None\",\"type\":\"ClusterIP\"}",
            "line 8: {\"progressDeadlineSeconds\":600,\"replicas\":1,\"revisionHistoryLimit\":10,\"selector\":{\"matchLabels\":{\"app\":\"web\"}},\"strategy\":{\"rollingUpdate\":{\"maxSurge\":\"25%\",\"maxUnavailable\":\"25%\"},\"type\":\"RollingUpdate\"},\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\"}},\"spec\":null}}",
            "line 18: {\"persistentVolumeClaimRetentionPolicy\":{\"whenDeleted\":\"Retain\",\"whenScaled\":\"Retain\"},\"podManagementPolicy\":\"OrderedReady\",\"replicas\":1,\"revisionHistoryLimit\":10,\"selector\":{\"matchLabels\":{\"app\":\"db\"}},\"serviceName\":\"db\",\"template\":null,\"updateStrategy\":{\"rollingUpdate\":{\"partition\":0},\"type\":\"RollingUpdate\"}}",
            "line 29: {\"revisionHistoryLimit\":10,\"selector\":{\"matchLabels\":{\"app\":\"agent\"}},\"template\":null,\"updateStrategy\":{\"rollingUpdate\":{\"maxSurge\":0,\"maxUnavailable\":1},\"type\":\"RollingUpdate\"}}",
        ]
    "#]].assert_debug_eq(&summary);
}

/// A manifest as found in real projects, full of fields the simulation does not model, is accepted
/// with one warning per kind of field and document.
#[test]
fn real_world_manifest_is_accepted() {
    let text = r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: shop-config
  namespace: shop
data:
  LOG_LEVEL: info
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop-api
  namespace: shop
  labels:
    app.kubernetes.io/name: shop-api
    app.kubernetes.io/part-of: shop
  annotations:
    deployment.kubernetes.io/revision: "3"
spec:
  replicas: 3
  revisionHistoryLimit: 5
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 0
  selector:
    matchLabels:
      app.kubernetes.io/name: shop-api
  template:
    metadata:
      labels:
        app.kubernetes.io/name: shop-api
        app.kubernetes.io/part-of: shop
      annotations:
        prometheus.io/scrape: "true"
    spec:
      serviceAccountName: shop-api
      securityContext:
        runAsNonRoot: true
        fsGroup: 2000
      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
          - weight: 100
            podAffinityTerm:
              topologyKey: kubernetes.io/hostname
              labelSelector:
                matchLabels:
                  app.kubernetes.io/name: shop-api
      tolerations:
      - key: dedicated
        operator: Equal
        value: shop
        effect: NoSchedule
      initContainers:
      - name: migrate
        image: registry.example.com/shop/api:1.4.2
        command: ["/app/migrate", "--wait"]
        envFrom:
        - configMapRef:
            name: shop-config
      containers:
      - name: api
        image: registry.example.com/shop/api:1.4.2
        imagePullPolicy: IfNotPresent
        args: ["--port=8080"]
        ports:
        - name: http
          containerPort: 8080
        - name: metrics
          containerPort: 9090
        env:
        - name: POD_NAME
          valueFrom:
            fieldRef:
              fieldPath: metadata.name
        - name: DB_PASSWORD
          valueFrom:
            secretKeyRef:
              name: shop-db
              key: password
        - name: MODE
          value: production
        resources:
          requests:
            cpu: 250m
            memory: 256Mi
          limits:
            cpu: 1
            memory: 512Mi
        readinessProbe:
          httpGet:
            path: /ready
            port: http
          periodSeconds: 5
        livenessProbe:
          httpGet:
            path: /healthz
            port: http
            httpHeaders:
            - name: X-Probe
              value: liveness
          initialDelaySeconds: 15
          failureThreshold: 5
        startupProbe:
          tcpSocket:
            port: 8080
          failureThreshold: 30
          periodSeconds: 2
        lifecycle:
          preStop:
            sleep:
              seconds: 5
        securityContext:
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: true
          capabilities:
            drop: ["ALL"]
        volumeMounts:
        - name: tmp
          mountPath: /tmp
        - name: config
          mountPath: /etc/shop
          readOnly: true
      volumes:
      - name: tmp
        emptyDir:
          sizeLimit: 64Mi
      - name: config
        configMap:
          name: shop-config
---
apiVersion: v1
kind: Service
metadata:
  name: shop-api
  namespace: shop
spec:
  selector:
    app.kubernetes.io/name: shop-api
  ports:
  - name: http
    port: 80
    targetPort: http
  - name: metrics
    port: 9090
    targetPort: metrics
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: shop
spec:
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: shop-api
            port:
              name: http
"#;
    check(
        text,
        expect![[r#"
            warning: 38:7: spec.template.spec.serviceAccountName: accepted but not simulated
            warning: 39:7: spec.template.spec.securityContext: accepted but not simulated
            warning: 42:7: spec.template.spec.affinity: accepted but not simulated
            warning: 75:11: spec.template.spec.containers[0].env[0].valueFrom: accepted but not simulated
            warning: 151:1: kind: Ingress objects are accepted but not simulated
        "#]],
    );
    let file = parse(text).unwrap();
    assert_eq!(file.objects.len(), 3);
}

/// Fuzz-like robustness: every prefix of a valid file and many single-byte corruptions of it parse
/// without panicking.
#[test]
fn corrupted_files_never_panic() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: {app: web}\nspec:\n  containers:\n  - name: c\n    image: busybox\n    livenessProbe:\n      httpGet: {path: /, port: 80}\n      periodSeconds: 5\n---\napiVersion: playground/v1\nkind: Scenario\nspec:\n  steps:\n  - {at: 10s, run: kubectl get pods}\n";
    for end in 0..=text.len() {
        if text.is_char_boundary(end) {
            let _ = parse(&text[..end]);
        }
    }
    let replacements =
        [b'\n', b' ', b'-', b':', b'[', b'{', b'&', b'*', b'!', b'|', b'"', b'0', b'#', b'?', b'%'];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..3000 {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let at = (state >> 33) as usize % text.len();
        let with = replacements[(state >> 13) as usize % replacements.len()];
        let mut bytes = text.as_bytes().to_vec();
        bytes[at] = with;
        if let Ok(mutated) = std::str::from_utf8(&bytes) {
            let _ = parse(mutated);
        }
    }
}

/// A file of `n` pods, each with probes, ports and resources, as a large classroom scenario has.
fn many_pods(n: usize) -> String {
    let mut text = String::new();
    for i in 0..n {
        text.push_str(&format!(
            "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web-{i}\n  labels: {{app: web, index: \"{i}\"}}\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n    ports:\n    - {{name: http, containerPort: 80}}\n    resources:\n      requests: {{cpu: 100m, memory: 64Mi}}\n    readinessProbe:\n      httpGet: {{path: /, port: http}}\n      periodSeconds: 5\n    livenessProbe:\n      tcpSocket: {{port: 80}}\n      initialDelaySeconds: 10\n"
        ));
    }
    text
}

#[test]
fn many_pods_parse() {
    let file = parse(&many_pods(50)).unwrap();
    assert_eq!(file.objects.len(), 50);
    // Probes, ports and resources are all simulated: no warning.
    assert_eq!(file.warnings.len(), 0);
}

mod api_validation;
mod kubectl_yaml;
