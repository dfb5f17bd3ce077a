// Measures the built site: page weight (raw and gzip), time from navigation to the first table, and
// frame times while playing a 100-pod Deployment at 60×.
// Usage: node tests/browser/bench.mjs   (after `trunk build --release --offline`)

import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { DIST, launch, pods, serve, setEditorText, until } from "./lib.mjs";

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
  const firstTable = [];
  for (let i = 0; i < 3; i++) {
    await page.goto(server.url + `?run=${i}`);
    await page.getByRole("table", { name: "Pods" }).waitFor();
    firstTable.push(await page.evaluate(() => performance.now()));
  }
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
  const frames = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const deltas = [];
        const long = [];
        const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => long.push(e.duration)));
        try { observer.observe({ type: "longtask", buffered: false }); } catch {}
        let last = performance.now();
        const end = last + 8000;
        const step = (t) => {
          deltas.push(t - last);
          last = t;
          if (t < end) requestAnimationFrame(step);
          else { observer.disconnect(); resolve({ deltas, long }); }
        };
        requestAnimationFrame(step);
      }),
  );
  await page.getByRole("button", { name: "Pause", exact: true }).click();
  const sorted = [...frames.deltas].sort((a, b) => a - b);
  const pct = (p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  const rows = (await pods(page)).length;
  const clockText = await page.getByRole("timer", { name: "Virtual time" }).innerText();
  console.log(`60× with a 100-pod Deployment for 8 s real (${rows} pods, clock ${clockText}):`);
  console.log(`  frames ${sorted.length}, mean ${mean.toFixed(1)} ms, p50 ${pct(0.5).toFixed(1)} ms, p95 ${pct(0.95).toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms`);
  console.log(`  long tasks (>50 ms): ${frames.long.length}${frames.long.length ? `, longest ${Math.max(...frames.long).toFixed(0)} ms` : ""}`);
  if (errors.length) console.log(`Console errors:\n  ${errors.join("\n  ")}`);
  await browser.close();
  server.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
