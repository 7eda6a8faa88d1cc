import { getSettings, setSettings } from "../settings.js";
import { recent } from "../activity.js";
import { removeKey, saveKey } from "../intervals-key.js";

const $ = (id) => document.getElementById(id);

function setDot(id, ok) {
  $(id).className = "dot " + (ok ? "ok" : "bad");
}

async function showStatus() {
  const s = await chrome.runtime.sendMessage({ type: "status" });
  setDot("host-dot", s.hostConnected);
  $("host").textContent = s.hostConnected
    ? "connected"
    : `not connected${s.hostError ? ` (${s.hostError})` : ""} — run \`paceline install\``;
  showCovered(s.confirmCovers);
  const session = s.session ?? {};
  setDot("tp-dot", session.loggedIn);
  $("tp").textContent = session.loggedIn
    ? `logged in as ${session.user ?? "?"}${session.athleteId ? ` (athlete ${session.athleteId})` : ""}`
    : "not logged in — open app.trainingpeaks.com and log in";
}

const ICU_METHODS = { session: "session", api_key: "API key" };

// The popup writes the key to storage and never reads it back: the background says whether one
// is set, and which credential works (`intervals-status`).
async function showIntervals() {
  $("icu").textContent = "checking…";
  const s = await chrome.runtime.sendMessage({ type: "intervals-status" });
  const method = ICU_METHODS[s?.method];
  setDot("icu-dot", Boolean(method));
  if (method) {
    const who = s.name ? `${s.name}${s.athleteId ? ` (athlete ${s.athleteId})` : ""}` : (s.athleteId ?? "?");
    $("icu").textContent = `${method} · ${who}`;
  } else {
    $("icu").textContent = `not connected — ${s?.error ?? "no answer"}`;
  }
  $("icu").dataset.method = s?.method ?? "none"; // for the e2e suite
  $("icu-remove").hidden = !s?.keySet;
  $("icu-key").placeholder = s?.keySet ? "a key is saved; type to replace it" : "paste your API key";
}

function icuMessage(text, bad = false) {
  $("icu-msg").textContent = text;
  $("icu-msg").className = bad ? "bad" : "";
}

function wireIntervals() {
  $("icu-form").onsubmit = async (e) => {
    e.preventDefault();
    try {
      await saveKey($("icu-key").value);
    } catch (err) {
      icuMessage(err.message, true);
      return;
    }
    $("icu-key").value = "";
    icuMessage("Key saved.");
    await showIntervals();
  };
  $("icu-remove").onclick = async () => {
    await removeKey();
    icuMessage("Key removed.");
    await showIntervals();
  };
}

async function showSettings() {
  const s = await getSettings();
  for (const key of ["readOnly", "confirmChanges"]) {
    $(key).checked = s[key];
    $(key).onchange = (e) => setSettings({ [key]: e.target.checked });
  }
}

// Which tools the confirmation switch covers: every tool that is not read-only.
function showCovered(names) {
  if (!Array.isArray(names) || !names.length) return;
  $("covers").hidden = false;
  $("covers").querySelector("summary").textContent = `Covers all ${names.length} tools that change anything`;
  $("covers-list").textContent = names.join(", ");
}

async function showLog() {
  const list = $("log");
  list.replaceChildren();
  for (const e of await recent(20)) {
    const li = document.createElement("li");
    li.className = e.outcome === "ok" ? "ok" : "fail";
    const time = new Date(e.time).toLocaleTimeString();
    li.innerHTML = `<span class="tool"></span> <span class="outcome"></span> <small></small>`;
    li.querySelector(".tool").textContent = e.tool;
    li.querySelector(".outcome").textContent = e.outcome === "ok" ? "✓" : e.outcome;
    // `via`: calls made from the in-page builder rather than by an assistant.
    li.querySelector("small").textContent = `${time} · ${e.ms} ms${e.via ? " · from the " + e.via : ""}${e.args ? " · " + e.args : ""}`;
    list.append(li);
  }
  if (!list.children.length) list.innerHTML = "<small>No calls yet.</small>";
}

showSettings();
wireIntervals();
showIntervals().catch((e) => ($("icu").textContent = String(e)));
showLog();
showStatus().catch((e) => ($("host").textContent = String(e)));
