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
import { openActivityStore } from "./activity-cache.js";
import { Backoff } from "./backoff.js";
import { isConfirmationWindow, isExtensionPage } from "./senders.js";
import { getSettings } from "./settings.js";
import { readKey as readIcuKey } from "./intervals-key.js";
import { confirmUrl, coveredTools, describe, isDryRun, needsConfirmation } from "./confirm/ask.js";
import { createOverlayHandler, isOverlayMessage } from "./overlay-messages.js";

const HOST_NAME = "dev.paceline.host";
const PROTOCOL_VERSION = 1;
// The bridge stops a call's clock while its confirmation window is open (we tell it with
// `confirmation_pending`/`confirmation_done`), for at most 120 s: this stays well inside that.
const CONFIRM_TIMEOUT_MS = 45_000;
// Chrome's minimum alarm period. The alarm restarts a stopped worker, which reconnects.
const RECONNECT_ALARM = "paceline-reconnect";
const RECONNECT_PERIOD_MIN = 0.5;
const BROWSER = typeof browser !== "undefined" && browser.runtime?.getBrowserInfo ? "firefox" : "chrome";

const state = {
  port: null,
  hostConnected: false,
  hostError: null,
  session: null, // {loggedIn, user, athleteId} after the last check
  intervals: null, // {method, athlete, name} after the last Intervals.icu check (never the key)
};
const backoff = new Backoff();
// Calls from the host in flight, per port: call id -> AbortController. Ids are the bridge's
// and restart at 1 with every bridge (every port), so a map belongs to the port it came from:
// a cancel or a result never reaches a call of another bridge run. Entries go when the call
// ends, so the map holds only calls in flight.
const inFlight = new WeakMap(); // port -> Map(id -> AbortController)
const confirmations = new Map(); // confirmation id -> {resolve, callId, windowId}

// ---- the wasm module

// Instantiated once; handlers await `ready` (never at top level). It is started again after a
// failed start (on the next call) and after a trap (see `recoverFromTrap`).
let ready = start();

// Completed activities' data in IndexedDB (activity-cache.js), for the analysis tools; one
// store for the worker's life, handed to every start of the module (null: no cache).
const activityStore = openActivityStore();

function attachActivityStore() {
  wasm.setActivityStore(activityStore ?? undefined);
}

function start() {
  const started = init({ module_or_path: new URL("../pkg/paceline_extension_bg.wasm", import.meta.url) })
    .then(restoreSession)
    .then(attachActivityStore)
    .then(() => JSON.parse(wasm.listTools()))
    .then((tools) => new Map(tools.map((t) => [t.name, t])));
  // Logged here once (calls report it too); keeps a start no call awaited yet from being an
  // unhandled rejection.
  started.catch((e) => console.error("paceline: the extension could not start", e));
  return started;
}

/** The tool catalogue, once the module runs; a failed start is reported, then retried. */
async function tools() {
  const current = ready;
  try {
    return await current;
  } catch (e) {
    // Every call waiting on this start is answered with its error at once; the next call
    // tries again (the failure may have been passing, e.g. the worker was shutting down).
    if (ready === current) ready = start();
    const err = new Error(`The Paceline extension could not start: ${e?.message ?? e}. Reload the extension if this persists.`);
    err.code = "internal";
    throw err;
  }
}

// A wasm trap (a Rust panic ends in `unreachable`) can leave the module's async executor
// stuck: the trapped call never settles, and nor would any later one. So after a trap, calls
// still running in the module are failed at once and the module is instantiated afresh
// (`__wbg_reset_state`, from wasm-bindgen's `--experimental-reset-state-function`); the
// session token is restored from `chrome.storage.session`.
let crashed = deferredFailure();
let recovering = null;

function deferredFailure() {
  let fail;
  const promise = new Promise((_, reject) => (fail = reject));
  promise.catch(() => {}); // settled by racing calls; unobserved otherwise
  return { promise, fail };
}

