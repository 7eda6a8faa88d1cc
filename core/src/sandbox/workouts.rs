//! Sandbox workouts: the type catalogue, calendar workouts, comments and private notes, plus a
//! deterministic year of training for the sample athlete.
//!
//! Workouts live in the `workouts` collection in their GET shape (spec §5.2 field names:
//! `workoutDay` as `YYYY-MM-DDT00:00:00`, `totalTime`/`totalTimePlanned` in hours, `distance`
//! in metres, `tssActual`/`tssPlanned`, `if`/`ifPlanned`, `completed`, `structure` as an
//! object). The PMC is computed by another module from completed workouts' `tssActual` per
//! `workoutDay`. Comments live in `comments` (keyed by comment id, with `workoutId`), private
//! notes in `private_notes` (keyed by workout id).
//!
//! # Rules enforced
//!
//! | Rule | Spec line |
//! |---|---|
//! | Workout types are a fixed, non-athlete-scoped catalogue | api §4 (REF `src/api/workouts.ts`, "confirmed from network capture") |
//! | Durations are hours, distances metres | api §3 (REF `CLAUDE.md`; JM; RGW fixture) |
//! | List range: `YYYY-MM-DD` path dates, end ≥ start, at most 90 days, else 400 (whether the server enforces 90 is unknown; the safest reading is to reject longer ranges so unchunked clients are caught) | api §5.1 row 1 (REF tool text; JM `DateRangeInput`; RGW 90-day chunks), §13 |
//! | GET returns `structure` as an object; lists include it too | api §5.1 rows 1–2 (REF comment; KOM; T2I), §10.1 |
//! | POST/PUT `structure` must be a JSON **string** (double-serialised) holding an object, else 400 | api §5.1 row 3, §10.1 (REF `CLAUDE.md` Safari capture; JM; EX; T2I; KOM) |
//! | `userTags` must be a string (or null); an array/object is 400 | api §3 `userTags` row (ISS#60 live-verified, PR#61), §12 |
//! | Body `athleteId` must match the path athlete, else 400 | api §12 (JM `tools/events.py` error text), §5.3 |
//! | Unbindable body (not an object, wrong number types, missing `workoutDay`/`workoutTypeValueId`) is 400 "No workout sent" | api §5.3, §12 (REF `CLAUDE.md`) |
//! | PUT replaces the whole object: fields missing from the body are lost | api §5.1 PUT row (REF `updateWorkout`; KOM; JM) |
//! | Writing `totalTime` marks a workout completed | api §5.1 PUT row (PR#168) |
//! | DELETE answers `true` | api §5.1 DELETE row (T2I `Boolean`) |
//! | Comments: v2 path, POST `{value}` returns the whole thread | api §5.1 comment rows (REF; JM) |
//! | Private note: no athlete in the path, PUT `{note}` → empty 200, `""` clears | api §5.1 private note rows (REF; JM) |
//! | Unknown workout/comment id → 404 | api §12 (JM) |
//! | Athlete not the user nor on their roster → 403 | api §12 (JM `_handle_response`) |
//! | Soft-deleted workouts (`isDeleted`) are left out of lists | api §5.1 row 1 (RGW) |

use chrono::NaiveDate;
use serde_json::{Map, Value, json};

use crate::clock::Clock;
use crate::http::{HttpResponse, Method};
use crate::trainingpeaks::workouts::{WORKOUT_TYPE_TABLE, workout_day};

use super::router::{Ctx, Params, Route};
use super::{
    Answer, ApiError, SAMPLE_ATHLETE_ID, State, bad_request, forbidden, not_found, sample,
};

mod comments;

const WORKOUTS: &str = "workouts";
const COMMENTS: &str = "comments";
const NOTES: &str = "private_notes";

