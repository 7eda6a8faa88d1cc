//! Structured strength workouts on the Peaksware host (`/rx/activity/v1/...`).
//!
//! Collection `strength_workouts`, keyed by numeric id; documents are stored whole (the
//! server's `id` is a numeric string).
//!
//! | Rule | Spec line |
//! |---|---|
//! | Responses are wrapped `{ data, errors }`; `errors` is `{}` on success | api §1, §11 (REF; JM) |
//! | `POST /rx/activity/v1/workouts/save` is create **and** update, keyed on a numeric `id`; a new doc may carry a UUID `id` and gets a numeric-string id | api §11 (REF; JM live-probed) |
//! | Save without `calendarId`, `workoutType` or `prescribedDate` → 400 naming the fields | api §11, §12 "Strength partial payload" (JM) |
//! | Wrong types (non-integer `calendarId`, non-array `blocks`, non-string `title`) → 400 | api §12 "unbindable body → 400" |
//! | Save replaces the whole document (GET-modify-POST the whole doc); the server recomputes `snapshot` and `lastUpdatedAt` | api §11 (REF; JM) |
//! | `GET /rx/activity/v1/workouts/{id}` → `{data}`; `.../{id}/summary` → `{data:{…summary…}}` | api §11 (JM; PR#141; REF) |
//! | `GET /rx/activity/v1/workouts/calendar/{calendarId}/{start}/{end}` → bare array of summaries | api §11 (JM; RGW) |
//! | Unknown id → 404 with an empty body | api §12 "Peaksware 404 has empty body" (JM) |
//! | `DELETE /rx/activity/v1/workouts/{id}` | api §11 (JM) |
//! | Another athlete's `calendarId` (save, calendar list) → 403 | api §12 "Permission" (JM) |
//! | Each `parameters[]` entry of a prescription and of its exercise names a known parameter with exactly the reference's `title`, `unit{title, abbreviation, unit}` and `category`; `orderOnDay` is null or ≥ 1 → else 400 naming the field | issue 8 §2 (REF's table is the only shape known to work live) |

use chrono::Duration;
use serde_json::{Value, json};

use crate::clock::Clock;
use crate::http::{HttpResponse, Method};
use crate::trainingpeaks::strength_param;

use super::router::{Ctx, Params, Route};
use super::{Answer, ApiError, SAMPLE_ATHLETE_ID, State};

pub(super) fn routes() -> Vec<Route> {
    vec![
        Route::new(Method::Post, "/rx/activity/v1/workouts/save", save),
        Route::new(
            Method::Get,
            "/rx/activity/v1/workouts/calendar/{cal}/{start}/{end}",
            calendar,
        ),
        Route::new(
            Method::Get,
            "/rx/activity/v1/workouts/{id}/summary",
            summary_route,
        ),
        Route::new(Method::Get, "/rx/activity/v1/workouts/{id}", get),
        Route::new(Method::Delete, "/rx/activity/v1/workouts/{id}", delete),
    ]
}

/// The completed seeded strength workout.
pub(crate) const SEED_DONE_ID: i64 = 19_400_001;
/// The planned seeded strength workout.
pub(crate) const SEED_PLANNED_ID: i64 = 19_400_002;

/// A success in Peaksware's envelope.
fn wrapped(status: u16, data: Value) -> Answer {
    Ok(HttpResponse::json(
        status,
        &json!({"data": data, "errors": {}}),
    ))
}

/// A refusal in Peaksware's envelope: `errors` maps field names to messages.
fn errors(status: u16, errors: Value) -> ApiError {
    ApiError::json(status, json!({"data": null, "errors": errors}))
}

/// Peaksware 404s have an empty body (spec §12).
fn not_found() -> ApiError {
    ApiError::empty(404)
}

