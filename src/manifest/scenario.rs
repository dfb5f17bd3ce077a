//! The `apiVersion: playground/v1, kind: Scenario` document (README.md, "Scenario files"): metadata, the simulated
//! release, the nodes, the seed and the scripted steps.

use serde::Deserialize;

use super::decode::decode;
use super::field::{self, child, index, quote, FieldError};
use super::locate::{Anchor, DocIndex};
use super::validate::{dns1123_label, dns1123_subdomain};
use super::{KubeVersion, ScenarioSpec, Step};
use crate::duration::parse_duration;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Document {
    #[allow(dead_code)]
    api_version: String,
    #[allow(dead_code)]
    kind: String,
    #[serde(default)]
    metadata: Metadata,
    #[serde(default)]
    spec: Spec,
}

#[derive(Deserialize, Default)]
struct Metadata {
    #[serde(default)]
    name: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Spec {
    /// Written as a string, but an unquoted `1.34` reads as a number and is taken as written.
    kubernetes_version: Option<serde_yaml::Value>,
    nodes: Option<Vec<String>>,
    seed: Option<u64>,
    #[serde(default)]
    steps: Vec<StepDoc>,
}

#[derive(Deserialize)]
struct StepDoc {
    /// A duration string (`90s`) or a bare number of seconds.
    #[serde(default)]
    at: serde_yaml::Value,
    #[serde(default)]
    run: String,
}

/// Decodes and validates a Scenario document; `errs` receives every problem.
pub fn parse(doc: &DocIndex, errs: &mut Vec<FieldError>) -> Option<ScenarioSpec> {
    let (decoded, decode_errors) = decode::<Document>(&doc.tree);
    errs.extend(decode_errors);
    let decoded = decoded?;
    let before = errs.len();
    let mut spec = ScenarioSpec {
        name: decoded.metadata.name,
        title: decoded.metadata.title,
        description: decoded.metadata.description,
        ..ScenarioSpec::default()
    };
    if !spec.name.is_empty() {
        for msg in dns1123_label(&spec.name) {
            errs.push(field::invalid("metadata.name", &quote(&spec.name), &msg));
        }
    }
    if let Some(version) = decoded.spec.kubernetes_version {
        let text = match &version {
            serde_yaml::Value::String(s) => s.clone(),
            serde_yaml::Value::Number(n) => n.to_string(),
            other => format!("{other:?}"),
        };
        match text.as_str() {
            "1.34" => spec.kubernetes_version = KubeVersion::V1_34,
            "1.35" => spec.kubernetes_version = KubeVersion::V1_35,
            _ => errs.push(field::not_supported("spec.kubernetesVersion", &text, &["1.34", "1.35"])),
        }
    }
    if let Some(nodes) = decoded.spec.nodes {
        if nodes.is_empty() {
            errs.push(field::required("spec.nodes", "at least one node is needed"));
        }
        for (i, node) in nodes.iter().enumerate() {
            let path = index("spec.nodes", i);
            for msg in dns1123_subdomain(node) {
                errs.push(field::invalid(&path, &quote(node), &msg));
            }
            if nodes[..i].contains(node) {
                errs.push(field::duplicate(&path, &quote(node), ""));
            }
        }
        spec.nodes = nodes;
    }
    if let Some(seed) = decoded.spec.seed {
        spec.seed = seed;
    }
    let mut last = 0;
    for (i, step) in decoded.spec.steps.into_iter().enumerate() {
        let path = index("spec.steps", i);
        let at_path = child(&path, "at");
        let at_text = match &step.at {
            serde_yaml::Value::String(s) => Some(s.clone()),
            serde_yaml::Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        let at = match at_text.as_deref().map(parse_duration) {
            Some(Ok(at)) => Some(at),
            Some(Err(msg)) => {
                errs.push(field::invalid(&at_path, &quote(at_text.as_deref().unwrap_or("")), &msg));
                None
            }
            None => {
                errs.push(field::required(&at_path, "a duration like 90s, 1m30s or 1h"));
                None
            }
        };
        if step.run.trim().is_empty() {
            errs.push(field::required(&child(&path, "run"), ""));
        }
        if let Some(at) = at {
            if at < last {
                errs.push(field::invalid(
                    &at_path,
                    &quote(at_text.as_deref().unwrap_or("")),
                    "steps must be in time order: this step is earlier than the one before it",
                ));
            }
            last = last.max(at);
            let line = doc.locate(&path, Anchor::Value).line;
            spec.steps.push(Step { at, run: step.run, line });
        }
    }
    (errs.len() == before).then_some(spec)
}
