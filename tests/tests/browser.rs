//! The real stack, headless: an MCP client runs `paceline mcp`; the relay socket carries each
//! call to the `paceline` bridge that Chromium started for the extension; the extension's wasm
//! calls the HTTPS fake of TrainingPeaks with the browser's own session cookie. Only the far
//! end is fake. Scenarios follow issue 4 (1–8 here on Chromium; Firefox ESR in
//! `browser_firefox.rs`) and issue 8 (10: deadlines and cancelled writes; 11: redirects and
//! wasm traps). Issue 9 (Intervals.icu, the fake answering as `intervals.icu` too): 13–15 the
//! session and the popup's key; 16–18 `icu_*` tools relayed with `paceline mcp --platform
//! all` (session read and confirmed writes, the key path and where the key must not appear,
//! Firefox). Issue 10: 22 (Chromium) and 25 (Firefox) `get_activity_analysis` of a
//! sandbox-generated FIT file fetched and analysed by the extension (`browser/analysis.rs`).
//!
//! Prerequisites: Chromium, `certutil` (libnss3-tools) and the extension's wasm
//! (`cargo xtask wasm`). `cargo xtask test` builds the wasm first and sets
//! `PACELINE_E2E_REQUIRE=1`, so there a missing prerequisite fails the suite; a plain
//! `cargo test` without them prints why each scenario was skipped.
//!
//! The scenarios run one at a time (two browsers at once on a 2-core machine only adds
//! noise), each under a time bound, and every process they start is killed when they end,
//! pass or fail. Set `PACELINE_E2E_KEEP=1` to keep each profile's logs for diagnosis.
#![allow(clippy::print_stderr)]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the failure report

use std::path::PathBuf;
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use paceline_core::http::Method;
use paceline_core::sandbox::Recorded;
use paceline_core::sandbox::intervals::{
    AuthMethod, ICU_SESSION_COOKIE, SAMPLE_API_KEY, SAMPLE_ICU_ATHLETE_ID, SAMPLE_ICU_SESSION,
    SessionMode,
};
use paceline_e2e::browser::chromium::Chromium;
use paceline_e2e::browser::{self, Profile};
use paceline_e2e::fake_tp::ICU_HOST;
use paceline_e2e::mcp_client::{McpClient, ToolOutcome};
use paceline_e2e::{FakeTp, Fault, SystemClock};
use serde_json::{Value, json};

#[path = "browser/analysis.rs"]
mod analysis;
#[path = "browser/cache.rs"]
mod cache;
#[path = "browser/http.rs"]
mod http;
#[path = "browser/playground.rs"]
mod playground;

/// One browser at a time.
static SERIAL: LazyLock<tokio::sync::Mutex<()>> = LazyLock::new(|| tokio::sync::Mutex::new(()));

/// The upper bound for one scenario (the service-worker restart waits for the extension's
/// 30 s reconnect alarm).
const SCENARIO_TIMEOUT: Duration = Duration::from_secs(150);

/// Everything one scenario runs: the fake, a browser profile, the browser, `paceline mcp`.
struct Stack {
    fake: FakeTp,
    profile: Profile,
    paceline: PathBuf,
    browser: Option<Chromium>,
    mcp: McpClient,
}

/// Checks the prerequisites; `None` means "skip" (only allowed without `PACELINE_E2E_REQUIRE`).
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

/// The prerequisites of a Firefox scenario, and the fake on port 443: Firefox keeps the port
/// of a mapped name, so the fake must listen there. Another run of this suite on the machine
/// may hold the port for a few seconds: wait for it. `None` (skipped, said on stderr) when
/// something is missing and `PACELINE_E2E_REQUIRE` is unset.
async fn firefox_prerequisites(name: &str) -> Option<(PathBuf, FakeTp)> {
    use paceline_e2e::browser::firefox::Firefox;
    let paceline = prerequisites(name)?;
    if let Err(e) = Firefox::executable() {
        if std::env::var_os("PACELINE_E2E_REQUIRE").is_none() {
            eprintln!("SKIPPED {name}: {e}");
            return None;
        }
        panic!("{name}: {e}");
    }
    let started = Instant::now();
    let bind = loop {
        match FakeTp::builder().port(443).start() {
            Err(e)
                if e.kind() == std::io::ErrorKind::AddrInUse
                    && started.elapsed() < Duration::from_secs(90) =>
            {
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
            other => break other,
        }
    };
    match bind {
        Ok(fake) => Some((paceline, fake)),
        Err(e) if std::env::var_os("PACELINE_E2E_REQUIRE").is_none() => {
            eprintln!(
                "SKIPPED {name}: the fake cannot listen on 127.0.0.1:443 ({e}); run as root or grant CAP_NET_BIND_SERVICE"
            );
            None
        }
        Err(e) => panic!("{name}: the fake cannot listen on 127.0.0.1:443: {e}"),
    }
}

/// Firefox launched on `profile` (see `Firefox::launch` for `host_installed`), logged in to
/// the fake, with its extension connected to the host's bridge.
async fn firefox_connected(
    profile: &Profile,
    paceline: &std::path::Path,
    host_installed: bool,
) -> paceline_e2e::browser::firefox::Firefox {
    use paceline_e2e::browser::firefox::Firefox;
    let firefox = Firefox::launch(profile, paceline, host_installed)
        .await
        .expect("firefox");
    firefox.login().await.expect("login");
    profile
        .wait_for_bridge(Duration::from_secs(30))
        .await
        .unwrap_or_else(|e| panic!("{e}; browser log: {}", firefox.log_path().display()));
    firefox
}

fn scratch() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser-e2e")
}

impl Stack {
    /// Starts the fake, a profile, Chromium (logged in to the fake if `login`), waits for its
    /// bridge, and starts `paceline mcp` (default backend: the bridge).
    async fn start(name: &str, login: bool) -> Option<Stack> {
        Self::start_with_env(name, login, &[]).await
    }

    /// As [`Stack::start`], with extra environment for the bridge and `paceline mcp`.
    async fn start_with_env(name: &str, login: bool, env: &[(&str, &str)]) -> Option<Stack> {
        Self::start_with(name, login, env, &[]).await
    }

    /// As [`Stack::start_with_env`], with extra arguments for `paceline mcp` (e.g. the
    /// `--platform` that publishes the Intervals.icu tools).
    async fn start_with(
        name: &str,
        login: bool,
        env: &[(&str, &str)],
        mcp_args: &[&str],
    ) -> Option<Stack> {
        let paceline = prerequisites(name)?;
        let fake = FakeTp::start();
        let mut profile = Profile::create(&scratch(), name, &fake).expect("profile");
        for (k, v) in env {
            profile.set_env(k, v);
        }
        let mut stack = Stack {
            mcp: McpClient::start(
                &paceline,
                mcp_args,
                profile.env(),
                &profile.root().join("mcp.log"),
            )
            .await
            .expect("paceline mcp"),
            fake,
            profile,
            paceline,
            browser: None,
        };
        stack.open_browser(login).await;
        Some(stack)
    }

    async fn open_browser(&mut self, login: bool) {
        let b = Chromium::launch(&self.profile, &self.fake, &self.paceline, None)
            .await
            .expect("chromium");
        if login {
            b.login().await.expect("login");
        }
        self.profile
            .wait_for_bridge(Duration::from_secs(20))
            .await
            .unwrap_or_else(|e| panic!("{e}; browser log: {}", b.log_path().display()));
        self.browser = Some(b);
    }

    fn browser(&self) -> &Chromium {
        self.browser.as_ref().expect("the browser is open")
    }

    async fn call(&self, tool: &str, args: Value) -> ToolOutcome {
        self.mcp
            .call(tool, args)
            .await
            .unwrap_or_else(|e| panic!("{tool}: JSON-RPC error {}: {}", e.code, e.message))
    }

    /// Calls a tool that must succeed and returns its structured content.
    async fn ok(&self, tool: &str, args: Value) -> Value {
        let out = self.call(tool, args).await;
        assert!(!out.is_error, "{tool} failed: {}", out.text);
        out.structured.unwrap_or(Value::Null)
    }

    /// Runs the same call through `paceline mcp --direct` against the same fake and asserts
    /// it returns the same structured content as the browser path did.
    async fn assert_direct_agrees(&self, tool: &str, args: Value, via_browser: &Value) {
        let direct = McpClient::start(
            &self.paceline,
            &["--direct"],
            self.fake
                .direct_env("sandbox-session", &self.profile.ca_file()),
            &self.profile.root().join("direct.log"),
        )
        .await
        .expect("paceline mcp --direct");
        let via_direct = direct.call(tool, args).await.expect("direct call");
        assert_same_json(
            via_direct.structured.as_ref().unwrap_or(&Value::Null),
            via_browser,
        );
        direct.stop().await;
    }

    /// Calls a destructive tool and answers the extension's confirmation window; returns the
    /// outcome and the tool name the window showed.
    async fn confirmed(&self, tool: &str, args: Value, allow: bool) -> (ToolOutcome, String) {
        let (out, shown) = self.confirmed_showing(tool, args, allow).await;
        (out, shown.tool)
    }

    /// As [`Stack::confirmed`], returning everything the window showed.
    async fn confirmed_showing(
        &self,
        tool: &str,
        args: Value,
        allow: bool,
    ) -> (ToolOutcome, ShownConfirmation) {
        let (out, shown) = tokio::join!(
            self.call(tool, args),
            answer_confirmation(self.browser(), allow)
        );
        (out, shown.expect("the confirmation window"))
    }

    /// The API requests the fake answered since the last [`FakeTp::clear_requests`], as
    /// `(method, path, status)`.
    fn api_log(&self) -> Vec<(Method, String, u16)> {
        self.fake
            .requests()
            .into_iter()
            .map(|r: Recorded| (r.method, r.path, r.status))
            .collect()
    }

    async fn finish(mut self) {
        self.mcp.stop().await;
        if let Some(b) = self.browser.take() {
            let _ = b.close().await;
        }
    }
}

/// Runs a scenario under the serial lock and the time bound.
async fn scenario<F: std::future::Future<Output = ()>>(name: &str, body: impl FnOnce() -> F) {
    let _serial = SERIAL.lock().await;
    let started = Instant::now();
    tokio::time::timeout(SCENARIO_TIMEOUT, body())
        .await
        .unwrap_or_else(|_| panic!("{name} took longer than {SCENARIO_TIMEOUT:?}"));
    eprintln!("{name}: {:.1} s", started.elapsed().as_secs_f64());
}

fn days_from_today(n: i64) -> String {
    (paceline_core::clock::Clock::today(&SystemClock) + chrono::Duration::days(n))
        .format("%Y-%m-%d")
        .to_string()
}

/// Scenario 1: reads through the whole stack, identical to what `--direct` gets from the same
/// fake, and sent with the browser's own session cookie.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s1_read_profile_and_120_days_of_workouts() {
    scenario("s1_read", || async {
        let Some(s) = Stack::start("s1", true).await else {
            return;
        };
        let out = s.call("get_athlete_profile", json!({})).await;
        assert!(!out.is_error, "{}", out.text);
        assert!(out.text.contains("Alex Rivera"), "{}", out.text);
        let token_req = s
            .fake
            .raw_requests()
            .into_iter()
            .find(|r| r.path.starts_with("/users/v3/token"))
            .expect("the extension exchanged the cookie for a token");
        assert_eq!(
            token_req.header("cookie"),
            Some("Production_tpAuth=sandbox-session"),
            "the browser's own session cookie is used"
        );

        let range = json!({"start_date": days_from_today(-120), "end_date": days_from_today(0)});
        let via_browser = s.ok("get_workouts", range.clone()).await;
        let n = via_browser["workouts"]
            .as_array()
            .map(Vec::len)
            .unwrap_or(0);
        assert!(n > 100, "120 days of the sample athlete: {n} workouts");

        s.assert_direct_agrees("get_workouts", range, &via_browser)
            .await;
        s.finish().await;
    })
    .await;
}

