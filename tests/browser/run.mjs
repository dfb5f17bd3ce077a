// Browser tests of the playground, run against the built site (dist/) in headless Chromium.
// Usage: node tests/browser/run.mjs [PATTERN]   (after scripts/build)
// Prints one line per test and `N passed, N failed` last; exits non-zero on failure.
//
// Every test is independent of the others: it gets a page of a browser context of its own (no
// storage, cookies, routes or listeners shared), opens its own address, and waits on conditions,
// never on fixed sleeps. A test fails if its pages log a console error or throw, unless it says
// that it provokes them (`{ errors: "expected" }`: downloads made to fail on purpose).

import fs from "node:fs";
import zlib from "node:zlib";
import path from "node:path";
import { register as registerWorkerTests } from "./worker.mjs";
import { DIST, SCREENSHOTS, SCENARIO, clock, launchBrowser, pods, recordFirstTable, seconds, serve, setEditorText, synced, until } from "./lib.mjs";

const tests = [];
const test = (name, body, options = {}) => tests.push({ name, body, options });

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

async function shot(page, name) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/// Loads SCENARIO from time 0 (editor text, then Reset).
async function loadScenario(page) {
  await setEditorText(page, SCENARIO);
  await until(async () => (await page.getByRole("list", { name: "Problems" }).innerText()).includes("No problems"), 5000);
  await page.getByRole("button", { name: "Reset", exact: true }).click();
  await until(async () => (await pods(page)).length >= 3, 5000);
}

/// Plays at `speed` until `check` holds, then pauses.
async function playUntil(page, check, speed = "10", timeout = 20000) {
  await page.getByRole("combobox", { name: "Speed" }).selectOption(speed);
  await page.getByRole("button", { name: "Play", exact: true }).click();
  const result = await until(check, timeout);
  await page.getByRole("button", { name: "Pause", exact: true }).click();
  // The simulation runs in a worker: wait until the page shows where it stopped.
  await synced(page);
  return result;
}

async function selectPod(page, name) {
  await page.getByRole("table", { name: "Pods" }).getByRole("button", { name, exact: true }).click();
}

async function editorText(page) {
  return page.getByRole("region", { name: "Manifest editor" }).locator(".cm-content").evaluate((el) => (el.cmTile ?? el.cmView)?.view?.state.doc.toString() ?? el.innerText);
}

async function endpointsText(page) {
  return page.getByRole("table", { name: "Endpoints" }).innerText();
}

/// Opens the playground and loads SCENARIO from time 0.
async function openScenario(page, base) {
  await page.goto(base);
  await page.getByRole("table", { name: "Pods" }).waitFor();
  await loadScenario(page);
}

/// Waits until the playground's autosave holds `text` (it is written after typing pauses).
async function autosaved(page, text) {
  const saved = await until(
    () => page.evaluate((text) => (JSON.parse(localStorage.getItem("probe-playground.autosave") ?? "null") ?? {}).text === text, text),
    5000,
  );
  assert(saved, "the editor's text was autosaved");
}

/// Types `text` into the editor of a fresh playground and waits until it is autosaved.
async function saveWork(page, base, text) {
  await page.goto(base);
  await setEditorText(page, text);
  await autosaved(page, text);
}

/// Plays until both httpd replicas are ready.
async function httpdReady(page) {
  const ready = await playUntil(page, async () => {
    const rows = (await pods(page)).filter((p) => p.NAME.startsWith("httpd-deployment-"));
    return rows.length === 2 && rows.every((p) => p.READY === "1/1") && rows;
  });
  assert(ready, "both httpd pods become 1/1");
  return ready;
}

test("the page loads from a sub-path and renders the Pods table before the editor", async (page, base) => {
  await page.goto(base);
  await page.getByRole("table", { name: "Pods" }).waitFor();
  for (const name of ["Pods", "Endpoints", "Events", "Workloads"]) {
    assert(await page.getByRole("table", { name }).isVisible(), `table ${name} is visible`);
  }
  for (const name of ["Play", "Step", "Next event"]) {
    assert(await page.getByRole("button", { name, exact: true }).isVisible(), `button ${name}`);
  }
  assert(await page.getByRole("slider", { name: "Time scrubber" }).isVisible(), "scrubber");
  assert(await page.getByRole("textbox", { name: "Command" }).isVisible(), "terminal input");
  assert(await page.getByRole("log", { name: "Output" }).isVisible(), "terminal output");
  await page.getByRole("region", { name: "Manifest editor" }).locator(".cm-content").waitFor({ timeout: 15000 });
  assert((await clock(page)) === "0s", "the clock starts at 0s");
  await shot(page, "01-loaded");
});

test("a scenario applies and READY goes from 0/1 to 1/1 while playing", async (page, base) => {
  await openScenario(page, base);
  const before = (await pods(page)).filter((p) => p.NAME.startsWith("httpd-deployment-"));
  assert(before.length === 2, `two httpd pods, got ${JSON.stringify(before)}`);
  assert(before.every((p) => p.READY === "0/1"), `not ready at first: ${JSON.stringify(before)}`);
  await httpdReady(page);
  assert(seconds(await clock(page)) > 0, "virtual time moved");
  await shot(page, "02-ready");
});

test("deleting index.html through the UI removes the pod from the Service's endpoints", async (page, base) => {
  await openScenario(page, base);
  const rows = await httpdReady(page);
  const victim = rows[0];
  const ip = victim.IP;
  assert((await endpointsText(page)).includes(ip), `endpoints list ${ip} before`);
  await selectPod(page, victim.NAME);
  await page.getByRole("button", { name: "Delete /usr/local/apache2/htdocs/index.html" }).click();
  // The command runs in the worker: its line reaches the terminal with the next report.
  const shown = await until(async () => (await page.getByRole("log", { name: "Output" }).innerText()).includes("rm /usr/local/apache2/htdocs/index.html"), 5000);
  assert(shown, "the terminal shows the kubectl exec command");
  const gone = await playUntil(page, async () => {
    const ready = await page
      .getByRole("table", { name: "Endpoints" })
      .locator(".chip.ready")
      .allInnerTexts();
    return !ready.some((a) => a.startsWith(ip + ":") || a === ip);
  });
  assert(gone, `${ip} left the ready endpoints`);
  const row = (await pods(page)).find((p) => p.NAME === victim.NAME);
  assert(row.READY === "0/1", `the pod is not ready: ${JSON.stringify(row)}`);
  const why = await page.getByRole("region", { name: "Explanation" }).innerText();
  assert(/Not ready since/.test(why) && why.includes("httpd-svc"), `the explanation says why: ${why}`);
  await shot(page, "03-endpoint-removed");
});

