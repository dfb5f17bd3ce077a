//! The bridge to the CodeMirror editor module (`static/js/editor.js`, bundled to `js/editor.js`).
//! The module is fetched with a dynamic `import()` when the editor mounts, and only after the next
//! frame has painted, so that the page's first tables neither wait for it nor share the network
//! with it.

use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::manifest::{Diagnostic, Severity};

/// Where the bundled editor module lives, relative to the page (so any sub-path works).
const MODULE_PATH: &str = "js/editor.js";

#[wasm_bindgen(inline_js = "export function import_after_paint(path) { \
    return new Promise((painted) => requestAnimationFrame(() => setTimeout(painted, 0))) \
        .then(() => import(new URL(path, document.baseURI).href)); }")]
extern "C" {
    fn import_after_paint(path: &str) -> js_sys::Promise;
}

/// A live editor. Dropping it releases the callbacks the editor calls.
pub struct EditorHandle {
    handle: JsValue,
    _on_change: Closure<dyn FnMut(String)>,
    _on_apply: Closure<dyn FnMut()>,
}

impl EditorHandle {
    /// Loads the module and creates an editor inside `parent` holding `text`; a read-only editor
    /// still shows problems and accepts text from outside, but not typing.
    pub async fn create(
        parent: &web_sys::Element,
        text: &str,
        read_only: bool,
        on_change: impl FnMut(String) + 'static,
        on_apply: impl FnMut() + 'static,
    ) -> Result<EditorHandle, JsValue> {
        let module = wasm_bindgen_futures::JsFuture::from(import_after_paint(MODULE_PATH)).await?;
        let create: Function = Reflect::get(&module, &"createEditor".into())?.dyn_into()?;
        let on_change = Closure::<dyn FnMut(String)>::new(on_change);
        let on_apply = Closure::<dyn FnMut()>::new(on_apply);
        let parent: &JsValue = parent.as_ref();
        let args: Array = [parent, &text.into(), on_change.as_ref(), on_apply.as_ref(), &read_only.into()]
            .into_iter()
            .collect();
        let handle = create.apply(&JsValue::NULL, &args)?;
        Ok(EditorHandle { handle, _on_change: on_change, _on_apply: on_apply })
    }

    /// Replaces the whole text.
    pub fn set_text(&self, text: &str) {
        self.call("setText", &[text.into()]);
    }

    /// Shows problems as inline markers.
    pub fn set_problems(&self, problems: &[Diagnostic]) {
        let list = Array::new();
        for p in problems {
            let item = Object::new();
            let _ = Reflect::set(&item, &"line".into(), &(p.line as f64).into());
            let _ = Reflect::set(&item, &"column".into(), &(p.column as f64).into());
            let severity = match p.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let _ = Reflect::set(&item, &"severity".into(), &severity.into());
            let message =
                if p.path.is_empty() { p.message.clone() } else { format!("{}: {}", p.path, p.message) };
            let _ = Reflect::set(&item, &"message".into(), &message.into());
            list.push(&item);
        }
        self.call("setProblems", &[list.into()]);
    }

    /// Moves the cursor to a position and focuses the editor.
    pub fn reveal(&self, line: usize, column: usize) {
        self.call("reveal", &[(line as f64).into(), (column as f64).into()]);
    }

    fn call(&self, method: &str, args: &[JsValue]) {
        let Ok(function) = Reflect::get(&self.handle, &method.into()) else { return };
        let Ok(function) = function.dyn_into::<Function>() else { return };
        let array: Array = args.iter().collect();
        let _ = function.apply(&self.handle, &array);
    }
}
