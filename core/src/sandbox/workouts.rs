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

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};
use serde_json::{Map, Value, json};

use crate::clock::Clock;
use crate::http::{HttpResponse, Method};
use crate::structure;
use crate::trainingpeaks::workouts::{WORKOUT_TYPE_TABLE, workout_day};

use super::router::{Ctx, Params, Route};
use super::{Answer, ApiError, SAMPLE_ATHLETE_ID, State, bad_request, forbidden, not_found};

/// The sample athlete's FTP (W) used for power figures.
pub const SAMPLE_FTP: f64 = 250.0;
/// The sample athlete's lactate-threshold heart rate (bpm).
pub const SAMPLE_LTHR: f64 = 168.0;
/// The sample athlete's threshold run speed (m/s; 4:10 /km).
pub const SAMPLE_RUN_THRESHOLD_MPS: f64 = 1000.0 / 250.0;
/// The sample athlete's swim CSS (m/s; 1:45 /100 m).
pub const SAMPLE_SWIM_CSS_MPS: f64 = 100.0 / 105.0;
/// The sample coach who comments on workouts.
const COACH_PERSON_ID: i64 = 4_700_001;

const WORKOUTS: &str = "workouts";
const COMMENTS: &str = "comments";
const NOTES: &str = "private_notes";

pub(super) fn routes() -> Vec<Route> {
    vec![
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
            comments,
        ),
        Route::new(
            Method::Post,
            "/fitness/v2/athletes/{aid}/workouts/{wid}/comments",
            add_comment,
        ),
        Route::new(
            Method::Delete,
            "/fitness/v2/athletes/{aid}/workouts/{wid}/comments/{cid}",
            delete_comment,
        ),
        Route::new(
            Method::Get,
            "/fitness/v6/workouts/{wid}/privateWorkoutNote",
            get_note,
        ),
        Route::new(
            Method::Put,
            "/fitness/v6/workouts/{wid}/privateWorkoutNote",
            put_note,
        ),
    ]
}

