//! The scheduler's Filter plugins, in the default profile's order
//! (`pkg/scheduler/apis/config/v1/default_plugins.go`): NodeUnschedulable, TaintToleration,
//! NodeAffinity, NodeResourcesFit. A node is rejected by the first plugin that fails, with that
//! plugin's reasons; each reason knows whether preemption could help.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Node, Pod, Taint, Toleration};

use crate::quantity::milli_units;
use crate::selector::Selector;

use super::super::resources::Resources;
use super::super::tolerations::{first_untolerated, tolerates};

/// What the filters read of one node, with what the pods bound to it already request.
pub(super) struct NodeInfo {
    pub name: String,
    labels: BTreeMap<String, String>,
    taints: Vec<Taint>,
    unschedulable: bool,
    allocatable: Resources,
    pub requested: Resources,
    pub pods: usize,
}

impl NodeInfo {
    pub fn new(node: &Node) -> NodeInfo {
        let allocatable = node
            .status
            .as_ref()
            .and_then(|s| s.allocatable.as_ref())
            .map(|a| a.iter().filter_map(|(k, q)| Some((k.clone(), milli_units(&q.0)?))).collect())
            .unwrap_or_default();
        NodeInfo {
            name: node.metadata.name.clone().unwrap_or_default(),
            labels: node.metadata.labels.clone().unwrap_or_default(),
            taints: node.spec.as_ref().and_then(|s| s.taints.clone()).unwrap_or_default(),
            unschedulable: node.spec.as_ref().and_then(|s| s.unschedulable).unwrap_or(false),
            allocatable,
            requested: Resources::new(),
            pods: 0,
        }
    }

    /// The bytes the fingerprint of the cluster is made of.
    pub fn fingerprint(&self, out: &mut Vec<u8>) {
        out.extend(
            format!(
                "{}|{:?}|{}|{:?}|{:?}|{}\n",
                self.name, self.labels, self.unschedulable, self.allocatable, self.requested, self.pods
            )
            .bytes(),
        );
        for t in &self.taints {
            out.extend(format!("{}={:?}:{}\n", t.key, t.value, t.effect).bytes());
        }
    }

    /// Counts a pod bound to this node.
    pub fn add(&mut self, requests: &Resources) {
        self.pods += 1;
        for (name, v) in requests {
            *self.requested.entry(name.clone()).or_default() += v;
        }
    }
}

/// Why one node cannot take the pod: the failing plugin's reasons, and whether removing
/// lower-priority pods could change that (`UnschedulableAndUnresolvable` is the opposite).
#[derive(Clone)]
pub(super) struct Rejection {
    pub reasons: Vec<String>,
    pub resolvable: bool,
}

/// Runs the filters for one pod on one node.
pub(super) fn filter(
    pod: &Pod,
    tolerations: &[Toleration],
    requests: &Resources,
    node: &NodeInfo,
) -> Option<Rejection> {
    let unresolvable = |reason: String| Some(Rejection { reasons: vec![reason], resolvable: false });
    // NodeUnschedulable: a cordoned node takes only pods tolerating its unschedulable taint.
    if node.unschedulable {
        let taint = Taint {
            key: "node.kubernetes.io/unschedulable".into(),
            effect: "NoSchedule".into(),
            value: None,
            time_added: None,
        };
        if !tolerations.iter().any(|t| tolerates(t, &taint)) {
            return unresolvable("node(s) were unschedulable".into());
        }
    }
    // TaintToleration: the first NoSchedule or NoExecute taint the pod does not tolerate.
    if let Some(taint) = first_untolerated(&node.taints, tolerations, &["NoSchedule", "NoExecute"]) {
        let value = taint.value.as_deref().unwrap_or_default();
        return unresolvable(format!("node(s) had untolerated taint {{{}: {value}}}", taint.key));
    }
    // NodeAffinity: the node selector and the required node affinity.
    if !matches_affinity(pod, &node.name, &node.labels) {
        return unresolvable("node(s) didn't match Pod's node affinity/selector".into());
    }
    // NodeResourcesFit (`fitsRequest` in `noderesources/fit.go`): the pod count first, then each
    // requested resource against what is left of the node's allocatable.
    let mut reasons = Vec::new();
    let allowed_pods = node.allocatable.get("pods").copied().unwrap_or(0) / 1000;
    if node.pods as i128 + 1 > allowed_pods {
        reasons.push("Too many pods".to_string());
    }
    let ordered = ["cpu", "memory", "ephemeral-storage"];
    let rest = requests.keys().filter(|k| !ordered.contains(&k.as_str()) && k.as_str() != "pods");
    for name in ordered.iter().copied().chain(rest.map(String::as_str)) {
        let want = requests.get(name).copied().unwrap_or(0);
        if want == 0 {
            continue;
        }
        let free =
            node.allocatable.get(name).copied().unwrap_or(0) - node.requested.get(name).copied().unwrap_or(0);
        if want > free {
            reasons.push(format!("Insufficient {name}"));
        }
    }
    (!reasons.is_empty()).then_some(Rejection { reasons, resolvable: true })
}

/// The `nodeSelector` and the required node affinity (`matchFields` on `metadata.name`, the form
/// the DaemonSet controller writes, and `matchExpressions` on labels; terms are ORed, the
/// requirements of one term ANDed), as `nodeaffinity/node_affinity.go` reads them.
fn matches_affinity(pod: &Pod, node: &str, labels: &BTreeMap<String, String>) -> bool {
    let Some(spec) = pod.spec.as_ref() else { return false };
    if let Some(sel) = &spec.node_selector {
        if !Selector::from_map(sel).matches(Some(labels)) {
            return false;
        }
    }
    let terms = spec
        .affinity
        .as_ref()
        .and_then(|a| a.node_affinity.as_ref())
        .and_then(|a| a.required_during_scheduling_ignored_during_execution.as_ref())
        .map(|r| r.node_selector_terms.as_slice())
        .unwrap_or(&[]);
    if terms.is_empty() {
        return true;
    }
    terms.iter().any(|term| {
        // A term with no requirements matches no node.
        if term.match_fields.as_ref().is_none_or(Vec::is_empty)
            && term.match_expressions.as_ref().is_none_or(Vec::is_empty)
        {
            return false;
        }
        let fields_ok = term.match_fields.iter().flatten().all(|req| {
            let values = req.values.clone().unwrap_or_default();
            match (req.key.as_str(), req.operator.as_str()) {
                ("metadata.name", "In") => values.iter().any(|v| v == node),
                ("metadata.name", "NotIn") => !values.iter().any(|v| v == node),
                _ => false,
            }
        });
        let labels_ok = term.match_expressions.iter().flatten().all(|req| {
            let values = req.values.clone().unwrap_or_default();
            let value = labels.get(&req.key);
            let number = |v: &str| v.parse::<i64>().ok();
            match req.operator.as_str() {
                "In" => value.is_some_and(|v| values.contains(v)),
                "NotIn" => value.is_none_or(|v| !values.contains(v)),
                "Exists" => value.is_some(),
                "DoesNotExist" => value.is_none(),
                "Gt" | "Lt" => {
                    let (Some(have), Some(bound)) =
                        (value.and_then(|v| number(v)), values.first().and_then(|v| number(v)))
                    else {
                        return false;
                    };
                    if req.operator == "Gt" {
                        have > bound
                    } else {
                        have < bound
                    }
                }
                _ => false,
            }
        });
        fields_ok && labels_ok
    })
}
