//! Host-local IPAM, a part of the world borrowed on its own: each node's pod addresses.

use std::collections::{BTreeMap, BTreeSet};

/// A node's pod addresses: the last host number handed out and those in use.
#[derive(Clone, Debug, Default)]
struct IpPool {
    last: u32,
    in_use: BTreeSet<u32>,
}

/// Every node's pool, by node name.
#[derive(Clone, Debug, Default)]
pub(crate) struct Ipam {
    pools: BTreeMap<String, IpPool>,
}

impl Ipam {
    /// The next free host number of the node's /24 (`.2` onwards), continuing after the last one
    /// handed out and skipping addresses still in use, as the host-local plugin does
    /// (`plugins/ipam/host-local/backend/allocator/allocator.go` in containernetworking/plugins).
    /// `None` when the range is exhausted: the pod keeps asking at every sync.
    pub(crate) fn assign(&mut self, node: &str) -> Option<u32> {
        let pool = self.pools.entry(node.to_string()).or_default();
        if pool.in_use.len() >= 253 {
            return None;
        }
        for _ in 0..253 {
            pool.last = if pool.last >= 254 || pool.last < 2 { 2 } else { pool.last + 1 };
            if pool.in_use.insert(pool.last) {
                return Some(pool.last);
            }
        }
        None
    }

    /// Returns a host number to its node's pool once the pod is gone.
    pub(crate) fn release(&mut self, node: &str, octet: u32) {
        if let Some(pool) = self.pools.get_mut(node) {
            pool.in_use.remove(&octet);
        }
    }
}
