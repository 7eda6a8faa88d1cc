// Benchmark: compile the realistic 20-block workout through the release wasm, as the
// extension does (JSON text in, JSON text out). Prints structures per second. xtask runs it on
// the playground's files module (www/pkg-files, profile wasm-www): the keystroke module reads
// workout text only, not structure JSON.
import { readFileSync } from "node:fs";
import { wasm, sharedDir } from "./load.mjs";
import { medianRate } from "./bench-rate.mjs";

const input = readFileSync(sharedDir + "fixtures/bench-workout-20.json", "utf8");
wasm.compileStructure(input); // warm up and fail fast on a compile error

const { median, min, max } = medianRate(() => wasm.compileStructure(input), 200);
console.log(`wasm (node ${process.version}): compile bench-workout-20 (text in, text out): median ${Math.round(median)} structures/s over 5 runs (min ${Math.round(min)}, max ${Math.round(max)})`);
