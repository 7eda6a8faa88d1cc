//! What the race-prediction tools share (`predict_race` on TrainingPeaks and on
//! Intervals.icu): the output, the predictions from a set of bests (shared analytics spec
//! §2.12 running, §2.8 cycling, through [`crate::analysis::predict`] and
//! [`crate::analysis::models::cp2`]) and the text. Each tool only gathers its platform's bests.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::analysis::models::cp2;
use crate::analysis::predict::{
    Prediction, fit_riegel_exponent, riegel, tt_power, vdot, vdot_prediction,
};

/// Running distances read from the platform (record type on TrainingPeaks, metres).
pub(crate) const RUN_DISTANCES: [(&str, f64); 7] = [
    ("speed1Mi", 1609.344),
    ("speed5K", 5000.0),
    ("speed5Mi", 8046.72),
    ("speed10K", 10000.0),
    ("speed10Mi", 16093.44),
    ("speedHalfMarathon", 21097.5),
    ("speedMarathon", 42195.0),
];
/// Power durations for the CP fit (record type on TrainingPeaks, seconds): the 3–20 min window
/// of the 2-parameter model (spec §2.8).
pub(crate) const BIKE_DURATIONS: [(&str, f64); 3] = [
    ("power5min", 300.0),
    ("power10min", 600.0),
    ("power20min", 1200.0),
];
pub(crate) const DEFAULT_RUN_KM: [f64; 4] = [5.0, 10.0, 21.0975, 42.195];
pub(crate) const DEFAULT_TT_MIN: [f64; 3] = [20.0, 40.0, 60.0];
pub(crate) const DEFAULT_RECENT_DAYS: u32 = 180;

/// The sport to predict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RaceSport {
    /// Running race times.
    Run,
    /// Cycling time-trial power.
    Bike,
}

/// One best effort used.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct BestUsed {
    /// Distance in metres (running; absent for cycling).
    pub distance_m: Option<f64>,
    /// The time in seconds: the running best's time, or the cycling record's duration.
    pub time_s: f64,
    /// Power in watts (cycling).
    pub power_w: Option<f64>,
    /// The record type (e.g. `speed5K`, `power20min`) or "given".
    pub kind: String,
    /// VDOT of the effort (running, 4 min to 4 h efforts).
    pub vdot: Option<f64>,
    /// The day, `YYYY-MM-DD`, when known.
    pub date: Option<String>,
    /// The workout it came from, when known.
    pub workout_id: Option<i64>,
    /// The workout's title, when known.
    pub workout_title: Option<String>,
    /// The Intervals.icu activity it came from, when known.
    pub activity_id: Option<String>,
}

/// One prediction: the figure, the method, what it used and its limits.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct PredictionOut {
    /// `riegel`, `vdot` or `critical_power`.
    pub method: String,
    /// Predicted time, seconds (running).
    pub time_s: Option<f64>,
    /// Predicted time as `H:MM:SS` (running).
    pub time: Option<String>,
    /// Predicted average power, watts (cycling).
    pub power_w: Option<f64>,
    /// The inputs it used, SI units (metres, seconds, watts, joules).
    pub inputs: Vec<NamedValue>,
    /// When not to trust it.
    pub limits: String,
}

/// A named number.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct NamedValue {
    /// The name, e.g. `best_distance_m`.
    pub name: String,
    /// The value.
    pub value: f64,
}

/// Predictions for one running distance.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct RunTarget {
    /// The race distance, metres.
    pub distance_m: f64,
    /// Riegel's prediction, if a best was usable.
    pub riegel: Option<PredictionOut>,
    /// VDOT's prediction, if a 4 min – 4 h best was usable.
    pub vdot: Option<PredictionOut>,
}

/// Running predictions.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct RunPredictions {
    /// The bests used.
    pub bests: Vec<BestUsed>,
    /// The Riegel exponent used.
    pub riegel_exponent: f64,
    /// The exponent fitted to the athlete's own bests (log-log regression), when there are
    /// two distances or more; pass it as `riegel_exponent` to use it.
    pub fitted_exponent: Option<f64>,
    /// One entry per distance.
    pub targets: Vec<RunTarget>,
    /// Limits common to all.
    pub limits: String,
}

/// Cycling predictions.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct BikePredictions {
    /// The power records used for the fit (empty when CP was given).
    pub bests: Vec<BestUsed>,
    /// Critical power, watts.
    pub cp_w: Option<f64>,
    /// W′, joules.
    pub w_prime_j: Option<f64>,
    /// "given" or "fit to power records (2-parameter, 3–20 min)".
    pub cp_source: String,
    /// One prediction per duration.
    pub targets: Vec<PredictionOut>,
}

