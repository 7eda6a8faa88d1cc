//! `cargo xtask dist`: loadable Chrome and Firefox packages of the extension under `dist/`.
//!
//! For each browser this writes an unpacked directory (`dist/chrome/`, `dist/firefox/`) with the
//! same relative layout as the repository, so every path in the manifest keeps working, and a
//! deterministic archive of it (`dist/paceline-chrome-<version>.zip`,
//! `dist/paceline-firefox-<version>.xpi`): entries sorted, fixed timestamps and permissions, so
//! two runs over the same files give the same bytes.
//!
//! **What goes in is the list [`FILES`]**, written by hand, plus the per-browser manifest. A
//! list is short and obvious to review; what keeps it in step with the code is [`check_list`],
//! which fails, naming each file, when a listed file is missing, when the manifest names a
//! file that is not listed (background, popup, options, content scripts, icons,
//! `web_accessible_resources`), or when a listed JS/HTML/CSS file refers to a package file by
//! a literal path (`import … from "./x.js"`, `src="x.js"`, `new URL("x.wasm",
//! import.meta.url)`, `runtime.getURL("…")`, CSS `url(…)`) that is not listed. That scan is a
//! plain text search, not a parser: a path inside a comment counts too, which at worst asks
//! for one more line in the list; a path computed at run time is not seen (none today).
//!
//! The same check runs again on each finished directory ([`check_package`]), which also fails
//! when the package holds a `.wasm` but the extension-page CSP lacks `'wasm-unsafe-eval'`
//! (the default CSP disables WebAssembly), or when test hooks would ship.
//!
//! The shipped wasm (built without `test-hooks`) goes to its own directory under `target/`
//! and its files are taken from there ([`Source::pkg`]), so `extension/pkg/`, which the
//! repository-root runs of the browser suite load, keeps the test build. The assembling
//! ([`package`]) works on any source tree, so the tests run on small fixture trees without
//! building wasm.

use std::collections::BTreeSet;
use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::wasm;

/// The package's files besides `manifest.json`, relative to the repository root. Adding a
/// file to the extension means adding it here; `cargo xtask dist` and the xtask tests fail,
/// naming it, until then (see [`check_list`]).
pub const FILES: &[&str] = &[
    "extension/js/activity-cache.js",
    "extension/js/activity.js",
    "extension/js/background.js",
    "extension/js/backoff.js",
    "extension/js/confirm/ask.js",
    "extension/js/confirm/confirm.html",
    "extension/js/confirm/confirm.js",
    "extension/js/intervals-key.js",
    "extension/js/overlay-messages.js",
    "extension/js/overlay/overlay.js",
    "extension/js/popup/popup.css",
    "extension/js/popup/popup.html",
    "extension/js/popup/popup.js",
    "extension/js/senders.js",
    "extension/js/settings.js",
    "extension/pkg/paceline_extension.js",
    "extension/pkg/paceline_extension_bg.wasm",
    // The workout builder component, the first of the overlay's content scripts.
    "ui/builder.js",
];

/// Where the wasm-bindgen output sits in the package (and in the repository).
pub const PKG_PREFIX: &str = "extension/pkg/";

/// Where [`package`] takes the files from.
#[derive(Debug, Clone)]
pub struct Source {
    /// A tree laid out like the repository (`manifest.json` at its root).
    pub root: PathBuf,
    /// Replaces `extension/pkg/` of [`Source::root`]: the wasm build to package.
    pub pkg: PathBuf,
}

impl Source {
    /// A tree whose own `extension/pkg/` holds the wasm.
    pub fn tree(root: &Path) -> Source {
        Source {
            root: root.to_path_buf(),
            pkg: root.join(PKG_PREFIX),
        }
    }

    /// The file on disk for a package path.
    pub fn path(&self, file: &str) -> PathBuf {
        match file.strip_prefix(PKG_PREFIX) {
            Some(rest) => self.pkg.join(rest),
            None => self.root.join(file),
        }
    }
}

/// A browser family with its own package.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Browser {
    /// Chrome, Chromium, Edge, Brave: a module service worker.
    Chrome,
    /// Firefox: an event page (`background.scripts`) and a gecko add-on id.
    Firefox,
}

impl Browser {
    /// Both, in the order they are built.
    pub const ALL: [Browser; 2] = [Browser::Chrome, Browser::Firefox];

