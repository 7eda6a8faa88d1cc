//! Readiness from HRV, resting HR and sleep trends (spec §2.13).

use chrono::NaiveDate;
use serde::Serialize;

/// One day's logged metrics; any may be missing.
#[derive(Debug, Clone, PartialEq)]
pub struct DailyMetrics {
    /// The day.
    pub date: NaiveDate,
    /// Morning rMSSD in ms.
    pub rmssd_ms: Option<f64>,
    /// Resting heart rate in bpm.
    pub resting_hr_bpm: Option<f64>,
    /// Sleep in hours.
    pub sleep_h: Option<f64>,
}

/// A 7-day mean against its 60-day normal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    /// Mean of the last 7 days' values.
    pub recent_mean: f64,
    /// Values in the last 7 days.
    pub recent_count: usize,
    /// Mean over the 60-day baseline.
    pub baseline_mean: f64,
    /// Sample SD over the baseline.
    pub baseline_sd: f64,
    /// Values in the baseline.
    pub baseline_count: usize,
    /// (recent − baseline) / SD; 0 when SD is 0.
    pub z: f64,
}

/// The readiness read-out: the numbers and a plain verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Readiness {
    /// ln rMSSD trend (spec §2.13: work on ln rMSSD).
    pub ln_rmssd: Option<Trend>,
    /// Normal band for the 7-day ln rMSSD mean: baseline ± 0.5 SD (smallest worthwhile change).
    pub ln_rmssd_band: Option<(f64, f64)>,
    /// Resting HR trend.
    pub resting_hr: Option<Trend>,
    /// Sleep trend.
    pub sleep: Option<Trend>,
    /// "ready", "go easy" or "not enough data".
    pub verdict: &'static str,
    /// Why, in one or two sentences, with the numbers.
    pub reasons: Vec<String>,
}

/// Minimum values in the last 7 days (Plews et al. 2014: at least 3 valid measurements a week).
const MIN_RECENT: usize = 3;
/// Minimum values in the 60-day baseline (own choice: two weeks, so the SD means something).
const MIN_BASELINE: usize = 14;

fn trend(
    days: &[DailyMetrics],
    today: NaiveDate,
    pick: impl Fn(&DailyMetrics) -> Option<f64>,
) -> Option<Trend> {
    let age = |d: &DailyMetrics| (today - d.date).num_days();
    let vals = |max_age: i64| -> Vec<f64> {
        days.iter()
            .filter(|d| (0..max_age).contains(&age(d)))
            .filter_map(&pick)
            .filter(|x| x.is_finite())
            .collect()
    };
    let recent = vals(7);
    let base = vals(60);
    if recent.len() < MIN_RECENT || base.len() < MIN_BASELINE {
        return None;
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let rm = mean(&recent);
    let bm = mean(&base);
    let sd = (base.iter().map(|x| (x - bm).powi(2)).sum::<f64>() / (base.len() - 1) as f64).sqrt();
    Some(Trend {
        recent_mean: rm,
        recent_count: recent.len(),
        baseline_mean: bm,
        baseline_sd: sd,
        baseline_count: base.len(),
        z: if sd > 0.0 { (rm - bm) / sd } else { 0.0 },
    })
}

/// Readiness on the latest logged day (spec §2.13, the proposed local score):
/// - HRV: 7-day mean of ln rMSSD against the 60-day normal band, baseline mean ± 0.5 SD (SWC;
///   choice: the 60-day window including the last 7 days, as HRV4Training's "past 60 days");
/// - resting HR: 7-day mean against the 60-day mean (z, sign as measured: positive = elevated);
/// - sleep: 7-day mean against the 60-day mean.
///
/// Verdict: "go easy" when the HRV mean is below the band or resting HR is more than 1 SD above
/// normal (own threshold) or sleep is more than 1 SD below normal; "ready" otherwise;
/// "not enough data" without a usable HRV or resting-HR trend (3 values in 7 days, 14 in 60).
pub fn readiness(days: &[DailyMetrics]) -> Readiness {
    match days.iter().map(|d| d.date).max() {
        Some(today) => readiness_at(days, today),
        None => no_data(),
    }
}

fn no_data() -> Readiness {
    Readiness {
        ln_rmssd: None,
        ln_rmssd_band: None,
        resting_hr: None,
        sleep: None,
        verdict: "not enough data",
        reasons: vec!["no metrics logged".into()],
    }
}

/// [`readiness`] as of `today` rather than the latest logged day, so that metrics that stopped
/// being logged a while ago read as missing instead of current: the 7-day window is the 7 days
/// ending `today`, the 60-day baseline the 60 days ending `today`; later days are ignored.
pub fn readiness_at(days: &[DailyMetrics], today: NaiveDate) -> Readiness {
    if !days.iter().any(|d| d.date <= today) {
        return no_data();
    }
    let hrv = trend(days, today, |d| {
        d.rmssd_ms.filter(|x| *x > 0.0).map(f64::ln)
    });
    let rhr = trend(days, today, |d| d.resting_hr_bpm.filter(|x| *x > 0.0));
    let sleep = trend(days, today, |d| d.sleep_h.filter(|x| *x >= 0.0));
    let band = hrv.as_ref().map(|t| {
        (
            t.baseline_mean - 0.5 * t.baseline_sd,
            t.baseline_mean + 0.5 * t.baseline_sd,
        )
    });
    let mut reasons = Vec::new();
    let mut easy = false;
    if let (Some(t), Some((lo, hi))) = (&hrv, band) {
        if t.recent_mean < lo {
            easy = true;
            reasons.push(format!(
                "HRV below normal: 7-day ln rMSSD {:.2} under the band {lo:.2}-{hi:.2}",
                t.recent_mean
            ));
        } else {
            reasons.push(format!(
                "HRV normal or high: 7-day ln rMSSD {:.2} against the band {lo:.2}-{hi:.2}",
                t.recent_mean
            ));
        }
    }
    if let Some(t) = &rhr
        && t.z > 1.0
    {
        easy = true;
        reasons.push(format!(
            "resting HR elevated: 7-day mean {:.1} bpm vs normal {:.1} (z {:.1})",
            t.recent_mean, t.baseline_mean, t.z
        ));
    }
    if let Some(t) = &sleep
        && t.z < -1.0
    {
        easy = true;
        reasons.push(format!(
            "sleep short: 7-day mean {:.1} h vs normal {:.1} h",
            t.recent_mean, t.baseline_mean
        ));
    }
    let verdict = if hrv.is_none() && rhr.is_none() {
        reasons.push(format!(
            "need at least {MIN_RECENT} HRV or resting-HR values in the last 7 days and {MIN_BASELINE} in 60"
        ));
        "not enough data"
    } else if easy {
        "go easy"
    } else {
        "ready"
    };
    Readiness {
        ln_rmssd: hrv,
        ln_rmssd_band: band,
        resting_hr: rhr,
        sleep,
        verdict,
        reasons,
    }
}