test("killing the main process counts RESTARTS up and marks the timeline", async (page, base) => {
  await openScenario(page, base);
  const running = await playUntil(page, async () => (await pods(page)).find((p) => p.NAME.startsWith("httpd-deployment-") && p.STATUS === "Running"));
  assert(running, "an httpd pod runs");
  const name = running.NAME;
  await selectPod(page, name);
  const before = Number((await pods(page)).find((p) => p.NAME === name).RESTARTS.split(" ")[0]);
  await page.getByRole("button", { name: /Kill main process/ }).click();
  const restarted = await playUntil(page, async () => {
    const row = (await pods(page)).find((p) => p.NAME === name);
    return row && Number(row.RESTARTS.split(" ")[0]) > before;
  });
  assert(restarted, "RESTARTS counts up");
  const marks = await page.locator(".probe-timeline .start.restart").count();
  assert(marks >= 1, "the timeline marks the restart");
  await shot(page, "04-restarted");
});

test("Step, Next event and the scrubber move through time and rewind shows earlier state", async (page, base) => {
  await openScenario(page, base);
  await httpdReady(page);
  const t0 = seconds(await clock(page));
  await page.getByRole("button", { name: "Step", exact: true }).click();
  await synced(page);
  assert(seconds(await clock(page)) === t0 + 1, "Step adds one second");
  await page.getByRole("button", { name: "Next event", exact: true }).click();
  await synced(page);
  assert(seconds(await clock(page)) >= t0 + 1, "Next event does not go backwards");
  // Events fall between whole seconds; Step lands on the next whole second, which the scrubber can name.
  await page.getByRole("button", { name: "Step", exact: true }).click();
  await synced(page);
  const t1 = seconds(await clock(page));
  const later = await pods(page);
  const scrubber = page.getByRole("slider", { name: "Time scrubber" });
  await scrubber.fill("0");
  await until(async () => (await clock(page)) === "0s", 3000);
  assert((await clock(page)) === "0s", "rewound to 0s");
  const early = await pods(page);
  const httpd = early.filter((p) => p.NAME.startsWith("httpd-deployment-"));
  assert(httpd.every((p) => p.READY === "0/1" && p.RESTARTS.startsWith("0")), `earlier state: ${JSON.stringify(httpd)}`);
  await shot(page, "05-rewound");
  // Replaying the recorded future reproduces exactly what was shown.
  await scrubber.fill(String(t1));
  await until(async () => seconds(await clock(page)) === t1, 5000);
  const again = await pods(page);
  assert(JSON.stringify(again) === JSON.stringify(later), `replay reproduces the state:\n${JSON.stringify(later)}\n${JSON.stringify(again)}`);
});

test("invalid YAML shows its error at the right line", async (page, base) => {
  await page.goto(base);
  const broken = SCENARIO.replace("initialDelaySeconds: 5\n          periodSeconds: 5", "initialDelaySecond: 5\n          periodSeconds: 5");
  const line = broken.split("\n").findIndex((l) => l.includes("initialDelaySecond:")) + 1;
  await setEditorText(page, broken);
  const problems = page.getByRole("list", { name: "Problems" });
  const text = await until(async () => {
    const t = await problems.innerText();
    return t.includes(`Line ${line}:`) && t;
  }, 5000);
  assert(text, `Problems lists line ${line}: ${await problems.innerText()}`);
  assert(/initialDelaySecond/.test(text), "the message names the field");
  const marked = await page.locator(".cm-lintRange-error").count();
  assert(marked >= 1, "the editor underlines the error");
  assert(await page.getByRole("button", { name: "Apply", exact: true }).isDisabled(), "Apply is disabled while the file has errors");
  await shot(page, "06-invalid-yaml");
});

test("the terminal runs commands and walks its history with the arrow keys", async (page, base) => {
  await openScenario(page, base);
  const input = page.getByRole("textbox", { name: "Command" });
  await input.fill("kubectl get pods");
  await input.press("Enter");
  const out = await until(async () => {
    const t = await page.getByRole("log", { name: "Output" }).innerText();
    return t.includes("liveness-exec") && t;
  }, 3000);
  assert(out, "kubectl get pods prints the pods");
  await input.press("ArrowUp");
  assert((await input.inputValue()) === "kubectl get pods", "↑ recalls the last command");
  await input.press("ArrowDown");
  assert((await input.inputValue()) === "", "↓ returns to an empty line");
});

/// Every spelling of `kubectl apply -f -` applies what the editor holds now, not the text loaded last:
/// the terminal asks the command language's parser, as scenario steps and the CLI do.
test("kubectl apply --filename=- and -f- in the terminal apply the editor's current text", async (page, base) => {
  await openScenario(page, base);
  const input = page.getByRole("textbox", { name: "Command" });
  for (const [flag, name] of [["--filename=-", "typed-filename"], ["-f-", "typed-attached"]]) {
    await setEditorText(page, `${SCENARIO}---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n  - name: c\n    image: nginx\n`);
    await input.fill(`kubectl apply ${flag}`);
    await input.press("Enter");
    const row = await until(async () => (await pods(page)).find((p) => p.NAME === name), 5000);
    assert(row, `kubectl apply ${flag} creates the pod that only the editor's text has (${name})`);
  }
  const out = await page.getByRole("log", { name: "Output" }).innerText();
  assert(out.includes("pod/typed-attached created"), `the terminal prints kubectl's created line: ${out.slice(-400)}`);
});

