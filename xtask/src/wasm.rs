//! Building the extension's wasm, checking its size, and exercising it under Node.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::{cargo, run, tools};

/// The size budget for the release wasm, before compression (issue 2).
pub const WASM_BUDGET_BYTES: u64 = 300 * 1024;

/// Builds the wasm and its glue into `extension/pkg/` and `www/pkg/`; returns `extension/pkg`.
pub fn build(root: &Path, release: bool) -> Result<PathBuf> {
    let wasm_bindgen = tools::setup(root)?;
    build_with(root, &wasm_bindgen, release)
}

/// As [`build`], with a known wasm-bindgen CLI.
pub fn build_with(root: &Path, wasm_bindgen: &Path, release: bool) -> Result<PathBuf> {
    let profile = if release { "wasm-release" } else { "dev" };
    run(cargo().args(["build", "-p", "paceline-extension", "--target", "wasm32-unknown-unknown", "--profile", profile]))?;
    let dir = if release { "wasm-release" } else { "debug" };
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"));
    let wasm = target.join("wasm32-unknown-unknown").join(dir).join("paceline_extension.wasm");
    let pkg = root.join("extension/pkg");
    run(Command::new(wasm_bindgen).args(["--target", "web", "--no-typescript", "--out-dir"]).arg(&pkg).arg(&wasm))?;
    let www = root.join("www/pkg");
    std::fs::create_dir_all(&www)?;
    for entry in std::fs::read_dir(&pkg)? {
        let entry = entry?;
        std::fs::copy(entry.path(), www.join(entry.file_name()))?;
    }
    Ok(pkg)
}

/// Fails if the release wasm is over budget; prints its size either way.
pub fn check_size(pkg: &Path) -> Result<()> {
    let wasm = pkg.join("paceline_extension_bg.wasm");
    let size = std::fs::metadata(&wasm).with_context(|| format!("reading {}", wasm.display()))?.len();
    println!("wasm size: {size} bytes ({:.1} KiB; budget {} KiB) {}", size as f64 / 1024.0, WASM_BUDGET_BYTES / 1024, wasm.display());
    if size > WASM_BUDGET_BYTES {
        bail!("the wasm is {size} bytes, over the {WASM_BUDGET_BYTES}-byte budget");
    }
    Ok(())
}

fn node() -> Command {
    Command::new("node")
}

/// Runs the wasm conformance smoke test under Node (the 48 vectors through the wasm).
pub fn smoke(root: &Path) -> Result<()> {
    require_node()?;
    run(node().arg("--test").arg(root.join("extension/tests/node/structure.test.mjs")))
}

/// Runs the wasm compile benchmark under Node.
pub fn bench(root: &Path) -> Result<()> {
    require_node()?;
    run(node().arg(root.join("extension/tests/node/bench.mjs")))
}

fn require_node() -> Result<()> {
    match node().arg("--version").output() {
        Ok(o) if o.status.success() => Ok(()),
        _ => bail!("Node.js (>= 18) is needed for the wasm tests: apt-get install nodejs"),
    }
}