    /// The name used for its directory under `dist/`.
    pub fn name(self) -> &'static str {
        match self {
            Browser::Chrome => "chrome",
            Browser::Firefox => "firefox",
        }
    }

    /// `.xpi` is what Firefox and addons.mozilla.org expect; it is a plain zip.
    fn archive_ext(self) -> &'static str {
        match self {
            Browser::Chrome => "zip",
            Browser::Firefox => "xpi",
        }
    }
}

impl fmt::Display for Browser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What [`package`] produced for one browser.
#[derive(Debug)]
pub struct Packaged {
    /// The browser.
    pub browser: Browser,
    /// The unpacked directory (load this one).
    pub dir: PathBuf,
    /// The archive of it.
    pub archive: PathBuf,
    /// Files in the package, relative, sorted (the manifest included).
    pub files: Vec<String>,
    /// Total size of those files.
    pub bytes: u64,
    /// Size of the archive.
    pub archive_bytes: u64,
}

/// `cargo xtask dist`: release wasm without the test hooks, then both packages, then a
/// summary.
pub fn dist(root: &Path, wasm_bindgen: &Path) -> Result<Vec<Packaged>> {
    let pkg = wasm::build_shipped(root, wasm_bindgen)?;
    // The test hooks must never reach a package (they can crash the module on demand).
    let glue = pkg.join("paceline_extension.js");
    let text =
        std::fs::read_to_string(&glue).with_context(|| format!("reading {}", glue.display()))?;
    if text.contains("__testPanic") || text.contains("__setRequestTimeoutMs") {
        bail!(
            "{} exports the test hooks; dist must build without `test-hooks`",
            glue.display()
        );
    }
    let src = Source {
        root: root.to_path_buf(),
        pkg,
    };
    let out = root.join("dist");
    let mut done = Vec::new();
    for browser in Browser::ALL {
        done.push(package(&src, FILES, &out, browser)?);
    }
    let left_out = left_out(root, &done)?;
    println!("\nxtask dist:");
    for p in &done {
        println!(
            "  {:<8} {}/  {} files, {}\n           {}  {}",
            p.browser.name(),
            rel(root, &p.dir),
            p.files.len(),
            human(p.bytes),
            rel(root, &p.archive),
            human(p.archive_bytes),
        );
    }
    if !left_out.is_empty() {
        println!(
            "  note: under extension/js/ but not in dist.rs FILES, so not packaged: {}",
            left_out.join(", ")
        );
    }
    Ok(done)
}

