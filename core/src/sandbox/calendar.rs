//! Sandbox routes and seed data for events (races), calendar notes and their comments,
//! availability, and goal lists.
//!
//! Objects are stored in their GET shape in the collections `events`, `notes`,
//! `note_comments` (keyed by `calendarNoteCommentStreamId`), `availability` and `goal_lists`.
//! Every PUT replaces the whole stored object with the body (fields missing from the body are
//! lost), which is why clients must GET, merge, then PUT.
//!
//! | Rule | Spec line |
//! |---|---|
//! | `GET .../events/focusevent` and `.../nextplannedevent` answer 404 when there is none | api §9.1 row 1 ("REF expects 404 when none"), §12 "No focus event" (REF) |
//! | Focus event = the earliest non-hidden A-priority event from today on; next planned = the earliest non-hidden event from today on (sandbox model; the spec does not say how TP picks them) | api §9.1 rows 1–2 (REF; JM) |
//! | `GET .../events/{start}/{end}` returns hidden events too, with `isHidden: true` | api §9.1 row 3 (REF; JM) |
//! | Event create is `POST .../event` (singular) with `personId`; the body's `personId` must be the athlete in the URL, else 400 | api §9.1 POST row, JM body (CONFLICT resolved as in `trainingpeaks::calendar`) |
//! | Event update is `PUT .../event` with the full object, `id` in the body, `personId` = athlete; unknown id → 404 | api §9.1 PUT row (REF; JM) |
//! | Event delete `DELETE .../event/{id}`; unknown id → 404 | api §9.1 DELETE row (JM), §12 "Unknown resource" (JM) |
//! | `atpPriority` is `A`, `B` or `C`; `ctlTarget`, `distance` numbers; `eventDate` a date — else 400 | api §9.1 "Event fields" (REF; JM) |
//! | `eventDate`, `noteDate` stored as `YYYY-MM-DDT00:00:00` whatever date form was posted | api §3 `workoutDay` row (REF; JM: both forms accepted, responses carry `T00:00:00`) |
//! | Note create `POST .../calendarNote`; `athleteId` in the body must match the URL | api §9.3 POST row (REF) |
//! | Note PUT needs the full note incl. `createdDate` (missing → 400); unknown id → 404 | api §9.3 GET/PUT/DELETE row (REF; JM) |
//! | Note comment PUT takes PascalCase `Comment` (and `CalendarNoteCommentStreamId` to edit); a missing `Comment` → 400, unknown stream id → 404 | api §9.3 comment row (REF) |
//! | Availability body must carry `personId` equal to the URL's athlete, else 400 "AthleteId of request url and AthleteId in body of request do not match" | api §9.4 POST row, §12 (JM, live) |
//! | Availability `type` is 1 (unavailable) or 2 (limited); `limitedAvailability` is always false in responses | api §9.4 POST row (REF; JM) |
//! | Availability PUT `.../availability/{id}` replaces the entry; unknown id → 404 | api §9.4 PUT row (REF) |
//! | `GET .../availability/{start}/{end}` returns entries overlapping the range | api §9.4 GET row (REF; JM) |
//! | Goal list POST body `activityType: "GOAL_LIST"`, `goals[]` of written goals; DELETE → 204 | api §9.5 (REF), §12 "Empty success bodies" |
//! | Non-numeric ids or bad dates in paths → 400; another athlete's id → 403 | api §12 "Permission" (JM) |

use chrono::{Duration, NaiveDate};
use serde_json::{Map, Value, json};

use crate::clock::Clock;
use crate::http::{HttpResponse, Method};

use super::router::{Ctx, Params, Route};
use super::{Answer, ApiError, SAMPLE_ATHLETE_ID, State, bad_request, forbidden, not_found};

const EVENTS: &str = "events";
const NOTES: &str = "notes";
const COMMENTS: &str = "note_comments";
const AVAILABILITY: &str = "availability";
const GOAL_LISTS: &str = "goal_lists";

/// The sample athlete's coach, who comments on notes.
const COACH_PERSON_ID: i64 = 4_700_001;

