//! `delete_note`: removes a calendar note.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::args::AthleteId;
use super::shared::calendar::positive_id;
use super::{Annotations, ToolContext, ToolError, TypedTool};

/// The `delete_note` tool.
#[derive(Debug)]
pub struct DeleteNote;

/// Arguments of `delete_note`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct DeleteNoteArgs {
    /// Calendar note id (from `create_note`).
    pub note_id: i64,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// Result of `delete_note`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct DeleteNoteOutput {
    /// The deleted note's id.
    pub note_id: i64,
    /// Always true on success.
    pub deleted: bool,
}

impl TypedTool for DeleteNote {
    type Args = DeleteNoteArgs;
    type Output = DeleteNoteOutput;
    const NAME: &'static str = "delete_note";
    const DESCRIPTION: &'static str =
        "Delete a calendar note (and its comments) by id. Cannot be undone.";
    const ANNOTATIONS: Annotations = Annotations::delete("Delete note");

    fn check(a: &Self::Args) -> Result<(), ToolError> {
        positive_id("note_id", a.note_id)
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        a: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let aid = a.athlete_id.resolve(ctx).await?;
        ctx.client.delete_note(aid, a.note_id).await?;
        Ok((
            format!("Note {} deleted.", a.note_id),
            DeleteNoteOutput {
                note_id: a.note_id,
                deleted: true,
            },
        ))
    }
}