/// Assembles `out/<browser>/` from `files` (see [`FILES`]) of `src` and the per-browser
/// manifest, checks it, and writes its archive into `out`. Replaces whatever an earlier run
/// left there.
pub fn package(src: &Source, files: &[&str], out: &Path, browser: Browser) -> Result<Packaged> {
    let manifest_path = src.root.join("manifest.json");
    let text = std::fs::read_to_string(&manifest_path)
        .with_context(|| format!("reading {}", manifest_path.display()))?;
    let source: Value = serde_json::from_str(&text)
        .with_context(|| format!("{} is not valid JSON", manifest_path.display()))?;
    let manifest = manifest_for(&source, browser)?;
    let version = manifest
        .get("version")
        .and_then(Value::as_str)
        .context("manifest.json has no \"version\" string")?
        .to_string();

    check_list(src, files, &manifest).with_context(|| {
        format!("the {browser} package would be incomplete (is the wasm built? `cargo xtask wasm`)")
    })?;

    let dir = out.join(browser.name());
    if dir.exists() {
        std::fs::remove_dir_all(&dir).with_context(|| format!("removing {}", dir.display()))?;
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut manifest_text = serde_json::to_string_pretty(&manifest)?;
    manifest_text.push('\n');
    std::fs::write(dir.join("manifest.json"), manifest_text)?;
    for file in files {
        let to = dir.join(file);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::copy(src.path(file), &to).with_context(|| format!("copying {file}"))?;
    }

    let files = check_package(&dir)?;
    let archive = out.join(format!(
        "paceline-{}-{version}.{}",
        browser.name(),
        browser.archive_ext()
    ));
    let bytes = zip_dir(&dir, &files)?;
    std::fs::write(&archive, &bytes).with_context(|| format!("writing {}", archive.display()))?;
    let mut total = 0;
    for f in &files {
        total += std::fs::metadata(dir.join(f))?.len();
    }
    Ok(Packaged {
        browser,
        dir,
        archive,
        files,
        bytes: total,
        archive_bytes: bytes.len() as u64,
    })
}

// ---- test hooks

/// The background entry of the repository's manifest: it imports [`PRODUCTION_ENTRY`] and adds
/// the hooks the end-to-end suite and the bridge bench drive (`self.paceline`, tool calls from
/// extension pages). Packages start at [`PRODUCTION_ENTRY`] instead, and [`FILES`] does not
/// list the hooks.
pub const TEST_ENTRY: &str = "extension/js/test-hooks.js";
/// The background itself.
pub const PRODUCTION_ENTRY: &str = "extension/js/background.js";
/// Text that marks test-only code; a package holding it anywhere is refused. `self.paceline`
/// is the global the hooks install.
pub const HOOK_MARKERS: &[&str] = &["PACELINE_TEST_HOOKS", "self.paceline"];

/// Points a background entry at the production one when it is the test entry.
fn production_entry(v: &mut Value) {
    if v.as_str() == Some(TEST_ENTRY) {
        *v = Value::String(PRODUCTION_ENTRY.to_string());
    }
}

// ---- manifest per browser

/// The manifest for one browser: the shared `manifest.json` less the keys meant for the
/// other one, which each browser flags as unknown or unsupported (Chrome: `background.scripts`,
/// `browser_specific_settings`; Firefox: `background.service_worker`, `key`,
/// `minimum_chrome_version`). Chrome keeps `key`: it pins the extension ID that
/// `paceline install` writes into `allowed_origins`. Every other key is kept, in its order.
/// Fails, naming the field, if what the browser needs is absent (Chrome: a service worker;
/// Firefox: background scripts and the gecko id that native messaging matches on). The
/// background starts at [`PRODUCTION_ENTRY`] where the source manifest names [`TEST_ENTRY`].
pub fn manifest_for(manifest: &Value, browser: Browser) -> Result<Value> {
    let mut m = manifest.clone();
    let Some(obj) = m.as_object_mut() else {
        bail!("manifest.json is not a JSON object");
    };
    let (drop_top, drop_background): (&[&str], &str) = match browser {
        Browser::Chrome => (&["browser_specific_settings"], "scripts"),
        Browser::Firefox => (&["key", "minimum_chrome_version"], "service_worker"),
    };
    for key in drop_top {
        obj.shift_remove(*key);
    }
    let Some(background) = obj.get_mut("background").and_then(Value::as_object_mut) else {
        bail!("manifest.json has no \"background\" object");
    };
    background.shift_remove(drop_background);
    if let Some(sw) = background.get_mut("service_worker") {
        production_entry(sw);
    }
    if let Some(Value::Array(scripts)) = background.get_mut("scripts") {
        scripts.iter_mut().for_each(production_entry);
    }
    match browser {
        Browser::Chrome => {
            let path = background.get("service_worker").and_then(Value::as_str);
            if path.is_none_or(str::is_empty) {
                bail!("manifest.json: \"background.service_worker\" (a path) is needed for Chrome");
            }
        }
        Browser::Firefox => {
            let scripts_ok = background
                .get("scripts")
                .and_then(Value::as_array)
                .is_some_and(|a| !a.is_empty() && a.iter().all(Value::is_string));
            if !scripts_ok {
                bail!(
                    "manifest.json: \"background.scripts\" (a non-empty list of paths) is needed for Firefox"
                );
            }
            let gecko_id = obj
                .get("browser_specific_settings")
                .and_then(|b| b.get("gecko"))
                .and_then(|g| g.get("id"))
                .and_then(Value::as_str);
            if gecko_id.is_none_or(str::is_empty) {
                bail!(
                    "manifest.json: \"browser_specific_settings.gecko.id\" is needed for Firefox (native messaging matches on it)"
                );
            }
        }
    }
    Ok(m)
}

// ---- the checks

/// Checks `files` (package paths besides `manifest.json`) against `src` and against
/// `manifest` (one browser's): every listed file exists, every file the manifest names is
/// listed, and every package file that a listed JS/HTML/CSS file refers to by a literal path
/// is listed. Fails naming every problem at once.
pub fn check_list(src: &Source, files: &[&str], manifest: &Value) -> Result<()> {
    let listed: BTreeSet<&str> = files.iter().copied().collect();
    let in_package = |p: &str| p == "manifest.json" || listed.contains(p);
    let mut problems = Vec::new();
    for f in files {
        if normalise("", f).ok().as_deref() != Some(*f) || *f == "manifest.json" {
            problems.push(format!(
                "{f:?} is not a plain relative path of a package file"
            ));
        } else if !src.path(f).is_file() {
            problems.push(format!(
                "{f} is in the package but missing ({})",
                src.path(f).display()
            ));
        }
    }
    for (field, path) in manifest_refs(manifest) {
        match normalise("", &path) {
            Ok(p) if in_package(&p) => {}
            Ok(p) => problems.push(format!(
                "manifest.json ({field}) names {p}, which is not in the package"
            )),
            Err(e) => problems.push(format!("manifest.json ({field}): {e}")),
        }
    }
    for f in files {
        let kind = kind(f);
        if matches!(kind, Kind::Other) {
            continue;
        }
        // A missing file was reported above.
        let Ok(bytes) = std::fs::read(src.path(f)) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        let dir = f.rsplit_once('/').map_or("", |(d, _)| d);
        for r in refs(kind, &text) {
            let target = match &r {
                Ref::Relative(p) => normalise(dir, p),
                Ref::Root(p) => normalise("", p),
            };
            match target {
                Ok(t) if in_package(&t) => {}
                Ok(t) => problems.push(format!("{f} refers to {t}, which is not in the package")),
                Err(e) => problems.push(format!("a reference in {f}: {e}")),
            }
        }
    }
    if !problems.is_empty() {
        bail!("{}", problems.join("\n"));
    }
    Ok(())
}

/// Checks a finished package directory: [`check_list`] over the files it holds, the CSP
/// allows WebAssembly if there is any, and no test hook is in it. Returns the files it holds
/// (relative, sorted, the manifest included).
pub fn check_package(dir: &Path) -> Result<Vec<String>> {
    let manifest_path = dir.join("manifest.json");
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(&manifest_path)
            .with_context(|| format!("reading {}", manifest_path.display()))?,
    )?;
    let files = list_files(dir)?;
    let held: Vec<&str> = files
        .iter()
        .map(String::as_str)
        .filter(|f| *f != "manifest.json")
        .collect();
    check_list(&Source::tree(dir), &held, &manifest)
        .with_context(|| format!("the package {} is incomplete", dir.display()))?;
    if files.iter().any(|f| f.ends_with(".wasm")) {
        let csp = manifest
            .get("content_security_policy")
            .and_then(|c| c.get("extension_pages"))
            .and_then(Value::as_str)
            .unwrap_or("");
        if !csp.contains("'wasm-unsafe-eval'") {
            bail!(
                "{}: the package holds wasm but content_security_policy.extension_pages lacks 'wasm-unsafe-eval' (the default CSP disables WebAssembly)",
                manifest_path.display()
            );
        }
    }
    let mut hooks = Vec::new();
    for f in &files {
        if f == TEST_ENTRY {
            hooks.push(format!("{f} (the test entry)"));
        }
        if !matches!(kind(f), Kind::Other) || f == "manifest.json" {
            let text = std::fs::read_to_string(dir.join(f))
                .with_context(|| format!("reading {}", dir.join(f).display()))?;
            for m in HOOK_MARKERS.iter().filter(|m| text.contains(**m)) {
                hooks.push(format!("{f} contains {m:?}"));
            }
        }
    }
    if !hooks.is_empty() {
        bail!(
            "{}: test hooks would ship in the package: {}",
            dir.display(),
            hooks.join("; ")
        );
    }
    Ok(files)
}

