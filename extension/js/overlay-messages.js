// The background's side of the in-page workout builder on app.trainingpeaks.com
// (extension/js/overlay/overlay.js). The builder's content script cannot run the wasm itself
// (page CSPs block WebAssembly in content scripts), so it sends runtime messages here:
//
//   overlay:preview {input, options}              -> {ok, preview}
//   overlay:list    {date}                        -> {ok, workouts: [{id, title, sport, completed}]}
//   overlay:open    {workoutId}                   -> {ok, workout: {id, title, sport, date, text, format}}
//   overlay:save    {date, sport, title, input, workoutId?, options?} -> {ok, id, created, message}
//   overlay:thresholds {}                         -> {ok, thresholds: {bike: {ftpW, lthrBpm, maxHrBpm}, run: {thresholdSpeedMps, ...}, ...}}
//
// Every answer is `{ok: false, error}` on failure, `error` a sentence for the panel.
//
// Trust: only a top-level app.trainingpeaks.com page may send these (senders.js
// `isTrainingPeaksPage`), and only five TrainingPeaks tools run: the four workout tools and the
// read-only `get_athlete_settings`, whose FTP, threshold paces and heart rates the preview
// shows its watts, paces and bpm with. Every call goes through the background's `runTool`, the
// path MCP calls take (read-only switch, wasm, session cache), and is written to the activity
// log; the person's click on Save in the panel is the approval, so no confirmation window
// opens. This gives the page nothing it does not already have: a TrainingPeaks page can read
// the athlete's settings and change its own calendar with its own session anyway. Kept out of
// background.js so Node can test it with stand-ins (extension/tests/node/overlay.test.mjs).

import { isTrainingPeaksPage } from "./senders.js";

const PREFIX = "overlay:";
/** Longest workout text accepted (a 20-block workout is about 1 KB). */
export const MAX_INPUT = 20_000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** What the panel offers (TrainingPeaks sport names, as `create_workout` takes them). */
export const SPORTS = ["bike", "run", "swim", "mtb", "crosstrain", "other"];
/** The builder's preview sport (the text syntax's default pace unit) for a TrainingPeaks sport. */
const PREVIEW_SPORT = { bike: "ride", mtb: "ride", run: "run", swim: "swim" };
const SOURCE = "TrainingPeaks page";
/**
 * Where each panel sport finds its thresholds among TrainingPeaks' zone sets: the sport's own
 * set (`workoutTypeId`: 1 swim, 2 bike, 3 run, 8 mountain bike) first, then the fallbacks, 0
 * being the default set. Speed set 0 is the run's (TrainingPeaks keeps the swim's in set 1), so
 * a swim never falls back to it: a swim without its own threshold stays in %.
 */
const ZONE_SETS = {
  bike: { power: [2, 0], hr: [2, 0], speed: [] },
  mtb: { power: [8, 2, 0], hr: [8, 2, 0], speed: [] },
  run: { power: [3], hr: [3, 0], speed: [3, 0] },
  swim: { power: [], hr: [1, 0], speed: [1] },
  crosstrain: { power: [5, 0], hr: [5, 0], speed: [] },
  other: { power: [0], hr: [0], speed: [] },
};

/** Whether a runtime message is for this handler (background.js routes on this). */
export function isOverlayMessage(msg) {
  return typeof msg?.type === "string" && msg.type.startsWith(PREFIX);
}

class Refusal extends Error {}

const fail = (error) => ({ ok: false, error });

function field(msg, name, check, what) {
  const v = msg?.[name];
  if (!check(v)) throw new Refusal(`${name}: ${what}.`);
  return v;
}

const day = (msg, name) =>
  field(msg, name, (v) => typeof v === "string" && DAY.test(v), "expected a date as YYYY-MM-DD");
const sport = (msg) =>
  field(msg, "sport", (v) => SPORTS.includes(v), `expected one of ${SPORTS.join(", ")}`);
