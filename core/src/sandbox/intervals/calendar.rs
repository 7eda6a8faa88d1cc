//! Calendar events: planned workouts, notes, races and the rest (spec §3.2 "Events").

use std::collections::BTreeSet;

use chrono::Duration;
use serde_json::{Map, Value, json};

use super::seed::thresholds;
use super::streams::Sport;
use super::text;
use super::{
    Ctx, Handled, HttpResponse, IcuState, SAMPLE_ICU_ATHLETE_ID, error, not_found, ok,
    parse_local_date,
};

/// Event categories (spec §3.2 `Event`/`EventEx` fields).
pub const CATEGORIES: [&str; 14] = [
    "WORKOUT",
    "RACE_A",
    "RACE_B",
    "RACE_C",
    "NOTE",
    "PLAN",
    "HOLIDAY",
    "SICK",
    "INJURED",
    "SET_EFTP",
    "FITNESS_DAYS",
    "SEASON_START",
    "TARGET",
    "SET_FITNESS",
];

/// Fields an event stores; anything else in a body is ignored, as the server's binder does.
const FIELDS: [&str; 30] = [
    "start_date_local",
    "end_date_local",
    "category",
    "name",
    "description",
    "type",
    "indoor",
    "color",
    "moving_time",
    "distance",
    "icu_training_load",
    "icu_intensity",
    "workout_doc",
    "target",
    "sub_type",
    "tags",
    "external_id",
    "uid",
    "carbs_per_hour",
    "joules",
    "load_target",
    "time_target",
    "distance_target",
    "training_availability",
    "athlete_cannot_edit",
    "hide_from_athlete",
    "not_on_fitness_chart",
    "show_as_note",
    "for_week",
    "calendar_id",
];

fn event_id(st: &IcuState, id: &str) -> Result<i64, HttpResponse> {
    id.parse::<i64>()
        .ok()
        .filter(|n| st.events.contains_key(n))
        .ok_or_else(|| not_found(&format!("Event {id}")))
}

fn day_of(e: &Value) -> &str {
    e["start_date_local"]
        .as_str()
        .and_then(|s| s.get(..10))
        .unwrap_or("")
}

/// `GET /athlete/{id}/events?oldest&newest&category&limit`. Defaults: today, oldest + 6 days.
pub(super) fn list(st: &IcuState, ctx: &Ctx) -> Handled {
    let oldest = ctx.date("oldest")?.unwrap_or(ctx.today);
    let newest = ctx.date("newest")?.unwrap_or(oldest + Duration::days(6));
    let cats = categories(ctx.q("category"))?;
    let limit = ctx.limit("limit")?;
    let (from, to) = (
        oldest.format("%Y-%m-%d").to_string(),
        newest.format("%Y-%m-%d").to_string(),
    );
    let mut hits: Vec<&Value> = st
        .events
        .values()
        .filter(|e| {
            let d = day_of(e);
            d >= from.as_str()
                && d <= to.as_str()
                && cats
                    .as_ref()
                    .is_none_or(|c| e["category"].as_str().is_some_and(|x| c.contains(x)))
        })
        .collect();
    hits.sort_by(|a, b| {
        (a["start_date_local"].as_str(), a["id"].as_i64())
            .cmp(&(b["start_date_local"].as_str(), b["id"].as_i64()))
    });
    if let Some(n) = limit {
        hits.truncate(n);
    }
    ok(&Value::Array(hits.into_iter().cloned().collect()))
}

/// A `category` list (comma-separated), each a known category, else 422.
fn categories(q: Option<&str>) -> Result<Option<BTreeSet<String>>, HttpResponse> {
    let Some(q) = q else { return Ok(None) };
    let mut out = BTreeSet::new();
    for c in q.split(',').map(str::trim).filter(|c| !c.is_empty()) {
        if !CATEGORIES.contains(&c) {
            return Err(error(
                422,
                &format!("category: '{c}' is not one of {}", CATEGORIES.join(", ")),
            ));
        }
        out.insert(c.to_string());
    }
    Ok(Some(out))
}

pub(super) fn get(st: &IcuState, id: &str) -> Handled {
    let k = event_id(st, id)?;
    ok(&st.events[&k])
}

