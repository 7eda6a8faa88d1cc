// Paceline background: a module service worker in Chrome, the same file as an event page in
// Firefox. It connects to the native host (`paceline`, bridge role), runs the catalogue tools
// it is asked for in the wasm (paceline-core + a fetch transport that uses the browser's own
// TrainingPeaks session), and enforces the safety settings: activity log, read-only mode, and
// confirmation of every change (creates, updates, deletions; see confirm/ask.js). The
// extension is the trust anchor: nothing the host sends can bypass these checks, and it only
// ever runs catalogue tools.
//
// MV3 rules this file follows: no top-level await (Chrome refuses to start the worker), and
// every listener registered synchronously at the top level (events that woke the worker are
// only delivered to listeners registered in its first turn).

import init, * as wasm from "../pkg/paceline_extension.js";
import * as activity from "./activity.js";
import { getSettings } from "./settings.js";
import { confirmUrl, coveredTools, describe, needsConfirmation } from "./confirm/ask.js";

const HOST_NAME = "dev.paceline.host";
const PROTOCOL_VERSION = 1;
// Shorter than the bridge's 60 s call timeout, so an unanswered confirmation comes back as a
// clear "not confirmed" instead of a generic timeout.
const CONFIRM_TIMEOUT_MS = 45_000;
// Chrome's minimum alarm period. The alarm restarts a stopped worker, which reconnects.
const RECONNECT_ALARM = "paceline-reconnect";
const RECONNECT_PERIOD_MIN = 0.5;
const BROWSER = typeof browser !== "undefined" && browser.runtime?.getBrowserInfo ? "firefox" : "chrome";

// The wasm is instantiated once; handlers await this promise (never at top level).
const ready = init({ module_or_path: new URL("../pkg/paceline_extension_bg.wasm", import.meta.url) })
  .then(restoreSession)
  .then(() => JSON.parse(wasm.listTools()))
  .then((tools) => new Map(tools.map((t) => [t.name, t])));

const state = {
  port: null,
  hostConnected: false,
  hostError: null,
  backoffMs: 1000,
  session: null, // {loggedIn, user, athleteId} after the last check
};
const cancelled = new Set();
const confirmations = new Map(); // confirmation id -> resolve(allow)

// ---- token cache in chrome.storage.session (survives worker restarts, not browser restarts)

async function restoreSession() {
  try {
    const { tpSession } = await chrome.storage.session.get("tpSession");
    if (tpSession) wasm.restoreSession(JSON.stringify(tpSession));
  } catch (e) {
    console.warn("paceline: could not restore the session cache", e);
  }
}

// The last snapshot saved: most calls reuse the cached token, so there is nothing new to save.
let savedSnapshot = null;

async function saveSession() {
  try {
    const snapshot = wasm.sessionSnapshot();
    if (snapshot === savedSnapshot) return;
    savedSnapshot = snapshot;
    await chrome.storage.session.set({ tpSession: JSON.parse(snapshot) });
  } catch (e) {
    savedSnapshot = null; // try again after the next call
    console.warn("paceline: could not save the session cache", e);
  }
}

// ---- native messaging

function post(msg) {
  if (!state.port) return false;
  try {
    state.port.postMessage(msg);
    return true;
  } catch (e) {
    console.warn("paceline: postMessage failed", e);
    return false;
  }
}

function hello() {
  return {
    type: "hello",
    version: PROTOCOL_VERSION,
    role: "extension",
    software: chrome.runtime.getManifest().version,
    browser: BROWSER,
    session: state.session ?? undefined,
  };
}

function connect() {
  if (state.port) return;
  let port;
  try {
    port = chrome.runtime.connectNative(HOST_NAME);
  } catch (e) {
    state.hostError = String(e?.message ?? e);
    scheduleReconnect();
    return;
  }
  state.port = port;
  state.hostConnected = true;
  state.hostError = null;
  port.onMessage.addListener(onHostMessage);
  port.onDisconnect.addListener(() => {
    const err = chrome.runtime.lastError?.message ?? port.error?.message ?? null;
    if (state.port === port) {
      state.port = null;
      state.hostConnected = false;
      state.hostError = err;
    }
    scheduleReconnect();
  });
  post(hello());
  state.backoffMs = 1000;
}

let reconnectTimer = null;
function scheduleReconnect() {
  if (reconnectTimer) return;
  // "host not found" is a setup problem (run `paceline install`): retry slowly.
  const missing = /not found/i.test(state.hostError ?? "");
  const delay = missing ? 30_000 : state.backoffMs;
  state.backoffMs = Math.min(state.backoffMs * 2, 30_000);
  reconnectTimer = setTimeout(() => {
    reconnectTimer = null;
    connect();
  }, delay);
}

function onHostMessage(msg) {
  switch (msg?.type) {
    case "hello":
      post(hello());
      break;
    case "ping":
      post({ type: "pong" });
      break;
    case "call":
      handleCall(msg).catch((e) => console.error("paceline: call failed", e));
      break;
    case "cancel":
      cancelled.add(msg.id);
      for (const [cid, c] of confirmations) if (c.callId === msg.id) settle(cid, false);
      break;
    default:
      break;
  }
}

// ---- running a tool, with the safety checks

function failure(id, code, message) {
  return { type: "result", id, ok: false, error: { code, message } };
}

