//! Settings-area tools (16–30, 62–64) against the sandbox, plus exact-request tests for the
//! zone PUTs and the metrics POST.

use std::sync::{Arc, Mutex};

use chrono::{Duration, NaiveDate};
use futures_executor::block_on;
use serde_json::{Value, json};

use paceline_core::clock::ManualClock;
use paceline_core::http::{FnTransport, HttpRequest, HttpResponse, Method, TransportError};
use paceline_core::sandbox::{SAMPLE_ATHLETE_ID, SAMPLE_COOKIE, Sandbox, SandboxTransport};
use paceline_core::tools::{self, ToolContext, ToolError, ToolOutput};
use paceline_core::trainingpeaks::{TpClient, TpError};
use paceline_core::zones;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
}

struct Env {
    ctx: ToolContext,
    sandbox: Arc<Sandbox>,
}

fn env() -> Env {
    let clock = Arc::new(ManualClock::at_date(today()));
    let sandbox = Arc::new(Sandbox::new(clock.clone()));
    let client = TpClient::new(Arc::new(SandboxTransport::new(sandbox.clone())), clock);
    Env {
        ctx: ToolContext::new(Arc::new(client)),
        sandbox,
    }
}

fn call(env: &Env, name: &str, args: Value) -> Result<ToolOutput, ToolError> {
    block_on(tools::call(&env.ctx, name, args))
}

fn ok(env: &Env, name: &str, args: Value) -> ToolOutput {
    call(env, name, args.clone()).unwrap_or_else(|e| panic!("{name} {args}: {e}"))
}

/// Asserts an `InvalidArgs` naming `field`, with `needle` in the message.
fn invalid(env: &Env, name: &str, args: Value, field: &str, needle: &str) {
    match call(env, name, args.clone()) {
        Err(ToolError::InvalidArgs { field: f, message }) => {
            assert_eq!(f, field, "{name} {args}: {message}");
            assert!(message.contains(needle), "{name} {args}: {message}");
        }
        other => panic!("{name} {args}: expected invalid {field}, got {other:?}"),
    }
}

fn failed(env: &Env, name: &str, args: Value, needle: &str) {
    match call(env, name, args.clone()) {
        Err(e @ (ToolError::Failed(_) | ToolError::Api(_))) => {
            assert!(e.to_string().contains(needle), "{name} {args}: {e}")
        }
        other => panic!("{name} {args}: expected a failure with {needle:?}, got {other:?}"),
    }
}

fn settings_doc(env: &Env) -> Value {
    env.sandbox
        .with_state(|st| st.docs.get("settings").cloned().unwrap_or(Value::Null))
}

fn set_of(settings: &Value, key: &str, type_id: i64) -> Value {
    settings[key]
        .as_array()
        .and_then(|a| {
            a.iter()
                .find(|s| s["workoutTypeId"] == json!(type_id))
                .cloned()
        })
        .unwrap_or(Value::Null)
}

fn bounds(set: &Value) -> Vec<(f64, f64)> {
    set["zones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|z| {
            (
                z["minimum"].as_f64().unwrap(),
                z["maximum"].as_f64().unwrap(),
            )
        })
        .collect()
}

const TOOLS: [&str; 18] = [
    "get_atp",
    "get_fitness_metrics",
    "get_workout_prs",
    "get_peaks",
    "get_equipment",
    "create_equipment",
    "update_equipment_item",
    "delete_equipment",
    "get_athlete_settings",
    "update_ftp",
    "update_hr_zones",
    "update_speed_zones",
    "get_weather_settings",
    "get_pool_length_settings",
    "update_nutrition",
    "get_nutrition",
    "get_metrics",
    "log_metrics",
];

#[test]
fn catalogue_has_every_settings_tool_with_object_schemas() {
    for name in TOOLS {
        let tool = tools::find(name).unwrap_or_else(|| panic!("{name} missing"));
        assert_eq!(tool.input_schema()["type"], "object", "{name}");
        assert_eq!(tool.output_schema()["type"], "object", "{name}");
        assert!(!tool.description().is_empty());
    }
}

// ---------- settings and zones ----------

#[test]
fn athlete_settings_show_watts_and_percent_of_ftp() {
    let env = env();
    let out = ok(&env, "get_athlete_settings", json!({}));
    for needle in [
        "FTP: 265 W",
        "Zone 1: 0–146 W (0–55 % FTP)",
        "Zone 2: 147–199 W (55–75 % FTP)",
        "Zone 5: 279 W+ (≥ 105 % FTP)",
        "Threshold HR: 172 bpm",
        "Run threshold pace: 4:15/km",
        "Swim threshold pace (CSS): 1:38/100m",
        "Planned daily calories: 2600 kcal",
    ] {
        assert!(
            out.text.contains(needle),
            "missing {needle:?} in\n{}",
            out.text
        );
    }
    assert!(!out.text.contains("2000"), "sentinel leaked: {}", out.text);
    let s = &out.structured;
    assert_eq!(s["thresholds"]["ftp_w"], json!(265.0));
    assert_eq!(s["power_zone_sets"][0]["zones"][4]["max_w"], Value::Null);
    assert_eq!(
        s["power_zone_sets"][0]["zones"][1]["max_pct_ftp"],
        json!(75.0)
    );
    assert_eq!(s["hr_zone_sets"].as_array().unwrap().len(), 2);
    assert_eq!(s["speed_zone_sets"].as_array().unwrap().len(), 3);
}

