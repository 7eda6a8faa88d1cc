//! Training load for the activity-analysis tools when power does not give it: NGP and rTSS for
//! runs, swim TSS, hrTSS and TRIMP from heart rate, and time in pace zones. The formulas are
//! [`crate::analysis::load`]'s and [`crate::analysis::zones`]'s; this picks which one applies,
//! reads its inputs from the athlete settings, and says which formula and inputs were used.
//!
//! Which load a window gets, first that applies (each says so in [`LoadView`]):
//! 1. power and FTP → TSS = 100 · h · IF², IF = NP / FTP (spec §2.1);
//! 2. a run with speed and a threshold speed → rTSS = 100 · h · IF², IF = NGP / threshold speed
//!    (spec §2.3, TrainingPeaks' form; NGP by the spec's open Minetti reconstruction);
//! 3. a swim with distance and a threshold swim speed → sTSS = IF³ · h · 100, IF = (distance /
//!    moving time) / threshold speed (spec §2.4, TrainingPeaks: rest excluded);
//! 4. heart rate with LTHR, resting and maximum HR → hrTSS = 100 · TRIMP / TRIMP(60 min at
//!    LTHR) (spec §2.2, GoldenCheetah's "TRIMP 100": the open stand-in for TrainingPeaks'
//!    unpublished hrTSS).
//!
//! Banister TRIMP (spec §2.2) is reported beside whichever applies when HR and the HR bounds
//! are known.

use schemars::JsonSchema;
use serde::Serialize;

use crate::analysis::load::{self, Sex};
use crate::analysis::{Streams, zones};
use crate::tools::intervals::common::round;
use crate::trainingpeaks::settings::{AthleteSettings, ZoneKind, ZoneSet};
use crate::trainingpeaks::workouts::Workout;
use crate::wire::text;

/// The sports whose load has its own formula.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum LoadSport {
    /// Running (rTSS from NGP).
    Run,
    /// Swimming (sTSS).
    Swim,
    /// Anything else (power TSS or hrTSS only).
    #[default]
    Other,
}

impl LoadSport {
    /// From a TrainingPeaks sport id (1 swim, 3 run).
    pub(crate) fn of_tp(sport: Option<i64>) -> Self {
        match sport {
            Some(1) => LoadSport::Swim,
            Some(3) => LoadSport::Run,
            _ => LoadSport::Other,
        }
    }
}

/// The inputs of the non-power loads, as a call used them.
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct LoadInputs {
    /// Threshold speed of the sport's speed zones, m/s (runs: NGP's IF; swims: sTSS).
    pub threshold_speed_mps: Option<f64>,
    /// Resting heart rate, bpm (TRIMP, hrTSS).
    pub hr_rest_bpm: Option<f64>,
    /// Maximum heart rate, bpm (TRIMP, hrTSS).
    pub hr_max_bpm: Option<f64>,
    /// Lower bounds of the sport's pace zones, m/s, slowest zone first (empty: none used).
    pub pace_zone_lower_mps: Vec<f64>,
    #[serde(skip)]
    pub(crate) sport: LoadSport,
    #[serde(skip)]
    pub(crate) sex: Option<Sex>,
}

/// The set for `sport`, else the default set (type 0), else the first.
fn sport_set(sets: &[ZoneSet], sport: Option<i64>) -> Option<&ZoneSet> {
    sets.iter()
        .find(|s| s.type_id().is_some() && s.type_id() == sport)
        .or_else(|| sets.iter().find(|s| s.type_id() == Some(0)))
        .or_else(|| sets.first())
}

/// `m:ss` per km (runs) or per 100 m (swims) for a speed.
pub(crate) fn pace_text(mps: f64, sport: LoadSport) -> String {
    let (per, unit) = match sport {
        LoadSport::Swim => (100.0, "/100m"),
        _ => (1000.0, "/km"),
    };
    if !(mps.is_finite() && mps > 0.0) {
        return "—".into();
    }
    let s = (per / mps).round() as u64;
    format!("{}:{:02}{unit}", s / 60, s % 60)
}

