//! The timeline's housekeeping (checkpoints to take, retired ones to free) runs when the page is
//! idle (`requestIdleCallback`), so that it never lengthens a frame the learner is watching.
//! Browsers without idle callbacks get a zero-delay timer instead.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::timeline::Timeline;

/// How long the browser may postpone the work when it never becomes idle, in milliseconds.
const AT_THE_LATEST_MS: u32 = 1000;

thread_local! {
    /// The timeline on screen; a replaced one needs no more care.
    static CURRENT: RefCell<Option<Rc<RefCell<Timeline>>>> = const { RefCell::new(None) };
    /// Whether an idle callback is already on its way.
    static PENDING: Cell<bool> = const { Cell::new(false) };
}

/// Makes sure the timeline's deferred housekeeping gets done, a piece per idle moment.
pub fn tidy_when_idle(timeline: &Rc<RefCell<Timeline>>) {
    CURRENT.with(|c| *c.borrow_mut() = Some(timeline.clone()));
    if !PENDING.with(|p| p.replace(true)) {
        when_idle(step);
    }
}

fn step() {
    let timeline = CURRENT.with(|c| c.borrow().clone());
    // A timeline borrowed elsewhere (it cannot be, between tasks, but no panic is worth it) waits
    // for the next idle moment.
    let more = timeline
        .is_some_and(|t| t.try_borrow_mut().map_or(true, |mut t| super::perf::idle(|| t.idle_work())));
    if more {
        when_idle(step);
    } else {
        PENDING.with(|p| p.set(false));
    }
}

/// Calls `work` once, at the next idle moment. The callback frees itself when it runs; it is never
/// cancelled.
fn when_idle(work: fn()) {
    let global = js_sys::global();
    let request = js_sys::Reflect::get(&global, &JsValue::from_str("requestIdleCallback"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    if let Some(request) = request {
        let options = js_sys::Object::new();
        let _ =
            js_sys::Reflect::set(&options, &JsValue::from_str("timeout"), &JsValue::from(AT_THE_LATEST_MS));
        let callback = Closure::once_into_js(work);
        if request.call2(&global, &callback, &options).is_ok() {
            return;
        }
    }
    Timeout::new(0, work).forget();
}