pub(super) fn routes() -> Vec<Route> {
    vec![
        Route::new(
            Method::Get,
            "/fitness/v6/athletes/{aid}/events/focusevent",
            focus_event,
        ),
        Route::new(
            Method::Get,
            "/fitness/v6/athletes/{aid}/events/nextplannedevent",
            next_event,
        ),
        Route::new(
            Method::Get,
            "/fitness/v6/athletes/{aid}/events/{start}/{end}",
            list_events,
        ),
        Route::new(
            Method::Post,
            "/fitness/v6/athletes/{aid}/event",
            create_event,
        ),
        Route::new(
            Method::Put,
            "/fitness/v6/athletes/{aid}/event",
            update_event,
        ),
        Route::new(
            Method::Delete,
            "/fitness/v6/athletes/{aid}/event/{id}",
            delete_event,
        ),
        Route::new(
            Method::Post,
            "/fitness/v1/athletes/{aid}/calendarNote",
            create_note,
        ),
        Route::new(
            Method::Get,
            "/fitness/v1/athletes/{aid}/calendarNote/{id}",
            get_note,
        ),
        Route::new(
            Method::Put,
            "/fitness/v1/athletes/{aid}/calendarNote/{id}",
            update_note,
        ),
        Route::new(
            Method::Delete,
            "/fitness/v1/athletes/{aid}/calendarNote/{id}",
            delete_note,
        ),
        Route::new(
            Method::Get,
            "/fitness/v1/athletes/{aid}/calendarNote/{id}/comments",
            note_comments,
        ),
        Route::new(
            Method::Put,
            "/fitness/v1/athletes/{aid}/calendarNote/{id}/comment",
            put_note_comment,
        ),
        Route::new(
            Method::Get,
            "/fitness/v1/athletes/{aid}/availability/{start}/{end}",
            list_availability,
        ),
        Route::new(
            Method::Post,
            "/fitness/v1/athletes/{aid}/availability",
            create_availability,
        ),
        Route::new(
            Method::Put,
            "/fitness/v1/athletes/{aid}/availability/{id}",
            update_availability,
        ),
        Route::new(
            Method::Delete,
            "/fitness/v1/athletes/{aid}/availability/{id}",
            delete_availability,
        ),
        Route::new(
            Method::Post,
            "/fitness/v1/athletes/{aid}/goallists",
            create_goal_list,
        ),
        Route::new(
            Method::Delete,
            "/fitness/v1/athletes/{aid}/goallists/{id}",
            delete_goal_list,
        ),
    ]
}

// ---------------------------------------------------------------------------------------------
// Seed

fn midnight(d: NaiveDate) -> String {
    format!("{}T00:00:00", d.format("%Y-%m-%d"))
}

fn stamp(d: NaiveDate, hh: u32, mm: u32) -> String {
    format!("{}T{hh:02}:{mm:02}:00", d.format("%Y-%m-%d"))
}

fn results(places: Option<[(i64, i64); 3]>) -> Value {
    let kinds = ["Division", "Gender", "Overall"];
    match places {
        None => json!(kinds.iter().map(|k| json!({"resultType": k, "place": null, "entrants": null})).collect::<Vec<_>>()),
        Some(p) => json!(
            kinds
                .iter()
                .zip(p)
                .map(|(k, (place, entrants))| json!({"resultType": k, "place": place, "entrants": entrants}))
                .collect::<Vec<_>>()
        ),
    }
}

struct SeedEvent {
    days: i64,
    name: &'static str,
    event_type: &'static str,
    priority: &'static str,
    ctl_target: Option<f64>,
    distance: Option<(f64, &'static str)>,
    hidden: bool,
    goal_time: Option<f64>,
    written: &'static [&'static str],
    places: Option<[(i64, i64); 3]>,
    description: Option<&'static str>,
    comment: Option<&'static str>,
}

