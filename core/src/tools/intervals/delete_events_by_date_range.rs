//! `delete_events_by_date_range`: deletes the events of a date range.
//!
//! Seed difference: the seed listed the events and sent one `DELETE` per event (N+1 calls,
//! partial failures); this lists them once to say what goes, then sends the documented single
//! `DELETE /api/v1/athlete/{id}/events?oldest&newest&category=…`. Its `category` is required by
//! the API, so the default is every category (what the seed deleted).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{self, EventSummary, IcuAthleteId, PlannedRequest, event_line, event_summary};
use super::get_events::check_categories;
use crate::intervals::events::CATEGORIES;
use crate::tools::shared::args::Date;
use crate::tools::{Annotations, ToolContext, ToolError, TypedTool};

/// Arguments of `delete_events_by_date_range`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct DeleteEventsByDateRangeArgs {
    #[serde(default)]
    pub athlete_id: IcuAthleteId,
    /// First day, YYYY-MM-DD.
    pub start_date: Date,
    /// Last day, YYYY-MM-DD (inclusive).
    pub end_date: Date,
    /// Only these categories (e.g. ["WORKOUT"]); default every category.
    #[serde(default)]
    pub category: Option<Vec<String>>,
    /// Return the request that would be sent (and the events it would delete), without sending.
    #[serde(default)]
    pub dry_run: bool,
}

/// Result of `delete_events_by_date_range`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DeleteEventsByDateRangeOutput {
    /// Whether this was a dry run (nothing sent).
    pub dry_run: bool,
    /// The request sent (or that would be sent); absent when nothing matched.
    pub request: Option<PlannedRequest>,
    /// The events in the range before the delete (what goes).
    pub events: Vec<EventSummary>,
    /// How many were deleted (0 on a dry run).
    pub deleted: usize,
}

/// The tool.
pub struct DeleteEventsByDateRange;

impl TypedTool for DeleteEventsByDateRange {
    type Args = DeleteEventsByDateRangeArgs;
    type Output = DeleteEventsByDateRangeOutput;
    const NAME: &'static str = "delete_events_by_date_range";
    const DESCRIPTION: &'static str = "Delete every Intervals.icu calendar event from start_date \
        to end_date (inclusive), optionally only some categories (e.g. [\"WORKOUT\"]), in one \
        request. Lists what goes first; dry_run=true shows the events and the request without \
        deleting anything.";
    const ANNOTATIONS: Annotations = Annotations::delete("Delete Intervals.icu events in a range");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        args.athlete_id.check()?;
        let cats = args.category.as_deref().unwrap_or_default();
        check_categories("category", cats)?;
        if args.category.as_ref().is_some_and(Vec::is_empty) {
            return Err(ToolError::invalid(
                "category",
                "give at least one category, or omit it for all",
            ));
        }
        common::check_order(args.start_date.0, args.end_date.0, "end_date")
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let icu = common::icu(ctx)?;
        let (start, end) = (args.start_date.0, args.end_date.0);
        let athlete = args.athlete_id.get();
        let cats: Vec<&str> = match &args.category {
            Some(c) => c.iter().map(String::as_str).collect(),
            None => CATEGORIES.to_vec(),
        };
        let events: Vec<EventSummary> = icu
            .events(athlete, start, end, &cats)
            .await?
            .iter()
            .map(event_summary)
            .collect();
        let list = |events: &[EventSummary]| {
            events
                .iter()
                .map(|e| format!("\n- {}", event_line(e)))
                .collect::<String>()
        };
        if events.is_empty() {
            return Ok((
                format!("No events from {start} to {end}; nothing deleted."),
                DeleteEventsByDateRangeOutput {
                    dry_run: args.dry_run,
                    request: None,
                    events,
                    deleted: 0,
                },
            ));
        }
        let cats = &cats;
        let request = common::plan(icu, |c| async move {
            c.delete_events_range(athlete, start, end, cats).await
        })
        .await?;
        if args.dry_run {
            let text = format!(
                "{}\nIt would delete these {} events:{}",
                common::dry_run_text(
                    &format!("delete the events from {start} to {end}"),
                    &request
                ),
                events.len(),
                list(&events)
            );
            return Ok((
                text,
                DeleteEventsByDateRangeOutput {
                    dry_run: true,
                    request: Some(request),
                    events,
                    deleted: 0,
                },
            ));
        }
        icu.delete_events_range(athlete, start, end, cats).await?;
        let deleted = events.len();
        Ok((
            format!(
                "Deleted {deleted} events from {start} to {end}:{}",
                list(&events)
            ),
            DeleteEventsByDateRangeOutput {
                dry_run: false,
                request: Some(request),
                events,
                deleted,
            },
        ))
    }
}