/// Checks an `EventEx` body; `creating` requires `category` and `start_date_local`. `at` names
/// the body's position in a bulk request, so errors point at the item.
fn check(body: &Map<String, Value>, creating: bool, at: &str) -> Result<(), HttpResponse> {
    let field = |f: &str| format!("{at}{f}");
    match body.get("category") {
        Some(Value::String(c)) if CATEGORIES.contains(&c.as_str()) => {}
        None if !creating => {}
        None => return Err(error(422, &format!("{}: required", field("category")))),
        Some(c) => {
            return Err(error(
                422,
                &format!(
                    "{}: {c} is not one of {}",
                    field("category"),
                    CATEGORIES.join(", ")
                ),
            ));
        }
    }
    match body.get("start_date_local") {
        Some(Value::String(s)) if parse_local_date(s).is_some() => {}
        None if !creating => {}
        None => {
            return Err(error(
                422,
                &format!(
                    "{}: required (YYYY-MM-DDTHH:MM:SS)",
                    field("start_date_local")
                ),
            ));
        }
        Some(v) => {
            return Err(error(
                422,
                &format!(
                    "{}: {v} is not a local date-time (YYYY-MM-DDTHH:MM:SS)",
                    field("start_date_local")
                ),
            ));
        }
    }
    if let Some(v) = body.get("end_date_local")
        && !v.is_null()
        && v.as_str().is_none_or(|s| parse_local_date(s).is_none())
    {
        return Err(error(
            422,
            &format!("{}: {v} is not a local date-time", field("end_date_local")),
        ));
    }
    for f in ["name", "description", "type", "color", "external_id", "uid"] {
        if let Some(v) = body.get(f)
            && !(v.is_null() || v.is_string())
        {
            return Err(error(422, &format!("{}: must be a string", field(f))));
        }
    }
    for f in [
        "moving_time",
        "distance",
        "icu_training_load",
        "carbs_per_hour",
    ] {
        if let Some(v) = body.get(f)
            && !(v.is_null() || v.as_f64().is_some_and(|x| x >= 0.0))
        {
            return Err(error(
                422,
                &format!("{}: must be a non-negative number", field(f)),
            ));
        }
    }
    if let Some(d) = body.get("workout_doc")
        && !(d.is_null() || d.get("steps").is_some_and(Value::is_array))
    {
        return Err(error(
            422,
            &format!(
                "{}: must be an object with a steps array",
                field("workout_doc")
            ),
        ));
    }
    Ok(())
}

/// Applies a checked body to an event object: known fields only, dates normalised, and the
/// workout text parsed into `workout_doc` (or the doc rendered as text) for WORKOUT events.
fn apply(event: &mut Map<String, Value>, body: &Map<String, Value>) {
    for (k, v) in body {
        if FIELDS.contains(&k.as_str()) {
            event.insert(k.clone(), v.clone());
        }
    }
    for k in ["start_date_local", "end_date_local"] {
        if let Some(s) = event.get(k).and_then(Value::as_str)
            && s.len() == 10
        {
            let full = format!("{s}T00:00:00");
            event.insert(k.into(), json!(full));
        }
    }
    if event.get("category").and_then(Value::as_str) != Some("WORKOUT") {
        return;
    }
    let sport = event
        .get("type")
        .and_then(Value::as_str)
        .and_then(Sport::from_icu)
        .unwrap_or(Sport::Ride);
    let doc_sent = body.get("workout_doc").is_some_and(|d| !d.is_null());
    let text_sent = body.get("description").and_then(Value::as_str).is_some();
    let mut doc = if doc_sent {
        body["workout_doc"].clone()
    } else if text_sent {
        text::parse(
            event
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or(""),
        )
    } else {
        return;
    };
    let th = thresholds(sport);
    let (secs, metres, load, intensity) = text::metrics(&doc, &th);
    if let Some(d) = doc.as_object_mut() {
        d.insert("duration".into(), json!(secs));
        if metres > 0.0 {
            d.insert("distance".into(), json!(metres));
        }
        d.insert("ftp".into(), json!(th.ftp));
        d.insert("lthr".into(), json!(th.lthr));
        d.insert("threshold_pace".into(), json!(th.threshold_speed));
    }
    if doc_sent && !text_sent {
        event.insert("description".into(), json!(text::render(&doc)));
    }
    let has_steps = doc["steps"].as_array().is_some_and(|s| !s.is_empty());
    event.insert("workout_doc".into(), doc);
    if has_steps {
        if !body.contains_key("moving_time") {
            event.insert("moving_time".into(), json!(secs));
        }
        event.insert("icu_training_load".into(), json!(load));
        event.insert("icu_intensity".into(), json!(intensity));
    }
}

fn new_event(st: &mut IcuState, body: &Map<String, Value>) -> Value {
    let id = st.new_id();
    let mut m = Map::new();
    m.insert("id".into(), json!(id));
    m.insert("athlete_id".into(), json!(SAMPLE_ICU_ATHLETE_ID));
    for k in [
        "name",
        "description",
        "type",
        "workout_doc",
        "moving_time",
        "distance",
        "icu_training_load",
        "icu_intensity",
        "external_id",
        "uid",
        "color",
        "end_date_local",
    ] {
        m.insert(k.into(), Value::Null);
    }
    m.insert("indoor".into(), json!(false));
    m.insert("tags".into(), json!([]));
    apply(&mut m, body);
    let v = Value::Object(m);
    st.events.insert(id, v.clone());
    v
}

