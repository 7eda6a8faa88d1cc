//! Time in zone and Seiler polarisation summed over many activities, by sport: the
//! aggregation of `get_training_distribution` (the per-activity zone times come from
//! [`super::activity_metrics::metrics`]). Used whole by the Intervals.icu tool; the
//! TrainingPeaks tool of that name sums with it too and copies the result into its own
//! per-sport output (counted in workouts), with the text lines from here.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Serialize;

use super::activity_metrics::{Metrics, PolarisationView, clock_time};
use crate::analysis::zones;
use crate::tools::intervals::common::round;

/// One sport's distribution.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SportDistribution {
    /// Sport.
    pub sport: String,
    /// Activities with a recording counted.
    pub activities: usize,
    /// Seconds in Coggan power zones 1–7 (activities with power and an FTP).
    pub power_zones_s: Option<Vec<f64>>,
    /// Seconds in HR zones 1–5 (activities with heart rate and an LTHR).
    pub hr_zones_s: Option<Vec<f64>>,
    /// Seconds in the athlete's pace zones for the sport (runs, swims), slowest zone first.
    pub pace_zones_s: Option<Vec<f64>>,
    /// Polarisation of the power-zone time, else of the HR-zone time.
    pub polarisation: Option<PolarisationView>,
    /// Total training load of the activities read, each scored as get_activity_analysis does
    /// (power TSS, else rTSS, swim TSS or hrTSS); null when none could be scored.
    pub load: Option<f64>,
    /// How many activities each load metric scored, e.g. `rTSS × 3`.
    pub load_metrics: Vec<String>,
}

#[derive(Default)]
struct Acc {
    activities: usize,
    power: Option<[f64; 7]>,
    hr: Option<[f64; 5]>,
    pace: Option<Vec<f64>>,
    load: Option<f64>,
    metrics: BTreeMap<String, usize>,
}

/// Adds one activity's zone seconds `z`, when it has any, to the sum `acc`.
pub(crate) fn add_zones<const N: usize>(acc: &mut Option<[f64; N]>, z: Option<&Vec<f64>>) {
    if let Some(z) = z {
        let a = acc.get_or_insert([0.0; N]);
        for (x, y) in a.iter_mut().zip(z) {
            *x += y;
        }
    }
}

/// Zone seconds summed per sport.
#[derive(Default)]
pub(crate) struct Distribution(BTreeMap<String, Acc>);

impl Distribution {
    /// Adds one activity's whole-activity metrics under `sport`.
    pub(crate) fn add(&mut self, sport: &str, m: &Metrics) {
        let acc = self.0.entry(sport.to_string()).or_default();
        acc.activities += 1;
        add_zones(&mut acc.power, m.time_in_power_zones_s.as_ref());
        add_zones(&mut acc.hr, m.time_in_hr_zones_s.as_ref());
        if let Some(z) = &m.time_in_pace_zones_s {
            // Pace-zone counts can differ between sets; the sum is as long as the longest.
            let a = acc.pace.get_or_insert_with(Vec::new);
            if a.len() < z.len() {
                a.resize(z.len(), 0.0);
            }
            a.iter_mut().zip(z).for_each(|(x, y)| *x += y);
        }
        if let Some(l) = &m.load {
            *acc.load.get_or_insert(0.0) += l.score;
            *acc.metrics.entry(l.metric.clone()).or_default() += 1;
        }
    }

    /// The sums by sport, with the polarisation of each (power when there is power time,
    /// else heart rate: Z1+2 / Z3+4 / Z5).
    pub(crate) fn finish(self) -> Vec<SportDistribution> {
        self.0
            .into_iter()
            .map(|(sport, a)| {
                let pol = polarisation(a.power.as_ref(), a.hr.as_ref());
                SportDistribution {
                    sport,
                    activities: a.activities,
                    power_zones_s: a.power.map(|z| z.to_vec()),
                    hr_zones_s: a.hr.map(|z| z.to_vec()),
                    pace_zones_s: a.pace,
                    polarisation: pol,
                    load: a.load.map(|l| round(l, 1)),
                    load_metrics: a
                        .metrics
                        .iter()
                        .map(|(k, n)| format!("{k} × {n}"))
                        .collect(),
                }
            })
            .collect()
    }
}

