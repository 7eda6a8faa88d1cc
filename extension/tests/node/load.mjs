// Loads a release wasm package built by `cargo xtask wasm` into Node, synchronously.
// PACELINE_WASM_PKG picks the package directory (default: extension/pkg).
import { readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const pkgDir = process.env.PACELINE_WASM_PKG ?? path.join(here, "../../pkg");
const pkg = await import(pathToFileURL(path.join(pkgDir, "paceline_extension.js")).href);
pkg.initSync({ module: readFileSync(path.join(pkgDir, "paceline_extension_bg.wasm")) });

export const wasm = pkg;
export const pkgName = pkgDir;
export const sharedDir = path.join(here, "../../../../shared") + "/";
