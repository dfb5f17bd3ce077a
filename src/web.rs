//! The browser playground (Yew): a manifest editor, the tables `kubectl` would show, a probe
//! timeline, plain-language explanations, and controls over virtual time.
//!
//! # Layout
//! - `state`: the one reducer holding all application state; it drives the simulation.
//! - `timeline`: checkpoints and the input log behind rewind and replay; `idle` does its
//!   housekeeping when the page is idle.
//! - `explain`, `format`: plain-language reasons and the small formatting the views share.
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
mod explain;
mod format;
mod hooks;
mod idle;
mod page;
mod panic;
mod perf;
mod state;
mod timeline;

/// Mounts the application on the page.
pub fn start() {
    panic::install();
    yew::Renderer::<components::app::App>::new().render();
}