// ---------------------------------------------------------------------------------------------
// Handlers

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
fn athlete(st: &State, p: &Params) -> Result<i64, ApiError> {
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
fn owned<'s>(st: &'s State, aid: i64, p: &Params) -> Result<(i64, &'s Value), ApiError> {
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

fn thread(st: &State, wid: i64) -> Value {
    let items: Vec<Value> = st
        .collections
        .get(COMMENTS)
        .map(|c| {
            c.values()
                .filter(|x| x.get("workoutId").and_then(Value::as_i64) == Some(wid))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    Value::Array(items)
}

fn comments(st: &mut State, _: &Ctx<'_>, p: &Params) -> Answer {
    let (wid, _) = owned(st, athlete(st, p)?, p)?;
    Ok(HttpResponse::json(200, &thread(st, wid)))
}

fn add_comment(st: &mut State, ctx: &Ctx<'_>, p: &Params) -> Answer {
    let (wid, _) = owned(st, athlete(st, p)?, p)?;
    let body = ctx.json_body()?;
    let Some(text) = body
        .get("value")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|t| !t.is_empty())
    else {
        return Err(bad_request("`value` must be a non-empty string."));
    };
    let user = st.docs.get("user").cloned().unwrap_or(Value::Null);
    let id = st.new_id();
    let first = user.get("firstName").cloned().unwrap_or(Value::Null);
    let last = user.get("lastName").cloned().unwrap_or(Value::Null);
    let name = user.get("fullName").cloned().unwrap_or(Value::Null);
    let c = json!({
        "id": id, "comment": text, "dateCreated": ctx.clock.now().format("%Y-%m-%dT%H:%M:%S").to_string(),
        "workoutId": wid, "commenterPersonId": user.get("personId").cloned().unwrap_or(Value::Null),
        "firstName": first, "lastName": last, "commenterName": name, "commenterPhotoUrl": null, "isCoach": false
    });
    st.collection(COMMENTS).insert(id, c);
    Ok(HttpResponse::json(200, &thread(st, wid)))
}

fn delete_comment(st: &mut State, _: &Ctx<'_>, p: &Params) -> Answer {
    let (wid, _) = owned(st, athlete(st, p)?, p)?;
    let cid = p.id("cid")?;
    let belongs = st
        .collections
        .get(COMMENTS)
        .and_then(|c| c.get(&cid))
        .is_some_and(|c| c.get("workoutId").and_then(Value::as_i64) == Some(wid));
    if !belongs {
        return Err(not_found(&format!("Comment {cid}")));
    }
    st.collection(COMMENTS).remove(&cid);
    Ok(HttpResponse::json(200, &thread(st, wid)))
}

/// The workout id of a private-note path if it exists (the path has no athlete, spec §5.1).
fn note_workout(st: &State, p: &Params) -> Result<i64, ApiError> {
    let wid = p.id("wid")?;
    if st
        .collections
        .get(WORKOUTS)
        .is_some_and(|c| c.contains_key(&wid))
    {
        Ok(wid)
    } else {
        Err(not_found(&format!("Workout {wid}")))
    }
}

fn get_note(st: &mut State, _: &Ctx<'_>, p: &Params) -> Answer {
    let wid = note_workout(st, p)?;
    let note = st
        .collections
        .get(NOTES)
        .and_then(|n| n.get(&wid))
        .cloned()
        .unwrap_or_else(|| json!({"note": "", "dateTimeUpdatedUtc": null}));
    Ok(HttpResponse::json(200, &note))
}

fn put_note(st: &mut State, ctx: &Ctx<'_>, p: &Params) -> Answer {
    let wid = note_workout(st, p)?;
    let body = ctx.json_body()?;
    let Some(note) = body.get("note").and_then(Value::as_str) else {
        return Err(bad_request("`note` must be a string."));
    };
    let now = ctx.clock.now().format("%Y-%m-%dT%H:%M:%S").to_string();
    let has = !note.is_empty();
    if has {
        st.collection(NOTES)
            .insert(wid, json!({"note": note, "dateTimeUpdatedUtc": now}));
    } else {
        st.collection(NOTES).remove(&wid);
    }
    if let Some(Value::Object(w)) = st.collection(WORKOUTS).get_mut(&wid) {
        w.insert("hasPrivateWorkoutNoteForCaller".into(), json!(has));
    }
    Ok(HttpResponse::new(200, Vec::new()))
}

// ---------------------------------------------------------------------------------------------
// Seed

/// A tiny deterministic PRNG (SplitMix64) so the seed is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `[lo, hi)`.
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * ((self.next() >> 11) as f64 / (1u64 << 53) as f64)
    }
    fn chance(&mut self, p: f64) -> bool {
        self.range(0.0, 1.0) < p
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        let i = (self.next() % items.len().max(1) as u64) as usize;
        items.get(i).copied().unwrap_or("")
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Swim,
    Bike,
    Run,
    Strength,
}

impl Kind {
    fn type_id(self) -> i64 {
        match self {
            Kind::Swim => 1,
            Kind::Bike => 2,
            Kind::Run => 3,
            Kind::Strength => 9,
        }
    }
}

/// One planned session of the weekly template: sport, hours, IF, title choices, subtype.
struct Session {
    kind: Kind,
    hours: f64,
    intensity: f64,
    titles: &'static [&'static str],
    subtype: Option<i64>,
}