test("a gallery pick over unsaved edits offers to keep them, and Replace loads it", async (page, base) => {
  await openScenario(page, base);
  const card = page.getByRole("navigation", { name: "Gallery" }).getByRole("button", { name: /CrashLoopBackOff, step by step/ });
  await card.click();
  const dialog = page.getByRole("alertdialog", { name: "Unsaved changes" });
  await dialog.waitFor({ timeout: 3000 });
  await shot(page, "11-keep-or-replace");
  await dialog.getByRole("button", { name: "Keep my work" }).click();
  assert(!(await dialog.isVisible()), "Keep closes the dialog");
  assert((await editorText(page)).includes("name: browser-test"), "Keep leaves the edited text");
  await card.click();
  await dialog.getByRole("button", { name: "Replace" }).click();
  await until(async () => !(await editorText(page)).includes("name: browser-test"), 3000);
  assert(!(await editorText(page)).includes("name: browser-test"), "Replace loads the scenario");
});

test("a gallery scenario loads in one click and the timeline shows its CrashLoopBackOff wait", async (page, base) => {
  // A first visit shows a gallery scenario, so the editor holds no unsaved work: one click loads.
  await page.goto(base);
  await page.getByRole("region", { name: "Manifest editor" }).locator(".cm-content").waitFor({ timeout: 15000 });
  await page.getByRole("navigation", { name: "Gallery" }).getByRole("button", { name: /CrashLoopBackOff, step by step/ }).click();
  assert(!(await page.getByRole("alertdialog").isVisible()), "no question when nothing is unsaved");
  assert((await clock(page)) === "0s", "loading a scenario starts at 0s");
  const crashing = await playUntil(page, async () => (await pods(page)).find((p) => p.STATUS === "CrashLoopBackOff"), "60");
  assert(crashing, "a pod reaches CrashLoopBackOff");
  await selectPod(page, crashing.NAME);
  // Pausing lands a tick later (6 s at 60×); step into a back-off wait if that tick left it.
  for (let i = 0; i < 90; i++) {
    const row = (await pods(page)).find((p) => p.NAME === crashing.NAME);
    const waitingNow = await page.locator(".probe-timeline .backoff.waiting").count();
    if (row.STATUS === "CrashLoopBackOff" && waitingNow > 0) break;
    await page.getByRole("button", { name: "Step", exact: true }).click();
  }
  const backoff = page.locator(".probe-timeline .backoff");
  assert((await backoff.count()) >= 1, "the timeline draws the back-off wait");
  const waiting = await page.locator(".probe-timeline .backoff.waiting text").allTextContents();
  assert(waiting.some((t) => /^next restart in \d/.test(t)), `the wait says when the next restart comes: ${waiting}`);
  const why = await page.getByRole("region", { name: "Explanation" }).innerText();
  assert(/CrashLoopBackOff/.test(why), `the explanation names CrashLoopBackOff: ${why}`);
  await shot(page, "07-crashloop");
});

test("a YAML draft kept by the error banner comes back after a reload", async (page, base) => {
  const draft = SCENARIO.replace("name: browser-test", "name: kept-draft");
  // The page reads the draft when it starts, so it is written once this visit has started.
  await page.goto(base);
  await page.getByRole("table", { name: "Pods" }).waitFor();
  await page.evaluate((text) => localStorage.setItem("probe-playground.draft", text), draft);
  await page.goto(base);
  const content = page.getByRole("region", { name: "Manifest editor" }).locator(".cm-content");
  await content.waitFor({ timeout: 15000 });
  assert((await content.innerText()).includes("kept-draft"), "the editor holds the draft");
  assert((await page.evaluate(() => localStorage.getItem("probe-playground.draft"))) === null, "the draft is used once");
  await until(async () => (await pods(page)).length >= 3, 5000);
});

test("the layout works narrow and in the dark theme", async (page, base) => {
  await openScenario(page, base);
  await page.emulateMedia({ colorScheme: "dark" });
  await selectPod(page, "liveness-exec");
  await shot(page, "08-dark");
  await page.setViewportSize({ width: 1920, height: 1080 });
  await shot(page, "09-wide");
  await page.setViewportSize({ width: 420, height: 900 });
  assert(await page.getByRole("table", { name: "Pods" }).isVisible(), "tables still show when narrow");
  await shot(page, "10-narrow");
});

/// A Deployment, a StatefulSet and a DaemonSet, for the Workloads table.
const WORKLOADS = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  replicas: 1
  serviceName: db
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
      - name: redis
        image: redis
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels: {app: agent}
  template:
    metadata:
      labels: {app: agent}
    spec:
      containers:
      - name: agent
        image: busybox
        args: ["sleep", "3600"]
