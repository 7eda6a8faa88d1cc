// The activity cache of the extension: completed activities' data, as the bytes the wasm's
// analysis tools hand over (paceline-core's cache_codec), kept in IndexedDB under the names
// the wasm gives (CacheKey::storage_name), so a second analysis of the same ride downloads
// neither its device file nor its streams again. The data never leaves the browser profile:
// IndexedDB of the extension's own origin, which no web page can read.
//
// The size is capped: after each put the least recently used entries (by the time of their
// last get or put) are removed until the total fits. Every failure is a miss or a skipped
// write, never an error for the tool call: the wasm then fetches as if there were no cache.
//
// Two object stores, so that trimming reads only the small records: `entries` (name -> bytes)
// and `meta` (name -> {name, size, usedAt}). The store logic is separate from IndexedDB
// (`ActivityStore` over a backend) so Node tests can run it on `memoryBackend()`.

/** The default cap: 128 MiB (about 500 four-hour rides). */
export const DEFAULT_CAP_BYTES = 128 * 1024 * 1024;

const DB_NAME = "paceline-activities";
const DB_VERSION = 1;

/** The store the wasm calls (`setActivityStore`): get/put of bytes by name, capped. */
export class ActivityStore {
  /**
   * @param backend {get(name), meta(), put(record, bytes), touch(name, usedAt), remove(names)}
   * @param options {capBytes, now}
   */
  constructor(backend, { capBytes = DEFAULT_CAP_BYTES, now = () => Date.now() } = {}) {
    this.backend = backend;
    this.capBytes = capBytes;
    this.now = now;
  }

  /** The bytes stored under `name` (a Uint8Array), or null; a hit counts as a use. */
  async get(name) {
    try {
      const bytes = await this.backend.get(name);
      if (bytes == null) return null;
      if (!(bytes instanceof Uint8Array)) {
        // Not something this module wrote: drop it so it is refetched and rewritten.
        await this.backend.remove([name]);
        return null;
      }
      await this.backend.touch(name, this.now());
      return bytes;
    } catch (e) {
      console.debug("paceline: activity cache read failed:", e);
      return null;
    }
  }

  /** Stores a copy of `bytes` under `name`, then trims to the cap. Never rejects. */
  async put(name, bytes) {
    try {
      if (typeof name !== "string" || !(bytes instanceof Uint8Array)) return;
      if (bytes.byteLength > this.capBytes) return;
      const copy = new Uint8Array(bytes);
      await this.backend.put({ name, size: copy.byteLength, usedAt: this.now() }, copy);
      await this.trim();
    } catch (e) {
      console.debug("paceline: activity cache write failed:", e);
    }
  }

  /** Removes the least recently used entries until the total size fits the cap. */
  async trim() {
    const all = await this.backend.meta();
    let total = all.reduce((sum, m) => sum + (m.size || 0), 0);
    if (total <= this.capBytes) return;
    all.sort((a, b) => a.usedAt - b.usedAt);
    const gone = [];
    for (const m of all) {
      if (total <= this.capBytes) break;
      gone.push(m.name);
      total -= m.size || 0;
    }
    await this.backend.remove(gone);
  }
}

/** A backend in memory (tests; and the shape every backend has). */
export function memoryBackend() {
  const entries = new Map();
  const meta = new Map();
  return {
    entries,
    async get(name) {
      return entries.get(name) ?? null;
    },
    async meta() {
      return [...meta.values()].map((m) => ({ ...m }));
    },
    async put(record, bytes) {
      entries.set(record.name, bytes);
      meta.set(record.name, { ...record });
    },
    async touch(name, usedAt) {
      const m = meta.get(name);
      if (m) m.usedAt = usedAt;
    },
    async remove(names) {
      for (const n of names) {
        entries.delete(n);
        meta.delete(n);
      }
    },
  };
}

/** Resolves with an IDBRequest's result. */
function done(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** Resolves when a transaction commits. */
function committed(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = tx.onerror = () => reject(tx.error ?? new Error("transaction aborted"));
  });
}

/** A backend over IndexedDB (`idb` is the IDBFactory, `indexedDB` in a worker or page). */
export function indexedDbBackend(idb = globalThis.indexedDB) {
  let opened = null;
  const db = () => {
    if (!opened) {
      const request = idb.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = () => {
        const d = request.result;
        if (!d.objectStoreNames.contains("entries")) d.createObjectStore("entries");
        if (!d.objectStoreNames.contains("meta")) d.createObjectStore("meta", { keyPath: "name" });
      };
      opened = done(request);
      // A failed open is tried again on the next use (the worker may have been stopping).
      opened.catch(() => (opened = null));
    }
    return opened;
  };
  const run = async (stores, mode, f) => {
    const tx = (await db()).transaction(stores, mode);
    const out = f(tx);
    await committed(tx);
    return out === undefined ? undefined : await out;
  };
  return {
    async get(name) {
      const out = await run(["entries"], "readonly", (tx) => done(tx.objectStore("entries").get(name)));
      return out ?? null;
    },
    async meta() {
      return run(["meta"], "readonly", (tx) => done(tx.objectStore("meta").getAll()));
    },
    async put(record, bytes) {
      await run(["entries", "meta"], "readwrite", (tx) => {
        tx.objectStore("entries").put(bytes, record.name);
        tx.objectStore("meta").put(record);
      });
    },
    async touch(name, usedAt) {
      await run(["meta"], "readwrite", (tx) => {
        const store = tx.objectStore("meta");
        const request = store.get(name);
        request.onsuccess = () => {
          if (request.result) store.put({ ...request.result, usedAt });
        };
      });
    },
    async remove(names) {
      if (names.length === 0) return;
      await run(["entries", "meta"], "readwrite", (tx) => {
        for (const n of names) {
          tx.objectStore("entries").delete(n);
          tx.objectStore("meta").delete(n);
        }
      });
    },
  };
}

/** The extension's store, or null where IndexedDB is missing (the tools then fetch every time). */
export function openActivityStore(options) {
  if (typeof globalThis.indexedDB === "undefined") return null;
  return new ActivityStore(indexedDbBackend(globalThis.indexedDB), options);
}
