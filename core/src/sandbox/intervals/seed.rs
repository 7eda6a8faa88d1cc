//! Seeds the emulator from the TrainingPeaks sandbox's sample athlete, so both platforms show the
//! same person: the same completed sessions (synced activities), planned workouts (events with
//! `workout_doc`), notes and races (events), gear, body measurements (wellness) and library.
//!
//! The thresholds come from `sandbox::sample`, the one place the sample athlete is defined. The
//! sessions, events, gear and measurements are read from a TrainingPeaks [`Sandbox`] built on the
//! same clock (through the public `with_state`, by their wire field names), so what the athlete
//! did is generated once, by the TrainingPeaks seed, and both platforms show the same history.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Weekday};
use serde_json::{Map, Value, json};

use crate::clock::Clock;
use crate::sandbox::{
    SAMPLE_FTP_W, SAMPLE_RUN_THRESHOLD_SEC_PER_KM, SAMPLE_SWIM_CSS_SEC_PER_100M,
    SAMPLE_THRESHOLD_HR, Sandbox,
};

use super::streams::{self, Plan, Rng, Sport};
use super::text::{self, Thresholds};
use super::{ActivityRecord, IcuState, SAMPLE_API_KEY, SAMPLE_ICU_ATHLETE_ID};

/// The sample athlete's maximum heart rate (bpm).
pub const SAMPLE_MAX_HR: f64 = crate::sandbox::sample::MAX_HR;
/// The resting heart rate (bpm) Intervals.icu holds for the sample athlete (`icu_resting_hr`, on
/// the athlete and on each activity it analysed).
pub const SAMPLE_ICU_RESTING_HR: f64 = 47.0;
/// The athlete's time zone (the TrainingPeaks user's `timeZone`).
pub const SAMPLE_TIMEZONE: &str = crate::sandbox::sample::TIME_ZONE;
/// The id of the one Strava-synced activity, which the API answers as a stub.
pub const STRAVA_STUB_ID: &str = "i61000000";
/// Days of wellness measurements (weight, resting HR, HRV, sleep, scores) before today.
pub const WELLNESS_DAYS: i64 = 90;

/// Threshold speed (m/s) for a sport.
pub fn threshold_speed(sport: Sport) -> f64 {
    match sport {
        Sport::Swim => 100.0 / SAMPLE_SWIM_CSS_SEC_PER_100M,
        _ => 1000.0 / SAMPLE_RUN_THRESHOLD_SEC_PER_KM,
    }
}

/// The thresholds workouts of a sport are planned against.
pub fn thresholds(sport: Sport) -> Thresholds {
    Thresholds {
        ftp: SAMPLE_FTP_W,
        lthr: SAMPLE_THRESHOLD_HR,
        max_hr: SAMPLE_MAX_HR,
        threshold_speed: threshold_speed(sport),
    }
}

/// The Intervals.icu type of a TrainingPeaks sport (the one mapping the copy tools use too,
/// `crate::intervals::sports`) and the kind of streams it has; `None` for sports the sample
/// athlete's emulated activities do not cover.
fn sport_of_tp(type_id: i64) -> Option<(&'static str, Sport)> {
    let icu_type = crate::intervals::sports::icu_type_for_tp(type_id)?;
    Some((icu_type, Sport::from_icu(icu_type)?))
}

/// Hours between UTC and London on a date: 1 in summer time (last Sunday of March to last
/// Sunday of October), else 0. Enough for `start_date` vs `start_date_local` to differ honestly.
fn london_offset(date: NaiveDate) -> i64 {
    let last_sunday = |month: u32| {
        let mut d = NaiveDate::from_ymd_opt(date.year(), month + 1, 1)
            .unwrap_or(date)
            .pred_opt()
            .unwrap_or(date);
        while d.weekday() != Weekday::Sun {
            d = d.pred_opt().unwrap_or(d);
        }
        d
    };
    i64::from(date >= last_sunday(3) && date < last_sunday(10))
}

fn num(v: &Value, k: &str) -> Option<f64> {
    v.get(k).and_then(Value::as_f64)
}