/// A seeded set: (reps, kg, executed?).
fn seed_set(i: usize, reps: i64, kg: f64, done: bool) -> Value {
    json!({
        "id": format!("s{i}"), "isComplete": done, "setOrigin": "Prescribed",
        "parameterValues": [
            {"id": format!("s{i}r"), "parameter": "Reps", "inputFormat": "Integer", "prescribedValue": reps.to_string(),
             "executedValue": if done { json!(reps.to_string()) } else { Value::Null }},
            {"id": format!("s{i}w"), "parameter": "WeightKg", "inputFormat": "Decimal", "prescribedValue": kg.to_string(),
             "executedValue": if done { json!(kg.to_string()) } else { Value::Null }},
        ]
    })
}

fn seed_block(n: usize, ex_id: &str, title: &str, sets: &[(i64, f64)], done: bool) -> Value {
    let param = |p: &str| strength_param(p).map_or(Value::Null, |m| m.to_wire("0"));
    json!({
        "id": format!("b{n}"), "blockType": "SingleExercise", "title": title, "coachNotes": null,
        "isComplete": done, "compliancePercent": if done { 100 } else { 0 }, "parameters": [],
        "prescriptions": [{
            "id": format!("p{n}"),
            "exercise": {"id": ex_id, "title": title, "videoUrl": null, "instructions": null,
                         "parameters": [param("Reps"), param("WeightKg")],
                         "canEdit": false},
            "parameters": [param("Reps"), param("WeightKg")],
            "sets": sets.iter().enumerate().map(|(i, (r, w))| seed_set(n * 10 + i, *r, *w, done)).collect::<Vec<_>>(),
            "coachNotes": null, "compliancePercent": if done { 100 } else { 0 },
            "setSummaryTemplate": "{Reps} Reps @ {WeightKg} kg",
        }]
    })
}

/// Seeds one completed and one planned strength workout around today.
pub(super) fn seed(state: &mut State, clock: &dyn Clock) {
    let today = clock.today();
    let done_day = today - Duration::days(2);
    let planned_day = today + Duration::days(3);
    let mut done = json!({
        "id": SEED_DONE_ID.to_string(), "workoutType": "StructuredStrength", "calendarId": SAMPLE_ATHLETE_ID,
        "title": "Lower Body Strength", "instructions": "Controlled tempo, 2 minutes rest between sets.",
        "prescribedDate": done_day.format("%Y-%m-%d").to_string(), "prescribedStartTime": "07:00:00",
        "startDateTime": format!("{}T07:02:00", done_day.format("%Y-%m-%d")),
        "completedDateTime": format!("{}T07:51:00", done_day.format("%Y-%m-%d")),
        "prescribedDurationInSeconds": 2700, "executedDurationInSeconds": 2940, "orderOnDay": 1,
        "isLocked": false, "isHidden": false, "workoutSubTypeId": null, "rpe": 7, "feel": 4,
        "compliancePercent": 100, "lastUpdatedAt": null,
        "blocks": [
            seed_block(1, "5178", "Goblet Squat", &[(10, 24.0), (10, 24.0), (8, 28.0)], true),
            seed_block(2, "2301", "Romanian Deadlift", &[(8, 60.0), (8, 60.0), (8, 60.0)], true),
        ],
    });
    let mut planned = json!({
        "id": SEED_PLANNED_ID.to_string(), "workoutType": "StructuredStrength", "calendarId": SAMPLE_ATHLETE_ID,
        "title": "Upper Body & Core", "instructions": null,
        "prescribedDate": planned_day.format("%Y-%m-%d").to_string(), "prescribedStartTime": null,
        "startDateTime": null, "completedDateTime": null, "prescribedDurationInSeconds": 2400,
        "executedDurationInSeconds": null, "orderOnDay": 1, "isLocked": false, "isHidden": false,
        "workoutSubTypeId": null, "rpe": null, "feel": null, "compliancePercent": 0, "lastUpdatedAt": null,
        "blocks": [
            seed_block(3, "400", "Alternating DB Press", &[(8, 16.0), (8, 16.0), (8, 16.0)], false),
            seed_block(4, "3120", "Bent-over Row", &[(10, 40.0), (10, 40.0), (10, 40.0)], false),
        ],
    });
    let now = clock.now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    for (id, doc) in [(SEED_DONE_ID, &mut done), (SEED_PLANNED_ID, &mut planned)] {
        derive(doc, &now);
        state
            .collection("strength_workouts")
            .insert(id, doc.clone());
    }
}