fn update_event(st: &mut IcuState, id: i64, body: &Map<String, Value>) -> Value {
    let Some(Value::Object(m)) = st.events.get_mut(&id) else {
        return Value::Null;
    };
    apply(m, body);
    Value::Object(m.clone())
}

/// `POST /athlete/{id}/events` (`upsertOnUid=true` updates the event with the same `uid`).
pub(super) fn create(st: &mut IcuState, ctx: &Ctx) -> Handled {
    let body = ctx.object()?;
    check(&body, true, "")?;
    if ctx.flag("upsertOnUid")?
        && let Some(uid) = body.get("uid").and_then(Value::as_str)
        && let Some(id) = st
            .events
            .iter()
            .find(|(_, e)| e["uid"].as_str() == Some(uid))
            .map(|(k, _)| *k)
    {
        return ok(&update_event(st, id, &body));
    }
    ok(&new_event(st, &body))
}

/// `PUT /athlete/{id}/events/{eventId}`: changes the fields sent.
pub(super) fn update(st: &mut IcuState, ctx: &Ctx, id: &str) -> Handled {
    let k = event_id(st, id)?;
    let body = ctx.object()?;
    check(&body, false, "")?;
    ok(&update_event(st, k, &body))
}

/// `DELETE /athlete/{id}/events/{eventId}`.
pub(super) fn delete(st: &mut IcuState, id: &str) -> Handled {
    let k = event_id(st, id)?;
    st.events.remove(&k);
    ok(&json!({}))
}

/// `DELETE /athlete/{id}/events?oldest&newest&category`: one call for a range (spec §3.2; the
/// seed's N+1 deletes are what this replaces). `oldest` and `category` are required;
/// `newest` defaults to "all future".
pub(super) fn delete_range(st: &mut IcuState, ctx: &Ctx) -> Handled {
    let oldest = ctx.required_date("oldest")?;
    let newest = ctx.date("newest")?;
    let cats = categories(ctx.q("category"))?.ok_or_else(|| error(422, "category is required"))?;
    let from = oldest.format("%Y-%m-%d").to_string();
    let to = newest.map(|d| d.format("%Y-%m-%d").to_string());
    st.events.retain(|_, e| {
        let d = day_of(e);
        let hit = d >= from.as_str()
            && to.as_deref().is_none_or(|t| d <= t)
            && e["category"].as_str().is_some_and(|c| cats.contains(c));
        !hit
    });
    Ok(HttpResponse::new(200, Vec::new()))
}

/// `POST /athlete/{id}/events/bulk?upsert=true`: creates each event, or with `upsert` updates
/// the one with the same `external_id`. The whole array is checked before anything is written.
pub(super) fn bulk_create(st: &mut IcuState, ctx: &Ctx) -> Handled {
    let Value::Array(items) = ctx.json()? else {
        return Err(error(400, "JSON parse error: expected an array of events"));
    };
    let upsert = ctx.flag("upsert")?;
    let mut bodies = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let Value::Object(m) = item else {
            return Err(error(422, &format!("[{i}]: not an object")));
        };
        check(&m, true, &format!("[{i}]."))?;
        bodies.push(m);
    }
    let mut out = Vec::with_capacity(bodies.len());
    for body in bodies {
        let existing = upsert
            .then(|| body.get("external_id").and_then(Value::as_str))
            .flatten()
            .and_then(|x| {
                st.events
                    .iter()
                    .find(|(_, e)| e["external_id"].as_str() == Some(x))
                    .map(|(k, _)| *k)
            });
        out.push(match existing {
            Some(id) => update_event(st, id, &body),
            None => new_event(st, &body),
        });
    }
    ok(&Value::Array(out))
}

/// `PUT /athlete/{id}/events/bulk-delete` with `[{id}|{external_id}]` → `{eventsDeleted}`.
pub(super) fn bulk_delete(st: &mut IcuState, ctx: &Ctx) -> Handled {
    let Value::Array(items) = ctx.json()? else {
        return Err(error(
            400,
            "JSON parse error: expected an array of {id} or {external_id}",
        ));
    };
    let mut ids = BTreeSet::new();
    let mut externals = BTreeSet::new();
    for (i, item) in items.iter().enumerate() {
        match (
            item.get("id").and_then(Value::as_i64),
            item.get("external_id").and_then(Value::as_str),
        ) {
            (Some(id), _) => {
                ids.insert(id);
            }
            (None, Some(x)) => {
                externals.insert(x.to_string());
            }
            _ => return Err(error(422, &format!("[{i}]: needs id or external_id"))),
        }
    }
    let before = st.events.len();
    st.events.retain(|k, e| {
        !(ids.contains(k)
            || e["external_id"]
                .as_str()
                .is_some_and(|x| externals.contains(x)))
    });
    ok(&json!({"eventsDeleted": before - st.events.len()}))
}
