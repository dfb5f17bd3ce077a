//! Scenario files: multi-document YAML into real Kubernetes API objects, with the API server's
//! defaulting and validation, strict field checking, and errors located by line, column and field path.
//!
//! # Layout
//! - `locate`: a map from field paths to source positions, built from YAML events.
//! - `tree`: each document's nodes, built from the same events.
//! - `image_ref`: container image references as the kubelet parses them.
//! - `libyaml`: what libyaml refuses that the event parser accepts, and libyaml's wording of errors.
//! - `decode`: typed decoding of a tree with strict field validation.
//! - `field`: field errors in the API server's wording.
//! - `scenario`: the `kind: Scenario` document.
//! - `config`: ConfigMap and Secret documents, with `go_base64` reading their byte fields as Go does.
//! - `defaults`: the API server's defaulting (upstream `pkg/apis/core/v1/defaults.go`).
//! - `validate`: the API server's validation of what the engine simulates (`pkg/apis/core/validation/validation.go`).
//! - `unsimulated`: warnings for valid fields the simulation ignores.
//!
//! `saphyr-parser` reads the file once: walking its events indexes positions, rejects hostile
//! structure (deep nesting, alias bombs, duplicate keys) cheaply and builds a tree per document,
//! which is decoded into `k8s-openapi` types, defaulted and validated. Syntax errors are worded as
//! libyaml, and so `kubectl`, words them, and the few documents libyaml refuses are refused here too
//! (`libyaml`).

mod config;
mod decode;
pub mod defaults;
mod field;
mod go_base64;
pub mod image_ref;
mod libyaml;
mod locate;
mod scenario;
mod tasks;
mod tree;
mod unsimulated;
pub mod validate;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::core::v1::{ConfigMap, Namespace, Pod, Secret, Service};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::de::DeserializeOwned;
use serde::Serialize;

pub use config::config_key;
use field::FieldError;
use locate::{Anchor, DocIndex, TopField};
pub use scenario::PullSettings;
use tree::Tree;

use crate::duration::Millis;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One located problem in a scenario file. `Display` gives `LINE:COL: FIELD-PATH: message`, which the
/// CLI prefixes with the file name (README.md, "The command line").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// 1-based line and column in the whole file.
    pub line: usize,
    pub column: usize,
    /// Kubernetes-style field path (`spec.containers[0].livenessProbe.successThreshold`), or empty
    /// for problems of the document as a whole (YAML syntax).
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}:{}: {}", self.line, self.column, self.message)
        } else {
            write!(f, "{}:{}: {}: {}", self.line, self.column, self.path, self.message)
        }
    }
}

/// One Kubernetes object from the file, defaulted and validated.
#[derive(Clone, Debug, PartialEq)]
pub enum Object {
    Pod(Pod),
    Service(Service),
    Deployment(Deployment),
    StatefulSet(StatefulSet),
    DaemonSet(DaemonSet),
    ReplicaSet(ReplicaSet),
    ConfigMap(ConfigMap),
    Secret(Secret),
    Namespace(Namespace),
    EndpointSlice(EndpointSlice),
}

/// The Kubernetes release a scenario simulates.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub enum KubeVersion {
    #[default]
    V1_34,
    V1_35,
}

/// A scripted command run at a virtual time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Step {
    pub at: Millis,
    pub run: String,
    /// Where the step is written, for errors found when it runs.
    pub line: usize,
}

/// The `kind: Scenario` document, with defaults applied.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ScenarioSpec {
    pub name: String,
    pub title: String,
    pub description: String,
    pub kubernetes_version: KubeVersion,
    pub nodes: Vec<String>,
    pub seed: u64,
    pub steps: Vec<Step>,
}

impl Default for ScenarioSpec {
    fn default() -> Self {
        ScenarioSpec {
            name: String::new(),
            title: String::new(),
            description: String::new(),
            kubernetes_version: KubeVersion::V1_34,
            nodes: vec!["k8s-worker1".to_string(), "k8s-worker2".to_string()],
            seed: 1,
            steps: Vec::new(),
        }
    }
}

