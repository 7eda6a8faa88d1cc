// Benchmark: compile the realistic 20-block workout through the release wasm, as the
// extension does (JSON text in, JSON text out). Prints structures per second. xtask runs it on
// the playground's files module (www/pkg-files, profile wasm-www): the keystroke module reads
// workout text only, not structure JSON.
import { readFileSync } from "node:fs";
import { wasm, sharedDir } from "./load.mjs";

const input = readFileSync(sharedDir + "fixtures/bench-workout-20.json", "utf8");
wasm.compileStructure(input); // warm up and fail fast on a compile error

function rate(seconds) {
  let n = 0;
  const start = process.hrtime.bigint();
  const stop = start + BigInt(Math.round(seconds * 1e9));
  let now = start;
  while (now < stop) {
    for (let i = 0; i < 200; i++) wasm.compileStructure(input);
    n += 200;
    now = process.hrtime.bigint();
  }
  return n / (Number(now - start) / 1e9);
}

rate(0.5);
const runs = [1, 2, 3, 4, 5].map(() => rate(1));
runs.sort((a, b) => a - b);
const median = runs[2];
console.log(`wasm (node ${process.version}): compile bench-workout-20 (text in, text out): median ${Math.round(median)} structures/s over 5 runs (min ${Math.round(runs[0])}, max ${Math.round(runs[4])})`);
