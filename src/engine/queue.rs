//! The discrete-event queue: every future action of the world, ordered by (instant, class,
//! sequence number), so that the same inputs always pop in the same order.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::Ev;
use crate::duration::Millis;

/// A queued event. Its order is (instant, class, sequence number), packed into one integer so that
/// the heap compares one number per step: the instant in the high 64 bits, then 8 bits of class,
/// then 56 bits of sequence number (enough for one event per nanosecond for two years).
#[derive(Clone, Debug)]
struct Queued {
    key: u128,
    ev: Ev,
}

impl Queued {
    fn key(at: Millis, class: u8, seq: u64) -> u128 {
        ((at as u128) << 64) | ((class as u128) << 56) | (seq as u128 & ((1 << 56) - 1))
    }

    fn at(&self) -> Millis {
        (self.key >> 64) as Millis
    }
}

impl PartialEq for Queued {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl Eq for Queued {}

impl PartialOrd for Queued {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Queued {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key.cmp(&other.key)
    }
}

/// The world's event queue, a part of the world borrowed on its own: the kubelet can hold a pod's
/// runtime mutably and still queue that pod's next event.
#[derive(Clone, Default)]
pub(crate) struct EventQueue {
    heap: BinaryHeap<Reverse<Queued>>,
    seq: u64,
}

impl EventQueue {
    /// Queues an event at `at`; events of one instant pop by class, then in the order queued.
    pub(crate) fn push(&mut self, at: Millis, ev: Ev) {
        self.seq += 1;
        let class = ev.class();
        self.heap.push(Reverse(Queued { key: Queued::key(at, class, self.seq), ev }));
    }

    /// The instant of the next event.
    pub(crate) fn next_at(&self) -> Option<Millis> {
        self.heap.peek().map(|Reverse(q)| q.at())
    }

    /// Takes the next event if it is due at or before `until`.
    pub(crate) fn pop_due(&mut self, until: Millis) -> Option<(Millis, Ev)> {
        if self.next_at()? > until {
            return None;
        }
        let Reverse(item) = self.heap.pop()?;
        Some((item.at(), item.ev))
    }
}