/// Seeds the sample athlete's races, notes, availability and goal list, relative to today:
/// an A race (with a CTL target) 12 weeks out, two B races before it, a C race after it, a
/// hidden (cancelled) event, two past races with results, four notes (two with comments), four
/// availability entries (a past holiday, a sick day, a travel week, a work day) and a goal list.
pub(super) fn seed(state: &mut State, clock: &dyn Clock) {
    let today = clock.today();
    let at = |days: i64| today + Duration::days(days);
    let events = [
        SeedEvent {
            days: -120,
            name: "Valley Duathlon",
            event_type: "MultisportDuathlon",
            priority: "C",
            ctl_target: None,
            distance: Some((35.0, "Kilometers")),
            hidden: false,
            goal_time: None,
            written: &[],
            places: Some([(4, 31), (11, 88), (27, 203)]),
            description: Some("5 km run / 25 km bike / 5 km run"),
            comment: Some("Cold hands in T2; bring gloves next time."),
        },
        SeedEvent {
            days: -42,
            name: "Harbour 10K",
            event_type: "RunningRoad",
            priority: "B",
            ctl_target: None,
            distance: Some((10.0, "Kilometers")),
            hidden: false,
            goal_time: Some(2580.0),
            written: &["Even splits"],
            places: Some([(6, 94), (21, 560), (87, 1240)]),
            description: None,
            comment: Some("42:31, a 40 s PR. Faded slightly at 8 km."),
        },
        SeedEvent {
            days: 21,
            name: "Club hill climb (cancelled)",
            event_type: "CyclingRoad",
            priority: "C",
            ctl_target: None,
            distance: Some((4800.0, "Meters")),
            hidden: true,
            goal_time: None,
            written: &[],
            places: None,
            description: Some("Cancelled by the club: road works."),
            comment: None,
        },
        SeedEvent {
            days: 35,
            name: "Riverside Half Marathon",
            event_type: "RunningRoad",
            priority: "B",
            ctl_target: Some(82.0),
            distance: Some((21.0975, "Kilometers")),
            hidden: false,
            goal_time: Some(5640.0),
            written: &["Practise race-day fuelling"],
            places: None,
            description: Some("Flat course, two laps along the river."),
            comment: None,
        },
        SeedEvent {
            days: 56,
            name: "Coastal Olympic Triathlon",
            event_type: "MultisportTriathlon",
            priority: "B",
            ctl_target: Some(88.0),
            distance: Some((51.5, "Kilometers")),
            hidden: false,
            goal_time: Some(9000.0),
            written: &[],
            places: None,
            description: Some("Sea swim, rolling bike, flat run. Dress rehearsal for the 70.3."),
            comment: None,
        },
        SeedEvent {
            days: 84,
            name: "Lakeside 70.3",
            event_type: "MultisportTriathlon",
            priority: "A",
            ctl_target: Some(95.0),
            distance: Some((113.0, "Kilometers")),
            hidden: false,
            goal_time: Some(18900.0),
            written: &[
                "Negative-split the run",
                "Fuel 90 g carbs per hour on the bike",
            ],
            places: None,
            description: Some("1.9 km lake swim, 90 km bike (1100 m climbing), 21.1 km run."),
            comment: None,
        },
        SeedEvent {
            days: 112,
            name: "Gran Fondo of the Hills",
            event_type: "CyclingRoad",
            priority: "C",
            ctl_target: None,
            distance: Some((160_000.0, "Meters")),
            hidden: false,
            goal_time: None,
            written: &[],
            places: None,
            description: None,
            comment: None,
        },
    ];
    for e in events {
        let id = state.new_id();
        let goals = json!({
            "athleteEventId": id,
            "athleteId": SAMPLE_ATHLETE_ID,
            "distance": null,
            "time": e.goal_time,
            "place": null,
            "finish": null,
            "pr": e.places.is_some() && e.goal_time.is_some(),
            "written": e.written,
        });
        let obj = json!({
            "id": id,
            "personId": SAMPLE_ATHLETE_ID,
            "eventDate": midnight(at(e.days)),
            "name": e.name,
            "eventType": e.event_type,
            "description": e.description,
            "comment": e.comment,
            "workoutIds": [],
            "results": results(e.places),
            "goals": goals,
            "atpPriority": e.priority,
            "raceTypeDuration": null,
            "isHidden": e.hidden,
            "isLocked": false,
            "ctlTarget": e.ctl_target,
            "distance": e.distance.map(|d| d.0),
            "distanceUnits": e.distance.map(|d| d.1),
            "legs": [],
            "workouts": [],
        });
        state.collection(EVENTS).insert(id, obj);
    }

    type SeedComment = (bool, i64, u32, &'static str);
    let notes: [(i64, &str, &str, &[SeedComment]); 4] = [
        (
            -10,
            "Bike fit",
            "Saddle raised 4 mm, cleats moved back 2 mm. Knee felt better on the test ride.",
            &[(
                false,
                -10,
                18,
                "Nice. Keep the first two rides easy while you adapt to the new position.",
            )],
        ),
        (
            -3,
            "Coach check-in",
            "Build block 2 went well; weekday sleep is still short (about 6 h 20 min).",
            &[
                (
                    true,
                    -3,
                    20,
                    "Work deadline this week, should ease off after Friday.",
                ),
                (
                    false,
                    -2,
                    7,
                    "Understood. I moved Thursday's intervals to Saturday.",
                ),
            ],
        ),
        (
            2,
            "Packing list for the conference",
            "Running shoes, resistance band, HR strap.",
            &[],
        ),
        (
            30,
            "Race recce",
            "Drive the Lakeside bike course and swim the lake once.",
            &[],
        ),
    ];
    for (days, title, description, comments) in notes {
        let id = state.new_id();
        let date = at(days);
        let created = stamp(date.min(today) - Duration::days(1), 19, 30);
        state.collection(NOTES).insert(
            id,
            json!({
                "id": id,
                "athleteId": SAMPLE_ATHLETE_ID,
                "title": title,
                "noteDate": midnight(date),
                "description": description,
                "isHidden": false,
                "attachments": [],
                "createdDate": created,
                "modifiedDate": created,
                "ownerId": SAMPLE_ATHLETE_ID,
                "parentPlanNoteId": 0,
                "appliedPlanId": 0,
                "commentCount": comments.len(),
            }),
        );
        for (by_athlete, cdays, hour, text) in comments {
            let cid = state.new_id();
            let when = stamp(at(*cdays), *hour, 15);
            state
                .collection(COMMENTS)
                .insert(cid, comment_object(id, cid, *by_athlete, text, &when));
        }
    }

    // (first day, last day, type, sports still possible, reason, details), days from today.
    type SeedAvailability = (i64, i64, i64, &'static [i64], &'static str, &'static str);
    let availability: [SeedAvailability; 4] = [
        (-40, -36, 1, &[], "Other", "Family holiday, no bike."),
        (-5, -5, 1, &[], "Illness", "Head cold: full rest day."),
        (
            14,
            20,
            2,
            &[3, 9],
            "Travel",
            "Conference in Lisbon: hotel gym and running only.",
        ),
        (45, 45, 1, &[], "Work", "All-day offsite."),
    ];
    for (from, to, kind, sports, reason, description) in availability {
        let id = state.new_id();
        state.collection(AVAILABILITY).insert(
            id,
            json!({
                "id": id,
                "personId": SAMPLE_ATHLETE_ID,
                "startDate": midnight(at(from)),
                "endDate": midnight(at(to)),
                "limitedAvailability": false,
                "reason": reason,
                "availableSportTypes": sports,
                "description": description,
                "type": kind,
            }),
        );
    }

    let id = state.new_id();
    let goals = [
        "Sub-5:15 at Lakeside 70.3",
        "Swim three times a week through the winter",
        "Reach CTL 95 by race week",
    ];
    let goal_items: Vec<Value> = goals
        .iter()
        .enumerate()
        .map(|(i, g)| {
            json!({"id": id * 10 + i as i64, "athleteId": SAMPLE_ATHLETE_ID, "goalListId": id, "type": "Written",
                   "activityType": "GOAL", "sortOrder": i, "stringValue": g, "value": {"value": g, "label": ""},
                   "complete": false})
        })
        .collect();
    state.collection(GOAL_LISTS).insert(
        id,
        json!({
            "id": id,
            "athleteId": SAMPLE_ATHLETE_ID,
            "title": format!("{} season goals", at(84).format("%Y")),
            "activityType": "GOAL_LIST",
            "activityDate": at(-60).format("%Y-%m-%d").to_string(),
            "achieveBy": at(84).format("%Y-%m-%d").to_string(),
            "goals": goal_items,
        }),
    );
}

fn comment_object(note_id: i64, stream_id: i64, by_athlete: bool, text: &str, when: &str) -> Value {
    let (person, first, last) = if by_athlete {
        (SAMPLE_ATHLETE_ID, "Alex", "Rivera")
    } else {
        (COACH_PERSON_ID, "Jordan", "Lee")
    };
    json!({
        "calendarNoteId": note_id,
        "calendarNoteCommentStreamId": stream_id,
        "comment": text,
        "commenterPersonId": person,
        "createdDateTimeUtc": when,
        "updatedDateTimeUtc": when,
        "firstName": first,
        "lastName": last,
        "commenterPhotoUrl": null,
    })
}

// ---------------------------------------------------------------------------------------------
// Shared checks

/// The athlete in the path: 400 if not a number, 403 if not the signed-in athlete.
fn athlete(st: &State, p: &Params) -> Result<i64, ApiError> {
    let aid = p.id("aid")?;
    let own = st
        .docs
        .get("user")
        .and_then(|u| u.get("userId"))
        .and_then(Value::as_i64)
        .unwrap_or(SAMPLE_ATHLETE_ID);
    if aid != own {
        return Err(forbidden("You do not have access to this athlete."));
    }
    Ok(aid)
}

fn body_object(ctx: &Ctx<'_>) -> Result<Map<String, Value>, ApiError> {
    match ctx.json_body()? {
        Value::Object(m) => Ok(m),
        _ => Err(bad_request("The request body must be a JSON object.")),
    }
}

/// A date field (`YYYY-MM-DD` or `YYYY-MM-DDT…`), or a 400 naming it.
fn date_field(m: &Map<String, Value>, key: &str) -> Result<NaiveDate, ApiError> {
    m.get(key)
        .and_then(Value::as_str)
        .and_then(|s| s.get(..10))
        .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        .ok_or_else(|| bad_request(&format!("The {key} field is required and must be a date.")))
}

fn stored_date(v: &Value, key: &str) -> Option<NaiveDate> {
    let s = v.get(key)?.as_str()?;
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

/// Checks that `key`, when present and not null, satisfies `ok`.
fn typed(
    m: &Map<String, Value>,
    key: &str,
    ok: fn(&Value) -> bool,
    what: &str,
) -> Result<(), ApiError> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(()),
        Some(v) if ok(v) => Ok(()),
        Some(v) => Err(bad_request(&format!(
            "Error converting value {v} to type '{what}'. Path '{key}'."
        ))),
    }
}

fn required_string(m: &Map<String, Value>, key: &str) -> Result<(), ApiError> {
    match m.get(key) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(()),
        _ => Err(bad_request(&format!("The {key} field is required."))),
    }
}

