//! `get_peaks`: the athlete's best efforts (power, speed or heart rate) for one duration or
//! distance, ranked.

use chrono::Duration;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::args::{AthleteId, Date, DateRange};
use super::shared::records::{RecordOut, record_name, record_view};
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::trainingpeaks::fitness::PeakSport;

/// The tool.
pub struct GetPeaks;

/// Arguments of `get_peaks`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetPeaksArgs {
    /// `bike` or `run`.
    pub sport: PeaksSport,
    /// Record type: bike power5sec…power90min (W); run speed400Meter…speed50K (m/s, shown as
    /// pace); either hR5sec…hR90min (bpm).
    pub metric: PeakMetric,
    /// First day, YYYY-MM-DD (default: ten years ago, i.e. all-time).
    #[serde(default)]
    pub start_date: Option<Date>,
    /// Last day, YYYY-MM-DD (default: today).
    #[serde(default)]
    pub end_date: Option<Date>,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// Result of `get_peaks`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GetPeaksOutput {
    /// The metric queried.
    pub metric: String,
    /// The window used, YYYY-MM-DD.
    pub start_date: String,
    /// The window used, YYYY-MM-DD.
    pub end_date: String,
    /// The ten best, best first.
    pub records: Vec<RecordOut>,
}

impl TypedTool for GetPeaks {
    type Args = GetPeaksArgs;
    type Output = GetPeaksOutput;
    const NAME: &'static str = "get_peaks";
    const DESCRIPTION: &'static str = "Get the athlete's ten best efforts for one record type, best first, with the \
        workout each came from. Bike: power5sec, power1min, power5min, power10min, power20min, power60min, \
        power90min (watts). Run: speed400Meter, speed800Meter, speed1K, speed1Mi, speed5K, speed5Mi, speed10K, \
        speed10Mi, speedHalfMarathon, speedMarathon, speed50K (shown as pace per km). Both: hR5sec…hR90min (bpm). \
        Dates YYYY-MM-DD, default all-time.";
    const ANNOTATIONS: Annotations = Annotations::read("Get peak performances");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        if !args.metric.fits(args.sport) {
            let hint = match args.sport {
                PeaksSport::Bike => "for bike use power5sec…power90min or hR5sec…hR90min",
                PeaksSport::Run => "for run use speed400Meter…speed50K or hR5sec…hR90min",
            };
            return Err(ToolError::invalid(
                "metric",
                format!(
                    "{} is not a {:?} record type; {hint}",
                    args.metric.wire(),
                    args.sport
                ),
            ));
        }
        if let (Some(s), Some(e)) = (args.start_date, args.end_date) {
            DateRange::new(s, e)?;
        }
        Ok(())
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let today = ctx.clock().today();
        let end = args.end_date.map_or(today, |d| d.0);
        let start = args
            .start_date
            .map_or(end - Duration::days(ALL_TIME_DAYS), |d| d.0);
        if end < start {
            return Err(ToolError::invalid(
                "start_date",
                format!("{start} is after the end date {end}"),
            ));
        }
        let aid = args.athlete_id.resolve(ctx).await?;
        let sport = match args.sport {
            PeaksSport::Bike => PeakSport::Bike,
            PeaksSport::Run => PeakSport::Run,
        };
        let metric = args.metric.wire();
        let rows = ctx.client.peaks(aid, sport, metric, start, end).await?;
        let records: Vec<RecordOut> = rows.iter().take(10).map(record_view).collect();
        let name = record_name(metric);
        let text = if records.is_empty() {
            format!("No peaks found for {name} ({metric}) between {start} and {end}.")
        } else {
            let mut lines = vec![format!("Best {name} ({metric}), {start} to {end}:")];
            for (i, r) in records.iter().enumerate() {
                let rank = r.rank.unwrap_or(i as i64 + 1);
                let title = r.workout_title.as_deref().unwrap_or("Untitled");
                let date = r.workout_date.as_deref().unwrap_or("?");
                let id = r
                    .workout_id
                    .map_or_else(String::new, |w| format!(", workout {w}"));
                lines.push(format!("#{rank}: {} — {title} ({date}{id})", r.display));
            }
            lines.join("\n")
        };
        Ok((
            text,
            GetPeaksOutput {
                metric: metric.to_string(),
                start_date: start.to_string(),
                end_date: end.to_string(),
                records,
            },
        ))
    }
}

/// The sport of a peaks query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PeaksSport {
    /// Bike: power and heart-rate peaks.
    Bike,
    /// Run: speed and heart-rate peaks.
    Run,
}

