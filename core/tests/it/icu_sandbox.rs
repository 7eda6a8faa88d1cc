//! The Intervals.icu emulator (`sandbox::intervals`) at the HTTP level: auth, id forms and
//! status codes per route, event and custom-item round trips, bulk upsert and deletes,
//! streams against activity durations, wellness writes, curves, and the seed against the
//! TrainingPeaks sandbox's sample athlete.

use std::sync::Arc;

use chrono::NaiveDate;
use futures_executor::block_on;
use paceline_core::clock::ManualClock;
use paceline_core::http::{HttpRequest, Method, Transport};
use paceline_core::sandbox::Sandbox;
use paceline_core::sandbox::intervals::{
    AuthMethod, ICU_SESSION_COOKIE, IcuSandbox, IcuSandboxTransport, SAMPLE_API_KEY,
    SAMPLE_ICU_ATHLETE_ID, SAMPLE_ICU_SESSION, SessionMode,
};
use serde_json::{Value, json};

const BASE: &str = "https://intervals.icu/api/v1";

fn clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::at_date(
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
    ))
}

fn sandbox() -> Arc<IcuSandbox> {
    Arc::new(IcuSandbox::new(clock()))
}

/// A client with the sample athlete's API key.
struct Client(IcuSandboxTransport);

impl Client {
    fn new(sb: &Arc<IcuSandbox>) -> Self {
        Self(IcuSandboxTransport::with_api_key(
            sb.clone(),
            SAMPLE_API_KEY,
        ))
    }

    fn call(&self, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut req = HttpRequest::new(method, format!("{BASE}{path}"));
        if let Some(b) = &body {
            req = req.json_body(b);
        }
        let resp = block_on(self.0.send(req)).unwrap();
        let v = if resp.body.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&resp.body)
                .unwrap_or_else(|e| panic!("{path}: body is not JSON ({e}): {}", resp.text()))
        };
        (resp.status, v)
    }

    fn get(&self, path: &str) -> Value {
        let (status, v) = self.call(Method::Get, path, None);
        assert_eq!(status, 200, "GET {path}: {v}");
        v
    }
}

fn today() -> &'static str {
    "2026-11-21"
}

#[test]
fn auth_key_cookie_bearer_and_session_modes() {
    let sb = sandbox();
    let path = format!("{BASE}/athlete/0");
    let status = |req: HttpRequest| sb.handle(&req).status;

    assert_eq!(
        status(HttpRequest::new(Method::Get, &path)),
        401,
        "no credentials"
    );
    let bearer = HttpRequest::new(Method::Get, &path).header("authorization", "Bearer abc");
    assert_eq!(
        status(bearer),
        403,
        "a personal key as Bearer is refused (spec §3.1)"
    );
    let wrong_cookie = HttpRequest::new(Method::Get, &path).header("cookie", "icu_session=nope");
    assert_eq!(status(wrong_cookie), 401);

    let send = |t: &IcuSandboxTransport| {
        block_on(t.send(HttpRequest::new(Method::Get, &path)))
            .unwrap()
            .status
    };
    let key = IcuSandboxTransport::with_api_key(sb.clone(), SAMPLE_API_KEY);
    let bad_key = IcuSandboxTransport::with_api_key(sb.clone(), "not-the-key");
    let browser = IcuSandboxTransport::new(sb.clone());
    assert_eq!(send(&key), 200);
    assert_eq!(send(&bad_key), 401);
    assert_eq!(
        send(&browser),
        200,
        "the session cookie is accepted by default"
    );

    sb.set_session_mode(SessionMode::Unauthorized);
    assert_eq!(
        send(&browser),
        401,
        "cookie refused: the extension must fall back"
    );
    assert_eq!(send(&key), 200, "the key still works");
    sb.set_session_mode(SessionMode::Forbidden);
    assert_eq!(send(&browser), 403);
    sb.set_session_mode(SessionMode::Accepted);
    assert_eq!(send(&browser), 200);

    // The cookie may come among others.
    let jar = HttpRequest::new(Method::Get, &path).header(
        "cookie",
        format!("a=1; {ICU_SESSION_COOKIE}={SAMPLE_ICU_SESSION}; b=2"),
    );
    assert_eq!(status(jar), 200);

    let log = sb.requests();
    assert_eq!(log.len(), 11);
    let auths: Vec<AuthMethod> = log.iter().map(|r| r.auth).collect();
    assert_eq!(auths[0], AuthMethod::None);
    assert_eq!(auths[3], AuthMethod::ApiKey);
    assert_eq!(auths[5], AuthMethod::Session);
    assert!(log.iter().all(|r| r.host == "intervals.icu"));
    assert_eq!(log[0].path, "/api/v1/athlete/0");
    // Error bodies are Spring-style.
    let resp = sb.handle(&HttpRequest::new(Method::Get, &path));
    let body: Value = serde_json::from_slice(&resp.body).unwrap();
    assert_eq!(body["status"], 401);
    assert_eq!(body["error"], "Unauthorized");
}

