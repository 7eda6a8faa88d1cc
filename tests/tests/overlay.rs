//! The in-page workout builder on app.trainingpeaks.com (issue 11, "Home 1"), in headless
//! Chromium: the extension's content script on pages the HTTPS fake serves as
//! `app.trainingpeaks.com`, driven with real mouse and keyboard input (the Save button acts only
//! on trusted events), its closed shadow root reached through the DevTools protocol as a
//! person's clicks would reach it. The writes are checked in the fake's request log.
//!
//! Prerequisites as for `browser.rs` (Chromium, `certutil`, `cargo xtask wasm`); without them a
//! plain `cargo test` skips with the reason, and `PACELINE_E2E_REQUIRE=1` makes that a failure.
//! Screenshots of the button and the panel go to `$PACELINE_E2E_SHOTS` when it is set.
#![allow(clippy::print_stderr)]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the failure report

use std::path::PathBuf;
use std::time::{Duration, Instant};

use paceline_core::http::Method;
use paceline_core::structure::preview::{preview, preview_options};
use paceline_e2e::browser::chromium::Chromium;
use paceline_e2e::browser::{self, Profile, try_wait_until};
use paceline_e2e::{FakeTp, Fault, SystemClock};
use serde_json::{Value, json};

const SCENARIO_TIMEOUT: Duration = Duration::from_secs(150);
const WAIT: Duration = Duration::from_secs(20);

/// The workout typed into the builder: 80 minutes, a 3x repeat.
const WORKOUT: &str =
    "Warmup\n- 10m 55%\n\nMain set 3x\n- 15m 95-105%\n- 5m 55%\n\nCooldown\n- 10m 50%\n";

fn prerequisites(name: &str) -> Option<PathBuf> {
    let check = || -> browser::Result<PathBuf> {
        browser::check_extension_built()?;
        Chromium::executable()?;
        browser::find_certutil()?;
        browser::paceline_binary()
    };
    match check() {
        Ok(p) => Some(p),
        Err(e) if std::env::var_os("PACELINE_E2E_REQUIRE").is_none() => {
            eprintln!("SKIPPED {name}: {e}");
            None
        }
        Err(e) => panic!("{name}: {e}"),
    }
}

fn days_from_today(n: i64) -> String {
    (paceline_core::clock::Clock::today(&SystemClock) + chrono::Duration::days(n))
        .format("%Y-%m-%d")
        .to_string()
}

/// The structure core compiles from `text` for a ride: what the wasm in the extension must have
/// sent (the same compiler, run natively here).
fn compiled(text: &str) -> Value {
    let opts = preview_options(r#"{"sport":"ride"}"#).expect("options");
    let p = preview(text, &opts);
    assert!(p.ok, "the test's workout compiles: {:?}", p.errors);
    p.structure.expect("a structure").to_value()
}

/// An app.trainingpeaks.com tab and the builder's closed shadow root in it.
struct AppPage<'a> {
    b: &'a Chromium,
    session: String,
    /// A protocol handle on the shadow root (closed roots are reachable only this way).
    root: String,
}

