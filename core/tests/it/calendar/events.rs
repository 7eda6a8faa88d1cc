//! Events: focus and next events, listing, argument errors, create, update, delete.

use super::*;

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
