use super::*;

use serde_json::json;

/// A scratch directory removed on drop (no extra dev-dependency for this).
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir =
            std::env::temp_dir().join(format!("xtask-dist-test-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn write(&self, rel: &str, text: &str) {
        let p = self.0.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The repository's manifest shape, small.
fn dual_manifest() -> Value {
    json!({
        "manifest_version": 3,
        "name": "T",
        "version": "1.2.3",
        "key": "KEY",
        "minimum_chrome_version": "121",
        "background": {
            "service_worker": "extension/js/background.js",
            "scripts": ["extension/js/background.js"],
            "type": "module"
        },
        "action": { "default_popup": "extension/js/popup/popup.html" },
        "permissions": ["nativeMessaging"],
        "content_security_policy": {
            "extension_pages": "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'"
        },
        "browser_specific_settings": { "gecko": { "id": "t@example.org" } }
    })
}

fn keys(v: &Value) -> Vec<String> {
    v.as_object().unwrap().keys().cloned().collect()
}

#[test]
fn manifest_per_browser() {
    struct Case {
        name: &'static str,
        browser: Browser,
        top_keys: &'static [&'static str],
        background_keys: &'static [&'static str],
    }
    let cases = [
        Case {
            name: "chrome drops background.scripts and browser_specific_settings, keeps key",
            browser: Browser::Chrome,
            top_keys: &[
                "manifest_version",
                "name",
                "version",
                "key",
                "minimum_chrome_version",
                "background",
                "action",
                "permissions",
                "content_security_policy",
            ],
            background_keys: &["service_worker", "type"],
        },
        Case {
            name: "firefox drops service_worker, key and minimum_chrome_version",
            browser: Browser::Firefox,
            top_keys: &[
                "manifest_version",
                "name",
                "version",
                "background",
                "action",
                "permissions",
                "content_security_policy",
                "browser_specific_settings",
            ],
            background_keys: &["scripts", "type"],
        },
    ];
    let source = dual_manifest();
    for c in cases {
        let m = manifest_for(&source, c.browser).unwrap();
        assert_eq!(keys(&m), c.top_keys, "{}: top-level keys in order", c.name);
        assert_eq!(
            keys(&m["background"]),
            c.background_keys,
            "{}: background keys",
            c.name
        );
        // Everything kept is unchanged.
        for k in c.top_keys.iter().filter(|k| **k != "background") {
            assert_eq!(m[k], source[k], "{}: {k} unchanged", c.name);
        }
    }
    assert_eq!(
        manifest_for(&source, Browser::Chrome).unwrap()["key"],
        "KEY"
    );
}

#[test]
fn manifest_errors_name_the_field() {
    type Case = (&'static str, Browser, fn(&mut Value), &'static str);
    let cases: [Case; 5] = [
        (
            "chrome without a service worker",
            Browser::Chrome,
            |m| {
                m["background"]
                    .as_object_mut()
                    .unwrap()
                    .remove("service_worker");
            },
            "background.service_worker",
        ),
        (
            "firefox without background.scripts",
            Browser::Firefox,
            |m| {
                m["background"].as_object_mut().unwrap().remove("scripts");
            },
            "background.scripts",
        ),
        (
            "firefox with empty background.scripts",
            Browser::Firefox,
            |m| m["background"]["scripts"] = json!([]),
            "background.scripts",
        ),
        (
            "firefox without a gecko id",
            Browser::Firefox,
            |m| {
                m.as_object_mut()
                    .unwrap()
                    .remove("browser_specific_settings");
            },
            "browser_specific_settings.gecko.id",
        ),
        (
            "no background at all",
            Browser::Chrome,
            |m| {
                m.as_object_mut().unwrap().remove("background");
            },
            "\"background\"",
        ),
    ];
    for (name, browser, edit, needle) in cases {
        let mut m = dual_manifest();
        edit(&mut m);
        let err = manifest_for(&m, browser).unwrap_err().to_string();
        assert!(err.contains(needle), "{name}: {err}");
    }
}

#[test]
fn the_repository_manifest_transforms_for_both_browsers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let text = std::fs::read_to_string(root.join("manifest.json")).unwrap();
    let m: Value = serde_json::from_str(&text).unwrap();
    let chrome = manifest_for(&m, Browser::Chrome).unwrap();
    let firefox = manifest_for(&m, Browser::Firefox).unwrap();
    assert!(chrome.get("key").is_some());
    assert!(chrome["background"].get("scripts").is_none());
    assert!(firefox.get("key").is_none());
    assert!(firefox["background"].get("service_worker").is_none());
    assert!(
        firefox["browser_specific_settings"]["gecko"]["id"]
            .as_str()
            .is_some()
    );
}