fn id_matches(m: &Map<String, Value>, key: &str, aid: i64) -> Result<(), ApiError> {
    if m.get(key).and_then(Value::as_i64) != Some(aid) {
        return Err(bad_request(
            "AthleteId of request url and AthleteId in body of request do not match",
        ));
    }
    Ok(())
}

fn now_stamp(ctx: &Ctx<'_>) -> String {
    ctx.clock.now().format("%Y-%m-%dT%H:%M:%S").to_string()
}

fn range(p: &Params) -> Result<(NaiveDate, NaiveDate), ApiError> {
    let (start, end) = (p.date("start")?, p.date("end")?);
    if end < start {
        return Err(bad_request(
            "The end date must be on or after the start date.",
        ));
    }
    Ok((start, end))
}

// ---------------------------------------------------------------------------------------------
// Events

fn visible_from_today(st: &mut State, today: NaiveDate, a_only: bool) -> Option<Value> {
    st.collection(EVENTS)
        .values()
        .filter(|e| e.get("isHidden").and_then(Value::as_bool) != Some(true))
        .filter(|e| !a_only || e.get("atpPriority").and_then(Value::as_str) == Some("A"))
        .filter_map(|e| Some((stored_date(e, "eventDate")?, e)))
        .filter(|(d, _)| *d >= today)
        .min_by_key(|(d, e)| (*d, e.get("id").and_then(Value::as_i64)))
        .map(|(_, e)| e.clone())
}

