//! Calendar tools (events, notes, availability, goal lists): every tool through
//! `tools::call` against the sandbox, the sandbox's own rules, and closure-transport tests that
//! pin the exact requests of the write endpoints.

use std::sync::{Arc, Mutex};

use chrono::{Duration, NaiveDate};
use futures_executor::block_on;
use paceline_core::clock::ManualClock;
use paceline_core::http::{FnTransport, HttpRequest, HttpResponse, Method};
use paceline_core::sandbox::{
    AUTH_COOKIE, SAMPLE_ATHLETE_ID, SAMPLE_COOKIE, Sandbox, SandboxTransport,
};
use paceline_core::tools::{self, ToolContext, ToolError, ToolOutput};
use paceline_core::trainingpeaks::{TpClient, TpError};
use serde_json::{Value, json};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
}

/// `today + days` as `YYYY-MM-DD`.
fn day(days: i64) -> String {
    (today() + Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

struct Env {
    sandbox: Arc<Sandbox>,
    ctx: ToolContext,
}

fn env() -> Env {
    let clock = Arc::new(ManualClock::at_date(today()));
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
        match self.call(name, args.clone()) {
            Ok(o) => o,
            Err(e) => panic!("{name}({args}) failed: {e}"),
        }
    }

    /// The id of the stored object in `collection` whose `key` equals `value`.
    fn id_where(&self, collection: &str, key: &str, value: &str) -> i64 {
        self.sandbox
            .with_state(|st| {
                st.collection(collection)
                    .iter()
                    .find(|(_, v)| v.get(key).and_then(Value::as_str) == Some(value))
                    .map(|(id, _)| *id)
            })
            .unwrap_or_else(|| panic!("no {collection} with {key} = {value}"))
    }

    fn stored(&self, collection: &str, id: i64) -> Option<Value> {
        self.sandbox
            .with_state(|st| st.collection(collection).get(&id).cloned())
    }

    /// Sends one request straight to the sandbox with a valid token (for rule tests).
    fn raw(&self, method: Method, path: &str, body: Option<Value>) -> HttpResponse {
        let token_req = HttpRequest::new(
            Method::Get,
            "https://tpapi.trainingpeaks.com/users/v3/token",
        )
        .header("cookie", format!("{AUTH_COOKIE}={SAMPLE_COOKIE}"));
        let token: Value = serde_json::from_slice(&self.sandbox.handle(&token_req).body).unwrap();
        let bearer = token["token"]["access_token"].as_str().unwrap().to_string();
        let mut req = HttpRequest::new(method, format!("https://tpapi.trainingpeaks.com{path}"))
            .header("authorization", format!("Bearer {bearer}"));
        if let Some(b) = body {
            req = req.json_body(&b);
        }
        self.sandbox.handle(&req)
    }
}

fn invalid_field(r: Result<ToolOutput, ToolError>) -> String {
    match r {
        Err(ToolError::InvalidArgs { field, .. }) => field,
        Err(ToolError::Api(TpError::InvalidInput { field, .. })) => field,
        other => panic!("expected invalid arguments, got {other:?}"),
    }
}

fn not_found_message(r: Result<ToolOutput, ToolError>) -> String {
    match r {
        Err(e @ ToolError::Api(TpError::NotFound { .. })) => e.to_string(),
        other => panic!("expected a not-found error, got {other:?}"),
    }
}

const AID: i64 = SAMPLE_ATHLETE_ID;

// ---------------------------------------------------------------------------------------------
// Catalogue

#[test]
fn calendar_tools_are_registered_in_reference_order() {
    let names: Vec<&str> = tools::CATALOG.iter().map(|t| t.name()).collect();
    let ours = [
        "get_focus_event",
        "get_next_planned_event",
        "get_events",
        "create_event",
        "delete_event",
        "update_event",
        "get_note",
        "update_note",
        "get_note_comments",
        "add_note_comment",
        "create_note",
        "delete_note",
        "get_availability",
        "create_availability",
        "update_availability",
        "delete_availability",
        "create_goal_list",
        "delete_goal_list",
    ];
    let positions: Vec<usize> = ours
        .iter()
        .map(|n| {
            names
                .iter()
                .position(|x| x == n)
                .unwrap_or_else(|| panic!("{n} missing"))
        })
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "order: {positions:?}"
    );
    for n in ours {
        let t = tools::find(n).unwrap();
        let schema = t.input_schema();
        assert_eq!(schema["type"], "object", "{n}");
        assert!(
            schema["properties"]["athlete_id"].is_object(),
            "{n} lacks athlete_id"
        );
        assert_eq!(t.output_schema()["type"], "object", "{n}");
        let a = t.annotations();
        assert_eq!(a.read_only, n.starts_with("get_"), "{n}");
        assert_eq!(
            a.destructive,
            n.starts_with("delete_") || n.starts_with("update_") || n == "add_note_comment",
            "{n}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Events

#[test]
fn focus_event_is_the_a_race_with_ctl_target() {
    let e = env();
    let out = e.ok("get_focus_event", json!({}));
    let ev = &out.structured["event"];
    assert_eq!(out.structured["found"], true);
    assert_eq!(ev["name"], "Lakeside 70.3");
    assert_eq!(ev["priority"], "A");
    assert_eq!(ev["ctl_target"], 95.0);
    assert_eq!(ev["date"], day(84));
    assert_eq!(ev["days_from_today"], 84);
    assert_eq!(ev["event_type"], "MultisportTriathlon");
    assert_eq!(ev["distance_km"], 113.0);
    assert_eq!(ev["goals"]["time"], "5:15:00");
    assert!(out.text.contains("CTL target: 95"), "{}", out.text);
    assert!(out.text.contains("in 84 days"), "{}", out.text);
    assert!(out.text.contains("Negative-split the run"), "{}", out.text);
}

#[test]
fn next_planned_event_skips_hidden_and_past_events() {
    let e = env();
    let out = e.ok("get_next_planned_event", json!({}));
    // The hidden hill climb (day 21) is earlier but hidden; the 10K is past.
    assert_eq!(out.structured["event"]["name"], "Riverside Half Marathon");
    assert_eq!(out.structured["event"]["priority"], "B");
    assert_eq!(out.structured["event"]["days_from_today"], 35);
}

#[test]
fn no_focus_or_next_event_is_a_normal_answer() {
    let e = env();
    // Delete every event: both lookups now 404 in the sandbox.
    let ids: Vec<i64> = e
        .sandbox
        .with_state(|st| st.collection("events").keys().copied().collect());
    for id in ids {
        e.ok("delete_event", json!({"event_id": id}));
    }
    let out = e.ok("get_focus_event", json!({}));
    assert_eq!(out.structured, json!({"found": false, "event": null}));
    assert!(out.text.contains("No focus event"), "{}", out.text);
    let out = e.ok("get_next_planned_event", json!({}));
    assert_eq!(out.structured, json!({"found": false, "event": null}));
    assert!(out.text.contains("No upcoming"), "{}", out.text);
    // The sandbox really answered 404 (the tool turned it into an answer).
    let statuses: Vec<u16> = e
        .sandbox
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("focusevent"))
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, vec![404]);
}

#[test]
fn focus_event_real_failures_still_surface() {
    // 404 → none; empty 200 → none; 500 / 403 → errors.
    let cases: [(&str, u16, &str, Option<bool>); 4] = [
        (
            "404 means none",
            404,
            r#"{"message":"not found"}"#,
            Some(false),
        ),
        ("empty 200 means none", 200, "", Some(false)),
        ("server error is an error", 500, "boom", None),
        ("forbidden is an error", 403, "{}", None),
    ];
    for (name, status, body, found) in cases {
        let (ctx, _) = fake(move |_| HttpResponse::new(status, body));
        let r = block_on(tools::call(&ctx, "get_focus_event", json!({})));
        match found {
            Some(f) => assert_eq!(r.unwrap().structured["found"], f, "{name}"),
            None => {
                let err = r.unwrap_err();
                assert!(
                    matches!(err, ToolError::Api(TpError::Status { status: s, .. }) if s == status),
                    "{name}: {err:?}"
                );
            }
        }
    }
}

#[test]
fn get_events_lists_visible_events_sorted_with_defaults() {
    let e = env();
    let out = e.ok("get_events", json!({}));
    let s = &out.structured;
    assert_eq!(s["start_date"], day(0));
    assert_eq!(s["end_date"], "2027-11-21");
    let names: Vec<&str> = s["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Riverside Half Marathon",
            "Coastal Olympic Triathlon",
            "Lakeside 70.3",
            "Gran Fondo of the Hills"
        ]
    );
    assert_eq!(s["count"], 4);
    assert_eq!(s["hidden_count"], 1);
    // Metres are converted for the model.
    assert_eq!(s["events"][3]["distance_km"], 160.0);
    assert!(out.text.contains("[A]"), "{}", out.text);
    assert!(out.text.contains("1 hidden"), "{}", out.text);

    let out = e.ok("get_events", json!({"include_hidden": true}));
    assert_eq!(out.structured["count"], 5);
    assert_eq!(out.structured["events"][0]["is_hidden"], true);
}

