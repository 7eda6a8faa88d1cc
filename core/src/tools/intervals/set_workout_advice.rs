//! `set_workout_advice` on Intervals.icu: the advice shown with a planned workout (AI
//! Endurance's `changeWorkoutAdvice`; the TrainingPeaks tool of that name writes the
//! "Pre-Activity Comments"). Intervals.icu events have no advice field, so it is the note
//! paragraph starting `Advice: ` at the top of the description (`tools/shared/icu_planning.rs`),
//! written by one `PUT /api/v1/athlete/{id}/events/{eventId}` carrying only the new
//! description, after a GET of the event. The steps, the other notes and every other field are
//! kept.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{self, EventSummary, IcuAthleteId, PlannedRequest, event_line};
use crate::intervals::events::EventWrite;
use crate::tools::shared::icu_planning::{advice_of, check_note, description_unsafe, with_advice};
use crate::tools::{Annotations, ToolContext, ToolError, TypedTool};
use crate::wire::text;

/// Longest advice accepted (a few paragraphs).
const MAX_ADVICE_CHARS: usize = 4000;

/// Arguments of `set_workout_advice`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct SetWorkoutAdviceArgs {
    #[serde(default)]
    pub athlete_id: IcuAthleteId,
    /// The workout's event id (from get_planned_workouts or get_events).
    pub event_id: i64,
    /// The advice, e.g. "Keep the intervals at 95 % if your legs are heavy". An empty string
    /// clears it. No line may start with "- " (Intervals.icu would read it as a step).
    pub advice: String,
    /// Add to the existing advice (on a new line) instead of replacing it.
    #[serde(default)]
    pub append: bool,
    /// Return the request that would be sent, without sending it.
    #[serde(default)]
    pub dry_run: bool,
}

/// Result of `set_workout_advice`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct SetWorkoutAdviceOutput {
    /// Whether this was a dry run (nothing sent).
    pub dry_run: bool,
    /// The request sent (or that would be sent); null when the advice was already so.
    pub request: Option<PlannedRequest>,
    /// The advice before the change, if there was any.
    pub previous_advice: Option<String>,
    /// The advice after it (null: none).
    pub advice: Option<String>,
    /// The event as Intervals.icu stored it (before the change on a dry run).
    pub event: EventSummary,
}

/// The tool.
pub struct SetWorkoutAdvice;

impl TypedTool for SetWorkoutAdvice {
    type Args = SetWorkoutAdviceArgs;
    type Output = SetWorkoutAdviceOutput;
    const NAME: &'static str = "set_workout_advice";
    const DESCRIPTION: &'static str = "Set the advice for a planned Intervals.icu workout \
(event_id): how to pace it, what to focus on, what to do if tired. Intervals.icu has no advice \
field, so it is an \"Advice: …\" note at the top of the workout's description, shown with the \
workout; the steps, load and other notes are kept. Replaces the existing advice unless \
append=true; an empty advice clears it. dry_run=true returns the request without sending it.";
    const ANNOTATIONS: Annotations = Annotations::update("Set Intervals.icu workout advice");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        args.athlete_id.check()?;
        common::check_positive("event_id", args.event_id)?;
        if args.advice.chars().count() > MAX_ADVICE_CHARS {
            return Err(ToolError::invalid(
                "advice",
                format!("at most {MAX_ADVICE_CHARS} characters"),
            ));
        }
        if args.append && args.advice.trim().is_empty() {
            return Err(ToolError::invalid(
                "advice",
                "nothing to append; to clear the advice send \"\" without append",
            ));
        }
        check_note("advice", &args.advice)
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let icu = common::icu(ctx)?;
        let athlete = args.athlete_id.get();
        let e = icu.event(athlete, args.event_id).await?;
        if let Some(why) = description_unsafe(&e, args.event_id) {
            return Err(ToolError::Failed(format!("{why}; nothing was changed.")));
        }
        let description = text(&e.description).unwrap_or_default();
        let previous = advice_of(&description);
        let advice = match (&previous, args.append) {
            (Some(p), true) => format!("{}\n{}", p.trim_end(), args.advice.trim()),
            _ => args.advice.trim().to_string(),
        };
        let new = with_advice(&description, &advice);
        let after = advice_of(&new);
        let before = common::event_summary(&e);
        if new == description {
            return Ok((
                format!(
                    "Event {}: the advice is already so; nothing was sent.\n{}",
                    args.event_id,
                    event_line(&before)
                ),
                SetWorkoutAdviceOutput {
                    dry_run: args.dry_run,
                    request: None,
                    previous_advice: previous,
                    advice: after,
                    event: before,
                },
            ));
        }
        let w = EventWrite {
            description: Some(new),
            ..EventWrite::default()
        };
        let (t, out) = common::write_event(
            icu,
            athlete,
            Some(args.event_id),
            &w,
            args.dry_run,
            "workout",
        )
        .await?;
        let event = out.event.unwrap_or(before);
        let head = match (out.dry_run, &after) {
            (true, _) => t,
            (false, Some(a)) => format!("Advice set on event {}: {a}", args.event_id),
            (false, None) => format!("Advice cleared on event {}.", args.event_id),
        };
        Ok((
            format!("{head}\n{}", event_line(&event)),
            SetWorkoutAdviceOutput {
                dry_run: out.dry_run,
                request: Some(out.request),
                previous_advice: previous,
                advice: after,
                event,
            },
        ))
    }
}
