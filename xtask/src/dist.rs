//! `cargo xtask dist`: loadable Chrome and Firefox packages of the extension under `dist/`.
//!
//! For each browser this writes an unpacked directory (`dist/chrome/`, `dist/firefox/`) with the
//! same relative layout as the repository, so every path in the manifest keeps working, and a
//! deterministic archive of it (`dist/paceline-chrome-<version>.zip`,
//! `dist/paceline-firefox-<version>.xpi`): entries sorted, fixed timestamps and permissions, so
//! two runs over the same files give the same bytes.
//!
//! **What goes in is decided by reachability**, not by a list or a glob: the files the
//! manifest names (background, popup, icons, …), then everything those files reference
//! (HTML `<script src>`/`<link href>`, JS `import … from "…"`, `import("…")`,
//! `new URL("…", import.meta.url)`, `runtime.getURL("…")`, CSS `url(…)`/`@import`). A list
//! would have to be kept in step with the code by hand, and a glob over `extension/js/` ships
//! dead files and anything a developer leaves there; reachability ships exactly what is
//! loaded, and follows the wasm-bindgen glue to its `.wasm` (and to any `snippets/` a future
//! `#[wasm_bindgen(module = …)]` adds) without this file changing. The risk is a reference
//! the scanner cannot see (a computed `getURL`): such a file would be left out. Two guards:
//! the run prints every file under `extension/js/` that was left out, and a reference whose
//! path is computed is reported as not checkable.
//!
//! **The completeness check** ([`check_package`]) walks the finished directory again from its
//! own manifest and fails, naming each missing file and who referenced it, if anything
//! referenced is absent. It also fails when the package holds a `.wasm` but the extension-page
//! CSP lacks `'wasm-unsafe-eval'` (the default CSP disables WebAssembly).
//!
//! The wasm build ([`dist`]) is kept apart from the assembling ([`package`]), which works on
//! any source tree, so the tests run on small fixture trees without building wasm.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::wasm;

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

    fn name(self) -> &'static str {
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

/// `cargo xtask dist`: release wasm, then both packages, then a summary.
pub fn dist(root: &Path) -> Result<()> {
    let pkgs = wasm::build(root, true, wasm::Hooks::Shipped)?;
    // The test hooks must never reach a package (they can crash the module on demand).
    let glue = pkgs.full.join("paceline_extension.js");
    let text =
        std::fs::read_to_string(&glue).with_context(|| format!("reading {}", glue.display()))?;
    if text.contains("__testPanic") || text.contains("__setRequestTimeoutMs") {
        bail!(
            "{} exports the test hooks; dist must build without `test-hooks`",
            glue.display()
        );
    }
    let out = root.join("dist");
    let mut done = Vec::new();
    for browser in Browser::ALL {
        done.push(package(root, &out, browser)?);
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
            "  note: not referenced from the manifest, so not packaged: {}",
            left_out.join(", ")
        );
    }
    Ok(())
}