impl<'a> AppPage<'a> {
    /// Opens `url` in a 1280×800 tab and waits for the builder's element and its shadow root.
    async fn open(b: &'a Chromium, url: &str) -> AppPage<'a> {
        let (_, session) = b.open_page(url).await.expect("open the app page");
        b.cdp()
            .call(
                "Emulation.setDeviceMetricsOverride",
                json!({"width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": false}),
                Some(&session),
            )
            .await
            .expect("viewport");
        // A probe that fails (the page still loading, a node id gone stale) is retried.
        let root = try_wait_until(WAIT, "the Paceline element and its shadow root", || async {
            Ok(Self::find_root(b, &session).await.ok().flatten())
        })
        .await
        .expect("the builder's element");
        AppPage { b, session, root }
    }

    async fn find_root(b: &Chromium, session: &str) -> browser::Result<Option<String>> {
        let cdp = b.cdp();
        let session = Some(session);
        {
            let doc = cdp
                .call("DOM.getDocument", json!({"depth": 0}), session)
                .await?;
            let found = cdp
                .call(
                    "DOM.querySelector",
                    json!({"nodeId": doc["root"]["nodeId"], "selector": "paceline-overlay"}),
                    session,
                )
                .await?;
            if found["nodeId"].as_i64().unwrap_or(0) == 0 {
                return Ok(None);
            }
            let host = cdp
                .call(
                    "DOM.describeNode",
                    json!({"nodeId": found["nodeId"], "depth": 1, "pierce": true}),
                    session,
                )
                .await?;
            let Some(shadow) = host["node"]["shadowRoots"].get(0).cloned() else {
                return Ok(None);
            };
            assert_eq!(shadow["shadowRootType"], "closed", "a closed shadow root");
            let obj = cdp
                .call(
                    "DOM.resolveNode",
                    json!({"backendNodeId": shadow["backendNodeId"]}),
                    session,
                )
                .await?;
            Ok(obj["object"]["objectId"].as_str().map(str::to_string))
        }
    }

    /// Calls `function (...args) { … }` with `this` = the shadow root; returns its value.
    async fn call(&self, function: &str, args: &[Value]) -> Value {
        let r = self
            .b
            .cdp()
            .call(
                "Runtime.callFunctionOn",
                json!({
                    "objectId": self.root,
                    "functionDeclaration": function,
                    "arguments": args.iter().map(|a| json!({"value": a})).collect::<Vec<_>>(),
                    "returnByValue": true,
                    "awaitPromise": true,
                }),
                Some(&self.session),
            )
            .await
            .expect("callFunctionOn");
        assert!(
            r.get("exceptionDetails").is_none(),
            "{function}: {}",
            r["exceptionDetails"]
        );
        r["result"]["value"].clone()
    }

    /// The centre of the element matching `selector` and its size, or `None` if absent.
    async fn rect(&self, selector: &str) -> Option<(f64, f64, f64, f64)> {
        let v = self
            .call(
                "function (s) { const e = this.querySelector(s); if (!e) return null; \
                 const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2, r.width, r.height]; }",
                &[json!(selector)],
            )
            .await;
        let a = v.as_array()?;
        let n = |i: usize| a[i].as_f64().unwrap_or(0.0);
        Some((n(0), n(1), n(2), n(3)))
    }

    /// Whether a click at the centre of `selector` lands on it (nothing of the page covers it).
    async fn hit(&self, selector: &str) -> bool {
        self.call(
            "function (s) { const e = this.querySelector(s); if (!e) return false; \
             const r = e.getBoundingClientRect(); \
             const at = this.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2); \
             return !!at && e.contains(at); }",
            &[json!(selector)],
        )
        .await
            == json!(true)
    }

    /// A real (trusted) left click at the centre of `selector`.
    async fn click(&self, selector: &str) {
        let (x, y, w, h) = self
            .rect(selector)
            .await
            .unwrap_or_else(|| panic!("{selector} is there"));
        assert!(w > 0.0 && h > 0.0, "{selector} has a size: {w}x{h}");
        for kind in ["mousePressed", "mouseReleased"] {
            self.b
                .cdp()
                .call(
                    "Input.dispatchMouseEvent",
                    json!({"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1}),
                    Some(&self.session),
                )
                .await
                .expect("mouse event");
        }
    }

    /// Replaces the builder's text as typing would (a click to focus, select all, typed text).
    async fn type_workout(&self, text: &str) {
        self.click("textarea.pl-input").await;
        self.call(
            "function () { this.querySelector('textarea.pl-input').select(); }",
            &[],
        )
        .await;
        self.b
            .cdp()
            .call(
                "Input.insertText",
                json!({"text": text}),
                Some(&self.session),
            )
            .await
            .expect("insertText");
    }

    /// Sets an input of the panel (date, title) and tells it, as a change would.
    async fn set_value(&self, selector: &str, value: &str) {
        self.call(
            "function (s, v) { const e = this.querySelector(s); e.value = v; \
             e.dispatchEvent(new Event('input', {bubbles: true})); e.dispatchEvent(new Event('change', {bubbles: true})); }",
            &[json!(selector), json!(value)],
        )
        .await;
    }

    async fn text(&self, selector: &str) -> String {
        self.call(
            "function (s) { const e = this.querySelector(s); return e ? (e.value ?? e.textContent) : null; }",
            &[json!(selector)],
        )
        .await
        .as_str()
        .unwrap_or_default()
        .to_string()
    }

    /// Waits until the element's text contains `want`; returns it.
    async fn wait_text(&self, selector: &str, want: &str) -> String {
        let started = Instant::now();
        loop {
            let t = self.text(selector).await;
            if t.contains(want) {
                return t;
            }
            assert!(
                started.elapsed() < WAIT,
                "{selector} never said {want:?}; it says {t:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits for the builder's chart to hold an SVG.
    async fn wait_chart(&self) {
        let started = Instant::now();
        while self
            .call(
                "function () { return !!this.querySelector('.pl-chart svg'); }",
                &[],
            )
            .await
            != json!(true)
        {
            assert!(
                started.elapsed() < WAIT,
                "no chart; errors: {:?}",
                self.text("ul.pl-errors").await
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// A PNG of the tab (or of a region) into `$PACELINE_E2E_SHOTS/<name>.png`, if set.
    async fn screenshot(&self, name: &str, clip: Option<(f64, f64, f64, f64)>) {
        let Some(dir) = std::env::var_os("PACELINE_E2E_SHOTS") else {
            return;
        };
        let mut params = json!({"format": "png"});
        if let Some((x, y, w, h)) = clip {
            params["clip"] = json!({"x": x, "y": y, "width": w, "height": h, "scale": 1});
        }
        let r = self
            .b
            .cdp()
            .call("Page.captureScreenshot", params, Some(&self.session))
            .await
            .expect("screenshot");
        let png = base64_decode(r["data"].as_str().unwrap_or_default());
        let dir = PathBuf::from(dir);
        std::fs::create_dir_all(&dir).expect("make the screenshot folder");
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).expect("write the screenshot");
        eprintln!("screenshot: {}", path.display());
    }
}

fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let bytes: Vec<u8> = s.bytes().filter(|c| *c != b'=').map(val).collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, v)| acc | (u32::from(*v) << (18 - 6 * i)));
        let take = chunk.len().saturating_sub(1);
        out.extend_from_slice(&n.to_be_bytes()[1..1 + take]);
    }
    out
}

/// The writes (POST, PUT, DELETE) the fake received since the last clear.
fn writes(fake: &FakeTp) -> Vec<(Method, String, Option<Value>)> {
    fake.requests()
        .into_iter()
        .filter(|r| matches!(r.method, Method::Post | Method::Put | Method::Delete))
        .map(|r| (r.method, r.path, r.body))
        .collect()
}

/// The fake received exactly one write since the last clear: the POST of a new workout titled
/// `title` on `date`, 80 minutes long, carrying `WORKOUT` as core compiles it. Returns its path.
fn assert_one_new_workout(fake: &FakeTp, title: &str, date: &str) -> String {
    let w = writes(fake);
    assert_eq!(w.len(), 1, "exactly one write: {w:?}");
    let (method, path, body) = &w[0];
    assert_eq!(*method, Method::Post);
    assert!(path.ends_with("/workouts"), "{path}");
    let body = body.clone().expect("a JSON body");
    assert_eq!(body["title"], title);
    assert_eq!(body["workoutDay"].as_str().map(|d| &d[..10]), Some(date));
    assert_eq!(
        body["totalTimePlanned"].as_f64(),
        Some(80.0 / 60.0),
        "{body}"
    );
    assert_same_blocks(&compiled(WORKOUT), &sent_structure(&body));
    path.clone()
}

/// The `structure` of a workout body as TrainingPeaks receives it (a JSON string inside JSON).
fn sent_structure(body: &Value) -> Value {
    let s = body["structure"]
        .as_str()
        .unwrap_or_else(|| panic!("structure is double-serialised: {body}"));
    serde_json::from_str(s).expect("the structure string is JSON")
}

/// The step blocks of two structures agree (numbers by value: JSON that crossed JavaScript
/// writes `600.0` as `600`).
fn assert_same_blocks(want: &Value, got: &Value) {
    let norm = |v: &Value| -> Value {
        serde_json::from_str(
            &v["structure"]
                .to_string()
                .replace(".0,", ",")
                .replace(".0}", "}"),
        )
        .unwrap_or(Value::Null)
    };
    assert_eq!(norm(want), norm(got), "the compiled structure was sent");
}

/// Reads the newest activity-log entries from the popup (an extension page).
async fn activity(b: &Chromium) -> Value {
    in_popup(
        b,
        "import(chrome.runtime.getURL('extension/js/activity.js')).then((m) => m.recent(10))",
    )
    .await
}

/// Runs `expression` in the popup page (an extension page, not app.trainingpeaks.com), once
/// the page has its extension APIs.
async fn in_popup(b: &Chromium, expression: &str) -> Value {
    let (target, session) = b
        .open_extension_page("extension/js/popup/popup.html")
        .await
        .expect("popup");
    try_wait_until(WAIT, "the popup page", || async {
        let ready = b
            .cdp()
            .evaluate(
                &session,
                "typeof chrome !== 'undefined' && !!chrome.runtime?.id",
            )
            .await
            .unwrap_or(Value::Null);
        Ok((ready == json!(true)).then_some(()))
    })
    .await
    .expect("the popup loads");
    let v = b
        .cdp()
        .evaluate(&session, expression)
        .await
        .expect(expression);
    b.cdp().close_target(&target).await.expect("close popup");
    v
}

/// The button on the app's page opens the builder, which reads the athlete's thresholds once
/// and previews in watts; a workout typed shows its chart; Save
/// POSTs it once with the compiled structure (no confirmation window: the click approves),
/// logged in the activity log; opened again, edited and saved, it is PUT once; read-only mode
/// still blocks the save; the same request from an extension page is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn o1_build_save_open_edit_on_the_app_page() {
    let Some(paceline) = prerequisites("o1") else {
        return;
    };
    tokio::time::timeout(SCENARIO_TIMEOUT, async {
        let fake = FakeTp::start();
        let scratch = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser-e2e");
        let profile = Profile::create(&scratch, "o1", &fake).expect("profile");
        let b = Chromium::launch(&profile, &fake, &paceline, None)
            .await
            .expect("chromium");
        b.login().await.expect("login");
        fake.clear_requests();

        let page = AppPage::open(&b, "https://app.trainingpeaks.com/").await;
        let (x, y, w, h) = page.rect(".po-fab").await.expect("the button");
        assert!(w > 40.0 && h > 20.0, "the button is visible: {w}x{h}");
        assert!(x > 1000.0 && y > 600.0, "in the bottom-right corner: {x},{y}");
        assert!(page.hit(".po-fab").await, "nothing covers the button");
        page.screenshot("overlay-button", Some((x - w / 2.0 - 60.0, y - h / 2.0 - 40.0, w + 80.0, h + 60.0)))
            .await;

        page.click(".po-fab").await;
        assert_eq!(
            page.call("function () { return this.querySelector('.po-panel').hidden; }", &[]).await,
            json!(false),
            "the button opens the panel"
        );
        let date = days_from_today(3);
        page.set_value("input[type=date]", &date).await;
        page.set_value("input[type=text]", "Overlay 3x15").await;
        // The athlete's thresholds, read from the fake's settings (the sample athlete's FTP is
        // 265 W, the bike HR set's threshold 165 bpm): the panel names them and the summary
        // shows the main set's 95-105 % in watts.
        page.wait_text(".po-thr", "FTP 265 W").await;
        page.type_workout(WORKOUT).await;
        page.wait_chart().await;
        let stats = page.wait_text(".pl-stats", "1:20:00").await;
        assert!(stats.contains("TSS"), "{stats}");
        // A word joiner after each en dash between numbers keeps a range on one line.
        let summary = page
            .wait_text(".pl-summary", "(252–\u{2060}278\u{a0}W)")
            .await;
        assert!(
            summary.contains("3×(15′ @ 95–\u{2060}105 % FTP (252–\u{2060}278\u{a0}W)"),
            "{summary}"
        );
        let note = page.text(".po-thr").await;
        assert!(note.contains("threshold HR 165 bpm"), "the bike's own HR set: {note}");
        let read = fake
            .requests()
            .into_iter()
            .filter(|r| r.path.ends_with("/settings") && r.method == Method::Get)
            .count();
        assert_eq!(read, 1, "the settings are read once per opening, not per keystroke");
        // The panel and the button, from the panel's top-left corner to the window's corner.
        let (px, py, pw, ph) = page.rect(".po-panel").await.expect("the panel");
        let (left, top) = (px - pw / 2.0 - 16.0, py - ph / 2.0 - 16.0);
        page.screenshot("overlay-panel", Some((left, top, 1280.0 - left, 800.0 - top)))
            .await;

        // Save: exactly one POST, carrying what core compiles from the text.
        page.click(".po-save").await;
        page.wait_text(".po-status", "Added \"Overlay 3x15\"").await;
        assert_one_new_workout(&fake, "Overlay 3x15", &date);

        let log = activity(&b).await;
        let entry = log
            .as_array()
            .and_then(|a| a.iter().find(|e| e["tool"] == "create_workout"))
            .unwrap_or_else(|| panic!("create_workout in the activity log: {log}"));
        assert_eq!(entry["outcome"], "ok");
        assert_eq!(entry["via"], "TrainingPeaks page");
        let read = log
            .as_array()
            .and_then(|a| a.iter().find(|e| e["tool"] == "get_athlete_settings"))
            .unwrap_or_else(|| panic!("get_athlete_settings in the activity log: {log}"));
        assert_eq!(read["via"], "TrainingPeaks page");

        // Open it again from the day's planned workouts, edit, save: one PUT.
        page.click(".po-new").await;
        page.set_value("input[type=date]", &date).await;
        page.click(".po-open").await;
        let id = try_wait_until(WAIT, "the day's planned workouts", || async {
            Ok(page
                .call(
                    "function () { const b = [...this.querySelectorAll('.po-list button')]\
                     .find((b) => b.textContent.includes('Overlay 3x15')); \
                     return b ? Number(b.dataset.workoutId) : null; }",
                    &[],
                )
                .await
                .as_i64())
        })
        .await
        .expect("the saved workout is listed");
        page.click(&format!(".po-list button[data-workout-id=\"{id}\"]")).await;
        let opened = page.wait_text("textarea.pl-input", "3x").await;
        assert!(opened.contains("15m 95-105%"), "opened as text: {opened:?}");
        page.wait_text(".po-mode", "Editing \"Overlay 3x15\"").await;
        fake.clear_requests();
        let edited = opened.replace("3x", "4x");
        page.type_workout(&edited).await;
        page.wait_text(".pl-stats", "1:40:00").await;
        page.click(".po-save").await;
        page.wait_text(".po-status", "Saved \"Overlay 3x15\"").await;
        let w = writes(&fake);
        assert_eq!(w.len(), 1, "exactly one write: {w:?}");
        let (method, path, body) = &w[0];
        assert_eq!(*method, Method::Put);
        assert!(path.ends_with(&format!("/workouts/{id}")), "{path}");
        let body = body.clone().expect("a JSON body");
        assert_eq!(body["workoutId"], json!(id), "a full-object PUT: {body}");
        assert_same_blocks(&compiled(&edited), &sent_structure(&body));

        // Read-only mode blocks the builder's save too.
        in_popup(&b, "chrome.storage.local.set({settings: {readOnly: true, confirmChanges: true}}).then(() => true)").await;
        fake.clear_requests();
        page.click(".po-save").await;
        page.wait_text(".po-status", "read-only mode").await;
        assert!(writes(&fake).is_empty(), "nothing written in read-only mode");
        in_popup(&b, "chrome.storage.local.set({settings: {readOnly: false, confirmChanges: true}}).then(() => true)").await;

        // The background answers these requests only for app.trainingpeaks.com pages.
        let refused = in_popup(
            &b,
            &format!(
                "chrome.runtime.sendMessage({{type: 'overlay:save', date: '{date}', sport: 'bike', title: 'x', input: '10m 50%'}})"
            ),
        )
        .await;
        assert_eq!(refused["ok"], json!(false), "{refused}");
        assert!(
            refused["error"].as_str().unwrap_or_default().contains("https://app.trainingpeaks.com"),
            "{refused}"
        );
        assert!(writes(&fake).is_empty(), "nothing written for a refused sender");
        let _ = b.close().await;
    })
    .await
    .expect("o1 took too long");
}

/// The thresholds never hold the preview up: when the settings read fails the builder previews
/// in % and the panel says why; on the next opening, with a slow answer, a workout typed
/// meanwhile previews in % at once and turns to watts when the settings arrive; switched to
/// Run, the run's threshold pace is used, per km, then per mile once the athlete's units are
/// imperial.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn o4_the_preview_does_not_wait_for_the_thresholds() {
    let Some(paceline) = prerequisites("o4") else {
        return;
    };
    tokio::time::timeout(SCENARIO_TIMEOUT, async {
        let fake = FakeTp::start();
        let scratch = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser-e2e");
        let profile = Profile::create(&scratch, "o4", &fake).expect("profile");
        let b = Chromium::launch(&profile, &fake, &paceline, None)
            .await
            .expect("chromium");
        b.login().await.expect("login");

        fake.inject("/settings", Fault::Status(404));
        let page = AppPage::open(&b, "https://app.trainingpeaks.com/").await;
        page.click(".po-fab").await;
        page.type_workout(WORKOUT).await;
        page.wait_chart().await;
        page.wait_text(".pl-stats", "1:20:00").await;
        let note = page.wait_text(".po-thr", "could not be read").await;
        assert!(note.contains("% of threshold"), "{note}");
        let summary = page.text(".pl-summary").await;
        assert!(
            summary.contains("3×(15′ @ 95–\u{2060}105 % FTP /"),
            "in % only: {summary}"
        );
        page.screenshot("overlay-no-thresholds", None).await;

        // Reopened with a slow settings answer: typing previews at once, in %.
        page.click(".po-close").await;
        fake.inject("/settings", Fault::Delay(Duration::from_secs(6)));
        let reopened = Instant::now();
        page.click(".po-fab").await;
        page.type_workout("- 20m 90%").await;
        let early = page.wait_text(".pl-summary", "20′ @ 90 % FTP").await;
        assert!(
            reopened.elapsed() < Duration::from_secs(6),
            "the preview came before the settings: {:?}",
            reopened.elapsed()
        );
        assert!(
            !early.contains('W'),
            "no watts before the settings arrive: {early}"
        );
        let late = page.wait_text(".pl-summary", "(239\u{a0}W)").await;
        assert!(late.contains("20′ @ 90 % FTP (239\u{a0}W)"), "{late}");
        page.wait_text(".po-thr", "FTP 265 W").await;

        // Another sport, its own thresholds: the run's pace (4:15/km) from speed set 0, the
        // general HR set, and no bike FTP.
        page.set_value("select", "run").await;
        let note = page.wait_text(".po-thr", "threshold pace 4:15/km").await;
        assert!(
            note.contains("threshold HR 172 bpm") && !note.contains("FTP"),
            "{note}"
        );
        page.type_workout("- 20m 90% Pace").await;
        page.wait_text(".pl-summary", "90 % threshold pace (4:43\u{a0}/km)")
            .await;

        // The athlete switches TrainingPeaks to imperial units (code 1): on the next opening
        // the same run reads per mile.
        fake.sandbox().with_state(|st| {
            for doc in ["settings", "user"] {
                if let Some(d) = st.docs.get_mut(doc) {
                    d["units"] = json!(1);
                }
            }
        });
        page.click(".po-close").await;
        page.click(".po-fab").await;
        page.wait_text(".po-thr", "threshold pace 6:50/mi").await;
        page.wait_text(".pl-summary", "90 % threshold pace (7:36\u{a0}/mi)")
            .await;
        page.screenshot("overlay-imperial", None).await;
        let _ = b.close().await;
    })
    .await
    .expect("o4 took too long");
}

/// A page whose CSS hides, covers and restyles everything it did not make: the button is still
/// there, on top, clickable, and the builder works.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn o2_the_page_s_css_cannot_break_the_button() {
    let Some(paceline) = prerequisites("o2") else {
        return;
    };
    tokio::time::timeout(SCENARIO_TIMEOUT, async {
        let fake = FakeTp::start();
        let scratch = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser-e2e");
        let profile = Profile::create(&scratch, "o2", &fake).expect("profile");
        let b = Chromium::launch(&profile, &fake, &paceline, None)
            .await
            .expect("chromium");
        b.login().await.expect("login");
        let page = AppPage::open(&b, "https://app.trainingpeaks.com/hostile").await;
        let (x, y, w, h) = page.rect(".po-fab").await.expect("the button");
        assert!(w > 40.0 && h > 20.0, "the button keeps its size: {w}x{h}");
        assert!(x > 1000.0 && y > 600.0, "and its corner: {x},{y}");
        assert!(
            page.hit(".po-fab").await,
            "the page's full-window cover does not cover it"
        );
        page.screenshot("overlay-hostile", None).await;
        page.click(".po-fab").await;
        assert!(
            page.hit("textarea.pl-input").await,
            "the panel is on top too"
        );
        page.type_workout("- 10m 50%\n\n3x\n- 4m 110%\n- 4m 50%\n\n- 10m 50%")
            .await;
        page.wait_chart().await;
        page.wait_text(".pl-stats", "44:00").await;
        page.screenshot("overlay-hostile-panel", None).await;
        let _ = b.close().await;
    })
    .await
    .expect("o2 took too long");
}

/// The builder's closed shadow root in a Firefox tab, driven over WebDriver BiDi: nodes are
/// shared references (BiDi reaches closed roots with `includeShadowTree: "all"`), clicks and
/// keys are `input.performActions`, so they are trusted events as a person's are.
struct FirefoxPage<'a> {
    bidi: &'a paceline_e2e::browser::cdp::Cdp,
    context: String,
    /// The shadow root's BiDi shared id.
    root: String,
}

