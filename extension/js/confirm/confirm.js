const params = new URLSearchParams(location.search);
const id = params.get("id");
document.getElementById("tool").textContent = params.get("tool") ?? "?";
document.getElementById("args").textContent = params.get("args") ?? "";
if (params.get("timeout")) document.getElementById("timeout").textContent = params.get("timeout");

async function answer(allow) {
  await chrome.runtime.sendMessage({ type: "confirm-answer", id, allow });
  window.close();
}
document.getElementById("allow").onclick = () => answer(true);
document.getElementById("deny").onclick = () => answer(false);
