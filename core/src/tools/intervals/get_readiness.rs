//! `get_readiness` on Intervals.icu: the same read-out as TrainingPeaks' `get_readiness`
//! (shared analytics spec §2.13, `tools/shared/readiness.rs`) from the athlete's wellness
//! records (`GET /api/v1/athlete/{id}/wellness`, spec §3.2): `hrv` (rMSSD, ms), `restingHR`
//! (bpm) and `sleepSecs` (read as hours) over the 60 days ending on the day, and the day's
//! `ctl`/`atl` as load context, with form as Intervals.icu shows it (the day's CTL − ATL).

use chrono::Duration;
use schemars::JsonSchema;
use serde::Deserialize;

use super::common::{self, IcuAthleteId};
use crate::analysis::readiness::DailyMetrics;
use crate::tools::shared::args::Date;
use crate::tools::shared::readiness::{BASELINE_DAYS, ReadinessOutput, assess, load, text};
use crate::tools::{Annotations, ToolContext, ToolError, TypedTool};

/// The tool.
pub struct GetReadiness;

/// Arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetReadinessArgs {
    #[serde(default)]
    pub athlete_id: IcuAthleteId,
    /// The day to judge, `YYYY-MM-DD` (default today).
    #[serde(default)]
    pub date: Option<Date>,
}

impl TypedTool for GetReadiness {
    type Args = GetReadinessArgs;
    type Output = ReadinessOutput;
    const NAME: &'static str = "get_readiness";
    const DESCRIPTION: &'static str = "Judge readiness to train from Intervals.icu wellness (HRV as rMSSD, resting \
HR, sleep): the 7-day mean of ln rMSSD against its 60-day normal band (mean ± 0.5 SD), resting HR and sleep against \
their 60-day means, with fitness, fatigue and form as context. Gives a plain verdict (ready / go easy / not enough \
data) and the numbers behind it; works with any metric missing. date YYYY-MM-DD, default today.";
    const ANNOTATIONS: Annotations = Annotations::read("Intervals.icu readiness");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        args.athlete_id.check()
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let icu = common::icu(ctx)?;
        let day = common::day_or(args.date, icu, 0);
        let start = day - Duration::days(BASELINE_DAYS - 1);
        let records = icu.wellness(args.athlete_id.get(), start, day).await?;
        let positive = |x: Option<f64>| x.filter(|v| v.is_finite() && *v > 0.0);
        let mut daily: Vec<DailyMetrics> = records
            .iter()
            .filter_map(|w| {
                Some(DailyMetrics {
                    date: w.id.get()?.date(),
                    rmssd_ms: positive(w.hrv.val()),
                    resting_hr_bpm: positive(w.resting_hr.val()),
                    sleep_h: w
                        .sleep_secs
                        .val()
                        .filter(|s| *s > 0)
                        .map(|s| s as f64 / 3600.0),
                })
            })
            .collect();
        daily.sort_by_key(|d| d.date);
        let context = records
            .iter()
            .find(|w| w.id.get().map(|d| d.date()) == Some(day))
            .and_then(|w| {
                let (ctl, atl) = (w.ctl.val()?, w.atl.val()?);
                Some(load(ctl, atl, Some(ctl - atl)))
            });
        let out = assess(&daily, day, context);
        Ok((text(&out), out))
    }
}
