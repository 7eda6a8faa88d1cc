//! Installs what the build needs and a fresh machine lacks: the wasm32 target and the
//! wasm-bindgen CLI at exactly the version `Cargo.lock` pins (the CLI refuses to process a
//! module made by another version). The CLI is cached outside the clone so CI and new
//! checkouts do not rebuild it (about four minutes on two cores). Also the MCP Python SDK, at
//! the version `native-host/tests/python/requirements.txt` pins, in a virtualenv in the same
//! cache, for `native-host/tests/python_sdk.rs` (which looks for it there).

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::{cargo, run};

/// Ensures the wasm32 target, the MCP Python SDK and the pinned wasm-bindgen CLI; returns the
/// CLI's path.
pub fn setup(root: &Path) -> Result<PathBuf> {
    ensure_wasm_target()?;
    ensure_python_sdk(root)?;
    let version = locked_version(root, "wasm-bindgen")?;
    ensure_wasm_bindgen(&version)
}

/// The pinned MCP Python SDK version (`mcp==X` in the test's requirements file).
fn python_sdk_version(root: &Path) -> Result<String> {
    let path = root.join("native-host/tests/python/requirements.txt");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    match text.lines().find_map(|l| l.trim().strip_prefix("mcp==")) {
        Some(v) => Ok(v.to_string()),
        None => bail!("{} pins no `mcp==<version>`", path.display()),
    }
}

/// A virtualenv with the pinned `mcp` package, made with `python3 -m venv` and pip (PyPI) when
/// missing or at another version; returns its interpreter.
fn ensure_python_sdk(root: &Path) -> Result<PathBuf> {
    let version = python_sdk_version(root)?;
    let venv = cache_dir().join(format!("python-mcp-{version}"));
    let python = venv.join("bin").join("python");
    let has = |python: &Path| {
        Command::new(python)
            .args([
                "-c",
                "import importlib.metadata as m; print(m.version('mcp'))",
            ])
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    if has(&python).as_deref() == Some(version.as_str()) {
        return Ok(python);
    }
    eprintln!(
        "installing the MCP Python SDK (mcp {version}) into {}",
        venv.display()
    );
    run(Command::new("python3").arg("-m").arg("venv").arg(&venv)).context(
        "python3 with the venv module is needed for the MCP Python SDK tests \
         (Debian: apt-get install python3 python3-venv)",
    )?;
    run(Command::new(venv.join("bin").join("pip"))
        .args(["install", "--quiet", "--disable-pip-version-check"])
        .arg(format!("mcp=={version}")))?;
    match has(&python) {
        Some(v) if v == version => Ok(python),
        other => bail!(
            "the virtualenv at {} has mcp {other:?}, expected {version}",
            venv.display()
        ),
    }
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
