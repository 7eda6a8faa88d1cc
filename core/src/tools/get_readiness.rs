//! `get_readiness`: HRV, resting HR and sleep trends from the metrics the athlete logs, with a
//! plain verdict and the numbers behind it (shared analytics spec §2.13, through
//! [`crate::analysis::readiness::readiness_at`]): the 7-day mean of ln rMSSD against its 60-day
//! normal band (mean ± 0.5 SD), resting HR and sleep against their 60-day means; plus the load
//! context the spec's local score asks for (TSB and the ATL/CTL ratio from TrainingPeaks'
//! chart), shown beside the verdict rather than in it.
//!
//! Metrics (spec §8.3): type 60 "HRV" is read as rMSSD in ms (what Garmin, Oura and HRV apps
//! sync; TrainingPeaks gives it no unit), type 5 "Pulse" as morning resting HR in bpm, type 6
//! "Sleep" in hours. Several values on one day are averaged. Any of them may be missing: the
//! verdict uses what there is and says what it lacks.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::args::{AthleteId, Date};
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::analysis::readiness::{DailyMetrics, Trend, readiness_at};

/// The tool.
pub struct GetReadiness;

/// Days of baseline read (spec §2.13: HRV4Training's 60-day normal).
const BASELINE_DAYS: i64 = 60;
const HRV: i64 = 60;
const PULSE: i64 = 5;
const SLEEP: i64 = 6;

/// Arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetReadinessArgs {
    /// The day to judge, `YYYY-MM-DD` (default today).
    #[serde(default)]
    pub date: Option<Date>,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

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

/// Load context from TrainingPeaks' chart on the day.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct LoadOut {
    /// Fitness.
    pub ctl: f64,
    /// Fatigue.
    pub atl: f64,
    /// Form (yesterday's CTL − ATL).
    pub tsb: Option<f64>,
    /// ATL / CTL (above ~1.3 is a steep load; shown, not judged).
    pub atl_ctl_ratio: Option<f64>,
}

/// The readiness read-out.
#[derive(Debug, Serialize, JsonSchema)]
pub struct GetReadinessOutput {
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
    /// Load context, when TrainingPeaks has a chart value for the day.
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

impl TypedTool for GetReadiness {
    type Args = GetReadinessArgs;
    type Output = GetReadinessOutput;
    const NAME: &'static str = "get_readiness";
    const DESCRIPTION: &'static str = "Judge readiness to train from the metrics the athlete logs on TrainingPeaks \
(HRV as rMSSD, resting HR, sleep): the 7-day mean of ln rMSSD against its 60-day normal band (mean ± 0.5 SD), resting \
HR and sleep against their 60-day means, with TSB and ATL/CTL from the fitness chart as context. Gives a plain \
verdict (ready / go easy / not enough data) and the numbers behind it; works with any metric missing. date \
YYYY-MM-DD, default today.";
    const ANNOTATIONS: Annotations = Annotations::read("Get readiness");

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let day = args.date.map_or_else(|| ctx.clock().today(), |d| d.0);
        let aid = args.athlete_id.resolve(ctx).await?;
        let start = day - Duration::days(BASELINE_DAYS - 1);
        let records = ctx.client.metrics(aid, start, day).await?;
        // (sum, count) per day and metric.
        let mut acc: BTreeMap<NaiveDate, [(f64, u32); 3]> = BTreeMap::new();
        for r in &records {
            let Some(d) = r.time_stamp.get().map(|s| s.date()) else {
                continue;
            };
            for m in r.details() {
                let (Some(kind), Some(v)) = (m.kind.val(), m.value.val()) else {
                    continue;
                };
                let slot = match kind {
                    HRV => 0,
                    PULSE => 1,
                    SLEEP => 2,
                    _ => continue,
                };
                if v.is_finite() {
                    let e = &mut acc.entry(d).or_default()[slot];
                    e.0 += v;
                    e.1 += 1;
                }
            }
        }
        let mean = |(s, n): (f64, u32)| (n > 0).then(|| s / f64::from(n));
        let daily: Vec<DailyMetrics> = acc
            .iter()
            .map(|(d, v)| DailyMetrics {
                date: *d,
                rmssd_ms: mean(v[0]),
                resting_hr_bpm: mean(v[1]),
                sleep_h: mean(v[2]),
            })
            .collect();
        let count =
            |f: fn(&DailyMetrics) -> Option<f64>| daily.iter().filter(|d| f(d).is_some()).count();
        let logged_days = LoggedDays {
            hrv: count(|d| d.rmssd_ms),
            resting_hr: count(|d| d.resting_hr_bpm),
            sleep: count(|d| d.sleep_h),
        };
        let r = readiness_at(&daily, day);
        let rows = ctx.client.performance_data(aid, day, day).await?;
        let load = rows
            .iter()
            .find(|row| row.workout_day.get().map(|d| d.date()) == Some(day))
            .and_then(|row| {
                let (ctl, atl) = (row.ctl.val()?, row.atl.val()?);
                Some(LoadOut {
                    ctl: r2(ctl),
                    atl: r2(atl),
                    tsb: row.tsb.val().map(r2),
                    atl_ctl_ratio: (ctl > 0.0).then(|| r2(atl / ctl)),
                })
            });
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
        let out = GetReadinessOutput {
            date: day.to_string(),
            verdict: r.verdict.to_string(),
            reasons,
            hrv,
            resting_hr: r.resting_hr.as_ref().map(trend),
            sleep: r.sleep.as_ref().map(trend),
            logged_days,
            load,
        };
        Ok((text(&out), out))
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

fn text(out: &GetReadinessOutput) -> String {
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
