//! `get_events`: planned workouts, notes, races and other calendar events in a date range
//! (`GET /api/v1/athlete/{id}/events?oldest&newest[&category]`).
//!
//! Seed difference: the seed showed a `date` key and guessed the type from `workout`/`race`
//! keys, none of which the API sends; this shows `start_date_local`, `category` and `type`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{self, EventSummary, IcuAthleteId, event_line, event_summary};
use crate::intervals::events::CATEGORIES;
use crate::tools::shared::args::Date;
use crate::tools::{Annotations, ToolContext, ToolError, TypedTool};

/// Arguments of `get_events`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetEventsArgs {
    #[serde(default)]
    pub athlete_id: IcuAthleteId,
    /// First day, YYYY-MM-DD (default: today).
    #[serde(default)]
    pub start_date: Option<Date>,
    /// Last day, YYYY-MM-DD (default: 30 days from today).
    #[serde(default)]
    pub end_date: Option<Date>,
    /// Only these categories (WORKOUT, NOTE, RACE_A, RACE_B, RACE_C, HOLIDAY, SICK, INJURED, …);
    /// default all.
    #[serde(default)]
    pub category: Option<Vec<String>>,
}

/// Result of `get_events`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GetEventsOutput {
    /// First day.
    pub start_date: String,
    /// Last day.
    pub end_date: String,
    /// The events, in date order.
    pub events: Vec<EventSummary>,
}

/// The tool.
pub struct GetEvents;

/// Checks event categories, naming the field.
pub(crate) fn check_categories(field: &str, cats: &[String]) -> Result<(), ToolError> {
    for c in cats {
        if !CATEGORIES.contains(&c.as_str()) {
            return Err(ToolError::invalid(
                field,
                format!(
                    "{c:?} is not an event category; use one of {}",
                    CATEGORIES.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

impl TypedTool for GetEvents {
    type Args = GetEventsArgs;
    type Output = GetEventsOutput;
    const NAME: &'static str = "get_events";
    const DESCRIPTION: &'static str = "List Intervals.icu calendar events (planned workouts, notes, \
        races, holidays…) between start_date and end_date (default: today to 30 days ahead): id, \
        date, category, sport, name, planned time, distance and load, and whether the workout is \
        structured. Use the id with get_event_by_id, add_or_update_event or delete_event.";
    const ANNOTATIONS: Annotations = Annotations::read("Intervals.icu events");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        args.athlete_id.check()?;
        check_categories("category", args.category.as_deref().unwrap_or_default())?;
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
        let start = common::day_or(args.start_date, icu, 0);
        let end = common::day_or(args.end_date, icu, 30);
        common::check_order(start, end, "end_date")?;
        let cats: Vec<&str> = args
            .category
            .as_deref()
            .unwrap_or_default()
            .iter()
            .map(String::as_str)
            .collect();
        let list = icu.events(args.athlete_id.get(), start, end, &cats).await?;
        let events: Vec<EventSummary> = list.iter().map(event_summary).collect();
        let mut text = if events.is_empty() {
            format!("No events from {start} to {end}.")
        } else {
            format!("{} events from {start} to {end}:", events.len())
        };
        for e in &events {
            text.push_str(&format!("\n- {}", event_line(e)));
        }
        Ok((
            text,
            GetEventsOutput {
                start_date: start.to_string(),
                end_date: end.to_string(),
                events,
            },
        ))
    }
}
