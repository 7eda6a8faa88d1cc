// The in-page workout builder on app.trainingpeaks.com: a content script (isolated world) that
// adds a floating "Paceline" button and, behind it, a panel with a date, a sport, a title, the
// workout builder (ui/builder.js, listed before this file in the manifest) and "Save to
// calendar" / "Open planned workout".
//
// Rules it keeps, because TrainingPeaks changes its page and we cannot see it from here:
// - It depends on nothing in the page's DOM: one element of its own (<paceline-overlay>) is
//   added to <html>, put back if the page removes it, and shown in the top layer (a manual
//   popover) where the browser supports it, so no z-index, transform or overflow of the page
//   can cover or clip it.
// - Its UI lives in a closed shadow root: the page's CSS cannot reach inside, its own styles
//   cannot leak out, and the page's scripts cannot read or click it. `:host` rules marked
//   !important win over the page's !important rules (the inner context wins for important
//   declarations), so even `* { display: none !important }` leaves the button alone.
// - Every entry point is wrapped: a failure is logged and shown in the panel, never thrown
//   into the page.
// - The wasm runs in the background (page CSPs block WebAssembly in content scripts): the
//   builder's `api` and the buttons send runtime messages (extension/js/overlay-messages.js,
//   which also checks that they come from this page). Save acts only on a real click
//   (`isTrusted`): that click is the person's approval of the write.
(() => {
  "use strict";
  // A second injection (e.g. the extension reloaded) must not add a second button.
  if (globalThis.__pacelineOverlay) return;
  globalThis.__pacelineOverlay = true;

  const TAG = "paceline-overlay";
  const SPORTS = [
    ["bike", "Bike"],
    ["run", "Run"],
    ["swim", "Swim"],
    ["mtb", "Mountain bike"],
    ["crosstrain", "Cross-train"],
    ["other", "Other"],
  ];
  const PREVIEW_SPORT = { bike: "ride", mtb: "ride", run: "run", swim: "swim" };
  // How many times the element is put back after the page removed it, before giving up (a page
  // that keeps removing it would otherwise be fought forever).
  const MAX_REATTACH = 20;

  const CSS = `
    :host {
      all: initial !important;
      display: block !important;
      position: fixed !important;
      inset: auto 16px 16px auto !important;
      width: auto !important; height: auto !important;
      margin: 0 !important; padding: 0 !important; border: 0 !important;
      background: transparent !important; overflow: visible !important;
      z-index: 2147483647 !important;
      visibility: visible !important; opacity: 1 !important;
      transform: none !important; filter: none !important; clip-path: none !important;
      pointer-events: none !important;
      color-scheme: light !important;
      font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif !important;
      color: #1d2433 !important;
    }
    .po-root { position: relative; pointer-events: none; }
    .po-root > * { pointer-events: auto; }
    button, input, select { font: inherit; color: inherit; }
    .po-fab { display: flex; align-items: center; gap: 6px; margin-left: auto; padding: 8px 14px 8px 10px;
      border: 0; border-radius: 999px; background: #1f5fc8; color: #fff; font-weight: 600; cursor: pointer;
      box-shadow: 0 2px 10px rgba(15, 30, 60, 0.3); }
    .po-fab:hover { background: #1a52ad; }
    .po-fab:focus-visible { outline: 3px solid #9cc0ff; outline-offset: 2px; }
    .po-fab svg { width: 18px; height: 18px; }
    .po-panel { position: absolute; right: 0; bottom: calc(100% + 10px); box-sizing: border-box;
      width: min(980px, calc(100vw - 32px)); max-height: calc(100vh - 90px); overflow: hidden;
      padding: 12px 14px; border: 1px solid #d3d8e0; border-radius: 10px; background: #fff;
      box-shadow: 0 8px 30px rgba(15, 30, 60, 0.25); display: flex; flex-direction: column; gap: 10px; }
    .po-panel[hidden] { display: none; }
    /* The builder scrolls inside the panel, so the fields and the Save button stay in view
       however tall the preview grows. */
    .po-builder { flex: 1 1 auto; min-height: 120px; overflow: auto; }
    .po-head { display: flex; align-items: center; gap: 8px; }
    .po-head strong { font-size: 15px; }
    .po-mode { flex: 1; color: #5b6475; font-size: 12px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    .po-close { border: 0; background: transparent; font-size: 20px; line-height: 1; cursor: pointer; padding: 2px 6px; color: #5b6475; }
    .po-fields { display: flex; flex-wrap: wrap; gap: 8px 12px; align-items: end; }
    .po-fields label { display: flex; flex-direction: column; gap: 2px; font-size: 12px; color: #5b6475; }
    .po-fields label.po-grow { flex: 1; min-width: 180px; }
    .po-fields input, .po-fields select { box-sizing: border-box; height: 30px; padding: 3px 6px;
      border: 1px solid #b9c0cc; border-radius: 6px; background: #fff; color: #1d2433; }
    .po-actions { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
    .po-actions .po-spacer { flex: 1; }
    .po-btn { padding: 6px 12px; border: 1px solid #b9c0cc; border-radius: 6px; background: #f5f7fa; cursor: pointer; }
    .po-btn:hover { background: #eaeef4; }
    .po-btn:disabled { opacity: 0.55; cursor: default; }
    .po-primary { border-color: #1f5fc8; background: #1f5fc8; color: #fff; font-weight: 600; }
    .po-primary:hover { background: #1a52ad; }
    .po-list { margin: 0; padding: 0; list-style: none; display: flex; flex-direction: column; gap: 4px; }
    .po-list:empty { display: none; }
    .po-list button { width: 100%; text-align: left; padding: 5px 8px; border: 1px solid #d3d8e0; border-radius: 6px; background: #fff; cursor: pointer; }
    .po-list button:hover { background: #f0f4fb; }
    .po-list small { color: #5b6475; }
    .po-thr { margin: -4px 0 0; font-size: 12px; color: #5b6475; }
    .po-thr:empty { display: none; }
    .po-status:empty { display: none; }
    .po-status { margin: 0; min-height: 1.4em; font-size: 12px; color: #2e6b3f; }
    .po-status.po-bad { color: #c0362c; }
  `;

  const el = (tag, props = {}, ...children) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props)) {
      if (k === "class") e.className = v;
      else if (k === "text") e.textContent = v;
      else if (k in e && typeof v !== "string") e[k] = v;
      else e.setAttribute(k, v);
    }
    e.append(...children);
    return e;
  };

  function icon() {
    const NS = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(NS, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    const path = document.createElementNS(NS, "path");
    // A heart-rate style line: the workout profile idea in one glyph.
    path.setAttribute("d", "M2 13h4l2-6 4 11 3-8 2 3h5");
    path.setAttribute("fill", "none");
    path.setAttribute("stroke", "currentColor");
    path.setAttribute("stroke-width", "2.2");
    path.setAttribute("stroke-linecap", "round");
    path.setAttribute("stroke-linejoin", "round");
    svg.append(path);
    return svg;
  }

  const today = () => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
  };

  /** One request to the background; resolves to its answer, throws its error as readable text. */
  async function send(msg) {
    let answer;
    try {
      answer = await chrome.runtime.sendMessage(msg);
    } catch (e) {
      const text = String(e?.message ?? e);
      throw new Error(
        /context invalidated|Receiving end does not exist/i.test(text)
          ? "Paceline was updated or restarted: reload this page to use the builder again."
          : `Paceline could not be reached: ${text}`,
      );
    }
    if (!answer || answer.ok !== true) throw new Error(answer?.error ?? "Paceline did not answer.");
    return answer;
  }

  function start() {
    const host = document.createElement(TAG);
    // Inline !important as a second line of defence for the host box itself.
    host.setAttribute("style", "all: initial !important; position: fixed !important; z-index: 2147483647 !important; display: block !important;");
    const shadow = host.attachShadow({ mode: "closed" });
    addStyles(shadow);

    const status = el("p", { class: "po-status", role: "status" });
    const setStatus = (text, bad = false) => {
      status.textContent = text;
      status.classList.toggle("po-bad", bad);
    };
    // Whatever fails inside stays inside: logged, and shown to the person when the panel exists.
    const guard =
      (f) =>
      (...args) => {
        const fail = (e) => {
          console.warn("paceline overlay:", e);
          setStatus(String(e?.message ?? e), true);
        };
        try {
          const r = f(...args);
          if (r && typeof r.then === "function") r.catch(fail);
        } catch (e) {
          fail(e);
        }
      };

    const fab = el("button", { class: "po-fab", type: "button", "aria-expanded": "false", "aria-haspopup": "dialog", title: "Paceline workout builder" }, icon(), "Paceline");
    const close = el("button", { class: "po-close", type: "button", "aria-label": "Close", text: "×" });
    const mode = el("span", { class: "po-mode" });
    const date = el("input", { type: "date", value: today(), required: "" });
    const sport = el("select", {}, ...SPORTS.map(([v, label]) => el("option", { value: v, text: label })));
    const title = el("input", { type: "text", placeholder: "e.g. Sweet spot 3x15", maxlength: "200" });
    const builderRoot = el("div", { class: "po-builder" });
    const openBtn = el("button", { class: "po-btn po-open", type: "button", text: "Open planned workout" });
    const newBtn = el("button", { class: "po-btn po-new", type: "button", text: "New" });
    const saveBtn = el("button", { class: "po-btn po-primary po-save", type: "button", text: "Save to calendar" });
    const list = el("ul", { class: "po-list", "aria-label": "Planned workouts" });
    // Which of the athlete's thresholds the preview uses (or why it uses none).
    const thrNote = el("p", { class: "po-thr", "aria-live": "polite" });
    const panel = el(
      "section",
      { class: "po-panel", role: "dialog", "aria-label": "Paceline workout builder", hidden: "" },
      el("div", { class: "po-head" }, el("strong", { text: "Paceline" }), mode, close),
      el(
        "div",
        { class: "po-fields" },
        el("label", {}, "Date", date),
        el("label", {}, "Sport", sport),
        el("label", { class: "po-grow" }, "Title", title),
      ),
      thrNote,
      builderRoot,
      el("div", { class: "po-actions" }, openBtn, newBtn, el("span", { class: "po-spacer" }), saveBtn),
      list,
      status,
    );
    shadow.append(el("div", { class: "po-root" }, panel, fab));

    // The workout being edited (opened from the calendar or just created), or null for a new one.
    let editing = null;
    let builder = null;
    let lastPreview = null;
    const showMode = () => {
      mode.textContent = editing ? `Editing "${editing.title}"` : "New workout";
      saveBtn.textContent = editing ? "Save changes" : "Save to calendar";
    };
    showMode();

    // The athlete's thresholds per panel sport (overlay-messages.js `sportThresholds`), read once
    // each time the panel opens. Until they arrive, or if they cannot be read, the preview
    // works in % of threshold: nothing waits for them.
    let thresholds = null;
    let thresholdsFailed = null;
    let openings = 0;
    const previewSettings = () => {
      const t = thresholds?.[sport.value] ?? {};
      // Every key given, so a sport without a value clears the previous sport's.
      return {
        sport: PREVIEW_SPORT[sport.value] ?? "other",
        ftpW: t.ftpW,
        lthrBpm: t.lthrBpm,
        maxHrBpm: t.maxHrBpm,
        thresholdSpeedMps: t.thresholdSpeedMps,
        units: t.units,
      };
    };
    const pace = (mps, per, unit) => {
      const s = Math.round(per / mps);
      return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}${unit}`;
    };
    const showThresholds = () => {
      // The reason goes in the tooltip (and the console): the line itself stays short.
      thrNote.title = thresholdsFailed ?? "";
      if (thresholdsFailed) {
        thrNote.textContent = "Your thresholds could not be read from TrainingPeaks: intensities are in % of threshold.";
        return;
      }
      if (!thresholds) {
        thrNote.textContent = "";
        return;
      }
      const t = thresholds[sport.value] ?? {};
      const parts = [];
      if (t.ftpW) parts.push(`FTP ${Math.round(t.ftpW)} W`);
      if (t.thresholdSpeedMps)
        parts.push(
          sport.value === "swim"
            ? `CSS ${t.units === "imperial" ? pace(t.thresholdSpeedMps, 91.44, "/100yd") : pace(t.thresholdSpeedMps, 100, "/100m")}`
            : `threshold pace ${t.units === "imperial" ? pace(t.thresholdSpeedMps, 1609.344, "/mi") : pace(t.thresholdSpeedMps, 1000, "/km")}`,
        );
      if (t.lthrBpm) parts.push(`threshold HR ${Math.round(t.lthrBpm)} bpm`);
      if (t.maxHrBpm) parts.push(`max HR ${Math.round(t.maxHrBpm)} bpm`);
      thrNote.textContent = parts.length
        ? `Your thresholds from TrainingPeaks: ${parts.join(" · ")}`
        : "TrainingPeaks has no thresholds for this sport: intensities are in % of threshold.";
    };
    const applySettings = () => {
      showThresholds();
      return builder?.setOptions(previewSettings());
    };
    const loadThresholds = async () => {
      const mine = ++openings;
      try {
        const answer = await send({ type: "overlay:thresholds" });
        if (mine !== openings) return;
        thresholds = answer.thresholds ?? {};
        thresholdsFailed = null;
      } catch (e) {
        if (mine !== openings) return;
        // Keep what an earlier opening read; the preview goes on in % otherwise.
        thresholdsFailed = thresholds ? null : String(e?.message ?? e).replace(/[.\s]+$/, "");
        console.warn("paceline overlay: thresholds", e);
      }
      await applySettings();
    };

    const api = {
      preview: async (input, options) => (await send({ type: "overlay:preview", input, options })).preview,
    };
    const mountBuilder = () => {
      if (builder) return;
      const B = globalThis.PacelineBuilder;
      if (!B || typeof B.mount !== "function") throw new Error("The workout builder did not load; reload the page.");
      builder = B.mount(builderRoot, api, {
        theme: "light",
        ...previewSettings(),
        onChange: (p) => {
          lastPreview = p;
        },
      });
    };

    const toggle = (open) => {
      panel.hidden = !open;
      fab.setAttribute("aria-expanded", String(open));
      if (open) {
        mountBuilder();
        shadow.querySelector("textarea")?.focus();
        guard(loadThresholds)();
      }
    };
    fab.addEventListener("click", guard(() => toggle(panel.hidden)));
    close.addEventListener("click", guard(() => toggle(false)));
    panel.addEventListener(
      "keydown",
      guard((e) => {
        if (e.key === "Escape") toggle(false);
      }),
    );
    sport.addEventListener("change", guard(applySettings));

    newBtn.addEventListener(
      "click",
      guard(() => {
        editing = null;
        title.value = "";
        list.replaceChildren();
        builder?.setText("");
        showMode();
        setStatus("");
      }),
    );

    openBtn.addEventListener(
      "click",
      guard(async () => {
        setStatus("Looking for planned workouts…");
        list.replaceChildren();
        const { workouts } = await send({ type: "overlay:list", date: date.value });
        const planned = workouts.filter((w) => !w.completed);
        if (!planned.length) {
          setStatus(`No planned workout on ${date.value}.`);
          return;
        }
        setStatus(`${planned.length} planned on ${date.value}: pick one to edit.`);
        for (const w of planned) {
          const b = el("button", { type: "button", "data-workout-id": String(w.id) }, `${w.title || "Untitled"} `, el("small", { text: w.sport }));
          b.addEventListener("click", guard(() => openWorkout(w.id)));
          list.append(el("li", {}, b));
        }
      }),
    );

    async function openWorkout(id) {
      setStatus("Opening…");
      const { workout } = await send({ type: "overlay:open", workoutId: id });
      mountBuilder();
      editing = { id: workout.id, title: workout.title };
      title.value = workout.title;
      if (workout.date) date.value = workout.date;
      const s = String(workout.sport).toLowerCase();
      sport.value = SPORTS.some(([v]) => v === s) ? s : "other";
      showThresholds();
      builder.setOptions(previewSettings());
      builder.setText(workout.text);
      list.replaceChildren();
      showMode();
      setStatus(workout.format === "none" ? "This workout has no structure yet: type one." : "");
    }

    saveBtn.addEventListener(
      "click",
      guard(async (e) => {
        // Only a person's click saves: a script cannot reach into the closed root, and this
        // refuses a synthetic event should one ever get here.
        if (!e.isTrusted) return;
        mountBuilder();
        const input = builder.getText();
        if (!input.trim()) throw new Error("Type a workout first.");
        const name = title.value.trim() || lastPreview?.description?.[0]?.trim() || "Workout";
        saveBtn.disabled = true;
        setStatus("Saving…");
        try {
          const answer = await send({
            type: "overlay:save",
            date: date.value,
            sport: sport.value,
            title: name,
            input,
            workoutId: editing?.id ?? null,
            options: previewSettings(),
          });
          // After a create, further saves update the same workout ("New" starts another).
          if (answer.id != null) editing = { id: answer.id, title: name };
          title.value = name;
          showMode();
          setStatus(answer.message);
        } finally {
          saveBtn.disabled = false;
        }
      }),
    );

    attach(host);
  }

  function addStyles(shadow) {
    // A constructed sheet where the browser allows one from a content script; a <style> element
    // otherwise (Firefox's content-script wrappers can refuse the adopted array).
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      shadow.adoptedStyleSheets = [sheet];
      if (shadow.adoptedStyleSheets.length === 1) return;
    } catch {
      // fall through
    }
    const style = document.createElement("style");
    style.textContent = CSS;
    shadow.append(style);
  }

  function attach(host) {
    let reattached = 0;
    const show = () => {
      document.documentElement.append(host);
      // The top layer, where supported: above every page element whatever its z-index, and
      // not clipped or hidden by the page's transforms, filters or overflow.
      try {
        if (typeof host.showPopover === "function") {
          if (!host.hasAttribute("popover")) host.setAttribute("popover", "manual");
          host.showPopover();
        }
      } catch (e) {
        console.debug("paceline overlay: no top layer", e);
      }
    };
    // Watching only <html>'s children and the document's (not the whole tree) keeps this
    // free on a busy single-page app: the element is a child of <html>.
    const watcher = new MutationObserver(() => {
      try {
        if (host.isConnected || reattached >= MAX_REATTACH) return;
        reattached++;
        show();
        watcher.observe(document.documentElement, { childList: true });
      } catch (e) {
        console.warn("paceline overlay:", e);
      }
    });
    show();
    watcher.observe(document, { childList: true });
    watcher.observe(document.documentElement, { childList: true });
  }

  try {
    start();
  } catch (e) {
    console.warn("paceline overlay: could not start", e);
  }
})();