impl FirefoxPage<'_> {
    /// Calls `function (...args) { … }` with `this` = the shadow root in the page's realm;
    /// the function returns JSON text (BiDi's own value encoding is not plain JSON).
    async fn call(&self, function: &str, args: &[Value]) -> Value {
        let r = self
            .bidi
            .call(
                "script.callFunction",
                json!({
                    "functionDeclaration": format!("async function (...a) {{ return JSON.stringify(await ({function}).apply(this, a)); }}"),
                    "this": {"sharedId": self.root},
                    "arguments": args.iter().map(|a| json!({"type": "string", "value": a.to_string()})).collect::<Vec<_>>(),
                    "target": {"context": self.context},
                    "awaitPromise": true,
                }),
                None,
            )
            .await
            .unwrap_or_else(|e| panic!("{function}: {e}"));
        assert_eq!(r["type"], "success", "{function}: {r}");
        let text = r["result"]["value"].as_str().unwrap_or("null");
        serde_json::from_str(text).unwrap_or(Value::Null)
    }

    /// The shared id of the element matching `selector` in the shadow root.
    async fn element(&self, selector: &str) -> String {
        let r = self
            .bidi
            .call(
                "script.callFunction",
                json!({
                    "functionDeclaration": "function (s) { return this.querySelector(s); }",
                    "this": {"sharedId": self.root},
                    "arguments": [{"type": "string", "value": selector}],
                    "target": {"context": self.context},
                    "awaitPromise": false,
                }),
                None,
            )
            .await
            .unwrap_or_else(|e| panic!("{selector}: {e}"));
        r["result"]["sharedId"]
            .as_str()
            .unwrap_or_else(|| panic!("{selector} is there: {r}"))
            .to_string()
    }

    /// A trusted left click at the centre of `selector`.
    async fn click(&self, selector: &str) {
        let el = self.element(selector).await;
        self.bidi
            .call(
                "input.performActions",
                json!({"context": self.context, "actions": [{
                    "type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"},
                    "actions": [
                        {"type": "pointerMove", "x": 0, "y": 0, "origin": {"type": "element", "element": {"sharedId": el}}},
                        {"type": "pointerDown", "button": 0},
                        {"type": "pointerUp", "button": 0},
                    ],
                }]}),
                None,
            )
            .await
            .unwrap_or_else(|e| panic!("clicking {selector}: {e}"));
    }

    /// Types `text` key by key into the focused element (a newline is the Enter key).
    async fn type_keys(&self, text: &str) {
        let mut keys = Vec::new();
        for c in text.chars() {
            let key = if c == '\n' {
                "\u{E007}".to_string()
            } else {
                c.to_string()
            };
            keys.push(json!({"type": "keyDown", "value": key}));
            keys.push(json!({"type": "keyUp", "value": key}));
        }
        self.bidi
            .call(
                "input.performActions",
                json!({"context": self.context, "actions": [{"type": "key", "id": "keyboard", "actions": keys}]}),
                None,
            )
            .await
            .expect("typing");
    }

    /// Sets an input of the panel and tells it, as a change would.
    async fn set_value(&self, selector: &str, value: &str) {
        self.call(
            "function (s, v) { const e = this.querySelector(JSON.parse(s)); e.value = JSON.parse(v); \
             e.dispatchEvent(new Event('input', {bubbles: true})); e.dispatchEvent(new Event('change', {bubbles: true})); return true; }",
            &[json!(selector), json!(value)],
        )
        .await;
    }

    /// Waits until the element's text (or value) contains `want`; returns it.
    async fn wait_text(&self, selector: &str, want: &str) -> String {
        let started = Instant::now();
        loop {
            let t = self
                .call(
                    "function (s) { const e = this.querySelector(JSON.parse(s)); return e ? (e.value ?? e.textContent) : null; }",
                    &[json!(selector)],
                )
                .await;
            let t = t.as_str().unwrap_or_default().to_string();
            if t.contains(want) {
                return t;
            }
            assert!(
                started.elapsed() < WAIT,
                "{selector} never said {want:?}; it says {t:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// A PNG of the tab into `$PACELINE_E2E_SHOTS/<name>.png`, if set.
    async fn screenshot(&self, name: &str) {
        let Some(dir) = std::env::var_os("PACELINE_E2E_SHOTS") else {
            return;
        };
        let r = self
            .bidi
            .call(
                "browsingContext.captureScreenshot",
                json!({"context": self.context}),
                None,
            )
            .await
            .expect("screenshot");
        let dir = PathBuf::from(dir);
        std::fs::create_dir_all(&dir).expect("make the screenshot folder");
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, base64_decode(r["data"].as_str().unwrap_or_default()))
            .expect("write the screenshot");
        eprintln!("screenshot: {}", path.display());
    }
}

/// o1's first half in Firefox ESR: the content script's button on the app's page, a workout
/// typed key by key into the builder (the wasm runs in Firefox's background page), Save POSTs
/// it once with the structure core compiles from the text.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn o3_firefox_build_and_save_on_the_app_page() {
    use paceline_e2e::browser::firefox::Firefox;
    let Some(paceline) = prerequisites("o3") else {
        return;
    };
    if let Err(e) = Firefox::executable() {
        if std::env::var_os("PACELINE_E2E_REQUIRE").is_none() {
            eprintln!("SKIPPED o3: {e}");
            return;
        }
        panic!("o3: {e}");
    }
    tokio::time::timeout(SCENARIO_TIMEOUT, async {
        // Firefox keeps the port of a name mapped to loopback, so the fake must be on 443;
        // another suite's Firefox scenario may hold it for a while.
        let started = Instant::now();
        let fake = loop {
            match paceline_e2e::FakeTp::builder().port(443).start() {
                Err(e)
                    if e.kind() == std::io::ErrorKind::AddrInUse
                        && started.elapsed() < Duration::from_secs(60) =>
                {
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
                Err(e) if std::env::var_os("PACELINE_E2E_REQUIRE").is_none() => {
                    eprintln!("SKIPPED o3: the fake cannot listen on 127.0.0.1:443 ({e})");
                    return;
                }
                other => break other.expect("the fake on 443"),
            }
        };
        let scratch = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser-e2e");
        let profile = Profile::create(&scratch, "o3", &fake).expect("profile");
        let firefox = Firefox::launch(&profile, &paceline, false)
            .await
            .expect("firefox");
        firefox.login().await.expect("login");
        fake.clear_requests();
        let bidi = firefox.bidi();
        let tree = bidi
            .call("browsingContext.getTree", json!({}), None)
            .await
            .expect("the tree");
        let context = tree["contexts"][0]["context"]
            .as_str()
            .expect("a tab")
            .to_string();
        bidi.call(
            "browsingContext.setViewport",
            json!({"context": context, "viewport": {"width": 1280, "height": 800}}),
            None,
        )
        .await
        .expect("viewport");
        bidi.call(
            "browsingContext.navigate",
            json!({"context": context, "url": "https://app.trainingpeaks.com/", "wait": "complete"}),
            None,
        )
        .await
        .expect("the app page");
        // The content script adds its element at document_idle; its root is closed, so the
        // page's own scripts see no `shadowRoot`, but BiDi serialises it when asked to.
        let root = try_wait_until(WAIT, "the Paceline element and its shadow root", || async {
            let r = bidi
                .call(
                    "script.evaluate",
                    json!({
                        "expression": "document.querySelector('paceline-overlay')",
                        "target": {"context": context},
                        "awaitPromise": false,
                        "serializationOptions": {"maxDomDepth": 0, "includeShadowTree": "all"},
                    }),
                    None,
                )
                .await?;
            let shadow = &r["result"]["value"]["shadowRoot"];
            if let Some(mode) = shadow["value"]["mode"].as_str() {
                assert_eq!(mode, "closed", "a closed shadow root");
            }
            Ok(shadow["sharedId"].as_str().map(str::to_string))
        })
        .await
        .unwrap_or_else(|e| panic!("{e}; browser log: {}", firefox.log_path().display()));
        let page = FirefoxPage {
            bidi,
            context: context.clone(),
            root,
        };
        // Nothing has been asked of the page's DOM: the button is the element's own.
        let fab = page
            .call(
                "function () { const r = this.querySelector('.po-fab').getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2, r.width, r.height]; }",
                &[],
            )
            .await;
        let n = |i: usize| fab[i].as_f64().unwrap_or(0.0);
        assert!(n(2) > 40.0 && n(3) > 20.0, "the button is visible: {fab}");
        assert!(n(0) > 1000.0 && n(1) > 600.0, "in the bottom-right corner: {fab}");
        page.screenshot("overlay-firefox-button").await;

        page.click(".po-fab").await;
        assert_eq!(
            page.call("function () { return this.querySelector('.po-panel').hidden; }", &[]).await,
            json!(false),
            "the button opens the panel"
        );
        let date = days_from_today(4);
        page.set_value("input[type=date]", &date).await;
        page.set_value("input[type=text]", "Firefox 3x15").await;
        page.click("textarea.pl-input").await;
        page.call("function () { this.querySelector('textarea.pl-input').select(); return true; }", &[])
            .await;
        page.type_keys(WORKOUT).await;
        assert_eq!(
            page.call("function () { return this.querySelector('textarea.pl-input').value; }", &[]).await,
            json!(WORKOUT),
            "every key arrived"
        );
        let stats = page.wait_text(".pl-stats", "1:20:00").await;
        assert!(stats.contains("TSS"), "{stats}");
        assert_eq!(
            page.call("function () { return !!this.querySelector('.pl-chart svg desc'); }", &[]).await,
            json!(true),
            "the chart is drawn"
        );
        page.screenshot("overlay-firefox-panel").await;

        // Save: exactly one POST, carrying what core compiles from the text.
        page.click(".po-save").await;
        page.wait_text(".po-status", "Added \"Firefox 3x15\"").await;
        let path = assert_one_new_workout(&fake, "Firefox 3x15", &date);
        eprintln!("o3: saved in Firefox as {path}");
        firefox.close().await.expect("closing firefox");
    })
    .await
    .expect("o3 took too long");
}
