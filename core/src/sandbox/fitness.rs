//! Fitness: the performance-management chart, the annual training plan, personal records and
//! peaks (spec §6, §7).
//!
//! Performance data and peaks are **computed on request from the `workouts` collection**, so
//! they always agree with the calendar (including workouts a test or tool adds later).
//!
//! | Rule the sandbox enforces | Spec line |
//! |---|---|
//! | `POST reporting/performancedata/{start}/{end}` returns one row per day `{workoutDay, tssActual, ctl, atl, tsb}` | api §6 performancedata row (REF, JM) |
//! | Body `{atlConstant, atlStart, ctlConstant, ctlStart, workoutTypes}`: constants must be positive numbers, starts numbers, `workoutTypes` an array of sport ids (empty = all) (400 otherwise) | api §6 performancedata row (REF; JM "constants overridable") |
//! | CTL_d = CTL_{d−1} + (L_d − CTL_{d−1}) / ctlConstant, ATL likewise with atlConstant, from the first workout in history; L_d = the day's summed `tssActual` | analytics §2.5 "TrainingPeaks' published form" (gain 1/T) and "Seeding" (full history) |
//! | TSB_d = CTL_{d−1} − ATL_{d−1} (yesterday's values) | analytics §2.5 "Form" (TP help 204071764) |
//! | `GET atp/{start}/{end}` returns weekly `{athlete, week, atpType:"TSS", volume, period, raceName, racePriority, limitingFactors, weeksToNextPriorityEvent}` for weeks overlapping the range | api §6 atp row (REF) |
//! | `GET personalrecord/v2/athletes/{aid}/{Bike\|Run}?prType=…&startDate=…&endDate=…` returns an **array**, best first, of `{id, athleteId, workoutId, workoutDate, workoutTypeId, workoutTitle, class, type, timeFrame, value, invalid, rank, eventName}`; an unknown `prType` for the sport is 400 | api §7 first row (RGW, REF, JM); prType lists below it |
//! | `GET personalrecord/v2/athletes/{aid}/workouts/{wid}` returns an **object** `{calcsPending, workoutId, personalRecordCount, personalRecords[]}`; unknown workout 404 | api §7 second row (RGW, JM) |
//! | Power peaks in watts, heart-rate peaks in bpm, speed peaks in m/s | api §7 "Power values are watts; speed values m/s" |
//! | Dates in paths must be `YYYY-MM-DD` (400); end before start is 400 | api §3 "Dates in paths" |

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};
use serde_json::{Value, json};

use crate::clock::Clock;
use crate::http::{HttpResponse, Method};

use super::router::{Ctx, Params, Route};
use super::settings::own_athlete;
use super::{
    Answer, ApiError, SAMPLE_A_RACE, SAMPLE_A_RACE_WEEKS_AHEAD, SAMPLE_ATHLETE_ID, State,
    bad_request, not_found,
};

pub(super) fn routes() -> Vec<Route> {
    vec![
        Route::new(
            Method::Post,
            "/fitness/v1/athletes/{aid}/reporting/performancedata/{start}/{end}",
            performance_data,
        ),
        Route::new(
            Method::Get,
            "/fitness/v1/athletes/{aid}/atp/{start}/{end}",
            atp,
        ),
        Route::new(
            Method::Get,
            "/personalrecord/v2/athletes/{aid}/workouts/{wid}",
            workout_prs,
        ),
        Route::new(
            Method::Get,
            "/personalrecord/v2/athletes/{aid}/{sport}",
            peaks,
        ),
    ]
}

