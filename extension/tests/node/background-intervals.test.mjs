// The Intervals.icu key hand-off and the service-naming messages of background.js, run under
// Node with the real wasm (extension/pkg, built by `cargo xtask wasm`): only the far end is
// fake — `chrome` (storage, windows, the native port) and `fetch`, which answers as
// intervals.icu and TrainingPeaks here, and serves the wasm file itself.
//
// What is pinned: the stored key (`chrome.storage.local` `icuApiKey`) is read only when it is
// needed — an Intervals.icu call whose browser session is refused — never for a TrainingPeaks
// call nor for an Intervals.icu call the session serves; it reaches intervals.icu only as Basic
// `API_KEY:<key>`, and nothing posted to the native port (nor the confirmation window's
// address) contains it. Messages that name a service name the tool's own.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const ID = "ldmgjianhngkmdonfaallcdjhibfejml";
const BASE = `chrome-extension://${ID}/`;
const KEY = "node-test-icu-key-7f3a";
const BASIC = "Basic " + Buffer.from(`API_KEY:${KEY}`).toString("base64");

// ---- the far end: intervals.icu and TrainingPeaks, over a stand-in for `fetch`

const icu = {
  // "session": requests without Authorization are served (the browser's cookie works);
  // "refused": they get 401, as if /api/v1 ignored the cookie.
  mode: "session",
  requests: [], // {host, method, path, authorization, body}
  reset(mode) {
    this.mode = mode;
    this.requests = [];
  },
};

const json = (status, body) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

function intervals(method, path, authorization, body) {
  const session = authorization === null;
  if (session ? icu.mode !== "session" : authorization !== BASIC) {
    return json(401, { status: 401, error: "Unauthorized", message: "Full authentication is required" });
  }
  if (method === "GET" && path === "/api/v1/athlete/0") return json(200, { id: "i42", name: "Node Athlete" });
  if (method === "GET" && path.startsWith("/api/v1/athlete/0/events?")) {
    return json(200, [
      { id: 7, start_date_local: "2026-12-07T00:00:00", category: "WORKOUT", type: "Ride", name: "Test ride" },
    ]);
  }
  if (method === "POST" && path.startsWith("/api/v1/athlete/0/events?")) {
    return json(200, { id: 8, ...JSON.parse(body) });
  }
  return json(404, { status: 404, error: "Not Found", message: path });
}

const wasmFile = fileURLToPath(new URL("../../pkg/paceline_extension_bg.wasm", import.meta.url));

globalThis.fetch = async (input, init) => {
  const url = String(input?.url ?? input);
  if (url.startsWith("file:")) {
    // The background instantiates its wasm from its own package.
    return new Response(readFileSync(fileURLToPath(url)), { headers: { "content-type": "application/wasm" } });
  }
  const req = input instanceof Request ? input : new Request(input, init);
  const u = new URL(req.url);
  const body = req.body ? await req.text() : null;
  const authorization = req.headers.get("authorization");
  icu.requests.push({ host: u.host, method: req.method, path: u.pathname + u.search, authorization, body });
  if (u.host === "intervals.icu") return intervals(req.method, u.pathname + u.search, authorization, body);
  // TrainingPeaks: no session (the token exchange is refused).
  return json(401, { message: "not logged in" });
};
assert.ok(readFileSync(wasmFile).length > 0, "the extension's wasm is built (cargo xtask wasm)");

// ---- the browser side: `chrome`, with a native port the test drives

function fakePort() {
  const onMessage = [];
  const onDisconnect = [];
  return {
    sent: [],
    postMessage(m) {
      this.sent.push(JSON.stringify(m));
    },
    onMessage: { addListener: (f) => onMessage.push(f) },
    onDisconnect: { addListener: (f) => onDisconnect.push(f) },
    fromHost: (m) => onMessage.forEach((f) => f(m)),
  };
}

const fakeEvent = () => {
  const listeners = [];
  return { listeners, addListener: (f) => listeners.push(f), removeListener: () => {} };
};