fn text_of(v: &Value, k: &str) -> String {
    v.get(k).and_then(Value::as_str).unwrap_or("").to_string()
}

/// Everything read from the TrainingPeaks sandbox.
struct Tp {
    workouts: Vec<Value>,
    notes: Vec<Value>,
    races: Vec<Value>,
    equipment: Vec<Value>,
    metrics: Vec<Value>,
    libraries: Vec<Value>,
    library_items: Vec<Value>,
}

fn read_tp(clock: &Arc<dyn Clock>) -> Tp {
    let tp = Sandbox::new(clock.clone());
    tp.with_state(|st| {
        let all = |name: &str| -> Vec<Value> {
            st.collections
                .get(name)
                .map(|c| c.values().cloned().collect())
                .unwrap_or_default()
        };
        Tp {
            workouts: all("workouts"),
            notes: all("notes"),
            races: all("events"),
            equipment: all("equipment"),
            metrics: all("metrics"),
            libraries: all("libraries"),
            library_items: all("library_items"),
        }
    })
}

/// Builds the seeded state.
pub fn seed(clock: &Arc<dyn Clock>) -> IcuState {
    let today = clock.today();
    let tp = read_tp(clock);
    let mut st = IcuState {
        next_id: 90_000_000,
        ..IcuState::default()
    };
    seed_athlete(&mut st);
    let gear_ids = seed_gear(&mut st, &tp);
    let loads = seed_activities(&mut st, &tp, &gear_ids);
    seed_events(&mut st, &tp);
    seed_wellness(&mut st, &tp, &loads, today);
    seed_library(&mut st, &tp);
    seed_custom_items(&mut st);
    st
}

fn seed_athlete(st: &mut IcuState) {
    st.athlete = json!({
        "id": SAMPLE_ICU_ATHLETE_ID,
        "name": "Alex Rivera",
        "firstname": "Alex",
        "lastname": "Rivera",
        "email": "alex.rivera@example.com",
        "sex": "F",
        "city": "Bristol",
        "country": "United Kingdom",
        "timezone": SAMPLE_TIMEZONE,
        "locale": "en",
        "measurement_preference": "meters",
        "weight": 63.4,
        "icu_weight": 63.4,
        "icu_resting_hr": SAMPLE_ICU_RESTING_HR,
        "icu_date_of_birth": "1990-04-12",
        "icu_api_key": SAMPLE_API_KEY,
        "icu_coach": false,
        "visibility": "PRIVATE",
        "status": null,
        "bio": null,
        "plan": "Supporter",
    });
    let power_zones = json!([55, 75, 90, 105, 120, 150, 999]);
    let hr_zones: Vec<f64> = [0.81, 0.89, 0.93, 0.99, 1.02, 1.06]
        .iter()
        .map(|f| (f * SAMPLE_THRESHOLD_HR).round())
        .chain([SAMPLE_MAX_HR])
        .collect();
    let pace_zones = json!([77.5, 87.7, 94.3, 100, 103.4, 111.5, 999]);
    let base = |id: i64, types: &[&str], ftp: Option<f64>, pace: Option<f64>, units: &str| {
        json!({
            "id": id,
            "athlete_id": SAMPLE_ICU_ATHLETE_ID,
            "types": types,
            "ftp": ftp,
            "indoor_ftp": ftp.map(|f| (f * 0.97).round()),
            "w_prime": ftp.map(|_| 20_000),
            "p_max": ftp.map(|_| 880),
            "power_zones": if ftp.is_some() { power_zones.clone() } else { Value::Null },
            "power_zone_names": if ftp.is_some() { json!(["Active Recovery", "Endurance", "Tempo", "Threshold", "VO2 Max", "Anaerobic", "Neuromuscular"]) } else { Value::Null },
            "sweet_spot_min": 84,
            "sweet_spot_max": 97,
            "lthr": SAMPLE_THRESHOLD_HR,
            "max_hr": SAMPLE_MAX_HR,
            "hr_zones": hr_zones,
            "hr_zone_names": ["Recovery", "Aerobic", "Tempo", "SubThreshold", "SuperThreshold", "Aerobic Capacity", "Anaerobic"],
            "hr_load_type": "HRSS",
            "threshold_pace": pace,
            "pace_units": units,
            "pace_zones": if pace.is_some() { pace_zones.clone() } else { Value::Null },
            "pace_load_type": if pace.is_some() { json!("RUN") } else { Value::Null },
            "warmup_time": 900,
            "cooldown_time": 600,
            "default_gear_id": null,
        })
    };
    let run = 1000.0 / SAMPLE_RUN_THRESHOLD_SEC_PER_KM;
    let swim = 100.0 / SAMPLE_SWIM_CSS_SEC_PER_100M;
    for s in [
        base(
            101,
            &["Ride", "VirtualRide"],
            Some(SAMPLE_FTP_W),
            None,
            "MINS_KM",
        ),
        base(
            102,
            &["Run", "VirtualRun", "TrailRun"],
            None,
            Some((run * 1000.0).round() / 1000.0),
            "MINS_KM",
        ),
        base(
            103,
            &["Swim", "OpenWaterSwim"],
            None,
            Some((swim * 1000.0).round() / 1000.0),
            "SECS_100M",
        ),
        base(
            104,
            &["WeightTraining", "Workout", "Other"],
            None,
            None,
            "MINS_KM",
        ),
    ] {
        let id = s["id"].as_i64().unwrap_or_default();
        st.sport_settings.insert(id, s);
    }
}

