//! The workout library: folders and the workouts in them (spec §3.2 "Workout library").

use serde_json::{Map, Value, json};

use super::athlete::merge;
use super::seed::thresholds;
use super::streams::Sport;
use super::text;
use super::{Ctx, Handled, HttpResponse, IcuState, SAMPLE_ICU_ATHLETE_ID, error, not_found, ok};

/// `GET /athlete/{id}/folders`: every folder with its workouts as `children`.
pub(super) fn folders(st: &IcuState) -> Handled {
    let out: Vec<Value> = st
        .folders
        .iter()
        .map(|(id, f)| {
            let children: Vec<Value> = st
                .workouts
                .values()
                .filter(|w| w["folder_id"].as_i64() == Some(*id))
                .cloned()
                .collect();
            let mut f = f.clone();
            if let Some(m) = f.as_object_mut() {
                m.insert("num_workouts".into(), json!(children.len()));
                m.insert("children".into(), Value::Array(children));
            }
            f
        })
        .collect();
    ok(&Value::Array(out))
}

/// `POST /athlete/{id}/folders` with `{name, type?, description?}`.
pub(super) fn create_folder(st: &mut IcuState, ctx: &Ctx) -> Handled {
    let body = ctx.object()?;
    let name = match body.get("name") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
        _ => return Err(error(422, "name: a non-empty string is required")),
    };
    let kind = match body.get("type").and_then(Value::as_str) {
        None => "FOLDER",
        Some(t @ ("FOLDER" | "PLAN")) => t,
        Some(t) => return Err(error(422, &format!("type: '{t}' is not FOLDER or PLAN"))),
    };
    let id = st.new_id();
    let f = json!({"id": id, "athlete_id": SAMPLE_ICU_ATHLETE_ID, "type": kind, "name": name,
        "description": body.get("description").cloned().unwrap_or(Value::Null),
        "visibility": "PRIVATE", "canEdit": true, "children": []});
    st.folders.insert(id, f.clone());
    ok(&f)
}

pub(super) fn workouts(st: &IcuState) -> Handled {
    ok(&Value::Array(st.workouts.values().cloned().collect()))
}

fn workout_id(st: &IcuState, id: &str) -> Result<i64, HttpResponse> {
    id.parse::<i64>()
        .ok()
        .filter(|n| st.workouts.contains_key(n))
        .ok_or_else(|| not_found(&format!("Workout {id}")))
}

pub(super) fn workout(st: &IcuState, id: &str) -> Handled {
    let k = workout_id(st, id)?;
    ok(&st.workouts[&k])
}

/// Checks a workout body; on create `folder_id` (an existing folder) and `name` are required.
fn check(st: &IcuState, body: &Map<String, Value>, creating: bool) -> Result<(), HttpResponse> {
    match body.get("folder_id") {
        Some(v) => {
            let ok = v.as_i64().is_some_and(|f| st.folders.contains_key(&f));
            if !ok {
                return Err(error(422, &format!("folder_id: no folder {v}")));
            }
        }
        None if creating => return Err(error(422, "folder_id: required")),
        None => {}
    }
    match body.get("name") {
        Some(Value::String(s)) if !s.trim().is_empty() => {}
        None if !creating => {}
        _ => return Err(error(422, "name: a non-empty string is required")),
    }
    if let Some(t) = body.get("type")
        && t.as_str().is_none_or(|t| Sport::from_icu(t).is_none())
    {
        return Err(error(422, &format!("type: {t} is not an activity type")));
    }
    Ok(())
}

/// Parses the description into `workout_doc` and the planned figures, as for events.
fn derive(w: &mut Value) {
    let sport = w["type"]
        .as_str()
        .and_then(Sport::from_icu)
        .unwrap_or(Sport::Ride);
    let Some(desc) = w["description"].as_str() else {
        return;
    };
    let doc = text::parse(desc);
    if doc["steps"].as_array().is_none_or(Vec::is_empty) {
        return;
    }
    let (secs, _, load, intensity) = text::metrics(&doc, &thresholds(sport));
    if let Some(m) = w.as_object_mut() {
        m.insert("workout_doc".into(), doc);
        m.insert("moving_time".into(), json!(secs));
        m.insert("icu_training_load".into(), json!(load));
        m.insert("icu_intensity".into(), json!(intensity));
    }
}

/// `POST /athlete/{id}/workouts` (`WorkoutEx`: folder_id, name, type, description text).
pub(super) fn create_workout(st: &mut IcuState, ctx: &Ctx) -> Handled {
    let body = ctx.object()?;
    check(st, &body, true)?;
    let id = st.new_id();
    let mut w = json!({"id": id, "athlete_id": SAMPLE_ICU_ATHLETE_ID, "description": null,
        "type": "Ride", "workout_doc": null, "indoor": false, "tags": [], "moving_time": null,
        "icu_training_load": null});
    merge(&mut w, &body, &["id", "athlete_id", "workout_doc"]);
    derive(&mut w);
    st.workouts.insert(id, w.clone());
    ok(&w)
}

pub(super) fn update_workout(st: &mut IcuState, ctx: &Ctx, id: &str) -> Handled {
    let k = workout_id(st, id)?;
    let body = ctx.object()?;
    check(st, &body, false)?;
    let Some(w) = st.workouts.get_mut(&k) else {
        return Err(not_found(&format!("Workout {id}")));
    };
    merge(w, &body, &["id", "athlete_id", "workout_doc"]);
    if body.contains_key("description") {
        derive(w);
    }
    ok(w)
}

/// `DELETE /athlete/{id}/workouts/{workoutId}` → the ids deleted (spec: an int array).
pub(super) fn delete_workout(st: &mut IcuState, id: &str) -> Handled {
    let k = workout_id(st, id)?;
    st.workouts.remove(&k);
    ok(&json!([k]))
}