#[test]
fn get_events_shows_past_results() {
    let e = env();
    let out = e.ok(
        "get_events",
        json!({"start_date": day(-60), "end_date": day(-1)}),
    );
    let ev = &out.structured["events"][0];
    assert_eq!(ev["name"], "Harbour 10K");
    assert_eq!(ev["raced"], true);
    assert_eq!(ev["days_from_today"], -42);
    assert_eq!(
        ev["results"][2],
        json!({"result_type": "Overall", "place": 87, "entrants": 1240})
    );
    assert!(out.text.contains("✓"), "{}", out.text);
    assert!(out.text.contains("42 days ago"), "{}", out.text);
}

#[test]
fn event_argument_errors_name_the_field() {
    let e = env();
    let cases = [
        (
            "bad start date",
            "get_events",
            json!({"start_date": "21/11/2026"}),
            "start_date",
        ),
        (
            "impossible date",
            "get_events",
            json!({"end_date": "2026-02-30"}),
            "end_date",
        ),
        (
            "end before start",
            "get_events",
            json!({"start_date": "2026-12-01", "end_date": "2026-11-01"}),
            "end_date",
        ),
        (
            "only end, before today",
            "get_events",
            json!({"end_date": "2026-01-01"}),
            "end_date",
        ),
        (
            "unknown event type",
            "create_event",
            json!({"name": "x", "date": "2027-01-01", "event_type": "Marathon"}),
            "event_type",
        ),
        (
            "blank name",
            "create_event",
            json!({"name": "  ", "date": "2027-01-01", "event_type": "Running"}),
            "name",
        ),
        (
            "distance without unit",
            "create_event",
            json!({"name": "x", "date": "2027-01-01", "event_type": "Running", "distance": 10}),
            "distance_units",
        ),
        (
            "negative distance",
            "create_event",
            json!({"name": "x", "date": "2027-01-01", "event_type": "Running", "distance": -5, "distance_units": "Kilometers"}),
            "distance",
        ),
        (
            "absurd CTL",
            "create_event",
            json!({"name": "x", "date": "2027-01-01", "event_type": "Running", "ctl_target": 1000}),
            "ctl_target",
        ),
        (
            "bad priority",
            "create_event",
            json!({"name": "x", "date": "2027-01-01", "event_type": "Running", "priority": "D"}),
            "priority",
        ),
        (
            "bad create date",
            "create_event",
            json!({"name": "x", "date": "2027-1-1", "event_type": "Running"}),
            "date",
        ),
        (
            "nothing to update",
            "update_event",
            json!({"event_id": 5}),
            "arguments",
        ),
        (
            "zero id",
            "delete_event",
            json!({"event_id": 0}),
            "event_id",
        ),
        (
            "string id",
            "delete_event",
            json!({"event_id": "abc"}),
            "event_id",
        ),
        (
            "bad athlete id",
            "get_focus_event",
            json!({"athlete_id": -3}),
            "athlete_id",
        ),
    ];
    for (name, tool, args, field) in cases {
        assert_eq!(invalid_field(e.call(tool, args)), field, "{name}");
    }
    // None of them reached a data endpoint.
    assert!(
        e.sandbox
            .requests()
            .iter()
            .all(|r| r.path.starts_with("/users/")),
        "{:?}",
        e.sandbox.requests()
    );
}

#[test]
fn create_event_round_trips_with_priority_ctl_and_distance() {
    let e = env();
    let out = e.ok(
        "create_event",
        json!({"name": "Spring Marathon", "date": day(140), "event_type": "RoadRunning", "priority": "B",
               "distance": 26.2, "distance_units": "Miles", "ctl_target": 90, "description": "Goal: sub 3:15"}),
    );
    let ev = &out.structured["event"];
    let id = ev["id"].as_i64().unwrap();
    assert_eq!(ev["event_type"], "RunningRoad");
    assert_eq!(ev["priority"], "B");
    assert_eq!(ev["ctl_target"], 90.0);
    assert_eq!(ev["distance_units"], "Miles");
    assert!((ev["distance_km"].as_f64().unwrap() - 42.165).abs() < 0.001);
    assert!(out.text.contains("Spring Marathon"), "{}", out.text);

    let stored = e.stored("events", id).unwrap();
    assert_eq!(stored["personId"], AID);
    assert_eq!(stored["eventDate"], format!("{}T00:00:00", day(140)));
    assert_eq!(stored["atpPriority"], "B");
    assert_eq!(stored["description"], "Goal: sub 3:15");

    let listed = e.ok(
        "get_events",
        json!({"start_date": day(139), "end_date": day(141)}),
    );
    assert_eq!(listed.structured["events"][0]["id"], id);
    // Defaults: priority C when not given.
    let out = e.ok(
        "create_event",
        json!({"name": "Parkrun", "date": day(3), "event_type": "RunningRoad"}),
    );
    assert_eq!(out.structured["event"]["priority"], "C");
}

#[test]
fn update_event_merges_and_keeps_every_other_field() {
    let e = env();
    let id = e.id_where("events", "name", "Lakeside 70.3");
    let before = e.stored("events", id).unwrap();
    let out = e.ok(
        "update_event",
        json!({"event_id": id, "ctl_target": 98, "priority": "A"}),
    );
    assert_eq!(out.structured["event"]["ctl_target"], 98.0);
    let after = e.stored("events", id).unwrap();
    // Everything except the changed field survived the full-object PUT.
    let mut expected = before.clone();
    expected["ctlTarget"] = json!(98.0);
    assert_eq!(after, expected);
    // The PUT carried the whole object.
    let put = e
        .sandbox
        .requests()
        .into_iter()
        .find(|r| r.method == Method::Put)
        .unwrap();
    assert_eq!(put.path, format!("/fitness/v6/athletes/{AID}/event"));
    assert_eq!(put.body.unwrap()["goals"], before["goals"]);

    // Date and name change too.
    let out = e.ok(
        "update_event",
        json!({"event_id": id, "date": day(91), "name": "Lakeside 70.3 (moved)"}),
    );
    assert_eq!(out.structured["event"]["days_from_today"], 91);
    assert_eq!(
        e.stored("events", id).unwrap()["eventDate"],
        format!("{}T00:00:00", day(91))
    );
    assert_eq!(e.stored("events", id).unwrap()["ctlTarget"], 98.0);
}

#[test]
fn unknown_event_ids_are_actionable() {
    let e = env();
    let msg = not_found_message(e.call("update_event", json!({"event_id": 999, "name": "x"})));
    assert!(msg.contains("Event 999 for athlete"), "{msg}");
    assert!(msg.contains("get_events"), "{msg}");
    let msg = not_found_message(e.call("delete_event", json!({"event_id": 999})));
    assert!(msg.contains("Event 999 for athlete"), "{msg}");
    // No write was attempted for the update.
    assert!(e.sandbox.requests().iter().all(|r| r.method != Method::Put));
}

