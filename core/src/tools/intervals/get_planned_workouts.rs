//! `get_planned_workouts` on Intervals.icu: the WORKOUT events still ahead (AI Endurance's
//! `getPlannedWorkouts`), next 14 days by default, with each one's load, duration and workout
//! text, and the planned load per Monday week; the counterpart of TrainingPeaks'
//! `get_planned_workouts` (one `GET /api/v1/athlete/{id}/events?category=WORKOUT`). Intervals.icu
//! keeps planned workouts as events apart from the activities, so every WORKOUT event in the
//! range is listed.

use chrono::{Datelike, Duration, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{self, IcuAthleteId};
use crate::tools::shared::args::Date;
use crate::tools::shared::icu_planning::{event_advice, is_skipped};
use crate::tools::shared::workout_view::format_hours;
use crate::tools::{Annotations, ToolContext, ToolError, TypedTool};
use crate::wire::text;

/// The tool.
pub struct GetPlannedWorkouts;

const DEFAULT_DAYS: i64 = 14;
const MAX_DAYS: i64 = 92;

/// Arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetPlannedWorkoutsArgs {
    #[serde(default)]
    pub athlete_id: IcuAthleteId,
    /// First day, `YYYY-MM-DD` (default: today).
    #[serde(default)]
    pub start_date: Option<Date>,
    /// Last day, `YYYY-MM-DD`, inclusive (default: 13 days after `start_date`); at most 92
    /// days after it.
    #[serde(default)]
    pub end_date: Option<Date>,
}

/// One planned workout.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct PlannedEvent {
    /// The event id (for get_event_by_id, add_or_update_event, delete_event).
    pub event_id: Option<i64>,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Sport, e.g. `Ride`.
    pub sport: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Planned load.
    pub load: Option<f64>,
    /// Planned moving time, hours.
    pub duration_hours: Option<f64>,
    /// Planned distance, metres.
    pub distance_m: Option<f64>,
    /// The workout text (description), if any.
    pub workout_text: Option<String>,
    /// Marked skipped (tag `skipped`, see skip_workout).
    pub skipped: bool,
    /// The advice note (see set_workout_advice), if any.
    pub advice: Option<String>,
}

/// Load of one week (Monday to Sunday) of the window.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct PlannedWeek {
    /// Monday of the week, `YYYY-MM-DD`.
    pub week_start: String,
    /// Planned workouts that week in the window.
    pub count: usize,
    /// Planned hours.
    pub hours: f64,
    /// Planned load.
    pub load: f64,
}

/// The planned workouts.
#[derive(Debug, Serialize, JsonSchema)]
pub struct GetPlannedWorkoutsOutput {
    /// First day.
    pub start_date: String,
    /// Last day.
    pub end_date: String,
    /// The workouts, by day.
    pub workouts: Vec<PlannedEvent>,
    /// Load per week.
    pub weeks: Vec<PlannedWeek>,
}

impl TypedTool for GetPlannedWorkouts {
    type Args = GetPlannedWorkoutsArgs;
    type Output = GetPlannedWorkoutsOutput;
    const NAME: &'static str = "get_planned_workouts";
    const DESCRIPTION: &'static str = "List the planned workouts (WORKOUT events) on Intervals.icu from start_date \
(default today) to end_date (default 14 days), YYYY-MM-DD: each with its load, duration, distance and workout \
text, skipped mark and advice, plus planned hours and load per week. Change one with add_or_update_event (also to \
move it to another date), skip it with skip_workout, remove it with delete_event.";
    const ANNOTATIONS: Annotations = Annotations::read("Intervals.icu planned workouts");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        args.athlete_id.check()?;
        if let (Some(s), Some(e)) = (args.start_date, args.end_date) {
            common::check_order(s.0, e.0, "end_date")?;
            if (e.0 - s.0).num_days() >= MAX_DAYS {
                return Err(ToolError::invalid(
                    "end_date",
                    format!("at most {MAX_DAYS} days after start_date; use get_events for longer"),
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
        let icu = common::icu(ctx)?;
        let start = args.start_date.map_or_else(|| common::today(icu), |d| d.0);
        let end = args
            .end_date
            .map_or(start + Duration::days(DEFAULT_DAYS - 1), |d| d.0);
        common::check_order(start, end, "end_date")?;
        if (end - start).num_days() >= MAX_DAYS {
            return Err(ToolError::invalid(
                "end_date",
                format!("at most {MAX_DAYS} days after start_date; use get_events for longer"),
            ));
        }
        let events = icu
            .events(args.athlete_id.get(), start, end, &["WORKOUT"])
            .await?;
        let mut workouts: Vec<PlannedEvent> = events
            .iter()
            .map(|e| PlannedEvent {
                event_id: e.id.val(),
                date: e.start_date_local.get().map(|s| s.at().date().to_string()),
                sport: text(&e.sport),
                name: text(&e.name),
                load: e.icu_training_load.val(),
                duration_hours: e
                    .moving_time
                    .val()
                    .filter(|s| *s > 0)
                    .map(|s| (s as f64 / 3600.0 * 1000.0).round() / 1000.0),
                distance_m: e.distance.val().filter(|d| *d > 0.0),
                workout_text: text(&e.description).filter(|t| !t.trim().is_empty()),
                skipped: is_skipped(e),
                advice: event_advice(e),
            })
            .collect();
        workouts.sort_by(|a, b| a.date.cmp(&b.date));
        let mut weeks = Vec::new();
        let mut week = start - Duration::days(i64::from(start.weekday().num_days_from_monday()));
        while week <= end {
            let next = week + Duration::days(7);
            let of_week: Vec<&PlannedEvent> = workouts
                .iter()
                .filter(|w| {
                    w.date
                        .as_deref()
                        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                        .is_some_and(|d| d >= week && d < next)
                })
                .collect();
            weeks.push(PlannedWeek {
                week_start: week.to_string(),
                count: of_week.len(),
                hours: (of_week.iter().filter_map(|w| w.duration_hours).sum::<f64>() * 1000.0)
                    .round()
                    / 1000.0,
                load: (of_week.iter().filter_map(|w| w.load).sum::<f64>() * 10.0).round() / 10.0,
            });
            week = next;
        }
        let mut lines = vec![if workouts.is_empty() {
            format!("No planned workouts from {start} to {end}.")
        } else {
            format!(
                "{} planned workout(s) from {start} to {end}:",
                workouts.len()
            )
        }];
        for w in &workouts {
            lines.push(format!(
                "{} {} {} (event {}){}{}{}",
                w.date.as_deref().unwrap_or("—"),
                w.sport.as_deref().unwrap_or("—"),
                w.name.as_deref().unwrap_or("Untitled"),
                w.event_id.map_or_else(|| "—".into(), |i| i.to_string()),
                w.duration_hours
                    .map(|h| format!(" · {}", format_hours(h)))
                    .unwrap_or_default(),
                w.load
                    .map(|l| format!(" · load {l:.0}"))
                    .unwrap_or_default(),
                if w.skipped { " · SKIPPED" } else { "" },
            ));
        }
        if !workouts.is_empty() {
            lines.push("Per week (Monday):".into());
            for w in &weeks {
                lines.push(format!(
                    "  {}: {} workout(s), {}, load {:.0}",
                    w.week_start,
                    w.count,
                    format_hours(w.hours),
                    w.load
                ));
            }
        }
        Ok((
            lines.join("\n"),
            GetPlannedWorkoutsOutput {
                start_date: start.to_string(),
                end_date: end.to_string(),
                workouts,
                weeks,
            },
        ))
    }
}
