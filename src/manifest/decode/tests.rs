//! The decoder against `serde_yaml`, the stack it replaced, and its wording of errors.

use super::scalar::{resolve, Scalar};
use super::*;
use k8s_openapi::api::core::v1::Pod;

fn check(yaml: &str) -> Vec<String> {
    let docs = super::super::locate::index(yaml).unwrap();
    let (pod, errors) = decode::<Pod>(&docs[0].tree);
    let mut out: Vec<String> = errors.iter().map(|e| format!("{}: {}", e.path, e.message)).collect();
    out.push(format!("decoded: {}", pod.is_some()));
    out
}

#[test]
fn unknown_fields_and_type_errors_are_located() {
    expect_test::expect![[r#"
        [
            "spec.containers[0].livenessProbe.initialDelaySecond: unknown field \"spec.containers[0].livenessProbe.initialDelaySecond\"",
            "spec.extra: unknown field \"spec.extra\"",
            "decoded: true",
        ]
    "#]]
    .assert_debug_eq(&check(
        "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    livenessProbe:\n      initialDelaySecond: 5\n  extra: 1\n",
    ));
    expect_test::expect![[r#"
        [
            "spec.containers[0].livenessProbe.periodSeconds: cannot unmarshal string into Go value of type int32",
            "decoded: false",
        ]
    "#]]
    .assert_debug_eq(&check(
        "spec:\n  containers:\n  - name: a\n    livenessProbe:\n      periodSeconds: often\n",
    ));
    expect_test::expect![[r#"
        [
            "decoded: true",
        ]
    "#]]
    .assert_debug_eq(&check("spec:\n  containers:\n  - image: a\n"));
    expect_test::expect![[r#"
        [
            "spec.containers[0].livenessProbe.timeoutSeconds: cannot unmarshal number 3000000000 into Go value of type int32",
            "decoded: false",
        ]
    "#]]
    .assert_debug_eq(&check("spec:\n  containers:\n  - livenessProbe:\n      timeoutSeconds: 3000000000\n"));
}

/// Reads a document the way the crate read it before it had its own deserializer: through
/// `serde_yaml`, with `serde_ignored` reporting skipped fields and `serde_path_to_error`
/// locating the first error.
fn reference<T: DeserializeOwned + fmt::Debug>(yaml: &str) -> String {
    let Some(document) = serde_yaml::Deserializer::from_str(yaml).next() else { return String::new() };
    let mut unknown = Vec::new();
    let mut on_ignored = |path: serde_ignored::Path| {
        let mut segments = Vec::new();
        let mut current = &path;
        loop {
            match current {
                serde_ignored::Path::Root => break,
                serde_ignored::Path::Seq { parent, index } => {
                    segments.push(format!("[{index}]"));
                    current = parent;
                }
                serde_ignored::Path::Map { parent, key } => {
                    segments.push(format!(".{key}"));
                    current = parent;
                }
                serde_ignored::Path::Some { parent }
                | serde_ignored::Path::NewtypeStruct { parent }
                | serde_ignored::Path::NewtypeVariant { parent } => current = parent,
            }
        }
        let mut rendered: String = segments.iter().rev().map(String::as_str).collect();
        if rendered.starts_with('.') {
            rendered.remove(0);
        }
        unknown.push(field::unknown(&rendered));
    };
    let ignoring = serde_ignored::Deserializer::new(document, &mut on_ignored);
    let result: Result<T, _> = serde_path_to_error::deserialize(ignoring);
    let (object, error) = match result {
        Ok(object) => (Some(object), None),
        Err(e) => {
            let mut path = String::new();
            for segment in e.path().iter() {
                match segment {
                    serde_path_to_error::Segment::Seq { index } => path.push_str(&format!("[{index}]")),
                    serde_path_to_error::Segment::Map { key } => {
                        if !path.is_empty() {
                            path.push('.');
                        }
                        path.push_str(key);
                    }
                    _ => {}
                }
            }
            (None, Some(type_error(&path, &e.inner().to_string())))
        }
    };
    render_outcome(object, unknown.into_iter().chain(error).collect())
}

fn render_outcome<T: fmt::Debug>(object: Option<T>, errors: Vec<FieldError>) -> String {
    let mut out = format!("{object:?}\n");
    for e in errors {
        out.push_str(&format!("{}: {}\n", e.path, e.message));
    }
    out
}

fn ours<T: DeserializeOwned + fmt::Debug>(yaml: &str) -> String {
    let docs = super::super::locate::index(yaml).unwrap();
    let (object, errors) = decode::<T>(&docs[0].tree);
    render_outcome(object, errors)
}

/// Every scalar spelling, tag and shape, written into fields of every kind a Kubernetes object has:
/// the corpus the decoder and the libyaml rules are compared with `serde_yaml` over.
pub(in crate::manifest) fn corpus() -> Vec<String> {
    cases().into_iter().map(|case| case.text).collect()
}

/// One document of the corpus: the value written and whether the field it is written into is a
/// Go string, when the document is made that way.
struct Case {
    text: String,
    value: Option<&'static str>,
    string_field: bool,
}

fn cases() -> Vec<Case> {
    let values = [
        "",
        "~",
        "null",
        "Null",
        "NULL",
        "true",
        "False",
        "yes",
        "0",
        "80",
        "+80",
        "-80",
        "080",
        "-080",
        "0x1F",
        "-0x1F",
        "0x-1",
        "0o17",
        "0b101",
        "+0x1F",
        "+-1",
        "1_000",
        "3000000000",
        "-3000000000",
        "99999999999999999999",
        "-99999999999999999999",
        "999999999999999999999999999999999999999999",
        "1.5",
        "-1.5",
        "1e3",
        "1e400",
        ".inf",
        "-.inf",
        "+.inf",
        ".nan",
        ".NaN",
        "+.nan",
        "1.",
        ".5",
        "inf",
        "\"80\"",
        "'80'",
        "\"\"",
        "\"true\"",
        "abc",
        "100m",
        "1Gi",
        "2024-01-02T03:04:05Z",
        "\"2024-01-02T03:04:05Z\"",
        "2024-13-02T03:04:05Z",
        "!!int 80",
        "!!int abc",
        "!!str 80",
        "!!bool yes",
        "!!bool true",
        "!!float 1",
        "!!float x",
        "!!null ''",
        "!!null x",
        "!!null ~",
        "!local 80",
        "!local abc",
        "!local {a: 1}",
        "!!map {a: 1}",
        "|\n      80",
        "!!int |\n      80",
        ">\n      text",
        "[]",
        "[1, 2]",
        "[a, {b: c}]",
        "{}",
        "{a: 1}",
        "{? [x]: 1}",
        "[[1]]",
        "&a 5",
        "*b",
        "{http: 80}",
        "{port: http}",
        "{port: 8080, path: /}",
    ];
    let mut cases = Vec::new();
    for value in values {
        for (prefix, indent) in [
            ("metadata:\n  name: ", 2),
            ("metadata:\n  labels: ", 2),
            ("metadata:\n  labels:\n    app: ", 4),
            ("metadata:\n  creationTimestamp: ", 2),
            ("metadata:\n  unknownField: ", 2),
            ("spec:\n  terminationGracePeriodSeconds: ", 2),
            ("spec:\n  hostNetwork: ", 2),
            ("spec:\n  containers: ", 2),
            ("spec:\n  containers:\n  - name: a\n    image: ", 4),
            ("spec:\n  containers:\n  - ports:\n    - containerPort: ", 6),
            ("spec:\n  containers:\n  - resources:\n      limits:\n        cpu: ", 8),
            ("spec:\n  containers:\n  - livenessProbe:\n      httpGet:\n        port: ", 8),
            ("spec:\n  containers:\n  - livenessProbe:\n      httpGet: ", 6),
            ("spec:\n  containers:\n  - env: ", 4),
            ("spec:\n  containers:\n  - securityContext:\n      runAsUser: ", 6),
            ("status:\n  podIP: ", 2),
            ("spec: ", 0),
        ] {
            let written = value.replace("\n    ", &format!("\n{}", " ".repeat(indent)));
            let string_field = ["name: ", "labels: ", "app: ", "creationTimestamp: ", "image: ", "podIP: "]
                .iter()
                .any(|field| prefix.ends_with(field));
            cases.push(Case {
                text: format!("anchor: &b [1]\n{prefix}{written}\n"),
                value: Some(value),
                string_field,
            });
        }
    }
    for text in [
        "a: &x [*x]\nspec:\n  containers: *x\n",
        "spec:\n  containers: &x [{name: a, ports: *x}]\n",
        "? [a, b]\n: c\n",
        "spec: {containers: [{name: a}], extra: {deep: [1]}}\nmetadata: {annotations: {1: x, true: x}}\n",
    ] {
        cases.push(Case { text: text.to_string(), value: None, string_field: false });
    }
    cases
}

/// Whether kubectl reads a corpus value otherwise than `serde_yaml` does, by design: its YAML 1.1
/// reading differs from serde_yaml's YAML 1.2 one (`yes`, `080`, `1_000`), or it is not text where
/// the field is a Go string or a map of them (`name: 80`, `labels: {a: 1}`), which the API server
/// refuses and serde_yaml takes as text. Those values are checked against kubectl's behaviour by
/// the tests in `manifest/tests/kubectl_yaml.rs` instead.
fn kubectl_differs(value: &str, string_field: bool) -> bool {
    let Ok(docs) = super::super::locate::index(value) else { return false };
    let Some(root) = docs.first().and_then(|doc| doc.tree.root().map(|id| doc.tree.node(id))) else {
        return false;
    };
    let tree = &docs[0].tree;
    let not_text = |id| {
        let node = tree.node(id);
        matches!(node.kind, Kind::Scalar { .. }) && !matches!(resolve(node, false), Ok(Scalar::Str(_)))
    };
    match &root.kind {
        Kind::Map(entries) => return string_field && entries.iter().any(|(_, value)| not_text(*value)),
        Kind::Seq(_) => return false,
        Kind::Scalar { .. } => {}
    }
    let Ok(ours) = resolve(root, false) else { return string_field };
    // A whole float is a JSON number like any other, which fills an integer field.
    if matches!(ours, Scalar::F64(f) if f.fract() == 0.0) {
        return true;
    }
    if string_field && !matches!(ours, Scalar::Str(_) | Scalar::Owned(_)) && !value.is_empty() {
        return true;
    }
    let theirs: Result<serde_yaml::Value, _> = serde_yaml::from_str(value);
    let Ok(theirs) = theirs else { return true };
    let theirs = match theirs {
        serde_yaml::Value::Tagged(tagged) => tagged.value,
        other => other,
    };
    match (ours, theirs) {
        (Scalar::Unit, serde_yaml::Value::Null) => false,
        (Scalar::Bool(a), serde_yaml::Value::Bool(b)) => a != b,
        (Scalar::U64(a), serde_yaml::Value::Number(b)) => b.as_u64() != Some(a),
        (Scalar::I64(a), serde_yaml::Value::Number(b)) => b.as_i64() != Some(a),
        (Scalar::F64(a), serde_yaml::Value::Number(b)) => {
            b.as_f64().is_none_or(|b| b.to_bits() != a.to_bits())
        }
        (Scalar::Str(a), serde_yaml::Value::String(b)) => a != b,
        (Scalar::U128(_) | Scalar::I128(_), serde_yaml::Value::String(_)) => false,
        _ => true,
    }
}

/// Every scalar spelling, tag and shape, written into fields of every kind a Kubernetes object
/// has, decodes to the same object and the same errors as through `serde_yaml`.
#[test]
fn decoding_matches_serde_yaml() {
    let cases = cases();
    let mut differences = Vec::new();
    let mut compared = 0;
    let mut valid = 0;
    for Case { text: case, value, string_field } in &cases {
        if super::super::locate::index(case)
            .map_or(true, |docs| docs.len() != 1 || !docs[0].problems.is_empty())
        {
            continue;
        }
        valid += 1;
        if value.is_some_and(|value| kubectl_differs(value, *string_field)) {
            continue;
        }
        compared += 1;
        let expected = reference::<Pod>(case);
        let actual = ours::<Pod>(case);
        if expected != actual {
            differences.push(format!("{case}\n--- serde_yaml:\n{expected}--- ours:\n{actual}"));
        }
    }
    assert!(valid > cases.len() * 9 / 10, "only {valid} of {} cases are valid YAML", cases.len());
    assert!(compared > valid / 2, "only {compared} of {valid} cases are compared");
    assert!(
        differences.is_empty(),
        "{} of {} cases differ:\n{}",
        differences.len(),
        cases.len(),
        differences.join("\n")
    );
}
