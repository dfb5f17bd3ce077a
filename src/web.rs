//! The browser playground (Yew): a manifest editor, the tables `kubectl` would show, a probe
//! timeline, plain-language explanations, and controls over virtual time.
//!
//! # Layout
//! - `state`: the one reducer holding all application state; it drives the simulation.
//! - `idle`: the housekeeping of the timeline (`crate::timeline`) when the page is idle. The
//!   timeline and the explanations (`crate::explain`) have no web dependency and live outside this
//!   module, so that they are tested natively.
//! - `editor`: the bridge to the CodeMirror module, loaded lazily.
//! - `hooks`: the play timer and debounced validation.
//! - `components`: one function component per file.
//! - `page`: the address, clipboard and storage, each allowed to be missing.
//! - `bridge`: the `postMessage` subscribers of an embedded playground.
//! - `panic`: the error banner that offers to reload keeping the user's YAML.
//! - `perf`: User Timing measures of each play tick's work.

mod bridge;
mod components;
mod editor;
mod hooks;
mod idle;
mod page;
mod panic;
mod perf;
mod state;

/// Mounts the application on the page.
pub fn start() {
    panic::install();
    yew::Renderer::<components::app::App>::new().render();
}
