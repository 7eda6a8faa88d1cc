// PACELINE_TEST_HOOKS: the background as the end-to-end suite and `cargo xtask bench-bridge`
// load it (from the repository root). The repository's manifest starts the background here;
// the packages made by `cargo xtask dist` start it at background.js instead, so nothing reaches
// this file and it is not packaged (xtask/src/dist.rs refuses a package that holds it).
//
// The static import runs background.js first, in this same first turn, so its listeners are
// still registered synchronously as MV3 requires.
import { isExtensionPage } from "./senders.js";
import { inWasm, ready, runTool, sessionStatus, state, wasm } from "./background.js";

// For tests and benches driving the worker directly (CDP `Runtime.evaluate` in the worker).
self.paceline = { runTool, sessionStatus, state };
// Only in wasm builds with the test hooks (`cargo xtask wasm`, never `cargo xtask dist`): trap
// the module, shorten the per-request timeout.
if (typeof wasm.__testPanic === "function") {
  self.paceline.testPanic = () => inWasm(() => wasm.__testPanic());
  self.paceline.setRequestTimeoutMs = (ms) => ready.then(() => wasm.__setRequestTimeoutMs(ms));
}

// From extension pages the tests open: the same checks and log as host calls.
chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  if (msg?.type !== "call" || !isExtensionPage(sender, chrome.runtime.id, chrome.runtime.getURL(""))) return false;
  runTool(msg.tool, msg.args).then(sendResponse);
  return true;
});
