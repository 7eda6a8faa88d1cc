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
use crate::intervals::activities::Activity as IcuActivity;
use crate::intervals::athlete::{Athlete as IcuAthlete, SportSettings as IcuSportSettings};
use crate::tools::ToolError;
use crate::tools::intervals::common::round;
use crate::trainingpeaks::settings::{AthleteSettings, ZoneKind, ZoneSet};
use crate::trainingpeaks::workouts::Workout;
use crate::wire::{float_of, text, trimmed_text};

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

    /// From an Intervals.icu activity type (`Run`, `TrailRun`, `OpenWaterSwim`, …) through the
    /// one mapping between the platforms; an unknown type is `Other` (HR load still applies).
    pub(crate) fn of_icu(icu_type: Option<&str>) -> Self {
        Self::of_tp(icu_type.and_then(crate::intervals::sports::tp_type_for_icu))
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

/// The caller's overrides of the non-power load inputs (the Intervals.icu analysis tools'
/// arguments of the same names as [`LoadInputs`]' fields).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct LoadGiven {
    /// Threshold speed, m/s.
    pub threshold_speed_mps: Option<f64>,
    /// Resting heart rate, bpm.
    pub hr_rest_bpm: Option<f64>,
    /// Maximum heart rate, bpm.
    pub hr_max_bpm: Option<f64>,
}

impl LoadGiven {
    /// Checks each override's range, naming the field; resting HR must be below maximum HR.
    pub(crate) fn check(&self) -> Result<(), ToolError> {
        for (field, v, lo, hi, unit) in [
            (
                "threshold_speed_mps",
                self.threshold_speed_mps,
                0.2,
                12.0,
                "m/s",
            ),
            ("hr_rest_bpm", self.hr_rest_bpm, 25.0, 120.0, "bpm"),
            ("hr_max_bpm", self.hr_max_bpm, 100.0, 240.0, "bpm"),
        ] {
            if let Some(v) = v
                && !(v.is_finite() && (lo..=hi).contains(&v))
            {
                return Err(ToolError::invalid(
                    field,
                    format!("{v} is out of range ({lo}–{hi} {unit})"),
                ));
            }
        }
        if let (Some(r), Some(m)) = (self.hr_rest_bpm, self.hr_max_bpm)
            && r >= m
        {
            return Err(ToolError::invalid(
                "hr_rest_bpm",
                format!("{r} is not below hr_max_bpm {m}"),
            ));
        }
        Ok(())
    }
}

/// The athlete's sport settings for an Intervals.icu activity type: the set whose `types`
/// lists it (case aside). `None` for a type no set covers.
pub(crate) fn icu_sport_settings<'a>(
    athlete: &'a IcuAthlete,
    icu_type: &str,
) -> Option<&'a IcuSportSettings> {
    athlete.sport_settings.get()?.iter().find(|s| {
        s.types
            .get()
            .is_some_and(|ts| ts.iter().any(|t| t.trim().eq_ignore_ascii_case(icu_type)))
    })
}

/// A usable threshold: finite and above zero.
fn positive(v: Option<f64>) -> Option<f64> {
    v.filter(|v| v.is_finite() && *v > 0.0)
}

/// The first usable value of `found` (value, where from).
pub(crate) fn first_of(found: &[(Option<f64>, &str)]) -> Option<(f64, String)> {
    found
        .iter()
        .find_map(|(v, from)| positive(*v).map(|v| (v, (*from).to_string())))
}