/// Files under `extension/js/` that no package contains.
fn left_out(root: &Path, done: &[Packaged]) -> Result<Vec<String>> {
    let js = root.join("extension/js");
    let in_some: BTreeSet<&String> = done.iter().flat_map(|p| &p.files).collect();
    Ok(list_files(&js)?
        .into_iter()
        .map(|f| format!("extension/js/{f}"))
        // Left out on purpose (see `TEST_ENTRY`), not by an oversight worth a note.
        .filter(|f| !in_some.contains(f) && f != TEST_ENTRY)
        .collect())
}

/// The paths a manifest names, with the field they came from. Covers the MV3 fields of both
/// browsers that point at package files; globs in `web_accessible_resources` are skipped.
fn manifest_refs(m: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut one = |field: String, v: Option<&Value>| {
        if let Some(s) = v.and_then(Value::as_str) {
            out.push((field, s.to_string()));
        }
    };
    let get = |path: &str| -> Option<&Value> { path.split('.').try_fold(m, |v, k| v.get(k)) };
    for field in [
        "background.service_worker",
        "background.page",
        "action.default_popup",
        "browser_action.default_popup",
        "page_action.default_popup",
        "options_page",
        "options_ui.page",
        "side_panel.default_path",
        "sidebar_action.default_panel",
        "devtools_page",
        "action.default_icon",
    ] {
        one(field.to_string(), get(field));
    }
    let mut each = |field: &str, v: Option<&Value>| match v {
        Some(Value::Array(a)) => {
            for (i, x) in a.iter().enumerate() {
                one(format!("{field}[{i}]"), Some(x));
            }
        }
        Some(Value::Object(o)) => {
            for (k, x) in o {
                one(format!("{field}.{k}"), Some(x));
            }
        }
        _ => {}
    };
    each("background.scripts", get("background.scripts"));
    each("icons", get("icons"));
    each("action.default_icon", get("action.default_icon"));
    each("chrome_url_overrides", get("chrome_url_overrides"));
    if let Some(Value::Array(cs)) = get("content_scripts") {
        for (i, c) in cs.iter().enumerate() {
            each(&format!("content_scripts[{i}].js"), c.get("js"));
            each(&format!("content_scripts[{i}].css"), c.get("css"));
        }
    }
    if let Some(Value::Array(wars)) = get("web_accessible_resources") {
        for (i, w) in wars.iter().enumerate() {
            if let Some(Value::Array(res)) = w.get("resources") {
                for (j, r) in res.iter().enumerate() {
                    if let Some(s) = r.as_str().filter(|s| !s.contains('*')) {
                        out.push((
                            format!("web_accessible_resources[{i}].resources[{j}]"),
                            s.to_string(),
                        ));
                    }
                }
            }
        }
    }
    out
}

