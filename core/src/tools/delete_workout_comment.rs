//! `delete_workout_comment` (tool 13).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::args::AthleteId;
use super::shared::workout_args::check_id;
use super::{Annotations, ToolContext, ToolError, TypedTool};

/// The tool.
pub struct DeleteWorkoutComment;

/// Arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct DeleteWorkoutCommentArgs {
    /// Workout id, e.g. 3000000123.
    pub workout_id: i64,
    /// Comment id (from `get_workout_comments`).
    pub comment_id: i64,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// Result.
#[derive(Debug, Serialize, JsonSchema)]
pub struct DeleteWorkoutCommentOutput {
    /// Workout id.
    pub workout_id: i64,
    /// The deleted comment's id.
    pub comment_id: i64,
    /// Always true on success.
    pub deleted: bool,
}

impl TypedTool for DeleteWorkoutComment {
    type Args = DeleteWorkoutCommentArgs;
    type Output = DeleteWorkoutCommentOutput;
    const NAME: &'static str = "delete_workout_comment";
    const DESCRIPTION: &'static str =
        "Delete one comment from a workout's thread. This cannot be undone.";
    const ANNOTATIONS: Annotations = Annotations::delete("Delete workout comment");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        check_id(args.workout_id, "workout_id")?;
        check_id(args.comment_id, "comment_id")
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let aid = args.athlete_id.resolve(ctx).await?;
        ctx.client
            .delete_workout_comment(aid, args.workout_id, args.comment_id)
            .await?;
        Ok((
            format!(
                "Comment {} deleted from workout {}.",
                args.comment_id, args.workout_id
            ),
            DeleteWorkoutCommentOutput {
                workout_id: args.workout_id,
                comment_id: args.comment_id,
                deleted: true,
            },
        ))
    }
}