/// The load inputs of workout `w` from the athlete settings, with a line each for
/// `sources`. Speed thresholds and pace zones are read only for runs and swims (TrainingPeaks'
/// speed sets are per sport; the default set is the run's), HR bounds from the sport's HR set.
pub(crate) fn tp_load_inputs(st: &AthleteSettings, w: &Workout) -> (LoadInputs, Vec<String>) {
    let sport_id = w.workout_type_value_id.val();
    let sport = LoadSport::of_tp(sport_id);
    let mut i = LoadInputs {
        sport,
        ..LoadInputs::default()
    };
    let mut sources = Vec::new();
    if sport != LoadSport::Other
        && let Some(set) = sport_set(st.zone_sets(ZoneKind::Speed), sport_id)
    {
        let t = set.threshold();
        if t > 0.0 {
            i.threshold_speed_mps = Some(t);
            sources.push(format!(
                "threshold speed {} m/s = {} (athlete settings, speed zones)",
                round(t, 3),
                pace_text(t, sport)
            ));
        }
        let mut lower: Vec<f64> = set.read_zones().iter().map(|z| z.minimum).collect();
        // Pace zones must rise from the slowest; a set written fastest first is turned round.
        if lower.first() > lower.last() {
            lower.reverse();
        }
        if lower.len() > 1 && lower.windows(2).all(|p| p[0] <= p[1]) {
            i.pace_zone_lower_mps = lower;
        }
    }
    if let Some(set) = sport_set(st.zone_sets(ZoneKind::HeartRate), sport_id) {
        let rest = ZoneSet::value(&set.resting_heart_rate);
        let max = ZoneSet::value(&set.maximum_heart_rate);
        if rest > 0.0 && max > rest {
            i.hr_rest_bpm = Some(rest);
            i.hr_max_bpm = Some(max);
            sources.push(format!(
                "HR rest {rest} bpm, max {max} bpm (athlete settings)"
            ));
        }
    }
    i.sex = match text(&st.gender).map(|g| g.to_ascii_lowercase()) {
        Some(g) if g.starts_with('f') => Some(Sex::Female),
        Some(g) if g.starts_with('m') => Some(Sex::Male),
        _ => None,
    };
    (i, sources)
}

/// A window's training load and how it was scored.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct LoadView {
    /// The score (TSS-like: an hour at threshold is 100).
    pub score: f64,
    /// `TSS` (power), `rTSS`, `sTSS` or `hrTSS`.
    pub metric: String,
    /// The formula and its spec section.
    pub formula: String,
    /// The inputs used, each with its value.
    pub inputs: Vec<String>,
}

/// What [`window_load`] adds to a window's metrics.
#[derive(Debug, Clone, Default)]
pub(crate) struct WindowLoad {
    pub ngp_mps: Option<f64>,
    pub trimp: Option<f64>,
    pub time_in_pace_zones_s: Option<Vec<f64>>,
    pub load: Option<LoadView>,
}

