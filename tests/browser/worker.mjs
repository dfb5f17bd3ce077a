// Browser tests of the simulation's worker (src/web/worker.rs, src/session.rs): whatever a scenario
// does, the page keeps answering, and says what is going on; a worker that dies is contained.
// Registered by run.mjs, which runs each test in a browser context of its own.

import { SCENARIO, clock, pods, setEditorText, synced, until } from "./lib.mjs";

/// A pod whose shell never stops computing: every virtual second of it costs real work.
export const SPIN = `apiVersion: v1
kind: Pod
metadata:
  name: spin
spec:
  containers:
  - name: spin
    image: busybox
    args: ["/bin/sh", "-c", "while true; do :; done"]
`;

const deployment = (name, replicas) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
      - name: nginx
        image: nginx
`;

/// What may show while a hostile case runs: progress (a seek's or the busy notice's bar), a message
/// naming a limit, the crash banner, or the result the case asks about.
async function shows(page, result) {
  const seen = await page.evaluate(() => {
    if (document.querySelector("progress")) return "progress";
    if (document.querySelector('[aria-label="Simulation stopped"]')) return "crash banner";
    if (/\blimit\b|\bbudget\b/i.test(document.body.innerText)) return "a limit";
    return null;
  });
  return seen ?? ((await result()) ? "the result" : null);
}

/// Calls into the page every 250 ms for `duration` ms; returns the slowest answer in ms and what the
/// page showed meanwhile. The pause between calls is the sampling period, not a wait for the page.
async function watch(page, duration, result) {
  let slowest = 0;
  const seen = new Set();
  const end = Date.now() + duration;
  while (Date.now() < end) {
    const asked = Date.now();
    await page.evaluate(() => 1);
    const took = Date.now() - asked;
    slowest = Math.max(slowest, took);
    const what = await shows(page, result);
    if (what) seen.add(what);
    await new Promise((next) => setTimeout(next, Math.max(0, 250 - (Date.now() - asked))));
  }
  return { slowest, seen: [...seen] };
}

export function register(test, { assert, shot, loadScenario, editorText, shareLink }) {
  /// Runs one hostile case: `start` sets it going, then the page must answer every call within
  /// 500 ms for 20 s and show progress, the result, a limit or the crash banner.
  const hostile = (name, start, result) =>
    test(`hostile: ${name} keeps the page answering within 500 ms for 20 s and says what happens`, async (page, base) => {
      await start(page, base);
      const { slowest, seen } = await watch(page, 20000, () => result(page));
      assert(slowest < 500, `the slowest answer took ${slowest} ms`);
      assert(seen.length > 0, "the page showed progress, the result, a limit or the crash banner");
      await shot(page, `hostile-${name.replace(/\W+/g, "-").slice(0, 40)}`);
    });

  async function run(page, line) {
    const input = page.getByRole("textbox", { name: "Command" });
    await input.fill(line);
    await input.press("Enter");
  }

  hostile(
    "a Deployment with replicas: 1000000 applied",
    async (page, base) => {
      await page.goto(base);
      await page.getByRole("table", { name: "Pods" }).waitFor();
      await setEditorText(page, deployment("huge", 1000000));
      await page.getByRole("button", { name: "Apply", exact: true }).click();
    },
    async (page) => (await pods(page)).length > 100,
  );

  hostile(
    "a share link of a pod computing forever opened at 24h",
    async (page, base) => {
      const fragment = shareLink({ yaml: SPIN, time_ms: 24 * 3600 * 1000, speed: 1, view: "overview" });
      await page.goto(base + fragment);
      await page.getByRole("table", { name: "Pods" }).waitFor();
    },
    async (page) => (await clock(page)) === "24h",
  );

  hostile(
    "that pod playing at 60x",
    async (page, base) => {
      await page.goto(base);
      await page.getByRole("table", { name: "Pods" }).waitFor();
      await setEditorText(page, SPIN);
      await page.getByRole("button", { name: "Reset", exact: true }).click();
      await until(async () => (await pods(page)).length === 1, 10000);
      await page.getByRole("combobox", { name: "Speed" }).selectOption("60");
      await page.getByRole("button", { name: "Play", exact: true }).click();
    },
    async (page) => (await page.getByRole("button", { name: "Pause", exact: true }).count()) > 0,
  );

  hostile(
    "an exec whose shell doubles a string forever",
    async (page, base) => {
      await page.goto(base);
      await page.getByRole("table", { name: "Pods" }).waitFor();
      await loadScenario(page);
      await run(page, `kubectl exec liveness-exec -- sh -c 'a=x; while true; do a="$a$a"; done'`);
    },
    async (page) => (await page.getByRole("log", { name: "Output" }).innerText()).includes("while true"),
  );

  hostile(
    "kubectl scale deployment web --replicas=100000",
    async (page, base) => {
      await page.goto(base);
      await page.getByRole("table", { name: "Pods" }).waitFor();
      await setEditorText(page, deployment("web", 1));
      await page.getByRole("button", { name: "Reset", exact: true }).click();
      await until(async () => (await pods(page)).length === 1, 10000);
      await run(page, "kubectl scale deployment web --replicas=100000");
    },
    async (page) => (await pods(page)).length > 100,
  );

  test("when the simulation dies, a banner says so, the editor keeps its text, and Restart goes on from the last state", async (page, base) => {
    await page.goto(base);
    await page.getByRole("table", { name: "Pods" }).waitFor();
    await loadScenario(page);
    await run(page, "kubectl delete pod liveness-exec");
    for (let i = 0; i < 7; i++) await page.getByRole("button", { name: "Step", exact: true }).click();
    await until(async () => (await clock(page)) === "7s", 5000);
    await synced(page);
    const before = await pods(page);
    const edited = SCENARIO.replace("name: browser-test", "name: edited-before-the-crash");
    await setEditorText(page, edited);
    // What the page sees when its worker dies of a trap or of memory.
    await page.evaluate(() => {
      const worker = globalThis.__probePlaygroundWorker;
      worker.terminate();
      worker.dispatchEvent(new ErrorEvent("error", { message: "Uncaught RuntimeError: unreachable" }));
    });
    const banner = page.getByRole("alert", { name: "Simulation stopped" });
    await banner.waitFor({ timeout: 5000 });
    assert(/RuntimeError: unreachable/.test(await banner.innerText()), await banner.innerText());
    assert((await editorText(page)) === edited, "the editor keeps its text");
    await page.keyboard.type("# typed after the crash\n");
    assert((await editorText(page)).includes("# typed after the crash"), "the editor still takes typing");
    await shot(page, "19-simulation-stopped");
    await banner.getByRole("button", { name: "Restart the simulation" }).click();
    await banner.waitFor({ state: "detached", timeout: 5000 });
    await until(async () => (await clock(page)) === "7s" && (await pods(page)).length === before.length, 10000);
    await synced(page);
    assert((await clock(page)) === "7s", `the clock is back where it was: ${await clock(page)}`);
    const after = await pods(page);
    assert(JSON.stringify(after.map((p) => [p.NAME, p.STATUS])) === JSON.stringify(before.map((p) => [p.NAME, p.STATUS])), `the same pods: ${JSON.stringify(after)} vs ${JSON.stringify(before)}`);
    assert((await editorText(page)).includes("# typed after the crash"), "Restart leaves the editor alone");
    await page.getByRole("button", { name: "Step", exact: true }).click();
    await until(async () => (await clock(page)) === "8s", 5000);
    assert((await clock(page)) === "8s", "the restarted simulation goes on");
  });
}