/// Gear from the TrainingPeaks equipment: bikes `b1…`, shoes `g1…`. Returns (default bike,
/// turbo bike, daily shoes, race shoes) ids where they exist.
fn seed_gear(st: &mut IcuState, tp: &Tp) -> BTreeMap<&'static str, String> {
    let mut roles = BTreeMap::new();
    let (mut bikes, mut shoes) = (0, 0);
    for e in &tp.equipment {
        let is_bike = e.get("type").and_then(Value::as_i64) == Some(1);
        let id = if is_bike {
            bikes += 1;
            format!("b{bikes}")
        } else {
            shoes += 1;
            format!("g{shoes}")
        };
        let name = text_of(e, "name");
        let role = match (is_bike, name.as_str()) {
            (true, "Road bike") => Some("road"),
            (true, "Turbo bike") => Some("turbo"),
            (false, "Daily trainers") => Some("daily"),
            (false, "Race shoes") => Some("race"),
            _ => None,
        };
        if let Some(r) = role {
            roles.insert(r, id.clone());
        }
        let bought = text_of(e, "dateOfPurchase");
        st.gear.insert(
            id.clone(),
            json!({
                "id": id,
                "athlete_id": SAMPLE_ICU_ATHLETE_ID,
                "type": if is_bike { "Bike" } else { "Shoes" },
                "name": format!("{name} ({} {})", text_of(e, "brand"), text_of(e, "model")),
                "purchased": bought.get(..10),
                "notes": e.get("notes").cloned().unwrap_or(Value::Null),
                "distance": num(e, "actualDistance").unwrap_or(0.0),
                "time": 0,
                "activities": 0,
                "use_elapsed_time": false,
                "retired": e.get("retired").and_then(Value::as_bool).unwrap_or(false)
                    .then(|| text_of(e, "retiredDate").get(..10).map(str::to_string)).flatten(),
                "component_ids": [],
                "reminders": if is_bike {
                    json!([{"id": 1, "name": "Chain wax", "distance": 300_000, "last_reset": null,
                        "snoozed_until": null, "percent_used": 64}])
                } else { json!([]) },
                "component": false,
            }),
        );
    }
    roles
}

