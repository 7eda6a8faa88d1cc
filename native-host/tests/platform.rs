//! `--platform trainingpeaks|intervals|all` through the built binary: what `paceline tools`
//! and `tools/list` publish, and that `paceline call` and `paceline mcp --sandbox` run the
//! Intervals.icu tools against the Intervals.icu emulator and the TrainingPeaks ones against the
//! TrainingPeaks sandbox.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the failure report

use std::collections::BTreeSet;
use std::process::{Command, Output};

use chrono::Duration;
use paceline_core::tools::{CATALOG, Platform, intervals};
use rmcp::ServiceExt;
use rmcp::model::CallToolRequestParams;
use rmcp::transport::{ConfigureCommandExt, TokioChildProcess};
use serde_json::{Value, json};

/// The seed server's twenty tool names (`mvilanova/intervals-mcp-server`), in its order: the
/// `intervals` catalogue must start with exactly these, unprefixed.
const SEED: [&str; 20] = [
    "get_activities",
    "get_activity_details",
    "get_activity_intervals",
    "get_activity_streams",
    "get_activity_messages",
    "add_activity_message",
    "get_events",
    "get_event_by_id",
    "add_or_update_event",
    "add_or_update_note",
    "delete_event",
    "delete_events_by_date_range",
    "get_wellness_data",
    "get_athlete_power_curves",
    "get_gear_list",
    "get_custom_items",
    "get_custom_item_by_id",
    "create_custom_item",
    "update_custom_item",
    "delete_custom_item",
];

