//! `update_note`: changes a calendar note (GET, merge, full PUT).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::args::{AthleteId, Date};
use super::shared::calendar::{NoteView, non_blank, positive_id};
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::trainingpeaks::TpError;
use crate::trainingpeaks::calendar::NoteUpdate;

/// The `update_note` tool.
#[derive(Debug)]
pub struct UpdateNote;

/// Arguments of `update_note`. Only the fields given change.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct UpdateNoteArgs {
    /// Calendar note id.
    pub note_id: i64,
    /// New title.
    #[serde(default)]
    pub title: Option<String>,
    /// New description (body text). An empty string clears it.
    #[serde(default)]
    pub description: Option<String>,
    /// New date, `YYYY-MM-DD`.
    #[serde(default)]
    pub date: Option<Date>,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// Result of `update_note`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct UpdateNoteOutput {
    /// The note after the update.
    pub note: NoteView,
}

impl TypedTool for UpdateNote {
    type Args = UpdateNoteArgs;
    type Output = UpdateNoteOutput;
    const NAME: &'static str = "update_note";
    const DESCRIPTION: &'static str = "Update the title, description or date (YYYY-MM-DD) of a calendar note. Fields not \
         given keep their values (the note is read, merged and written back whole).";
    const ANNOTATIONS: Annotations = Annotations::update("Update note");

    fn check(a: &Self::Args) -> Result<(), ToolError> {
        positive_id("note_id", a.note_id)?;
        if let Some(t) = &a.title {
            non_blank("title", t)?;
        }
        if a.title.is_none() && a.description.is_none() && a.date.is_none() {
            return Err(ToolError::invalid(
                "arguments",
                "nothing to update: give title, description or date",
            ));
        }
        Ok(())
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        a: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let aid = a.athlete_id.resolve(ctx).await?;
        let update = NoteUpdate {
            title: a.title.map(|t| t.trim().to_string()),
            description: a.description,
            date: a.date.map(|d| d.0),
        };
        let note = NoteView::new(&ctx.client.update_note(aid, a.note_id, &update).await?)
            .map_err(TpError::from)?;
        Ok((note.summary("Note updated: "), UpdateNoteOutput { note }))
    }
}