/// A parsed scenario file.
#[derive(Clone, Debug, PartialEq)]
pub struct ParsedFile {
    /// The objects in file order, each with the 1-based line its document starts on (the line of
    /// its first key).
    pub objects: Vec<(Object, usize)>,
    /// The Scenario document, or the defaults when the file has none.
    pub scenario: ScenarioSpec,
    /// The Scenario document's private images (`spec.images`): references that exist in the
    /// registry as written, besides the public images the playground knows.
    pub images: Vec<String>,
    /// The Scenario document's tasks (`spec.tasks`), in file order.
    pub tasks: Vec<crate::tasks::Task>,
    /// How the nodes pull images (`spec.imagePulls`).
    pub image_pulls: scenario::PullSettings,
    /// Accepted but not simulated fields and similar remarks.
    pub warnings: Vec<Diagnostic>,
    /// Owner references naming an owner the file does not define, in file order. The garbage
    /// collector deletes such an object soon after it is created, because its owner is absent
    /// (`attemptToDeleteItem` in `pkg/controller/garbagecollector/garbagecollector.go`); the
    /// engine acts on these.
    pub orphans: Vec<Orphan>,
    /// For each of [`ParsedFile::objects`], where its `metadata.namespace` is written (line,
    /// column), or its document's first line when it names none: where a refusal of the object's
    /// namespace is reported.
    pub namespace_positions: Vec<(usize, usize)>,
}

/// An object whose owner reference names an owner that is not in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Orphan {
    /// The object's index in [`ParsedFile::objects`].
    pub object: usize,
    /// The owner as the reference names it.
    pub owner_kind: String,
    pub owner_name: String,
    /// Where the reference is written.
    pub line: usize,
    pub column: usize,
}

/// Files larger than this are refused before parsing.
pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;

/// Parses, defaults and validates a whole scenario file. On failure returns every error found (and
/// warnings), sorted by position. Never panics, whatever the input.
pub fn parse(text: &str) -> Result<ParsedFile, Vec<Diagnostic>> {
    if text.len() > MAX_FILE_BYTES {
        return Err(vec![Diagnostic {
            severity: Severity::Error,
            line: 1,
            column: 1,
            path: String::new(),
            message: format!("the file is {} bytes long; at most 16 MiB are accepted", text.len()),
        }]);
    }
    // The event parser reads the file. libyaml, which `kubectl`'s reader descends from, refuses
    // a few documents the event parser accepts; those rules are kept in `libyaml`, whose first
    // refusal is reported, and the documents from there on are not decoded.
    let refusal = libyaml::refusal(text);
    let docs = match locate::index(text) {
        Ok(docs) => docs,
        Err(e) => return Err(vec![syntax_error(text, e, refusal)]),
    };
    let problems: Vec<Diagnostic> = docs
        .iter()
        .flat_map(|d| d.problems.iter())
        .map(|p| Diagnostic {
            severity: Severity::Error,
            line: p.pos.line,
            column: p.pos.column,
            path: p.path.clone(),
            message: p.message.clone(),
        })
        .collect();
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut file = FileState::default();
    let written: Vec<&DocIndex> = docs.iter().filter(|d| !d.empty).collect();
    let decodable = match &refusal {
        Some(r) => r.readable(written.iter().map(|d| d.start)),
        None => written.len(),
    };
    for doc in &written[..decodable] {
        file.document(doc);
    }
    if let Some(r) = refusal {
        file.diagnostics.push(Diagnostic {
            severity: Severity::Error,
            line: r.pos.line,
            column: r.pos.column,
            path: String::new(),
            message: r.message.to_string(),
        });
    }
    file.finish()
}

