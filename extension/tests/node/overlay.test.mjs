// The background's side of the in-page builder (overlay-messages.js) and the sender check it
// relies on (senders.js), run under Node: the shipped files, with stand-ins only for what they
// are given (the tool runner, the wasm exports, the activity log).
import { test } from "node:test";
import assert from "node:assert/strict";
import { isTrainingPeaksPage } from "../../js/senders.js";
import { createOverlayHandler, isOverlayMessage, sportThresholds } from "../../js/overlay-messages.js";

const ID = "ldmgjianhngkmdonfaallcdjhibfejml";
const TP = { id: ID, url: "https://app.trainingpeaks.com/#calendar", origin: "https://app.trainingpeaks.com", frameId: 0, tab: { id: 3 } };

test("only a top frame of https://app.trainingpeaks.com counts as the builder's page", () => {
  const cases = [
    ["the app's page", TP, true],
    ["without origin (Firefox)", { ...TP, origin: undefined }, true],
    ["another extension", { ...TP, id: "someone-else" }, false],
    ["plain http", { ...TP, url: "http://app.trainingpeaks.com/", origin: "http://app.trainingpeaks.com" }, false],
    ["a look-alike host", { ...TP, url: "https://app.trainingpeaks.com.example.net/", origin: undefined }, false],
    ["another TrainingPeaks host", { ...TP, url: "https://tpapi.trainingpeaks.com/", origin: undefined }, false],
    ["an other port", { ...TP, url: "https://app.trainingpeaks.com:8443/", origin: undefined }, false],
    ["origin disagrees with url", { ...TP, origin: "https://evil.example" }, false],
    ["an iframe in the page", { ...TP, frameId: 7 }, false],
    ["not in a tab (an extension page)", { ...TP, tab: undefined }, false],
    ["the popup", { id: ID, url: `chrome-extension://${ID}/extension/js/popup/popup.html`, origin: `chrome-extension://${ID}` }, false],
    ["no url", { id: ID, tab: { id: 1 } }, false],
    ["nothing", undefined, false],
  ];
  for (const [name, sender, want] of cases) assert.equal(isTrainingPeaksPage(sender, ID), want, name);
});

test("builder messages are told apart by their type", () => {
  assert.equal(isOverlayMessage({ type: "overlay:save" }), true);
  assert.equal(isOverlayMessage({ type: "status" }), false);
  assert.equal(isOverlayMessage(null), false);
});

const GOOD = { ok: true, structure: { structure: [] }, description: ["Sweet spot"], errors: [] };

/** A handler over stand-ins; `calls` and `log` record what it did. */
/** `get_athlete_settings`' structured answer for an athlete with the usual sets. */
const SETTINGS = {
  thresholds: { ftp_w: 265 },
  power_zone_sets: [{ workout_type_id: 0, ftp_w: 265, zones: [] }],
  hr_zone_sets: [
    { workout_type_id: 0, threshold_bpm: 172, max_hr_bpm: 191, resting_hr_bpm: 46, zones: [] },
    { workout_type_id: 2, threshold_bpm: 165, max_hr_bpm: 186, resting_hr_bpm: 46, zones: [] },
  ],
  speed_zone_sets: [
    { workout_type_id: 0, threshold_mps: 1000 / 255, zones: [] },
    { workout_type_id: 1, threshold_mps: 100 / 98, zones: [] },
    { workout_type_id: 2, threshold_mps: 10.5, zones: [] },
  ],
};

function harness({ preview = GOOD, outcome = null, text = "3x\n- 10m 90%", settings = SETTINGS } = {}) {
  const calls = [];
  const log = [];
  const previews = [];
  const handle = createOverlayHandler({
    runtimeId: ID,
    runTool: async (tool, args, opts) => {
      calls.push({ tool, args, opts });
      if (outcome) return outcome;
      if (tool === "create_workout") return { ok: true, result: { structured: { workout_id: 42 } } };
      if (tool === "get_workouts")
        return {
          ok: true,
          result: {
            structured: {
              workouts: [
                { workout_id: 1, title: "Done", sport: "Bike", completed: true },
                { workout_id: 2, title: "Planned", sport: "Run", completed: false },
              ],
            },
          },
        };
      if (tool === "get_athlete_settings") return { ok: true, result: { structured: settings } };
      if (tool === "get_workout") return { ok: true, result: { structured: { title: "Planned", sport: "Run", date: "2026-12-08", structure: { structure: [] } } } };
      return { ok: true, result: { structured: {} } };
    },
    preview: async (input, options) => {
      previews.push(JSON.parse(options));
      return JSON.stringify(preview);
    },
    workoutText: async () => {
      if (text === null) throw new Error("cannot print");
      return text;
    },
    record: (e) => log.push(e),
    summarise: (a) => Object.keys(a).join(","),
  });
  const send = (msg, sender = TP) =>
    new Promise((resolve) => {
      const async = handle(msg, sender, resolve);
      assert.equal(typeof async, "boolean");
    });
  return { calls, log, previews, send };
}