async function runTool(tool, args, { callId = null } = {}) {
  const tools = await ready;
  const meta = tools.get(tool);
  if (!meta) return { ok: false, code: "invalid_params", message: `Unknown tool "${tool}".` };
  const settings = await getSettings();
  const readOnly = meta.annotations?.readOnlyHint === true;
  if (settings.readOnly && !readOnly) {
    return {
      ok: false,
      code: "read_only",
      message: `Paceline is in read-only mode, so "${tool}" was not run and nothing was changed. Turn read-only mode off in the Paceline extension popup to allow changes.`,
    };
  }
  if (needsConfirmation(meta) && settings.confirmChanges) {
    const prepared = await describe(wasm, tool, args);
    if (!prepared.ok) return prepared;
    const allowed = await confirmAction(tool, prepared.shown, callId);
    if (!allowed) {
      return {
        ok: false,
        code: "denied",
        message: `The person did not confirm "${tool}" in the browser (declined or no answer within ${CONFIRM_TIMEOUT_MS / 1000} s), so nothing was changed.`,
      };
    }
  }
  try {
    const out = JSON.parse(await wasm.callTool(tool, JSON.stringify(args ?? {})));
    return { ok: true, result: out };
  } catch (e) {
    return { ok: false, code: e?.code ?? "tool_failed", message: String(e?.message ?? e) };
  } finally {
    saveSession();
  }
}

async function handleCall({ id, tool, args }) {
  const started = Date.now();
  const outcome = await runTool(tool, args, { callId: id });
  if (outcome.code === "not_logged_in") state.session = { loggedIn: false };
  if (!cancelled.delete(id)) {
    post(outcome.ok ? { type: "result", id, ok: true, result: outcome.result } : failure(id, outcome.code, outcome.message));
  }
  // Logged right after the answer is sent (the write is issued in this same turn, so a read
  // made once the answer has arrived sees it), and not awaited.
  activity.record({
    time: new Date(started).toISOString(),
    tool,
    args: activity.summarise(args),
    outcome: outcome.ok ? "ok" : outcome.code,
    message: outcome.ok ? undefined : outcome.message,
    ms: Date.now() - started,
  });
}

// ---- confirmation window for every change

let confirmSeq = 0;
/** Opens the window showing `shown` (from confirm/ask.js `describe`); resolves to the answer. */
async function confirmAction(tool, shown, callId) {
  const cid = `c${Date.now()}-${++confirmSeq}`;
  const url = confirmUrl(cid, tool, shown, CONFIRM_TIMEOUT_MS / 1000);
  const answer = new Promise((resolve) => confirmations.set(cid, { resolve, callId, windowId: null }));
  let win = null;
  try {
    win = await chrome.windows.create({ url, type: "popup", width: 520, height: 440, focused: true });
  } catch (e) {
    console.warn("paceline: could not open the confirmation window", e);
    confirmations.delete(cid);
    return false;
  }
  const pending = confirmations.get(cid);
  if (pending) pending.windowId = win?.id ?? null;
  const timer = setTimeout(() => settle(cid, false), CONFIRM_TIMEOUT_MS);
  const allowed = await answer;
  clearTimeout(timer);
  if (win?.id !== undefined) chrome.windows.remove(win.id).catch(() => {});
  return allowed;
}

/** Resolves a pending confirmation once; later answers for it are ignored. */
function settle(cid, allow) {
  const c = confirmations.get(cid);
  if (!c) return;
  confirmations.delete(cid);
  c.resolve(allow);
}

// ---- status for the popup and the host

async function sessionStatus() {
  await ready;
  try {
    state.session = JSON.parse(await wasm.sessionStatus());
  } catch (e) {
    state.session = { loggedIn: false, error: String(e?.message ?? e) };
  }
  saveSession();
  return state.session;
}

chrome.runtime.onMessage.addListener((msg, _sender, sendResponse) => {
  if (msg?.type === "confirm-answer") {
    settle(msg.id, msg.allow === true);
    sendResponse({ ok: true });
    return false;
  }
  if (msg?.type === "status") {
    Promise.all([sessionStatus(), ready]).then(([session, tools]) =>
      sendResponse({
        hostConnected: state.hostConnected,
        hostError: state.hostError,
        session,
        confirmCovers: coveredTools(tools),
      }),
    );
    return true; // async response
  }
  return false;
});

chrome.runtime.onStartup.addListener(connect);
chrome.runtime.onInstalled.addListener(connect);
// Closing the confirmation window without answering is a "no", at once.
chrome.windows.onRemoved.addListener((windowId) => {
  for (const [cid, c] of confirmations) if (c.windowId === windowId) settle(cid, false);
});
chrome.alarms.onAlarm.addListener((a) => {
  if (a.name === RECONNECT_ALARM) connect();
});
// Re-creating an alarm restarts its period, and the worker runs this on every start: only
// create it when missing, so a stopped worker is woken within 30 s whatever restarted it.
chrome.alarms.get(RECONNECT_ALARM).then((existing) => {
  if (!existing) chrome.alarms.create(RECONNECT_ALARM, { periodInMinutes: RECONNECT_PERIOD_MIN });
});

// For the test hooks (the repository manifest's entry, which imports this module; the
// packages made by `cargo xtask dist` start here instead and leave the hooks out).
export { runTool, sessionStatus, state };

activity.load();
connect();
