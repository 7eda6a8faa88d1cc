// Who may send the background a runtime message. `runtime.onMessage` also receives messages
// from the extension's content scripts, which run inside web pages: a page that subverts one
// must not be able to run tools or answer a confirmation. Kept apart from background.js so
// Node can test it (extension/tests/node/background.test.mjs).

/** The sender is one of this extension's own pages (popup, confirmation window, tests). */
export function isExtensionPage(sender, runtimeId, extensionBase) {
  return (
    sender?.id === runtimeId &&
    typeof sender.url === "string" &&
    sender.url.startsWith(extensionBase) &&
    // Content scripts report the page's URL, never the extension's; `origin` (Chrome) says
    // the same when present.
    (sender.origin === undefined || extensionBase.startsWith(sender.origin))
  );
}

/**
 * The sender is the confirmation window opened for confirmation `id`: an extension page at
 * the confirmation URL, with that id, in the window the background opened for it.
 */
export function isConfirmationWindow(sender, runtimeId, extensionBase, id, windowId) {
  if (!isExtensionPage(sender, runtimeId, extensionBase)) return false;
  let url;
  try {
    url = new URL(sender.url);
  } catch {
    return false;
  }
  return (
    url.pathname.endsWith("/confirm/confirm.html") &&
    url.searchParams.get("id") === id &&
    windowId !== null &&
    windowId !== undefined &&
    sender.tab?.windowId === windowId
  );
}

/** The one origin whose pages run the in-page workout builder (manifest `content_scripts`). */
export const TRAININGPEAKS_APP_ORIGIN = "https://app.trainingpeaks.com";

/**
 * The sender is this extension's content script in the top frame of an app.trainingpeaks.com
 * page (the in-page workout builder, overlay-messages.js). `sender.url` is the frame's URL as
 * the browser knows it, not something the page can set; the builder runs in top frames only,
 * so a frame inside the page (another origin's iframe) is refused even if it were on the list.
 */
export function isTrainingPeaksPage(sender, runtimeId) {
  if (sender?.id !== runtimeId || typeof sender.url !== "string" || !sender.tab) return false;
  // Chrome says `frameId` 0 for the top frame; Firefox too.
  if (sender.frameId !== undefined && sender.frameId !== 0) return false;
  let url;
  try {
    url = new URL(sender.url);
  } catch {
    return false;
  }
  return (
    url.origin === TRAININGPEAKS_APP_ORIGIN &&
    (sender.origin === undefined || sender.origin === TRAININGPEAKS_APP_ORIGIN)
  );
}
