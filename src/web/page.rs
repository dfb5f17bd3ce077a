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

/// Reads the autosave under `key`: this tab's own draft when it has one (a reload), else the work
/// saved last by any tab (a new tab). Missing, blocked or unreadable storage reads as no autosave.
pub fn load_autosave(key: &str) -> Option<Autosave> {
    let storage = web_sys::window()?.local_storage().ok()??;
    prune_tab_drafts(&storage, key);
    let read = |key: &str| storage.get_item(key).ok()?.and_then(|text| serde_json::from_str(&text).ok());
    tab_key(key).and_then(|own| read(&own)).or_else(|| read(key))
}

/// How many tabs' drafts are kept, and for how long: enough for the tabs a learner has open.
const TAB_DRAFTS_KEPT: usize = 20;
const TAB_DRAFT_DAYS: f64 = 30.0;

/// The key of this tab's own draft. Each tab keeps its work under its own key as well as under the
/// shared one, so that two tabs never overwrite each other's drafts: a reload reads the tab's own.
/// The tab is named in `sessionStorage`, which a reload keeps and another tab does not share.
fn tab_key(key: &str) -> Option<String> {
    let session = web_sys::window()?.session_storage().ok()??;
    const TAB: &str = "probe-playground.tab";
    let id = match session.get_item(TAB).ok()? {
        Some(id) => id,
        None => {
            let id = format!("{:012x}", (js_sys::Math::random() * 2f64.powi(48)) as u64);
            session.set_item(TAB, &id).ok()?;
            id
        }
    };
    Some(format!("{key}.tab.{id}"))
}

/// Forgets the drafts of tabs long closed: those older than [`TAB_DRAFT_DAYS`], and all but the
/// [`TAB_DRAFTS_KEPT`] newest.
fn prune_tab_drafts(storage: &web_sys::Storage, key: &str) {
    let prefix = format!("{key}.tab.");
    let mut drafts: Vec<(f64, String)> = (0..storage.length().unwrap_or(0))
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|k| k.starts_with(&prefix))
        .map(|k| {
            let at = storage
                .get_item(&k)
                .ok()
                .flatten()
                .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
                .and_then(|v| v.get("saved_at").and_then(|a| a.as_f64()))
                .unwrap_or(0.0);
            (at, k)
        })
        .collect();
    drafts.sort_by(|a, b| b.0.total_cmp(&a.0));
    let oldest = js_sys::Date::now() - TAB_DRAFT_DAYS * 86_400_000.0;
    for (index, (at, k)) in drafts.iter().enumerate() {
        if index >= TAB_DRAFTS_KEPT || *at < oldest {
            let _ = storage.remove_item(k);
        }
    }
}

/// Writes the autosave under `key`. `Err` says, in words for the page, why the browser would not
/// keep it: storage disabled or blocked (a sandboxed frame, some private modes), full, or refusing a
/// text this large.
pub fn save_autosave(key: &str, autosave: &Autosave) -> Result<(), String> {
    let storage = match web_sys::window().map(|w| w.local_storage()) {
        Some(Ok(Some(storage))) => storage,
        _ => return Err("this browser does not let the page use its storage".to_string()),
    };
    #[derive(Serialize)]
    struct Stored<'a> {
        #[serde(flatten)]
        autosave: &'a Autosave,
        /// When it was saved (the wall clock, which only ages drafts out).
        saved_at: f64,
    }
    let text = serde_json::to_string(&Stored { autosave, saved_at: js_sys::Date::now() })
        .map_err(|e| e.to_string())?;
    // This tab's own draft first, then the shared one that a new tab opens with.
    let keys: Vec<String> = tab_key(key).into_iter().chain([key.to_string()]).collect();
    let saved = keys.iter().try_for_each(|key| storage.set_item(key, &text));
    saved.map_err(|error| {
        let name = Reflect::get(&error, &"name".into()).ok().and_then(|n| n.as_string()).unwrap_or_default();
        if name == "QuotaExceededError" {
            format!("the browser's storage for this page is full, or refuses {} of text", size(text.len()))
        } else {
            "the browser refused to store it".to_string()
        }
    })
}

/// Marks that the page is opening the work saved under `key`, and returns whether the last visit
/// left the mark behind: it then never finished opening (the file froze the tab, which was closed),
/// and the work should be shown without being run again. Storage that does not work reads as no
/// mark.
pub fn begin_opening(key: &str) -> bool {
    let Some(Ok(Some(storage))) = web_sys::window().map(|w| w.local_storage()) else { return false };
    let key = format!("{key}.opening");
    let interrupted = storage.get_item(&key).ok().flatten().is_some();
    let _ = storage.set_item(&key, "1");
    interrupted
}

/// Removes the mark of [`begin_opening`] once the first screen has been drawn.
pub fn opened(key: &str) {
    if let Some(Ok(Some(storage))) = web_sys::window().map(|w| w.local_storage()) {
        let _ = storage.remove_item(&format!("{key}.opening"));
    }
}

/// A size in words: `812 bytes`, `6.2 MB`.
fn size(bytes: usize) -> String {
    match bytes {
        0..1_000 => format!("{bytes} bytes"),
        1_000..1_000_000 => format!("{:.1} kB", bytes as f64 / 1e3),
        _ => format!("{:.1} MB", bytes as f64 / 1e6),
    }
}

/// Offers `text` as a file download named `name`, through a link the page clicks for the learner.
/// It needs no storage, so it works when storage is what failed.
pub fn download(name: &str, text: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let (Ok(link), Some(body)) = (document.create_element("a"), document.body()) else { return };
    let href = format!("data:text/yaml;charset=utf-8,{}", js_sys::encode_uri_component(text));
    let _ = link.set_attribute("href", &href);
    let _ = link.set_attribute("download", name);
    if body.append_child(&link).is_ok() {
        if let Some(link) = link.dyn_ref::<web_sys::HtmlElement>() {
            link.click();
        }
        let _ = body.remove_child(&link);
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
