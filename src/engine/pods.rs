//! The kubelet's pod runtimes, a part of the world borrowed on its own, found by [`PodId`] (a
//! handle) or by API key.

use std::collections::BTreeMap;

use super::runtime::PodRuntime;
use super::PodId;
use crate::api::ObjectKey;

/// A runtime and the table's runtimes before and after it.
pub(crate) type Split<'a> = (&'a mut [Option<PodRuntime>], &'a mut PodRuntime, &'a mut [Option<PodRuntime>]);

/// The pod runtimes. Ids are handed out in increasing order and never reused, so a vector indexed
/// by id finds a runtime in constant time (every probe run looks its pod up several times), and a
/// handle to a pod that is gone finds nothing instead of another pod.
#[derive(Clone, Default)]
pub(crate) struct PodTable {
    slots: Vec<Option<PodRuntime>>,
    /// The runtime currently holding each API key (pods can reuse names, so not the same as ids).
    by_key: BTreeMap<ObjectKey, PodId>,
}

impl PodTable {
    pub(crate) fn get(&self, id: PodId) -> Option<&PodRuntime> {
        self.slots.get(id.index())?.as_ref()
    }

    pub(crate) fn get_mut(&mut self, id: PodId) -> Option<&mut PodRuntime> {
        self.slots.get_mut(id.index())?.as_mut()
    }

    /// A runtime with the table split around it: the runtimes before and after its slot, so that
    /// one pod's container can reach the others while it runs (`network`).
    pub(crate) fn split_mut(&mut self, id: PodId) -> Option<Split<'_>> {
        let index = id.index();
        if index >= self.slots.len() {
            return None;
        }
        let (before, rest) = self.slots.split_at_mut(index);
        let (me, after) = rest.split_first_mut()?;
        Some((before, me.as_mut()?, after))
    }

    /// The id of the runtime holding an API key.
    pub(crate) fn id_of(&self, key: &ObjectKey) -> Option<PodId> {
        self.by_key.get(key).copied()
    }

    /// The id the next runtime gets (ids start at 1).
    pub(crate) fn next_id(&self) -> PodId {
        PodId(self.slots.len().max(1) as u64)
    }

    /// Adds a runtime under the id [`PodTable::next_id`] gave and its API key.
    pub(crate) fn insert(&mut self, rt: PodRuntime) -> PodId {
        let id = self.next_id();
        if self.slots.is_empty() {
            self.slots.push(None);
        }
        self.by_key.insert(rt.key.clone(), id);
        self.slots.push(Some(rt));
        id
    }

    /// Removes a runtime and its key.
    pub(crate) fn remove(&mut self, key: &ObjectKey, id: PodId) -> Option<PodRuntime> {
        if self.by_key.get(key) == Some(&id) {
            self.by_key.remove(key);
        }
        self.slots.get_mut(id.index())?.take()
    }
}
