use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// How often a panel off screen is brought up to date while the clock runs, in renders (about one
/// a second at ten ticks a second).
pub const OFF_SCREEN_EVERY: u32 = 10;

/// Whether a panel should show the present in this render. While the clock runs, a panel far off
/// screen keeps what it showed and catches up only every [`OFF_SCREEN_EVERY`] renders, sparing the
/// work of rows nobody sees; it catches up at once when it nears the viewport, and is always current
/// while the clock stands still (after a step, a seek or a command).
#[hook]
pub fn use_refresh_due(node: NodeRef, live: bool) -> bool {
    let on_screen = use_on_screen(node);
    let skipped = use_mut_ref(|| OFF_SCREEN_EVERY);
    let mut skipped = skipped.borrow_mut();
    let due = !live || on_screen || *skipped + 1 >= OFF_SCREEN_EVERY;
    *skipped = if due { 0 } else { *skipped + 1 };
    due
}

/// How far outside the viewport an element still counts as on screen, so that a panel the learner
/// scrolls towards is brought up to date before it appears.
const MARGIN: &str = "50% 0px";

/// Whether the element behind `node` is on screen or close to it, following scrolling and layout
/// changes. It is `true` until the browser first says otherwise, and always `true` where the
/// browser cannot tell (no `IntersectionObserver`), so that nothing is ever hidden by mistake.
#[hook]
fn use_on_screen(node: NodeRef) -> bool {
    let on_screen = use_state_eq(|| true);
    {
        let set = on_screen.setter();
        use_effect_with(node, move |node| {
            let watch = node
                .cast::<web_sys::Element>()
                .and_then(|element| Watch::new(&element, move |seen| set.set(seen)));
            move || drop(watch)
        });
    }
    *on_screen
}

/// An `IntersectionObserver` on one element; dropping it stops the observation.
struct Watch {
    observer: IntersectionObserver,
    /// Keeps the callback alive as long as the observer may call it.
    _callback: Closure<dyn FnMut(js_sys::Array)>,
}

impl Watch {
    fn new(element: &web_sys::Element, report: impl Fn(bool) + 'static) -> Option<Watch> {
        let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
            // Only the newest entry matters when several arrive at once.
            let last = entries.iter().last();
            let seen = last.and_then(|e| js_sys::Reflect::get(&e, &JsValue::from_str("isIntersecting")).ok());
            if let Some(seen) = seen.and_then(|s| s.as_bool()) {
                report(seen);
            }
        });
        let options = js_sys::Object::new();
        js_sys::Reflect::set(&options, &JsValue::from_str("rootMargin"), &JsValue::from_str(MARGIN)).ok()?;
        let observer = IntersectionObserver::new(callback.as_ref().unchecked_ref(), &options).ok()?;
        observer.observe(element);
        Some(Watch { observer, _callback: callback })
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        // Entries still queued would call the callback after it is freed; taking them drops them.
        let _ = self.observer.take_records();
        self.observer.disconnect();
    }
}

// Declared here rather than through web-sys, which would need more of its optional features.
#[wasm_bindgen]
extern "C" {
    type IntersectionObserver;

    #[wasm_bindgen(constructor, catch)]
    fn new(callback: &js_sys::Function, options: &js_sys::Object) -> Result<IntersectionObserver, JsValue>;
    #[wasm_bindgen(method)]
    fn observe(this: &IntersectionObserver, target: &web_sys::Element);
    #[wasm_bindgen(method, js_name = takeRecords)]
    fn take_records(this: &IntersectionObserver) -> js_sys::Array;
    #[wasm_bindgen(method)]
    fn disconnect(this: &IntersectionObserver);
}
