// The extension's activity cache (extension/js/activity-cache.js, the shipped file): get/put
// by name, the size cap with least-recently-used eviction, and failures that never reach the
// caller. The IndexedDB backend runs in the browser scenario s24; here the store logic runs
// over the in-memory backend of the same shape.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ActivityStore, memoryBackend, openActivityStore } from "../../js/activity-cache.js";

const bytes = (n, fill) => new Uint8Array(n).fill(fill);

/** A store with a clock the test moves. */
function store(capBytes) {
  let t = 1000;
  const backend = memoryBackend();
  const s = new ActivityStore(backend, { capBytes, now: () => t });
  return { s, backend, tick: () => (t += 1) };
}

test("a put comes back as a copy, and a miss is null", async () => {
  const { s } = store(1000);
  const original = bytes(10, 7);
  await s.put("tp.1.2.f3", original);
  original.fill(0); // the caller's buffer (a view of wasm memory) may change afterwards
  assert.deepEqual(await s.get("tp.1.2.f3"), bytes(10, 7));
  assert.equal(await s.get("tp.1.2.f4"), null);
});

test("over the cap the least recently used entries go first", async () => {
  const { s, backend, tick } = store(250);
  await s.put("a", bytes(100, 1));
  tick();
  await s.put("b", bytes(100, 2));
  tick();
  // a is read, so b is now the least recently used.
  assert.ok(await s.get("a"));
  tick();
  await s.put("c", bytes(100, 3));
  assert.equal(await s.get("b"), null, "b evicted");
  assert.ok(await s.get("a"));
  assert.ok(await s.get("c"));
  const total = (await backend.meta()).reduce((n, m) => n + m.size, 0);
  assert.ok(total <= 250, `${total} bytes kept`);
  // Replacing an entry counts its new size once.
  tick();
  await s.put("c", bytes(160, 4));
  assert.deepEqual(await s.get("c"), bytes(160, 4));
  assert.equal(await s.get("a"), null, "a had to go for the bigger c");
});

test("an entry larger than the cap is not stored, and bad arguments are ignored", async () => {
  const { s, backend } = store(50);
  await s.put("big", bytes(51, 1));
  await s.put(42, bytes(1, 1));
  await s.put("text", "not bytes");
  assert.equal(backend.entries.size, 0);
});

test("something that is not bytes is removed and read as a miss", async () => {
  const { s, backend } = store(1000);
  await backend.put({ name: "x", size: 3, usedAt: 0 }, "abc");
  assert.equal(await s.get("x"), null);
  assert.equal(backend.entries.has("x"), false);
});

test("a failing backend never makes get or put reject", async () => {
  const fail = async () => {
    throw new Error("QuotaExceededError");
  };
  const broken = { get: fail, meta: fail, put: fail, touch: fail, remove: fail };
  const s = new ActivityStore(broken, { capBytes: 100 });
  const quiet = console.debug;
  console.debug = () => {};
  try {
    assert.equal(await s.get("a"), null);
    await s.put("a", bytes(10, 1)); // resolves
  } finally {
    console.debug = quiet;
  }
});

test("without IndexedDB there is no store", () => {
  assert.equal(typeof globalThis.indexedDB, "undefined");
  assert.equal(openActivityStore(), null);
});
