//! When the UI panics, Yew can no longer render. The hook draws a plain DOM banner instead, whose
//! button stores the editor's YAML in `localStorage` and reloads, so no work is lost.

use std::cell::RefCell;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// The `localStorage` key a YAML draft survives a reload under.
pub const DRAFT_KEY: &str = "probe-playground.draft";

thread_local! {
    static CURRENT_YAML: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Keeps the editor's latest text where the panic hook can reach it.
pub fn remember_yaml(text: &str) {
    CURRENT_YAML.with(|cell| {
        if let Ok(mut current) = cell.try_borrow_mut() {
            current.clear();
            current.push_str(text);
        }
    });
}

/// Takes the draft saved by "Reload keeping my YAML", if any, removing it so it is used once.
pub fn take_draft() -> Option<String> {
    let storage = web_sys::window()?.local_storage().ok()??;
    let draft = storage.get_item(DRAFT_KEY).ok()??;
    let _ = storage.remove_item(DRAFT_KEY);
    Some(draft)
}

/// Installs the panic hook.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&format!("Probe Playground stopped: {info}").into());
        show_banner(&info.to_string());
    }));
}

fn show_banner(message: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(body) = document.body() else { return };
    if document.get_element_by_id("panic-banner").is_some() {
        return;
    }
    let Ok(banner) = document.create_element("div") else { return };
    banner.set_id("panic-banner");
    banner.set_class_name("panic-banner");
    let _ = banner.set_attribute("role", "alert");
    let Ok(text) = document.create_element("p") else { return };
    text.set_text_content(Some(&format!("The playground hit an internal error and stopped: {message}")));
    let _ = banner.append_child(&text);
    let Ok(button) = document.create_element("button") else { return };
    button.set_text_content(Some("Reload keeping my YAML"));
    let yaml = CURRENT_YAML.with(|cell| cell.try_borrow().map(|s| s.clone()).unwrap_or_default());
    let reload = Closure::<dyn FnMut()>::new(move || {
        let Some(window) = web_sys::window() else { return };
        // Storage may be unavailable (private mode, disabled); the reload still happens.
        if let Ok(Some(storage)) = window.local_storage() {
            let _ = storage.set_item(DRAFT_KEY, &yaml);
        }
        let _ = window.location().reload();
    });
    if let Some(button) = button.dyn_ref::<web_sys::HtmlElement>() {
        button.set_onclick(Some(reload.as_ref().unchecked_ref()));
    }
    reload.forget();
    let _ = banner.append_child(&button);
    let _ = body.prepend_with_node_1(&banner);
}
