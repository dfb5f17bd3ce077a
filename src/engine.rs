//! The world: virtual time, the event queue, the kubelet and its probe workers.
//! (Being built.)