fn focus_event(st: &mut State, ctx: &Ctx<'_>, p: &Params) -> Answer {
    athlete(st, p)?;
    match visible_from_today(st, ctx.clock.today(), true) {
        Some(e) => Ok(HttpResponse::json(200, &e)),
        None => Err(not_found("Focus event")),
    }
}

fn next_event(st: &mut State, ctx: &Ctx<'_>, p: &Params) -> Answer {
    athlete(st, p)?;
    match visible_from_today(st, ctx.clock.today(), false) {
        Some(e) => Ok(HttpResponse::json(200, &e)),
        None => Err(not_found("Planned event")),
    }
}

fn list_events(st: &mut State, _: &Ctx<'_>, p: &Params) -> Answer {
    athlete(st, p)?;
    let (start, end) = range(p)?;
    let mut list: Vec<Value> = st
        .collection(EVENTS)
        .values()
        .filter(|e| stored_date(e, "eventDate").is_some_and(|d| d >= start && d <= end))
        .cloned()
        .collect();
    list.sort_by_key(|e| {
        (
            stored_date(e, "eventDate"),
            e.get("id").and_then(Value::as_i64),
        )
    });
    Ok(HttpResponse::json(200, &Value::Array(list)))
}

/// Validates an event body and normalises `eventDate` to `YYYY-MM-DDT00:00:00`.
fn check_event(m: &mut Map<String, Value>, aid: i64) -> Result<(), ApiError> {
    id_matches(m, "personId", aid)?;
    required_string(m, "name")?;
    let date = date_field(m, "eventDate")?;
    m.insert("eventDate".into(), json!(midnight(date)));
    typed(m, "eventType", Value::is_string, "String")?;
    typed(
        m,
        "atpPriority",
        |v| matches!(v.as_str(), Some("A" | "B" | "C")),
        "AtpPriority",
    )?;
    typed(m, "ctlTarget", Value::is_number, "Double")?;
    typed(m, "distance", Value::is_number, "Double")?;
    typed(m, "distanceUnits", Value::is_string, "String")?;
    typed(m, "description", Value::is_string, "String")?;
    typed(m, "results", Value::is_array, "List<EventResult>")?;
    typed(m, "goals", Value::is_object, "EventGoals")?;
    typed(
        m,
        "workouts",
        |v| v.as_array().is_some_and(|a| a.iter().all(Value::is_i64)),
        "List<Int32>",
    )?;
    typed(m, "isHidden", Value::is_boolean, "Boolean")?;
    Ok(())
}