/// An account that keeps its numbers only in sport sets (a bike power set, a run speed set 3,
/// no usable default HR set): the thresholds come from those, and the text says so.
#[test]
fn thresholds_come_from_the_sport_sets_when_no_default_set_has_them() {
    let env = env();
    env.sandbox.with_state(|st| {
        let doc = st.docs.get_mut("settings").expect("settings");
        for (key, from, to) in [("powerZones", 0, 2), ("speedZones", 0, 3)] {
            let sets = doc[key].as_array_mut().expect(key);
            sets.retain(|s| s["workoutTypeId"] != json!(to));
            for set in sets.iter_mut() {
                if set["workoutTypeId"] == json!(from) {
                    set["workoutTypeId"] = json!(to);
                }
            }
        }
        for set in doc["heartRateZones"].as_array_mut().expect("HR sets") {
            if set["workoutTypeId"] == json!(0) {
                set["threshold"] = json!(0);
                set["maximumHeartRate"] = json!(0);
            }
        }
    });
    let out = ok(&env, "get_athlete_settings", json!({}));
    let t = &out.structured["thresholds"];
    assert_eq!(t["ftp_w"], json!(265.0), "{t}");
    assert_eq!(t["run_threshold_pace"], json!("4:15/km"), "{t}");
    // The bike HR set (threshold 165 bpm) stands in for the emptied general one.
    assert_eq!(t["threshold_hr_bpm"], json!(165.0), "{t}");
    assert_eq!(t["swim_threshold_pace"], json!("1:38/100m"), "{t}");
    assert_eq!(
        t["from_sport_sets"],
        json!([
            "FTP from the Bike set",
            "heart rates from the Bike set",
            "run threshold pace from the Run set"
        ]),
        "{t}"
    );
    for needle in [
        "FTP: 265 W",
        "Threshold HR: 165 bpm",
        "Run threshold pace: 4:15/km",
        "(No default set has them: FTP from the Bike set",
    ] {
        assert!(
            out.text.contains(needle),
            "missing {needle:?} in\n{}",
            out.text
        );
    }
    // The sample account itself takes everything from its default sets.
    let plain = ok(&self::env(), "get_athlete_settings", json!({}));
    assert_eq!(plain.structured["thresholds"]["from_sport_sets"], json!([]));
    assert!(!plain.text.contains("No default set"), "{}", plain.text);
}

#[test]
fn update_ftp_rewrites_power_zones_in_watts() {
    let env = env();
    env.sandbox.clear_requests();
    let out = ok(&env, "update_ftp", json!({"ftp": 280}));
    assert!(
        out.text.contains("FTP updated from 265 W to 280 W"),
        "{}",
        out.text
    );
    assert!(
        out.text.contains("Zone 4: 253–294 W (90–105 % FTP)"),
        "{}",
        out.text
    );
    let set = set_of(&settings_doc(&env), "powerZones", 0);
    assert_eq!(set["threshold"], json!(280));
    assert_eq!(
        bounds(&set),
        vec![
            (0.0, 154.0),
            (155.0, 210.0),
            (211.0, 252.0),
            (253.0, 294.0),
            (295.0, 2000.0)
        ]
    );
    // The PUT carried every set with currentUserId.
    let put = env
        .sandbox
        .requests()
        .into_iter()
        .find(|r| r.method == Method::Put)
        .expect("a PUT");
    assert_eq!(
        put.path,
        format!("/fitness/v2/athletes/{SAMPLE_ATHLETE_ID}/powerzones")
    );
    assert_eq!(put.status, 204);
    for s in put.body.unwrap().as_array().unwrap() {
        assert_eq!(s["currentUserId"], json!(SAMPLE_ATHLETE_ID));
    }
    let after = ok(&env, "get_athlete_settings", json!({}));
    assert!(after.text.contains("FTP: 280 W"), "{}", after.text);
}

#[test]
fn update_ftp_refuses_bad_values() {
    let env = env();
    let cases = [
        ("negative", json!({"ftp": -250}), "out of range"),
        ("zero", json!({"ftp": 0}), "out of range"),
        ("absurd", json!({"ftp": 5000}), "from 1 to 1000 W"),
        ("string", json!({"ftp": "fast"}), "invalid type"),
    ];
    for (name, args, needle) in cases {
        invalid(&env, "update_ftp", args, "ftp", needle);
        let _ = name;
    }
    invalid(&env, "update_ftp", json!({}), "ftp", "missing field `ftp`");
}

#[test]
fn update_hr_zones_scales_the_chosen_set() {
    let env = env();
    let before = set_of(&settings_doc(&env), "heartRateZones", 0);
    let old = zones::HrZoneSet {
        threshold: 172.0,
        max_hr: 191.0,
        resting_hr: 46.0,
        zones: bounds(&before)
            .iter()
            .map(|(a, b)| zones::Zone::new("", *a, *b))
            .collect(),
    };
    let want = zones::update_hr_zones(
        &old,
        &zones::HrUpdate {
            threshold: Some(176.0),
            ..Default::default()
        },
    )
    .unwrap();
    let out = ok(&env, "update_hr_zones", json!({"threshold_hr": 176}));
    assert!(
        out.text
            .contains("Heart-rate zones (General) updated: threshold 176 bpm, max 191 bpm"),
        "{}",
        out.text
    );
    let after = set_of(&settings_doc(&env), "heartRateZones", 0);
    let got = bounds(&after);
    assert_eq!(
        got,
        want.zones
            .iter()
            .map(|z| (z.minimum, z.maximum))
            .collect::<Vec<_>>()
    );
    assert_eq!(got.last(), Some(&(want.zones[6].minimum, 191.0)));
    assert_eq!(after["threshold"], json!(176));
    // The bike set is untouched; labels survive.
    let bike_before = set_of(&settings_doc(&env), "heartRateZones", 2);
    assert_eq!(bike_before["threshold"], json!(165.0));
    assert_eq!(after["zones"][0]["label"], json!("Zone 1"));

    let bike = ok(
        &env,
        "update_hr_zones",
        json!({"max_hr": 188, "workout_type": "bike"}),
    );
    assert!(bike.text.contains("(Bike)"), "{}", bike.text);
    assert_eq!(
        bounds(&set_of(&settings_doc(&env), "heartRateZones", 2))
            .last()
            .unwrap()
            .1,
        188.0
    );

    let rest = ok(&env, "update_hr_zones", json!({"resting_hr": 44}));
    assert!(rest.text.contains("Zone bounds unchanged"), "{}", rest.text);
    assert_eq!(rest.structured["zones_rescaled"], json!(false));
}

#[test]
fn update_hr_zones_errors() {
    let env = env();
    invalid(
        &env,
        "update_hr_zones",
        json!({}),
        "threshold_hr",
        "at least one of",
    );
    invalid(
        &env,
        "update_hr_zones",
        json!({"threshold_hr": -5}),
        "threshold_hr",
        "out of range",
    );
    invalid(
        &env,
        "update_hr_zones",
        json!({"max_hr": 300}),
        "max_hr",
        "out of range",
    );
    invalid(
        &env,
        "update_hr_zones",
        json!({"threshold_hr": 195, "max_hr": 190}),
        "threshold_hr",
        "above max_hr",
    );
    // Merged with the stored max HR 191.
    invalid(
        &env,
        "update_hr_zones",
        json!({"threshold_hr": 200}),
        "threshold_hr",
        "above the maximum",
    );
    invalid(
        &env,
        "update_hr_zones",
        json!({"threshold_hr": 170, "workout_type": "swim"}),
        "workout_type",
        "unknown variant",
    );
    failed(
        &env,
        "update_hr_zones",
        json!({"threshold_hr": 170, "workout_type": "run"}),
        "no Run heart-rate zone set",
    );
}

