//! The `postMessage` bridge of an embedded playground: who asked for change messages and the replies
//! waiting to be posted. `docs/embed.md` is the protocol; `crate::embed` reads and writes its
//! messages, and the simulation's worker (`crate::session`) writes the state reports and changes,
//! which arrive here as text.

use std::collections::VecDeque;
use std::rc::Rc;

use js_sys::{Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::embed::Outbound;

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
        self.post_text(&message.to_json());
    }

    /// Posts one message already written as the protocol's JSON.
    pub fn post_text(&self, text: &str) {
        let Some(source) = &self.source else { return };
        let target = if self.origin.is_empty() || self.origin == "null" { "*" } else { self.origin.as_str() };
        post_to(source, text, target);
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

/// How many messages the outbox keeps. Messages are posted after the render that follows the
/// action which queued them, and a render follows every task that dispatched actions, so this
/// bounds what one task may queue (a burst of host requests answered in one go), not a backlog.
const OUTBOX_LIMIT: usize = 512;

/// One message waiting to be posted, numbered in the order it was queued.
#[derive(Clone, Debug)]
struct Letter {
    number: u64,
    peer: Peer,
    /// The message, written as the protocol's JSON.
    message: String,
}

/// The subscribers and the messages waiting to be posted.
///
/// This is plain data in the application state: the reducer only queues messages here, and an
/// effect in the App posts the ones it has not posted yet ([`Bridge::post_queued`]) after the
/// render, as yew's `function_todomvc` writes storage in an effect rather than in `reduce`.
#[derive(Clone, Default)]
pub struct Bridge {
    subscribers: Rc<Vec<Peer>>,
    outbox: Rc<VecDeque<Letter>>,
    /// The number the next queued message gets; effects re-run when it changes.
    queued: u64,
    /// Peers that asked for the state while a seek was under way, answered when it ends.
    deferred: Rc<Vec<Peer>>,
}

impl PartialEq for Bridge {
    fn eq(&self, other: &Self) -> bool {
        self.queued == other.queued
            && Rc::ptr_eq(&self.subscribers, &other.subscribers)
            && Rc::ptr_eq(&self.deferred, &other.deferred)
    }
}

impl Bridge {
    /// Adds a subscriber (once).
    pub fn subscribe(&mut self, peer: Peer) {
        if !self.subscribers.iter().any(|p| p.same(&peer)) {
            Rc::make_mut(&mut self.subscribers).push(peer);
        }
    }

    pub fn unsubscribe(&mut self, peer: &Peer) {
        if self.subscribers.iter().any(|p| p.same(peer)) {
            Rc::make_mut(&mut self.subscribers).retain(|p| !p.same(peer));
        }
    }

    /// Queues the worker's `change` messages for every subscriber.
    pub fn report(&mut self, changes: Vec<String>) {
        let subscribers = self.subscribers.clone();
        for change in changes {
            for peer in subscribers.iter() {
                self.send(peer.clone(), change.clone());
            }
        }
    }

    /// Remembers a peer whose `getState` is answered once the seek under way ends.
    pub fn defer_state(&mut self, peer: Peer) {
        Rc::make_mut(&mut self.deferred).push(peer);
    }

    pub fn has_deferred(&self) -> bool {
        !self.deferred.is_empty()
    }

    /// Answers the deferred `getState` requests with `now`, a `state` message.
    pub fn answer_deferred(&mut self, now: String) {
        let deferred = std::mem::take(Rc::make_mut(&mut self.deferred));
        for peer in deferred {
            self.send(peer, now.clone());
        }
    }

    /// Queues one message, written as the protocol's JSON, to one peer.
    pub fn send(&mut self, peer: Peer, message: String) {
        let outbox = Rc::make_mut(&mut self.outbox);
        outbox.push_back(Letter { number: self.queued, peer, message });
        self.queued += 1;
        while outbox.len() > OUTBOX_LIMIT {
            outbox.pop_front();
        }
    }

    /// The number the next queued message will get: an effect keyed on it runs when messages wait.
    pub fn queued(&self) -> u64 {
        self.queued
    }

    /// Posts the messages queued since `*posted` and moves `*posted` on. Called from an effect, after
    /// the render, never from the reducer.
    pub fn post_queued(&self, posted: &mut u64) {
        if let Some(first) = self.outbox.front().filter(|l| l.number > *posted) {
            web_sys::console::warn_1(
                &format!("{} messages to the host page were dropped unsent", first.number - *posted).into(),
            );
        }
        for letter in self.outbox.iter().filter(|l| l.number >= *posted) {
            letter.peer.post_text(&letter.message);
        }
        *posted = self.queued;
    }
}

/// Posts `ready` to the parent window, if the page is framed. The parent is unknown, so the target
/// is `*` (the message carries nothing but the version and the URL's warnings), or, when the embed
/// URL names the origins allowed to drive the frame, each of them.
pub fn announce(warnings: Vec<String>, origins: Option<&[String]>) {
    if let Some(parent) = super::page::parent_window() {
        let ready = Outbound::ready(warnings).to_json();
        match origins {
            // Posted once per allowed origin: the browser delivers it only if the parent is there.
            Some(origins) => origins.iter().for_each(|origin| post_to(&parent, &ready, origin)),
            None => post_to(&parent, &ready, "*"),
        }
    }
}

/// Calls `target.postMessage(text, origin)` through reflection, which works for windows of any
/// origin and for message ports alike; a throwing call (a closed window) is ignored.
fn post_to(target: &JsValue, text: &str, origin: &str) {
    let Ok(post) = Reflect::get(target, &"postMessage".into()) else { return };
    let Ok(post) = post.dyn_into::<Function>() else { return };
    let _ = post.call2(target, &text.into(), &origin.into());
}
