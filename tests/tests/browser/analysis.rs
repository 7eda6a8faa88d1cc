//! Scenarios 22 (Chromium) and 25 (Firefox ESR), issue 10: `get_activity_analysis` relayed through `paceline mcp` → bridge →
//! the extension's wasm → the HTTPS fake, for a completed ride whose device file is the FIT the
//! sandbox generates (`/details` lists it, `rawfiledata` serves it gzipped). The extension must
//! fetch both with the browser's session, decode the file and compute the analysis in wasm; the
//! figures are then checked against ones derived here from the same file, independently of the
//! tool's code (plain sums over the 1 Hz grid), and against the native paths (`paceline call
//! --sandbox`, and `paceline mcp --direct` on the same fake), which must agree in every field.

use std::path::Path;

use paceline_core::http::{HttpRequest, Method};
use paceline_core::sandbox::{AUTH_COOKIE, SAMPLE_COOKIE};
use paceline_e2e::browser::Profile;
use paceline_e2e::mcp_client::McpClient;
use paceline_e2e::{FakeRequest, FakeTp};
use serde_json::{Value, json};

use super::{Stack, assert_same_json, scenario, scratch};

/// The newest completed ride with a power average and a device file's prerequisites (heart
/// rate, over an hour), from the fake's own state: the sandbox generates power only for rides,
/// and an hour gives mean-max points up to 60 min.
fn latest_ride_with_power(fake: &FakeTp) -> i64 {
    let today = fake.sandbox().today().format("%Y-%m-%d").to_string();
    fake.sandbox()
        .with_state(|st| {
            st.collection("workouts")
                .iter()
                .filter(|(_, w)| {
                    w["completed"] == json!(true)
                        && w["workoutTypeValueId"] == json!(2)
                        && w["powerAverage"].is_number()
                        && w["heartRateAverage"].is_number()
                        && w["totalTime"].as_f64().is_some_and(|h| h >= 1.0)
                        && w["workoutDay"]
                            .as_str()
                            .is_some_and(|d| d.get(..10).is_some_and(|d| d <= today.as_str()))
                })
                .max_by_key(|(_, w)| w["workoutDay"].as_str().unwrap_or_default().to_string())
                .map(|(id, _)| *id)
        })
        .expect("the sample athlete has a completed ride with power in the past")
}

/// The one GET the fake answered whose path ends with (or, for the file, contains) `path`.
fn one_get<'a>(raw: &'a [FakeRequest], path: &str) -> &'a FakeRequest {
    let hits: Vec<&FakeRequest> = raw
        .iter()
        .filter(|r| r.method == "GET" && r.path.contains(path))
        .collect();
    assert_eq!(hits.len(), 1, "one GET …{path}: {:?}", paths(raw));
    hits[0]
}

fn paths(raw: &[FakeRequest]) -> Vec<String> {
    raw.iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect()
}

/// Asserts `got` (a tool figure rounded to `places` decimals) is `want` to that rounding.
fn assert_rounded(what: &str, got: &Value, want: f64, places: i32) {
    let got = got
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: not a number: {got}"));
    let half = 0.5 * 10f64.powi(-places) + 1e-9;
    assert!(
        (got - want).abs() <= half,
        "{what}: the tool says {got}, the file gives {want}"
    );
}

