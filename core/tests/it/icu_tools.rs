//! The Intervals.icu tools (`tools::intervals::CATALOG`) through the production path
//! (`Tool::call` with a `ToolContext` carrying an `IcuClient`): every tool against the
//! Intervals.icu emulator, every write's exact request pinned with a closure transport (and a
//! dry run returning exactly that request without sending it), argument errors naming the
//! field, and the streams tool's output size.

use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use futures_executor::block_on;
use paceline_core::clock::ManualClock;
use paceline_core::http::{FnTransport, HttpRequest, HttpResponse, Method, TransportError};
use paceline_core::intervals::{IcuClient, IcuConfig, IcuError};
use paceline_core::sandbox::intervals::{IcuSandbox, IcuSandboxTransport};
use paceline_core::tools::intervals::{CATALOG, find};
use paceline_core::tools::{ToolContext, ToolError, ToolOutput};
use paceline_core::trainingpeaks::TpClient;
use serde_json::{Value, json};

fn clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::at_date(
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
    ))
}

/// A TrainingPeaks client that fails the test if it is used: Intervals.icu tools must not.
fn no_tp(clock: Arc<ManualClock>) -> Arc<TpClient> {
    let t = FnTransport(|req: HttpRequest| -> Result<HttpResponse, TransportError> {
        panic!(
            "TrainingPeaks request from an Intervals.icu tool: {} {}",
            req.method, req.url
        )
    });
    Arc::new(TpClient::new(Arc::new(t), clock))
}

struct Env {
    sb: Arc<IcuSandbox>,
    ctx: ToolContext,
}

fn env() -> Env {
    let clock = clock();
    let sb = Arc::new(IcuSandbox::new(clock.clone()));
    let icu = IcuClient::new(
        Arc::new(IcuSandboxTransport::new(sb.clone())),
        clock.clone(),
        IcuConfig::default(),
    );
    let ctx = ToolContext::new(no_tp(clock)).with_icu(Arc::new(icu));
    Env { sb, ctx }
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
    fn writes(&self) -> Vec<(Method, String)> {
        self.sb
            .requests()
            .into_iter()
            .filter(|r| r.method != Method::Get)
            .map(|r| (r.method, r.path.clone()))
            .collect()
    }
}

#[test]
fn the_catalogue_has_the_seed_tools_in_order_then_the_additions() {
    let names: Vec<&str> = CATALOG.iter().map(|t| t.name()).collect();
    let seed = [
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
    assert_eq!(&names[..20], &seed[..]);
    let mut unique = names.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), names.len(), "duplicate names: {names:?}");
    for t in CATALOG {
        let schema = t.input_schema();
        let props = schema["properties"].as_object().unwrap();
        assert!(
            !props.contains_key("api_key"),
            "{}: api_key must not be an argument",
            t.name()
        );
        assert_eq!(schema["additionalProperties"], json!(false), "{}", t.name());
        let a = t.annotations();
        let writes = props.contains_key("dry_run");
        assert_eq!(
            writes,
            !a.read_only,
            "{}: every write takes dry_run",
            t.name()
        );
        assert_eq!(t.output_schema()["type"], json!("object"), "{}", t.name());
    }
    // The writes, each pinned by `every_write_sends_exactly_what_its_dry_run_shows`,
    // `every_additional_write_sends_exactly_what_its_dry_run_shows` or (planning)
    // `icu_parity::every_planning_write_sends_exactly_what_its_dry_run_shows`.
    let writes: Vec<&str> = CATALOG
        .iter()
        .filter(|t| !t.annotations().read_only)
        .map(|t| t.name())
        .collect();
    assert_eq!(
        writes,
        [
            "add_activity_message",
            "add_or_update_event",
            "add_or_update_note",
            "delete_event",
            "delete_events_by_date_range",
            "create_custom_item",
            "update_custom_item",
            "delete_custom_item",
            "update_sport_settings",
            "add_or_update_wellness",
            "update_activity",
            "add_events_bulk",
            "create_library_workout",
            "schedule_library_workout",
            "skip_workout",
            "set_workout_advice",
            "create_workout_by_intensity",
            "scale_workout_intensity",
        ]
    );
    // Integer formats MCP clients understand (schemars' `uint32` etc. are stripped).
    fn formats(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                if let (Some(Value::String(f)), Some(t)) = (m.get("format"), m.get("type"))
                    && t.to_string().contains("integer")
                {
                    out.push(f.clone());
                }
                m.values().for_each(|v| formats(v, out));
            }
            Value::Array(a) => a.iter().for_each(|v| formats(v, out)),
            _ => {}
        }
    }
    for t in CATALOG {
        let mut found = Vec::new();
        formats(&t.input_schema(), &mut found);
        formats(&t.output_schema(), &mut found);
        assert!(
            found.iter().all(|f| f == "int32" || f == "int64"),
            "{}: {found:?}",
            t.name()
        );
    }
    // Tools that take workout text carry the syntax cheat-sheet: the parser's own.
    let sheet = paceline_core::structure::icu_text::CHEAT_SHEET;
    for needle in [
        "Main set 3x",
        "400mtr",
        "m = MINUTES",
        "no nesting",
        "5:00/km Pace",
    ] {
        assert!(sheet.contains(needle), "{needle} missing from {sheet}");
    }
    for name in [
        "add_or_update_event",
        "add_events_bulk",
        "create_library_workout",
    ] {
        let d = find(name).unwrap().description();
        assert!(
            d.contains(sheet),
            "{name}: the cheat-sheet missing from {d}"
        );
    }
    assert_eq!(
        paceline_core::tools::intervals::WORKOUT_TEXT_CHEAT_SHEET,
        sheet
    );
}

