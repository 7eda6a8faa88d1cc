//! `add_workout_comment` (tool 12).

use schemars::JsonSchema;
use serde::Deserialize;

use super::shared::args::AthleteId;
use super::shared::workout_args::check_id;
use super::shared::workout_comments::{CommentThread, thread};
use super::{Annotations, ToolContext, ToolError, TypedTool};

/// The tool.
pub struct AddWorkoutComment;

/// Arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct AddWorkoutCommentArgs {
    /// Workout id, e.g. 3000000123.
    pub workout_id: i64,
    /// The comment text (visible to the athlete and coach).
    pub comment: String,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

impl TypedTool for AddWorkoutComment {
    type Args = AddWorkoutCommentArgs;
    type Output = CommentThread;
    const NAME: &'static str = "add_workout_comment";
    const DESCRIPTION: &'static str = "Add a comment to a workout's thread (visible to athlete and coach). \
Returns the whole thread.";
    const ANNOTATIONS: Annotations = Annotations::create("Add workout comment");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        check_id(args.workout_id, "workout_id")?;
        if args.comment.trim().is_empty() {
            return Err(ToolError::invalid("comment", "must not be empty"));
        }
        Ok(())
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let aid = args.athlete_id.resolve(ctx).await?;
        let comments = ctx
            .client
            .add_workout_comment(aid, args.workout_id, args.comment.trim())
            .await?;
        let (text, out) = thread(args.workout_id, comments);
        Ok((
            format!(
                "Comment added. Thread now has {} comment(s).\n{text}",
                out.count
            ),
            out,
        ))
    }
}
