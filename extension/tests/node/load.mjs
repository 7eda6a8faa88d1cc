// Loads the release wasm built by `cargo xtask wasm` into Node, synchronously.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as pkg from "../../pkg/paceline_extension.js";

const wasmUrl = new URL("../../pkg/paceline_extension_bg.wasm", import.meta.url);
pkg.initSync({ module: readFileSync(fileURLToPath(wasmUrl)) });

export const wasm = pkg;
export const sharedDir = fileURLToPath(new URL("../../../../shared/", import.meta.url));
