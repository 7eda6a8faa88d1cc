//! Library (tools 49–59) and strength (60–61) tools against the sandbox, and the exact
//! requests for library item create, library schedule and strength save.

use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use futures_executor::block_on;
use paceline_core::clock::ManualClock;
use paceline_core::http::{FnTransport, HttpRequest, HttpResponse, Method};
use paceline_core::sandbox::{SAMPLE_ATHLETE_ID, SAMPLE_COOKIE, Sandbox, SandboxTransport};
use paceline_core::tools::{self, ToolContext, ToolError, ToolOutput};
use paceline_core::trainingpeaks::{Api, TpClient, TpError};
use serde_json::{Value, json};

// Seeded ids (sandbox/library.rs, sandbox/strength.rs).
const BIKE_LIB: i64 = 880_001;
const RUN_LIB: i64 = 880_002;
const STRENGTH_LIB: i64 = 880_003;
const DEFAULT_LIB: i64 = 880_100;
const BIKE_2X20: i64 = 8_800_101;
const STRENGTH_DONE: &str = "19400001";

struct Env {
    sandbox: Arc<Sandbox>,
    ctx: ToolContext,
}

fn env() -> Env {
    let clock = Arc::new(ManualClock::at_date(
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
    ));
    let sandbox = Arc::new(Sandbox::new(clock.clone()));
    let client = TpClient::new(Arc::new(SandboxTransport::new(sandbox.clone())), clock);
    Env {
        sandbox,
        ctx: ToolContext::new(Arc::new(client)),
    }
}

impl Env {
    fn call(&self, name: &str, args: Value) -> Result<ToolOutput, ToolError> {
        block_on(tools::call(&self.ctx, name, args))
    }
    fn ok(&self, name: &str, args: Value) -> ToolOutput {
        self.call(name, args)
            .unwrap_or_else(|e| panic!("{name} failed: {e}"))
    }
    fn stored(&self, collection: &str, id: i64) -> Option<Value> {
        self.sandbox.with_state(|st| {
            st.collections
                .get(collection)
                .and_then(|c| c.get(&id))
                .cloned()
        })
    }
}

fn invalid_field(r: Result<ToolOutput, ToolError>) -> String {
    match r {
        Err(ToolError::InvalidArgs { field, .. }) => field,
        other => panic!("expected InvalidArgs, got {other:?}"),
    }
}

fn not_found_what(r: Result<ToolOutput, ToolError>) -> String {
    match r {
        Err(ToolError::Api(TpError::NotFound { what, .. })) => what,
        other => panic!("expected NotFound, got {other:?}"),
    }
}

#[test]
fn catalog_has_library_and_strength_tools_with_object_schemas() {
    let names = [
        "get_libraries",
        "get_library_items",
        "get_library_item",
        "create_library",
        "create_library_item",
        "schedule_library_workout",
        "update_library",
        "move_library_item",
        "update_library_item",
        "delete_library_item",
        "delete_library",
        "create_strength_workout",
        "get_strength_workout_summary",
    ];
    let positions: Vec<usize> = names
        .iter()
        .map(|n| tools::CATALOG.iter().position(|t| t.name() == *n).expect(n))
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "reference order: {positions:?}"
    );
    for n in names {
        let t = tools::find(n).unwrap();
        assert_eq!(t.input_schema()["type"], "object", "{n}");
        assert_eq!(t.output_schema()["type"], "object", "{n}");
        let a = t.annotations();
        let is_read = n.starts_with("get_");
        assert_eq!(a.read_only, is_read, "{n}");
        if n.starts_with("delete_") {
            assert!(a.destructive, "{n}");
        }
        if n.starts_with("create_") || n.starts_with("schedule_") {
            assert!(!a.idempotent, "{n}");
        }
    }
    let schema = tools::find("create_library_item").unwrap().input_schema();
    let dur = schema["properties"]["duration_hours"]["description"]
        .as_str()
        .unwrap();
    assert!(dur.contains("HOURS"), "{dur}");
}

#[test]
fn get_libraries_lists_own_then_default() {
    let e = env();
    let out = e.ok("get_libraries", json!({}));
    let libs = out.structured["libraries"].as_array().unwrap();
    let names: Vec<&str> = libs.iter().map(|l| l["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "Bike – Threshold",
            "Run – Speed",
            "Strength",
            "TrainingPeaks Essentials"
        ]
    );
    assert_eq!(libs[3]["is_default"], true);
    assert!(
        out.text.contains("## Your Libraries")
            && out.text.contains("## TrainingPeaks Default Libraries")
    );
    assert!(
        out.text
            .contains(&format!("ID: {BIKE_LIB}  Bike – Threshold"))
    );
}