pub(super) fn routes() -> Vec<Route> {
    let mut routes = vec![
        Route::new(Method::Get, "/fitness/v6/workouttypes", workout_types),
        Route::new(
            Method::Get,
            "/fitness/v6/athletes/{aid}/workouts/{start}/{end}",
            list,
        ),
        Route::new(
            Method::Get,
            "/fitness/v6/athletes/{aid}/workouts/{wid}",
            get,
        ),
        Route::new(Method::Post, "/fitness/v6/athletes/{aid}/workouts", create),
        Route::new(
            Method::Put,
            "/fitness/v6/athletes/{aid}/workouts/{wid}",
            update,
        ),
        Route::new(
            Method::Delete,
            "/fitness/v6/athletes/{aid}/workouts/{wid}",
            delete,
        ),
        Route::new(
            Method::Get,
            "/fitness/v2/athletes/{aid}/workouts/{wid}/comments",
            comments::comments,
        ),
        Route::new(
            Method::Post,
            "/fitness/v2/athletes/{aid}/workouts/{wid}/comments",
            comments::add_comment,
        ),
        Route::new(
            Method::Delete,
            "/fitness/v2/athletes/{aid}/workouts/{wid}/comments/{cid}",
            comments::delete_comment,
        ),
        Route::new(
            Method::Get,
            "/fitness/v6/workouts/{wid}/privateWorkoutNote",
            comments::get_note,
        ),
        Route::new(
            Method::Put,
            "/fitness/v6/workouts/{wid}/privateWorkoutNote",
            comments::put_note,
        ),
    ];
    routes.extend(super::device_files::routes());
    routes
}

/// Seeds the sample athlete's year of training ([`sample::workouts`]) and three coach comments
/// on recent sessions.
pub(super) fn seed(state: &mut State, clock: &dyn Clock) {
    let workouts = sample::workouts(clock.today(), &mut || state.new_id());
    let coach_lines = [
        "Great pacing, right in the zone. Keep it up.",
        "Looked strong on the last interval — recover well tomorrow.",
        "HR drifted a bit late on; bring a bottle with carbs next time.",
    ];
    let recent: Vec<(i64, String)> = workouts
        .iter()
        .filter(|w| w.get("completed") == Some(&Value::Bool(true)))
        .filter_map(|w| {
            let day = w.get("workoutDay")?.as_str()?.get(..10)?;
            Some((w.get("workoutId")?.as_i64()?, day.to_string()))
        })
        .collect();
    let coach = format!("{} {}", sample::COACH_FIRST_NAME, sample::COACH_LAST_NAME);
    let mut comments = Vec::new();
    for (n, (wid, day)) in recent.iter().rev().step_by(5).take(3).enumerate() {
        let id = state.new_id();
        comments.push((
            id,
            json!({"id": id, "comment": coach_lines.get(n).copied().unwrap_or(""),
                "dateCreated": format!("{day}T19:30:00"), "workoutId": wid,
                "commenterPersonId": sample::COACH_PERSON_ID, "firstName": sample::COACH_FIRST_NAME,
                "lastName": sample::COACH_LAST_NAME, "commenterName": coach,
                "commenterPhotoUrl": null, "isCoach": true}),
        ));
    }
    let stored = state.collection(WORKOUTS);
    for w in workouts {
        if let Some(id) = w.get("workoutId").and_then(Value::as_i64) {
            stored.insert(id, w);
        }
    }
    state.collection(COMMENTS).extend(comments);
}

fn workout_types(_: &mut State, _: &Ctx<'_>, _: &Params) -> Answer {
    let types: Vec<Value> = WORKOUT_TYPE_TABLE
        .iter()
        .map(|(id, name, subs)| {
            let subs: Vec<Value> = subs
                .iter()
                .map(|(i, n)| json!({"id": i, "name": n}))
                .collect();
            json!({"id": id, "name": name, "subTypes": subs})
        })
        .collect();
    Ok(HttpResponse::json(200, &Value::Array(types)))
}

/// The path athlete, if the signed-in user may act on it (themself or a roster athlete).
pub(super) fn athlete(st: &State, p: &Params) -> Result<i64, ApiError> {
    let aid = p.id("aid")?;
    let user = st.docs.get("user");
    let own = user
        .and_then(|u| u.get("userId"))
        .and_then(Value::as_i64)
        .unwrap_or(SAMPLE_ATHLETE_ID);
    let on_roster = user
        .and_then(|u| u.get("athletes"))
        .and_then(Value::as_array)
        .is_some_and(|a| {
            a.iter()
                .any(|e| e.get("athleteId").and_then(Value::as_i64) == Some(aid))
        });
    if aid == own || on_roster {
        Ok(aid)
    } else {
        Err(forbidden(format!(
            "You do not have access to athlete {aid}."
        )))
    }
}

