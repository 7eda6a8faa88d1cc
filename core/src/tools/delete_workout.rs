//! `delete_workout` (tool 8).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::args::AthleteId;
use super::shared::workout_args::check_id;
use super::{Annotations, ToolContext, ToolError, TypedTool};

/// The tool.
pub struct DeleteWorkout;

/// Arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct DeleteWorkoutArgs {
    /// Workout id to delete, e.g. 3000000123.
    pub workout_id: i64,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// Result.
#[derive(Debug, Serialize, JsonSchema)]
pub struct DeleteWorkoutOutput {
    /// The deleted workout's id.
    pub workout_id: i64,
    /// Always true on success.
    pub deleted: bool,
}

impl TypedTool for DeleteWorkout {
    type Args = DeleteWorkoutArgs;
    type Output = DeleteWorkoutOutput;
    const NAME: &'static str = "delete_workout";
    const DESCRIPTION: &'static str = "Delete a workout (planned or completed, with its data) from the calendar. \
This cannot be undone.";
    const ANNOTATIONS: Annotations = Annotations::delete("Delete workout");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        check_id(args.workout_id, "workout_id")
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let aid = args.athlete_id.resolve(ctx).await?;
        ctx.client.delete_workout(aid, args.workout_id).await?;
        Ok((
            format!("Workout {} deleted.", args.workout_id),
            DeleteWorkoutOutput {
                workout_id: args.workout_id,
                deleted: true,
            },
        ))
    }
}