/// Synced activities from the completed TrainingPeaks workouts. Returns the day's load by date.
fn seed_activities(
    st: &mut IcuState,
    tp: &Tp,
    gear: &BTreeMap<&'static str, String>,
) -> BTreeMap<NaiveDate, f64> {
    let mut done: Vec<&Value> = tp
        .workouts
        .iter()
        .filter(|w| w.get("completed") == Some(&json!(true)))
        .collect();
    done.sort_by_key(|w| {
        (
            text_of(w, "workoutDay"),
            w.get("orderOnDay").and_then(Value::as_i64),
        )
    });
    let mut loads: BTreeMap<NaiveDate, f64> = BTreeMap::new();
    let mut gear_use: BTreeMap<String, (u64, f64)> = BTreeMap::new();
    for (n, w) in done.into_iter().enumerate() {
        let Some((icu_type, sport)) = w
            .get("workoutTypeValueId")
            .and_then(Value::as_i64)
            .and_then(sport_of_tp)
        else {
            continue;
        };
        let Some(start) = w
            .get("startTime")
            .and_then(Value::as_str)
            .and_then(|s| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").ok())
        else {
            continue;
        };
        let id = format!("i{}", 61_000_001 + n as u64);
        let secs = (num(w, "totalTime").unwrap_or(0.5) * 3600.0).round() as usize;
        let title = text_of(w, "title");
        let mut rng = Rng(0x1C0_5EED ^ (n as u64).wrapping_mul(0x9E37_79B9));
        let segs = streams::segments(sport, &title, secs, &mut rng);
        let distance = num(w, "distance").unwrap_or(0.0);
        let avg_speed = if secs > 0 {
            distance / secs as f64
        } else {
            0.0
        };
        let intensity = num(w, "if").unwrap_or(0.6);
        let load = num(w, "tssActual").unwrap_or(0.0).round();
        *loads.entry(start.date()).or_default() += load;
        let weekend = start.date().weekday().num_days_from_monday() >= 5;
        let trainer = sport == Sport::Ride && !weekend;
        let gear_id = match sport {
            Sport::Ride if trainer => gear.get("turbo"),
            Sport::Ride => gear.get("road"),
            Sport::Run if title.contains("Tempo") || title.contains("Cruise") => gear.get("race"),
            Sport::Run => gear.get("daily"),
            _ => None,
        };
        if let Some(g) = gear_id {
            let e = gear_use.entry(g.clone()).or_default();
            e.0 += 1;
            e.1 += secs as f64;
        }
        let plan = Plan {
            sport,
            seed: 0xAC71_0000 + n as u64,
            segs,
            avg_watts: num(w, "powerAverage"),
            avg_hr: num(w, "heartRateAverage").unwrap_or(120.0),
            avg_speed,
            avg_cadence: num(w, "cadenceAverage").unwrap_or(match sport {
                Sport::Swim => 30.0,
                _ => 0.0,
            }),
            climb: if trainer {
                0.0
            } else {
                num(w, "elevationGain").unwrap_or(0.0)
            },
            lthr: SAMPLE_THRESHOLD_HR,
            ftp: SAMPLE_FTP_W,
        };
        let utc = start - Duration::hours(london_offset(start.date()));
        let types: Vec<&str> = sport
            .stream_types()
            .iter()
            .copied()
            .filter(|t| !(trainer && matches!(*t, "altitude" | "latlng")))
            .collect();
        let json = json!({
            "id": id,
            "icu_athlete_id": SAMPLE_ICU_ATHLETE_ID,
            "start_date_local": start.format("%Y-%m-%dT%H:%M:%S").to_string(),
            "start_date": format!("{}Z", utc.format("%Y-%m-%dT%H:%M:%S")),
            "type": if trainer { "VirtualRide" } else { icu_type },
            "name": title,
            "description": null,
            "distance": distance,
            "moving_time": secs,
            "elapsed_time": secs,
            "total_elevation_gain": plan.climb,
            "trainer": trainer,
            "icu_training_load": load,
            "icu_intensity": (intensity * 1000.0).round() / 10.0,
            // The FTP of the sport settings it was analysed with: only rides have one here
            // (the run and swim settings carry no power threshold).
            "icu_ftp": if sport == Sport::Ride { json!(SAMPLE_FTP_W) } else { Value::Null },
            "icu_average_watts": plan.avg_watts,
            "icu_weighted_avg_watts": num(w, "normalizedPowerActual"),
            "icu_variability_index": match (num(w, "normalizedPowerActual"), plan.avg_watts) {
                (Some(np), Some(avg)) if avg > 0.0 => json!((np / avg * 100.0).round() / 100.0),
                _ => Value::Null,
            },
            "icu_joules": plan.avg_watts.map(|p| (p * secs as f64).round()),
            "average_heartrate": plan.avg_hr,
            "max_heartrate": num(w, "heartRateMaximum"),
            // The thresholds Intervals.icu analysed the activity with, as the live API records
            // them on each activity: threshold pace (m/s) only for paced sports.
            "lthr": SAMPLE_THRESHOLD_HR,
            "athlete_max_hr": SAMPLE_MAX_HR,
            "icu_resting_hr": SAMPLE_ICU_RESTING_HR,
            "threshold_pace": match sport {
                Sport::Run | Sport::Swim => json!((threshold_speed(sport) * 1000.0).round() / 1000.0),
                _ => Value::Null,
            },
            "average_cadence": num(w, "cadenceAverage"),
            "average_speed": (avg_speed * 1000.0).round() / 1000.0,
            "calories": num(w, "calories"),
            "gear": gear_id.map(|g| json!({"id": g, "name": null, "distance": null})),
            "icu_rpe": null,
            "feel": null,
            "source": "GARMIN_CONNECT",
            "device_name": if sport == Sport::Ride { "Garmin Edge 840" } else { "Garmin Forerunner 965" },
            "stream_types": types,
            "paired_event_id": null,
            "external_id": null,
            "tags": [],
            "icu_ctl": null,
            "icu_atl": null,
        });
        st.activities.insert(id, ActivityRecord { json, plan });
    }
    // One activity synced from Strava (a phone-recorded commute TrainingPeaks never saw): the
    // API hides those, answering a stub with only these keys (spec §3.1 "Strava").
    if let Some(day) = loads.keys().next_back() {
        let json = json!({
            "id": STRAVA_STUB_ID,
            "icu_athlete_id": SAMPLE_ICU_ATHLETE_ID,
            "start_date_local": format!("{}T17:40:00", day.format("%Y-%m-%d")),
            "source": "STRAVA",
            "_note": "STRAVA activities are not available via the API",
        });
        let plan = Plan {
            sport: Sport::Ride,
            seed: 0,
            segs: Vec::new(),
            avg_watts: None,
            avg_hr: 0.0,
            avg_speed: 0.0,
            avg_cadence: 0.0,
            climb: 0.0,
            lthr: SAMPLE_THRESHOLD_HR,
            ftp: SAMPLE_FTP_W,
        };
        st.activities
            .insert(STRAVA_STUB_ID.to_string(), ActivityRecord { json, plan });
    }
    for (g, (count, time)) in gear_use {
        if let Some(obj) = st.gear.get_mut(&g).and_then(Value::as_object_mut) {
            obj.insert("activities".into(), json!(count));
            obj.insert("time".into(), json!(time));
        }
    }
    loads
}

fn workout_doc(tp_structure: Option<&Value>, sport: Sport) -> Option<(Value, String)> {
    let s: crate::structure::Structure = serde_json::from_value(tp_structure?.clone()).ok()?;
    let mut doc = text::doc_from_structure(&s);
    let th = thresholds(sport);
    let (secs, metres, _, _) = text::metrics(&doc, &th);
    if let Some(m) = doc.as_object_mut() {
        m.insert("duration".into(), json!(secs));
        if metres > 0.0 {
            m.insert("distance".into(), json!(metres));
        }
        m.insert("ftp".into(), json!(th.ftp));
        m.insert("lthr".into(), json!(th.lthr));
        m.insert("threshold_pace".into(), json!(th.threshold_speed));
    }
    let text = text::render(&doc);
    Some((doc, text))
}

fn event_base(id: i64, date: &str, category: &str, name: &str) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("id".into(), json!(id));
    m.insert("athlete_id".into(), json!(SAMPLE_ICU_ATHLETE_ID));
    m.insert(
        "start_date_local".into(),
        json!(format!("{}T00:00:00", date.get(..10).unwrap_or(date))),
    );
    m.insert("category".into(), json!(category));
    m.insert("name".into(), json!(name));
    for k in [
        "description",
        "type",
        "end_date_local",
        "workout_doc",
        "moving_time",
        "distance",
        "icu_training_load",
        "icu_intensity",
        "color",
        "external_id",
        "uid",
        "target",
    ] {
        m.insert(k.into(), Value::Null);
    }
    m.insert("indoor".into(), json!(false));
    m.insert("tags".into(), json!([]));
    m
}

