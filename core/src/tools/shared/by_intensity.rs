//! A structured workout from one training zone and a load or a time in the zone: what
//! `create_workout_by_intensity` builds on TrainingPeaks (a compiled structure) and on
//! Intervals.icu (the same structure printed as workout text), so both platforms get the same
//! workout for the same arguments.
//!
//! Zones are the five AI Endurance names plus recovery, on the analytics spec's tables
//! (`shared/spec/analytics.md` §2.11): Coggan power levels as % of FTP for bikes (recovery
//! < 55, endurance 55–75, tempo 75–90, threshold 90–105, VO2max 105–120, anaerobic 120–150),
//! and the GoldenCheetah heart-rate zones as % of threshold HR (0/68/83/94/105) where there is
//! no power (runs): VO2max is capped at 110 % (own choice: heart rate hardly goes higher, and a
//! target needs a top), and anaerobic is refused, since heart rate lags efforts that short.
//!
//! Shape (own choice, written down here): tempo and harder get a 10 min warm-up and a 10 min
//! cool-down; the zone time is one block, or intervals with easy recoveries (threshold 10 min
//! with half as long easy, VO2max 4 min with as long easy, anaerobic 1 min with twice as long
//! easy; `repeats` overrides the count). With a load the zone time is the whole number of
//! minutes whose compiled workout comes closest to it; the planned TSS is the compiler's.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::args::Sport;
use super::workout_args::{CompiledStructure, compile_structure};
use crate::tools::ToolError;

/// The sports this tool builds for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum IntensitySport {
    /// Bike (power by default).
    Bike,
    /// Run (heart rate).
    Run,
}

impl IntensitySport {
    /// The TrainingPeaks sport.
    pub(crate) fn sport(self) -> Sport {
        match self {
            IntensitySport::Bike => Sport::Bike,
            IntensitySport::Run => Sport::Run,
        }
    }
}

/// Training zones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Zone {
    /// Active recovery.
    Recovery,
    /// Endurance.
    Endurance,
    /// Tempo.
    Tempo,
    /// Threshold.
    Threshold,
    /// VO2max.
    Vo2max,
    /// Anaerobic capacity (power only).
    Anaerobic,
}

/// The target metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum IntensityMetricArg {
    /// % of FTP.
    Power,
    /// % of threshold heart rate.
    HeartRate,
}

impl IntensityMetricArg {
    /// The structure's `primaryIntensityMetric`.
    pub(crate) fn wire_name(self) -> &'static str {
        match self {
            IntensityMetricArg::Power => "percentOfFtp",
            IntensityMetricArg::HeartRate => "percentOfThresholdHr",
        }
    }

    /// What the percentages are of, in words.
    pub(crate) fn threshold_words(self) -> &'static str {
        match self {
            IntensityMetricArg::Power => "FTP",
            IntensityMetricArg::HeartRate => "threshold HR",
        }
    }
}

/// The metric asked for, else the sport's default (power for bikes, heart rate for runs).
pub(crate) fn metric_of(
    sport: IntensitySport,
    m: Option<IntensityMetricArg>,
) -> IntensityMetricArg {
    m.unwrap_or(match sport {
        IntensitySport::Bike => IntensityMetricArg::Power,
        IntensitySport::Run => IntensityMetricArg::HeartRate,
    })
}

/// The zone's name.
pub(crate) fn label(z: Zone) -> &'static str {
    match z {
        Zone::Recovery => "Recovery",
        Zone::Endurance => "Endurance",
        Zone::Tempo => "Tempo",
        Zone::Threshold => "Threshold",
        Zone::Vo2max => "VO2max",
        Zone::Anaerobic => "Anaerobic",
    }
}

/// The zone's target range, % of the threshold (spec §2.11; see the module docs).
pub(crate) fn range(z: Zone, m: IntensityMetricArg) -> (f64, f64) {
    match (m, z) {
        (IntensityMetricArg::Power, Zone::Recovery) => (45.0, 55.0),
        (IntensityMetricArg::Power, Zone::Endurance) => (56.0, 75.0),
        (IntensityMetricArg::Power, Zone::Tempo) => (76.0, 90.0),
        (IntensityMetricArg::Power, Zone::Threshold) => (91.0, 105.0),
        (IntensityMetricArg::Power, Zone::Vo2max) => (106.0, 120.0),
        (IntensityMetricArg::Power, Zone::Anaerobic) => (121.0, 150.0),
        (IntensityMetricArg::HeartRate, Zone::Recovery) => (60.0, 68.0),
        (IntensityMetricArg::HeartRate, Zone::Endurance) => (69.0, 83.0),
        (IntensityMetricArg::HeartRate, Zone::Tempo) => (84.0, 94.0),
        (IntensityMetricArg::HeartRate, Zone::Threshold) => (95.0, 105.0),
        // Refused in `check_request` for anaerobic; VO2max capped at 110 %.
        (IntensityMetricArg::HeartRate, Zone::Vo2max | Zone::Anaerobic) => (106.0, 110.0),
    }
}

