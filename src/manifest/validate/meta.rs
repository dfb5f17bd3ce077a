//! The API server's checks of annotations and environment variable names
//! (`staging/src/k8s.io/apimachinery/pkg/api/validation/objectmeta.go`, `ValidateAnnotations`;
//! `pkg/apis/core/validation/validation.go`, `validateEnv`).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::Container;

use super::super::field::{self, child, index, quote, FieldError};
use super::qualified_name;

/// All annotations of an object together may hold this many bytes of keys and values
/// (`TotalAnnotationSizeLimitB`).
pub const TOTAL_ANNOTATION_SIZE_LIMIT: usize = 256 * 1024;

/// `ValidateAnnotations`: every key is a qualified name, compared in lower case because annotation
/// keys are not case-sensitive, and keys and values together stay within 256 KiB.
pub fn annotations(annotations: &BTreeMap<String, String>, path: &str, errs: &mut Vec<FieldError>) {
    for key in annotations.keys() {
        for msg in qualified_name(&key.to_lowercase()) {
            errs.push(field::invalid(path, &quote(key), &msg).at(field::key(path, key)));
        }
    }
    let total: usize = annotations.iter().map(|(k, v)| k.len() + v.len()).sum();
    if total > TOTAL_ANNOTATION_SIZE_LIMIT {
        errs.push(field::too_long(path, TOTAL_ANNOTATION_SIZE_LIMIT));
    }
}

/// `validateEnv`: every variable has a name, of printable ASCII characters other than `=`
/// (`IsRelaxedEnvVarName`; the `RelaxedEnvironmentVariableValidation` feature is on from 1.32 and
/// locked on in 1.34).
pub fn env(c: &Container, path: &str, errs: &mut Vec<FieldError>) {
    for (i, var) in c.env.iter().flatten().enumerate() {
        let name_path = child(&index(&child(path, "env"), i), "name");
        if var.name.is_empty() {
            errs.push(field::required(&name_path, ""));
        } else if var.name.chars().any(|c| !(' '..='~').contains(&c) || c == '=') {
            errs.push(field::invalid(
                &name_path,
                &quote(&var.name),
                "a valid environment variable name must consist only of printable ASCII characters other than '='",
            ));
        }
    }
}