#[test]
fn delete_event_removes_it() {
    let e = env();
    let id = e.id_where("events", "name", "Gran Fondo of the Hills");
    let out = e.ok("delete_event", json!({"event_id": id}));
    assert_eq!(out.structured, json!({"event_id": id, "deleted": true}));
    assert!(e.stored("events", id).is_none());
    not_found_message(e.call("delete_event", json!({"event_id": id})));
}

// ---------------------------------------------------------------------------------------------
// Notes

#[test]
fn get_note_and_comments() {
    let e = env();
    let id = e.id_where("notes", "title", "Coach check-in");
    let out = e.ok("get_note", json!({"note_id": id}));
    assert_eq!(out.structured["note"]["title"], "Coach check-in");
    assert_eq!(out.structured["note"]["date"], day(-3));
    assert_eq!(out.structured["note"]["comment_count"], 2);
    assert!(out.text.contains(&format!("ID: {id}")), "{}", out.text);

    let out = e.ok("get_note_comments", json!({"note_id": id}));
    let cs = out.structured["comments"].as_array().unwrap();
    assert_eq!(cs.len(), 2);
    assert_eq!(cs[0]["author"], "Alex Rivera");
    assert_eq!(cs[1]["author"], "Jordan Lee");
    assert!(cs[1]["text"].as_str().unwrap().contains("Saturday"));
    assert!(out.text.contains("Jordan Lee"), "{}", out.text);

    let quiet = e.id_where("notes", "title", "Race recce");
    let out = e.ok("get_note_comments", json!({"note_id": quiet}));
    assert_eq!(out.structured["count"], 0);
    assert!(out.text.starts_with("No comments"), "{}", out.text);
}

#[test]
fn note_lifecycle_create_update_comment_delete() {
    let e = env();
    let out = e.ok(
        "create_note",
        json!({"date": day(2), "title": "Dentist", "description": "Morning, skip swim"}),
    );
    let id = out.structured["note"]["id"].as_i64().unwrap();
    assert_eq!(out.structured["note"]["date"], day(2));
    let created = e.stored("notes", id).unwrap();
    assert_eq!(created["athleteId"], AID);

    // Update only the title: the description and createdDate survive the full PUT.
    let out = e.ok(
        "update_note",
        json!({"note_id": id, "title": "Dentist 9:00"}),
    );
    assert_eq!(out.structured["note"]["title"], "Dentist 9:00");
    assert_eq!(out.structured["note"]["description"], "Morning, skip swim");
    let updated = e.stored("notes", id).unwrap();
    assert_eq!(updated["createdDate"], created["createdDate"]);
    assert_eq!(updated["description"], "Morning, skip swim");
    let out = e.ok("update_note", json!({"note_id": id, "date": day(4)}));
    assert_eq!(out.structured["note"]["date"], day(4));
    assert_eq!(out.structured["note"]["title"], "Dentist 9:00");

    let out = e.ok(
        "add_note_comment",
        json!({"note_id": id, "comment": "Moved to Thursday"}),
    );
    assert_eq!(out.structured["action"], "added");
    let cid = out.structured["comment_stream_id"].as_i64().unwrap();
    let out = e.ok(
        "add_note_comment",
        json!({"note_id": id, "comment": "Moved to Friday", "comment_stream_id": cid}),
    );
    assert_eq!(
        out.structured,
        json!({"note_id": id, "action": "updated", "comment_stream_id": cid})
    );
    let out = e.ok("get_note_comments", json!({"note_id": id}));
    assert_eq!(out.structured["count"], 1);
    assert_eq!(out.structured["comments"][0]["text"], "Moved to Friday");

    let out = e.ok("delete_note", json!({"note_id": id}));
    assert_eq!(out.structured["deleted"], true);
    assert!(e.stored("notes", id).is_none());
    not_found_message(e.call("get_note", json!({"note_id": id})));
}

#[test]
fn note_errors() {
    let e = env();
    let cases = [
        (
            "bad date",
            "create_note",
            json!({"date": "tomorrow", "title": "x"}),
            "date",
        ),
        (
            "blank title",
            "create_note",
            json!({"date": "2026-11-22", "title": ""}),
            "title",
        ),
        (
            "missing title",
            "create_note",
            json!({"date": "2026-11-22"}),
            "title",
        ),
        (
            "nothing to update",
            "update_note",
            json!({"note_id": 5}),
            "arguments",
        ),
        (
            "bad update date",
            "update_note",
            json!({"note_id": 5, "date": "2026-13-01"}),
            "date",
        ),
        (
            "blank comment",
            "add_note_comment",
            json!({"note_id": 5, "comment": " "}),
            "comment",
        ),
        (
            "bad stream id",
            "add_note_comment",
            json!({"note_id": 5, "comment": "x", "comment_stream_id": -1}),
            "comment_stream_id",
        ),
    ];
    for (name, tool, args, field) in cases {
        assert_eq!(invalid_field(e.call(tool, args)), field, "{name}");
    }
    for (tool, args) in [
        ("get_note", json!({"note_id": 12345})),
        ("update_note", json!({"note_id": 12345, "title": "x"})),
        ("get_note_comments", json!({"note_id": 12345})),
        (
            "add_note_comment",
            json!({"note_id": 12345, "comment": "x"}),
        ),
        ("delete_note", json!({"note_id": 12345})),
    ] {
        let msg = not_found_message(e.call(tool, args));
        assert!(
            msg.contains("Calendar note 12345 for athlete"),
            "{tool}: {msg}"
        );
    }
    let note = e.id_where("notes", "title", "Bike fit");
    let msg = not_found_message(e.call(
        "add_note_comment",
        json!({"note_id": note, "comment": "x", "comment_stream_id": 777}),
    ));
    assert!(msg.contains("Comment 777"), "{msg}");
}

// ---------------------------------------------------------------------------------------------
// Availability

