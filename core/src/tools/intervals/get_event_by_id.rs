//! `get_event_by_id`: one calendar event with its workout.
//!
//! Seed difference: the seed called the singular `/athlete/{id}/event/{eventId}`, which
//! returns 404 (seed issues #79, #106), and read `date`/`workout` keys the API never sends.
//! This calls the documented plural `GET /api/v1/athlete/{id}/events/{eventId}` and shows
//! `start_date_local` and `workout_doc`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::common::{self, EventSummary, IcuAthleteId, event_line, event_summary};
use crate::tools::{Annotations, ToolContext, ToolError, TypedTool};

/// Arguments of `get_event_by_id`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetEventByIdArgs {
    #[serde(default)]
    pub athlete_id: IcuAthleteId,
    /// Event id (from get_events).
    pub event_id: i64,
}

/// Result of `get_event_by_id`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GetEventByIdOutput {
    /// The event.
    pub event: EventSummary,
    /// The structured workout as Intervals.icu parsed it (`workout_doc`), if any.
    pub workout_doc: Option<Value>,
    /// Tags.
    pub tags: Vec<String>,
}

/// The tool.
pub struct GetEventById;

impl TypedTool for GetEventById {
    type Args = GetEventByIdArgs;
    type Output = GetEventByIdOutput;
    const NAME: &'static str = "get_event_by_id";
    const DESCRIPTION: &'static str = "One Intervals.icu calendar event by event_id (from \
        get_events): date, category, sport, name, description (for workouts, the workout text), \
        planned time, distance and load, and the parsed workout steps (workout_doc).";
    const ANNOTATIONS: Annotations = Annotations::read("Intervals.icu event");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        args.athlete_id.check()?;
        common::check_positive("event_id", args.event_id)
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let icu = common::icu(ctx)?;
        let e = icu.event(args.athlete_id.get(), args.event_id).await?;
        let event = event_summary(&e);
        let mut text = event_line(&event);
        if let Some(d) = &event.description {
            text.push_str(&format!("\nDescription:\n{}", common::cut(d, 2000)));
        }
        let out = GetEventByIdOutput {
            event,
            workout_doc: e.workout_doc.get().filter(|v| !v.is_null()).cloned(),
            tags: e.tags.get().cloned().unwrap_or_default(),
        };
        Ok((text, out))
    }
}