#[test]
fn an_icu_tool_without_an_icu_client_says_how_to_connect() {
    let ctx = ToolContext::new(no_tp(clock()));
    let tool = find("get_events").unwrap();
    let e = block_on(tool.call(&ctx, json!({}))).unwrap_err();
    assert!(!e.is_invalid_params());
    let msg = e.to_string();
    assert!(msg.contains("Intervals.icu is not connected"), "{msg}");
    assert!(msg.contains("API_KEY"), "{msg}");
}

#[test]
fn icu_invalid_input_is_invalid_params_and_other_icu_errors_are_tool_errors() {
    let bad = ToolError::Icu(IcuError::InvalidInput {
        field: "x".into(),
        message: "y".into(),
    });
    assert!(bad.is_invalid_params());
    let refused = ToolError::Icu(IcuError::RateLimited { retry_after: None });
    assert!(!refused.is_invalid_params());
}

#[test]
fn every_tool_rejects_an_unknown_key_and_a_bad_athlete_id_naming_them() {
    let env = env();
    for t in CATALOG {
        let e = block_on(t.call(&env.ctx, json!({"zzUnknown": 1}))).unwrap_err();
        match &e {
            ToolError::InvalidArgs { field, message } => {
                assert_eq!(field, "zzUnknown", "{}: {message}", t.name());
                assert!(
                    message.contains("unknown argument"),
                    "{}: {message}",
                    t.name()
                );
            }
            other => panic!("{}: {other:?}", t.name()),
        }
        if t.input_schema()["properties"].get("athlete_id").is_some() {
            let e = t.validate(&json!({"athlete_id": "bob"})).unwrap_err();
            match &e {
                ToolError::InvalidArgs { field, .. } => {
                    assert_eq!(field, "athlete_id", "{}", t.name())
                }
                other => panic!("{}: {other:?}", t.name()),
            }
        }
    }
    assert!(
        env.sb.requests().is_empty(),
        "argument errors must be caught before any request"
    );
}

#[test]
fn bad_arguments_name_the_field() {
    let env = env();
    let cases = [
        (
            "get_activities",
            json!({"start_date": "21/11/2026"}),
            "start_date",
        ),
        ("get_activities", json!({"limit": 0}), "limit"),
        (
            "get_events",
            json!({"start_date": "2026-11-21", "end_date": "2026-11-01"}),
            "end_date",
        ),
        ("get_events", json!({"category": ["WORKOUTS"]}), "category"),
        ("get_activity_details", json!({}), "activity_id"),
        (
            "get_activity_details",
            json!({"activity_id": "../athlete"}),
            "activity_id",
        ),
        (
            "get_activity_streams",
            json!({"activity_id": "i1", "points": 1}),
            "points",
        ),
        (
            "get_activity_streams",
            json!({"activity_id": "i1", "stream_types": "watts,a b"}),
            "stream_types",
        ),
        ("get_event_by_id", json!({"event_id": 0}), "event_id"),
        ("add_or_update_event", json!({"name": "x"}), "workout_type"),
        (
            "add_or_update_event",
            json!({"name": "x", "workout_type": "Ride ride"}),
            "workout_type",
        ),
        (
            "add_or_update_event",
            json!({"name": "x", "workout_type": "Ride", "moving_time": -5}),
            "moving_time",
        ),
        (
            "add_or_update_note",
            json!({"name": "x", "description": "y", "color": ""}),
            "color",
        ),
        (
            "delete_events_by_date_range",
            json!({"start_date": "2026-11-21"}),
            "end_date",
        ),
        (
            "delete_events_by_date_range",
            json!({"start_date": "2026-11-21", "end_date": "2026-11-22", "category": []}),
            "category",
        ),
        (
            "add_activity_message",
            json!({"activity_id": "i1", "content": "  "}),
            "content",
        ),
        (
            "get_athlete_power_curves",
            json!({"start_date": "2026-01-01"}),
            "end_date",
        ),
        (
            "get_athlete_power_curves",
            json!({"indoor_outdoor": "inside"}),
            "indoor_outdoor",
        ),
        (
            "create_custom_item",
            json!({"name": "x", "item_type": "CHART"}),
            "item_type",
        ),
        (
            "create_custom_item",
            json!({"name": "x", "item_type": "ZONES", "content": "[1]"}),
            "content",
        ),
        ("update_custom_item", json!({"item_id": 3}), "update"),
    ];
    for (tool, args, field) in cases {
        match env.call(tool, args.clone()) {
            Err(ToolError::InvalidArgs { field: f, message }) => {
                assert_eq!(f, field, "{tool} {args}: {message}")
            }
            Err(ToolError::Icu(IcuError::InvalidInput { field: f, message })) => {
                assert_eq!(f, field, "{tool} {args}: {message}")
            }
            other => panic!("{tool} {args}: expected an error naming {field}, got {other:?}"),
        }
    }
    assert!(env.writes().is_empty());
}

/// The newest activity of the sample athlete, through get_activities.
fn an_activity(env: &Env) -> String {
    let out = env.ok("get_activities", json!({"limit": 5}));
    let acts = out.structured["activities"].as_array().unwrap();
    assert!(!acts.is_empty(), "{}", out.text);
    let id = acts[0]["id"].as_str().unwrap().to_string();
    assert!(out.text.contains(&id), "{}", out.text);
    id
}