/// Analyses the newest ride with power through `mcp` (a `paceline mcp` whose bridge runs in a
/// browser logged in to `fake`) and checks the requests, the figures and the native paths.
async fn analyse_newest_ride(
    name: &str,
    fake: &FakeTp,
    paceline: &Path,
    profile: &Profile,
    mcp: &McpClient,
) {
    let wid = latest_ride_with_power(fake);
    fake.clear_requests();
    let args = json!({"workout_id": wid});
    let out = mcp
        .call("get_activity_analysis", args.clone())
        .await
        .unwrap_or_else(|e| panic!("{name}: JSON-RPC error {}: {}", e.code, e.message));
    assert!(!out.is_error, "get_activity_analysis failed: {}", out.text);
    let via_browser = out.structured.clone().unwrap_or(Value::Null);
    assert_eq!(via_browser["workout_id"], json!(wid), "{via_browser}");
    assert_eq!(via_browser["source"], json!("device_file"), "{via_browser}");

    // The extension fetched the listing and the file, with the browser's session: the
    // cookie the browser attaches and the Bearer token the fake issued for it.
    let raw = fake.raw_requests();
    let details = one_get(&raw, &format!("/workouts/{wid}/details"));
    let file = one_get(&raw, &format!("/workouts/{wid}/rawfiledata/"));
    let issued: Vec<String> = fake
        .sandbox()
        .with_state(|st| st.tokens.keys().cloned().collect());
    for r in [details, file] {
        assert_eq!(r.status, Some(200), "{} {}", r.method, r.path);
        assert_eq!(
            r.header("cookie"),
            Some(format!("{AUTH_COOKIE}={SAMPLE_COOKIE}").as_str()),
            "{}: the browser's own session cookie",
            r.path
        );
        let bearer = r
            .header("authorization")
            .and_then(|a| a.strip_prefix("Bearer "))
            .unwrap_or_else(|| panic!("{}: no Bearer token", r.path));
        assert!(
            issued.iter().any(|t| t == bearer),
            "{}: a token the fake issued for the session",
            r.path
        );
    }
    let file_name = via_browser["file_name"].as_str().unwrap_or_default();
    assert!(file_name.ends_with(".fit.gz"), "{via_browser}");

    // The same file, fetched from the fake in-process with the extension's own token, and
    // reduced to figures here by the definitions (not by the tool's code).
    let resp = fake.sandbox().handle(
        &HttpRequest::new(
            Method::Get,
            format!("https://tpapi.trainingpeaks.com{}", file.path),
        )
        .header(
            "authorization",
            file.header("authorization").unwrap_or_default(),
        ),
    );
    assert_eq!(resp.status, 200, "{}", resp.text());
    assert!(resp.body.starts_with(&[0x1F, 0x8B]), "served gzipped");
    let activity = paceline_core::fit::decode(&resp.body).expect("the fake's FIT decodes");
    let n = activity.samples.len();
    let power: Vec<Option<f64>> = activity.samples.iter().map(|x| x.power_w).collect();
    let recorded: Vec<f64> = power.iter().flatten().copied().collect();
    assert!(
        n >= 3600 && recorded.len() > n / 2,
        "an hour or more with power: {n} s, {} with power",
        recorded.len()
    );
    // Gaps (pauses, a power-meter dropout) count as zero inside windows.
    let zero_filled: Vec<f64> = power.iter().map(|v| v.unwrap_or(0.0)).collect();

    let m = &via_browser["metrics"];
    assert_eq!(m["duration_s"].as_f64(), Some(n as f64), "{m}");
    let recorded_s = activity.samples.iter().filter(|x| x.is_recorded()).count();
    assert_eq!(m["recorded_s"].as_f64(), Some(recorded_s as f64), "{m}");
    let avg = recorded.iter().sum::<f64>() / recorded.len() as f64;
    assert_rounded("avg_power_w", &m["avg_power_w"], avg, 1);
    let max = recorded.iter().copied().fold(0.0, f64::max);
    assert_rounded("max_power_w", &m["max_power_w"], max, 1);
    // NP: 30 s rolling means from the first full window, fourth-power mean, fourth root.
    let rolling: Vec<f64> = zero_filled
        .windows(30)
        .map(|w| w.iter().sum::<f64>() / 30.0)
        .collect();
    let np = (rolling.iter().map(|r| r.powi(4)).sum::<f64>() / rolling.len() as f64).powf(0.25);
    assert_rounded("np_w", &m["np_w"], np, 1);

    // Mean-max: every standard duration that fits, each the best window of that length,
    // and the window the tool points at really has that mean.
    let points = m["mean_max_power_w"].as_array().expect("mean_max_power_w");
    let durations: Vec<u64> = points
        .iter()
        .filter_map(|p| p["duration_s"].as_u64())
        .collect();
    let expected: Vec<u64> = [
        1, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 5400, 7200,
    ]
    .into_iter()
    .filter(|&d| d as usize <= n)
    .collect();
    assert_eq!(durations, expected, "{m}");
    let mut prefix = vec![0.0];
    for v in &zero_filled {
        prefix.push(prefix.last().copied().unwrap_or(0.0) + v);
    }
    let mean_at = |start: usize, d: usize| (prefix[start + d] - prefix[start]) / d as f64;
    for p in points {
        let d = p["duration_s"].as_u64().unwrap_or_default() as usize;
        let best = (0..=n - d).map(|i| mean_at(i, d)).fold(0.0, f64::max);
        assert_rounded(&format!("mean-max {d} s"), &p["value"], best, 0);
        let start = p["start_s"].as_u64().expect("start_s") as usize;
        assert!(start + d <= n, "{p}");
        assert_rounded(
            &format!("window of the {d} s point"),
            &p["value"],
            mean_at(start, d),
            0,
        );
    }

    eprintln!(
        "{name}: workout {wid}, {n} s on the grid, avg {avg:.1} W, NP {np:.1} W, {} mean-max points; the tool: {}",
        points.len(),
        out.text
            .lines()
            .find(|l| l.starts_with("Power:"))
            .unwrap_or_default()
    );

    // The native sandbox (`paceline call --sandbox`, no fake, no browser) seeds the same
    // athlete for the same day, so it generates the same file and must compute the same.
    let native = tokio::process::Command::new(paceline)
        .args([
            "call",
            "get_activity_analysis",
            "--sandbox",
            "--json",
            "--args",
        ])
        .arg(args.to_string())
        .envs(profile.env())
        .output()
        .await
        .expect("paceline call");
    assert!(
        native.status.success(),
        "paceline call --sandbox: {}",
        String::from_utf8_lossy(&native.stderr)
    );
    let native: Value = serde_json::from_slice(&native.stdout).expect("--json prints JSON");
    assert_same_json(&native, &via_browser);

    // The native path on the same fake computes the same analysis, field for field.
    let direct = McpClient::start(
        paceline,
        &["--direct"],
        fake.direct_env(SAMPLE_COOKIE, &profile.ca_file()),
        &profile.root().join("direct.log"),
    )
    .await
    .expect("paceline mcp --direct");
    let via_direct = direct
        .call("get_activity_analysis", args)
        .await
        .expect("the direct call");
    assert!(!via_direct.is_error, "--direct: {}", via_direct.text);
    assert_same_json(
        via_direct.structured.as_ref().unwrap_or(&Value::Null),
        &via_browser,
    );
    direct.stop().await;
}

