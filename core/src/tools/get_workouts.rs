//! `get_workouts`: planned and completed workouts in a date range (tool 3). Unlike the
//! reference (90-day limit), any range works: longer ranges are fetched as concurrent 90-day
//! windows. Optional sport filter.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::args::{AthleteId, Date, DateRange, END_DATE, START_DATE, Sport};
use super::shared::workout_view::{WorkoutItem, format_hours};
use super::{Annotations, ToolContext, ToolError, TypedTool};

/// The tool.
pub struct GetWorkouts;

/// Arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetWorkoutsArgs {
    #[schemars(description = START_DATE)]
    pub start_date: Date,
    #[schemars(description = END_DATE)]
    pub end_date: Date,
    /// Only this sport, e.g. "bike" (omit for all).
    #[serde(default)]
    pub sport: Option<Sport>,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// The workouts found, sorted by date then order on the day.
#[derive(Debug, Serialize, JsonSchema)]
pub struct GetWorkoutsOutput {
    /// First day, `YYYY-MM-DD`.
    pub start_date: String,
    /// Last day, `YYYY-MM-DD`.
    pub end_date: String,
    /// Number of workouts returned.
    pub count: usize,
    /// Sum of planned TSS.
    pub tss_planned_total: f64,
    /// Sum of actual TSS.
    pub tss_actual_total: f64,
    /// Sum of planned hours.
    pub duration_planned_hours_total: f64,
    /// Sum of actual hours.
    pub duration_actual_hours_total: f64,
    /// The workouts.
    pub workouts: Vec<WorkoutItem>,
}

impl TypedTool for GetWorkouts {
    type Args = GetWorkoutsArgs;
    type Output = GetWorkoutsOutput;
    const NAME: &'static str = "get_workouts";
    const DESCRIPTION: &'static str = "List planned and completed workouts between start_date and end_date \
(YYYY-MM-DD, inclusive; up to ten years, long ranges are fetched in chunks), optionally for one sport. Each \
workout shows planned and actual values side by side: duration (hours), distance (metres), TSS, IF, \
plus heart rate (bpm) and power (W) when recorded. Use get_workout for details and structure.";
    const ANNOTATIONS: Annotations = Annotations::read("Get workouts");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        DateRange::new(args.start_date, args.end_date)?.at_most(MAX_RANGE_DAYS, "ten years")?;
        Ok(())
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let aid = args.athlete_id.resolve(ctx).await?;
        let all = ctx
            .client
            .workouts(aid, args.start_date.0, args.end_date.0)
            .await?;
        let wanted = args.sport.map(Sport::type_id);
        let (dates, workouts): (Vec<Option<NaiveDate>>, Vec<WorkoutItem>) = all
            .iter()
            .filter(|w| wanted.is_none() || w.workout_type_value_id.val() == wanted)
            .map(|w| (w.date(), WorkoutItem::from_workout(w)))
            .unzip();
        let sum = |f: fn(&WorkoutItem) -> Option<f64>| workouts.iter().filter_map(f).sum::<f64>();
        let out = GetWorkoutsOutput {
            start_date: args.start_date.to_string(),
            end_date: args.end_date.to_string(),
            count: workouts.len(),
            tss_planned_total: round1(sum(|w| w.tss_planned)),
            tss_actual_total: round1(sum(|w| w.tss_actual)),
            duration_planned_hours_total: round3(sum(|w| w.duration_planned_hours)),
            duration_actual_hours_total: round3(sum(|w| w.duration_actual_hours)),
            workouts,
        };
        let sport = args
            .sport
            .map(|s| format!(" {}", s.label()))
            .unwrap_or_default();
        let text = if out.workouts.is_empty() {
            format!(
                "No{sport} workouts from {} to {}.",
                out.start_date, out.end_date
            )
        } else {
            let mut text =
                String::with_capacity(out.workouts.len().min(TEXT_LIST_LIMIT) * 150 + 200);
            text.push_str(&format!(
                "{}{sport} workout(s) from {} to {} — planned {} TSS {} | actual {} TSS {}:",
                out.count,
                out.start_date,
                out.end_date,
                format_hours(out.duration_planned_hours_total),
                out.tss_planned_total.round(),
                format_hours(out.duration_actual_hours_total),
                out.tss_actual_total.round(),
            ));
            if out.workouts.len() <= TEXT_LIST_LIMIT {
                for w in &out.workouts {
                    text.push('\n');
                    w.write_line(&mut text);
                }
            } else {
                weekly_lines(&out.workouts, &dates, &mut text);
            }
            text
        };
        Ok((text, out))
    }
}

/// The longest range accepted (ten years): longer is almost certainly a typo and would cost
/// dozens of requests against a ~100 requests/minute limit.
const MAX_RANGE_DAYS: i64 = 3660;

/// Above this many workouts the text gives one line per week instead of one per workout: a
/// year of workouts is ~70 kB of text, too much for a model's context, while the structured
/// output still carries every workout.
const TEXT_LIST_LIMIT: usize = 120;

/// One line per Monday-based week: count, planned and actual hours and TSS. `dates[i]` is the
/// day of `workouts[i]`; workouts without one (sorted last) are counted under "unknown day".
fn weekly_lines(workouts: &[WorkoutItem], dates: &[Option<NaiveDate>], text: &mut String) {
    use chrono::Datelike;
    use std::fmt::Write as _;
    text.push_str(
        "\nToo many to list one by one (narrow the range for per-workout lines); by week:",
    );
    let week_of = |i: usize| {
        dates
            .get(i)
            .copied()
            .flatten()
            .map(|d| d - chrono::Duration::days(i64::from(d.weekday().num_days_from_monday())))
    };
    let mut i = 0;
    while workouts.get(i).is_some() {
        let week = week_of(i);
        let (mut n, mut ph, mut ah, mut pt, mut at) = (0, 0.0, 0.0, 0.0, 0.0);
        while let Some(w) = workouts.get(i).filter(|_| week_of(i) == week) {
            n += 1;
            ph += w.duration_planned_hours.unwrap_or(0.0);
            ah += w.duration_actual_hours.unwrap_or(0.0);
            pt += w.tss_planned.unwrap_or(0.0);
            at += w.tss_actual.unwrap_or(0.0);
            i += 1;
        }
        let label = week.map_or_else(
            || "unknown day".to_string(),
            |d| format!("week of {}", d.format("%Y-%m-%d")),
        );
        let _ = write!(
            text,
            "\n{label}: {n} workout(s) — planned {} TSS {} | actual {} TSS {}",
            format_hours(ph),
            pt.round(),
            format_hours(ah),
            at.round()
        );
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
