//! `cargo xtask bench-bridge [--calls N] [--warmup W] [--json]`: tool-call latency through the
//! real stack (browser + extension + bridge) against `paceline mcp --direct`, all in release.
//!
//! Builds the extension's wasm (release) into `extension/pkg/` (the browser loads the extension
//! unpacked from the repository root), then `paceline` and the `bench-bridge` binary of the e2e
//! crate in release, and runs the bench with `PACELINE_BIN` pointing at that `paceline`.
//! Needs what the browser e2e suite needs: Chromium and `certutil` (libnss3-tools).

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Result;

use crate::{cargo, run, tools, wasm};

/// Builds everything in release and runs the bench with `args` passed through.
pub fn bench_bridge(root: &Path, args: &[String]) -> Result<()> {
    let wasm_bindgen = tools::setup(root)?;
    wasm::build_with(root, &wasm_bindgen, true, wasm::Hooks::Test)?;
    run(cargo().args([
        "build",
        "--release",
        "-p",
        "paceline-host",
        "--bin",
        "paceline",
        "-p",
        "paceline-e2e",
        "--bin",
        "bench-bridge",
    ]))?;
    let release = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
        .join("release");
    let exe = |name: &str| release.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    run(Command::new(exe("bench-bridge"))
        .args(args)
        .env("PACELINE_BIN", exe("paceline")))
}