#[test]
fn update_speed_zones_run_and_swim() {
    let env = env();
    let before = settings_doc(&env);
    let run_old = set_of(&before, "speedZones", 0);
    let out = ok(
        &env,
        "update_speed_zones",
        json!({"run_threshold_pace": "4:00/km", "swim_threshold_pace": "1:35"}),
    );
    assert!(out.text.contains("Run: threshold 4:00/km"), "{}", out.text);
    assert!(
        out.text.contains("Swim: threshold 1:35/100m"),
        "{}",
        out.text
    );
    let after = settings_doc(&env);
    let run = set_of(&after, "speedZones", 0);
    assert_eq!(run["threshold"], json!(1000.0 / 240.0));
    let ratio = (1000.0 / 240.0) / run_old["threshold"].as_f64().unwrap();
    let old_b = bounds(&run_old);
    let new_b = bounds(&run);
    for (i, ((a0, b0), (a1, b1))) in old_b.iter().zip(&new_b).enumerate() {
        assert_eq!(*a1, a0 * ratio, "zone {i} min");
        if i + 1 < old_b.len() {
            assert_eq!(*b1, b0 * ratio, "zone {i} max");
        } else {
            assert_eq!(*b1, 1000.0 / 240.0 * 10.0, "top zone sentinel");
        }
    }
    assert_eq!(
        set_of(&after, "speedZones", 1)["threshold"],
        json!(100.0 / 95.0)
    );
    // The bike speed set went back unchanged.
    assert_eq!(
        set_of(&after, "speedZones", 2),
        set_of(&before, "speedZones", 2)
    );
}

#[test]
fn update_speed_zones_errors() {
    let env = env();
    invalid(
        &env,
        "update_speed_zones",
        json!({}),
        "run_threshold_pace",
        "at least one of",
    );
    let cases = [
        (
            json!({"run_threshold_pace": "4:75"}),
            "run_threshold_pace",
            "seconds must be two digits",
        ),
        (
            json!({"run_threshold_pace": "4:3x"}),
            "run_threshold_pace",
            "seconds must be two digits",
        ),
        (
            json!({"run_threshold_pace": "-4:30"}),
            "run_threshold_pace",
            "must be positive",
        ),
        (
            json!({"run_threshold_pace": "0:00"}),
            "run_threshold_pace",
            "must be positive",
        ),
        (
            json!({"run_threshold_pace": "1:45/100m"}),
            "run_threshold_pace",
            "per km",
        ),
        (
            json!({"swim_threshold_pace": "abc"}),
            "swim_threshold_pace",
            "separated by ':'",
        ),
        (
            json!({"swim_threshold_pace": "9:00"}),
            "swim_threshold_pace",
            "between 0:45 and 6:00",
        ),
    ];
    for (args, field, needle) in cases {
        invalid(&env, "update_speed_zones", args, field, needle);
    }
    // Nothing was written by the refused calls.
    assert!(
        env.sandbox
            .requests()
            .iter()
            .all(|r| r.method != Method::Put)
    );
}

#[test]
fn weather_pool_and_nutrition_settings() {
    let env = env();
    let w = ok(&env, "get_weather_settings", json!({}));
    assert!(
        w.text.contains("Weather: enabled") && w.text.contains("London"),
        "{}",
        w.text
    );
    assert_eq!(w.structured["lat"], json!(51.5072));

    let p = ok(&env, "get_pool_length_settings", json!({}));
    assert!(
        p.text.contains("* 25 meters (id: DEFAULT-25M)"),
        "{}",
        p.text
    );
    assert!(p.text.contains("Hotel pool (33.3 meters)"), "{}", p.text);
    assert_eq!(p.structured["default_id"], json!("DEFAULT-25M"));
    assert_eq!(p.structured["options"].as_array().unwrap().len(), 4);

    let n = ok(&env, "update_nutrition", json!({"planned_calories": 2800}));
    assert!(n.text.contains("from 2600 to 2800 kcal"), "{}", n.text);
    let doc = settings_doc(&env);
    assert_eq!(
        doc["nutritionSettings"],
        json!({"plannedCalories": 2800, "substrateUtilizationCategory": 4})
    );
    invalid(
        &env,
        "update_nutrition",
        json!({"planned_calories": -1}),
        "planned_calories",
        "500 to 10000",
    );
    invalid(
        &env,
        "update_nutrition",
        json!({}),
        "planned_calories",
        "planned_calories",
    );
}

// ---------- equipment ----------

