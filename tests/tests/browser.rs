//! The real stack, headless: an MCP client runs `paceline mcp`; the relay socket carries each
//! call to the `paceline` bridge that Chromium started for the extension; the extension's wasm
//! calls the HTTPS fake of TrainingPeaks with the browser's own session cookie. Only the far
//! end is fake. Scenarios follow issue 4 (1–8 here on Chromium; Firefox ESR in
//! `browser_firefox.rs`).
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

use std::path::PathBuf;
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use paceline_core::http::Method;
use paceline_core::sandbox::Recorded;
use paceline_e2e::FakeTp;
use paceline_e2e::browser::chromium::Chromium;
use paceline_e2e::browser::{self, Profile};
use paceline_e2e::mcp_client::{McpClient, ToolOutcome};
use serde_json::{Value, json};

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

fn scratch() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser-e2e")
}

impl Stack {
    /// Starts the fake, a profile, Chromium (logged in to the fake if `login`), waits for its
    /// bridge, and starts `paceline mcp` (default backend: the bridge).
    async fn start(name: &str, login: bool) -> Option<Stack> {
        let paceline = prerequisites(name)?;
        let fake = FakeTp::start();
        let profile = Profile::create(&scratch(), name, &fake).expect("profile");
        let mut stack = Stack {
            mcp: McpClient::start(
                &paceline,
                &[],
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

    /// Calls a destructive tool and answers the extension's confirmation window; returns the
    /// outcome and the tool name the window showed.
    async fn confirmed(&self, tool: &str, args: Value, allow: bool) -> (ToolOutcome, String) {
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
    (chrono::Local::now().date_naive() + chrono::Duration::days(n))
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

        // The same call through `paceline mcp --direct` against the same fake.
        let direct = McpClient::start(
            &s.paceline,
            &["--direct"],
            s.fake.direct_env("sandbox-session", &s.profile.ca_file()),
            &s.profile.root().join("direct.log"),
        )
        .await
        .expect("paceline mcp --direct");
        let via_direct = direct
            .call("get_workouts", range)
            .await
            .expect("direct call");
        assert_same_json(
            via_direct.structured.as_ref().unwrap_or(&Value::Null),
            &via_browser,
        );
        direct.stop().await;
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
        let created = s
            .ok(
                "create_workout",
                json!({"date": date, "sport": "bike", "title": "3x15 threshold", "structure": structure}),
            )
            .await;
        let id = created["workout_id"].as_i64().expect("workout_id");
        let post = s
            .fake
            .requests()
            .into_iter()
            .find(|r| r.method == Method::Post && r.path.ends_with("/workouts"))
            .expect("a POST of the workout");
        let body = post.body.expect("a JSON body");
        assert!(body["structure"].is_string(), "structure is double-serialised: {body}");
        assert_eq!(body["totalTimePlanned"].as_f64(), Some(4800.0 / 3600.0), "hours, not seconds: {body}");
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
        let put = s
            .fake
            .requests()
            .into_iter()
            .find(|r| r.method == Method::Put)
            .expect("a PUT");
        let body = put.body.expect("a JSON body");
        assert_eq!(body["title"], "Threshold, renamed");
        assert_eq!(body["workoutId"], json!(id), "a full-object PUT: {body}");
        assert!(body["structure"].is_string(), "structure kept, double-serialised: {body}");

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

/// Waits for the extension's confirmation window and clicks Allow or Deny.
async fn answer_confirmation(b: &Chromium, allow: bool) -> browser::Result<String> {
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
                "(() => {{ const t = document.getElementById('tool').textContent; \
                 document.getElementById('{button}').click(); return t; }})()"
            ),
        )
        .await?;
    Ok(tool.as_str().unwrap_or_default().to_string())
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
