//! Activities: list, get, update, streams, intervals, messages, and the curves across them.

use chrono::{Datelike, Duration, NaiveDate};
use serde_json::{Map, Value, json};

use super::streams::{self, CURVE_METRES, CURVE_SECS, CurveKind, Sport};
use super::{Ctx, Handled, IcuState, SAMPLE_ICU_ATHLETE_ID, error, not_found, ok};

fn record<'s>(
    st: &'s IcuState,
    id: &str,
) -> Result<&'s super::ActivityRecord, super::HttpResponse> {
    st.activities
        .get(id)
        .ok_or_else(|| not_found(&format!("Activity {id}")))
}

fn day_of(a: &Value) -> &str {
    a["start_date_local"]
        .as_str()
        .and_then(|s| s.get(..10))
        .unwrap_or("")
}

/// `GET /athlete/{id}/activities?oldest&newest&limit`: newest first (spec §3.2).
pub(super) fn list(st: &IcuState, ctx: &Ctx) -> Handled {
    // Spec §3.2: `oldest` is required.
    let oldest = ctx.required_date("oldest")?;
    let newest = ctx.date("newest")?.unwrap_or(ctx.today);
    let limit = ctx.limit("limit")?;
    let (from, to) = (
        oldest.format("%Y-%m-%d").to_string(),
        newest.format("%Y-%m-%d").to_string(),
    );
    let mut hits: Vec<&Value> = st
        .activities
        .values()
        .map(|r| &r.json)
        .filter(|a| {
            let d = day_of(a);
            d >= from.as_str() && d <= to.as_str()
        })
        .collect();
    hits.sort_by(|a, b| {
        b["start_date_local"]
            .as_str()
            .cmp(&a["start_date_local"].as_str())
    });
    if let Some(n) = limit {
        hits.truncate(n);
    }
    ok(&Value::Array(hits.into_iter().cloned().collect()))
}

/// Seconds in each zone: `bounds` are the zones' upper limits in the series' unit, the last
/// zone takes everything above.
fn time_in_zones(series: &[f64], bounds: &[f64]) -> Vec<u64> {
    let mut out = vec![0u64; bounds.len()];
    for x in series {
        let z = bounds
            .iter()
            .position(|b| x <= b)
            .unwrap_or(bounds.len().saturating_sub(1));
        if let Some(slot) = out.get_mut(z) {
            *slot += 1;
        }
    }
    out
}

/// The sport settings that apply to an activity type.
fn setting_for<'s>(st: &'s IcuState, ty: &str) -> Option<&'s Value> {
    st.sport_settings.values().find(|s| {
        s["types"]
            .as_array()
            .is_some_and(|t| t.iter().any(|t| t.as_str() == Some(ty)))
    })
}

fn numbers(v: &Value) -> Vec<f64> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default()
}

/// `icu_zone_times` (power, `[{id, secs}]`), `icu_hr_zone_times` and `pace_zone_times` (secs per
/// zone), from the streams and the sport settings' zones as they are now.
fn zone_times(st: &IcuState, a: &Value, s: &streams::Streams) -> Map<String, Value> {
    let mut out = Map::new();
    let Some(set) = a["type"].as_str().and_then(|t| setting_for(st, t)) else {
        return out;
    };
    if let (Some(w), Some(ftp)) = (&s.watts, set["ftp"].as_f64()) {
        let bounds: Vec<f64> = numbers(&set["power_zones"])
            .iter()
            .map(|p| p * ftp / 100.0)
            .collect();
        let secs = time_in_zones(w, &bounds);
        let zones: Vec<Value> = secs
            .iter()
            .enumerate()
            .map(|(i, s)| json!({"id": format!("Z{}", i + 1), "secs": s}))
            .collect();
        out.insert("icu_zone_times".into(), json!(zones));
    }
    let hr_bounds = numbers(&set["hr_zones"]);
    if !hr_bounds.is_empty() {
        out.insert(
            "icu_hr_zone_times".into(),
            json!(time_in_zones(&s.heartrate, &hr_bounds)),
        );
    }
    if let (Some(v), Some(tp)) = (&s.velocity, set["threshold_pace"].as_f64()) {
        let bounds: Vec<f64> = numbers(&set["pace_zones"])
            .iter()
            .map(|p| p * tp / 100.0)
            .collect();
        if !bounds.is_empty() {
            // Standing still is not a pace; only moving seconds are counted.
            let moving: Vec<f64> = v.iter().copied().filter(|x| *x > 0.0).collect();
            out.insert(
                "pace_zone_times".into(),
                json!(time_in_zones(&moving, &bounds)),
            );
        }
    }
    out
}

