//! The one-activity summary: every metric of §2 that the inputs allow, under stable snake_case
//! keys in SI units (the `paceline analyze stream` output).

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::{Streams, has_data, meanmax, models, session, zones};

/// The athlete's thresholds; each enables the metrics that need it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Thresholds {
    /// Functional threshold power (W): IF, TSS, power zones.
    pub ftp_w: Option<f64>,
    /// Lactate-threshold heart rate (bpm): HR zones.
    pub lthr_bpm: Option<f64>,
    /// Critical power (W): W′ balance.
    pub cp_w: Option<f64>,
    /// W′ (J): W′ balance.
    pub w_prime_j: Option<f64>,
}

/// Durations reported in [`Summary::mean_max_power_w`], in seconds.
pub const SUMMARY_DURATIONS_S: [u32; 13] = [
    1, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 5400, 7200,
];

/// One activity's summary; a key is absent when the input lacks what it needs.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    /// Elapsed seconds.
    pub duration_s: f64,
    /// Average power (W), §2.1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub avg_power_w: Option<f64>,
    /// Normalized Power (W), §2.1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub np_w: Option<f64>,
    /// Intensity Factor, §2.1.
    #[serde(rename = "if", skip_serializing_if = "Option::is_none")]
    pub intensity_factor: Option<f64>,
    /// Training Stress Score, §2.1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tss: Option<f64>,
    /// Variability Index, §2.1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vi: Option<f64>,
    /// Efficiency Factor (NP / avg HR), §2.1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ef: Option<f64>,
    /// Work (kJ), §2.1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub work_kj: Option<f64>,
    /// Pw:HR (or Pa:HR) decoupling (%), §2.10.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decoupling_pct: Option<f64>,
    /// Best power at the standard durations that fit, §2.7.
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        serialize_with = "as_duration_map"
    )]
    pub mean_max_power_w: Vec<(u32, f64)>,
    /// Lowest W′ balance (J), §2.9.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub w_bal_min_j: Option<f64>,
    /// Seconds in Coggan power zones 1–7, §2.11.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_in_power_zones_s: Option<[f64; 7]>,
    /// Seconds in HR zones 1–5, §2.11.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_in_hr_zones_s: Option<[f64; 5]>,
}

/// `{"1": w, "5": w, …}` in ascending duration order.
fn as_duration_map<S: Serializer>(v: &[(u32, f64)], s: S) -> Result<S::Ok, S::Error> {
    let mut m = s.serialize_map(Some(v.len()))?;
    for (d, w) in v {
        m.serialize_entry(&d.to_string(), w)?;
    }
    m.end()
}

/// Computes the summary of one activity (each field's formula is documented on the function it
/// calls).
pub fn summarize(s: &Streams, t: &Thresholds) -> Summary {
    let dt = s.dt();
    let has_power = has_data(&s.power_w);
    let mean_max_power_w = if has_power {
        let curve = meanmax::mean_max(&s.power_w, dt);
        SUMMARY_DURATIONS_S
            .iter()
            .filter_map(|&d| curve.at(f64::from(d)).map(|w| (d, w)))
            .collect()
    } else {
        Vec::new()
    };
    let w_bal_min_j = match (t.cp_w, t.w_prime_j) {
        (Some(cp), Some(wp)) => models::w_prime_balance_min(&s.power_w, dt, cp, wp),
        _ => None,
    };
    Summary {
        duration_s: s.duration_s(),
        avg_power_w: session::avg_power(s),
        np_w: session::normalized_power(s),
        intensity_factor: t.ftp_w.and_then(|f| session::intensity_factor(s, f)),
        tss: t.ftp_w.and_then(|f| session::tss(s, f)),
        vi: session::variability_index(s),
        ef: session::efficiency_factor(s),
        work_kj: session::work_kj(s),
        decoupling_pct: session::decoupling_pct(s),
        mean_max_power_w,
        w_bal_min_j,
        time_in_power_zones_s: t
            .ftp_w
            .filter(|_| has_power)
            .and_then(|f| zones::time_in_power_zones(&s.power_w, dt, f)),
        time_in_hr_zones_s: t
            .lthr_bpm
            .filter(|_| has_data(&s.heart_rate_bpm))
            .and_then(|l| zones::time_in_hr_zones(&s.heart_rate_bpm, dt, l)),
    }
}
