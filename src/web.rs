//! The browser playground (Yew): a manifest editor, the tables `kubectl` would show, a probe
//! timeline, plain-language explanations, and controls over virtual time.
//!
//! # Layout
//! - `state`: the one pure reducer holding all application state; it queues requests for the
//!   simulation and takes in its reports.
//! - `link`: the page's end of the simulation's worker; `worker`: the worker's end, which runs
//!   `crate::session` (native, tested natively) in a Web Worker, so the page never runs the engine.
//! - `editor`: the bridge to the CodeMirror module, loaded lazily.
//! - `hooks`: the fade timer, debounced validation, whether a panel is on screen.
//! - `components`: one function component per file.
//! - `page`: the address, clipboard and storage, each allowed to be missing.
//! - `bridge`: the `postMessage` subscribers of an embedded playground.
//! - `panic`: the error banner that offers to reload keeping the user's YAML.
//! - `perf`: User Timing measures of each play tick's work.

mod bridge;
mod components;
mod editor;
mod hooks;
mod link;
mod page;
mod panic;
mod perf;
mod state;
mod worker;

/// Mounts the application on the page. In the simulation's worker, which starts the same module,
/// there is no page: `static/js/worker.js` calls [`worker::worker_start`] instead.
pub fn start() {
    if web_sys::window().is_none() {
        return;
    }
    panic::install();
    yew::Renderer::<components::app::App>::new().render();
}
