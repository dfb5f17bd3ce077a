// Loads the second half of the playground's WebAssembly module (see xtask/wasm-split/src/main.rs).
//
// The site ships the module in two parts: the first holds the code the first screen runs, the rest
// is fetched once the page is showing. This script is placed in the page ahead of the module that
// starts the app. It adds the placeholders the first part imports, keeps the first part's exports,
// and then:
// - once the app announces that its first screen has painted (the `probe-playground:shown` event),
//   or at the latest 5 seconds after the first part started (for a page opened from a link or over
//   saved work: at once, see `eager` below), fetches and compiles the rest in the background and instantiates it,
//   which puts the real functions into the first part's slot table;
// - if a placeholder is called before that (the user acted within the first moments, or the
//   background fetch failed), loads the rest at once, synchronously, and calls the slot again.
//   Either way the caller gets the real function's result.
(() => {
  const script = document.currentScript;
  const url = new URL(script.dataset.rest, document.baseURI).href;
  let first = null;
  let loaded = false;
  let compiled = null;

  function instantiate(module) {
    if (!loaded) {
      new WebAssembly.Instance(module, { p: first });
      loaded = true;
    }
  }

  // A synchronous request may only read text on the main thread; the `x-user-defined` charset
  // maps every byte to one character, so the bytes come back unchanged.
  function fetchNow() {
    const request = new XMLHttpRequest();
    request.open("GET", url, false);
    request.overrideMimeType("text/plain; charset=x-user-defined");
    request.send();
    if (request.status !== 200) throw new Error(`HTTP ${request.status}`);
    const text = request.responseText;
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
    return bytes;
  }

  // Without the rest the app cannot go on: say so the way the app's own error banner does. The
  // editor's text is autosaved, so a reload loses nothing.
  function fail(error) {
    showBanner();
    throw new Error(`could not load ${url}: ${error.message}`);
  }

  function showBanner() {
    if (!document.getElementById("panic-banner")) {
      const banner = document.createElement("div");
      banner.id = "panic-banner";
      banner.className = "panic-banner";
      banner.setAttribute("role", "alert");
      const text = document.createElement("p");
      text.textContent = "Part of the playground could not be downloaded. Check the connection, then reload: your YAML is kept.";
      const button = document.createElement("button");
      button.textContent = "Reload";
      button.onclick = () => location.reload();
      banner.append(text, button);
      document.body.prepend(banner);
    }
  }

  function loadNow() {
    if (loaded) return;
    try {
      instantiate(compiled ?? new WebAssembly.Module(fetchNow()));
    } catch (error) {
      fail(error);
    }
  }

  let compiling = null;
  function compileRest() {
    compiling ??= (async () => {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      // Streaming compilation needs the server to label the file application/wasm.
      const streams = (response.headers.get("content-type") ?? "").startsWith("application/wasm");
      compiled = streams ? await WebAssembly.compileStreaming(response) : await WebAssembly.compile(await response.arrayBuffer());
      return compiled;
    })();
    compiling.catch(() => (compiling = null));
    return compiling;
  }

  // The simulation's worker (src/web/link.rs) runs the whole module, so it needs the rest from the
  // start: the page hands it the compiled rest, fetched once for both. A failed download is tried
  // once more before the page says that it could not be downloaded.
  globalThis.probePlaygroundRest = async () => {
    try {
      return await compileRest();
    } catch {
      try {
        return await compileRest();
      } catch (error) {
        showBanner();
        throw error;
      }
    }
  };

  async function loadLater() {
    if (loaded) return;
    try {
      instantiate(await compileRest());
    } catch (error) {
      console.warn("The rest of the playground will load when it is first needed:", error);
    }
  }

  // The first part is made for a first visit to the playground's plain address. A page opened from
  // a link (a query, such as an embedded lab's, or a shared link's fragment) or over the learner's
  // saved work (the app's `probe-playground.` storage keys) starts from another screen, and would
  // need the rest at once, synchronously. It fetches the rest alongside the first part instead,
  // and the app starts when both are in.
  const eager = location.search.length > 1 || location.hash.length > 1 || hasSavedWork();
  function hasSavedWork() {
    try {
      return Object.keys(localStorage).some((key) => key.startsWith("probe-playground."));
    } catch {
      return false; // No storage (a sandboxed frame): nothing saved either.
    }
  }
  if (eager) compileRest().catch(() => {});

  const placeholders = new Proxy(
    {},
    {
      get: (_, slot) =>
        (...args) => {
          loadNow();
          return first.slots.get(Number(slot))(...args);
        },
    },
  );

  // The app's loader instantiates the first part through one of these two functions; both get
  // the placeholders added to the imports and give up the exports. They are put back after.
  const original = { instantiate: WebAssembly.instantiate, instantiateStreaming: WebAssembly.instantiateStreaming };
  function wrap(name) {
    return async function (source, imports, ...rest) {
      if (first || !imports) return original[name].call(this, source, imports, ...rest);
      const result = await original[name].call(this, source, { ...imports, s: placeholders }, ...rest);
      const instance = result instanceof WebAssembly.Instance ? result : result.instance;
      first = instance.exports;
      Object.assign(WebAssembly, original);
      if (eager) {
        await loadLater();
      } else {
        const timer = setTimeout(loadLater, 5000);
        addEventListener("probe-playground:shown", () => (clearTimeout(timer), loadLater()), { once: true });
      }
      return result;
    };
  }
  WebAssembly.instantiate = wrap("instantiate");
  WebAssembly.instantiateStreaming = wrap("instantiateStreaming");
})();