#[test]
fn equipment_lifecycle() {
    let env = env();
    let all = ok(&env, "get_equipment", json!({}));
    assert_eq!(all.structured["items"].as_array().unwrap().len(), 5);
    assert!(
        all.text.contains("[Bike] Road bike ★ default"),
        "{}",
        all.text
    );
    assert!(
        all.text
            .contains("Distance: 9434.5 km total (8234.5 km logged + 1200 km starting)"),
        "{}",
        all.text
    );
    assert!(
        all.text.contains("[Shoe] Old trainers (retired)"),
        "{}",
        all.text
    );
    assert!(all.text.contains("OVERDUE by 37 km"), "{}", all.text);
    let shoes = ok(&env, "get_equipment", json!({"type": "shoe"}));
    assert_eq!(shoes.structured["items"].as_array().unwrap().len(), 3);
    invalid(
        &env,
        "get_equipment",
        json!({"type": "kayak"}),
        "type",
        "unknown variant",
    );

    let created = ok(
        &env,
        "create_equipment",
        json!({"name": "Trail shoes", "type": "shoe", "brand": "Salomon", "max_distance_km": 700,
               "starting_distance_km": 12.3456}),
    );
    let id = created.structured["item"]["id"].as_i64().unwrap();
    assert_eq!(created.structured["item"]["max_distance_km"], json!(700.0));
    let stored = env
        .sandbox
        .with_state(|st| st.collection("equipment").get(&id).cloned())
        .unwrap();
    assert_eq!(stored["maxDistance"], json!(700000));
    assert_eq!(stored["startingDistance"], json!(12346));
    assert_eq!(stored["type"], json!(2));
    assert_eq!(stored["dateOfPurchase"], json!("2026-11-21T00:00:00"));
    // The other items survived the full-array PUT.
    assert_eq!(
        env.sandbox
            .with_state(|st| st.collection("equipment").len()),
        6
    );

    invalid(
        &env,
        "create_equipment",
        json!({"name": "X", "type": "shoe", "wheels": "Zipp"}),
        "wheels",
        "bike-only",
    );
    invalid(
        &env,
        "create_equipment",
        json!({"name": " ", "type": "bike"}),
        "name",
        "name",
    );
    invalid(
        &env,
        "create_equipment",
        json!({"name": "X", "type": "bike", "crank_length_mm": 17}),
        "crank_length_mm",
        "100–250",
    );
    invalid(
        &env,
        "create_equipment",
        json!({"name": "X", "type": "bike", "date_of_purchase": "21/11/2026"}),
        "date_of_purchase",
        "YYYY-MM-DD",
    );

    let upd = ok(
        &env,
        "update_equipment_item",
        json!({"equipment_id": id, "retired": true, "max_distance_km": 0}),
    );
    assert!(
        upd.text.contains("(retired)") && upd.text.contains("Retired: 2026-11-21"),
        "{}",
        upd.text
    );
    let stored = env
        .sandbox
        .with_state(|st| st.collection("equipment").get(&id).cloned())
        .unwrap();
    assert_eq!(stored["maxDistance"], Value::Null);
    assert_eq!(stored["brand"], json!("Salomon"), "unchanged fields kept");
    let back = ok(
        &env,
        "update_equipment_item",
        json!({"equipment_id": id, "retired": false}),
    );
    assert_eq!(back.structured["item"]["retired_date"], Value::Null);
    invalid(
        &env,
        "update_equipment_item",
        json!({"equipment_id": id, "crank_length_mm": 172.5}),
        "crank_length_mm",
        "bike-only",
    );
    invalid(
        &env,
        "update_equipment_item",
        json!({"equipment_id": id}),
        "equipment_id",
        "nothing to change",
    );
    failed(
        &env,
        "update_equipment_item",
        json!({"equipment_id": 999, "name": "x"}),
        "Equipment 999 not found for athlete",
    );

    let del = ok(&env, "delete_equipment", json!({"equipment_id": id}));
    assert!(
        del.text
            .contains(&format!("Equipment {id} (Trail shoes) deleted")),
        "{}",
        del.text
    );
    assert_eq!(
        env.sandbox
            .with_state(|st| st.collection("equipment").len()),
        5
    );
    failed(
        &env,
        "delete_equipment",
        json!({"equipment_id": id}),
        "not found",
    );
}

// ---------- health metrics ----------

#[test]
fn metrics_read_log_and_summarise() {
    let env = env();
    let week = ok(
        &env,
        "get_metrics",
        json!({"start_date": "2026-11-15", "end_date": "2026-11-21"}),
    );
    let days = week.structured["days"].as_array().unwrap();
    assert_eq!(days.len(), 7);
    for needle in ["Pulse:", "HRV:", "Sleep:"] {
        assert!(week.text.contains(needle), "{needle}: {}", week.text);
    }
    let year = ok(
        &env,
        "get_metrics",
        json!({"start_date": "2025-11-22", "end_date": "2026-11-21"}),
    );
    // A year of days is over the 64 KB bound: the first days come with where to continue, and
    // the summary still covers the whole year.
    let t = &year.structured["truncated"];
    assert_eq!(t["total"], 365);
    assert_eq!(t["field"], "days");
    let kept = year.structured["days"].as_array().unwrap().len();
    assert_eq!(t["returned"], kept);
    assert!(kept > 30 && kept < 365, "{kept}");
    assert!(t["next_start_date"].as_str().is_some());
    let summary = year.structured["summary"].as_array().unwrap();
    let weight = summary.iter().find(|s| s["label"] == "Weight").unwrap();
    let avg = weight["average"].as_f64().unwrap();
    assert!((62.0..66.0).contains(&avg), "believable weight {avg}");
    assert!(year.text.contains("Weight: latest"), "{}", year.text);

    let logged = ok(
        &env,
        "log_metrics",
        json!({"date": "2026-11-21", "weight_kg": 62.5, "sleep_hours": 8.25, "injury": 8}),
    );
    assert!(
        logged.text.contains("Injury: 8/10 (Healthy)"),
        "{}",
        logged.text
    );
    let today = ok(
        &env,
        "get_metrics",
        json!({"start_date": "2026-11-21", "end_date": "2026-11-21"}),
    );
    let metrics = today.structured["days"][0]["metrics"].as_array().unwrap();
    let weights: Vec<&Value> = metrics.iter().filter(|m| m["label"] == "Weight").collect();
    assert_eq!(weights.len(), 1, "a re-logged type replaces the old value");
    assert_eq!(weights[0]["value"], json!(62.5));
    assert!(
        metrics
            .iter()
            .any(|m| m["type_id"] == json!(23) && m["value"] == json!(8.0))
    );

    let none = ok(&env, "log_metrics", json!({"date": "2026-11-21"}));
    assert_eq!(none.text, "No metrics provided — nothing logged.");
    let cases = [
        (json!({"date": "2026-11-21", "pulse": 5}), "pulse", "10–200"),
        (
            json!({"date": "2026-11-21", "pulse": 50.5}),
            "pulse",
            "invalid type",
        ),
        (
            json!({"date": "2026-11-21", "injury": 11}),
            "injury",
            "1 (Extremely Injured) to 10",
        ),
        (json!({"date": "2026-11-21", "spo2": 101}), "spo2", "0–100"),
        (
            json!({"date": "2026-13-01", "hrv": 60}),
            "date",
            "not a real calendar date",
        ),
    ];
    for (args, field, needle) in cases {
        invalid(&env, "log_metrics", args, field, needle);
    }
    invalid(
        &env,
        "get_metrics",
        json!({"start_date": "2026-11-21", "end_date": "2026-11-01"}),
        "end_date",
        "before the start",
    );
    invalid(
        &env,
        "get_metrics",
        json!({"start_date": "yesterday", "end_date": "2026-11-01"}),
        "start_date",
        "YYYY-MM-DD",
    );
}

