//! `skip_workout` on Intervals.icu: mark a planned workout (a WORKOUT event) as skipped, or
//! take the mark off (AI Endurance's `skipWorkout`; the TrainingPeaks tool of that name). How
//! a skip is kept on an event is decided in `tools/shared/icu_planning.rs`: the tag `skipped`
//! in `tags` and, with a reason, a `Skipped: <reason>` note paragraph at the top of the
//! description, in one `PUT /api/v1/athlete/{id}/events/{eventId}` with only those fields
//! (after a GET of the event). The event stays on the calendar; `delete_event` removes it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{self, EventSummary, IcuAthleteId, PlannedRequest, event_line};
use crate::intervals::events::EventWrite;
use crate::tools::shared::icu_planning::{
    check_planned, description_unsafe, is_skipped, tags_of, with_skip_reason, with_skipped,
    without_skipped,
};
use crate::tools::{Annotations, ToolContext, ToolError, TypedTool};
use crate::wire::text;

/// Longest reason kept (a note, not an essay).
const MAX_REASON_CHARS: usize = 500;

/// Arguments of `skip_workout`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct SkipWorkoutArgs {
    #[serde(default)]
    pub athlete_id: IcuAthleteId,
    /// The planned workout's event id (from get_planned_workouts or get_events).
    pub event_id: i64,
    /// Why, e.g. "ill"; written as a `Skipped: …` note at the top of the description.
    #[serde(default)]
    pub reason: Option<String>,
    /// Take the skipped mark off again (the note stays).
    #[serde(default)]
    pub undo: bool,
    /// Return the request that would be sent, without sending it.
    #[serde(default)]
    pub dry_run: bool,
}

/// Result of `skip_workout`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct SkipWorkoutOutput {
    /// Whether this was a dry run (nothing sent).
    pub dry_run: bool,
    /// The request sent (or that would be sent); null when nothing needed to change.
    pub request: Option<PlannedRequest>,
    /// The fields written (`tags`, `description`); empty when nothing needed to change.
    pub changed_fields: Vec<String>,
    /// Whether the event is marked skipped after the call (as it would be, on a dry run).
    pub skipped: bool,
    /// The event as Intervals.icu stored it (before the change on a dry run or when nothing
    /// changed).
    pub event: EventSummary,
}

/// The tool.
pub struct SkipWorkout;

impl TypedTool for SkipWorkout {
    type Args = SkipWorkoutArgs;
    type Output = SkipWorkoutOutput;
    const NAME: &'static str = "skip_workout";
    const DESCRIPTION: &'static str = "Mark a planned Intervals.icu workout (event_id) as skipped. \
Intervals.icu has no skipped state, so the event stays on the calendar with the tag \"skipped\" \
and, with a reason, a \"Skipped: <reason>\" note at the top of its description (notes do not \
change the steps or load); get_planned_workouts flags it and get_fitness_projection leaves its \
load out. undo=true takes the tag off. To remove the workout use delete_event; to move it, \
add_or_update_event with a new start_date. dry_run=true returns the request without sending it.";
    const ANNOTATIONS: Annotations = Annotations::update("Skip an Intervals.icu workout");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        args.athlete_id.check()?;
        common::check_positive("event_id", args.event_id)?;
        if let Some(r) = &args.reason {
            if r.trim().is_empty() {
                return Err(ToolError::invalid(
                    "reason",
                    "must not be empty; omit it for no reason",
                ));
            }
            if r.chars().count() > MAX_REASON_CHARS {
                return Err(ToolError::invalid(
                    "reason",
                    format!("at most {MAX_REASON_CHARS} characters"),
                ));
            }
            if args.undo {
                return Err(ToolError::invalid(
                    "reason",
                    "give a reason only when skipping, not with undo",
                ));
            }
            crate::tools::shared::icu_planning::check_note("reason", r)?;
        }
        Ok(())
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let icu = common::icu(ctx)?;
        let athlete = args.athlete_id.get();
        let e = icu.event(athlete, args.event_id).await?;
        if !args.undo {
            check_planned(&e, args.event_id, "skipped")?;
        }
        let tags = tags_of(&e);
        let mut w = EventWrite::default();
        let mut changed = Vec::new();
        let new_tags = if args.undo {
            without_skipped(&tags)
        } else {
            with_skipped(&tags)
        };
        if new_tags != tags {
            w.tags = Some(new_tags);
            changed.push("tags".to_string());
        }
        // The reason goes in the description only where rewriting it is safe.
        let unsafe_reason = args
            .reason
            .as_ref()
            .and_then(|_| description_unsafe(&e, args.event_id));
        if let Some(r) = &args.reason
            && unsafe_reason.is_none()
            && let Some(d) = with_skip_reason(&text(&e.description).unwrap_or_default(), r)
        {
            w.description = Some(d);
            changed.push("description".to_string());
        }
        let reason_note = unsafe_reason
            .map(|why| format!("\nThe reason was not written: {why}."))
            .unwrap_or_default();
        let before = common::event_summary(&e);
        if changed.is_empty() {
            let t = if args.undo {
                format!(
                    "Event {} was not marked skipped; nothing was sent.",
                    args.event_id
                )
            } else {
                format!(
                    "Event {} was already marked skipped; nothing was sent.",
                    args.event_id
                )
            };
            return Ok((
                format!("{t}{reason_note}\n{}", event_line(&before)),
                SkipWorkoutOutput {
                    dry_run: args.dry_run,
                    request: None,
                    changed_fields: changed,
                    skipped: is_skipped(&e),
                    event: before,
                },
            ));
        }
        let (t, out) = common::write_event(
            icu,
            athlete,
            Some(args.event_id),
            &w,
            args.dry_run,
            "workout",
        )
        .await?;
        let head = match (args.dry_run, args.undo) {
            (true, _) => t,
            (false, false) => format!("Event {} marked skipped.", args.event_id),
            (false, true) => format!("Event {}: skipped mark taken off.", args.event_id),
        };
        let event = out.event.unwrap_or(before);
        let text = format!("{head}{reason_note}\n{}", event_line(&event));
        Ok((
            text,
            SkipWorkoutOutput {
                dry_run: out.dry_run,
                request: Some(out.request),
                changed_fields: changed,
                skipped: !args.undo,
                event,
            },
        ))
    }
}