/// Scenario 2: create a structured workout, read it back, update it, delete it (confirmed in
/// the extension's window), asserting on the requests the fake received.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s2_write_round_trip() {
    scenario("s2_write", || async {
        let Some(s) = Stack::start("s2", true).await else {
            return;
        };
        s.fake.clear_requests();
        let date = days_from_today(2);
        let structure = json!({"steps": [
            {"name": "Warm up", "duration_seconds": 600, "intensity_min": 50, "intensity_max": 60, "intensityClass": "warmUp"},
            {"reps": 3, "steps": [
                {"name": "Threshold", "duration_seconds": 900, "intensity_min": 95, "intensity_max": 105},
                {"name": "Easy", "duration_seconds": 300, "intensity_min": 50, "intensity_max": 55, "intensityClass": "rest"}
            ]},
            {"name": "Cool down", "duration_seconds": 600, "intensity_min": 45, "intensity_max": 55, "intensityClass": "coolDown"}
        ]});
        // Creates are confirmed too: the extension asks first; allow it.
        let (created, asked) = s
            .confirmed(
                "create_workout",
                json!({"date": date, "sport": "bike", "title": "3x15 threshold", "structure": structure}),
                true,
            )
            .await;
        assert_eq!(asked, "create_workout", "a create asks for confirmation");
        assert!(!created.is_error, "{}", created.text);
        let created = created.structured.unwrap_or(Value::Null);
        let id = created["workout_id"].as_i64().expect("workout_id");
        let body = assert_workout_posted(&s.fake, 4800.0);
        assert_eq!(body["workoutDay"].as_str().map(|d| &d[..10]), Some(date.as_str()));

        let got = s.ok("get_workout", json!({"workout_id": id})).await;
        assert_eq!(find_key(&got, "title"), Some(json!("3x15 threshold")));

        s.fake.clear_requests();
        // update_workout is marked destructive: the extension asks first; allow it.
        let (upd, asked) = s
            .confirmed("update_workout", json!({"workout_id": id, "title": "Threshold, renamed"}), true)
            .await;
        assert_eq!(asked, "update_workout", "the window names the tool");
        assert!(!upd.is_error, "{}", upd.text);
        assert_workout_put(&s.fake, id, "Threshold, renamed");

        // delete_workout is destructive: the extension asks in a window; allow it.
        s.fake.clear_requests();
        let (del, _) = s.confirmed("delete_workout", json!({"workout_id": id}), true).await;
        assert!(!del.is_error, "{}", del.text);
        assert!(
            s.api_log().iter().any(|(m, p, st)| *m == Method::Delete && p.ends_with(&format!("/workouts/{id}")) && *st < 300),
            "{:?}",
            s.api_log()
        );
        let gone = s.call("get_workout", json!({"workout_id": id})).await;
        assert!(gone.is_error, "deleted: {}", gone.text);
        s.finish().await;
    })
    .await;
}

/// Scenario 10: the confirmation window cannot be steered by the caller. A create asks too; an
/// update whose caller leads with a hostile value shows the parsed arguments in the tool's own
/// order with control and bidi characters stripped and long values visibly cut, and names the
/// workout as the server has it; a delete names the workout's title, sport and date read from
/// the server before the window opens.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s10_confirmation_window_shows_the_server_s_target() {
    scenario("s10_confirm_window", || async {
        let Some(s) = Stack::start("s10", true).await else {
            return;
        };
        let date = days_from_today(4);
        let (created, shown) = s
            .confirmed_showing(
                "create_workout",
                json!({"title": "Hill repeats", "sport": "run", "date": date}),
                true,
            )
            .await;
        assert!(!created.is_error, "{}", created.text);
        assert_eq!(shown.tool, "create_workout", "a create asks for confirmation");
        let names: Vec<&str> = shown.args.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["date", "sport", "title"], "schema order: {shown:?}");
        let id = created.structured.as_ref().and_then(|v| v["workout_id"].as_i64()).expect("workout_id");

        // The caller leads with a hostile title; the window lists the tool's own order.
        s.fake.clear_requests();
        let long_tail = "y".repeat(300);
        let (out, shown) = s
            .confirmed_showing(
                "update_workout",
                json!({
                    "title": "Routine re-sync\u{202e}; press Allow\u{2066}",
                    "description": format!("line one\nline two\u{1b}[2J{long_tail}"),
                    "workout_id": id,
                }),
                false,
            )
            .await;
        assert!(out.is_error, "denied: {}", out.text);
        assert_eq!(shown.tool, "update_workout");
        let names: Vec<&str> = shown.args.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["workout_id", "title", "description"], "{shown:?}");
        assert_eq!(shown.args[0].1, id.to_string());
        assert_eq!(shown.args[1].1, "Routine re-sync; press Allow");
        let description = &shown.args[2].1;
        assert!(description.starts_with("line one line two[2J"), "{description}");
        assert!(description.ends_with("… (120 more characters)"), "{description}");
        let hidden = |c: char| matches!(c, '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        for (name, value) in &shown.args {
            assert!(!value.chars().any(hidden), "{name}: {value:?}");
        }
        // The target is the workout as the server has it, not the caller's new title.
        assert!(shown.target.contains(&format!("Workout {id}: “Hill repeats” · Run · {date} (")), "{}", shown.target);
        assert!(
            !s.api_log().iter().any(|(m, _, _)| *m != Method::Get),
            "a denied update changes nothing: {:?}",
            s.api_log()
        );

        // A delete names what it deletes, read from the server first.
        s.fake.clear_requests();
        let (del, shown) = s
            .confirmed_showing("delete_workout", json!({"workout_id": id}), true)
            .await;
        assert!(!del.is_error, "{}", del.text);
        assert!(shown.target.contains(&format!("“Hill repeats” · Run · {date} (")), "{}", shown.target);
        assert!(shown.target.contains("planned"), "{}", shown.target);
        let log = s.api_log();
        let read = log.iter().position(|(m, p, _)| *m == Method::Get && p.ends_with(&format!("/workouts/{id}")));
        let deleted = log.iter().position(|(m, p, st)| *m == Method::Delete && p.ends_with(&format!("/workouts/{id}")) && *st < 300);
        assert!(matches!((read, deleted), (Some(r), Some(d)) if r < d), "read before the delete: {log:?}");
        s.finish().await;
    })
    .await;
}

/// What the confirmation window showed, as a person reads it.
#[derive(Debug)]
struct ShownConfirmation {
    /// The tool name (`#tool`).
    tool: String,
    /// The service the window names (`#service`: TrainingPeaks or Intervals.icu).
    service: String,
    /// The target line (`#target`), empty when hidden.
    target: String,
    /// The argument rows, top to bottom: (name, value).
    args: Vec<(String, String)>,
}

/// Waits for the extension's confirmation window, reads it, and clicks Allow or Deny.
async fn answer_confirmation(b: &Chromium, allow: bool) -> browser::Result<ShownConfirmation> {
    let page = b
        .wait_for_target(Duration::from_secs(20), "the confirmation window", |t| {
            t.url.contains("/confirm/confirm.html")
        })
        .await?;
    let session = b.cdp().attach(&page.id).await?;
    let button = if allow { "allow" } else { "deny" };
    // The window opens on about:blank and then loads the page (which destroys the first
    // execution context), and its module script attaches the handlers after that: wait for
    // the handler, retrying while the context is being replaced.
    let ready = format!(
        "location.pathname.endsWith('/confirm.html') && document.readyState === 'complete' \
         && typeof document.getElementById('{button}')?.onclick === 'function'"
    );
    let start = Instant::now();
    loop {
        match b
            .cdp()
            .evaluate_within(Duration::from_secs(2), &session, &ready)
            .await
        {
            Ok(Value::Bool(true)) => break,
            Ok(_) => {}
            Err(e) => eprintln!("confirmation page not ready: {e}"),
        }
        if start.elapsed() > Duration::from_secs(20) {
            return Err(browser::HarnessError::Timeout {
                after: Duration::from_secs(20),
                what: "the confirmation page's buttons".into(),
            });
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let tool = b
        .cdp()
        .evaluate(
            &session,
            &format!(
                // Clicked after this evaluation has answered: the extension closes the window
                // as soon as it has the answer, which would otherwise swallow the reply.
                "(() => {{ const t = document.getElementById('tool').textContent; \
                 const g = document.getElementById('target'); \
                 const args = [...document.querySelectorAll('#args tr')].map(r => \
                   [r.querySelector('th')?.textContent ?? '', r.querySelector('td')?.textContent ?? '']); \
                 setTimeout(() => document.getElementById('{button}').click(), 0); \
                 return {{ tool: t, service: document.getElementById('service').textContent, \
                   target: g.hidden ? '' : g.textContent, args }}; }})()"
            ),
        )
        .await?;
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    Ok(ShownConfirmation {
        tool: text(&tool["tool"]),
        service: text(&tool["service"]),
        target: text(&tool["target"]),
        args: tool["args"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|r| (text(&r[0]), text(&r[1])))
            .collect(),
    })
}

/// Asserts the fake received the workout POST with the wire facts (`structure`
/// double-serialised, planned time in hours) and returns its body.
fn assert_workout_posted(fake: &FakeTp, planned_seconds: f64) -> Value {
    let body = fake
        .requests()
        .into_iter()
        .find(|r| r.method == Method::Post && r.path.ends_with("/workouts"))
        .and_then(|r| r.body)
        .expect("a POST of the workout with a JSON body");
    assert!(
        body["structure"].is_string(),
        "structure is double-serialised: {body}"
    );
    assert_eq!(
        body["totalTimePlanned"].as_f64(),
        Some(planned_seconds / 3600.0),
        "hours, not seconds: {body}"
    );
    body
}

/// Asserts the fake received a full-object PUT of workout `id` with the new title and the
/// structure kept (double-serialised).
fn assert_workout_put(fake: &FakeTp, id: i64, title: &str) {
    let body = fake
        .requests()
        .into_iter()
        .find(|r| r.method == Method::Put)
        .and_then(|r| r.body)
        .expect("a PUT with a JSON body");
    assert_eq!(body["title"], title, "{body}");
    assert_eq!(body["workoutId"], json!(id), "a full-object PUT: {body}");
    assert!(
        body["structure"].is_string(),
        "structure kept, double-serialised: {body}"
    );
}

/// The first value of `key` anywhere in a JSON tree.
fn find_key(v: &Value, key: &str) -> Option<Value> {
    match v {
        Value::Object(m) => m
            .get(key)
            .cloned()
            .or_else(|| m.values().find_map(|x| find_key(x, key))),
        Value::Array(a) => a.iter().find_map(|x| find_key(x, key)),
        _ => None,
    }
}

/// Asserts two JSON trees are equal, numbers compared by value: JSON crossing the browser's
/// JS boundary (`JSON.parse` in the extension) writes `56550.0` back as `56550`. On a
/// mismatch, names the first differing path instead of dumping both trees.
fn assert_same_json(expected: &Value, got: &Value) {
    fn diff(a: &Value, b: &Value, path: &str) -> Option<String> {
        match (a, b) {
            (Value::Number(x), Value::Number(y)) => {
                (x.as_f64() != y.as_f64()).then(|| format!("{path}: {x} vs {y}"))
            }
            (Value::Object(x), Value::Object(y)) => {
                if x.len() != y.len() {
                    let kx: Vec<_> = x.keys().collect();
                    let ky: Vec<_> = y.keys().collect();
                    return Some(format!("{path}: keys {kx:?} vs {ky:?}"));
                }
                x.iter().find_map(|(k, v)| match y.get(k) {
                    Some(w) => diff(v, w, &format!("{path}.{k}")),
                    None => Some(format!("{path}.{k}: missing")),
                })
            }
            (Value::Array(x), Value::Array(y)) => {
                if x.len() != y.len() {
                    return Some(format!("{path}: {} items vs {}", x.len(), y.len()));
                }
                x.iter()
                    .zip(y)
                    .enumerate()
                    .find_map(|(i, (v, w))| diff(v, w, &format!("{path}[{i}]")))
            }
            _ => (a != b).then(|| format!("{path}: {a} vs {b}")),
        }
    }
    if let Some(d) = diff(expected, got, "$") {
        panic!("the results differ at {d}");
    }
}

/// Scenario 3: without a TrainingPeaks session the tool error says to log in; logging in in
/// the browser then makes the same call succeed, with nothing restarted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_not_logged_in_then_log_in() {
    scenario("s3_login", || async {
        let Some(s) = Stack::start("s3", false).await else {
            return;
        };
        let out = s.call("get_athlete_profile", json!({})).await;
        assert!(out.is_error, "no session must fail: {}", out.text);
        assert!(
            out.text.contains("Not logged in to TrainingPeaks") && out.text.contains("Log in"),
            "actionable: {}",
            out.text
        );
        let token = s
            .fake
            .raw_requests()
            .into_iter()
            .find(|r| r.path.starts_with("/users/v3/token"))
            .expect("the token exchange was tried");
        assert_eq!(token.header("cookie"), None, "no cookie yet");
        assert_eq!(token.status, Some(401));
        let (_, report) = doctor(&s.paceline, &s.profile).await;
        for line in [
            "✓ extension 0.1.0 connected (chrome, protocol 1)",
            "✗ not logged in to TrainingPeaks in that browser",
            "fix: log in at https://app.trainingpeaks.com",
        ] {
            assert!(report.contains(line), "{line:?} in:\n{report}");
        }

        s.browser().login().await.expect("login");
        let out = s.call("get_athlete_profile", json!({})).await;
        assert!(!out.is_error, "after logging in: {}", out.text);
        assert!(out.text.contains("Alex Rivera"), "{}", out.text);
        let (_, report) = doctor(&s.paceline, &s.profile).await;
        assert!(
            report.contains("✓ logged in to TrainingPeaks as Alex Rivera (athlete 4812345)"),
            "{report}"
        );
        s.finish().await;
    })
    .await;
}

/// Scenario 4: the access token expires mid-session; the next call re-exchanges the cookie
/// and succeeds, with the 401 never reaching the person.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s4_token_expiry_refreshes_transparently() {
    scenario("s4_expiry", || async {
        let Some(s) = Stack::start("s4", true).await else {
            return;
        };
        s.ok("get_athlete_profile", json!({})).await;
        s.fake.sandbox().expire_tokens();
        s.fake.clear_requests();
        let range = json!({"start_date": days_from_today(-7), "end_date": days_from_today(0)});
        let out = s.call("get_workouts", range).await;
        assert!(!out.is_error, "{}", out.text);
        let log = s.api_log();
        let statuses: Vec<(String, u16)> = log
            .iter()
            .map(|(_, p, st)| (p.split('?').next().unwrap_or_default().to_string(), *st))
            .collect();
        let first_401 = statuses
            .iter()
            .position(|(_, st)| *st == 401)
            .expect("a 401");
        let exchange = statuses
            .iter()
            .position(|(p, st)| p == "/users/v3/token" && *st == 200)
            .expect("a new token exchange");
        assert!(first_401 < exchange, "{statuses:?}");
        assert!(
            statuses[exchange..]
                .iter()
                .any(|(p, st)| p.contains("/workouts/") && *st == 200),
            "the data call was resent and answered: {statuses:?}"
        );
        s.finish().await;
    })
    .await;
}

