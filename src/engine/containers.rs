//! The container runtime side of the kubelet: letting a container's process run up to now,
//! noticing its exit one PLEG relist later (`pkg/kubelet/pleg/generic.go`), queuing its next wake,
//! sharing volume contents between the pod's containers, and the pod worker's sync requests that
//! every other part raises (`pkg/kubelet/pod_workers.go` UpdatePod).

use super::runtime::{mounts, ExitReason};
use super::{Ev, PodId, Trace, World};
use crate::duration::Millis;

pub(super) use super::timing::PLEG_DELAY;

impl World {
    /// Asks for a sync of the pod at `at`; requests for the same instant coalesce into one sync.
    pub(crate) fn request_sync(&mut self, id: PodId, at: Millis) {
        let Some(rt) = self.pods.get_mut(id) else { return };
        if rt.pending_syncs.insert(at) {
            self.queue.push(at, Ev::Sync { pod: id });
        }
    }

    /// Propagates changes a container made to its mounted volumes to the pod's other running
    /// containers that mount them, so an init container's page shows up in the web server.
    fn sync_volumes(&mut self, id: PodId, slot: usize) {
        let Some(rt) = self.pods.get_mut(id) else { return };
        // Most containers mount nothing, and this runs after every probe: ask before collecting.
        if rt.slots[slot].spec.volume_mounts.as_ref().is_none_or(|m| m.is_empty()) {
            return;
        }
        for (volume, path) in mounts(&rt.slots[slot].spec) {
            let Some(inst) = rt.slots[slot].instances.last() else { return };
            let tree = inst.proc.volume_tree(&crate::container::fs::normalize("/", &path));
            if rt.volumes.get(&volume) == Some(&tree) {
                continue;
            }
            for (i, other) in rt.slots.iter_mut().enumerate() {
                if i == slot {
                    continue;
                }
                let targets: Vec<String> =
                    mounts(&other.spec).into_iter().filter(|(v, _)| *v == volume).map(|(_, p)| p).collect();
                if let Some(o) = other.running_mut() {
                    for p in targets {
                        o.proc.mount_tree(&p, &tree);
                    }
                }
            }
            rt.volumes.insert(volume, tree);
        }
    }

    /// Lets a container's process act up to now, records an exit, and queues its next wake.
    pub(crate) fn after_container_touched(&mut self, id: PodId, slot: usize) {
        self.after_container_touched_inner(id, slot);
        self.sync_volumes(id, slot);
    }

    fn after_container_touched_inner(&mut self, id: PodId, slot: usize) {
        let now = self.now;
        // The processes run with their pod's network, so a script's `wget` reaches other pods.
        let ran = self.with_pod_net(id, slot, |inst, net| {
            if inst.exit.is_none() {
                inst.proc.advance_in(now, net);
            }
            inst.exit.is_none()
        });
        if ran != Some(true) {
            return;
        }
        let Some(rt) = self.pods.get_mut(id) else { return };
        let target = &mut rt.slots[slot];
        let Some(inst) = target.instances.last_mut() else { return };
        // Only memory hogs report resident memory, so every other container skips this check.
        let resident = inst.proc.resident_bytes();
        let oom = (resident > 0
            && super::memory::limit_bytes(&target.spec).is_some_and(|limit| resident > limit))
            || inst.proc.oom_killed();
        if inst.proc.take_throttle_notice() {
            self.throttled(id, slot);
            return self.after_container_touched_inner(id, slot);
        }
        if oom {
            inst.proc.signal(crate::container::Signal::Kill, now);
        }
        if let Some(status) = inst.proc.exit_status().cloned() {
            let reason = if oom { ExitReason::OomKilled } else { ExitReason::of(status.code) };
            inst.exit = Some((status.code, status.at, reason));
            inst.wake_at = None;
            let s = &mut rt.slots[slot];
            if let Some(last) = s.instances.last_mut() {
                last.termination_message = super::termination::message(&s.spec, &last.proc, status.code);
            }
            rt.version += 1;
            let (ns, pod, container) = (rt.namespace.clone(), rt.name.clone(), rt.slots[slot].name.clone());
            let waiting_plan = rt.plan.as_ref().map(|p| (p.op, p.kills.iter().any(|k| k.slot == slot)));
            self.logs.trace.push(Trace::Exited {
                at: status.at,
                namespace: ns,
                pod,
                container,
                exit_code: status.code,
                reason: reason.as_str().to_string(),
            });
            self.request_sync(id, status.at.max(now) + PLEG_DELAY);
            if let Some((op, true)) = waiting_plan {
                self.queue.push(now, Ev::Continue { pod: id, op });
            }
            return;
        }
        // A busy loop reports a wake at or just before now: it wants to run again, so the wake is
        // moved one millisecond on, which is also the time each iteration costs in the shell.
        let wake = inst.proc.next_wake().map(|w| w.max(now + 1));
        if wake != inst.wake_at {
            inst.wake_at = wake;
            if let Some(at) = wake {
                let serial = inst.serial;
                self.queue.push(at, Ev::Wake { pod: id, slot, serial });
            }
        }
    }

    pub(crate) fn process_wake(&mut self, id: PodId, slot: usize, serial: u64) {
        let now = self.now;
        let Some(rt) = self.pods.get_mut(id) else { return };
        let Some(inst) = rt.slots.get_mut(slot).and_then(|s| s.instances.last_mut()) else { return };
        if inst.serial != serial || inst.wake_at != Some(now) {
            return;
        }
        inst.wake_at = None;
        self.after_container_touched(id, slot);
    }
}