/// Easy range for warm-up, recoveries and cool-down: power zone 1 / HR zone 1.
fn easy(m: IntensityMetricArg) -> (f64, f64) {
    match m {
        IntensityMetricArg::Power => (45.0, 55.0),
        IntensityMetricArg::HeartRate => (60.0, 68.0),
    }
}

/// Most minutes of a zone in one workout.
fn cap_minutes(z: Zone) -> f64 {
    match z {
        Zone::Recovery => 180.0,
        Zone::Endurance => 360.0,
        Zone::Tempo => 180.0,
        Zone::Threshold => 120.0,
        Zone::Vo2max => 60.0,
        Zone::Anaerobic => 20.0,
    }
}

/// Default interval length in minutes and recovery/work ratio (none: one block).
fn intervals(z: Zone) -> Option<(f64, f64)> {
    match z {
        Zone::Threshold => Some((10.0, 0.5)),
        Zone::Vo2max => Some((4.0, 1.0)),
        Zone::Anaerobic => Some((1.0, 2.0)),
        _ => None,
    }
}

/// What a by-intensity call asks for, as both tools take it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Request {
    pub sport: IntensitySport,
    pub zone: Zone,
    /// Load of the whole workout (TSS on TrainingPeaks, load on Intervals.icu).
    pub load: Option<f64>,
    pub zone_minutes: Option<f64>,
    pub repeats: Option<u32>,
    pub metric: Option<IntensityMetricArg>,
    /// The argument that carries the load (`tss`, `load`), for errors.
    pub load_field: &'static str,
}

/// Checks a request, naming the field at fault.
pub(crate) fn check_request(r: &Request, title: Option<&str>) -> Result<(), ToolError> {
    let lf = r.load_field;
    match (r.load, r.zone_minutes) {
        (Some(_), Some(_)) => {
            return Err(ToolError::invalid(
                "zone_minutes",
                format!("give {lf} or zone_minutes, not both"),
            ));
        }
        (None, None) => {
            return Err(ToolError::invalid(
                lf,
                format!(
                    "give a load ({lf}, e.g. 80) or a time in the zone (zone_minutes, e.g. 40)"
                ),
            ));
        }
        (Some(t), None) if !(t.is_finite() && (5.0..=400.0).contains(&t)) => {
            return Err(ToolError::invalid(
                lf,
                format!("{t} is out of range: 5 to 400"),
            ));
        }
        (None, Some(m)) => {
            if !(m.is_finite() && (1.0..=360.0).contains(&m)) {
                return Err(ToolError::invalid(
                    "zone_minutes",
                    format!("{m} is out of range: 1 to 360"),
                ));
            }
            let cap = cap_minutes(r.zone);
            if m > cap {
                return Err(ToolError::invalid(
                    "zone_minutes",
                    format!("at most {cap} minutes of {} in one workout", label(r.zone)),
                ));
            }
        }
        _ => {}
    }
    if let Some(n) = r.repeats
        && !(1..=30).contains(&n)
    {
        return Err(ToolError::invalid(
            "repeats",
            format!("{n} is out of range: 1 to 30"),
        ));
    }
    let metric = metric_of(r.sport, r.metric);
    if metric == IntensityMetricArg::Power && r.sport == IntensitySport::Run {
        return Err(ToolError::invalid(
            "metric",
            "power targets are for bikes; runs use heart_rate",
        ));
    }
    if metric == IntensityMetricArg::HeartRate && r.zone == Zone::Anaerobic {
        return Err(ToolError::invalid(
            "zone",
            "anaerobic efforts are too short for heart-rate targets (heart rate lags); use a bike with power, or vo2max",
        ));
    }
    if let Some(t) = title
        && t.trim().is_empty()
    {
        return Err(ToolError::invalid(
            "title",
            "must not be empty; omit it for the default",
        ));
    }
    Ok(())
}

/// A built workout.
pub(crate) struct Plan {
    pub compiled: CompiledStructure,
    pub zone_minutes: f64,
    pub repeats: u32,
    work_s: f64,
}

