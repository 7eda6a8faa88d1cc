// The activity log: every tool call, in chrome.storage.local, newest first.
const KEY = "activity";
const MAX_ENTRIES = 200;

// Writes are serialised so concurrent calls never lose each other's entries.
let queue = Promise.resolve();

export function record(entry) {
  queue = queue.then(async () => {
    const { [KEY]: log = [] } = await chrome.storage.local.get(KEY);
    log.unshift(entry);
    await chrome.storage.local.set({ [KEY]: log.slice(0, MAX_ENTRIES) });
  }).catch((e) => console.warn("paceline: could not write the activity log", e));
  return queue;
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