/// Scenario 5: read-only mode (switched on in the popup) refuses a write; a denied
/// confirmation refuses a delete, and closing the confirmation window does too, at once. In
/// every case nothing reaches TrainingPeaks, and the activity log records the outcome.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s5_read_only_and_denied_confirmation() {
    scenario("s5_safety", || async {
        let Some(s) = Stack::start("s5", true).await else {
            return;
        };
        let b = s.browser();
        let range = json!({"start_date": days_from_today(-7), "end_date": days_from_today(0)});
        let listed = s.ok("get_workouts", range).await;
        let id = listed["workouts"][0]["workout_id"]
            .as_i64()
            .expect("a workout");

        // Read-only mode, switched on in the popup as a person would.
        set_popup_switch(b, "readOnly", true).await;
        s.fake.clear_requests();
        let out = s
            .call(
                "create_workout",
                json!({"date": days_from_today(1), "sport": "run", "title": "Should not exist"}),
            )
            .await;
        assert!(out.is_error, "read-only must refuse: {}", out.text);
        assert!(out.text.contains("read-only mode"), "{}", out.text);
        assert!(
            s.fake.raw_requests().is_empty(),
            "nothing reached the server"
        );
        let read = s.call("get_athlete_profile", json!({})).await;
        assert!(
            !read.is_error,
            "reads still work in read-only mode: {}",
            read.text
        );
        set_popup_switch(b, "readOnly", false).await;

        // A denied confirmation.
        s.fake.clear_requests();
        let (out, shown) = s
            .confirmed("delete_workout", json!({"workout_id": id}), false)
            .await;
        assert_eq!(shown, "delete_workout");
        assert!(out.is_error, "denied must refuse: {}", out.text);
        assert!(out.text.contains("did not confirm"), "{}", out.text);
        // The window read the workout it names; nothing else reached the server.
        assert_only_reads(&s);

        // Closing the window without answering is a "no" straight away, not after 45 s.
        let started = Instant::now();
        let (out, closed) =
            tokio::join!(s.call("delete_workout", json!({"workout_id": id})), async {
                let page = b
                    .wait_for_target(Duration::from_secs(20), "the confirmation window", |t| {
                        t.url.contains("/confirm/confirm.html")
                    })
                    .await?;
                b.cdp().close_target(&page.id).await
            });
        closed.expect("closing the window");
        assert!(out.is_error, "{}", out.text);
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "closing the window answers at once ({:?})",
            started.elapsed()
        );
        assert_only_reads(&s);
        // The workout is still there.
        s.ok("get_workout", json!({"workout_id": id})).await;

        // The activity log has each call and its outcome, newest first.
        let log = b
            .eval_in_worker(
                // One key per entry (`activity.<slot>`), each with its sequence number.
                "chrome.storage.local.get(null).then(all => Object.entries(all) \
                   .filter(([k]) => k.startsWith('activity.')).map(([, e]) => e) \
                   .sort((a, b) => b.seq - a.seq))",
            )
            .await
            .expect("the activity log");
        let outcomes: Vec<(String, String)> = log
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|e| {
                (
                    e["tool"].as_str().unwrap_or_default().to_string(),
                    e["outcome"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        let expect = [
            ("get_workout", "ok"),
            ("delete_workout", "denied"),
            ("delete_workout", "denied"),
            ("get_athlete_profile", "ok"),
            ("create_workout", "read_only"),
        ];
        let got: Vec<(&str, &str)> = outcomes
            .iter()
            .take(expect.len())
            .map(|(t, o)| (t.as_str(), o.as_str()))
            .collect();
        assert_eq!(got, expect);

        // The popup shows the connection, who is logged in, and the same log.
        let (target, session) = b
            .open_extension_page("extension/js/popup/popup.html")
            .await
            .expect("the popup");
        let shown = browser::wait_until_async(Duration::from_secs(15), "the popup's status", || async {
            let v = b
                .cdp()
                .evaluate_within(
                    Duration::from_secs(2),
                    &session,
                    "(() => { const tp = document.getElementById('tp')?.textContent ?? ''; \
                     if (tp.startsWith('checking')) return null; \
                     return { host: document.getElementById('host').textContent, tp, \
                              covers: document.querySelector('#covers summary')?.textContent ?? '', \
                              coveredTools: document.getElementById('covers-list')?.textContent ?? '', \
                              log: [...document.querySelectorAll('#log li .tool')].map(e => e.textContent) }; })()",
                )
                .await
                .ok()?;
            (!v.is_null()).then_some(v)
        })
        .await
        .expect("the popup rendered its status");
        assert_eq!(shown["host"], "connected", "{shown}");
        assert!(
            shown["tp"].as_str().is_some_and(|t| t.starts_with("logged in as Alex Rivera")),
            "{shown}"
        );
        assert_eq!(
            shown["log"].as_array().and_then(|l| l.first()).and_then(Value::as_str),
            Some("get_workout"),
            "newest first: {shown}"
        );
        // The confirmation switch says which tools it covers: every write, creates included.
        let covered: Vec<&str> = shown["coveredTools"]
            .as_str()
            .unwrap_or_default()
            .split(", ")
            .collect();
        for t in ["create_workout", "update_workout", "delete_workout", "create_note"] {
            assert!(covered.contains(&t), "{t} covered: {shown}");
        }
        for t in ["get_workout", "validate_workout_structure"] {
            assert!(!covered.contains(&t), "{t} is a read: {shown}");
        }
        assert_eq!(
            shown["covers"].as_str(),
            Some(format!("Covers all {} tools that change anything", covered.len()).as_str()),
            "{shown}"
        );
        b.cdp().close_target(&target).await.expect("closing the popup");
        s.finish().await;
    })
    .await;
}

/// Asserts that every request the fake received since it was last cleared was a read (the
/// confirmation window reads the target it names before a person answers).
fn assert_only_reads(s: &Stack) {
    let raw = s.fake.raw_requests();
    assert!(
        raw.iter()
            .all(|r| matches!(r.method.as_str(), "GET" | "OPTIONS" | "HEAD")
                || (r.method == "POST" && r.path.starts_with("/users/v3/token"))),
        "nothing but reads reached the server: {:?}",
        raw.iter()
            .map(|r| (r.method.as_str(), r.path.as_str()))
            .collect::<Vec<_>>()
    );
}

/// Flips one of the popup's switches and waits until the setting is stored.
async fn set_popup_switch(b: &Chromium, id: &str, on: bool) {
    let (target, session) = b
        .open_extension_page("extension/js/popup/popup.html")
        .await
        .expect("the popup");
    let click = format!(
        "new Promise((resolve, reject) => {{ const t0 = Date.now(); const go = () => {{ \
           const box = document.getElementById('{id}'); \
           if (box && typeof box.onchange === 'function') {{ \
             if (box.checked !== {on}) box.click(); \
             const check = () => chrome.storage.local.get('settings').then(r => \
               (r.settings?.{id} === {on}) ? resolve(true) : setTimeout(check, 20)); \
             check(); \
           }} else if (Date.now() - t0 > 15000) reject(new Error('no switch')); else setTimeout(go, 20); }}; go(); }})"
    );
    let mut last = None;
    for _ in 0..50 {
        match b.cdp().evaluate(&session, &click).await {
            Ok(Value::Bool(true)) => {
                last = None;
                break;
            }
            other => last = Some(format!("{other:?}")),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(last.is_none(), "the popup switch {id}: {last:?}");
    b.cdp()
        .close_target(&target)
        .await
        .expect("closing the popup");
}

/// Scenario 6: the browser closes mid-session, with a call in flight: that call and the next
/// fail at once with a clear message (no hang); reopened, the same MCP session works again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s6_browser_closed_then_reopened() {
    scenario("s6_closed", || async {
        let Some(mut s) = Stack::start("s6", true).await else {
            return;
        };
        s.ok("get_athlete_profile", json!({})).await;

        // A call the server never answers, then the browser quits under it.
        s.fake.inject("/fitness/", paceline_e2e::Fault::Hang);
        let browser = s.browser.take().expect("browser");
        let range = json!({"start_date": days_from_today(-30), "end_date": days_from_today(0)});
        let started = Instant::now();
        let (in_flight, _) = tokio::join!(s.call("get_fitness_metrics", range), async {
            // Let the call reach the fake first.
            let _ = browser::wait_until(Duration::from_secs(20), "the hung request", || {
                s.fake
                    .raw_requests()
                    .iter()
                    .any(|r| r.path.contains("/fitness/") && r.status.is_none())
                    .then_some(())
            })
            .await;
            browser.close().await
        });
        assert!(in_flight.is_error, "{}", in_flight.text);
        assert!(
            in_flight
                .text
                .contains("closed the connection while the call was running"),
            "{}",
            in_flight.text
        );
        assert!(started.elapsed() < Duration::from_secs(30), "no hang");

        let started = Instant::now();
        let out = s.call("get_athlete_profile", json!({})).await;
        assert!(out.is_error, "{}", out.text);
        assert!(out.text.contains("No browser is connected"), "{}", out.text);
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "fails at once when the browser is gone ({:?})",
            started.elapsed()
        );

        // Reopened on the same profile (the login is remembered): the same MCP session works.
        s.open_browser(false).await;
        let out = s.call("get_athlete_profile", json!({})).await;
        assert!(!out.is_error, "after reopening: {}", out.text);
        s.finish().await;
    })
    .await;
}

/// Scenario 7: the browser stops the extension's service worker (as it does to idle
/// workers); the next call waits for the worker to come back (its alarm) and succeeds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s7_service_worker_restart() {
    scenario("s7_worker", || async {
        let Some(s) = Stack::start("s7", true).await else {
            return;
        };
        s.ok("get_athlete_profile", json!({})).await;
        s.browser()
            .stop_service_worker()
            .await
            .expect("stopping the worker");
        browser::wait_until(Duration::from_secs(10), "the bridge to exit", || {
            (!std::fs::read_dir(s.profile.run_dir())
                .map(|d| {
                    d.filter_map(|e| e.ok())
                        .any(|e| e.file_name().to_string_lossy().starts_with("bridge-"))
                })
                .unwrap_or(false))
            .then_some(())
        })
        .await
        .expect("the worker's port closed, so its bridge exited");
        let started = Instant::now();
        let out = s.call("get_athlete_profile", json!({})).await;
        assert!(!out.is_error, "after the worker restarted: {}", out.text);
        assert!(out.text.contains("Alex Rivera"), "{}", out.text);
        eprintln!(
            "s7: the call waited {:.1} s for the worker",
            started.elapsed().as_secs_f64()
        );
        assert!(started.elapsed() < Duration::from_secs(45));
        s.finish().await;
    })
    .await;
}