impl Plan {
    /// The default title, e.g. "Threshold 4×10 min".
    pub(crate) fn title(&self, z: Zone) -> String {
        if self.repeats > 1 {
            let w = self.work_s / 60.0;
            let w = if (w - w.round()).abs() < 1e-9 {
                format!("{w:.0}")
            } else {
                format!("{w:.1}")
            };
            format!("{} {}×{w} min", label(z), self.repeats)
        } else {
            format!("{} {:.0} min", label(z), self.zone_minutes)
        }
    }
}

/// The workout a checked request asks for.
pub(crate) fn plan(r: &Request) -> Result<Plan, ToolError> {
    let metric = metric_of(r.sport, r.metric);
    match (r.load, r.zone_minutes) {
        (_, Some(m)) => build(r.zone, metric, m.round().max(1.0), r.repeats),
        (Some(t), None) => for_load(r.zone, metric, t, r.repeats, r.load_field),
        (None, None) => Err(ToolError::invalid(
            r.load_field,
            format!("give {} or zone_minutes", r.load_field),
        )),
    }
}

/// The workout for `minutes` in the zone.
fn build(
    z: Zone,
    m: IntensityMetricArg,
    minutes: f64,
    repeats: Option<u32>,
) -> Result<Plan, ToolError> {
    let (lo, hi) = range(z, m);
    let (elo, ehi) = easy(m);
    let shape = intervals(z);
    let n = repeats.unwrap_or_else(|| match shape {
        Some((len, _)) => (minutes / len).round().max(1.0) as u32,
        None => 1,
    });
    let work_s = (minutes * 60.0 / f64::from(n)).round();
    let ratio = shape.map_or(0.5, |s| s.1);
    let rest_s = (work_s * ratio).round().max(60.0);
    let work = json!({"name": label(z), "duration_seconds": work_s, "intensity_min": lo,
                      "intensity_max": hi, "intensityClass": "active"});
    let mut steps = Vec::new();
    let framed = !matches!(z, Zone::Recovery | Zone::Endurance);
    if framed {
        steps.push(
            json!({"name": "Warm up", "duration_seconds": 600, "intensity_min": elo,
                          "intensity_max": ehi + 10.0, "intensityClass": "warmUp"}),
        );
    }
    if n > 1 {
        steps.push(json!({"type": "repetition", "reps": n, "steps": [work,
            {"name": "Easy", "duration_seconds": rest_s, "intensity_min": elo,
             "intensity_max": ehi, "intensityClass": "rest"}]}));
    } else {
        steps.push(work);
    }
    if framed {
        steps.push(
            json!({"name": "Cool down", "duration_seconds": 600, "intensity_min": elo,
                          "intensity_max": ehi, "intensityClass": "coolDown"}),
        );
    }
    let friendly = json!({"primaryIntensityMetric": m.wire_name(), "steps": steps});
    Ok(Plan {
        compiled: compile_structure(&friendly)?,
        zone_minutes: work_s * f64::from(n) / 60.0,
        repeats: n,
        work_s,
    })
}

/// The workout whose planned TSS comes closest to `load`, over whole minutes in the zone.
fn for_load(
    z: Zone,
    m: IntensityMetricArg,
    load: f64,
    repeats: Option<u32>,
    field: &str,
) -> Result<Plan, ToolError> {
    let cap = cap_minutes(z) as u32;
    let tss_of = |p: &Plan| p.compiled.metrics.map_or(0.0, |x| x.tss_planned);
    let mut best: Option<(f64, Plan)> = None;
    for minutes in 1..=cap {
        let p = build(z, m, f64::from(minutes), repeats)?;
        let t = tss_of(&p);
        let miss = (t - load).abs();
        if best.as_ref().is_none_or(|b| miss < b.0) {
            best = Some((miss, p));
        }
        // TSS grows with the zone time: once past the target, longer is only further off.
        if t > load {
            break;
        }
    }
    let (miss, plan) =
        best.ok_or_else(|| ToolError::invalid(field, "no workout could be built"))?;
    if miss > (load * 0.1).max(5.0) {
        let got = tss_of(&plan);
        return Err(ToolError::invalid(
            field,
            format!(
                "{load:.0} is out of reach for {} (closest: {got:.0} with {:.0} min in the zone, at most {cap} min); choose another zone or give zone_minutes",
                label(z),
                plan.zone_minutes
            ),
        ));
    }
    Ok(plan)
}
