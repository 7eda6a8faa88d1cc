//! The copy tools between the platforms (`copy_workout_to_intervals`,
//! `copy_workout_to_trainingpeaks`), through the production path (`platform::call_canonical`
//! with a context carrying both clients): both directions against the two emulators (structure
//! carried, a second copy recognised, dry runs sending nothing, what could not be carried
//! reported), and the exact create requests pinned over closure transports.

use std::sync::{Arc, Mutex};

use futures_executor::block_on;
use paceline_core::clock::ManualClock;
use paceline_core::http::{FnTransport, HttpRequest, HttpResponse, Method, TransportError};
use paceline_core::intervals::events::EventWrite;
use paceline_core::intervals::{IcuClient, IcuConfig};
use paceline_core::sandbox::SAMPLE_ATHLETE_ID;
use paceline_core::tools::platform::call_canonical;
use paceline_core::tools::{self, ToolContext, ToolError, ToolOutput};
use paceline_core::trainingpeaks::TpClient;
use serde_json::{Value, json};

use crate::sandboxes::{self, Sandboxes};

fn clock() -> Arc<ManualClock> {
    sandboxes::test_day()
}

type Env = Sandboxes;

fn env() -> Env {
    sandboxes::both(false)
}

fn call(ctx: &ToolContext, name: &str, args: Value) -> Result<ToolOutput, ToolError> {
    block_on(call_canonical(ctx, name, args))
}

fn ok(ctx: &ToolContext, name: &str, args: Value) -> ToolOutput {
    call(ctx, name, args.clone()).unwrap_or_else(|e| panic!("{name}({args}): {e}"))
}

fn icu_writes(e: &Env) -> Vec<(Method, String)> {
    e.icu
        .requests()
        .into_iter()
        .filter(|r| r.method != Method::Get)
        .map(|r| (r.method, r.path))
        .collect()
}

fn tp_writes(e: &Env) -> usize {
    e.tp.requests()
        .iter()
        .filter(|r| r.method != Method::Get)
        .count()
}

fn structure() -> Value {
    json!({"primaryIntensityMetric": "percentOfFtp", "steps": [
        {"name": "Warm up", "duration_seconds": 600, "intensity_min": 50, "intensity_max": 65, "intensityClass": "warmUp"},
        {"type": "repetition", "reps": 3, "steps": [
            {"name": "Sweet spot", "duration_seconds": 720, "intensity_min": 88, "intensity_max": 93},
            {"name": "Easy", "duration_seconds": 300, "intensity_min": 50, "intensity_max": 60, "intensityClass": "rest"}
        ]},
        {"name": "Cool down", "duration_seconds": 600, "intensity_min": 45, "intensity_max": 55, "intensityClass": "coolDown"}
    ]})
}

/// The Intervals.icu text `structure()` prints as.
const STRUCTURE_TEXT: &str = "Warmup\n- Warm up 10m 50-65%\n\n3x\n- Sweet spot 12m 88-93%\n\
    - Easy 5m 50-60% intensity=rest\n\nCooldown\n- Cool down 10m 45-55%";

fn tp_workout(ctx: &ToolContext, date: &str, title: &str, extra: Value) -> i64 {
    let mut args = json!({"date": date, "sport": "bike", "title": title});
    if let (Some(a), Some(x)) = (args.as_object_mut(), extra.as_object()) {
        a.extend(x.clone());
    }
    let out = block_on(tools::call(ctx, "create_workout", args)).unwrap();
    out.structured["workout_id"].as_i64().unwrap()
}

const ICU_TEXT: &str = "Keep it smooth.\n\nWarmup\n- 10m 50-65%\n\nMain set 4x\n- 5m 95-105% 90rpm\n\
    - 3m 55%\n\nCooldown\n- 10m 50%";

fn icu_event(e: &Env, date: &str, name: &str, text: &str) -> i64 {
    let icu = e.ctx.icu.as_deref().unwrap();
    let mut w = EventWrite::new("WORKOUT", date.parse().unwrap());
    w.sport = Some("Ride".into());
    w.name = Some(name.into());
    w.description = Some(text.into());
    w.tags = Some(vec!["vo2".into()]);
    block_on(icu.create_event(None, &w))
        .unwrap()
        .id
        .val()
        .unwrap()
}