#[test]
fn route_table_status_codes_and_id_forms() {
    let sb = sandbox();
    let c = Client::new(&sb);
    let an_activity = sb.with_state(|st| st.activities.keys().next().cloned().unwrap());
    let an_event = sb.with_state(|st| *st.events.keys().next().unwrap());
    let an_item = sb.with_state(|st| *st.custom_items.keys().next().unwrap());
    let a_workout = sb.with_state(|st| *st.workouts.keys().next().unwrap());
    let me = SAMPLE_ICU_ATHLETE_ID;
    let table: Vec<(Method, String, Option<Value>, u16)> = vec![
        (Method::Get, "/athlete/0".into(), None, 200),
        (Method::Get, format!("/athlete/{me}"), None, 200),
        (Method::Get, "/athlete/184512".into(), None, 200),
        (Method::Get, "/athlete/i999".into(), None, 403),
        (Method::Get, "/athlete/someone".into(), None, 404),
        (Method::Get, "/athlete/0/profile".into(), None, 200),
        (Method::Get, "/athlete/0/sport-settings".into(), None, 200),
        (
            Method::Get,
            "/athlete/0/sport-settings/Run".into(),
            None,
            200,
        ),
        (
            Method::Get,
            "/athlete/0/sport-settings/Kayaking".into(),
            None,
            404,
        ),
        (
            Method::Put,
            "/athlete/0/sport-settings/Ride".into(),
            Some(json!({"ftp": 270})),
            422,
        ),
        (
            Method::Put,
            "/athlete/0/sport-settings/Ride?recalcHrZones=false".into(),
            Some(json!({"ftp": -3})),
            422,
        ),
        (Method::Get, "/athlete/0/activities".into(), None, 422),
        (
            Method::Get,
            "/athlete/0/activities?oldest=2026-11-01".into(),
            None,
            200,
        ),
        (
            Method::Get,
            "/athlete/0/activities?oldest=01/11/2026".into(),
            None,
            422,
        ),
        (
            Method::Get,
            "/athlete/0/activities?oldest=2026-11-01T00:00:00&newest=2026-11-20T23:59:59".into(),
            None,
            200,
        ),
        (Method::Get, format!("/activity/{an_activity}"), None, 200),
        (
            Method::Get,
            format!("/activity/{an_activity}?intervals=true"),
            None,
            200,
        ),
        (Method::Get, "/activity/i1".into(), None, 404),
        (
            Method::Get,
            format!("/activity/{an_activity}/streams?types=watts,heartrate"),
            None,
            200,
        ),
        (
            Method::Get,
            format!("/activity/{an_activity}/streams?types=gap"),
            None,
            422,
        ),
        (
            Method::Get,
            format!("/activity/{an_activity}/intervals"),
            None,
            200,
        ),
        (
            Method::Get,
            format!("/activity/{an_activity}/messages"),
            None,
            200,
        ),
        (
            Method::Post,
            format!("/activity/{an_activity}/messages"),
            Some(json!({})),
            422,
        ),
        (
            Method::Put,
            format!("/activity/{an_activity}"),
            Some(json!({"feel": 9})),
            422,
        ),
        (
            Method::Put,
            format!("/activity/{an_activity}"),
            Some(json!({"gear": {"id": "zzz"}})),
            422,
        ),
        (Method::Get, "/athlete/0/events".into(), None, 200),
        (
            Method::Get,
            format!("/athlete/0/events/{an_event}"),
            None,
            200,
        ),
        (
            Method::Get,
            format!("/athlete/0/event/{an_event}"),
            None,
            404,
        ),
        (Method::Get, "/athlete/0/events/123".into(), None, 404),
        (
            Method::Get,
            "/athlete/0/events?category=WORKOUT,BOGUS".into(),
            None,
            422,
        ),
        (
            Method::Post,
            "/athlete/0/events".into(),
            Some(json!({"name": "x"})),
            422,
        ),
        (
            Method::Post,
            "/athlete/0/events".into(),
            Some(json!({"category": "WORKOUT", "start_date_local": "tomorrow"})),
            422,
        ),
        (
            Method::Post,
            "/athlete/0/events".into(),
            Some(json!([1, 2])),
            400,
        ),
        (Method::Post, "/athlete/0/events".into(), None, 400),
        (
            Method::Delete,
            "/athlete/0/events?oldest=2026-12-01".into(),
            None,
            422,
        ),
        (
            Method::Delete,
            "/athlete/0/events?category=NOTE".into(),
            None,
            422,
        ),
        (
            Method::Get,
            "/athlete/0/wellness?oldest=2026-11-01&newest=2026-11-21".into(),
            None,
            200,
        ),
        (
            Method::Get,
            "/athlete/0/wellness/2026-11-20".into(),
            None,
            200,
        ),
        (
            Method::Get,
            "/athlete/0/wellness/20-11-2026".into(),
            None,
            422,
        ),
        (
            Method::Put,
            "/athlete/0/wellness/2026-11-21".into(),
            Some(json!({"soreness": 7})),
            422,
        ),
        (
            Method::Put,
            "/athlete/0/wellness".into(),
            Some(json!({"weight": 63.0})),
            422,
        ),
        (Method::Get, "/athlete/0/gear".into(), None, 200),
        (Method::Get, "/athlete/0/custom-item".into(), None, 200),
        (
            Method::Get,
            format!("/athlete/0/custom-item/{an_item}"),
            None,
            200,
        ),
        (Method::Get, "/athlete/0/custom-item/1".into(), None, 404),
        (
            Method::Post,
            "/athlete/0/custom-item".into(),
            Some(json!({"name": "x", "type": "NOPE"})),
            422,
        ),
        (Method::Get, "/athlete/0/power-curves".into(), None, 422),
        (
            Method::Get,
            "/athlete/0/power-curves?type=Ride&curves=42d".into(),
            None,
            200,
        ),
        (
            Method::Get,
            "/athlete/0/power-curves?type=Ride&curves=1w".into(),
            None,
            422,
        ),
        (
            Method::Get,
            "/athlete/0/power-curves?type=Ride&curves=s0-kj1".into(),
            None,
            422,
        ),
        (
            Method::Get,
            "/athlete/0/hr-curves?curves=42d".into(),
            None,
            200,
        ),
        (Method::Get, "/athlete/0/folders".into(), None, 200),
        (
            Method::Post,
            "/athlete/0/folders".into(),
            Some(json!({"name": ""})),
            422,
        ),
        (Method::Get, "/athlete/0/workouts".into(), None, 200),
        (
            Method::Get,
            format!("/athlete/0/workouts/{a_workout}"),
            None,
            200,
        ),
        (
            Method::Post,
            "/athlete/0/workouts".into(),
            Some(json!({"name": "x", "folder_id": 1})),
            422,
        ),
        (Method::Get, "/athlete/0/nothing-here".into(), None, 404),
        (Method::Delete, "/athlete/0".into(), None, 404),
    ];
    let mut failures = Vec::new();
    for (method, path, body, want) in &table {
        let (got, v) = c.call(*method, path, body.clone());
        if got != *want {
            failures.push(format!("{method} {path}: want {want}, got {got}: {v}"));
        } else if got >= 400 {
            // Every error names what is wrong.
            if v["message"].as_str().is_none_or(|m| m.is_empty()) {
                failures.push(format!("{method} {path}: error without a message: {v}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // The three athlete id forms answer the same athlete, and nothing outside /api/v1 answers.
    assert_eq!(c.get("/athlete/0")["id"], json!(me));
    assert_eq!(c.get("/athlete/184512")["id"], json!(me));
    let outside = block_on(c.0.send(HttpRequest::new(
        Method::Get,
        "https://intervals.icu/api/athlete/0",
    )))
    .unwrap();
    assert_eq!(outside.status, 404);
    // 422s name the field.
    let (_, v) = c.call(Method::Get, "/athlete/0/activities", None);
    assert!(v["message"].as_str().unwrap().contains("oldest"), "{v}");
}

#[test]
fn event_round_trip_parses_workout_text() {
    let sb = sandbox();
    let c = Client::new(&sb);
    let text = "Warmup\n- 10m 50-65%\n\nMain Set 4x\n- 5m 105%\n- 3m 55%\n\nCooldown\n- 10m 50%";
    let (status, created) = c.call(
        Method::Post,
        "/athlete/0/events",
        Some(
            json!({"category": "WORKOUT", "start_date_local": "2026-11-25", "type": "Ride",
            "name": "VO2 4x5", "description": text, "not_a_field": 1}),
        ),
    );
    assert_eq!(status, 200, "{created}");
    let id = created["id"].as_i64().unwrap();
    assert_eq!(created["start_date_local"], "2026-11-25T00:00:00");
    assert_eq!(created["moving_time"], json!(600.0 + 4.0 * 480.0 + 600.0));
    assert_eq!(created["workout_doc"]["steps"][1]["reps"], json!(4.0));
    assert!(created["icu_training_load"].as_f64().unwrap() > 40.0);
    assert!(
        created.get("not_a_field").is_none(),
        "unknown fields are not stored"
    );

    let got = c.get(&format!("/athlete/i184512/events/{id}"));
    assert_eq!(got, created);
    let listed = c.get("/athlete/0/events?oldest=2026-11-25&newest=2026-11-25&category=WORKOUT");
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["id"] == json!(id))
    );

    let (status, updated) = c.call(
        Method::Put,
        &format!("/athlete/0/events/{id}"),
        Some(json!({"name": "VO2 4x5 (moved)", "start_date_local": "2026-11-26T00:00:00"})),
    );
    assert_eq!(status, 200);
    assert_eq!(updated["name"], "VO2 4x5 (moved)");
    assert_eq!(updated["description"], text, "fields not sent are kept");
    assert_eq!(updated["start_date_local"], "2026-11-26T00:00:00");

    let (status, _) = c.call(Method::Delete, &format!("/athlete/0/events/{id}"), None);
    assert_eq!(status, 200);
    let (status, _) = c.call(Method::Get, &format!("/athlete/0/events/{id}"), None);
    assert_eq!(status, 404);
    let (status, _) = c.call(Method::Delete, &format!("/athlete/0/events/{id}"), None);
    assert_eq!(status, 404, "deleting twice");

    // A workout_doc without text gets its text rendered.
    let (_, e) = c.call(
        Method::Post,
        "/athlete/0/events",
        Some(json!({"category": "WORKOUT", "start_date_local": "2026-11-27T00:00:00", "type": "Run",
            "workout_doc": {"steps": [{"duration": 1200, "pace": {"value": 80, "units": "%pace"}}]}})),
    );
    assert_eq!(e["description"], "- 20m 80% Pace");
    assert_eq!(e["moving_time"], json!(1200.0));
}

#[test]
fn custom_item_round_trip() {
    let sb = sandbox();
    let c = Client::new(&sb);
    let before = c.get("/athlete/0/custom-item").as_array().unwrap().len();
    assert_eq!(before, 2, "two seeded items");
    let (status, item) = c.call(
        Method::Post,
        "/athlete/0/custom-item",
        Some(json!({"name": "Cadence chart", "type": "ACTIVITY_CHART", "content": {"stream": "cadence"}})),
    );
    assert_eq!(status, 200, "{item}");
    let id = item["id"].as_i64().unwrap();
    assert_eq!(item["visibility"], "PRIVATE");
    assert_eq!(c.get(&format!("/athlete/0/custom-item/{id}")), item);
    let (status, upd) = c.call(
        Method::Put,
        &format!("/athlete/0/custom-item/{id}"),
        Some(json!({"visibility": "PUBLIC"})),
    );
    assert_eq!(status, 200);
    assert_eq!(upd["visibility"], "PUBLIC");
    assert_eq!(upd["name"], "Cadence chart");
    let (status, _) = c.call(
        Method::Put,
        &format!("/athlete/0/custom-item/{id}"),
        Some(json!({"visibility": "EVERYONE"})),
    );
    assert_eq!(status, 422);
    let (status, _) = c.call(
        Method::Delete,
        &format!("/athlete/0/custom-item/{id}"),
        None,
    );
    assert_eq!(status, 200);
    let (status, _) = c.call(Method::Get, &format!("/athlete/0/custom-item/{id}"), None);
    assert_eq!(status, 404);
    assert_eq!(
        c.get("/athlete/0/custom-item").as_array().unwrap().len(),
        before
    );
}

#[test]
fn bulk_upsert_and_deletes() {
    let sb = sandbox();
    let c = Client::new(&sb);
    let batch = |name: &str| {
        json!([
            {"category": "WORKOUT", "start_date_local": "2027-01-10T00:00:00", "type": "Ride", "name": name,
             "external_id": "plan-1", "description": "- 1h 70%"},
            {"category": "NOTE", "start_date_local": "2027-01-11T00:00:00", "name": "Rest", "external_id": "plan-2"}
        ])
    };
    let (status, first) = c.call(
        Method::Post,
        "/athlete/0/events/bulk?upsert=true",
        Some(batch("Easy")),
    );
    assert_eq!(status, 200, "{first}");
    let ids: Vec<i64> = first
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    let (_, second) = c.call(
        Method::Post,
        "/athlete/0/events/bulk?upsert=true",
        Some(batch("Easy (edited)")),
    );
    let ids2: Vec<i64> = second
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, ids2, "upsert matches external_id");
    assert_eq!(second[0]["name"], "Easy (edited)");
    let in_range = |c: &Client| {
        c.get("/athlete/0/events?oldest=2027-01-10&newest=2027-01-11")
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(in_range(&c), 2);
    // Without upsert the same batch creates duplicates.
    let (_, third) = c.call(Method::Post, "/athlete/0/events/bulk", Some(batch("Dup")));
    assert!(third[0]["id"].as_i64().unwrap() != ids[0]);
    assert_eq!(in_range(&c), 4);
    // A bad item rejects the whole batch, naming it, and writes nothing.
    let (status, v) = c.call(
        Method::Post,
        "/athlete/0/events/bulk",
        Some(json!([{"category": "NOTE", "start_date_local": "2026-12-22"}, {"category": "NOPE", "start_date_local": "2026-12-22"}])),
    );
    assert_eq!(status, 422);
    assert!(
        v["message"].as_str().unwrap().starts_with("[1].category"),
        "{v}"
    );
    assert!(
        c.get("/athlete/0/events?oldest=2026-12-22&newest=2026-12-22")
            .as_array()
            .unwrap()
            .is_empty()
    );

    // bulk-delete by external_id and id.
    let (status, v) = c.call(
        Method::Put,
        "/athlete/0/events/bulk-delete",
        Some(json!([{"external_id": "plan-2"}, {"id": third[0]["id"]}, {"id": 1}])),
    );
    assert_eq!(status, 200);
    assert_eq!(
        v,
        json!({"eventsDeleted": 3}),
        "both plan-2 copies and one id"
    );
    assert_eq!(in_range(&c), 1);

    // Range delete: only the categories named, from oldest on.
    let notes_before = c.get("/athlete/0/events?oldest=2026-11-21&newest=2027-03-31&category=NOTE");
    let (status, _) = c.call(
        Method::Delete,
        "/athlete/0/events?oldest=2026-11-21&category=WORKOUT",
        None,
    );
    assert_eq!(status, 200);
    let left = c.get("/athlete/0/events?oldest=2026-11-21&newest=2027-03-31");
    assert!(
        left.as_array()
            .unwrap()
            .iter()
            .all(|e| e["category"] != "WORKOUT"),
        "{left}"
    );
    assert_eq!(
        c.get("/athlete/0/events?oldest=2026-11-21&newest=2027-03-31&category=NOTE"),
        notes_before,
        "notes kept"
    );
}

#[test]
fn streams_match_activity_durations_for_every_sport() {
    let sb = sandbox();
    let c = Client::new(&sb);
    let acts = c.get("/athlete/0/activities?oldest=2026-10-01&newest=2026-11-21");
    let acts = acts.as_array().unwrap();
    assert!(acts.len() > 20, "{}", acts.len());
    // Newest first.
    let dates: Vec<&str> = acts
        .iter()
        .map(|a| a["start_date_local"].as_str().unwrap())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]));
    let mut seen = std::collections::BTreeSet::new();
    for a in acts {
        let ty = a["type"].as_str().unwrap().to_string();
        if !seen.insert(ty.clone()) {
            continue; // one of each type is enough
        }
        let id = a["id"].as_str().unwrap();
        let n = a["moving_time"].as_u64().unwrap() as usize;
        let streams = c.get(&format!("/activity/{id}/streams"));
        let streams = streams.as_array().unwrap();
        let types: Vec<&str> = streams
            .iter()
            .map(|s| s["type"].as_str().unwrap())
            .collect();
        assert_eq!(
            json!(types),
            a["stream_types"],
            "{ty}: every listed stream is served"
        );
        for s in streams {
            assert_eq!(
                s["data"].as_array().unwrap().len(),
                n,
                "{ty} {} length",
                s["type"]
            );
        }
        let by = |t: &str| streams.iter().find(|s| s["type"] == t).cloned();
        let time = by("time").unwrap();
        assert_eq!(time["data"][n - 1], json!((n - 1) as f64));
        let hr = by("heartrate").unwrap();
        let hr_avg: f64 = hr["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .sum::<f64>()
            / n as f64;
        assert!(
            (hr_avg - a["average_heartrate"].as_f64().unwrap()).abs() < 2.0,
            "{ty} hr {hr_avg} vs {}",
            a["average_heartrate"]
        );
        if let Some(d) = by("distance") {
            let last = d["data"][n - 1].as_f64().unwrap();
            let want = a["distance"].as_f64().unwrap();
            assert!(
                (last - want).abs() <= want * 0.01 + 5.0,
                "{ty} distance {last} vs {want}"
            );
        }
        if let Some(w) = by("watts") {
            let avg: f64 = w["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_f64().unwrap())
                .sum::<f64>()
                / n as f64;
            assert!(
                (avg - a["icu_average_watts"].as_f64().unwrap()).abs() < 2.0,
                "watts {avg}"
            );
        }
        if let Some(ll) = by("latlng") {
            assert_eq!(ll["data2"].as_array().unwrap().len(), n, "lng in data2");
        }
        // A types filter returns only those, in the order asked; absent types are left out.
        let two = c.get(&format!(
            "/activity/{id}/streams?types=heartrate,time,watts"
        ));
        let two: Vec<&str> = two
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["type"].as_str().unwrap())
            .collect();
        let want: Vec<&str> = if types.contains(&"watts") {
            vec!["heartrate", "time", "watts"]
        } else {
            vec!["heartrate", "time"]
        };
        assert_eq!(two, want);
        // Zone times from the streams add up to the activity's seconds.
        let full = c.get(&format!("/activity/{id}?intervals=true"));
        let hr_secs: u64 = full["icu_hr_zone_times"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_u64().unwrap())
            .sum();
        assert_eq!(hr_secs as usize, n, "{ty} HR zone seconds");
        if types.contains(&"watts") {
            let p: u64 = full["icu_zone_times"]
                .as_array()
                .unwrap()
                .iter()
                .map(|z| z["secs"].as_u64().unwrap())
                .sum();
            assert_eq!(p as usize, n, "power zone seconds");
            assert_eq!(full["icu_zone_times"][0]["id"], "Z1");
        }
        assert!(
            full["icu_intervals"]
                .as_array()
                .is_some_and(|i| !i.is_empty())
        );
        // Intervals tile the activity.
        let iv = c.get(&format!("/activity/{id}/intervals"));
        let iv = iv["icu_intervals"].as_array().unwrap();
        assert_eq!(iv[0]["start_index"], 0);
        assert_eq!(iv.last().unwrap()["end_index"], json!(n - 1));
        let total: u64 = iv.iter().map(|i| i["moving_time"].as_u64().unwrap()).sum();
        assert_eq!(total as usize, n);
    }
    assert!(seen.len() >= 4, "rides, runs, swims and strength: {seen:?}");
    // Deterministic across instances.
    let id = acts[0]["id"].as_str().unwrap();
    let other = Client::new(&sandbox());
    assert_eq!(
        c.get(&format!("/activity/{id}/streams?types=heartrate")),
        other.get(&format!("/activity/{id}/streams?types=heartrate"))
    );
}

#[test]
fn seed_mirrors_the_trainingpeaks_sample_athlete() {
    let clock = clock();
    let tp = Sandbox::new(clock.clone());
    let icu = IcuSandbox::new(clock);
    let (done, planned): (Vec<String>, usize) = tp.with_state(|st| {
        let w = st.collections.get("workouts").unwrap();
        let mut done: Vec<String> = w
            .values()
            .filter(|w| w["completed"] == json!(true))
            .map(|w| w["startTime"].as_str().unwrap().to_string())
            .collect();
        done.sort();
        let planned = w
            .values()
            .filter(|w| w["completed"] == json!(false))
            .count();
        (done, planned)
    });
    let (acts, workouts, notes) = icu.with_state(|st| {
        let mut a: Vec<String> = st
            .activities
            .values()
            .map(|r| r.json["start_date_local"].as_str().unwrap().to_string())
            .collect();
        a.sort();
        let count = |cat: &str| st.events.values().filter(|e| e["category"] == cat).count();
        (a, count("WORKOUT"), count("NOTE"))
    });
    assert_eq!(
        acts, done,
        "every completed session is a synced activity, at the same time"
    );
    assert_eq!(
        workouts, planned,
        "every planned workout is a WORKOUT event"
    );
    assert_eq!(notes, 4);
    let c = Client::new(&Arc::new(icu));
    // Planned workouts carry workout_doc and the workout text.
    let events = c.get("/athlete/0/events?oldest=2026-11-21&newest=2026-11-27&category=WORKOUT");
    let events = events.as_array().unwrap();
    assert!(!events.is_empty());
    for e in events {
        assert!(
            e["workout_doc"]["steps"]
                .as_array()
                .is_some_and(|s| !s.is_empty()),
            "{e}"
        );
        let text = e["description"].as_str().unwrap();
        assert!(text.lines().any(|l| l.starts_with("- ")), "{text}");
        assert!(e["moving_time"].as_f64().unwrap() > 1800.0);
    }
    // Wellness: 90 days of measurements, fitness every day.
    let w = c.get("/athlete/0/wellness?oldest=2026-08-01&newest=2026-11-21");
    let w = w.as_array().unwrap();
    assert_eq!(w.last().unwrap()["id"], today());
    let measured = w.iter().filter(|r| r["restingHR"].is_number()).count();
    assert!((85..=90).contains(&measured), "{measured}");
    assert!(w.iter().all(|r| r["ctl"].as_f64().unwrap() > 10.0));
    let last = w.last().unwrap();
    assert!(last["hrv"].is_number() && last["sleepSecs"].is_number());
    // Gear from the equipment, with activity counts.
    let gear = c.get("/athlete/0/gear");
    let gear = gear.as_array().unwrap();
    assert_eq!(gear.len(), 5);
    assert!(
        gear.iter()
            .any(|g| g["type"] == "Bike" && g["activities"].as_u64().unwrap() > 10)
    );
    // A library folder with workouts that carry structure.
    let folders = c.get("/athlete/0/folders");
    let with_docs = folders
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["children"].as_array().cloned().unwrap_or_default())
        .filter(|w| w["workout_doc"]["steps"].is_array())
        .count();
    assert!(with_docs >= 2, "{folders}");
}

