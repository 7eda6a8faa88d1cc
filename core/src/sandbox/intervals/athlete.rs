//! The athlete: profile, sport settings, wellness (with the fitness figures), gear and custom
//! items.

use serde_json::{Map, Value, json};

use super::{
    Ctx, Handled, IcuState, SAMPLE_ICU_ATHLETE_ID, SAMPLE_ICU_ATHLETE_NUM, error, not_found, ok,
    parse_local_date,
};

/// Whether `aid` names the sample athlete: `0` (the key's owner), `i184512` or `184512`
/// (spec §3.1 "Athlete id"). Another well-formed id is someone this key may not see (403);
/// anything else is no athlete at all (404).
pub(super) fn check(aid: &str) -> Result<(), super::HttpResponse> {
    let digits = aid.strip_prefix('i').unwrap_or(aid);
    if aid == "0" || aid == SAMPLE_ICU_ATHLETE_ID || digits == SAMPLE_ICU_ATHLETE_NUM.to_string() {
        return Ok(());
    }
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(error(403, &format!("Access denied to athlete {aid}")));
    }
    Err(not_found(&format!("Athlete {aid}")))
}

/// Merges the fields of `patch` into `target` (the API's "changes only the fields sent").
pub(super) fn merge(target: &mut Value, patch: &Map<String, Value>, locked: &[&str]) {
    if let Some(obj) = target.as_object_mut() {
        for (k, v) in patch {
            if !locked.contains(&k.as_str()) {
                obj.insert(k.clone(), v.clone());
            }
        }
    }
}

pub(super) fn get(st: &IcuState) -> Handled {
    let mut a = st.athlete.clone();
    if let Some(m) = a.as_object_mut() {
        m.insert(
            "sportSettings".into(),
            Value::Array(st.sport_settings.values().cloned().collect()),
        );
        m.insert(
            "custom_items".into(),
            Value::Array(st.custom_items.values().cloned().collect()),
        );
    }
    ok(&a)
}

pub(super) fn put(st: &mut IcuState, ctx: &Ctx) -> Handled {
    let body = ctx.object()?;
    if let Some(w) = body.get("weight")
        && !(w.is_null() || w.as_f64().is_some_and(|w| w > 0.0))
    {
        return Err(error(422, "weight: must be a positive number of kilograms"));
    }
    merge(
        &mut st.athlete,
        &body,
        &["id", "icu_api_key", "sportSettings"],
    );
    get(st)
}

pub(super) fn profile(st: &IcuState) -> Handled {
    ok(&json!({
        "athlete": {
            "id": st.athlete["id"], "name": st.athlete["name"], "timezone": st.athlete["timezone"],
            "sex": st.athlete["sex"], "city": st.athlete["city"], "country": st.athlete["country"],
        },
        "sharedFolders": [],
        "customItems": st.custom_items.values().cloned().collect::<Vec<_>>(),
    }))
}

pub(super) fn sport_settings(st: &IcuState) -> Handled {
    ok(&Value::Array(st.sport_settings.values().cloned().collect()))
}

/// A sport setting by numeric id or by one of its activity types (spec §3.2).
fn find_setting(st: &IcuState, id: &str) -> Result<i64, super::HttpResponse> {
    let by_id = id
        .parse::<i64>()
        .ok()
        .filter(|n| st.sport_settings.contains_key(n));
    by_id
        .or_else(|| {
            st.sport_settings.iter().find_map(|(k, s)| {
                s["types"]
                    .as_array()
                    .is_some_and(|t| t.iter().any(|t| t.as_str() == Some(id)))
                    .then_some(*k)
            })
        })
        .ok_or_else(|| not_found(&format!("Sport settings {id}")))
}

pub(super) fn sport_setting(st: &IcuState, id: &str) -> Handled {
    let k = find_setting(st, id)?;
    ok(&st.sport_settings[&k])
}

pub(super) fn put_sport_setting(st: &mut IcuState, ctx: &Ctx, id: &str) -> Handled {
    // Spec §3.2: PUT requires the query parameter `recalcHrZones` (hhopke PR #85).
    if ctx.q("recalcHrZones").is_none() {
        return Err(error(422, "recalcHrZones is required"));
    }
    let recalc = ctx.flag("recalcHrZones")?;
    let k = find_setting(st, id)?;
    let body = ctx.object()?;
    for f in [
        "ftp",
        "indoor_ftp",
        "lthr",
        "max_hr",
        "threshold_pace",
        "w_prime",
    ] {
        if let Some(v) = body.get(f)
            && !(v.is_null() || v.as_f64().is_some_and(|x| x > 0.0))
        {
            return Err(error(422, &format!("{f}: must be a positive number")));
        }
    }
    let Some(setting) = st.sport_settings.get_mut(&k) else {
        return Err(not_found(&format!("Sport settings {id}")));
    };
    merge(setting, &body, &["id", "athlete_id"]);
    if recalc && let Some(lthr) = setting["lthr"].as_f64() {
        let max = setting["max_hr"].as_f64().unwrap_or(lthr * 1.1);
        let zones: Vec<f64> = [0.81, 0.89, 0.93, 0.99, 1.02, 1.06]
            .iter()
            .map(|f| (f * lthr).round())
            .chain([max])
            .collect();
        if let Some(m) = setting.as_object_mut() {
            m.insert("hr_zones".into(), json!(zones));
        }
    }
    ok(setting)
}