#[derive(Clone, Copy)]
enum Kind {
    Js,
    Html,
    Css,
    Other,
}

fn kind(path: &str) -> Kind {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("js" | "mjs") => Kind::Js,
        Some("html" | "htm") => Kind::Html,
        Some("css") => Kind::Css,
        _ => Kind::Other,
    }
}

/// Joins `spec` (a URL path, `?query`/`#fragment` dropped) onto `dir` and resolves `.`/`..`;
/// a leading `/` means the package root. Fails if the result leaves the package.
fn normalise(dir: &str, spec: &str) -> Result<String> {
    let spec = spec.split(['?', '#']).next().unwrap_or("");
    let mut parts: Vec<&str> = if spec.starts_with('/') {
        Vec::new()
    } else {
        dir.split('/').filter(|s| !s.is_empty()).collect()
    };
    for seg in spec.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    bail!("{spec:?} points outside the package");
                }
            }
            s => parts.push(s),
        }
    }
    if parts.is_empty() || spec.ends_with('/') {
        bail!("{spec:?} does not name a file");
    }
    Ok(parts.join("/"))
}

/// Whether a URL names something outside the package (a scheme, `//host`, a fragment).
fn is_external(url: &str) -> bool {
    if url.is_empty() || url.starts_with('#') || url.starts_with("//") {
        return true;
    }
    match url.find(':') {
        Some(colon) => !url[..colon].contains('/'),
        None => false,
    }
}

// ---- references, by text search

/// A path found in a package file.
#[derive(Debug, PartialEq, Eq)]
enum Ref {
    /// Relative to the referring file's directory (or to the root if it starts with `/`).
    Relative(String),
    /// Relative to the package root (`runtime.getURL`).
    Root(String),
}

