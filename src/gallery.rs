//! The built-in scenarios: every lab of the seed articles, as files under `static/scenarios/`.
//! (Placeholder until the scenarios land.)

/// One built-in scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The scenario's `metadata.name`, used in links.
    pub slug: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    /// The whole scenario file.
    pub yaml: &'static str,
}

/// Every built-in scenario, in the order the gallery shows them.
pub fn all() -> &'static [Entry] {
    &[]
}