`;

/// The Workloads table's groups: each kind's header cells and its rows' cells.
async function workloads(page) {
  return page.getByRole("table", { name: "Workloads" }).evaluate((table) =>
    [...table.tBodies]
      .filter((b) => b.querySelector("tr.kind-head"))
      .map((b) => {
        const [head, ...rows] = [...b.rows];
        return { headers: [...head.cells].map((c) => c.innerText.trim()), rows: rows.map((r) => [...r.cells].map((c) => c.innerText.trim())) };
      }),
  );
}

test("the Workloads table prints each kind as kubectl get does, and its buttons scale", async (page, base) => {
  await page.goto(base);
  await setEditorText(page, WORKLOADS);
  await until(async () => (await page.getByRole("list", { name: "Problems" }).innerText()).includes("No problems"), 5000);
  await page.getByRole("button", { name: "Reset", exact: true }).click();
  const ready = await playUntil(page, async () => {
    const groups = await workloads(page);
    return groups.length === 3 && groups[0].rows[0]?.[2] === "2/2" && groups[1].rows[0]?.[2] === "1/1" && groups;
  });
  assert(ready, `the three kinds become ready: ${JSON.stringify(await workloads(page))}`);
  const [deploy, sts, ds] = ready;
  // pkg/printers/internalversion/printers.go: each kind's own columns, as `kubectl get deploy,sts,ds -A`.
  assert(JSON.stringify(deploy.headers) === JSON.stringify(["NAMESPACE", "NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "SCALE"]), JSON.stringify(deploy.headers));
  assert(JSON.stringify(sts.headers) === JSON.stringify(["NAMESPACE", "NAME", "READY", "AGE", "SCALE"]), JSON.stringify(sts.headers));
  assert(JSON.stringify(ds.headers) === JSON.stringify(["NAMESPACE", "NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE"]), JSON.stringify(ds.headers));
  assert(deploy.rows[0][1] === "deployment.apps/web" && sts.rows[0][1] === "statefulset.apps/db" && ds.rows[0][1] === "daemonset.apps/agent", "names carry their kind");
  const input = page.getByRole("textbox", { name: "Command" });
  await input.fill("kubectl get deploy web");
  await input.press("Enter");
  const printed = await until(async () => {
    const t = await page.getByRole("log", { name: "Output" }).innerText();
    return t.match(/^web\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)$/m);
  }, 3000);
  const now = (await workloads(page))[0].rows[0];
  assert(printed && JSON.stringify(printed.slice(1, 5)) === JSON.stringify(now.slice(2, 6)), `the table agrees with kubectl get: ${printed} vs ${now}`);
  await page.getByRole("button", { name: "Scale web up" }).click();
  const scaled = await until(async () => (await workloads(page))[0].rows[0][2].endsWith("/3"), 3000);
  assert(scaled, `scaling up asks for 3: ${JSON.stringify(await workloads(page))}`);
  assert((await page.getByRole("log", { name: "Output" }).innerText()).includes("kubectl scale deploy web -n default --replicas=3"), "the terminal shows the command");
  const panel = page.getByRole("table", { name: "Workloads" });
  for (const [width, height, scheme] of [[1366, 768, "light"], [1366, 768, "dark"], [390, 844, "light"], [390, 844, "dark"]]) {
    await page.setViewportSize({ width, height });
    await page.emulateMedia({ colorScheme: scheme });
    await panel.scrollIntoViewIfNeeded();
    await panel.screenshot({ path: path.join(SCREENSHOTS, `17-workloads-${width}-${scheme}.png`) });
  }
});

/// A share link's fragment for a state, written as the playground writes them: `v1.` and the
/// unpadded base64url of the zlib-compressed JSON.
function linkFragment(state) {
  return "#v1." + zlib.deflateSync(Buffer.from(JSON.stringify(state))).toString("base64url");
}

test("Share writes a link that opens the same YAML, time and view in a fresh browser", async (page, base, fresh) => {
  await openScenario(page, base);
  for (let i = 0; i < 7; i++) await page.getByRole("button", { name: "Step", exact: true }).click();
  await selectPod(page, "liveness-exec");
  const time = await clock(page);
  await page.getByRole("button", { name: "Share", exact: true }).click();
  const field = page.getByRole("textbox", { name: "Share link" });
  const sharedUrl = await field.inputValue();
  assert(sharedUrl.startsWith(base) && /#v1\.[A-Za-z0-9_-]+$/.test(sharedUrl), `a v1 link under the page's address: ${sharedUrl}`);
  assert(page.url() === sharedUrl, "the address bar holds the link");
  await shot(page, "12-share-panel");
  const other = await fresh();
  await other.goto(sharedUrl);
  await other.getByRole("table", { name: "Pods" }).waitFor();
  await until(async () => (await clock(other)) === time, 5000);
  assert((await clock(other)) === time, `the link opens at ${time}, got ${await clock(other)}`);
  await until(async () => (await editorText(other)) === SCENARIO, 10000);
  assert((await editorText(other)) === SCENARIO, "the link carries the YAML exactly");
  const detail = other.getByRole("region", { name: "Selected pod" });
  assert((await detail.innerText()).includes("pod/liveness-exec"), "the link selects the same pod");
  assert(JSON.stringify(await pods(other)) === JSON.stringify(await pods(page)), "the tables agree");
});

/// The work the tests of links and reloads type before them.
const OWN_WORK = SCENARIO.replace("name: browser-test", "name: autosaved-work");

test("autosave keeps the editor's text across a reload", async (page, base) => {
  const own = OWN_WORK;
  await saveWork(page, base, own);
  await page.reload();
  await until(async () => (await editorText(page)).includes("autosaved-work"), 10000);
  assert((await editorText(page)) === own, "the editor holds the autosaved text after a reload");
});

test("two tabs keep their own drafts: reloading one brings back its own work, not the other's", async (page, base) => {
  const other = await page.context().newPage();
  const a = SCENARIO.replace("name: browser-test", "name: work-of-tab-a");
  const b = SCENARIO.replace("name: browser-test", "name: work-of-tab-b");
  await saveWork(page, base, a);
  await saveWork(other, base, b);
  await page.reload();
  await until(async () => (await editorText(page)) === a, 10000);
  assert((await editorText(page)) === a, "tab A's reload shows tab A's work");
  // Tab A saves its work again after its reload; wait for that save, so that B's comes last.
  await autosaved(page, a);
  await other.reload();
  await until(async () => (await editorText(other)) === b, 10000);
  assert((await editorText(other)) === b, "tab B's reload shows tab B's work");
  // Each tab saves its work again after a reload; B did so last.
  await autosaved(other, b);
  const third = await page.context().newPage();
  await third.goto(base);
  await until(async () => (await editorText(third)) === b, 10000);
  assert((await editorText(third)) === b, "a new tab opens the work saved last");
});

test("saved work whose last opening never finished is shown but not run again", async (page, base) => {
  await saveWork(page, base, OWN_WORK);
  // What a tab closed while the file froze it leaves behind.
  await page.evaluate(() => localStorage.setItem("probe-playground.autosave.opening", "1"));
  await page.reload();
  const notice = page.getByRole("status").filter({ hasText: "did not finish opening" });
  await notice.waitFor({ timeout: 10000 });
  await until(async () => (await editorText(page)) === OWN_WORK, 10000);
  assert((await editorText(page)) === OWN_WORK, "the work is in the editor");
  assert((await pods(page)).length === 0, "nothing of it runs");
  await page.getByRole("button", { name: "Reset", exact: true }).click();
  await until(async () => (await pods(page)).length >= 3, 5000);
  assert((await pods(page)).length >= 3, "Reset runs it");
  await page.reload();
  await until(async () => (await pods(page)).length >= 3, 10000);
  assert((await pods(page)).length >= 3, "an opening that finished runs again on the next visit");
});

