//! Planned metrics computed from a structure, with the reference's exact formulas
//! (`computeStructureMetrics`, fixed by the conformance vectors):
//!
//! - per step, the midpoint `(min + max) / 2` of the primary target (a single-value target uses
//!   its value); steps without a primary target add 0 but still count in the total time;
//! - `weighted = Σ reps × seconds × midpoint⁴`;
//! - `IF = round((weighted / totalSeconds)^¼) / 100` (2 decimals);
//! - `TSS = round(totalSeconds × IF² × 100 / 3600, 1 decimal)`;
//! - `energy (kJ) = round(ftp × IF × totalSeconds / 1000, 2 decimals)`, only with an FTP.
//!
//! Decisions beyond the reference:
//! - **Distance-based structures** (`primaryLengthMetric: "distance"`, or any step measured in
//!   metres or miles) have no planned duration without a pace model, so [`metrics`] returns
//!   `None` rather than treating metres as seconds; [`planned_distance_meters`] gives their
//!   total distance instead.
//! - **Heart-rate and pace metrics** use the same IF/TSS formula (IF = intensity relative to
//!   threshold, as TrainingPeaks' hrTSS/rTSS estimates do); energy is only reported for
//!   `percentOfFtp`, since kJ from % threshold HR or pace would be meaningless.
//! - **Open-duration steps** count with their planned estimate, like any other step.
//! - The total is recomputed from the steps (Σ reps × Σ lengths), not read from a possibly
//!   stale `end`; for compiled structures the two are identical.

use super::wire::{IntensityMetric, LengthMetric, LengthUnit, Structure, Target, ser_num};
use serde::{Deserialize, Serialize, Serializer};

/// Planned duration, intensity factor, training stress and energy of a time-based structure.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlannedMetrics {
    /// Total planned time in seconds.
    #[serde(serialize_with = "ser_num")]
    pub total_seconds: f64,
    /// Total planned time in hours (what `totalTimePlanned` takes on the wire).
    pub total_hours: f64,
    /// Planned intensity factor, 2 decimals.
    #[serde(serialize_with = "ser_num")]
    pub if_planned: f64,
    /// Planned TSS, 1 decimal.
    #[serde(serialize_with = "ser_num")]
    pub tss_planned: f64,
    /// Planned energy in kJ (2 decimals) when an FTP was given and targets are % FTP.
    #[serde(serialize_with = "ser_opt")]
    pub energy_planned: Option<f64>,
}

fn ser_opt<S: Serializer>(x: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match x {
        Some(x) => ser_num(x, s),
        None => s.serialize_none(),
    }
}

/// Computes the planned metrics of a time-based structure.
///
/// Returns `None` for an empty or zero-length structure and for distance-based structures
/// (see the module docs). `ftp_watts` (ignored unless positive and finite) adds energy for
/// `percentOfFtp` structures.
pub fn metrics(s: &Structure, ftp_watts: Option<f64>) -> Option<PlannedMetrics> {
    if s.structure.is_empty() || s.primary_length_metric == LengthMetric::Distance {
        return None;
    }
    let mut total = 0.0f64;
    let mut weighted = 0.0f64;
    for b in &s.structure {
        let reps = b.repeats();
        let mut inner = 0.0f64;
        for step in &b.steps {
            if step.length.unit != LengthUnit::Second {
                return None;
            }
            inner += step.length.value;
            if let Some(mid) = step.primary().and_then(Target::midpoint) {
                weighted += reps * step.length.value * mid.powf(4.0);
            }
        }
        total += reps * inner;
    }
    if total <= 0.0 || !total.is_finite() {
        return None;
    }
    let np = (weighted / total).powf(0.25);
    // Same operation order as the reference so that results match to the last bit.
    let if_planned = ((np / 100.0) * 100.0).round() / 100.0;
    let tss_planned =
        (((total * (if_planned * if_planned) * 100.0) / 3600.0) * 10.0).round() / 10.0;
    let energy_planned = match (ftp_watts, s.primary_intensity_metric) {
        (Some(ftp), IntensityMetric::PercentOfFtp) if ftp > 0.0 && ftp.is_finite() => {
            Some((ftp * if_planned * (total / 1000.0) * 100.0).round() / 100.0)
        }
        _ => None,
    };
    Some(PlannedMetrics {
        total_seconds: total,
        total_hours: total / 3600.0,
        if_planned,
        tss_planned,
        energy_planned,
    })
}

