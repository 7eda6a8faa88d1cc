//! `delete_library`: delete a workout library and every template in it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::library::check_id;
use super::{Annotations, ToolContext, ToolError, TypedTool};

/// The tool.
#[derive(Debug, Clone, Copy, Default)]
pub struct DeleteLibrary;

/// Arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct DeleteLibraryArgs {
    /// The library id, from `get_libraries`.
    pub library_id: i64,
}

/// What was deleted.
#[derive(Debug, Serialize, JsonSchema)]
pub struct DeleteLibraryOutput {
    /// The deleted library's id.
    pub library_id: i64,
    /// Always true on success.
    pub deleted: bool,
}

impl TypedTool for DeleteLibrary {
    type Args = DeleteLibraryArgs;
    type Output = DeleteLibraryOutput;
    const NAME: &'static str = "delete_library";
    const DESCRIPTION: &'static str = "Delete one of the user's workout libraries AND every template in it (cannot be \
        undone). Workouts already scheduled from its templates stay on the calendar.";
    const ANNOTATIONS: Annotations = Annotations::delete("Delete workout library");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        check_id("library_id", args.library_id)
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        ctx.client.delete_library(args.library_id).await?;
        let text = format!("Library {} deleted, with its templates.", args.library_id);
        Ok((
            text,
            DeleteLibraryOutput {
                library_id: args.library_id,
                deleted: true,
            },
        ))
    }
}
