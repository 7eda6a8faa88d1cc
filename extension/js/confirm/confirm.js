// Renders what the background prepared (see ask.js) and sends the answer back. Text only
// (`textContent`): nothing the caller sent can become markup here.
const params = new URLSearchParams(location.search);
const id = params.get("id");
let d = {};
try {
  d = JSON.parse(params.get("d") ?? "{}");
} catch {
  d = {};
}
const $ = (x) => document.getElementById(x);

$("tool").textContent = d.tool ?? "?";
const service = d.service === "Intervals.icu" ? "Intervals.icu" : "TrainingPeaks";
$("service").textContent = service;
const title = String(d.title ?? d.tool ?? "Make a change");
$("title").textContent = title.charAt(0).toLowerCase() + title.slice(1);
if (d.target || d.targetError) {
  const t = $("target");
  t.hidden = false;
  if (d.target) {
    t.textContent = `It acts on ${d.target}, as ${service} has it now.`;
  } else {
    t.className = "error";
    t.textContent = `What it acts on could not be read from ${service}: ${d.targetError}`;
  }
}
for (const a of Array.isArray(d.arguments) ? d.arguments : []) {
  const row = $("args").insertRow();
  const th = document.createElement("th");
  th.textContent = a.name;
  row.append(th);
  row.insertCell().textContent = a.value;
}
$("effect").textContent = d.destructive
  ? "This changes or deletes data."
  : "This adds data to your account.";
if (d.timeout) $("timeout").textContent = d.timeout;

async function answer(allow) {
  await chrome.runtime.sendMessage({ type: "confirm-answer", id, allow });
  window.close();
}
$("allow").onclick = () => answer(true);
$("deny").onclick = () => answer(false);