/// The weekly template, Monday first.
fn template(weekday: u32) -> Vec<Session> {
    let s = |kind, hours, intensity, titles, subtype| Session {
        kind,
        hours,
        intensity,
        titles,
        subtype,
    };
    match weekday {
        0 => vec![
            s(
                Kind::Swim,
                0.75,
                0.70,
                &["Technique swim", "Easy aerobic swim", "Drills + pull"],
                Some(2),
            ),
            s(
                Kind::Strength,
                0.75,
                0.55,
                &["Strength: legs & core", "Gym: posterior chain"],
                None,
            ),
        ],
        1 => vec![s(
            Kind::Bike,
            1.25,
            0.84,
            &["VO2 max 5x4", "Threshold 2x20", "Over-unders 3x9"],
            Some(6),
        )],
        2 => vec![
            s(
                Kind::Run,
                0.9,
                0.80,
                &["Tempo run", "Cruise intervals 4x1 km", "Hill repeats"],
                Some(10),
            ),
            s(
                Kind::Swim,
                0.8,
                0.75,
                &["CSS 10x100", "Endurance swim 2.5 km", "Pyramid set"],
                Some(2),
            ),
        ],
        3 => vec![s(
            Kind::Bike,
            1.25,
            0.78,
            &["Sweet spot 3x12", "Tempo 2x25", "Cadence builds"],
            Some(6),
        )],
        4 => vec![s(
            Kind::Strength,
            0.6,
            0.55,
            &["Strength: upper body", "Mobility + core"],
            None,
        )],
        5 => vec![s(
            Kind::Bike,
            3.0,
            0.70,
            &["Long endurance ride", "Group ride", "Hilly endurance"],
            Some(3),
        )],
        _ => vec![s(
            Kind::Run,
            1.4,
            0.74,
            &["Long run", "Progression long run", "Trail long run"],
            Some(12),
        )],
    }
}

fn r(x: f64, places: i32) -> f64 {
    let m = 10f64.powi(places);
    (x * m).round() / m
}

/// Seeds a year of completed training (365 days back from yesterday), today's and three weeks
/// of upcoming planned structured workouts, and a few comments.
pub(super) fn seed(state: &mut State, clock: &dyn Clock) {
    let today = clock.today();
    let first = today - Duration::days(365);
    let mut rng = Rng(0x5EED_CAFE_F00D_0001);
    let mut workouts: BTreeMap<i64, Value> = BTreeMap::new();
    let mut completed_ids = Vec::new();
    let mut day = first;
    while day < today {
        let week = (day - first).num_days() / 7;
        // 3 build weeks then a recovery week, with a gentle progression over the year.
        let load = if week % 4 == 3 {
            0.65
        } else {
            0.85 + 0.25 * (week as f64 / 52.0) + 0.04 * (week % 4) as f64
        };
        for (i, sess) in template(day.weekday().num_days_from_monday())
            .into_iter()
            .enumerate()
        {
            if rng.chance(0.08) {
                continue; // life happens: a missed session
            }
            let id = state.new_id();
            let w = completed(&mut rng, id, day, &sess, load, i as i64 + 1);
            completed_ids.push((id, day));
            workouts.insert(id, w);
        }
        day += Duration::days(1);
    }
    for offset in 0..21 {
        let day = today + Duration::days(offset);
        for (i, (kind, title, friendly, subtype)) in
            planned_for(day.weekday().num_days_from_monday())
                .into_iter()
                .enumerate()
        {
            let id = state.new_id();
            if let Some(w) = planned(id, day, kind, title, &friendly, subtype, i as i64 + 1) {
                workouts.insert(id, w);
            }
        }
    }
    let mut comments: BTreeMap<i64, Value> = BTreeMap::new();
    let coach_lines = [
        "Great pacing, right in the zone. Keep it up.",
        "Looked strong on the last interval — recover well tomorrow.",
        "HR drifted a bit late on; bring a bottle with carbs next time.",
    ];
    for (n, (wid, day)) in completed_ids.iter().rev().step_by(5).take(3).enumerate() {
        let id = state.new_id();
        let when = format!("{}T19:30:00", day.format("%Y-%m-%d"));
        comments.insert(
            id,
            json!({"id": id, "comment": coach_lines.get(n).copied().unwrap_or(""), "dateCreated": when, "workoutId": wid,
                "commenterPersonId": COACH_PERSON_ID, "firstName": "Jordan", "lastName": "Lee",
                "commenterName": "Jordan Lee", "commenterPhotoUrl": null, "isCoach": true}),
        );
    }
    state.collection(WORKOUTS).extend(workouts);
    state.collection(COMMENTS).extend(comments);
}

