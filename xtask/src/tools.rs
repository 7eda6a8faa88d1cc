//! Installs what the build needs and a fresh machine lacks: the wasm32 target and the
//! wasm-bindgen CLI at exactly the version `Cargo.lock` pins (the CLI refuses to process a
//! module made by another version). The CLI is cached outside the clone so CI and new
//! checkouts do not rebuild it (about four minutes on two cores).

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::{cargo, run};

/// Ensures the wasm32 target and the pinned wasm-bindgen CLI; returns the CLI's path.
pub fn setup(root: &Path) -> Result<PathBuf> {
    ensure_wasm_target()?;
    let version = locked_version(root, "wasm-bindgen")?;
    ensure_wasm_bindgen(&version)
}

fn ensure_wasm_target() -> Result<()> {
    let out = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output();
    match out {
        Ok(o)
            if String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l.trim() == "wasm32-unknown-unknown") =>
        {
            Ok(())
        }
        Ok(_) => run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"])),
        Err(e) => bail!("rustup is needed to add the wasm32-unknown-unknown target: {e}"),
    }
}

/// The version of a package in `Cargo.lock`.
pub fn locked_version(root: &Path, package: &str) -> Result<String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).context("reading Cargo.lock")?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == format!("name = \"{package}\"")
            && let Some(v) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = \""))
        {
            return Ok(v.trim_end_matches('"').to_string());
        }
    }
    bail!("{package} is not in Cargo.lock; run `cargo generate-lockfile`")
}

fn cache_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("PACELINE_TOOLS_DIR") {
        return PathBuf::from(d);
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    home.join(".cache/paceline/tools")
}

fn ensure_wasm_bindgen(version: &str) -> Result<PathBuf> {
    let root = cache_dir().join(format!("wasm-bindgen-{version}"));
    let bin = root.join("bin").join("wasm-bindgen");
    if installed_version(&bin).is_none_or(|v| v != version) {
        eprintln!(
            "installing wasm-bindgen-cli {version} into {} (one-off, a few minutes)",
            root.display()
        );
        // `--locked` is not used: the CLI's lockfile pins a webpki-roots version that the
        // registry no longer serves.
        run(cargo()
            .args(["install", "wasm-bindgen-cli", "--version"])
            .arg(format!("={version}"))
            .arg("--root")
            .arg(&root))?;
    }
    match installed_version(&bin) {
        Some(v) if v == version => Ok(bin),
        other => bail!(
            "wasm-bindgen at {} reports {other:?}, expected {version}",
            bin.display()
        ),
    }
}

fn installed_version(bin: &Path) -> Option<String> {
    let out = Command::new(bin).arg("--version").output().ok()?;
    // "wasm-bindgen 0.2.130"
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .nth(1)
        .map(str::to_string)
}
