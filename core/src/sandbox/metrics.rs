//! Health metrics and nutrition (spec §8.3).
//!
//! | Rule the sandbox enforces | Spec line |
//! |---|---|
//! | GET `consolidatedtimedmetrics/{start}/{end}` (plural) returns `[{id, athleteId, timeStamp, details[{parentId, type, value, isPotentiallyNegative, uploadClient, label, time, modifiedTime}]}]` for days in range | api §8.3 GET row (REF) |
//! | POST `consolidatedtimedmetric` (singular) takes `{athleteId, timeStamp, id:null, details[]}`; `athleteId` must match the path (400) | api §8.3 POST row (REF, JM); §12 athlete-id mismatch (JM) |
//! | `timeStamp` must be a `YYYY-MM-DDT…` date-time; `details` a non-empty array (400) | api §8.3 POST row |
//! | Each detail's `type` must be a known metric type (5, 6, 9, 15, 23, 53, 58, 60) and its `value` a number within that type's range, e.g. pulse 10–200, weight 0–1000 kg, sleep 0–72 h, injury 1–10 (400) | api §8.3 "Metric types" (REF, JM) |
//! | Metrics logged for a day that already has a record are merged into it (one record per timestamp, a type logged again replaces its value) | api §8.3 ("consolidated" timed metrics; REF) |
//! | Dates in paths must be `YYYY-MM-DD` (400); end before start is 400 | api §3 "Dates in paths" |
//! | Nutrition GET returns an array (format undocumented: the sandbox uses `{nutritionDate, calories, carbohydrates, protein, fat, source}`, an assumption) | api §8.3 nutrition row (REF: "format unknown") |

use chrono::{Duration, NaiveDate};
use serde_json::{Value, json};

use crate::clock::Clock;
use crate::http::{HttpResponse, Method};

use super::router::{Ctx, Params, Route};
use super::settings::own_athlete;
use super::{Answer, ApiError, SAMPLE_ATHLETE_ID, State, bad_request, sample};

const METRICS: &str = "metrics";
const NUTRITION: &str = "nutrition";

/// Metric types: (type, label, min, max).
pub(super) const METRIC_TYPES: [(i64, &str, f64, f64); 8] = [
    (5, "Pulse", 10.0, 200.0),
    // The web app's label (the reference's network capture).
    (6, "Sleep", 0.0, 72.0),
    (9, "Weight", 0.0, 1000.0),
    (15, "RMR", 500.0, 5000.0),
    (23, "Injury", 1.0, 10.0),
    (53, "SPO2", 0.0, 100.0),
    (58, "Steps", 0.0, 1e9),
    (60, "HRV", 0.0, 200.0),
];

pub(super) fn routes() -> Vec<Route> {
    vec![
        Route::new(
            Method::Get,
            "/metrics/v3/athletes/{aid}/consolidatedtimedmetrics/{start}/{end}",
            get_metrics,
        ),
        Route::new(
            Method::Post,
            "/metrics/v3/athletes/{aid}/consolidatedtimedmetric",
            post_metric,
        ),
        Route::new(
            Method::Get,
            "/fitness/v1/athletes/{aid}/nutrition/{start}/{end}",
            get_nutrition,
        ),
    ]
}

/// A tiny deterministic PRNG (xorshift64*), so seeded data has believable day-to-day noise
/// without reading anything from the environment.
struct Rng(u64);