#[test]
fn activity_reads_against_the_sandbox() {
    let env = env();
    let out = env.ok("get_activities", json!({"start_date": "2026-10-01", "end_date": "2026-11-21", "limit": 3, "athlete_id": "i184512"}));
    assert!(
        out.text
            .contains("activities from 2026-10-01 to 2026-11-21"),
        "{}",
        out.text
    );
    assert!(out.structured["activities"].as_array().unwrap().len() <= 3);
    let req = env.sb.requests().into_iter().last().unwrap();
    assert!(
        req.path.contains("/athlete/i184512/activities"),
        "{}",
        req.path
    );
    assert!(req.path.contains("limit=3"), "{}", req.path);

    let id = an_activity(&env);
    let out = env.ok("get_activity_details", json!({"activity_id": id}));
    assert_eq!(out.structured["activity"]["id"], json!(id));
    assert!(out.text.contains(&id), "{}", out.text);
    assert!(out.structured["stream_types"].is_array());

    let out = env.ok("get_activity_intervals", json!({"activity_id": id}));
    assert_eq!(out.structured["activity_id"], json!(id));
    assert!(out.structured["intervals"].is_array());
    assert!(out.text.contains(&id), "{}", out.text);

    let out = env.ok("get_activity_messages", json!({"activity_id": id}));
    assert!(out.structured["messages"].is_array());
}