#[test]
fn nutrition_log() {
    let env = env();
    let out = ok(
        &env,
        "get_nutrition",
        json!({"start_date": "2026-11-15", "end_date": "2026-11-21"}),
    );
    assert_eq!(out.structured["entries"].as_array().unwrap().len(), 7);
    assert!(
        out.text.contains("2026-11-21: ") && out.text.contains("kcal"),
        "{}",
        out.text
    );
    let empty = ok(
        &env,
        "get_nutrition",
        json!({"start_date": "2020-01-01", "end_date": "2020-01-31"}),
    );
    assert_eq!(
        empty.text,
        "No nutrition data found between 2020-01-01 and 2020-01-31."
    );
    invalid(
        &env,
        "get_nutrition",
        json!({"start_date": "2026-11-21", "end_date": "2026-11-20"}),
        "end_date",
        "before",
    );
}

// ---------- fitness ----------

fn put_workouts(env: &Env, workouts: &[(i64, &str, i64, f64, Value)]) {
    env.sandbox.with_state(|st| {
        let c = st.collection("workouts");
        c.clear();
        for (id, day, ty, tss, extra) in workouts {
            let mut w = json!({"workoutId": id, "athleteId": SAMPLE_ATHLETE_ID, "workoutDay": format!("{day}T00:00:00"),
                               "workoutTypeValueId": ty, "tssActual": tss, "title": format!("Workout {id}")});
            if let (Some(o), Some(e)) = (w.as_object_mut(), extra.as_object()) {
                o.extend(e.clone());
            }
            c.insert(*id, w);
        }
    });
}

#[test]
fn fitness_follows_the_pmc_recurrence() {
    let env = env();
    put_workouts(
        &env,
        &[
            (1, "2026-11-01", 2, 100.0, json!({})),
            (2, "2026-11-02", 3, 60.0, json!({})),
            (3, "2026-11-02", 1, 40.0, json!({})),
            (4, "2026-11-04", 2, 80.0, json!({})),
        ],
    );
    let out = ok(
        &env,
        "get_fitness_metrics",
        json!({"start_date": "2026-11-01", "end_date": "2026-11-05"}),
    );
    let days = out.structured["days"].as_array().unwrap();
    assert_eq!(days.len(), 5);
    let loads = [100.0, 100.0, 0.0, 80.0, 0.0];
    let (mut ctl, mut atl) = (0.0f64, 0.0f64);
    for (i, (day, load)) in days.iter().zip(loads).enumerate() {
        let tsb = ctl - atl;
        ctl += (load - ctl) / 42.0;
        atl += (load - atl) / 7.0;
        assert_eq!(day["date"], json!(format!("2026-11-0{}", i + 1)));
        assert_eq!(day["tss_actual"], json!(load), "day {i}");
        assert!(
            (day["ctl"].as_f64().unwrap() - ctl).abs() < 1e-9,
            "ctl day {i}"
        );
        assert!(
            (day["atl"].as_f64().unwrap() - atl).abs() < 1e-9,
            "atl day {i}"
        );
        assert!(
            (day["tsb"].as_f64().unwrap() - tsb).abs() < 1e-9,
            "tsb day {i}"
        );
    }
    assert!(
        out.text
            .contains("2026-11-02  CTL   4.7  ATL  26.5  TSB  -11.9  TSS  100"),
        "{}",
        out.text
    );

    // Long ranges are summarised weekly, history before the range still counts.
    let long = ok(
        &env,
        "get_fitness_metrics",
        json!({"start_date": "2026-11-03", "end_date": "2026-12-31"}),
    );
    assert!(
        long.text.contains("weekly") && long.text.contains("Peak CTL"),
        "{}",
        long.text
    );
    assert!(long.structured["days"][0]["ctl"].as_f64().unwrap() > 4.0);

    invalid(
        &env,
        "get_fitness_metrics",
        json!({"start_date": "2026-11-05", "end_date": "2026-11-01"}),
        "end_date",
        "before",
    );
    invalid(
        &env,
        "get_fitness_metrics",
        json!({"start_date": "2026-02-30", "end_date": "2026-03-01"}),
        "start_date",
        "real calendar date",
    );
}

#[test]
fn annual_training_plan_builds_to_the_a_race() {
    let env = env();
    let out = ok(
        &env,
        "get_atp",
        json!({"start_date": "2026-06-01", "end_date": "2027-06-30"}),
    );
    let weeks = out.structured["weeks"].as_array().unwrap();
    assert!(weeks.len() > 20, "{}", weeks.len());
    let race = weeks
        .iter()
        .find(|w| w["race_priority"] == json!("A"))
        .expect("an A race week");
    // The calendar's A race, 12 weeks from Monday 2026-11-16.
    let race_week = today() - Duration::days(5) + Duration::weeks(12);
    assert_eq!(race["week"], json!(race_week.to_string()));
    assert_eq!(race["period"], json!("Race"));
    assert!(out.text.contains("[A] Lakeside 70.3"), "{}", out.text);
    assert!(out.text.contains("TSS"));
    // Planned load tapers into the race.
    let idx = weeks
        .iter()
        .position(|w| w["race_priority"] == json!("A"))
        .unwrap();
    let vol = |i: usize| weeks[i]["volume"].as_f64().unwrap();
    assert!(vol(idx - 3) > vol(idx - 1) && vol(idx - 1) > vol(idx));
    let none = ok(
        &env,
        "get_atp",
        json!({"start_date": "2020-01-01", "end_date": "2020-02-01"}),
    );
    assert!(
        none.text.starts_with("No annual training plan weeks"),
        "{}",
        none.text
    );
    invalid(
        &env,
        "get_atp",
        json!({"start_date": "2026-12-01", "end_date": "2026-11-01"}),
        "end_date",
        "before",
    );
}