impl Rng {
    fn next_unit(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let x = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D);
        (x >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Roughly normal noise (sum of uniforms), mean 0, sd ≈ `sd`.
    fn noise(&mut self, sd: f64) -> f64 {
        let s: f64 = (0..4).map(|_| self.next_unit()).sum::<f64>() - 2.0;
        s * sd * 1.732
    }
}

fn round_to(x: f64, step: f64) -> f64 {
    (x / step).round() * step
}

/// Seeds a year of morning metrics (weight, HRV, sleep, resting HR) and 8 weeks of nutrition.
pub(super) fn seed(state: &mut State, clock: &dyn Clock) {
    let today = clock.today();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for days_ago in (0..365i64).rev() {
        let date = today - Duration::days(days_ago);
        let t = (365 - days_ago) as f64 / 365.0; // 0 → 1 over the year
        let weekday = chrono::Datelike::weekday(&date).num_days_from_monday();
        let weekend = weekday >= 5;
        // Weight drifts down through the build to today's (64.8 → 63.1 kg), with water noise.
        let lost = sample::WEIGHT_LOST_OVER_YEAR_KG;
        let weight = round_to((sample::WEIGHT_KG + lost) - lost * t + rng.noise(0.35), 0.1);
        // Resting HR eases down to the athlete's (49.5 → 46.5 bpm) as fitness rises; Mondays
        // after a big weekend are a bit higher.
        let monday = if weekday == 0 { 1.5 } else { 0.0 };
        let rhr = ((sample::RESTING_HR + 3.5) - 3.0 * t + rng.noise(1.2) + monday).round();
        // HRV (rMSSD, ms) mirrors resting HR.
        let hrv = (58.0 + 8.0 * t + rng.noise(6.0) - if weekday == 0 { 5.0 } else { 0.0 }).round();
        let sleep = round_to(7.3 + if weekend { 0.6 } else { 0.0 } + rng.noise(0.45), 0.1);
        let mut details = vec![(9, weight), (5, rhr), (60, hrv), (6, sleep)];
        // Not every device reports every day: skip a few weigh-ins.
        if rng.next_unit() < 0.12 {
            details.remove(0);
        }
        let id = state.new_id();
        let stamp = format!("{date}T00:00:00");
        let details: Vec<Value> = details
            .into_iter()
            .map(|(ty, value)| {
                detail_json(
                    id,
                    ty,
                    value,
                    &format!("{date}T06:45:00"),
                    if ty == 9 {
                        "Garmin Index S2"
                    } else {
                        "Garmin Connect"
                    },
                )
            })
            .collect();
        state.collection(METRICS).insert(
            id,
            json!({"id": id, "athleteId": SAMPLE_ATHLETE_ID, "timeStamp": stamp, "details": details}),
        );
    }
    for days_ago in (0..56i64).rev() {
        let date = today - Duration::days(days_ago);
        let calories = round_to(2550.0 + rng.noise(280.0), 10.0);
        let id = state.new_id();
        state.collection(NUTRITION).insert(
            id,
            json!({
                "nutritionDate": format!("{date}T00:00:00"),
                "calories": calories,
                "carbohydrates": round_to(calories * 0.55 / 4.0, 1.0),
                "protein": round_to(calories * 0.2 / 4.0, 1.0),
                "fat": round_to(calories * 0.25 / 9.0, 1.0),
                "source": "MyFitnessPal",
            }),
        );
    }
}

fn label_of(ty: i64) -> &'static str {
    METRIC_TYPES
        .iter()
        .find(|m| m.0 == ty)
        .map_or("Metric", |m| m.1)
}

fn detail_json(parent: i64, ty: i64, value: f64, time: &str, client: &str) -> Value {
    json!({
        "parentId": parent,
        "type": ty,
        "value": crate::trainingpeaks::settings::js_number(value),
        "isPotentiallyNegative": false,
        "uploadClient": client,
        "label": label_of(ty),
        "time": time,
        "modifiedTime": time,
    })
}

fn range(p: &Params) -> Result<(NaiveDate, NaiveDate), ApiError> {
    let start = p.date("start")?;
    let end = p.date("end")?;
    if end < start {
        return Err(bad_request(
            "The end date must be on or after the start date.",
        ));
    }
    Ok((start, end))
}

