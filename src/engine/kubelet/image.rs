//! The image step of a container start (`pkg/kubelet/images/image_manager.go` EnsureImageExists):
//! the default tag, the node's image store against the pull policy, the pull back-off, the pull
//! itself against the registries, and the events and errors of each outcome
//! (`pkg/kubelet/events/event.go`, `pkg/kubelet/images/types.go`).

use super::super::images::Queued;
use super::super::runtime::{Backoff, PullPolicy, WaitingReason};
use super::super::{PodId, World};
use super::kubelet_source;
use crate::container::images::reference::{apply_default_tag, Reference};
use crate::container::images::registry::{resolve, PullFailure};
use crate::container::Container;
use crate::duration::{Millis, SECOND};
use crate::manifest::KubeVersion;

/// The image pull back-off (`pkg/kubelet/kubelet.go`: `flowcontrol.NewBackOff(imageBackOffPeriod,
/// MaxImageBackOff)`): 10 s doubling to 300 s, no jitter; an entry untouched for more than twice
/// the maximum counts as expired (`client-go/util/flowcontrol/backoff.go`).
const IMAGE_BACKOFF_INITIAL: Millis = 10 * SECOND;
const IMAGE_BACKOFF_MAX: Millis = 300 * SECOND;

pub(super) fn expired(entry: &Backoff, now: Millis) -> bool {
    now.saturating_sub(entry.last_update) > 2 * IMAGE_BACKOFF_MAX
}

/// What a failed pull returns through CRI: containerd 2.1's transfer-service wording behind the
/// gRPC status (`internal/cri/server/images/image_pull.go`, `core/remotes/docker/resolver.go`).
fn pull_error(reference: &Reference, failure: PullFailure) -> String {
    let normalized = reference.normalized();
    let (code, cause) = match failure {
        PullFailure::TagNotFound => ("NotFound", format!("{normalized}: not found")),
        // The gRPC code of the authorization failure is presumably Unknown (unverified in
        // world-semantics.md, "containerd 2.x error text for a failed pull").
        PullFailure::AccessDenied => (
            "Unknown",
            "pull access denied, repository does not exist or may require authorization: server message: \
             insufficient_scope: authorization failed"
                .to_string(),
        ),
        // Registries other than Docker Hub answer 404 for a repository they do not have; the
        // resolver then words it as a missing tag (unverified for every registry).
        PullFailure::RepositoryNotFound => ("NotFound", format!("{normalized}: not found")),
    };
    format!(
        "rpc error: code = {code} desc = failed to pull and unpack image \"{normalized}\": failed to resolve image: {cause}"
    )
}

impl World {
    /// Makes sure the container's image is on the node, recording the kubelet's events; an error
    /// is the reason and message the container then waits with. The caller records
    /// `Error: <reason>` (`pkg/kubelet/kuberuntime/kuberuntime_container.go` startContainer).
    ///
    /// `Ok(Some(_))` is a pull the node's puller has queued or started, which the container start
    /// waits for (`kubelet/pull.rs`); `Ok(None)` means the image is there.
    pub(super) fn ensure_image(
        &mut self,
        id: PodId,
        slot: usize,
    ) -> Result<Option<Queued>, (WaitingReason, String)> {
        let now = self.now;
        let version = self.version;
        let rt = self.pods.get_mut(id).ok_or((WaitingReason::ErrImagePull, String::new()))?;
        let spec = &rt.slots[slot].spec;
        let image = spec.image.clone().unwrap_or_default();
        let policy = PullPolicy::of(spec);
        let obj = rt.container_ref(slot);
        let node = rt.node.clone();
        let source = kubelet_source(&node);
        let event = |w: &mut World, kind: &str, reason: &str, message: &str| {
            w.recorder.record(&mut w.api, now, &source, &obj, kind, reason, message);
        };
        let reference = match apply_default_tag(&image) {
            Ok((_, reference)) => reference,
            Err(e) => {
                let msg = format!("Failed to apply default image tag {image:?}: {e}");
                event(self, "Warning", "InspectFailed", &msg);
                return Err((WaitingReason::InvalidImageName, msg));
            }
        };
        let normalized = reference.normalized();
        let present = policy != PullPolicy::Always && self.images.present(&node, &normalized);
        if policy == PullPolicy::Never && !present {
            let msg = format!("Container image {image:?} is not present with pull policy of Never");
            event(self, "Warning", "ErrImageNeverPull", &msg);
            return Err((WaitingReason::ErrImageNeverPull, msg));
        }
        if present {
            // From 1.35 KubeletEnsureSecretPulledImages is on and the message says so.
            let msg = match version {
                KubeVersion::V1_34 => format!("Container image {image:?} already present on machine"),
                KubeVersion::V1_35 => {
                    format!(
                        "Container image {image:?} already present on machine and can be accessed by the pod"
                    )
                }
            };
            event(self, "Normal", "Pulled", &msg);
            return Ok(None);
        }
        let rt = self.pods.get_mut(id).ok_or((WaitingReason::ErrImagePull, String::new()))?;
        if let Some((entry, previous)) = rt.image_backoff.get(&image) {
            if !expired(entry, now) && now.saturating_sub(entry.last_update) < entry.backoff {
                let back_off = format!("Back-off pulling image {image:?}");
                let msg = format!("{back_off}: {previous}");
                event(self, "Normal", "BackOff", &back_off);
                return Err((WaitingReason::ImagePullBackOff, msg));
            }
        }
        event(self, "Normal", "Pulling", &format!("Pulling image {image:?}"));
        let private = self.images.private().to_vec();
        match resolve(&reference, &private) {
            Ok(()) => {
                let size = Container::image_size(&image);
                let queued = self.images.enqueue(&node, &normalized, size, now);
                if queued.done > now {
                    return Ok(Some(queued));
                }
                self.finish_pull(id, slot, now, queued);
                Ok(None)
            }
            Err(failure) => {
                let err = pull_error(&reference, failure);
                event(self, "Warning", "Failed", &format!("Failed to pull image {image:?}: {err}"));
                let rt = self.pods.get_mut(id).ok_or((WaitingReason::ErrImagePull, String::new()))?;
                let backoff = match rt.image_backoff.get(&image) {
                    Some((entry, _)) if !expired(entry, now) => (entry.backoff * 2).min(IMAGE_BACKOFF_MAX),
                    _ => IMAGE_BACKOFF_INITIAL,
                };
                let previous = format!("{}: {err}", WaitingReason::ErrImagePull.as_str());
                rt.image_backoff.insert(image, (Backoff { backoff, last_update: now }, previous));
                Err((WaitingReason::ErrImagePull, err))
            }
        }
    }
}