// ---------------------------------------------------------------------------------------------
// Wellness

/// The date of a wellness path or body `id`, or a 422 naming it.
fn wellness_date(s: &str) -> Result<String, super::HttpResponse> {
    match parse_local_date(s) {
        Some(d) if s.len() == 10 => Ok(d.format("%Y-%m-%d").to_string()),
        _ => Err(error(422, &format!("date: '{s}' is not YYYY-MM-DD"))),
    }
}

pub(super) fn wellness_list(st: &IcuState, ctx: &Ctx) -> Handled {
    let oldest = ctx.date("oldest")?;
    let newest = ctx.date("newest")?.unwrap_or(ctx.today);
    let from = oldest.map(|d| d.format("%Y-%m-%d").to_string());
    let to = newest.format("%Y-%m-%d").to_string();
    let fields: Option<Vec<&str>> = ctx.q("fields").map(|f| f.split(',').collect());
    let rows: Vec<Value> = st
        .wellness
        .range(from.unwrap_or_default()..=to)
        .map(|(_, row)| match &fields {
            // Spec §3.1 "Pagination": `fields` trims the objects and drops nulls.
            Some(f) => {
                let m: Map<String, Value> = row
                    .as_object()
                    .map(|o| {
                        o.iter()
                            .filter(|(k, v)| {
                                (k.as_str() == "id" || f.contains(&k.as_str())) && !v.is_null()
                            })
                            .map(|(k, v)| (k.clone(), v.clone()))
                            .collect()
                    })
                    .unwrap_or_default();
                Value::Object(m)
            }
            None => row.clone(),
        })
        .collect();
    ok(&Value::Array(rows))
}

pub(super) fn wellness_get(st: &IcuState, date: &str) -> Handled {
    let d = wellness_date(date)?;
    // An empty day answers an empty record for that date rather than 404.
    ok(st.wellness.get(&d).unwrap_or(&json!({"id": d})))
}

/// Fields wellness accepts, with their allowed range (1–4 scales per spec §3.2).
fn check_wellness(body: &Map<String, Value>) -> Result<(), super::HttpResponse> {
    for (k, v) in body {
        if v.is_null() {
            continue;
        }
        let range = match k.as_str() {
            "sleepQuality" | "soreness" | "fatigue" | "stress" | "mood" | "motivation"
            | "injury" | "hydration" => Some((1.0, 4.0)),
            "weight" | "restingHR" | "hrv" | "hrvSDNN" | "sleepSecs" | "sleepScore" | "spO2"
            | "steps" | "avgSleepingHR" | "systolic" | "diastolic" | "bodyFat" | "readiness"
            | "kcalConsumed" | "respiration" | "vo2max" => Some((0.0, f64::MAX)),
            _ => None,
        };
        if let Some((lo, hi)) = range {
            match v.as_f64() {
                Some(x) if (lo..=hi).contains(&x) => {}
                _ => {
                    return Err(error(
                        422,
                        &format!("{k}: {v} is not a number between {lo} and {hi}"),
                    ));
                }
            }
        }
    }
    Ok(())
}

fn upsert_wellness(st: &mut IcuState, ctx: &Ctx, date: String, body: &Map<String, Value>) -> Value {
    let row = st
        .wellness
        .entry(date.clone())
        .or_insert_with(|| json!({"id": date}));
    merge(
        row,
        body,
        &["id", "ctl", "atl", "rampRate", "ctlLoad", "atlLoad"],
    );
    if let Some(m) = row.as_object_mut() {
        m.insert(
            "updated".into(),
            json!(ctx.now.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()),
        );
    }
    row.clone()
}

pub(super) fn wellness_put(st: &mut IcuState, ctx: &Ctx, date: &str) -> Handled {
    let d = wellness_date(date)?;
    let body = ctx.object()?;
    check_wellness(&body)?;
    let row = upsert_wellness(st, ctx, d, &body);
    ok(&row)
}

pub(super) fn wellness_put_body(st: &mut IcuState, ctx: &Ctx) -> Handled {
    let body = ctx.object()?;
    let id = body
        .get("id")
        .and_then(Value::as_str)
        .ok_or_else(|| error(422, "id: the record's date (YYYY-MM-DD) is required"))?;
    let d = wellness_date(id)?;
    check_wellness(&body)?;
    let row = upsert_wellness(st, ctx, d, &body);
    ok(&row)
}