#[test]
fn a_trainingpeaks_workout_is_copied_to_intervals_with_its_structure_once() {
    let e = env();
    let id = tp_workout(
        &e.ctx,
        "2026-11-25",
        "Copy me 3x12",
        json!({"description": "Seated.\n- no standing", "tss": 70, "structure": structure()}),
    );
    // A dry run first: exactly the request, nothing sent.
    e.icu.clear_requests();
    let dry = ok(
        &e.ctx,
        "copy_workout_to_intervals",
        json!({"workout_id": id, "dry_run": true}),
    );
    assert!(
        icu_writes(&e).is_empty(),
        "a dry run sent {:?}",
        icu_writes(&e)
    );
    let w = &dry.structured["workouts"][0];
    assert_eq!(w["status"], "would_create", "{}", dry.text);
    let planned = w["request"].clone();
    assert_eq!(planned["method"], "POST");
    assert_eq!(
        planned["path"],
        "/api/v1/athlete/0/events?upsertOnUid=false"
    );
    assert!(
        dry.text.contains("Dry run: nothing was sent"),
        "{}",
        dry.text
    );

    let out = ok(
        &e.ctx,
        "copy_workout_to_intervals",
        json!({"workout_id": id}),
    );
    let w = &out.structured["workouts"][0];
    assert_eq!(w["status"], "created", "{}", out.text);
    assert_eq!(w["structured"], true);
    assert_eq!(w["request"], planned, "the dry run showed what was sent");
    let sent: Vec<_> = e
        .icu
        .requests()
        .into_iter()
        .filter(|r| r.method == Method::Post)
        .collect();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].body.as_ref(), planned.get("body"));
    let event_id = w["target_id"].as_i64().unwrap();
    let stored = block_on(e.ctx.icu.as_deref().unwrap().event(None, event_id)).unwrap();
    assert_eq!(stored.sport.get().map(String::as_str), Some("Ride"));
    assert_eq!(
        stored.external_id.get().map(String::as_str),
        Some(&*format!("tp-{id}"))
    );
    let description = stored.description.get().unwrap();
    assert!(
        description.starts_with("Seated.\n– no standing\n\n"),
        "{description}"
    );
    assert!(description.ends_with(STRUCTURE_TEXT), "{description}");
    // What did not carry: the planned TSS, and the description line that would read as a step.
    let not: Vec<&str> = w["not_carried"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(not.iter().any(|n| n.contains("planned TSS 70")), "{not:?}");
    assert!(not.iter().any(|n| n.contains("'-'")), "{not:?}");

    // Again: recognised by its external_id, nothing sent.
    e.icu.clear_requests();
    let again = ok(
        &e.ctx,
        "copy_workout_to_intervals",
        json!({"workout_id": id}),
    );
    assert_eq!(again.structured["workouts"][0]["status"], "already_copied");
    assert_eq!(again.structured["workouts"][0]["target_id"], event_id);
    assert!(again.text.contains("external_id"), "{}", again.text);
    assert!(icu_writes(&e).is_empty());
}