fn arr(v: Option<&Value>) -> &[Value] {
    v.and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

fn complete(v: &Value) -> bool {
    v.get("isComplete").and_then(Value::as_bool) == Some(true)
}

/// Server-owned fields: `snapshot` totals and `lastUpdatedAt`.
fn derive(doc: &mut Value, now: &str) {
    let blocks = arr(doc.get("blocks"));
    let prescriptions: Vec<&Value> = blocks
        .iter()
        .flat_map(|b| arr(b.get("prescriptions")))
        .collect();
    let sets: Vec<&Value> = prescriptions
        .iter()
        .flat_map(|p| arr(p.get("sets")))
        .collect();
    let snapshot = json!({
        "totalBlocks": blocks.len(),
        "completedBlocks": blocks.iter().filter(|b| complete(b)).count(),
        "totalSets": sets.len(),
        "completedSets": sets.iter().filter(|s| complete(s)).count(),
        "totalPrescriptions": prescriptions.len(),
        "completedPrescriptions": prescriptions.iter().filter(|p| p.get("sets").is_some_and(|_| arr(p.get("sets")).iter().all(complete)) && !arr(p.get("sets")).is_empty()).count(),
    });
    if let Some(o) = doc.as_object_mut() {
        o.insert("snapshot".into(), snapshot);
        o.insert("lastUpdatedAt".into(), json!(now));
    }
}

/// The `/summary` shape of spec §11.
fn summary(doc: &Value) -> Value {
    let snap = doc.get("snapshot").cloned().unwrap_or(json!({}));
    let total = snap.get("totalSets").and_then(Value::as_i64).unwrap_or(0);
    let done = snap
        .get("completedSets")
        .and_then(Value::as_i64)
        .unwrap_or(0);
    let pct = if total > 0 {
        (done * 100 + total / 2) / total
    } else {
        0
    };
    let mut order = 0;
    let mut seq = Vec::new();
    for b in arr(doc.get("blocks")) {
        for p in arr(b.get("prescriptions")) {
            order += 1;
            let sets = arr(p.get("sets"));
            let c = sets.iter().filter(|s| complete(s)).count();
            let title = p
                .pointer("/exercise/title")
                .cloned()
                .unwrap_or_else(|| b.get("title").cloned().unwrap_or(Value::Null));
            seq.push(json!({"sequenceOrder": order.to_string(), "title": title,
                "compliancePercent": if sets.is_empty() { 0 } else { c * 100 / sets.len() }}));
        }
    }
    let g = |k: &str| doc.get(k).cloned().unwrap_or(Value::Null);
    json!({
        "id": g("id"), "workoutType": g("workoutType"), "title": g("title"), "prescribedDate": g("prescribedDate"),
        "calendarId": g("calendarId"),
        "totalBlocks": snap.get("totalBlocks"), "completedBlocks": snap.get("completedBlocks"),
        "totalPrescriptions": snap.get("totalPrescriptions"), "completedPrescriptions": snap.get("completedPrescriptions"),
        "totalSets": total, "completedSets": done, "compliancePercent": pct,
        "rpe": g("rpe"), "feel": g("feel"), "sequenceSummary": seq, "lastUpdatedAt": g("lastUpdatedAt"),
        "isLocked": g("isLocked"), "isHidden": g("isHidden"),
        "prescribedDurationInSeconds": g("prescribedDurationInSeconds"),
        "executedDurationInSeconds": g("executedDurationInSeconds"),
    })
}

fn save(st: &mut State, ctx: &Ctx<'_>, _: &Params) -> Answer {
    let mut doc = ctx.json_body().map_err(|_| {
        errors(
            400,
            json!({"body": ["The request body is not valid JSON."]}),
        )
    })?;
    let Some(obj) = doc.as_object() else {
        return Err(errors(
            400,
            json!({"body": ["A workout document is required."]}),
        ));
    };
    let mut missing = serde_json::Map::new();
    for f in ["calendarId", "workoutType", "prescribedDate"] {
        if obj.get(f).is_none_or(Value::is_null) {
            missing.insert(f.into(), json!([format!("The {f} field is required.")]));
        }
    }
    if !missing.is_empty() {
        return Err(errors(400, Value::Object(missing)));
    }
    let mut bad = serde_json::Map::new();
    if !obj.get("calendarId").is_some_and(|v| v.is_i64()) {
        bad.insert(
            "calendarId".into(),
            json!(["must be an integer athlete id"]),
        );
    }
    if obj.get("workoutType").and_then(Value::as_str) != Some("StructuredStrength") {
        bad.insert(
            "workoutType".into(),
            json!(["must be \"StructuredStrength\""]),
        );
    }
    let date_ok = obj
        .get("prescribedDate")
        .and_then(Value::as_str)
        .is_some_and(|d| {
            chrono::NaiveDate::parse_from_str(d.get(..10).unwrap_or(d), "%Y-%m-%d").is_ok()
        });
    if !date_ok {
        bad.insert(
            "prescribedDate".into(),
            json!(["must be a date YYYY-MM-DD"]),
        );
    }
    if obj
        .get("blocks")
        .is_some_and(|b| !b.is_array() && !b.is_null())
    {
        bad.insert("blocks".into(), json!(["must be an array"]));
    }
    if obj
        .get("title")
        .is_some_and(|t| !t.is_string() && !t.is_null())
    {
        bad.insert("title".into(), json!(["must be a string"]));
    }
    match obj.get("orderOnDay") {
        None | Some(Value::Null) => {}
        Some(v) if v.as_i64().is_some_and(|n| n >= 1) => {}
        Some(_) => {
            bad.insert(
                "orderOnDay".into(),
                json!(["must be null or a 1-based position"]),
            );
        }
    }
    check_parameters(obj.get("blocks"), &mut bad);
    if !bad.is_empty() {
        return Err(errors(400, Value::Object(bad)));
    }
    if obj.get("calendarId").and_then(Value::as_i64) != Some(SAMPLE_ATHLETE_ID) {
        return Err(errors(
            403,
            json!({"calendarId": ["You do not have access to this calendar."]}),
        ));
    }
    // Upsert on a numeric id; anything else (a client UUID, nothing) creates.
    let existing = match obj.get("id") {
        Some(Value::String(s)) => s.parse::<i64>().ok(),
        Some(Value::Number(n)) => n.as_i64(),
        _ => None,
    };
    let id = match existing {
        Some(id) if st.collection("strength_workouts").contains_key(&id) => id,
        Some(_) => return Err(not_found()),
        None => st.new_id(),
    };
    if let Some(o) = doc.as_object_mut() {
        o.insert("id".into(), json!(id.to_string()));
    }
    let now = ctx.clock.now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    derive(&mut doc, &now);
    st.collection("strength_workouts").insert(id, doc.clone());
    wrapped(200, doc)
}

/// Checks every parameter description against the reference's table; a mismatch is recorded
/// under the JSON path of the offending field.
fn check_parameters(blocks: Option<&Value>, bad: &mut serde_json::Map<String, Value>) {
    for (i, b) in arr(blocks).iter().enumerate() {
        for (j, p) in arr(b.get("prescriptions")).iter().enumerate() {
            let lists = [
                (
                    format!("blocks[{i}].prescriptions[{j}].parameters"),
                    p.get("parameters"),
                ),
                (
                    format!("blocks[{i}].prescriptions[{j}].exercise.parameters"),
                    p.get("exercise").and_then(|e| e.get("parameters")),
                ),
            ];
            for (at, list) in lists {
                for (k, param) in arr(list).iter().enumerate() {
                    let name = param.get("parameter").and_then(Value::as_str).unwrap_or("");
                    let Some(m) = strength_param(name) else {
                        bad.insert(
                            format!("{at}[{k}].parameter"),
                            json!([format!("unknown parameter {name:?}")]),
                        );
                        continue;
                    };
                    let want = m.to_wire("");
                    for f in ["title", "unit", "category"] {
                        if param.get(f) != want.get(f) {
                            bad.insert(
                                format!("{at}[{k}].{f}"),
                                json!([format!("must be {} for {name}", want[f])]),
                            );
                        }
                    }
                }
            }
        }
    }
}

fn lookup<'a>(st: &'a mut State, p: &Params) -> Option<&'a Value> {
    let id: i64 = p.str("id").parse().ok()?;
    st.collection("strength_workouts").get(&id)
}

