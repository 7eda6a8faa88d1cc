// The structure compiler, as the browser runs it: the 48 conformance vectors through the
// release wasm. Native and wasm must agree with the reference exactly (as parsed JSON).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { wasm, sharedDir } from "./load.mjs";

const { vectors } = JSON.parse(readFileSync(sharedDir + "fixtures/structure-vectors.json", "utf8"));

// Which module this run loads (xtask sets it): `keystroke` is the playground's www/pkg, which
// reads workout text only; `files` (www/pkg-files) and `full` (extension/pkg) read structure
// JSON and pasted files too, and export.
const kind = process.env.PACELINE_WASM_KIND ?? "full";

function inputText(v) {
  return typeof v.input === "string" ? v.input : JSON.stringify(v.input);
}

// The conformance vectors are structure JSON: the keystroke module does not read it (see the
// keystroke test at the end), the two others do.
for (const v of kind === "keystroke" ? [] : vectors) {
  test(v.name, () => {
    if (v.function === "computeStructureMetrics") {
      if (v.expected === null) {
        // An empty structure has no metrics: either no result or a rejected input.
        let out = "null";
        try { out = wasm.structureMetrics(inputText(v), undefined); } catch { /* rejected: fine */ }
        assert.equal(out, "null");
        return;
      }
      const m = JSON.parse(wasm.structureMetrics(inputText(v), v.input.ftpWatts ?? undefined));
      for (const k of ["totalSeconds", "ifPlanned", "tssPlanned", "energyPlanned"]) {
        assert.deepEqual(m[k], v.expected[k], k);
      }
      return;
    }
    if ("expected_error" in v) {
      assert.throws(() => wasm.compileStructure(inputText(v)), (e) => typeof e.message === "string" && e.message.length > 0);
      return;
    }
    const got = JSON.parse(wasm.compileStructure(inputText(v)));
    const expected = v.function === "buildWorkoutStructure+computeStructureMetrics" ? v.expected.structure : v.expected;
    assert.deepEqual(got, expected);
    if (v.expected.metrics) {
      const m = JSON.parse(wasm.structureMetrics(inputText(v), undefined));
      for (const k of ["totalSeconds", "ifPlanned", "tssPlanned", "energyPlanned"]) {
        assert.deepEqual(m[k], v.expected.metrics[k], k);
      }
    }
  });
}

if (kind !== "keystroke") test("errors carry the field path", () => {
  const bad = JSON.stringify({ steps: [{ name: "a", duration_seconds: 60, intensity_min: 90, intensity_max: 80 }] });
  assert.throws(() => wasm.compileStructure(bad), (e) => typeof e.path === "string" && e.path.startsWith("steps[0]"));
});

if (kind !== "keystroke") test("summary is a non-empty line", () => {
  const s = wasm.structureSummary(readFileSync(sharedDir + "fixtures/bench-workout-20.json", "utf8"));
  assert.ok(s.length > 10, s);
});

if (wasm.listTools) {
  test("the full module lists the catalogue with MCP annotations", () => {
    const tools = JSON.parse(wasm.listTools());
    assert.ok(tools.length > 0);
    for (const t of tools) {
      assert.equal(typeof t.name, "string");
      assert.equal(t.inputSchema.type, "object", t.name);
      assert.equal(typeof t.annotations.readOnlyHint, "boolean", t.name);
    }
  });

  // The module generates no schemas: they come from the table its build script made natively
  // (paceline_core::tools::schema_table). So its list must be the host's, output schemas aside.
  test("the module's tool list is the host's golden tools.json without output schemas", () => {
    const golden = JSON.parse(readFileSync(new URL("../../../native-host/tools.json", import.meta.url), "utf8"));
    const listed = JSON.parse(wasm.listTools());
    assert.ok(listed.length > golden.length, "the module lists the Intervals.icu tools too");
    for (const [i, entry] of golden.entries()) {
      const { outputSchema, ...expected } = entry;
      assert.ok(outputSchema, entry.name);
      assert.deepEqual(listed[i], expected, entry.name);
    }
    for (const t of listed) assert.equal(t.outputSchema, undefined, t.name);
  });

  test("arguments are checked against the table's schemas, naming the field", async () => {
    const refused = (name, args, field, pattern) =>
      assert.rejects(wasm.describeCall(name, JSON.stringify(args), undefined), (e) => {
        assert.equal(e.code, "invalid_params", e.message);
        assert.equal(e.path, field, e.message);
        assert.match(e.message, pattern);
        return true;
      });
    await refused("delete_workout", { workout_id: 5, zzUnknown: 1 }, "zzUnknown", /unknown argument/);
    await refused("delete_workout", { workoutId: 5 }, "workoutId", /did you mean `workout_id`/);
    await refused("delete_workout", { workout_id: "five" }, "workout_id", /invalid/);
    await refused("delete_workout", {}, "workout_id", /missing field/);
    await refused("icu_delete_event", { zzUnknown: 1 }, "zzUnknown", /unknown argument/);
  });
}