/// The load inputs of Intervals.icu activity `a`, each the caller's (`given`), else the
/// activity's own (the thresholds Intervals.icu analysed it with: `threshold_pace`,
/// `icu_resting_hr`, `athlete_max_hr`), else the athlete's sport settings for its type
/// (resting HR: the athlete record), with a line each for `sources`. Pace zones are the sport
/// settings' `pace_zones` (tops in % of threshold pace) on the threshold used. Everything is
/// read leniently: a missing, null or unreadable field is simply not found.
pub(crate) fn icu_load_inputs(
    a: &IcuActivity,
    athlete: Option<&IcuAthlete>,
    given: LoadGiven,
) -> (LoadInputs, Vec<String>) {
    let icu_type = trimmed_text(&a.sport);
    let sport = LoadSport::of_icu(icu_type.as_deref());
    let on_activity = |k: &str| a.rest.get(k).and_then(float_of);
    let settings = athlete
        .zip(icu_type.as_deref())
        .and_then(|(at, t)| icu_sport_settings(at, t));
    let settings_label = format!(
        "Intervals.icu {} sport settings",
        icu_type.as_deref().unwrap_or("?")
    );
    let mut i = LoadInputs {
        sport,
        ..LoadInputs::default()
    };
    let mut sources = Vec::new();
    if sport != LoadSport::Other {
        let found = first_of(&[
            (given.threshold_speed_mps, "given"),
            (on_activity("threshold_pace"), "Intervals.icu activity"),
            (
                settings.and_then(|s| s.threshold_pace.val()),
                settings_label.as_str(),
            ),
        ]);
        if let Some((t, from)) = found {
            i.threshold_speed_mps = Some(t);
            sources.push(format!(
                "threshold speed {} m/s = {} ({from})",
                round(t, 3),
                pace_text(t, sport)
            ));
            let tops: Vec<f64> = settings
                .and_then(|s| s.pace_zones.get().cloned())
                .unwrap_or_default();
            // Zone n starts where zone n−1 tops out; the last top (999 %) bounds nothing.
            let lower: Vec<f64> = std::iter::once(0.0)
                .chain(
                    tops.iter()
                        .take(tops.len().saturating_sub(1))
                        .map(|p| p / 100.0 * t),
                )
                .collect();
            if lower.len() > 1 && lower.windows(2).all(|p| p[0] < p[1]) {
                i.pace_zone_lower_mps = lower.iter().map(|v| round(*v, 3)).collect();
            }
        }
    }
    let rest = first_of(&[
        (given.hr_rest_bpm, "given"),
        (on_activity("icu_resting_hr"), "Intervals.icu activity"),
        (
            athlete.and_then(|at| at.icu_resting_hr.val()),
            "Intervals.icu athlete",
        ),
    ]);
    let max = first_of(&[
        (given.hr_max_bpm, "given"),
        (on_activity("athlete_max_hr"), "Intervals.icu activity"),
        (
            settings.and_then(|s| s.max_hr.val()),
            settings_label.as_str(),
        ),
    ]);
    if let Some((r, from)) = &rest {
        i.hr_rest_bpm = Some(*r);
        sources.push(format!("HR rest {r} bpm ({from})"));
    }
    if let Some((m, from)) = &max {
        i.hr_max_bpm = Some(*m);
        sources.push(format!("HR max {m} bpm ({from})"));
    }
    // TRIMP needs a heart-rate reserve: bounds the wrong way round are dropped, and said.
    if let (Some(r), Some(m)) = (i.hr_rest_bpm, i.hr_max_bpm)
        && r >= m
    {
        i.hr_rest_bpm = None;
        i.hr_max_bpm = None;
        sources.push(format!(
            "HR rest {r} bpm is not below max {m} bpm: neither used"
        ));
    }
    i.sex = match athlete
        .and_then(|at| text(&at.sex))
        .map(|g| g.to_ascii_lowercase())
    {
        Some(g) if g.starts_with('f') => Some(Sex::Female),
        Some(g) if g.starts_with('m') => Some(Sex::Male),
        _ => None,
    };
    (i, sources)
}

