// Measures the built site: page weight (raw and gzip), time from navigation to the first table, and
// while playing a 100-pod Deployment at 60×: the work of each tick (the page's own `pp:frame`,
// `pp:engine` and `pp:idle` User Timing measures, see src/web/perf.rs), requestAnimationFrame
// intervals and long tasks; then, from a Chromium trace, the main thread's script and rendering
// (style, layout, paint) per frame. It prints figures and never judges them.
// Usage: node tests/browser/bench.mjs   (after scripts/build)
//   BENCH_SECONDS=20               measure longer
//   BENCH_WARMUP=3                 start measuring 3 s (real) after pressing Play
//   BENCH_PROFILE=out.cpuprofile   also record a V8 CPU profile of the run (open it in DevTools;
//                                  a build with `data-keep-debug` and `data-wasm-opt="0"` keeps names)
//   PP_DIST=/path/to/dist          measure another build

import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { DIST, MOUNT, launch, pods, recordFirstTable, serve, setEditorText, until } from "./lib.mjs";

const HUNDRED_PODS = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 100
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx
        ports:
        - containerPort: 80
        readinessProbe:
          httpGet:
            path: /
            port: 80
          periodSeconds: 5
        livenessProbe:
          tcpSocket:
            port: 80
          periodSeconds: 10
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
`;

function weight() {
  const files = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.push(full);
    }
  };
  walk(DIST);
  const rows = files.map((file) => {
    const data = fs.readFileSync(file);
    return { file: path.relative(DIST, file), raw: data.length, gzip: zlib.gzipSync(data, { level: 9 }).length };
  });
  const total = rows.reduce((a, r) => ({ raw: a.raw + r.raw, gzip: a.gzip + r.gzip }), { raw: 0, gzip: 0 });
  return { files: rows.sort((a, b) => b.gzip - a.gzip), total };
}

/// Seconds of real time the 60× run is measured for.
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);

/// Seconds of the traced part of the run.
const TRACE_SECONDS = 4;
/// The trace events of the browser's own work after script: style, layout, paint and handing the
/// frame to the compositor.
const RENDERING = new Set(["UpdateLayoutTree", "Layout", "PrePaint", "Paint", "Layerize", "Commit", "UpdateLayer"]);

/// Records a Chromium trace of the page for `seconds` and sums up its main thread: the time it was
/// busy, each timer task, the rendering work of each frame, and each idle callback, in milliseconds.
async function traceMainThread(page, seconds) {
  const cdp = await page.context().newCDPSession(page);
  const events = [];
  cdp.on("Tracing.dataCollected", (d) => events.push(...d.value));
  const complete = new Promise((resolve) => cdp.once("Tracing.tracingComplete", resolve));
  await cdp.send("Tracing.start", { categories: "devtools.timeline,disabled-by-default-devtools.timeline", transferMode: "ReportEvents" });
  await page.waitForTimeout(seconds * 1000);
  await cdp.send("Tracing.end");
  await complete;
  await cdp.detach();
  const threads = events.filter((e) => e.name === "thread_name" && e.args.name === "CrRendererMain").map((e) => `${e.pid}:${e.tid}`);
  const main = events
    .filter((e) => e.ph === "X" && threads.includes(`${e.pid}:${e.tid}`))
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const result = { busy: 0, timers: [], frames: [], idle: [] };
  let task = null;
  let rendering = 0;
  let renderedUntil = 0;
  const close = () => {
    if (rendering > 0) result.frames.push(rendering);
    rendering = 0;
  };
  for (const e of main) {
    const ms = (e.dur ?? 0) / 1000;
    if (e.name === "RunTask") {
      close();
      task = e;
      result.busy += ms;
    } else if (task && e.ts + e.dur <= task.ts + task.dur) {
      if (e.name === "TimerFire") result.timers.push(ms);
      else if (e.name === "FireIdleCallback") result.idle.push(ms);
      else if (RENDERING.has(e.name) && e.ts >= renderedUntil) {
        // Nested rendering events are already counted in their parent.
        rendering += ms;
        renderedUntil = e.ts + e.dur;
      }
    }
  }
  close();
  return result;
}

/// `mean, p50, p95, max` of durations in milliseconds.
function summary(values) {
  if (!values.length) return "no samples";
  const sorted = [...values].sort((a, b) => a - b);
  const pct = (p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  const ms = (v) => `${v.toFixed(1)} ms`;
  return `mean ${ms(mean)}, p50 ${ms(pct(0.5))}, p95 ${ms(pct(0.95))}, max ${ms(sorted[sorted.length - 1])}`;
}

/// The functions with the most self time in a V8 CPU profile, as `[name, ms]`.
function heaviest(profile, count) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]);
    const f = node.callFrame;
    const name = `${f.functionName || "(anonymous)"} ${f.url ? path.basename(f.url) : ""}`.trim();
    self.set(name, (self.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  }
  return [...self].sort((a, b) => b[1] - a[1]).slice(0, count);
}

async function main() {
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  const w = weight();
  console.log("Page weight (all of dist/):");
  for (const f of w.files) console.log(`  ${f.file.padEnd(48)} ${kb(f.raw).padStart(10)} raw ${kb(f.gzip).padStart(10)} gzip`);
  console.log(`  ${"total".padEnd(48)} ${kb(w.total.raw).padStart(10)} raw ${kb(w.total.gzip).padStart(10)} gzip`);

  const server = await serve();
  const browser = await launch();
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  const errors = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));

  // Navigation → first table: the in-page clock when the Pods table first exists, measured
  // from navigation start, over a few cold-ish loads.
  await recordFirstTable(page);
  const firstTable = [];
  let loadedFirst = [];
  for (let i = 0; i < 3; i++) {
    // Each load is a first visit: the page saves the editor's text (also as it goes away), and a
    // page opened over saved work fetches the whole module at once (see static/js/split-loader.js).
    if (i > 0) {
      await page.goto("about:blank");
      const cdp = await page.context().newCDPSession(page);
      await cdp.send("Storage.clearDataForOrigin", { origin: new URL(server.url).origin, storageTypes: "local_storage" });
      await cdp.detach();
    }
    await page.goto(server.url);
    await page.getByRole("table", { name: "Pods" }).waitFor();
    firstTable.push(await page.evaluate(() => window.__ppFirstTable));
    // What the page had asked for by then (the document itself is not a resource entry). Requests
    // started later (the editor, the rest of the module) are loaded while the table shows.
    await page.waitForLoadState("load");
    await page.waitForTimeout(500);
    loadedFirst = await page.evaluate(() =>
      performance
        .getEntriesByType("resource")
        .filter((e) => e.startTime <= window.__ppFirstTable)
        .map((e) => new URL(e.name).pathname),
    );
  }
  const byPath = new Map(w.files.map((f) => [f.file, f]));
  const initial = [byPath.get("index.html"), ...loadedFirst.map((p) => byPath.get(decodeURIComponent(p.slice(MOUNT.length))))]
    .filter((f, i, all) => f && all.indexOf(f) === i);
  const initialGzip = initial.reduce((a, f) => a + f.gzip, 0);
  const initialRaw = initial.reduce((a, f) => a + f.raw, 0);
  console.log(`Loaded before the first table (${initial.map((f) => f.file).join(", ")}): ${kb(initialRaw)} raw, ${kb(initialGzip)} gzip`);
  const editorReady = await page.evaluate(async () => {
    while (!document.querySelector(".cm-content")) await new Promise((r) => setTimeout(r, 10));
    return performance.now();
  });
  console.log(`Navigation → first table: ${firstTable.map((t) => t.toFixed(0) + " ms").join(", ")}`);
  console.log(`Navigation → editor ready (last load): ${editorReady.toFixed(0)} ms`);

  await setEditorText(page, HUNDRED_PODS);
  await until(async () => (await page.getByRole("list", { name: "Problems" }).innerText()).includes("No problems"), 5000);
  await page.getByRole("button", { name: "Reset", exact: true }).click();
  await page.getByRole("combobox", { name: "Speed" }).selectOption("60");
  await page.getByRole("button", { name: "Play", exact: true }).click();
  // Optionally let the pods settle first, to look at the steady state alone.
  await page.waitForTimeout(Number(process.env.BENCH_WARMUP ?? 0) * 1000);
  const profile = process.env.BENCH_PROFILE;
  const cdp = profile ? await page.context().newCDPSession(page) : null;
  if (cdp) {
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
    await cdp.send("Profiler.start");
  }
  const run = await page.evaluate(
    (seconds) =>
      new Promise((resolve) => {
        const deltas = [];
        const long = [];
        const measures = { "pp:frame": [], "pp:engine": [], "pp:idle": [] };
        const observers = [];
        const observe = (type, take) => {
          const observer = new PerformanceObserver((list) => list.getEntries().forEach(take));
          try {
            observer.observe({ type, buffered: false });
            observers.push(observer);
          } catch {}
        };
        observe("longtask", (e) => long.push(e.duration));
        observe("measure", (e) => measures[e.name]?.push(e.duration));
        let last = performance.now();
        const end = last + seconds * 1000;
        const step = (t) => {
          deltas.push(t - last);
          last = t;
          if (t < end) requestAnimationFrame(step);
          else {
            observers.forEach((o) => o.disconnect());
            resolve({ deltas, long, measures });
          }
        };
        requestAnimationFrame(step);
      }),
    SECONDS,
  );
  if (cdp) {
    const { profile: data } = await cdp.send("Profiler.stop");
    fs.writeFileSync(profile, JSON.stringify(data));
    console.log(`CPU profile written to ${profile}; heaviest self time:`);
    for (const [name, ms] of heaviest(data, 25)) console.log(`  ${ms.toFixed(0).padStart(6)} ms  ${name}`);
  }
  const traced = await traceMainThread(page, TRACE_SECONDS);
  await page.getByRole("button", { name: "Pause", exact: true }).click();
  const rows = (await pods(page)).length;
  const clockText = await page.getByRole("timer", { name: "Virtual time" }).innerText();
  const frames = run.measures["pp:frame"];
  const engine = run.measures["pp:engine"];
  const warmup = process.env.BENCH_WARMUP ? `, after ${process.env.BENCH_WARMUP} s of warm-up` : "";
  console.log(`60× with a 100-pod Deployment for ${SECONDS} s real${warmup} (${rows} pods, clock ${clockText}):`);
  console.log(`  work per tick (timer → engine → Yew render → DOM committed), ${frames.length} ticks: ${summary(frames)}`);
  console.log(`    of which engine and table views: ${summary(engine)}`);
  const slowest = frames.map((ms, i) => [ms, i + 1]).sort((a, b) => b[0] - a[0]).slice(0, 5);
  console.log(`    slowest ticks (ms @ tick number): ${slowest.map(([ms, i]) => `${ms.toFixed(1)} @ ${i}`).join(", ")}`);
  // The first tick after Play starts the pods' containers and redraws every row at once.
  if (frames.length && engine.length) {
    console.log(`    first tick: ${frames[0].toFixed(1)} ms, of which engine and table views ${engine[0].toFixed(1)} ms, the rest the page's update ${(frames[0] - engine[0]).toFixed(1)} ms`);
  }
  console.log(`  housekeeping when idle (checkpoints taken and freed), ${run.measures["pp:idle"].length} pieces: ${summary(run.measures["pp:idle"])}`);
  console.log(`  requestAnimationFrame intervals, ${run.deltas.length} frames: ${summary(run.deltas)}`);
  console.log(`  long tasks (>50 ms): ${run.long.length}${run.long.length ? `, longest ${Math.max(...run.long).toFixed(0)} ms` : ""}`);
  console.log(`  then ${TRACE_SECONDS} s more with a Chromium trace of the page's main thread (tracing slows it a little):`);
  console.log(`    busy ${traced.busy.toFixed(0)} ms of ${TRACE_SECONDS * 1000} ms`);
  console.log(`    timer tasks (a tick's script, or a Yew render resumed after yielding), ${traced.timers.length}: ${summary(traced.timers)}`);
  console.log(`    rendering (style, layout, paint, commit) per frame, ${traced.frames.length}: ${summary(traced.frames)}`);
  console.log(`    idle callbacks, ${traced.idle.length}: ${summary(traced.idle)}`);
  if (errors.length) console.log(`Console errors:\n  ${errors.join("\n  ")}`);
  await browser.close();
  server.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