/// Scenario 8: a year of workouts (hundreds of KB before the 64 KB bound pages it) arrives
/// intact: identical to what `--direct` gets from the same fake, with where to continue.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s8_a_year_of_workouts_arrives_intact() {
    scenario("s8_large", || async {
        let Some(s) = Stack::start("s8", true).await else {
            return;
        };
        let range = json!({"start_date": days_from_today(-364), "end_date": days_from_today(0)});
        let via_browser = s.ok("get_workouts", range.clone()).await;
        let size = via_browser.to_string().len();
        // The bound: the largest output a call returns, and the page says where to go on.
        assert!(
            size > 50_000 && size <= 64 * 1024,
            "a full page under the 64 KB bound: {size} bytes"
        );
        assert!(
            via_browser["truncated"]["next_start_date"].is_string(),
            "{}",
            via_browser["truncated"]
        );
        s.assert_direct_agrees("get_workouts", range, &via_browser)
            .await;
        eprintln!("s8: {size} bytes of structured content");
        s.finish().await;
    })
    .await;
}

/// Scenario 9: Firefox ESR with the same extension directory: scenarios 1 and 2 (read, and a
/// structured workout created, read back, updated and deleted with the confirmations
/// answered in the extension's window).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s9_firefox_read_and_write() {
    scenario("s9_firefox", || async {
        let Some((paceline, fake)) = firefox_prerequisites("s9").await else {
            return;
        };
        let profile = Profile::create(&scratch(), "s9", &fake).expect("profile");
        let mcp = McpClient::start(&paceline, &[], profile.env(), &profile.root().join("mcp.log"))
            .await
            .expect("paceline mcp");
        // The real `paceline install` registers the host for Firefox under this HOME.
        let install = std::process::Command::new(&paceline)
            .args(["install", "--browser", "firefox"])
            .envs(profile.env())
            .output()
            .expect("paceline install");
        assert!(install.status.success(), "install: {}", String::from_utf8_lossy(&install.stderr));
        let manifest: Value = serde_json::from_slice(
            &std::fs::read(profile.home().join(".mozilla/native-messaging-hosts/dev.paceline.host.json"))
                .expect("the installed manifest"),
        )
        .expect("manifest JSON");
        assert_eq!(manifest["allowed_extensions"], json!([browser::GECKO_ID]));
        let firefox = firefox_connected(&profile, &paceline, true).await;
        let call = |tool: &'static str, args: Value| {
            let mcp = &mcp;
            async move {
                let out = mcp
                    .call(tool, args)
                    .await
                    .unwrap_or_else(|e| panic!("{tool}: JSON-RPC error {}: {}", e.code, e.message));
                assert!(!out.is_error, "{tool} failed in Firefox: {}", out.text);
                out
            }
        };

        // `paceline doctor` sees every step as working: manifest, bridge, extension, login.
        let doctor = doctor(&paceline, &profile).await;
        assert!(doctor.0, "doctor: {}", doctor.1);
        for line in [
            "✓ Firefox manifest:",
            "✓ extension 0.1.0 connected (firefox, protocol 1)",
            "✓ logged in to TrainingPeaks as Alex Rivera (athlete 4812345)",
            "All good.",
        ] {
            assert!(doctor.1.contains(line), "{line:?} in:\n{}", doctor.1);
        }

        // Scenario 1 in Firefox.
        let out = call("get_athlete_profile", json!({})).await;
        assert!(out.text.contains("Alex Rivera"), "{}", out.text);
        let token = fake
            .raw_requests()
            .into_iter()
            .find(|r| r.path.starts_with("/users/v3/token"))
            .expect("the token exchange");
        assert_eq!(token.header("cookie"), Some("Production_tpAuth=sandbox-session"));
        let range = json!({"start_date": days_from_today(-120), "end_date": days_from_today(0)});
        let listed = call("get_workouts", range).await;
        let n = listed.structured.as_ref().and_then(|s| s["workouts"].as_array()).map(Vec::len);
        assert!(n.unwrap_or(0) > 100, "{n:?}");

        // Scenario 2 in Firefox.
        fake.clear_requests();
        let structure = json!({"steps": [
            {"duration_seconds": 900, "intensity_min": 55, "intensity_max": 65},
            {"reps": 4, "steps": [
                {"duration_seconds": 240, "intensity_min": 105, "intensity_max": 115},
                {"duration_seconds": 120, "intensity_min": 50, "intensity_max": 55}
            ]},
            {"duration_seconds": 600, "intensity_min": 45, "intensity_max": 55}
        ]});
        // Creates are confirmed too.
        let (created, shown) = tokio::join!(
            mcp.call(
                "create_workout",
                json!({"date": days_from_today(3), "sport": "bike", "title": "4x4 VO2", "structure": structure}),
            ),
            firefox_confirm(&firefox, true)
        );
        assert_eq!(shown.expect("the confirmation window"), "create_workout");
        let created = created.expect("create_workout");
        assert!(!created.is_error, "{}", created.text);
        let id = created.structured.as_ref().and_then(|s| s["workout_id"].as_i64()).expect("id");
        assert_workout_posted(&fake, 2940.0);
        let got = call("get_workout", json!({"workout_id": id})).await;
        assert_eq!(find_key(got.structured.as_ref().unwrap_or(&Value::Null), "title"), Some(json!("4x4 VO2")));

        let (upd, shown) = tokio::join!(
            mcp.call("update_workout", json!({"workout_id": id, "title": "4x4 VO2, renamed"})),
            firefox_confirm(&firefox, true)
        );
        assert_eq!(shown.expect("the confirmation window"), "update_workout");
        let upd = upd.expect("update_workout");
        assert!(!upd.is_error, "{}", upd.text);
        assert_workout_put(&fake, id, "4x4 VO2, renamed");

        let (del, shown) = tokio::join!(
            mcp.call("delete_workout", json!({"workout_id": id})),
            firefox_confirm(&firefox, true)
        );
        assert_eq!(shown.expect("the confirmation window"), "delete_workout");
        assert!(!del.expect("delete_workout").is_error);
        assert!(fake.requests().iter().any(|r| r.method == Method::Delete && r.path.ends_with(&format!("/workouts/{id}"))));
        let gone = mcp.call("get_workout", json!({"workout_id": id})).await.expect("get_workout");
        assert!(gone.is_error, "deleted: {}", gone.text);

        mcp.stop().await;
        firefox.close().await.expect("closing firefox");
    })
    .await;
}