/** chrome.storage.local over a Map, recording which keys each `get` asked for. */
const local = {
  data: new Map(),
  gets: [],
  onGet: null, // called with the keys of each get, before it answers
  async get(keys) {
    const list = keys === null || keys === undefined ? [...this.data.keys()] : [keys].flat();
    this.gets.push(list);
    this.onGet?.(list);
    return Object.fromEntries(list.filter((k) => this.data.has(k)).map((k) => [k, this.data.get(k)]));
  },
  async set(items) {
    for (const [k, v] of Object.entries(items)) this.data.set(k, v);
  },
  async remove(keys) {
    for (const k of [keys].flat()) this.data.delete(k);
  },
  keyReads() {
    return this.gets.filter((keys) => keys.includes("icuApiKey")).length;
  },
};

const ports = [];
const windows = { created: [], onRemoved: fakeEvent() };
const onMessage = fakeEvent();
globalThis.chrome = {
  runtime: {
    id: ID,
    getURL: (p) => BASE + p,
    getManifest: () => ({ version: "0.0.0-test" }),
    connectNative: () => {
      const p = fakePort();
      ports.push(p);
      return p;
    },
    onMessage,
    onStartup: fakeEvent(),
    onInstalled: fakeEvent(),
    lastError: undefined,
  },
  windows: {
    onRemoved: windows.onRemoved,
    create: async (opts) => {
      windows.created.push(opts.url);
      return { id: 70 + windows.created.length };
    },
    remove: async () => {},
  },
  alarms: { onAlarm: fakeEvent(), get: async () => ({}), create: () => {} },
  storage: {
    local,
    session: { get: async () => ({}), set: async () => {}, remove: async () => {} },
    onChanged: fakeEvent(),
  },
};
globalThis.self = globalThis;
globalThis.addEventListener ??= () => {};

const bg = await import("../../js/background.js");
await bg.ready;
const port = ports[0];
assert.ok(port, "the background connected to the host");

const wait = (ms) => new Promise((r) => setTimeout(r, ms));
let nextId = 0;

/** A call from the host over the port; resolves to its result message. */
async function hostCall(tool, args) {
  const id = ++nextId;
  port.fromHost({ type: "call", id, tool, args });
  const started = Date.now();
  for (;;) {
    const result = port.sent.map((m) => JSON.parse(m)).find((m) => m.type === "result" && m.id === id);
    if (result) return result;
    assert.ok(Date.now() - started < 20_000, `no result for ${tool}`);
    await wait(5);
  }
}

/** Settings and the stored key for the next test; clears the logs. */
function setUp({ mode, key = KEY, confirmChanges = false, readOnly = false }) {
  icu.reset(mode);
  local.data.clear();
  local.gets = [];
  local.onGet = null;
  local.data.set("settings", { readOnly, confirmChanges });
  // The settings are cached by the background and replaced through storage.onChanged.
  for (const f of chrome.storage.onChanged.listeners) {
    f({ settings: { newValue: { readOnly, confirmChanges } } }, "local");
  }
  if (key) local.data.set("icuApiKey", key);
}

/** Asserts the key, raw or encoded, is nowhere in `text`. */
function assertNoKey(text, where) {
  for (const secret of [KEY, BASIC.slice("Basic ".length)]) {
    assert.ok(!text.includes(secret), `the key is in the ${where}`);
  }
}

test("a TrainingPeaks call never reads the Intervals.icu key nor asks intervals.icu", async () => {
  setUp({ mode: "refused" });
  const result = await hostCall("get_athlete_profile", {});
  assert.equal(result.ok, false);
  assert.equal(result.error.code, "not_logged_in", JSON.stringify(result));
  assert.equal(local.keyReads(), 0, JSON.stringify(local.gets));
  assert.deepEqual(icu.requests.filter((r) => r.host === "intervals.icu"), []);
  assert.ok(icu.requests.some((r) => r.host === "tpapi.trainingpeaks.com"), "it asked TrainingPeaks");
});

