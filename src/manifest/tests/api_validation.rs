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
