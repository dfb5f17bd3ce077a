//! What `kubectl label` and `kubectl annotate` share: reading `KEY=VALUE` and `KEY-` arguments
//! after the resources (`GetResourcesAndPairs` and `ParsePairs` in
//! `staging/src/k8s.io/kubectl/pkg/cmd/util/helpers.go`), and writing an object's labels or
//! annotations as the API server's merge patch does.

use std::collections::BTreeMap;

use crate::kubectl::command::{MetadataEdit, Selection};
use crate::kubectl::flags::{kind_and_names, parse_flags, Arity, FlagSpec, Parsed, NAMESPACE};
use crate::kubectl::print;
use crate::selector::Selector;

use super::{join_lines, Cluster};

/// Which metadata map a verb writes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Field {
    Labels,
    Annotations,
}

impl Field {
    fn pair_type(self) -> &'static str {
        match self {
            Field::Labels => "label",
            Field::Annotations => "annotation",
        }
    }
}

/// The flags both verbs accept.
pub(super) const SPECS: &[FlagSpec] = &[
    NAMESPACE,
    ("overwrite", None, Arity::Bool),
    ("all", None, Arity::Bool),
    ("selector", Some('l'), Arity::Value),
];

/// Splits the arguments into resources and pairs: a pair contains `=` (not first) or ends in `-`
/// (and is not `-`); every resource must come before the first pair.
fn resources_and_pairs(args: &[String], pair_type: &str) -> Result<(Vec<String>, Vec<String>), String> {
    let mut resources = Vec::new();
    let mut pairs = Vec::new();
    for arg in args {
        let is_pair = (arg.contains('=') && !arg.starts_with('=')) || (arg.ends_with('-') && arg != "-");
        match (is_pair, pairs.is_empty()) {
            (true, _) => pairs.push(arg.clone()),
            (false, true) => resources.push(arg.clone()),
            (false, false) => {
                return Err(format!(
                    "error: all resources must be specified before {pair_type} changes: {arg}"
                ))
            }
        }
    }
    Ok((resources, pairs))
}

/// `IsValidLabelValue` (`staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go`).
fn label_value_errors(value: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if value.len() > 63 {
        errors.push("must be no more than 63 characters".to_string());
    }
    let bytes = value.as_bytes();
    let alnum = |b: &u8| b.is_ascii_alphanumeric();
    let shaped = value.is_empty()
        || (bytes.first().is_some_and(alnum)
            && bytes.last().is_some_and(alnum)
            && bytes.iter().all(|b| alnum(b) || matches!(b, b'-' | b'_' | b'.')));
    if !shaped {
        errors.push("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')".to_string());
    }
    errors
}

/// Reads the pairs: labels split on every `=` (`parseLabels` in `cmd/label/label.go`), annotations
/// on the first (`ParsePairs`).
fn parse_pairs(pairs: &[String], field: Field) -> Result<(BTreeMap<String, String>, Vec<String>), String> {
    let mut set = BTreeMap::new();
    let mut remove = Vec::new();
    let mut invalid = Vec::new();
    for pair in pairs {
        if pair.contains('=') && !pair.starts_with('=') {
            let (key, value) = match field {
                Field::Labels => {
                    let parts: Vec<&str> = pair.split('=').collect();
                    if parts.len() != 2 {
                        return Err(format!("error: invalid label spec: {pair}"));
                    }
                    let errors = label_value_errors(parts[1]);
                    if !errors.is_empty() {
                        return Err(format!("error: invalid label value: {pair:?}: {}", errors.join(";")));
                    }
                    (parts[0], parts[1])
                }
                Field::Annotations => pair.split_once('=').unwrap_or((pair, "")),
            };
            set.insert(key.to_string(), value.to_string());
        } else if pair.ends_with('-') && pair != "-" {
            remove.push(pair[..pair.len() - 1].to_string());
        } else {
            invalid.push(pair.clone());
        }
    }
    if !invalid.is_empty() {
        return Err(format!("error: invalid {} format: {}", field.pair_type(), invalid.join(", ")));
    }
    Ok((set, remove))
}

/// Parses `KIND NAME...|KIND/NAME...|KIND -l SELECTOR|KIND --all` followed by the pairs, with the
/// checks kubectl makes in the order it makes them.
pub(super) fn parse(verb: &str, words: &[String], field: Field) -> Result<MetadataEdit, String> {
    let p: Parsed = parse_flags(verb, words, SPECS)?;
    let pair_type = field.pair_type();
    let (resources, pairs) = resources_and_pairs(&p.args, pair_type)?;
    let (set, remove) = parse_pairs(&pairs, field)?;
    if field == Field::Labels && remove.iter().any(|r| set.contains_key(r)) {
        return Err("error: can not both modify and remove a label in the same command".to_string());
    }
    let all = p.bool(verb, "all")?;
    let selector = p.value("selector").map(str::to_string);
    if all && selector.is_some() {
        return Err("error: cannot set --all and --selector at the same time".to_string());
    }
    if resources.is_empty() {
        return Err(
            "error: one or more resources must be specified as <resource> <name> or <resource>/<name>"
                .to_string(),
        );
    }
    if set.is_empty() && remove.is_empty() {
        return Err(format!("error: at least one {pair_type} update is required"));
    }
    if field == Field::Annotations {
        let both: Vec<&str> = remove.iter().filter(|r| set.contains_key(*r)).map(String::as_str).collect();
        if !both.is_empty() {
            return Err(format!(
                "error: can not both modify and remove the following annotation(s) in the same command: {}",
                both.join(", ")
            ));
        }
    }
    let (kind, names) = kind_and_names(&resources)?;
    let selection = match (names.is_empty(), selector, all) {
        (false, Some(_), _) => {
            return Err("error: name cannot be provided when a selector is specified".to_string())
        }
        (false, None, true) => {
            return Err("error: setting 'all' parameter but found a non empty selector. ".to_string())
        }
        (false, None, false) => Selection::Names(names),
        (true, Some(s), _) => Selection::Selector(s),
        (true, None, true) => Selection::Selector(String::new()),
        (true, None, false) => {
            return Err("error: resource(s) were provided, but no name was specified".to_string())
        }
    };
    if kind.info().store.is_none() {
        return Err(format!(
            "error: the playground does not keep {} as objects it can change",
            kind.info().plural_group()
        ));
    }
    Ok(MetadataEdit {
        kind,
        selection,
        set: set.into_iter().collect(),
        remove,
        overwrite: p.bool(verb, "overwrite")?,
        namespace: p.namespace(),
    })
}