/// Which loads a recording of an Intervals.icu activity could not get, in [`window_load`]'s
/// order up to the first that applies (so a run scored by hrTSS still says why it has no
/// rTSS): empty when the first applicable load is scored. Each line names the load, the
/// missing thresholds and the argument that would supply them.
pub(crate) fn icu_load_missing(
    s: &Streams,
    ftp_w: Option<f64>,
    lthr_bpm: Option<f64>,
    i: &LoadInputs,
    icu_type: &str,
) -> Vec<String> {
    let has = |c: &[Option<f64>]| c.iter().any(Option::is_some);
    if has(&s.power_w) && ftp_w.is_some() {
        return Vec::new();
    }
    let mut out = Vec::new();
    if has(&s.power_w) {
        out.push(format!(
            "TSS not computed: no FTP (not on the activity nor in the {icu_type} sport \
             settings; pass ftp_w)"
        ));
    }
    let paced = match i.sport {
        LoadSport::Run => has(&s.speed_mps).then_some("rTSS"),
        LoadSport::Swim => (has(&s.distance_m) || has(&s.speed_mps)).then_some("sTSS"),
        LoadSport::Other => None,
    };
    if let Some(metric) = paced {
        if i.threshold_speed_mps.is_some() {
            return out;
        }
        out.push(format!(
            "{metric} not computed: no threshold pace (not on the activity nor in the \
             {icu_type} sport settings; pass threshold_speed_mps)"
        ));
    }
    if has(&s.heart_rate_bpm) {
        let lacking: Vec<&str> = [
            (lthr_bpm.is_none(), "LTHR (lthr_bpm)"),
            (i.hr_rest_bpm.is_none(), "resting HR (hr_rest_bpm)"),
            (i.hr_max_bpm.is_none(), "maximum HR (hr_max_bpm)"),
        ]
        .into_iter()
        .filter_map(|(missing, name)| missing.then_some(name))
        .collect();
        if lacking.is_empty() {
            return out;
        }
        out.push(format!(
            "hrTSS{} not computed: no {}",
            if i.hr_rest_bpm.is_none() || i.hr_max_bpm.is_none() {
                " and TRIMP"
            } else {
                ""
            },
            lacking.join(", ")
        ));
    }
    out
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

    fn icu_activity(v: serde_json::Value) -> IcuActivity {
        serde_json::from_value(v).unwrap()
    }

    /// An athlete as the live API may send it: numbers as strings, nulls, unknown keys.
    fn icu_athlete() -> IcuAthlete {
        serde_json::from_value(serde_json::json!({
            "sex": "M",
            "icu_resting_hr": "49",
            "unknown_key": {"x": 1},
            "sportSettings": [
                {"types": ["Ride", "VirtualRide"], "ftp": 250, "lthr": 160, "max_hr": 185},
                {"types": ["Run", "TrailRun"], "lthr": "171", "max_hr": 192,
                 "threshold_pace": "4.0", "pace_zones": [77.5, 87.7, 94.3, 100, 103.4, 111.5, 999]},
                {"types": ["Swim"], "lthr": null, "max_hr": null, "threshold_pace": 1.25,
                 "pace_zones": null}
            ]
        }))
        .unwrap()
    }

    #[test]
    fn icu_inputs_take_the_argument_then_the_activity_then_the_sport_settings() {
        let at = icu_athlete();
        // The activity records its own threshold pace and HR bounds: they win over settings.
        let a = icu_activity(serde_json::json!({"type": "Run", "threshold_pace": 3.8,
            "icu_resting_hr": 45, "athlete_max_hr": "190"}));
        let (i, sources) = icu_load_inputs(&a, Some(&at), LoadGiven::default());
        assert_eq!(i.sport, LoadSport::Run);
        assert_eq!(i.threshold_speed_mps, Some(3.8));
        assert_eq!((i.hr_rest_bpm, i.hr_max_bpm), (Some(45.0), Some(190.0)));
        assert_eq!(i.sex, Some(Sex::Male));
        assert_eq!(
            sources,
            [
                "threshold speed 3.8 m/s = 4:23/km (Intervals.icu activity)",
                "HR rest 45 bpm (Intervals.icu activity)",
                "HR max 190 bpm (Intervals.icu activity)"
            ]
        );
        // Pace zones: the settings' tops (% of threshold pace) on the threshold used.
        assert_eq!(i.pace_zone_lower_mps[..3], [0.0, 2.945, 3.333]);
        assert_eq!(i.pace_zone_lower_mps.len(), 7);
        // Without them on the activity: the Run settings, and the athlete's resting HR.
        let bare = icu_activity(serde_json::json!({"type": "TrailRun", "threshold_pace": null}));
        let (i, sources) = icu_load_inputs(&bare, Some(&at), LoadGiven::default());
        assert_eq!(i.threshold_speed_mps, Some(4.0));
        assert_eq!((i.hr_rest_bpm, i.hr_max_bpm), (Some(49.0), Some(192.0)));
        assert!(
            sources[0].ends_with("(Intervals.icu TrailRun sport settings)"),
            "{sources:?}"
        );
        assert_eq!(sources[1], "HR rest 49 bpm (Intervals.icu athlete)");
        // Arguments override both.
        let given = LoadGiven {
            threshold_speed_mps: Some(4.2),
            hr_rest_bpm: Some(40.0),
            hr_max_bpm: None,
        };
        let (i, sources) = icu_load_inputs(&a, Some(&at), given);
        assert_eq!(i.threshold_speed_mps, Some(4.2));
        assert_eq!((i.hr_rest_bpm, i.hr_max_bpm), (Some(40.0), Some(190.0)));
        assert!(sources[0].ends_with("(given)") && sources[1].ends_with("(given)"));
    }

    #[test]
    fn icu_inputs_without_settings_or_with_unknown_types_find_nothing_and_do_not_fail() {
        let at = icu_athlete();
        // A swim whose settings hold no HR bounds: threshold from settings, no max HR.
        let swim = icu_activity(serde_json::json!({"type": "Swim"}));
        let (i, _) = icu_load_inputs(&swim, Some(&at), LoadGiven::default());
        assert_eq!(i.sport, LoadSport::Swim);
        assert_eq!(i.threshold_speed_mps, Some(1.25));
        assert!(i.pace_zone_lower_mps.is_empty());
        assert_eq!((i.hr_rest_bpm, i.hr_max_bpm), (Some(49.0), None));
        // No athlete record at all, and a type nobody knows: nothing, no panic.
        let odd = icu_activity(serde_json::json!({"type": "Kitesurf", "lthr": "x"}));
        let (i, sources) = icu_load_inputs(&odd, None, LoadGiven::default());
        assert_eq!(i.sport, LoadSport::Other);
        assert_eq!(i.threshold_speed_mps, None);
        assert!(sources.is_empty(), "{sources:?}");
        // Resting HR not below max HR: neither is used, and that is said.
        let wrong = icu_activity(serde_json::json!({"type": "Ride", "icu_resting_hr": 190,
            "athlete_max_hr": 180}));
        let (i, sources) = icu_load_inputs(&wrong, None, LoadGiven::default());
        assert_eq!((i.hr_rest_bpm, i.hr_max_bpm), (None, None));
        assert!(
            sources.last().unwrap().contains("neither used"),
            "{sources:?}"
        );
    }

    #[test]
    fn icu_missing_names_the_load_and_the_thresholds_it_lacked() {
        let run = Streams {
            sample_rate_s: 1.0,
            speed_mps: vec![Some(3.5); 600],
            heart_rate_bpm: vec![Some(150.0); 600],
            ..Streams::default()
        };
        let mut i = LoadInputs {
            sport: LoadSport::Run,
            ..LoadInputs::default()
        };
        let m = icu_load_missing(&run, None, Some(170.0), &i, "Run");
        assert_eq!(m.len(), 2, "{m:?}");
        assert!(
            m[0].starts_with("rTSS not computed: no threshold pace"),
            "{m:?}"
        );
        assert!(m[0].contains("Run sport settings") && m[0].contains("threshold_speed_mps"));
        assert_eq!(
            m[1],
            "hrTSS and TRIMP not computed: no resting HR (hr_rest_bpm), maximum HR (hr_max_bpm)"
        );
        // With the HR bounds the run gets hrTSS, and still says why it has no rTSS.
        i.hr_rest_bpm = Some(50.0);
        i.hr_max_bpm = Some(190.0);
        let m = icu_load_missing(&run, None, Some(170.0), &i, "Run");
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(m[0].starts_with("rTSS not computed"), "{m:?}");
        // With a threshold the run scores: nothing missing.
        i.threshold_speed_mps = Some(4.0);
        assert!(icu_load_missing(&run, None, None, &i, "Run").is_empty());
        // Power with an FTP scores whatever else is missing.
        let ride = Streams {
            sample_rate_s: 1.0,
            power_w: vec![Some(200.0); 60],
            ..Streams::default()
        };
        assert!(
            icu_load_missing(&ride, Some(250.0), None, &LoadInputs::default(), "Ride").is_empty()
        );
        let m = icu_load_missing(&ride, None, None, &LoadInputs::default(), "Ride");
        assert_eq!(m.len(), 1);
        assert!(m[0].starts_with("TSS not computed: no FTP"), "{m:?}");
    }

    #[test]
    fn icu_load_overrides_out_of_range_name_the_field() {
        let cases = [
            (
                LoadGiven {
                    threshold_speed_mps: Some(0.0),
                    ..LoadGiven::default()
                },
                "threshold_speed_mps",
            ),
            (
                LoadGiven {
                    hr_rest_bpm: Some(f64::NAN),
                    ..LoadGiven::default()
                },
                "hr_rest_bpm",
            ),
            (
                LoadGiven {
                    hr_max_bpm: Some(300.0),
                    ..LoadGiven::default()
                },
                "hr_max_bpm",
            ),
            (
                LoadGiven {
                    hr_rest_bpm: Some(110.0),
                    hr_max_bpm: Some(105.0),
                    ..LoadGiven::default()
                },
                "hr_rest_bpm",
            ),
        ];
        for (g, field) in cases {
            match g.check() {
                Err(ToolError::InvalidArgs { field: f, .. }) => assert_eq!(f, field),
                other => panic!("{field}: {other:?}"),
            }
        }
        assert!(
            LoadGiven {
                threshold_speed_mps: Some(4.0),
                hr_rest_bpm: Some(50.0),
                hr_max_bpm: Some(190.0)
            }
            .check()
            .is_ok()
        );
    }
}