#[test]
fn an_intervals_workout_is_copied_to_trainingpeaks_with_its_structure_once() {
    let e = env();
    let event_id = icu_event(&e, "2026-11-26", "VO2 4x5", ICU_TEXT);
    let before = tp_writes(&e);
    let dry = ok(
        &e.ctx,
        "copy_workout_to_trainingpeaks",
        json!({"event_id": event_id, "dry_run": true}),
    );
    assert_eq!(tp_writes(&e), before, "a dry run sent nothing");
    assert_eq!(dry.structured["workouts"][0]["status"], "would_create");

    let out = ok(
        &e.ctx,
        "copy_workout_to_trainingpeaks",
        json!({"event_id": event_id}),
    );
    let w = &out.structured["workouts"][0];
    assert_eq!(w["status"], "created", "{}", out.text);
    assert_eq!(w["structured"], true, "{}", out.text);
    assert_eq!(w["request"], dry.structured["workouts"][0]["request"]);
    let not = w["not_carried"].to_string();
    assert!(not.contains("section names (Main set)"), "{not}");
    let wid = w["target_id"].as_i64().unwrap();
    let stored = block_on(e.ctx.client.workout(SAMPLE_ATHLETE_ID, wid)).unwrap();
    assert_eq!(stored.workout_type_value_id.val(), Some(2));
    assert_eq!(stored.title.get().map(String::as_str), Some("VO2 4x5"));
    assert_eq!(
        stored.description.get().map(String::as_str),
        Some(&*format!(
            "Keep it smooth.\nCopied from Intervals.icu event {event_id} by Paceline."
        ))
    );
    assert_eq!(stored.user_tags.get().map(String::as_str), Some("vo2"));
    let s = stored.structure().expect("a structure");
    let blocks = s["structure"].as_array().unwrap();
    assert_eq!(blocks.len(), 3, "{s}");
    assert_eq!(blocks[1]["type"], "repetition");
    assert_eq!(blocks[1]["length"]["value"], 4);
    // 10 + 4 × 8 + 10 minutes.
    let hours = stored.total_time_planned.val().unwrap();
    assert!((hours - 52.0 / 60.0).abs() < 1e-6, "{hours}");

    let again = ok(
        &e.ctx,
        "copy_workout_to_trainingpeaks",
        json!({"event_id": event_id}),
    );
    assert_eq!(again.structured["workouts"][0]["status"], "already_copied");
    assert_eq!(again.structured["workouts"][0]["target_id"], wid);
    assert!(again.text.contains("copy of event"), "{}", again.text);
}

#[test]
fn a_range_finds_the_plan_already_on_both_calendars() {
    // The Intervals.icu emulator is seeded with the TrainingPeaks sample's planned workouts
    // (same day, title and sport), as if the plan had reached both calendars: a range copy in
    // either direction recognises every one and sends nothing.
    let e = env();
    let range = json!({"start_date": "2026-11-21", "end_date": "2026-12-04"});
    e.icu.clear_requests();
    let to_icu = ok(&e.ctx, "copy_workout_to_intervals", range.clone());
    let n = to_icu.structured["workouts"].as_array().unwrap().len();
    assert!(n >= 5, "{}", to_icu.text);
    assert_eq!(to_icu.structured["already_copied"], n, "{}", to_icu.text);
    assert!(icu_writes(&e).is_empty());

    let before = tp_writes(&e);
    let to_tp = ok(&e.ctx, "copy_workout_to_trainingpeaks", range);
    let m = to_tp.structured["workouts"].as_array().unwrap().len();
    assert_eq!(m, n, "{}", to_tp.text);
    assert_eq!(to_tp.structured["already_copied"], m, "{}", to_tp.text);
    assert_eq!(tp_writes(&e), before);
}

#[test]
fn what_cannot_be_copied_is_reported_and_not_sent() {
    let e = env();
    // A TrainingPeaks brick (several sports in one) has no Intervals.icu sport.
    let brick = {
        let args = json!({"date": "2026-11-27", "sport": "brick", "title": "Bike + run"});
        block_on(tools::call(&e.ctx, "create_workout", args))
            .unwrap()
            .structured["workout_id"]
            .as_i64()
            .unwrap()
    };
    e.icu.clear_requests();
    let out = ok(
        &e.ctx,
        "copy_workout_to_intervals",
        json!({"workout_id": brick}),
    );
    assert_eq!(out.structured["workouts"][0]["status"], "skipped");
    assert!(
        out.text.contains("no planned-workout sport for Brick"),
        "{}",
        out.text
    );
    assert!(icu_writes(&e).is_empty());
    // Intervals.icu text TrainingPeaks cannot hold: copied without steps, the text kept.
    let text = "- 5m 60% MMP 5m\n- 10m 70%";
    let id = icu_event(&e, "2026-11-28", "MMP test", text);
    let out = ok(
        &e.ctx,
        "copy_workout_to_trainingpeaks",
        json!({"event_id": id}),
    );
    let w = &out.structured["workouts"][0];
    assert_eq!(w["status"], "created", "{}", out.text);
    assert_eq!(w["structured"], false);
    assert!(
        w["not_carried"][0].as_str().unwrap().contains("line 1"),
        "{w}"
    );
    let wid = w["target_id"].as_i64().unwrap();
    let stored = block_on(e.ctx.client.workout(SAMPLE_ATHLETE_ID, wid)).unwrap();
    assert!(stored.structure().is_none());
    assert!(
        stored.description.get().unwrap().starts_with(text),
        "{:?}",
        stored.description
    );
    // A note is not a planned workout.
    let icu = e.ctx.icu.as_deref().unwrap();
    let mut note = EventWrite::new("NOTE", "2026-11-28".parse().unwrap());
    note.name = Some("Travel".into());
    let note = block_on(icu.create_event(None, &note))
        .unwrap()
        .id
        .val()
        .unwrap();
    let out = ok(
        &e.ctx,
        "copy_workout_to_trainingpeaks",
        json!({"event_id": note}),
    );
    assert_eq!(out.structured["workouts"][0]["status"], "skipped");
    assert!(out.text.contains("NOTE event"), "{}", out.text);
}