/// The literal paths in a file, by a text search (no parsing, comments included):
/// - JS: module paths (`./`, `../` or `/`) after `from`, `import` and `import(`, the first
///   argument of `new URL(…, import.meta.url)` (wasm-bindgen's glue loads its
///   `.wasm` so) and of `getURL(…)` (root-relative; cut at `?`, `#` or `${`);
/// - HTML: `src=` and `href=` values;
/// - CSS: `url(…)` and `@import "…"`.
///
/// URLs with a scheme, `//host` or only a fragment are not package files and are skipped.
fn refs(kind: Kind, text: &str) -> Vec<Ref> {
    let local = |s: &str| {
        let s = s.trim();
        (!is_external(s)).then(|| s.to_string())
    };
    match kind {
        Kind::Js => {
            let mut out: Vec<Ref> = ["from", "import", "import("]
                .iter()
                .flat_map(|needle| literals_after(text, needle))
                .filter(|s| {
                    (s.starts_with("./") || s.starts_with("../") || s.starts_with('/'))
                        && !s.contains("${")
                })
                .map(Ref::Relative)
                .collect();
            for needle in ["new URL(", "getURL("] {
                for s in literals_after(text, needle) {
                    let path = s.split(['?', '#']).next().unwrap_or("");
                    if path.contains("${") {
                        continue;
                    }
                    match (needle, local(path)) {
                        ("getURL(", Some(p)) => out.push(Ref::Root(p)),
                        (_, Some(p)) => out.push(Ref::Relative(p)),
                        (_, None) => {}
                    }
                }
            }
            out
        }
        Kind::Html => ["src=", "href="]
            .iter()
            .flat_map(|needle| html_values(text, needle))
            .filter_map(|s| local(&s))
            .map(Ref::Relative)
            .collect(),
        Kind::Css => {
            let mut out: Vec<Ref> = Vec::new();
            let mut rest = text;
            while let Some(i) = rest.find("url(") {
                let body = &rest[i + 4..];
                let end = body.find(')').unwrap_or(body.len());
                let raw = body[..end].trim().trim_matches(['"', '\'']);
                out.extend(local(raw).map(Ref::Relative));
                rest = &body[end..];
            }
            out.extend(
                literals_after(text, "@import")
                    .iter()
                    .filter_map(|s| local(s))
                    .map(Ref::Relative),
            );
            out
        }
        Kind::Other => Vec::new(),
    }
}

/// For each `needle` in `text`: the string literal that follows it (after blanks), if one
/// does.
fn literals_after(text: &str, needle: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(needle) {
        rest = &rest[i + needle.len()..];
        let after = rest.trim_start();
        if let Some(q) = after
            .chars()
            .next()
            .filter(|c| matches!(c, '"' | '\'' | '`'))
            && let Some(end) = after[1..].find([q, '\n'])
        {
            out.push(after[1..1 + end].to_string());
        }
    }
    out
}

/// Values of an HTML attribute (`needle` is `name=`), quoted or not.
fn html_values(text: &str, needle: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(needle) {
        // `data-src=` is another attribute.
        let boundary = rest[..i]
            .chars()
            .next_back()
            .is_none_or(char::is_whitespace);
        let after = &rest[i + needle.len()..];
        if boundary {
            let value = match after.chars().next() {
                Some(q @ ('"' | '\'')) => after[1..].split(q).next().unwrap_or(""),
                _ => after
                    .split(|c: char| c.is_whitespace() || c == '>')
                    .next()
                    .unwrap_or(""),
            };
            out.push(value.to_string());
        }
        rest = after;
    }
    out
}

// ---- files and archives

/// Every file under `dir`, relative with `/`, sorted.
fn list_files(dir: &Path) -> Result<Vec<String>> {
    fn go(base: &Path, dir: &Path, out: &mut Vec<String>) -> Result<()> {
        for entry in std::fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                go(base, &path, out)?;
            } else {
                let rel = path.strip_prefix(base).unwrap_or(&path);
                let parts: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.push(parts.join("/"));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    if dir.is_dir() {
        go(dir, dir, &mut out)?;
    }
    out.sort();
    Ok(out)
}

/// A zip of `files` (relative to `dir`), the same bytes for the same files: entries in the
/// given (sorted) order, deflated at a fixed level, every timestamp 1980-01-01 00:00 (the
/// zip epoch), mode 0644, "made by" Unix, no extra fields. No directory entries: browsers
/// and `unzip` create directories from the file paths.
pub fn zip_dir(dir: &Path, files: &[String]) -> Result<Vec<u8>> {
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9))
        .last_modified_time(zip::DateTime::default())
        .system(zip::System::Unix)
        .unix_permissions(0o644);
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut sorted: Vec<&String> = files.iter().collect();
    sorted.sort();
    for f in sorted {
        let data = std::fs::read(dir.join(f)).with_context(|| format!("reading {f}"))?;
        w.start_file(f.as_str(), options)
            .with_context(|| format!("zipping {f}"))?;
        w.write_all(&data)?;
    }
    Ok(w.finish().context("finishing the zip")?.into_inner())
}

fn rel(root: &Path, p: &Path) -> String {
    p.strip_prefix(root).unwrap_or(p).display().to_string()
}

fn human(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.2} MiB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    }
}

#[cfg(test)]
mod tests;