pub(super) fn wellness_bulk(st: &mut IcuState, ctx: &Ctx) -> Handled {
    let Value::Array(rows) = ctx.json()? else {
        return Err(error(
            400,
            "JSON parse error: expected an array of wellness records",
        ));
    };
    // Validate everything first, so a bad row leaves nothing half-written.
    let mut checked = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let m = r
            .as_object()
            .ok_or_else(|| error(422, &format!("[{i}]: not an object")))?;
        let id = m
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| error(422, &format!("[{i}].id: the record's date is required")))?;
        let d = wellness_date(id)
            .map_err(|_| error(422, &format!("[{i}].id: '{id}' is not YYYY-MM-DD")))?;
        check_wellness(m)?;
        checked.push((d, m.clone()));
    }
    for (d, m) in checked {
        upsert_wellness(st, ctx, d, &m);
    }
    Ok(super::HttpResponse::new(200, Vec::new()))
}

// ---------------------------------------------------------------------------------------------
// Gear and custom items

pub(super) fn gear(st: &IcuState) -> Handled {
    ok(&Value::Array(st.gear.values().cloned().collect()))
}

/// Custom item types the API accepts (spec §1.3 custom items row).
const ITEM_TYPES: [&str; 12] = [
    "FITNESS_CHART",
    "TRACE_CHART",
    "INPUT_FIELD",
    "ACTIVITY_FIELD",
    "INTERVAL_FIELD",
    "ACTIVITY_STREAM",
    "ACTIVITY_CHART",
    "ACTIVITY_HISTOGRAM",
    "ACTIVITY_HEATMAP",
    "ACTIVITY_MAP",
    "ACTIVITY_PANEL",
    "ZONES",
];
const VISIBILITIES: [&str; 3] = ["PRIVATE", "FOLLOWERS", "PUBLIC"];

fn check_item(body: &Map<String, Value>, creating: bool) -> Result<(), super::HttpResponse> {
    match body.get("name") {
        Some(Value::String(s)) if !s.trim().is_empty() => {}
        None if !creating => {}
        _ => return Err(error(422, "name: a non-empty string is required")),
    }
    match body.get("type").map(Value::as_str) {
        Some(Some(t)) if ITEM_TYPES.contains(&t) => {}
        None if !creating => {}
        Some(t) => {
            return Err(error(
                422,
                &format!(
                    "type: {:?} is not one of {}",
                    t.unwrap_or("(not a string)"),
                    ITEM_TYPES.join(", ")
                ),
            ));
        }
        None => return Err(error(422, "type: required")),
    }
    if let Some(v) = body.get("visibility")
        && !v.as_str().is_some_and(|v| VISIBILITIES.contains(&v))
    {
        return Err(error(
            422,
            &format!("visibility: {v} is not one of PRIVATE, FOLLOWERS, PUBLIC"),
        ));
    }
    if let Some(c) = body.get("content")
        && !(c.is_object() || c.is_null())
    {
        return Err(error(422, "content: must be a JSON object"));
    }
    Ok(())
}

fn item_id(st: &IcuState, id: &str) -> Result<i64, super::HttpResponse> {
    id.parse::<i64>()
        .ok()
        .filter(|n| st.custom_items.contains_key(n))
        .ok_or_else(|| not_found(&format!("Custom item {id}")))
}

pub(super) fn custom_items(st: &IcuState) -> Handled {
    ok(&Value::Array(st.custom_items.values().cloned().collect()))
}

pub(super) fn custom_item(st: &IcuState, id: &str) -> Handled {
    let k = item_id(st, id)?;
    ok(&st.custom_items[&k])
}

pub(super) fn create_custom_item(st: &mut IcuState, ctx: &Ctx) -> Handled {
    let mut body = ctx.object()?;
    check_item(&body, true)?;
    let id = st.new_id();
    body.insert("id".into(), json!(id));
    body.insert("athlete_id".into(), json!(SAMPLE_ICU_ATHLETE_ID));
    body.entry("visibility").or_insert(json!("PRIVATE"));
    body.entry("content").or_insert(json!({}));
    body.insert("index".into(), json!(st.custom_items.len()));
    body.insert("usage_count".into(), json!(0));
    let v = Value::Object(body);
    st.custom_items.insert(id, v.clone());
    ok(&v)
}

pub(super) fn update_custom_item(st: &mut IcuState, ctx: &Ctx, id: &str) -> Handled {
    let k = item_id(st, id)?;
    let body = ctx.object()?;
    check_item(&body, false)?;
    let Some(item) = st.custom_items.get_mut(&k) else {
        return Err(not_found(&format!("Custom item {id}")));
    };
    merge(item, &body, &["id", "athlete_id"]);
    ok(item)
}

pub(super) fn delete_custom_item(st: &mut IcuState, id: &str) -> Handled {
    let k = item_id(st, id)?;
    st.custom_items.remove(&k);
    Ok(super::HttpResponse::new(200, Vec::new()))
}
