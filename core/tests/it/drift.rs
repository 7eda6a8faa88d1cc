//! The drift test: every read tool against sandbox responses perturbed the way a live,
//! undocumented API drifts (issue 8 §1). Each tool runs under every [`Drift`] kind and many
//! seeds; it must succeed, and under the lossless kinds (numeric strings, integral floats,
//! unknown fields) its structured output must mean what the clean run's does. The survival
//! rate is printed (`cargo test -p paceline-core --features sandbox drift -- --nocapture`) and
//! must stay at or above [`TARGET`].

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;
use futures_executor::block_on;
use paceline_core::clock::ManualClock;
use paceline_core::sandbox::drift::{Drift, DriftTransport, UNKNOWN_KEY_PREFIX};
use paceline_core::sandbox::{Sandbox, SandboxTransport};
use paceline_core::tools::{self, ToolContext, ToolOutput};
use paceline_core::trainingpeaks::TpClient;
use serde_json::{Value, json};

/// Share of drifted read calls that must succeed (the reference server manages 93 %).
const TARGET: f64 = 0.98;
/// Seeds per kind.
const SEEDS: u64 = 8;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
}

fn context(drift: Option<(Drift, u64)>) -> (ToolContext, Arc<Sandbox>) {
    let clock = Arc::new(ManualClock::at_date(today()));
    let sandbox = Arc::new(Sandbox::new(clock.clone()));
    let browser: Arc<dyn paceline_core::http::Transport> =
        Arc::new(SandboxTransport::new(sandbox.clone()));
    let transport: Arc<dyn paceline_core::http::Transport> = match drift {
        Some((kind, seed)) => Arc::new(DriftTransport::new(browser, kind, seed)),
        None => browser,
    };
    let client = TpClient::new(transport, clock).with_rate_limit(None);
    (ToolContext::new(Arc::new(client)), sandbox)
}

/// Ids of the sample athlete's things, found in the clean sandbox.
struct Ids {
    planned: i64,
    completed: i64,
    note: i64,
    library: i64,
    item: i64,
    strength: String,
}

fn first_id(sandbox: &Sandbox, collection: &str, pick: impl Fn(&Value) -> bool) -> i64 {
    sandbox.with_state(|s| {
        s.collection(collection)
            .iter()
            .find(|(_, v)| pick(v))
            .map(|(id, _)| *id)
            .unwrap_or_else(|| panic!("the sandbox has no {collection} to test with"))
    })
}

fn ids(sandbox: &Sandbox) -> Ids {
    let strength = sandbox.with_state(|s| {
        s.collection("strength_workouts")
            .values()
            .find_map(|v| v["id"].as_str().map(str::to_string))
            .expect("a strength workout")
    });
    Ids {
        planned: first_id(sandbox, "workouts", |w| {
            w["structure"].is_object() && w["totalTime"].is_null()
        }),
        completed: first_id(sandbox, "workouts", |w| {
            w["totalTime"].as_f64().is_some_and(|t| t > 0.0) && w["workoutTypeValueId"] == 2
        }),
        note: first_id(sandbox, "notes", |_| true),
        library: first_id(sandbox, "libraries", |_| true),
        item: first_id(sandbox, "library_items", |_| true),
        strength,
    }
}

/// Every read tool with arguments that reach real data.
fn read_calls(ids: &Ids) -> Vec<(&'static str, Value)> {
    let range = json!({"start_date": "2026-08-01", "end_date": "2026-11-30"});
    vec![
        ("get_athlete_profile", json!({})),
        ("get_workout_types", json!({})),
        ("get_workouts", range.clone()),
        ("get_workout", json!({"workout_id": ids.planned})),
        ("get_workout", json!({"workout_id": ids.completed})),
        ("get_weekly_summary", json!({"week_of": "2026-11-16"})),
        ("get_workout_comments", json!({"workout_id": ids.completed})),
        (
            "get_atp",
            json!({"start_date": "2026-11-01", "end_date": "2027-03-01"}),
        ),
        ("get_fitness_metrics", range.clone()),
        ("get_workout_prs", json!({"workout_id": ids.completed})),
        (
            "get_peaks",
            json!({"sport": "bike", "metric": "power20min"}),
        ),
        ("get_equipment", json!({})),
        ("get_athlete_settings", json!({})),
        ("get_weather_settings", json!({})),
        ("get_pool_length_settings", json!({})),
        ("get_focus_event", json!({})),
        ("get_next_planned_event", json!({})),
        (
            "get_events",
            json!({"start_date": "2026-11-01", "end_date": "2027-06-30"}),
        ),
        ("get_note", json!({"note_id": ids.note})),
        ("get_note_comments", json!({"note_id": ids.note})),
        (
            "get_availability",
            json!({"start_date": "2026-10-01", "end_date": "2027-03-01"}),
        ),
        ("get_libraries", json!({})),
        ("get_library_items", json!({"library_id": ids.library})),
        (
            "get_library_item",
            json!({"library_id": ids.library, "item_id": ids.item}),
        ),
        (
            "get_strength_workout_summary",
            json!({"workout_id": ids.strength}),
        ),
        ("get_nutrition", range.clone()),
        ("get_metrics", range),
        ("list_athletes", json!({})),
    ]
}