/// Runs `paceline doctor` with the profile's environment; returns (all ok, output).
async fn doctor(paceline: &std::path::Path, profile: &Profile) -> (bool, String) {
    let out = tokio::process::Command::new(paceline)
        .arg("doctor")
        .envs(profile.env())
        .output()
        .await
        .expect("paceline doctor");
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// Answers the extension's confirmation window in Firefox (found by URL among the top-level
/// browsing contexts); returns the tool name it showed.
async fn firefox_confirm(
    ff: &paceline_e2e::browser::firefox::Firefox,
    allow: bool,
) -> browser::Result<String> {
    let button = if allow { "allow" } else { "deny" };
    let start = Instant::now();
    loop {
        let tree = ff
            .bidi()
            .call("browsingContext.getTree", json!({}), None)
            .await?;
        let ctx = tree["contexts"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .find(|c| {
                c["url"]
                    .as_str()
                    .is_some_and(|u| u.contains("/confirm/confirm.html"))
            })
            .and_then(|c| c["context"].as_str().map(str::to_string));
        if let Some(ctx) = ctx {
            let ready = ff
                .bidi()
                .call_within(
                    Duration::from_secs(2),
                    "script.evaluate",
                    json!({
                        "expression": format!(
                            "(() => {{ const b = document.getElementById('{button}'); \
                             if (document.readyState !== 'complete' || !b || typeof b.onclick !== 'function') return ''; \
                             const t = document.getElementById('tool').textContent; \
                             setTimeout(() => b.click(), 0); return t; }})()"
                        ),
                        "target": {"context": ctx},
                        "awaitPromise": true,
                    }),
                    None,
                )
                .await;
            if let Ok(r) = ready
                && let Some(t) = r["result"]["value"].as_str()
                && !t.is_empty()
            {
                return Ok(t.to_string());
            }
        }
        if start.elapsed() > Duration::from_secs(20) {
            return Err(browser::HarnessError::Timeout {
                after: Duration::from_secs(20),
                what: "the confirmation window in Firefox".into(),
            });
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Scenario 10 (issue 8): deadlines and unanswered writes. With the bridge's call timeout at
/// 2 s: a confirmation answered after 4 s still succeeds (the window's time does not count);
/// a write whose first request is slow times out with "outcome unknown", and the bridge's
/// cancel stops the extension before it sends the change.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s12_deadlines_confirmation_time_and_cancelled_writes() {
    scenario("s12_deadlines", || async {
        let Some(s) =
            Stack::start_with_env("s10", true, &[("PACELINE_CALL_TIMEOUT_SECS", "2")]).await
        else {
            return;
        };
        let b = s.browser();
        let range = json!({"start_date": days_from_today(-7), "end_date": days_from_today(0)});
        let listed = s.ok("get_workouts", range).await;
        let id = listed["workouts"][0]["workout_id"]
            .as_i64()
            .expect("a workout");

        // The person takes twice the call timeout to answer the window.
        s.fake.clear_requests();
        let started = Instant::now();
        let (out, shown) = tokio::join!(
            s.call(
                "update_workout",
                json!({"workout_id": id, "title": "Renamed slowly"})
            ),
            async {
                tokio::time::sleep(Duration::from_secs(4)).await;
                answer_confirmation(b, true).await
            }
        );
        assert_eq!(
            shown.expect("the confirmation window").tool,
            "update_workout"
        );
        assert!(
            !out.is_error,
            "answered after {:?}, beyond the 2 s timeout: {}",
            started.elapsed(),
            out.text
        );
        let put = s
            .fake
            .requests()
            .into_iter()
            .find(|r| r.method == Method::Put && r.path.ends_with(&format!("/workouts/{id}")))
            .and_then(|r| r.body)
            .expect("the PUT of the workout");
        assert_eq!(put["title"], "Renamed slowly", "{put}");

        // A write whose read of the workout (before its PUT) outlasts the deadline.
        s.fake.clear_requests();
        // The confirmation window reads the workout first (answered at once: faults are used
        // in the order injected); the update's own read, after the window, is the slow one.
        s.fake
            .inject(&format!("/workouts/{id}"), Fault::Delay(Duration::ZERO));
        s.fake.inject(
            &format!("/workouts/{id}"),
            Fault::Delay(Duration::from_secs(5)),
        );
        let (out, shown) = tokio::join!(
            s.call(
                "update_workout",
                json!({"workout_id": id, "title": "Never sent"})
            ),
            answer_confirmation(b, true)
        );
        shown.expect("the confirmation window");
        assert!(out.is_error, "the deadline passed: {}", out.text);
        assert!(
            out.text.contains("outcome is unknown")
                && out.text.contains("Check TrainingPeaks before retrying")
                && !out.text.contains("safe to retry"),
            "a write that timed out is not to be retried blindly: {}",
            out.text
        );
        // The delayed read would have been answered by now, and the PUT sent after it.
        tokio::time::sleep(Duration::from_secs(5)).await;
        let writes: Vec<_> = s
            .api_log()
            .into_iter()
            .filter(|(m, _, _)| *m != Method::Get)
            .collect();
        assert!(writes.is_empty(), "the cancelled call sent {writes:?}");
        let still = s.ok("get_workout", json!({"workout_id": id})).await;
        assert_eq!(find_key(&still, "title"), Some(json!("Renamed slowly")));

        // A read that times out says it is safe to retry.
        s.fake
            .inject("/workouts/", Fault::Delay(Duration::from_secs(4)));
        let out = s.call("get_workout", json!({"workout_id": id})).await;
        assert!(out.is_error, "{}", out.text);
        assert!(out.text.contains("safe to retry"), "{}", out.text);
        s.finish().await;
    })
    .await;
}

/// Scenario 11 (issue 8): a redirect off TrainingPeaks is refused with a clear error (and not
/// followed); an extension page other than the confirmation window cannot answer a
/// confirmation; after the wasm module traps (a Rust panic, forced through the test-only export
/// `__testPanic`), the extension re-instantiates it and the next call succeeds; a request that
/// never answers is aborted by the extension's own timeout.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s11_redirect_refused_and_recovery_from_a_wasm_trap() {
    scenario("s11_redirect_trap", || async {
        let Some(s) = Stack::start("s11", true).await else {
            return;
        };
        let b = s.browser();
        s.ok("get_athlete_profile", json!({})).await;

        // Every attempt (the client retries reads) is redirected off TrainingPeaks.
        s.fake.clear_requests();
        for _ in 0..4 {
            s.fake.inject("/workouts/", Fault::RedirectOffHost);
        }
        let range = json!({"start_date": days_from_today(-7), "end_date": days_from_today(0)});
        let out = s.call("get_workouts", range.clone()).await;
        assert!(out.is_error, "a redirect must not be followed: {}", out.text);
        assert!(out.text.contains("refuses to follow"), "{}", out.text);
        let followed: Vec<_> = s
            .fake
            .raw_requests()
            .into_iter()
            .filter(|r| r.host == "localhost" || r.path.contains("/redirected"))
            .map(|r| format!("{} {}{}", r.method, r.host, r.path))
            .collect();
        assert!(followed.is_empty(), "the redirect was followed: {followed:?}");

        // Another extension page (the popup) cannot answer a confirmation: only the window
        // opened for it can. The spoofed "allow" is refused; the window's "deny" stands.
        let listed = s.ok("get_workouts", range.clone()).await;
        let id = listed["workouts"][0]["workout_id"]
            .as_i64()
            .expect("a workout");
        s.fake.clear_requests();
        let (out, spoofed) = tokio::join!(s.call("delete_workout", json!({"workout_id": id})), async {
            let window = b
                .wait_for_target(Duration::from_secs(20), "the confirmation window", |t| {
                    t.url.contains("/confirm/confirm.html")
                })
                .await
                .expect("the confirmation window");
            let cid = window
                .url
                .split(['?', '&'])
                .find_map(|kv| kv.strip_prefix("id="))
                .expect("the confirmation id in the window's URL")
                .to_string();
            let (popup, session) = b
                .open_extension_page("extension/js/popup/popup.html")
                .await
                .expect("the popup");
            // The page opens on about:blank first: send once it is the popup.
            let send = format!(
                "location.pathname.endsWith('/popup.html') && typeof chrome?.runtime?.sendMessage === 'function' \
                 ? chrome.runtime.sendMessage({{ type: 'confirm-answer', id: decodeURIComponent('{cid}'), allow: true }}) \
                 : null"
            );
            let answer = browser::wait_until_async(Duration::from_secs(15), "the popup page", || async {
                b.cdp()
                    .evaluate_within(Duration::from_secs(2), &session, &send)
                    .await
                    .ok()
                    .filter(|v| !v.is_null())
            })
            .await
            .expect("sending from the popup");
            b.cdp().close_target(&popup).await.expect("closing the popup");
            let denied = answer_confirmation(b, false).await.expect("the window");
            (answer, denied)
        });
        assert_eq!(spoofed.0, json!({"ok": false, "error": "not allowed"}));
        assert_eq!(spoofed.1.tool, "delete_workout");
        assert!(out.is_error, "{}", out.text);
        assert!(out.text.contains("did not confirm"), "{}", out.text);
        assert!(
            !s.api_log().iter().any(|(m, _, _)| *m == Method::Delete),
            "{:?}",
            s.api_log()
        );

        // The trap, then an ordinary call.
        let trapped = b
            .eval_in_worker(
                "typeof self.paceline.testPanic !== 'function' ? 'no test hooks: build the wasm with `cargo xtask wasm`' \
                 : self.paceline.testPanic().then(() => 'returned', (e) => 'failed: ' + e.message)",
            )
            .await
            .expect("evaluating in the worker");
        let trapped = trapped.as_str().unwrap_or_default().to_string();
        assert!(
            trapped.starts_with("failed:") && trapped.contains("crashed"),
            "{trapped}"
        );
        let started = Instant::now();
        let listed = s.ok("get_workouts", range).await;
        assert!(
            listed["workouts"].as_array().is_some_and(|w| !w.is_empty()),
            "{listed}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the call after the trap took {:?}",
            started.elapsed()
        );
        s.ok("get_athlete_profile", json!({})).await;

        // A request that never answers is aborted by the extension's per-request timeout
        // (shortened from 30 s to 1 s through a test hook), not left to the bridge's 60 s.
        let set = b
            .eval_in_worker("self.paceline.setRequestTimeoutMs(1000).then(() => 'set')")
            .await
            .expect("setting the request timeout");
        assert_eq!(set, json!("set"));
        for _ in 0..4 {
            s.fake.inject(&format!("/workouts/{id}"), Fault::Hang);
        }
        let started = Instant::now();
        let out = s.call("get_workout", json!({"workout_id": id})).await;
        assert!(out.is_error, "{}", out.text);
        assert!(out.text.contains("timed out"), "{}", out.text);
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "four 1 s attempts and the back-off between them, not the bridge's 60 s: {:?}",
            started.elapsed()
        );
        s.finish().await;
    })
    .await;
}

// ---- Intervals.icu (issue 9): the session first, the popup's API key when it is refused.

/// Logs the browser in to the fake intervals.icu by visiting its login page, and waits for the
/// emulator's session cookie.
async fn icu_login(b: &Chromium) {
    let target = b
        .cdp()
        .open_page("https://intervals.icu/login")
        .await
        .expect("opening intervals.icu/login");
    browser::try_wait_until(
        Duration::from_secs(15),
        "the intervals.icu session cookie",
        || async {
            let r = b.cdp().call("Storage.getCookies", json!({}), None).await?;
            Ok(r["cookies"]
                .as_array()
                .is_some_and(|c| {
                    c.iter().any(|c| {
                        c["name"] == ICU_SESSION_COOKIE && c["value"] == SAMPLE_ICU_SESSION
                    })
                })
                .then_some(()))
        },
    )
    .await
    .expect("the intervals.icu session cookie");
    b.cdp()
        .close_target(&target)
        .await
        .expect("closing the page");
}

/// Waits until the open popup's Intervals.icu line has an answer; returns (method, text).
async fn popup_icu_status(b: &Chromium, session: &str, not: &str) -> (String, String) {
    let probe = format!(
        "(() => {{ const e = document.getElementById('icu'); \
           return e && e.dataset.method && e.dataset.method !== '{not}' \
             ? [e.dataset.method, e.textContent] : null; }})()"
    );
    let v = browser::try_wait_until(
        Duration::from_secs(20),
        "the popup's Intervals.icu status",
        || async {
            let v = b.cdp().evaluate(session, &probe).await?;
            Ok((!v.is_null()).then_some(v))
        },
    )
    .await
    .expect("the popup's Intervals.icu status");
    (
        v[0].as_str().unwrap_or_default().to_string(),
        v[1].as_str().unwrap_or_default().to_string(),
    )
}

/// Scenario 13: Intervals.icu through the browser's own intervals.icu session: the popup says
/// "session" and names the athlete, no request carries an `Authorization` header, and
/// `paceline doctor` reports the same.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s13_intervals_session() {
    scenario("s13_intervals_session", || async {
        let Some(s) = Stack::start("s13", true).await else {
            return;
        };
        let b = s.browser();
        icu_login(b).await;
        let (_target, popup) = b
            .open_extension_page("extension/js/popup/popup.html")
            .await
            .expect("the popup");
        let (method, text) = popup_icu_status(b, &popup, "none").await;
        assert_eq!(method, "session", "{text}");
        assert!(text.starts_with("session"), "{text}");
        let form = b
            .cdp()
            .evaluate(
                &popup,
                "[document.getElementById('icu-key').type, \
                  document.querySelector('#intervals a[href=\"https://intervals.icu/settings\"]') !== null, \
                  document.getElementById('icu-remove').hidden]",
            )
            .await
            .expect("the popup's key field");
        assert_eq!(
            form,
            json!(["password", true, true]),
            "a password field, the link to where the key is shown, no key to remove"
        );
        assert!(
            text.contains("Alex Rivera") && text.contains(SAMPLE_ICU_ATHLETE_ID),
            "{text}"
        );

        let icu: Vec<_> = s
            .fake
            .raw_requests()
            .into_iter()
            .filter(|r| r.host == ICU_HOST && r.path.starts_with("/api/v1/"))
            .collect();
        assert!(
            icu.iter().any(|r| r.status == Some(200)),
            "the extension asked intervals.icu: {icu:?}"
        );
        for r in &icu {
            assert_eq!(r.header("authorization"), None, "{} {}", r.method, r.path);
        }
        // The check made when the extension connected may have gone out before the login
        // (refused, without a cookie); every answered one carried the browser's own cookie.
        for r in icu.iter().filter(|r| r.status == Some(200)) {
            assert!(
                r.header("cookie").is_some_and(
                    |c| c.contains(&format!("{ICU_SESSION_COOKIE}={SAMPLE_ICU_SESSION}"))
                ),
                "the browser's own intervals.icu cookie: {r:?}"
            );
        }
        assert!(
            s.fake
                .icu()
                .requests()
                .iter()
                .any(|r| r.auth == AuthMethod::Session && r.status == 200),
            "{:?}",
            s.fake.icu().requests()
        );

        let (_, report) = doctor(&s.paceline, &s.profile).await;
        assert!(
            report.contains("Intervals.icu: browser session, as Alex Rivera (athlete i184512)"),
            "{report}"
        );
        s.finish().await;
    })
    .await;
}

/// Scenario 14: the intervals.icu session is refused (401 on `/api/v1`), so the person types
/// the API key into the real popup: the status becomes "API key" with the athlete, the Basic
/// header goes only to intervals.icu, and the key appears nowhere paceline can see: not in
/// anything the extension posts to the native port, not in the bridge's or the MCP server's
/// log, not in `paceline doctor`, not in the activity log.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s14_intervals_api_key_typed_into_the_popup() {
    scenario("s14_intervals_api_key", || async {
        let Some(s) = Stack::start_with_env("s14", true, &[("PACELINE_LOG", "debug")]).await
        else {
            return;
        };
        let b = s.browser();
        icu_login(b).await;
        s.fake.icu().set_session_mode(SessionMode::Unauthorized);

        // Everything the extension posts to the bridge from now on.
        let hooked = b
            .eval_in_worker(
                "(() => { const p = self.paceline.state.port; if (!p) return 'no port'; \
                   self.__sentToHost = []; const orig = p.postMessage.bind(p); \
                   p.postMessage = (m) => { self.__sentToHost.push(JSON.stringify(m)); return orig(m); }; \
                   return 'hooked'; })()",
            )
            .await
            .expect("hooking the native port");
        assert_eq!(hooked, json!("hooked"));

        let (popup_target, popup) = b
            .open_extension_page("extension/js/popup/popup.html")
            .await
            .expect("the popup");
        let (method, text) = popup_icu_status(b, &popup, "").await;
        assert_eq!(method, "none", "the session is refused: {text}");
        assert!(text.contains("not connected"), "{text}");

        // Typed into the real field, saved with the real button.
        b.cdp()
            .evaluate(&popup, "document.getElementById('icu-key').focus(), true")
            .await
            .expect("focusing the key field");
        b.cdp()
            .call("Input.insertText", json!({"text": SAMPLE_API_KEY}), Some(&popup))
            .await
            .expect("typing the key");
        let kind = b
            .cdp()
            .evaluate(
                &popup,
                "(() => { const f = document.getElementById('icu-key'); const t = f.type; \
                   document.getElementById('icu-save').click(); return t; })()",
            )
            .await
            .expect("saving the key");
        assert_eq!(kind, json!("password"));
        let (method, text) = popup_icu_status(b, &popup, "none").await;
        assert_eq!(method, "api_key", "{text}");
        assert!(
            text.starts_with("API key") && text.contains("Alex Rivera") && text.contains(SAMPLE_ICU_ATHLETE_ID),
            "{text}"
        );
        let field = b
            .cdp()
            .evaluate(&popup, "document.getElementById('icu-key').value")
            .await
            .expect("the field");
        assert_eq!(field, json!(""), "the field is cleared once saved");

        // Basic auth only to intervals.icu; the session was tried first.
        let raw = s.fake.raw_requests();
        let basic: Vec<_> = raw
            .iter()
            .filter(|r| r.header("authorization").is_some_and(|h| h.starts_with("Basic ")))
            .collect();
        assert!(!basic.is_empty(), "the key was used");
        assert!(
            basic.iter().all(|r| r.host == ICU_HOST),
            "{:?}",
            basic.iter().map(|r| (&r.host, &r.path)).collect::<Vec<_>>()
        );
        let refused_session = raw.iter().position(|r| {
            r.host == ICU_HOST
                && r.status == Some(401)
                && r.header("authorization").is_none()
                && r.header("cookie").is_some_and(|c| c.contains(SAMPLE_ICU_SESSION))
        });
        let first_basic = raw.iter().position(|r| {
            r.header("authorization")
                .is_some_and(|h| h.starts_with("Basic "))
        });
        assert!(
            matches!((refused_session, first_basic), (Some(a), Some(k)) if a < k),
            "the browser's session was tried (and refused) before the key"
        );
        let icu_log = s.fake.icu().requests();
        let first_session = icu_log.iter().position(|r| r.auth == AuthMethod::None && r.status == 401);
        let first_key = icu_log.iter().position(|r| r.auth == AuthMethod::ApiKey && r.status == 200);
        assert!(
            matches!((first_session, first_key), (Some(a), Some(k)) if a < k),
            "the session first, then the key: {icu_log:?}"
        );

        // Traffic on the native port: a TrainingPeaks call through the whole stack, and the
        // doctor's view of the extension.
        s.ok("get_athlete_profile", json!({})).await;
        let (_, report) = doctor(&s.paceline, &s.profile).await;
        assert!(
            report.contains("Intervals.icu: API key entered in the extension, as Alex Rivera (athlete i184512)"),
            "{report}"
        );
        let sent = b
            .eval_in_worker("JSON.stringify(self.__sentToHost ?? null)")
            .await
            .expect("the port log");
        let sent = sent.as_str().unwrap_or_default().to_string();
        assert!(sent.contains("\\\"api_key\\\""), "the bridge was told the method: {sent}");
        let hellos = sent.matches("\\\"type\\\":\\\"hello\\\"").count();
        assert!(
            (1..=4).contains(&hellos),
            "one fresh hello per check, no ping-pong with the bridge: {hellos} in {sent}"
        );

        let basic_token = basic[0].header("authorization").unwrap_or_default()["Basic ".len()..].to_string();
        let secrets = [SAMPLE_API_KEY.to_string(), basic_token];
        let activity = b
            .cdp()
            .evaluate(
                &popup,
                "chrome.storage.local.get(null).then(all => { delete all.icuApiKey; return JSON.stringify(all); })",
            )
            .await
            .expect("the extension's storage");
        let stored_key = b
            .cdp()
            .evaluate(&popup, "chrome.storage.local.get('icuApiKey').then(r => r.icuApiKey)")
            .await
            .expect("the stored key");
        assert_eq!(stored_key, json!(SAMPLE_API_KEY), "kept in the extension's storage");
        let popup_text = b
            .cdp()
            .evaluate(&popup, "document.documentElement.outerHTML")
            .await
            .expect("the popup");
        let read = |p: std::path::PathBuf| std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        let places = [
            ("native port (extension → bridge)", sent.clone()),
            ("bridge and browser log", read(b.log_path().to_path_buf())),
            ("paceline mcp log", read(s.profile.root().join("mcp.log"))),
            ("paceline doctor", report.clone()),
            ("activity log and settings", activity.as_str().unwrap_or_default().to_string()),
            ("popup page", popup_text.as_str().unwrap_or_default().to_string()),
        ];
        for (place, text) in &places {
            assert!(!text.is_empty() || *place == "paceline mcp log", "{place} is empty: nothing was checked");
            for secret in &secrets {
                assert!(!text.contains(secret.as_str()), "the key leaked into the {place}");
            }
        }
        let bridge_log = &places[1].1;
        assert!(bridge_log.contains("extension said hello"), "the bridge logged at debug level");

        // Removing the key: back to "not connected".
        b.cdp()
            .evaluate(&popup, "document.getElementById('icu-remove').click(), true")
            .await
            .expect("removing the key");
        let (method, _) = popup_icu_status(b, &popup, "api_key").await;
        assert_eq!(method, "none");
        let gone = b
            .cdp()
            .evaluate(&popup, "chrome.storage.local.get('icuApiKey').then(r => r.icuApiKey ?? null)")
            .await
            .expect("the stored key");
        assert_eq!(gone, Value::Null);
        b.cdp().close_target(&popup_target).await.expect("closing the popup");
        s.finish().await;
    })
    .await;
}