fn monday_of(d: NaiveDate) -> NaiveDate {
    d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

/// Seeds the annual training plan: weekly TSS targets building to the A race
/// [`SAMPLE_A_RACE_WEEKS_AHEAD`] weeks from now, with a B race on the way.
pub(super) fn seed(state: &mut State, clock: &dyn Clock) {
    let race_week = monday_of(clock.today()) + Duration::weeks(SAMPLE_A_RACE_WEEKS_AHEAD);
    // (weeks before the race, period, volume), oldest first; 3 load weeks + 1 recovery week.
    let mut plan: Vec<(i64, &str, f64)> = Vec::new();
    let blocks: [(&str, [f64; 4]); 5] = [
        ("Base 1", [420.0, 450.0, 480.0, 330.0]),
        ("Base 2", [480.0, 510.0, 545.0, 370.0]),
        ("Base 3", [530.0, 565.0, 600.0, 400.0]),
        ("Build 1", [590.0, 625.0, 655.0, 430.0]),
        ("Build 2", [620.0, 650.0, 680.0, 450.0]),
    ];
    let mut ahead = 23;
    for _ in 0..3 {
        plan.push((ahead, "Preparation", 360.0));
        ahead -= 1;
    }
    for (name, vols) in blocks {
        for v in vols {
            plan.push((ahead, name, v));
            ahead -= 1;
        }
    }
    plan.push((0, "Race", 310.0));
    // ahead is now 0: peak weeks sit between Build 2 and the race.
    plan.retain(|w| w.0 > 2 || w.0 == 0);
    plan.push((2, "Peak", 560.0));
    plan.push((1, "Peak", 470.0));
    plan.push((-1, "Transition", 180.0));
    plan.push((-2, "Transition", 150.0));
    plan.sort_by_key(|w| -w.0);
    // The calendar's B race "Coastal Olympic Triathlon" is 8 weeks out: 4 weeks before the A race.
    let b_race_ahead = 4;
    let weeks: Vec<Value> = plan
        .into_iter()
        .map(|(ahead, period, volume)| {
            let week = race_week - Duration::weeks(ahead);
            let (race, prio) = match ahead {
                0 => (SAMPLE_A_RACE, "A"),
                a if a == b_race_ahead => ("Coastal Olympic Triathlon", "B"),
                _ => ("", ""),
            };
            let to_next = if ahead >= 0 { json!(ahead) } else { Value::Null };
            json!({
                "athlete": SAMPLE_ATHLETE_ID,
                "week": format!("{week}T00:00:00"),
                "atpType": "TSS",
                "volume": volume,
                "period": period,
                "raceName": race,
                "racePriority": prio,
                "limitingFactors": {"1": ["Muscular Endurance"], "2": ["Aerobic Endurance"], "3": ["Speed Skills"]},
                "weeksToNextPriorityEvent": to_next,
            })
        })
        .collect();
    state.docs.insert("atp".into(), Value::Array(weeks));
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

/// PMC parameters (the request body).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PmcParams {
    pub ctl_constant: f64,
    pub atl_constant: f64,
    pub ctl_start: f64,
    pub atl_start: f64,
}

/// One computed PMC day: (date, load, ctl, atl, tsb).
pub(crate) type PmcRow = (NaiveDate, f64, f64, f64, f64);

/// The TrainingPeaks PMC recurrence over daily loads, from the earlier of the first load and
/// `start`, returning the rows for `start..=end`.
pub(crate) fn pmc(
    loads: &BTreeMap<NaiveDate, f64>,
    start: NaiveDate,
    end: NaiveDate,
    p: &PmcParams,
) -> Vec<PmcRow> {
    let first = loads.keys().next().copied().map_or(start, |d| d.min(start));
    let (mut ctl, mut atl) = (p.ctl_start, p.atl_start);
    let mut rows = Vec::new();
    let mut day = first;
    while day <= end {
        let load = loads.get(&day).copied().unwrap_or(0.0);
        let tsb = ctl - atl;
        ctl += (load - ctl) / p.ctl_constant;
        atl += (load - atl) / p.atl_constant;
        if day >= start {
            rows.push((day, load, ctl, atl, tsb));
        }
        let Some(next) = day.succ_opt() else { break };
        day = next;
    }
    rows
}

fn performance_data(st: &mut State, ctx: &Ctx<'_>, p: &Params) -> Answer {
    own_athlete(p)?;
    let (start, end) = range(p)?;
    let body = ctx.json_body()?;
    let num = |key: &str, default: f64, positive: bool| -> Result<f64, ApiError> {
        match body.get(key) {
            None | Some(Value::Null) => Ok(default),
            Some(v) => match v.as_f64() {
                Some(x) if !positive || x > 0.0 => Ok(x),
                _ => Err(bad_request(&format!(
                    "{key} must be a {}number",
                    if positive { "positive " } else { "" }
                ))),
            },
        }
    };
    let params = PmcParams {
        ctl_constant: num("ctlConstant", 42.0, true)?,
        atl_constant: num("atlConstant", 7.0, true)?,
        ctl_start: num("ctlStart", 0.0, false)?,
        atl_start: num("atlStart", 0.0, false)?,
    };
    let types: Vec<i64> = match body.get("workoutTypes") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => match a.iter().map(Value::as_i64).collect::<Option<Vec<_>>>() {
            Some(t) => t,
            None => return Err(bad_request("workoutTypes must be an array of sport ids")),
        },
        Some(_) => return Err(bad_request("workoutTypes must be an array of sport ids")),
    };
    let mut loads: BTreeMap<NaiveDate, f64> = BTreeMap::new();
    for w in st.collection("workouts").values() {
        let (Some(day), Some(tss)) = (
            day_of(w, "workoutDay"),
            w.get("tssActual").and_then(Value::as_f64),
        ) else {
            continue;
        };
        let ty = w
            .get("workoutTypeValueId")
            .and_then(Value::as_i64)
            .unwrap_or(0);
        if types.is_empty() || types.contains(&ty) {
            *loads.entry(day).or_default() += tss;
        }
    }
    let first = loads.keys().next().copied().unwrap_or(start).min(start);
    if (end - first).num_days() > 366 * 30 {
        return Err(bad_request("The date range is too long."));
    }
    let rows: Vec<Value> = pmc(&loads, start, end, &params)
        .into_iter()
        .map(|(d, load, ctl, atl, tsb)| {
            json!({"workoutDay": format!("{d}T00:00:00"), "tssActual": load, "ctl": ctl, "atl": atl, "tsb": tsb})
        })
        .collect();
    Ok(HttpResponse::json(200, &Value::Array(rows)))
}

