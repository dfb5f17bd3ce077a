//! Telling the learner that a container's shell was throttled: a busy loop (a script's, an
//! exec's, a probe's command) used up the playground's shell steps for a virtual second
//! (`crate::budget::SHELL_STEPS_PER_SECOND`) and waits for the next one. A real kubelet reports
//! nothing for CPU throttling (world-semantics.md, "CPU limits"); the playground's budget is its
//! own, so it says so once per container instance, with a warning event on the pod from the
//! node's kubelet, as the kubelet's other container events are.

use super::{PodId, World};
use crate::events::Source;

impl World {
    /// Records the `Throttled` warning for the container in `slot` of the pod.
    pub(super) fn throttled(&mut self, id: PodId, slot: usize) {
        let now = self.now;
        let Some(rt) = self.pods.get(id) else { return };
        let obj = rt.container_ref(slot);
        let source = Source { component: "kubelet".to_string(), host: rt.node.clone() };
        let message = crate::budget::throttled_message(&rt.slots[slot].name);
        let reason = crate::budget::THROTTLED_REASON;
        self.recorder.record(&mut self.api, now, &source, &obj, "Warning", reason, &message);
    }
}
