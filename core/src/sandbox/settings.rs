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
use crate::zones::Zone;

use super::router::{Ctx, Params, Route};
use super::{Answer, ApiError, SAMPLE_ATHLETE_ID, State, bad_request, forbidden, sample};

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

/// A heart-rate zone set for sport `type_id` (0 = every sport).
fn hr_set(type_id: i64, threshold: f64, max_hr: f64, resting: f64) -> Value {
    json!({
        "workoutTypeId": type_id,
        "threshold": threshold,
        "maximumHeartRate": max_hr,
        "restingHeartRate": resting,
        "calculationMethod": 2,
        "zoneCalculatorId": null,
        "zones": zones_json(&sample::heart_rate_zones(threshold, max_hr)),
    })
}

/// A speed zone set for sport `type_id` (0 = run, 1 = swim, 2 = bike), threshold in m/s.
fn speed_set(type_id: i64, threshold: f64, zones: &[Zone], distance: Option<f64>) -> Value {
    json!({
        "workoutTypeId": type_id,
        "threshold": threshold,
        "distance": distance,
        "calculationMethod": 5,
        "zoneCalculatorId": null,
        "zones": zones_json(zones),
    })
}

/// Seeds athlete settings with the sample athlete's thresholds and zones ([`sample`]: FTP
/// 265 W, threshold HR 172, run 4:15/km, swim CSS 1:38/100m), pool lengths and weather.
pub(super) fn seed(state: &mut State, clock: &dyn Clock) {
    let today = clock.today();
    // Age as of the sandbox's today (the user document carries the same birthday).
    let birthday = sample::birthday();
    let age = birthday.and_then(|b| today.years_since(b)).unwrap_or(36);
    state.docs.insert(
        "settings".into(),
        json!({
            "athleteId": sample::ATHLETE_ID,
            "firstName": sample::FIRST_NAME,
            "lastName": sample::LAST_NAME,
            "timeZone": sample::TIME_ZONE,
            "units": sample::UNITS,
            "age": age,
            "gender": sample::GENDER,
            "birthday": birthday.map(|b| format!("{b}T00:00:00")),
            "preferredRunningTssSource": 4,
            "nutritionSettings": {"plannedCalories": 2600, "substrateUtilizationCategory": 4},
            "powerZones": [{
                "workoutTypeId": 0,
                "threshold": sample::FTP_W,
                "calculationMethod": 1,
                "zoneCalculatorId": null,
                "zones": zones_json(&sample::power_zones()),
            }],
            "heartRateZones": [
                hr_set(0, sample::THRESHOLD_HR, sample::MAX_HR, sample::RESTING_HR),
                hr_set(2, sample::BIKE_THRESHOLD_HR, sample::BIKE_MAX_HR, sample::RESTING_HR),
            ],
            "speedZones": [
                speed_set(0, sample::run_threshold_mps(), &sample::run_pace_zones(), Some(10000.0)),
                speed_set(1, sample::swim_css_mps(), &sample::swim_pace_zones(), Some(400.0)),
                speed_set(2, sample::BIKE_THRESHOLD_SPEED_MPS, &sample::bike_speed_zones(), None),
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