fn get(st: &mut State, _: &Ctx<'_>, p: &Params) -> Answer {
    match lookup(st, p) {
        Some(d) => wrapped(200, d.clone()),
        None => Err(not_found()),
    }
}

fn summary_route(st: &mut State, _: &Ctx<'_>, p: &Params) -> Answer {
    match lookup(st, p) {
        Some(d) => wrapped(200, summary(d)),
        None => Err(not_found()),
    }
}

fn delete(st: &mut State, _: &Ctx<'_>, p: &Params) -> Answer {
    let Ok(id) = p.str("id").parse::<i64>() else {
        return Err(not_found());
    };
    match st.collection("strength_workouts").remove(&id) {
        Some(_) => wrapped(200, json!(true)),
        None => Err(not_found()),
    }
}

fn calendar(st: &mut State, _: &Ctx<'_>, p: &Params) -> Answer {
    let cal = p.id("cal")?;
    if cal != SAMPLE_ATHLETE_ID {
        return Err(errors(
            403,
            json!({"calendarId": ["You do not have access to this calendar."]}),
        ));
    }
    let (start, end) = (p.date("start")?, p.date("end")?);
    let mut out: Vec<(String, Value)> = st
        .collection("strength_workouts")
        .values()
        .filter(|d| d.get("calendarId").and_then(Value::as_i64) == Some(cal))
        .filter_map(|d| {
            let day = d
                .get("prescribedDate")
                .and_then(Value::as_str)?
                .get(..10)?
                .to_string();
            let date = chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d").ok()?;
            (date >= start && date <= end).then(|| (day, summary(d)))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(HttpResponse::json(
        200,
        &Value::Array(out.into_iter().map(|(_, s)| s).collect()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_counts_sets() {
        let mut doc = json!({"id": "1", "blocks": [seed_block(1, "1", "A", &[(5, 10.0), (5, 10.0)], true),
                                                  seed_block(2, "2", "B", &[(5, 10.0)], false)]});
        derive(&mut doc, "now");
        let s = summary(&doc);
        assert_eq!(s["totalSets"], 3);
        assert_eq!(s["completedSets"], 2);
        assert_eq!(s["compliancePercent"], 67);
        assert_eq!(s["completedPrescriptions"], 1);
        assert_eq!(s["sequenceSummary"][1]["compliancePercent"], 0);
    }

    #[test]
    fn parameters_must_match_the_reference_table() {
        let mut bad = serde_json::Map::new();
        check_parameters(
            Some(&json!([seed_block(1, "1", "A", &[(5, 10.0)], false)])),
            &mut bad,
        );
        assert!(bad.is_empty(), "{bad:?}");
        // The shape Paceline sent before issue 8 §2.
        let old = json!([{"prescriptions": [{"parameters": [
            {"parameter": "Reps", "title": "Reps", "unit": {"title": "Repetitions", "abbreviation": "reps", "unit": "Repetitions"}, "category": "Reps", "id": "x"},
            {"parameter": "Duration", "title": "Duration", "unit": {"title": "Seconds", "abbreviation": "sec", "unit": "Seconds"}, "category": "Time", "id": "y"},
            {"parameter": "Bananas"}
        ]}]}]);
        check_parameters(Some(&old), &mut bad);
        let keys: Vec<&str> = bad.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "blocks[0].prescriptions[0].parameters[0].unit",
                "blocks[0].prescriptions[0].parameters[1].title",
                "blocks[0].prescriptions[0].parameters[1].unit",
                "blocks[0].prescriptions[0].parameters[1].category",
                "blocks[0].prescriptions[0].parameters[2].parameter",
            ]
        );
    }
}