#[test]
fn get_library_items_shows_planned_values_and_structure_summary() {
    let e = env();
    let out = e.ok("get_library_items", json!({"library_id": BIKE_LIB}));
    let items = out.structured["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    let two = items.iter().find(|i| i["item_id"] == BIKE_2X20).unwrap();
    assert_eq!(two["sport"], "Bike");
    assert_eq!(two["subtype_id"], 6);
    // 15 + 2×(20+5) + 10 minutes = 75 minutes.
    assert_eq!(two["duration_planned"], "1h 15m");
    assert!((two["duration_planned_hours"].as_f64().unwrap() - 1.25).abs() < 1e-9);
    assert_eq!(two["has_structure"], true);
    assert!(
        two.get("structure").is_none(),
        "lists carry only the summary"
    );
    assert!(out.text.starts_with("3 template(s):"), "{}", out.text);
    assert!(out.text.contains("2x20 Threshold") && out.text.contains("Duration: 1h 15m"));

    let strength = e.ok("get_library_items", json!({"library_id": STRENGTH_LIB}));
    assert_eq!(strength.structured["items"][0]["has_structure"], false);

    let what = not_found_what(e.call("get_library_items", json!({"library_id": 999})));
    assert_eq!(what, "Library 999");
    assert_eq!(
        invalid_field(e.call("get_library_items", json!({"library_id": -3}))),
        "library_id"
    );
    assert_eq!(
        invalid_field(e.call("get_library_items", json!({"library_id": "abc"}))),
        "library_id"
    );
}

#[test]
fn get_library_item_returns_the_structure() {
    let e = env();
    let out = e.ok(
        "get_library_item",
        json!({"library_id": BIKE_LIB, "item_id": BIKE_2X20}),
    );
    let s = &out.structured["structure"];
    assert_eq!(s["primaryIntensityMetric"], "percentOfFtp");
    assert_eq!(s["structure"][1]["type"], "repetition");
    assert_eq!(s["structure"][1]["length"]["value"], 2);
    assert!(out.text.contains("2x20 Threshold"));

    let what = not_found_what(e.call(
        "get_library_item",
        json!({"library_id": BIKE_LIB, "item_id": 1}),
    ));
    assert_eq!(what, format!("Library item 1 in library {BIKE_LIB}"));
    // The item exists, but not in that library.
    let what = not_found_what(e.call(
        "get_library_item",
        json!({"library_id": RUN_LIB, "item_id": BIKE_2X20}),
    ));
    assert!(what.contains(&format!("in library {RUN_LIB}")), "{what}");
}

#[test]
fn create_library_and_rename_and_delete() {
    let e = env();
    let out = e.ok("create_library", json!({"name": "  Bike – VO2max "}));
    let id = out.structured["library_id"].as_i64().unwrap();
    assert_eq!(out.structured["name"], "Bike – VO2max");
    assert_eq!(
        e.stored("libraries", id).unwrap()["isDefaultContent"],
        false
    );
    assert_eq!(
        invalid_field(e.call("create_library", json!({"name": "  "}))),
        "name"
    );
    assert_eq!(invalid_field(e.call("create_library", json!({}))), "name");

    let out = e.ok(
        "update_library",
        json!({"library_id": id, "name": "VO2 block"}),
    );
    assert!(out.text.contains("VO2 block"));
    assert_eq!(
        e.stored("libraries", id).unwrap()["libraryName"],
        "VO2 block"
    );
    assert_eq!(
        not_found_what(e.call("update_library", json!({"library_id": 4242, "name": "x"}))),
        "Library 4242"
    );
    // TrainingPeaks' default libraries are read-only.
    match e.call(
        "update_library",
        json!({"library_id": DEFAULT_LIB, "name": "mine"}),
    ) {
        Err(ToolError::Api(TpError::Status { status: 403, .. })) => {}
        other => panic!("{other:?}"),
    }

    e.ok(
        "create_library_item",
        json!({"library_id": id, "name": "x", "sport": "bike"}),
    );
    let out = e.ok("delete_library", json!({"library_id": id}));
    assert_eq!(out.structured["deleted"], true);
    assert!(e.stored("libraries", id).is_none());
    let orphans = e.sandbox.with_state(|st| {
        st.collections["library_items"]
            .values()
            .filter(|i| i["exerciseLibraryId"] == id)
            .count()
    });
    assert_eq!(orphans, 0, "deleting a library deletes its items");
    assert_eq!(
        not_found_what(e.call("delete_library", json!({"library_id": id}))),
        format!("Library {id}")
    );
}

#[test]
fn create_library_item_compiles_the_structure_and_stores_planned_values() {
    let e = env();
    let structure = json!({
        "primaryIntensityMetric": "percentOfFtp",
        "steps": [
            {"name": "Warm up", "duration_seconds": 600, "intensity_min": 50, "intensity_max": 65, "intensityClass": "warmUp"},
            {"type": "repetition", "reps": 4, "steps": [
                {"name": "On", "duration_seconds": 300, "intensity_min": 105, "intensity_max": 110},
                {"name": "Off", "duration_seconds": 300, "intensity_min": 50, "intensity_max": 55, "intensityClass": "rest"}
            ]},
            {"name": "Cool down", "duration_seconds": 600, "intensity_min": 45, "intensity_max": 55, "intensityClass": "coolDown"}
        ]
    });
    // As an object and as a string holding the same JSON.
    for (case, s) in [
        ("object", structure.clone()),
        ("string", Value::String(structure.to_string())),
    ] {
        let out = e.ok(
            "create_library_item",
            json!({"library_id": BIKE_LIB, "name": "4x5 VO2", "sport": "bike", "subtype_id": 6,
                   "description": "Hard", "structure": s}),
        );
        let id = out.structured["item_id"].as_i64().unwrap();
        let stored = e.stored("library_items", id).unwrap();
        assert!(
            stored["structure"].is_object(),
            "{case}: library structures are stored as objects"
        );
        assert_eq!(
            stored["structure"]["structure"].as_array().unwrap().len(),
            3,
            "{case}"
        );
        assert_eq!(stored["workoutTypeId"], 2, "{case}");
        assert_eq!(stored["workoutSubTypeId"], 6, "{case}");
        // 10 + 4×10 + 10 = 60 minutes, derived from the structure.
        assert!(
            (stored["totalTimePlanned"].as_f64().unwrap() - 1.0).abs() < 1e-9,
            "{case}"
        );
        let tss = stored["tssPlanned"].as_f64().unwrap();
        let ifp = stored["ifPlanned"].as_f64().unwrap();
        assert!(ifp > 0.7 && ifp < 1.0, "{case}: IF {ifp}");
        assert!(
            (tss - ifp * ifp * 100.0).abs() < 0.2,
            "{case}: TSS {tss} for one hour at IF {ifp}"
        );
        assert_eq!(out.structured["duration_planned"], "1h 00m");
    }

    // Explicit values win over the derived ones.
    let out = e.ok(
        "create_library_item",
        json!({"library_id": BIKE_LIB, "name": "x", "sport": "bike", "duration_hours": 1.5, "tss": 80, "if_value": 0.8,
               "structure": structure}),
    );
    let stored = e
        .stored("library_items", out.structured["item_id"].as_i64().unwrap())
        .unwrap();
    assert_eq!(stored["totalTimePlanned"], 1.5);
    assert_eq!(stored["tssPlanned"], 80.0);
    assert_eq!(stored["ifPlanned"], 0.8);

    // Distance-based (swim/run) structures store the planned distance instead.
    let out = e.ok(
        "create_library_item",
        json!({"library_id": RUN_LIB, "name": "10x400", "sport": "run", "structure": {
            "primaryIntensityMetric": "percentOfThresholdPace",
            "steps": [{"type": "repetition", "reps": 10, "steps": [
                {"name": "400", "distance_meters": 400, "intensity_min": 105, "intensity_max": 110},
                {"name": "Jog", "distance_meters": 200, "intensity_min": 60, "intensity_max": 70, "intensityClass": "rest"}
            ]}]}}),
    );
    let stored = e
        .stored("library_items", out.structured["item_id"].as_i64().unwrap())
        .unwrap();
    assert_eq!(stored["distancePlanned"].as_f64(), Some(6000.0));
    assert!(
        stored["totalTimePlanned"].is_null(),
        "no duration invented for a distance workout"
    );
    assert_eq!(stored["structure"]["primaryLengthMetric"], "distance");

    let bad = [
        (
            "negative duration",
            json!({"steps": [{"name": "a", "duration_seconds": 60}, {"name": "b", "duration_seconds": -1}]}),
            "structure.steps[1].duration_seconds",
        ),
        ("no steps", json!({"steps": []}), "structure.steps"),
        ("not json", json!("{steps:"), "structure"),
    ];
    for (case, s, field) in bad {
        let r = e.call(
            "create_library_item",
            json!({"library_id": BIKE_LIB, "name": "x", "sport": "bike", "structure": s}),
        );
        assert_eq!(invalid_field(r), field, "{case}");
    }
    let cases = [
        (
            "bad sport",
            json!({"library_id": BIKE_LIB, "name": "x", "sport": "bicycle"}),
            "sport",
        ),
        (
            "subtype of another sport",
            json!({"library_id": BIKE_LIB, "name": "x", "sport": "bike", "subtype_id": 10}),
            "subtype_id",
        ),
        (
            "hours not minutes",
            json!({"library_id": BIKE_LIB, "name": "x", "sport": "run", "duration_hours": 90}),
            "duration_hours",
        ),
        (
            "IF as percent",
            json!({"library_id": BIKE_LIB, "name": "x", "sport": "run", "if_value": 85}),
            "if_value",
        ),
        (
            "blank name",
            json!({"library_id": BIKE_LIB, "name": "", "sport": "run"}),
            "name",
        ),
    ];
    for (case, args, field) in cases {
        assert_eq!(
            invalid_field(e.call("create_library_item", args)),
            field,
            "{case}"
        );
    }
    let what = not_found_what(e.call(
        "create_library_item",
        json!({"library_id": 77, "name": "x", "sport": "run"}),
    ));
    assert_eq!(what, "Library 77");
}

#[test]
fn update_library_item_merges_and_recomputes() {
    let e = env();
    let before = e.stored("library_items", BIKE_2X20).unwrap();
    // Only the name: everything else survives the sandbox's full-object PUT.
    let out = e.ok(
        "update_library_item",
        json!({"library_id": BIKE_LIB, "item_id": BIKE_2X20, "name": "2x20 @ FTP"}),
    );
    assert!(out.text.contains("2x20 @ FTP"));
    let after = e.stored("library_items", BIKE_2X20).unwrap();
    assert_eq!(after["itemName"], "2x20 @ FTP");
    for k in [
        "structure",
        "totalTimePlanned",
        "tssPlanned",
        "ifPlanned",
        "description",
        "workoutTypeId",
        "workoutSubTypeId",
    ] {
        assert_eq!(after[k], before[k], "{k} kept");
    }

    // A new structure recomputes duration/TSS/IF.
    e.ok(
        "update_library_item",
        json!({"library_id": BIKE_LIB, "item_id": BIKE_2X20, "structure":
            {"steps": [{"name": "Z2", "duration_seconds": 5400, "intensity_min": 65, "intensity_max": 75}]}}),
    );
    let after = e.stored("library_items", BIKE_2X20).unwrap();
    assert!((after["totalTimePlanned"].as_f64().unwrap() - 1.5).abs() < 1e-9);
    assert_eq!(after["ifPlanned"], 0.7);
    assert_eq!(after["structure"]["structure"].as_array().unwrap().len(), 1);
    assert_eq!(after["itemName"], "2x20 @ FTP");

    // Changing sport drops the old sub-sport; explicit planned values are written.
    e.ok("update_library_item", json!({"library_id": BIKE_LIB, "item_id": BIKE_2X20, "sport": "mtb", "tss": 99, "distance_planned": 40000}));
    let after = e.stored("library_items", BIKE_2X20).unwrap();
    assert_eq!(after["workoutTypeId"], 8);
    assert!(after["workoutSubTypeId"].is_null());
    assert_eq!(after["tssPlanned"], 99.0);
    assert_eq!(after["distancePlanned"], 40000.0);

    let cases = [
        (
            "bad structure",
            json!({"library_id": BIKE_LIB, "item_id": BIKE_2X20, "structure": {"steps": [{"name": "x", "duration_seconds": 0}]}}),
            "structure.steps[0].duration_seconds",
        ),
        (
            "subtype of current sport",
            json!({"library_id": BIKE_LIB, "item_id": BIKE_2X20, "subtype_id": 10}),
            "subtype_id",
        ),
        (
            "negative tss",
            json!({"library_id": BIKE_LIB, "item_id": BIKE_2X20, "tss": -5}),
            "tss",
        ),
    ];
    for (case, args, field) in cases {
        assert_eq!(
            invalid_field(e.call("update_library_item", args)),
            field,
            "{case}"
        );
    }
    let what = not_found_what(e.call(
        "update_library_item",
        json!({"library_id": BIKE_LIB, "item_id": 5, "name": "x"}),
    ));
    assert_eq!(what, format!("Library item 5 in library {BIKE_LIB}"));
}

#[test]
fn move_and_delete_library_item() {
    let e = env();
    let out = e.ok(
        "move_library_item",
        json!({"from_library_id": BIKE_LIB, "item_id": BIKE_2X20, "to_library_id": RUN_LIB}),
    );
    assert!(out.text.contains("Run – Speed"), "{}", out.text);
    let moved = e.stored("library_items", BIKE_2X20).unwrap();
    assert_eq!(moved["exerciseLibraryId"], RUN_LIB);
    assert!(moved["structure"].is_object(), "a move keeps the structure");
    let run_items = e.ok("get_library_items", json!({"library_id": RUN_LIB}));
    assert!(
        run_items.structured["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["item_id"] == BIKE_2X20)
    );

    assert_eq!(
        invalid_field(e.call(
            "move_library_item",
            json!({"from_library_id": RUN_LIB, "item_id": BIKE_2X20, "to_library_id": RUN_LIB})
        )),
        "to_library_id"
    );
    assert_eq!(
        invalid_field(e.call(
            "move_library_item",
            json!({"from_library_id": RUN_LIB, "item_id": BIKE_2X20, "to_library_id": DEFAULT_LIB})
        )),
        "to_library_id"
    );
    match e.call(
        "move_library_item",
        json!({"from_library_id": RUN_LIB, "item_id": BIKE_2X20, "to_library_id": 31337}),
    ) {
        Err(ToolError::Failed(m)) => assert!(m.contains("Library 31337 not found"), "{m}"),
        other => panic!("{other:?}"),
    }
    let what = not_found_what(e.call(
        "move_library_item",
        json!({"from_library_id": BIKE_LIB, "item_id": BIKE_2X20, "to_library_id": STRENGTH_LIB}),
    ));
    assert_eq!(
        what,
        format!("Library item {BIKE_2X20} in library {BIKE_LIB}")
    );

    let out = e.ok(
        "delete_library_item",
        json!({"library_id": RUN_LIB, "item_id": BIKE_2X20}),
    );
    assert_eq!(out.structured["deleted"], true);
    assert!(e.stored("library_items", BIKE_2X20).is_none());
    let what = not_found_what(e.call(
        "delete_library_item",
        json!({"library_id": RUN_LIB, "item_id": BIKE_2X20}),
    ));
    assert_eq!(
        what,
        format!("Library item {BIKE_2X20} in library {RUN_LIB}")
    );
}

/// Needs the calendar-workout POST route of the sandbox (the workouts area).
#[test]
fn schedule_library_workout_lands_on_the_calendar() {
    let e = env();
    for (case, args) in [
        (
            "with library",
            json!({"item_id": BIKE_2X20, "date": "2026-11-24", "library_id": BIKE_LIB}),
        ),
        (
            "searching",
            json!({"item_id": BIKE_2X20, "date": "2026-11-25"}),
        ),
    ] {
        let out = e.ok("schedule_library_workout", args);
        let id = out.structured["workout_id"].as_i64().unwrap();
        let w = e
            .stored("workouts", id)
            .unwrap_or_else(|| panic!("{case}: workout {id} stored"));
        assert_eq!(w["workoutTypeValueId"], 2, "{case}: sport kept");
        assert_eq!(w["workoutSubTypeId"], 6, "{case}");
        assert_eq!(w["title"], "2x20 Threshold", "{case}");
        assert!(
            w["structure"].is_object(),
            "{case}: GET shape holds the structure as an object"
        );
        assert!(
            (w["totalTimePlanned"].as_f64().unwrap() - 1.25).abs() < 1e-9,
            "{case}"
        );
        assert_eq!(out.structured["sport"], "Bike");
        assert!(
            out.text.contains("Scheduled \"2x20 Threshold\""),
            "{}",
            out.text
        );
    }
    assert_eq!(
        invalid_field(e.call(
            "schedule_library_workout",
            json!({"item_id": BIKE_2X20, "date": "24/11/2026"})
        )),
        "date"
    );
    assert_eq!(
        invalid_field(e.call(
            "schedule_library_workout",
            json!({"item_id": BIKE_2X20, "date": "2026-02-30"})
        )),
        "date"
    );
    let what = not_found_what(e.call(
        "schedule_library_workout",
        json!({"item_id": 123, "date": "2026-11-24"}),
    ));
    assert!(what.starts_with("Library item 123"), "{what}");
    let what = not_found_what(e.call(
        "schedule_library_workout",
        json!({"item_id": BIKE_2X20, "date": "2026-11-24", "library_id": 5}),
    ));
    assert_eq!(what, "Library 5");
}

#[test]
fn strength_create_then_summary() {
    let e = env();
    let out = e.ok(
        "create_strength_workout",
        json!({"date": "2026-11-23", "title": "Legs", "exercises": [
            {"id": "5178", "name": "Goblet Squat", "sets_data": [{"Reps": "10", "WeightKg": "24"}, {"Reps": 8, "WeightKg": 28}]},
            {"id": 400, "name": "Side Plank", "sets_data": [{"Duration": "30"}, {"Duration": "30"}, {"Duration": "30"}]}
        ]}),
    );
    let id = out.structured["workout_id"].as_str().unwrap().to_string();
    assert!(
        id.parse::<i64>().is_ok(),
        "server id is a numeric string: {id}"
    );
    assert_eq!(out.structured["total_sets"], 5);
    assert_eq!(out.structured["exercises"][0]["example"], "10 Reps @ 24 kg");
    assert_eq!(out.structured["exercises"][1]["example"], "30 sec");
    assert!(
        out.text
            .contains("• Goblet Squat — 2 set(s) (e.g. 10 Reps @ 24 kg)"),
        "{}",
        out.text
    );
    let stored = e.stored("strength_workouts", id.parse().unwrap()).unwrap();
    assert_eq!(stored["calendarId"], SAMPLE_ATHLETE_ID);
    assert_eq!(stored["prescribedDate"], "2026-11-23");
    assert_eq!(stored["snapshot"]["totalSets"], 5);

    let sum = e.ok("get_strength_workout_summary", json!({"workout_id": id}));
    assert_eq!(sum.structured["title"], "Legs");
    assert_eq!(sum.structured["total_sets"], 5);
    assert_eq!(sum.structured["completed_sets"], 0);
    assert_eq!(sum.structured["exercises"][1]["title"], "Side Plank");
    assert!(sum.structured["duration_actual_hours"].is_null());

    let cases = [
        (
            "unknown parameter",
            json!([{"id": "1", "name": "A", "sets_data": [{"Weight": "20"}]}]),
            "exercises[0].sets_data[0].Weight",
        ),
        ("no exercises", json!([]), "exercises"),
        (
            "id not numeric",
            json!([{"id": "squat", "name": "A", "sets_data": [{"Reps": "5"}]}]),
            "exercises[0].id",
        ),
    ];
    for (case, ex, field) in cases {
        let r = e.call(
            "create_strength_workout",
            json!({"date": "2026-11-23", "title": "T", "exercises": ex}),
        );
        assert_eq!(invalid_field(r), field, "{case}");
    }
    assert_eq!(
        invalid_field(e.call(
            "create_strength_workout",
            json!({"date": "tomorrow", "title": "T", "exercises": []})
        )),
        "date"
    );
}

#[test]
fn strength_summary_of_seeded_workout_and_errors() {
    let e = env();
    let sum = e.ok(
        "get_strength_workout_summary",
        json!({"workout_id": STRENGTH_DONE}),
    );
    let s = &sum.structured;
    assert_eq!(s["title"], "Lower Body Strength");
    assert_eq!(s["date"], "2026-11-19", "two days before the clock's today");
    assert_eq!(s["completed_sets"], 6);
    assert_eq!(s["total_sets"], 6);
    assert_eq!(s["compliance_percent"], 100.0);
    assert_eq!(s["rpe"], 7.0);
    assert!((s["duration_planned_hours"].as_f64().unwrap() - 0.75).abs() < 1e-9);
    assert!((s["duration_actual_hours"].as_f64().unwrap() - 2940.0 / 3600.0).abs() < 1e-9);
    assert!(
        sum.text.contains("6/6 sets completed (100% compliance)"),
        "{}",
        sum.text
    );
    assert!(
        sum.text.contains("Duration planned 45m / actual 49m"),
        "{}",
        sum.text
    );

    let what = not_found_what(e.call("get_strength_workout_summary", json!({"workout_id": "999"})));
    assert_eq!(what, "Strength workout 999");
    assert_eq!(
        invalid_field(e.call(
            "get_strength_workout_summary",
            json!({"workout_id": "../save"})
        )),
        "workout_id"
    );
    assert_eq!(
        invalid_field(e.call("get_strength_workout_summary", json!({"workout_id": ""}))),
        "workout_id"
    );
}

#[test]
fn expired_session_is_not_logged_in() {
    let e = env();
    e.ok("get_libraries", json!({}));
    e.sandbox.set_logged_in(SAMPLE_COOKIE, false);
    e.sandbox.expire_tokens();
    for (name, args) in [
        ("get_libraries", json!({})),
        ("create_library", json!({"name": "x"})),
        (
            "get_strength_workout_summary",
            json!({"workout_id": STRENGTH_DONE}),
        ),
    ] {
        match e.call(name, args) {
            Err(ToolError::Api(TpError::NotLoggedIn)) => {}
            other => panic!("{name}: {other:?}"),
        }
    }
    e.sandbox.set_logged_in(SAMPLE_COOKIE, true);
    e.ok("get_libraries", json!({}));
}

/// The sandbox enforces the wire rules a client could get wrong (see the tables in
/// `sandbox/library.rs` and `sandbox/strength.rs`).
#[test]
fn sandbox_enforces_library_and_strength_rules() {
    let e = env();
    let c = &e.ctx.client;
    let send = |m: Method, api: Api, path: &str, b: Option<Value>| {
        block_on(c.send(m, api, path, b.as_ref())).unwrap()
    };
    let items = format!("/exerciselibrary/v1/libraries/{BIKE_LIB}/items");
    let cases = [
        (
            "string structure",
            json!({"itemName": "x", "workoutTypeId": 2, "structure": "{\"structure\":[]}"}),
            400,
        ),
        (
            "text duration",
            json!({"itemName": "x", "workoutTypeId": 2, "totalTimePlanned": "1:00"}),
            400,
        ),
        ("array body", json!([]), 400),
        (
            "object structure",
            json!({"itemName": "x", "workoutTypeId": 2, "structure": {"structure": []}}),
            200,
        ),
    ];
    for (case, b, status) in cases {
        assert_eq!(
            send(Method::Post, Api::Tp, &items, Some(b)).status,
            status,
            "{case}"
        );
    }
    // Wrong sport field name: silently sport 0, as the real server does.
    let r = send(
        Method::Post,
        Api::Tp,
        &items,
        Some(json!({"itemName": "x", "workoutTypeValueId": 2})),
    );
    let created: Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(created["workoutTypeId"], 0);
    // A partial PUT loses the fields it omits: full-object semantics.
    let put = format!("/exerciselibrary/v1/libraries/{BIKE_LIB}/items/{BIKE_2X20}");
    assert_eq!(
        send(
            Method::Put,
            Api::Tp,
            &put,
            Some(json!({"itemName": "renamed"}))
        )
        .status,
        200
    );
    let after = e.stored("library_items", BIKE_2X20).unwrap();
    assert!(after["structure"].is_null() && after["totalTimePlanned"].is_null());
    assert_eq!(
        send(
            Method::Get,
            Api::Tp,
            "/exerciselibrary/v2/libraries/abc/items",
            None
        )
        .status,
        400
    );
    assert_eq!(
        send(
            Method::Delete,
            Api::Tp,
            &format!("/exerciselibrary/v1/libraries/{DEFAULT_LIB}"),
            None
        )
        .status,
        403
    );

    // REF's schedule command lands a GET-shaped workout in `workouts`.
    let cmd =
        format!("/fitness/v6/athletes/{SAMPLE_ATHLETE_ID}/commands/addworkoutfromlibraryitem");
    let r = send(
        Method::Post,
        Api::Tp,
        &cmd,
        Some(
            json!({"athleteId": SAMPLE_ATHLETE_ID, "exerciseLibraryItemId": 8_800_201, "workoutDateTime": "2026-11-26"}),
        ),
    );
    assert_eq!(r.status, 200);
    let w: Value = serde_json::from_slice(&r.body).unwrap();
    let stored = e
        .stored("workouts", w["workoutId"].as_i64().unwrap())
        .unwrap();
    assert_eq!(stored["workoutDay"], "2026-11-26T00:00:00");
    assert_eq!(stored["workoutTypeValueId"], 3);
    assert!(stored["structure"].is_object());
    assert_eq!(stored["userTags"], "");
    let bad = send(
        Method::Post,
        Api::Tp,
        &cmd,
        Some(
            json!({"athleteId": 1, "exerciseLibraryItemId": 8_800_201, "workoutDateTime": "2026-11-26"}),
        ),
    );
    assert_eq!(bad.status, 400, "body athlete differs from the path");
    let other = send(
        Method::Post,
        Api::Tp,
        "/fitness/v6/athletes/1/commands/addworkoutfromlibraryitem",
        Some(
            json!({"athleteId": 1, "exerciseLibraryItemId": 8_800_201, "workoutDateTime": "2026-11-26"}),
        ),
    );
    assert_eq!(other.status, 403, "another athlete's calendar");

    // Strength: partial docs name the missing fields; 404 bodies are empty; {data, errors}.
    let r = send(
        Method::Post,
        Api::Peaksware,
        "/rx/activity/v1/workouts/save",
        Some(json!({"title": "x"})),
    );
    assert_eq!(r.status, 400);
    let errs: Value = serde_json::from_slice(&r.body).unwrap();
    for f in ["calendarId", "workoutType", "prescribedDate"] {
        assert!(errs["errors"].get(f).is_some(), "{f} named");
    }
    let r = send(
        Method::Post,
        Api::Peaksware,
        "/rx/activity/v1/workouts/save",
        Some(
            json!({"calendarId": 1, "workoutType": "StructuredStrength", "prescribedDate": "2026-11-23"}),
        ),
    );
    assert_eq!(r.status, 403, "another athlete's calendar");
    // Issue 8 §2: `orderOnDay` 0 (what Paceline used to send) is not a position.
    let r = send(
        Method::Post,
        Api::Peaksware,
        "/rx/activity/v1/workouts/save",
        Some(
            json!({"calendarId": SAMPLE_ATHLETE_ID, "workoutType": "StructuredStrength", "prescribedDate": "2026-11-23", "orderOnDay": 0}),
        ),
    );
    assert_eq!(r.status, 400);
    let errs: Value = serde_json::from_slice(&r.body).unwrap();
    assert!(errs["errors"].get("orderOnDay").is_some(), "{errs}");
    let r = send(
        Method::Get,
        Api::Peaksware,
        "/rx/activity/v1/workouts/424242",
        None,
    );
    assert_eq!((r.status, r.body.len()), (404, 0));
    let r = send(
        Method::Get,
        Api::Peaksware,
        &format!("/rx/activity/v1/workouts/{STRENGTH_DONE}"),
        None,
    );
    let doc: Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(doc["errors"], json!({}));
    assert_eq!(doc["data"]["id"], STRENGTH_DONE);
    // Save is an upsert on the numeric id: GET-modify-POST replaces the document.
    let mut d = doc["data"].clone();
    d["title"] = json!("Renamed");
    let r = send(
        Method::Post,
        Api::Peaksware,
        "/rx/activity/v1/workouts/save",
        Some(d),
    );
    assert_eq!(r.status, 200);
    let count = e
        .sandbox
        .with_state(|st| st.collections["strength_workouts"].len());
    assert_eq!(count, 2, "updated in place, not duplicated");
    let list = send(
        Method::Get,
        Api::Peaksware,
        &format!("/rx/activity/v1/workouts/calendar/{SAMPLE_ATHLETE_ID}/2026-11-01/2026-11-30"),
        None,
    );
    let list: Value = serde_json::from_slice(&list.body).unwrap();
    let titles: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Renamed", "Upper Body & Core"]);
}

// ---- exact requests through a closure transport ----

type Log = Arc<Mutex<Vec<HttpRequest>>>;

/// A fake TrainingPeaks: token and user, plus `respond` for data calls. Records every request.
fn fake(
    respond: impl Fn(&HttpRequest) -> HttpResponse + Send + Sync + 'static,
) -> (ToolContext, Log) {
    let log: Log = Arc::new(Mutex::new(Vec::new()));
    let l2 = log.clone();
    let transport = FnTransport(move |req: HttpRequest| {
        l2.lock().unwrap().push(req.clone());
        Ok(match req.path_and_query() {
            "/users/v3/token" => HttpResponse::json(
                200,
                &json!({"success": true, "token": {"access_token": "tok-1", "token_type": "bearer", "expires_in": 3600}}),
            ),
            "/users/v3/user" => {
                HttpResponse::json(200, &json!({"user": {"userId": 77, "personId": 77}}))
            }
            _ => respond(&req),
        })
    });
    let clock = Arc::new(ManualClock::at_date(
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
    ));
    (
        ToolContext::new(Arc::new(TpClient::new(Arc::new(transport), clock))),
        log,
    )
}

fn body(r: &HttpRequest) -> Value {
    serde_json::from_slice(r.body.as_deref().unwrap()).unwrap()
}

fn data_requests(log: &Log) -> Vec<HttpRequest> {
    log.lock()
        .unwrap()
        .iter()
        .filter(|r| !r.url.contains("/users/v3/"))
        .cloned()
        .collect()
}

fn assert_bearer(r: &HttpRequest) {
    assert_eq!(
        r.header_value("authorization"),
        Some("Bearer tok-1"),
        "{}",
        r.url
    );
    assert_eq!(
        r.header_value("content-type")
            .filter(|_| r.body.is_some())
            .is_some(),
        r.body.is_some()
    );
}

#[test]
fn library_item_create_sends_the_spec_body() {
    let (ctx, log) = fake(|req| {
        let mut b = body(req);
        b["exerciseLibraryItemId"] = json!(555);
        HttpResponse::json(200, &b)
    });
    let structure = json!({"steps": [{"name": "Z2", "duration_seconds": 3600, "intensity_min": 70, "intensity_max": 80}]});
    block_on(tools::call(
        &ctx,
        "create_library_item",
        json!({"library_id": 12, "name": "Endurance", "sport": "bike", "description": "Steady", "structure": structure}),
    ))
    .unwrap();
    let reqs = data_requests(&log);
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(r.method, Method::Post);
    assert_eq!(
        r.url,
        "https://tpapi.trainingpeaks.com/exerciselibrary/v1/libraries/12/items"
    );
    assert_bearer(r);
    let mut b = body(r);
    // The compiled structure is an object (not a string) for library items.
    let s = b.as_object_mut().unwrap().remove("structure").unwrap();
    assert!(s.is_object());
    assert_eq!(
        s["structure"][0]["steps"][0]["length"],
        json!({"value": 3600, "unit": "second"})
    );
    assert_eq!(
        b,
        json!({
            "exerciseId": null, "exerciseLibraryId": 12, "distancePlanned": null, "velocityPlanned": null,
            "energyPlanned": null, "exerciseLibraryItemType": "WorkoutTemplate", "workoutTypeId": 2,
            "itemName": "Endurance", "tssPlanned": 56.3, "ifPlanned": 0.75, "totalTimePlanned": 1.0,
            "description": "Steady"
        })
    );
}

#[test]
fn library_schedule_posts_a_full_workout_with_a_string_structure() {
    let template = json!({
        "exerciseLibraryId": 12, "exerciseLibraryItemId": 555, "exerciseLibraryItemType": "WorkoutTemplate",
        "itemName": "Threshold", "workoutTypeId": 2, "workoutSubTypeId": 6, "totalTimePlanned": 1.25,
        "tssPlanned": 80.5, "ifPlanned": 0.88, "distancePlanned": null, "energyPlanned": null,
        "description": "2x20", "coachComments": "Smooth", "structure": {"structure": [{"type": "step"}], "primaryIntensityMetric": "percentOfFtp"}
    });
    let t2 = template.clone();
    let (ctx, log) = fake(move |req| match (req.method, req.path_and_query()) {
        (Method::Get, "/exerciselibrary/v2/libraries/12/items") => {
            HttpResponse::json(200, &json!([t2]))
        }
        (Method::Post, "/fitness/v6/athletes/77/workouts") => {
            let mut b = body(req);
            b["workoutId"] = json!(9001);
            HttpResponse::json(200, &b)
        }
        _ => HttpResponse::new(404, Vec::new()),
    });
    let out = block_on(tools::call(
        &ctx,
        "schedule_library_workout",
        json!({"item_id": 555, "date": "2026-11-24", "library_id": 12}),
    ))
    .unwrap();
    assert_eq!(out.structured["workout_id"], 9001);
    let reqs = data_requests(&log);
    assert_eq!(reqs.len(), 2, "one list, one create; never retried");
    let post = &reqs[1];
    assert_eq!(post.method, Method::Post);
    assert_eq!(
        post.url,
        "https://tpapi.trainingpeaks.com/fitness/v6/athletes/77/workouts"
    );
    assert_bearer(post);
    let b = body(post);
    let structure_str = b["structure"]
        .as_str()
        .expect("structure is double-serialised");
    assert_eq!(
        serde_json::from_str::<Value>(structure_str).unwrap(),
        template["structure"]
    );
    let mut rest = b.clone();
    rest.as_object_mut().unwrap().remove("structure");
    assert_eq!(
        rest,
        json!({
            "athleteId": 77, "workoutId": 0, "workoutDay": "2026-11-24T00:00:00", "workoutTypeValueId": 2,
            "workoutSubTypeId": 6, "title": "Threshold", "description": "2x20", "coachComments": "Smooth",
            "athleteComments": null, "totalTimePlanned": 1.25, "distancePlanned": null, "tssPlanned": 80.5,
            "ifPlanned": 0.88, "energyPlanned": null, "feeling": null, "rpe": null, "orderOnDay": null,
            "userTags": "", "workoutComments": []
        })
    );
}

/// Replaces every generated UUID with a placeholder so the rest of the body can be compared.
fn mask_uuids(v: &mut Value) {
    match v {
        Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                if k == "id"
                    && x.as_str()
                        .is_some_and(|s| s.len() == 36 && s.matches('-').count() == 4)
                {
                    *x = json!("<uuid>");
                } else {
                    mask_uuids(x);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(mask_uuids),
        _ => {}
    }
}

#[test]
fn strength_save_sends_the_spec_document() {
    let (ctx, log) = fake(|req| {
        let mut d = body(req);
        d["id"] = json!("19347189");
        HttpResponse::json(200, &json!({"data": d, "errors": {}}))
    });
    let out = block_on(tools::call(
        &ctx,
        "create_strength_workout",
        json!({"date": "2026-11-23", "title": "Press", "exercises": [
            {"id": "400", "name": "Alternating DB Press", "sets_data": [{"RepsPerSide": "8", "WeightPerSideKg": "15"}]}
        ]}),
    ))
    .unwrap();
    assert_eq!(out.structured["workout_id"], "19347189");
    let reqs = data_requests(&log);
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(r.method, Method::Post);
    assert_eq!(
        r.url,
        "https://api.peakswaresb.com/rx/activity/v1/workouts/save"
    );
    assert_bearer(r);
    let mut b = body(r);
    mask_uuids(&mut b);
    // The reference's parameter table (issue 8 §2): unit "Reps" with no abbreviation,
    // "Reps/side" and "Weight/side" categories, `orderOnDay` null.
    let p = |name: &str, title: &str, abbr: &str, unit: &str, cat: &str, id: &str| json!({"parameter": name, "title": title, "unit": {"title": unit, "abbreviation": abbr, "unit": unit}, "category": cat, "id": id});
    assert_eq!(
        b,
        json!({
            "id": "<uuid>", "workoutType": "StructuredStrength", "calendarId": 77, "title": "Press", "instructions": null,
            "prescribedDate": "2026-11-23", "prescribedStartTime": null, "startDateTime": null, "completedDateTime": null,
            "prescribedDurationInSeconds": null, "executedDurationInSeconds": null, "orderOnDay": null, "isLocked": false,
            "isHidden": false, "workoutSubTypeId": null, "rpe": null, "feel": null, "compliancePercent": 0,
            "lastUpdatedAt": null,
            "snapshot": {"totalBlocks": 1, "completedBlocks": 0, "totalSets": 1, "completedSets": 0,
                         "totalPrescriptions": 1, "completedPrescriptions": 0},
            "blocks": [{
                "id": "<uuid>", "blockType": "SingleExercise", "title": "Alternating DB Press", "coachNotes": null,
                "isComplete": false, "compliancePercent": 0, "parameters": [],
                "prescriptions": [{
                    "id": "<uuid>",
                    "exercise": {"id": "400", "title": "Alternating DB Press", "videoUrl": null, "instructions": null,
                                 "parameters": [p("RepsPerSide", "Reps/side", "", "Reps", "Reps/side", "0"),
                                                p("WeightPerSideKg", "Weight/side kg", "kg", "Kilograms", "Weight/side", "0")],
                                 "canEdit": false},
                    "parameters": [p("RepsPerSide", "Reps/side", "", "Reps", "Reps/side", "<uuid>"),
                                   p("WeightPerSideKg", "Weight/side kg", "kg", "Kilograms", "Weight/side", "<uuid>")],
                    "sets": [{"id": "<uuid>", "isComplete": false, "setOrigin": "Prescribed", "parameterValues": [
                        {"id": "<uuid>", "parameter": "RepsPerSide", "inputFormat": "Integer", "prescribedValue": "8", "executedValue": null},
                        {"id": "<uuid>", "parameter": "WeightPerSideKg", "inputFormat": "Decimal", "prescribedValue": "15", "executedValue": null}
                    ]}],
                    "coachNotes": null, "compliancePercent": 0,
                    "setSummaryTemplate": "{RepsPerSide} Reps/side @ {WeightPerSideKg} kg"
                }]
            }]
        })
    );
}

#[test]
fn strength_save_with_errors_is_a_failure_and_not_retried() {
    let (ctx, log) = fake(|_| {
        HttpResponse::json(
            200,
            &json!({"data": null, "errors": {"prescribedDate": ["required"]}}),
        )
    });
    let r = block_on(tools::call(
        &ctx,
        "create_strength_workout",
        json!({"date": "2026-11-23", "title": "T", "exercises": [{"id": "1", "name": "A", "sets_data": [{"Reps": "5"}]}]}),
    ));
    match r {
        Err(ToolError::Api(TpError::Status { body, .. })) => {
            assert!(body.contains("prescribedDate"), "{body}")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(data_requests(&log).len(), 1);

    let (ctx, log) = fake(|_| HttpResponse::new(500, "boom"));
    let r = block_on(tools::call(
        &ctx,
        "create_strength_workout",
        json!({"date": "2026-11-23", "title": "T", "exercises": [{"id": "1", "name": "A", "sets_data": [{"Reps": "5"}]}]}),
    ));
    assert!(
        matches!(r, Err(ToolError::Api(TpError::WriteOutcomeUnknown { .. }))),
        "{r:?}"
    );
    assert_eq!(
        data_requests(&log).len(),
        1,
        "a failed write is never retried"
    );
}

#[test]
fn coach_athlete_id_targets_that_calendar() {
    let (ctx, log) = fake(|req| match req.path_and_query() {
        "/rx/activity/v1/workouts/save" => {
            let mut d = body(req);
            d["id"] = json!("1");
            HttpResponse::json(200, &json!({"data": d, "errors": {}}))
        }
        "/exerciselibrary/v2/libraries/12/items" => HttpResponse::json(
            200,
            &json!([{"exerciseLibraryId": 12, "exerciseLibraryItemId": 5, "itemName": "Easy", "workoutTypeId": 3,
                     "totalTimePlanned": 0.5, "structure": null}]),
        ),
        "/fitness/v6/athletes/555/workouts" => {
            let mut b = body(req);
            b["workoutId"] = json!(2);
            HttpResponse::json(200, &b)
        }
        _ => HttpResponse::new(404, Vec::new()),
    });
    block_on(tools::call(
        &ctx,
        "create_strength_workout",
        json!({"athlete_id": 555, "date": "2026-11-23", "title": "T", "exercises": [{"id": "1", "name": "A", "sets_data": [{"Reps": "5"}]}]}),
    ))
    .unwrap();
    let out = block_on(tools::call(
        &ctx,
        "schedule_library_workout",
        json!({"athlete_id": 555, "item_id": 5, "library_id": 12, "date": "2026-11-24"}),
    ))
    .unwrap();
    assert_eq!(out.structured["athlete_id"], 555);
    let reqs = log.lock().unwrap().clone();
    assert!(
        !reqs.iter().any(|r| r.url.ends_with("/users/v3/user")),
        "no identity lookup when athlete_id is given"
    );
    let save = reqs
        .iter()
        .find(|r| r.url.ends_with("/workouts/save"))
        .unwrap();
    assert_eq!(body(save)["calendarId"], 555);
    let post = reqs
        .iter()
        .find(|r| r.url.ends_with("/athletes/555/workouts"))
        .unwrap();
    let b = body(post);
    assert_eq!(b["athleteId"], 555);
    assert!(
        b["structure"].is_null(),
        "no structure → null, not \"null\""
    );
    assert_eq!(b["workoutTypeValueId"], 3);
}

#[test]
fn strength_summary_without_data_is_built_from_the_document() {
    let (ctx, log) = fake(|req| match req.path_and_query() {
        "/rx/activity/v1/workouts/19347189/summary" => {
            HttpResponse::json(200, &json!({"data": null, "errors": {}}))
        }
        "/rx/activity/v1/workouts/19347189" => HttpResponse::json(
            200,
            &json!({"data": {"id": "19347189", "title": "Press", "prescribedDate": "2026-11-23",
                "snapshot": {"totalSets": 3, "completedSets": 1},
                "blocks": [{"title": "A", "prescriptions": [{"exercise": {"title": "DB Press"}, "compliancePercent": 33}]}]},
                "errors": {}}),
        ),
        _ => HttpResponse::new(404, Vec::new()),
    });
    let out = block_on(tools::call(
        &ctx,
        "get_strength_workout_summary",
        json!({"workout_id": "19347189"}),
    ))
    .unwrap();
    assert_eq!(out.structured["title"], "Press");
    assert_eq!(out.structured["total_sets"], 3);
    assert_eq!(out.structured["completed_sets"], 1);
    assert_eq!(out.structured["exercises"][0]["order"], "1");
    assert_eq!(out.structured["exercises"][0]["title"], "DB Press");
    assert_eq!(
        data_requests(&log).len(),
        2,
        "the summary, then the document"
    );

    // Neither answers with data: the error names what is missing.
    let (ctx, _) = fake(|_| HttpResponse::json(200, &json!({"data": null, "errors": {}})));
    let r = block_on(tools::call(
        &ctx,
        "get_strength_workout_summary",
        json!({"workout_id": "5"}),
    ));
    match r {
        Err(ToolError::Api(TpError::Decode { message, .. })) => {
            assert!(message.contains("`data`"), "{message}")
        }
        other => panic!("{other:?}"),
    }
}