/// The predictions.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PredictRaceOutput {
    /// Bests counted from this day, `YYYY-MM-DD`.
    pub since: String,
    /// Running, unless only bike was asked for.
    pub run: Option<RunPredictions>,
    /// Cycling, unless only run was asked for.
    pub bike: Option<BikePredictions>,
}

/// Running predictions for each distance (km) from the bests, Riegel with exponent `b`.
pub(crate) fn run_predictions(
    bests: Vec<BestUsed>,
    km: &[f64],
    b: f64,
    limits: String,
) -> RunPredictions {
    let pairs: Vec<(f64, f64)> = bests
        .iter()
        .filter_map(|x| Some((x.distance_m?, x.time_s)))
        .collect();
    let targets = km
        .iter()
        .map(|k| {
            let m = k * 1000.0;
            RunTarget {
                distance_m: m,
                riegel: riegel(&pairs, m, b).map(|p| out_of(&p)),
                vdot: vdot_prediction(&pairs, m).map(|p| out_of(&p)),
            }
        })
        .collect();
    RunPredictions {
        fitted_exponent: fit_riegel_exponent(&pairs).map(|x| (x * 1000.0).round() / 1000.0),
        bests,
        riegel_exponent: b,
        targets,
        limits,
    }
}

/// The CP fit of power bests (duration in `time_s`, watts in `power_w`).
pub(crate) fn fit_cp(bests: &[BestUsed]) -> Option<(f64, f64)> {
    let points: Vec<(f64, f64)> = bests
        .iter()
        .filter_map(|b| Some((b.time_s, b.power_w?)))
        .collect();
    cp2(&points).map(|f| (f.cp_w, f.w_prime_j))
}

/// Cycling predictions for each duration (minutes) from CP and W′.
pub(crate) fn bike_predictions(
    bests: Vec<BestUsed>,
    cp: Option<(f64, f64)>,
    source: String,
    minutes: &[f64],
) -> BikePredictions {
    let targets = match cp {
        Some((c, w)) => minutes
            .iter()
            .filter_map(|m| tt_power(c, w, m * 60.0).map(|p| out_of(&p)))
            .collect(),
        None => Vec::new(),
    };
    BikePredictions {
        bests,
        cp_w: cp.map(|c| (c.0 * 10.0).round() / 10.0),
        w_prime_j: cp.map(|c| c.1.round()),
        cp_source: source,
        targets,
    }
}

/// VDOT where the spec's 4 min – 4 h window allows it.
pub(crate) fn usable_vdot(d: f64, t: f64) -> Option<f64> {
    (240.0..=14400.0)
        .contains(&t)
        .then(|| vdot(d, t))
        .flatten()
        .map(|v| (v * 10.0).round() / 10.0)
}

pub(crate) fn out_of(p: &Prediction) -> PredictionOut {
    PredictionOut {
        method: p.method.to_string(),
        time_s: p.time_s.map(|t| (t * 10.0).round() / 10.0),
        time: p.time_s.map(clock),
        power_w: p.power_w.map(|w| (w * 10.0).round() / 10.0),
        inputs: p
            .inputs
            .iter()
            .map(|(n, v)| NamedValue {
                name: n.clone(),
                value: (v * 1000.0).round() / 1000.0,
            })
            .collect(),
        limits: p.limits.to_string(),
    }
}

