//! `get_fitness_metrics`: fitness (CTL), fatigue (ATL) and form (TSB) per day.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::args::{AthleteId, Date, DateRange, END_DATE, START_DATE};
use super::{Annotations, ToolContext, ToolError, TypedTool};

/// The tool.
pub struct GetFitnessMetrics;

/// Arguments of `get_fitness_metrics`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetFitnessMetricsArgs {
    #[schemars(description = START_DATE)]
    pub start_date: Date,
    #[schemars(description = END_DATE)]
    pub end_date: Date,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// Result of `get_fitness_metrics`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GetFitnessMetricsOutput {
    /// Every day in the range.
    pub days: Vec<FitnessDay>,
    /// The last day.
    pub latest: Option<FitnessDay>,
}

impl TypedTool for GetFitnessMetrics {
    type Args = GetFitnessMetricsArgs;
    type Output = GetFitnessMetricsOutput;
    const NAME: &'static str = "get_fitness_metrics";
    const DESCRIPTION: &'static str = "Get the performance-management chart between two dates (YYYY-MM-DD): per day \
        CTL (fitness, 42-day), ATL (fatigue, 7-day), TSB (form = yesterday's CTL − ATL) and the day's completed \
        TSS. Ranges over 31 days are summarised weekly in the text; every day is in the structured result.";
    const ANNOTATIONS: Annotations = Annotations::read("Get fitness (CTL/ATL/TSB)");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        DateRange::new(args.start_date, args.end_date).map(drop)
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let aid = args.athlete_id.resolve(ctx).await?;
        let rows = ctx
            .client
            .performance_data(aid, args.start_date.0, args.end_date.0)
            .await?;
        // `performance_data` has already left out rows without a readable day.
        let days: Vec<FitnessDay> = rows
            .iter()
            .filter_map(|r| {
                Some(FitnessDay {
                    date: r.workout_day.get()?.to_string(),
                    ctl: r.ctl.val(),
                    atl: r.atl.val(),
                    tsb: r.tsb.val(),
                    tss_actual: r.tss_actual.val().unwrap_or(0.0),
                })
            })
            .collect();
        let latest = days.last().cloned();
        if days.is_empty() {
            return Ok((
                format!(
                    "No fitness data between {} and {}.",
                    args.start_date, args.end_date
                ),
                GetFitnessMetricsOutput { days, latest },
            ));
        }
        let mut lines = Vec::new();
        if days.len() <= 31 {
            lines.push(format!("Fitness {} to {}:", args.start_date, args.end_date));
            lines.extend(days.iter().map(row));
        } else {
            let peak = days
                .iter()
                .filter_map(|d| d.ctl.map(|c| (c, &d.date)))
                .max_by(|a, b| a.0.total_cmp(&b.0));
            let low = days
                .iter()
                .filter_map(|d| d.tsb.map(|t| (t, &d.date)))
                .min_by(|a, b| a.0.total_cmp(&b.0));
            lines.push(format!(
                "Fitness {} to {} ({} days), weekly:",
                args.start_date,
                args.end_date,
                days.len()
            ));
            if let Some((c, d)) = peak {
                lines.push(format!("Peak CTL {c:.1} on {d}"));
            }
            if let Some((t, d)) = low {
                lines.push(format!("Lowest TSB {t:.1} on {d}"));
            }
            for chunk in days.chunks(7) {
                let tss: f64 = chunk.iter().map(|d| d.tss_actual).sum();
                if let Some(last) = chunk.last() {
                    lines.push(format!(
                        "{}  CTL {:>5}  ATL {:>5}  TSB {:>6}  week TSS {:>4.0}",
                        last.date,
                        one(last.ctl),
                        one(last.atl),
                        one(last.tsb),
                        tss
                    ));
                }
            }
        }
        Ok((lines.join("\n"), GetFitnessMetricsOutput { days, latest }))
    }
}

/// One day of the performance-management chart.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct FitnessDay {
    /// YYYY-MM-DD.
    pub date: String,
    /// Chronic training load (fitness), TSS/day, 42-day weighted.
    pub ctl: Option<f64>,
    /// Acute training load (fatigue), TSS/day, 7-day weighted.
    pub atl: Option<f64>,
    /// Training stress balance (form) = yesterday's CTL − ATL.
    pub tsb: Option<f64>,
    /// Completed TSS that day.
    pub tss_actual: f64,
}

fn one(x: Option<f64>) -> String {
    x.map_or_else(|| "—".into(), |v| format!("{v:.1}"))
}

fn row(d: &FitnessDay) -> String {
    format!(
        "{}  CTL {:>5}  ATL {:>5}  TSB {:>6}  TSS {:>4.0}",
        d.date,
        one(d.ctl),
        one(d.atl),
        one(d.tsb),
        d.tss_actual
    )
}