#[test]
fn bad_arguments_name_the_field() {
    let e = env();
    let cases = [
        ("copy_workout_to_intervals", json!({}), "workout_id"),
        (
            "copy_workout_to_intervals",
            json!({"workout_id": 5, "start_date": "2026-11-01", "end_date": "2026-11-02"}),
            "workout_id",
        ),
        (
            "copy_workout_to_intervals",
            json!({"start_date": "2026-11-01"}),
            "end_date",
        ),
        (
            "copy_workout_to_intervals",
            json!({"start_date": "2026-01-01", "end_date": "2026-12-01"}),
            "end_date",
        ),
        (
            "copy_workout_to_intervals",
            json!({"workout_id": 5, "icu_athlete_id": "x1"}),
            "icu_athlete_id",
        ),
        ("copy_workout_to_trainingpeaks", json!({}), "event_id"),
        (
            "copy_workout_to_trainingpeaks",
            json!({"event_id": -1}),
            "event_id",
        ),
        (
            "copy_workout_to_trainingpeaks",
            json!({"end_date": "2026-11-01"}),
            "start_date",
        ),
    ];
    for (tool, args, field) in cases {
        match call(&e.ctx, tool, args.clone()) {
            Err(ToolError::InvalidArgs { field: f, .. }) => assert_eq!(f, field, "{tool} {args}"),
            other => panic!("{tool} {args}: expected InvalidArgs on {field}, got {other:?}"),
        }
    }
}

// Exact requests over closure transports.

type Log = Arc<Mutex<Vec<HttpRequest>>>;

fn body_of(req: &HttpRequest) -> Value {
    serde_json::from_slice(req.body.as_deref().unwrap()).unwrap()
}

#[test]
fn copy_to_intervals_sends_exactly_this_create() {
    let e = env();
    let id = tp_workout(
        &e.ctx,
        "2026-11-25",
        "Copy me 3x12",
        json!({"structure": structure()}),
    );
    let log: Log = Arc::new(Mutex::new(Vec::new()));
    let seen = log.clone();
    let transport = FnTransport(
        move |req: HttpRequest| -> Result<HttpResponse, TransportError> {
            seen.lock().unwrap().push(req.clone());
            Ok(match req.method {
                Method::Get => HttpResponse::json(200, &json!([])),
                _ => {
                    let mut b = body_of(&req);
                    b["id"] = json!(901);
                    HttpResponse::json(200, &b)
                }
            })
        },
    );
    let icu = IcuClient::new(Arc::new(transport), clock(), IcuConfig::default());
    let ctx = ToolContext::new(e.ctx.client.clone()).with_icu(Arc::new(icu));
    let out = ok(&ctx, "copy_workout_to_intervals", json!({"workout_id": id}));
    assert_eq!(
        out.structured["workouts"][0]["target_id"], 901,
        "{}",
        out.text
    );
    let log = log.lock().unwrap();
    let methods: Vec<_> = log.iter().map(|r| (r.method, r.url.as_str())).collect();
    assert_eq!(
        methods,
        [
            (
                Method::Get,
                "https://intervals.icu/api/v1/athlete/0/events?oldest=2026-11-25&newest=2026-11-25&category=WORKOUT"
            ),
            (
                Method::Post,
                "https://intervals.icu/api/v1/athlete/0/events?upsertOnUid=false"
            ),
        ]
    );
    assert_eq!(
        body_of(&log[1]),
        json!({
            "category": "WORKOUT",
            "start_date_local": "2026-11-25T00:00:00",
            "type": "Ride",
            "name": "Copy me 3x12",
            "description": STRUCTURE_TEXT,
            "external_id": format!("tp-{id}"),
        })
    );
}

