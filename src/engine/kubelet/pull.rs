//! The end of a successful image pull (`pkg/kubelet/images/image_manager.go` pullImage): the
//! image is in the node's store, the `Pulled` event gives the time the runtime spent pulling and
//! the time since the kubelet asked, which includes the wait behind other pulls in the node's
//! serial puller (`Successfully pulled image "…" in 1.661s (3.2s including waiting). Image size:
//! N bytes.`, both durations Go's, to the millisecond), and expired pull back-off entries are
//! dropped.

use super::super::images::Queued;
use super::super::{PodId, World};
use super::image::expired;
use super::kubelet_source;
use crate::container::images::reference::apply_default_tag;
use crate::container::Container;
use crate::duration::{go_duration, Millis};

impl World {
    /// Finishes the pull a container start asked for at `asked`.
    pub(super) fn finish_pull(&mut self, id: PodId, slot: usize, asked: Millis, queued: Queued) {
        let now = self.now;
        let Some(rt) = self.pods.get_mut(id) else { return };
        rt.image_backoff.retain(|_, (entry, _)| !expired(entry, now));
        let image = rt.slots[slot].spec.image.clone().unwrap_or_default();
        let obj = rt.container_ref(slot);
        let node = rt.node.clone();
        if let Ok((_, reference)) = apply_default_tag(&image) {
            self.images.add(&node, reference.normalized());
        }
        let size = Container::image_size(&image);
        let message = format!(
            "Successfully pulled image {image:?} in {} ({} including waiting). Image size: {size} bytes.",
            go_duration(queued.pull),
            go_duration(queued.done.saturating_sub(asked)),
        );
        self.recorder.record(&mut self.api, now, &kubelet_source(&node), &obj, "Normal", "Pulled", &message);
    }
}