/// The meaning of a structured output: numbers as f64 (so `"5"`, `5` and `5.0` agree), keys the
/// drift invented dropped.
fn meaning(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| !k.starts_with(UNKNOWN_KEY_PREFIX))
                .map(|(k, v)| (k.clone(), meaning(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(meaning).collect()),
        Value::Number(n) => json!(n.as_f64()),
        Value::String(s) => match s.trim().parse::<f64>() {
            Ok(f) if f.is_finite() && !s.trim().is_empty() => json!(f),
            _ => v.clone(),
        },
        _ => v.clone(),
    }
}

fn run(ctx: &ToolContext, name: &str, args: &Value) -> Result<ToolOutput, String> {
    block_on(tools::call(ctx, name, args.clone())).map_err(|e| e.to_string())
}

#[test]
// The survival report is the point of this test: it is read by people and by the note.
#[allow(clippy::print_stderr)]
fn read_tools_survive_drift() {
    let (clean_ctx, clean_sandbox) = context(None);
    let ids = ids(&clean_sandbox);
    let calls = read_calls(&ids);
    let clean: Vec<ToolOutput> = calls
        .iter()
        .map(|(name, args)| {
            run(&clean_ctx, name, args).unwrap_or_else(|e| panic!("clean {name}({args}): {e}"))
        })
        .collect();

    // The catalogue's every read tool that talks to TrainingPeaks is covered.
    for tool in tools::CATALOG {
        let a = tool.annotations();
        if a.read_only && tool.name() != "validate_workout_structure" {
            assert!(
                calls.iter().any(|(n, _)| *n == tool.name()),
                "the drift test does not cover {}",
                tool.name()
            );
        }
    }

    let mut total = 0usize;
    let mut survived = 0usize;
    let mut by_tool: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut by_kind: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut failures: Vec<String> = Vec::new();
    for kind in Drift::ALL {
        for seed in 0..SEEDS {
            let (ctx, _) = context(Some((kind, seed)));
            for ((name, args), clean) in calls.iter().zip(&clean) {
                total += 1;
                let outcome = match run(&ctx, name, args) {
                    Err(e) => Err(e),
                    Ok(out) if kind.is_lossless() => {
                        if meaning(&out.structured) == meaning(&clean.structured) {
                            Ok(())
                        } else {
                            Err(format!(
                                "output changed:\n  clean: {}\n  drift: {}",
                                clean.structured, out.structured
                            ))
                        }
                    }
                    Ok(_) => Ok(()),
                };
                let t = by_tool.entry(name).or_default();
                let k = by_kind.entry(kind.name()).or_default();
                t.1 += 1;
                k.1 += 1;
                match outcome {
                    Ok(()) => {
                        survived += 1;
                        t.0 += 1;
                        k.0 += 1;
                    }
                    Err(e) => {
                        let mut e = e;
                        e.truncate(600);
                        failures.push(format!("{name} {} seed {seed}: {e}", kind.name()));
                    }
                }
            }
        }
    }
    let rate = survived as f64 / total as f64;
    eprintln!(
        "drift survival: {survived}/{total} = {:.1} % (target {:.0} %)",
        rate * 100.0,
        TARGET * 100.0
    );
    for (kind, (ok, n)) in &by_kind {
        eprintln!("  {kind:<16} {ok}/{n}");
    }
    for (tool, (ok, n)) in &by_tool {
        if ok < n {
            eprintln!("  {tool:<30} {ok}/{n}");
        }
    }
    for f in failures.iter().take(40) {
        eprintln!("FAIL {f}");
    }
    assert!(
        rate >= TARGET,
        "drift survival {:.1} % is below the {:.0} % target ({} failures; first: {:?})",
        rate * 100.0,
        TARGET * 100.0,
        failures.len(),
        failures.first()
    );
}