#[test]
fn personal_records_and_peaks() {
    let env = env();
    let ride = |np: f64, hours: f64| json!({"totalTime": hours, "normalizedPowerActual": np, "heartRateMaximum": 176.0, "heartRateAverage": 142.0});
    put_workouts(
        &env,
        &[
            (11, "2026-10-01", 2, 90.0, ride(220.0, 1.5)),
            (12, "2026-10-08", 2, 110.0, ride(245.0, 2.0)),
            (13, "2026-10-15", 2, 60.0, ride(180.0, 1.0)),
            (
                14,
                "2026-10-20",
                3,
                70.0,
                json!({"totalTime": 0.75, "distance": 10500.0}),
            ),
            (15, "2026-11-30", 2, 0.0, json!({"totalTimePlanned": 1.0})),
        ],
    );
    let prs = ok(&env, "get_workout_prs", json!({"workout_id": 12}));
    let records = prs.structured["records"].as_array().unwrap();
    assert!(!records.is_empty());
    assert_eq!(prs.structured["count"], json!(records.len()));
    let p20 = records
        .iter()
        .find(|r| r["type"] == "power20min")
        .expect("20 min power");
    assert_eq!(p20["rank"], json!(1));
    assert_eq!(p20["unit"], json!("W"));
    assert!(
        prs.text.contains("#1 20 min power:") && prs.text.contains("(All Time)"),
        "{}",
        prs.text
    );

    let run = ok(&env, "get_workout_prs", json!({"workout_id": 14}));
    assert!(
        run.text.contains("10K pace: ") && run.text.contains("/km"),
        "{}",
        run.text
    );
    let planned = ok(&env, "get_workout_prs", json!({"workout_id": 15}));
    assert!(
        planned.text.starts_with("No personal records"),
        "{}",
        planned.text
    );
    match call(&env, "get_workout_prs", json!({"workout_id": 999})) {
        Err(ToolError::Api(TpError::NotFound { what, .. })) => {
            assert_eq!(what, format!("Workout 999 of athlete {SAMPLE_ATHLETE_ID}"))
        }
        other => panic!("{other:?}"),
    }
    invalid(
        &env,
        "get_workout_prs",
        json!({"workout_id": -3}),
        "workout_id",
        "positive",
    );

    let peaks = ok(
        &env,
        "get_peaks",
        json!({"sport": "bike", "metric": "power20min"}),
    );
    let rows = peaks.structured["records"].as_array().unwrap();
    assert_eq!(rows.len(), 3, "three rides with 20 minutes");
    let values: Vec<f64> = rows.iter().map(|r| r["value"].as_f64().unwrap()).collect();
    assert!(
        values.windows(2).all(|w| w[0] >= w[1]),
        "best first: {values:?}"
    );
    assert_eq!(rows[0]["workout_id"], json!(12));
    assert!(
        peaks.text.contains("#1: ") && peaks.text.contains("Workout 12 (2026-10-08, workout 12)"),
        "{}",
        peaks.text
    );
    let windowed = ok(
        &env,
        "get_peaks",
        json!({"sport": "bike", "metric": "power20min", "start_date": "2026-10-10", "end_date": "2026-11-21"}),
    );
    assert_eq!(windowed.structured["records"].as_array().unwrap().len(), 1);
    let none = ok(
        &env,
        "get_peaks",
        json!({"sport": "run", "metric": "speedMarathon"}),
    );
    assert!(
        none.text.starts_with("No peaks found for marathon pace"),
        "{}",
        none.text
    );
    invalid(
        &env,
        "get_peaks",
        json!({"sport": "run", "metric": "power20min"}),
        "metric",
        "not a Run record type",
    );
    invalid(
        &env,
        "get_peaks",
        json!({"sport": "bike", "metric": "power3min"}),
        "metric",
        "unknown variant",
    );
    invalid(
        &env,
        "get_peaks",
        json!({"sport": "bike", "metric": "power5sec", "start_date": "2026-11-02", "end_date": "2026-11-01"}),
        "end_date",
        "before",
    );
}

#[test]
fn expired_session_is_reported_for_every_tool() {
    let env = env();
    // Prime the token, then log the browser out and expire the token.
    ok(&env, "get_weather_settings", json!({}));
    env.sandbox.set_logged_in(SAMPLE_COOKIE, false);
    env.sandbox.expire_tokens();
    let calls = [
        (
            "get_atp",
            json!({"start_date": "2026-11-01", "end_date": "2026-11-30"}),
        ),
        (
            "get_fitness_metrics",
            json!({"start_date": "2026-11-01", "end_date": "2026-11-30"}),
        ),
        ("get_workout_prs", json!({"workout_id": 1})),
        ("get_peaks", json!({"sport": "bike", "metric": "power5min"})),
        ("get_equipment", json!({})),
        ("create_equipment", json!({"name": "x", "type": "bike"})),
        (
            "update_equipment_item",
            json!({"equipment_id": 1, "name": "x"}),
        ),
        ("delete_equipment", json!({"equipment_id": 1})),
        ("get_athlete_settings", json!({})),
        ("update_ftp", json!({"ftp": 250})),
        ("update_hr_zones", json!({"threshold_hr": 170})),
        ("update_speed_zones", json!({"run_threshold_pace": "4:30"})),
        ("get_weather_settings", json!({})),
        ("get_pool_length_settings", json!({})),
        ("update_nutrition", json!({"planned_calories": 2500})),
        (
            "get_nutrition",
            json!({"start_date": "2026-11-01", "end_date": "2026-11-30"}),
        ),
        (
            "get_metrics",
            json!({"start_date": "2026-11-01", "end_date": "2026-11-30"}),
        ),
        ("log_metrics", json!({"date": "2026-11-21", "pulse": 45})),
    ];
    assert_eq!(calls.len(), TOOLS.len());
    for (name, args) in calls {
        match call(&env, name, args) {
            Err(ToolError::Api(TpError::NotLoggedIn)) => {}
            other => panic!("{name}: expected not logged in, got {other:?}"),
        }
    }
}

#[test]
fn other_athletes_are_forbidden() {
    let env = env();
    match call(&env, "get_athlete_settings", json!({"athlete_id": 42})) {
        Err(ToolError::Api(TpError::Status { status: 403, .. })) => {}
        other => panic!("{other:?}"),
    }
}

// ---------- exact requests (closure transport) ----------

type Log = Arc<Mutex<Vec<HttpRequest>>>;

const AID: i64 = 123;

/// A closure transport: token, user, fixed settings; records every request; writes answer 204
/// (or 200 `{}` for the metrics POST).
fn recording_ctx(settings: Value) -> (ToolContext, Log) {
    let log: Log = Arc::new(Mutex::new(Vec::new()));
    let seen = log.clone();
    let transport = FnTransport(move |req: HttpRequest| {
        seen.lock().unwrap().push(req.clone());
        let path = req.path_and_query().to_string();
        Ok::<_, TransportError>(match (req.method, path.as_str()) {
            (Method::Get, "/users/v3/token") => HttpResponse::json(
                200,
                &json!({"success": true, "token": {"access_token": "tok", "token_type": "bearer", "expires_in": 3600}}),
            ),
            (Method::Get, "/users/v3/user") => {
                HttpResponse::json(200, &json!({"user": {"userId": AID}}))
            }
            (Method::Get, p) if p == format!("/fitness/v1/athletes/{AID}/settings") => {
                HttpResponse::json(200, &settings)
            }
            (Method::Post, _) => HttpResponse::json(200, &json!({})),
            (Method::Put, _) => HttpResponse::new(204, Vec::new()),
            _ => HttpResponse::json(404, &json!({})),
        })
    });
    let clock = Arc::new(ManualClock::at_date(today()));
    let client = TpClient::new(Arc::new(transport), clock);
    (ToolContext::new(Arc::new(client)), log)
}

