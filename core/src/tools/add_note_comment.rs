//! `add_note_comment`: adds a comment to a calendar note, or edits one.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::args::AthleteId;
use super::shared::calendar::{non_blank, positive_id};
use super::{Annotations, ToolContext, ToolError, TypedTool};

/// The `add_note_comment` tool.
#[derive(Debug)]
pub struct AddNoteComment;

/// Arguments of `add_note_comment`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct AddNoteCommentArgs {
    /// Calendar note id.
    pub note_id: i64,
    /// Comment text.
    pub comment: String,
    /// Id of an existing comment to replace (from `get_note_comments`). Omit to add a new one.
    #[serde(default)]
    pub comment_stream_id: Option<i64>,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// Result of `add_note_comment`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct AddNoteCommentOutput {
    /// The note.
    pub note_id: i64,
    /// `added` or `updated`.
    pub action: String,
    /// The comment's id, when known (the edited one, or the new one found after adding).
    pub comment_stream_id: Option<i64>,
}

impl TypedTool for AddNoteComment {
    type Args = AddNoteCommentArgs;
    type Output = AddNoteCommentOutput;
    const NAME: &'static str = "add_note_comment";
    const DESCRIPTION: &'static str = "Add a comment to a calendar note, or replace the text of an existing comment by \
         giving its comment_stream_id (from get_note_comments).";
    // Not idempotent (each call without an id adds a comment) and destructive (with an id it
    // overwrites a comment's text).
    const ANNOTATIONS: Annotations = Annotations {
        title: "Add or edit note comment",
        read_only: false,
        destructive: true,
        idempotent: false,
    };

    fn check(a: &Self::Args) -> Result<(), ToolError> {
        positive_id("note_id", a.note_id)?;
        non_blank("comment", &a.comment)?;
        if let Some(s) = a.comment_stream_id {
            positive_id("comment_stream_id", s)?;
        }
        Ok(())
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        a: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let aid = a.athlete_id.resolve(ctx).await?;
        ctx.client
            .put_note_comment(aid, a.note_id, &a.comment, a.comment_stream_id)
            .await?;
        let (action, id) = match a.comment_stream_id {
            Some(id) => ("updated", Some(id)),
            None => {
                // The PUT's answer has no documented shape, so find the new comment's id by
                // reading the list back. The write already succeeded: a failed read only
                // means the id is unknown, never an error.
                let id = ctx
                    .client
                    .note_comments(aid, a.note_id)
                    .await
                    .ok()
                    .and_then(|cs| {
                        cs.iter()
                            .filter(|c| c.comment.get() == Some(&a.comment))
                            .filter_map(|c| c.stream_id().ok())
                            .max()
                    });
                ("added", id)
            }
        };
        let text = match id {
            Some(i) => format!(
                "Comment {action} on note {} (comment_stream_id {i}).",
                a.note_id
            ),
            None => format!("Comment {action} on note {}.", a.note_id),
        };
        Ok((
            text,
            AddNoteCommentOutput {
                note_id: a.note_id,
                action: action.into(),
                comment_stream_id: id,
            },
        ))
    }
}