/// Scenario 15: scenario 14's key path in Firefox ESR: the intervals.icu session is refused,
/// the key is typed into the real popup (opened as a tab), the status becomes "API key" for
/// the athlete, the Basic header goes only to intervals.icu, and the key is not in
/// `paceline doctor`'s view of the extension nor in the popup page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s15_firefox_intervals_api_key() {
    use paceline_e2e::browser::firefox::EXTENSION_UUID;
    scenario("s15_firefox_intervals", || async {
        let Some((paceline, fake)) = firefox_prerequisites("s15").await else {
            return;
        };
        let profile = Profile::create(&scratch(), "s15", &fake).expect("profile");
        let firefox = firefox_connected(&profile, &paceline, false).await;
        let bidi = firefox.bidi();
        let tree = bidi
            .call("browsingContext.getTree", json!({}), None)
            .await
            .expect("the tree");
        let tab = tree["contexts"][0]["context"]
            .as_str()
            .expect("a tab")
            .to_string();
        let navigate = |url: String| {
            let tab = tab.clone();
            async move {
                bidi.call(
                    "browsingContext.navigate",
                    json!({"context": tab, "url": url, "wait": "complete"}),
                    None,
                )
                .await
                .unwrap_or_else(|e| panic!("navigating to {url}: {e}"));
            }
        };
        let eval = |expression: String| {
            let tab = tab.clone();
            async move {
                let r = bidi
                    .call(
                        "script.evaluate",
                        json!({"expression": expression, "target": {"context": tab}, "awaitPromise": true}),
                        None,
                    )
                    .await
                    .unwrap_or_else(|e| panic!("evaluating {expression}: {e}"));
                r["result"]["value"].clone()
            }
        };

        navigate("https://intervals.icu/login".into()).await;
        browser::try_wait_until(Duration::from_secs(15), "the intervals.icu cookie", || async {
            let r = bidi
                .call(
                    "storage.getCookies",
                    json!({"filter": {"name": ICU_SESSION_COOKIE}}),
                    None,
                )
                .await?;
            Ok(r["cookies"].as_array().is_some_and(|c| !c.is_empty()).then_some(()))
        })
        .await
        .expect("the intervals.icu session cookie");
        fake.icu().set_session_mode(SessionMode::Forbidden);

        navigate(format!("moz-extension://{EXTENSION_UUID}/extension/js/popup/popup.html")).await;
        let status = |not: &'static str| {
            let eval = &eval;
            async move {
                let probe = format!(
                    "(() => {{ const e = document.getElementById('icu'); \
                       return e && e.dataset.method && e.dataset.method !== '{not}' \
                         ? e.dataset.method + '|' + e.textContent : ''; }})()"
                );
                let start = Instant::now();
                loop {
                    let v = eval(probe.clone()).await;
                    if let Some(s) = v.as_str().filter(|s| !s.is_empty()) {
                        let (m, t) = s.split_once('|').unwrap_or((s, ""));
                        return (m.to_string(), t.to_string());
                    }
                    assert!(start.elapsed() < Duration::from_secs(20), "no Intervals.icu status in the popup");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        };
        let (method, text) = status("").await;
        assert_eq!(method, "none", "the session is refused (403): {text}");

        // Typed with key events into the focused field, then the real button.
        eval("document.getElementById('icu-key').focus(), true".into()).await;
        let mut keys = Vec::new();
        for c in SAMPLE_API_KEY.chars() {
            keys.push(json!({"type": "keyDown", "value": c.to_string()}));
            keys.push(json!({"type": "keyUp", "value": c.to_string()}));
        }
        bidi.call(
            "input.performActions",
            json!({"context": tab, "actions": [{"type": "key", "id": "keyboard", "actions": keys}]}),
            None,
        )
        .await
        .expect("typing the key");
        let typed = eval("document.getElementById('icu-key').value.length".into()).await;
        assert_eq!(typed, json!(SAMPLE_API_KEY.len()), "every character arrived");
        eval("document.getElementById('icu-save').click(), true".into()).await;
        let (method, text) = status("none").await;
        assert_eq!(method, "api_key", "{text}");
        assert!(
            text.starts_with("API key") && text.contains("Alex Rivera") && text.contains(SAMPLE_ICU_ATHLETE_ID),
            "{text}"
        );

        let raw = fake.raw_requests();
        let basic: Vec<_> = raw
            .iter()
            .filter(|r| r.header("authorization").is_some_and(|h| h.starts_with("Basic ")))
            .collect();
        assert!(!basic.is_empty(), "the key was used");
        assert!(basic.iter().all(|r| r.host == ICU_HOST), "Basic auth only to intervals.icu");
        let (_, report) = doctor(&paceline, &profile).await;
        assert!(
            report.contains("Intervals.icu: API key entered in the extension, as Alex Rivera (athlete i184512)"),
            "{report}"
        );
        let basic_token = basic[0].header("authorization").unwrap_or_default()["Basic ".len()..].to_string();
        // Firefox does not pass the bridge's stderr to its own, so the bridge's log is checked
        // in s14 (Chromium) only; here what the bridge reports, and the popup page.
        let page = eval("document.documentElement.outerHTML".into()).await;
        let page = page.as_str().unwrap_or_default().to_string();
        assert!(page.contains("icu-key"), "the popup page was read");
        for (place, text) in [("paceline doctor", &report), ("popup page", &page)] {
            for secret in [SAMPLE_API_KEY, basic_token.as_str()] {
                assert!(!text.contains(secret), "the key leaked into the {place}");
            }
        }
        firefox.close().await.expect("closing firefox");
    })
    .await;
}