/// The record type (TrainingPeaks' `prType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum PeakMetric {
    /// Best average power over power5sec (bike).
    #[serde(rename = "power5sec")]
    Power5sec,
    /// Best average power over power1min (bike).
    #[serde(rename = "power1min")]
    Power1min,
    /// Best average power over power5min (bike).
    #[serde(rename = "power5min")]
    Power5min,
    /// Best average power over power10min (bike).
    #[serde(rename = "power10min")]
    Power10min,
    /// Best average power over power20min (bike).
    #[serde(rename = "power20min")]
    Power20min,
    /// Best average power over power60min (bike).
    #[serde(rename = "power60min")]
    Power60min,
    /// Best average power over power90min (bike).
    #[serde(rename = "power90min")]
    Power90min,
    /// Best speed over speed400Meter (run).
    #[serde(rename = "speed400Meter")]
    Speed400Meter,
    /// Best speed over speed800Meter (run).
    #[serde(rename = "speed800Meter")]
    Speed800Meter,
    /// Best speed over speed1K (run).
    #[serde(rename = "speed1K")]
    Speed1K,
    /// Best speed over speed1Mi (run).
    #[serde(rename = "speed1Mi")]
    Speed1Mi,
    /// Best speed over speed5K (run).
    #[serde(rename = "speed5K")]
    Speed5K,
    /// Best speed over speed5Mi (run).
    #[serde(rename = "speed5Mi")]
    Speed5Mi,
    /// Best speed over speed10K (run).
    #[serde(rename = "speed10K")]
    Speed10K,
    /// Best speed over speed10Mi (run).
    #[serde(rename = "speed10Mi")]
    Speed10Mi,
    /// Best speed over speedHalfMarathon (run).
    #[serde(rename = "speedHalfMarathon")]
    SpeedHalfMarathon,
    /// Best speed over speedMarathon (run).
    #[serde(rename = "speedMarathon")]
    SpeedMarathon,
    /// Best speed over speed50K (run).
    #[serde(rename = "speed50K")]
    Speed50K,
    /// Best average heart rate over hR5sec (bike or run).
    #[serde(rename = "hR5sec")]
    HR5sec,
    /// Best average heart rate over hR1min (bike or run).
    #[serde(rename = "hR1min")]
    HR1min,
    /// Best average heart rate over hR5min (bike or run).
    #[serde(rename = "hR5min")]
    HR5min,
    /// Best average heart rate over hR10min (bike or run).
    #[serde(rename = "hR10min")]
    HR10min,
    /// Best average heart rate over hR20min (bike or run).
    #[serde(rename = "hR20min")]
    HR20min,
    /// Best average heart rate over hR60min (bike or run).
    #[serde(rename = "hR60min")]
    HR60min,
    /// Best average heart rate over hR90min (bike or run).
    #[serde(rename = "hR90min")]
    HR90min,
}

impl PeakMetric {
    /// The `prType` value.
    pub fn wire(self) -> &'static str {
        match self {
            PeakMetric::Power5sec => "power5sec",
            PeakMetric::Power1min => "power1min",
            PeakMetric::Power5min => "power5min",
            PeakMetric::Power10min => "power10min",
            PeakMetric::Power20min => "power20min",
            PeakMetric::Power60min => "power60min",
            PeakMetric::Power90min => "power90min",
            PeakMetric::Speed400Meter => "speed400Meter",
            PeakMetric::Speed800Meter => "speed800Meter",
            PeakMetric::Speed1K => "speed1K",
            PeakMetric::Speed1Mi => "speed1Mi",
            PeakMetric::Speed5K => "speed5K",
            PeakMetric::Speed5Mi => "speed5Mi",
            PeakMetric::Speed10K => "speed10K",
            PeakMetric::Speed10Mi => "speed10Mi",
            PeakMetric::SpeedHalfMarathon => "speedHalfMarathon",
            PeakMetric::SpeedMarathon => "speedMarathon",
            PeakMetric::Speed50K => "speed50K",
            PeakMetric::HR5sec => "hR5sec",
            PeakMetric::HR1min => "hR1min",
            PeakMetric::HR5min => "hR5min",
            PeakMetric::HR10min => "hR10min",
            PeakMetric::HR20min => "hR20min",
            PeakMetric::HR60min => "hR60min",
            PeakMetric::HR90min => "hR90min",
        }
    }

    /// Whether the metric exists for the sport (power is bike-only, speed run-only).
    pub fn fits(self, sport: PeaksSport) -> bool {
        let w = self.wire();
        w.starts_with("hR") || (sport == PeaksSport::Bike) == w.starts_with("power")
    }
}

/// All-time default window (JM uses 3650 days).
const ALL_TIME_DAYS: i64 = 3650;