#[test]
fn get_availability_shows_travel_week_and_sick_day() {
    let e = env();
    let out = e.ok(
        "get_availability",
        json!({"start_date": day(-7), "end_date": day(30)}),
    );
    let entries = out.structured["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["status"], "unavailable");
    assert_eq!(entries[0]["start_date"], day(-5));
    assert_eq!(entries[0]["reason"], "Illness");
    assert_eq!(entries[1]["status"], "limited");
    assert_eq!(entries[1]["available_sports"], json!(["run", "weights"]));
    assert_eq!(
        (
            entries[1]["start_date"].as_str(),
            entries[1]["end_date"].as_str()
        ),
        (Some(&*day(14)), Some(&*day(20)))
    );
    assert!(
        out.text.contains("Limited (available: run, weights)"),
        "{}",
        out.text
    );
    // A range that only overlaps the end of the travel week still finds it.
    let out = e.ok(
        "get_availability",
        json!({"start_date": day(20), "end_date": day(25)}),
    );
    assert_eq!(out.structured["count"], 1);
    let out = e.ok(
        "get_availability",
        json!({"start_date": day(60), "end_date": day(70)}),
    );
    assert_eq!(out.structured["count"], 0);
}

#[test]
fn availability_lifecycle() {
    let e = env();
    // Sports given without `limited` mean limited.
    let out = e.ok(
        "create_availability",
        json!({"start_date": day(60), "end_date": day(62), "available_sports": ["run", "swim"], "reason": "Travel"}),
    );
    let a = &out.structured["availability"];
    let id = a["id"].as_i64().unwrap();
    assert_eq!(a["status"], "limited");
    assert_eq!(a["available_sports"], json!(["run", "swim"]));
    let stored = e.stored("availability", id).unwrap();
    assert_eq!(stored["type"], 2);
    assert_eq!(stored["personId"], AID);
    assert_eq!(stored["availableSportTypes"], json!([3, 1]));

    // Single day, unavailable, by default.
    let out = e.ok("create_availability", json!({"start_date": day(70)}));
    assert_eq!(out.structured["availability"]["status"], "unavailable");
    assert_eq!(out.structured["availability"]["end_date"], day(70));

    // Changing only the description keeps dates, status and sports.
    let out = e.ok(
        "update_availability",
        json!({"availability_id": id, "description": "Team camp"}),
    );
    let a = &out.structured["availability"];
    assert_eq!(a["description"], "Team camp");
    assert_eq!(a["status"], "limited");
    assert_eq!(a["available_sports"], json!(["run", "swim"]));
    assert_eq!(a["reason"], "Travel");
    assert_eq!(
        (a["start_date"].as_str(), a["end_date"].as_str()),
        (Some(&*day(60)), Some(&*day(62)))
    );

    // Moving the end date only; then making it unavailable clears the sports.
    let out = e.ok(
        "update_availability",
        json!({"availability_id": id, "end_date": day(64)}),
    );
    assert_eq!(out.structured["availability"]["end_date"], day(64));
    let out = e.ok(
        "update_availability",
        json!({"availability_id": id, "limited": false}),
    );
    assert_eq!(out.structured["availability"]["status"], "unavailable");
    assert_eq!(
        e.stored("availability", id).unwrap()["availableSportTypes"],
        json!([])
    );

    let out = e.ok("delete_availability", json!({"availability_id": id}));
    assert_eq!(
        out.structured,
        json!({"availability_id": id, "deleted": true})
    );
    assert!(e.stored("availability", id).is_none());
}

#[test]
fn availability_errors() {
    let e = env();
    let travel = e.id_where("availability", "reason", "Travel");
    let cases = [
        (
            "end before start",
            "get_availability",
            json!({"start_date": day(5), "end_date": day(1)}),
            "end_date",
        ),
        (
            "bad date",
            "get_availability",
            json!({"start_date": "2026-11", "end_date": day(1)}),
            "start_date",
        ),
        (
            "missing end",
            "get_availability",
            json!({"start_date": day(1)}),
            "end_date",
        ),
        (
            "create end before start",
            "create_availability",
            json!({"start_date": day(5), "end_date": day(1)}),
            "end_date",
        ),
        (
            "sports with limited false",
            "create_availability",
            json!({"start_date": day(5), "limited": false, "available_sports": ["run"]}),
            "available_sports",
        ),
        (
            "unknown sport",
            "create_availability",
            json!({"start_date": day(5), "available_sports": ["race"]}),
            "available_sports[0]",
        ),
        (
            "nothing to update",
            "update_availability",
            json!({"availability_id": travel}),
            "arguments",
        ),
        // Only a new start after the stored end (day 20): caught after the merge, naming start_date.
        (
            "merged range inverted",
            "update_availability",
            json!({"availability_id": travel, "start_date": day(25)}),
            "start_date",
        ),
    ];
    for (name, tool, args, field) in cases {
        assert_eq!(invalid_field(e.call(tool, args)), field, "{name}");
    }
    let msg = not_found_message(e.call(
        "update_availability",
        json!({"availability_id": 4242, "reason": "x"}),
    ));
    assert!(msg.contains("Availability entry 4242 for athlete"), "{msg}");
    let msg = not_found_message(e.call("delete_availability", json!({"availability_id": 4242})));
    assert!(msg.contains("Availability entry 4242"), "{msg}");
    // The inverted merge never reached the server as a PUT.
    assert!(e.sandbox.requests().iter().all(|r| r.method != Method::Put));
}

// ---------------------------------------------------------------------------------------------
// Goal lists

#[test]
fn goal_list_create_and_delete() {
    let e = env();
    let out = e.ok(
        "create_goal_list",
        json!({"date": day(84), "title": "Race goals", "goals": ["Sub 5:15", "Run the whole half"]}),
    );
    let id = out.structured["goal_list_id"].as_i64().unwrap();
    assert_eq!(
        out.structured["goals"],
        json!(["Sub 5:15", "Run the whole half"])
    );
    assert!(
        out.text.contains("1. Sub 5:15\n2. Run the whole half"),
        "{}",
        out.text
    );
    let stored = e.stored("goal_lists", id).unwrap();
    assert_eq!(stored["isFuture"], true);
    assert_eq!(stored["goals"][1]["goalListId"], id);

    let out = e.ok("delete_goal_list", json!({"goal_list_id": id}));
    assert_eq!(out.structured["deleted"], true);
    let msg = not_found_message(e.call("delete_goal_list", json!({"goal_list_id": id})));
    assert!(
        msg.contains(&format!("Goal list {id} for athlete")),
        "{msg}"
    );

    // The seeded list can be deleted too.
    let seeded = e.id_where("goal_lists", "title", "2027 season goals");
    e.ok("delete_goal_list", json!({"goal_list_id": seeded}));

    let cases = [
        (
            "no goals",
            json!({"date": day(1), "title": "t", "goals": []}),
            "goals",
        ),
        (
            "blank goal",
            json!({"date": day(1), "title": "t", "goals": ["a", " "]}),
            "goals[1]",
        ),
        (
            "blank title",
            json!({"date": day(1), "title": "", "goals": ["a"]}),
            "title",
        ),
        (
            "bad date",
            json!({"date": "soon", "title": "t", "goals": ["a"]}),
            "date",
        ),
    ];
    for (name, args, field) in cases {
        assert_eq!(
            invalid_field(e.call("create_goal_list", args)),
            field,
            "{name}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Expired session

#[test]
fn every_calendar_tool_reports_an_expired_session() {
    let e = env();
    let event = e.id_where("events", "name", "Lakeside 70.3");
    let note = e.id_where("notes", "title", "Bike fit");
    let avail = e.id_where("availability", "reason", "Travel");
    // Warm the client's token and user cache first, so expiry is hit mid-session.
    e.ok("get_focus_event", json!({}));
    e.sandbox.set_logged_in(SAMPLE_COOKIE, false);
    e.sandbox.expire_tokens();
    let calls = [
        ("get_focus_event", json!({})),
        ("get_next_planned_event", json!({})),
        ("get_events", json!({})),
        (
            "create_event",
            json!({"name": "x", "date": day(9), "event_type": "Running"}),
        ),
        ("delete_event", json!({"event_id": event})),
        ("update_event", json!({"event_id": event, "name": "y"})),
        ("get_note", json!({"note_id": note})),
        ("update_note", json!({"note_id": note, "title": "y"})),
        ("get_note_comments", json!({"note_id": note})),
        ("add_note_comment", json!({"note_id": note, "comment": "y"})),
        ("create_note", json!({"date": day(1), "title": "y"})),
        ("delete_note", json!({"note_id": note})),
        (
            "get_availability",
            json!({"start_date": day(0), "end_date": day(9)}),
        ),
        ("create_availability", json!({"start_date": day(9)})),
        (
            "update_availability",
            json!({"availability_id": avail, "reason": "y"}),
        ),
        ("delete_availability", json!({"availability_id": avail})),
        (
            "create_goal_list",
            json!({"date": day(9), "title": "t", "goals": ["g"]}),
        ),
        ("delete_goal_list", json!({"goal_list_id": 1})),
    ];
    for (tool, args) in calls {
        let err = e.call(tool, args).unwrap_err();
        assert_eq!(err, ToolError::Api(TpError::NotLoggedIn), "{tool}");
        assert!(err.to_string().contains("Log in"), "{tool}: {err}");
    }
    // Nothing changed.
    assert!(e.stored("events", event).is_some());
    assert!(e.stored("notes", note).is_some());
}

// ---------------------------------------------------------------------------------------------
// Sandbox rules

#[test]
fn sandbox_enforces_calendar_rules() {
    let e = env();
    let event = e.id_where("events", "name", "Lakeside 70.3");
    let note = e.id_where("notes", "title", "Bike fit");
    let avail = e.id_where("availability", "reason", "Travel");
    let v6 = format!("/fitness/v6/athletes/{AID}");
    let v1 = format!("/fitness/v1/athletes/{AID}");
    let good_avail = json!({"personId": AID, "startDate": "2027-01-01", "endDate": "2027-01-02", "type": 1,
                            "limitedAvailability": false, "reason": null, "availableSportTypes": [], "description": null});
    let mut with_athlete_id = good_avail.clone();
    with_athlete_id.as_object_mut().unwrap().remove("personId");
    with_athlete_id["athleteId"] = json!(AID);
    let cases: Vec<(&str, Method, String, Option<Value>, u16)> = vec![
        (
            "focus event exists",
            Method::Get,
            format!("{v6}/events/focusevent"),
            None,
            200,
        ),
        (
            "other athlete",
            Method::Get,
            "/fitness/v6/athletes/1/events/focusevent".into(),
            None,
            403,
        ),
        (
            "bad range date",
            Method::Get,
            format!("{v6}/events/2026-13-01/2027-01-01"),
            None,
            400,
        ),
        (
            "inverted range",
            Method::Get,
            format!("{v6}/events/2027-01-01/2026-01-01"),
            None,
            400,
        ),
        (
            "event without personId",
            Method::Post,
            format!("{v6}/event"),
            Some(json!({"name": "x", "eventDate": "2027-01-01", "eventType": "RunningRoad"})),
            400,
        ),
        (
            "event bad priority",
            Method::Post,
            format!("{v6}/event"),
            Some(
                json!({"personId": AID, "name": "x", "eventDate": "2027-01-01", "atpPriority": "Z"}),
            ),
            400,
        ),
        (
            "event ctlTarget as string",
            Method::Post,
            format!("{v6}/event"),
            Some(
                json!({"personId": AID, "name": "x", "eventDate": "2027-01-01", "ctlTarget": "90"}),
            ),
            400,
        ),
        (
            "event ok",
            Method::Post,
            format!("{v6}/event"),
            Some(
                json!({"personId": AID, "name": "x", "eventDate": "2027-01-01", "eventType": "RunningRoad"}),
            ),
            200,
        ),
        (
            "put unknown event",
            Method::Put,
            format!("{v6}/event"),
            Some(json!({"id": 1, "personId": AID, "name": "x", "eventDate": "2027-01-01"})),
            404,
        ),
        (
            "put event without id",
            Method::Put,
            format!("{v6}/event"),
            Some(json!({"personId": AID, "name": "x", "eventDate": "2027-01-01"})),
            400,
        ),
        (
            "delete non-numeric id",
            Method::Delete,
            format!("{v6}/event/abc"),
            None,
            400,
        ),
        (
            "plural create path is not routed",
            Method::Post,
            format!("{v6}/events"),
            Some(json!({})),
            404,
        ),
        (
            "note PUT without createdDate",
            Method::Put,
            format!("{v1}/calendarNote/{note}"),
            Some(
                json!({"id": note, "athleteId": AID, "title": "t", "noteDate": "2026-11-20T00:00:00"}),
            ),
            400,
        ),
        (
            "note POST other athlete",
            Method::Post,
            format!("{v1}/calendarNote"),
            Some(json!({"athleteId": 1, "title": "t", "noteDate": "2026-11-20"})),
            400,
        ),
        (
            "comment lower-case key",
            Method::Put,
            format!("{v1}/calendarNote/{note}/comment"),
            Some(json!({"comment": "x"})),
            400,
        ),
        (
            "comment on unknown note",
            Method::Put,
            format!("{v1}/calendarNote/1/comment"),
            Some(json!({"Comment": "x"})),
            404,
        ),
        (
            "availability with athleteId",
            Method::Post,
            format!("{v1}/availability"),
            Some(with_athlete_id),
            400,
        ),
        (
            "availability ok",
            Method::Post,
            format!("{v1}/availability"),
            Some(good_avail.clone()),
            200,
        ),
        (
            "availability bad type",
            Method::Post,
            format!("{v1}/availability"),
            Some(
                json!({"personId": AID, "startDate": "2027-01-01", "endDate": "2027-01-02", "type": 3}),
            ),
            400,
        ),
        (
            "availability sports as strings",
            Method::Post,
            format!("{v1}/availability"),
            Some(
                json!({"personId": AID, "startDate": "2027-01-01", "endDate": "2027-01-02", "type": 2, "availableSportTypes": ["run"]}),
            ),
            400,
        ),
        (
            "availability inverted",
            Method::Post,
            format!("{v1}/availability"),
            Some(
                json!({"personId": AID, "startDate": "2027-01-05", "endDate": "2027-01-02", "type": 1}),
            ),
            400,
        ),
        (
            "availability put unknown",
            Method::Put,
            format!("{v1}/availability/1"),
            Some(good_avail),
            404,
        ),
        (
            "goal list wrong activityType",
            Method::Post,
            format!("{v1}/goallists"),
            Some(
                json!({"athleteId": AID, "title": "t", "activityType": "GOAL", "activityDate": "2027-01-01", "achieveBy": "2027-01-01", "goals": []}),
            ),
            400,
        ),
        (
            "goal list delete unknown",
            Method::Delete,
            format!("{v1}/goallists/1"),
            None,
            404,
        ),
    ];
    for (name, method, path, body, status) in cases {
        let resp = e.raw(method, &path, body);
        assert_eq!(resp.status, status, "{name}: {}", resp.text());
    }
    assert!(e.stored("events", event).is_some());
    assert!(e.stored("availability", avail).is_some());
}

#[test]
fn sandbox_put_replaces_the_whole_object() {
    let e = env();
    let v6 = format!("/fitness/v6/athletes/{AID}");
    let id = e.id_where("events", "name", "Lakeside 70.3");
    // A partial PUT (what a client that skips the GET-merge would send) loses goals and the CTL target.
    let resp = e.raw(
        Method::Put,
        &format!("{v6}/event"),
        Some(
            json!({"id": id, "personId": AID, "name": "Lakeside 70.3", "eventDate": "2027-02-13"}),
        ),
    );
    assert_eq!(resp.status, 200);
    let stored = e.stored("events", id).unwrap();
    assert!(stored.get("ctlTarget").is_none(), "{stored}");
    assert!(stored.get("goals").is_none(), "{stored}");
    assert_eq!(stored["eventDate"], "2027-02-13T00:00:00");

    let avail = e.id_where("availability", "reason", "Travel");
    let resp = e.raw(
        Method::Put,
        &format!("/fitness/v1/athletes/{AID}/availability/{avail}"),
        Some(
            json!({"personId": AID, "startDate": "2027-01-01", "endDate": "2027-01-02", "type": 1}),
        ),
    );
    assert_eq!(resp.status, 200);
    let stored = e.stored("availability", avail).unwrap();
    assert!(stored.get("reason").is_none(), "{stored}");
    assert_eq!(stored["availableSportTypes"], json!([]));
    assert_eq!(stored["limitedAvailability"], false);
}

#[test]
fn seed_is_relative_to_today_and_deterministic() {
    let a = env();
    let b = env();
    for c in [
        "events",
        "notes",
        "note_comments",
        "availability",
        "goal_lists",
    ] {
        let x = a.sandbox.with_state(|st| st.collection(c).clone());
        let y = b.sandbox.with_state(|st| st.collection(c).clone());
        assert!(!x.is_empty(), "{c} is empty");
        assert_eq!(x, y, "{c} differs between two sandboxes");
    }
    // A race 10–16 weeks out, with a CTL target.
    let a_races: Vec<Value> = a.sandbox.with_state(|st| {
        st.collection("events")
            .values()
            .filter(|e| e["atpPriority"] == "A")
            .cloned()
            .collect()
    });
    assert_eq!(a_races.len(), 1);
    let date =
        NaiveDate::parse_from_str(&a_races[0]["eventDate"].as_str().unwrap()[..10], "%Y-%m-%d")
            .unwrap();
    let weeks = (date - today()).num_days() as f64 / 7.0;
    assert!((10.0..=16.0).contains(&weeks), "{weeks}");
    assert!(a_races[0]["ctlTarget"].as_f64().is_some());
}

// ---------------------------------------------------------------------------------------------
// Exact requests (closure transport)

type Log = Arc<Mutex<Vec<HttpRequest>>>;

const FAKE_AID: i64 = 42;

/// A client whose transport answers the token exchange and `/users/v3/user` itself and hands
/// every other request to `respond`, recording it.
fn fake(
    respond: impl Fn(&HttpRequest) -> HttpResponse + Send + Sync + 'static,
) -> (ToolContext, Log) {
    let log = Log::default();
    let seen = log.clone();
    let transport = FnTransport(move |req: HttpRequest| {
        match req.path_and_query() {
            "/users/v3/token" => {
                return Ok(HttpResponse::json(
                    200,
                    &json!({"success": true, "token": {"access_token": "tok-1", "token_type": "bearer", "expires_in": 3600}}),
                ));
            }
            "/users/v3/user" => {
                return Ok(HttpResponse::json(
                    200,
                    &json!({"user": {"userId": FAKE_AID}}),
                ));
            }
            _ => {}
        }
        seen.lock().unwrap().push(req.clone());
        Ok(respond(&req))
    });
    let clock = Arc::new(ManualClock::at_date(today()));
    let client = TpClient::new(Arc::new(transport), clock);
    (ToolContext::new(Arc::new(client)), log)
}

fn body_of(req: &HttpRequest) -> Value {
    serde_json::from_slice(req.body.as_deref().expect("request has a body")).unwrap()
}

fn assert_request(req: &HttpRequest, method: Method, path: &str, body: Option<Value>) {
    assert_eq!(req.method, method, "{}", req.url);
    assert_eq!(req.url, format!("https://tpapi.trainingpeaks.com{path}"));
    assert_eq!(
        req.header_value("authorization"),
        Some("Bearer tok-1"),
        "{path}"
    );
    match body {
        Some(b) => {
            assert_eq!(
                req.header_value("content-type"),
                Some("application/json"),
                "{path}"
            );
            assert_eq!(body_of(req), b, "{path}");
        }
        None => assert!(req.body.is_none(), "{path} has a body"),
    }
}

/// Echoes a POST/PUT body back with an id, as TrainingPeaks answers.
fn echo_with_id(req: &HttpRequest, id: i64) -> HttpResponse {
    let mut b = req
        .body
        .as_deref()
        .map(|b| serde_json::from_slice(b).unwrap())
        .unwrap_or(json!({}));
    b["id"] = json!(id);
    HttpResponse::json(200, &b)
}

#[test]
fn wire_create_event() {
    let (ctx, log) = fake(|req| echo_with_id(req, 901));
    let out = block_on(tools::call(
        &ctx,
        "create_event",
        json!({"name": "Lakeside 70.3", "date": "2027-02-13", "event_type": "Triathlon", "priority": "A",
               "distance": 113, "distance_units": "km", "ctl_target": 95, "description": "Goal race"}),
    ))
    .unwrap();
    assert_eq!(out.structured["event"]["id"], 901);
    let log = log.lock().unwrap();
    assert_eq!(log.len(), 1);
    assert_request(
        &log[0],
        Method::Post,
        "/fitness/v6/athletes/42/event",
        Some(json!({
            "goals": {},
            "atpPriority": "A",
            "legs": [],
            "eventDate": "2027-02-13",
            "name": "Lakeside 70.3",
            "personId": 42,
            "eventType": "MultisportTriathlon",
            "workouts": [],
            "results": [{"resultType": "Division"}, {"resultType": "Gender"}, {"resultType": "Overall"}],
            "distance": 113.0,
            "distanceUnits": "Kilometers",
            "ctlTarget": 95.0,
            "description": "Goal race"
        })),
    );
}

#[test]
fn wire_create_event_minimal_defaults_priority_c() {
    let (ctx, log) = fake(|req| echo_with_id(req, 902));
    block_on(tools::call(
        &ctx,
        "create_event",
        json!({"name": "Parkrun", "date": "2026-11-28", "event_type": "OtherOther"}),
    ))
    .unwrap();
    let log = log.lock().unwrap();
    assert_eq!(
        body_of(&log[0]),
        json!({"goals": {}, "atpPriority": "C", "legs": [], "eventDate": "2026-11-28", "name": "Parkrun",
               "personId": 42, "eventType": "OtherOther", "workouts": [],
               "results": [{"resultType": "Division"}, {"resultType": "Gender"}, {"resultType": "Overall"}],
               "distance": null, "distanceUnits": null})
    );
}

#[test]
fn wire_update_event_gets_merges_and_puts_full_object() {
    let existing = json!({
        "id": 77, "personId": 42, "eventDate": "2027-02-13T00:00:00", "name": "Lakeside 70.3",
        "eventType": "MultisportTriathlon", "description": "d", "comment": null, "workoutIds": [5, 6],
        "results": [{"resultType": "Overall", "place": null, "entrants": null}],
        "goals": {"athleteEventId": 77, "time": 18900, "written": ["x"]}, "atpPriority": "B",
        "raceTypeDuration": null, "isHidden": false, "isLocked": false, "ctlTarget": 90,
        "distance": 113, "distanceUnits": "Kilometers", "legs": [], "workouts": [5, 6],
        "someFutureField": {"kept": true}
    });
    let other = json!({"id": 78, "eventDate": "2027-03-01T00:00:00", "name": "Other"});
    let list = json!([other, existing.clone()]);
    let (ctx, log) = fake(move |req| match req.method {
        Method::Get => HttpResponse::json(200, &list),
        _ => HttpResponse::new(200, ""),
    });
    let out = block_on(tools::call(
        &ctx,
        "update_event",
        json!({"event_id": 77, "priority": "A", "ctl_target": 96, "date": "2027-02-20"}),
    ))
    .unwrap();
    assert_eq!(out.structured["event"]["ctl_target"], 96.0);
    assert_eq!(out.structured["event"]["date"], "2027-02-20");
    let log = log.lock().unwrap();
    assert_eq!(log.len(), 2);
    // today 2026-11-21 ± 730 days.
    assert_request(
        &log[0],
        Method::Get,
        "/fitness/v6/athletes/42/events/2024-11-21/2028-11-20",
        None,
    );
    let mut expected = existing;
    expected["atpPriority"] = json!("A");
    expected["ctlTarget"] = json!(96.0);
    expected["eventDate"] = json!("2027-02-20T00:00:00");
    assert_request(
        &log[1],
        Method::Put,
        "/fitness/v6/athletes/42/event",
        Some(expected),
    );
}

#[test]
fn wire_delete_event_and_note_and_availability_and_goal_list() {
    let (ctx, log) = fake(|_| HttpResponse::new(204, ""));
    for (tool, args) in [
        ("delete_event", json!({"event_id": 77})),
        ("delete_note", json!({"note_id": 5})),
        ("delete_availability", json!({"availability_id": 6})),
        ("delete_goal_list", json!({"goal_list_id": 7})),
    ] {
        block_on(tools::call(&ctx, tool, args)).unwrap();
    }
    let log = log.lock().unwrap();
    let paths = [
        "/fitness/v6/athletes/42/event/77",
        "/fitness/v1/athletes/42/calendarNote/5",
        "/fitness/v1/athletes/42/availability/6",
        "/fitness/v1/athletes/42/goallists/7",
    ];
    assert_eq!(log.len(), paths.len());
    for (req, path) in log.iter().zip(paths) {
        assert_request(req, Method::Delete, path, None);
    }
}

#[test]
fn wire_create_note() {
    let (ctx, log) = fake(|req| echo_with_id(req, 31));
    let out = block_on(tools::call(
        &ctx,
        "create_note",
        json!({"date": "2026-11-23", "title": "Travel day"}),
    ))
    .unwrap();
    assert_eq!(out.structured["note"]["id"], 31);
    let log = log.lock().unwrap();
    assert_eq!(log.len(), 1);
    assert_request(
        &log[0],
        Method::Post,
        "/fitness/v1/athletes/42/calendarNote",
        Some(
            json!({"athleteId": 42, "title": "Travel day", "noteDate": "2026-11-23T00:00:00", "description": "",
                    "isHidden": false, "attachments": []}),
        ),
    );
}

#[test]
fn wire_update_note_gets_merges_and_puts_full_note() {
    let existing = json!({"id": 31, "athleteId": 42, "title": "Travel day", "noteDate": "2026-11-23T00:00:00",
        "description": "Flight at 7", "isHidden": false, "attachments": [{"name": "ticket.pdf"}],
        "createdDate": "2026-11-20T10:00:00", "modifiedDate": "2026-11-20T10:00:00", "ownerId": 42,
        "commentCount": 1, "appliedPlanId": 555});
    let get_answer = existing.clone();
    let (ctx, log) = fake(move |req| match req.method {
        Method::Get => HttpResponse::json(200, &get_answer),
        _ => HttpResponse::new(200, ""),
    });
    let out = block_on(tools::call(
        &ctx,
        "update_note",
        json!({"note_id": 31, "description": "Flight at 9"}),
    ))
    .unwrap();
    assert_eq!(out.structured["note"]["description"], "Flight at 9");
    assert_eq!(out.structured["note"]["title"], "Travel day");
    let log = log.lock().unwrap();
    assert_eq!(log.len(), 2);
    assert_request(
        &log[0],
        Method::Get,
        "/fitness/v1/athletes/42/calendarNote/31",
        None,
    );
    let mut expected = existing;
    expected["description"] = json!("Flight at 9");
    expected["parentPlanNoteId"] = json!(0);
    assert_request(
        &log[1],
        Method::Put,
        "/fitness/v1/athletes/42/calendarNote/31",
        Some(expected),
    );
}

#[test]
fn wire_note_comment_bodies_are_pascal_case() {
    let comments = json!([{"calendarNoteId": 31, "calendarNoteCommentStreamId": 8, "comment": "See you there"}]);
    let (ctx, log) = fake(move |req| match req.method {
        Method::Get => HttpResponse::json(200, &comments),
        _ => HttpResponse::new(200, ""),
    });
    let out = block_on(tools::call(
        &ctx,
        "add_note_comment",
        json!({"note_id": 31, "comment": "See you there"}),
    ))
    .unwrap();
    assert_eq!(out.structured["comment_stream_id"], 8);
    block_on(tools::call(
        &ctx,
        "add_note_comment",
        json!({"note_id": 31, "comment": "Edited", "comment_stream_id": 8}),
    ))
    .unwrap();
    let log = log.lock().unwrap();
    assert_request(
        &log[0],
        Method::Put,
        "/fitness/v1/athletes/42/calendarNote/31/comment",
        Some(json!({"Comment": "See you there"})),
    );
    assert_request(
        &log[1],
        Method::Get,
        "/fitness/v1/athletes/42/calendarNote/31/comments",
        None,
    );
    assert_request(
        &log[2],
        Method::Put,
        "/fitness/v1/athletes/42/calendarNote/31/comment",
        Some(json!({"Comment": "Edited", "CalendarNoteCommentStreamId": 8})),
    );
    assert_eq!(log.len(), 3);
}

#[test]
fn wire_create_availability() {
    let cases = [
        (
            "limited travel",
            json!({"start_date": "2026-12-01", "end_date": "2026-12-03", "limited": true,
                   "available_sports": ["run", "weights"], "reason": "Travel", "description": "Hotel gym"}),
            json!({"personId": 42, "startDate": "2026-12-01T00:00:00", "endDate": "2026-12-03T00:00:00",
                   "limitedAvailability": false, "reason": "Travel", "availableSportTypes": [3, 9],
                   "description": "Hotel gym", "type": 2}),
        ),
        (
            "sick day",
            json!({"start_date": "2026-11-22"}),
            json!({"personId": 42, "startDate": "2026-11-22T00:00:00", "endDate": "2026-11-22T00:00:00",
                   "limitedAvailability": false, "reason": null, "availableSportTypes": [],
                   "description": null, "type": 1}),
        ),
    ];
    for (name, args, body) in cases {
        let (ctx, log) = fake(|req| echo_with_id(req, 61));
        let out = block_on(tools::call(&ctx, "create_availability", args)).unwrap();
        assert_eq!(out.structured["availability"]["id"], 61, "{name}");
        let log = log.lock().unwrap();
        assert_eq!(log.len(), 1, "{name}");
        assert_request(
            &log[0],
            Method::Post,
            "/fitness/v1/athletes/42/availability",
            Some(body),
        );
    }
}

#[test]
fn wire_update_availability_gets_merges_and_puts_full_entry() {
    let existing = json!({"id": 61, "personId": 42, "startDate": "2026-12-01T00:00:00", "endDate": "2026-12-03T00:00:00",
        "limitedAvailability": false, "reason": "Travel", "availableSportTypes": [3, 9], "description": "Hotel gym",
        "type": 2});
    let list = json!([existing.clone()]);
    let (ctx, log) = fake(move |req| match req.method {
        Method::Get => HttpResponse::json(200, &list),
        _ => HttpResponse::new(200, ""),
    });
    let out = block_on(tools::call(
        &ctx,
        "update_availability",
        json!({"availability_id": 61, "end_date": "2026-12-05", "available_sports": ["run"]}),
    ))
    .unwrap();
    assert_eq!(out.structured["availability"]["end_date"], "2026-12-05");
    let log = log.lock().unwrap();
    assert_eq!(log.len(), 2);
    assert_request(
        &log[0],
        Method::Get,
        "/fitness/v1/athletes/42/availability/2024-11-21/2028-11-20",
        None,
    );
    assert_request(
        &log[1],
        Method::Put,
        "/fitness/v1/athletes/42/availability/61",
        Some(
            json!({"id": 61, "personId": 42, "startDate": "2026-12-01T00:00:00", "endDate": "2026-12-05T00:00:00",
                    "limitedAvailability": false, "reason": "Travel", "availableSportTypes": [3],
                    "description": "Hotel gym", "type": 2}),
        ),
    );
}

#[test]
fn wire_create_goal_list() {
    let (ctx, log) = fake(|req| echo_with_id(req, 71));
    let out = block_on(tools::call(
        &ctx,
        "create_goal_list",
        json!({"date": "2026-11-21", "title": "Today", "goals": ["Stretch"]}),
    ))
    .unwrap();
    assert_eq!(out.structured["goal_list_id"], 71);
    let log = log.lock().unwrap();
    assert_request(
        &log[0],
        Method::Post,
        "/fitness/v1/athletes/42/goallists",
        Some(json!({
            "id": null, "athleteId": 42, "title": "Today", "activityType": "GOAL_LIST",
            "activityDate": "2026-11-21", "achieveBy": "2026-11-21", "activityTime": null,
            "isFuture": false, "isToday": true, "isPast": false,
            "isFullyCompliant": false, "isPartiallyCompliant": false, "isNotCompliant": false,
            "goals": [{"id": null, "athleteId": 42, "goalListId": null, "type": "Written", "activityType": "GOAL",
                       "sortOrder": 0, "stringValue": "Stretch", "doubleValue": null, "intValue": null,
                       "boolValue": null, "value": {"value": "Stretch", "label": ""}, "complete": false,
                       "changed": true, "setByPersonId": null, "athleteEventId": null}]
        })),
    );
}

#[test]
fn wire_failed_write_is_not_retried() {
    // A 500 on the create is reported once, as "outcome unknown"; the client never resends a
    // write.
    let (ctx, log) = fake(|_| HttpResponse::new(500, "oops"));
    let err = block_on(tools::call(
        &ctx,
        "create_note",
        json!({"date": "2026-11-23", "title": "x"}),
    ))
    .unwrap_err();
    assert!(
        matches!(err, ToolError::Api(TpError::WriteOutcomeUnknown { .. })),
        "{err:?}"
    );
    assert_eq!(log.lock().unwrap().len(), 1);
}

// ---------------------------------------------------------------------------------------------
// Drifted responses (closure transport): what a tool cannot do without is named, everything
// else degrades to "—" / null, and one odd element does not lose the others.

#[test]
fn drifted_events_list_keeps_what_it_can_read() {
    let list = json!([
        {"id": "5", "eventDate": null, "name": "Mystery race", "isHidden": "false",
         "distance": "4800", "distanceUnits": "Meters", "eventType": "BrandNewKind", "atpPriority": "A"},
        7,
        {"name": "no id", "eventDate": "2026-12-01T00:00:00"},
        {"eventId": 6.0, "eventDate": "2026-12-01T00:00:00.000Z", "name": "Second", "results": "n/a"}
    ]);
    let (ctx, _log) = fake(move |_| HttpResponse::json(200, &list));
    let out = block_on(tools::call(
        &ctx,
        "get_events",
        json!({"start_date": "2026-11-01", "end_date": "2027-06-30"}),
    ))
    .unwrap();
    let events = out.structured["events"].as_array().unwrap();
    assert_eq!(out.structured["count"], 2, "{}", out.structured);
    // Dated events first, then the one without a readable date.
    assert_eq!(events[0]["id"], 6);
    assert_eq!(events[0]["date"], "2026-12-01");
    assert_eq!(events[1]["id"], 5);
    assert_eq!(events[1]["date"], Value::Null);
    assert_eq!(events[1]["distance_km"], 4.8);
    assert_eq!(events[1]["event_type"], "BrandNewKind");
    assert!(
        out.text
            .contains("— [A]  Mystery race (id 5) — BrandNewKind"),
        "{}",
        out.text
    );
}

#[test]
fn a_missing_vital_id_is_named_with_what_was_seen() {
    let cases = [
        (
            "get_note",
            json!({"note_id": 31}),
            json!({"title": "No id here", "id": "n/a"}),
            "calendar note has no usable `id`",
        ),
        (
            "get_focus_event",
            json!({}),
            json!({"name": "Lakeside 70.3", "eventDate": "2027-02-13T00:00:00"}),
            "event has no usable `id`",
        ),
    ];
    for (tool, args, answer, needle) in cases {
        let (ctx, _log) = fake(move |_| HttpResponse::json(200, &answer));
        let err = block_on(tools::call(&ctx, tool, args)).unwrap_err();
        assert!(
            matches!(err, ToolError::Api(TpError::MissingField(_))),
            "{tool}: {err:?}"
        );
        assert!(err.to_string().contains(needle), "{tool}: {err}");
    }
}

#[test]
fn drifted_comments_and_availability_degrade_per_field() {
    let (ctx, _log) = fake(|req| {
        if req.url.contains("/comments") {
            HttpResponse::json(
                200,
                &json!([
                    {"calendarNoteCommentStreamId": "9", "comment": "later",
                     "createdDateTimeUtc": "2026-11-19T08:00:00Z", "firstName": null},
                    {"comment": "no stream id"},
                    {"calendarNoteCommentStreamId": 8.0, "comment": "first",
                     "createdDateTimeUtc": "2026-11-18T07:45:00.5", "firstName": "Jordan", "lastName": "Lee"}
                ]),
            )
        } else {
            HttpResponse::json(
                200,
                &json!([{"id": "61", "startDate": "2026-12-01T00:00:00", "endDate": 20261203,
                         "type": "2", "availableSportTypes": ["3", 9.0], "reason": null}]),
            )
        }
    });
    let c = block_on(tools::call(
        &ctx,
        "get_note_comments",
        json!({"note_id": 31}),
    ))
    .unwrap();
    assert_eq!(c.structured["count"], 2);
    assert_eq!(c.structured["comments"][0]["comment_stream_id"], 8);
    assert_eq!(
        c.structured["comments"][0]["created_utc"],
        "2026-11-18T07:45:00"
    );
    assert_eq!(c.structured["comments"][1]["author"], "Unknown");
    assert!(
        c.text.contains("[8] Jordan Lee (2026-11-18 07:45 UTC)"),
        "{}",
        c.text
    );
    let a = block_on(tools::call(
        &ctx,
        "get_availability",
        json!({"start_date": "2026-11-01", "end_date": "2027-01-01"}),
    ))
    .unwrap();
    let e = &a.structured["entries"][0];
    assert_eq!(e["id"], 61);
    assert_eq!(e["end_date"], Value::Null);
    assert_eq!(e["status"], "limited");
    assert_eq!(e["available_sports"], json!(["run", "weights"]));
    assert!(
        a.text
            .contains("[61] 2026-12-01 to — — Limited (available: run, weights)"),
        "{}",
        a.text
    );
}

#[test]
fn a_created_object_without_a_readable_id_says_check_before_retrying() {
    let (ctx, log) = fake(|_| HttpResponse::json(200, &json!({"id": "pending", "ok": true})));
    let err = block_on(tools::call(
        &ctx,
        "create_event",
        json!({"name": "Parkrun", "date": "2026-11-28", "event_type": "OtherOther"}),
    ))
    .unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("probably created") && msg.contains("check with get_events before retrying"),
        "{msg}"
    );
    assert!(msg.contains("pending"), "says what was seen: {msg}");
    assert_eq!(log.lock().unwrap().len(), 1, "never re-sent");
}

#[test]
fn drifted_objects_go_back_in_their_own_types_with_only_the_changes_replaced() {
    let event = json!({"id": "77", "personId": 42.0, "eventDate": "2027-02-13T00:00:00Z",
        "name": "Lakeside 70.3", "isHidden": "false", "distance": "113", "distanceUnits": "Kilometers",
        "results": [{"resultType": "Overall", "place": "4"}, "odd"], "goals": {"written": [1]},
        "brandNew": {"kept": true}});
    let entry = json!({"id": 61.0, "personId": "42", "startDate": "2026-12-01T00:00:00", "endDate": "2026-12-03",
        "limitedAvailability": "false", "reason": "Travel", "availableSportTypes": ["3"], "type": "2"});
    let (ev, av) = (event.clone(), entry.clone());
    let (ctx, log) = fake(
        move |req| match (req.method, req.url.contains("/events/")) {
            (Method::Get, true) => HttpResponse::json(200, &json!([ev])),
            (Method::Get, false) => HttpResponse::json(200, &json!([av])),
            _ => HttpResponse::new(200, ""),
        },
    );
    block_on(tools::call(
        &ctx,
        "update_event",
        json!({"event_id": 77, "priority": "A"}),
    ))
    .unwrap();
    block_on(tools::call(
        &ctx,
        "update_availability",
        json!({"availability_id": 61, "description": "Hotel gym"}),
    ))
    .unwrap();
    let log = log.lock().unwrap();
    let puts: Vec<&HttpRequest> = log.iter().filter(|r| r.method == Method::Put).collect();
    assert_eq!(puts.len(), 2);
    let mut want = event;
    want["atpPriority"] = json!("A");
    // personId is set to the athlete: same value, so the server's own form is kept.
    assert_eq!(body_of(puts[0]), want);
    let mut want = entry;
    want["description"] = json!("Hotel gym");
    // The stored end date is rewritten in the form the web app sends; the rest is as it came.
    want["endDate"] = json!("2026-12-03T00:00:00");
    assert_eq!(body_of(puts[1]), want);
}
