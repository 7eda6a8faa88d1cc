//! `get_training_distribution`: time in power and heart-rate zones and Seiler polarisation over
//! a date range, by sport, from the completed workouts' device files (issue 10).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::activity_metrics::{
    PolarisationView, ThresholdsView, load_tp_data_of, metrics, tp_thresholds,
};
use super::shared::args::{AthleteId, Date, DateRange};
use super::shared::distribution::{Distribution, seiler_line, zone_line};
use super::shared::workout_view::sport_name;
use super::{Annotations, ToolContext, ToolError, TypedTool};

/// Workouts read by default (two requests each).
const DEFAULT_MAX_WORKOUTS: u32 = 20;
/// The most workouts one call may read.
const MAX_WORKOUTS: u32 = 40;

/// The tool.
pub struct GetTrainingDistribution;

/// Arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetTrainingDistributionArgs {
    /// First day, YYYY-MM-DD.
    pub start_date: Date,
    /// Last day, YYYY-MM-DD (at most a year after start_date).
    pub end_date: Date,
    #[serde(default)]
    pub athlete_id: AthleteId,
    /// Most workouts to read, newest first, 1–40 (default 20; each costs two requests).
    #[serde(default)]
    pub max_workouts: Option<u32>,
}

/// One sport's distribution.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SportDistribution {
    /// Sport.
    pub sport: String,
    /// Workouts with a recording counted.
    pub workouts: usize,
    /// Seconds in Coggan power zones 1–7 (workouts with power).
    pub power_zones_s: Option<Vec<f64>>,
    /// Seconds in HR zones 1–5.
    pub hr_zones_s: Option<Vec<f64>>,
    /// Seconds in the athlete's pace zones for the sport (runs, swims), slowest zone first.
    pub pace_zones_s: Option<Vec<f64>>,
    /// Polarisation of the power-zone time, else of the HR-zone time.
    pub polarisation: Option<PolarisationView>,
    /// Total training load of the workouts read, each scored as get_activity_analysis does
    /// (power TSS, else rTSS, swim TSS or hrTSS).
    pub load: Option<f64>,
    /// How many workouts each load metric scored, e.g. `rTSS × 3`.
    pub load_metrics: Vec<String>,
}

/// Result.
#[derive(Debug, Serialize, JsonSchema)]
pub struct GetTrainingDistributionOutput {
    /// First day.
    pub start_date: String,
    /// Last day.
    pub end_date: String,
    /// By sport.
    pub sports: Vec<SportDistribution>,
    /// The thresholds used (the athlete's zone settings; per sport for HR) and where from.
    pub thresholds: Vec<String>,
    /// Completed workouts in the range.
    pub workouts_in_range: usize,
    /// Workouts read but without a recording (manual entries).
    pub workouts_without_data: usize,
    /// Completed workouts left unread because of max_workouts (the oldest).
    pub workouts_not_read: usize,
}

impl TypedTool for GetTrainingDistribution {
    type Args = GetTrainingDistributionArgs;
    type Output = GetTrainingDistributionOutput;
    const NAME: &'static str = "get_training_distribution";
    const DESCRIPTION: &'static str = "How training time splits by intensity over a date range, \
by sport, computed locally from the completed workouts' device files: seconds in Coggan power \
zones 1–7, HR zones 1–5 and pace zones, load, and Seiler's three zones with Treff's \
Polarization Index (low = Z1–2, mid = Z3–4, high = Z5–7 of power; HR: Z1–2 / Z3–4 / Z5). \
Answers \"am I training enough at threshold / too much in the grey zone?\". Reads the newest \
max_workouts (default 20, up to 40); each costs two requests.";
    const ANNOTATIONS: Annotations = Annotations::read("Training intensity distribution");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        DateRange::new(args.start_date, args.end_date)?.at_most(366, "a year")?;
        if let Some(n) = args.max_workouts
            && !(1..=MAX_WORKOUTS).contains(&n)
        {
            return Err(ToolError::invalid(
                "max_workouts",
                format!("{n} is out of range (1–{MAX_WORKOUTS})"),
            ));
        }
        Ok(())
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let aid = args.athlete_id.resolve(ctx).await?;
        let list = ctx
            .client
            .workouts(aid, args.start_date.0, args.end_date.0)
            .await?;
        let mut done: Vec<_> = list.into_iter().filter(|w| w.is_completed()).collect();
        done.sort_by_key(|w| std::cmp::Reverse(w.date()));
        let in_range = done.len();
        let limit = args.max_workouts.unwrap_or(DEFAULT_MAX_WORKOUTS) as usize;
        let settings = ctx.client.athlete_settings(aid).await?;
        let mut by_sport = Distribution::default();
        let mut thresholds: Vec<String> = Vec::new();
        let mut without = 0;
        let total = done.len().min(limit) as u64;
        for (n, w) in done.iter().take(limit).enumerate() {
            let data = load_tp_data_of(ctx, aid, w).await?;
            // Two requests a workout under the request budget: say how far the season is.
            ctx.client
                .report_step(n as u64 + 1, total, "workouts' device files read");
            if data.streams.is_empty() {
                without += 1;
                continue;
            }
            let t: ThresholdsView = tp_thresholds(&settings, w, &data);
            for s in &t.sources {
                let line = format!("{}: {s}", sport_name(w.workout_type_value_id.val()));
                if !thresholds.contains(&line) {
                    thresholds.push(line);
                }
            }
            let m = metrics(&data.streams, 0, data.streams.len() - 1, &t);
            by_sport.add(&sport_name(w.workout_type_value_id.val()), &m);
        }
        // The sums are the Intervals.icu tool's; this output counts them in workouts.
        let sports: Vec<SportDistribution> = by_sport
            .finish()
            .into_iter()
            .map(|d| SportDistribution {
                sport: d.sport,
                workouts: d.activities,
                power_zones_s: d.power_zones_s,
                hr_zones_s: d.hr_zones_s,
                pace_zones_s: d.pace_zones_s,
                polarisation: d.polarisation,
                load: d.load,
                load_metrics: d.load_metrics,
            })
            .collect();
        let out = GetTrainingDistributionOutput {
            start_date: args.start_date.to_string(),
            end_date: args.end_date.to_string(),
            sports,
            thresholds,
            workouts_in_range: in_range,
            workouts_without_data: without,
            workouts_not_read: in_range.saturating_sub(limit),
        };
        let mut t = format!(
            "Intensity distribution {}–{}: {} of {} completed workouts read ({} without a \
             recording).",
            out.start_date,
            out.end_date,
            in_range.min(limit),
            in_range,
            without
        );
        for s in &out.sports {
            t.push_str(&format!("\n{} ({} workouts):", s.sport, s.workouts));
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
        }
        if out.workouts_not_read > 0 {
            t.push_str(&format!(
                "\n{} older workouts were not read; raise max_workouts (up to {MAX_WORKOUTS}) or \
                 narrow the dates.",
                out.workouts_not_read
            ));
        }
        Ok((t, out))
    }
}