test("a corrupted or truncated link shows a message and keeps the autosaved work", async (page, base) => {
  await saveWork(page, base, OWN_WORK);
  const link = linkFragment({ yaml: SCENARIO, time_ms: 7000, speed: 1, view: "pod", selected: "Pod/default/liveness-exec" });
  for (const [fragment, expected] of [
    ["#v1.AAAA-not-a-state", /damaged|not URL-safe/],
    [link.slice(0, -12), /damaged|truncated/],
    ["#v9.abc", /version/],
  ]) {
    await page.goto("about:blank");
    await page.goto(base + fragment);
    const banner = page.getByRole("alert", { name: "Link problem" });
    await banner.waitFor({ timeout: 10000 });
    const text = await banner.innerText();
    assert(/could not be opened/.test(text) && expected.test(text), `the banner says what is wrong: ${text}`);
    await until(async () => (await editorText(page)).includes("autosaved-work"), 10000);
    assert((await editorText(page)).includes("autosaved-work"), "the autosaved work stays in the editor");
    if (fragment.startsWith("#v1.AAAA")) await shot(page, "13-broken-link");
    await banner.getByRole("button", { name: "Dismiss" }).click();
    assert(!(await banner.isVisible()), "Dismiss closes the message");
  }
});

/// A pod whose shell never stops computing: every virtual second of it costs real work.
const SPIN = `apiVersion: v1
kind: Pod
metadata:
  name: spin
spec:
  containers:
  - name: spin
    image: busybox
    args: ["/bin/sh", "-c", "while true; do :; done"]
`;

/// Calls into the page every 250 ms for `duration` ms and returns the slowest answer, in ms. The
/// pause between calls is the sampling period, not a wait for the page.
async function slowestAnswer(page, duration) {
  let slowest = 0;
  const end = Date.now() + duration;
  while (Date.now() < end) {
    const asked = Date.now();
    await page.evaluate(() => document.title);
    const took = Date.now() - asked;
    slowest = Math.max(slowest, took);
    await new Promise((next) => setTimeout(next, Math.max(0, 250 - took)));
  }
  return slowest;
}

test("a link at 24h of a pod that computes forever keeps the page answering, shows progress, and stops where asked", async (page, base) => {
  await page.goto(base + linkFragment({ yaml: SPIN, time_ms: 24 * 3600 * 1000, speed: 1, view: "overview" }));
  await page.getByRole("table", { name: "Pods" }).waitFor();
  const progress = page.getByRole("progressbar", { name: "Seek progress" });
  await progress.waitFor({ timeout: 10000 });
  const first = seconds(await clock(page));
  const slowest = await slowestAnswer(page, 6000);
  assert(slowest < 500, `the page answered a script call within 500 ms while seeking; the slowest took ${slowest} ms`);
  const reached = seconds(await clock(page));
  assert(reached > first, `virtual time moves on while the page answers: ${first} s, then ${reached} s`);
  assert(/Simulating up to 24h: \S+ reached/.test(await page.getByRole("status").filter({ has: progress }).innerText()), "the bar says where the seek goes");
  await shot(page, "18-seeking");
  await page.getByRole("button", { name: "Stop here", exact: true }).click();
  await progress.waitFor({ state: "detached", timeout: 3000 });
  // The clock reads in minutes this late; the scrubber counts whole seconds.
  const scrubber = page.getByRole("slider", { name: "Time scrubber" });
  const stopped = Number(await scrubber.inputValue());
  assert(stopped >= reached && stopped < 24 * 3600, `stopping keeps what was computed: ${stopped} s`);
  await page.getByRole("button", { name: "Step", exact: true }).click();
  await until(async () => Number(await scrubber.inputValue()) === stopped + 1, 3000);
  assert(Number(await scrubber.inputValue()) === stopped + 1, `the clock goes on from where the seek stopped: ${await scrubber.inputValue()}`);
  assert((await pods(page)).some((p) => p.NAME === "spin" && p.STATUS === "Running"), "the pod is still running");
});

test("a link opened over unsaved work asks first; Keep keeps it and Replace opens the link", async (page, base) => {
  const linked = SCENARIO.replace("name: browser-test", "name: linked-scenario");
  const fragment = linkFragment({ yaml: linked, time_ms: 7000, speed: 5, view: "pod", selected: "Pod/default/liveness-exec" });
  await saveWork(page, base, OWN_WORK);
  for (const choice of ["Keep my work", "Replace"]) {
    await page.goto("about:blank");
    await page.goto(base + fragment);
    const dialog = page.getByRole("alertdialog", { name: "Unsaved changes" });
    await dialog.waitFor({ timeout: 10000 });
    await until(async () => (await editorText(page)).includes("autosaved-work"), 10000);
    assert((await editorText(page)).includes("autosaved-work"), "the editor still holds the work while asking");
    await dialog.getByRole("button", { name: choice }).click();
    if (choice === "Keep my work") {
      assert((await editorText(page)).includes("autosaved-work"), "Keep leaves the work");
      assert(!page.url().includes("#"), "the declined link leaves the address");
    } else {
      await until(async () => (await editorText(page)) === linked, 3000);
      assert((await editorText(page)) === linked, "Replace opens the link's YAML");
      assert((await clock(page)) === "7s", `at the link's time: ${await clock(page)}`);
      assert((await page.getByRole("combobox", { name: "Speed" }).inputValue()) === "5", "at the link's speed");
      assert((await page.getByRole("region", { name: "Selected pod" }).innerText()).includes("pod/liveness-exec"), "showing the link's pod");
    }
  }
});

