//! The `postMessage` bridge of an embedded playground: who asked for change messages, what they were
//! last told, and posting replies. `docs/embed.md` is the protocol; `crate::embed` reads and writes
//! its messages.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::embed::{diff_state, Outbound, State as HostState};

/// Where a request came from, and so where its answer goes.
#[derive(Clone, Debug)]
pub struct Peer {
    /// The window (or port) that posted the request; `None` when the event named none.
    pub source: Option<JsValue>,
    /// The sender's origin, as the `message` event reported it.
    pub origin: String,
}

impl Peer {
    /// Posts one message to the peer. The origin is named so that nothing reaches another site if
    /// the peer navigated away meanwhile; an opaque origin (`"null"`, a page opened from disk or a
    /// sandboxed frame) cannot be named, so such a peer is answered with `*`.
    pub fn post(&self, message: &Outbound) {
        let Some(source) = &self.source else { return };
        let target = if self.origin.is_empty() || self.origin == "null" { "*" } else { self.origin.as_str() };
        post_to(source, &message.to_json(), target);
    }

    fn same(&self, other: &Peer) -> bool {
        self.origin == other.origin
            && match (&self.source, &other.source) {
                (Some(a), Some(b)) => js_sys::Object::is(a, b),
                (None, None) => true,
                _ => false,
            }
    }
}

/// The subscribers and the state they last heard about. Shared by every copy of the application
/// state, like the timeline, because messages leave the page as they happen.
#[derive(Clone, Default)]
pub struct Bridge {
    inner: Rc<RefCell<Inner>>,
}

#[derive(Default)]
struct Inner {
    subscribers: Vec<Peer>,
    last: Option<HostState>,
}

impl PartialEq for Bridge {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }
}

impl Bridge {
    /// Adds a subscriber (once) and remembers `now` as what it has been told.
    pub fn subscribe(&self, peer: Peer, now: HostState) {
        let mut inner = self.inner.borrow_mut();
        if !inner.subscribers.iter().any(|p| p.same(&peer)) {
            inner.subscribers.push(peer);
        }
        inner.last = Some(now);
    }

    pub fn unsubscribe(&self, peer: &Peer) {
        self.inner.borrow_mut().subscribers.retain(|p| !p.same(peer));
    }

    /// Whether anyone listens; computing the state to compare costs a snapshot of the cluster.
    pub fn has_subscribers(&self) -> bool {
        !self.inner.borrow().subscribers.is_empty()
    }

    /// Posts to every subscriber the changes from what they last heard to `now`.
    pub fn report(&self, now: HostState) {
        let mut inner = self.inner.borrow_mut();
        if inner.subscribers.is_empty() {
            return;
        }
        let changes = match &inner.last {
            Some(last) => diff_state(last, &now),
            None => Vec::new(),
        };
        for change in &changes {
            for peer in &inner.subscribers {
                peer.post(change);
            }
        }
        inner.last = Some(now);
    }
}

/// Posts `ready` to the parent window, if the page is framed. The parent is unknown, so the target
/// is `*`; the message carries nothing but the version and the URL's warnings.
pub fn announce(warnings: Vec<String>) {
    if let Some(parent) = super::page::parent_window() {
        post_to(&parent, &Outbound::ready(warnings).to_json(), "*");
    }
}

/// Calls `target.postMessage(text, origin)` through reflection, which works for windows of any
/// origin and for message ports alike; a throwing call (a closed window) is ignored.
fn post_to(target: &JsValue, text: &str, origin: &str) {
    let Ok(post) = Reflect::get(target, &"postMessage".into()) else { return };
    let Ok(post) = post.dyn_into::<Function>() else { return };
    let _ = post.call2(target, &text.into(), &origin.into());
}
