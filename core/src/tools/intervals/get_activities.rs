//! `get_activities`: completed activities in a date range.
//!
//! Seed differences: the seed asked for three times `limit` and, when too few named activities
//! came back, fetched 60 more days; this asks for `limit` once (`GET
//! /api/v1/athlete/{id}/activities?oldest&newest&limit`) and says how many unnamed ones it left
//! out. It reads the documented `icu_*` fields, not `startTime`/`avgPower`, which the API never
//! sends.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{self, ActivitySummary, IcuAthleteId, activity_line, activity_summary};
use crate::tools::shared::args::Date;
use crate::tools::{Annotations, ToolContext, ToolError, TypedTool};

/// Arguments of `get_activities`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetActivitiesArgs {
    #[serde(default)]
    pub athlete_id: IcuAthleteId,
    /// First day, YYYY-MM-DD (default: 30 days ago).
    #[serde(default)]
    pub start_date: Option<Date>,
    /// Last day, YYYY-MM-DD (default: today).
    #[serde(default)]
    pub end_date: Option<Date>,
    /// Most activities to return, 1–500 (default 10).
    #[serde(default)]
    pub limit: Option<u32>,
    /// Include activities without a name (default false).
    #[serde(default)]
    pub include_unnamed: bool,
}

/// Result of `get_activities`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GetActivitiesOutput {
    /// First day.
    pub start_date: String,
    /// Last day.
    pub end_date: String,
    /// The activities, newest first.
    pub activities: Vec<ActivitySummary>,
    /// Unnamed activities left out (include_unnamed=false).
    pub unnamed_skipped: usize,
}

/// The tool.
pub struct GetActivities;

impl TypedTool for GetActivities {
    type Args = GetActivitiesArgs;
    type Output = GetActivitiesOutput;
    const NAME: &'static str = "get_activities";
    const DESCRIPTION: &'static str = "List completed Intervals.icu activities between start_date \
        and end_date (default: the last 30 days), newest first, at most `limit` (default 10): id, \
        local start, sport, name, time, distance, load, power, heart rate, RPE. Use the id with \
        get_activity_details, get_activity_intervals or get_activity_streams.";
    const ANNOTATIONS: Annotations = Annotations::read("Intervals.icu activities");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        args.athlete_id.check()?;
        if let Some(l) = args.limit
            && !(1..=500).contains(&l)
        {
            return Err(ToolError::invalid(
                "limit",
                format!("{l} is out of range (1–500)"),
            ));
        }
        if let (Some(s), Some(e)) = (args.start_date, args.end_date) {
            common::check_order(s.0, e.0, "end_date")?;
        }
        Ok(())
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let icu = common::icu(ctx)?;
        let start = common::day_or(args.start_date, icu, -30);
        let end = common::day_or(args.end_date, icu, 0);
        common::check_order(start, end, "end_date")?;
        let limit = args.limit.unwrap_or(10);
        let list = icu
            .activities(args.athlete_id.get(), start, end, Some(limit))
            .await?;
        let all: Vec<ActivitySummary> = list.iter().map(activity_summary).collect();
        let total = all.len();
        let activities: Vec<ActivitySummary> = all
            .into_iter()
            .filter(|a| args.include_unnamed || a.name.is_some())
            .collect();
        let unnamed_skipped = total - activities.len();
        let mut text = if activities.is_empty() {
            format!("No activities from {start} to {end}.")
        } else {
            format!("{} activities from {start} to {end}:", activities.len())
        };
        for a in &activities {
            text.push_str(&format!("\n- {}", activity_line(a)));
        }
        if unnamed_skipped > 0 {
            text.push_str(&format!(
                "\n({unnamed_skipped} unnamed activities left out; include_unnamed=true shows them.)"
            ));
        }
        if total as u32 >= limit {
            text.push_str(&format!(
                "\nThe limit of {limit} was reached; raise `limit` or narrow the dates for more."
            ));
        }
        Ok((
            text,
            GetActivitiesOutput {
                start_date: start.to_string(),
                end_date: end.to_string(),
                activities,
                unnamed_skipped,
            },
        ))
    }
}