/// Seconds as `H:MM:SS` or `M:SS`.
pub(crate) fn clock(t: f64) -> String {
    let s = t.round() as i64;
    let (h, m, s) = (s / 3600, s / 60 % 60, s % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

fn km(m: f64) -> String {
    let k = m / 1000.0;
    if (k - k.round()).abs() < 1e-9 {
        format!("{k:.0} km")
    } else {
        format!("{k:.1} km")
    }
}

pub(crate) fn text(out: &PredictRaceOutput) -> String {
    let mut lines = Vec::new();
    if let Some(run) = &out.run {
        if run.bests.is_empty() {
            lines.push(format!(
                "Running: no best efforts since {}; give results with bests to predict.",
                out.since
            ));
        } else {
            let used: Vec<String> = run
                .bests
                .iter()
                .map(|b| {
                    format!(
                        "{} in {}{}{}",
                        b.distance_m.map_or_else(String::new, km),
                        clock(b.time_s),
                        b.date
                            .as_deref()
                            .map(|d| format!(" ({d})"))
                            .unwrap_or_default(),
                        b.vdot.map(|v| format!(" VDOT {v:.1}")).unwrap_or_default()
                    )
                })
                .collect();
            lines.push(format!("Running bests used: {}.", used.join("; ")));
            for t in &run.targets {
                let r = t
                    .riegel
                    .as_ref()
                    .and_then(|p| p.time.clone())
                    .unwrap_or_else(|| "—".into());
                let v = t
                    .vdot
                    .as_ref()
                    .and_then(|p| p.time.clone())
                    .unwrap_or_else(|| "—".into());
                lines.push(format!("  {}: Riegel {r} · VDOT {v}", km(t.distance_m)));
            }
            lines.push(format!(
                "Riegel exponent {:.2}{}.",
                run.riegel_exponent,
                run.fitted_exponent
                    .map(|b| format!(" (fitted to these bests: {b:.3})"))
                    .unwrap_or_default()
            ));
            if let Some(p) = run.targets.iter().find_map(|t| t.riegel.as_ref()) {
                lines.push(format!("Limits (Riegel): {}", p.limits));
            }
            if let Some(p) = run.targets.iter().find_map(|t| t.vdot.as_ref()) {
                lines.push(format!("Limits (VDOT): {}", p.limits));
            }
            lines.push(run.limits.clone());
        }
    }
    if let Some(bike) = &out.bike {
        match (bike.cp_w, bike.w_prime_j) {
            (Some(cp), Some(wp)) => {
                let pts: Vec<String> = bike
                    .bests
                    .iter()
                    .filter_map(|b| Some(format!("{} {:.0} W", clock(b.time_s), b.power_w?)))
                    .collect();
                lines.push(format!(
                    "Cycling: CP {cp:.0} W, W′ {:.1} kJ ({}{}).",
                    wp / 1000.0,
                    bike.cp_source,
                    if pts.is_empty() { String::new() } else { format!(": {}", pts.join(", ")) }
                ));
                for t in &bike.targets {
                    let d = t.inputs.iter().find(|i| i.name == "duration_s").map_or(0.0, |i| i.value);
                    lines.push(format!(
                        "  {} min TT: {:.0} W",
                        (d / 60.0).round(),
                        t.power_w.unwrap_or(0.0)
                    ));
                }
                if let Some(t) = bike.targets.first() {
                    lines.push(format!("Limits (CP): {}", t.limits));
                }
            }
            _ => lines.push(format!(
                "Cycling: no critical power: need 5, 10 and 20 min power records since {} (found {}), or give cp_w and w_prime_j.",
                out.since,
                bike.bests.len()
            )),
        }
    }
    lines.join("\n")
}

/// A number within its documented range, or an error naming the field.
pub(crate) fn in_range(
    field: String,
    x: f64,
    lo: f64,
    hi: f64,
    what: &str,
) -> Result<(), crate::tools::ToolError> {
    if x.is_finite() && (lo..=hi).contains(&x) {
        Ok(())
    } else {
        Err(crate::tools::ToolError::invalid(
            field,
            format!("{x} is out of range: {what}"),
        ))
    }
}

/// The argument checks both platforms' `predict_race` share, in this order: the run
/// distances, the time-trial durations, `recent_days` and `riegel_exponent`. With
/// `non_empty`, an empty distance or duration list is an error too (right after its items).
pub(crate) fn check_shared(
    run_distances_km: Option<&[f64]>,
    tt_minutes: Option<&[f64]>,
    recent_days: Option<u32>,
    riegel_exponent: Option<f64>,
    non_empty: bool,
) -> Result<(), crate::tools::ToolError> {
    use crate::tools::ToolError;
    for (i, d) in run_distances_km.iter().copied().flatten().enumerate() {
        in_range(
            format!("run_distances_km[{i}]"),
            *d,
            0.8,
            100.0,
            "km, 0.8 to 100",
        )?;
    }
    if non_empty && run_distances_km.is_some_and(<[f64]>::is_empty) {
        return Err(ToolError::invalid(
            "run_distances_km",
            "give at least one distance or omit it",
        ));
    }
    for (i, m) in tt_minutes.iter().copied().flatten().enumerate() {
        in_range(
            format!("tt_minutes[{i}]"),
            *m,
            1.0,
            240.0,
            "minutes, 1 to 240",
        )?;
    }
    if non_empty && tt_minutes.is_some_and(<[f64]>::is_empty) {
        return Err(ToolError::invalid(
            "tt_minutes",
            "give at least one duration or omit it",
        ));
    }
    if let Some(d) = recent_days {
        in_range(
            "recent_days".into(),
            f64::from(d),
            14.0,
            3650.0,
            "days, 14 to 3650",
        )?;
    }
    if let Some(b) = riegel_exponent {
        in_range(
            "riegel_exponent".into(),
            b,
            1.0,
            1.3,
            "1.0 to 1.3 (1.06 is usual)",
        )?;
    }
    Ok(())
}