/// `GET /activity/{id}`, with zone times from its streams; `intervals=true` adds
/// `icu_intervals` and `icu_groups`.
pub(super) fn get(st: &IcuState, ctx: &Ctx, id: &str) -> Handled {
    let r = record(st, id)?;
    let mut a = r.json.clone();
    let s = streams::generate(&r.plan);
    let zones = zone_times(st, &a, &s);
    if let Some(m) = a.as_object_mut() {
        m.extend(zones);
        if ctx.flag("intervals")? {
            let iv = streams::intervals(&r.plan, &s);
            m.insert("icu_groups".into(), json!(streams::groups(&iv)));
            m.insert("icu_intervals".into(), json!(iv));
        }
    }
    ok(&a)
}

/// `PUT /activity/{id}`: changes only the fields sent; `-1` clears a number (spec §3.2).
pub(super) fn update(st: &mut IcuState, ctx: &Ctx, id: &str) -> Handled {
    let body = ctx.object()?;
    if !st.activities.contains_key(id) {
        return Err(not_found(&format!("Activity {id}")));
    }
    for (k, range) in [("icu_rpe", (1.0, 10.0)), ("feel", (1.0, 5.0))] {
        if let Some(v) = body.get(k)
            && !v.is_null()
            && v.as_f64() != Some(-1.0)
            && !v.as_f64().is_some_and(|x| (range.0..=range.1).contains(&x))
        {
            return Err(error(
                422,
                &format!("{k}: {v} is not between {} and {}", range.0, range.1),
            ));
        }
    }
    if let Some(t) = body.get("type")
        && t.as_str().and_then(Sport::from_icu).is_none()
    {
        return Err(error(422, &format!("type: {t} is not an activity type")));
    }
    let gear = match body.get("gear") {
        None => None,
        Some(g) => {
            let gid = g.get("id").and_then(Value::as_str).unwrap_or("");
            if !st.gear.contains_key(gid) {
                return Err(error(422, &format!("gear.id: no gear '{gid}'")));
            }
            Some(json!({"id": gid, "name": null, "distance": null}))
        }
    };
    let Some(obj) = st
        .activities
        .get_mut(id)
        .and_then(|r| r.json.as_object_mut())
    else {
        return Err(not_found(&format!("Activity {id}")));
    };
    for (k, v) in body {
        if matches!(
            k.as_str(),
            "id" | "icu_athlete_id"
                | "start_date"
                | "moving_time"
                | "elapsed_time"
                | "stream_types"
        ) {
            continue;
        }
        let v = if k == "gear" {
            gear.clone().unwrap_or(Value::Null)
        } else if v.as_f64() == Some(-1.0) {
            Value::Null
        } else {
            v
        };
        obj.insert(k, v);
    }
    ok(&Value::Object(obj.clone()))
}

/// `GET /activity/{id}/streams?types=a,b`: generated from the plan on each request.
pub(super) fn streams(st: &IcuState, ctx: &Ctx, id: &str) -> Handled {
    let r = record(st, id)?;
    let available: Vec<String> = r.json["stream_types"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|t| t.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let wanted: Vec<String> = match ctx.q("types") {
        Some(t) => t
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
        None => available.clone(),
    };
    // Spec §3.2 "Stream types seen": `gap` is rejected with 422.
    if wanted.iter().any(|t| t == "gap") {
        return Err(error(422, "types: gap is not a stream type"));
    }
    let s = streams::generate(&r.plan);
    let out: Vec<Value> = wanted
        .iter()
        .filter(|t| available.contains(t))
        .filter_map(|t| s.to_json(t))
        .collect();
    ok(&Value::Array(out))
}

/// `GET /activity/{id}/intervals`: `IntervalsDTO`.
pub(super) fn intervals(st: &IcuState, id: &str) -> Handled {
    let r = record(st, id)?;
    let s = streams::generate(&r.plan);
    let iv = streams::intervals(&r.plan, &s);
    ok(
        &json!({"id": id, "analyzed": r.json["start_date"], "icu_groups": streams::groups(&iv), "icu_intervals": iv}),
    )
}

/// `GET /activity/{id}/messages?sinceId&limit`.
pub(super) fn messages(st: &IcuState, ctx: &Ctx, id: &str) -> Handled {
    record(st, id)?;
    let since = ctx.limit("sinceId")?.unwrap_or(0) as i64;
    let limit = ctx.limit("limit")?.unwrap_or(100);
    let out: Vec<Value> = st
        .messages
        .iter()
        .filter(|(k, m)| **k > since && m["activity_id"].as_str() == Some(id))
        .map(|(_, m)| m.clone())
        .take(limit)
        .collect();
    ok(&Value::Array(out))
}

/// `POST /activity/{id}/messages` with `{content}` → `{id, new_chat}`.
pub(super) fn add_message(st: &mut IcuState, ctx: &Ctx, id: &str) -> Handled {
    record(st, id)?;
    let body = ctx.object()?;
    let content = match body.get("content") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
        _ => return Err(error(422, "content: a non-empty string is required")),
    };
    let mid = st.new_id();
    let first = !st
        .messages
        .values()
        .any(|m| m["activity_id"].as_str() == Some(id));
    st.messages.insert(
        mid,
        json!({"id": mid, "athlete_id": SAMPLE_ICU_ATHLETE_ID, "name": "Alex Rivera",
            "created": ctx.now.format("%Y-%m-%dT%H:%M:%SZ").to_string(), "type": "TEXT",
            "content": content, "activity_id": id, "seen": true, "deleted": null}),
    );
    ok(
        &json!({"id": mid, "new_chat": if first { json!({"activity_id": id}) } else { Value::Null }}),
    )
}

