// Paceline's workout builder: a text box on the left, the live profile chart, summary and
// numbers beside it, errors that jump to their line, and export buttons. One component for the
// playground page (www/) and the overlay on app.trainingpeaks.com (extension/).
//
// A classic script (no modules) so it can be listed in a manifest's content_scripts and in a
// page's <script src>. It defines globalThis.PacelineBuilder = { mount } and touches nothing
// outside the root it is given: its DOM and one <style> go into that root, every class starts
// with `pl-`. All the work (parsing, compiling, drawing the SVG) is the wasm's, behind `api`;
// this file only shows what comes back.
//
// The contract both homes rely on:
// - `PacelineBuilder.mount(root, api, options)` → handle.
// - `api.preview(text, previewOptions)` (required, async) → the wasm's `Preview` object
//   (`core/src/structure/preview.rs`: ok, format, errors [{line, column, path, message}],
//   structure, summary, description, durationS, distanceM, intensityFactor, tss, energyKj,
//   svg, chartDescription). `previewOptions` is `{sport, ftpW, lthrBpm, maxHrBpm,
//   thresholdSpeedMps, units, theme, width, height}`, taken from `options`.
// - `api.exportWorkout(text, kind, previewOptions + {name})` (optional, async) → `{filename,
//   mime, text}` or `{filename, mime, base64}`; without it there are no export buttons. `kind`
//   is one of the EXPORTS below.
// - `options`: `sport` (ride, run, swim, other), the thresholds above (`units`: "metric" or
//   "imperial", which paces the summary shows), `theme` ("light" or "dark"), `initialText`,
//   `name` (the exported workout's name), `onChange(preview)` (after each shown preview).
// - The handle: `getText()`, `setText(text)`, `setOptions(partial)`, `flush()` (each of these
//   three returns a promise settled when the newest preview is on screen), `current()` (the
//   preview shown), `lastRenderMs()` and `destroy()` (removes everything it added).
(function () {
  "use strict";

  // How long typing must pause before a preview is asked for. The contract allows up to 50 ms;
  // a short pause still merges the bursts of a fast typist or a paste.
  const DEBOUNCE_MS = 25;

  const EXPORTS = [
    ["tp-json", "TrainingPeaks JSON"],
    ["icu-text", "Intervals.icu text"],
    ["zwo", "Zwift .zwo"],
    ["erg", ".erg"],
    ["mrc", ".mrc"],
    ["fit", "FIT"],
  ];

  const FORMATS = {
    text: "Workout text",
    json: "Structure JSON",
    zwo: "Zwift .zwo",
    erg: ".erg file",
    mrc: ".mrc file",
  };

  const PLACEHOLDER =
    "Warmup\n- 10m ramp 50-75%\n\nMain set 3x\n- 5m 100%\n- 3m 55%\n\nCooldown\n- 10m 50%";

  const STYLE = `
.pl-builder {
  --pl-bg: #ffffff; --pl-fg: #1d2330; --pl-muted: #5b6475; --pl-border: #cfd5df;
  --pl-field: #f8f9fb; --pl-accent: #1f6feb; --pl-accent-fg: #ffffff; --pl-error: #b42318;
  --pl-error-bg: #fef3f2;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
  color: var(--pl-fg); background: var(--pl-bg);
  display: grid; grid-template-columns: minmax(16rem, 2fr) 3fr; gap: 1rem;
  box-sizing: border-box; padding: 1rem; border-radius: 8px;
}
.pl-builder.pl-dark {
  --pl-bg: #14171c; --pl-fg: #e6e9ef; --pl-muted: #9aa3b2; --pl-border: #363c47;
  --pl-field: #1c2027; --pl-accent: #4c8dff; --pl-accent-fg: #0b0d10; --pl-error: #ff8a80;
  --pl-error-bg: #2a1715;
}
.pl-builder *, .pl-builder *::before, .pl-builder *::after { box-sizing: inherit; }
/* One column when the builder itself is narrow (the overlay's side panel), not only the window. */
.pl-wrap { container-type: inline-size; }
@container (max-width: 720px) { .pl-builder { grid-template-columns: 1fr; } }
@media (max-width: 720px) { .pl-builder { grid-template-columns: 1fr; } }
.pl-editor, .pl-view { display: flex; flex-direction: column; gap: .5rem; min-width: 0; }
.pl-label { font-weight: 600; }
.pl-hint, .pl-format { color: var(--pl-muted); font-size: 12px; margin: 0; }
.pl-input {
  width: 100%; min-height: 18rem; flex: 1; resize: vertical; padding: .6rem .7rem;
  font: 13px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
  color: var(--pl-fg); background: var(--pl-field); border: 1px solid var(--pl-border);
  border-radius: 6px; tab-size: 2;
}
.pl-input:focus-visible, .pl-button:focus-visible, .pl-error-link:focus-visible {
  outline: 2px solid var(--pl-accent); outline-offset: 2px;
}
.pl-errors { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: .25rem; }
.pl-errors:empty { display: none; }
.pl-error-link {
  all: unset; cursor: pointer; display: block; width: 100%; padding: .35rem .5rem;
  color: var(--pl-error); background: var(--pl-error-bg); border-radius: 4px; font-size: 13px;
}
.pl-error-link:hover { text-decoration: underline; }
.pl-chart { width: 100%; min-height: 6rem; border: 1px solid var(--pl-border); border-radius: 6px; overflow: hidden; }
.pl-chart svg { display: block; width: 100%; height: auto; }
.pl-chart.pl-stale, .pl-summary.pl-stale, .pl-notes.pl-stale, .pl-stats.pl-stale { opacity: .45; }
.pl-summary { margin: 0; font-weight: 500; }
.pl-notes { margin: 0; color: var(--pl-muted); white-space: pre-line; }
.pl-notes:empty { display: none; }
.pl-stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(6.5rem, 1fr)); gap: .5rem; margin: 0; }
.pl-stat[hidden] { display: none; }
.pl-stat { border: 1px solid var(--pl-border); border-radius: 6px; padding: .4rem .6rem; }
.pl-stat dt { color: var(--pl-muted); font-size: 12px; }
.pl-stat dd { margin: 0; font-size: 18px; font-variant-numeric: tabular-nums; font-weight: 600; }
.pl-exports { display: flex; flex-wrap: wrap; gap: .4rem; align-items: center; }
.pl-exports[hidden] { display: none; }
.pl-exports-title { color: var(--pl-muted); font-size: 12px; margin-right: .25rem; }
.pl-button {
  font: inherit; font-size: 13px; cursor: pointer; padding: .3rem .65rem; border-radius: 6px;
  color: var(--pl-fg); background: var(--pl-field); border: 1px solid var(--pl-border);
}
.pl-button:hover:not(:disabled) { border-color: var(--pl-accent); }
.pl-button:disabled { cursor: not-allowed; opacity: .5; }
.pl-status { margin: 0; font-size: 12px; color: var(--pl-muted); min-height: 1em; }
.pl-status.pl-bad { color: var(--pl-error); }
`;

  let mounted = 0;

  function el(tag, cls, attrs) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    return e;
  }

  function fmtDuration(s) {
    if (s == null || !isFinite(s)) return "—";
    const t = Math.round(s);
    const h = Math.floor(t / 3600);
    const m = Math.floor((t % 3600) / 60);
    const sec = t % 60;
    const mm = String(m).padStart(h ? 2 : 1, "0");
    return (h ? h + ":" : "") + mm + ":" + String(sec).padStart(2, "0");
  }

  function fmtDistance(m) {
    if (m == null || !isFinite(m)) return "—";
    return m >= 1000 ? (m / 1000).toFixed(2) + " km" : Math.round(m) + " m";
  }

  function fmtNum(x, digits) {
    return x == null || !isFinite(x) ? "—" : x.toFixed(digits);
  }

  // The offset in `text` of a 1-based line and column (columns count characters, as the wasm
  // does, so a line with emoji still lands right).
  function offsetOf(text, line, column) {
    const lines = text.split("\n");
    let off = 0;
    for (let i = 0; i < Math.min(line - 1, lines.length); i++) off += lines[i].length + 1;
    const cur = lines[Math.min(line, lines.length) - 1] || "";
    const chars = Array.from(cur).slice(0, Math.max(0, (column || 1) - 1));
    return Math.min(text.length, off + chars.join("").length);
  }

  function base64ToBytes(b64) {
    const bin = atob(b64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  function mount(root, api, options) {
    if (!root || typeof root.appendChild !== "function") throw new TypeError("PacelineBuilder.mount: root must be an Element");
    if (!api || typeof api.preview !== "function") throw new TypeError("PacelineBuilder.mount: api.preview is required");
    const id = "pl-b" + ++mounted;
    let opts = Object.assign({ theme: "light" }, options || {});

    const style = el("style");
    style.textContent = STYLE;
    const wrap = el("div", "pl-wrap");
    const box = el("div", "pl-builder");
    wrap.append(box);

    const editor = el("div", "pl-editor");
    const label = el("label", "pl-label", { for: id + "-input" });
    label.textContent = "Workout";
    const hint = el("p", "pl-hint", { id: id + "-hint" });
    hint.textContent =
      "One step per line: - 10m 75%, - 5m 95-105% 90rpm, - 10m ramp 50-75%. A line 3x repeats the steps below it. Paste a .zwo, .erg, .mrc or structure JSON too.";
    const input = el("textarea", "pl-input", {
      id: id + "-input",
      spellcheck: "false",
      autocomplete: "off",
      autocapitalize: "off",
      "aria-describedby": id + "-hint " + id + "-errors",
      placeholder: PLACEHOLDER,
    });
    const format = el("p", "pl-format", { "aria-live": "polite" });
    const errors = el("ul", "pl-errors", { id: id + "-errors", "aria-label": "Problems", "aria-live": "polite" });
    editor.append(label, hint, input, format, errors);

    const view = el("div", "pl-view");
    const chart = el("div", "pl-chart");
    const summary = el("p", "pl-summary");
    const notes = el("p", "pl-notes");
    const stats = el("dl", "pl-stats", { "aria-label": "Planned numbers" });
    const statDd = {};
    for (const [key, name] of [["duration", "Duration"], ["distance", "Distance"], ["if", "IF"], ["tss", "TSS"]]) {
      const cell = el("div", "pl-stat", { "data-stat": key });
      const dt = el("dt");
      dt.textContent = name;
      const dd = el("dd");
      dd.textContent = "—";
      cell.append(dt, dd);
      stats.append(cell);
      statDd[key] = dd;
    }
    const exports = el("div", "pl-exports", { role: "group", "aria-labelledby": id + "-exports" });
    const exportsTitle = el("span", "pl-exports-title", { id: id + "-exports" });
    exportsTitle.textContent = "Export";
    exports.append(exportsTitle);
    const buttons = EXPORTS.map(([kind, name]) => {
      const b = el("button", "pl-button pl-export", { type: "button", "data-kind": kind });
      b.textContent = name;
      b.disabled = true;
      b.addEventListener("click", () => doExport(kind));
      exports.append(b);
      return b;
    });
    const status = el("p", "pl-status", { role: "status" });
    view.append(chart, summary, notes, stats, exports, status);
    box.append(editor, view);
    root.append(style, wrap);

    let last = null;
    let shownSvg = null;
    let timer = null;
    let seq = 0;
    let shown = 0;
    let destroyed = false;
    // Resolvers of setText()/flush() promises, settled once the newest request has rendered.
    let waiters = [];
    let lastRenderMs = null;

    // The chart's width in CSS pixels, so the SVG is drawn at the size it is shown. Read once
    // and then from a ResizeObserver: reading clientWidth on every keystroke would force a
    // layout of the previous keystroke's DOM changes before each preview.
    let chartWidth = 0;
    let resizeTimer = null;
    const resizer =
      typeof ResizeObserver === "function"
        ? new ResizeObserver((entries) => {
            const w = Math.round(entries[entries.length - 1].contentRect.width);
            if (w > 0 && Math.abs(w - chartWidth) >= 8) {
              const first = chartWidth === 0;
              chartWidth = w;
              // Redraw at the new size once resizing settles (not on the first measurement).
              if (!first) {
                clearTimeout(resizeTimer);
                resizeTimer = setTimeout(() => schedule(0), 100);
              }
            }
          })
        : null;
    if (resizer) resizer.observe(chart);

    function previewOptions() {
      if (!chartWidth || !resizer) chartWidth = Math.round(chart.clientWidth);
      const width = chartWidth || 800;
      return {
        sport: opts.sport,
        ftpW: opts.ftpW,
        lthrBpm: opts.lthrBpm,
        maxHrBpm: opts.maxHrBpm,
        thresholdSpeedMps: opts.thresholdSpeedMps,
        units: opts.units,
        theme: opts.theme === "dark" ? "dark" : "light",
        width: Math.max(320, Math.min(1600, width)),
        height: 260,
      };
    }

    function applyTheme() {
      box.classList.toggle("pl-dark", opts.theme === "dark");
      box.classList.toggle("pl-light", opts.theme !== "dark");
    }

    function renderErrors(list) {
      errors.replaceChildren();
      for (const e of list || []) {
        const li = el("li");
        if (e.line != null) li.dataset.line = String(e.line);
        if (e.column != null) li.dataset.column = String(e.column);
        const where = e.line != null ? `Line ${e.line}${e.column != null ? ", col " + e.column : ""}: ` : e.path ? `${e.path}: ` : "";
        if (e.line != null) {
          const b = el("button", "pl-error-link", { type: "button" });
          b.textContent = where + e.message;
          b.addEventListener("click", () => moveTo(e.line, e.column));
          li.append(b);
        } else {
          const span = el("span", "pl-error-link");
          span.textContent = where + e.message;
          li.append(span);
        }
        errors.append(li);
      }
    }

    function moveTo(line, column) {
      const off = offsetOf(input.value, line, column);
      input.focus();
      input.setSelectionRange(off, off);
      // Bring the line into view: roughly its share of the scroll height.
      const lines = input.value.split("\n").length || 1;
      input.scrollTop = Math.max(0, ((line - 3) / lines) * input.scrollHeight);
    }

    function setText(node, text) {
      if (node.textContent !== text) node.textContent = text;
    }

    function render(p) {
      last = p;
      setText(format, p.format ? "Read as: " + (FORMATS[p.format] || p.format) : "");
      // Most keystrokes go from no error to no error: leave the empty list alone.
      if ((p.errors && p.errors.length) || errors.firstChild) renderErrors(p.errors);
      if (p.svg) {
        // Typing in a note or a name leaves the picture as it was: skip re-parsing the SVG.
        if (p.svg !== shownSvg) {
          chart.innerHTML = p.svg;
          shownSvg = p.svg;
        }
        chart.classList.remove("pl-stale");
      } else {
        // Keep the last good chart, dimmed, so the picture does not jump while typing.
        chart.classList.add("pl-stale");
      }
      if (p.ok || p.summary) {
        // A word joiner after each en dash between numbers, so a range such as "(252–278 W)"
        // never wraps after its dash.
        setText(summary, (p.summary || "").replace(/(\d)–(?=\d)/g, "$1–\u2060"));
        setText(notes, (p.description || []).join("\n"));
        setText(statDd.duration, fmtDuration(p.durationS));
        setText(statDd.distance, fmtDistance(p.distanceM));
        // A time-based workout has no planned distance: an empty "—" box only takes room.
        statDd.distance.parentElement.hidden = p.distanceM == null;
        setText(statDd.if, fmtNum(p.intensityFactor, 2));
        setText(statDd.tss, fmtNum(p.tss, 0));
      }
      // While the text has an error, the numbers still describe the last good workout: dim
      // them with the chart so that they are not read as this text's.
      for (const n of [summary, notes, stats]) n.classList.toggle("pl-stale", !p.ok);
      for (const b of buttons) b.disabled = !p.ok;
    }

    function settle() {
      const w = waiters;
      waiters = [];
      for (const r of w) r(last);
    }

    async function update() {
      timer = null;
      const mine = ++seq;
      const started = performance.now();
      let p;
      try {
        p = await api.preview(input.value, previewOptions());
      } catch (e) {
        p = { ok: false, errors: [{ line: null, column: null, path: null, message: String((e && e.message) || e) }] };
      }
      // A slower, older answer must not overwrite a newer one.
      if (destroyed || mine < shown) return;
      shown = mine;
      render(p);
      lastRenderMs = performance.now() - started;
      if (mine === seq) settle();
      if (typeof opts.onChange === "function") {
        try {
          opts.onChange(p);
        } catch (e) {
          // The host's callback failing must not stop the builder.
          console.error("PacelineBuilder onChange:", e);
        }
      }
    }

    function schedule(delay) {
      if (timer) clearTimeout(timer);
      timer = setTimeout(update, delay);
    }

    function flush() {
      if (timer) clearTimeout(timer);
      const done = new Promise((r) => waiters.push(r));
      update();
      return done;
    }

    async function doExport(kind) {
      if (!api.exportWorkout) return;
      status.classList.remove("pl-bad");
      status.textContent = "Exporting…";
      try {
        const f = await api.exportWorkout(input.value, kind, Object.assign(previewOptions(), opts.name ? { name: opts.name } : {}));
        const blob = f.base64 != null ? new Blob([base64ToBytes(f.base64)], { type: f.mime }) : new Blob([f.text], { type: f.mime });
        const url = URL.createObjectURL(blob);
        const a = el("a", "pl-download", { href: url, download: f.filename, hidden: "" });
        box.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10000);
        status.textContent = "Saved " + f.filename;
      } catch (e) {
        status.classList.add("pl-bad");
        status.textContent = "Could not export: " + String((e && e.message) || e);
      }
    }

    input.addEventListener("input", () => schedule(DEBOUNCE_MS));
    exports.hidden = typeof api.exportWorkout !== "function";
    applyTheme();
    input.value = opts.initialText || "";
    flush();

    return {
      getText: () => input.value,
      setText(text) {
        input.value = String(text == null ? "" : text);
        return flush();
      },
      setOptions(partial) {
        opts = Object.assign({}, opts, partial || {});
        applyTheme();
        return flush();
      },
      current: () => last,
      // How long the last preview took from request to rendered DOM, for the playground's
      // keystroke measurement.
      lastRenderMs: () => lastRenderMs,
      flush,
      destroy() {
        destroyed = true;
        if (timer) clearTimeout(timer);
        clearTimeout(resizeTimer);
        if (resizer) resizer.disconnect();
        style.remove();
        wrap.remove();
        settle();
      },
    };
  }

  globalThis.PacelineBuilder = { mount };
})();