const SAVE = { type: "overlay:save", date: "2026-12-08", sport: "bike", title: "SS", input: "3x\n- 10m 90%" };

test("a message from anywhere but the app's page is refused and runs nothing", async () => {
  const h = harness();
  const popup = { id: ID, url: `chrome-extension://${ID}/extension/js/popup/popup.html`, origin: `chrome-extension://${ID}` };
  for (const sender of [popup, { ...TP, url: "https://example.com/", origin: "https://example.com" }]) {
    const answer = await h.send(SAVE, sender);
    assert.equal(answer.ok, false);
    assert.match(answer.error, /only answers pages on https:\/\/app\.trainingpeaks\.com/);
  }
  assert.deepEqual(h.calls, []);
  assert.deepEqual(h.log, []);
});

test("Save creates through the tool runner, approved by the click, and is logged", async () => {
  const h = harness();
  const answer = await h.send(SAVE);
  assert.equal(answer.ok, true, answer.error);
  assert.equal(answer.id, 42);
  assert.equal(answer.created, true);
  assert.equal(h.calls.length, 1);
  const [c] = h.calls;
  assert.equal(c.tool, "create_workout");
  assert.deepEqual(c.opts, { approved: true });
  assert.deepEqual(c.args, { date: "2026-12-08", sport: "bike", title: "SS", structure: { structure: [] }, description: "Sweet spot" });
  assert.equal(h.log.length, 1);
  assert.equal(h.log[0].tool, "create_workout");
  assert.equal(h.log[0].outcome, "ok");
  assert.equal(h.log[0].via, "TrainingPeaks page");
});

test("Save of an opened workout updates it", async () => {
  const h = harness();
  const answer = await h.send({ ...SAVE, workoutId: 7 });
  assert.equal(answer.ok, true, answer.error);
  assert.equal(h.calls[0].tool, "update_workout");
  assert.deepEqual(h.calls[0].args, { workout_id: 7, title: "SS", date: "2026-12-08", structure: { structure: [] } });
});

test("a workout with errors is not saved, and the first error is named", async () => {
  const h = harness({ preview: { ok: false, errors: [{ line: 2, column: 3, message: "expected a duration" }] } });
  const answer = await h.send(SAVE);
  assert.equal(answer.ok, false);
  assert.match(answer.error, /nothing was saved.*line 2, column 3: expected a duration/);
  assert.deepEqual(h.calls, []);
});

test("the runner's refusal (read-only mode) comes back as the panel's text and is logged", async () => {
  const h = harness({ outcome: { ok: false, code: "read_only", message: "Paceline is in read-only mode." } });
  const answer = await h.send(SAVE);
  assert.deepEqual(answer, { ok: false, error: "Paceline is in read-only mode." });
  assert.equal(h.log[0].outcome, "read_only");
});

test("bad fields are refused naming the field", async () => {
  const h = harness();
  const cases = [
    [{ ...SAVE, date: "8/12/2026" }, /^date:/],
    [{ ...SAVE, sport: "chess" }, /^sport:/],
    [{ ...SAVE, title: " " }, /^title:/],
    [{ ...SAVE, input: 5 }, /^input:/],
    [{ ...SAVE, workoutId: -1 }, /^workoutId:/],
    [{ type: "overlay:open", workoutId: "1" }, /^workoutId:/],
    [{ type: "overlay:nope" }, /Unknown builder request/],
  ];
  for (const [msg, want] of cases) {
    const answer = await h.send(msg);
    assert.equal(answer.ok, false);
    assert.match(answer.error, want);
  }
  assert.deepEqual(h.calls, []);
});

test("list gives the day's workouts; open gives text, or JSON when the text cannot say it", async () => {
  const h = harness();
  const listed = await h.send({ type: "overlay:list", date: "2026-12-08" });
  assert.deepEqual(listed.workouts, [
    { id: 1, title: "Done", sport: "Bike", completed: true },
    { id: 2, title: "Planned", sport: "Run", completed: false },
  ]);
  assert.deepEqual(h.calls[0], { tool: "get_workouts", args: { start_date: "2026-12-08", end_date: "2026-12-08" }, opts: { approved: false } });
  const opened = await h.send({ type: "overlay:open", workoutId: 2 });
  assert.deepEqual(opened.workout, { id: 2, title: "Planned", sport: "Run", date: "2026-12-08", text: "3x\n- 10m 90%", format: "text" });

  const j = harness({ text: null });
  const asJson = await j.send({ type: "overlay:open", workoutId: 2 });
  assert.equal(asJson.workout.format, "json");
  assert.deepEqual(JSON.parse(asJson.workout.text), { structure: [] });
});

