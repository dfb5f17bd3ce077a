//! `kubectl describe` (`staging/src/k8s.io/kubectl/pkg/describe/describe.go`).
//!
//! Each describer writes the same tab-separated lines as kubectl's, with the same indentation
//! levels, and the result goes through the same tabwriter settings, so columns line up exactly as
//! on a real cluster, including the places where kubectl's output is ragged or has trailing spaces.
//! This file holds the frame every kind shares (finding objects, labels, annotations, events);
//! each kind's describer is in its own file, named by its row of the kinds table (`kinds.rs`).

pub mod config;
pub mod pods;
pub mod services;
pub mod workloads;

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{PodSpec, Toleration};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::api::{self, ApiStore, ObjectKey};
use crate::duration::Millis;
use crate::kubectl::command::ResourceKind;
use crate::kubectl::print::{self, kind_plural_group};
use crate::kubectl::table::{align, DESCRIBE};
use crate::selector::Selector;

pub use pods::probe_line;

/// Describes the object at a key, or `None` when the kind has no such object.
pub(crate) type Describer = fn(&ApiStore, Millis, &ObjectKey) -> Option<String>;

/// `kubectl describe KIND NAME` in a namespace.
pub fn describe(
    api: &ApiStore,
    now: Millis,
    kind: ResourceKind,
    name: &str,
    namespace: &str,
) -> Result<String, String> {
    let key = (namespace.to_string(), name.to_string());
    let not_found =
        || format!("Error from server (NotFound): {} {:?} not found", kind_plural_group(kind), name);
    let Some(describer) = kind.info().describer else {
        return Err(format!(
            "error: describing {} is not available in the playground; use \"kubectl get {} -o yaml\"",
            kind_plural_group(kind),
            kind_plural_group(kind)
        ));
    };
    let text = describer(api, now, &key).ok_or_else(not_found)?;
    Ok(align(&text, DESCRIBE))
}