fn completed(rng: &mut Rng, id: i64, day: NaiveDate, s: &Session, load: f64, order: i64) -> Value {
    let planned_h = r(s.hours * load, 2).max(0.5);
    let hours = r(planned_h * rng.range(0.9, 1.08), 4);
    let intensity = r(s.intensity * rng.range(0.96, 1.04), 2);
    let tss = r(hours * intensity * intensity * 100.0, 1);
    let tss_planned = r(planned_h * s.intensity * s.intensity * 100.0, 1);
    let secs = hours * 3600.0;
    let hr_avg = (SAMPLE_LTHR * (0.55 + 0.42 * intensity) + rng.range(-3.0, 3.0)).round();
    let hr_max = (hr_avg + rng.range(12.0, 25.0)).round();
    let title = rng.pick(s.titles);
    // Only the fields a completed workout has values for: a list of a year is a few hundred
    // kB, and every byte is serialised by the sandbox and parsed by the client.
    let mut w = json!({
        "workoutId": id,
        "athleteId": SAMPLE_ATHLETE_ID,
        "workoutDay": workout_day(day),
        "title": title,
        "workoutTypeValueId": s.kind.type_id(),
        "workoutSubTypeId": s.subtype,
        "orderOnDay": order,
        "completed": true,
        "startTime": format!("{}T{:02}:15:00", day.format("%Y-%m-%d"), 6 + 5 * (order - 1)),
        "totalTimePlanned": planned_h,
        "tssPlanned": tss_planned,
        "ifPlanned": s.intensity,
        "totalTime": hours,
        "tssActual": tss,
        "if": intensity,
        "heartRateAverage": hr_avg,
        "heartRateMaximum": hr_max,
    });
    let Value::Object(m) = &mut w else { return w };
    match s.kind {
        Kind::Bike => {
            let np = (SAMPLE_FTP * intensity).round();
            let avg = (np * rng.range(0.88, 0.96)).round();
            let speed_kmh = rng.range(27.0, 32.0) * (0.8 + 0.25 * intensity);
            let kj = r(avg * secs / 1000.0, 0);
            m.insert("normalizedPowerActual".into(), json!(np));
            m.insert("powerAverage".into(), json!(avg));
            m.insert(
                "powerMaximum".into(),
                json!((np * rng.range(2.2, 3.4)).round()),
            );
            m.insert(
                "cadenceAverage".into(),
                json!(rng.range(84.0, 94.0).round()),
            );
            m.insert("energy".into(), json!(kj));
            m.insert("calories".into(), json!(kj.round()));
            m.insert(
                "distance".into(),
                json!((speed_kmh * hours * 1000.0).round()),
            );
            m.insert(
                "distancePlanned".into(),
                json!((29.0 * planned_h * 1000.0).round()),
            );
            m.insert(
                "elevationGain".into(),
                json!((hours * rng.range(150.0, 450.0)).round()),
            );
            m.insert("velocityAverage".into(), json!(r(speed_kmh / 3.6, 3)));
        }
        Kind::Run => {
            let mps = SAMPLE_RUN_THRESHOLD_MPS * intensity * rng.range(0.97, 1.02);
            m.insert("distance".into(), json!((mps * secs).round()));
            m.insert(
                "distancePlanned".into(),
                json!(
                    (SAMPLE_RUN_THRESHOLD_MPS * s.intensity * planned_h * 3600.0 / 100.0).round()
                        * 100.0
                ),
            );
            m.insert("velocityAverage".into(), json!(r(mps, 3)));
            m.insert(
                "cadenceAverage".into(),
                json!(rng.range(168.0, 182.0).round()),
            );
            m.insert(
                "elevationGain".into(),
                json!((hours * rng.range(40.0, 180.0)).round()),
            );
            m.insert(
                "calories".into(),
                json!((hours * rng.range(700.0, 820.0)).round()),
            );
        }
        Kind::Swim => {
            let mps = SAMPLE_SWIM_CSS_MPS * intensity * rng.range(0.97, 1.02);
            let metres = ((mps * secs * 0.85) / 50.0).round() * 50.0; // ~15% rest between reps
            m.insert("distance".into(), json!(metres));
            m.insert(
                "distancePlanned".into(),
                json!(
                    ((SAMPLE_SWIM_CSS_MPS * s.intensity * planned_h * 3600.0 * 0.85) / 100.0)
                        .round()
                        * 100.0
                ),
            );
            m.insert("velocityAverage".into(), json!(r(mps, 3)));
            m.insert(
                "calories".into(),
                json!((hours * rng.range(500.0, 650.0)).round()),
            );
        }
        Kind::Strength => {
            m.insert("heartRateAverage".into(), json!((hr_avg - 25.0).round()));
            m.insert("calories".into(), json!((hours * 380.0).round()));
        }
    }
    w
}