/// The workout `{wid}` of athlete `aid`, or a 404.
pub(super) fn owned<'s>(st: &'s State, aid: i64, p: &Params) -> Result<(i64, &'s Value), ApiError> {
    let wid = p.id("wid")?;
    st.collections
        .get(WORKOUTS)
        .and_then(|c| c.get(&wid))
        .filter(|w| {
            w.get("athleteId").and_then(Value::as_i64) == Some(aid)
                && w.get("isDeleted") != Some(&json!(true))
        })
        .map(|w| (wid, w))
        .ok_or_else(|| not_found(&format!("Workout {wid}")))
}

fn list(st: &mut State, _: &Ctx<'_>, p: &Params) -> Answer {
    let aid = athlete(st, p)?;
    let (start, end) = (p.date("start")?, p.date("end")?);
    if end < start {
        return Err(bad_request(
            "The end date must be on or after the start date.",
        ));
    }
    if (end - start).num_days() > 90 {
        return Err(bad_request("The date range may span at most 90 days."));
    }
    // ISO dates compare correctly as strings: no per-workout date parsing on the hot path.
    let (from, to) = (
        start.format("%Y-%m-%d").to_string(),
        end.format("%Y-%m-%d").to_string(),
    );
    let mut hits: Vec<(&str, i64, &Value)> = Vec::new();
    if let Some(c) = st.collections.get(WORKOUTS) {
        for w in c.values() {
            let Some(day) = w.get("workoutDay").and_then(Value::as_str) else {
                continue;
            };
            let d = day.get(..10).unwrap_or(day);
            if d < from.as_str()
                || d > to.as_str()
                || w.get("athleteId").and_then(Value::as_i64) != Some(aid)
                || w.get("isDeleted") == Some(&Value::Bool(true))
            {
                continue;
            }
            hits.push((
                d,
                w.get("orderOnDay")
                    .and_then(Value::as_i64)
                    .unwrap_or(i64::MAX),
                w,
            ));
        }
    }
    hits.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    let hits: Vec<&Value> = hits.into_iter().map(|(_, _, w)| w).collect();
    // Serialise the borrowed objects directly: no clone of a year of workouts per request.
    // Sized up front (a completed workout is ~600 bytes) so the buffer is not regrown a dozen
    // times on the way to ~60 kB.
    let mut body = Vec::with_capacity(hits.len() * 640 + 2);
    serde_json::to_writer(&mut body, &hits).map_err(|e| ApiError::message(500, e.to_string()))?;
    Ok(HttpResponse::new(200, body).with_header("content-type", "application/json"))
}

fn get(st: &mut State, _: &Ctx<'_>, p: &Params) -> Answer {
    let aid = athlete(st, p)?;
    let (_, w) = owned(st, aid, p)?;
    Ok(HttpResponse::json(200, w))
}

fn no_workout(why: &str) -> ApiError {
    bad_request(&format!("No workout sent: {why}"))
}

