// Shared pieces of the browser tests and the benchmark: a static server for dist/ mounted under a
// sub-path (the site must work from any sub-path), a fresh headless Chromium, and page helpers that
// find things by the accessible names users see.

import http from "node:http";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
/// The built site; `PP_DIST` points elsewhere (a build with symbol names, for profiling).
export const DIST = path.resolve(process.env.PP_DIST ?? path.join(here, "../../dist"));
export const SCREENSHOTS = path.join(here, "screenshots");
/// The site is served from this sub-path to prove relative URLs work.
export const MOUNT = "/some/sub-path/";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".yaml": "text/yaml; charset=utf-8",
};

/// Serves dist/ on 127.0.0.1 under MOUNT. Resolves to { url, close }.
export function serve() {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://localhost");
    if (!url.pathname.startsWith(MOUNT)) {
      res.writeHead(404).end("not found");
      return;
    }
    let rel = decodeURIComponent(url.pathname.slice(MOUNT.length)) || "index.html";
    const file = path.resolve(DIST, rel);
    if (!file.startsWith(DIST)) {
      res.writeHead(403).end();
      return;
    }
    fs.readFile(file, (err, data) => {
      if (err) {
        res.writeHead(404).end("not found");
        return;
      }
      res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
      res.end(data);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}${MOUNT}`, close: () => server.close() });
    });
  });
}

/// The arguments every headless Chromium of the tests runs with.
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/// A headless Chromium whose contexts (`browser.newContext()`) share nothing: each has its own
/// storage, cookies and routes, as a fresh profile would.
export async function launchBrowser() {
  return chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: ARGS });
}

/// A fresh headless Chromium with its own profile directory.
export async function launch(options = {}) {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "probe-playground-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ARGS,
    viewport: { width: 1366, height: 768 },
    ...options,
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/// The scenario most tests use: two httpd replicas behind a Service with a readiness probe on
/// index.html, and a pod whose liveness probe starts failing after 30 seconds.
export const SCENARIO = `apiVersion: playground/v1
kind: Scenario
metadata:
  name: browser-test
  title: Browser test scenario
  description: httpd behind a Service, and an exec liveness probe.
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: httpd-deployment
spec:
  replicas: 2
  selector:
    matchLabels:
      app: httpd
  template:
    metadata:
      labels:
        app: httpd
    spec:
      containers:
      - name: httpd
        image: httpd
        ports:
        - containerPort: 80
        readinessProbe:
          exec:
            command: ["cat", "/usr/local/apache2/htdocs/index.html"]
          initialDelaySeconds: 5
          periodSeconds: 5
---
apiVersion: v1
kind: Service
metadata:
  name: httpd-svc
spec:
  selector:
    app: httpd
  ports:
  - port: 8080
    targetPort: 80
---
apiVersion: v1
kind: Pod
metadata:
  name: liveness-exec
spec:
  containers:
  - name: liveness
    image: busybox
    args: ["/bin/sh", "-c", "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"]
    livenessProbe:
      exec:
        command: ["cat", "/tmp/healthy"]
      initialDelaySeconds: 5
      periodSeconds: 5
`;

/// Replaces the editor's whole text as one insertion (no auto-indent on the way).
export async function setEditorText(page, text) {
  const content = page.getByRole("region", { name: "Manifest editor" }).locator(".cm-content");
  await content.waitFor({ timeout: 15000 });
  await content.click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(text);
}

/// The Pods table as rows of cell texts keyed by column name.
export async function pods(page) {
  return page.getByRole("table", { name: "Pods" }).evaluate((table) => {
    const heads = [...table.tHead.rows[0].cells].map((c) => c.innerText.trim());
    return [...table.tBodies[0].rows]
      .filter((r) => !r.classList.contains("empty"))
      .map((r) => Object.fromEntries([...r.cells].map((c, i) => [heads[i], c.innerText.trim()])));
  });
}

/// The clock's text (`95s`, `2m5s`).
export async function clock(page) {
  return (await page.getByRole("timer", { name: "Virtual time" }).innerText()).trim();
}

/// Seconds from a kubectl-style age (`95s`, `2m5s`, `3m`).
export function seconds(age) {
  let total = 0;
  for (const [, n, unit] of age.matchAll(/(\d+)([dhms])/g)) {
    total += Number(n) * { d: 86400, h: 3600, m: 60, s: 1 }[unit];
  }
  return total;
}

/// Polls `check` until it returns a truthy value or `timeout` ms pass; returns the last value.
export async function until(check, timeout = 15000, every = 100) {
  const deadline = Date.now() + timeout;
  let value;
  while (Date.now() < deadline) {
    value = await check();
    if (value) return value;
    await new Promise((r) => setTimeout(r, every));
  }
  return value;
}

/// From the next navigation on, `window.__ppFirstTable` holds the moment (`performance.now()`) the
/// Pods table was first in the document, taken by a MutationObserver in the page.
export async function recordFirstTable(page) {
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (document.querySelector('table[aria-label="Pods"]')) {
        window.__ppFirstTable = performance.now();
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
}

/// Waits until the page shows what the simulation's worker arrived at after everything asked of it
/// (nothing playing, seeking or unanswered: the app's `data-synced` attribute).
export async function synced(page, timeout = 10000) {
  await page.locator('.app[data-synced="true"]').waitFor({ timeout });
}