/// `kubectl describe KIND [NAME...] [-l SELECTOR]`: the named objects, or every object of the kind
/// matching the selector, separated by blank lines. An empty `namespace` means every namespace.
/// Missing names are reported after the descriptions that were found, as kubectl does.
pub fn describe_many(
    api: &ApiStore,
    now: Millis,
    kind: ResourceKind,
    names: &[String],
    selector: Option<&Selector>,
    namespace: &str,
) -> Result<String, String> {
    let targets: Vec<(String, String)> = if names.is_empty() {
        print::list(api, kind, namespace, selector)
            .iter()
            .map(|o| (o.namespace().to_string(), o.name().to_string()))
            .collect()
    } else {
        let ns = if namespace.is_empty() { "default" } else { namespace };
        names.iter().map(|n| (ns.to_string(), n.clone())).collect()
    };
    if targets.is_empty() {
        return Ok(if namespace.is_empty() {
            "No resources found\n".to_string()
        } else {
            format!("No resources found in {namespace} namespace.\n")
        });
    }
    let mut out = String::new();
    let mut errors = String::new();
    for (ns, name) in &targets {
        match describe(api, now, kind, name, ns) {
            Ok(text) => {
                if !out.is_empty() {
                    out.push_str("\n\n");
                }
                out.push_str(&text);
            }
            Err(e) => {
                errors.push_str(&e);
                errors.push('\n');
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        out.push_str(&errors);
        Err(out)
    }
}

fn int_or_string(v: &IntOrString) -> String {
    match v {
        IntOrString::Int(i) => i.to_string(),
        IntOrString::String(s) => s.clone(),
    }
}

/// Lines written at kubectl's indentation levels (`PrefixWriter`): level n is 2n spaces.
#[derive(Default)]
struct Out {
    text: String,
}

impl Out {
    fn line(&mut self, level: usize, text: &str) {
        for _ in 0..level {
            self.text.push_str("  ");
        }
        self.text.push_str(text);
        self.text.push('\n');
    }

    fn raw(&mut self, text: &str) {
        self.text.push_str(text);
    }
}

fn time_text(time: Option<&Time>) -> String {
    time.map(api::rfc1123z).unwrap_or_else(|| "Mon, 01 Jan 0001 00:00:00 +0000".to_string())
}

/// `printLabelsMultiline`: the first label after the title, the others on their own lines aligned
/// with it; `<none>` without labels.
fn labels_multiline(out: &mut Out, title: &str, labels: Option<&BTreeMap<String, String>>) {
    out.raw(&format!("{title}:\t"));
    match labels {
        Some(l) if !l.is_empty() => {
            for (i, (k, v)) in l.iter().enumerate() {
                if i > 0 {
                    out.raw("\t");
                }
                out.raw(&format!("{k}={v}\n"));
            }
        }
        _ => out.raw("<none>\n"),
    }
}

/// `printAnnotationsMultiline`: like labels with `key: value`, skipping the last-applied
/// configuration and folding long or multi-line values.
fn annotations_multiline(out: &mut Out, title: &str, annotations: Option<&BTreeMap<String, String>>) {
    const MAX: usize = 140;
    out.raw(&format!("{title}:\t"));
    let entries: Vec<(&String, &String)> = annotations
        .into_iter()
        .flatten()
        .filter(|(k, _)| k.as_str() != "kubectl.kubernetes.io/last-applied-configuration")
        .collect();
    if entries.is_empty() {
        out.raw("<none>\n");
        return;
    }
    for (i, (k, v)) in entries.into_iter().enumerate() {
        if i > 0 {
            out.raw("\t");
        }
        let value = v.strip_suffix('\n').unwrap_or(v);
        if value.len() + k.len() + 2 > MAX || value.contains('\n') {
            out.raw(&format!("{k}:\n"));
            for s in value.split('\n') {
                let shown: String = if s.len() > MAX - 2 {
                    let cut: String = s.chars().take(MAX - 2).collect();
                    format!("{cut}...")
                } else {
                    s.to_string()
                };
                out.raw(&format!("\t  {shown}\n"));
            }
        } else {
            out.raw(&format!("{k}: {value}\n"));
        }
    }
}

/// `printPodTolerationsMultiline`.
fn tolerations_multiline(out: &mut Out, title: &str, tolerations: &[Toleration]) {
    out.raw(&format!("{title}:\t"));
    if tolerations.is_empty() {
        out.raw("<none>\n");
        return;
    }
    let mut sorted: Vec<&Toleration> = tolerations.iter().collect();
    sorted.sort_by(|a, b| a.key.cmp(&b.key));
    for (i, t) in sorted.into_iter().enumerate() {
        if i > 0 {
            out.raw("\t");
        }
        let key = t.key.as_deref().unwrap_or_default();
        let value = t.value.as_deref().unwrap_or_default();
        let effect = t.effect.as_deref().unwrap_or_default();
        let mut text = key.to_string();
        if !value.is_empty() {
            text.push_str(&format!("={value}"));
        }
        if !effect.is_empty() {
            text.push_str(&format!(":{effect}"));
        }
        if t.operator.as_deref() == Some("Exists") && value.is_empty() {
            text.push_str(if key.is_empty() && effect.is_empty() { "op=Exists" } else { " op=Exists" });
        }
        if let Some(s) = t.toleration_seconds {
            text.push_str(&format!(" for {s}s"));
        }
        out.raw(&format!("{text}\n"));
    }
}

/// The tolerations the API server's DefaultTolerationSeconds admission adds to every pod that
/// does not already tolerate the two node-health taints.
fn admitted_tolerations(spec: Option<&PodSpec>) -> Vec<Toleration> {
    let mut tolerations = spec.and_then(|s| s.tolerations.clone()).unwrap_or_default();
    for key in ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"] {
        let tolerated = tolerations.iter().any(|t| {
            (t.key.as_deref() == Some(key) || (t.key.is_none() && t.operator.as_deref() == Some("Exists")))
                && t.effect.as_deref().is_none_or(|e| e.is_empty() || e == "NoExecute")
        });
        if !tolerated {
            tolerations.push(Toleration {
                key: Some(key.to_string()),
                operator: Some("Exists".to_string()),
                effect: Some("NoExecute".to_string()),
                toleration_seconds: Some(300),
                value: None,
            });
        }
    }
    tolerations
}

fn controlled_by(meta: &ObjectMeta) -> Option<String> {
    meta.owner_references
        .iter()
        .flatten()
        .find(|r| r.controller == Some(true))
        .map(|r| format!("{}/{}", r.kind, r.name))
}

/// Events about one object, oldest last occurrence first, as `describe` lists them. Events older
/// than the API server's one-hour TTL are gone.
fn events_for<'a>(api: &'a ApiStore, now: Millis, kind: &str, meta: &ObjectMeta) -> Vec<&'a api::Event> {
    let name = meta.name.as_deref().unwrap_or_default();
    let namespace = meta.namespace.as_deref().unwrap_or("default");
    let uid = meta.uid.as_deref().unwrap_or_default();
    let mut events: Vec<&api::Event> = api
        .events
        .iter()
        .filter(|e| {
            e.involved.kind == kind
                && e.involved.name == name
                && e.involved.namespace == namespace
                && (uid.is_empty() || e.involved.uid.is_empty() || e.involved.uid == uid)
                && now.saturating_sub(e.last) <= 3_600_000
        })
        .collect();
    events.sort_by_key(|e| e.last / 1000);
    events
}

/// `DescribeEvents`.
fn events_table(out: &mut Out, now: Millis, events: &[&api::Event]) {
    if events.is_empty() {
        out.line(0, "Events:\t<none>");
        return;
    }
    out.line(0, "Events:");
    out.line(1, "Type\tReason\tAge\tFrom\tMessage");
    out.line(1, "----\t------\t----\t----\t-------");
    for e in events {
        let first = print::since_event(e.first, now);
        let age = if e.count > 1 {
            format!("{} (x{} over {first})", print::since_event(e.last, now), e.count)
        } else {
            first
        };
        out.line(1, &format!("{}\t{}\t{}\t{}\t{}", e.type_, e.reason, age, e.source, e.message.trim()));
    }
}
