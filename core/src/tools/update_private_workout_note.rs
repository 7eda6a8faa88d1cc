//! `update_private_workout_note` (tool 14).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::workout_args::check_id;
use super::{Annotations, ToolContext, ToolError, TypedTool};

/// The tool.
pub struct UpdatePrivateWorkoutNote;

/// Arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct UpdatePrivateWorkoutNoteArgs {
    /// Workout id, e.g. 3000000123.
    pub workout_id: i64,
    /// The note (only you can see it). An empty string clears it.
    pub note: String,
}

/// Result.
#[derive(Debug, Serialize, JsonSchema)]
pub struct UpdatePrivateWorkoutNoteOutput {
    /// Workout id.
    pub workout_id: i64,
    /// Whether the note was cleared (empty).
    pub cleared: bool,
}

impl TypedTool for UpdatePrivateWorkoutNote {
    type Args = UpdatePrivateWorkoutNoteArgs;
    type Output = UpdatePrivateWorkoutNoteOutput;
    const NAME: &'static str = "update_private_workout_note";
    const DESCRIPTION: &'static str = "Set your private note on a workout (visible only to you, not your coach). \
Replaces any existing note; an empty note clears it.";
    const ANNOTATIONS: Annotations = Annotations::update("Update private workout note");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        check_id(args.workout_id, "workout_id")
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        ctx.client
            .set_private_workout_note(args.workout_id, &args.note)
            .await?;
        let cleared = args.note.is_empty();
        let text = if cleared {
            format!("Private note cleared on workout {}.", args.workout_id)
        } else {
            format!("Private note updated on workout {}.", args.workout_id)
        };
        Ok((
            text,
            UpdatePrivateWorkoutNoteOutput {
                workout_id: args.workout_id,
                cleared,
            },
        ))
    }
}
