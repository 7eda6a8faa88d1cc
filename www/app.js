// The playground page: loads the compiler-only wasm (pkg/), mounts the shared builder
// component (builder.js, the same file the extension's overlay uses) and keeps the workout in
// the URL fragment (#w=<url-encoded text>) so a link opens the same workout.
import init, { previewWorkout } from "./pkg/paceline_extension.js";

const EXAMPLE = `Warmup
- 10m ramp 50-75%

Main set 3x
- Threshold 8m 95-105% 90rpm
- 4m 55% intensity=rest

- 5m 75%

Cooldown
- 10m ramp 65-45%
Keep the cadence high on the threshold efforts.`;

const $ = (id) => document.getElementById(id);
const dark = window.matchMedia("(prefers-color-scheme: dark)");

// The fragment holds the text; anything else in it is ignored.
function textFromHash() {
  const h = location.hash;
  if (!h.startsWith("#w=")) return null;
  try {
    return decodeURIComponent(h.slice(3));
  } catch {
    return null; // a hand-edited, broken escape: fall back to the example
  }
}

let hashTimer = null;
let lastHashText = null;
function writeHash(text) {
  clearTimeout(hashTimer);
  // replaceState: typing must not fill the back button's history.
  hashTimer = setTimeout(() => {
    lastHashText = text;
    history.replaceState(null, "", "#w=" + encodeURIComponent(text));
  }, 150);
}

function theme() {
  const forced = document.documentElement.dataset.theme;
  return forced || (dark.matches ? "dark" : "light");
}

function applyTheme(handle) {
  const t = theme();
  document.documentElement.classList.toggle("dark", t === "dark");
  $("theme").setAttribute("aria-pressed", String(t === "dark"));
  $("theme").textContent = t === "dark" ? "Light theme" : "Dark theme";
  handle?.setOptions({ theme: t });
}

// The exports and the readers of structure JSON and of pasted .zwo/.erg/.mrc files are a second
// module (files/), fetched the first time one is needed, so that the module every keystroke of
// workout text runs on (pkg/) stays small. It also holds the whole preview, so JSON and pasted
// files are previewed there (same speed profile: typing JSON stays live once it is loaded).
let files = null;
function loadFiles() {
  files ??= (async () => {
    const m = await import("./files/paceline_extension.js");
    await m.default();
    return m;
  })().catch((e) => {
    files = null; // let the next export or paste try again
    throw new Error("could not load the file reader and exports: " + (e?.message || e));
  });
  return files;
}

async function main() {
  await init();
  const api = {
    // The wasm is synchronous; the contract's API is async because the overlay's is.
    preview: async (input, options) => {
      const o = JSON.stringify(options);
      const p = JSON.parse(previewWorkout(input, o));
      // Structure JSON or a pasted file: the keystroke module says so at once, without reading it.
      if (!p.needsFileReader) return p;
      return JSON.parse((await loadFiles()).previewWorkout(input, o));
    },
    exportWorkout: async (input, kind, options) =>
      JSON.parse((await loadFiles()).exportWorkout(input, kind, JSON.stringify(options))),
  };
  const root = $("builder");
  root.replaceChildren();
  root.removeAttribute("aria-busy");
  const ftp = () => {
    const v = Number($("ftp").value);
    return Number.isFinite(v) && v > 0 ? v : undefined;
  };
  const handle = PacelineBuilder.mount(root, api, {
    theme: theme(),
    sport: $("sport").value,
    ftpW: ftp(),
    initialText: textFromHash() ?? EXAMPLE,
    onChange: () => writeHash(handle.getText()),
  });
  window.paceline = handle; // for the browser tests and the curious
  applyTheme(handle);

  $("sport").addEventListener("change", () => handle.setOptions({ sport: $("sport").value }));
  $("ftp").addEventListener("input", () => handle.setOptions({ ftpW: ftp() }));
  dark.addEventListener("change", () => applyTheme(handle));
  $("theme").addEventListener("click", () => {
    document.documentElement.dataset.theme = theme() === "dark" ? "light" : "dark";
    applyTheme(handle);
  });
  window.addEventListener("hashchange", () => {
    const t = textFromHash();
    if (t != null && t !== lastHashText && t !== handle.getText()) handle.setText(t);
  });
  $("copy-link").addEventListener("click", async () => {
    clearTimeout(hashTimer);
    history.replaceState(null, "", "#w=" + encodeURIComponent(handle.getText()));
    const url = location.href;
    try {
      await navigator.clipboard.writeText(url);
      $("link-status").textContent = "Link copied";
    } catch {
      // No clipboard permission (plain http, some browsers): the link is in the address bar.
      $("link-status").textContent = "Link is in the address bar";
    }
  });
}

// The "try the tools" pane: its module (the tool catalogue + the emulator, several MB) is
// fetched the first time the pane opens, never before.
let tools = null;
async function openTools() {
  if (tools) return tools;
  tools = (async () => {
    const m = await import("./tools/paceline_extension.js");
    await m.default();
    const list = JSON.parse(m.listTools()).filter((t) => !t.name.startsWith("icu_"));
    const select = $("tool-name");
    select.replaceChildren(...list.map((t) => {
      const o = document.createElement("option");
      o.value = t.name;
      o.textContent = t.name;
      return o;
    }));
    const describe = () => {
      const t = list.find((x) => x.name === select.value);
      $("tool-desc").textContent = t ? (t.description || "").split("\n")[0] : "";
    };
    // Start on a tool that needs no arguments, so "Run" works at once.
    const easy = list.find((t) => !(t.inputSchema?.required?.length)) || list[0];
    if (easy) select.value = easy.name;
    describe();
    select.addEventListener("change", describe);
    select.disabled = false;
    $("tool-run").disabled = false;
    $("tool-run").addEventListener("click", async () => {
      const out = $("tool-out");
      out.textContent = "Running…";
      try {
        const r = JSON.parse(await m.sandboxCallTool(select.value, $("tool-args").value));
        out.textContent = r.text;
      } catch (e) {
        out.textContent = "Error: " + (e?.message || e);
      }
    });
    return m;
  })();
  return tools;
}

$("tools-pane").addEventListener("toggle", () => {
  if ($("tools-pane").open) {
    openTools().catch((e) => {
      tools = null;
      $("tool-out").textContent = "Could not load the tools: " + (e?.message || e);
    });
  }
});

main().catch((e) => {
  const root = $("builder");
  root.removeAttribute("aria-busy");
  root.textContent = "Could not load the workout compiler: " + (e?.message || e) +
    ". Open this page over http(s) (e.g. python3 -m http.server), not as a file.";
});