function recoverFromTrap(reason) {
  if (recovering) return recovering;
  console.error("paceline: the wasm module trapped; starting it again:", reason);
  const err = new Error(`Paceline's wasm module crashed (${reason}) and was restarted.`);
  err.code = "internal";
  err.trapped = true;
  const failed = crashed;
  crashed = deferredFailure();
  failed.fail(err);
  // After the trapping stack has unwound (this may run inside the panic hook).
  recovering = new Promise((resolve) => setTimeout(resolve, 0))
    .then(() => {
      if (typeof wasm.__wbg_reset_state !== "function") throw new Error("this build cannot re-instantiate its wasm");
      wasm.__wbg_reset_state();
      savedSnapshot = null;
    })
    .then(restoreSession)
    .then(attachActivityStore)
    .then(() => new Map(JSON.parse(wasm.listTools()).map((t) => [t.name, t])))
    .finally(() => {
      recovering = null;
    });
  ready = recovering;
  return recovering;
}

/** Runs `f` (a call into the wasm) and fails at once if the module traps meanwhile. */
async function inWasm(f) {
  try {
    return await Promise.race([f(), crashed.promise]);
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) recoverFromTrap(e.message);
    throw e;
  }
}

// The panic hook (extension/src/lib.rs) calls this with the panic message before the trap.
globalThis.pacelineWasmPanicked = (message) => recoverFromTrap(String(message));
// A trap inside one of the module's async tasks surfaces nowhere else.
self.addEventListener("unhandledrejection", (event) => {
  if (event.reason instanceof WebAssembly.RuntimeError) recoverFromTrap(event.reason.message);
});
self.addEventListener("error", (event) => {
  if (event.error instanceof WebAssembly.RuntimeError) recoverFromTrap(event.error.message);
});

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

