//! The page's end of the simulation's worker (`web::worker`, started by `static/js/worker.js`): it
//! starts the worker with this page's own compiled module, posts the reducer's requests as JSON, and
//! hands back what the worker reports, or that it died: an error event (a trap such as
//! `RuntimeError: unreachable`, memory exhausted) or its code failing to arrive.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::session::{Report, Request};

/// A running worker; dropping it terminates it. Where the page may not start a worker (an opaque
/// origin), the same loop runs on the page instead (`worker::start_here`), still in slices.
pub struct Link {
    /// The worker, or `null` when the loop runs here.
    worker: JsValue,
    _on_report: Closure<dyn FnMut(JsValue)>,
    _on_failure: Closure<dyn FnMut(String)>,
}

impl Link {
    /// Starts a worker. `on_report` gets each report, `on_failure` the reason the worker stopped.
    pub fn start(on_report: impl Fn(Report) + 'static, on_failure: impl Fn(String) + 'static) -> Link {
        let on_report = std::rc::Rc::new(on_report);
        let here = on_report.clone();
        let on_report = Closure::<dyn FnMut(JsValue)>::new(move |data: JsValue| {
            let Some(text) = data.as_string() else { return };
            // A tick's snapshot names itself among its first fields; its work on the page starts here.
            if text.get(..160).is_some_and(|head| head.contains("\"tick\":true")) {
                super::perf::tick_started();
            }
            match super::perf::engine(|| Report::from_json(&text)) {
                Ok(report) => on_report(report),
                Err(message) => web_sys::console::warn_1(&message.into()),
            }
        });
        let on_failure = Closure::<dyn FnMut(String)>::new(on_failure);
        let worker = spawn_worker(
            wasm_bindgen::module(),
            on_report.as_ref().unchecked_ref(),
            on_failure.as_ref().unchecked_ref(),
        );
        if worker.is_null() {
            web_sys::console::warn_1(
                &"Probe Playground runs its simulation on the page: this page may not start a worker".into(),
            );
            super::worker::start_here(move |text| {
                if let Ok(report) = Report::from_json(&text) {
                    here(report);
                }
            });
        }
        Link { worker, _on_report: on_report, _on_failure: on_failure }
    }

    pub fn post(&self, request: &Request) {
        if self.worker.is_null() {
            super::worker::worker_receive(&request.to_json());
        } else {
            post_text(&self.worker, &request.to_json());
        }
    }
}

impl Drop for Link {
    fn drop(&mut self) {
        terminate(&self.worker);
    }
}

#[wasm_bindgen(inline_js = r#"
export function spawn_worker(module, onreport, onfailure) {
  let failed = false;
  const fail = (reason) => {
    if (failed) return;
    failed = true;
    console.warn("Probe Playground's simulation stopped:", reason);
    onfailure(reason);
  };
  let worker;
  try {
    worker = new Worker(new URL("js/worker.js", document.baseURI), { type: "module" });
  } catch {
    // An opaque origin (a frame sandboxed without allow-same-origin) may load no worker script.
    return null;
  }
  // A test can reach the worker here, to stop it as a crash would.
  globalThis.__probePlaygroundWorker = worker;
  worker.onmessage = (event) => failed || onreport(event.data);
  worker.onerror = (event) => {
    event.preventDefault();
    fail(event.message ? event.message.replace(/^Uncaught /, "") : "it failed (out of memory, or an internal error)");
  };
  worker.onmessageerror = () => fail("one of its messages could not be read");
  // The module's JavaScript, as the page imported it.
  const glue = [...document.querySelectorAll('link[rel="modulepreload"]')]
    .map((link) => link.href)
    .find((href) => href.endsWith(".js") && !href.includes("/snippets/"));
  const rest = globalThis.probePlaygroundRest;
  Promise.resolve(rest ? rest() : null).then(
    (rest) => worker.postMessage({ glue, module, rest }),
    () => fail("its code did not arrive; check the connection"),
  );
  return worker;
}
export function post_text(worker, text) {
  if (worker) worker.postMessage(text);
}
export function terminate(worker) {
  if (worker) worker.terminate();
}
"#)]
extern "C" {
    fn spawn_worker(module: JsValue, on_report: &js_sys::Function, on_failure: &js_sys::Function) -> JsValue;
    fn post_text(worker: &JsValue, text: &str);
    fn terminate(worker: &JsValue);
}
