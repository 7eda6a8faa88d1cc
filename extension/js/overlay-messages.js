// The background's side of the in-page workout builder on app.trainingpeaks.com
// (extension/js/overlay/overlay.js). The builder's content script cannot run the wasm itself
// (page CSPs block WebAssembly in content scripts), so it sends runtime messages here:
//
//   overlay:preview {input, options}              -> {ok, preview}
//   overlay:list    {date}                        -> {ok, workouts: [{id, title, sport, completed}]}
//   overlay:open    {workoutId}                   -> {ok, workout: {id, title, sport, date, text, format}}
//   overlay:save    {date, sport, title, input, workoutId?} -> {ok, id, created, message}
//
// Every answer is `{ok: false, error}` on failure, `error` a sentence for the panel.
//
// Trust: only a top-level app.trainingpeaks.com page may send these (senders.js
// `isTrainingPeaksPage`), and only the four TrainingPeaks workout tools run. Saves go through
// the background's `runTool`, the path MCP calls take (read-only switch, wasm, session cache)
// and are written to the activity log; the person's click on Save in the panel is the
// approval, so no confirmation window opens. This gives the page nothing it does not already
// have: a TrainingPeaks page can change its own calendar with its own session anyway. Kept out
// of background.js so Node can test it with stand-ins (extension/tests/node/overlay.test.mjs).

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
  for (const k of ["sport", "theme"]) if (typeof o[k] === "string") out[k] = o[k];
  for (const k of ["ftpW", "lthrBpm", "maxHrBpm", "thresholdSpeedMps", "width", "height"]) {
    if (typeof o[k] === "number" && Number.isFinite(o[k])) out[k] = o[k];
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

  async function compile(text, sportName) {
    const p = JSON.parse(await deps.preview(text, JSON.stringify({ sport: PREVIEW_SPORT[sportName] ?? "other" })));
    if (!p.ok) {
      const e = p.errors?.[0];
      const where = e?.line != null ? `line ${e.line}${e.column != null ? `, column ${e.column}` : ""}: ` : "";
      throw new Refusal(`The workout has ${p.errors?.length ?? 0} problem(s); nothing was saved. ${where}${e?.message ?? ""}`);
    }
    return p;
  }

  const handlers = {
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
      const p = await compile(text, s);
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
