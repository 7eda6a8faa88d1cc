//! What the workout-comment tools (`get_workout_comments`, `add_workout_comment`) share: a
//! workout's comment thread, as output and as text.

use schemars::JsonSchema;
use serde::Serialize;

use crate::trainingpeaks::workouts::WorkoutComment;

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