/// The single write request, asserted for method, URL and headers; returns its JSON body.
fn the_write(log: &Log, method: Method, url: &str) -> Value {
    let reqs = log.lock().unwrap();
    let writes: Vec<&HttpRequest> = reqs.iter().filter(|r| r.method != Method::Get).collect();
    assert_eq!(writes.len(), 1, "exactly one write: {writes:?}");
    let w = writes[0];
    assert_eq!(w.method, method);
    assert_eq!(w.url, url);
    assert_eq!(w.header_value("authorization"), Some("Bearer tok"));
    assert!(
        w.header_value("content-type")
            .is_some_and(|c| c.starts_with("application/json")),
        "{:?}",
        w.headers
    );
    serde_json::from_slice(w.body.as_deref().unwrap_or_default()).unwrap()
}

fn hr_zone_list(b: &[(i64, i64)]) -> Value {
    Value::Array(
        b.iter()
            .enumerate()
            .map(|(i, (a, z))| json!({"label": format!("Z{}", i + 1), "minimum": a, "maximum": z}))
            .collect(),
    )
}

#[test]
fn update_ftp_exact_request() {
    let settings = json!({
        "athleteId": AID,
        "powerZones": [
            {"workoutTypeId": 0, "threshold": 240, "calculationMethod": 1, "zoneCalculatorId": null,
             "zones": [{"label": "Old", "minimum": 0, "maximum": 100}]},
            {"workoutTypeId": 8, "threshold": 200, "calculationMethod": 3, "zoneCalculatorId": 7,
             "zones": [{"label": "MTB 1", "minimum": 0, "maximum": 2000}]},
        ],
    });
    let (ctx, log) = recording_ctx(settings);
    block_on(tools::call(&ctx, "update_ftp", json!({"ftp": 250}))).unwrap();
    let body = the_write(
        &log,
        Method::Put,
        &format!("https://tpapi.trainingpeaks.com/fitness/v2/athletes/{AID}/powerzones"),
    );
    assert_eq!(
        body,
        json!([
            {"workoutTypeId": 0, "threshold": 250, "calculationMethod": 1, "zoneCalculatorId": null,
             "zones": [
                {"label": "Zone 1", "minimum": 0, "maximum": 138},
                {"label": "Zone 2", "minimum": 139, "maximum": 188},
                {"label": "Zone 3", "minimum": 189, "maximum": 225},
                {"label": "Zone 4", "minimum": 226, "maximum": 263},
                {"label": "Zone 5", "minimum": 264, "maximum": 2000}],
             "currentUserId": AID},
            {"workoutTypeId": 8, "threshold": 200, "calculationMethod": 3, "zoneCalculatorId": 7,
             "zones": [{"label": "MTB 1", "minimum": 0, "maximum": 2000}],
             "currentUserId": AID},
        ])
    );
}

#[test]
fn update_ftp_without_a_default_set_writes_nothing() {
    let (ctx, log) =
        recording_ctx(json!({"powerZones": [{"workoutTypeId": 8, "threshold": 200, "zones": []}]}));
    let err = block_on(tools::call(&ctx, "update_ftp", json!({"ftp": 250}))).unwrap_err();
    assert!(
        err.to_string().contains("no default power zone set"),
        "{err}"
    );
    assert!(log.lock().unwrap().iter().all(|r| r.method == Method::Get));
}

#[test]
fn update_hr_zones_exact_request() {
    let old = [
        (0, 136),
        (137, 151),
        (152, 158),
        (159, 169),
        (170, 173),
        (174, 179),
        (180, 255),
    ];
    let settings = json!({
        "heartRateZones": [
            {"workoutTypeId": 0, "threshold": 170, "maximumHeartRate": 190, "restingHeartRate": 50,
             "calculationMethod": 2, "zoneCalculatorId": null, "zones": hr_zone_list(&old)},
            {"workoutTypeId": 2, "threshold": 160, "maximumHeartRate": 185, "restingHeartRate": 50,
             "zones": hr_zone_list(&[(0, 150), (151, 255)])},
        ],
    });
    let (ctx, log) = recording_ctx(settings);
    block_on(tools::call(
        &ctx,
        "update_hr_zones",
        json!({"threshold_hr": 175}),
    ))
    .unwrap();
    let body = the_write(
        &log,
        Method::Put,
        &format!("https://tpapi.trainingpeaks.com/fitness/v2/athletes/{AID}/heartratezones"),
    );
    // Spec §G worked example: 170 → 175 with max 190.
    let new = [
        (0, 140),
        (141, 155),
        (156, 163),
        (164, 174),
        (175, 178),
        (179, 184),
        (185, 190),
    ];
    assert_eq!(
        body,
        json!([
            {"workoutTypeId": 0, "threshold": 175, "maximumHeartRate": 190, "restingHeartRate": 50,
             "calculationMethod": 2, "zoneCalculatorId": null, "zones": hr_zone_list(&new), "currentUserId": AID},
            {"workoutTypeId": 2, "threshold": 160, "maximumHeartRate": 185, "restingHeartRate": 50,
             "zones": hr_zone_list(&[(0, 150), (151, 255)]), "currentUserId": AID},
        ])
    );
}

