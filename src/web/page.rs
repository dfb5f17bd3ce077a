//! The page around the playground: its address (query, fragment), the clipboard, and the browser's
//! storage. Every browser API here may be missing or may throw (a sandboxed frame has no storage, an
//! insecure page no clipboard), so each function degrades to doing nothing rather than failing.

use js_sys::{Function, Reflect};
use serde::{Deserialize, Serialize};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// What the autosave keeps: the editor's text and the content it started from, so that a reload
/// still knows whether the text holds edits that exist nowhere else.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Autosave {
    pub text: String,
    /// The last gallery, link or host content loaded into the editor.
    pub base: String,
}

/// The query string, with its `?`, or an empty string.
pub fn search() -> String {
    web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default()
}

/// The fragment, with its `#`, or an empty string.
pub fn hash() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

/// The page's address without query and fragment: what embed snippets point at.
pub fn base_url() -> String {
    let href = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
    let end = href.find(['?', '#']).unwrap_or(href.len());
    href[..end].to_string()
}

/// Replaces the fragment without adding a history entry and without a `hashchange` event, and
/// returns the full address. An empty `fragment` removes it.
pub fn set_hash(fragment: &str) -> String {
    let Some(window) = web_sys::window() else { return String::new() };
    let location = window.location();
    let path = location.pathname().unwrap_or_default();
    let query = location.search().unwrap_or_default();
    let url =
        if fragment.is_empty() { format!("{path}{query}") } else { format!("{path}{query}#{fragment}") };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
    location.href().unwrap_or_default()
}

/// Copies text with the asynchronous Clipboard API, when the page may. Failure (no permission, no
/// API, no focus) is ignored: the text is also shown for copying by hand.
pub fn copy_to_clipboard(text: &str) {
    let Some(window) = web_sys::window() else { return };
    let navigator = window.navigator();
    let Ok(clipboard) = Reflect::get(&navigator, &"clipboard".into()) else { return };
    if clipboard.is_undefined() || clipboard.is_null() {
        return;
    }
    let Ok(write) = Reflect::get(&clipboard, &"writeText".into()).and_then(|f| f.dyn_into::<Function>())
    else {
        return;
    };
    let Ok(promise) = write.call1(&clipboard, &text.into()) else { return };
    if let Ok(promise) = promise.dyn_into::<js_sys::Promise>() {
        // Awaiting the promise handles its rejection, which would otherwise be reported as an
        // uncaught error in the console.
        wasm_bindgen_futures::spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
        });
    }
}

/// Reads the autosave under `key`. Missing, blocked or unreadable storage reads as no autosave.
pub fn load_autosave(key: &str) -> Option<Autosave> {
    let storage = web_sys::window()?.local_storage().ok()??;
    let text = storage.get_item(key).ok()??;
    serde_json::from_str(&text).ok()
}

/// Writes the autosave under `key`; a full or blocked storage is ignored.
pub fn save_autosave(key: &str, autosave: &Autosave) {
    let Some(Ok(Some(storage))) = web_sys::window().map(|w| w.local_storage()) else { return };
    if let Ok(text) = serde_json::to_string(autosave) {
        let _ = storage.set_item(key, &text);
    }
}

/// Sets `data-theme` on the root element, which the style sheet reads; `None` follows the system.
pub fn set_theme(theme: Option<&str>) {
    let root = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element());
    if let Some(root) = root {
        let _ = match theme {
            Some(theme) => root.set_attribute("data-theme", theme),
            None => root.remove_attribute("data-theme"),
        };
    }
}

/// Whether the page runs inside a frame (its parent window is another window).
pub fn parent_window() -> Option<web_sys::Window> {
    let window = web_sys::window()?;
    let parent = window.parent().ok()??;
    let same = js_sys::Object::is(&parent, &window);
    (!same).then_some(parent)
}

/// An event listener on the window; dropping it removes it.
pub struct Listener {
    name: &'static str,
    closure: Closure<dyn FnMut(web_sys::Event)>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        if let Some(window) = web_sys::window() {
            let _ =
                window.remove_event_listener_with_callback(self.name, self.closure.as_ref().unchecked_ref());
        }
    }
}

/// Calls `handler` for every `name` event on the window, until the returned listener is dropped.
pub fn listen(name: &'static str, handler: impl FnMut(web_sys::Event) + 'static) -> Option<Listener> {
    let window = web_sys::window()?;
    let closure = Closure::<dyn FnMut(web_sys::Event)>::new(handler);
    window.add_event_listener_with_callback(name, closure.as_ref().unchecked_ref()).ok()?;
    Some(Listener { name, closure })
}

/// Tells the page that the first screen is on display, once the frame holding it has painted: the
/// site's loader (`static/js/split-loader.js`) then fetches the part of the program that screen did
/// not need, so that it never competes with the first screen for the network or the main thread.
pub fn announce_shown() {
    announce_shown_after_paint();
}

#[wasm_bindgen::prelude::wasm_bindgen(inline_js = "export function announce_shown_after_paint() { \
    requestAnimationFrame(() => setTimeout(() => dispatchEvent(new Event('probe-playground:shown')), 0)); }")]
extern "C" {
    fn announce_shown_after_paint();
}
