//! The images each node holds (the container runtime's image store) and the scenario's private
//! images. A pulled image stays on its node; the reference model starts every node with the
//! images the scenario's objects name that the registries have (kubelet-semantics.md, "images are
//! present"), so a pod of the file starts at once while an image brought in later (`kubectl set
//! image`, a new file applied) is pulled on each node the first time it is needed.

use std::collections::{BTreeMap, BTreeSet};

/// The image stores of the nodes, by normalized reference (`docker.io/library/nginx:1.27`).
#[derive(Clone, Debug, Default)]
pub struct NodeImages {
    /// Present on every node from the start.
    preloaded: BTreeSet<String>,
    /// Pulled by each node since.
    pulled: BTreeMap<String, BTreeSet<String>>,
    /// The scenario's own images (`spec.images`), normalized: they exist in the registry.
    private: Vec<String>,
}

impl NodeImages {
    /// Whether the node holds the image.
    pub fn present(&self, node: &str, normalized: &str) -> bool {
        self.preloaded.contains(normalized) || self.pulled.get(node).is_some_and(|s| s.contains(normalized))
    }

    /// Records a pull.
    pub fn add(&mut self, node: &str, normalized: String) {
        self.pulled.entry(node.to_string()).or_default().insert(normalized);
    }

    /// The scenario's private images.
    pub fn private(&self) -> &[String] {
        &self.private
    }

    /// Declares the scenario's private images and the images every node starts with: each image
    /// named by the given pod specs that parses and that the registries have.
    pub fn prepare<'a>(&mut self, private: &[String], images: impl Iterator<Item = &'a str>) {
        use crate::container::images::{reference, registry};
        self.private = private
            .iter()
            .filter_map(|i| reference::parse_normalized(i).ok())
            .map(|r| r.normalized())
            .collect();
        for image in images {
            let Ok(r) = reference::parse_normalized(image) else { continue };
            if registry::resolve(&r, &self.private).is_ok() {
                self.preloaded.insert(r.normalized());
            }
        }
    }
}

/// The images a scenario object's pods run: its containers' and init containers'.
pub fn object_images(object: &crate::manifest::Object) -> Vec<&str> {
    use crate::manifest::Object;
    let spec = match object {
        Object::Pod(p) => p.spec.as_ref(),
        Object::Deployment(d) => d.spec.as_ref().and_then(|s| s.template.spec.as_ref()),
        Object::StatefulSet(s) => s.spec.as_ref().and_then(|s| s.template.spec.as_ref()),
        Object::DaemonSet(d) => d.spec.as_ref().and_then(|s| s.template.spec.as_ref()),
        Object::ReplicaSet(r) => {
            r.spec.as_ref().and_then(|s| s.template.as_ref()).and_then(|t| t.spec.as_ref())
        }
        #[allow(unreachable_patterns)]
        _ => None,
    };
    let Some(spec) = spec else { return Vec::new() };
    spec.containers
        .iter()
        .chain(spec.init_containers.iter().flatten())
        .filter_map(|c| c.image.as_deref())
        .collect()
}