const ZWO = `<workout_file><name>Z</name><workout><SteadyState Duration="600" Power="0.75"/></workout></workout_file>`;

const JSON_INPUT = JSON.stringify({ steps: [{ name: "a", duration_seconds: 600, intensity_min: 50, intensity_max: 60 }] });

if (kind === "keystroke") {
  test("the keystroke module leaves structure JSON and the file side to the files module", () => {
    for (const name of ["exportWorkout", "workoutText", "compileStructure", "structureMetrics", "structureSummary"]) {
      assert.equal(wasm[name], undefined, name);
    }
    for (const [input, format] of [[ZWO, "zwo"], [JSON_INPUT, "json"], ['{"steps": [', "json"]]) {
      const p = JSON.parse(wasm.previewWorkout(input, ""));
      assert.equal(p.ok, false, input);
      assert.equal(p.format, format, input);
      assert.equal(p.needsFileReader, true, input);
    }
    const t = JSON.parse(wasm.previewWorkout("- 10m 50%\n3x\n- 1m 120%\n- 1m 50%", JSON.stringify({ ftpW: 250, theme: "dark", width: 600 })));
    assert.equal(t.ok, true, JSON.stringify(t.errors));
    assert.equal(t.needsFileReader, undefined);
    assert.equal(t.durationS, 960);
    assert.equal(t.structure.structure.length, 2);
    assert.match(t.svg, /^<svg[^>]* width="600"/);
    const e = JSON.parse(wasm.previewWorkout("- 10m 50%\n- 10q 80%", ""));
    assert.deepEqual([e.ok, e.errors[0].line, e.needsFileReader], [false, 2, undefined]);
  });
} else {
  test("structure JSON previews", () => {
    const p = JSON.parse(wasm.previewWorkout(JSON_INPUT, ""));
    assert.equal(p.ok, true, JSON.stringify(p.errors));
    assert.equal(p.format, "json");
    assert.equal(p.durationS, 600);
    assert.equal(p.needsFileReader, undefined);
    assert.deepEqual(p.structure, JSON.parse(wasm.compileStructure(JSON_INPUT)));
  });

  test("exportWorkout writes files and names the missing option", () => {
    const text = "- 10m 50%\n3x\n- 5m 100%\n- 3m 55%";
    const zwo = JSON.parse(wasm.exportWorkout(text, "zwo", JSON.stringify({ name: "Test" })));
    assert.equal(zwo.filename, "test.zwo");
    assert.match(zwo.text, /<IntervalsT Repeat="3" OnDuration="300" OffDuration="180"/);
    const fit = JSON.parse(wasm.exportWorkout(text, "fit", ""));
    assert.equal(Buffer.from(fit.base64, "base64").subarray(8, 12).toString(), ".FIT");
    assert.throws(() => wasm.exportWorkout(text, "erg", ""), (e) => e.path === "ftpW" && /FTP/.test(e.message));
    assert.throws(() => wasm.exportWorkout(text, "pdf", ""), (e) => e.path === "kind");
  });

  test("a pasted .zwo previews", () => {
    const p = JSON.parse(wasm.previewWorkout(ZWO, ""));
    assert.equal(p.ok, true, JSON.stringify(p.errors));
    assert.equal(p.format, "zwo");
    assert.equal(p.durationS, 600);
    assert.equal(p.needsFileReader, undefined);
  });
}
