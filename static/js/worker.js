// The simulation's Web Worker (see src/web/worker.rs). The page starts it as a module worker and
// first posts { glue, module, rest }: the URL of the wasm-bindgen JavaScript of its own module, the
// module it compiled, and, when the site ships the module in two parts (scripts/lib/split-site.mjs),
// the compiled second part. The worker instantiates the same module (both parts at once), then hands
// every later message, a request as JSON, to the module's `worker_receive`; the module answers with
// postMessage. Requests that arrive before the module is ready wait in order.
const early = [];
let receive = null;

onmessage = (event) => {
  if (receive) receive(event.data);
  else if (typeof event.data === "string") early.push(event.data);
  else boot(event.data).catch((error) => {
    // The page hears of it as the worker's error event and says so.
    setTimeout(() => {
      throw error;
    });
  });
};

async function boot({ glue, module, rest }) {
  const bindings = await import(glue);
  if (rest) {
    // The first part calls into the second through a table that instantiating the second fills;
    // both are in before the module starts, so the first part's placeholders are never called.
    const original = WebAssembly.instantiate;
    WebAssembly.instantiate = async function (source, imports, ...more) {
      WebAssembly.instantiate = original;
      const missing = new Proxy({}, { get: () => () => { throw new Error("the second part of the module is missing"); } });
      const result = await original.call(WebAssembly, source, { ...imports, s: missing }, ...more);
      const instance = result instanceof WebAssembly.Instance ? result : result.instance;
      new WebAssembly.Instance(rest, { p: instance.exports });
      return result;
    };
  }
  await bindings.default({ module_or_path: module });
  bindings.worker_start();
  receive = bindings.worker_receive;
  for (const message of early.splice(0)) receive(message);
}
