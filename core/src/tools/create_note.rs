//! `create_note`: adds a calendar note.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::args::{AthleteId, Date};
use super::shared::calendar::{NoteView, non_blank};
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::trainingpeaks::TpError;

/// The `create_note` tool.
#[derive(Debug)]
pub struct CreateNote;

/// Arguments of `create_note`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct CreateNoteArgs {
    /// Date, `YYYY-MM-DD` (e.g. `2026-11-23`).
    pub date: Date,
    /// Title, e.g. "Travel to Lisbon".
    pub title: String,
    /// Body text.
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// Result of `create_note`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CreateNoteOutput {
    /// The created note.
    pub note: NoteView,
}

impl TypedTool for CreateNote {
    type Args = CreateNoteArgs;
    type Output = CreateNoteOutput;
    const NAME: &'static str = "create_note";
    const DESCRIPTION: &'static str = "Add a standalone text note to the athlete's calendar on a date (YYYY-MM-DD), with a \
         title and optional description. This is a calendar note, not a Day Off workout.";
    const ANNOTATIONS: Annotations = Annotations::create("Create note");

    fn check(a: &Self::Args) -> Result<(), ToolError> {
        non_blank("title", &a.title)
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        a: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let aid = a.athlete_id.resolve(ctx).await?;
        let created = ctx
            .client
            .create_note(aid, a.date.0, a.title.trim(), a.description.as_deref())
            .await?;
        let note = NoteView::new(&created).map_err(TpError::from)?;
        Ok((note.summary("Note created: "), CreateNoteOutput { note }))
    }
}
