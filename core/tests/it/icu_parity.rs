//! The Intervals.icu counterparts of the TrainingPeaks analysis and planning tools (issue 10):
//! `get_power_curve`, `get_training_distribution`, `skip_workout`, `set_workout_advice`,
//! `create_workout_by_intensity`, `scale_workout_intensity`, through the production path
//! (`Tool::call` with an `IcuClient`): against the Intervals.icu emulator, with every write's
//! exact request pinned on a closure transport (a dry run returns exactly it and sends
//! nothing), an unknown create outcome refused on retry, and the steps of multi-request calls
//! reported to the call's observer (what `paceline mcp` turns into progress notifications).

use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use futures_executor::block_on;
use paceline_core::clock::ManualClock;
use paceline_core::http::{FnTransport, HttpRequest, HttpResponse, Method, TransportError};
use paceline_core::intervals::{CallOptions, IcuAuth, IcuClient, IcuConfig, IcuError, IcuSecret};
use paceline_core::sandbox::intervals::{IcuSandbox, IcuSandboxTransport};
use paceline_core::tools::intervals::find;
use paceline_core::tools::{ToolContext, ToolError, ToolOutput};
use paceline_core::trainingpeaks::{RateWait, TpClient, WaitObserver};
use serde_json::{Value, json};

fn clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::at_date(
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
    ))
}

/// A TrainingPeaks client that fails the test if it is used.
fn no_tp(clock: Arc<ManualClock>) -> Arc<TpClient> {
    let t = FnTransport(|req: HttpRequest| -> Result<HttpResponse, TransportError> {
        panic!(
            "TrainingPeaks request from an Intervals.icu tool: {} {}",
            req.method, req.url
        )
    });
    Arc::new(TpClient::new(Arc::new(t), clock))
}

/// Records the steps a call reports.
#[derive(Default)]
struct Steps(Mutex<Vec<String>>);

impl WaitObserver for Steps {
    fn waiting(&self, _: &RateWait) {}
    fn step(&self, done: u64, total: u64, what: &str) {
        self.0
            .lock()
            .unwrap()
            .push(format!("{done} of {total} {what}"));
    }
}

struct Env {
    sb: Arc<IcuSandbox>,
    ctx: ToolContext,
    steps: Arc<Steps>,
}

fn env() -> Env {
    let clock = clock();
    let sb = Arc::new(IcuSandbox::new(clock.clone()));
    let icu = IcuClient::new(
        Arc::new(IcuSandboxTransport::new(sb.clone())),
        clock.clone(),
        IcuConfig::default(),
    );
    let steps = Arc::new(Steps::default());
    let ctx = ToolContext::new(no_tp(clock))
        .with_icu(Arc::new(icu))
        .for_call(CallOptions {
            deadline: None,
            observer: Some(steps.clone()),
        });
    Env { sb, ctx, steps }
}