function post(msg, port = state.port) {
  // A reply for a port that has closed is dropped: its bridge is gone, and the next bridge
  // reuses the same call ids.
  if (!port || port !== state.port) return false;
  try {
    port.postMessage(msg);
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
    // Which Intervals.icu credential works and for whom, for `paceline doctor`; the key itself
    // never goes to the host.
    intervals: state.intervals ?? undefined,
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
  inFlight.set(port, new Map());
  port.onMessage.addListener((msg) => onHostMessage(msg, port));
  port.onDisconnect.addListener(() => {
    const err = chrome.runtime.lastError?.message ?? port.error?.message ?? null;
    if (state.port === port) {
      state.port = null;
      state.hostConnected = false;
      state.hostError = err;
    }
    // Its bridge is gone: nothing will read the answers, so stop what it asked for.
    for (const controller of inFlight.get(port)?.values() ?? []) abortCall(controller);
    scheduleReconnect();
  });
  post(hello());
  // The backoff is reset by the host's hello, not here: a port that opens and closes at once
  // (a host that crashes at start) would otherwise be retried every second forever.
}

let reconnectTimer = null;
function scheduleReconnect() {
  if (reconnectTimer) return;
  const delay = backoff.next(state.hostError);
  reconnectTimer = setTimeout(() => {
    reconnectTimer = null;
    connect();
  }, delay);
}

function onHostMessage(msg, port) {
  switch (msg?.type) {
    case "hello":
      backoff.reset();
      post(hello(), port);
      // Once per connection: check Intervals.icu, then tell the bridge the result.
      intervalsStatus().then(() => post(hello(), port), () => {});
      break;
    case "ping":
      post({ type: "pong" }, port);
      break;
    case "call":
      handleCall(msg, port);
      break;
    case "cancel": {
      const controller = inFlight.get(port)?.get(msg.id);
      if (controller) abortCall(controller);
      break;
    }
    default:
      break;
  }
}

/** Cancels a host call: aborts its requests and answers its confirmation window "no". */
function abortCall(controller) {
  controller.abort();
  for (const [cid, c] of confirmations) if (c.callId === controller.signal) settle(cid, false);
}

// ---- running a tool, with the safety checks

function failure(id, code, message) {
  return { type: "result", id, ok: false, error: { code, message } };
}

/** The service a tool talks to, from its canonical name (core's `tools::platform`: the
 * Intervals.icu tools are the `icu_` ones), for messages that must name it. */
function serviceOf(tool) {
  return typeof tool === "string" && tool.startsWith("icu_") ? "Intervals.icu" : "TrainingPeaks";
}

/**
 * Runs one tool with the safety checks. `signal` cancels it: nothing is sent to the service
 * once it fires (a pending confirmation counts as "no"), and requests in flight are aborted.
 * `onConfirm(waiting)` is told when a confirmation window opens (true) and is answered (false).
 * `approved`: the person asked for this very change in the in-page builder (its Save button),
 * so no confirmation window opens; the read-only switch still applies.
 */
async function runTool(tool, args, { callId = null, signal = undefined, onConfirm = () => {}, approved = false } = {}) {
  const catalogue = await tools();
  const meta = catalogue.get(tool);
  if (!meta) return { ok: false, code: "invalid_params", message: `Unknown tool "${tool}".` };
  const settings = await getSettings();
  const readOnly = meta.annotations?.readOnlyHint === true;
  // A dry run can only read (isDryRun: core enforces it below the tool), so neither the
  // read-only switch nor the window stands in its way.
  const dryRun = isDryRun(meta, args);
  if (settings.readOnly && !readOnly && !dryRun) {
    return {
      ok: false,
      code: "read_only",
      message: `Paceline is in read-only mode, so "${tool}" was not run and nothing was changed. Turn read-only mode off in the Paceline extension popup to allow changes.`,
    };
  }
  if (signal?.aborted) return cancelledOutcome(tool);
  // The stored Intervals.icu key is not read here: an Intervals.icu tool hands the wasm a
  // reader, which it calls only once the browser's intervals.icu session has been refused
  // (extension/src/browser.rs `call_context`), so a call the session serves never reads it,
  // and a TrainingPeaks tool gets no reader at all. The key goes only into the wasm: never
  // to the host, into a result, or into a log.
  const icuKey = tool.startsWith("icu_") ? () => readIcuKey() : undefined;
  if (!approved && !dryRun && needsConfirmation(meta) && settings.confirmChanges) {
    // The window's text comes from the wasm, which reads the target first (inWasm: a trap
    // there is recovered like any other).
    const prepared = await describe(
      { describeCall: (t, a) => inWasm(() => wasm.describeCall(t, a, icuKey)) },
      tool,
      args,
    );
    if (!prepared.ok) return prepared;
    if (signal?.aborted) return cancelledOutcome(tool);
    onConfirm(true);
    let allowed;
    try {
      // The call's signal identifies its window: `abortCall` answers it "no" on a cancel.
      allowed = await confirmAction(tool, prepared.shown, signal ?? callId);
    } finally {
      onConfirm(false);
    }
    if (signal?.aborted) return cancelledOutcome(tool);
    if (!allowed) {
      return {
        ok: false,
        code: "denied",
        message: `The person did not confirm "${tool}" in the browser (declined or no answer within ${CONFIRM_TIMEOUT_MS / 1000} s), so nothing was changed.`,
      };
    }
  }
  try {
    const out = JSON.parse(await inWasm(() => wasm.callTool(tool, JSON.stringify(args ?? {}), signal, icuKey)));
    return { ok: true, result: out };
  } catch (e) {
    if (e?.trapped || e instanceof WebAssembly.RuntimeError) {
      const unknown = readOnly
        ? "It only reads, so it is safe to retry."
        : `The change may or may not have been applied in ${serviceOf(tool)}: check before retrying.`;
      return { ok: false, code: "internal", message: `Paceline's wasm module crashed during "${tool}" and was restarted. ${unknown}` };
    }
    return { ok: false, code: e?.code ?? "tool_failed", message: String(e?.message ?? e) };
  } finally {
    saveSession();
  }
}

function cancelledOutcome(tool) {
  return {
    ok: false,
    code: "cancelled",
    message: `The call was cancelled before any change was sent to ${serviceOf(tool)}, so nothing was changed.`,
  };
}

/** A call from the host; answered on the port it came from, unless it was cancelled. */
async function handleCall({ id, tool, args }, port) {
  const calls = inFlight.get(port);
  const controller = new AbortController();
  calls?.set(id, controller);
  const started = Date.now();
  let outcome;
  try {
    outcome = await runTool(tool, args, {
      callId: id,
      signal: controller.signal,
      onConfirm: (waiting) => post({ type: waiting ? "confirmation_pending" : "confirmation_done", id }, port),
    });
  } catch (e) {
    // A failed start (wasm, settings): answer at once rather than let the bridge time out.
    console.error("paceline: call failed", e);
    outcome = { ok: false, code: e?.code ?? "internal", message: String(e?.message ?? e) };
  } finally {
    calls?.delete(id);
  }
  if (outcome.code === "not_logged_in") state.session = { loggedIn: false };
  // A cancelled call is not answered: the bridge has already answered the caller.
  if (!controller.signal.aborted) {
    post(outcome.ok ? { type: "result", id, ok: true, result: outcome.result } : failure(id, outcome.code, outcome.message), port);
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
  await tools();
  try {
    state.session = JSON.parse(await inWasm(() => wasm.sessionStatus()));
  } catch (e) {
    state.session = { loggedIn: false, error: String(e?.message ?? e) };
  }
  saveSession();
  return state.session;
}

/**
 * Checks Intervals.icu now: the browser's session first, then the stored API key (in the wasm,
 * extension/src/intervals.rs). Resolves to `{method, athleteId, name, keySet, error}`; the key
 * goes only into the wasm, never into the answer, the host or a log.
 */
async function intervalsStatus() {
  await tools();
  let status;
  try {
    const key = await readIcuKey();
    status = JSON.parse(await inWasm(() => wasm.intervalsStatus(key ?? undefined)));
  } catch (e) {
    // Messages from the wasm never contain the key; anything else (a trap, storage) neither.
    status = { method: "none", error: String(e?.message ?? e) };
  }
  state.intervals = { method: status.method, athlete: status.athleteId ?? null, name: status.name ?? null };
  return status;
}

const EXTENSION_BASE = chrome.runtime.getURL("");

// The in-page builder on app.trainingpeaks.com (overlay-messages.js checks its sender).
const onOverlayMessage = createOverlayHandler({
  runtimeId: chrome.runtime.id,
  runTool,
  preview: async (input, options) => (await tools(), inWasm(() => wasm.previewWorkout(input, options))),
  workoutText: async (structure) => (await tools(), inWasm(() => wasm.workoutText(structure))),
  record: activity.record,
  summarise: activity.summarise,
});

chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  if (isOverlayMessage(msg)) return onOverlayMessage(msg, sender, sendResponse);
  // Otherwise only the extension's own pages may talk to the background: a content script (it
  // runs in a web page) must not run tools, answer confirmations, or read the session.
  if (!isExtensionPage(sender, chrome.runtime.id, EXTENSION_BASE)) {
    console.warn("paceline: ignored a message from outside the extension's pages", sender?.url);
    sendResponse({ ok: false, error: "not allowed" });
    return false;
  }
  if (msg?.type === "confirm-answer") {
    const pending = confirmations.get(msg.id);
    // Only the confirmation window opened for this confirmation may answer it.
    if (!pending || !isConfirmationWindow(sender, chrome.runtime.id, EXTENSION_BASE, msg.id, pending.windowId)) {
      sendResponse({ ok: false, error: "not allowed" });
      return false;
    }
    settle(msg.id, msg.allow === true);
    sendResponse({ ok: true });
    return false;
  }
  if (msg?.type === "intervals-status") {
    intervalsStatus()
      .then((status) => {
        sendResponse(status);
        // The bridge learns the new method at once (e.g. right after a key was entered).
        post(hello());
      })
      .catch((e) => sendResponse({ method: "none", error: String(e?.message ?? e) }));
    return true; // async response
  }
  if (msg?.type === "status") {
    Promise.all([
      sessionStatus().catch((e) => ({ loggedIn: false, error: String(e?.message ?? e) })),
      ready.catch(() => new Map()),
    ]).then(([session, tools]) =>
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
export { inWasm, ready, runTool, sessionStatus, state, wasm };

activity.load();
connect();
