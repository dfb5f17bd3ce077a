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