/// `metadata.title` and `metadata.description` of the file's Scenario document, trimmed, without
/// validating the rest of the file (the gallery lists them).
pub fn scenario_titles(text: &str) -> Option<(String, String)> {
    scenario::titles(text)
}

/// An owner reference of an accepted object, kept until every document is read.
struct OwnerReference {
    object: usize,
    /// Its index in the object's `metadata.ownerReferences`.
    index: usize,
    kind: String,
    namespace: String,
    name: String,
    pos: locate::Pos,
}

#[derive(Default)]
struct FileState {
    objects: Vec<(Object, usize)>,
    scenario: Option<(ScenarioSpec, usize)>,
    images: Vec<String>,
    tasks: Vec<crate::tasks::Task>,
    image_pulls: scenario::PullSettings,
    scenario_seen: bool,
    diagnostics: Vec<Diagnostic>,
    /// (kind, namespace, name) of every object, with the line it was first defined on.
    defined: BTreeMap<(&'static str, String, String), usize>,
    /// Every owner reference of the accepted objects: the object's index, the owner's kind,
    /// namespace and name, and where the reference is written.
    owner_references: Vec<OwnerReference>,
    /// Parallel to `objects`: where each names its namespace.
    namespace_positions: Vec<(usize, usize)>,
}

/// Kubernetes kinds the simulation does not run, with the API versions that serve them. They are
/// accepted with a warning; naming one in another version is an error, as on a real cluster.
const OTHER_KINDS: &[(&str, &[&str])] = &[
    ("ServiceAccount", &["v1"]),
    ("PersistentVolumeClaim", &["v1"]),
    ("PersistentVolume", &["v1"]),
    ("Endpoints", &["v1"]),
    ("LimitRange", &["v1"]),
    ("ResourceQuota", &["v1"]),
    ("ReplicationController", &["v1"]),
    ("PodTemplate", &["v1"]),
    ("ControllerRevision", &["apps/v1"]),
    ("Job", &["batch/v1"]),
    ("CronJob", &["batch/v1"]),
    ("Ingress", &["networking.k8s.io/v1"]),
    ("IngressClass", &["networking.k8s.io/v1"]),
    ("NetworkPolicy", &["networking.k8s.io/v1"]),
    ("HorizontalPodAutoscaler", &["autoscaling/v1", "autoscaling/v2"]),
    ("PodDisruptionBudget", &["policy/v1"]),
    ("Role", &["rbac.authorization.k8s.io/v1"]),
    ("RoleBinding", &["rbac.authorization.k8s.io/v1"]),
    ("ClusterRole", &["rbac.authorization.k8s.io/v1"]),
    ("ClusterRoleBinding", &["rbac.authorization.k8s.io/v1"]),
    ("StorageClass", &["storage.k8s.io/v1"]),
    ("PriorityClass", &["scheduling.k8s.io/v1"]),
    ("CustomResourceDefinition", &["apiextensions.k8s.io/v1"]),
];

impl FileState {
    fn document(&mut self, doc: &DocIndex) {
        let mut errs = Vec::new();
        let line = doc.start.line;
        if !doc.root_is_map {
            errs.push(field::other(
                "",
                Anchor::Value,
                "a document must be a Kubernetes object (a mapping with apiVersion and kind)".to_string(),
            ));
            self.emit(errs, doc);
            return;
        }
        let mut top = |name: &str, field: &TopField| match field {
            TopField::Text(v) => v.clone(),
            TopField::Missing => {
                errs.push(field::required(name, &format!("{name} not set")));
                String::new()
            }
            TopField::NotText => {
                errs.push(field::other(name, Anchor::Value, format!("{name} must be a string")));
                String::new()
            }
        };
        let api_version = top("apiVersion", &doc.api_version);
        let kind = top("kind", &doc.kind);
        if !errs.is_empty() {
            self.emit(errs, doc);
            return;
        }
        // kubectl reads a `kind: List` (what `kubectl get -o yaml` prints for several objects)
        // as its items, each sent to the API server on its own (`FlattenListVisitor` in
        // cli-runtime's `pkg/resource/visitor.go`).
        if kind == "List" && api_version == "v1" {
            self.emit(errs, doc);
            let mut index = 0;
            while let Some(item) = doc.item(index) {
                self.document(&item);
                index += 1;
            }
            return;
        }
        let no_matches = || {
            field::other(
                "apiVersion",
                Anchor::Value,
                format!(
                    "no matches for kind {} in version {}",
                    field::quote(&kind),
                    field::quote(&api_version)
                ),
            )
        };
        let expected = match kind.as_str() {
            "Pod" | "Service" | "ConfigMap" | "Secret" => "v1",
            "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" => "apps/v1",
            "Namespace" => "v1",
            "EndpointSlice" => "discovery.k8s.io/v1",
            "Scenario" => "playground/v1",
            _ => "",
        };
        if expected.is_empty() {
            match OTHER_KINDS.iter().find(|(k, _)| *k == kind) {
                Some((_, versions)) if versions.contains(&api_version.as_str()) => {
                    errs.push(field::warning(
                        "kind",
                        &format!("{kind} objects are accepted but not simulated"),
                    ));
                }
                Some(_) => errs.push(no_matches()),
                None if is_custom_group(&api_version) => {
                    errs.push(field::warning(
                        "kind",
                        &format!("{kind} objects are accepted but not simulated"),
                    ));
                }
                None => errs.push(no_matches()),
            }
            self.emit(errs, doc);
            return;
        }
        if api_version != expected {
            errs.push(no_matches());
            self.emit(errs, doc);
            return;
        }
        // k8s-openapi fills a missing workload selector with an empty one; the API server reports it
        // as required instead, so validation is told whether one was written.
        let selector = doc.is_set("spec.selector");
        let object = match kind.as_str() {
            "Scenario" => {
                if self.scenario_seen {
                    errs.push(field::duplicate(
                        "kind",
                        "\"Scenario\"",
                        "a file may hold at most one Scenario document",
                    ));
                } else if let Some(spec) = scenario::parse(doc, &mut errs, &mut self.tasks) {
                    self.images = scenario::images(doc);
                    self.image_pulls = scenario::image_pulls(doc);
                    self.scenario = Some((spec, line));
                }
                self.scenario_seen = true;
                None
            }
            "Pod" => typed(
                &doc.tree,
                &mut errs,
                |p: &mut Pod, w| {
                    if let Some(spec) = &p.spec {
                        w.pod_spec(spec, "spec");
                    }
                },
                defaults::pod,
                validate::pod,
            )
            .map(Object::Pod),
            "Service" => {
                typed(&doc.tree, &mut errs, |_: &mut Service, _| {}, defaults::service, validate::service)
                    .map(Object::Service)
            }
            "Deployment" => typed(
                &doc.tree,
                &mut errs,
                |d: &mut Deployment, w| {
                    if let Some(spec) = d.spec.as_ref().and_then(|s| s.template.spec.as_ref()) {
                        w.pod_spec(spec, "spec.template.spec");
                    }
                },
                defaults::deployment,
                |d, errs| validate::deployment(d, selector, errs),
            )
            .map(Object::Deployment),
            "StatefulSet" => typed(
                &doc.tree,
                &mut errs,
                |s: &mut StatefulSet, w| {
                    if let Some(spec) = &s.spec {
                        w.volume_claim_templates(spec.volume_claim_templates.is_some());
                        if let Some(pod) = &spec.template.spec {
                            w.pod_spec(pod, "spec.template.spec");
                        }
                    }
                },
                defaults::stateful_set,
                |s, errs| validate::stateful_set(s, selector, errs),
            )
            .map(Object::StatefulSet),
            "DaemonSet" => typed(
                &doc.tree,
                &mut errs,
                |d: &mut DaemonSet, w| {
                    if let Some(spec) = d.spec.as_ref().and_then(|s| s.template.spec.as_ref()) {
                        w.pod_spec(spec, "spec.template.spec");
                    }
                },
                defaults::daemon_set,
                |d, errs| validate::daemon_set(d, selector, errs),
            )
            .map(Object::DaemonSet),
            "ReplicaSet" => typed(
                &doc.tree,
                &mut errs,
                |r: &mut ReplicaSet, w| {
                    if let Some(spec) =
                        r.spec.as_ref().and_then(|s| s.template.as_ref()).and_then(|t| t.spec.as_ref())
                    {
                        w.pod_spec(spec, "spec.template.spec");
                    }
                },
                defaults::replica_set,
                |r, errs| validate::replica_set(r, selector, errs),
            )
            .map(Object::ReplicaSet),
            "ConfigMap" => config::config_map(&doc.tree, &mut errs).map(Object::ConfigMap),
            "Secret" => config::secret(&doc.tree, &mut errs).map(Object::Secret),
            "Namespace" => typed(&doc.tree, &mut errs, |_: &mut Namespace, _| {}, |_| {}, |_, _| {})
                .map(Object::Namespace),
            "EndpointSlice" => typed(&doc.tree, &mut errs, |_: &mut EndpointSlice, _| {}, |_| {}, |_, _| {})
                .map(Object::EndpointSlice),
            _ => None,
        };
        if let Some(object) = object {
            let (kind, meta) = object.identity();
            let key =
                (kind, meta.namespace.clone().unwrap_or_default(), meta.name.clone().unwrap_or_default());
            if let Some(first) = self.defined.get(&key) {
                errs.push(field::duplicate(
                    "metadata.name",
                    &field::quote(&key.2),
                    &format!("{kind} {}/{} is already defined on line {first}", key.1, key.2),
                ));
            } else if let Some(r) = crate::budget::objects::refusal(&self.objects, &object) {
                // The playground's limits (`crate::budget`), located like the API server's errors.
                let anchor = if r.path == "spec.replicas" { Anchor::Value } else { Anchor::Key };
                let (severity, path, at) = (Severity::Error, r.path.to_string(), None);
                errs.push(FieldError { severity, path, anchor, message: r.message, at });
            } else {
                for (i, owner) in meta.owner_references.iter().flatten().enumerate() {
                    let pos = doc.locate(&format!("metadata.ownerReferences[{i}]"), Anchor::Key);
                    self.owner_references.push(OwnerReference {
                        object: self.objects.len(),
                        index: i,
                        kind: owner.kind.clone(),
                        namespace: key.1.clone(),
                        name: owner.name.clone(),
                        pos,
                    });
                }
                let at = if doc.is_set("metadata.namespace") {
                    let pos = doc.locate("metadata.namespace", Anchor::Value);
                    (pos.line, pos.column)
                } else {
                    (line, 1)
                };
                self.defined.insert(key, line);
                self.objects.push((object, line));
                self.namespace_positions.push(at);
            }
        }
        self.emit(errs, doc);
    }