/// Upcoming planned sessions for a weekday: sport, title, friendly structure, subtype.
fn planned_for(weekday: u32) -> Vec<(Kind, &'static str, Value, Option<i64>)> {
    let step = |name: &str, secs: u32, lo: u32, hi: u32, class: &str| json!({"name": name, "duration_seconds": secs, "intensity_min": lo, "intensity_max": hi, "intensityClass": class});
    let warm = |secs| step("Warm up", secs, 50, 65, "warmUp");
    let cool = |secs| step("Cool down", secs, 45, 60, "coolDown");
    let reps = |n: u32, on: Value, off: Value| json!({"type": "repetition", "reps": n, "steps": [on, off]});
    let ftp = |steps: Vec<Value>| json!({"primaryIntensityMetric": "percentOfFtp", "steps": steps});
    let pace = |steps: Vec<Value>| json!({"primaryIntensityMetric": "percentOfThresholdPace", "steps": steps});
    match weekday {
        0 => vec![(
            Kind::Swim,
            "CSS 10x100",
            pace(vec![
                warm(600),
                reps(
                    10,
                    step("100 @ CSS", 105, 97, 102, "active"),
                    step("Rest", 20, 0, 0, "rest"),
                ),
                cool(300),
            ]),
            Some(2),
        )],
        1 => vec![(
            Kind::Bike,
            "VO2 max 5x4",
            ftp(vec![
                warm(900),
                reps(
                    5,
                    step("VO2", 240, 106, 120, "active"),
                    step("Easy", 240, 50, 60, "rest"),
                ),
                cool(600),
            ]),
            Some(6),
        )],
        2 => vec![(
            Kind::Run,
            "Tempo run 3x10",
            pace(vec![
                warm(900),
                reps(
                    3,
                    step("Tempo", 600, 88, 92, "active"),
                    step("Jog", 120, 65, 72, "rest"),
                ),
                cool(600),
            ]),
            Some(10),
        )],
        3 => vec![(
            Kind::Bike,
            "Sweet spot 3x12",
            ftp(vec![
                warm(600),
                reps(
                    3,
                    step("Sweet spot", 720, 88, 93, "active"),
                    step("Easy", 300, 50, 60, "rest"),
                ),
                cool(600),
            ]),
            Some(6),
        )],
        5 => vec![(
            Kind::Bike,
            "Endurance ride",
            ftp(vec![
                warm(900),
                step("Endurance", 8100, 65, 75, "active"),
                cool(600),
            ]),
            Some(3),
        )],
        6 => vec![(
            Kind::Run,
            "Long run",
            pace(vec![
                warm(600),
                step("Steady", 4200, 75, 82, "active"),
                cool(300),
            ]),
            Some(12),
        )],
        _ => Vec::new(),
    }
}

