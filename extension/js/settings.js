// Safety settings, in chrome.storage.local so they survive restarts.
// Defaults: changes allowed, but destructive actions need a confirmation.
export const DEFAULTS = Object.freeze({ readOnly: false, confirmDestructive: true });

export async function getSettings() {
  const { settings } = await chrome.storage.local.get("settings");
  return { ...DEFAULTS, ...(settings ?? {}) };
}

export async function setSettings(patch) {
  const next = { ...(await getSettings()), ...patch };
  await chrome.storage.local.set({ settings: next });
  return next;
}
