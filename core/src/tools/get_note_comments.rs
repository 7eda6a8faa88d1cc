//! `get_note_comments`: the comments on a calendar note.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::args::AthleteId;
use super::shared::calendar::{CommentView, positive_id};
use super::{Annotations, ToolContext, ToolError, TypedTool};

/// The `get_note_comments` tool.
#[derive(Debug)]
pub struct GetNoteComments;

/// Arguments of `get_note_comments`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetNoteCommentsArgs {
    /// Calendar note id.
    pub note_id: i64,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// Result of `get_note_comments`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct GetNoteCommentsOutput {
    /// The note.
    pub note_id: i64,
    /// Number of comments.
    pub count: usize,
    /// The comments, oldest first.
    pub comments: Vec<CommentView>,
}

impl TypedTool for GetNoteComments {
    type Args = GetNoteCommentsArgs;
    type Output = GetNoteCommentsOutput;
    const NAME: &'static str = "get_note_comments";
    const DESCRIPTION: &'static str = "List the comments on a calendar note, oldest first: author, time (UTC) and text. The \
         [number] before each is its comment_stream_id, which add_note_comment takes to edit it.";
    const ANNOTATIONS: Annotations = Annotations::read("Get note comments");

    fn check(a: &Self::Args) -> Result<(), ToolError> {
        positive_id("note_id", a.note_id)
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        a: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let aid = a.athlete_id.resolve(ctx).await?;
        // A comment without a stream id cannot be edited or told apart: it is left out,
        // the others are listed, oldest first (unknown times first, as the server sent).
        let mut comments: Vec<CommentView> = ctx
            .client
            .note_comments(aid, a.note_id)
            .await?
            .iter()
            .filter_map(|c| CommentView::new(c).ok())
            .collect();
        comments.sort_by_key(|c| (c.created, c.comment_stream_id));
        let text = if comments.is_empty() {
            format!("No comments on note {}.", a.note_id)
        } else {
            let lines: Vec<String> = comments.iter().map(CommentView::line).collect();
            format!(
                "{} comment(s) on note {}:\n{}",
                comments.len(),
                a.note_id,
                lines.join("\n")
            )
        };
        Ok((
            text,
            GetNoteCommentsOutput {
                note_id: a.note_id,
                count: comments.len(),
                comments,
            },
        ))
    }
}
