//! Events (races): focus and next planned event, the list, create, update, delete, and the
//! seeded season of races.
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

use chrono::{Duration, NaiveDate};
use serde_json::{Map, Value, json};

use crate::http::{HttpResponse, Method};
use crate::sandbox::router::{Ctx, Params, Route};
use crate::sandbox::{
    Answer, ApiError, SAMPLE_A_RACE, SAMPLE_A_RACE_WEEKS_AHEAD, SAMPLE_ATHLETE_ID, State,
    bad_request, not_found,
};

use super::checks::{
    athlete, body_object, date_field, id_matches, midnight, range, required_string, stored_date,
    typed,
};

const EVENTS: &str = "events";

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
    ]
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

/// Seeds the races, relative to `today`: an A race (with a CTL target) 12 weeks out, two B
/// races before it, a C race after it, a hidden (cancelled) event and two past races with
/// results.
pub(super) fn seed(state: &mut State, today: NaiveDate) {
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
            days: SAMPLE_A_RACE_WEEKS_AHEAD * 7,
            name: SAMPLE_A_RACE,
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
}

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