#[test]
fn update_speed_zones_exact_request() {
    let run_old: f64 = 1000.0 / 300.0; // 5:00/km
    let settings = json!({
        "speedZones": [
            {"workoutTypeId": 0, "threshold": run_old, "distance": 10000, "calculationMethod": 5,
             "zones": [{"label": "Z1", "minimum": 0, "maximum": 3.0}, {"label": "Z2", "minimum": 3.0, "maximum": 33.333333333333336}]},
            {"workoutTypeId": 1, "threshold": 1.0, "zones": [{"label": "S1", "minimum": 0, "maximum": 0.9}, {"label": "S2", "minimum": 0.9, "maximum": 10}]},
            {"workoutTypeId": 2, "threshold": 0, "zones": []},
        ],
    });
    let (ctx, log) = recording_ctx(settings);
    block_on(tools::call(
        &ctx,
        "update_speed_zones",
        json!({"run_threshold_pace": "4:30", "swim_threshold_pace": "1:45/100m"}),
    ))
    .unwrap();
    let body = the_write(
        &log,
        Method::Put,
        &format!("https://tpapi.trainingpeaks.com/fitness/v2/athletes/{AID}/speedzones"),
    );
    // Spec §G: "4:30" → 3.7037037037037037 m/s, "1:45/100m" → 0.9523809523809523 m/s; bounds
    // × new/old, top maximum = 10 × new threshold.
    let run_new = 3.7037037037037037;
    let swim_new = 0.9523809523809523;
    let r = run_new / run_old;
    let s = swim_new / 1.0;
    assert_eq!(
        body,
        json!([
            {"workoutTypeId": 0, "threshold": run_new, "distance": 10000, "calculationMethod": 5,
             "zones": [{"label": "Z1", "minimum": 0, "maximum": 3.0 * r},
                       {"label": "Z2", "minimum": 3.0 * r, "maximum": run_new * 10.0}],
             "currentUserId": AID},
            {"workoutTypeId": 1, "threshold": swim_new,
             "zones": [{"label": "S1", "minimum": 0, "maximum": 0.9 * s},
                       {"label": "S2", "minimum": 0.9 * s, "maximum": swim_new * 10.0}],
             "currentUserId": AID},
            {"workoutTypeId": 2, "threshold": 0, "zones": [], "currentUserId": AID},
        ])
    );
}

#[test]
fn log_metrics_exact_request() {
    let (ctx, log) = recording_ctx(json!({}));
    block_on(tools::call(
        &ctx,
        "log_metrics",
        json!({"date": "2026-11-20", "weight_kg": 63.4, "pulse": 46, "hrv": 71, "sleep_hours": 7.5, "injury": 8}),
    ))
    .unwrap();
    let body = the_write(
        &log,
        Method::Post,
        &format!(
            "https://tpapi.trainingpeaks.com/metrics/v3/athletes/{AID}/consolidatedtimedmetric"
        ),
    );
    let injury_scale = json!([
        {"value": 1, "label": "Extremely Injured"}, {"value": 2, "label": "Very Injured"},
        {"value": 3, "label": "Injured"}, {"value": 4, "label": "Slightly Injured"},
        {"value": 5, "label": "Below Average"}, {"value": 6, "label": "Above Average"},
        {"value": 7, "label": "Well"}, {"value": 8, "label": "Healthy"},
        {"value": 9, "label": "Very Healthy"}, {"value": 10, "label": "Extremely Healthy"}
    ]);
    assert_eq!(
        body,
        json!({
            "athleteId": AID,
            "timeStamp": "2026-11-20T00:00:00",
            "id": null,
            "details": [
                {"type": 9, "label": "Weight", "value": 63.4, "time": "2026-11-20T12:00:00", "temporaryId": 0,
                 "units": "kg", "formatedUnits": "kg", "min": 0, "max": 1000},
                {"type": 5, "label": "Pulse", "value": 46, "time": "2026-11-20T12:00:00", "temporaryId": 0,
                 "units": "bpm", "formatedUnits": "bpm", "min": 10, "max": 200},
                {"type": 60, "label": "HRV", "value": 71, "time": "2026-11-20T12:00:00", "temporaryId": 0,
                 "units": "", "formatedUnits": "", "min": 0, "max": 200},
                // Issue 8 §2: the reference's network-captured label is "Sleep".
                {"type": 6, "label": "Sleep", "value": 7.5, "time": "2026-11-20T12:00:00", "temporaryId": 0,
                 "units": "hours", "formatedUnits": "hours", "min": 0, "max": 72},
                {"type": 23, "label": "Injury", "value": 8, "time": "2026-11-20T12:00:00", "temporaryId": 0,
                 "units": "", "formatedUnits": "", "enumeration": injury_scale},
            ]
        })
    );
}

#[test]
fn log_metrics_with_nothing_sends_nothing() {
    let (ctx, log) = recording_ctx(json!({}));
    let out = block_on(tools::call(
        &ctx,
        "log_metrics",
        json!({"date": "2026-11-20"}),
    ))
    .unwrap();
    assert_eq!(out.text, "No metrics provided — nothing logged.");
    assert!(log.lock().unwrap().is_empty());
}

#[test]
fn drifted_settings_read_and_untouched_sets_go_back_as_they_came() {
    let settings = json!({
        "units": "1", "age": 36.0, "nutritionSettings": {"plannedCalories": "2600"},
        "powerZones": [
            {"workoutTypeId": "0", "threshold": "240", "calculationMethod": 1,
             "zones": [{"label": "Old", "minimum": "0", "maximum": 100.0}]},
            "junk",
            {"workoutTypeId": 8.0, "threshold": "200", "zones": [{"label": null, "minimum": 0, "maximum": "2000"}]},
        ],
        "heartRateZones": null,
    });
    let (ctx, log) = recording_ctx(settings);
    let out = block_on(tools::call(&ctx, "get_athlete_settings", json!({}))).unwrap();
    assert_eq!(out.structured["thresholds"]["ftp_w"], 240.0);
    assert_eq!(out.structured["profile"]["units"], "imperial");
    assert_eq!(out.structured["profile"]["age"], 36);
    assert_eq!(out.structured["planned_calories"], 2600.0);
    assert_eq!(
        out.structured["power_zone_sets"][1]["zones"][0]["label"],
        "Zone 1"
    );
    assert_eq!(out.structured["hr_zone_sets"], json!([]));

    block_on(tools::call(&ctx, "update_ftp", json!({"ftp": 250}))).unwrap();
    let body = the_write(
        &log,
        Method::Put,
        &format!("https://tpapi.trainingpeaks.com/fitness/v2/athletes/{AID}/powerzones"),
    );
    assert_eq!(body[0]["threshold"], 250);
    // Every key the tool did not change goes back as it came, in its own type.
    assert_eq!(body[0]["workoutTypeId"], "0");
    assert_eq!(body[0]["calculationMethod"], 1);
    assert_eq!(
        body.as_array().map(Vec::len),
        Some(2),
        "the odd set is not sent"
    );
    assert_eq!(
        body[1],
        json!({"workoutTypeId": 8.0, "threshold": "200", "currentUserId": AID,
               "zones": [{"label": null, "minimum": 0, "maximum": "2000"}]})
    );
}
