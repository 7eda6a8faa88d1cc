// Benchmark of the full module's cold start, what a woken MV3 service worker pays before its
// first tool call: compiling the module's bytes, instantiating it (its start function installs
// the panic hook) and the first `listTools()` (the first lookup inflates the schema table).
//
// V8 keeps compiled modules by their bytes for the life of a process, so each sample runs in a
// new Node process (`--once`); the figure is the median of the samples, printed beside the
// target. PACELINE_WASM_PKG names the package (extension/pkg).
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const TARGET_MS = 50;
const SAMPLES = 9;
const here = path.dirname(fileURLToPath(import.meta.url));
const pkgDir = process.env.PACELINE_WASM_PKG ?? path.join(here, "../../pkg");

if (process.argv.includes("--once")) {
  const bytes = readFileSync(path.join(pkgDir, "paceline_extension_bg.wasm"));
  const pkg = await import(pathToFileURL(path.join(pkgDir, "paceline_extension.js")).href);
  const t0 = performance.now();
  const module = await WebAssembly.compile(bytes);
  const t1 = performance.now();
  pkg.initSync({ module });
  const t2 = performance.now();
  const tools = JSON.parse(pkg.listTools());
  const t3 = performance.now();
  if (!Array.isArray(tools) || tools.length < 100) throw new Error(`listTools gave ${tools.length} tools`);
  console.log(JSON.stringify({ bytes: bytes.length, compile: t1 - t0, instantiate: t2 - t1, first: t3 - t2 }));
} else {
  const runs = [];
  for (let i = 0; i < SAMPLES; i++) {
    const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), "--once"], {
      env: { ...process.env, PACELINE_WASM_PKG: pkgDir },
      encoding: "utf8",
    });
    runs.push(JSON.parse(out));
  }
  const median = (key) => runs.map((r) => r[key]).sort((a, b) => a - b)[SAMPLES >> 1];
  const total = runs.map((r) => r.compile + r.instantiate + r.first).sort((a, b) => a - b);
  const t = total[SAMPLES >> 1];
  console.log(
    `wasm (node ${process.version}): cold start of the full module (${runs[0].bytes} bytes): ` +
      `median ${t.toFixed(1)} ms (compile ${median("compile").toFixed(1)}, instantiate ${median("instantiate").toFixed(1)}, ` +
      `first listTools ${median("first").toFixed(1)}; ${SAMPLES} new processes, min ${total[0].toFixed(1)}, max ${total[SAMPLES - 1].toFixed(1)}); ` +
      `target ${TARGET_MS} ms: ${t <= TARGET_MS ? "met" : "NOT met"}`,
  );
}