test("when storage refuses the work, the page says so and offers it as a download; nothing typed is lost", async (page, base) => {
  await page.addInitScript(() => {
    Storage.prototype.setItem = function () {
      throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
    };
  });
  await page.goto(base);
  const before = SCENARIO.replace("name: browser-test", "name: typed-before");
  await setEditorText(page, before);
  const banner = page.getByRole("alert", { name: "Not saved" });
  await banner.waitFor({ timeout: 5000 });
  assert(/not saved in this browser: the browser's storage for this page is full/.test(await banner.innerText()), await banner.innerText());
  const after = before + "---\n# typed after the failure\n";
  await setEditorText(page, after);
  const download = page.waitForEvent("download");
  await banner.getByRole("button", { name: "Download the YAML" }).click();
  const file = await download;
  const text = fs.readFileSync(await file.path(), "utf8");
  assert(text === after, `the download holds everything typed, before and after the failure: ${JSON.stringify(text.slice(-80))}`);
  assert((await editorText(page)) === after, "the editor keeps the work");
  await shot(page, "19-not-saved");
});

test("an embedded lab asks before a host's load message replaces the learner's edits", async (page, base) => {
  await page.goto(base + "?embed=1&scenario=liveness-exec");
  await page.getByRole("table", { name: "Pods" }).waitFor();
  await setEditorText(page, OWN_WORK);
  const sent = SCENARIO.replace("name: browser-test", "name: host-sent");
  // The lab is its own host here; a course page posts the same message into its frame.
  const post = (yaml) => page.evaluate((yaml) => window.postMessage(JSON.stringify({ probePlayground: 1, type: "load", yaml }), "*"), yaml);
  await post(sent);
  const dialog = page.getByRole("alertdialog", { name: "Unsaved changes" });
  await dialog.waitFor({ timeout: 5000 });
  assert((await editorText(page)) === OWN_WORK, "the work stays while the lab asks");
  await dialog.getByRole("button", { name: "Keep my work" }).click();
  assert((await editorText(page)) === OWN_WORK, "Keep keeps the work");
  await post(sent);
  await dialog.waitFor({ timeout: 5000 });
  await dialog.getByRole("button", { name: "Replace" }).click();
  await until(async () => (await editorText(page)) === sent, 5000);
  assert((await editorText(page)) === sent, "Replace loads what the host sent");
  assert((await pods(page)).some((p) => p.NAME === "liveness-exec"), "the sent scenario runs");
});

/// From the next navigation on, `window.__ppViolations` lists the Content-Security-Policy
/// violations the page reports.
async function recordViolations(page) {
  await page.addInitScript(() => {
    window.__ppViolations = [];
    document.addEventListener("securitypolicyviolation", (e) => window.__ppViolations.push(`${e.violatedDirective}: ${e.blockedURI}`));
  });
}

test("the page keeps its Content-Security-Policy through every panel: only its own scripts and WebAssembly", async (page, base) => {
  await recordViolations(page);
  await openScenario(page, base);
  const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
  assert(policy && /script-src 'self' 'wasm-unsafe-eval' 'sha256-[^']+' 'sha256-[^']+'(;|$)/.test(policy) && !/unsafe-inline[^;]*;.*script|script-src[^;]*unsafe-inline/.test(policy), `a strict script policy: ${policy}`);
  await httpdReady(page);
  await selectPod(page, "liveness-exec");
  await page.getByText("kubectl describe pod", { exact: true }).click();
  const input = page.getByRole("textbox", { name: "Command" });
  await input.fill("kubectl get pods -o yaml");
  await input.press("Enter");
  await page.getByRole("button", { name: "Share", exact: true }).click();
  await page.getByRole("textbox", { name: "Share link" }).waitFor();
  await page.getByRole("button", { name: "Embed", exact: true }).click();
  await page.frameLocator("iframe.embed-preview").getByRole("table", { name: "Pods" }).waitFor({ timeout: 15000 });
  const violations = await page.evaluate(() => window.__ppViolations);
  assert(violations.length === 0, `no violations: ${violations.join(", ")}`);
  // An inline script the build did not write is refused.
  const ran = await page.evaluate(() => {
    window.__ppInjected = false;
    const script = document.createElement("script");
    script.textContent = "window.__ppInjected = true";
    document.head.append(script);
    return window.__ppInjected;
  });
  assert(ran === false, "an injected inline script does not run");
  await until(async () => (await page.evaluate(() => window.__ppViolations.length)) === 1, 3000);
}, { errors: "expected" });

test("Embed writes an iframe snippet and previews it", async (page, base) => {
  await page.goto(base);
  await page.getByRole("table", { name: "Pods" }).waitFor();
  await page.getByRole("navigation", { name: "Gallery" }).getByRole("button", { name: /CrashLoopBackOff, step by step/ }).click();
  const replace = page.getByRole("alertdialog").getByRole("button", { name: "Replace" });
  if (await replace.isVisible()) await replace.click();
  await page.getByRole("button", { name: "Embed", exact: true }).click();
  const code = page.getByRole("textbox", { name: "Embed code" });
  let snippet = await code.inputValue();
  assert(snippet.startsWith("<iframe ") && snippet.includes("embed=1") && snippet.includes("scenario=crashloop-backoff"), snippet);
  await page.getByRole("region", { name: "Embed" }).getByRole("combobox", { name: "Editor" }).selectOption("hidden");
  snippet = await code.inputValue();
  assert(snippet.includes("editor=hidden"), `the snippet follows the options: ${snippet}`);
  const preview = page.frameLocator("iframe.embed-preview");
  await preview.getByRole("table", { name: "Pods" }).waitFor({ timeout: 15000 });
  assert((await preview.getByRole("region", { name: "Manifest editor" }).count()) === 0, "the preview hides the editor");
  await shot(page, "14-embed-panel");
});

test("the course page embeds two labs and drives the first with postMessage", async (page, base) => {
  await page.goto(base + "static/embed.html");
  const lab1 = page.frameLocator("#playground-liveness");
  await lab1.getByRole("table", { name: "Pods" }).waitFor({ timeout: 15000 });
  await page.locator("#playground-readiness").scrollIntoViewIfNeeded();
  const lab2 = page.frameLocator("#playground-readiness");
  await lab2.getByRole("table", { name: "Endpoints" }).waitFor({ timeout: 15000 });
  assert((await lab2.getByRole("region", { name: "Manifest editor" }).count()) === 0, "lab 2 hides its editor");
  const status = page.locator("#host-status");
  await until(async () => (await status.getAttribute("data-state")) === "connected", 10000);
  assert((await status.getAttribute("data-state")) === "connected", "the page hears ready");
  const log = page.locator("#host-log");
  const entries = async (type) =>
    (await log.locator(`li[data-type="${type}"]`).allInnerTexts()).map((t) => JSON.parse(t.slice(t.indexOf("{"), t.lastIndexOf("}") + 1)));
  assert((await entries("ready")).length === 1, "one ready message");

  await page.locator("#host-pause").click();
  await page.locator("#host-seek").click();
  await page.locator("#host-get-state").click();
  const state = await until(async () => (await entries("state")).at(-1), 5000);
  assert(state && state.t === 80 && state.playing === false, `seek to 80s: ${JSON.stringify(state)}`);
  const pod = state.pods.find((p) => p.name === "liveness-exec");
  assert(pod && pod.restarts >= 1, `the liveness probe restarted the container by 80s: ${JSON.stringify(state.pods)}`);
  assert((await lab1.getByRole("timer", { name: "Virtual time" }).innerText()).trim() === state.clock, "the frame shows 80s");

  await page.locator("#host-subscribe").click();
  await page.locator("#host-play").click();
  const change = await until(async () => (await entries("change")).find((c) => c.kind === "restarts" || c.kind === "status"), 20000);
  assert(change, "subscribers hear changes while playing");
  await page.locator("#host-pause").click();
  await page.locator("#host-run").click();
  const result = await until(async () => (await entries("commandResult")).at(-1), 5000);
  assert(result && result.ok && result.output.includes("liveness-exec"), `run answers: ${JSON.stringify(result)}`);

  // A malformed request is answered with an error, and nothing else happens.
  await page.evaluate(() => document.getElementById("playground-liveness").contentWindow.postMessage({ probePlayground: 1, type: "seek", time: 5 }, "*"));
  const error = await until(async () => (await entries("error")).at(-1), 5000);
  assert(error && /time/.test(error.message), `an error names the field: ${JSON.stringify(error)}`);
  await page.locator("#playground-liveness").scrollIntoViewIfNeeded();
  await lab1.getByRole("table", { name: "Pods" }).waitFor();
  await page.screenshot({ path: path.join(SCREENSHOTS, "15-embed-page.png"), fullPage: true });
});

test("an embed URL's origins= lets only the pages it names drive the frame", async (page, base) => {
  const own = new URL(base).origin;
  const getState = () => page.evaluate(() => window.postMessage(JSON.stringify({ probePlayground: 1, type: "getState" }), "*"));
  const answers = () => page.evaluate(() => window.__ppAnswers.length);
  await page.addInitScript(() => {
    window.__ppAnswers = [];
    addEventListener("message", (e) => typeof e.data === "string" && e.data.includes('"type":"state"') && window.__ppAnswers.push(e.data));
  });
  // The lab is its own host here, so its own origin is the one a listed page would have.
  await page.goto(`${base}?embed=1&scenario=liveness-exec&origins=${encodeURIComponent(own)}`);
  await page.getByRole("table", { name: "Pods" }).waitFor();
  await getState();
  assert(await until(async () => (await answers()) === 1, 5000), "a listed origin is answered");
  const ignored = page.waitForEvent("console", { predicate: (m) => m.type() === "warning" && m.text().includes("origins= does not name"), timeout: 5000 });
  await page.goto(`${base}?embed=1&scenario=liveness-exec&origins=https://learn.example.com`);
  await page.getByRole("table", { name: "Pods" }).waitFor();
  await getState();
  await ignored.catch(() => assert(false, "the frame says it ignored the message"));
  assert((await answers()) === 0, "a page of another origin gets no answer");
});

test("an embedded lab works when storage throws", async (page, base) => {
  {
    const other = page;
    await other.addInitScript(() => {
      Object.defineProperty(window, "localStorage", { get() { throw new DOMException("denied", "SecurityError"); } });
    });
    await other.goto(base + "?embed=1&scenario=liveness-exec&editor=readonly&t=40s&panels=pods,timeline");
    await other.getByRole("table", { name: "Pods" }).waitFor({ timeout: 15000 });
    await until(async () => (await clock(other)) === "40s" && (await other.locator(".probe-timeline").count()) >= 1, 10000);
    assert((await clock(other)) === "40s", `t= opens at 40s: ${await clock(other)}`);
    assert((await pods(other)).some((p) => p.NAME === "liveness-exec"), "the scenario= lab is shown");
    assert(await other.locator(".probe-timeline").count() >= 1, "the timeline panel shows the first pod");
    await setEditorText(other, "edited");
    assert((await editorText(other)).includes("liveness-exec") && !(await editorText(other)).includes("edited"), "editor=readonly takes no typing");
  }
});

/// The module's second part (scripts/lib/split-site.mjs), as the site names it.
function restModule() {
  const name = fs.readdirSync(DIST).find((f) => f.endsWith("_rest.wasm"));
  assert(name, `the site's module is split: no *_rest.wasm in ${DIST}`);
  return name;
}

test("a first visit needs only the module's first part, on a laptop and on a phone; the rest loads while the table shows", async (page, base, fresh) => {
  const rest = restModule();
  for (const [width, height, colorScheme] of [[1366, 768, "light"], [390, 844, "dark"]]) {
    await (async (other) => {
      await other.setViewportSize({ width, height });
      await other.emulateMedia({ colorScheme });
      await recordFirstTable(other);
      await other.goto(base);
      await other.getByRole("table", { name: "Pods" }).waitFor();
      const requests = await until(
        () =>
          other.evaluate((rest) => {
            const entries = performance.getEntriesByType("resource").filter((e) => e.name.endsWith(rest) || e.name.endsWith("editor.js"));
            return entries.length === 2 && entries.map((e) => ({ name: e.name, by: e.initiatorType, start: e.startTime, table: window.__ppFirstTable }));
          }, rest),
        10000,
      );
      const where = `${width}×${height} ${colorScheme}`;
      assert(requests, `${where}: the rest of the module and the editor are fetched, each once`);
      for (const r of requests) {
        assert(r.start > r.table, `${where}: ${r.name} is requested after the table shows: ${JSON.stringify(r)}`);
        assert(r.by !== "xmlhttprequest", `${where}: ${r.name} was not needed synchronously: ${JSON.stringify(r)}`);
      }
    })(await fresh());
  }
});

test("when the rest of the module fails to download once, it is fetched again and the playground works", async (page, base) => {
  const rest = restModule();
  await (async (other) => {
    let asked = 0;
    // The first request fails; the next one goes through. The simulation's worker needs the rest
    // from the start (the page hands it over), so it is asked for again at once.
    await other.route(`**/${rest}`, async (route) => {
      asked += 1;
      if (asked === 1) await route.abort();
      else await route.continue();
    });
    await other.goto(base);
    await other.getByRole("table", { name: "Pods" }).waitFor();
    await loadScenario(other);
    const ready = await playUntil(other, async () => {
      const rows = (await pods(other)).filter((p) => p.NAME.startsWith("httpd-deployment-"));
      return rows.length === 2 && rows.every((p) => p.READY === "1/1");
    });
    assert(ready, "the Deployment's pods become ready");
    assert(asked === 2, `the rest was requested again after the failure, once: ${asked}`);
  })(page);
}, { errors: "expected" });

/// Opens `url` in `page` and checks that the rest of the module was fetched alongside the first
/// part: by `fetch`, complete before the first table, and once.
async function opensWithBothParts(page, url) {
  const rest = restModule();
  const asked = { count: 0 };
  await page.route(`**/${rest}`, async (route) => {
    asked.count += 1;
    await route.continue();
  });
  await recordFirstTable(page);
  await page.goto(url);
  await page.getByRole("table", { name: "Pods" }).waitFor();
  const timing = await page.evaluate((rest) => {
    const entry = performance.getEntriesByType("resource").find((e) => e.name.endsWith(rest));
    return entry && { by: entry.initiatorType, end: entry.responseEnd, table: window.__ppFirstTable };
  }, rest);
  assert(timing && timing.by === "fetch", `${url}: the rest was fetched, not requested synchronously: ${JSON.stringify(timing)}`);
  assert(timing.end < timing.table, `${url}: the rest arrived before the first table: ${JSON.stringify(timing)}`);
  return asked;
}

/// Waits until the editor's module has loaded: it is fetched once the first screen has painted, as
/// is the rest of the module on a first visit, so a second request for the rest would be made by now.
async function editorLoaded(page) {
  await page.getByRole("region", { name: "Manifest editor" }).locator(".cm-content").waitFor({ timeout: 15000 });
}

test("an embedded lab, a shared link and saved work each fetch both parts of the module together, once", async (page, base, fresh) => {
  await (async (other) => {
    const asked = await opensWithBothParts(other, base + "?embed=1&scenario=readiness-httpd&editor=hidden&panels=pods,endpoints");
    const ready = await playUntil(other, async () => (await pods(other)).filter((p) => p.READY === "1/1").length === 3);
    assert(ready, "the lab's three httpd pods become ready");
    assert(asked.count === 1, `the rest was requested once: ${asked.count}`);
  })(await fresh());
  let link;
  await (async (other) => {
    await other.goto(base);
    await other.getByRole("table", { name: "Pods" }).waitFor();
    await setEditorText(other, SCENARIO);
    await until(async () => (await other.getByRole("list", { name: "Problems" }).innerText()).includes("No problems"), 5000);
    await other.getByRole("button", { name: "Share", exact: true }).click();
    link = await other.getByRole("textbox", { name: "Share link" }).inputValue();
    // The edit is autosaved: the next visit starts from it.
    await autosaved(other, SCENARIO);
    const asked = await opensWithBothParts(other, base);
    await editorLoaded(other);
    await until(async () => (await editorText(other)) === SCENARIO, 10000);
    assert((await editorText(other)) === SCENARIO, "the saved work is back");
    assert(asked.count === 1, `the rest was requested once over saved work: ${asked.count}`);
  })(await fresh());
  await (async (other) => {
    const asked = await opensWithBothParts(other, link);
    await until(async () => (await pods(other)).some((p) => p.NAME.startsWith("httpd-deployment-")), 10000);
    assert((await pods(other)).some((p) => p.NAME.startsWith("httpd-deployment-")), "the link's scenario is shown");
    await editorLoaded(other);
    assert(asked.count === 1, `the rest was requested once for a link: ${asked.count}`);
  })(await fresh());
});

test("when the rest of the module cannot be downloaded, a banner says so and offers a reload", async (page, base) => {
  const rest = restModule();
  await (async (other) => {
    await other.route(`**/${rest}`, (route) => route.abort());
    await other.goto(base);
    await other.getByRole("table", { name: "Pods" }).waitFor();
    await setEditorText(other, SCENARIO);
    const banner = other.getByRole("alert").filter({ hasText: "could not be downloaded" });
    await banner.waitFor({ timeout: 10000 });
    assert(await banner.getByRole("button", { name: "Reload" }).isVisible(), "the banner offers a reload");
    await shot(other, "16-rest-failed");
  })(page);
}, { errors: "expected" });

// The simulation's worker: hostile scenarios and a worker that dies (tests/browser/worker.mjs).
registerWorkerTests(test, { assert, shot, loadScenario, editorText, shareLink: linkFragment });

/// Runs one test with a page of a browser context of its own. `fresh()` gives the test more pages,
/// each in another fresh context (a "fresh browser" for links and first visits). Console errors and
/// uncaught exceptions of any of its pages fail the test.
async function runTest(browser, t, base) {
  const contexts = [];
  const errors = [];
  const fresh = async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    contexts.push(context);
    const page = await context.newPage();
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    page.on("pageerror", (e) => errors.push(String(e)));
    return page;
  };
  const page = await fresh();
  try {
    await t.body(page, base, fresh);
    if (t.options.errors !== "expected") {
      assert(errors.length === 0, `console errors:\n${errors.join("\n")}`);
    }
  } catch (error) {
    await shot(page, `fail-${tests.indexOf(t) + 1}`).catch(() => {});
    throw error;
  } finally {
    for (const context of contexts) await context.close();
  }
}

async function main() {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const server = await serve();
  const browser = await launchBrowser();
  let passed = 0;
  let failed = 0;
  // `node tests/browser/run.mjs PATTERN` runs the tests whose names match PATTERN.
  const only = process.argv[2] ? new RegExp(process.argv[2]) : null;
  const started = Date.now();
  for (const t of tests) {
    if (only && !only.test(t.name)) continue;
    const began = Date.now();
    try {
      await runTest(browser, t, server.url);
      passed += 1;
      console.log(`ok   ${t.name} (${((Date.now() - began) / 1000).toFixed(1)} s)`);
    } catch (error) {
      failed += 1;
      console.log(`FAIL ${t.name}\n     ${String(error.message ?? error).split("\n").join("\n     ")}`);
    }
  }
  await browser.close();
  server.close();
  console.log(`${passed} passed, ${failed} failed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.exit(failed === 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  console.log("0 passed, 1 failed");
  process.exit(1);
});