#[test]
fn streams_are_summarised_under_16_kb_by_default_and_more_can_be_asked_for() {
    let env = env();
    let id = an_activity(&env);
    let out = env.ok("get_activity_streams", json!({"activity_id": id}));
    let size = out.text.len() + out.structured.to_string().len();
    assert!(size < 16 * 1024, "default output is {size} bytes");
    let streams = out.structured["streams"].as_array().unwrap();
    assert!(!streams.is_empty(), "{}", out.text);
    let total = out.structured["total_samples"].as_u64().unwrap();
    assert!(total > 100, "{total}");
    for s in streams {
        let series = s["series"].as_array().unwrap();
        assert!(series.len() <= 60 && series.len() >= 10, "{s}");
        assert_eq!(
            s["count"].as_u64().unwrap(),
            total.min(s["count"].as_u64().unwrap())
        );
        let (min, max, avg) = (s["min"].as_f64(), s["max"].as_f64(), s["avg"].as_f64());
        if let (Some(min), Some(max), Some(avg)) = (min, max, avg) {
            assert!(min <= avg && avg <= max, "{s}");
        }
    }
    assert!(
        out.text.contains("points=N"),
        "the text says how to ask for more: {}",
        out.text
    );
    assert!(out.text.contains("start_index/end_index"), "{}", out.text);

    // More points, one stream, a window.
    let out = env.ok(
        "get_activity_streams",
        json!({"activity_id": id, "stream_types": "time,heartrate,nosuch", "points": 200, "start_index": 10, "end_index": 409}),
    );
    assert_eq!(out.structured["start_index"], json!(10));
    assert_eq!(out.structured["end_index"], json!(409));
    let hr = out.structured["streams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["type"] == "heartrate")
        .expect("heartrate stream");
    assert_eq!(hr["count"], json!(400));
    assert_eq!(hr["series"].as_array().unwrap().len(), 200);
    assert_eq!(out.structured["missing"], json!(["nosuch"]));
    let time = out.structured["streams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["type"] == "time")
        .expect("time stream");
    // `time` keeps each bucket's first value: the window starts at sample 10.
    assert_eq!(time["series"][0], time["min"]);
    let req = env.sb.requests().into_iter().last().unwrap();
    assert!(
        req.path.ends_with("/streams?types=time,heartrate,nosuch"),
        "{}",
        req.path
    );
}

#[test]
fn calendar_reads_and_writes_against_the_sandbox() {
    let env = env();
    let out = env.ok(
        "get_events",
        json!({"start_date": "2026-11-01", "end_date": "2026-12-31"}),
    );
    let events = out.structured["events"].as_array().unwrap().clone();
    assert!(!events.is_empty(), "{}", out.text);
    let first = events[0]["id"].as_i64().unwrap();
    let out = env.ok("get_event_by_id", json!({"event_id": first}));
    assert_eq!(out.structured["event"]["id"], json!(first));
    // The documented plural path, not the seed's singular one.
    let req = env.sb.requests().into_iter().last().unwrap();
    assert!(
        req.path.ends_with(&format!("/athlete/0/events/{first}")),
        "{}",
        req.path
    );

    let on_25th = |env: &Env| {
        env.ok(
            "get_events",
            json!({"start_date": "2026-11-25", "end_date": "2026-11-25"}),
        )
        .structured["events"]
            .as_array()
            .unwrap()
            .len()
    };
    let seeded = on_25th(&env);
    // Create a workout from workout text: the server computes its duration.
    let text = "Warmup\n- 10m 55%\n\nMain Set 3x\n- 5m 100%\n- 3m 50%\n\nCooldown\n- 10m 50%";
    let out = env.ok(
        "add_or_update_event",
        json!({"workout_type": "Ride", "name": "3x5", "start_date": "2026-11-25", "description": text}),
    );
    assert_eq!(out.structured["created"], json!(true));
    assert_eq!(out.structured["dry_run"], json!(false));
    let ev = &out.structured["event"];
    let id = ev["id"].as_i64().unwrap();
    assert_eq!(ev["category"], json!("WORKOUT"));
    assert_eq!(ev["start_local"], json!("2026-11-25T00:00:00"));
    assert_eq!(ev["moving_time_s"], json!(44 * 60), "{ev}");
    assert!(
        out.text
            .starts_with("Created event: 2026-11-25 WORKOUT Ride 3x5"),
        "{}",
        out.text
    );

    // Update changes only what is given (the date stays).
    let out = env.ok(
        "add_or_update_event",
        json!({"event_id": id, "workout_type": "Ride", "name": "3x5 hard"}),
    );
    assert_eq!(out.structured["created"], json!(false));
    assert_eq!(
        out.structured["event"]["start_local"],
        json!("2026-11-25T00:00:00")
    );
    assert_eq!(out.structured["event"]["name"], json!("3x5 hard"));

    // A note, default today and green.
    let out = env.ok(
        "add_or_update_note",
        json!({"name": "Travel", "description": "Flight at 9"}),
    );
    let note = out.structured["event"]["id"].as_i64().unwrap();
    assert_eq!(out.structured["request"]["body"]["color"], json!("green"));
    assert_eq!(
        out.structured["request"]["body"]["start_date_local"],
        json!("2026-11-21T00:00:00")
    );

    // Dry runs send nothing.
    let before = env.writes().len();
    let out = env.ok("delete_event", json!({"event_id": note, "dry_run": true}));
    assert_eq!(out.structured["deleted"], json!(false));
    assert!(
        out.text.starts_with("Dry run: nothing was sent."),
        "{}",
        out.text
    );
    assert_eq!(env.writes().len(), before);
    env.ok("delete_event", json!({"event_id": note}));
    assert!(matches!(
        env.call("get_event_by_id", json!({"event_id": note})),
        Err(ToolError::Icu(IcuError::NotFound { .. }))
    ));

    // A range: one DELETE, reporting what went.
    let out = env.ok(
        "delete_events_by_date_range",
        json!({"start_date": "2026-11-25", "end_date": "2026-11-25", "dry_run": true}),
    );
    assert_eq!(
        out.structured["events"].as_array().unwrap().len(),
        seeded + 1
    );
    assert_eq!(env.writes().len(), before + 1);
    let out = env.ok(
        "delete_events_by_date_range",
        json!({"start_date": "2026-11-25", "end_date": "2026-11-25"}),
    );
    assert_eq!(out.structured["deleted"], json!(seeded + 1));
    assert_eq!(
        env.writes().len(),
        before + 2,
        "one DELETE for the whole range"
    );
    assert!(
        env.ok(
            "get_events",
            json!({"start_date": "2026-11-25", "end_date": "2026-11-25"})
        )
        .structured["events"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn wellness_curves_gear_and_custom_items_against_the_sandbox() {
    let env = env();
    let out = env.ok(
        "get_wellness_data",
        json!({"start_date": "2026-11-14", "end_date": "2026-11-20"}),
    );
    let days = out.structured["days"].as_array().unwrap();
    assert_eq!(days.len(), 7, "{}", out.text);
    assert_eq!(days[0]["date"], json!("2026-11-14"));
    assert!(days.iter().all(|d| d.get("other").is_none()));
    assert!(out.text.contains("2026-11-20:"), "{}", out.text);
    let all = env.ok(
        "get_wellness_data",
        json!({"start_date": "2026-11-20", "end_date": "2026-11-20", "include_all_fields": true}),
    );
    assert_eq!(all.structured["days"].as_array().unwrap().len(), 1);

    let out = env.ok(
        "get_athlete_power_curves",
        json!({"durations": [5, 60, 1200]}),
    );
    let curves = out.structured["curves"].as_array().unwrap();
    assert!(!curves.is_empty(), "{}", out.text);
    let pts = curves[0]["points"].as_array().unwrap();
    assert_eq!(
        pts.iter()
            .map(|p| p["x"].as_f64().unwrap())
            .collect::<Vec<_>>(),
        vec![5.0, 60.0, 1200.0]
    );
    assert!(out.text.contains("1m: "), "{}", out.text);
    let req = env.sb.requests().into_iter().last().unwrap();
    assert!(
        req.path.contains("power-curves?type=Ride&curves=s0,s1"),
        "{}",
        req.path
    );

    let out = env.ok("get_gear_list", json!({"refresh": true}));
    assert!(
        !out.structured["gear"].as_array().unwrap().is_empty(),
        "{}",
        out.text
    );

    let out = env.ok("get_custom_items", json!({}));
    let before = out.structured["items"].as_array().unwrap().len();
    let out = env.ok(
        "create_custom_item",
        json!({"name": "Legs", "item_type": "INPUT_FIELD", "content": "{\"fieldId\":\"Legs\"}", "visibility": "PRIVATE"}),
    );
    let id = out.structured["item"]["id"].as_i64().unwrap();
    assert_eq!(
        out.structured["item"]["content"],
        json!({"fieldId": "Legs"})
    );
    assert_eq!(
        env.ok("get_custom_items", json!({})).structured["items"]
            .as_array()
            .unwrap()
            .len(),
        before + 1
    );
    let out = env.ok(
        "update_custom_item",
        json!({"item_id": id, "name": "Leg feel"}),
    );
    assert_eq!(out.structured["item"]["name"], json!("Leg feel"));
    let out = env.ok("get_custom_item_by_id", json!({"item_id": id}));
    assert_eq!(out.structured["item"]["name"], json!("Leg feel"));
    assert!(out.text.contains("\"fieldId\""), "{}", out.text);
    env.ok("delete_custom_item", json!({"item_id": id}));
    assert_eq!(
        env.ok("get_custom_items", json!({})).structured["items"]
            .as_array()
            .unwrap()
            .len(),
        before
    );
}

#[test]
fn add_activity_message_against_the_sandbox() {
    let env = env();
    let id = an_activity(&env);
    let out = env.ok(
        "add_activity_message",
        json!({"activity_id": id, "content": "Good ride"}),
    );
    assert!(out.structured["message_id"].is_i64(), "{}", out.structured);
    let msgs = env.ok("get_activity_messages", json!({"activity_id": id}));
    assert!(msgs.text.contains("Good ride"), "{}", msgs.text);
}

// ---- Exact requests, with a closure transport ----

type Sent = Arc<Mutex<Vec<HttpRequest>>>;

/// A context whose Intervals.icu transport records every request and answers from `reply`.
fn recording(reply: fn(&HttpRequest) -> Value) -> (ToolContext, Sent) {
    let sent: Sent = Arc::default();
    let s = sent.clone();
    let t = FnTransport(
        move |req: HttpRequest| -> Result<HttpResponse, TransportError> {
            let body = reply(&req);
            s.lock().unwrap().push(req);
            Ok(HttpResponse {
                status: 200,
                headers: vec![("content-type".into(), "application/json".into())],
                body: serde_json::to_vec(&body).unwrap(),
            })
        },
    );
    let clock = clock();
    let config = IcuConfig::new(
        None,
        paceline_core::intervals::IcuAuth::ApiKey(paceline_core::intervals::IcuSecret::new("k3y")),
        Some("i77"),
    )
    .unwrap();
    let icu = IcuClient::new(Arc::new(t), clock.clone(), config);
    (ToolContext::new(no_tp(clock)).with_icu(Arc::new(icu)), sent)
}

fn reply(req: &HttpRequest) -> Value {
    if req.method == Method::Get {
        json!([{"id": 41, "category": "WORKOUT", "start_date_local": "2026-11-22T00:00:00", "name": "Z2"}])
    } else if req.url.contains("/events/bulk") {
        json!([{"id": 51, "category": "WORKOUT"}])
    } else {
        json!({"id": 9, "name": "stored"})
    }
}

/// Calls `tool` with `args` plus `dry_run: true`, then without; checks the dry run sent
/// nothing, the real call sent exactly one write, equal to the dry run's `request` and to
/// `want` (method, path, body).
fn pin(tool: &str, args: Value, want: (Method, &str, Option<Value>)) {
    let (ctx, sent) = recording(reply);
    let t = find(tool).unwrap();
    let mut dry = args.clone();
    dry["dry_run"] = json!(true);
    let planned = block_on(t.call(&ctx, dry)).unwrap_or_else(|e| panic!("{tool} dry run: {e}"));
    let writes = |s: &Sent| -> Vec<HttpRequest> {
        s.lock()
            .unwrap()
            .iter()
            .filter(|r| r.method != Method::Get)
            .cloned()
            .collect()
    };
    assert!(
        writes(&sent).is_empty(),
        "{tool}: a dry run sent {:?}",
        writes(&sent)
    );
    assert_eq!(planned.structured["dry_run"], json!(true), "{tool}");
    assert!(
        planned.text.starts_with("Dry run: nothing was sent."),
        "{tool}: {}",
        planned.text
    );
    let plan = planned.structured["request"].clone();

    let done = block_on(t.call(&ctx, args)).unwrap_or_else(|e| panic!("{tool}: {e}"));
    assert_eq!(done.structured["dry_run"], json!(false), "{tool}");
    let w = writes(&sent);
    assert_eq!(w.len(), 1, "{tool}: {w:?}");
    let req = &w[0];
    let (method, path, body) = want;
    assert_eq!(req.method, method, "{tool}");
    assert_eq!(req.url, format!("https://intervals.icu{path}"), "{tool}");
    let sent_body: Option<Value> = req
        .body
        .as_deref()
        .map(|b| serde_json::from_slice(b).unwrap());
    assert_eq!(sent_body, body, "{tool}");
    assert_eq!(
        plan,
        json!({"method": method.to_string(), "path": path, "body": body}),
        "{tool}: the dry run must show exactly what is sent"
    );
    assert_eq!(done.structured["request"], plan, "{tool}");
    // The key went in the header, never into the plan.
    assert!(
        req.headers
            .iter()
            .any(|(k, v)| k == "authorization" && v.starts_with("Basic "))
    );
    assert!(!planned.text.contains("Basic") && !planned.structured.to_string().contains("Basic"));
}

#[test]
fn every_write_sends_exactly_what_its_dry_run_shows() {
    pin(
        "add_activity_message",
        json!({"activity_id": "i555", "content": "Nice"}),
        (
            Method::Post,
            "/api/v1/activity/i555/messages",
            Some(json!({"content": "Nice"})),
        ),
    );
    pin(
        "add_or_update_event",
        json!({"workout_type": "Ride", "name": "Sweet spot", "start_date": "2026-11-24",
               "description": "- 20m 90%", "indoor": true}),
        (
            Method::Post,
            "/api/v1/athlete/i77/events?upsertOnUid=false",
            Some(
                json!({"category": "WORKOUT", "start_date_local": "2026-11-24T00:00:00", "type": "Ride",
                        "name": "Sweet spot", "description": "- 20m 90%", "indoor": true}),
            ),
        ),
    );
    pin(
        "add_or_update_event",
        json!({"event_id": 41, "workout_type": "Run", "name": "Tempo", "athlete_id": 12}),
        (
            Method::Put,
            "/api/v1/athlete/i12/events/41",
            Some(json!({"type": "Run", "name": "Tempo"})),
        ),
    );
    pin(
        "add_or_update_note",
        json!({"name": "Rest", "description": "Legs tired"}),
        (
            Method::Post,
            "/api/v1/athlete/i77/events?upsertOnUid=false",
            Some(
                json!({"category": "NOTE", "start_date_local": "2026-11-21T00:00:00", "name": "Rest",
                        "description": "Legs tired", "color": "green"}),
            ),
        ),
    );
    pin(
        "add_or_update_note",
        json!({"event_id": 41, "name": "Rest", "description": "Legs ok", "athlete_id": "0"}),
        (
            Method::Put,
            "/api/v1/athlete/0/events/41",
            Some(json!({"category": "NOTE", "name": "Rest", "description": "Legs ok"})),
        ),
    );
    pin(
        "delete_event",
        json!({"event_id": 41}),
        (Method::Delete, "/api/v1/athlete/i77/events/41", None),
    );
    pin(
        "delete_events_by_date_range",
        json!({"start_date": "2026-11-22", "end_date": "2026-11-23", "category": ["WORKOUT", "NOTE"]}),
        (
            Method::Delete,
            "/api/v1/athlete/i77/events?oldest=2026-11-22&newest=2026-11-23&category=WORKOUT,NOTE",
            None,
        ),
    );
    pin(
        "create_custom_item",
        json!({"name": "Legs", "item_type": "INPUT_FIELD", "content": {"a": 1}}),
        (
            Method::Post,
            "/api/v1/athlete/i77/custom-item",
            Some(json!({"type": "INPUT_FIELD", "name": "Legs", "content": {"a": 1}})),
        ),
    );
    pin(
        "update_custom_item",
        json!({"item_id": 9, "visibility": "PUBLIC"}),
        (
            Method::Put,
            "/api/v1/athlete/i77/custom-item/9",
            Some(json!({"visibility": "PUBLIC"})),
        ),
    );
    pin(
        "delete_custom_item",
        json!({"item_id": 9}),
        (Method::Delete, "/api/v1/athlete/i77/custom-item/9", None),
    );
}

#[test]
fn a_write_whose_outcome_is_unknown_says_check_before_retrying() {
    let sent: Sent = Arc::default();
    let s = sent.clone();
    let t = FnTransport(
        move |req: HttpRequest| -> Result<HttpResponse, TransportError> {
            s.lock().unwrap().push(req);
            Ok(HttpResponse {
                status: 503,
                headers: vec![],
                body: vec![],
            })
        },
    );
    let clock = clock();
    let icu = IcuClient::new(Arc::new(t), clock.clone(), IcuConfig::default());
    let ctx = ToolContext::new(no_tp(clock)).with_icu(Arc::new(icu));
    let e = block_on(
        find("delete_event")
            .unwrap()
            .call(&ctx, json!({"event_id": 3})),
    )
    .unwrap_err();
    assert!(
        matches!(e, ToolError::Icu(IcuError::WriteOutcomeUnknown { .. })),
        "{e:?}"
    );
    assert!(e.to_string().contains("before retrying"), "{e}");
    assert_eq!(sent.lock().unwrap().len(), 1, "not retried");
}

// ---- Beyond the seed ----

#[test]
fn profile_sport_settings_wellness_and_fitness_against_the_sandbox() {
    let env = env();
    let out = env.ok("get_athlete_profile", json!({}));
    let settings = out.structured["sport_settings"].as_array().unwrap();
    let ride = settings
        .iter()
        .find(|s| s["types"].as_array().unwrap().contains(&json!("Ride")))
        .expect("Ride settings");
    assert!(ride["ftp"].as_f64().unwrap() > 0.0, "{ride}");
    assert!(out.text.contains("FTP"), "{}", out.text);
    assert!(!out.structured.to_string().contains("icu_api_key"));

    let out = env.ok("update_sport_settings", json!({"ftp": 301, "lthr": 170}));
    assert_eq!(out.structured["settings"]["ftp"], json!(301.0));
    let again = env.ok("get_athlete_profile", json!({}));
    assert!(again.text.contains("FTP 301 W"), "{}", again.text);

    let out = env.ok(
        "add_or_update_wellness",
        json!({"date": "2026-11-21", "weight": 70.5, "sleep_hours": 7.5, "soreness": 2, "comments": "ok"}),
    );
    assert_eq!(out.structured["day"]["weight"], json!(70.5));
    assert_eq!(out.structured["day"]["sleep_hours"], json!(7.5));
    let day = env.ok(
        "get_wellness_data",
        json!({"start_date": "2026-11-21", "end_date": "2026-11-21"}),
    );
    assert_eq!(day.structured["days"][0]["soreness"], json!(2));
    assert_eq!(day.structured["days"][0]["comments"], json!("ok"));

    let out = env.ok(
        "get_fitness",
        json!({"start_date": "2026-10-01", "end_date": "2026-11-20"}),
    );
    let days = out.structured["days"].as_array().unwrap();
    assert_eq!(days.len(), 51, "{}", out.text);
    let d = &days[50];
    assert_eq!(d["date"], json!("2026-11-20"));
    let (ctl, atl, form) = (
        d["ctl"].as_f64().unwrap(),
        d["atl"].as_f64().unwrap(),
        d["form"].as_f64().unwrap(),
    );
    assert!((ctl - atl - form).abs() < 0.11, "{d}");
    // Over six weeks the text shows a row a week (days 0, 7, … 49) and the last day.
    assert_eq!(out.text.lines().count(), 1 + 8 + 1, "{}", out.text);
}

#[test]
fn hr_and_pace_curves_against_the_sandbox() {
    let env = env();
    let out = env.ok("get_athlete_hr_curves", json!({"durations": [60, 1200]}));
    let curves = out.structured["curves"].as_array().unwrap();
    assert!(!curves.is_empty(), "{}", out.text);
    assert!(out.text.contains(" bpm"), "{}", out.text);
    let req = env.sb.requests().into_iter().last().unwrap();
    assert!(
        req.path.contains("/hr-curves?type=Ride&curves=s0,s1"),
        "{}",
        req.path
    );

    // A distance the curve does not reach gets no point (not the longest one it has).
    let out = env.ok(
        "get_athlete_pace_curves",
        json!({"distances": [1609, 5000, 42195]}),
    );
    let first = &out.structured["curves"][0];
    let xs: Vec<f64> = first["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["x"].as_f64().unwrap())
        .collect();
    assert_eq!(xs, vec![1609.344, 5000.0], "{}", out.text);
    assert!(out.text.contains("/km)"), "{}", out.text);
    let out = env.ok(
        "get_athlete_pace_curves",
        json!({"distances": [1000, 5000], "gap": true, "this_season": false, "last_season": false}),
    );
    assert!(out.structured["curves"].is_array(), "{}", out.text);
    let req = env.sb.requests().into_iter().last().unwrap();
    assert!(
        req.path
            .contains("/pace-curves?type=Run&curves=1y&gap=true"),
        "{}",
        req.path
    );
}

#[test]
fn update_activity_bulk_events_and_library_against_the_sandbox() {
    let env = env();
    let id = an_activity(&env);
    let out = env.ok(
        "update_activity",
        json!({"activity_id": id, "name": "Hill repeats", "rpe": 7, "feel": 2}),
    );
    assert_eq!(out.structured["activity"]["name"], json!("Hill repeats"));
    assert_eq!(out.structured["activity"]["rpe"], json!(7));
    let details = env.ok("get_activity_details", json!({"activity_id": id}));
    assert_eq!(details.structured["activity"]["feel"], json!(2));

    let events = json!([
        {"start_date": "2026-12-01", "name": "Endurance", "workout_type": "Ride", "description": "- 90m 65%"},
        {"start_date": "2026-12-03", "name": "Threshold", "workout_type": "Ride", "description": "Main Set 2x\n- 20m 95%\n- 5m 50%"}
    ]);
    let out = env.ok("add_events_bulk", json!({"events": events}));
    let made = out.structured["events"].as_array().unwrap();
    assert_eq!(made.len(), 2, "{}", out.text);
    assert_eq!(made[0]["moving_time_s"], json!(90 * 60));
    // The same call again adds nothing: both are on the calendar.
    let before = env.writes().len();
    let out = env.ok("add_events_bulk", json!({"events": events}));
    assert_eq!(
        out.structured["skipped"].as_array().unwrap().len(),
        2,
        "{}",
        out.text
    );
    assert!(out.structured["request"].is_null());
    assert_eq!(env.writes().len(), before, "a duplicate is not sent");
    // Upsert by external_id updates instead of adding.
    let up = json!([{"start_date": "2026-12-05", "name": "Long run", "workout_type": "Run", "external_id": "plan-1"}]);
    env.ok("add_events_bulk", json!({"events": up, "upsert": true}));
    let up = json!([{"start_date": "2026-12-05", "name": "Longer run", "workout_type": "Run", "external_id": "plan-1"}]);
    env.ok("add_events_bulk", json!({"events": up, "upsert": true}));
    let day = env.ok(
        "get_events",
        json!({"start_date": "2026-12-05", "end_date": "2026-12-05"}),
    );
    let names: Vec<&Value> = day.structured["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["name"])
        .collect();
    assert_eq!(
        names
            .iter()
            .filter(|n| n.as_str().is_some_and(|s| s.contains("run")))
            .count(),
        1,
        "{names:?}"
    );

    let out = env.ok("get_workout_library", json!({}));
    let folders = out.structured["folders"].as_array().unwrap();
    assert!(!folders.is_empty(), "{}", out.text);
    let folder = folders[0]["id"].as_i64().unwrap();
    let n = folders[0]["workouts"].as_array().unwrap().len();
    let out = env.ok(
        "create_library_workout",
        json!({"folder_id": folder, "name": "VO2 5x3", "workout_type": "Ride", "description": "Main Set 5x\n- 3m 120%\n- 3m 50%"}),
    );
    assert!(out.structured["workout_id"].is_i64(), "{}", out.structured);
    let lib = env.ok(
        "get_workout_library",
        json!({"folder_id": folder, "include_descriptions": true}),
    );
    assert_eq!(
        lib.structured["folders"][0]["workouts"]
            .as_array()
            .unwrap()
            .len(),
        n + 1
    );
    assert!(lib.text.contains("VO2 5x3"), "{}", lib.text);
    // Schedule it: an event with the workout's name, sport and text.
    let wid = out.structured["workout_id"].as_i64().unwrap();
    let out = env.ok(
        "schedule_library_workout",
        json!({"workout_id": wid, "start_date": "2026-12-09"}),
    );
    let ev = &out.structured["event"];
    assert_eq!(ev["name"], json!("VO2 5x3"));
    assert_eq!(ev["sport"], json!("Ride"));
    assert_eq!(ev["description"], json!("Main Set 5x\n- 3m 120%\n- 3m 50%"));
    assert_eq!(ev["moving_time_s"], json!(30 * 60), "{}", out.text);
    assert!(matches!(
        env.call("schedule_library_workout", json!({"workout_id": 123456, "start_date": "2026-12-09"})),
        Err(ToolError::InvalidArgs { ref field, .. }) if field == "workout_id"
    ));
}

#[test]
fn every_additional_write_sends_exactly_what_its_dry_run_shows() {
    pin(
        "update_sport_settings",
        json!({"sport": "Run", "threshold_pace": 4.2, "max_hr": 188, "recalc_hr_zones": true}),
        (
            Method::Put,
            "/api/v1/athlete/i77/sport-settings/Run?recalcHrZones=true",
            Some(json!({"max_hr": 188, "threshold_pace": 4.2})),
        ),
    );
    pin(
        "add_or_update_wellness",
        json!({"weight": 71.2, "resting_hr": 48, "hrv": 62.0, "sleep_hours": 8, "mood": 1, "steps": 9000}),
        (
            Method::Put,
            "/api/v1/athlete/i77/wellness/2026-11-21",
            Some(
                json!({"id": "2026-11-21", "weight": 71.2, "restingHR": 48, "hrv": 62.0, "sleepSecs": 28800,
                        "mood": 1, "steps": 9000}),
            ),
        ),
    );
    pin(
        "update_activity",
        json!({"activity_id": "i555", "description": "windy", "gear_id": "b12"}),
        (
            Method::Put,
            "/api/v1/activity/i555",
            Some(json!({"description": "windy", "gear": {"id": "b12"}})),
        ),
    );
    pin(
        "add_events_bulk",
        json!({"events": [{"start_date": "2026-11-22", "name": "Z2", "workout_type": "Ride"},
                          {"start_date": "2026-11-23", "name": "Tempo", "workout_type": "Ride", "description": "- 30m 85%"}]}),
        (
            Method::Post,
            "/api/v1/athlete/i77/events/bulk?upsert=false&upsertOnUid=false&updatePlanApplied=false",
            // The first is already on the calendar (the reply's GET), so only the second goes.
            Some(
                json!([{"category": "WORKOUT", "start_date_local": "2026-11-23T00:00:00", "type": "Ride",
                         "name": "Tempo", "description": "- 30m 85%"}]),
            ),
        ),
    );
    pin(
        "schedule_library_workout",
        json!({"workout_id": 41, "start_date": "2026-12-01"}),
        (
            Method::Post,
            "/api/v1/athlete/i77/events?upsertOnUid=false",
            Some(
                json!({"category": "WORKOUT", "start_date_local": "2026-12-01T00:00:00", "name": "Z2"}),
            ),
        ),
    );
    pin(
        "create_library_workout",
        json!({"folder_id": 5, "name": "Openers", "workout_type": "Ride", "description": "- 3x1m 110%", "tags": ["race"]}),
        (
            Method::Post,
            "/api/v1/athlete/i77/workouts",
            Some(
                json!({"folder_id": 5, "name": "Openers", "type": "Ride", "description": "- 3x1m 110%", "tags": ["race"]}),
            ),
        ),
    );
}

#[test]
fn additional_tools_name_bad_fields() {
    let env = env();
    let cases = [
        ("update_sport_settings", json!({}), "update"),
        ("update_sport_settings", json!({"ftp": 0}), "ftp"),
        (
            "update_sport_settings",
            json!({"hr_zones": [150, 140]}),
            "hr_zones",
        ),
        (
            "add_or_update_wellness",
            json!({"sleep_hours": 30}),
            "sleep_hours",
        ),
        ("add_or_update_wellness", json!({"mood": 5}), "mood"),
        ("add_or_update_wellness", json!({}), "update"),
        ("get_fitness", json!({"sport": "Ride/.."}), "sport"),
        (
            "update_activity",
            json!({"activity_id": "i1", "rpe": 11}),
            "rpe",
        ),
        ("update_activity", json!({"activity_id": "i1"}), "update"),
        ("add_events_bulk", json!({"events": []}), "events"),
        (
            "add_events_bulk",
            json!({"events": [{"start_date": "2026-11-22", "name": "x", "catgory": "NOTE"}]}),
            "events[0].catgory",
        ),
        (
            "add_events_bulk",
            json!({"events": [{"start_date": "2026-11-22", "name": "x"}], "upsert": true}),
            "events[0].external_id",
        ),
        (
            "add_events_bulk",
            json!({"events": [{"start_date": "2026-11-22", "name": " "}]}),
            "events[0].name",
        ),
        (
            "create_library_workout",
            json!({"folder_id": 0, "name": "x", "workout_type": "Ride"}),
            "folder_id",
        ),
        (
            "get_athlete_pace_curves",
            json!({"distances": []}),
            "distances",
        ),
        ("get_workout_library", json!({"folder_id": -1}), "folder_id"),
    ];
    for (tool, args, field) in cases {
        match env.call(tool, args.clone()) {
            Err(ToolError::InvalidArgs { field: f, message }) => {
                assert_eq!(f, field, "{tool} {args}: {message}")
            }
            Err(ToolError::Icu(IcuError::InvalidInput { field: f, message })) => {
                assert_eq!(f, field, "{tool} {args}: {message}")
            }
            other => panic!("{tool} {args}: expected an error naming {field}, got {other:?}"),
        }
    }
    assert!(env.writes().is_empty());
}

#[test]
fn seven_long_noisy_streams_still_fit_in_16_kb_by_default() {
    // Four hours at 1 Hz of every default stream, with values that do not round short.
    fn reply(req: &HttpRequest) -> Value {
        assert!(req.url.contains("/streams?types="), "{}", req.url);
        let n = 4 * 3600;
        let kinds = [
            "time",
            "watts",
            "heartrate",
            "cadence",
            "altitude",
            "distance",
            "velocity_smooth",
        ];
        Value::Array(
            kinds
                .iter()
                .enumerate()
                .map(|(k, kind)| {
                    let data: Vec<Value> = (0..n)
                        .map(|i| {
                            if i % 97 == 0 {
                                Value::Null
                            } else {
                                json!(1234.567 + (i as f64 * 7.31 + k as f64).sin() * 321.123)
                            }
                        })
                        .collect();
                    json!({"type": kind, "name": kind, "data": data})
                })
                .collect(),
        )
    }
    let (ctx, _) = recording(reply);
    let out = block_on(
        find("get_activity_streams")
            .unwrap()
            .call(&ctx, json!({"activity_id": "i9"})),
    )
    .unwrap();
    let size = out.text.len() + out.structured.to_string().len();
    assert!(size < 16 * 1024, "default output is {size} bytes");
    let streams = out.structured["streams"].as_array().unwrap();
    assert_eq!(streams.len(), 7);
    assert!(
        streams.iter().all(
            |s| s["series"].as_array().unwrap().len() == 60 && s["nulls"].as_u64().unwrap() > 0
        )
    );
    // Asking for more gives more.
    let out = block_on(find("get_activity_streams").unwrap().call(
        &ctx,
        json!({"activity_id": "i9", "stream_types": "watts", "points": 2000}),
    ))
    .unwrap();
    assert_eq!(
        out.structured["streams"][0]["series"]
            .as_array()
            .unwrap()
            .len(),
        2000
    );
}
