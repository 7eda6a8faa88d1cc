//! The sandbox's own calendar rules, whole-object PUTs, and its seed.

use super::*;

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
