//! The `apiVersion: playground/v1, kind: Scenario` document (README.md, "Scenario files"): metadata, the simulated
//! release, the nodes, the seed and the scripted steps.

use serde::Deserialize;

use super::decode::decode;
use super::field::{self, child, index, quote, FieldError};
use super::locate::{Anchor, DocIndex, TopField};
use super::validate::{dns1123_label, dns1123_subdomain};
use super::{KubeVersion, ScenarioSpec, Step};
use crate::duration::parse_duration;
use crate::tasks::Task;

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
    kubernetes_version: Option<Written>,
    nodes: Option<Vec<String>>,
    seed: Option<u64>,
    #[serde(default)]
    steps: Vec<StepDoc>,
    /// Private images that exist in the scenario's registry (`myorg/app:1.0`).
    #[serde(default)]
    images: Vec<String>,
    /// The exercise's goals (`manifest/tasks.rs`).
    #[serde(default)]
    tasks: Vec<super::tasks::Task>,
    /// How the nodes pull images: their download rate and the kubelet's `serializeImagePulls`.
    image_pulls: Option<ImagePullsDoc>,
}

#[derive(Deserialize, Default)]
struct ImagePullsDoc {
    /// Bytes per second a node downloads, as a quantity (`20Mi`, `50M`).
    bandwidth: Option<Written>,
    serialize: Option<bool>,
    preloaded: Option<bool>,
}

/// How the scenario's nodes pull images (`spec.imagePulls`). Without a bandwidth a pull takes no
/// virtual time (the reference model of world-semantics.md); with one, a pull of an image the
/// node does not hold takes its size over the bandwidth. `serialize` is the kubelet's
/// `serializeImagePulls` (default true: one pull at a time per node, the others waiting their
/// turn). `preloaded` (default true) starts every node with the images the file's objects name,
/// so that they start at once; `false` starts the nodes empty, as a new cluster's are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PullSettings {
    pub bandwidth: Option<u64>,
    pub serialize: bool,
    pub preloaded: bool,
}

impl Default for PullSettings {
    fn default() -> Self {
        PullSettings { bandwidth: None, serialize: true, preloaded: true }
    }
}

/// A bandwidth quantity in bytes per second: positive and whole.
fn bandwidth(text: &str) -> Result<u64, String> {
    match crate::quantity::milli_units(text) {
        Some(m) if m >= 1000 && m % 1000 == 0 => u64::try_from(m / 1000).map_err(|_| "too large".to_string()),
        _ => Err("must be a quantity of bytes per second of at least 1, such as 20Mi or 50M".to_string()),
    }
}