#[test]
fn wellness_writes_change_only_the_fields_sent() {
    let sb = sandbox();
    let c = Client::new(&sb);
    let before = c.get("/athlete/0/wellness/2026-11-21");
    let (status, after) = c.call(
        Method::Put,
        "/athlete/0/wellness/2026-11-21",
        Some(json!({"soreness": 3, "comments": "Stiff calves"})),
    );
    assert_eq!(status, 200, "{after}");
    assert_eq!(after["soreness"], 3);
    assert_eq!(after["weight"], before["weight"], "untouched");
    assert_eq!(
        after["ctl"], before["ctl"],
        "fitness is computed, not written"
    );
    let (status, _) = c.call(
        Method::Put,
        "/athlete/0/wellness-bulk",
        Some(json!([{"id": "2026-11-22", "weight": 62.9}, {"id": "2026-11-23", "restingHR": 45}])),
    );
    assert_eq!(status, 200);
    assert_eq!(c.get("/athlete/0/wellness/2026-11-22")["weight"], 62.9);
    let (status, v) = c.call(
        Method::Put,
        "/athlete/0/wellness-bulk",
        Some(json!([{"id": "2026-11-24", "weight": 62.0}, {"id": "bad"}])),
    );
    assert_eq!(status, 422);
    assert!(v["message"].as_str().unwrap().contains("[1].id"), "{v}");
    assert!(
        c.get("/athlete/0/wellness/2026-11-24")["weight"].is_null(),
        "nothing half-written"
    );
    let (status, one) = c.call(
        Method::Put,
        "/athlete/0/wellness",
        Some(json!({"id": "2026-11-21", "mood": 2})),
    );
    assert_eq!(status, 200);
    assert_eq!(one["mood"], 2);
    assert_eq!(one["soreness"], 3);
    // `fields` trims the rows.
    let trimmed =
        c.get("/athlete/0/wellness?oldest=2026-11-20&newest=2026-11-21&fields=weight,ctl");
    for r in trimmed.as_array().unwrap() {
        let keys: Vec<&String> = r.as_object().unwrap().keys().collect();
        assert!(
            keys.iter()
                .all(|k| ["id", "weight", "ctl"].contains(&k.as_str())),
            "{keys:?}"
        );
    }
}