fn planned(
    id: i64,
    day: NaiveDate,
    kind: Kind,
    title: &str,
    friendly: &Value,
    subtype: Option<i64>,
    order: i64,
) -> Option<Value> {
    let s = structure::compile_value(friendly).ok()?;
    let m = structure::metrics(&s, (kind == Kind::Bike).then_some(SAMPLE_FTP))?;
    let distance = match kind {
        Kind::Run => Some(
            (SAMPLE_RUN_THRESHOLD_MPS * m.if_planned * m.total_seconds / 100.0).round() * 100.0,
        ),
        Kind::Swim => Some(
            (SAMPLE_SWIM_CSS_MPS * m.if_planned * m.total_seconds * 0.85 / 100.0).round() * 100.0,
        ),
        _ => None,
    };
    Some(json!({
        "workoutId": id,
        "athleteId": SAMPLE_ATHLETE_ID,
        "workoutDay": workout_day(day),
        "title": title,
        "workoutTypeValueId": kind.type_id(),
        "workoutSubTypeId": subtype,
        "orderOnDay": order,
        "completed": false,
        "totalTimePlanned": r(m.total_hours, 4),
        "tssPlanned": m.tss_planned,
        "ifPlanned": m.if_planned,
        "energyPlanned": m.energy_planned,
        "distancePlanned": distance,
        "totalTime": null,
        "tssActual": null,
        "if": null,
        "distance": null,
        "description": format!("{title}: {}", structure::summary(&s)),
        "coachComments": null,
        "athleteComments": null,
        "userTags": "",
        "feeling": null,
        "rpe": null,
        "structure": s.to_value(),
        "isDeleted": false,
        "hasPrivateWorkoutNoteForCaller": false,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;

    fn seeded() -> State {
        let clock = ManualClock::at_date(NaiveDate::from_ymd_opt(2026, 11, 21).unwrap_or_default());
        let mut st = State {
            next_id: 3_000_000_000,
            ..State::default()
        };
        seed(&mut st, &clock);
        st
    }

    #[test]
    fn seed_is_deterministic_and_believable() {
        let a = seeded();
        let b = seeded();
        assert_eq!(a.collections.get(WORKOUTS), b.collections.get(WORKOUTS));
        let all: Vec<&Value> = a
            .collections
            .get(WORKOUTS)
            .map(|c| c.values().collect())
            .unwrap_or_default();
        let done: Vec<&&Value> = all
            .iter()
            .filter(|w| w["completed"] == json!(true))
            .collect();
        assert!(
            done.len() > 350 && done.len() < 520,
            "about a year of sessions: {}",
            done.len()
        );
        let sports: std::collections::BTreeSet<i64> = done
            .iter()
            .filter_map(|w| w["workoutTypeValueId"].as_i64())
            .collect();
        assert_eq!(sports.into_iter().collect::<Vec<_>>(), vec![1, 2, 3, 9]);
        for w in &done {
            let h = w["totalTime"].as_f64().unwrap_or(0.0);
            assert!(h > 0.3 && h < 5.0, "hours, not minutes: {h}");
            let tss = w["tssActual"].as_f64().unwrap_or(0.0);
            assert!(tss > 5.0 && tss < 350.0, "tss {tss}");
        }
        let weekly_tss: f64 = done
            .iter()
            .filter_map(|w| w["tssActual"].as_f64())
            .sum::<f64>()
            / 52.0;
        assert!(
            (250.0..650.0).contains(&weekly_tss),
            "weekly TSS {weekly_tss}"
        );
        let planned: Vec<&&Value> = all
            .iter()
            .filter(|w| w["completed"] == json!(false))
            .collect();
        assert!(planned.len() >= 15, "three weeks of planned work");
        assert!(
            planned
                .iter()
                .all(|w| w["structure"]["structure"].is_array())
        );
        let first_day = all
            .iter()
            .filter_map(|w| w["workoutDay"].as_str())
            .min()
            .unwrap_or("");
        assert!(first_day >= "2025-11-21", "{first_day}");
    }
}