/// One curve's date range and label from its id (spec §3.2 curves row).
fn curve_range(
    id: &str,
    today: NaiveDate,
) -> Result<(NaiveDate, NaiveDate, String), super::HttpResponse> {
    if id.ends_with("-kj0") || id.ends_with("-kj1") {
        return Err(error(
            422,
            &format!("curves: fatigued curves ('{id}') are not emulated"),
        ));
    }
    let bad = || {
        error(
            422,
            &format!(
                "curves: '{id}' is not a curve (1y, 2y, 42d, s0, s1, all, r.YYYY-MM-DD.YYYY-MM-DD)"
            ),
        )
    };
    let year_start = |y: i32| NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or(today);
    Ok(match id {
        "all" => (NaiveDate::MIN, today, "All time".into()),
        // Seasons: the sample athlete sets no SEASON_START, so a season is a calendar year.
        "s0" => (year_start(today.year()), today, "This season".into()),
        "s1" => (
            year_start(today.year() - 1),
            year_start(today.year()) - Duration::days(1),
            "Last season".into(),
        ),
        _ if id.starts_with("r.") => {
            let mut parts = id[2..].split('.');
            let a = parts
                .next()
                .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
                .ok_or_else(bad)?;
            let b = parts
                .next()
                .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
                .ok_or_else(bad)?;
            (a, b, format!("{a} to {b}"))
        }
        _ => {
            let (n, unit) = id.split_at(id.len().saturating_sub(1));
            let n: i64 = n.parse().map_err(|_| bad())?;
            let days = match unit {
                "d" => n,
                "y" => n * 365,
                _ => return Err(bad()),
            };
            (today - Duration::days(days - 1), today, id.to_string())
        }
    })
}

/// The `filters` query (`[{field_id, value}]`): only `indoor` is emulated; others are 422.
fn indoor_filter(ctx: &Ctx) -> Result<Option<bool>, super::HttpResponse> {
    let Some(f) = ctx.q("filters") else {
        return Ok(None);
    };
    let v: Value =
        serde_json::from_str(f).map_err(|e| error(422, &format!("filters: not JSON: {e}")))?;
    let mut indoor = None;
    for item in v.as_array().map(Vec::as_slice).unwrap_or_default() {
        match item.get("field_id").and_then(Value::as_str) {
            Some("indoor") => {
                indoor = Some(match item.get("value") {
                    Some(Value::Bool(b)) => *b,
                    Some(Value::String(s)) => s == "true",
                    _ => true,
                });
            }
            other => {
                return Err(error(
                    422,
                    &format!("filters: field {other:?} is not emulated (only indoor)"),
                ));
            }
        }
    }
    Ok(indoor)
}