#[test]
fn curves_come_from_the_streams() {
    let sb = sandbox();
    let c = Client::new(&sb);
    let v = c.get("/athlete/0/power-curves?type=Ride&curves=42d,r.2026-11-01.2026-11-21");
    let list = v["list"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    let curve = &list[0];
    assert_eq!(curve["id"], "42d");
    let secs = curve["secs"].as_array().unwrap();
    let vals: Vec<f64> = curve["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    assert_eq!(secs.len(), vals.len());
    assert!(
        vals.windows(2).all(|w| w[0] >= w[1]),
        "non-increasing: {vals:?}"
    );
    assert!(vals[0] > 550.0, "a sprint peak: {}", vals[0]);
    // Every best names an activity that is in `activities` and has watts.
    for aid in curve["activity_id"].as_array().unwrap() {
        let aid = aid.as_str().unwrap();
        assert!(v["activities"][aid].is_object(), "{aid}");
        let watts = c.get(&format!("/activity/{aid}/streams?types=watts"));
        assert_eq!(watts[0]["type"], "watts");
    }
    // The 5-minute best is the mean-max of some ride's stream.
    let i5 = secs.iter().position(|s| s == 300).unwrap();
    let aid = curve["activity_id"][i5].as_str().unwrap();
    let w = c.get(&format!("/activity/{aid}/streams?types=watts"));
    let w: Vec<f64> = w[0]["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    // The curve reads "best over at least this long": the best of the 300 s and longer
    // windows, among the durations the curve reports.
    let mut prefix = vec![0.0];
    for x in &w {
        prefix.push(prefix.last().unwrap() + x);
    }
    let best = secs[i5..]
        .iter()
        .map(|d| d.as_u64().unwrap() as usize)
        .filter(|d| *d <= w.len())
        .map(|d| {
            let top = (d..=w.len())
                .map(|j| prefix[j] - prefix[j - d])
                .fold(0.0, f64::max);
            (top / d as f64).round()
        })
        .fold(0.0, f64::max);
    assert_eq!(vals[i5], best);
    // The indoor filter narrows to trainer rides.
    let indoor = c.get("/athlete/0/power-curves?type=Ride&curves=42d&filters=%5B%7B%22field_id%22%3A%22indoor%22%2C%22value%22%3Atrue%2C%22id%22%3A1%7D%5D");
    for aid in indoor["list"][0]["activity_id"].as_array().unwrap() {
        assert_eq!(
            indoor["activities"][aid.as_str().unwrap()]["type"],
            "VirtualRide"
        );
    }
    // Pace curves: seconds over distances, faster for shorter.
    let p = c.get("/athlete/0/pace-curves?type=Run&curves=42d");
    let p = &p["list"][0];
    let d = p["distance"].as_array().unwrap();
    let t: Vec<f64> = p["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    assert!(!d.is_empty() && t.windows(2).all(|w| w[0] < w[1]), "{p}");
    // HR curves.
    let h = c.get("/athlete/0/hr-curves?type=Run&curves=42d");
    assert!(h["list"][0]["values"][0].as_f64().unwrap() > 150.0);
}

#[test]
fn activity_update_messages_sport_settings_and_library() {
    let sb = sandbox();
    let c = Client::new(&sb);
    let id = sb.with_state(|st| st.activities.keys().last().cloned().unwrap());
    let (status, a) = c.call(
        Method::Put,
        &format!("/activity/{id}"),
        Some(json!({"name": "Renamed", "icu_rpe": 6, "feel": 2, "gear": {"id": "b1"}})),
    );
    assert_eq!(status, 200, "{a}");
    assert_eq!(a["name"], "Renamed");
    assert_eq!(a["gear"]["id"], "b1");
    let (_, a) = c.call(
        Method::Put,
        &format!("/activity/{id}"),
        Some(json!({"icu_rpe": -1})),
    );
    assert!(a["icu_rpe"].is_null(), "-1 clears a number");
    assert_eq!(a["feel"], 2);

    let (status, m) = c.call(
        Method::Post,
        &format!("/activity/{id}/messages"),
        Some(json!({"content": "Felt good"})),
    );
    assert_eq!(status, 200);
    assert!(m["id"].is_i64() && m["new_chat"].is_object());
    let msgs = c.get(&format!("/activity/{id}/messages"));
    assert_eq!(msgs[0]["content"], "Felt good");

    let (status, s) = c.call(
        Method::Put,
        "/athlete/0/sport-settings/Run?recalcHrZones=true",
        Some(json!({"lthr": 175, "max_hr": 192})),
    );
    assert_eq!(status, 200, "{s}");
    assert_eq!(s["hr_zones"].as_array().unwrap().last().unwrap(), 192.0);
    assert_eq!(s["lthr"], 175);
    let athlete = c.get("/athlete/0");
    assert!(
        athlete["sportSettings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["lthr"] == 175)
    );

    let (status, f) = c.call(
        Method::Post,
        "/athlete/0/folders",
        Some(json!({"name": "Winter"})),
    );
    assert_eq!(status, 200);
    let fid = f["id"].as_i64().unwrap();
    let (status, w) = c.call(
        Method::Post,
        "/athlete/0/workouts",
        Some(json!({"folder_id": fid, "name": "Tempo", "type": "Ride", "description": "- 20m 85%\n- 10m 55%"})),
    );
    assert_eq!(status, 200, "{w}");
    assert_eq!(w["moving_time"], json!(1800.0));
    let folders = c.get("/athlete/0/folders");
    let winter = folders
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == fid)
        .unwrap();
    assert_eq!(winter["children"][0]["name"], "Tempo");
    let wid = w["id"].as_i64().unwrap();
    let (status, del) = c.call(Method::Delete, &format!("/athlete/0/workouts/{wid}"), None);
    assert_eq!((status, del), (200, json!([wid])));
}
