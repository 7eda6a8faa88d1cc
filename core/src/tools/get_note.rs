//! `get_note`: one calendar note.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::args::AthleteId;
use super::shared::calendar::{NoteView, positive_id};
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::trainingpeaks::TpError;

/// The `get_note` tool.
#[derive(Debug)]
pub struct GetNote;

/// Arguments of `get_note`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetNoteArgs {
    /// Calendar note id (from `create_note`).
    pub note_id: i64,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// Result of `get_note`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct GetNoteOutput {
    /// The note.
    pub note: NoteView,
}

impl TypedTool for GetNote {
    type Args = GetNoteArgs;
    type Output = GetNoteOutput;
    const NAME: &'static str = "get_note";
    const DESCRIPTION: &'static str =
        "Get one calendar note by id: title, date (YYYY-MM-DD), description and comment count.";
    const ANNOTATIONS: Annotations = Annotations::read("Get note");

    fn check(a: &Self::Args) -> Result<(), ToolError> {
        positive_id("note_id", a.note_id)
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        a: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let aid = a.athlete_id.resolve(ctx).await?;
        let note = NoteView::new(&ctx.client.note(aid, a.note_id).await?).map_err(TpError::from)?;
        Ok((note.summary(""), GetNoteOutput { note }))
    }
}
