import { getSettings, setSettings } from "../settings.js";
import { recent } from "../activity.js";

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
    li.querySelector("small").textContent = `${time} · ${e.ms} ms${e.args ? " · " + e.args : ""}`;
    list.append(li);
  }
  if (!list.children.length) list.innerHTML = "<small>No calls yet.</small>";
}

showSettings();
showLog();
showStatus().catch((e) => ($("host").textContent = String(e)));
