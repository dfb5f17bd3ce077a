// Splits the built site's WebAssembly module in two (see xtask/wasm-split/src/main.rs), so that the page
// first downloads only the code its first screen runs:
// 1. instruments a copy of the module and opens the site with it in headless Chromium, as a first
//    visitor does: the first screen appears, the editor loads and checks its text, the page
//    settles;
// 2. splits the module by what ran: the first part replaces the module in DIST, the rest is written
//    beside it as `*_rest.wasm`;
// 3. puts static/js/split-loader.js into index.html (it fetches the rest once the page shows) and
//    updates the module's integrity hash there.
// Usage: node scripts/lib/split-site.mjs [DIST]   (after `trunk build --release`; DIST is dist/)
// Prints the sizes; exits non-zero, leaving DIST as Trunk wrote it, if any step fails.

import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const dist = path.resolve(process.argv[2] ?? path.join(root, "dist"));
const indexPath = path.join(dist, "index.html");
const index = fs.readFileSync(indexPath, "utf8");
if (index.includes("data-rest=")) {
  console.error(`${dist} is split already; build it again first`);
  process.exit(1);
}
const modules = fs.readdirSync(dist).filter((f) => f.endsWith("_bg.wasm"));
if (modules.length !== 1) {
  console.error(`expected one *_bg.wasm in ${dist}, found ${modules.length}`);
  process.exit(1);
}
const wasmName = modules[0];
const restName = wasmName.replace(/_bg\.wasm$/, "_rest.wasm");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "probe-playground-split-"));

function tool(...args) {
  const out = execFileSync("cargo", ["run", "--quiet", "--package", "wasm-split", "--", ...args], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  process.stdout.write(out);
  return out;
}

/// The indices of the functions that run when a visitor first opens the playground's plain address:
/// what the first part holds. Pages opened from a link or over saved work fetch both parts together
/// (see static/js/split-loader.js).
async function profile() {
  const site = path.join(work, "site");
  fs.cpSync(dist, site, { recursive: true });
  const instrumented = tool("instrument", path.join(dist, wasmName), path.join(site, wasmName));
  const count = Number(/(\d+) functions instrumented/.exec(instrumented)[1]);
  // The instrumented module has another hash than the one the page was built with.
  const html = fs.readFileSync(path.join(site, "index.html"), "utf8");
  fs.writeFileSync(path.join(site, "index.html"), html.replace(/(<link rel="preload" href="[^"]*_bg\.wasm"[^>]*?) integrity="[^"]*"/, "$1"));

  process.env.PP_DIST = site;
  const { launch, serve } = await import("../../tests/browser/lib.mjs");
  const server = await serve();
  const browser = await launch();
  /// Opens the site in a new page of `width`×`height` in the given colour scheme, lets the first
  /// screen settle, and returns the indices of the functions that ran.
  async function visit(width, height, colorScheme) {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width, height });
    await page.emulateMedia({ colorScheme });
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.addInitScript(() => addEventListener("TrunkApplicationStarted", (e) => (window.__ppExports = e.detail.wasm)));
    await page.goto(server.url);
    await page.getByRole("table", { name: "Pods" }).waitFor({ timeout: 30000 });
    await page.getByRole("region", { name: "Manifest editor" }).locator(".cm-content").waitFor({ timeout: 30000 });
    // What the page does on its own once it shows: checking the editor's text, idle checkpoints.
    await page.waitForTimeout(2000);
    if (errors.length) throw new Error(`the instrumented page failed: ${errors.join("; ")}`);
    const ran = await page.evaluate((n) => {
      const flags = new Uint8Array(window.__ppExports.__profile.buffer, 0, n);
      const out = [];
      flags.forEach((hit, i) => hit && out.push(i));
      return out;
    }, count);
    await page.close();
    return ran;
  }
  try {
    // A laptop in the light theme, and a phone in the dark one: what the first screen runs may
    // depend on which panels are in view.
    const ran = new Set([...(await visit(1366, 768, "light")), ...(await visit(390, 844, "dark"))]);
    return [...ran].sort((a, b) => a - b);
  } finally {
    await browser.close();
    server.close();
  }
}

function gzipSize(file) {
  return zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
}

try {
  const ran = await profile();
  const profilePath = path.join(work, "profile.txt");
  fs.writeFileSync(profilePath, ran.join("\n") + "\n");
  const primary = path.join(work, wasmName);
  const rest = path.join(work, restName);
  const original = path.join(dist, wasmName);
  const before = gzipSize(original);
  tool("split", original, profilePath, primary, rest);

  // The loader is inlined, minified: its comments are for readers of the source.
  const loader = execFileSync(path.join(root, "node_modules/.bin/esbuild"), ["static/js/split-loader.js", "--minify", "--log-level=warning"], {
    cwd: root,
    encoding: "utf8",
  });
  const hash = crypto.createHash("sha384").update(fs.readFileSync(primary)).digest("base64");
  let html = index.replace(
    /(<link rel="preload" href="[^"]*_bg\.wasm"[^>]*? integrity=")[^"]*"/,
    (_, start) => `${start}sha384-${hash}"`,
  );
  if (html === index) throw new Error("index.html has no integrity hash for the module to update");
  const tag = `<script data-rest="./${restName}">${loader.trim()}</script>\n`;
  const at = html.indexOf('<script type="module">');
  if (at < 0) throw new Error("index.html has no module script to put the loader before");
  html = html.slice(0, at) + tag + html.slice(at);

  html = withContentSecurityPolicy(html);

  fs.copyFileSync(primary, original);
  fs.copyFileSync(rest, path.join(dist, restName));
  fs.writeFileSync(indexPath, html);
  const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
  console.log(
    `split ${wasmName}: ${kb(before)} gzip -> first ${kb(gzipSize(original))} gzip + rest ${kb(gzipSize(path.join(dist, restName)))} gzip (${ran.length} functions ran)`,
  );
} catch (error) {
  console.error(`could not split the module: ${error.stack ?? error}`);
  process.exitCode = 1;
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}

/// Puts the page's Content-Security-Policy into `html`, as a `<meta>` right after the charset: the
/// site's own files only; WebAssembly compiled from them ('wasm-unsafe-eval'); of inline scripts,
/// only the two the build wrote (the module loader and Trunk's start-up), each allowed by its
/// SHA-256; the simulation's worker is the site's own script (static/js/worker.js). Styles may be inline because the UI writes the highlights' strengths as a style sheet
/// and positions with `style` attributes, and the editor styles itself the same way; `data:` images
/// are the icon. Frames are the page's own (the Embed preview); a file download is a `data:` link.
function withContentSecurityPolicy(html) {
  const hashes = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)]
    .filter(([, body]) => body.length > 0)
    .map(([, body]) => `'sha256-${crypto.createHash("sha256").update(body, "utf8").digest("base64")}'`);
  const policy = [
    "default-src 'self'",
    `script-src 'self' 'wasm-unsafe-eval' ${hashes.join(" ")}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "frame-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'none'",
  ].join("; ");
  const meta = `<meta http-equiv="Content-Security-Policy" content="${policy}">`;
  const charset = html.match(/<meta charset="[^"]*"\s*\/?>/i);
  if (!charset) throw new Error("index.html has no <meta charset> to put the Content-Security-Policy after");
  const at = charset.index + charset[0].length;
  return html.slice(0, at) + meta + html.slice(at);
}
