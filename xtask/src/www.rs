//! `cargo xtask www`: the playground as a static site in `target/www/` (or
//! `$CARGO_TARGET_DIR/www/`), which any static host can serve as is: `index.html`, `app.js`,
//! `style.css`, the shared builder component (`ui/builder.js` → `builder.js`), the
//! keystroke wasm (workout text, compiler + preview) in `pkg/`, structure JSON, the exports
//! and file readers in `files/` (loaded on the first structure JSON, export or pasted file) and the "try the tools" module in `tools/`
//! (loaded only when that pane opens). The wasm is built into `www/pkg/` and `www/pkg-files/`
//! first (release profile `wasm-www`); the keystroke module's size is printed beside its
//! 300,000-byte budget (see `wasm::STRUCTURE_BUDGET_BYTES`).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::wasm;

/// The files of the page, from the repository root, and their names in the site.
const FILES: [(&str, &str); 4] = [
    ("www/index.html", "index.html"),
    ("www/app.js", "app.js"),
    ("www/style.css", "style.css"),
    ("ui/builder.js", "builder.js"),
];

/// The wasm-bindgen output the page loads.
const PKG_FILES: [&str; 2] = ["paceline_extension.js", "paceline_extension_bg.wasm"];

/// Builds the site and returns its folder.
pub fn build(root: &Path, wasm_bindgen: &Path) -> Result<PathBuf> {
    let (pkg, files) = wasm::build_structure(root, wasm_bindgen)?;
    let size = std::fs::metadata(pkg.join("paceline_extension_bg.wasm"))
        .context("reading the built wasm")?
        .len();
    println!(
        "wasm size, keystroke module (www/pkg): {size} bytes ({:.1} KiB; budget {} bytes)",
        size as f64 / 1024.0,
        wasm::STRUCTURE_BUDGET_BYTES
    );
    let files_size = std::fs::metadata(files.join("paceline_extension_bg.wasm"))
        .context("reading the built files wasm")?
        .len();
    println!(
        "wasm size, exports and file readers (www/pkg-files, loaded on demand): {files_size} bytes ({:.1} KiB)",
        files_size as f64 / 1024.0
    );
    // Over the budget is reported, not fatal: the site is still worth building to look at, and
    // `cargo xtask test` (wasm::check_size) fails on it.
    if size > wasm::STRUCTURE_BUDGET_BYTES {
        eprintln!(
            "WARNING: the keystroke wasm (www/pkg) is {size} bytes, over the {}-byte budget",
            wasm::STRUCTURE_BUDGET_BYTES
        );
    }
    let tools = wasm::build_sandbox(root, wasm_bindgen)?;
    let tools_size = std::fs::metadata(tools.join("paceline_extension_bg.wasm"))
        .context("reading the built tools wasm")?
        .len();
    println!(
        "wasm size, try-the-tools module (www/pkg-tools, loaded on demand): {tools_size} bytes ({:.1} KiB)",
        tools_size as f64 / 1024.0
    );
    assemble(root, &pkg, &files)
}

/// Lays the site out in `target/www/` from the page's files and the already built `pkg` (the
/// keystroke module) and `files` (the exports and file readers).
pub fn assemble(root: &Path, pkg: &Path, files: &Path) -> Result<PathBuf> {
    let out = wasm::target_dir(root).join("www");
    // A stale file from an earlier build (a renamed script) must not be served.
    if out.exists() {
        std::fs::remove_dir_all(&out).with_context(|| format!("removing {}", out.display()))?;
    }
    std::fs::create_dir_all(out.join("pkg"))
        .with_context(|| format!("creating {}", out.display()))?;
    for (from, to) in FILES {
        copy(&root.join(from), &out.join(to))?;
    }
    std::fs::create_dir_all(out.join("files"))
        .with_context(|| format!("creating {}", out.display()))?;
    for f in PKG_FILES {
        copy(&pkg.join(f), &out.join("pkg").join(f))?;
        copy(&files.join(f), &out.join("files").join(f))?;
    }
    // The tools pane's module, when it has been built (`build_sandbox`); without it the pane
    // says it could not load the tools and the builder is unaffected.
    let tools = root.join("www/pkg-tools");
    if tools.join(PKG_FILES[1]).exists() {
        std::fs::create_dir_all(out.join("tools"))
            .with_context(|| format!("creating {}", out.display()))?;
        for f in PKG_FILES {
            copy(&tools.join(f), &out.join("tools").join(f))?;
        }
    }
    println!(
        "playground built in {0}\nopen it with: python3 -m http.server -d {0} 8000  (then http://localhost:8000/)",
        out.display()
    );
    Ok(out)
}

fn copy(from: &Path, to: &Path) -> Result<()> {
    std::fs::copy(from, to)
        .map(|_| ())
        .with_context(|| format!("copying {} to {}", from.display(), to.display()))
}