fn create_event(st: &mut State, ctx: &Ctx<'_>, p: &Params) -> Answer {
    let aid = athlete(st, p)?;
    let mut m = body_object(ctx)?;
    check_event(&mut m, aid)?;
    let id = st.new_id();
    m.insert("id".into(), json!(id));
    // Fields the server fills in when the web app leaves them out.
    let defaults = [
        ("description", Value::Null),
        ("comment", Value::Null),
        ("workoutIds", json!([])),
        ("results", results(None)),
        ("atpPriority", json!("C")),
        ("raceTypeDuration", Value::Null),
        ("isHidden", json!(false)),
        ("isLocked", json!(false)),
        ("ctlTarget", Value::Null),
        ("distance", Value::Null),
        ("distanceUnits", Value::Null),
        ("legs", json!([])),
        ("workouts", json!([])),
    ];
    for (k, v) in defaults {
        m.entry(k.to_string()).or_insert(v);
    }
    let goals = m.entry("goals".to_string()).or_insert_with(|| json!({}));
    if let Value::Object(g) = goals {
        g.insert("athleteEventId".into(), json!(id));
        g.insert("athleteId".into(), json!(aid));
        g.entry("written".to_string()).or_insert_with(|| json!([]));
    }
    let obj = Value::Object(m);
    st.collection(EVENTS).insert(id, obj.clone());
    Ok(HttpResponse::json(200, &obj))
}

fn update_event(st: &mut State, ctx: &Ctx<'_>, p: &Params) -> Answer {
    let aid = athlete(st, p)?;
    let mut m = body_object(ctx)?;
    let Some(id) = m.get("id").and_then(Value::as_i64) else {
        return Err(bad_request("The id field is required."));
    };
    if !st.collection(EVENTS).contains_key(&id) {
        return Err(not_found(&format!("Event {id}")));
    }
    check_event(&mut m, aid)?;
    // Full-object PUT: the body replaces the stored event; anything it lacks is gone.
    let obj = Value::Object(m);
    st.collection(EVENTS).insert(id, obj.clone());
    Ok(HttpResponse::json(200, &obj))
}

fn delete_event(st: &mut State, _: &Ctx<'_>, p: &Params) -> Answer {
    athlete(st, p)?;
    let id = p.id("id")?;
    match st.collection(EVENTS).remove(&id) {
        Some(_) => Ok(HttpResponse::new(200, Vec::new())),
        None => Err(not_found(&format!("Event {id}"))),
    }
}

// ---------------------------------------------------------------------------------------------
// Notes

fn check_note(m: &mut Map<String, Value>, aid: i64) -> Result<(), ApiError> {
    id_matches(m, "athleteId", aid)?;
    required_string(m, "title")?;
    let date = date_field(m, "noteDate")?;
    m.insert("noteDate".into(), json!(midnight(date)));
    typed(m, "description", Value::is_string, "String")?;
    typed(m, "isHidden", Value::is_boolean, "Boolean")?;
    typed(m, "attachments", Value::is_array, "List<Attachment>")?;
    Ok(())
}

fn with_comment_count(st: &mut State, mut note: Value, id: i64) -> Value {
    let count = st
        .collection(COMMENTS)
        .values()
        .filter(|c| c.get("calendarNoteId").and_then(Value::as_i64) == Some(id))
        .count();
    if let Value::Object(m) = &mut note {
        m.insert("commentCount".into(), json!(count));
    }
    note
}

fn create_note(st: &mut State, ctx: &Ctx<'_>, p: &Params) -> Answer {
    let aid = athlete(st, p)?;
    let mut m = body_object(ctx)?;
    check_note(&mut m, aid)?;
    let id = st.new_id();
    let now = now_stamp(ctx);
    m.insert("id".into(), json!(id));
    m.insert("createdDate".into(), json!(now));
    m.insert("modifiedDate".into(), json!(now));
    m.insert("ownerId".into(), json!(aid));
    m.entry("description".to_string()).or_insert(json!(""));
    m.entry("isHidden".to_string()).or_insert(json!(false));
    m.entry("attachments".to_string()).or_insert(json!([]));
    m.entry("parentPlanNoteId".to_string()).or_insert(json!(0));
    m.entry("appliedPlanId".to_string()).or_insert(json!(0));
    m.insert("commentCount".into(), json!(0));
    let obj = Value::Object(m);
    st.collection(NOTES).insert(id, obj.clone());
    Ok(HttpResponse::json(200, &obj))
}

fn note_id(st: &mut State, p: &Params) -> Result<i64, ApiError> {
    athlete(st, p)?;
    let id = p.id("id")?;
    if !st.collection(NOTES).contains_key(&id) {
        return Err(not_found(&format!("Calendar note {id}")));
    }
    Ok(id)
}

