//! Taints and tolerations: which taints a pod tolerates (`Toleration.ToleratesTaint` in
//! `staging/src/k8s.io/api/core/v1/toleration.go`) and the tolerations the API server's
//! `DefaultTolerationSeconds` admission plugin gives every pod
//! (`plugin/pkg/admission/defaulttolerationseconds/admission.go`).

use k8s_openapi::api::core::v1::{PodSpec, Taint, Toleration};

/// The not-ready and unreachable taints the node lifecycle controller puts on a failing node.
pub(crate) const NOT_READY: &str = "node.kubernetes.io/not-ready";
pub(crate) const UNREACHABLE: &str = "node.kubernetes.io/unreachable";

/// How long a pod stays bound to a not-ready or unreachable node by default
/// (`--default-not-ready-toleration-seconds`, `--default-unreachable-toleration-seconds`).
pub(crate) const DEFAULT_TOLERATION_SECONDS: i64 = 300;

/// The pod's tolerations as admitted: its own, plus `not-ready` and `unreachable` `NoExecute`
/// for 300 s each unless it already tolerates that key. The simulation's store keeps the spec as
/// written (so `-o yaml` shows what the file said), and every reader of tolerations goes through
/// this function instead, which gives the same answers as the admitted spec.
pub(crate) fn admitted(spec: Option<&PodSpec>) -> Vec<Toleration> {
    let mut tolerations = spec.and_then(|s| s.tolerations.clone()).unwrap_or_default();
    for key in [NOT_READY, UNREACHABLE] {
        let tolerated = tolerations.iter().any(|t| {
            (t.key.as_deref() == Some(key) || (t.key.as_deref().is_none_or(str::is_empty) && is_exists(t)))
                && t.effect.as_deref().is_none_or(|e| e.is_empty() || e == "NoExecute")
        });
        if !tolerated {
            tolerations.push(Toleration {
                key: Some(key.to_string()),
                operator: Some("Exists".to_string()),
                effect: Some("NoExecute".to_string()),
                toleration_seconds: Some(DEFAULT_TOLERATION_SECONDS),
                value: None,
            });
        }
    }
    tolerations
}

fn is_exists(t: &Toleration) -> bool {
    t.operator.as_deref() == Some("Exists")
}

/// `ToleratesTaint`: the effect matches (an empty toleration effect matches every effect), the
/// key matches (an empty key with `Exists` matches every key), and with `Equal` (the default
/// operator) the values are equal.
pub(crate) fn tolerates(t: &Toleration, taint: &Taint) -> bool {
    let effect = t.effect.as_deref().unwrap_or_default();
    if !effect.is_empty() && effect != taint.effect {
        return false;
    }
    let key = t.key.as_deref().unwrap_or_default();
    if !key.is_empty() && key != taint.key {
        return false;
    }
    match t.operator.as_deref().unwrap_or("Equal") {
        "Exists" => true,
        "Equal" | "" => {
            key == taint.key
                && t.value.as_deref().unwrap_or_default() == taint.value.as_deref().unwrap_or_default()
        }
        _ => false,
    }
}

/// The first of `taints` with one of `effects` that none of `tolerations` tolerates
/// (`FindMatchingUntoleratedTaint`).
pub(crate) fn first_untolerated<'a>(
    taints: &'a [Taint],
    tolerations: &[Toleration],
    effects: &[&str],
) -> Option<&'a Taint> {
    taints
        .iter()
        .filter(|taint| effects.contains(&taint.effect.as_str()))
        .find(|taint| !tolerations.iter().any(|t| tolerates(t, taint)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taint(key: &str, value: &str, effect: &str) -> Taint {
        Taint { key: key.into(), value: Some(value.into()), effect: effect.into(), time_added: None }
    }

    fn toleration(key: &str, op: &str, value: &str, effect: &str) -> Toleration {
        let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
        Toleration {
            key: opt(key),
            operator: opt(op),
            value: opt(value),
            effect: opt(effect),
            toleration_seconds: None,
        }
    }

    #[test]
    fn tolerations_match_as_the_api_defines() {
        let gpu = taint("gpu", "true", "NoSchedule");
        assert!(tolerates(&toleration("gpu", "Equal", "true", "NoSchedule"), &gpu));
        assert!(tolerates(&toleration("gpu", "", "true", ""), &gpu));
        assert!(!tolerates(&toleration("gpu", "Equal", "false", "NoSchedule"), &gpu));
        assert!(tolerates(&toleration("gpu", "Exists", "", ""), &gpu));
        assert!(tolerates(&toleration("", "Exists", "", ""), &gpu));
        assert!(!tolerates(&toleration("gpu", "Exists", "", "NoExecute"), &gpu));
    }

    #[test]
    fn admission_adds_the_two_default_tolerations_once() {
        let added = admitted(None);
        assert_eq!(added.len(), 2);
        assert!(added.iter().all(|t| t.toleration_seconds == Some(300)));
        let own = PodSpec { tolerations: Some(vec![toleration("", "Exists", "", "")]), ..Default::default() };
        assert_eq!(admitted(Some(&own)).len(), 1);
    }
}
