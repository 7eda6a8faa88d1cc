//! `set_workout_advice`: the advice shown with a planned workout (AI Endurance's
//! `changeWorkoutAdvice`). On TrainingPeaks that is the workout's "Pre-Activity Comments" box,
//! which the web app binds to `coachComments` (MARS `workoutCommentsEditor.js`:
//! `#preActivityCommentsInput` observes `coachComments`, saved with the workout; spec §5.2
//! lists it with the workout's text fields). Written by one GET-merge-PUT of the whole workout,
//! the `update_workout` path; nothing else changes.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::shared::args::AthleteId;
use super::shared::planning::PlannedWorkout;
use super::shared::workout_args::check_id;
use super::shared::workout_view::view;
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::trainingpeaks::workouts::Workout;
use crate::wire::text;

/// The tool.
pub struct SetWorkoutAdvice;

/// Longest advice accepted (a few paragraphs).
const MAX_ADVICE_CHARS: usize = 4000;

/// Arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct SetWorkoutAdviceArgs {
    /// The workout's id, e.g. 3000000123.
    pub workout_id: i64,
    /// The advice, e.g. "Keep the intervals at 95 % if your legs are heavy". An empty string
    /// clears it.
    pub advice: String,
    /// Add to the existing advice (a blank line between) instead of replacing it.
    #[serde(default)]
    pub append: bool,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// The result.
#[derive(Debug, Serialize, JsonSchema)]
pub struct SetWorkoutAdviceOutput {
    /// The workout after the change.
    #[serde(flatten)]
    pub workout: PlannedWorkout,
    /// The advice before the change, if there was any.
    pub previous_advice: Option<String>,
}

impl TypedTool for SetWorkoutAdvice {
    type Args = SetWorkoutAdviceArgs;
    type Output = SetWorkoutAdviceOutput;
    const NAME: &'static str = "set_workout_advice";
    const DESCRIPTION: &'static str = "Set the advice for a workout: the \"Pre-Activity Comments\" TrainingPeaks shows \
with it (how to pace it, what to focus on, what to do if tired). Replaces the existing advice unless append=true; an \
empty advice clears it. Everything else in the workout is kept.";
    const ANNOTATIONS: Annotations = Annotations::update("Set workout advice");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        check_id(args.workout_id, "workout_id")?;
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
        Ok(())
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let aid = args.athlete_id.resolve(ctx).await?;
        let current = ctx.client.workout_raw(aid, args.workout_id).await?;
        let previous =
            text(&Workout::from_raw(&current).coach_comments).filter(|s| !s.trim().is_empty());
        let advice = match (&previous, args.append) {
            (Some(p), true) => format!("{}\n\n{}", p.trim_end(), args.advice.trim()),
            _ => args.advice.trim().to_string(),
        };
        let mut changes = Map::new();
        changes.insert("coachComments".into(), advice.into());
        let mut merged = current;
        if let Value::Object(obj) = &mut merged {
            obj.extend(changes);
        }
        let after = view(&ctx.client.put_workout(aid, args.workout_id, merged).await?);
        let workout = PlannedWorkout::from_workout(&after);
        let text = match &workout.advice {
            Some(a) => format!(
                "Advice set on workout {}: {a}\n{}",
                args.workout_id,
                workout.workout.line()
            ),
            None => format!(
                "Advice cleared on workout {}.\n{}",
                args.workout_id,
                workout.workout.line()
            ),
        };
        Ok((
            text,
            SetWorkoutAdviceOutput {
                workout,
                previous_advice: previous,
            },
        ))
    }
}
