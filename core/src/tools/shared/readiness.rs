//! What the readiness tools share (`get_readiness` on TrainingPeaks, `get_readiness` on
//! Intervals.icu): the read-out of [`crate::analysis::readiness::readiness_at`] (shared
//! analytics spec §2.13) with the numbers behind it, and its text. Each tool only turns its
//! platform's metrics into [`DailyMetrics`] and its chart into [`LoadOut`].

use schemars::JsonSchema;
use serde::Serialize;

use chrono::NaiveDate;

use crate::analysis::readiness::{DailyMetrics, Trend, readiness_at};

/// Days of baseline (spec §2.13: HRV4Training's 60-day normal).
pub(crate) const BASELINE_DAYS: i64 = 60;

/// A metric's last 7 days against its 60-day normal.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct TrendOut {
    /// Mean of the last 7 days' values.
    pub recent_mean: f64,
    /// Values in the last 7 days.
    pub recent_count: usize,
    /// Mean over the 60 days.
    pub baseline_mean: f64,
    /// Sample standard deviation over the 60 days.
    pub baseline_sd: f64,
    /// Values in the 60 days.
    pub baseline_count: usize,
    /// (recent − baseline) / SD.
    pub z: f64,
}

/// HRV in detail.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct HrvOut {
    /// The trend of ln rMSSD.
    pub ln_rmssd: TrendOut,
    /// The normal band of the 7-day ln rMSSD mean: baseline ± 0.5 SD.
    pub band_low: f64,
    /// See `band_low`.
    pub band_high: f64,
    /// The 7-day mean as rMSSD in ms (e^mean).
    pub recent_rmssd_ms: f64,
    /// The band in ms.
    pub band_ms: [f64; 2],
}

/// Load context from the platform's fitness chart on the day.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct LoadOut {
    /// Fitness.
    pub ctl: f64,
    /// Fatigue.
    pub atl: f64,
    /// Form as the platform shows it (TrainingPeaks: yesterday's CTL − ATL; Intervals.icu:
    /// the day's CTL − ATL).
    pub tsb: Option<f64>,
    /// ATL / CTL (above ~1.3 is a steep load; shown, not judged).
    pub atl_ctl_ratio: Option<f64>,
}

/// The readiness read-out.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ReadinessOutput {
    /// The day judged.
    pub date: String,
    /// "ready", "go easy" or "not enough data".
    pub verdict: String,
    /// Why, with the numbers.
    pub reasons: Vec<String>,
    /// HRV, when there are at least 3 values in 7 days and 14 in 60.
    pub hrv: Option<HrvOut>,
    /// Resting HR (bpm), same minimum.
    pub resting_hr: Option<TrendOut>,
    /// Sleep (hours), same minimum.
    pub sleep: Option<TrendOut>,
    /// Days with a value in the 60 days, per metric.
    pub logged_days: LoggedDays,
    /// Load context, when the platform has a chart value for the day.
    pub load: Option<LoadOut>,
}

/// Days with a value, per metric.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct LoggedDays {
    /// HRV.
    pub hrv: usize,
    /// Resting HR.
    pub resting_hr: usize,
    /// Sleep.
    pub sleep: usize,
}

/// The read-out for `day` from daily metrics (any may be missing) and the load context.
pub(crate) fn assess(
    daily: &[DailyMetrics],
    day: NaiveDate,
    load: Option<LoadOut>,
) -> ReadinessOutput {
    let in_window = |d: &&DailyMetrics| d.date <= day && (day - d.date).num_days() < BASELINE_DAYS;
    let count = |f: fn(&DailyMetrics) -> Option<f64>| {
        daily
            .iter()
            .filter(in_window)
            .filter(|d| f(d).is_some())
            .count()
    };
    let logged_days = LoggedDays {
        hrv: count(|d| d.rmssd_ms),
        resting_hr: count(|d| d.resting_hr_bpm),
        sleep: count(|d| d.sleep_h),
    };
    let r = readiness_at(daily, day);
    let mut reasons = r.reasons.clone();
    for (name, n) in [
        ("HRV", logged_days.hrv),
        ("resting HR", logged_days.resting_hr),
        ("sleep", logged_days.sleep),
    ] {
        if n == 0 {
            reasons.push(format!("no {name} logged in the last {BASELINE_DAYS} days"));
        }
    }
    if let Some(l) = &load {
        reasons.push(format!(
            "load context (not part of the verdict): CTL {:.1}, ATL {:.1}{}{}",
            l.ctl,
            l.atl,
            l.tsb.map(|t| format!(", TSB {t:+.1}")).unwrap_or_default(),
            l.atl_ctl_ratio
                .map(|x| format!(", ATL/CTL {x:.2}"))
                .unwrap_or_default()
        ));
    }
    let hrv = match (&r.ln_rmssd, r.ln_rmssd_band) {
        (Some(t), Some((lo, hi))) => Some(HrvOut {
            ln_rmssd: trend(t),
            band_low: r3(lo),
            band_high: r3(hi),
            recent_rmssd_ms: r2(t.recent_mean.exp()),
            band_ms: [r2(lo.exp()), r2(hi.exp())],
        }),
        _ => None,
    };
    ReadinessOutput {
        date: day.to_string(),
        verdict: r.verdict.to_string(),
        reasons,
        hrv,
        resting_hr: r.resting_hr.as_ref().map(trend),
        sleep: r.sleep.as_ref().map(trend),
        logged_days,
        load,
    }
}

/// The load context from CTL, ATL and TSB.
pub(crate) fn load(ctl: f64, atl: f64, tsb: Option<f64>) -> LoadOut {
    LoadOut {
        ctl: r2(ctl),
        atl: r2(atl),
        tsb: tsb.map(r2),
        atl_ctl_ratio: (ctl > 0.0).then(|| r2(atl / ctl)),
    }
}

fn r2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn r3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn trend(t: &Trend) -> TrendOut {
    TrendOut {
        recent_mean: r3(t.recent_mean),
        recent_count: t.recent_count,
        baseline_mean: r3(t.baseline_mean),
        baseline_sd: r3(t.baseline_sd),
        baseline_count: t.baseline_count,
        z: r2(t.z),
    }
}

pub(crate) fn text(out: &ReadinessOutput) -> String {
    let mut lines = vec![format!(
        "Readiness on {}: {}.",
        out.date,
        out.verdict.to_uppercase()
    )];
    if let Some(h) = &out.hrv {
        lines.push(format!(
            "HRV: 7-day rMSSD {:.0} ms (ln {:.2}, {} values) against the normal band {:.0}–{:.0} ms (ln {:.2}–{:.2}, {} values in 60 days).",
            h.recent_rmssd_ms,
            h.ln_rmssd.recent_mean,
            h.ln_rmssd.recent_count,
            h.band_ms[0],
            h.band_ms[1],
            h.band_low,
            h.band_high,
            h.ln_rmssd.baseline_count
        ));
    }
    if let Some(t) = &out.resting_hr {
        lines.push(format!(
            "Resting HR: 7-day mean {:.1} bpm against {:.1} ± {:.1} (z {:+.1}).",
            t.recent_mean, t.baseline_mean, t.baseline_sd, t.z
        ));
    }
    if let Some(t) = &out.sleep {
        lines.push(format!(
            "Sleep: 7-day mean {:.1} h against {:.1} ± {:.1} (z {:+.1}).",
            t.recent_mean, t.baseline_mean, t.baseline_sd, t.z
        ));
    }
    for r in &out.reasons {
        lines.push(format!("- {r}"));
    }
    lines.join("\n")
}
