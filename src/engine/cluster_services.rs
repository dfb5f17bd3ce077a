//! The Services every cluster has from its first instant, as cluster DNS answers for them:
//! `default/kubernetes` (the API server, the first address of the service range) and
//! `kube-system/kube-dns` (CoreDNS, the address the kubelet writes into every pod's
//! `/etc/resolv.conf`), at kubeadm's default addresses (`10.96.0.1`, `10.96.0.10`; unverified in
//! `world-semantics.md`, "Services and kube-proxy"). When the API store holds these Service
//! objects, their own ClusterIPs answer instead; these are the same addresses, so DNS agrees with
//! `kubectl get svc` either way.

use std::net::Ipv4Addr;

/// The well-known Services: namespace, name, ClusterIP.
const WELL_KNOWN: &[(&str, &str, Ipv4Addr)] = &[
    ("default", "kubernetes", Ipv4Addr::new(10, 96, 0, 1)),
    ("kube-system", "kube-dns", Ipv4Addr::new(10, 96, 0, 10)),
];

/// The ClusterIP of a well-known Service the API store does not hold.
pub(crate) fn record(namespace: &str, name: &str) -> Option<Ipv4Addr> {
    WELL_KNOWN.iter().find(|(ns, n, _)| *ns == namespace && *n == name).map(|(_, _, ip)| *ip)
}

/// The Service a well-known ClusterIP belongs to, as (namespace, name).
pub(crate) fn owner(ip: Ipv4Addr) -> Option<(&'static str, &'static str)> {
    WELL_KNOWN.iter().find(|(_, _, a)| *a == ip).map(|(ns, n, _)| (*ns, *n))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The kube-dns address is the one the kubelet gives pods as their nameserver.
    #[test]
    fn kube_dns_is_the_pods_nameserver() {
        let ip = record("kube-system", "kube-dns").unwrap();
        assert_eq!(ip.to_string(), crate::engine::network::CLUSTER_DNS);
        assert_eq!(owner(Ipv4Addr::new(10, 96, 0, 1)), Some(("default", "kubernetes")));
        assert_eq!(record("default", "kube-dns"), None);
    }
}
