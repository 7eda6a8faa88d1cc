//! Athlete settings and zones, pool length, weather and nutrition settings (spec §8.1).
//!
//! | Rule the sandbox enforces | Spec line |
//! |---|---|
//! | Zone sets are stored in settings as `powerZones` / `heartRateZones` / `speedZones`, power in **watts** with a 2000 W top sentinel, HR in bpm, speed in m/s | api §8.1 "Zone set object", "Units inside zones" (REF, JM, EX) |
//! | A zone PUT body must be a JSON **array** of sets (400 otherwise); the array **replaces** every set of that kind — a set left out is gone | api §8.1 PUT rows ("full array"; REF, EX, JM) |
//! | Every set in a zone PUT must carry `currentUserId` equal to the athlete (400 otherwise) | api §8.1 "Every zone set in a PUT carries `currentUserId`" (REF `CLAUDE.md`, EX) |
//! | Each set needs an integer `workoutTypeId` and a `zones` array of `{label, minimum, maximum}` with numeric bounds (400 naming the set otherwise) | api §8.1 "Zone set object" |
//! | The server does **not** recompute bands from a new threshold: what is PUT is what is stored | api §8.1 "TP does not recompute bands" (JM, verified live) |
//! | Zone PUTs answer 204 with an empty body | api §8.1 PUT rows (EX `expected_status=204`); §12 "Empty success bodies" |
//! | Nutrition settings POST needs a numeric `plannedCalories`; an `athleteId` in the body must match the path (400) | api §8.1 nutritionsettings row (REF); §12 athlete-id mismatch 400 (JM) |
//! | Pool length settings `{options[{id,length,units,label}], defaultId, supportedUnits}`; ids like `DEFAULT-25M` | api §8.1 poollengthsettings row (REF `CLAUDE.md`) |
//! | Weather settings live on the Peaksware host, an array `[{athleteId, enabled (1/0), location, lat, lon}]` | api §1 hosts; §8.1 weather row (REF) |
//! | A path athlete id other than the signed-in athlete's is 403 | api §12 "Permission (e.g. not your athlete)" (JM) |

use serde_json::{Value, json};

use crate::clock::Clock;
use crate::http::{HttpResponse, Method};
use crate::zones::{Zone, coggan_power_zones};

use super::router::{Ctx, Params, Route};
use super::{Answer, ApiError, SAMPLE_ATHLETE_ID, State, bad_request, forbidden};

/// The sample athlete's FTP, watts.
pub const SAMPLE_FTP_W: f64 = 265.0;
/// The sample athlete's threshold heart rate (general set), bpm.
pub const SAMPLE_THRESHOLD_HR: f64 = 172.0;
/// The sample athlete's run threshold pace, seconds per km (4:15/km).
pub const SAMPLE_RUN_THRESHOLD_SEC_PER_KM: f64 = 255.0;
/// The sample athlete's swim CSS, seconds per 100 m (1:38/100m).
pub const SAMPLE_SWIM_CSS_SEC_PER_100M: f64 = 98.0;

pub(super) fn routes() -> Vec<Route> {
    vec![
        Route::new(
            Method::Get,
            "/fitness/v1/athletes/{aid}/settings",
            get_settings,
        ),
        Route::new(
            Method::Put,
            "/fitness/v2/athletes/{aid}/powerzones",
            put_power,
        ),
        Route::new(
            Method::Put,
            "/fitness/v2/athletes/{aid}/heartratezones",
            put_hr,
        ),
        Route::new(
            Method::Put,
            "/fitness/v2/athletes/{aid}/speedzones",
            put_speed,
        ),
        Route::new(
            Method::Get,
            "/fitness/v1/athletes/{aid}/poollengthsettings",
            get_pool,
        ),
        Route::new(
            Method::Post,
            "/fitness/v1/athletes/{aid}/nutritionsettings",
            post_nutrition,
        ),
        Route::new(Method::Get, "/weather/v1/settings", get_weather),
    ]
}

/// 403 unless the path's athlete is the sample athlete (the only one this sandbox knows).
pub(super) fn own_athlete(p: &Params) -> Result<i64, ApiError> {
    let aid = p.id("aid")?;
    if aid != SAMPLE_ATHLETE_ID {
        return Err(forbidden(format!(
            "Athlete {aid} is not accessible to the current user."
        )));
    }
    Ok(aid)
}

fn zones_json(zones: &[Zone]) -> Value {
    Value::Array(
        zones
            .iter()
            .map(|z| {
                json!({
                    "label": z.label,
                    "minimum": crate::trainingpeaks::settings::js_number(z.minimum),
                    "maximum": crate::trainingpeaks::settings::js_number(z.maximum),
                })
            })
            .collect(),
    )
}