#[test]
fn js_references() {
    let cases: &[(&str, &str, Vec<Ref>)] = &[
        (
            "static, side-effect and re-export",
            "import a, * as b from \"./a.js\";\nimport './side.js';\nexport { x } from '../x.js';",
            vec![
                // By needle (`from`, then `import`), then by position.
                Ref::Relative("./a.js".into()),
                Ref::Relative("../x.js".into()),
                Ref::Relative("./side.js".into()),
            ],
        ),
        (
            "dynamic import and new URL(…, import.meta.url)",
            "const m = await import(\"./lazy.js\");\nconst u = new URL('x_bg.wasm', import.meta.url);",
            vec![
                Ref::Relative("./lazy.js".into()),
                Ref::Relative("x_bg.wasm".into()),
            ],
        ),
        (
            "getURL with a query in a template is root-relative; getURL(\"\") is the root",
            "chrome.runtime.getURL(`ext/confirm.html?id=${encodeURIComponent(a)}`); getURL(\"\")",
            vec![Ref::Root("ext/confirm.html".into())],
        ),
        (
            "computed paths are not seen",
            "browser.runtime.getURL(`pages/${name}.html`); import(`./${n}.js`); import(spec);",
            vec![],
        ),
        (
            "other strings that look like paths are not references (wasm-bindgen's import object)",
            "const imports = { \"./x_bg.js\": import0 }; const s = './not-a-module.js';",
            vec![],
        ),
        (
            "URLs and bare specifiers are not package files",
            "import x from \"lodash\"; import y from \"https://cdn.example/y.js\"; new URL(\"https://a.example/\");",
            vec![],
        ),
    ];
    for (name, src, want) in cases {
        assert_eq!(&refs(Kind::Js, src), want, "{name}");
    }
}

#[test]
fn html_and_css_references() {
    let html = r##"<!doctype html><html><head>
        <link rel="stylesheet" href="popup.css">
        <link rel=icon href='../icons/i.png'>
        <script type="module" src="popup.js"></script>
        <script src="https://example.org/x.js"></script>
        <img alt="x" data-src="lazy.png" src=img/a.svg />
        <a href="#top">top</a>
        </head></html>"##;
    assert_eq!(
        refs(Kind::Html, html),
        vec![
            Ref::Relative("popup.js".into()),
            Ref::Relative("img/a.svg".into()),
            Ref::Relative("popup.css".into()),
            Ref::Relative("../icons/i.png".into()),
        ]
    );
    let css = "@import \"base.css\";\n.a { background: url('a.png') }\n\
               .b { background: url(data:image/png;base64,xx) } .c { background: url( \"c.svg\" ) }";
    assert_eq!(
        refs(Kind::Css, css),
        vec![
            Ref::Relative("a.png".into()),
            Ref::Relative("c.svg".into()),
            Ref::Relative("base.css".into()),
        ]
    );
}

#[test]
fn normalise_paths() {
    let ok = [
        ("extension/js", "../pkg/x.js", "extension/pkg/x.js"),
        ("extension/js", "./a.js", "extension/js/a.js"),
        (
            "extension/js/popup",
            "popup.css?v=1#top",
            "extension/js/popup/popup.css",
        ),
        ("extension/js", "/manifest.json", "manifest.json"),
        (
            "",
            "extension/js/confirm/confirm.html",
            "extension/js/confirm/confirm.html",
        ),
    ];
    for (dir, spec, want) in ok {
        assert_eq!(normalise(dir, spec).unwrap(), want, "{dir} + {spec}");
    }
    for (dir, spec) in [("a", "../../x.js"), ("", ""), ("a", "./")] {
        assert!(normalise(dir, spec).is_err(), "{dir} + {spec} should fail");
    }
}

