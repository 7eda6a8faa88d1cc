//! `get_planned_workouts`: the workouts still to do, next 14 days by default (AI Endurance's
//! `getPlannedWorkouts`), with each one's structure, advice and skipped mark, and the load per
//! week.

use chrono::{Datelike, Duration, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::args::{AthleteId, Date, DateRange};
use super::shared::planning::PlannedWorkout;
use super::shared::workout_view::format_hours;
use super::{Annotations, ToolContext, ToolError, TypedTool};

/// The tool.
pub struct GetPlannedWorkouts;

/// Default window: today and the 13 days after it.
const DEFAULT_DAYS: i64 = 14;
/// Longest window, as AI Endurance caps its own detailed listing at about five weeks; longer
/// plans are read with `get_workouts`.
const MAX_DAYS: i64 = 92;

/// Arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetPlannedWorkoutsArgs {
    /// First day, `YYYY-MM-DD` (default: today).
    #[serde(default)]
    pub start_date: Option<Date>,
    /// Last day, `YYYY-MM-DD`, inclusive (default: 13 days after `start_date`, i.e. 14 days).
    /// At most 92 days after `start_date`.
    #[serde(default)]
    pub end_date: Option<Date>,
    /// Also list workouts marked skipped (default true; they are flagged).
    #[serde(default = "yes")]
    pub include_skipped: bool,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

fn yes() -> bool {
    true
}

/// Load of one week (Monday to Sunday) of the window.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct PlannedWeek {
    /// Monday of the week, `YYYY-MM-DD`.
    pub week_start: String,
    /// Planned workouts that week in the window (skipped ones not counted).
    pub count: usize,
    /// Planned hours.
    pub hours: f64,
    /// Planned TSS.
    pub tss: f64,
}

/// The planned workouts.
#[derive(Debug, Serialize, JsonSchema)]
pub struct GetPlannedWorkoutsOutput {
    /// First day, `YYYY-MM-DD`.
    pub start_date: String,
    /// Last day, `YYYY-MM-DD`.
    pub end_date: String,
    /// Workouts not yet completed, by day.
    pub workouts: Vec<PlannedWorkout>,
    /// Load per week (skipped workouts left out).
    pub weeks: Vec<PlannedWeek>,
}

impl TypedTool for GetPlannedWorkouts {
    type Args = GetPlannedWorkoutsArgs;
    type Output = GetPlannedWorkoutsOutput;
    const NAME: &'static str = "get_planned_workouts";
    const DESCRIPTION: &'static str = "List the workouts still to do: planned, not completed, from start_date \
(default today) to end_date (default 14 days), YYYY-MM-DD. Each shows planned duration, TSS and IF, a summary of \
its interval structure, its advice (pre-activity comments) and whether it was marked skipped; plus planned hours \
and TSS per week. Change them with skip_workout, set_workout_advice, scale_workout_intensity, or update_workout \
(which also moves a workout to another date).";
    const ANNOTATIONS: Annotations = Annotations::read("Get planned workouts");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        if let (Some(s), Some(e)) = (args.start_date, args.end_date) {
            DateRange::new(s, e)?;
            if (e.0 - s.0).num_days() >= MAX_DAYS {
                return Err(ToolError::invalid(
                    "end_date",
                    format!(
                        "at most {MAX_DAYS} days after start_date; use get_workouts for longer"
                    ),
                ));
            }
        }
        Ok(())
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let start = args.start_date.map_or_else(|| ctx.clock().today(), |d| d.0);
        let end = args
            .end_date
            .map_or(start + Duration::days(DEFAULT_DAYS - 1), |d| d.0);
        if end < start {
            return Err(ToolError::invalid(
                "end_date",
                format!("{end} is before the start date {start}"),
            ));
        }
        if (end - start).num_days() >= MAX_DAYS {
            return Err(ToolError::invalid(
                "end_date",
                format!("at most {MAX_DAYS} days after start_date; use get_workouts for longer"),
            ));
        }
        let aid = args.athlete_id.resolve(ctx).await?;
        let all = ctx.client.workouts(aid, start, end).await?;
        let workouts: Vec<PlannedWorkout> = all
            .iter()
            .filter(|w| !w.is_completed())
            .map(|w| PlannedWorkout::from_workout(w))
            .filter(|p| args.include_skipped || !p.skipped)
            .collect();
        let weeks = weeks(&workouts, start, end);
        let out = GetPlannedWorkoutsOutput {
            start_date: start.to_string(),
            end_date: end.to_string(),
            workouts,
            weeks,
        };
        Ok((text(&out), out))
    }
}

fn monday(d: NaiveDate) -> NaiveDate {
    d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

/// Every week touching the window, with the load of its non-skipped workouts.
fn weeks(workouts: &[PlannedWorkout], start: NaiveDate, end: NaiveDate) -> Vec<PlannedWeek> {
    let mut out = Vec::new();
    let mut week = monday(start);
    while week <= end {
        let next = week + Duration::days(7);
        let (mut count, mut hours, mut tss) = (0, 0.0, 0.0);
        for w in workouts.iter().filter(|w| !w.skipped) {
            let day = w
                .workout
                .date
                .as_deref()
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
            if day.is_some_and(|d| d >= week && d < next) {
                count += 1;
                hours += w.workout.duration_planned_hours.unwrap_or(0.0);
                tss += w.workout.tss_planned.unwrap_or(0.0);
            }
        }
        out.push(PlannedWeek {
            week_start: week.to_string(),
            count,
            hours: (hours * 1000.0).round() / 1000.0,
            tss: (tss * 10.0).round() / 10.0,
        });
        week = next;
    }
    out
}

fn text(out: &GetPlannedWorkoutsOutput) -> String {
    if out.workouts.is_empty() {
        return format!(
            "No planned workouts from {} to {}.",
            out.start_date, out.end_date
        );
    }
    let mut lines = vec![format!(
        "{} planned workout(s) from {} to {}:",
        out.workouts.len(),
        out.start_date,
        out.end_date
    )];
    for p in &out.workouts {
        let mut line = p.workout.line();
        if p.skipped {
            line.push_str(" · SKIPPED");
        }
        lines.push(line);
        if let Some(s) = &p.structure_summary {
            lines.push(format!("    Structure: {s}"));
        }
        if let Some(a) = &p.advice {
            lines.push(format!("    Advice: {a}"));
        }
    }
    lines.push("Per week (Monday; skipped left out):".into());
    for w in &out.weeks {
        lines.push(format!(
            "  {}: {} workout(s), {}, TSS {}",
            w.week_start,
            w.count,
            format_hours(w.hours),
            w.tss.round()
        ));
    }
    lines.join("\n")
}