fn day_of(v: &Value, key: &str) -> Option<NaiveDate> {
    let s = v.get(key)?.as_str()?;
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

fn get_metrics(st: &mut State, _: &Ctx<'_>, p: &Params) -> Answer {
    own_athlete(p)?;
    let (start, end) = range(p)?;
    let mut rows: Vec<Value> = st
        .collection(METRICS)
        .values()
        .filter(|m| day_of(m, "timeStamp").is_some_and(|d| d >= start && d <= end))
        .cloned()
        .collect();
    rows.sort_by_key(|m| day_of(m, "timeStamp"));
    Ok(HttpResponse::json(200, &Value::Array(rows)))
}

fn post_metric(st: &mut State, ctx: &Ctx<'_>, p: &Params) -> Answer {
    let aid = own_athlete(p)?;
    let body = ctx.json_body()?;
    if body.get("athleteId").and_then(Value::as_i64) != Some(aid) {
        return Err(bad_request(
            "AthleteId of request url and AthleteId in body of request do not match",
        ));
    }
    let Some(date) = day_of(&body, "timeStamp")
        .filter(|_| body["timeStamp"].as_str().is_some_and(|s| s.len() >= 19))
    else {
        return Err(bad_request(
            "timeStamp must be a date-time, YYYY-MM-DDTHH:MM:SS",
        ));
    };
    let Some(details) = body
        .get("details")
        .and_then(Value::as_array)
        .filter(|d| !d.is_empty())
    else {
        return Err(bad_request("details must be a non-empty array"));
    };
    let mut clean = Vec::new();
    for (i, d) in details.iter().enumerate() {
        let Some(ty) = d.get("type").and_then(Value::as_i64) else {
            return Err(bad_request(&format!(
                "details[{i}].type must be an integer metric type"
            )));
        };
        let Some((_, _, min, max)) = METRIC_TYPES.iter().find(|m| m.0 == ty).copied() else {
            return Err(bad_request(&format!(
                "details[{i}].type {ty} is not a known metric type"
            )));
        };
        let Some(value) = d.get("value").and_then(Value::as_f64) else {
            return Err(bad_request(&format!("details[{i}].value must be a number")));
        };
        if !(min..=max).contains(&value) {
            return Err(bad_request(&format!(
                "details[{i}].value {value} is outside {min}–{max} for type {ty}"
            )));
        }
        let time = d
            .get("time")
            .and_then(Value::as_str)
            .map_or_else(|| format!("{date}T12:00:00"), str::to_string);
        clean.push((ty, value, time));
    }
    let stamp = format!("{date}T00:00:00");
    let existing = st
        .collection(METRICS)
        .iter()
        .find(|(_, m)| day_of(m, "timeStamp") == Some(date))
        .map(|(id, _)| *id);
    let id = existing.unwrap_or_else(|| st.new_id());
    let mut record =
        st.collection(METRICS).get(&id).cloned().unwrap_or_else(
            || json!({"id": id, "athleteId": aid, "timeStamp": stamp, "details": []}),
        );
    let mut kept: Vec<Value> = record["details"].as_array().cloned().unwrap_or_default();
    for (ty, value, time) in clean {
        kept.retain(|d| d.get("type").and_then(Value::as_i64) != Some(ty));
        kept.push(detail_json(id, ty, value, &time, "TrainingPeaks"));
    }
    record["details"] = Value::Array(kept);
    st.collection(METRICS).insert(id, record.clone());
    Ok(HttpResponse::json(200, &record))
}

fn get_nutrition(st: &mut State, _: &Ctx<'_>, p: &Params) -> Answer {
    own_athlete(p)?;
    let (start, end) = range(p)?;
    let mut rows: Vec<Value> = st
        .collection(NUTRITION)
        .values()
        .filter(|m| day_of(m, "nutritionDate").is_some_and(|d| d >= start && d <= end))
        .cloned()
        .collect();
    rows.sort_by_key(|m| day_of(m, "nutritionDate"));
    Ok(HttpResponse::json(200, &Value::Array(rows)))
}
