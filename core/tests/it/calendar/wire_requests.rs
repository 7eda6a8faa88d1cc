//! Exact requests of the write endpoints (closure transport).

use super::*;

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