/// HR zones as (label, upper bound in % of threshold); the top zone ends at max HR.
const HR_ZONES: [(&str, f64); 6] = [
    ("Zone 1", 0.85),
    ("Zone 2", 0.89),
    ("Zone 3", 0.94),
    ("Zone 4", 0.99),
    ("Zone 5a", 1.02),
    ("Zone 5b", 1.06),
];

fn hr_set(type_id: i64, threshold: f64, max_hr: f64, resting: f64) -> Value {
    let mut zones = Vec::new();
    let mut min = 0.0;
    for (label, frac) in HR_ZONES {
        let max = crate::zones::round_half_up(threshold * frac);
        zones.push(Zone::new(label, min, max));
        min = max + 1.0;
    }
    zones.push(Zone::new("Zone 5c", min, max_hr));
    json!({
        "workoutTypeId": type_id,
        "threshold": threshold,
        "maximumHeartRate": max_hr,
        "restingHeartRate": resting,
        "calculationMethod": 2,
        "zoneCalculatorId": null,
        "zones": zones_json(&zones),
    })
}

/// Speed zones as (label, upper bound as a fraction of threshold speed); top = 10 × threshold.
fn speed_set(
    type_id: i64,
    threshold: f64,
    fractions: &[(&str, f64)],
    distance: Option<f64>,
) -> Value {
    let mut zones = Vec::new();
    let mut min = 0.0;
    for (label, frac) in fractions {
        let max = threshold * frac;
        zones.push(Zone::new(*label, min, max));
        min = max;
    }
    zones.push(Zone::new(
        format!("Zone {}", fractions.len() + 1),
        min,
        threshold * 10.0,
    ));
    json!({
        "workoutTypeId": type_id,
        "threshold": threshold,
        "distance": distance,
        "calculationMethod": 5,
        "zoneCalculatorId": null,
        "zones": zones_json(&zones),
    })
}

/// Seeds athlete settings (FTP 265 W, LTHR 172, run 4:15/km, swim CSS 1:38/100m), pool
/// lengths and weather.
pub(super) fn seed(state: &mut State, clock: &dyn Clock) {
    let power = coggan_power_zones(SAMPLE_FTP_W).unwrap_or_default();
    let run = 1000.0 / SAMPLE_RUN_THRESHOLD_SEC_PER_KM;
    let swim = 100.0 / SAMPLE_SWIM_CSS_SEC_PER_100M;
    let run_fracs = [
        ("Zone 1", 0.78),
        ("Zone 2", 0.88),
        ("Zone 3", 0.94),
        ("Zone 4", 1.0),
        ("Zone 5", 1.06),
    ];
    let swim_fracs = [
        ("Zone 1", 0.85),
        ("Zone 2", 0.93),
        ("Zone 3", 1.0),
        ("Zone 4", 1.05),
    ];
    let bike_fracs = [
        ("Zone 1", 0.7),
        ("Zone 2", 0.85),
        ("Zone 3", 0.95),
        ("Zone 4", 1.05),
    ];
    let today = clock.today();
    // Born 1990-04-12 (matches the seeded user); age as of the sandbox's today.
    let age = chrono::NaiveDate::from_ymd_opt(1990, 4, 12)
        .and_then(|b| today.years_since(b))
        .unwrap_or(36);
    state.docs.insert(
        "settings".into(),
        json!({
            "athleteId": SAMPLE_ATHLETE_ID,
            "firstName": "Alex",
            "lastName": "Rivera",
            "timeZone": "Europe/London",
            "units": 2,
            "age": age,
            "gender": "f",
            "birthday": "1990-04-12T00:00:00",
            "preferredRunningTssSource": 4,
            "nutritionSettings": {"plannedCalories": 2600, "substrateUtilizationCategory": 4},
            "powerZones": [{
                "workoutTypeId": 0,
                "threshold": SAMPLE_FTP_W,
                "calculationMethod": 1,
                "zoneCalculatorId": null,
                "zones": zones_json(&power),
            }],
            "heartRateZones": [
                hr_set(0, SAMPLE_THRESHOLD_HR, 191.0, 46.0),
                hr_set(2, 165.0, 186.0, 46.0),
            ],
            "speedZones": [
                speed_set(0, run, &run_fracs, Some(10000.0)),
                speed_set(1, swim, &swim_fracs, Some(400.0)),
                speed_set(2, 10.5, &bike_fracs, None),
            ],
        }),
    );
    state.docs.insert(
        "pool_length".into(),
        json!({
            "options": [
                {"id": "DEFAULT-25M", "length": 25, "units": "Meters", "label": null},
                {"id": "DEFAULT-50M", "length": 50, "units": "Meters", "label": null},
                {"id": "DEFAULT-25Y", "length": 25, "units": "Yards", "label": null},
                {"id": "6f1c2b9e-3d4a-4e5f-9a0b-1c2d3e4f5a6b", "length": 33.33, "units": "Meters", "label": "Hotel pool"},
            ],
            "defaultId": "DEFAULT-25M",
            "supportedUnits": ["Yards", "Meters"],
        }),
    );
    state.docs.insert(
        "weather".into(),
        json!([{"athleteId": SAMPLE_ATHLETE_ID, "enabled": 1, "location": "London, United Kingdom",
                "lat": 51.5072, "lon": -0.1276}]),
    );
}