fn atp(st: &mut State, _: &Ctx<'_>, p: &Params) -> Answer {
    own_athlete(p)?;
    let (start, end) = range(p)?;
    let weeks: Vec<Value> = st
        .docs
        .get("atp")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter(|w| {
                    day_of(w, "week").is_some_and(|m| m + Duration::days(6) >= start && m <= end)
                })
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    Ok(HttpResponse::json(200, &Value::Array(weeks)))
}

/// Peak types: (prType, class, sport ("Bike"/"Run"), seconds or metres, multiplier of the
/// workout's base effort).
const POWER_PEAKS: [(&str, f64, f64); 7] = [
    ("power5sec", 5.0, 2.35),
    ("power1min", 60.0, 1.52),
    ("power5min", 300.0, 1.17),
    ("power10min", 600.0, 1.1),
    ("power20min", 1200.0, 1.04),
    ("power60min", 3600.0, 0.97),
    ("power90min", 5400.0, 0.93),
];
const SPEED_PEAKS: [(&str, f64, f64); 11] = [
    ("speed400Meter", 400.0, 1.24),
    ("speed800Meter", 800.0, 1.18),
    ("speed1K", 1000.0, 1.15),
    ("speed1Mi", 1609.344, 1.12),
    ("speed5K", 5000.0, 1.06),
    ("speed5Mi", 8046.72, 1.04),
    ("speed10K", 10000.0, 1.02),
    ("speed10Mi", 16093.44, 1.0),
    ("speedHalfMarathon", 21097.5, 0.99),
    ("speedMarathon", 42195.0, 0.97),
    ("speed50K", 50000.0, 0.95),
];
/// Heart-rate peaks: (prType, seconds, offset from max HR for short windows / from average).
const HR_PEAKS: [(&str, f64); 7] = [
    ("hR5sec", 5.0),
    ("hR1min", 60.0),
    ("hR5min", 300.0),
    ("hR10min", 600.0),
    ("hR20min", 1200.0),
    ("hR60min", 3600.0),
    ("hR90min", 5400.0),
];

fn is_bike(ty: i64) -> bool {
    matches!(ty, 2 | 8)
}

/// A stable ±3 % jitter per workout and type, so peaks vary without randomness.
fn jitter(workout_id: i64, kind: &str) -> f64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ workout_id.unsigned_abs();
    for b in kind.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
    }
    1.0 + ((h % 61) as f64 - 30.0) / 1000.0
}

/// The peaks of one completed workout: (prType, class, value).
fn workout_peaks(w: &Value) -> Vec<(&'static str, &'static str, f64)> {
    let mut out = Vec::new();
    let id = w.get("workoutId").and_then(Value::as_i64).unwrap_or(0);
    let ty = w
        .get("workoutTypeValueId")
        .and_then(Value::as_i64)
        .unwrap_or(0);
    let seconds = w.get("totalTime").and_then(Value::as_f64).unwrap_or(0.0) * 3600.0;
    if seconds <= 0.0 {
        return out; // planned only: no peaks
    }
    if is_bike(ty) {
        let base = w
            .get("normalizedPowerActual")
            .and_then(Value::as_f64)
            .or_else(|| {
                w.get("powerAverage")
                    .and_then(Value::as_f64)
                    .map(|p| p * 1.03)
            });
        if let Some(base) = base.filter(|b| *b > 0.0) {
            for (kind, secs, mult) in POWER_PEAKS {
                if secs <= seconds {
                    out.push((kind, "Power", (base * mult * jitter(id, kind)).round()));
                }
            }
        }
    }
    if ty == 3 {
        let distance = w.get("distance").and_then(Value::as_f64).unwrap_or(0.0);
        if distance > 0.0 {
            let base = distance / seconds;
            for (kind, metres, mult) in SPEED_PEAKS {
                if metres <= distance {
                    let v = base * mult * jitter(id, kind);
                    out.push((kind, "Speed", (v * 1000.0).round() / 1000.0));
                }
            }
        }
    }
    if is_bike(ty) || ty == 3 {
        let max = w.get("heartRateMaximum").and_then(Value::as_f64);
        let avg = w.get("heartRateAverage").and_then(Value::as_f64);
        if let (Some(max), Some(avg)) = (max, avg) {
            for (i, (kind, secs)) in HR_PEAKS.iter().enumerate() {
                if *secs <= seconds {
                    // From max HR for short windows down to the average for long ones.
                    let frac = i as f64 / (HR_PEAKS.len() - 1) as f64;
                    out.push((kind, "HeartRate", (max - (max - avg) * frac).round()));
                }
            }
        }
    }
    out
}

