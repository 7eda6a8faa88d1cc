// The activity log: every tool call, in chrome.storage.local, newest first.
const KEY = "activity";
const MAX_ENTRIES = 200;

// The background is the log's only writer, so it keeps the log in memory (loaded once per
// worker start) instead of reading it back before every write: with 200 entries that
// read-modify-write cost several milliseconds per call, more than the rest of the relay.
let log = null;
let loading = null;

// Started by the background when it starts, so the first call's entry is written at once too.
export function load() {
  loading ??= chrome.storage.local
    .get(KEY)
    .then(({ [KEY]: stored }) => {
      log = Array.isArray(stored) ? stored : [];
    })
    .catch((e) => {
      console.warn("paceline: could not read the activity log", e);
      log = [];
    });
  return loading;
}

// Adds an entry and starts writing the log. Once the log is loaded the write is issued before
// this returns (the value is copied at once), and the storage applies one extension's
// operations in order: so writes never lose each other's entries, and a read made after a
// call's answer sees that call. The returned promise settles when the write is done.
export function record(entry) {
  const write = () => {
    log.unshift(entry);
    if (log.length > MAX_ENTRIES) log.length = MAX_ENTRIES;
    return chrome.storage.local
      .set({ [KEY]: log })
      .catch((e) => console.warn("paceline: could not write the activity log", e));
  };
  return log ? write() : load().then(write);
}

export async function recent(n = 20) {
  const { [KEY]: log = [] } = await chrome.storage.local.get(KEY);
  return log.slice(0, n);
}

// A short, readable summary of tool arguments: ids, dates and titles, long text cut.
export function summarise(args) {
  if (!args || typeof args !== "object") return "";
  return Object.entries(args)
    .map(([k, v]) => {
      let s = typeof v === "string" ? v : JSON.stringify(v);
      if (s.length > 40) s = s.slice(0, 37) + "…";
      return `${k}=${s}`;
    })
    .join(", ")
    .slice(0, 200);
}
