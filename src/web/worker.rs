//! The simulation's worker: the same WebAssembly module as the page, started in a dedicated Web
//! Worker by `static/js/worker.js`, which hands every message from the page to [`worker_receive`].
//! It keeps one [`Session`] and a loop over it: the next slice of a seek or a tick, the next play
//! tick when it is due and the page has drawn the last snapshot, else the timeline's housekeeping.
//! Each slice is timed against the real clock, which only sizes slices ([`Pace`]); between slices
//! the worker reads the page's next message, so Pause and Stop take effect within one slice.

use std::cell::RefCell;

use gloo_timers::callback::Timeout;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::session::{Pace, Request, Session, TICK_MS};

/// How late a tick may finish, in real milliseconds past its share, before the page hears that the
/// simulation cannot keep up with the speed.
const LATE_MS: f64 = TICK_MS as f64 * 1.5;

/// Takes each report, as JSON, when the loop runs on the page.
type Sink = Box<dyn Fn(String)>;

struct Loop {
    session: Session,
    pace: Pace,
    /// When the next play tick is due, and when the one under way started.
    next_tick: f64,
    tick_started: f64,
    /// Whether the timeline has housekeeping left to do.
    tidy: bool,
    timer: Option<Timeout>,
}

thread_local! {
    static LOOP: RefCell<Option<Loop>> = const { RefCell::new(None) };
    /// Where reports go when the loop runs on the page itself, because the page may not start a
    /// worker (a frame sandboxed without `allow-same-origin` has an opaque origin, from which no
    /// worker script can be loaded). Unset in a worker, whose reports are posted to the page.
    static SINK: RefCell<Option<Sink>> = const { RefCell::new(None) };
}

/// Runs the loop on the page, handing reports to `sink`: the same session and slices, for pages
/// that cannot start a worker. [`worker_receive`] then takes the page's requests.
pub fn start_here(sink: impl Fn(String) + 'static) {
    SINK.with(|s| *s.borrow_mut() = Some(Box::new(sink)));
    worker_start();
}

/// Starts the worker's session; `static/js/worker.js` calls it once the module is ready.
#[wasm_bindgen]
pub fn worker_start() {
    LOOP.with(|l| {
        *l.borrow_mut() = Some(Loop {
            session: Session::new(),
            pace: Pace::default(),
            next_tick: 0.0,
            tick_started: 0.0,
            tidy: false,
            timer: None,
        })
    });
}

/// Takes one message of the page: a [`Request`] as JSON.
#[wasm_bindgen]
pub fn worker_receive(text: &str) {
    let request = match Request::from_json(text) {
        Ok(request) => request,
        Err(message) => {
            web_sys::console::warn_1(&message.into());
            return;
        }
    };
    with_loop(|l| {
        if matches!(request, Request::Seek { .. } | Request::Load { .. }) {
            l.pace = Pace::default();
        }
        if matches!(request, Request::Play) {
            l.next_tick = now_ms() + f64::from(TICK_MS);
        }
        l.session.handle(request);
        l.tidy = true;
        post_reports(&mut l.session);
        l.schedule(0.0);
    });
}

fn with_loop(work: impl FnOnce(&mut Loop)) {
    LOOP.with(|l| {
        if let Some(l) = l.borrow_mut().as_mut() {
            work(l);
        }
    });
}

impl Loop {
    fn schedule(&mut self, delay: f64) {
        self.timer = Some(Timeout::new(delay.max(0.0) as u32, || with_loop(Loop::step)));
    }

    /// Does the next piece of work, posts what it produced, and schedules the next piece.
    fn step(&mut self) {
        self.timer = None;
        let now = now_ms();
        let session = &mut self.session;
        if session.busy() {
            let simulated = session.work(self.pace.slice());
            let after = now_ms();
            self.pace.record(simulated, after - now);
            if session.ticking() && after - self.tick_started > LATE_MS {
                session.set_behind(true);
            } else if !session.busy() && after - self.tick_started <= LATE_MS {
                session.set_behind(false);
            }
        } else if session.playing() && now >= self.next_tick && !session.waiting_for_page() {
            self.tick_started = now;
            // Ticks keep to the real clock; a tick started late does not make the next one early.
            self.next_tick = (self.next_tick + f64::from(TICK_MS)).max(now + f64::from(TICK_MS) / 2.0);
            session.begin_tick();
            self.pace = Pace::default();
        } else if self.tidy && !session.playing() {
            self.tidy = session.idle();
        } else if self.tidy && now + 20.0 < self.next_tick {
            // Between ticks there is time for one piece of housekeeping.
            self.tidy = session.idle();
        }
        post_reports(&mut self.session);
        let session = &self.session;
        if session.busy() {
            self.schedule(0.0);
        } else if session.playing() && !session.waiting_for_page() {
            self.schedule(if self.tidy { 0.0 } else { self.next_tick - now_ms() });
        } else if self.tidy && !session.playing() {
            self.schedule(0.0);
        }
        // Otherwise the next message of the page (a request, or `shown`) starts the loop again.
    }
}

fn post_reports(session: &mut Session) {
    let reports = session.take_reports();
    if reports.is_empty() {
        return;
    }
    let local = SINK.with(|s| {
        let sink = s.borrow();
        let Some(sink) = sink.as_ref() else { return false };
        reports.iter().for_each(|r| sink(r.to_json()));
        true
    });
    if local {
        return;
    }
    let global = js_sys::global();
    let Ok(post) = js_sys::Reflect::get(&global, &"postMessage".into()) else { return };
    let Ok(post) = post.dyn_into::<js_sys::Function>() else { return };
    for report in reports {
        let _ = post.call1(&global, &report.to_json().into());
    }
}

fn now_ms() -> f64 {
    let global = js_sys::global();
    js_sys::Reflect::get(&global, &"performance".into())
        .ok()
        .and_then(|p| {
            let now = js_sys::Reflect::get(&p, &"now".into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
            now.call0(&p).ok()?.as_f64()
        })
        .unwrap_or_else(js_sys::Date::now)
}