const input = (msg) =>
  field(msg, "input", (v) => typeof v === "string" && v.length <= MAX_INPUT, `expected text of at most ${MAX_INPUT} characters`);
const workoutId = (msg) =>
  field(msg, "workoutId", (v) => Number.isSafeInteger(v) && v > 0, "expected a workout id (a positive whole number)");

/** Preview options as the builder sends them, keeping only what `previewWorkout` reads. */
function previewOptions(o) {
  const out = {};
  if (o === null || typeof o !== "object") return out;
  for (const k of ["sport", "theme", "units"]) if (typeof o[k] === "string") out[k] = o[k];
  for (const k of ["ftpW", "lthrBpm", "maxHrBpm", "thresholdSpeedMps", "width", "height"]) {
    if (typeof o[k] === "number" && Number.isFinite(o[k])) out[k] = o[k];
  }
  return out;
}

const positive = (v) => (typeof v === "number" && Number.isFinite(v) && v > 0 ? v : undefined);

/** The first set, in `ids` order, whose `key` is a positive number: that number. */
function pick(sets, ids, key) {
  const list = Array.isArray(sets) ? sets : [];
  for (const id of ids) {
    const v = positive(list.find((s) => s?.workout_type_id === id)?.[key]);
    if (v !== undefined) return v;
  }
  return undefined;
}

/**
 * Per panel sport, the preview options `get_athlete_settings`' answer gives (`ftpW`, `lthrBpm`,
 * `maxHrBpm`, `thresholdSpeedMps`, and `units: "imperial"` when the athlete's TrainingPeaks
 * units are, so paces read per mile or 100 yd); a value TrainingPeaks does not have is left
 * out, and that sport's targets of it stay in %.
 */
export function sportThresholds(settings) {
  const out = {};
  const units = settings?.profile?.units === "imperial" ? "imperial" : undefined;
  for (const [name, ids] of Object.entries(ZONE_SETS)) {
    const t = {
      ftpW: pick(settings?.power_zone_sets, ids.power, "ftp_w"),
      lthrBpm: pick(settings?.hr_zone_sets, ids.hr, "threshold_bpm"),
      maxHrBpm: pick(settings?.hr_zone_sets, ids.hr, "max_hr_bpm"),
      thresholdSpeedMps: pick(settings?.speed_zone_sets, ids.speed, "threshold_mps"),
      units,
    };
    out[name] = Object.fromEntries(Object.entries(t).filter(([, v]) => v !== undefined));
  }
  return out;
}

/**
 * Makes the handler. `deps`:
 * - `runtimeId`: this extension's id;
 * - `runTool(tool, args, {approved})`: background.js's tool runner;
 * - `preview(input, optionsJson)` / `workoutText(structureJson)`: the wasm exports (async,
 *   after the module has started);
 * - `record(entry)`, `summarise(args)`: activity.js's.
 * Returns `(msg, sender, sendResponse) => boolean`, a `runtime.onMessage` listener body.
 */