/// Planned workouts, notes and races as calendar events.
fn seed_events(st: &mut IcuState, tp: &Tp) {
    let mut planned: Vec<&Value> = tp
        .workouts
        .iter()
        .filter(|w| w.get("completed") == Some(&json!(false)))
        .collect();
    planned.sort_by_key(|w| {
        (
            text_of(w, "workoutDay"),
            w.get("orderOnDay").and_then(Value::as_i64),
        )
    });
    for w in planned {
        let Some((icu_type, sport)) = w
            .get("workoutTypeValueId")
            .and_then(Value::as_i64)
            .and_then(sport_of_tp)
        else {
            continue;
        };
        let id = st.new_id();
        let mut m = event_base(
            id,
            &text_of(w, "workoutDay"),
            "WORKOUT",
            &text_of(w, "title"),
        );
        m.insert("type".into(), json!(icu_type));
        if let Some((doc, text)) = workout_doc(w.get("structure"), sport) {
            m.insert("target".into(), doc["target"].clone());
            m.insert("moving_time".into(), doc["duration"].clone());
            m.insert(
                "distance".into(),
                doc.get("distance").cloned().unwrap_or(Value::Null),
            );
            m.insert("workout_doc".into(), doc);
            m.insert("description".into(), json!(text));
        }
        m.insert(
            "icu_training_load".into(),
            json!(num(w, "tssPlanned").map(f64::round)),
        );
        m.insert(
            "icu_intensity".into(),
            json!(num(w, "ifPlanned").map(|f| (f * 1000.0).round() / 10.0)),
        );
        st.events.insert(id, Value::Object(m));
    }
    for n in &tp.notes {
        let id = st.new_id();
        let mut m = event_base(id, &text_of(n, "noteDate"), "NOTE", &text_of(n, "title"));
        m.insert(
            "description".into(),
            n.get("description").cloned().unwrap_or(Value::Null),
        );
        m.insert("color".into(), json!("green"));
        st.events.insert(id, Value::Object(m));
    }
    for r in &tp.races {
        let id = st.new_id();
        let category = match r.get("atpPriority").and_then(Value::as_str) {
            Some("A") => "RACE_A",
            Some("B") => "RACE_B",
            _ => "RACE_C",
        };
        let mut m = event_base(id, &text_of(r, "eventDate"), category, &text_of(r, "name"));
        let ty = text_of(r, "eventType");
        m.insert(
            "type".into(),
            json!(if ty.starts_with("Running") {
                "Run"
            } else if ty.starts_with("Cycling") {
                "Ride"
            } else {
                "Other"
            }),
        );
        m.insert(
            "description".into(),
            r.get("description").cloned().unwrap_or(Value::Null),
        );
        let metres = match (
            num(r, "distance"),
            r.get("distanceUnits").and_then(Value::as_str),
        ) {
            (Some(d), Some("Kilometers")) => Some(d * 1000.0),
            (d, _) => d,
        };
        m.insert("distance".into(), json!(metres));
        st.events.insert(id, Value::Object(m));
    }
}