/// A small extension tree like the repository's, with files that must not be packaged.
fn fixture(s: &Scratch) {
    s.write(
        "manifest.json",
        &serde_json::to_string_pretty(&dual_manifest()).unwrap(),
    );
    s.write(
        "extension/js/background.js",
        "import init from \"../pkg/glue.js\";\nimport { f } from \"./lib.js\";\n\
         chrome.runtime.getURL(`extension/js/confirm/confirm.html?x=${1}`);\n",
    );
    s.write("extension/js/lib.js", "export const f = 1;\n");
    s.write(
        "extension/js/popup/popup.html",
        "<link rel=\"stylesheet\" href=\"popup.css\"><script type=\"module\" src=\"popup.js\"></script>",
    );
    s.write("extension/js/popup/popup.css", "body{}\n");
    s.write(
        "extension/js/popup/popup.js",
        "import { f } from \"../lib.js\";\n",
    );
    s.write(
        "extension/js/confirm/confirm.html",
        "<script type=\"module\" src=\"confirm.js\"></script>",
    );
    s.write("extension/js/confirm/confirm.js", "\n");
    s.write(
        "extension/pkg/glue.js",
        "export default function init() { return new URL('glue_bg.wasm', import.meta.url); }\n",
    );
    s.write("extension/pkg/glue_bg.wasm", "\0asm");
    // Not listed: must stay out.
    s.write("extension/pkg/glue.d.ts", "export {};\n");
    s.write("extension/js/unused.js", "\n");
    s.write("extension/src/lib.rs", "\n");
    s.write("README.md", "\n");
}

/// The fixture's list (what [`FILES`] is for the repository).
const FIXTURE_FILES: &[&str] = &[
    "extension/js/background.js",
    "extension/js/confirm/confirm.html",
    "extension/js/confirm/confirm.js",
    "extension/js/lib.js",
    "extension/js/popup/popup.css",
    "extension/js/popup/popup.html",
    "extension/js/popup/popup.js",
    "extension/pkg/glue.js",
    "extension/pkg/glue_bg.wasm",
];

/// What a package of the fixture holds.
const FIXTURE_PACKAGE: &[&str] = &[
    "extension/js/background.js",
    "extension/js/confirm/confirm.html",
    "extension/js/confirm/confirm.js",
    "extension/js/lib.js",
    "extension/js/popup/popup.css",
    "extension/js/popup/popup.html",
    "extension/js/popup/popup.js",
    "extension/pkg/glue.js",
    "extension/pkg/glue_bg.wasm",
    "manifest.json",
];

