// Safety settings, in chrome.storage.local so they survive restarts.
// Defaults: changes allowed, but every change (create, update, delete) needs a confirmation.
export const DEFAULTS = Object.freeze({ readOnly: false, confirmChanges: true });

// The background reads the settings on every call. Reading chrome.storage each time cost about
// as much as the rest of the relay, so they are kept in memory and replaced the moment they
// change (storage.onChanged fires in every extension context, this worker included), which
// keeps read-only mode taking effect at once.
let cached = null; // Promise of the settings

/** The settings from what storage holds (unknown keys dropped, missing ones defaulted). */
function fromStored(stored) {
  const s = { ...DEFAULTS };
  if (stored && typeof stored === "object") {
    if (typeof stored.readOnly === "boolean") s.readOnly = stored.readOnly;
    if (typeof stored.confirmChanges === "boolean") s.confirmChanges = stored.confirmChanges;
    // Before creates were confirmed too, the switch was `confirmDestructive`: a person who
    // turned that off keeps it off.
    else if (typeof stored.confirmDestructive === "boolean") s.confirmChanges = stored.confirmDestructive;
  }
  return s;
}

function readStored() {
  return chrome.storage.local.get("settings").then(({ settings }) => fromStored(settings));
}

// Registered when the module is first evaluated: in the service worker that is its first turn,
// as MV3 requires for event listeners.
chrome.storage.onChanged.addListener((changes, area) => {
  if (area === "local" && "settings" in changes) {
    cached = Promise.resolve(fromStored(changes.settings.newValue));
  }
});

export async function getSettings() {
  if (!cached) {
    const loading = readStored();
    cached = loading;
    // A failed read is not cached: the next call tries again.
    loading.catch(() => {
      if (cached === loading) cached = null;
    });
  }
  return { ...(await cached) };
}

export async function setSettings(patch) {
  // Merged with what storage holds now (not the cache), so two pages cannot undo each other.
  const next = { ...(await readStored()), ...patch };
  await chrome.storage.local.set({ settings: next });
  cached = Promise.resolve(next);
  return { ...next };
}
