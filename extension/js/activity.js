// The activity log: every tool call, in chrome.storage.local, newest first when read.
//
// One storage key per entry, in a ring of MAX_ENTRIES slots (`activity.0` … `activity.199`),
// each entry carrying a sequence number. Writing a call's entry is one small `set` that
// overwrites the oldest slot. The log used to be one 200-entry array rewritten on every call,
// which cost more than the rest of the relay; now the cost no longer grows with the log.
const PREFIX = "activity.";
const LEGACY_KEY = "activity"; // the one-array log of earlier versions
const MAX_ENTRIES = 200;

// The background is the only writer: it learns the next sequence number once per worker start.
let nextSeq = null;
let loading = null;

const slotKey = (seq) => PREFIX + (seq % MAX_ENTRIES);
const allSlotKeys = () => Array.from({ length: MAX_ENTRIES }, (_, i) => PREFIX + i);

// Started by the background when it starts, so the first call's entry is written at once too.
export function load() {
  loading ??= (async () => {
    try {
      const stored = await chrome.storage.local.get([...allSlotKeys(), LEGACY_KEY]);
      let max = -1;
      for (const k of allSlotKeys()) max = Math.max(max, Number(stored[k]?.seq ?? -1));
      nextSeq = max + 1;
      const legacy = stored[LEGACY_KEY];
      if (Array.isArray(legacy) && legacy.length) {
        // Oldest first, so the newest legacy entry gets the highest number.
        const moved = {};
        for (const e of legacy.slice(0, MAX_ENTRIES).reverse()) {
          const seq = nextSeq++;
          moved[slotKey(seq)] = { ...e, seq };
        }
        await chrome.storage.local.set(moved);
      }
      if (legacy !== undefined) await chrome.storage.local.remove(LEGACY_KEY);
    } catch (e) {
      console.warn("paceline: could not read the activity log", e);
      nextSeq ??= Date.now(); // higher than any earlier entry's number in practice
    }
  })();
  return loading;
}

// Adds an entry. Once the log is loaded the write is issued before this returns, and the
// storage applies one extension's operations in order, so a read made after this returns sees
// the entry. The returned promise settles when the write is done.
export function record(entry) {
  const write = () => {
    const seq = nextSeq++;
    return chrome.storage.local
      .set({ [slotKey(seq)]: { ...entry, seq } })
      .catch((e) => console.warn("paceline: could not write the activity log", e));
  };
  return nextSeq !== null ? write() : load().then(write);
}

/** The newest `n` entries, newest first (for the popup, from any extension page). */
export async function recent(n = 20) {
  const stored = await chrome.storage.local.get(allSlotKeys());
  return Object.values(stored)
    .filter((e) => e && typeof e === "object" && Number.isFinite(e.seq))
    .sort((a, b) => b.seq - a.seq)
    .slice(0, n);
}

// Control and bidi formatting characters: the log shows what a caller sent, and these could
// make it display as something else.
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

// A short, readable summary of tool arguments: ids, dates and titles, long text cut.
export function summarise(args) {
  if (!args || typeof args !== "object") return "";
  return Object.entries(args)
    .map(([k, v]) => {
      let s = (typeof v === "string" ? v : JSON.stringify(v)).replace(HIDDEN, "");
      k = k.replace(HIDDEN, "");
      if (s.length > 40) s = s.slice(0, 37) + "…";
      return `${k}=${s}`;
    })
    .join(", ")
    .slice(0, 200);
}