fn without(list: &[&'static str], drop: &str) -> Vec<&'static str> {
    list.iter().copied().filter(|f| *f != drop).collect()
}

#[test]
fn the_fixture_list_passes_for_both_browsers() {
    let s = Scratch::new("list-ok");
    fixture(&s);
    for browser in Browser::ALL {
        let m = manifest_for(&dual_manifest(), browser).unwrap();
        check_list(&Source::tree(&s.0), FIXTURE_FILES, &m).unwrap();
    }
}

#[test]
fn check_list_names_each_problem() {
    struct Case {
        name: &'static str,
        /// Removed from the disk.
        remove: Option<&'static str>,
        /// The list used.
        files: Vec<&'static str>,
        want: &'static str,
    }
    let cases = [
        Case {
            name: "a listed file is missing",
            remove: Some("extension/js/popup/popup.css"),
            files: FIXTURE_FILES.to_vec(),
            want: "extension/js/popup/popup.css is in the package but missing",
        },
        Case {
            name: "the manifest names a file that is not listed",
            remove: None,
            files: without(FIXTURE_FILES, "extension/js/popup/popup.html"),
            want: "manifest.json (action.default_popup) names extension/js/popup/popup.html, which is not in the package",
        },
        Case {
            name: "an imported module is not listed",
            remove: None,
            files: without(FIXTURE_FILES, "extension/js/lib.js"),
            want: "extension/js/background.js refers to extension/js/lib.js, which is not in the package",
        },
        Case {
            name: "the wasm behind new URL(…, import.meta.url) is not listed",
            remove: None,
            files: without(FIXTURE_FILES, "extension/pkg/glue_bg.wasm"),
            want: "extension/pkg/glue.js refers to extension/pkg/glue_bg.wasm, which is not in the package",
        },
        Case {
            name: "a stylesheet is not listed",
            remove: None,
            files: without(FIXTURE_FILES, "extension/js/popup/popup.css"),
            want: "extension/js/popup/popup.html refers to extension/js/popup/popup.css, which is not in the package",
        },
        Case {
            name: "a page opened with getURL is not listed",
            remove: None,
            files: without(FIXTURE_FILES, "extension/js/confirm/confirm.html"),
            want: "extension/js/background.js refers to extension/js/confirm/confirm.html, which is not in the package",
        },
        Case {
            name: "a listed path that is not plain",
            remove: None,
            files: [FIXTURE_FILES, &["extension/js/../js/lib.js"]].concat(),
            want: "\"extension/js/../js/lib.js\" is not a plain relative path",
        },
    ];
    for c in cases {
        let s = Scratch::new("list-bad");
        fixture(&s);
        if let Some(f) = c.remove {
            std::fs::remove_file(s.0.join(f)).unwrap();
        }
        let m = manifest_for(&dual_manifest(), Browser::Chrome).unwrap();
        let err = format!(
            "{:#}",
            check_list(&Source::tree(&s.0), &c.files, &m).unwrap_err()
        );
        assert!(err.contains(c.want), "{}: {err}", c.name);
    }
}

#[test]
fn the_manifest_fields_that_name_files_are_checked() {
    let s = Scratch::new("list-fields");
    fixture(&s);
    let mut m = manifest_for(&dual_manifest(), Browser::Chrome).unwrap();
    m["options_ui"] = json!({ "page": "extension/js/options.html" });
    m["icons"] = json!({ "48": "icons/48.png" });
    m["content_scripts"] = json!([{ "matches": ["<all_urls>"], "js": ["extension/js/cs.js"] }]);
    m["web_accessible_resources"] = json!([{ "resources": ["extension/js/war.html", "extension/js/*.png"], "matches": ["<all_urls>"] }]);
    let err = format!(
        "{:#}",
        check_list(&Source::tree(&s.0), FIXTURE_FILES, &m).unwrap_err()
    );
    for want in [
        "(options_ui.page) names extension/js/options.html",
        "(icons.48) names icons/48.png",
        "(content_scripts[0].js[0]) names extension/js/cs.js",
        "(web_accessible_resources[0].resources[0]) names extension/js/war.html",
    ] {
        assert!(err.contains(want), "{want}: {err}");
    }
    assert!(!err.contains("*.png"), "globs are not files: {err}");
}

#[test]
fn package_copies_only_listed_files_and_checks_the_result() {
    let s = Scratch::new("package");
    fixture(&s);
    let out = s.0.join("dist");
    for browser in Browser::ALL {
        let p = package(&Source::tree(&s.0), FIXTURE_FILES, &out, browser).unwrap();
        assert_eq!(p.files, FIXTURE_PACKAGE, "{browser}");
        assert_eq!(
            list_files(&p.dir).unwrap(),
            FIXTURE_PACKAGE,
            "{browser}: on disk"
        );
        let packaged: Value =
            serde_json::from_str(&std::fs::read_to_string(p.dir.join("manifest.json")).unwrap())
                .unwrap();
        assert_eq!(
            packaged,
            manifest_for(&dual_manifest(), browser).unwrap(),
            "{browser}: manifest"
        );
        let name = p.archive.file_name().unwrap().to_str().unwrap().to_string();
        let want = match browser {
            Browser::Chrome => "paceline-chrome-1.2.3.zip",
            Browser::Firefox => "paceline-firefox-1.2.3.xpi",
        };
        assert_eq!(name, want);
        // The archive holds the same files with the same bytes.
        let mut z = zip::ZipArchive::new(std::fs::File::open(&p.archive).unwrap()).unwrap();
        let names: Vec<String> = (0..z.len())
            .map(|i| z.by_index(i).unwrap().name().unwrap().to_string())
            .collect();
        assert_eq!(names, FIXTURE_PACKAGE, "{browser}: archive entries");
        for f in FIXTURE_PACKAGE {
            let mut data = Vec::new();
            std::io::Read::read_to_end(&mut z.by_name(f).unwrap(), &mut data).unwrap();
            assert_eq!(
                data,
                std::fs::read(p.dir.join(f)).unwrap(),
                "{browser}: {f}"
            );
        }
    }
    // A second run replaces the first (a stale file does not survive).
    std::fs::write(out.join("chrome/stale.js"), "").unwrap();
    package(&Source::tree(&s.0), FIXTURE_FILES, &out, Browser::Chrome).unwrap();
    assert!(!out.join("chrome/stale.js").exists());
}

#[test]
fn the_wasm_comes_from_the_source_s_pkg_directory() {
    let s = Scratch::new("pkg");
    fixture(&s);
    // The shipped build, elsewhere; the tree's own extension/pkg is the test build.
    s.write("shipped/glue.js", "export default function init() { return new URL('glue_bg.wasm', import.meta.url); } // shipped\n");
    s.write("shipped/glue_bg.wasm", "\0asm shipped");
    let src = Source {
        root: s.0.clone(),
        pkg: s.0.join("shipped"),
    };
    let p = package(&src, FIXTURE_FILES, &s.0.join("dist"), Browser::Chrome).unwrap();
    assert_eq!(
        std::fs::read(p.dir.join("extension/pkg/glue_bg.wasm")).unwrap(),
        b"\0asm shipped"
    );
    assert!(
        std::fs::read_to_string(p.dir.join("extension/pkg/glue.js"))
            .unwrap()
            .ends_with("// shipped\n")
    );
}

#[test]
fn check_package_fails_on_a_broken_package() {
    let s = Scratch::new("check");
    fixture(&s);
    let out = s.0.join("dist");
    let p = package(&Source::tree(&s.0), FIXTURE_FILES, &out, Browser::Firefox).unwrap();
    assert_eq!(check_package(&p.dir).unwrap(), FIXTURE_PACKAGE);

    std::fs::remove_file(p.dir.join("extension/js/popup/popup.js")).unwrap();
    let err = format!("{:#}", check_package(&p.dir).unwrap_err());
    assert!(
        err.contains(
            "extension/js/popup/popup.html refers to extension/js/popup/popup.js, which is not in the package"
        ),
        "{err}"
    );

    // wasm without 'wasm-unsafe-eval' would not instantiate.
    let p = package(&Source::tree(&s.0), FIXTURE_FILES, &out, Browser::Chrome).unwrap();
    let mut m: Value =
        serde_json::from_str(&std::fs::read_to_string(p.dir.join("manifest.json")).unwrap())
            .unwrap();
    m["content_security_policy"]["extension_pages"] = json!("script-src 'self'");
    std::fs::write(p.dir.join("manifest.json"), m.to_string()).unwrap();
    let err = check_package(&p.dir).unwrap_err().to_string();
    assert!(err.contains("'wasm-unsafe-eval'"), "{err}");
}

#[test]
fn zip_is_deterministic() {
    let s = Scratch::new("zip");
    s.write("b/z.js", "export const z = 1;\n");
    s.write("a.txt", "hello hello hello hello\n");
    s.write("b/a.wasm", "\0asm\x01\0\0\0");
    let files = list_files(&s.0).unwrap();
    let first = zip_dir(&s.0, &files).unwrap();
    // Same contents, files touched again later and listed in another order.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    s.write("a.txt", "hello hello hello hello\n");
    let mut reversed = files.clone();
    reversed.reverse();
    let second = zip_dir(&s.0, &reversed).unwrap();
    assert_eq!(first, second, "two runs give the same bytes");

    let mut z = zip::ZipArchive::new(std::io::Cursor::new(first)).unwrap();
    let mut names = Vec::new();
    for i in 0..z.len() {
        let f = z.by_index(i).unwrap();
        assert_eq!(
            f.last_modified(),
            Some(zip::DateTime::default()),
            "{:?}",
            f.name()
        );
        assert_eq!(
            f.unix_mode().map(|m| m & 0o777),
            Some(0o644),
            "{:?}",
            f.name()
        );
        assert_eq!(f.compression(), zip::CompressionMethod::Deflated);
        names.push(f.name().unwrap().to_string());
    }
    assert_eq!(names, ["a.txt", "b/a.wasm", "b/z.js"]);

    // And a change in content changes the bytes (the comparison above can fail).
    s.write("a.txt", "hello\n");
    assert_ne!(zip_dir(&s.0, &files).unwrap(), second);
}

/// Copies the repository's manifest and extension JS into `s`, with a stand-in for the wasm
/// build (its glue and module), so the real sources can be packaged without building wasm.
fn repository_tree(s: &Scratch) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    s.write(
        "manifest.json",
        &std::fs::read_to_string(root.join("manifest.json")).unwrap(),
    );
    for f in list_files(&root.join("extension/js")).unwrap() {
        let text = std::fs::read_to_string(root.join("extension/js").join(&f)).unwrap();
        s.write(&format!("extension/js/{f}"), &text);
    }
    s.write(
        "extension/pkg/paceline_extension.js",
        "export default function init() { return new URL('paceline_extension_bg.wasm', import.meta.url); }\n",
    );
    s.write("extension/pkg/paceline_extension_bg.wasm", "\0asm");
    // The builder component lives outside extension/js/ (the playground shares it).
    s.write(
        "ui/builder.js",
        &std::fs::read_to_string(root.join("ui/builder.js")).unwrap(),
    );
}

#[test]
fn the_repository_runs_the_test_hooks_but_its_packages_hold_none() {
    let s = Scratch::new("hooks");
    repository_tree(&s);
    let source: Value =
        serde_json::from_str(&std::fs::read_to_string(s.0.join("manifest.json")).unwrap()).unwrap();
    // Loaded from the repository (the e2e suite), the background starts at the hooks…
    assert_eq!(source["background"]["service_worker"], TEST_ENTRY);
    assert_eq!(source["background"]["scripts"], json!([TEST_ENTRY]));
    let hooks = std::fs::read_to_string(s.0.join(TEST_ENTRY)).unwrap();
    for m in HOOK_MARKERS {
        assert!(hooks.contains(m), "the hooks file carries {m:?}");
    }
    // …and reaches the production background through its import.
    let background = Ref::Relative(format!(
        "./{}",
        PRODUCTION_ENTRY.rsplit('/').next().unwrap()
    ));
    assert!(refs(Kind::Js, &hooks).contains(&background));
    assert!(!FILES.contains(&TEST_ENTRY));

    let out = s.0.join("dist");
    for browser in Browser::ALL {
        let p = package(&Source::tree(&s.0), FILES, &out, browser).unwrap();
        assert!(p.files.iter().any(|f| f == PRODUCTION_ENTRY), "{browser}");
        assert!(
            !p.files.iter().any(|f| f == TEST_ENTRY),
            "{browser}: {:?}",
            p.files
        );
        let m: Value =
            serde_json::from_str(&std::fs::read_to_string(p.dir.join("manifest.json")).unwrap())
                .unwrap();
        let entry = match browser {
            Browser::Chrome => m["background"]["service_worker"].clone(),
            Browser::Firefox => m["background"]["scripts"][0].clone(),
        };
        assert_eq!(entry, PRODUCTION_ENTRY, "{browser}");
        for f in &p.files {
            let text = String::from_utf8_lossy(&std::fs::read(p.dir.join(f)).unwrap()).into_owned();
            for marker in HOOK_MARKERS {
                assert!(!text.contains(marker), "{browser}: {f} contains {marker:?}");
            }
        }
    }
}

#[test]
fn check_package_refuses_test_hooks() {
    let s = Scratch::new("hooked");
    fixture(&s);
    let out = s.0.join("dist");
    let p = package(&Source::tree(&s.0), FIXTURE_FILES, &out, Browser::Chrome).unwrap();
    // A hook that slipped into a packaged file (say, pasted into the background).
    std::fs::write(
        p.dir.join("extension/js/lib.js"),
        "export const f = 1;\nself.paceline = { f };\n",
    )
    .unwrap();
    let err = format!("{:#}", check_package(&p.dir).unwrap_err());
    assert!(
        err.contains("test hooks would ship")
            && err.contains("extension/js/lib.js contains \"self.paceline\""),
        "{err}"
    );
    // And the test entry itself, even unreferenced.
    let p = package(&Source::tree(&s.0), FIXTURE_FILES, &out, Browser::Chrome).unwrap();
    std::fs::write(p.dir.join(TEST_ENTRY), "\n").unwrap();
    let err = format!("{:#}", check_package(&p.dir).unwrap_err());
    assert!(err.contains("(the test entry)"), "{err}");
}

/// The repository's list against its own sources: every listed file exists (the wasm stands
/// in), the manifest of each browser names only listed files, every literal path in them is
/// listed, and every file under `extension/js/` is listed or is the test entry (so a new file
/// is not left out silently).
#[test]
fn the_repository_list_matches_its_manifest_and_sources() {
    let s = Scratch::new("repo-list");
    repository_tree(&s);
    let source: Value =
        serde_json::from_str(&std::fs::read_to_string(s.0.join("manifest.json")).unwrap()).unwrap();
    for browser in Browser::ALL {
        let m = manifest_for(&source, browser).unwrap();
        check_list(&Source::tree(&s.0), FILES, &m).unwrap_or_else(|e| panic!("{browser}: {e:#}"));
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let unlisted: Vec<String> = list_files(&root.join("extension/js"))
        .unwrap()
        .into_iter()
        .map(|f| format!("extension/js/{f}"))
        .filter(|f| !FILES.contains(&f.as_str()) && f != TEST_ENTRY)
        .collect();
    assert!(
        unlisted.is_empty(),
        "add these to dist.rs FILES (or delete them): {unlisted:?}"
    );
}
