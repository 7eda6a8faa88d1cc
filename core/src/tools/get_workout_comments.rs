//! `get_workout_comments` (tool 11).

use schemars::JsonSchema;
use serde::Deserialize;

use super::shared::args::AthleteId;
use super::shared::workout_args::check_id;
use super::shared::workout_comments::{CommentThread, thread};
use super::{Annotations, ToolContext, ToolError, TypedTool};

/// The tool.
pub struct GetWorkoutComments;

/// Arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetWorkoutCommentsArgs {
    /// Workout id, e.g. 3000000123.
    pub workout_id: i64,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

impl TypedTool for GetWorkoutComments {
    type Args = GetWorkoutCommentsArgs;
    type Output = CommentThread;
    const NAME: &'static str = "get_workout_comments";
    const DESCRIPTION: &'static str =
        "Read the comment thread of a workout (athlete and coach comments, oldest first).";
    const ANNOTATIONS: Annotations = Annotations::read("Get workout comments");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        check_id(args.workout_id, "workout_id")
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let aid = args.athlete_id.resolve(ctx).await?;
        let comments = ctx.client.workout_comments(aid, args.workout_id).await?;
        Ok(thread(args.workout_id, comments))
    }
}