/// Total planned distance in metres of a distance-based structure; `None` for time-based ones.
pub fn planned_distance_meters(s: &Structure) -> Option<f64> {
    if s.primary_length_metric != LengthMetric::Distance {
        return None;
    }
    let mut total = 0.0;
    for b in &s.structure {
        let mut inner = 0.0;
        for step in &b.steps {
            if step.length.unit == LengthUnit::Second {
                return None;
            }
            inner += step.length.value * step.length.unit.to_base();
        }
        total += b.repeats() * inner;
    }
    (total > 0.0).then_some(total)
}

#[cfg(test)]
mod tests {
    use crate::structure::{compile_value, metrics};
    use serde_json::json;

    fn workout(metric: &str) -> serde_json::Value {
        json!({"primaryIntensityMetric": metric, "steps": [
            {"duration_seconds": 1200, "intensity_min": 40, "intensity_max": 50},
            {"type": "repetition", "reps": 4, "steps": [
                {"duration_seconds": 360, "intensity_min": 85, "intensity_max": 95},
                {"duration_seconds": 180, "intensity_min": 50, "intensity_max": 60}]},
            {"duration_seconds": 300, "intensity_min": 50, "intensity_max": 60},
            {"duration_seconds": 600, "intensity_min": 40, "intensity_max": 50}]})
    }

    #[test]
    fn metrics_per_intensity_metric() {
        // (metric, ftp, IF, TSS, energy): IF/TSS use one formula for all three metrics; energy
        // only exists for % FTP with an FTP.
        let cases = [
            ("percentOfFtp", None, 0.71, 59.7, None),
            ("percentOfFtp", Some(300.0), 0.71, 59.7, Some(907.38)),
            ("percentOfFtp", Some(0.0), 0.71, 59.7, None),
            ("percentOfThresholdHr", Some(300.0), 0.71, 59.7, None),
            ("percentOfThresholdPace", None, 0.71, 59.7, None),
        ];
        for (metric, ftp, if_, tss, energy) in cases {
            let s = compile_value(&workout(metric)).expect("compiles");
            let m = metrics(&s, ftp).expect("metrics");
            assert_eq!(m.total_seconds, 4260.0, "{metric}");
            assert_eq!(m.total_hours, 4260.0 / 3600.0, "{metric}");
            assert_eq!(
                (m.if_planned, m.tss_planned, m.energy_planned),
                (if_, tss, energy),
                "{metric} {ftp:?}"
            );
        }
    }

    #[test]
    fn steps_without_target_count_in_time_only() {
        let s = compile_value(&json!({"steps": [
            {"duration_seconds": 1800, "intensity_min": 100, "intensity_max": 100},
            {"duration_seconds": 1800}]}))
        .expect("compiles");
        let m = metrics(&s, None).expect("metrics");
        // (0.5 × 100⁴)^¼ = 84.09 → IF 0.84; TSS = 3600 × 0.84² × 100 / 3600 = 70.6
        assert_eq!(
            (m.total_seconds, m.if_planned, m.tss_planned),
            (3600.0, 0.84, 70.6)
        );
        let j = serde_json::to_string(&m).expect("serialises");
        assert_eq!(
            j,
            r#"{"totalSeconds":3600,"totalHours":1.0,"ifPlanned":0.84,"tssPlanned":70.6,"energyPlanned":null}"#
        );
    }
}