/// The load of window `w` (already cut) given its power TSS (`tss`, from FTP) and the inputs.
pub(crate) fn window_load(
    w: &Streams,
    tss: Option<f64>,
    ftp_w: Option<f64>,
    np_w: Option<f64>,
    lthr_bpm: Option<f64>,
    i: &LoadInputs,
) -> WindowLoad {
    let dt = w.dt();
    let hours = w.duration_s() / 3600.0;
    let sex = i.sex.unwrap_or(Sex::Male);
    let sex_text = match i.sex {
        Some(Sex::Female) => "k = 1.67 (female)",
        Some(Sex::Male) => "k = 1.92 (male)",
        None => "k = 1.92 (sex not set: male assumed)",
    };
    let moving = w.speed_mps.iter().any(Option::is_some);
    let ngp = (i.sport == LoadSport::Run)
        .then(|| load::ngp_mps(w))
        .flatten();
    let trimp = match (i.hr_rest_bpm, i.hr_max_bpm) {
        (Some(r), Some(m)) => load::trimp(w, r, m, sex),
        _ => None,
    };
    let pace_zones = (i.sport != LoadSport::Other && moving && !i.pace_zone_lower_mps.is_empty())
        .then(|| zones::time_in_pace_zones(&w.speed_mps, dt, &i.pace_zone_lower_mps));
    let hours_text = format!("{} h elapsed", round(hours, 3));
    let power = tss.zip(ftp_w).zip(np_w).map(|((s, f), np)| LoadView {
        score: s,
        metric: "TSS".into(),
        formula: "100 · hours · IF², IF = NP / FTP (spec §2.1)".into(),
        inputs: vec![
            format!("NP {np} W"),
            format!("FTP {f} W"),
            hours_text.clone(),
        ],
    });
    let run = || {
        let (n, t) = (ngp?, i.threshold_speed_mps?);
        let score = load::rtss(w, t)?;
        Some(LoadView {
            score: round(score, 1),
            metric: "rTSS".into(),
            formula: "100 · hours · IF², IF = NGP / threshold speed (spec §2.3, TrainingPeaks' \
                      form; NGP: Minetti grade-adjusted speed, 30 s rolling, 4th-power mean)"
                .into(),
            inputs: vec![
                format!("NGP {} m/s = {}", round(n, 3), pace_text(n, i.sport)),
                format!("threshold {} m/s = {}", round(t, 3), pace_text(t, i.sport)),
                format!("IF {}", round(n / t, 2)),
                hours_text.clone(),
            ],
        })
    };
    let swim = || {
        if i.sport != LoadSport::Swim {
            return None;
        }
        let t = i.threshold_speed_mps?;
        let mut d = w.distance_m.iter().flatten().filter(|x| x.is_finite());
        let first = *d.next()?;
        let dist = d.next_back().copied().unwrap_or(first) - first;
        // Moving time: seconds with speed above zero (rest at the wall excluded, as
        // TrainingPeaks does), else every second with a distance reading.
        let moving_s = if moving {
            w.speed_mps.iter().flatten().filter(|v| **v > 0.0).count() as f64 * dt
        } else {
            w.distance_m.iter().flatten().count() as f64 * dt
        };
        let score = load::swim_tss(dist, moving_s, t)?;
        let nss = dist / moving_s;
        Some(LoadView {
            score: round(score, 1),
            metric: "sTSS".into(),
            formula: "IF³ · hours · 100, IF = (distance / moving time) / threshold swim speed \
                      (spec §2.4, TrainingPeaks; rest excluded)"
                .into(),
            inputs: vec![
                format!("distance {} m", round(dist, 0)),
                format!("moving {} s", moving_s),
                format!("speed {} m/s = {}", round(nss, 3), pace_text(nss, i.sport)),
                format!("threshold {} m/s = {}", round(t, 3), pace_text(t, i.sport)),
            ],
        })
    };
    let heart = || {
        let (l, r, m) = (lthr_bpm?, i.hr_rest_bpm?, i.hr_max_bpm?);
        let score = load::hr_tss(w, r, m, l, sex)?;
        Some(LoadView {
            score: round(score, 1),
            metric: "hrTSS".into(),
            formula: "100 · TRIMP / TRIMP(60 min at LTHR), TRIMP = minutes · HRr · 0.64 · \
                      e^(k·HRr) on the average HR (spec §2.2, GoldenCheetah's TRIMP 100; \
                      TrainingPeaks' own hrTSS is unpublished)"
                .into(),
            inputs: vec![
                format!("LTHR {l} bpm"),
                format!("HR rest {r} bpm, max {m} bpm"),
                sex_text.into(),
            ],
        })
    };
    WindowLoad {
        ngp_mps: ngp.map(|v| round(v, 3)),
        trimp: trimp.map(|v| round(v, 1)),
        time_in_pace_zones_s: pace_zones,
        load: power.or_else(run).or_else(swim).or_else(heart),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs(sport: LoadSport) -> LoadInputs {
        LoadInputs {
            threshold_speed_mps: Some(4.0),
            hr_rest_bpm: Some(50.0),
            hr_max_bpm: Some(190.0),
            pace_zone_lower_mps: vec![0.0, 3.0, 3.6, 4.0, 4.4],
            sport,
            sex: Some(Sex::Male),
        }
    }

    #[test]
    fn a_flat_hour_at_threshold_pace_is_100_rtss_and_sits_in_zone_4() {
        // 3600 s at 4.0 m/s on the flat: NGP = 4.0 (constant, so the rolling 4th-power mean is
        // the speed), IF = 1, rTSS = 100 · 1 h · 1² = 100 (spec §2.3).
        let w = Streams {
            sample_rate_s: 1.0,
            speed_mps: vec![Some(4.0); 3600],
            ..Streams::default()
        };
        let l = window_load(&w, None, None, None, None, &inputs(LoadSport::Run));
        assert_eq!(l.ngp_mps, Some(4.0));
        let v = l.load.unwrap();
        assert_eq!((v.metric.as_str(), v.score), ("rTSS", 100.0));
        assert!(v.formula.contains("§2.3"), "{}", v.formula);
        assert!(v.inputs[1].contains("4:10/km"), "{:?}", v.inputs);
        assert_eq!(
            l.time_in_pace_zones_s,
            Some(vec![0.0, 0.0, 0.0, 3600.0, 0.0])
        );
    }

    #[test]
    fn half_an_hour_at_ninety_percent_pace_is_40_5_rtss() {
        // 1800 s at 3.6 m/s, threshold 4.0: IF 0.9, rTSS = 100 · 0.5 · 0.81 = 40.5.
        let w = Streams {
            sample_rate_s: 1.0,
            speed_mps: vec![Some(3.6); 1800],
            ..Streams::default()
        };
        let v = window_load(&w, None, None, None, None, &inputs(LoadSport::Run))
            .load
            .unwrap();
        assert_eq!(v.score, 40.5);
    }

    #[test]
    fn a_swim_scores_cubed_intensity_on_moving_time() {
        // 1000 m in 1000 s moving plus 200 s resting, threshold 1.25 m/s: IF = 1.0 / 1.25 = 0.8,
        // sTSS = 0.8³ · (1000/3600) h · 100 = 0.512 · 27.78 = 14.2 (spec §2.4).
        let mut speed = vec![Some(1.0); 1000];
        speed.extend(vec![Some(0.0); 200]);
        let distance: Vec<Option<f64>> = (0..1200).map(|i| Some(f64::from(i.min(1000)))).collect();
        let w = Streams {
            sample_rate_s: 1.0,
            speed_mps: speed,
            distance_m: distance,
            ..Streams::default()
        };
        let mut i = inputs(LoadSport::Swim);
        i.threshold_speed_mps = Some(1.25);
        let v = window_load(&w, None, None, None, None, &i).load.unwrap();
        assert_eq!(v.metric, "sTSS");
        // Distance readings run 0 … 999 m, then stay at 1000 m while resting: 1000 m covered.
        assert_eq!(v.score, 14.2);
        assert!(
            v.inputs.iter().any(|s| s == "moving 1000 s"),
            "{:?}",
            v.inputs
        );
    }

    #[test]
    fn heart_rate_only_gives_hr_tss_of_100_for_an_hour_at_lthr() {
        // An hour at LTHR 170 scores 100 by construction; TRIMP itself: HRr = (170−50)/140 =
        // 0.8571, 60 · 0.8571 · 0.64 · e^(1.92·0.8571) = 60 · 0.8571 · 0.64 · 5.1845 = 170.7.
        let w = Streams {
            sample_rate_s: 1.0,
            heart_rate_bpm: vec![Some(170.0); 3600],
            ..Streams::default()
        };
        let l = window_load(&w, None, None, None, Some(170.0), &inputs(LoadSport::Other));
        let v = l.load.unwrap();
        assert_eq!((v.metric.as_str(), v.score), ("hrTSS", 100.0));
        assert_eq!(l.trimp, Some(170.7));
        assert!(l.time_in_pace_zones_s.is_none());
    }

    #[test]
    fn power_wins_when_there_is_power() {
        let w = Streams {
            sample_rate_s: 1.0,
            power_w: vec![Some(200.0); 60],
            speed_mps: vec![Some(4.0); 60],
            ..Streams::default()
        };
        let v = window_load(
            &w,
            Some(1.1),
            Some(250.0),
            Some(200.0),
            None,
            &inputs(LoadSport::Run),
        )
        .load
        .unwrap();
        assert_eq!((v.metric.as_str(), v.score), ("TSS", 1.1));
        assert!(v.formula.contains("§2.1"));
    }

    #[test]
    fn nothing_to_go_on_is_no_load() {
        let w = Streams {
            sample_rate_s: 1.0,
            cadence_rpm: vec![Some(80.0); 60],
            ..Streams::default()
        };
        let l = window_load(&w, None, None, None, None, &LoadInputs::default());
        assert!(l.load.is_none() && l.trimp.is_none() && l.ngp_mps.is_none());
    }

    fn workout(sport: i64) -> Workout {
        serde_json::from_value(serde_json::json!({"workoutTypeValueId": sport})).unwrap()
    }

    #[test]
    fn inputs_come_from_the_sports_sets_and_say_where_from() {
        // Speed sets: type 0 is the run's default, type 1 the swim's, written fastest zone
        // first (turned round); HR bounds from the sport's HR set; gender as text.
        let st: AthleteSettings = serde_json::from_value(serde_json::json!({
            "gender": "F",
            "speedZones": [
                {"workoutTypeId": 0, "threshold": "3.9", "zones": [
                    {"minimum": 0, "maximum": 3}, {"minimum": 3, "maximum": 3.9},
                    {"minimum": 3.9, "maximum": 9}]},
                {"workoutTypeId": 1, "threshold": 1.0, "zones": [
                    {"minimum": 1.1, "maximum": 9}, {"minimum": 0.9, "maximum": 1.1},
                    {"minimum": 0, "maximum": 0.9}]}
            ],
            "heartRateZones": [
                {"workoutTypeId": 0, "threshold": 170, "restingHeartRate": 48,
                 "maximumHeartRate": "188"},
                {"workoutTypeId": 2, "threshold": 160, "restingHeartRate": null,
                 "maximumHeartRate": 180}
            ]
        }))
        .unwrap();
        let (run, sources) = tp_load_inputs(&st, &workout(3));
        assert_eq!(run.sport, LoadSport::Run);
        assert_eq!(run.threshold_speed_mps, Some(3.9));
        assert_eq!(run.pace_zone_lower_mps, [0.0, 3.0, 3.9]);
        assert_eq!((run.hr_rest_bpm, run.hr_max_bpm), (Some(48.0), Some(188.0)));
        assert_eq!(run.sex, Some(Sex::Female));
        assert_eq!(
            sources,
            [
                "threshold speed 3.9 m/s = 4:16/km (athlete settings, speed zones)",
                "HR rest 48 bpm, max 188 bpm (athlete settings)"
            ]
        );
        let (swim, _) = tp_load_inputs(&st, &workout(1));
        assert_eq!(swim.pace_zone_lower_mps, [0.0, 0.9, 1.1]);
        // A ride reads no speed threshold, and its HR set has no resting HR: no bounds.
        let (ride, sources) = tp_load_inputs(&st, &workout(2));
        assert_eq!(ride.threshold_speed_mps, None);
        assert!(ride.pace_zone_lower_mps.is_empty());
        assert_eq!((ride.hr_rest_bpm, ride.hr_max_bpm), (None, None));
        assert!(sources.is_empty(), "{sources:?}");
    }

    #[test]
    fn paces_read_per_km_and_per_100_m() {
        assert_eq!(pace_text(1000.0 / 255.0, LoadSport::Run), "4:15/km");
        assert_eq!(pace_text(100.0 / 98.0, LoadSport::Swim), "1:38/100m");
        assert_eq!(pace_text(0.0, LoadSport::Run), "—");
    }
}
