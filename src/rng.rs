//! The world's single source of pseudo-randomness.
//!
//! Every generated name (ReplicaSet hashes aside, which are content hashes) and every pod IP comes
//! from one seeded generator owned by the world, so the same scenario and seed always give the
//! same names. SplitMix64 is small, fast and has no dependency; its quality is ample for names.

/// A seeded SplitMix64 generator.
#[derive(Clone, Debug)]
pub struct Rng {
    state: u64,
}

/// The alphabet Kubernetes uses for generated name suffixes and pod-template hashes
/// (`k8s.io/apimachinery/pkg/util/rand`): no vowels, no look-alike characters.
pub const NAME_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

impl Rng {
    /// Creates a generator from the scenario's seed.
    pub fn new(seed: u64) -> Self {
        Rng { state: seed ^ 0x9E37_79B9_7F4A_7C15 }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform integer in `0..n` (`n` must be non-zero).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// A random string of `len` characters from [`NAME_ALPHABET`], as `generateName` appends.
    pub fn name_suffix(&mut self, len: usize) -> String {
        (0..len).map(|_| NAME_ALPHABET[self.below(NAME_ALPHABET.len() as u64) as usize] as char).collect()
    }

    /// A random lowercase hexadecimal string, for container IDs and UIDs.
    pub fn hex(&mut self, len: usize) -> String {
        const HEX: &[u8] = b"0123456789abcdef";
        (0..len).map(|_| HEX[self.below(16) as usize] as char).collect()
    }

    /// A random UID in the 8-4-4-4-12 form the API server assigns.
    pub fn uid(&mut self) -> String {
        format!("{}-{}-{}-{}-{}", self.hex(8), self.hex(4), self.hex(4), self.hex(4), self.hex(12))
    }
}