/// Scenario 22: the analysis of a sandbox FIT file, fetched and computed in Chromium.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s22_activity_analysis_of_a_sandbox_fit_through_the_browser() {
    scenario("s22_activity_analysis", || async {
        let Some(s) = Stack::start("s22", true).await else {
            return;
        };
        analyse_newest_ride("s22", &s.fake, &s.paceline, &s.profile, &s.mcp).await;
        s.finish().await;
    })
    .await;
}

/// Scenario 25: the same in Firefox ESR (its event page, not a service worker, runs the wasm).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s25_firefox_activity_analysis_of_a_sandbox_fit() {
    scenario("s25_firefox_activity_analysis", || async {
        let Some((paceline, fake)) = super::firefox_prerequisites("s25").await else {
            return;
        };
        let profile = Profile::create(&scratch(), "s25", &fake).expect("profile");
        let mcp = McpClient::start(
            &paceline,
            &[],
            profile.env(),
            &profile.root().join("mcp.log"),
        )
        .await
        .expect("paceline mcp");
        let firefox = super::firefox_connected(&profile, &paceline, false).await;
        analyse_newest_ride("s25", &fake, &paceline, &profile, &mcp).await;
        mcp.stop().await;
        firefox.close().await.expect("closing firefox");
    })
    .await;
}