fn record_json(w: &Value, kind: &str, class: &str, value: f64, rank: usize, frame: &str) -> Value {
    let wid = w.get("workoutId").and_then(Value::as_i64).unwrap_or(0);
    json!({
        "id": wid.wrapping_mul(100).wrapping_add(kind.len() as i64),
        "athleteId": SAMPLE_ATHLETE_ID,
        "workoutId": wid,
        "workoutDate": w.get("workoutDay").cloned().unwrap_or(Value::Null),
        "workoutTypeId": w.get("workoutTypeValueId").cloned().unwrap_or(Value::Null),
        "workoutTitle": w.get("title").cloned().unwrap_or(Value::Null),
        "class": class,
        "type": kind,
        "timeFrame": {"name": frame},
        "value": crate::trainingpeaks::settings::js_number(value),
        "invalid": false,
        "rank": rank,
        "eventName": null,
    })
}

/// All workouts' values for one prType (and sport filter), best first.
fn ranked<'a>(
    workouts: impl Iterator<Item = &'a Value>,
    kind: &str,
    sport_ok: impl Fn(i64) -> bool,
) -> Vec<(&'a Value, &'static str, f64)> {
    let mut all: Vec<(&Value, &'static str, f64)> = workouts
        .filter(|w| {
            sport_ok(
                w.get("workoutTypeValueId")
                    .and_then(Value::as_i64)
                    .unwrap_or(0),
            )
        })
        .flat_map(|w| {
            workout_peaks(w)
                .into_iter()
                .filter(|p| p.0 == kind)
                .map(move |p| (w, p.1, p.2))
        })
        .collect();
    all.sort_by(|a, b| b.2.total_cmp(&a.2));
    all
}

fn peaks(st: &mut State, _: &Ctx<'_>, p: &Params) -> Answer {
    own_athlete(p)?;
    let sport = p.str("sport");
    let kind = p.query.get("prType").map(String::as_str).unwrap_or("");
    let (is_sport, known): (fn(i64) -> bool, bool) = if sport.eq_ignore_ascii_case("bike") {
        (
            is_bike,
            POWER_PEAKS.iter().any(|k| k.0 == kind) || HR_PEAKS.iter().any(|k| k.0 == kind),
        )
    } else if sport.eq_ignore_ascii_case("run") {
        (
            |t| t == 3,
            SPEED_PEAKS.iter().any(|k| k.0 == kind) || HR_PEAKS.iter().any(|k| k.0 == kind),
        )
    } else {
        return Err(not_found(&format!("Sport {sport}")));
    };
    if !known {
        return Err(bad_request(&format!(
            "The value '{kind}' is not valid for prType."
        )));
    }
    let parse = |key: &str| -> Result<Option<NaiveDate>, ApiError> {
        match p.query.get(key) {
            None => Ok(None),
            Some(s) => NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d")
                .map(Some)
                .map_err(|_| bad_request(&format!("The value '{s}' is not valid for {key}."))),
        }
    };
    let (start, end) = (parse("startDate")?, parse("endDate")?);
    let in_range = |w: &&Value| {
        let d = day_of(w, "workoutDay");
        start.is_none_or(|s| d.is_some_and(|d| d >= s))
            && end.is_none_or(|e| d.is_some_and(|d| d <= e))
    };
    let workouts = st.collection("workouts");
    let rows: Vec<Value> = ranked(workouts.values().filter(in_range), kind, is_sport)
        .into_iter()
        .take(25)
        .enumerate()
        .map(|(i, (w, class, v))| record_json(w, kind, class, v, i + 1, "Custom"))
        .collect();
    Ok(HttpResponse::json(200, &Value::Array(rows)))
}

fn workout_prs(st: &mut State, _: &Ctx<'_>, p: &Params) -> Answer {
    own_athlete(p)?;
    let wid = p.id("wid")?;
    let workouts = st.collection("workouts");
    let Some(workout) = workouts.get(&wid) else {
        return Err(not_found(&format!("Workout {wid}")));
    };
    let date = day_of(workout, "workoutDay");
    let mut records = Vec::new();
    for (kind, _, _) in workout_peaks(workout) {
        // Rank among everything up to and including this workout's day: "a PR when set".
        let up_to = workouts
            .values()
            .filter(|w| day_of(w, "workoutDay") <= date);
        let ranked = ranked(up_to, kind, |_| true);
        if let Some(pos) = ranked
            .iter()
            .position(|(w, _, _)| w.get("workoutId").and_then(Value::as_i64) == Some(wid))
            && pos < 3
            && let Some((w, class, v)) = ranked.get(pos)
        {
            records.push(record_json(w, kind, class, *v, pos + 1, "All Time"));
        }
    }
    Ok(HttpResponse::json(
        200,
        &json!({
            "calcsPending": false,
            "workoutId": wid,
            "personalRecordCount": records.len(),
            "personalRecords": records,
        }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    const TP: PmcParams = PmcParams {
        ctl_constant: 42.0,
        atl_constant: 7.0,
        ctl_start: 0.0,
        atl_start: 0.0,
    };

    #[test]
    fn pmc_recurrence_by_hand() {
        let loads = BTreeMap::from([(d("2026-01-01"), 100.0), (d("2026-01-02"), 50.0)]);
        let rows = pmc(&loads, d("2026-01-01"), d("2026-01-03"), &TP);
        let ctl1 = 100.0 / 42.0;
        let atl1 = 100.0 / 7.0;
        let ctl2 = ctl1 + (50.0 - ctl1) / 42.0;
        let atl2 = atl1 + (50.0 - atl1) / 7.0;
        let ctl3 = ctl2 - ctl2 / 42.0;
        let atl3 = atl2 - atl2 / 7.0;
        let want = vec![
            (d("2026-01-01"), 100.0, ctl1, atl1, 0.0),
            (d("2026-01-02"), 50.0, ctl2, atl2, ctl1 - atl1),
            (d("2026-01-03"), 0.0, ctl3, atl3, ctl2 - atl2),
        ];
        assert_eq!(rows, want);
    }

    #[test]
    fn pmc_warms_up_from_history_before_the_range() {
        let loads = BTreeMap::from([(d("2025-12-01"), 80.0)]);
        let rows = pmc(&loads, d("2026-01-01"), d("2026-01-01"), &TP);
        assert_eq!(rows.len(), 1);
        assert!(rows[0].2 > 0.0, "history counts: {rows:?}");
        // Constant load converges to the load.
        let steady: BTreeMap<_, _> = (0..400)
            .map(|i| (d("2025-01-01") + Duration::days(i), 60.0))
            .collect();
        let rows = pmc(&steady, d("2026-02-04"), d("2026-02-04"), &TP);
        assert!(
            (rows[0].2 - 60.0).abs() < 0.01 && (rows[0].3 - 60.0).abs() < 1e-9,
            "{rows:?}"
        );
    }

    #[test]
    fn peaks_need_completed_workouts_and_fit_their_length() {
        let ride = json!({"workoutId": 7, "workoutTypeValueId": 2, "totalTime": 1.0, "normalizedPowerActual": 230.0,
                          "heartRateMaximum": 175.0, "heartRateAverage": 140.0});
        let kinds: Vec<&str> = workout_peaks(&ride).iter().map(|p| p.0).collect();
        assert!(
            kinds.contains(&"power60min") && !kinds.contains(&"power90min"),
            "{kinds:?}"
        );
        assert!(kinds.contains(&"hR60min"));
        let planned = json!({"workoutId": 8, "workoutTypeValueId": 2, "totalTimePlanned": 1.0});
        assert!(workout_peaks(&planned).is_empty());
        let run = json!({"workoutId": 9, "workoutTypeValueId": 3, "totalTime": 0.75, "distance": 10000.0});
        let kinds: Vec<&str> = workout_peaks(&run).iter().map(|p| p.0).collect();
        assert!(
            kinds.contains(&"speed10K") && !kinds.contains(&"speed10Mi"),
            "{kinds:?}"
        );
    }
}