    /// Turns field errors into located diagnostics.
    fn emit(&mut self, errs: Vec<FieldError>, doc: &DocIndex) {
        for e in errs {
            let pos = doc.locate(e.at.as_deref().unwrap_or(&e.path), e.anchor);
            self.diagnostics.push(Diagnostic {
                severity: e.severity,
                line: pos.line,
                column: pos.column,
                path: e.path,
                message: e.message,
            });
        }
    }

    fn finish(mut self) -> Result<ParsedFile, Vec<Diagnostic>> {
        let mut orphans = Vec::new();
        for OwnerReference { object, index, kind, namespace, name, pos } in
            std::mem::take(&mut self.owner_references)
        {
            if self.defined.keys().any(|(k, ns, n)| *k == kind && *ns == namespace && *n == name) {
                continue;
            }
            self.diagnostics.push(Diagnostic {
                severity: Severity::Warning,
                line: pos.line,
                column: pos.column,
                path: format!("metadata.ownerReferences[{index}]"),
                message: format!(
                    "the owner {kind} {name} is not in this file: the garbage collector will delete this object once it is created"
                ),
            });
            orphans.push(Orphan {
                object,
                owner_kind: kind,
                owner_name: name,
                line: pos.line,
                column: pos.column,
            });
        }
        self.diagnostics.sort_by_key(|d| (d.line, d.column));
        if self.diagnostics.iter().any(|d| d.severity == Severity::Error) {
            return Err(self.diagnostics);
        }
        Ok(ParsedFile {
            objects: self.objects,
            scenario: self.scenario.map(|(s, _)| s).unwrap_or_default(),
            images: self.images,
            tasks: self.tasks,
            image_pulls: self.image_pulls,
            warnings: self.diagnostics,
            orphans,
            namespace_positions: self.namespace_positions,
        })
    }
}

impl Object {
    /// The kind's name and the object's metadata.
    pub fn identity(&self) -> (&'static str, &ObjectMeta) {
        match self {
            Object::Pod(o) => ("Pod", &o.metadata),
            Object::Service(o) => ("Service", &o.metadata),
            Object::Deployment(o) => ("Deployment", &o.metadata),
            Object::StatefulSet(o) => ("StatefulSet", &o.metadata),
            Object::DaemonSet(o) => ("DaemonSet", &o.metadata),
            Object::ReplicaSet(o) => ("ReplicaSet", &o.metadata),
            Object::ConfigMap(o) => ("ConfigMap", &o.metadata),
            Object::Secret(o) => ("Secret", &o.metadata),
            Object::Namespace(o) => ("Namespace", &o.metadata),
            Object::EndpointSlice(o) => ("EndpointSlice", &o.metadata),
        }
    }
}

/// Decodes one object, notes its unsimulated fields, then defaults and validates it as the API
/// server would. Returns the object only when it has no errors.
fn typed<T: DeserializeOwned>(
    tree: &Tree,
    errs: &mut Vec<FieldError>,
    notice: impl FnOnce(&mut T, &mut unsimulated::Collector),
    default: fn(&mut T),
    validate: impl FnOnce(&T, &mut Vec<FieldError>),
) -> Option<T> {
    let (object, decode_errors) = decode::decode::<T>(tree);
    let failed = !decode_errors.is_empty();
    errs.extend(decode_errors);
    let mut object = object?;
    let mut collector = unsimulated::Collector::default();
    notice(&mut object, &mut collector);
    errs.extend(collector.warnings);
    default(&mut object);
    let before = errs.len();
    validate(&object, errs);
    // Validation may also warn (an image the kubelet will refuse is admitted by the API server);
    // only its errors keep the object out of the cluster.
    let refused = errs[before..].iter().any(|e| e.severity == Severity::Error);
    (!failed && !refused).then_some(object)
}

/// Whether an API version belongs to a custom resource group (`monitoring.coreos.com/v1`) rather
/// than to Kubernetes itself.
fn is_custom_group(api_version: &str) -> bool {
    match api_version.split_once('/') {
        Some((group, _)) => group.contains('.') && !group.ends_with(".k8s.io"),
        None => false,
    }
}

/// A syntax error, worded as libyaml (and so `kubectl`) words it; the position is the event
/// parser's, which points at the offending character. When libyaml would have stopped earlier, at
/// something the event parser accepts, its complaint is the message.
fn syntax_error(text: &str, e: locate::SyntaxError, refusal: Option<libyaml::Refusal>) -> Diagnostic {
    let message = match refusal {
        Some(r) if r.reached < e.pos => r.message.to_string(),
        _ => libyaml::wording(&e.message, text, e.pos),
    };
    Diagnostic {
        severity: Severity::Error,
        line: e.pos.line,
        column: e.pos.column,
        path: String::new(),
        message,
    }
}