/// The keys `--overwrite=false` refuses, as `validateNoOverwrites` (labels) and
/// `validateNoAnnotationOverwrites` (annotations) word them.
fn conflicts(field: Field, current: &BTreeMap<String, String>, set: &[(String, String)]) -> Option<String> {
    let found: Vec<(&String, &String)> = set
        .iter()
        // The change-cause annotation can always be overwritten (`cmd/annotate/annotate.go`).
        .filter(|(k, _)| !(field == Field::Annotations && k == "kubernetes.io/change-cause"))
        .filter_map(|(k, _)| current.get_key_value(k))
        .collect();
    if found.is_empty() {
        return None;
    }
    Some(match field {
        Field::Labels => {
            let errors: Vec<String> = found
                .iter()
                .map(|(k, v)| format!("'{k}' already has a value ({v}), and --overwrite is false"))
                .collect();
            // An aggregate of one error reads as that error; of several, as a bracketed list.
            if errors.len() == 1 {
                errors[0].clone()
            } else {
                format!("[{}]", errors.join(", "))
            }
        }
        Field::Annotations => format!(
            "--overwrite is false but found the following declared annotation(s): {}",
            found
                .iter()
                .map(|(k, v)| format!("'{k}' already has a value ({v})"))
                .collect::<Vec<_>>()
                .join("; ")
        ),
    })
}

/// Applies the edit to every selected object. Prints `KIND/NAME labeled|unlabeled|not labeled` or
/// `KIND/NAME annotated` per object; missing objects and refused overwrites are reported after
/// the objects that were changed, and make the command fail.
pub(super) fn execute(cluster: &mut dyn Cluster, edit: MetadataEdit, field: Field) -> Result<String, String> {
    let info = edit.kind.info();
    let Some(store) = info.store else {
        return Err(format!(
            "error: the playground does not keep {} as objects it can change",
            info.plural_group()
        ));
    };
    let api = &mut cluster.world_mut().api;
    let namespace = edit.namespace.clone().unwrap_or_else(|| "default".to_string());
    let keys: Vec<(String, String)> = match &edit.selection {
        Selection::Names(names) => names.iter().map(|n| (namespace.clone(), n.clone())).collect(),
        Selection::Selector(text) => {
            let selector = Selector::parse(text).map_err(|e| format!("error: {e}"))?;
            print::list(api, edit.kind, &namespace, Some(&selector))
                .iter()
                .map(|o| (o.namespace().to_string(), o.name().to_string()))
                .collect()
        }
    };
    let mut lines = Vec::new();
    let mut errors = Vec::new();
    for key in keys {
        let Some(meta) = (store.meta)(api, &key) else {
            errors.push(format!(
                "Error from server (NotFound): {} {:?} not found",
                info.plural_group(),
                key.1
            ));
            continue;
        };
        let current = match field {
            Field::Labels => meta.labels.clone(),
            Field::Annotations => meta.annotations.clone(),
        }
        .unwrap_or_default();
        if field == Field::Labels {
            for r in edit.remove.iter().filter(|r| !current.contains_key(*r)) {
                lines.push(format!("label {r:?} not found."));
            }
        }
        if !edit.overwrite {
            if let Some(error) = conflicts(field, &current, &edit.set) {
                errors.push(format!("error: {error}"));
                continue;
            }
        }
        let mut updated = current.clone();
        updated.extend(edit.set.iter().cloned());
        for r in &edit.remove {
            updated.remove(r);
        }
        let message = match field {
            Field::Annotations => "annotated",
            // `updateDataChangeMsg`: the object's JSON before and after decide; without
            // --overwrite, a shorter object means labels were only removed.
            Field::Labels if updated == current => "not labeled",
            Field::Labels if !edit.overwrite && json_len(&updated) < json_len(&current) => "unlabeled",
            Field::Labels => "labeled",
        };
        if updated != current {
            let version = api.next_resource_version();
            if let Some(meta) = (store.meta_mut)(api, &key) {
                let map = Some(updated).filter(|m| !m.is_empty());
                match field {
                    Field::Labels => meta.labels = map,
                    Field::Annotations => meta.annotations = map,
                }
                meta.resource_version = Some(version);
            }
            // Selectors read labels: Services' endpoints and controllers' pods follow the change.
            api.changes.controllers_dirty = true;
        }
        lines.push(format!("{}/{} {message}", info.singular_group(), key.1));
    }
    if errors.is_empty() {
        Ok(join_lines(&lines))
    } else {
        lines.extend(errors);
        Err(join_lines(&lines))
    }
}

fn json_len(map: &BTreeMap<String, String>) -> usize {
    serde_json::to_string(map).map(|s| s.len()).unwrap_or(0)
}