fn get_note(st: &mut State, _: &Ctx<'_>, p: &Params) -> Answer {
    let id = note_id(st, p)?;
    let note = st
        .collection(NOTES)
        .get(&id)
        .cloned()
        .unwrap_or(Value::Null);
    Ok(HttpResponse::json(200, &with_comment_count(st, note, id)))
}

fn update_note(st: &mut State, ctx: &Ctx<'_>, p: &Params) -> Answer {
    let id = note_id(st, p)?;
    let aid = athlete(st, p)?;
    let mut m = body_object(ctx)?;
    if m.get("id").is_some_and(|v| v.as_i64() != Some(id)) {
        return Err(bad_request(
            "The id in the body does not match the id in the url.",
        ));
    }
    // Spec §9.3: the PUT needs the whole note, `createdDate` included.
    if m.get("createdDate").and_then(Value::as_str).is_none() {
        return Err(bad_request("The createdDate field is required."));
    }
    check_note(&mut m, aid)?;
    m.insert("id".into(), json!(id));
    m.insert("modifiedDate".into(), json!(now_stamp(ctx)));
    let obj = with_comment_count(st, Value::Object(m), id);
    st.collection(NOTES).insert(id, obj.clone());
    Ok(HttpResponse::json(200, &obj))
}

fn delete_note(st: &mut State, _: &Ctx<'_>, p: &Params) -> Answer {
    let id = note_id(st, p)?;
    st.collection(NOTES).remove(&id);
    st.collection(COMMENTS)
        .retain(|_, c| c.get("calendarNoteId").and_then(Value::as_i64) != Some(id));
    Ok(HttpResponse::new(200, Vec::new()))
}

fn note_comments(st: &mut State, _: &Ctx<'_>, p: &Params) -> Answer {
    let id = note_id(st, p)?;
    let mut list: Vec<Value> = st
        .collection(COMMENTS)
        .values()
        .filter(|c| c.get("calendarNoteId").and_then(Value::as_i64) == Some(id))
        .cloned()
        .collect();
    list.sort_by_key(|c| {
        c.get("createdDateTimeUtc")
            .and_then(Value::as_str)
            .map(str::to_string)
    });
    Ok(HttpResponse::json(200, &Value::Array(list)))
}