test("thresholds: one read-only get_athlete_settings, logged, each sport's own set first", async () => {
  const h = harness();
  const answer = await h.send({ type: "overlay:thresholds" });
  assert.equal(answer.ok, true, answer.error);
  assert.deepEqual(h.calls, [{ tool: "get_athlete_settings", args: {}, opts: { approved: false } }]);
  assert.equal(h.log.length, 1);
  assert.equal(h.log[0].tool, "get_athlete_settings");
  assert.equal(h.log[0].via, "TrainingPeaks page");
  const t = answer.thresholds;
  // The bike's HR set (2) wins over the general one; power falls back to the default set.
  assert.deepEqual(t.bike, { ftpW: 265, lthrBpm: 165, maxHrBpm: 186 });
  assert.deepEqual(t.mtb, { ftpW: 265, lthrBpm: 165, maxHrBpm: 186 });
  // Run: speed set 0 (TrainingPeaks' run set), general HR, and no bike FTP.
  assert.deepEqual(t.run, { lthrBpm: 172, maxHrBpm: 191, thresholdSpeedMps: 1000 / 255 });
  assert.deepEqual(t.swim, { lthrBpm: 172, maxHrBpm: 191, thresholdSpeedMps: 100 / 98 });
});

test("thresholds: missing or zero values are left out, so that sport stays in %", () => {
  assert.deepEqual(sportThresholds(undefined).bike, {});
  const t = sportThresholds({
    power_zone_sets: [{ workout_type_id: 0, ftp_w: 0 }],
    hr_zone_sets: [{ workout_type_id: 0, threshold_bpm: null, max_hr_bpm: 190 }],
    speed_zone_sets: [{ workout_type_id: 0, threshold_mps: 3.5 }],
  });
  assert.deepEqual(t.bike, { maxHrBpm: 190 });
  assert.deepEqual(t.run, { maxHrBpm: 190, thresholdSpeedMps: 3.5 });
  // No swim set: the run's speed (set 0) is not a swim pace.
  assert.deepEqual(t.swim, { maxHrBpm: 190 });
});

test("thresholds: imperial TrainingPeaks units go with every sport, so paces read per mile or 100 yd", () => {
  const t = sportThresholds({
    profile: { units: "imperial", units_code: 1 },
    speed_zone_sets: [{ workout_type_id: 0, threshold_mps: 3.5 }],
  });
  assert.deepEqual(t.run, { thresholdSpeedMps: 3.5, units: "imperial" });
  assert.deepEqual(t.bike, { units: "imperial" });
  // Metric (or an unknown value) is the preview's default: nothing is sent.
  assert.deepEqual(sportThresholds({ profile: { units: "metric" } }).run, {});
  assert.deepEqual(sportThresholds({ profile: { units: "furlongs" } }).run, {});
});

test("thresholds: a failed read comes back as the panel's sentence, and a foreign sender runs nothing", async () => {
  const h = harness({ outcome: { ok: false, code: "not_logged_in", message: "Log in to TrainingPeaks." } });
  const answer = await h.send({ type: "overlay:thresholds" });
  assert.deepEqual(answer, { ok: false, error: "Log in to TrainingPeaks." });
  assert.equal(h.log[0].outcome, "not_logged_in");

  const g = harness();
  const foreign = await g.send({ type: "overlay:thresholds" }, { ...TP, url: "https://example.com/", origin: "https://example.com" });
  assert.equal(foreign.ok, false);
  assert.match(foreign.error, /only answers pages on https:\/\/app\.trainingpeaks\.com/);
  assert.deepEqual(g.calls, []);
  assert.deepEqual(g.log, []);
});

test("Save compiles with the thresholds the panel previewed with, for the chosen sport", async () => {
  const h = harness();
  const answer = await h.send({ ...SAVE, sport: "mtb", options: { ftpW: 250, lthrBpm: 160, units: "imperial", sport: "swim", bogus: 1 } });
  assert.equal(answer.ok, true, answer.error);
  assert.deepEqual(h.previews, [{ ftpW: 250, lthrBpm: 160, units: "imperial", sport: "ride" }]);
});
