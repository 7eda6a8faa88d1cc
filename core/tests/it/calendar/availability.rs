//! Availability (travel, sickness, limited days).

use super::*;

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