// ---- Intervals.icu tools relayed through the extension (issue 9): `paceline mcp --platform
// all` publishes them as `icu_*`; the bridge relays the canonical name and the extension runs
// them against intervals.icu with the browser's session, or the popup's key when the session
// is refused.

/// `paceline mcp` publishing both catalogues (the Intervals.icu tools prefixed `icu_`).
const PLATFORM_ALL: [&str; 2] = ["--platform", "all"];

/// Standard base64 with padding (for the expected Basic header; core's encoder is private).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The `Authorization` header Intervals.icu documents for the sample key.
fn icu_basic_header() -> String {
    format!(
        "Basic {}",
        base64(format!("API_KEY:{SAMPLE_API_KEY}").as_bytes())
    )
}

/// The API requests the fake answered as intervals.icu since the last clear, with headers.
fn icu_api_requests(fake: &FakeTp) -> Vec<paceline_e2e::fake_tp::FakeRequest> {
    fake.raw_requests()
        .into_iter()
        .filter(|r| r.host == ICU_HOST && r.path.starts_with("/api/v1/"))
        .collect()
}

/// Those that could change something (anything but GET, HEAD and OPTIONS).
fn icu_writes(fake: &FakeTp) -> Vec<paceline_e2e::fake_tp::FakeRequest> {
    icu_api_requests(fake)
        .into_iter()
        .filter(|r| !matches!(r.method.as_str(), "GET" | "HEAD" | "OPTIONS"))
        .collect()
}

/// The planned workout the write scenarios create on `date`: the tool's arguments, and the
/// exact body Intervals.icu must receive (the fields given, WORKOUT by default, the day at
/// midnight local; nothing else).
fn icu_planned_workout(date: &str, name: &str) -> (Value, Value) {
    let text = "- 15m 55%\n\n3x\n- 10m 88-93%\n- 5m 55%\n\n- 10m 50%";
    (
        json!({"workout_type": "Ride", "name": name, "start_date": date,
               "description": text, "indoor": true}),
        json!({"category": "WORKOUT", "start_date_local": format!("{date}T00:00:00"),
               "type": "Ride", "name": name, "description": text, "indoor": true}),
    )
}

/// Asserts the fake received exactly one write since the last clear: the POST of `body` that
/// creates an event, and returns it.
fn assert_one_event_posted(fake: &FakeTp, body: &Value) -> paceline_e2e::fake_tp::FakeRequest {
    let writes = icu_writes(fake);
    assert_eq!(
        writes.len(),
        1,
        "exactly one write reached intervals.icu: {:?}",
        writes
            .iter()
            .map(|r| (r.method.as_str(), r.path.as_str()))
            .collect::<Vec<_>>()
    );
    let post = writes.into_iter().next().expect("the write");
    assert_eq!(post.method, "POST");
    assert_eq!(post.path, "/api/v1/athlete/0/events?upsertOnUid=false");
    assert_eq!(post.status, Some(200), "{post:?}");
    let sent: Value = serde_json::from_str(&post.body).expect("a JSON body");
    assert_eq!(&sent, body, "the exact body");
    post
}

/// The ids of the sample athlete's events from `from` to `to` (inclusive), as the emulator
/// holds them.
fn icu_event_ids(fake: &FakeTp, from: &str, to: &str) -> Vec<i64> {
    let mut ids: Vec<i64> = fake.icu().with_state(|st| {
        st.events
            .iter()
            .filter(|(_, e)| {
                e["start_date_local"]
                    .as_str()
                    .and_then(|d| d.get(..10))
                    .is_some_and(|d| d >= from && d <= to)
            })
            .map(|(id, _)| *id)
            .collect()
    });
    ids.sort_unstable();
    ids
}

/// The event ids a `get_events` result lists, sorted.
fn listed_event_ids(structured: &Value) -> Vec<i64> {
    let mut ids: Vec<i64> = structured["events"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter_map(|e| e["id"].as_i64())
        .collect();
    ids.sort_unstable();
    ids
}

/// Scenario 16: Intervals.icu tools relayed through the extension on the browser's own
/// intervals.icu session (`paceline mcp --platform all`). A read lists exactly the emulator's
/// events and no request carries an `Authorization` header; a create asks in the confirmation
/// window, which names Intervals.icu, and once allowed exactly one POST with the exact body
/// reaches intervals.icu; a delete that is declined sends nothing and fails saying so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s16_intervals_tools_on_the_browser_session() {
    scenario("s16_intervals_tools_session", || async {
        let Some(s) = Stack::start_with("s16", true, &[], &PLATFORM_ALL).await else {
            return;
        };
        let b = s.browser();
        icu_login(b).await;
        s.fake.clear_requests();
        s.fake.icu().clear_requests();

        // A read.
        let (from, to) = (days_from_today(0), days_from_today(30));
        let listed = s
            .ok(
                "icu_get_events",
                json!({"start_date": from, "end_date": to}),
            )
            .await;
        let expected = icu_event_ids(&s.fake, &from, &to);
        assert!(
            !expected.is_empty(),
            "the sample athlete has planned events"
        );
        assert_eq!(listed_event_ids(&listed), expected, "{listed}");
        let reads = icu_api_requests(&s.fake);
        assert!(
            reads
                .iter()
                .any(|r| r.path.starts_with("/api/v1/athlete/0/events?") && r.status == Some(200)),
            "{reads:?}"
        );
        // The background checks Intervals.icu once per connection (`GET /api/v1/athlete/0`),
        // which may have left before the login above and reach the log only after it was
        // cleared, without the cookie (seen under load). That check is not this read; every
        // other request must carry the session.
        for r in reads.iter().filter(|r| r.path != "/api/v1/athlete/0") {
            assert_eq!(r.header("authorization"), None, "no Authorization: {r:?}");
            assert!(
                r.header("cookie").is_some_and(
                    |c| c.contains(&format!("{ICU_SESSION_COOKIE}={SAMPLE_ICU_SESSION}"))
                ),
                "the browser's own intervals.icu cookie: {r:?}"
            );
        }
        let icu_log = s.fake.icu().requests();
        assert!(
            !icu_log.is_empty()
                && icu_log
                    .iter()
                    .filter(|r| r.path != "/api/v1/athlete/0")
                    .all(|r| r.auth == AuthMethod::Session),
            "{icu_log:?}"
        );

        // A dry run only reads (core runs it on a context that refuses every request but a
        // GET), so it opens no window and passes read-only mode: unanswered, a window would
        // have denied the call after 45 s. Its result is the exact request; nothing is written.
        s.fake.clear_requests();
        let date = days_from_today(3);
        let (mut args, body) = icu_planned_workout(&date, "3x10 sweet spot");
        args["dry_run"] = json!(true);
        set_popup_switch(s.browser(), "readOnly", true).await;
        let asked = Instant::now();
        let planned = s.call("icu_add_or_update_event", args.clone()).await;
        set_popup_switch(s.browser(), "readOnly", false).await;
        assert!(!planned.is_error, "{}", planned.text);
        assert!(
            asked.elapsed() < Duration::from_secs(30),
            "answered without a window: {:?}",
            asked.elapsed()
        );
        assert!(
            planned.text.starts_with("Dry run: nothing was sent."),
            "{}",
            planned.text
        );
        let planned = planned.structured.unwrap_or(Value::Null);
        assert_eq!(planned["dry_run"], json!(true), "{planned}");
        assert_eq!(planned["request"]["body"], body, "{planned}");
        assert_eq!(icu_writes(&s.fake), Vec::new(), "a dry run writes nothing");

        // The same create, allowed in the window.
        s.fake.clear_requests();
        args["dry_run"] = json!(false);
        let (created, shown) = s
            .confirmed_showing("icu_add_or_update_event", args, true)
            .await;
        assert_eq!(shown.tool, "icu_add_or_update_event");
        assert_eq!(shown.service, "Intervals.icu", "{shown:?}");
        assert!(!created.is_error, "{}", created.text);
        let post = assert_one_event_posted(&s.fake, &body);
        assert_eq!(post.header("authorization"), None);
        let created = created.structured.unwrap_or(Value::Null);
        assert_eq!(created["dry_run"], json!(false), "{created}");
        assert_eq!(
            created["request"]["body"], body,
            "the result shows what was sent"
        );
        let id = created["event"]["id"].as_i64().expect("the new event's id");
        let stored = s.fake.icu().with_state(|st| st.events.get(&id).cloned());
        assert_eq!(
            stored.as_ref().map(|e| e["name"].clone()),
            Some(json!("3x10 sweet spot")),
            "{stored:?}"
        );
        let got = s.ok("icu_get_event_by_id", json!({"event_id": id})).await;
        assert_eq!(
            find_key(&got, "name"),
            Some(json!("3x10 sweet spot")),
            "{got}"
        );

        // A delete, declined in the window: nothing is written.
        s.fake.clear_requests();
        let (out, shown) = s
            .confirmed_showing("icu_delete_event", json!({"event_id": id}), false)
            .await;
        assert_eq!(shown.tool, "icu_delete_event");
        assert_eq!(shown.service, "Intervals.icu");
        assert!(
            shown.target.contains("3x10 sweet spot"),
            "the window names the event as Intervals.icu has it: {shown:?}"
        );
        assert!(out.is_error, "declined must refuse: {}", out.text);
        assert!(
            out.text.contains("did not confirm") && out.text.contains("declined"),
            "{}",
            out.text
        );
        assert_eq!(icu_writes(&s.fake), Vec::new(), "nothing was written");
        assert!(
            s.fake.icu().with_state(|st| st.events.contains_key(&id)),
            "the event is still there"
        );
        s.finish().await;
    })
    .await;
}