test("an Intervals.icu call the browser's session serves never reads the key", async () => {
  setUp({ mode: "session" });
  const result = await hostCall("icu_get_events", { start_date: "2026-12-06", end_date: "2026-12-20" });
  assert.equal(result.ok, true, JSON.stringify(result));
  assert.match(result.result.text, /Test ride/);
  assert.equal(local.keyReads(), 0, JSON.stringify(local.gets));
  assert.ok(icu.requests.length >= 2, "the status check and the read");
  for (const r of icu.requests) assert.equal(r.authorization, null, `${r.method} ${r.path}`);
});

test("when the session is refused the key is read once, sent only to intervals.icu as Basic, and never to the port", async () => {
  setUp({ mode: "refused" });
  const before = port.sent.length;
  const result = await hostCall("icu_get_events", { start_date: "2026-12-06", end_date: "2026-12-20" });
  assert.equal(result.ok, true, JSON.stringify(result));
  assert.match(result.result.text, /Test ride/);
  assert.equal(local.keyReads(), 1, "read once, after the refusal");
  const [first, ...rest] = icu.requests;
  assert.deepEqual([first.path, first.authorization], ["/api/v1/athlete/0", null], "the session first");
  assert.ok(rest.length >= 2 && rest.every((r) => r.host === "intervals.icu" && r.authorization === BASIC), JSON.stringify(rest));
  assertNoKey(port.sent.slice(before).join("\n"), "native port's traffic");
});

test("a refused session and no stored key: the call fails saying how to connect, and the key is looked for once", async () => {
  setUp({ mode: "refused", key: null });
  const result = await hostCall("icu_get_events", {});
  assert.equal(result.ok, false);
  assert.equal(result.error.code, "not_logged_in");
  assert.match(result.error.message, /API key/);
  assert.equal(local.keyReads(), 1);
  assert.ok(icu.requests.every((r) => r.authorization === null), "nothing keyed was sent");
});

test("a confirmed Intervals.icu write on the key: the window names Intervals.icu, and neither its address nor the port carries the key", async () => {
  setUp({ mode: "refused", confirmChanges: true });
  const before = port.sent.length;
  const args = { workout_type: "Ride", name: "Node sweet spot", start_date: "2026-12-09", description: "- 20m 90%" };
  const id = ++nextId;
  port.fromHost({ type: "call", id, tool: "icu_add_or_update_event", args });
  const started = Date.now();
  while (windows.created.length === 0) {
    assert.ok(Date.now() - started < 20_000, "no confirmation window");
    await wait(5);
  }
  const url = windows.created.at(-1);
  assertNoKey(decodeURIComponent(url), "confirmation window's address");
  const details = JSON.parse(new URL(url).searchParams.get("d"));
  assert.equal(details.service, "Intervals.icu");
  assert.equal(icu.requests.filter((r) => r.method !== "GET").length, 0, "nothing written before the answer");
  // The person allows it, from that window.
  const cid = new URL(url).searchParams.get("id");
  const sender = { id: ID, url, origin: BASE.slice(0, -1), tab: { id: 1, windowId: 70 + windows.created.length } };
  await new Promise((resolve) => onMessage.listeners[0]({ type: "confirm-answer", id: cid, allow: true }, sender, resolve));
  let result;
  while (!(result = port.sent.map((m) => JSON.parse(m)).find((m) => m.type === "result" && m.id === id))) {
    assert.ok(Date.now() - started < 20_000, "no result");
    await wait(5);
  }
  assert.equal(result.ok, true, JSON.stringify(result));
  const writes = icu.requests.filter((r) => r.method !== "GET");
  assert.equal(writes.length, 1);
  assert.equal(writes[0].authorization, BASIC);
  assert.deepEqual(JSON.parse(writes[0].body), {
    category: "WORKOUT",
    start_date_local: "2026-12-09T00:00:00",
    type: "Ride",
    name: "Node sweet spot",
    description: "- 20m 90%",
  });
  assert.equal(local.keyReads(), 2, "once for the window's read of the target, once for the call");
  const traffic = port.sent.slice(before).join("\n");
  assert.match(traffic, /confirmation_pending/);
  assertNoKey(traffic, "native port's traffic");
});