#[test]
fn copy_to_intervals_reports_an_unknown_outcome_and_goes_on() {
    let e = env();
    let a = tp_workout(&e.ctx, "2026-11-25", "First", json!({}));
    let b = tp_workout(
        &e.ctx,
        "2026-11-26",
        "Second",
        json!({"duration_hours": 1.5}),
    );
    let posts = Arc::new(Mutex::new(0));
    let n = posts.clone();
    let transport = FnTransport(
        move |req: HttpRequest| -> Result<HttpResponse, TransportError> {
            if req.method == Method::Get {
                return Ok(HttpResponse::json(200, &json!([])));
            }
            let mut count = n.lock().unwrap();
            *count += 1;
            if *count == 1 {
                return Ok(HttpResponse::json(503, &json!({"error": "busy"})));
            }
            let mut b = body_of(&req);
            b["id"] = json!(902);
            Ok(HttpResponse::json(200, &b))
        },
    );
    let icu = IcuClient::new(Arc::new(transport), clock(), IcuConfig::default());
    let ctx = ToolContext::new(e.ctx.client.clone()).with_icu(Arc::new(icu));
    let out = ok(
        &ctx,
        "copy_workout_to_intervals",
        json!({"start_date": "2026-11-25", "end_date": "2026-11-26"}),
    );
    let ws = out.structured["workouts"].as_array().unwrap();
    // The sample's own planned workouts on those days come first, in calendar order: the
    // first create of the call is the one that fails.
    assert!(ws.len() >= 2, "{}", out.text);
    assert_eq!(ws[0]["status"], "outcome_unknown", "{}", out.text);
    for w in &ws[1..] {
        assert_eq!(w["status"], "created", "{}", out.text);
    }
    let find = |id: i64| ws.iter().find(|w| w["source_id"] == id).unwrap();
    assert!(find(a)["status"] != "skipped" && find(b)["status"] == "created");
    // A write whose outcome is unknown is not retried: one POST per workout.
    assert_eq!(*posts.lock().unwrap(), ws.len());
    assert_eq!(out.structured["not_copied"], 1);
    assert!(out.text.contains("check before retrying"), "{}", out.text);
    // Without steps the planned duration is sent instead.
    assert_eq!(find(b)["request"]["body"]["moving_time"], 5400);
}

