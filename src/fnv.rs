//! FNV-1a (Fowler–Noll–Vo), the one stable, non-cryptographic hash of the crate: container spec
//! hashes and container IDs in the kubelet, generated image digests and sizes, the manifest
//! locator's path index, and the 32-bit form Kubernetes itself uses for pod-template hashes
//! (`pkg/controller/controller_utils.go` ComputeHash) and generated name suffixes.

/// The 64-bit FNV-1a hash of `bytes`.
#[inline]
pub fn fnv64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The 32-bit FNV-1a hash of `bytes`, as Go's `hash/fnv` New32a computes it.
#[inline]
pub fn fnv32(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in bytes {
        h ^= u32::from(*b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference values of the FNV test suite (`fnv1a_64("a")`, `fnv1a_32("a")`).
    #[test]
    fn known_values() {
        assert_eq!(fnv64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv32(b""), 0x811c_9dc5);
        assert_eq!(fnv32(b"a"), 0xe40c_292c);
    }
}
