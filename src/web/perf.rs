//! User Timing entries around each play tick, so that a profiler or a benchmark can read how long
//! one frame's work takes on the page's main thread. The simulation itself runs in a worker
//! (`web::worker`); the page's share of a tick is reading the snapshot the worker sent and Yew's
//! render with its DOM updates. The entries are cheap (a few per tick) and the page never reads them.
//!
//! Each tick leaves two measures in the page's performance timeline:
//! - `pp:engine`: reading the worker's report (the snapshot's JSON);
//! - `pp:frame`: from the tick's snapshot arriving until Yew has rendered and committed the DOM
//!   changes.
//!
//! The browser keeps every measure until it is cleared, so old ones are dropped in batches; a
//! `PerformanceObserver` still sees each one as it is made.

use std::cell::Cell;

use wasm_bindgen::prelude::*;

/// The mark set when a play tick starts.
const TICK: &str = "pp:tick";
/// The mark set when timed work starts.
const START: &str = "pp:start";
/// Measures of one name kept before they are cleared.
const KEEP: u32 = 600;

thread_local! {
    /// Whether a tick started and its render has not completed yet.
    static PENDING: Cell<bool> = const { Cell::new(false) };
    /// Measures made since they were last cleared.
    static MADE: Cell<u32> = const { Cell::new(0) };
}

/// Marks the start of a play tick's work on the page: its snapshot has arrived.
pub fn tick_started() {
    mark(TICK);
    PENDING.with(|p| p.set(true));
}

/// Measures a frame's whole work, when a tick is waiting for its render to complete.
pub fn frame_rendered() {
    if PENDING.with(|p| p.replace(false)) {
        measure("pp:frame", TICK);
    }
}

/// Runs `work` and records its duration as the `pp:engine` measure.
pub fn engine<T>(work: impl FnOnce() -> T) -> T {
    timed("pp:engine", work)
}

fn timed<T>(name: &str, work: impl FnOnce() -> T) -> T {
    mark(START);
    let result = work();
    measure(name, START);
    result
}

fn mark(name: &str) {
    let _ = performance_mark(name);
}

fn measure(name: &str, start: &str) {
    let _ = performance_measure(name, start);
    let made = MADE.with(|m| {
        m.set(m.get() + 1);
        m.get()
    });
    if made >= KEEP {
        MADE.with(|m| m.set(0));
        let _ = performance_clear_measures();
        let _ = performance_clear_marks(START);
    }
}

// A page without `performance` (or without User Timing) makes these throw, which `catch` turns
// into an error that callers ignore: timing is never essential.
#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance, js_name = mark, catch)]
    fn performance_mark(name: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = performance, js_name = measure, catch)]
    fn performance_measure(name: &str, start: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = performance, js_name = clearMeasures, catch)]
    fn performance_clear_measures() -> Result<(), JsValue>;
    #[wasm_bindgen(js_namespace = performance, js_name = clearMarks, catch)]
    fn performance_clear_marks(name: &str) -> Result<(), JsValue>;
}