export function createOverlayHandler(deps) {
  async function runLogged(tool, args, approved) {
    const started = Date.now();
    let outcome;
    try {
      outcome = await deps.runTool(tool, args, { approved });
    } catch (e) {
      outcome = { ok: false, code: e?.code ?? "internal", message: String(e?.message ?? e) };
    }
    deps.record({
      time: new Date(started).toISOString(),
      tool,
      args: deps.summarise(args),
      outcome: outcome.ok ? "ok" : outcome.code,
      message: outcome.ok ? undefined : outcome.message,
      ms: Date.now() - started,
      via: SOURCE,
    });
    if (!outcome.ok) throw new Refusal(outcome.message);
    return outcome.result;
  }

  // With the thresholds the panel previewed with, so a target in watts, bpm or pace saves as
  // it was shown (the structure itself is in % of threshold).
  async function compile(text, sportName, options) {
    const opts = { ...previewOptions(options), sport: PREVIEW_SPORT[sportName] ?? "other" };
    const p = JSON.parse(await deps.preview(text, JSON.stringify(opts)));
    if (!p.ok) {
      const e = p.errors?.[0];
      const where = e?.line != null ? `line ${e.line}${e.column != null ? `, column ${e.column}` : ""}: ` : "";
      throw new Refusal(`The workout has ${p.errors?.length ?? 0} problem(s); nothing was saved. ${where}${e?.message ?? ""}`);
    }
    return p;
  }

  const handlers = {
    // Read once per panel opening (overlay.js), never per keystroke.
    async thresholds() {
      const out = await runLogged("get_athlete_settings", {}, false);
      return { thresholds: sportThresholds(out?.structured) };
    },

    async preview(msg) {
      const p = await deps.preview(input(msg), JSON.stringify(previewOptions(msg.options)));
      return { preview: JSON.parse(p) };
    },

    async list(msg) {
      const date = day(msg, "date");
      const out = await runLogged("get_workouts", { start_date: date, end_date: date }, false);
      const workouts = (out?.structured?.workouts ?? [])
        .filter((w) => w && w.workout_id != null)
        .map((w) => ({ id: w.workout_id, title: w.title, sport: w.sport, completed: w.completed === true }));
      return { workouts };
    },

    async open(msg) {
      const id = workoutId(msg);
      const out = await runLogged("get_workout", { workout_id: id }, false);
      const w = out?.structured ?? {};
      let text = "";
      let format = "none";
      if (w.structure != null) {
        const json = typeof w.structure === "string" ? w.structure : JSON.stringify(w.structure);
        try {
          text = await deps.workoutText(json);
          format = "text";
        } catch {
          // What the text syntax cannot carry still opens, as the structure JSON the builder
          // also reads.
          text = JSON.stringify(typeof w.structure === "string" ? JSON.parse(w.structure) : w.structure, null, 2);
          format = "json";
        }
      }
      return { workout: { id, title: w.title ?? "", sport: w.sport ?? "", date: w.date ?? null, text, format } };
    },

    async save(msg) {
      const text = input(msg);
      const s = sport(msg);
      const title = field(msg, "title", (v) => typeof v === "string" && v.trim().length > 0 && v.length <= 200, "expected a title (1 to 200 characters)").trim();
      const date = day(msg, "date");
      const p = await compile(text, s, msg.options);
      const description = p.description?.length ? p.description.join("\n") : undefined;
      if (msg.workoutId !== undefined && msg.workoutId !== null) {
        const id = workoutId(msg);
        await runLogged("update_workout", { workout_id: id, title, date, structure: p.structure }, true);
        return { id, created: false, message: `Saved "${title}" on ${date}.` };
      }
      const args = { date, sport: s, title, structure: p.structure };
      if (description) args.description = description;
      const out = await runLogged("create_workout", args, true);
      const id = out?.structured?.workout_id ?? null;
      return { id, created: true, message: `Added "${title}" to your calendar on ${date}.` };
    },
  };

  return function onOverlayMessage(msg, sender, sendResponse) {
    if (!isTrainingPeaksPage(sender, deps.runtimeId)) {
      console.warn("paceline: refused a builder message from outside app.trainingpeaks.com", sender?.url);
      sendResponse(fail("Paceline's workout builder only answers pages on https://app.trainingpeaks.com."));
      return false;
    }
    const handler = handlers[msg.type.slice(PREFIX.length)];
    if (!handler) {
      sendResponse(fail(`Unknown builder request "${msg.type}".`));
      return false;
    }
    handler(msg)
      .then((answer) => sendResponse({ ok: true, ...answer }))
      .catch((e) => sendResponse(fail(e instanceof Refusal ? e.message : `Paceline failed: ${e?.message ?? e}`)));
    return true; // answered asynchronously
  };
}