/// Validates a POST/PUT body the way the server's model binding does and turns it into the
/// stored (GET) shape. `aid` is the path athlete.
fn bind(body: Value, aid: i64) -> Result<Map<String, Value>, ApiError> {
    let Value::Object(mut obj) = body else {
        return Err(no_workout("the body must be a workout object"));
    };
    let body_aid = match obj.get("athleteId") {
        Some(Value::Number(n)) => n.as_i64(),
        // EX/T2I post the id as a string and succeed (spec §5.3 CONFLICT): accept digits.
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    };
    match body_aid {
        Some(a) if a == aid => {}
        Some(_) => {
            return Err(bad_request(
                "AthleteId of request url and AthleteId in body of request do not match",
            ));
        }
        None => return Err(no_workout("`athleteId` is missing or not a number")),
    }
    obj.insert("athleteId".into(), json!(aid));
    let day = obj
        .get("workoutDay")
        .and_then(Value::as_str)
        .and_then(|d| NaiveDate::parse_from_str(d.get(..10).unwrap_or(d), "%Y-%m-%d").ok())
        .ok_or_else(|| {
            no_workout("`workoutDay` must be a date (YYYY-MM-DD or YYYY-MM-DDT00:00:00)")
        })?;
    obj.insert("workoutDay".into(), json!(workout_day(day)));
    let type_id = obj
        .get("workoutTypeValueId")
        .and_then(Value::as_i64)
        .ok_or_else(|| no_workout("`workoutTypeValueId` must be an integer"))?;
    if !WORKOUT_TYPE_TABLE.iter().any(|(id, _, _)| *id == type_id) {
        return Err(bad_request(&format!(
            "Unknown workoutTypeValueId {type_id}."
        )));
    }
    for key in ["workoutSubTypeId", "orderOnDay", "feeling", "rpe"] {
        if obj
            .get(key)
            .is_some_and(|v| !v.is_null() && v.as_i64().is_none())
        {
            return Err(no_workout(&format!("`{key}` must be an integer or null")));
        }
    }
    for key in [
        "totalTime",
        "totalTimePlanned",
        "distance",
        "distancePlanned",
        "tssActual",
        "tssPlanned",
        "if",
        "ifPlanned",
        "energy",
        "energyPlanned",
    ] {
        if obj.get(key).is_some_and(|v| !v.is_null() && !v.is_number()) {
            return Err(no_workout(&format!(
                "`{key}` must be a number (hours / metres) or null"
            )));
        }
    }
    for key in [
        "title",
        "description",
        "coachComments",
        "athleteComments",
        "userTags",
    ] {
        if obj.get(key).is_some_and(|v| !v.is_null() && !v.is_string()) {
            return Err(no_workout(&format!("`{key}` must be a string or null")));
        }
    }
    match obj.get("structure") {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) => match serde_json::from_str::<Value>(s) {
            Ok(v @ Value::Object(_)) => {
                obj.insert("structure".into(), v);
            }
            _ => {
                return Err(bad_request(
                    "`structure` must be a JSON string holding a structure object.",
                ));
            }
        },
        Some(_) => {
            return Err(bad_request(
                "`structure` must be sent as a JSON string (double-serialised), not an object.",
            ));
        }
    }
    if obj
        .get("totalTime")
        .and_then(Value::as_f64)
        .is_some_and(|t| t > 0.0)
    {
        obj.insert("completed".into(), json!(true));
    } else if !obj.get("completed").is_some_and(Value::is_boolean) {
        obj.insert("completed".into(), json!(false));
    }
    // Comments are a separate resource; the workout carries only the server's view of them.
    obj.remove("workoutComments");
    Ok(obj)
}

fn create(st: &mut State, ctx: &Ctx<'_>, p: &Params) -> Answer {
    let aid = athlete(st, p)?;
    let body = ctx.json_body()?;
    let mut obj = bind(body, aid)?;
    let id = st.new_id();
    obj.insert("workoutId".into(), json!(id));
    obj.entry("orderOnDay").or_insert(Value::Null);
    obj.insert("hasPrivateWorkoutNoteForCaller".into(), json!(false));
    obj.insert(
        "lastModifiedDate".into(),
        json!(ctx.clock.now().format("%Y-%m-%dT%H:%M:%S").to_string()),
    );
    let w = Value::Object(obj);
    st.collection(WORKOUTS).insert(id, w.clone());
    Ok(HttpResponse::json(200, &w))
}

fn update(st: &mut State, ctx: &Ctx<'_>, p: &Params) -> Answer {
    let aid = athlete(st, p)?;
    let (wid, w) = owned(st, aid, p)?;
    let note_flag = w
        .get("hasPrivateWorkoutNoteForCaller")
        .cloned()
        .unwrap_or(json!(false));
    let body = ctx.json_body()?;
    if let Some(id) = body.get("workoutId").and_then(Value::as_i64)
        && id != 0
        && id != wid
    {
        return Err(bad_request(
            "workoutId of request url and workoutId in body of request do not match",
        ));
    }
    let mut obj = bind(body, aid)?;
    // Full replace: whatever the body lacks is gone, exactly like the real PUT.
    obj.insert("workoutId".into(), json!(wid));
    obj.insert("hasPrivateWorkoutNoteForCaller".into(), note_flag);
    obj.insert(
        "lastModifiedDate".into(),
        json!(ctx.clock.now().format("%Y-%m-%dT%H:%M:%S").to_string()),
    );
    let w = Value::Object(obj);
    st.collection(WORKOUTS).insert(wid, w.clone());
    Ok(HttpResponse::json(200, &w))
}

fn delete(st: &mut State, _: &Ctx<'_>, p: &Params) -> Answer {
    let aid = athlete(st, p)?;
    let (wid, _) = owned(st, aid, p)?;
    st.collection(WORKOUTS).remove(&wid);
    st.collection(COMMENTS)
        .retain(|_, c| c.get("workoutId").and_then(Value::as_i64) != Some(wid));
    st.collection(NOTES).remove(&wid);
    Ok(HttpResponse::json(200, &json!(true)))
}
