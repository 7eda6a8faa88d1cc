// The Intervals.icu key's storage (extension/js/intervals-key.js, the shipped file) against a
// stand-in for chrome.storage.local.
import { test } from "node:test";
import assert from "node:assert/strict";
import { checkKey, hasKey, readKey, removeKey, saveKey, STORAGE_KEY } from "../../js/intervals-key.js";

/** chrome.storage.local's promise API over a Map, recording every write. */
function fakeStorage() {
  const data = new Map();
  const writes = [];
  return {
    data,
    writes,
    async get(key) {
      return data.has(key) ? { [key]: data.get(key) } : {};
    },
    async set(items) {
      writes.push(items);
      for (const [k, v] of Object.entries(items)) data.set(k, v);
    },
    async remove(key) {
      data.delete(key);
    },
  };
}

test("a pasted key is stored trimmed under its one storage key, and can be replaced and removed", async () => {
  const s = fakeStorage();
  assert.equal(await readKey(s), null);
  assert.equal(await hasKey(s), false);
  await saveKey("  abc123def \n", s);
  assert.equal(await readKey(s), "abc123def");
  assert.equal(await hasKey(s), true);
  assert.deepEqual([...s.data.keys()], [STORAGE_KEY], "nothing else is written");
  await saveKey("second-key", s);
  assert.equal(await readKey(s), "second-key");
  await removeKey(s);
  assert.equal(await readKey(s), null);
  assert.equal(s.data.size, 0);
});

test("a bad key is refused with an error naming the field, without quoting the key, and not stored", async () => {
  const s = fakeStorage();
  for (const bad of ["", "   ", "has space", "tab\there", "nul\u0000x", "x".repeat(201), undefined, 42]) {
    await assert.rejects(saveKey(bad, s), (e) => {
      assert.match(e.message, /^api_key: /);
      if (typeof bad === "string" && bad.trim()) assert.ok(!e.message.includes(bad.trim()), e.message);
      return true;
    });
  }
  assert.equal(s.writes.length, 0);
  assert.equal(checkKey("k-1_2.3"), "k-1_2.3");
});

test("a stored value that is not a non-empty string counts as no key", async () => {
  const s = fakeStorage();
  for (const v of ["", 0, null, { key: "x" }]) {
    s.data.set(STORAGE_KEY, v);
    assert.equal(await readKey(s), null, JSON.stringify(v));
  }
});