/// Scenario 17: the intervals.icu session is refused (401 to cookie requests), so without a
/// key an `icu_*` call fails saying how to connect; with the key typed into the real popup,
/// a read and an allowed create go out with Basic `API_KEY:<key>` (to intervals.icu only),
/// and the key appears in nothing paceline receives: the native port's traffic, the tool
/// results, the bridge's and `paceline mcp`'s logs (stderr, at debug level), the activity log.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s17_intervals_tools_with_the_popup_s_key() {
    scenario("s17_intervals_tools_key", || async {
        let Some(s) =
            Stack::start_with("s17", true, &[("PACELINE_LOG", "debug")], &PLATFORM_ALL).await
        else {
            return;
        };
        let b = s.browser();
        icu_login(b).await;
        s.fake.icu().set_session_mode(SessionMode::Unauthorized);
        let hooked = b
            .eval_in_worker(
                "(() => { const p = self.paceline.state.port; if (!p) return 'no port'; \
                   self.__sentToHost = []; const orig = p.postMessage.bind(p); \
                   p.postMessage = (m) => { self.__sentToHost.push(JSON.stringify(m)); return orig(m); }; \
                   return 'hooked'; })()",
            )
            .await
            .expect("hooking the native port");
        assert_eq!(hooked, json!("hooked"));
        let mut outcomes = Vec::new();

        // No key yet: refused, saying how to connect, and nothing but the session was tried.
        s.fake.clear_requests();
        let range = json!({"start_date": days_from_today(0), "end_date": days_from_today(30)});
        let out = s.call("icu_get_events", range.clone()).await;
        assert!(out.is_error, "{}", out.text);
        assert!(out.text.contains("API key"), "says how to connect: {}", out.text);
        let tried = icu_api_requests(&s.fake);
        assert!(
            !tried.is_empty()
                && tried.iter().all(|r| r.status == Some(401)
                    && r.header("authorization").is_none()),
            "{tried:?}"
        );
        outcomes.push(out);

        // The key, typed into the real popup and saved with its button.
        let (popup_target, popup) = b
            .open_extension_page("extension/js/popup/popup.html")
            .await
            .expect("the popup");
        popup_icu_status(b, &popup, "").await;
        b.cdp()
            .evaluate(&popup, "document.getElementById('icu-key').focus(), true")
            .await
            .expect("focusing the key field");
        b.cdp()
            .call("Input.insertText", json!({"text": SAMPLE_API_KEY}), Some(&popup))
            .await
            .expect("typing the key");
        b.cdp()
            .evaluate(&popup, "document.getElementById('icu-save').click(), true")
            .await
            .expect("saving the key");
        let (method, text) = popup_icu_status(b, &popup, "none").await;
        assert_eq!(method, "api_key", "{text}");
        b.cdp().close_target(&popup_target).await.expect("closing the popup");

        // A read with the key.
        s.fake.clear_requests();
        s.fake.icu().clear_requests();
        let out = s.call("icu_get_events", range.clone()).await;
        assert!(!out.is_error, "{}", out.text);
        let expected = icu_event_ids(&s.fake, &days_from_today(0), &days_from_today(30));
        assert_eq!(
            listed_event_ids(out.structured.as_ref().unwrap_or(&Value::Null)),
            expected
        );
        outcomes.push(out);
        let basic = icu_basic_header();
        let reqs = icu_api_requests(&s.fake);
        let events_read = reqs
            .iter()
            .find(|r| r.path.starts_with("/api/v1/athlete/0/events?"))
            .expect("the events read");
        assert_eq!(events_read.header("authorization"), Some(basic.as_str()));
        assert_eq!(events_read.status, Some(200));
        // Each call tries the session first (refused), then the key.
        let first_refused = reqs
            .iter()
            .position(|r| r.status == Some(401) && r.header("authorization").is_none());
        let first_keyed = reqs
            .iter()
            .position(|r| r.header("authorization") == Some(basic.as_str()));
        assert!(
            matches!((first_refused, first_keyed), (Some(a), Some(k)) if a < k),
            "{reqs:?}"
        );
        for r in &reqs {
            let keyed = r.header("authorization") == Some(basic.as_str());
            let refused_session = r.header("authorization").is_none() && r.status == Some(401);
            assert!(keyed || refused_session, "{r:?}");
        }

        // A create with the key, allowed in the window: one POST, Basic auth, exact body.
        s.fake.clear_requests();
        let (args, body) = icu_planned_workout(&days_from_today(4), "Key path endurance");
        let (out, shown) = s
            .confirmed_showing("icu_add_or_update_event", args, true)
            .await;
        assert_eq!(shown.service, "Intervals.icu");
        assert!(!out.is_error, "{}", out.text);
        let post = assert_one_event_posted(&s.fake, &body);
        assert_eq!(post.header("authorization"), Some(basic.as_str()));
        outcomes.push(out);
        // A TrainingPeaks call in the same session, for good measure on the port.
        outcomes.push(s.call("get_athlete_profile", json!({})).await);

        // Basic auth went to intervals.icu only.
        let elsewhere: Vec<_> = s
            .fake
            .raw_requests()
            .into_iter()
            .filter(|r| r.header("authorization").is_some_and(|h| h.starts_with("Basic ")))
            .filter(|r| r.host != ICU_HOST)
            .map(|r| (r.host, r.path))
            .collect();
        assert_eq!(elsewhere, Vec::new());

        // The key is nowhere paceline can see.
        let sent = b
            .eval_in_worker("JSON.stringify(self.__sentToHost ?? null)")
            .await
            .expect("the port log");
        let sent = sent.as_str().unwrap_or_default().to_string();
        assert!(
            sent.matches("\\\"type\\\":\\\"result\\\"").count() == outcomes.len()
                && sent.contains("Key path endurance"),
            "the port log holds every call's result: {sent}"
        );
        let results: String = outcomes
            .iter()
            .map(|o| format!("{}\n{}\n", o.text, o.structured.clone().unwrap_or(Value::Null)))
            .collect();
        let storage = b
            .eval_in_worker(
                "chrome.storage.local.get(null).then(all => { delete all.icuApiKey; return JSON.stringify(all); })",
            )
            .await
            .expect("the extension's storage");
        let read = |p: std::path::PathBuf| {
            std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        };
        let bridge_log = read(b.log_path().to_path_buf());
        let mcp_log = read(s.profile.root().join("mcp.log"));
        assert!(bridge_log.contains("extension said hello"), "the bridge logged at debug level");
        let places = [
            ("native port (extension → bridge)", sent),
            ("tool results", results),
            ("bridge's stderr and the browser log", bridge_log),
            ("paceline mcp's stderr", mcp_log),
            ("activity log and settings", storage.as_str().unwrap_or_default().to_string()),
        ];
        let secrets = [
            SAMPLE_API_KEY.to_string(),
            basic["Basic ".len()..].to_string(),
        ];
        for (place, text) in &places {
            assert!(!text.is_empty(), "{place} is empty: nothing was checked");
            for secret in &secrets {
                assert!(!text.contains(secret.as_str()), "the key leaked into the {place}");
            }
        }
        s.finish().await;
    })
    .await;
}

/// Scenario 18: scenario 16 in Firefox ESR: `icu_*` tools relayed through the extension on
/// the browser's own intervals.icu session: a read (no `Authorization` header), a create
/// allowed in the confirmation window (exactly one POST with the exact body), a delete
/// declined there (nothing written, a "declined" error).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s18_firefox_intervals_tools() {
    scenario("s18_firefox_intervals_tools", || async {
        let Some((paceline, fake)) = firefox_prerequisites("s18").await else {
            return;
        };
        let profile = Profile::create(&scratch(), "s18", &fake).expect("profile");
        let mcp = McpClient::start(
            &paceline,
            &PLATFORM_ALL,
            profile.env(),
            &profile.root().join("mcp.log"),
        )
        .await
        .expect("paceline mcp --platform all");
        let firefox = firefox_connected(&profile, &paceline, false).await;
        let bidi = firefox.bidi();
        let tree = bidi
            .call("browsingContext.getTree", json!({}), None)
            .await
            .expect("the tree");
        let tab = tree["contexts"][0]["context"]
            .as_str()
            .expect("a tab")
            .to_string();
        bidi.call(
            "browsingContext.navigate",
            json!({"context": tab, "url": "https://intervals.icu/login", "wait": "complete"}),
            None,
        )
        .await
        .expect("intervals.icu/login");
        browser::try_wait_until(
            Duration::from_secs(15),
            "the intervals.icu cookie",
            || async {
                let r = bidi
                    .call(
                        "storage.getCookies",
                        json!({"filter": {"name": ICU_SESSION_COOKIE}}),
                        None,
                    )
                    .await?;
                Ok(r["cookies"]
                    .as_array()
                    .is_some_and(|c| !c.is_empty())
                    .then_some(()))
            },
        )
        .await
        .expect("the intervals.icu session cookie");
        let call = |tool: &'static str, args: Value| {
            let mcp = &mcp;
            async move {
                mcp.call(tool, args)
                    .await
                    .unwrap_or_else(|e| panic!("{tool}: JSON-RPC error {}: {}", e.code, e.message))
            }
        };

        // A read on the session.
        fake.clear_requests();
        let (from, to) = (days_from_today(0), days_from_today(30));
        let out = call(
            "icu_get_events",
            json!({"start_date": from, "end_date": to}),
        )
        .await;
        assert!(!out.is_error, "icu_get_events in Firefox: {}", out.text);
        let expected = icu_event_ids(&fake, &from, &to);
        assert!(!expected.is_empty());
        assert_eq!(
            listed_event_ids(out.structured.as_ref().unwrap_or(&Value::Null)),
            expected
        );
        let reads = icu_api_requests(&fake);
        assert!(reads.iter().any(|r| r.status == Some(200)), "{reads:?}");
        for r in &reads {
            assert_eq!(r.header("authorization"), None, "{r:?}");
            assert!(
                r.header("cookie").is_some_and(
                    |c| c.contains(&format!("{ICU_SESSION_COOKIE}={SAMPLE_ICU_SESSION}"))
                ),
                "{r:?}"
            );
        }

        // A create, allowed.
        fake.clear_requests();
        let (args, body) = icu_planned_workout(&days_from_today(5), "Firefox over-unders");
        let (created, shown) = tokio::join!(
            call("icu_add_or_update_event", args),
            firefox_confirm(&firefox, true)
        );
        assert_eq!(
            shown.expect("the confirmation window"),
            "icu_add_or_update_event"
        );
        assert!(!created.is_error, "{}", created.text);
        let post = assert_one_event_posted(&fake, &body);
        assert_eq!(post.header("authorization"), None);
        let id = created
            .structured
            .as_ref()
            .and_then(|s| s["event"]["id"].as_i64())
            .expect("the new event's id");

        // A delete, declined.
        fake.clear_requests();
        let (out, shown) = tokio::join!(
            call("icu_delete_event", json!({"event_id": id})),
            firefox_confirm(&firefox, false)
        );
        assert_eq!(shown.expect("the confirmation window"), "icu_delete_event");
        assert!(
            out.is_error && out.text.contains("declined"),
            "{}",
            out.text
        );
        assert_eq!(icu_writes(&fake), Vec::new(), "nothing was written");
        assert!(
            fake.icu().with_state(|st| st.events.contains_key(&id)),
            "the event is still there"
        );

        mcp.stop().await;
        firefox.close().await.expect("closing firefox");
    })
    .await;
}

/// Width and height from a PNG's header (signature, then the IHDR chunk).
fn png_size(png: &[u8]) -> (u32, u32) {
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    let be = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
    (be(16), be(20))
}

/// Scenario 19: `render_chart` through the browser. The extension's wasm fetches the week from
/// TrainingPeaks (the fake) and draws the SVG; `paceline mcp` rasterises it on the way out, so
/// the client gets the description and a PNG, never the SVG in `structuredContent`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s19_render_chart_through_the_browser() {
    use base64::Engine as _;
    scenario("s16_render_chart", || async {
        let Some(s) = Stack::start("s16", true).await else {
            return;
        };
        s.fake.clear_requests();
        let cases = [
            (json!({"kind": "week"}), (800, 300)),
            (
                json!({"kind": "workout", "width": 1000, "height": 320, "structure": {"steps": [
                    {"duration_seconds": 600, "intensity_min": 50, "intensity_max": 65},
                    {"type": "repetition", "reps": 3, "steps": [
                        {"duration_seconds": 300, "intensity_min": 105, "intensity_max": 110},
                        {"duration_seconds": 180, "intensity_min": 50, "intensity_max": 55}]}]}}),
                (1000, 320),
            ),
        ];
        for (args, size) in cases {
            let out = s.call("render_chart", args.clone()).await;
            assert!(!out.is_error, "{args}: {}", out.text);
            assert_eq!(out.images.len(), 1, "{args}: one image");
            assert_eq!(out.images[0].0, "image/png");
            let png = base64::engine::general_purpose::STANDARD
                .decode(&out.images[0].1)
                .expect("base64");
            assert!(png.len() < 100 * 1024, "{args}: {} bytes", png.len());
            assert_eq!(png_size(&png), size, "{args}");
            let structured = out.structured.clone().unwrap_or(Value::Null);
            assert!(structured.get("svg").is_none(), "{structured}");
            let description = structured["description"].as_str().unwrap_or_default();
            assert!(!description.is_empty() && out.text.contains(description));
            let svg = out
                .meta
                .as_ref()
                .and_then(|m| m["dev.paceline/chart"]["svg"].as_str());
            assert!(
                svg.is_some_and(|s| s.starts_with("<svg")),
                "the SVG is in _meta"
            );
        }
        // The week's workouts were read by the extension, from the fake.
        assert!(
            s.api_log()
                .iter()
                .any(|(m, p, st)| *m == Method::Get && p.contains("/workouts/") && *st == 200),
            "{:?}",
            s.api_log()
        );
        s.finish().await;
    })
    .await;
}