/// Wellness rows: fitness (CTL/ATL from the day's load, N=42 and N=7) for every day from the
/// first activity to today, measurements for the last [`WELLNESS_DAYS`].
fn seed_wellness(st: &mut IcuState, tp: &Tp, loads: &BTreeMap<NaiveDate, f64>, today: NaiveDate) {
    // TrainingPeaks metric detail types: 9 weight (kg), 5 resting HR, 60 HRV, 6 sleep hours.
    let mut measured: BTreeMap<String, BTreeMap<i64, f64>> = BTreeMap::new();
    for m in &tp.metrics {
        let day = text_of(m, "timeStamp").get(..10).unwrap_or("").to_string();
        let entry = measured.entry(day).or_default();
        for d in m
            .get("details")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            if let (Some(t), Some(v)) = (d.get("type").and_then(Value::as_i64), num(d, "value")) {
                entry.insert(t, v);
            }
        }
    }
    let Some(first) = loads.keys().next().copied() else {
        return;
    };
    let (kc, ka) = (1.0 - (-1.0f64 / 42.0).exp(), 1.0 - (-1.0f64 / 7.0).exp());
    let (mut ctl, mut atl) = (35.0, 35.0);
    let mut history: Vec<f64> = Vec::new();
    let mut rng = Rng(0x3E11_7E55);
    let mut day = first;
    while day <= today {
        let load = loads.get(&day).copied().unwrap_or(0.0);
        ctl += (load - ctl) * kc;
        atl += (load - atl) * ka;
        history.push(ctl);
        let ramp = history
            .len()
            .checked_sub(8)
            .and_then(|i| history.get(i))
            .map_or(0.0, |c| ctl - c);
        let id = day.format("%Y-%m-%d").to_string();
        let r2 = |x: f64| (x * 100.0).round() / 100.0;
        let mut row = json!({
            "id": id,
            "ctl": r2(ctl), "atl": r2(atl), "rampRate": r2(ramp),
            "ctlLoad": load, "atlLoad": load,
            "sportInfo": [{"type": "Ride", "eftp": (SAMPLE_FTP_W * (0.93 + ctl / 1500.0)).round(), "wPrime": 20_000, "pMax": 880}],
            "updated": format!("{id}T07:05:00.000Z"),
        });
        if (today - day).num_days() < WELLNESS_DAYS
            && let Some(obj) = row.as_object_mut()
        {
            let m = measured.get(&id);
            let get = |t: i64| m.and_then(|m| m.get(&t)).copied();
            let tired = (atl - ctl).max(0.0) / 10.0; // fatigue shows in the scores
            let score = |base: f64, rng: &mut Rng| {
                (base + tired + rng.range(-0.6, 0.6))
                    .round()
                    .clamp(1.0, 4.0)
            };
            obj.insert("weight".into(), json!(get(9)));
            obj.insert("restingHR".into(), json!(get(5)));
            obj.insert("hrv".into(), json!(get(60)));
            obj.insert(
                "sleepSecs".into(),
                json!(get(6).map(|h| (h * 3600.0).round())),
            );
            obj.insert(
                "sleepScore".into(),
                json!(
                    (get(6).unwrap_or(7.0) * 11.0 + rng.range(-4.0, 4.0))
                        .round()
                        .min(100.0)
                ),
            );
            obj.insert("sleepQuality".into(), json!(score(1.8, &mut rng)));
            obj.insert("avgSleepingHR".into(), json!(get(5).map(|r| r + 3.0)));
            obj.insert("soreness".into(), json!(score(1.6, &mut rng)));
            obj.insert("fatigue".into(), json!(score(1.7, &mut rng)));
            obj.insert("stress".into(), json!(score(1.8, &mut rng)));
            obj.insert("mood".into(), json!(score(1.5, &mut rng)));
            obj.insert("motivation".into(), json!(score(1.5, &mut rng)));
            obj.insert("injury".into(), json!(1));
            obj.insert(
                "spO2".into(),
                json!((rng.range(95.5, 98.5) * 10.0).round() / 10.0),
            );
            obj.insert("steps".into(), json!((rng.range(6000.0, 14_000.0)).round()));
            obj.insert(
                "readiness".into(),
                json!((70.0 - 8.0 * tired + rng.range(-8.0, 8.0)).round()),
            );
            obj.insert(
                "comments".into(),
                if rng.unit() < 0.08 {
                    json!("Legs heavy after yesterday.")
                } else {
                    Value::Null
                },
            );
        }
        st.wellness.insert(id, row);
        day += Duration::days(1);
    }
    // Activities carry the fitness of their day.
    for a in st
        .activities
        .values_mut()
        .filter(|a| a.json["source"] != "STRAVA")
    {
        let day = a.json["start_date_local"]
            .as_str()
            .and_then(|s| s.get(..10))
            .unwrap_or("")
            .to_string();
        if let (Some(w), Some(obj)) = (st.wellness.get(&day), a.json.as_object_mut()) {
            obj.insert("icu_ctl".into(), w["ctl"].clone());
            obj.insert("icu_atl".into(), w["atl"].clone());
        }
    }
}

