//! `get_events`: races and events in a date range.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::args::{AthleteId, Date, DateRange};
use super::shared::calendar::EventView;
use super::{Annotations, ToolContext, ToolError, TypedTool};

/// The `get_events` tool.
#[derive(Debug)]
pub struct GetEvents;

/// Arguments of `get_events`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetEventsArgs {
    /// First day, `YYYY-MM-DD` (e.g. `2026-11-21`). Default: today.
    #[serde(default)]
    pub start_date: Option<Date>,
    /// Last day (inclusive), `YYYY-MM-DD`. Default: one year after `start_date`.
    #[serde(default)]
    pub end_date: Option<Date>,
    /// Also list events hidden from the calendar. Default false (the reference drops them).
    #[serde(default)]
    pub include_hidden: Option<bool>,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// Result of `get_events`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct GetEventsOutput {
    /// First day searched, `YYYY-MM-DD`.
    pub start_date: String,
    /// Last day searched, `YYYY-MM-DD`.
    pub end_date: String,
    /// Number of events listed.
    pub count: usize,
    /// Hidden events left out (0 when `include_hidden`).
    pub hidden_count: usize,
    /// The events, by date.
    pub events: Vec<EventView>,
}

impl TypedTool for GetEvents {
    type Args = GetEventsArgs;
    type Output = GetEventsOutput;
    const NAME: &'static str = "get_events";
    const DESCRIPTION: &'static str = "List races and events between two dates (YYYY-MM-DD; default today to one year \
         ahead), sorted by date, with days until each, priority (A/B/C), type, distance and CTL \
         target; ✓ marks events already raced (with a result). Hidden events are left out \
         unless include_hidden is true. Use the ids with update_event and delete_event.";
    const ANNOTATIONS: Annotations = Annotations::read("List events");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
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
        let start = args.start_date.unwrap_or(Date(today));
        let end = match args.end_date {
            Some(e) => e,
            None => Date(
                start
                    .0
                    .checked_add_months(chrono::Months::new(12))
                    .unwrap_or(start.0),
            ),
        };
        DateRange::new(start, end)?;
        let aid = args.athlete_id.resolve(ctx).await?;
        let include_hidden = args.include_hidden.unwrap_or(false);
        let mut all = ctx.client.events(aid, start.0, end.0).await?;
        // An event without a readable id cannot be acted on: it is left out, the others
        // are listed. Events without a readable date sort last.
        all.retain(|e| e.id().is_ok());
        all.sort_by_key(|e| (e.date().is_none(), e.date(), e.id().ok()));
        let hidden_count = if include_hidden {
            0
        } else {
            all.iter().filter(|e| e.hidden()).count()
        };
        let events: Vec<EventView> = all
            .iter()
            .filter(|e| include_hidden || !e.hidden())
            .filter_map(|e| EventView::new(e, today).ok())
            .collect();
        let mut text = if events.is_empty() {
            format!("No events found between {start} and {end}.")
        } else {
            let lines: Vec<String> = events.iter().map(EventView::line).collect();
            format!(
                "{} event(s) from {start} to {end}:\n{}",
                events.len(),
                lines.join("\n")
            )
        };
        if hidden_count > 0 {
            text.push_str(&format!(
                "\n({hidden_count} hidden event(s) not shown; pass include_hidden: true)"
            ));
        }
        Ok((
            text,
            GetEventsOutput {
                start_date: start.to_string(),
                end_date: end.to_string(),
                count: events.len(),
                hidden_count,
                events,
            },
        ))
    }
}