/// `GET /athlete/{id}/{power,hr,pace}-curves?type&curves`: best efforts across activities,
/// computed from their streams (cached per activity after the first request).
pub(super) fn curves(st: &mut IcuState, ctx: &Ctx, kind: CurveKind) -> Handled {
    // Spec §3.1 "Errors": power curves without `type` give 422 (eddmann #16).
    let ty = match (ctx.q("type"), kind) {
        (Some(t), _) => t.to_string(),
        (None, CurveKind::Power) => return Err(error(422, "type is required")),
        (None, CurveKind::Hr) => "Ride".to_string(),
        (None, CurveKind::Pace) => "Run".to_string(),
    };
    let Some(sport) = Sport::from_icu(&ty) else {
        return Err(error(422, &format!("type: '{ty}' is not an activity type")));
    };
    let indoor = indoor_filter(ctx)?;
    let ids: Vec<String> = ctx
        .q("curves")
        .unwrap_or("1y")
        .split(',')
        .map(str::to_string)
        .collect();
    let mut ranges = Vec::new();
    for id in &ids {
        ranges.push((id.clone(), curve_range(id, ctx.today)?));
    }
    let mut list = Vec::new();
    let mut used: Map<String, Value> = Map::new();
    for (cid, (from, to, label)) in ranges {
        let (from_s, to_s) = (
            from.format("%Y-%m-%d").to_string(),
            to.format("%Y-%m-%d").to_string(),
        );
        let matching: Vec<String> = st
            .activities
            .iter()
            .filter(|(_, r)| {
                let d = day_of(&r.json);
                r.plan.sport == sport
                    && d >= from_s.as_str()
                    && d <= to_s.as_str()
                    && indoor.is_none_or(|i| r.json["trainer"].as_bool() == Some(i))
            })
            .map(|(k, _)| k.clone())
            .collect();
        let n = if kind == CurveKind::Pace {
            CURVE_METRES.len()
        } else {
            CURVE_SECS.len()
        };
        let mut best = vec![0.0f64; n];
        let mut who: Vec<Value> = vec![Value::Null; n];
        for aid in &matching {
            if !st.curve_cache.contains_key(aid)
                && let Some(r) = st.activities.get(aid)
            {
                let b = streams::bests(&r.plan);
                st.curve_cache.insert(aid.clone(), b);
            }
            let Some(b) = st.curve_cache.get(aid) else {
                continue;
            };
            let vals = match kind {
                CurveKind::Power => &b.power,
                CurveKind::Hr => &b.hr,
                CurveKind::Pace => &b.pace,
            };
            for (i, v) in vals.iter().enumerate() {
                let better = match kind {
                    CurveKind::Pace => *v > 0.0 && (best[i] == 0.0 || *v < best[i]),
                    _ => *v > best[i],
                };
                if better {
                    best[i] = *v;
                    who[i] = json!(aid);
                }
            }
        }
        // Only durations/distances someone reached: the real curves stop where the data does.
        let keep: Vec<usize> = (0..n).filter(|&i| best[i] > 0.0).collect();
        for i in &keep {
            if let Some(aid) = who[*i].as_str()
                && let Some(r) = st.activities.get(aid)
            {
                used.insert(
                    aid.to_string(),
                    json!({"id": aid, "name": r.json["name"], "start_date_local": r.json["start_date_local"], "type": r.json["type"]}),
                );
            }
        }
        let values: Vec<f64> = keep.iter().map(|&i| best[i]).collect();
        let activity_id: Vec<Value> = keep.iter().map(|&i| who[i].clone()).collect();
        let mut curve = json!({
            "id": cid, "label": label,
            "start_date_local": format!("{from_s}T00:00:00"), "end_date_local": format!("{to_s}T00:00:00"),
            "days": (to - from).num_days().min(100_000) + 1,
            "values": values, "activity_id": activity_id,
        });
        let Some(m) = curve.as_object_mut() else {
            continue;
        };
        match kind {
            CurveKind::Pace => {
                m.insert(
                    "distance".into(),
                    json!(keep.iter().map(|&i| CURVE_METRES[i]).collect::<Vec<_>>()),
                );
                m.insert("type".into(), json!(ty));
                m.insert("paceModels".into(), json!([]));
            }
            _ => {
                m.insert(
                    "secs".into(),
                    json!(keep.iter().map(|&i| CURVE_SECS[i]).collect::<Vec<_>>()),
                );
            }
        }
        if kind == CurveKind::Power {
            let weight = st.athlete["weight"]
                .as_f64()
                .filter(|w| *w > 0.0)
                .unwrap_or(63.4);
            m.insert(
                "watts_per_kg".into(),
                json!(
                    values
                        .iter()
                        .map(|w| (w / weight * 100.0).round() / 100.0)
                        .collect::<Vec<_>>()
                ),
            );
            m.insert("wkg_activity_id".into(), json!(activity_id));
            m.insert("weight".into(), json!(weight));
            m.insert("powerModels".into(), json!([]));
        }
        list.push(curve);
    }
    ok(&json!({"list": list, "activities": used}))
}