/// The athlete's own TrainingPeaks libraries as folders, their items as workouts.
fn seed_library(st: &mut IcuState, tp: &Tp) {
    let mut folder_of: BTreeMap<i64, i64> = BTreeMap::new();
    for l in &tp.libraries {
        if l.get("isDefaultContent") == Some(&json!(true)) {
            continue;
        }
        let id = st.new_id();
        if let Some(lib) = l.get("exerciseLibraryId").and_then(Value::as_i64) {
            folder_of.insert(lib, id);
        }
        st.folders.insert(
            id,
            json!({"id": id, "athlete_id": SAMPLE_ICU_ATHLETE_ID, "type": "FOLDER",
                "name": text_of(l, "libraryName"), "description": null, "visibility": "PRIVATE",
                "canEdit": true}),
        );
    }
    for item in &tp.library_items {
        let Some(folder) = item
            .get("exerciseLibraryId")
            .and_then(Value::as_i64)
            .and_then(|l| folder_of.get(&l))
            .copied()
        else {
            continue;
        };
        let (icu_type, sport) = item
            .get("workoutTypeId")
            .and_then(Value::as_i64)
            .and_then(sport_of_tp)
            .unwrap_or(("WeightTraining", Sport::Strength));
        let id = st.new_id();
        let mut w = json!({
            "id": id, "athlete_id": SAMPLE_ICU_ATHLETE_ID, "folder_id": folder,
            "name": text_of(item, "itemName"), "type": icu_type,
            "description": item.get("description").cloned().unwrap_or(Value::Null),
            "workout_doc": null, "indoor": false, "tags": [],
            "moving_time": num(item, "totalTimePlanned").map(|h| (h * 3600.0).round()),
            "icu_training_load": num(item, "tssPlanned").map(f64::round),
            "target": null,
        });
        if let (Some((doc, text)), Some(obj)) =
            (workout_doc(item.get("structure"), sport), w.as_object_mut())
        {
            let prose = text_of(item, "description");
            obj.insert(
                "description".into(),
                json!(format!("{prose}\n\n{text}").trim().to_string()),
            );
            obj.insert("moving_time".into(), doc["duration"].clone());
            obj.insert("target".into(), doc["target"].clone());
            obj.insert("workout_doc".into(), doc);
        }
        st.workouts.insert(id, w);
    }
}

fn seed_custom_items(st: &mut IcuState) {
    let items = [
        json!({"type": "INPUT_FIELD", "name": "Leg freshness", "description": "How fresh the legs feel on waking, 1–5.",
            "visibility": "PRIVATE", "content": {"code": "LegFreshness", "type": "int", "min": 1, "max": 5}}),
        json!({"type": "FITNESS_CHART", "name": "Fitness vs weekly hours", "description": "CTL against hours trained per week.",
            "visibility": "PRIVATE", "content": {"plots": [{"field": "ctl"}, {"field": "moving_time", "agg": "week"}]}}),
    ];
    for (i, item) in items.into_iter().enumerate() {
        let id = st.new_id();
        if let Value::Object(mut m) = item {
            m.insert("id".into(), json!(id));
            m.insert("athlete_id".into(), json!(SAMPLE_ICU_ATHLETE_ID));
            m.insert("index".into(), json!(i));
            m.insert("usage_count".into(), json!(0));
            st.custom_items.insert(id, Value::Object(m));
        }
    }
}
