// Benchmark: the exact mean-max curve (every duration, 1 s to the whole ride) of a 4 h ride at
// 1 Hz through the extension's release wasm (`meanMax`), under Node. Issue 10's target is
// ≤ 150 ms; the native figure for the same ride is in `core/benches/analysis.rs`.
// Run by `cargo xtask bench` with PACELINE_WASM_PKG=extension/pkg (the full module).
import { wasm } from "./load.mjs";
import { ride } from "./ride.mjs";

const TARGET_MS = 150;
const fourHours = ride(4 * 3600, 42);

function once() {
  const start = process.hrtime.bigint();
  const curve = wasm.meanMax(fourHours);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (curve.length !== fourHours.length) {
    throw new Error(`meanMax returned ${curve.length} points for ${fourHours.length} samples`);
  }
  return ms;
}

once(); // warm up (the JIT compiles the module's code on first use)
const runs = Array.from({ length: 7 }, once).sort((a, b) => a - b);
const median = runs[3];
console.log(
  `wasm (node ${process.version}): mean-max, 4 h ride at 1 Hz, all 14400 durations: median ${median.toFixed(1)} ms over 7 runs ` +
    `(min ${runs[0].toFixed(1)}, max ${runs[6].toFixed(1)}; target ≤ ${TARGET_MS} ms: ${median <= TARGET_MS ? "met" : "NOT met"})`,
);
