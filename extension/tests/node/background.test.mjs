// The background's port and message handling, run under Node with a stand-in for the
// `chrome` API (only the far end is fake: background.js, backoff.js and senders.js are the
// shipped files). The wasm cannot load here (Node's fetch has no file: URLs), which is
// exactly a failed start.
import { test } from "node:test";
import assert from "node:assert/strict";
import { isConfirmationWindow, isExtensionPage } from "../../js/senders.js";

const ID = "ldmgjianhngkmdonfaallcdjhibfejml";
const BASE = `chrome-extension://${ID}/`;

/** A native-messaging port the test drives from the host's side. */
function fakePort() {
  const onMessage = [];
  const onDisconnect = [];
  return {
    sent: [],
    postMessage(m) {
      this.sent.push(m);
    },
    onMessage: { addListener: (f) => onMessage.push(f) },
    onDisconnect: { addListener: (f) => onDisconnect.push(f) },
    fromHost: (m) => onMessage.forEach((f) => f(m)),
    close: () => onDisconnect.forEach((f) => f()),
  };
}

/** An event whose listeners the test can call. */
function fakeEvent() {
  const listeners = [];
  return { listeners, addListener: (f) => listeners.push(f), removeListener: () => {} };
}

/** A stand-in for `chrome`: what the background uses, and a harmless answer for the rest. */
function fakeChrome() {
  const ports = [];
  const store = () => ({ get: async () => ({}), set: async () => {}, remove: async () => {} });
  const known = {
    runtime: {
      id: ID,
      getURL: (p) => BASE + p,
      getManifest: () => ({ version: "0.0.0-test" }),
      connectNative: () => {
        const p = fakePort();
        ports.push(p);
        return p;
      },
      onMessage: fakeEvent(),
      onStartup: fakeEvent(),
      onInstalled: fakeEvent(),
    },
    windows: { onRemoved: fakeEvent(), create: async () => ({ id: 7 }), remove: async () => {} },
    alarms: { onAlarm: fakeEvent(), get: async () => ({}), create: () => {} },
    storage: { local: store(), session: store(), onChanged: fakeEvent() },
  };
  // Anything else (an API a later change starts using) is an event or an async no-op.
  const lenient = (target) =>
    new Proxy(target, {
      get(t, key) {
        if (key in t) {
          const v = t[key];
          return v && typeof v === "object" && !Array.isArray(v) ? lenient(v) : v;
        }
        if (typeof key === "symbol") return undefined;
        if (key.startsWith("on")) return fakeEvent();
        return async () => ({});
      },
    });
  return { chrome: lenient(known), ports, onMessage: known.runtime.onMessage };
}

/** Timers the test runs by hand: `due` lists the pending ones with their delays. */
function manualTimers() {
  const due = [];
  return {
    due,
    setTimeout: (f, ms) => {
      due.push({ f, ms });
      return due.length;
    },
    clearTimeout: () => {},
    /** Runs the oldest pending timer; returns its delay. */
    runNext() {
      const t = due.shift();
      assert.ok(t, "a timer is pending");
      t.f();
      return t.ms;
    },
  };
}

let loads = 0;
/** Loads a fresh copy of background.js against a fresh fake browser. */
async function loadBackground() {
  const fake = fakeChrome();
  const timers = manualTimers();
  globalThis.chrome = fake.chrome;
  globalThis.self = globalThis;
  globalThis.addEventListener ??= () => {};
  globalThis.setTimeout = timers.setTimeout;
  globalThis.clearTimeout = timers.clearTimeout;
  await import(`../../js/background.js?copy=${++loads}`);
  return { ...fake, timers };
}

const realSetTimeout = setTimeout;
const realClearTimeout = clearTimeout;
const wait = (ms) => new Promise((r) => realSetTimeout(r, ms));
function restoreTimers() {
  globalThis.setTimeout = realSetTimeout;
  globalThis.clearTimeout = realClearTimeout;
}

test("the reconnect delay doubles until the host says hello, and only then starts over", async () => {
  const { ports, timers } = await loadBackground();
  try {
    assert.equal(ports.length, 1, "connects at start");
    const delays = [];
    for (let i = 0; i < 6; i++) {
      ports.at(-1).close(); // the host exits before its hello
      delays.push(timers.runNext());
      assert.equal(ports.length, i + 2, "reconnected after the delay");
    }
    assert.deepEqual(delays, [1000, 2000, 4000, 8000, 16000, 30000]);
    ports.at(-1).fromHost({ type: "hello", version: 1, role: "bridge" });
    ports.at(-1).close();
    assert.equal(timers.runNext(), 1000, "a host that said hello resets the delay");
  } finally {
    restoreTimers();
  }
});

