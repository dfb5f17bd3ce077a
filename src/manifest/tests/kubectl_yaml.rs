//! Scenario files read as `kubectl` reads manifests: YAML 1.1 scalars by go-yaml v2's rules, turned
//! into JSON and decoded by the API server into Go types (docs/world-semantics.md, "YAML and
//! decoding"). Expected outputs follow that document: what becomes a JSON boolean or number where
//! the field is a Go string is refused with Go's `cannot unmarshal` error.

use expect_test::expect;

use super::{check, parse, pod_with};
use crate::manifest::Object;

/// The pod's first container's environment, volumes and whatever else a case reads back.
fn pod(text: &str) -> k8s_openapi::api::core::v1::Pod {
    match parse(text) {
        Ok(file) => match &file.objects[0].0 {
            Object::Pod(pod) => pod.clone(),
            other => panic!("not a pod: {other:?}"),
        },
        Err(diagnostics) => panic!("refused: {diagnostics:?}"),
    }
}

/// `value: yes` is a boolean to YAML 1.1, so the API server refuses it for an environment
/// variable's string value; quoted, it is text. `on`, `off`, `y` and `n` are booleans too, while
/// `yEs` is not one of go-yaml's spellings and stays text.
#[test]
fn yaml_1_1_booleans_are_not_text() {
    check(
        &pod_with("    env:\n    - name: A\n      value: yes\n    - name: B\n      value: \"yes\"\n"),
        expect![[r#"
            11:14: spec.containers[0].env[0].value: cannot unmarshal bool into Go value of type string
        "#]],
    );
    check(
        &pod_with("    env:\n    - name: A\n      value: off\n"),
        expect![[r#"
            11:14: spec.containers[0].env[0].value: cannot unmarshal bool into Go value of type string
        "#]],
    );
    check(
        &pod_with("    env:\n    - name: A\n      value: 8080\n"),
        expect![[r#"
            11:14: spec.containers[0].env[0].value: cannot unmarshal number into Go value of type string
        "#]],
    );
    let env =
        pod(&pod_with("    env:\n    - name: A\n      value: yEs\n    - name: B\n      value: '0755'\n"))
            .spec
            .unwrap()
            .containers[0]
            .env
            .clone()
            .unwrap();
    let values: Vec<_> = env.iter().map(|e| e.value.clone().unwrap_or_default()).collect();
    assert_eq!(values, ["yEs", "0755"]);
    // A boolean field takes YAML 1.1's spellings.
    let spec = pod(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostNetwork: on\n  containers:\n  - name: c\n    image: busybox\n",
    )
    .spec
    .unwrap();
    assert_eq!(spec.host_network, Some(true));
}

/// `name: 123` and `image: yes` reach the API server as a number and a boolean, which the Go
/// string fields refuse.
#[test]
fn numbers_and_booleans_are_refused_for_names_and_images() {
    check(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: 123\nspec:\n  containers:\n  - name: c\n    image: busybox\n",
        expect![[r#"
            4:9: metadata.name: cannot unmarshal number into Go value of type string
        "#]],
    );
    check(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: yes\n",
        expect![[r#"
            8:12: spec.containers[0].image: cannot unmarshal bool into Go value of type string
        "#]],
    );
    check(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    version: 1.5\nspec:\n  containers:\n  - name: c\n    image: busybox\n",
        expect![[r#"
            6:14: metadata.labels.version: cannot unmarshal number into Go value of type string
        "#]],
    );
}

/// A leading `0` makes an integer octal, as Go's `strconv.ParseInt` with base 0 reads it:
/// `defaultMode: 0644` is 420 and `0755` is 493; `0o644` and `0x1A4` are spelled explicitly.
#[test]
fn octal_modes() {
    let volumes = |modes: &str| -> Vec<Option<i32>> {
        let text = format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: busybox\n  volumes:\n{modes}"
        );
        pod(&text)
            .spec
            .unwrap()
            .volumes
            .unwrap()
            .iter()
            .map(|v| v.config_map.as_ref().and_then(|c| c.default_mode))
            .collect()
    };
    assert_eq!(
        volumes(
            "  - name: a\n    configMap: {name: a, defaultMode: 0644}\n  - name: b\n    configMap: {name: b, defaultMode: 0755}\n  - name: c\n    configMap: {name: c, defaultMode: 0o644}\n  - name: d\n    configMap: {name: d, defaultMode: 0x1A4}\n  - name: e\n    configMap: {name: e, defaultMode: 1_0}\n"
        ),
        [Some(420), Some(493), Some(420), Some(420), Some(10)]
    );
}

/// kubectl strips a UTF-8 byte order mark at the start of a file before reading it
/// (`unicode.BOMOverride` in cli-runtime's `FileVisitor`), so such a file loads as without it.
#[test]
fn byte_order_mark() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: busybox\n";
    assert_eq!(pod(&format!("\u{feff}{text}")), pod(text));
    assert_eq!(pod(&format!("\u{feff}---\n{text}")), pod(text));
}

/// Merge keys are YAML 1.1, and go-yaml v2 applies them: the merged mapping's keys stand where
/// `<<` is written, so a key written after it wins, and of a list of mappings the first wins.
#[test]
fn merge_keys() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - &base\n    name: c\n    image: busybox\n    imagePullPolicy: Never\n  - <<: *base\n    name: d\n  - <<: [{name: e, image: nginx}, *base]\n";
    let containers = pod(text).spec.unwrap().containers;
    let summary: Vec<_> = containers
        .iter()
        .map(|c| format!("{} {} {:?}", c.name, c.image.clone().unwrap_or_default(), c.image_pull_policy))
        .collect();
    assert_eq!(
        summary,
        ["c busybox Some(\"Never\")", "d busybox Some(\"Never\")", "e nginx Some(\"Never\")"]
    );
    check(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - <<: 5\n    name: c\n",
        expect![[r#"
            7:5: spec.containers[0]: spec.containers[0]: map merge requires map or sequence of maps as the value
        "#]],
    );
}

/// `!!binary` data is decoded, and the bytes travel as a JSON string.
#[test]
fn binary_values() {
    let env =
        pod(&pod_with("    env:\n    - name: A\n      value: !!binary aGVsbG8=\n")).spec.unwrap().containers
            [0]
        .env
        .clone()
        .unwrap();
    assert_eq!(env[0].value.as_deref(), Some("hello"));
    check(
        &pod_with("    env:\n    - name: A\n      value: !!binary not*base64\n"),
        expect![[r#"
            11:14: spec.containers[0].env[0].value: spec.containers[0].env[0].value: !!binary value contains invalid base64 data
        "#]],
    );
}