/// The Scenario document's image pull settings (`spec.imagePulls`), which [`parse`] has validated.
pub fn image_pulls(doc: &DocIndex) -> PullSettings {
    #[derive(Deserialize)]
    struct Pulls {
        spec: Option<PullsSpec>,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct PullsSpec {
        image_pulls: Option<ImagePullsDoc>,
    }
    let Some(doc) = decode::<Pulls>(&doc.tree).0.and_then(|d| d.spec?.image_pulls) else {
        return PullSettings::default();
    };
    let rate = match doc.bandwidth {
        Some(Written::Text(t)) => bandwidth(&t).ok(),
        _ => None,
    };
    PullSettings {
        bandwidth: rate,
        serialize: doc.serialize.unwrap_or(true),
        preloaded: doc.preloaded.unwrap_or(true),
    }
}

#[derive(Deserialize)]
struct StepDoc {
    /// A duration string (`90s`) or a bare number of seconds.
    #[serde(default)]
    at: Written,
    #[serde(default)]
    run: String,
}

/// `metadata.title` and `metadata.description` of the file's Scenario document, trimmed, without
/// validating anything else; `None` when the file has none or cannot be read as YAML.
pub fn titles(text: &str) -> Option<(String, String)> {
    #[derive(Deserialize)]
    struct Titles {
        metadata: Option<TitlesMetadata>,
    }
    #[derive(Deserialize)]
    struct TitlesMetadata {
        title: Option<Written>,
        description: Option<Written>,
    }
    let docs = super::locate::index(text).ok()?;
    let doc = docs.iter().find(|doc| doc.kind == TopField::Text("Scenario".to_string()))?;
    let metadata = decode::<Titles>(&doc.tree).0?.metadata?;
    let text = |field: Option<Written>| match field {
        Some(Written::Text(text)) => text.trim().to_string(),
        _ => String::new(),
    };
    Some((text(metadata.title), text(metadata.description)))
}

/// The Scenario document's private images (`spec.images`), which [`parse`] has validated.
pub fn images(doc: &DocIndex) -> Vec<String> {
    #[derive(Deserialize)]
    struct Images {
        spec: Option<ImagesSpec>,
    }
    #[derive(Deserialize)]
    struct ImagesSpec {
        images: Option<Vec<String>>,
    }
    decode::<Images>(&doc.tree).0.and_then(|d| d.spec?.images).unwrap_or_default()
}

/// A scalar taken as it is written: text, or a number in the spelling YAML gives it (`1.34`, `90`),
/// so that a version or a time may be written unquoted.
#[derive(Default)]
pub(super) enum Written {
    Text(String),
    Bool(bool),
    #[default]
    Null,
    Collection,
}

impl Written {
    /// The value as text, for messages about what was written.
    pub(super) fn text(&self) -> String {
        match self {
            Written::Text(text) => text.clone(),
            Written::Bool(b) => b.to_string(),
            Written::Null => "null".to_string(),
            Written::Collection => "a collection".to_string(),
        }
    }
}

impl<'de> Deserialize<'de> for Written {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Written, D::Error> {
        deserializer.deserialize_any(WrittenVisitor)
    }
}

struct WrittenVisitor;

impl<'de> serde::de::Visitor<'de> for WrittenVisitor {
    type Value = Written;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a string or a number")
    }

    fn visit_str<E>(self, v: &str) -> Result<Written, E> {
        Ok(Written::Text(v.to_string()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Written, E> {
        Ok(Written::Text(v.to_string()))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Written, E> {
        Ok(Written::Text(v.to_string()))
    }

    fn visit_u128<E>(self, v: u128) -> Result<Written, E> {
        Ok(Written::Text(v.to_string()))
    }

    fn visit_i128<E>(self, v: i128) -> Result<Written, E> {
        Ok(Written::Text(v.to_string()))
    }

    /// YAML spells floats in their shortest form, with a `.0` for whole numbers and an exponent
    /// for very large or small ones, which is how Rust's `Debug` writes them too.
    fn visit_f64<E>(self, v: f64) -> Result<Written, E> {
        let text = if v.is_nan() {
            ".nan".to_string()
        } else if v.is_infinite() {
            if v > 0.0 { ".inf" } else { "-.inf" }.to_string()
        } else {
            format!("{v:?}")
        };
        Ok(Written::Text(text))
    }

    fn visit_bool<E>(self, v: bool) -> Result<Written, E> {
        Ok(Written::Bool(v))
    }

    fn visit_unit<E>(self) -> Result<Written, E> {
        Ok(Written::Null)
    }

    fn visit_none<E>(self) -> Result<Written, E> {
        Ok(Written::Null)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Written, A::Error> {
        while seq.next_element::<Written>()?.is_some() {}
        Ok(Written::Collection)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Written, A::Error> {
        while map.next_entry::<Written, Written>()?.is_some() {}
        Ok(Written::Collection)
    }
}

/// Decodes and validates a Scenario document; `errs` receives every problem, `tasks` its tasks.
pub fn parse(doc: &DocIndex, errs: &mut Vec<FieldError>, tasks: &mut Vec<Task>) -> Option<ScenarioSpec> {
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
        let text = version.text();
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
    if let Some(pulls) = &decoded.spec.image_pulls {
        match &pulls.bandwidth {
            Some(Written::Text(t)) => {
                if let Err(msg) = bandwidth(t) {
                    errs.push(field::invalid("spec.imagePulls.bandwidth", &quote(t), &msg));
                }
            }
            Some(other) => errs.push(field::invalid(
                "spec.imagePulls.bandwidth",
                &other.text(),
                "must be a quantity of bytes per second, such as 20Mi or 50M",
            )),
            None => {}
        }
    }
    for (i, image) in decoded.spec.images.iter().enumerate() {
        if let Err(e) = crate::container::images::reference::parse_normalized(image) {
            errs.push(field::invalid(&index("spec.images", i), &quote(image), &e));
        }
    }
    *tasks = super::tasks::parse(decoded.spec.tasks, errs);
    let mut last = 0;
    for (i, step) in decoded.spec.steps.into_iter().enumerate() {
        let path = index("spec.steps", i);
        let at_path = child(&path, "at");
        let at_text = match &step.at {
            Written::Text(text) => Some(text.clone()),
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
