//! `get_weekly_summary`: one Monday–Sunday week, planned vs actual, with end-of-week fitness
//! (tool 5).

use chrono::{Datelike, Duration};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::args::{AthleteId, Date};
use super::shared::workout_view::{WorkoutItem, format_distance, format_hours};
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::trainingpeaks::TpError;
use crate::trainingpeaks::fitness::PmcDay;
use crate::wire::Field;

/// The tool.
pub struct GetWeeklySummary;

/// Arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetWeeklySummaryArgs {
    /// Any day in the week, `YYYY-MM-DD` (weeks run Monday–Sunday). Default: today.
    #[serde(default)]
    pub week_of: Option<Date>,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// The week.
#[derive(Debug, Serialize, JsonSchema)]
pub struct GetWeeklySummaryOutput {
    /// Monday, `YYYY-MM-DD`.
    pub week_start: String,
    /// Sunday, `YYYY-MM-DD`.
    pub week_end: String,
    /// Workouts in the week.
    pub workout_count: usize,
    /// Of which completed.
    pub completed_count: usize,
    /// Sum of planned TSS.
    pub tss_planned: f64,
    /// Sum of actual TSS.
    pub tss_actual: f64,
    /// Sum of planned hours.
    pub duration_planned_hours: f64,
    /// Sum of actual hours.
    pub duration_actual_hours: f64,
    /// Sum of planned distance, metres.
    pub distance_planned_m: f64,
    /// Sum of actual distance, metres.
    pub distance_actual_m: f64,
    /// Per-sport totals.
    pub by_sport: Vec<SportTotals>,
    /// Fitness (CTL) at the end of the week, if available.
    pub ctl: Option<f64>,
    /// Fatigue (ATL) at the end of the week, if available.
    pub atl: Option<f64>,
    /// Form (TSB) at the end of the week, if available.
    pub tsb: Option<f64>,
    /// The workouts.
    pub workouts: Vec<WorkoutItem>,
}

impl TypedTool for GetWeeklySummary {
    type Args = GetWeeklySummaryArgs;
    type Output = GetWeeklySummaryOutput;
    const NAME: &'static str = "get_weekly_summary";
    const DESCRIPTION: &'static str = "Summarise one Monday–Sunday week (week_of: any day in it, YYYY-MM-DD; \
default this week): planned vs actual TSS, hours and distance (metres), totals per sport, each workout, \
and end-of-week fitness (CTL), fatigue (ATL) and form (TSB).";
    const ANNOTATIONS: Annotations = Annotations::read("Get weekly summary");

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let day = args.week_of.map_or_else(|| ctx.clock().today(), |d| d.0);
        let monday = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
        let sunday = monday + Duration::days(6);
        let aid = args.athlete_id.resolve(ctx).await?;
        let (workouts, perf) = futures_util::future::join(
            ctx.client.workouts(aid, monday, sunday),
            ctx.client.weekly_performance_rows(aid, monday, sunday),
        )
        .await;
        let workouts: Vec<WorkoutItem> = workouts?
            .iter()
            .map(|w| WorkoutItem::from_workout(w))
            .collect();
        // A missing performance report (404) means "no metrics", not a failed summary.
        let rows = match perf {
            Ok(rows) => rows,
            Err(TpError::NotFound { .. }) => Vec::new(),
            Err(e) => return Err(e.into()),
        };
        // The last row that has a day is the end of the week.
        let last = rows
            .iter()
            .max_by_key(|r| r.workout_day.get().map(|d| d.date()));
        let metric = |f: fn(&PmcDay) -> &Field<f64>| last.and_then(|r| f(r).val()).map(r1);