/// The polarisation of summed zone times: of the power zones when there is power time, else of
/// the HR zones (Z1+2 / Z3+4 / Z5).
pub(crate) fn polarisation(
    power: Option<&[f64; 7]>,
    hr: Option<&[f64; 5]>,
) -> Option<PolarisationView> {
    let view = |basis: &str, p: zones::Polarisation| PolarisationView {
        basis: basis.into(),
        percent: p.fractions.map(|f| round(f * 100.0, 1)),
        polarization_index: p.polarization_index.map(|v| round(v, 2)),
        polarized: p.polarized,
    };
    match (power, hr) {
        (Some(p), _) => zones::polarisation(p).map(|p| view("power", p)),
        (None, Some(h)) => {
            zones::polarisation_3([h[0] + h[1], h[2] + h[3], h[4]]).map(|p| view("heart_rate", p))
        }
        _ => None,
    }
}

/// One zone-time line of the text: each zone's time and share of the total.
pub(crate) fn zone_line(z: &[f64]) -> String {
    let total: f64 = z.iter().sum();
    z.iter()
        .enumerate()
        .map(|(i, s)| {
            let pct = if total > 0.0 { s / total * 100.0 } else { 0.0 };
            format!("Z{} {} ({pct:.0} %)", i + 1, clock_time(*s))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The text's Seiler line of a polarisation, from its leading newline.
pub(crate) fn seiler_line(p: &PolarisationView) -> String {
    format!(
        "\n  Seiler ({}): low {} %, mid {} %, high {} %, PI {}{}",
        p.basis,
        p.percent[0],
        p.percent[1],
        p.percent[2],
        p.polarization_index
            .map_or("undefined".into(), |v| v.to_string()),
        if p.polarized { " (polarized)" } else { "" }
    )
}

/// The text lines of one sport's distribution.
pub(crate) fn sport_text(s: &SportDistribution) -> String {
    let mut t = format!("{} ({} activities):", s.sport, s.activities);
    if let Some(z) = &s.power_zones_s {
        t.push_str(&format!("\n  power: {}", zone_line(z)));
    }
    if let Some(z) = &s.hr_zones_s {
        t.push_str(&format!("\n  HR: {}", zone_line(z)));
    }
    if let Some(z) = &s.pace_zones_s {
        t.push_str(&format!("\n  pace: {}", zone_line(z)));
    }
    if let Some(l) = s.load {
        t.push_str(&format!("\n  load {l} ({})", s.load_metrics.join(", ")));
    }
    if let Some(p) = &s.polarisation {
        t.push_str(&seiler_line(p));
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polarisation_takes_power_time_first_and_falls_back_to_heart_rate() {
        let power = [600.0, 600.0, 300.0, 300.0, 100.0, 50.0, 50.0];
        let hr = [100.0, 100.0, 50.0, 50.0, 100.0];
        let p = polarisation(Some(&power), Some(&hr)).expect("power time polarises");
        assert_eq!(p.basis, "power");
        let h = polarisation(None, Some(&hr)).expect("HR time polarises");
        assert_eq!(h.basis, "heart_rate");
        // Z1+2 / Z3+4 / Z5 of 400 s of heart-rate time.
        assert_eq!(h.percent, [50.0, 25.0, 25.0]);
        assert!(polarisation(None, None).is_none());
    }

    #[test]
    fn a_zone_line_gives_each_zone_its_share() {
        assert_eq!(zone_line(&[0.0, 0.0]), "Z1 0:00:00 (0 %), Z2 0:00:00 (0 %)");
        assert!(zone_line(&[60.0, 180.0]).ends_with("(75 %)"));
    }
}