test("a failed start answers the host's calls at once instead of leaving them to time out", async () => {
  const { ports } = await loadBackground();
  restoreTimers();
  const port = ports[0];
  port.fromHost({ type: "call", id: 1, tool: "get_workouts", args: {} });
  port.fromHost({ type: "call", id: 2, tool: "delete_workout", args: { workout_id: 1 } });
  const started = Date.now();
  while (port.sent.filter((m) => m.type === "result").length < 2 && Date.now() - started < 5000) await wait(10);
  const results = port.sent.filter((m) => m.type === "result");
  assert.deepEqual(results.map((r) => [r.id, r.ok, r.error?.code]), [
    [1, false, "internal"],
    [2, false, "internal"],
  ]);
  assert.match(results[0].error.message, /could not start/);
});

test("a result for a port that closed is not sent to the next bridge, which reuses the ids", async () => {
  const { ports, timers } = await loadBackground();
  const first = ports[0];
  first.fromHost({ type: "call", id: 1, tool: "get_workouts", args: {} });
  first.close();
  timers.runNext();
  restoreTimers();
  const second = ports[1];
  await wait(300);
  assert.deepEqual(second.sent.filter((m) => m.type === "result"), [], "nothing for id 1 of the old bridge");
  assert.deepEqual(first.sent.filter((m) => m.type === "result"), [], "the old port is closed");
});

test("runtime messages from outside the extension's pages are refused", async () => {
  const { onMessage } = await loadBackground();
  restoreTimers();
  const listener = onMessage.listeners[0];
  const send = (msg, sender) =>
    new Promise((resolve) => {
      const asyncReply = listener(msg, sender, resolve);
      if (asyncReply !== true) realSetTimeout(() => resolve("no reply"), 50);
    });
  const contentScript = { id: ID, url: "https://example.com/page", origin: "https://example.com", tab: { id: 3, windowId: 4 } };
  const call = { type: "call", tool: "delete_workout", args: { workout_id: 1 } };
  assert.deepEqual(await send(call, contentScript), { ok: false, error: "not allowed" });
  assert.deepEqual(await send({ type: "status" }, contentScript), { ok: false, error: "not allowed" });
  const otherExtension = { id: "someoneelse", url: "chrome-extension://someoneelse/x.html" };
  assert.deepEqual(await send(call, otherExtension), { ok: false, error: "not allowed" });
  // The production background runs no tool for a page at all: only the test hooks
  // (extension/js/test-hooks.js, never packaged) answer "call" messages.
  const popup = { id: ID, url: BASE + "extension/js/popup/popup.html", origin: BASE.slice(0, -1) };
  assert.equal(await send(call, popup), "no reply");
  // ...but not answer a confirmation.
  assert.deepEqual(await send({ type: "confirm-answer", id: "c1", allow: true }, popup), { ok: false, error: "not allowed" });
});

test("only the confirmation window opened for a confirmation may answer it", () => {
  const url = (id) => `${BASE}extension/js/confirm/confirm.html?id=${encodeURIComponent(id)}&tool=delete_workout`;
  const window = { id: ID, url: url("c1-1"), origin: BASE.slice(0, -1), tab: { id: 9, windowId: 12 } };
  assert.equal(isConfirmationWindow(window, ID, BASE, "c1-1", 12), true);
  const cases = [
    ["another confirmation's id", { ...window, url: url("c1-2") }, "c1-1", 12],
    ["another window", { ...window, tab: { id: 9, windowId: 13 } }, "c1-1", 12],
    ["window not known yet", window, "c1-1", null],
    ["the popup", { ...window, url: `${BASE}extension/js/popup/popup.html?id=c1-1` }, "c1-1", 12],
    ["a web page", { ...window, url: "https://example.com/extension/js/confirm/confirm.html?id=c1-1", origin: "https://example.com" }, "c1-1", 12],
    ["no tab", { ...window, tab: undefined }, "c1-1", 12],
  ];
  for (const [name, sender, id, windowId] of cases) {
    assert.equal(isConfirmationWindow(sender, ID, BASE, id, windowId), false, name);
  }
  assert.equal(isExtensionPage({ id: ID, url: BASE + "x.html" }, ID, BASE), true, "Firefox sends no origin");
  assert.equal(isExtensionPage({ id: ID, url: BASE + "x.html", origin: "https://evil.example" }, ID, BASE), false);
});
