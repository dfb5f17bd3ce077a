//! The images each node holds (the container runtime's image store) and the scenario's private
//! images. A pulled image stays on its node; the reference model starts every node with the
//! images the scenario's objects name that the registries have (kubelet-semantics.md, "images are
//! present"), so a pod of the file starts at once while an image brought in later (`kubectl set
//! image`, a new file applied) is pulled on each node the first time it is needed.

use std::collections::{BTreeMap, BTreeSet};

use crate::duration::{Millis, SECOND};

/// The image stores of the nodes, by normalized reference (`docker.io/library/nginx:1.27`).
#[derive(Clone, Debug, Default)]
pub struct NodeImages {
    /// Present on every node from the start.
    preloaded: BTreeSet<String>,
    /// Pulled by each node since.
    pulled: BTreeMap<String, BTreeSet<String>>,
    /// The scenario's own images (`spec.images`), normalized: they exist in the registry.
    private: Vec<String>,
    /// How the nodes pull (`spec.imagePulls`).
    pub(crate) pulls: crate::manifest::PullSettings,
    /// With serialized pulls, when each node's puller is free again.
    busy_until: BTreeMap<String, Millis>,
    /// Pulls accepted and not yet recorded in the store, by (node, image): when each is done.
    in_flight: BTreeMap<(String, String), Millis>,
}

/// A pull the puller has accepted: how long the runtime spends pulling, and when it is done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Queued {
    pub(crate) pull: Millis,
    pub(crate) done: Millis,
}

impl NodeImages {
    /// Whether the node holds the image.
    pub fn present(&self, node: &str, normalized: &str) -> bool {
        self.preloaded.contains(normalized) || self.pulled.get(node).is_some_and(|s| s.contains(normalized))
    }

    /// Hands a pull of `size` bytes to the node's puller at `now` (`pkg/kubelet/images/puller.go`):
    /// the serial puller runs one pull at a time per node, in the order they came, so a pull
    /// waits for the ones before it; the parallel puller starts it at once. The pull takes the
    /// image's size over the scenario's bandwidth (no time without one); an image the node
    /// already holds has nothing to download.
    pub(crate) fn enqueue(&mut self, node: &str, normalized: &str, size: u64, now: Millis) -> Queued {
        let start =
            if self.pulls.serialize { self.busy_until.get(node).copied().unwrap_or(0).max(now) } else { now };
        // A pull of the same image that ends before this one starts has left its layers on the
        // node (the serial puller's second pull of an image finds everything there).
        let key = (node.to_string(), normalized.to_string());
        let arrived = self.in_flight.get(&key).is_some_and(|done| *done <= start);
        let pull = match self.pulls.bandwidth {
            Some(rate) if rate > 0 && !arrived && !self.present(node, normalized) => {
                let ms = u128::from(size) * u128::from(SECOND) / u128::from(rate);
                Millis::try_from(ms).unwrap_or(Millis::MAX / 4)
            }
            _ => 0,
        };
        let done = start + pull;
        if self.pulls.serialize && done > now {
            self.busy_until.insert(node.to_string(), done);
        }
        if pull > 0 {
            let entry = self.in_flight.entry(key).or_insert(done);
            *entry = (*entry).min(done);
        }
        Queued { pull, done }
    }

    /// Records a pull.
    pub fn add(&mut self, node: &str, normalized: String) {
        self.in_flight.remove(&(node.to_string(), normalized.clone()));
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
        for image in images.filter(|_| self.pulls.preloaded) {
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
