// Benchmark of the keystroke case: `previewWorkout` of the realistic 20-block workout written as
// workout text (the playground's keystroke module, www/pkg: text in, the preview's JSON with its
// chart out). The text is made by the files module's `exportWorkout(…, "icu-text")`
// (PACELINE_WASM_FILES_PKG), since the keystroke module does not read structure JSON.
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { wasm, sharedDir } from "./load.mjs";
import { medianRate } from "./bench-rate.mjs";

const filesDir = process.env.PACELINE_WASM_FILES_PKG;
if (!filesDir) throw new Error("PACELINE_WASM_FILES_PKG must name the files module (www/pkg-files)");
const files = await import(pathToFileURL(path.join(filesDir, "paceline_extension.js")).href);
files.initSync({ module: readFileSync(path.join(filesDir, "paceline_extension_bg.wasm")) });

const json = readFileSync(sharedDir + "fixtures/bench-workout-20.json", "utf8");
const text = JSON.parse(files.exportWorkout(json, "icu-text", "")).text;
const options = JSON.stringify({ sport: "ride", ftpW: 250, theme: "light", width: 800, height: 260 });
const first = JSON.parse(wasm.previewWorkout(text, options)); // warm up and fail fast
if (!first.ok || first.structure.structure.length !== 20) {
  throw new Error("the benchmark workout's text does not preview: " + JSON.stringify(first.errors));
}

const { median, min, max } = medianRate(() => wasm.previewWorkout(text, options), 20);
console.log(`wasm (node ${process.version}): previewWorkout of bench-workout-20 as text (keystroke module): median ${(1000 / median).toFixed(3)} ms per call (${Math.round(median)}/s over 5 runs, min ${Math.round(min)}, max ${Math.round(max)})`);