/// Assembles `out/<browser>/` from the extension in `src` (a tree laid out like the
/// repository: `manifest.json` at its root), checks it, and writes its archive into `out`.
/// Replaces whatever an earlier run left there.
pub fn package(src: &Path, out: &Path, browser: Browser) -> Result<Packaged> {
    let manifest_path = src.join("manifest.json");
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

    let reach = walk(src, &manifest).with_context(|| {
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
    for file in reach.files.iter().filter(|f| f.as_str() != "manifest.json") {
        let to = dir.join(file);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::copy(src.join(file), &to).with_context(|| format!("copying {file}"))?;
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
/// extension pages). Packages start at [`PRODUCTION_ENTRY`] instead, so the hooks are neither
/// reachable nor packaged.
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

// ---- reachability

/// The result of walking a tree from its manifest.
#[derive(Debug, Default)]
pub struct Reach {
    /// Every referenced file that exists, relative with `/`, the manifest included.
    pub files: BTreeSet<String>,
    /// References whose path is computed at run time, so they could not be checked
    /// (`file: what`).
    pub unchecked: Vec<String>,
}

/// One reference found in a file.
#[derive(Debug, PartialEq, Eq)]
enum Ref {
    /// Relative to the referencing file's directory (or to the root if it starts with `/`).
    Relative(String),
    /// Relative to the package root (manifest fields, `runtime.getURL`).
    Root(String),
    /// A module specifier that is neither relative nor a URL: browsers cannot load it.
    Bare(String),
    /// A path built at run time.
    Dynamic(String),
}

/// Walks `root` from `manifest`; fails naming every referenced file that is missing.
pub fn walk(root: &Path, manifest: &Value) -> Result<Reach> {
    let mut reach = Reach::default();
    reach.files.insert("manifest.json".to_string());
    let mut queue: VecDeque<(String, String)> = manifest_refs(manifest)
        .into_iter()
        .map(|(field, path)| (path, format!("manifest.json ({field})")))
        .collect();
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    while let Some((path, from)) = queue.pop_front() {
        let path = match normalise("", &path) {
            Ok(p) => p,
            Err(e) => {
                problems.push(format!("{path:?} (referenced from {from}): {e}"));
                continue;
            }
        };
        if !seen.insert(path.clone()) {
            continue;
        }
        let file = root.join(&path);
        if !file.is_file() {
            problems.push(format!("{path} is missing (referenced from {from})"));
            continue;
        }
        reach.files.insert(path.clone());
        let refs = match kind(&path) {
            Kind::Js | Kind::Html | Kind::Css => {
                let text = std::fs::read_to_string(&file)
                    .with_context(|| format!("reading {}", file.display()))?;
                match kind(&path) {
                    Kind::Js => js_refs(&text),
                    Kind::Html => html_refs(&text),
                    _ => css_refs(&text),
                }
            }
            Kind::Other => Vec::new(),
        };
        let dir = path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        for r in refs {
            let target = match r {
                Ref::Relative(p) => normalise(dir, &p),
                Ref::Root(p) => normalise("", &p),
                Ref::Bare(s) => {
                    problems.push(format!(
                        "{path} imports {s:?}, a bare module specifier a browser cannot load (use \"./\" or \"../\")"
                    ));
                    continue;
                }
                Ref::Dynamic(what) => {
                    reach.unchecked.push(format!("{path}: {what}"));
                    continue;
                }
            };
            match target {
                Ok(t) => queue.push_back((t, path.clone())),
                Err(e) => problems.push(format!("a reference in {path}: {e}")),
            }
        }
    }
    if !problems.is_empty() {
        bail!("{}", problems.join("\n"));
    }
    Ok(reach)
}

/// Checks a finished package directory: every file its manifest reaches is there, and the CSP
/// allows WebAssembly if there is any. Returns the files it holds (relative, sorted).
pub fn check_package(dir: &Path) -> Result<Vec<String>> {
    let manifest_path = dir.join("manifest.json");
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(&manifest_path)
            .with_context(|| format!("reading {}", manifest_path.display()))?,
    )?;
    let reach = walk(dir, &manifest)
        .with_context(|| format!("the package {} is incomplete", dir.display()))?;
    let files = list_files(dir)?;
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
        if matches!(kind(f), Kind::Js | Kind::Html) || f == "manifest.json" {
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
    let extra: Vec<&String> = files.iter().filter(|f| !reach.files.contains(*f)).collect();
    if !extra.is_empty() {
        // Cannot happen for a package made by `package` (it copies only reachable files);
        // worth a line if someone hand-edits dist/.
        eprintln!(
            "{}: {} files packaged but not referenced: {extra:?}",
            dir.display(),
            extra.len()
        );
    }
    for u in &reach.unchecked {
        eprintln!("{}: not checkable (computed path): {u}", dir.display());
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

// ---- HTML

/// `src` of `<script>`, `<img>`, `<iframe>`; `href` of `<link>`. Comments are skipped.
fn html_refs(html: &str) -> Vec<Ref> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        rest = &rest[lt + 1..];
        if let Some(after) = rest.strip_prefix("!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        let name_len = rest
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        let name = rest[..name_len].to_ascii_lowercase();
        let (attrs, after) = tag_attrs(&rest[name_len..]);
        rest = after;
        let wanted = match name.as_str() {
            "script" | "img" | "iframe" => "src",
            "link" => "href",
            _ => continue,
        };
        if let Some(url) = attrs.get(wanted).map(|u| u.trim())
            && !is_external(url)
        {
            out.push(Ref::Relative(url.to_string()));
        }
    }
    out
}

/// Parses attributes up to the tag's `>`; returns them (names lower-cased) and the rest.
fn tag_attrs(s: &str) -> (BTreeMap<String, String>, &str) {
    let mut attrs = BTreeMap::new();
    let mut rest = s;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() {
            return (attrs, rest);
        }
        if let Some(after) = rest.strip_prefix('>') {
            return (attrs, after);
        }
        let name_len = rest
            .find(|c: char| c.is_whitespace() || matches!(c, '=' | '>' | '/'))
            .unwrap_or(rest.len());
        let name = rest[..name_len].to_ascii_lowercase();
        rest = rest[name_len..].trim_start();
        let mut value = String::new();
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            if let Some(q) = after.chars().next().filter(|c| *c == '"' || *c == '\'') {
                let body = &after[1..];
                let end = body.find(q).unwrap_or(body.len());
                value = body[..end].to_string();
                rest = body.get(end + 1..).unwrap_or("");
            } else {
                let end = after
                    .find(|c: char| c.is_whitespace() || c == '>')
                    .unwrap_or(after.len());
                value = after[..end].to_string();
                rest = &after[end..];
            }
        }
        if name.is_empty() {
            // A stray character; skip it so the loop advances.
            rest = rest.get(1..).unwrap_or("");
            continue;
        }
        attrs.insert(name, value);
    }
}

// ---- CSS

/// `url(…)` and `@import "…"`, outside comments.
fn css_refs(css: &str) -> Vec<Ref> {
    let mut text = String::new();
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        text.push_str(&rest[..start]);
        rest = rest[start + 2..]
            .find("*/")
            .map_or("", |end| &rest[start + 2 + end + 2..]);
    }
    text.push_str(rest);
    let mut out = Vec::new();
    let mut push = |raw: &str| {
        let url = raw.trim().trim_matches(['"', '\'']).trim();
        if !is_external(url) {
            out.push(Ref::Relative(url.to_string()));
        }
    };
    let mut rest = text.as_str();
    while let Some(i) = rest.find("url(") {
        let body = &rest[i + 4..];
        let end = body.find(')').unwrap_or(body.len());
        push(&body[..end]);
        rest = &body[end..];
    }
    let mut rest = text.as_str();
    while let Some(i) = rest.find("@import") {
        let body = rest[i + 7..].trim_start();
        if let Some(q) = body.chars().next().filter(|c| *c == '"' || *c == '\'') {
            let inner = &body[1..];
            let end = inner.find(q).unwrap_or(inner.len());
            push(&inner[..end]);
        }
        rest = body;
    }
    out
}

// ---- JavaScript

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Punct(char),
    Str(String),
    /// A template literal's raw text, `${…}` included.
    Template(String),
}

/// A small JS tokenizer: enough to find string literals in their syntactic place while
/// skipping comments, strings, templates and regular expressions (so an `import` in a
/// comment or a string is not a reference).
fn lex_js(src: &str) -> Vec<Tok> {
    let c: Vec<char> = src.chars().collect();
    let at = |i: usize| c.get(i).copied();
    let mut toks: Vec<Tok> = Vec::new();
    let mut i = 0;
    while let Some(ch) = at(i) {
        if ch.is_whitespace() {
            i += 1;
        } else if ch == '/' && at(i + 1) == Some('/') {
            while at(i).is_some_and(|x| x != '\n') {
                i += 1;
            }
        } else if ch == '/' && at(i + 1) == Some('*') {
            i += 2;
            while at(i).is_some() && !(at(i) == Some('*') && at(i + 1) == Some('/')) {
                i += 1;
            }
            i += 2;
        } else if ch == '/' && regex_allowed(toks.last()) {
            i = skip_regex(&c, i + 1);
        } else if ch == '"' || ch == '\'' {
            let (s, next) = read_string(&c, i + 1, ch);
            toks.push(Tok::Str(s));
            i = next;
        } else if ch == '`' {
            let start = i + 1;
            let next = skip_template(&c, start);
            let end = next.saturating_sub(1).max(start);
            toks.push(Tok::Template(
                c.get(start..end).unwrap_or(&[]).iter().collect(),
            ));
            i = next;
        } else if ch.is_alphanumeric() || ch == '_' || ch == '$' {
            let start = i;
            while at(i).is_some_and(|x| x.is_alphanumeric() || x == '_' || x == '$') {
                i += 1;
            }
            toks.push(Tok::Ident(c.get(start..i).unwrap_or(&[]).iter().collect()));
        } else {
            toks.push(Tok::Punct(ch));
            i += 1;
        }
    }
    toks
}

/// Whether a `/` here starts a regular expression rather than a division.
fn regex_allowed(prev: Option<&Tok>) -> bool {
    match prev {
        None => true,
        Some(Tok::Punct(p)) => !matches!(p, ')' | ']' | '}'),
        Some(Tok::Ident(w)) => matches!(
            w.as_str(),
            "return"
                | "typeof"
                | "instanceof"
                | "in"
                | "of"
                | "new"
                | "delete"
                | "void"
                | "throw"
                | "case"
                | "do"
                | "else"
                | "yield"
                | "await"
        ),
        Some(Tok::Str(_) | Tok::Template(_)) => false,
    }
}

/// From just after the opening `/`; returns the index after the flags.
fn skip_regex(c: &[char], mut i: usize) -> usize {
    let mut class = false;
    while let Some(&ch) = c.get(i) {
        i += 1;
        match ch {
            '\\' => i += 1,
            '[' => class = true,
            ']' => class = false,
            '/' if !class => break,
            '\n' => break,
            _ => {}
        }
    }
    while c.get(i).is_some_and(|x| x.is_alphanumeric()) {
        i += 1;
    }
    i
}

/// From just after the opening quote; returns the decoded value (simple escapes) and the
/// index after the closing quote.
fn read_string(c: &[char], mut i: usize, quote: char) -> (String, usize) {
    let mut s = String::new();
    while let Some(&ch) = c.get(i) {
        i += 1;
        if ch == quote || ch == '\n' {
            break;
        }
        if ch == '\\' {
            if let Some(&next) = c.get(i) {
                s.push(next);
                i += 1;
            }
        } else {
            s.push(ch);
        }
    }
    (s, i)
}

/// From just after the opening backtick; returns the index after the closing one, skipping
/// nested strings and templates inside `${…}`.
fn skip_template(c: &[char], mut i: usize) -> usize {
    while let Some(&ch) = c.get(i) {
        i += 1;
        match ch {
            '\\' => i += 1,
            '`' => return i,
            '$' if c.get(i) == Some(&'{') => {
                i += 1;
                let mut depth = 1;
                while let Some(&e) = c.get(i) {
                    i += 1;
                    match e {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        '"' | '\'' => i = read_string(c, i, e).1,
                        '`' => i = skip_template(c, i),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    i
}

/// Module specifiers (`import … from "…"`, `export … from "…"`, `import "…"`,
/// `import("…")`), `new URL("…", import.meta.url)`, `importScripts("…")` and
/// `runtime.getURL("…")` (root-relative; a template is cut at its query string).
fn js_refs(src: &str) -> Vec<Ref> {
    let t = lex_js(src);
    let ident = |i: usize, w: &str| matches!(t.get(i), Some(Tok::Ident(x)) if x == w);
    let punct = |i: usize, p: char| t.get(i) == Some(&Tok::Punct(p));
    let string = |i: usize| match t.get(i) {
        Some(Tok::Str(s)) => Some(s.clone()),
        _ => None,
    };
    let module = |s: String| {
        if s.starts_with("./") || s.starts_with("../") || s.starts_with('/') {
            Some(Ref::Relative(s))
        } else if is_external(&s) {
            None
        } else {
            Some(Ref::Bare(s))
        }
    };
    let mut out = Vec::new();
    for i in 0..t.len() {
        let after_dot = i > 0 && punct(i - 1, '.');
        if after_dot && !ident(i, "getURL") {
            continue;
        }
        if ident(i, "import") {
            if let Some(s) = string(i + 1) {
                out.extend(module(s));
            } else if punct(i + 1, '(') {
                match t.get(i + 2) {
                    Some(Tok::Str(s)) => out.extend(module(s.clone())),
                    Some(Tok::Template(s)) if !s.contains("${") => out.extend(module(s.clone())),
                    Some(Tok::Template(s)) => out.push(Ref::Dynamic(format!("import(`{s}`)"))),
                    Some(Tok::Ident(_)) => out.push(Ref::Dynamic("import(<expression>)".into())),
                    _ => {}
                }
            }
        } else if ident(i, "from") {
            if let Some(s) = string(i + 1) {
                out.extend(module(s));
            }
        } else if ident(i, "new")
            && ident(i + 1, "URL")
            && punct(i + 2, '(')
            && punct(i + 4, ',')
            && ident(i + 5, "import")
            && punct(i + 6, '.')
            && ident(i + 7, "meta")
            && punct(i + 8, '.')
            && ident(i + 9, "url")
        {
            match t.get(i + 3) {
                Some(Tok::Str(s)) if !is_external(s) => out.push(Ref::Relative(s.clone())),
                Some(Tok::Template(s)) => out.push(Ref::Dynamic(format!("new URL(`{s}`)"))),
                _ => {}
            }
        } else if ident(i, "importScripts") && punct(i + 1, '(') {
            let mut j = i + 2;
            while let Some(s) = string(j) {
                if !is_external(&s) {
                    out.push(Ref::Relative(s));
                }
                j += if punct(j + 1, ',') { 2 } else { break };
            }
        } else if ident(i, "getURL") && punct(i + 1, '(') {
            let (raw, template) = match t.get(i + 2) {
                Some(Tok::Str(s)) => (s.clone(), false),
                Some(Tok::Template(s)) => (s.clone(), true),
                Some(_) => {
                    out.push(Ref::Dynamic("getURL(<expression>)".into()));
                    continue;
                }
                None => continue,
            };
            let path_end = raw.find(['?', '#']).unwrap_or(raw.len());
            let path = &raw[..path_end];
            if template && path.contains("${") {
                out.push(Ref::Dynamic(format!("getURL(`{raw}`)")));
            } else if !path.is_empty() && !is_external(path) {
                out.push(Ref::Root(path.to_string()));
            }
        }
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
