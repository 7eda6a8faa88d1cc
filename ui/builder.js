// A MINIMAL stand-in for the workout builder component (contract: BUILDER_CONTRACT.md, shared
// by the www playground and the TrainingPeaks overlay). It exists so the overlay can be built
// and tested on its own branch; the full component from the www work replaces this file, and the
// overlay relies only on the contract: `PacelineBuilder.mount(root, api, options)`, the `pl-`
// selectors, one <style> inside `root`, nothing outside it.
//
// A classic script (no import/export), so it can be listed in a manifest `content_scripts`
// entry and in a page's `<script src>`.
(() => {
  "use strict";
  if (globalThis.PacelineBuilder) return;

  const DEBOUNCE_MS = 40;
  const CSS = `
    .pl-builder { display: flex; flex-direction: column; gap: 8px; font: inherit; color: inherit; }
    .pl-input { box-sizing: border-box; width: 100%; min-height: 11em; resize: vertical;
      font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; padding: 6px 8px;
      border: 1px solid #b9c0cc; border-radius: 6px; color: inherit; background: transparent; }
    .pl-input:focus { outline: 2px solid #2f6fde; outline-offset: 0; }
    .pl-chart svg { display: block; width: 100%; height: auto; }
    .pl-chart:empty { display: none; }
    .pl-summary { margin: 0; font-size: 12px; opacity: 0.85; }
    .pl-stats { display: flex; flex-wrap: wrap; gap: 4px 14px; margin: 0; padding: 0; list-style: none; font-size: 12px; }
    .pl-stats b { font-weight: 600; }
    .pl-errors { margin: 0; padding-left: 18px; color: #c0362c; font-size: 12px; }
    .pl-errors:empty { display: none; }
  `;

  const el = (tag, cls) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    return e;
  };

  function hms(s) {
    const t = Math.round(s);
    const h = Math.floor(t / 3600);
    const m = Math.floor((t % 3600) / 60);
    const sec = t % 60;
    return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${String(sec).padStart(2, "0")}` : `${m}:${String(sec).padStart(2, "0")}`;
  }

  function mount(root, api, options = {}) {
    let opts = { theme: "light", ...options };
    let last = null;
    let seq = 0; // each request's number; an answer older than the newest shown is dropped
    let shown = 0;
    let timer = null;

    const style = el("style");
    style.textContent = CSS;
    const wrap = el("div", "pl-builder");
    const input = el("textarea", "pl-input");
    input.spellcheck = false;
    input.placeholder = "10m 55%\n3x\n- 15m 95-105%\n- 5m 55%\n10m 50%";
    input.setAttribute("aria-label", "Workout");
    const errors = el("ul", "pl-errors");
    const chart = el("div", "pl-chart");
    const summary = el("p", "pl-summary");
    const stats = el("ul", "pl-stats");
    wrap.append(input, errors, chart, summary, stats);
    root.append(style, wrap);

    const previewOptions = () => ({
      sport: opts.sport,
      ftpW: opts.ftpW,
      lthrBpm: opts.lthrBpm,
      maxHrBpm: opts.maxHrBpm,
      thresholdSpeedMps: opts.thresholdSpeedMps,
      theme: opts.theme,
      width: 640,
      height: 200,
    });

    function render(p) {
      errors.replaceChildren();
      chart.replaceChildren();
      summary.textContent = "";
      stats.replaceChildren();
      for (const e of p?.errors ?? []) {
        const li = el("li");
        if (e.line != null) li.dataset.line = String(e.line);
        if (e.column != null) li.dataset.column = String(e.column);
        li.textContent = e.line != null ? `Line ${e.line}${e.column != null ? `, column ${e.column}` : ""}: ${e.message}` : e.message;
        errors.append(li);
      }
      if (!p?.ok) return;
      if (p.svg) {
        // The SVG comes from our own renderer in core; parsed as SVG (never as HTML), so it
        // cannot carry script into the page.
        const doc = new DOMParser().parseFromString(p.svg, "image/svg+xml");
        const svg = doc.documentElement;
        if (svg && svg.nodeName === "svg") chart.append(document.importNode(svg, true));
      }
      summary.textContent = p.summary ?? "";
      const add = (label, value) => {
        if (value == null) return;
        const li = el("li");
        const b = el("b");
        b.textContent = value;
        li.append(`${label} `, b);
        stats.append(li);
      };
      add("Duration", p.durationS != null ? hms(p.durationS) : null);
      add("Distance", p.distanceM != null ? `${(p.distanceM / 1000).toFixed(2)} km` : null);
      add("IF", p.intensityFactor != null ? p.intensityFactor.toFixed(2) : null);
      add("TSS", p.tss != null ? String(Math.round(p.tss)) : null);
    }

    async function update() {
      const mine = ++seq;
      const text = input.value;
      let p;
      if (!text.trim()) {
        p = null;
      } else {
        try {
          p = await api.preview(text, previewOptions());
        } catch (e) {
          p = { ok: false, errors: [{ line: null, column: null, message: String(e?.message ?? e) }] };
        }
      }
      if (mine < shown) return;
      shown = mine;
      last = p;
      render(p);
      try {
        opts.onChange?.(p);
      } catch (e) {
        console.warn("paceline builder: onChange failed", e);
      }
    }

    const schedule = () => {
      clearTimeout(timer);
      timer = setTimeout(update, DEBOUNCE_MS);
    };
    input.addEventListener("input", schedule);
    if (opts.initialText) {
      input.value = opts.initialText;
      schedule();
    }

    return {
      getText: () => input.value,
      setText(text) {
        input.value = text ?? "";
        schedule();
      },
      setOptions(partial) {
        opts = { ...opts, ...partial };
        schedule();
      },
      current: () => last,
      destroy() {
        clearTimeout(timer);
        seq = Number.MAX_SAFE_INTEGER; // answers still in flight are dropped
        shown = seq;
        style.remove();
        wrap.remove();
      },
    };
  }

  globalThis.PacelineBuilder = { mount };
})();