        let mut by_sport: Vec<SportTotals> = Vec::new();
        for w in &workouts {
            let i = match by_sport.iter().position(|s| s.sport == w.sport) {
                Some(i) => i,
                None => {
                    by_sport.push(SportTotals {
                        sport: w.sport.clone(),
                        count: 0,
                        duration_planned_hours: 0.0,
                        duration_actual_hours: 0.0,
                        tss_planned: 0.0,
                        tss_actual: 0.0,
                        distance_actual_m: 0.0,
                    });
                    by_sport.len() - 1
                }
            };
            if let Some(t) = by_sport.get_mut(i) {
                t.count += 1;
                t.duration_planned_hours += w.duration_planned_hours.unwrap_or(0.0);
                t.duration_actual_hours += w.duration_actual_hours.unwrap_or(0.0);
                t.tss_planned += w.tss_planned.unwrap_or(0.0);
                t.tss_actual += w.tss_actual.unwrap_or(0.0);
                t.distance_actual_m += w.distance_actual_m.unwrap_or(0.0);
            }
        }
        for t in &mut by_sport {
            t.tss_planned = r1(t.tss_planned);
            t.tss_actual = r1(t.tss_actual);
            t.distance_actual_m = t.distance_actual_m.round();
        }
        let sum = |f: fn(&WorkoutItem) -> Option<f64>| workouts.iter().filter_map(f).sum::<f64>();
        let out = GetWeeklySummaryOutput {
            week_start: monday.format("%Y-%m-%d").to_string(),
            week_end: sunday.format("%Y-%m-%d").to_string(),
            workout_count: workouts.len(),
            completed_count: workouts.iter().filter(|w| w.completed).count(),
            tss_planned: r1(sum(|w| w.tss_planned)),
            tss_actual: r1(sum(|w| w.tss_actual)),
            duration_planned_hours: sum(|w| w.duration_planned_hours),
            duration_actual_hours: sum(|w| w.duration_actual_hours),
            distance_planned_m: sum(|w| w.distance_planned_m).round(),
            distance_actual_m: sum(|w| w.distance_actual_m).round(),
            by_sport,
            ctl: metric(|r| &r.ctl),
            atl: metric(|r| &r.atl),
            tsb: metric(|r| &r.tsb),
            workouts,
        };
        let mut text = format!(
            "Week {} to {}: {} workout(s), {} completed.\nPlanned: {} · TSS {:.0} · {}\nActual:  {} · TSS {:.0} · {}",
            out.week_start,
            out.week_end,
            out.workout_count,
            out.completed_count,
            format_hours(out.duration_planned_hours),
            out.tss_planned,
            format_distance(out.distance_planned_m),
            format_hours(out.duration_actual_hours),
            out.tss_actual,
            format_distance(out.distance_actual_m),
        );
        for s in &out.by_sport {
            text.push_str(&format!(
                "\n  {}: {}× planned {} TSS {:.0} | actual {} TSS {:.0}",
                s.sport,
                s.count,
                format_hours(s.duration_planned_hours),
                s.tss_planned,
                format_hours(s.duration_actual_hours),
                s.tss_actual
            ));
        }
        match (out.ctl, out.atl, out.tsb) {
            (Some(c), Some(a), Some(t)) => {
                text.push_str(&format!(
                    "\nEnd of week: fitness (CTL) {c:.1}, fatigue (ATL) {a:.1}, form (TSB) {t:.1}"
                ));
            }
            _ => text.push_str("\nNo fitness metrics available."),
        }
        for w in &out.workouts {
            text.push('\n');
            text.push_str(&w.line());
        }
        Ok((text, out))
    }
}

/// Totals for one sport.
#[derive(Debug, Serialize, JsonSchema)]
pub struct SportTotals {
    /// Sport name.
    pub sport: String,
    /// Workouts of this sport.
    pub count: usize,
    /// Planned hours.
    pub duration_planned_hours: f64,
    /// Actual hours.
    pub duration_actual_hours: f64,
    /// Planned TSS.
    pub tss_planned: f64,
    /// Actual TSS.
    pub tss_actual: f64,
    /// Actual distance, metres.
    pub distance_actual_m: f64,
}

fn r1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}