fn paceline(args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_paceline"))
        .args(args)
        .env_remove("PACELINE_PLATFORM")
        // Whole catalogues here; the default toolset has its own test below.
        .env("PACELINE_TOOLSETS", "all")
        .envs(env.iter().copied())
        .env("PACELINE_LOG", "off")
        .env(
            "PACELINE_RUNTIME_DIR",
            std::env::temp_dir().join("paceline-platform-tests-no-bridges"),
        )
        .output()
        .expect("run paceline")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The names `paceline tools --json` publishes with these arguments and environment.
fn listed(args: &[&str], env: &[(&str, &str)]) -> Vec<String> {
    let mut all = vec!["tools", "--json"];
    all.extend_from_slice(args);
    let o = paceline(&all, env);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    v.as_array()
        .expect("an array")
        .iter()
        .map(|t| t["name"].as_str().expect("a name").to_string())
        .collect()
}

/// The default toolset per platform: the seed server's twenty tools under `intervals` (a drop-in
/// for its users), the default TrainingPeaks set under `trainingpeaks` and `all`.
#[test]
fn the_default_toolset_per_platform() {
    let default = [("PACELINE_TOOLSETS", "default")];
    assert_eq!(listed(&["--platform", "intervals"], &default), SEED);
    let tp = listed(&[], &default);
    assert_eq!(listed(&["--platform", "all"], &default), tp);
    assert!(tp.len() <= paceline_core::tools::toolsets::DEFAULT_MAX);
    assert_eq!(
        listed(&["--platform", "all", "--toolsets", "intervals"], &default).len(),
        intervals::CATALOG.len()
    );
}

#[test]
fn each_platform_lists_its_catalogue_under_its_names() {
    let tp: Vec<String> = CATALOG.iter().map(|t| t.name().to_string()).collect();
    assert_eq!(
        listed(&[], &[]),
        tp,
        "the default is TrainingPeaks, unchanged"
    );
    assert_eq!(listed(&["--platform", "trainingpeaks"], &[]), tp);

    let icu = listed(&["--platform", "intervals"], &[]);
    assert_eq!(
        &icu[..SEED.len()],
        &SEED[..],
        "the seed's names, in its order"
    );
    assert_eq!(icu.len(), intervals::CATALOG.len(), "{icu:?}");
    assert!(icu.iter().all(|n| !n.starts_with("icu_")), "{icu:?}");

    let all = listed(&["--platform", "all"], &[]);
    // Then the copies between the platforms, under `all` only.
    let between = ["copy_workout_to_intervals", "copy_workout_to_trainingpeaks"];
    assert_eq!(all.len(), tp.len() + icu.len() + between.len());
    assert_eq!(&all[..tp.len()], &tp[..]);
    let prefixed: Vec<String> = icu.iter().map(|n| format!("icu_{n}")).collect();
    assert_eq!(&all[tp.len()..tp.len() + icu.len()], &prefixed[..]);
    assert_eq!(&all[tp.len() + icu.len()..], &between[..]);
    let unique: BTreeSet<&String> = all.iter().collect();
    assert_eq!(
        unique.len(),
        all.len(),
        "duplicate names under --platform all"
    );

    // The environment variable, and the flag over it.
    assert_eq!(listed(&[], &[("PACELINE_PLATFORM", "intervals")]), icu);
    assert_eq!(
        listed(
            &["--platform", "all"],
            &[("PACELINE_PLATFORM", "intervals")]
        ),
        all
    );

    // The one-line listing uses the same names.
    let o = paceline(&["tools", "--platform", "all"], &[]);
    let lines: Vec<String> = stdout(&o)
        .lines()
        .map(|l| l.split(" — ").next().unwrap_or_default().to_string())
        .collect();
    assert_eq!(lines, all);

    let o = paceline(&["tools", "--platform", "strava"], &[]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("trainingpeaks, intervals or all"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn call_copies_between_the_platforms_in_the_sandbox() {
    // The sandbox's two emulators show the same plan: a dry-run copy of the coming two weeks
    // reaches both (one process, both clients) and finds every workout already there.
    let today = paceline_core::clock::Clock::today(&paceline_host::clock::SystemClock);
    let args = json!({
        "start_date": today.to_string(),
        "end_date": (today + Duration::days(13)).to_string(),
        "dry_run": true,
    })
    .to_string();
    for tool in ["copy_workout_to_intervals", "copy_workout_to_trainingpeaks"] {
        let o = paceline(
            &[
                "call",
                tool,
                "--sandbox",
                "--platform",
                "all",
                "--json",
                "--args",
                &args,
            ],
            &[],
        );
        assert!(o.status.success(), "{tool}: {}", stderr(&o));
        let v: Value = serde_json::from_str(&stdout(&o)).expect("JSON");
        let n = v["workouts"].as_array().expect("workouts").len();
        assert!(n > 0, "{tool}: {v}");
        assert_eq!(v["already_copied"], n, "{tool}: {v}");
        // Not published under the other platforms.
        let o = paceline(&["call", tool, "--sandbox", "--args", &args], &[]);
        assert_eq!(o.status.code(), Some(2), "{tool}");
    }
}

#[test]
fn a_copy_without_an_intervals_connection_says_how_to_connect_before_sending_anything() {
    // `--direct --platform all` with a TrainingPeaks cookie but no Intervals.icu key: the copy
    // uses both services, so it is refused before its first (TrainingPeaks) request.
    let o = paceline(
        &[
            "call",
            "copy_workout_to_intervals",
            "--direct",
            "--platform",
            "all",
            "--args",
            r#"{"workout_id": 5}"#,
        ],
        &[
            ("TP_AUTH_COOKIE", "not-a-real-cookie"),
            ("API_KEY", ""),
            ("INTERVALS_API_KEY", ""),
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    // The backend's own help (the tool itself, run without the client, would say less).
    assert!(
        stderr(&o).contains("not configured for --direct"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn call_runs_an_intervals_tool_in_the_sandbox() {
    let today = paceline_core::clock::Clock::today(&paceline_host::clock::SystemClock);
    let args = json!({
        "start_date": (today - Duration::days(30)).to_string(),
        "end_date": today.to_string(),
        "limit": 5,
    })
    .to_string();
    let o = paceline(
        &[
            "call",
            "get_activities",
            "--sandbox",
            "--platform",
            "intervals",
            "--json",
            "--args",
            &args,
        ],
        &[],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    let activities = v["activities"].as_array().expect("activities");
    assert!(!activities.is_empty(), "{v}");
    assert!(activities.len() <= 5, "{v}");
    // Intervals.icu activity ids are `i…` strings.
    let id = activities[0]["id"].as_str().unwrap_or_default();
    assert!(id.starts_with('i'), "{v}");

    // The same name under TrainingPeaks is unknown, and says where it is.
    let o = paceline(&["call", "get_activities", "--sandbox"], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--platform intervals"),
        "{}",
        stderr(&o)
    );
}

#[tokio::test]
async fn mcp_all_runs_both_get_events_against_their_platforms() {
    let cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_paceline")).configure(|c| {
        c.args(["mcp", "--sandbox", "--platform", "all", "--toolsets", "all"])
            .env_remove("PACELINE_PLATFORM")
            .env("PACELINE_LOG", "off");
    });
    let client = ().serve(TokioChildProcess::new(cmd).expect("spawn")).await.expect("initialize");
    let tools = client.list_all_tools().await.expect("tools/list");
    let names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
    let want: Vec<String> = Platform::All
        .tools()
        .iter()
        .map(|t| t.name().to_string())
        .collect();
    assert_eq!(names, want);
    let instructions = client
        .peer_info()
        .and_then(|i| i.instructions.clone())
        .unwrap_or_default();
    assert!(instructions.contains("icu_"), "{instructions}");

    let today = paceline_core::clock::Clock::today(&paceline_host::clock::SystemClock);
    let range = json!({
        "start_date": (today - Duration::days(20)).to_string(),
        "end_date": (today + Duration::days(20)).to_string(),
    });
    let call = |name: &'static str| {
        let mut p = CallToolRequestParams::new(name);
        if let Value::Object(m) = range.clone() {
            p = p.with_arguments(m);
        }
        client.call_tool(p)
    };
    let icu = call("icu_get_events").await.expect("icu_get_events");
    assert_ne!(icu.is_error, Some(true), "{icu:?}");
    let icu = icu.structured_content.expect("structured");
    let events = icu["events"].as_array().expect("events");
    assert!(!events.is_empty(), "{icu}");
    // Intervals.icu's shape: categories such as WORKOUT and NOTE.
    assert!(events.iter().all(|e| e["category"].is_string()), "{icu}");

    let tp = call("get_events").await.expect("get_events");
    assert_ne!(tp.is_error, Some(true), "{tp:?}");
    let tp = tp.structured_content.expect("structured");
    // TrainingPeaks' shape: counts of listed and hidden events, no categories.
    assert!(tp["count"].is_number(), "{tp}");
    assert!(tp["hidden_count"].is_number(), "{tp}");
    assert_ne!(tp, icu);

    // The unprefixed Intervals.icu-only name is not published under `all`.
    let err = client
        .call_tool(CallToolRequestParams::new("get_activities"))
        .await
        .expect_err("unknown under all");
    assert!(err.to_string().contains("--platform intervals"), "{err}");
    client.cancel().await.expect("close");
}