fn get_settings(st: &mut State, _: &Ctx<'_>, p: &Params) -> Answer {
    own_athlete(p)?;
    Ok(HttpResponse::json(
        200,
        st.docs.get("settings").unwrap_or(&Value::Null),
    ))
}

fn put_power(st: &mut State, ctx: &Ctx<'_>, p: &Params) -> Answer {
    put_zones(st, ctx, p, "powerZones")
}

fn put_hr(st: &mut State, ctx: &Ctx<'_>, p: &Params) -> Answer {
    put_zones(st, ctx, p, "heartRateZones")
}

fn put_speed(st: &mut State, ctx: &Ctx<'_>, p: &Params) -> Answer {
    put_zones(st, ctx, p, "speedZones")
}

fn put_zones(st: &mut State, ctx: &Ctx<'_>, p: &Params, key: &str) -> Answer {
    let aid = own_athlete(p)?;
    let body = ctx.json_body()?;
    let Some(sets) = body.as_array() else {
        return Err(bad_request(
            "The request body must be an array of zone sets (every set, not one).",
        ));
    };
    for (i, set) in sets.iter().enumerate() {
        if let Err(msg) = check_zone_set(set, aid) {
            return Err(bad_request(&format!("Zone set {i}: {msg}")));
        }
    }
    let stored: Vec<Value> = sets
        .iter()
        .map(|s| {
            let mut s = s.clone();
            if let Some(o) = s.as_object_mut() {
                // A write-only field: GET does not return it.
                o.remove("currentUserId");
            }
            s
        })
        .collect();
    if let Some(settings) = st.docs.get_mut("settings").and_then(Value::as_object_mut) {
        settings.insert(key.into(), Value::Array(stored));
    }
    Ok(HttpResponse::new(204, Vec::new()))
}

fn check_zone_set(set: &Value, aid: i64) -> Result<(), String> {
    let obj = set.as_object().ok_or("must be an object")?;
    if obj.get("workoutTypeId").and_then(Value::as_i64).is_none() {
        return Err("workoutTypeId must be an integer sport id (0 = default set)".into());
    }
    match obj.get("currentUserId").and_then(Value::as_i64) {
        Some(id) if id == aid => {}
        Some(id) => return Err(format!("currentUserId {id} does not match athlete {aid}")),
        None => return Err("currentUserId is required on every zone set".into()),
    }
    if let Some(t) = obj.get("threshold")
        && !(t.is_null() || t.is_number())
    {
        return Err("threshold must be a number".into());
    }
    let zones = obj
        .get("zones")
        .and_then(Value::as_array)
        .ok_or("zones must be an array")?;
    for (j, z) in zones.iter().enumerate() {
        let ok = z.get("minimum").is_some_and(Value::is_number)
            && z.get("maximum").is_some_and(Value::is_number);
        if !ok {
            return Err(format!("zone {j} needs numeric minimum and maximum"));
        }
    }
    Ok(())
}

fn get_pool(st: &mut State, _: &Ctx<'_>, p: &Params) -> Answer {
    own_athlete(p)?;
    Ok(HttpResponse::json(
        200,
        st.docs.get("pool_length").unwrap_or(&Value::Null),
    ))
}

fn get_weather(st: &mut State, _: &Ctx<'_>, _: &Params) -> Answer {
    Ok(HttpResponse::json(
        200,
        st.docs.get("weather").unwrap_or(&json!([])),
    ))
}

fn post_nutrition(st: &mut State, ctx: &Ctx<'_>, p: &Params) -> Answer {
    let aid = own_athlete(p)?;
    let body = ctx.json_body()?;
    if let Some(id) = body.get("athleteId")
        && id.as_i64() != Some(aid)
    {
        return Err(bad_request(
            "AthleteId of request url and AthleteId in body of request do not match",
        ));
    }
    let Some(calories) = body
        .get("plannedCalories")
        .filter(|v| v.is_number())
        .cloned()
    else {
        return Err(bad_request("plannedCalories must be a number"));
    };
    let Some(settings) = st.docs.get_mut("settings").and_then(Value::as_object_mut) else {
        return Err(bad_request("no settings"));
    };
    let nutrition = settings
        .entry("nutritionSettings")
        .or_insert_with(|| json!({}));
    if let Some(n) = nutrition.as_object_mut() {
        n.insert("plannedCalories".into(), calories);
        if let Some(cat) = body
            .get("substrateUtilizationCategory")
            .filter(|v| v.is_number())
        {
            n.insert("substrateUtilizationCategory".into(), cat.clone());
        }
    }
    let answer = nutrition.clone();
    Ok(HttpResponse::json(200, &answer))
}
