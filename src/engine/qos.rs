//! A pod's quality-of-service class (`pkg/apis/core/helper/qos/qos.go` GetPodQOS), the one
//! definition the kubelet's status and `kubectl describe` share.

use k8s_openapi::api::core::v1::Container;

/// `BestEffort` without any requests or limits, `Guaranteed` when every container limits CPU and
/// memory and requests equal limits (a missing request defaults to its limit), `Burstable`
/// otherwise. `containers` are the pod's regular and init containers, in any order.
pub fn qos_class<'a>(containers: impl IntoIterator<Item = &'a Container>) -> &'static str {
    let mut any = false;
    let mut guaranteed = true;
    for c in containers {
        let res = c.resources.as_ref();
        let req = res.and_then(|r| r.requests.as_ref());
        let lim = res.and_then(|r| r.limits.as_ref());
        if req.is_some_and(|m| !m.is_empty()) || lim.is_some_and(|m| !m.is_empty()) {
            any = true;
        }
        for r in ["cpu", "memory"] {
            let l = lim.and_then(|m| m.get(r));
            let q = req.and_then(|m| m.get(r)).or(l);
            if l.is_none() || q != l {
                guaranteed = false;
            }
        }
    }
    if !any {
        "BestEffort"
    } else if guaranteed {
        "Guaranteed"
    } else {
        "Burstable"
    }
}
