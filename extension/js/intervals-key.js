// The Intervals.icu API key the person may enter in the popup, for when the API does not
// accept the logged-in intervals.icu session (whether it does is unverified; see the wasm's
// `intervalsStatus`). It lives only in this extension's chrome.storage.local: the popup
// writes it, the background reads it for each Intervals.icu check and hands it to the wasm,
// which attaches it only to requests to https://intervals.icu. It is never posted to the
// native port, never put in the activity log, never echoed in a message or an error, and the
// popup never reads it back (it only learns whether one is set).

export const STORAGE_KEY = "icuApiKey";

/** Checks a key as typed or pasted; returns it trimmed, or throws an Error naming the field. */
export function checkKey(raw) {
  const key = typeof raw === "string" ? raw.trim() : "";
  if (!key) throw new Error("api_key: empty; paste the key from intervals.icu Settings → Developer Settings");
  // Deliberately not quoting the input: the error is shown on screen and may be logged.
  if (/[\s\u0000-\u001f\u007f]/.test(key)) {
    throw new Error("api_key: contains spaces or control characters; copy it again from intervals.icu Settings → Developer Settings");
  }
  if (key.length > 200) throw new Error("api_key: longer than any Intervals.icu key (over 200 characters); copy it again");
  return key;
}

/** The stored key, or null. For the background only. */
export async function readKey(storage = chrome.storage.local) {
  const { [STORAGE_KEY]: key } = await storage.get(STORAGE_KEY);
  return typeof key === "string" && key ? key : null;
}

/** Whether a key is stored (what the popup may know). */
export async function hasKey(storage = chrome.storage.local) {
  return (await readKey(storage)) !== null;
}

/** Stores (or replaces) the key after checking it. */
export async function saveKey(raw, storage = chrome.storage.local) {
  const key = checkKey(raw);
  await storage.set({ [STORAGE_KEY]: key });
}

/** Forgets the key. */
export async function removeKey(storage = chrome.storage.local) {
  await storage.remove(STORAGE_KEY);
}