test("a dry run needs neither the window nor read-only mode's leave, and sends only reads", async () => {
  setUp({ mode: "session", confirmChanges: true, readOnly: true });
  const windowsBefore = windows.created.length;
  const args = { workout_type: "Ride", name: "Node dry run", start_date: "2026-12-09", description: "- 20m 90%" };
  const out = await bg.runTool("icu_add_or_update_event", { ...args, dry_run: true });
  assert.equal(out.ok, true, JSON.stringify(out));
  assert.equal(out.result.structured.dry_run, true);
  assert.equal(out.result.structured.request.method, "POST", "the plan shows the write it would send");
  assert.equal(windows.created.length, windowsBefore, "no confirmation window");
  assert.deepEqual(icu.requests.filter((r) => r.method !== "GET"), [], "nothing written");
  // Anything but `dry_run: true` is a change, and read-only mode refuses it before the wasm.
  for (const dry of [undefined, false, "true", 1]) {
    icu.requests = [];
    const refused = await bg.runTool("icu_add_or_update_event", { ...args, dry_run: dry });
    assert.equal(refused.code, "read_only", `dry_run ${JSON.stringify(dry)}: ${JSON.stringify(refused)}`);
    assert.deepEqual(icu.requests, []);
  }
  assert.equal(windows.created.length, windowsBefore);
  // A tool without dry_run refuses the argument: nothing runs.
  setUp({ mode: "session", confirmChanges: true });
  const bad = await bg.runTool("delete_workout", { workout_id: 7, dry_run: true });
  assert.equal(bad.ok, false);
  assert.equal(bad.code, "invalid_params", JSON.stringify(bad));
  assert.match(bad.message, /dry_run/);
  assert.equal(windows.created.length, windowsBefore);
  assert.deepEqual(icu.requests.filter((r) => r.method !== "GET"), []);
});

test("a cancelled call names the service it would have changed", async () => {
  setUp({ mode: "session" });
  const cancelled = AbortSignal.abort();
  const icuOut = await bg.runTool("icu_delete_event", { event_id: 7 }, { signal: cancelled });
  assert.equal(icuOut.code, "cancelled");
  assert.equal(icuOut.message, "The call was cancelled before any change was sent to Intervals.icu, so nothing was changed.");
  const tpOut = await bg.runTool("delete_workout", { workout_id: 7 }, { signal: cancelled });
  assert.equal(tpOut.message, "The call was cancelled before any change was sent to TrainingPeaks, so nothing was changed.");
  assert.equal(local.keyReads(), 0);
  assert.deepEqual(icu.requests, [], "nothing was sent");
});

test("a wasm crash during an Intervals.icu write says the change may be in Intervals.icu, and the module comes back", async () => {
  setUp({ mode: "refused", key: null });
  // The module traps while the call waits for the key (the panic hook's own entry point).
  local.onGet = (keys) => {
    if (keys.includes("icuApiKey")) globalThis.pacelineWasmPanicked("forced by the test");
  };
  const out = await bg.runTool("icu_delete_event", { event_id: 7 });
  assert.equal(out.code, "internal");
  assert.match(out.message, /crashed during "icu_delete_event"/);
  assert.match(out.message, /may or may not have been applied in Intervals\.icu: check before retrying/);
  assert.doesNotMatch(out.message, /TrainingPeaks/);
  local.onGet = null;
  // Re-instantiated: the next call runs.
  setUp({ mode: "session" });
  const result = await hostCall("icu_get_events", {});
  assert.equal(result.ok, true, JSON.stringify(result));
});