impl Env {
    fn call(&self, name: &str, args: Value) -> Result<ToolOutput, ToolError> {
        let tool = find(name).unwrap_or_else(|| panic!("{name} is not in the catalogue"));
        block_on(tool.call(&self.ctx, args))
    }
    fn ok(&self, name: &str, args: Value) -> ToolOutput {
        self.call(name, args)
            .unwrap_or_else(|e| panic!("{name}: {e}"))
    }
    fn writes(&self) -> usize {
        self.sb
            .requests()
            .into_iter()
            .filter(|r| r.method != Method::Get)
            .count()
    }
    fn event(&self, id: i64) -> Value {
        let out = self
            .ok("get_event_by_id", json!({"event_id": id}))
            .structured;
        let mut e = out["event"].clone();
        e["tags"] = out["tags"].clone();
        e
    }
    fn taken_steps(&self) -> Vec<String> {
        std::mem::take(&mut *self.steps.0.lock().unwrap())
    }
    /// The first planned workout ahead that has steps.
    fn planned(&self) -> (i64, Value) {
        let out = self.ok("get_planned_workouts", json!({}));
        let w = out.structured["workouts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w["workout_text"].as_str().is_some_and(|t| t.contains("- ")))
            .cloned()
            .unwrap_or_else(|| panic!("no planned workout with steps: {}", out.text));
        (w["event_id"].as_i64().unwrap(), w)
    }
}

fn day(env: &Env, offset: i64) -> String {
    (env.sb.today() + chrono::Duration::days(offset)).to_string()
}

#[test]
fn power_curve_from_streams_matches_intervals_icus_own_and_fits_cp() {
    let env = env();
    let args =
        json!({"start_date": day(&env, -42), "end_date": day(&env, 0), "max_activities": 100});
    let out = env.ok("get_power_curve", args.clone());
    let s = &out.structured;
    let used = s["activities_used"].as_u64().unwrap();
    assert!(used >= 3, "{}", out.text);
    assert_eq!(s["activities_not_read"], json!(0));
    let points = s["points"].as_array().unwrap();
    assert!(points.len() >= 8, "{}", out.text);
    // Mean-max is non-increasing in duration, every point traced to an activity of the range.
    for pair in points.windows(2) {
        assert!(
            pair[1]["value"].as_f64() <= pair[0]["value"].as_f64(),
            "{}",
            out.text
        );
    }
    // Every activity was read, so Intervals.icu's curve over the same days (computed by the
    // emulator from the same streams) agrees with ours at each of its durations.
    let mut compared = 0;
    for p in points {
        assert!(
            p["activity_id"]
                .as_str()
                .is_some_and(|a| a.starts_with('i'))
        );
        if let Some(theirs) = p["intervals_icu_value"].as_f64() {
            let ours = p["value"].as_f64().unwrap();
            assert!((ours - theirs).abs() <= 1.0 + theirs * 0.01, "{p}");
            compared += 1;
        }
    }
    assert!(compared >= 5, "{}", out.text);
    assert_eq!(s["comparison_note"], Value::Null);
    let m = &s["model"];
    let cp = m["cp_w"].as_f64().unwrap();
    assert!((100.0..500.0).contains(&cp), "{m}");
    assert!(m["w_prime_j"].as_f64().unwrap() > 0.0, "{m}");
    assert!(out.text.contains("[Intervals.icu: "), "{}", out.text);
    // One step per activity read.
    let steps = env.taken_steps();
    assert_eq!(
        steps.len() as u64,
        used + s["activities_without_data"].as_u64().unwrap()
    );
    assert_eq!(
        steps.last().unwrap(),
        &format!("{0} of {0} activities' streams read", steps.len())
    );

    // A smaller read says what it left, and heart rate and speed work too.
    let few = env.ok(
        "get_power_curve",
        json!({"start_date": day(&env, -42), "end_date": day(&env, 0), "max_activities": 2}),
    );
    assert!(few.structured["activities_not_read"].as_u64().unwrap() > 0);
    assert!(few.text.contains("raise max_activities"), "{}", few.text);
    assert_eq!(
        env.taken_steps(),
        [
            "1 of 2 activities' streams read",
            "2 of 2 activities' streams read"
        ]
    );
    let hr = env.ok(
        "get_power_curve",
        json!({"start_date": day(&env, -42), "end_date": day(&env, 0), "channel": "heart_rate"}),
    );
    assert_eq!(hr.structured["model"], Value::Null);
    assert!(
        !hr.structured["points"].as_array().unwrap().is_empty(),
        "{}",
        hr.text
    );
    let run = env.ok(
        "get_power_curve",
        json!({"start_date": day(&env, -42), "end_date": day(&env, 0), "channel": "speed"}),
    );
    assert_eq!(run.structured["sport"], json!("Run"));
    assert!(run.structured["comparison_note"].as_str().is_some());
    match env.call(
        "get_power_curve",
        json!({"start_date": day(&env, 0), "end_date": day(&env, 0), "max_activities": 101}),
    ) {
        Err(ToolError::InvalidArgs { field, .. }) => assert_eq!(field, "max_activities"),
        other => panic!("{other:?}"),
    }
    assert_eq!(env.writes(), 0);
}

#[test]
fn training_distribution_is_the_sum_of_the_activities_own_zone_times() {
    let env = env();
    let args = json!({"start_date": day(&env, -28), "end_date": day(&env, 0), "max_activities": 4});
    let out = env.ok("get_training_distribution", args);
    let s = &out.structured;
    assert_eq!(env.taken_steps().len(), 4);
    // The same four activities, newest first, analysed one by one.
    let list = env.ok(
        "get_activities",
        json!({"start_date": day(&env, -28), "end_date": day(&env, 0), "limit": 100}),
    );
    let mut acts: Vec<Value> = list.structured["activities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["sport"].is_string())
        .cloned()
        .collect();
    acts.sort_by(|a, b| b["start_local"].as_str().cmp(&a["start_local"].as_str()));
    let mut want: std::collections::BTreeMap<String, [f64; 7]> = Default::default();
    for a in acts.iter().take(4) {
        let one = env.ok("get_activity_analysis", json!({"activity_id": a["id"]}));
        if let Some(z) = one.structured["metrics"]["time_in_power_zones_s"].as_array() {
            let acc = want
                .entry(a["sport"].as_str().unwrap().to_string())
                .or_default();
            for (x, y) in acc.iter_mut().zip(z) {
                *x += y.as_f64().unwrap();
            }
        }
    }
    assert!(!want.is_empty(), "no power in the newest four activities");
    for (sport, zones) in &want {
        let got = s["sports"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["sport"] == json!(sport))
            .unwrap_or_else(|| panic!("{sport} missing: {}", out.text));
        let got: Vec<f64> = got["power_zones_s"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        assert_eq!(got, zones.to_vec(), "{sport}");
    }
    let pol = s["sports"][0]["polarisation"]["percent"]
        .as_array()
        .unwrap();
    let total: f64 = pol.iter().map(|v| v.as_f64().unwrap()).sum();
    assert!((total - 100.0).abs() < 0.5, "{pol:?}");
    assert!(out.text.contains("Seiler"), "{}", out.text);
    // Only one sport when asked.
    let rides = env.ok(
        "get_training_distribution",
        json!({"start_date": day(&env, -28), "end_date": day(&env, 0), "sport": "Run"}),
    );
    for x in rides.structured["sports"].as_array().unwrap() {
        assert_eq!(x["sport"], json!("Run"));
    }
    match env.call(
        "get_training_distribution",
        json!({"start_date": day(&env, -28), "end_date": day(&env, 0), "sport": "Ride; drop"}),
    ) {
        Err(ToolError::InvalidArgs { field, .. }) => assert_eq!(field, "sport"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn skip_and_advice_mark_the_event_and_keep_its_workout() {
    let env = env();
    let (id, w) = env.planned();
    let before = env.event(id);
    let load = before["training_load"].clone();
    let text = w["workout_text"].as_str().unwrap().to_string();

    // A dry run sends nothing.
    let dry = env.ok(
        "skip_workout",
        json!({"event_id": id, "reason": "ill", "dry_run": true}),
    );
    assert_eq!(env.writes(), 0);
    assert_eq!(dry.structured["request"]["method"], json!("PUT"));
    let out = env.ok("skip_workout", json!({"event_id": id, "reason": "ill"}));
    assert_eq!(env.writes(), 1);
    assert_eq!(
        out.structured["changed_fields"],
        json!(["tags", "description"])
    );
    let after = env.event(id);
    assert_eq!(
        after["description"],
        json!(format!("Skipped: ill\n\n{text}"))
    );
    assert_eq!(after["tags"], json!(["skipped"]));
    assert_eq!(
        after["training_load"], load,
        "a note does not change the load"
    );
    assert_eq!(after["moving_time_s"], before["moving_time_s"]);
    let planned = env.ok("get_planned_workouts", json!({}));
    let row = planned.structured["workouts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["event_id"] == json!(id))
        .cloned()
        .unwrap();
    assert_eq!(row["skipped"], json!(true));
    assert!(planned.text.contains("SKIPPED"), "{}", planned.text);
    // The projection leaves it out.
    let proj = env.ok("get_fitness_projection", json!({}));
    assert_eq!(
        proj.structured["skipped_left_out"],
        json!(1),
        "{}",
        proj.text
    );
    // Again: nothing to change, nothing sent.
    let again = env.ok("skip_workout", json!({"event_id": id, "reason": "ill"}));
    assert!(again.text.contains("nothing was sent"), "{}", again.text);
    assert_eq!(env.writes(), 1);
    // Undo takes the tag off and keeps the note.
    env.ok("skip_workout", json!({"event_id": id, "undo": true}));
    assert_eq!(env.writes(), 2);
    let undone = env.ok("get_planned_workouts", json!({}));
    assert!(!undone.text.contains("SKIPPED"), "{}", undone.text);

    // Advice: first, replaced, appended, cleared; the workout stays.
    env.ok(
        "set_workout_advice",
        json!({"event_id": id, "advice": "Smooth"}),
    );
    assert_eq!(
        env.event(id)["description"],
        json!(format!("Advice: Smooth\n\nSkipped: ill\n\n{text}"))
    );
    let appended = env.ok(
        "set_workout_advice",
        json!({"event_id": id, "advice": "Eat early", "append": true}),
    );
    assert_eq!(appended.structured["previous_advice"], json!("Smooth"));
    assert_eq!(appended.structured["advice"], json!("Smooth\nEat early"));
    let row = env.ok("get_planned_workouts", json!({})).structured["workouts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["event_id"] == json!(id))
        .cloned()
        .unwrap();
    assert_eq!(row["advice"], json!("Smooth\nEat early"));
    env.ok("set_workout_advice", json!({"event_id": id, "advice": ""}));
    assert_eq!(
        env.event(id)["description"],
        json!(format!("Skipped: ill\n\n{text}"))
    );
    assert_eq!(env.event(id)["training_load"], load);
    // A line that would read as a step is refused, naming the field; a note is not a workout.
    match env.call(
        "set_workout_advice",
        json!({"event_id": id, "advice": "- 5m 90%"}),
    ) {
        Err(ToolError::InvalidArgs { field, .. }) => assert_eq!(field, "advice"),
        other => panic!("{other:?}"),
    }
    let note = env.sb.with_state(|s| {
        s.events
            .iter()
            .find(|(_, e)| e["category"] == "NOTE")
            .map(|(k, _)| *k)
            .unwrap()
    });
    let e = env
        .call("skip_workout", json!({"event_id": note}))
        .unwrap_err();
    assert!(e.to_string().contains("not a planned workout"), "{e}");
}

#[test]
fn a_workout_by_intensity_is_parsed_by_intervals_icu_and_can_be_rescaled() {
    let env = env();
    let out = env.ok(
        "create_workout_by_intensity",
        json!({"start_date": day(&env, 3), "sport": "bike", "zone": "threshold", "zone_minutes": 40}),
    );
    let s = &out.structured;
    assert_eq!(s["repeats"], json!(4));
    assert_eq!(s["name"], json!("Threshold 4×10 min"));
    let id = s["event"]["id"].as_i64().unwrap();
    let stored = env.event(id);
    assert!(stored["structured"].as_bool().unwrap(), "{stored}");
    // 10 warm-up + 4 × (10 + 5) + 10 cool-down = 80 min, as Intervals.icu read the text.
    assert_eq!(stored["moving_time_s"], json!(80 * 60));
    let icu_load = stored["training_load"].as_f64().unwrap();
    let ours = s["load_planned"].as_f64().unwrap();
    // Intervals.icu computes its own load (the emulator from its own reading of the targets),
    // so the two agree only roughly.
    assert!(
        (icu_load - ours).abs() <= ours * 0.2,
        "{icu_load} vs {ours}"
    );

    // By load, on a run with heart rate.
    let run = env.ok(
        "create_workout_by_intensity",
        json!({"start_date": day(&env, 4), "sport": "run", "zone": "tempo", "load": 60}),
    );
    assert!(
        run.structured["workout_text"]
            .as_str()
            .unwrap()
            .contains("% LTHR")
    );
    assert!((run.structured["load_planned"].as_f64().unwrap() - 60.0).abs() <= 6.0);

    // +10 % on the work intervals: the load goes up, the time stays.
    let writes = env.writes();
    let dry = env.ok(
        "scale_workout_intensity",
        json!({"event_id": id, "percent": 10, "dry_run": true}),
    );
    assert_eq!(env.writes(), writes);
    assert_eq!(dry.structured["load_after"], Value::Null);
    let scaled = env.ok(
        "scale_workout_intensity",
        json!({"event_id": id, "percent": 10}),
    );
    assert_eq!(scaled.structured["steps_scaled"], json!(1));
    assert_eq!(
        dry.structured["workout_text"],
        scaled.structured["workout_text"]
    );
    let after = env.event(id);
    assert_eq!(after["moving_time_s"], json!(80 * 60));
    assert!(
        after["training_load"].as_f64().unwrap() > icu_load + 3.0,
        "{after}"
    );
    assert!(
        after["description"]
            .as_str()
            .unwrap()
            .contains("100.1-115.5%"),
        "{after}"
    );
    match env.call(
        "scale_workout_intensity",
        json!({"event_id": id, "percent": 0}),
    ) {
        Err(ToolError::InvalidArgs { field, .. }) => assert_eq!(field, "percent"),
        other => panic!("{other:?}"),
    }
    match env.call(
        "create_workout_by_intensity",
        json!({"start_date": day(&env, 3), "sport": "run", "zone": "anaerobic", "zone_minutes": 5}),
    ) {
        Err(ToolError::InvalidArgs { field, .. }) => assert_eq!(field, "zone"),
        other => panic!("{other:?}"),
    }
}

type Sent = Arc<Mutex<Vec<HttpRequest>>>;

const DESCRIPTION: &str = "Warmup\n- 10m 50%\n\nMain set 2x\n- 5m 95%\n- 3m 55%";

/// A context whose transport records every request: GETs of event 41 answer a planned
/// workout, writes echo an event; `status` is the writes' status.
fn recording(status: u16) -> (ToolContext, Sent) {
    let sent: Sent = Arc::default();
    let s = sent.clone();
    let t = FnTransport(
        move |req: HttpRequest| -> Result<HttpResponse, TransportError> {
            let (status, body) = if req.method == Method::Get {
                (
                    200,
                    json!({"id": 41, "category": "WORKOUT", "start_date_local": "2026-11-23T00:00:00",
                        "type": "Ride", "name": "Sweet spot", "description": DESCRIPTION,
                        "tags": ["base"], "icu_training_load": 60, "moving_time": 2040,
                        "carbs_per_hour": 60}),
                )
            } else {
                (
                    status,
                    json!({"id": 41, "category": "WORKOUT", "icu_training_load": 66}),
                )
            };
            s.lock().unwrap().push(req);
            Ok(HttpResponse {
                status,
                headers: vec![("content-type".into(), "application/json".into())],
                body: serde_json::to_vec(&body).unwrap(),
            })
        },
    );
    let clock = clock();
    let config = IcuConfig::new(None, IcuAuth::ApiKey(IcuSecret::new("k3y")), Some("i77")).unwrap();
    let icu = IcuClient::new(Arc::new(t), clock.clone(), config);
    (ToolContext::new(no_tp(clock)).with_icu(Arc::new(icu)), sent)
}

/// Calls `tool` with `dry_run: true`, then without: the dry run sends no write; the real call
/// sends exactly one, equal to `want` and to the dry run's `request`.
fn pin(tool: &str, args: Value, want: (Method, &str, Value)) {
    let (ctx, sent) = recording(200);
    let t = find(tool).unwrap();
    let writes = |s: &Sent| -> Vec<HttpRequest> {
        s.lock()
            .unwrap()
            .iter()
            .filter(|r| r.method != Method::Get)
            .cloned()
            .collect()
    };
    let mut dry = args.clone();
    dry["dry_run"] = json!(true);
    let planned = block_on(t.call(&ctx, dry)).unwrap_or_else(|e| panic!("{tool} dry run: {e}"));
    assert!(
        writes(&sent).is_empty(),
        "{tool}: a dry run sent {:?}",
        writes(&sent)
    );
    assert_eq!(planned.structured["dry_run"], json!(true), "{tool}");
    assert!(
        planned.text.contains("Dry run: nothing was sent."),
        "{tool}: {}",
        planned.text
    );
    let done = block_on(t.call(&ctx, args)).unwrap_or_else(|e| panic!("{tool}: {e}"));
    let w = writes(&sent);
    assert_eq!(w.len(), 1, "{tool}: {w:?}");
    let (method, path, body) = want;
    assert_eq!(w[0].method, method, "{tool}");
    assert_eq!(w[0].url, format!("https://intervals.icu{path}"), "{tool}");
    let sent_body: Value = serde_json::from_slice(w[0].body.as_deref().unwrap()).unwrap();
    assert_eq!(sent_body, body, "{tool}");
    let plan = json!({"method": method.to_string(), "path": path, "body": body});
    assert_eq!(
        planned.structured["request"], plan,
        "{tool}: the dry run shows what is sent"
    );
    assert_eq!(done.structured["request"], plan, "{tool}");
}

#[test]
fn every_planning_write_sends_exactly_what_its_dry_run_shows() {
    // Only the changed fields travel, each whole: the existing tag is kept, the workout text
    // is kept byte for byte below the note; unmodelled fields (carbs_per_hour) are not sent,
    // so Intervals.icu keeps them.
    pin(
        "skip_workout",
        json!({"event_id": 41, "reason": "ill"}),
        (
            Method::Put,
            "/api/v1/athlete/i77/events/41",
            json!({"description": format!("Skipped: ill\n\n{DESCRIPTION}"), "tags": ["base", "skipped"]}),
        ),
    );
    pin(
        "set_workout_advice",
        json!({"event_id": 41, "advice": "Stay seated", "athlete_id": 12}),
        (
            Method::Put,
            "/api/v1/athlete/i12/events/41",
            json!({"description": format!("Advice: Stay seated\n\n{DESCRIPTION}")}),
        ),
    );
    pin(
        "scale_workout_intensity",
        json!({"event_id": 41, "percent": -10, "scope": "all"}),
        (
            Method::Put,
            "/api/v1/athlete/i77/events/41",
            json!({"description": "Warmup\n- 10m 45%\n\nMain set 2x\n- 5m 85.5%\n- 3m 49.5%"}),
        ),
    );
    pin(
        "create_workout_by_intensity",
        json!({"start_date": "2026-11-24", "sport": "bike", "zone": "endurance", "zone_minutes": 90, "indoor": true}),
        (
            Method::Post,
            "/api/v1/athlete/i77/events?upsertOnUid=false",
            json!({"category": "WORKOUT", "start_date_local": "2026-11-24T00:00:00", "type": "Ride",
                   "name": "Endurance 90 min", "indoor": true,
                   "description": "Endurance (56–75 % FTP). Built by zone and time.\n\n- Endurance 1h30m 56-75%"}),
        ),
    );
}

#[test]
fn a_create_whose_outcome_is_unknown_is_not_sent_again() {
    let (ctx, sent) = recording(503);
    let t = find("create_workout_by_intensity").unwrap();
    let args =
        json!({"start_date": "2026-11-24", "sport": "bike", "zone": "tempo", "zone_minutes": 30});
    let e = block_on(t.call(&ctx, args.clone())).unwrap_err();
    assert!(
        matches!(e, ToolError::Icu(IcuError::WriteOutcomeUnknown { .. })),
        "{e:?}"
    );
    assert!(e.to_string().contains("before retrying"), "{e}");
    let e = block_on(t.call(&ctx, args)).unwrap_err();
    assert!(
        matches!(e, ToolError::Icu(IcuError::DuplicateOutcomeUnknown { .. })),
        "{e:?}"
    );
    assert!(
        e.to_string()
            .contains("outcome unknown, check before retrying"),
        "{e}"
    );
    let posts = sent
        .lock()
        .unwrap()
        .iter()
        .filter(|r| r.method == Method::Post)
        .count();
    assert_eq!(posts, 1, "never sent twice");
    // An update of unknown outcome says so too (an update is not journaled: it is idempotent).
    let e = block_on(
        find("skip_workout")
            .unwrap()
            .call(&ctx, json!({"event_id": 41})),
    )
    .unwrap_err();
    assert!(e.to_string().contains("before retrying"), "{e}");
}

#[test]
fn add_events_bulk_reports_its_two_requests_as_steps() {
    let env = env();
    let out = env.ok(
        "add_events_bulk",
        json!({"events": [{"start_date": day(&env, 20), "name": "Long ride", "workout_type": "Ride",
            "description": "- 2h 65%"}]}),
    );
    assert_eq!(out.structured["events"].as_array().unwrap().len(), 1);
    assert_eq!(
        env.taken_steps(),
        ["1 of 2 requests sent", "2 of 2 requests sent"]
    );
}

#[test]
fn a_workout_without_step_text_keeps_its_description() {
    // Steps only in `workout_doc` (a workout uploaded as a file): a new description would be
    // re-read by Intervals.icu and could drop them, so it is never written.
    let sent: Sent = Arc::default();
    let s = sent.clone();
    let t = FnTransport(
        move |req: HttpRequest| -> Result<HttpResponse, TransportError> {
            let body = if req.method == Method::Get {
                json!({"id": 41, "category": "WORKOUT", "name": "From Zwift", "description": "Uploaded",
                    "workout_doc": {"steps": [{"duration": 600, "power": {"value": 70, "units": "%ftp"}}]},
                    "tags": []})
            } else {
                json!({"id": 41, "category": "WORKOUT", "tags": ["skipped"]})
            };
            s.lock().unwrap().push(req);
            Ok(HttpResponse {
                status: 200,
                headers: vec![("content-type".into(), "application/json".into())],
                body: serde_json::to_vec(&body).unwrap(),
            })
        },
    );
    let clock = clock();
    let icu = IcuClient::new(Arc::new(t), clock.clone(), IcuConfig::default());
    let ctx = ToolContext::new(no_tp(clock)).with_icu(Arc::new(icu));
    let writes = || -> Vec<Value> {
        sent.lock()
            .unwrap()
            .iter()
            .filter(|r| r.method != Method::Get)
            .map(|r| serde_json::from_slice(r.body.as_deref().unwrap()).unwrap())
            .collect()
    };
    let e = block_on(
        find("set_workout_advice")
            .unwrap()
            .call(&ctx, json!({"event_id": 41, "advice": "Smooth"})),
    )
    .unwrap_err();
    assert!(e.to_string().contains("nothing was changed"), "{e}");
    assert!(writes().is_empty());
    let out = block_on(
        find("skip_workout")
            .unwrap()
            .call(&ctx, json!({"event_id": 41, "reason": "ill"})),
    )
    .unwrap();
    assert_eq!(writes(), vec![json!({"tags": ["skipped"]})]);
    assert!(
        out.text.contains("The reason was not written"),
        "{}",
        out.text
    );
}
