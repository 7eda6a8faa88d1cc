//! `get_readiness`: HRV, resting HR and sleep trends from the metrics the athlete logs on
//! TrainingPeaks, with a plain verdict and the numbers behind it (shared analytics spec
//! §2.13, through [`crate::analysis::readiness::readiness_at`], read out by
//! `tools/shared/readiness.rs`): the 7-day mean of ln rMSSD against its 60-day normal band
//! (mean ± 0.5 SD), resting HR and sleep against their 60-day means; plus the load context the
//! spec's local score asks for (TSB and the ATL/CTL ratio from TrainingPeaks' chart), shown
//! beside the verdict rather than in it.
//!
//! Metrics (spec §8.3): type 60 "HRV" is read as rMSSD in ms (what Garmin, Oura and HRV apps
//! sync; TrainingPeaks gives it no unit), type 5 "Pulse" as morning resting HR in bpm, type 6
//! "Sleep" in hours. Several values on one day are averaged. Any of them may be missing: the
//! verdict uses what there is and says what it lacks.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use schemars::JsonSchema;
use serde::Deserialize;

use super::shared::args::{AthleteId, Date};
use super::shared::readiness::{BASELINE_DAYS, ReadinessOutput, assess, load, text};
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::analysis::readiness::DailyMetrics;

/// The tool.
pub struct GetReadiness;

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

impl TypedTool for GetReadiness {
    type Args = GetReadinessArgs;
    type Output = ReadinessOutput;
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
        let rows = ctx.client.performance_data(aid, day, day).await?;
        let context = rows
            .iter()
            .find(|row| row.workout_day.get().map(|d| d.date()) == Some(day))
            .and_then(|row| Some(load(row.ctl.val()?, row.atl.val()?, row.tsb.val())));
        let out = assess(&daily, day, context);
        Ok((text(&out), out))
    }
}
