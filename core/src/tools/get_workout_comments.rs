//! `get_workout_comments` (tool 11).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::args::AthleteId;
use super::shared::workout_args::check_id;
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::trainingpeaks::workouts::WorkoutComment;

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

/// One comment.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CommentEntry {
    /// Comment id (for `delete_workout_comment`).
    pub comment_id: i64,
    /// Author.
    pub author: String,
    /// Whether the author is a coach.
    pub is_coach: bool,
    /// When it was written (ISO 8601, as TrainingPeaks wrote it).
    pub date_created: Option<String>,
    /// The text (null when TrainingPeaks sent none readable).
    pub text: Option<String>,
}

/// The thread.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CommentThread {
    /// Workout id.
    pub workout_id: i64,
    /// Number of comments.
    pub count: usize,
    /// Comments, oldest first.
    pub comments: Vec<CommentEntry>,
}

/// The thread output and its text lines.
pub(crate) fn thread(workout_id: i64, comments: Vec<WorkoutComment>) -> (String, CommentThread) {
    // `workout_comments` has already left out comments without a readable id.
    let comments: Vec<CommentEntry> = comments
        .iter()
        .filter_map(|c| {
            Some(CommentEntry {
                comment_id: c.id.val()?,
                author: c.author().unwrap_or_else(|| "Unknown".into()),
                is_coach: c.is_coach.val().unwrap_or(false),
                date_created: c.date_created.get().map(|d| d.as_str().to_string()),
                text: c.comment.get().cloned(),
            })
        })
        .collect();
    let mut text = if comments.is_empty() {
        format!("No comments on workout {workout_id}.")
    } else {
        format!("{} comment(s) on workout {workout_id}:", comments.len())
    };
    for c in &comments {
        text.push_str(&format!(
            "\n[{}] {}{} (comment {}): {}",
            c.date_created.as_deref().unwrap_or("?"),
            c.author,
            if c.is_coach { " (coach)" } else { "" },
            c.comment_id,
            c.text.as_deref().unwrap_or("—")
        ));
    }
    (
        text,
        CommentThread {
            workout_id,
            count: comments.len(),
            comments,
        },
    )
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