#[test]
fn copy_to_trainingpeaks_sends_exactly_this_create() {
    let e = env();
    let event_id = icu_event(
        &e,
        "2026-11-26",
        "VO2 4x5",
        "- 10m 50%\n\n3x\n- 4m 110%\n- 4m 50%",
    );
    let log: Log = Arc::new(Mutex::new(Vec::new()));
    let seen = log.clone();
    let transport = FnTransport(
        move |req: HttpRequest| -> Result<HttpResponse, TransportError> {
            let path = req.path_and_query().to_string();
            if path == "/users/v3/token" {
                return Ok(HttpResponse::json(
                    200,
                    &json!({"success": true, "token": {"access_token": "tok-1", "expires_in": 3600}}),
                ));
            }
            if path == "/users/v3/user" {
                return Ok(HttpResponse::json(
                    200,
                    &json!({"user": {"userId": 77, "personId": 77}}),
                ));
            }
            seen.lock().unwrap().push(req.clone());
            Ok(match req.method {
                Method::Get => HttpResponse::json(200, &json!([])),
                _ => {
                    let mut b = body_of(&req);
                    b["workoutId"] = json!(555);
                    HttpResponse::json(200, &b)
                }
            })
        },
    );
    let tp = TpClient::new(Arc::new(transport), clock());
    let ctx = ToolContext::new(Arc::new(tp)).with_icu(e.ctx.icu.clone().unwrap());
    let out = ok(
        &ctx,
        "copy_workout_to_trainingpeaks",
        json!({"event_id": event_id}),
    );
    assert_eq!(
        out.structured["workouts"][0]["target_id"], 555,
        "{}",
        out.text
    );
    let log = log.lock().unwrap();
    let methods: Vec<_> = log.iter().map(|r| (r.method, r.url.as_str())).collect();
    assert_eq!(
        methods,
        [
            (
                Method::Get,
                "https://tpapi.trainingpeaks.com/fitness/v6/athletes/77/workouts/2026-11-26/2026-11-26"
            ),
            (
                Method::Post,
                "https://tpapi.trainingpeaks.com/fitness/v6/athletes/77/workouts"
            ),
        ]
    );
    let body = body_of(&log[1]);
    // The structure as `create_workout` would send the same steps (a JSON string).
    let want_structure = paceline_core::structure::compile_value(&json!({"steps": [
        {"duration_seconds": 600, "intensity_min": 50, "intensity_max": 50},
        {"type": "repetition", "reps": 3, "steps": [
            {"duration_seconds": 240, "intensity_min": 110, "intensity_max": 110},
            {"duration_seconds": 240, "intensity_min": 50, "intensity_max": 50}
        ]}
    ]}))
    .unwrap();
    let got_structure: Value =
        serde_json::from_str(body["structure"].as_str().expect("a string")).unwrap();
    assert_eq!(got_structure, want_structure.to_value());
    let m = paceline_core::structure::metrics(&want_structure, None).unwrap();
    let mut want = json!({
        "athleteId": 77,
        "workoutId": 0,
        "workoutDay": "2026-11-26T00:00:00",
        "workoutTypeValueId": 2,
        "workoutSubTypeId": null,
        "title": "VO2 4x5",
        "description": format!("Copied from Intervals.icu event {event_id} by Paceline."),
        "coachComments": null,
        "athleteComments": null,
        "totalTimePlanned": m.total_hours,
        "distancePlanned": null,
        "tssPlanned": m.tss_planned,
        "ifPlanned": m.if_planned,
        "energyPlanned": m.energy_planned,
        "feeling": null,
        "rpe": null,
        "orderOnDay": null,
        "structure": body["structure"].clone(),
        "userTags": "vo2",
        "workoutComments": [],
    });
    // Compare numbers as they read back from JSON text.
    want = serde_json::from_str(&want.to_string()).unwrap();
    assert_eq!(body, want);
}

/// Records the steps a call reports (what `paceline mcp` sends as progress notifications).
#[derive(Default)]
struct Steps(Mutex<Vec<String>>);

impl paceline_core::trainingpeaks::WaitObserver for Steps {
    fn waiting(&self, _: &paceline_core::trainingpeaks::RateWait) {}
    fn step(&self, done: u64, total: u64, what: &str) {
        self.0
            .lock()
            .unwrap()
            .push(format!("{done} of {total} {what}"));
    }
}

#[test]
fn a_range_copy_reports_each_workout_as_a_step() {
    let e = env();
    let steps = Arc::new(Steps::default());
    let ctx = e.ctx.for_call(paceline_core::intervals::CallOptions {
        deadline: None,
        observer: Some(steps.clone()),
    });
    let range = json!({"start_date": "2026-11-21", "end_date": "2026-12-04"});
    for tool in ["copy_workout_to_intervals", "copy_workout_to_trainingpeaks"] {
        let out = ok(&ctx, tool, range.clone());
        let n = out.structured["workouts"].as_array().unwrap().len();
        assert!(n >= 2, "{}", out.text);
        let got = std::mem::take(&mut *steps.0.lock().unwrap());
        assert_eq!(
            got,
            (1..=n)
                .map(|k| format!("{k} of {n} workouts copied"))
                .collect::<Vec<_>>(),
            "{tool}"
        );
    }
}