fn put_note_comment(st: &mut State, ctx: &Ctx<'_>, p: &Params) -> Answer {
    let id = note_id(st, p)?;
    let m = body_object(ctx)?;
    // PascalCase `Comment` (spec §9.3).
    let Some(text) = m
        .get("Comment")
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
    else {
        return Err(bad_request("The Comment field is required."));
    };
    let now = now_stamp(ctx);
    match m.get("CalendarNoteCommentStreamId") {
        None | Some(Value::Null) => {
            let cid = st.new_id();
            let c = comment_object(id, cid, true, text, &now);
            st.collection(COMMENTS).insert(cid, c.clone());
            Ok(HttpResponse::json(200, &c))
        }
        Some(v) => {
            let Some(cid) = v.as_i64() else {
                return Err(bad_request(
                    "Error converting value to type 'Int32'. Path 'CalendarNoteCommentStreamId'.",
                ));
            };
            let Some(c) = st
                .collection(COMMENTS)
                .get_mut(&cid)
                .filter(|c| c.get("calendarNoteId").and_then(Value::as_i64) == Some(id))
            else {
                return Err(not_found(&format!("Comment {cid}")));
            };
            if let Value::Object(cm) = c {
                cm.insert("comment".into(), json!(text));
                cm.insert("updatedDateTimeUtc".into(), json!(now));
            }
            let c = c.clone();
            Ok(HttpResponse::json(200, &c))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Availability

fn check_availability(m: &mut Map<String, Value>, aid: i64) -> Result<(), ApiError> {
    id_matches(m, "personId", aid)?;
    let start = date_field(m, "startDate")?;
    let end = date_field(m, "endDate")?;
    if end < start {
        return Err(bad_request(
            "The endDate must be on or after the startDate.",
        ));
    }
    m.insert("startDate".into(), json!(midnight(start)));
    m.insert("endDate".into(), json!(midnight(end)));
    match m.get("type").and_then(Value::as_i64) {
        Some(1 | 2) => {}
        _ => {
            return Err(bad_request(
                "The type field must be 1 (unavailable) or 2 (limited).",
            ));
        }
    }
    typed(
        m,
        "availableSportTypes",
        |v| v.as_array().is_some_and(|a| a.iter().all(Value::is_i64)),
        "List<Int32>",
    )?;
    typed(m, "reason", Value::is_string, "String")?;
    typed(m, "description", Value::is_string, "String")?;
    typed(m, "limitedAvailability", Value::is_boolean, "Boolean")?;
    // Spec §9.4: `limitedAvailability` is always false in responses; `type` is the flag.
    m.insert("limitedAvailability".into(), json!(false));
    m.entry("availableSportTypes".to_string())
        .or_insert(json!([]));
    Ok(())
}

fn list_availability(st: &mut State, _: &Ctx<'_>, p: &Params) -> Answer {
    athlete(st, p)?;
    let (start, end) = range(p)?;
    let mut list: Vec<Value> = st
        .collection(AVAILABILITY)
        .values()
        .filter(|a| {
            let (Some(s), Some(e)) = (stored_date(a, "startDate"), stored_date(a, "endDate"))
            else {
                return false;
            };
            s <= end && e >= start
        })
        .cloned()
        .collect();
    list.sort_by_key(|a| {
        (
            stored_date(a, "startDate"),
            a.get("id").and_then(Value::as_i64),
        )
    });
    Ok(HttpResponse::json(200, &Value::Array(list)))
}

fn create_availability(st: &mut State, ctx: &Ctx<'_>, p: &Params) -> Answer {
    let aid = athlete(st, p)?;
    let mut m = body_object(ctx)?;
    check_availability(&mut m, aid)?;
    let id = st.new_id();
    m.insert("id".into(), json!(id));
    let obj = Value::Object(m);
    st.collection(AVAILABILITY).insert(id, obj.clone());
    Ok(HttpResponse::json(200, &obj))
}

fn update_availability(st: &mut State, ctx: &Ctx<'_>, p: &Params) -> Answer {
    let aid = athlete(st, p)?;
    let id = p.id("id")?;
    if !st.collection(AVAILABILITY).contains_key(&id) {
        return Err(not_found(&format!("Availability {id}")));
    }
    let mut m = body_object(ctx)?;
    if m.get("id").is_some_and(|v| v.as_i64() != Some(id)) {
        return Err(bad_request(
            "The id in the body does not match the id in the url.",
        ));
    }
    check_availability(&mut m, aid)?;
    m.insert("id".into(), json!(id));
    let obj = Value::Object(m);
    st.collection(AVAILABILITY).insert(id, obj.clone());
    Ok(HttpResponse::json(200, &obj))
}

fn delete_availability(st: &mut State, _: &Ctx<'_>, p: &Params) -> Answer {
    athlete(st, p)?;
    let id = p.id("id")?;
    match st.collection(AVAILABILITY).remove(&id) {
        Some(_) => Ok(HttpResponse::new(200, Vec::new())),
        None => Err(not_found(&format!("Availability {id}"))),
    }
}

// ---------------------------------------------------------------------------------------------
// Goal lists

fn create_goal_list(st: &mut State, ctx: &Ctx<'_>, p: &Params) -> Answer {
    let aid = athlete(st, p)?;
    let mut m = body_object(ctx)?;
    id_matches(&m, "athleteId", aid)?;
    required_string(&m, "title")?;
    if m.get("activityType").and_then(Value::as_str) != Some("GOAL_LIST") {
        return Err(bad_request("The activityType field must be GOAL_LIST."));
    }
    for key in ["activityDate", "achieveBy"] {
        date_field(&m, key)?;
    }
    let Some(goals) = m.get("goals").and_then(Value::as_array).cloned() else {
        return Err(bad_request(
            "The goals field is required and must be a list.",
        ));
    };
    let id = st.new_id();
    let mut saved = Vec::with_capacity(goals.len());
    for g in goals {
        let Value::Object(mut gm) = g else {
            return Err(bad_request("Each goal must be an object."));
        };
        if gm.get("stringValue").and_then(Value::as_str).is_none() {
            return Err(bad_request("Each written goal needs a stringValue."));
        }
        gm.insert("id".into(), json!(st.new_id()));
        gm.insert("goalListId".into(), json!(id));
        gm.insert("changed".into(), json!(false));
        saved.push(Value::Object(gm));
    }
    m.insert("id".into(), json!(id));
    m.insert("goals".into(), Value::Array(saved));
    let obj = Value::Object(m);
    st.collection(GOAL_LISTS).insert(id, obj.clone());
    Ok(HttpResponse::json(200, &obj))
}

fn delete_goal_list(st: &mut State, _: &Ctx<'_>, p: &Params) -> Answer {
    athlete(st, p)?;
    let id = p.id("id")?;
    match st.collection(GOAL_LISTS).remove(&id) {
        Some(_) => Ok(HttpResponse::new(204, Vec::new())),
        None => Err(not_found(&format!("Goal list {id}"))),
    }
}
